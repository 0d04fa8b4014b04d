/* trace_stats.c — the bounded-memory trace characterizer (see trace.h): op mix, QPS windows,
 * size histograms, per-class key statistics (exact while small, then sketches), the key-space
 * histogram and the recency of reads. Pure: it consumes elmo_trace_op structs and builds
 * summaries, nothing else (the JSON writer is trace_json.c). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elmo/trace.h"

#define KINDS ELMO_TRACE_KIND_COUNT
#define CLASSES ELMO_TRACE_CLASS_COUNT
#define EXACT_MIN_CAP 1024
#define HIST_LINEAR 64 /* values below have their own bucket */

/* ---- config -------------------------------------------------------------------------------- */

typedef struct cfg_row {
  const char *name;
  size_t offset;
  uint32_t def, min, max;
  int pow2;
} cfg_row;

static const cfg_row kConfig[] = {
    {"window_sec", offsetof(elmo_trace_stats_config, window_sec), 10, 1, 86400, 0},
    {"max_windows", offsetof(elmo_trace_stats_config, max_windows), 4096, 16, 1u << 20, 0},
    {"exact_key_limit", offsetof(elmo_trace_stats_config, exact_key_limit), 1u << 20, 16, 1u << 24,
     0},
    {"top_k", offsetof(elmo_trace_stats_config, top_k), 1024, 1, 65536, 0},
    {"cms_width", offsetof(elmo_trace_stats_config, cms_width), 1u << 15, 1u << 8, 1u << 24, 1},
    {"cms_depth", offsetof(elmo_trace_stats_config, cms_depth), 4, 1, 8, 0},
    {"hll_precision", offsetof(elmo_trace_stats_config, hll_precision), 14, 4, 18, 0},
    {"keyspace_buckets", offsetof(elmo_trace_stats_config, keyspace_buckets), 1024, 16, 65536, 1},
};
#define CONFIG_ROWS (sizeof(kConfig) / sizeof(kConfig[0]))

static uint32_t *cfg_field(elmo_trace_stats_config *cfg, const cfg_row *row) {
  return (uint32_t *)((char *)cfg + row->offset);
}

void elmo_trace_stats_config_default(elmo_trace_stats_config *cfg) {
  if (cfg == NULL) return;
  for (size_t i = 0; i < CONFIG_ROWS; i++) *cfg_field(cfg, &kConfig[i]) = kConfig[i].def;
}

/* Copies in to out with defaults for zeros; rejects values out of range. */
static elmo_rc config_resolve(const elmo_trace_stats_config *in, elmo_trace_stats_config *out,
                              elmo_error *err) {
  elmo_trace_stats_config given = {0};
  if (in != NULL) given = *in;
  for (size_t i = 0; i < CONFIG_ROWS; i++) {
    const cfg_row *row = &kConfig[i];
    uint32_t v = *cfg_field(&given, row);
    int bad = v != 0 && (v < row->min || v > row->max || (row->pow2 && (v & (v - 1)) != 0));
    if (bad) {
      return elmo_error_set(err, ELMO_ERANGE,
                            "trace stats %s = %" PRIu32 " is out of range %" PRIu32 "..%" PRIu32
                            "%s",
                            row->name, v, row->min, row->max, row->pow2 ? " (a power of two)" : "");
    }
    *cfg_field(out, row) = (v == 0) ? row->def : v;
  }
  return ELMO_OK;
}

/* ---- histograms ---------------------------------------------------------------------------- */

typedef struct hist {
  uint64_t count, min, max;
  double sum;
  uint64_t b[ELMO_TRACE_HIST_BUCKETS];
} hist;

static int log2_floor(uint64_t v) {
  int e = 0;
  while (v >>= 1) e++;
  return e;
}

static size_t hist_index(uint64_t v) {
  if (v < HIST_LINEAR) return (size_t)v;
  int e = log2_floor(v);
  return HIST_LINEAR + (size_t)(e - 6) * 8 + (size_t)((v >> (e - 3)) & 7);
}

static void hist_bounds(size_t i, uint64_t *lo, uint64_t *hi) {
  if (i < HIST_LINEAR) {
    *lo = *hi = i;
    return;
  }
  int e = 6 + (int)((i - HIST_LINEAR) / 8);
  uint64_t sub = (i - HIST_LINEAR) % 8;
  *lo = (8 + sub) << (e - 3);
  *hi = *lo + ((UINT64_C(1) << (e - 3)) - 1);
}

static void hist_add(hist *h, uint64_t v, uint64_t times) {
  if (times == 0) return;
  if (h->count == 0 || v < h->min) h->min = v;
  if (h->count == 0 || v > h->max) h->max = v;
  h->count += times;
  h->sum += (double)v * (double)times;
  h->b[hist_index(v)] += times;
}

static elmo_rc hist_summarize(const hist *h, elmo_trace_hist *out) {
  size_t n = 0;
  memset(out, 0, sizeof(*out));
  for (size_t i = 0; i < ELMO_TRACE_HIST_BUCKETS; i++) n += (h->b[i] != 0);
  out->count = h->count, out->min = h->min, out->max = h->max;
  out->mean = h->count ? h->sum / (double)h->count : 0.0;
  if (n == 0) return ELMO_OK;
  out->buckets = calloc(n, sizeof(*out->buckets));
  if (out->buckets == NULL) return ELMO_ENOMEM;
  for (size_t i = 0; i < ELMO_TRACE_HIST_BUCKETS; i++) {
    if (h->b[i] == 0) continue;
    elmo_trace_bucket *bk = &out->buckets[out->n_buckets++];
    hist_bounds(i, &bk->lo, &bk->hi);
    bk->count = h->b[i];
  }
  return ELMO_OK;
}

/* ---- exact key table ----------------------------------------------------------------------- */

/* Open addressing by 64-bit key hash (0 marks an empty slot, so hash 0 is stored as 1). */
typedef struct exact_table {
  uint64_t *hashes;
  uint32_t *counts;
  uint32_t *inserted; /* with_inserted only: the key's insertion index (1-based), 0 = none yet */
  size_t cap, n, limit;
  int with_inserted; /* 1: keep inserted[] (the write class, for recency) */
  int gone;          /* 1: the class passed the limit and the table was freed */
} exact_table;

#define EXACT_NONE ((size_t)-1) /* no slot: the table is gone */

static size_t exact_slot(const exact_table *t, uint64_t h) {
  size_t i = (size_t)(h ^ (h >> 29)) & (t->cap - 1);
  while (t->hashes[i] != 0 && t->hashes[i] != h) i = (i + 1) & (t->cap - 1);
  return i;
}

static void exact_free(exact_table *t) {
  free(t->hashes), free(t->counts), free(t->inserted);
  t->hashes = NULL, t->counts = NULL, t->inserted = NULL, t->cap = 0;
}

static elmo_rc exact_grow(exact_table *t) {
  exact_table bigger = *t;
  bigger.cap = t->cap ? 2 * t->cap : EXACT_MIN_CAP;
  bigger.hashes = calloc(bigger.cap, sizeof(uint64_t));
  bigger.counts = calloc(bigger.cap, sizeof(uint32_t));
  bigger.inserted = t->with_inserted ? calloc(bigger.cap, sizeof(uint32_t)) : NULL;
  if (bigger.hashes == NULL || bigger.counts == NULL ||
      (t->with_inserted && bigger.inserted == NULL)) {
    exact_free(&bigger);
    return ELMO_ENOMEM;
  }
  for (size_t i = 0; i < t->cap; i++) {
    if (t->hashes[i] == 0) continue;
    size_t j = exact_slot(&bigger, t->hashes[i]);
    bigger.hashes[j] = t->hashes[i], bigger.counts[j] = t->counts[i];
    if (t->with_inserted) bigger.inserted[j] = t->inserted[i];
  }
  exact_free(t);
  *t = bigger;
  return ELMO_OK;
}

/* Counts one access of h; frees the table when the class passes its limit or a count would
 * overflow 32 bits (the class is then approximate, as the summary says). OUT *slot: h's slot,
 * EXACT_NONE when the table is gone. */
static elmo_rc exact_add(exact_table *t, uint64_t h, size_t *slot) {
  *slot = EXACT_NONE;
  if (t->gone) return ELMO_OK;
  if (h == 0) h = 1;
  if (t->cap == 0 || 2 * (t->n + 1) > t->cap) {
    if (t->n + 1 <= t->limit && exact_grow(t) != ELMO_OK) return ELMO_ENOMEM;
  }
  size_t i = exact_slot(t, h);
  if (t->hashes[i] == 0 && t->n + 1 > t->limit) {
    exact_free(t);
    t->gone = 1;
    return ELMO_OK;
  }
  if (t->hashes[i] == 0) t->hashes[i] = h, t->n++;
  if (t->counts[i] == UINT32_MAX) {
    exact_free(t);
    t->gone = 1;
    return ELMO_OK;
  }
  t->counts[i]++;
  *slot = i;
  return ELMO_OK;
}

/* h's slot, or EXACT_NONE when h is not in the table (or the table is gone). */
static size_t exact_find(const exact_table *t, uint64_t h) {
  if (t->gone || t->cap == 0) return EXACT_NONE;
  if (h == 0) h = 1;
  size_t i = exact_slot(t, h);
  return t->hashes[i] == h ? i : EXACT_NONE;
}

static uint32_t exact_count(const exact_table *t, uint64_t h) {
  size_t i = exact_find(t, h);
  return i == EXACT_NONE ? 0 : t->counts[i];
}

/* ---- key-space histogram ------------------------------------------------------------------- */

/* Buckets of width 2^shift from base (a multiple of 2^shift); the range doubles as needed. */
typedef struct keyspace {
  uint64_t *b, *scratch;
  uint32_t nb;
  int log_nb, shift, any;
  uint64_t base, min, max;
} keyspace;

static int ks_fits(const keyspace *k, uint64_t v) {
  return v >= k->base && ((v - k->base) >> k->shift) < k->nb;
}

/* Doubles the bucket width (at the widest, the buckets cover all 64-bit values from 0). */
static void ks_widen(keyspace *k) {
  int cap = 64 - k->log_nb;
  int ns = k->shift + 1;
  uint64_t nbase = (ns >= cap) ? 0 : (k->base & ~((UINT64_C(1) << ns) - 1));
  if (ns > cap) ns = cap;
  memset(k->scratch, 0, k->nb * sizeof(uint64_t));
  for (uint32_t i = 0; i < k->nb; i++) {
    if (k->b[i] == 0) continue;
    uint64_t lo = k->base + ((uint64_t)i << k->shift);
    k->scratch[(lo - nbase) >> ns] += k->b[i];
  }
  uint64_t *t = k->b;
  k->b = k->scratch, k->scratch = t;
  k->shift = ns, k->base = nbase;
}

static void ks_add(keyspace *k, uint64_t v) {
  if (!k->any) {
    k->any = 1;
    k->base = k->min = k->max = v;
  }
  if (v < k->min) k->min = v;
  if (v > k->max) k->max = v;
  while (!ks_fits(k, v)) ks_widen(k);
  k->b[(v - k->base) >> k->shift]++;
}

/* The first 8 key bytes as a big-endian number, zero-padded. */
static uint64_t key_prefix(const char *key, size_t len) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; i++) v = (v << 8) | (i < len ? (unsigned char)key[i] : 0);
  return v;
}

/* ---- QPS windows --------------------------------------------------------------------------- */

typedef struct windows {
  uint64_t *c; /* max windows rows of KINDS counters */
  uint32_t max, used, merges;
  uint64_t width_us;
} windows;

static void win_merge(windows *w) {
  uint32_t half = (w->max + 1) / 2;
  for (uint32_t i = 0; i < half; i++) {
    uint64_t *dst = w->c + (size_t)i * KINDS, *a = w->c + (size_t)2 * i * KINDS;
    for (int k = 0; k < KINDS; k++) dst[k] = a[k] + (2 * i + 1 < w->max ? a[KINDS + k] : 0);
  }
  memset(w->c + (size_t)half * KINDS, 0, (size_t)(w->max - half) * KINDS * sizeof(uint64_t));
  w->used = (w->used + 1) / 2;
  w->width_us *= 2;
  w->merges++;
}

static void win_add(windows *w, uint64_t since_first_us, elmo_trace_kind kind) {
  while (since_first_us / w->width_us >= w->max) win_merge(w);
  uint32_t i = (uint32_t)(since_first_us / w->width_us);
  w->c[(size_t)i * KINDS + kind]++;
  if (i + 1 > w->used) w->used = i + 1;
}

/* ---- the characterizer --------------------------------------------------------------------- */

typedef struct klass {
  uint64_t accesses;
  exact_table exact;
  elmo_trace_hll *hll;
  elmo_trace_cms *cms;
  elmo_trace_topk *topk;
  keyspace ks;
} klass;

struct elmo_trace_stats {
  elmo_trace_stats_config cfg;
  uint64_t ops, counts[KINDS];
  int any;
  uint64_t first_ts, last_ts, before_first;
  windows win;
  hist key_size, value_size, batch_ops, multiget_keys;
  uint64_t seeks_lower, seeks_upper;
  klass cls[CLASSES];
  struct {
    int stopped;
    uint64_t stopped_at_op, inserts, reads, reads_inserted, reads_not_inserted, untracked;
    hist ranks, pool;
  } rec; /* recency of reads (trace.h, elmo_trace_recency) */
  uint64_t thread_counts[ELMO_TRACE_MAX_THREADS + 1][KINDS]; /* by thread id; [0]: unknown */
  uint64_t thread_overflow;
  hist scan_length;
};

const char *elmo_trace_class_name(elmo_trace_class c) {
  static const char *const kNames[CLASSES] = {"all", "read", "write", "scan"};
  return ((unsigned)c < CLASSES) ? kNames[c] : "unknown";
}

static elmo_trace_class class_of(elmo_trace_kind kind) {
  switch (kind) {
    case ELMO_TRACE_GET:
    case ELMO_TRACE_MULTIGET:
      return ELMO_TRACE_CLASS_READ;
    case ELMO_TRACE_SEEK:
    case ELMO_TRACE_SEEK_FOR_PREV:
      return ELMO_TRACE_CLASS_SCAN;
    default:
      return ELMO_TRACE_CLASS_WRITE;
  }
}

static elmo_rc klass_init(klass *k, const elmo_trace_stats_config *cfg, elmo_error *err) {
  k->exact.limit = cfg->exact_key_limit;
  elmo_rc rc = elmo_trace_hll_create((int)cfg->hll_precision, &k->hll, err);
  if (rc == ELMO_OK) rc = elmo_trace_cms_create(cfg->cms_width, cfg->cms_depth, &k->cms, err);
  if (rc == ELMO_OK) rc = elmo_trace_topk_create(cfg->top_k, &k->topk, err);
  if (rc != ELMO_OK) return rc;
  k->ks.nb = cfg->keyspace_buckets;
  k->ks.log_nb = log2_floor(cfg->keyspace_buckets);
  k->ks.b = calloc(k->ks.nb, sizeof(uint64_t));
  k->ks.scratch = calloc(k->ks.nb, sizeof(uint64_t));
  if (k->ks.b == NULL || k->ks.scratch == NULL) {
    return elmo_error_set(err, ELMO_ENOMEM, "no memory for the key-space histogram");
  }
  return ELMO_OK;
}

static void klass_free(klass *k) {
  exact_free(&k->exact);
  elmo_trace_hll_destroy(k->hll);
  elmo_trace_cms_destroy(k->cms);
  elmo_trace_topk_destroy(k->topk);
  free(k->ks.b);
  free(k->ks.scratch);
}

elmo_rc elmo_trace_stats_create(const elmo_trace_stats_config *cfg, elmo_trace_stats **out,
                                elmo_error *err) {
  if (out == NULL) return elmo_error_set(err, ELMO_EINVAL, "out must not be NULL");
  *out = NULL;
  elmo_trace_stats_config c;
  elmo_rc rc = config_resolve(cfg, &c, err);
  if (rc != ELMO_OK) return rc;
  elmo_trace_stats *s = calloc(1, sizeof(*s));
  if (s == NULL) return elmo_error_set(err, ELMO_ENOMEM, "no memory for trace stats");
  s->cfg = c;
  s->win.max = c.max_windows;
  s->win.width_us = (uint64_t)c.window_sec * 1000000u;
  s->win.c = calloc((size_t)c.max_windows * KINDS, sizeof(uint64_t));
  if (s->win.c == NULL)
    rc = elmo_error_set(err, ELMO_ENOMEM, "no memory for %u QPS windows", c.max_windows);
  for (int i = 0; i < CLASSES && rc == ELMO_OK; i++) rc = klass_init(&s->cls[i], &c, err);
  s->cls[ELMO_TRACE_CLASS_WRITE].exact.with_inserted = 1;
  if (rc != ELMO_OK) {
    elmo_trace_stats_destroy(s);
    return rc;
  }
  *out = s;
  return ELMO_OK;
}

void elmo_trace_stats_destroy(elmo_trace_stats *s) {
  if (s == NULL) return;
  for (int i = 0; i < CLASSES; i++) klass_free(&s->cls[i]);
  free(s->win.c);
  free(s);
}

static elmo_rc klass_add(klass *k, uint64_t h, const elmo_trace_op *op, size_t *slot) {
  k->accesses++;
  elmo_trace_hll_add(k->hll, h);
  elmo_trace_cms_add(k->cms, h, 1);
  elmo_trace_topk_add(k->topk, h, op->key, op->key_len);
  ks_add(&k->ks, key_prefix(op->key, op->key_len));
  return exact_add(&k->exact, h, slot);
}

static int is_read(elmo_trace_kind kind) { return class_of(kind) != ELMO_TRACE_CLASS_WRITE; }

/* Recency (elmo_trace_recency): a PUT or MERGE inserts its key the first time (slot: its slot in
 * the write table, after the op was counted); a read of an inserted key records its rank. The
 * insertion indices are in the write class's exact table: once it is gone, nothing is recorded. */
static void add_recency(elmo_trace_stats *s, const elmo_trace_op *op, uint64_t h, size_t slot) {
  exact_table *w = &s->cls[ELMO_TRACE_CLASS_WRITE].exact;
  if (w->gone && !s->rec.stopped) s->rec.stopped = 1, s->rec.stopped_at_op = s->ops - 1;
  if (op->kind == ELMO_TRACE_PUT || op->kind == ELMO_TRACE_MERGE) {
    if (slot != EXACT_NONE && w->inserted[slot] == 0) {
      w->inserted[slot] = (uint32_t)++s->rec.inserts; /* <= exact_key_limit <= 2^24 */
    }
    return;
  }
  if (!is_read(op->kind)) return;
  if (s->rec.stopped) {
    s->rec.untracked++;
    return;
  }
  s->rec.reads++;
  size_t i = exact_find(w, h);
  if (i == EXACT_NONE || w->inserted[i] == 0) {
    s->rec.reads_not_inserted++;
    return;
  }
  s->rec.reads_inserted++;
  hist_add(&s->rec.ranks, s->rec.inserts - w->inserted[i] + 1, 1);
  hist_add(&s->rec.pool, s->rec.inserts, 1);
}

static void add_times(elmo_trace_stats *s, const elmo_trace_op *op) {
  if (!s->any) {
    s->any = 1;
    s->first_ts = s->last_ts = op->timestamp_us;
  }
  if (op->timestamp_us > s->last_ts) s->last_ts = op->timestamp_us;
  uint64_t since = 0;
  if (op->timestamp_us < s->first_ts) {
    s->before_first++;
  } else {
    since = op->timestamp_us - s->first_ts;
  }
  win_add(&s->win, since, op->kind);
}

static void add_sizes(elmo_trace_stats *s, const elmo_trace_op *op) {
  hist_add(&s->key_size, op->key_len, 1);
  if (op->kind == ELMO_TRACE_PUT || op->kind == ELMO_TRACE_MERGE) {
    hist_add(&s->value_size, op->value_len, 1);
  }
  if (op->index_in_record == 0 && class_of(op->kind) == ELMO_TRACE_CLASS_WRITE) {
    hist_add(&s->batch_ops, op->ops_in_record, 1);
  }
  if (op->index_in_record == 0 && op->kind == ELMO_TRACE_MULTIGET) {
    hist_add(&s->multiget_keys, op->ops_in_record, 1);
  }
  if (op->kind == ELMO_TRACE_SEEK || op->kind == ELMO_TRACE_SEEK_FOR_PREV) {
    s->seeks_lower += (op->lower_bound != NULL);
    s->seeks_upper += (op->upper_bound != NULL);
    if (op->has_scan_length) hist_add(&s->scan_length, op->scan_length, 1);
  }
}

static void add_thread(elmo_trace_stats *s, const elmo_trace_op *op) {
  if (op->thread > ELMO_TRACE_MAX_THREADS) {
    s->thread_overflow++;
  } else {
    s->thread_counts[op->thread][op->kind]++;
  }
}

elmo_rc elmo_trace_stats_add(elmo_trace_stats *s, const elmo_trace_op *op, elmo_error *err) {
  if (s == NULL || op == NULL)
    return elmo_error_set(err, ELMO_EINVAL, "stats and op must not be NULL");
  if (op->kind <= ELMO_TRACE_END || op->kind >= KINDS) {
    return elmo_error_set(err, ELMO_EINVAL, "op kind %d is not an operation (1..%d)", (int)op->kind,
                          KINDS - 1);
  }
  if (op->key == NULL && op->key_len > 0) {
    return elmo_error_set(err, ELMO_EINVAL, "op key is NULL with key_len %zu", op->key_len);
  }
  s->ops++;
  s->counts[op->kind]++;
  add_times(s, op);
  add_sizes(s, op);
  add_thread(s, op);
  uint64_t h = elmo_trace_hash(op->key, op->key_len, 0);
  elmo_trace_class cl = class_of(op->kind);
  size_t slot_all, slot;
  if (klass_add(&s->cls[ELMO_TRACE_CLASS_ALL], h, op, &slot_all) != ELMO_OK ||
      klass_add(&s->cls[cl], h, op, &slot) != ELMO_OK) {
    return elmo_error_set(err, ELMO_ENOMEM, "no memory to grow the exact key table");
  }
  add_recency(s, op, h, slot);
  return ELMO_OK;
}

uint64_t elmo_trace_stats_key_count(const elmo_trace_stats *s, elmo_trace_class c, const char *key,
                                    size_t key_len) {
  if (s == NULL || (unsigned)c >= CLASSES || (key == NULL && key_len > 0)) return 0;
  const klass *k = &s->cls[c];
  uint64_t h = elmo_trace_hash(key, key_len, 0);
  if (!k->exact.gone) return exact_count(&k->exact, h);
  return elmo_trace_cms_estimate(k->cms, h);
}

/* ---- summaries ----------------------------------------------------------------------------- */

static int cmp_u64_desc(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x < y) - (x > y);
}

static int cmp_hitter(const void *a, const void *b) {
  const elmo_trace_hitter *x = a, *y = b;
  if (x->count != y->count) return (x->count < y->count) - (x->count > y->count);
  size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
  if (n > ELMO_TRACE_KEY_PREFIX) n = ELMO_TRACE_KEY_PREFIX;
  int c = memcmp(x->key, y->key, n);
  return c != 0 ? c : (x->key_len > y->key_len) - (x->key_len < y->key_len);
}

/* Min-heap step for selecting the largest counts. */
static void sift_min(uint64_t *h, size_t n, size_t i) {
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, m = i;
    if (l < n && h[l] < h[m]) m = l;
    if (r < n && h[r] < h[m]) m = r;
    if (m == i) return;
    uint64_t t = h[i];
    h[i] = h[m], h[m] = t;
    i = m;
  }
}

/* The exact table's largest counts (at most want), descending, and the frequency histogram. */
static elmo_rc exact_ranked(const exact_table *t, size_t want, elmo_trace_class_summary *cs,
                            hist *freq) {
  size_t n = 0;
  uint64_t *top = calloc(want ? want : 1, sizeof(uint64_t));
  if (top == NULL) return ELMO_ENOMEM;
  for (size_t i = 0; i < t->cap; i++) {
    if (t->hashes[i] == 0) continue;
    uint64_t c = t->counts[i];
    hist_add(freq, c, 1);
    if (n < want) {
      top[n++] = c;
      if (n == want) {
        for (size_t j = n / 2; j-- > 0;) sift_min(top, n, j);
      }
    } else if (want > 0 && c > top[0]) {
      top[0] = c;
      sift_min(top, n, 0);
    }
  }
  qsort(top, n, sizeof(uint64_t), cmp_u64_desc);
  cs->ranked = top, cs->n_ranked = n;
  return ELMO_OK;
}

static elmo_rc class_hitters(const klass *k, elmo_trace_class_summary *cs) {
  size_t n;
  const elmo_trace_topk_entry *e = elmo_trace_topk_entries(k->topk, &n);
  if (n == 0) return ELMO_OK;
  cs->hitters = calloc(n, sizeof(*cs->hitters));
  if (cs->hitters == NULL) return ELMO_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    elmo_trace_hitter *h = &cs->hitters[i];
    if (cs->exact) {
      h->count = h->count_lower = exact_count(&k->exact, e[i].hash);
    } else {
      uint64_t cms = elmo_trace_cms_estimate(k->cms, e[i].hash);
      h->count = cms < e[i].count ? cms : e[i].count;
      h->count_lower = e[i].count - e[i].error;
    }
    h->key_len = e[i].key_len;
    memcpy(h->key, e[i].key, sizeof(h->key));
  }
  cs->n_hitters = n;
  qsort(cs->hitters, n, sizeof(*cs->hitters), cmp_hitter);
  return ELMO_OK;
}

static elmo_rc class_ranked_approx(elmo_trace_class_summary *cs) {
  if (cs->n_hitters == 0) return ELMO_OK;
  cs->ranked = calloc(cs->n_hitters, sizeof(uint64_t));
  if (cs->ranked == NULL) return ELMO_ENOMEM;
  for (size_t i = 0; i < cs->n_hitters; i++) cs->ranked[i] = cs->hitters[i].count;
  cs->n_ranked = cs->n_hitters;
  qsort(cs->ranked, cs->n_ranked, sizeof(uint64_t), cmp_u64_desc);
  return ELMO_OK;
}

static elmo_rc class_keyspace(const keyspace *ks, elmo_trace_class_summary *cs) {
  cs->key_prefix_min = ks->min, cs->key_prefix_max = ks->max;
  cs->keyspace_lo = ks->base;
  cs->keyspace_width = UINT64_C(1) << ks->shift;
  cs->keyspace = calloc(ks->nb, sizeof(uint64_t));
  if (cs->keyspace == NULL) return ELMO_ENOMEM;
  memcpy(cs->keyspace, ks->b, ks->nb * sizeof(uint64_t));
  cs->n_keyspace = ks->nb;
  return ELMO_OK;
}

static elmo_rc class_summarize(const klass *k, uint32_t top_k, elmo_trace_class_summary *cs) {
  cs->accesses = k->accesses;
  cs->exact = !k->exact.gone;
  elmo_rc rc = class_hitters(k, cs);
  if (rc == ELMO_OK) rc = class_keyspace(&k->ks, cs);
  if (rc != ELMO_OK) return rc;
  if (cs->exact) {
    hist *freq = calloc(1, sizeof(*freq));
    if (freq == NULL) return ELMO_ENOMEM;
    cs->distinct = k->exact.n;
    rc = exact_ranked(&k->exact, top_k, cs, freq);
    if (rc == ELMO_OK) rc = hist_summarize(freq, &cs->freq);
    free(freq);
    return rc;
  }
  double est = elmo_trace_hll_estimate(k->hll);
  cs->distinct = (uint64_t)(est + 0.5);
  cs->distinct_rel_error = elmo_trace_hll_rel_error(k->hll);
  cs->count_error_bound = (uint64_t)ceil(elmo_trace_cms_epsilon(k->cms) * (double)k->accesses);
  cs->count_error_delta = elmo_trace_cms_delta(k->cms);
  return class_ranked_approx(cs);
}

static elmo_rc summarize_windows(const elmo_trace_stats *s, elmo_trace_summary *sum) {
  const windows *w = &s->win;
  sum->window_us = w->width_us;
  sum->window_merges = w->merges;
  if (w->used == 0) return ELMO_OK;
  sum->windows = calloc(w->used, sizeof(*sum->windows));
  if (sum->windows == NULL) return ELMO_ENOMEM;
  sum->n_windows = w->used;
  for (uint32_t i = 0; i < w->used; i++) {
    elmo_trace_window *out = &sum->windows[i];
    out->start_us = (uint64_t)i * w->width_us;
    for (int k = 0; k < KINDS; k++) {
      out->counts[k] = w->c[(size_t)i * KINDS + k];
      out->total += out->counts[k];
    }
  }
  return ELMO_OK;
}

static elmo_rc summarize_threads(const elmo_trace_stats *s, elmo_trace_summary *sum) {
  sum->ops_thread_overflow = s->thread_overflow;
  for (int k = 0; k < KINDS; k++) sum->ops_thread_unknown += s->thread_counts[0][k];
  size_t n = 0;
  for (uint32_t id = 1; id <= ELMO_TRACE_MAX_THREADS; id++) {
    for (int k = 0; k < KINDS; k++) {
      if (s->thread_counts[id][k] != 0) {
        n++;
        break;
      }
    }
  }
  if (n == 0) return ELMO_OK;
  sum->threads = calloc(n, sizeof(*sum->threads));
  if (sum->threads == NULL) return ELMO_ENOMEM;
  for (uint32_t id = 1; id <= ELMO_TRACE_MAX_THREADS; id++) {
    elmo_trace_thread t = {.id = id};
    for (int k = 0; k < KINDS; k++) {
      t.counts[k] = s->thread_counts[id][k];
      t.ops += t.counts[k];
    }
    if (t.ops != 0) sum->threads[sum->n_threads++] = t;
  }
  return ELMO_OK;
}

static elmo_rc summarize_all(const elmo_trace_stats *s, elmo_trace_summary *sum) {
  sum->ops = s->ops;
  for (int k = 0; k < KINDS; k++) {
    sum->counts[k] = s->counts[k];
    sum->fractions[k] = s->ops ? (double)s->counts[k] / (double)s->ops : 0.0;
  }
  sum->first_ts_us = s->first_ts, sum->last_ts_us = s->last_ts;
  sum->duration_us = s->last_ts - s->first_ts;
  sum->ts_before_first = s->before_first;
  sum->seeks_with_lower = s->seeks_lower, sum->seeks_with_upper = s->seeks_upper;
  elmo_rc rc = summarize_windows(s, sum);
  if (rc == ELMO_OK) rc = hist_summarize(&s->key_size, &sum->key_size);
  if (rc == ELMO_OK) rc = hist_summarize(&s->value_size, &sum->value_size);
  if (rc == ELMO_OK) rc = hist_summarize(&s->batch_ops, &sum->batch_ops);
  if (rc == ELMO_OK) rc = hist_summarize(&s->multiget_keys, &sum->multiget_keys);
  for (int c = 0; c < CLASSES && rc == ELMO_OK; c++) {
    rc = class_summarize(&s->cls[c], s->cfg.top_k, &sum->classes[c]);
  }
  elmo_trace_recency *r = &sum->recency;
  r->exact = !s->rec.stopped, r->stopped_at_op = s->rec.stopped_at_op;
  r->inserts = s->rec.inserts, r->reads = s->rec.reads, r->reads_inserted = s->rec.reads_inserted;
  r->reads_not_inserted = s->rec.reads_not_inserted, r->reads_untracked = s->rec.untracked;
  if (rc == ELMO_OK) rc = hist_summarize(&s->rec.ranks, &r->ranks);
  if (rc == ELMO_OK) rc = hist_summarize(&s->rec.pool, &r->pool);
  if (rc == ELMO_OK) rc = hist_summarize(&s->scan_length, &sum->scan_length);
  if (rc == ELMO_OK) rc = summarize_threads(s, sum);
  return rc;
}

elmo_rc elmo_trace_stats_summarize(const elmo_trace_stats *s, elmo_trace_summary **out,
                                   elmo_error *err) {
  if (out != NULL) *out = NULL;
  if (s == NULL || out == NULL)
    return elmo_error_set(err, ELMO_EINVAL, "stats and out must not be NULL");
  elmo_trace_summary *sum = calloc(1, sizeof(*sum));
  if (sum == NULL || summarize_all(s, sum) != ELMO_OK) {
    elmo_trace_summary_destroy(sum);
    return elmo_error_set(err, ELMO_ENOMEM, "no memory for the trace summary");
  }
  *out = sum;
  return ELMO_OK;
}

void elmo_trace_summary_destroy(elmo_trace_summary *sum) {
  if (sum == NULL) return;
  free(sum->windows);
  free(sum->key_size.buckets);
  free(sum->value_size.buckets);
  free(sum->batch_ops.buckets);
  free(sum->multiget_keys.buckets);
  free(sum->recency.ranks.buckets);
  free(sum->recency.pool.buckets);
  free(sum->scan_length.buckets);
  free(sum->threads);
  for (int c = 0; c < CLASSES; c++) {
    elmo_trace_class_summary *cs = &sum->classes[c];
    free(cs->hitters);
    free(cs->ranked);
    free(cs->freq.buckets);
    free(cs->keyspace);
  }
  free(sum);
}
