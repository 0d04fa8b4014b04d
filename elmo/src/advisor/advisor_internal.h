/* advisor_internal.h — the built-in advisor's facts and moves (advisor.c, advisor_rules.c). */
#ifndef ELMO_ADVISOR_INTERNAL_H
#define ELMO_ADVISOR_INTERNAL_H

#include <cjson/cJSON.h>
#include <stddef.h>

enum { kAdvisorMaxOpts = 16 };

typedef struct advisor_facts {
  double read, write, scan;      /* operation mix fractions */
  double key_bytes, value_bytes, num_keys;
  int skewed, cpus, direct_io, finetune;
  int preload;                   /* 1: the data exists before the run (files are not rewritten
                                    * unless the workload writes) */
  int threads;                   /* client threads */
  int rewrite;                   /* 1: each trial rewrites the data under its options first */
  double memory;                 /* bytes; 0 unknown */
  double budget, estimate;       /* bytes: the calibrator's budget, the best's estimate; 0 unknown */
  double cache_bytes;            /* bytes: the best's block cache as the memory model counts it */
  double stall_percent, cache_hit;
  const cJSON *best_options;     /* {"name": "value"} of the best configuration */
  const cJSON *tried;            /* [{"changes": {...}, "gain": x, "status": "ok"}] */
  const cJSON *locked;           /* ["name", ...] */
  const cJSON *focus;            /* ["name", ...] */
  const cJSON *rejected;         /* ["name=value", ...] the calibrator refused this run */
} advisor_facts;

typedef struct advisor_opt {
  int section;                   /* 0 DB, 1 CF, 2 table */
  const char *name;
  char value[64];
} advisor_opt;

typedef struct advisor_move {
  advisor_opt opts[kAdvisorMaxOpts];
  size_t n;
  char reason[1024];
} advisor_move;

/* The next untried move for the workload; 0 when none is left. */
int elmo_advisor_next_move(const advisor_facts *a, advisor_move *out);
/* A local-search step on the focus options; 0 when none is left. */
int elmo_advisor_finetune(const advisor_facts *a, advisor_move *out);

#endif /* ELMO_ADVISOR_INTERNAL_H */
