/* realtime_snapshot.c — from two raw samples to one interval's snapshot, the baseline ring, and
 * shift detection against the baseline. See realtime.h. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "realtime_internal.h"
#include "elmo/number.h"

typedef struct sample_field {
  const char *name;
  size_t offset;
  int counter; /* 1: cumulative, must not go backwards */
} sample_field;

#define S(field, counter) {#field, offsetof(elmo_rt_sample, field), counter}
static const sample_field kFields[] = {
    S(time_sec, 0),         S(gets, 1),          S(writes, 1),
    S(seeks, 1),            S(nexts, 1),         S(bytes_read, 1),
    S(bytes_written, 1),    S(stall_micros, 1),  S(cache_hits, 1),
    S(cache_misses, 1),     S(flush_bytes, 1),   S(compact_write_bytes, 1),
    S(cpu_sec, 1),          S(p99_get_us, 0),    S(p99_write_us, 0),
    S(pending_compaction_bytes, 0), S(running_compactions, 0), S(running_flushes, 0),
    S(immutable_memtables, 0), S(l0_files, 0),   S(num_keys, 0),
    S(rss_bytes, 0),
};
#undef S

static double field(const elmo_rt_sample *s, const sample_field *f) {
  double v;
  memcpy(&v, (const char *)s + f->offset, sizeof v);
  return v;
}

/* Every field finite and not negative. */
static elmo_rc check_sample(const elmo_rt_sample *s, const char *which, elmo_error *err) {
  for (size_t i = 0; i < sizeof kFields / sizeof kFields[0]; i++) {
    double v = field(s, &kFields[i]);
    if (!isfinite(v) || v < 0) {
      return elmo_error_set(err, ELMO_EINVAL, "%s sample: %s is %g (must be a finite number >= 0)", which,
                            kFields[i].name, v);
    }
  }
  return ELMO_OK;
}

static elmo_rc check_pair(const elmo_rt_sample *prev, const elmo_rt_sample *cur, elmo_error *err) {
  elmo_rc rc = check_sample(prev, "previous", err);
  if (rc == ELMO_OK) rc = check_sample(cur, "current", err);
  if (rc != ELMO_OK) return rc;
  if (!(cur->time_sec > prev->time_sec)) {
    return elmo_error_set(err, ELMO_ERANGE, "time did not advance between samples (%.3f -> %.3f s): "
                          "zero or negative interval", prev->time_sec, cur->time_sec);
  }
  for (size_t i = 0; i < sizeof kFields / sizeof kFields[0]; i++) {
    if (!kFields[i].counter) continue;
    double a = field(prev, &kFields[i]), b = field(cur, &kFields[i]);
    if (b < a) {
      return elmo_error_set(err, ELMO_ERANGE, "counter %s went backwards (%.0f -> %.0f): statistics were "
                            "reset or the DB reopened; the next interval starts from this sample",
                            kFields[i].name, a, b);
    }
  }
  return ELMO_OK;
}

static double ratio(double num, double den, double none) { return den > 0 ? num / den : none; }

elmo_rc elmo_rt_snapshot_from_samples(const elmo_rt_sample *prev, const elmo_rt_sample *cur,
                                      elmo_rt_snapshot *snap, elmo_error *err) {
  if (snap != NULL) memset(snap, 0, sizeof *snap);
  if (prev == NULL || cur == NULL || snap == NULL) {
    return elmo_error_set(err, ELMO_EINVAL, "elmo_rt_snapshot_from_samples: NULL argument");
  }
  elmo_rc rc = check_pair(prev, cur, err);
  if (rc != ELMO_OK) return rc;
  double dt = cur->time_sec - prev->time_sec;
  double gets = cur->gets - prev->gets, writes = cur->writes - prev->writes;
  double seeks = cur->seeks - prev->seeks, ops = gets + writes + seeks;
  double hits = cur->cache_hits - prev->cache_hits, misses = cur->cache_misses - prev->cache_misses;
  snap->time_sec = cur->time_sec;
  snap->interval_sec = dt;
  snap->ops = ops;
  snap->ops_per_sec = ops / dt;
  snap->gets_per_sec = gets / dt;
  snap->writes_per_sec = writes / dt;
  snap->seeks_per_sec = seeks / dt;
  snap->read_frac = ratio(gets, ops, 0);
  snap->write_frac = ratio(writes, ops, 0);
  snap->scan_frac = ratio(seeks, ops, 0);
  snap->nexts_per_seek = ratio(cur->nexts - prev->nexts, seeks, 0);
  snap->read_bytes_per_sec = (cur->bytes_read - prev->bytes_read) / dt;
  snap->write_bytes_per_sec = (cur->bytes_written - prev->bytes_written) / dt;
  snap->write_bytes_per_op = ratio(cur->bytes_written - prev->bytes_written, writes, 0);
  snap->stall_frac = (cur->stall_micros - prev->stall_micros) / 1e6 / dt;
  snap->cache_hit_rate = ratio(hits, hits + misses, -1);
  snap->flush_bytes_per_sec = (cur->flush_bytes - prev->flush_bytes) / dt;
  snap->compact_bytes_per_sec = (cur->compact_write_bytes - prev->compact_write_bytes) / dt;
  snap->cpu_cores = (cur->cpu_sec - prev->cpu_sec) / dt;
  snap->p99_get_us = cur->p99_get_us;
  snap->p99_write_us = cur->p99_write_us;
  snap->pending_compaction_bytes = cur->pending_compaction_bytes;
  snap->running_compactions = cur->running_compactions;
  snap->running_flushes = cur->running_flushes;
  snap->immutable_memtables = cur->immutable_memtables;
  snap->l0_files = cur->l0_files;
  snap->num_keys = cur->num_keys;
  snap->rss_bytes = cur->rss_bytes;
  return ELMO_OK;
}

/* ---- the baseline ring --------------------------------------------------------------------- */

void elmo_rt_ring_reset(elmo_rt *rt) {
  rt->ring_head = 0;
  rt->ring_count = 0;
}

void elmo_rt_ring_push(elmo_rt *rt, const elmo_rt_snapshot *s) {
  rt->ring[rt->ring_head] = *s;
  rt->ring_head = (rt->ring_head + 1) % ELMO_RT_RING_MAX;
  if (rt->ring_count < ELMO_RT_RING_MAX) rt->ring_count++;
}

size_t elmo_rt_baseline_count(const elmo_rt *rt) {
  if (rt == NULL) return 0;
  size_t w = (size_t)rt->cfg.baseline_window;
  return rt->ring_count < w ? rt->ring_count : w;
}

double elmo_rt_mix_distance(double r1, double w1, double s1, double r2, double w2, double s2) {
  return 0.5 * (fabs(r1 - r2) + fabs(w1 - w2) + fabs(s1 - s2));
}

typedef struct baseline {
  double read, write, scan, ops, stall, value_bytes;
  double read_bytes, scan_length, hit_rate; /* 0 (hit_rate -1) when no snapshot had them */
} baseline;

#define MIN_SHARE 0.05 /* an operation type with less of the ops says nothing of its sizes */

/* Bytes read per Get; 0 when reads are too few to say. */
static double read_bytes_per_get(const elmo_rt_snapshot *s) {
  return s->read_frac >= MIN_SHARE && s->gets_per_sec > 0 ? s->read_bytes_per_sec / s->gets_per_sec : 0;
}

static double scan_length(const elmo_rt_snapshot *s) { return s->scan_frac >= MIN_SHARE ? s->nexts_per_seek : 0; }

/* The mean of the last n snapshots; each size over the snapshots that have it. */
static void baseline_mean(const elmo_rt *rt, size_t n, baseline *b) {
  memset(b, 0, sizeof *b);
  size_t with_writes = 0, with_reads = 0, with_scans = 0, with_cache = 0;
  for (size_t i = 0; i < n; i++) {
    const elmo_rt_snapshot *s = &rt->ring[(rt->ring_head + ELMO_RT_RING_MAX - 1 - i) % ELMO_RT_RING_MAX];
    b->read += s->read_frac;
    b->write += s->write_frac;
    b->scan += s->scan_frac;
    b->ops += s->ops_per_sec;
    b->stall += s->stall_frac;
    if (s->write_bytes_per_op > 0) b->value_bytes += s->write_bytes_per_op, with_writes++;
    if (read_bytes_per_get(s) > 0) b->read_bytes += read_bytes_per_get(s), with_reads++;
    if (scan_length(s) > 0) b->scan_length += scan_length(s), with_scans++;
    if (s->cache_hit_rate >= 0) b->hit_rate += s->cache_hit_rate, with_cache++;
  }
  if (n > 0) b->read /= n, b->write /= n, b->scan /= n, b->ops /= n, b->stall /= n;
  if (with_writes > 0) b->value_bytes /= with_writes;
  if (with_reads > 0) b->read_bytes /= with_reads;
  if (with_scans > 0) b->scan_length /= with_scans;
  b->hit_rate = with_cache > 0 ? b->hit_rate / with_cache : -1;
}

static void add_reason(elmo_rt_shift *out, const char *text) {
  size_t len = strlen(out->reason);
  snprintf(out->reason + len, sizeof out->reason - len, "%s%s", len ? "; " : "", text);
}

/* Compares the signals and sets the bits of those past their thresholds. */
static void compare(const elmo_rt_config *c, const baseline *b, const elmo_rt_snapshot *s, elmo_rt_shift *out) {
  out->mix_distance = elmo_rt_mix_distance(b->read, b->write, b->scan, s->read_frac, s->write_frac, s->scan_frac);
  out->throughput_change = b->ops > 0 ? s->ops_per_sec / b->ops - 1 : 0;
  if (b->value_bytes > 0 && s->write_bytes_per_op > 0 && b->write >= 0.05 && s->write_frac >= 0.05) {
    out->value_size_change = s->write_bytes_per_op / b->value_bytes - 1;
  }
  out->stall_change = s->stall_frac - b->stall;
  if (out->mix_distance >= c->shift_mix) out->signals |= ELMO_RT_SIG_MIX;
  if (b->ops > 0 && fabs(out->throughput_change) >= c->shift_throughput) out->signals |= ELMO_RT_SIG_THROUGHPUT;
  if (fabs(out->value_size_change) >= c->shift_value_size) out->signals |= ELMO_RT_SIG_VALUE_SIZE;
  if (out->stall_change >= c->shift_stall) out->signals |= ELMO_RT_SIG_STALL;
  if (b->stall >= c->stall_trigger && s->stall_frac >= c->stall_trigger) out->signals |= ELMO_RT_SIG_STALLS_HIGH;
  if (b->read_bytes > 0 && read_bytes_per_get(s) > 0) {
    out->read_size_change = read_bytes_per_get(s) / b->read_bytes - 1;
    if (fabs(out->read_size_change) >= c->shift_value_size) out->signals |= ELMO_RT_SIG_READ_SIZE;
  }
  if (b->scan_length > 0 && scan_length(s) > 0) {
    out->scan_length_change = scan_length(s) / b->scan_length - 1;
    if (fabs(out->scan_length_change) >= c->shift_value_size) out->signals |= ELMO_RT_SIG_SCAN_LENGTH;
  }
  /* The hot set, as the cache sees it: only at a steady mix (a new mix moves the hit rate too). */
  if (b->hit_rate >= 0 && s->cache_hit_rate >= 0 && out->mix_distance < c->shift_mix) {
    out->hit_rate_change = s->cache_hit_rate - b->hit_rate;
    if (out->hit_rate_change <= -c->shift_hit_rate) out->signals |= ELMO_RT_SIG_HIT_RATE;
  }
}

static void explain(const baseline *b, const elmo_rt_snapshot *s, elmo_rt_shift *out) {
  char t[256];
  if (out->signals & ELMO_RT_SIG_MIX) {
    elmo_number_snprintf(t, sizeof t, "op mix moved %.2f (reads %.0f%% -> %.0f%%, writes %.0f%% -> %.0f%%, scans %.0f%% -> %.0f%%)",
             out->mix_distance, b->read * 100, s->read_frac * 100, b->write * 100, s->write_frac * 100,
             b->scan * 100, s->scan_frac * 100);
    add_reason(out, t);
  }
  if (out->signals & ELMO_RT_SIG_THROUGHPUT) {
    elmo_number_snprintf(t, sizeof t, "throughput %+.0f%% (%.0f -> %.0f ops/s)", out->throughput_change * 100, b->ops,
             s->ops_per_sec);
    add_reason(out, t);
  }
  if (out->signals & ELMO_RT_SIG_VALUE_SIZE) {
    elmo_number_snprintf(t, sizeof t, "bytes per written key %+.0f%% (%.0f -> %.0f)", out->value_size_change * 100,
             b->value_bytes, s->write_bytes_per_op);
    add_reason(out, t);
  }
  if (out->signals & ELMO_RT_SIG_STALL) {
    elmo_number_snprintf(t, sizeof t, "write stalls rose from %.1f%% to %.1f%% of the time", b->stall * 100, s->stall_frac * 100);
    add_reason(out, t);
  }
  if (out->signals & ELMO_RT_SIG_STALLS_HIGH) {
    elmo_number_snprintf(t, sizeof t, "writes stalled %.1f%% of the time over the whole baseline", b->stall * 100);
    add_reason(out, t);
  }
  if (out->signals & ELMO_RT_SIG_READ_SIZE) {
    elmo_number_snprintf(t, sizeof t, "bytes per read key %+.0f%% (%.0f -> %.0f)", out->read_size_change * 100,
                         b->read_bytes, read_bytes_per_get(s));
    add_reason(out, t);
  }
  if (out->signals & ELMO_RT_SIG_SCAN_LENGTH) {
    elmo_number_snprintf(t, sizeof t, "scan length %+.0f%% (%.1f -> %.1f Next calls per Seek)",
                         out->scan_length_change * 100, b->scan_length, scan_length(s));
    add_reason(out, t);
  }
  if (out->signals & ELMO_RT_SIG_HIT_RATE) {
    elmo_number_snprintf(t, sizeof t, "block cache hit rate fell from %.0f%% to %.0f%% at a steady mix: the hot set "
                         "moved or grew", b->hit_rate * 100, s->cache_hit_rate * 100);
    add_reason(out, t);
  }
  if (out->signals == 0) {
    elmo_number_snprintf(out->reason, sizeof out->reason, "steady: mix moved %.2f, throughput %+.0f%%, stalls %.1f%%",
             out->mix_distance, out->throughput_change * 100, s->stall_frac * 100);
  }
}

elmo_rc elmo_rt_detect_shift(const elmo_rt *rt, const elmo_rt_snapshot *snap, elmo_rt_shift *out,
                             elmo_error *err) {
  if (out != NULL) memset(out, 0, sizeof *out);
  if (rt == NULL || snap == NULL || out == NULL) {
    return elmo_error_set(err, ELMO_EINVAL, "elmo_rt_detect_shift: NULL argument");
  }
  size_t n = elmo_rt_baseline_count(rt);
  baseline b;
  baseline_mean(rt, n, &b);
  out->base_read_frac = b.read;
  out->base_write_frac = b.write;
  out->base_scan_frac = b.scan;
  out->base_ops_per_sec = b.ops;
  out->base_stall_frac = b.stall;
  if (n < (size_t)rt->cfg.baseline_window) {
    snprintf(out->reason, sizeof out->reason, "establishing the baseline (%zu of %d snapshots)", n + 1,
             rt->cfg.baseline_window);
    return ELMO_OK;
  }
  out->baseline_ready = 1;
  compare(&rt->cfg, &b, snap, out);
  out->shifted = out->signals != 0;
  explain(&b, snap, out);
  return ELMO_OK;
}
