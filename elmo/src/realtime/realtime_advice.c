/* realtime_advice.c — what the tuner learned from its changes, and the built-in realtime rules
 * that use it when no LLM is configured. See realtime.h. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "realtime_internal.h"

#define MIB (1024.0 * 1024.0)

/* ---- numbers as RocksDB writes them -------------------------------------------------------- */

int elmo_rt_parse_number(const char *text, double *v, int *is_int) {
  if (text == NULL || text[0] == '\0') return 0;
  const char *p = text[0] == '-' ? text + 1 : text;
  if (*p < '0' || *p > '9') return 0; /* no "inf", "nan", "+1", ".5" or spaces */
  char *end = NULL;
  double d = strtod(text, &end);
  if (end == text || *end != '\0' || !isfinite(d)) return 0;
  if (strchr(text, 'x') != NULL || strchr(text, 'X') != NULL) return 0;
  *v = d;
  *is_int = strpbrk(text, ".eE") == NULL;
  return 1;
}

void elmo_rt_format_number(double v, int is_int, char *buf, size_t size) {
  if (is_int) {
    snprintf(buf, size, "%.0f", v);
  } else {
    snprintf(buf, size, "%.15g", v);
  }
}

int elmo_rt_direction(const char *from, const char *to) {
  double a, b;
  int ai, bi;
  if (!elmo_rt_parse_number(from, &a, &ai) || !elmo_rt_parse_number(to, &b, &bi)) return 0;
  return b > a ? 1 : b < a ? -1 : 0;
}

/* ---- outcomes ------------------------------------------------------------------------------ */

const rt_outcome *elmo_rt_history_at(const elmo_rt *rt, size_t i) {
  if (i >= rt->hist_count) return NULL;
  size_t oldest = (rt->hist_head + ELMO_RT_HISTORY_MAX - rt->hist_count) % ELMO_RT_HISTORY_MAX;
  return &rt->history[(oldest + i) % ELMO_RT_HISTORY_MAX];
}

void elmo_rt_history_add(elmo_rt *rt, const rt_outcome *o) {
  rt->history[rt->hist_head] = *o;
  rt->hist_head = (rt->hist_head + 1) % ELMO_RT_HISTORY_MAX;
  if (rt->hist_count < ELMO_RT_HISTORY_MAX) rt->hist_count++;
}

const rt_outcome *elmo_rt_history_blocks(const elmo_rt *rt, const char *option, const char *from,
                                         const char *to, double read, double write, double scan) {
  int dir = elmo_rt_direction(from, to);
  for (size_t i = rt->hist_count; i-- > 0;) {
    const rt_outcome *o = elmo_rt_history_at(rt, i);
    if (strcmp(o->option, option) != 0) continue;
    /* RocksDB refusing a value does not depend on the workload: never the same value again. */
    if (o->kind == RT_OUT_FAILED && strcmp(o->to, to) == 0) return o;
    if (o->kind != RT_OUT_ROLLED_BACK) continue;
    if (elmo_rt_mix_distance(o->read, o->write, o->scan, read, write, scan) > rt->cfg.shift_mix) continue;
    if (dir != 0 ? dir == o->direction : strcmp(o->to, to) == 0) return o;
  }
  return NULL;
}

/* ---- the built-in rules -------------------------------------------------------------------- */

typedef struct advice_ctx {
  const elmo_rt *rt;
  const elmo_rt_snapshot *s;
  elmo_rt_advice *out;
} advice_ctx;

/* The current value of a mutable option as a number; 0 when it is not one (*ok says which). */
static double num_value(const advice_ctx *c, const char *name, int *ok) {
  const rt_opt *o = elmo_rt_find(c->rt, name);
  double v = 0;
  int is_int = 0;
  *ok = o != NULL && o->is_mutable && elmo_rt_parse_number(o->value, &v, &is_int);
  return *ok ? v : 0;
}

/* Adds name=value when the option can change, differs, and no outcome forbids the move. */
static int add(advice_ctx *c, const char *name, const char *value) {
  const rt_opt *o = elmo_rt_find(c->rt, name);
  elmo_rt_advice *a = c->out;
  if (o == NULL || !o->is_mutable || o->value == NULL || strcmp(o->value, value) == 0 || a->n == ELMO_RT_ADVICE_MAX) return 0;
  if (elmo_rt_history_blocks(c->rt, name, o->value, value, c->s->read_frac, c->s->write_frac, c->s->scan_frac)) {
    return 0;
  }
  snprintf(a->names[a->n], sizeof a->names[a->n], "%s", name);
  snprintf(a->values[a->n], sizeof a->values[a->n], "%s", value);
  a->n++;
  return 1;
}

static int add_number(advice_ctx *c, const char *name, double v) {
  char buf[ELMO_RT_VALUE_MAX];
  elmo_rt_format_number(floor(v), 1, buf, sizeof buf);
  return add(c, name, buf);
}

static int stalling(const advice_ctx *c, double *soft) {
  int ok;
  *soft = num_value(c, "soft_pending_compaction_bytes_limit", &ok);
  int pending_high = ok && *soft > 0 && c->s->pending_compaction_bytes >= *soft / 2;
  return c->s->stall_frac >= 0.02 || pending_high;
}

static int mv_background(advice_ctx *c) {
  int ok, cpus = c->rt->host.cpus;
  double jobs = num_value(c, "max_background_jobs", &ok);
  double cap = cpus > 0 ? (cpus < 2 ? 2 : cpus) : 4;
  if (!ok || jobs >= cap || (cpus > 0 && c->s->cpu_cores >= 0.9 * cpus)) return 0;
  double want = ceil(jobs * 1.5);
  if (!add_number(c, "max_background_jobs", want < cap ? want : cap)) return 0;
  snprintf(c->out->reason, sizeof c->out->reason, "Writes stall %.1f%% of the time with %.0f background jobs on "
           "%d CPU(s) that are not all busy (%.1f cores used): more jobs let flushes and compactions keep up.",
           c->s->stall_frac * 100, jobs, cpus, c->s->cpu_cores);
  return 1;
}

static int mv_l0_triggers(advice_ctx *c) {
  int ok1, ok2;
  double slow = num_value(c, "level0_slowdown_writes_trigger", &ok1);
  double stop = num_value(c, "level0_stop_writes_trigger", &ok2);
  if (!ok1 || !ok2 || slow <= 0 || slow >= 64 || c->s->l0_files < slow / 2) return 0;
  double new_slow = ceil(slow * 1.5), new_stop = ceil(stop * 1.5);
  if (new_stop <= new_slow) new_stop = new_slow + 8;
  int n = add_number(c, "level0_slowdown_writes_trigger", new_slow);
  n += add_number(c, "level0_stop_writes_trigger", new_stop);
  if (n == 0) return 0;
  snprintf(c->out->reason, sizeof c->out->reason, "%.0f L0 files against a slowdown trigger of %.0f: higher L0 "
           "slowdown/stop triggers (%.0f/%.0f) let short compaction backlogs pass without stalling writes.",
           c->s->l0_files, slow, new_slow, new_stop);
  return 1;
}

static int mv_pending_limits(advice_ctx *c, double soft) {
  int ok;
  double hard = num_value(c, "hard_pending_compaction_bytes_limit", &ok);
  if (soft <= 0 || c->s->pending_compaction_bytes < soft / 2) return 0;
  int n = add_number(c, "soft_pending_compaction_bytes_limit", soft * 1.5);
  if (ok && hard > 0) n += add_number(c, "hard_pending_compaction_bytes_limit", hard > soft * 1.5 ? hard * 1.5 : soft * 3);
  if (n == 0) return 0;
  snprintf(c->out->reason, sizeof c->out->reason, "%.0f MiB of compaction is pending against a soft limit of %.0f "
           "MiB: higher pending-bytes limits stop the slowdown while compaction catches up.",
           c->s->pending_compaction_bytes / MIB, soft / MIB);
  return 1;
}

static int rule_stalls(advice_ctx *c) {
  double soft = 0;
  if (!stalling(c, &soft)) return 0;
  return mv_background(c) || mv_l0_triggers(c) || mv_pending_limits(c, soft);
}

/* One writer is CPU-bound in the memtable: smaller ones measured faster (docs/bench/HISTORY.md), so
 * they go first; the other direction when that was rolled back, and the reverse for many writers. */
static int rule_write_share(advice_ctx *c) {
  const elmo_rt_shift *sh = &c->rt->shift;
  if (!(sh->signals & ELMO_RT_SIG_MIX) || c->s->write_frac < 0.3 || c->s->write_frac - sh->base_write_frac < 0.1) {
    return 0;
  }
  int ok, one = c->rt->host.client_threads == 1;
  double wbs = num_value(c, "write_buffer_size", &ok);
  if (!ok || wbs <= 0) return 0;
  double cap = c->rt->host.memory_bytes > 0 ? c->rt->host.memory_bytes / 8 : 256 * MIB;
  double smaller = wbs / 2 >= 16 * MIB ? wbs / 2 : 0, larger = wbs * 1.5 <= cap ? wbs * 1.5 : 0;
  double first = one ? smaller : larger, second = one ? larger : smaller;
  double want = first > 0 && add_number(c, "write_buffer_size", first) ? first
                : second > 0 && add_number(c, "write_buffer_size", second) ? second : 0;
  if (want == 0) return 0;
  snprintf(c->out->reason, sizeof c->out->reason, "The write share rose from %.0f%% to %.0f%% with %s: %s memtables "
           "(%.0f -> %.0f MiB)%s.", sh->base_write_frac * 100, c->s->write_frac * 100,
           one ? "one client thread" : "several or unknown client threads", want < wbs ? "smaller" : "larger",
           wbs / MIB, want / MIB, want == second ? ", the other direction having been rolled back" : "");
  return 1;
}

static int rule_read_share(advice_ctx *c) {
  const elmo_rt_shift *sh = &c->rt->shift;
  if (!(sh->signals & ELMO_RT_SIG_MIX) || c->s->read_frac < 0.5 || c->s->read_frac - sh->base_read_frac < 0.1 ||
      c->s->write_frac < 0.05) {
    return 0;
  }
  int ok;
  double ratio = num_value(c, "memtable_prefix_bloom_size_ratio", &ok);
  int n = ok && ratio == 0 ? add(c, "memtable_prefix_bloom_size_ratio", "0.1") : 0;
  n += add(c, "memtable_whole_key_filtering", "true");
  if (n == 0) return 0;
  snprintf(c->out->reason, sizeof c->out->reason, "The read share rose from %.0f%% to %.0f%% while %.0f%% are "
           "writes: a whole-key Bloom filter in the memtable lets Gets skip memtables without the key.",
           sh->base_read_frac * 100, c->s->read_frac * 100, c->s->write_frac * 100);
  return 1;
}

static int rule_flush_sync(advice_ctx *c) {
  int ok;
  double bps = num_value(c, "bytes_per_sync", &ok);
  if (!ok || bps != 0 || c->s->flush_bytes_per_sec + c->s->compact_bytes_per_sec < 4 * MIB) return 0;
  if (!add(c, "bytes_per_sync", "1048576")) return 0;
  snprintf(c->out->reason, sizeof c->out->reason, "Flushes and compactions write %.0f MiB/s with bytes_per_sync=0: "
           "syncing every 1 MiB spreads that I/O instead of bursts at file end that delay foreground reads.",
           (c->s->flush_bytes_per_sec + c->s->compact_bytes_per_sec) / MIB);
  return 1;
}

elmo_rc elmo_rt_builtin_advice(const elmo_rt *rt, const elmo_rt_snapshot *snap, elmo_rt_advice *out,
                               elmo_error *err) {
  if (out != NULL) memset(out, 0, sizeof *out);
  if (rt == NULL || snap == NULL || out == NULL) {
    return elmo_error_set(err, ELMO_EINVAL, "elmo_rt_builtin_advice: NULL argument");
  }
  advice_ctx c = {rt, snap, out};
  int (*const rules[])(advice_ctx *) = {rule_stalls, rule_write_share, rule_read_share, rule_flush_sync};
  for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
    out->n = 0;
    if (rules[i](&c) && out->n > 0) break;
    out->n = 0;
  }
  if (out->n == 0) {
    snprintf(out->reason, sizeof out->reason, "Built-in realtime rules: nothing to change for %.0f%% reads, %.0f%% "
             "writes, %.0f%% scans, stalls %.1f%% (or the moves left were rolled back before under this mix).",
             snap->read_frac * 100, snap->write_frac * 100, snap->scan_frac * 100, snap->stall_frac * 100);
  }
  return ELMO_OK;
}

size_t elmo_rt_advice_pairs(const elmo_rt_advice *a, elmo_rt_pair *out, size_t cap) {
  size_t n = 0;
  for (; a != NULL && out != NULL && n < a->n && n < cap; n++) {
    out[n].name = a->names[n];
    out[n].value = a->values[n];
  }
  return n;
}
