/* fit_sequential.c — normal and t quantiles, and group-sequential boundaries by alpha spending
 * (Lan and DeMets' method, Armitage–McPherson–Rowe recursion on a grid). See fit_internal.h. */
#include <math.h>
#include <stdlib.h>

#include "fit_internal.h"

double fit_norm_cdf(double z) { return 0.5 * erfc(-z / sqrt(2.0)); }

/* Bisection on a decreasing function of x: the x in [lo, hi] where f(x) = target. */
static double solve_decreasing(double (*f)(double x, void *ctx), void *ctx, double target, double lo,
                               double hi) {
  for (int i = 0; i < 200 && hi - lo > 1e-12 * (1 + fabs(lo)); i++) {
    double mid = 0.5 * (lo + hi);
    if (f(mid, ctx) > target) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

static double norm_upper(double z, void *ctx) {
  (void)ctx;
  return fit_norm_cdf(-z);
}

double fit_norm_upper_quantile(double q) {
  if (!(q > 0 && q < 1)) return NAN;
  return solve_decreasing(norm_upper, NULL, q, -40, 40);
}

static double t_upper(double t, void *ctx) {
  double df = *(const double *)ctx;
  double two = fit_t_pvalue(t, df);
  return t >= 0 ? two / 2 : 1 - two / 2;
}

double fit_t_upper_quantile(double q, double df) {
  if (!(q > 0 && q < 1) || !(df > 0)) return NAN;
  return solve_decreasing(t_upper, &df, q, -1e7, 1e7);
}

static const double kPi = 3.14159265358979323846;

static double phi(double z) { return exp(-0.5 * z * z) / sqrt(2 * kPi); }

static double spent(double alpha, double t) { return alpha * sqrt(t); }

enum { GRID = 601 };

/* The density of the score S (variance = information) on the paths that have not stopped yet. */
typedef struct path_density {
  double s[GRID], w[GRID]; /* points and density × trapezoid weight */
  double info;             /* the information at this look */
} path_density;

typedef struct crossing {
  const path_density *prev;
  double info; /* at the look being solved */
} crossing;

/* P(no stop before, Z >= z at this look) for a boundary z. */
static double cross_prob(double z, void *ctx) {
  const crossing *c = ctx;
  double b = z * sqrt(c->info), sd = sqrt(c->info - c->prev->info), sum = 0;
  for (int j = 0; j < GRID; j++) sum += c->prev->w[j] * fit_norm_cdf((c->prev->s[j] - b) / sd);
  return sum;
}

/* Grid from -8 sd to the boundary b (in S), with trapezoid weights applied by the caller. */
static void lay_grid(path_density *d, double info, double b) {
  double lo = -8 * sqrt(info), hi = b < 8 * sqrt(info) ? b : 8 * sqrt(info);
  d->info = info;
  for (int j = 0; j < GRID; j++) d->s[j] = lo + (hi - lo) * j / (GRID - 1);
}

static void trapezoid(path_density *d) {
  double h = (d->s[GRID - 1] - d->s[0]) / (GRID - 1);
  for (int j = 0; j < GRID; j++) d->w[j] *= (j == 0 || j == GRID - 1) ? h / 2 : h;
}

int fit_sequential_levels(const int *n, int k, double alpha, double *nominal) {
  if (n == NULL || nominal == NULL || k < 1 || k > 8 || !(alpha > 0 && alpha < 1)) return 0;
  for (int i = 0; i < k; i++) {
    if (n[i] < 1 || (i > 0 && n[i] <= n[i - 1])) return 0;
  }
  path_density *cur = malloc(sizeof *cur), *next = malloc(sizeof *next);
  if (cur == NULL || next == NULL) {
    free(cur);
    free(next);
    return 0;
  }
  double total = n[k - 1], before = 0;
  for (int i = 0; i < k; i++) {
    double info = n[i] / total, goal = spent(alpha, info) - before, z;
    if (i == 0) {
      z = fit_norm_upper_quantile(goal);
    } else {
      crossing c = {cur, info};
      z = goal > 0 ? solve_decreasing(cross_prob, &c, goal, -10, 40) : 40;
      before += cross_prob(z, &c) - goal; /* what the bisection left over, tiny */
    }
    before += goal;
    nominal[i] = fit_norm_cdf(-z);
    if (i == k - 1) break;
    /* The density at this look of the paths that go on (Z below the boundary). */
    lay_grid(next, info, z * sqrt(info));
    for (int j = 0; j < GRID; j++) {
      if (i == 0) {
        next->w[j] = phi(next->s[j] / sqrt(info)) / sqrt(info);
      } else {
        double sd = sqrt(info - cur->info), sum = 0;
        for (int m = 0; m < GRID; m++) sum += cur->w[m] * phi((next->s[j] - cur->s[m]) / sd) / sd;
        next->w[j] = sum;
      }
    }
    trapezoid(next);
    path_density *t = cur;
    cur = next;
    next = t;
  }
  free(cur);
  free(next);
  return 1;
}
