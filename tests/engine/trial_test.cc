// trial_test.cc — elmo_trial_run with the real db_bench (ELMO_OUT/bin/db_bench): results, the
// clone of a preloaded base, failures, the memory limit, the watchdog, the flagger, and that no
// child process or cgroup is left behind.
#include "elmo/trial.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>
#include "file_text.h"

namespace fs = std::filesystem;

namespace {

using elmo_test::ReadFile;
using elmo_test::WriteFile;

const std::string kRoot = std::string(ELMO_TEST_WORK) + "/trial";
const std::string kDbBench = std::string(ELMO_OUT) + "/bin/db_bench";
constexpr uint64_t kMiB = 1024 * 1024;

// The default OPTIONS file with extra lines at the top of a section, and 4 MiB memtables when
// small_memtable (so that a 64 MiB memory limit leaves room for everything but a big cache).
std::string OptionsWith(const std::string& section, const std::string& lines,
                        bool small_memtable = false) {
  std::string text =
      ReadFile(std::string(ELMO_TEST_FIXTURES) + "/options/rocksdb-7.8.3-default.ini");
  size_t at = text.find(section);
  EXPECT_NE(at, std::string::npos) << section;
  text.insert(text.find('\n', at) + 1, lines);
  const std::string wbs = "  write_buffer_size=67108864\n";
  at = text.find(wbs);
  EXPECT_NE(at, std::string::npos);
  if (small_memtable) text.replace(at, wbs.size(), "  write_buffer_size=4194304\n");
  return text;
}

// name → size of every file under dir.
std::map<std::string, uintmax_t> Listing(const std::string& dir) {
  std::map<std::string, uintmax_t> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) files[e.path().lexically_relative(dir).string()] = e.file_size();
  }
  return files;
}

// Directories named elmo-trial-<this pid>-* anywhere under /sys/fs/cgroup.
std::vector<std::string> LeftoverGroups() {
  std::vector<std::string> left;
  const std::string prefix = "elmo-trial-" + std::to_string(getpid()) + "-";
  std::error_code ec;
  fs::recursive_directory_iterator it("/sys/fs/cgroup",
                                      fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory(ec) && it->path().filename().string().rfind(prefix, 0) == 0) {
      left.push_back(it->path().string());
    }
  }
  return left;
}

bool CgroupV1Machine() {
  return access("/sys/fs/cgroup/cgroup.controllers", F_OK) != 0 &&
         access("/sys/fs/cgroup/memory/memory.limit_in_bytes", W_OK) == 0 &&
         access("/sys/fs/cgroup/cpu/cpu.cfs_quota_us", F_OK) == 0;
}

class TrialTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    setenv("LD_LIBRARY_PATH", ELMO_OUT "/lib", 1);  // db_bench has no RUNPATH
    fs::remove_all(kRoot);
    fs::create_directories(kRoot);
    WriteFile(kRoot + "/good.ini", OptionsWith("[CFOptions \"default\"]", ""));
    WriteFile(kRoot + "/bad.ini", OptionsWith("[CFOptions \"default\"]", "  bogus_option_xyz=5\n"));
    const std::string table = "[TableOptions/BlockBasedTable \"default\"]";
    WriteFile(kRoot + "/small-cache.ini", OptionsWith(table, "  block_cache=8388608\n", true));
    WriteFile(kRoot + "/big-cache.ini", OptionsWith(table, "  block_cache=536870912\n", true));
    // The preloaded base: 50000 keys, small memtables so that SST files exist.
    std::string cmd = kDbBench +
                      " --benchmarks=fillrandom --num=50000 --write_buffer_size=1048576" +
                      " --db=" + kRoot + "/base > " + kRoot + "/base.log 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << ReadFile(kRoot + "/base.log");
  }

  void TearDown() override {
    EXPECT_EQ(LeftoverGroups(), std::vector<std::string>{});
    errno = 0;
    EXPECT_EQ(waitpid(-1, nullptr, WNOHANG), -1) << "a child process is left";
    EXPECT_EQ(errno, ECHILD);
  }

  // A spec for a trial in kRoot/<name>; args must outlive the run.
  elmo_trial_spec Spec(const std::string& name, const std::vector<const char*>& args) {
    args_ = args;
    args_.push_back(nullptr);
    dir_ = kRoot + "/" + name;
    options_ = kRoot + "/good.ini";
    elmo_trial_spec s{};
    s.db_bench = kDbBench.c_str();
    s.args = args_.data();
    s.options_file = options_.c_str();
    s.work_dir = dir_.c_str();
    s.cpus = 1;
    s.memory_bytes = 512 * kMiB;
    s.timeout_seconds = 60;
    return s;
  }

  elmo_trial_result Run(const elmo_trial_spec& s) {
    elmo_trial_result r{};
    elmo_error err{};
    EXPECT_EQ(elmo_trial_run(&s, &r, &err), ELMO_OK) << err.message;
    return r;
  }

  std::vector<const char*> args_;
  std::string dir_, options_;
};

std::string Describe(const elmo_trial_result& r) {
  return std::string(elmo_trial_status_name(r.status)) + ": " + r.reason + " [" + r.limits_method +
         "]";
}

TEST_F(TrialTest, FillrandomSucceedsWithMetrics) {
  elmo_trial_result r = Run(Spec("fillrandom", {"--benchmarks=fillrandom", "--num=20000"}));
  ASSERT_EQ(r.status, ELMO_TRIAL_OK) << Describe(r);
  const elmo_trial_metrics& m = r.metrics;
  EXPECT_GT(m.ops_per_sec, 0);
  EXPECT_GT(m.micros_per_op, 0);
  EXPECT_GT(m.p50_us, 0);
  EXPECT_GE(m.p99_us, m.p50_us);
  EXPECT_GE(m.p999_us, m.p99_us);
  EXPECT_GT(m.write_p99_us, 0);
  EXPECT_EQ(m.read_p99_us, 0);
  EXPECT_GT(m.cpu_seconds, 0);
  EXPECT_GT(m.wall_seconds, 0);
  EXPECT_GT(m.cpu_percent, 0);
  EXPECT_GT(m.peak_memory_bytes, 0u);
  EXPECT_GT(m.peak_rss_bytes, 0u);
  EXPECT_GT(m.space_bytes, 0u);
  EXPECT_GE(m.stall_percent, 0);
  if (CgroupV1Machine()) {
    EXPECT_STREQ(elmo_trial_limits_available(), "cgroup v1");
    EXPECT_STREQ(r.limits_method, "cgroup v1 (cpu, memory)");
    EXPECT_LE(m.peak_memory_bytes, 512 * kMiB);
  }
  EXPECT_NE(ReadFile(dir_ + "/stdout.txt").find("fillrandom"), std::string::npos);
  elmo_trial_result_clear(&r);
}

TEST_F(TrialTest, CloneLinksImmutableFilesAndCopiesTheRest) {
  const std::string base = kRoot + "/base", copy = kRoot + "/clone-check";
  elmo_error err{};
  ASSERT_EQ(elmo_db_clone(base.c_str(), copy.c_str(), &err), ELMO_OK) << err.message;
  EXPECT_EQ(Listing(copy), Listing(base));
  int ssts = 0;
  for (const auto& e : fs::directory_iterator(base)) {
    struct stat a, b;
    ASSERT_EQ(stat(e.path().c_str(), &a), 0);
    ASSERT_EQ(stat((copy + "/" + e.path().filename().string()).c_str(), &b), 0);
    bool sst = e.path().extension() == ".sst";
    ssts += sst;
    EXPECT_EQ(a.st_ino == b.st_ino, sst) << e.path();
  }
  EXPECT_GT(ssts, 0);
  // Errors name the file.
  EXPECT_EQ(elmo_db_clone(base.c_str(), copy.c_str(), &err), ELMO_EIO);
  EXPECT_NE(std::string(err.message).find(copy), std::string::npos) << err.message;
  EXPECT_EQ(elmo_db_clone((kRoot + "/none").c_str(), (kRoot + "/x").c_str(), &err), ELMO_ENOTFOUND);
  const std::string odd = kRoot + "/odd-base";
  fs::create_directories(odd);
  ASSERT_EQ(mkfifo((odd + "/pipe").c_str(), 0600), 0);
  EXPECT_EQ(elmo_db_clone(odd.c_str(), (kRoot + "/odd-copy").c_str(), &err), ELMO_EINVAL);
  EXPECT_NE(std::string(err.message).find(odd + "/pipe"), std::string::npos) << err.message;
}

TEST_F(TrialTest, ReadrandomOnACloneLeavesTheBaseUntouched) {
  const std::string base = kRoot + "/base";
  auto before = Listing(base);
  elmo_trial_spec s =
      Spec("readrandom", {"--benchmarks=readrandom", "--num=50000", "--reads=20000"});
  s.base_db = base.c_str();
  elmo_trial_result r = Run(s);
  ASSERT_EQ(r.status, ELMO_TRIAL_OK) << Describe(r) << ReadFile(dir_ + "/stderr.txt");
  EXPECT_GT(r.metrics.ops_per_sec, 0);
  EXPECT_GT(r.metrics.read_p99_us, 0);
  EXPECT_NEAR(r.metrics.p99_us, r.metrics.read_p99_us, 0.006);  // one type: its own histogram
  EXPECT_GE(r.metrics.cache_hit_rate, 0);
  EXPECT_LE(r.metrics.cache_hit_rate, 1);
  EXPECT_EQ(Listing(base), before);
  elmo_trial_result_clear(&r);
}

TEST_F(TrialTest, BadOptionsFileFailsNamingTheOption) {
  elmo_trial_spec s = Spec("bad-options", {"--benchmarks=fillrandom", "--num=1000"});
  options_ = kRoot + "/bad.ini";
  s.options_file = options_.c_str();
  elmo_trial_result r = Run(s);
  EXPECT_EQ(r.status, ELMO_TRIAL_FAILED) << Describe(r);
  EXPECT_NE(std::string(r.reason).find("bogus_option_xyz"), std::string::npos) << r.reason;
  EXPECT_EQ(std::string(r.reason).rfind("exit 1: ", 0), 0u) << r.reason;
  elmo_trial_result_clear(&r);
}

// 64 MiB of memory, 4 MiB memtables and ~200 MiB of blocks read twice: with an 8 MiB block cache
// the run fits; with a 512 MiB one the cache outgrows the limit once the data is loaded.
TEST_F(TrialTest, MemoryLimitStopsABigCache) {
  for (const char* options : {"small-cache", "big-cache"}) {
    SCOPED_TRACE(options);
    elmo_trial_spec s = Spec(std::string("memory-") + options,
                             {"--benchmarks=fillseq,readseq,readrandom", "--num=50000",
                              "--value_size=4000", "--compression_type=none"});
    options_ = kRoot + "/" + options + ".ini";
    s.options_file = options_.c_str();
    s.memory_bytes = 64 * kMiB;
    s.timeout_seconds = 300;  // for a hung run only: reads under 64 MiB can be slow when loaded
    elmo_trial_result r = Run(s);
    std::printf("  %s: %s after %.1f s, peak %.1f MiB (RSS %.1f MiB)\n", options,
                Describe(r).c_str(), r.metrics.wall_seconds,
                r.metrics.peak_memory_bytes / double(kMiB),
                r.metrics.peak_rss_bytes / double(kMiB));
    std::string out = ReadFile(dir_ + "/stdout.txt");
    EXPECT_NE(out.find("\nfillseq      :"), std::string::npos) << "the load itself must fit";
    if (options == std::string("small-cache")) {
      EXPECT_EQ(r.status, ELMO_TRIAL_OK) << Describe(r);
    } else {
      EXPECT_NE(r.status, ELMO_TRIAL_OK) << Describe(r);
      EXPECT_TRUE(r.status == ELMO_TRIAL_OOM || r.status == ELMO_TRIAL_FAILED) << Describe(r);
      if (CgroupV1Machine()) EXPECT_EQ(r.status, ELMO_TRIAL_OOM) << Describe(r);
    }
    elmo_trial_result_clear(&r);
  }
}

// Two busy threads on a 1-CPU limit use at most about one CPU.
TEST_F(TrialTest, CpuLimitHolds) {
  if (std::thread::hardware_concurrency() < 2) GTEST_SKIP() << "needs 2 CPUs";
  elmo_trial_spec s =
      Spec("cpu", {"--benchmarks=readrandom", "--num=1000", "--threads=2", "--duration=2"});
  elmo_trial_result r = Run(s);
  ASSERT_EQ(r.status, ELMO_TRIAL_OK) << Describe(r);
  std::printf("  cpu: %.2f s of CPU in %.2f s (%.0f%% of 1 CPU)\n", r.metrics.cpu_seconds,
              r.metrics.wall_seconds, r.metrics.cpu_percent);
  EXPECT_LT(r.metrics.cpu_seconds / r.metrics.wall_seconds, 1.15);
  EXPECT_LT(r.metrics.cpu_percent, 115);
  elmo_trial_result_clear(&r);
}

TEST_F(TrialTest, WatchdogKillsAtTheDeadline) {
  elmo_trial_spec s = Spec("timeout", {"--benchmarks=readrandom", "--num=1000", "--duration=30"});
  s.timeout_seconds = 2;
  auto t0 = std::chrono::steady_clock::now();
  elmo_trial_result r = Run(s);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(r.status, ELMO_TRIAL_TIMEOUT) << Describe(r);
  // Killed at the 2 s deadline; the upper bounds leave room for a loaded machine and stay far
  // below the 30 s the run would take without the watchdog.
  EXPECT_LT(secs, 20);
  EXPECT_GE(r.metrics.wall_seconds, 2);
  EXPECT_LT(r.metrics.wall_seconds, 15);
  elmo_trial_result_clear(&r);
}

TEST_F(TrialTest, FlaggerAbortsASlowRun) {
  elmo_trial_spec s = Spec("flagger", {"--benchmarks=readrandom", "--num=1000", "--duration=30"});
  s.abort_below_ops = 1e12;
  s.flagger_grace_seconds = 3;
  auto t0 = std::chrono::steady_clock::now();
  elmo_trial_result r = Run(s);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(r.status, ELMO_TRIAL_ABORTED) << Describe(r);
  EXPECT_NE(std::string(r.reason).find("ops/s"), std::string::npos) << r.reason;
  EXPECT_LT(secs, 25);  // aborted after ~8 s (5 warm-up + 3 grace) of a 30 s run
  EXPECT_GE(r.metrics.n_interval, 8u);  // 5 warm-up + 3 grace
  elmo_trial_result_clear(&r);
}

// A rewrite's compact reports no operations for seconds (its own interval report, all zeros):
// the flagger judges only the measured benchmark, which here is fast.
TEST_F(TrialTest, FlaggerNeverJudgesTheBenchmarksBeforeTheMeasuredOne) {
  const std::string base = kRoot + "/base";
  elmo_trial_spec s = Spec("flagger-compact", {"--benchmarks=compact,readrandom", "--num=50000", "--duration=4",
                                               "--rate_limiter_bytes_per_sec=300000"});
  s.base_db = base.c_str();
  s.abort_below_ops = 1000;
  s.flagger_warmup_seconds = 1;
  s.flagger_grace_seconds = 2;
  elmo_trial_result r = Run(s);
  ASSERT_EQ(r.status, ELMO_TRIAL_OK) << Describe(r);
  EXPECT_GT(r.metrics.setup_seconds, 3.5) << "the compact must outlast the flagger's warm-up and grace";
  EXPECT_GT(r.metrics.ops_per_sec, 1000);
  elmo_trial_result_clear(&r);
  // And it still judges the measured benchmark once the compact is done.
  s = Spec("flagger-compact-slow", {"--benchmarks=compact,readrandom", "--num=50000", "--duration=30",
                                    "--rate_limiter_bytes_per_sec=300000"});
  s.base_db = base.c_str();
  s.abort_below_ops = 1e12;
  s.flagger_warmup_seconds = 1;
  s.flagger_grace_seconds = 2;
  r = Run(s);
  EXPECT_EQ(r.status, ELMO_TRIAL_ABORTED) << Describe(r);
  EXPECT_NE(ReadFile(dir_ + "/stdout.txt").find("compact "), std::string::npos) << "aborted during the compact";
  elmo_trial_result_clear(&r);
}

// The warm-up and grace the tuner gives short trials (tuner_steps.c: the trial's warm-up, a third
// of its measured seconds): an 8 s trial after 2 s of warm-up can be cut short.
TEST_F(TrialTest, FlaggerFiresInShortTrials) {
  elmo_trial_spec s = Spec("flagger-short", {"--benchmarks=readrandom", "--num=1000", "--duration=10"});
  s.abort_below_ops = 1e12;
  s.flagger_warmup_seconds = 2;
  s.flagger_grace_seconds = 8.0 / 3;
  elmo_trial_result r = Run(s);
  EXPECT_EQ(r.status, ELMO_TRIAL_ABORTED) << Describe(r);
  EXPECT_LE(r.metrics.n_interval, 8u) << "aborted after 2 s of warm-up and 3 s below";
  elmo_trial_result_clear(&r);
}

// Thresholds second by second (the best's own throughput at the same second × the ratio): a run
// is judged against the series, not against the one threshold, which here alone would abort it.
TEST_F(TrialTest, FlaggerComparesSecondBySecond) {
  const double low[] = {1, 1, 1, 1, 1, 1};  // past its end the last entry holds
  elmo_trial_spec s = Spec("flagger-series", {"--benchmarks=readrandom", "--num=1000", "--duration=7"});
  s.abort_below_ops = 1e12;
  s.abort_below_series = low;
  s.n_abort_below_series = 6;
  s.flagger_warmup_seconds = 1;
  s.flagger_grace_seconds = 2;
  elmo_trial_result r = Run(s);
  EXPECT_EQ(r.status, ELMO_TRIAL_OK) << Describe(r);
  elmo_trial_result_clear(&r);
  const double high[] = {1, 1, 1e12};  // from the third second on, nothing passes
  s = Spec("flagger-series-high", {"--benchmarks=readrandom", "--num=1000", "--duration=30"});
  s.abort_below_ops = 1;
  s.abort_below_series = high;
  s.n_abort_below_series = 3;
  s.flagger_warmup_seconds = 1;
  s.flagger_grace_seconds = 2;
  r = Run(s);
  EXPECT_EQ(r.status, ELMO_TRIAL_ABORTED) << Describe(r);
  EXPECT_LE(r.metrics.n_interval, 10u);
  elmo_trial_result_clear(&r);
}

// --elmo_warmup_sec (patches/0011): given, db_bench's result line and histograms leave the first
// seconds out; the interval report still has every second.
TEST_F(TrialTest, WarmupIsLeftOutOfTheHistograms) {
  const std::string base = kRoot + "/base";
  double share[2] = {0, 0};
  for (int with = 0; with < 2; with++) {
    std::vector<const char*> args = {"--benchmarks=readrandom", "--num=50000", "--duration=4"};
    if (with) args.push_back("--elmo_warmup_sec=2");
    elmo_trial_spec s = Spec(with ? "warmup-on" : "warmup-off", args);
    s.base_db = base.c_str();
    elmo_trial_result r = Run(s);
    ASSERT_EQ(r.status, ELMO_TRIAL_OK) << Describe(r);
    uint64_t counted = 0;
    for (size_t i = 0; i < r.metrics.n_op_types; i++) counted += r.metrics.op_types[i].count;
    double reported = 0;
    for (size_t i = 0; i < r.metrics.n_interval; i++) reported += r.metrics.interval_ops[i];
    ASSERT_GT(reported, 0);
    share[with] = counted / reported;
    elmo_trial_result_clear(&r);
  }
  EXPECT_GT(share[0], 0.95) << "without the flag every operation is in the histogram";
  EXPECT_LT(share[1], 0.8) << "with it the first 2 of 4 s are not";
  EXPECT_GT(share[1], 0.25);
}

TEST_F(TrialTest, CancelStopsTheRun) {
  elmo_trial_spec s = Spec("cancel", {"--benchmarks=readrandom", "--num=1000", "--duration=30"});
  volatile int cancel = 0;
  s.cancel = &cancel;
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    cancel = 1;
  });
  elmo_trial_result r = Run(s);
  stopper.join();
  EXPECT_EQ(r.status, ELMO_TRIAL_FAILED) << Describe(r);
  EXPECT_STREQ(r.reason, "cancelled");
  EXPECT_LT(r.metrics.wall_seconds, 15);  // cancelled at ~0.8 s of a 30 s run
  elmo_trial_result_clear(&r);
}

TEST_F(TrialTest, BadSpecsAreRejected) {
  struct Case {
    const char* name;
    std::vector<const char*> args;
    const char* db_bench;
    int cpus;
    elmo_rc rc;
  } cases[] = {
      {"reserved --db", {"--benchmarks=readrandom", "--db=/tmp/x"}, nullptr, 1, ELMO_EINVAL},
      {"reserved -report_file", {"-report_file=r.csv"}, nullptr, 1, ELMO_EINVAL},
      {"missing db_bench", {"--benchmarks=readrandom"}, "/nonexistent/db_bench", 1, ELMO_ENOTFOUND},
      {"negative cpus", {"--benchmarks=readrandom"}, nullptr, -1, ELMO_ERANGE},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    elmo_trial_spec s = Spec("bad-spec", c.args);
    if (c.db_bench != nullptr) s.db_bench = c.db_bench;
    s.cpus = c.cpus;
    elmo_trial_result r{};
    elmo_error err{};
    EXPECT_EQ(elmo_trial_run(&s, &r, &err), c.rc) << err.message;
    EXPECT_EQ(r.status, ELMO_TRIAL_FAILED);
    EXPECT_STREQ(r.reason, err.message);
  }
  // A work_dir that already holds a DB is refused rather than overwritten.
  elmo_trial_spec s = Spec("used", {"--benchmarks=readrandom"});
  fs::create_directories(dir_ + "/db");
  elmo_trial_result r{};
  elmo_error err{};
  EXPECT_EQ(elmo_trial_run(&s, &r, &err), ELMO_EINVAL);
  EXPECT_NE(std::string(err.message).find(dir_ + "/db"), std::string::npos) << err.message;
}

}  // namespace
