/*
 * paired.h — paired comparisons of two configurations run alternately: the statistics of the
 * offline confirmation (tuner.h) and of the realtime tuner's switchback verdicts (realtime.h).
 * Module elmo/src/fit/ (fit_paired.c). Pure: no I/O, no clock.
 *
 * Conventions: see elmo.h.
 */
#ifndef ELMO_PAIRED_H
#define ELMO_PAIRED_H

#include <stddef.h>

#include "elmo/elmo.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The offline confirmation: the best and the baseline run alternately in pairs. Each run's throughput after the warm-up is
 * split into `batches` consecutive batches of equal length; d[i * batches + j] is
 * log(best's batch j mean / baseline's batch j mean) of pair i. With one batch per run (an
 * objective without per-second figures: p99, mixed, one operation type's) d[i] is the log of the
 * pair's score ratio. A/A rows aa[0..n_aa × batches), laid out alike, are the baseline against
 * an earlier run of itself: they count toward the spread (their true difference is none), not
 * toward the estimate. The estimate is the mean of d; its standard error comes from a nested
 * analysis of variance: the spread between the rows' means (n - 1 + n_aa degrees of freedom), or,
 * when that spread is no larger than the batches' within their runs suggest (F test at
 * ELMO_TUNE_POOL_PRETEST), both pooled. Within-run batches alone never decide: one pair without
 * an A/A row has no run-to-run spread to be judged against (p 1, within_only), since a whole run
 * moves with the machine (recorded A/A runs: the batches alone called 13% of them a gain).
 * The A/A row is used up to ELMO_TUNE_AA_MAX_PAIRS pairs, while the pairs alone give at most one
 * degree of freedom; later they show the spread well enough, and the baseline trial, run long
 * before, would only add the machine's drift to it.
 * The looks (elmo_tune_confirm_looks) are group-sequential: the overall one-sided level
 * ELMO_TUNE_CONFIRM_ALPHA is spent over them (alpha × sqrt(pairs / pairs planned), boundaries
 * from the joint law of the looks), which the recorded runs in tests/fixtures/runs check. */
#define ELMO_TUNE_PROBE_SECONDS 4.0
#define ELMO_TUNE_CONFIRM_ALPHA 0.05
#define ELMO_TUNE_CONFIRM_MAX_LOOKS 3
#define ELMO_TUNE_CONFIRM_MAX_PAIRS 32
#define ELMO_TUNE_CONFIRM_MAX_BATCHES 10
#define ELMO_TUNE_POOL_PRETEST 0.75
#define ELMO_TUNE_AA_MAX_PAIRS 2

typedef struct elmo_paired_estimate {
  double mean;       /* mean of d: exp(mean) - 1 is the paired gain estimate */
  double se, df;     /* its standard error and the degrees of freedom behind it */
  double t, p;       /* mean / se and the one-sided p-value of "no gain"; t 0 and p 1 when there
                        is nothing to test; t INFINITY and p 0 (or 1 for a loss) when every value
                        agrees exactly */
  int pairs, batches;
  int pooled;        /* 1: within-run batches pooled with the pairs (no run-to-run effect seen) */
  int within_only;   /* 1: one pair and no A/A row: nothing to judge run-to-run noise by (p 1) */
  int aa_rows;       /* the A/A rows used (none from ELMO_TUNE_AA_MAX_PAIRS + 1 pairs on) */
} elmo_paired_estimate;

/* Batches per run for trials of trial_seconds (measured): one per 3 s, 2 to
 * ELMO_TUNE_CONFIRM_MAX_BATCHES; 1 below 6 s. */
ELMO_API size_t elmo_tune_confirm_batches(double trial_seconds);

/* out[0..batches): one pair's batch log-ratios from each run's per-second throughput after the
 * warm-up (best[0..nb), base[0..na)); each series is split into `batches` consecutive batches
 * of near-equal length (batch j holds seconds [j n / batches, (j + 1) n / batches)); batch means
 * below 1 op/s count as 1. Returns 0 (out untouched) when a series is shorter than `batches` or NULL. */
ELMO_API int elmo_tune_batch_ratios(const double *best, size_t nb, const double *base, size_t na, size_t batches,
                                    double *out);

/* The estimate of d[0..pairs × batches) with the A/A rows aa (may be NULL; layout above). NULL or
 * empty d: t 0, p 1. */
ELMO_API void elmo_tune_paired_estimate(const double *d, size_t pairs, size_t batches, const double *aa,
                                        size_t n_aa, elmo_paired_estimate *out);

/* The gain interval of e at one-sided level q each side (the look's nominal level, so that the
 * interval's low end is above 0 exactly when the look calls the gain significant):
 * exp(mean -/+ t_q(df) × se) - 1. Without a standard error both ends are the estimate. */
ELMO_API void elmo_tune_gain_interval(const elmo_paired_estimate *e, double q, double *low, double *high);

/* The nominal one-sided level of each look (group-sequential, see above). Returns 0 on bad looks. */
ELMO_API int elmo_tune_confirm_levels(const int *looks, int n_looks, double nominal[ELMO_TUNE_CONFIRM_MAX_LOOKS]);

typedef enum elmo_confirm_verdict {
  ELMO_CONFIRM_GO_ON = 0, /* inconclusive with a positive estimate and a look left */
  ELMO_CONFIRM_GAIN = 1,  /* significant at this look */
  ELMO_CONFIRM_NO_GAIN = 2 /* the last look, or an estimate at or below no gain */
} elmo_confirm_verdict;

/* The decision at look `look` (0-based) of n_looks after `pairs` pairs of d with the A/A rows aa
 * (layout above), with nominal levels from elmo_tune_confirm_levels. *e (OUT) gets the estimate. */
ELMO_API elmo_confirm_verdict elmo_tune_confirm_decide(const double *d, size_t pairs, size_t batches,
                                                       const double *aa, size_t n_aa, const double *nominal,
                                                       int look, int n_looks, elmo_paired_estimate *e);

/* The pair counts after which the confirmation looks: runs, then doubling while below max_runs,
 * then max_runs, at most ELMO_TUNE_CONFIRM_MAX_LOOKS of them (runs 3, max 12: 3, 6, 12; max 6:
 * 3, 6; max <= runs: 3). Both are clamped to [1, ELMO_TUNE_CONFIRM_MAX_PAIRS]. Returns how many
 * looks it wrote to looks[]. */
ELMO_API int elmo_tune_confirm_looks(int runs, int max_runs, int looks[ELMO_TUNE_CONFIRM_MAX_LOOKS]);

#ifdef __cplusplus
}
#endif

#endif /* ELMO_PAIRED_H */
