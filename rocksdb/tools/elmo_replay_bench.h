// elmo_replay_bench.h — `db_bench --benchmarks=elmoreplay --elmo_replay_trace=FILE`: a RocksDB
// query trace replayed as fast as db_bench's threads go, with db_bench's Stats.
//
// RocksDB's own `replay` benchmark keeps the trace's timing (or a multiple of it) and reports no
// throughput or latency. elmotune's replay confirmation needs the opposite: the program's real
// operations in their real order, as fast as possible, measured like every other benchmark. So:
//  - The trace's records are handed out in order, one at a time, to --threads client threads
//    (a shared cursor under a mutex); each thread executes its record and reports it to its own
//    Stats: Get and MultiGet as reads, a write batch as one write, an iterator seek as a seek.
//  - Get, MultiGet and write batches run through RocksDB's Replayer::Execute. An iterator seek is
//    run here: Seek (or SeekForPrev) with the record's bounds, then --seek_nexts Next calls
//    (RocksDB's trace has no Next records; elmotune passes the modeled scan length).
//  - A trace ELMo captured has a side file (TRACE.elmo-threads, elmo/trace.h) with the thread of
//    every record and the Next()/Prev() calls after every seek. Then the replay runs one thread
//    per program thread (--threads is ignored), each reading the trace on its own and replaying
//    that thread's records in order (decoding only those: nothing is held in memory), and every
//    seek makes the program's own number of Next (SeekForPrev: Prev) calls.
//  - With --duration=N > 0 the replay stops after N seconds, starting the trace again at its end
//    while time remains; with 0 it runs the trace once.
//  - A record on a column family other than the default one, or a record that fails to execute
//    (a merge without a merge operator), stops the benchmark with an error that says so. A trace
//    cut short inside its last record (a writer that was killed) ends there.
//  - --elmo_replay_load_only=1 builds a DB the trace can run on instead of replaying it: every key
//    the trace reads, seeks or writes, plus filler keys up to --num (each a trace key followed by
//    an 8-byte counter, so they spread over the same key space), sorted, with --value_size
//    values of db_bench's compressible data, WAL off, then a flush.
#pragma once

#include <memory>

#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/status.h"
#include "tools/elmo_spec_bench.h"

namespace ROCKSDB_NAMESPACE {

class ElmoReplayBench {
 public:
  // Opens --elmo_replay_trace against db's default column family and reads the flags it needs
  // (--threads, --duration, --seek_nexts, --num, --value_size, --compression_ratio,
  // --elmo_replay_load_only). Called on db_bench's main thread. Errors name the trace or flag.
  static Status Open(DB* db, const ReadOptions& read_options,
                     std::unique_ptr<ElmoReplayBench>* out);
  ~ElmoReplayBench();

  // Client threads db_bench must start (1 for the load step).
  int threads() const;

  // Runs thread tid's share of the replay (or, with --elmo_replay_load_only, the load on tid 0),
  // reporting through reporter (op is an elmo_spec_op). Returns the first failed call's status.
  Status RunThread(int tid, const ElmoSpecReporter& reporter);

  ElmoReplayBench(const ElmoReplayBench&) = delete;
  ElmoReplayBench& operator=(const ElmoReplayBench&) = delete;

 private:
  struct State;
  explicit ElmoReplayBench(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace ROCKSDB_NAMESPACE
