/* tuner_guard.c — per-operation figures, objectives and guards: a candidate that speeds up one
 * operation type by slowing down another that matters is not better. See tuner.h. Pure. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "elmo/spec.h"
#include "elmo/tuner.h"
#include "elmo/number.h"

/* The operation names a user gives, and the db_bench histogram each is counted in (elmospec and
 * elmoreplay count a multiget as a read, as db_bench's own MultiReadRandom does). */
static const struct {
  const char *name, *histogram;
} kOps[] = {{"get", "read"},       {"read", "read"},     {"multiget", "read"}, {"put", "write"},
            {"write", "write"},    {"seek", "seek"},     {"delete", "delete"}, {"merge", "merge"}};

const char *elmo_tune_op_histogram(const char *op) {
  for (size_t i = 0; op != NULL && i < sizeof kOps / sizeof kOps[0]; i++) {
    if (strcmp(op, kOps[i].name) == 0) return kOps[i].histogram;
  }
  return NULL;
}

static const elmo_op_latency *find_op(const elmo_trial_metrics *m, const char *histogram) {
  for (size_t i = 0; i < m->n_op_types && i < ELMO_TRIAL_MAX_OP_TYPES; i++) {
    if (strcmp(m->op_types[i].type, histogram) == 0) return &m->op_types[i];
  }
  return NULL;
}

static uint64_t total_count(const elmo_trial_metrics *m) {
  uint64_t n = 0;
  for (size_t i = 0; i < m->n_op_types && i < ELMO_TRIAL_MAX_OP_TYPES; i++) n += m->op_types[i].count;
  return n;
}

int elmo_tune_op_figures(const elmo_trial_metrics *m, const char *histogram, double *ops, double *p99) {
  const elmo_op_latency *op = m != NULL && histogram != NULL ? find_op(m, histogram) : NULL;
  uint64_t all = m != NULL ? total_count(m) : 0;
  if (op == NULL || op->count == 0 || all == 0) return 0;
  if (ops != NULL) *ops = m->ops_per_sec * (double)op->count / (double)all;
  if (p99 != NULL) *p99 = op->p99_us;
  return 1;
}

double elmo_tune_score_op(elmo_objective obj, const char *histogram, double w, const elmo_trial_metrics *m,
                          const elmo_trial_metrics *base) {
  if (histogram == NULL) return elmo_tune_score(obj, w, m, base);
  double ops = 0, p99 = 0, base_ops = 0, base_p99 = 0;
  if (m->ops_per_sec <= 0 || !elmo_tune_op_figures(m, histogram, &ops, &p99)) return 0;
  if (obj == ELMO_OBJECTIVE_THROUGHPUT) return ops;
  double p99_score = p99 > 0 ? 1e6 / p99 : 0;
  if (obj == ELMO_OBJECTIVE_P99) return p99_score;
  if (base == NULL || !elmo_tune_op_figures(base, histogram, &base_ops, &base_p99) || base_p99 <= 0) return ops;
  return (1 - w) * ops / base_ops + w * base_p99 / (p99 > 0 ? p99 : 1e9);
}

enum { NOT_GUARDED = 0, BY_SHARE = 1, PROTECTED = 2 };

/* Whether histogram matters to the guard: protected by name, or a share of the reference's
 * operations or time at or above the threshold. */
static int matters(const elmo_tune_guard *g, const elmo_trial_metrics *ref, const elmo_op_latency *op) {
  for (size_t i = 0; i < g->n_protect; i++) {
    const char *h = elmo_tune_op_histogram(g->protect[i]);
    if (h != NULL && strcmp(h, op->type) == 0) return PROTECTED;
  }
  if (g->share < 0) return 0;
  for (int o = 0; o < ELMO_SPEC_OP_COUNT; o++) {
    const char *h = (g->background & 1u << o) ? elmo_tune_op_histogram(elmo_spec_op_name((elmo_spec_op)o)) : NULL;
    if (h != NULL && strcmp(h, op->type) == 0) return NOT_GUARDED;
  }
  double share = g->share > 0 ? g->share : ELMO_TUNE_GUARD_SHARE;
  uint64_t all = total_count(ref);
  return (all > 0 && (double)op->count / (double)all >= share) || op->time_share >= share ? BY_SHARE : NOT_GUARDED;
}

int elmo_tune_guard_check(const elmo_tune_guard *g, const elmo_trial_metrics *cand,
                          const elmo_trial_metrics *ref, char *why, size_t cap) {
  if (why != NULL && cap > 0) why[0] = '\0';
  if (g == NULL || cand == NULL || ref == NULL || ref->ops_per_sec <= 0) return 1;
  double tol = g->tolerance > 0 ? g->tolerance : ELMO_TUNE_GUARD_TOLERANCE;
  double p99_tol = g->p99_tolerance > 0 ? g->p99_tolerance : ELMO_TUNE_GUARD_P99_TOLERANCE;
  for (size_t i = 0; i < ref->n_op_types && i < ELMO_TRIAL_MAX_OP_TYPES; i++) {
    const elmo_op_latency *op = &ref->op_types[i];
    int how = op->count > 0 ? matters(g, ref, op) : NOT_GUARDED;
    if (how == NOT_GUARDED) continue;
    double ref_ops = 0, ref_p99 = 0, ops = 0, p99 = 0;
    elmo_tune_op_figures(ref, op->type, &ref_ops, &ref_p99);
    if (!elmo_tune_op_figures(cand, op->type, &ops, &p99)) {
      if (why != NULL) elmo_number_snprintf(why, cap, "%s: no operations ran (the reference ran %.0f/s)", op->type, ref_ops);
      return 0;
    }
    if (ops < ref_ops * (1 - tol)) {
      if (why != NULL) {
        elmo_number_snprintf(why, cap, "%s: %.0f ops/s vs %.0f (%+.1f%%; at most -%.0f%% allowed)", op->type, ops, ref_ops,
                 (ops / ref_ops - 1) * 100, tol * 100);
      }
      return 0;
    }
    /* The p99 of a type guarded by its share alone is judged only on request (p99_all): without
     * client roles in the model, a background writer's p99 (stall bursts) would veto files that
     * make the program's readers faster. A p99 of a few hundred samples is a handful of slow
     * ones: too few to judge on; and a rise of a few microseconds (12 -> 15 us on a memtable
     * write) is noise nobody waits for. */
    const elmo_op_latency *c = find_op(cand, op->type);
    if ((how == PROTECTED || g->p99_all) && op->count >= ELMO_TUNE_GUARD_MIN_SAMPLES && c->count >= ELMO_TUNE_GUARD_MIN_SAMPLES && ref_p99 > 0 &&
        p99 > ref_p99 * (1 + p99_tol) && p99 > ref_p99 + ELMO_TUNE_GUARD_P99_SLACK_US) {
      if (why != NULL) {
        elmo_number_snprintf(why, cap, "%s: p99 %.0f us vs %.0f (%+.1f%%; at most +%.0f%% allowed)", op->type, p99, ref_p99,
                 (p99 / ref_p99 - 1) * 100, p99_tol * 100);
      }
      return 0;
    }
  }
  return 1;
}

void elmo_tune_pool_runs(const elmo_trial_metrics *const *runs, size_t n, elmo_trial_metrics *out) {
  memset(out, 0, sizeof *out);
  size_t used = 0;
  double p99_sum[ELMO_TRIAL_MAX_OP_TYPES] = {0}, avg_sum[ELMO_TRIAL_MAX_OP_TYPES] = {0};
  int seen[ELMO_TRIAL_MAX_OP_TYPES] = {0};
  for (size_t r = 0; r < n; r++) {
    const elmo_trial_metrics *m = runs[r];
    if (m == NULL || m->ops_per_sec <= 0) continue;
    used++;
    out->ops_per_sec += m->ops_per_sec;
    out->p99_us += m->p99_us;
    for (size_t i = 0; i < m->n_op_types && i < ELMO_TRIAL_MAX_OP_TYPES; i++) {
      const elmo_op_latency *op = &m->op_types[i];
      size_t j = 0;
      while (j < out->n_op_types && strcmp(out->op_types[j].type, op->type) != 0) j++;
      if (j == out->n_op_types) {
        if (j == ELMO_TRIAL_MAX_OP_TYPES) continue;
        snprintf(out->op_types[j].type, sizeof out->op_types[j].type, "%s", op->type);
        out->n_op_types++;
      }
      out->op_types[j].count += op->count;
      p99_sum[j] += op->p99_us;
      avg_sum[j] += op->avg_us;
      seen[j]++;
    }
  }
  if (used == 0) return;
  out->ops_per_sec /= (double)used;
  out->p99_us /= (double)used;
  double time = 0;
  for (size_t j = 0; j < out->n_op_types; j++) {
    out->op_types[j].p99_us = p99_sum[j] / seen[j];
    out->op_types[j].avg_us = avg_sum[j] / seen[j];
    time += (double)out->op_types[j].count * out->op_types[j].avg_us;
  }
  for (size_t j = 0; j < out->n_op_types; j++) {
    out->op_types[j].time_share = time > 0 ? (double)out->op_types[j].count * out->op_types[j].avg_us / time : 0;
  }
}

double elmo_tune_score(elmo_objective obj, double w, const elmo_trial_metrics *m,
                       const elmo_trial_metrics *base) {
  if (m->ops_per_sec <= 0) return 0;
  if (obj == ELMO_OBJECTIVE_THROUGHPUT) return m->ops_per_sec;
  double p99_score = m->p99_us > 0 ? 1e6 / m->p99_us : 0;
  if (obj == ELMO_OBJECTIVE_P99) return p99_score;
  if (base == NULL || base->ops_per_sec <= 0 || base->p99_us <= 0) return m->ops_per_sec;
  return (1 - w) * m->ops_per_sec / base->ops_per_sec + w * base->p99_us / (m->p99_us > 0 ? m->p99_us : 1e9);
}
