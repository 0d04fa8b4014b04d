/* workload.c — built-in presets as db_bench arguments. See workload.h. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elmo/workload.h"

static const char *const kNames[] = {"fillrandom", "readrandom", "readrandomwriterandom", "mixgraph",
                                     "ycsb-a", "ycsb-b", "ycsb-c", "ycsb-d", "ycsb-e", "ycsb-f", NULL};

const char *const *elmo_workload_preset_names(void) { return kNames; }

/* Facebook's published mixgraph parameters (PR #5953), rate pattern left out. */
static const char *const kMixgraph[] = {
    "--key_dist_a=0.002312", "--key_dist_b=0.3467", "--keyrange_dist_a=14.18",
    "--keyrange_dist_b=-2.917", "--keyrange_dist_c=0.0164", "--keyrange_dist_d=-0.08082",
    "--keyrange_num=30", "--value_k=0.2615", "--value_sigma=25.45", "--iter_k=2.517",
    "--iter_sigma=14.236", NULL};

/* YCSB mixes on mixgraph's generators: power-law key skew (≈ zipf 0.99), fixed values. */
static const struct {
  const char *name;
  double get, put, seek;
  const char *what;
} kYcsb[] = {
    {"ycsb-a", 0.50, 0.50, 0.0, "YCSB A: 50% reads, 50% updates, zipf-like skew"},
    {"ycsb-b", 0.95, 0.05, 0.0, "YCSB B: 95% reads, 5% updates, zipf-like skew"},
    {"ycsb-c", 1.00, 0.00, 0.0, "YCSB C: 100% reads, zipf-like skew"},
    {"ycsb-d", 0.95, 0.05, 0.0, "YCSB D: 95% reads, 5% inserts (latest approximated by skew)"},
    {"ycsb-e", 0.00, 0.05, 0.95, "YCSB E: 95% short scans (50 keys), 5% inserts"},
    {"ycsb-f", 0.50, 0.50, 0.0, "YCSB F: 50% reads, 50% read-modify-writes (as updates)"},
};

typedef struct argbuf {
  char **v;
  size_t n, cap;
  int failed;
} argbuf;

static void add(argbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(argbuf *b, const char *fmt, ...) {
  if (b->failed || b->n + 1 >= b->cap) {
    b->failed = 1;
    return;
  }
  char buf[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if ((b->v[b->n] = strdup(buf)) == NULL) b->failed = 1; else b->n++;
}

static void common(argbuf *b, uint64_t num, int key, int value, int threads) {
  add(b, "--num=%llu", (unsigned long long)num);
  add(b, "--key_size=%d", key);
  add(b, "--value_size=%d", value);
  add(b, "--threads=%d", threads);
  add(b, "--compression_ratio=0.5");
  add(b, "--seed=20261121");
}

static void preload(elmo_workload *w, uint64_t num, int key, int value) {
  argbuf b = {w->preload_args, 0, sizeof w->preload_args / sizeof w->preload_args[0], 0};
  add(&b, "--benchmarks=fillrandom");
  common(&b, num, key, value, 1);
  add(&b, "--disable_wal=1"); /* loading only: the base is flushed and closed cleanly */
  w->facts.preload = 1;
}

static void set_run(elmo_workload *w, argbuf *b, const char *bench, uint64_t num, int key, int value,
                    int threads, double seconds) {
  snprintf(w->bench, sizeof w->bench, "%s", bench);
  add(b, "--benchmarks=%s", bench);
  common(b, num, key, value, threads);
  add(b, "--duration=%d", (int)(seconds + 0.5));
  add(b, "--reads=%llu", (unsigned long long)(num * 1000));
}

static void mixgraph_args(argbuf *b, double get, double put, double seek) {
  add(b, "--mix_get_ratio=%g", get);
  add(b, "--mix_put_ratio=%g", put);
  add(b, "--mix_seek_ratio=%g", seek);
  add(b, "--key_dist_a=0.002312");
  add(b, "--key_dist_b=0.3467");
  add(b, "--keyrange_num=1");
  add(b, "--value_theta=1000");
  add(b, "--value_k=1");
  add(b, "--value_sigma=0");
  add(b, "--mix_max_value_size=1024");
  add(b, "--iter_theta=50");
  add(b, "--iter_k=1");
  add(b, "--iter_sigma=0");
}

static int build(elmo_workload *w, const char *name, uint64_t num, int value, double seconds, int threads) {
  argbuf b = {w->run_args, 0, sizeof w->run_args / sizeof w->run_args[0], 0};
  int key = 16;
  elmo_workload_facts *f = &w->facts;
  if (strcmp(name, "fillrandom") == 0) {
    f->write_fraction = 1;
    set_run(w, &b, "fillrandom", num, key, value, threads, seconds);
    snprintf(w->description, sizeof w->description, "fillrandom: random-order inserts into an empty DB");
  } else if (strcmp(name, "readrandom") == 0) {
    f->read_fraction = 1;
    preload(w, num, key, value);
    set_run(w, &b, "readrandom", num, key, value, threads, seconds);
    snprintf(w->description, sizeof w->description, "readrandom: uniform random point lookups on a preloaded DB");
  } else if (strncmp(name, "readrandomwriterandom", 21) == 0) {
    int pct = 90;
    if (name[21] == ':' && (pct = atoi(name + 22)) <= 0) return -1;
    if (name[21] != '\0' && name[21] != ':') return -1;
    if (pct > 100) return -1;
    f->read_fraction = pct / 100.0;
    f->write_fraction = 1 - f->read_fraction;
    preload(w, num, key, value);
    set_run(w, &b, "readrandomwriterandom", num, key, value, threads, seconds);
    add(&b, "--readwritepercent=%d", pct);
    snprintf(w->description, sizeof w->description,
             "readrandomwriterandom: %d%% uniform random reads, %d%% random writes", pct, 100 - pct);
  } else if (strcmp(name, "mixgraph") == 0) {
    key = 48;
    f->read_fraction = 0.85, f->write_fraction = 0.14, f->scan_fraction = 0.01, f->skewed = 1;
    preload(w, num, key, value);
    set_run(w, &b, "mixgraph", num, key, value, threads, seconds);
    add(&b, "--mix_get_ratio=0.85");
    add(&b, "--mix_put_ratio=0.14");
    add(&b, "--mix_seek_ratio=0.01");
    for (size_t i = 0; kMixgraph[i]; i++) add(&b, "%s", kMixgraph[i]);
    snprintf(w->description, sizeof w->description,
             "mixgraph: Facebook's published model: 85%% gets, 14%% puts, 1%% seeks, power-law key "
             "hotness over 30 key ranges, Pareto value sizes (<= 1024 B), 48-byte keys");
  } else {
    size_t i = 0;
    while (i < sizeof kYcsb / sizeof kYcsb[0] && strcmp(kYcsb[i].name, name) != 0) i++;
    if (i == sizeof kYcsb / sizeof kYcsb[0]) return -1;
    value = 1000;
    f->read_fraction = kYcsb[i].get, f->write_fraction = kYcsb[i].put, f->scan_fraction = kYcsb[i].seek;
    f->skewed = 1;
    preload(w, num, key, value);
    set_run(w, &b, "mixgraph", num, key, value, threads, seconds);
    mixgraph_args(&b, kYcsb[i].get, kYcsb[i].put, kYcsb[i].seek);
    snprintf(w->description, sizeof w->description, "%s (1000-byte records)", kYcsb[i].what);
  }
  f->key_bytes = key;
  f->value_bytes = value;
  f->num_keys = num;
  f->threads = threads;
  return b.failed ? -2 : 0;
}

elmo_rc elmo_workload_preset(const char *name, uint64_t num_keys, int value_size, double seconds,
                             int threads, elmo_workload *out, elmo_error *err) {
  if (out == NULL || name == NULL) return elmo_error_set(err, ELMO_EINVAL, "workload_preset: NULL argument");
  memset(out, 0, sizeof *out);
  if (seconds <= 0 || threads <= 0 || value_size < 0) {
    return elmo_error_set(err, ELMO_EINVAL, "workload %s: seconds and threads must be positive", name);
  }
  snprintf(out->name, sizeof out->name, "%s", name);
  int rc = build(out, name, num_keys ? num_keys : 1000000, value_size ? value_size : 400, seconds, threads);
  if (rc == -1) {
    elmo_workload_clear(out);
    return elmo_error_set(err, ELMO_ENOTFOUND,
                          "unknown workload '%s' (presets: fillrandom, readrandom, "
                          "readrandomwriterandom[:READ_PERCENT], mixgraph, ycsb-a .. ycsb-f)", name);
  }
  if (rc != 0) {
    elmo_workload_clear(out);
    return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  }
  return ELMO_OK;
}

void elmo_workload_clear(elmo_workload *w) {
  if (w == NULL) return;
  for (size_t i = 0; i < sizeof w->preload_args / sizeof w->preload_args[0]; i++) free(w->preload_args[i]);
  for (size_t i = 0; i < sizeof w->run_args / sizeof w->run_args[0]; i++) free(w->run_args[i]);
  memset(w, 0, sizeof *w);
}

char *elmo_workload_describe(const elmo_workload *w) {
  char buf[1024];
  const elmo_workload_facts *f = &w->facts;
  snprintf(buf, sizeof buf,
           "%s\nOperation mix: %.0f%% point reads, %.0f%% writes, %.0f%% scans. Keys: %d bytes; "
           "values: %d bytes; %llu keys (about %.0f MB of raw data)%s%s.",
           w->description, f->read_fraction * 100, f->write_fraction * 100, f->scan_fraction * 100,
           f->key_bytes, f->value_bytes, (unsigned long long)f->num_keys,
           (double)f->num_keys * (f->key_bytes + f->value_bytes) / 1e6,
           f->skewed ? "; access is skewed (a few hot keys)" : "; access is uniform",
           f->preload ? "; runs on a preloaded DB" : "; starts from an empty DB");
  return strdup(buf);
}
