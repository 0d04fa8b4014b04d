// tune_flags_test.cc — elmotune's command line (tune_flags.c): db_bench's own workload flags set
// the workload only when the user gave them, an --elmo_ alias and db_bench's name must agree, a
// workload refuses the values it cannot take (naming the flag as given), and the workload a
// config describes is the one its trials run.
#include <gtest/gtest.h>

#include <deque>
#include <string>
#include <vector>

#include "elmo/tuner.h"

namespace {

// Runs the command line flags (given unless the text starts with '~': db_bench's default).
elmo_rc SetFlags(elmo_tune_config* cfg, std::vector<std::pair<std::string, std::string>> flags, int from_trace,
                 elmo_error* err) {
  static std::deque<std::string> keep;  // cfg borrows string settings; a deque keeps them in place
  std::vector<elmo_tune_flag> v;
  for (auto& f : flags) {
    bool given = f.second.empty() || f.second[0] != '~';
    keep.push_back(f.first);
    const char* name = keep.back().c_str();
    keep.push_back(given ? f.second : f.second.substr(1));
    v.push_back({name, keep.back().c_str(), given ? 1 : 0});
  }
  return elmo_tune_config_set_flags(cfg, v.data(), v.size(), from_trace, err);
}

bool Has(const elmo_error& err, const std::string& s) { return std::string(err.message).find(s) != std::string::npos; }

}  // namespace

// db_bench's own defaults (--num=1000000, --threads=1, --readwritepercent=90, --duration=0, ...)
// never override the workload's; an --elmo_ flag whose db_bench default is not the table's does.
TEST(TuneFlags, DbBenchsOwnDefaultsSetNothing) {
  elmo_tune_config c;
  elmo_tune_config_defaults(&c);
  elmo_error err;
  ASSERT_EQ(SetFlags(&c,
                     {{"elmo_workload", "~readrandom"}, {"elmo_num", "~0"}, {"num", "~1000000"}, {"key_size", "~16"},
                      {"elmo_value_size", "~0"}, {"value_size", "~100"}, {"threads", "~1"},
                      {"readwritepercent", "~90"}, {"elmo_trial_sec", "~30"}, {"duration", "~0"},
                      {"elmo_cpus", "~2"}},
                     0, &err),
            ELMO_OK)
      << err.message;
  EXPECT_STREQ(c.workload, "readrandom");
  EXPECT_EQ(c.num_keys, 0u);
  EXPECT_EQ(c.key_size, 0);
  EXPECT_EQ(c.value_size, 0);
  EXPECT_EQ(c.threads, 0);
  EXPECT_EQ(c.read_percent, -1);
  EXPECT_EQ(c.trial_seconds, 30);
  EXPECT_EQ(c.cpus, 2);
}

TEST(TuneFlags, GivenWorkloadFlagsSetTheWorkload) {
  elmo_tune_config c;
  elmo_tune_config_defaults(&c);
  elmo_error err;
  ASSERT_EQ(SetFlags(&c,
                     {{"elmo_workload", "readrandomwriterandom"}, {"num", "300000"}, {"key_size", "20"},
                      {"value_size", "256"}, {"threads", "4"}, {"readwritepercent", "80"}, {"duration", "2"}},
                     0, &err),
            ELMO_OK)
      << err.message;
  EXPECT_EQ(c.num_keys, 300000u);
  EXPECT_EQ(c.key_size, 20);
  EXPECT_EQ(c.value_size, 256);
  EXPECT_EQ(c.threads, 4);
  EXPECT_EQ(c.read_percent, 80);
  EXPECT_EQ(c.trial_seconds, 2);
  elmo_workload w;
  c.warmup_seconds = 1;
  ASSERT_EQ(elmo_tune_config_workload(&c, &w, &err), ELMO_OK) << err.message;
  EXPECT_EQ(w.facts.num_keys, 300000u);
  EXPECT_EQ(w.facts.key_bytes, 20);
  EXPECT_EQ(w.facts.value_bytes, 256);
  EXPECT_EQ(w.facts.threads, 4);
  EXPECT_EQ(w.read_percent, 80);
  std::string run;
  for (size_t i = 0; w.run_args[i] != nullptr; i++) run += std::string(w.run_args[i]) + " ";
  EXPECT_NE(run.find("--readwritepercent=80 "), std::string::npos) << run;
  EXPECT_NE(run.find("--duration=3 "), std::string::npos) << "warm-up + trial: " << run;
  elmo_workload_clear(&w);
}

// The two names of one setting: the same value is fine, different values are an error naming both.
TEST(TuneFlags, BothNamesMustAgree) {
  struct {
    std::vector<std::pair<std::string, std::string>> flags;
    const char* message;  // nullptr: accepted
  } cases[] = {
      {{{"elmo_num", "300000"}, {"num", "300000"}}, nullptr},
      {{{"elmo_num", "5"}, {"num", "300000"}}, "elmo_num=5 and --num=300000 set the same setting differently"},
      {{{"elmo_value_size", "1KiB"}, {"value_size", "1024"}}, nullptr},
      {{{"elmo_value_size", "100"}, {"value_size", "200"}}, "elmo_value_size=100 and --value_size=200"},
      {{{"elmo_trial_sec", "2"}, {"duration", "2"}}, nullptr},
      {{{"elmo_trial_sec", "2.5"}, {"duration", "2"}}, "elmo_trial_sec=2.5 and --duration=2 set the same setting"},
      {{{"elmo_trial_sec", "~30"}, {"duration", "20"}}, nullptr},  // --elmo_trial_sec not given
      {{{"elmo_workload", "readrandomwriterandom:80"}, {"readwritepercent", "80"}}, nullptr},
      {{{"elmo_workload", "readrandomwriterandom:70"}, {"readwritepercent", "80"}},
       "readwritepercent=80 and --elmo_workload=readrandomwriterandom:70 set the read percent differently"},
  };
  for (const auto& k : cases) {
    elmo_tune_config c;
    elmo_tune_config_defaults(&c);
    c.workload = "readrandomwriterandom";
    elmo_error err;
    elmo_error_clear(&err);
    elmo_rc rc = SetFlags(&c, k.flags, 0, &err);
    std::string what = k.flags[0].first + "=" + k.flags[0].second + " " + k.flags[1].first + "=" + k.flags[1].second;
    if (k.message == nullptr) {
      EXPECT_EQ(rc, ELMO_OK) << what << ": " << err.message;
    } else {
      EXPECT_EQ(rc, ELMO_EINVAL) << what;
      EXPECT_TRUE(Has(err, k.message)) << what << ": " << err.message;
    }
  }
}

// Which flag each workload takes, through the command line: a refused one names the flag as the
// user wrote it (--elmo_value_size or --value_size) and why.
TEST(TuneFlags, AWorkloadRefusesTheFlagsItCannotTake) {
  struct {
    const char* workload;  // nullptr: from --elmo_trace
    const char *flag, *text;
    const char* message;  // nullptr: accepted
  } cases[] = {
      {"readrandomwriterandom", "readwritepercent", "80", nullptr},
      {"readrandomwriterandom", "readwritepercent", "1", nullptr},
      {"fillrandom", "readwritepercent", "80",
       "readwritepercent=80: the fillrandom preset has no read percent: only readrandomwriterandom has one"},
      {"readrandom", "readwritepercent", "80", "readwritepercent=80: the readrandom preset has no read percent"},
      {"ycsb-b", "readwritepercent", "95", "readwritepercent=95: the ycsb-b preset has no read percent"},
      {"mixgraph", "readwritepercent", "85", "readwritepercent=85: the mixgraph preset has no read percent"},
      {"mixgraph", "key_size", "24", "key_size=24: the mixgraph preset is Facebook's published model, whose keys are 48"},
      {"mixgraph", "value_size", "200", nullptr},
      {"mixgraph", "threads", "4", nullptr},
      {"ycsb-a", "value_size", "100", "value_size=100: the ycsb-a preset has YCSB's 1000-byte records"},
      {"ycsb-a", "elmo_value_size", "100", "elmo_value_size=100: the ycsb-a preset has YCSB's 1000-byte records"},
      {"ycsb-a", "num", "50000", nullptr},
      {"ycsb-a", "key_size", "24", nullptr},
      {"fillrandom", "threads", "4", nullptr},
      {"readrandom", "num", "20000", nullptr},
      {"/no/such/spec.json", "num", "20000", "num=20000: the workload spec /no/such/spec.json sets its own key count"},
      {"/no/such/spec.json", "elmo_num", "20000", "elmo_num=20000: the workload spec"},
      {"/no/such/spec.json", "threads", "2", "threads=2: the workload spec /no/such/spec.json sets its own client"},
      {"/no/such/spec.json", "readwritepercent", "50", "readwritepercent=50: the workload spec"},
      {"/no/such/spec.json", "duration", "5", nullptr},
      {nullptr, "num", "20000", "num=20000: the workload modeled from --elmo_trace sets its own key count"},
      {nullptr, "threads", "4", "--elmo_trace_threads"},
      {nullptr, "value_size", "64", "value_size=64: the workload modeled from --elmo_trace"},
      {nullptr, "duration", "5", nullptr},
      // The range comes first, named as given.
      {"readrandomwriterandom", "readwritepercent", "150", "readwritepercent=150 is outside the allowed range [1, 99]"},
      {"readrandomwriterandom", "readwritepercent", "100", "readwritepercent=100 is outside the allowed range [1, 99]"},
      // The workload's name is checked before any work too.
      {"readrandomwriterandom:150", "num", "5",
       "elmo_workload=readrandomwriterandom:150: the read percent 150 is outside the allowed range [1, 99]"},
      {"fillrandon", "num", "5", "elmo_workload=fillrandon: unknown workload (presets: fillrandom"},
      {"readrandom", "threads", "0", "threads=0 is outside the allowed range [1, 256]"},
      {"readrandom", "num", "0", "num=0 is outside the allowed range [1, 1e12]"},
      {"readrandom", "duration", "0", "duration=0 is outside the allowed range (0, 86400]"},
      {"readrandom", "duration", "-1", "duration=-1 is outside the allowed range (0, 86400]"},
  };
  for (const auto& k : cases) {
    elmo_tune_config c;
    elmo_tune_config_defaults(&c);
    elmo_error err;
    elmo_error_clear(&err);
    std::vector<std::pair<std::string, std::string>> flags = {{k.flag, k.text}};
    if (k.workload != nullptr) flags.insert(flags.begin(), {"elmo_workload", k.workload});
    elmo_rc rc = SetFlags(&c, flags, k.workload == nullptr ? 1 : 0, &err);
    std::string what = std::string(k.workload ? k.workload : "(trace)") + " --" + k.flag + "=" + k.text;
    if (k.message == nullptr) {
      EXPECT_EQ(rc, ELMO_OK) << what << ": " << err.message;
    } else {
      EXPECT_NE(rc, ELMO_OK) << what;
      EXPECT_TRUE(Has(err, k.message)) << what << ": " << err.message;
    }
  }
}

// A C caller's zeroed struct: every workload value not set, the preset's own.
TEST(TuneFlags, AZeroedConfigRunsThePresetsOwnValues) {
  elmo_tune_config c = {};
  c.workload = "readrandomwriterandom";
  elmo_workload w;
  elmo_error err;
  ASSERT_EQ(elmo_tune_config_workload(&c, &w, &err), ELMO_OK) << err.message;
  EXPECT_EQ(w.read_percent, 90);
  EXPECT_EQ(w.facts.num_keys, 1000000u);
  EXPECT_EQ(w.facts.threads, 1);
  elmo_workload_clear(&w);
  c.workload = nullptr;
  EXPECT_EQ(elmo_tune_config_workload(&c, &w, &err), ELMO_EINVAL);
  EXPECT_EQ(elmo_tune_config_set_flags(nullptr, nullptr, 0, 0, &err), ELMO_EINVAL);
  elmo_tune_flag nameless = {nullptr, "1", 1};
  EXPECT_EQ(elmo_tune_config_set_flags(&c, &nameless, 1, 0, &err), ELMO_EINVAL);
  elmo_tune_flag unknown = {"elmo_frobnicate", "1", 1};
  EXPECT_EQ(elmo_tune_config_set_flags(&c, &unknown, 1, 0, &err), ELMO_ENOTFOUND);
}
