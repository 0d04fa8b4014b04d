/*
 * trace.h — reading RocksDB query traces (DB::StartTrace, format 0.2) and characterizing them in
 * bounded memory: op mix, QPS over time, key and value sizes, distinct keys, key skew, key space.
 *
 * Module elmo/src/trace/: query traces: the reader (trace.c), the thread/scan side file
 *  (trace_side.c), statistics and sketches in bounded memory (trace_stats.c, trace_sketch.c), the
 *  summary's JSON (trace_json.c). Uses base.
 *
 * Conventions: see elmo.h. Three layers, used separately or together:
 *  - The reader (I/O) turns a trace file, or bytes in memory, into a stream of flat ops: a Write
 *    record gives one op per batch entry, a MultiGet record one op per key. Key and value pointers
 *    in an op are borrowed: they stay valid until the next call on the reader.
 *  - The characterizer (pure: no I/O, no clock, no globals) consumes ops and produces a summary.
 *  - The sketches it is built from (key hash, HyperLogLog, count-min, space-saving top-k) are
 *    public too, so their guarantees can be tested and reused.
 *
 * Trace format 0.2 (RocksDB 7.8, trace_replay/trace_replay.cc): records of fixed64 timestamp
 * (microseconds), 1 byte type, fixed32 payload length, payload; all little-endian. The first
 * record is Begin, whose payload is "feedcafedeadbeef\tTrace Version: 0.2\tRocksDB Version: 7.8\t
 * Format: Timestamp OpType Payload\n". Query payloads start with a fixed64 bitmap of the fields
 * present (bit = TracePayloadType: 1 write batch; 2 Get cf, 3 Get key; 4 iterator cf, 5 key,
 * 6 lower bound, 7 upper bound; 8 MultiGet count, 9 cf ids, 10 keys), then the fields in bit order.
 */
#ifndef ELMO_TRACE_H
#define ELMO_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "elmo/elmo.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- ops ---------------------------------------------------------------------------------- */

typedef enum elmo_trace_kind {
  ELMO_TRACE_END = 0, /* no more ops (only from elmo_trace_reader_next) */
  ELMO_TRACE_GET = 1,
  ELMO_TRACE_MULTIGET = 2, /* one key of a MultiGet */
  ELMO_TRACE_SEEK = 3,     /* Iterator::Seek (Next is not traced by RocksDB) */
  ELMO_TRACE_SEEK_FOR_PREV = 4,
  ELMO_TRACE_PUT = 5, /* also PutEntity and BlobIndex entries (value = their encoding) */
  ELMO_TRACE_DELETE = 6,
  ELMO_TRACE_SINGLE_DELETE = 7,
  ELMO_TRACE_DELETE_RANGE = 8, /* key = begin, end_key = end */
  ELMO_TRACE_MERGE = 9
} elmo_trace_kind;

#define ELMO_TRACE_KIND_COUNT 10

/* The lowercase name of a kind ("get", "seek_for_prev", ...); "unknown" outside the enum. */
ELMO_API const char *elmo_trace_kind_name(elmo_trace_kind kind);

/* One operation. Pointers are borrowed from the reader (valid until its next call) or from
 * whoever built the op; the characterizer copies what it keeps. */
typedef struct elmo_trace_op {
  elmo_trace_kind kind;
  uint64_t timestamp_us;    /* the record's timestamp, microseconds */
  uint64_t record_offset;   /* byte offset of the record in the trace */
  uint32_t cf_id;           /* column family id (0 = default) */
  uint32_t index_in_record; /* 0-based position among the record's ops */
  uint32_t ops_in_record;   /* ops this record yields (batch entries, MultiGet keys; else 1) */
  const char *key;          /* the key (begin key of a DeleteRange) */
  size_t key_len;
  const char *value; /* PUT/MERGE value; NULL otherwise */
  size_t value_len;
  const char *end_key; /* DELETE_RANGE end key; NULL otherwise */
  size_t end_key_len;
  const char *lower_bound; /* SEEK/SEEK_FOR_PREV iterate_lower_bound; NULL when unset */
  size_t lower_bound_len;
  const char *upper_bound; /* SEEK/SEEK_FOR_PREV iterate_upper_bound; NULL when unset */
  size_t upper_bound_len;
  /* From ELMo's side file (see below), when the trace has one: */
  uint32_t thread;        /* the small id of the thread that ran the op; 0: unknown */
  int has_scan_length;    /* SEEK/SEEK_FOR_PREV: 1 when scan_length is known */
  uint32_t scan_length;   /* Next()/Prev() calls made on the iterator after this seek */
} elmo_trace_op;

/* ---- reader ------------------------------------------------------------------------------- */

typedef struct elmo_trace_reader elmo_trace_reader;

/* Reader limits. 0 in a field means its default; other values outside the range are rejected. */
typedef struct elmo_trace_reader_config {
  uint64_t max_record_bytes; /* largest payload accepted; default 64 MiB, 1 KiB .. 1 GiB */
  uint64_t buffer_bytes;     /* stdio buffer of a file reader; default 256 KiB, 4 KiB .. 64 MiB */
} elmo_trace_reader_config;

/* What the Begin record says. */
typedef struct elmo_trace_header {
  int trace_major, trace_minor; /* "Trace Version: 0.2" */
  int db_major, db_minor;       /* "RocksDB Version: 7.8" */
  uint64_t begin_timestamp_us;
} elmo_trace_header;

typedef struct elmo_trace_counters {
  uint64_t records;         /* records read, Begin/End/unknown ones included */
  uint64_t unknown_records; /* records of a type other than 1-6 and 13, skipped by length */
  uint64_t ops;             /* ops returned */
  uint64_t bytes_read;      /* bytes consumed so far (the offset of the next record) */
  int end_seen;             /* 1 once the End record was read */
  uint64_t truncated_tail;  /* bytes of a last record cut short by the end of the input (a
                               writer killed mid-record), ignored; 0 when the trace ends whole */
  int has_side;             /* 1: the trace has ELMo's side file (ops carry thread ids) */
} elmo_trace_counters;

/*
 * Opens a trace file and reads its Begin record. Memory: one stdio buffer (cfg->buffer_bytes)
 * plus one record buffer that grows to the largest record read (at most cfg->max_record_bytes);
 * the file is never loaded whole. cfg may be NULL (defaults).
 * OUT *out: the reader (NULL on error), freed with elmo_trace_reader_destroy.
 * Returns ELMO_OK; ELMO_EINVAL (NULL path/out); ELMO_ERANGE (a cfg field out of range, or a
 * trace version other than 0.2 or a later 0.x); ELMO_EIO (cannot open or read; names the path);
 * ELMO_EPARSE (not a RocksDB query trace, bad header; the message says "offset N");
 * ELMO_ETOOBIG; ELMO_ENOMEM.
 */
ELMO_API elmo_rc elmo_trace_reader_open(const char *path, const elmo_trace_reader_config *cfg,
                               elmo_trace_reader **out, elmo_error *err);

/* As elmo_trace_reader_open, over len bytes at data, which must stay valid and unchanged until
 * the reader is destroyed (they are not copied). */
ELMO_API elmo_rc elmo_trace_reader_open_mem(const void *data, size_t len,
                                   const elmo_trace_reader_config *cfg, elmo_trace_reader **out,
                                   elmo_error *err);

/* Frees the reader and closes its file. NULL is a no-op. */
ELMO_API void elmo_trace_reader_destroy(elmo_trace_reader *r);

/*
 * Reads the next op. A record is checked whole before its first op is returned, so a corrupt
 * record yields an error and none of its ops. The trace ends at its End record or, for a trace
 * whose writer stopped without one, at the end of the input: at a record boundary, or inside a
 * last record the input cuts short (a writer killed mid-record; its bytes are ignored and counted
 * in counters.truncated_tail). Then (and on every later call) *op has kind ELMO_TRACE_END and the
 * call returns ELMO_OK.
 * OUT *op: the op (zeroed on error); its pointers stay valid until the next call on r.
 * Returns ELMO_OK; ELMO_EPARSE (corrupt input; the message says "offset N" with the
 * byte offset of the bad record or batch entry); ELMO_ETOOBIG (a payload over max_record_bytes);
 * ELMO_EIO; ELMO_ENOMEM; ELMO_EINVAL (NULL r/op). An error is sticky: later calls return it again.
 */
ELMO_API elmo_rc elmo_trace_reader_next(elmo_trace_reader *r, elmo_trace_op *op, elmo_error *err);

/* The parsed Begin record. Never NULL for a reader that opened; valid while r lives. */
ELMO_API const elmo_trace_header *elmo_trace_reader_header(const elmo_trace_reader *r);

/* Counters so far (zeros for NULL r). */
ELMO_API elmo_trace_counters elmo_trace_reader_counters(const elmo_trace_reader *r);

/* ---- ELMo's side file: thread ids and scan lengths ------------------------------------------- */

/*
 * RocksDB's trace says neither which thread ran an op nor how far an iterator scanned after its
 * Seek. ELMo's capture (elmo_trace) writes both beside the trace, in TRACE.elmo-threads, leaving
 * the trace itself in RocksDB's format. The file is "ELMOTID1\n" and then entries in the order
 * they were written, all numbers little-endian:
 *   'T' uint16 thread           one per trace record, in record order, the Begin record included:
 *                               the id (1, 2, ... in order of first appearance) of the thread
 *                               that wrote it;
 *   'N' uint64 record uint32 n  the Next()/Prev() calls that followed the Seek or SeekForPrev of
 *                               record number `record` (0 = Begin), written when that iterator
 *                               sought again or was destroyed (so later than the record).
 * A last entry cut short (a writer killed mid-write) ends the file; thread entries past the
 * trace's end are ignored, and records past the side file's end have an unknown thread (0).
 * elmo_trace_reader_open reads the side file of a trace file when there is one.
 */
#define ELMO_TRACE_SIDE_SUFFIX ".elmo-threads"
#define ELMO_TRACE_SIDE_MAX_SCANS (1u << 22) /* scan entries kept (16 bytes each); more: dropped */

typedef struct elmo_trace_side elmo_trace_side;

typedef struct elmo_trace_side_record {
  uint32_t thread; /* 0: unknown */
  int has_scan_length;
  uint32_t scan_length;
} elmo_trace_side_record;

typedef struct elmo_trace_side_counters {
  uint64_t records;         /* records described so far */
  uint64_t records_unknown; /* of those, past the side file's thread entries */
  uint64_t scans;           /* scan entries read */
  uint64_t scans_dropped;   /* scan entries past ELMO_TRACE_SIDE_MAX_SCANS, ignored */
  int truncated_tail;       /* 1: the file ends inside an entry */
} elmo_trace_side_counters;

/* Opens trace_path's side file. OUT *out: the side reader, or NULL (with ELMO_OK) when the trace
 * has no side file. Returns ELMO_OK; ELMO_EPARSE (not a side file, or an unknown entry tag; the
 * message names the file and the offset); ELMO_EIO; ELMO_ENOMEM; ELMO_EINVAL (NULL arguments). */
ELMO_API elmo_rc elmo_trace_side_open(const char *trace_path, elmo_trace_side **out, elmo_error *err);

/* What the side file says about the next record of the trace (the first call: the Begin record).
 * NULL s gives an unknown record. */
ELMO_API void elmo_trace_side_next(elmo_trace_side *s, elmo_trace_side_record *rec);

ELMO_API elmo_trace_side_counters elmo_trace_side_get_counters(const elmo_trace_side *s);
ELMO_API void elmo_trace_side_destroy(elmo_trace_side *s);

/* ---- sketches ------------------------------------------------------------------------------ */

/* A 64-bit hash of len bytes (seeded; the same bytes always give the same hash). */
ELMO_API uint64_t elmo_trace_hash(const void *data, size_t len, uint64_t seed);

/* HyperLogLog distinct counter over 64-bit hashes: 2^precision one-byte registers, relative
 * standard error about 1.04 / sqrt(2^precision) (0.81% at 14) at every cardinality (Ertl's
 * improved estimator, no bias tables). */
typedef struct elmo_trace_hll elmo_trace_hll;
/* precision 4..18. Returns ELMO_ERANGE naming the range, or ELMO_ENOMEM; *out NULL on error. */
ELMO_API elmo_rc elmo_trace_hll_create(int precision, elmo_trace_hll **out, elmo_error *err);
ELMO_API void elmo_trace_hll_destroy(elmo_trace_hll *h);
ELMO_API void elmo_trace_hll_add(elmo_trace_hll *h, uint64_t hash);
ELMO_API double elmo_trace_hll_estimate(const elmo_trace_hll *h);
ELMO_API double elmo_trace_hll_rel_error(const elmo_trace_hll *h); /* 1.04 / sqrt(2^precision) */

/* Count-min sketch with conservative update: depth rows of width 64-bit counters. For every key
 * the estimate is >= its true count, and exceeds it by at most epsilon * N (epsilon = e / width,
 * N = total added) with probability 1 - e^-depth. */
typedef struct elmo_trace_cms elmo_trace_cms;
/* width a power of two 2^8..2^24, depth 1..8. ELMO_ERANGE / ELMO_ENOMEM; *out NULL on error. */
ELMO_API elmo_rc elmo_trace_cms_create(uint32_t width, uint32_t depth, elmo_trace_cms **out,
                              elmo_error *err);
ELMO_API void elmo_trace_cms_destroy(elmo_trace_cms *c);
ELMO_API void elmo_trace_cms_add(elmo_trace_cms *c, uint64_t hash, uint64_t count);
ELMO_API uint64_t elmo_trace_cms_estimate(const elmo_trace_cms *c, uint64_t hash);
ELMO_API uint64_t elmo_trace_cms_total(const elmo_trace_cms *c);
ELMO_API double elmo_trace_cms_epsilon(const elmo_trace_cms *c); /* e / width */
ELMO_API double elmo_trace_cms_delta(const elmo_trace_cms *c);   /* e^-depth */

/* Space-saving top-k summary (Metwally et al.): k monitored keys, each with a count that
 * over-estimates its true count by at most its error (count - error <= true <= count); every key
 * whose true count exceeds N / k is monitored. Keys are identified by hash; the first
 * ELMO_TRACE_KEY_PREFIX bytes of each are kept for display. */
#define ELMO_TRACE_KEY_PREFIX 32
typedef struct elmo_trace_topk elmo_trace_topk;
typedef struct elmo_trace_topk_entry {
  uint64_t hash;
  uint64_t count; /* over-estimate */
  uint64_t error; /* count - error is a lower bound */
  size_t key_len; /* full key length; key[] holds min(key_len, ELMO_TRACE_KEY_PREFIX) bytes */
  char key[ELMO_TRACE_KEY_PREFIX];
} elmo_trace_topk_entry;
/* k 1..65536. ELMO_ERANGE / ELMO_ENOMEM; *out NULL on error. */
ELMO_API elmo_rc elmo_trace_topk_create(uint32_t k, elmo_trace_topk **out, elmo_error *err);
ELMO_API void elmo_trace_topk_destroy(elmo_trace_topk *t);
ELMO_API void elmo_trace_topk_add(elmo_trace_topk *t, uint64_t hash, const char *key, size_t key_len);
/* The monitored entries in no particular order (n set to their number); valid until the next
 * add or destroy. */
ELMO_API const elmo_trace_topk_entry *elmo_trace_topk_entries(const elmo_trace_topk *t, size_t *n);

/* ---- characterizer ------------------------------------------------------------------------ */

/* Key classes tracked separately: every op, reads (GET, MULTIGET), writes (PUT, MERGE, DELETE,
 * SINGLE_DELETE, DELETE_RANGE by begin key), scans (SEEK, SEEK_FOR_PREV). */
typedef enum elmo_trace_class {
  ELMO_TRACE_CLASS_ALL = 0,
  ELMO_TRACE_CLASS_READ = 1,
  ELMO_TRACE_CLASS_WRITE = 2,
  ELMO_TRACE_CLASS_SCAN = 3
} elmo_trace_class;
#define ELMO_TRACE_CLASS_COUNT 4
ELMO_API const char *elmo_trace_class_name(elmo_trace_class c); /* "all", "read", "write", "scan" */

/*
 * Characterizer settings. 0 in a field means its default; other values outside the range are
 * rejected with ELMO_ERANGE. Memory is bounded by the settings, never by the trace length:
 *   per class:  exact table  <= 12 * 2^ceil(log2(2 * exact_key_limit)) bytes (24 MiB at 2^20;
 *               1.5 times that for a moment while it doubles), grown as keys arrive and freed
 *               for good when the class passes the limit (it is then approximate);
 *               HLL 2^hll_precision bytes; count-min 8 * cms_width * cms_depth bytes;
 *               top-k ~112 * top_k bytes; key-space histogram 16 * keyspace_buckets bytes;
 *               the write class's table also keeps a 4-byte insertion index per slot
 *               (recency, see elmo_trace_recency): 16 instead of 12 bytes a slot;
 *   shared:     windows 8 * ELMO_TRACE_KIND_COUNT * max_windows bytes; six histograms of
 *               ELMO_TRACE_HIST_BUCKETS 8-byte counters.
 * At the defaults: at most 4 * (24 MiB + 1 MiB) + 8 MiB + 0.5 MiB, about 109 MiB, reached only by
 * traces with a million distinct keys in every class; smaller traces use what their keys need.
 * Keys are identified by their bytes (a 64-bit hash): the same key in two column families is one
 * key. "Exact" counting is exact up to hash collisions (probability below n^2 / 2^65).
 * The key-space histogram maps the first 8 key bytes, big-endian and zero-padded (db_bench keys
 * are big-endian integers), into keyspace_buckets buckets of a power-of-two width aligned to that
 * width. It starts at the first prefix with width 1; when a prefix falls outside, the width
 * doubles (bucket pairs merge) until it fits, so one pass covers every prefix seen.
 */
typedef struct elmo_trace_stats_config {
  uint32_t window_sec;       /* QPS window, seconds; default 10, 1 .. 86400 */
  uint32_t max_windows;      /* windows kept; default 4096, 16 .. 1048576. When a later op falls
                                beyond, adjacent windows are merged pairwise and the window
                                doubles (reported in the summary), as often as needed. */
  uint32_t exact_key_limit;  /* distinct keys counted exactly per class; default 2^20,
                                16 .. 2^24. Beyond: HLL, count-min and top-k only. */
  uint32_t top_k;            /* heavy hitters per class; default 1024, 1 .. 65536 */
  uint32_t cms_width;        /* count-min width; default 2^15, power of two 2^8 .. 2^24 */
  uint32_t cms_depth;        /* count-min depth; default 4, 1 .. 8 */
  uint32_t hll_precision;    /* HLL registers 2^p; default 14, 4 .. 18 */
  uint32_t keyspace_buckets; /* key-space histogram; default 1024, power of two 16 .. 65536 */
} elmo_trace_stats_config;

/* Fills cfg with the defaults (every field explicit). */
ELMO_API void elmo_trace_stats_config_default(elmo_trace_stats_config *cfg);

typedef struct elmo_trace_stats elmo_trace_stats;

/* Creates a characterizer; cfg may be NULL (defaults). OUT *out (NULL on error).
 * Returns ELMO_OK, ELMO_ERANGE (names the field and its range), ELMO_EINVAL (NULL out), ENOMEM. */
ELMO_API elmo_rc elmo_trace_stats_create(const elmo_trace_stats_config *cfg, elmo_trace_stats **out,
                                elmo_error *err);
ELMO_API void elmo_trace_stats_destroy(elmo_trace_stats *s);

/* Adds one op (its bytes are copied where kept). Returns ELMO_OK, ELMO_EINVAL (NULL, or a kind
 * that is END or outside the enum; nothing is added), ELMO_ENOMEM (growing an exact table; the
 * object may then only be destroyed). */
ELMO_API elmo_rc elmo_trace_stats_add(elmo_trace_stats *s, const elmo_trace_op *op, elmo_error *err);

/* The count-min estimate of how often key was accessed in class c (exact while the class is). */
ELMO_API uint64_t elmo_trace_stats_key_count(const elmo_trace_stats *s, elmo_trace_class c, const char *key,
                                    size_t key_len);

/* ---- summary ------------------------------------------------------------------------------ */

/* Histogram buckets: values 0..63 each have their own bucket; above, every power of two is
 * split into 8 equal buckets (12.5% resolution) up to 2^64. */
#define ELMO_TRACE_HIST_BUCKETS 528

typedef struct elmo_trace_bucket {
  uint64_t lo, hi; /* values in [lo, hi], inclusive */
  uint64_t count;
} elmo_trace_bucket;

typedef struct elmo_trace_hist {
  uint64_t count, min, max; /* min = max = 0 when count is 0 */
  double mean;
  size_t n_buckets; /* non-empty buckets only, ascending */
  elmo_trace_bucket *buckets;
} elmo_trace_hist;

typedef struct elmo_trace_window {
  uint64_t start_us; /* offset of the window from the first op's timestamp */
  uint64_t total;
  uint64_t counts[ELMO_TRACE_KIND_COUNT];
} elmo_trace_window;

typedef struct elmo_trace_hitter {
  uint64_t count;       /* estimate: exact when the class is exact, else an over-estimate */
  uint64_t count_lower; /* guaranteed lower bound (= count when exact) */
  size_t key_len;       /* full length; key[] holds the first min(key_len, PREFIX) bytes */
  char key[ELMO_TRACE_KEY_PREFIX];
} elmo_trace_hitter;

typedef struct elmo_trace_class_summary {
  uint64_t accesses;          /* ops in the class */
  int exact;                  /* 1: distinct keys and frequencies below are exact */
  uint64_t distinct;          /* exact, or the HLL estimate rounded */
  double distinct_rel_error;  /* 0 when exact, else the HLL relative standard error */
  uint64_t count_error_bound; /* 0 when exact, else epsilon * accesses of the count-min sketch */
  double count_error_delta;   /* probability that a count estimate breaks the bound (0 if exact) */
  size_t n_hitters;           /* heavy hitters, by count descending */
  elmo_trace_hitter *hitters;
  size_t n_ranked;      /* access counts of the top keys, descending (rank 1 first): exact */
  uint64_t *ranked;     /* when exact, else the hitters' estimates */
  elmo_trace_hist freq; /* exact only (else empty): keys per access count ("k times") */
  uint64_t key_prefix_min, key_prefix_max; /* first 8 key bytes, big-endian, zero-padded */
  uint64_t keyspace_lo;                    /* key-space histogram: bucket i counts prefixes in */
  uint64_t keyspace_width; /* [lo + i*width, lo + (i+1)*width); width is a power of two */
  size_t n_keyspace;       /* number of buckets (keyspace_buckets) */
  uint64_t *keyspace;
} elmo_trace_class_summary;

/*
 * Recency of reads, for the "latest" key-access model (YCSB-D: reads favour recently inserted
 * keys). A key is inserted by its first PUT or MERGE in the trace; the i-th distinct key
 * inserted gets insertion index i (1-based). A read (GET, each MULTIGET key, SEEK,
 * SEEK_FOR_PREV) of a key inserted earlier has the recency rank inserts-so-far - i + 1: 1 for the
 * newest inserted key, inserts-so-far for the oldest. Insertion indices live in the write class's
 * exact key table, so recency is exact while that class is; once it passes exact_key_limit (or a
 * count overflows) the table is gone and later reads are not recorded (exact = 0, counted in
 * reads_untracked): the ranks then describe the trace up to that point only.
 */
typedef struct elmo_trace_recency {
  int exact;                   /* 1: every read of the trace was recorded */
  uint64_t stopped_at_op;      /* when not exact: ops added when recording stopped (else 0) */
  uint64_t inserts;            /* distinct keys inserted while recorded */
  uint64_t reads;              /* reads while recorded */
  uint64_t reads_inserted;     /* of those, reads of a key inserted earlier: ranks has them */
  uint64_t reads_not_inserted; /* of those, reads of a key not inserted (yet) in the trace */
  uint64_t reads_untracked;    /* reads after recording stopped */
  elmo_trace_hist ranks;       /* recency rank of each read in reads_inserted (>= 1) */
  elmo_trace_hist pool;        /* inserts so far at each of those reads (the largest rank it
                                  could have had): what a popularity model is judged against */
} elmo_trace_recency;

/* One client thread of the traced program (from ELMo's side file). */
#define ELMO_TRACE_MAX_THREADS 256 /* thread ids above this are counted together, not apart */
typedef struct elmo_trace_thread {
  uint32_t id; /* the side file's thread id, 1 .. ELMO_TRACE_MAX_THREADS */
  uint64_t ops;
  uint64_t counts[ELMO_TRACE_KIND_COUNT];
} elmo_trace_thread;

typedef struct elmo_trace_summary {
  uint64_t ops;
  uint64_t counts[ELMO_TRACE_KIND_COUNT];
  double fractions[ELMO_TRACE_KIND_COUNT];       /* counts / ops (0 when no ops) */
  uint64_t first_ts_us, last_ts_us, duration_us; /* duration = last - first */
  uint64_t ts_before_first; /* ops stamped before the first op, counted in window 0 */
  uint64_t window_us;       /* final window length (window_sec doubled window_merges times) */
  uint32_t window_merges;
  size_t n_windows;
  elmo_trace_window *windows;
  elmo_trace_hist key_size;      /* every op's key */
  elmo_trace_hist value_size;    /* PUT and MERGE values */
  elmo_trace_hist batch_ops;     /* ops per Write record (ops with kind PUT..MERGE, index 0) */
  elmo_trace_hist multiget_keys; /* keys per MultiGet record */
  uint64_t seeks_with_lower, seeks_with_upper;
  elmo_trace_class_summary classes[ELMO_TRACE_CLASS_COUNT];
  elmo_trace_recency recency;
  /* Thread roles and scan lengths, from ELMo's side file (none for other traces): */
  uint64_t ops_thread_unknown;  /* ops without a thread id */
  uint64_t ops_thread_overflow; /* ops of thread ids above ELMO_TRACE_MAX_THREADS */
  size_t n_threads;             /* threads with ops, by id ascending */
  elmo_trace_thread *threads;
  elmo_trace_hist scan_length; /* Next()/Prev() calls per seek, over seeks whose count is known */
} elmo_trace_summary;

/* Builds the summary of everything added so far (s stays usable).
 * OUT *out: a new summary (NULL on error), freed with elmo_trace_summary_destroy.
 * Returns ELMO_OK, ELMO_EINVAL, ELMO_ENOMEM. */
ELMO_API elmo_rc elmo_trace_stats_summarize(const elmo_trace_stats *s, elmo_trace_summary **out,
                                   elmo_error *err);
ELMO_API void elmo_trace_summary_destroy(elmo_trace_summary *sum);

/* The summary as JSON (keys hex-encoded). OUT *out: a new string for elmo_free (NULL on error).
 * Returns ELMO_OK, ELMO_EINVAL, ELMO_ENOMEM. */
ELMO_API elmo_rc elmo_trace_summary_to_json(const elmo_trace_summary *sum, char **out, elmo_error *err);

/* Reads a whole trace file through a characterizer: open, next until END, summarize. Either cfg
 * may be NULL. Returns the reader's, the characterizer's or the summary's codes. */
ELMO_API elmo_rc elmo_trace_characterize(const char *path, const elmo_trace_reader_config *rcfg,
                                const elmo_trace_stats_config *scfg, elmo_trace_summary **out,
                                elmo_error *err);

#ifdef __cplusplus
}
#endif

#endif /* ELMO_TRACE_H */
