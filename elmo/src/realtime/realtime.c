/* realtime.c — the realtime tuner's snapshot-driven transitions (IDLE, WATCH, COOLDOWN) and the
 * names of states, events and actions. The state itself is in realtime_state.c, proposals and call
 * statuses in realtime_propose.c, switchback (VERIFY) in realtime_switchback.c. See realtime.h. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "realtime_internal.h"
#include "elmo/number.h"

/* ---- snapshot transitions ------------------------------------------------------------------ */

/* Responds to the shift in d->shift: the shifted workload is the new baseline, and the tuner asks
 * for a proposal unless the change limits say no. */
static void respond_to_shift(elmo_rt *rt, const elmo_rt_snapshot *s, elmo_rt_decision *d) {
  d->event = ELMO_RT_EV_SHIFT;
  rt->shift = d->shift;
  elmo_rt_ring_reset(rt);
  elmo_rt_ring_push(rt, s);
  snprintf(d->reason, sizeof d->reason, "%s", d->shift.reason);
  if (rt->bg_error) {
    elmo_rt_appendf(d->reason, sizeof d->reason, "; ", "not asking: a background error stops every change");
  } else if (rt->cfg.max_changes_per_hour == 0) {
    elmo_rt_appendf(d->reason, sizeof d->reason, "; ", "observing only (elmo_max_changes_per_hour=0)");
  } else if (d->changes_last_hour >= rt->cfg.max_changes_per_hour) {
    elmo_rt_appendf(d->reason, sizeof d->reason, "; ", "not asking: %d change(s) in the last hour is the "
                    "limit (elmo_max_changes_per_hour=%d)", d->changes_last_hour, rt->cfg.max_changes_per_hour);
  } else {
    rt->state = ELMO_RT_ASK;
    d->action = ELMO_RT_ACT_ASK;
  }
}

static void on_idle(elmo_rt *rt, const elmo_rt_snapshot *s, elmo_rt_decision *d) {
  elmo_rt_detect_shift(rt, s, &d->shift, NULL);
  if (!d->shift.shifted) {
    elmo_rt_ring_push(rt, s);
    snprintf(d->reason, sizeof d->reason, "%s", d->shift.reason);
    return;
  }
  respond_to_shift(rt, s, d);
}

static double rel_change(double before, double after) { return before > 0 && after > 0 ? after / before - 1 : 0; }

/* Judges the watched change on snapshot s: 1 when it is to be undone (reason says why). */
static int judge(elmo_rt *rt, const elmo_rt_snapshot *s, elmo_rt_decision *d) {
  const elmo_rt_snapshot *p = &rt->pre;
  const elmo_rt_config *c = &rt->cfg;
  double mix = elmo_rt_mix_distance(p->read_frac, p->write_frac, p->scan_frac, s->read_frac, s->write_frac,
                                    s->scan_frac);
  d->ops_change = rel_change(p->ops_per_sec, s->ops_per_sec);
  if (p->read_frac >= 0.05 && s->read_frac >= 0.05) d->p99_get_change = rel_change(p->p99_get_us, s->p99_get_us);
  if (p->write_frac >= 0.05 && s->write_frac >= 0.05) {
    d->p99_write_change = rel_change(p->p99_write_us, s->p99_write_us);
  }
  rt->verdict_ops_change = d->ops_change;
  rt->rollback_kind = RT_OUT_ROLLED_BACK;
  if (mix >= c->shift_mix) {
    rt->rollback_kind = RT_OUT_UNDONE;
    elmo_number_snprintf(d->reason, sizeof d->reason, "the op mix moved %.2f while watching change #%d, so its effect "
             "cannot be judged: undoing it", mix, rt->change_id);
    return 1;
  }
  if (d->ops_change < -c->rollback_throughput) {
    elmo_rt_appendf(d->reason, sizeof d->reason, "; ", "throughput %+.1f%% (%.0f -> %.0f ops/s) is beyond the "
                    "-%.0f%% allowed", d->ops_change * 100, p->ops_per_sec, s->ops_per_sec,
                    c->rollback_throughput * 100);
  }
  if (d->p99_get_change > c->rollback_p99) {
    elmo_rt_appendf(d->reason, sizeof d->reason, "; ", "get p99 %+.1f%% (%.0f -> %.0f us) is beyond the +%.0f%% "
                    "allowed", d->p99_get_change * 100, p->p99_get_us, s->p99_get_us, c->rollback_p99 * 100);
  }
  if (d->p99_write_change > c->rollback_p99) {
    elmo_rt_appendf(d->reason, sizeof d->reason, "; ", "write p99 %+.1f%% (%.0f -> %.0f us) is beyond the +%.0f%% "
                    "allowed", d->p99_write_change * 100, p->p99_write_us, s->p99_write_us, c->rollback_p99 * 100);
  }
  if (d->reason[0] != '\0') {
    elmo_rt_appendf(d->reason, sizeof d->reason, ": ", "undoing change #%d", rt->change_id);
    return 1;
  }
  elmo_number_snprintf(d->reason, sizeof d->reason, "change #%d kept: throughput %+.1f%%, get p99 %+.1f%%, write p99 "
           "%+.1f%% over %d interval(s) against the interval before it", rt->change_id, d->ops_change * 100,
           d->p99_get_change * 100, d->p99_write_change * 100, rt->watch_seen);
  return 0;
}

/* Adds s to the watch; 1 when the watch is complete, with *mean the watched snapshots' mean
 * throughput and p99s (and s's mix). A mix that moved ends the watch at once (judge undoes it). */
static int watch_done(elmo_rt *rt, const elmo_rt_snapshot *s, elmo_rt_snapshot *mean) {
  const elmo_rt_snapshot *p = &rt->pre;
  elmo_rt_snapshot *w = &rt->watch_sum;
  w->ops_per_sec += s->ops_per_sec;
  w->p99_get_us += s->p99_get_us;
  w->p99_write_us += s->p99_write_us;
  int n = ++rt->watch_seen;
  *mean = *s;
  mean->ops_per_sec = w->ops_per_sec / n;
  mean->p99_get_us = w->p99_get_us / n;
  mean->p99_write_us = w->p99_write_us / n;
  double mix = elmo_rt_mix_distance(p->read_frac, p->write_frac, p->scan_frac, s->read_frac, s->write_frac,
                                    s->scan_frac);
  return n >= rt->cfg.watch_intervals || mix >= rt->cfg.shift_mix;
}

static void on_watch(elmo_rt *rt, const elmo_rt_snapshot *snap, elmo_rt_decision *d) {
  elmo_rt_snapshot mean;
  if (rt->bg_error) {
    snprintf(d->reason, sizeof d->reason, "watching change #%d: not judged while a background error stops every "
             "change", rt->change_id);
    return;
  }
  if (!watch_done(rt, snap, &mean)) {
    elmo_number_snprintf(d->reason, sizeof d->reason, "watching change #%d: %d of %d interval(s), %.0f ops/s so far against "
             "%.0f before it", rt->change_id, rt->watch_seen, rt->cfg.watch_intervals, mean.ops_per_sec,
             rt->pre.ops_per_sec);
    return;
  }
  const elmo_rt_snapshot *s = &mean;
  if (judge(rt, s, d)) {
    d->event = ELMO_RT_EV_VERDICT;
    d->action = ELMO_RT_ACT_ROLLBACK;
    d->n_calls = elmo_rt_reverse(rt->change, rt->n_change, d->calls);
    memcpy(rt->pending, d->calls, sizeof rt->pending);
    rt->n_pending = d->n_calls;
    rt->state = ELMO_RT_ROLLBACK;
    return;
  }
  d->event = ELMO_RT_EV_KEPT;
  d->n_calls = rt->n_change;
  memcpy(d->calls, rt->change, sizeof d->calls);
  elmo_rt_remember(rt, rt->change, rt->n_change, RT_OUT_KEPT, &rt->pre, d->ops_change);
  elmo_rt_enter_cooldown(rt, rt->cfg.cooldown_intervals);
  elmo_rt_ring_push(rt, snap); /* the kept configuration's first baseline snapshot */
}

/* 1 when the op mix at the end of a cooldown is a shift from the mix the last change was made
 * for (rt->pre), with out filled as elmo_rt_detect_shift would. The ring rebuilt during the
 * cooldown already holds a workload that moved meanwhile, so against the ring such a shift would
 * never be seen. Only the mix is compared: throughput and stalls moved with the change itself. */
static int shifted_during_cooldown(const elmo_rt *rt, const elmo_rt_snapshot *s, elmo_rt_shift *out) {
  const elmo_rt_snapshot *p = &rt->pre;
  memset(out, 0, sizeof *out);
  if (p->ops_per_sec <= 0) return 0; /* no change was made: nothing to compare with */
  out->mix_distance = elmo_rt_mix_distance(p->read_frac, p->write_frac, p->scan_frac, s->read_frac, s->write_frac,
                                           s->scan_frac);
  out->base_read_frac = p->read_frac, out->base_write_frac = p->write_frac, out->base_scan_frac = p->scan_frac;
  out->base_ops_per_sec = p->ops_per_sec;
  out->base_stall_frac = p->stall_frac;
  out->throughput_change = s->ops_per_sec / p->ops_per_sec - 1;
  out->stall_change = s->stall_frac - p->stall_frac;
  out->baseline_ready = 1;
  if (out->mix_distance < rt->cfg.shift_mix) return 0;
  out->shifted = 1;
  out->signals = ELMO_RT_SIG_MIX;
  elmo_number_snprintf(out->reason, sizeof out->reason,
           "op mix moved %.2f during the cooldown from the one change #%d was made for (reads %.0f%% -> %.0f%%, "
           "writes %.0f%% -> %.0f%%, scans %.0f%% -> %.0f%%)", out->mix_distance, rt->change_id,
           p->read_frac * 100, s->read_frac * 100, p->write_frac * 100, s->write_frac * 100, p->scan_frac * 100,
           s->scan_frac * 100);
  return 1;
}

static void on_cooldown(elmo_rt *rt, const elmo_rt_snapshot *s, elmo_rt_decision *d) {
  if (--rt->cooldown_left > 0) {
    elmo_rt_ring_push(rt, s);
    snprintf(d->reason, sizeof d->reason, "cooling down: %d interval(s) left", rt->cooldown_left);
    return;
  }
  rt->state = ELMO_RT_IDLE;
  rt->cooldown_left = 0;
  if (shifted_during_cooldown(rt, s, &d->shift)) {
    respond_to_shift(rt, s, d);
    return;
  }
  elmo_rt_ring_push(rt, s);
  snprintf(d->reason, sizeof d->reason, "cooldown over; watching for shifts again");
}

elmo_rc elmo_rt_step(elmo_rt *rt, const elmo_rt_snapshot *snap, elmo_rt_decision *d, elmo_error *err) {
  if (d != NULL) memset(d, 0, sizeof *d);
  if (rt == NULL || snap == NULL || d == NULL) return elmo_error_set(err, ELMO_EINVAL, "elmo_rt_step: NULL argument");
  rt->last = *snap;
  rt->has_last = 1;
  elmo_rt_begin(rt, d, ELMO_RT_EV_SNAPSHOT);
  d->has_snapshot = 1;
  d->snap = *snap;
  d->snap.flushes = rt->ev_flushes, d->snap.compactions = rt->ev_compactions;
  rt->ev_flushes = rt->ev_compactions = 0;
  switch (rt->state) {
    case ELMO_RT_IDLE: on_idle(rt, snap, d); break;
    case ELMO_RT_WATCH: on_watch(rt, snap, d); break;
    case ELMO_RT_COOLDOWN: on_cooldown(rt, snap, d); break;
    case ELMO_RT_VERIFY:
      if (rt->n_pending == 0) {
        elmo_rt_on_verify(rt, snap, d);
        break;
      }
      snprintf(d->reason, sizeof d->reason, "waiting for the status of %zu call(s)", rt->n_pending);
      break;
    case ELMO_RT_ASK:
      elmo_rt_ring_push(rt, snap);
      snprintf(d->reason, sizeof d->reason, "waiting for a proposal");
      break;
    case ELMO_RT_APPLY:
    case ELMO_RT_ROLLBACK:
      elmo_rt_ring_push(rt, snap);
      snprintf(d->reason, sizeof d->reason, "waiting for the status of %zu call(s)", rt->n_pending);
      break;
  }
  d->to = rt->state;
  return ELMO_OK;
}

static void skip(elmo_rt *rt, elmo_rt_decision *d, elmo_rc code, const char *why) {
  elmo_rt_begin(rt, d, ELMO_RT_EV_SKIPPED);
  d->code = code;
  snprintf(d->reason, sizeof d->reason, "snapshot skipped: %s", why);
}

elmo_rc elmo_rt_step_samples(elmo_rt *rt, const elmo_rt_sample *prev, const elmo_rt_sample *cur,
                             elmo_rt_decision *d, elmo_error *err) {
  if (d != NULL) memset(d, 0, sizeof *d);
  if (rt == NULL || prev == NULL || cur == NULL || d == NULL) {
    return elmo_error_set(err, ELMO_EINVAL, "elmo_rt_step_samples: NULL argument");
  }
  elmo_rt_snapshot s;
  elmo_error e;
  elmo_rc rc = elmo_rt_snapshot_from_samples(prev, cur, &s, &e);
  if (rc != ELMO_OK) {
    skip(rt, d, rc, e.message);
    if (isfinite(cur->time_sec)) d->time_sec = cur->time_sec;
    return ELMO_OK;
  }
  if (s.ops < rt->cfg.min_interval_ops) {
    char why[160];
    elmo_number_snprintf(why, sizeof why, "%.0f operations in %.0f s, fewer than elmo_min_interval_ops=%.0f: too little load "
             "to judge", s.ops, s.interval_sec, rt->cfg.min_interval_ops);
    skip(rt, d, ELMO_ERANGE, why);
    d->has_snapshot = 1;
    d->snap = s;
    d->time_sec = s.time_sec;
    return ELMO_OK;
  }
  return elmo_rt_step(rt, &s, d, err);
}

/* ---- names --------------------------------------------------------------------------------- */

const char *elmo_rt_state_name(elmo_rt_state s) {
  static const char *const k[] = {"idle", "ask", "apply", "watch", "rollback", "cooldown", "verify"};
  return (unsigned)s < sizeof k / sizeof k[0] ? k[s] : "unknown";
}

const char *elmo_rt_event_name(elmo_rt_event e) {
  static const char *const k[] = {"snapshot", "shift", "proposal", "applied",
                                  "verdict", "kept", "rolled_back", "skipped", "switch", "db_event"};
  return (unsigned)e < sizeof k / sizeof k[0] ? k[e] : "unknown";
}

const char *elmo_rt_action_name(elmo_rt_action a) {
  static const char *const k[] = {"none", "ask", "apply", "rollback"};
  return (unsigned)a < sizeof k / sizeof k[0] ? k[a] : "unknown";
}
