/*
 * prompt.h — what the tuner asks an advisor, in words an LLM reads well and in the answer format
 * the calibrator parses best.
 *
 * Conventions: see elmo.h. Pure functions. Templates live in one place: src/llm/prompt_templates.c.
 *
 * Kinds of prompt:
 *   TUNE      propose changes for the next trial, with one of four strategies:
 *     FULL_HISTORY   all relevant options plus every past iteration's results and reasoning;
 *     CHUNKED        the options split in chunks, one request per chunk (several requests);
 *     LAST_DIFF      the latest run only, with the diff of the last two configurations;
 *     BY_RESOURCE    options grouped by resource class (cpu, memory, storage, advanced) with
 *                    resource-utilisation telemetry.
 *   FINETUNE  refine only the options changed this iteration (focus list).
 *   DROP      throughput dropped: which of the changes that preceded it (focus list) to undo or fix.
 *   REALTIME  the workload shifted in a live DB: only runtime-mutable options may change.
 * Every prompt states the hardware and limits, the workload, the current values of the relevant
 * options (from the catalog, with ranges and mutability), the results so far, the changes the
 * calibrator rejected last time with its reasons, and the locked options; and asks for a short
 * reasoning followed by exactly one fenced ```ini block in OPTIONS-file format.
 *
 * Which options are listed ("relevant"): every option that is not locked (by the catalog or a
 * user pin), deprecated or an alias, and is either a bool/int/uint/double/enum of the cpu, memory
 * or storage class, or set by the current file to something other than the engine default
 * (RocksDB writes every option into its files, so presence alone says nothing). REALTIME keeps
 * the runtime-mutable ones; FINETUNE and DROP list exactly the focus options, with the value each
 * had in `previous`. Values are those of column family "default" (the engine default where the
 * file has none), grouped under the section they belong to.
 *
 * History shown: every entry, except LAST_DIFF and CHUNKED (the latest run only, as the prompt
 * says). Templates and the exact wording: src/llm/prompt_templates.c; docs/PROMPTS.md.
 *
 * The budget: each request (system + user message) must fit token_budget, estimated as the sum
 * of elmo_prompt_estimate_tokens over its messages. The oldest shown history entries are dropped
 * first, one at a time (the prompt says how many; elmo_prompt_set_trimmed reports it); then the
 * option list is cut, keeping longest the options the current file sets, then those with a
 * range, in catalog order. The list is never cut below 8 options (CHUNKED: one chunk; FINETUNE
 * and DROP: never cut). If the request still does not fit, the build fails with ELMO_ETOOBIG.
 * Output is deterministic: the same input gives byte-identical text.
 */
#ifndef ELMO_PROMPT_H
#define ELMO_PROMPT_H

#include <stddef.h>
#include <stdint.h>

#include "elmo/catalog.h"
#include "elmo/elmo.h"
#include "elmo/llm.h"
#include "elmo/optfile.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum elmo_prompt_kind {
  ELMO_PROMPT_TUNE = 0,
  ELMO_PROMPT_FINETUNE = 1,
  ELMO_PROMPT_DROP = 2,
  ELMO_PROMPT_REALTIME = 3
} elmo_prompt_kind;

typedef enum elmo_prompt_strategy {
  ELMO_STRATEGY_FULL_HISTORY = 1,
  ELMO_STRATEGY_CHUNKED = 2,
  ELMO_STRATEGY_LAST_DIFF = 3,
  ELMO_STRATEGY_BY_RESOURCE = 4
} elmo_prompt_strategy;

/* The machine and the limits the trial runs under. Zero / NULL fields are left out. */
typedef struct elmo_system_facts {
  int cpus;                    /* CPUs the DB may use */
  uint64_t memory_bytes;       /* memory limit */
  const char *storage;         /* e.g. "NVMe SSD (/dev/vda, ext4)" */
  double read_mb_per_s;        /* measured sequential read throughput, MB/s */
  double write_mb_per_s;       /* measured sequential write throughput, MB/s */
  const char *io_mode;         /* "buffered" or "direct" */
  uint64_t dataset_bytes;      /* size of the data the workload touches */
} elmo_system_facts;

/* One finished (or failed) trial. */
typedef struct elmo_trial_summary {
  int iteration;               /* 0: baseline */
  const char *status;          /* "ok", "failed", "aborted" */
  const char *failure;         /* why it failed/was aborted; NULL when ok */
  double ops_per_sec;
  double p50_us, p99_us, p999_us;
  double cpu_percent;          /* of the CPU limit */
  uint64_t peak_memory_bytes;
  double stall_percent;        /* share of time writes were stalled */
  double write_amp;
  const char *changes;         /* what changed from the previous trial, one per line, or NULL */
  const char *reasoning;       /* the advisor's short reasoning for those changes, or NULL */
} elmo_trial_summary;

typedef struct elmo_prompt_input {
  elmo_prompt_kind kind;
  elmo_prompt_strategy strategy;      /* TUNE only; others ignore it */
  const elmo_system_facts *system;    /* required */
  const char *workload;               /* workload summary text; required */
  const elmo_catalog *catalog;        /* required */
  const elmo_optfile *current;        /* current configuration; required */
  const elmo_optfile *previous;       /* LAST_DIFF: the configuration before; may be NULL */
  const elmo_trial_summary *history;  /* oldest first; may be empty */
  size_t n_history;
  const char *rejected;               /* last calibration's verdicts (calibrate.h JSON); NULL ok */
  const char *const *focus;           /* FINETUNE/DROP: the option names in question */
  size_t n_focus;
  const char *const *locked;          /* user pins to mention as not changeable */
  size_t n_locked;
  const char *telemetry;              /* BY_RESOURCE/REALTIME: utilisation and shift text; NULL ok */
  const char *objective;              /* e.g. "throughput", "p99 latency"; NULL: throughput */
  size_t max_changes;                 /* ask for at most this many changes; 0: 10 */
  size_t token_budget;                /* whole prompt, estimated tokens; 0: 6000 */
  size_t chunk_size;                  /* CHUNKED: options per request; 0: 20 */
} elmo_prompt_input;

typedef struct elmo_prompt_set elmo_prompt_set;

/*
 * Builds the request(s) for one advisor round: one for most kinds, several for CHUNKED
 * (ceil(options / chunk_size), each listing only its chunk and saying "chunk k of n").
 * IN in: read only during the call; nothing of it is kept (the texts are copies).
 * OUT *out: the set (elmo_prompt_set_destroy), NULL on error.
 * Returns ELMO_OK, ELMO_EINVAL (missing input, unknown kind/strategy, FINETUNE/DROP without
 * focus or with a focus name the catalog does not know; message names it), ELMO_ETOOBIG (even
 * the smallest form of the prompt exceeds token_budget; message gives the sizes), ELMO_ENOMEM.
 * Optional inputs may be NULL/empty: previous, history, rejected (unparsable JSON is ignored),
 * locked, telemetry, objective.
 */
ELMO_API elmo_rc elmo_prompt_build(const elmo_prompt_input *in, elmo_prompt_set **out, elmo_error *err);
ELMO_API void elmo_prompt_set_destroy(elmo_prompt_set *set);

/* Number of requests, and the messages of request i (system first, then user; *n = 2), or NULL
 * (*n = 0) when i is out of range. Borrowed: valid until the set is destroyed. Every request of
 * a set has the same system message. */
ELMO_API size_t elmo_prompt_set_count(const elmo_prompt_set *set);
ELMO_API const elmo_message *elmo_prompt_set_messages(const elmo_prompt_set *set, size_t i, size_t *n);
/* History entries left out to fit the budget (0 when all fit). */
ELMO_API size_t elmo_prompt_set_trimmed(const elmo_prompt_set *set);

/* Estimated tokens of a text (bytes/4, rounded up): the budget's unit. */
ELMO_API size_t elmo_prompt_estimate_tokens(const char *text);

ELMO_API const char *elmo_prompt_strategy_name(elmo_prompt_strategy s); /* "full-history", ... */
/* Parses "1".."4" or "full-history", "chunked", "last-diff", "by-resource". */
ELMO_API elmo_rc elmo_prompt_strategy_parse(const char *text, elmo_prompt_strategy *out, elmo_error *err);

#ifdef __cplusplus
}
#endif

#endif /* ELMO_PROMPT_H */
