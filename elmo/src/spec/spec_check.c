/* spec_check.c — the rules of a valid workload spec (spec.h, docs/WORKLOAD_SPEC.md), shared by
 * elmo_spec_parse and elmo_spec_validate, and the derivation of a grouped phase's threads, mix and
 * rate. Every message starts with the JSON path of the field. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "spec_internal.h"
#include "elmo/number.h"

#define TWO_PI 6.283185307179586

elmo_rc spec_fail(elmo_error *err, elmo_rc rc, const char *path, const char *fmt, ...) {
  if (err == NULL) return rc;
  char msg[ELMO_ERROR_MSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  elmo_number_vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  return elmo_error_set(err, rc, "%s: %s", path, msg);
}

elmo_rc spec_wrap(elmo_error *err, elmo_rc rc, const char *path, const elmo_error *inner) {
  return spec_fail(err, rc, path, "%s", inner->message);
}

const char *spec_rate_kind_name(elmo_rate_kind kind) {
  static const char *const kNames[] = {"unlimited", "fixed", "sine"};
  return (unsigned)kind < 3 ? kNames[kind] : NULL;
}

elmo_rc spec_check_name(const char *name, const char *path, elmo_error *err) {
  const char *nul = memchr(name, '\0', ELMO_SPEC_NAME_MAX);
  if (nul == NULL) {
    return spec_fail(err, ELMO_ERANGE, path, "longer than %d characters", ELMO_SPEC_NAME_MAX - 1);
  }
  size_t len = (size_t)(nul - name);
  if (len == 0) {
    return spec_fail(err, ELMO_EINVAL, path, "must not be empty (1..%d printable ASCII characters)",
                     ELMO_SPEC_NAME_MAX - 1);
  }
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)name[i];
    if (c < 0x20 || c > 0x7e) {
      return spec_fail(
          err, ELMO_EINVAL, path,
          "character 0x%02x at offset %zu is not printable ASCII (allowed: 0x20..0x7e)", c, i);
    }
  }
  return ELMO_OK;
}

/* ---- distributions ------------------------------------------------------------------------- */

/* Unused parameters and (outside the rank kinds) n are 0, as the JSON form implies. */
static elmo_rc check_canonical(const elmo_dist *d, const char *path, elmo_error *err) {
  for (size_t i = elmo_dist_param_count(d->kind); i < ELMO_DIST_PARAMS_MAX; i++) {
    if (d->params[i] != 0) {
      return spec_fail(err, ELMO_EINVAL, path, "params[%zu] is unused by %s and must be 0, got %g",
                       i, elmo_dist_kind_name(d->kind), d->params[i]);
    }
  }
  if (!elmo_dist_is_rank(d->kind) && d->n != 0) {
    return spec_fail(err, ELMO_EINVAL, path, "n is unused by %s and must be 0, got %llu",
                     elmo_dist_kind_name(d->kind), (unsigned long long)d->n);
  }
  return ELMO_OK;
}

static int is_size_kind(elmo_dist_kind k) {
  return k == ELMO_DIST_FIXED || k == ELMO_DIST_UNIFORM || k == ELMO_DIST_NORMAL ||
         k == ELMO_DIST_EXPONENTIAL || k == ELMO_DIST_PARETO || k == ELMO_DIST_GPARETO;
}

static int is_key_kind(elmo_dist_kind k) {
  return k == ELMO_DIST_UNIFORM || k == ELMO_DIST_ZIPFIAN || k == ELMO_DIST_LATEST ||
         k == ELMO_DIST_POWER || k == ELMO_DIST_TWO_TERM_EXP || k == ELMO_DIST_CLASSES;
}

elmo_rc spec_check_kind(elmo_dist_kind kind, int key_access, const char *path, elmo_error *err) {
  const char *name = elmo_dist_kind_name(kind);
  if (key_access && !is_key_kind(kind)) {
    return spec_fail(err, ELMO_EINVAL, path,
                     "'%s' is not a key-access model (allowed: uniform, zipfian, latest, power, "
                     "two_term_exp, classes)",
                     name ? name : "?");
  }
  if (!key_access && !is_size_kind(kind)) {
    return spec_fail(err, ELMO_EINVAL, path,
                     "'%s' is not a size model (allowed: fixed, uniform, normal, exponential, "
                     "pareto, gpareto)",
                     name ? name : "?");
  }
  return ELMO_OK;
}

/* The checkable ends of a size model: its support, or the mean for the normal. */
static void size_bounds(const elmo_dist *d, double *lo, const char **lo_name, double *hi,
                        const char **hi_name) {
  const double *p = d->params;
  *lo = p[0], *hi = INFINITY, *lo_name = elmo_dist_param_name(d->kind, 0), *hi_name = "";
  switch (d->kind) {
    case ELMO_DIST_FIXED:
    case ELMO_DIST_NORMAL:
      *hi = p[0], *hi_name = *lo_name;
      break;
    case ELMO_DIST_UNIFORM:
      *hi = p[1], *hi_name = "max";
      break;
    case ELMO_DIST_EXPONENTIAL:
      *lo = 0, *lo_name = "support start";
      break;
    case ELMO_DIST_GPARETO:
      if (p[2] < 0) *hi = p[0] - p[1] / p[2], *hi_name = "support end theta - sigma/k";
      break;
    default:
      break;
  }
  /* a clamp bounds the draws whatever the support */
  if ((d->clamp & ELMO_DIST_CLAMP_MIN) && (d->kind == ELMO_DIST_NORMAL || d->clamp_min > *lo)) {
    *lo = d->clamp_min, *lo_name = "min";
  }
  if ((d->clamp & ELMO_DIST_CLAMP_MAX) && (!isfinite(*hi) || d->kind == ELMO_DIST_NORMAL ||
                                           d->clamp_max < *hi)) {
    *hi = d->clamp_max, *hi_name = "max";
  }
  if (d->kind == ELMO_DIST_NORMAL && (d->clamp & ELMO_DIST_CLAMP_MIN) &&
      !(d->clamp & ELMO_DIST_CLAMP_MAX)) {
    *hi = INFINITY; /* the mean is no longer the upper end checked */
  }
}

/* A size model: one of the size kinds, valid, its support inside [min, max]. */
static elmo_rc check_size(const elmo_dist *d, const char *path, double min, double max,
                          const char *why, elmo_error *err) {
  elmo_rc rc = spec_check_kind(d->kind, 0, path, err);
  if (rc != ELMO_OK) return rc;
  elmo_error inner;
  if (elmo_dist_validate(d, 0, &inner) != ELMO_OK) return spec_wrap(err, ELMO_EINVAL, path, &inner);
  rc = check_canonical(d, path, err);
  if (rc != ELMO_OK) return rc;
  double lo, hi;
  const char *lo_name, *hi_name;
  size_bounds(d, &lo, &lo_name, &hi, &hi_name);
  const char *kind = elmo_dist_kind_name(d->kind);
  if (lo < min) {
    return spec_fail(err, ELMO_ERANGE, path, "%s %s %.15g is below the minimum %.15g%s", kind,
                     lo_name, lo, min, why);
  }
  if (lo > max) {
    return spec_fail(err, ELMO_ERANGE, path, "%s %s %.15g is above the maximum %.15g", kind,
                     lo_name, lo, max);
  }
  if (hi < lo) {
    return spec_fail(err, ELMO_ERANGE, path, "%s %s %.15g is below its %s %.15g", kind, hi_name,
                     hi, lo_name, lo);
  }
  if (isfinite(hi) && hi > max) { /* an unbounded tail is clamped at max (spec.h) */
    return spec_fail(err, ELMO_ERANGE, path, "%s %s %.15g is above the maximum %.15g", kind,
                     hi_name, hi, max);
  }
  return ELMO_OK;
}

/* key_ranges and n of the key-access model, before the model itself is validated. */
static elmo_rc check_key_n(const elmo_spec_phase *p, const char *ph, uint64_t num_keys,
                           elmo_error *err) {
  char path[SPEC_PATH_MAX];
  const elmo_dist *d = &p->key_access;
  snprintf(path, sizeof(path), "%s.key_ranges", ph);
  if (d->kind != ELMO_DIST_TWO_TERM_EXP) {
    if (p->key_ranges != 0) {
      return spec_fail(err, ELMO_EINVAL, path,
                       "only for key_access two_term_exp (must be 0, got %d)", p->key_ranges);
    }
    if (!elmo_dist_is_rank(d->kind) || d->n == num_keys) return ELMO_OK;
    snprintf(path, sizeof(path), "%s.key_access.n", ph);
    return spec_fail(err, ELMO_EINVAL, path, "is %llu, must be num_keys %llu",
                     (unsigned long long)d->n, (unsigned long long)num_keys);
  }
  uint64_t max = num_keys < ELMO_SPEC_KEY_RANGES_MAX ? num_keys : ELMO_SPEC_KEY_RANGES_MAX;
  if (p->key_ranges < 1 || (uint64_t)p->key_ranges > max) {
    return spec_fail(err, ELMO_ERANGE, path, "%d is out of range 1..%llu (at most num_keys and %d)",
                     p->key_ranges, (unsigned long long)max, ELMO_SPEC_KEY_RANGES_MAX);
  }
  if (d->n == (uint64_t)p->key_ranges) return ELMO_OK;
  snprintf(path, sizeof(path), "%s.key_access.n", ph);
  return spec_fail(err, ELMO_EINVAL, path, "is %llu, must be key_ranges %d",
                   (unsigned long long)d->n, p->key_ranges);
}

static elmo_rc check_key_access(const elmo_spec_phase *p, const char *ph, uint64_t num_keys,
                                elmo_error *err) {
  char path[SPEC_PATH_MAX];
  const elmo_dist *d = &p->key_access;
  snprintf(path, sizeof(path), "%s.key_access", ph);
  elmo_rc rc = spec_check_kind(d->kind, 1, path, err);
  if (rc == ELMO_OK) rc = check_canonical(d, path, err);
  if (rc == ELMO_OK) rc = check_key_n(p, ph, num_keys, err);
  if (rc != ELMO_OK) return rc;
  elmo_error inner;
  if (elmo_dist_validate(d, elmo_dist_is_rank(d->kind), &inner) != ELMO_OK) {
    return spec_wrap(err, ELMO_EINVAL, path, &inner);
  }
  if (d->kind == ELMO_DIST_UNIFORM && (d->params[0] < 0 || d->params[1] > (double)num_keys)) {
    return spec_fail(err, ELMO_ERANGE, path,
                     "uniform [%g, %g) leaves the key indices [0, num_keys = %llu)", d->params[0],
                     d->params[1], (unsigned long long)num_keys);
  }
  return ELMO_OK;
}

/* ---- the rest of a phase ------------------------------------------------------------------- */

/* The mix of a phase or a group (base names it): fractions in 0..1 that sum to 1. */
static elmo_rc check_mix(const double *mix, const char *base, elmo_error *err) {
  char path[SPEC_PATH_MAX];
  double sum = 0;
  for (int op = 0; op < ELMO_SPEC_OP_COUNT; op++) {
    double v = mix[op];
    snprintf(path, sizeof(path), "%s.mix.%s", base, elmo_spec_op_name((elmo_spec_op)op));
    if (!isfinite(v)) return spec_fail(err, ELMO_EINVAL, path, "must be a finite number");
    if (v < 0 || v > 1) return spec_fail(err, ELMO_ERANGE, path, "%g is out of range 0..1", v);
    sum += v;
  }
  if (fabs(sum - 1) > ELMO_SPEC_MIX_TOLERANCE) {
    snprintf(path, sizeof(path), "%s.mix", base);
    return spec_fail(err, ELMO_EINVAL, path, "fractions sum to %.9g, must be 1 (within %g)", sum,
                     ELMO_SPEC_MIX_TOLERANCE);
  }
  return ELMO_OK;
}

static int is_fixed_zero(const elmo_dist *d) {
  if (d->kind != ELMO_DIST_FIXED || d->n != 0) return 0;
  for (int i = 0; i < ELMO_DIST_PARAMS_MAX; i++) {
    if (d->params[i] != 0) return 0;
  }
  return 1;
}

/* scan_length and multiget_size, which only mean something with seeks / multigets. */
static elmo_rc check_op_extras(const elmo_spec_phase *p, const char *ph, elmo_error *err) {
  char path[SPEC_PATH_MAX];
  snprintf(path, sizeof(path), "%s.scan_length", ph);
  if (p->mix[ELMO_SPEC_SEEK] > 0) {
    elmo_rc rc = check_size(&p->scan_length, path, 0, ELMO_SPEC_SCAN_LENGTH_MAX, "", err);
    if (rc != ELMO_OK) return rc;
  } else if (!is_fixed_zero(&p->scan_length)) {
    return spec_fail(err, ELMO_EINVAL, path,
                     "only with mix.seek > 0 (must be fixed 0 without seeks)");
  }
  snprintf(path, sizeof(path), "%s.multiget_size", ph);
  if (p->mix[ELMO_SPEC_MULTIGET] > 0) {
    if (p->multiget_size < 1 || p->multiget_size > ELMO_SPEC_MULTIGET_MAX) {
      return spec_fail(err, ELMO_ERANGE, path, "%d is out of range 1..%d", p->multiget_size,
                       ELMO_SPEC_MULTIGET_MAX);
    }
  } else if (p->multiget_size != 1) {
    return spec_fail(err, ELMO_EINVAL, path,
                     "only with mix.multiget > 0 (must be 1 without multigets, got %d)",
                     p->multiget_size);
  }
  return ELMO_OK;
}

/* Whether target + 2πk lies in [lo, hi] for some whole k. */
static int hits(double lo, double hi, double target) {
  double k = ceil((lo - target) / TWO_PI);
  return target + TWO_PI * k <= hi;
}

/* Lowest and highest a·sin(b·t + c) + d for t in [0, dur]. */
static void sine_range(const elmo_spec_rate *r, double dur, double *min, double *max) {
  double x0 = r->c, x1 = r->b * dur + r->c, amp = fabs(r->a);
  if (x1 < x0) {
    double t = x0;
    x0 = x1, x1 = t;
  }
  if (!(x1 - x0 < TWO_PI)) { /* a full period (or an overflow): both extremes are reached */
    *min = r->d - amp, *max = r->d + amp;
    return;
  }
  double y0 = r->a * sin(x0), y1 = r->a * sin(x1);
  double lo = y0 < y1 ? y0 : y1, hi = y0 < y1 ? y1 : y0;
  double top = r->a >= 0 ? TWO_PI / 4 : -TWO_PI / 4; /* where a·sin(x) = |a| */
  if (hits(x0, x1, top)) hi = amp;
  if (hits(x0, x1, -top)) lo = -amp;
  *min = r->d + lo, *max = r->d + hi;
}

static elmo_rc check_sine(const elmo_spec_rate *r, double dur, const char *path, elmo_error *err) {
  const double v[4] = {r->a, r->b, r->c, r->d};
  for (int i = 0; i < 4; i++) {
    if (!isfinite(v[i])) {
      return spec_fail(err, ELMO_EINVAL, path, "sine field '%c' must be a finite number", 'a' + i);
    }
  }
  double min, max;
  sine_range(r, dur, &min, &max);
  if (!(min > 0)) {
    return spec_fail(err, ELMO_ERANGE, path,
                     "sine qps a*sin(b*t+c)+d falls to %g within the phase (t in 0..%g s); it "
                     "must stay > 0 (e.g. d > |a|)",
                     min, dur);
  }
  if (max > ELMO_SPEC_QPS_MAX) {
    return spec_fail(err, ELMO_ERANGE, path, "sine qps reaches %g, above the maximum %g", max,
                     ELMO_SPEC_QPS_MAX);
  }
  return ELMO_OK;
}

/* The rate of a phase or a group (base names it) over a phase of dur seconds. */
static elmo_rc check_rate(const elmo_spec_rate *r, double dur, const char *base, elmo_error *err) {
  char path[SPEC_PATH_MAX];
  snprintf(path, sizeof(path), "%s.rate", base);
  const char *kind = spec_rate_kind_name(r->kind);
  if (kind == NULL) {
    return spec_fail(err, ELMO_EINVAL, path, "unknown kind %d (allowed: unlimited, fixed, sine)",
                     (int)r->kind);
  }
  int sine = r->kind == ELMO_RATE_SINE;
  if ((r->kind != ELMO_RATE_FIXED && r->qps != 0) ||
      (!sine && (r->a != 0 || r->b != 0 || r->c != 0 || r->d != 0))) {
    return spec_fail(err, ELMO_EINVAL, path, "fields unused by kind %s must be 0", kind);
  }
  if (sine) return check_sine(r, dur, path, err);
  if (r->kind == ELMO_RATE_FIXED && !(r->qps > 0 && r->qps <= ELMO_SPEC_QPS_MAX)) {
    snprintf(path, sizeof(path), "%s.rate.qps", base);
    return spec_fail(err, ELMO_ERANGE, path, "%g is out of range (0, %g]", r->qps,
                     ELMO_SPEC_QPS_MAX);
  }
  return ELMO_OK;
}

/* The threads of a phase or a group (base names it). */
static elmo_rc check_threads(int threads, const char *base, elmo_error *err) {
  char path[SPEC_PATH_MAX];
  snprintf(path, sizeof(path), "%s.threads", base);
  if (threads < 1 || threads > ELMO_SPEC_MAX_THREADS) {
    return spec_fail(err, ELMO_ERANGE, path, "%d is out of range 1..%d", threads,
                     ELMO_SPEC_MAX_THREADS);
  }
  return ELMO_OK;
}

static elmo_rc check_times(const elmo_spec_phase *p, const char *ph, elmo_error *err) {
  char path[SPEC_PATH_MAX];
  snprintf(path, sizeof(path), "%s.start_sec", ph);
  if (!(p->start_sec >= 0 && p->start_sec < ELMO_SPEC_SECONDS_MAX)) {
    return spec_fail(err, ELMO_ERANGE, path, "%.15g is out of range [0, %.15g)", p->start_sec,
                     ELMO_SPEC_SECONDS_MAX);
  }
  snprintf(path, sizeof(path), "%s.duration_sec", ph);
  if (!(p->duration_sec > 0 && p->duration_sec <= ELMO_SPEC_SECONDS_MAX)) {
    return spec_fail(err, ELMO_ERANGE, path, "%.15g is out of range (0, %.15g]", p->duration_sec,
                     ELMO_SPEC_SECONDS_MAX);
  }
  if (p->start_sec + p->duration_sec > ELMO_SPEC_SECONDS_MAX) {
    return spec_fail(err, ELMO_ERANGE, path, "the phase ends at %.15g s, after the limit %.15g s",
                     p->start_sec + p->duration_sec, ELMO_SPEC_SECONDS_MAX);
  }
  return ELMO_OK;
}

/* ---- thread groups ------------------------------------------------------------------------- */

#define GROUP_MIX_TOLERANCE 1e-9 /* |a grouped phase's mix - the groups' weighted mix| per op */

/* The threads and thread-weighted mix of p's groups: what a grouped phase's must be. */
static void groups_sum(const elmo_spec_phase *p, long *threads, double mix[ELMO_SPEC_OP_COUNT]) {
  double weighted[ELMO_SPEC_OP_COUNT] = {0};
  long sum = 0;
  for (size_t g = 0; g < p->n_groups && g < ELMO_SPEC_MAX_GROUPS; g++) {
    const elmo_spec_group *gr = &p->groups[g];
    sum += gr->threads;
    for (int op = 0; op < ELMO_SPEC_OP_COUNT; op++) weighted[op] += gr->threads * gr->mix[op];
  }
  for (int op = 0; op < ELMO_SPEC_OP_COUNT; op++) {
    mix[op] = sum > 0 ? weighted[op] / (double)sum : 0;
  }
  *threads = sum;
}

void spec_groups_derive(elmo_spec_phase *p) {
  long threads;
  groups_sum(p, &threads, p->mix);
  p->threads = (int)threads;
  memset(&p->rate, 0, sizeof(p->rate));
  p->rate.kind = ELMO_RATE_UNLIMITED;
}

static int is_zero_group(const elmo_spec_group *g) {
  static const elmo_spec_group zero;
  if (memcmp(g->name, zero.name, sizeof(zero.name)) != 0 || g->threads != 0) return 0;
  for (int op = 0; op < ELMO_SPEC_OP_COUNT; op++) {
    if (g->mix[op] != 0) return 0;
  }
  const elmo_spec_rate *r = &g->rate;
  return r->kind == 0 && r->qps == 0 && r->a == 0 && r->b == 0 && r->c == 0 && r->d == 0;
}

/* One group on its own (base: "phases[i].groups[g]"); dur is its phase's duration. */
static elmo_rc check_group(const elmo_spec_group *g, double dur, const char *base,
                           elmo_error *err) {
  char path[SPEC_PATH_MAX];
  snprintf(path, sizeof(path), "%s.name", base);
  elmo_rc rc = spec_check_name(g->name, path, err);
  if (rc == ELMO_OK) rc = check_threads(g->threads, base, err);
  if (rc == ELMO_OK) rc = check_mix(g->mix, base, err);
  if (rc == ELMO_OK) rc = check_rate(&g->rate, dur, base, err);
  return rc;
}

/* A grouped phase's threads, mix and rate are the ones its groups imply. */
static elmo_rc check_derived(const elmo_spec_phase *p, const char *ph, elmo_error *err) {
  char path[SPEC_PATH_MAX];
  long threads;
  double mix[ELMO_SPEC_OP_COUNT];
  groups_sum(p, &threads, mix);
  snprintf(path, sizeof(path), "%s.groups", ph);
  if (threads > ELMO_SPEC_MAX_THREADS) {
    return spec_fail(err, ELMO_ERANGE, path, "the groups' threads sum to %ld, at most %d", threads,
                     ELMO_SPEC_MAX_THREADS);
  }
  snprintf(path, sizeof(path), "%s.threads", ph);
  if (p->threads != threads) {
    return spec_fail(err, ELMO_EINVAL, path, "is %d, must be %ld, the sum of the groups' threads",
                     p->threads, threads);
  }
  for (int op = 0; op < ELMO_SPEC_OP_COUNT; op++) {
    snprintf(path, sizeof(path), "%s.mix.%s", ph, elmo_spec_op_name((elmo_spec_op)op));
    if (!(fabs(p->mix[op] - mix[op]) <= GROUP_MIX_TOLERANCE)) {
      return spec_fail(err, ELMO_EINVAL, path,
                       "is %.17g, must be %.17g, the groups' mixes weighted by their threads "
                       "(within %g)",
                       p->mix[op], mix[op], GROUP_MIX_TOLERANCE);
    }
  }
  const elmo_spec_rate *r = &p->rate;
  snprintf(path, sizeof(path), "%s.rate", ph);
  if (r->kind != ELMO_RATE_UNLIMITED || r->qps != 0 || r->a != 0 || r->b != 0 || r->c != 0 ||
      r->d != 0) {
    return spec_fail(err, ELMO_EINVAL, path,
                     "must be unlimited with all fields 0 when the phase has groups (each group "
                     "has its own rate)");
  }
  return ELMO_OK;
}

/* n_groups, the groups, the unused slots and what the groups imply for the phase. */
static elmo_rc check_groups(const elmo_spec_phase *p, const char *ph, elmo_error *err) {
  char path[SPEC_PATH_MAX];
  if (p->n_groups > ELMO_SPEC_MAX_GROUPS) {
    snprintf(path, sizeof(path), "%s.groups", ph);
    return spec_fail(err, ELMO_ERANGE, path, "n_groups is %zu, at most %d", p->n_groups,
                     ELMO_SPEC_MAX_GROUPS);
  }
  for (size_t g = p->n_groups; g < ELMO_SPEC_MAX_GROUPS; g++) {
    if (is_zero_group(&p->groups[g])) continue;
    snprintf(path, sizeof(path), "%s.groups[%zu]", ph, g);
    return spec_fail(err, ELMO_EINVAL, path, "unused (n_groups is %zu) and must be all zero",
                     p->n_groups);
  }
  for (size_t g = 0; g < p->n_groups; g++) {
    char base[64]; /* short enough for base.field to fit in SPEC_PATH_MAX */
    snprintf(base, sizeof(base), "%s.groups[%u]", ph, (unsigned)g);
    elmo_rc rc = check_group(&p->groups[g], p->duration_sec, base, err);
    if (rc != ELMO_OK) return rc;
    for (size_t h = 0; h < g; h++) {
      if (strcmp(p->groups[h].name, p->groups[g].name) != 0) continue;
      snprintf(path, sizeof(path), "%s.groups[%zu].name", ph, g);
      return spec_fail(err, ELMO_EINVAL, path, "'%s' is already the name of groups[%zu]",
                       p->groups[g].name, h);
    }
  }
  return p->n_groups > 0 ? check_derived(p, ph, err) : ELMO_OK;
}

elmo_rc spec_check_phase(const elmo_spec_phase *p, size_t index, uint64_t num_keys,
                         elmo_error *err) {
  char ph[32], path[SPEC_PATH_MAX];
  snprintf(ph, sizeof(ph), "phases[%zu]", index);
  snprintf(path, sizeof(path), "%s.name", ph);
  elmo_rc rc = spec_check_name(p->name, path, err);
  if (rc == ELMO_OK) rc = check_times(p, ph, err);
  if (rc == ELMO_OK) rc = check_groups(p, ph, err);
  if (rc == ELMO_OK) rc = check_threads(p->threads, ph, err);
  if (rc == ELMO_OK) rc = check_mix(p->mix, ph, err);
  if (rc == ELMO_OK) rc = check_key_access(p, ph, num_keys, err);
  if (rc != ELMO_OK) return rc;
  snprintf(path, sizeof(path), "%s.value_size", ph);
  rc = check_size(&p->value_size, path, 0, ELMO_SPEC_VALUE_SIZE_MAX, "", err);
  if (rc == ELMO_OK) rc = check_op_extras(p, ph, err);
  if (rc == ELMO_OK) rc = check_rate(&p->rate, p->duration_sec, ph, err);
  return rc;
}

/* ---- the whole spec ------------------------------------------------------------------------ */

elmo_rc spec_check_top(const elmo_spec *s, elmo_error *err) {
  elmo_rc rc = spec_check_name(s->name, "name", err);
  if (rc != ELMO_OK) return rc;
  if (memchr(s->description, '\0', sizeof(s->description)) == NULL) {
    return spec_fail(err, ELMO_ERANGE, "description", "longer than %d bytes",
                     ELMO_SPEC_DESCRIPTION_MAX - 1);
  }
  if (s->num_keys < 1 || s->num_keys > ELMO_SPEC_NUM_KEYS_MAX) {
    return spec_fail(err, ELMO_ERANGE, "num_keys", "%llu is out of range 1..%llu (2^40)",
                     (unsigned long long)s->num_keys, (unsigned long long)ELMO_SPEC_NUM_KEYS_MAX);
  }
  rc = check_size(&s->key_size, "key_size", ELMO_SPEC_KEY_SIZE_MIN, ELMO_SPEC_KEY_SIZE_MAX,
                  " (a key holds its 8-byte index)", err);
  if (rc != ELMO_OK) return rc;
  if (s->preload != 0 && s->preload != 1) {
    return spec_fail(err, ELMO_EINVAL, "preload", "must be 0 or 1, got %d", s->preload);
  }
  rc = check_size(&s->preload_value_size, "preload_value_size", 0, ELMO_SPEC_VALUE_SIZE_MAX, "",
                  err);
  return rc;
}

elmo_rc spec_check_phases(const elmo_spec *s, const size_t *orig, elmo_error *err) {
  char path[SPEC_PATH_MAX];
  for (size_t i = 1; i < s->n_phases; i++) {
    const elmo_spec_phase *prev = &s->phases[i - 1], *cur = &s->phases[i];
    size_t ci = orig ? orig[i] : i, pi = orig ? orig[i - 1] : i - 1;
    double end = prev->start_sec + prev->duration_sec;
    snprintf(path, sizeof(path), "phases[%zu].start_sec", ci);
    if (cur->start_sec < prev->start_sec) {
      return spec_fail(err, ELMO_EINVAL, path,
                       "%.15g is before the start %.15g of phases[%zu]; phases must be sorted by "
                       "start_sec",
                       cur->start_sec, prev->start_sec, pi);
    }
    if (cur->start_sec < end) {
      return spec_fail(err, ELMO_EINVAL, path, "overlaps phases[%zu], which ends at %.15g", pi,
                       end);
    }
  }
  for (size_t i = 0; i < s->n_phases; i++) {
    for (size_t j = i + 1; j < s->n_phases; j++) {
      if (strcmp(s->phases[i].name, s->phases[j].name) != 0) continue;
      size_t a = orig ? orig[i] : i, b = orig ? orig[j] : j;
      snprintf(path, sizeof(path), "phases[%zu].name", a > b ? a : b);
      return spec_fail(err, ELMO_EINVAL, path, "'%s' is already the name of phases[%zu]",
                       s->phases[i].name, a > b ? b : a);
    }
  }
  return ELMO_OK;
}
