/*
 * catalog_overlay.c — what RocksDB's registries do not say about options: sane ranges, enum
 * spellings, resource classes and locks. Hand-kept; elmo_catalog_create rejects any row here
 * that names an option the engine does not have, so it cannot silently drift.
 *
 * Ranges are "sane for tuning", narrower than what the parser accepts: a value outside is
 * rejected with the range, never clamped. Sources: include/rocksdb/{options,advanced_options,
 * table}.h of 7.8.3, the RocksDB wiki's tuning guide, and SanitizeOptions (db/db_impl_open.cc).
 */
#include <string.h>

#include "catalog_internal.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define KIB 1024.0
#define MIB (1024.0 * KIB)
#define GIB (1024.0 * MIB)
#define TIB (1024.0 * GIB)

static const char *const kCompression[] = {
    "kNoCompression", "kSnappyCompression", "kZlibCompression", "kBZip2Compression",
    "kLZ4Compression", "kLZ4HCCompression", "kXpressCompression", "kZSTD",
    "kZSTDNotFinalCompression", "kDisableCompressionOption"};
static const char *const kCompactionStyle[] = {"kCompactionStyleLevel", "kCompactionStyleUniversal",
                                               "kCompactionStyleFIFO", "kCompactionStyleNone"};
static const char *const kCompactionPri[] = {"kByCompensatedSize", "kOldestLargestSeqFirst",
                                             "kOldestSmallestSeqFirst", "kMinOverlappingRatio",
                                             "kRoundRobin"};
static const char *const kChecksum[] = {"kNoChecksum", "kCRC32c", "kxxHash", "kxxHash64", "kXXH3"};
static const char *const kIndexType[] = {"kBinarySearch", "kHashSearch", "kTwoLevelIndexSearch",
                                         "kBinarySearchWithFirstKey"};
static const char *const kDataBlockIndex[] = {"kDataBlockBinarySearch", "kDataBlockBinaryAndHash"};
static const char *const kWalRecovery[] = {"kTolerateCorruptedTailRecords", "kAbsoluteConsistency",
                                           "kPointInTimeRecovery", "kSkipAnyCorruptedRecords"};
static const char *const kAccessHint[] = {"NONE", "NORMAL", "SEQUENTIAL", "WILLNEED"};
static const char *const kPrepopulate[] = {"kDisable", "kFlushOnly"};
static const char *const kTemperature[] = {"kUnknown", "kHot", "kWarm", "kCold"};
static const char *const kLogLevel[] = {"DEBUG_LEVEL", "INFO_LEVEL", "WARN_LEVEL",
                                        "ERROR_LEVEL", "FATAL_LEVEL", "HEADER_LEVEL"};
static const char *const kCacheTier[] = {"kVolatileTier", "kNonVolatileBlockTier"};
static const char *const kIndexShortening[] = {"kNoShortening", "kShortenSeparators",
                                               "kShortenSeparatorsAndSuccessor"};

#define ENUMS(a) a, N(a)
#define NOENUM NULL, 0
#define RANGE(lo, hi) ELMO_OPT_RANGE, (lo), (hi)
#define NORANGE 0, 0, 0
#define LOCK(reason) ELMO_OPT_LOCKED, 0, 0, NOENUM, (reason)

enum { DB = ELMO_SECTION_DB, CF = ELMO_SECTION_CF, TB = ELMO_SECTION_TABLE };
#define CPU ELMO_RES_CPU
#define MEM ELMO_RES_MEMORY
#define IO ELMO_RES_STORAGE
#define ADV ELMO_RES_ADVANCED

const elmo_overlay_entry elmo_overlay[] = {
    /* --- DBOptions: CPU ------------------------------------------------------------------- */
    {"max_background_jobs", DB, CPU, RANGE(1, 64), NOENUM, NULL},
    {"max_background_compactions", DB, CPU, RANGE(-1, 64), NOENUM, "-1: derived from max_background_jobs"},
    {"max_background_flushes", DB, CPU, RANGE(-1, 64), NOENUM, "-1: derived from max_background_jobs"},
    {"max_subcompactions", DB, CPU, RANGE(1, 64), NOENUM, NULL},
    {"enable_pipelined_write", DB, CPU, NORANGE, NOENUM, NULL},
    {"allow_concurrent_memtable_write", DB, CPU, NORANGE, NOENUM, NULL},
    {"enable_write_thread_adaptive_yield", DB, CPU, NORANGE, NOENUM, NULL},
    {"write_thread_max_yield_usec", DB, CPU, RANGE(0, 10000), NOENUM, NULL},
    {"write_thread_slow_yield_usec", DB, CPU, RANGE(0, 10000), NOENUM, NULL},
    {"two_write_queues", DB, CPU, NORANGE, NOENUM, NULL},
    {"table_cache_numshardbits", DB, CPU, RANGE(0, 19), NOENUM, NULL},
    /* --- DBOptions: memory ---------------------------------------------------------------- */
    {"db_write_buffer_size", DB, MEM, RANGE(0, 256 * GIB), NOENUM, "0: no DB-wide limit"},
    {"max_total_wal_size", DB, MEM, RANGE(0, 256 * GIB), NOENUM, "0: 4 x the memtable budget"},
    {"max_open_files", DB, MEM, RANGE(-1, 10000000), NOENUM, "-1: keep all table readers open"},
    {"stats_history_buffer_size", DB, MEM, RANGE(0, 1 * GIB), NOENUM, NULL},
    /* --- DBOptions: storage I/O ----------------------------------------------------------- */
    {"bytes_per_sync", DB, IO, RANGE(0, 1 * GIB), NOENUM, "0: off"},
    {"wal_bytes_per_sync", DB, IO, RANGE(0, 1 * GIB), NOENUM, "0: off"},
    {"strict_bytes_per_sync", DB, IO, NORANGE, NOENUM, NULL},
    {"compaction_readahead_size", DB, IO, RANGE(0, 256 * MIB), NOENUM, NULL},
    {"writable_file_max_buffer_size", DB, IO, RANGE(0, 256 * MIB), NOENUM, NULL},
    {"delayed_write_rate", DB, IO, RANGE(0, 64 * GIB), NOENUM, "bytes/s; 0: derived from rate limiter"},
    {"use_direct_reads", DB, IO, NORANGE, NOENUM, NULL},
    {"use_direct_io_for_flush_and_compaction", DB, IO, NORANGE, NOENUM, NULL},
    {"allow_mmap_reads", DB, IO, NORANGE, NOENUM, NULL},
    {"allow_mmap_writes", DB, IO, NORANGE, NOENUM, NULL},
    {"advise_random_on_open", DB, IO, NORANGE, NOENUM, NULL},
    {"access_hint_on_compaction_start", DB, IO, NORANGE, ENUMS(kAccessHint), NULL},
    {"manual_wal_flush", DB, IO, LOCK("the application must call FlushWAL(); data is lost on a crash otherwise")},
    {"use_fsync", DB, IO, NORANGE, NOENUM, NULL},
    {"wal_compression", DB, IO, NORANGE, ENUMS(kCompression), NULL},
    {"max_file_opening_threads", DB, CPU, RANGE(1, 256), NOENUM, NULL},
    {"info_log_level", DB, ADV, NORANGE, ENUMS(kLogLevel), NULL},
    {"lowest_used_cache_tier", DB, MEM, NORANGE, ENUMS(kCacheTier), NULL},
    {"stats_dump_period_sec", DB, ADV, RANGE(0, 86400), NOENUM, NULL},
    {"stats_persist_period_sec", DB, ADV, RANGE(0, 86400), NOENUM, NULL},
    {"delete_obsolete_files_period_micros", DB, IO, RANGE(0, 86400.0 * 1e6), NOENUM, NULL},
    {"max_manifest_file_size", DB, IO, RANGE(1 * MIB, 64 * GIB), NOENUM, NULL},
    {"max_log_file_size", DB, IO, RANGE(0, 64 * GIB), NOENUM, NULL},
    {"keep_log_file_num", DB, IO, RANGE(1, 100000), NOENUM, NULL},
    /* --- DBOptions: correctness, durability, identity: locked ----------------------------- */
    {"paranoid_checks", DB, ADV, LOCK("turning off checks can hide corruption")},
    {"wal_recovery_mode", DB, ADV, ELMO_OPT_LOCKED, 0, 0, ENUMS(kWalRecovery), "decides what is recovered after a crash"},
    {"create_if_missing", DB, ADV, LOCK("decides whether a missing DB is created: the application's choice")},
    {"create_missing_column_families", DB, ADV, LOCK("the application's choice")},
    {"error_if_exists", DB, ADV, LOCK("the application's choice")},
    {"unordered_write", DB, ADV, LOCK("breaks snapshot immutability")},
    {"atomic_flush", DB, ADV, LOCK("changes crash consistency across column families")},
    {"allow_ingest_behind", DB, ADV, LOCK("changes what the bottom level may hold")},
    {"best_efforts_recovery", DB, ADV, LOCK("may drop data on recovery")},
    {"wal_dir", DB, ADV, LOCK("a path: moving the WAL loses it")},
    {"db_log_dir", DB, ADV, LOCK("a path")},
    {"wal_filter", DB, ADV, LOCK("application plug-in")},
    {"avoid_flush_during_recovery", DB, ADV, NORANGE, NOENUM, NULL},
    {"avoid_flush_during_shutdown", DB, ADV, LOCK("unflushed data then depends on the WAL alone")},
    {"flush_verify_memtable_count", DB, ADV, LOCK("a correctness check")},
    {"enforce_single_del_contracts", DB, ADV, LOCK("a correctness check")},
    {"skip_checking_sst_file_sizes_on_db_open", DB, ADV, LOCK("hides missing or truncated files")},
    {"env", DB, ADV, LOCK("application plug-in")},
    {"file_checksum_gen_factory", DB, ADV, LOCK("application plug-in")},
    {"allow_2pc", DB, ADV, LOCK("transactions' choice")},
    {"track_and_verify_wals_in_manifest", DB, ADV, LOCK("a correctness check")},
    {"verify_sst_unique_id_in_manifest", DB, ADV, LOCK("a correctness check")},
    /* --- CFOptions: memory ---------------------------------------------------------------- */
    {"write_buffer_size", CF, MEM, RANGE(64 * KIB, 4 * GIB), NOENUM, NULL},
    {"max_write_buffer_number", CF, MEM, RANGE(2, 64), NOENUM, "RocksDB raises values below 2 to 2"},
    {"min_write_buffer_number_to_merge", CF, MEM, RANGE(1, 32), NOENUM, NULL},
    {"max_write_buffer_size_to_maintain", CF, MEM, RANGE(-1, 64 * GIB), NOENUM, NULL},
    {"memtable_prefix_bloom_size_ratio", CF, MEM, RANGE(0, 0.25), NOENUM, "RocksDB caps it at 0.25"},
    {"memtable_whole_key_filtering", CF, MEM, NORANGE, NOENUM, NULL},
    {"memtable_huge_page_size", CF, MEM, RANGE(0, 1 * GIB), NOENUM, NULL},
    {"arena_block_size", CF, MEM, RANGE(0, 1 * GIB), NOENUM, "0: derived from write_buffer_size"},
    {"inplace_update_num_locks", CF, MEM, RANGE(1, 1000000), NOENUM, NULL},
    /* --- CFOptions: compaction shape, storage I/O ----------------------------------------- */
    {"level0_file_num_compaction_trigger", CF, IO, RANGE(1, 256), NOENUM, NULL},
    {"level0_slowdown_writes_trigger", CF, IO, RANGE(1, 1024), NOENUM, ">= level0_file_num_compaction_trigger"},
    {"level0_stop_writes_trigger", CF, IO, RANGE(1, 1024), NOENUM, ">= level0_slowdown_writes_trigger"},
    {"target_file_size_base", CF, IO, RANGE(256 * KIB, 64 * GIB), NOENUM, NULL},
    {"target_file_size_multiplier", CF, IO, RANGE(1, 16), NOENUM, NULL},
    {"max_bytes_for_level_base", CF, IO, RANGE(1 * MIB, 1 * TIB), NOENUM, NULL},
    {"max_bytes_for_level_multiplier", CF, IO, RANGE(2, 100), NOENUM, NULL},
    {"level_compaction_dynamic_level_bytes", CF, IO, NORANGE, NOENUM, NULL},
    {"max_compaction_bytes", CF, IO, RANGE(0, 1 * TIB), NOENUM, "0: 25 x target_file_size_base"},
    {"soft_pending_compaction_bytes_limit", CF, IO, RANGE(0, 64 * TIB), NOENUM, "<= hard limit; 0: no slowdown"},
    {"hard_pending_compaction_bytes_limit", CF, IO, RANGE(0, 64 * TIB), NOENUM, "0: no stop"},
    {"compaction_pri", CF, IO, NORANGE, ENUMS(kCompactionPri), NULL},
    {"compression", CF, IO, NORANGE, ENUMS(kCompression), NULL},
    {"bottommost_compression", CF, IO, NORANGE, ENUMS(kCompression), NULL},
    {"blob_compression_type", CF, IO, NORANGE, ENUMS(kCompression), NULL},
    {"num_levels", CF, IO, ELMO_OPT_NO_DECREASE | ELMO_OPT_RANGE, 2, 20, NOENUM,
     "fewer levels than the DB has makes it unopenable"},
    {"max_sequential_skip_in_iterations", CF, CPU, RANGE(1, 1000000), NOENUM, NULL},
    {"max_successive_merges", CF, CPU, RANGE(0, 100000), NOENUM, NULL},
    {"bloom_locality", CF, MEM, RANGE(0, 1), NOENUM, NULL},
    {"ttl", CF, IO, RANGE(0, 3650.0 * 86400), NOENUM,
     "seconds; 0: off; the engine default 18446744073709551614 means automatic"},
    {"periodic_compaction_seconds", CF, IO, RANGE(0, 3650.0 * 86400), NOENUM,
     "seconds; 0: off; the engine default 18446744073709551614 means automatic"},
    {"bottommost_temperature", CF, IO, NORANGE, ENUMS(kTemperature), NULL},
    {"last_level_temperature", CF, IO, NORANGE, ENUMS(kTemperature), NULL},
    {"prepopulate_blob_cache", CF, MEM, NORANGE, ENUMS(kPrepopulate), NULL},
    {"enable_blob_files", CF, IO, NORANGE, NOENUM, NULL},
    {"min_blob_size", CF, IO, RANGE(0, 1 * GIB), NOENUM, NULL},
    {"blob_file_size", CF, IO, RANGE(1 * MIB, 64 * GIB), NOENUM, NULL},
    {"experimental_mempurge_threshold", CF, MEM, RANGE(0, 10), NOENUM, NULL},
    /* --- CFOptions: correctness, data layout: locked -------------------------------------- */
    {"comparator", CF, ADV, LOCK("changes key order: existing data becomes unreadable")},
    {"merge_operator", CF, ADV, LOCK("changes what stored merge operands mean")},
    {"compaction_filter", CF, ADV, LOCK("application plug-in: drops or changes data")},
    {"compaction_filter_factory", CF, ADV, LOCK("application plug-in: drops or changes data")},
    {"prefix_extractor", CF, ADV, LOCK("changes prefix-seek results and existing prefix filters")},
    {"table_factory", CF, ADV, LOCK("changes the SST format")},
    {"memtable_factory", CF, ADV, LOCK("some memtables do not support concurrent writes or iteration order")},
    {"compaction_style", CF, IO, ELMO_OPT_LOCKED, 0, 0, ENUMS(kCompactionStyle), "FIFO deletes data; switching styles needs a full compaction"},
    {"compaction_options_fifo", CF, ADV, LOCK("FIFO deletes data by size or age")},
    {"compaction_options_universal", CF, IO, NORANGE, NOENUM, NULL},
    {"disable_auto_compactions", CF, IO, LOCK("L0 grows without bound until writes stop; wins only short benchmarks")},
    {"inplace_update_support", CF, ADV, LOCK("breaks snapshots and iterator consistency")},
    {"force_consistency_checks", CF, ADV, LOCK("a correctness check")},
    {"paranoid_file_checks", CF, ADV, NORANGE, NOENUM, NULL},
    {"sst_partitioner_factory", CF, ADV, LOCK("application plug-in")},
    {"report_bg_io_stats", CF, ADV, NORANGE, NOENUM, NULL},
    /* --- BlockBasedTable ------------------------------------------------------------------ */
    {"block_size", TB, MEM, RANGE(1 * KIB, 4 * MIB), NOENUM, NULL},
    {"block_cache", TB, MEM, NORANGE, NOENUM, "capacity in bytes, or a cache spec"},
    {"block_cache_compressed", TB, MEM, NORANGE, NOENUM, NULL},
    {"cache_index_and_filter_blocks", TB, MEM, NORANGE, NOENUM, NULL},
    {"cache_index_and_filter_blocks_with_high_priority", TB, MEM, NORANGE, NOENUM, NULL},
    {"pin_l0_filter_and_index_blocks_in_cache", TB, MEM, NORANGE, NOENUM, NULL},
    {"pin_top_level_index_and_filter", TB, MEM, NORANGE, NOENUM, NULL},
    {"filter_policy", TB, MEM, NORANGE, NOENUM, "bloomfilter:BITS:false or ribbonfilter:BITS, BITS 1..40"},
    {"whole_key_filtering", TB, MEM, NORANGE, NOENUM, NULL},
    {"partition_filters", TB, MEM, NORANGE, NOENUM, "needs index_type=kTwoLevelIndexSearch"},
    {"optimize_filters_for_memory", TB, MEM, NORANGE, NOENUM, NULL},
    {"metadata_block_size", TB, MEM, RANGE(1 * KIB, 64 * MIB), NOENUM, NULL},
    {"block_restart_interval", TB, CPU, RANGE(1, 1024), NOENUM, NULL},
    {"index_block_restart_interval", TB, CPU, RANGE(1, 1024), NOENUM, NULL},
    {"block_size_deviation", TB, IO, RANGE(0, 100), NOENUM, "percent"},
    {"index_type", TB, MEM, NORANGE, ENUMS(kIndexType), NULL},
    {"data_block_index_type", TB, CPU, NORANGE, ENUMS(kDataBlockIndex), NULL},
    {"data_block_hash_table_util_ratio", TB, CPU, RANGE(0.1, 1), NOENUM, NULL},
    {"index_shortening", TB, MEM, NORANGE, ENUMS(kIndexShortening), NULL},
    {"checksum", TB, ADV, ELMO_OPT_LOCKED, 0, 0, ENUMS(kChecksum), "turning checksums off hides corruption"},
    {"format_version", TB, ADV, ELMO_OPT_RANGE, 2, 5, NOENUM, "versions 2..5; older readers cannot read newer formats"},
    {"prepopulate_block_cache", TB, MEM, NORANGE, ENUMS(kPrepopulate), NULL},
    {"max_auto_readahead_size", TB, IO, RANGE(0, 256 * MIB), NOENUM, NULL},
    {"initial_auto_readahead_size", TB, IO, RANGE(0, 256 * MIB), NOENUM, NULL},
    {"num_file_reads_for_auto_readahead", TB, IO, RANGE(0, 1000), NOENUM, NULL},
    {"no_block_cache", TB, MEM, NORANGE, NOENUM, NULL},
    {"flush_block_policy_factory", TB, ADV, LOCK("application plug-in")},
    {"verify_compression", TB, CPU, NORANGE, NOENUM, NULL},
    {"read_amp_bytes_per_bit", TB, MEM, RANGE(0, 1 * MIB), NOENUM, NULL},
    {"enable_index_compression", TB, CPU, NORANGE, NOENUM, NULL},
    {"block_align", TB, IO, NORANGE, NOENUM, NULL},
    {"detect_filter_construct_corruption", TB, CPU, NORANGE, NOENUM, NULL},
};
const size_t elmo_overlay_count = N(elmo_overlay);

/* Name fragments that tell an unlisted option's resource class. First match wins. */
static const struct {
  const char *fragment;
  elmo_resource resource;
} kGuesses[] = {
    {"cache", MEM},      {"buffer", MEM},     {"memtable", MEM},  {"bloom", MEM},
    {"filter", MEM},     {"thread", CPU},     {"background", CPU}, {"parallel", CPU},
    {"subcompaction", CPU}, {"sync", IO},     {"compaction", IO}, {"compression", IO},
    {"level", IO},       {"file_size", IO},   {"readahead", IO},  {"direct", IO},
    {"wal", IO},         {"blob", IO},        {"rate", IO},
};

elmo_resource elmo_overlay_guess_resource(const char *name) {
  for (size_t i = 0; i < N(kGuesses); i++) {
    if (strstr(name, kGuesses[i].fragment) != NULL) return kGuesses[i].resource;
  }
  return ADV;
}

/* Options that shape the files RocksDB writes: a new value applies to files written from then
 * on, so data already on disk keeps the old layout until compaction rewrites it. From
 * include/rocksdb/{table,advanced_options,options}.h of 7.8.3: what a table builder or a blob
 * writer reads. */
static const char *const kFileFormat[] = {
    /* block-based table */
    "block_size", "block_size_deviation", "block_restart_interval", "index_block_restart_interval",
    "metadata_block_size", "index_type", "data_block_index_type", "data_block_hash_table_util_ratio",
    "filter_policy", "whole_key_filtering", "partition_filters", "optimize_filters_for_memory",
    "format_version", "checksum", "enable_index_compression", "block_align", "index_shortening",
    "read_amp_bytes_per_bit",
    /* column family: compression, filters, blobs */
    "compression", "bottommost_compression", "compression_opts", "bottommost_compression_opts",
    "compression_per_level", "sample_for_compression", "prefix_extractor",
    "optimize_filters_for_hits", "enable_blob_files", "min_blob_size", "blob_file_size",
    "blob_compression_type"};

int elmo_catalog_shapes_files(const char *name) {
  for (size_t i = 0; name != NULL && i < N(kFileFormat); i++) {
    if (strcmp(kFileFormat[i], name) == 0) return 1;
  }
  return 0;
}
