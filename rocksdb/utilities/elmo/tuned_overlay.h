// tuned_overlay.h — elmo_tuned_options=FILE: a tuned OPTIONS file (elmotune's best.ini, or any
// OPTIONS file) laid over the options a program opens its DB with, before the DB opens.
//
// Only values are taken, never objects only code can provide: for the DB, for each column family
// FILE names that the program opens, and for the block-based table options of those column
// families, every option FILE sets to a value other than the program's (as given, and as RocksDB
// sanitizes it) and other than RocksDB's default (as given, and as a fresh DB writes it: derived
// values like ttl or arena_block_size are RocksDB's, not the tuner's choices) goes through the
// calibrator (catalog, ranges, locks, cross-option rules, RocksDB's parser on each value); what
// it accepts is applied with RocksDB's own GetDBOptionsFromMap / GetColumnFamilyOptionsFromMap /
// GetBlockBasedTableOptionsFromMap, one section at a time (a section RocksDB refuses is left as
// the program had it). Skipped: options of the catalog's locked, deprecated or alias kind,
// pluggable objects other than filter_policy and block_cache (comparator, merge operator, env,
// listeners, table factories, prefix extractors, ...), column families the program does not open,
// table options of a column family whose table factory is not block-based. See docs/UNCHANGED.md.

#pragma once

#include <string>
#include <vector>

#include "rocksdb/db.h"
#include "rocksdb/options.h"

// ELMo's glue is private to librocksdb: none of it is exported (tests/dropin/check_exports.sh).
#pragma GCC visibility push(hidden)

namespace ROCKSDB_NAMESPACE {

// One option the overlay looked at.
struct ElmoOverlayChange {
  std::string section;  // "DBOptions", "CFOptions", "TableOptions/BlockBasedTable"
  std::string cf;       // column family ("" for DBOptions)
  std::string name, from, to;
  bool applied = false;
  std::string why;      // why not applied (empty when applied)
};

// Lays file over *db_options and *cfs. *changes lists every option FILE sets to a value other
// than the program's, applied or not. Returns OK (also when nothing applied), or an error naming
// FILE when it is missing, unreadable or not an OPTIONS file RocksDB loads; the options are then
// unchanged.
Status ElmoApplyTunedOptions(const std::string& file, DBOptions* db_options,
                             std::vector<ColumnFamilyDescriptor>* cfs,
                             std::vector<ElmoOverlayChange>* changes);

// True while the overlay opens its throwaway DB of RocksDB's defaults on this thread: ELMo's
// open hooks stand aside for it.
bool ElmoMakingOverlayDefaults();

// "write_buffer_size (CFOptions \"default\"): 67108864 -> 134217728" (+ ": not applied: why").
std::string ElmoDescribeOverlayChange(const ElmoOverlayChange& c);

}  // namespace ROCKSDB_NAMESPACE

#pragma GCC visibility pop
