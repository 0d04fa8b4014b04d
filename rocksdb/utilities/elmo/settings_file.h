// settings_file.h — ELMO-SETTINGS: the DB's own elmo_* settings, kept beside its OPTIONS file.
//
// RocksDB never writes elmo_* keys into an OPTIONS file or an options string (their rows are
// kDontSerialize, realtime_options.h), so Debian's library and its ldb load every OPTIONS file
// this library writes. The settings the application's options gave (never the environment's) are
// written to <db>/ELMO-SETTINGS at every OPTIONS write, naming the OPTIONS file they belong to;
// LoadOptionsFromFile / LoadLatestOptions on this library read them back when the file they load
// is that one. RocksDB ignores files it does not know, so the DB stays a plain RocksDB DB.
//
// Format: the settings file syntax of ELMO_CONFIG (one key=value per line, '#' comments), with
// one more line, options_file=OPTIONS-000007. See docs/UNCHANGED.md.

#pragma once

#include <string>

#include "rocksdb/env.h"
#include "rocksdb/options.h"

namespace ROCKSDB_NAMESPACE {
struct ImmutableDBOptions;  // RocksDB's own: declared outside the hidden region below
}  // namespace ROCKSDB_NAMESPACE

// ELMo's glue is private to librocksdb: none of it is exported (tests/dropin/check_exports.sh).
#pragma GCC visibility push(hidden)

namespace ROCKSDB_NAMESPACE {


extern const char* const kElmoSettingsFileName;  // "ELMO-SETTINGS"

// Called after options_file (a full path, in dbname) was written: writes ELMO-SETTINGS for it
// (through a temporary file and a rename) when the options carry elmo_* keys of their own, and
// removes a stale one when they carry none. Problems are LOG lines; never fails the caller.
void ElmoWriteSettingsFile(const ImmutableDBOptions& options, const std::string& dbname,
                           const std::string& options_file);

// Called by LoadOptionsFromFile after options_file was parsed into *db_options: when the
// ELMO-SETTINGS beside it names it, adds its keys to *db_options (as if the OPTIONS file had them).
// A missing file changes nothing. Returns InvalidArgument naming ELMO-SETTINGS and the bad line
// when the file cannot be used; *db_options is then unchanged.
Status ElmoReadSettingsFile(Env* env, const std::string& options_file, DBOptions* db_options);

}  // namespace ROCKSDB_NAMESPACE

#pragma GCC visibility pop
