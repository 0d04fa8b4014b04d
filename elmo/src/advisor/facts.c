/* facts.c — the one writer of the facts JSON (elmo_facts_to_json, elmo_facts_block). The reader
 * is facts_parse.c. See facts.h. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elmo/facts.h"

void elmo_facts_init(elmo_facts *f) {
  if (f == NULL) return;
  memset(f, 0, sizeof *f);
  double *unknown[] = {&f->cpus, &f->memory_bytes, &f->direct_io, &f->memory_budget_bytes,
                       &f->workload.read, &f->workload.write, &f->workload.scan,
                       &f->workload.key_bytes, &f->workload.value_bytes, &f->workload.num_keys,
                       &f->workload.scan_length, &f->workload.ops_per_sec, &f->workload.threads,
                       &f->workload.skewed, &f->workload.preload, &f->workload.rewrite,
                       &f->best.ops_per_sec, &f->best.p99_us, &f->best.stall_percent,
                       &f->best.cache_hit_rate, &f->best.cpu_percent, &f->best.peak_memory_bytes,
                       &f->best.memory_estimate_bytes, &f->best.block_cache_bytes,
                       &f->best.pending_compaction_bytes, &f->best.l0_files,
                       &f->best.flush_bytes_per_sec, &f->best.compact_bytes_per_sec,
                       &f->best.blocks_per_get,
                       &f->shift.base_read, &f->shift.base_write, &f->shift.base_scan,
                       &f->limits.max_step, &f->limits.max_options_per_change,
                       &f->limits.changes_left_this_hour, &f->storage.read_iops,
                       &f->storage.read_latency_us, &f->storage.write_mb_s, &f->storage.fsync_ms};
  for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) *unknown[i] = ELMO_FACT_UNKNOWN;
}

static void add_number(cJSON *o, const char *name, double v) {
  if (ELMO_FACT_KNOWN(v)) cJSON_AddNumberToObject(o, name, v);
}

static void add_flag(cJSON *o, const char *name, double v) {
  if (ELMO_FACT_KNOWN(v)) cJSON_AddBoolToObject(o, name, v != 0);
}

static cJSON *strings(const char *const *items, size_t n) {
  cJSON *a = cJSON_CreateArray();
  for (size_t i = 0; a != NULL && i < n; i++) cJSON_AddItemToArray(a, cJSON_CreateString(items[i]));
  return a;
}

static cJSON *options(const elmo_fact_option *opts, size_t n) {
  cJSON *o = cJSON_CreateObject();
  for (size_t i = 0; o != NULL && i < n; i++) cJSON_AddStringToObject(o, opts[i].name, opts[i].value);
  return o;
}

static cJSON *workload(const elmo_fact_workload *w) {
  cJSON *o = cJSON_CreateObject();
  add_number(o, "read", w->read);
  add_number(o, "write", w->write);
  add_number(o, "scan", w->scan);
  add_number(o, "key_bytes", w->key_bytes);
  add_number(o, "value_bytes", w->value_bytes);
  add_number(o, "num_keys", w->num_keys);
  add_number(o, "scan_length", w->scan_length);
  add_number(o, "ops_per_sec", w->ops_per_sec);
  add_flag(o, "skewed", w->skewed);
  add_flag(o, "preload", w->preload);
  add_number(o, "threads", w->threads);
  add_flag(o, "rewrite", w->rewrite);
  return o;
}

static cJSON *best(const elmo_fact_best *b) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddItemToObject(o, "options", options(b->options, b->n_options));
  add_number(o, "ops_per_sec", b->ops_per_sec);
  add_number(o, "p99_us", b->p99_us);
  add_number(o, "stall_percent", b->stall_percent);
  add_number(o, "cache_hit_rate", b->cache_hit_rate);
  add_number(o, "cpu_percent", b->cpu_percent);
  add_number(o, "peak_memory_bytes", b->peak_memory_bytes);
  if (b->n_time_share > 0) {
    cJSON *share = cJSON_AddObjectToObject(o, "time_share");
    for (size_t i = 0; share != NULL && i < b->n_time_share; i++) {
      cJSON_AddNumberToObject(share, b->time_share[i].name, b->time_share[i].value);
    }
  }
  add_number(o, "memory_estimate_bytes", b->memory_estimate_bytes);
  add_number(o, "block_cache_bytes", b->block_cache_bytes);
  add_number(o, "pending_compaction_bytes", b->pending_compaction_bytes);
  add_number(o, "l0_files", b->l0_files);
  add_number(o, "flush_bytes_per_sec", b->flush_bytes_per_sec);
  add_number(o, "compact_bytes_per_sec", b->compact_bytes_per_sec);
  add_number(o, "blocks_per_get", b->blocks_per_get);
  if (b->stall_cause != NULL) cJSON_AddStringToObject(o, "stall_cause", b->stall_cause);
  return o;
}

static cJSON *tried(const elmo_fact_trial *t, size_t n) {
  cJSON *a = cJSON_CreateArray();
  for (size_t i = 0; a != NULL && i < n; i++) {
    cJSON *e = cJSON_CreateObject();
    cJSON_AddItemToObject(e, "changes", options(t[i].changes, t[i].n_changes));
    if (t[i].status != NULL) cJSON_AddStringToObject(e, "status", t[i].status);
    add_number(e, "score", t[i].score);
    add_number(e, "gain", t[i].gain);
    cJSON_AddItemToArray(a, e);
  }
  return a;
}

static cJSON *blocked(const elmo_fact_blocked *b, size_t n) {
  cJSON *a = cJSON_CreateArray();
  for (size_t i = 0; a != NULL && i < n; i++) {
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "option", b[i].option);
    cJSON_AddStringToObject(e, "to", b[i].to);
    cJSON_AddNumberToObject(e, "direction", b[i].direction);
    if (b[i].why != NULL) cJSON_AddStringToObject(e, "why", b[i].why);
    cJSON_AddItemToArray(a, e);
  }
  return a;
}

char *elmo_facts_to_json(const elmo_facts *f) {
  if (f == NULL || f->phase == NULL) return NULL;
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "elmo_facts", 1);
  cJSON_AddStringToObject(o, "phase", f->phase);
  if (f->mutable_only) cJSON_AddBoolToObject(o, "mutable_only", 1);
  add_number(o, "cpus", f->cpus);
  add_number(o, "memory_bytes", f->memory_bytes);
  add_flag(o, "direct_io", f->direct_io);
  cJSON_AddItemToObject(o, "workload", workload(&f->workload));
  cJSON_AddItemToObject(o, "locked", strings(f->locked, f->n_locked));
  add_number(o, "memory_budget_bytes", f->memory_budget_bytes);
  if (ELMO_FACT_KNOWN(f->storage.read_iops)) {
    cJSON *s = cJSON_AddObjectToObject(o, "storage");
    add_number(s, "read_iops", f->storage.read_iops);
    add_number(s, "read_latency_us", f->storage.read_latency_us);
    add_number(s, "write_mb_s", f->storage.write_mb_s);
    add_number(s, "fsync_ms", f->storage.fsync_ms);
  }
  cJSON_AddItemToObject(o, "best", best(&f->best));
  cJSON_AddItemToObject(o, "tried", tried(f->tried, f->n_tried));
  cJSON_AddItemToObject(o, "rejected", strings(f->rejected, f->n_rejected));
  cJSON_AddItemToObject(o, "focus", strings(f->focus, f->n_focus));
  if (f->n_blocked > 0) cJSON_AddItemToObject(o, "blocked", blocked(f->blocked, f->n_blocked));
  if (f->shift.reason != NULL) {
    cJSON *s = cJSON_AddObjectToObject(o, "shift");
    cJSON_AddStringToObject(s, "reason", f->shift.reason);
    cJSON_AddItemToObject(s, "signals", strings(f->shift.signals, f->shift.n_signals));
    if (ELMO_FACT_KNOWN(f->shift.base_read)) {
      cJSON *base = cJSON_AddObjectToObject(s, "base");
      add_number(base, "read", f->shift.base_read);
      add_number(base, "write", f->shift.base_write);
      add_number(base, "scan", f->shift.base_scan);
    }
  }
  if (ELMO_FACT_KNOWN(f->limits.max_step)) {
    cJSON *l = cJSON_AddObjectToObject(o, "limits");
    add_number(l, "max_step", f->limits.max_step);
    add_number(l, "max_options_per_change", f->limits.max_options_per_change);
    add_number(l, "changes_left_this_hour", f->limits.changes_left_this_hour);
  }
  char *json = o != NULL ? cJSON_PrintUnformatted(o) : NULL;
  cJSON_Delete(o);
  return json;
}

char *elmo_facts_block(const elmo_facts *f) {
  char *json = elmo_facts_to_json(f);
  if (json == NULL) return NULL;
  size_t n = strlen(json) + 64;
  char *block = malloc(n);
  if (block != NULL) snprintf(block, n, "\n\nFacts (machine-readable):\n```json\n%s\n```\n", json);
  free(json);
  return block;
}
