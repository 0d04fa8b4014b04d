// env_settings.h — ELMO_OPTIONS and ELMO_CONFIG: ELMo's keys for programs whose options nobody
// can change, merged into the options of each DB::Open.
//
// ELMO_OPTIONS holds an options string of elmo_* keys in RocksDB's syntax
// ("elmo_autotune=true;elmo_interval_sec=60"); ELMO_CONFIG names a file with the same keys, one
// key=value per line, '#' comments. Key by key the environment wins over the file, and both win
// over elmo_* keys in the application's own options (the notes say which value came from where).
// elmo_db=GLOB limits them to the DBs whose path matches. Every key is validated by the same table
// as an OPTIONS file's (elmo/src/realtime/realtime_config.c). A bad item is skipped with a note; with
// elmo_strict=true it fails the open instead. The environment's keys are in force for the DB but
// never written into it (ElmoTunerListener::overrides). See docs/UNCHANGED.md.

#pragma once

#include <string>
#include <vector>

#include "rocksdb/options.h"

// ELMo's glue is private to librocksdb: none of it is exported (tests/dropin/check_exports.sh).
#pragma GCC visibility push(hidden)

namespace ROCKSDB_NAMESPACE {

// Applies the settings of env_options (ELMO_OPTIONS' text, nullptr when unset) and config_path
// (ELMO_CONFIG, nullptr when unset) for the DB at dbname to *out, a copy of the options being
// opened. Appends one note per setting taken or skipped (for the DB's LOG, "[elmo] ..."). Returns
// OK, or InvalidArgument naming the first problem when elmo_strict=true; *out is always usable.
Status ElmoApplyEnvironment(const char* env_options, const char* config_path,
                            const std::string& dbname, DBOptions* out,
                            std::vector<std::string>* notes);

}  // namespace ROCKSDB_NAMESPACE

#pragma GCC visibility pop
