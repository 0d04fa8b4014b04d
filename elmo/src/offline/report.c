/* report.c — what the report's writers share (report_internal.h): record and objective names, the
 * best and baseline records, escaping, memory streams, short numbers, the settings shown. */
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

const char *elmo_record_kind_name(elmo_record_kind k) {
  static const char *const kNames[] = {"baseline", "tune", "finetune", "confirm-best", "confirm-base",
                                       "recheck", "replay-best", "replay-base", "migrate-best", "migrate-base"};
  return (unsigned)k < sizeof kNames / sizeof kNames[0] ? kNames[k] : "unknown";
}

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
  out->read_percent = -1;
  elmo_workload w;
  if (cfg->workload != NULL && elmo_tune_config_workload(cfg, &w, NULL) == ELMO_OK) {
    out->num_keys = w.facts.num_keys;
    out->key_bytes = w.facts.key_bytes;
    out->value_bytes = w.facts.value_bytes;
    out->threads = w.facts.threads;
    out->read_percent = w.read_percent;
    out->spec = strcmp(w.bench, "elmospec") == 0;
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
