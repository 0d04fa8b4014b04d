/* fit_optim.c — the two derivative-free minimisers the fits use: golden-section search in one
 * dimension and Nelder–Mead (reflection 1, expansion 2, contraction 1/2, shrink 1/2) in a few. */
#include <math.h>
#include <string.h>

#include "fit_internal.h"

#define INV_PHI 0.6180339887498949 /* (sqrt(5) - 1) / 2 */

double fit_golden_min(fit_fn1 f, void *ctx, double lo, double hi, double tol, double *fmin) {
  double a = lo, b = hi;
  double c = b - INV_PHI * (b - a), d = a + INV_PHI * (b - a);
  double fc = f(c, ctx), fd = f(d, ctx);
  for (int it = 0; it < 200 && (b - a) > tol; it++) {
    if (fc <= fd) {
      b = d, d = c, fd = fc;
      c = b - INV_PHI * (b - a);
      fc = f(c, ctx);
    } else {
      a = c, c = d, fc = fd;
      d = a + INV_PHI * (b - a);
      fd = f(d, ctx);
    }
  }
  double x = fc <= fd ? c : d;
  if (fmin != NULL) *fmin = fc <= fd ? fc : fd;
  return x;
}

#define NM_MAX_DIM 4

typedef struct simplex {
  size_t dim;
  double x[NM_MAX_DIM + 1][NM_MAX_DIM];
  double f[NM_MAX_DIM + 1];
} simplex;

/* Index order: best first, worst last (insertion sort; at most 5 points). */
static void simplex_sort(simplex *s) {
  for (size_t i = 1; i <= s->dim; i++) {
    for (size_t j = i; j > 0 && s->f[j] < s->f[j - 1]; j--) {
      double tf = s->f[j];
      s->f[j] = s->f[j - 1], s->f[j - 1] = tf;
      double tx[NM_MAX_DIM];
      memcpy(tx, s->x[j], sizeof(tx));
      memcpy(s->x[j], s->x[j - 1], sizeof(tx));
      memcpy(s->x[j - 1], tx, sizeof(tx));
    }
  }
}

/* p = centroid + t (centroid - worst), the centroid over all points but the worst. */
static void simplex_along(const simplex *s, double t, double *p) {
  size_t n = s->dim;
  for (size_t k = 0; k < n; k++) {
    double c = 0;
    for (size_t i = 0; i < n; i++) c += s->x[i][k];
    c /= (double)n;
    p[k] = c + t * (c - s->x[n][k]);
  }
}

static void simplex_set(simplex *s, size_t i, const double *p, double fp) {
  memcpy(s->x[i], p, s->dim * sizeof(double));
  s->f[i] = fp;
}

/* One Nelder–Mead step on a sorted simplex. Returns the number of evaluations used. */
static int nm_step(simplex *s, fit_fnn f, void *ctx) {
  size_t n = s->dim;
  double r[NM_MAX_DIM], e[NM_MAX_DIM], c[NM_MAX_DIM];
  simplex_along(s, 1.0, r);
  double fr = f(r, ctx);
  if (fr < s->f[0]) {
    simplex_along(s, 2.0, e);
    double fe = f(e, ctx);
    if (fe < fr)
      simplex_set(s, n, e, fe);
    else
      simplex_set(s, n, r, fr);
    return 2;
  }
  if (fr < s->f[n - 1]) {
    simplex_set(s, n, r, fr);
    return 1;
  }
  int outside = fr < s->f[n];
  simplex_along(s, outside ? 0.5 : -0.5, c);
  double fc = f(c, ctx);
  if (fc < (outside ? fr : s->f[n])) {
    simplex_set(s, n, c, fc);
    return 2;
  }
  for (size_t i = 1; i <= n; i++) { /* shrink towards the best point */
    for (size_t k = 0; k < n; k++) s->x[i][k] = s->x[0][k] + 0.5 * (s->x[i][k] - s->x[0][k]);
    s->f[i] = f(s->x[i], ctx);
  }
  return 2 + (int)n;
}

double fit_nelder_mead(fit_fnn f, void *ctx, double *x, size_t dim, const double *step, double ftol,
                       int max_evals) {
  simplex s;
  if (dim == 0 || dim > NM_MAX_DIM) return NAN;
  s.dim = dim;
  for (size_t i = 0; i <= dim; i++) {
    memcpy(s.x[i], x, dim * sizeof(double));
    if (i > 0) s.x[i][i - 1] += step[i - 1];
    s.f[i] = f(s.x[i], ctx);
  }
  int evals = (int)dim + 1;
  simplex_sort(&s);
  while (evals < max_evals) {
    double spread = fabs(s.f[dim] - s.f[0]);
    if (isfinite(s.f[dim]) && spread <= ftol * (fabs(s.f[0]) + ftol)) break;
    evals += nm_step(&s, f, ctx);
    simplex_sort(&s);
  }
  memcpy(x, s.x[0], dim * sizeof(double));
  return s.f[0];
}
