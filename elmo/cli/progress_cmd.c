/* progress_cmd.c — `elmo progress-chart`: several tuners' best so far against the trial number,
 * one SVG (elmo_report_svg_progress) from their trials.csv files (tools/bench/peers.sh). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "elmo/number.h"
#include "elmo/tuner.h"

enum { kMaxSeries = 16, kMaxTrials = 100000 };

/* The column named want of a CSV header line; -1 when absent. */
static int column_of(const char *header, const char *want) {
  int col = 0;
  for (const char *p = header; *p && *p != '\n';) {
    size_t n = strcspn(p, ",\n\r");
    if (n == strlen(want) && strncmp(p, want, n) == 0) return col;
    p += n;
    if (*p == ',') p++, col++;
    else break;
  }
  return -1;
}

/* The best_so_far column of a trials.csv into *out (new array); the count, or -1 after a message. */
static long read_series(const char *path, double **out) {
  size_t len = 0;
  char *text = elmo_cli_read_file(path, 64u << 20, &len);
  if (text == NULL) return -1;
  int col = column_of(text, "best_so_far");
  if (col < 0) {
    elmo_cli_error("progress-chart", "%s: no best_so_far column in its header", path);
    free(text);
    return -1;
  }
  double *v = malloc(kMaxTrials * sizeof *v);
  long n = 0, line = 1;
  char *p = strchr(text, '\n');
  while (v != NULL && p != NULL && p[1] != '\0' && n < kMaxTrials) {
    p++, line++;
    const char *field = p;
    for (int c = 0; c < col && field != NULL; c++) {
      field = strchr(field, ',');
      if (field != NULL) field++;
    }
    char *end = NULL;
    double x = field != NULL ? elmo_number_parse(field, &end) : 0;
    if (field == NULL || end == field || (*end != ',' && *end != '\n' && *end != '\r' && *end != '\0')) {
      elmo_cli_error("progress-chart", "%s:%ld: best_so_far is not a number", path, line);
      free(v);
      free(text);
      return -1;
    }
    v[n++] = x;
    p = strchr(p, '\n');
  }
  free(text);
  if (v == NULL) return -1;
  *out = v;
  return n;
}

int elmo_cmd_progress_chart(int argc, char **argv) {
  const char *title = "Best so far", *y_label = "ops/s", *out_path = NULL;
  const char *names[kMaxSeries];
  const double *series[kMaxSeries];
  size_t lengths[kMaxSeries], n = 0;
  int status = ELMO_EXIT_OK;
  for (int i = 1; i < argc && status == ELMO_EXIT_OK; i++) {
    if (strcmp(argv[i], "--title") == 0 && i + 1 < argc) {
      title = argv[++i];
    } else if (strcmp(argv[i], "--y-label") == 0 && i + 1 < argc) {
      y_label = argv[++i];
    } else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
      out_path = argv[++i];
    } else if (strchr(argv[i], '=') != NULL && argv[i][0] != '-' && n < kMaxSeries) {
      char *eq = strchr(argv[i], '=');
      *eq = '\0';
      double *v = NULL;
      long len = read_series(eq + 1, &v);
      if (len < 0) status = ELMO_EXIT_USAGE;
      else names[n] = argv[i], series[n] = v, lengths[n++] = (size_t)len;
    } else {
      elmo_cli_error("progress-chart", "unexpected argument '%s' (usage: elmo progress-chart -o OUT.svg "
                     "[--title T] [--y-label L] NAME=trials.csv...; at most %d series)", argv[i], kMaxSeries);
      status = ELMO_EXIT_USAGE;
    }
  }
  if (status == ELMO_EXIT_OK && (out_path == NULL || n == 0)) {
    elmo_cli_error("progress-chart", "usage: elmo progress-chart -o OUT.svg [--title T] [--y-label L] NAME=trials.csv...");
    status = ELMO_EXIT_USAGE;
  }
  char *svg = status == ELMO_EXIT_OK ? elmo_report_svg_progress(title, y_label, series, lengths, names, n) : NULL;
  if (status == ELMO_EXIT_OK) {
    FILE *f = svg != NULL ? fopen(out_path, "w") : NULL;
    if (f == NULL || fputs(svg, f) < 0 || fclose(f) != 0) {
      elmo_cli_error("progress-chart", "cannot write %s", out_path);
      status = ELMO_EXIT_FAILED;
    }
  }
  elmo_free(svg);
  for (size_t i = 0; i < n; i++) free((void *)series[i]);
  return status;
}
