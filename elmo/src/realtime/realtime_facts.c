/* realtime_facts.c — what the realtime tuner tells its advisor (the facts of facts.h: the live
 * mix and telemetry, the shift, past changes, what is blocked, the limits) and the advice step
 * itself: the one advice path (advise.h) in mutable-only mode. See realtime.h. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elmo/advise.h"
#include "elmo/advisor.h"
#include "elmo/number.h"
#include "elmo/prompt.h"
#include "realtime_internal.h"

typedef struct rt_facts {
  elmo_facts f;
  elmo_fact_option *options; /* n_opts */
  const char **locked;       /* n_opts */
  elmo_fact_trial tried[ELMO_RT_HISTORY_MAX];
  elmo_fact_option changes[ELMO_RT_HISTORY_MAX];
  char rejected_text[ELMO_RT_HISTORY_MAX][ELMO_RT_NAME_MAX + ELMO_RT_VALUE_MAX + 2];
  const char *rejected[ELMO_RT_HISTORY_MAX];
  const char *focus[ELMO_RT_HISTORY_MAX];
  elmo_fact_blocked blocked[ELMO_RT_HISTORY_MAX];
  const char *signals[8];
} rt_facts;

static const char *outcome_name(rt_outcome_kind k) {
  static const char *const kNames[] = {"kept", "rolled_back", "failed", "undone"};
  return kNames[k];
}

static double positive(double v) { return v > 0 ? v : ELMO_FACT_UNKNOWN; }

static void fill_workload(const elmo_rt *rt, const elmo_rt_snapshot *s, elmo_fact_workload *w) {
  w->read = s->read_frac;
  w->write = s->write_frac;
  w->scan = s->scan_frac;
  w->value_bytes = positive(s->write_bytes_per_op);
  w->num_keys = positive(s->num_keys);
  if (s->seeks_per_sec > 0) w->scan_length = s->nexts_per_seek;
  w->ops_per_sec = s->ops_per_sec;
  w->preload = 1;
  w->threads = positive(rt->host.client_threads);
}

static void fill_best(const elmo_rt *rt, const elmo_rt_snapshot *s, rt_facts *x) {
  elmo_fact_best *b = &x->f.best;
  for (size_t i = 0; i < rt->n_opts; i++) {
    const rt_opt *o = &rt->opts[i];
    if (o->is_mutable && o->value != NULL) x->options[b->n_options++] = (elmo_fact_option){o->name, o->value};
    if (!o->is_mutable) x->locked[x->f.n_locked++] = o->name;
  }
  b->options = x->options;
  x->f.locked = x->locked;
  b->ops_per_sec = s->ops_per_sec;
  b->p99_us = s->read_frac >= s->write_frac ? s->p99_get_us : s->p99_write_us;
  b->stall_percent = s->stall_frac * 100;
  b->cache_hit_rate = s->cache_hit_rate;
  b->cpu_percent = s->cpu_cores * 100;
  b->peak_memory_bytes = s->rss_bytes;
  b->pending_compaction_bytes = s->pending_compaction_bytes;
  b->l0_files = s->l0_files;
  b->flush_bytes_per_sec = s->flush_bytes_per_sec;
  b->compact_bytes_per_sec = s->compact_bytes_per_sec;
}

/* Past changes (one entry per change id), the refused values, the last kept change's options,
 * and what may not be tried again under the mix of s. */
static void fill_history(const elmo_rt *rt, const elmo_rt_snapshot *s, rt_facts *x) {
  elmo_facts *f = &x->f;
  int id = -1, last_kept = -1;
  elmo_fact_trial *entry = NULL;
  for (size_t i = 0; i < rt->hist_count; i++) {
    const rt_outcome *o = elmo_rt_history_at(rt, i);
    if (o->kind == RT_OUT_KEPT) last_kept = o->change_id;
    if (o->change_id != id || entry == NULL) {
      entry = &x->tried[f->n_tried++];
      *entry = (elmo_fact_trial){&x->changes[i], 0, outcome_name(o->kind), ELMO_FACT_UNKNOWN, o->ops_change};
      id = o->change_id;
    }
    x->changes[i] = (elmo_fact_option){o->option, o->to};
    entry->n_changes++;
    if (o->kind == RT_OUT_FAILED) {
      snprintf(x->rejected_text[f->n_rejected], sizeof x->rejected_text[0], "%s=%s", o->option, o->to);
      x->rejected[f->n_rejected] = x->rejected_text[f->n_rejected];
      f->n_rejected++;
    }
    int similar_mix = elmo_rt_mix_distance(o->read, o->write, o->scan, s->read_frac, s->write_frac,
                                           s->scan_frac) <= rt->cfg.shift_mix;
    if (o->kind == RT_OUT_FAILED || (o->kind == RT_OUT_ROLLED_BACK && similar_mix)) {
      x->blocked[f->n_blocked++] = (elmo_fact_blocked){o->option, o->to, o->direction, outcome_name(o->kind)};
    }
  }
  for (size_t i = 0; i < rt->hist_count; i++) {
    const rt_outcome *o = elmo_rt_history_at(rt, i);
    if (o->change_id == last_kept) x->focus[f->n_focus++] = o->option;
  }
  f->tried = x->tried;
  f->rejected = x->rejected;
  f->focus = x->focus;
  f->blocked = x->blocked;
}

/* The budget a realtime change must fit: three quarters of the host's memory, as offline. */
static double memory_budget(const elmo_rt *rt) { return rt->host.memory_bytes > 0 ? rt->host.memory_bytes / 4 * 3 : 0; }

/* The facts for snapshot s. NULL when memory runs out; free with facts_free. */
static rt_facts *facts_new(const elmo_rt *rt, const elmo_rt_snapshot *s) {
  rt_facts *x = calloc(1, sizeof *x);
  if (x == NULL) return NULL;
  x->options = calloc(rt->n_opts ? rt->n_opts : 1, sizeof *x->options);
  x->locked = calloc(rt->n_opts ? rt->n_opts : 1, sizeof *x->locked);
  if (x->options == NULL || x->locked == NULL) {
    free(x->options);
    free(x->locked);
    free(x);
    return NULL;
  }
  elmo_facts *f = &x->f;
  elmo_facts_init(f);
  f->phase = "realtime";
  f->mutable_only = 1;
  f->cpus = positive(rt->host.cpus);
  f->memory_bytes = positive(rt->host.memory_bytes);
  f->memory_budget_bytes = positive(memory_budget(rt));
  fill_workload(rt, s, &f->workload);
  fill_best(rt, s, x);
  fill_history(rt, s, x);
  f->shift.reason = rt->shift.reason;
  f->shift.n_signals = elmo_rt_signal_names(rt->shift.signals, x->signals, sizeof x->signals / sizeof x->signals[0]);
  f->shift.signals = x->signals;
  f->shift.base_read = rt->shift.base_read_frac;
  f->shift.base_write = rt->shift.base_write_frac;
  f->shift.base_scan = rt->shift.base_scan_frac;
  int left = rt->cfg.max_changes_per_hour - elmo_rt_changes_last_hour(rt, rt->last.time_sec);
  f->limits.max_step = rt->cfg.max_step;
  f->limits.max_options_per_change = rt->cfg.max_options_per_change;
  f->limits.changes_left_this_hour = left > 0 ? left : 0;
  return x;
}

static void facts_free(rt_facts *x) {
  if (x == NULL) return;
  free(x->options);
  free(x->locked);
  free(x);
}

char *elmo_rt_facts_json(const elmo_rt *rt) {
  if (rt == NULL) return NULL;
  rt_facts *x = facts_new(rt, &rt->last);
  char *block = x != NULL ? elmo_facts_block(&x->f) : NULL;
  facts_free(x);
  return block;
}

elmo_rc elmo_rt_builtin_advice(const elmo_rt *rt, const elmo_rt_snapshot *snap, elmo_rt_advice *out,
                               elmo_error *err) {
  if (out != NULL) memset(out, 0, sizeof *out);
  if (rt == NULL || snap == NULL || out == NULL) {
    return elmo_error_set(err, ELMO_EINVAL, "elmo_rt_builtin_advice: NULL argument");
  }
  rt_facts *x = facts_new(rt, snap);
  if (x == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  elmo_advisor_choice c;
  elmo_rc rc = elmo_advisor_choose(&x->f, &c, err);
  facts_free(x);
  for (size_t i = 0; rc == ELMO_OK && i < c.n && out->n < ELMO_RT_ADVICE_MAX; i++, out->n++) {
    snprintf(out->names[out->n], sizeof out->names[0], "%s", c.names[i]);
    snprintf(out->values[out->n], sizeof out->values[0], "%s", c.values[i]);
  }
  if (rc == ELMO_OK) snprintf(out->reason, sizeof out->reason, "%s", c.reason);
  return rc;
}

/* ---- the advice step ----------------------------------------------------------------------- */

/* The prompt a language model reads (its facts block is added by elmo_advise). */
static elmo_rc build_prompt(const elmo_rt *rt, const elmo_rt_snapshot *s, const elmo_rt_advice_request *req,
                            elmo_prompt_set **set, elmo_error *err) {
  char workload[512], telemetry[ELMO_RT_REASON_MAX + 16];
  elmo_number_snprintf(workload, sizeof workload,
           "A live DB: %.0f ops/s, %.0f%% reads, %.0f%% writes, %.0f%% scans, %.0f bytes per "
           "written key, about %.0f keys.",
           s->ops_per_sec, 100 * s->read_frac, 100 * s->write_frac, 100 * s->scan_frac, s->write_bytes_per_op,
           s->num_keys);
  snprintf(telemetry, sizeof telemetry, "Shift: %s", rt->shift.reason);
  elmo_system_facts sys;
  memset(&sys, 0, sizeof sys);
  sys.cpus = rt->host.cpus;
  sys.memory_bytes = rt->host.memory_bytes > 0 ? (uint64_t)rt->host.memory_bytes : 0;
  sys.io_mode = "as configured";
  elmo_prompt_input in;
  memset(&in, 0, sizeof in);
  in.kind = ELMO_PROMPT_REALTIME;
  in.system = &sys;
  in.workload = workload;
  in.catalog = req->catalog;
  in.current = req->current;
  in.telemetry = telemetry;
  in.max_changes = (size_t)rt->cfg.max_options_per_change;
  return elmo_prompt_build(&in, set, err);
}

/* The calibrated answer as advice: the accepted changes (and values equal to the current ones,
 * which elmo_rt_propose reports as such), the answer's reasoning and what the calibrator
 * refused. */
static void take_calibration(const elmo_advice *a, elmo_rt_advice *out) {
  const elmo_calibration *c = a->calibration;
  for (size_t i = 0; i < c->count && out->n < ELMO_RT_ADVICE_MAX; i++) {
    const elmo_change *ch = &c->changes[i];
    if (ch->verdict == ELMO_VERDICT_REJECTED || ch->name == NULL || ch->value == NULL) continue;
    snprintf(out->names[out->n], sizeof out->names[0], "%s", ch->name);
    snprintf(out->values[out->n], sizeof out->values[0], "%s", ch->value);
    out->n++;
  }
  const char *fence = strstr(a->answer, "```");
  int prose = (int)(fence != NULL ? fence - a->answer : (ptrdiff_t)strlen(a->answer));
  snprintf(out->reason, sizeof out->reason, "%.*s", prose > 400 ? 400 : prose, a->answer);
  while (out->reason[0] != '\0' && strchr("\n ", out->reason[strlen(out->reason) - 1]) != NULL) {
    out->reason[strlen(out->reason) - 1] = '\0';
  }
  for (size_t i = 0; i < c->count; i++) {
    const elmo_change *ch = &c->changes[i];
    if (ch->verdict != ELMO_VERDICT_REJECTED) continue;
    elmo_rt_appendf(out->reason, sizeof out->reason, " ", "[calibrator refused %.60s=%.60s: %.200s]", ch->raw_key,
                    ch->raw_value, ch->reason ? ch->reason : "");
  }
}

/* The policy both advice sources meet: mutable-only, three quarters of the host's memory. */
static void rt_policy(const elmo_rt *rt, const elmo_rt_snapshot *snap, const elmo_rt_advice_request *req,
                      elmo_dataset *ds, elmo_calibrate_policy *policy) {
  *ds = (elmo_dataset){snap->num_keys > 0 ? (uint64_t)snap->num_keys : 0, 16,
                       snap->write_bytes_per_op > 16 ? (uint64_t)snap->write_bytes_per_op - 16 : 0, 0};
  memset(policy, 0, sizeof *policy);
  policy->memory_budget = (uint64_t)memory_budget(rt);
  policy->dataset = snap->num_keys > 0 ? ds : NULL;
  policy->cf = "default";
  policy->mutable_only = 1;
  policy->check_value = req->check_value;
  policy->check_ctx = req->check_ctx;
}

/* The playbook's entry for snap when it still has something to try: a value not in place that
 * was not undone under a similar mix. NULL otherwise; *why says which entry was passed over. */
static const elmo_playbook_entry *playbook_entry(const elmo_rt *rt, const elmo_rt_snapshot *snap,
                                                 const elmo_playbook *pb, char *why, size_t size) {
  double value_bytes = snap->write_frac > 0 && snap->write_bytes_per_op > 16 ? snap->write_bytes_per_op - 16 : 0;
  double d = 0;
  const elmo_playbook_entry *e = elmo_playbook_nearest(pb, snap->read_frac, snap->write_frac, snap->scan_frac,
                                                       value_bytes, rt->cfg.shift_mix, rt->cfg.shift_value_size, &d);
  if (e == NULL) return NULL;
  for (size_t i = 0; i < e->n_options; i++) {
    const char *now = elmo_rt_value(rt, e->options[i].name);
    if (now != NULL && elmo_plain_number_same(now, e->options[i].value)) continue;
    if (elmo_rt_history_blocks(rt, e->options[i].name, now != NULL ? now : "", e->options[i].value, snap->read_frac,
                               snap->write_frac, snap->scan_frac) != NULL) {
      continue;
    }
    return e;
  }
  snprintf(why, size, "the playbook's entry %s (mix distance %.2f) is in place or was undone under this mix; ",
           e->name, d);
  return NULL;
}

/* The playbook entry's options through the calibrator, as an answer. */
static elmo_rc playbook_advice(const elmo_rt *rt, const elmo_rt_snapshot *snap, const elmo_rt_advice_request *req,
                               const elmo_playbook_entry *e, elmo_rt_advice *out, elmo_error *err) {
  elmo_dataset ds;
  elmo_calibrate_policy policy;
  rt_policy(rt, snap, req, &ds, &policy);
  elmo_advice advice;
  memset(&advice, 0, sizeof advice);
  advice.answer = elmo_playbook_entry_answer(e);
  if (advice.answer == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  elmo_rc rc = elmo_calibrate_answer(req->catalog, req->current, advice.answer, strlen(advice.answer), &policy,
                                     &advice.calibration, err);
  if (rc == ELMO_OK) take_calibration(&advice, out);
  elmo_advice_clear(&advice);
  snprintf(out->source, sizeof out->source, "playbook:%.53s", e->name);
  return rc;
}

elmo_rc elmo_rt_advise(const elmo_rt *rt, const elmo_rt_snapshot *snap, const elmo_rt_advice_request *req,
                       elmo_rt_advice *out, elmo_error *err) {
  if (out != NULL) memset(out, 0, sizeof *out);
  if (rt == NULL || snap == NULL || req == NULL || out == NULL || req->catalog == NULL || req->current == NULL) {
    return elmo_error_set(err, ELMO_EINVAL, "elmo_rt_advise: NULL argument");
  }
  char passed[256] = "";
  const elmo_playbook_entry *entry =
      req->playbook != NULL ? playbook_entry(rt, snap, req->playbook, passed, sizeof passed) : NULL;
  if (entry != NULL) {
    elmo_rc prc = playbook_advice(rt, snap, req, entry, out, err);
    if (prc != ELMO_OK || out->n > 0) return prc;
    elmo_number_snprintf(passed, sizeof passed, "the calibrator refused the playbook's entry %s: %.150s; ", entry->name,
                         out->reason);
    memset(out, 0, sizeof *out);
  }
  rt_facts *x = facts_new(rt, snap);
  if (x == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  elmo_prompt_set *set = NULL;
  int builtin = req->llm == NULL || strcmp(elmo_llm_provider(req->llm), "builtin") == 0;
  elmo_rc rc = builtin ? ELMO_OK : build_prompt(rt, snap, req, &set, err);
  size_t n = 0;
  const elmo_message *msgs = set != NULL ? elmo_prompt_set_messages(set, 0, &n) : NULL;
  elmo_dataset ds;
  elmo_calibrate_policy policy;
  rt_policy(rt, snap, req, &ds, &policy);
  elmo_advice_request ar = {&x->f, msgs, n, req->catalog, req->current, &policy};
  elmo_advice advice;
  memset(&advice, 0, sizeof advice);
  if (rc == ELMO_OK) rc = elmo_advise(&ar, req->llm, &advice, err);
  if (rc == ELMO_OK) {
    take_calibration(&advice, out);
  } else if (rc == ELMO_EPARSE && advice.answer != NULL) { /* an answer without options: its reasons */
    snprintf(out->reason, sizeof out->reason, "%.900s", advice.answer);
    rc = ELMO_OK;
  }
  elmo_advice_clear(&advice);
  elmo_prompt_set_destroy(set);
  facts_free(x);
  if (rc == ELMO_OK && passed[0] != '\0') {  /* why the playbook did not answer, first */
    char reason[ELMO_RT_REASON_MAX];
    snprintf(reason, sizeof reason, "%s%.*s", passed, (int)(sizeof reason - 1 - strlen(passed)), out->reason);
    memcpy(out->reason, reason, sizeof reason);
  }
  return rc;
}
