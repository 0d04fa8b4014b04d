// elmo_spec_bench.cc — db_bench's elmospec benchmark: a workload spec run by db_bench's threads.
// See elmo_spec_bench.h for what is generated and how; the spec itself is elmo/src/spec*.c.
#include "tools/elmo_spec_bench.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "elmo/fit.h"
#include "elmo/number.h"
#include "elmo/spec.h"
#include "rocksdb/iterator.h"
#include "rocksdb/system_clock.h"
#include "rocksdb/write_batch.h"
#include "test_util/testutil.h"
#include "util/coding.h"
#include "util/gflags_compat.h"
#include "util/random.h"

DEFINE_string(elmo_spec, "", "elmospec: the workload spec to run (JSON, docs/WORKLOAD_SPEC.md)");
DEFINE_bool(elmo_spec_load_only, false,
            "elmospec: run only the spec's load step (every key written once), as a benchmark");
DEFINE_string(elmo_key_dict, "",
              "elmospec: the keys to use instead of generated ones, one hex-encoded key per line "
              "(elmotune --elmo_base_db writes it from the program's DB): index i of the spec's n "
              "keys is key i*K/n of the K in the file");

DECLARE_int32(duration);
DECLARE_bool(use_existing_db);
DECLARE_double(compression_ratio);

namespace ROCKSDB_NAMESPACE {
namespace {

constexpr double kMaxValueBytes = ELMO_SPEC_VALUE_SIZE_MAX;  // spec.h's clamps
constexpr double kMinKeyBytes = ELMO_SPEC_KEY_SIZE_MIN;
constexpr double kMaxKeyBytes = ELMO_SPEC_KEY_SIZE_MAX;
constexpr double kMaxScanLength = ELMO_SPEC_SCAN_LENGTH_MAX;
constexpr size_t kValueBufferBytes = 1 << 20;         // as db_bench's RandomGenerator
constexpr size_t kLoadBatch = 100;                    // keys per WriteBatch of the load step
constexpr uint64_t kMaxLagMicros = 1000000;           // pacing: a longer backlog is dropped
constexpr uint64_t kIdleMicros = 10000;               // pacing: wait while qps(t) <= 0
constexpr uint64_t kKeySizeSeed = 0x6b65792d73697a65ull;  // "key-size": not --seed (see .h)
constexpr uint64_t kLoadSeed = 0x6c6f61642d737465ull;
constexpr uint64_t kGolden = 0x9e3779b97f4a7c15ull;

Status ToStatus(elmo_rc rc, const elmo_error& err) {
  if (rc == ELMO_OK) return Status::OK();
  if (rc == ELMO_EIO) return Status::IOError(err.message);
  if (rc == ELMO_ENOMEM) return Status::MemoryLimit(err.message);
  return Status::InvalidArgument(err.message);
}

// Rounds a sampled size and keeps it in [lo, hi] (NaN: lo). The bounds are documented in the .h.
size_t ClampSize(double v, double lo, double hi) {
  if (!(v >= lo)) return static_cast<size_t>(lo);
  if (v > hi) return static_cast<size_t>(hi);
  return static_cast<size_t>(std::llround(v));
}

// floor(v) as an index in [0, n).
uint64_t ClampIndex(double v, uint64_t n) {
  if (!(v >= 0)) return 0;
  if (v >= static_cast<double>(n)) return n - 1;
  return std::min(static_cast<uint64_t>(v), n - 1);
}

// The zipfian scramble: a fixed bijection of [0, n). Three rounds of (multiply by an odd
// constant, add a constant, xor-shift right) modulo 2^bits, the smallest power of two >= n, are
// a bijection of [0, 2^bits); applying it again until the result is below n (cycle-walking)
// restricts it to a bijection of [0, n). 2^bits < 2n, so under two walks are needed on average.
uint64_t Scramble(uint64_t x, uint64_t n, int bits) {
  static const uint64_t kAdd[3] = {0x632be59bd9b4e019ull, 0x8cb92ba72f3d8dd7ull,
                                   0x2545f4914f6cdd1dull};
  const uint64_t mask = bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
  const int shift = bits / 2 + 1;
  do {
    for (uint64_t add : kAdd) {
      x = (x * kGolden + add) & mask;
      x ^= x >> shift;
    }
  } while (x >= n);
  return x;
}

int BitsFor(uint64_t n) {
  int bits = 0;
  while (bits < 64 && (uint64_t{1} << bits) < n) bits++;
  return bits;
}

void SleepUntil(SystemClock* clock, uint64_t at) {
  for (uint64_t now = clock->NowMicros(); now < at; now = clock->NowMicros()) {
    clock->SleepForMicroseconds(static_cast<int>(std::min<uint64_t>(at - now, 1000000)));
  }
}

// The unit a client thread runs: a group of a phase's threads with their mix and rate. A phase
// without groups is one group of all its threads; a phase with groups has one per group.
struct GroupPlan {
  elmo_spec_group spec;  // name, threads, mix, rate
  int first = 0;         // the group's threads are the phase's tids first .. first + threads - 1
  double cum_mix[ELMO_SPEC_OP_COUNT] = {};
  int last_op = ELMO_SPEC_GET;  // the last op with a non-zero fraction
};

// One phase, ready to run: the scaled window, the groups and the samplers (read-only once built).
struct PhasePlan {
  const elmo_spec_phase* spec = nullptr;
  uint64_t start_us = 0, end_us = 0;  // from the run's start, --duration applied
  std::vector<GroupPlan> groups;      // by tid ranges, in order
  elmo_sampler* keys = nullptr;
  elmo_sampler* values = nullptr;
  elmo_sampler* scans = nullptr;
  uint64_t range_width = 0;  // two_term_exp: indices per key range

  // The group thread tid runs, or nullptr when the phase has no thread tid.
  const GroupPlan* GroupOf(int tid) const {
    for (const GroupPlan& g : groups) {
      if (tid >= g.first && tid < g.first + g.spec.threads) return &g;
    }
    return nullptr;
  }
};

}  // namespace

struct ElmoSpecBench::Plan {
  elmo_spec* spec = nullptr;
  std::vector<std::string> key_dict;  // --elmo_key_dict: real keys in place of generated ones
  std::vector<PhasePlan> phases;
  elmo_sampler* key_size = nullptr;     // NULL when every key has fixed_key_size bytes
  size_t fixed_key_size = 16;
  elmo_sampler* load_values = nullptr;  // value sizes of the load step
  std::string values;                   // compressible value bytes
  ReadOptions read;
  WriteOptions write;
  uint64_t seed = 0;
  double scale = 1;  // wall seconds per spec second
  bool load_only = false;
  bool load_now = false;  // Open runs the load step
  int threads = 1;
  int key_bits = 0;

  ~Plan() {
    for (PhasePlan& p : phases) {
      elmo_sampler_destroy(p.keys);
      elmo_sampler_destroy(p.values);
      elmo_sampler_destroy(p.scans);
    }
    elmo_sampler_destroy(key_size);
    elmo_sampler_destroy(load_values);
    elmo_spec_destroy(spec);
  }
};

namespace {

using Plan = ElmoSpecBench::Plan;

Status NewSampler(const elmo_dist& d, const std::string& field, elmo_sampler** out) {
  elmo_error err;
  elmo_rc rc = elmo_sampler_create(&d, out, &err);
  return rc == ELMO_OK ? Status::OK() : Status::InvalidArgument(field + ": " + err.message);
}

// The phase's groups: its own, or one of all its threads with the phase's mix and rate.
std::vector<elmo_spec_group> GroupsOf(const elmo_spec_phase& ph) {
  if (ph.n_groups > 0) return {ph.groups, ph.groups + ph.n_groups};
  elmo_spec_group g{};
  std::snprintf(g.name, sizeof g.name, "%s", ph.name);
  g.threads = ph.threads;
  std::copy(ph.mix, ph.mix + ELMO_SPEC_OP_COUNT, g.mix);
  g.rate = ph.rate;
  return {g};
}

void BuildGroups(const elmo_spec_phase& ph, PhasePlan* p) {
  int first = 0;
  for (const elmo_spec_group& spec : GroupsOf(ph)) {
    GroupPlan g;
    g.spec = spec;
    g.first = first;
    first += spec.threads;
    double sum = 0;
    for (int op = 0; op < ELMO_SPEC_OP_COUNT; op++) {
      sum += spec.mix[op];
      g.cum_mix[op] = sum;
      if (spec.mix[op] > 0) g.last_op = op;
    }
    p->groups.push_back(g);
  }
}

Status BuildPhase(const elmo_spec& s, size_t i, double scale, PhasePlan* p) {
  const elmo_spec_phase& ph = s.phases[i];
  const std::string at = "phases[" + std::to_string(i) + "]";
  p->spec = &ph;
  p->start_us = static_cast<uint64_t>(std::llround(ph.start_sec * scale * 1e6));
  p->end_us = p->start_us + static_cast<uint64_t>(std::llround(ph.duration_sec * scale * 1e6));
  BuildGroups(ph, p);
  if (ph.key_access.kind == ELMO_DIST_TWO_TERM_EXP) {  // key_access.n = key_ranges (spec.h)
    const uint64_t ranges = static_cast<uint64_t>(std::max(ph.key_ranges, 1));
    p->range_width = (s.num_keys + ranges - 1) / ranges;
  }
  Status st = NewSampler(ph.key_access, at + ".key_access", &p->keys);
  if (st.ok()) st = NewSampler(ph.value_size, at + ".value_size", &p->values);
  if (st.ok()) st = NewSampler(ph.scan_length, at + ".scan_length", &p->scans);
  return st;
}

// Fills the value buffer as db_bench's RandomGenerator does: fragments of 100 bytes, each as
// compressible as --compression_ratio says, from Random(301).
void FillValues(double compression_ratio, std::string* out) {
  Random rnd(301);
  std::string piece;
  while (out->size() < kValueBufferBytes) {
    test::CompressibleString(&rnd, compression_ratio, 100, &piece);
    out->append(piece);
  }
}

Status BuildPlan(DB* db, elmo_spec* spec, Plan* plan) {
  plan->spec = spec;
  plan->key_bits = BitsFor(spec->num_keys);
  double total = elmo_spec_duration(spec);
  plan->scale = FLAGS_duration > 0 && total > 0 ? FLAGS_duration / total : 1;
  if (spec->key_size.kind == ELMO_DIST_FIXED) {
    plan->fixed_key_size = ClampSize(spec->key_size.params[0], kMinKeyBytes, kMaxKeyBytes);
  } else {
    Status st = NewSampler(spec->key_size, "key_size", &plan->key_size);
    if (!st.ok()) return st;
  }
  Status st = NewSampler(spec->preload_value_size, "preload_value_size", &plan->load_values);
  plan->phases.resize(spec->n_phases);
  bool merges = false;
  for (size_t i = 0; st.ok() && i < spec->n_phases; i++) {
    st = BuildPhase(*spec, i, plan->scale, &plan->phases[i]);
    plan->threads = std::max(plan->threads, spec->phases[i].threads);
    if (st.ok() && spec->phases[i].mix[ELMO_SPEC_MERGE] > 0 && !merges) {
      merges = true;
      if (db->GetOptions().merge_operator == nullptr) {
        st = Status::InvalidArgument("phases[" + std::to_string(i) +
                                     "].mix.merge: the DB has no merge operator (set "
                                     "--merge_operator or one in the OPTIONS file)");
      }
    }
  }
  if (plan->load_only) plan->threads = 1;
  FillValues(FLAGS_compression_ratio, &plan->values);
  return st;
}

// One client thread's generator and executor. Reads only the plan; owns its rng and buffers.
class Client {
 public:
  Client(const Plan& plan, DB* db, std::atomic<uint64_t>* written,
         const ElmoSpecReporter* reporter, std::atomic<uint64_t>* gets = nullptr,
         std::atomic<uint64_t>* found = nullptr)
      : plan_(plan),
        db_(db),
        written_(written),
        reporter_(reporter),
        clock_(SystemClock::Default().get()),
        total_gets_(gets),
        total_found_(found) {
    elmo_rng_seed(&rng_, plan.seed);
  }
  // Adds this client's read tally to the benchmark's.
  ~Client() {
    if (total_gets_ != nullptr) total_gets_->fetch_add(gets_, std::memory_order_relaxed);
    if (total_found_ != nullptr) total_found_->fetch_add(found_, std::memory_order_relaxed);
  }

  Status Load();
  Status RunPhase(size_t p, int tid, uint64_t start_us, uint64_t end_us);

 private:
  Status DoOp(const PhasePlan& ph, int op, int64_t* bytes);
  Status MultiGet(const PhasePlan& ph, int64_t* bytes);
  Status Scan(const PhasePlan& ph, int64_t* bytes);
  int PickOp(const GroupPlan& g);
  uint64_t PickIndex(const PhasePlan& ph, bool write);
  void MakeKey(uint64_t index, std::string* key) const;
  Slice MakeValue(const elmo_sampler* sizes);
  void Done(int op, int64_t ops, int64_t bytes) const {
    if (reporter_ != nullptr) reporter_->done(op, ops, bytes);
  }
  void Resume() const {
    if (reporter_ != nullptr) reporter_->resume();
  }
  void Read(bool found) {
    gets_++;
    found_ += found ? 1 : 0;
  }

  const Plan& plan_;
  DB* db_;
  std::atomic<uint64_t>* written_;
  const ElmoSpecReporter* reporter_;
  SystemClock* clock_;
  std::atomic<uint64_t>* total_gets_;   // the benchmark's tallies (nullptr: not counted)
  std::atomic<uint64_t>* total_found_;
  uint64_t gets_ = 0, found_ = 0;       // this client's point reads, and those that hit
  elmo_rng rng_;
  std::string key_, big_value_;
  std::vector<std::string> mkeys_;
};

// Reads --elmo_key_dict: one hex-encoded key per line (blank lines skipped). Errors name the
// file and the line.
Status LoadKeyDict(const std::string& path, std::vector<std::string>* keys) {
  keys->clear();
  if (path.empty()) return Status::OK();
  std::ifstream in(path);
  if (!in) return Status::InvalidArgument("--elmo_key_dict=" + path + ": cannot be read");
  std::string line;
  for (size_t n = 1; std::getline(in, line); n++) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::string key;
    if (line.size() % 2 != 0 || !Slice(line).DecodeHex(&key)) {
      return Status::InvalidArgument("--elmo_key_dict=" + path + " line " + std::to_string(n) +
                                     ": not a hex-encoded key");
    }
    keys->push_back(std::move(key));
  }
  if (keys->empty()) return Status::InvalidArgument("--elmo_key_dict=" + path + ": no keys");
  return Status::OK();
}

// Paces one thread's operations at its share of its group's rate; index is the thread's place in
// the group (0 .. threads - 1).
class Pacer {
 public:
  Pacer(const GroupPlan& g, int index, double scale, uint64_t start_us, uint64_t end_us)
      : rate_(g.spec.rate),
        threads_(g.spec.threads),
        scale_(scale),
        start_us_(start_us),
        end_us_(static_cast<double>(end_us)) {
    // Stagger the group's threads over one interval so that they do not fire together.
    next_us_ = start_us + (Limited() ? IntervalUs(start_us) * index / threads_ : 0);
  }

  bool Limited() const { return rate_.kind != ELMO_RATE_UNLIMITED; }

  // When the next operation is due; advances the schedule.
  uint64_t Next(uint64_t now) {
    if (next_us_ + kMaxLagMicros < now) next_us_ = static_cast<double>(now);
    while (Qps(next_us_) <= 0 && next_us_ < end_us_) next_us_ += kIdleMicros;
    double at = next_us_;
    next_us_ += IntervalUs(at);
    return static_cast<uint64_t>(at);
  }

 private:
  // The group's rate at wall time t (µs), all its threads together.
  double Qps(double t) const {
    if (rate_.kind == ELMO_RATE_FIXED) return rate_.qps;
    double secs = (t - static_cast<double>(start_us_)) / 1e6 / scale_;
    return rate_.a * std::sin(rate_.b * secs + rate_.c) + rate_.d;
  }
  double IntervalUs(double t) const {
    double q = Qps(t);
    return q > 0 ? 1e6 * threads_ / q : kIdleMicros;
  }

  const elmo_spec_rate rate_;
  const int threads_;
  const double scale_;
  const uint64_t start_us_;
  const double end_us_;
  double next_us_ = 0;
};

void Client::MakeKey(uint64_t index, std::string* key) const {
  const std::vector<std::string>& dict = plan_.key_dict;
  if (!dict.empty()) {
    // Index i of n is key i*K/n: the spec's skew lands on the program's own keys. An index past
    // n (a write of a new key) is its key with the round number appended, a key the DB lacks.
    const uint64_t n = std::max<uint64_t>(plan_.spec->num_keys, 1);
    const unsigned __int128 at = static_cast<unsigned __int128>(index % n) * dict.size() / n;
    *key = dict[static_cast<size_t>(at)];
    if (index >= n) PutFixed64(key, index / n);
    return;
  }
  size_t size = plan_.fixed_key_size;
  if (plan_.key_size != nullptr) {
    elmo_rng r;
    elmo_rng_seed(&r, index ^ kKeySizeSeed);
    size = ClampSize(elmo_sampler_next(plan_.key_size, &r), kMinKeyBytes, kMaxKeyBytes);
  }
  key->assign(size, '\0');
  for (int b = 0; b < 8; b++) (*key)[b] = static_cast<char>(index >> (56 - 8 * b));
}

Slice Client::MakeValue(const elmo_sampler* sizes) {
  size_t len = ClampSize(elmo_sampler_next(sizes, &rng_), 0, kMaxValueBytes);
  const std::string& buf = plan_.values;
  if (len <= buf.size()) {
    size_t offset = elmo_rng_next(&rng_) % (buf.size() - len + 1);
    return Slice(buf.data() + offset, len);
  }
  big_value_.clear();
  while (big_value_.size() < len) {
    big_value_.append(buf, 0, std::min(buf.size(), len - big_value_.size()));
  }
  return Slice(big_value_);
}

int Client::PickOp(const GroupPlan& g) {
  double u = elmo_rng_uniform(&rng_);
  for (int op = 0; op < ELMO_SPEC_OP_COUNT; op++) {
    if (u < g.cum_mix[op]) return op;
  }
  return g.last_op;
}

uint64_t Client::PickIndex(const PhasePlan& ph, bool write) {
  const uint64_t n = plan_.spec->num_keys;
  const elmo_dist& d = ph.spec->key_access;
  double x = 0;
  if (!(d.kind == ELMO_DIST_LATEST && write)) x = elmo_sampler_next(ph.keys, &rng_);
  switch (d.kind) {
    case ELMO_DIST_ZIPFIAN:
    case ELMO_DIST_CLASSES:  // a popularity rank, scrambled as the zipfian's
      return Scramble(ClampIndex(x - 1, n), n, plan_.key_bits);
    case ELMO_DIST_LATEST: {
      // YCSB's "latest": a write inserts the next new index (after a preload: num_keys,
      // num_keys + 1, ...; the key space grows), and a read takes rank r back from the newest
      // written index. Until num_keys indices are written, ranks past the first write wrap to
      // the top of the key space (keys not written yet, as before the preload).
      if (write) return written_->fetch_add(1, std::memory_order_relaxed);
      uint64_t w = written_->load(std::memory_order_relaxed);
      uint64_t newest = w == 0 ? n - 1 : w - 1;
      uint64_t back = ClampIndex(x - 1, n);
      return back <= newest ? newest - back : newest + n - back;
    }
    case ELMO_DIST_POWER:
      return ClampIndex(static_cast<double>(n) * x, n);
    case ELMO_DIST_TWO_TERM_EXP: {
      uint64_t lo = std::min((static_cast<uint64_t>(std::max(x, 1.0)) - 1) * ph.range_width, n - 1);
      uint64_t width = std::max<uint64_t>(std::min(ph.range_width, n - lo), 1);
      return lo + elmo_rng_next(&rng_) % width;
    }
    default:
      return ClampIndex(x, n);
  }
}

Status Client::Scan(const PhasePlan& ph, int64_t* bytes) {
  MakeKey(PickIndex(ph, false), &key_);
  size_t nexts = ClampSize(elmo_sampler_next(ph.scans, &rng_), 0, kMaxScanLength);
  std::unique_ptr<Iterator> it(db_->NewIterator(plan_.read));
  it->Seek(key_);
  for (size_t i = 0; it->Valid(); i++) {
    *bytes += static_cast<int64_t>(it->key().size() + it->value().size());
    if (i == nexts) break;
    it->Next();
  }
  return it->status();
}

Status Client::MultiGet(const PhasePlan& ph, int64_t* bytes) {
  const size_t n = static_cast<size_t>(std::max(ph.spec->multiget_size, 1));
  mkeys_.resize(n);
  std::vector<Slice> keys(n);
  for (size_t i = 0; i < n; i++) {
    MakeKey(PickIndex(ph, false), &mkeys_[i]);
    keys[i] = mkeys_[i];
  }
  std::vector<PinnableSlice> values(n);
  std::vector<Status> statuses(n);
  db_->MultiGet(plan_.read, db_->DefaultColumnFamily(), n, keys.data(), values.data(),
                statuses.data());
  for (size_t i = 0; i < n; i++) {
    if (statuses[i].ok()) *bytes += static_cast<int64_t>(keys[i].size() + values[i].size());
    if (!statuses[i].ok() && !statuses[i].IsNotFound()) return statuses[i];
    Read(statuses[i].ok());
  }
  return Status::OK();
}

Status Client::DoOp(const PhasePlan& ph, int op, int64_t* bytes) {
  switch (op) {
    case ELMO_SPEC_GET: {
      MakeKey(PickIndex(ph, false), &key_);
      PinnableSlice value;
      Status s = db_->Get(plan_.read, db_->DefaultColumnFamily(), key_, &value);
      if (s.ok()) *bytes = static_cast<int64_t>(key_.size() + value.size());
      Read(s.ok());
      return s.IsNotFound() ? Status::OK() : s;
    }
    case ELMO_SPEC_PUT:
    case ELMO_SPEC_MERGE: {
      MakeKey(PickIndex(ph, true), &key_);
      Slice value = MakeValue(ph.values);
      *bytes = static_cast<int64_t>(key_.size() + value.size());
      return op == ELMO_SPEC_PUT ? db_->Put(plan_.write, key_, value)
                                 : db_->Merge(plan_.write, key_, value);
    }
    case ELMO_SPEC_DELETE:
      MakeKey(PickIndex(ph, false), &key_);
      *bytes = static_cast<int64_t>(key_.size());
      return db_->Delete(plan_.write, key_);
    case ELMO_SPEC_SEEK:
      return Scan(ph, bytes);
    case ELMO_SPEC_MULTIGET:
      return MultiGet(ph, bytes);
    default:
      return Status::InvalidArgument("elmospec: unknown operation " + std::to_string(op));
  }
}

Status Client::RunPhase(size_t p, int tid, uint64_t start_us, uint64_t end_us) {
  const PhasePlan& ph = plan_.phases[p];
  const GroupPlan* g = ph.GroupOf(tid);
  if (g == nullptr) return Status::OK();
  elmo_rng_seed(&rng_, plan_.seed ^ (kGolden * (p * ELMO_SPEC_MAX_THREADS + tid + 1)));
  Pacer pacer(*g, tid - g->first, plan_.scale, start_us, end_us);
  for (uint64_t now = clock_->NowMicros(); now < end_us; now = clock_->NowMicros()) {
    if (pacer.Limited()) {
      uint64_t at = pacer.Next(now);
      if (at >= end_us) break;
      if (at > now) {
        SleepUntil(clock_, at);
        Resume();
      }
    }
    int op = PickOp(*g);
    int64_t bytes = 0;
    Status s = DoOp(ph, op, &bytes);
    if (!s.ok()) return s;
    Done(op, 1, bytes);
  }
  return Status::OK();
}

Status Client::Load() {
  WriteOptions write = plan_.write;
  write.disableWAL = true;  // the load is made durable by the flush below
  write.sync = false;       // (RocksDB rejects sync writes without a WAL)
  elmo_rng_seed(&rng_, plan_.seed ^ kLoadSeed);
  WriteBatch batch;
  int64_t bytes = 0;
  const uint64_t n = plan_.spec->num_keys;
  for (uint64_t i = 0; i < n; i++) {
    MakeKey(i, &key_);
    Slice value = MakeValue(plan_.load_values);
    Status s = batch.Put(key_, value);
    bytes += static_cast<int64_t>(key_.size() + value.size());
    if (s.ok() && (batch.Count() == kLoadBatch || i + 1 == n)) {
      s = db_->Write(write, &batch);
      Done(ELMO_SPEC_PUT, batch.Count(), bytes);
      batch.Clear();
      bytes = 0;
    }
    if (!s.ok()) return s;
  }
  return db_->Flush(FlushOptions());
}

// One line per phase with groups: "elmospec: phase 'main': writer 1 thread, readers 3 threads".
void PrintGroups(const elmo_spec& spec) {
  for (size_t i = 0; i < spec.n_phases; i++) {
    const elmo_spec_phase& ph = spec.phases[i];
    if (ph.n_groups == 0) continue;
    std::string line = "elmospec: phase '" + std::string(ph.name) + "':";
    for (size_t g = 0; g < ph.n_groups; g++) {
      const int threads = ph.groups[g].threads;
      line += std::string(g ? ", " : " ") + ph.groups[g].name + " " + std::to_string(threads) +
              (threads == 1 ? " thread" : " threads");
    }
    std::fprintf(stdout, "%s\n", line.c_str());
  }
}

}  // namespace

ElmoSpecBench::ElmoSpecBench(DB* db, std::unique_ptr<const Plan> plan)
    : db_(db), plan_(std::move(plan)), written_(0) {}

ElmoSpecBench::~ElmoSpecBench() {
  const uint64_t gets = gets_.load(), found = found_.load();
  if (gets > 0) {
    elmo_number_fprintf(stdout, "elmospec: %" PRIu64 " of %" PRIu64 " point reads found their key (%.1f%%)\n",
                 found, gets, 100.0 * static_cast<double>(found) / static_cast<double>(gets));
  }
}

int ElmoSpecBench::threads() const { return plan_->threads; }

Status ElmoSpecBench::Open(DB* db, const ReadOptions& read_options,
                           const WriteOptions& write_options, int64_t seed,
                           std::unique_ptr<ElmoSpecBench>* out) {
  out->reset();
  if (db == nullptr) return Status::InvalidArgument("elmospec needs one DB (no --num_multi_db)");
  if (FLAGS_elmo_spec.empty()) return Status::InvalidArgument("--elmo_spec=FILE.json is required");
  elmo_spec* spec = nullptr;
  elmo_error err;
  elmo_rc rc = elmo_spec_load(FLAGS_elmo_spec.c_str(), &spec, &err);
  if (rc != ELMO_OK) return ToStatus(rc, err);
  std::unique_ptr<Plan> plan(new Plan());
  plan->read = read_options;
  plan->write = write_options;
  plan->seed = static_cast<uint64_t>(seed);
  plan->load_only = FLAGS_elmo_spec_load_only;
  plan->load_now = !plan->load_only && spec->preload && !FLAGS_use_existing_db;
  Status s = LoadKeyDict(FLAGS_elmo_key_dict, &plan->key_dict);
  if (!s.ok()) {
    elmo_spec_destroy(spec);
    return s;
  }
  s = BuildPlan(db, spec, plan.get());
  if (!s.ok()) return s;
  const bool preloaded = spec->preload && (plan->load_now || FLAGS_use_existing_db);
  elmo_number_fprintf(stdout,
               "elmospec: spec '%s' from %s: %zu phases over %.1f s (run in %.1f s), %" PRIu64
               " keys, %d threads%s\n",
               spec->name, FLAGS_elmo_spec.c_str(), spec->n_phases, elmo_spec_duration(spec),
               elmo_spec_duration(spec) * plan->scale, spec->num_keys, plan->threads,
               plan->load_only ? ", load step only" : "");
  PrintGroups(*spec);
  out->reset(new ElmoSpecBench(db, std::move(plan)));
  if ((*out)->plan_->load_now) {
    SystemClock* clock = SystemClock::Default().get();
    uint64_t t0 = clock->NowMicros();
    s = (*out)->Load(nullptr);
    elmo_number_fprintf(stdout, "elmospec: load step wrote %" PRIu64 " keys in %.1f s\n",
                 spec->num_keys, (clock->NowMicros() - t0) / 1e6);
  }
  if (s.ok() && preloaded) (*out)->written_.store(spec->num_keys);
  if (!s.ok()) out->reset();
  return s;
}

Status ElmoSpecBench::Load(const ElmoSpecReporter* reporter) {
  Client client(*plan_, db_, &written_, reporter);
  Status s = client.Load();
  if (s.ok()) written_.store(plan_->spec->num_keys);
  return s;
}

Status ElmoSpecBench::RunThread(int tid, const ElmoSpecReporter& reporter) {
  if (plan_->load_only) return tid == 0 ? Load(&reporter) : Status::OK();
  SystemClock* clock = SystemClock::Default().get();
  const uint64_t t0 = clock->NowMicros();
  Client client(*plan_, db_, &written_, &reporter, &gets_, &found_);
  for (size_t p = 0; p < plan_->phases.size(); p++) {
    const PhasePlan& ph = plan_->phases[p];
    if (ph.GroupOf(tid) == nullptr) continue;
    const uint64_t start = t0 + ph.start_us, end = t0 + ph.end_us;
    if (clock->NowMicros() >= end) continue;
    SleepUntil(clock, start);
    reporter.resume();
    Status s = client.RunPhase(p, tid, start, end);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

}  // namespace ROCKSDB_NAMESPACE
