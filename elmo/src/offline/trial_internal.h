/* trial_internal.h — the pieces of elmo_trial_run (trial.h) shared between its files:
 * trial_limits.c (cgroups, affinity, rlimit), trial_files.c (clone, sizes, output files) and
 * trial.c (fork/exec, watchdog, flagger, result). Not installed. */
#ifndef ELMO_TRIAL_INTERNAL_H
#define ELMO_TRIAL_INTERNAL_H

#include <sched.h> /* cpu_set_t: the including file defines _GNU_SOURCE first */
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "elmo/trial.h"
#include "base/fileio.h"

#define TRIAL_PATH_MAX 4096

/* The CPU and memory limits of one trial, set up by the parent before fork. */
typedef struct trial_limits {
  int version;   /* cgroup version of the groups in dirs; 0 without */
  size_t n_dirs; /* groups created, removed by trial_limits_release */
  char dirs[2][TRIAL_PATH_MAX];
  char procs[2][TRIAL_PATH_MAX]; /* their cgroup.procs files, which the child joins */
  char mem_dir[TRIAL_PATH_MAX];  /* the group that holds the memory limit; "" if none */
  uint64_t memory_bytes;         /* the limit asked for; 0: none */
  int use_affinity;              /* fallback for the CPU limit */
  cpu_set_t affinity;
  int use_rlimit;     /* fallback for the memory limit */
  uint64_t rlimit_as; /* bytes */
  char method[64];    /* what was used, for elmo_trial_result.limits_method */
} trial_limits;

/* What the memory group saw after the child exited. */
typedef struct trial_mem_events {
  uint64_t oom_kills;  /* v1 memory.oom_control oom_kill, v2 memory.events oom_kill */
  uint64_t limit_hits; /* v1 memory.failcnt, v2 memory.events max */
  uint64_t peak_bytes; /* v1 memory.max_usage_in_bytes, v2 memory.peak; 0 if unknown */
} trial_mem_events;

/* Parent, before fork: creates and configures the groups (or prepares the fallback) for cpus
 * (0: none) and memory_bytes (0: none). On error nothing is left behind. */
elmo_rc elmo_trial_limits_prepare(trial_limits *l, int cpus, uint64_t memory_bytes,
                                  elmo_error *err);

/* Child, between fork and exec (async-signal-safe): joins the groups or applies the fallback.
 * Returns 0, or -1 with errno set and *what naming the step. */
int elmo_trial_limits_enter(const trial_limits *l, const char **what);

/* Parent, after the child was reaped: reads the memory group's counters (zeros without one). */
void elmo_trial_limits_collect(const trial_limits *l, trial_mem_events *ev);

/* Parent, after the child was reaped: removes the groups (killing any straggler in them). */
void elmo_trial_limits_release(trial_limits *l);

/* ---- files (trial_files.c) ---- */


/* The last max_bytes of a file as a NUL-terminated string (caller frees), or NULL. */
char *elmo_trial_read_tail(const char *path, size_t max_bytes);

/* Total size in bytes of the regular files under dir (recursive, apparent size). */
uint64_t elmo_trial_dir_bytes(const char *dir);

/* The last line of text worth quoting in a failure reason (skips blanks and db_bench's
 * "... finished N ops" progress); "" when there is none. */
void elmo_trial_last_line(const char *text, char *out, size_t cap);

#endif /* ELMO_TRIAL_INTERNAL_H */
