/* trace_json.c — a trace summary (trace.h) as JSON: counts, windows, histograms, per-class key
 * statistics and the recency of reads. Pure: summary in, string out. */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "elmo/trace.h"

#define KINDS ELMO_TRACE_KIND_COUNT
#define CLASSES ELMO_TRACE_CLASS_COUNT

/* ---- JSON ---------------------------------------------------------------------------------- */

static int json_num(cJSON *o, const char *name, double v) {
  return cJSON_AddNumberToObject(o, name, v) != NULL;
}

/* A 64-bit value as "0x..." (JSON numbers are doubles and would round it). */
static int json_hex64(cJSON *o, const char *name, uint64_t v) {
  char buf[24];
  snprintf(buf, sizeof(buf), "0x%016" PRIx64, v);
  return cJSON_AddStringToObject(o, name, buf) != NULL;
}

static int json_hist(cJSON *parent, const char *name, const elmo_trace_hist *h) {
  cJSON *o = cJSON_AddObjectToObject(parent, name);
  cJSON *b = o ? cJSON_AddArrayToObject(o, "buckets") : NULL;
  if (b == NULL || !json_num(o, "count", (double)h->count) || !json_num(o, "min", (double)h->min) ||
      !json_num(o, "max", (double)h->max) || !json_num(o, "mean", h->mean)) {
    return 0;
  }
  for (size_t i = 0; i < h->n_buckets; i++) {
    const elmo_trace_bucket *bk = &h->buckets[i];
    double row[3] = {(double)bk->lo, (double)bk->hi, (double)bk->count};
    cJSON *a = cJSON_CreateDoubleArray(row, 3);
    if (a == NULL || !cJSON_AddItemToArray(b, a)) return cJSON_Delete(a), 0;
  }
  return 1;
}

static int json_kinds(cJSON *o, const uint64_t *counts, const double *fractions, int skip_zero) {
  for (int k = 1; k < KINDS; k++) {
    if (skip_zero && counts[k] == 0) continue;
    double v = fractions ? fractions[k] : (double)counts[k];
    if (!json_num(o, elmo_trace_kind_name((elmo_trace_kind)k), v)) return 0;
  }
  return 1;
}

static int json_windows(cJSON *root, const elmo_trace_summary *sum) {
  cJSON *a = cJSON_AddArrayToObject(root, "windows");
  if (a == NULL) return 0;
  for (size_t i = 0; i < sum->n_windows; i++) {
    const elmo_trace_window *w = &sum->windows[i];
    cJSON *o = cJSON_CreateObject();
    if (o == NULL || !cJSON_AddItemToArray(a, o)) return cJSON_Delete(o), 0;
    if (!json_num(o, "start_us", (double)w->start_us) || !json_num(o, "total", (double)w->total) ||
        !json_kinds(o, w->counts, NULL, 1)) {
      return 0;
    }
  }
  return 1;
}

static int json_hitters(cJSON *o, const elmo_trace_class_summary *cs) {
  static const char kHex[] = "0123456789abcdef";
  cJSON *a = cJSON_AddArrayToObject(o, "hitters");
  if (a == NULL) return 0;
  for (size_t i = 0; i < cs->n_hitters; i++) {
    const elmo_trace_hitter *h = &cs->hitters[i];
    char hex[2 * ELMO_TRACE_KEY_PREFIX + 1];
    size_t n = h->key_len < ELMO_TRACE_KEY_PREFIX ? h->key_len : ELMO_TRACE_KEY_PREFIX;
    for (size_t j = 0; j < n; j++) {
      hex[2 * j] = kHex[(unsigned char)h->key[j] >> 4];
      hex[2 * j + 1] = kHex[(unsigned char)h->key[j] & 15];
    }
    hex[2 * n] = '\0';
    cJSON *e = cJSON_CreateObject();
    if (e == NULL || !cJSON_AddItemToArray(a, e)) return cJSON_Delete(e), 0;
    if (cJSON_AddStringToObject(e, "key_hex", hex) == NULL ||
        !json_num(e, "key_len", (double)h->key_len) || !json_num(e, "count", (double)h->count) ||
        !json_num(e, "count_lower", (double)h->count_lower)) {
      return 0;
    }
  }
  return 1;
}

static int json_u64_array(cJSON *o, const char *name, const uint64_t *v, size_t n) {
  cJSON *a = cJSON_AddArrayToObject(o, name);
  if (a == NULL) return 0;
  for (size_t i = 0; i < n; i++) {
    cJSON *x = cJSON_CreateNumber((double)v[i]);
    if (x == NULL || !cJSON_AddItemToArray(a, x)) return cJSON_Delete(x), 0;
  }
  return 1;
}

static int json_class(cJSON *parent, elmo_trace_class c, const elmo_trace_class_summary *cs) {
  cJSON *o = cJSON_AddObjectToObject(parent, elmo_trace_class_name(c));
  cJSON *ks = o ? cJSON_AddObjectToObject(o, "keyspace") : NULL;
  return ks != NULL && json_num(o, "accesses", (double)cs->accesses) &&
         cJSON_AddBoolToObject(o, "exact", cs->exact) != NULL &&
         json_num(o, "distinct", (double)cs->distinct) &&
         json_num(o, "distinct_rel_error", cs->distinct_rel_error) &&
         json_num(o, "count_error_bound", (double)cs->count_error_bound) &&
         json_num(o, "count_error_delta", cs->count_error_delta) && json_hitters(o, cs) &&
         json_u64_array(o, "ranked", cs->ranked, cs->n_ranked) && json_hist(o, "freq", &cs->freq) &&
         json_hex64(ks, "prefix_min", cs->key_prefix_min) &&
         json_hex64(ks, "prefix_max", cs->key_prefix_max) &&
         json_hex64(ks, "lo", cs->keyspace_lo) && json_hex64(ks, "width", cs->keyspace_width) &&
         json_u64_array(ks, "counts", cs->keyspace, cs->n_keyspace);
}

static int json_recency(cJSON *parent, const elmo_trace_recency *r) {
  cJSON *o = cJSON_AddObjectToObject(parent, "recency");
  return o != NULL && cJSON_AddBoolToObject(o, "exact", r->exact) != NULL &&
         json_num(o, "stopped_at_op", (double)r->stopped_at_op) &&
         json_num(o, "inserts", (double)r->inserts) && json_num(o, "reads", (double)r->reads) &&
         json_num(o, "reads_inserted", (double)r->reads_inserted) &&
         json_num(o, "reads_not_inserted", (double)r->reads_not_inserted) &&
         json_num(o, "reads_untracked", (double)r->reads_untracked) &&
         json_hist(o, "ranks", &r->ranks) && json_hist(o, "pool", &r->pool);
}

static int json_threads(cJSON *root, const elmo_trace_summary *sum) {
  cJSON *arr = cJSON_AddArrayToObject(root, "threads");
  if (arr == NULL || !json_num(root, "ops_thread_unknown", (double)sum->ops_thread_unknown) ||
      !json_num(root, "ops_thread_overflow", (double)sum->ops_thread_overflow)) {
    return 0;
  }
  for (size_t i = 0; i < sum->n_threads; i++) {
    const elmo_trace_thread *t = &sum->threads[i];
    cJSON *o = cJSON_CreateObject();
    if (o == NULL || !cJSON_AddItemToArray(arr, o)) {
      cJSON_Delete(o);
      return 0;
    }
    cJSON *counts = cJSON_AddObjectToObject(o, "counts");
    if (counts == NULL || !json_num(o, "id", t->id) || !json_num(o, "ops", (double)t->ops) ||
        !json_kinds(counts, t->counts, NULL, 1)) {
      return 0;
    }
  }
  return 1;
}

static int json_summary(cJSON *root, const elmo_trace_summary *sum) {
  cJSON *counts = cJSON_AddObjectToObject(root, "counts");
  cJSON *fractions = cJSON_AddObjectToObject(root, "fractions");
  if (counts == NULL || fractions == NULL || !json_num(root, "ops", (double)sum->ops) ||
      !json_kinds(counts, sum->counts, NULL, 0) ||
      !json_kinds(fractions, sum->counts, sum->fractions, 0) ||
      !json_num(root, "first_ts_us", (double)sum->first_ts_us) ||
      !json_num(root, "last_ts_us", (double)sum->last_ts_us) ||
      !json_num(root, "duration_us", (double)sum->duration_us) ||
      !json_num(root, "ts_before_first", (double)sum->ts_before_first) ||
      !json_num(root, "window_us", (double)sum->window_us) ||
      !json_num(root, "window_merges", sum->window_merges) || !json_windows(root, sum) ||
      !json_hist(root, "key_size", &sum->key_size) ||
      !json_hist(root, "value_size", &sum->value_size) ||
      !json_hist(root, "batch_ops", &sum->batch_ops) ||
      !json_hist(root, "multiget_keys", &sum->multiget_keys) ||
      !json_num(root, "seeks_with_lower", (double)sum->seeks_with_lower) ||
      !json_num(root, "seeks_with_upper", (double)sum->seeks_with_upper) ||
      !json_recency(root, &sum->recency) || !json_threads(root, sum) ||
      !json_hist(root, "scan_length", &sum->scan_length)) {
    return 0;
  }
  cJSON *classes = cJSON_AddObjectToObject(root, "classes");
  for (int c = 0; c < CLASSES; c++) {
    if (classes == NULL || !json_class(classes, (elmo_trace_class)c, &sum->classes[c])) return 0;
  }
  return 1;
}

elmo_rc elmo_trace_summary_to_json(const elmo_trace_summary *sum, char **out, elmo_error *err) {
  if (out != NULL) *out = NULL;
  if (sum == NULL || out == NULL)
    return elmo_error_set(err, ELMO_EINVAL, "summary and out must not be NULL");
  cJSON *root = cJSON_CreateObject();
  char *text = (root != NULL && json_summary(root, sum)) ? cJSON_PrintUnformatted(root) : NULL;
  cJSON_Delete(root);
  if (text == NULL) return elmo_error_set(err, ELMO_ENOMEM, "no memory for the trace summary JSON");
  /* cJSON allocates with malloc (its default hooks), which elmo_free releases. */
  *out = text;
  return ELMO_OK;
}
