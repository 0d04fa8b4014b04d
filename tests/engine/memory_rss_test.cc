// memory_rss_test.cc — the memory model (memory.h) against the measured RSS of a real DB.
//
// For each configuration a child process opens a DB with the OPTIONS file the model is given,
// loads a dataset bigger than the block cache, reads every key at random so the cache fills, and
// reports its peak RSS (VmHWM). The model must land within a stated band of the measurement, and must rank
// the configurations the way the measurements do. docs/MEMORY.md records the figures.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "elmo/memory.h"
#include "elmo/optfile.h"
#include "rocksdb/db.h"
#include "rocksdb/utilities/options_util.h"

namespace {

constexpr uint64_t kKeys = 400000;
constexpr size_t kKeySize = 16, kValueSize = 400;

struct Config {
  const char* name;
  const char* block_cache;
  const char* write_buffer_size;
  const char* max_write_buffer_number;
  const char* cache_index_and_filter_blocks;
};

elmo_optfile* Build(const Config& c) {
  elmo_optfile* f = elmo_optfile_create();
  auto set = [&](elmo_section s, const char* k, const char* v) {
    EXPECT_EQ(elmo_optfile_set(f, s, "default", k, v, nullptr), ELMO_OK) << k;
  };
  set(ELMO_SECTION_DB, "max_background_jobs", "2");
  set(ELMO_SECTION_CF, "write_buffer_size", c.write_buffer_size);
  set(ELMO_SECTION_CF, "max_write_buffer_number", c.max_write_buffer_number);
  set(ELMO_SECTION_CF, "compression", "kNoCompression");
  set(ELMO_SECTION_TABLE, "block_cache", c.block_cache);
  set(ELMO_SECTION_TABLE, "filter_policy", "bloomfilter:10:false");
  set(ELMO_SECTION_TABLE, "cache_index_and_filter_blocks", c.cache_index_and_filter_blocks);
  return f;
}

uint64_t VmHwmBytes() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  }
  return 0;
}

// In the child: open, load, read everything at random, report RSS (0 on failure).
uint64_t Measure(const std::string& options_path, const std::string& dir) {
  rocksdb::DBOptions db;
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  rocksdb::ConfigOptions cfg;
  if (!rocksdb::LoadOptionsFromFile(cfg, options_path, &db, &cfs).ok()) return 0;
  db.create_if_missing = true;
  rocksdb::Options destroy(db, cfs[0].options);
  rocksdb::DestroyDB(dir, destroy);
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::Open(db, dir, cfs, &handles, &raw).ok()) return 0;
  std::string value(kValueSize, 'v');
  char key[32];
  std::mt19937_64 rng(42);
  for (uint64_t i = 0; i < kKeys; i++) {
    snprintf(key, sizeof key, "%016llu", static_cast<unsigned long long>(i * 7919 % kKeys));
    for (size_t b = 0; b < 8; b++) value[b] = static_cast<char>('a' + rng() % 26);  // no dedup
    if (!raw->Put({}, key, value).ok()) return 0;
  }
  raw->Flush(rocksdb::FlushOptions());
  raw->CompactRange(rocksdb::CompactRangeOptions(), nullptr, nullptr);
  std::string got;
  for (uint64_t i = 0; i < kKeys; i++) {
    snprintf(key, sizeof key, "%016llu", static_cast<unsigned long long>(rng() % kKeys));
    raw->Get({}, key, &got);
  }
  uint64_t rss = VmHwmBytes();
  for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
  delete raw;
  return rss;
}

uint64_t MeasureInChild(const std::string& options_path, const std::string& dir) {
  int fds[2];
  if (pipe(fds) != 0) return 0;
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    uint64_t rss = Measure(options_path, dir);
    ssize_t w = write(fds[1], &rss, sizeof rss);
    _exit(w == sizeof rss ? 0 : 1);
  }
  close(fds[1]);
  uint64_t rss = 0;
  if (read(fds[0], &rss, sizeof rss) != sizeof rss) rss = 0;
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return rss;
}

}  // namespace

TEST(MemoryModel, TracksMeasuredRss) {
  const Config configs[] = {
      {"small", "16777216", "8388608", "2", "false"},
      {"cache 96 MiB", "100663296", "16777216", "2", "true"},
      {"cache 128 MiB, memtables 3 x 32 MiB", "134217728", "33554432", "3", "false"},
  };
  const elmo_dataset ds = {kKeys, kKeySize, kValueSize, 0};
  std::vector<uint64_t> est, rss;
  for (const auto& c : configs) {
    elmo_optfile* f = Build(c);
    std::string path = std::string(ELMO_TEST_WORK) + "/memory-" + std::to_string(est.size()) + ".ini";
    ASSERT_EQ(elmo_optfile_save(f, path.c_str(), nullptr), ELMO_OK);
    elmo_memory_breakdown m;
    ASSERT_EQ(elmo_memory_estimate(f, &ds, &m, nullptr), ELMO_OK);
    elmo_optfile_destroy(f);
    uint64_t measured = MeasureInChild(path, std::string(ELMO_TEST_WORK) + "/memory-db");
    ASSERT_GT(measured, 0u) << c.name << ": the child could not run the workload";
    char* d = elmo_memory_describe(&m);
    std::printf("memory model: %-38s estimate %6.1f MiB, peak RSS %6.1f MiB, ratio %.2f\n  %s\n",
                c.name, m.total / 1048576.0, measured / 1048576.0,
                static_cast<double>(m.total) / measured, d);
    elmo_free(d);
    est.push_back(m.total);
    rss.push_back(measured);
  }
  for (size_t i = 0; i < est.size(); i++) {
    // The model is a worst-case bound for budgeting (every memtable full while the cache is
    // full): it must not fall below the measured peak, nor be more than twice it.
    EXPECT_GE(static_cast<double>(est[i]), 0.95 * rss[i]) << configs[i].name;
    EXPECT_LE(static_cast<double>(est[i]), 2.0 * rss[i]) << configs[i].name;
    // And it ranks the configurations as the measurements do.
    if (i > 0) EXPECT_EQ(est[i] > est[i - 1], rss[i] > rss[i - 1]) << configs[i].name;
  }
}
