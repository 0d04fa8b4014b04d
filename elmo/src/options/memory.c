/* memory.c — how much memory a RocksDB configuration will use (model in memory.h, derivation and
 * defaults in docs/MEMORY.md). Pure: reads the optfile, writes the breakdown. */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elmo/memory.h"
#include "elmo/value.h"
#include "base/textutil.h"

#define KIB (1024ull)
#define MIB (1024ull * KIB)
#define GIB (1024ull * MIB)

/* RocksDB 7.8.3 defaults and sanitizing limits (see docs/MEMORY.md for where each comes from). */
#define DEF_WRITE_BUFFER_SIZE (64 * MIB)       /* bytes: options.h */
#define MIN_WRITE_BUFFER_SIZE (64 * KIB)       /* bytes: SanitizeOptions, column_family.cc */
#define MAX_WRITE_BUFFER_SIZE (64 * GIB)       /* bytes: SanitizeOptions on 64-bit */
#define DEF_MAX_WRITE_BUFFER_NUMBER 2          /* also the sanitized minimum */
#define DEF_BLOCK_CACHE (8 * MIB)              /* bytes: one per table factory */
#define DEF_BLOCK_SIZE 4096                    /* bytes: table.h */
#define DEF_MAX_BACKGROUND_JOBS 2              /* options.h */
#define DEF_TARGET_FILE_SIZE_BASE (64 * MIB)   /* bytes: advanced_options.h */
#define DEF_WRITABLE_FILE_MAX_BUFFER (1 * MIB) /* bytes: db_options.cc */
#define DIRECT_READS_READAHEAD (2 * MIB)       /* bytes: db_impl_open.cc with use_direct_reads */
#define ASSUMED_FILTER_MILLIBITS 10000         /* a filter whose bits the file does not give */
#define INDEX_ENTRY_OVERHEAD 24                /* bytes per index entry beside the key */
#define FIXED_OVERHEAD (24 * MIB)              /* bytes: process, threads, allocator slack */

/* ---- saturating arithmetic and strict number parsing ----------------------------------------- */

static uint64_t sat_add(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

static uint64_t sat_mul(uint64_t a, uint64_t b) {
  return (a != 0 && b > UINT64_MAX / a) ? UINT64_MAX : a * b;
}

/* Plain decimal digits, as RocksDB writes integers. Returns 1 and *out, or 0. */

static int parse_i64(const char *s, int64_t *out) {
  uint64_t v;
  int neg = s != NULL && *s == '-';
  if (!elmo_parse_plain_u64(neg ? s + 1 : s, &v) || v > (uint64_t)INT64_MAX) return 0;
  *out = neg ? -(int64_t)v : (int64_t)v;
  return 1;
}

static uint64_t opt_u64(const elmo_optfile *f, elmo_section s, const char *cf, const char *key,
                        uint64_t def) {
  uint64_t v;
  return elmo_parse_plain_u64(elmo_optfile_get(f, s, cf, key), &v) ? v : def;
}

static int64_t opt_i64(const elmo_optfile *f, elmo_section s, const char *cf, const char *key,
                       int64_t def) {
  int64_t v;
  return parse_i64(elmo_optfile_get(f, s, cf, key), &v) ? v : def;
}

static int opt_bool(const elmo_optfile *f, elmo_section s, const char *cf, const char *key,
                    int def) {
  const char *v = elmo_optfile_get(f, s, cf, key);
  if (v != NULL && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0)) return 1;
  if (v != NULL && (strcmp(v, "false") == 0 || strcmp(v, "0") == 0)) return 0;
  return def;
}

/* A cache value as Cache::CreateFromString reads it: "1073741824" or "capacity=1073741824;...". */
static int parse_cache_capacity(const char *v, uint64_t *out) {
  if (v == NULL) return 0;
  if (elmo_parse_plain_u64(v, out)) return 1;
  const char *p = strstr(v, "capacity=");
  if (p == NULL || (p != v && p[-1] != '{' && p[-1] != ';')) return 0;
  p += strlen("capacity=");
  size_t n = strspn(p, "0123456789");
  if (n == 0 || n > 20 || (p[n] != '\0' && p[n] != ';' && p[n] != '}')) return 0;
  char digits[21];
  memcpy(digits, p, n);
  digits[n] = '\0';
  return elmo_parse_plain_u64(digits, out);
}

/* Bits per key (in thousandths) of a filter_policy value: "bloomfilter:10:false",
 * "ribbonfilter:9.5", "rocksdb.BuiltinBloomFilter", "nullptr". */
static uint64_t filter_millibits(const char *v) {
  static const char *const kNames[] = {"bloomfilter",
                                       "rocksdb.BloomFilter",
                                       "ribbonfilter",
                                       "rocksdb.RibbonFilter",
                                       "rocksdb.internal.LegacyBloomFilter",
                                       "rocksdb.internal.FastLocalBloomFilter",
                                       "rocksdb.internal.Standard128RibbonFilter",
                                       NULL};
  if (v == NULL || *v == '\0' || strcmp(v, "nullptr") == 0) return 0;
  if (strcmp(v, "rocksdb.BuiltinBloomFilter") == 0) return ASSUMED_FILTER_MILLIBITS;
  for (const char *const *n = kNames; *n != NULL; n++) {
    size_t len = strlen(*n);
    if (strncmp(v, *n, len) != 0 || (v[len] != '\0' && v[len] != ':')) continue;
    if (v[len] == '\0') return ASSUMED_FILTER_MILLIBITS; /* RocksDB 7.8.3 writes no bits */
    const char *p = v + len + 1;
    size_t whole = strspn(p, "0123456789");
    if (whole == 0 || whole > 6) return ASSUMED_FILTER_MILLIBITS;
    uint64_t milli = strtoull(p, NULL, 10) * 1000;
    p += whole;
    if (*p == '.') {
      for (uint64_t scale = 100; *++p >= '0' && *p <= '9'; scale /= 10) {
        milli += (uint64_t)(*p - '0') * scale;
      }
    }
    if (*p != '\0' && *p != ':') return ASSUMED_FILTER_MILLIBITS;
    return milli < 500 ? 0 : milli; /* RocksDB: under 0.5 bits/key means no filter */
  }
  return 0; /* not a built-in filter: not modeled */
}

/* ---- per column family facts ----------------------------------------------------------------- */

typedef struct table_facts {
  int has_cache;          /* block-based table with a block cache */
  int cache_shared;       /* the capacity came from block_cache=: equal values are one cache */
  uint64_t cache;         /* bytes */
  int index_in_cache;     /* cache_index_and_filter_blocks */
  uint64_t block_size;    /* bytes */
  uint64_t filter_millis; /* filter bits per key × 1000 */
} table_facts;

/* The model's column families: those of the file, or "default" alone when it has none. */
static size_t cf_total(const elmo_optfile *f) {
  size_t n = elmo_optfile_cf_count(f);
  return n ? n : 1;
}

static const char *cf_at(const elmo_optfile *f, size_t i) {
  return elmo_optfile_cf_count(f) ? elmo_optfile_cf_name(f, i) : "default";
}

static void read_table(const elmo_optfile *f, const char *cf, table_facts *t) {
  const elmo_section T = ELMO_SECTION_TABLE;
  const char *factory = elmo_optfile_get(f, ELMO_SECTION_CF, cf, "table_factory");
  int block_based = factory == NULL || strcmp(factory, "BlockBasedTable") == 0;
  memset(t, 0, sizeof(*t));
  t->has_cache = block_based && !opt_bool(f, T, cf, "no_block_cache", 0);
  if (t->has_cache) {
    t->cache_shared = parse_cache_capacity(elmo_optfile_get(f, T, cf, "block_cache"), &t->cache);
    if (!t->cache_shared) t->cache = DEF_BLOCK_CACHE;
  }
  t->index_in_cache = block_based && opt_bool(f, T, cf, "cache_index_and_filter_blocks", 0);
  t->block_size = opt_u64(f, T, cf, "block_size", DEF_BLOCK_SIZE);
  if (t->block_size == 0) t->block_size = DEF_BLOCK_SIZE;
  t->filter_millis = filter_millibits(elmo_optfile_get(f, T, cf, "filter_policy"));
}

/* ---- the terms ------------------------------------------------------------------------------- */

static int same_cache_earlier(const elmo_optfile *f, size_t i, uint64_t cache) {
  for (size_t j = 0; j < i; j++) {
    table_facts t;
    read_table(f, cf_at(f, j), &t);
    if (t.has_cache && t.cache_shared && t.cache == cache) return 1;
  }
  return 0;
}

static uint64_t block_cache_term(const elmo_optfile *f) {
  uint64_t sum = 0;
  for (size_t i = 0; i < cf_total(f); i++) {
    table_facts t;
    read_table(f, cf_at(f, i), &t);
    if (!t.has_cache || (t.cache_shared && same_cache_earlier(f, i, t.cache))) continue;
    sum = sat_add(sum, t.cache);
  }
  return sum;
}

static uint64_t memtable_term(const elmo_optfile *f) {
  const elmo_section C = ELMO_SECTION_CF;
  uint64_t sum = 0;
  for (size_t i = 0; i < cf_total(f); i++) {
    const char *cf = cf_at(f, i);
    uint64_t size = opt_u64(f, C, cf, "write_buffer_size", DEF_WRITE_BUFFER_SIZE);
    if (size < MIN_WRITE_BUFFER_SIZE) size = MIN_WRITE_BUFFER_SIZE;
    if (size > MAX_WRITE_BUFFER_SIZE) size = MAX_WRITE_BUFFER_SIZE;
    int64_t count = opt_i64(f, C, cf, "max_write_buffer_number", DEF_MAX_WRITE_BUFFER_NUMBER);
    if (count < DEF_MAX_WRITE_BUFFER_NUMBER) count = DEF_MAX_WRITE_BUFFER_NUMBER;
    sum = sat_add(sum, sat_mul(size, (uint64_t)count));
  }
  uint64_t cap = opt_u64(f, ELMO_SECTION_DB, NULL, "db_write_buffer_size", 0);
  return (cap > 0 && sum > cap) ? cap : sum;
}

/* Index and filter blocks of the dataset, with the first column family's table options. */
static uint64_t table_reader_term(const elmo_optfile *f, const elmo_dataset *ds, int *known) {
  *known = ds != NULL && (ds->num_keys > 0 || ds->data_bytes > 0);
  if (!*known) return 0;
  table_facts t;
  read_table(f, cf_at(f, 0), &t);
  uint64_t data = ds->data_bytes;
  if (data == 0) data = sat_mul(ds->num_keys, sat_add(ds->avg_key_bytes, ds->avg_value_bytes));
  uint64_t index = sat_mul(data / t.block_size, sat_add(ds->avg_key_bytes, INDEX_ENTRY_OVERHEAD));
  uint64_t filter = sat_mul(ds->num_keys, t.filter_millis) / 8000;
  uint64_t raw = sat_add(index, filter);
  if (t.index_in_cache && t.has_cache) return raw > t.cache ? raw - t.cache : 0;
  return raw;
}

/* Flush and compaction buffers, with DBImpl::GetBGJobLimits' split of the background jobs. */
static uint64_t background_term(const elmo_optfile *f) {
  const elmo_section D = ELMO_SECTION_DB;
  int64_t jobs = opt_i64(f, D, NULL, "max_background_jobs", DEF_MAX_BACKGROUND_JOBS);
  int64_t flushes = opt_i64(f, D, NULL, "max_background_flushes", -1);
  int64_t compactions = opt_i64(f, D, NULL, "max_background_compactions", -1);
  if (flushes == -1 && compactions == -1) {
    flushes = jobs / 4 < 1 ? 1 : jobs / 4;
    compactions = jobs - flushes;
  }
  if (flushes < 1) flushes = 1;
  if (compactions < 1) compactions = 1;
  int64_t sub = opt_i64(f, D, NULL, "max_subcompactions", 1);
  if (sub < 1) sub = 1;
  uint64_t readahead = opt_u64(f, D, NULL, "compaction_readahead_size", 0);
  if (readahead == 0 && opt_bool(f, D, NULL, "use_direct_reads", 0))
    readahead = DIRECT_READS_READAHEAD;
  uint64_t target = 0;
  for (size_t i = 0; i < cf_total(f); i++) {
    uint64_t t = opt_u64(f, ELMO_SECTION_CF, cf_at(f, i), "target_file_size_base",
                         DEF_TARGET_FILE_SIZE_BASE);
    if (t > target) target = t;
  }
  uint64_t out = sat_mul(2, target);
  uint64_t bound =
      opt_u64(f, D, NULL, "writable_file_max_buffer_size", DEF_WRITABLE_FILE_MAX_BUFFER);
  if (out > bound) out = bound;
  uint64_t compaction_jobs = sat_mul((uint64_t)compactions, (uint64_t)sub);
  return sat_add(sat_mul((uint64_t)flushes, out),
                 sat_mul(compaction_jobs, sat_add(readahead, out)));
}

elmo_rc elmo_memory_estimate(const elmo_optfile *f, const elmo_dataset *ds,
                             elmo_memory_breakdown *out, elmo_error *err) {
  if (out != NULL) memset(out, 0, sizeof(*out));
  if (f == NULL || out == NULL)
    return elmo_error_set(err, ELMO_EINVAL, "memory_estimate: NULL file or out");
  out->block_cache = block_cache_term(f);
  out->memtables = memtable_term(f);
  out->table_readers = table_reader_term(f, ds, &out->dataset_known);
  uint64_t row = 0;
  if (!parse_cache_capacity(elmo_optfile_get(f, ELMO_SECTION_DB, NULL, "row_cache"), &row)) row = 0;
  out->row_cache = row;
  out->background = background_term(f);
  out->fixed = FIXED_OVERHEAD;
  uint64_t total = 0;
  total = sat_add(total, out->block_cache);
  total = sat_add(total, out->memtables);
  total = sat_add(total, out->table_readers);
  total = sat_add(total, out->row_cache);
  total = sat_add(total, out->background);
  out->total = sat_add(total, out->fixed);
  return ELMO_OK;
}

/* ---- describe -------------------------------------------------------------------------------- */


char *elmo_memory_describe(const elmo_memory_breakdown *m) {
  if (m == NULL) return NULL;
  const uint64_t v[] = {m->total,     m->block_cache, m->memtables, m->table_readers,
                        m->row_cache, m->background,  m->fixed};
  char h[7][32];
  for (size_t i = 0; i < 7; i++) elmo_value_format_bytes(v[i], h[i], sizeof(h[i]));
  char line[512];
  snprintf(line, sizeof(line),
           "%s = block cache %s + memtables %s + table readers %s%s + row cache %s"
           " + background %s + fixed %s",
           h[0], h[1], h[2], h[3], m->dataset_known ? "" : " (dataset unknown)", h[4], h[5], h[6]);
  return strdup(line);
}
