/* fit_dist.c — the models of fit.h: random numbers, names, validation, CDF, density, mean. The
 * samplers are in fit_sample.c. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fit_internal.h"
#include "elmo/number.h"

/* ---- random numbers: xoshiro256** seeded by splitmix64 ------------------------------------- */

static uint64_t splitmix64(uint64_t *state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

void elmo_rng_seed(elmo_rng *rng, uint64_t seed) {
  for (int i = 0; i < 4; i++) rng->s[i] = splitmix64(&seed);
}

uint64_t elmo_rng_next(elmo_rng *rng) {
  uint64_t *s = rng->s;
  uint64_t result = rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

double elmo_rng_uniform(elmo_rng *rng) {
  /* (k + 0.5) / 2^53 for k in [0, 2^53): never 0, never 1. */
  return ((double)(elmo_rng_next(rng) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

double elmo_rng_normal(elmo_rng *rng) {
  double u1 = elmo_rng_uniform(rng), u2 = elmo_rng_uniform(rng);
  return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* ---- names --------------------------------------------------------------------------------- */

typedef struct kind_info {
  const char *name;
  size_t n_params;
  const char *params[ELMO_DIST_PARAMS_MAX];
  int rank; /* discrete over 1..n */
} kind_info;

static const kind_info kKinds[ELMO_DIST_KIND_COUNT] = {
    [ELMO_DIST_FIXED] = {"fixed", 1, {"value"}, 0},
    [ELMO_DIST_UNIFORM] = {"uniform", 2, {"min", "max"}, 0},
    [ELMO_DIST_NORMAL] = {"normal", 2, {"mean", "stddev"}, 0},
    [ELMO_DIST_EXPONENTIAL] = {"exponential", 1, {"lambda"}, 0},
    [ELMO_DIST_PARETO] = {"pareto", 2, {"xm", "alpha"}, 0},
    [ELMO_DIST_GPARETO] = {"gpareto", 3, {"theta", "sigma", "k"}, 0},
    [ELMO_DIST_ZIPFIAN] = {"zipfian", 1, {"theta"}, 1},
    [ELMO_DIST_LATEST] = {"latest", 1, {"theta"}, 1},
    [ELMO_DIST_POWER] = {"power", 2, {"a", "b"}, 0},
    [ELMO_DIST_TWO_TERM_EXP] = {"two_term_exp", 4, {"a", "b", "c", "d"}, 1},
    [ELMO_DIST_CLASSES] = {"classes", 0, {NULL}, 1},
};

static const kind_info *info_of(elmo_dist_kind kind) {
  return ((unsigned)kind < ELMO_DIST_KIND_COUNT) ? &kKinds[kind] : NULL;
}

const char *elmo_dist_kind_name(elmo_dist_kind kind) {
  const kind_info *k = info_of(kind);
  return k ? k->name : NULL;
}

elmo_rc elmo_dist_kind_from_name(const char *name, elmo_dist_kind *out, elmo_error *err) {
  *out = ELMO_DIST_FIXED;
  for (int i = 0; name != NULL && i < ELMO_DIST_KIND_COUNT; i++) {
    if (strcmp(name, kKinds[i].name) == 0) {
      *out = (elmo_dist_kind)i;
      return ELMO_OK;
    }
  }
  return elmo_error_set(err, ELMO_ENOTFOUND,
                        "unknown distribution '%.60s' (known: fixed, uniform, normal, exponential, "
                        "pareto, gpareto, zipfian, latest, power, two_term_exp, classes)",
                        name ? name : "(null)");
}

size_t elmo_dist_param_count(elmo_dist_kind kind) {
  const kind_info *k = info_of(kind);
  return k ? k->n_params : 0;
}

const char *elmo_dist_param_name(elmo_dist_kind kind, size_t i) {
  const kind_info *k = info_of(kind);
  return (k && i < k->n_params) ? k->params[i] : NULL;
}

int elmo_dist_is_rank(elmo_dist_kind kind) {
  const kind_info *k = info_of(kind);
  return k ? k->rank : 0;
}

int elmo_dist_can_clamp(elmo_dist_kind kind) {
  return kind == ELMO_DIST_NORMAL || kind == ELMO_DIST_EXPONENTIAL || kind == ELMO_DIST_PARETO ||
         kind == ELMO_DIST_GPARETO;
}

size_t elmo_dist_free_params(const elmo_dist *d) {
  if (d == NULL) return 0;
  if (d->kind == ELMO_DIST_CLASSES) return d->n_classes ? 2 * d->n_classes - 1 : 0;
  size_t n = elmo_dist_param_count(d->kind);
  return n + ((d->clamp & ELMO_DIST_CLAMP_MIN) != 0) + ((d->clamp & ELMO_DIST_CLAMP_MAX) != 0);
}

/* ---- validation ---------------------------------------------------------------------------- */

#define TWO_TERM_EXP_N_MAX (1u << 24) /* ranges; the sampler keeps a table of n doubles */
#define RANK_N_MAX 9007199254740992.0 /* 2^53: ranks stay exact in a double */

static elmo_rc bad_param(const elmo_dist *d, size_t i, const char *rule, elmo_error *err) {
  return elmo_error_set(err, ELMO_EINVAL, "%s: field '%s' must be %s, got %g", kKinds[d->kind].name,
                        kKinds[d->kind].params[i], rule, d->params[i]);
}

double fit_tte_weight(const double *p, double x) {
  return p[0] * exp(p[1] * x) + p[2] * exp(p[3] * x);
}

static elmo_rc validate_tte(const elmo_dist *d, elmo_error *err) {
  if (d->n > TWO_TERM_EXP_N_MAX) {
    return elmo_error_set(err, ELMO_EINVAL, "two_term_exp: field 'n' must be <= %u, got %llu",
                          TWO_TERM_EXP_N_MAX, (unsigned long long)d->n);
  }
  double sum = 0;
  for (uint64_t x = 1; x <= d->n; x++) {
    double w = fit_tte_weight(d->params, (double)x);
    if (!(w >= 0) || !isfinite(w)) {
      return elmo_error_set(err, ELMO_EINVAL,
                            "two_term_exp: weight a*e^(b*x)+c*e^(d*x) at range x=%llu is %g; it "
                            "must be finite and >= 0",
                            (unsigned long long)x, w);
    }
    sum += w;
  }
  if (d->n > 0 && !(sum > 0 && isfinite(sum))) {
    return elmo_error_set(err, ELMO_EINVAL, "two_term_exp: the weights sum to %g; need > 0", sum);
  }
  return ELMO_OK;
}

static elmo_rc validate_params(const elmo_dist *d, elmo_error *err) {
  const double *p = d->params;
  switch (d->kind) {
    case ELMO_DIST_UNIFORM:
      return p[1] > p[0] ? ELMO_OK : bad_param(d, 1, "> min", err);
    case ELMO_DIST_NORMAL:
      return p[1] > 0 ? ELMO_OK : bad_param(d, 1, "> 0", err);
    case ELMO_DIST_EXPONENTIAL:
      return p[0] > 0 ? ELMO_OK : bad_param(d, 0, "> 0", err);
    case ELMO_DIST_PARETO:
      if (!(p[0] > 0)) return bad_param(d, 0, "> 0", err);
      return p[1] > 0 ? ELMO_OK : bad_param(d, 1, "> 0", err);
    case ELMO_DIST_GPARETO:
      return p[1] > 0 ? ELMO_OK : bad_param(d, 1, "> 0", err);
    case ELMO_DIST_ZIPFIAN:
    case ELMO_DIST_LATEST:
      return p[0] > 0 ? ELMO_OK : bad_param(d, 0, "a number > 0", err);
    case ELMO_DIST_POWER:
      if (!(p[0] > 0)) return bad_param(d, 0, "> 0", err);
      return p[1] > 0 ? ELMO_OK : bad_param(d, 1, "> 0", err);
    case ELMO_DIST_TWO_TERM_EXP:
      return validate_tte(d, err);
    default:
      return ELMO_OK;
  }
}

static elmo_rc validate_clamp(const elmo_dist *d, elmo_error *err) {
  const char *name = kKinds[d->kind].name;
  if (d->clamp & ~(ELMO_DIST_CLAMP_MIN | ELMO_DIST_CLAMP_MAX)) {
    return elmo_error_set(err, ELMO_EINVAL, "%s: unknown clamp bits 0x%x", name, d->clamp);
  }
  if (d->clamp != 0 && !elmo_dist_can_clamp(d->kind)) {
    return elmo_error_set(err, ELMO_EINVAL,
                          "%s: takes no clamp (fields 'min'/'max' clamp only normal, exponential, "
                          "pareto and gpareto)",
                          name);
  }
  if ((d->clamp & ELMO_DIST_CLAMP_MIN) && !isfinite(d->clamp_min)) {
    return elmo_error_set(err, ELMO_EINVAL, "%s: field 'min' must be a finite number, got %g",
                          name, d->clamp_min);
  }
  if ((d->clamp & ELMO_DIST_CLAMP_MAX) && !isfinite(d->clamp_max)) {
    return elmo_error_set(err, ELMO_EINVAL, "%s: field 'max' must be a finite number, got %g",
                          name, d->clamp_max);
  }
  if (d->clamp == (ELMO_DIST_CLAMP_MIN | ELMO_DIST_CLAMP_MAX) && !(d->clamp_min < d->clamp_max)) {
    return elmo_error_set(err, ELMO_EINVAL, "%s: field 'min' (%g) must be below 'max' (%g)", name,
                          d->clamp_min, d->clamp_max);
  }
  return ELMO_OK;
}

#define CLASSES_SUM_TOLERANCE 1e-6

static elmo_rc validate_classes(const elmo_dist *d, elmo_error *err) {
  if (d->n_classes < 1 || d->n_classes > ELMO_DIST_CLASSES_MAX) {
    return elmo_error_set(err, ELMO_EINVAL, "classes: %zu classes, must be 1..%d", d->n_classes,
                          ELMO_DIST_CLASSES_MAX);
  }
  double keys = 0, shares = 0;
  for (size_t g = 0; g < d->n_classes; g++) {
    double k = d->class_keys[g], s = d->class_shares[g];
    if (!(k > 0 && k <= 1)) {
      return elmo_error_set(err, ELMO_EINVAL, "classes: keys[%zu] must be in (0, 1], got %g", g, k);
    }
    if (!(s > 0 && s <= 1)) {
      return elmo_error_set(err, ELMO_EINVAL, "classes: shares[%zu] must be in (0, 1], got %g", g,
                            s);
    }
    if (g > 0 && s / k > d->class_shares[g - 1] / d->class_keys[g - 1] * (1 + 1e-9)) {
      return elmo_error_set(err, ELMO_EINVAL,
                            "classes: class %zu is hotter per key (shares/keys %g) than class %zu "
                            "(%g); list the classes hottest first",
                            g, s / k, g - 1, d->class_shares[g - 1] / d->class_keys[g - 1]);
    }
    keys += k, shares += s;
  }
  if (fabs(keys - 1) > CLASSES_SUM_TOLERANCE || fabs(shares - 1) > CLASSES_SUM_TOLERANCE) {
    return elmo_error_set(err, ELMO_EINVAL,
                          "classes: keys sum to %.9g and shares to %.9g; each must sum to 1 "
                          "(within %g)",
                          keys, shares, CLASSES_SUM_TOLERANCE);
  }
  if (d->n > 0 && d->n < d->n_classes) {
    return elmo_error_set(err, ELMO_EINVAL, "classes: %zu classes need n >= %zu ranks, got %llu",
                          d->n_classes, d->n_classes, (unsigned long long)d->n);
  }
  return ELMO_OK;
}

/* The arrays of a classes dist are 0 outside it, and past n_classes. */
static elmo_rc validate_extras(const elmo_dist *d, elmo_error *err) {
  size_t used = d->kind == ELMO_DIST_CLASSES ? d->n_classes : 0;
  if (d->kind != ELMO_DIST_CLASSES && d->n_classes != 0) {
    return elmo_error_set(err, ELMO_EINVAL, "%s: n_classes must be 0, got %zu",
                          kKinds[d->kind].name, d->n_classes);
  }
  for (size_t g = used; g < ELMO_DIST_CLASSES_MAX; g++) {
    if (d->class_keys[g] != 0 || d->class_shares[g] != 0) {
      return elmo_error_set(err, ELMO_EINVAL, "%s: class arrays past entry %zu must be 0",
                            kKinds[d->kind].name, used);
    }
  }
  return d->kind == ELMO_DIST_CLASSES ? validate_classes(d, err) : ELMO_OK;
}

elmo_rc elmo_dist_validate(const elmo_dist *d, int need_n, elmo_error *err) {
  if (d == NULL) return elmo_error_set(err, ELMO_EINVAL, "dist is NULL");
  const kind_info *k = info_of(d->kind);
  if (k == NULL) return elmo_error_set(err, ELMO_EINVAL, "unknown dist kind %d", (int)d->kind);
  elmo_rc rc = validate_clamp(d, err);
  if (rc == ELMO_OK) rc = validate_extras(d, err);
  if (rc != ELMO_OK) return rc;
  for (size_t i = 0; i < k->n_params; i++) {
    if (!isfinite(d->params[i])) return bad_param(d, i, "a finite number", err);
  }
  if (k->rank && need_n && d->n == 0) {
    return elmo_error_set(err, ELMO_EINVAL, "%s: field 'n' (number of ranks) must be >= 1, got 0",
                          k->name);
  }
  if (k->rank && (double)d->n > RANK_N_MAX) {
    return elmo_error_set(err, ELMO_EINVAL, "%s: field 'n' must be <= 2^53, got %llu", k->name,
                          (unsigned long long)d->n);
  }
  return validate_params(d, err);
}

static int valid(const elmo_dist *d) { return elmo_dist_validate(d, 1, NULL) == ELMO_OK; }

/* ---- generalized harmonic numbers ---------------------------------------------------------- */

void fit_zeta_init(fit_zeta *z, double theta) {
  z->theta = theta;
  z->pre[0] = 0;
  for (int k = 1; k <= FIT_ZETA_HEAD; k++) z->pre[k] = z->pre[k - 1] + pow((double)k, -theta);
}

/* sum_{j=M+1}^{k} j^-theta by Euler–Maclaurin (terms through B6) for k > M = FIT_ZETA_HEAD. */
static double zeta_tail(double theta, double k) {
  const double m = FIT_ZETA_HEAD;
  double lr = log(k / m), s = 1.0 - theta, integral;
  if (fabs(s * lr) < 1e-12) {
    integral = pow(m, s) * lr;
  } else {
    integral = pow(m, s) * expm1(s * lr) / s;
  }
  double fk = pow(k, -theta), fm = pow(m, -theta);
  double c1 = -theta, c3 = -theta * (theta + 1) * (theta + 2);
  double c5 = c3 * (theta + 3) * (theta + 4);
  double d1 = c1 * (fk / k - fm / m);
  double d3 = c3 * (fk / (k * k * k) - fm / (m * m * m));
  double d5 = c5 * (fk / (k * k * k * k * k) - fm / (m * m * m * m * m));
  return integral + (fk - fm) / 2 + d1 / 12 - d3 / 720 + d5 / 30240;
}

double fit_zeta_h(const fit_zeta *z, double k) {
  k = floor(k);
  if (k < 1) return 0;
  if (k <= FIT_ZETA_HEAD) return z->pre[(int)k];
  return z->pre[FIT_ZETA_HEAD] + zeta_tail(z->theta, k);
}

double fit_zipf_cdf(const fit_zeta *z, double n, double x) {
  if (x < 1) return 0;
  if (x >= n) return 1;
  return fit_zeta_h(z, x) / fit_zeta_h(z, n);
}

/* ---- CDF ----------------------------------------------------------------------------------- */

static double gpareto_cdf(const double *p, double x) {
  double z = (x - p[0]) / p[1], k = p[2];
  if (z <= 0) return 0;
  if (k == 0) return -expm1(-z);
  if (k < 0 && z >= -1.0 / k) return 1;
  return -expm1(-log1p(k * z) / k);
}

static double tte_total(const elmo_dist *d) {
  double total = 0;
  for (uint64_t i = 1; i <= d->n; i++) total += fit_tte_weight(d->params, (double)i);
  return total;
}

static double tte_cdf(const elmo_dist *d, double x) {
  double below = 0, total = 0;
  for (uint64_t i = 1; i <= d->n; i++) {
    double w = fit_tte_weight(d->params, (double)i);
    total += w;
    if ((double)i <= x) below += w;
  }
  return below / total;
}

/* classes: the first rank of class g is start[g] + 1; class g ends at start[g + 1]. Boundaries
 * are round(n · cumulative keys), forced to give every class at least one rank. */
void fit_classes_bounds(const elmo_dist *d, double start[ELMO_DIST_CLASSES_MAX + 1]) {
  double cum = 0, n = (double)d->n;
  start[0] = 0;
  for (size_t g = 0; g < d->n_classes; g++) {
    cum += d->class_keys[g];
    double b = g + 1 == d->n_classes ? n : round(n * cum);
    if (b < start[g] + 1) b = start[g] + 1;
    if (b > n - (double)(d->n_classes - g - 1)) b = n - (double)(d->n_classes - g - 1);
    start[g + 1] = b;
  }
}

static double classes_cdf(const elmo_dist *d, double x) {
  if (x < 1) return 0;
  if (x >= (double)d->n) return 1;
  double start[ELMO_DIST_CLASSES_MAX + 1], below = 0;
  fit_classes_bounds(d, start);
  x = floor(x);
  for (size_t g = 0; g < d->n_classes; g++) {
    if (x >= start[g + 1]) {
      below += d->class_shares[g];
      continue;
    }
    return below + d->class_shares[g] * (x - start[g]) / (start[g + 1] - start[g]);
  }
  return 1;
}

static double cdf_unclamped(const elmo_dist *d, double x);

/* With clamps: 0 below min, F(x) on [min, max), 1 from max on. */
static double cdf_valid(const elmo_dist *d, double x) {
  if ((d->clamp & ELMO_DIST_CLAMP_MIN) && x < d->clamp_min) return 0;
  if ((d->clamp & ELMO_DIST_CLAMP_MAX) && x >= d->clamp_max) return 1;
  return cdf_unclamped(d, x);
}

static double cdf_unclamped(const elmo_dist *d, double x) {
  const double *p = d->params;
  switch (d->kind) {
    case ELMO_DIST_FIXED:
      return x >= p[0] ? 1 : 0;
    case ELMO_DIST_UNIFORM:
      return x <= p[0] ? 0 : x >= p[1] ? 1 : (x - p[0]) / (p[1] - p[0]);
    case ELMO_DIST_NORMAL:
      return 0.5 * erfc(-(x - p[0]) / (p[1] * 1.4142135623730951));
    case ELMO_DIST_EXPONENTIAL:
      return x <= 0 ? 0 : -expm1(-p[0] * x);
    case ELMO_DIST_PARETO:
      return x <= p[0] ? 0 : -expm1(p[1] * log(p[0] / x));
    case ELMO_DIST_GPARETO:
      return gpareto_cdf(p, x);
    case ELMO_DIST_ZIPFIAN:
    case ELMO_DIST_LATEST: {
      if (x < 1) return 0;
      if (x >= (double)d->n) return 1;
      fit_zeta z;
      fit_zeta_init(&z, p[0]);
      return fit_zipf_cdf(&z, (double)d->n, x);
    }
    case ELMO_DIST_POWER:
      return x <= 0 ? 0 : fmin(1.0, p[0] * pow(x, p[1]));
    case ELMO_DIST_TWO_TERM_EXP:
      return tte_cdf(d, x);
    case ELMO_DIST_CLASSES:
      return classes_cdf(d, x);
  }
  return NAN;
}

double elmo_dist_cdf(const elmo_dist *d, double x) {
  if (isnan(x) || !valid(d)) return NAN;
  return cdf_valid(d, x);
}

double fit_cdf_left(const elmo_dist *d, double x) {
  if ((d->clamp & ELMO_DIST_CLAMP_MIN) && x <= d->clamp_min) return 0;
  if ((d->clamp & ELMO_DIST_CLAMP_MAX) && x > d->clamp_max) return 1;
  switch (d->kind) {
    case ELMO_DIST_FIXED:
      return x > d->params[0] ? 1 : 0;
    case ELMO_DIST_ZIPFIAN:
    case ELMO_DIST_LATEST:
    case ELMO_DIST_TWO_TERM_EXP:
    case ELMO_DIST_CLASSES:
      return cdf_valid(d, ceil(x) - 1);
    default:
      return cdf_valid(d, x);
  }
}

/* ---- density ------------------------------------------------------------------------------- */

static double gpareto_logpdf(const double *p, double x) {
  double z = (x - p[0]) / p[1], k = p[2];
  if (z < 0) return -INFINITY;
  if (k == 0) return -log(p[1]) - z;
  double t = k * z;
  if (t <= -1) return -INFINITY;
  return -log(p[1]) - (1.0 / k + 1.0) * log1p(t);
}

static double rank_logpmf(const elmo_dist *d, const fit_zeta *z, double x) {
  if (x < 1 || x > (double)d->n || x != floor(x)) return -INFINITY;
  if (d->kind == ELMO_DIST_TWO_TERM_EXP) {
    return log(fit_tte_weight(d->params, x)) - log(tte_total(d));
  }
  if (d->kind == ELMO_DIST_CLASSES) {
    double start[ELMO_DIST_CLASSES_MAX + 1];
    fit_classes_bounds(d, start);
    for (size_t g = 0; g < d->n_classes; g++) {
      if (x <= start[g + 1]) return log(d->class_shares[g] / (start[g + 1] - start[g]));
    }
    return -INFINITY;
  }
  return -d->params[0] * log(x) - log(fit_zeta_h(z, (double)d->n));
}

static double logpdf_unclamped(const elmo_dist *d, const fit_zeta *z, double x);

/* A clamp's point carries a mass (mixed with the density elsewhere, as censored data are). */
double fit_logpdf(const elmo_dist *d, const fit_zeta *z, double x) {
  if (d->clamp & ELMO_DIST_CLAMP_MIN) {
    if (x < d->clamp_min) return -INFINITY;
    if (x == d->clamp_min) return log(cdf_unclamped(d, x));
  }
  if (d->clamp & ELMO_DIST_CLAMP_MAX) {
    if (x > d->clamp_max) return -INFINITY;
    if (x == d->clamp_max) return log1p(-cdf_unclamped(d, x));
  }
  return logpdf_unclamped(d, z, x);
}

static double logpdf_unclamped(const elmo_dist *d, const fit_zeta *z, double x) {
  const double *p = d->params;
  switch (d->kind) {
    case ELMO_DIST_FIXED:
      return x == p[0] ? 0 : -INFINITY;
    case ELMO_DIST_UNIFORM:
      return (x < p[0] || x > p[1]) ? -INFINITY : -log(p[1] - p[0]);
    case ELMO_DIST_NORMAL: {
      double u = (x - p[0]) / p[1];
      return -0.5 * u * u - log(p[1]) - 0.91893853320467274;
    }
    case ELMO_DIST_EXPONENTIAL:
      return x < 0 ? -INFINITY : log(p[0]) - p[0] * x;
    case ELMO_DIST_PARETO:
      return x < p[0] ? -INFINITY : log(p[1]) + p[1] * log(p[0]) - (p[1] + 1) * log(x);
    case ELMO_DIST_GPARETO:
      return gpareto_logpdf(p, x);
    case ELMO_DIST_POWER: {
      double xmax = pow(1.0 / p[0], 1.0 / p[1]);
      return (x <= 0 || x > xmax) ? -INFINITY : log(p[0] * p[1]) + (p[1] - 1) * log(x);
    }
    default:
      return rank_logpmf(d, z, x);
  }
}

/* ---- mean ---------------------------------------------------------------------------------- */

static double rank_mean(const elmo_dist *d) {
  if (d->kind == ELMO_DIST_CLASSES) {
    double start[ELMO_DIST_CLASSES_MAX + 1], m = 0;
    fit_classes_bounds(d, start);
    for (size_t g = 0; g < d->n_classes; g++) m += d->class_shares[g] * (start[g] + start[g + 1] + 1) / 2;
    return m;
  }
  if (d->kind == ELMO_DIST_TWO_TERM_EXP) {
    double s = 0, t = 0;
    for (uint64_t i = 1; i <= d->n; i++) {
      double w = fit_tte_weight(d->params, (double)i);
      s += w * (double)i;
      t += w;
    }
    return s / t;
  }
  /* E[r] = H(n, theta - 1) / H(n, theta). */
  fit_zeta z1, z0;
  fit_zeta_init(&z1, d->params[0] - 1.0);
  fit_zeta_init(&z0, d->params[0]);
  return fit_zeta_h(&z1, (double)d->n) / fit_zeta_h(&z0, (double)d->n);
}

/* E[clamp(X)] = lo + integral of the survival from lo to hi (lo, hi: the clamps, else the ends
 * of the support), by Simpson's rule; unbounded above, on x = lo + s·t/(1-t) (t in [0, 1), s the
 * unclamped mean's distance from lo). NaN when it is infinite (no max and an infinite mean). */
static double clamped_mean(const elmo_dist *d) {
  double scale = 1;
  if (!(d->clamp & ELMO_DIST_CLAMP_MAX)) {
    elmo_dist u = *d;
    u.clamp = 0;
    double plain = elmo_dist_mean(&u);
    if (!isfinite(plain)) return NAN;
    scale = plain;
  }
  double lo = (d->clamp & ELMO_DIST_CLAMP_MIN) ? d->clamp_min : -INFINITY;
  if (d->kind == ELMO_DIST_EXPONENTIAL) lo = fmax(lo, 0);
  if (d->kind == ELMO_DIST_PARETO || d->kind == ELMO_DIST_GPARETO) lo = fmax(lo, d->params[0]);
  if (!isfinite(lo)) lo = d->params[0] - 40 * d->params[1]; /* normal without a min */
  double hi = (d->clamp & ELMO_DIST_CLAMP_MAX) ? d->clamp_max : INFINITY;
  if (hi <= lo) return hi;
  scale = fmax(fabs(scale - lo), 1e-9);
  const int steps = 20000; /* even */
  double sum = 0;
  for (int i = 0; i <= steps; i++) {
    double t = (double)i / steps, x, jac;
    if (isfinite(hi)) {
      x = lo + (hi - lo) * t, jac = hi - lo;
    } else {
      if (i == steps) continue; /* the survival vanishes at infinity */
      x = lo + scale * t / (1 - t), jac = scale / ((1 - t) * (1 - t));
    }
    double w = (i == 0 || i == steps) ? 1 : (i % 2 ? 4 : 2);
    sum += w * (1 - cdf_unclamped(d, x)) * jac;
  }
  return lo + sum / (3.0 * steps);
}

double elmo_dist_mean(const elmo_dist *d) {
  if (!valid(d)) return NAN;
  if (d->clamp != 0) return clamped_mean(d);
  const double *p = d->params;
  switch (d->kind) {
    case ELMO_DIST_FIXED:
      return p[0];
    case ELMO_DIST_UNIFORM:
    case ELMO_DIST_NORMAL:
      return d->kind == ELMO_DIST_NORMAL ? p[0] : 0.5 * (p[0] + p[1]);
    case ELMO_DIST_EXPONENTIAL:
      return 1.0 / p[0];
    case ELMO_DIST_PARETO:
      return p[1] > 1 ? p[1] * p[0] / (p[1] - 1) : NAN;
    case ELMO_DIST_GPARETO:
      return p[2] < 1 ? p[0] + p[1] / (1 - p[2]) : NAN;
    case ELMO_DIST_POWER:
      return p[1] / (p[1] + 1) * pow(1.0 / p[0], 1.0 / p[1]);
    default:
      return rank_mean(d);
  }
}

/* ---- formatting ---------------------------------------------------------------------------- */

char *elmo_dist_format(const elmo_dist *d, char *buf, size_t size) {
  if (buf == NULL || size == 0) return buf;
  buf[0] = '\0';
  const kind_info *k = d ? info_of(d->kind) : NULL;
  if (k == NULL) {
    snprintf(buf, size, "(unknown dist)");
    return buf;
  }
  size_t used = (size_t)snprintf(buf, size, "%s(", k->name);
  for (size_t i = 0; i < k->n_params && used < size; i++) {
    used += (size_t)elmo_number_snprintf(buf + used, size - used, "%s%s=%.6g", i ? ", " : "", k->params[i],
                             d->params[i]);
  }
  for (size_t g = 0; d->kind == ELMO_DIST_CLASSES && g < d->n_classes && used < size; g++) {
    used += (size_t)elmo_number_snprintf(buf + used, size - used, "%s%.3g:%.3g", g ? " " : "keys:shares ",
                             d->class_keys[g], d->class_shares[g]);
  }
  if ((d->clamp & ELMO_DIST_CLAMP_MIN) && used < size) {
    used += (size_t)elmo_number_snprintf(buf + used, size - used, ", min=%.6g", d->clamp_min);
  }
  if ((d->clamp & ELMO_DIST_CLAMP_MAX) && used < size) {
    used += (size_t)elmo_number_snprintf(buf + used, size - used, ", max=%.6g", d->clamp_max);
  }
  if (k->rank && d->n > 0 && used < size) {
    used += (size_t)snprintf(buf + used, size - used, ", n=%llu", (unsigned long long)d->n);
  }
  if (used < size) snprintf(buf + used, size - used, ")");
  return buf;
}
