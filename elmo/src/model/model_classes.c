/* model_classes.c — key access as popularity classes: a mixed Poisson fit of the per-key access
 * counts (the "keys accessed k times" histogram), and the rank curve it predicts. See model.h.
 *
 * The model: the key space holds N keys in G classes; class g has the fraction pi[g] of the keys,
 * each accessed Poisson(lambda[g]) times over the trace. Keys accessed 0 times are not in the
 * trace, so the observed counts are a zero-truncated Poisson mixture. The maximum-likelihood
 * fit is EM with the unseen keys as missing data (the expected number of unseen keys is
 * re-estimated each round), G = 1..ELMO_DIST_CLASSES_MAX chosen by BIC. It is the uniform check
 * of model_fit.c (one class) generalized to several rates. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

#define CLASSES_LAMBDA_MIN 0.01 /* a colder class would add keys a run never touches */
#define CLASSES_EM_ROUNDS 3000
#define CLASSES_EM_TOL 1e-10 /* relative change of the log-likelihood that stops EM */

typedef struct counts {
  double *c, *m; /* distinct access counts c[j] > 0, m[j] keys with that count */
  size_t n;
  double keys, accesses;
} counts;

typedef struct mixture {
  size_t g;
  double pi[ELMO_DIST_CLASSES_MAX], lambda[ELMO_DIST_CLASSES_MAX];
  double unseen; /* expected keys never accessed */
  double log_lik;
} mixture;

static int cmp_desc(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x < y) - (x > y);
}

/* The per-key counts of the rank bins (one bin per key: an exact class), grouped. */
static elmo_rc counts_build(const elmo_hist_bin *bins, size_t n, counts *out) {
  memset(out, 0, sizeof *out);
  double *all = malloc((n ? n : 1) * sizeof *all);
  out->c = malloc((n ? n : 1) * sizeof *out->c);
  out->m = malloc((n ? n : 1) * sizeof *out->m);
  if (all == NULL || out->c == NULL || out->m == NULL) {
    free(all), free(out->c), free(out->m);
    memset(out, 0, sizeof *out);
    return ELMO_ENOMEM;
  }
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (bins[i].count > 0) all[k++] = (double)bins[i].count;
  }
  qsort(all, k, sizeof *all, cmp_desc);
  for (size_t i = 0; i < k; i++) {
    if (out->n > 0 && out->c[out->n - 1] == all[i]) {
      out->m[out->n - 1] += 1;
    } else {
      out->c[out->n] = all[i], out->m[out->n] = 1, out->n++;
    }
    out->keys += 1, out->accesses += all[i];
  }
  free(all);
  return ELMO_OK;
}

static void counts_free(counts *c) {
  free(c->c), free(c->m);
  memset(c, 0, sizeof *c);
}

static double pois_log(double k, double lambda, double lgk) {
  return k * log(lambda) - lambda - lgk;
}

/* One EM round; returns the zero-truncated log-likelihood of the parameters it started from. */
static double em_round(const counts *x, mixture *mx, double *sum_n, double *sum_s) {
  const size_t G = mx->g;
  double p0 = 0, ll = 0;
  for (size_t g = 0; g < G; g++) p0 += mx->pi[g] * exp(-mx->lambda[g]);
  for (size_t g = 0; g < G; g++) sum_n[g] = sum_s[g] = 0;
  for (size_t j = 0; j < x->n; j++) {
    double lp[ELMO_DIST_CLASSES_MAX], top = -INFINITY, lgk = lgamma(x->c[j] + 1), tot = 0;
    for (size_t g = 0; g < G; g++) {
      lp[g] = log(mx->pi[g]) + pois_log(x->c[j], mx->lambda[g], lgk);
      top = fmax(top, lp[g]);
    }
    for (size_t g = 0; g < G; g++) tot += (lp[g] = exp(lp[g] - top));
    ll += x->m[j] * (top + log(tot));
    for (size_t g = 0; g < G; g++) {
      double r = x->m[j] * lp[g] / tot;
      sum_n[g] += r, sum_s[g] += r * x->c[j];
    }
  }
  ll -= x->keys * log1p(-p0);
  mx->unseen = x->keys * p0 / (1 - p0);
  for (size_t g = 0; g < G; g++) sum_n[g] += mx->unseen * mx->pi[g] * exp(-mx->lambda[g]) / p0;
  return ll;
}

/* EM from a start that splits the keys, hottest first, into g groups of equal accesses. */
static void em_fit(const counts *x, size_t G, mixture *mx) {
  memset(mx, 0, sizeof *mx);
  mx->g = G;
  double target = x->accesses / (double)G, acc = 0, keys = 0, grp_acc = 0;
  size_t g = 0;
  for (size_t j = 0; j < x->n && g < G; j++) {
    acc += x->c[j] * x->m[j], grp_acc += x->c[j] * x->m[j], keys += x->m[j];
    if (acc >= target * (double)(g + 1) || j + 1 == x->n) {
      mx->pi[g] = keys, mx->lambda[g] = grp_acc / keys;
      g++, keys = 0, grp_acc = 0;
    }
  }
  for (; g < G; g++) mx->pi[g] = 1, mx->lambda[g] = CLASSES_LAMBDA_MIN; /* too few counts */
  double total = 0;
  for (size_t i = 0; i < G; i++) total += mx->pi[i];
  for (size_t i = 0; i < G; i++) {
    mx->pi[i] /= total;
    mx->lambda[i] = fmax(mx->lambda[i], CLASSES_LAMBDA_MIN);
  }
  double prev = -INFINITY, sum_n[ELMO_DIST_CLASSES_MAX], sum_s[ELMO_DIST_CLASSES_MAX];
  for (int round = 0; round < CLASSES_EM_ROUNDS; round++) {
    double ll = em_round(x, mx, sum_n, sum_s);
    double all = x->keys + mx->unseen;
    for (size_t i = 0; i < G; i++) {
      mx->pi[i] = fmax(sum_n[i] / all, 1e-300);
      mx->lambda[i] = fmax(sum_s[i] / fmax(sum_n[i], 1e-300), CLASSES_LAMBDA_MIN);
    }
    mx->log_lik = ll;
    if (fabs(ll - prev) <= CLASSES_EM_TOL * fabs(ll)) break;
    prev = ll;
  }
  double sn[ELMO_DIST_CLASSES_MAX], ss[ELMO_DIST_CLASSES_MAX];
  mx->log_lik = em_round(x, mx, sn, ss); /* the final parameters' likelihood and unseen keys */
}

/* The mixture as a classes dist over n ranks, hottest first. Classes that would own less than
 * half a rank are folded into the next colder one. */
static void to_dist(const mixture *mx, uint64_t n, elmo_dist *d) {
  size_t order[ELMO_DIST_CLASSES_MAX];
  for (size_t g = 0; g < mx->g; g++) order[g] = g;
  for (size_t i = 1; i < mx->g; i++) { /* by lambda, descending */
    for (size_t j = i; j > 0 && mx->lambda[order[j]] > mx->lambda[order[j - 1]]; j--) {
      size_t t = order[j];
      order[j] = order[j - 1], order[j - 1] = t;
    }
  }
  memset(d, 0, sizeof *d);
  d->kind = ELMO_DIST_CLASSES, d->n = n;
  double access = 0, keys = 0, share = 0;
  for (size_t g = 0; g < mx->g; g++) access += mx->pi[g] * mx->lambda[g];
  for (size_t i = 0; i < mx->g; i++) {
    size_t g = order[i];
    keys += mx->pi[g], share += mx->pi[g] * mx->lambda[g] / access;
    if (keys * (double)n < 0.5 && i + 1 < mx->g) continue;
    d->class_keys[d->n_classes] = keys, d->class_shares[d->n_classes] = share;
    d->n_classes++, keys = share = 0;
  }
  /* renormalize (rounding) so each array sums to 1 */
  double sk = 0, ssh = 0;
  for (size_t g = 0; g < d->n_classes; g++) sk += d->class_keys[g], ssh += d->class_shares[g];
  for (size_t g = 0; g < d->n_classes; g++) d->class_keys[g] /= sk, d->class_shares[g] /= ssh;
}

/* ---- the rank curve the mixture predicts -------------------------------------------------- */

/* KS D between the observed rank sample (bins: rank, count; ranks ascending) and the rank
 * curve of the expected count-of-counts of mx: keys with count k expected N·Σ pi Pois(k;
 * lambda), ranked by k descending, each contributing k accesses. -1 when counts run too high to
 * tabulate. */
static double predicted_rank_d(const mixture *mx, double all_keys, const elmo_hist_bin *bins,
                               size_t n_bins, double *r2) {
  *r2 = NAN;
  double kmax = 0;
  for (size_t g = 0; g < mx->g; g++)
    kmax = fmax(kmax, mx->lambda[g] + 12 * sqrt(mx->lambda[g]) + 30);
  if (kmax > 1e7) return -1;
  size_t K = (size_t)kmax + 1;
  double *keys = calloc(K + 1, sizeof *keys);
  if (keys == NULL) return -1;
  double total = 0;
  for (size_t k = 1; k <= K; k++) {
    double lgk = lgamma((double)k + 1), e = 0;
    for (size_t g = 0; g < mx->g; g++) {
      e += mx->pi[g] * exp(pois_log((double)k, mx->lambda[g], lgk));
    }
    keys[k] = all_keys * e, total += (double)k * keys[k];
  }
  double obs_total = 0;
  for (size_t i = 0; i < n_bins; i++) obs_total += (double)bins[i].count;
  /* walk the observed ranks and the predicted levels (k descending) together */
  size_t k = K;
  double level_start = 0, level_cum = 0, obs_cum = 0, d = 0, sse = 0, s1 = 0, s2 = 0;
  for (size_t i = 0; i < n_bins; i++) {
    obs_cum += (double)bins[i].count;
    double r = bins[i].value;
    while (k >= 1 && level_start + keys[k] < r) {
      level_start += keys[k], level_cum += (double)k * keys[k], k--;
    }
    double pred = fmin((k >= 1 ? level_cum + (double)k * (r - level_start) : total) / total, 1);
    double fn = obs_cum / obs_total;
    d = fmax(d, fabs(fn - pred));
    sse += (fn - pred) * (fn - pred), s1 += fn, s2 += fn * fn;
  }
  double sst = s2 - s1 * s1 / (double)n_bins;
  *r2 = sst > 1e-300 ? 1 - sse / sst : (sse < 1e-12 ? 1 : 0);
  free(keys);
  return d;
}

elmo_rc model_fit_classes(const elmo_hist_bin *bins, size_t n_bins, elmo_fit *out,
                          uint64_t *num_keys, elmo_error *err) {
  memset(out, 0, sizeof *out);
  counts x;
  if (counts_build(bins, n_bins, &x) != ELMO_OK) {
    return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  }
  if (x.n < 2) {
    counts_free(&x);
    return elmo_error_set(err, ELMO_EINVAL, "classes: every key has the same count");
  }
  mixture best = {0};
  double best_bic = INFINITY;
  for (size_t G = 1; G <= ELMO_DIST_CLASSES_MAX && G <= x.n; G++) {
    mixture mx;
    em_fit(&x, G, &mx);
    double bic = -2 * mx.log_lik + (double)(2 * G - 1) * log(x.keys);
    if (bic < best_bic) best_bic = bic, best = mx;
  }
  double all = x.keys + best.unseen;
  if (all > (double)ELMO_SPEC_NUM_KEYS_MAX) all = (double)ELMO_SPEC_NUM_KEYS_MAX;
  *num_keys = (uint64_t)llround(all);
  if (*num_keys < (uint64_t)x.keys) *num_keys = (uint64_t)x.keys;
  to_dist(&best, *num_keys, &out->dist);
  double r2, d = predicted_rank_d(&best, all, bins, n_bins, &r2);
  out->gof.n = (uint64_t)x.accesses;
  out->gof.ks_d = d >= 0 ? d : 1;
  out->gof.ks_p = elmo_ks_pvalue(out->gof.ks_d, x.accesses);
  out->gof.r2 = d >= 0 ? r2 : 0;
  out->gof.log_lik = best.log_lik;
  out->gof.aic = 2.0 * (double)(2 * best.g - 1) - 2 * best.log_lik;
  out->gof.bic = best_bic;
  counts_free(&x);
  return elmo_dist_validate(&out->dist, 1, err);
}
