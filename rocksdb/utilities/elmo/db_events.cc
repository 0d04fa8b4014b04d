// db_events.cc — the DB's events for the realtime tuner. See db_events.h.

#include "utilities/elmo/db_events.h"

#include <algorithm>

namespace ROCKSDB_NAMESPACE {

void ElmoEventSink::Count(elmo_rt_db_event_kind kind) {
  (kind == ELMO_RT_DB_FLUSH ? flushes_ : compactions_).fetch_add(1, std::memory_order_relaxed);
}

void ElmoEventSink::Push(const elmo_rt_db_event& e) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (queue_.size() == kMaxQueued) queue_.erase(queue_.begin());
    queue_.push_back(e);
  }
  urgent_.store(true, std::memory_order_release);
  if (wake_) wake_();
}

std::vector<elmo_rt_db_event> ElmoEventSink::Take() {
  urgent_.store(false, std::memory_order_release);
  std::vector<elmo_rt_db_event> out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    out.swap(queue_);
  }
  for (auto* kind : {&flushes_, &compactions_}) {
    uint64_t n = kind->exchange(0, std::memory_order_relaxed);
    elmo_rt_db_event e{};
    e.kind = kind == &flushes_ ? ELMO_RT_DB_FLUSH : ELMO_RT_DB_COMPACTION;
    for (uint64_t i = 0; i < n; i++) out.push_back(e);
  }
  return out;
}

void ElmoEventHub::Add(std::shared_ptr<ElmoEventSink> sink) {
  std::lock_guard<std::mutex> lock(mu_);
  auto next = std::make_shared<List>(*Sinks());
  next->push_back(std::move(sink));
  std::atomic_store(&sinks_, std::shared_ptr<const List>(std::move(next)));
}

void ElmoEventHub::Remove(const ElmoEventSink* sink) {
  std::lock_guard<std::mutex> lock(mu_);
  auto next = std::make_shared<List>(*Sinks());
  next->erase(std::remove_if(next->begin(), next->end(), [sink](const auto& s) { return s.get() == sink; }),
              next->end());
  std::atomic_store(&sinks_, std::shared_ptr<const List>(std::move(next)));
}

void ElmoEventHub::Count(const DB* db, elmo_rt_db_event_kind kind) const {
  for (const auto& s : *Sinks()) {
    if (db == nullptr || s->db() == db) s->Count(kind);
  }
}

void ElmoEventHub::Post(const elmo_rt_db_event& e) const {
  for (const auto& s : *Sinks()) s->Push(e);
}

}  // namespace ROCKSDB_NAMESPACE
