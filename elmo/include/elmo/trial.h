/*
 * trial.h — one sandboxed benchmark trial, and reading db_bench's output.
 *
 * Conventions: see elmo.h. elmo_trial_run does I/O (fork/exec, cgroups, files); the parsers are
 * pure.
 *
 * A trial runs `db_bench` in a child process under a CPU and memory limit:
 *   - cgroup v2 (a child group under the unified hierarchy with cpu.max and memory.max), else
 *   - cgroup v1 (cpu: cpu.cfs_quota_us/cpu.cfs_period_us; memory: memory.limit_in_bytes, with
 *     memory.memsw.limit_in_bytes when present; the page cache counts against it there), else
 *   - CPU affinity to the first N CPUs plus RLIMIT_AS, and the result says so (limits_method).
 * The child starts from a copy of a preloaded base DB made with hard links (SST and blob files
 * are immutable) and copies (MANIFEST, CURRENT, OPTIONS, WAL, LOG): cheap and identical each time.
 * A watchdog kills the child when it runs past its deadline; a flagger reads db_bench's interval
 * report (--report_interval_seconds/--report_file) while it runs and aborts the trial when the
 * running throughput stays clearly below a threshold.
 */
#ifndef ELMO_TRIAL_H
#define ELMO_TRIAL_H

#include <stddef.h>
#include <stdint.h>

#include "elmo/elmo.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum elmo_trial_status {
  ELMO_TRIAL_OK = 0,
  ELMO_TRIAL_FAILED = 1,   /* crashed, could not open the DB, bad output: see reason */
  ELMO_TRIAL_TIMEOUT = 2,  /* hung past the deadline and was killed */
  ELMO_TRIAL_OOM = 3,      /* killed by the memory limit */
  ELMO_TRIAL_ABORTED = 4   /* stopped early by the throughput flagger */
} elmo_trial_status;

/* Results of one db_bench run (as much as its output and the sandbox tell). */
typedef struct elmo_trial_metrics {
  double ops_per_sec;          /* of the measured benchmark (warm-up excluded) */
  double micros_per_op;
  double p50_us, p99_us, p999_us;  /* all operations together */
  double read_p99_us, write_p99_us; /* per operation type when db_bench reports them; 0 if not */
  double cpu_seconds;          /* user + system of the child */
  double wall_seconds;
  double cpu_percent;          /* cpu_seconds / (wall × cpus limit) × 100 */
  uint64_t peak_memory_bytes;  /* cgroup peak, else ru_maxrss */
  double stall_micros;         /* rocksdb.stall.micros */
  double stall_percent;        /* stall time / wall time × 100 */
  double write_amp;            /* (flush + compaction bytes written) / user bytes written; 0 if no writes */
  uint64_t space_bytes;        /* size of the DB directory after the run */
  double cache_hit_rate;       /* block cache hits / (hits + misses); -1 when unknown */
  uint64_t pending_compaction_bytes; /* from the final stats, 0 if unknown */
  size_t n_interval;           /* interval throughputs (ops/s), one per report interval */
  double *interval_ops;        /* owned */
} elmo_trial_metrics;

typedef struct elmo_trial_spec {
  const char *db_bench;        /* path of the db_bench binary */
  const char *const *args;     /* workload arguments (no --db/--options_file), NULL-terminated */
  const char *options_file;    /* OPTIONS file of the candidate */
  const char *base_db;         /* preloaded DB to copy; NULL: start empty */
  const char *work_dir;        /* the trial's own directory (DB copy, output files) */
  int cpus;                    /* CPU limit; 0: no limit */
  uint64_t memory_bytes;       /* memory limit; 0: no limit */
  double timeout_seconds;      /* watchdog; 0: none */
  double abort_below_ops;      /* flagger: abort when the running throughput stays below this
                                  after the warm-up; 0: never */
  double flagger_grace_seconds;/* how long it must stay below before aborting (default 10) */
  volatile int *cancel;        /* set to stop the trial (Ctrl-C); may be NULL */
} elmo_trial_spec;

typedef struct elmo_trial_result {
  elmo_trial_status status;
  char reason[512];            /* why it failed/was aborted, e.g. "exit 1: Invalid argument: ..." */
  char limits_method[64];      /* "cgroup v1 (cpu, memory)", "cgroup v2", "affinity + rlimit" */
  elmo_trial_metrics metrics;
} elmo_trial_result;

/* Runs one trial. Returns ELMO_OK when the trial ran (whatever its status: see result), or an
 * error when it could not be set up (bad spec, cannot create work_dir, fork failed). */
elmo_rc elmo_trial_run(const elmo_trial_spec *spec, elmo_trial_result *result, elmo_error *err);
void elmo_trial_result_clear(elmo_trial_result *r);

/* Parses db_bench's stdout (+ --statistics dump) into metrics for the benchmark named bench
 * (e.g. "readrandom"); ELMO_EPARSE when no result line for it is found. Pure. */
elmo_rc elmo_dbbench_parse(const char *output, const char *bench, elmo_trial_metrics *m,
                           elmo_error *err);

/* Parses db_bench's --report_file CSV ("secs_elapsed,interval_qps") into m->interval_ops. Pure. */
elmo_rc elmo_dbbench_parse_report(const char *csv, elmo_trial_metrics *m, elmo_error *err);

/* Copies a DB directory: hard links for *.sst and *.blob, byte copies for the rest. */
elmo_rc elmo_db_clone(const char *from, const char *to, elmo_error *err);

/* Which limit mechanism elmo_trial_run would use here (for the report). */
const char *elmo_trial_limits_available(void);

const char *elmo_trial_status_name(elmo_trial_status s); /* "ok", "failed", ... */

#ifdef __cplusplus
}
#endif

#endif /* ELMO_TRIAL_H */
