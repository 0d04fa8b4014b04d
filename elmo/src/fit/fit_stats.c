/* fit_stats.c — samples as sorted histograms, the Kolmogorov distribution, one- and two-sample
 * Kolmogorov–Smirnov, goodness of fit, and Student's t tail (for the trend test). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fit_internal.h"

/* ---- sorted histograms --------------------------------------------------------------------- */

typedef struct vw {
  double v, w;
} vw;

static int vw_cmp(const void *a, const void *b) {
  double x = ((const vw *)a)->v, y = ((const vw *)b)->v;
  return (x > y) - (x < y);
}

/* Copies s into pairs (zero counts dropped). Returns the count of pairs or sets *rc. */
static vw *copy_pairs(const elmo_sample *s, const char *what, size_t *m, elmo_rc *rc,
                      elmo_error *err) {
  size_t n = s->values ? s->n_values : s->n_bins;
  vw *p = malloc((n ? n : 1) * sizeof(*p));
  if (p == NULL) {
    *rc = elmo_error_set(err, ELMO_ENOMEM, "no memory for %zu %s values", n, what);
    return NULL;
  }
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    double v = s->values ? s->values[i] : s->bins[i].value;
    double w = s->values ? 1.0 : (double)s->bins[i].count;
    if (!isfinite(v)) {
      free(p);
      *rc = elmo_error_set(err, ELMO_EINVAL, "%s: value #%zu is %g; values must be finite", what, i,
                           v);
      return NULL;
    }
    if (w > 0) p[k++] = (vw){v, w};
  }
  *m = k;
  return p;
}

static elmo_rc hist_from_pairs(vw *p, size_t k, fit_hist *h, elmo_error *err) {
  qsort(p, k, sizeof(*p), vw_cmp);
  h->v = malloc((k ? k : 1) * sizeof(double));
  h->w = malloc((k ? k : 1) * sizeof(double));
  if (h->v == NULL || h->w == NULL) {
    fit_hist_free(h);
    return elmo_error_set(err, ELMO_ENOMEM, "no memory for a histogram of %zu values", k);
  }
  for (size_t i = 0; i < k; i++) {
    if (h->m > 0 && h->v[h->m - 1] == p[i].v) {
      h->w[h->m - 1] += p[i].w;
    } else {
      h->v[h->m] = p[i].v, h->w[h->m] = p[i].w, h->m++;
    }
    h->n += p[i].w;
  }
  return ELMO_OK;
}

elmo_rc fit_hist_build(const elmo_sample *s, const char *what, double min_n, fit_hist *h,
                       elmo_error *err) {
  memset(h, 0, sizeof(*h));
  if (s == NULL) return elmo_error_set(err, ELMO_EINVAL, "%s: sample is NULL", what);
  if ((s->values == NULL) == (s->bins == NULL)) {
    return elmo_error_set(err, ELMO_EINVAL, "%s: give exactly one of values or bins", what);
  }
  elmo_rc rc = ELMO_OK;
  size_t k = 0;
  vw *p = copy_pairs(s, what, &k, &rc, err);
  if (p == NULL) return rc;
  rc = hist_from_pairs(p, k, h, err);
  free(p);
  if (rc == ELMO_OK && h->n < min_n) {
    rc = elmo_error_set(err, ELMO_EINVAL, "%s: %.0f observation(s); need at least %.0f", what, h->n,
                        min_n);
    fit_hist_free(h);
  }
  return rc;
}

void fit_hist_free(fit_hist *h) {
  free(h->v);
  free(h->w);
  memset(h, 0, sizeof(*h));
}

void fit_hist_moments(const fit_hist *h, double *mean, double *var) {
  double m = 0, s = 0;
  for (size_t i = 0; i < h->m; i++) m += h->w[i] * h->v[i];
  m /= h->n;
  for (size_t i = 0; i < h->m; i++) s += h->w[i] * (h->v[i] - m) * (h->v[i] - m);
  *mean = m;
  *var = s / h->n;
}

int fit_varies(const double *v, size_t n) {
  for (size_t i = 1; i < n; i++) {
    if (v[i] != v[0]) return 1;
  }
  return 0;
}

/* ---- Kolmogorov distribution --------------------------------------------------------------- */

double elmo_ks_q(double lambda) {
  if (isnan(lambda)) return NAN;
  if (lambda < 0.2) return 1.0;
  if (lambda < 1.18) {
    /* Q = 1 - sqrt(2π)/λ Σ_j exp(-(2j-1)² π² / (8λ²)): fast for small λ. */
    double s = 0, c = -9.869604401089358 / (8 * lambda * lambda);
    for (int j = 1; j <= 20; j++) s += exp(c * (2 * j - 1) * (2 * j - 1));
    return 1.0 - 2.5066282746310002 / lambda * s;
  }
  double s = 0, sign = 1;
  for (int j = 1; j <= 100; j++) {
    double term = exp(-2.0 * j * j * lambda * lambda);
    s += sign * term;
    if (term < 1e-17) break;
    sign = -sign;
  }
  s *= 2;
  return s < 0 ? 0 : (s > 1 ? 1 : s);
}

double elmo_ks_pvalue(double d, double n_eff) {
  if (!(n_eff > 0) || isnan(d)) return NAN;
  double rn = sqrt(n_eff);
  return elmo_ks_q((rn + 0.12 + 0.11 / rn) * d);
}

elmo_rc elmo_ks_two_sample(const elmo_sample *a, const elmo_sample *b, elmo_ks2 *out,
                           elmo_error *err) {
  if (out == NULL) return elmo_error_set(err, ELMO_EINVAL, "ks_two_sample: out is NULL");
  memset(out, 0, sizeof(*out));
  fit_hist ha, hb;
  elmo_rc rc = fit_hist_build(a, "ks_two_sample: first sample", 1, &ha, err);
  if (rc != ELMO_OK) return rc;
  rc = fit_hist_build(b, "ks_two_sample: second sample", 1, &hb, err);
  if (rc != ELMO_OK) {
    fit_hist_free(&ha);
    return rc;
  }
  double ca = 0, cb = 0, d = 0;
  size_t i = 0, j = 0;
  while (i < ha.m || j < hb.m) {
    double v = (j >= hb.m || (i < ha.m && ha.v[i] <= hb.v[j])) ? ha.v[i] : hb.v[j];
    if (i < ha.m && ha.v[i] == v) ca += ha.w[i++];
    if (j < hb.m && hb.v[j] == v) cb += hb.w[j++];
    d = fmax(d, fabs(ca / ha.n - cb / hb.n));
  }
  out->d = d;
  out->n1 = (uint64_t)ha.n;
  out->n2 = (uint64_t)hb.n;
  out->p = elmo_ks_pvalue(d, ha.n * hb.n / (ha.n + hb.n));
  fit_hist_free(&ha);
  fit_hist_free(&hb);
  return ELMO_OK;
}

/* ---- goodness of fit ----------------------------------------------------------------------- */

typedef struct model {
  const elmo_dist *d;
  fit_zeta z; /* zipfian / latest */
  int zipf;
} model;

static double model_cdf(const model *m, double x) {
  return m->zipf ? fit_zipf_cdf(&m->z, (double)m->d->n, x) : elmo_dist_cdf(m->d, x);
}
static double model_cdf_left(const model *m, double x) {
  return m->zipf ? fit_zipf_cdf(&m->z, (double)m->d->n, ceil(x) - 1) : fit_cdf_left(m->d, x);
}

void fit_gof_hist(const elmo_dist *d, const fit_hist *h, elmo_gof *out) {
  model m = {.d = d, .zipf = d->kind == ELMO_DIST_ZIPFIAN || d->kind == ELMO_DIST_LATEST};
  if (m.zipf) fit_zeta_init(&m.z, d->params[0]);
  double cum = 0, dmax = 0, ll = 0, sse = 0, s1 = 0, s2 = 0;
  for (size_t j = 0; j < h->m; j++) {
    double fl = model_cdf_left(&m, h->v[j]), fr = model_cdf(&m, h->v[j]);
    double before = cum / h->n;
    cum += h->w[j];
    double fn = cum / h->n;
    dmax = fmax(dmax, fmax(fabs(fl - before), fabs(fr - fn)));
    sse += (fn - fr) * (fn - fr);
    s1 += fn, s2 += fn * fn;
    ll += h->w[j] * fit_logpdf(d, m.zipf ? &m.z : NULL, h->v[j]);
  }
  double sst = s2 - s1 * s1 / (double)h->m;
  out->r2 = (h->m > 1 && sst > 1e-300) ? 1.0 - sse / sst : (sse < 1e-12 ? 1.0 : 0.0);
  out->ks_d = dmax;
  out->ks_p = elmo_ks_pvalue(dmax, h->n);
  out->log_lik = ll;
  double params = (double)elmo_dist_free_params(d);
  out->aic = 2.0 * params - 2.0 * ll;
  out->bic = log(h->n) * params - 2.0 * ll;
  out->n = (uint64_t)h->n;
}

elmo_rc elmo_fit_gof(const elmo_dist *d, const elmo_sample *s, elmo_gof *out, elmo_error *err) {
  if (out == NULL) return elmo_error_set(err, ELMO_EINVAL, "fit_gof: out is NULL");
  memset(out, 0, sizeof(*out));
  elmo_rc rc = elmo_dist_validate(d, 1, err);
  if (rc != ELMO_OK) return rc;
  fit_hist h;
  rc = fit_hist_build(s, "fit_gof", 1, &h, err);
  if (rc != ELMO_OK) return rc;
  fit_gof_hist(d, &h, out);
  fit_hist_free(&h);
  return ELMO_OK;
}

/* ---- Student's t ----------------------------------------------------------------------------- */

/* The continued fraction of the regularized incomplete beta function (modified Lentz). */
static double beta_cf(double a, double b, double x) {
  const double tiny = 1e-300;
  double c = 1, d = 1 - (a + b) * x / (a + 1);
  if (fabs(d) < tiny) d = tiny;
  d = 1 / d;
  double f = d;
  for (int m = 1; m <= 300; m++) {
    for (int odd = 0; odd < 2; odd++) {
      double num = odd ? -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
                       : m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
      d = 1 + num * d;
      if (fabs(d) < tiny) d = tiny;
      c = 1 + num / c;
      if (fabs(c) < tiny) c = tiny;
      d = 1 / d;
      f *= c * d;
      if (odd && fabs(c * d - 1) < 1e-15) return f;
    }
  }
  return f;
}

/* I_x(a, b). */
static double beta_inc(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  double lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return exp(lbt) * beta_cf(a, b, x) / a;
  return 1 - exp(lbt) * beta_cf(b, a, 1 - x) / b;
}

double fit_t_pvalue(double t, double df) {
  if (isnan(t) || !(df > 0)) return NAN;
  if (isinf(t)) return 0;
  return beta_inc(df / 2, 0.5, df / (df + t * t));
}

double fit_f_pvalue(double f, double d1, double d2) {
  if (isnan(f) || !(d1 > 0) || !(d2 > 0)) return NAN;
  if (f <= 0) return 1;
  if (isinf(f)) return 0;
  return beta_inc(d2 / 2, d1 / 2, d2 / (d2 + d1 * f));
}
