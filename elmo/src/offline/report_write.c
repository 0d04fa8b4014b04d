/* report_write.c — the report's files in the output directory: report.md, history.json and the
 * charts (report_md.c, report_json.c, report_svg.c write their text). See tuner.h. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elmo/tuner.h"
#include "elmo/workload.h"
#include "base/fileio.h"
#include "report_internal.h"
#include "elmo/number.h"

/* Writes text to dir/name atomically (fileio.h). */
static elmo_rc write_file(const char *dir, const char *name, const char *text, elmo_error *err) {
  char path[4096];
  if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path) {
    return elmo_error_set(err, ELMO_EINVAL, "report: output path too long: %s/%s", dir, name);
  }
  return elmo_file_save_atomic(path, text, err);
}

/* Writes text (owned, freed here) to dir/name; NULL text means the builder ran out of memory. */
static elmo_rc emit(const char *dir, const char *name, char *text, elmo_error *err) {
  if (text == NULL)
    return elmo_error_set(err, ELMO_ENOMEM, "out of memory building %s/%s", dir, name);
  elmo_rc rc = write_file(dir, name, text, err);
  free(text);
  return rc;
}

/* ---- charts ---------------------------------------------------------------------------------- */

enum { CHART_OPS = 0, CHART_P99 = 1 };

/* One value per baseline/tune/finetune record (NaN when it did not complete), then the chart. */
static char *record_chart(const elmo_tune_config *cfg, const elmo_tune_summary *s, int which) {
  double *v = calloc(s->n_records + 1, sizeof *v);
  int *best = calloc(s->n_records + 1, sizeof *best);
  char *svg = NULL, title[160];
  if (v != NULL && best != NULL) {
    size_t n = 0;
    for (size_t i = 0; i < s->n_records; i++) {
      const elmo_tune_record *r = &s->records[i];
      if (r->kind == ELMO_RECORD_CONFIRM_BEST || r->kind == ELMO_RECORD_CONFIRM_BASE) continue;
      const elmo_trial_metrics *m = &r->result.metrics;
      v[n] = r->result.status != ELMO_TRIAL_OK ? NAN
             : which == CHART_OPS              ? m->ops_per_sec
                                               : m->p99_us;
      best[n++] = r->is_best;
    }
    snprintf(title, sizeof title, "%s per trial: %s",
             which == CHART_OPS ? "Throughput" : "p99 latency", cfg->workload ? cfg->workload : "");
    svg = elmo_report_svg_chart(title, which == CHART_OPS ? "ops/s" : "p99 latency (\xC2\xB5s)", v,
                                n, best);
  }
  free(v);
  free(best);
  return svg;
}

static elmo_rc ensure_dir(const char *dir, elmo_error *err) {
  struct stat st;
  if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
    return elmo_error_set(err, ELMO_EIO, "cannot create the output directory %s: %s", dir,
                          strerror(errno));
  }
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    return elmo_error_set(err, ELMO_EIO, "output path %s is not a directory", dir);
  }
  return ELMO_OK;
}

elmo_rc elmo_report_write(const elmo_tune_config *cfg, const elmo_tune_summary *s,
                          elmo_error *err) {
  if (cfg == NULL || s == NULL || cfg->output_dir == NULL || cfg->output_dir[0] == '\0') {
    return elmo_error_set(err, ELMO_EINVAL, "report_write: NULL config/summary or no output_dir");
  }
  if (s->n_records > 0 && s->records == NULL) {
    return elmo_error_set(err, ELMO_EINVAL, "report_write: %zu records but no array", s->n_records);
  }
  const char *dir = cfg->output_dir;
  elmo_rc rc = ensure_dir(dir, err);
  report_settings set;
  elmo_report_settings_get(cfg, &set);
  if (rc == ELMO_OK) rc = emit(dir, "history.json", elmo_report_history_json(cfg, s, &set), err);
  if (rc == ELMO_OK) rc = emit(dir, "throughput.svg", record_chart(cfg, s, CHART_OPS), err);
  if (rc == ELMO_OK) rc = emit(dir, "p99.svg", record_chart(cfg, s, CHART_P99), err);
  if (rc == ELMO_OK) rc = emit(dir, "report.md", elmo_report_markdown(cfg, s, &set), err);
  return rc;
}
