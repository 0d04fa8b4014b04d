/* trace_side.c — the side file elmo_trace writes beside a trace: which thread wrote each record,
 * and how many Next()/Prev() calls followed each traced seek (format in trace.h).
 *
 * Two passes over the file: at open, every scan entry is read into one array sorted by record
 * (at most ELMO_TRACE_SIDE_MAX_SCANS of them); then thread entries are streamed in step with the
 * trace's records, and each record's scan length is found by a cursor over that array. */
#include "elmo/trace.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIDE_MAGIC "ELMOTID1\n"
#define SIDE_MAGIC_LEN 9
#define THREAD_ENTRY 2 /* after its tag: uint16 thread */
#define SCAN_ENTRY 12  /* after its tag: uint64 record, uint32 moves */

typedef struct scan {
  uint64_t record;
  uint32_t moves;
} scan;

struct elmo_trace_side {
  FILE *f; /* the second pass: thread entries in record order */
  scan *scans;
  size_t n_scans, at;
  uint64_t record; /* index of the record the next call describes */
  int ended;       /* no more thread entries: later records are unknown */
  elmo_trace_side_counters counters;
};

static uint64_t le(const unsigned char *p, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; i--) v = v << 8 | p[i];
  return v;
}

static int by_record(const void *a, const void *b) {
  uint64_t x = ((const scan *)a)->record, y = ((const scan *)b)->record;
  return x < y ? -1 : x > y;
}

/* The first pass: checks the magic and every tag, keeps the scan entries. A last entry cut short
 * (a writer killed mid-write) ends the file. */
static elmo_rc read_scans(elmo_trace_side *s, FILE *f, const char *path, elmo_error *err) {
  unsigned char buf[1 + SCAN_ENTRY];
  size_t cap = 0;
  if (fread(buf, 1, SIDE_MAGIC_LEN, f) != SIDE_MAGIC_LEN || memcmp(buf, SIDE_MAGIC, SIDE_MAGIC_LEN)) {
    return elmo_error_set(err, ELMO_EPARSE,
                          "%s: not an ELMo thread file (no \"ELMOTID1\" header); remove it to read "
                          "the trace without thread ids", path);
  }
  for (uint64_t off = SIDE_MAGIC_LEN;;) {
    int tag = fgetc(f);
    if (tag == EOF) break;
    size_t need = tag == 'T' ? THREAD_ENTRY : tag == 'N' ? SCAN_ENTRY : 0;
    if (need == 0) {
      return elmo_error_set(err, ELMO_EPARSE,
                            "%s: unknown entry tag 0x%02x at offset %" PRIu64
                            "; remove it to read the trace without thread ids", path, tag, off);
    }
    if (fread(buf, 1, need, f) != need) {
      s->counters.truncated_tail = 1;
      break;
    }
    off += 1 + need;
    if (tag == 'T') continue;
    if (s->n_scans == ELMO_TRACE_SIDE_MAX_SCANS) {
      s->counters.scans_dropped++;
      continue;
    }
    if (s->n_scans == cap) {
      size_t ncap = cap ? cap * 2 : 1024;
      scan *grown = realloc(s->scans, ncap * sizeof(*grown));
      if (grown == NULL) return elmo_error_set(err, ELMO_ENOMEM, "%s: out of memory", path);
      s->scans = grown, cap = ncap;
    }
    s->scans[s->n_scans++] = (scan){le(buf, 8), (uint32_t)le(buf + 8, 4)};
  }
  if (ferror(f)) return elmo_error_set(err, ELMO_EIO, "%s: read error", path);
  if (s->n_scans > 1) qsort(s->scans, s->n_scans, sizeof(*s->scans), by_record); /* qsort(NULL, 0) is UB */
  s->counters.scans = s->n_scans;
  return ELMO_OK;
}

elmo_rc elmo_trace_side_open(const char *trace_path, elmo_trace_side **out, elmo_error *err) {
  if (out != NULL) *out = NULL;
  if (trace_path == NULL || out == NULL) {
    return elmo_error_set(err, ELMO_EINVAL, "trace path and out must not be NULL");
  }
  size_t n = strlen(trace_path) + sizeof(ELMO_TRACE_SIDE_SUFFIX);
  char *path = malloc(n);
  if (path == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  snprintf(path, n, "%s%s", trace_path, ELMO_TRACE_SIDE_SUFFIX);
  FILE *f = fopen(path, "rb");
  if (f == NULL) { /* none: a trace from RocksDB's own tracing, or from before ELMo kept one */
    free(path);
    return ELMO_OK;
  }
  elmo_trace_side *s = calloc(1, sizeof(*s));
  elmo_rc rc = s ? read_scans(s, f, path, err) : elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  if (rc == ELMO_OK && fseek(f, SIDE_MAGIC_LEN, SEEK_SET) != 0) {
    rc = elmo_error_set(err, ELMO_EIO, "%s: cannot seek", path);
  }
  free(path);
  if (rc != ELMO_OK) {
    fclose(f);
    elmo_trace_side_destroy(s);
    return rc;
  }
  s->f = f;
  *out = s;
  return ELMO_OK;
}

/* The next thread entry's id, skipping scan entries; 0 at the end of the file. */
static uint32_t next_thread(elmo_trace_side *s) {
  unsigned char buf[SCAN_ENTRY];
  while (!s->ended) {
    int tag = fgetc(s->f);
    size_t need = tag == 'T' ? THREAD_ENTRY : tag == 'N' ? SCAN_ENTRY : 0;
    if (need == 0 || fread(buf, 1, need, s->f) != need) break;
    if (tag == 'T') return (uint32_t)le(buf, 2);
  }
  s->ended = 1;
  return 0;
}

void elmo_trace_side_next(elmo_trace_side *s, elmo_trace_side_record *rec) {
  memset(rec, 0, sizeof(*rec));
  if (s == NULL) return;
  rec->thread = next_thread(s);
  while (s->at < s->n_scans && s->scans[s->at].record < s->record) s->at++;
  if (s->at < s->n_scans && s->scans[s->at].record == s->record) {
    rec->has_scan_length = 1;
    rec->scan_length = s->scans[s->at].moves;
  }
  s->record++;
  s->counters.records++;
  if (rec->thread == 0) s->counters.records_unknown++;
}

elmo_trace_side_counters elmo_trace_side_get_counters(const elmo_trace_side *s) {
  elmo_trace_side_counters zero;
  memset(&zero, 0, sizeof(zero));
  return s == NULL ? zero : s->counters;
}

void elmo_trace_side_destroy(elmo_trace_side *s) {
  if (s == NULL) return;
  if (s->f != NULL) fclose(s->f);
  free(s->scans);
  free(s);
}
