/* report.c — writes a tuning run's output: history.json, report.md, throughput.svg, p99.svg. */
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

const char *elmo_report_objective_name(elmo_objective o) {
  switch (o) {
    case ELMO_OBJECTIVE_THROUGHPUT: return "throughput";
    case ELMO_OBJECTIVE_P99: return "p99";
    case ELMO_OBJECTIVE_MIXED: return "mixed";
  }
  return "unknown";
}

const char *elmo_report_basename(const char *path) {
  if (path == NULL) return "";
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

const elmo_tune_record *elmo_report_best(const elmo_tune_summary *s) {
  if (s->best_index >= 0 && (size_t)s->best_index < s->n_records) return &s->records[s->best_index];
  for (size_t i = 0; i < s->n_records; i++) {
    if (s->records[i].is_best) return &s->records[i];
  }
  return NULL;
}

const elmo_tune_record *elmo_report_baseline(const elmo_tune_summary *s) {
  for (size_t i = 0; i < s->n_records; i++) {
    if (s->records[i].kind == ELMO_RECORD_BASELINE) return &s->records[i];
  }
  return NULL;
}

void elmo_report_settings_get(const elmo_tune_config *cfg, report_settings *out) {
  memset(out, 0, sizeof *out);
  elmo_tune_config c = *cfg;
  elmo_tune_config_fill(&c); /* the defaults are the settings table's, as elmo_tune_run applies them */
  out->trial_seconds = c.trial_seconds;
  out->warmup_seconds = c.warmup_seconds;
  out->iterations = c.iterations;
  out->finetune_rounds = c.finetune_rounds < 0 ? 0 : c.finetune_rounds;
  out->confirm_runs = c.confirm_runs;
  out->patience = c.patience;
  out->p99_weight = c.p99_weight;
  out->min_gain = c.min_gain;
  out->recheck_band = c.recheck_band;
  out->recheck_pairs = c.recheck_pairs;
  out->flag_ratio = c.flag_ratio;
  out->guard_share = c.guard_share;
  out->guard_tolerance = c.guard_tolerance;
  out->guard_p99_tolerance = c.guard_p99_tolerance;
  out->llm_spec = c.llm_spec != NULL ? c.llm_spec : "builtin";
  out->strategy = c.strategy;
  elmo_workload w;
  if (cfg->workload != NULL &&
      elmo_workload_open(cfg->workload, cfg->num_keys, cfg->value_size,
                         out->warmup_seconds + out->trial_seconds, 1, &w, NULL) == ELMO_OK) {
    out->num_keys = w.facts.num_keys;
    out->key_bytes = w.facts.key_bytes;
    out->value_bytes = w.facts.value_bytes;
    snprintf(out->workload_description, sizeof out->workload_description, "%s", w.description);
    elmo_workload_clear(&w);
  }
}

/* ---- text helpers ---------------------------------------------------------------------------- */

static const char *escape_of(char c, unsigned esc) {
  switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return (esc & REPORT_ESC_XML) ? "&quot;" : NULL;
    case '\'': return (esc & REPORT_ESC_XML) ? "&apos;" : NULL;
    case '|': return (esc & REPORT_ESC_CELL) ? "\\|" : NULL;
    case '\n': return (esc & REPORT_ESC_CELL) ? "<br>" : NULL;
    default: return NULL;
  }
}

/* 1 when s holds nothing but white space. */
static int blank(const char *s) {
  while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++;
  return *s == '\0';
}

void elmo_report_put(FILE *f, const char *s, unsigned esc) {
  for (; s != NULL && *s != '\0'; s++) {
    const char *e = escape_of(*s, esc);
    if ((esc & REPORT_ESC_CELL) && (*s == '\n' || *s == '\r') && blank(s)) {
      break; /* trailing line breaks would end as a dangling <br> */
    } else if (e != NULL) {
      fputs(e, f);
    } else if (*s == '\r' && (esc & REPORT_ESC_CELL)) {
      /* dropped: "\r\n" becomes one <br> */
    } else if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n' && *s != '\r') {
      fputc(' ', f); /* not allowed in XML 1.0; meaningless in Markdown */
    } else {
      fputc(*s, f);
    }
  }
}

int elmo_report_stream_open(report_stream *st) {
  st->buf = NULL;
  st->len = 0;
  st->f = open_memstream(&st->buf, &st->len);
  return st->f == NULL ? -1 : 0;
}

char *elmo_report_stream_close(report_stream *st) {
  int bad = ferror(st->f);
  if (fclose(st->f) != 0) bad = 1;
  st->f = NULL;
  if (bad) {
    free(st->buf);
    st->buf = NULL;
  }
  return st->buf;
}

char *elmo_report_fmt_short(double v, char *buf, size_t n) {
  if (!isfinite(v)) {
    snprintf(buf, n, "-");
    return buf;
  }
  double a = fabs(v);
  double div = a >= 1e9 ? 1e9 : a >= 1e6 ? 1e6 : a >= 1e4 ? 1e3 : 1.0;
  const char *suffix = a >= 1e9 ? "G" : a >= 1e6 ? "M" : a >= 1e4 ? "k" : "";
  double x = fabs(v / div);
  int decimals = x < 10.0 ? 2 : x < 100.0 ? 1 : 0;
  if (div == 1.0 && a >= 100.0) decimals = 0;
  elmo_number_snprintf(buf, n, "%.*f%s", decimals, v / div, suffix);
  return buf;
}

/* ---- files ----------------------------------------------------------------------------------- */

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
