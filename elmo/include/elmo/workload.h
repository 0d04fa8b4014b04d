/*
 * workload.h — built-in workload presets, as db_bench arguments plus the facts the advisors use.
 *
 * Conventions: see elmo.h. Pure.
 */
#ifndef ELMO_WORKLOAD_H
#define ELMO_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "elmo/elmo.h"

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
} elmo_workload_facts;

typedef struct elmo_workload {
  char name[32];
  char description[256];
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
elmo_rc elmo_workload_preset(const char *name, uint64_t num_keys, int value_size, double seconds,
                             int threads, elmo_workload *out, elmo_error *err);
void elmo_workload_clear(elmo_workload *w);

/* Names of the presets, NULL-terminated (static). */
const char *const *elmo_workload_preset_names(void);

/* A human/LLM-readable summary of the workload (new string, elmo_free). */
char *elmo_workload_describe(const elmo_workload *w);

#ifdef __cplusplus
}
#endif

#endif /* ELMO_WORKLOAD_H */
