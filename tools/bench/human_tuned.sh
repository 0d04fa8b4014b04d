#!/usr/bin/env bash
# human_tuned.sh MEMORY_BYTES CPUS > human.ini
# The "human-tuned" baseline: the RocksDB wiki's "Setup Options and Basic Tuning" / "RocksDB
# Tuning Guide" settings for a memory budget M and C CPUs, as an OPTIONS file
# (../shared/reference/baselines-and-anchors.md).
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: human_tuned.sh MEMORY_BYTES CPUS" >&2; exit 2; }
mem=$1 cpus=$2
case "$mem$cpus" in *[!0-9]*) echo "human_tuned.sh: MEMORY_BYTES and CPUS must be integers" >&2; exit 2;; esac
wbs=$((64 << 20)) merge=2 l0=4
l1=$((wbs * merge * l0))                 # level base = L0 size
cat <<INI
# Human-tuned baseline for ${mem} bytes of memory and ${cpus} CPUs (RocksDB tuning guide).
[Version]
  rocksdb_version=7.8.3
  options_file_version=1.1

[DBOptions]
  max_background_jobs=$((cpus + 2))
  bytes_per_sync=1048576
  wal_bytes_per_sync=1048576
  max_open_files=-1

[CFOptions "default"]
  write_buffer_size=${wbs}
  max_write_buffer_number=4
  min_write_buffer_number_to_merge=${merge}
  level_compaction_dynamic_level_bytes=true
  compaction_pri=kMinOverlappingRatio
  level0_file_num_compaction_trigger=${l0}
  level0_slowdown_writes_trigger=20
  level0_stop_writes_trigger=36
  max_bytes_for_level_base=${l1}
  target_file_size_base=$((l1 / 10))
  compression=kLZ4Compression
  bottommost_compression=kZSTD

[TableOptions/BlockBasedTable "default"]
  block_cache=$((mem / 3))
  filter_policy=bloomfilter:10:false
  cache_index_and_filter_blocks=true
  pin_l0_filter_and_index_blocks_in_cache=true
  block_size=16384
INI
