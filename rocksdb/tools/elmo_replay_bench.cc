// elmo_replay_bench.cc — db_bench's elmoreplay benchmark: a query trace replayed as fast as
// possible by db_bench's threads. See elmo_replay_bench.h.
#include "tools/elmo_replay_bench.h"

#include <algorithm>
#include <atomic>
#include <cinttypes>
#include <cstdio>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include "elmo/spec.h"
#include "elmo/trace.h"
#include "rocksdb/iterator.h"
#include "rocksdb/system_clock.h"
#include "rocksdb/trace_reader_writer.h"
#include "rocksdb/trace_record.h"
#include "rocksdb/trace_record_result.h"
#include "rocksdb/utilities/replayer.h"
#include "rocksdb/write_batch.h"
#include "test_util/testutil.h"
#include "trace_replay/trace_replay.h"
#include "util/coding.h"
#include "util/gflags_compat.h"
#include "util/random.h"

DEFINE_string(elmo_replay_trace, "",
              "elmoreplay: the RocksDB query trace to replay as fast as the threads go; elmotune: "
              "the program's trace, replayed to confirm the best file on the program's own "
              "operations (default: --elmo_trace's)");
DEFINE_bool(elmo_replay_load_only, false,
            "elmoreplay: instead of replaying, write every key the trace touches (plus filler "
            "keys up to --num) with --value_size values, so the trace can run on the DB");

DECLARE_int32(duration);
DECLARE_int32(threads);
DECLARE_int32(seek_nexts);
DECLARE_int64(num);
DECLARE_int32(value_size);
DECLARE_double(compression_ratio);

namespace ROCKSDB_NAMESPACE {

namespace {

constexpr size_t kLoadBatch = 100;
constexpr size_t kValueBufferBytes = 1 << 20;

// Keys of a write batch, for the load step.
class KeyCollector : public WriteBatch::Handler {
 public:
  explicit KeyCollector(std::unordered_set<std::string>* keys) : keys_(keys) {}
  Status PutCF(uint32_t, const Slice& key, const Slice&) override { return Add(key); }
  Status DeleteCF(uint32_t, const Slice& key) override { return Add(key); }
  Status SingleDeleteCF(uint32_t, const Slice& key) override { return Add(key); }
  Status MergeCF(uint32_t, const Slice& key, const Slice&) override { return Add(key); }
  Status DeleteRangeCF(uint32_t, const Slice&, const Slice&) override { return Status::OK(); }
  void LogData(const Slice&) override {}

 private:
  Status Add(const Slice& key) {
    keys_->insert(key.ToString());
    return Status::OK();
  }
  std::unordered_set<std::string>* keys_;
};

Status OpenReplayer(DB* db, std::unique_ptr<Replayer>* out) {
  std::unique_ptr<TraceReader> reader;
  Status s = NewFileTraceReader(Env::Default(), EnvOptions(), FLAGS_elmo_replay_trace, &reader);
  if (!s.ok()) return Status::InvalidArgument("--elmo_replay_trace=" + FLAGS_elmo_replay_trace, s.ToString());
  s = db->NewDefaultReplayer({db->DefaultColumnFamily()}, std::move(reader), out);
  if (s.ok()) s = (*out)->Prepare();
  if (!s.ok()) return Status::InvalidArgument("--elmo_replay_trace=" + FLAGS_elmo_replay_trace, s.ToString());
  return s;
}

// A Next() status that ends the trace: its end, or a last record cut short.
bool EndOfTrace(const Status& s) { return s.IsIncomplete() || s.IsCorruption(); }

bool IsQuery(int type) {
  return type == kTraceGet || type == kTraceMultiGet || type == kTraceWrite || type == kTraceIteratorSeek ||
         type == kTraceIteratorSeekForPrev;
}

constexpr size_t kTypeByte = 8;  // an encoded record: fixed64 timestamp, type, fixed32 size, payload

Status TraceError(const std::string& what) {
  return Status::InvalidArgument("--elmo_replay_trace=" + FLAGS_elmo_replay_trace, what);
}

// One program thread's query records, streamed from the trace and its side file (ELMo's capture):
// every thread reads the trace on its own and decodes only its own records, so nothing but the
// read buffers is held in memory.
class ThreadStream {
 public:
  explicit ThreadStream(uint32_t thread) : thread_(thread) {}
  ~ThreadStream() { elmo_trace_side_destroy(side_); }

  // Opens the trace (again, at each pass) and reads its header.
  Status Open() {
    elmo_trace_side_destroy(side_);
    side_ = nullptr;
    elmo_error err;
    if (elmo_trace_side_open(FLAGS_elmo_replay_trace.c_str(), &side_, &err) != ELMO_OK) return TraceError(err.message);
    if (side_ == nullptr) return TraceError("its thread file disappeared");
    Status s = NewFileTraceReader(Env::Default(), EnvOptions(), FLAGS_elmo_replay_trace, &reader_);
    std::string encoded;
    if (s.ok()) s = reader_->Read(&encoded);
    Trace header;
    if (s.ok()) s = TracerHelper::DecodeHeader(encoded, &header);
    int db_version = 0;
    if (s.ok()) s = TracerHelper::ParseTraceHeader(header, &version_, &db_version);
    elmo_trace_side_record rec;
    elmo_trace_side_next(side_, &rec);  // the header's
    return s.ok() ? s : TraceError(s.ToString());
  }

  // The thread's next query and the Next() calls after it (-1: unknown). Incomplete at the end
  // of the trace (or at a last record cut short).
  Status Next(std::unique_ptr<TraceRecord>* record, int64_t* nexts) {
    std::string encoded;
    elmo_trace_side_record rec;
    for (;;) {
      Status s = reader_->Read(&encoded);
      if (!s.ok() || encoded.size() <= kTypeByte) return Status::Incomplete();
      elmo_trace_side_next(side_, &rec);
      const int type = static_cast<unsigned char>(encoded[kTypeByte]);
      if (type == kTraceEnd) return Status::Incomplete();
      if (rec.thread != thread_ || !IsQuery(type)) continue;
      Trace trace;
      s = TracerHelper::DecodeTrace(encoded, &trace);
      if (s.ok()) s = TracerHelper::DecodeTraceRecord(&trace, version_, record);
      if (s.IsNotSupported()) continue;
      *nexts = rec.has_scan_length ? static_cast<int64_t>(rec.scan_length) : -1;
      return s;
    }
  }

 private:
  const uint32_t thread_;
  std::unique_ptr<TraceReader> reader_;
  elmo_trace_side* side_ = nullptr;
  int version_ = 0;
};

// With ELMo's side file: the ids of the program's threads that ran queries, in the order of their
// first query; empty when the trace has no side file. One pass over the raw records.
Status ProgramThreads(std::vector<uint32_t>* threads) {
  threads->clear();
  elmo_trace_side* side = nullptr;
  elmo_error err;
  if (elmo_trace_side_open(FLAGS_elmo_replay_trace.c_str(), &side, &err) != ELMO_OK) return TraceError(err.message);
  if (side == nullptr) return Status::OK();
  std::unique_ptr<elmo_trace_side, void (*)(elmo_trace_side*)> owner(side, elmo_trace_side_destroy);
  std::unique_ptr<TraceReader> reader;
  Status s = NewFileTraceReader(Env::Default(), EnvOptions(), FLAGS_elmo_replay_trace, &reader);
  if (!s.ok()) return TraceError(s.ToString());
  std::vector<bool> seen(1u << 16, false);
  std::string encoded;
  elmo_trace_side_record rec;
  while (reader->Read(&encoded).ok() && encoded.size() > kTypeByte) {
    elmo_trace_side_next(side, &rec);
    const int type = static_cast<unsigned char>(encoded[kTypeByte]);
    if (type == kTraceEnd) break;
    if (!IsQuery(type) || seen[rec.thread & 0xFFFF]) continue;
    seen[rec.thread & 0xFFFF] = true;
    if (threads->size() < ELMO_SPEC_MAX_THREADS) threads->push_back(rec.thread);
  }
  if (threads->empty()) return TraceError("the trace has no queries to replay");
  return Status::OK();
}

}  // namespace

struct ElmoReplayBench::State {
  DB* db = nullptr;
  ReadOptions read;
  std::unique_ptr<Replayer> replayer;
  std::mutex mu;              // guards replayer->Next/Prepare and the pass counters
  uint64_t passes = 0;        // passes started
  uint64_t in_pass = 0;       // records handed out in the current pass
  std::atomic<bool> failed{false};  // a thread stopped on an error: the others stop too
  std::vector<uint32_t> program_threads;  // ids of the program's threads, from ELMo's side file
  uint64_t end_us = 0;        // with --duration: when to stop (set when the threads start)
  std::atomic<uint64_t> executed{0};
  int threads = 1;
  int seek_nexts = 0;
  bool load_only = false;
  std::string values;         // db_bench's compressible data, for the load step

  // Runs one record: a seek here, with `nexts` Next (or Prev) calls (-1: --seek_nexts); the
  // rest through RocksDB's Replayer. Reports it to reporter.
  Status Execute(const std::unique_ptr<TraceRecord>& record, int64_t nexts,
                 const ElmoSpecReporter& reporter);

  // The next record to run, starting the trace over at its end while time remains. Returns
  // Incomplete when the replay is over.
  Status Next(std::unique_ptr<TraceRecord>* record) {
    std::lock_guard<std::mutex> lock(mu);
    if (failed.load()) return Status::Incomplete();
    const bool timed = FLAGS_duration > 0;
    if (timed && SystemClock::Default()->NowMicros() >= end_us) return Status::Incomplete();
    for (int attempt = 0; attempt < 2; attempt++) {
      Status s;
      do {
        s = replayer->Next(record);
      } while (s.IsNotSupported());  // a record type the replayer skips
      if (s.ok()) {
        in_pass++;
        return s;
      }
      if (!EndOfTrace(s)) return s;
      if (in_pass == 0) return Status::InvalidArgument("--elmo_replay_trace=" + FLAGS_elmo_replay_trace, "the trace has no queries to replay");
      if (!timed) return Status::Incomplete();
      s = replayer->Prepare();
      if (!s.ok()) return s;
      passes++;
      in_pass = 0;
    }
    return Status::Incomplete();
  }
};

Status ElmoReplayBench::State::Execute(const std::unique_ptr<TraceRecord>& record, int64_t nexts,
                                      const ElmoSpecReporter& reporter) {
  State* st = this;
  Status s;
  std::unique_ptr<TraceRecordResult> result;
  switch (record->GetTraceType()) {
    case kTraceIteratorSeek:
    case kTraceIteratorSeekForPrev: {
      auto* seek = static_cast<IteratorSeekQueryTraceRecord*>(record.get());
      if (seek->GetColumnFamilyID() != st->db->DefaultColumnFamily()->GetID()) {
        return Status::NotSupported("an iterator on column family " + std::to_string(seek->GetColumnFamilyID()) +
                                    " (the replay runs the default column family only)");
      }
      ReadOptions ro = st->read;
      Slice lower = seek->GetLowerBound(), upper = seek->GetUpperBound();
      if (!lower.empty()) ro.iterate_lower_bound = &lower;
      if (!upper.empty()) ro.iterate_upper_bound = &upper;
      std::unique_ptr<Iterator> it(st->db->NewIterator(ro));
      const bool backward = seek->GetSeekType() == IteratorSeekQueryTraceRecord::kSeekForPrev;
      if (backward) it->SeekForPrev(seek->GetKey());
      else it->Seek(seek->GetKey());
      int64_t bytes = 0;
      const int64_t moves = nexts >= 0 ? nexts : st->seek_nexts;
      for (int64_t i = 0; i < moves && it->Valid(); i++) {
        bytes += static_cast<int64_t>(it->key().size() + it->value().size());
        if (backward) it->Prev();
        else it->Next();
      }
      s = it->status();
      if (s.ok()) reporter.done(ELMO_SPEC_SEEK, 1, bytes);
      break;
    }
    case kTraceGet:
    case kTraceMultiGet:
    case kTraceWrite:
      s = st->replayer->Execute(record, &result);
      if (s.ok()) {
        const TraceType t = record->GetTraceType();
        reporter.done(t == kTraceWrite ? ELMO_SPEC_PUT : t == kTraceGet ? ELMO_SPEC_GET : ELMO_SPEC_MULTIGET, 1, 0);
      }
      break;
    default:
      break;
  }
  if (s.ok()) st->executed.fetch_add(1, std::memory_order_relaxed);
  return s;
}

ElmoReplayBench::ElmoReplayBench(std::unique_ptr<State> state) : state_(std::move(state)) {}
ElmoReplayBench::~ElmoReplayBench() = default;

int ElmoReplayBench::threads() const { return state_->load_only ? 1 : state_->threads; }

Status ElmoReplayBench::Open(DB* db, const ReadOptions& read_options,
                             std::unique_ptr<ElmoReplayBench>* out) {
  out->reset();
  if (db == nullptr) return Status::InvalidArgument("elmoreplay needs one DB (no --num_multi_db)");
  if (FLAGS_elmo_replay_trace.empty()) return Status::InvalidArgument("--elmo_replay_trace=FILE is required");
  if (FLAGS_seek_nexts < 0) return Status::InvalidArgument("--seek_nexts must be >= 0");
  std::unique_ptr<State> st(new State());
  st->db = db;
  st->read = read_options;
  st->threads = std::max(1, FLAGS_threads);
  st->seek_nexts = FLAGS_seek_nexts;
  st->load_only = FLAGS_elmo_replay_load_only;
  st->passes = 1;
  Status s = OpenReplayer(db, &st->replayer);
  if (s.ok() && !st->load_only) s = ProgramThreads(&st->program_threads);
  if (!s.ok()) return s;
  if (!st->program_threads.empty()) st->threads = static_cast<int>(st->program_threads.size());
  if (st->load_only) {
    Random rnd(301);
    std::string piece;
    while (st->values.size() < kValueBufferBytes) {
      test::CompressibleString(&rnd, FLAGS_compression_ratio, 100, &piece);
      st->values.append(piece);
    }
  }
  std::fprintf(stdout, "elmoreplay: trace %s, %d threads%s, %s Next calls per seek, %s\n",
               FLAGS_elmo_replay_trace.c_str(), st->load_only ? 1 : st->threads,
               st->program_threads.empty() ? "" : " (the program's, from its thread ids)",
               st->program_threads.empty() ? std::to_string(st->seek_nexts).c_str() : "the program's",
               st->load_only ? "load step only" : FLAGS_duration > 0 ? "repeated until --duration" : "one pass");
  out->reset(new ElmoReplayBench(std::move(st)));
  return Status::OK();
}

namespace {

// Every key the trace touches, sorted, topped up with filler keys to `total`.
Status TraceKeys(Replayer* replayer, uint64_t total, std::vector<std::string>* out) {
  std::unordered_set<std::string> keys;
  KeyCollector collector(&keys);
  std::unique_ptr<TraceRecord> record;
  for (;;) {
    Status s = replayer->Next(&record);
    if (s.IsNotSupported()) continue;
    if (EndOfTrace(s)) break;
    if (!s.ok()) return s;
    switch (record->GetTraceType()) {
      case kTraceGet:
        keys.insert(static_cast<GetQueryTraceRecord*>(record.get())->GetKey().ToString());
        break;
      case kTraceIteratorSeek:
      case kTraceIteratorSeekForPrev:
        keys.insert(static_cast<IteratorSeekQueryTraceRecord*>(record.get())->GetKey().ToString());
        break;
      case kTraceMultiGet:
        for (const Slice& k : static_cast<MultiGetQueryTraceRecord*>(record.get())->GetKeys()) {
          keys.insert(k.ToString());
        }
        break;
      case kTraceWrite: {
        WriteBatch batch(static_cast<WriteQueryTraceRecord*>(record.get())->GetWriteBatchRep().ToString());
        s = batch.Iterate(&collector);
        if (!s.ok()) return s;
        break;
      }
      default:
        break;
    }
  }
  if (keys.empty()) return Status::InvalidArgument("--elmo_replay_trace=" + FLAGS_elmo_replay_trace, "the trace touches no key");
  std::vector<std::string> sorted(keys.begin(), keys.end());
  std::sort(sorted.begin(), sorted.end());
  const size_t n = sorted.size();
  for (uint64_t i = 0; sorted.size() < total; i++) {
    std::string filler = sorted[i % n];
    PutFixed64(&filler, i);  // sorts right after its trace key: the same key space
    sorted.push_back(std::move(filler));
  }
  std::sort(sorted.begin(), sorted.end());
  *out = std::move(sorted);
  return Status::OK();
}

Status Load(DB* db, Replayer* replayer, const std::string& values,
            const ElmoSpecReporter& reporter) {
  std::vector<std::string> keys;
  Status s = TraceKeys(replayer, FLAGS_num > 0 ? static_cast<uint64_t>(FLAGS_num) : 0, &keys);
  if (!s.ok()) return s;
  WriteOptions write;
  write.disableWAL = true;  // the flush below makes the load durable
  WriteBatch batch;
  const size_t len = std::min<size_t>(static_cast<size_t>(std::max(0, FLAGS_value_size)), values.size());
  Random rnd(17);
  int64_t bytes = 0;
  for (size_t i = 0; i < keys.size() && s.ok(); i++) {
    const size_t offset = values.size() > len ? rnd.Uniform(static_cast<int>(values.size() - len)) : 0;
    s = batch.Put(keys[i], Slice(values.data() + offset, len));
    bytes += static_cast<int64_t>(keys[i].size() + len);
    if (s.ok() && (batch.Count() == kLoadBatch || i + 1 == keys.size())) {
      s = db->Write(write, &batch);
      reporter.done(ELMO_SPEC_PUT, batch.Count(), bytes);
      batch.Clear();
      bytes = 0;
    }
  }
  if (s.ok()) s = db->Flush(FlushOptions());
  std::fprintf(stdout, "elmoreplay: load step wrote %zu keys\n", keys.size());
  return s;
}

}  // namespace

Status ElmoReplayBench::RunThread(int tid, const ElmoSpecReporter& reporter) {
  State* st = state_.get();
  if (st->load_only) return tid == 0 ? Load(st->db, st->replayer.get(), st->values, reporter) : Status::OK();
  {
    std::lock_guard<std::mutex> lock(st->mu);
    if (st->end_us == 0) st->end_us = SystemClock::Default()->NowMicros() + static_cast<uint64_t>(FLAGS_duration) * 1000000;
  }
  reporter.resume();
  Status s;
  uint64_t pass = 1, at = 0;
  if (!st->program_threads.empty()) {  // the program's threads, each replaying its own records
    ThreadStream stream(st->program_threads[static_cast<size_t>(tid) % st->program_threads.size()]);
    const bool timed = FLAGS_duration > 0;
    s = stream.Open();
    std::unique_ptr<TraceRecord> record;
    int64_t nexts = -1;
    for (at = 0; s.ok() && !st->failed.load(std::memory_order_relaxed); at++) {
      if (timed && SystemClock::Default()->NowMicros() >= st->end_us) return Status::OK();
      s = stream.Next(&record, &nexts);
      if (s.IsIncomplete()) {
        if (!timed || at == 0) return Status::OK();
        at = 0, pass++;
        s = stream.Open();
        if (s.ok()) s = stream.Next(&record, &nexts);
      }
      if (s.ok()) s = st->Execute(record, nexts, reporter);
    }
    if (s.ok()) return s;
  } else {
    std::unique_ptr<TraceRecord> record;
    while (s.ok()) {
      s = st->Next(&record);
      if (s.IsIncomplete()) return Status::OK();
      if (s.ok()) s = st->Execute(record, -1, reporter);
    }
    std::lock_guard<std::mutex> lock(st->mu);
    pass = st->passes, at = st->in_pass;
  }
  st->failed = true;
  return Status::Aborted("elmoreplay: pass " + std::to_string(pass) + ", record " +
                         std::to_string(at) + (st->program_threads.empty() ? "" : " of thread " + std::to_string(tid)) +
                         " of " + FLAGS_elmo_replay_trace, s.ToString());
}

}  // namespace ROCKSDB_NAMESPACE
