// tuned_overlay_test.cc — elmo_tuned_options through the real library: a tuned OPTIONS file laid
// over options a program sets in code (values changed, the program's objects kept, the DB's own
// OPTIONS file and LOG showing it), the calibrator's and the catalog's refusals, and every bad
// FILE a LOG line with the DB opened on the program's options (or a failed open with elmo_strict).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/merge_operator.h"
#include "rocksdb/options.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/options_util.h"
#include "file_text.h"

namespace {

using elmo_test::ReadFile;
using elmo_test::WriteFile;

namespace fs = std::filesystem;
namespace r = rocksdb;

// The "[elmo] ..." lines of a LOG.
std::string ElmoLines(const std::string& log) {
  std::istringstream in(log);
  std::string line, out;
  while (std::getline(in, line)) {
    if (line.find("[elmo]") != std::string::npos) out += line + "\n";
  }
  return out;
}

// The program's own merge operator: an object only its code provides.
class Concat : public r::AssociativeMergeOperator {
 public:
  bool Merge(const r::Slice&, const r::Slice* existing, const r::Slice& value, std::string* out,
             r::Logger*) const override {
    *out = existing != nullptr ? existing->ToString() + "," + value.ToString() : value.ToString();
    return true;
  }
  const char* Name() const override { return "TestConcat"; }
};

// A program that sets its options in code.
r::Options ProgramOptions() {
  r::Options o;
  o.create_if_missing = true;
  o.write_buffer_size = 8 << 20;
  o.max_background_jobs = 2;
  o.merge_operator = std::make_shared<Concat>();
  r::BlockBasedTableOptions t;
  t.block_size = 4096;
  o.table_factory.reset(r::NewBlockBasedTableFactory(t));
  return o;
}

class TunedOverlay : public testing::Test {
 protected:
  void SetUp() override {
    unsetenv("ELMO_OPTIONS");
    unsetenv("ELMO_CONFIG");
    const auto* info = testing::UnitTest::GetInstance()->current_test_info();
    work_ = std::string(ELMO_TEST_WORK) + "/tuned-overlay-" + info->name();
    fs::remove_all(work_);
    fs::create_directories(work_);
    dir_ = work_ + "/db";
    tuned_ = work_ + "/best.ini";
    WriteTunedFile();
  }
  void TearDown() override {
    db_.reset();
    unsetenv("ELMO_OPTIONS");
    if (!HasFailure()) fs::remove_all(work_);
  }

  // A whole OPTIONS file, as elmotune leaves one: a DB's own file after an open with the tuned
  // values (32 MiB memtables, 4 background jobs, 16 KiB blocks, a Bloom filter).
  void WriteTunedFile() {
    r::Options o;
    o.create_if_missing = true;
    o.write_buffer_size = 32 << 20;
    o.max_background_jobs = 4;
    r::BlockBasedTableOptions t;
    t.block_size = 16384;
    t.filter_policy.reset(r::NewBloomFilterPolicy(10));
    o.table_factory.reset(r::NewBlockBasedTableFactory(t));
    r::DB* raw = nullptr;
    const std::string src = work_ + "/tuned-src";
    ASSERT_TRUE(r::DB::Open(o, src, &raw).ok());
    delete raw;
    std::string name;
    ASSERT_TRUE(r::GetLatestOptionsFileName(src, r::Env::Default(), &name).ok());
    fs::copy_file(src + "/" + name, tuned_);
  }

  r::Status Open(const std::string& elmo_options) {
    setenv("ELMO_OPTIONS", elmo_options.c_str(), 1);
    r::DB* raw = nullptr;
    r::Status s = r::DB::Open(ProgramOptions(), dir_, &raw);
    db_.reset(raw);
    return s;
  }
  std::string Log() const { return ReadFile(dir_ + "/LOG"); }
  const r::BlockBasedTableOptions* TableOptions() {
    return db_->GetOptions().table_factory->GetOptions<r::BlockBasedTableOptions>();
  }

  std::string work_, dir_, tuned_;
  std::unique_ptr<r::DB> db_;
};

TEST_F(TunedOverlay, TheTunedValuesAreLaidOverTheProgramsOptions) {
  r::Status s = Open("elmo_tuned_options=" + tuned_);
  ASSERT_TRUE(s.ok()) << s.ToString();
  const r::Options got = db_->GetOptions();
  EXPECT_EQ(got.write_buffer_size, 32u << 20);
  EXPECT_EQ(db_->GetDBOptions().max_background_jobs, 4);
  ASSERT_NE(TableOptions(), nullptr);
  EXPECT_EQ(TableOptions()->block_size, 16384u);
  ASSERT_NE(TableOptions()->filter_policy, nullptr);
  // The program's own objects stay: its merge operator still merges.
  ASSERT_NE(got.merge_operator, nullptr);
  EXPECT_STREQ(got.merge_operator->Name(), "TestConcat");
  ASSERT_TRUE(db_->Merge({}, "k", "a").ok());
  ASSERT_TRUE(db_->Merge({}, "k", "b").ok());
  std::string v;
  ASSERT_TRUE(db_->Get({}, "k", &v).ok());
  EXPECT_EQ(v, "a,b");
  db_.reset();  // the LOG is buffered until Close

  const std::string log = Log();
  EXPECT_NE(log.find("[elmo] tuned: write_buffer_size (CFOptions \"default\"): 8388608 -> 33554432"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("[elmo] tuned: max_background_jobs (DBOptions): 2 -> 4"), std::string::npos) << log;
  // Only what the tuned file chose: the program's merge operator against the file's default
  // (nullptr) is no candidate, nor are values RocksDB derives (ttl, arena_block_size, ...).
  const std::string elmo = ElmoLines(log);
  EXPECT_EQ(elmo.find("merge_operator"), std::string::npos) << elmo;
  EXPECT_EQ(elmo.find("arena_block_size"), std::string::npos) << elmo;
  EXPECT_NE(log.find("best.ini: 4 of 4 differing values applied"), std::string::npos) << log;
  EXPECT_NE(log.find("[elmo] elmo_tuned_options=" + tuned_ + " from ELMO_OPTIONS"), std::string::npos)
      << log;
  // The journal has a record of each: option, section, column family, the program's value, the
  // tuned value.
  const std::string journal = ReadFile(dir_ + "/elmo_journal.jsonl");
  EXPECT_NE(journal.find("{\"ts\":"), std::string::npos) << journal;
  EXPECT_NE(journal.find("\"event\":\"tuned_options\",\"file\":\"" + tuned_ +
                         "\",\"option\":\"write_buffer_size\",\"section\":\"CFOptions\","
                         "\"cf\":\"default\",\"from\":\"8388608\",\"to\":\"33554432\","
                         "\"applied\":true}"),
            std::string::npos)
      << journal;
  // The DB's own OPTIONS file shows the tuned values.
  std::string name;
  ASSERT_TRUE(r::GetLatestOptionsFileName(dir_, r::Env::Default(), &name).ok());
  const std::string text = ReadFile(dir_ + "/" + name);
  EXPECT_NE(text.find("  write_buffer_size=33554432\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  block_size=16384\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  merge_operator=TestConcat\n"), std::string::npos) << text;
}

// Values the calibrator refuses stay as the program had them; the rest are applied.
TEST_F(TunedOverlay, RefusedValuesAreLogLinesAndTheRestApplies) {
  std::string text = ReadFile(tuned_);
  auto put = [&text](const std::string& key, const std::string& value) {
    size_t at = text.find("\n  " + key + "=");
    ASSERT_NE(at, std::string::npos) << key;
    size_t end = text.find('\n', at + 1);
    text.replace(at, end - at, "\n  " + key + "=" + value);
  };
  put("max_background_jobs", "100000");  // outside the catalog's range
  put("paranoid_checks", "false");       // locked: correctness
  WriteFile(tuned_, text);
  ASSERT_TRUE(Open("elmo_tuned_options=" + tuned_).ok());
  EXPECT_EQ(db_->GetDBOptions().max_background_jobs, 2);
  EXPECT_TRUE(db_->GetDBOptions().paranoid_checks);
  EXPECT_EQ(db_->GetOptions().write_buffer_size, 32u << 20);
  db_.reset();
  const std::string log = Log();
  EXPECT_NE(log.find("[elmo] not tuned: max_background_jobs"), std::string::npos) << log;
  EXPECT_NE(log.find("[elmo] not tuned: paranoid_checks (DBOptions): true -> false: not applied: "
                     "locked"),
            std::string::npos)
      << log;
}

// A FILE that is missing, unreadable or not an OPTIONS file never stops the program.
TEST_F(TunedOverlay, ABadFileIsALogLineAndTheProgramsOptionsStay) {
  struct Case {
    std::string file, content, message;
  };
  const Case cases[] = {
      {work_ + "/missing.ini", "", "elmo_tuned_options=" + work_ + "/missing.ini"},
      {work_ + "/garbage.ini", "this is not an options file\n\x01\x02", "elmo_tuned_options="},
      {work_ + "/bad-value.ini", "", "write_buffer_size"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    if (!c.content.empty()) WriteFile(c.file, c.content);
    if (c.file.find("bad-value") != std::string::npos) {
      std::string text = ReadFile(tuned_);
      text.replace(text.find("  write_buffer_size="), 20, "  write_buffer_size=lots");
      WriteFile(c.file, text);
    }
    fs::remove_all(dir_);
    ASSERT_TRUE(Open("elmo_tuned_options=" + c.file).ok());
    EXPECT_EQ(db_->GetOptions().write_buffer_size, 8u << 20);
    EXPECT_EQ(TableOptions()->block_size, 4096u);
    ASSERT_TRUE(db_->Put({}, "k", "v").ok());
    db_.reset();
    const std::string log = Log();
    EXPECT_NE(log.find("[elmo] skipped: "), std::string::npos) << log;
    EXPECT_NE(log.find(c.message), std::string::npos) << log;
    EXPECT_NE(log.find("the DB opens with the program's own options"), std::string::npos) << log;
  }
}

TEST_F(TunedOverlay, StrictMakesAMissingFileAFailedOpen) {
  r::Status s = Open("elmo_strict=true;elmo_tuned_options=" + work_ + "/missing.ini");
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_NE(s.ToString().find("missing.ini"), std::string::npos) << s.ToString();
  EXPECT_EQ(db_, nullptr);
}

}  // namespace
