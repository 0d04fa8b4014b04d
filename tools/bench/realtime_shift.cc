// realtime_shift.cc — the workload-shift scenario of docs/BENCHMARKS.md ("Realtime tuning"):
// one process, one DB, three phases back to back, and whatever the OPTIONS file says about
// elmo_autotune. Built and run by tools/bench/realtime_shift.sh.
//
//   realtime_shift DB OPTIONS_FILE OUT_PREFIX [phase_sec=60] [threads=2] [keys=1000000]
//                  [write_qps=20000] [value_bytes=400] [scenario=mix]
//
// Scenario "mix": (1) 100% writes capped at write_qps (all threads together), (2) 50/50
// reads/writes, (3) 85/15 reads/writes; phases 2 and 3 are closed-loop (as fast as the DB lets
// the threads go); keys uniform over [0, keys).
// Scenario "hotset": key popularity moves under a steady 90/10 read/write mix, closed-loop:
// (1) uniform keys, (2) zipfian (theta 0.99) with the hottest keys at the start of the key space,
// (3) the same zipfian with another hot set (rank r is key (r * 7919 + keys / 2) mod keys). Writes: OUT_PREFIX.series.csv (second, phase, ops) and
// OUT_PREFIX.phases.csv (phase, ops_per_sec, p50_us, p99_us, get_p99_us, put_p99_us).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "rocksdb/convenience.h"
#include "rocksdb/db.h"
#include "rocksdb/utilities/options_util.h"

namespace {

using Clock = std::chrono::steady_clock;

// Latencies in 1/16-octave buckets from 0.25 us: enough for percentiles within ~4%.
struct Histogram {
  static constexpr int kBuckets = 16 * 40;
  std::vector<uint64_t> counts = std::vector<uint64_t>(kBuckets, 0);
  uint64_t n = 0;
  static int Bucket(double us) {
    if (us <= 0.25) return 0;
    int b = static_cast<int>(16 * std::log2(us / 0.25));
    return std::min(std::max(b, 0), kBuckets - 1);
  }
  void Add(double us) {
    counts[Bucket(us)]++;
    n++;
  }
  void Merge(const Histogram& o) {
    for (int i = 0; i < kBuckets; i++) counts[i] += o.counts[i];
    n += o.n;
  }
  double Percentile(double p) const {
    if (n == 0) return 0;
    uint64_t want = static_cast<uint64_t>(std::ceil(p * n)), seen = 0;
    for (int i = 0; i < kBuckets; i++) {
      seen += counts[i];
      if (seen >= want) return 0.25 * std::exp2((i + 0.5) / 16.0);
    }
    return 0.25 * std::exp2(kBuckets / 16.0);
  }
};

struct PhaseStats {
  Histogram all, get, put;
  uint64_t ops = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s DB OPTIONS_FILE OUT_PREFIX [phase_sec] [threads] [keys] [write_qps] [value_bytes] "
                 "[mix|hotset]\n", argv[0]);
    return 2;
  }
  const std::string db_path = argv[1], options_file = argv[2], prefix = argv[3];
  auto arg = [&](int i, double def) { return argc > i ? std::atof(argv[i]) : def; };
  const double phase_sec = arg(4, 60);
  const int threads = static_cast<int>(arg(5, 2));
  const uint64_t keys = static_cast<uint64_t>(arg(6, 1000000));
  const double write_qps = arg(7, 20000);
  const size_t value_bytes = static_cast<size_t>(arg(8, 400));
  const std::string scenario = argc > 9 ? argv[9] : "mix";
  const bool hotset = scenario == "hotset";
  if (!hotset && scenario != "mix") {
    std::fprintf(stderr, "realtime_shift: scenario %s: expected mix or hotset\n", scenario.c_str());
    return 2;
  }
  if (phase_sec <= 0 || threads < 1 || keys < 1 || write_qps <= 0 || value_bytes < 1) {
    std::fprintf(stderr, "realtime_shift: phase_sec, threads, keys, write_qps and value_bytes must be positive\n");
    return 2;
  }

  rocksdb::ConfigOptions cfg;
  cfg.ignore_unknown_options = false;
  rocksdb::DBOptions db_opt;
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  rocksdb::Status s = rocksdb::LoadOptionsFromFile(cfg, options_file, &db_opt, &cfs);
  if (!s.ok()) {
    std::fprintf(stderr, "realtime_shift: %s: %s\n", options_file.c_str(), s.ToString().c_str());
    return 1;
  }
  db_opt.create_if_missing = true;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  s = rocksdb::DB::Open(db_opt, db_path, cfs, &handles, &raw);
  if (!s.ok()) {
    std::fprintf(stderr, "realtime_shift: open %s: %s\n", db_path.c_str(), s.ToString().c_str());
    return 1;
  }
  std::unique_ptr<rocksdb::DB> db(raw);

  // hotset reads an existing key space: every key is written first (not measured).
  if (hotset) {
    std::string value(value_bytes, 'v');
    rocksdb::WriteOptions fast;
    fast.disableWAL = true;
    char key[32];
    for (uint64_t k = 0; k < keys; k++) {
      std::snprintf(key, sizeof key, "key%016llu", static_cast<unsigned long long>(k));
      value[k % value_bytes] = static_cast<char>('a' + k % 26);
      s = db->Put(fast, key, value);
      if (!s.ok()) {
        std::fprintf(stderr, "realtime_shift: preload: %s\n", s.ToString().c_str());
        return 1;
      }
    }
    s = db->Flush(rocksdb::FlushOptions());
    if (s.ok()) s = db->CompactRange(rocksdb::CompactRangeOptions(), nullptr, nullptr);
    if (!s.ok()) {
      std::fprintf(stderr, "realtime_shift: preload: %s\n", s.ToString().c_str());
      return 1;
    }
  }

  const int kPhases = 3;
  const double mix_reads[kPhases] = {0.0, 0.5, 0.85}, hotset_reads[kPhases] = {0.9, 0.9, 0.9};
  const double* read_share = hotset ? hotset_reads : mix_reads;
  // Zipfian ranks by inversion of the cumulative weights 1/r^0.99 (one table for all threads).
  std::vector<double> zipf_cdf;
  if (hotset) {
    zipf_cdf.resize(keys);
    double sum = 0;
    for (uint64_t r = 0; r < keys; r++) zipf_cdf[r] = sum += 1.0 / std::pow(static_cast<double>(r + 1), 0.99);
    for (double& c : zipf_cdf) c /= sum;
  }
  const int total_sec = static_cast<int>(std::ceil(kPhases * phase_sec));
  std::vector<std::atomic<uint64_t>> per_second(total_sec + 1);
  std::vector<std::vector<PhaseStats>> stats(threads, std::vector<PhaseStats>(kPhases));
  const auto t0 = Clock::now();
  auto elapsed = [t0] { return std::chrono::duration<double>(Clock::now() - t0).count(); };

  std::vector<std::thread> pool;
  for (int t = 0; t < threads; t++) {
    pool.emplace_back([&, t] {
      std::mt19937_64 rng(1234567 + t);
      std::uniform_int_distribution<uint64_t> key_dist(0, keys - 1);
      std::uniform_real_distribution<double> coin(0, 1);
      std::string value(value_bytes, 'v'), got;
      char key[32];
      const double per_thread_gap = threads / write_qps;  // seconds between one thread's writes
      double next_write = 0;
      for (double now = elapsed(); now < kPhases * phase_sec; now = elapsed()) {
        const int phase = std::min(kPhases - 1, static_cast<int>(now / phase_sec));
        if (phase == 0 && !hotset) {
          if (now < next_write) {
            std::this_thread::sleep_for(std::chrono::duration<double>(next_write - now));
            continue;
          }
          next_write = std::max(next_write + per_thread_gap, now - 1.0);  // no bursts after a stall
        }
        uint64_t k = key_dist(rng);
        if (hotset && phase > 0) {
          uint64_t rank = static_cast<uint64_t>(
              std::lower_bound(zipf_cdf.begin(), zipf_cdf.end(), coin(rng)) - zipf_cdf.begin());
          k = phase == 1 ? std::min(rank, keys - 1) : (rank * 7919 + keys / 2) % keys;
        }
        std::snprintf(key, sizeof key, "key%016llu", static_cast<unsigned long long>(k));
        const bool is_get = coin(rng) < read_share[phase];
        auto a = Clock::now();
        if (is_get) {
          rocksdb::Status st = db->Get(rocksdb::ReadOptions(), key, &got);
          if (!st.ok() && !st.IsNotFound()) {
            std::fprintf(stderr, "realtime_shift: get: %s\n", st.ToString().c_str());
            std::exit(1);
          }
        } else {
          // A little variety in the bytes, so compression sees real data.
          value[static_cast<size_t>(rng() % value_bytes)] = static_cast<char>('a' + rng() % 26);
          rocksdb::Status st = db->Put(rocksdb::WriteOptions(), key, value);
          if (!st.ok()) {
            std::fprintf(stderr, "realtime_shift: put: %s\n", st.ToString().c_str());
            std::exit(1);
          }
        }
        double us = std::chrono::duration<double, std::micro>(Clock::now() - a).count();
        PhaseStats& ps = stats[t][phase];
        ps.all.Add(us);
        (is_get ? ps.get : ps.put).Add(us);
        ps.ops++;
        int sec = static_cast<int>(elapsed());
        if (sec <= total_sec) per_second[sec].fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  for (auto& th : pool) th.join();
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  s = db->Close();
  if (!s.ok()) std::fprintf(stderr, "realtime_shift: close: %s\n", s.ToString().c_str());
  db.reset();

  FILE* series = std::fopen((prefix + ".series.csv").c_str(), "w");
  FILE* phases = std::fopen((prefix + ".phases.csv").c_str(), "w");
  if (series == nullptr || phases == nullptr) {
    std::fprintf(stderr, "realtime_shift: cannot write %s.*.csv\n", prefix.c_str());
    return 1;
  }
  std::fprintf(series, "second,phase,ops\n");
  for (int sec = 0; sec < total_sec; sec++) {
    std::fprintf(series, "%d,%d,%llu\n", sec, std::min(kPhases - 1, static_cast<int>(sec / phase_sec)) + 1,
                 static_cast<unsigned long long>(per_second[sec].load()));
  }
  std::fprintf(phases, "phase,ops_per_sec,p50_us,p99_us,get_p99_us,put_p99_us\n");
  for (int p = 0; p < kPhases; p++) {
    PhaseStats sum;
    for (int t = 0; t < threads; t++) {
      sum.all.Merge(stats[t][p].all);
      sum.get.Merge(stats[t][p].get);
      sum.put.Merge(stats[t][p].put);
      sum.ops += stats[t][p].ops;
    }
    std::fprintf(phases, "%d,%.0f,%.1f,%.1f,%.1f,%.1f\n", p + 1, sum.ops / phase_sec, sum.all.Percentile(0.5),
                 sum.all.Percentile(0.99), sum.get.Percentile(0.99), sum.put.Percentile(0.99));
  }
  std::fclose(series);
  std::fclose(phases);
  return 0;
}
