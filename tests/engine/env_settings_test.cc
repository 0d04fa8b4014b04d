// env_settings_test.cc — ELMo for programs that cannot change, through the real library:
// ELMO_OPTIONS and ELMO_CONFIG at DB::Open (merged key by key, LOG lines naming where each value
// came from, elmo_db globs, elmo_strict, every bad input a LOG line and a DB opened as asked), the
// environment never written into the DB, and elmo_trace (a readable trace of exactly the ops,
// never overwritten, its caps, sampling, and a process killed mid-write).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "elmo/trace.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/utilities/options_util.h"
#include "file_text.h"

namespace {

using elmo_test::ReadFile;
using elmo_test::WriteFile;

namespace fs = std::filesystem;
namespace r = rocksdb;

// Sets the environment variables of one test and clears them when it ends.
class ScopedEnv {
 public:
  ScopedEnv(const char* elmo_options, const char* elmo_config = nullptr) {
    Set("ELMO_OPTIONS", elmo_options);
    Set("ELMO_CONFIG", elmo_config);
  }
  ~ScopedEnv() {
    unsetenv("ELMO_OPTIONS");
    unsetenv("ELMO_CONFIG");
  }

 private:
  static void Set(const char* name, const char* value) {
    if (value != nullptr) {
      setenv(name, value, 1);
    } else {
      unsetenv(name);
    }
  }
};

// What a trace holds: ops by kind, and whether it read to its end without an error.
struct TraceTally {
  bool ok = false;
  std::string error;
  uint64_t ops = 0, puts = 0, gets = 0;
};

TraceTally ReadTrace(const std::string& path) {
  TraceTally t;
  elmo_trace_reader* rd = nullptr;
  elmo_error err{};
  if (elmo_trace_reader_open(path.c_str(), nullptr, &rd, &err) != ELMO_OK) {
    t.error = err.message;
    return t;
  }
  for (elmo_trace_op op{};;) {
    if (elmo_trace_reader_next(rd, &op, &err) != ELMO_OK) {
      t.error = err.message;
      break;
    }
    if (op.kind == ELMO_TRACE_END) {
      t.ok = true;
      break;
    }
    t.ops++;
    if (op.kind == ELMO_TRACE_PUT) t.puts++;
    if (op.kind == ELMO_TRACE_GET) t.gets++;
  }
  elmo_trace_reader_destroy(rd);
  return t;
}

class EnvSettings : public testing::Test {
 protected:
  void SetUp() override {
    unsetenv("ELMO_OPTIONS");
    unsetenv("ELMO_CONFIG");
    const auto* info = testing::UnitTest::GetInstance()->current_test_info();
    work_ = std::string(ELMO_TEST_WORK) + "/env-settings-" + info->name();
    fs::remove_all(work_);
    fs::create_directories(work_);
    dir_ = work_ + "/db";
  }
  void TearDown() override {
    Close();
    if (!HasFailure()) fs::remove_all(work_);
  }

  // Opens dir_ the way a program that sets its options in code does.
  r::Status Open(r::Options options = r::Options()) {
    options.create_if_missing = true;
    r::DB* raw = nullptr;
    r::Status s = r::DB::Open(options, dir_, &raw);
    db_.reset(raw);
    return s;
  }
  void Close() { db_.reset(); }
  // Puts and gets n keys, checking every value.
  void Use(int n) {
    for (int i = 0; i < n; i++) {
      ASSERT_TRUE(db_->Put({}, "key" + std::to_string(i), "value" + std::to_string(i)).ok());
    }
    for (int i = 0; i < n; i++) {
      std::string v;
      ASSERT_TRUE(db_->Get({}, "key" + std::to_string(i), &v).ok());
      ASSERT_EQ(v, "value" + std::to_string(i));
    }
  }
  std::string Log() const { return ReadFile(dir_ + "/LOG"); }

  std::string work_, dir_;
  std::unique_ptr<r::DB> db_;
};

TEST_F(EnvSettings, WithoutTheEnvironmentNothingChanges) {
  ASSERT_TRUE(Open().ok());
  Use(10);
  Close();
  EXPECT_EQ(Log().find("[elmo]"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ + "/elmo_journal.jsonl"));
  EXPECT_FALSE(fs::exists(dir_ + "/ELMO-SETTINGS"));
}

// A program whose options are set in code gets the tuner from ELMO_OPTIONS alone; the
// environment's keys are never written into the DB.
TEST_F(EnvSettings, ElmoOptionsStartTheTunerAndStayOutOfTheDB) {
  ScopedEnv env("elmo_autotune=true;elmo_interval_sec=1");
  ASSERT_TRUE(Open().ok());
  Use(100);
  Close();
  const std::string log = Log();
  EXPECT_NE(log.find("[elmo] elmo_autotune=true from ELMO_OPTIONS"), std::string::npos) << log;
  EXPECT_NE(log.find("[elmo] elmo_interval_sec=1 from ELMO_OPTIONS"), std::string::npos) << log;
  // The tuner opened its journal (a Close this quick may come before its start record).
  const std::string journal = ReadFile(dir_ + "/elmo_journal.jsonl");
  EXPECT_NE(journal.find("\"event\":"), std::string::npos) << journal;
  EXPECT_FALSE(fs::exists(dir_ + "/ELMO-SETTINGS"));
  std::string name;
  ASSERT_TRUE(r::GetLatestOptionsFileName(dir_, r::Env::Default(), &name).ok());
  EXPECT_EQ(ReadFile(dir_ + "/" + name).find("elmo_"), std::string::npos);
}

// ELMO_CONFIG, then ELMO_OPTIONS over it key by key, both over the application's own keys; the LOG
// says where each value came from.
TEST_F(EnvSettings, TheEnvironmentWinsKeyByKeyAndTheLogSaysWhere) {
  const std::string conf = work_ + "/elmo.conf";
  WriteFile(conf,
            "# ELMo for this host\n"
            "elmo_interval_sec = 5\n"
            "\n"
            "elmo_journal=" + work_ + "/journal.jsonl   # beside the DB\n");
  ScopedEnv env("elmo_interval_sec=7", conf.c_str());
  r::Options app;
  ASSERT_TRUE(r::GetDBOptionsFromString({}, app, "elmo_interval_sec=30;elmo_autotune=true",
                                        &app).ok());
  ASSERT_TRUE(Open(app).ok());
  Close();
  const std::string log = Log();
  EXPECT_NE(log.find("[elmo] elmo_interval_sec=7 from ELMO_OPTIONS (the application's options "
                     "said 30)"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("[elmo] elmo_journal=" + work_ + "/journal.jsonl from ELMO_CONFIG=" + conf +
                     " line 4"),
            std::string::npos)
      << log;
  EXPECT_TRUE(fs::exists(work_ + "/journal.jsonl"));  // the file's journal path was used
  // What the application's options said is what the DB keeps; the environment's is not.
  const std::string settings = ReadFile(dir_ + "/ELMO-SETTINGS");
  EXPECT_NE(settings.find("\nelmo_interval_sec=30\n"), std::string::npos) << settings;
  EXPECT_EQ(settings.find("elmo_journal"), std::string::npos) << settings;
}

// Every bad input is a LOG line naming the key and the problem, and the DB opens as asked.
TEST_F(EnvSettings, BadInputIsALogLineAndTheDBOpensAsAsked) {
  struct Case {
    const char* elmo_options;
    const char* elmo_config;  // "-": a file that does not exist
    const char* message;
  };
  const Case cases[] = {
      {"elmo_autotuen=true", nullptr, "elmo_autotuen: unknown ELMo key; did you mean elmo_autotune?"},
      {"elmo_interval_sec=0", nullptr, "elmo_interval_sec=0 is outside the allowed range [1, 86400]"},
      {"elmo_autotune=maybe", nullptr, "elmo_autotune=maybe is not a boolean"},
      {"write_buffer_size=1", nullptr, "write_buffer_size is not an ELMo key"},
      {"elmo_trace_max_bytes=lots", nullptr, "elmo_trace_max_bytes=lots is not a size"},
      {"elmo_rollback_p99=50", nullptr, "elmo_rollback_p99=50 is outside"},
      {"elmo_autotune=true;elmo_llm=", nullptr, "elmo_llm is empty"},
      {"garbage", nullptr, "ELMO_OPTIONS: not an options string"},
      {nullptr, "-", "cannot be read"},
      {"elmo_trace=" ELMO_TEST_WORK "/x-%q", nullptr, "unknown %q"},
      {"elmo_trace=/nonexistent-dir/t", nullptr, "cannot create /nonexistent-dir/t"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.elmo_options != nullptr ? c.elmo_options : c.elmo_config);
    fs::remove_all(dir_);
    std::string conf = c.elmo_config == nullptr ? "" : work_ + "/missing.conf";
    ScopedEnv env(c.elmo_options, c.elmo_config == nullptr ? nullptr : conf.c_str());
    r::Options app;
    app.write_buffer_size = 8 << 20;
    r::Status s = Open(app);
    ASSERT_TRUE(s.ok()) << s.ToString();
    Use(10);
    EXPECT_EQ(db_->GetOptions().write_buffer_size, 8u << 20);
    Close();
    const std::string log = Log();
    EXPECT_NE(log.find(c.message), std::string::npos) << log;
    EXPECT_FALSE(fs::exists(dir_ + "/elmo_journal.jsonl"));  // no tuner from a bad setting
  }
}

TEST_F(EnvSettings, StrictTurnsABadSettingIntoAFailedOpen) {
  ScopedEnv env("elmo_strict=true;elmo_interval_sec=0");
  r::Status s = Open();
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_NE(s.ToString().find("elmo_interval_sec=0 is outside"), std::string::npos) << s.ToString();
  EXPECT_EQ(db_, nullptr);
}

// elmo_db limits the environment's keys to the DBs whose path matches.
TEST_F(EnvSettings, ElmoDbGlobPicksTheDBs) {
  const std::string other = work_ + "/other";
  ScopedEnv env(("elmo_autotune=true;elmo_db=" + work_ + "/d*").c_str());
  ASSERT_TRUE(Open().ok());  // work_/db matches
  Close();
  EXPECT_TRUE(fs::exists(dir_ + "/elmo_journal.jsonl"));
  dir_ = other;
  ASSERT_TRUE(Open().ok());
  Close();
  EXPECT_FALSE(fs::exists(other + "/elmo_journal.jsonl"));
  EXPECT_NE(Log().find("do not apply to this DB: " + other + " does not match elmo_db="),
            std::string::npos)
      << Log();
}

// elmo_trace records exactly the DB's operations in RocksDB's trace format; %n and %p are expanded,
// and a second open never overwrites the first trace.
TEST_F(EnvSettings, ElmoTraceRecordsTheOpsAndNeverOverwrites) {
  const std::string tmpl = work_ + "/%n-%p.trace";
  ScopedEnv env(("elmo_trace=" + tmpl).c_str());
  ASSERT_TRUE(Open().ok());
  Use(500);
  Close();
  const std::string first = work_ + "/db-" + std::to_string(getpid()) + ".trace";
  ASSERT_TRUE(fs::exists(first)) << Log();
  TraceTally t = ReadTrace(first);
  EXPECT_TRUE(t.ok) << t.error;
  EXPECT_EQ(t.puts, 500u);
  EXPECT_EQ(t.gets, 500u);
  EXPECT_NE(Log().find("[elmo] trace: recording to " + first), std::string::npos) << Log();

  ASSERT_TRUE(Open().ok());
  Use(20);
  Close();
  EXPECT_EQ(ReadTrace(first).ops, 1000u) << "the first trace was overwritten";
  TraceTally second = ReadTrace(first + ".2");
  EXPECT_TRUE(second.ok) << second.error;
  EXPECT_EQ(second.ops, 40u);
}

// A read-only open takes the environment's settings too: it is traced, and gets no tuner.
TEST_F(EnvSettings, AReadOnlyOpenIsTracedAndGetsNoTuner) {
  ASSERT_TRUE(Open().ok());
  Use(100);
  Close();
  const std::string trace = work_ + "/read-only.trace";
  {
    ScopedEnv env(("elmo_trace=" + trace + ";elmo_autotune=true").c_str());
    r::DB* raw = nullptr;
    ASSERT_TRUE(r::DB::OpenForReadOnly(r::Options(), dir_, &raw).ok());
    db_.reset(raw);
    for (int i = 0; i < 100; i++) {
      std::string v;
      ASSERT_TRUE(db_->Get({}, "key" + std::to_string(i), &v).ok());
    }
    Close();
  }
  TraceTally t = ReadTrace(trace);
  EXPECT_TRUE(t.ok) << t.error;
  EXPECT_EQ(t.gets, 100u);
  EXPECT_EQ(t.puts, 0u);
  EXPECT_FALSE(fs::exists(dir_ + "/elmo_journal.jsonl"));  // (a read-only open writes no LOG)
}

// A secondary instance takes the environment's settings too (its LOG, in its own directory, says
// so) and gets no tuner.
TEST_F(EnvSettings, ASecondaryTakesTheSettingsAndGetsNoTuner) {
  ASSERT_TRUE(Open().ok());
  Use(10);
  const std::string secondary = work_ + "/secondary";
  {
    ScopedEnv env("elmo_autotune=true;elmo_interval_sec=1");
    r::Options o;
    o.max_open_files = -1;
    r::DB* raw = nullptr;
    r::Status s = r::DB::OpenAsSecondary(o, dir_, secondary, &raw);
    ASSERT_TRUE(s.ok()) << s.ToString();
    delete raw;
  }
  Close();
  const std::string log = ReadFile(secondary + "/LOG");
  EXPECT_NE(log.find("[elmo] elmo_autotune=true from ELMO_OPTIONS"), std::string::npos) << log;
  EXPECT_NE(log.find("[elmo] no realtime tuner on a read-only or secondary DB"), std::string::npos) << log;
  EXPECT_FALSE(fs::exists(dir_ + "/elmo_journal.jsonl"));
  EXPECT_FALSE(fs::exists(secondary + "/elmo_journal.jsonl"));
}

TEST_F(EnvSettings, ElmoTraceStopsAtItsCapAndSamples) {
  const std::string capped = work_ + "/capped.trace";
  {
    ScopedEnv env(("elmo_trace=" + capped + ";elmo_trace_max_bytes=64KiB").c_str());
    ASSERT_TRUE(Open().ok());
    Use(5000);
    Close();
  }
  EXPECT_LE(fs::file_size(capped), 64u << 10);
  TraceTally t = ReadTrace(capped);
  EXPECT_TRUE(t.ok) << t.error;
  EXPECT_GT(t.ops, 100u);
  EXPECT_LT(t.ops, 5000u);
  EXPECT_NE(Log().find("stopped after"), std::string::npos) << Log();
  EXPECT_NE(Log().find("elmo_trace_max_bytes reached"), std::string::npos) << Log();

  const std::string sampled = work_ + "/sampled.trace";
  fs::remove_all(dir_);
  {
    ScopedEnv env(("elmo_trace=" + sampled + ";elmo_trace_sampling=10").c_str());
    ASSERT_TRUE(Open().ok());
    Use(2000);
    Close();
  }
  t = ReadTrace(sampled);
  EXPECT_TRUE(t.ok) << t.error;
  EXPECT_NEAR(static_cast<double>(t.ops), 400, 10);  // one op in 10 of 4000
}

// The time cap stops the trace (the DB goes on); a disk below the free-space floor is never
// traced at all.
TEST_F(EnvSettings, ElmoTraceStopsAtItsTimeCapAndNeverFillsTheDisk) {
  const std::string timed = work_ + "/timed.trace";
  {
    ScopedEnv env(("elmo_trace=" + timed + ";elmo_trace_seconds=0.3").c_str());
    ASSERT_TRUE(Open().ok());
    Use(100);
    usleep(500000);
    Use(100);  // after the cap: not traced
    Close();
  }
  TraceTally t = ReadTrace(timed);
  EXPECT_TRUE(t.ok) << t.error;
  EXPECT_EQ(t.ops, 200u);  // the first Use's 100 puts and 100 gets
  EXPECT_NE(Log().find("elmo_trace_seconds reached"), std::string::npos) << Log();

  fs::remove_all(dir_);
  const std::string full = work_ + "/full-disk.trace";
  {
    ScopedEnv env(("elmo_trace=" + full + ";elmo_trace_min_free_bytes=1PiB").c_str());
    ASSERT_TRUE(Open().ok());
    Use(10);
    Close();
  }
  EXPECT_FALSE(fs::exists(full));
  EXPECT_NE(Log().find("below elmo_trace_min_free_bytes; not tracing"), std::string::npos) << Log();
}

// A process killed without Close leaves a trace that reads to its last whole record, and a DB
// that reopens with every acknowledged write.
TEST_F(EnvSettings, ATraceSurvivesSigkill) {
  const std::string trace = work_ + "/killed.trace";
  const std::string acked = work_ + "/acked";
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    setenv("ELMO_OPTIONS", ("elmo_trace=" + trace).c_str(), 1);
    r::Options o;
    o.create_if_missing = true;
    r::DB* db = nullptr;
    if (!r::DB::Open(o, dir_, &db).ok()) _exit(3);
    r::WriteOptions sync;
    sync.sync = true;
    for (int i = 0;; i++) {
      if (!db->Put(sync, "key" + std::to_string(i), std::string(100, 'v')).ok()) _exit(4);
      if (i % 100 == 0) WriteFile(acked, std::to_string(i));
    }
  }
  // Kill it once it has written a few thousand keys (at most 20 s).
  for (int i = 0; i < 200 && std::atoi(ReadFile(acked).c_str()) < 2000; i++) usleep(100000);
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the writer exited by itself: " << status;
  const int last_acked = std::atoi(ReadFile(acked).c_str());
  ASSERT_GE(last_acked, 2000);

  TraceTally t = ReadTrace(trace);
  EXPECT_TRUE(t.ok) << t.error;
  EXPECT_GT(t.puts, 0u);
  ASSERT_TRUE(Open().ok());
  for (int i = 0; i <= last_acked; i += 100) {
    std::string v;
    ASSERT_TRUE(db_->Get({}, "key" + std::to_string(i), &v).ok()) << i;
  }
}

}  // namespace
