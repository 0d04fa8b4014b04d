// calibrate_test.cc — answers in, verdicts and a loadable OPTIONS file out, with RocksDB's own
// parser as the authority (the engine callbacks) and the built-in catalog.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "elmo/calibrate.h"
#include "elmo/engine.h"
#include "rocksdb/cache.h"
#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/options_util.h"

namespace {

elmo_rc CheckValue(void*, elmo_section s, const char* n, const char* v, elmo_error* e) {
  return elmo_engine_check_value(s, n, v, e);
}
elmo_rc CheckText(void*, const char* text, elmo_error* e) {
  return elmo_engine_check_options_text(text, nullptr, e);
}

struct Want {
  const char* key;  // raw key as written in the answer
  elmo_verdict verdict;
  elmo_rc code;          // for rejections
  const char* value;     // normalized value for accepted/unchanged, or nullptr
  const char* reason;    // substring of the reason, or nullptr
};

struct Case {
  const char* title;
  const char* answer;
  std::vector<Want> want;
  uint64_t budget = 0;
  std::vector<const char*> locks;
  bool mutable_only = false;
};

class Calibrate : public ::testing::Test {
 protected:
  void SetUp() override {
    elmo_error err;
    ASSERT_EQ(elmo_catalog_builtin(&cat_, &err), ELMO_OK) << err.message;
    base_ = elmo_optfile_create();
    ASSERT_NE(base_, nullptr);
  }
  void TearDown() override { elmo_optfile_destroy(base_); }

  elmo_calibration* Run(const Case& c) {
    elmo_calibrate_policy p = {};
    p.locks = c.locks.data();
    p.n_locks = c.locks.size();
    p.memory_budget = c.budget;
    p.mutable_only = c.mutable_only;
    p.check_value = CheckValue;
    p.check_text = CheckText;
    elmo_calibration* res = nullptr;
    elmo_error err;
    EXPECT_EQ(elmo_calibrate_answer(cat_, base_, c.answer, strlen(c.answer), &p, &res, &err), ELMO_OK)
        << c.title << ": " << err.message;
    return res;
  }

  const elmo_catalog* cat_ = nullptr;
  elmo_optfile* base_ = nullptr;
};

const elmo_change* Find(const elmo_calibration* r, const char* raw_key) {
  for (size_t i = 0; i < r->count; i++) {
    if (std::string(r->changes[i].raw_key) == raw_key) return &r->changes[i];
  }
  return nullptr;
}

}  // namespace

TEST_F(Calibrate, VerdictsPerChange) {
  const std::vector<Case> cases = {
      {"good fenced block with sections",
       "I raise the memtable and threads.\n```ini\n[DBOptions]\nmax_background_jobs=4\n"
       "[CFOptions \"default\"]\nwrite_buffer_size=128MB\ncompression=lz4\n"
       "[TableOptions/BlockBasedTable \"default\"]\nblock_size=16K\nblock_cache=512MB\n"
       "filter_policy=bloomfilter:10:false\n```\n",
       {{"max_background_jobs", ELMO_VERDICT_ACCEPTED, ELMO_OK, "4", nullptr},
        {"write_buffer_size", ELMO_VERDICT_ACCEPTED, ELMO_OK, "134217728", "read as 134217728"},
        {"compression", ELMO_VERDICT_ACCEPTED, ELMO_OK, "kLZ4Compression", nullptr},
        {"block_size", ELMO_VERDICT_ACCEPTED, ELMO_OK, "16384", nullptr},
        {"block_cache", ELMO_VERDICT_ACCEPTED, ELMO_OK, "536870912", nullptr},
        {"filter_policy", ELMO_VERDICT_ACCEPTED, ELMO_OK, "bloomfilter:10:false", nullptr}}},
      {"unknown name gets a suggestion",
       "```\nwrite_bufer_size=128MB\n```\n",
       {{"write_bufer_size", ELMO_VERDICT_REJECTED, ELMO_ENOTFOUND, nullptr, "did you mean 'write_buffer_size'"}}},
      {"options of other RocksDB versions: gone, or deprecated with no effect",
       "```\ntable_cache_remove_scan_count_limit=16\nsoft_rate_limit=2.5\nmax_background_jobs=3\n```\n",
       {{"table_cache_remove_scan_count_limit", ELMO_VERDICT_REJECTED, ELMO_ENOTFOUND, nullptr,
         "not a RocksDB 7.8.3 option"},
        {"soft_rate_limit", ELMO_VERDICT_REJECTED, ELMO_EINVAL, nullptr,
         "deprecated in RocksDB 7.8.3 and has no effect: removed in RocksDB 7.0; use soft_pending"},
        {"max_background_jobs", ELMO_VERDICT_ACCEPTED, ELMO_OK, "3", nullptr}}},
      {"out of range is rejected with the range, not clamped",
       "```\nmax_background_jobs=1000\nblock_size=100\n```\n",
       {{"max_background_jobs", ELMO_VERDICT_REJECTED, ELMO_ERANGE, nullptr, "[1, 64]"},
        {"block_size", ELMO_VERDICT_REJECTED, ELMO_ERANGE, nullptr, "outside the allowed range"}}},
      {"locked options",
       "```\ncomparator=rocksdb.ReverseBytewiseComparator\nparanoid_checks=false\nchecksum=kNoChecksum\n"
       "disable_auto_compactions=true\n```\n",
       {{"comparator", ELMO_VERDICT_REJECTED, ELMO_ELOCKED, nullptr, "locked"},
        {"paranoid_checks", ELMO_VERDICT_REJECTED, ELMO_ELOCKED, nullptr, "locked"},
        {"checksum", ELMO_VERDICT_REJECTED, ELMO_ELOCKED, nullptr, "locked"},
        {"disable_auto_compactions", ELMO_VERDICT_REJECTED, ELMO_ELOCKED, nullptr, "locked"}}},
      {"user pins",
       "```\ncompression=kZSTD\nuse_direct_reads=true\nmax_background_jobs=4\n```\n",
       {{"compression", ELMO_VERDICT_REJECTED, ELMO_ELOCKED, nullptr, "pinned by the user"},
        {"use_direct_reads", ELMO_VERDICT_REJECTED, ELMO_ELOCKED, nullptr, "pinned by the user"},
        {"max_background_jobs", ELMO_VERDICT_ACCEPTED, ELMO_OK, "4", nullptr}},
       0, {"compression", "use_direct_reads"}},
      {"num_levels may grow but not shrink",
       "```\nnum_levels=4\n```\n",
       {{"num_levels", ELMO_VERDICT_REJECTED, ELMO_ERANGE, nullptr, "may not decrease"}}},
      {"DB option under [CFOptions] is moved, and says so",
       "```\n[CFOptions \"default\"]\nmax_background_jobs=6\n```\n",
       {{"max_background_jobs", ELMO_VERDICT_ACCEPTED, ELMO_OK, "6", "belongs in [DBOptions]"}}},
      {"db_bench flag spellings",
       "Run with: --cache_size=1GB --bloom_bits=12 --open_files=5000\n```\n--cache_size=1GB\n"
       "--bloom_bits=12\n--open_files=5000\n```\n",
       {{"cache_size", ELMO_VERDICT_ACCEPTED, ELMO_OK, "1073741824", "read as block_cache"},
        {"bloom_bits", ELMO_VERDICT_ACCEPTED, ELMO_OK, "bloomfilter:12:false", nullptr},
        {"open_files", ELMO_VERDICT_ACCEPTED, ELMO_OK, "5000", nullptr}}},
      {"L0 trigger order",
       "```\nlevel0_slowdown_writes_trigger=2\nlevel0_stop_writes_trigger=40\n```\n",
       {{"level0_slowdown_writes_trigger", ELMO_VERDICT_REJECTED, ELMO_ERANGE, nullptr,
         "must be at most"},
        {"level0_stop_writes_trigger", ELMO_VERDICT_ACCEPTED, ELMO_OK, "40", nullptr}}},
      {"memory budget",
       "```\nblock_cache=1GB\nmax_background_jobs=4\n```\n",
       {{"block_cache", ELMO_VERDICT_REJECTED, ELMO_EBUDGET, nullptr, "over the memory budget"},
        {"max_background_jobs", ELMO_VERDICT_ACCEPTED, ELMO_OK, "4", nullptr}},
       512ull << 20},
      {"RocksDB's parser has the last word",
       "```\ncompaction_options_universal={size_ratio=abc}\nmax_background_jobs=5\n```\n",
       {{"compaction_options_universal", ELMO_VERDICT_REJECTED, ELMO_EINVAL, nullptr, "RocksDB"},
        {"max_background_jobs", ELMO_VERDICT_ACCEPTED, ELMO_OK, "5", nullptr}}},
      {"realtime: only mutable options",
       "```\nuse_direct_reads=true\nwrite_buffer_size=32MB\n```\n",
       {{"use_direct_reads", ELMO_VERDICT_REJECTED, ELMO_ELOCKED, nullptr, "needs a reopen"},
        {"write_buffer_size", ELMO_VERDICT_ACCEPTED, ELMO_OK, "33554432", nullptr}},
       0, {}, true},
      {"restating a locked option's current value is harmless",
       "```\ncomparator=leveldb.BytewiseComparator\nwal_recovery_mode=kPointInTimeRecovery\n```\n",
       {{"comparator", ELMO_VERDICT_UNCHANGED, ELMO_OK, "leveldb.BytewiseComparator", nullptr},
        {"wal_recovery_mode", ELMO_VERDICT_UNCHANGED, ELMO_OK, "kPointInTimeRecovery", nullptr}}},
      // Found by the fuzzer: a later restatement of the base value must undo an earlier change.
      {"a later restatement of the base value supersedes an earlier change",
       "```\n[DBOptions]\nmax_background_jobs=8\n[CFOptions \"default\"]\nmax-background-jobs=2\n```\n",
       {{"max_background_jobs", ELMO_VERDICT_REJECTED, ELMO_EINVAL, nullptr, "superseded by"},
        {"max-background-jobs", ELMO_VERDICT_UNCHANGED, ELMO_OK, "2", nullptr}}},
      {"same as the base is unchanged; unreadable values are rejected",
       "```\nwrite_buffer_size=64MB\nmax_background_jobs=lots\nenable_pipelined_write=maybe\n```\n",
       {{"write_buffer_size", ELMO_VERDICT_UNCHANGED, ELMO_OK, "67108864", nullptr},
        {"max_background_jobs", ELMO_VERDICT_REJECTED, ELMO_EPARSE, nullptr, nullptr},
        {"enable_pipelined_write", ELMO_VERDICT_REJECTED, ELMO_EPARSE, nullptr, "true or false"}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.title);
    elmo_calibration* r = Run(c);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->count, c.want.size());
    for (const auto& w : c.want) {
      SCOPED_TRACE(w.key);
      const elmo_change* ch = Find(r, w.key);
      ASSERT_NE(ch, nullptr);
      EXPECT_EQ(ch->verdict, w.verdict) << (ch->reason ? ch->reason : "");
      if (w.verdict == ELMO_VERDICT_REJECTED) EXPECT_EQ(ch->code, w.code) << ch->reason;
      if (w.value != nullptr) EXPECT_STREQ(ch->value, w.value);
      if (w.reason != nullptr) {
        ASSERT_NE(ch->reason, nullptr);
        EXPECT_NE(std::string(ch->reason).find(w.reason), std::string::npos) << ch->reason;
      }
      // A rejected change never reaches the merged file.
      if (w.verdict == ELMO_VERDICT_REJECTED && ch->name != nullptr) {
        const char* in_merged = elmo_optfile_get(r->merged, ch->section, ch->cf, ch->name);
        const char* in_base = elmo_optfile_get(base_, ch->section, ch->cf, ch->name);
        EXPECT_EQ(in_merged == nullptr, in_base == nullptr);
        if (in_merged && in_base) EXPECT_STREQ(in_merged, in_base);
      }
    }
    if (c.budget > 0) EXPECT_LE(r->memory.total, c.budget);
    elmo_calibration_destroy(r);
  }
}

TEST_F(Calibrate, ProseOnlyIsAClearError) {
  elmo_calibrate_policy p = {};
  elmo_calibration* r = nullptr;
  elmo_error err;
  const char* prose = "I would increase the write buffer and use more threads. It depends.";
  EXPECT_EQ(elmo_calibrate_answer(cat_, base_, prose, strlen(prose), &p, &r, &err), ELMO_EPARSE);
  EXPECT_EQ(r, nullptr);
  EXPECT_STRNE(err.message, "");
}

// The merged file loads with RocksDB's LoadOptionsFromFile, opens a DB, and carries what
// RocksDB's own writer drops: the block cache capacity and the filter policy.
TEST_F(Calibrate, MergedFileLoadsAndOpens) {
  Case c{"merged",
         "```\n[DBOptions]\nmax_background_jobs=4\nbytes_per_sync=1MB\n[CFOptions \"default\"]\n"
         "write_buffer_size=32MB\nmax_write_buffer_number=3\ncompression=kLZ4Compression\n"
         "[TableOptions/BlockBasedTable \"default\"]\nblock_cache=96MB\nblock_size=8K\n"
         "filter_policy=bloomfilter:10:false\ncache_index_and_filter_blocks=true\n```\n",
         {}};
  elmo_calibration* r = Run(c);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->n_accepted, 9u);
  const std::string path = std::string(ELMO_TEST_WORK) + "/calibrated.ini";
  elmo_error err;
  ASSERT_EQ(elmo_optfile_save(r->merged, path.c_str(), &err), ELMO_OK) << err.message;
  elmo_calibration_destroy(r);

  rocksdb::DBOptions db;
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  rocksdb::ConfigOptions cfg;
  cfg.ignore_unknown_options = false;
  ASSERT_TRUE(rocksdb::LoadOptionsFromFile(cfg, path, &db, &cfs).ok());
  ASSERT_EQ(cfs.size(), 1u);
  EXPECT_EQ(db.max_background_jobs, 4);
  EXPECT_EQ(db.bytes_per_sync, 1u << 20);
  EXPECT_EQ(cfs[0].options.write_buffer_size, 32u << 20);
  EXPECT_EQ(cfs[0].options.compression, rocksdb::kLZ4Compression);
  auto* t = cfs[0].options.table_factory->GetOptions<rocksdb::BlockBasedTableOptions>();
  ASSERT_NE(t, nullptr);
  ASSERT_NE(t->block_cache, nullptr);
  EXPECT_EQ(t->block_cache->GetCapacity(), 96u << 20);
  EXPECT_EQ(t->block_size, 8192u);
  ASSERT_NE(t->filter_policy, nullptr);
  EXPECT_TRUE(t->cache_index_and_filter_blocks);

  const std::string dir = std::string(ELMO_TEST_WORK) + "/calibrated-db";
  db.create_if_missing = true;
  rocksdb::Options destroy(db, cfs[0].options);
  rocksdb::DestroyDB(dir, destroy);
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(db, dir, cfs, &handles, &raw).ok());
  ASSERT_TRUE(raw->Put({}, "k", "v").ok());
  for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
  delete raw;
}
