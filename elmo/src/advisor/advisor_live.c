/* advisor_live.c — the built-in advisor's rules for a live DB (the realtime tuner's facts): more
 * background jobs or higher L0 and pending-bytes limits when writes stall, memtables sized to a
 * rising write share, a memtable Bloom filter for a rising read share. Only options the facts list
 * as live (mutable) move, and never a move the facts list as blocked. (No bytes_per_sync rule:
 * RocksDB 7.8's SetDBOptions turns its default 0 into 1 MiB on any call, so a change from 0 could
 * be neither verified nor undone.) See advisor.h. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "advisor_internal.h"
#include "base/plain_number.h"
#include "elmo/number.h"

#define MIB (1024.0 * 1024.0)
enum { DB = 0, CF = 1 };

typedef struct live_ctx {
  const advisor_facts *a;
  const elmo_facts *f;
  advisor_move *out;
} live_ctx;

static double known(double v) { return ELMO_FACT_KNOWN(v) ? v : 0; }

/* The live value of an option as a number; 0 when it is not one (*ok says which). */
static double num_value(const live_ctx *c, const char *name, int *ok) {
  const char *v = elmo_advisor_best_value(c->f, name);
  double d = 0;
  int is_int = 0;
  *ok = v != NULL && elmo_plain_number_parse(v, &d, &is_int);
  return *ok ? d : 0;
}

/* 1 when the facts block moving name from `from` to `to`: RocksDB refused that value, or a move in
 * the same direction (the same value, for non-numbers) was rolled back under a similar mix. */
static int blocked(const elmo_facts *f, const char *name, const char *from, const char *to) {
  int dir = elmo_plain_number_direction(from, to);
  for (size_t i = 0; i < f->n_blocked; i++) {
    const elmo_fact_blocked *b = &f->blocked[i];
    if (strcmp(b->option, name) != 0) continue;
    if (b->why != NULL && strcmp(b->why, "failed") == 0) {
      if (strcmp(b->to, to) == 0) return 1;
      continue;
    }
    if (dir != 0 ? dir == b->direction : strcmp(b->to, to) == 0) return 1;
  }
  return 0;
}

/* Adds name=value when the option is live, differs, and no outcome blocks the move. */
static int add(live_ctx *c, int section, const char *name, const char *value) {
  const char *cur = elmo_advisor_best_value(c->f, name);
  advisor_move *m = c->out;
  if (cur == NULL || strcmp(cur, value) == 0 || m->n == kAdvisorMaxOpts) return 0;
  if (blocked(c->f, name, cur, value)) return 0;
  advisor_opt *o = &m->opts[m->n++];
  o->section = section;
  o->name = name;
  snprintf(o->value, sizeof o->value, "%s", value);
  return 1;
}

static int add_number(live_ctx *c, int section, const char *name, double v) {
  char buf[64];
  elmo_plain_number_format(floor(v), 1, buf, sizeof buf);
  return add(c, section, name, buf);
}

static int has_signal(const elmo_facts *f, const char *name) {
  for (size_t i = 0; i < f->shift.n_signals; i++) {
    if (strcmp(f->shift.signals[i], name) == 0) return 1;
  }
  return 0;
}

static int stalling(const live_ctx *c, double *soft) {
  int ok;
  *soft = num_value(c, "soft_pending_compaction_bytes_limit", &ok);
  double pending = known(c->f->best.pending_compaction_bytes);
  int pending_high = ok && *soft > 0 && pending >= *soft / 2;
  return known(c->f->best.stall_percent) / 100 >= 0.02 || pending_high;
}

static int mv_background(live_ctx *c) {
  int ok, cpus = (int)known(c->f->cpus);
  double jobs = num_value(c, "max_background_jobs", &ok);
  double cap = cpus > 0 ? elmo_advisor_max_background_jobs(cpus) : 4;
  double cores = known(c->f->best.cpu_percent) / 100;
  if (!ok || jobs >= cap || (cpus > 0 && cores >= 0.9 * cpus)) return 0;
  double want = ceil(jobs * 1.5);
  if (!add_number(c, DB, "max_background_jobs", want < cap ? want : cap)) return 0;
  elmo_number_snprintf(c->out->reason, sizeof c->out->reason, "Writes stall %.1f%% of the time with %.0f background jobs on "
           "%d CPU(s) that are not all busy (%.1f cores used): more jobs let flushes and compactions keep up.",
           known(c->f->best.stall_percent), jobs, cpus, cores);
  return 1;
}

static int mv_l0_triggers(live_ctx *c) {
  int ok1, ok2;
  double slow = num_value(c, "level0_slowdown_writes_trigger", &ok1);
  double stop = num_value(c, "level0_stop_writes_trigger", &ok2);
  double l0 = known(c->f->best.l0_files);
  if (!ok1 || !ok2 || slow <= 0 || slow >= 64 || l0 < slow / 2) return 0;
  double new_slow = ceil(slow * 1.5), new_stop = ceil(stop * 1.5);
  if (new_stop <= new_slow) new_stop = new_slow + 8;
  int n = add_number(c, CF, "level0_slowdown_writes_trigger", new_slow);
  n += add_number(c, CF, "level0_stop_writes_trigger", new_stop);
  if (n == 0) return 0;
  elmo_number_snprintf(c->out->reason, sizeof c->out->reason, "%.0f L0 files against a slowdown trigger of %.0f: higher L0 "
           "slowdown/stop triggers (%.0f/%.0f) let short compaction backlogs pass without stalling writes.",
           l0, slow, new_slow, new_stop);
  return 1;
}

static int mv_pending_limits(live_ctx *c, double soft) {
  int ok;
  double hard = num_value(c, "hard_pending_compaction_bytes_limit", &ok);
  double pending = known(c->f->best.pending_compaction_bytes);
  if (soft <= 0 || pending < soft / 2) return 0;
  int n = add_number(c, CF, "soft_pending_compaction_bytes_limit", soft * 1.5);
  if (ok && hard > 0) n += add_number(c, CF, "hard_pending_compaction_bytes_limit", hard > soft * 1.5 ? hard * 1.5 : soft * 3);
  if (n == 0) return 0;
  elmo_number_snprintf(c->out->reason, sizeof c->out->reason, "%.0f MiB of compaction is pending against a soft limit of %.0f "
           "MiB: higher pending-bytes limits stop the slowdown while compaction catches up.",
           pending / MIB, soft / MIB);
  return 1;
}

static int rule_stalls(live_ctx *c) {
  double soft = 0;
  if (!stalling(c, &soft)) return 0;
  return mv_background(c) || mv_l0_triggers(c) || mv_pending_limits(c, soft);
}

/* One writer is CPU-bound in the memtable: smaller ones measured faster (docs/bench/HISTORY.md), so
 * they go first; the other direction when that was rolled back, and the reverse for many writers. */
static int rule_write_share(live_ctx *c) {
  double write = c->a->write, base = known(c->f->shift.base_write);
  if (!has_signal(c->f, "mix") || write < 0.3 || write - base < 0.1) return 0;
  int ok, one = known(c->f->workload.threads) == 1;
  double wbs = num_value(c, "write_buffer_size", &ok);
  if (!ok || wbs <= 0) return 0;
  double memory = known(c->f->memory_bytes);
  double cap = memory > 0 ? memory / 8 : 256 * MIB;
  double smaller = wbs / 2 >= 16 * MIB ? wbs / 2 : 0, larger = wbs * 1.5 <= cap ? wbs * 1.5 : 0;
  double first = one ? smaller : larger, second = one ? larger : smaller;
  double want = first > 0 && add_number(c, CF, "write_buffer_size", first)     ? first
                : second > 0 && add_number(c, CF, "write_buffer_size", second) ? second
                                                                               : 0;
  if (want == 0) return 0;
  elmo_number_snprintf(c->out->reason, sizeof c->out->reason, "The write share rose from %.0f%% to %.0f%% with %s: %s memtables "
           "(%.0f -> %.0f MiB)%s.", base * 100, write * 100,
           one ? "one client thread" : "several or unknown client threads", want < wbs ? "smaller" : "larger",
           wbs / MIB, want / MIB, want == second ? ", the other direction having been rolled back" : "");
  return 1;
}

static int rule_read_share(live_ctx *c) {
  double read = c->a->read, base = known(c->f->shift.base_read);
  if (!has_signal(c->f, "mix") || read < 0.5 || read - base < 0.1 || c->a->write < 0.05) return 0;
  int ok;
  double ratio = num_value(c, "memtable_prefix_bloom_size_ratio", &ok);
  int n = ok && ratio == 0 ? add(c, CF, "memtable_prefix_bloom_size_ratio", "0.1") : 0;
  n += add(c, CF, "memtable_whole_key_filtering", "true");
  if (n == 0) return 0;
  elmo_number_snprintf(c->out->reason, sizeof c->out->reason, "The read share rose from %.0f%% to %.0f%% while %.0f%% are "
           "writes: a whole-key Bloom filter in the memtable lets Gets skip memtables without the key.",
           base * 100, read * 100, c->a->write * 100);
  return 1;
}

int elmo_advisor_live_move(const advisor_facts *a, advisor_move *out) {
  live_ctx c = {a, a->facts, out};
  int (*const rules[])(live_ctx *) = {rule_stalls, rule_write_share, rule_read_share};
  memset(out, 0, sizeof *out);
  for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
    out->n = 0;
    if (rules[i](&c) && out->n > 0) return 1;
  }
  out->n = 0;
  elmo_number_snprintf(out->reason, sizeof out->reason, "Built-in realtime rules: nothing to change for %.0f%% reads, %.0f%% "
           "writes, %.0f%% scans, stalls %.1f%% (or the moves left were rolled back before under this mix).",
           a->read * 100, a->write * 100, a->scan * 100, known(a->facts->best.stall_percent));
  return 0;
}
