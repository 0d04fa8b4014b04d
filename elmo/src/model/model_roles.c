/* model_roles.c — client roles: the threads of a trace ELMo captured, grouped into writers,
 * readers and mixed threads, each group with its own mix and rate (model.h,
 * elmo_model_roles_report). Pure. */
#include <stdio.h>
#include <string.h>

#include "model_internal.h"

enum { ROLE_WRITERS, ROLE_READERS, ROLE_MIXED };
static const char *const kRoleNames[ELMO_MODEL_MAX_ROLES] = {"writers", "readers", "mixed"};

static int role_of(const elmo_trace_thread *t) {
  double mix[ELMO_SPEC_OP_COUNT];
  model_mix_fractions(t->counts, mix);
  double writes = mix[ELMO_SPEC_PUT] + mix[ELMO_SPEC_MERGE] + mix[ELMO_SPEC_DELETE];
  if (writes >= ELMO_MODEL_ROLE_SHARE) return ROLE_WRITERS;
  if (1 - writes >= ELMO_MODEL_ROLE_SHARE) return ROLE_READERS;
  return ROLE_MIXED;
}

/* The phase rate split by a group's share of the ops; see model.h for the unlimited case. */
static elmo_spec_rate role_rate(const elmo_spec_rate *phase, const elmo_model_role *role,
                                double share, int alone) {
  elmo_spec_rate r = *phase;
  if (phase->kind == ELMO_RATE_FIXED) r.qps *= share;
  if (phase->kind == ELMO_RATE_SINE) r.a *= share, r.d *= share;
  if (phase->kind == ELMO_RATE_UNLIMITED && !alone && strcmp(role->name, "writers") == 0 &&
      role->qps > 0) {
    memset(&r, 0, sizeof r);
    r.kind = ELMO_RATE_FIXED, r.qps = role->qps;
  }
  return r;
}

static void collect(const elmo_trace_summary *sum, double seconds, elmo_model_roles_report *rr) {
  uint64_t counts[ELMO_MODEL_MAX_ROLES][ELMO_TRACE_KIND_COUNT] = {{0}};
  int threads[ELMO_MODEL_MAX_ROLES] = {0};
  for (size_t i = 0; i < sum->n_threads; i++) {
    const elmo_trace_thread *t = &sum->threads[i];
    if ((double)t->ops < ELMO_MODEL_ROLE_MIN_SHARE * (double)sum->ops) {
      rr->left_out++;
      continue;
    }
    int role = role_of(t);
    threads[role]++;
    for (int k = 0; k < ELMO_TRACE_KIND_COUNT; k++) counts[role][k] += t->counts[k];
  }
  for (int role = 0; role < ELMO_MODEL_MAX_ROLES; role++) {
    if (threads[role] == 0) continue;
    elmo_model_role *out = &rr->roles[rr->n_roles++];
    snprintf(out->name, sizeof out->name, "%s", kRoleNames[role]);
    out->threads = threads[role] > ELMO_SPEC_MAX_THREADS ? ELMO_SPEC_MAX_THREADS : threads[role];
    for (int k = 0; k < ELMO_TRACE_KIND_COUNT; k++) out->ops += counts[role][k];
    model_mix_fractions(counts[role], out->mix);
    out->qps = seconds > 0 ? (double)out->ops / seconds : 0;
  }
}

void model_roles(const elmo_trace_summary *sum, elmo_model_report *r) {
  elmo_model_roles_report *rr = &r->roles;
  memset(rr, 0, sizeof *rr);
  uint64_t known = sum->ops - sum->ops_thread_unknown;
  if (sum->n_threads == 0 ||
      (double)sum->ops_thread_unknown > ELMO_MODEL_ROLE_MAX_UNKNOWN * (double)sum->ops) {
    snprintf(rr->note, sizeof rr->note,
             "roles not seen: %s; every thread runs the whole mix",
             sum->n_threads == 0 ? "the trace has no thread ids (only ELMo's capture, elmo_trace, "
                                   "records them)"
                                 : "too many ops have no thread id");
    return;
  }
  rr->seen = 1;
  collect(sum, r->duration_sec, rr);
  int total = 0;
  for (size_t i = 0; i < rr->n_roles; i++) total += rr->roles[i].threads;
  if (r->n_phases != 1 || total > ELMO_SPEC_MAX_THREADS) {
    snprintf(rr->note, sizeof rr->note,
             "roles seen but not modeled: %s; every thread runs the whole mix",
             r->n_phases != 1 ? "the model has several phases and thread counts are per trace"
                              : "more threads than a spec runs");
    return;
  }
  rr->modeled = 1;
  elmo_spec_rate phase = r->phases[0].rate;
  if (r->options.rate_policy == ELMO_MODEL_RATE_UNLIMITED) memset(&phase, 0, sizeof phase);
  for (size_t i = 0; i < rr->n_roles; i++) {
    elmo_model_role *role = &rr->roles[i];
    double share = known ? (double)role->ops / (double)known : 0;
    role->rate = role_rate(&phase, role, share, rr->n_roles == 1);
  }
  snprintf(rr->note, sizeof rr->note, "%zu role%s from the ids of %zu threads (%d left out for "
           "few ops)", rr->n_roles, rr->n_roles == 1 ? "" : "s", sum->n_threads, rr->left_out);
}
