/* advisor_internal.h — the built-in advisor's view of the facts and its moves (advisor.c,
 * advisor_rules.c for offline tuning, advisor_live.c for the realtime tuner). */
#ifndef ELMO_ADVISOR_INTERNAL_H
#define ELMO_ADVISOR_INTERNAL_H

#include <stddef.h>

#include "elmo/facts.h"

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
  /* The best's telemetry that orders the moves (advisor_rules.c, "telemetry first"): */
  double blocks_per_get;         /* data blocks a Get looked up; -1 unknown */
  double pending_bytes;          /* pending compaction bytes; 0 unknown */
  enum { STALL_UNKNOWN = 0, STALL_L0, STALL_MEMTABLES, STALL_PENDING } stall_cause;
  int slow_storage;              /* the storage probe found the trials' device slow */
  char storage_text[160];        /* its figures, for the reasons */
  const elmo_facts *facts;       /* the rest: best options, tried, locked, focus, rejected */
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

/* The facts with the rules' defaults for what nobody measured. */
void elmo_advisor_read_facts(const elmo_facts *f, advisor_facts *a);
/* The best (offline) or live (realtime) configuration's value of name; NULL when not given. */
const char *elmo_advisor_best_value(const elmo_facts *f, const char *name);
/* 1 when the facts list name among the locked options. */
int elmo_advisor_is_locked(const elmo_facts *f, const char *name);

/* The next untried move for the workload; 0 when none is left. */
int elmo_advisor_next_move(const advisor_facts *a, advisor_move *out);
/* A local-search step on the focus options; 0 when none is left. */
int elmo_advisor_finetune(const advisor_facts *a, advisor_move *out);

/* The realtime rules: a move for the live signals (stalls, a mix shift, flush I/O); 0 when none
 * fits or every fitting one is blocked. */
int elmo_advisor_live_move(const advisor_facts *a, advisor_move *out);

/* The most background jobs worth running on cpus CPUs (both rulebooks): beyond twice the CPUs
 * they only compete with the foreground for the same cores, and on 2 CPUs or fewer 4 measured
 * best (docs/BENCHMARKS.md). */
double elmo_advisor_max_background_jobs(double cpus);

#endif /* ELMO_ADVISOR_INTERNAL_H */
