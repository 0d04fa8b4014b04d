/* tuner_steps.c — one trial, its record and the run's progress lines. See tuner.h. */
#define _XOPEN_SOURCE 700
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "elmo/memory.h"
#include "base/fileio.h"
#include "tuner_internal.h"
#include "elmo/number.h"

double elmo_tuner_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void elmo_tuner_progress(const tune_run *r, const char *fmt, ...) {
  if (r->cfg.quiet) return;
  va_list ap;
  elmo_number_fprintf(stderr, "[elmotune %6.0fs] ", elmo_tuner_now() - r->t0);
  va_start(ap, fmt);
  elmo_number_vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

/* Throughput without the warm-up: the mean of the interval report after it, when there is one. */
static void exclude_warmup(const tune_run *r, elmo_trial_metrics *m) {
  size_t skip = (size_t)r->cfg.warmup_seconds;
  if (m->n_interval <= skip + 1) return;
  double sum = 0;
  for (size_t i = skip; i < m->n_interval; i++) sum += m->interval_ops[i];
  m->ops_per_sec = sum / (double)(m->n_interval - skip);
}

/* How long a candidate's throughput must stay below the flagger's threshold: a third of the
 * measured time, 2 to 10 s, so that short trials (the README's 8 s) can be cut short too. */
static double flagger_grace(double trial_seconds) {
  double g = trial_seconds / 3;
  return g < 2 ? 2 : g > 10 ? 10 : g;
}

/* The best's throughput second by second × ratio, for the flagger to compare a candidate with the
 * best at the same second of the run: a workload whose first seconds are slow for every
 * configuration (ycsb-a here: 15k ops/s for 9 s, then 60k) is not judged against the best's mean.
 * NULL when the best has no interval report. */
static double *best_seconds_scaled(const tune_run *r, double ratio) {
  const elmo_trial_metrics *m = &r->sum->records[r->sum->best_index].result.metrics;
  if (m->interval_ops == NULL || m->n_interval == 0) return NULL;
  double *v = malloc(m->n_interval * sizeof *v);
  for (size_t i = 0; v != NULL && i < m->n_interval; i++) v[i] = m->interval_ops[i] * ratio;
  return v;
}

/* The live rate line while a trial runs: only on a terminal, rewritten in place. */
static void show_rate(void *ctx, double elapsed, double ops) {
  const tune_run *r = ctx;
  elmo_number_fprintf(stderr, "\r[elmotune %6.0fs]   trial %zu running: %.0f ops/s at %.0f s   ",
          elmo_tuner_now() - r->t0, r->sum->n_records - 1, ops, elapsed);
  fflush(stderr);
}

static elmo_tune_record *new_record(tune_run *r) {
  elmo_tune_summary *s = r->sum;
  if (s->n_records == r->cap_records) {
    size_t cap = r->cap_records ? r->cap_records * 2 : 16;
    elmo_tune_record *n = realloc(s->records, cap * sizeof *n);
    if (n == NULL) return NULL;
    s->records = n;
    r->cap_records = cap;
  }
  elmo_tune_record *rec = &s->records[s->n_records];
  memset(rec, 0, sizeof *rec);
  rec->index = (int)s->n_records++;
  return rec;
}

static int is_replay(const tune_run *r, elmo_record_kind kind) {
  int migrate = kind == ELMO_RECORD_MIGRATE_BEST || kind == ELMO_RECORD_MIGRATE_BASE;
  return kind == ELMO_RECORD_REPLAY_BEST || kind == ELMO_RECORD_REPLAY_BASE || (migrate && r->migrate_on_replay);
}

/* The model's workload (with the rewrite, when trials rewrite the data), or the replay of the
 * program's trace, which runs on the data as it is; the migration's best compacts first.
 * rewrite: room for the "--benchmarks=compact,..." argument; warmup: for "--elmo_warmup_sec=S"
 * (db_bench leaves the warm-up out of its result line and histograms, patches/0011). */
static char **trial_args(const tune_run *r, elmo_record_kind kind, char *rewrite, size_t cap, char *warmup,
                         size_t warmup_cap) {
  char *const *run = is_replay(r, kind) ? r->replay_args : r->workload.run_args;
  int compact = kind == ELMO_RECORD_MIGRATE_BEST || (!is_replay(r, kind) && r->rewrite &&
                                                     kind != ELMO_RECORD_MIGRATE_BASE);
  size_t n = 0;
  while (run[n]) n++;
  char **args = calloc(n + 4, sizeof *args);
  if (args == NULL) return NULL;
  for (size_t i = 0; i < n; i++) {
    int bench = strncmp(run[i], "--benchmarks=", 13) == 0;
    if (bench && compact) snprintf(rewrite, cap, "--benchmarks=compact,%s", run[i] + 13);
    args[i] = bench && compact ? rewrite : run[i];
  }
  args[n] = "--cache_size=0"; /* the OPTIONS file decides the block cache */
  args[n + 1] = "--bloom_bits=0"; /* and the filter: none unless it sets one, as RocksDB */
  elmo_number_snprintf(warmup, warmup_cap, "--elmo_warmup_sec=%g", r->cfg.warmup_seconds);
  if (r->cfg.warmup_seconds > 0) args[n + 2] = warmup;
  return args;
}

elmo_tune_record *elmo_tuner_trial(tune_run *r, const elmo_optfile *f, elmo_record_kind kind,
                                   int iteration, double abort_below_ops) {
  double started = elmo_tuner_now();
  elmo_tune_record *rec = new_record(r);
  if (rec == NULL) return NULL;
  rec->kind = kind;
  rec->iteration = iteration;
  char path[4096], work[4096];
  snprintf(path, sizeof path, "%s/trial-%03d.ini", r->cfg.output_dir, rec->index);
  snprintf(work, sizeof work, "%s/trial-%03d", r->db_dir, rec->index);
  rec->options_path = strdup(path);
  elmo_error err;
  if (elmo_optfile_save(f, path, &err) != ELMO_OK) {
    rec->result.status = ELMO_TRIAL_FAILED;
    snprintf(rec->result.reason, sizeof rec->result.reason, "%s", err.message);
    return rec;
  }
  char rewrite[256], warmup[64];
  char **args = trial_args(r, kind, rewrite, sizeof rewrite, warmup, sizeof warmup);
  double *below = abort_below_ops > 0 ? best_seconds_scaled(r, r->cfg.flag_ratio) : NULL;
  elmo_trial_spec spec = {.db_bench = r->cfg.db_bench, .args = (const char *const *)args, .options_file = path,
                          .base_db = is_replay(r, kind) ? r->replay_base : r->base_db, .work_dir = work,
                          .cpus = r->cfg.cpus, .memory_bytes = r->cfg.memory_bytes,
                          .timeout_seconds = (r->cfg.warmup_seconds + r->cfg.trial_seconds) * 3 + 120,
                          .abort_below_ops = abort_below_ops,
                          .abort_below_series = below,
                          .n_abort_below_series = below != NULL ? r->sum->records[r->sum->best_index].result.metrics.n_interval : 0,
                          .flagger_grace_seconds = flagger_grace(r->cfg.trial_seconds),
                          .flagger_warmup_seconds = r->cfg.warmup_seconds > 1 ? r->cfg.warmup_seconds : 1,
                          .cancel = r->cfg.cancel};
  if (!r->cfg.quiet && isatty(STDERR_FILENO)) {
    spec.on_rate = show_rate;
    spec.rate_ctx = r;
  }
  elmo_rc rc = args ? elmo_trial_run(&spec, &rec->result, &err) : ELMO_ENOMEM;
  if (spec.on_rate != NULL) fputs("\r\033[K", stderr); /* clear the live line */
  free(args);
  free(below);
  if (rc != ELMO_OK) {
    rec->result.status = ELMO_TRIAL_FAILED;
    snprintf(rec->result.reason, sizeof rec->result.reason, "%s", err.message);
  }
  if (rec->result.status == ELMO_TRIAL_OK) exclude_warmup(r, &rec->result.metrics);
  if (elmo_remove_tree(work) != 0) { /* the DB copy is not kept */
    elmo_tuner_progress(r, "could not remove %s", work);
  }
  if (rec->result.status == ELMO_TRIAL_OK) { /* what a trial costs, for the time budget */
    r->trial_wall_sum += elmo_tuner_now() - started;
    r->trial_wall_n++;
  }
  return rec;
}
