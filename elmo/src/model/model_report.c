/* model_report.c — a model report as JSON and as text. See model.h. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

static cJSON *num(double v) { return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull(); }

static void add_num(cJSON *o, const char *k, double v) { cJSON_AddItemToObject(o, k, num(v)); }

/* Adds a JSON text produced by fit_json.c (elmo_dist_to_json / elmo_fit_to_json) as an item. */
static void add_raw(cJSON *o, const char *k, char *json) {
  cJSON *v = json ? cJSON_Parse(json) : NULL;
  cJSON_AddItemToObject(o, k, v ? v : cJSON_CreateNull());
  elmo_free(json);
}

static cJSON *gof_json(const elmo_gof *g) {
  cJSON *o = cJSON_CreateObject();
  add_num(o, "r2", g->r2), add_num(o, "ks_d", g->ks_d), add_num(o, "ks_p", g->ks_p);
  add_num(o, "n", (double)g->n);
  return o;
}

static cJSON *mix_json(const double mix[ELMO_SPEC_OP_COUNT]) {
  cJSON *o = cJSON_CreateObject();
  for (int i = 0; i < ELMO_SPEC_OP_COUNT; i++)
    add_num(o, elmo_spec_op_name((elmo_spec_op)i), mix[i]);
  return o;
}

static cJSON *rate_json(const elmo_spec_rate *r) {
  cJSON *o = cJSON_CreateObject();
  static const char *const kKinds[] = {"unlimited", "fixed", "sine"};
  cJSON_AddStringToObject(o, "kind", (unsigned)r->kind <= 2 ? kKinds[r->kind] : "unknown");
  if (r->kind == ELMO_RATE_FIXED) add_num(o, "qps", r->qps);
  if (r->kind == ELMO_RATE_SINE) {
    add_num(o, "a", r->a), add_num(o, "b", r->b), add_num(o, "c", r->c), add_num(o, "d", r->d);
  }
  return o;
}

static cJSON *fit_json(const elmo_model_fit_report *f) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddBoolToObject(o, "modeled", f->modeled);
  add_raw(o, "dist", elmo_dist_to_json(&f->dist));
  cJSON_AddItemToObject(o, "gof", gof_json(&f->gof));
  cJSON_AddBoolToObject(o, "poor", f->poor);
  cJSON_AddBoolToObject(o, "refined", f->refined);
  cJSON *alts = cJSON_AddArrayToObject(o, "alternatives");
  for (size_t i = 0; i < f->n_alternatives; i++) {
    cJSON *a = cJSON_CreateObject();
    add_raw(a, "dist", elmo_dist_to_json(&f->alternatives[i].dist));
    cJSON_AddItemToObject(a, "gof", gof_json(&f->alternatives[i].gof));
    cJSON_AddItemToArray(alts, a);
  }
  cJSON_AddStringToObject(o, "note", f->note);
  return o;
}

static cJSON *rate_report_json(const elmo_model_rate_report *rr) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddItemToObject(o, "rate", rate_json(&rr->rate));
  add_num(o, "mean_qps", rr->mean_qps), add_num(o, "cv", rr->cv);
  if (rr->has_trend) {
    cJSON *t = cJSON_AddObjectToObject(o, "trend");
    add_num(t, "slope", rr->trend.slope), add_num(t, "p_value", rr->trend.p_value);
    add_num(t, "r2", rr->trend.r2);
    cJSON_AddBoolToObject(t, "significant", rr->trend.significant);
  }
  if (rr->has_sine) {
    cJSON *s = cJSON_AddObjectToObject(o, "sine");
    add_num(s, "a", rr->sine.a), add_num(s, "b", rr->sine.b), add_num(s, "c", rr->sine.c);
    add_num(s, "d", rr->sine.d), add_num(s, "period", rr->sine.period),
        add_num(s, "r2", rr->sine.r2);
  }
  cJSON *series = cJSON_AddArrayToObject(o, "series");
  for (size_t i = 0; i < rr->n_points; i++) {
    cJSON *p = cJSON_CreateArray();
    cJSON_AddItemToArray(p, num(rr->t_sec[i]));
    cJSON_AddItemToArray(p, num(rr->qps[i]));
    cJSON_AddItemToArray(series, p);
  }
  cJSON_AddStringToObject(o, "note", rr->note);
  return o;
}

static cJSON *keys_json(const elmo_model_report *r) {
  cJSON *o = cJSON_CreateObject();
  for (int c = 0; c < ELMO_TRACE_CLASS_COUNT; c++) {
    const elmo_model_class_keys *k = &r->keys[c];
    cJSON *e = cJSON_AddObjectToObject(o, elmo_trace_class_name((elmo_trace_class)c));
    add_num(e, "accesses", (double)k->accesses), add_num(e, "distinct", (double)k->distinct);
    cJSON_AddBoolToObject(e, "exact", k->exact);
    add_num(e, "distinct_rel_error", k->distinct_rel_error);
    add_num(e, "count_error_bound", (double)k->count_error_bound);
  }
  return o;
}

static cJSON *recency_json(const elmo_model_recency_report *rr) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddBoolToObject(o, "measured", rr->measured);
  cJSON_AddBoolToObject(o, "exact", rr->exact);
  cJSON_AddBoolToObject(o, "chosen", rr->chosen);
  add_num(o, "reads", (double)rr->reads), add_num(o, "reads_inserted", (double)rr->reads_inserted);
  add_num(o, "reads_not_inserted", (double)rr->reads_not_inserted);
  add_num(o, "reads_untracked", (double)rr->reads_untracked);
  add_num(o, "inserts", (double)rr->inserts), add_num(o, "share_inserted", rr->share_inserted);
  if (rr->measured) {
    add_raw(o, "latest", elmo_dist_to_json(&rr->latest.dist));
    cJSON_AddItemToObject(o, "latest_gof", gof_json(&rr->latest.gof));
    add_num(o, "d_popularity", rr->d_popularity), add_num(o, "d_excess", rr->d_excess);
    add_num(o, "excess_rank", (double)rr->excess_rank);
    add_num(o, "share_observed", rr->share_observed);
    add_num(o, "share_popular", rr->share_popular);
  }
  cJSON_AddStringToObject(o, "note", rr->note);
  return o;
}

static cJSON *phases_json(const elmo_model_report *r) {
  cJSON *a = cJSON_CreateArray();
  for (size_t i = 0; i < r->n_phases; i++) {
    const elmo_model_phase_report *p = &r->phases[i];
    cJSON *o = cJSON_CreateObject();
    add_num(o, "start_sec", p->start_sec), add_num(o, "duration_sec", p->duration_sec);
    add_num(o, "ops", (double)p->ops), add_num(o, "tvd_from_previous", p->tvd_from_previous);
    cJSON_AddItemToObject(o, "mix", mix_json(p->mix));
    cJSON_AddItemToObject(o, "rate", rate_json(&p->rate));
    cJSON_AddItemToArray(a, o);
  }
  return a;
}

static cJSON *refinements_json(const elmo_model_report *r) {
  cJSON *a = cJSON_CreateArray();
  for (size_t i = 0; i < r->n_refinements; i++) {
    const elmo_model_refinement *x = &r->refinements[i];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "quantity", elmo_model_quantity_name(x->quantity));
    cJSON_AddBoolToObject(o, "accepted", x->accepted);
    if (x->has_proposal) {
      add_raw(o, "proposed", elmo_dist_to_json(&x->proposed));
      cJSON_AddItemToObject(o, "proposed_gof", gof_json(&x->proposed_gof));
    }
    cJSON_AddItemToObject(o, "previous_gof", gof_json(&x->previous_gof));
    cJSON_AddStringToObject(o, "reason", x->reason);
    cJSON_AddItemToArray(a, o);
  }
  return a;
}

static cJSON *roles_json(const elmo_model_roles_report *rr) {
  cJSON *o = cJSON_CreateObject(), *a = cJSON_AddArrayToObject(o, "groups");
  cJSON_AddBoolToObject(o, "seen", rr->seen);
  cJSON_AddBoolToObject(o, "modeled", rr->modeled);
  add_num(o, "threads_left_out", rr->left_out);
  for (size_t i = 0; i < rr->n_roles; i++) {
    const elmo_model_role *role = &rr->roles[i];
    cJSON *g = cJSON_CreateObject();
    cJSON_AddStringToObject(g, "name", role->name);
    add_num(g, "threads", role->threads), add_num(g, "ops", (double)role->ops);
    add_num(g, "qps", role->qps);
    cJSON_AddItemToObject(g, "mix", mix_json(role->mix));
    cJSON_AddItemToObject(g, "rate", rate_json(&role->rate));
    cJSON_AddItemToArray(a, g);
  }
  cJSON_AddStringToObject(o, "note", rr->note);
  return o;
}

char *elmo_model_report_to_json(const elmo_model_report *r) {
  if (r == NULL) return NULL;
  cJSON *o = cJSON_CreateObject();
  if (o == NULL) return NULL;
  add_num(o, "ops", (double)r->ops);
  cJSON *counts = cJSON_AddObjectToObject(o, "counts");
  for (int k = 1; k < ELMO_TRACE_KIND_COUNT; k++) {
    add_num(counts, elmo_trace_kind_name((elmo_trace_kind)k), (double)r->counts[k]);
  }
  cJSON_AddItemToObject(o, "mix", mix_json(r->mix));
  add_num(o, "duration_sec", r->duration_sec), add_num(o, "window_sec", r->window_sec);
  add_num(o, "num_keys", (double)r->num_keys), add_num(o, "multiget_size", r->multiget_size);
  cJSON_AddItemToObject(o, "keys", keys_json(r));
  cJSON *fits = cJSON_AddObjectToObject(o, "fits");
  for (int q = 0; q < ELMO_MODEL_QUANTITY_COUNT; q++) {
    cJSON_AddItemToObject(fits, elmo_model_quantity_name((elmo_model_quantity)q),
                          fit_json(&r->fits[q]));
  }
  cJSON_AddItemToObject(o, "recency", recency_json(&r->recency));
  cJSON_AddItemToObject(o, "rate", rate_report_json(&r->rate));
  cJSON_AddItemToObject(o, "roles", roles_json(&r->roles));
  cJSON_AddItemToObject(o, "phases", phases_json(r));
  cJSON_AddItemToObject(o, "refinements", refinements_json(r));
  cJSON *th = cJSON_AddObjectToObject(o, "thresholds");
  add_num(th, "min_r2", r->options.min_r2), add_num(th, "min_ks_p", r->options.min_ks_p);
  add_num(th, "shift_tvd", r->options.shift_tvd), add_num(th, "threads", r->options.threads);
  char *s = cJSON_PrintUnformatted(o);
  cJSON_Delete(o);
  if (s == NULL) return NULL;
  char *copy = strdup(s); /* elmo_free() frees with free(); cJSON may use its own allocator */
  cJSON_free(s);
  return copy;
}

/* ---- text --------------------------------------------------------------------------------- */

static void text_mix(elmo_strbuf *b, const double mix[ELMO_SPEC_OP_COUNT]) {
  for (int i = 0; i < ELMO_SPEC_OP_COUNT; i++) {
    if (mix[i] > 0) elmo_strbuf_appendf(b, " %s %.4f", elmo_spec_op_name((elmo_spec_op)i), mix[i]);
  }
}

static void text_rate(elmo_strbuf *b, const elmo_spec_rate *r) {
  if (r->kind == ELMO_RATE_FIXED)
    elmo_strbuf_appendf(b, "fixed %.1f ops/s", r->qps);
  else if (r->kind == ELMO_RATE_SINE) {
    elmo_strbuf_appendf(b, "sine %.1f*sin(%.4g*t%+.3f)%+.1f ops/s", r->a, r->b, r->c, r->d);
  } else
    elmo_strbuf_appendf(b, "unlimited");
}

static void text_fit(elmo_strbuf *b, const elmo_model_report *r, int q) {
  const elmo_model_fit_report *f = &r->fits[q];
  char d[160];
  elmo_dist_format(&f->dist, d, sizeof d);
  elmo_strbuf_appendf(b, "%-12s %s", elmo_model_quantity_name((elmo_model_quantity)q), d);
  if (f->modeled) {
    elmo_strbuf_appendf(b, "  R2 %.4f  KS D %.4f p %.3g%s%s", f->gof.r2, f->gof.ks_d, f->gof.ks_p,
                        f->poor ? "  POOR FIT" : "", f->refined ? "  (refined)" : "");
  }
  elmo_strbuf_appendf(b, "\n             %s\n", f->note);
  for (size_t i = 0; i < f->n_alternatives && i < 3; i++) {
    elmo_dist_format(&f->alternatives[i].dist, d, sizeof d);
    elmo_strbuf_appendf(b, "             runner-up %s  R2 %.4f  KS D %.4f\n", d,
                        f->alternatives[i].gof.r2, f->alternatives[i].gof.ks_d);
  }
}

static void text_recency(elmo_strbuf *b, const elmo_model_recency_report *rr) {
  elmo_strbuf_appendf(
      b,
      "\nrecency: %llu of %llu reads (%.1f%%) of keys inserted earlier in the trace "
      "(%llu inserts), %llu of keys not inserted",
      (unsigned long long)rr->reads_inserted, (unsigned long long)rr->reads,
      100 * rr->share_inserted, (unsigned long long)rr->inserts,
      (unsigned long long)rr->reads_not_inserted);
  if (!rr->exact) {
    elmo_strbuf_appendf(b,
                        ", %llu not recorded (partial: the write class passed its exact key "
                        "limit)",
                        (unsigned long long)rr->reads_untracked);
  }
  if (rr->measured) {
    char d[96];
    elmo_dist_format(&rr->latest.dist, d, sizeof d);
    elmo_strbuf_appendf(
        b,
        "\n         %.1f%% of them on the %llu newest keys, %.1f%% under popularity "
        "(excess %.3f); %s KS D %.4f vs popularity KS D %.4f",
        100 * rr->share_observed, (unsigned long long)rr->excess_rank, 100 * rr->share_popular,
        rr->d_excess, d, rr->latest.gof.ks_d, rr->d_popularity);
  }
  elmo_strbuf_appendf(b, "\n         %s", rr->note);
}

static void text_characterization(elmo_strbuf *b, const elmo_model_report *r) {
  elmo_strbuf_appendf(b, "ops %llu over %.2f s (window %.0f s)\nmix:", (unsigned long long)r->ops,
                      r->duration_sec, r->window_sec);
  text_mix(b, r->mix);
  elmo_strbuf_appendf(b, "\ncounts:");
  for (int k = 1; k < ELMO_TRACE_KIND_COUNT; k++) {
    if (r->counts[k])
      elmo_strbuf_appendf(b, " %s %llu", elmo_trace_kind_name((elmo_trace_kind)k),
                          (unsigned long long)r->counts[k]);
  }
  elmo_strbuf_appendf(b, "\ndistinct keys:");
  for (int c = 0; c < ELMO_TRACE_CLASS_COUNT; c++) {
    const elmo_model_class_keys *k = &r->keys[c];
    if (k->exact)
      elmo_strbuf_appendf(b, " %s %llu (exact)", elmo_trace_class_name((elmo_trace_class)c),
                          (unsigned long long)k->distinct);
    else
      elmo_strbuf_appendf(b, " %s ~%llu (+-%.2f%%, counts +-%llu)",
                          elmo_trace_class_name((elmo_trace_class)c),
                          (unsigned long long)k->distinct, 100 * k->distinct_rel_error,
                          (unsigned long long)k->count_error_bound);
  }
  text_recency(b, &r->recency);
  elmo_strbuf_appendf(b, "\nqps per window:");
  for (size_t i = 0; i < r->rate.n_points && i < 24; i++)
    elmo_strbuf_appendf(b, " %.0f", r->rate.qps[i]);
  elmo_strbuf_appendf(b, "%s\n", r->rate.n_points > 24 ? " ..." : "");
}

char *elmo_model_report_to_text(const elmo_model_report *r) {
  if (r == NULL) return NULL;
  elmo_strbuf b = ELMO_STRBUF_INIT;
  elmo_strbuf_appendf(&b, "== characterization\n");
  text_characterization(&b, r);
  int threads = r->options.threads;
  if (r->roles.modeled) {
    threads = 0;
    for (size_t i = 0; i < r->roles.n_roles; i++) threads += r->roles.roles[i].threads;
  }
  elmo_strbuf_appendf(&b, "== model (num_keys %llu, threads %d%s)\n",
                      (unsigned long long)r->num_keys, threads,
                      r->roles.modeled ? " in groups by role" : "");
  for (int q = 0; q < ELMO_MODEL_QUANTITY_COUNT; q++) text_fit(&b, r, q);
  elmo_strbuf_appendf(&b, "%-12s ", "rate");
  text_rate(&b, &r->rate.rate);
  elmo_strbuf_appendf(&b, "\n             %s\nroles        %s\n", r->rate.note, r->roles.note);
  for (size_t i = 0; i < r->roles.n_roles; i++) {
    const elmo_model_role *role = &r->roles.roles[i];
    elmo_strbuf_appendf(&b, "             %s: %d thread%s, %.1f ops/s measured:", role->name,
                        role->threads, role->threads == 1 ? "" : "s", role->qps);
    text_mix(&b, role->mix);
    elmo_strbuf_appendf(&b, "; ");
    text_rate(&b, &role->rate);
    elmo_strbuf_appendf(&b, "\n");
  }
  elmo_strbuf_appendf(&b, "== phases (%zu)\n", r->n_phases);
  for (size_t i = 0; i < r->n_phases; i++) {
    const elmo_model_phase_report *p = &r->phases[i];
    elmo_strbuf_appendf(&b, "phase%zu %.1f..%.1f s, %llu ops, shift %.3f:", i + 1, p->start_sec,
                        p->start_sec + p->duration_sec, (unsigned long long)p->ops,
                        p->tvd_from_previous);
    text_mix(&b, p->mix);
    elmo_strbuf_appendf(&b, "; ");
    text_rate(&b, &p->rate);
    elmo_strbuf_appendf(&b, "\n");
  }
  for (size_t i = 0; i < r->n_refinements; i++) {
    const elmo_model_refinement *x = &r->refinements[i];
    elmo_strbuf_appendf(&b, "refine %s: %s\n", elmo_model_quantity_name(x->quantity), x->reason);
  }
  return elmo_strbuf_take(&b);
}
