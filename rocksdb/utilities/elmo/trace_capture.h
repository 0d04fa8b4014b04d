// trace_capture.h — elmo_trace: RocksDB's query trace of a DB, from its open to its close, for
// programs that never call DB::StartTrace themselves.
//
// ElmoTraceStart runs at the end of a successful open when the DB's ELMo settings name a trace
// path (elmo_trace, usually from ELMO_OPTIONS); ElmoTraceStop ends the trace first thing in Close.
// The trace is RocksDB's own format (what db_bench --trace_file writes, what `elmo trace analyze`
// and --elmo_trace read), written by a TraceWriter of ELMo's that
//   - never overwrites: an existing file gets a numbered sibling (PATH.2, PATH.3, ...);
//   - writes whole records only, at least once a second, so a process killed without Close
//     leaves a trace that ends at a record boundary;
//   - stops (one LOG line, the trace stays valid) at elmo_trace_max_bytes, after
//     elmo_trace_seconds, or when the disk's free space falls below elmo_trace_min_free_bytes.
// Tracing problems are LOG lines; they never fail an open or a close.

#pragma once

#include "elmo/realtime.h"

namespace ROCKSDB_NAMESPACE {
class DBImpl;  // RocksDB's own: declared outside the hidden region below
}  // namespace ROCKSDB_NAMESPACE

// ELMo's glue is private to librocksdb: none of it is exported (tests/dropin/check_exports.sh).
#pragma GCC visibility push(hidden)

namespace ROCKSDB_NAMESPACE {


void ElmoTraceStart(DBImpl* db, const elmo_rt_config& cfg);
void ElmoTraceStop(DBImpl* db);

}  // namespace ROCKSDB_NAMESPACE

#pragma GCC visibility pop
