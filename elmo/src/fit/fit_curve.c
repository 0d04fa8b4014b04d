/* fit_curve.c — least-squares curve fits: mixgraph's power and two-term exponential, and the QPS
 * trend line and sine (see fit.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fit_internal.h"

static elmo_rc check_xy(const char *what, const double *x, const double *y, size_t n, size_t min_n,
                        elmo_error *err) {
  if (x == NULL || y == NULL) return elmo_error_set(err, ELMO_EINVAL, "%s: x or y is NULL", what);
  if (n < min_n) {
    return elmo_error_set(err, ELMO_EINVAL, "%s: %zu point(s); need at least %zu", what, n, min_n);
  }
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(x[i]) || !isfinite(y[i])) {
      return elmo_error_set(err, ELMO_EINVAL, "%s: point #%zu (%g, %g) is not finite", what, i,
                            x[i], y[i]);
    }
  }
  return ELMO_OK;
}

/* Total sum of squares of y about its mean. */
static double sst_of(const double *y, size_t n) {
  double m = 0, s = 0;
  for (size_t i = 0; i < n; i++) m += y[i];
  m /= (double)n;
  for (size_t i = 0; i < n; i++) s += (y[i] - m) * (y[i] - m);
  return s;
}

static void finish_curve(elmo_curve_fit *out, double sse, double sst, size_t n) {
  out->r2 = 1.0 - sse / sst;
  out->rmse = sqrt(sse / (double)n);
}

/* ---- power: y = a x^b, a in closed form for each b ----------------------------------------- */

typedef struct xy {
  const double *x, *y;
  size_t n;
  double x0, scale; /* two_term_exp: x' = (x - x0) / scale */
} xy;

/* The SSE of the best a for this b; *a_out gets that a. */
static double power_sse(double b, const xy *c, double *a_out) {
  double syx = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < c->n; i++) {
    double p = pow(c->x[i], b);
    syx += c->y[i] * p, sxx += p * p, syy += c->y[i] * c->y[i];
  }
  if (!(sxx > 0) || !isfinite(sxx)) return INFINITY;
  if (a_out) *a_out = syx / sxx;
  return fmax(0.0, syy - syx * syx / sxx);
}

static double power_obj(double b, void *ctx) { return power_sse(b, ctx, NULL); }

/* Slope of ln y on ln x over the points with y > 0 (1 when fewer than two). */
static double loglog_slope(const xy *c) {
  double sx = 0, sy = 0, sxx = 0, sxy = 0, k = 0;
  for (size_t i = 0; i < c->n; i++) {
    if (!(c->y[i] > 0)) continue;
    double lx = log(c->x[i]), ly = log(c->y[i]);
    sx += lx, sy += ly, sxx += lx * lx, sxy += lx * ly, k++;
  }
  double den = k * sxx - sx * sx;
  return (k >= 2 && den > 0) ? (k * sxy - sx * sy) / den : 1.0;
}

static elmo_rc fit_power(const xy *c, double sst, elmo_curve_fit *out, elmo_error *err) {
  for (size_t i = 0; i < c->n; i++) {
    if (!(c->x[i] > 0)) {
      return elmo_error_set(err, ELMO_EINVAL, "power: x must be > 0, got x[%zu] = %g", i, c->x[i]);
    }
  }
  double b0 = loglog_slope(c), w = fmax(2.0, 2.0 * fabs(b0));
  double best_b = b0, best = INFINITY, step = 2 * w / 200;
  for (int i = 0; i <= 200; i++) {
    double b = b0 - w + step * i, f = power_obj(b, (void *)c);
    if (f < best) best = f, best_b = b;
  }
  double b = fit_golden_min(power_obj, (void *)c, best_b - step, best_b + step, 1e-10, NULL), a = 0;
  double sse = power_sse(b, c, &a);
  if (!isfinite(sse)) return elmo_error_set(err, ELMO_EINVAL, "power: the fit overflowed");
  out->curve.kind = ELMO_DIST_POWER;
  out->curve.params[0] = a;
  out->curve.params[1] = b;
  finish_curve(out, sse, sst, c->n);
  return ELMO_OK;
}

/* ---- two-term exponential by variable projection ------------------------------------------- */

/* For rates (rb, rd) in scaled units, the LS (a, c) and the SSE. */
static double tte_sse(const xy *c, double rb, double rd, double *ac) {
  double suu = 0, svv = 0, suv = 0, suy = 0, svy = 0;
  for (size_t i = 0; i < c->n; i++) {
    double t = (c->x[i] - c->x0) / c->scale, u = exp(rb * t), v = exp(rd * t);
    suu += u * u, svv += v * v, suv += u * v, suy += u * c->y[i], svy += v * c->y[i];
  }
  double det = suu * svv - suv * suv, a, cc;
  if (!isfinite(det) || !(suu > 0) || !(svv > 0)) return INFINITY;
  if (det <= 1e-12 * suu * svv) {
    a = suy / suu, cc = 0; /* the two terms coincide: one term */
  } else {
    a = (suy * svv - svy * suv) / det, cc = (svy * suu - suy * suv) / det;
  }
  double sse = 0;
  for (size_t i = 0; i < c->n; i++) {
    double t = (c->x[i] - c->x0) / c->scale, r = c->y[i] - a * exp(rb * t) - cc * exp(rd * t);
    sse += r * r;
  }
  if (ac) ac[0] = a, ac[1] = cc;
  return isfinite(sse) ? sse : INFINITY;
}

static double tte_obj(const double *r, void *ctx) { return tte_sse(ctx, r[0], r[1], NULL); }

static const double kRates[] = {0, 0.25, -0.25, 0.5, -0.5, 1,   -1, 2,   -2, 3,   -3,  5,   -5,
                                8, -8,   12,    -12, 20,   -20, 35, -35, 60, -60, 100, -100};

static void tte_grid(const xy *c, double *r) {
  size_t nr = sizeof(kRates) / sizeof(kRates[0]);
  double best = INFINITY;
  for (size_t i = 0; i < nr; i++) {
    for (size_t j = 0; j < nr; j++) {
      if (!(kRates[i] < kRates[j])) continue;
      double f = tte_sse(c, kRates[i], kRates[j], NULL);
      if (f < best) best = f, r[0] = kRates[i], r[1] = kRates[j];
    }
  }
}

static elmo_rc fit_tte(xy *c, double sst, elmo_curve_fit *out, elmo_error *err) {
  double lo = c->x[0], hi = c->x[0];
  for (size_t i = 1; i < c->n; i++) lo = fmin(lo, c->x[i]), hi = fmax(hi, c->x[i]);
  if (!(hi > lo)) return elmo_error_set(err, ELMO_EINVAL, "two_term_exp: every x is %g", lo);
  c->x0 = lo, c->scale = hi - lo;
  double r[2] = {-1, 1}, step[2] = {0.5, 0.5}, ac[2];
  tte_grid(c, r);
  for (int round = 0; round < 4; round++) {
    fit_nelder_mead(tte_obj, c, r, 2, step, 1e-15, 4000);
    step[0] = step[1] = 0.1;
  }
  if (r[0] > r[1]) {
    double t = r[0];
    r[0] = r[1], r[1] = t;
  }
  double sse = tte_sse(c, r[0], r[1], ac);
  double b = r[0] / c->scale, d = r[1] / c->scale;
  double a = ac[0] * exp(-b * c->x0), cc = ac[1] * exp(-d * c->x0);
  if (!isfinite(sse) || !isfinite(a) || !isfinite(cc)) {
    return elmo_error_set(err, ELMO_EINVAL, "two_term_exp: the fit overflowed");
  }
  out->curve.kind = ELMO_DIST_TWO_TERM_EXP;
  out->curve.params[0] = a, out->curve.params[1] = b;
  out->curve.params[2] = cc, out->curve.params[3] = d;
  finish_curve(out, sse, sst, c->n);
  return ELMO_OK;
}

elmo_rc elmo_fit_curve(elmo_dist_kind kind, const double *x, const double *y, size_t n,
                       elmo_curve_fit *out, elmo_error *err) {
  if (out == NULL) return elmo_error_set(err, ELMO_EINVAL, "fit_curve: out is NULL");
  memset(out, 0, sizeof(*out));
  if (kind != ELMO_DIST_POWER && kind != ELMO_DIST_TWO_TERM_EXP) {
    return elmo_error_set(err, ELMO_EINVAL, "fit_curve: kind must be power or two_term_exp, got %s",
                          elmo_dist_kind_name(kind) ? elmo_dist_kind_name(kind) : "unknown");
  }
  const char *what = elmo_dist_kind_name(kind);
  elmo_rc rc = check_xy(what, x, y, n, kind == ELMO_DIST_POWER ? 3 : 5, err);
  if (rc != ELMO_OK) return rc;
  double sst = sst_of(y, n);
  if (!fit_varies(y, n) || !(sst > 0)) {
    return elmo_error_set(err, ELMO_EINVAL, "%s: y is constant (%g)", what, y[0]);
  }
  xy c = {x, y, n, 0, 1};
  rc = kind == ELMO_DIST_POWER ? fit_power(&c, sst, out, err) : fit_tte(&c, sst, out, err);
  if (rc != ELMO_OK) memset(out, 0, sizeof(*out));
  return rc;
}

/* ---- trend --------------------------------------------------------------------------------- */

elmo_rc elmo_fit_trend(const double *x, const double *y, size_t n, double alpha,
                       elmo_trend_fit *out, elmo_error *err) {
  if (out == NULL) return elmo_error_set(err, ELMO_EINVAL, "fit_trend: out is NULL");
  memset(out, 0, sizeof(*out));
  elmo_rc rc = check_xy("trend", x, y, n, 3, err);
  if (rc != ELMO_OK) return rc;
  if (!(alpha > 0 && alpha < 1)) {
    return elmo_error_set(err, ELMO_EINVAL, "trend: alpha must be in (0, 1), got %g", alpha);
  }
  double mx = 0, my = 0, sxx = 0, sxy = 0, sse = 0;
  for (size_t i = 0; i < n; i++) mx += x[i], my += y[i];
  mx /= (double)n, my /= (double)n;
  for (size_t i = 0; i < n; i++) sxx += (x[i] - mx) * (x[i] - mx), sxy += (x[i] - mx) * (y[i] - my);
  if (!(sxx > 0)) return elmo_error_set(err, ELMO_EINVAL, "trend: every x is %g", x[0]);
  out->slope = sxy / sxx;
  out->intercept = my - out->slope * mx;
  for (size_t i = 0; i < n; i++) {
    double r = y[i] - out->intercept - out->slope * x[i];
    sse += r * r;
  }
  double sst = sst_of(y, n);
  out->r2 = sst > 0 ? 1.0 - sse / sst : 1.0;
  out->slope_stderr = sqrt(sse / (double)(n - 2) / sxx);
  if (out->slope_stderr > 0) {
    out->t_stat = out->slope / out->slope_stderr;
  } else {
    out->t_stat = out->slope == 0 ? 0 : copysign(INFINITY, out->slope);
  }
  out->p_value = fit_t_pvalue(out->t_stat, (double)(n - 2));
  out->significant = out->p_value < alpha;
  return ELMO_OK;
}
