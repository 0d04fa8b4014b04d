// realtime_options_test.cc — the realtime tuner's elmo_* [DBOptions] keys through the real
// library: LoadOptionsFromFile -> DB::Open -> the DB's own OPTIONS-NNNNNN file (none there) and
// ELMO-SETTINGS beside it, LoadLatestOptions, and the C API's rocksdb_load_latest_options.
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "rocksdb/c.h"
#include "rocksdb/convenience.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "rocksdb/options.h"
#include "rocksdb/utilities/options_util.h"
#include "file_text.h"

namespace {

using elmo_test::ReadFile;
using elmo_test::WriteFile;

namespace r = rocksdb;

// The name and the text of the DB's newest OPTIONS-NNNNNN file.
std::string LatestOptionsName(const std::string& dir) {
  std::string name;
  r::Status s = r::GetLatestOptionsFileName(dir, r::Env::Default(), &name);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return name;
}

std::string LatestOptionsText(const std::string& dir) {
  return ReadFile(dir + "/" + LatestOptionsName(dir));
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) n++;
  return n;
}

r::ConfigOptions Strict() {
  r::ConfigOptions cfg;
  cfg.env = r::Env::Default();
  cfg.ignore_unknown_options = false;
  return cfg;
}

class RealtimeOptions : public testing::Test {
 protected:
  void SetUp() override {
    const auto* info = testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::string(ELMO_TEST_WORK) + "/engine-realtime-" + info->name();
    ASSERT_TRUE(r::DestroyDB(dir_, r::Options()).ok());
    // A plain DB first: its OPTIONS file is the template the tests edit.
    r::Options plain;
    plain.create_if_missing = true;
    ASSERT_TRUE(Open(plain).ok());
    Close();
    plain_text_ = LatestOptionsText(dir_);
  }
  void TearDown() override { Close(); }

  r::Status Open(const r::DBOptions& db_opt,
                 std::vector<r::ColumnFamilyDescriptor> cfs = {
                     r::ColumnFamilyDescriptor(r::kDefaultColumnFamilyName, {})}) {
    r::DB* raw = nullptr;
    r::Status s = r::DB::Open(db_opt, dir_, cfs, &handles_, &raw);
    db_.reset(raw);
    return s;
  }
  void Close() {
    for (auto* h : handles_) delete h;
    handles_.clear();
    db_.reset();
  }
  // The plain DB's OPTIONS text with extra lines at the top of [DBOptions].
  std::string WithDBOptions(const std::string& lines) const {
    std::string text = plain_text_;
    const std::string section = "[DBOptions]\n";
    text.insert(text.find(section) + section.size(), lines);
    return text;
  }
  // LoadOptionsFromFile on text, then DB::Open with what it loaded.
  r::Status LoadAndOpen(const std::string& text) {
    const std::string path = dir_ + "-app-options.ini";
    WriteFile(path, text);
    r::DBOptions db_opt;
    std::vector<r::ColumnFamilyDescriptor> cfs;
    r::Status s = r::LoadOptionsFromFile(Strict(), path, &db_opt, &cfs);
    if (!s.ok()) return s;
    return Open(db_opt, cfs);
  }

  std::string dir_, plain_text_;
  std::unique_ptr<r::DB> db_;
  std::vector<r::ColumnFamilyHandle*> handles_;
};

TEST_F(RealtimeOptions, APlainDBWritesNoElmoKeys) {
  EXPECT_EQ(plain_text_.find("elmo_"), std::string::npos) << plain_text_;
  // Reopened through LoadLatestOptions, it still has none.
  r::DBOptions db_opt;
  std::vector<r::ColumnFamilyDescriptor> cfs;
  ASSERT_TRUE(r::LoadLatestOptions(Strict(), dir_, &db_opt, &cfs).ok());
  ASSERT_TRUE(Open(db_opt, cfs).ok());
  EXPECT_EQ(LatestOptionsText(dir_).find("elmo_"), std::string::npos);
}

// The DB's OPTIONS files carry no elmo_* key (Debian's library loads them); the settings its
// options gave are kept in ELMO-SETTINGS, naming the newest OPTIONS file, and come back with it.
TEST_F(RealtimeOptions, TheDBKeepsTheKeysBesideItsOptionsFile) {
  r::Status s = LoadAndOpen(WithDBOptions("  elmo_autotune=true\n  elmo_interval_sec=30\n"));
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_TRUE(db_->Put({}, "k", "v").ok());
  std::string text = LatestOptionsText(dir_);
  EXPECT_EQ(Count(text, "elmo_"), 0u) << text;
  EXPECT_EQ(text.find("ElmoTuner"), std::string::npos) << text;  // not as a listener
  std::string settings = ReadFile(dir_ + "/ELMO-SETTINGS");
  EXPECT_EQ(Count(settings, "\noptions_file=" + LatestOptionsName(dir_) + "\n"), 1u) << settings;
  EXPECT_EQ(Count(settings, "\nelmo_autotune=true\n"), 1u) << settings;
  EXPECT_EQ(Count(settings, "\nelmo_interval_sec=30\n"), 1u) << settings;

  // SetDBOptions writes a new OPTIONS file: ELMO-SETTINGS follows it.
  ASSERT_TRUE(db_->SetDBOptions({{"max_background_jobs", "3"}}).ok());
  settings = ReadFile(dir_ + "/ELMO-SETTINGS");
  EXPECT_EQ(Count(settings, "\noptions_file=" + LatestOptionsName(dir_) + "\n"), 1u) << settings;

  // Close, LoadLatestOptions, reopen: the settings are back, once.
  Close();
  r::DBOptions db_opt;
  std::vector<r::ColumnFamilyDescriptor> cfs;
  ASSERT_TRUE(r::LoadLatestOptions(Strict(), dir_, &db_opt, &cfs).ok());
  EXPECT_EQ(db_opt.listeners.size(), 1u);
  ASSERT_TRUE(Open(db_opt, cfs).ok());
  settings = ReadFile(dir_ + "/ELMO-SETTINGS");
  EXPECT_EQ(Count(settings, "\nelmo_interval_sec=30\n"), 1u) << settings;
  EXPECT_EQ(Count(LatestOptionsText(dir_), "elmo_"), 0u);
  std::string v;
  ASSERT_TRUE(db_->Get({}, "k", &v).ok());
  EXPECT_EQ(v, "v");

  // Opened again with options without elmo_* keys: ELMO-SETTINGS goes, as the keys would have
  // gone from the OPTIONS file.
  Close();
  r::Options plain;
  ASSERT_TRUE(Open(plain).ok());
  EXPECT_FALSE(r::Env::Default()->FileExists(dir_ + "/ELMO-SETTINGS").ok());
  ASSERT_TRUE(r::LoadLatestOptions(Strict(), dir_, &db_opt, &cfs).ok());
  EXPECT_EQ(db_opt.listeners.size(), 0u);
}

// ELMO-SETTINGS that names an older OPTIONS file (a newer one was written by a library without
// ELMo) is not applied to the newer one.
TEST_F(RealtimeOptions, SettingsOfAnotherOptionsFileAreNotApplied) {
  ASSERT_TRUE(LoadAndOpen(WithDBOptions("  elmo_autotune=true\n")).ok());
  Close();
  WriteFile(dir_ + "/OPTIONS-999990", plain_text_);
  r::DBOptions db_opt;
  std::vector<r::ColumnFamilyDescriptor> cfs;
  ASSERT_TRUE(r::LoadLatestOptions(Strict(), dir_, &db_opt, &cfs).ok());
  EXPECT_EQ(db_opt.listeners.size(), 0u);
  // A damaged ELMO-SETTINGS never fails a load either.
  WriteFile(dir_ + "/ELMO-SETTINGS", "options_file=OPTIONS-999990\nelmo_interval_sec=0\nno-equals\n");
  ASSERT_TRUE(r::LoadLatestOptions(Strict(), dir_, &db_opt, &cfs).ok());
  EXPECT_EQ(db_opt.listeners.size(), 0u);
}

TEST_F(RealtimeOptions, ABadValueFailsTheLoadNamingTheKey) {
  struct Case {
    const char* line;
    const char* message;
  };
  const Case cases[] = {
      {"  elmo_interval_sec=0\n", "elmo_interval_sec=0 is outside"},
      {"  elmo_autotune=yes please\n", "elmo_autotune"},
      {"  elmo_max_step=9\n", "elmo_max_step=9"},
      {"  elmo_intervalsec=30\n", "elmo_intervalsec"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.line);
    r::Status s = LoadAndOpen(WithDBOptions(c.line));
    EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
    EXPECT_NE(s.ToString().find(c.message), std::string::npos) << s.ToString();
    EXPECT_EQ(db_, nullptr);
  }
  // The same through an options string.
  r::DBOptions out;
  r::Status s = r::GetDBOptionsFromString(Strict(), r::DBOptions(), "elmo_interval_sec=0", &out);
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(s.ToString().find("elmo_interval_sec=0 is outside"), std::string::npos)
      << s.ToString();
}

TEST_F(RealtimeOptions, TheCApiLoadsAndKeepsThem) {
  ASSERT_TRUE(LoadAndOpen(WithDBOptions("  elmo_autotune=true\n  elmo_interval_sec=30\n")).ok());
  Close();

  rocksdb_options_t* db_options = nullptr;
  rocksdb_options_t** cf_options = nullptr;
  char** cf_names = nullptr;
  size_t n = 0;
  char* err = nullptr;
  rocksdb_env_t* env = rocksdb_create_default_env();
  rocksdb_cache_t* cache = rocksdb_cache_create_lru(8 << 20);
  rocksdb_load_latest_options(dir_.c_str(), env, false, cache, &db_options, &n, &cf_names,
                              &cf_options, &err);
  ASSERT_EQ(err, nullptr) << err;
  ASSERT_EQ(n, 1u);
  rocksdb_t* db = rocksdb_open(db_options, dir_.c_str(), &err);
  ASSERT_EQ(err, nullptr) << err;
  rocksdb_close(db);
  rocksdb_load_latest_options_destroy(db_options, cf_names, cf_options, n);
  const std::string settings = ReadFile(dir_ + "/ELMO-SETTINGS");
  EXPECT_EQ(Count(settings, "\nelmo_autotune=true\n"), 1u) << settings;
  EXPECT_EQ(Count(settings, "\nelmo_interval_sec=30\n"), 1u) << settings;
  EXPECT_EQ(Count(settings, "\noptions_file=" + LatestOptionsName(dir_) + "\n"), 1u) << settings;

  // A newer OPTIONS file with a bad elmo_* value (as an earlier ELMo wrote them): the C API
  // reports it, naming the key.
  WriteFile(dir_ + "/OPTIONS-999999", WithDBOptions("  elmo_interval_sec=0\n"));
  rocksdb_load_latest_options(dir_.c_str(), env, false, cache, &db_options, &n, &cf_names,
                              &cf_options, &err);
  ASSERT_NE(err, nullptr);
  EXPECT_NE(std::string(err).find("elmo_interval_sec=0 is outside"), std::string::npos) << err;
  EXPECT_EQ(db_options, nullptr);
  rocksdb_free(err);
  rocksdb_cache_destroy(cache);
  rocksdb_env_destroy(env);
}

}  // namespace
