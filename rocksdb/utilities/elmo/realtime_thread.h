// realtime_thread.h — the realtime tuner's thread: started at the end of DBImpl::Open when the
// options say elmo_autotune=true, stopped at the top of DBImpl::CloseHelper (db_hooks.h).
//
// The thread is ELMo's own (never one of RocksDB's pools). Each interval it samples the DB's
// statistics and properties into an elmo_rt_sample, hands the pair of samples to the decision
// core (elmo/include/elmo/realtime.h), asks the advisor when the core says the workload moved,
// applies the calls the core returns with SetDBOptions/SetOptions, reports their status back,
// and writes every decision to the JSON-lines journal and a line to the DB's LOG. See
// docs/REALTIME.md.
//
// With elmo_autotune absent or false every hook is one pointer test (Prepare) or one relaxed
// atomic load (Stop): no thread, no statistics, no lock.
//
// Closing: ElmoRealtimeStop sets the stop flag, cancels an LLM call in flight, then waits for the
// one DB call the thread may be making (a property read or one SetOptions) to finish, and
// detaches the thread from the DB. It never waits for the advisor: an LLM exchange that is still
// unwinding finishes on the thread after the DB is gone and touches nothing of it.

#pragma once

#include "rocksdb/options.h"

namespace ROCKSDB_NAMESPACE {
class DBImpl;  // RocksDB's own: declared outside the hidden region below
}  // namespace ROCKSDB_NAMESPACE

// ELMo's glue is private to librocksdb: none of it is exported (tests/dropin/check_exports.sh).
#pragma GCC visibility push(hidden)

namespace ROCKSDB_NAMESPACE {


// Called by ElmoDBOpenPrepare (db_hooks.h). Without elmo_autotune=true returns `in` itself. With
// it, fills *storage (which may be `in` itself) with a copy of `in` whose statistics object is the tuner's own StatisticsImpl
// forwarding every tick and histogram value to the application's object (when it has one), so
// the tuner can read and reset per-interval histograms without touching the application's
// counters; returns *storage.
const DBOptions& ElmoRealtimePrepareOptions(const DBOptions& in, DBOptions* storage);

// Called by ElmoDBOpened at the end of a successful read-write open: starts the tuner when the DB's options say
// elmo_autotune=true. A tuner that cannot start (no catalog, journal not writable) writes why to
// the LOG and the DB runs without it: opening never fails because of the tuner.
void ElmoRealtimeStart(DBImpl* db);

// Called by ElmoDBClosing at the top of DBImpl::CloseHelper (Close and the destructor).
// Idempotent; returns
// within one DB call of the tuner's.
void ElmoRealtimeStop(DBImpl* db);

// Test hooks: the number of tuner threads running (all DBs), and whether db has one.
int ElmoRealtimeRunningCount();
bool ElmoRealtimeIsRunning(const DBImpl* db);

}  // namespace ROCKSDB_NAMESPACE

#pragma GCC visibility pop
