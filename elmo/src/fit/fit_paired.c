/* fit_paired.c — paired comparisons run alternately (the offline confirmation's, the realtime
 * switchback's): batch log-ratios, the nested estimate, the group-sequential looks and their
 * verdict. Pure. See paired.h. */
#include <math.h>
#include <string.h>

#include "elmo/paired.h"
#include "fit_internal.h" /* t, F and normal laws; group-sequential boundaries */

size_t elmo_tune_confirm_batches(double trial_seconds) {
  if (!(trial_seconds >= 6)) return 1;
  double b = floor(trial_seconds / 3);
  return b > ELMO_TUNE_CONFIRM_MAX_BATCHES ? ELMO_TUNE_CONFIRM_MAX_BATCHES : (size_t)b;
}

static int clamp_pairs(int n) { return n < 1 ? 1 : n > ELMO_TUNE_CONFIRM_MAX_PAIRS ? ELMO_TUNE_CONFIRM_MAX_PAIRS : n; }

int elmo_tune_confirm_looks(int runs, int max_runs, int looks[ELMO_TUNE_CONFIRM_MAX_LOOKS]) {
  runs = clamp_pairs(runs);
  max_runs = max_runs < runs ? runs : clamp_pairs(max_runs);
  int k = 0;
  looks[k++] = runs;
  while (k < ELMO_TUNE_CONFIRM_MAX_LOOKS && looks[k - 1] < max_runs) {
    int next = looks[k - 1] * 2;
    looks[k] = next > max_runs || k == ELMO_TUNE_CONFIRM_MAX_LOOKS - 1 ? max_runs : next;
    k++;
  }
  return k;
}

/* Batch j of `batches` near-equal consecutive parts of v[0..n) (every second in one of them). */
static double batch_mean(const double *v, size_t n, size_t batches, size_t j) {
  size_t sum_n = 0;
  double sum = 0;
  for (size_t i = j * n / batches; i < (j + 1) * n / batches; i++) sum += v[i], sum_n++;
  double m = sum / (double)sum_n;
  return m < 1 ? 1 : m;
}

int elmo_tune_batch_ratios(const double *best, size_t nb, const double *base, size_t na, size_t batches,
                           double *out) {
  if (best == NULL || base == NULL || out == NULL || batches == 0 || nb < batches || na < batches) return 0;
  for (size_t j = 0; j < batches; j++) {
    out[j] = log(batch_mean(best, nb, batches, j) / batch_mean(base, na, batches, j));
  }
  return 1;
}

/* The one-sided p-value of t with df degrees of freedom (t > 0: the upper tail). */
static double upper_p(double t, double df) {
  if (isinf(t)) return t > 0 ? 0 : 1;
  double two = fit_t_pvalue(t, df);
  return t > 0 ? two / 2 : 1 - two / 2;
}

/* Sums of squares of rows (pairs) of `batches` values: between the rows' means and `center`
 * (weighted by batches), and within the rows. */
static void sums_of_squares(const double *rows, size_t n, size_t batches, double center, double *between,
                            double *within) {
  for (size_t i = 0; i < n; i++) {
    double m = 0;
    for (size_t j = 0; j < batches; j++) m += rows[i * batches + j];
    m /= (double)batches;
    *between += (double)batches * (m - center) * (m - center);
    for (size_t j = 0; j < batches; j++) *within += (rows[i * batches + j] - m) * (rows[i * batches + j] - m);
  }
}

void elmo_tune_paired_estimate(const double *d, size_t pairs, size_t batches, const double *aa, size_t n_aa,
                               elmo_paired_estimate *e) {
  memset(e, 0, sizeof *e);
  e->p = 1;
  e->pairs = (int)pairs, e->batches = (int)batches;
  if (aa == NULL || pairs > ELMO_TUNE_AA_MAX_PAIRS) n_aa = 0;
  e->aa_rows = (int)n_aa;
  size_t n = pairs * batches;
  if (d == NULL || pairs == 0 || batches == 0) return;
  double grand = 0;
  for (size_t i = 0; i < n; i++) grand += d[i];
  grand /= (double)n;
  e->mean = grand;
  /* Between-run degrees of freedom: the pairs' spread around their mean, and the A/A rows'
   * around 0 (identical configurations: their true difference is none). */
  double ss_b = 0, ss_w = 0;
  sums_of_squares(d, pairs, batches, grand, &ss_b, &ss_w);
  sums_of_squares(aa, n_aa, batches, 0, &ss_b, &ss_w);
  double df_b = (double)(pairs - 1 + n_aa), df_w = (double)((pairs + n_aa) * (batches - 1)), rows = (double)pairs;
  if (df_b == 0) { /* one pair and nothing else: no run-to-run spread to judge it against */
    e->within_only = 1;
    return;
  }
  double var_row; /* the variance of one row's mean */
  if (batches == 1 || !(ss_w > 0)) {
    e->df = df_b;
    var_row = ss_b / df_b / (double)batches;
  } else {
    double ms_b = ss_b / df_b, ms_w = ss_w / df_w;
    e->pooled = fit_f_pvalue(ms_b / ms_w, df_b, df_w) > ELMO_TUNE_POOL_PRETEST;
    e->df = e->pooled ? df_b + df_w : df_b;
    var_row = (e->pooled ? (ss_b + ss_w) / (df_b + df_w) : ms_b) / (double)batches;
  }
  e->se = sqrt(var_row / rows);
  if (e->se > 0) e->t = grand / e->se;
  else e->t = grand > 0 ? INFINITY : grand < 0 ? -INFINITY : 0;
  e->p = e->t == 0 ? 1 : upper_p(e->t, e->df);
}

void elmo_tune_gain_interval(const elmo_paired_estimate *e, double q, double *low, double *high) {
  double half = 0;
  if (e->se > 0 && e->df > 0 && q > 0 && q < 0.5) half = fit_t_upper_quantile(q, e->df) * e->se;
  *low = exp(e->mean - half) - 1;
  *high = exp(e->mean + half) - 1;
}

int elmo_tune_confirm_levels(const int *looks, int n_looks, double nominal[ELMO_TUNE_CONFIRM_MAX_LOOKS]) {
  if (n_looks < 1 || n_looks > ELMO_TUNE_CONFIRM_MAX_LOOKS) return 0;
  return fit_sequential_levels(looks, n_looks, ELMO_TUNE_CONFIRM_ALPHA, nominal);
}

elmo_confirm_verdict elmo_tune_confirm_decide(const double *d, size_t pairs, size_t batches, const double *aa,
                                              size_t n_aa, const double *nominal, int look, int n_looks,
                                              elmo_paired_estimate *e) {
  elmo_tune_paired_estimate(d, pairs, batches, aa, n_aa, e);
  if (nominal != NULL && look >= 0 && look < n_looks && e->p < nominal[look]) return ELMO_CONFIRM_GAIN;
  if (look + 1 >= n_looks || !(e->mean > 0)) return ELMO_CONFIRM_NO_GAIN;
  return ELMO_CONFIRM_GO_ON;
}
