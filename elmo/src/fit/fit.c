/* fit.c — maximum-likelihood fits of the sample models and the best-fit chooser (see fit.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fit_internal.h"

void elmo_fit_options_init(elmo_fit_options *o) {
  if (o == NULL) return;
  memset(o, 0, sizeof(*o));
  o->rank_by = ELMO_FIT_RANK_KS;
  o->min_r2 = 0.9;
  o->min_ks_p = 0.05;
}

static double hist_min(const fit_hist *h) { return h->v[0]; }
static double hist_max(const fit_hist *h) { return h->v[h->m - 1]; }

static elmo_rc need_spread(const fit_hist *h, const char *model, elmo_error *err) {
  if (h->m >= 2) return ELMO_OK;
  return elmo_error_set(err, ELMO_EINVAL, "%s: every value is %g; the model needs some spread",
                        model, h->v[0]);
}

/* ---- closed forms -------------------------------------------------------------------------- */

static elmo_rc fit_fixed(const fit_hist *h, elmo_dist *d, elmo_error *err) {
  size_t best = 0;
  for (size_t i = 1; i < h->m; i++) {
    if (h->w[i] > h->w[best]) best = i;
  }
  d->params[0] = h->v[best];
  return ELMO_OK;
}

static elmo_rc fit_uniform(const fit_hist *h, elmo_dist *d, elmo_error *err) {
  elmo_rc rc = need_spread(h, "uniform", err);
  d->params[0] = hist_min(h);
  d->params[1] = hist_max(h);
  return rc;
}

static elmo_rc fit_normal(const fit_hist *h, elmo_dist *d, elmo_error *err) {
  elmo_rc rc = need_spread(h, "normal", err);
  double mean, var;
  fit_hist_moments(h, &mean, &var);
  d->params[0] = mean;
  d->params[1] = sqrt(var);
  return rc;
}

static elmo_rc fit_exponential(const fit_hist *h, elmo_dist *d, elmo_error *err) {
  if (hist_min(h) < 0) {
    return elmo_error_set(err, ELMO_EINVAL, "exponential: values must be >= 0, got %g",
                          hist_min(h));
  }
  double mean, var;
  fit_hist_moments(h, &mean, &var);
  if (!(mean > 0)) return elmo_error_set(err, ELMO_EINVAL, "exponential: every value is 0");
  d->params[0] = 1.0 / mean;
  return ELMO_OK;
}

static elmo_rc fit_pareto(const fit_hist *h, elmo_dist *d, elmo_error *err) {
  double xm = hist_min(h), s = 0;
  if (!(xm > 0)) return elmo_error_set(err, ELMO_EINVAL, "pareto: values must be > 0, got %g", xm);
  elmo_rc rc = need_spread(h, "pareto", err);
  if (rc != ELMO_OK) return rc;
  for (size_t i = 0; i < h->m; i++) s += h->w[i] * log(h->v[i] / xm);
  d->params[0] = xm;
  d->params[1] = h->n / s;
  return ELMO_OK;
}

/* ---- generalized Pareto: theta = min, (log sigma, k) by Nelder–Mead ------------------------ */

typedef struct gp_ctx {
  const fit_hist *h;
  double theta;
} gp_ctx;

/* The shape's search range. Below -1/2 the MLE is irregular (and at -1 the model is the uniform
 * distribution, which has a model of its own); above 10 no trace has a use for it. */
#define GP_K_MIN (-0.5)
#define GP_K_MAX 10.0

/* Mean negative log-likelihood at x = {log sigma, k}. */
static double gp_nll(const double *x, void *vctx) {
  const gp_ctx *c = vctx;
  double sigma = exp(x[0]), k = x[1], s = 0;
  if (!(k >= GP_K_MIN) || k > GP_K_MAX || !isfinite(sigma) || sigma <= 0) return INFINITY;
  if (k < 0 && 1 + k * (hist_max(c->h) - c->theta) / sigma <= 0) return INFINITY;
  for (size_t i = 0; i < c->h->m; i++) {
    double z = (c->h->v[i] - c->theta) / sigma;
    s += c->h->w[i] * (fabs(k) < 1e-9 ? z : (1.0 / k + 1.0) * log1p(k * z));
  }
  return log(sigma) + s / c->h->n;
}

/* The MLE of (sigma, k) of a GPD from the given threshold theta (<= every value of h). */
static elmo_rc gp_mle(const fit_hist *h, double theta, double *sigma, double *k,
                      elmo_error *err) {
  gp_ctx c = {h, theta};
  double mean, var;
  fit_hist_moments(h, &mean, &var);
  mean -= c.theta;
  /* Moments of a GPD with k < 1/2: mean = sigma/(1-k), var = sigma²/((1-k)²(1-2k)). */
  double k0 = var > 0 ? 0.5 * (1.0 - mean * mean / var) : 0;
  k0 = fmax(GP_K_MIN + 0.05, fmin(0.45, k0));
  double x[2] = {log(mean * (1.0 - k0)), k0}, step[2] = {0.3, 0.1};
  double f = INFINITY;
  for (int round = 0; round < 3; round++) {
    f = fit_nelder_mead(gp_nll, &c, x, 2, step, 1e-12, 2000);
    step[0] = 0.05, step[1] = 0.02;
  }
  if (!isfinite(f))
    return elmo_error_set(err, ELMO_EINVAL, "gpareto: the likelihood has no maximum");
  *sigma = exp(x[0]);
  *k = x[1];
  return ELMO_OK;
}

static elmo_rc fit_gpareto(const fit_hist *h, elmo_dist *d, elmo_error *err) {
  elmo_rc rc = need_spread(h, "gpareto", err);
  if (rc != ELMO_OK) return rc;
  d->params[0] = hist_min(h);
  return gp_mle(h, hist_min(h), &d->params[1], &d->params[2], err);
}

/* ---- floors: censored MLE (see elmo_fit_floored) -------------------------------------------- */

/* The observations above the minimum, as a view into h (no copy). */
static fit_hist tail_of(const fit_hist *h) {
  fit_hist t = {h->v + 1, h->w + 1, h->m - 1, h->n - h->w[0]};
  return t;
}

static elmo_rc floored_gpareto(const fit_hist *h, elmo_dist *d, elmo_error *err) {
  fit_hist t = tail_of(h);
  double m = hist_min(h), p0 = h->w[0] / h->n, sm, k;
  elmo_rc rc = gp_mle(&t, m, &sm, &k, err);
  if (rc != ELMO_OK) return rc;
  double sigma = fabs(k) < 1e-9 ? sm : sm * pow(1 - p0, k);
  d->params[0] = fabs(k) < 1e-9 ? m + sm * log(1 - p0) : m - (sm - sigma) / k;
  d->params[1] = sigma;
  d->params[2] = k;
  return ELMO_OK;
}

static elmo_rc floored_pareto(const fit_hist *h, elmo_dist *d, elmo_error *err) {
  double m = hist_min(h), p0 = h->w[0] / h->n, s = 0;
  if (!(m > 0)) return elmo_error_set(err, ELMO_EINVAL, "pareto: values must be > 0, got %g", m);
  for (size_t i = 1; i < h->m; i++) s += h->w[i] * log(h->v[i] / m);
  double alpha = (h->n - h->w[0]) / s;
  d->params[0] = m * pow(1 - p0, 1 / alpha);
  d->params[1] = alpha;
  return ELMO_OK;
}

typedef struct floor_exp_ctx {
  double m, w0, n_tail, sum_tail; /* the floor, its weight, the tail's weight and sum */
} floor_exp_ctx;

/* Negative censored log-likelihood of exponential(e^x) floored at m. */
static double floor_exp_nll(double x, void *vctx) {
  const floor_exp_ctx *c = vctx;
  double lambda = exp(x);
  return -(c->w0 * log(-expm1(-lambda * c->m)) + c->n_tail * x - lambda * c->sum_tail);
}

static elmo_rc floored_exponential(const fit_hist *h, elmo_dist *d, elmo_error *err) {
  double m = hist_min(h), sum = 0;
  if (!(m > 0)) {
    return elmo_error_set(err, ELMO_EINVAL, "exponential: a floor needs a minimum > 0, got %g", m);
  }
  for (size_t i = 1; i < h->m; i++) sum += h->w[i] * h->v[i];
  floor_exp_ctx c = {m, h->w[0], h->n - h->w[0], sum};
  double mean = sum / c.n_tail;
  d->params[0] =
      exp(fit_golden_min(floor_exp_nll, &c, log(1e-6 / mean), log(1e3 / m), 1e-10, NULL));
  return ELMO_OK;
}

elmo_rc elmo_fit_floored(elmo_dist_kind kind, const elmo_sample *s, elmo_fit *out,
                         elmo_error *err) {
  if (out == NULL) return elmo_error_set(err, ELMO_EINVAL, "fit_floored: out is NULL");
  memset(out, 0, sizeof(*out));
  if (kind != ELMO_DIST_EXPONENTIAL && kind != ELMO_DIST_PARETO && kind != ELMO_DIST_GPARETO) {
    const char *name = elmo_dist_kind_name(kind);
    return elmo_error_set(err, ELMO_EINVAL,
                          "fit_floored: %s cannot be floored (exponential, pareto, gpareto)",
                          name ? name : "an unknown kind");
  }
  fit_hist h;
  elmo_rc rc = fit_hist_build(s, "fit_floored", 2, &h, err);
  if (rc != ELMO_OK) return rc;
  if (h.w[0] < 2 || h.m < 3) {
    rc = elmo_error_set(err, ELMO_EINVAL,
                        "fit_floored: need >= 2 observations at the minimum %g (got %.0f) and "
                        ">= 2 distinct values above it (got %zu)",
                        h.v[0], h.w[0], h.m ? h.m - 1 : 0);
  }
  elmo_dist *d = &out->dist;
  d->kind = kind, d->clamp = ELMO_DIST_CLAMP_MIN, d->clamp_min = h.v[0];
  if (rc == ELMO_OK) {
    if (kind == ELMO_DIST_GPARETO) rc = floored_gpareto(&h, d, err);
    if (kind == ELMO_DIST_PARETO) rc = floored_pareto(&h, d, err);
    if (kind == ELMO_DIST_EXPONENTIAL) rc = floored_exponential(&h, d, err);
  }
  if (rc == ELMO_OK) rc = elmo_dist_validate(d, 1, err);
  if (rc == ELMO_OK) fit_gof_hist(d, &h, &out->gof);
  if (rc != ELMO_OK) memset(out, 0, sizeof(*out));
  fit_hist_free(&h);
  return rc;
}

/* ---- zipfian / latest: theta by golden section on the (convex) negative log-likelihood ----- */

typedef struct zipf_ctx {
  double mean_log; /* mean of ln(rank) */
  double n;        /* ranks 1..n */
} zipf_ctx;

static double zipf_nll(double theta, void *vctx) {
  const zipf_ctx *c = vctx;
  fit_zeta z;
  fit_zeta_init(&z, theta);
  return theta * c->mean_log + log(fit_zeta_h(&z, c->n));
}

#define ZIPF_THETA_MIN 1e-4
#define ZIPF_THETA_MAX 20.0

static elmo_rc fit_zipf(const fit_hist *h, const elmo_fit_options *o, elmo_dist *d,
                        elmo_error *err) {
  const char *name = elmo_dist_kind_name(d->kind);
  if (o == NULL || o->rank_n == 0) {
    return elmo_error_set(err, ELMO_EINVAL, "%s: set options.rank_n to the number of ranks", name);
  }
  double n = (double)o->rank_n, sum = 0;
  for (size_t i = 0; i < h->m; i++) {
    double v = h->v[i];
    if (v < 1 || v > n || v != floor(v)) {
      return elmo_error_set(err, ELMO_EINVAL, "%s: value %g is not a rank in 1..%llu", name, v,
                            (unsigned long long)o->rank_n);
    }
    sum += h->w[i] * log(v);
  }
  zipf_ctx c = {sum / h->n, n};
  d->params[0] = fit_golden_min(zipf_nll, &c, ZIPF_THETA_MIN, ZIPF_THETA_MAX, 1e-7, NULL);
  d->n = o->rank_n;
  return ELMO_OK;
}

/* ---- dispatch ------------------------------------------------------------------------------ */

static elmo_rc fit_on_hist(elmo_dist_kind kind, const fit_hist *h, const elmo_fit_options *o,
                           elmo_fit *out, elmo_error *err) {
  elmo_dist *d = &out->dist;
  memset(out, 0, sizeof(*out));
  d->kind = kind;
  elmo_rc rc;
  switch (kind) {
    case ELMO_DIST_FIXED:
      rc = fit_fixed(h, d, err);
      break;
    case ELMO_DIST_UNIFORM:
      rc = fit_uniform(h, d, err);
      break;
    case ELMO_DIST_NORMAL:
      rc = fit_normal(h, d, err);
      break;
    case ELMO_DIST_EXPONENTIAL:
      rc = fit_exponential(h, d, err);
      break;
    case ELMO_DIST_PARETO:
      rc = fit_pareto(h, d, err);
      break;
    case ELMO_DIST_GPARETO:
      rc = fit_gpareto(h, d, err);
      break;
    case ELMO_DIST_ZIPFIAN:
    case ELMO_DIST_LATEST:
      rc = fit_zipf(h, o, d, err);
      break;
    case ELMO_DIST_POWER:
    case ELMO_DIST_TWO_TERM_EXP:
      rc = elmo_error_set(err, ELMO_EINVAL, "%s is a curve: fit it with elmo_fit_curve",
                          elmo_dist_kind_name(kind));
      break;
    default:
      rc = elmo_error_set(err, ELMO_EINVAL, "unknown dist kind %d", (int)kind);
  }
  if (rc == ELMO_OK) rc = elmo_dist_validate(d, 1, err);
  if (rc == ELMO_OK) fit_gof_hist(d, h, &out->gof);
  if (rc != ELMO_OK) memset(out, 0, sizeof(*out));
  return rc;
}

elmo_rc elmo_fit_dist(elmo_dist_kind kind, const elmo_sample *s, const elmo_fit_options *opts,
                      elmo_fit *out, elmo_error *err) {
  if (out == NULL) return elmo_error_set(err, ELMO_EINVAL, "fit_dist: out is NULL");
  memset(out, 0, sizeof(*out));
  fit_hist h;
  elmo_rc rc = fit_hist_build(s, "fit_dist", 2, &h, err);
  if (rc != ELMO_OK) return rc;
  rc = fit_on_hist(kind, &h, opts, out, err);
  fit_hist_free(&h);
  return rc;
}

/* ---- the chooser --------------------------------------------------------------------------- */

static unsigned default_kinds(const elmo_fit_options *o) {
  unsigned k = (1u << ELMO_DIST_FIXED) | (1u << ELMO_DIST_UNIFORM) | (1u << ELMO_DIST_NORMAL) |
               (1u << ELMO_DIST_EXPONENTIAL) | (1u << ELMO_DIST_PARETO) | (1u << ELMO_DIST_GPARETO);
  if (o->rank_n > 0) k |= 1u << ELMO_DIST_ZIPFIAN;
  return k;
}

/* Parsimony margin of the KS ranking, per parameter, in units of 1/sqrt(n): about half the
 * typical D of a correct model, so a nested model with more parameters (gpareto around
 * exponential, pareto or uniform) must beat the simpler one by more than sampling noise. */
#define KS_MARGIN_PER_PARAM 0.5

/* Sort key: NaN and infinity last. */
static double rank_key(const elmo_fit *f, elmo_fit_rank by) {
  double k;
  if (by == ELMO_FIT_RANK_AIC) {
    k = f->gof.aic;
  } else if (by == ELMO_FIT_RANK_BIC) {
    k = f->gof.bic;
  } else {
    double params = (double)elmo_dist_free_params(&f->dist);
    k = f->gof.ks_d + KS_MARGIN_PER_PARAM * params / sqrt((double)f->gof.n);
  }
  return isnan(k) ? INFINITY : k;
}

static void sort_fits(elmo_fit *f, size_t n, elmo_fit_rank by) {
  for (size_t i = 1; i < n; i++) {
    for (size_t j = i; j > 0; j--) {
      double a = rank_key(&f[j - 1], by), b = rank_key(&f[j], by);
      int worse = a > b || (a == b && elmo_dist_free_params(&f[j - 1].dist) >
                                          elmo_dist_free_params(&f[j].dist));
      if (!worse) break;
      elmo_fit t = f[j];
      f[j] = f[j - 1], f[j - 1] = t;
    }
  }
}

elmo_rc elmo_fit_best(const elmo_sample *s, const elmo_fit_options *opts, elmo_fit_report *out,
                      elmo_error *err) {
  if (out == NULL) return elmo_error_set(err, ELMO_EINVAL, "fit_best: out is NULL");
  memset(out, 0, sizeof(*out));
  elmo_fit_options o;
  if (opts != NULL)
    o = *opts;
  else
    elmo_fit_options_init(&o);
  unsigned kinds = o.kinds ? o.kinds : default_kinds(&o);
  fit_hist h;
  elmo_rc rc = fit_hist_build(s, "fit_best", 2, &h, err);
  if (rc != ELMO_OK) return rc;
  elmo_error last = {ELMO_OK, ""};
  for (int k = 0; k < ELMO_DIST_KIND_COUNT && rc == ELMO_OK; k++) {
    if (!(kinds & (1u << k))) continue;
    elmo_rc r = fit_on_hist((elmo_dist_kind)k, &h, &o, &out->fits[out->n_fits], &last);
    if (r == ELMO_OK)
      out->n_fits++;
    else if (r != ELMO_EINVAL)
      rc = elmo_error_set(err, r, "%s", last.message);
  }
  for (int k = ELMO_DIST_EXPONENTIAL; o.try_floor && k <= ELMO_DIST_GPARETO && rc == ELMO_OK; k++) {
    if (!(kinds & (1u << k)) || h.w[0] < 2 || h.m < 3 || out->n_fits >= ELMO_FIT_REPORT_MAX) {
      continue;
    }
    elmo_rc r = elmo_fit_floored((elmo_dist_kind)k, s, &out->fits[out->n_fits], &last);
    if (r == ELMO_OK)
      out->n_fits++;
    else if (r != ELMO_EINVAL)
      rc = elmo_error_set(err, r, "%s", last.message);
  }
  fit_hist_free(&h);
  if (rc == ELMO_OK && out->n_fits == 0) {
    rc = elmo_error_set(err, ELMO_EINVAL, "fit_best: no model applies (last: %s)", last.message);
  }
  if (rc != ELMO_OK) {
    memset(out, 0, sizeof(*out));
    return rc;
  }
  sort_fits(out->fits, out->n_fits, o.rank_by);
  const elmo_gof *g = &out->fits[0].gof;
  out->best_is_poor = !(g->r2 >= o.min_r2) || !(g->ks_p >= o.min_ks_p);
  return ELMO_OK;
}
