/* facts_parse.c — the one reader of the facts JSON (elmo_facts_parse, elmo_facts_find): the
 * struct borrows the parsed tree's strings. The writer is facts.c. See facts.h. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "elmo/facts.h"

struct elmo_facts_doc {
  elmo_facts facts;
  cJSON *root;
  void **blocks; /* every array the struct points to */
  size_t n_blocks;
  int oom;
};

static void *doc_alloc(elmo_facts_doc *d, size_t n, size_t size) {
  if (n == 0 || d->oom) return NULL;
  void **grown = realloc(d->blocks, (d->n_blocks + 1) * sizeof *grown);
  void *p = grown != NULL ? calloc(n, size) : NULL;
  if (grown != NULL) d->blocks = grown;
  if (p == NULL) {
    d->oom = 1;
    return NULL;
  }
  d->blocks[d->n_blocks++] = p;
  return p;
}

static const cJSON *item(const cJSON *o, const char *name) { return cJSON_GetObjectItemCaseSensitive(o, name); }

static double number(const cJSON *o, const char *name) {
  const cJSON *v = item(o, name);
  return cJSON_IsNumber(v) ? v->valuedouble : ELMO_FACT_UNKNOWN;
}

static double flag(const cJSON *o, const char *name) {
  const cJSON *v = item(o, name);
  return cJSON_IsBool(v) ? (cJSON_IsTrue(v) ? 1 : 0) : ELMO_FACT_UNKNOWN;
}

static const char *string(const cJSON *o, const char *name) {
  const cJSON *v = item(o, name);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const char *const *strings(elmo_facts_doc *d, const cJSON *a, size_t *n) {
  *n = 0;
  const char **out = doc_alloc(d, (size_t)cJSON_GetArraySize(a), sizeof *out);
  const cJSON *s;
  cJSON_ArrayForEach(s, a) {
    if (out != NULL && cJSON_IsString(s)) out[(*n)++] = s->valuestring;
  }
  return out;
}

/* {"name": "value", ...}; members that are not strings are skipped. */
static const elmo_fact_option *options(elmo_facts_doc *d, const cJSON *o, size_t *n) {
  *n = 0;
  elmo_fact_option *out = cJSON_IsObject(o) ? doc_alloc(d, (size_t)cJSON_GetArraySize(o), sizeof *out) : NULL;
  const cJSON *v;
  cJSON_ArrayForEach(v, o) {
    if (out != NULL && cJSON_IsString(v)) out[(*n)++] = (elmo_fact_option){v->string, v->valuestring};
  }
  return out;
}

static void read_workload(const cJSON *w, elmo_fact_workload *out) {
  out->read = number(w, "read");
  out->write = number(w, "write");
  out->scan = number(w, "scan");
  out->key_bytes = number(w, "key_bytes");
  out->value_bytes = number(w, "value_bytes");
  out->num_keys = number(w, "num_keys");
  out->scan_length = number(w, "scan_length");
  out->ops_per_sec = number(w, "ops_per_sec");
  out->threads = number(w, "threads");
  out->skewed = flag(w, "skewed");
  out->preload = flag(w, "preload");
  out->rewrite = flag(w, "rewrite");
}

static void read_best(elmo_facts_doc *d, const cJSON *b, elmo_fact_best *out) {
  out->options = options(d, item(b, "options"), &out->n_options);
  out->ops_per_sec = number(b, "ops_per_sec");
  out->p99_us = number(b, "p99_us");
  out->stall_percent = number(b, "stall_percent");
  out->cache_hit_rate = number(b, "cache_hit_rate");
  out->cpu_percent = number(b, "cpu_percent");
  out->peak_memory_bytes = number(b, "peak_memory_bytes");
  out->memory_estimate_bytes = number(b, "memory_estimate_bytes");
  out->block_cache_bytes = number(b, "block_cache_bytes");
  out->pending_compaction_bytes = number(b, "pending_compaction_bytes");
  out->l0_files = number(b, "l0_files");
  out->flush_bytes_per_sec = number(b, "flush_bytes_per_sec");
  out->compact_bytes_per_sec = number(b, "compact_bytes_per_sec");
  out->blocks_per_get = number(b, "blocks_per_get");
  out->stall_cause = string(b, "stall_cause");
  const cJSON *share = item(b, "time_share");
  elmo_fact_number *ts = cJSON_IsObject(share) ? doc_alloc(d, (size_t)cJSON_GetArraySize(share), sizeof *ts) : NULL;
  const cJSON *v;
  cJSON_ArrayForEach(v, share) {
    if (ts != NULL && cJSON_IsNumber(v)) ts[out->n_time_share++] = (elmo_fact_number){v->string, v->valuedouble};
  }
  out->time_share = ts;
}

static void read_tried(elmo_facts_doc *d, const cJSON *a, elmo_facts *f) {
  elmo_fact_trial *t = doc_alloc(d, (size_t)cJSON_GetArraySize(a), sizeof *t);
  const cJSON *e;
  cJSON_ArrayForEach(e, a) {
    if (t == NULL || !cJSON_IsObject(e)) continue;
    elmo_fact_trial *x = &t[f->n_tried++];
    x->changes = options(d, item(e, "changes"), &x->n_changes);
    x->status = string(e, "status");
    x->score = number(e, "score");
    x->gain = number(e, "gain");
  }
  f->tried = t;
}

static void read_blocked(elmo_facts_doc *d, const cJSON *a, elmo_facts *f) {
  elmo_fact_blocked *b = doc_alloc(d, (size_t)cJSON_GetArraySize(a), sizeof *b);
  const cJSON *e;
  cJSON_ArrayForEach(e, a) {
    const char *option = string(e, "option"), *to = string(e, "to");
    if (b == NULL || option == NULL || to == NULL) continue;
    double dir = number(e, "direction");
    b[f->n_blocked++] = (elmo_fact_blocked){option, to, dir > 0 ? 1 : dir < 0 ? -1 : 0, string(e, "why")};
  }
  f->blocked = b;
}

static void read_facts(elmo_facts_doc *d, const cJSON *o) {
  elmo_facts *f = &d->facts;
  elmo_facts_init(f);
  f->phase = string(o, "phase");
  if (f->phase == NULL) f->phase = "tune";
  f->mutable_only = cJSON_IsTrue(item(o, "mutable_only"));
  f->cpus = number(o, "cpus");
  f->memory_bytes = number(o, "memory_bytes");
  f->direct_io = flag(o, "direct_io");
  f->memory_budget_bytes = number(o, "memory_budget_bytes");
  read_workload(item(o, "workload"), &f->workload);
  f->locked = strings(d, item(o, "locked"), &f->n_locked);
  read_best(d, item(o, "best"), &f->best);
  read_tried(d, item(o, "tried"), f);
  f->rejected = strings(d, item(o, "rejected"), &f->n_rejected);
  f->focus = strings(d, item(o, "focus"), &f->n_focus);
  read_blocked(d, item(o, "blocked"), f);
  const cJSON *shift = item(o, "shift");
  f->shift.reason = string(shift, "reason");
  f->shift.signals = strings(d, item(shift, "signals"), &f->shift.n_signals);
  const cJSON *base = item(shift, "base");
  f->shift.base_read = number(base, "read");
  f->shift.base_write = number(base, "write");
  f->shift.base_scan = number(base, "scan");
  const cJSON *storage = item(o, "storage");
  f->storage.read_iops = number(storage, "read_iops");
  f->storage.read_latency_us = number(storage, "read_latency_us");
  f->storage.write_mb_s = number(storage, "write_mb_s");
  f->storage.fsync_ms = number(storage, "fsync_ms");
  const cJSON *limits = item(o, "limits");
  f->limits.max_step = number(limits, "max_step");
  f->limits.max_options_per_change = number(limits, "max_options_per_change");
  f->limits.changes_left_this_hour = number(limits, "changes_left_this_hour");
}

elmo_rc elmo_facts_parse(const char *json, size_t len, elmo_facts_doc **out, elmo_error *err) {
  if (out != NULL) *out = NULL;
  if (json == NULL || out == NULL) return elmo_error_set(err, ELMO_EINVAL, "facts_parse: NULL argument");
  cJSON *root = cJSON_ParseWithLength(json, len);
  if (root == NULL) return elmo_error_set(err, ELMO_EPARSE, "the facts are not JSON");
  if (!cJSON_IsNumber(item(root, "elmo_facts"))) {
    cJSON_Delete(root);
    return elmo_error_set(err, ELMO_EPARSE, "the JSON object is not ELMo's facts (no \"elmo_facts\": 1)");
  }
  elmo_facts_doc *d = calloc(1, sizeof *d);
  if (d == NULL) {
    cJSON_Delete(root);
    return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  }
  d->root = root;
  read_facts(d, root);
  if (d->oom) {
    elmo_facts_doc_destroy(d);
    return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  }
  *out = d;
  return ELMO_OK;
}

elmo_rc elmo_facts_find(const char *const *texts, size_t n, elmo_facts_doc **out, elmo_error *err) {
  if (out != NULL) *out = NULL;
  if (out == NULL || (texts == NULL && n > 0)) return elmo_error_set(err, ELMO_EINVAL, "facts_find: NULL argument");
  for (size_t i = n; i-- > 0;) {
    const char *p = texts[i] != NULL ? strstr(texts[i], "```json") : NULL;
    for (; p != NULL; p = strstr(p + 7, "```json")) {
      const char *start = strchr(p, '{');
      const char *end = start != NULL ? strstr(start, "\n```") : NULL;
      if (end != NULL && elmo_facts_parse(start, (size_t)(end - start), out, NULL) == ELMO_OK) return ELMO_OK;
    }
  }
  return elmo_error_set(err, ELMO_ENOTFOUND, "no message carries a ```json facts block");
}

const elmo_facts *elmo_facts_doc_facts(const elmo_facts_doc *doc) { return doc != NULL ? &doc->facts : NULL; }

void elmo_facts_doc_destroy(elmo_facts_doc *doc) {
  if (doc == NULL) return;
  for (size_t i = 0; i < doc->n_blocks; i++) free(doc->blocks[i]);
  free(doc->blocks);
  cJSON_Delete(doc->root);
  free(doc);
}
