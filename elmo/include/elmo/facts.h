/*
 * facts.h — what an advisor is told about a tuning decision, as one typed struct with one
 * serializer and one parser.
 *
 * Conventions: see elmo.h.
 *
 * Both tuners fill an elmo_facts: the offline loop (offline/tuner_steps.c) with the workload, the
 * trial limits, the best configuration and every candidate measured; the realtime tuner
 * (realtime/realtime_facts.c) with the live mix and telemetry, the shift, the changes it made
 * and its limits. The built-in advisor reads the struct itself (advisor.h); a language model reads
 * elmo_facts_block, the same facts as a fenced JSON object at the end of its prompt. The JSON is
 * the struct field by field: {"elmo_facts": 1, "phase", "mutable_only", "cpus", "memory_bytes",
 * "direct_io", "memory_budget_bytes", "storage": {...}, "workload": {...}, "locked": [...], "best": {"options": {...},
 * metrics...}, "tried": [{"changes": {...}, "status", "score" | "gain"}], "rejected": [...],
 * "focus": [...], "blocked": [...], "shift": {...}, "limits": {...}}. A member that is unknown
 * (ELMO_FACT_UNKNOWN, a NULL string, an empty list) is left out.
 *
 * The struct borrows every string and array: the caller keeps them alive while it is used.
 */
#ifndef ELMO_FACTS_H
#define ELMO_FACTS_H

#include <math.h>
#include <stddef.h>

#include "elmo/elmo.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A number or flag nobody measured (left out of the JSON). */
#define ELMO_FACT_UNKNOWN NAN
#define ELMO_FACT_KNOWN(x) (!isnan(x))

typedef struct elmo_fact_option {
  const char *name;
  const char *value;
} elmo_fact_option;

typedef struct elmo_fact_number {
  const char *name;
  double value;
} elmo_fact_number;

/* A candidate already measured: its changes and how it went. */
typedef struct elmo_fact_trial {
  const elmo_fact_option *changes;
  size_t n_changes;
  const char *status;       /* offline: the trial status ("ok", ...); realtime: "kept",
                             * "rolled_back", "failed", "undone" */
  double score;             /* offline: the trial's score; else ELMO_FACT_UNKNOWN */
  double gain;              /* realtime: the ops/s change it measured; else ELMO_FACT_UNKNOWN */
} elmo_fact_trial;

/* A move the realtime tuner will not make again under the present mix: RocksDB refused the value
 * ("failed"), or a change in that direction was rolled back under a similar mix. */
typedef struct elmo_fact_blocked {
  const char *option;
  const char *to;           /* the value it was changed to */
  int direction;            /* +1 up, -1 down, 0: not a number (the value itself is blocked) */
  const char *why;          /* "failed" or "rolled_back" */
} elmo_fact_blocked;

typedef struct elmo_fact_workload {
  double read, write, scan;          /* shares of operations */
  double key_bytes, value_bytes, num_keys, scan_length, ops_per_sec;
  double threads;                    /* client threads */
  double skewed, preload, rewrite;   /* flags: 1 / 0, or ELMO_FACT_UNKNOWN */
} elmo_fact_workload;

/* The best configuration so far (offline) or the live one (realtime), and what it measured. */
typedef struct elmo_fact_best {
  const elmo_fact_option *options;   /* name -> value as RocksDB writes it */
  size_t n_options;
  double ops_per_sec, p99_us, stall_percent, cache_hit_rate, cpu_percent, peak_memory_bytes;
  const elmo_fact_number *time_share; /* operation type -> its share of the time */
  size_t n_time_share;
  double memory_estimate_bytes, block_cache_bytes;     /* the memory model's view (offline) */
  double pending_compaction_bytes, l0_files;           /* live (realtime) */
  double flush_bytes_per_sec, compact_bytes_per_sec;   /* live (realtime); compaction's while it
                                                          runs (offline) */
  double blocks_per_get;             /* data blocks a Get looked up: files searched past filters */
  const char *stall_cause;           /* what stalled writes most: "l0_files", "memtables",
                                      * "pending_compaction"; NULL: none seen or unknown */
} elmo_fact_best;

typedef struct elmo_fact_shift {
  const char *reason;                /* NULL: no shift section */
  const char *const *signals;        /* "mix", "throughput", "value_size", "stall", "stalls_high" */
  size_t n_signals;
  double base_read, base_write, base_scan; /* the mix before the shift */
} elmo_fact_shift;

/* The storage probe of the trials' device (elmo/storage.h); every field unknown when not measured. */
typedef struct elmo_fact_storage {
  double read_iops, read_latency_us, write_mb_s, fsync_ms;
} elmo_fact_storage;

typedef struct elmo_fact_limits {
  double max_step, max_options_per_change, changes_left_this_hour; /* ELMO_FACT_UNKNOWN: no limits */
} elmo_fact_limits;

typedef struct elmo_facts {
  const char *phase;                 /* "tune", "finetune" or "realtime"; required */
  int mutable_only;                  /* 1: only runtime-mutable options may change */
  double cpus, memory_bytes;         /* the limits trials run under / the host's */
  double direct_io;                  /* flag, or ELMO_FACT_UNKNOWN */
  double memory_budget_bytes;        /* the calibrator's budget */
  elmo_fact_storage storage;
  elmo_fact_workload workload;
  const char *const *locked;         /* options the advisor must not change */
  size_t n_locked;
  elmo_fact_best best;
  const elmo_fact_trial *tried;
  size_t n_tried;
  const char *const *rejected;       /* "name=value" the calibrator or RocksDB refused */
  size_t n_rejected;
  const char *const *focus;          /* options the last kept change touched */
  size_t n_focus;
  const elmo_fact_blocked *blocked;
  size_t n_blocked;
  elmo_fact_shift shift;
  elmo_fact_limits limits;
} elmo_facts;

/* Every number ELMO_FACT_UNKNOWN, every list empty, phase NULL. */
ELMO_API void elmo_facts_init(elmo_facts *f);

/* The facts as one JSON object (no whitespace). New string (elmo_free); NULL when f or its phase is
 * NULL, or memory runs out. */
ELMO_API char *elmo_facts_to_json(const elmo_facts *f);

/* "\n\nFacts (machine-readable):\n```json\n{...}\n```\n", what a prompt's last user message ends
 * with. New string (elmo_free), or NULL as elmo_facts_to_json. */
ELMO_API char *elmo_facts_block(const elmo_facts *f);

/* Parsed facts: the struct and the storage it borrows from. */
typedef struct elmo_facts_doc elmo_facts_doc;

/*
 * Reads facts from their JSON (elmo_facts_to_json's format; unknown members are ignored).
 * Returns ELMO_OK, ELMO_EPARSE (not JSON, or no "elmo_facts": 1 object; the message says which),
 * ELMO_EINVAL (NULL argument), ELMO_ENOMEM.
 */
ELMO_API elmo_rc elmo_facts_parse(const char *json, size_t len, elmo_facts_doc **out, elmo_error *err);

/* Finds the last facts block in messages (the text after "```json" of a fenced block whose object
 * carries "elmo_facts": 1) and parses it. ELMO_ENOTFOUND when no message carries one. */
ELMO_API elmo_rc elmo_facts_find(const char *const *texts, size_t n, elmo_facts_doc **out, elmo_error *err);

ELMO_API const elmo_facts *elmo_facts_doc_facts(const elmo_facts_doc *doc);
ELMO_API void elmo_facts_doc_destroy(elmo_facts_doc *doc);

#ifdef __cplusplus
}
#endif

#endif /* ELMO_FACTS_H */
