/*
 * report_internal.h — what report.c, report_json.c, report_md.c and report_svg.c share.
 *
 * report.c owns the entry point (elmo_report_write), the atomic file writer, the settings with
 * their defaults filled in, and the text helpers; report_json.c builds history.json;
 * report_md.c builds report.md; report_svg.c draws the charts. Only report.c touches files.
 */
#ifndef ELMO_REPORT_INTERNAL_H
#define ELMO_REPORT_INTERNAL_H

#include <stdint.h>
#include <stdio.h>

#include "elmo/tuner.h"

/* The run's settings with tuner.h's defaults applied (what the trials really used). */
typedef struct report_settings {
  double trial_seconds, warmup_seconds; /* seconds */
  int iterations, finetune_rounds, confirm_runs, patience;
  double p99_weight, min_gain, flag_ratio; /* fractions */
  double recheck_band;            /* fraction; <= 0: no rechecks */
  double guard_share;             /* fraction; 0: every type that ran; < 0: only the protected */
  double guard_tolerance, guard_p99_tolerance; /* fractions */
  int recheck_pairs;              /* pairs per close call */
  const char *llm_spec;
  elmo_prompt_strategy strategy;
  uint64_t num_keys;              /* 0 when the preset is unknown */
  int key_bytes, value_bytes;     /* bytes; 0 when the preset is unknown */
  int threads;                    /* client threads of a measured run (a spec: its phases' most);
                                     0 when unknown */
  int spec;                       /* 1: a workload spec (key and value bytes are its means) */
  int read_percent;               /* readrandomwriterandom's reads in percent; -1: none */
  char workload_description[256]; /* the preset's description, "" when unknown */
} report_settings;

void elmo_report_settings_get(const elmo_tune_config *cfg, report_settings *out);

/* "throughput", "p99", "mixed". */
const char *elmo_report_objective_name(elmo_objective o);
/* The file name part of path ("" for NULL). Borrowed from path. */
const char *elmo_report_basename(const char *path);
/* The record s->best_index names, or the one marked is_best, or NULL. */
const elmo_tune_record *elmo_report_best(const elmo_tune_summary *s);
/* The first baseline record, or NULL. */
const elmo_tune_record *elmo_report_baseline(const elmo_tune_summary *s);

/* Escaping for elmo_report_put: XML text/attributes, or one Markdown table cell / paragraph
 * (HTML-escaped; ESC_CELL also escapes '|', turns line breaks into <br> and drops trailing ones,
 * since a cell or paragraph must stay on one line). Control characters
 * other than tab and line breaks become spaces either way. */
enum { REPORT_ESC_XML = 1u, REPORT_ESC_CELL = 2u, REPORT_ESC_TEXT = 4u };
void elmo_report_put(FILE *f, const char *s, unsigned esc);

/* A memory stream: open gives a FILE* writing into *buf; close returns the text (caller frees)
 * or NULL when anything failed (and frees it). */
typedef struct report_stream {
  FILE *f;
  char *buf;
  size_t len;
} report_stream;
int elmo_report_stream_open(report_stream *st);
char *elmo_report_stream_close(report_stream *st);

/* A number with 3 significant digits and a k/M/G suffix when large: 123456 -> "123k". */
char *elmo_report_fmt_short(double v, char *buf, size_t n);

/* report_json.c: history.json (new string or NULL when out of memory). */
char *elmo_report_history_json(const elmo_tune_config *cfg, const elmo_tune_summary *s,
                                           const report_settings *set);

/* report_md.c: report.md (new string or NULL when out of memory). */
char *elmo_report_markdown(const elmo_tune_config *cfg, const elmo_tune_summary *s,
                                       const report_settings *set);

#endif /* ELMO_REPORT_INTERNAL_H */
