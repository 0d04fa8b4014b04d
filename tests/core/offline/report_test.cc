// report_test.cc — the run report: history.json, report.md and the SVG charts.
#include <cjson/cJSON.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "elmo/optfile.h"
#include "elmo/tuner.h"
#include "file_text.h"
#include "handles.h"
#include "svg_check.h"

namespace {

using elmo_test::Attr;
using elmo_test::Count;
using elmo_test::ExpectValidSvg;
using elmo_test::LegendLabels;
using elmo_test::Mark;
using elmo_test::Marks;
using elmo_test::Near;
using elmo_test::Num;
using elmo_test::PathPoints;
using elmo_test::Point;
using elmo_test::ReadFile;
using elmo_test::Tags;
using elmo_test::Take;

const double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---- elmo_report_write ------------------------------------------------------------------------

struct Opt {
  elmo_section s;
  const char* key;
  const char* value;
};

void SaveOptions(const std::string& path, const std::vector<Opt>& opts) {
  elmo_optfile* f = elmo_optfile_create();
  ASSERT_NE(f, nullptr);
  elmo_error err;
  for (const Opt& o : opts) {
    ASSERT_EQ(elmo_optfile_set(f, o.s, nullptr, o.key, o.value, &err), ELMO_OK) << err.message;
  }
  ASSERT_EQ(elmo_optfile_save(f, path.c_str(), &err), ELMO_OK) << err.message;
  elmo_optfile_destroy(f);
}

const std::vector<Opt> kBase = {{ELMO_SECTION_DB, "max_background_jobs", "2"},
                                {ELMO_SECTION_CF, "write_buffer_size", "67108864"}};
const std::vector<Opt> kBest = {{ELMO_SECTION_DB, "max_background_jobs", "4"},
                                {ELMO_SECTION_CF, "write_buffer_size", "134217728"}};

class ReportWrite : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/elmo-report-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    SaveOptions(Path("trial-000.ini"), kBase);
    SaveOptions(Path("trial-001.ini"), kBest);
    SaveOptions(Path("trial-002.ini"), {{ELMO_SECTION_TABLE, "block_size", "0"}});
    SaveOptions(Path("trial-003.ini"), {{ELMO_SECTION_DB, "max_background_jobs", "16"}});
    SaveOptions(Path("best.ini"), kBest);
    AddRecord(ELMO_RECORD_BASELINE, 0, ELMO_TRIAL_OK, 100000, 250.5, "trial-000.ini", "");
    AddRecord(ELMO_RECORD_TUNE, 1, ELMO_TRIAL_OK, 130000, 200.0, "trial-001.ini", "");
    AddRecord(ELMO_RECORD_TUNE, 2, ELMO_TRIAL_FAILED, 0, 0, "trial-002.ini",
              "exit 1: Invalid argument: block_size <0> | must be > 0");
    AddRecord(ELMO_RECORD_FINETUNE, 2, ELMO_TRIAL_ABORTED, 20000, 900, "trial-003.ini",
              "aborted by the flagger: 20000 ops/s < 50% of the best for 10 s");
    for (int i = 0; i < 2; i++) {  // as the tuner runs them: the baseline, then the best
      AddRecord(ELMO_RECORD_CONFIRM_BASE, i + 1, ELMO_TRIAL_OK, 101000 - 2000 * i, 251, "trial-000.ini",
                "");
      AddRecord(ELMO_RECORD_CONFIRM_BEST, i + 1, ELMO_TRIAL_OK, 128000 + 3000 * i, 201, "best.ini", "");
    }
    records_[0].became_best = 1;
    records_[1].is_best = 1;
    records_[1].became_best = 1;
    records_[1].changes =
        strdup("max_background_jobs: 2 -> 4\nwrite_buffer_size: 64 MiB -> 128 MiB");
    records_[1].reasoning =
        strdup("More background jobs <help> & bigger memtables\nabsorb bursts.");
    records_[1].rejected = strdup("max_open_files=abc: not a number\n");
    records_[2].changes = strdup("block_size: 4096 -> 0");
    records_[3].changes = strdup("max_background_jobs: 4 -> 16");
    interval_ = {50000, 20000, 15000};
    records_[3].result.metrics.interval_ops = interval_.data();
    records_[3].result.metrics.n_interval = interval_.size();
    records_[1].result.metrics.peak_memory_bytes = 123456789;
    records_[1].result.metrics.stall_percent = 1.5;

    cfg_.db_bench = "/usr/bin/db_bench";
    cfg_.workload = "readrandom";
    cfg_.trial_seconds = 20;
    cfg_.output_dir = dir_.c_str();
    cfg_.cpus = 2;
    cfg_.memory_bytes = 1ull << 30;
    cfg_.direct_io = 1;
    cfg_.locks = kLocks;
    cfg_.n_locks = 1;
    cfg_.confirm_runs = 2;

    sum_.best_index = 1;
    best_path_ = Path("best.ini");
    sum_.best_options_path = &best_path_[0];
    sum_.stop_reason = const_cast<char*>("iteration limit");
    sum_.confirm.best_mean = 129500, sum_.confirm.best_stdev = 2121.3;
    sum_.confirm.base_mean = 100000, sum_.confirm.base_stdev = 1414.2;
    sum_.confirm.gain = 0.295, sum_.confirm.gain_low = 0.25, sum_.confirm.gain_high = 0.34, sum_.confirm.significant = 1, sum_.shipped_best = 1;
    sum_.confirm.pairs = 2, sum_.confirm.batches = 5, sum_.confirm.alpha = 0.028, sum_.confirm.look = 1;
    sum_.confirm.looks = 3, sum_.confirm.df = 9, sum_.confirm.pooled = 1, sum_.confirm.t = 12.5, sum_.confirm.p = 1e-6;
    sum_.advisor = const_cast<char*>("builtin (rule-based expert, not an LLM)");
    sum_.limits_method = const_cast<char*>("cgroup v2 (cpu, memory)");
    sum_.wall_seconds = 321;
  }

  void TearDown() override {
    KeepRecords(0);
    if (getenv("ELMO_KEEP_REPORT") != nullptr) {  // to look at the output
      printf("report kept in %s\n", dir_.c_str());
      return;
    }
    std::string cmd = "rm -rf '" + dir_ + "'";
    EXPECT_EQ(system(cmd.c_str()), 0);
  }

  // Drops the records from n on (a run that ended early).
  void KeepRecords(size_t n) {
    for (size_t i = n; i < records_.size(); i++) {
      free(records_[i].changes);
      free(records_[i].reasoning);
      free(records_[i].rejected);
    }
    records_.resize(std::min(n, records_.size()));
    paths_.resize(records_.size());
  }

  void AddRecord(elmo_record_kind kind, int iteration, elmo_trial_status st, double ops, double p99,
                 const char* file, const char* reason) {
    elmo_tune_record r{};
    r.index = (int)records_.size();
    r.iteration = iteration;
    r.kind = kind;
    paths_.push_back(Path(file));
    r.result.status = st;
    snprintf(r.result.reason, sizeof r.result.reason, "%s", reason);
    snprintf(r.result.limits_method, sizeof r.result.limits_method, "cgroup v2 (cpu, memory)");
    r.result.metrics.ops_per_sec = ops;
    r.result.metrics.p99_us = p99;
    r.result.metrics.cache_hit_rate = -1;
    r.score = st == ELMO_TRIAL_OK ? ops : 0;
    records_.push_back(r);
  }

  // Points the records at their paths and the summary at the records, then writes the report.
  elmo_rc Write(elmo_error* err) {
    for (size_t i = 0; i < records_.size(); i++) records_[i].options_path = &paths_[i][0];
    sum_.records = records_.data();
    sum_.n_records = records_.size();
    return elmo_report_write(&cfg_, &sum_, err);
  }

  std::string Path(const char* name) const { return dir_ + "/" + name; }

  static constexpr const char* kLocks[1] = {"max_open_files"};
  std::string dir_, best_path_;
  std::vector<std::string> paths_;
  std::vector<elmo_tune_record> records_;
  std::vector<double> interval_;
  elmo_tune_config cfg_{};
  elmo_tune_summary sum_{};
};

constexpr const char* ReportWrite::kLocks[1];

const cJSON* Get(const cJSON* o, const char* path) {
  std::string p(path);
  size_t start = 0;
  while (o != nullptr && start <= p.size()) {
    size_t dot = p.find('.', start);
    std::string key = p.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    o = isdigit((unsigned char)key[0]) ? cJSON_GetArrayItem(o, std::stoi(key))
                                       : cJSON_GetObjectItemCaseSensitive(o, key.c_str());
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return o;
}

TEST_F(ReportWrite, HistoryJsonHoldsConfigRecordsAndSummary) {
  elmo_error err;
  ASSERT_EQ(Write(&err), ELMO_OK) << err.message;
  std::string text = ReadFile(Path("history.json"));
  std::unique_ptr<cJSON, void (*)(cJSON*)> root(cJSON_Parse(text.c_str()), cJSON_Delete);
  ASSERT_NE(root, nullptr) << text;
  EXPECT_EQ(cJSON_GetArraySize(Get(root.get(), "records")), 8);
  struct {
    const char* path;
    const char* str;  // nullptr: compare num
    double num;
  } cases[] = {
      {"config.workload", "readrandom", 0},
      {"config.objective", "throughput", 0},
      {"config.llm", "builtin", 0},
      {"config.strategy", "full-history", 0},
      {"config.locks.0", "max_open_files", 0},
      {"config.cpus", nullptr, 2},
      {"config.memory_bytes", nullptr, 1073741824.0},
      {"config.trial_seconds", nullptr, 20},
      {"config.warmup_seconds", nullptr, 5},
      {"config.iterations", nullptr, 8},
      {"config.confirm_runs", nullptr, 2},
      {"config.num_keys", nullptr, 1000000},
      {"config.key_size", nullptr, 16},
      {"config.value_size", nullptr, 400},
      {"config.threads", nullptr, 1},
      {"records.0.kind", "baseline", 0},
      {"records.0.options_file", "trial-000.ini", 0},
      {"records.1.status", "ok", 0},
      {"records.1.changes", "max_background_jobs: 2 -> 4\nwrite_buffer_size: 64 MiB -> 128 MiB", 0},
      {"records.1.rejected", "max_open_files=abc: not a number\n", 0},
      {"records.1.metrics.ops_per_sec", nullptr, 130000},
      {"records.1.metrics.p99_us", nullptr, 200},
      {"records.1.metrics.peak_memory_bytes", nullptr, 123456789},
      {"records.1.metrics.stall_percent", nullptr, 1.5},
      {"records.2.status", "failed", 0},
      {"records.2.reason", "exit 1: Invalid argument: block_size <0> | must be > 0", 0},
      {"records.3.kind", "finetune", 0},
      {"records.3.status", "aborted", 0},
      {"records.3.metrics.interval_ops.1", nullptr, 20000},
      {"records.3.metrics.cache_hit_rate", nullptr, -1},
      {"records.4.kind", "confirm-base", 0},
      {"records.7.kind", "confirm-best", 0},
      {"summary.best_index", nullptr, 1},
      {"summary.best_options", "best.ini", 0},
      {"summary.stop_reason", "iteration limit", 0},
      {"summary.confirm.gain", nullptr, 0.295},
      {"summary.confirm.gain_low", nullptr, 0.25},
      {"summary.confirm.runs_best", nullptr, 2},
      {"summary.confirm.base_mean", nullptr, 100000},
      {"summary.counts.ok", nullptr, 6},
      {"summary.counts.failed", nullptr, 1},
      {"summary.counts.aborted", nullptr, 1},
      {"summary.advisor", "builtin (rule-based expert, not an LLM)", 0},
      {"summary.limits_method", "cgroup v2 (cpu, memory)", 0},
      {"summary.wall_seconds", nullptr, 321},
  };
  for (const auto& c : cases) {
    const cJSON* v = Get(root.get(), c.path);
    ASSERT_NE(v, nullptr) << c.path;
    if (c.str != nullptr) {
      EXPECT_TRUE(cJSON_IsString(v) && std::string(v->valuestring) == c.str) << c.path;
    } else {
      EXPECT_TRUE(cJSON_IsNumber(v) && v->valuedouble == c.num)
          << c.path << " = " << v->valuedouble;
    }
  }
  EXPECT_EQ(Get(root.get(), "config.read_percent"), nullptr) << "readrandom has no read percent";
  EXPECT_TRUE(cJSON_IsTrue(Get(root.get(), "config.direct_io")));
  EXPECT_TRUE(cJSON_IsTrue(Get(root.get(), "records.1.is_best")));
  EXPECT_TRUE(cJSON_IsFalse(Get(root.get(), "records.0.is_best")));
  EXPECT_TRUE(cJSON_IsTrue(Get(root.get(), "records.0.became_best")));
  EXPECT_TRUE(cJSON_IsTrue(Get(root.get(), "records.1.became_best")));
  EXPECT_TRUE(cJSON_IsFalse(Get(root.get(), "records.2.became_best")));
  EXPECT_TRUE(cJSON_IsNull(Get(root.get(), "records.0.changes")));
  EXPECT_TRUE(cJSON_IsNull(Get(root.get(), "records.0.reason")));
  EXPECT_TRUE(cJSON_IsTrue(Get(root.get(), "summary.confirm.significant")));
  EXPECT_TRUE(cJSON_IsTrue(Get(root.get(), "summary.shipped_best")));
  EXPECT_EQ(cJSON_GetArraySize(Get(root.get(), "records.3.metrics.interval_ops")), 3);
  EXPECT_EQ(cJSON_GetArraySize(Get(root.get(), "records.0.metrics.interval_ops")), 0);
}

TEST_F(ReportWrite, MarkdownTellsTheWholeStory) {
  elmo_error err;
  ASSERT_EQ(Write(&err), ELMO_OK) << err.message;
  std::string md = ReadFile(Path("report.md"));
  const char* expected[] = {
      "# ELMo tuning report: readrandom",
      "builtin (rule-based expert, not an LLM)",
      "- **CPU limit:** 2 CPUs",
      "- **Memory limit:** 1 GiB",
      "- **Limits enforced by:** cgroup v2 (cpu, memory)",
      "direct I/O for reads and for flush/compaction writes",
      "- **Dataset:** 1,000,000 keys, 16-byte keys, 400-byte values\n- **Client threads:** 1\n"
      "- **Trial length:** 20 s measured after a 5 s warm-up\n",
      "20 s measured after a 5 s warm-up",
      "throughput (ops/s, higher is better)",
      "`max_open_files`",
      "| 0 | baseline | 0 | ok | 100,000 | 250.5 | - | - |",
      "| 1 | tune | 1 | ok | 130,000 | 200.0 | max_background_jobs: 2 -&gt; "
      "4<br>write_buffer_size: "
      "64 MiB -&gt; 128 MiB | **best**; 1 change(s) rejected by the calibrator |",
      "| 2 | tune | 2 | **failed** | - | - | block_size: 4096 -&gt; 0 | exit 1: Invalid argument: "
      "block_size &lt;0&gt; \\| must be &gt; 0 |",
      "| 3 | finetune | 2 | **aborted** | - | - | max_background_jobs: 4 -&gt; 16 | aborted by the "
      "flagger: 20000 ops/s &lt; 50% of the best for 10 s |",
      "| 5 | confirm-best | 1 | ok | 128,000 |",
      "Best vs baseline re-run alternately 2 times each: best 129,500 \xC2\xB1 2,121 ops/s, "
      "baseline 100,000 \xC2\xB1 1,414 ops/s.",
      "**Gain: +29.5% (paired estimate over 2 pair(s), per-second batches; 94.4% interval +25.0% .. +34.0%): "
      "a gain (look 1 of 3).**",
      "its standard error comes from the batches and the runs pooled",
      "Trial #1 (tune, `trial-001.ini`)",
      "Best trial: 2 change(s) vs the baseline:",
      "max_background_jobs: 2 -> 4",
      "write_buffer_size: 67108864 -> 134217728",
      "best.ini holds this configuration.",
      "![throughput](throughput.svg)",
      "![p99](p99.svg)",
      "> More background jobs &lt;help&gt; &amp; bigger memtables<br>absorb bursts.",
      "Rejected by the calibrator:<br>max_open_files=abc: not a number\n",
      "- **Workload:** `readrandom`: uniform random point lookups",
      "## Stop reason\n\niteration limit after 321 s.",
  };
  for (const char* e : expected)
    EXPECT_NE(md.find(e), std::string::npos) << "missing: " << e << "\n" << md;
  EXPECT_EQ(md.find("within noise"), std::string::npos);
  std::istringstream lines(md);
  size_t rows = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("| ", 0) != 0) continue;
    size_t bars = 0;
    for (size_t i = 0; i < line.size(); i++)
      bars += line[i] == '|' && (i == 0 || line[i - 1] != '\\');
    EXPECT_EQ(bars, 9u) << "a cell leaks a '|': " << line;
    rows++;
  }
  EXPECT_EQ(rows, 1u + 8u) << "the header and one row per record";
}

// The Conditions list every value of the workload the trials ran: the keys, their size, the
// value size, the client threads, the read percent (readrandomwriterandom's), the trial length
// and the warm-up; history.json's config the same.
TEST_F(ReportWrite, ConditionsListEveryWorkloadValueUsed) {
  cfg_.workload = "readrandomwriterandom";
  cfg_.num_keys = 20000;
  cfg_.key_size = 24;
  cfg_.threads = 3;
  cfg_.read_percent = 80;
  cfg_.trial_seconds = 2;
  cfg_.warmup_seconds = 1;
  elmo_error err;
  ASSERT_EQ(Write(&err), ELMO_OK) << err.message;
  std::string md = ReadFile(Path("report.md"));
  EXPECT_NE(md.find("- **Workload:** `readrandomwriterandom`: 80% uniform random reads, 20% random writes\n"
                    "- **Dataset:** 20,000 keys, 24-byte keys, 400-byte values\n"
                    "- **Client threads:** 3\n"
                    "- **Read percent:** 80% of the operations are reads, 20% writes\n"
                    "- **Trial length:** 2 s measured after a 1 s warm-up\n"),
            std::string::npos)
      << md;
  std::string text = ReadFile(Path("history.json"));
  std::unique_ptr<cJSON, void (*)(cJSON*)> root(cJSON_Parse(text.c_str()), cJSON_Delete);
  ASSERT_NE(root, nullptr) << text;
  struct {
    const char* path;
    double num;
  } cases[] = {{"config.num_keys", 20000}, {"config.key_size", 24},       {"config.value_size", 400},
               {"config.threads", 3},      {"config.read_percent", 80},   {"config.trial_seconds", 2},
               {"config.warmup_seconds", 1}};
  for (const auto& c : cases) {
    const cJSON* v = Get(root.get(), c.path);
    ASSERT_NE(v, nullptr) << c.path;
    EXPECT_TRUE(cJSON_IsNumber(v) && v->valuedouble == c.num) << c.path << " = " << v->valuedouble;
  }
}

TEST_F(ReportWrite, InsignificantGainSaysNoiseAndBaseline) {
  SaveOptions(Path("best.ini"), kBase);  // the tuner falls back to the baseline
  sum_.confirm.gain = 0.01, sum_.confirm.gain_low = -0.02, sum_.confirm.gain_high = 0.04, sum_.confirm.significant = 0, sum_.shipped_best = 0;
  sum_.confirm.p = 0.3;
  sum_.advisor = const_cast<char*>("openai:gpt-4o (https://api.openai.com/v1)");
  cfg_.llm_spec = "openai:gpt-4o";
  elmo_error err;
  ASSERT_EQ(Write(&err), ELMO_OK) << err.message;
  std::string md = ReadFile(Path("report.md"));
  EXPECT_NE(md.find("**Gain: +1.0% (paired estimate over 2 pair(s), per-second batches; 94.4% interval -2.0% .. "
                    "+4.0%): no gain shown (p 0.300, needed 0.0280 at look 1 of 3).**"),
            std::string::npos) << md;
  EXPECT_NE(md.find("**Verdict:** best.ini holds the **baseline** configuration"), std::string::npos) << md;
  EXPECT_NE(md.find("best.ini holds the **baseline** configuration"), std::string::npos) << md;
  EXPECT_EQ(md.find("not an LLM"), std::string::npos);
}

TEST_F(ReportWrite, ConfirmationSpeaksTheObjectivesUnit) {
  cfg_.objective = ELMO_OBJECTIVE_P99;
  sum_.confirm.best_mean = 4975.1, sum_.confirm.best_stdev = 12.34;
  sum_.confirm.base_mean = 3984.1, sum_.confirm.base_stdev = 9.5;
  elmo_error err;
  ASSERT_EQ(Write(&err), ELMO_OK) << err.message;
  std::string md = ReadFile(Path("report.md"));
  EXPECT_NE(md.find("- **Objective:** p99 latency (lower is better)"), std::string::npos) << md;
  EXPECT_NE(
      md.find("best 4,975 \xC2\xB1 12.3 (score: 10^6 / p99 \xC2\xB5s), baseline 3,984 \xC2\xB1 9.5 "
              "(score: 10^6 / p99 \xC2\xB5s)"),
      std::string::npos)
      << md;
}

TEST_F(ReportWrite, BuiltinAdvisorIsNamedEvenWhenTheDescriptionIsMissing) {
  sum_.advisor = nullptr;
  elmo_error err;
  ASSERT_EQ(Write(&err), ELMO_OK) << err.message;
  std::string md = ReadFile(Path("report.md"));
  EXPECT_NE(md.find("**Advisor:** builtin (the built-in rule-based expert, not an LLM)"),
            std::string::npos)
      << md;
}

TEST_F(ReportWrite, MissingOptionsFilesAreReportedNotFatal) {
  unlink(Path("trial-001.ini").c_str());
  KeepRecords(4);  // interrupted before the confirmation
  elmo_error err;
  ASSERT_EQ(Write(&err), ELMO_OK) << err.message;
  std::string md = ReadFile(Path("report.md"));
  EXPECT_NE(md.find("Could not read the best trial's options: "), std::string::npos) << md;
  EXPECT_NE(md.find("trial-001.ini"), std::string::npos);
  EXPECT_NE(md.find("No confirmation runs were made"), std::string::npos);
}

// Each chart tells the run's story: every trial a point of its kind (no line joining them), the
// failed and the aborted trial crossed on the axis, the best so far stepping up at the accepted
// bests, each confirmation pair joined, and the confirmation's verdict under the title.
TEST_F(ReportWrite, ChartsShowTrialsFailuresAndTheBest) {
  cfg_.workload = "ycsb-a";
  elmo_error err;
  ASSERT_EQ(Write(&err), ELMO_OK) << err.message;
  for (const char* name : {"throughput.svg", "p99.svg"}) {
    SCOPED_TRACE(name);
    std::string svg = ReadFile(Path(name));
    ExpectValidSvg(svg, name);
    EXPECT_NE(svg.find("ycsb-a"), std::string::npos);
    EXPECT_EQ(Count(svg, "class=\"series\""), 0u) << "no line through every trial";
    std::vector<Mark> marks = Marks(svg);
    std::vector<std::string> kinds;
    for (const Mark& m : marks) kinds.push_back(m.kind);
    EXPECT_EQ(kinds, (std::vector<std::string>{"baseline", "tune", "confirm-base", "confirm-best", "confirm-base",
                                               "confirm-best"}));
    ASSERT_EQ(marks.size(), 6u);
    EXPECT_EQ(Count(svg, "class=\"failed\""), 2u) << "the failed and the aborted trial";
    std::vector<std::string> steps = Tags(svg, "<path class=\"best-so-far\"");
    ASSERT_EQ(steps.size(), 1u);
    std::vector<Point> corners;
    for (const auto& p : PathPoints(Attr(steps[0], "d"))) {
      if (p.first != 'H') corners.push_back(p.second);
    }
    ASSERT_EQ(corners.size(), 2u) << "the baseline and trial 1, the accepted bests";
    EXPECT_TRUE(Near(corners[0], marks[0].at));
    EXPECT_TRUE(Near(corners[1], marks[1].at));
    std::vector<std::string> pairs = Tags(svg, "<line class=\"pair confirm\"");
    ASSERT_EQ(pairs.size(), 2u);
    for (size_t i = 0; i < 2; i++) {
      EXPECT_TRUE(Near({Num(Attr(pairs[i], "x1")), Num(Attr(pairs[i], "y1"))}, marks[2 + 2 * i].at)) << pairs[i];
      EXPECT_TRUE(Near({Num(Attr(pairs[i], "x2")), Num(Attr(pairs[i], "y2"))}, marks[3 + 2 * i].at)) << pairs[i];
    }
    EXPECT_EQ(Count(svg, "class=\"best\""), 1u);
    EXPECT_NE(svg.find(">confirmation (objective: throughput): +29.5% [+25.0%, +34.0%] over 2 pairs, a gain</text>"),
              std::string::npos);
  }
  std::string ops = ReadFile(Path("throughput.svg")), p99 = ReadFile(Path("p99.svg"));
  EXPECT_NE(ops.find(">best: 130k</text>"), std::string::npos);
  EXPECT_NE(p99.find(">best: 200</text>"), std::string::npos);
  std::vector<std::string> legend = {"baseline", "tune", "confirmation: best", "confirmation: baseline", "best so far",
                                     "failed / aborted"};
  EXPECT_EQ(LegendLabels(ops), legend);
  legend[4] = "best so far (objective)";  // the p99 of the trials best by throughput
  EXPECT_EQ(LegendLabels(p99), legend);
  cfg_.objective = ELMO_OBJECTIVE_P99;
  ASSERT_EQ(Write(&err), ELMO_OK) << err.message;
  EXPECT_EQ(LegendLabels(ReadFile(Path("p99.svg")))[4], "best so far");
  EXPECT_EQ(LegendLabels(ReadFile(Path("throughput.svg")))[4], "best so far (objective)");
}

TEST_F(ReportWrite, ChartsSayWhatTheConfirmationShowed) {
  struct Case {
    const char* name;
    std::function<void(elmo_tune_config*, elmo_tune_summary*)> set;
    std::vector<std::string> notes;
  } cases[] = {
      {"no gain",
       [](elmo_tune_config*, elmo_tune_summary* s) { s->confirm.significant = 0, s->confirm.gain_low = -0.02; },
       {"confirmation (objective: throughput): +29.5% [-2.0%, +34.0%] over 2 pairs, no gain shown"}},
      {"the guard", [](elmo_tune_config*, elmo_tune_summary* s) { s->confirm.guard = const_cast<char*>("get -20%"); },
       {"confirmation (objective: throughput): +29.5% [+25.0%, +34.0%] over 2 pairs, "
        "the per-operation guard fails it"}},
      {"nothing beat the baseline", [](elmo_tune_config*, elmo_tune_summary* s) { s->best_index = 0; },
       {"no confirmation: no candidate beat the baseline"}},
      {"no pair", [](elmo_tune_config*, elmo_tune_summary* s) { s->confirm.pairs = 0; },
       {"confirmation: not confirmed (no pair of runs completed)"}},
      {"one pair, p99 of gets",
       [](elmo_tune_config* c, elmo_tune_summary* s) {
         c->objective = ELMO_OBJECTIVE_P99, c->objective_op = "get", s->confirm.pairs = 1;
       },
       {"confirmation (objective: get p99): +29.5% [+25.0%, +34.0%] over 1 pair, a gain"}},
      {"replay and migration",
       [](elmo_tune_config*, elmo_tune_summary* s) {
         s->replay_state = ELMO_REPLAY_RAN, s->replay.pairs = 3, s->replay.gain = 0.051;
         s->replay.gain_low = 0.01, s->replay.gain_high = 0.09, s->replay.significant = 1;
         s->migration_measured = 1, s->migration.pairs = 2, s->migration.gain = -0.004;
         s->migration.gain_low = -0.05, s->migration.gain_high = 0.04;
       },
       {"confirmation (objective: throughput): +29.5% [+25.0%, +34.0%] over 2 pairs, a gain",
        "replay of the program's trace (objective: throughput): +5.1% [+1.0%, +9.0%] over 3 pairs, a gain",
        "after the migration (objective: throughput): -0.4% [-5.0%, +4.0%] over 2 pairs, no gain shown"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    elmo_tune_config cfg = cfg_;
    elmo_tune_summary sum = sum_;
    c.set(&cfg_, &sum_);
    elmo_error err;
    ASSERT_EQ(Write(&err), ELMO_OK) << err.message;
    cfg_ = cfg, sum_ = sum;
    for (const char* name : {"throughput.svg", "p99.svg"}) {
      std::string svg = ReadFile(Path(name));
      ExpectValidSvg(svg, name);
      std::vector<std::string> got;
      for (const std::string& tag : Tags(svg, "<text class=\"note\"")) {
        size_t at = svg.find(tag) + tag.size();
        got.push_back(svg.substr(at, svg.find("</text>", at) - at));
      }
      for (std::string& g : got) {
        for (size_t p; (p = g.find("&apos;")) != std::string::npos;) g.replace(p, 6, "'");
      }
      EXPECT_EQ(got, c.notes) << name;
    }
  }
}

// A close call's rechecks say whose run they are, in history.json and on the chart.
TEST_F(ReportWrite, RechecksSayWhetherTheyMeasuredTheBestOrTheCandidate) {
  KeepRecords(2);
  AddRecord(ELMO_RECORD_RECHECK, 1, ELMO_TRIAL_OK, 101000, 250, "trial-000.ini", "");
  AddRecord(ELMO_RECORD_RECHECK, 1, ELMO_TRIAL_OK, 129000, 201, "trial-001.ini", "");
  records_[2].recheck_of_best = 1;
  elmo_error err;
  ASSERT_EQ(Write(&err), ELMO_OK) << err.message;
  std::unique_ptr<cJSON, decltype(&cJSON_Delete)> root(cJSON_Parse(ReadFile(Path("history.json")).c_str()),
                                                       cJSON_Delete);
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(Get(root.get(), "records.1.recheck_of"), nullptr);
  ASSERT_TRUE(cJSON_IsString(Get(root.get(), "records.2.recheck_of")));
  EXPECT_STREQ(Get(root.get(), "records.2.recheck_of")->valuestring, "best");
  EXPECT_STREQ(Get(root.get(), "records.3.recheck_of")->valuestring, "candidate");
  std::vector<Mark> marks = Marks(ReadFile(Path("throughput.svg")));
  ASSERT_EQ(marks.size(), 4u);
  EXPECT_EQ(marks[2].cls, "recheck of-best");
  EXPECT_EQ(marks[3].cls, "recheck");
}

TEST_F(ReportWrite, AnEmptyRunStillReports) {
  KeepRecords(0);
  sum_.best_index = -1;
  sum_.stop_reason = const_cast<char*>("interrupted");
  elmo_error err;
  ASSERT_EQ(Write(&err), ELMO_OK) << err.message;
  std::string md = ReadFile(Path("report.md"));
  EXPECT_NE(md.find("**Trials:** 0 (0 ok)."), std::string::npos) << md;
  EXPECT_NE(md.find("No best configuration was recorded."), std::string::npos) << md;
  EXPECT_NE(md.find("No confirmation runs were made"), std::string::npos) << md;
  std::string svg = ReadFile(Path("throughput.svg"));
  ExpectValidSvg(svg, "empty run");
  EXPECT_NE(svg.find(">no trials</text>"), std::string::npos);
}

TEST_F(ReportWrite, BadArgumentsAndUnwritableDirectories) {
  elmo_error err;
  EXPECT_EQ(elmo_report_write(nullptr, &sum_, &err), ELMO_EINVAL);
  EXPECT_EQ(elmo_report_write(&cfg_, nullptr, &err), ELMO_EINVAL);
  elmo_tune_config no_dir = cfg_;
  no_dir.output_dir = "";
  EXPECT_EQ(elmo_report_write(&no_dir, &sum_, &err), ELMO_EINVAL);
  elmo_tune_summary no_records = sum_;
  no_records.n_records = 3;
  no_records.records = nullptr;
  EXPECT_EQ(elmo_report_write(&cfg_, &no_records, &err), ELMO_EINVAL);

  std::string file = Path("trial-000.ini/out");  // a path through a regular file
  cfg_.output_dir = file.c_str();
  ASSERT_EQ(Write(&err), ELMO_EIO);
  EXPECT_NE(std::string(err.message).find(file), std::string::npos) << err.message;
}

TEST_F(ReportWrite, CreatesTheDirectoryAndLeavesNoTempFiles) {
  std::string sub = Path("out");
  cfg_.output_dir = sub.c_str();
  elmo_error err;
  ASSERT_EQ(Write(&err), ELMO_OK) << err.message;
  ASSERT_EQ(Write(&err), ELMO_OK) << err.message;  // overwrites
  std::string cmd = "ls '" + sub + "' > '" + Path("ls.txt") + "'";
  ASSERT_EQ(system(cmd.c_str()), 0);
  EXPECT_EQ(ReadFile(Path("ls.txt")), "history.json\np99.svg\nreport.md\nthroughput.svg\n");
}

}  // namespace

// The latency per operation type of the baseline and the best reaches history.json and a table in
// report.md, with each type's share of the operations and of the time.
TEST_F(ReportWrite, LatencyByOperationTypeIsReported) {
  auto set = [](elmo_trial_metrics* m, uint64_t reads, double read_avg, uint64_t seeks, double seek_avg) {
    m->n_op_types = 2;
    snprintf(m->op_types[0].type, sizeof m->op_types[0].type, "read");
    snprintf(m->op_types[1].type, sizeof m->op_types[1].type, "seek");
    m->op_types[0].count = reads, m->op_types[0].avg_us = read_avg, m->op_types[0].p99_us = 20;
    m->op_types[1].count = seeks, m->op_types[1].avg_us = seek_avg, m->op_types[1].p99_us = 900;
    double total = reads * read_avg + seeks * seek_avg;
    m->op_types[0].time_share = reads * read_avg / total;
    m->op_types[1].time_share = seeks * seek_avg / total;
  };
  set(&records_[0].result.metrics, 990, 5, 10, 495);  // half the time in 1% of the operations
  set(&records_[1].result.metrics, 990, 4, 10, 100);
  elmo_error err;
  ASSERT_EQ(Write(&err), ELMO_OK) << err.message;
  std::string md = ReadFile(Path("report.md"));
  for (const char* e : {"## Latency by operation type",
                        "| baseline (#0) | read | 990 | 99.0% | 5.0 | 20.0 | 0.0 | 50.0% |",
                        "| baseline (#0) | seek | 10 | 1.0% | 495.0 | 900.0 | 0.0 | 50.0% |",
                        "| best (#1) | seek | 10 | 1.0% | 100.0 | 900.0 | 0.0 | 20.2% |"}) {
    EXPECT_NE(md.find(e), std::string::npos) << "missing: " << e << "\n" << md;
  }
  std::unique_ptr<cJSON, void (*)(cJSON*)> root(cJSON_Parse(ReadFile(Path("history.json")).c_str()), cJSON_Delete);
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(cJSON_GetArraySize(Get(root.get(), "records.0.metrics.op_types")), 2);
  EXPECT_STREQ(cJSON_GetStringValue(Get(root.get(), "records.1.metrics.op_types.1.type")), "seek");
  EXPECT_DOUBLE_EQ(cJSON_GetNumberValue(Get(root.get(), "records.0.metrics.op_types.1.time_share")), 0.5);
  EXPECT_EQ(cJSON_GetArraySize(Get(root.get(), "records.2.metrics.op_types")), 0);
}
