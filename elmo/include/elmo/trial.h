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
 *   - CPU affinity to the first N CPUs plus RLIMIT_AS (at 2 × memory + 1 GiB, since the address
 *     space over-counts), with the watchdog killing the child (OOM) when its resident set passes
 *     the memory limit; the result says so (limits_method).
 * Groups are created under the caller's own group in each hierarchy (else at its root), named
 * elmo-trial-<pid>-<n>, and removed when the trial ends.
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

enum { ELMO_TRIAL_MAX_OP_TYPES = 8 };

/* One operation type's histogram as db_bench prints it ("Microseconds per seek:"). */
typedef struct elmo_op_latency {
  char type[16];               /* "read", "write", "seek", ... */
  uint64_t count;
  double avg_us, p50_us, p99_us, p999_us;
  double time_share;           /* count x average over the sum of all types': where the time goes
                                  (1% of mixgraph's operations are seeks, a third of its time) */
} elmo_op_latency;

/* Results of one db_bench run (as much as its output and the sandbox tell). */
typedef struct elmo_trial_metrics {
  double ops_per_sec;          /* of the measured benchmark (warm-up excluded; the median of the
                                  runs for "name[Xn]" repeats) */
  double micros_per_op;
  double p50_us, p99_us, p999_us;  /* all operations together: db_bench prints one histogram per
                                      operation type, merged here bucket by bucket and read as
                                      RocksDB's HistogramStat::Percentile does; 0 without
                                      --histogram output */
  double read_p99_us, write_p99_us; /* the "read" and "write" histograms; 0 if not printed */
  size_t n_op_types;           /* the histogram blocks, in printed order (the first
                                  ELMO_TRIAL_MAX_OP_TYPES) */
  elmo_op_latency op_types[ELMO_TRIAL_MAX_OP_TYPES];
  double setup_seconds;        /* seconds of the benchmarks db_bench ran before the measured one
                                  (e.g. the compact of "compact,readrandom"), from their result
                                  lines; 0 when none */
  double cpu_seconds;          /* user + system of the child */
  double wall_seconds;
  double cpu_percent;          /* cpu_seconds / (wall × cpus limit) × 100; without a CPU limit,
                                  over the online CPUs */
  uint64_t peak_memory_bytes;  /* cgroup peak, else ru_maxrss. The cgroup figure counts the page
                                  cache too: an I/O-heavy run sits at the limit */
  uint64_t peak_rss_bytes;     /* the child's own peak RSS (ru_maxrss), page cache excluded */
  double stall_micros;         /* rocksdb.stall.micros */
  double stall_percent;        /* stall time / wall time × 100 (stall.micros sums over writer
                                  threads, so it can pass 100; not clamped) */
  double write_amp;            /* (flush + compaction bytes written) / user bytes written; 0 if
                                  no writes */
  uint64_t space_bytes;        /* size of the DB directory after the run (apparent size; hard
                                  links shared with the base count in full) */
  double cache_hit_rate;       /* block cache hits / (hits + misses); -1 when unknown */
  uint64_t pending_compaction_bytes; /* a "rocksdb.estimate-pending-compaction-bytes: N" line
                                        in the output; stock db_bench prints none: 0 */
  double blocks_per_get;       /* data blocks looked up per Get (block cache data hits + misses
                                  over keys read): the files a Get searched past their filters,
                                  RocksDB's read amplification; -1 without reads or statistics */
  double compaction_mb_s;      /* compaction write throughput while compacting (compact.write.bytes
                                  over compaction.times.micros); -1 without compactions */
  uint64_t stalls_l0, stalls_memtable, stalls_pending; /* the DB's LOG lines that stalled or
                                  stopped writes, by cause: too many L0 files, too many immutable
                                  memtables, pending compaction bytes (elmo_rocksdb_log_stalls) */
  size_t n_interval;           /* interval throughputs (ops/s), one per report interval */
  double *interval_ops;        /* owned */
} elmo_trial_metrics;

typedef struct elmo_trial_spec {
  const char *db_bench;        /* path of the db_bench binary */
  const char *const *args;     /* workload arguments, NULL-terminated. The trial sets --db,
                                  --options_file, --use_existing_db, --report_file and
                                  --report_interval_seconds itself (ELMO_EINVAL if given) and
                                  forces --statistics=1 --histogram=1. The measured benchmark is
                                  the last one of --benchmarks ("fillrandom,readrandom[X3]" →
                                  readrandom) */
  const char *options_file;    /* OPTIONS file of the candidate; NULL: db_bench's flags. With a
                                  file and no --cache_size in args, --cache_size=0 is added so
                                  that db_bench keeps the file's block_cache */
  const char *base_db;         /* preloaded DB to copy; NULL: start empty */
  const char *work_dir;        /* the trial's own directory, created if missing: db/ (which
                                  must not exist yet), stdout.txt, stderr.txt, report.csv */
  int cpus;                    /* CPU limit; 0: no limit */
  uint64_t memory_bytes;       /* memory limit; 0: no limit */
  double timeout_seconds;      /* watchdog; 0: none */
  double abort_below_ops;      /* flagger: abort when the running throughput of the measured
                                  benchmark stays below this after its warm-up; the benchmarks
                                  before it in --benchmarks (the compact of
                                  "compact,readrandom") are never judged; 0: never */
  const double *abort_below_series; /* per report interval thresholds (e.g. the best's own
                                  throughput at the same second × a ratio): interval i is judged
                                  against entry i (the last entry past the end) instead of
                                  abort_below_ops, which must still be > 0; NULL: one threshold */
  size_t n_abort_below_series;
  double flagger_grace_seconds;/* how long it must stay below before aborting; 0: 10 s */
  double flagger_warmup_seconds;/* the measured benchmark's first seconds, never judged; 0: 5 s */
  volatile int *cancel;        /* set to stop the trial (Ctrl-C): FAILED "cancelled" within
                                  100 ms; may be NULL */
  /* Called about once a second while the trial runs with the latest interval throughput, for a
   * live progress line; may be NULL. Runs on the calling thread. */
  void (*on_rate)(void *ctx, double elapsed_seconds, double ops_per_sec);
  void *rate_ctx;
} elmo_trial_spec;

typedef struct elmo_trial_result {
  elmo_trial_status status;
  char reason[512];            /* why it failed/was aborted, e.g. "exit 1: Invalid argument: ..." */
  char limits_method[64];      /* what limited this trial: "cgroup v1 (cpu, memory)",
                                  "cgroup v2 (memory)", "cgroup v1 (cpu) + rlimit",
                                  "affinity + rlimit", "none" (no limit asked) */
  elmo_trial_metrics metrics;
} elmo_trial_result;

/* Runs one trial and waits for it (polling every 100 ms). Returns ELMO_OK when the trial ran,
 * whatever its status (see result), or an error when it could not be set up: ELMO_EINVAL (bad
 * spec, reserved argument, work_dir/db exists), ELMO_ERANGE (negative limit), ELMO_ENOTFOUND
 * (db_bench, options_file or base_db unusable), ELMO_EIO (work_dir, clone, fork, or the child's
 * setup failed), ELMO_ENOMEM; result->reason then repeats the message.
 * result (OUT) is overwritten: clear a reused one first. Whatever happens, no child process and
 * no cgroup is left behind. Metrics of a trial that did not finish (TIMEOUT, ABORTED, OOM,
 * FAILED) hold only what the sandbox measured (wall, CPU, memory, space, intervals).
 * The child gets PR_SET_PDEATHSIG, so it dies with the calling thread; call from a thread that
 * outlives the trial. Thread-safe on distinct specs and work dirs. */
ELMO_API elmo_rc elmo_trial_run(const elmo_trial_spec *spec, elmo_trial_result *result, elmo_error *err);

/* Frees what a result owns and zeroes it. NULL is a no-op. */
ELMO_API void elmo_trial_result_clear(elmo_trial_result *r);

/* Parses db_bench's stdout (+ --statistics dump) into metrics for the benchmark named bench
 * (e.g. "readrandom"; NULL: the last result line of any benchmark). Sets the fields that come
 * from the output (ops_per_sec, micros_per_op, percentiles, stall_micros, write_amp,
 * cache_hit_rate, pending_compaction_bytes, blocks_per_get, compaction_mb_s, setup_seconds),
 * clearing them first; leaves the others. The last
 * result line for bench wins. ELMO_EPARSE when there is none (the message says when db_bench
 * skipped the benchmark); ELMO_EINVAL on NULL. Pure. */
ELMO_API elmo_rc elmo_dbbench_parse(const char *output, const char *bench, elmo_trial_metrics *m,
                           elmo_error *err);

/* Counts the lines of a RocksDB LOG that stalled or stopped writes, by cause, into m->stalls_l0,
 * stalls_memtable and stalls_pending (zeroed first; NULL log: zeros). The statistics dump has the
 * stall time only (its per-cause tickers stay 0 in 7.8.3). Pure. */
ELMO_API void elmo_rocksdb_log_stalls(const char *log, elmo_trial_metrics *m);

/* How many benchmarks db_bench's stdout reports as finished: its "name : X micros/op Y ops/sec"
 * result lines. 0 on NULL. Pure. */
ELMO_API int elmo_dbbench_count_results(const char *output);

/* Parses db_bench's --report_file CSV ("secs_elapsed,interval_qps") into m->interval_ops,
 * replacing (and freeing) what was there. A last line without its newline (still being written)
 * is ignored. ELMO_EPARSE on a missing header or a bad row. Pure. */
ELMO_API elmo_rc elmo_dbbench_parse_report(const char *csv, elmo_trial_metrics *m, elmo_error *err);

/* Copies a DB directory into the new directory to (which must not exist): hard links for *.sst
 * and *.blob (copies where the file system cannot link), byte copies for the rest, recursively.
 * Errors name the file: ELMO_ENOTFOUND (from is not a directory), ELMO_EIO, ELMO_EINVAL (a file
 * that is neither regular nor a directory). A failed clone leaves a partial copy behind. */
ELMO_API elmo_rc elmo_db_clone(const char *from, const char *to, elmo_error *err);

/* Which limit mechanism elmo_trial_run would use here (for the report): "cgroup v2",
 * "cgroup v1" or "affinity + rlimit". Static storage. */
ELMO_API const char *elmo_trial_limits_available(void);

ELMO_API const char *elmo_trial_status_name(elmo_trial_status s); /* "ok", "failed", ... */

#ifdef __cplusplus
}
#endif

#endif /* ELMO_TRIAL_H */
