/* realtime.c — the realtime tuner's state and its snapshot-driven transitions (IDLE, WATCH,
 * COOLDOWN). Proposals and call statuses are in realtime_propose.c, switchback (VERIFY) in
 * realtime_switchback.c. See realtime.h. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "realtime_internal.h"
#include "elmo/number.h"

/* ---- small shared helpers ------------------------------------------------------------------ */

void elmo_rt_appendf(char *buf, size_t size, const char *sep, const char *fmt, ...) {
  size_t len = strlen(buf);
  if (len > 0 && sep != NULL && len + 1 < size) {
    snprintf(buf + len, size - len, "%s", sep);
    len = strlen(buf);
  }
  if (len + 1 >= size) return;
  va_list ap;
  va_start(ap, fmt);
  elmo_number_vsnprintf(buf + len, size - len, fmt, ap);
  va_end(ap);
}

rt_opt *elmo_rt_find(const elmo_rt *rt, const char *name) {
  for (size_t i = 0; name != NULL && i < rt->n_opts; i++) {
    if (strcmp(rt->opts[i].name, name) == 0) return &rt->opts[i];
  }
  return NULL;
}

int elmo_rt_changes_last_hour(const elmo_rt *rt, double now) {
  int n = 0;
  for (size_t i = 0; i < rt->n_change_times; i++) {
    if (now - rt->change_times[i] < 3600) n++;
  }
  return n;
}

void elmo_rt_note_change_time(elmo_rt *rt, double now) {
  rt->change_times[rt->change_times_head] = now;
  rt->change_times_head = (rt->change_times_head + 1) % ELMO_RT_HOURLY_MAX;
  if (rt->n_change_times < ELMO_RT_HOURLY_MAX) rt->n_change_times++;
}

void elmo_rt_begin(const elmo_rt *rt, elmo_rt_decision *d, elmo_rt_event ev) {
  memset(d, 0, sizeof *d);
  d->event = ev;
  d->from = d->to = rt->state;
  d->time_sec = rt->has_last ? rt->last.time_sec : 0;
  d->change_id = rt->change_id;
  d->changes_last_hour = elmo_rt_changes_last_hour(rt, d->time_sec);
}

void elmo_rt_enter_cooldown(elmo_rt *rt, int n) {
  rt->state = n > 0 ? ELMO_RT_COOLDOWN : ELMO_RT_IDLE;
  rt->cooldown_left = n;
  elmo_rt_ring_reset(rt);
}

void elmo_rt_remember(elmo_rt *rt, const elmo_rt_call *calls, size_t n, rt_outcome_kind kind,
                      const elmo_rt_snapshot *s, double ops_change) {
  for (size_t i = 0; i < n; i++) {
    rt_outcome o;
    memset(&o, 0, sizeof o);
    o.change_id = rt->change_id;
    snprintf(o.option, sizeof o.option, "%s", calls[i].option);
    snprintf(o.from, sizeof o.from, "%s", calls[i].old_value);
    snprintf(o.to, sizeof o.to, "%s", calls[i].new_value);
    o.direction = elmo_plain_number_direction(o.from, o.to);
    o.read = s->read_frac;
    o.write = s->write_frac;
    o.scan = s->scan_frac;
    o.kind = kind;
    o.time_sec = s->time_sec;
    o.ops_change = ops_change;
    elmo_rt_history_add(rt, &o);
  }
}

size_t elmo_rt_reverse(const elmo_rt_call *calls, size_t n, elmo_rt_call *out) {
  for (size_t i = 0; i < n; i++) {
    memset(&out[i], 0, sizeof out[i]);
    memcpy(out[i].option, calls[i].option, sizeof out[i].option);
    out[i].section = calls[i].section;
    memcpy(out[i].old_value, calls[i].new_value, sizeof out[i].old_value);
    memcpy(out[i].new_value, calls[i].old_value, sizeof out[i].new_value);
    out[i].status = -1;
  }
  return n;
}

/* ---- lifecycle ----------------------------------------------------------------------------- */

void elmo_rt_destroy(elmo_rt *rt) {
  if (rt == NULL) return;
  for (size_t i = 0; i < rt->n_opts; i++) {
    free(rt->opts[i].name);
    free(rt->opts[i].value);
  }
  free(rt->opts);
  free(rt);
}

static elmo_rc check_row(const elmo_rt *rt, const elmo_rt_option *o, size_t i, elmo_error *err) {
  if (o->name == NULL || o->name[0] == '\0') {
    return elmo_error_set(err, ELMO_EINVAL, "option row %zu has no name", i);
  }
  if (strlen(o->name) >= ELMO_RT_NAME_MAX) {
    return elmo_error_set(err, ELMO_EINVAL, "option row %zu: name '%.40s...' is longer than %d bytes", i,
                          o->name, ELMO_RT_NAME_MAX - 1);
  }
  if (o->section != ELMO_SECTION_DB && o->section != ELMO_SECTION_CF && o->section != ELMO_SECTION_TABLE) {
    return elmo_error_set(err, ELMO_EINVAL, "option %s: section %d is not DB, CF or TABLE", o->name,
                          (int)o->section);
  }
  if (elmo_rt_find(rt, o->name) != NULL) {
    return elmo_error_set(err, ELMO_EINVAL, "option %s is listed twice", o->name);
  }
  return ELMO_OK;
}

static elmo_rc copy_options(elmo_rt *rt, const elmo_rt_option *opts, size_t n, elmo_error *err) {
  rt->opts = calloc(n ? n : 1, sizeof *rt->opts);
  if (rt->opts == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) {
    elmo_rc rc = check_row(rt, &opts[i], i, err);
    if (rc != ELMO_OK) return rc;
    rt_opt *o = &rt->opts[rt->n_opts];
    o->name = strdup(opts[i].name);
    o->value = opts[i].value != NULL ? strdup(opts[i].value) : NULL;
    rt->n_opts++; /* counted before the check so destroy frees what was copied */
    if (o->name == NULL || (opts[i].value != NULL && o->value == NULL)) {
      return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
    }
    o->section = opts[i].section;
    o->is_mutable = opts[i].is_mutable != 0;
    o->has_range = opts[i].has_range != 0;
    o->min = opts[i].min;
    o->max = opts[i].max;
  }
  return ELMO_OK;
}

elmo_rc elmo_rt_create(const elmo_rt_config *cfg, const elmo_rt_host *host,
                       const elmo_rt_option *opts, size_t n, elmo_rt **out, elmo_error *err) {
  if (out != NULL) *out = NULL;
  if (cfg == NULL || out == NULL || (opts == NULL && n > 0)) {
    return elmo_error_set(err, ELMO_EINVAL, "elmo_rt_create: NULL argument");
  }
  elmo_rc rc = elmo_rt_config_validate(cfg, err);
  if (rc != ELMO_OK) return rc;
  elmo_rt *rt = calloc(1, sizeof *rt);
  if (rt == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  rt->cfg = *cfg;
  if (host != NULL) rt->host = *host;
  rc = copy_options(rt, opts, n, err);
  if (rc != ELMO_OK) {
    elmo_rt_destroy(rt);
    return rc;
  }
  rt->state = ELMO_RT_IDLE;
  *out = rt;
  return ELMO_OK;
}

elmo_rc elmo_rt_set_value(elmo_rt *rt, const char *name, const char *value, elmo_error *err) {
  if (rt == NULL || name == NULL || value == NULL) {
    return elmo_error_set(err, ELMO_EINVAL, "elmo_rt_set_value: NULL argument");
  }
  rt_opt *o = elmo_rt_find(rt, name);
  if (o == NULL) return elmo_error_set(err, ELMO_ENOTFOUND, "%s: not in the tuner's option table", name);
  if (strlen(value) >= ELMO_RT_VALUE_MAX) {
    return elmo_error_set(err, ELMO_ETOOBIG, "%s: value longer than %d bytes", name, ELMO_RT_VALUE_MAX - 1);
  }
  char *copy = strdup(value);
  if (copy == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  free(o->value);
  o->value = copy;
  return ELMO_OK;
}

const char *elmo_rt_value(const elmo_rt *rt, const char *name) {
  const rt_opt *o = rt != NULL ? elmo_rt_find(rt, name) : NULL;
  return o != NULL ? o->value : NULL;
}

elmo_rt_state elmo_rt_get_state(const elmo_rt *rt) { return rt != NULL ? rt->state : ELMO_RT_IDLE; }

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
