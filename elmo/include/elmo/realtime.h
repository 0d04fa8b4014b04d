/*
 * realtime.h — the decision core of the realtime tuner (`elmo_autotune=true` in [DBOptions]).
 *
 * Module elmo/src/realtime/: the realtime tuner's decisions: settings (realtime_config.c), the
 *  option table (realtime_catalog.c), snapshots and shifts (realtime_snapshot.c), the state
 *  (realtime_state.c) and its machine (realtime.c), proposals (realtime_propose.c), switchback
 *  verdicts (realtime_switchback.c), the DB's events (realtime_events.c), what it learned (realtime_advice.c), its
 *  facts and advice step (realtime_facts.c), journal and LOG lines (realtime_journal.c). Uses
 *  base, options, fit (paired.h), llm, advisor (and through it advice).
 *
 * Conventions: see elmo.h. Everything here is pure and deterministic: no threads, no clock, no
 * I/O, no RocksDB. The C++ glue owns the thread, reads RocksDB's statistics into elmo_rt_sample,
 * calls the functions below once per interval, applies the calls a decision lists with
 * SetOptions/SetDBOptions, reports their status back, and writes every decision's journal line
 * (elmo_rt_journal_line) and LOG line (elmo_rt_log_line). Decisions are plain fixed-size structs
 * (no allocation, nothing to free). An elmo_rt object is not thread-safe: one tuner thread uses it.
 *
 * One interval, as the glue runs it:
 *
 *   sample cur; elmo_rt_step_samples(rt, &prev, &cur, &d)         journal d; prev = cur
 *   if d.action == ASK:   elmo_rt_advise(rt, &d.snap, &req, &advice) (the advice path both
 *                         tuners share: built-in rules or LLM, then the calibrator);
 *                         pairs = elmo_rt_advice_pairs(&advice)
 *                         elmo_rt_propose(rt, pairs, n, source, &d)   journal d
 *   if d.action == APPLY or ROLLBACK:
 *                         SetDBOptions / SetOptions for each of d.calls[i] -> ok[i]
 *                         elmo_rt_applied(rt, ok, messages, d.n_calls, &d)   journal d
 *                         (an APPLIED decision may itself ask for a ROLLBACK: repeat)
 *                         then take a fresh prev sample, so the next interval (the one a WATCH
 *                         judges) starts after the change
 *   In state ASK the glue must answer with elmo_rt_propose (n = 0 when the advisor failed or had
 *   nothing); until it does, snapshots are only recorded.
 *
 * The state machine (elmo_rt_get_state):
 *
 *   IDLE --shift--> ASK --propose: calls--> APPLY --applied: all ok--> VERIFY (or WATCH when
 *     ^              |  propose: nothing /     |                        switchback has no room)
 *     |              |  hourly limit --> IDLE  |  applied: some failed --> ROLLBACK
 *     |                                        |  applied: all failed  --> COOLDOWN
 *     |       VERIFY --each block (snapshot): switch calls (APPLY) or none; at a look:
 *     |                 keep --> (kept) COOLDOWN, after a last switch to the new values if needed;
 *     |                 undo --> (verdict) COOLDOWN on the old values, or ROLLBACK
 *     |       WATCH --next snapshot: no worse--> (kept) COOLDOWN
 *     |       WATCH --next snapshot: worse / workload moved again--> (verdict) ROLLBACK
 *     |       ROLLBACK --applied--> (rolled_back) COOLDOWN
 *     +------ COOLDOWN --after N snapshots--> IDLE, or ASK when the op mix then differs from
 *                                            the pre-change snapshot's by shift_mix (a shift
 *                                            during the cooldown)
 *
 * A shift is judged against the mean of the last `baseline_window` snapshots; the first ones
 * after a start, a shift, a verdict or a skipped proposal only establish the baseline (no shift is
 * reported until the window is full). Snapshots taken while a change is being watched are judged
 * against the snapshot taken just before the change ("pre-change").
 *
 * Sections: a call in ELMO_SECTION_DB goes to DB::SetDBOptions; ELMO_SECTION_CF to DB::SetOptions;
 * ELMO_SECTION_TABLE to DB::SetOptions as "block_based_table_factory={name=value}". The glue may
 * group calls of one section into one SetOptions map (RocksDB applies a map atomically) and then
 * reports that call's status for each of them.
 */
#ifndef ELMO_REALTIME_H
#define ELMO_REALTIME_H

#include <stddef.h>

#include "elmo/calibrate.h"
#include "elmo/catalog.h"
#include "elmo/elmo.h"
#include "elmo/llm.h"
#include "elmo/optfile.h"
#include "elmo/playbook.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ELMO_RT_NAME_MAX 64      /* option names, including the NUL */
#define ELMO_RT_VALUE_MAX 128    /* option values, including the NUL */
#define ELMO_RT_NOTE_MAX 256     /* one item's or call's note */
#define ELMO_RT_REASON_MAX 1024  /* a decision's reason */
#define ELMO_RT_MAX_ITEMS 16     /* proposed pairs considered per proposal (more: ELMO_ETOOBIG) */
#define ELMO_RT_RING_MAX 32      /* snapshots kept; the largest baseline window */
#define ELMO_RT_HISTORY_MAX 64   /* outcomes remembered (oldest forgotten first) */
#define ELMO_RT_HOURLY_MAX 60    /* the largest max_changes_per_hour */
#define ELMO_RT_SWITCHBACK_MAX_PAIRS 16 /* the largest switchback_pairs */

/* ---- configuration (the elmo_* keys of [DBOptions]) ------------------------------------------ */

/*
 * Key                               field                    default   range
 * elmo_autotune                     autotune                 false     bool: start the tuner thread
 * elmo_interval_sec                 interval_sec             90        [1, 86400] seconds per sample
 * elmo_llm                          llm                      builtin   provider spec (llm.h);
 *                                                                      "builtin": the built-in rules (advisor.h)
 * elmo_journal                      journal                  ""        path of the JSON-lines journal;
 *                                                                      "": <db>/elmo_journal.jsonl
 * elmo_max_step                     max_step                 0.5       (0, 4] largest relative change
 *                                                                      of one numeric option per step
 * elmo_max_changes_per_hour         max_changes_per_hour     40        [0, 60] SetOptions changes in
 *                                                                      any hour, switchback switches
 *                                                                      included; 0: observe only
 * elmo_max_options_per_change       max_options_per_change   4         [1, 16]
 * elmo_baseline_window              baseline_window          5         [1, 32] snapshots
 * elmo_shift_mix                    shift_mix                0.15      (0, 1] total-variation distance
 *                                                                      of the read/write/scan mix
 * elmo_shift_throughput             shift_throughput         0.30      (0, 10] relative ops/s change
 * elmo_shift_value_size             shift_value_size         0.50      (0, 10] relative change of the
 *                                                                      bytes per written key, the bytes
 *                                                                      per read key and the scan length
 * elmo_shift_hit_rate               shift_hit_rate           0.1       (0, 1] fall of the block cache
 *                                                                      hit rate (absolute) at a steady
 *                                                                      mix: the hot set moved
 * elmo_shift_stall                  shift_stall              0.05      (0, 1] rise of the stall fraction
 * elmo_stall_trigger                stall_trigger            0.10      (0, 1] stall fraction that, held
 *                                                                      over a full baseline, asks too
 * elmo_rollback_throughput          rollback_throughput      0.10      (0, 1) ops/s drop that undoes
 * elmo_rollback_p99                 rollback_p99             0.20      (0, 10] p99 rise that undoes
 * elmo_watch_intervals              watch_intervals          1         [1, 10] snapshots watched after
 *                                                                      a change; their mean is judged
 *                                                                      (when switchback does not run)
 * elmo_switchback_pairs             switchback_pairs         6         [0, 16] most (new, old) block
 *                                                                      pairs a switchback verdict
 *                                                                      takes; 0, or fewer than 2 left
 *                                                                      in the hourly limit: watch
 * elmo_switchback_block_sec         switchback_block_sec     10        [1, 3600] seconds per block
 * elmo_switchback_settle_sec        switchback_settle_sec    2         [0, 600] seconds after each
 *                                                                      switch before a block starts
 * elmo_cooldown_intervals           cooldown_intervals       2         [0, 1000] after a kept change
 * elmo_rollback_cooldown_intervals  rollback_cooldown_intervals 4      [0, 1000] after a rollback or
 *                                                                      a failed apply
 * elmo_min_interval_ops             min_interval_ops         1000      [0, 1e12] fewer operations in an
 *                                                                      interval: the snapshot is skipped
 *
 * Keys for programs that cannot change (ELMO_OPTIONS / ELMO_CONFIG, docs/UNCHANGED.md):
 * elmo_db                           db                       ""        glob of the DB paths the
 *                                                                      environment's keys apply to
 * elmo_strict                       strict                   false     bool: a bad ELMo setting fails
 *                                                                      DB::Open instead of a LOG line
 * elmo_trace                        trace                    ""        query trace path; %p pid,
 *                                                                      %n DB directory name, %% '%'
 * elmo_trace_max_bytes              trace_max_bytes          1 GiB     [64 KiB, 1 PiB] then it stops
 * elmo_trace_seconds                trace_seconds            0         [0, 1e7]; 0: until Close
 * elmo_trace_sampling               trace_sampling           1         [1, 1e6]: one op in N
 * elmo_trace_min_free_bytes         trace_min_free_bytes     1 GiB     [0, 1 PiB] free disk below
 *                                                                      which tracing stops
 * elmo_tuned_options                tuned_options            ""        OPTIONS file whose values are
 *                                                                      laid over the program's at open
 * elmo_playbook                     playbook                 ""        playbook (playbook.h) whose
 *                                                                      nearest entry a shift tries
 *                                                                      first; "": none
 */
typedef struct elmo_rt_config {
  int autotune;                    /* 0/1 */
  double interval_sec;             /* seconds */
  char llm[256];                   /* provider spec */
  char journal[1024];              /* path; "" lets the glue choose */
  double max_step;                 /* fraction */
  int max_changes_per_hour;        /* applied proposals in any 3600 s */
  int max_options_per_change;      /* options in one proposal; the rest are dropped, saying so */
  int baseline_window;             /* snapshots */
  double shift_mix;                /* total-variation distance in [0, 1] */
  double shift_throughput;         /* fraction */
  double shift_value_size;         /* fraction */
  double shift_stall;              /* fraction of the interval (absolute rise) */
  double shift_hit_rate;           /* block cache hit rate (absolute fall) */
  double stall_trigger;            /* fraction of the interval */
  double rollback_throughput;      /* fraction */
  double rollback_p99;             /* fraction */
  int watch_intervals;             /* snapshots a change is watched before it is judged */
  int switchback_pairs;            /* most block pairs of a switchback verdict; 0: watch instead */
  double switchback_block_sec;     /* seconds */
  double switchback_settle_sec;    /* seconds */
  int cooldown_intervals;          /* snapshots */
  int rollback_cooldown_intervals; /* snapshots */
  double min_interval_ops;         /* operations per interval */
  char db[1024];                   /* fnmatch(3) glob of DB paths; "": every DB */
  int strict;                      /* 0/1 */
  char trace[1024];                /* path template; "": no tracing */
  double trace_max_bytes;          /* bytes */
  double trace_seconds;            /* seconds; 0: no limit */
  int trace_sampling;              /* one op in N */
  double trace_min_free_bytes;     /* bytes */
  char tuned_options[1024];        /* OPTIONS file laid over the program's at open; "": none */
  char playbook[1024];             /* playbook (playbook.h) tried first on a shift; "": none */
} elmo_rt_config;

/* One documented key (for docs and `--help`). Static storage. */
typedef struct elmo_rt_key_info {
  const char *key;           /* "elmo_max_step" */
  const char *type;          /* "bool", "int", "double", "bytes", "string" */
  const char *default_value; /* as written in an OPTIONS file */
  const char *range;         /* "(0, 4]" */
  const char *help;          /* one sentence */
} elmo_rt_key_info;

/* Sets every field to its default (the table above). */
ELMO_API void elmo_rt_config_defaults(elmo_rt_config *cfg);

/* 1 when key belongs to ELMo (starts with "elmo_"), so the glue hands it here and not to
 * RocksDB's parser. */
ELMO_API int elmo_rt_config_is_key(const char *key);

/*
 * Sets one key from its OPTIONS-file text ("90", "0.5", "50%", "true", "64"). The value is
 * checked against the key's range; cross-field rules are elmo_rt_config_validate's.
 * Returns ELMO_OK; ELMO_ENOTFOUND (unknown key: the message names it and the nearest key);
 * ELMO_EPARSE (not a value of the key's type); ELMO_ERANGE (outside the range); ELMO_ETOOBIG
 * (string too long); ELMO_EINVAL (NULL argument). Every message starts with the key. On error the
 * field keeps its previous value.
 */
ELMO_API elmo_rc elmo_rt_config_set(elmo_rt_config *cfg, const char *key, const char *value, elmo_error *err);

/*
 * Sets keys from "key=value" items separated by ';' or newlines (spaces around both ignored,
 * empty items skipped), then validates. Stops at the first bad item (codes as
 * elmo_rt_config_set, ELMO_EPARSE for an item without '='); earlier items stay set.
 */
ELMO_API elmo_rc elmo_rt_config_parse(elmo_rt_config *cfg, const char *text, elmo_error *err);

/* Checks every field's range and the cross-field rules. Returns ELMO_OK, ELMO_ERANGE or
 * ELMO_EINVAL with a message naming the key (elmo_*) and the allowed range. */
ELMO_API elmo_rc elmo_rt_config_validate(const elmo_rt_config *cfg, elmo_error *err);

/* One "key=value" item of a settings text, as elmo_rt_config_lines splits it. */
typedef struct elmo_rt_line {
  char key[64];     /* trimmed; "" when the line has no '=' (then value holds the line) */
  char value[1400]; /* trimmed */
  int line;         /* 1-based line number */
} elmo_rt_line;

/*
 * Splits the text of a settings file (ELMO_CONFIG): one key=value per line, '#' starts a comment
 * at the start of a line or after a blank, blank lines are skipped. Values are not checked here.
 * OUT *out: up to max items (lines without '=' included, with key ""); *n: how many.
 * Returns ELMO_OK, ELMO_ETOOBIG (more than max items, or a key or value too long: the message names
 * the line), ELMO_EINVAL (NULL argument).
 */
ELMO_API elmo_rc elmo_rt_config_lines(const char *text, elmo_rt_line *out, size_t max, size_t *n,
                             elmo_error *err);

/*
 * Expands a trace path template: %p the process id, %n the DB directory's last component, %%
 * a '%'. Returns ELMO_OK, ELMO_EPARSE (another character after '%'), ELMO_ETOOBIG (out too small).
 */
ELMO_API elmo_rc elmo_rt_trace_path(const char *tmpl, long pid, const char *db_path, char *out, size_t size,
                           elmo_error *err);

ELMO_API size_t elmo_rt_config_key_count(void);
/* NULL when i is out of range. */
ELMO_API const elmo_rt_key_info *elmo_rt_config_key_at(size_t i);

/* ---- samples and snapshots ------------------------------------------------------------------ */

/*
 * Raw readings at one moment. Counters are RocksDB tickers (cumulative since the DB opened);
 * gauges are properties or histogram percentiles read at that moment. Every field is a plain
 * number; 0 when the glue does not have it.
 */
typedef struct elmo_rt_sample {
  double time_sec;                 /* wall clock, seconds since the epoch (journal timestamps) */
  /* counters */
  double gets;                     /* rocksdb.number.keys.read (+ number.multiget.keys.read) */
  double writes;                   /* rocksdb.number.keys.written */
  double seeks;                    /* rocksdb.number.db.seek */
  double nexts;                    /* rocksdb.number.db.next */
  double bytes_read;               /* rocksdb.bytes.read */
  double bytes_written;            /* rocksdb.bytes.written (keys + values of writes) */
  double stall_micros;             /* rocksdb.stall.micros */
  double cache_hits;               /* rocksdb.block.cache.hit */
  double cache_misses;             /* rocksdb.block.cache.miss */
  double flush_bytes;              /* rocksdb.flush.write.bytes */
  double compact_write_bytes;      /* rocksdb.compact.write.bytes */
  double cpu_sec;                  /* process CPU time, user + system, seconds */
  /* gauges */
  double p99_get_us;               /* p99 of db.get.micros over the interval ending now */
  double p99_write_us;             /* p99 of db.write.micros over the interval ending now */
  double pending_compaction_bytes; /* rocksdb.estimate-pending-compaction-bytes */
  double running_compactions;      /* rocksdb.num-running-compactions */
  double running_flushes;          /* rocksdb.num-running-flushes */
  double immutable_memtables;      /* rocksdb.num-immutable-mem-table */
  double l0_files;                 /* rocksdb.num-files-at-level0 */
  double num_keys;                 /* rocksdb.estimate-num-keys */
  double rss_bytes;                /* process resident memory */
} elmo_rt_sample;

/* What happened over one interval (two samples). Rates are per second. */
typedef struct elmo_rt_snapshot {
  double time_sec;                 /* the later sample's time */
  double interval_sec;             /* seconds between the samples (> 0) */
  double ops;                      /* gets + writes + seeks in the interval */
  double ops_per_sec;
  double gets_per_sec, writes_per_sec, seeks_per_sec;
  double read_frac, write_frac, scan_frac; /* shares of ops (sum 1; 0 when ops == 0) */
  double nexts_per_seek;           /* scan length; 0 without seeks */
  double read_bytes_per_sec, write_bytes_per_sec;
  double write_bytes_per_op;       /* bytes written per written key (key + value); 0 w/o writes */
  double stall_frac;               /* stall time / interval; may exceed 1 with several writers */
  double cache_hit_rate;           /* [0, 1]; -1 without block cache lookups */
  double flush_bytes_per_sec, compact_bytes_per_sec;
  double cpu_cores;                /* CPU seconds per second (2.0: two cores busy) */
  double p99_get_us, p99_write_us; /* the later sample's */
  double pending_compaction_bytes, running_compactions, running_flushes;
  double immutable_memtables, l0_files, num_keys, rss_bytes;
  double flushes, compactions;     /* completed in the interval, from the DB's events (filled by
                                    * elmo_rt_step into the decision's copy; 0 in the input) */
} elmo_rt_snapshot;

/*
 * Computes the snapshot of the interval between prev and cur.
 * OUT *snap: zeroed first, then filled on ELMO_OK.
 * Returns ELMO_OK; ELMO_EINVAL for NULL arguments or a NaN, infinite or negative field (the
 * message names it); ELMO_ERANGE when time does not advance (zero or negative interval) or a
 * counter went backwards (statistics were reset, or the DB reopened: the message names the
 * counter; use cur as the next prev).
 */
ELMO_API elmo_rc elmo_rt_snapshot_from_samples(const elmo_rt_sample *prev, const elmo_rt_sample *cur,
                                      elmo_rt_snapshot *snap, elmo_error *err);

/* ---- the tuner state ------------------------------------------------------------------------ */

/* One option the tuner may see, with its current value: the glue builds the table from the
 * catalog (elmo_rt_options_from_catalog) or by hand (tests). */
typedef struct elmo_rt_option {
  const char *name;
  elmo_section section;    /* ELMO_SECTION_DB, _CF or _TABLE */
  int is_mutable;          /* 1: SetOptions/SetDBOptions change it (and it is not locked) */
  const char *value;       /* current value as RocksDB writes it; NULL: unknown */
  int has_range;           /* 1: a numeric value must lie in [min, max] (the catalog's range) */
  double min, max;
} elmo_rt_option;

/*
 * Builds the option table from the catalog and the DB's current options: every option that is not
 * an alias or deprecated; is_mutable when the catalog says runtime-mutable and not locked; value
 * from current (column family "default") or else the engine default; the catalog's range when it
 * has one. current may be NULL.
 * OUT *opts, *n: a new array (elmo_free) whose strings are borrowed from cat and current (valid
 * while they are; elmo_rt_create copies them). Returns ELMO_OK, ELMO_EINVAL, ELMO_ENOMEM.
 */
ELMO_API elmo_rc elmo_rt_options_from_catalog(const elmo_catalog *cat, const elmo_optfile *current,
                                     elmo_rt_option **opts, size_t *n, elmo_error *err);

/* What the glue knows of the machine. 0: unknown. */
typedef struct elmo_rt_host {
  int cpus;                /* CPUs the process may use */
  double memory_bytes;     /* memory limit or physical memory */
  int client_threads;      /* foreground threads, when the application says; 0 unknown */
} elmo_rt_host;

typedef enum elmo_rt_state {
  ELMO_RT_IDLE = 0,        /* building the baseline / watching for a shift */
  ELMO_RT_ASK = 1,         /* waiting for a proposal (elmo_rt_propose) */
  ELMO_RT_APPLY = 2,       /* waiting for the status of the APPLY calls (elmo_rt_applied) */
  ELMO_RT_WATCH = 3,       /* the next snapshot judges the change */
  ELMO_RT_ROLLBACK = 4,    /* waiting for the status of the ROLLBACK calls (elmo_rt_applied) */
  ELMO_RT_COOLDOWN = 5,    /* no change for a few intervals */
  ELMO_RT_VERIFY = 6       /* switchback: blocks alternate the new and the old values */
} elmo_rt_state;

typedef enum elmo_rt_event {
  ELMO_RT_EV_SNAPSHOT = 0,    /* a snapshot was taken; nothing to do */
  ELMO_RT_EV_SHIFT = 1,       /* the workload moved (or stalls persist): ask for advice */
  ELMO_RT_EV_PROPOSAL = 2,    /* a proposal was checked: calls to apply */
  ELMO_RT_EV_APPLIED = 3,     /* the glue reported the APPLY calls */
  ELMO_RT_EV_VERDICT = 4,     /* the watched change made things worse: calls to undo it */
  ELMO_RT_EV_KEPT = 5,        /* the watched change is kept */
  ELMO_RT_EV_ROLLED_BACK = 6, /* the glue reported the ROLLBACK calls */
  ELMO_RT_EV_SKIPPED = 7,     /* a snapshot or a proposal was not used (reason, code) */
  ELMO_RT_EV_SWITCH = 8,      /* switchback: a block ended; calls (if any) switch the values */
  ELMO_RT_EV_DB = 9           /* an event of the DB (elmo_rt_db_event): stalls began or ended, a
                               * background error, its recovery */
} elmo_rt_event;

typedef enum elmo_rt_action {
  ELMO_RT_ACT_NONE = 0,
  ELMO_RT_ACT_ASK = 1,        /* get a proposal and call elmo_rt_propose */
  ELMO_RT_ACT_APPLY = 2,      /* apply calls[], then elmo_rt_applied */
  ELMO_RT_ACT_ROLLBACK = 3    /* apply calls[] (the reverse of a change), then elmo_rt_applied */
} elmo_rt_action;

/* Which signals moved (elmo_rt_shift.signals). */
#define ELMO_RT_SIG_MIX 0x01u        /* read/write/scan mix */
#define ELMO_RT_SIG_THROUGHPUT 0x02u /* ops/s */
#define ELMO_RT_SIG_VALUE_SIZE 0x04u /* bytes per written key */
#define ELMO_RT_SIG_STALL 0x08u      /* stall fraction rose */
#define ELMO_RT_SIG_STALLS_HIGH 0x10u /* stall fraction high over the whole baseline */
#define ELMO_RT_SIG_READ_SIZE 0x20u   /* bytes read per Get (shift_value_size) */
#define ELMO_RT_SIG_SCAN_LENGTH 0x40u /* Next calls per Seek (shift_value_size) */
#define ELMO_RT_SIG_HIT_RATE 0x80u    /* block cache hit rate fell by shift_hit_rate: the hot set
                                       * moved or grew (key popularity, as the statistics show it) */

typedef struct elmo_rt_shift {
  int shifted;                     /* 1: at least one signal passed its threshold */
  int baseline_ready;              /* 0: still establishing the baseline (never shifted) */
  unsigned signals;                /* ELMO_RT_SIG_* */
  double mix_distance;             /* total-variation distance to the baseline mix */
  double throughput_change;        /* ops/s relative to the baseline (-0.4: 40% lower) */
  double value_size_change;        /* relative; 0 when either side has no writes */
  double stall_change;             /* stall fraction minus the baseline's */
  double read_size_change;         /* bytes read per Get, relative; 0 when not judged */
  double scan_length_change;       /* Next calls per Seek, relative; 0 when not judged */
  double hit_rate_change;          /* block cache hit rate minus the baseline's; 0 not judged */
  double base_read_frac, base_write_frac, base_scan_frac, base_ops_per_sec, base_stall_frac;
  char reason[ELMO_RT_REASON_MAX]; /* for people: what moved, by how much */
} elmo_rt_shift;

/* A proposed option and its fate. */
typedef enum elmo_rt_item_status {
  ELMO_RT_ITEM_ACCEPTED = 0,  /* applied as proposed */
  ELMO_RT_ITEM_CLAMPED = 1,   /* applied, limited to max_step (note says from what) */
  ELMO_RT_ITEM_DROPPED = 2    /* not applied (code and note say why) */
} elmo_rt_item_status;

typedef struct elmo_rt_item {
  char option[ELMO_RT_NAME_MAX];
  char proposed[ELMO_RT_VALUE_MAX];  /* as proposed */
  char value[ELMO_RT_VALUE_MAX];     /* what will be applied ("" when dropped) */
  char old_value[ELMO_RT_VALUE_MAX]; /* the current value ("" when unknown) */
  elmo_rt_item_status status;
  elmo_rc code;                      /* dropped: ENOTFOUND, ELOCKED, ERANGE, EBUDGET, EINVAL */
  char note[ELMO_RT_NOTE_MAX];
} elmo_rt_item;

/* One SetOptions/SetDBOptions call. */
typedef struct elmo_rt_call {
  char option[ELMO_RT_NAME_MAX];
  elmo_section section;
  char old_value[ELMO_RT_VALUE_MAX];
  char new_value[ELMO_RT_VALUE_MAX];
  int status;                        /* -1 not yet applied, 1 ok, 0 failed */
  char message[ELMO_RT_NOTE_MAX];    /* the glue's status text when it failed */
} elmo_rt_call;

/* ---- events of the DB (realtime_events.c) ------------------------------------------------------
 *
 * The glue's EventListener callbacks (flush and compaction completed, write stall conditions
 * changed, background error, recovery from it) record plain events, O(1) and never blocking
 * RocksDB's threads; the tuner thread hands them to elmo_rt_db_event. A stall that begins asks for
 * a look at once (the glue samples and steps without waiting for the interval's end) unless a
 * switchback block is running (the block shows the stall, and a stalled block is not counted). A
 * background error stops every change until the DB recovers: no advice is asked, no proposal is
 * applied, a switchback neither switches nor counts blocks; on recovery a switchback that was
 * under way ends on the old values (its blocks straddle the error). Flushes and compactions are
 * counted into the next snapshot. */

typedef enum elmo_rt_db_event_kind {
  ELMO_RT_DB_FLUSH = 0,
  ELMO_RT_DB_COMPACTION = 1,
  ELMO_RT_DB_STALL = 2,         /* stall_condition: 0 normal, 1 delayed, 2 stopped */
  ELMO_RT_DB_BG_ERROR = 3,      /* message: RocksDB's status */
  ELMO_RT_DB_RECOVERED = 4      /* the background error cleared */
} elmo_rt_db_event_kind;

typedef struct elmo_rt_db_event {
  elmo_rt_db_event_kind kind;
  double time_sec;              /* when the glue saw it */
  int stall_condition;          /* ELMO_RT_DB_STALL */
  char cf[ELMO_RT_NAME_MAX];    /* the column family, when the event names one */
  char message[ELMO_RT_NOTE_MAX];
} elmo_rt_db_event;


/* ---- switchback verification (realtime_switchback.c) -------------------------------------------
 *
 * After a change is applied, blocks of switchback_block_sec alternate the new values and the old
 * ones in pairs ordered (new, old), (old, new), (new, old), ...: a load that drifts linearly
 * cancels over two pairs, and every other pair needs no switch. Each block starts
 * switchback_settle_sec after its switch (the glue waits, then samples). Pair i gives
 * d_i = log(ops/s on the new values / ops/s on the old). After 2 pairs, then doubling, then the
 * planned count (elmo_tune_confirm_looks), the paired estimate of d (paired.h, the offline
 * confirmation's) is tested on both sides at the looks' group-sequential one-sided levels: a gain
 * significant at a look keeps the change, a loss significant at it undoes it, and at the last
 * look the change stays when the estimate favours it (both are then as well measured as the
 * planned time allows, and the better-measured one is kept). The guards — the p99 of gets or of
 * writes (each at least 5% of the operations of both blocks of every pair) higher on the new
 * values by more than rollback_p99 (geometric mean over the pairs), or the stalled share of the
 * time higher by more than shift_stall — undo the change at the last look; at an earlier one
 * they only keep a gain from being kept early (a block's p99 is as noisy as its throughput). */

/* One block's measurement. */
typedef struct elmo_rt_block {
  int on_new; /* 1: measured on the new values, 0: on the old ones */
  double ops_per_sec, p99_get_us, p99_write_us, stall_frac, read_frac, write_frac;
} elmo_rt_block;

typedef enum elmo_rt_sb_verdict {
  ELMO_RT_SB_GO_ON = 0, /* not a look, or nothing clear before the last look */
  ELMO_RT_SB_KEEP = 1,
  ELMO_RT_SB_UNDO = 2
} elmo_rt_sb_verdict;

typedef struct elmo_rt_switchback {
  int planned, pairs;        /* pairs planned, pairs measured */
  int look, n_looks;         /* this look (0-based; -1: the pairs so far are not a look) */
  double level;              /* the look's one-sided level (0 when not a look) */
  double gain, low, high;    /* exp(mean d) - 1, and its interval at the look's level */
  double p_gain, p_loss;     /* one-sided p-values of "no gain" and "no loss" */
  double p99_get_ratio, p99_write_ratio; /* new/old, geometric mean over the pairs; 0: not judged */
  double stall_change;       /* mean stalled fraction on the new values minus on the old */
  elmo_rt_sb_verdict verdict;
  char why[ELMO_RT_NOTE_MAX]; /* for people */
} elmo_rt_switchback;

/* 1 when block k (0-based) of a switchback runs on the new values: (new, old), (old, new), ... */
ELMO_API int elmo_rt_switchback_on_new(int block);

/*
 * The switchback verdict after blocks[0..n) (n even: whole pairs; block 2i and 2i + 1 are pair i
 * and must be one on each side) with `planned` pairs planned (2 .. 16) and cfg's rollback_p99 and
 * shift_stall. Pure. OUT *out (may be NULL): the figures and why. A pair on one side only, or an
 * odd n, is ELMO_RT_SB_UNDO with why naming it.
 */
ELMO_API elmo_rt_sb_verdict elmo_rt_switchback_decide(const elmo_rt_block *blocks, size_t n, int planned,
                                                      const elmo_rt_config *cfg, elmo_rt_switchback *out);

typedef struct elmo_rt_decision {
  double time_sec;                 /* the latest snapshot's time (no clock in the core) */
  elmo_rt_event event;
  elmo_rt_action action;
  elmo_rt_state from, to;          /* state before and after */
  int has_snapshot;                /* snap is set (snapshot, shift, verdict, kept, skipped) */
  elmo_rt_snapshot snap;
  elmo_rt_shift shift;             /* SHIFT (and SNAPSHOT: the comparison made) */
  elmo_rt_item items[ELMO_RT_MAX_ITEMS]; /* PROPOSAL: every proposed pair */
  size_t n_items;
  elmo_rt_call calls[ELMO_RT_MAX_ITEMS]; /* action APPLY/ROLLBACK: the calls to make now; else
                                          * the calls reported (APPLIED, ROLLED_BACK) or judged
                                          * (KEPT). An APPLIED decision whose action is ROLLBACK
                                          * lists the reverse calls; its reason names the refused
                                          * ones with the glue's messages. */
  size_t n_calls;
  int change_id;                   /* the change this decision belongs to (0: none) */
  double ops_change;               /* VERDICT/KEPT: ops/s vs pre-change (-0.2: 20% lower) */
  double p99_get_change, p99_write_change; /* VERDICT/KEPT: relative; 0 when not judged */
  int changes_last_hour;           /* applied changes in the hour before time_sec */
  elmo_rc code;                    /* SKIPPED: why (ERANGE bad sample, EBUDGET hourly limit ...) */
  char source[ELMO_RT_NAME_MAX];   /* PROPOSAL: who proposed ("builtin", "openai:gpt-4o" ...) */
  int has_switchback;              /* switchback (VERIFY: a block ended, or its verdict) */
  elmo_rt_switchback switchback;
  char reason[ELMO_RT_REASON_MAX]; /* for people */
} elmo_rt_decision;

typedef struct elmo_rt elmo_rt;

/*
 * Creates a tuner state. cfg is validated and copied; opts (names and values) are copied.
 * host may be NULL (all unknown). Names must be unique and shorter than ELMO_RT_NAME_MAX.
 * OUT *out: new state (elmo_rt_destroy) or NULL.
 * Returns ELMO_OK; ELMO_EINVAL / ELMO_ERANGE (config, or a bad or duplicate option row: the
 * message names it); ELMO_ENOMEM.
 */
ELMO_API elmo_rc elmo_rt_create(const elmo_rt_config *cfg, const elmo_rt_host *host,
                       const elmo_rt_option *opts, size_t n, elmo_rt **out, elmo_error *err);
ELMO_API void elmo_rt_destroy(elmo_rt *rt);

/* Records an option's current value after a change made outside the tuner (another SetOptions).
 * Returns ELMO_OK, ELMO_ENOTFOUND (not in the table), ELMO_ETOOBIG, ELMO_EINVAL, ELMO_ENOMEM. */
ELMO_API elmo_rc elmo_rt_set_value(elmo_rt *rt, const char *name, const char *value, elmo_error *err);
/* The current value as the tuner knows it; NULL when unknown. Borrowed until the next call that
 * changes rt. */
ELMO_API const char *elmo_rt_value(const elmo_rt *rt, const char *name);

ELMO_API elmo_rt_state elmo_rt_get_state(const elmo_rt *rt);

/* Seconds until the glue's next sample: switchback_block_sec while a switchback runs (VERIFY),
 * else interval_sec. After applying a decision's calls the glue first waits elmo_rt_settle_sec,
 * then takes its fresh sample: switchback_settle_sec in VERIFY, else 0. */
ELMO_API double elmo_rt_next_sample_sec(const elmo_rt *rt);
ELMO_API double elmo_rt_settle_sec(const elmo_rt *rt);

/* The calls that put back the values from before the change in flight (being applied, watched,
 * verified by switchback or rolled back), so that a DB closing mid-verdict is left on the values
 * it had, not on the experimental ones; 0 when no change is in flight. Setting an option to the
 * value it already has is harmless, so the calls are right whichever block the DB is in.
 * OUT out[0..cap). */
ELMO_API size_t elmo_rt_restore_calls(const elmo_rt *rt, elmo_rt_call *out, size_t cap);

/*
 * Feeds one event. OUT *d: a decision to journal when the event is one (stalls began or ended, a
 * background error, a recovery): event ELMO_RT_EV_DB, perhaps with ROLLBACK calls (a recovery
 * ending a switchback on the new values); flushes and compactions give d->event
 * ELMO_RT_EV_SKIPPED with no reason (nothing to journal). Returns 1 when the glue should sample
 * and step now instead of at the interval's end, else 0; -1 for NULL arguments.
 */
ELMO_API int elmo_rt_db_event_step(elmo_rt *rt, const elmo_rt_db_event *e, elmo_rt_decision *d);

/* 1 while a background error stops every change. */
ELMO_API int elmo_rt_background_error(const elmo_rt *rt);
/* Snapshots in the current baseline (0 .. baseline_window). */
ELMO_API size_t elmo_rt_baseline_count(const elmo_rt *rt);

/*
 * Compares snap with the current baseline, without changing rt.
 * OUT *out: zeroed, then filled. Returns ELMO_OK or ELMO_EINVAL (NULL argument).
 */
ELMO_API elmo_rc elmo_rt_detect_shift(const elmo_rt *rt, const elmo_rt_snapshot *snap, elmo_rt_shift *out,
                             elmo_error *err);

/*
 * Feeds one snapshot: records it, and moves the state machine (see the top of this file).
 * OUT *d: the decision (journal it). Returns ELMO_OK, or ELMO_EINVAL for NULL arguments.
 */
ELMO_API elmo_rc elmo_rt_step(elmo_rt *rt, const elmo_rt_snapshot *snap, elmo_rt_decision *d, elmo_error *err);

/*
 * As elmo_rt_step on elmo_rt_snapshot_from_samples(prev, cur). A bad pair of samples (NaN,
 * counters reset, time not advancing) or an interval with fewer than min_interval_ops operations
 * gives a SKIPPED decision (code and reason say why) and leaves the state unchanged. Returns
 * ELMO_OK (also for a skipped snapshot), or ELMO_EINVAL for NULL arguments.
 */
ELMO_API elmo_rc elmo_rt_step_samples(elmo_rt *rt, const elmo_rt_sample *prev, const elmo_rt_sample *cur,
                             elmo_rt_decision *d, elmo_error *err);

/* A proposed name=value (elmo_rt_advise: the calibrated answer of the built-in rules or an LLM). */
typedef struct elmo_rt_pair {
  const char *name;
  const char *value;
} elmo_rt_pair;

/*
 * Checks a proposal (state ASK): drops unknown and non-mutable options, values already current,
 * values too long, a change rolled back or refused before (see elmo_rt_builtin_advice), values
 * outside the option's range (ERANGE: rejected, never clamped into it) and options beyond
 * max_options_per_change, each with a reason; limits each numeric change to max_step from the
 * current value (an integer moves at least one unit), saying so; enforces max_changes_per_hour.
 * source names the advisor (journaled; may be NULL).
 * OUT *d: PROPOSAL with action APPLY and calls (state APPLY), or SKIPPED (nothing left, or the
 * hourly limit: code ELMO_EBUDGET) with state IDLE. n == 0 says the advisor had nothing.
 * Returns ELMO_OK; ELMO_EINVAL (NULL argument, or not in state ASK: the message names the state);
 * ELMO_ETOOBIG (n > ELMO_RT_MAX_ITEMS).
 */
ELMO_API elmo_rc elmo_rt_propose(elmo_rt *rt, const elmo_rt_pair *pairs, size_t n, const char *source,
                        elmo_rt_decision *d, elmo_error *err);

/*
 * Reports the status of the calls of the last APPLY or ROLLBACK decision, in its order: ok[i] 1
 * succeeded, 0 failed; messages[i] (may be NULL, as may messages) the failure text.
 * After APPLY: all ok -> APPLIED, state WATCH; some failed -> APPLIED with action ROLLBACK and the
 * reverse calls of those that succeeded (state ROLLBACK); all failed -> APPLIED, state COOLDOWN.
 * After ROLLBACK: ROLLED_BACK, state COOLDOWN (a failed reverse call is in the reason: the option
 * keeps the changed value, and the tuner knows it).
 * Returns ELMO_OK; ELMO_EINVAL (NULL argument, wrong state, n not the number of calls).
 */
ELMO_API elmo_rc elmo_rt_applied(elmo_rt *rt, const int *ok, const char *const *messages, size_t n,
                        elmo_rt_decision *d, elmo_error *err);

/*
 * The facts block for an advisor prompt, in the shape the built-in advisor reads (advisor.h):
 * "\n\nFacts (machine-readable):\n```json\n{...}\n```\n" with "elmo_facts":1,
 * "phase":"realtime", "mutable_only":true, cpus, memory_bytes, workload (mix, value_bytes,
 * num_keys, threads), best (the current mutable options and the latest snapshot's ops_per_sec,
 * p99_us, stall_percent, cache_hit_rate, cpu_percent, peak_memory_bytes), tried (past changes
 * with status kept / rolled_back / failed), rejected ("name=value" refused), locked (every
 * option in the table that cannot change at runtime), focus (options of the last kept change),
 * shift (reason, signals) and limits (max_step, changes left this hour).
 * New string (elmo_free); NULL when out of memory or rt is NULL.
 */
ELMO_API char *elmo_rt_facts_json(const elmo_rt *rt);

#define ELMO_RT_ADVICE_MAX ELMO_RT_MAX_ITEMS

/* Advice for a proposal: names and values, and why. A plain value: copying it is safe. */
typedef struct elmo_rt_advice {
  char names[ELMO_RT_ADVICE_MAX][ELMO_RT_NAME_MAX];
  char values[ELMO_RT_ADVICE_MAX][ELMO_RT_VALUE_MAX];
  size_t n;                        /* 0: nothing to propose (reason says why) */
  char source[ELMO_RT_NAME_MAX];   /* "playbook:NAME" when a playbook entry answered; "": the
                                    * advisor (the glue passes its spec to elmo_rt_propose) */
  char reason[ELMO_RT_REASON_MAX];
} elmo_rt_advice;

/* Fills out[0..min(a->n, cap)) with pairs pointing into *a (valid while *a is unchanged), for
 * elmo_rt_propose; returns how many. */
ELMO_API size_t elmo_rt_advice_pairs(const elmo_rt_advice *a, elmo_rt_pair *out, size_t cap);

/*
 * The built-in rules' move for snapshot snap, without the calibrator (advisor.h, phase
 * "realtime": more background jobs, L0 triggers or pending limits when writes stall, memtable
 * size for a rising write share, a memtable Bloom filter for a rising read share). The facts they read block a move rolled back before under a similar
 * mix (total-variation distance <= shift_mix) in the same direction, and a value SetOptions
 * refused (under any mix). OUT *out: zeroed, then filled. Returns ELMO_OK or ELMO_EINVAL.
 */
ELMO_API elmo_rc elmo_rt_builtin_advice(const elmo_rt *rt, const elmo_rt_snapshot *snap, elmo_rt_advice *out,
                               elmo_error *err);

/* What the advice step needs beyond the tuner's state. */
typedef struct elmo_rt_advice_request {
  elmo_llm *llm;                   /* NULL or provider "builtin": the built-in rules */
  const elmo_catalog *catalog;     /* required */
  const elmo_optfile *current;     /* the DB's options now (its latest OPTIONS file); required */
  elmo_check_value_fn check_value; /* RocksDB's verdict on one value; NULL: skipped */
  void *check_ctx;
  const elmo_playbook *playbook;   /* NULL: none; else its entry nearest the snapshot (mix
                                    * within shift_mix, value size within shift_value_size)
                                    * answers first, unless all its values are in place or were
                                    * undone under a similar mix: then the advisor does */
} elmo_rt_advice_request;

/*
 * The advice for an ASK decision's snapshot, through the one advice path (advise.h): the facts of
 * elmo_rt_facts_json, a REALTIME prompt for a language model, and the calibrator in mutable-only
 * mode with three quarters of the host's memory as its budget, so "64MB" is read, values out of
 * range and options that need a reopen are refused, and a change that would outgrow the memory
 * is refused. The one call here that does I/O (the llm's). OUT *out: the accepted changes (and
 * values equal to the current ones, which elmo_rt_propose reports) and the reasons, including
 * each refusal. Returns ELMO_OK (also with no change: reason says why), the llm's errors,
 * ELMO_EINVAL, ELMO_ENOMEM.
 */
ELMO_API elmo_rc elmo_rt_advise(const elmo_rt *rt, const elmo_rt_snapshot *snap, const elmo_rt_advice_request *req,
                                elmo_rt_advice *out, elmo_error *err);

/*
 * One journal record as a single line of JSON (no newline): ts (seconds), time (ISO-8601 UTC),
 * event, from, to, action, change_id, reason, and by event: snapshot {...}, shift {...},
 * items [...], calls [...], verdict {...}, source, code. New string (elmo_free); NULL on ENOMEM.
 */
ELMO_API char *elmo_rt_journal_line(const elmo_rt_decision *d);

/* The same as one short line for RocksDB's LOG ("[elmo] shift: ..."). New string (elmo_free). */
ELMO_API char *elmo_rt_log_line(const elmo_rt_decision *d);

/* "idle", "ask", ...; "snapshot", "shift", ...; "none", "ask", "apply", "rollback".
 * Static storage; "unknown" for a bad value. */
ELMO_API const char *elmo_rt_state_name(elmo_rt_state s);
ELMO_API const char *elmo_rt_event_name(elmo_rt_event e);
ELMO_API const char *elmo_rt_action_name(elmo_rt_action a);

#ifdef __cplusplus
}
#endif

#endif /* ELMO_REALTIME_H */
