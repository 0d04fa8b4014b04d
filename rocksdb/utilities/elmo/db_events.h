// db_events.h — the DB's events for the realtime tuner: what ElmoTunerListener's callbacks
// (flush and compaction completed, write stall conditions changed, background error, recovery)
// record for the tuner threads that registered a sink, and how a thread takes them.
//
// The callbacks run on RocksDB's flush, compaction and write threads: they only count (flushes,
// compactions: atomics) or append one event under a lock held for the append alone, wake the
// tuner without waiting, and return. Events with a DB (flushes, compactions) go to that DB's sink;
// stall and error events carry no DB in RocksDB's API and go to every sink of the listener (the
// DBs opened with one Options object share it; usually one). See docs/REALTIME.md.

#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "elmo/realtime.h"
#include "rocksdb/rocksdb_namespace.h"

#pragma GCC visibility push(hidden)

namespace ROCKSDB_NAMESPACE {

class DB;

// One tuner's inbox.
class ElmoEventSink {
 public:
  // db: whose flushes and compactions to count; wake: called (never blocking) after an event
  // that asks for attention.
  ElmoEventSink(const DB* db, std::function<void()> wake) : db_(db), wake_(std::move(wake)) {}

  const DB* db() const { return db_; }
  void Count(elmo_rt_db_event_kind kind);
  void Push(const elmo_rt_db_event& e);
  // Takes everything recorded since the last call: the events in order, then one event per
  // flush and compaction counted.
  std::vector<elmo_rt_db_event> Take();
  // An event that asks for attention (stall, error, recovery) is waiting; counts alone are not.
  bool Urgent() const { return urgent_.load(std::memory_order_acquire); }

 private:
  static constexpr size_t kMaxQueued = 256;  // beyond: the oldest are dropped, the count kept
  const DB* db_;
  std::function<void()> wake_;
  std::atomic<uint64_t> flushes_{0}, compactions_{0};
  std::atomic<bool> urgent_{false};
  std::mutex mu_;  // guards queue_ for one append or one swap
  std::vector<elmo_rt_db_event> queue_;
};

// The sinks of one settings listener. Registration is rare (a DB opens or closes); delivery reads
// an immutable snapshot of the list.
class ElmoEventHub {
 public:
  void Add(std::shared_ptr<ElmoEventSink> sink);
  void Remove(const ElmoEventSink* sink);
  // db: the event's DB, or nullptr for events RocksDB gives without one (to every sink).
  void Count(const DB* db, elmo_rt_db_event_kind kind) const;
  void Post(const elmo_rt_db_event& e) const;

 private:
  using List = std::vector<std::shared_ptr<ElmoEventSink>>;
  std::shared_ptr<const List> Sinks() const { return std::atomic_load(&sinks_); }
  std::mutex mu_;  // serializes Add and Remove
  std::shared_ptr<const List> sinks_ = std::make_shared<const List>();
};

}  // namespace ROCKSDB_NAMESPACE

#pragma GCC visibility pop
