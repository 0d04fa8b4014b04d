/* tuner_budget.c — the run's time budget: what one more trial costs, what the confirmations
 * need, and the record of what had to be cut. See tuner_internal.h. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>

#include "base/strbuf.h"
#include "elmo/number.h"
#include "tuner_internal.h"

double elmo_tuner_time_left(const tune_run *r) {
  if (r->cfg.budget_seconds <= 0) return INFINITY;
  return r->cfg.budget_seconds - (elmo_tuner_now() - r->t0);
}

/* The mean of the trials so far with a margin, since a rewrite or a slow candidate runs longer;
 * before any, the trial's length and the set-up a trial usually takes. */
double elmo_tuner_trial_cost(const tune_run *r) {
  double planned = r->cfg.warmup_seconds + r->cfg.trial_seconds + 1;
  if (r->trial_wall_n == 0) return planned;
  double mean = r->trial_wall_sum / r->trial_wall_n;
  return 1.1 * (mean > planned ? mean : planned);
}

/* Batch means per run: the per-second throughput only measures the objective when the objective
 * is every operation's throughput; other objectives get one figure per run. */
size_t elmo_tuner_confirm_batches(const tune_run *r) {
  if (r->cfg.objective != ELMO_OBJECTIVE_THROUGHPUT || r->objective_hist != NULL) return 1;
  return elmo_tune_confirm_batches(r->cfg.trial_seconds);
}

static int first_look(const tune_run *r) {
  int looks[ELMO_TUNE_CONFIRM_MAX_LOOKS];
  int runs = r->cfg.confirm_runs;
  elmo_tune_confirm_looks(runs, r->cfg.confirm_max_runs > 0 ? r->cfg.confirm_max_runs : 4 * runs, looks);
  return looks[0];
}

/* The confirmation's first look, but at most a third of the budget's trials, and at least the
 * smallest confirmation that can decide (one pair with per-second batches, else two). */
int elmo_tuner_reserve_trials(const tune_run *r) {
  int pairs = first_look(r);
  int least = elmo_tuner_confirm_batches(r) > 1 ? 1 : 2;
  if (r->cfg.budget_seconds > 0) {
    int third = (int)(r->cfg.budget_seconds / elmo_tuner_trial_cost(r) / 6);
    if (pairs > third) pairs = third;
  }
  if (pairs < least) pairs = least;
  int sides = 2 * pairs;
  return r->replay_args[0] != NULL ? 2 * sides : sides;
}

int elmo_tuner_room_for(const tune_run *r, int n, int keep_reserve) {
  double left = elmo_tuner_time_left(r);
  if (isinf(left)) return 1;
  int trials = n + (keep_reserve ? elmo_tuner_reserve_trials(r) : 0);
  return left >= trials * elmo_tuner_trial_cost(r);
}

void elmo_tuner_budget_cut(tune_run *r, const char *fmt, ...) {
  char line[512];
  va_list ap;
  va_start(ap, fmt);
  elmo_number_vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  elmo_strbuf b = ELMO_STRBUF_INIT;
  elmo_strbuf_append(&b, r->sum->budget_cuts ? r->sum->budget_cuts : "");
  elmo_strbuf_appendf(&b, "%s\n", line);
  char *s = elmo_strbuf_take(&b);
  if (s != NULL) {
    free(r->sum->budget_cuts);
    r->sum->budget_cuts = s;
  }
  elmo_tuner_progress(r, "time budget: %s", line);
}
