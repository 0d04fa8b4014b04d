/* tuner_compare.c — several configurations measured side by side, under the same limits, on the
 * same preloaded data, alternating runs (the benchmark behind docs/BENCHMARKS.md). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tuner_internal.h"
#include "elmo/number.h"

static void mean_sd(const double *v, int n, double *mean, double *sd) {
  double s = 0, q = 0;
  for (int i = 0; i < n; i++) s += v[i];
  *mean = n ? s / n : 0;
  for (int i = 0; i < n; i++) q += (v[i] - *mean) * (v[i] - *mean);
  *sd = n > 1 ? sqrt(q / (n - 1)) : 0;
}

/* OUTPUT_DIR/compare-runs.csv: every run's throughput second by second after the warm-up, the
 * raw data behind the rows (and the recorded runs the confirmation's tests replay). */
static FILE *open_runs_csv(const elmo_tune_config *cfg) {
  char path[4096];
  snprintf(path, sizeof path, "%s/compare-runs.csv", cfg->output_dir);
  FILE *f = fopen(path, "w");
  if (f != NULL) fputs("config,file,run,second,ops_per_sec\n", f);
  return f;
}

static void write_run(FILE *f, const tune_run *r, size_t config, const char *file, int run,
                      const elmo_trial_metrics *m) {
  if (f == NULL) return;
  size_t skip = (size_t)r->cfg.warmup_seconds;
  for (size_t s = skip; s < m->n_interval; s++) {
    elmo_number_fprintf(f, "%zu,%s,%d,%zu,%.1f\n", config, file[0] ? file : "defaults", run, s - skip,
                        m->interval_ops[s]);
  }
}

elmo_rc elmo_tune_compare(const elmo_tune_config *cfg, const char *const *files, size_t n, int runs,
                          elmo_compare_row *rows, elmo_error *err) {
  if (cfg == NULL || files == NULL || rows == NULL || n == 0 || n > 8 || runs <= 0 || runs > 16) {
    return elmo_error_set(err, ELMO_EINVAL, "compare: 1..8 configurations and 1..16 runs");
  }
  elmo_optfile *opts[8] = {0};
  elmo_rc rc = ELMO_OK;
  for (size_t i = 0; i < n && rc == ELMO_OK; i++) {
    rc = files[i][0] ? elmo_optfile_load(files[i], &opts[i], err)
                     : ((opts[i] = elmo_optfile_create()) ? ELMO_OK : ELMO_ENOMEM);
  }
  elmo_tune_summary sum;
  tune_run r;
  memset(&sum, 0, sizeof sum);
  if (rc == ELMO_OK) rc = elmo_tune_setup(&r, cfg, &sum, err);
  /* Every configuration gets the run's I/O mode and the sections RocksDB requires. */
  for (size_t i = 0; rc == ELMO_OK && i < n; i++) rc = elmo_tuner_adopt_options(&r, opts[i], err);
  double ops[8][16], p99[8][16];
  int ok[8] = {0};
  FILE *csv = rc == ELMO_OK ? open_runs_csv(cfg) : NULL;
  for (int run = 0; rc == ELMO_OK && run < runs && !(cfg->cancel && *cfg->cancel); run++) {
    for (size_t i = 0; i < n; i++) {
      elmo_tune_record *rec = elmo_tuner_trial(&r, opts[i], ELMO_RECORD_CONFIRM_BASE, run + 1, 0);
      if (rec == NULL || rec->result.status != ELMO_TRIAL_OK) {
        elmo_tuner_progress(&r, "%s run %d: %s", files[i][0] ? files[i] : "(defaults)", run + 1,
                            rec ? rec->result.reason : "out of memory");
        continue;
      }
      write_run(csv, &r, i, files[i], run + 1, &rec->result.metrics);
      ops[i][ok[i]] = rec->result.metrics.ops_per_sec;
      p99[i][ok[i]] = rec->result.metrics.p99_us;
      if (r.objective_hist != NULL) {  /* the objective's operations, as the tuner judges them */
        elmo_tune_op_figures(&rec->result.metrics, r.objective_hist, &ops[i][ok[i]], &p99[i][ok[i]]);
      }
      ok[i]++;
      elmo_tuner_progress(&r, "%s run %d: %.0f ops/s, p99 %.0f us", files[i][0] ? files[i] : "(defaults)",
                          run + 1, rec->result.metrics.ops_per_sec, rec->result.metrics.p99_us);
    }
  }
  if (csv != NULL) fclose(csv);
  for (size_t i = 0; rc == ELMO_OK && i < n; i++) {
    memset(&rows[i], 0, sizeof rows[i]);
    rows[i].runs = ok[i];
    rows[i].histogram = r.objective_hist;
    mean_sd(ops[i], ok[i], &rows[i].ops_mean, &rows[i].ops_sd);
    mean_sd(p99[i], ok[i], &rows[i].p99_mean, &rows[i].p99_sd);
  }
  if (rc == ELMO_OK || sum.n_records) elmo_tune_teardown(&r);
  elmo_tune_summary_clear(&sum);
  for (size_t i = 0; i < n; i++) elmo_optfile_destroy(opts[i]);
  return rc;
}
