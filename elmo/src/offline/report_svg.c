/* report_svg.c — the report's SVG charts, self-contained (no fonts, scripts or links): a run's
 * trials (elmo_report_svg_chart) and several runs' best so far (elmo_report_svg_progress). Every
 * number goes through number.h, every text through elmo_report_put. See tuner.h. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elmo/number.h"
#include "elmo/tuner.h"
#include "report_internal.h"

/* Geometry, in px: the plot area on the left, the legend to its right. */
#define CHART_W 880
#define PLOT_L 72.0   /* left edge of the plot area: room for the tick labels */
#define PLOT_R 690.0
#define PLOT_H 260.0
#define PLOT_T0 44.0  /* the plot's top with no notes: below the title */
#define NOTE_H 17.0   /* a line of notes under the title */
#define MAX_NOTES 6
#define BELOW_PLOT 56 /* the x tick labels and the axis label */
#define LEGEND_X 712.0
#define LEGEND_ROW 17.0
#define PAD_X 16.0    /* between the y axis and the first point, and after the last */
#define MAX_X_LABELS 15

#define COLOR_BEST "#2ca02c"
#define COLOR_FAIL "#d62728"
#define COLOR_PAIR "#8c8c8c"
#define COLOR_GRID "#e6e6e6"
#define COLOR_AXIS "#444444"
#define COLOR_TEXT "#222222"
#define COLOR_FAINT "#777777"

typedef struct chart {
  FILE *f;
  double t, b;         /* the plot area's top and bottom, px */
  double lo, hi, step; /* the y axis, in the values' unit */
  double x0, x1;       /* the trial numbers at the first and the last x position */
  int height;          /* px */
} chart;

/* ---- scales ---------------------------------------------------------------------------------- */

/* The lowest and highest finite value seen, 0 included (the y axis starts at 0 or below). */
typedef struct range {
  double lo, hi;
  size_t n; /* finite values seen */
} range;

static void range_add(range *r, double v) {
  if (!isfinite(v)) return;
  if (v < r->lo) r->lo = v;
  if (v > r->hi) r->hi = v;
  r->n++;
}

/* 1, 2, 2.5 or 5 times a power of ten, at least raw. */
static double nice_step(double raw) {
  double p = pow(10.0, floor(log10(raw)));
  double f = raw / p;
  double nice = f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 2.5 ? 2.5 : f <= 5.0 ? 5.0 : 10.0;
  return nice * p;
}

/* The y axis over r in 3 to 6 nice steps. */
static void scale_y(chart *c, range r) {
  if (!(r.hi - r.lo > 0.0)) r.hi = r.lo + 1.0; /* no data, or every value 0 */
  double step = nice_step((r.hi - r.lo) / 5.0);
  double lo = floor(r.lo / step + 1e-9) * step, hi = ceil(r.hi / step - 1e-9) * step;
  if (!isfinite(step) || !(step > 0.0) || !isfinite(lo) || !isfinite(hi) || !(hi > lo)) {
    lo = 0.0, hi = 1.0, step = 0.25; /* a range beyond what a double can step through */
  }
  c->lo = lo, c->hi = hi, c->step = step;
}

static void layout(chart *c, FILE *f, size_t n_notes) {
  c->f = f;
  c->t = PLOT_T0 + NOTE_H * (double)(n_notes < MAX_NOTES ? n_notes : MAX_NOTES);
  c->b = c->t + PLOT_H;
  c->height = (int)c->b + BELOW_PLOT;
}

static double x_px(const chart *c, double trial) {
  if (!(c->x1 > c->x0)) return (PLOT_L + PLOT_R) / 2.0;
  return PLOT_L + PAD_X + (trial - c->x0) * (PLOT_R - PLOT_L - 2.0 * PAD_X) / (c->x1 - c->x0);
}

static double y_px(const chart *c, double v) { return c->b - (v - c->lo) / (c->hi - c->lo) * (c->b - c->t); }

/* The divisor and suffix that fit the largest tick: 1e9 "G", 1e6 "M", 1e4.. "k", else none. */
static double tick_divisor(const chart *c, const char **suffix) {
  double m = fmax(fabs(c->lo), fabs(c->hi));
  *suffix = m >= 1e9 ? "G" : m >= 1e6 ? "M" : m >= 1e4 ? "k" : "";
  return m >= 1e9 ? 1e9 : m >= 1e6 ? 1e6 : m >= 1e4 ? 1e3 : 1.0;
}

/* A tick value with as many decimals as the step needs (at most 6). */
static void fmt_tick(const chart *c, double v, char *buf, size_t n) {
  const char *suffix;
  double div = tick_divisor(c, &suffix);
  if (fabs(v) < c->step * 1e-6) {
    snprintf(buf, n, "0");
    return;
  }
  double s = c->step / div;
  int d = 0;
  while (d < 6 && fabs(s * pow(10.0, d) - round(s * pow(10.0, d))) > 1e-6 * s * pow(10.0, d)) d++;
  elmo_number_snprintf(buf, n, "%.*f%s", d, v / div, suffix);
}

/* Every how many trials the x axis is labelled: 1, 2, 5, 10, 20, 50, ... */
static double x_label_every(double span) {
  for (double e = 1.0;; e *= 10.0) {
    if (span / e <= MAX_X_LABELS) return e;
    if (span / (2.0 * e) <= MAX_X_LABELS) return 2.0 * e;
    if (span / (5.0 * e) <= MAX_X_LABELS) return 5.0 * e;
    if (e > 1e15) return e;
  }
}

/* ---- frame: header, notes, axes, legend ------------------------------------------------------ */

static void put_header(const chart *c, const char *title, const char *y_label, const char *const *notes,
                       size_t n_notes) {
  FILE *f = c->f;
  fprintf(f,
          "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
          "font-family=\"sans-serif\" font-size=\"12\" fill=\"%s\">\n<title>",
          CHART_W, c->height, CHART_W, c->height, COLOR_TEXT);
  elmo_report_put(f, title, REPORT_ESC_XML);
  fprintf(f, "</title>\n<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", CHART_W, c->height);
  elmo_number_fprintf(f, "<text x=\"%.1f\" y=\"26\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">",
                      CHART_W / 2.0);
  elmo_report_put(f, title, REPORT_ESC_XML);
  fputs("</text>\n", f);
  for (size_t i = 0; i < n_notes && i < MAX_NOTES; i++) {
    elmo_number_fprintf(f, "<text class=\"note\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
                        (PLOT_L + PLOT_R) / 2.0, PLOT_T0 + 4.0 + NOTE_H * (double)i);
    elmo_report_put(f, notes[i] ? notes[i] : "", REPORT_ESC_XML);
    fputs("</text>\n", f);
  }
  double cy = (c->t + c->b) / 2.0;
  elmo_number_fprintf(f, "<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 16 %.1f)\">",
                      cy, cy);
  elmo_report_put(f, y_label, REPORT_ESC_XML);
  fputs("</text>\n", f);
}

/* Grid lines with their labels, the two axes, the x ticks and the "trial" label. */
static void put_axes(const chart *c) {
  FILE *f = c->f;
  char label[48];
  size_t ticks = (size_t)llround((c->hi - c->lo) / c->step);
  fputs("<g class=\"y-axis\" font-size=\"11\" text-anchor=\"end\">\n", f);
  for (size_t t = 0; t <= ticks && t <= 20; t++) {
    double v = c->lo + (double)t * c->step, y = y_px(c, v);
    fmt_tick(c, v, label, sizeof label);
    elmo_number_fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>", PLOT_L, y,
                        PLOT_R, y, COLOR_GRID);
    elmo_number_fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", PLOT_L - 6.0, y + 4.0, label);
  }
  fputs("</g>\n", f);
  elmo_number_fprintf(f, "<path class=\"axes\" d=\"M%.1f %.1fV%.1fH%.1f\" fill=\"none\" stroke=\"%s\"/>\n",
                      PLOT_L, c->t, c->b, PLOT_R, COLOR_AXIS);
  double every = x_label_every(c->x1 - c->x0 + 1.0);
  fputs("<g class=\"x-axis\" font-size=\"11\" text-anchor=\"middle\">\n", f);
  for (double i = ceil(c->x0 / every) * every; i <= c->x1 + 1e-9; i += every) {
    double x = x_px(c, i);
    elmo_number_fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>", x, c->b, x,
                        c->b + 4.0, COLOR_AXIS);
    elmo_number_fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">%.0f</text>\n", x, c->b + 17.0, i);
  }
  elmo_number_fprintf(f, "</g>\n<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">trial</text>\n",
                      (PLOT_L + PLOT_R) / 2.0, c->b + 38.0);
}

/* Opens a legend row: a group at the row's origin, which the caller fills with a sample drawn
 * around (0, 0) and closes with put_legend_label. */
static void open_legend_row(const chart *c, const char *cls, int row) {
  elmo_number_fprintf(c->f, "<g class=\"legend-entry %s\" transform=\"translate(%.1f %.1f)\">", cls,
                      LEGEND_X + 8.0, c->t + 6.0 + LEGEND_ROW * (double)row);
}

static void put_legend_label(const chart *c, const char *label) {
  fputs("<text x=\"16\" y=\"4\">", c->f);
  elmo_report_put(c->f, label, REPORT_ESC_XML);
  fputs("</text></g>\n", c->f);
}

static void put_no_data(const chart *c, const char *what) {
  elmo_number_fprintf(c->f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#888888\">%s</text>\n",
                      (PLOT_L + PLOT_R) / 2.0, (c->t + c->b) / 2.0, what);
}

/* ---- the trial chart: markers ---------------------------------------------------------------- */

typedef enum shape { SHAPE_CIRCLE, SHAPE_SQUARE, SHAPE_DIAMOND, SHAPE_UP, SHAPE_DOWN } shape;

typedef struct kind_style {
  const char *cls;    /* the marker's class: the record kind's name, and more */
  const char *legend;
  shape shape;
  const char *color;
  int hollow;         /* the reference side of a comparison (the baseline, the best): white inside */
} kind_style;

/* A style per record kind, and two more: a recheck of the best, and a kind this file does not know. */
enum { STYLE_RECHECK_BEST = ELMO_RECORD_MIGRATE_BASE + 1, STYLE_OTHER, N_STYLES };

static const kind_style kStyles[N_STYLES] = {
    [ELMO_RECORD_BASELINE] = {"baseline", "baseline", SHAPE_SQUARE, "#555555", 0},
    [ELMO_RECORD_TUNE] = {"tune", "tune", SHAPE_CIRCLE, "#1f77b4", 0},
    [ELMO_RECORD_FINETUNE] = {"finetune", "fine-tune", SHAPE_UP, "#ff7f0e", 0},
    [ELMO_RECORD_CONFIRM_BEST] = {"confirm-best", "confirmation: best", SHAPE_CIRCLE, COLOR_BEST, 0},
    [ELMO_RECORD_CONFIRM_BASE] = {"confirm-base", "confirmation: baseline", SHAPE_CIRCLE, "#555555", 1},
    [ELMO_RECORD_RECHECK] = {"recheck", "recheck: the candidate", SHAPE_DIAMOND, "#9467bd", 0},
    [ELMO_RECORD_REPLAY_BEST] = {"replay-best", "replay: best", SHAPE_DOWN, "#17becf", 0},
    [ELMO_RECORD_REPLAY_BASE] = {"replay-base", "replay: baseline", SHAPE_DOWN, "#17becf", 1},
    [ELMO_RECORD_MIGRATE_BEST] = {"migrate-best", "migration: best", SHAPE_SQUARE, "#8c564b", 0},
    [ELMO_RECORD_MIGRATE_BASE] = {"migrate-base", "migration: baseline", SHAPE_SQUARE, "#8c564b", 1},
    [STYLE_RECHECK_BEST] = {"recheck of-best", "recheck: the best", SHAPE_DIAMOND, "#9467bd", 1},
    [STYLE_OTHER] = {"unknown", "other", SHAPE_CIRCLE, "#bbbbbb", 0},
};

/* The legend's order: the search, then the confirmations. */
static const int kLegendOrder[] = {
    ELMO_RECORD_BASELINE,     ELMO_RECORD_TUNE,         ELMO_RECORD_FINETUNE,    ELMO_RECORD_RECHECK,
    STYLE_RECHECK_BEST,       ELMO_RECORD_CONFIRM_BEST, ELMO_RECORD_CONFIRM_BASE, ELMO_RECORD_REPLAY_BEST,
    ELMO_RECORD_REPLAY_BASE,  ELMO_RECORD_MIGRATE_BEST, ELMO_RECORD_MIGRATE_BASE, STYLE_OTHER};

static int style_id(const elmo_chart_trial *t) {
  if ((unsigned)t->kind >= STYLE_RECHECK_BEST) return STYLE_OTHER;
  return t->kind == ELMO_RECORD_RECHECK && t->recheck_of_best ? STYLE_RECHECK_BEST : (int)t->kind;
}

/* The marker of st around (0, 0). */
static void put_shape(FILE *f, const kind_style *st) {
  static const char *const kShapes[] = {
      [SHAPE_CIRCLE] = "<circle r=\"4.5\"",
      [SHAPE_SQUARE] = "<rect x=\"-4\" y=\"-4\" width=\"8\" height=\"8\"",
      [SHAPE_DIAMOND] = "<path d=\"M0 -5.5L5.5 0L0 5.5L-5.5 0Z\"",
      [SHAPE_UP] = "<path d=\"M0 -5.5L5 3.5L-5 3.5Z\"",
      [SHAPE_DOWN] = "<path d=\"M0 5.5L5 -3.5L-5 -3.5Z\"",
  };
  if (st->hollow)
    fprintf(f, "%s fill=\"#ffffff\" stroke=\"%s\" stroke-width=\"1.8\"/>", kShapes[st->shape], st->color);
  else
    fprintf(f, "%s fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"0.8\"/>", kShapes[st->shape], st->color);
}

/* Trials of the search (drawn left of the confirmation's divider, under the step line). */
static int is_search(elmo_record_kind k) {
  return k == ELMO_RECORD_BASELINE || k == ELMO_RECORD_TUNE || k == ELMO_RECORD_FINETUNE ||
         k == ELMO_RECORD_RECHECK;
}

/* The best run's kind that pairs with a baseline run's kind, or -1. */
static int pair_partner(elmo_record_kind k) {
  return k == ELMO_RECORD_CONFIRM_BASE   ? ELMO_RECORD_CONFIRM_BEST
         : k == ELMO_RECORD_REPLAY_BASE  ? ELMO_RECORD_REPLAY_BEST
         : k == ELMO_RECORD_MIGRATE_BASE ? ELMO_RECORD_MIGRATE_BEST
                                         : -1;
}

static int has_value(const elmo_chart_trial *t) { return isfinite(t->value); }

static void put_marker(const chart *c, const elmo_chart_trial *t) {
  char v[32];
  elmo_report_fmt_short(t->value, v, sizeof v);
  const kind_style *st = &kStyles[style_id(t)];
  elmo_number_fprintf(c->f,
                      "<g class=\"mark %s\" transform=\"translate(%.1f %.1f)\"><title>trial %d (%s): %s%s</title>",
                      st->cls, x_px(c, t->trial), y_px(c, t->value), t->trial, st->legend, v,
                      t->is_best ? ", the best" : t->became_best ? ", best so far" : "");
  put_shape(c->f, st);
  fputs("</g>\n", c->f);
}

static void put_failed(const chart *c, const elmo_chart_trial *t) {
  double x = x_px(c, t->trial), y = c->b;
  elmo_number_fprintf(c->f,
                      "<path class=\"failed\" d=\"M%.1f %.1fL%.1f %.1fM%.1f %.1fL%.1f %.1f\" stroke=\"%s\" "
                      "stroke-width=\"2.5\"><title>trial %d (%s): no result</title></path>\n",
                      x - 5, y - 5, x + 5, y + 5, x - 5, y + 5, x + 5, y - 5, COLOR_FAIL, t->trial,
                      kStyles[style_id(t)].legend);
}

/* ---- the trial chart: the story's lines ------------------------------------------------------ */

/* The best so far: from each trial that became best, level until the next one, then up (or down)
 * to it; after the last, level to the search's last trial. Returns 1 when drawn. */
static int put_best_steps(const chart *c, const elmo_chart_trial *t, size_t n) {
  int any = 0;
  double end = -INFINITY;
  for (size_t i = 0; i < n; i++) {
    if (is_search(t[i].kind)) end = fmax(end, x_px(c, t[i].trial));
    if (!t[i].became_best || !has_value(&t[i])) continue;
    double x = x_px(c, t[i].trial), y = y_px(c, t[i].value);
    if (!any)
      elmo_number_fprintf(c->f, "<path class=\"best-so-far\" fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\" "
                                "stroke-opacity=\"0.8\" d=\"M%.1f %.1f", COLOR_BEST, x, y);
    else
      elmo_number_fprintf(c->f, "H%.1fV%.1f", x, y);
    end = fmax(end, x);
    any = 1;
  }
  if (any) elmo_number_fprintf(c->f, "H%.1f\"/>\n", end);
  return any;
}

/* How many trials before i have t[i]'s kind, pair number and a value. */
static size_t rank_in_pair(const elmo_chart_trial *t, size_t i) {
  size_t r = 0;
  for (size_t j = 0; j < i; j++) r += t[j].kind == t[i].kind && t[j].pair == t[i].pair && has_value(&t[j]);
  return r;
}

/* Each pair's baseline run joined to its best run (the same pair number; the k-th of each when
 * a number repeats). Returns 1 when a segment was drawn. */
static int put_pairs(const chart *c, const elmo_chart_trial *t, size_t n) {
  int any = 0;
  for (size_t i = 0; i < n; i++) {
    int partner = pair_partner(t[i].kind);
    if (partner < 0 || t[i].pair == 0 || !has_value(&t[i])) continue;
    size_t rank = rank_in_pair(t, i), seen = 0;
    for (size_t j = 0; j < n; j++) {
      if ((int)t[j].kind != partner || t[j].pair != t[i].pair || !has_value(&t[j])) continue;
      if (seen++ != rank) continue;
      const char *family = t[i].kind == ELMO_RECORD_CONFIRM_BASE  ? "confirm"
                           : t[i].kind == ELMO_RECORD_REPLAY_BASE ? "replay"
                                                                  : "migrate";
      elmo_number_fprintf(c->f, "<line class=\"pair %s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                                "stroke=\"%s\" stroke-width=\"1.5\"/>\n",
                          family, x_px(c, t[i].trial), y_px(c, t[i].value), x_px(c, t[j].trial),
                          y_px(c, t[j].value), COLOR_PAIR);
      any = 1;
      break;
    }
  }
  return any;
}

/* A dashed line between the search and the confirmation runs that follow it. */
static void put_divider(const chart *c, const elmo_chart_trial *t, size_t n) {
  for (size_t i = 1; i < n; i++) {
    if (is_search(t[i].kind) || !is_search(t[i - 1].kind)) continue;
    double x = (x_px(c, t[i - 1].trial) + x_px(c, t[i].trial)) / 2.0;
    elmo_number_fprintf(c->f, "<path class=\"divider\" d=\"M%.1f %.1fV%.1f\" stroke=\"%s\" stroke-dasharray=\"4 3\"/>\n"
                              "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"%s\" stroke=\"#ffffff\" "
                              "stroke-width=\"3\" paint-order=\"stroke\">confirmation</text>\n",
                        x, c->t, c->b, COLOR_FAINT, x + 4.0, c->t + 12.0, COLOR_FAINT);
    return;
  }
}

/* Where a point's label goes so that it stays inside the plot. */
static const char *label_anchor(double x) {
  return x > PLOT_R - 50.0 ? "end" : x < PLOT_L + 50.0 ? "start" : "middle";
}

/* The best at the end: a ring and its value (below the point when above would leave the plot). */
static void put_best_label(const chart *c, const elmo_chart_trial *t, size_t n) {
  char v[32];
  for (size_t i = 0; i < n; i++) {
    if (!t[i].is_best || !has_value(&t[i])) continue;
    double x = x_px(c, t[i].trial), y = y_px(c, t[i].value);
    double ty = y - 12.0 < c->t + 10.0 ? y + 22.0 : y - 12.0;
    elmo_report_fmt_short(t[i].value, v, sizeof v);
    elmo_number_fprintf(c->f, "<circle class=\"best\" cx=\"%.1f\" cy=\"%.1f\" r=\"8.5\" fill=\"none\" stroke=\"%s\" "
                              "stroke-width=\"2\"/>\n<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" "
                              "font-weight=\"bold\" fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"3\" "
                              "paint-order=\"stroke\">best: %s</text>\n",
                        x, y, COLOR_BEST, x, ty, label_anchor(x), COLOR_BEST, v);
    return;
  }
}

/* The legend: the kinds that appear (in the story's order), the step line, the crosses. */
static void put_trial_legend(const chart *c, const elmo_chart_trial *t, size_t n, int steps, const char *best_label) {
  int row = 0, failed = 0;
  unsigned seen = 0;
  for (size_t i = 0; i < n; i++) {
    if (!has_value(&t[i])) failed = 1;
    else seen |= 1u << style_id(&t[i]);
  }
  fputs("<g class=\"legend\" font-size=\"11\">\n", c->f);
  for (size_t k = 0; k < sizeof kLegendOrder / sizeof kLegendOrder[0]; k++) {
    if (!(seen & (1u << kLegendOrder[k]))) continue;
    const kind_style *st = &kStyles[kLegendOrder[k]];
    open_legend_row(c, st->cls, row++);
    put_shape(c->f, st);
    put_legend_label(c, st->legend);
  }
  if (steps) {
    open_legend_row(c, "best-so-far", row++);
    fprintf(c->f, "<path d=\"M-8 4H0V-4H8\" fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\"/>", COLOR_BEST);
    put_legend_label(c, best_label ? best_label : "best so far");
  }
  if (failed) {
    open_legend_row(c, "failed", row++);
    fprintf(c->f, "<path d=\"M-4 -4L4 4M-4 4L4 -4\" stroke=\"%s\" stroke-width=\"2\"/>", COLOR_FAIL);
    put_legend_label(c, "failed / aborted");
  }
  fputs("</g>\n", c->f);
}

char *elmo_report_svg_chart(const elmo_trial_chart *tc) {
  if (tc == NULL) return NULL;
  const elmo_chart_trial *t = tc->trials;
  size_t n = t != NULL ? tc->n_trials : 0, n_notes = tc->notes != NULL ? tc->n_notes : 0;
  report_stream st;
  if (elmo_report_stream_open(&st) != 0) return NULL;
  chart c;
  layout(&c, st.f, n_notes);
  range r = {0, 0, 0};
  for (size_t i = 0; i < n; i++) range_add(&r, t[i].value);
  scale_y(&c, r);
  c.x0 = n > 0 ? t[0].trial : 0, c.x1 = c.x0;
  for (size_t i = 0; i < n; i++) c.x0 = fmin(c.x0, t[i].trial), c.x1 = fmax(c.x1, t[i].trial);
  put_header(&c, tc->title ? tc->title : "", tc->y_label ? tc->y_label : "", tc->notes, n_notes);
  put_axes(&c);
  put_divider(&c, t, n);
  int steps = put_best_steps(&c, t, n);
  put_pairs(&c, t, n);
  for (size_t i = 0; i < n; i++) {
    if (has_value(&t[i])) put_marker(&c, &t[i]);
  }
  for (size_t i = 0; i < n; i++) {
    if (!has_value(&t[i])) put_failed(&c, &t[i]);
  }
  put_best_label(&c, t, n);
  put_trial_legend(&c, t, n, steps, tc->best_label);
  if (r.n == 0) put_no_data(&c, n == 0 ? "no trials" : "no successful trial");
  fputs("</svg>\n", st.f);
  return elmo_report_stream_close(&st);
}

/* ---- the progress chart ---------------------------------------------------------------------- */

static const char *const kPalette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                       "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
#define N_PALETTE (sizeof kPalette / sizeof kPalette[0])
static const char *const kDashes[] = {"", " stroke-dasharray=\"7 3\"", " stroke-dasharray=\"2 3\"",
                                      " stroke-dasharray=\"9 3 2 3\""};

static const char *series_color(size_t i) { return kPalette[i % N_PALETTE]; }
static const char *series_dash(size_t i) { return kDashes[(i / N_PALETTE) % (sizeof kDashes / sizeof kDashes[0])]; }

/* names[i], or "series <i>" in buf. */
static const char *series_name(const char *const *names, size_t i, char *buf, size_t n) {
  if (names != NULL && names[i] != NULL) return names[i];
  snprintf(buf, n, "series %zu", i);
  return buf;
}

static void put_improvement(const chart *c, size_t i, const char *name, size_t j, double v) {
  char label[32];
  elmo_report_fmt_short(v, label, sizeof label);
  elmo_number_fprintf(c->f, "<circle class=\"improvement\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>",
                      x_px(c, (double)j), y_px(c, v), series_color(i));
  elmo_report_put(c->f, name, REPORT_ESC_XML);
  fprintf(c->f, ", trial %zu: %s</title></circle>\n", j, label);
}

/* One series as a step line (a NaN lifts the pen), then a dot at each value it reached. */
static void put_progress_series(const chart *c, size_t i, const double *v, size_t len, const char *name) {
  double pen = NAN, last = NAN, last_x = NAN; /* the pen's x, the value it is at, the last trial's x */
  int down = 0, opened = 0;
  for (size_t j = 0; j <= len; j++) {
    int ok = j < len && isfinite(v[j]);
    if (!ok) {
      if (down && last_x != pen) elmo_number_fprintf(c->f, "H%.1f", last_x);
      down = 0;
      continue;
    }
    double x = x_px(c, (double)j), y = y_px(c, v[j]);
    if (!opened)
      fprintf(c->f, "<path class=\"progress\" fill=\"none\" stroke=\"%s\" stroke-width=\"2.2\"%s d=\"",
              series_color(i), series_dash(i));
    if (!down) elmo_number_fprintf(c->f, "M%.1f %.1f", x, y);
    else if (v[j] != last) elmo_number_fprintf(c->f, "H%.1fV%.1f", x, y);
    if (!down || v[j] != last) pen = x;
    opened = down = 1, last = v[j], last_x = x;
  }
  if (!opened) return;
  fputs("\"/>\n", c->f);
  last = NAN;
  for (size_t j = 0; j < len; j++) {
    if (isfinite(v[j]) && v[j] != last) put_improvement(c, i, name, j, v[j]);
    last = v[j];
  }
}

char *elmo_report_svg_progress(const char *title, const char *y_label, const double *const *series,
                               const size_t *lengths, const char *const *names, size_t n_series) {
  if (series == NULL || lengths == NULL) n_series = 0;
  report_stream st;
  if (elmo_report_stream_open(&st) != 0) return NULL;
  chart c;
  layout(&c, st.f, 0);
  range r = {0, 0, 0};
  size_t longest = 0;
  for (size_t i = 0; i < n_series; i++) {
    if (series[i] == NULL) continue;
    for (size_t j = 0; j < lengths[i]; j++) range_add(&r, series[i][j]);
    if (lengths[i] > longest) longest = lengths[i];
  }
  scale_y(&c, r);
  c.x0 = 0, c.x1 = longest > 0 ? (double)(longest - 1) : 0;
  put_header(&c, title ? title : "", y_label ? y_label : "", NULL, 0);
  put_axes(&c);
  char name[32];
  for (size_t i = 0; i < n_series; i++) {
    if (series[i] != NULL) put_progress_series(&c, i, series[i], lengths[i], series_name(names, i, name, sizeof name));
  }
  fputs("<g class=\"legend\" font-size=\"11\">\n", st.f);
  for (size_t i = 0; i < n_series; i++) {
    open_legend_row(&c, "series", (int)i);
    fprintf(st.f, "<path d=\"M-8 0H8\" stroke=\"%s\" stroke-width=\"2.2\"%s/><circle r=\"3\" fill=\"%s\"/>",
            series_color(i), series_dash(i), series_color(i));
    put_legend_label(&c, series_name(names, i, name, sizeof name));
  }
  fputs("</g>\n", st.f);
  if (r.n == 0) put_no_data(&c, "no data");
  fputs("</svg>\n", st.f);
  return elmo_report_stream_close(&st);
}
