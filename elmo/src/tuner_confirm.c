/* tuner_confirm.c — re-run the best and the baseline configurations alternately, so noise is
 * never reported as gain. See tuner.h. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <string.h>

#include "fit_internal.h" /* fit_t_pvalue: the Student t distribution */
#include "tuner_internal.h"

static void mean_sd(const double *v, size_t n, double *mean, double *sd) {
  double s = 0, q = 0;
  for (size_t i = 0; i < n; i++) s += v[i];
  *mean = n ? s / (double)n : 0;
  for (size_t i = 0; i < n; i++) q += (v[i] - *mean) * (v[i] - *mean);
  *sd = n > 1 ? sqrt(q / (double)(n - 1)) : 0;
}

int elmo_tune_paired_test(const double *d, size_t n, double alpha, double *t_out, double *p_out) {
  double mean = 0, sd = 0, t = 0, p = 1;
  if (d != NULL && n >= 2) mean_sd(d, n, &mean, &sd);
  if (d != NULL && n >= 2 && mean > 0) {
    t = sd > 0 ? mean / (sd / sqrt((double)n)) : INFINITY;
    p = sd > 0 ? fit_t_pvalue(t, (double)(n - 1)) / 2 : 0;
  }
  if (t_out != NULL) *t_out = t;
  if (p_out != NULL) *p_out = p;
  return p < alpha;
}

int elmo_tune_close_call(const double *d, size_t n, double min_gain, double *ratio) {
  double mean = 0, sd = 0;
  if (d != NULL && n > 0) mean_sd(d, n, &mean, &sd);
  double g = exp(mean);
  if (ratio != NULL) *ratio = g;
  return d != NULL && n > 0 && g > 1 + min_gain;
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

/*
 * The pairs run alternately (baseline, then best), so slow drift of the machine hits both alike;
 * the test is a paired t test on log(best/baseline) per pair, one-sided. It looks after
 * confirm_runs pairs and, while a look is inconclusive but the mean gain is positive, again after
 * twice as many, up to confirm_max_runs (elmo_tune_confirm_looks: 3, 6, 12 by default). Each look
 * is at ELMO_TUNE_CONFIRM_ALPHA / looks planned, which keeps the chance of calling noise a gain
 * at or below ELMO_TUNE_CONFIRM_ALPHA over all looks (Bonferroni).
 */
void elmo_tuner_confirm(tune_run *r) {
  elmo_tune_summary *s = r->sum;
  s->confirm_pairs = 0;
  s->gain_t = 0;
  s->gain_p = 1;
  int looks[ELMO_TUNE_CONFIRM_MAX_LOOKS];
  int runs = r->cfg.confirm_runs;
  int n_looks = elmo_tune_confirm_looks(runs, r->cfg.confirm_max_runs > 0 ? r->cfg.confirm_max_runs : 4 * runs, looks);
  double alpha = ELMO_TUNE_CONFIRM_ALPHA / n_looks;
  s->confirm_looks = n_looks;
  s->confirm_alpha = alpha;
  if (s->best_index == 0) { /* nothing beat the baseline: no gain to confirm */
    s->gain = s->gain_low = s->gain_high = 0;
    s->gain_significant = 0;
    return;
  }
  enum { kMax = ELMO_TUNE_CONFIRM_MAX_PAIRS };
  double best[kMax] = {0}, base[kMax] = {0}, d[kMax] = {0};
  size_t nb = 0, na = 0, nd = 0;
  int look = 0, max_runs = looks[n_looks - 1];
  for (int i = 0; i < max_runs && !(r->cfg.cancel && *r->cfg.cancel); i++) {
    if (i == looks[look]) { /* a look before the last */
      double t, p;
      if (elmo_tune_paired_test(d, nd, alpha, &t, &p) || t <= 0) break;
      look++;
      elmo_tuner_progress(r, "confirmation inconclusive after %d pairs (t %.2f, p %.3f, look %d of %d at %.3f): "
                          "%d more", i, t, p, look, n_looks, alpha, looks[look] - i);
    }
    /* Scores are taken as each trial ends: a later trial may move the records array, so no
     * record pointer is kept across elmo_tuner_trial calls. */
    double sa = 0, sb = 0;
    elmo_tune_record *a = elmo_tuner_trial(r, r->baseline, ELMO_RECORD_CONFIRM_BASE, i + 1, 0);
    if (a && a->result.status == ELMO_TRIAL_OK) {
      a->score = sa = elmo_tune_score(r->cfg.objective, r->cfg.p99_weight, &a->result.metrics,
                                      &s->records[0].result.metrics);
      base[na++] = sa;
    }
    elmo_tune_record *b = elmo_tuner_trial(r, r->best, ELMO_RECORD_CONFIRM_BEST, i + 1, 0);
    if (b && b->result.status == ELMO_TRIAL_OK) {
      b->score = sb = elmo_tune_score(r->cfg.objective, r->cfg.p99_weight, &b->result.metrics,
                                      &s->records[0].result.metrics);
      best[nb++] = sb;
    }
    if (sa > 0 && sb > 0) d[nd++] = log(sb / sa);
    elmo_tuner_progress(r, "confirmation %d/%d: baseline %.0f, best %.0f", i + 1, looks[look], sa, sb);
  }
  mean_sd(best, nb, &s->confirm_best_mean, &s->confirm_best_stdev);
  mean_sd(base, na, &s->confirm_base_mean, &s->confirm_base_stdev);
  s->confirm_pairs = (int)nd;
  int significant = elmo_tune_paired_test(d, nd, alpha, &s->gain_t, &s->gain_p);
  if (nb == 0 || na == 0 || s->confirm_base_mean <= 0) return;
  s->gain = s->confirm_best_mean / s->confirm_base_mean - 1;
  double lo_den = s->confirm_base_mean + s->confirm_base_stdev;
  double hi_den = s->confirm_base_mean - s->confirm_base_stdev;
  s->gain_low = (s->confirm_best_mean - s->confirm_best_stdev) / lo_den - 1;
  s->gain_high = hi_den > 0 ? (s->confirm_best_mean + s->confirm_best_stdev) / hi_den - 1 : s->gain;
  s->gain_significant = significant;
}
