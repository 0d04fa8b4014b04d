/* model_data.c — samples for modeling, taken from a trace summary: the op mix, histogram bins,
 * the QPS series and the key-access rank sample. See model.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "elmo/number.h"

void model_mix_counts(const uint64_t c[ELMO_TRACE_KIND_COUNT], double out[ELMO_SPEC_OP_COUNT]) {
  out[ELMO_SPEC_GET] = (double)c[ELMO_TRACE_GET];
  out[ELMO_SPEC_MULTIGET] = (double)c[ELMO_TRACE_MULTIGET];
  out[ELMO_SPEC_SEEK] = (double)(c[ELMO_TRACE_SEEK] + c[ELMO_TRACE_SEEK_FOR_PREV]);
  out[ELMO_SPEC_PUT] = (double)c[ELMO_TRACE_PUT];
  out[ELMO_SPEC_MERGE] = (double)c[ELMO_TRACE_MERGE];
  out[ELMO_SPEC_DELETE] =
      (double)(c[ELMO_TRACE_DELETE] + c[ELMO_TRACE_SINGLE_DELETE] + c[ELMO_TRACE_DELETE_RANGE]);
}

void model_mix_fractions(const uint64_t c[ELMO_TRACE_KIND_COUNT], double out[ELMO_SPEC_OP_COUNT]) {
  model_mix_counts(c, out);
  double total = 0;
  for (int i = 0; i < ELMO_SPEC_OP_COUNT; i++) total += out[i];
  for (int i = 0; i < ELMO_SPEC_OP_COUNT; i++) out[i] = total > 0 ? out[i] / total : 0;
}

double model_mix_tvd(const double a[ELMO_SPEC_OP_COUNT], const double b[ELMO_SPEC_OP_COUNT]) {
  double s = 0;
  for (int i = 0; i < ELMO_SPEC_OP_COUNT; i++) s += fabs(a[i] - b[i]);
  return s / 2;
}

elmo_rc model_hist_bins(const elmo_trace_hist *h, elmo_hist_bin **bins, size_t *n) {
  *bins = NULL, *n = 0;
  if (h->count == 0 || h->n_buckets == 0) return ELMO_OK;
  elmo_hist_bin *b = calloc(h->n_buckets, sizeof *b);
  if (b == NULL) return ELMO_ENOMEM;
  for (size_t i = 0; i < h->n_buckets; i++) { /* midpoints of the buckets cut to [min, max] */
    const elmo_trace_bucket *k = &h->buckets[i];
    uint64_t lo = k->lo > h->min ? k->lo : h->min, hi = k->hi < h->max ? k->hi : h->max;
    b[i].value = ((double)lo + (double)hi) / 2;
    b[i].count = k->count;
  }
  *bins = b, *n = h->n_buckets;
  return ELMO_OK;
}

/* The part of window i inside the trace, microseconds (the last window may be cut short). */
static uint64_t window_length(const elmo_trace_summary *sum, size_t i) {
  uint64_t start = sum->windows[i].start_us;
  if (start + sum->window_us <= sum->duration_us) return sum->window_us;
  return sum->duration_us > start ? sum->duration_us - start : 0;
}

elmo_rc model_qps_series(const elmo_trace_summary *sum, size_t first, size_t count, double **t,
                         double **qps, size_t *n) {
  *t = NULL, *qps = NULL, *n = 0;
  if (count == 0 || sum->window_us == 0) return ELMO_OK;
  double *tt = calloc(count, sizeof *tt), *qq = calloc(count, sizeof *qq);
  if (tt == NULL || qq == NULL) {
    free(tt), free(qq);
    return ELMO_ENOMEM;
  }
  size_t m = 0, end = first + count < sum->n_windows ? first + count : sum->n_windows;
  for (size_t i = first; i < end; i++) {
    uint64_t len = window_length(sum, i);
    /* a cut window is kept only when it is all there is, then at its covered length */
    if (len < sum->window_us && !(m == 0 && i + 1 == end)) continue;
    if (len == 0) len = sum->window_us; /* every op at one instant */
    tt[m] = (double)sum->windows[i].start_us / 1e6;
    qq[m] = (double)sum->windows[i].total / ((double)len / 1e6);
    m++;
  }
  *t = tt, *qps = qq, *n = m;
  return ELMO_OK;
}

double model_fit_score(const elmo_dist *d, const elmo_gof *g) {
  double n = g->n > 0 ? (double)g->n : 1;
  return g->ks_d + 0.5 * (double)elmo_dist_free_params(d) / sqrt(n);
}

/* ---- the rank sample ---------------------------------------------------------------------- */

/* Removes one key of count c from the freq buckets (the exact top list holds it). */
static void take_from_freq(elmo_trace_bucket *fb, size_t nb, uint64_t c) {
  for (size_t i = 0; i < nb; i++) {
    if (c >= fb[i].lo && c <= fb[i].hi && fb[i].count > 0) {
      fb[i].count--;
      return;
    }
  }
}

static elmo_rc exact_rank_bins(const elmo_trace_class_summary *cs, elmo_hist_bin *out, size_t *n) {
  size_t nb = cs->freq.n_buckets, r = 0;
  elmo_trace_bucket *fb = calloc(nb ? nb : 1, sizeof *fb);
  if (fb == NULL) return ELMO_ENOMEM;
  memcpy(fb, cs->freq.buckets, nb * sizeof *fb);
  for (size_t i = 0; i < cs->n_ranked && r < cs->distinct; i++) {
    out[r].value = (double)(r + 1), out[r].count = cs->ranked[i], r++;
    take_from_freq(fb, nb, cs->ranked[i]);
  }
  for (size_t i = nb; i-- > 0 && r < cs->distinct;) { /* buckets descend from the top */
    uint64_t m = fb[i].count;
    for (uint64_t j = 0; j < m && r < cs->distinct; j++) {
      double span = (double)(fb[i].hi - fb[i].lo);
      double c = (double)fb[i].hi - span * ((double)j + 0.5) / (double)m;
      out[r].value = (double)(r + 1), out[r].count = (uint64_t)llround(c), r++;
    }
  }
  free(fb);
  *n = r;
  return ELMO_OK;
}

/* Bins for the flat tail of an approximate class: at most this many, so the rank sample stays
 * bounded however many distinct keys the HyperLogLog estimates. */
#define MODEL_TAIL_BINS ((uint64_t)1 << 18)

/* The top keys exactly, then the remaining accesses split evenly over the remaining (estimated)
 * keys. Past MODEL_TAIL_BINS tail keys, consecutive ranks are grouped: a bin's value is its
 * middle rank and its count the group's accesses. */
static void approx_rank_bins(const elmo_trace_class_summary *cs, elmo_hist_bin *out, size_t *n) {
  size_t r = 0;
  uint64_t top = 0;
  for (size_t i = 0; i < cs->n_ranked; i++) {
    out[r].value = (double)(r + 1), out[r].count = cs->ranked[i], r++;
    top += cs->ranked[i];
  }
  uint64_t rest = cs->accesses > top ? cs->accesses - top : 0;
  uint64_t tail = cs->distinct > r ? cs->distinct - r : 0;
  uint64_t group = tail > MODEL_TAIL_BINS ? (tail + MODEL_TAIL_BINS - 1) / MODEL_TAIL_BINS : 1;
  uint64_t first = r; /* ranks r+1 .. r+tail */
  for (uint64_t j = 0; j < tail && rest > 0; j += group) {
    uint64_t g = tail - j < group ? tail - j : group, rem = rest % tail;
    uint64_t extra = rem > j ? (rem - j < g ? rem - j : g) : 0; /* ranks k < rem get one more */
    uint64_t c = g * (rest / tail) + extra;
    out[r].value = (double)(first + j + 1) + (double)(g - 1) / 2, out[r].count = c, r++;
  }
  *n = r;
}

elmo_rc elmo_model_rank_bins(const elmo_trace_class_summary *cs, elmo_hist_bin **bins, size_t *n,
                             elmo_error *err) {
  if (bins) *bins = NULL;
  if (n) *n = 0;
  if (cs == NULL || bins == NULL || n == NULL) {
    return elmo_error_set(err, ELMO_EINVAL, "model_rank_bins: NULL argument");
  }
  if (cs->accesses == 0 || cs->distinct == 0) {
    return elmo_error_set(err, ELMO_EINVAL, "model_rank_bins: the class has no accesses");
  }
  uint64_t want = cs->distinct > cs->n_ranked ? cs->distinct : cs->n_ranked;
  if (!cs->exact && want > cs->n_ranked + MODEL_TAIL_BINS) want = cs->n_ranked + MODEL_TAIL_BINS;
  size_t cap = (size_t)want;
  elmo_hist_bin *b = calloc(cap, sizeof *b);
  if (b == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  size_t m = 0;
  elmo_rc rc = ELMO_OK;
  if (cs->exact)
    rc = exact_rank_bins(cs, b, &m);
  else
    approx_rank_bins(cs, b, &m);
  if (rc != ELMO_OK) {
    free(b);
    return elmo_error_set(err, rc, "out of memory");
  }
  *bins = b, *n = m;
  return ELMO_OK;
}
