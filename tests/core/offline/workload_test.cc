// workload_test.cc — which of db_bench's workload values (--num, --key_size, --value_size,
// --threads, --readwritepercent) each preset takes, and that a taken value is what the trials
// run: the table of docs/TUNING.md, checked preset by preset; ranges, the ":PCT" of a preset
// name, and specs and traces, which set every value themselves.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "elmo/workload.h"

namespace {

// The run's db_bench arguments, one string.
std::string RunArgs(const elmo_workload& w) {
  std::string s;
  for (size_t i = 0; w.run_args[i] != nullptr; i++) s += std::string(w.run_args[i]) + " ";
  return s;
}

std::string PreloadArgs(const elmo_workload& w) {
  std::string s;
  for (size_t i = 0; w.preload_args[i] != nullptr; i++) s += std::string(w.preload_args[i]) + " ";
  return s;
}

elmo_workload_params Params(double seconds = 12) {
  elmo_workload_params p;
  elmo_workload_params_init(&p);
  p.seconds = seconds;
  return p;
}

// Sets param i of p to a value in its range, and returns db_bench's argument that carries it.
std::string Set(elmo_workload_params* p, elmo_workload_param i) {
  switch (i) {
    case ELMO_WORKLOAD_NUM: p->num_keys = 12345; return "--num=12345 ";
    case ELMO_WORKLOAD_KEY_SIZE: p->key_size = 24; return "--key_size=24 ";
    case ELMO_WORKLOAD_VALUE_SIZE: p->value_size = 123; return "--value_size=123 ";
    case ELMO_WORKLOAD_THREADS: p->threads = 3; return "--threads=3 ";
    default: p->read_percent = 80; return "--readwritepercent=80 ";
  }
}

}  // namespace

// The table: a preset takes every value it does not fix. Each value it takes reaches the run's
// arguments (and the preload's where the base is loaded); each it refuses is an error naming
// db_bench's flag, with a reason.
TEST(Workload, EachPresetTakesTheValuesOfTheTable) {
  enum { N = 1, K = 2, V = 4, T = 8, R = 16 };
  struct {
    const char* preset;
    int takes;  // bits 1 << elmo_workload_param
  } table[] = {
      {"fillrandom", N | K | V | T},        {"readrandom", N | K | V | T},
      {"readrandomwriterandom", N | K | V | T | R}, {"readrandomwriterandom:70", N | K | V | T | R},
      {"mixgraph", N | V | T},              {"ycsb-a", N | K | T},
      {"ycsb-b", N | K | T},                {"ycsb-c", N | K | T},
      {"ycsb-d", N | K | T},                {"ycsb-e", N | K | T},
      {"ycsb-f", N | K | T},
  };
  for (const auto& row : table) {
    for (int i = 0; i < ELMO_WORKLOAD_PARAM_COUNT; i++) {
      auto param = static_cast<elmo_workload_param>(i);
      const char* flag = elmo_workload_param_flag(param);
      SCOPED_TRACE(std::string(row.preset) + " --" + flag);
      bool takes = (row.takes >> i) & 1;
      char why[256] = "";
      EXPECT_EQ(elmo_workload_param_refused(row.preset, param, why, sizeof why), takes ? 0 : 1) << why;
      elmo_workload_params p = Params();
      std::string arg = Set(&p, param);
      if (i == ELMO_WORKLOAD_READ_PERCENT && std::string(row.preset).find(':') != std::string::npos) {
        p.read_percent = 70;  // the name's own percent: the same value twice is fine
        arg = "--readwritepercent=70 ";
      }
      elmo_workload w;
      elmo_error err;
      elmo_error_clear(&err);
      elmo_rc rc = elmo_workload_preset(row.preset, &p, &w, &err);
      if (takes) {
        ASSERT_EQ(rc, ELMO_OK) << err.message;
        EXPECT_NE(RunArgs(w).find(arg), std::string::npos) << RunArgs(w);
        if (i != ELMO_WORKLOAD_THREADS && i != ELMO_WORKLOAD_READ_PERCENT && w.preload_args[0] != nullptr) {
          EXPECT_NE(PreloadArgs(w).find(arg), std::string::npos) << PreloadArgs(w);
        }
      } else {
        EXPECT_EQ(rc, ELMO_EINVAL);
        EXPECT_NE(std::string(err.message).find(std::string("--") + flag + "="), std::string::npos) << err.message;
        EXPECT_NE(std::string(err.message).find(why), std::string::npos) << err.message;
      }
      elmo_workload_clear(&w);
    }
  }
}

// The facts the advisor gets and the report shows are the values the run uses.
TEST(Workload, TheFactsAreTheValuesRun) {
  elmo_workload_params p = Params(7);
  p.num_keys = 20000, p.key_size = 20, p.value_size = 256, p.threads = 2, p.read_percent = 80;
  elmo_workload w;
  elmo_error err;
  ASSERT_EQ(elmo_workload_preset("readrandomwriterandom", &p, &w, &err), ELMO_OK) << err.message;
  EXPECT_EQ(w.facts.num_keys, 20000u);
  EXPECT_EQ(w.facts.key_bytes, 20);
  EXPECT_EQ(w.facts.value_bytes, 256);
  EXPECT_EQ(w.facts.threads, 2);
  EXPECT_EQ(w.read_percent, 80);
  EXPECT_DOUBLE_EQ(w.facts.read_fraction, 0.8);
  EXPECT_DOUBLE_EQ(w.facts.write_fraction, 0.2);
  std::string run = RunArgs(w);
  for (const char* a : {"--benchmarks=readrandomwriterandom ", "--num=20000 ", "--key_size=20 ", "--value_size=256 ",
                        "--threads=2 ", "--readwritepercent=80 ", "--duration=7 "}) {
    EXPECT_NE(run.find(a), std::string::npos) << a << " not in " << run;
  }
  EXPECT_NE(PreloadArgs(w).find("--threads=1 "), std::string::npos) << "the base is loaded by one thread";
  EXPECT_NE(std::string(w.description).find("80% uniform random reads, 20% random writes"), std::string::npos);
  elmo_workload_clear(&w);
}

// Nothing set: each preset's own values, as before db_bench's flags reached elmotune.
TEST(Workload, NothingSetKeepsEachPresetsOwnValues) {
  struct {
    const char* preset;
    const char* args;  // in the run's arguments
    int read_percent;
  } cases[] = {
      {"readrandom", "--num=1000000 --key_size=16 --value_size=400 --threads=1 ", -1},
      {"readrandomwriterandom", "--num=1000000 --key_size=16 --value_size=400 --threads=1 ", 90},
      {"readrandomwriterandom:1", "--num=1000000 --key_size=16 --value_size=400 --threads=1 ", 1},
      {"readrandomwriterandom:99", "--readwritepercent=99 ", 99},
      {"mixgraph", "--num=1000000 --key_size=48 --value_size=400 --threads=1 ", -1},
      {"ycsb-a", "--num=1000000 --key_size=16 --value_size=1000 --threads=1 ", -1},
  };
  for (const auto& c : cases) {
    elmo_workload_params p = Params();
    elmo_workload w;
    elmo_error err;
    ASSERT_EQ(elmo_workload_preset(c.preset, &p, &w, &err), ELMO_OK) << c.preset << ": " << err.message;
    EXPECT_NE(RunArgs(w).find(c.args), std::string::npos) << c.preset << ": " << RunArgs(w);
    EXPECT_EQ(w.read_percent, c.read_percent) << c.preset;
    if (c.read_percent >= 0) {
      EXPECT_NE(RunArgs(w).find("--readwritepercent=" + std::to_string(c.read_percent) + " "), std::string::npos)
          << c.preset;
    }
    elmo_workload_clear(&w);
  }
}

TEST(Workload, ValuesOutOfRangeAndBadNamesAreRefused) {
  struct {
    const char* preset;
    void (*set)(elmo_workload_params*);
    elmo_rc rc;
    const char* message;
  } cases[] = {
      {"readrandom", [](elmo_workload_params* p) { p->threads = 257; }, ELMO_EINVAL,
       "--threads=257 is outside the allowed range [1, 256]"},
      {"readrandom", [](elmo_workload_params* p) { p->threads = -1; }, ELMO_EINVAL, "--threads=-1 is outside"},
      {"readrandom", [](elmo_workload_params* p) { p->key_size = 4; }, ELMO_EINVAL,
       "--key_size=4 is outside the allowed range [8, 65536]"},
      {"readrandom", [](elmo_workload_params* p) { p->value_size = -5; }, ELMO_EINVAL, "--value_size=-5 is outside"},
      {"readrandom", [](elmo_workload_params* p) { p->num_keys = 2000000000000ull; }, ELMO_EINVAL,
       "--num=2000000000000 is outside the allowed range [1, 1000000000000]"},
      {"readrandomwriterandom", [](elmo_workload_params* p) { p->read_percent = 100; }, ELMO_EINVAL,
       "--readwritepercent=100 is outside the allowed range [1, 99]"},
      {"readrandomwriterandom", [](elmo_workload_params* p) { p->read_percent = 0; }, ELMO_EINVAL,
       "--readwritepercent=0 is outside the allowed range [1, 99]"},
      {"readrandomwriterandom:70", [](elmo_workload_params* p) { p->read_percent = 80; }, ELMO_EINVAL,
       "--readwritepercent=80 and --elmo_workload=readrandomwriterandom:70 set the read percent differently"},
      {"readrandom", [](elmo_workload_params* p) { p->seconds = 0; }, ELMO_EINVAL, "must be positive"},
      {"readrandomwriterandom:101", [](elmo_workload_params*) {}, ELMO_EINVAL,
       "readrandomwriterandom:101: the read percent 101 is outside the allowed range [1, 99]"},
      {"readrandomwriterandom:0", [](elmo_workload_params*) {}, ELMO_EINVAL, "the read percent 0 is outside"},
      {"readrandomwriterandom:", [](elmo_workload_params*) {}, ELMO_ENOTFOUND, "unknown workload"},
      {"readrandomwriterandom:abc", [](elmo_workload_params* p) { p->read_percent = 50; }, ELMO_ENOTFOUND,
       "unknown workload"},
      {"readrandomwriterandom:-5", [](elmo_workload_params*) {}, ELMO_ENOTFOUND, "unknown workload"},
      {"readrandomx", [](elmo_workload_params*) {}, ELMO_ENOTFOUND, "readrandomx: unknown workload (presets:"},
      {"spec.json", [](elmo_workload_params*) {}, ELMO_ENOTFOUND, "spec.json: unknown workload"},
  };
  for (const auto& c : cases) {
    elmo_workload_params p = Params();
    c.set(&p);
    elmo_workload w;
    elmo_error err;
    elmo_error_clear(&err);
    EXPECT_EQ(elmo_workload_preset(c.preset, &p, &w, &err), c.rc) << c.preset << ": " << err.message;
    EXPECT_NE(std::string(err.message).find(c.message), std::string::npos) << c.preset << ": " << err.message;
    EXPECT_EQ(w.run_args[0], nullptr) << c.preset;
  }
}

// The ":PCT" of readrandomwriterandom, in db_bench's own range for --readwritepercent.
TEST(Workload, ThePercentOfAPresetName) {
  struct {
    const char* name;
    int pct;
    elmo_rc check;  // elmo_workload_check_name
  } cases[] = {{"readrandomwriterandom:80", 80, ELMO_OK},      {"readrandomwriterandom:1", 1, ELMO_OK},
               {"readrandomwriterandom:99", 99, ELMO_OK},      {"readrandomwriterandom:0", 0, ELMO_EINVAL},
               {"readrandomwriterandom:100", 100, ELMO_EINVAL}, {"readrandomwriterandom:101", 101, ELMO_EINVAL},
               {"readrandomwriterandom", -1, ELMO_OK},         {"readrandomwriterandom:", -1, ELMO_ENOTFOUND},
               {"readrandomwriterandom:8x", -1, ELMO_ENOTFOUND}, {"readrandomwriterandom:0080", -1, ELMO_ENOTFOUND},
               {"fillrandom:80", -1, ELMO_ENOTFOUND},          {"ycsb-a", -1, ELMO_OK},
               {"/no/such/spec.json", -1, ELMO_OK},            {nullptr, -1, ELMO_EINVAL}};
  for (const auto& c : cases) {
    EXPECT_EQ(elmo_workload_name_read_percent(c.name), c.pct) << (c.name ? c.name : "NULL");
    elmo_error err;
    EXPECT_EQ(elmo_workload_check_name(c.name, &err), c.check) << (c.name ? c.name : "NULL");
  }
}

// A spec (and the spec modeled from a trace) sets every value itself: each is refused, naming
// the flag; the run's length is the one value every workload takes.
TEST(Workload, ASpecOrATraceSetsEveryValueItself) {
  for (int i = 0; i < ELMO_WORKLOAD_PARAM_COUNT; i++) {
    auto param = static_cast<elmo_workload_param>(i);
    char why[320];
    ASSERT_EQ(elmo_workload_param_refused("/no/such/spec.json", param, why, sizeof why), 1);
    EXPECT_NE(std::string(why).find("the workload spec /no/such/spec.json sets its own"), std::string::npos) << why;
    ASSERT_EQ(elmo_workload_param_refused(nullptr, param, why, sizeof why), 1);
    EXPECT_NE(std::string(why).find("the workload modeled from --elmo_trace sets its own"), std::string::npos) << why;
    if (param == ELMO_WORKLOAD_THREADS) EXPECT_NE(std::string(why).find("--elmo_trace_threads"), std::string::npos);
    elmo_workload_params p = Params();
    Set(&p, param);
    elmo_workload w;
    elmo_error err;
    EXPECT_EQ(elmo_workload_open("/no/such/spec.json", &p, &w, &err), ELMO_EINVAL) << err.message;
    EXPECT_NE(std::string(err.message).find(std::string("--") + elmo_workload_param_flag(param) + "="),
              std::string::npos)
        << err.message;
  }
  EXPECT_EQ(elmo_workload_param_refused("readrandom", ELMO_WORKLOAD_PARAM_COUNT, nullptr, 0), 1);
  EXPECT_EQ(elmo_workload_param_refused("no-such-preset", ELMO_WORKLOAD_READ_PERCENT, nullptr, 0), 0)
      << "an unknown name is refused when it is opened, not here";
  EXPECT_STREQ(elmo_workload_param_flag(ELMO_WORKLOAD_PARAM_COUNT), "?");
}
