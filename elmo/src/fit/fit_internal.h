/* fit_internal.h — shared pieces of the fit module (fit*.c): sorted histograms, generalized
 * harmonic numbers, the two optimisers and the per-model density. Not a public interface. */
#ifndef ELMO_FIT_INTERNAL_H
#define ELMO_FIT_INTERNAL_H

#include <stddef.h>

#include "elmo/fit.h"

/* A sample as sorted distinct values v[0] < ... < v[m-1] with weights w[] (> 0) summing to n. */
typedef struct fit_hist {
  double *v;
  double *w;
  size_t m;
  double n;
} fit_hist;

/* Builds h from s: rejects NULL/empty (what names the sample in messages), NaN and infinite
 * values; needs at least min_n observations. Returns ELMO_OK, ELMO_EINVAL, ELMO_ENOMEM. */
elmo_rc fit_hist_build(const elmo_sample *s, const char *what, double min_n, fit_hist *h,
                       elmo_error *err);
void fit_hist_free(fit_hist *h);
/* Weighted mean and (population) variance of h. */
void fit_hist_moments(const fit_hist *h, double *mean, double *var);

/* Generalized harmonic numbers H(k, theta) = sum_{j=1}^{k} j^-theta in O(1) after setup: the
 * first FIT_ZETA_HEAD terms are summed, the rest by Euler–Maclaurin. */
#define FIT_ZETA_HEAD 128
typedef struct fit_zeta {
  double theta;
  double pre[FIT_ZETA_HEAD + 1]; /* pre[k] = H(k, theta) */
} fit_zeta;

void fit_zeta_init(fit_zeta *z, double theta);
double fit_zeta_h(const fit_zeta *z, double k);

/* Minimises f on [lo, hi] by golden-section search until the bracket is below tol (absolute).
 * Returns the argmin; *fmin (if non-NULL) gets f there. */
typedef double (*fit_fn1)(double x, void *ctx);
double fit_golden_min(fit_fn1 f, void *ctx, double lo, double hi, double tol, double *fmin);

/* Minimises f over R^dim (dim <= 4) by Nelder–Mead from x (IN: start, OUT: best) with initial
 * steps step[]; stops when the simplex's f values span less than ftol (relative + absolute) or
 * after max_evals evaluations. f may return INFINITY for infeasible points. Returns f(x). */
typedef double (*fit_fnn)(const double *x, void *ctx);
double fit_nelder_mead(fit_fnn f, void *ctx, double *x, size_t dim, const double *step, double ftol,
                       int max_evals);

/* log density (continuous kinds) or log pmf (rank kinds, fixed) of d at x; z is the harmonic
 * table of d's theta for zipfian/latest (NULL otherwise). -INFINITY outside the support. */
double fit_logpdf(const elmo_dist *d, const fit_zeta *z, double x);
/* P(X < x) (the left limit of the CDF): equals the CDF for continuous kinds. */
double fit_cdf_left(const elmo_dist *d, double x);
/* Zipf CDF with a prepared table: H(floor(x)) / H(n). */
double fit_zipf_cdf(const fit_zeta *z, double n, double x);

/* classes: start[g] = the last rank before class g (start[0] = 0, start[n_classes] = n). */
void fit_classes_bounds(const elmo_dist *d, double start[ELMO_DIST_CLASSES_MAX + 1]);

/* two_term_exp's weight a·e^(bx) + c·e^(dx) at x (p = params). */
double fit_tte_weight(const double *p, double x);

/* 1 when v[0..n) are not all equal. */
int fit_varies(const double *v, size_t n);

/* Student t two-sided p-value P(|T| >= |t|) with df degrees of freedom. */
double fit_t_pvalue(double t, double df);

/* F distribution's upper tail P(F >= f) with d1, d2 degrees of freedom (1 for f <= 0). */
double fit_f_pvalue(double f, double d1, double d2);

/* Standard normal: P(Z <= z), and the z with P(Z >= z) = q (0 < q < 1). */
double fit_norm_cdf(double z);
double fit_norm_upper_quantile(double q);
/* Student t: the t with one-sided P(T >= t) = q (0 < q < 1) with df degrees of freedom. */
double fit_t_upper_quantile(double q, double df);

/* Group-sequential levels (fit_sequential.c): looks after n[0] < n[1] < ... < n[k-1] pairs (the
 * last is the most planned), one-sided overall level alpha spent by the power-family function
 * alpha * sqrt(t) (Kim and DeMets, rho 1/2: early looks get much of it, so clear gains stop
 * early) of the information fraction t = n[i] / n[k-1]. nominal[i] is the
 * one-sided p-value a look must beat: the boundaries are computed for the joint normal law of
 * the looks' statistics (numerical integration), so the chance of calling noise a gain over all
 * the looks is alpha, not less (Bonferroni's alpha / k). k 1..8; returns 0 on bad input. */
int fit_sequential_levels(const int *n, int k, double alpha, double *nominal);

/* Fills the goodness of fit of d (valid) on h. */
void fit_gof_hist(const elmo_dist *d, const fit_hist *h, elmo_gof *out);

#endif /* ELMO_FIT_INTERNAL_H */
