/* model_compare.c — fidelity: how closely two traces agree (op mix, key and value sizes, key
 * access ranks, QPS). See model.h for the definitions, in particular the stated-resolution
 * p-value the verdict uses. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

/* The KS of two samples into k; an empty side leaves it unavailable. */
static elmo_rc ks_pair(const elmo_sample *a, uint64_t na, const elmo_sample *b, uint64_t nb,
                       elmo_model_ks *k, elmo_error *err) {
  memset(k, 0, sizeof *k);
  k->n_a = na, k->n_b = nb;
  if (na == 0 || nb == 0) {
    k->pass = na == 0 && nb == 0;
    return ELMO_OK;
  }
  elmo_ks2 r;
  elmo_rc rc = elmo_ks_two_sample(a, b, &r, err);
  if (rc != ELMO_OK) return rc;
  double ra = na < ELMO_MODEL_RES_N ? (double)na : ELMO_MODEL_RES_N;
  double rb = nb < ELMO_MODEL_RES_N ? (double)nb : ELMO_MODEL_RES_N;
  k->available = 1, k->d = r.d, k->p_full = r.p;
  k->p_res = elmo_ks_pvalue(r.d, ra * rb / (ra + rb));
  k->pass = k->p_res > ELMO_MODEL_PASS_P;
  return ELMO_OK;
}

static elmo_rc ks_hists(const elmo_trace_hist *ha, const elmo_trace_hist *hb, elmo_model_ks *k,
                        elmo_error *err) {
  elmo_hist_bin *a = NULL, *b = NULL;
  size_t na = 0, nb = 0;
  elmo_rc rc = model_hist_bins(ha, &a, &na);
  if (rc == ELMO_OK) rc = model_hist_bins(hb, &b, &nb);
  if (rc != ELMO_OK) elmo_error_set(err, rc, "out of memory");
  elmo_sample sa = elmo_sample_of_bins(a, na), sb = elmo_sample_of_bins(b, nb);
  if (rc == ELMO_OK) rc = ks_pair(&sa, na ? ha->count : 0, &sb, nb ? hb->count : 0, k, err);
  free(a), free(b);
  return rc;
}

static uint64_t bins_total(const elmo_hist_bin *b, size_t n) {
  uint64_t t = 0;
  for (size_t i = 0; i < n; i++) t += b[i].count;
  return t;
}

static elmo_rc ks_ranks(const elmo_trace_summary *sa, const elmo_trace_summary *sb,
                        elmo_model_ks *k, elmo_error *err) {
  elmo_hist_bin *a = NULL, *b = NULL;
  size_t na = 0, nb = 0;
  const elmo_trace_class_summary *ca = &sa->classes[ELMO_TRACE_CLASS_ALL];
  const elmo_trace_class_summary *cb = &sb->classes[ELMO_TRACE_CLASS_ALL];
  elmo_rc rc = ELMO_OK;
  if (ca->accesses > 0) rc = elmo_model_rank_bins(ca, &a, &na, err);
  if (rc == ELMO_OK && cb->accesses > 0) rc = elmo_model_rank_bins(cb, &b, &nb, err);
  elmo_sample xa = elmo_sample_of_bins(a, na), xb = elmo_sample_of_bins(b, nb);
  if (rc == ELMO_OK) rc = ks_pair(&xa, bins_total(a, na), &xb, bins_total(b, nb), k, err);
  free(a), free(b);
  return rc;
}

static elmo_rc ks_qps(const elmo_trace_summary *sa, const elmo_trace_summary *sb, elmo_model_ks *k,
                      elmo_error *err) {
  double *ta = NULL, *qa = NULL, *tb = NULL, *qb = NULL;
  size_t na = 0, nb = 0;
  elmo_rc rc = model_qps_series(sa, 0, sa->n_windows, &ta, &qa, &na);
  if (rc == ELMO_OK) rc = model_qps_series(sb, 0, sb->n_windows, &tb, &qb, &nb);
  if (rc != ELMO_OK) elmo_error_set(err, rc, "out of memory");
  elmo_sample xa = elmo_sample_of_values(qa, na), xb = elmo_sample_of_values(qb, nb);
  if (rc == ELMO_OK) rc = ks_pair(&xa, na, &xb, nb, k, err);
  free(ta), free(qa), free(tb), free(qb);
  return rc;
}

static void compare_mix(const elmo_trace_summary *a, const elmo_trace_summary *b,
                        elmo_model_fidelity *out) {
  model_mix_fractions(a->counts, out->mix_a);
  model_mix_fractions(b->counts, out->mix_b);
  for (int i = 0; i < ELMO_SPEC_OP_COUNT; i++) {
    out->mix_max_diff = fmax(out->mix_max_diff, fabs(out->mix_a[i] - out->mix_b[i]));
  }
  out->mix_tvd = model_mix_tvd(out->mix_a, out->mix_b);
  out->mix_pass = out->mix_max_diff <= ELMO_MODEL_MIX_MAX_DIFF;
}

elmo_rc elmo_model_compare(const elmo_trace_summary *a, const elmo_trace_summary *b,
                           elmo_model_fidelity *out, elmo_error *err) {
  if (out) memset(out, 0, sizeof *out);
  if (a == NULL || b == NULL || out == NULL)
    return elmo_error_set(err, ELMO_EINVAL, "model_compare: NULL argument");
  if (a->ops == 0 || b->ops == 0) {
    return elmo_error_set(err, ELMO_EINVAL, "model_compare: trace %s has no ops",
                          a->ops ? "b" : "a");
  }
  compare_mix(a, b, out);
  elmo_rc rc = ks_hists(&a->key_size, &b->key_size, &out->key_size, err);
  if (rc == ELMO_OK) rc = ks_hists(&a->value_size, &b->value_size, &out->value_size, err);
  if (rc == ELMO_OK) rc = ks_ranks(a, b, &out->key_access, err);
  if (rc == ELMO_OK) rc = ks_qps(a, b, &out->qps, err);
  if (rc != ELMO_OK) {
    memset(out, 0, sizeof *out);
    return rc;
  }
  out->pass = out->mix_pass && out->key_size.pass && out->value_size.pass && out->key_access.pass &&
              out->qps.pass;
  return ELMO_OK;
}

/* ---- output ------------------------------------------------------------------------------- */

static const char *const kParts[] = {"key_size", "value_size", "key_access", "qps"};

static const elmo_model_ks *part(const elmo_model_fidelity *f, int i) {
  const elmo_model_ks *p[] = {&f->key_size, &f->value_size, &f->key_access, &f->qps};
  return p[i];
}

static cJSON *n_or_null(double v) {
  return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull();
}

char *elmo_model_fidelity_to_json(const elmo_model_fidelity *f) {
  if (f == NULL) return NULL;
  cJSON *o = cJSON_CreateObject();
  if (o == NULL) return NULL;
  cJSON *mix = cJSON_AddObjectToObject(o, "mix");
  cJSON *ma = cJSON_AddObjectToObject(mix, "a"), *mb = cJSON_AddObjectToObject(mix, "b");
  for (int i = 0; i < ELMO_SPEC_OP_COUNT; i++) {
    cJSON_AddNumberToObject(ma, elmo_spec_op_name((elmo_spec_op)i), f->mix_a[i]);
    cJSON_AddNumberToObject(mb, elmo_spec_op_name((elmo_spec_op)i), f->mix_b[i]);
  }
  cJSON_AddNumberToObject(mix, "max_abs_diff", f->mix_max_diff);
  cJSON_AddNumberToObject(mix, "tvd", f->mix_tvd);
  cJSON_AddBoolToObject(mix, "pass", f->mix_pass);
  for (int i = 0; i < 4; i++) {
    const elmo_model_ks *k = part(f, i);
    cJSON *e = cJSON_AddObjectToObject(o, kParts[i]);
    cJSON_AddBoolToObject(e, "available", k->available);
    cJSON_AddItemToObject(e, "d", n_or_null(k->d));
    cJSON_AddItemToObject(e, "p_full", n_or_null(k->p_full));
    cJSON_AddItemToObject(e, "p_at_resolution", n_or_null(k->p_res));
    cJSON_AddNumberToObject(e, "n_a", (double)k->n_a);
    cJSON_AddNumberToObject(e, "n_b", (double)k->n_b);
    cJSON_AddBoolToObject(e, "pass", k->pass);
  }
  cJSON_AddNumberToObject(o, "resolution_n", ELMO_MODEL_RES_N);
  cJSON_AddNumberToObject(o, "pass_p", ELMO_MODEL_PASS_P);
  cJSON_AddBoolToObject(o, "pass", f->pass);
  char *s = cJSON_PrintUnformatted(o);
  cJSON_Delete(o);
  char *copy = s ? strdup(s) : NULL;
  cJSON_free(s);
  return copy;
}

char *elmo_model_fidelity_to_text(const elmo_model_fidelity *f) {
  if (f == NULL) return NULL;
  elmo_strbuf b = ELMO_STRBUF_INIT;
  elmo_strbuf_appendf(&b, "%-11s %-8s %-8s %-8s %-11s %-10s %-10s %s\n", "quantity", "A", "B", "D",
                      "p(full n)", "p(n=100)", "verdict", "");
  elmo_strbuf_appendf(&b, "%-11s max|diff| %.4f, TVD %.4f (limit %.2f)        %s\n", "op mix",
                      f->mix_max_diff, f->mix_tvd, ELMO_MODEL_MIX_MAX_DIFF,
                      f->mix_pass ? "pass" : "FAIL");
  for (int i = 0; i < 4; i++) {
    const elmo_model_ks *k = part(f, i);
    if (!k->available) {
      elmo_strbuf_appendf(&b, "%-11s %-8llu %-8llu %-41s %s\n", kParts[i],
                          (unsigned long long)k->n_a, (unsigned long long)k->n_b,
                          "(no data on a side)", k->pass ? "pass" : "FAIL");
      continue;
    }
    elmo_strbuf_appendf(&b, "%-11s %-8llu %-8llu %-8.4f %-11.3g %-10.3g %s\n", kParts[i],
                        (unsigned long long)k->n_a, (unsigned long long)k->n_b, k->d, k->p_full,
                        k->p_res, k->pass ? "pass" : "FAIL");
  }
  elmo_strbuf_appendf(
      &b,
      "verdict: %s (KS parts pass when p at %d samples per side > %.2f, i.e. "
      "indistinguishable at percentile resolution; p(full n) is shown, not judged)\n",
      f->pass ? "PASS" : "FAIL", ELMO_MODEL_RES_N, ELMO_MODEL_PASS_P);
  return elmo_strbuf_take(&b);
}
