// realtime_options_test.cc — the realtime tuner's elmo_* [DBOptions] keys through the real
// library: LoadOptionsFromFile -> DB::Open -> the DB's own OPTIONS-NNNNNN file, LoadLatestOptions,
// and the C API's rocksdb_load_latest_options.
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

namespace {

namespace r = rocksdb;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  ASSERT_TRUE(out.good()) << path;
}

// The text of the DB's newest OPTIONS-NNNNNN file.
std::string LatestOptionsText(const std::string& dir) {
  std::string name;
  r::Status s = r::GetLatestOptionsFileName(dir, r::Env::Default(), &name);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return ReadFile(dir + "/" + name);
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

TEST_F(RealtimeOptions, TheDBWritesTheKeysBack) {
  r::Status s = LoadAndOpen(WithDBOptions("  elmo_autotune=true\n  elmo_interval_sec=30\n"));
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_TRUE(db_->Put({}, "k", "v").ok());
  std::string text = LatestOptionsText(dir_);
  EXPECT_EQ(Count(text, "\n  elmo_autotune=true\n"), 1u) << text;
  EXPECT_EQ(Count(text, "\n  elmo_interval_sec=30\n"), 1u) << text;
  EXPECT_EQ(Count(text, "elmo_"), 2u) << text;  // defaults are not written
  EXPECT_EQ(text.find("ElmoTuner"), std::string::npos) << text;  // not as a listener

  // SetDBOptions rewrites the file: the keys stay.
  ASSERT_TRUE(db_->SetDBOptions({{"max_background_jobs", "3"}}).ok());
  text = LatestOptionsText(dir_);
  EXPECT_EQ(Count(text, "\n  elmo_autotune=true\n"), 1u) << text;

  // Close, LoadLatestOptions, reopen: written once again, not twice.
  Close();
  r::DBOptions db_opt;
  std::vector<r::ColumnFamilyDescriptor> cfs;
  ASSERT_TRUE(r::LoadLatestOptions(Strict(), dir_, &db_opt, &cfs).ok());
  EXPECT_EQ(db_opt.listeners.size(), 1u);
  ASSERT_TRUE(Open(db_opt, cfs).ok());
  text = LatestOptionsText(dir_);
  EXPECT_EQ(Count(text, "\n  elmo_autotune=true\n"), 1u) << text;
  EXPECT_EQ(Count(text, "\n  elmo_interval_sec=30\n"), 1u) << text;
  std::string v;
  ASSERT_TRUE(db_->Get({}, "k", &v).ok());
  EXPECT_EQ(v, "v");
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
  const std::string text = LatestOptionsText(dir_);
  EXPECT_EQ(Count(text, "\n  elmo_autotune=true\n"), 1u) << text;
  EXPECT_EQ(Count(text, "\n  elmo_interval_sec=30\n"), 1u) << text;

  // A newer OPTIONS file with a bad value: the C API reports it, naming the key.
  std::string bad = text;
  bad.replace(bad.find("elmo_interval_sec=30"), 20, "elmo_interval_sec=0");
  WriteFile(dir_ + "/OPTIONS-999999", bad);
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
