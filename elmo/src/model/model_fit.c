/* model_fit.c — the distribution fits of a workload model: key size, value size, key access,
 * scan length. See model.h for the choices. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "elmo/number.h"

#define SIZE_KINDS                                                                  \
  ((1u << ELMO_DIST_FIXED) | (1u << ELMO_DIST_UNIFORM) | (1u << ELMO_DIST_NORMAL) | \
   (1u << ELMO_DIST_EXPONENTIAL) | (1u << ELMO_DIST_GPARETO) | (1u << ELMO_DIST_PARETO))

void model_mark_poor(elmo_model_fit_report *f, const elmo_model_options *o) {
  f->poor = f->modeled && (!(f->gof.r2 >= o->min_r2) || !(f->gof.ks_p >= o->min_ks_p));
}

static void set_fixed(elmo_dist *d, double v) {
  memset(d, 0, sizeof *d);
  d->kind = ELMO_DIST_FIXED;
  d->params[0] = v;
}

/* Best-first fits of a size histogram into f. */
static elmo_rc fit_size(const elmo_trace_hist *h, const elmo_model_options *o, double fallback,
                        const char *what, elmo_model_fit_report *f, elmo_error *err) {
  memset(f, 0, sizeof *f);
  set_fixed(&f->dist, fallback);
  elmo_hist_bin *bins = NULL;
  size_t n = 0;
  if (model_hist_bins(h, &bins, &n) != ELMO_OK)
    return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  if (n == 0) {
    elmo_number_snprintf(f->note, sizeof f->note, "no %s in the trace: fixed %g by default", what, fallback);
    return ELMO_OK;
  }
  elmo_fit_options fo;
  elmo_fit_options_init(&fo);
  fo.kinds = SIZE_KINDS, fo.min_r2 = o->min_r2, fo.min_ks_p = o->min_ks_p, fo.try_floor = 1;
  elmo_sample s = elmo_sample_of_bins(bins, n);
  elmo_fit_report rep;
  elmo_error e;
  elmo_rc rc = h->count >= 2 ? elmo_fit_best(&s, &fo, &rep, &e) : ELMO_EINVAL;
  free(bins);
  if (rc == ELMO_ENOMEM) return elmo_error_set(err, rc, "out of memory");
  if (rc != ELMO_OK) { /* one observation, or nothing applies: its value, fixed */
    set_fixed(&f->dist, (double)h->min);
    f->modeled = 1, f->gof.r2 = 1, f->gof.ks_p = 1, f->gof.n = h->count;
    snprintf(f->note, sizeof f->note, "%s: too few observations to fit; fixed at the first", what);
    return ELMO_OK;
  }
  f->modeled = 1, f->dist = rep.fits[0].dist, f->gof = rep.fits[0].gof;
  f->n_alternatives = rep.n_fits - 1;
  memcpy(f->alternatives, rep.fits + 1, f->n_alternatives * sizeof rep.fits[0]);
  model_mark_poor(f, o);
  snprintf(f->note, sizeof f->note, "%s: %llu observations, histogram of %zu buckets (midpoints)",
           what, (unsigned long long)h->count, n);
  return ELMO_OK;
}

elmo_rc model_fit_sizes(const elmo_trace_summary *sum, elmo_model_report *r, elmo_error *err) {
  elmo_rc rc =
      fit_size(&sum->key_size, &r->options, 16, "keys", &r->fits[ELMO_MODEL_KEY_SIZE], err);
  if (rc != ELMO_OK) return rc;
  return fit_size(&sum->value_size, &r->options, 100, "values", &r->fits[ELMO_MODEL_VALUE_SIZE],
                  err);
}

elmo_rc model_fit_scan(const elmo_trace_summary *sum, elmo_model_report *r, elmo_error *err) {
  elmo_model_fit_report *f = &r->fits[ELMO_MODEL_SCAN_LENGTH];
  memset(f, 0, sizeof *f);
  uint64_t seeks = sum->counts[ELMO_TRACE_SEEK] + sum->counts[ELMO_TRACE_SEEK_FOR_PREV];
  if (seeks > 0 && sum->scan_length.count > 0) { /* measured by ELMo's capture */
    elmo_rc rc = fit_size(&sum->scan_length, &r->options, r->options.scan_length, "scans", f, err);
    if (rc != ELMO_OK) return rc;
    size_t len = strlen(f->note);
    snprintf(f->note + len, sizeof f->note - len,
             "%sNext()/Prev() calls after %llu of the %llu seeks (ELMo's capture)",
             len ? "; " : "", (unsigned long long)sum->scan_length.count,
             (unsigned long long)seeks);
    return ELMO_OK;
  }
  set_fixed(&f->dist, seeks ? (double)r->options.scan_length : 0);
  snprintf(f->note, sizeof f->note,
           seeks ? "not measured (RocksDB does not trace Next()): fixed %u from the options; %llu "
                   "of the seeks set a lower bound, %llu an upper bound"
                 : "no seeks in the trace: fixed 0 (%u unused; %llu, %llu)",
           r->options.scan_length, (unsigned long long)sum->seeks_with_lower,
           (unsigned long long)sum->seeks_with_upper);
  return ELMO_OK;
}

/* ---- key access --------------------------------------------------------------------------- */

/* The zero-truncated Poisson CDF P(K <= k | K >= 1) with mean lambda. */
static double ztp_cdf(double lambda, double k) {
  if (k < 1) return 0;
  double p = exp(-lambda), cum = 0, z = 1 - p;
  for (double j = 1; j <= k; j++) {
    p *= lambda / j;
    cum += p;
    if (cum / z >= 1 - 1e-15) return 1;
  }
  return cum / z;
}

/* The zero-truncated Poisson mean lambda whose conditional mean is m (m > 1): m = l/(1-e^-l). */
static double ztp_lambda(double m) {
  double lo = 1e-9, hi = m;
  for (int i = 0; i < 100; i++) {
    double mid = (lo + hi) / 2;
    if (mid / -expm1(-mid) < m)
      lo = mid;
    else
      hi = mid;
  }
  return (lo + hi) / 2;
}

/* Uniform access checked on the per-key counts (exact class only): KS D and R² of the "k times"
 * histogram against the zero-truncated Poisson with the same mean. */
static int uniform_count_gof(const elmo_trace_class_summary *cs, elmo_gof *g) {
  memset(g, 0, sizeof *g);
  if (!cs->exact || cs->freq.count < 2) return 0;
  double m = (double)cs->accesses / (double)cs->distinct;
  double lambda = m > 1 ? ztp_lambda(m) : 1e-9, cum = 0, d = 0, sse = 0, sst = 0, mean = 0;
  const elmo_trace_hist *h = &cs->freq;
  for (size_t i = 0; i < h->n_buckets; i++) {
    double before = ztp_cdf(lambda, (double)h->buckets[i].lo - 1);
    double lo = cum / (double)h->count;
    cum += (double)h->buckets[i].count;
    double fn = cum / (double)h->count, f = ztp_cdf(lambda, (double)h->buckets[i].hi);
    d = fmax(d, fmax(fabs(fn - f), fabs(lo - before)));
    sse += (fn - f) * (fn - f);
    mean += fn;
  }
  mean /= (double)h->n_buckets, cum = 0;
  for (size_t i = 0; i < h->n_buckets; i++) {
    cum += (double)h->buckets[i].count;
    double fn = cum / (double)h->count;
    sst += (fn - mean) * (fn - mean);
  }
  g->ks_d = d, g->n = h->count;
  g->ks_p = elmo_ks_pvalue(d, (double)h->count);
  g->r2 = sst > 0 ? 1 - sse / sst : (sse < 1e-12 ? 1 : 0);
  g->log_lik = g->aic = g->bic = NAN;
  return 1;
}

/* The key space that uniform access implies. Over N keys each key is accessed Poisson(A/N)
 * times (A accesses) and the trace sees only the keys accessed at least once, whose counts are
 * the zero-truncated Poisson that uniform_count_gof fits: its lambda, from the mean A/distinct,
 * is A/N. So N = A/lambda, not the distinct keys seen (a lower bound: with N = distinct, a run as
 * long as the trace sees fewer keys, each more often). Every key seen once (mean 1): N cannot be
 * told, distinct is kept. Clamped to distinct .. ELMO_SPEC_NUM_KEYS_MAX. */
static uint64_t uniform_key_space(const elmo_trace_class_summary *cs, uint64_t distinct) {
  double m = (double)cs->accesses / (double)cs->distinct;
  if (!(m > 1 + 1e-9)) return distinct;
  double nk = round((double)cs->accesses / ztp_lambda(m));
  if (!(nk > (double)distinct)) return distinct;
  return nk >= (double)ELMO_SPEC_NUM_KEYS_MAX ? ELMO_SPEC_NUM_KEYS_MAX : (uint64_t)nk;
}

static elmo_rc fit_zipf(const elmo_hist_bin *bins, size_t n, uint64_t ranks,
                        const elmo_model_options *o, elmo_fit *out, elmo_error *err) {
  elmo_fit_options fo;
  elmo_fit_options_init(&fo);
  fo.rank_n = ranks, fo.min_r2 = o->min_r2, fo.min_ks_p = o->min_ks_p;
  elmo_sample s = elmo_sample_of_bins(bins, n);
  return elmo_fit_dist(ELMO_DIST_ZIPFIAN, &s, &fo, out, err);
}

/* Uniform over ranks [0, n]: the candidate as the rank sample sees it. */
static elmo_rc rank_uniform(const elmo_hist_bin *bins, size_t n, uint64_t ranks, elmo_fit *out,
                            elmo_error *err) {
  memset(out, 0, sizeof *out);
  out->dist.kind = ELMO_DIST_UNIFORM, out->dist.params[1] = (double)ranks;
  elmo_sample s = elmo_sample_of_bins(bins, n);
  return elmo_fit_gof(&out->dist, &s, &out->gof, err);
}

/* Uniform first (see model.h); otherwise the better of zipfian and, when fitted, classes by the
 * chooser's score. Returns the chosen kind. */
static elmo_dist_kind choose_access(elmo_model_fit_report *f, const elmo_fit *zipf,
                                    const elmo_fit *uni, const elmo_fit *classes, int have_counts,
                                    const elmo_gof *counts_gof, uint64_t num_keys) {
  int uniform =
      have_counts
          ? counts_gof->ks_d <= ELMO_MODEL_UNIFORM_MAX_D && zipf->dist.params[0] < 0.5
          : model_fit_score(&uni->dist, &uni->gof) < model_fit_score(&zipf->dist, &zipf->gof);
  elmo_fit u = *uni;
  if (have_counts) u.gof = *counts_gof;
  u.dist.params[1] = (double)num_keys; /* the spec's uniform is over key indices */
  const elmo_fit *skewed = zipf, *other = classes;
  if (classes != NULL && model_fit_score(&classes->dist, &classes->gof) <
                             model_fit_score(&zipf->dist, &zipf->gof)) {
    skewed = classes, other = zipf;
  }
  const elmo_fit *chosen = uniform ? &u : skewed;
  f->dist = chosen->dist, f->gof = chosen->gof, f->n_alternatives = 0;
  const elmo_fit *rest[2] = {uniform ? skewed : &u, other};
  for (int i = 0; i < 2; i++) {
    if (rest[i] != NULL) f->alternatives[f->n_alternatives++] = *rest[i];
  }
  return f->dist.kind;
}

elmo_rc model_fit_key_access(const elmo_trace_summary *sum, elmo_model_report *r, elmo_error *err) {
  elmo_model_fit_report *f = &r->fits[ELMO_MODEL_KEY_ACCESS];
  const elmo_trace_class_summary *cs = &sum->classes[ELMO_TRACE_CLASS_ALL];
  memset(f, 0, sizeof *f);
  f->dist.kind = ELMO_DIST_UNIFORM, f->dist.params[1] = (double)(r->num_keys ? r->num_keys : 1);
  elmo_hist_bin *bins = NULL;
  size_t n = 0;
  elmo_error e;
  if (cs->accesses < 2 || cs->distinct < 2 || elmo_model_rank_bins(cs, &bins, &n, &e) != ELMO_OK ||
      n < 2) {
    free(bins);
    snprintf(f->note, sizeof f->note, "fewer than 2 keys accessed: uniform by default");
    return ELMO_OK;
  }
  elmo_fit zipf, uni, classes;
  elmo_rc rc = fit_zipf(bins, n, (uint64_t)n, &r->options, &zipf, &e);
  if (rc == ELMO_OK) rc = rank_uniform(bins, n, (uint64_t)n, &uni, &e);
  elmo_gof counts_gof;
  int have_counts = uniform_count_gof(cs, &counts_gof), have_classes = 0;
  uint64_t classes_keys = 0;
  if (rc == ELMO_OK && have_counts) { /* per-key counts: an exact class, one bin per key */
    elmo_rc cr = model_fit_classes(bins, n, &classes, &classes_keys, &e);
    if (cr == ELMO_ENOMEM) rc = cr;
    have_classes = cr == ELMO_OK;
  }
  free(bins);
  if (rc != ELMO_OK) return elmo_error_set(err, rc, "key access: %s", e.message);
  elmo_dist_kind kind = choose_access(f, &zipf, &uni, have_classes ? &classes : NULL, have_counts,
                                      &counts_gof, r->num_keys);
  const uint64_t seen = r->num_keys;
  if (have_counts && kind == ELMO_DIST_UNIFORM) {
    r->num_keys = uniform_key_space(cs, seen); /* the spec's key space (model.c make_spec) */
    f->dist.params[1] = (double)r->num_keys;
  } else if (kind == ELMO_DIST_CLASSES) {
    r->num_keys = classes_keys; /* keys seen + the unseen keys the mixture expects */
  }
  const int estimated = r->num_keys != seen;
  f->modeled = 1;
  model_mark_poor(f, &r->options);
  int len = snprintf(f->note, sizeof f->note,
                     "ranks of %zu keys (%s%s); uniform judged on %s; latest judged on the "
                     "recency of reads",
                     n, cs->exact ? "exact" : "approximate: top hitters, flat tail assumed",
                     f->dist.kind == ELMO_DIST_ZIPFIAN   ? ", zipfian scrambled over the key space"
                     : f->dist.kind == ELMO_DIST_CLASSES ? ", classes: mixed Poisson of per-key counts, "
                                                           "ranks scrambled over the key space"
                                                         : "",
                     have_counts ? "per-key counts vs Poisson" : "the ranks");
  if (estimated && len > 0 && (size_t)len < sizeof f->note) {
    snprintf(f->note + len, sizeof f->note - (size_t)len,
             "; num_keys %llu from the %s fit (%llu seen)", (unsigned long long)r->num_keys,
             f->dist.kind == ELMO_DIST_CLASSES ? "mixed Poisson" : "Poisson",
             (unsigned long long)seen);
  }
  return ELMO_OK;
}
