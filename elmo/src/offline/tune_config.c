/* tune_config.c — the offline tuner's settings (db_bench's --elmo_* flags): one table row per
 * setting with its type, default, range and help; defaults, parsing and validation all read the
 * table. See tuner.h. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "elmo/prompt.h"
#include "elmo/spec.h"
#include "elmo/tuner.h"
#include "elmo/value.h"
#include "elmo/workload.h"
#include "options/setting.h"

typedef enum row_kind { R_BOOL, R_INT, R_U64, R_DOUBLE, R_STRING, R_ENUM } row_kind;

/* An enum row's parser: writes the field(s) of c and returns 1 when text is one of its values. */
typedef int (*enum_parse)(elmo_tune_config *c, const char *text);

typedef struct row {
  elmo_tune_setting_info info;
  row_kind kind;
  size_t offset;     /* of the field in elmo_tune_config */
  double min, max;   /* numeric range (an enum's: of its int field) */
  int min_open;      /* 1: min itself is not allowed */
  int max_open;      /* 1: max itself is not allowed */
  int zero_default;  /* 1: in a zeroed struct (defaults_filled 0), 0 or NULL here means the default */
  enum_parse parse;  /* R_ENUM only */
  int optional;      /* 1: a workload value, whose default "" is not set: the field holds unset */
  double unset;      /* optional: the field's value for not set (outside the range) */
} row;

_Static_assert(sizeof(elmo_objective) == sizeof(int) && sizeof(elmo_prompt_strategy) == sizeof(int),
               "enum rows store their value as an int");

/* ---- enum parsers ------------------------------------------------------------------------ */

/* Operation names an objective may measure (elmo_tune_op_histogram's); static storage, so
 * objective_op can point at them. */
static const char *const kOps[] = {"get", "put", "seek", "delete", "merge", "multiget"};

/* "throughput", "p99", "mixed", or "OP", "OP-p99", "OP-mixed" for one operation type. */
static int parse_objective(elmo_tune_config *c, const char *text) {
  const char *op = NULL, *kind = text;
  size_t n = strcspn(text, "-");
  for (size_t i = 0; i < sizeof kOps / sizeof kOps[0]; i++) {
    if (strlen(kOps[i]) == n && strncmp(text, kOps[i], n) == 0) op = kOps[i];
  }
  if (op != NULL) kind = text[n] == '\0' ? "throughput" : text + n + 1;
  static const char *const kKinds[] = {"throughput", "p99", "mixed"};
  for (int k = 0; k < 3; k++) {
    if (strcmp(kind, kKinds[k]) == 0) {
      c->objective = (elmo_objective)k;
      c->objective_op = op;
      return 1;
    }
  }
  return 0;
}

static int parse_strategy(elmo_tune_config *c, const char *text) {
  elmo_prompt_strategy s;
  if (elmo_prompt_strategy_parse(text, &s, NULL) != ELMO_OK) return 0;
  c->strategy = s;
  return 1;
}

static int parse_rewrite(elmo_tune_config *c, const char *text) {
  static const char *const kNames[] = {"never", "auto", "always"}; /* -1, 0, 1 */
  for (int i = 0; i < 3; i++) {
    if (strcmp(text, kNames[i]) == 0) {
      c->rewrite = i - 1;
      return 1;
    }
  }
  return 0;
}

/* ---- the table --------------------------------------------------------------------------- */

#define F(field) offsetof(elmo_tune_config, field)
#define STR_(x) #x
#define STR(x) STR_(x)

static const row kRows[] = {
    {{"elmo_workload", "string", "", "preset or spec file",
      "Preset name or workload spec file (workload.h); required.", NULL},
     R_STRING, F(workload), 0, 0, 0, 0, 0, NULL, 0, 0},
    /* The workload's values (workload.h): not set by default, the workload's own. */
    {{"elmo_num", "int", "", "[1, 1e12]", "Dataset keys; not set: the preset's.", "num"},
     R_U64, F(num_keys), 1, ELMO_WORKLOAD_NUM_MAX, 0, 0, 0, NULL, 1, 0},
    {{"elmo_key_size", "int", "", "[" STR(ELMO_WORKLOAD_KEY_SIZE_MIN) ", " STR(ELMO_WORKLOAD_KEY_SIZE_MAX) "]",
      "Key bytes; not set: the preset's.", "key_size"},
     R_INT, F(key_size), ELMO_WORKLOAD_KEY_SIZE_MIN, ELMO_WORKLOAD_KEY_SIZE_MAX, 0, 0, 0, NULL, 1, 0},
    {{"elmo_value_size", "int", "", "[1, 64MiB]", "Value bytes; not set: the preset's.", "value_size"},
     R_INT, F(value_size), 1, ELMO_WORKLOAD_VALUE_SIZE_MAX, 0, 0, 0, NULL, 1, 0},
    {{"elmo_threads", "int", "", "[1, " STR(ELMO_WORKLOAD_THREADS_MAX) "]",
      "Client threads of every measured run; not set: 1.", "threads"},
     R_INT, F(threads), 1, ELMO_WORKLOAD_THREADS_MAX, 0, 0, 0, NULL, 1, 0},
    {{"elmo_read_percent", "int", "",
      "[" STR(ELMO_WORKLOAD_READ_PERCENT_MIN) ", " STR(ELMO_WORKLOAD_READ_PERCENT_MAX) "]",
      "readrandomwriterandom's reads in percent of reads and writes; not set: the preset's (90).",
      "readwritepercent"},
     R_INT, F(read_percent), ELMO_WORKLOAD_READ_PERCENT_MIN, ELMO_WORKLOAD_READ_PERCENT_MAX, 0, 0, 1, NULL, 1, -1},
    {{"elmo_trial_sec", "double", "30", "(0, 86400]", "Measured seconds per trial.", "duration"},
     R_DOUBLE, F(trial_seconds), 0, 86400, 1, 0, 1, NULL, 0, 0},
    {{"elmo_warmup_sec", "double", "5", "[0, 3600]", "Warm-up seconds excluded from each trial's measurement.", NULL},
     R_DOUBLE, F(warmup_seconds), 0, 3600, 0, 0, 1, NULL, 0, 0},
    {{"elmo_output_dir", "string", "", "path", "Where the report, best.ini and the trials go; required.", NULL},
     R_STRING, F(output_dir), 0, 0, 0, 0, 0, NULL, 0, 0},
    {{"elmo_cpus", "int", "0", "[0, 4096]", "CPU limit of every trial; 0: no limit.", NULL},
     R_INT, F(cpus), 0, 4096, 0, 0, 0, NULL, 0, 0},
    {{"elmo_memory", "bytes", "0", "[0, 1PiB]",
      "Memory limit of every trial and budget of every candidate; 0: none.", NULL},
     R_U64, F(memory_bytes), 0, 1125899906842624.0, 0, 0, 0, NULL, 0, 0},
    {{"elmo_direct_io", "bool", "false", "true|false",
      "Trials use direct reads and direct flush/compaction I/O.", NULL},
     R_BOOL, F(direct_io), 0, 1, 0, 0, 0, NULL, 0, 0},
    {{"elmo_storage_probe", "bool", "false", "true|false",
      "Probe the trials' storage before the baseline (at most 4 s, cached per device in the output directory) "
      "for the advisor; db_bench's flag is on by default.", NULL},
     R_BOOL, F(storage_probe), 0, 1, 0, 0, 0, NULL, 0, 0},
    {{"elmo_iterations", "int", "8", "[1, 1000]", "Advisor rounds.", NULL},
     R_INT, F(iterations), 1, 1000, 0, 0, 1, NULL, 0, 0},
    {{"elmo_budget_sec", "double", "0", "[0, 1e7]",
      "Wall-clock budget of the whole run in seconds, confirmation included; 0: none.", NULL},
     R_DOUBLE, F(budget_seconds), 0, 1e7, 0, 0, 0, NULL, 0, 0},
    {{"elmo_objective", "enum", "throughput",
      "throughput, p99, mixed, or OP, OP-p99, OP-mixed with OP one of get, put, seek, delete, merge, multiget",
      "What a trial is scored on: all operations, or one operation type's.", NULL},
     R_ENUM, F(objective), 0, 2, 0, 0, 0, parse_objective, 0, 0},
    {{"elmo_p99_weight", "double", "0.5", "[0, 1]",
      "Weight of the p99 gain in the mixed objective; 0: throughput only, 1: p99 only.", NULL},
     R_DOUBLE, F(p99_weight), 0, 1, 0, 0, 1, NULL, 0, 0},
    {{"elmo_llm", "string", "builtin", "provider spec",
      "Advisor: builtin (rules, no LLM), openai:MODEL, anthropic:MODEL, replay:FILE, manual[:DIR] (a person).", NULL},
     R_STRING, F(llm_spec), 0, 0, 0, 0, 1, NULL, 0, 0},
    {{"elmo_llm_url", "string", "", "URL", "Base URL of the LLM API; empty: ELMO_BASE_URL or the provider's.", NULL},
     R_STRING, F(llm_url), 0, 0, 0, 0, 0, NULL, 0, 0},
    {{"elmo_playbook", "string", "", "path",
      "A playbook for the realtime tuner (elmo_playbook=): this run's entry is merged into it (created when missing).",
      NULL},
     R_STRING, F(playbook), 0, 0, 0, 0, 0, NULL, 0, 0},
    {{"elmo_strategy", "enum", "full-history", "full-history, chunked, last-diff, by-resource (or 1-4)",
      "Prompt strategy (prompt.h).", NULL}, R_ENUM, F(strategy), 1, 4, 0, 0, 1, parse_strategy, 0, 0},
    {{"elmo_finetune", "int", "1", "[-1, 100]", "Fine-tuning rounds after each gain; 0 or -1: none.", NULL},
     R_INT, F(finetune_rounds), -1, 100, 0, 0, 1, NULL, 0, 0},
    {{"elmo_confirm", "int", "3", "[1, " STR(ELMO_TUNE_CONFIRM_MAX_PAIRS) "]",
      "Confirmation runs of the best and of the baseline, each, alternating.", NULL},
     R_INT, F(confirm_runs), 1, ELMO_TUNE_CONFIRM_MAX_PAIRS, 0, 0, 1, NULL, 0, 0},
    {{"elmo_confirm_max", "int", "0", "[0, " STR(ELMO_TUNE_CONFIRM_MAX_PAIRS) "]",
      "Pairs an inconclusive confirmation with a positive mean gain may go on to; 0: four times elmo_confirm.", NULL},
     R_INT, F(confirm_max_runs), 0, ELMO_TUNE_CONFIRM_MAX_PAIRS, 0, 0, 0, NULL, 0, 0},
    {{"elmo_patience", "int", "3", "[1, 1000]", "Stop after this many rounds without a significant gain.", NULL},
     R_INT, F(patience), 1, 1000, 0, 0, 1, NULL, 0, 0},
    {{"elmo_min_gain", "double", "0.03", "[0, 1]",
      "A gain counts when above this fraction (0.03: 3%); 0: any gain.", NULL},
     R_DOUBLE, F(min_gain), 0, 1, 0, 0, 1, NULL, 0, 0},
    {{"elmo_flag_ratio", "double", "0.5", "[0, 1]",
      "A trial running below this fraction of the best's ops/s is aborted; 0: never.", NULL},
     R_DOUBLE, F(flag_ratio), 0, 1, 0, 0, 1, NULL, 0, 0},
    {{"elmo_rewrite", "enum", "auto", "auto, always, never",
      "Compact the preloaded data under each trial's options before measuring: auto (read-mostly workloads).", NULL},
     R_ENUM, F(rewrite), -1, 1, 0, 0, 0, parse_rewrite, 0, 0},
    {{"elmo_recheck_band", "double", "0.1", "[-1, 1000]",
      "A candidate within this fraction of the best is measured again, with it; 0 or negative: never.", NULL},
     R_DOUBLE, F(recheck_band), -1, 1000, 0, 0, 1, NULL, 0, 0},
    {{"elmo_recheck_pairs", "int", "2", "[1, " STR(ELMO_TUNE_RECHECK_MAX_PAIRS) "]",
      "(best, candidate) pairs a close call runs; their geometric mean ratio decides.", NULL},
     R_INT, F(recheck_pairs), 1, ELMO_TUNE_RECHECK_MAX_PAIRS, 0, 0, 1, NULL, 0, 0},
    {{"elmo_guard_share", "double", STR(ELMO_TUNE_GUARD_SHARE), "[-1, 1]",
      "Operation types with at least this share of the operations or time are guarded; negative: none by share.", NULL},
     R_DOUBLE, F(guard_share), -1, 1, 0, 0, 1, NULL, 0, 0},
    {{"elmo_guard_tolerance", "double", STR(ELMO_TUNE_GUARD_TOLERANCE), "(0, 1)",
      "The most a guarded operation type may lose of its ops/s (0.1: 10%).", NULL},
     R_DOUBLE, F(guard_tolerance), 0, 1, 1, 1, 1, NULL, 0, 0},
    {{"elmo_guard_p99_tolerance", "double", STR(ELMO_TUNE_GUARD_P99_TOLERANCE), "(0, 100]",
      "The most a protected operation type's p99 may rise (0.25: 25%).", NULL},
     R_DOUBLE, F(guard_p99_tolerance), 0, 100, 1, 0, 1, NULL, 0, 0},
    {{"elmo_guard_p99_all", "bool", "false", "true|false",
      "Judge the p99 of the types guarded by share too, not only of the protected ones.", NULL},
     R_BOOL, F(guard_p99_all), 0, 1, 0, 0, 0, NULL, 0, 0},
    {{"elmo_replay_seek_nexts", "int", "-1", "[-1, " STR(ELMO_SPEC_SCAN_LENGTH_MAX) "]",
      "Next calls after each replayed seek; -1: the scan length of the model the trace gave (0 without one).", NULL},
     R_INT, F(replay_seek_nexts), -1, ELMO_SPEC_SCAN_LENGTH_MAX, 0, 0, 0, NULL, 0, 0},
    {{"elmo_quiet", "bool", "false", "true|false", "No progress lines on stderr.", NULL},
     R_BOOL, F(quiet), 0, 1, 0, 0, 0, NULL, 0, 0},
};

#undef F

enum { kNumRows = sizeof kRows / sizeof kRows[0] };

size_t elmo_tune_config_key_count(void) { return kNumRows; }

const elmo_tune_setting_info *elmo_tune_config_key_at(size_t i) { return i < kNumRows ? &kRows[i].info : NULL; }

/* The row named key, by its key or its alias. */
static const row *find_row(const char *key) {
  for (size_t i = 0; key != NULL && i < kNumRows; i++) {
    const elmo_tune_setting_info *k = &kRows[i].info;
    if (strcmp(k->key, key) == 0 || (k->alias != NULL && strcmp(k->alias, key) == 0)) return &kRows[i];
  }
  return NULL;
}

const elmo_tune_setting_info *elmo_tune_config_find(const char *key) {
  const row *k = find_row(key);
  return k != NULL ? &k->info : NULL;
}

/* ---- reading and writing a row's field ---------------------------------------------------- */

static void *field_of(elmo_tune_config *c, const row *k) { return (char *)c + k->offset; }
static const void *cfield_of(const elmo_tune_config *c, const row *k) { return (const char *)c + k->offset; }

/* The field as a number (R_STRING: 0 for NULL, 1 otherwise). */
static double field_number(const elmo_tune_config *c, const row *k) {
  const void *f = cfield_of(c, k);
  switch (k->kind) {
    case R_DOUBLE: return *(const double *)f;
    case R_U64: return (double)*(const uint64_t *)f;
    case R_STRING: return *(const char *const *)f != NULL;
    default: return *(const int *)f;
  }
}

static void store_number(elmo_tune_config *c, const row *k, double v) {
  void *f = field_of(c, k);
  if (k->kind == R_DOUBLE) *(double *)f = v;
  else if (k->kind == R_U64) *(uint64_t *)f = (uint64_t)v;
  else *(int *)f = (int)v;
}

static const char *key_at(size_t i) { return kRows[i].info.key; }

static elmo_rc unknown_key(const char *key, elmo_error *err) {
  const char *best = elmo_setting_nearest(key, key_at, kNumRows);
  if (best != NULL) {
    return elmo_error_set(err, ELMO_ENOTFOUND, "%s: unknown tuner setting; did you mean %s?", key, best);
  }
  return elmo_error_set(err, ELMO_ENOTFOUND, "%s: unknown tuner setting (see docs/TUNING.md)", key);
}

static elmo_setting_range range_of(const row *k) {
  return (elmo_setting_range){k->min, k->max, k->min_open, k->max_open, k->info.range};
}

static int in_range(const row *k, double v) {
  elmo_setting_range r = range_of(k);
  return elmo_setting_in_range(&r, v);
}

static elmo_setting_kind kind_of(const row *k) {
  return k->kind == R_BOOL ? ELMO_SETTING_BOOL : k->kind == R_INT ? ELMO_SETTING_INT
         : k->kind == R_U64 ? ELMO_SETTING_UINT : ELMO_SETTING_DOUBLE;
}

elmo_rc elmo_tune_config_set(elmo_tune_config *cfg, const char *key, const char *text, elmo_error *err) {
  if (cfg == NULL || key == NULL || text == NULL) {
    return elmo_error_set(err, ELMO_EINVAL, "elmo_tune_config_set: NULL argument");
  }
  const row *k = find_row(key);
  if (k == NULL) return unknown_key(key, err);
  if (k->kind == R_STRING) {
    *(const char **)field_of(cfg, k) = text[0] != '\0' ? text : NULL;
    return ELMO_OK;
  }
  if (k->kind == R_ENUM) {
    elmo_tune_config c = *cfg; /* unchanged on error */
    if (!k->parse(&c, text)) {
      return elmo_error_set(err, ELMO_EPARSE, "%s=%s: expected %s", key, text, k->info.range);
    }
    *cfg = c;
    return ELMO_OK;
  }
  if (k->optional && text[0] == '\0') {
    store_number(cfg, k, k->unset);
    return ELMO_OK;
  }
  double v = 0;
  elmo_setting_range range = range_of(k);
  elmo_rc rc = elmo_setting_parse(key, kind_of(k), k->info.type, text, &range, &v, err);
  if (rc != ELMO_OK) return rc;
  store_number(cfg, k, v);
  return ELMO_OK;
}

void elmo_tune_config_defaults(elmo_tune_config *cfg) {
  if (cfg == NULL) return;
  memset(cfg, 0, sizeof *cfg);
  for (size_t i = 0; i < kNumRows; i++) {
    /* The defaults are in the table; a row whose default does not parse is caught by the tests. */
    (void)elmo_tune_config_set(cfg, kRows[i].info.key, kRows[i].info.default_value, NULL);
  }
  cfg->defaults_filled = 1;
}

void elmo_tune_config_fill(elmo_tune_config *cfg) {
  if (cfg == NULL || cfg->defaults_filled) return;
  for (size_t i = 0; i < kNumRows; i++) {
    const row *k = &kRows[i];
    if (k->zero_default && field_number(cfg, k) == 0) {
      (void)elmo_tune_config_set(cfg, k->info.key, k->info.default_value, NULL);
    }
  }
}

elmo_rc elmo_tune_config_validate(const elmo_tune_config *cfg, elmo_error *err) {
  if (cfg == NULL) return elmo_error_set(err, ELMO_EINVAL, "elmo_tune_config_validate: NULL config");
  for (size_t i = 0; i < kNumRows; i++) {
    const row *k = &kRows[i];
    if (k->kind == R_STRING) continue;
    double v = field_number(cfg, k);
    if (k->optional && v == k->unset) continue;
    if (k->kind == R_ENUM && !in_range(k, v)) {
      return elmo_error_set(err, ELMO_EINVAL, "%s=%g is not one of %s", k->info.key, v, k->info.range);
    }
    if (k->kind == R_BOOL ? (v != 0 && v != 1) : !in_range(k, v)) {
      return elmo_error_set(err, ELMO_ERANGE, "%s=%.15g is outside the allowed range %s", k->info.key, v,
                            k->info.range);
    }
  }
  return ELMO_OK;
}
