/* realtime_state.c — the realtime tuner's state: creating and destroying it, the option values it
 * knows, and the small helpers every transition shares (decisions, change times, cooldowns,
 * remembered outcomes, reverse calls). See realtime.h. */
#define _POSIX_C_SOURCE 200809L
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
