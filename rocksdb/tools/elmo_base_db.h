// elmo_base_db.h — elmotune --elmo_base_db: the program's own DB as the data of every trial.
//
// The DB is opened read-only (never for writing: no LOG, no lock) to write a key dictionary, a
// uniform sample of its default column family's keys, sorted, one hex-encoded key per line:
// elmospec's --elmo_key_dict, so the modeled workload reads and writes the program's keys
// instead of generated ones. The tuner then runs every trial on a clone of the DB (hard links
// for the immutable SST and blob files, copies of the rest: elmo_db_clone).

#pragma once

#include <cstddef>
#include <string>

#include "rocksdb/status.h"

namespace ROCKSDB_NAMESPACE {

// Samples up to max_keys keys of db (reservoir sampling, seeded: the same DB gives the same
// sample) into out_path. *n: the keys written. Merge operands in the DB are resolved with
// RocksDB's "put" operator (the program's own is code only it has). Returns InvalidArgument
// naming db when it is not a RocksDB DB or RocksDB cannot read it (a comparator of the program's
// own), IOError when out_path cannot be written.
Status ElmoSampleKeys(const std::string& db, size_t max_keys, const std::string& out_path,
                      size_t* n);

}  // namespace ROCKSDB_NAMESPACE
