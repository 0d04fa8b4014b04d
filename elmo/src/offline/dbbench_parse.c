/* dbbench_parse.c — reads db_bench 7.8.3's stdout (result line, --histogram blocks, --statistics
 * dump) and its --report_file CSV into trial metrics. Pure: strings in, numbers out.
 *
 * The formats, from tools/db_bench_tool.cc and monitoring/histogram.cc (fixtures in
 * tests/fixtures/dbbench/):
 *   fillrandom   :       4.833 micros/op 206879 ops/sec 0.483 seconds 100000 operations; ...
 *   Microseconds per write:
 *   Count: 100000 Average: 4.8322  StdDev: 11.28
 *   Min: 2  Median: 3.8951  Max: 3480
 *   Percentiles: P50: 3.90 P75: 5.12 P99: 9.82 P99.9: 43.43 P99.99: 96.92
 *   ------------------------------------------------------
 *   [       0,       1 ]    24060  24.060%  24.060% #####
 *   (       1,       2 ]    52496  52.496%  76.556% ##########
 *   ...
 *   rocksdb.stall.micros COUNT : 0
 * A benchmark with several operation types (readrandomwriterandom, mixgraph) prints one block
 * per type and no combined one; the overall percentiles then come from the merged buckets,
 * interpolated exactly as HistogramStat::Percentile does. */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elmo/trial.h"
#include "elmo/number.h"

#define LINE_CAP 1024   /* longer lines are cut: every field we read comes early in its line */
#define MAX_BUCKETS 256 /* RocksDB's bucket mapper has 109 */

/* ---- lines ----------------------------------------------------------------------------------- */

/* Copies the line at *pos into buf (without the newline or trailing blanks, cut to the buffer) and
 * moves *pos past it. Returns 0 at the end of the text. */
static int next_line(const char **pos, char *buf, size_t cap) {
  const char *p = *pos;
  if (*p == '\0') return 0;
  const char *e = strchr(p, '\n');
  size_t n = e != NULL ? (size_t)(e - p) : strlen(p);
  *pos = e != NULL ? e + 1 : p + n;
  if (n >= cap) n = cap - 1;
  memcpy(buf, p, n);
  while (n > 0 && (buf[n - 1] == '\r' || buf[n - 1] == ' ' || buf[n - 1] == '\t')) n--;
  buf[n] = '\0';
  return 1;
}

static int starts_with(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

static const char *skip_spaces(const char *p) {
  while (*p == ' ' || *p == '\t') p++;
  return p;
}

/* ---- the result line ------------------------------------------------------------------------- */

/* Where the text after "name :" starts when line is bench's result line ("%-12s : ..."); NULL when
 * it is not. With bench NULL any single-word name matches. */
static const char *after_name(const char *line, const char *bench) {
  const char *p;
  if (bench != NULL) {
    size_t n = strlen(bench);
    if (n == 0 || strncmp(line, bench, n) != 0) return NULL;
    p = line + n;
  } else {
    p = line + strcspn(line, " :");
    if (p == line) return NULL;
  }
  p = skip_spaces(p);
  return *p == ':' ? skip_spaces(p + 1) : NULL;
}

typedef struct result_line {
  int found, skipped;
  double micros_per_op, ops_per_sec, median_ops; /* median_ops: "[MEDIAN n runs]", 0 if none */
  double setup_seconds;                          /* other benchmarks' seconds before it */
  const char *after;                             /* the text after the last result line */
  char skip_text[128];
} result_line;

/* "readrandom [MEDIAN 3 runs] : 216470 ops/sec; ..." (db_bench's "name[X3]" repeats). */
static void median_line(const char *line, const char *bench, result_line *r) {
  size_t n = bench != NULL ? strlen(bench) : 0;
  if (n == 0 || strncmp(line, bench, n) != 0 || !starts_with(line + n, " [MEDIAN ")) return;
  const char *p = strstr(line + n, "] :");
  double ops;
  if (p != NULL && elmo_number_sscanf(p + 3, "%lf ops/sec", &ops) == 1) r->median_ops = ops;
}

static void find_result(const char *output, const char *bench, result_line *r) {
  char line[LINE_CAP];
  const char *pos = output;
  double before = 0; /* the other benchmarks' seconds so far */
  while (next_line(&pos, line, sizeof line)) {
    const char *p = after_name(line, bench);
    double us, ops, secs;
    median_line(line, bench, r);
    const char *other = bench != NULL && p == NULL ? after_name(line, NULL) : NULL;
    if (other != NULL && elmo_number_sscanf(other, "%lf micros/op %lf ops/sec %lf seconds", &us, &ops, &secs) == 3) {
      before += secs; /* e.g. compact before the measured benchmark */
    }
    if (p == NULL) continue;
    if (elmo_number_sscanf(p, "%lf micros/op %lf ops/sec", &us, &ops) == 2) {
      r->found = 1;
      r->skipped = 0;
      r->micros_per_op = us;
      r->ops_per_sec = ops;
      r->median_ops = 0;
      r->after = pos;
      r->setup_seconds = before;
    } else if (starts_with(p, "skipped")) {
      r->skipped = 1;
      snprintf(r->skip_text, sizeof r->skip_text, "%s", p);
    }
  }
}

int elmo_dbbench_count_results(const char *output) {
  char line[LINE_CAP];
  const char *pos = output;
  int n = 0;
  double us, ops;
  while (output != NULL && next_line(&pos, line, sizeof line)) {
    const char *p = after_name(line, NULL);
    n += p != NULL && elmo_number_sscanf(p, "%lf micros/op %lf ops/sec", &us, &ops) == 2;
  }
  return n;
}

/* ---- histograms ------------------------------------------------------------------------------ */

typedef struct bucket {
  uint64_t left, right, count;
} bucket;

typedef struct hist {
  size_t n_types;
  double max_p50, max_p99, max_p999; /* over types: the fallback without bucket lines */
  double read_p99, write_p99;
  enum { OP_OTHER, OP_READ, OP_WRITE } cur; /* the operation type of the block being read */
  int have_min;
  uint64_t min, max, count; /* of all types together */
  int buckets_bad;          /* a block without (or with unreadable) bucket lines */
  uint64_t block_count, block_bucket_sum;
  size_t n_ops;                       /* op[] in use: the blocks seen, up to the cap */
  elmo_op_latency op[ELMO_TRIAL_MAX_OP_TYPES];
  size_t n_buckets;
  bucket b[MAX_BUCKETS]; /* merged, sorted by right edge */
} hist;

static double max_d(double a, double b) { return a > b ? a : b; }

static int add_bucket(hist *h, uint64_t left, uint64_t right, uint64_t count) {
  size_t i = 0;
  while (i < h->n_buckets && h->b[i].right < right) i++;
  if (i < h->n_buckets && h->b[i].right == right) {
    if (h->b[i].left != left) return 0;
    h->b[i].count += count;
    return 1;
  }
  if (h->n_buckets == MAX_BUCKETS) return 0;
  memmove(&h->b[i + 1], &h->b[i], (h->n_buckets - i) * sizeof h->b[0]);
  h->b[i] = (bucket){left, right, count};
  h->n_buckets++;
  return 1;
}

/* Closes the block being read: its bucket lines must add up to its Count. */
static void end_block(hist *h) {
  if (h->n_types > 0 && h->block_bucket_sum != h->block_count) h->buckets_bad = 1;
  h->block_count = h->block_bucket_sum = 0;
}

/* The block being read, when it has a slot in op[]. */
static elmo_op_latency *cur_op(hist *h) {
  return h->n_types > 0 && h->n_types <= ELMO_TRIAL_MAX_OP_TYPES ? &h->op[h->n_types - 1] : NULL;
}

static void start_block(hist *h, const char *type) {
  end_block(h);
  h->n_types++;
  elmo_op_latency *op = cur_op(h);
  if (op != NULL) {
    size_t n = strcspn(type, ":");
    if (n >= sizeof op->type) n = sizeof op->type - 1;
    memcpy(op->type, type, n);
    op->type[n] = '\0';
    h->n_ops = h->n_types;
  }
  h->cur = strcmp(type, "read:") == 0 ? OP_READ : strcmp(type, "write:") == 0 ? OP_WRITE : OP_OTHER;
}

static void percentiles_line(hist *h, const char *line) {
  double p50, p99, p999;
  if (elmo_number_sscanf(line, "Percentiles: P50: %lf P75: %*f P99: %lf P99.9: %lf", &p50, &p99, &p999) != 3) {
    h->buckets_bad = 1;
    return;
  }
  h->max_p50 = max_d(h->max_p50, p50);
  h->max_p99 = max_d(h->max_p99, p99);
  h->max_p999 = max_d(h->max_p999, p999);
  elmo_op_latency *op = cur_op(h);
  if (op != NULL) op->p50_us = p50, op->p99_us = p99, op->p999_us = p999;
  if (h->cur == OP_READ) h->read_p99 = p99;
  if (h->cur == OP_WRITE) h->write_p99 = p99;
}

/* One line of a "Microseconds per X" block. Returns 0 when the line is not part of one. */
static int hist_line(hist *h, const char *line) {
  uint64_t a, b, c;
  double mn, mx;
  if (starts_with(line, "Microseconds per ")) {
    start_block(h, line + strlen("Microseconds per "));
  } else if (h->n_types == 0) {
    return 0;
  } else if (sscanf(line, "Count: %" SCNu64, &c) == 1) {
    h->block_count = c;
    h->count += c;
    elmo_op_latency *op = cur_op(h);
    if (op != NULL) {
      op->count = c;
      if (elmo_number_sscanf(line, "Count: %*u Average: %lf", &op->avg_us) != 1 || op->avg_us < 0) op->avg_us = 0;
    }
  } else if (elmo_number_sscanf(line, "Min: %lf Median: %*f Max: %lf", &mn, &mx) == 2) {
    if (h->block_count > 0 && (!h->have_min || (uint64_t)mn < h->min)) h->min = (uint64_t)mn;
    if (h->block_count > 0) h->have_min = 1;
    if ((uint64_t)mx > h->max) h->max = (uint64_t)mx;
  } else if (starts_with(line, "Percentiles:")) {
    percentiles_line(h, line);
  } else if (starts_with(line, "---")) {
    /* the rule under the summary */
  } else if ((line[0] == '[' || line[0] == '(') &&
             sscanf(line + 1, "%" SCNu64 " , %" SCNu64 " ] %" SCNu64, &a, &b, &c) == 3) {
    if (!add_bucket(h, a, b, c)) h->buckets_bad = 1;
    h->block_bucket_sum += c;
  } else {
    return 0;
  }
  return 1;
}

/* HistogramStat::Percentile on the merged buckets. */
static double percentile(const hist *h, double p) {
  double threshold = (double)h->count * (p / 100.0);
  uint64_t cumulative = 0;
  for (size_t i = 0; i < h->n_buckets; i++) {
    const bucket *b = &h->b[i];
    cumulative += b->count;
    if ((double)cumulative < threshold || b->count == 0) continue;
    double pos = (threshold - (double)(cumulative - b->count)) / (double)b->count;
    double r = (double)b->left + (double)(b->right - b->left) * pos;
    if (r < (double)h->min) r = (double)h->min;
    if (r > (double)h->max) r = (double)h->max;
    return r;
  }
  return (double)h->max;
}

/* Reads the histogram blocks that follow the result line (text from `after`). */
static void read_histograms(const char *after, hist *h, elmo_trial_metrics *m) {
  char line[LINE_CAP];
  const char *pos = after;
  memset(h, 0, sizeof *h);
  while (next_line(&pos, line, sizeof line)) {
    if (line[0] != '\0' && !hist_line(h, line)) break;
  }
  end_block(h);
  if (h->n_types == 0) return;
  double total = 0;
  for (size_t i = 0; i < h->n_ops; i++) total += (double)h->op[i].count * h->op[i].avg_us;
  for (size_t i = 0; i < h->n_ops; i++) {
    h->op[i].time_share = total > 0 ? (double)h->op[i].count * h->op[i].avg_us / total : 0;
  }
  memcpy(m->op_types, h->op, h->n_ops * sizeof h->op[0]);
  m->n_op_types = h->n_ops;
  m->read_p99_us = h->read_p99;
  m->write_p99_us = h->write_p99;
  if (!h->buckets_bad && h->count > 0) {
    m->p50_us = percentile(h, 50);
    m->p99_us = percentile(h, 99);
    m->p999_us = percentile(h, 99.9);
  } else {
    m->p50_us = h->max_p50;
    m->p99_us = h->max_p99;
    m->p999_us = h->max_p999;
  }
}

/* ---- the statistics dump --------------------------------------------------------------------- */

enum {
  T_STALL, T_HIT, T_MISS, T_COMPACT, T_FLUSH, T_WRITTEN, T_PENDING, T_DATA_HIT, T_DATA_MISS, T_KEYS_READ,
  T_COMPACT_MICROS, T_COUNT
};

static const char *const kTickers[T_COUNT] = {
    [T_STALL] = "rocksdb.stall.micros",
    [T_HIT] = "rocksdb.block.cache.hit",
    [T_MISS] = "rocksdb.block.cache.miss",
    [T_COMPACT] = "rocksdb.compact.write.bytes",
    [T_FLUSH] = "rocksdb.flush.write.bytes",
    [T_WRITTEN] = "rocksdb.bytes.written",
    /* a DB property, not a ticker: read only if the output prints it ("name: N", "name : N") */
    [T_PENDING] = "rocksdb.estimate-pending-compaction-bytes",
    [T_DATA_HIT] = "rocksdb.block.cache.data.hit",
    [T_DATA_MISS] = "rocksdb.block.cache.data.miss",
    [T_KEYS_READ] = "rocksdb.number.keys.read",
    /* a histogram: its "SUM : N" is the time compactions ran */
    [T_COMPACT_MICROS] = "rocksdb.compaction.times.micros",
};

/* "name COUNT : 123" (or "name : 123", "name: 123"); the last occurrence wins. */
static void ticker_line(const char *line, double *value, int *found) {
  for (int t = 0; t < T_COUNT; t++) {
    size_t n = strlen(kTickers[t]);
    if (strncmp(line, kTickers[t], n) != 0 || (line[n] != ' ' && line[n] != ':')) continue;
    const char *p = skip_spaces(line + n);
    if (starts_with(p, "COUNT")) p = skip_spaces(p + 5);
    if (starts_with(p, "P50")) { /* a histogram line: "... COUNT : c SUM : s" */
      const char *sum = strstr(p, " SUM ");
      if (sum == NULL) return;
      p = skip_spaces(sum + 4);
    }
    if (*p != ':') return;
    char *end;
    double v = elmo_number_parse(skip_spaces(p + 1), &end);
    if (end == skip_spaces(p + 1)) return;
    value[t] = v;
    found[t] = 1;
    return;
  }
}

static void read_statistics(const char *output, elmo_trial_metrics *m) {
  double v[T_COUNT] = {0};
  int found[T_COUNT] = {0};
  char line[LINE_CAP];
  const char *pos = output;
  while (next_line(&pos, line, sizeof line)) {
    if (starts_with(line, "rocksdb.")) ticker_line(line, v, found);
  }
  m->stall_micros = v[T_STALL];
  if (found[T_HIT] && found[T_MISS] && v[T_HIT] + v[T_MISS] > 0) {
    m->cache_hit_rate = v[T_HIT] / (v[T_HIT] + v[T_MISS]);
  }
  if (v[T_WRITTEN] > 0) m->write_amp = (v[T_FLUSH] + v[T_COMPACT]) / v[T_WRITTEN];
  if (found[T_PENDING] && v[T_PENDING] >= 0) m->pending_compaction_bytes = (uint64_t)v[T_PENDING];
  if (found[T_DATA_HIT] && found[T_DATA_MISS] && v[T_KEYS_READ] > 0) {
    m->blocks_per_get = (v[T_DATA_HIT] + v[T_DATA_MISS]) / v[T_KEYS_READ];
  }
  if (v[T_COMPACT_MICROS] > 0) m->compaction_mb_s = v[T_COMPACT] / v[T_COMPACT_MICROS]; /* bytes/us = MB/s */
}

void elmo_rocksdb_log_stalls(const char *log, elmo_trial_metrics *m) {
  static const struct {
    const char *text;
    int cause; /* 0 L0 files, 1 memtables, 2 pending compaction */
  } kLines[] = {{"writes because we have ", -1}, {"writes because of estimated pending compaction", 2}};
  m->stalls_l0 = m->stalls_memtable = m->stalls_pending = 0;
  char line[LINE_CAP];
  const char *pos = log;
  while (log != NULL && next_line(&pos, line, sizeof line)) {
    if (strstr(line, "Stalling writes") == NULL && strstr(line, "Stopping writes") == NULL) continue;
    for (size_t k = 0; k < sizeof kLines / sizeof kLines[0]; k++) {
      const char *at = strstr(line, kLines[k].text);
      if (at == NULL) continue;
      int cause = kLines[k].cause;
      if (cause < 0) cause = strstr(at, "level-0 files") != NULL ? 0 : strstr(at, "memtables") != NULL ? 1 : -1;
      if (cause == 0) m->stalls_l0++;
      if (cause == 1) m->stalls_memtable++;
      if (cause == 2) m->stalls_pending++;
      break;
    }
  }
}

/* ---- public ---------------------------------------------------------------------------------- */

static void clear_parsed(elmo_trial_metrics *m) {
  m->blocks_per_get = -1;
  m->compaction_mb_s = -1;
  m->ops_per_sec = m->micros_per_op = 0;
  m->p50_us = m->p99_us = m->p999_us = 0;
  m->read_p99_us = m->write_p99_us = 0;
  m->n_op_types = 0;
  memset(m->op_types, 0, sizeof m->op_types);
  m->stall_micros = m->write_amp = 0;
  m->cache_hit_rate = -1;
  m->pending_compaction_bytes = 0;
  m->setup_seconds = 0;
}

elmo_rc elmo_dbbench_parse(const char *output, const char *bench, elmo_trial_metrics *m,
                           elmo_error *err) {
  if (m == NULL) return elmo_error_set(err, ELMO_EINVAL, "dbbench_parse: metrics is NULL");
  clear_parsed(m);
  if (output == NULL) return elmo_error_set(err, ELMO_EINVAL, "dbbench_parse: output is NULL");
  result_line r;
  memset(&r, 0, sizeof r);
  find_result(output, bench, &r);
  const char *name = bench != NULL ? bench : "any benchmark";
  if (!r.found && r.skipped) {
    return elmo_error_set(err, ELMO_EPARSE, "db_bench %s: %s", name, r.skip_text);
  }
  if (!r.found) {
    return elmo_error_set(err, ELMO_EPARSE, "no db_bench result line for %s", name);
  }
  m->micros_per_op = r.micros_per_op;
  m->ops_per_sec = r.median_ops > 0 ? r.median_ops : r.ops_per_sec;
  m->setup_seconds = r.setup_seconds;
  hist *h = malloc(sizeof *h);
  if (h == NULL) return elmo_error_set(err, ELMO_ENOMEM, "dbbench_parse: out of memory");
  read_histograms(r.after, h, m);
  free(h);
  read_statistics(output, m);
  return ELMO_OK;
}

/* One "secs,qps" row. */
static int report_row(const char *line, double *qps) {
  char *end;
  strtoull(line, &end, 10);
  if (end == line || *end != ',') return 0;
  const char *v = end + 1;
  *qps = elmo_number_parse(v, &end);
  return end != v && *skip_spaces(end) == '\0' && *qps >= 0;
}

elmo_rc elmo_dbbench_parse_report(const char *csv, elmo_trial_metrics *m, elmo_error *err) {
  if (m == NULL) return elmo_error_set(err, ELMO_EINVAL, "dbbench_parse_report: metrics is NULL");
  free(m->interval_ops);
  m->interval_ops = NULL;
  m->n_interval = 0;
  if (csv == NULL) return elmo_error_set(err, ELMO_EINVAL, "dbbench_parse_report: csv is NULL");
  char line[LINE_CAP];
  const char *pos = csv;
  if (!next_line(&pos, line, sizeof line) || strcmp(line, "secs_elapsed,interval_qps") != 0) {
    return elmo_error_set(err, ELMO_EPARSE, "report: header is not \"secs_elapsed,interval_qps\"");
  }
  size_t cap = 0, row = 1;
  while (strchr(pos, '\n') != NULL && next_line(&pos, line, sizeof line)) { /* whole lines only */
    double qps;
    row++;
    if (line[0] == '\0') continue;
    if (!report_row(line, &qps)) {
      return elmo_error_set(err, ELMO_EPARSE, "report line %zu: \"%.60s\" is not secs,qps", row,
                            line);
    }
    if (m->n_interval == cap) {
      cap = cap ? cap * 2 : 64;
      double *grown = realloc(m->interval_ops, cap * sizeof *grown);
      if (grown == NULL) return elmo_error_set(err, ELMO_ENOMEM, "report: out of memory");
      m->interval_ops = grown;
    }
    m->interval_ops[m->n_interval++] = qps;
  }
  return ELMO_OK;
}
