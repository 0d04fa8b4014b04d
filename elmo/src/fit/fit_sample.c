/* fit_sample.c — random draws from the models of fit.h.
 *
 * Zipfian and latest use rejection-inversion (W. Hörmann, G. Derflinger, "Rejection-inversion to
 * generate variates from monotone discrete distributions", ACM TOMACS 6(3), 1996): a continuous
 * hat h(x) = x^-theta is inverted over [0.5, n+0.5], the draw x is rounded to the rank k, and k is
 * accepted when the uniform falls in the top h(k) of k's share of the hat's integral. It works for
 * every theta > 0 (the integral is written with expm1/log1p so theta = 1 needs no special case),
 * needs O(1) setup and O(1) expected work per draw — unlike Gray et al.'s method (YCSB), whose
 * setup sums n terms and which excludes theta = 1. */
#include <math.h>
#include <stdlib.h>

#include "fit_internal.h"

/* ---- rejection-inversion for P(k) ∝ k^-theta, k = 1..n ------------------------------------- */

typedef struct zipf_ri {
  double theta, n;
  double h_lo;    /* H(1.5) - h(1): the lower end of the uniform's range */
  double h_hi;    /* H(n + 0.5) */
  double squeeze; /* accept at once when k - x <= squeeze */
} zipf_ri;

/* log(1 + t) / t, continuous at t = 0. */
static double log1p_over(double t) { return fabs(t) < 1e-8 ? 1.0 - t / 2 : log1p(t) / t; }
/* (e^t - 1) / t, continuous at t = 0. */
static double expm1_over(double t) { return fabs(t) < 1e-8 ? 1.0 + t / 2 : expm1(t) / t; }

/* H(x) = integral_1^x t^-theta dt. */
static double ri_H(const zipf_ri *z, double x) {
  double lx = log(x);
  return lx * expm1_over((1.0 - z->theta) * lx);
}
/* The inverse of H. */
static double ri_Hinv(const zipf_ri *z, double y) {
  return exp(y * log1p_over(y * (1.0 - z->theta)));
}
static double ri_h(const zipf_ri *z, double x) { return exp(-z->theta * log(x)); }

static void zipf_ri_init(zipf_ri *z, double theta, double n) {
  z->theta = theta;
  z->n = n;
  z->h_lo = ri_H(z, 1.5) - 1.0;
  z->h_hi = ri_H(z, n + 0.5);
  z->squeeze = 2.0 - ri_Hinv(z, ri_H(z, 2.5) - ri_h(z, 2.0));
}

static double zipf_ri_draw(const zipf_ri *z, elmo_rng *rng) {
  for (;;) {
    double u = z->h_hi + elmo_rng_uniform(rng) * (z->h_lo - z->h_hi);
    double x = ri_Hinv(z, u);
    double k = floor(x + 0.5);
    if (k < 1) k = 1;
    if (k > z->n) k = z->n;
    if (k - x <= z->squeeze || u >= ri_H(z, k + 0.5) - ri_h(z, k)) return k;
  }
}

/* ---- the other models ---------------------------------------------------------------------- */

static double gpareto_draw(const double *p, elmo_rng *rng) {
  double lu = log(elmo_rng_uniform(rng)), k = p[2];
  /* theta + sigma (u^-k - 1) / k, and theta - sigma ln u at k = 0. */
  return p[0] + p[1] * (-lu) * expm1_over(-k * lu);
}

static double tte_draw_linear(const elmo_dist *d, elmo_rng *rng) {
  double total = 0;
  for (uint64_t i = 1; i <= d->n; i++) total += fit_tte_weight(d->params, (double)i);
  double target = elmo_rng_uniform(rng) * total, acc = 0;
  for (uint64_t i = 1; i <= d->n; i++) {
    acc += fit_tte_weight(d->params, (double)i);
    if (target < acc) return (double)i;
  }
  return (double)d->n;
}

static double draw_simple(const elmo_dist *d, elmo_rng *rng) {
  const double *p = d->params;
  switch (d->kind) {
    case ELMO_DIST_FIXED:
      return p[0];
    case ELMO_DIST_UNIFORM:
      return p[0] + (p[1] - p[0]) * elmo_rng_uniform(rng);
    case ELMO_DIST_NORMAL:
      return p[0] + p[1] * elmo_rng_normal(rng);
    case ELMO_DIST_EXPONENTIAL:
      return -log(elmo_rng_uniform(rng)) / p[0];
    case ELMO_DIST_PARETO:
      return p[0] * exp(-log(elmo_rng_uniform(rng)) / p[1]);
    case ELMO_DIST_GPARETO:
      return gpareto_draw(p, rng);
    case ELMO_DIST_POWER:
      return pow(elmo_rng_uniform(rng) / p[0], 1.0 / p[1]);
    default:
      return NAN;
  }
}

/* A draw within the clamps. */
static double clamp_draw(const elmo_dist *d, double x) {
  if ((d->clamp & ELMO_DIST_CLAMP_MIN) && !(x >= d->clamp_min)) return d->clamp_min;
  if ((d->clamp & ELMO_DIST_CLAMP_MAX) && x > d->clamp_max) return d->clamp_max;
  return x;
}

/* classes: a class by its share (cum[g] = shares of classes 0..g), then a rank uniformly in it. */
static double classes_draw(const elmo_dist *d, const double *start, const double *cum,
                           elmo_rng *rng) {
  double u = elmo_rng_uniform(rng) * cum[d->n_classes - 1];
  size_t g = 0;
  while (g + 1 < d->n_classes && u >= cum[g]) g++;
  double width = start[g + 1] - start[g];
  double r = start[g] + 1 + floor(elmo_rng_uniform(rng) * width);
  return r > start[g + 1] ? start[g + 1] : r;
}

static void classes_prepare(const elmo_dist *d, double *start, double *cum) {
  fit_classes_bounds(d, start);
  double acc = 0;
  for (size_t g = 0; g < d->n_classes; g++) cum[g] = (acc += d->class_shares[g]);
}

double elmo_dist_sample(const elmo_dist *d, elmo_rng *rng) {
  if (rng == NULL || elmo_dist_validate(d, 1, NULL) != ELMO_OK) return NAN;
  if (d->kind == ELMO_DIST_CLASSES) {
    double start[ELMO_DIST_CLASSES_MAX + 1], cum[ELMO_DIST_CLASSES_MAX];
    classes_prepare(d, start, cum);
    return classes_draw(d, start, cum, rng);
  }
  if (d->kind == ELMO_DIST_ZIPFIAN || d->kind == ELMO_DIST_LATEST) {
    zipf_ri z;
    zipf_ri_init(&z, d->params[0], (double)d->n);
    return zipf_ri_draw(&z, rng);
  }
  if (d->kind == ELMO_DIST_TWO_TERM_EXP) return tte_draw_linear(d, rng);
  return clamp_draw(d, draw_simple(d, rng));
}

/* ---- prepared samplers --------------------------------------------------------------------- */

struct elmo_sampler {
  elmo_dist dist;
  zipf_ri zipf; /* zipfian / latest */
  double *cum;  /* two_term_exp: cum[i] = sum of the weights of ranges 1..i+1 */
  double class_start[ELMO_DIST_CLASSES_MAX + 1]; /* classes */
  double class_cum[ELMO_DIST_CLASSES_MAX];
};

elmo_rc elmo_sampler_create(const elmo_dist *d, elmo_sampler **out, elmo_error *err) {
  if (out == NULL) return elmo_error_set(err, ELMO_EINVAL, "out is NULL");
  *out = NULL;
  elmo_rc rc = elmo_dist_validate(d, 1, err);
  if (rc != ELMO_OK) return rc;
  elmo_sampler *s = calloc(1, sizeof(*s));
  if (s == NULL) return elmo_error_set(err, ELMO_ENOMEM, "no memory for a sampler");
  s->dist = *d;
  if (d->kind == ELMO_DIST_CLASSES) {
    classes_prepare(d, s->class_start, s->class_cum);
  } else if (d->kind == ELMO_DIST_ZIPFIAN || d->kind == ELMO_DIST_LATEST) {
    zipf_ri_init(&s->zipf, d->params[0], (double)d->n);
  } else if (d->kind == ELMO_DIST_TWO_TERM_EXP) {
    s->cum = malloc((size_t)d->n * sizeof(double));
    if (s->cum == NULL) {
      free(s);
      return elmo_error_set(err, ELMO_ENOMEM, "no memory for %llu two_term_exp ranges",
                            (unsigned long long)d->n);
    }
    double acc = 0;
    for (uint64_t i = 0; i < d->n; i++)
      s->cum[i] = (acc += fit_tte_weight(d->params, (double)(i + 1)));
  }
  *out = s;
  return ELMO_OK;
}

void elmo_sampler_destroy(elmo_sampler *s) {
  if (s == NULL) return;
  free(s->cum);
  free(s);
}

/* The first index whose cumulative weight exceeds target. */
static double cum_search(const double *cum, size_t n, double target) {
  size_t lo = 0, hi = n - 1;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (cum[mid] > target)
      hi = mid;
    else
      lo = mid + 1;
  }
  return (double)(lo + 1);
}

double elmo_sampler_next(const elmo_sampler *s, elmo_rng *rng) {
  if (s == NULL || rng == NULL) return NAN;
  switch (s->dist.kind) {
    case ELMO_DIST_ZIPFIAN:
    case ELMO_DIST_LATEST:
      return zipf_ri_draw(&s->zipf, rng);
    case ELMO_DIST_TWO_TERM_EXP: {
      size_t n = (size_t)s->dist.n;
      return cum_search(s->cum, n, elmo_rng_uniform(rng) * s->cum[n - 1]);
    }
    case ELMO_DIST_CLASSES:
      return classes_draw(&s->dist, s->class_start, s->class_cum, rng);
    default:
      return clamp_draw(&s->dist, draw_simple(&s->dist, rng));
  }
}
