/* advisor_facts.c — the facts as both rulebooks read them: defaults for what nobody measured,
 * lookups in the best configuration and the locks. See advisor_internal.h. */
#include <string.h>

#include "advisor_internal.h"
#include "elmo/number.h"
#include "elmo/storage.h"

static double or_default(double v, double def) { return ELMO_FACT_KNOWN(v) ? v : def; }

void elmo_advisor_read_facts(const elmo_facts *f, advisor_facts *a) {
  memset(a, 0, sizeof *a);
  const elmo_fact_workload *w = &f->workload;
  a->facts = f;
  a->read = or_default(w->read, 0);
  a->write = or_default(w->write, 0);
  a->scan = or_default(w->scan, 0);
  a->key_bytes = or_default(w->key_bytes, 16);
  a->value_bytes = or_default(w->value_bytes, 100);
  a->num_keys = or_default(w->num_keys, 1e6);
  a->skewed = or_default(w->skewed, 0) != 0;
  a->preload = or_default(w->preload, 0) != 0;
  a->threads = (int)or_default(w->threads, 1);
  a->rewrite = or_default(w->rewrite, 0) != 0;
  if (a->threads < 1) a->threads = 1;
  a->cpus = (int)or_default(f->cpus, 2);
  if (a->cpus < 1) a->cpus = 1;
  a->memory = or_default(f->memory_bytes, 0);
  a->budget = or_default(f->memory_budget_bytes, 0);
  a->direct_io = or_default(f->direct_io, 0) != 0;
  a->finetune = f->phase != NULL && strcmp(f->phase, "finetune") == 0;
  a->stall_percent = or_default(f->best.stall_percent, 0);
  a->estimate = or_default(f->best.memory_estimate_bytes, 0);
  a->cache_bytes = or_default(f->best.block_cache_bytes, 0);
  a->cache_hit = or_default(f->best.cache_hit_rate, -1);
  a->blocks_per_get = or_default(f->best.blocks_per_get, -1);
  elmo_storage_probe probe = {.measured = ELMO_FACT_KNOWN(f->storage.read_iops),
                              .read_iops = or_default(f->storage.read_iops, 0),
                              .read_latency_us = or_default(f->storage.read_latency_us, 0),
                              .write_mb_s = or_default(f->storage.write_mb_s, 0),
                              .fsync_ms = or_default(f->storage.fsync_ms, 0)};
  a->slow_storage = elmo_storage_is_slow(&probe);
  elmo_number_snprintf(a->storage_text, sizeof a->storage_text,
                       "%.0f random 4 KiB reads/s, %.0f MB/s sequential writes, %.1f ms fsync", probe.read_iops,
                       probe.write_mb_s, probe.fsync_ms);
  a->pending_bytes = or_default(f->best.pending_compaction_bytes, 0);
  const char *cause = f->best.stall_cause;
  a->stall_cause = cause == NULL                              ? STALL_UNKNOWN
                   : strcmp(cause, "l0_files") == 0           ? STALL_L0
                   : strcmp(cause, "memtables") == 0          ? STALL_MEMTABLES
                   : strcmp(cause, "pending_compaction") == 0 ? STALL_PENDING
                                                              : STALL_UNKNOWN;
}

const char *elmo_advisor_best_value(const elmo_facts *f, const char *name) {
  for (size_t i = 0; i < f->best.n_options; i++) {
    if (strcmp(f->best.options[i].name, name) == 0) return f->best.options[i].value;
  }
  return NULL;
}

int elmo_advisor_is_locked(const elmo_facts *f, const char *name) {
  for (size_t i = 0; i < f->n_locked; i++) {
    if (strcmp(f->locked[i], name) == 0) return 1;
  }
  return 0;
}
