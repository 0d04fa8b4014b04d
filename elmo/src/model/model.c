/* model.c — a trace summary becomes a workload spec: options, the build, the spec, the report's
 * lifetime. See model.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "elmo/number.h"

void elmo_model_options_init(elmo_model_options *o) {
  memset(o, 0, sizeof *o);
  o->window_sec = 10;
  o->threads = 1;
  o->min_r2 = 0.9;
  o->min_ks_p = 0.05;
  o->shift_tvd = 0.2;
  o->max_phases = ELMO_MODEL_MAX_PHASES;
  o->min_group_ops = 1000;
  o->rate_policy = ELMO_MODEL_RATE_AUTO;
  o->scan_length = 10;
}

const char *elmo_model_quantity_name(elmo_model_quantity q) {
  static const char *const kNames[] = {"key_size", "value_size", "key_access", "scan_length"};
  return (unsigned)q < ELMO_MODEL_QUANTITY_COUNT ? kNames[q] : "unknown";
}

static elmo_rc check_unit(const char *name, double v, elmo_error *err) {
  if (!(v > 0 && v <= 1)) {
    return elmo_error_set(err, ELMO_ERANGE, "model options: %s must be in (0, 1], got %g", name, v);
  }
  return ELMO_OK;
}

/* Copies opts (NULL = defaults) into *o with 0 fields defaulted, and checks the ranges. */
static elmo_rc resolve_options(const elmo_model_options *opts, elmo_model_options *o,
                               elmo_error *err) {
  elmo_model_options d;
  elmo_model_options_init(&d);
  *o = opts ? *opts : d;
  if (o->window_sec == 0) o->window_sec = d.window_sec;
  if (o->threads == 0) o->threads = d.threads;
  if (o->min_r2 == 0) o->min_r2 = d.min_r2;
  if (o->min_ks_p == 0) o->min_ks_p = d.min_ks_p;
  if (o->shift_tvd == 0) o->shift_tvd = d.shift_tvd;
  if (o->max_phases == 0) o->max_phases = d.max_phases;
  if (o->min_group_ops == 0) o->min_group_ops = d.min_group_ops;
  if (o->scan_length == 0) o->scan_length = d.scan_length;
  if (o->window_sec > 86400) {
    return elmo_error_set(err, ELMO_ERANGE, "model options: window_sec must be 1 .. 86400, got %u",
                          o->window_sec);
  }
  if (o->threads < 1 || o->threads > ELMO_SPEC_MAX_THREADS) {
    return elmo_error_set(err, ELMO_ERANGE, "model options: threads must be 1 .. %d, got %d",
                          ELMO_SPEC_MAX_THREADS, o->threads);
  }
  if (o->max_phases > ELMO_MODEL_MAX_PHASES) {
    return elmo_error_set(err, ELMO_ERANGE, "model options: max_phases must be 1 .. %d, got %u",
                          ELMO_MODEL_MAX_PHASES, o->max_phases);
  }
  if (o->scan_length > 1000000) {
    return elmo_error_set(err, ELMO_ERANGE,
                          "model options: scan_length must be 1 .. 1000000, got %u",
                          o->scan_length);
  }
  if ((unsigned)o->rate_policy > ELMO_MODEL_RATE_FIXED) {
    return elmo_error_set(err, ELMO_ERANGE, "model options: rate_policy must be 0 .. 2, got %d",
                          (int)o->rate_policy);
  }
  elmo_rc rc = check_unit("min_r2", o->min_r2, err);
  if (rc == ELMO_OK) rc = check_unit("min_ks_p", o->min_ks_p, err);
  if (rc == ELMO_OK) rc = check_unit("shift_tvd", o->shift_tvd, err);
  return rc;
}

/* ---- characterization --------------------------------------------------------------------- */

static int multiget_size(const elmo_trace_summary *sum) {
  const elmo_trace_hist *h = &sum->multiget_keys;
  if (h->count == 0 || sum->counts[ELMO_TRACE_MULTIGET] == 0) return 1;
  long m = lround(h->mean);
  return m < 1 ? 1 : m > 1024 ? 1024 : (int)m;
}

static void characterize(const elmo_trace_summary *sum, elmo_model_report *r) {
  r->ops = sum->ops;
  memcpy(r->counts, sum->counts, sizeof r->counts);
  model_mix_fractions(sum->counts, r->mix);
  r->duration_sec = (double)sum->duration_us / 1e6;
  r->window_sec = (double)sum->window_us / 1e6;
  for (int c = 0; c < ELMO_TRACE_CLASS_COUNT; c++) {
    const elmo_trace_class_summary *cs = &sum->classes[c];
    elmo_model_class_keys *k = &r->keys[c];
    k->accesses = cs->accesses, k->distinct = cs->distinct, k->exact = cs->exact;
    k->distinct_rel_error = cs->distinct_rel_error, k->count_error_bound = cs->count_error_bound;
  }
  r->num_keys = sum->classes[ELMO_TRACE_CLASS_ALL].distinct;
  if (r->num_keys == 0) r->num_keys = 1;
  r->multiget_size = multiget_size(sum);
}

/* The support of a size model as the spec checks it (normal: its mean). */
static void size_support(const elmo_dist *d, double *lo, double *hi) {
  const double *p = d->params;
  *lo = d->kind == ELMO_DIST_EXPONENTIAL ? 0 : p[0];
  *hi = INFINITY;
  if (d->kind == ELMO_DIST_FIXED || d->kind == ELMO_DIST_NORMAL) *hi = p[0];
  if (d->kind == ELMO_DIST_UNIFORM) *hi = p[1];
  if (d->kind == ELMO_DIST_GPARETO && p[2] < 0) *hi = p[0] - p[1] / p[2];
  if (d->clamp & ELMO_DIST_CLAMP_MIN) {
    *lo = d->kind == ELMO_DIST_NORMAL ? d->clamp_min : fmax(*lo, d->clamp_min);
    if (d->kind == ELMO_DIST_NORMAL) *hi = INFINITY;
  }
  if (d->clamp & ELMO_DIST_CLAMP_MAX) *hi = isfinite(*hi) ? fmin(*hi, d->clamp_max) : d->clamp_max;
}

/* A size model whose support leaves the spec's [min, max] (keys hold an 8-byte index, so spec
 * keys are >= 8 bytes) becomes fixed at its mean, clamped; the note says so. */
int model_size_in_spec(const elmo_dist *d, elmo_model_quantity q) {
  double lo, hi;
  size_support(d, &lo, &hi);
  double min = q == ELMO_MODEL_KEY_SIZE ? ELMO_SPEC_KEY_SIZE_MIN : 0;
  double max = q == ELMO_MODEL_KEY_SIZE      ? ELMO_SPEC_KEY_SIZE_MAX
               : q == ELMO_MODEL_SCAN_LENGTH ? ELMO_SPEC_SCAN_LENGTH_MAX
                                             : ELMO_SPEC_VALUE_SIZE_MAX;
  return lo >= min && lo <= max && (hi <= max || isinf(hi)); /* unbounded tails are clamped */
}

static void size_in_range(elmo_model_fit_report *f, elmo_model_quantity q, double min, double max) {
  double mean = elmo_dist_mean(&f->dist);
  if (model_size_in_spec(&f->dist, q)) return;
  double v = isfinite(mean) ? round(mean) : min;
  v = v < min ? min : v > max ? max : v;
  size_t len = strlen(f->note);
  elmo_number_snprintf(f->note + len, sizeof f->note - len,
           "; %s leaves the spec's range %.0f..%.0f: fixed %.0f", elmo_dist_kind_name(f->dist.kind),
           min, max, v);
  memset(&f->dist, 0, sizeof f->dist);
  f->dist.kind = ELMO_DIST_FIXED, f->dist.params[0] = v;
  memset(&f->gof, 0, sizeof f->gof); /* a substitute, not a fit */
  f->poor = f->modeled;
}

/* ---- the spec ----------------------------------------------------------------------------- */

/* The roles as the phase's thread groups; scan length and multiget size follow the groups' mix. */
static elmo_rc spec_groups(const elmo_model_roles_report *rr, elmo_spec_phase *p, elmo_error *err) {
  elmo_spec_group g[ELMO_MODEL_MAX_ROLES];
  memset(g, 0, sizeof g);
  for (size_t i = 0; i < rr->n_roles; i++) {
    snprintf(g[i].name, sizeof g[i].name, "%s", rr->roles[i].name);
    g[i].threads = rr->roles[i].threads;
    memcpy(g[i].mix, rr->roles[i].mix, sizeof g[i].mix);
    g[i].rate = rr->roles[i].rate;
  }
  elmo_rc rc = elmo_spec_phase_set_groups(p, g, rr->n_roles, err);
  if (rc == ELMO_OK && p->mix[ELMO_SPEC_SEEK] == 0) memset(&p->scan_length, 0, sizeof p->scan_length);
  if (rc == ELMO_OK && p->mix[ELMO_SPEC_MULTIGET] == 0) p->multiget_size = 1;
  return rc;
}

static elmo_rc spec_phase(const elmo_model_report *r, size_t i, elmo_spec_phase *p,
                          elmo_error *err) {
  const elmo_model_phase_report *ph = &r->phases[i];
  memset(p, 0, sizeof *p);
  snprintf(p->name, sizeof p->name, "phase%zu", i + 1);
  p->start_sec = ph->start_sec, p->duration_sec = ph->duration_sec;
  p->threads = r->options.threads;
  memcpy(p->mix, ph->mix, sizeof p->mix);
  p->key_access = r->fits[ELMO_MODEL_KEY_ACCESS].dist;
  p->key_access.n = elmo_dist_is_rank(p->key_access.kind) ? r->num_keys : 0;
  p->key_ranges = 0; /* two_term_exp is never chosen */
  p->value_size = r->fits[ELMO_MODEL_VALUE_SIZE].dist;
  p->scan_length = r->fits[ELMO_MODEL_SCAN_LENGTH].dist;
  if (ph->mix[ELMO_SPEC_SEEK] == 0) memset(&p->scan_length, 0, sizeof p->scan_length);
  p->multiget_size = ph->mix[ELMO_SPEC_MULTIGET] > 0 ? r->multiget_size : 1;
  p->rate = ph->rate;
  if (r->options.rate_policy == ELMO_MODEL_RATE_UNLIMITED) memset(&p->rate, 0, sizeof p->rate);
  return r->roles.modeled ? spec_groups(&r->roles, p, err) : ELMO_OK;
}

static elmo_rc make_spec(const elmo_model_report *r, elmo_spec **out, elmo_error *err) {
  elmo_spec *s = elmo_spec_create(r->num_keys);
  if (s == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  snprintf(s->name, sizeof s->name, "trace-model");
  elmo_number_snprintf(s->description, sizeof s->description,
           "modeled by elmo from a trace of %llu ops over %.1f s (%zu phase%s)",
           (unsigned long long)r->ops, r->duration_sec, r->n_phases, r->n_phases == 1 ? "" : "s");
  s->key_size = r->fits[ELMO_MODEL_KEY_SIZE].dist;
  double reads = r->mix[ELMO_SPEC_GET] + r->mix[ELMO_SPEC_MULTIGET] + r->mix[ELMO_SPEC_SEEK];
  s->preload = reads > 0;
  s->preload_value_size = r->fits[ELMO_MODEL_VALUE_SIZE].dist;
  elmo_rc rc = ELMO_OK;
  s->n_phases = 0; /* elmo_spec_create's default phase is replaced */
  for (size_t i = 0; i < r->n_phases && rc == ELMO_OK; i++) {
    elmo_spec_phase p;
    rc = spec_phase(r, i, &p, err);
    if (rc == ELMO_OK) rc = elmo_spec_add_phase(s, &p, err);
  }
  elmo_error e;
  if (rc == ELMO_OK && elmo_spec_validate(s, &e) != ELMO_OK) {
    rc = elmo_error_set(err, ELMO_EINTERNAL, "model: the spec built is invalid: %s", e.message);
  }
  if (rc != ELMO_OK) {
    elmo_spec_destroy(s);
    return rc;
  }
  *out = s;
  return ELMO_OK;
}

/* ---- build -------------------------------------------------------------------------------- */

static elmo_rc build_report(const elmo_trace_summary *sum, elmo_model_report *r, elmo_error *err) {
  characterize(sum, r);
  elmo_rc rc = model_fit_sizes(sum, r, err);
  if (rc == ELMO_OK) {
    size_in_range(&r->fits[ELMO_MODEL_KEY_SIZE], ELMO_MODEL_KEY_SIZE, ELMO_SPEC_KEY_SIZE_MIN,
                  ELMO_SPEC_KEY_SIZE_MAX);
    size_in_range(&r->fits[ELMO_MODEL_VALUE_SIZE], ELMO_MODEL_VALUE_SIZE, 0,
                  ELMO_SPEC_VALUE_SIZE_MAX);
  }
  if (rc == ELMO_OK) rc = model_fit_key_access(sum, r, err);
  if (rc == ELMO_OK) rc = model_fit_recency(sum, r, err);
  if (rc == ELMO_OK) rc = model_fit_scan(sum, r, err);
  if (rc == ELMO_OK) {
    size_in_range(&r->fits[ELMO_MODEL_SCAN_LENGTH], ELMO_MODEL_SCAN_LENGTH, 0,
                  ELMO_SPEC_SCAN_LENGTH_MAX);
  }
  if (rc == ELMO_OK) {
    rc = model_rate(sum, 0, sum->n_windows, &r->options, &r->rate.rate, &r->rate, err);
  }
  if (rc == ELMO_OK) rc = model_phases(sum, r, err);
  if (rc == ELMO_OK) model_roles(sum, r);
  return rc;
}

elmo_rc elmo_model_build(const elmo_trace_summary *sum, const elmo_model_options *opts,
                         elmo_spec **spec, elmo_model_report **report, elmo_error *err) {
  if (spec) *spec = NULL;
  if (report) *report = NULL;
  if (sum == NULL || spec == NULL)
    return elmo_error_set(err, ELMO_EINVAL, "model_build: NULL argument");
  if (sum->ops == 0 || sum->n_windows == 0) {
    return elmo_error_set(err, ELMO_EINVAL, "model_build: the trace has no ops to model");
  }
  elmo_model_report *r = calloc(1, sizeof *r);
  if (r == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  elmo_rc rc = resolve_options(opts, &r->options, err);
  if (rc == ELMO_OK) rc = build_report(sum, r, err);
  if (rc == ELMO_OK) rc = make_spec(r, spec, err);
  if (rc != ELMO_OK || report == NULL) {
    elmo_model_report_destroy(r);
    return rc;
  }
  *report = r;
  return ELMO_OK;
}

elmo_rc elmo_model_from_trace(const char *trace_path, const elmo_model_options *opts,
                              elmo_spec **spec, elmo_model_report **report, elmo_error *err) {
  if (spec) *spec = NULL;
  if (report) *report = NULL;
  if (trace_path == NULL || spec == NULL) {
    return elmo_error_set(err, ELMO_EINVAL, "model_from_trace: NULL argument");
  }
  elmo_model_options o;
  elmo_rc rc = resolve_options(opts, &o, err);
  if (rc != ELMO_OK) return rc;
  elmo_trace_stats_config cfg;
  elmo_trace_stats_config_default(&cfg);
  cfg.window_sec = o.window_sec;
  elmo_trace_summary *sum = NULL;
  rc = elmo_trace_characterize(trace_path, NULL, &cfg, &sum, err);
  if (rc == ELMO_OK) rc = elmo_model_build(sum, &o, spec, report, err);
  elmo_trace_summary_destroy(sum);
  return rc;
}

void elmo_model_report_destroy(elmo_model_report *r) {
  if (r == NULL) return;
  free(r->rate.t_sec);
  free(r->rate.qps);
  free(r);
}
