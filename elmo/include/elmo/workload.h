/*
 * workload.h — the workload the tuner measures: a built-in preset or a workload spec (spec.h),
 * as db_bench arguments plus the facts the advisors use.
 *
 * Conventions: see elmo.h. Pure, except elmo_workload_open, which reads a spec file.
 */
#ifndef ELMO_WORKLOAD_H
#define ELMO_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "elmo/elmo.h"
#include "elmo/spec.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the advisor knows about a workload. Fractions sum to 1 over read/write/scan. */
typedef struct elmo_workload_facts {
  double read_fraction;   /* point lookups */
  double write_fraction;  /* puts, updates, inserts */
  double scan_fraction;   /* seeks + nexts */
  int key_bytes, value_bytes;
  uint64_t num_keys;
  int skewed;             /* 1: a few keys take most accesses (zipf-like) */
  int preload;            /* 1: reads an existing dataset */
  int threads;            /* client threads issuing the operations */
  int merges;             /* 1: it merges (the DB needs a merge operator) */
  /* A spec whose thread groups run some clients at a set rate (a background writer) and others
   * as fast as they go: the one operation type the unpaced groups run ("seek"), whose ops/s are
   * what the program's users wait for; NULL when there is no such split or the unpaced groups
   * run several types. Static storage. */
  const char *unpaced_op;
  /* Bit (1 << elmo_spec_op) per operation type that only paced thread groups run (a background
   * writer's put): load the program makes, not what its users wait for. 0 without groups. */
  unsigned paced_only_ops;
} elmo_workload_facts;

typedef struct elmo_workload {
  char name[ELMO_SPEC_NAME_MAX]; /* a preset's or a spec's name, whole */
  char description[256];   /* one line; a spec's summary is cut to fit */
  elmo_workload_facts facts;
  char *preload_args[16];  /* db_bench args building the base DB (NULL-terminated), or none */
  char *run_args[48];      /* db_bench args of the measured run (NULL-terminated) */
  char bench[32];          /* the measured db_bench benchmark (e.g. "readrandom") */
} elmo_workload;

/*
 * Builds a preset: fillrandom, readrandom, readrandomwriterandom[:READ_PERCENT],
 * mixgraph (Facebook's published parameters), ycsb-a .. ycsb-f.
 * num_keys / value_size 0: the preset's defaults. seconds: length of the measured run
 * (warm-up included, see tuner.h). Returns ELMO_ENOTFOUND naming the presets, ELMO_EINVAL, ENOMEM.
 */
ELMO_API elmo_rc elmo_workload_preset(const char *name, uint64_t num_keys, int value_size, double seconds,
                             int threads, elmo_workload *out, elmo_error *err);
ELMO_API void elmo_workload_clear(elmo_workload *w);

/*
 * Builds the workload of a spec: db_bench runs it with --benchmarks=elmospec
 * --elmo_spec=spec_path --duration=seconds (the spec's timeline scaled to the trial), and, when
 * the spec preloads, builds the base with the spec's own load step (--elmo_spec_load_only=1), so
 * that the base holds exactly the keys, key sizes and values the phases expect. Facts: read
 * (get, multiget), write (put, delete, merge) and scan (seek) fractions weighted by phase
 * duration; key_bytes the mean of key_size; value_bytes the mean of preload_value_size when
 * preloading, else the phases' value_size means weighted by duration × write fraction; skewed
 * when a phase's key_access is not uniform; threads the phases' maximum.
 * IN spec: a valid spec (borrowed for the call); spec_path: where db_bench reads it (make it
 * absolute: trials run in other directories); seconds: length of a measured run (warm-up
 * included). OUT *out (zeroed first; elmo_workload_clear).
 * Returns ELMO_OK, ELMO_EINVAL (NULL, seconds <= 0 or under 1 s once rounded, spec_path too
 * long for an argument), ELMO_ENOMEM.
 */
ELMO_API elmo_rc elmo_workload_from_spec(const elmo_spec *spec, const char *spec_path, double seconds,
                                elmo_workload *out, elmo_error *err);

/*
 * The tuner's --elmo_workload: a spec when name ends in ".json" or names an existing regular
 * file (read with elmo_spec_load, its path made absolute, then elmo_workload_from_spec), else a
 * preset (elmo_workload_preset with num_keys, value_size and threads). num_keys and value_size
 * must be 0 with a spec (the spec sets them). Returns the codes of those functions; a bad spec
 * fails with the spec module's message, which names the field.
 */
ELMO_API elmo_rc elmo_workload_open(const char *name, uint64_t num_keys, int value_size, double seconds,
                           int threads, elmo_workload *out, elmo_error *err);

/* Names of the presets, NULL-terminated (static). */
ELMO_API const char *const *elmo_workload_preset_names(void);

/* A human/LLM-readable summary of the workload (new string, elmo_free). */
ELMO_API char *elmo_workload_describe(const elmo_workload *w);

#ifdef __cplusplus
}
#endif

#endif /* ELMO_WORKLOAD_H */
