/* tuner_confirm.c — re-run the best and the baseline configurations alternately, so noise is
 * never reported as gain. See tuner.h. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <string.h>

#include "tuner_internal.h"

static void mean_sd(const double *v, size_t n, double *mean, double *sd) {
  double s = 0, q = 0;
  for (size_t i = 0; i < n; i++) s += v[i];
  *mean = n ? s / (double)n : 0;
  for (size_t i = 0; i < n; i++) q += (v[i] - *mean) * (v[i] - *mean);
  *sd = n > 1 ? sqrt(q / (double)(n - 1)) : 0;
}

void elmo_tuner_confirm(tune_run *r) {
  elmo_tune_summary *s = r->sum;
  if (s->best_index == 0) { /* nothing beat the baseline: no gain to confirm */
    s->gain = s->gain_low = s->gain_high = 0;
    s->gain_significant = 0;
    return;
  }
  enum { kMax = 16 };
  double best[kMax] = {0}, base[kMax] = {0};
  size_t nb = 0, na = 0;
  int runs = r->cfg.confirm_runs < kMax ? r->cfg.confirm_runs : kMax;
  for (int i = 0; i < runs && !(r->cfg.cancel && *r->cfg.cancel); i++) {
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
    elmo_tuner_progress(r, "confirmation %d/%d: baseline %.0f, best %.0f", i + 1, runs, sa, sb);
  }
  mean_sd(best, nb, &s->confirm_best_mean, &s->confirm_best_stdev);
  mean_sd(base, na, &s->confirm_base_mean, &s->confirm_base_stdev);
  if (nb == 0 || na == 0 || s->confirm_base_mean <= 0) return;
  s->gain = s->confirm_best_mean / s->confirm_base_mean - 1;
  double lo_den = s->confirm_base_mean + s->confirm_base_stdev;
  double hi_den = s->confirm_base_mean - s->confirm_base_stdev;
  s->gain_low = (s->confirm_best_mean - s->confirm_best_stdev) / lo_den - 1;
  s->gain_high = hi_den > 0 ? (s->confirm_best_mean + s->confirm_best_stdev) / hi_den - 1 : s->gain;
  s->gain_significant = nb >= 2 && na >= 2 && s->gain_low > 0;
}
