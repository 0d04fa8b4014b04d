/* tuner_confirm.c — re-run the best and the baseline configurations alternately, so noise is
 * never reported as gain. See tuner.h. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>

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

int elmo_tune_close_call(const double *d, size_t n, double min_gain, double *ratio) {
  double mean = 0, sd = 0;
  if (d != NULL && n > 0) mean_sd(d, n, &mean, &sd);
  double g = exp(mean);
  if (ratio != NULL) *ratio = g;
  return d != NULL && n > 0 && g > 1 + min_gain / sqrt((double)n);
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

/* A run's per-second throughput after the warm-up. */
static const double *measured_seconds(const tune_run *r, const elmo_trial_metrics *m, size_t *n) {
  size_t skip = (size_t)r->cfg.warmup_seconds;
  if (m->interval_ops == NULL || m->n_interval <= skip) {
    *n = 0;
    return NULL;
  }
  *n = m->n_interval - skip;
  return m->interval_ops + skip;
}

/* The pair's row of d: its batch log-ratios, or the log of its score ratio with one batch. */
static int pair_row(const tune_run *r, const elmo_trial_metrics *best, const elmo_trial_metrics *base, double sb,
                    double sa, size_t batches, double *row) {
  if (batches == 1) {
    row[0] = log(sb / sa);
    return 1;
  }
  size_t nb, na;
  const double *b = measured_seconds(r, best, &nb), *a = measured_seconds(r, base, &na);
  return elmo_tune_batch_ratios(b, nb, a, na, batches, row);
}

/* The looks that fit in the time left, each pair being two trials; what the budget cut is noted. */
static int fit_looks_to_budget(tune_run *r, int *looks, int n_looks, const char *what) {
  double cost = 2 * elmo_tuner_trial_cost(r), left = elmo_tuner_time_left(r);
  if (isinf(left)) return n_looks;
  int affordable = (int)floor(left / cost), kept = 0;
  while (kept < n_looks && looks[kept] <= affordable) kept++;
  if (kept == n_looks) return n_looks;
  if (kept == 0 && affordable < 1) {
    elmo_tuner_budget_cut(r, "%s: no room for a single pair (%.0f s left, %.0f s a pair)", what, left, cost);
    return 0;
  }
  if (kept == 0) { /* not even the first look: as many pairs as fit */
    looks[0] = affordable;
    kept = 1;
  }
  elmo_tuner_budget_cut(r, "%s: room for %d pair(s) of the %d planned (%.0f s left, %.0f s a pair)", what,
                        looks[kept - 1], looks[n_looks - 1], left, cost);
  return kept;
}

static const char *what_confirms(elmo_record_kind base_kind) {
  return base_kind == ELMO_RECORD_CONFIRM_BASE  ? "confirmation"
         : base_kind == ELMO_RECORD_REPLAY_BASE ? "replay confirmation"
                                                : "migration";
}

/*
 * The pairs run alternately (baseline, then best), so slow drift of the machine hits both alike.
 * After each look's pairs, elmo_tune_confirm_decide (paired.h) says gain, no gain or go on
 * (group-sequential levels over the planned looks). The looks are cut to what the time budget
 * holds; a look cut short decides at its own level, which only lowers the chance of calling noise
 * a gain. Scores are against the first baseline run of the same kind of run (the model's baseline
 * trial, or the first replay of the baseline), so the mixed objective's ratios compare like with
 * like.
 */
const char *elmo_tuner_confirm(tune_run *r, elmo_record_kind best_kind, elmo_record_kind base_kind,
                               elmo_tune_confirmation *s) {
  free(s->guard);
  memset(s, 0, sizeof *s);
  s->p = 1;
  size_t batches = elmo_tuner_confirm_batches(r);
  /* The model's confirmation repeats the baseline trial: that A/A row shows the run-to-run spread
   * from the first pair on. The replay and the migration have no earlier run of the baseline:
   * their first look waits for a second pair. */
  int has_aa = base_kind == ELMO_RECORD_CONFIRM_BASE;
  int runs = r->cfg.confirm_runs;
  if (!has_aa && runs < 2) runs = 2;
  int looks[ELMO_TUNE_CONFIRM_MAX_LOOKS];
  int n_looks = elmo_tune_confirm_looks(runs, r->cfg.confirm_max_runs > 0 ? r->cfg.confirm_max_runs : 4 * runs, looks);
  s->planned_pairs = looks[n_looks - 1];
  s->batches = (int)batches;
  if (r->sum->best_index == 0) return NULL; /* nothing beat the baseline: no gain to confirm */
  n_looks = fit_looks_to_budget(r, looks, n_looks, what_confirms(base_kind));
  if (n_looks == 0) return NULL;
  double nominal[ELMO_TUNE_CONFIRM_MAX_LOOKS];
  elmo_tune_confirm_levels(looks, n_looks, nominal);
  s->looks = n_looks;
  enum { kMax = ELMO_TUNE_CONFIRM_MAX_PAIRS };
  double best[kMax] = {0}, base[kMax] = {0}, d[kMax * ELMO_TUNE_CONFIRM_MAX_BATCHES];
  double aa[ELMO_TUNE_CONFIRM_MAX_BATCHES];
  size_t n_aa = 0;
  size_t best_at[kMax], base_at[kMax];
  size_t nb = 0, na = 0, nd = 0;
  long ref = base_kind == ELMO_RECORD_CONFIRM_BASE ? 0 : -1; /* the record scores are against */
  long failed_at = -1;                                       /* the first run that failed */
  int look = 0, max_runs = looks[n_looks - 1];
  elmo_confirm_verdict verdict = ELMO_CONFIRM_GO_ON;
  elmo_paired_estimate e;
  elmo_tune_paired_estimate(NULL, 0, batches, NULL, 0, &e);
  for (int i = 0; i < max_runs && !(r->cfg.cancel && *r->cfg.cancel); i++) {
    if (i > 0 && !elmo_tuner_room_for(r, 2, 0)) {
      elmo_tuner_budget_cut(r, "%s: stopped after %d of %d pairs", what_confirms(base_kind), i, looks[look]);
      break;
    }
    /* Scores are taken as each trial ends: a later trial may move the records array, so no
     * record pointer is kept across elmo_tuner_trial calls. */
    double sa = 0, sb = 0;
    long a_at = -1, b_at = -1;
    elmo_tune_record *a = elmo_tuner_trial(r, r->baseline, base_kind, i + 1, 0);
    if (a && a->result.status == ELMO_TRIAL_OK) {
      if (ref < 0) ref = a->index;
      a->score = sa = elmo_tuner_score(r, &a->result.metrics, &r->sum->records[ref].result.metrics);
      a_at = a->index;
      base_at[na] = (size_t)a->index;
      base[na++] = sa;
    } else if (a && failed_at < 0) {
      failed_at = a->index;
    }
    elmo_tune_record *b = elmo_tuner_trial(r, r->best, best_kind, i + 1, 0);
    if (b && b->result.status == ELMO_TRIAL_OK && ref >= 0) {
      b->score = sb = elmo_tuner_score(r, &b->result.metrics, &r->sum->records[ref].result.metrics);
      b_at = b->index;
      best_at[nb] = (size_t)b->index;
      best[nb++] = sb;
    } else if (b && b->result.status != ELMO_TRIAL_OK && failed_at < 0) {
      failed_at = b->index;
    }
    if (has_aa && n_aa == 0 && sa > 0 && r->sum->records[0].score > 0 &&
        pair_row(r, &r->sum->records[a_at].result.metrics, &r->sum->records[0].result.metrics, sa,
                 r->sum->records[0].score, batches, aa)) {
      n_aa = 1; /* this baseline run against the baseline trial */
    }
    if (sa > 0 && sb > 0 &&
        pair_row(r, &r->sum->records[b_at].result.metrics, &r->sum->records[a_at].result.metrics, sb, sa, batches,
                 &d[nd * batches])) {
      nd++;
    }
    elmo_tuner_progress(r, "%s %d/%d: baseline %.0f, best %.0f", what_confirms(base_kind), i + 1, looks[look], sa,
                        sb);
    if (i + 1 == looks[look] || i + 1 == max_runs) {
      verdict = elmo_tune_confirm_decide(d, nd, batches, aa, n_aa, nominal, look, n_looks, &e);
      if (verdict != ELMO_CONFIRM_GO_ON) break;
      elmo_tuner_progress(r, "%s inconclusive after %d pairs (estimate %+.1f%%, p %.3f, look %d of %d at %.4f): "
                          "%d more", what_confirms(base_kind), i + 1, (exp(e.mean) - 1) * 100, e.p, look + 1,
                          n_looks, nominal[look], looks[look + 1] - i - 1);
      look++;
    }
  }
  if (verdict == ELMO_CONFIRM_GO_ON) { /* cut short (budget, Ctrl-C): decide at this look's level */
    verdict = elmo_tune_confirm_decide(d, nd, batches, aa, n_aa, nominal, look, look + 1, &e);
  }
  mean_sd(best, nb, &s->best_mean, &s->best_stdev);
  mean_sd(base, na, &s->base_mean, &s->base_stdev);
  s->pairs = (int)nd;
  s->look = nd > 0 ? look + 1 : 0;
  s->alpha = nominal[look];
  s->t = e.t, s->p = e.p, s->df = e.df, s->pooled = e.pooled, s->within_only = e.within_only;
  s->aa_rows = e.aa_rows;
  if (nb == 0 || na == 0 || s->base_mean <= 0 || nd == 0) {
    return nd == 0 && failed_at >= 0 ? r->sum->records[failed_at].result.reason : NULL;
  }
  s->gain = exp(e.mean) - 1;
  elmo_tune_gain_interval(&e, nominal[look], &s->gain_low, &s->gain_high);
  s->significant = verdict == ELMO_CONFIRM_GAIN;
  if (s->significant) guard_pooled(r, best_at, nb, base_at, na, s);
  return NULL;
}

int elmo_tune_ship_best(const elmo_tune_summary *s) {
  if (s == NULL || s->best_index == 0 || !s->confirm.significant) return 0;
  return s->replay_state != ELMO_REPLAY_RAN || s->replay.significant;
}
