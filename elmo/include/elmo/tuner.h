/*
 * tuner.h — the offline tuning loop behind `db_bench --benchmarks=elmotune`.
 *
 * Module elmo/src/offline/: the elmotune loop (tuner.c; tuner_steps.c: a trial and its record;
 *  tuner_facts.c: the advisor's facts; tune_config.c: the settings table; tune_flags.c: db_bench's
 *  command line into settings, and the workload a config describes), its decisions
 *  (tuner_confirm.c, tuner_guard.c, tuner_replay.c, tuner_migrate.c, tuner_compare.c), trials
 *  (trial.c, trial_limits.c: cgroups, trial_files.c; trial.h; dbbench_parse.c), workloads as
 *  db_bench runs (workload.c; workload.h) and the report (report_write.c, the files; report.c, shared;
 *  report_json.c, report_md.c, report_svg.c). Uses every module but realtime and model.
 *
 * Conventions: see elmo.h.
 *
 * Baseline trial; then iterations of prompt -> advisor -> calibrate -> trial -> record. A trial
 * whose running throughput stays clearly below the best so far is aborted by the flagger, and the
 * next prompt says which changes preceded the drop. Fine-tuning rounds refine the options just
 * changed. The loop stops on the iteration limit, the time budget, convergence (no significant
 * gain for `patience` iterations) or Ctrl-C. Then the best and the baseline configurations are
 * re-run alternately `confirm_runs` times each and the gain is reported with its spread and a
 * paired t test (tuner_confirm.c); an inconclusive test with a positive mean gain gets more
 * looks, doubling the pairs each time, up to `confirm_max_runs` pairs. A candidate is accepted
 * only when the per-operation guard passes too (tuner_guard.c). With the program's trace
 * (replay_trace), the same confirmation runs on the trace replayed as fast as possible
 * (tuner_replay.c), and best.ini holds the best only when both find a gain
 * (elmo_tune_ship_best); a shipped best that changes file-format options on a program's existing
 * data is measured again after a full compaction (tuner_migrate.c).
 */
#ifndef ELMO_TUNER_H
#define ELMO_TUNER_H

#include <stddef.h>
#include <stdint.h>

#include "elmo/elmo.h"
#include "elmo/engine.h"
#include "elmo/optfile.h"
#include "elmo/paired.h"
#include "elmo/prompt.h"
#include "elmo/storage.h"
#include "elmo/trial.h"
#include "elmo/workload.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum elmo_objective {
  ELMO_OBJECTIVE_THROUGHPUT = 0, /* ops/s, higher is better */
  ELMO_OBJECTIVE_P99 = 1,        /* p99 latency, lower is better */
  ELMO_OBJECTIVE_MIXED = 2       /* weighted: (1-w) x ops/s gain + w x p99 gain */
} elmo_objective;

#define ELMO_TUNE_RECHECK_MAX_PAIRS 8

typedef struct elmo_tune_config {
  const elmo_engine_services *engine; /* RocksDB's parser, loader and catalog (engine.h:
                                  * elmo_engine_builtin()); required */
  const char *db_bench;          /* the db_bench binary that runs trials; required */
  const char *workload;          /* preset name or workload spec file (elmo_workload_open in
                                    workload.h); required */
  /* The workload's values (elmo_workload_params in workload.h; db_bench's --num, --key_size,
   * --value_size, --threads, --readwritepercent): 0 (read_percent: -1) is "not set", the
   * workload's own; a workload that refuses a value set here fails elmo_tune_run. */
  uint64_t num_keys;             /* dataset keys; 0: not set */
  int key_size;                  /* bytes; 0: not set */
  int value_size;                /* bytes; 0: not set */
  int threads;                   /* client threads of every measured run; 0: not set (1) */
  int read_percent;              /* readrandomwriterandom's reads in percent; -1: not set (in a
                                  * zeroed struct, defaults_filled 0: 0 is not set too) */
  double trial_seconds;          /* measured seconds per trial; 0: 30 */
  double warmup_seconds;         /* excluded from the measurement; 0: 5 */
  const char *base_options;      /* starting OPTIONS file; NULL: RocksDB's defaults */
  const char *output_dir;        /* required */
  const char *playbook;          /* a playbook (playbook.h) this run's entry is merged into, created
                                  * when missing; NULL: only output_dir/playbook.json */
  const char *db_dir;            /* base DB and trial copies; NULL: output_dir/db */
  int cpus;                      /* CPU limit of every trial; 0: all */
  uint64_t memory_bytes;         /* memory limit of every trial and budget of every candidate */
  int direct_io;                 /* 1: trials use direct reads and direct flush/compaction I/O */
  int storage_probe;             /* 1: probe the trials' storage first (elmo/storage.h; at most
                                  * ELMO_TUNE_PROBE_SECONDS, cached per device in output_dir) for the
                                  * facts, the prompt and the report; 0: not (db_bench: on) */
  int iterations;                /* advisor rounds; 0: 8 */
  double budget_seconds;         /* wall-clock budget of the whole run, set-up and confirmation
                                  * included: the loop stops while there is room for the
                                  * confirmation's first look, later looks, rechecks and the
                                  * migration run only when they fit (summary budget_cuts); 0: none */
  elmo_objective objective;
  double p99_weight;             /* MIXED: weight of p99 in [0, 1]; 0: 0.5 */
  const char *llm_spec;          /* NULL: "builtin" */
  const char *llm_url;           /* NULL: ELMO_BASE_URL or the provider default */
  elmo_prompt_strategy strategy; /* 0: FULL_HISTORY */
  int finetune_rounds;           /* per accepted improvement; 0: 1 (with defaults_filled: none);
                                  * -1: none */
  int confirm_runs;              /* each of best and baseline; 0: 3 */
  int confirm_max_runs;          /* an inconclusive confirmation with a positive mean gain goes on,
                                  * doubling the pairs at each further look, up to this many;
                                  * 0: 4 x confirm_runs (looks at n, 2n, 4n); <= confirm_runs: one
                                  * look; at most ELMO_TUNE_CONFIRM_MAX_PAIRS */
  int patience;                  /* stop after this many iterations without a significant gain; 0: 3 */
  double min_gain;               /* a gain counts when > this fraction; 0: 0.03 */
  double flag_ratio;             /* flagger aborts below this x best ops/s; 0: 0.5 */
  int rewrite;                   /* 0 auto: a read-mostly workload (< 50% writes) on preloaded data
                                  * has every trial first compact the data under its own options,
                                  * so file-format options (filters, blocks, compression) take
                                  * effect, except with existing_data; 1 always (when preloaded);
                                  * -1 never */
  int existing_data;             /* 1: the workload is a program's (a trace, its DB), whose data
                                  * exists under its current options: candidates are judged on the
                                  * data as it is (rewrite auto is never), and a best that changes
                                  * file-format options is measured again after a full compaction
                                  * under it (the migration) */
  double recheck_band;           /* a candidate within this fraction of the best is measured again,
                                  * with the best, before deciding; 0: 0.10; < 0 (and 0 with
                                  * defaults_filled): never */
  int recheck_pairs;             /* a close call runs this many (best, candidate) pairs and is
                                  * decided on their mean paired ratio; 0: 2; at most
                                  * ELMO_TUNE_RECHECK_MAX_PAIRS */
  const char *base_db;           /* the program's own DB: every trial runs on a clone of it instead
                                  * of a dataset the workload loads; NULL: the workload's load */
  const char *key_dict;          /* with base_db: elmospec --elmo_key_dict, the DB's keys */
  const char *merge_operator;    /* a workload that merges, with base options that name no merge
                                  * operator (the application's own is not available): this
                                  * stand-in (a RocksDB merge operator id); NULL: "put" */
  const char *objective_op;      /* NULL: the objective counts every operation; else the one
                                  * operation type it measures ("get", "put", "seek", "delete",
                                  * "merge", "multiget"; see elmo_tune_op_histogram) */
  int objective_unpaced;         /* 1 (elmotune, when --elmo_objective is not given): with no
                                  * objective_op, a workload whose thread groups pace some clients
                                  * measures the unpaced clients' operation type
                                  * (elmo_workload_facts.unpaced_op) when there is one. The run's
                                  * config (and report) keep 1 only when it applied. */
  const char *const *protect;    /* operation types no accepted candidate may slow down, whatever
                                  * their share (the guard below) */
  size_t n_protect;
  double guard_share;            /* an operation type whose share of the operations or of the time
                                  * is at least this is guarded too; 0: ELMO_TUNE_GUARD_SHARE
                                  * (with defaults_filled: every type that ran); < 0: only the
                                  * protected ones */
  double guard_tolerance;        /* largest ops/s loss a guarded type may take; 0: 0.10 */
  double guard_p99_tolerance;    /* largest p99 rise a protected type may take; 0: 0.25 */
  int guard_p99_all;             /* 1: the p99 of the types guarded by share is judged too (off by
                                  * default: a background writer's stall bursts would veto files
                                  * that make the program's readers faster) */
  const char *replay_trace;      /* the program's query trace: the final confirmation replays it
                                  * (db_bench --benchmarks=elmoreplay) with the baseline and the
                                  * best, and best.ini is the best only if it wins there too;
                                  * NULL: the model alone decides */
  int replay_seek_nexts;         /* Next calls after each replayed seek (RocksDB's trace has none);
                                  * -1: the scan length of the model the trace gave, which the
                                  * caller resolves (the tuner has no model: 0) */
  const char *const *locks;      /* options the user pins */
  size_t n_locks;
  volatile int *cancel;          /* set by a signal handler: stop cleanly, still report */
  int quiet;                     /* 1: no progress lines on stderr */
  int defaults_filled;           /* 1 (elmo_tune_config_defaults sets it): every field holds what it
                                  * means, 0 included (p99_weight 0: throughput only). 0 (a zeroed
                                  * struct): a field left 0 whose comment above says "0: X" takes
                                  * the table's default (elmo_tune_config_fill) */
} elmo_tune_config;

/* ---- settings (tune_config.c): one table row per setting ------------------------------------
 *
 * The row's key is db_bench's flag without "--" (elmo_p99_weight), and a workload value's alias
 * is db_bench's own flag of the same meaning (num for elmo_num): either name sets the row. The
 * workload values elmo_key_size, elmo_threads and elmo_read_percent have only their alias as a
 * flag (--key_size, --threads, --readwritepercent). The table holds each setting's type, default,
 * range and help; defaults, parsing and validation all read it. elmo_tune_run fills and
 * validates the config it is given the same way, so a bad value from a C caller is refused too.
 * Strings (elmo_workload, elmo_output_dir, elmo_llm, elmo_llm_url) are borrowed: the text given
 * to elmo_tune_config_set must outlive the config. */

/* One documented setting (for docs and --help). Static storage. */
typedef struct elmo_tune_setting_info {
  const char *key;           /* "elmo_p99_weight" */
  const char *type;          /* "bool", "int", "double", "bytes", "string", "enum" */
  const char *default_value; /* as db_bench's flag is written; "" for strings: none; "" for a
                                workload value: not set, the workload's own */
  const char *range;         /* "[0, 1]", "auto|always|never" */
  const char *help;          /* one sentence */
  const char *alias;         /* db_bench's own flag for the same setting ("num"), or NULL */
} elmo_tune_setting_info;

/* Sets every field: the table's settings to their defaults, the rest (engine, db_bench, locks,
 * protect, cancel, ...) to 0/NULL, and defaults_filled to 1. No-op for NULL. */
ELMO_API void elmo_tune_config_defaults(elmo_tune_config *cfg);

/*
 * Sets one setting from its text ("0.5", "50%", "1GiB", "true", "p99", "auto"), checked against
 * the row's range; key is the row's key or its alias. "" sets a workload value back to not set.
 * Locale-free. Returns ELMO_OK; ELMO_ENOTFOUND (unknown key: the message names the nearest one);
 * ELMO_EPARSE (not a value of the row's type, units or garbage included); ELMO_ERANGE (outside
 * the range); ELMO_EINVAL (NULL argument). Every message starts with "key=text" (key as given)
 * and names the allowed range. On error the config is unchanged.
 */
ELMO_API elmo_rc elmo_tune_config_set(elmo_tune_config *cfg, const char *key, const char *text, elmo_error *err);

/* For a config with defaults_filled 0: gives every field left 0 (NULL) whose comment says "0: X"
 * the table's default. A no-op when defaults_filled is 1, and for NULL. What elmo_tune_run does
 * first; the report prints the settings this gives. */
ELMO_API void elmo_tune_config_fill(elmo_tune_config *cfg);

/* Checks every setting against its row's range (call after elmo_tune_config_fill for a zeroed
 * struct: a 0 that means "default" is not in every range). Returns ELMO_OK, or ELMO_ERANGE /
 * ELMO_EINVAL with a message naming the key, the value and the allowed range. */
ELMO_API elmo_rc elmo_tune_config_validate(const elmo_tune_config *cfg, elmo_error *err);

/* One flag of db_bench's command line, as elmo_tune_config_set_flags reads it. */
typedef struct elmo_tune_flag {
  const char *name;  /* without "--": a setting's key or alias */
  const char *text;  /* its value as text (borrowed by the config for string settings) */
  int given;         /* 1: the user gave it; 0: db_bench's default */
} elmo_tune_flag;

/*
 * elmotune's command line (tune_flags.c). Sets cfg from flags[0..n), every name a setting's key
 * or alias, each through elmo_tune_config_set:
 * - a flag the user did not give is skipped, except a setting's --elmo_ flag whose db_bench
 *   default differs from the table's (--elmo_cpus=2): db_bench's own defaults (--num=1000000)
 *   and workload values never set anything;
 * - a setting given under both names with different values (--num=300000 --elmo_num=5) is
 *   ELMO_EINVAL naming both; the same value twice is fine. So is --readwritepercent with an
 *   --elmo_workload=readrandomwriterandom:PCT of another percent;
 * - a workload value the workload refuses (elmo_workload_param_refused: --readwritepercent with
 *   fillrandom, --key_size with mixgraph, any of them with a spec) is ELMO_EINVAL naming the flag
 *   as given and why. from_trace: 1 when the workload will be the spec modeled from
 *   --elmo_trace (cfg->workload is not it yet).
 * Messages start with the flag as given, without "--" ("readwritepercent=150 is outside the
 * allowed range [0, 100]"). Pure: reads no file except to tell a spec file from a preset name.
 */
ELMO_API elmo_rc elmo_tune_config_set_flags(elmo_tune_config *cfg, const elmo_tune_flag *flags, size_t n,
                                            int from_trace, elmo_error *err);

/*
 * The workload cfg describes, as its trials run it (tune_flags.c): elmo_workload_open of
 * cfg->workload with cfg's workload values and a run of warmup_seconds + trial_seconds, after the
 * table's defaults (elmo_tune_config_fill on a copy). What elmo_tune_run measures and the report
 * shows. OUT *out (elmo_workload_clear). Returns elmo_workload_open's codes.
 */
ELMO_API elmo_rc elmo_tune_config_workload(const elmo_tune_config *cfg, elmo_workload *out, elmo_error *err);

ELMO_API size_t elmo_tune_config_key_count(void);
/* NULL when i is out of range. */
ELMO_API const elmo_tune_setting_info *elmo_tune_config_key_at(size_t i);
/* The row of key, or NULL when there is none. */
ELMO_API const elmo_tune_setting_info *elmo_tune_config_find(const char *key);

typedef enum elmo_record_kind {
  ELMO_RECORD_BASELINE = 0,
  ELMO_RECORD_TUNE = 1,
  ELMO_RECORD_FINETUNE = 2,
  ELMO_RECORD_CONFIRM_BEST = 3,
  ELMO_RECORD_CONFIRM_BASE = 4,
  ELMO_RECORD_RECHECK = 5,      /* a close call measured again: the candidate or the best */
  ELMO_RECORD_REPLAY_BEST = 6,  /* the replay confirmation: the trace replayed under the best */
  ELMO_RECORD_REPLAY_BASE = 7,  /* ... and under the baseline */
  ELMO_RECORD_MIGRATE_BEST = 8, /* the migration: the best after a full compaction under it */
  ELMO_RECORD_MIGRATE_BASE = 9  /* ... paired with the baseline on the data as it is */
} elmo_record_kind;

/* One trial of the run, in order. */
typedef struct elmo_tune_record {
  int index;                /* 0-based trial number */
  int iteration;            /* advisor round (0 = baseline) */
  elmo_record_kind kind;
  char *options_path;       /* trial-NNN.ini */
  char *changes;            /* "name: old -> new" lines vs the config it started from; may be NULL */
  char *reasoning;          /* the advisor's reasoning, trimmed; may be NULL */
  char *rejected;           /* the calibrator's rejections, one per line; may be NULL */
  elmo_trial_result result; /* status, reason, metrics */
  double score;             /* objective score (higher is better); 0 when not ok */
  int is_best;              /* the best configuration when the loop ended */
  int became_best;          /* 1: the best so far from this trial on (the baseline, and every
                               candidate accepted as better than the best before it); stays 1 */
  int recheck_of_best;      /* a recheck: 1 when it measured the best again, 0 the candidate */
  int close_call_pairs;     /* a close call: the (best, candidate) recheck pairs that decided it;
                               0 otherwise */
  double close_call_ratio;  /* their geometric mean candidate/best (1 when no pairs) */
  char *guard;              /* why the per-operation guard turned the candidate down, or NULL */
} elmo_tune_record;

/* One confirmation: the best and the baseline re-run alternately, and the paired test. */
typedef struct elmo_tune_confirmation {
  double best_mean, best_stdev;   /* ops/s (or the objective's unit), over the runs */
  double base_mean, base_stdev;
  double gain;              /* the paired estimate: exp(mean log(best/baseline)) - 1 */
  double gain_low, gain_high; /* its interval at the deciding look's level (1 - 2 alpha two-sided):
                               the low end is above 0 exactly when the test calls it a gain */
  int pairs;                /* pairs where both configurations ran (the test's n) */
  int batches;              /* batch means per run (1: one figure per run) */
  double t, p, df;          /* the estimate's t, one-sided p-value and degrees of freedom */
  int pooled;               /* the within-run batches were pooled with the pairs */
  int within_only;          /* one pair and no repeat of the baseline: nothing to judge it by */
  int aa_rows;              /* A/A rows (the baseline against its own earlier run) in the spread */
  int significant;          /* 1 when p < alpha at the look that ended the confirmation and the
                               per-operation guard passed */
  double alpha;             /* the nominal one-sided level of the look that decided */
  int look;                 /* that look (1-based; 0: none ran) */
  int looks;                /* looks planned (1 to ELMO_TUNE_CONFIRM_MAX_LOOKS) */
  int planned_pairs;        /* pairs the looks planned before the time budget cut them */
  char *guard;              /* why the guard failed the best against the baseline, or NULL */
} elmo_tune_confirmation;

typedef enum elmo_replay_state {
  ELMO_REPLAY_NONE = 0,     /* no trace to replay (a preset or a spec without one) */
  ELMO_REPLAY_SKIPPED = 1,  /* nothing to confirm: the baseline stayed the best */
  ELMO_REPLAY_RAN = 2,      /* the replay confirmation decided */
  ELMO_REPLAY_FAILED = 3    /* the trace could not be replayed: the model decided (replay_note) */
} elmo_replay_state;

typedef struct elmo_tune_summary {
  elmo_tune_record *records;
  size_t n_records;
  int best_index;           /* record of the best configuration */
  char *best_options_path;  /* output_dir/best.ini */
  char *stop_reason;        /* "iteration limit", "time budget", "converged", "interrupted" */
  elmo_tune_confirmation confirm; /* on the model (the workload the loop tuned) */
  elmo_tune_confirmation replay;  /* on the program's own trace (replay_state RAN) */
  elmo_replay_state replay_state;
  char *replay_note;        /* why the replay could not decide, or NULL */
  int shipped_best;         /* 1: best.ini holds the best configuration; 0: the baseline */
  char *migration_changes;  /* the best's changes that need the data rewritten (file-format
                               options, comma-separated), or NULL: every change takes effect now */
  int migration_measured;   /* 1: the migration below was measured (existing data, best shipped) */
  elmo_tune_confirmation migration; /* the best after a full compaction under it vs the baseline on
                               the data as it is (on the replay when it ran, else the model) */
  double migration_seconds; /* the full compaction's time (mean over the migration's runs) */
  uint64_t migration_bytes; /* the data it rewrote, about (the DB's size) */
  char *advisor;            /* how the advisor names itself (elmo_llm_describe) */
  char *merge_standin;      /* the merge operator every trial ran with in place of the
                               application's, or NULL when none was needed */
  int rewrite;              /* 1: every trial compacted the data under its own options first */
  char *limits_method;      /* how trials were limited */
  double wall_seconds;
  char *notes;              /* rounds that produced no trial, one line each, or NULL */
  char *budget_cuts;        /* what the time budget cut (rechecks, looks, the migration), one
                               line each, or NULL */
  elmo_storage_probe storage; /* the trials' storage (storage_probe); measured 0 with a note when
                               not probed or not measurable */
  int storage_cached;       /* 1: the probe came from output_dir's cache */
} elmo_tune_summary;

/* Runs the whole loop and writes the output directory (best.ini, trial-NNN.ini, history.json,
 * report.md, *.svg, transcript.jsonl). Returns ELMO_OK when a report was written (even when every
 * candidate failed or the run was interrupted); an error when the run could not start (bad
 * config, baseline failed, output dir not writable). */
ELMO_API elmo_rc elmo_tune_run(const elmo_tune_config *cfg, elmo_tune_summary *out, elmo_error *err);
ELMO_API void elmo_tune_summary_clear(elmo_tune_summary *s);

/* The objective score of metrics (higher is better). */
ELMO_API double elmo_tune_score(elmo_objective obj, double p99_weight, const elmo_trial_metrics *m,
                       const elmo_trial_metrics *baseline);

/* The options best sets differently from base that need the data rewritten
 * (elmo_catalog_shapes_files), comma-separated; NULL when there are none. New string (free). */
ELMO_API char *elmo_tune_file_format_changes(const elmo_optfile *base, const elmo_optfile *best);

/* ---- per-operation figures and guards (tuner_guard.c, pure) ----------------------------------- */

#define ELMO_TUNE_GUARD_SHARE 0.10          /* default guard_share */
#define ELMO_TUNE_GUARD_TOLERANCE 0.10      /* default guard_tolerance */
#define ELMO_TUNE_GUARD_P99_TOLERANCE 0.25  /* default guard_p99_tolerance */
#define ELMO_TUNE_GUARD_MIN_SAMPLES 200     /* fewer operations of a type: its p99 is not judged */
#define ELMO_TUNE_GUARD_P99_SLACK_US 20     /* a p99 rise of at most this many microseconds is not
                                               judged, whatever its ratio */

/* The db_bench histogram an operation type is counted in: "get" and "multiget" -> "read", "put"
 * -> "write", "seek", "delete", "merge" (and "read", "write" as themselves); NULL when op is not
 * one of these. Static storage. */
ELMO_API const char *elmo_tune_op_histogram(const char *op);

/* One histogram's operations per second (the run's ops/s times its share of the operations) and
 * p99. Returns 0 (outputs untouched) when m has no such histogram or no operations. */
ELMO_API int elmo_tune_op_figures(const elmo_trial_metrics *m, const char *histogram, double *ops, double *p99);

/* elmo_tune_score over one histogram's figures (histogram NULL: elmo_tune_score). 0 when m has
 * no such operations. */
ELMO_API double elmo_tune_score_op(elmo_objective obj, const char *histogram, double p99_weight,
                          const elmo_trial_metrics *m, const elmo_trial_metrics *baseline);

typedef struct elmo_tune_guard {
  const char *const *protect; /* operation names (elmo_tune_op_histogram) always guarded */
  size_t n_protect;
  double share;               /* see elmo_tune_config.guard_share */
  double tolerance, p99_tolerance;
  int p99_all;                /* 1: judge the p99 of the types guarded by share too */
  unsigned background;        /* bits 1 << elmo_spec_op: types guarded only when protected (the
                               * load of paced clients, elmo_workload_facts.paced_only_ops) */
} elmo_tune_guard;

/* Returns 1 when no guarded operation type of ref (protected, or with a share of ref's
 * operations or time >= share) lost more than tolerance of its ops/s in cand, and no protected
 * type (every guarded type with p99_all) gained more than p99_tolerance of its p99 (judged only
 * with ELMO_TUNE_GUARD_MIN_SAMPLES operations on both sides and a rise of more than
 * ELMO_TUNE_GUARD_P99_SLACK_US); else 0 and why (may be NULL) names the type and the figures. */
ELMO_API int elmo_tune_guard_check(const elmo_tune_guard *g, const elmo_trial_metrics *cand,
                          const elmo_trial_metrics *ref, char *why, size_t cap);

/* Pools n runs of one configuration: mean ops/s and p99, operation types matched by name with
 * their counts summed, p99 and average means, time shares recomputed. Runs without throughput are
 * left out. out is overwritten (its interval_ops stays NULL). */
ELMO_API void elmo_tune_pool_runs(const elmo_trial_metrics *const *runs, size_t n, elmo_trial_metrics *out);

ELMO_API const char *elmo_record_kind_name(elmo_record_kind k); /* "baseline", "tune", ... */

/* What stalled a trial's writes most, from its LOG's stall lines: "l0_files", "memtables",
 * "pending_compaction"; NULL when no line named a cause. Static storage. Pure. */
ELMO_API const char *elmo_tune_stall_cause(const elmo_trial_metrics *m);

/* ---- side-by-side comparison (the benchmark) ------------------------------------------------- */

typedef struct elmo_compare_row {
  int runs;                      /* successful runs */
  double ops_mean, ops_sd;       /* ops/s */
  double p99_mean, p99_sd;       /* microseconds */
  const char *histogram;         /* NULL: of every operation; else of the objective's operation
                                  * type only (--elmo_objective=OP, or the unpaced clients' of a
                                  * workload with paced thread groups): what the tuner judges */
} elmo_compare_row;

/*
 * Measures n OPTIONS files ("" = RocksDB's defaults) under cfg's workload and limits, on the same
 * preloaded data, `runs` times each, alternating (A B C A B C ...) so drift hits all alike.
 * rows[i] gets file i's mean and spread. Returns ELMO_OK, ELMO_EINVAL, or a setup error.
 */
ELMO_API elmo_rc elmo_tune_compare(const elmo_tune_config *cfg, const char *const *files, size_t n, int runs,
                          elmo_compare_row *rows, elmo_error *err);

/* ---- report (report.c) ---------------------------------------------------------------------- */

/* Writes history.json, report.md, throughput.svg and p99.svg into cfg->output_dir. */
ELMO_API elmo_rc elmo_report_write(const elmo_tune_config *cfg, const elmo_tune_summary *s, elmo_error *err);

/* One trial on a trial chart (elmo_report_svg_chart). */
typedef struct elmo_chart_trial {
  int trial;              /* the trial number: the x axis */
  elmo_record_kind kind;  /* the marker's shape and colour */
  double value;           /* the y axis; NaN or infinite: no result (failed or aborted), a red
                             cross on the x axis */
  int pair;               /* a confirmation, replay or migration run: its pair's number; the
                             baseline run and the best run of one kind with the same number are
                             joined by a segment. 0: not part of a pair */
  int became_best;        /* 1: the best so far from this trial on (a corner of the step line) */
  int is_best;            /* 1: the best at the end (ringed and labelled with its value) */
  int recheck_of_best;    /* a recheck: 1 when it measured the best again (drawn hollow, as the
                             reference side of a comparison), 0 the candidate */
} elmo_chart_trial;

typedef struct elmo_trial_chart {
  const char *title;              /* NULL: "" */
  const char *y_label;            /* NULL: "" */
  const char *best_label;         /* the step line's legend entry; NULL: "best so far" */
  const elmo_chart_trial *trials; /* in trial order; may be NULL when n_trials is 0 */
  size_t n_trials;
  const char *const *notes;       /* lines under the title (the confirmations' verdicts); may be
                                     NULL when n_notes is 0; at most 6 are drawn */
  size_t n_notes;
} elmo_trial_chart;

/*
 * An SVG chart of trials: each trial a point whose marker tells its kind (no line joins them),
 * failed trials a red cross on the x axis, the best so far a step line through the trials that
 * became best, each confirmation pair (baseline run, best run) joined by a short segment, the
 * notes under the title and a legend of what appears. The y axis starts at 0 (or the lowest
 * negative value). Self-contained (no fonts, scripts or links); text escaped; numbers written
 * with '.' whatever the locale. Returns a new string (elmo_free), or NULL when c is NULL or out
 * of memory. Pure.
 */
ELMO_API char *elmo_report_svg_chart(const elmo_trial_chart *c);

/*
 * An SVG chart of several runs' best so far against the trial number (to compare tuners):
 * series[i][j] is run i's best value after its trial j (trial 0 first; NaN: none yet), for j
 * below lengths[i]; names[i] its legend entry (NULL: "series <i>"). Each series is a step line of
 * its own colour (and, beyond ten series, its own dash pattern) with a dot where it improved.
 * The y axis starts at 0 (or the lowest negative value). series, lengths and names may be NULL
 * when n_series is 0; a NULL series[i] counts as empty. Returns a new string (elmo_free), or
 * NULL when out of memory. Pure.
 */
ELMO_API char *elmo_report_svg_progress(const char *title, const char *y_label, const double *const *series,
                                        const size_t *lengths, const char *const *names, size_t n_series);

/* A close call's decision. d[0..n): log(candidate/best) of each recheck pair, run alternately.
 * Returns 1 when the geometric mean of the paired ratios, exp(mean d), is above
 * 1 + min_gain / sqrt(n); 0 otherwise, and 0 when n is 0. min_gain is the bar for one run; a mean
 * of n pairs has 1/sqrt(n) of one pair's noise, so the bar shrinks with it (at the default 3% and
 * two pairs, 2.1%: peer run 1 refused a 336 MiB block cache at 1.023 that TPE's best shows wins). OUT *ratio (may be NULL): that geometric mean (1 when n is 0).
 * Pure. */
ELMO_API int elmo_tune_close_call(const double *d, size_t n, double min_gain, double *ratio);

/* c in one sentence into buf (snprintf's return): "+12.3% (paired estimate over 3 pair(s),
 * per-second batches; 96.4% interval +8.1% .. +16.7%): a gain (look 1 of 3)". Pure. */
ELMO_API int elmo_tune_confirmation_text(const elmo_tune_confirmation *c, char *buf, size_t size);

/* Whether best.ini holds the best configuration: one other than the baseline, confirmed on the
 * model (confirm.significant, the guard included) and, when the replay ran, on the program's own
 * trace too. A replay that could not run (FAILED) leaves the model to decide. Pure. */
ELMO_API int elmo_tune_ship_best(const elmo_tune_summary *s);

#ifdef __cplusplus
}
#endif

#endif /* ELMO_TUNER_H */
