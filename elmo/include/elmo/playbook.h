/*
 * playbook.h — what offline tuning learned, for the realtime tuner: workload signatures and the
 * runtime-mutable options tuned for each.
 *
 * Module elmo/src/advisor/ (playbook.c). `elmotune` writes playbook.json beside best.ini (and
 * merges its entry into --elmo_playbook=FILE); `elmo_playbook=FILE` gives one to the realtime
 * tuner, which on a shift first tries the entry nearest the new workload, verified by
 * switchback, before asking its rules or an LLM (realtime.h, docs/REALTIME.md).
 *
 * The file (JSON):
 *
 *   {"elmo_playbook": 1, "rocksdb_version": "7.8.3",
 *    "entries": [{"name": "readrandomwriterandom:90",
 *                 "signature": {"read": 0.9, "write": 0.1, "scan": 0, "value_bytes": 100},
 *                 "options": {"DBOptions": {"bytes_per_sync": "1048576"},
 *                             "CFOptions": {"write_buffer_size": "16777216"},
 *                             "TableOptions/BlockBasedTable": {"block_size": "8192"}},
 *                 "gain": 0.21, "source": "elmotune 2026-12-07T23:00:00Z"}]}
 *
 * read, write and scan are the shares of the operations (each in [0, 1], summing to 1 within
 * 0.01); value_bytes > 0; option values are strings (numbers are accepted and kept as written);
 * gain (optional) is the confirmed gain over the baseline; source (optional) says where it came
 * from. Unknown fields are errors that name them, as everywhere in ELMo.
 *
 * Conventions: see elmo.h.
 */
#ifndef ELMO_PLAYBOOK_H
#define ELMO_PLAYBOOK_H

#include <stddef.h>

#include "elmo/catalog.h"
#include "elmo/elmo.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ELMO_PLAYBOOK_VERSION 1
#define ELMO_PLAYBOOK_MAX_ENTRIES 64
#define ELMO_PLAYBOOK_MAX_OPTIONS 32
#define ELMO_PLAYBOOK_MAX_BYTES (1u << 20)

typedef struct elmo_playbook_option {
  elmo_section section;
  char name[64];
  char value[128];
} elmo_playbook_option;

typedef struct elmo_playbook_entry {
  char name[128];
  double read, write, scan;  /* the workload's operation mix */
  double value_bytes;        /* mean bytes per written value */
  elmo_playbook_option options[ELMO_PLAYBOOK_MAX_OPTIONS];
  size_t n_options;
  double gain;               /* confirmed gain over the baseline; 0 unknown */
  char source[256];
} elmo_playbook_entry;

typedef struct elmo_playbook {
  elmo_playbook_entry entries[ELMO_PLAYBOOK_MAX_ENTRIES];
  size_t n;
} elmo_playbook;

/* Parses a playbook's JSON text (len bytes). OUT *out: cleared, then filled. Returns ELMO_OK,
 * ELMO_EPARSE (not JSON, a wrong type, an unknown field, a bad share or size, another RocksDB
 * version: the message names the field and the entry), ELMO_ETOOBIG (more than the maximum
 * entries, options per entry, or a name or value too long), ELMO_EINVAL (NULL). Pure. */
ELMO_API elmo_rc elmo_playbook_parse(const char *json, size_t len, elmo_playbook *out, elmo_error *err);

/* Reads and parses the file at path (at most ELMO_PLAYBOOK_MAX_BYTES). ELMO_EIO names the path
 * and the reason; otherwise as elmo_playbook_parse, with the path in the message. */
ELMO_API elmo_rc elmo_playbook_load(const char *path, elmo_playbook *out, elmo_error *err);

/* Checks every option against the catalog: known in its section and runtime-mutable (the only
 * kind the realtime tuner may set). ELMO_EINVAL names the first entry and option that is not. */
ELMO_API elmo_rc elmo_playbook_check(const elmo_playbook *pb, const elmo_catalog *cat, elmo_error *err);

/* The playbook as JSON text (the format above, indented). New string (elmo_free); NULL on ENOMEM. */
ELMO_API char *elmo_playbook_json(const elmo_playbook *pb);

/* Writes the playbook to path atomically (a reader sees the old file or the new one). */
ELMO_API elmo_rc elmo_playbook_save(const elmo_playbook *pb, const char *path, elmo_error *err);

/* Adds e, replacing an entry of the same name or with the same signature (mix within 0.02 and
 * value size within 10%): the newer tuning wins. ELMO_ETOOBIG when full. */
ELMO_API elmo_rc elmo_playbook_add(elmo_playbook *pb, const elmo_playbook_entry *e, elmo_error *err);

/* The entry nearest a workload: the smallest total-variation distance of the mix, at most
 * max_mix, among entries whose value size is within a factor (1 + max_value_change) of
 * value_bytes (value_bytes <= 0: any size). NULL when none is that near. OUT *distance (may be
 * NULL): its mix distance. Pure. */
ELMO_API const elmo_playbook_entry *elmo_playbook_nearest(const elmo_playbook *pb, double read, double write,
                                                         double scan, double value_bytes, double max_mix,
                                                         double max_value_change, double *distance);

/* The entry's options as an answer the calibrator reads (```ini with [DBOptions], [CFOptions
 * "default"] and [TableOptions/BlockBasedTable "default"] sections). New string (elmo_free). */
ELMO_API char *elmo_playbook_entry_answer(const elmo_playbook_entry *e);

#ifdef __cplusplus
}
#endif

#endif /* ELMO_PLAYBOOK_H */
