/* trace.c — the streaming reader of RocksDB query traces, format 0.2 (see trace.h).
 *
 * A record is read whole (header, then payload into one buffer that grows to the largest record
 * and never past max_record_bytes), checked whole, then handed out op by op. Field numbers,
 * record types and WriteBatch tags follow RocksDB 7.8: trace_replay/trace_replay.{h,cc},
 * include/rocksdb/trace_record.h, db/dbformat.h and ReadRecordFromWriteBatch in
 * db/write_batch.cc. */
#include "elmo/trace.h"
#include "elmo/number.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RECORD_HEADER 13 /* fixed64 timestamp, type byte, fixed32 payload length */
#define BATCH_HEADER 12  /* WriteBatch: fixed64 sequence, fixed32 count */
#define SKIP_CHUNK 4096

static const char kMagic[] = "feedcafedeadbeef";

/* TraceType */
enum { T_BEGIN = 1, T_END = 2, T_WRITE = 3, T_GET = 4, T_SEEK = 5, T_SEEK_PREV = 6, T_MGET = 13 };

/* TracePayloadType: bit positions in a record's field map. */
enum {
  F_BATCH = 1,
  F_GET_CF = 2,
  F_GET_KEY = 3,
  F_ITER_CF = 4,
  F_ITER_KEY = 5,
  F_ITER_LOWER = 6,
  F_ITER_UPPER = 7,
  F_MGET_SIZE = 8,
  F_MGET_CFS = 9,
  F_MGET_KEYS = 10
};
#define BIT(b) (UINT64_C(1) << (b))

enum { MODE_IDLE, MODE_BATCH, MODE_MGET, MODE_DONE, MODE_FAILED };

typedef struct bytes {
  const unsigned char *p;
  size_t n;
} bytes;

/* The fields of one query record. */
typedef struct fields {
  uint64_t map;
  uint32_t cf, mget_size;
  bytes key, lower, upper, batch, cfs, keys;
} fields;

struct elmo_trace_reader {
  FILE *f;
  char *vbuf;
  const unsigned char *mem;
  size_t mem_len;
  unsigned char *buf; /* the current record's payload (file readers) */
  size_t cap;
  uint64_t max_record;
  uint64_t pos; /* offset of the next unread byte */
  elmo_trace_header header;
  elmo_trace_counters counters;
  /* the current record */
  uint64_t rec_off, rec_ts;
  const unsigned char *pl;
  size_t pl_len;
  int mode;
  bytes cur, cfs; /* batch entries or MultiGet keys left; MultiGet cf ids left */
  uint32_t index, total;
  elmo_trace_side *side;         /* ELMo's side file, when the trace has one */
  elmo_trace_side_record rec_side; /* what it says of the current record */
  elmo_error failure;
};

const char *elmo_trace_kind_name(elmo_trace_kind kind) {
  static const char *const kNames[ELMO_TRACE_KIND_COUNT] = {
      "end", "get",    "multiget",      "seek",         "seek_for_prev",
      "put", "delete", "single_delete", "delete_range", "merge"};
  return ((unsigned)kind < ELMO_TRACE_KIND_COUNT) ? kNames[kind] : "unknown";
}

/* ---- decoding ------------------------------------------------------------------------------ */

static uint32_t le32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t le64(const unsigned char *p) { return le32(p) | (uint64_t)le32(p + 4) << 32; }

static int take(bytes *b, size_t n, bytes *out) {
  if (b->n < n) return 0;
  if (out != NULL) *out = (bytes){b->p, n};
  b->p += n, b->n -= n;
  return 1;
}

static int get_fixed32(bytes *b, uint32_t *v) {
  bytes s;
  if (!take(b, 4, &s)) return 0;
  *v = le32(s.p);
  return 1;
}

static int get_fixed64(bytes *b, uint64_t *v) {
  bytes s;
  if (!take(b, 8, &s)) return 0;
  *v = le64(s.p);
  return 1;
}

/* A varint32 as PutVarint32 writes it: at most 5 bytes, no bits beyond 32. */
static int get_varint32(bytes *b, uint32_t *v) {
  uint32_t x = 0;
  for (size_t i = 0; i < 5 && i < b->n; i++) {
    unsigned c = b->p[i];
    if (i == 4 && c > 0x0F) return 0;
    x |= (uint32_t)(c & 0x7F) << (7 * i);
    if ((c & 0x80) == 0) {
      b->p += i + 1, b->n -= i + 1;
      *v = x;
      return 1;
    }
  }
  return 0;
}

static int get_slice(bytes *b, bytes *s) {
  bytes save = *b;
  uint32_t n;
  if (get_varint32(b, &n) && take(b, n, s)) return 1;
  *b = save;
  return 0;
}

/* ---- errors -------------------------------------------------------------------------------- */

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

/* Records a failure in r (later calls repeat it) and in err. */
PRINTF_LIKE(4, 5)
static elmo_rc fail(elmo_trace_reader *r, elmo_error *err, elmo_rc rc, const char *fmt, ...) {
  va_list ap;
  r->failure.code = rc;
  va_start(ap, fmt);
  elmo_number_vsnprintf(r->failure.message, sizeof(r->failure.message), fmt, ap);
  va_end(ap);
  r->mode = MODE_FAILED;
  if (err != NULL) *err = r->failure;
  return rc;
}

static const char *type_name(int type) {
  switch (type) {
    case T_WRITE:
      return "Write";
    case T_GET:
      return "Get";
    case T_SEEK:
      return "IteratorSeek";
    case T_SEEK_PREV:
      return "IteratorSeekForPrev";
    case T_MGET:
      return "MultiGet";
    default:
      return "unknown";
  }
}

/* The trace offset of a byte of the current payload. */
static uint64_t payload_offset(const elmo_trace_reader *r, const unsigned char *p) {
  return r->rec_off + RECORD_HEADER + (uint64_t)(p - r->pl);
}

/* ---- reading records ----------------------------------------------------------------------- */

/* Makes n bytes of input available at *out; *got < n only at the end of the input. */
static elmo_rc src_read(elmo_trace_reader *r, size_t n, const unsigned char **out, size_t *got,
                        elmo_error *err) {
  if (r->f == NULL) {
    uint64_t left = r->mem_len - r->pos;
    *got = (left < n) ? (size_t)left : n;
    *out = r->mem + r->pos;
  } else {
    if (n > r->cap) {
      unsigned char *nb = realloc(r->buf, n);
      if (nb == NULL) return fail(r, err, ELMO_ENOMEM, "no memory for a %zu-byte record", n);
      r->buf = nb, r->cap = n;
    }
    *got = fread(r->buf, 1, n, r->f);
    if (*got < n && ferror(r->f)) {
      return fail(r, err, ELMO_EIO, "cannot read the trace at offset %" PRIu64, r->pos + *got);
    }
    *out = r->buf;
  }
  r->pos += *got;
  return ELMO_OK;
}

/* Skips n payload bytes without keeping them; *got < n at the end of the input. */
static elmo_rc src_skip(elmo_trace_reader *r, size_t n, size_t *got, elmo_error *err) {
  if (r->f == NULL) {
    const unsigned char *p;
    return src_read(r, n, &p, got, err);
  }
  unsigned char chunk[SKIP_CHUNK];
  *got = 0;
  while (*got < n) {
    size_t want = (n - *got < SKIP_CHUNK) ? n - *got : SKIP_CHUNK;
    size_t k = fread(chunk, 1, want, r->f);
    *got += k, r->pos += k;
    if (k < want) {
      if (ferror(r->f))
        return fail(r, err, ELMO_EIO, "cannot read the trace at offset %" PRIu64, r->pos);
      break;
    }
  }
  return ELMO_OK;
}

static int known_type(int type) {
  return (type >= T_BEGIN && type <= T_SEEK_PREV) || type == T_MGET;
}

/* Reads the next record into r->rec_* and r->pl. *type is 0 at a clean end of input (a record
 * boundary). Unknown types are skipped by length and reported with their type. */
static elmo_rc read_record(elmo_trace_reader *r, int *type, elmo_error *err) {
  const unsigned char *h;
  size_t got;
  *type = 0;
  r->rec_off = r->pos;
  elmo_rc rc = src_read(r, RECORD_HEADER, &h, &got, err);
  if (rc != ELMO_OK || got == 0) return rc;
  if (got < RECORD_HEADER) {
    /* The writer stopped inside this record's header (a process killed mid-write): the trace
     * ends at the last whole record. */
    r->counters.truncated_tail = got;
    return ELMO_OK;
  }
  r->rec_ts = le64(h);
  int t = h[8];
  uint32_t len = le32(h + 9);
  if (len > r->max_record) {
    return fail(r, err, ELMO_ETOOBIG,
                "record at offset %" PRIu64 " has a %" PRIu32
                "-byte payload,"
                " over the limit of %" PRIu64 " bytes",
                r->rec_off, len, r->max_record);
  }
  rc = known_type(t) ? src_read(r, len, &r->pl, &got, err) : src_skip(r, len, &got, err);
  if (rc != ELMO_OK) return rc;
  if (got < len) { /* the writer stopped inside this record's payload: as above */
    r->counters.truncated_tail = RECORD_HEADER + got;
    return ELMO_OK;
  }
  r->pl_len = len;
  r->counters.records++;
  elmo_trace_side_next(r->side, &r->rec_side);
  r->counters.bytes_read = r->pos;
  *type = t;
  return ELMO_OK;
}

/* ---- query records ------------------------------------------------------------------------- */

static uint64_t allowed_fields(int type) {
  switch (type) {
    case T_WRITE:
      return BIT(F_BATCH);
    case T_GET:
      return BIT(F_GET_CF) | BIT(F_GET_KEY);
    case T_SEEK:
    case T_SEEK_PREV:
      return BIT(F_ITER_CF) | BIT(F_ITER_KEY) | BIT(F_ITER_LOWER) | BIT(F_ITER_UPPER);
    default:
      return BIT(F_MGET_SIZE) | BIT(F_MGET_CFS) | BIT(F_MGET_KEYS);
  }
}

static uint64_t required_fields(int type) {
  switch (type) {
    case T_WRITE:
      return BIT(F_BATCH);
    case T_GET:
      return BIT(F_GET_KEY);
    case T_SEEK:
    case T_SEEK_PREV:
      return BIT(F_ITER_KEY);
    default:
      return allowed_fields(type);
  }
}

/* Reads the field at bit position bit. Returns 1, or 0 when the payload ends inside it. */
static int read_field(bytes *b, int bit, fields *f) {
  switch (bit) {
    case F_BATCH:
      return get_slice(b, &f->batch);
    case F_GET_CF:
    case F_ITER_CF:
      return get_fixed32(b, &f->cf);
    case F_GET_KEY:
    case F_ITER_KEY:
      return get_slice(b, &f->key);
    case F_ITER_LOWER:
      return get_slice(b, &f->lower);
    case F_ITER_UPPER:
      return get_slice(b, &f->upper);
    case F_MGET_SIZE:
      return get_fixed32(b, &f->mget_size);
    case F_MGET_CFS:
      return get_slice(b, &f->cfs);
    default:
      return get_slice(b, &f->keys);
  }
}

/* Decodes the field map and the fields of a query record of the given type. */
static elmo_rc parse_fields(elmo_trace_reader *r, int type, fields *f, elmo_error *err) {
  bytes b = {r->pl, r->pl_len};
  const char *tn = type_name(type);
  memset(f, 0, sizeof(*f));
  if (!get_fixed64(&b, &f->map)) {
    return fail(r, err, ELMO_EPARSE,
                "%s record at offset %" PRIu64
                ": its %zu-byte payload is "
                "shorter than the 8-byte field map",
                tn, r->rec_off, r->pl_len);
  }
  uint64_t extra = f->map & ~allowed_fields(type);
  if (extra != 0) {
    int bit = 0;
    while (!(extra & BIT(bit))) bit++;
    return fail(r, err, ELMO_EPARSE,
                "%s record at offset %" PRIu64
                ": unknown field bit %d in "
                "field map 0x%" PRIx64,
                tn, r->rec_off, bit, f->map);
  }
  if ((f->map & required_fields(type)) != required_fields(type)) {
    return fail(r, err, ELMO_EPARSE,
                "%s record at offset %" PRIu64 ": field map 0x%" PRIx64 " lacks a required field",
                tn, r->rec_off, f->map);
  }
  for (int bit = 0; bit < 64; bit++) {
    if (!(f->map & BIT(bit))) continue;
    if (!read_field(&b, bit, f)) {
      return fail(r, err, ELMO_EPARSE,
                  "%s record at offset %" PRIu64 ": field %d at offset %" PRIu64
                  " runs past the end of the payload",
                  tn, r->rec_off, bit, payload_offset(r, b.p));
    }
  }
  if (b.n != 0) {
    return fail(r, err, ELMO_EPARSE,
                "%s record at offset %" PRIu64
                ": %zu unexpected bytes after "
                "its fields at offset %" PRIu64,
                tn, r->rec_off, b.n, payload_offset(r, b.p));
  }
  return ELMO_OK;
}

static void fill_common(const elmo_trace_reader *r, elmo_trace_op *op, elmo_trace_kind kind) {
  memset(op, 0, sizeof(*op));
  op->kind = kind;
  op->timestamp_us = r->rec_ts;
  op->record_offset = r->rec_off;
  op->ops_in_record = 1;
  op->thread = r->rec_side.thread;
  if (kind == ELMO_TRACE_SEEK || kind == ELMO_TRACE_SEEK_FOR_PREV) {
    op->has_scan_length = r->rec_side.has_scan_length;
    op->scan_length = r->rec_side.scan_length;
  }
}

static void emit_point(const elmo_trace_reader *r, int type, const fields *f, elmo_trace_op *op) {
  elmo_trace_kind kind = type == T_GET    ? ELMO_TRACE_GET
                         : type == T_SEEK ? ELMO_TRACE_SEEK
                                          : ELMO_TRACE_SEEK_FOR_PREV;
  fill_common(r, op, kind);
  op->cf_id = f->cf;
  op->key = (const char *)f->key.p, op->key_len = f->key.n;
  if (f->map & BIT(F_ITER_LOWER)) {
    op->lower_bound = (const char *)f->lower.p, op->lower_bound_len = f->lower.n;
  }
  if (f->map & BIT(F_ITER_UPPER)) {
    op->upper_bound = (const char *)f->upper.p, op->upper_bound_len = f->upper.n;
  }
}

/* ---- write batches ------------------------------------------------------------------------- */

/* One WriteBatch entry; kind END marks an entry that is no op (markers, log data). */
typedef struct entry {
  elmo_trace_kind kind;
  uint32_t cf;
  bytes key, value;
} entry;

/* WriteBatch tags (ValueType in db/dbformat.h) as ReadRecordFromWriteBatch reads them: the op,
 * whether a varint32 column family comes first, and how many length-prefixed slices follow.
 * PutEntity (0x16/0x17) and BlobIndex (0x10/0x11) are puts whose value is their encoding. */
typedef struct tag_info {
  unsigned char valid, has_cf, slices;
  elmo_trace_kind kind;
} tag_info;

static const tag_info kTags[] = {
    [0x00] = {1, 0, 1, ELMO_TRACE_DELETE},        [0x01] = {1, 0, 2, ELMO_TRACE_PUT},
    [0x02] = {1, 0, 2, ELMO_TRACE_MERGE},         [0x03] = {1, 0, 1, ELMO_TRACE_END}, /* log */
    [0x04] = {1, 1, 1, ELMO_TRACE_DELETE},        [0x05] = {1, 1, 2, ELMO_TRACE_PUT},
    [0x06] = {1, 1, 2, ELMO_TRACE_MERGE},         [0x07] = {1, 0, 1, ELMO_TRACE_SINGLE_DELETE},
    [0x08] = {1, 1, 1, ELMO_TRACE_SINGLE_DELETE}, [0x09] = {1, 0, 0, ELMO_TRACE_END}, /* prep */
    [0x0A] = {1, 0, 1, ELMO_TRACE_END},           [0x0B] = {1, 0, 1, ELMO_TRACE_END}, /* xid */
    [0x0C] = {1, 0, 1, ELMO_TRACE_END},           [0x0D] = {1, 0, 0, ELMO_TRACE_END}, /* noop */
    [0x0E] = {1, 1, 2, ELMO_TRACE_DELETE_RANGE},  [0x0F] = {1, 0, 2, ELMO_TRACE_DELETE_RANGE},
    [0x10] = {1, 1, 2, ELMO_TRACE_PUT},           [0x11] = {1, 0, 2, ELMO_TRACE_PUT},
    [0x12] = {1, 0, 0, ELMO_TRACE_END},           [0x13] = {1, 0, 0, ELMO_TRACE_END},
    [0x15] = {1, 0, 2, ELMO_TRACE_END}, /* commit timestamp, xid */
    [0x16] = {1, 0, 2, ELMO_TRACE_PUT},           [0x17] = {1, 1, 2, ELMO_TRACE_PUT},
};

/* Decodes the entry at *b. Returns 1, 0 when it is truncated, -1 for an unknown tag. */
static int decode_entry(bytes *b, entry *e) {
  unsigned tag = b->p[0];
  bytes s[2] = {{NULL, 0}, {NULL, 0}};
  take(b, 1, NULL);
  memset(e, 0, sizeof(*e));
  if (tag >= sizeof(kTags) / sizeof(kTags[0]) || !kTags[tag].valid) return -1;
  const tag_info *t = &kTags[tag];
  if (t->has_cf && !get_varint32(b, &e->cf)) return 0;
  for (unsigned i = 0; i < t->slices; i++) {
    if (!get_slice(b, &s[i])) return 0;
  }
  e->kind = t->kind;
  if (e->kind != ELMO_TRACE_END) e->key = s[0], e->value = s[1];
  return 1;
}

/* Checks a whole batch: every entry decodes, and the header's count matches the entries. */
static elmo_rc check_batch(elmo_trace_reader *r, bytes rep, uint32_t *n_ops, elmo_error *err) {
  if (rep.n < BATCH_HEADER) {
    return fail(r, err, ELMO_EPARSE,
                "Write record at offset %" PRIu64
                ": its WriteBatch is %zu "
                "bytes, shorter than the %d-byte header",
                r->rec_off, rep.n, BATCH_HEADER);
  }
  uint32_t count = le32(rep.p + 8);
  bytes b = {rep.p + BATCH_HEADER, rep.n - BATCH_HEADER};
  uint64_t ops = 0;
  while (b.n > 0) {
    const unsigned char *at = b.p;
    entry e;
    int got = decode_entry(&b, &e);
    if (got <= 0) {
      return fail(r, err, ELMO_EPARSE,
                  "Write record at offset %" PRIu64
                  ": WriteBatch entry at "
                  "offset %" PRIu64 " (tag 0x%02x) is %s",
                  r->rec_off, payload_offset(r, at), at[0],
                  got < 0 ? "of an unknown type" : "truncated");
    }
    if (e.kind != ELMO_TRACE_END) ops++;
  }
  if (ops != count) {
    return fail(r, err, ELMO_EPARSE,
                "Write record at offset %" PRIu64
                ": its WriteBatch header "
                "says %" PRIu32 " entries but it holds %" PRIu64,
                r->rec_off, count, ops);
  }
  *n_ops = count;
  return ELMO_OK;
}

/* Hands out the next op of the current batch. Returns 1, or 0 when the batch is done. */
static int emit_batch(elmo_trace_reader *r, elmo_trace_op *op) {
  while (r->cur.n > 0) {
    entry e;
    decode_entry(&r->cur, &e); /* checked by check_batch */
    if (e.kind == ELMO_TRACE_END) continue;
    fill_common(r, op, e.kind);
    op->cf_id = e.cf;
    op->index_in_record = r->index++;
    op->ops_in_record = r->total;
    op->key = (const char *)e.key.p, op->key_len = e.key.n;
    if (e.kind == ELMO_TRACE_DELETE_RANGE) {
      op->end_key = (const char *)e.value.p, op->end_key_len = e.value.n;
    } else if (e.kind == ELMO_TRACE_PUT || e.kind == ELMO_TRACE_MERGE) {
      op->value = (const char *)e.value.p, op->value_len = e.value.n;
    }
    return 1;
  }
  return 0;
}

/* ---- MultiGet ------------------------------------------------------------------------------ */

static elmo_rc check_multiget(elmo_trace_reader *r, const fields *f, elmo_error *err) {
  if (f->mget_size == 0 || f->cfs.n != 4 * (uint64_t)f->mget_size) {
    return fail(r, err, ELMO_EPARSE,
                "MultiGet record at offset %" PRIu64 ": %" PRIu32
                " keys "
                "but %zu bytes of column family ids",
                r->rec_off, f->mget_size, f->cfs.n);
  }
  bytes b = f->keys, key;
  for (uint32_t i = 0; i < f->mget_size; i++) {
    if (!get_slice(&b, &key)) {
      return fail(r, err, ELMO_EPARSE,
                  "MultiGet record at offset %" PRIu64 ": key %" PRIu32 " at offset %" PRIu64
                  " is truncated",
                  r->rec_off, i, payload_offset(r, b.p));
    }
  }
  if (b.n != 0) {
    return fail(r, err, ELMO_EPARSE,
                "MultiGet record at offset %" PRIu64 ": %zu bytes after its %" PRIu32 " keys",
                r->rec_off, b.n, f->mget_size);
  }
  return ELMO_OK;
}

static int emit_multiget(elmo_trace_reader *r, elmo_trace_op *op) {
  bytes key;
  uint32_t cf;
  if (r->cur.n == 0 || !get_slice(&r->cur, &key) || !get_fixed32(&r->cfs, &cf)) return 0;
  fill_common(r, op, ELMO_TRACE_MULTIGET);
  op->cf_id = cf;
  op->index_in_record = r->index++;
  op->ops_in_record = r->total;
  op->key = (const char *)key.p, op->key_len = key.n;
  return 1;
}

/* ---- the op stream ------------------------------------------------------------------------- */

/* Reads one record and either fills *op (*emitted = 1) or sets up r->mode. */
static elmo_rc next_record(elmo_trace_reader *r, elmo_trace_op *op, int *emitted, elmo_error *err) {
  int type;
  fields f;
  *emitted = 0;
  elmo_rc rc = read_record(r, &type, err);
  if (rc != ELMO_OK) return rc;
  switch (type) {
    case 0:
      r->mode = MODE_DONE;
      return ELMO_OK;
    case T_END:
      r->counters.end_seen = 1;
      r->mode = MODE_DONE;
      return ELMO_OK;
    case T_BEGIN:
      return fail(r, err, ELMO_EPARSE, "second Begin record at offset %" PRIu64, r->rec_off);
    case T_GET:
    case T_SEEK:
    case T_SEEK_PREV:
      if ((rc = parse_fields(r, type, &f, err)) != ELMO_OK) return rc;
      emit_point(r, type, &f, op);
      *emitted = 1;
      return ELMO_OK;
    case T_WRITE:
      if ((rc = parse_fields(r, type, &f, err)) != ELMO_OK) return rc;
      if ((rc = check_batch(r, f.batch, &r->total, err)) != ELMO_OK) return rc;
      r->cur = (bytes){f.batch.p + BATCH_HEADER, f.batch.n - BATCH_HEADER};
      r->index = 0, r->mode = MODE_BATCH;
      return ELMO_OK;
    case T_MGET:
      if ((rc = parse_fields(r, type, &f, err)) != ELMO_OK) return rc;
      if ((rc = check_multiget(r, &f, err)) != ELMO_OK) return rc;
      r->cur = f.keys, r->cfs = f.cfs, r->total = f.mget_size;
      r->index = 0, r->mode = MODE_MGET;
      return ELMO_OK;
    default:
      r->counters.unknown_records++;
      return ELMO_OK;
  }
}

elmo_rc elmo_trace_reader_next(elmo_trace_reader *r, elmo_trace_op *op, elmo_error *err) {
  if (op != NULL) memset(op, 0, sizeof(*op));
  if (r == NULL || op == NULL)
    return elmo_error_set(err, ELMO_EINVAL, "reader and op must not be NULL");
  for (;;) {
    int emitted = 0;
    elmo_rc rc = ELMO_OK;
    switch (r->mode) {
      case MODE_FAILED:
        if (err != NULL) *err = r->failure;
        return r->failure.code;
      case MODE_DONE:
        op->kind = ELMO_TRACE_END;
        return ELMO_OK;
      case MODE_BATCH:
      case MODE_MGET:
        emitted = (r->mode == MODE_BATCH) ? emit_batch(r, op) : emit_multiget(r, op);
        if (!emitted) r->mode = MODE_IDLE;
        break;
      default:
        rc = next_record(r, op, &emitted, err);
        break;
    }
    if (rc != ELMO_OK) {
      memset(op, 0, sizeof(*op));
      return rc;
    }
    if (emitted) {
      r->counters.ops++;
      return ELMO_OK;
    }
  }
}

/* ---- the Begin record ---------------------------------------------------------------------- */

/* Finds label in the header text and reads the "major.minor" after it. Returns 1 or 0. */
static int header_version(bytes text, const char *label, int *major, int *minor) {
  size_t ln = strlen(label);
  for (size_t i = 0; i + ln <= text.n; i++) {
    if (memcmp(text.p + i, label, ln) != 0) continue;
    int v[2] = {0, 0};
    size_t j = i + ln;
    for (int part = 0; part < 2; part++) {
      size_t start = j;
      while (j < text.n && j - start < 6 && text.p[j] >= '0' && text.p[j] <= '9') {
        v[part] = v[part] * 10 + (text.p[j++] - '0');
      }
      if (j == start) return 0;
      if (part == 0 && (j >= text.n || text.p[j++] != '.')) return 0;
    }
    if (j < text.n && text.p[j] != '\t' && text.p[j] != '\n') return 0;
    *major = v[0], *minor = v[1];
    return 1;
  }
  return 0;
}

static elmo_rc read_begin(elmo_trace_reader *r, elmo_error *err) {
  int type;
  elmo_rc rc = read_record(r, &type, err);
  if (rc != ELMO_OK) return rc;
  if (type != T_BEGIN) {
    return fail(
        r, err, ELMO_EPARSE,
        type == 0 ? "empty trace: no Begin record at offset 0"
                  : "not a RocksDB query trace: the record at offset 0 has type %d, not Begin (1)",
        type);
  }
  bytes text = {r->pl, r->pl_len};
  size_t mn = sizeof(kMagic) - 1;
  if (text.n < mn || memcmp(text.p, kMagic, mn) != 0) {
    return fail(r, err, ELMO_EPARSE,
                "not a RocksDB query trace: the Begin record at offset 0 "
                "does not start with the magic \"%s\"",
                kMagic);
  }
  elmo_trace_header *h = &r->header;
  h->begin_timestamp_us = r->rec_ts;
  if (!header_version(text, "Trace Version: ", &h->trace_major, &h->trace_minor) ||
      !header_version(text, "RocksDB Version: ", &h->db_major, &h->db_minor)) {
    return fail(r, err, ELMO_EPARSE,
                "Begin record at offset 0: no \"Trace Version: M.m\" and "
                "\"RocksDB Version: M.m\" in its header");
  }
  if (h->trace_major != 0 || h->trace_minor < 2) {
    return fail(r, err, ELMO_ERANGE,
                "trace version %d.%d (Begin record at offset 0) is not "
                "supported: ELMo reads version 0.2 and later 0.x traces",
                h->trace_major, h->trace_minor);
  }
  return ELMO_OK;
}

/* ---- lifetime ------------------------------------------------------------------------------ */

static elmo_rc check_config(const elmo_trace_reader_config *cfg, uint64_t *max_record,
                            uint64_t *buffer, elmo_error *err) {
  static const struct {
    const char *name;
    size_t offset;
    uint64_t def, min, max;
  } kRows[] = {
      {"max_record_bytes", offsetof(elmo_trace_reader_config, max_record_bytes), 64u << 20,
       1u << 10, 1u << 30},
      {"buffer_bytes", offsetof(elmo_trace_reader_config, buffer_bytes), 256u << 10, 4u << 10,
       64u << 20},
  };
  uint64_t *outs[2] = {max_record, buffer};
  for (size_t i = 0; i < 2; i++) {
    uint64_t v = 0;
    if (cfg != NULL) memcpy(&v, (const char *)cfg + kRows[i].offset, sizeof(v));
    if (v != 0 && (v < kRows[i].min || v > kRows[i].max)) {
      return elmo_error_set(err, ELMO_ERANGE,
                            "trace reader %s = %" PRIu64 " is out of range %" PRIu64 "..%" PRIu64,
                            kRows[i].name, v, kRows[i].min, kRows[i].max);
    }
    *outs[i] = (v == 0) ? kRows[i].def : v;
  }
  return ELMO_OK;
}

static elmo_rc finish_open(elmo_trace_reader *r, elmo_trace_reader **out, elmo_error *err) {
  elmo_rc rc = read_begin(r, err);
  if (rc != ELMO_OK) {
    elmo_trace_reader_destroy(r);
    return rc;
  }
  r->mode = MODE_IDLE;
  *out = r;
  return ELMO_OK;
}

static elmo_rc new_reader(const elmo_trace_reader_config *cfg, elmo_trace_reader **r,
                          uint64_t *buffer, elmo_error *err) {
  uint64_t max_record = 0;
  elmo_rc rc = check_config(cfg, &max_record, buffer, err);
  if (rc != ELMO_OK) return rc;
  *r = calloc(1, sizeof(**r));
  if (*r == NULL) return elmo_error_set(err, ELMO_ENOMEM, "no memory for a trace reader");
  (*r)->max_record = max_record;
  return ELMO_OK;
}

elmo_rc elmo_trace_reader_open_mem(const void *data, size_t len,
                                   const elmo_trace_reader_config *cfg, elmo_trace_reader **out,
                                   elmo_error *err) {
  elmo_trace_reader *r;
  uint64_t buffer;
  if (out != NULL) *out = NULL;
  if (out == NULL || (data == NULL && len > 0)) {
    return elmo_error_set(err, ELMO_EINVAL, "trace bytes and out must not be NULL");
  }
  elmo_rc rc = new_reader(cfg, &r, &buffer, err);
  if (rc != ELMO_OK) return rc;
  r->mem = data, r->mem_len = len;
  return finish_open(r, out, err);
}

elmo_rc elmo_trace_reader_open(const char *path, const elmo_trace_reader_config *cfg,
                               elmo_trace_reader **out, elmo_error *err) {
  elmo_trace_reader *r;
  uint64_t buffer;
  if (out != NULL) *out = NULL;
  if (path == NULL || out == NULL)
    return elmo_error_set(err, ELMO_EINVAL, "path and out must not be NULL");
  elmo_rc rc = new_reader(cfg, &r, &buffer, err);
  if (rc != ELMO_OK) return rc;
  r->f = fopen(path, "rb");
  if (r->f == NULL) {
    elmo_trace_reader_destroy(r);
    return elmo_error_set(err, ELMO_EIO, "cannot open trace file %s", path);
  }
  rc = elmo_trace_side_open(path, &r->side, err);
  if (rc != ELMO_OK) {
    elmo_trace_reader_destroy(r);
    return rc;
  }
  r->counters.has_side = r->side != NULL;
  r->vbuf = malloc((size_t)buffer);
  if (r->vbuf == NULL || setvbuf(r->f, r->vbuf, _IOFBF, (size_t)buffer) != 0) {
    elmo_trace_reader_destroy(r);
    return elmo_error_set(err, ELMO_ENOMEM, "no memory for a %" PRIu64 "-byte read buffer", buffer);
  }
  rc = finish_open(r, out, err);
  if (rc == ELMO_EIO && err != NULL) {
    size_t n = strlen(err->message);
    snprintf(err->message + n, sizeof(err->message) - n, " (%s)", path);
  }
  return rc;
}

void elmo_trace_reader_destroy(elmo_trace_reader *r) {
  if (r == NULL) return;
  if (r->f != NULL) fclose(r->f);
  elmo_trace_side_destroy(r->side);
  free(r->vbuf);
  free(r->buf);
  free(r);
}

const elmo_trace_header *elmo_trace_reader_header(const elmo_trace_reader *r) {
  return (r == NULL) ? NULL : &r->header;
}

elmo_trace_counters elmo_trace_reader_counters(const elmo_trace_reader *r) {
  elmo_trace_counters zero = {0, 0, 0, 0, 0, 0, 0};
  return (r == NULL) ? zero : r->counters;
}

/* ---- reader + characterizer ---------------------------------------------------------------- */

static elmo_rc feed_all(elmo_trace_reader *r, elmo_trace_stats *s, elmo_error *err) {
  for (;;) {
    elmo_trace_op op;
    elmo_rc rc = elmo_trace_reader_next(r, &op, err);
    if (rc != ELMO_OK || op.kind == ELMO_TRACE_END) return rc;
    if ((rc = elmo_trace_stats_add(s, &op, err)) != ELMO_OK) return rc;
  }
}

elmo_rc elmo_trace_characterize(const char *path, const elmo_trace_reader_config *rcfg,
                                const elmo_trace_stats_config *scfg, elmo_trace_summary **out,
                                elmo_error *err) {
  elmo_trace_reader *r = NULL;
  elmo_trace_stats *s = NULL;
  if (out != NULL) *out = NULL;
  if (out == NULL) return elmo_error_set(err, ELMO_EINVAL, "out must not be NULL");
  elmo_rc rc = elmo_trace_stats_create(scfg, &s, err);
  if (rc == ELMO_OK) rc = elmo_trace_reader_open(path, rcfg, &r, err);
  if (rc == ELMO_OK) rc = feed_all(r, s, err);
  if (rc == ELMO_OK) rc = elmo_trace_stats_summarize(s, out, err);
  elmo_trace_reader_destroy(r);
  elmo_trace_stats_destroy(s);
  return rc;
}
