/* tuner_facts.c — what the offline loop tells its advisor each round (facts.h): the workload,
 * the trial limits, the best configuration with its measurements and the memory model's view,
 * every candidate measured, what the calibrator refused, the options changed last. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "elmo/memory.h"
#include "tuner_internal.h"

struct tuner_facts {
  elmo_facts f;
  elmo_fact_option *options;  /* the best configuration */
  elmo_fact_number time_share[ELMO_TRIAL_MAX_OP_TYPES];
  elmo_fact_trial *tried;
  elmo_fact_option *changes;  /* every tried candidate's, in order */
  const char **rejected;
  char *rejected_copy;        /* r->rejected_all, cut into lines */
  char **owned;               /* the candidates' change lines, cut into names and values */
  size_t n_owned;
  int oom;
};

static size_t count_lines(const char *s) {
  size_t n = 0;
  for (; s != NULL && *s; s++) n += *s == '\n';
  return n + 1;
}

static void best_options(const tune_run *r, tuner_facts *t) {
  elmo_fact_best *b = &t->f.best;
  t->options = calloc(elmo_catalog_count(r->cat) + 1, sizeof *t->options);
  if (t->options == NULL) {
    t->oom = 1;
    return;
  }
  for (size_t i = 0; i < elmo_catalog_count(r->cat); i++) {
    const elmo_option_info *info = elmo_catalog_at(r->cat, i);
    if (info->flags & (ELMO_OPT_LOCKED | ELMO_OPT_DEPRECATED | ELMO_OPT_ALIAS)) continue;
    if (info->resource == ELMO_RES_ADVANCED) continue;
    const char *v = elmo_optfile_get(r->best, info->section, "default", info->name);
    if (v == NULL) v = strcmp(info->name, "block_cache") == 0 ? "8388608" : info->default_value;
    if (v[0] != '\0' && strlen(v) < 64) t->options[b->n_options++] = (elmo_fact_option){info->name, v};
  }
  b->options = t->options;
}

const char *elmo_tune_stall_cause(const elmo_trial_metrics *m) {
  if (m == NULL) return NULL;
  uint64_t l0 = m->stalls_l0, mem = m->stalls_memtable, pending = m->stalls_pending;
  if (l0 == 0 && mem == 0 && pending == 0) return NULL;
  if (l0 >= mem && l0 >= pending) return "l0_files";
  return mem >= pending ? "memtables" : "pending_compaction";
}

static void best_metrics(const tune_run *r, tuner_facts *t) {
  elmo_fact_best *b = &t->f.best;
  const elmo_tune_record *rec = r->sum->n_records ? &r->sum->records[r->sum->best_index] : NULL;
  if (rec == NULL) return;
  const elmo_trial_metrics *m = &rec->result.metrics;
  b->ops_per_sec = m->ops_per_sec;
  b->p99_us = m->p99_us;
  b->stall_percent = m->stall_percent;
  b->cache_hit_rate = m->cache_hit_rate;
  b->cpu_percent = m->cpu_percent;
  b->peak_memory_bytes = (double)m->peak_memory_bytes;
  if (m->blocks_per_get >= 0) b->blocks_per_get = m->blocks_per_get;
  if (m->compaction_mb_s >= 0) b->compact_bytes_per_sec = m->compaction_mb_s * 1e6;
  if (m->pending_compaction_bytes > 0) b->pending_compaction_bytes = (double)m->pending_compaction_bytes;
  b->stall_cause = elmo_tune_stall_cause(m);
  /* Where the best's time goes by operation type: a few long scans can outweigh many Gets. */
  for (size_t i = 0; i < m->n_op_types && i < ELMO_TRIAL_MAX_OP_TYPES; i++) {
    t->time_share[b->n_time_share++] = (elmo_fact_number){m->op_types[i].type, m->op_types[i].time_share};
  }
  b->time_share = t->time_share;
}

/* The calibrator's memory budget and the model's estimate of the best configuration, so an
 * advisor can size a change to the headroom instead of being refused. */
static void memory_view(const tune_run *r, tuner_facts *t) {
  elmo_dataset ds = {r->workload.facts.num_keys, (uint64_t)r->workload.facts.key_bytes,
                     (uint64_t)r->workload.facts.value_bytes, 0};
  elmo_memory_breakdown mem;
  if (r->cfg.memory_bytes > 0 && elmo_memory_estimate(r->best, &ds, &mem, NULL) == ELMO_OK) {
    t->f.memory_budget_bytes = (double)(r->cfg.memory_bytes / 4 * 3);
    t->f.best.memory_estimate_bytes = (double)mem.total;
    t->f.best.block_cache_bytes = (double)mem.block_cache;
  }
}

/* A record's "name: old -> new" lines as name/value pairs appended to t->changes. */
static size_t take_changes(tuner_facts *t, const char *lines, size_t at) {
  char *copy = lines != NULL ? strdup(lines) : NULL, *save = NULL;
  if (copy == NULL) return 0;
  t->owned[t->n_owned++] = copy;
  size_t n = 0;
  for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
    char *colon = strchr(l, ':'), *arrow = strstr(l, "-> ");
    if (colon == NULL || arrow == NULL) continue;
    *colon = '\0';
    t->changes[at + n++] = (elmo_fact_option){l, arrow + 3};
  }
  return n;
}

static void tried(const tune_run *r, tuner_facts *t) {
  const elmo_tune_summary *s = r->sum;
  size_t lines = 0;
  for (size_t i = 0; i < s->n_records; i++) lines += count_lines(s->records[i].changes);
  t->tried = calloc(s->n_records + 1, sizeof *t->tried);
  t->changes = calloc(lines + 1, sizeof *t->changes);
  t->owned = calloc(s->n_records + 1, sizeof *t->owned);
  if (t->tried == NULL || t->changes == NULL || t->owned == NULL) {
    t->oom = 1;
    return;
  }
  size_t used = 0;
  for (size_t i = 0; i < s->n_records; i++) {
    const elmo_tune_record *rec = &s->records[i];
    if (rec->kind != ELMO_RECORD_TUNE && rec->kind != ELMO_RECORD_FINETUNE) continue;
    size_t n = take_changes(t, rec->changes, used);
    t->tried[t->f.n_tried++] = (elmo_fact_trial){&t->changes[used], n, elmo_trial_status_name(rec->result.status),
                                                 rec->score, ELMO_FACT_UNKNOWN};
    used += n;
  }
  t->f.tried = t->tried;
}

static void rejected(const tune_run *r, tuner_facts *t) {
  t->rejected = calloc(count_lines(r->rejected_all), sizeof *t->rejected);
  t->rejected_copy = r->rejected_all ? strdup(r->rejected_all) : NULL;
  if (t->rejected == NULL || (r->rejected_all && t->rejected_copy == NULL)) {
    t->oom = 1;
    return;
  }
  char *save = NULL;
  for (char *l = t->rejected_copy ? strtok_r(t->rejected_copy, "\n", &save) : NULL; l; l = strtok_r(NULL, "\n", &save)) {
    t->rejected[t->f.n_rejected++] = l;
  }
  t->f.rejected = t->rejected;
}

tuner_facts *elmo_tuner_facts_new(const tune_run *r, const char *phase) {
  tuner_facts *t = calloc(1, sizeof *t);
  if (t == NULL) return NULL;
  elmo_facts *f = &t->f;
  const elmo_workload_facts *w = &r->workload.facts;
  elmo_facts_init(f);
  f->phase = phase;
  f->cpus = r->cfg.cpus;
  f->memory_bytes = (double)r->cfg.memory_bytes;
  f->direct_io = r->cfg.direct_io;
  const elmo_storage_probe *s = &r->sum->storage;
  if (s->measured) {
    f->storage = (elmo_fact_storage){s->read_iops, s->read_latency_us, s->write_mb_s, s->fsync_ms};
  }
  f->workload.read = w->read_fraction;
  f->workload.write = w->write_fraction;
  f->workload.scan = w->scan_fraction;
  f->workload.key_bytes = w->key_bytes;
  f->workload.value_bytes = w->value_bytes;
  f->workload.num_keys = (double)w->num_keys;
  f->workload.skewed = w->skewed;
  f->workload.preload = w->preload;
  f->workload.threads = w->threads > 0 ? w->threads : 1;
  f->workload.rewrite = r->rewrite;
  f->locked = r->locks;
  f->n_locked = r->n_locks;
  f->focus = (const char *const *)r->changed;
  f->n_focus = r->n_changed;
  best_options(r, t);
  best_metrics(r, t);
  memory_view(r, t);
  tried(r, t);
  rejected(r, t);
  if (t->oom) {
    elmo_tuner_facts_free(t);
    return NULL;
  }
  return t;
}

const elmo_facts *elmo_tuner_facts_get(const tuner_facts *t) { return t != NULL ? &t->f : NULL; }

void elmo_tuner_facts_free(tuner_facts *t) {
  if (t == NULL) return;
  for (size_t i = 0; i < t->n_owned; i++) free(t->owned[i]);
  free(t->owned);
  free(t->options);
  free(t->tried);
  free(t->changes);
  free(t->rejected);
  free(t->rejected_copy);
  free(t);
}
