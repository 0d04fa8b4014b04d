// realtime_thread_test.cc — the realtime tuner thread through the real library: it starts only
// with elmo_autotune=true, journals every decision, follows a workload shift with SetOptions,
// leaves the application's statistics whole, stops at Close without waiting for a slow LLM or a
// person (elmo_llm=manual, whose answer before the next decision is applied), and loses nothing
// while it changes options under concurrent writers and readers across reopens.
#include <cjson/cJSON.h>
#include <dirent.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "fake_llm_server.h"
#include "file_text.h"
#include "rocksdb/convenience.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "rocksdb/file_system.h"
#include "rocksdb/options.h"
#include "rocksdb/statistics.h"
#include "rocksdb/utilities/options_util.h"

namespace {

namespace r = rocksdb;
using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Threads of this process named "elmo-tuner".
int TunerThreads() {
  int n = 0;
  DIR* d = opendir("/proc/self/task");
  if (d == nullptr) return -1;
  while (struct dirent* e = readdir(d)) {
    if (e->d_name[0] == '.') continue;
    std::ifstream comm(std::string("/proc/self/task/") + e->d_name + "/comm");
    std::string name;
    std::getline(comm, name);
    if (name == "elmo-tuner") n++;
  }
  closedir(d);
  return n;
}

// Polls cond every 20 ms for up to seconds.
bool WaitFor(double seconds, const std::function<bool()>& cond) {
  auto t0 = Clock::now();
  while (Since(t0) < seconds) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return cond();
}

// The lines of path that end with '\n'. A last line without one is left out: the tuner may be
// appending it while a test polls the journal (stdio can flush a long line in pieces).
std::vector<std::string> ReadCompleteLines(const std::string& path) {
  const std::string text = elmo_test::ReadFile(path);
  std::vector<std::string> lines;
  size_t pos = 0;
  for (size_t nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', pos)) {
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return lines;
}

// The journal's complete records, each parsed; a line that is not JSON fails the test.
struct Journal {
  std::vector<cJSON*> records;
  ~Journal() {
    for (cJSON* j : records) cJSON_Delete(j);
  }
  explicit Journal(const std::string& path) {
    for (const auto& line : ReadCompleteLines(path)) {
      cJSON* j = cJSON_Parse(line.c_str());
      EXPECT_NE(j, nullptr) << "not JSON: " << line;
      if (j != nullptr) records.push_back(j);
    }
  }
  static std::string Event(const cJSON* j) {
    const cJSON* e = cJSON_GetObjectItemCaseSensitive(j, "event");
    return cJSON_IsString(e) ? e->valuestring : "";
  }
  size_t Count(const std::string& event) const {
    size_t n = 0;
    for (const cJSON* j : records) n += Event(j) == event;
    return n;
  }
};

size_t CountEvents(const std::string& path, const std::string& event) { return Journal(path).Count(event); }

class RealtimeThread : public testing::Test {
 protected:
  void SetUp() override {
    const auto* info = testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::string(ELMO_TEST_WORK) + "/engine-rt-thread-" + info->name();
    journal_ = dir_ + "/elmo_journal.jsonl";
    ASSERT_TRUE(r::DestroyDB(dir_, r::Options()).ok());
    std::remove(journal_.c_str());
    ASSERT_EQ(TunerThreads(), 0) << "a tuner thread is left from an earlier test";
  }
  void TearDown() override {
    Close();
    unsetenv("ELMO_BASE_URL");  // left set when a test stopped early
    // Close waits only briefly for the tuner thread: let it end here, so that the next test in
    // this process starts without one (SetUp checks).
    EXPECT_TRUE(WaitFor(30, [] { return TunerThreads() == 0; }))
        << "a tuner thread outlived the test";
  }

  // Options with the elmo_* settings given as an options string ("" for none).
  r::Options Make(const std::string& elmo) {
    r::Options base;
    base.create_if_missing = true;
    r::Options out = base;
    if (!elmo.empty()) {
      r::ConfigOptions cfg;
      r::DBOptions db;
      r::Status s = r::GetDBOptionsFromString(cfg, base, elmo, &db);
      EXPECT_TRUE(s.ok()) << s.ToString();
      out = r::Options(db, base);
    }
    return out;
  }
  void Open(const r::Options& o) {
    r::DB* raw = nullptr;
    r::Status s = r::DB::Open(o, dir_, &raw);
    ASSERT_TRUE(s.ok()) << s.ToString();
    db_.reset(raw);
  }
  void Close() { db_.reset(); }

  // Loads at read_pct (1 s at a time) until the journal has event, for at most seconds.
  bool LoadUntil(const std::string& event, int read_pct, int* next_key, double seconds = 60) {
    for (auto t0 = Clock::now(); Since(t0) < seconds;) {
      Load(1, read_pct, next_key);
      if (CountEvents(journal_, event) > 0) return true;
    }
    return false;
  }

  // The DB's LOG as one string.
  std::string LogText() const {
    std::string log;
    for (const auto& line : ReadLines(dir_ + "/LOG")) log += line + "\n";
    return log;
  }

  // The DB's options as its newest OPTIONS file has them (the DB closed): true when they loaded.
  bool LatestOptions(r::DBOptions* db_opts, r::ColumnFamilyOptions* cf_opts) const {
    r::ConfigOptions cfg;
    cfg.env = r::Env::Default();
    std::vector<r::ColumnFamilyDescriptor> cfs;
    if (!r::LoadLatestOptions(cfg, dir_, db_opts, &cfs).ok()) return false;
    for (const auto& d : cfs) {
      if (d.name == r::kDefaultColumnFamilyName) *cf_opts = d.options;
    }
    return true;
  }

  // Puts and gets at a read share of read_pct for seconds (one thread).
  void Load(double seconds, int read_pct, int* next_key) {
    auto t0 = Clock::now();
    std::string value(200, 'v');
    int i = 0;
    while (Since(t0) < seconds) {
      if (i++ % 100 < read_pct && *next_key > 0) {
        std::string got;
        db_->Get(r::ReadOptions(), std::to_string((i * 7919) % *next_key), &got).PermitUncheckedError();
      } else {
        ASSERT_TRUE(db_->Put(r::WriteOptions(), std::to_string((*next_key)++), value).ok());
      }
    }
  }

  std::string dir_, journal_;
  std::unique_ptr<r::DB> db_;
};

TEST_F(RealtimeThread, WithoutElmoKeysThereIsNoThreadNoJournalAndTheSameStatistics) {
  r::Options o = Make("");
  o.statistics = r::CreateDBStatistics();
  Open(o);
  EXPECT_EQ(TunerThreads(), 0);
  EXPECT_EQ(db_->GetDBOptions().statistics.get(), o.statistics.get());
  ASSERT_TRUE(db_->Put(r::WriteOptions(), "k", "v").ok());
  Close();
  std::ifstream journal(journal_);
  EXPECT_FALSE(journal.good()) << "a journal was written without elmo_autotune";

  // elmo_* keys with elmo_autotune=false: still nothing.
  Open(Make("elmo_autotune=false;elmo_interval_sec=1"));
  EXPECT_EQ(TunerThreads(), 0);
  Close();
  EXPECT_FALSE(std::ifstream(journal_).good());
}

TEST_F(RealtimeThread, StartsWithTheDbJournalsEveryIntervalAndStopsAtClose) {
  Open(Make("elmo_autotune=true;elmo_interval_sec=1;elmo_min_interval_ops=0"));
  EXPECT_TRUE(WaitFor(30, [] { return TunerThreads() == 1; }));
  ASSERT_TRUE(WaitFor(60, [this] { return CountEvents(journal_, "snapshot") >= 2; }))
      << "no snapshots in " << journal_;
  auto t0 = Clock::now();
  Close();
  double close_sec = Since(t0);
  // Working, Close takes well under a second (it waits at most 0.5 s for the thread); the bound
  // leaves room for a loaded machine and still catches a Close that hangs on the tuner.
  EXPECT_LT(close_sec, 10.0) << "Close waited for the tuner";
  EXPECT_TRUE(WaitFor(30, [] { return TunerThreads() == 0; })) << "the thread outlived the DB";
  Journal j(journal_);
  ASSERT_GE(j.records.size(), 4u);
  EXPECT_EQ(Journal::Event(j.records.front()), "start");
  EXPECT_EQ(Journal::Event(j.records.back()), "stop");
  // Every snapshot says what it measured.
  for (const cJSON* rec : j.records) {
    if (Journal::Event(rec) != "snapshot") continue;
    const cJSON* snap = cJSON_GetObjectItemCaseSensitive(rec, "snapshot");
    ASSERT_TRUE(cJSON_IsObject(snap));
    EXPECT_TRUE(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(snap, "ops_per_sec")));
    EXPECT_TRUE(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(snap, "rss_bytes")));
  }
  // The DB's LOG has the same decisions.
  const std::string log = LogText();
  EXPECT_NE(log.find("[elmo] start:"), std::string::npos);
  EXPECT_NE(log.find("[elmo] snapshot"), std::string::npos);
}

// The change is verified by switchback (1 s blocks): blocks alternate the new and the old values,
// the journal has each block and the verdict, and the DB ends on the values the verdict chose.
// Only a whole interval of the new mix is a shift (the one straddling the switch would see the
// mix move again during the switchback, which ends it at once).
TEST_F(RealtimeThread, FollowsAShiftAndTheAppliedValuesAreTheDbs) {
  Open(Make("elmo_autotune=true;elmo_interval_sec=1;elmo_baseline_window=2;"
            "elmo_min_interval_ops=100;elmo_cooldown_intervals=1;elmo_switchback_pairs=2;"
            "elmo_switchback_block_sec=1;elmo_switchback_settle_sec=0.2;elmo_shift_mix=0.5;"
            "elmo_shift_throughput=10"));
  int next_key = 0;
  Load(4, 0, &next_key);  // writes only: the baseline
  // Then 90% reads.
  const bool applied = LoadUntil("applied", 90, &next_key);
  ASSERT_TRUE(applied) << "no change was applied after the write->read shift";
  // The same load until the switchback's verdict (two pairs of 1 s blocks).
  bool judged = false;
  for (auto t0 = Clock::now(); !judged && Since(t0) < 60;) {
    Load(0.5, 90, &next_key);
    judged = CountEvents(journal_, "kept") + CountEvents(journal_, "verdict") > 0;
  }
  ASSERT_TRUE(judged) << "no verdict; journal:\n" << elmo_test::ReadFile(journal_);
  // Stop the tuner before reading what it did: with the DB closed and the thread gone, the
  // journal is complete and no change or rollback lands between reading it and the options.
  Close();
  ASSERT_TRUE(WaitFor(30, [] { return TunerThreads() == 0; })) << "the thread outlived the DB";
  Journal j(journal_);
  EXPECT_GE(j.Count("shift"), 1u);
  EXPECT_GE(j.Count("proposal"), 1u);
  EXPECT_GE(j.Count("switch"), 2u) << "the blocks of the switchback";
  size_t verdicts = 0;
  for (const cJSON* rec : j.records) {
    const cJSON* sb = cJSON_GetObjectItemCaseSensitive(rec, "switchback");
    if (!cJSON_IsObject(sb)) continue;
    EXPECT_GE(cJSON_GetObjectItemCaseSensitive(sb, "pairs")->valuedouble, 1);
    std::string verdict = cJSON_GetObjectItemCaseSensitive(sb, "verdict")->valuestring;
    verdicts += verdict != "go_on";
  }
  EXPECT_EQ(verdicts, 1u) << "one verdict ends the switchback";
  EXPECT_EQ(j.Count("restore"), 0u) << "closed after the verdict: nothing to put back";
  // Every call reported ok (the last one for each option) is the DB's value: SetOptions and
  // SetDBOptions write it to the DB's latest OPTIONS file.
  r::ConfigOptions cfg;
  cfg.env = r::Env::Default();
  r::DBOptions db_opts;
  std::vector<r::ColumnFamilyDescriptor> cfs;
  r::Status ls = r::LoadLatestOptions(cfg, dir_, &db_opts, &cfs);
  ASSERT_TRUE(ls.ok()) << ls.ToString();
  const r::ColumnFamilyOptions* cf_opts = nullptr;
  for (const auto& d : cfs) {
    if (d.name == r::kDefaultColumnFamilyName) cf_opts = &d.options;
  }
  ASSERT_NE(cf_opts, nullptr);
  std::string cf_text;
  ASSERT_TRUE(r::GetStringFromColumnFamilyOptions(cfg, *cf_opts, &cf_text).ok());
  std::string db_text;
  ASSERT_TRUE(r::GetStringFromDBOptions(cfg, db_opts, &db_text).ok());
  // Rolled back later? Then the old value is current; only check changes still in place.
  const bool rolled_back = j.Count("rolled_back") > 0;
  std::map<std::string, std::string> last_ok;  // option -> the value of its last ok call
  for (const cJSON* rec : j.records) {
    if (Journal::Event(rec) != "applied") continue;
    const cJSON* call = nullptr;
    cJSON_ArrayForEach(call, cJSON_GetObjectItemCaseSensitive(rec, "calls")) {
      std::string option = cJSON_GetObjectItemCaseSensitive(call, "option")->valuestring;
      std::string value = cJSON_GetObjectItemCaseSensitive(call, "new")->valuestring;
      std::string status = cJSON_GetObjectItemCaseSensitive(call, "status")->valuestring;
      if (status != "ok") continue;
      last_ok[option] = value;
    }
  }
  int checked = 0;
  for (const auto& [option, value] : last_ok) {
    if (rolled_back) continue;
    // Whole names only: "bytes_per_sync=" is also the end of "wal_bytes_per_sync=" (the test read
    // the WAL's 0 for bytes_per_sync once the tuner had set both).
    std::string text = ";" + cf_text + ";" + db_text;
    size_t at = text.find(";" + option + "=");
    ASSERT_NE(at, std::string::npos) << option;
    std::string got = text.substr(at + option.size() + 2);
    got = got.substr(0, got.find(';'));
    char* end = nullptr;
    double want_num = std::strtod(value.c_str(), &end);
    if (end != value.c_str() && *end == '\0') {
      EXPECT_DOUBLE_EQ(std::strtod(got.c_str(), nullptr), want_num) << option;
    } else {
      EXPECT_EQ(got, value) << option;
    }
    checked++;
  }
  if (!rolled_back) EXPECT_GT(checked, 0);
}

// A change the watch finds worse is undone in the DB itself: the thread applies the rollback the
// verdict asks for, and the DB's options are back where they were (the tuner used to stay in
// ROLLBACK, waiting for calls nobody made).
TEST_F(RealtimeThread, AChangeThatMadeThingsWorseIsRolledBackInTheDb) {
  elmo_test::FakeLlmServer server;
  elmo_test::ScriptedResponse a;
  a.body = elmo_test::FakeLlmServer::OpenAiAnswer(
      "```ini\n[CFOptions \"default\"]\nlevel0_slowdown_writes_trigger=30\n```");
  server.SetDefault(a);
  setenv("ELMO_BASE_URL", server.base_url_openai().c_str(), 1);
  Open(Make("elmo_autotune=true;elmo_interval_sec=1;elmo_baseline_window=2;elmo_min_interval_ops=50;"
            "elmo_cooldown_intervals=1;elmo_rollback_cooldown_intervals=1;elmo_watch_intervals=2;"
            "elmo_switchback_pairs=0;elmo_llm=openai:fake-model"));
  int next_key = 0;
  Load(3, 0, &next_key);  // writes only: the baseline
  // Then 90% reads: a shift, and the LLM's change.
  const bool applied = LoadUntil("applied", 90, &next_key);
  ASSERT_TRUE(applied) << "no change was applied after the write->read shift";
  // The same mix at a fifth of the rate: the watched interval is worse.
  bool rolled_back = false;
  for (auto t0 = Clock::now(); !rolled_back && Since(t0) < 60;) {
    Load(0.1, 90, &next_key);
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    rolled_back = CountEvents(journal_, "rolled_back") > 0;
  }
  unsetenv("ELMO_BASE_URL");
  ASSERT_TRUE(rolled_back) << "the verdict's rollback was never applied";
  Close();
  ASSERT_TRUE(WaitFor(30, [] { return TunerThreads() == 0; }));
  Journal j(journal_);
  EXPECT_GE(j.Count("verdict"), 1u);
  r::DBOptions db_opts;
  r::ColumnFamilyOptions cf_opts;
  ASSERT_TRUE(LatestOptions(&db_opts, &cf_opts));
  EXPECT_EQ(cf_opts.level0_slowdown_writes_trigger, 20);
}

TEST_F(RealtimeThread, TheApplicationsStatisticsCountEveryOperation) {
  r::Options o = Make("elmo_autotune=true;elmo_interval_sec=1;elmo_min_interval_ops=0");
  auto mine = r::CreateDBStatistics();
  o.statistics = mine;
  Open(o);
  // The DB records into the tuner's object, which forwards to the application's.
  EXPECT_NE(db_->GetDBOptions().statistics.get(), mine.get());
  // At least kPuts puts, and on until the tuner has journaled a snapshot (it reset its own
  // statistics) and another 1000 puts came after it: the application's counts must span it.
  const int kPuts = 20000;
  auto t0 = Clock::now();
  int puts = 0, snapshot_at = -1;  // snapshot_at: the puts done when a snapshot was first seen
  while (puts < kPuts || snapshot_at < 0 || puts < snapshot_at + 1000) {
    ASSERT_LT(Since(t0), 120) << "no snapshot in " << journal_ << " after " << puts << " puts";
    if (puts % 1000 == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(150));
      if (snapshot_at < 0 && CountEvents(journal_, "snapshot") >= 1) snapshot_at = puts;
    }
    ASSERT_TRUE(db_->Put(r::WriteOptions(), std::to_string(puts), "value").ok());
    puts++;
  }
  EXPECT_GT(Since(t0), 2.0) << "the tuner did not get to reset its own statistics in between";
  ASSERT_GE(CountEvents(journal_, "snapshot"), 1u);
  EXPECT_EQ(mine->getTickerCount(r::NUMBER_KEYS_WRITTEN), static_cast<uint64_t>(puts));
  r::HistogramData h;
  mine->histogramData(r::DB_WRITE, &h);
  EXPECT_EQ(h.count, static_cast<uint64_t>(puts));
}

TEST_F(RealtimeThread, CloseDoesNotWaitForASlowAdvisor) {
  elmo_test::FakeLlmServer server;
  elmo_test::ScriptedResponse slow;
  slow.body = elmo_test::FakeLlmServer::OpenAiAnswer("```ini\n[DBOptions]\nmax_background_jobs=3\n```");
  slow.delay_ms = 60000;
  server.SetDefault(slow);
  setenv("ELMO_BASE_URL", server.base_url_openai().c_str(), 1);
  Open(Make("elmo_autotune=true;elmo_interval_sec=1;elmo_baseline_window=1;"
            "elmo_min_interval_ops=100;elmo_llm=openai:fake-model"));
  int next_key = 0;
  Load(2.5, 0, &next_key);
  bool asked = false;
  for (auto t0 = Clock::now(); !asked && Since(t0) < 60;) {
    Load(1, 90, &next_key);
    asked = server.request_count() > 0;
  }
  unsetenv("ELMO_BASE_URL");
  ASSERT_TRUE(asked) << "the tuner never asked the LLM";
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the answer is 60 s away
  auto t0 = Clock::now();
  Close();
  // Far below the 60 s the answer is held back, with room for a loaded machine or a sanitizer.
  EXPECT_LT(Since(t0), 20.0) << "Close waited for the LLM";
  EXPECT_TRUE(WaitFor(20, [] { return TunerThreads() == 0; })) << "the thread waited for the LLM";
  // The prompt said the change must be runtime-mutable, and no key reached the request.
  auto reqs = server.requests();
  ASSERT_FALSE(reqs.empty());
  EXPECT_NE(reqs[0].body.find("mutable"), std::string::npos);
  Journal j(journal_);
  EXPECT_EQ(j.Count("applied"), 0u);
  EXPECT_EQ(Journal::Event(j.records.back()), "stop");
}

TEST_F(RealtimeThread, AnUnwritableJournalLeavesTheDbRunningWithoutTheTuner) {
  Open(Make("elmo_autotune=true;elmo_interval_sec=1;elmo_journal=/nonexistent-dir/j.jsonl"));
  EXPECT_EQ(TunerThreads(), 0);
  ASSERT_TRUE(db_->Put(r::WriteOptions(), "k", "v").ok());
  Close();
  const std::string log = LogText();
  EXPECT_NE(log.find("[elmo] stop: elmo_journal=/nonexistent-dir/j.jsonl: cannot open"), std::string::npos);
}

// A DB that closes while a change is being verified is left on the values it had before the
// change, whatever block it was in: the journal's "restore" record and the LOG say so, and the
// DB's OPTIONS file has the old value.
TEST_F(RealtimeThread, ClosingMidVerdictPutsTheOldValuesBack) {
  elmo_test::FakeLlmServer server;
  elmo_test::ScriptedResponse a;
  a.body = elmo_test::FakeLlmServer::OpenAiAnswer(
      "```ini\n[CFOptions \"default\"]\nlevel0_slowdown_writes_trigger=30\n```");
  server.SetDefault(a);
  setenv("ELMO_BASE_URL", server.base_url_openai().c_str(), 1);
  Open(Make("elmo_autotune=true;elmo_interval_sec=1;elmo_baseline_window=2;elmo_min_interval_ops=50;"
            "elmo_switchback_block_sec=60;elmo_llm=openai:fake-model"));
  int next_key = 0;
  Load(3, 0, &next_key);  // writes only: the baseline
  // Then 90% reads: a shift, and the LLM's change.
  const bool applied = LoadUntil("applied", 90, &next_key);
  unsetenv("ELMO_BASE_URL");
  ASSERT_TRUE(applied) << "no change was applied after the write->read shift";
  Close();  // during the first 60 s block, on the new value
  ASSERT_TRUE(WaitFor(30, [] { return TunerThreads() == 0; }));
  Journal j(journal_);
  ASSERT_EQ(j.Count("restore"), 1u) << elmo_test::ReadFile(journal_);
  for (const cJSON* rec : j.records) {
    if (Journal::Event(rec) != "restore") continue;
    std::string reason = cJSON_GetObjectItemCaseSensitive(rec, "reason")->valuestring;
    EXPECT_NE(reason.find("level0_slowdown_writes_trigger=20"), std::string::npos) << reason;
  }
  const std::string log = LogText();
  EXPECT_NE(log.find("[elmo] restore: the DB closed during the verdict"), std::string::npos);
  r::DBOptions db_opts;
  r::ColumnFamilyOptions cf_opts;
  ASSERT_TRUE(LatestOptions(&db_opts, &cf_opts));
  EXPECT_EQ(cf_opts.level0_slowdown_writes_trigger, 20);
}

// elmo_playbook: on the shift to 90% reads the tuner first tries the playbook's entry for that mix
// (source "playbook:reads90"), verifies it by switchback, and the DB ends on the verdict's values.
TEST_F(RealtimeThread, APlaybookEntryIsTriedFirstAndVerifiedBySwitchback) {
  const std::string playbook = dir_ + "-playbook.json";
  std::ofstream(playbook) << R"({"elmo_playbook": 1, "rocksdb_version": "7.8.3", "entries": [
      {"name": "reads90", "signature": {"read": 0.9, "write": 0.1, "scan": 0, "value_bytes": 200},
       "options": {"CFOptions": {"level0_slowdown_writes_trigger": "30", "level0_stop_writes_trigger": "40"}}}]})";
  Open(Make("elmo_autotune=true;elmo_interval_sec=1;elmo_baseline_window=2;elmo_min_interval_ops=100;"
            "elmo_cooldown_intervals=1;elmo_switchback_pairs=2;elmo_switchback_block_sec=1;"
            "elmo_switchback_settle_sec=0.2;elmo_shift_mix=0.5;elmo_shift_throughput=10;elmo_playbook=" + playbook));
  int next_key = 0;
  Load(3, 0, &next_key);  // writes only: the baseline
  bool judged = false;
  for (auto t0 = Clock::now(); !judged && Since(t0) < 90;) {
    Load(0.5, 90, &next_key);  // then 90% reads: the shift, the entry, its switchback
    judged = CountEvents(journal_, "kept") + CountEvents(journal_, "verdict") > 0;
  }
  ASSERT_TRUE(judged) << "no verdict; journal:\n" << elmo_test::ReadFile(journal_);
  Close();
  ASSERT_TRUE(WaitFor(30, [] { return TunerThreads() == 0; }));
  Journal j(journal_);
  EXPECT_EQ(j.Count("playbook"), 1u) << "the load is journaled";
  std::string source, verdict;
  for (const cJSON* rec : j.records) {
    const cJSON* src = cJSON_GetObjectItemCaseSensitive(rec, "source");
    if (Journal::Event(rec) == "proposal" && cJSON_IsString(src) && source.empty()) source = src->valuestring;
    const cJSON* sb = cJSON_GetObjectItemCaseSensitive(rec, "switchback");
    if (cJSON_IsObject(sb)) verdict = cJSON_GetObjectItemCaseSensitive(sb, "verdict")->valuestring;
  }
  EXPECT_EQ(source, "playbook:reads90") << elmo_test::ReadFile(journal_);
  EXPECT_GE(j.Count("switch"), 2u);
  ASSERT_TRUE(verdict == "keep" || verdict == "undo") << verdict;
  r::DBOptions db_opts;
  r::ColumnFamilyOptions cf_opts;
  ASSERT_TRUE(LatestOptions(&db_opts, &cf_opts));
  EXPECT_EQ(cf_opts.level0_slowdown_writes_trigger, verdict == "keep" ? 30 : 20) << verdict;
  EXPECT_EQ(cf_opts.level0_stop_writes_trigger, verdict == "keep" ? 40 : 36) << verdict;
  std::remove(playbook.c_str());
}

// A playbook that cannot be used is a journal and LOG line naming the problem; the tuner runs on.
TEST_F(RealtimeThread, ABadPlaybookIsALogLineAndTheTunerRunsWithoutIt) {
  const std::string playbook = dir_ + "-playbook.json";
  std::ofstream(playbook) << R"({"elmo_playbook": 1, "rocksdb_version": "7.8.3", "entries": [
      {"name": "x", "signature": {"read": 1, "value_bytes": 200}, "options": {"CFOptions": {"num_levels": "4"}}}]})";
  Open(Make("elmo_autotune=true;elmo_interval_sec=1;elmo_min_interval_ops=0;elmo_playbook=" + playbook));
  ASSERT_TRUE(WaitFor(60, [this] { return CountEvents(journal_, "snapshot") >= 2; })) << elmo_test::ReadFile(journal_);
  Close();
  ASSERT_TRUE(WaitFor(30, [] { return TunerThreads() == 0; }));
  const std::string journal = elmo_test::ReadFile(journal_);
  EXPECT_NE(journal.find("num_levels is not runtime-mutable (SetOptions cannot change it); the tuner runs without a "
                         "playbook"), std::string::npos) << journal;
  const std::string log = LogText();
  EXPECT_NE(log.find("[elmo] error: elmo_playbook=" + playbook), std::string::npos);
  std::remove(playbook.c_str());
}

// A file system whose new SST files fail (a retryable I/O error) while fail is set: a flush then
// ends in a background error, from which RocksDB recovers by itself once files can be written.
class FailingSstFs : public r::FileSystemWrapper {
 public:
  FailingSstFs() : r::FileSystemWrapper(r::FileSystem::Default()) {}
  const char* Name() const override { return "FailingSstFs"; }
  r::IOStatus NewWritableFile(const std::string& f, const r::FileOptions& o, std::unique_ptr<r::FSWritableFile>* out,
                              r::IODebugContext* dbg) override {
    if (fail.load() && f.size() > 4 && f.compare(f.size() - 4, 4, ".sst") == 0) {
      r::IOStatus s = r::IOStatus::IOError("injected: no SST files now");
      s.SetRetryable(true);
      return s;
    }
    return target()->NewWritableFile(f, o, out, dbg);
  }
  std::atomic<bool> fail{false};
};

// Events: a write stall that begins is looked at within a second, though the interval is 30 s;
// a background error (a flush that cannot write its file) stops every change, and the DB's
// recovery (Resume) is journaled too. The events come from RocksDB's own callbacks.
TEST_F(RealtimeThread, StallsAndBackgroundErrorsAreEventsTheTunerSeesAtOnce) {
  auto fs = std::make_shared<FailingSstFs>();
  std::unique_ptr<r::Env> env = r::NewCompositeEnv(fs);
  r::Options o = Make("elmo_autotune=true;elmo_interval_sec=30;elmo_min_interval_ops=0");
  o.env = env.get();
  o.write_buffer_size = 64 << 10;
  o.disable_auto_compactions = true;  // L0 files pile up: the slowdown trigger is reached
  o.level0_slowdown_writes_trigger = 2;
  o.level0_stop_writes_trigger = 1000;
  Open(o);
  int next_key = 0;
  auto opened = Clock::now();
  bool stalled = false;
  for (auto t0 = Clock::now(); !stalled && Since(t0) < 20;) {
    Load(0.2, 0, &next_key);
    stalled = CountEvents(journal_, "db_event") > 0;
  }
  ASSERT_TRUE(stalled) << elmo_test::ReadFile(journal_);
  ASSERT_TRUE(WaitFor(10, [this] { return CountEvents(journal_, "snapshot") + CountEvents(journal_, "shift") > 0; }))
      << "no look after the stall began; journal:\n" << elmo_test::ReadFile(journal_);
  EXPECT_LT(Since(opened), 25.0) << "the look came before the 30 s interval's end";
  std::string journal = elmo_test::ReadFile(journal_);
  EXPECT_NE(journal.find("looking now instead of at the interval's end"), std::string::npos) << journal;
  EXPECT_EQ(journal.find("normal -> normal"), std::string::npos) << "no change, no record";
  // A flush that cannot write its SST file: a background error.
  fs->fail = true;
  ASSERT_TRUE(db_->Put(r::WriteOptions(), "x", std::string(100, 'x')).ok());
  db_->Flush(r::FlushOptions()).PermitUncheckedError();
  ASSERT_TRUE(WaitFor(10, [this] {
    return elmo_test::ReadFile(journal_).find("background error: IO error: injected") != std::string::npos;
  })) << elmo_test::ReadFile(journal_);
  fs->fail = false;  // RocksDB's own retries now succeed
  ASSERT_TRUE(WaitFor(30, [this] {
    return elmo_test::ReadFile(journal_).find("recovered from its background error") != std::string::npos;
  })) << elmo_test::ReadFile(journal_);
  Close();
}

// elmo_llm=manual: a person answers through files beside the journal (here <db>/manual/). The
// request is written there; an answer that comes before the next decision meets the calibrator
// and is applied like an LLM's.
TEST_F(RealtimeThread, AManualAnswerBeforeTheNextDecisionIsAppliedInTheDb) {
  const std::string prompt = dir_ + "/manual/prompt-001.md", answer = dir_ + "/manual/answer-001.md";
  std::error_code ec;
  std::filesystem::remove_all(dir_ + "/manual", ec);  // DestroyDB leaves a directory of ours
  std::thread person([&] {
    if (!WaitFor(120, [&] { return std::ifstream(prompt).good(); })) return;
    std::ofstream(answer + ".partial") << "Slow writes down later.\n```ini\n[CFOptions \"default\"]\n"
                                          "level0_slowdown_writes_trigger=30\n```\nEND\n";
    std::rename((answer + ".partial").c_str(), answer.c_str());
  });
  // Rollbacks practically off: the test is about the answer reaching the DB, not the verdict.
  // Only a whole interval of the new mix is a shift (not the one that straddles the switch, whose
  // mix would move again while the change is watched and undo it).
  Open(Make("elmo_autotune=true;elmo_interval_sec=2;elmo_baseline_window=2;elmo_min_interval_ops=50;"
            "elmo_cooldown_intervals=1;elmo_rollback_throughput=0.99;elmo_rollback_p99=10;elmo_llm=manual;"
            "elmo_switchback_pairs=0;elmo_shift_mix=0.5;elmo_shift_throughput=10"));
  int next_key = 0;
  Load(5, 0, &next_key);  // writes only: the baseline
  // Then 90% reads: a shift, the request, the person's answer.
  const bool applied = LoadUntil("applied", 90, &next_key, 90);
  person.join();
  ASSERT_TRUE(applied) << "the answer was not applied; journal:\n" << elmo_test::ReadFile(journal_);
  // Closing while the change is watched would put the old value back: wait for the verdict.
  bool kept = false;
  for (auto t0 = Clock::now(); !kept && Since(t0) < 60;) {
    Load(0.5, 90, &next_key);
    kept = CountEvents(journal_, "kept") > 0;
  }
  ASSERT_TRUE(kept) << "journal:\n" << elmo_test::ReadFile(journal_);
  Close();
  ASSERT_TRUE(WaitFor(30, [] { return TunerThreads() == 0; }));
  // The request is the REALTIME prompt with the live facts, as an LLM would get it.
  const std::string asked = elmo_test::ReadFile(prompt);
  EXPECT_NE(asked.find("mutable"), std::string::npos) << asked;
  EXPECT_NE(asked.find("\"phase\":\"realtime\""), std::string::npos) << asked;
  Journal j(journal_);
  EXPECT_EQ(j.Count("suggest"), 0u);
  bool from_manual = false;
  for (const cJSON* rec : j.records) {
    const cJSON* src = cJSON_GetObjectItemCaseSensitive(rec, "source");
    if (Journal::Event(rec) == "proposal" && cJSON_IsString(src)) from_manual |= std::string(src->valuestring) == "manual";
  }
  EXPECT_TRUE(from_manual) << "no proposal from the manual advisor";
  r::DBOptions db_opts;
  r::ColumnFamilyOptions cf_opts;
  ASSERT_TRUE(LatestOptions(&db_opts, &cf_opts));
  EXPECT_EQ(cf_opts.level0_slowdown_writes_trigger, 30);
  // The exchange is in the LLM transcript beside the journal, with the files.
  const std::string transcript = elmo_test::ReadFile(journal_ + ".llm.jsonl");
  EXPECT_NE(transcript.find("\"provider\":\"manual\""), std::string::npos) << transcript;
  EXPECT_NE(transcript.find(answer), std::string::npos) << transcript;
}

// Nobody answers: the request stays in its file as a suggestion, the journal says so, nothing is
// applied, and Close does not wait for the person.
TEST_F(RealtimeThread, AManualRequestNobodyAnswersIsOnlyASuggestion) {
  const std::string dir = dir_ + "-requests";  // manual:DIR, outside the DB
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  Open(Make("elmo_autotune=true;elmo_interval_sec=1;elmo_baseline_window=2;elmo_min_interval_ops=50;"
            "elmo_cooldown_intervals=1;elmo_llm=manual:" + dir));
  int next_key = 0;
  Load(3, 0, &next_key);
  bool suggested = false;
  for (auto t0 = Clock::now(); !suggested && Since(t0) < 60;) {
    Load(1, 90, &next_key);
    suggested = CountEvents(journal_, "suggest") > 0;
  }
  ASSERT_TRUE(suggested) << "no suggestion; journal:\n" << elmo_test::ReadFile(journal_);
  auto t0 = Clock::now();
  Close();
  EXPECT_LT(Since(t0), 10.0) << "Close waited for the person";
  ASSERT_TRUE(WaitFor(30, [] { return TunerThreads() == 0; })) << "the thread waited for the person";
  Journal j(journal_);
  EXPECT_EQ(j.Count("applied"), 0u);
  for (const cJSON* rec : j.records) {
    if (Journal::Event(rec) != "suggest") continue;
    const std::string reason = cJSON_GetObjectItemCaseSensitive(rec, "reason")->valuestring;
    EXPECT_NE(reason.find("nothing applied"), std::string::npos) << reason;
    EXPECT_NE(reason.find(dir + "/prompt-001.md"), std::string::npos) << reason;
    break;
  }
  EXPECT_NE(elmo_test::ReadFile(dir + "/prompt-001.md").find("Facts (machine-readable)"), std::string::npos);
  std::filesystem::remove_all(dir, ec);
}

// Writers and readers verify every key while an advisor makes the tuner change options every
// interval, and the DB is closed and reopened between rounds.
TEST_F(RealtimeThread, StressNothingIsLostWhileOptionsChangeAcrossReopens) {
  elmo_test::FakeLlmServer server;
  // A different runtime-mutable change each time, so the tuner always has one to apply.
  for (int i = 0; i < 200; i++) {
    elmo_test::ScriptedResponse a;
    a.body = elmo_test::FakeLlmServer::OpenAiAnswer(
        "```ini\n[CFOptions \"default\"]\nwrite_buffer_size=" + std::to_string((4 + i % 5) << 20) +
        "\nlevel0_slowdown_writes_trigger=" + std::to_string(16 + i % 9) + "\n```");
    server.Push(a);
  }
  setenv("ELMO_BASE_URL", server.base_url_openai().c_str(), 1);
  const std::string elmo =
      "elmo_autotune=true;elmo_interval_sec=1;elmo_baseline_window=1;elmo_min_interval_ops=0;"
      "elmo_shift_mix=0.01;elmo_shift_throughput=0.01;elmo_shift_value_size=0.01;"
      "elmo_cooldown_intervals=0;elmo_rollback_cooldown_intervals=0;elmo_max_changes_per_hour=60;"
      "elmo_llm=openai:fake-model";
  const int kWriters = 3, kReaders = 2, kRounds = 3;
  std::vector<int> written(kWriters, 0);  // keys each writer has written (all rounds)
  auto key = [](int w, int i) { return "w" + std::to_string(w) + "-" + std::to_string(i); };
  auto value = [](int w, int i, int round) {
    return std::to_string(w * 1000003 + i) + ":" + std::to_string(round) + std::string(100, 'x');
  };
  for (int round = 0; round < kRounds; round++) {
    const size_t applied_before = CountEvents(journal_, "applied");  // earlier rounds' changes
    r::Options o = Make(elmo);
    o.write_buffer_size = 4 << 20;
    Open(o);
    // Everything earlier rounds wrote is there, with the latest round's value.
    for (int w = 0; w < kWriters; w++) {
      for (int i = 0; i < written[w]; i++) {
        std::string got;
        ASSERT_TRUE(db_->Get(r::ReadOptions(), key(w, i), &got).ok()) << key(w, i);
        int last = round - 1;  // every round rewrites the keys below the previous round's count
        ASSERT_EQ(got, value(w, i, last)) << key(w, i);
      }
    }
    std::atomic<bool> stop{false};
    std::atomic<bool> grow{true};  // false: the writers rewrite this round's keys, add none
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    std::vector<int> start(written);
    for (int w = 0; w < kWriters; w++) {
      threads.emplace_back([&, w] {
        // Rewrite the old keys, then add new ones (once growing ends: write the new ones
        // again), until told to stop.
        int i = 0, end = start[w];  // end: the keys written so far
        while (!stop.load() || i < start[w]) {
          if (!grow.load() && i == end && end > start[w]) i = start[w];
          if (!db_->Put(r::WriteOptions(), key(w, i), value(w, i, round)).ok()) failures++;
          i++;
          if (i > end) end = i;
        }
        written[w] = end;
      });
    }
    for (int t = 0; t < kReaders; t++) {
      threads.emplace_back([&, t] {
        unsigned seed = 17 + t + round;
        while (!stop.load()) {
          int w = rand_r(&seed) % kWriters;
          int n = start[w];
          if (n == 0) continue;
          int i = rand_r(&seed) % n;
          std::string got;
          r::Status s = db_->Get(r::ReadOptions(), key(w, i), &got);
          if (!s.ok() || (got != value(w, i, round) && got != value(w, i, round - 1))) failures++;
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::seconds(4));
    // The fixed work is done. The load goes on (without new keys) until the tuner has applied a
    // change in this round, however slow the machine; the count below does not hang on 4 s.
    grow = false;
    WaitFor(60, [&] { return CountEvents(journal_, "applied") > applied_before; });
    stop = true;
    for (auto& th : threads) th.join();
    ASSERT_EQ(failures.load(), 0) << "round " << round;
    Close();
    EXPECT_TRUE(WaitFor(30, [] { return TunerThreads() == 0; }));
  }
  unsetenv("ELMO_BASE_URL");
  Journal j(journal_);
  EXPECT_GE(j.Count("applied"), 2u) << "the tuner changed too little for a stress test";
  EXPECT_EQ(j.Count("start"), static_cast<size_t>(kRounds));
  EXPECT_EQ(j.Count("stop"), static_cast<size_t>(kRounds));
}

}  // namespace
