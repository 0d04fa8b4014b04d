// tune_flags_test.cc — db_bench's --elmo_* flags of elmotune go through the tuner's settings
// table (elmo/src/offline/tune_config.c): a value out of its range stops db_bench before any work
// with a message naming the flag, the value and the range; a 0 the user gives is a 0
// (--elmo_p99_weight=0 is throughput only), not the default.
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
    return elmo_test::RunCommand(kDbBench + " --benchmarks=elmotune --elmo_workload=fillrandom " + flags +
                                 " --elmo_output_dir=" + out + " --db=" + dir_ + "/db");
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
      {"--elmo_num=-5", "elmotune: --elmo_num=-5 is outside the allowed range [0, 1e12]"},
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
