// sizes.cc — prints sizeof/alignof of RocksDB's public option structs. Compiled twice, once with
// Debian's headers and once with ELMo's; the test requires identical output (same layout, so
// programs built for Debian's library pass these structs to ours safely).
#include <cstdio>

#include "rocksdb/options.h"
#include "rocksdb/table.h"

#define SHOW(T) std::printf("%-40s sizeof=%zu alignof=%zu\n", #T, sizeof(T), alignof(T))

int main() {
  SHOW(rocksdb::Options);
  SHOW(rocksdb::DBOptions);
  SHOW(rocksdb::ColumnFamilyOptions);
  SHOW(rocksdb::BlockBasedTableOptions);
  SHOW(rocksdb::ReadOptions);
  SHOW(rocksdb::WriteOptions);
  SHOW(rocksdb::FlushOptions);
  SHOW(rocksdb::CompactRangeOptions);
  SHOW(rocksdb::AdvancedColumnFamilyOptions);
  return 0;
}
