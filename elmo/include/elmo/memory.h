/*
 * memory.h — how much memory a RocksDB configuration will use.
 *
 * Conventions: see elmo.h. Pure functions.
 *
 * The model (docs/MEMORY.md gives the derivation and its check against measured RSS):
 *   block cache      capacity (block_cache=BYTES in the table section; when absent, RocksDB
 *                    7.8.3's own 8 MiB LRU per column family, 0 with no_block_cache=true;
 *                    shared across CFs when the same value — counted once)
 *   memtables        per CF: write_buffer_size × max_write_buffer_number
 *                    (capped by db_write_buffer_size when set), summed over CFs
 *   table readers    index + filter blocks of all SST files when they are NOT charged to the block
 *                    cache (cache_index_and_filter_blocks=false): for the dataset,
 *                    filter = keys × bits_per_key / 8 (bits from filter_policy, 0 when none),
 *                    index = (data_bytes / block_size) × (avg_key_size + 24);
 *                    when charged to the cache they only count beyond the cache capacity
 *   row cache        row_cache capacity (DB option)
 *   compaction/flush per background job: compaction_readahead_size + 2 × target_file_size_base
 *                    output buffering bounded by writable_file_max_buffer_size
 *   fixed overhead   a constant for the process, threads and allocator slack (documented value)
 */
#ifndef ELMO_MEMORY_H
#define ELMO_MEMORY_H

#include <stdint.h>

#include "elmo/elmo.h"
#include "elmo/optfile.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the model needs to know about the data. Zeroes mean "unknown": the terms that need them
 * are then estimated as 0 and the breakdown says so. */
typedef struct elmo_dataset {
  uint64_t num_keys;        /* live keys */
  uint64_t avg_key_bytes;   /* average user key size */
  uint64_t avg_value_bytes; /* average value size */
  uint64_t data_bytes;      /* on-disk SST bytes (after compression); 0: num_keys × (k + v) */
} elmo_dataset;

typedef struct elmo_memory_breakdown {
  uint64_t block_cache;   /* bytes */
  uint64_t memtables;     /* bytes */
  uint64_t table_readers; /* bytes: index + filter outside the block cache */
  uint64_t row_cache;     /* bytes */
  uint64_t background;    /* bytes: compaction and flush buffers */
  uint64_t fixed;         /* bytes */
  uint64_t total;         /* bytes: the sum of the above */
  int dataset_known;      /* 1 when the table-reader term used dataset facts */
} elmo_memory_breakdown;

/*
 * Estimates the memory of the configuration in f for the dataset (NULL: unknown).
 * Values that do not parse are taken at RocksDB's defaults (the calibrator has rejected bad ones
 * before this is called). Returns ELMO_OK or ELMO_EINVAL (NULL f/out).
 */
ELMO_API elmo_rc elmo_memory_estimate(const elmo_optfile *f, const elmo_dataset *ds,
                             elmo_memory_breakdown *out, elmo_error *err);

/* A one-line human summary, e.g. "412 MiB = cache 256 MiB + memtables 128 MiB + ...".
 * Returns a new string (elmo_free). */
ELMO_API char *elmo_memory_describe(const elmo_memory_breakdown *m);

#ifdef __cplusplus
}
#endif

#endif /* ELMO_MEMORY_H */
