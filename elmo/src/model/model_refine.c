/* model_refine.c — asking an LLM for a better distribution when a fit is poor: the prompt, the
 * answer's JSON, the numeric check, and the update of report and spec. See model.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/scan.h"
#include "model_internal.h"
#include "elmo/number.h"

#define PROMPT_BINS 32
#define PROMPT_WINDOWS 16

static const char kSystem[] =
    "You model storage workloads. Given a measured distribution and the fits already tried, "
    "propose one distribution that fits the data better. Answer with exactly one JSON object "
    "such as {\"dist\":\"gpareto\",\"theta\":0,\"sigma\":25,\"k\":0.2}. Allowed: fixed(value), "
    "uniform(min,max), normal(mean,stddev), exponential(lambda), pareto(xm,alpha), "
    "gpareto(theta,sigma,k) for sizes; zipfian(theta) for key access ranks.";

/* The sample a quantity is fitted on. OUT *bins (free()), *n. */
static elmo_rc quantity_bins(const elmo_trace_summary *sum, elmo_model_quantity q,
                             elmo_hist_bin **bins, size_t *n, elmo_error *err) {
  if (q == ELMO_MODEL_KEY_ACCESS)
    return elmo_model_rank_bins(&sum->classes[ELMO_TRACE_CLASS_ALL], bins, n, err);
  const elmo_trace_hist *h = q == ELMO_MODEL_KEY_SIZE ? &sum->key_size : &sum->value_size;
  if (model_hist_bins(h, bins, n) != ELMO_OK)
    return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  return ELMO_OK;
}

/* Writes at most PROMPT_BINS merged bins as [value, count] pairs: equal runs of bins for sizes,
 * ranks grouped by powers of two for key access. */
static void prompt_hist(elmo_strbuf *b, const elmo_hist_bin *bins, size_t n, int log_groups) {
  size_t step = (n + PROMPT_BINS - 1) / PROMPT_BINS, i = 0, limit = 1;
  elmo_strbuf_appendf(b, "[");
  for (int first = 1; i < n; first = 0) {
    size_t end = log_groups ? (limit < n ? limit : n) : (i + step < n ? i + step : n);
    if (end <= i) end = i + 1;
    double wsum = 0;
    uint64_t c = 0;
    for (; i < end; i++) wsum += bins[i].value * (double)bins[i].count, c += bins[i].count;
    elmo_strbuf_appendf(b, "%s[%.6g,%llu]", first ? "" : ",",
                        c ? wsum / (double)c : bins[end - 1].value, (unsigned long long)c);
    limit *= 2;
  }
  elmo_strbuf_appendf(b, "]");
}

static void prompt_fits(elmo_strbuf *b, const elmo_model_fit_report *f) {
  char *d = elmo_dist_to_json(&f->dist);
  elmo_strbuf_appendf(b, "[{\"dist\":%s,\"r2\":%.4f,\"ks_d\":%.4f}", d ? d : "null", f->gof.r2,
                      f->gof.ks_d);
  elmo_free(d);
  for (size_t i = 0; i < f->n_alternatives; i++) {
    d = elmo_dist_to_json(&f->alternatives[i].dist);
    elmo_strbuf_appendf(b, ",{\"dist\":%s,\"r2\":%.4f,\"ks_d\":%.4f}", d ? d : "null",
                        f->alternatives[i].gof.r2, f->alternatives[i].gof.ks_d);
    elmo_free(d);
  }
  elmo_strbuf_appendf(b, "]");
}

static void prompt_windows(elmo_strbuf *b, const elmo_trace_summary *sum) {
  size_t step = (sum->n_windows + PROMPT_WINDOWS - 1) / PROMPT_WINDOWS;
  elmo_strbuf_appendf(b, "[");
  for (size_t i = 0; i < sum->n_windows; i += step ? step : 1) {
    elmo_strbuf_appendf(b, "%s[%.1f,%llu]", i ? "," : "", (double)sum->windows[i].start_us / 1e6,
                        (unsigned long long)sum->windows[i].total);
  }
  elmo_strbuf_appendf(b, "]");
}

static char *build_prompt(const elmo_trace_summary *sum, const elmo_model_report *r,
                          elmo_model_quantity q, const elmo_hist_bin *bins, size_t n) {
  const elmo_model_fit_report *f = &r->fits[q];
  const char *name = elmo_model_quantity_name(q);
  elmo_strbuf b = ELMO_STRBUF_INIT;
  elmo_strbuf_appendf(
      &b,
      "The %s of a RocksDB trace (%llu ops over %.1f s) is not fitted well: the "
      "best model has R2 %.4f and KS D %.4f (thresholds R2 >= %.2f, KS p >= %.2f).\n",
      name, (unsigned long long)r->ops, r->duration_sec, f->gof.r2, f->gof.ks_d, r->options.min_r2,
      r->options.min_ks_p);
  elmo_strbuf_appendf(
      &b,
      "%s\nThe data as [value, count] bins, the fits tried and the QPS windows "
      "[start_sec, ops]:\n```json\n{\"elmo_model_refine\":1,\"quantity\":\"%s\","
      "\"histogram\":",
      q == ELMO_MODEL_KEY_ACCESS
          ? "Values are popularity ranks (1 = most accessed key), counts are accesses."
          : "Values are sizes in bytes.",
      name);
  prompt_hist(&b, bins, n, q == ELMO_MODEL_KEY_ACCESS);
  elmo_strbuf_appendf(&b, ",\"fits\":");
  prompt_fits(&b, f);
  elmo_strbuf_appendf(&b, ",\"windows\":");
  prompt_windows(&b, sum);
  elmo_strbuf_appendf(&b, "}\n```\nAnswer with one JSON object {\"dist\": ...} only.\n");
  return elmo_strbuf_take(&b);
}

/* The first balanced {...} in text (strings respected). OUT a new string, or NULL. */
static char *first_object(const char *text) {
  const char *s = text ? strchr(text, '{') : NULL;
  for (; s != NULL; s = strchr(s + 1, '{')) {
    elmo_scan sc = {.flags = ELMO_SCAN_ESCAPES};
    for (const char *p = s; *p; p++) {
      if (elmo_scan_next(&sc, *p) != ELMO_SCAN_CLOSE || sc.depth > 0) continue;
      char *o = malloc((size_t)(p - s) + 2);
      if (o) memcpy(o, s, (size_t)(p - s) + 1), o[p - s + 1] = '\0';
      return o;
    }
  }
  return NULL;
}

static int kind_allowed(elmo_model_quantity q, elmo_dist_kind k) {
  if (q == ELMO_MODEL_KEY_ACCESS) return k == ELMO_DIST_ZIPFIAN;
  return k <= ELMO_DIST_GPARETO;
}

/* Scores the current dist on the sample (key access: uniform over the ranks). */
static elmo_rc score_current(const elmo_model_fit_report *f, uint64_t ranks, const elmo_sample *s,
                             elmo_gof *g, elmo_error *err) {
  elmo_dist d = f->dist;
  if (d.kind == ELMO_DIST_CLASSES) { /* scored on the rank curve it predicts (model_classes.c) */
    *g = f->gof;
    return ELMO_OK;
  }
  if (elmo_dist_is_rank(d.kind)) d.n = ranks;
  if (d.kind == ELMO_DIST_UNIFORM && ranks) d.params[0] = 0, d.params[1] = (double)ranks;
  return elmo_fit_gof(&d, s, g, err);
}

/* Parses and scores the answer into x (accepted or with the reason it is not). */
static void judge(const char *answer, elmo_model_quantity q, const elmo_model_fit_report *f,
                  const elmo_sample *s, uint64_t ranks, elmo_model_refinement *x) {
  elmo_error e;
  char *obj = first_object(answer);
  if (obj == NULL) {
    snprintf(x->reason, sizeof x->reason, "rejected: the answer holds no JSON object");
    return;
  }
  elmo_dist d;
  elmo_rc rc = elmo_dist_from_json(obj, &d, &e);
  free(obj);
  if (rc != ELMO_OK) {
    snprintf(x->reason, sizeof x->reason, "rejected: not a distribution: %.200s", e.message);
    return;
  }
  if (!kind_allowed(q, d.kind)) {
    snprintf(x->reason, sizeof x->reason, "rejected: %s is not a model for %s",
             elmo_dist_kind_name(d.kind), elmo_model_quantity_name(q));
    return;
  }
  if (q != ELMO_MODEL_KEY_ACCESS && !model_size_in_spec(&d, q)) {
    snprintf(x->reason, sizeof x->reason, "rejected: its support leaves the spec's %s range",
             elmo_model_quantity_name(q));
    return;
  }
  if (elmo_dist_is_rank(d.kind)) d.n = ranks;
  if (elmo_fit_gof(&d, s, &x->proposed_gof, &e) != ELMO_OK ||
      score_current(f, ranks, s, &x->previous_gof, &e) != ELMO_OK) {
    snprintf(x->reason, sizeof x->reason, "rejected: cannot score it: %.200s", e.message);
    return;
  }
  x->proposed = d, x->has_proposal = 1;
  double now = model_fit_score(&f->dist, &x->previous_gof),
         cand = model_fit_score(&d, &x->proposed_gof);
  x->accepted = cand < now;
  elmo_number_snprintf(x->reason, sizeof x->reason, "%s: score (KS D + parsimony) %.4f vs %.4f of the fit",
           x->accepted ? "accepted" : "rejected: fits worse", cand, now);
}

static void apply(const elmo_model_refinement *x, elmo_model_report *r, elmo_spec *spec) {
  elmo_model_fit_report *f = &r->fits[x->quantity];
  if (f->n_alternatives == ELMO_FIT_REPORT_MAX) f->n_alternatives--;
  memmove(f->alternatives + 1, f->alternatives, f->n_alternatives * sizeof f->alternatives[0]);
  f->alternatives[0].dist = f->dist, f->alternatives[0].gof = x->previous_gof;
  f->n_alternatives++;
  f->dist = x->proposed, f->gof = x->proposed_gof, f->refined = 1, f->modeled = 1;
  model_mark_poor(f, &r->options);
  if (x->quantity == ELMO_MODEL_KEY_SIZE) spec->key_size = f->dist;
  if (x->quantity == ELMO_MODEL_VALUE_SIZE) spec->preload_value_size = f->dist;
  for (size_t i = 0; i < spec->n_phases; i++) {
    if (x->quantity == ELMO_MODEL_VALUE_SIZE) spec->phases[i].value_size = f->dist;
    if (x->quantity == ELMO_MODEL_KEY_ACCESS) {
      spec->phases[i].key_access = f->dist, spec->phases[i].key_access.n = spec->num_keys;
    }
  }
}

/* One exchange about quantity q. Returns ELMO_OK, ELMO_ENOMEM or ELMO_ECANCELED. */
static elmo_rc refine_one(const elmo_trace_summary *sum, elmo_llm *llm, elmo_model_report *r,
                          elmo_spec *spec, elmo_model_quantity q, elmo_error *err) {
  elmo_model_refinement *x = &r->refinements[r->n_refinements];
  memset(x, 0, sizeof *x);
  x->quantity = q, x->previous_gof = r->fits[q].gof;
  elmo_hist_bin *bins = NULL;
  size_t n = 0;
  elmo_rc rc = quantity_bins(sum, q, &bins, &n, err);
  char *prompt = rc == ELMO_OK ? build_prompt(sum, r, q, bins, n) : NULL;
  if (prompt == NULL) {
    free(bins);
    return rc == ELMO_OK ? elmo_error_set(err, ELMO_ENOMEM, "out of memory") : rc;
  }
  r->n_refinements++;
  elmo_message msgs[2] = {{ELMO_ROLE_SYSTEM, kSystem}, {ELMO_ROLE_USER, prompt}};
  elmo_llm_reply reply;
  elmo_error e;
  rc = elmo_llm_complete(llm, msgs, 2, &reply, &e);
  if (rc != ELMO_OK) {
    snprintf(x->reason, sizeof x->reason, "rejected: the advisor failed: %.200s", e.message);
  } else {
    elmo_sample s = elmo_sample_of_bins(bins, n);
    judge(reply.text, q, &r->fits[q], &s, q == ELMO_MODEL_KEY_ACCESS ? (uint64_t)n : 0, x);
    if (x->accepted) apply(x, r, spec);
  }
  elmo_llm_reply_clear(&reply);
  free(prompt), free(bins);
  if (rc == ELMO_ECANCELED) return elmo_error_set(err, rc, "model_refine: cancelled");
  return rc == ELMO_ENOMEM ? elmo_error_set(err, rc, "out of memory") : ELMO_OK;
}

elmo_rc elmo_model_refine(const elmo_trace_summary *sum, elmo_llm *llm, elmo_model_report *report,
                          elmo_spec *spec, elmo_error *err) {
  if (sum == NULL || llm == NULL || report == NULL || spec == NULL) {
    return elmo_error_set(err, ELMO_EINVAL, "model_refine: NULL argument");
  }
  static const elmo_model_quantity kAsk[] = {ELMO_MODEL_KEY_SIZE, ELMO_MODEL_VALUE_SIZE,
                                             ELMO_MODEL_KEY_ACCESS};
  report->n_refinements = 0;
  for (size_t i = 0; i < sizeof kAsk / sizeof kAsk[0]; i++) {
    const elmo_model_fit_report *f = &report->fits[kAsk[i]];
    if (!f->modeled || !f->poor) continue;
    if (f->dist.kind == ELMO_DIST_LATEST) continue; /* judged on recency ranks, not popularity */
    elmo_rc rc = refine_one(sum, llm, report, spec, kAsk[i], err);
    if (rc != ELMO_OK) return rc;
  }
  return ELMO_OK;
}
