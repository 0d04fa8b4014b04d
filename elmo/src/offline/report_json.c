/* report_json.c — history.json: the run's settings, every trial and the summary, for programs. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "elmo/tuner.h"
#include "elmo/llm.h"

#include "report_internal.h"

/* Adds s as a string, or null when s is NULL. */
static void add_text(cJSON *o, const char *k, const char *s) {
  if (s != NULL) {
    cJSON_AddStringToObject(o, k, s);
  } else {
    cJSON_AddNullToObject(o, k);
  }
}

static cJSON *config_json(const elmo_tune_config *cfg, const report_settings *set) {
  cJSON *o = cJSON_CreateObject(), *locks = cJSON_CreateArray();
  add_text(o, "workload", cfg->workload);
  add_text(o, "workload_description",
           set->workload_description[0] ? set->workload_description : NULL);
  cJSON_AddNumberToObject(o, "num_keys", (double)set->num_keys);
  cJSON_AddNumberToObject(o, "key_size", set->key_bytes);
  cJSON_AddNumberToObject(o, "value_size", set->value_bytes);
  cJSON_AddNumberToObject(o, "threads", set->threads);
  if (set->read_percent >= 0) cJSON_AddNumberToObject(o, "read_percent", set->read_percent);
  cJSON_AddNumberToObject(o, "trial_seconds", set->trial_seconds);
  cJSON_AddNumberToObject(o, "warmup_seconds", set->warmup_seconds);
  add_text(o, "base_options", cfg->base_options);
  if (cfg->base_db != NULL) add_text(o, "base_db", cfg->base_db);
  if (cfg->key_dict != NULL) add_text(o, "key_dict", cfg->key_dict);
  add_text(o, "db_bench", cfg->db_bench);
  cJSON_AddNumberToObject(o, "cpus", cfg->cpus);
  cJSON_AddNumberToObject(o, "memory_bytes", (double)cfg->memory_bytes);
  cJSON_AddBoolToObject(o, "direct_io", cfg->direct_io != 0);
  cJSON_AddStringToObject(o, "objective", elmo_report_objective_name(cfg->objective));
  cJSON_AddBoolToObject(o, "objective_unpaced", cfg->objective_unpaced != 0);
  cJSON_AddNumberToObject(o, "p99_weight",
                          cfg->objective == ELMO_OBJECTIVE_MIXED ? set->p99_weight : 0);
  cJSON_AddStringToObject(o, "llm", set->llm_spec);
  char *url = cfg->llm_url ? elmo_llm_redact(cfg->llm_url) : NULL; /* a URL may carry a key */
  add_text(o, "llm_url", url);
  free(url);
  cJSON_AddStringToObject(o, "strategy", elmo_prompt_strategy_name(set->strategy));
  cJSON_AddNumberToObject(o, "iterations", set->iterations);
  cJSON_AddNumberToObject(o, "budget_seconds", cfg->budget_seconds);
  cJSON_AddNumberToObject(o, "finetune_rounds", set->finetune_rounds);
  cJSON_AddNumberToObject(o, "confirm_runs", set->confirm_runs);
  cJSON_AddNumberToObject(o, "patience", set->patience);
  cJSON_AddNumberToObject(o, "min_gain", set->min_gain);
  cJSON_AddNumberToObject(o, "recheck_band", set->recheck_band > 0 ? set->recheck_band : 0);
  cJSON_AddNumberToObject(o, "recheck_pairs", set->recheck_pairs);
  cJSON_AddNumberToObject(o, "flag_ratio", set->flag_ratio);
  for (size_t i = 0; i < cfg->n_locks && cfg->locks != NULL; i++) {
    cJSON_AddItemToArray(locks, cJSON_CreateString(cfg->locks[i]));
  }
  cJSON_AddItemToObject(o, "locks", locks);
  if (cfg->objective_op != NULL) add_text(o, "objective_op", cfg->objective_op);
  cJSON *protect = cJSON_AddArrayToObject(o, "protect");
  for (size_t i = 0; protect != NULL && i < cfg->n_protect && cfg->protect != NULL; i++) {
    cJSON_AddItemToArray(protect, cJSON_CreateString(cfg->protect[i]));
  }
  if (cfg->replay_trace != NULL) add_text(o, "replay_trace", cfg->replay_trace);
  return o;
}

/* The metrics as written, one row a field: its JSON name, offset, and whether it is a uint64_t. */
typedef struct metric_field {
  const char *name;
  size_t offset;
  int is_u64;
} metric_field;

#define METRIC_D(f) \
  { #f, offsetof(elmo_trial_metrics, f), 0 }
#define METRIC_U(f) \
  { #f, offsetof(elmo_trial_metrics, f), 1 }
static const metric_field kMetricFields[] = {
    METRIC_D(ops_per_sec),
    METRIC_D(micros_per_op),
    METRIC_D(p50_us),
    METRIC_D(p99_us),
    METRIC_D(p999_us),
    METRIC_D(read_p99_us),
    METRIC_D(write_p99_us),
    METRIC_D(setup_seconds),
    METRIC_D(cpu_seconds),
    METRIC_D(wall_seconds),
    METRIC_D(cpu_percent),
    METRIC_U(peak_memory_bytes),
    METRIC_D(stall_micros),
    METRIC_D(stall_percent),
    METRIC_D(write_amp),
    METRIC_U(space_bytes),
    METRIC_D(cache_hit_rate),
    METRIC_U(pending_compaction_bytes),
    METRIC_D(blocks_per_get),
    METRIC_D(compaction_mb_s),
    METRIC_U(stalls_l0),
    METRIC_U(stalls_memtable),
    METRIC_U(stalls_pending),
};

static cJSON *metrics_json(const elmo_trial_metrics *m) {
  cJSON *o = cJSON_CreateObject();
  for (size_t i = 0; i < sizeof kMetricFields / sizeof kMetricFields[0]; i++) {
    const metric_field *fd = &kMetricFields[i];
    const char *at = (const char *)m + fd->offset;
    double v = fd->is_u64 ? (double)*(const uint64_t *)(const void *)at
                          : *(const double *)(const void *)at;
    cJSON_AddNumberToObject(o, fd->name, v);
  }
  cJSON *ops = cJSON_AddArrayToObject(o, "op_types");
  for (size_t i = 0; ops != NULL && i < m->n_op_types && i < ELMO_TRIAL_MAX_OP_TYPES; i++) {
    const elmo_op_latency *t = &m->op_types[i];
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "type", t->type);
    cJSON_AddNumberToObject(e, "count", (double)t->count);
    cJSON_AddNumberToObject(e, "avg_us", t->avg_us);
    cJSON_AddNumberToObject(e, "p50_us", t->p50_us);
    cJSON_AddNumberToObject(e, "p99_us", t->p99_us);
    cJSON_AddNumberToObject(e, "p999_us", t->p999_us);
    cJSON_AddNumberToObject(e, "time_share", t->time_share);
    cJSON_AddItemToArray(ops, e);
  }
  int n = m->interval_ops == NULL ? 0 : m->n_interval > INT_MAX ? INT_MAX : (int)m->n_interval;
  cJSON_AddItemToObject(o, "interval_ops",
                        n > 0 ? cJSON_CreateDoubleArray(m->interval_ops, n) : cJSON_CreateArray());
  return o;
}

static cJSON *record_json(const elmo_tune_record *r) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "index", r->index);
  cJSON_AddNumberToObject(o, "iteration", r->iteration);
  cJSON_AddStringToObject(o, "kind", elmo_record_kind_name(r->kind));
  add_text(o, "options_file", r->options_path ? elmo_report_basename(r->options_path) : NULL);
  cJSON_AddStringToObject(o, "status", elmo_trial_status_name(r->result.status));
  add_text(o, "reason", r->result.reason[0] ? r->result.reason : NULL);
  add_text(o, "limits_method", r->result.limits_method[0] ? r->result.limits_method : NULL);
  cJSON_AddNumberToObject(o, "score", r->score);
  cJSON_AddBoolToObject(o, "is_best", r->is_best != 0);
  cJSON_AddBoolToObject(o, "became_best", r->became_best != 0);
  if (r->kind == ELMO_RECORD_RECHECK)
    cJSON_AddStringToObject(o, "recheck_of", r->recheck_of_best ? "best" : "candidate");
  if (r->close_call_pairs != 0) {
    cJSON *cc = cJSON_AddObjectToObject(o, "close_call");
    cJSON_AddNumberToObject(cc, "pairs", r->close_call_pairs > 0 ? r->close_call_pairs : 0);
    cJSON_AddNumberToObject(cc, "ratio", r->close_call_ratio);
  }
  add_text(o, "changes", r->changes);
  add_text(o, "reasoning", r->reasoning);
  add_text(o, "rejected", r->rejected);
  if (r->guard != NULL) add_text(o, "guard", r->guard);
  cJSON_AddItemToObject(o, "metrics", metrics_json(&r->result.metrics));
  return o;
}

/* How many records have each status. */
static cJSON *counts_json(const elmo_tune_summary *s) {
  cJSON *o = cJSON_CreateObject();
  size_t count[ELMO_TRIAL_ABORTED + 1] = {0};
  for (size_t i = 0; i < s->n_records; i++) {
    if ((unsigned)s->records[i].result.status <= ELMO_TRIAL_ABORTED)
      count[s->records[i].result.status]++;
  }
  cJSON_AddNumberToObject(o, "trials", (double)s->n_records);
  for (int st = ELMO_TRIAL_OK; st <= ELMO_TRIAL_ABORTED; st++) {
    cJSON_AddNumberToObject(o, elmo_trial_status_name((elmo_trial_status)st), (double)count[st]);
  }
  return o;
}

/* One confirmation: its runs (records of best_kind and base_kind), figures and test. */
static cJSON *confirm_json(const elmo_tune_summary *s, const elmo_tune_confirmation *c, elmo_record_kind best_kind,
                           elmo_record_kind base_kind) {
  cJSON *o = cJSON_CreateObject();
  int runs_best = 0, runs_base = 0;
  for (size_t i = 0; i < s->n_records; i++) {
    runs_best += s->records[i].kind == best_kind;
    runs_base += s->records[i].kind == base_kind;
  }
  cJSON_AddNumberToObject(o, "runs_best", runs_best);
  cJSON_AddNumberToObject(o, "runs_base", runs_base);
  cJSON_AddNumberToObject(o, "best_mean", c->best_mean);
  cJSON_AddNumberToObject(o, "best_stdev", c->best_stdev);
  cJSON_AddNumberToObject(o, "base_mean", c->base_mean);
  cJSON_AddNumberToObject(o, "base_stdev", c->base_stdev);
  cJSON_AddNumberToObject(o, "gain", c->gain);
  cJSON_AddNumberToObject(o, "gain_low", c->gain_low);
  cJSON_AddNumberToObject(o, "gain_high", c->gain_high);
  cJSON_AddNumberToObject(o, "pairs", c->pairs);
  cJSON_AddNumberToObject(o, "t", isfinite(c->t) ? c->t : 1e300);
  cJSON_AddNumberToObject(o, "p", c->p);
  cJSON_AddNumberToObject(o, "df", c->df);
  cJSON_AddNumberToObject(o, "batches", c->batches);
  cJSON_AddBoolToObject(o, "pooled", c->pooled != 0);
  cJSON_AddBoolToObject(o, "within_only", c->within_only != 0);
  cJSON_AddNumberToObject(o, "alpha", c->alpha);
  cJSON_AddNumberToObject(o, "look", c->look);
  cJSON_AddNumberToObject(o, "looks", c->looks);
  cJSON_AddNumberToObject(o, "planned_pairs", c->planned_pairs);
  cJSON_AddBoolToObject(o, "significant", c->significant != 0);
  if (c->guard != NULL) add_text(o, "guard", c->guard);
  return o;
}

static cJSON *replay_json(const elmo_tune_summary *s) {
  static const char *const kState[] = {"none", "skipped", "ran", "failed"};
  cJSON *o = confirm_json(s, &s->replay, ELMO_RECORD_REPLAY_BEST, ELMO_RECORD_REPLAY_BASE);
  cJSON_AddStringToObject(o, "state", kState[s->replay_state]);
  if (s->replay_note != NULL) add_text(o, "note", s->replay_note);
  return o;
}

static cJSON *summary_json(const elmo_tune_summary *s) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddItemToObject(o, "counts", counts_json(s));
  cJSON_AddNumberToObject(o, "best_index", s->best_index);
  add_text(o, "best_options",
           s->best_options_path ? elmo_report_basename(s->best_options_path) : NULL);
  add_text(o, "stop_reason", s->stop_reason);
  cJSON_AddBoolToObject(o, "rewrite", s->rewrite);
  add_text(o, "rounds_without_trial", s->notes);
  if (s->budget_cuts != NULL) add_text(o, "budget_cuts", s->budget_cuts);
  cJSON *storage = cJSON_AddObjectToObject(o, "storage");
  cJSON_AddBoolToObject(storage, "measured", s->storage.measured != 0);
  if (s->storage.measured) {
    cJSON_AddNumberToObject(storage, "read_iops", s->storage.read_iops);
    cJSON_AddNumberToObject(storage, "read_latency_us", s->storage.read_latency_us);
    cJSON_AddNumberToObject(storage, "write_mb_s", s->storage.write_mb_s);
    cJSON_AddNumberToObject(storage, "fsync_ms", s->storage.fsync_ms);
    add_text(storage, "device", s->storage.device);
    cJSON_AddBoolToObject(storage, "cached", s->storage_cached != 0);
  } else {
    add_text(storage, "note", s->storage.note);
  }
  cJSON_AddItemToObject(o, "confirm", confirm_json(s, &s->confirm, ELMO_RECORD_CONFIRM_BEST, ELMO_RECORD_CONFIRM_BASE));
  cJSON_AddItemToObject(o, "replay", replay_json(s));
  cJSON_AddBoolToObject(o, "shipped_best", s->shipped_best != 0);
  cJSON *m = confirm_json(s, &s->migration, ELMO_RECORD_MIGRATE_BEST, ELMO_RECORD_MIGRATE_BASE);
  if (m != NULL) {
    add_text(m, "needs_rewrite", s->migration_changes);
    cJSON_AddBoolToObject(m, "measured", s->migration_measured != 0);
    cJSON_AddNumberToObject(m, "compaction_seconds", s->migration_seconds);
    cJSON_AddNumberToObject(m, "data_bytes", (double)s->migration_bytes);
    cJSON_AddItemToObject(o, "migration", m);
  }
  add_text(o, "advisor", s->advisor);
  if (s->merge_standin != NULL) add_text(o, "merge_standin", s->merge_standin);
  add_text(o, "limits_method", s->limits_method);
  cJSON_AddNumberToObject(o, "wall_seconds", s->wall_seconds);
  return o;
}

char *elmo_report_history_json(const elmo_tune_config *cfg, const elmo_tune_summary *s,
                               const report_settings *set) {
  cJSON *root = cJSON_CreateObject(), *records = cJSON_CreateArray();
  if (root == NULL || records == NULL) {
    cJSON_Delete(root);
    cJSON_Delete(records);
    return NULL;
  }
  cJSON_AddStringToObject(root, "elmo_version", elmo_version());
  cJSON_AddItemToObject(root, "config", config_json(cfg, set));
  for (size_t i = 0; i < s->n_records; i++)
    cJSON_AddItemToArray(records, record_json(&s->records[i]));
  cJSON_AddItemToObject(root, "records", records);
  cJSON_AddItemToObject(root, "summary", summary_json(s));
  char *text = cJSON_Print(root);
  cJSON_Delete(root);
  return text;
}
