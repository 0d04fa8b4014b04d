/* report_svg.c — a self-contained SVG line chart of one value per trial (no fonts or scripts). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elmo/tuner.h"
#include "report_internal.h"
#include "elmo/number.h"

/* Geometry, in px. */
#define CHART_W 720
#define CHART_H 360
#define PLOT_L 72.0 /* left edge of the plot area: room for the tick labels */
#define PLOT_R 700.0
#define PLOT_T 44.0  /* below the title */
#define PLOT_B 304.0 /* above the x tick labels and the axis label */
#define PAD_X 16.0   /* between the y axis and the first point, and after the last */
#define MAX_X_LABELS 15

#define COLOR_LINE "#1f77b4"
#define COLOR_BEST "#2ca02c"
#define COLOR_FAIL "#d62728"
#define COLOR_GRID "#e6e6e6"
#define COLOR_AXIS "#444444"
#define COLOR_TEXT "#222222"

/* The y axis: [lo, hi] in steps of step (the values' unit). */
typedef struct chart_scale {
  double lo, hi, step;
  size_t n; /* points on the x axis */
} chart_scale;

/* 1, 2, 2.5 or 5 times a power of ten, at least raw. */
static double nice_step(double raw) {
  double p = pow(10.0, floor(log10(raw)));
  double f = raw / p;
  double nice = f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 2.5 ? 2.5 : f <= 5.0 ? 5.0 : 10.0;
  return nice * p;
}

/* A range from 0 (or the lowest negative value) to the highest value, in 3 to 6 nice steps. */
static chart_scale scale_for(const double *v, size_t n) {
  chart_scale sc = {0.0, 0.0, 0.0, n};
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(v[i])) continue;
    if (v[i] < sc.lo) sc.lo = v[i];
    if (v[i] > sc.hi) sc.hi = v[i];
  }
  if (!(sc.hi - sc.lo > 0.0)) sc.hi = sc.lo + 1.0; /* no data, or every value 0 */
  sc.step = nice_step((sc.hi - sc.lo) / 5.0);
  double lo = floor(sc.lo / sc.step + 1e-9) * sc.step;
  double hi = ceil(sc.hi / sc.step - 1e-9) * sc.step;
  if (!isfinite(sc.step) || !(sc.step > 0.0) || !isfinite(lo) || !isfinite(hi) || !(hi > lo)) {
    lo = 0.0, hi = 1.0, sc.step = 0.25; /* a range beyond what a double can step through */
  }
  sc.lo = lo;
  sc.hi = hi;
  return sc;
}

static double x_px(const chart_scale *sc, size_t i) {
  if (sc->n <= 1) return (PLOT_L + PLOT_R) / 2.0;
  return PLOT_L + PAD_X + (double)i * (PLOT_R - PLOT_L - 2.0 * PAD_X) / (double)(sc->n - 1);
}

static double y_px(const chart_scale *sc, double v) {
  return PLOT_B - (v - sc->lo) / (sc->hi - sc->lo) * (PLOT_B - PLOT_T);
}

/* The divisor and suffix that fit the largest tick: 1e9 "G", 1e6 "M", 1e4.. "k", else none. */
static double tick_divisor(const chart_scale *sc, const char **suffix) {
  double m = fmax(fabs(sc->lo), fabs(sc->hi));
  *suffix = m >= 1e9 ? "G" : m >= 1e6 ? "M" : m >= 1e4 ? "k" : "";
  return m >= 1e9 ? 1e9 : m >= 1e6 ? 1e6 : m >= 1e4 ? 1e3 : 1.0;
}

/* A tick value with as many decimals as the step needs (at most 6). */
static void fmt_tick(const chart_scale *sc, double v, char *buf, size_t n) {
  const char *suffix;
  double div = tick_divisor(sc, &suffix);
  if (fabs(v) < sc->step * 1e-6) {
    snprintf(buf, n, "0");
    return;
  }
  double s = sc->step / div;
  int d = 0;
  while (d < 6 && fabs(s * pow(10.0, d) - round(s * pow(10.0, d))) > 1e-6 * s * pow(10.0, d)) d++;
  elmo_number_snprintf(buf, n, "%.*f%s", d, v / div, suffix);
}

static void put_header(FILE *f, const char *title, const char *y_label) {
  fprintf(f,
          "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
          "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\" fill=\"%s\">\n",
          CHART_W, CHART_H, CHART_W, CHART_H, COLOR_TEXT);
  fputs("<title>", f);
  elmo_report_put(f, title, REPORT_ESC_XML);
  fprintf(f, "</title>\n<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", CHART_W, CHART_H);
  elmo_number_fprintf(f,
          "<text x=\"%.1f\" y=\"26\" text-anchor=\"middle\" font-size=\"16\" "
          "font-weight=\"bold\">",
          CHART_W / 2.0);
  elmo_report_put(f, title, REPORT_ESC_XML);
  fputs("</text>\n", f);
  double cy = (PLOT_T + PLOT_B) / 2.0;
  elmo_number_fprintf(f, "<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 16 %.1f)\">",
          cy, cy);
  elmo_report_put(f, y_label, REPORT_ESC_XML);
  fputs("</text>\n", f);
}

/* Grid lines with their labels, the two axes, the x ticks and the "trial" label. */
static void put_axes(FILE *f, const chart_scale *sc) {
  char label[48];
  size_t ticks = (size_t)llround((sc->hi - sc->lo) / sc->step);
  fputs("<g class=\"y-axis\" font-size=\"11\" text-anchor=\"end\">\n", f);
  for (size_t t = 0; t <= ticks && t <= 20; t++) {
    double v = sc->lo + (double)t * sc->step, y = y_px(sc, v);
    fmt_tick(sc, v, label, sizeof label);
    elmo_number_fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>", PLOT_L, y,
            PLOT_R, y, COLOR_GRID);
    elmo_number_fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", PLOT_L - 6.0, y + 4.0, label);
  }
  fputs("</g>\n", f);
  elmo_number_fprintf(f, "<path class=\"axes\" d=\"M%.1f %.1fV%.1fH%.1f\" fill=\"none\" stroke=\"%s\"/>\n",
          PLOT_L, PLOT_T, PLOT_B, PLOT_R, COLOR_AXIS);
  size_t every = sc->n <= MAX_X_LABELS ? 1 : (sc->n + MAX_X_LABELS - 1) / MAX_X_LABELS;
  fputs("<g class=\"x-axis\" font-size=\"11\" text-anchor=\"middle\">\n", f);
  for (size_t i = 0; i < sc->n; i += every) {
    double x = x_px(sc, i);
    elmo_number_fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>", x, PLOT_B,
            x, PLOT_B + 4.0, COLOR_AXIS);
    elmo_number_fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">%zu</text>\n", x, PLOT_B + 17.0, i);
  }
  elmo_number_fprintf(f, "</g>\n<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">trial</text>\n",
          (PLOT_L + PLOT_R) / 2.0, PLOT_B + 38.0);
}

/* One path through the finite values; a NaN starts a new piece (a gap). */
static void put_series(FILE *f, const chart_scale *sc, const double *v) {
  int any = 0, pen_down = 0;
  for (size_t i = 0; i < sc->n; i++) {
    if (!isfinite(v[i])) {
      pen_down = 0;
      continue;
    }
    if (!any)
      fprintf(f,
              "<path class=\"series\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
              "stroke-linejoin=\"round\" d=\"",
              COLOR_LINE);
    elmo_number_fprintf(f, "%s%s%.1f %.1f", any ? " " : "", pen_down ? "L" : "M", x_px(sc, i), y_px(sc, v[i]));
    any = pen_down = 1;
  }
  if (any) fputs("\"/>\n", f);
}

/* Where a point's label goes so that it stays inside the plot. */
static const char *label_anchor(double x) {
  return x > PLOT_R - 50.0 ? "end" : x < PLOT_L + 50.0 ? "start" : "middle";
}

/* Dots on the finite values (highlighted ones bigger, with their value), red crosses on the
 * baseline of the axis for the others. Returns bit 1 when a failure was drawn, bit 2 a best. */
static int put_points(FILE *f, const chart_scale *sc, const double *v, const int *highlight) {
  int drawn = 0;
  char label[32];
  for (size_t i = 0; i < sc->n; i++) {
    double x = x_px(sc, i);
    if (!isfinite(v[i])) {
      elmo_number_fprintf(f,
              "<path class=\"failed\" d=\"M%.1f %.1fL%.1f %.1fM%.1f %.1fL%.1f %.1f\" "
              "stroke=\"%s\" stroke-width=\"2.5\"><title>trial %zu: no result</title></path>\n",
              x - 5, PLOT_B - 5, x + 5, PLOT_B + 5, x - 5, PLOT_B + 5, x + 5, PLOT_B - 5,
              COLOR_FAIL, i);
      drawn |= 1;
      continue;
    }
    double y = y_px(sc, v[i]);
    elmo_report_fmt_short(v[i], label, sizeof label);
    if (highlight != NULL && highlight[i]) {
      elmo_number_fprintf(f,
              "<circle class=\"best\" cx=\"%.1f\" cy=\"%.1f\" r=\"6\" fill=\"%s\" "
              "stroke=\"#ffffff\" stroke-width=\"1.5\"><title>trial %zu: %s</title></circle>\n",
              x, y, COLOR_BEST, i, label);
      elmo_number_fprintf(f,
              "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-weight=\"bold\" "
              "fill=\"%s\">best: %s</text>\n",
              x, y - 11.0, label_anchor(x), COLOR_BEST, label);
      drawn |= 2;
    } else {
      elmo_number_fprintf(f,
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>trial %zu: %s"
              "</title></circle>\n",
              x, y, COLOR_LINE, i, label);
    }
  }
  return drawn;
}

/* A legend for the marks that appear, top right; a note when there is nothing to draw. */
static void put_legend(FILE *f, int drawn, size_t n_finite, size_t n) {
  double x = PLOT_R - 110.0, y = 14.0;
  fputs("<g class=\"legend\" font-size=\"11\">\n", f);
  if (drawn & 2) {
    elmo_number_fprintf(f,
            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"/>"
            "<text x=\"%.1f\" y=\"%.1f\">best</text>\n",
            x, y, COLOR_BEST, x + 10.0, y + 4.0);
    y += 16.0;
  }
  if (drawn & 1) {
    elmo_number_fprintf(f,
            "<path d=\"M%.1f %.1fL%.1f %.1fM%.1f %.1fL%.1f %.1f\" stroke=\"%s\" "
            "stroke-width=\"2\"/><text x=\"%.1f\" y=\"%.1f\">failed / aborted</text>\n",
            x - 4, y - 4, x + 4, y + 4, x - 4, y + 4, x + 4, y - 4, COLOR_FAIL, x + 10.0, y + 4.0);
  }
  fputs("</g>\n", f);
  if (n_finite == 0) {
    elmo_number_fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#888888\">%s</text>\n",
            (PLOT_L + PLOT_R) / 2.0, (PLOT_T + PLOT_B) / 2.0,
            n == 0 ? "no trials" : "no successful trial");
  }
}

char *elmo_report_svg_chart(const char *title, const char *y_label, const double *values, size_t n,
                            const int *highlight) {
  if (values == NULL) n = 0;
  report_stream st;
  if (elmo_report_stream_open(&st) != 0) return NULL;
  chart_scale sc = scale_for(values, n);
  size_t n_finite = 0;
  for (size_t i = 0; i < n; i++) n_finite += isfinite(values[i]) ? 1 : 0;
  put_header(st.f, title ? title : "", y_label ? y_label : "");
  put_axes(st.f, &sc);
  if (n > 0) put_series(st.f, &sc, values);
  int drawn = n > 0 ? put_points(st.f, &sc, values, highlight) : 0;
  put_legend(st.f, drawn, n_finite, n);
  fputs("</svg>\n", st.f);
  return elmo_report_stream_close(&st);
}
