/*
 * calibrate.h — turns an advisor's answer into a safe, loadable OPTIONS file.
 *
 * Module elmo/src/advice/: an advisor's answer becomes a validated change set: answer parsing
 *  (answer.c with answer_json.c, answer_lines.c, answer_emit.c; answer.h), the calibrator
 *  (calibrate.c, calibrate_resolve.c: names and values, calibrate_rules.c: cross-option rules,
 *  calibrate_change.c: one change's verdict, calibrate_report.c: the verdicts' JSON). Uses base, options.
 *
 * Conventions: see elmo.h. The calibrator is pure: RocksDB's parser is reached through the
 * callbacks in elmo_calibrate_policy (the engine glue provides them; tests may pass fakes).
 *
 * For each assignment of the answer's final configuration block (answer.h) it:
 *  1. resolves the name: exact, then without prefixes such as "options." or
 *     "block_based_table_factory.", '-' for '_', any case, then db_bench flag spellings
 *     (cache_size -> block_cache, bloom_bits -> filter_policy, open_files -> max_open_files ...).
 *     Unknown names are rejected with the nearest known name; names of other RocksDB versions
 *     with what became of them.
 *  2. places it in the section the catalog says (a DB option written under [CFOptions] is moved,
 *     and the change says so);
 *  3. normalizes the value by type: units (64MB, 1GiB, 4K, 1e6), booleans (yes/1/on), enum
 *     spellings (lz4 -> kLZ4Compression), filter policies (10 -> bloomfilter:10:false);
 *  4. rejects — never clamps — values outside the catalog's range, locked options (the catalog's
 *     and the user's pins), shrinking a never-decrease option, deprecated options, and (in
 *     realtime mode) options that need a reopen;
 *  5. asks RocksDB's parser about the value (policy->check_value);
 * then checks cross-option rules (L0 trigger order, soft <= hard pending bytes, ...), the memory
 * budget (memory.h: memory-increasing changes are rejected, newest first, until the estimate
 * fits), and finally that RocksDB loads the merged file (policy->check_text).
 */
#ifndef ELMO_CALIBRATE_H
#define ELMO_CALIBRATE_H

#include <stddef.h>
#include <stdint.h>

#include "elmo/answer.h"
#include "elmo/catalog.h"
#include "elmo/elmo.h"
#include "elmo/memory.h"
#include "elmo/optfile.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum elmo_verdict {
  ELMO_VERDICT_ACCEPTED = 0,  /* applied to the merged file */
  ELMO_VERDICT_REJECTED = 1,  /* not applied; reason says why */
  ELMO_VERDICT_UNCHANGED = 2  /* the value is what the base already has */
} elmo_verdict;

typedef struct elmo_change {
  char *raw_key;        /* as the answer wrote it */
  char *raw_value;      /* as the answer wrote it */
  int line;             /* line in the answer; 0 when not from an answer */
  const char *name;     /* resolved option name (catalog storage), NULL when unknown */
  elmo_section section; /* valid when name != NULL */
  char *cf;             /* column family for CF/TABLE options, else NULL */
  char *value;          /* normalized value, NULL when it could not be read */
  char *old_value;      /* the base's value (or the engine default), NULL when unknown */
  elmo_verdict verdict;
  elmo_rc code;         /* why rejected: ENOTFOUND, EPARSE, ERANGE, ELOCKED, EBUDGET, EINVAL */
  char *reason;         /* why rejected, or what was adjusted when accepted; may be NULL */
} elmo_change;

typedef elmo_rc (*elmo_check_value_fn)(void *ctx, elmo_section s, const char *name,
                                       const char *value, elmo_error *err);
typedef elmo_rc (*elmo_check_text_fn)(void *ctx, const char *options_text, elmo_error *err);

typedef struct elmo_calibrate_policy {
  const char *const *locks;      /* option names the user pins; may be NULL */
  size_t n_locks;
  uint64_t memory_budget;        /* bytes; 0: no budget */
  const elmo_dataset *dataset;   /* for the memory model; may be NULL */
  const char *cf;                /* CF for CF/table options the answer does not name ("default") */
  int mutable_only;              /* 1: only runtime-mutable options (realtime tuning) */
  elmo_check_value_fn check_value; /* RocksDB's verdict on one value; NULL: skipped */
  elmo_check_text_fn check_text;   /* RocksDB's verdict on the merged file; NULL: skipped */
  void *check_ctx;
} elmo_calibrate_policy;

typedef struct elmo_calibration {
  elmo_change *changes;
  size_t count;
  size_t n_accepted, n_rejected, n_unchanged;
  elmo_optfile *merged;              /* base + accepted changes; owned */
  elmo_memory_breakdown memory;      /* estimate of merged */
  elmo_memory_breakdown base_memory; /* estimate of base */
  uint64_t memory_budget;            /* copied from the policy */
  int over_budget;                   /* 1: merged is over budget even without any change */
  int blocks_seen, chosen_block;     /* from the answer parser */
} elmo_calibration;

/*
 * Calibrates an answer against base.
 * OUT *out: the result (elmo_calibration_destroy), also when every change was rejected.
 * Returns ELMO_OK when the answer had an options block (see out->n_accepted for whether anything
 * was usable); ELMO_EPARSE when the answer has none (message says what it had; *out is NULL);
 * ELMO_EINVAL for NULL arguments; ELMO_ENOMEM.
 */
ELMO_API elmo_rc elmo_calibrate_answer(const elmo_catalog *cat, const elmo_optfile *base, const char *answer,
                              size_t len, const elmo_calibrate_policy *policy,
                              elmo_calibration **out, elmo_error *err);

/* As elmo_calibrate_answer, for assignments already extracted (or built by the built-in
 * advisor). */
ELMO_API elmo_rc elmo_calibrate_assignments(const elmo_catalog *cat, const elmo_optfile *base,
                                   const elmo_assignment_list *list,
                                   const elmo_calibrate_policy *policy, elmo_calibration **out,
                                   elmo_error *err);

ELMO_API void elmo_calibration_destroy(elmo_calibration *c);

/* Machine-readable verdicts for the next prompt:
 * {"accepted":[{option,section,cf,from,to,line,note}], "rejected":[{key,value,line,code,reason}],
 *  "unchanged":[...], "memory":{"estimate":N,"budget":N,"over_budget":bool,"breakdown":{...}}}.
 * New string (elmo_free). */
ELMO_API char *elmo_calibration_to_json(const elmo_calibration *c);

/* The same for people, one line per change. New string (elmo_free). */
ELMO_API char *elmo_calibration_describe(const elmo_calibration *c);

/* "accepted", "rejected", "unchanged". */
ELMO_API const char *elmo_verdict_name(elmo_verdict v);

#ifdef __cplusplus
}
#endif

#endif /* ELMO_CALIBRATE_H */
