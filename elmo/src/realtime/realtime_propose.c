/* realtime_propose.c — checking a proposal into SetOptions calls (mutability, max_step, hourly
 * limit, outcomes learned), and the glue's report of those calls. See realtime.h. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "realtime_internal.h"
#include "elmo/number.h"

static void drop(elmo_rt_item *it, elmo_rc code, const char *note) {
  it->status = ELMO_RT_ITEM_DROPPED;
  it->code = code;
  it->value[0] = '\0';
  snprintf(it->note, sizeof it->note, "%s", note);
}

/* Limits a numeric move to max_step from the current value; sets it->value and it->status. */
static void step_number(const elmo_rt *rt, double cur, int cur_int, elmo_rt_item *it) {
  double p = 0, step = rt->cfg.max_step;
  int p_int = 0;
  if (!elmo_plain_number_parse(it->proposed, &p, &p_int)) {
    drop(it, ELMO_EPARSE, "not a plain number, and the current value is one");
    return;
  }
  if (cur_int && p != floor(p)) {
    drop(it, ELMO_EPARSE, "not a whole number, and the option takes whole numbers");
    return;
  }
  if (cur <= 0 || cur > 9007199254740992.0) {
    elmo_plain_number_format(p, cur_int, it->value, sizeof it->value);
    snprintf(it->note, sizeof it->note, "no step limit from %s (zero, negative or a sentinel value)", it->old_value);
    return;
  }
  double lo = cur * (1 - step), hi = cur * (1 + step), v = p;
  if (lo < 0) lo = 0;
  if (p > hi) v = cur_int ? floor(hi) : hi;
  if (p < lo) v = cur_int ? ceil(lo) : lo;
  const char *unit = "";
  if (cur_int && v == cur) v = p > cur ? cur + 1 : cur - 1, unit = " (at least one unit)";
  elmo_plain_number_format(v, cur_int, it->value, sizeof it->value);
  if (v != p) {
    it->status = ELMO_RT_ITEM_CLAMPED;
    elmo_number_snprintf(it->note, sizeof it->note, "clamped from %.40s to %.40s: at most %.0f%% from %.40s per step%s", it->proposed,
             it->value, step * 100, it->old_value, unit);
  }
}

static int proposed_before(const elmo_rt_item *items, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++) {
    if (strcmp(items[i].option, name) == 0) return 1;
  }
  return 0;
}

/* Why pair p cannot be applied at all (sets *code), or NULL; *o is its row when known. */
static const char *refusal(const elmo_rt *rt, const elmo_rt_pair *p, const elmo_rt_item *items, size_t idx,
                           const rt_opt **o, elmo_rc *code) {
  *code = ELMO_EINVAL;
  *o = NULL;
  if (p->name == NULL || p->name[0] == '\0' || strlen(p->name) >= ELMO_RT_NAME_MAX) {
    return "no option name, or a name too long to be an option";
  }
  if (proposed_before(items, idx, p->name)) return "proposed twice; the first one counts";
  *o = elmo_rt_find(rt, p->name);
  if (*o == NULL) {
    *code = ELMO_ENOTFOUND;
    return "unknown option";
  }
  if (!(*o)->is_mutable) {
    *code = ELMO_ELOCKED;
    return "not runtime-mutable (or locked): changing it needs a reopen, and the realtime tuner only "
           "changes what SetOptions/SetDBOptions can";
  }
  if (p->value == NULL || p->value[0] == '\0' || strlen(p->value) >= ELMO_RT_VALUE_MAX) {
    *code = ELMO_ETOOBIG;
    return "no value, or a value longer than the tuner handles";
  }
  if ((*o)->value == NULL) return "current value unknown: the change could not be undone";
  if (elmo_plain_number_same((*o)->value, p->value)) return "already the current value";
  if (strcmp(p->name, "bytes_per_sync") == 0 && elmo_plain_number_same((*o)->value, "0")) {
    *code = ELMO_EINVAL;
    return "bytes_per_sync=0 cannot be set back: RocksDB 7.8's SetDBOptions turns 0 into 1 MiB, so the change "
           "could be neither verified nor undone";
  }
  return NULL;
}

/* The fate of one pair; items[0..idx) are the earlier ones of the proposal. */
static void check_pair(const elmo_rt *rt, const elmo_rt_pair *p, elmo_rt_item *items, size_t idx) {
  elmo_rt_item *it = &items[idx];
  snprintf(it->option, sizeof it->option, "%s", p->name ? p->name : "");
  snprintf(it->proposed, sizeof it->proposed, "%s", p->value ? p->value : "");
  const rt_opt *o;
  elmo_rc code;
  const char *why = refusal(rt, p, items, idx, &o, &code);
  if (o != NULL && o->value != NULL) snprintf(it->old_value, sizeof it->old_value, "%s", o->value);
  if (why != NULL) {
    drop(it, code, why);
    return;
  }
  double cur = 0;
  int cur_int = 0;
  it->status = ELMO_RT_ITEM_ACCEPTED;
  if (elmo_plain_number_parse(o->value, &cur, &cur_int)) {
    step_number(rt, cur, cur_int, it);
    if (it->status == ELMO_RT_ITEM_DROPPED) return;
    double v = 0;
    int v_int = 0;
    if (o->has_range && elmo_plain_number_parse(it->value, &v, &v_int) && (v < o->min || v > o->max)) {
      char note[ELMO_RT_NOTE_MAX];
      elmo_number_snprintf(note, sizeof note, "%.48s is outside the allowed range [%.15g, %.15g]", it->value, o->min, o->max);
      drop(it, ELMO_ERANGE, note);
      return;
    }
  } else {
    snprintf(it->value, sizeof it->value, "%s", p->value);
  }
  const rt_outcome *b = elmo_rt_history_blocks(rt, o->name, o->value, it->value, rt->last.read_frac,
                                               rt->last.write_frac, rt->last.scan_frac);
  if (b != NULL) {
    char note[ELMO_RT_NOTE_MAX];
    if (b->kind == RT_OUT_FAILED) {
      snprintf(note, sizeof note, "%s=%.48s was refused by RocksDB in change #%d: not tried again", o->name, b->to,
               b->change_id);
    } else {
      elmo_number_snprintf(note, sizeof note, "%s %.32s -> %.32s was rolled back by change #%d under a similar op mix (%.0f%% "
               "reads, %.0f%% writes): not tried again", o->name, b->from, b->to, b->change_id, b->read * 100,
               b->write * 100);
    }
    drop(it, ELMO_EINVAL, note);
  }
}

static size_t count_kept(const elmo_rt_item *items, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) k += items[i].status != ELMO_RT_ITEM_DROPPED;
  return k;
}

/* Turns the kept items into calls (the first max_options_per_change; the rest are dropped). */
static void make_calls(elmo_rt *rt, elmo_rt_decision *d) {
  for (size_t i = 0; i < d->n_items; i++) {
    elmo_rt_item *it = &d->items[i];
    if (it->status == ELMO_RT_ITEM_DROPPED) continue;
    if (d->n_calls == (size_t)rt->cfg.max_options_per_change) {
      char note[ELMO_RT_NOTE_MAX];
      snprintf(note, sizeof note, "deferred: one change sets at most %d option(s) (elmo_max_options_per_change)",
               rt->cfg.max_options_per_change);
      drop(it, ELMO_EBUDGET, note);
      continue;
    }
    elmo_rt_call *c = &d->calls[d->n_calls++];
    memcpy(c->option, it->option, sizeof c->option);
    c->section = elmo_rt_find(rt, it->option)->section;
    memcpy(c->old_value, it->old_value, sizeof c->old_value);
    memcpy(c->new_value, it->value, sizeof c->new_value);
    c->status = -1;
  }
}

static void describe_calls(elmo_rt_decision *d) {
  for (size_t i = 0; i < d->n_calls; i++) {
    elmo_rt_appendf(d->reason, sizeof d->reason, i ? ", " : ": ", "%s %s -> %s", d->calls[i].option,
                    d->calls[i].old_value, d->calls[i].new_value);
  }
}

elmo_rc elmo_rt_propose(elmo_rt *rt, const elmo_rt_pair *pairs, size_t n, const char *source,
                        elmo_rt_decision *d, elmo_error *err) {
  if (d != NULL) memset(d, 0, sizeof *d);
  if (rt == NULL || d == NULL || (pairs == NULL && n > 0)) {
    return elmo_error_set(err, ELMO_EINVAL, "elmo_rt_propose: NULL argument");
  }
  if (rt->state != ELMO_RT_ASK) {
    return elmo_error_set(err, ELMO_EINVAL, "elmo_rt_propose: the tuner is in state %s, not ask",
                          elmo_rt_state_name(rt->state));
  }
  if (n > ELMO_RT_MAX_ITEMS) {
    return elmo_error_set(err, ELMO_ETOOBIG, "elmo_rt_propose: %zu options proposed, at most %d are considered",
                          n, ELMO_RT_MAX_ITEMS);
  }
  elmo_rt_begin(rt, d, ELMO_RT_EV_PROPOSAL);
  snprintf(d->source, sizeof d->source, "%s", source ? source : "unknown");
  for (size_t i = 0; i < n; i++) check_pair(rt, &pairs[i], d->items, i);
  d->n_items = n;
  if (count_kept(d->items, n) == 0) {
    d->event = ELMO_RT_EV_SKIPPED;
    d->code = ELMO_ENOTFOUND;
    snprintf(d->reason, sizeof d->reason, n ? "nothing left to apply from %s's proposal" : "%s had nothing to "
             "propose", d->source);
  } else if (d->changes_last_hour >= rt->cfg.max_changes_per_hour) {
    d->event = ELMO_RT_EV_SKIPPED;
    d->code = ELMO_EBUDGET;
    snprintf(d->reason, sizeof d->reason, "hourly limit: %d change(s) in the last hour (elmo_max_changes_per_hour="
             "%d); the proposal is not applied", d->changes_last_hour, rt->cfg.max_changes_per_hour);
  } else if (rt->bg_error) {
    d->event = ELMO_RT_EV_SKIPPED;
    d->code = ELMO_EINVAL;
    snprintf(d->reason, sizeof d->reason, "a background error stops every change: %s's proposal is not applied",
             d->source);
  }
  if (d->event == ELMO_RT_EV_SKIPPED) {
    rt->state = ELMO_RT_IDLE;
    d->to = rt->state;
    return ELMO_OK;
  }
  make_calls(rt, d);
  rt->change_id = ++rt->next_change_id;
  d->change_id = rt->change_id;
  memcpy(rt->pending, d->calls, sizeof rt->pending);
  rt->n_pending = d->n_calls;
  rt->n_change = 0;
  rt->pre = rt->last;
  elmo_rt_note_change_time(rt, d->time_sec);
  d->changes_last_hour++;
  rt->sb_planned = elmo_rt_switchback_plan(rt, d->changes_last_hour);
  rt->state = ELMO_RT_APPLY;
  d->action = ELMO_RT_ACT_APPLY;
  d->to = rt->state;
  snprintf(d->reason, sizeof d->reason, "change #%d from %s", rt->change_id, d->source);
  describe_calls(d);
  return ELMO_OK;
}

/* ---- the glue's report ---------------------------------------------------------------------- */

static void set_current(elmo_rt *rt, const char *name, const char *value) {
  (void)elmo_rt_set_value(rt, name, value, NULL); /* names come from the table; values fit */
}

/* Copies the pending calls into d with their statuses; returns how many succeeded. */
static size_t record_status(elmo_rt *rt, const int *ok, const char *const *messages, elmo_rt_decision *d) {
  size_t n_ok = 0;
  d->n_calls = rt->n_pending;
  for (size_t i = 0; i < rt->n_pending; i++) {
    d->calls[i] = rt->pending[i];
    d->calls[i].status = ok[i] ? 1 : 0;
    if (!ok[i]) {
      const char *m = messages != NULL && messages[i] != NULL ? messages[i] : "failed (no message)";
      snprintf(d->calls[i].message, sizeof d->calls[i].message, "%s", m);
    }
    n_ok += ok[i] != 0;
  }
  rt->n_pending = 0;
  return n_ok;
}

static void after_apply(elmo_rt *rt, elmo_rt_decision *d, size_t n_ok) {
  elmo_rt_call failed[ELMO_RT_MAX_ITEMS];
  size_t n_failed = 0;
  memset(failed, 0, sizeof failed);
  rt->n_change = 0;
  for (size_t i = 0; i < d->n_calls; i++) {
    if (d->calls[i].status == 1) {
      rt->change[rt->n_change++] = d->calls[i];
      set_current(rt, d->calls[i].option, d->calls[i].new_value);
    } else {
      failed[n_failed++] = d->calls[i];
      elmo_rt_appendf(d->reason, sizeof d->reason, "; ", "%s=%s refused: %s", d->calls[i].option,
                      d->calls[i].new_value, d->calls[i].message);
    }
  }
  elmo_rt_remember(rt, failed, n_failed, RT_OUT_FAILED, &rt->pre, 0);
  if (n_failed == 0 && rt->sb_planned >= 2) {
    elmo_rt_switchback_start(rt, d);
  } else if (n_failed == 0) {
    rt->state = ELMO_RT_WATCH;
    memset(&rt->watch_sum, 0, sizeof rt->watch_sum);
    rt->watch_seen = 0;
    if (rt->cfg.watch_intervals > 1) {
      elmo_rt_appendf(d->reason, sizeof d->reason, NULL, "change #%d applied (%zu call(s)); watching the next %d "
                      "intervals", rt->change_id, n_ok, rt->cfg.watch_intervals);
    } else {
      elmo_rt_appendf(d->reason, sizeof d->reason, NULL, "change #%d applied (%zu call(s)); watching the next "
                      "interval", rt->change_id, n_ok);
    }
  } else if (n_ok == 0) {
    elmo_rt_enter_cooldown(rt, rt->cfg.rollback_cooldown_intervals);
    elmo_rt_appendf(d->reason, sizeof d->reason, ": ", "change #%d not applied", rt->change_id);
  } else {
    /* A partly applied change is a configuration nobody proposed: undo the part that took. */
    rt->rollback_kind = RT_OUT_UNDONE;
    rt->verdict_ops_change = 0;
    elmo_rt_appendf(d->reason, sizeof d->reason, ": ", "undoing the %zu call(s) of change #%d that succeeded", n_ok,
                    rt->change_id);
    elmo_rt_call reverse[ELMO_RT_MAX_ITEMS];
    rt->n_pending = elmo_rt_reverse(rt->change, rt->n_change, reverse);
    memcpy(rt->pending, reverse, sizeof rt->pending);
    rt->state = ELMO_RT_ROLLBACK;
    d->action = ELMO_RT_ACT_ROLLBACK;
    d->n_calls = rt->n_pending; /* the calls to make now; the report is in the reason */
    memcpy(d->calls, reverse, sizeof d->calls);
  }
}

static void after_rollback(elmo_rt *rt, elmo_rt_decision *d) {
  size_t n_failed = 0;
  for (size_t i = 0; i < d->n_calls; i++) {
    if (d->calls[i].status == 1) {
      set_current(rt, d->calls[i].option, d->calls[i].new_value);
    } else {
      n_failed++;
      elmo_rt_appendf(d->reason, sizeof d->reason, "; ", "%s could not be restored to %s and stays %s: %s",
                      d->calls[i].option, d->calls[i].new_value, d->calls[i].old_value, d->calls[i].message);
    }
  }
  elmo_rt_remember(rt, rt->change, rt->n_change, rt->rollback_kind, &rt->pre, rt->verdict_ops_change);
  elmo_rt_appendf(d->reason, sizeof d->reason, ": ", "change #%d rolled back%s", rt->change_id,
                  n_failed ? " only in part (needs attention)" : "");
  rt->n_change = 0;
  elmo_rt_enter_cooldown(rt, rt->cfg.rollback_cooldown_intervals);
}

elmo_rc elmo_rt_applied(elmo_rt *rt, const int *ok, const char *const *messages, size_t n,
                        elmo_rt_decision *d, elmo_error *err) {
  if (d != NULL) memset(d, 0, sizeof *d);
  if (rt == NULL || d == NULL || (ok == NULL && n > 0)) {
    return elmo_error_set(err, ELMO_EINVAL, "elmo_rt_applied: NULL argument");
  }
  int switching = rt->state == ELMO_RT_VERIFY && rt->n_pending > 0;
  if (rt->state != ELMO_RT_APPLY && rt->state != ELMO_RT_ROLLBACK && !switching) {
    return elmo_error_set(err, ELMO_EINVAL, "elmo_rt_applied: the tuner is in state %s: no calls are pending",
                          elmo_rt_state_name(rt->state));
  }
  if (n != rt->n_pending) {
    return elmo_error_set(err, ELMO_EINVAL, "elmo_rt_applied: %zu status(es) for %zu pending call(s)", n,
                          rt->n_pending);
  }
  int rollback = rt->state == ELMO_RT_ROLLBACK;
  elmo_rt_begin(rt, d, rollback ? ELMO_RT_EV_ROLLED_BACK : ELMO_RT_EV_APPLIED);
  size_t n_ok = record_status(rt, ok, messages, d);
  if (switching) {
    elmo_rt_switchback_applied(rt, d, n_ok);
  } else if (rollback) {
    after_rollback(rt, d);
  } else {
    after_apply(rt, d, n_ok);
  }
  d->to = rt->state;
  return ELMO_OK;
}
