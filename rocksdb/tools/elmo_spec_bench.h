// elmo_spec_bench.h — `db_bench --benchmarks=elmospec --elmo_spec=FILE.json`: runs a workload
// spec (elmo/include/elmo/spec.h, docs/WORKLOAD_SPEC.md) through db_bench's threads and Stats.
//
// How db_bench uses it (patches/0004): when the benchmark is "elmospec", Open() loads the spec,
// runs the load step if one is due, and tells how many threads to start; every db_bench client
// thread then calls RunThread() with hooks into its own Stats, so the result line, --histogram
// blocks (read, write, delete, seek, merge) and --report_file intervals come out as for any other
// benchmark, and --trace_file traces the phases (the load step runs before tracing starts).
//
// Generation (deterministic for a given --seed, spec and thread count):
//  - Key of index i: i as 8 big-endian bytes, then zero bytes up to its size. The size is a pure
//    function of i: an elmo_rng seeded from a hash of i draws once from key_size (rounded and
//    clamped to [ELMO_SPEC_KEY_SIZE_MIN, ELMO_SPEC_KEY_SIZE_MAX], as spec.h says). It does not
//    depend on --seed, so a DB loaded once serves runs with any seed.
//  - Key access (per phase): uniform {min,max} → floor(x), clamped to [0, num_keys); zipfian →
//    rank r, index = Scramble(r - 1), a fixed bijection of [0, num_keys) (see the .cc); classes
//    → a popularity rank r from the classes, scrambled the same way; latest →
//    puts and merges write the next index of a shared atomic counter (modulo num_keys; the load
//    step leaves it at num_keys), reads, seeks and deletes take newest - (r - 1); power {a,b} →
//    floor(num_keys * (u/a)^(1/b)) clamped; two_term_exp → a key range of key_ranges equal
//    ranges, uniform inside; the other kinds → floor(x) clamped.
//  - Values: a shared read-only buffer of db_bench's compressible data (--compression_ratio, as
//    db_bench's RandomGenerator makes it), read at a random offset; sizes drawn per write from
//    the phase's value_size (the model's own "min"/"max" clamps applied by its sampler, then
//    rounded, clamped to [0, ELMO_SPEC_VALUE_SIZE_MAX]); sizes past the
//    1 MiB buffer repeat it.
//  - Groups: a thread runs a group of its phase's threads, with the group's mix and rate; a phase
//    without groups is one group (all its threads, its mix and rate), a phase with groups
//    (spec.h) has one per group, group i running the tids after those of the groups before it.
//  - Ops: drawn per operation from the group's mix; a seek is Seek plus scan_length Next calls
//    (one operation, scan_length rounded and clamped to [0, ELMO_SPEC_SCAN_LENGTH_MAX]), a
//    multiget is one MultiGet of multiget_size keys (one operation, reported as a read).
//  - Rates: the group's. Unlimited; fixed qps shared by the group's threads (each paces
//    qps/threads by sleeping to its next deadline, staggered by its place in the group, and drops
//    the backlog when more than a second behind); sine qps(t) = a·sin(b·t + c) + d the same way,
//    t in spec seconds since the phase started.
//  - Time: phases run at their start times, counted from the moment db_bench releases its
//    threads (each thread reads the clock then; db_bench releases them together). A phase's
//    threads are tids 0 .. threads-1. --duration=N > 0 scales the whole timeline to N seconds.
//
// Thread-safety: after Open() the plan (spec, samplers, value buffer, options) is read-only; each
// client thread owns its elmo_rng (seeded from --seed, its tid and the phase), key and value
// buffers. The only shared mutable state is the atomic "latest" counter.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/status.h"

namespace ROCKSDB_NAMESPACE {

// Hooks into one db_bench thread's Stats. op is an elmo_spec_op (ELMO_SPEC_GET ..).
struct ElmoSpecReporter {
  // After each operation (ops operations of kind op, bytes read or written).
  std::function<void(int op, int64_t ops, int64_t bytes)> done;
  // After a pause (pacing, waiting for a phase): the next latency is measured from now.
  std::function<void()> resume;
};

class ElmoSpecBench {
 public:
  // Loads --elmo_spec, checks it against db (a merge phase needs a merge operator) and copies
  // the flags it needs (--duration, --use_existing_db, --compression_ratio,
  // --elmo_spec_load_only). When the spec preloads and --use_existing_db is off, writes every key
  // once (WAL disabled) and flushes. Called on db_bench's main thread. Errors name the spec field
  // (InvalidArgument) or the failing DB call.
  static Status Open(DB* db, const ReadOptions& read_options,
                     const WriteOptions& write_options, int64_t seed,
                     std::unique_ptr<ElmoSpecBench>* out);
  ~ElmoSpecBench();

  // Client threads db_bench must start: the phases' maximum (1 with --elmo_spec_load_only).
  int threads() const;

  // Runs thread tid's part of every phase (or, with --elmo_spec_load_only, the load step on tid
  // 0), reporting through reporter. Returns the first failed DB call's status.
  Status RunThread(int tid, const ElmoSpecReporter& reporter);

  ElmoSpecBench(const ElmoSpecBench&) = delete;
  ElmoSpecBench& operator=(const ElmoSpecBench&) = delete;

  struct Plan;  // the immutable run plan (elmo_spec_bench.cc)

 private:
  ElmoSpecBench(DB* db, std::unique_ptr<const Plan> plan);
  Status Load(const ElmoSpecReporter* reporter);

  DB* db_;
  std::unique_ptr<const Plan> plan_;
  std::atomic<uint64_t> written_;  // "latest": indices written in order so far (newest + 1)
  // Point reads, and those that found their key, of every thread (added after each phase);
  // printed when the benchmark ends: with real keys (--elmo_key_dict) most reads should hit.
  std::atomic<uint64_t> gets_{0}, found_{0};
};

}  // namespace ROCKSDB_NAMESPACE
