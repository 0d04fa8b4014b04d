/*
 * model.h — workload modeling: a trace summary (trace.h) becomes a workload spec (spec.h), with a
 * report of every fit behind it; and trace comparison (fidelity) between two summaries.
 *
 * Module elmo/src/model/: a trace summary becomes a spec: the data the fits use (model_data.c),
 *  the fits (model_fit.c, model_classes.c, model_recency.c), phases, cycles and roles
 *  (model_phase.c, model_cycle.c, model_roles.c), the report and its LLM refinement
 *  (model_report.c, model_refine.c), fidelity (model_compare.c), the entry point (model.c). Uses
 *  base, fit, trace, spec, llm.
 *
 * Conventions: see elmo.h. elmo_model_build, elmo_model_compare and the report writers are pure
 * (no I/O, no clock, no globals); elmo_model_from_trace reads a file; elmo_model_refine talks to
 * an elmo_llm. Inputs are borrowed for the duration of the call. A report is plain data owned by
 * the caller (elmo_model_report_destroy); the spec is freed with elmo_spec_destroy.
 *
 * What is modeled, and how (the report says the same per quantity, in its notes):
 *  - op mix: the trace's counts. get = GET; multiget = MULTIGET keys; seek = SEEK + SEEK_FOR_PREV;
 *    put = PUT; merge = MERGE; delete = DELETE + SINGLE_DELETE + DELETE_RANGE.
 *  - num_keys: the distinct keys of class "all" (exact, or the HLL estimate with its error).
 *    Keys never accessed during the trace cannot be seen, so that count is a lower bound; when
 *    key access is modeled as uniform from exact counts, the key space is instead estimated from
 *    the Poisson fit of the per-key counts (N = accesses / lambda).
 *  - key size (every op's key) and value size (PUT/MERGE values): elmo_fit_best over the
 *    histogram (bucket midpoints; exact below 64 bytes, 12.5% buckets above) among fixed,
 *    uniform, normal, exponential, gpareto and pareto.
 *  - key access (class "all"), placement-independent: the sample is, for each access, the
 *    popularity rank of its key (1 = most accessed), rebuilt from the exact top counts and the
 *    "keys accessed k times" histogram (see elmo_model_rank_bins). Candidates: zipfian (theta by
 *    maximum likelihood over the ranks, any theta > 0) and uniform. Uniform access does not give a
 *    flat rank curve (sorting Poisson counts makes it fall), so uniform is judged on what it
 *    predicts that can be checked: the per-key access counts, which under uniform access are
 *    Poisson (zero-truncated: unseen keys are not in the trace). Uniform is chosen when that
 *    Poisson fit is good (KS D <= ELMO_MODEL_UNIFORM_MAX_D) and zipfian's theta is below 0.5;
 *    otherwise zipfian. (An approximate class has no per-key counts: there uniform and zipfian
 *    are compared by their elmo_fit_best score over the ranks.) The zipfian is fitted over the
 *    keys seen (n = distinct): keys never accessed are missing, so for sparse traces theta and
 *    num_keys come out low (zipf 0.9 over 50k keys, 200k accesses: theta ~0.88, 35k keys). "latest"
 * (recency) is judged on the summary's recency ranks and replaces the popularity choice when it
 * describes the reads clearly better (see elmo_model_recency_report).
 * mixgraph's power CDF over key seeds is zipfian with theta = 1 - b over ranks and is not fitted
 * separately. A third candidate, for exact classes, is "classes": a zero-truncated mixed Poisson
 * fit (EM, up to ELMO_DIST_CLASSES_MAX classes by BIC) of the per-key counts, scored by the KS D
 * between the trace's rank curve and the one the mixture predicts for a trace of the same length;
 * it is chosen over zipfian by the chooser's score (uniform's rule comes first), and then
 * num_keys is the keys seen plus the unseen keys the mixture expects (docs/MODELING.md).
 *  - key and value size also try exponential, pareto and gpareto floored at the sample minimum
 *    (censored MLE, elmo_fit_floored), for a point mass at a floor such as mixgraph's 10 bytes.
 *  - scan length: RocksDB does not trace Next() calls. When ELMo captured the trace, its side
 *    file has each seek's Next()/Prev() count and the lengths are fitted as sizes are; otherwise
 *    the spec gets fixed opts->scan_length when the mix has seeks (fixed 0 otherwise) and the
 *    note says it was not measured.
 *  - rate (per phase, from the QPS windows; a last window cut short is dropped unless it is the
 *    only one, then its QPS is over the part covered): sine when the sine
 *    fit has R² >= min_r2 and an amplitude of at least 10% of the mean over >= 8 windows; fixed at
 *    the mean when the series is flat (no significant trend at 5%, or a trend under 10% of the
 *    mean over the phase, and a coefficient of variation under 0.25); unlimited otherwise — a
 *    series that is neither flat nor periodic is what a closed-loop client running as fast as the
 *    DB lets it looks like, and a fixed rate would misstate it. opts->rate_policy can force
 *    unlimited (a closed-loop benchmark: replay it at full speed) or fixed. A trace of RocksDB's
 *    own carries no thread information: every phase gets opts->threads (default 1); one ELMo
 *    captured gets thread groups by role (elmo_model_roles_report below).
 *  - phases: windows are grouped (>= opts->min_group_ops ops per group); a new segment starts
 *    where a group's op mix differs from the running segment's by a total variation distance over
 *    opts->shift_tvd; segments are then merged pairwise (closest adjacent mixes first) down to
 *    opts->max_phases. Key access, key and value size are fitted over the whole trace and shared by
 *    every phase (the summary has no per-window key statistics); mix and rate are per phase.
 */
#ifndef ELMO_MODEL_H
#define ELMO_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "elmo/elmo.h"
#include "elmo/fit.h"
#include "elmo/llm.h"
#include "elmo/spec.h"
#include "elmo/trace.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ELMO_MODEL_MAX_PHASES 8 /* cap on detected phases */
#define ELMO_MODEL_NOTE_MAX 256
#define ELMO_MODEL_UNIFORM_MAX_D 0.05 /* Poisson-count KS D under which access may be uniform */
#define ELMO_MODEL_LATEST_MIN_EXCESS 0.1 /* latest needs reads this concentrated on new keys */
#define ELMO_MODEL_LATEST_MIN_SHARE 0.5  /* ... and this share of the reads to be of inserted keys */

typedef enum elmo_model_rate_policy {
  ELMO_MODEL_RATE_AUTO = 0,      /* sine / fixed / unlimited as described above */
  ELMO_MODEL_RATE_UNLIMITED = 1, /* closed loop: every phase unlimited with opts->threads */
  ELMO_MODEL_RATE_FIXED = 2      /* fixed at each phase's mean QPS */
} elmo_model_rate_policy;

/* Modeling settings. 0 in a field means its default; other values outside the range are
 * rejected with ELMO_ERANGE naming the field. */
typedef struct elmo_model_options {
  uint32_t window_sec;    /* elmo_model_from_trace only: QPS window; default 10, 1 .. 86400
                             (long traces merge windows, see trace.h) */
  int threads;            /* threads of every phase; default 1, 1 .. ELMO_SPEC_MAX_THREADS */
  double min_r2;          /* a fit is poor below this R²; default 0.9, (0, 1] */
  double min_ks_p;        /* ... or below this KS p-value; default 0.05, (0, 1]. With 1e5+
                             samples almost every model misses it: read the R² too */
  double shift_tvd;       /* op-mix change that starts a phase; default 0.2, (0, 1] */
  uint32_t max_phases;    /* default ELMO_MODEL_MAX_PHASES, 1 .. ELMO_MODEL_MAX_PHASES */
  uint64_t min_group_ops; /* ops per window group for phase detection; default 1000, >= 1 */
  elmo_model_rate_policy rate_policy; /* default AUTO */
  uint32_t scan_length; /* Next() calls per seek written to the spec; default 10, 1 .. 1e6 */
} elmo_model_options;

/* Fills o with the defaults (every field explicit). */
ELMO_API void elmo_model_options_init(elmo_model_options *o);

/* The modeled quantities that have distribution fits. */
typedef enum elmo_model_quantity {
  ELMO_MODEL_KEY_SIZE = 0,
  ELMO_MODEL_VALUE_SIZE = 1,
  ELMO_MODEL_KEY_ACCESS = 2,
  ELMO_MODEL_SCAN_LENGTH = 3
} elmo_model_quantity;
#define ELMO_MODEL_QUANTITY_COUNT 4

/* "key_size", "value_size", "key_access", "scan_length"; "unknown" outside the enum. */
ELMO_API const char *elmo_model_quantity_name(elmo_model_quantity q);

/* One quantity's fits. For key access the zipfian's gof is over the access ranks; the uniform
 * candidate's gof is over the per-key counts against a zero-truncated Poisson (see above). */
typedef struct elmo_model_fit_report {
  int modeled;           /* 0: no data (e.g. no writes) or not measurable: dist is a default */
  elmo_dist dist;        /* what the spec uses */
  elmo_gof gof;          /* its goodness of fit (zeros when not modeled) */
  size_t n_alternatives; /* runner-ups, best first (the chosen one excluded) */
  elmo_fit alternatives[ELMO_FIT_REPORT_MAX];
  int poor;    /* 1: gof.r2 < min_r2 or gof.ks_p < min_ks_p */
  int refined; /* 1: dist came from elmo_model_refine */
  char note[ELMO_MODEL_NOTE_MAX];
} elmo_model_fit_report;

typedef struct elmo_model_rate_report {
  elmo_spec_rate rate;  /* the rate for the whole trace (phases have their own) */
  size_t n_points;      /* QPS series: one point per full window */
  double *t_sec;        /* window start, seconds from the first op */
  double *qps;          /* ops per second in the window */
  double mean_qps, cv;  /* mean and coefficient of variation of the series */
  int has_trend;        /* 1: trend holds a fit (>= 3 points) */
  elmo_trend_fit trend; /* qps against t_sec */
  int has_sine;         /* 1: sine holds a fit (>= 5 points) */
  elmo_sine_fit sine;
  char note[ELMO_MODEL_NOTE_MAX];
} elmo_model_rate_report;

typedef struct elmo_model_phase_report {
  double start_sec, duration_sec;
  uint64_t ops;
  double mix[ELMO_SPEC_OP_COUNT];
  double tvd_from_previous; /* op-mix distance to the phase before (0 for the first) */
  elmo_spec_rate rate;
} elmo_model_phase_report;

typedef struct elmo_model_class_keys {
  uint64_t accesses, distinct;
  int exact;                  /* 1: distinct is exact */
  double distinct_rel_error;  /* HLL relative standard error (0 when exact) */
  uint64_t count_error_bound; /* count-min bound on per-key counts (0 when exact) */
} elmo_model_class_keys;

/* An LLM refinement attempt (elmo_model_refine). */
typedef struct elmo_model_refinement {
  elmo_model_quantity quantity;
  int accepted;     /* 1: the proposal fitted better and replaced the fit */
  int has_proposal; /* 1: proposed/proposed_gof hold a parsed, scored proposal */
  elmo_dist proposed;
  elmo_gof proposed_gof;
  elmo_gof previous_gof;
  char reason[ELMO_MODEL_NOTE_MAX]; /* why accepted or rejected (LLM errors, bad JSON, ...) */
} elmo_model_refinement;

/*
 * Recency of reads ("latest", from the summary's elmo_trace_recency). The sample is the recency
 * rank of every read of a key inserted earlier in the trace, together with the pool (keys
 * inserted so far) at that read: a read's rank is at most its pool.
 *  - latest: zipfian over recency ranks, truncated at each read's pool, P(r | m) = r^-theta /
 *    H(m, theta); theta by maximum likelihood (the log-likelihood separates into a sum over the
 *    rank histogram and one over the pool histogram, so the two marginals suffice). Its gof is the
 *    KS D / R² between the observed rank CDF and the mixture over pools of the truncated zipfian.
 *  - popularity: a popularity model (uniform, zipfian, classes over scrambled ranks) draws a
 *    read's key independently of when it was inserted, so it predicts ranks uniform on 1..m:
 *    F(x) = mean over reads of min(x, m)/m. d_popularity is the KS D against that, d_excess the
 *    one-sided sup (observed - predicted): the largest excess share of reads falling on the x
 *    newest keys, over any x.
 * latest is chosen when (1) reads of inserted keys are at least ELMO_MODEL_LATEST_MIN_SHARE of
 * all reads (the sample describes the reads), (2) d_excess >= ELMO_MODEL_LATEST_MIN_EXCESS (reads
 * concentrate on recent inserts), and (3) latest's score KS D + 0.5·1/√n (the chooser's score)
 * is at most half of d_popularity (the popularity prediction has no free parameter): latest must
 * explain most of what popularity misses, so a few hot keys that happen to be new do not make a
 * workload "latest". Then num_keys is the keys seen and the runner draws ranks back from the
 * newest written key (WORKLOAD_SPEC.md).
 */
typedef struct elmo_model_recency_report {
  int measured;     /* 1: there were reads of inserted keys; the fields below are set */
  int exact;        /* the summary recorded every read (0: stopped at the write class's limit) */
  int chosen;       /* 1: key access is latest */
  uint64_t reads;   /* all reads of the trace (recorded or not) */
  uint64_t reads_inserted, reads_not_inserted, reads_untracked, inserts;
  double share_inserted; /* reads_inserted / reads */
  uint64_t excess_rank;  /* the x where d_excess is reached: */
  double share_observed; /* the share of reads_inserted with rank <= x, */
  double share_popular;  /* and the share a popularity model predicts */
  elmo_fit latest;       /* latest(theta, n = num_keys) and its gof over the recency ranks */
  double d_popularity;   /* KS D of the ranks against the popularity prediction */
  double d_excess;       /* one-sided, toward recent keys */
  char note[ELMO_MODEL_NOTE_MAX];
} elmo_model_recency_report;

/*
 * Client roles (thread groups), from the per-thread counts of a trace ELMo captured (trace.h's
 * side file). A thread is a writer when at least ELMO_MODEL_ROLE_SHARE of its ops are writes
 * (put, merge, deletes), a reader when at least that share are reads (get, multiget, seek), else
 * mixed; threads with under ELMO_MODEL_ROLE_MIN_SHARE of the trace's ops are left out (a thread
 * that opened the DB and wrote a few keys). Each role present becomes a thread group of every
 * phase, with its threads, its own mix, and a rate: when the phases' rate is unlimited (a closed
 * loop, or elmotune's tuning), writers that share the program with other roles keep their
 * measured rate (a background writer's load stays what it was, so a candidate cannot win by
 * speeding up writes the program never asked for) and the other groups run unlimited; a fixed
 * or sine phase rate is split between the groups by their share of the ops. Roles are modeled
 * only for a one-phase model (per-thread counts are over the whole trace).
 */
#define ELMO_MODEL_MAX_ROLES 3
#define ELMO_MODEL_ROLE_SHARE 0.9
#define ELMO_MODEL_ROLE_MIN_SHARE 0.001
#define ELMO_MODEL_ROLE_MAX_UNKNOWN 0.01 /* ops without a thread id tolerated */

typedef struct elmo_model_role {
  char name[16]; /* "writers", "readers" or "mixed": the spec's group name */
  int threads;
  uint64_t ops;
  double mix[ELMO_SPEC_OP_COUNT];
  double qps;          /* the role's ops per second over the trace */
  elmo_spec_rate rate; /* the group's rate in the spec */
} elmo_model_role;

typedef struct elmo_model_roles_report {
  int seen;      /* 1: the trace has thread ids for (nearly) every op */
  int modeled;   /* 1: the spec's phases have thread groups */
  int left_out;  /* threads left out for their few ops */
  size_t n_roles;
  elmo_model_role roles[ELMO_MODEL_MAX_ROLES];
  char note[ELMO_MODEL_NOTE_MAX];
} elmo_model_roles_report;

typedef struct elmo_model_report {
  /* characterization */
  uint64_t ops;
  uint64_t counts[ELMO_TRACE_KIND_COUNT];
  double mix[ELMO_SPEC_OP_COUNT];
  double duration_sec, window_sec;
  elmo_model_class_keys keys[ELMO_TRACE_CLASS_COUNT];
  uint64_t num_keys;
  int multiget_size;
  /* fits */
  elmo_model_fit_report fits[ELMO_MODEL_QUANTITY_COUNT];
  elmo_model_recency_report recency;
  elmo_model_rate_report rate;
  elmo_model_roles_report roles;
  size_t n_phases;
  elmo_model_phase_report phases[ELMO_MODEL_MAX_PHASES];
  size_t n_refinements;
  elmo_model_refinement refinements[ELMO_MODEL_QUANTITY_COUNT];
  elmo_model_options options; /* as used, defaults filled in */
} elmo_model_report;

/*
 * Builds a spec (and its report) from a summary. opts may be NULL (defaults).
 * OUT *spec: a new spec (elmo_spec_destroy), *report: a new report (elmo_model_report_destroy);
 * report may be NULL when not wanted. Both NULL on error.
 * Returns ELMO_OK; ELMO_EINVAL (NULL sum/spec, or a summary without ops); ELMO_ERANGE (an option
 * out of range); ELMO_ENOMEM; ELMO_EINTERNAL (the spec built failed elmo_spec_validate: a bug).
 */
ELMO_API elmo_rc elmo_model_build(const elmo_trace_summary *sum, const elmo_model_options *opts,
                         elmo_spec **spec, elmo_model_report **report, elmo_error *err);

/* elmo_trace_characterize (window opts->window_sec, other settings default) then
 * elmo_model_build. Returns their codes (ELMO_EIO / ELMO_EPARSE name the file and offset). */
ELMO_API elmo_rc elmo_model_from_trace(const char *trace_path, const elmo_model_options *opts,
                              elmo_spec **spec, elmo_model_report **report, elmo_error *err);

/*
 * The first half of elmotune's full cycle: characterizes the trace, models it (opts may be NULL),
 * lets llm_spec refine poor fits when it names a language model (NULL or "builtin": no
 * refinement), and writes into out_dir: workload.json (the spec), model.md and model.json (the
 * report). OUT *spec_path: new string (elmo_free) naming workload.json; NULL on error.
 * Returns the codes of the steps; an unreachable LLM is not an error (the attempt is recorded in
 * the report), a trace that cannot be read is (ELMO_EIO / ELMO_EPARSE with the offset).
 */
ELMO_API elmo_rc elmo_model_trace_to_spec(const char *trace_path, const elmo_model_options *opts,
                                 const char *llm_spec, const char *llm_url, const char *out_dir,
                                 char **spec_path, elmo_error *err);

ELMO_API void elmo_model_report_destroy(elmo_model_report *r);

/* The report as JSON / as text for people. New string (elmo_free), NULL when out of memory. */
ELMO_API char *elmo_model_report_to_json(const elmo_model_report *r);
ELMO_API char *elmo_model_report_to_text(const elmo_model_report *r);

/*
 * LLM refinement of poor fits. For each of key size, value size and key access whose fit is poor
 * (in report), sends llm one prompt: a text summary (the histogram compacted to <= 32 bins, the
 * fits tried, a few QPS windows) plus a ```json block with the same data, asking for one JSON
 * object {"dist": ...} in elmo_dist_from_json's format. The answer's first JSON object is parsed,
 * scored on the same sample with the same criterion as elmo_fit_best (KS D + 0.5·params/√n;
 * key access: over the ranks) and accepted only when it scores better; then report and spec (the
 * quantity in every phase) are updated. Every attempt, accepted or not, is recorded in
 * report->refinements with its reason: LLM errors, no JSON, wrong fields, an invalid or
 * unsupported dist, a worse fit. llm may be any provider ("replay:FILE" for tests; "builtin" is
 * a tuning advisor and declines). Nothing poor: nothing is sent.
 * Returns ELMO_OK (also when every proposal was rejected); ELMO_EINVAL (NULL argument);
 * ELMO_ENOMEM; ELMO_ECANCELED (the llm was cancelled; earlier attempts are kept).
 */
ELMO_API elmo_rc elmo_model_refine(const elmo_trace_summary *sum, elmo_llm *llm, elmo_model_report *report,
                          elmo_spec *spec, elmo_error *err);

/* ---- fidelity ----------------------------------------------------------------------------- */

/*
 * Two-sample KS of one quantity between traces a and b.
 *  d       sup |Fa - Fb|.
 *  p_full  the p-value at the full sample sizes (n_eff = na·nb/(na+nb)). With millions of
 *          samples it is driven to 0 by differences nobody could notice: do not judge by it.
 *  p_res   the p-value of the same d at a stated resolution: ELMO_MODEL_RES_N samples per side
 *          (n_eff = 50), i.e. "indistinguishable at percentile resolution"; when a side has fewer
 *          samples its own size is used. p_res > ELMO_MODEL_PASS_P (0.95) passes, which holds for
 *          d below about 0.072. p_res is NOT a test of the full samples.
 */
#define ELMO_MODEL_RES_N 100
#define ELMO_MODEL_PASS_P 0.95
#define ELMO_MODEL_MIX_MAX_DIFF 0.02 /* op-mix verdict: every fraction within this */

typedef struct elmo_model_ks {
  int available; /* 0: a side has no data (then pass = 1 when both have none) */
  double d, p_full, p_res;
  uint64_t n_a, n_b;
  int pass; /* p_res > ELMO_MODEL_PASS_P */
} elmo_model_ks;

typedef struct elmo_model_fidelity {
  double mix_a[ELMO_SPEC_OP_COUNT], mix_b[ELMO_SPEC_OP_COUNT];
  double mix_max_diff; /* max over ops of |fraction a - fraction b| */
  double mix_tvd;      /* total variation distance: half the sum of |a - b| */
  int mix_pass;        /* mix_max_diff <= ELMO_MODEL_MIX_MAX_DIFF */
  elmo_model_ks key_size, value_size;
  elmo_model_ks key_access; /* over access ranks (elmo_model_rank_bins). The rank curve
                               also depends on accesses per key: compare traces of similar
                               length (half the accesses over the same keys moves D by ~0.05) */
  elmo_model_ks qps;        /* over the per-window QPS values (full windows) */
  int pass;                 /* every part passes */
} elmo_model_fidelity;

/* Compares two summaries (a: e.g. the original trace, b: the synthesized benchmark's).
 * OUT *out (zeroed first). Returns ELMO_OK, ELMO_EINVAL (NULL argument or a summary without
 * ops), ELMO_ENOMEM. */
ELMO_API elmo_rc elmo_model_compare(const elmo_trace_summary *a, const elmo_trace_summary *b,
                           elmo_model_fidelity *out, elmo_error *err);

/* The fidelity as JSON / as a text table. New string (elmo_free), NULL when out of memory. */
ELMO_API char *elmo_model_fidelity_to_json(const elmo_model_fidelity *f);
ELMO_API char *elmo_model_fidelity_to_text(const elmo_model_fidelity *f);

/*
 * The key-access rank sample of one class: bins (rank r, accesses of the r-th most accessed key).
 * Exact class: every key, the top counts exact; below the exact top list, keys come from the
 * "k times" histogram, and a bucket spanning several counts (k >= 64) spreads its keys evenly
 * from its upper to its lower count. Approximate class: the heavy hitters' estimates for the top
 * ranks; the remaining accesses (accesses - their sum, if positive) are spread evenly over ranks
 * n_hitters+1 .. distinct, an assumption of a flat tail the note of key access states; past
 * 2^18 tail ranks, consecutive ranks share a bin (value: the middle rank), so memory stays
 * bounded (16 bytes a bin) however large the distinct-key estimate.
 * OUT *bins (malloc'd, free()), *n. Returns ELMO_OK, ELMO_EINVAL (no accesses), ELMO_ENOMEM.
 */
ELMO_API elmo_rc elmo_model_rank_bins(const elmo_trace_class_summary *cs, elmo_hist_bin **bins, size_t *n,
                             elmo_error *err);

#ifdef __cplusplus
}
#endif

#endif /* ELMO_MODEL_H */
