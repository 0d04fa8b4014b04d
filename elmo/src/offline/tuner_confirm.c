/* tuner_confirm.c — re-run the best and the baseline configurations alternately, so noise is
 * never reported as gain. See tuner.h. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fit/fit_internal.h" /* fit_t_pvalue: the Student t distribution */
#include "tuner_internal.h"

double elmo_tuner_score(const tune_run *r, const elmo_trial_metrics *m, const elmo_trial_metrics *ref) {
  return elmo_tune_score_op(r->cfg.objective, r->objective_hist, r->cfg.p99_weight, m, ref);
}

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

/* The per-operation guard on the pooled runs of each side: a best that wins overall by slowing
 * down an operation type that matters is not confirmed. */
static void guard_pooled(const tune_run *r, const size_t *best_at, size_t nb, const size_t *base_at, size_t na,
                         elmo_tune_confirmation *out) {
  enum { kMax = ELMO_TUNE_CONFIRM_MAX_PAIRS };
  const elmo_trial_metrics *runs[kMax];
  elmo_trial_metrics best, base;
  for (size_t i = 0; i < nb; i++) runs[i] = &r->sum->records[best_at[i]].result.metrics;
  elmo_tune_pool_runs(runs, nb, &best);
  for (size_t i = 0; i < na; i++) runs[i] = &r->sum->records[base_at[i]].result.metrics;
  elmo_tune_pool_runs(runs, na, &base);
  char why[256];
  if (!elmo_tune_guard_check(&r->guard, &best, &base, why, sizeof why)) {
    out->significant = 0;
    out->guard = strdup(why);
  }
}

/*
 * The pairs run alternately (baseline, then best), so slow drift of the machine hits both alike;
 * the test is a paired t test on log(best/baseline) per pair, one-sided. It looks after
 * confirm_runs pairs and, while a look is inconclusive but the mean gain is positive, again after
 * twice as many, up to confirm_max_runs (elmo_tune_confirm_looks: 3, 6, 12 by default). Each look
 * is at ELMO_TUNE_CONFIRM_ALPHA / looks planned, which keeps the chance of calling noise a gain
 * at or below ELMO_TUNE_CONFIRM_ALPHA over all looks (Bonferroni). Scores are against the first
 * baseline run of the same kind of run (the model's baseline trial, or the first replay of the
 * baseline), so the mixed objective's ratios compare like with like.
 */
const char *elmo_tuner_confirm(tune_run *r, elmo_record_kind best_kind, elmo_record_kind base_kind,
                               elmo_tune_confirmation *s) {
  free(s->guard);
  memset(s, 0, sizeof *s);
  s->p = 1;
  int looks[ELMO_TUNE_CONFIRM_MAX_LOOKS];
  int runs = r->cfg.confirm_runs;
  int n_looks = elmo_tune_confirm_looks(runs, r->cfg.confirm_max_runs > 0 ? r->cfg.confirm_max_runs : 4 * runs, looks);
  double alpha = ELMO_TUNE_CONFIRM_ALPHA / n_looks;
  s->looks = n_looks;
  s->alpha = alpha;
  if (r->sum->best_index == 0) return NULL; /* nothing beat the baseline: no gain to confirm */
  enum { kMax = ELMO_TUNE_CONFIRM_MAX_PAIRS };
  double best[kMax] = {0}, base[kMax] = {0}, d[kMax] = {0};
  size_t best_at[kMax], base_at[kMax];
  size_t nb = 0, na = 0, nd = 0;
  long ref = base_kind == ELMO_RECORD_CONFIRM_BASE ? 0 : -1; /* the record scores are against */
  long failed_at = -1;                                       /* the first run that failed */
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
    elmo_tune_record *a = elmo_tuner_trial(r, r->baseline, base_kind, i + 1, 0);
    if (a && a->result.status == ELMO_TRIAL_OK) {
      if (ref < 0) ref = a->index;
      a->score = sa = elmo_tuner_score(r, &a->result.metrics, &r->sum->records[ref].result.metrics);
      base_at[na] = (size_t)a->index;
      base[na++] = sa;
    } else if (a && failed_at < 0) {
      failed_at = a->index;
    }
    elmo_tune_record *b = elmo_tuner_trial(r, r->best, best_kind, i + 1, 0);
    if (b && b->result.status == ELMO_TRIAL_OK && ref >= 0) {
      b->score = sb = elmo_tuner_score(r, &b->result.metrics, &r->sum->records[ref].result.metrics);
      best_at[nb] = (size_t)b->index;
      best[nb++] = sb;
    } else if (b && b->result.status != ELMO_TRIAL_OK && failed_at < 0) {
      failed_at = b->index;
    }
    if (sa > 0 && sb > 0) d[nd++] = log(sb / sa);
    elmo_tuner_progress(r, "%s %d/%d: baseline %.0f, best %.0f",
                        base_kind == ELMO_RECORD_CONFIRM_BASE  ? "confirmation"
                        : base_kind == ELMO_RECORD_REPLAY_BASE ? "replay confirmation"
                                                               : "migration",
                        i + 1, looks[look], sa, sb);
  }
  mean_sd(best, nb, &s->best_mean, &s->best_stdev);
  mean_sd(base, na, &s->base_mean, &s->base_stdev);
  s->pairs = (int)nd;
  int significant = elmo_tune_paired_test(d, nd, alpha, &s->t, &s->p);
  if (nb == 0 || na == 0 || s->base_mean <= 0) {
    return nd == 0 && failed_at >= 0 ? r->sum->records[failed_at].result.reason : NULL;
  }
  s->gain = s->best_mean / s->base_mean - 1;
  double lo_den = s->base_mean + s->base_stdev;
  double hi_den = s->base_mean - s->base_stdev;
  s->gain_low = (s->best_mean - s->best_stdev) / lo_den - 1;
  s->gain_high = hi_den > 0 ? (s->best_mean + s->best_stdev) / hi_den - 1 : s->gain;
  s->significant = significant;
  if (significant) guard_pooled(r, best_at, nb, base_at, na, s);
  return NULL;
}

int elmo_tune_ship_best(const elmo_tune_summary *s) {
  if (s == NULL || s->best_index == 0 || !s->confirm.significant) return 0;
  return s->replay_state != ELMO_REPLAY_RAN || s->replay.significant;
}
