/* model_phase.c — the rate model of a run of QPS windows, and phase detection over the windows
 * by op-mix shifts. See model.h for the rules. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "elmo/number.h"

#define SINE_MIN_POINTS 8
#define SINE_MIN_REL_AMPLITUDE 0.1
#define FLAT_MAX_CV 0.25
#define FLAT_MAX_REL_DRIFT 0.1

static void series_stats(const double *q, size_t n, double *mean, double *cv) {
  double s = 0, ss = 0;
  for (size_t i = 0; i < n; i++) s += q[i];
  *mean = n ? s / (double)n : 0;
  for (size_t i = 0; i < n; i++) ss += (q[i] - *mean) * (q[i] - *mean);
  *cv = n > 1 && *mean > 0 ? sqrt(ss / (double)(n - 1)) / *mean : 0;
}

static int sine_good(const elmo_model_rate_report *rr, const elmo_model_options *o) {
  return rr->has_sine && rr->n_points >= SINE_MIN_POINTS && rr->sine.r2 >= o->min_r2 &&
         rr->sine.a >= SINE_MIN_REL_AMPLITUDE * rr->mean_qps && rr->sine.d > rr->sine.a;
}

static int series_flat(const elmo_model_rate_report *rr) {
  if (rr->cv >= FLAT_MAX_CV) return 0;
  if (!rr->has_trend || !rr->trend.significant) return 1;
  double span = rr->t_sec[rr->n_points - 1] - rr->t_sec[0];
  return fabs(rr->trend.slope) * span < FLAT_MAX_REL_DRIFT * rr->mean_qps;
}

/* Chooses the rate from the fitted series. */
static void choose_rate(elmo_model_rate_report *rr, const elmo_model_options *o) {
  elmo_spec_rate *rate = &rr->rate;
  memset(rate, 0, sizeof *rate);
  const char *why;
  if (o->rate_policy == ELMO_MODEL_RATE_UNLIMITED || rr->mean_qps <= 0) {
    rate->kind = ELMO_RATE_UNLIMITED;
    why = rr->mean_qps <= 0 ? "no rate measurable" : "unlimited: closed loop by the options";
  } else if (o->rate_policy == ELMO_MODEL_RATE_FIXED) {
    rate->kind = ELMO_RATE_FIXED, rate->qps = rr->mean_qps,
    why = "fixed at the mean by the options";
  } else if (sine_good(rr, o)) {
    rate->kind = ELMO_RATE_SINE;
    rate->a = rr->sine.a, rate->b = rr->sine.b, rate->c = rr->sine.c, rate->d = rr->sine.d;
    why = "sine: the periodic fit is good";
  } else if (rr->n_points < 3 || series_flat(rr)) {
    rate->kind = ELMO_RATE_FIXED, rate->qps = rr->mean_qps;
    why = rr->n_points < 3 ? "fixed at the mean (too few windows to test a trend)"
                           : "fixed at the mean: flat (no material trend, low variation)";
  } else {
    rate->kind = ELMO_RATE_UNLIMITED;
    why = "unlimited: neither flat nor periodic (a closed-loop client looks like this)";
  }
  elmo_number_snprintf(rr->note, sizeof rr->note, "%s; %zu windows, mean %.1f ops/s, cv %.3f%s%s", why,
           rr->n_points, rr->mean_qps, rr->cv,
           rr->has_trend && rr->trend.significant ? ", trend" : "",
           rr->has_sine       ? ""
           : rr->n_points < 5 ? ", no sine fit (< 5 windows)"
                              : ", no sine fit (constant)");
}

elmo_rc model_rate(const elmo_trace_summary *sum, size_t first, size_t count,
                   const elmo_model_options *o, elmo_spec_rate *rate, elmo_model_rate_report *rr,
                   elmo_error *err) {
  elmo_model_rate_report local;
  elmo_model_rate_report *w = rr ? rr : &local;
  memset(w, 0, sizeof *w);
  if (model_qps_series(sum, first, count, &w->t_sec, &w->qps, &w->n_points) != ELMO_OK) {
    return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  }
  double t0 = w->n_points ? w->t_sec[0] : 0, half = (double)sum->window_us / 2e6;
  for (size_t i = 0; i < w->n_points; i++) w->t_sec[i] += half - t0; /* window centres */
  series_stats(w->qps, w->n_points, &w->mean_qps, &w->cv);
  elmo_error e;
  if (w->n_points >= 3)
    w->has_trend = elmo_fit_trend(w->t_sec, w->qps, w->n_points, 0.05, &w->trend, &e) == ELMO_OK;
  if (w->n_points >= 5 && w->cv > 0) {
    w->has_sine = elmo_fit_sine(w->t_sec, w->qps, w->n_points, &w->sine, &e) == ELMO_OK;
  }
  choose_rate(w, o);
  for (size_t i = 0; i < w->n_points; i++) w->t_sec[i] += t0 - half; /* back to window starts */
  *rate = w->rate;
  if (rr == NULL) free(w->t_sec), free(w->qps);
  return ELMO_OK;
}

/* ---- phases ------------------------------------------------------------------------------- */

typedef struct segment {
  size_t w0, w1; /* windows [w0, w1) */
  uint64_t counts[ELMO_TRACE_KIND_COUNT];
  uint64_t ops;
} segment;

static void seg_add(segment *s, const elmo_trace_window *w) {
  for (int k = 0; k < ELMO_TRACE_KIND_COUNT; k++) s->counts[k] += w->counts[k];
  s->ops += w->total;
}

static double seg_tvd(const segment *a, const segment *b) {
  double ma[ELMO_SPEC_OP_COUNT], mb[ELMO_SPEC_OP_COUNT];
  model_mix_fractions(a->counts, ma);
  model_mix_fractions(b->counts, mb);
  return model_mix_tvd(ma, mb);
}

static void seg_merge(segment *s, size_t *n, size_t i) { /* s[i] absorbs s[i+1] */
  s[i].w1 = s[i + 1].w1, s[i].ops += s[i + 1].ops;
  for (int k = 0; k < ELMO_TRACE_KIND_COUNT; k++) s[i].counts[k] += s[i + 1].counts[k];
  memmove(s + i + 1, s + i + 2, (*n - i - 2) * sizeof *s);
  (*n)--;
}

/* Scans window groups; a group whose mix is over shift_tvd from its segment starts a new one. */
static size_t segment_windows(const elmo_trace_summary *sum, const elmo_model_options *o,
                              segment *seg) {
  size_t n = 0;
  segment g = {0};
  for (size_t i = 0; i < sum->n_windows; i++) {
    if (g.ops == 0) memset(&g, 0, sizeof g), g.w0 = i;
    seg_add(&g, &sum->windows[i]);
    g.w1 = i + 1;
    if (g.ops < o->min_group_ops && i + 1 < sum->n_windows) continue;
    if (n > 0 && (g.ops < o->min_group_ops / 2 || seg_tvd(&seg[n - 1], &g) <= o->shift_tvd)) {
      seg[n++] = g;
      seg_merge(seg, &n, n - 2);
    } else {
      seg[n++] = g;
    }
    g.ops = 0;
  }
  return n;
}

/* Merges the closest adjacent pair while one is within shift_tvd or there are too many. */
static void merge_segments(segment *seg, size_t *n, const elmo_model_options *o) {
  while (*n > 1) {
    size_t best = 0;
    double bd = 2;
    for (size_t i = 0; i + 1 < *n; i++) {
      double d = seg_tvd(&seg[i], &seg[i + 1]);
      if (d < bd) bd = d, best = i;
    }
    if (bd > o->shift_tvd && *n <= o->max_phases) return;
    seg_merge(seg, n, best);
  }
}

static elmo_rc fill_phase(const elmo_trace_summary *sum, const segment *s, const segment *prev,
                          int last, elmo_model_report *r, elmo_model_phase_report *p,
                          elmo_error *err) {
  memset(p, 0, sizeof *p);
  p->start_sec = (double)sum->windows[s->w0].start_us / 1e6;
  double end = last ? (double)sum->duration_us / 1e6 : (double)sum->windows[s->w1].start_us / 1e6;
  if (end <= p->start_sec) end = p->start_sec + (double)sum->window_us / 1e6;
  p->duration_sec = end - p->start_sec;
  p->ops = s->ops;
  model_mix_fractions(s->counts, p->mix);
  p->tvd_from_previous = prev ? seg_tvd(prev, s) : 0;
  return model_rate(sum, s->w0, s->w1 - s->w0, &r->options, &p->rate, NULL, err);
}

elmo_rc model_phases(const elmo_trace_summary *sum, elmo_model_report *r, elmo_error *err) {
  r->n_phases = 0;
  if (sum->n_windows == 0)
    return elmo_error_set(err, ELMO_EINVAL, "model: the summary has no windows");
  segment *seg = calloc(sum->n_windows, sizeof *seg);
  if (seg == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  size_t n = segment_windows(sum, &r->options, seg);
  merge_segments(seg, &n, &r->options);
  elmo_rc rc = ELMO_OK;
  for (size_t i = 0; i < n && rc == ELMO_OK; i++) {
    rc = fill_phase(sum, &seg[i], i ? &seg[i - 1] : NULL, i + 1 == n, r, &r->phases[i], err);
  }
  r->n_phases = rc == ELMO_OK ? n : 0;
  free(seg);
  return rc;
}
