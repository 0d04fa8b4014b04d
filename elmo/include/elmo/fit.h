/*
 * fit.h — distribution models, their random generators, fitting and goodness of fit, for
 * characterizing workloads from query traces and for synthesizing benchmarks that match them.
 *
 * Module elmo/src/fit/: distributions and their fitting: densities and samplers (fit_dist.c,
 *  fit_sample.c), optimisers (fit_optim.c), curves and seasonality (fit_curve.c, fit_sine.c),
 *  tests (fit_stats.c), the JSON form (fit_json.c), the entry points (fit.c). Uses base.
 *
 * Conventions: see elmo.h. Everything here is pure: no I/O, no clock, no globals (only const
 * tables), no locale dependence; thread-safe on distinct objects. Inputs are borrowed for the
 * duration of the call only. Fits allocate scratch memory (ELMO_ENOMEM) and free it before
 * returning; results are plain structs the caller owns.
 *
 * Models (elmo_dist.kind, params[] in this order, and their JSON field names):
 *
 *   kind                  JSON "dist"     params[0..3]               support / meaning
 *   ELMO_DIST_FIXED       "fixed"         value                      always value
 *   ELMO_DIST_UNIFORM     "uniform"       min, max                   continuous on [min, max]
 *   ELMO_DIST_NORMAL      "normal"        mean, stddev               stddev > 0
 *   ELMO_DIST_EXPONENTIAL "exponential"   lambda                     rate > 0, x >= 0
 *   ELMO_DIST_PARETO      "pareto"        xm, alpha                  Pareto type I, x >= xm > 0:
 *                                                                    F(x) = 1 - (xm/x)^alpha
 *   ELMO_DIST_GPARETO     "gpareto"       theta, sigma, k            generalized Pareto, mixgraph's
 *                  F(x) = 1 - (1 + k(x-theta)/sigma)^(-1/k), x >= theta, sigma > 0; k = 0 is the
 *                  exponential limit, k < 0 a bounded support up to theta - sigma/k. The inverse
 *                  is mixgraph's value-size model value = theta + sigma(u^-k - 1)/k.
 *   ELMO_DIST_ZIPFIAN     "zipfian"       theta            + n       ranks 1..n, P(r) ∝ r^-theta,
 *                                                                    any theta > 0 (also < 1, = 1)
 *   ELMO_DIST_LATEST      "latest"        theta            + n       recency ranks 1..n (1 = the
 *                  most recently written key), P(r) ∝ r^-theta: YCSB's "latest" modelled as a
 *                  zipfian over the distance from the newest key. The sampler returns the rank;
 *                  the caller maps it to key = newest - (rank - 1).
 *   ELMO_DIST_POWER       "power"         a, b                       mixgraph's key-access CDF
 *                  F(x) = a·x^b on [0, (1/a)^(1/b)] (a > 0, b > 0); sampling inverts it:
 *                  x = (u/a)^(1/b), as db_bench does.
 *   ELMO_DIST_TWO_TERM_EXP "two_term_exp" a, b, c, d       + n       mixgraph's key-range hotness:
 *                  range x in 1..n is drawn with P(x) ∝ a·e^(bx) + c·e^(dx) (every weight must
 *                  be >= 0 and their sum > 0).
 *   ELMO_DIST_CLASSES     "classes"       (arrays, see below)  + n     popularity classes over ranks
 *                  1..n: class g holds the fraction keys[g] of the ranks and draws the fraction
 *                  shares[g] of the accesses, spread evenly over its ranks. Classes are listed
 *                  hottest first (shares[g]/keys[g] never increases), 1..ELMO_DIST_CLASSES_MAX of
 *                  them, each array > 0 and summing to 1 (within 1e-6). JSON:
 *                  {"dist":"classes","keys":[0.1,0.9],"shares":[0.8,0.2]}. It is what a mixed
 *                  Poisson fit of per-key access counts gives (elmo_fit_classes).
 *
 * Clamps (size kinds normal, exponential, pareto, gpareto only): "min" and/or "max" in the JSON
 * object (elmo_dist.clamp bits, clamp_min, clamp_max). A draw below min becomes min and one above
 * max becomes max, so min carries the point mass F(min) and max the mass 1 - F(max) (db_bench's
 * mixgraph raises values below 10 bytes to 10: {"dist":"gpareto",...,"min":10}). min < max when
 * both are given. CDF, mean, sampling and goodness of fit all include the clamps.
 *
 * JSON: {"dist":"zipfian","theta":0.99,"n":1000000}. "n" is optional for zipfian / latest /
 * two_term_exp (0 = not known yet, e.g. taken from the key count elsewhere; such a dist cannot
 * be sampled until n is set). For mixgraph's spelling, "pareto" with the fields theta/sigma/k
 * is read as the generalized Pareto (kind ELMO_DIST_GPARETO) and written back as "gpareto".
 *
 * Goodness of fit (elmo_gof), for fits to a sample:
 *  - ks_d: the one-sample Kolmogorov–Smirnov statistic sup_x |Fn(x) - F(x)|, evaluated exactly at
 *    both sides of every distinct data value (so it is exact for discrete models and ties too).
 *  - ks_p: Q_KS(λ) with Stephens' correction λ = (√n + 0.12 + 0.11/√n)·D, Q_KS the asymptotic
 *    Kolmogorov distribution. Two caveats: when the parameters were estimated from the same
 *    data (every fit here), and for discrete models (zipfian, latest, fixed), the p-value is
 *    conservative (too large): a small p still means a bad fit, a large p proves less.
 *  - r2: 1 - SSE/SST between the empirical CDF Fn(v) and the model CDF F(v), over the distinct
 *    data values v (histogram bins), each weighted once. SST = Σ(Fn(v) - mean Fn)². With one
 *    distinct value, r2 = 1 when the model puts all mass at or below it and 0 otherwise.
 *  - log_lik: the log-likelihood (density for continuous models, pmf for discrete ones, 0 for a
 *    fixed model that explains every value); aic = 2·n_params - 2·log_lik, bic = ln(n)·n_params
 *    - 2·log_lik. They compare models of the same kind of data only (densities and pmfs are not
 *    comparable; a fixed model that fits has an AIC of 2, beating any density). Between nested
 *    models (gpareto contains exponential and pareto) AIC picks the bigger one in roughly one
 *    sample of four; BIC seldom does.
 * For curve fits r2 is the usual 1 - SSE/SST of y.
 */
#ifndef ELMO_FIT_H
#define ELMO_FIT_H

#include <stddef.h>
#include <stdint.h>

#include "elmo/elmo.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- random numbers ------------------------------------------------------------------------ */

/* xoshiro256** seeded through splitmix64. A plain value: copy it to fork a stream. */
typedef struct elmo_rng {
  uint64_t s[4];
} elmo_rng;

/* Seeds rng from one 64-bit seed (every seed, 0 included, gives a valid state). */
ELMO_API void elmo_rng_seed(elmo_rng *rng, uint64_t seed);
/* The next 64 random bits. */
ELMO_API uint64_t elmo_rng_next(elmo_rng *rng);
/* A uniform double in the open interval (0, 1), 53 random bits. */
ELMO_API double elmo_rng_uniform(elmo_rng *rng);
/* A standard normal deviate (Box–Muller; uses two uniforms per call, keeps no spare). */
ELMO_API double elmo_rng_normal(elmo_rng *rng);

/* ---- models -------------------------------------------------------------------------------- */

typedef enum elmo_dist_kind {
  ELMO_DIST_FIXED = 0,
  ELMO_DIST_UNIFORM = 1,
  ELMO_DIST_NORMAL = 2,
  ELMO_DIST_EXPONENTIAL = 3,
  ELMO_DIST_PARETO = 4,
  ELMO_DIST_GPARETO = 5,
  ELMO_DIST_ZIPFIAN = 6,
  ELMO_DIST_LATEST = 7,
  ELMO_DIST_POWER = 8,
  ELMO_DIST_TWO_TERM_EXP = 9,
  ELMO_DIST_CLASSES = 10
} elmo_dist_kind;

#define ELMO_DIST_KIND_COUNT 11
#define ELMO_DIST_PARAMS_MAX 4
#define ELMO_DIST_CLASSES_MAX 8 /* popularity classes of a "classes" dist */

/* elmo_dist.clamp bits. */
#define ELMO_DIST_CLAMP_MIN 1u
#define ELMO_DIST_CLAMP_MAX 2u

/* A model: the kind, its parameters (see the table above; unused ones are 0), for the discrete
 * kinds (zipfian, latest, two_term_exp, classes) the number of ranks n, the optional clamps of a
 * size kind, and the arrays of a "classes" dist. All-zero extras mean none: a dist that is
 * memset to 0 and given a kind and params is unclamped. */
typedef struct elmo_dist {
  elmo_dist_kind kind;
  double params[ELMO_DIST_PARAMS_MAX];
  uint64_t n;
  unsigned clamp;             /* ELMO_DIST_CLAMP_* bits */
  double clamp_min;           /* with ELMO_DIST_CLAMP_MIN: draws below become this */
  double clamp_max;           /* with ELMO_DIST_CLAMP_MAX: draws above become this */
  size_t n_classes;           /* classes: 1..ELMO_DIST_CLASSES_MAX (0 for other kinds) */
  double class_keys[ELMO_DIST_CLASSES_MAX];   /* classes: fraction of the ranks, hottest first */
  double class_shares[ELMO_DIST_CLASSES_MAX]; /* classes: fraction of the accesses */
} elmo_dist;

/* The JSON / display name of kind ("zipfian"), or NULL for an unknown kind. Static storage. */
ELMO_API const char *elmo_dist_kind_name(elmo_dist_kind kind);
/* Looks a name up (exact, lowercase). OUT *out. Returns ELMO_OK or ELMO_ENOTFOUND listing the
 * names. */
ELMO_API elmo_rc elmo_dist_kind_from_name(const char *name, elmo_dist_kind *out, elmo_error *err);
/* Number of parameters of kind (0 for an unknown kind). */
ELMO_API size_t elmo_dist_param_count(elmo_dist_kind kind);
/* Name of parameter i of kind ("theta"), NULL when out of range. Static storage. */
ELMO_API const char *elmo_dist_param_name(elmo_dist_kind kind, size_t i);
/* True (1) when kind is discrete over ranks 1..n (zipfian, latest, two_term_exp, classes). */
ELMO_API int elmo_dist_is_rank(elmo_dist_kind kind);
/* True (1) when kind may carry clamps (normal, exponential, pareto, gpareto). */
ELMO_API int elmo_dist_can_clamp(elmo_dist_kind kind);
/* The free parameters of d as the chooser charges them: the kind's parameters, one per clamp,
 * and 2·n_classes - 1 for classes. */
ELMO_API size_t elmo_dist_free_params(const elmo_dist *d);

/* Checks the kind, that parameters are finite and in range (message names the field and the
 * allowed range) and, when need_n, that n >= 1 for the rank kinds. Returns ELMO_OK or
 * ELMO_EINVAL. */
ELMO_API elmo_rc elmo_dist_validate(const elmo_dist *d, int need_n, elmo_error *err);

/* P(X <= x) for a valid dist (NaN when d is invalid or x is NaN). Rank kinds: O(1) for
 * zipfian/latest (Euler–Maclaurin tail, relative error < 1e-10), O(n) for two_term_exp. */
ELMO_API double elmo_dist_cdf(const elmo_dist *d, double x);

/* The mean of d (NaN when invalid or infinite, e.g. gpareto with k >= 1). */
ELMO_API double elmo_dist_mean(const elmo_dist *d);

/* One draw from d using rng. NaN when d is invalid (validate first). Expected O(1) for every kind
 * except two_term_exp (O(n)); zipfian/latest redo the O(1) setup each call — use a sampler in
 * loops. Rank kinds return the integer rank as a double. */
ELMO_API double elmo_dist_sample(const elmo_dist *d, elmo_rng *rng);

/*
 * A prepared sampler. Zipfian/latest use Hörmann & Derflinger's rejection-inversion (any
 * theta > 0, n up to 2^53: O(1) setup, expected O(1) per draw, under 1.02 tries per draw on
 * average for theta in 0.1..5); two_term_exp precomputes the cumulative weights (O(n) setup,
 * O(log n) per draw). Read-only after creation: one sampler may be shared by threads that each
 * own an elmo_rng.
 */
typedef struct elmo_sampler elmo_sampler;

/* Validates d (n required for rank kinds) and builds its sampler. OUT *out (NULL on error).
 * Returns ELMO_OK, ELMO_EINVAL or ELMO_ENOMEM. Free with elmo_sampler_destroy. */
ELMO_API elmo_rc elmo_sampler_create(const elmo_dist *d, elmo_sampler **out, elmo_error *err);
ELMO_API void elmo_sampler_destroy(elmo_sampler *s);
/* One draw. */
ELMO_API double elmo_sampler_next(const elmo_sampler *s, elmo_rng *rng);

/* ---- samples ------------------------------------------------------------------------------- */

/* One histogram bin: count observations of value. */
typedef struct elmo_hist_bin {
  double value;
  uint64_t count;
} elmo_hist_bin;

/* A borrowed view of data: raw values, or a histogram (bins in any order, equal values merged,
 * zero counts ignored). Exactly one of values/bins is non-NULL. */
typedef struct elmo_sample {
  const double *values;
  size_t n_values;
  const elmo_hist_bin *bins;
  size_t n_bins;
} elmo_sample;

static inline elmo_sample elmo_sample_of_values(const double *values, size_t n) {
  elmo_sample s = {values, n, NULL, 0};
  return s;
}
static inline elmo_sample elmo_sample_of_bins(const elmo_hist_bin *bins, size_t n) {
  elmo_sample s = {NULL, 0, bins, n};
  return s;
}

/* ---- fits to samples ----------------------------------------------------------------------- */

typedef struct elmo_gof {
  double r2;      /* ECDF vs model CDF at the distinct values (see the top of this file) */
  double ks_d;    /* Kolmogorov–Smirnov D */
  double ks_p;    /* its asymptotic p-value (Stephens-corrected) */
  double log_lik; /* log-likelihood, -INFINITY when some value is impossible under the model */
  double aic;     /* 2·params - 2·log_lik */
  double bic;     /* ln(n)·params - 2·log_lik */
  uint64_t n;     /* observations */
} elmo_gof;

typedef struct elmo_fit {
  elmo_dist dist;
  elmo_gof gof;
} elmo_fit;

/* What elmo_fit_best ranks by. */
typedef enum elmo_fit_rank {
  ELMO_FIT_RANK_KS = 0,
  ELMO_FIT_RANK_AIC = 1,
  ELMO_FIT_RANK_BIC = 2
} elmo_fit_rank;

typedef struct elmo_fit_options {
  uint64_t rank_n; /* the data are ranks in 1..rank_n (zipfian/latest apply); 0 = not ranks */
  unsigned kinds;  /* bit (1u << kind) per model elmo_fit_best tries; 0 = every applicable
                      one except latest (same maths as zipfian: ask for it explicitly) */
  int try_floor;   /* elmo_fit_best: also fit exponential, pareto and gpareto with a floor
                      (clamp min) at the sample minimum, by censored maximum likelihood
                      (elmo_fit_floored), when at least 2 observations sit at the minimum */
  elmo_fit_rank rank_by;
  double min_r2;   /* best fit is "poor" when its r2 is below this (default 0.9) */
  double min_ks_p; /* ... or its ks_p below this (default 0.05; 0 disables: with real traces
                      of 1e5+ samples almost every model is rejected at 0.05) */
} elmo_fit_options;

/* Fills the defaults: rank_n 0, kinds 0, rank by KS D, min_r2 0.9, min_ks_p 0.05. */
ELMO_API void elmo_fit_options_init(elmo_fit_options *o);

/*
 * Fits one sample model by maximum likelihood: fixed (the most frequent value), uniform (min,
 * max), normal (mean, MLE stddev), exponential (1/mean), pareto (xm = min, closed-form alpha),
 * gpareto (theta = min; sigma, k by Nelder–Mead from moment estimates, k searched in
 * [-0.5, 10]: below -1/2 the MLE is irregular, and near -1 the model becomes the uniform),
 * zipfian / latest (theta by golden section on (0, 20], n = opts->rank_n). Power and
 * two_term_exp are curves: use elmo_fit_curve. opts may be NULL (defaults; then the rank kinds
 * are ELMO_EINVAL).
 * OUT *out: the fit and its goodness of fit (zeroed on error).
 * Returns ELMO_OK; ELMO_EINVAL for a bad kind, fewer than 2 observations, a NaN/infinite value,
 * values outside the model's support (negative for exponential, <= 0 for pareto, non-integer
 * or outside 1..n for ranks) or a degenerate sample (zero spread for uniform/normal/gpareto);
 * ELMO_ENOMEM.
 */
ELMO_API elmo_rc elmo_fit_dist(elmo_dist_kind kind, const elmo_sample *s, const elmo_fit_options *opts,
                      elmo_fit *out, elmo_error *err);

/*
 * Fits kind (exponential, pareto or gpareto) with a floor at the sample minimum m: the model is
 * max(m, X), and the observations at m are censored (each contributes log P(X <= m), the others
 * log f(x)). gpareto and pareto are threshold-stable, so the MLE separates: the floor mass is
 * the share of observations at m, the tail above m is the ordinary MLE with threshold m, and the
 * parameters of X follow in closed form (gpareto: sigma = sigma_m·(1-p0)^k, theta = m -
 * (sigma_m - sigma)/k; pareto: xm = m·(1-p0)^(1/alpha)). exponential: lambda by golden section on
 * the censored likelihood. OUT *out (clamp = ELMO_DIST_CLAMP_MIN, clamp_min = m).
 * Returns ELMO_OK; ELMO_EINVAL (another kind, fewer than 2 observations at m or fewer than 2
 * distinct values above it, a value the kind cannot take); ELMO_ENOMEM.
 */
ELMO_API elmo_rc elmo_fit_floored(elmo_dist_kind kind, const elmo_sample *s, elmo_fit *out,
                         elmo_error *err);

/* Goodness of fit of a given model (validated, n required for rank kinds) to a sample (at
 * least 1 observation); AIC charges elmo_dist_param_count(kind) parameters. OUT *out.
 * Returns ELMO_OK, ELMO_EINVAL, ELMO_ENOMEM. */
ELMO_API elmo_rc elmo_fit_gof(const elmo_dist *d, const elmo_sample *s, elmo_gof *out, elmo_error *err);

/* At most this many fits in a report: every kind, and the floored variants. */
#define ELMO_FIT_REPORT_MAX 16

typedef struct elmo_fit_report {
  elmo_fit fits[ELMO_FIT_REPORT_MAX]; /* best first */
  size_t n_fits;
  int best_is_poor; /* 1 when fits[0] misses min_r2 or min_ks_p */
} elmo_fit_report;

/*
 * Fits every requested model that applies to the data (a model whose fit fails with EINVAL, e.g.
 * exponential on negative data, is skipped) and ranks them, best first:
 *  - ELMO_FIT_RANK_KS (default): by ks_d + 0.5·n_params/√n ascending. The parsimony margin
 *    (about half a correct model's typical D) keeps a nested model with more parameters
 *    (gpareto contains exponential and pareto) from winning on sampling noise alone.
 *    Ties: fewer parameters first.
 *  - ELMO_FIT_RANK_AIC / ELMO_FIT_RANK_BIC: by aic / bic ascending (see the caveats at the top
 *    of this file).
 * OUT *out. Returns ELMO_OK, ELMO_EINVAL (bad input, or no model applies), ELMO_ENOMEM.
 */
ELMO_API elmo_rc elmo_fit_best(const elmo_sample *s, const elmo_fit_options *opts, elmo_fit_report *out,
                      elmo_error *err);

/* ---- statistics ---------------------------------------------------------------------------- */

/* The Kolmogorov distribution's survival function Q_KS(λ) = 2 Σ_{j>=1} (-1)^(j-1) e^(-2j²λ²)
 * (1 for λ <= 0; accurate to ~1e-12 everywhere). */
ELMO_API double elmo_ks_q(double lambda);

/* p-value of a KS statistic d with effective sample size n_eff (Stephens' correction). */
ELMO_API double elmo_ks_pvalue(double d, double n_eff);

typedef struct elmo_ks2 {
  double d; /* sup |F1 - F2| */
  double p; /* Q_KS with n_eff = n1·n2/(n1+n2) */
  uint64_t n1, n2;
} elmo_ks2;

/* Two-sample KS test, e.g. a synthesized benchmark's trace against the original. Each sample
 * needs at least 1 observation and finite values. With ties (histograms, discrete data) the
 * p-value is conservative. OUT *out. Returns ELMO_OK, ELMO_EINVAL, ELMO_ENOMEM. */
ELMO_API elmo_rc elmo_ks_two_sample(const elmo_sample *a, const elmo_sample *b, elmo_ks2 *out,
                           elmo_error *err);

/* ---- curve fits (least squares) ------------------------------------------------------------ */

typedef struct elmo_curve_fit {
  elmo_dist curve; /* ELMO_DIST_POWER {a,b} or ELMO_DIST_TWO_TERM_EXP {a,b,c,d} (n = 0) */
  double r2;
  double rmse;
} elmo_curve_fit;

/*
 * Least-squares fit of y = a·x^b (kind ELMO_DIST_POWER; x > 0 required; b by golden section on
 * the profile SSE, a in closed form) or y = a·e^(bx) + c·e^(dx) (ELMO_DIST_TWO_TERM_EXP, n >= 5;
 * b <= d by a grid over (b, d) refined by Nelder–Mead, a and c by linear LS: variable
 * projection). OUT *out. Returns ELMO_OK, ELMO_EINVAL (n too small, NaN, x out of domain, y
 * constant), ELMO_ENOMEM.
 */
ELMO_API elmo_rc elmo_fit_curve(elmo_dist_kind kind, const double *x, const double *y, size_t n,
                       elmo_curve_fit *out, elmo_error *err);

typedef struct elmo_trend_fit {
  double slope, intercept;
  double slope_stderr;
  double t_stat;  /* slope / slope_stderr (±INFINITY for an exact line) */
  double p_value; /* two-sided, Student t with n-2 degrees of freedom */
  double r2;
  int significant; /* p_value < alpha */
} elmo_trend_fit;

/* Ordinary least squares y = slope·x + intercept (QPS trend) with the slope's t-test at level
 * alpha (0 < alpha < 1, e.g. 0.05). n >= 3, x not constant. OUT *out. Returns ELMO_OK or
 * ELMO_EINVAL. */
ELMO_API elmo_rc elmo_fit_trend(const double *x, const double *y, size_t n, double alpha,
                       elmo_trend_fit *out, elmo_error *err);

typedef struct elmo_sine_fit {
  double a;      /* amplitude A >= 0 */
  double b;      /* angular frequency B > 0 (radians per x unit) */
  double c;      /* phase C in (-π, π] */
  double d;      /* offset D */
  double period; /* 2π/B */
  double r2;
} elmo_sine_fit;

/*
 * Fits y = A·sin(B·x + C) + D (QPS periodicity; mixgraph's sine_a/b/c/d). B is found by a scan of
 * the least-squares periodogram over B in [π/span, π/median Δx] (span = max x - min x; at least
 * 5 grid points per 2π/span, capped so the scan costs <= ~2e7 point evaluations — long series
 * get a coarser grid), refined by golden section; A, C, D then follow by linear least squares.
 * x in any order, not all equal; n >= 5. OUT *out. Returns ELMO_OK, ELMO_EINVAL, ELMO_ENOMEM.
 */
ELMO_API elmo_rc elmo_fit_sine(const double *x, const double *y, size_t n, elmo_sine_fit *out,
                      elmo_error *err);

/* ---- text and JSON ------------------------------------------------------------------------- */

/* Writes d as JSON, {"dist":"normal","mean":1,"stddev":2} ("n" only for rank kinds and when
 * non-zero). Returns a new string (elmo_free), NULL when out of memory or d->kind is unknown. */
ELMO_API char *elmo_dist_to_json(const elmo_dist *d);

/* Writes a fit: {"dist":{...},"r2":..,"ks_d":..,"ks_p":..,"log_lik":..,"aic":..,"bic":..,"n":..}
 * (non-finite numbers as null). New string (elmo_free) or NULL when out of memory. */
ELMO_API char *elmo_fit_to_json(const elmo_fit *f);

/*
 * Reads a dist from JSON text (the format above). Unknown fields are errors, missing parameters
 * are errors, and the values must pass elmo_dist_validate (without requiring n). Messages name
 * the field: "zipfian: field 'theta' must be a number > 0, got -1".
 * OUT *out (zeroed on error). Returns ELMO_OK, ELMO_EPARSE (not JSON / not an object),
 * ELMO_ENOTFOUND (unknown "dist"), ELMO_EINVAL (missing, unknown or bad field).
 */
ELMO_API elmo_rc elmo_dist_from_json(const char *json, elmo_dist *out, elmo_error *err);

/* As elmo_dist_from_json, from an already parsed object (a cJSON *; borrowed). Lets a workload
 * spec read {"value_size": {"dist": ...}} without printing and re-parsing. */
struct cJSON;
ELMO_API elmo_rc elmo_dist_from_cjson(const struct cJSON *obj, elmo_dist *out, elmo_error *err);

/* Formats d for people: "zipfian(theta=0.99, n=1000000)". Writes at most size bytes including the
 * NUL; returns buf. */
ELMO_API char *elmo_dist_format(const elmo_dist *d, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* ELMO_FIT_H */
