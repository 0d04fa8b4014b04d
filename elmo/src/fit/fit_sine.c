/* fit_sine.c — y = A·sin(B·x + C) + D by a least-squares periodogram over B, then golden-section
 * refinement and linear least squares for A, C, D (see fit.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fit_internal.h"

#define FIT_PI 3.14159265358979323846
#define SINE_SCAN_BUDGET 2e7 /* points x frequencies of the scan */
#define SINE_OVERSAMPLE 5.0  /* grid points per 2π/span */

typedef struct series {
  const double *x, *y;
  size_t n;
  double off; /* the mean of y, subtracted for precision */
  double yy;  /* sum of (y - off)² */
} series;

/* Solves the 3x3 system m·b = r by Gaussian elimination with partial pivoting. Returns 0, or -1
 * when singular. */
static int solve3(double m[3][3], double r[3], double b[3]) {
  for (int c = 0; c < 3; c++) {
    int p = c;
    for (int i = c + 1; i < 3; i++)
      if (fabs(m[i][c]) > fabs(m[p][c])) p = i;
    if (!(fabs(m[p][c]) > 1e-300)) return -1;
    for (int k = 0; k < 3; k++) {
      double t = m[c][k];
      m[c][k] = m[p][k], m[p][k] = t;
    }
    double t = r[c];
    r[c] = r[p], r[p] = t;
    for (int i = c + 1; i < 3; i++) {
      double f = m[i][c] / m[c][c];
      for (int k = c; k < 3; k++) m[i][k] -= f * m[c][k];
      r[i] -= f * r[c];
    }
  }
  for (int c = 2; c >= 0; c--) {
    double s = r[c];
    for (int k = c + 1; k < 3; k++) s -= m[c][k] * b[k];
    b[c] = s / m[c][c];
  }
  return 0;
}

/* LS of y on [sin wx, cos wx, 1]: coef = {alpha, beta, D}; returns the SSE (INFINITY if
 * singular). */
static double sine_ls(const series *s, double w, double coef[3]) {
  double m[3][3] = {{0}}, r[3] = {0};
  for (size_t i = 0; i < s->n; i++) {
    double sn = sin(w * s->x[i]), cs = cos(w * s->x[i]), y = s->y[i] - s->off;
    m[0][0] += sn * sn, m[0][1] += sn * cs, m[0][2] += sn;
    m[1][1] += cs * cs, m[1][2] += cs;
    r[0] += sn * y, r[1] += cs * y, r[2] += y;
  }
  m[1][0] = m[0][1], m[2][0] = m[0][2], m[2][1] = m[1][2], m[2][2] = (double)s->n;
  double rr[3] = {r[0], r[1], r[2]};
  if (solve3(m, rr, coef) != 0) return INFINITY;
  double sse = s->yy - (coef[0] * r[0] + coef[1] * r[1] + coef[2] * r[2]);
  return sse > 0 ? sse : 0;
}

static double sine_obj(double w, void *ctx) {
  double coef[3];
  return sine_ls(ctx, w, coef);
}

static int dbl_cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The span of x and the median positive gap between sorted x. Returns -1 when out of memory. */
static int x_spacing(const double *x, size_t n, double *span, double *gap) {
  double *t = malloc(n * sizeof(double));
  if (t == NULL) return -1;
  memcpy(t, x, n * sizeof(double));
  qsort(t, n, sizeof(double), dbl_cmp);
  *span = t[n - 1] - t[0];
  size_t k = 0;
  for (size_t i = 1; i < n; i++) {
    if (t[i] > t[i - 1]) t[k++] = t[i] - t[i - 1];
  }
  qsort(t, k, sizeof(double), dbl_cmp);
  *gap = k ? t[k / 2] : 0;
  free(t);
  return 0;
}

/* The best angular frequency: a grid scan, then golden section around the best grid cell. */
static double sine_scan(const series *s, double span, double gap) {
  double lo = FIT_PI / span, hi = FIT_PI / gap;
  if (!(hi > lo)) hi = 2 * lo;
  double step = 2 * FIT_PI / (SINE_OVERSAMPLE * span);
  double count = floor((hi - lo) / step) + 1, cap = fmax(50.0, SINE_SCAN_BUDGET / (double)s->n);
  if (count > cap) count = cap, step = (hi - lo) / (count - 1);
  double best_w = lo, best = INFINITY;
  for (double i = 0; i < count; i++) {
    double w = lo + step * i, f = sine_obj(w, (void *)s);
    if (f < best) best = f, best_w = w;
  }
  double a = fmax(lo * 0.5, best_w - step), b = best_w + step;
  return fit_golden_min(sine_obj, (void *)s, a, b, step * 1e-9, NULL);
}

elmo_rc elmo_fit_sine(const double *x, const double *y, size_t n, elmo_sine_fit *out,
                      elmo_error *err) {
  if (out == NULL) return elmo_error_set(err, ELMO_EINVAL, "fit_sine: out is NULL");
  memset(out, 0, sizeof(*out));
  if (x == NULL || y == NULL || n < 5) {
    return elmo_error_set(err, ELMO_EINVAL, "sine: need x, y and at least 5 points, got %zu", n);
  }
  series s = {x, y, n, 0, 0};
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(x[i]) || !isfinite(y[i])) {
      return elmo_error_set(err, ELMO_EINVAL, "sine: point #%zu (%g, %g) is not finite", i, x[i],
                            y[i]);
    }
    s.off += y[i] / (double)n;
  }
  for (size_t i = 0; i < n; i++) s.yy += (y[i] - s.off) * (y[i] - s.off);
  double span, gap, coef[3], sst = s.yy;
  if (x_spacing(x, n, &span, &gap) != 0) return elmo_error_set(err, ELMO_ENOMEM, "sine: no memory");
  if (!(span > 0)) return elmo_error_set(err, ELMO_EINVAL, "sine: every x is %g", x[0]);
  if (!fit_varies(y, n)) return elmo_error_set(err, ELMO_EINVAL, "sine: y is constant (%g)", y[0]);
  double w = sine_scan(&s, span, gap), sse = sine_ls(&s, w, coef);
  out->a = hypot(coef[0], coef[1]);
  out->b = w;
  out->c = atan2(coef[1], coef[0]);
  out->d = coef[2] + s.off;
  out->period = 2 * FIT_PI / w;
  out->r2 = 1.0 - sse / sst;
  return ELMO_OK;
}
