/* realtime_journal.c — decisions as journal lines (JSON) and LOG lines. See realtime.h. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "realtime_internal.h"

static const struct {
  unsigned bit;
  const char *name;
} kSignals[] = {
    {ELMO_RT_SIG_MIX, "mix"},   {ELMO_RT_SIG_THROUGHPUT, "throughput"}, {ELMO_RT_SIG_VALUE_SIZE, "value_size"},
    {ELMO_RT_SIG_STALL, "stall"}, {ELMO_RT_SIG_STALLS_HIGH, "stalls_high"}, {ELMO_RT_SIG_READ_SIZE, "read_size"},
    {ELMO_RT_SIG_SCAN_LENGTH, "scan_length"}, {ELMO_RT_SIG_HIT_RATE, "hit_rate"},
};

static cJSON *signals_json(unsigned bits) {
  cJSON *a = cJSON_CreateArray();
  for (size_t i = 0; i < sizeof kSignals / sizeof kSignals[0]; i++) {
    if (bits & kSignals[i].bit) cJSON_AddItemToArray(a, cJSON_CreateString(kSignals[i].name));
  }
  return a;
}

static const char *section_name(elmo_section s) {
  return s == ELMO_SECTION_DB ? "DBOptions" : s == ELMO_SECTION_CF ? "CFOptions" : "TableOptions/BlockBasedTable";
}

/* ISO-8601 UTC for seconds since the epoch, by the civil-from-days arithmetic (no libc time). */
static void iso_time(double t, char *buf, size_t size) {
  if (!isfinite(t) || t < 0 || t > 253402300799.0) {
    snprintf(buf, size, "unknown");
    return;
  }
  long long secs = (long long)floor(t);
  int ms = (int)((t - (double)secs) * 1000);
  long long days = secs / 86400, rem = secs % 86400;
  long long z = days + 719468, era = z / 146097;
  long long doe = z - era * 146097;
  long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
  long long day = doy - (153 * mp + 2) / 5 + 1, month = mp < 10 ? mp + 3 : mp - 9;
  long long year = yoe + era * 400 + (month <= 2);
  snprintf(buf, size, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03dZ", year, month, day, rem / 3600,
           rem / 60 % 60, rem % 60, ms);
}

static cJSON *snapshot_json(const elmo_rt_snapshot *s) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "interval_sec", s->interval_sec);
  cJSON_AddNumberToObject(o, "ops", s->ops);
  cJSON_AddNumberToObject(o, "ops_per_sec", s->ops_per_sec);
  cJSON_AddNumberToObject(o, "time_sec", s->time_sec);
  cJSON_AddNumberToObject(o, "gets_per_sec", s->gets_per_sec);
  cJSON_AddNumberToObject(o, "writes_per_sec", s->writes_per_sec);
  cJSON_AddNumberToObject(o, "seeks_per_sec", s->seeks_per_sec);
  cJSON_AddNumberToObject(o, "nexts_per_seek", s->nexts_per_seek);
  cJSON_AddNumberToObject(o, "read_bytes_per_sec", s->read_bytes_per_sec);
  cJSON_AddNumberToObject(o, "read", s->read_frac);
  cJSON_AddNumberToObject(o, "write", s->write_frac);
  cJSON_AddNumberToObject(o, "scan", s->scan_frac);
  cJSON_AddNumberToObject(o, "write_bytes_per_op", s->write_bytes_per_op);
  cJSON_AddNumberToObject(o, "stall", s->stall_frac);
  cJSON_AddNumberToObject(o, "cache_hit_rate", s->cache_hit_rate);
  cJSON_AddNumberToObject(o, "p99_get_us", s->p99_get_us);
  cJSON_AddNumberToObject(o, "p99_write_us", s->p99_write_us);
  cJSON_AddNumberToObject(o, "pending_compaction_bytes", s->pending_compaction_bytes);
  cJSON_AddNumberToObject(o, "l0_files", s->l0_files);
  cJSON_AddNumberToObject(o, "immutable_memtables", s->immutable_memtables);
  cJSON_AddNumberToObject(o, "running_compactions", s->running_compactions);
  cJSON_AddNumberToObject(o, "cpu_cores", s->cpu_cores);
  cJSON_AddNumberToObject(o, "rss_bytes", s->rss_bytes);
  cJSON_AddNumberToObject(o, "flushes", s->flushes);
  cJSON_AddNumberToObject(o, "compactions", s->compactions);
  return o;
}

static cJSON *shift_json(const elmo_rt_shift *sh) {
  cJSON *o = cJSON_CreateObject(), *b = cJSON_CreateObject();
  cJSON_AddBoolToObject(o, "shifted", sh->shifted);
  cJSON_AddItemToObject(o, "signals", signals_json(sh->signals));
  cJSON_AddNumberToObject(o, "mix_distance", sh->mix_distance);
  cJSON_AddNumberToObject(o, "throughput_change", sh->throughput_change);
  cJSON_AddNumberToObject(o, "value_size_change", sh->value_size_change);
  cJSON_AddNumberToObject(o, "stall_change", sh->stall_change);
  cJSON_AddNumberToObject(o, "read_size_change", sh->read_size_change);
  cJSON_AddNumberToObject(o, "scan_length_change", sh->scan_length_change);
  cJSON_AddNumberToObject(o, "hit_rate_change", sh->hit_rate_change);
  cJSON_AddNumberToObject(b, "read", sh->base_read_frac);
  cJSON_AddNumberToObject(b, "write", sh->base_write_frac);
  cJSON_AddNumberToObject(b, "scan", sh->base_scan_frac);
  cJSON_AddNumberToObject(b, "ops_per_sec", sh->base_ops_per_sec);
  cJSON_AddNumberToObject(b, "stall", sh->base_stall_frac);
  cJSON_AddItemToObject(o, "baseline", b);
  return o;
}

static cJSON *items_json(const elmo_rt_decision *d) {
  static const char *const kStatus[] = {"accepted", "clamped", "dropped"};
  cJSON *a = cJSON_CreateArray();
  for (size_t i = 0; i < d->n_items; i++) {
    const elmo_rt_item *it = &d->items[i];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "option", it->option);
    cJSON_AddStringToObject(o, "proposed", it->proposed);
    cJSON_AddStringToObject(o, "value", it->value);
    cJSON_AddStringToObject(o, "old", it->old_value);
    cJSON_AddStringToObject(o, "status", kStatus[it->status]);
    if (it->status == ELMO_RT_ITEM_DROPPED) cJSON_AddStringToObject(o, "code", elmo_strerror(it->code));
    if (it->note[0] != '\0') cJSON_AddStringToObject(o, "note", it->note);
    cJSON_AddItemToArray(a, o);
  }
  return a;
}

static cJSON *calls_json(const elmo_rt_decision *d) {
  cJSON *a = cJSON_CreateArray();
  for (size_t i = 0; i < d->n_calls; i++) {
    const elmo_rt_call *c = &d->calls[i];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "option", c->option);
    cJSON_AddStringToObject(o, "section", section_name(c->section));
    cJSON_AddStringToObject(o, "api", c->section == ELMO_SECTION_DB ? "SetDBOptions" : "SetOptions");
    cJSON_AddStringToObject(o, "old", c->old_value);
    cJSON_AddStringToObject(o, "new", c->new_value);
    cJSON_AddStringToObject(o, "status", c->status < 0 ? "pending" : c->status ? "ok" : "failed");
    if (c->status == 0) cJSON_AddStringToObject(o, "message", c->message);
    cJSON_AddItemToArray(a, o);
  }
  return a;
}

static cJSON *switchback_json(const elmo_rt_switchback *sb) {
  static const char *const kVerdict[] = {"go_on", "keep", "undo"};
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "pairs", sb->pairs);
  cJSON_AddNumberToObject(o, "planned", sb->planned);
  cJSON_AddNumberToObject(o, "look", sb->look + 1);
  cJSON_AddNumberToObject(o, "looks", sb->n_looks);
  cJSON_AddNumberToObject(o, "level", sb->level);
  cJSON_AddNumberToObject(o, "gain", sb->gain);
  cJSON_AddNumberToObject(o, "low", sb->low);
  cJSON_AddNumberToObject(o, "high", sb->high);
  cJSON_AddNumberToObject(o, "p_gain", sb->p_gain);
  cJSON_AddNumberToObject(o, "p_loss", sb->p_loss);
  cJSON_AddNumberToObject(o, "p99_get_ratio", sb->p99_get_ratio);
  cJSON_AddNumberToObject(o, "p99_write_ratio", sb->p99_write_ratio);
  cJSON_AddNumberToObject(o, "stall_change", sb->stall_change);
  cJSON_AddStringToObject(o, "verdict", kVerdict[sb->verdict]);
  cJSON_AddStringToObject(o, "why", sb->why);
  return o;
}

static void add_details(cJSON *j, const elmo_rt_decision *d) {
  if (d->has_snapshot) cJSON_AddItemToObject(j, "snapshot", snapshot_json(&d->snap));
  if (d->event == ELMO_RT_EV_SHIFT || (d->event == ELMO_RT_EV_SNAPSHOT && d->shift.baseline_ready)) {
    cJSON_AddItemToObject(j, "shift", shift_json(&d->shift));
  }
  if (d->n_items > 0) cJSON_AddItemToObject(j, "items", items_json(d));
  if (d->n_calls > 0) cJSON_AddItemToObject(j, "calls", calls_json(d));
  if (d->event == ELMO_RT_EV_VERDICT || d->event == ELMO_RT_EV_KEPT) {
    cJSON *v = cJSON_CreateObject();
    cJSON_AddStringToObject(v, "verdict", d->event == ELMO_RT_EV_KEPT ? "keep" : "rollback");
    cJSON_AddNumberToObject(v, "ops_change", d->ops_change);
    cJSON_AddNumberToObject(v, "p99_get_change", d->p99_get_change);
    cJSON_AddNumberToObject(v, "p99_write_change", d->p99_write_change);
    cJSON_AddItemToObject(j, "verdict", v);
  }
  if (d->has_switchback) cJSON_AddItemToObject(j, "switchback", switchback_json(&d->switchback));
  if (d->source[0] != '\0') cJSON_AddStringToObject(j, "source", d->source);
  if (d->code != ELMO_OK) cJSON_AddStringToObject(j, "code", elmo_strerror(d->code));
}

char *elmo_rt_journal_line(const elmo_rt_decision *d) {
  if (d == NULL) return NULL;
  cJSON *j = cJSON_CreateObject();
  if (j == NULL) return NULL;
  char iso[80];
  iso_time(d->time_sec, iso, sizeof iso);
  cJSON_AddNumberToObject(j, "ts", isfinite(d->time_sec) ? d->time_sec : 0);
  cJSON_AddStringToObject(j, "time", iso);
  cJSON_AddStringToObject(j, "event", elmo_rt_event_name(d->event));
  cJSON_AddStringToObject(j, "from", elmo_rt_state_name(d->from));
  cJSON_AddStringToObject(j, "to", elmo_rt_state_name(d->to));
  cJSON_AddStringToObject(j, "action", elmo_rt_action_name(d->action));
  cJSON_AddNumberToObject(j, "change_id", d->change_id);
  cJSON_AddNumberToObject(j, "changes_last_hour", d->changes_last_hour);
  cJSON_AddStringToObject(j, "reason", d->reason);
  add_details(j, d);
  char *line = cJSON_PrintUnformatted(j);
  cJSON_Delete(j);
  return line;
}

char *elmo_rt_log_line(const elmo_rt_decision *d) {
  if (d == NULL) return NULL;
  size_t size = 512;
  char *line = malloc(size);
  if (line == NULL) return NULL;
  int n = snprintf(line, size, "[elmo] %s (%s -> %s", elmo_rt_event_name(d->event), elmo_rt_state_name(d->from),
                   elmo_rt_state_name(d->to));
  if (d->action != ELMO_RT_ACT_NONE && n > 0 && (size_t)n < size) {
    n += snprintf(line + n, size - (size_t)n, ", %s %zu call(s)", elmo_rt_action_name(d->action), d->n_calls);
  }
  if (n > 0 && (size_t)n < size) snprintf(line + n, size - (size_t)n, "): %.400s", d->reason);
  return line;
}

size_t elmo_rt_signal_names(unsigned bits, const char **out, size_t cap) {
  size_t n = 0;
  for (size_t i = 0; i < sizeof kSignals / sizeof kSignals[0] && n < cap; i++) {
    if (bits & kSignals[i].bit) out[n++] = kSignals[i].name;
  }
  return n;
}
