// tune_flags_test.cc — db_bench's --elmo_* flags of elmotune go through the tuner's settings
// table (elmo/src/offline/tune_config.c): a value out of its range stops db_bench before any work
// with a message naming the flag, the value and the range; a 0 the user gives is a 0
// (--elmo_p99_weight=0 is throughput only), not the default. db_bench's own workload flags
// (--num, --readwritepercent, --threads, --duration, ...) are the trials' workload, and one the
// workload cannot take is refused, naming it.
#include <cjson/cJSON.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "file_text.h"
#include "run_command.h"

namespace fs = std::filesystem;

namespace {

const std::string kDbBench = std::string(ELMO_OUT) + "/bin/db_bench";

class TuneFlags : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::string(ELMO_TEST_WORK) + "/tune-flags-" + std::to_string(getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }

  elmo_test::CommandResult Elmotune(const std::string& flags, const std::string& out) {
    return Run("--elmo_workload=fillrandom " + flags, out);
  }
  elmo_test::CommandResult Run(const std::string& flags, const std::string& out) {
    return elmo_test::RunCommand(kDbBench + " --benchmarks=elmotune " + flags + " --elmo_output_dir=" + out +
                                 " --db=" + dir_ + "/db");
  }

  std::string dir_;
};

double ConfigNumber(const cJSON* root, const char* key) {
  const cJSON* v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "config"), key);
  return cJSON_IsNumber(v) ? v->valuedouble : -12345;
}

}  // namespace

TEST_F(TuneFlags, AValueOutsideItsRangeStopsDbBenchBeforeAnyWork) {
  struct {
    const char* flag;
    const char* message;
  } cases[] = {
      {"--elmo_p99_weight=1.5", "elmotune: --elmo_p99_weight=1.5 is outside the allowed range [0, 1]"},
      {"--elmo_p99_weight=-0.5", "elmotune: --elmo_p99_weight=-0.5 is outside the allowed range [0, 1]"},
      {"--elmo_min_gain=2", "elmotune: --elmo_min_gain=2 is outside the allowed range [0, 1]"},
      {"--elmo_trial_sec=0", "elmotune: --elmo_trial_sec=0 is outside the allowed range (0, 86400]"},
      {"--elmo_iterations=0", "elmotune: --elmo_iterations=0 is outside the allowed range [1, 1000]"},
      {"--elmo_num=-5", "elmotune: --elmo_num=-5 is outside the allowed range [1, 1e12]"},
      {"--elmo_recheck_pairs=9", "elmotune: --elmo_recheck_pairs=9 is outside the allowed range [1, 8]"},
      {"--elmo_confirm=33", "elmotune: --elmo_confirm=33 is outside the allowed range [1, 32]"},
      {"--elmo_guard_tolerance=1", "elmotune: --elmo_guard_tolerance=1 is outside the allowed range (0, 1)"},
      {"--elmo_flag_ratio=1.25", "elmotune: --elmo_flag_ratio=1.25 is outside the allowed range [0, 1]"},
      {"--elmo_memory=lots", "elmotune: --elmo_memory=lots is not a size"},
      {"--elmo_memory=2PiB", "elmotune: --elmo_memory=2PiB is outside the allowed range [0, 1PiB]"},
      {"--elmo_strategy=random", "elmotune: --elmo_strategy=random: expected full-history, chunked"},
      {"--elmo_rewrite=sometimes", "elmotune: --elmo_rewrite=sometimes: expected auto, always, never"},
      {"--elmo_trial_sec=30s", "elmo_trial_sec"},  // gflags itself refuses a double with a unit
  };
  int i = 0;
  for (const auto& c : cases) {
    std::string out = dir_ + "/out" + std::to_string(i++);
    auto r = Elmotune(c.flag, out);
    EXPECT_EQ(r.status, 1) << c.flag << "\n" << r.out;
    EXPECT_NE(r.out.find(c.message), std::string::npos) << c.flag << "\n" << r.out;
    EXPECT_FALSE(fs::exists(out)) << c.flag << ": work started before the flag was refused";
    EXPECT_FALSE(fs::exists(dir_ + "/db/elmotune")) << c.flag;
  }
}

// --elmo_p99_weight=0 under the mixed objective scores throughput only; before the table, 0 meant
// "default" and became 0.5. The same for --elmo_min_gain=0 (any gain counts) and
// --elmo_warmup_sec=0 (no warm-up): what the run used is what history.json records.
TEST_F(TuneFlags, AnExplicitZeroIsKeptNotReplacedByTheDefault) {
  std::string out = dir_ + "/out";
  auto r = Elmotune("--elmo_objective=mixed --elmo_p99_weight=0 --elmo_min_gain=0 --elmo_warmup_sec=0"
                    " --elmo_num=20000 --elmo_iterations=1 --elmo_finetune=-1 --elmo_trial_sec=1"
                    " --elmo_confirm=1 --elmo_confirm_max=1 --elmo_recheck_band=-1 --elmo_cpus=2"
                    " --elmo_memory=512MiB --elmo_quiet=1",
                    out);
  ASSERT_EQ(r.status, 0) << r.out;
  std::string json = elmo_test::ReadFile(out + "/history.json");
  std::unique_ptr<cJSON, void (*)(cJSON*)> root(cJSON_Parse(json.c_str()), cJSON_Delete);
  ASSERT_NE(root, nullptr) << json;
  const cJSON* objective =
      cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root.get(), "config"), "objective");
  EXPECT_STREQ(cJSON_GetStringValue(objective), "mixed");
  EXPECT_EQ(ConfigNumber(root.get(), "p99_weight"), 0);
  EXPECT_EQ(ConfigNumber(root.get(), "min_gain"), 0);
  EXPECT_EQ(ConfigNumber(root.get(), "warmup_seconds"), 0);
  EXPECT_EQ(ConfigNumber(root.get(), "trial_seconds"), 1);
  // Flags left alone take the table's defaults, and db_bench's own (2 CPUs, 1GiB) where they differ.
  EXPECT_EQ(ConfigNumber(root.get(), "patience"), 3);
  EXPECT_EQ(ConfigNumber(root.get(), "flag_ratio"), 0.5);
  EXPECT_EQ(ConfigNumber(root.get(), "cpus"), 2);
  std::string md = elmo_test::ReadFile(out + "/report.md");
  EXPECT_NE(md.find("mixed: 0% p99 latency gain, 100% throughput gain"), std::string::npos) << md;
}

// --elmo_base_db with a preset: only for --elmo_compare on the DB a run of the preset loaded (the
// peer benchmark's trials); anything else is refused before any work, naming the problem.
TEST_F(TuneFlags, APresetsBaseDbIsForComparisonsOnly) {
  std::string out = dir_ + "/out-a";
  auto r = Elmotune("--elmo_base_db=" + dir_, out);
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("--elmo_base_db needs a workload that can run on the program's keys"), std::string::npos)
      << r.out;
  out = dir_ + "/out-b";
  r = Elmotune("--elmo_compare=defaults --elmo_base_db=" + dir_ + "/nowhere", out);
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("--elmo_base_db=" + dir_ + "/nowhere: not a RocksDB directory (no CURRENT)"),
            std::string::npos)
      << r.out;
  EXPECT_FALSE(fs::exists(dir_ + "/db/elmotune"));
}

// A new user's command line: db_bench's --readwritepercent, --num, --threads and --duration are
// the workload every trial runs (not the preset's 90% reads over 1,000,000 keys, nor db_bench's
// own --num=1000000): the base DB holds 20,000 keys, and every trial ran 80% reads.
TEST_F(TuneFlags, DbBenchsWorkloadFlagsAreTheTrialsWorkload) {
  std::string out = dir_ + "/out";
  auto r = Run("--elmo_workload=readrandomwriterandom --readwritepercent=80 --num=20000 --threads=2 --duration=2"
               " --elmo_warmup_sec=1 --elmo_iterations=1 --elmo_finetune=-1 --elmo_confirm=2 --elmo_confirm_max=2"
               " --elmo_recheck_band=-1 --elmo_rewrite=never --elmo_cpus=2 --elmo_memory=512MiB",
               out);
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("preloading 20000 keys"), std::string::npos) << r.out;
  std::string json = elmo_test::ReadFile(out + "/history.json");
  std::unique_ptr<cJSON, void (*)(cJSON*)> root(cJSON_Parse(json.c_str()), cJSON_Delete);
  ASSERT_NE(root, nullptr) << json;
  EXPECT_EQ(ConfigNumber(root.get(), "num_keys"), 20000);
  EXPECT_EQ(ConfigNumber(root.get(), "read_percent"), 80);
  EXPECT_EQ(ConfigNumber(root.get(), "threads"), 2);
  EXPECT_EQ(ConfigNumber(root.get(), "trial_seconds"), 2);
  EXPECT_EQ(ConfigNumber(root.get(), "key_size"), 16);  // the preset's: not given
  // Every trial that ran: reads are 80% of the operations db_bench counted.
  const cJSON* records = cJSON_GetObjectItemCaseSensitive(root.get(), "records");
  int measured = 0;
  const cJSON* rec = nullptr;
  cJSON_ArrayForEach(rec, records) {
    const cJSON* metrics = cJSON_GetObjectItemCaseSensitive(rec, "metrics");
    if (std::string(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "status"))) != "ok") continue;
    double reads = 0, writes = 0;
    const cJSON* op = nullptr;
    cJSON_ArrayForEach(op, cJSON_GetObjectItemCaseSensitive(metrics, "op_types")) {
      std::string type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(op, "type"));
      double count = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(op, "count"));
      if (type == "read") reads += count;
      if (type == "write") writes += count;
    }
    ASSERT_GT(reads + writes, 1000) << "trial " << measured << ": " << reads << " reads, " << writes << " writes";
    EXPECT_NEAR(reads / (reads + writes), 0.80, 0.01) << "trial " << measured << ": " << reads << " reads, " << writes
                                                       << " writes";
    measured++;
  }
  EXPECT_GE(measured, 2) << json;
  std::string md = elmo_test::ReadFile(out + "/report.md");
  for (const char* line : {"- **Dataset:** 20,000 keys, 16-byte keys, 400-byte values\n", "- **Client threads:** 2\n",
                           "- **Read percent:** 80% of the operations are reads, 20% writes\n",
                           "- **Trial length:** 2 s measured after a 1 s warm-up\n"}) {
    EXPECT_NE(md.find(line), std::string::npos) << line << md;
  }
}

// A flag the workload cannot take, two spellings that disagree, or a value out of range: db_bench
// stops before any work, with exit status 1 and a message naming the flag.
TEST_F(TuneFlags, AWorkloadFlagElmotuneCannotHonourIsRefusedNamingIt) {
  std::string spec = dir_ + "/any.json";  // refused before it is read
  struct {
    std::string flags;
    std::string message;
  } cases[] = {
      {"--elmo_workload=fillrandom --readwritepercent=80",
       "elmotune: --readwritepercent=80: the fillrandom preset has no read percent: only readrandomwriterandom has one"},
      {"--elmo_workload=ycsb-b --readwritepercent=80", "elmotune: --readwritepercent=80: the ycsb-b preset has no"},
      {"--elmo_workload=mixgraph --key_size=24",
       "elmotune: --key_size=24: the mixgraph preset is Facebook's published model, whose keys are 48 bytes"},
      {"--elmo_workload=ycsb-a --value_size=100", "elmotune: --value_size=100: the ycsb-a preset has YCSB's 1000-byte"},
      {"--elmo_workload=" + spec + " --num=5000", "elmotune: --num=5000: the workload spec " + spec + " sets its own"},
      {"--elmo_workload=" + spec + " --threads=4", "elmotune: --threads=4: the workload spec"},
      {"--elmo_workload=readrandomwriterandom --num=300000 --elmo_num=5",
       "elmotune: --elmo_num=5 and --num=300000 set the same setting differently: give one"},
      {"--elmo_workload=readrandom --duration=3 --elmo_trial_sec=2",
       "elmotune: --elmo_trial_sec=2 and --duration=3 set the same setting differently: give one"},
      {"--elmo_workload=readrandomwriterandom:70 --readwritepercent=80",
       "elmotune: --readwritepercent=80 and --elmo_workload=readrandomwriterandom:70 set the read percent "
       "differently: give one"},
      {"--elmo_workload=readrandomwriterandom:100",
       "elmotune: --elmo_workload=readrandomwriterandom:100: the read percent 100 is outside the allowed range [1, 99]"},
      {"--elmo_workload=readrandom --threads=0", "elmotune: --threads=0 is outside the allowed range [1, 256]"},
      {"--elmo_workload=readrandom --num=0", "elmotune: --num=0 is outside the allowed range [1, 1e12]"},
      {"--elmo_workload=readrandom --duration=0", "elmotune: --duration=0 is outside the allowed range (0, 86400]"},
      {"--elmo_workload=readrandom --key_size=4", "elmotune: --key_size=4 is outside the allowed range [8, 65536]"},
      // db_bench's own validator of --readwritepercent speaks first, naming it too.
      {"--elmo_workload=readrandomwriterandom --readwritepercent=150", "Invalid value for --readwritepercent: 150"},
  };
  int i = 0;
  for (const auto& c : cases) {
    std::string out = dir_ + "/out" + std::to_string(i++);
    auto r = Run(c.flags, out);
    EXPECT_EQ(r.status, 1) << c.flags << "\n" << r.out;
    EXPECT_NE(r.out.find(c.message), std::string::npos) << c.flags << "\n" << r.out;
    EXPECT_FALSE(fs::exists(out)) << c.flags << ": work started before the flag was refused";
    EXPECT_FALSE(fs::exists(dir_ + "/db/elmotune")) << c.flags;
  }
}
