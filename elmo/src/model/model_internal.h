/* model_internal.h — shared by model*.c (not installed). */
#ifndef ELMO_MODEL_INTERNAL_H
#define ELMO_MODEL_INTERNAL_H

#include "elmo/model.h"
#include "base/strbuf.h"

/* Fold the trace's kinds into the spec's ops: out[op] = counts per spec op. */
void model_mix_counts(const uint64_t counts[ELMO_TRACE_KIND_COUNT], double out[ELMO_SPEC_OP_COUNT]);
/* Fractions of the spec ops (all 0 when there are no ops). */
void model_mix_fractions(const uint64_t counts[ELMO_TRACE_KIND_COUNT],
                         double out[ELMO_SPEC_OP_COUNT]);
/* Total variation distance of two mixes. */
double model_mix_tvd(const double a[ELMO_SPEC_OP_COUNT], const double b[ELMO_SPEC_OP_COUNT]);

/* A histogram as fit bins (bucket midpoints). OUT *bins (free()), *n (0 for an empty hist). */
elmo_rc model_hist_bins(const elmo_trace_hist *h, elmo_hist_bin **bins, size_t *n);

/* The full windows' QPS: window i covers [start, start + window) fully inside the trace.
 * OUT t (seconds), qps (malloc'd, free()), *n. */
elmo_rc model_qps_series(const elmo_trace_summary *sum, size_t first, size_t count, double **t,
                         double **qps, size_t *n);

/* The elmo_fit_best score: KS D + 0.5·params/√n. */
double model_fit_score(const elmo_dist *d, const elmo_gof *g);

/* Fits key size / value size / key access / scan length into r->fits. */
elmo_rc model_fit_sizes(const elmo_trace_summary *sum, elmo_model_report *r, elmo_error *err);
elmo_rc model_fit_key_access(const elmo_trace_summary *sum, elmo_model_report *r, elmo_error *err);
elmo_rc model_fit_scan(const elmo_trace_summary *sum, elmo_model_report *r, elmo_error *err);
/* Recency (model_recency.c): fits latest to the summary's recency ranks into r->recency and,
 * when it describes the reads clearly better than the popularity model chosen by
 * model_fit_key_access (model.h, elmo_model_recency_report), makes it the key access. Call after
 * model_fit_key_access. Returns ELMO_OK. */
elmo_rc model_fit_recency(const elmo_trace_summary *sum, elmo_model_report *r, elmo_error *err);

/* Key access as popularity classes (model_classes.c): a zero-truncated mixed Poisson fit by EM of
 * the per-key counts in bins (an exact class's rank bins, one key each), 1..ELMO_DIST_CLASSES_MAX
 * classes by BIC. OUT *out: the classes dist over *num_keys ranks (keys seen + the expected
 * unseen keys) and its gof: KS D / R² of the observed rank curve against the rank curve the
 * mixture predicts for a trace of the same length. Returns ELMO_OK, ELMO_EINVAL (fewer than 2
 * distinct counts), ELMO_ENOMEM. */
elmo_rc model_fit_classes(const elmo_hist_bin *bins, size_t n_bins, elmo_fit *out,
                          uint64_t *num_keys, elmo_error *err);

/* The rate of windows [first, first+count): sets *rate and, when rr is non-NULL, the series and
 * its fits. */
elmo_rc model_rate(const elmo_trace_summary *sum, size_t first, size_t count,
                   const elmo_model_options *o, elmo_spec_rate *rate, elmo_model_rate_report *rr,
                   elmo_error *err);

/* Detects phases into r->phases (mix, times, rate). */
elmo_rc model_phases(const elmo_trace_summary *sum, elmo_model_report *r, elmo_error *err);

/* Client roles into r->roles (model_roles.c; model.h says how). Call after model_phases. */
void model_roles(const elmo_trace_summary *sum, elmo_model_report *r);

/* 1 when a size model's support lies inside the spec's range for q (key or value size). */
int model_size_in_spec(const elmo_dist *d, elmo_model_quantity q);

/* Marks a fit report poor against the report's thresholds. */
void model_mark_poor(elmo_model_fit_report *f, const elmo_model_options *o);

#endif /* ELMO_MODEL_INTERNAL_H */
