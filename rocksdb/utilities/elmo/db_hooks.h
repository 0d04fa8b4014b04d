// db_hooks.h — the three calls RocksDB's open and close paths make into ELMo (patches/0007).
//
//   ElmoDBOpenPrepare  first thing in DBImpl::Open, DBImplReadOnly's open and DB::OpenAsSecondary:
//                      into a copy of the options go the environment's ELMo settings
//                      (env_settings.h), the tuned file elmo_tuned_options names (tuned_overlay.h)
//                      and, for a read-write open with elmo_autotune=true, the realtime tuner's
//                      statistics (realtime_thread.h).
//   ElmoDBOpened       at the end of a successful open: Prepare's notes go to the DB's LOG, then
//                      tracing (trace_capture.h) and, on a read-write DB, the tuner start.
//   ElmoDBClosing      first thing in DBImpl::CloseHelper: both stop.
//
// Without ELMo settings anywhere, Prepare is two getenv calls and a pointer test, and Closing two
// relaxed atomic loads: the DB runs as on Debian's library.

#pragma once

#include <string>
#include <vector>

#include "rocksdb/db.h"
#include "rocksdb/options.h"

namespace ROCKSDB_NAMESPACE {
class DBImpl;  // RocksDB's own: declared outside the hidden region below
}  // namespace ROCKSDB_NAMESPACE

// ELMo's glue is private to librocksdb: none of it is exported (tests/dropin/check_exports.sh).
#pragma GCC visibility push(hidden)

namespace ROCKSDB_NAMESPACE {


// Room for the options ELMo changes (the caller's stay untouched).
struct ElmoOpenOptions {
  DBOptions db;
  std::vector<ColumnFamilyDescriptor> cfs;
};

// *db_out / *cfs_out are the caller's own options, or copies in *storage with ELMo's changes.
// read_write: false for OpenForReadOnly and OpenAsSecondary. Returns OK, or InvalidArgument when
// elmo_strict=true and an ELMo setting is bad (the open must then fail with it).
Status ElmoDBOpenPrepare(const DBOptions& db_in, const std::vector<ColumnFamilyDescriptor>& cfs_in,
                         const std::string& dbname, bool read_write, ElmoOpenOptions* storage,
                         const DBOptions** db_out,
                         const std::vector<ColumnFamilyDescriptor>** cfs_out);

// read_write as for Prepare (no realtime tuner on a read-only or secondary DB).
void ElmoDBOpened(DBImpl* db, bool read_write);

void ElmoDBClosing(DBImpl* db);

}  // namespace ROCKSDB_NAMESPACE

#pragma GCC visibility pop
