// elmo_tune.h — `db_bench --benchmarks=elmotune`: the offline tuner (elmo/include/elmo/tuner.h).
#pragma once

#include <cstdint>

#include "rocksdb/rocksdb_namespace.h"

namespace ROCKSDB_NAMESPACE {

// Runs the tuning loop configured by the --elmo_* flags (and --db, --options_file, --num,
// --value_size). argv0 locates this db_bench binary, which runs the trials. Returns the exit
// status: 0 when a report was written, 1 on a bad flag or when the run could not start.
int ElmoTuneMain(const char* argv0);

// --elmo_warmup_sec in microseconds when given on the command line, else 0: every benchmark's
// threads leave their first seconds out of the result line and histograms (patches/0011; the
// trials of elmotune pass it, so a trial's p99 holds no warm-up).
uint64_t ElmoWarmupMicros();

}  // namespace ROCKSDB_NAMESPACE
