// elmo_tune.h — `db_bench --benchmarks=elmotune`: the offline tuner (elmo/include/elmo/tuner.h).
#pragma once

#include "rocksdb/rocksdb_namespace.h"

namespace ROCKSDB_NAMESPACE {

// Runs the tuning loop configured by the --elmo_* flags (and --db, --options_file, --num,
// --value_size). argv0 locates this db_bench binary, which runs the trials. Returns the exit
// status: 0 when a report was written, 1 on a bad flag or when the run could not start.
int ElmoTuneMain(const char* argv0);

}  // namespace ROCKSDB_NAMESPACE
