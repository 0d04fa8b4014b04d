// tune_config_test.cc — the offline tuner's settings table (tune_config.c): defaults, a zeroed
// struct's defaults, explicit zeros, every kind of rejection, and that each row's range text and
// its numeric bounds agree at the boundaries.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include "elmo/tuner.h"
#include "elmo/value.h"

namespace {

bool Has(const elmo_error& err, const std::string& s) { return std::string(err.message).find(s) != std::string::npos; }

// The field a numeric row sets, read back as a double (after setting it through the table).
double Read(const elmo_tune_config& c, const std::string& key) {
  struct {
    const char* key;
    double value;
  } fields[] = {
      {"elmo_num", static_cast<double>(c.num_keys)},
      {"elmo_value_size", static_cast<double>(c.value_size)},
      {"elmo_key_size", static_cast<double>(c.key_size)},
      {"elmo_threads", static_cast<double>(c.threads)},
      {"elmo_read_percent", static_cast<double>(c.read_percent)},
      {"elmo_trial_sec", c.trial_seconds},
      {"elmo_warmup_sec", c.warmup_seconds},
      {"elmo_cpus", static_cast<double>(c.cpus)},
      {"elmo_memory", static_cast<double>(c.memory_bytes)},
      {"elmo_iterations", static_cast<double>(c.iterations)},
      {"elmo_budget_sec", c.budget_seconds},
      {"elmo_p99_weight", c.p99_weight},
      {"elmo_finetune", static_cast<double>(c.finetune_rounds)},
      {"elmo_confirm", static_cast<double>(c.confirm_runs)},
      {"elmo_confirm_max", static_cast<double>(c.confirm_max_runs)},
      {"elmo_patience", static_cast<double>(c.patience)},
      {"elmo_min_gain", c.min_gain},
      {"elmo_flag_ratio", c.flag_ratio},
      {"elmo_recheck_band", c.recheck_band},
      {"elmo_recheck_pairs", static_cast<double>(c.recheck_pairs)},
      {"elmo_guard_share", c.guard_share},
      {"elmo_guard_tolerance", c.guard_tolerance},
      {"elmo_guard_p99_tolerance", c.guard_p99_tolerance},
      {"elmo_replay_seek_nexts", static_cast<double>(c.replay_seek_nexts)},
  };
  for (const auto& f : fields) {
    if (key == f.key) return f.value;
  }
  ADD_FAILURE() << key << ": no field known to the test";
  return NAN;
}

std::string Text(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace

TEST(TuneConfig, DefaultsAreTheDocumentedOnesAndValid) {
  elmo_tune_config c;
  elmo_tune_config_defaults(&c);
  elmo_error err;
  EXPECT_EQ(elmo_tune_config_validate(&c, &err), ELMO_OK) << err.message;
  EXPECT_EQ(c.defaults_filled, 1);
  EXPECT_EQ(c.trial_seconds, 30);
  EXPECT_EQ(c.warmup_seconds, 5);
  EXPECT_EQ(c.iterations, 8);
  EXPECT_EQ(c.budget_seconds, 0);
  EXPECT_EQ(c.p99_weight, 0.5);
  EXPECT_EQ(c.min_gain, 0.03);
  EXPECT_EQ(c.flag_ratio, 0.5);
  EXPECT_EQ(c.finetune_rounds, 1);
  EXPECT_EQ(c.confirm_runs, 3);
  EXPECT_EQ(c.confirm_max_runs, 0);
  EXPECT_EQ(c.patience, 3);
  EXPECT_EQ(c.recheck_band, 0.1);
  EXPECT_EQ(c.recheck_pairs, 2);
  EXPECT_EQ(c.guard_share, ELMO_TUNE_GUARD_SHARE);
  EXPECT_EQ(c.guard_tolerance, ELMO_TUNE_GUARD_TOLERANCE);
  EXPECT_EQ(c.guard_p99_tolerance, ELMO_TUNE_GUARD_P99_TOLERANCE);
  EXPECT_EQ(c.strategy, ELMO_STRATEGY_FULL_HISTORY);
  EXPECT_EQ(c.objective, ELMO_OBJECTIVE_THROUGHPUT);
  EXPECT_EQ(c.objective_op, nullptr);
  EXPECT_EQ(c.rewrite, 0);
  EXPECT_EQ(c.replay_seek_nexts, -1);
  EXPECT_EQ(c.cpus, 0);
  EXPECT_EQ(c.memory_bytes, 0u);
  EXPECT_STREQ(c.llm_spec, "builtin");
  EXPECT_EQ(c.llm_url, nullptr);
  EXPECT_EQ(c.workload, nullptr);
  EXPECT_EQ(c.engine, nullptr);
  // The workload's values are not set: the workload's own.
  EXPECT_EQ(c.num_keys, 0u);
  EXPECT_EQ(c.key_size, 0);
  EXPECT_EQ(c.value_size, 0);
  EXPECT_EQ(c.threads, 0);
  EXPECT_EQ(c.read_percent, -1);
  // Every row parses its own default, has help, and is found by its key (and by its alias).
  ASSERT_GT(elmo_tune_config_key_count(), 25u);
  for (size_t i = 0; i < elmo_tune_config_key_count(); i++) {
    const elmo_tune_setting_info* k = elmo_tune_config_key_at(i);
    EXPECT_EQ(elmo_tune_config_set(&c, k->key, k->default_value, &err), ELMO_OK) << k->key << ": " << err.message;
    EXPECT_GT(std::string(k->help).size(), 10u) << k->key;
    EXPECT_EQ(std::string(k->key).rfind("elmo_", 0), 0u) << k->key;
    EXPECT_EQ(elmo_tune_config_find(k->key), k);
    if (k->alias != nullptr) EXPECT_EQ(elmo_tune_config_find(k->alias), k) << k->alias;
  }
  EXPECT_EQ(elmo_tune_config_key_at(elmo_tune_config_key_count()), nullptr);
  EXPECT_EQ(elmo_tune_config_find("elmo_nonsense"), nullptr);
  elmo_tune_config_defaults(nullptr);  // no-op
}

// A C caller that zeroes the struct keeps the documented "0: X" meaning, with X from the table.
TEST(TuneConfig, AZeroedStructTakesTheTablesDefaults) {
  elmo_tune_config d, z = {};
  elmo_tune_config_defaults(&d);
  z.cpus = 2;
  z.recheck_band = -1;
  elmo_tune_config_fill(&z);
  EXPECT_EQ(z.defaults_filled, 0);
  EXPECT_EQ(z.trial_seconds, d.trial_seconds);
  EXPECT_EQ(z.warmup_seconds, d.warmup_seconds);
  EXPECT_EQ(z.iterations, d.iterations);
  EXPECT_EQ(z.p99_weight, d.p99_weight);
  EXPECT_EQ(z.min_gain, d.min_gain);
  EXPECT_EQ(z.flag_ratio, d.flag_ratio);
  EXPECT_EQ(z.finetune_rounds, d.finetune_rounds);
  EXPECT_EQ(z.confirm_runs, d.confirm_runs);
  EXPECT_EQ(z.patience, d.patience);
  EXPECT_EQ(z.recheck_pairs, d.recheck_pairs);
  EXPECT_EQ(z.guard_share, d.guard_share);
  EXPECT_EQ(z.guard_tolerance, d.guard_tolerance);
  EXPECT_EQ(z.guard_p99_tolerance, d.guard_p99_tolerance);
  EXPECT_EQ(z.strategy, d.strategy);
  EXPECT_STREQ(z.llm_spec, "builtin");
  EXPECT_EQ(z.cpus, 2);               // set: kept
  EXPECT_EQ(z.recheck_band, -1);      // set: kept
  EXPECT_EQ(z.replay_seek_nexts, 0);  // 0 has no "default" meaning here
  EXPECT_EQ(z.confirm_max_runs, 0);   // 0 means four times confirm_runs, not a default
  EXPECT_EQ(z.read_percent, -1);      // 0 in a zeroed struct: not set, as the other workload values
  EXPECT_EQ(z.num_keys, 0u);
  EXPECT_EQ(z.threads, 0);
  EXPECT_EQ(elmo_tune_config_validate(&z, nullptr), ELMO_OK);
  elmo_tune_config_fill(nullptr);  // no-op
}

// With the table's defaults filled, 0 is a value: --elmo_p99_weight=0 is throughput only.
TEST(TuneConfig, AnExplicitZeroStaysZero) {
  const char* zeros[] = {"elmo_p99_weight", "elmo_min_gain", "elmo_warmup_sec", "elmo_flag_ratio",
                         "elmo_finetune", "elmo_recheck_band", "elmo_guard_share", "elmo_budget_sec"};
  for (const char* key : zeros) {
    elmo_tune_config c;
    elmo_tune_config_defaults(&c);
    elmo_error err;
    ASSERT_EQ(elmo_tune_config_set(&c, key, "0", &err), ELMO_OK) << key << ": " << err.message;
    elmo_tune_config_fill(&c);  // what elmo_tune_run does first: a no-op here
    EXPECT_EQ(Read(c, key), 0) << key;
    EXPECT_EQ(elmo_tune_config_validate(&c, &err), ELMO_OK) << key << ": " << err.message;
  }
}

TEST(TuneConfig, BadValuesAreRejectedNamingTheKeyValueAndRange) {
  struct Case {
    const char* key;
    const char* text;
    elmo_rc rc;
    const char* in_message;
  } cases[] = {
      {"elmo_p99_weight", "1.5", ELMO_ERANGE, "elmo_p99_weight=1.5 is outside the allowed range [0, 1]"},
      {"elmo_p99_weight", "-0.1", ELMO_ERANGE, "elmo_p99_weight=-0.1 is outside the allowed range [0, 1]"},
      {"elmo_p99_weight", "150%", ELMO_ERANGE, "elmo_p99_weight=150% is outside the allowed range [0, 1]"},
      {"elmo_p99_weight", "heavy", ELMO_EPARSE, "elmo_p99_weight=heavy is not a number (allowed: [0, 1])"},
      {"elmo_p99_weight", "", ELMO_EPARSE, "elmo_p99_weight="},
      {"elmo_trial_sec", "0", ELMO_ERANGE, "elmo_trial_sec=0 is outside the allowed range (0, 86400]"},
      {"elmo_trial_sec", "30s", ELMO_EPARSE, "elmo_trial_sec=30s is not a number"},
      {"elmo_trial_sec", "1e9", ELMO_ERANGE, "elmo_trial_sec=1e9"},
      {"elmo_warmup_sec", "-1", ELMO_ERANGE, "elmo_warmup_sec=-1 is outside the allowed range [0, 3600]"},
      {"elmo_iterations", "0", ELMO_ERANGE, "elmo_iterations=0 is outside the allowed range [1, 1000]"},
      {"elmo_iterations", "2.5", ELMO_ERANGE, "elmo_iterations=2.5"},
      {"elmo_iterations", "eight", ELMO_EPARSE, "elmo_iterations=eight is not a whole number"},
      {"elmo_iterations", "8 rounds", ELMO_EPARSE, "elmo_iterations=8 rounds"},
      {"elmo_recheck_pairs", "9", ELMO_ERANGE, "elmo_recheck_pairs=9 is outside the allowed range [1, 8]"},
      {"elmo_confirm", "33", ELMO_ERANGE, "elmo_confirm=33 is outside the allowed range [1, 32]"},
      {"elmo_finetune", "-2", ELMO_ERANGE, "[-1, 100]"},
      {"elmo_guard_tolerance", "0", ELMO_ERANGE, "elmo_guard_tolerance=0 is outside the allowed range (0, 1)"},
      {"elmo_guard_tolerance", "1", ELMO_ERANGE, "(0, 1)"},
      {"elmo_guard_share", "1.01", ELMO_ERANGE, "[-1, 1]"},
      {"elmo_replay_seek_nexts", "-2", ELMO_ERANGE, "[-1, 1000000]"},
      {"elmo_memory", "lots", ELMO_EPARSE, "elmo_memory=lots is not a size"},
      {"elmo_memory", "-1", ELMO_ERANGE, "elmo_memory=-1"},
      {"elmo_memory", "2PiB", ELMO_ERANGE, "elmo_memory=2PiB is outside the allowed range [0, 1PiB]"},
      {"elmo_value_size", "128MiB", ELMO_ERANGE, "[1, 64MiB]"},
      // The workload's values, under db_bench's own names too: a 0 is not "the preset's".
      {"elmo_num", "0", ELMO_ERANGE, "elmo_num=0 is outside the allowed range [1, 1e12]"},
      {"num", "0", ELMO_ERANGE, "num=0 is outside the allowed range [1, 1e12]"},
      {"value_size", "0", ELMO_ERANGE, "value_size=0 is outside the allowed range [1, 64MiB]"},
      {"key_size", "4", ELMO_ERANGE, "key_size=4 is outside the allowed range [8, 65536]"},
      {"threads", "0", ELMO_ERANGE, "threads=0 is outside the allowed range [1, 256]"},
      {"threads", "-2", ELMO_ERANGE, "threads=-2 is outside the allowed range [1, 256]"},
      // db_bench's own limits for --readwritepercent: 0 and 100 are refused by db_bench too.
      {"readwritepercent", "150", ELMO_ERANGE, "readwritepercent=150 is outside the allowed range [1, 99]"},
      {"readwritepercent", "100", ELMO_ERANGE, "readwritepercent=100 is outside the allowed range [1, 99]"},
      {"readwritepercent", "0", ELMO_ERANGE, "readwritepercent=0 is outside the allowed range [1, 99]"},
      {"readwritepercent", "-1", ELMO_ERANGE, "readwritepercent=-1 is outside the allowed range [1, 99]"},
      {"duration", "0", ELMO_ERANGE, "duration=0 is outside the allowed range (0, 86400]"},
      {"duration", "-3", ELMO_ERANGE, "duration=-3 is outside the allowed range (0, 86400]"},
      {"elmo_direct_io", "maybe", ELMO_EPARSE, "elmo_direct_io=maybe is not a boolean"},
      {"elmo_objective", "seek-p50", ELMO_EPARSE, "elmo_objective=seek-p50: expected throughput, p99, mixed"},
      {"elmo_objective", "scan", ELMO_EPARSE, "OP one of get, put, seek, delete, merge, multiget"},
      {"elmo_strategy", "random", ELMO_EPARSE, "elmo_strategy=random: expected full-history, chunked"},
      {"elmo_rewrite", "sometimes", ELMO_EPARSE, "elmo_rewrite=sometimes: expected auto, always, never"},
      {"elmo_p99_wieght", "0.5", ELMO_ENOTFOUND, "did you mean elmo_p99_weight"},
      {"elmo_frobnicate", "1", ELMO_ENOTFOUND, "elmo_frobnicate: unknown tuner setting"},
  };
  for (const Case& k : cases) {
    elmo_tune_config c, before;
    elmo_tune_config_defaults(&c);
    before = c;
    elmo_error err;
    elmo_error_clear(&err);
    EXPECT_EQ(elmo_tune_config_set(&c, k.key, k.text, &err), k.rc) << k.key << "=" << k.text << ": " << err.message;
    EXPECT_TRUE(Has(err, k.in_message)) << k.key << "=" << k.text << ": " << err.message;
    EXPECT_EQ(std::memcmp(&c, &before, sizeof c), 0) << k.key << "=" << k.text << ": the config changed";
  }
  elmo_tune_config c;
  elmo_error err;
  EXPECT_EQ(elmo_tune_config_set(nullptr, "elmo_p99_weight", "0", &err), ELMO_EINVAL);
  EXPECT_EQ(elmo_tune_config_set(&c, nullptr, "0", &err), ELMO_EINVAL);
  EXPECT_EQ(elmo_tune_config_set(&c, "elmo_p99_weight", nullptr, &err), ELMO_EINVAL);
}

TEST(TuneConfig, ValuesAreReadWithUnitsPercentsAndNames) {
  elmo_tune_config c;
  elmo_tune_config_defaults(&c);
  struct {
    const char *key, *text;
  } sets[] = {{"elmo_p99_weight", "25%"}, {"elmo_memory", "512MiB"},  {"elmo_value_size", "1KiB"},
              {"elmo_trial_sec", " 2.5 "}, {"elmo_num", "1e6"},       {"elmo_direct_io", "yes"},
              {"elmo_strategy", "chunked"}, {"elmo_rewrite", "never"}, {"elmo_llm", "replay:/tmp/a"}};
  for (const auto& s : sets) {
    elmo_error err;
    EXPECT_EQ(elmo_tune_config_set(&c, s.key, s.text, &err), ELMO_OK) << s.key << "=" << s.text << ": " << err.message;
  }
  EXPECT_EQ(c.p99_weight, 0.25);
  EXPECT_EQ(c.memory_bytes, 512ull << 20);
  EXPECT_EQ(c.value_size, 1024);
  EXPECT_EQ(c.trial_seconds, 2.5);
  EXPECT_EQ(c.num_keys, 1000000u);
  EXPECT_EQ(c.direct_io, 1);
  EXPECT_EQ(c.strategy, ELMO_STRATEGY_CHUNKED);
  EXPECT_EQ(c.rewrite, -1);
  EXPECT_STREQ(c.llm_spec, "replay:/tmp/a");
  // db_bench's own names set the same fields; "" sets a workload value back to not set.
  struct {
    const char *key, *text;
  } aliases[] = {{"num", "300000"}, {"key_size", "24"}, {"threads", "4"}, {"readwritepercent", "1"},
                 {"duration", "2"}, {"value_size", "100"}};
  for (const auto& s : aliases) {
    elmo_error err;
    EXPECT_EQ(elmo_tune_config_set(&c, s.key, s.text, &err), ELMO_OK) << s.key << "=" << s.text << ": " << err.message;
  }
  EXPECT_EQ(c.num_keys, 300000u);
  EXPECT_EQ(c.key_size, 24);
  EXPECT_EQ(c.threads, 4);
  EXPECT_EQ(c.read_percent, 1);
  EXPECT_EQ(c.trial_seconds, 2);
  EXPECT_EQ(c.value_size, 100);
  EXPECT_EQ(elmo_tune_config_validate(&c, nullptr), ELMO_OK);
  ASSERT_EQ(elmo_tune_config_set(&c, "readwritepercent", "", nullptr), ELMO_OK);
  ASSERT_EQ(elmo_tune_config_set(&c, "elmo_num", "", nullptr), ELMO_OK);
  EXPECT_EQ(c.read_percent, -1);
  EXPECT_EQ(c.num_keys, 0u);
  EXPECT_EQ(elmo_tune_config_validate(&c, nullptr), ELMO_OK);
  struct {
    const char* text;
    elmo_objective objective;
    const char* op;
  } objectives[] = {{"p99", ELMO_OBJECTIVE_P99, nullptr},
                    {"get-p99", ELMO_OBJECTIVE_P99, "get"},
                    {"seek", ELMO_OBJECTIVE_THROUGHPUT, "seek"},
                    {"multiget-mixed", ELMO_OBJECTIVE_MIXED, "multiget"},
                    {"throughput", ELMO_OBJECTIVE_THROUGHPUT, nullptr}};
  for (const auto& o : objectives) {
    ASSERT_EQ(elmo_tune_config_set(&c, "elmo_objective", o.text, nullptr), ELMO_OK) << o.text;
    EXPECT_EQ(c.objective, o.objective) << o.text;
    EXPECT_STREQ(c.objective_op, o.op) << o.text;
  }
  ASSERT_EQ(elmo_tune_config_set(&c, "elmo_llm_url", "", nullptr), ELMO_OK);
  EXPECT_EQ(c.llm_url, nullptr);  // empty: none
}

// Each numeric row's range text says what its bounds do: '[' takes the bound, '(' does not, and
// one step beyond is refused. The text and the numbers in the table cannot drift apart.
TEST(TuneConfig, RangeTextsAgreeWithTheBoundaries) {
  int rows = 0;
  for (size_t i = 0; i < elmo_tune_config_key_count(); i++) {
    const elmo_tune_setting_info* k = elmo_tune_config_key_at(i);
    std::string type = k->type, range = k->range;
    if (type != "int" && type != "double" && type != "bytes") continue;
    rows++;
    size_t comma = range.find(", ");
    ASSERT_TRUE((range[0] == '[' || range[0] == '(') && comma != std::string::npos) << k->key << ": " << range;
    char close = range.back();
    std::string lo = range.substr(1, comma - 1), hi = range.substr(comma + 2, range.size() - comma - 3);
    double min = 0, max = 0;
    if (type == "double") {
      ASSERT_EQ(elmo_value_parse_double(lo.c_str(), &min, nullptr), ELMO_OK) << k->key;
      ASSERT_EQ(elmo_value_parse_double(hi.c_str(), &max, nullptr), ELMO_OK) << k->key;
    } else {
      int64_t a = 0, b = 0;
      ASSERT_EQ(elmo_value_parse_int(lo.c_str(), &a, nullptr), ELMO_OK) << k->key;
      ASSERT_EQ(elmo_value_parse_int(hi.c_str(), &b, nullptr), ELMO_OK) << k->key;
      min = static_cast<double>(a), max = static_cast<double>(b);
    }
    double step = type == "double" ? std::fabs(max - min) * 1e-6 : 1;
    struct {
      double v;
      bool ok;
    } probes[] = {{min, range[0] == '['}, {max, close == ']'}, {min - step, false}, {max + step, false},
                  {min + step, true},     {max - step, true}};
    for (const auto& p : probes) {
      if (p.v < 0 && (k->key == std::string("elmo_memory") || k->key == std::string("elmo_num"))) continue;
      elmo_tune_config c;
      elmo_tune_config_defaults(&c);
      elmo_error err;
      std::string text = Text(p.v);
      elmo_rc rc = elmo_tune_config_set(&c, k->key, text.c_str(), &err);
      EXPECT_EQ(rc == ELMO_OK, p.ok) << k->key << "=" << text << " (range " << range << "): " << err.message;
      if (rc == ELMO_OK) {
        EXPECT_EQ(Read(c, k->key), p.v) << k->key << "=" << text;
        EXPECT_EQ(elmo_tune_config_validate(&c, &err), ELMO_OK) << k->key << "=" << text << ": " << err.message;
      } else {
        EXPECT_EQ(rc, ELMO_ERANGE) << k->key << "=" << text;
        EXPECT_TRUE(Has(err, range)) << k->key << "=" << text << ": " << err.message;
      }
    }
  }
  EXPECT_GE(rows, 20);
}

// elmo_tune_run validates what a C caller hands it: a zeroed struct with a bad value is refused
// with the key and the range, not quietly replaced.
TEST(TuneConfig, ValidateRefusesAZeroedStructsBadValues) {
  struct Case {
    void (*breaks)(elmo_tune_config*);
    elmo_rc rc;
    const char* in_message;
  } cases[] = {
      {[](elmo_tune_config* c) { c->p99_weight = 1.5; }, ELMO_ERANGE,
       "elmo_p99_weight=1.5 is outside the allowed range [0, 1]"},
      {[](elmo_tune_config* c) { c->trial_seconds = -1; }, ELMO_ERANGE, "elmo_trial_sec=-1"},
      {[](elmo_tune_config* c) { c->recheck_pairs = 20; }, ELMO_ERANGE, "elmo_recheck_pairs=20"},
      {[](elmo_tune_config* c) { c->guard_tolerance = 1; }, ELMO_ERANGE, "elmo_guard_tolerance=1"},
      {[](elmo_tune_config* c) { c->direct_io = 2; }, ELMO_ERANGE, "elmo_direct_io=2"},
      {[](elmo_tune_config* c) { c->strategy = static_cast<elmo_prompt_strategy>(77); }, ELMO_EINVAL,
       "elmo_strategy=77"},
      {[](elmo_tune_config* c) { c->rewrite = 2; }, ELMO_EINVAL, "elmo_rewrite=2 is not one of auto, always, never"},
      {[](elmo_tune_config* c) { c->threads = -1; }, ELMO_ERANGE, "elmo_threads=-1 is outside the allowed range [1, 256]"},
      {[](elmo_tune_config* c) { c->read_percent = 101; }, ELMO_ERANGE,
       "elmo_read_percent=101 is outside the allowed range [1, 99]"},
      {[](elmo_tune_config* c) { c->key_size = 7; }, ELMO_ERANGE, "elmo_key_size=7"},
  };
  for (const Case& k : cases) {
    elmo_tune_config c = {};
    k.breaks(&c);
    elmo_tune_config_fill(&c);
    elmo_error err;
    elmo_error_clear(&err);
    EXPECT_EQ(elmo_tune_config_validate(&c, &err), k.rc) << k.in_message << ": " << err.message;
    EXPECT_TRUE(Has(err, k.in_message)) << err.message;
  }
  EXPECT_EQ(elmo_tune_config_validate(nullptr, nullptr), ELMO_EINVAL);
}

// docs/TUNING.md's flag table has a row for every setting, and a numeric setting's row states
// the table's range: the documentation cannot fall behind the table.
TEST(TuneConfig, TheDocsFlagTableStatesEveryRange) {
  std::FILE* f = std::fopen(ELMO_TEST_FIXTURES "/../../docs/TUNING.md", "r");
  ASSERT_NE(f, nullptr);
  std::string doc;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) doc.append(buf, n);
  std::fclose(f);
  for (size_t i = 0; i < elmo_tune_config_key_count(); i++) {
    const elmo_tune_setting_info* k = elmo_tune_config_key_at(i);
    // A setting with db_bench's own flag as its alias has its row under that flag:
    // "| `--num`, `--elmo_num` |", or "| `--key_size` |" when it has no --elmo_ flag.
    std::string start = std::string("\n| `--") + (k->alias != nullptr ? k->alias : k->key) + "`";
    size_t at = doc.find(start + " |");
    if (at == std::string::npos) at = doc.find(start + ", `--" + k->key + "` |");
    if (at != std::string::npos) at++;  // the row, without its line break
    ASSERT_NE(at, std::string::npos) << k->key << ": no row in docs/TUNING.md";
    std::string row = doc.substr(at, doc.find('\n', at) - at);
    std::string type = k->type;
    if (type == "int" || type == "double" || type == "bytes") {
      EXPECT_NE(row.find(std::string("| ") + k->range + " |"), std::string::npos) << k->key << ": " << row;
    }
  }
}
