/* tuner_internal.h — state of one tuning run, shared by tuner*.c. */
#ifndef ELMO_TUNER_INTERNAL_H
#define ELMO_TUNER_INTERNAL_H

#include "elmo/calibrate.h"
#include "elmo/catalog.h"
#include "elmo/llm.h"
#include "elmo/optfile.h"
#include "elmo/facts.h"
#include "elmo/tuner.h"
#include "elmo/workload.h"

typedef struct tune_run {
  elmo_tune_config cfg;          /* with defaults applied */
  elmo_workload workload;
  const elmo_catalog *cat;
  elmo_llm *llm;
  elmo_optfile *baseline;        /* the starting configuration */
  elmo_optfile *best;            /* best so far */
  elmo_tune_summary *sum;
  size_t cap_records;
  char *db_dir, *base_db;        /* base_db NULL when the workload starts empty */
  const char **locks;            /* user pins + I/O mode pins */
  size_t n_locks;
  char **changed;                /* options changed by the last accepted candidate (focus) */
  size_t n_changed;
  char *last_rejected;           /* calibrator JSON of the last round, for the next prompt */
  char *rejected_all;            /* every "name=value" the calibrator rejected this run, one a line */
  int rewrite;                   /* 1: model trials run db_bench's compact before the workload */
  elmo_tune_guard guard;         /* per-operation guard (cfg's protect, share, tolerances) */
  const char *objective_hist;    /* the histogram the objective measures; NULL: all operations */
  char *replay_args[8];          /* elmoreplay's db_bench arguments, NULL-terminated; owned */
  char *replay_base;             /* the DB the replay runs on (owned); NULL until there is one */
  int replay_merges;             /* the replay trace merges: trials need a merge operator */
  int migrate_on_replay;         /* the migration's runs replay the trace (else the model) */
  double trial_wall_sum;         /* seconds of the trials so far, set-up and clean-up included */
  int trial_wall_n;
  double best_score;             /* mean score of the best configuration over its runs */
  int best_runs;
  double t0;
} tune_run;

/* Runs the trial for options f; appends a record. Returns the record (NULL when out of memory). */
elmo_tune_record *elmo_tuner_trial(tune_run *r, const elmo_optfile *f, elmo_record_kind kind,
                                   int iteration, double abort_below_ops);

/* Builds the advisor conversation for this round (its facts are elmo_tuner_facts_new's). */
elmo_rc elmo_tuner_prompt(tune_run *r, elmo_prompt_kind kind, elmo_prompt_set **out, elmo_error *err);

/* The facts of this round (facts.h) and the storage they borrow (tuner_facts.c). */
typedef struct tuner_facts tuner_facts;
/* NULL when memory runs out. */
tuner_facts *elmo_tuner_facts_new(const tune_run *r, const char *phase);
const elmo_facts *elmo_tuner_facts_get(const tuner_facts *t);
void elmo_tuner_facts_free(tuner_facts *t);

/* The time budget (tuner_budget.c). Every step that starts trials asks it first. */
double elmo_tuner_time_left(const tune_run *r);   /* INFINITY without a budget */
double elmo_tuner_trial_cost(const tune_run *r);  /* the expected seconds of one more trial */
/* Trials kept for the confirmations: both sides of the first look, the replay's too. */
int elmo_tuner_reserve_trials(const tune_run *r);
/* 1 when n more trials fit, plus the reserve when keep_reserve. */
int elmo_tuner_room_for(const tune_run *r, int n, int keep_reserve);
/* Records (summary budget_cuts, a progress line) what the budget cut. */
void elmo_tuner_budget_cut(tune_run *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

double elmo_tuner_now(void);
void elmo_tuner_progress(const tune_run *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Set-up (workload, catalog, advisor, baseline, preload) and its undoing (tuner.c). */
elmo_rc elmo_tune_setup(tune_run *r, const elmo_tune_config *cfg, elmo_tune_summary *out, elmo_error *err);
/* Makes f a file a trial can load: the sections RocksDB requires (elmo_optfile_complete) and the
 * run's I/O mode (use_direct_reads, use_direct_io_for_flush_and_compaction). */
elmo_rc elmo_tuner_adopt_options(const tune_run *r, elmo_optfile *f, elmo_error *err);
void elmo_tune_teardown(tune_run *r);

/* The objective's score of m (higher is better) against the reference run ref. */
double elmo_tuner_score(const tune_run *r, const elmo_trial_metrics *m, const elmo_trial_metrics *ref);

/* Confirmation runs and the summary's gain (tuner_confirm.c): the best and the baseline
 * alternately, with records of kind best_kind and base_kind (the model's or the replay's), into
 * out. Returns the reason of the first run that failed when no pair completed, else NULL
 * (borrowed from the records: valid until the next trial). */
const char *elmo_tuner_confirm(tune_run *r, elmo_record_kind best_kind, elmo_record_kind base_kind,
                               elmo_tune_confirmation *out);
/* Batch means per run in this run's confirmations: 1 unless the objective is every operation's
 * throughput (the per-second report measures nothing else). */
size_t elmo_tuner_confirm_batches(const tune_run *r);

/* The replay confirmation (tuner_replay.c): elmo_tuner_replay_check reads the trace at set-up
 * (what it needs: merges, column families) and builds the elmoreplay arguments; on a trace it
 * cannot replay it records why (replay_state FAILED), never fails the run.
 * elmo_tuner_replay_confirm runs after the model's confirmation and sets replay_state. */
elmo_rc elmo_tuner_replay_check(tune_run *r, elmo_error *err);
void elmo_tuner_replay_confirm(tune_run *r);

/* The migration (tuner_migrate.c): names the best's file-format changes and, on a program's
 * existing data with the best shipped, measures it after a full compaction under it. */
void elmo_tuner_migration(tune_run *r);
/* The run's playbook entry (tuner_playbook.c): OUTPUT/playbook.json, merged into cfg.playbook. */
void elmo_tuner_write_playbook(tune_run *r);

#endif /* ELMO_TUNER_INTERNAL_H */
