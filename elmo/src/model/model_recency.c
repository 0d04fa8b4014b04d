/* model_recency.c — "latest" key access from the recency of reads: the zipfian over recency
 * ranks truncated at each read's pool, what a popularity model predicts for the same ranks, and
 * the choice between them (model.h, elmo_model_recency_report; docs/MODELING.md). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fit/fit_internal.h" /* fit_zeta (generalized harmonic numbers), fit_golden_min */
#include "model_internal.h"
#include "elmo/number.h"

#define THETA_MIN 1e-4 /* the range elmo_fit_dist searches for zipfian / latest */
#define THETA_MAX 20.0

/* A bucket's value: exact below 64, the midpoint of the 12.5%-wide buckets above. */
static double mid(const elmo_trace_bucket *b) { return round(((double)b->lo + (double)b->hi) / 2); }

typedef struct rec_sample {
  const elmo_trace_hist *ranks, *pool;
  double n;        /* reads with a rank (= ranks->count = pool->count) */
  double mean_log; /* mean ln(rank) */
} rec_sample;

/* The mean negative log-likelihood of theta: theta·E[ln r] + E[ln H(m, theta)] (P(r | m) =
 * r^-theta / H(m, theta)): the rank and pool marginals suffice. */
static double truncated_nll(double theta, void *vctx) {
  const rec_sample *s = vctx;
  fit_zeta z;
  fit_zeta_init(&z, theta);
  double acc = 0;
  for (size_t i = 0; i < s->pool->n_buckets; i++) {
    const elmo_trace_bucket *b = &s->pool->buckets[i];
    acc += (double)b->count * log(fit_zeta_h(&z, mid(b)));
  }
  return theta * s->mean_log + acc / s->n;
}

/* The CDF at rank x a model predicts, averaged over the pools: latest (z non-NULL: H(min(x, m)) /
 * H(m)) or popularity (z NULL: min(x, m) / m). */
static double predicted_cdf(const rec_sample *s, const fit_zeta *z, double x) {
  if (x < 1) return 0;
  double acc = 0;
  for (size_t i = 0; i < s->pool->n_buckets; i++) {
    const elmo_trace_bucket *b = &s->pool->buckets[i];
    double m = mid(b), k = fmin(x, m);
    acc += (double)b->count * (z ? fit_zeta_h(z, k) / fit_zeta_h(z, m) : k / m);
  }
  return acc / s->n;
}

/* KS D (two-sided), the one-sided excess sup(Fn - F) with where it is reached, and R² of the
 * observed rank CDF against a predicted one, at both edges of every rank bucket. */
typedef struct rec_gof {
  double d, excess, r2, excess_rank, share_obs, share_pred;
} rec_gof;

static void rank_gof(const rec_sample *s, const fit_zeta *z, rec_gof *g) {
  const elmo_trace_hist *h = s->ranks;
  double cum = 0, sse = 0, sum_fn = 0, sum_fn2 = 0;
  memset(g, 0, sizeof *g);
  g->excess = -1;
  for (size_t i = 0; i < h->n_buckets; i++) {
    const elmo_trace_bucket *b = &h->buckets[i];
    double before = cum / s->n, f_before = predicted_cdf(s, z, (double)b->lo - 1);
    cum += (double)b->count;
    double fn = cum / s->n, f = predicted_cdf(s, z, (double)b->hi);
    g->d = fmax(g->d, fmax(fabs(fn - f), fabs(before - f_before)));
    if (fn - f > g->excess) {
      g->excess = fn - f, g->excess_rank = (double)b->hi, g->share_obs = fn, g->share_pred = f;
    }
    sse += (fn - f) * (fn - f), sum_fn += fn, sum_fn2 += fn * fn;
  }
  double k = (double)h->n_buckets, sst = sum_fn2 - sum_fn * sum_fn / k;
  g->r2 = sst > 1e-15 ? 1 - sse / sst : (sse < 1e-12 ? 1 : 0);
}

/* Fits latest into rr->latest and measures the popularity prediction. */
static void fit_latest(const elmo_trace_recency *rec, uint64_t num_keys,
                       elmo_model_recency_report *rr) {
  rec_sample s = {&rec->ranks, &rec->pool, (double)rec->ranks.count, 0};
  for (size_t i = 0; i < rec->ranks.n_buckets; i++) {
    const elmo_trace_bucket *b = &rec->ranks.buckets[i];
    s.mean_log += (double)b->count * log(mid(b));
  }
  s.mean_log /= s.n;
  double nll = 0;
  double theta = fit_golden_min(truncated_nll, &s, THETA_MIN, THETA_MAX, 1e-7, &nll);
  fit_zeta z;
  fit_zeta_init(&z, theta);
  rec_gof lat, pop;
  rank_gof(&s, &z, &lat);
  rank_gof(&s, NULL, &pop);
  elmo_fit *f = &rr->latest;
  memset(f, 0, sizeof *f);
  f->dist.kind = ELMO_DIST_LATEST, f->dist.params[0] = theta, f->dist.n = num_keys;
  f->gof.ks_d = lat.d, f->gof.r2 = lat.r2, f->gof.n = rec->ranks.count;
  f->gof.ks_p = elmo_ks_pvalue(lat.d, s.n);
  f->gof.log_lik = -nll * s.n;
  f->gof.aic = 2 + 2 * nll * s.n, f->gof.bic = log(s.n) + 2 * nll * s.n;
  rr->d_popularity = pop.d, rr->d_excess = fmax(pop.excess, 0);
  rr->excess_rank = (uint64_t)pop.excess_rank;
  rr->share_observed = pop.share_obs, rr->share_popular = pop.share_pred;
}

/* Makes latest the key access: the popularity choice becomes the first runner-up, and num_keys
 * goes back to the keys seen (the unseen keys were a popularity model's estimate). */
static void choose_latest(const elmo_trace_summary *sum, elmo_model_report *r) {
  elmo_model_fit_report *f = &r->fits[ELMO_MODEL_KEY_ACCESS];
  elmo_model_recency_report *rr = &r->recency;
  if (f->n_alternatives == ELMO_FIT_REPORT_MAX) f->n_alternatives--;
  memmove(f->alternatives + 1, f->alternatives, f->n_alternatives * sizeof f->alternatives[0]);
  f->alternatives[0].dist = f->dist, f->alternatives[0].gof = f->gof;
  f->n_alternatives++;
  uint64_t seen = sum->classes[ELMO_TRACE_CLASS_ALL].distinct;
  r->num_keys = seen ? seen : 1;
  f->dist = rr->latest.dist, f->dist.n = r->num_keys, f->gof = rr->latest.gof;
  f->modeled = 1;
  model_mark_poor(f, &r->options);
  elmo_number_snprintf(f->note, sizeof f->note,
           "latest: zipfian over the recency ranks of %llu reads of keys inserted in the trace "
           "(truncated at the keys inserted so far); the popularity model (%s, runner-up) "
           "predicts those ranks with KS D %.3f",
           (unsigned long long)rr->reads_inserted, elmo_dist_kind_name(f->alternatives[0].dist.kind),
           rr->d_popularity);
}

elmo_rc model_fit_recency(const elmo_trace_summary *sum, elmo_model_report *r, elmo_error *err) {
  (void)err; /* nothing here allocates */
  const elmo_trace_recency *rec = &sum->recency;
  elmo_model_recency_report *rr = &r->recency;
  memset(rr, 0, sizeof *rr);
  rr->exact = rec->exact, rr->inserts = rec->inserts, rr->reads_inserted = rec->reads_inserted;
  rr->reads_not_inserted = rec->reads_not_inserted, rr->reads_untracked = rec->reads_untracked;
  rr->reads = sum->counts[ELMO_TRACE_GET] + sum->counts[ELMO_TRACE_MULTIGET] +
              sum->counts[ELMO_TRACE_SEEK] + sum->counts[ELMO_TRACE_SEEK_FOR_PREV];
  rr->share_inserted = rr->reads ? (double)rr->reads_inserted / (double)rr->reads : 0;
  int consistent = rec->ranks.count == rec->reads_inserted && rec->pool.count == rec->ranks.count &&
                   rec->ranks.min >= 1 && rec->ranks.max <= rec->pool.max;
  if (rec->reads_inserted < 2 || !consistent || rec->pool.n_buckets == 0) {
    snprintf(rr->note, sizeof rr->note,
             consistent ? "latest not testable: fewer than 2 reads of keys inserted in the trace"
                        : "latest not testable: the summary's recency histograms disagree");
    return ELMO_OK;
  }
  rr->measured = 1;
  fit_latest(rec, r->num_keys, rr);
  double score = model_fit_score(&rr->latest.dist, &rr->latest.gof);
  const char *why = NULL;
  if (rr->share_inserted < ELMO_MODEL_LATEST_MIN_SHARE) {
    why = "most reads are of keys not inserted in the trace";
  } else if (rr->d_excess < ELMO_MODEL_LATEST_MIN_EXCESS) {
    why = "reads are not concentrated on recent inserts";
  } else if (!(score <= rr->d_popularity / 2)) {
    why = "latest does not describe the ranks clearly better than popularity";
  }
  rr->chosen = why == NULL;
  elmo_number_snprintf(rr->note, sizeof rr->note, "%s%s; latest score %.4f (KS D + parsimony) vs %.4f%s",
           rr->chosen ? "latest chosen: reads favour recently inserted keys" : "latest not chosen: ",
           why ? why : "", score, rr->d_popularity,
           rec->exact ? "" : "; recorded only until the write class passed its exact key limit");
  if (rr->chosen) choose_latest(sum, r);
  return ELMO_OK;
}
