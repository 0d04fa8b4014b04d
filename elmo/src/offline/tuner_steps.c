/* tuner_steps.c — one trial, and one advisor prompt with its facts block. See tuner.h. */
#define _XOPEN_SOURCE 700
#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "elmo/memory.h"
#include "advisor/facts.h"
#include "base/fileio.h"
#include "tuner_internal.h"
#include "elmo/number.h"

double elmo_tuner_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void elmo_tuner_progress(const tune_run *r, const char *fmt, ...) {
  if (r->cfg.quiet) return;
  va_list ap;
  elmo_number_fprintf(stderr, "[elmotune %6.0fs] ", elmo_tuner_now() - r->t0);
  va_start(ap, fmt);
  elmo_number_vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

/* Throughput without the warm-up: the mean of the interval report after it, when there is one. */
static void exclude_warmup(const tune_run *r, elmo_trial_metrics *m) {
  size_t skip = (size_t)r->cfg.warmup_seconds;
  if (m->n_interval <= skip + 1) return;
  double sum = 0;
  for (size_t i = skip; i < m->n_interval; i++) sum += m->interval_ops[i];
  m->ops_per_sec = sum / (double)(m->n_interval - skip);
}

/* The live rate line while a trial runs: only on a terminal, rewritten in place. */
static void show_rate(void *ctx, double elapsed, double ops) {
  const tune_run *r = ctx;
  elmo_number_fprintf(stderr, "\r[elmotune %6.0fs]   trial %zu running: %.0f ops/s at %.0f s   ",
          elmo_tuner_now() - r->t0, r->sum->n_records - 1, ops, elapsed);
  fflush(stderr);
}

static elmo_tune_record *new_record(tune_run *r) {
  elmo_tune_summary *s = r->sum;
  if (s->n_records == r->cap_records) {
    size_t cap = r->cap_records ? r->cap_records * 2 : 16;
    elmo_tune_record *n = realloc(s->records, cap * sizeof *n);
    if (n == NULL) return NULL;
    s->records = n;
    r->cap_records = cap;
  }
  elmo_tune_record *rec = &s->records[s->n_records];
  memset(rec, 0, sizeof *rec);
  rec->index = (int)s->n_records++;
  return rec;
}

static int is_replay(const tune_run *r, elmo_record_kind kind) {
  int migrate = kind == ELMO_RECORD_MIGRATE_BEST || kind == ELMO_RECORD_MIGRATE_BASE;
  return kind == ELMO_RECORD_REPLAY_BEST || kind == ELMO_RECORD_REPLAY_BASE || (migrate && r->migrate_on_replay);
}

/* The model's workload (with the rewrite, when trials rewrite the data), or the replay of the
 * program's trace, which runs on the data as it is; the migration's best compacts first.
 * rewrite: room for the "--benchmarks=compact,..." argument. */
static char **trial_args(const tune_run *r, elmo_record_kind kind, char *rewrite, size_t cap) {
  char *const *run = is_replay(r, kind) ? r->replay_args : r->workload.run_args;
  int compact = kind == ELMO_RECORD_MIGRATE_BEST || (!is_replay(r, kind) && r->rewrite &&
                                                     kind != ELMO_RECORD_MIGRATE_BASE);
  size_t n = 0;
  while (run[n]) n++;
  char **args = calloc(n + 3, sizeof *args);
  if (args == NULL) return NULL;
  for (size_t i = 0; i < n; i++) {
    int bench = strncmp(run[i], "--benchmarks=", 13) == 0;
    if (bench && compact) snprintf(rewrite, cap, "--benchmarks=compact,%s", run[i] + 13);
    args[i] = bench && compact ? rewrite : run[i];
  }
  args[n] = "--cache_size=0"; /* the OPTIONS file decides the block cache */
  args[n + 1] = "--bloom_bits=0"; /* and the filter: none unless it sets one, as RocksDB */
  return args;
}

elmo_tune_record *elmo_tuner_trial(tune_run *r, const elmo_optfile *f, elmo_record_kind kind,
                                   int iteration, double abort_below_ops) {
  elmo_tune_record *rec = new_record(r);
  if (rec == NULL) return NULL;
  rec->kind = kind;
  rec->iteration = iteration;
  char path[4096], work[4096];
  snprintf(path, sizeof path, "%s/trial-%03d.ini", r->cfg.output_dir, rec->index);
  snprintf(work, sizeof work, "%s/trial-%03d", r->db_dir, rec->index);
  rec->options_path = strdup(path);
  elmo_error err;
  if (elmo_optfile_save(f, path, &err) != ELMO_OK) {
    rec->result.status = ELMO_TRIAL_FAILED;
    snprintf(rec->result.reason, sizeof rec->result.reason, "%s", err.message);
    return rec;
  }
  char rewrite[256];
  char **args = trial_args(r, kind, rewrite, sizeof rewrite);
  elmo_trial_spec spec = {r->cfg.db_bench, (const char *const *)args, path,
                          is_replay(r, kind) ? r->replay_base : r->base_db, work,
                          r->cfg.cpus, r->cfg.memory_bytes,
                          (r->cfg.warmup_seconds + r->cfg.trial_seconds) * 3 + 120, abort_below_ops, 10,
                          r->cfg.cancel, NULL, NULL};
  if (!r->cfg.quiet && isatty(STDERR_FILENO)) {
    spec.on_rate = show_rate;
    spec.rate_ctx = r;
  }
  elmo_rc rc = args ? elmo_trial_run(&spec, &rec->result, &err) : ELMO_ENOMEM;
  if (spec.on_rate != NULL) fputs("\r\033[K", stderr); /* clear the live line */
  free(args);
  if (rc != ELMO_OK) {
    rec->result.status = ELMO_TRIAL_FAILED;
    snprintf(rec->result.reason, sizeof rec->result.reason, "%s", err.message);
  }
  if (rec->result.status == ELMO_TRIAL_OK) exclude_warmup(r, &rec->result.metrics);
  if (elmo_remove_tree(work) != 0) { /* the DB copy is not kept */
    elmo_tuner_progress(r, "could not remove %s", work);
  }
  return rec;
}

/* ---- facts --------------------------------------------------------------------------------- */

static cJSON *best_options_json(const tune_run *r) {
  cJSON *o = cJSON_CreateObject();
  for (size_t i = 0; o != NULL && i < elmo_catalog_count(r->cat); i++) {
    const elmo_option_info *info = elmo_catalog_at(r->cat, i);
    if (info->flags & (ELMO_OPT_LOCKED | ELMO_OPT_DEPRECATED | ELMO_OPT_ALIAS)) continue;
    if (info->resource == ELMO_RES_ADVANCED) continue;
    const char *v = elmo_optfile_get(r->best, info->section, "default", info->name);
    if (v == NULL) v = strcmp(info->name, "block_cache") == 0 ? "8388608" : info->default_value;
    if (v[0] != '\0' && strlen(v) < 64) cJSON_AddStringToObject(o, info->name, v);
  }
  return o;
}

static cJSON *tried_json(const tune_run *r) {
  cJSON *arr = cJSON_CreateArray();
  const elmo_tune_summary *s = r->sum;
  for (size_t i = 0; arr != NULL && i < s->n_records; i++) {
    const elmo_tune_record *rec = &s->records[i];
    if (rec->kind != ELMO_RECORD_TUNE && rec->kind != ELMO_RECORD_FINETUNE) continue;
    cJSON *t = cJSON_CreateObject(), *ch = cJSON_CreateObject();
    char *copy = rec->changes ? strdup(rec->changes) : NULL, *save = NULL;
    for (char *l = copy ? strtok_r(copy, "\n", &save) : NULL; l; l = strtok_r(NULL, "\n", &save)) {
      char *colon = strchr(l, ':'), *arrow = strstr(l, "-> ");
      if (colon == NULL || arrow == NULL) continue;
      *colon = '\0';
      cJSON_AddStringToObject(ch, l, arrow + 3);
    }
    free(copy);
    cJSON_AddItemToObject(t, "changes", ch);
    cJSON_AddStringToObject(t, "status", elmo_trial_status_name(rec->result.status));
    cJSON_AddNumberToObject(t, "score", rec->score);
    cJSON_AddItemToArray(arr, t);
  }
  return arr;
}

static cJSON *workload_json(const tune_run *r) {
  const elmo_workload_facts *f = &r->workload.facts;
  cJSON *w = cJSON_CreateObject();
  cJSON_AddNumberToObject(w, "read", f->read_fraction);
  cJSON_AddNumberToObject(w, "write", f->write_fraction);
  cJSON_AddNumberToObject(w, "scan", f->scan_fraction);
  cJSON_AddNumberToObject(w, "key_bytes", f->key_bytes);
  cJSON_AddNumberToObject(w, "value_bytes", f->value_bytes);
  cJSON_AddNumberToObject(w, "num_keys", (double)f->num_keys);
  cJSON_AddBoolToObject(w, "skewed", f->skewed);
  cJSON_AddBoolToObject(w, "preload", f->preload);
  cJSON_AddNumberToObject(w, "threads", f->threads > 0 ? f->threads : 1);
  cJSON_AddBoolToObject(w, "rewrite", r->rewrite);
  return w;
}

static const elmo_tune_record *best_record(const tune_run *r) {
  return r->sum->n_records ? &r->sum->records[r->sum->best_index] : NULL;
}

char *elmo_tuner_facts(const tune_run *r, const char *phase) {
  cJSON *f = cJSON_CreateObject(), *best = cJSON_CreateObject();
  cJSON_AddNumberToObject(f, "elmo_facts", 1);
  cJSON_AddStringToObject(f, "phase", phase);
  cJSON_AddNumberToObject(f, "cpus", r->cfg.cpus);
  cJSON_AddNumberToObject(f, "memory_bytes", (double)r->cfg.memory_bytes);
  cJSON_AddBoolToObject(f, "direct_io", r->cfg.direct_io);
  cJSON_AddItemToObject(f, "workload", workload_json(r));
  cJSON *locked = cJSON_CreateArray();
  for (size_t i = 0; i < r->n_locks; i++) cJSON_AddItemToArray(locked, cJSON_CreateString(r->locks[i]));
  cJSON_AddItemToObject(f, "locked", locked);
  const elmo_tune_record *b = best_record(r);
  cJSON_AddItemToObject(best, "options", best_options_json(r));
  if (b != NULL) {
    cJSON_AddNumberToObject(best, "ops_per_sec", b->result.metrics.ops_per_sec);
    cJSON_AddNumberToObject(best, "p99_us", b->result.metrics.p99_us);
    cJSON_AddNumberToObject(best, "stall_percent", b->result.metrics.stall_percent);
    cJSON_AddNumberToObject(best, "cache_hit_rate", b->result.metrics.cache_hit_rate);
    cJSON_AddNumberToObject(best, "cpu_percent", b->result.metrics.cpu_percent);
    cJSON_AddNumberToObject(best, "peak_memory_bytes", (double)b->result.metrics.peak_memory_bytes);
    /* Where the best's time goes by operation type: a few long scans can outweigh many Gets. */
    const elmo_trial_metrics *bm = &b->result.metrics;
    if (bm->n_op_types > 0) {
      cJSON *share = cJSON_AddObjectToObject(best, "time_share");
      for (size_t i = 0; share != NULL && i < bm->n_op_types && i < ELMO_TRIAL_MAX_OP_TYPES; i++) {
        cJSON_AddNumberToObject(share, bm->op_types[i].type, bm->op_types[i].time_share);
      }
    }
  }
  /* The calibrator's memory budget and the model's estimate of the best configuration, so an
   * advisor can size a change to the headroom instead of being refused. */
  elmo_dataset ds = {r->workload.facts.num_keys, (uint64_t)r->workload.facts.key_bytes,
                     (uint64_t)r->workload.facts.value_bytes, 0};
  elmo_memory_breakdown mem;
  if (r->cfg.memory_bytes > 0 && elmo_memory_estimate(r->best, &ds, &mem, NULL) == ELMO_OK) {
    cJSON_AddNumberToObject(f, "memory_budget_bytes", (double)(r->cfg.memory_bytes / 4 * 3));
    cJSON_AddNumberToObject(best, "memory_estimate_bytes", (double)mem.total);
    cJSON_AddNumberToObject(best, "block_cache_bytes", (double)mem.block_cache);
  }
  cJSON_AddItemToObject(f, "best", best);
  cJSON_AddItemToObject(f, "tried", tried_json(r));
  cJSON *rejected = cJSON_CreateArray();
  char *copy = r->rejected_all ? strdup(r->rejected_all) : NULL, *save = NULL;
  for (char *l = copy ? strtok_r(copy, "\n", &save) : NULL; l; l = strtok_r(NULL, "\n", &save)) {
    cJSON_AddItemToArray(rejected, cJSON_CreateString(l));
  }
  free(copy);
  cJSON_AddItemToObject(f, "rejected", rejected);
  cJSON *focus = cJSON_CreateArray();
  for (size_t i = 0; i < r->n_changed; i++) cJSON_AddItemToArray(focus, cJSON_CreateString(r->changed[i]));
  cJSON_AddItemToObject(f, "focus", focus);
  return elmo_facts_block(f);
}
