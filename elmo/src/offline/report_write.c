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

/* A confirmation on one line: "confirmation (objective: throughput): +12.3% [+8.1%, +16.7%] over
 * 3 pairs, a gain". */
static void confirmation_note(const char *what, const elmo_tune_config *cfg, const elmo_tune_confirmation *c,
                              char *buf, size_t n) {
  char objective[96];
  snprintf(objective, sizeof objective, "%s%s%s", cfg->objective_op ? cfg->objective_op : "",
           cfg->objective_op ? " " : "", elmo_report_objective_name(cfg->objective));
  if (c->pairs == 0) {
    snprintf(buf, n, "%s: not confirmed (no pair of runs completed)", what);
    return;
  }
  const char *verdict = c->guard != NULL ? "the per-operation guard fails it"
                        : c->significant ? "a gain"
                                         : "no gain shown";
  elmo_number_snprintf(buf, n, "%s (objective: %s): %+.1f%% [%+.1f%%, %+.1f%%] over %d pair%s, %s", what, objective,
                       c->gain * 100, c->gain_low * 100, c->gain_high * 100, c->pairs, c->pairs == 1 ? "" : "s",
                       verdict);
}

/* The lines under the charts' titles: how each confirmation that applies went. */
static size_t chart_notes(const elmo_tune_config *cfg, const elmo_tune_summary *s, char (*buf)[256]) {
  size_t n = 0;
  if (s->n_records == 0) return 0;
  if (s->best_index <= 0) snprintf(buf[n++], sizeof buf[0], "no confirmation: no candidate beat the baseline");
  else confirmation_note("confirmation", cfg, &s->confirm, buf[n++], sizeof buf[0]);
  if (s->replay_state == ELMO_REPLAY_RAN)
    confirmation_note("replay of the program's trace", cfg, &s->replay, buf[n++], sizeof buf[0]);
  if (s->migration_measured)
    confirmation_note("after the migration", cfg, &s->migration, buf[n++], sizeof buf[0]);
  return n;
}

static int is_paired(elmo_record_kind k) {
  return k == ELMO_RECORD_CONFIRM_BEST || k == ELMO_RECORD_CONFIRM_BASE || k == ELMO_RECORD_REPLAY_BEST ||
         k == ELMO_RECORD_REPLAY_BASE || k == ELMO_RECORD_MIGRATE_BEST || k == ELMO_RECORD_MIGRATE_BASE;
}

/* Every record as a point (NaN when it did not complete), then the chart. */
static char *record_chart(const elmo_tune_config *cfg, const elmo_tune_summary *s, int which) {
  elmo_chart_trial *t = calloc(s->n_records + 1, sizeof *t);
  if (t == NULL) return NULL;
  for (size_t i = 0; i < s->n_records; i++) {
    const elmo_tune_record *r = &s->records[i];
    const elmo_trial_metrics *m = &r->result.metrics;
    t[i] = (elmo_chart_trial){.trial = r->index, .kind = r->kind, .pair = is_paired(r->kind) ? r->iteration : 0,
                              .became_best = r->became_best, .is_best = r->is_best,
                              .recheck_of_best = r->recheck_of_best};
    t[i].value = r->result.status != ELMO_TRIAL_OK ? NAN : which == CHART_OPS ? m->ops_per_sec : m->p99_us;
  }
  char title[160], notes[3][256];
  const char *note_lines[3];
  size_t n_notes = chart_notes(cfg, s, notes);
  for (size_t i = 0; i < n_notes; i++) note_lines[i] = notes[i];
  snprintf(title, sizeof title, "%s per trial: %s", which == CHART_OPS ? "Throughput" : "p99 latency",
           cfg->workload ? cfg->workload : "");
  /* The step line is the best by the objective: the chart's own figure only when it is the objective. */
  int same = cfg->objective_op == NULL && (which == CHART_OPS ? cfg->objective == ELMO_OBJECTIVE_THROUGHPUT
                                                              : cfg->objective == ELMO_OBJECTIVE_P99);
  elmo_trial_chart c = {.title = title,
                        .y_label = which == CHART_OPS ? "ops/s" : "p99 latency (\xC2\xB5s)",
                        .best_label = same ? "best so far" : "best so far (objective)",
                        .trials = t,
                        .n_trials = s->n_records,
                        .notes = note_lines,
                        .n_notes = n_notes};
  char *svg = elmo_report_svg_chart(&c);
  free(t);
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
