/* realtime_config.c — the elmo_* OPTIONS keys of the realtime tuner: one table row per key with
 * its type, default, range and help; defaults, parsing and validation all read the table. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "elmo/realtime.h"
#include "elmo/value.h"
#include "options/setting.h"

typedef enum key_type { K_BOOL, K_INT, K_DOUBLE, K_BYTES, K_STRING } key_type;

typedef struct key_row {
  elmo_rt_key_info info;
  key_type type;
  size_t offset;      /* of the field in elmo_rt_config */
  size_t size;        /* of a string field */
  double min, max;    /* numeric range */
  int min_open;       /* 1: min itself is not allowed */
  int max_open;       /* 1: max itself is not allowed */
} key_row;

#define F(field) offsetof(elmo_rt_config, field), sizeof(((elmo_rt_config *)0)->field)

static const key_row kKeys[] = {
    {{"elmo_autotune", "bool", "false", "true|false",
      "Start the realtime tuner thread when the DB opens."}, K_BOOL, F(autotune), 0, 1, 0, 0},
    {{"elmo_interval_sec", "double", "90", "[1, 86400]",
      "Seconds between two statistics samples (one decision step)."},
     K_DOUBLE, F(interval_sec), 1, 86400, 0, 0},
    {{"elmo_llm", "string", "builtin", "provider spec",
      "Who proposes changes: \"builtin\" (rules, no LLM) or an llm.h provider spec."},
     K_STRING, F(llm), 0, 0, 0, 0},
    {{"elmo_journal", "string", "", "path",
      "JSON-lines journal of every decision; empty: elmo_journal.jsonl in the DB directory."},
     K_STRING, F(journal), 0, 0, 0, 0},
    {{"elmo_max_step", "double", "0.5", "(0, 4]",
      "Largest relative change of one numeric option in one step (0.5: -50%..+50%)."},
     K_DOUBLE, F(max_step), 0, 4, 1, 0},
    {{"elmo_max_changes_per_hour", "int", "40", "[0, 60]",
      "SetOptions changes allowed in any hour, switchback switches included; 0 only observes and journals."},
     K_INT, F(max_changes_per_hour), 0, ELMO_RT_HOURLY_MAX, 0, 0},
    {{"elmo_max_options_per_change", "int", "4", "[1, 16]",
      "Options one change may set; further ones are dropped, saying so."},
     K_INT, F(max_options_per_change), 1, ELMO_RT_MAX_ITEMS, 0, 0},
    {{"elmo_baseline_window", "int", "5", "[1, 32]",
      "Snapshots whose mean is the baseline a shift is measured against."},
     K_INT, F(baseline_window), 1, ELMO_RT_RING_MAX, 0, 0},
    {{"elmo_shift_mix", "double", "0.15", "(0, 1]",
      "Total-variation distance of the read/write/scan mix that is a shift."},
     K_DOUBLE, F(shift_mix), 0, 1, 1, 0},
    {{"elmo_shift_throughput", "double", "0.3", "(0, 10]",
      "Relative change of operations per second that is a shift (0.3: +-30%)."},
     K_DOUBLE, F(shift_throughput), 0, 10, 1, 0},
    {{"elmo_shift_value_size", "double", "0.5", "(0, 10]",
      "Relative change of the bytes per written or read key, or of the scan length, that is a shift."},
     K_DOUBLE, F(shift_value_size), 0, 10, 1, 0},
    {{"elmo_shift_stall", "double", "0.05", "(0, 1]",
      "Rise of the stalled fraction of the interval that is a shift."},
     K_DOUBLE, F(shift_stall), 0, 1, 1, 0},
    {{"elmo_shift_hit_rate", "double", "0.1", "(0, 1]",
      "Fall of the block cache hit rate at a steady mix that is a shift (the hot set moved or grew)."},
     K_DOUBLE, F(shift_hit_rate), 0, 1, 1, 0},
    {{"elmo_stall_trigger", "double", "0.1", "(0, 1]",
      "Stalled fraction that, held over a whole baseline window, asks for advice too."},
     K_DOUBLE, F(stall_trigger), 0, 1, 1, 0},
    {{"elmo_rollback_throughput", "double", "0.1", "(0, 1)",
      "Drop of operations per second after a change that undoes it (0.1: 10%)."},
     K_DOUBLE, F(rollback_throughput), 0, 1, 1, 1},
    {{"elmo_rollback_p99", "double", "0.2", "(0, 10]",
      "Rise of the get or write p99 latency after a change that undoes it (0.2: 20%)."},
     K_DOUBLE, F(rollback_p99), 0, 10, 1, 0},
    {{"elmo_watch_intervals", "int", "1", "[1, 10]",
      "Intervals a change is watched before it is judged, on their mean (more: steadier verdicts)."},
     K_INT, F(watch_intervals), 1, 10, 0, 0},
    {{"elmo_switchback_pairs", "int", "6", "[0, 16]",
      "Most (new, old) block pairs that verify a change by switchback; 0: judge it on the intervals after it."},
     K_INT, F(switchback_pairs), 0, ELMO_RT_SWITCHBACK_MAX_PAIRS, 0, 0},
    {{"elmo_switchback_block_sec", "double", "10", "[1, 3600]",
      "Seconds per switchback block."},
     K_DOUBLE, F(switchback_block_sec), 1, 3600, 0, 0},
    {{"elmo_switchback_settle_sec", "double", "2", "[0, 600]",
      "Seconds after each switch before its block is measured."},
     K_DOUBLE, F(switchback_settle_sec), 0, 600, 0, 0},
    {{"elmo_cooldown_intervals", "int", "2", "[0, 1000]",
      "Intervals without a change after a kept change."},
     K_INT, F(cooldown_intervals), 0, 1000, 0, 0},
    {{"elmo_rollback_cooldown_intervals", "int", "4", "[0, 1000]",
      "Intervals without a change after a rollback or a refused change."},
     K_INT, F(rollback_cooldown_intervals), 0, 1000, 0, 0},
    {{"elmo_min_interval_ops", "double", "1000", "[0, 1e12]",
      "Intervals with fewer operations are skipped: too little load to judge."},
     K_DOUBLE, F(min_interval_ops), 0, 1e12, 0, 0},
    {{"elmo_db", "string", "", "glob",
      "Only DBs whose path matches this fnmatch(3) glob take the environment's ELMo keys."},
     K_STRING, F(db), 0, 0, 0, 0},
    {{"elmo_strict", "bool", "false", "true|false",
      "A bad ELMo setting fails DB::Open instead of being skipped with a LOG line."},
     K_BOOL, F(strict), 0, 1, 0, 0},
    {{"elmo_trace", "string", "", "path template",
      "Record a query trace from open to close; %p is the process id, %n the DB directory's name."},
     K_STRING, F(trace), 0, 0, 0, 0},
    {{"elmo_trace_max_bytes", "bytes", "1GiB", "[64KiB, 1PiB]",
      "Tracing stops when the trace file reaches this size."},
     K_BYTES, F(trace_max_bytes), 65536, 1125899906842624.0, 0, 0},
    {{"elmo_trace_seconds", "double", "0", "[0, 1e7]",
      "Tracing stops this many seconds after the DB opened; 0: at Close."},
     K_DOUBLE, F(trace_seconds), 0, 1e7, 0, 0},
    {{"elmo_trace_sampling", "int", "1", "[1, 1000000]",
      "Trace one operation in N (RocksDB's sampling_frequency)."},
     K_INT, F(trace_sampling), 1, 1000000, 0, 0},
    {{"elmo_tuned_options", "string", "", "path",
      "An OPTIONS file (elmotune's best.ini) whose values are laid over the program's at open."},
     K_STRING, F(tuned_options), 0, 0, 0, 0},
    {{"elmo_playbook", "string", "", "path",
      "A playbook (elmotune's playbook.json): on a shift, the entry nearest the new workload is tried first."},
     K_STRING, F(playbook), 0, 0, 0, 0},
    {{"elmo_trace_min_free_bytes", "bytes", "1GiB", "[0, 1PiB]",
      "Tracing stops when the trace file's disk has less free space than this."},
     K_BYTES, F(trace_min_free_bytes), 0, 1125899906842624.0, 0, 0},
};

#undef F

enum { kNumKeys = sizeof kKeys / sizeof kKeys[0] };

size_t elmo_rt_config_key_count(void) { return kNumKeys; }

const elmo_rt_key_info *elmo_rt_config_key_at(size_t i) { return i < kNumKeys ? &kKeys[i].info : NULL; }

int elmo_rt_config_is_key(const char *key) { return key != NULL && strncmp(key, "elmo_", 5) == 0; }

static const key_row *find_key(const char *key) {
  for (size_t i = 0; i < kNumKeys; i++) {
    if (strcmp(kKeys[i].info.key, key) == 0) return &kKeys[i];
  }
  return NULL;
}

static const char *key_at(size_t i) { return kKeys[i].info.key; }

static elmo_rc unknown_key(const char *key, elmo_error *err) {
  const char *best = elmo_setting_nearest(key, key_at, kNumKeys);
  if (best != NULL) {
    return elmo_error_set(err, ELMO_ENOTFOUND, "%s: unknown ELMo key; did you mean %s?", key, best);
  }
  return elmo_error_set(err, ELMO_ENOTFOUND, "%s: unknown ELMo key (see docs/UNCHANGED.md: elmo_autotune, elmo_trace, "
                        "elmo_interval_sec, elmo_max_step, ...)", key);
}

static elmo_setting_range range_of(const key_row *k) {
  return (elmo_setting_range){k->min, k->max, k->min_open, k->max_open, k->info.range};
}

static elmo_setting_kind kind_of(const key_row *k) {
  return k->type == K_BOOL ? ELMO_SETTING_BOOL : k->type == K_DOUBLE ? ELMO_SETTING_DOUBLE : ELMO_SETTING_INT;
}

static double field_number(const elmo_rt_config *cfg, const key_row *k) {
  const char *base = (const char *)cfg + k->offset;
  if (k->type == K_DOUBLE || k->type == K_BYTES) return *(const double *)(const void *)base;
  return (double)*(const int *)(const void *)base;
}

elmo_rc elmo_rt_config_set(elmo_rt_config *cfg, const char *key, const char *value, elmo_error *err) {
  if (cfg == NULL || key == NULL || value == NULL) {
    return elmo_error_set(err, ELMO_EINVAL, "elmo_rt_config_set: NULL argument");
  }
  const key_row *k = find_key(key);
  if (k == NULL) return unknown_key(key, err);
  char *field = (char *)cfg + k->offset;
  if (k->type == K_STRING) {
    size_t len = strlen(value);
    if (len >= k->size) {
      return elmo_error_set(err, ELMO_ETOOBIG, "%s: the value is %zu bytes, at most %zu are allowed",
                            key, len, k->size - 1);
    }
    memcpy(field, value, len + 1);
    return ELMO_OK;
  }
  double v = 0;
  elmo_setting_range range = range_of(k);
  elmo_rc rc = elmo_setting_parse(key, kind_of(k), k->info.type, value, &range, &v, err);
  if (rc != ELMO_OK) return rc;
  if (k->type == K_DOUBLE || k->type == K_BYTES) {
    *(double *)(void *)field = v;
  } else {
    *(int *)(void *)field = (int)v;
  }
  return ELMO_OK;
}

void elmo_rt_config_defaults(elmo_rt_config *cfg) {
  if (cfg == NULL) return;
  memset(cfg, 0, sizeof *cfg);
  for (size_t i = 0; i < kNumKeys; i++) {
    /* The defaults are in the table; a row whose default does not parse is caught by the tests. */
    (void)elmo_rt_config_set(cfg, kKeys[i].info.key, kKeys[i].info.default_value, NULL);
  }
}

elmo_rc elmo_rt_config_validate(const elmo_rt_config *cfg, elmo_error *err) {
  if (cfg == NULL) return elmo_error_set(err, ELMO_EINVAL, "elmo_rt_config_validate: NULL config");
  for (size_t i = 0; i < kNumKeys; i++) {
    const key_row *k = &kKeys[i];
    if (k->type == K_STRING) {
      const char *s = (const char *)cfg + k->offset;
      if (memchr(s, '\0', k->size) == NULL) {
        return elmo_error_set(err, ELMO_EINVAL, "%s: the value is not terminated", k->info.key);
      }
      continue;
    }
    double v = field_number(cfg, k);
    elmo_setting_range range = range_of(k);
    if (k->type == K_BOOL ? (v != 0 && v != 1) : !elmo_setting_in_range(&range, v)) {
      return elmo_error_set(err, ELMO_ERANGE, "%s=%g is outside the allowed range %s", k->info.key, v,
                            k->info.range);
    }
  }
  if (cfg->llm[0] == '\0') {
    return elmo_error_set(err, ELMO_EINVAL, "elmo_llm is empty: use \"builtin\" or a provider spec");
  }
  return ELMO_OK;
}

static char *trim(char *s) {
  while (*s == ' ' || *s == '\t' || *s == '\r') s++;
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) s[--n] = '\0';
  return s;
}

/* One "key=value" item (a writable copy). */
static elmo_rc parse_item(elmo_rt_config *cfg, char *item, elmo_error *err) {
  char *t = trim(item);
  if (*t == '\0') return ELMO_OK;
  char *eq = strchr(t, '=');
  if (eq == NULL) return elmo_error_set(err, ELMO_EPARSE, "%s: expected key=value", t);
  *eq = '\0';
  return elmo_rt_config_set(cfg, trim(t), trim(eq + 1), err);
}

elmo_rc elmo_rt_config_parse(elmo_rt_config *cfg, const char *text, elmo_error *err) {
  if (cfg == NULL || text == NULL) return elmo_error_set(err, ELMO_EINVAL, "elmo_rt_config_parse: NULL argument");
  char item[1400];
  const char *p = text;
  while (*p != '\0') {
    size_t n = strcspn(p, ";\n");
    if (n >= sizeof item) {
      return elmo_error_set(err, ELMO_ETOOBIG, "%.40s...: an item longer than %zu bytes", p, sizeof item - 1);
    }
    memcpy(item, p, n);
    item[n] = '\0';
    elmo_rc rc = parse_item(cfg, item, err);
    if (rc != ELMO_OK) return rc;
    p += n;
    if (*p != '\0') p++;
  }
  return elmo_rt_config_validate(cfg, err);
}

/* Copies the trimmed [b, e) into out (size bytes); 0 when it does not fit. */
static int copy_trimmed(const char *b, const char *e, char *out, size_t size) {
  while (b < e && (*b == ' ' || *b == '\t')) b++;
  while (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r')) e--;
  if ((size_t)(e - b) >= size) return 0;
  memcpy(out, b, (size_t)(e - b));
  out[e - b] = '\0';
  return 1;
}

elmo_rc elmo_rt_config_lines(const char *text, elmo_rt_line *out, size_t max, size_t *n, elmo_error *err) {
  if (text == NULL || out == NULL || n == NULL) {
    return elmo_error_set(err, ELMO_EINVAL, "elmo_rt_config_lines: NULL argument");
  }
  *n = 0;
  int line = 0;
  for (const char *p = text; *p != '\0';) {
    const char *end = p + strcspn(p, "\n");
    line++;
    const char *stop = p; /* the comment's start, or end */
    while (stop < end && !(*stop == '#' && (stop == p || stop[-1] == ' ' || stop[-1] == '\t'))) stop++;
    const char *b = p;
    while (b < stop && (*b == ' ' || *b == '\t' || *b == '\r')) b++;
    if (b < stop) {
      if (*n == max) return elmo_error_set(err, ELMO_ETOOBIG, "line %d: more than %zu settings", line, max);
      elmo_rt_line *it = &out[(*n)++];
      memset(it, 0, sizeof *it);
      it->line = line;
      const char *eq = memchr(b, '=', (size_t)(stop - b));
      int ok = eq == NULL ? copy_trimmed(b, stop, it->value, sizeof it->value)
                          : copy_trimmed(b, eq, it->key, sizeof it->key) &&
                                copy_trimmed(eq + 1, stop, it->value, sizeof it->value);
      if (!ok) return elmo_error_set(err, ELMO_ETOOBIG, "line %d: the key or the value is too long", line);
      if (eq != NULL && it->key[0] == '\0') {
        snprintf(it->value, sizeof it->value, "%s", "=...: no key before '='");
      }
    }
    p = *end == '\n' ? end + 1 : end;
  }
  return ELMO_OK;
}

elmo_rc elmo_rt_trace_path(const char *tmpl, long pid, const char *db_path, char *out, size_t size,
                           elmo_error *err) {
  if (tmpl == NULL || db_path == NULL || out == NULL || size == 0) {
    return elmo_error_set(err, ELMO_EINVAL, "elmo_rt_trace_path: NULL argument");
  }
  /* The DB directory's last component, without trailing slashes. */
  size_t dl = strlen(db_path);
  while (dl > 1 && db_path[dl - 1] == '/') dl--;
  size_t ds = dl;
  while (ds > 0 && db_path[ds - 1] != '/') ds--;
  size_t o = 0;
  for (const char *p = tmpl; *p != '\0'; p++) {
    char piece[32];
    const char *add = p;
    size_t len = 1;
    if (*p == '%') {
      p++;
      if (*p == 'p') {
        len = (size_t)snprintf(piece, sizeof piece, "%ld", pid), add = piece;
      } else if (*p == 'n') {
        add = db_path + ds, len = dl - ds;
      } else if (*p == '%') {
        add = "%";
      } else {
        return elmo_error_set(err, ELMO_EPARSE, "elmo_trace=%s: unknown %%%c (use %%p, %%n or %%%%)", tmpl,
                              *p != '\0' ? *p : '?');
      }
    }
    if (o + len >= size) return elmo_error_set(err, ELMO_ETOOBIG, "elmo_trace=%s: the path is too long", tmpl);
    memcpy(out + o, add, len);
    o += len;
  }
  out[o] = '\0';
  return ELMO_OK;
}
