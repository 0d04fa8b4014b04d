/* realtime_switchback.c — verifying a change by switchback: blocks alternate the new and the old
 * values, and the paired block ratios decide whether it stays (the verdict is pure; the VERIFY
 * state's transitions follow it). See realtime.h. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "realtime_internal.h"
#include "elmo/number.h"
#include "elmo/paired.h"

/* An operation type's p99 is guarded when it has at least this share of both blocks' operations. */
#define GUARD_SHARE 0.05
/* Blocks running not counted because writes stalled, after which the verdict gives up (undo). */
enum { kMaxStalledBlocks = 3 };

int elmo_rt_switchback_on_new(int block) {
  int pair = block / 2, first = block % 2 == 0;
  return pair % 2 == 0 ? first : !first;
}

static double floor1(double v) { return v > 1 ? v : 1; }

/* The geometric mean of new/old p99 over the pairs whose blocks both give the type its share;
 * 0 when some pair does not (the type is not judged). */
static double p99_ratio(const elmo_rt_block *nw[], const elmo_rt_block *old[], size_t pairs, int get) {
  double sum = 0;
  for (size_t i = 0; i < pairs; i++) {
    double share_n = get ? nw[i]->read_frac : nw[i]->write_frac, share_o = get ? old[i]->read_frac : old[i]->write_frac;
    double pn = get ? nw[i]->p99_get_us : nw[i]->p99_write_us, po = get ? old[i]->p99_get_us : old[i]->p99_write_us;
    if (share_n < GUARD_SHARE || share_o < GUARD_SHARE || !(pn > 0) || !(po > 0)) return 0;
    sum += log(pn / po);
  }
  return pairs > 0 ? exp(sum / (double)pairs) : 0;
}

/* The guards' complaint at a look, into why; 1 when one fails. */
static int guard_fails(const elmo_rt_switchback *o, const elmo_rt_config *cfg, char *why, size_t size) {
  if (o->p99_get_ratio > 1 + cfg->rollback_p99) {
    elmo_number_snprintf(why, size, "get p99 %.2fx on the new values, beyond the +%.0f%% allowed", o->p99_get_ratio,
                         cfg->rollback_p99 * 100);
    return 1;
  }
  if (o->p99_write_ratio > 1 + cfg->rollback_p99) {
    elmo_number_snprintf(why, size, "write p99 %.2fx on the new values, beyond the +%.0f%% allowed",
                         o->p99_write_ratio, cfg->rollback_p99 * 100);
    return 1;
  }
  if (o->stall_change > cfg->shift_stall) {
    elmo_number_snprintf(why, size, "writes stall %.0f%% more of the time on the new values, beyond the %.0f%% "
                         "allowed", o->stall_change * 100, cfg->shift_stall * 100);
    return 1;
  }
  return 0;
}

elmo_rt_sb_verdict elmo_rt_switchback_decide(const elmo_rt_block *blocks, size_t n, int planned,
                                             const elmo_rt_config *cfg, elmo_rt_switchback *out) {
  elmo_rt_switchback local;
  elmo_rt_switchback *o = out != NULL ? out : &local;
  memset(o, 0, sizeof *o);
  o->look = -1;
  o->p_gain = o->p_loss = 1;
  o->verdict = ELMO_RT_SB_UNDO;
  if (planned < 2) planned = 2;
  if (planned > ELMO_RT_SWITCHBACK_MAX_PAIRS) planned = ELMO_RT_SWITCHBACK_MAX_PAIRS;
  o->planned = planned;
  if (blocks == NULL || cfg == NULL || n == 0 || n % 2 != 0 || n / 2 > ELMO_RT_SWITCHBACK_MAX_PAIRS) {
    snprintf(o->why, sizeof o->why, "%zu block(s): a verdict needs whole pairs (at most %d)", n,
             ELMO_RT_SWITCHBACK_MAX_PAIRS);
    return o->verdict;
  }
  size_t pairs = n / 2;
  const elmo_rt_block *nw[ELMO_RT_SWITCHBACK_MAX_PAIRS], *old[ELMO_RT_SWITCHBACK_MAX_PAIRS];
  double d[ELMO_RT_SWITCHBACK_MAX_PAIRS], stall = 0;
  for (size_t i = 0; i < pairs; i++) {
    const elmo_rt_block *a = &blocks[2 * i], *b = &blocks[2 * i + 1];
    if ((a->on_new != 0) == (b->on_new != 0)) {
      snprintf(o->why, sizeof o->why, "pair %zu has both blocks on the %s values", i + 1, a->on_new ? "new" : "old");
      return o->verdict;
    }
    nw[i] = a->on_new ? a : b;
    old[i] = a->on_new ? b : a;
    d[i] = log(floor1(nw[i]->ops_per_sec) / floor1(old[i]->ops_per_sec));
    stall += nw[i]->stall_frac - old[i]->stall_frac;
  }
  o->pairs = (int)pairs;
  o->stall_change = stall / (double)pairs;
  o->p99_get_ratio = p99_ratio(nw, old, pairs, 1);
  o->p99_write_ratio = p99_ratio(nw, old, pairs, 0);
  elmo_paired_estimate e;
  elmo_tune_paired_estimate(d, pairs, 1, NULL, 0, &e);
  o->gain = o->low = o->high = exp(e.mean) - 1;
  o->p_gain = e.p;
  o->p_loss = e.t == 0 ? 1 : 1 - e.p;
  int looks[ELMO_TUNE_CONFIRM_MAX_LOOKS];
  double nominal[ELMO_TUNE_CONFIRM_MAX_LOOKS];
  o->n_looks = elmo_tune_confirm_looks(2, planned, looks);
  if (!elmo_tune_confirm_levels(looks, o->n_looks, nominal)) o->n_looks = 0;
  for (int k = 0; k < o->n_looks; k++) {
    if (looks[k] == (int)pairs) o->look = k;
  }
  if (o->look < 0) {
    o->verdict = ELMO_RT_SB_GO_ON;
    elmo_number_snprintf(o->why, sizeof o->why, "%zu of up to %d pairs: %+.1f%% so far", pairs, planned, o->gain * 100);
    return o->verdict;
  }
  o->level = nominal[o->look];
  elmo_tune_gain_interval(&e, o->level, &o->low, &o->high);
  char guard[ELMO_RT_NOTE_MAX];
  int last = o->look + 1 >= o->n_looks;
  /* A 5-second block's p99 swings as much as its throughput: the guards undo a change at the last
   * look, and at an earlier one only hold back a gain from being kept early. */
  int guarded = guard_fails(o, cfg, guard, sizeof guard);
  if (guarded && last) {
    o->verdict = ELMO_RT_SB_UNDO;
    elmo_number_snprintf(o->why, sizeof o->why, "%s (%zu pairs)", guard, pairs);
  } else if (guarded && o->p_loss >= o->level) {
    o->verdict = ELMO_RT_SB_GO_ON;
    elmo_number_snprintf(o->why, sizeof o->why, "%+.1f%% over %zu pairs, but %s: more pairs decide", o->gain * 100,
                         pairs, guard);
  } else if (o->p_gain < o->level) {
    o->verdict = ELMO_RT_SB_KEEP;
    elmo_number_snprintf(o->why, sizeof o->why, "a gain of %+.1f%% (%+.1f%% .. %+.1f%%) over %zu pairs, p %.3g below "
                         "%.3g at look %d of %d", o->gain * 100, o->low * 100, o->high * 100, pairs, o->p_gain,
                         o->level, o->look + 1, o->n_looks);
  } else if (o->p_loss < o->level) {
    o->verdict = ELMO_RT_SB_UNDO;
    elmo_number_snprintf(o->why, sizeof o->why, "a loss of %+.1f%% (%+.1f%% .. %+.1f%%) over %zu pairs, p %.3g below "
                         "%.3g at look %d of %d", o->gain * 100, o->low * 100, o->high * 100, pairs, o->p_loss,
                         o->level, o->look + 1, o->n_looks);
  } else if (!last) {
    o->verdict = ELMO_RT_SB_GO_ON;
    elmo_number_snprintf(o->why, sizeof o->why, "%+.1f%% (%+.1f%% .. %+.1f%%) over %zu pairs: not clear at look %d "
                         "of %d", o->gain * 100, o->low * 100, o->high * 100, pairs, o->look + 1, o->n_looks);
  } else {
    o->verdict = e.mean > 0 ? ELMO_RT_SB_KEEP : ELMO_RT_SB_UNDO;
    elmo_number_snprintf(o->why, sizeof o->why, "%+.1f%% (%+.1f%% .. %+.1f%%) over all %zu pairs, not significant: "
                         "the better-measured values stay (%s)", o->gain * 100, o->low * 100, o->high * 100, pairs,
                         e.mean > 0 ? "the new ones" : "the old ones");
  }
  return o->verdict;
}

/* ---- the VERIFY state ------------------------------------------------------------------------ */

int elmo_rt_switchback_plan(const elmo_rt *rt, int changes_last_hour) {
  /* Each pair switches once; the verdict may need one more switch to end on the chosen side. */
  int room = rt->cfg.max_changes_per_hour - changes_last_hour - 1;
  int pairs = rt->cfg.switchback_pairs < room ? rt->cfg.switchback_pairs : room;
  return pairs >= 2 ? pairs : 0;
}

void elmo_rt_switchback_start(elmo_rt *rt, elmo_rt_decision *d) {
  rt->state = ELMO_RT_VERIFY;
  rt->sb_n = 0;
  rt->sb_on_new = 1;
  rt->sb_keep = 0;
  rt->sb_stalled = 0;
  elmo_number_snprintf(d->reason + strlen(d->reason), sizeof d->reason - strlen(d->reason),
                       "change #%d applied; switchback: up to %d pairs of %.0f s blocks (new, old | old, new | ...), "
                       "each %.0f s after its switch", rt->change_id, rt->sb_planned, rt->cfg.switchback_block_sec,
                       rt->cfg.switchback_settle_sec);
}

/* Calls that put the DB on one side: the change's calls (new) or their reverse (old). */
static size_t side_calls(const elmo_rt *rt, int to_new, elmo_rt_call *out) {
  if (!to_new) return elmo_rt_reverse(rt->change, rt->n_change, out);
  for (size_t i = 0; i < rt->n_change; i++) {
    out[i] = rt->change[i];
    out[i].status = -1;
    out[i].message[0] = '\0';
  }
  return rt->n_change;
}

static void switch_to(elmo_rt *rt, elmo_rt_decision *d, int to_new) {
  d->action = ELMO_RT_ACT_APPLY;
  d->n_calls = side_calls(rt, to_new, d->calls);
  memcpy(rt->pending, d->calls, sizeof rt->pending);
  rt->n_pending = d->n_calls;
  rt->sb_switch_to = to_new;
  elmo_rt_note_change_time(rt, d->time_sec);
  d->changes_last_hour++;
}

/* Ends the verdict keeping the change: at once on the new values, else after switching to them. */
static void end_keep(elmo_rt *rt, elmo_rt_decision *d) {
  d->event = ELMO_RT_EV_KEPT;
  d->ops_change = rt->verdict_ops_change;
  if (rt->sb_on_new) {
    elmo_rt_remember(rt, rt->change, rt->n_change, RT_OUT_KEPT, &rt->pre, d->ops_change);
    elmo_rt_appendf(d->reason, sizeof d->reason, ": ", "change #%d kept", rt->change_id);
    d->n_calls = rt->n_change;
    memcpy(d->calls, rt->change, sizeof d->calls);
    elmo_rt_enter_cooldown(rt, rt->cfg.cooldown_intervals);
    return;
  }
  rt->sb_keep = 1;
  elmo_rt_appendf(d->reason, sizeof d->reason, ": ", "change #%d kept: back to its values", rt->change_id);
  switch_to(rt, d, 1);
}

/* Ends the verdict undoing the change (remembered as kind): at once on the old values, else by a
 * rollback of the change's calls. */
void elmo_rt_switchback_undo(elmo_rt *rt, elmo_rt_decision *d, rt_outcome_kind kind) {
  d->event = ELMO_RT_EV_VERDICT;
  d->ops_change = rt->verdict_ops_change;
  rt->rollback_kind = kind;
  if (!rt->sb_on_new) {
    elmo_rt_remember(rt, rt->change, rt->n_change, kind, &rt->pre, rt->verdict_ops_change);
    elmo_rt_appendf(d->reason, sizeof d->reason, ": ", "change #%d undone: the DB is on its old values", rt->change_id);
    rt->n_change = 0;
    elmo_rt_enter_cooldown(rt, rt->cfg.rollback_cooldown_intervals);
    return;
  }
  elmo_rt_appendf(d->reason, sizeof d->reason, ": ", "undoing change #%d", rt->change_id);
  d->action = ELMO_RT_ACT_ROLLBACK;
  d->n_calls = elmo_rt_reverse(rt->change, rt->n_change, d->calls);
  memcpy(rt->pending, d->calls, sizeof rt->pending);
  rt->n_pending = d->n_calls;
  rt->state = ELMO_RT_ROLLBACK;
}

void elmo_rt_on_verify(elmo_rt *rt, const elmo_rt_snapshot *s, elmo_rt_decision *d) {
  const elmo_rt_snapshot *p = &rt->pre;
  d->event = ELMO_RT_EV_SWITCH;
  if (rt->bg_error) {
    snprintf(d->reason, sizeof d->reason, "block not counted: a background error stops every change (on the %s "
             "values of change #%d)", rt->sb_on_new ? "new" : "old", rt->change_id);
    return;
  }
  double mix = elmo_rt_mix_distance(p->read_frac, p->write_frac, p->scan_frac, s->read_frac, s->write_frac,
                                    s->scan_frac);
  if (mix >= rt->cfg.shift_mix) {
    elmo_number_snprintf(d->reason, sizeof d->reason, "the op mix moved %.2f during the switchback of change #%d, so "
                         "its effect cannot be judged", mix, rt->change_id);
    elmo_rt_switchback_undo(rt, d, RT_OUT_UNDONE);
    return;
  }
  const char *side = rt->sb_on_new ? "new" : "old";
  if (s->stall_frac >= rt->cfg.stall_trigger) {
    if (++rt->sb_stalled >= kMaxStalledBlocks) {
      elmo_number_snprintf(d->reason, sizeof d->reason, "writes stalled in %d blocks running (%.0f%% of the last, on "
                           "the %s values): no verdict for change #%d", rt->sb_stalled, s->stall_frac * 100, side,
                           rt->change_id);
      elmo_rt_switchback_undo(rt, d, RT_OUT_UNDONE);
      return;
    }
    elmo_number_snprintf(d->reason, sizeof d->reason, "block not counted: writes stalled %.0f%% of it (on the %s "
                         "values); no switch while the DB stalls", s->stall_frac * 100, side);
    return;
  }
  rt->sb_stalled = 0;
  elmo_rt_block *b = &rt->sb_blocks[rt->sb_n++];
  *b = (elmo_rt_block){rt->sb_on_new, s->ops_per_sec, s->p99_get_us, s->p99_write_us, s->stall_frac,
                       s->read_frac, s->write_frac};
  elmo_number_snprintf(d->reason, sizeof d->reason, "block %zu of change #%d on the %s values: %.0f ops/s", rt->sb_n,
                       rt->change_id, side, s->ops_per_sec);
  if (rt->sb_n % 2 == 0) {
    d->has_switchback = 1;
    elmo_rt_sb_verdict v = elmo_rt_switchback_decide(rt->sb_blocks, rt->sb_n, rt->sb_planned, &rt->cfg,
                                                     &d->switchback);
    rt->verdict_ops_change = d->switchback.gain;
    d->p99_get_change = d->switchback.p99_get_ratio > 0 ? d->switchback.p99_get_ratio - 1 : 0;
    d->p99_write_change = d->switchback.p99_write_ratio > 0 ? d->switchback.p99_write_ratio - 1 : 0;
    elmo_rt_appendf(d->reason, sizeof d->reason, "; ", "%s", d->switchback.why);
    if (v == ELMO_RT_SB_KEEP) {
      end_keep(rt, d);
      return;
    }
    if (v == ELMO_RT_SB_UNDO) {
      elmo_rt_switchback_undo(rt, d, RT_OUT_ROLLED_BACK);
      return;
    }
  }
  int next = elmo_rt_switchback_on_new((int)rt->sb_n);
  if (next != rt->sb_on_new) {
    elmo_rt_appendf(d->reason, sizeof d->reason, "; ", "switching to the %s values", next ? "new" : "old");
    switch_to(rt, d, next);
  }
}

void elmo_rt_switchback_applied(elmo_rt *rt, elmo_rt_decision *d, size_t n_ok) {
  if (n_ok == d->n_calls) {
    for (size_t i = 0; i < d->n_calls; i++) (void)elmo_rt_set_value(rt, d->calls[i].option, d->calls[i].new_value, NULL);
    rt->sb_on_new = rt->sb_switch_to;
    if (rt->sb_keep) {
      elmo_rt_remember(rt, rt->change, rt->n_change, RT_OUT_KEPT, &rt->pre, rt->verdict_ops_change);
      elmo_rt_appendf(d->reason, sizeof d->reason, NULL, "change #%d kept: back on its values", rt->change_id);
      elmo_rt_enter_cooldown(rt, rt->cfg.cooldown_intervals);
    } else {
      elmo_rt_appendf(d->reason, sizeof d->reason, NULL, "switched to the %s values of change #%d",
                      rt->sb_on_new ? "new" : "old", rt->change_id);
    }
    return;
  }
  /* A switch that took in part leaves a configuration nobody proposed: back to the old values. */
  for (size_t i = 0; i < d->n_calls; i++) {
    if (d->calls[i].status == 1) (void)elmo_rt_set_value(rt, d->calls[i].option, d->calls[i].new_value, NULL);
    else elmo_rt_appendf(d->reason, sizeof d->reason, "; ", "%s=%s refused: %s", d->calls[i].option,
                         d->calls[i].new_value, d->calls[i].message);
  }
  elmo_rt_appendf(d->reason, sizeof d->reason, ": ", "the switch of change #%d failed; undoing it", rt->change_id);
  rt->rollback_kind = RT_OUT_UNDONE;
  rt->verdict_ops_change = 0;
  rt->n_pending = elmo_rt_reverse(rt->change, rt->n_change, rt->pending);
  rt->state = ELMO_RT_ROLLBACK;
  d->action = ELMO_RT_ACT_ROLLBACK;
  d->n_calls = rt->n_pending;
  memcpy(d->calls, rt->pending, sizeof d->calls);
}

double elmo_rt_next_sample_sec(const elmo_rt *rt) {
  if (rt == NULL) return 0;
  return rt->state == ELMO_RT_VERIFY ? rt->cfg.switchback_block_sec : rt->cfg.interval_sec;
}

double elmo_rt_settle_sec(const elmo_rt *rt) {
  return rt != NULL && rt->state == ELMO_RT_VERIFY ? rt->cfg.switchback_settle_sec : 0;
}

size_t elmo_rt_restore_calls(const elmo_rt *rt, elmo_rt_call *out, size_t cap) {
  if (rt == NULL || out == NULL) return 0;
  elmo_rt_call all[ELMO_RT_MAX_ITEMS];
  size_t n = 0;
  if (rt->state == ELMO_RT_APPLY) {
    n = elmo_rt_reverse(rt->pending, rt->n_pending, all);
  } else if (rt->state == ELMO_RT_WATCH || rt->state == ELMO_RT_VERIFY || rt->state == ELMO_RT_ROLLBACK) {
    n = elmo_rt_reverse(rt->change, rt->n_change, all);
  }
  if (n > cap) n = cap;
  memcpy(out, all, n * sizeof *out);
  return n;
}
