// memory_test.cc — the memory model: every term against numbers computed by hand.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "elmo/memory.h"
#include "elmo/optfile.h"
#include "handles.h"

#ifndef ELMO_TEST_FIXTURES
#error "ELMO_TEST_FIXTURES must name the tests/fixtures directory"
#endif

namespace {

using elmo_test::Optfile;

constexpr uint64_t KiB = 1024, MiB = 1024 * KiB, GiB = 1024 * MiB;

Optfile Load(const char* name) {
  std::string path = std::string(ELMO_TEST_FIXTURES) + "/options/" + name;
  elmo_optfile* f = nullptr;
  elmo_error err;
  EXPECT_EQ(elmo_optfile_load(path.c_str(), &f, &err), ELMO_OK) << err.message;
  return Optfile(f);
}

Optfile Parse(const std::string& text) {
  elmo_optfile* f = nullptr;
  elmo_error err;
  EXPECT_EQ(elmo_optfile_parse(text.data(), text.size(), &f, &err), ELMO_OK) << err.message;
  return Optfile(f);
}

struct Setting {
  elmo_section s;
  const char* cf;
  const char* key;
  const char* value;
};

void Apply(elmo_optfile* f, const std::vector<Setting>& settings) {
  for (const Setting& s : settings) {
    elmo_error err;
    ASSERT_EQ(elmo_optfile_set(f, s.s, s.cf, s.key, s.value, &err), ELMO_OK) << err.message;
  }
}

elmo_memory_breakdown Estimate(const elmo_optfile* f, const elmo_dataset* ds) {
  elmo_memory_breakdown m;
  elmo_error err;
  EXPECT_EQ(elmo_memory_estimate(f, ds, &m, &err), ELMO_OK) << err.message;
  return m;
}

std::string Describe(const elmo_memory_breakdown& m) {
  char* s = elmo_memory_describe(&m);
  std::string r = s ? s : "<NULL>";
  elmo_free(s);
  return r;
}

void ExpectBreakdown(const elmo_memory_breakdown& got, const elmo_memory_breakdown& want) {
  EXPECT_EQ(got.block_cache, want.block_cache);
  EXPECT_EQ(got.memtables, want.memtables);
  EXPECT_EQ(got.table_readers, want.table_readers);
  EXPECT_EQ(got.row_cache, want.row_cache);
  EXPECT_EQ(got.background, want.background);
  EXPECT_EQ(got.fixed, want.fixed);
  EXPECT_EQ(got.total, want.block_cache + want.memtables + want.table_readers + want.row_cache +
                           want.background + want.fixed);
  EXPECT_EQ(got.dataset_known, want.dataset_known);
}

constexpr elmo_section DB = ELMO_SECTION_DB, CF = ELMO_SECTION_CF, TABLE = ELMO_SECTION_TABLE;

// 100 M keys of 16 + 100 bytes: 11.6e9 data bytes, 2,832,031 blocks of 4 KiB.
const elmo_dataset kHundredMillion = {100000000, 16, 100, 0};

}  // namespace

TEST(MemoryEstimate, RocksDBDefaults) {
  // block cache: one 8 MiB LRU per table factory; memtables 64 MiB x 2; background: 2 jobs split
  // into 1 flush + 1 compaction, each buffering min(2 x 64 MiB, 1 MiB) = 1 MiB, no readahead.
  const elmo_memory_breakdown want = {8 * MiB, 128 * MiB, 0, 0, 2 * MiB, 24 * MiB, 0, 0};
  struct Case {
    const char* name;
    Optfile f;
  } cases[] = {
      {"real RocksDB 7.8.3 file", Load("rocksdb-7.8.3-default.ini")},
      {"elmo_optfile_create", Optfile(elmo_optfile_create())},
      {"an empty file", Parse("")},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ASSERT_NE(c.f, nullptr);
    ExpectBreakdown(Estimate(c.f.get(), nullptr), want);
    elmo_dataset unknown = {0, 0, 0, 0};
    ExpectBreakdown(Estimate(c.f.get(), &unknown), want);
    EXPECT_EQ(Describe(Estimate(c.f.get(), nullptr)),
              "162 MiB = block cache 8 MiB + memtables 128 MiB + table readers 0 B (dataset "
              "unknown) + row cache 0 B + background 2 MiB + fixed 24 MiB");
  }
}

TEST(MemoryEstimate, HumanTunedConfig) {
  // index = 2,832,031 blocks x (16 + 24) = 113,281,240; filter = 1e8 x 10 / 8 = 125,000,000.
  const uint64_t kIndexAndFilter = 113281240 + 125000000;
  const std::vector<Setting> tuned = {
      {TABLE, nullptr, "block_cache", "1073741824"},
      {CF, nullptr, "write_buffer_size", "67108864"},
      {CF, nullptr, "max_write_buffer_number", "4"},
      {TABLE, nullptr, "filter_policy", "bloomfilter:10:false"},
  };
  struct Case {
    const char* name;
    std::vector<Setting> extra;
    elmo_memory_breakdown want;
  } cases[] = {
      {"index and filter outside the cache",
       {{TABLE, nullptr, "cache_index_and_filter_blocks", "false"}},
       {1 * GiB, 256 * MiB, kIndexAndFilter, 0, 2 * MiB, 24 * MiB, 0, 1}},
      {"index and filter inside a cache big enough",
       {{TABLE, nullptr, "cache_index_and_filter_blocks", "true"}},
       {1 * GiB, 256 * MiB, 0, 0, 2 * MiB, 24 * MiB, 0, 1}},
      {"index and filter overflowing a 128 MiB cache",
       {{TABLE, nullptr, "cache_index_and_filter_blocks", "true"},
        {TABLE, nullptr, "block_cache", "134217728"}},
       {128 * MiB, 256 * MiB, kIndexAndFilter - 128 * MiB, 0, 2 * MiB, 24 * MiB, 0, 1}},
      {"in the cache, but there is no cache",
       {{TABLE, nullptr, "cache_index_and_filter_blocks", "true"},
        {TABLE, nullptr, "no_block_cache", "true"}},
       {0, 256 * MiB, kIndexAndFilter, 0, 2 * MiB, 24 * MiB, 0, 1}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Optfile f = Load("rocksdb-7.8.3-default.ini");
    Apply(f.get(), tuned);
    Apply(f.get(), c.extra);
    ExpectBreakdown(Estimate(f.get(), &kHundredMillion), c.want);
  }
}

TEST(MemoryEstimate, RealTunedTwoColumnFamilyFile) {
  // Written by RocksDB 7.8.3 with 64 MiB x 4 memtables, 16 KiB blocks, a 10-bit bloom filter
  // (saved as just "bloomfilter"), index/filter in the cache, 4 background jobs, two CFs. The
  // 1 GiB cache it was opened with is not saved, so each CF gets RocksDB's own 8 MiB cache.
  Optfile f = Load("rocksdb-7.8.3-tuned-2cf.ini");
  ASSERT_NE(f, nullptr);
  // 708,007 blocks x 40 + 125,000,000 filter = 153,320,280, minus the 8 MiB cache.
  ExpectBreakdown(Estimate(f.get(), &kHundredMillion),
                  {16 * MiB, 512 * MiB, 153320280 - 8 * MiB, 0, 4 * MiB, 24 * MiB, 0, 1});
  EXPECT_EQ(Describe(Estimate(f.get(), &kHundredMillion)),
            "694.22 MiB = block cache 16 MiB + memtables 512 MiB + table readers 138.22 MiB + row "
            "cache 0 B + background 4 MiB + fixed 24 MiB");
}

TEST(MemoryEstimate, FilterBitsPerKey) {
  // 8 M keys and 1 byte of data: the index term is 0 and the filter is 1000 x millibits bytes.
  const elmo_dataset ds = {8000000, 0, 0, 1};
  struct Case {
    const char* filter_policy;
    uint64_t want;
  } cases[] = {
      {"bloomfilter:10:false", 10000000},
      {"bloomfilter:9.5:false", 9500000},
      {"bloomfilter:7.25", 7250000},
      {"rocksdb.BloomFilter:6", 6000000},
      {"ribbonfilter:10:-1", 10000000},
      {"ribbonfilter:12", 12000000},
      {"rocksdb.BuiltinBloomFilter", 10000000},
      {"bloomfilter", 10000000},
      {"bloomfilter:0.4:false", 0},
      {"nullptr", 0},
      {"", 0},
      {"my.CustomFilter:10", 0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.filter_policy);
    Optfile f(elmo_optfile_create());
    Apply(f.get(), {{TABLE, nullptr, "filter_policy", c.filter_policy}});
    EXPECT_EQ(Estimate(f.get(), &ds).table_readers, c.want);
  }
}

TEST(MemoryEstimate, IndexTerm) {
  struct Case {
    const char* name;
    elmo_dataset ds;
    const char* block_size;
    uint64_t want;
  } cases[] = {
      {"data from keys x (k + v)", {1000000, 16, 4080, 0}, "4096", 1000000 * 40},
      {"on-disk bytes win", {1000000, 16, 4080, 409600}, "4096", 100 * 40},
      {"bigger blocks", {1000000, 16, 4080, 0}, "16384", 250000 * 40},
      {"unparsable block size: default", {1000000, 16, 4080, 0}, "16k", 1000000 * 40},
      {"zero block size: default", {1000000, 16, 4080, 0}, "0", 1000000 * 40},
      {"key size unknown", {1000000, 0, 4096, 0}, "4096", 1000000 * 24},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Optfile f(elmo_optfile_create());
    Apply(f.get(), {{TABLE, nullptr, "block_size", c.block_size}});
    elmo_memory_breakdown m = Estimate(f.get(), &c.ds);
    EXPECT_EQ(m.table_readers, c.want);
    EXPECT_EQ(m.dataset_known, 1);
  }
}

TEST(MemoryEstimate, BlockCacheAcrossColumnFamilies) {
  struct Case {
    const char* name;
    std::vector<Setting> settings;
    uint64_t want;
  } cases[] = {
      {"no_block_cache", {{TABLE, nullptr, "no_block_cache", "true"}}, 0},
      {"capacity in bytes", {{TABLE, nullptr, "block_cache", "1073741824"}}, 1 * GiB},
      {"LRU options string",
       {{TABLE, nullptr, "block_cache", "{capacity=536870912;num_shard_bits=6}"}},
       512 * MiB},
      {"capacity first",
       {{TABLE, nullptr, "block_cache", "capacity=33554432;num_shard_bits=4"}},
       32 * MiB},
      {"unparsable: RocksDB's default", {{TABLE, nullptr, "block_cache", "1GB"}}, 8 * MiB},
      {"two CFs, each with its own default", {{CF, "users", "w", "1"}}, 16 * MiB},
      {"two CFs sharing one cache",
       {{TABLE, nullptr, "block_cache", "1073741824"},
        {TABLE, "users", "block_cache", "1073741824"}},
       1 * GiB},
      {"two CFs with different caches",
       {{TABLE, nullptr, "block_cache", "1073741824"},
        {TABLE, "users", "block_cache", "268435456"}},
       1 * GiB + 256 * MiB},
      {"shared cache plus a default one",
       {{TABLE, nullptr, "block_cache", "1073741824"},
        {TABLE, "users", "block_cache", "1073741824"},
        {CF, "logs", "w", "1"}},
       1 * GiB + 8 * MiB},
      {"a PlainTable CF has no block cache",
       {{CF, nullptr, "table_factory", "PlainTable"}, {TABLE, "users", "block_cache", "1048576"}},
       1 * MiB},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Optfile f(elmo_optfile_create());
    Apply(f.get(), c.settings);
    EXPECT_EQ(Estimate(f.get(), nullptr).block_cache, c.want);
  }
}

TEST(MemoryEstimate, Memtables) {
  struct Case {
    const char* name;
    std::vector<Setting> settings;
    uint64_t want;
  } cases[] = {
      {"256 MiB x 3",
       {{CF, nullptr, "write_buffer_size", "268435456"},
        {CF, nullptr, "max_write_buffer_number", "3"}},
       768 * MiB},
      {"RocksDB raises 1 buffer to 2", {{CF, nullptr, "max_write_buffer_number", "1"}}, 128 * MiB},
      {"RocksDB clips tiny buffers to 64 KiB",
       {{CF, nullptr, "write_buffer_size", "1000"}},
       128 * KiB},
      {"summed over CFs", {{CF, "users", "write_buffer_size", "33554432"}}, 128 * MiB + 64 * MiB},
      {"capped by db_write_buffer_size",
       {{CF, "users", "write_buffer_size", "33554432"},
        {DB, nullptr, "db_write_buffer_size", "104857600"}},
       100 * MiB},
      {"cap above the sum changes nothing",
       {{DB, nullptr, "db_write_buffer_size", "1073741824"}},
       128 * MiB},
      {"unparsable: defaults",
       {{CF, nullptr, "write_buffer_size", "64MB"},
        {CF, nullptr, "max_write_buffer_number", "four"}},
       128 * MiB},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Optfile f(elmo_optfile_create());
    Apply(f.get(), c.settings);
    EXPECT_EQ(Estimate(f.get(), nullptr).memtables, c.want);
  }
}

TEST(MemoryEstimate, BackgroundJobs) {
  struct Case {
    const char* name;
    std::vector<Setting> settings;
    uint64_t want;
  } cases[] = {
      {"8 jobs: 2 flushes + 6 compactions", {{DB, nullptr, "max_background_jobs", "8"}}, 8 * MiB},
      {"1 job still runs a flush and a compaction",
       {{DB, nullptr, "max_background_jobs", "1"}},
       2 * MiB},
      {"legacy limits", {{DB, nullptr, "max_background_flushes", "3"}}, 4 * MiB},
      {"readahead per compaction",
       {{DB, nullptr, "compaction_readahead_size", "2097152"}},
       1 * MiB + 3 * MiB},
      {"direct reads imply 2 MiB readahead",
       {{DB, nullptr, "use_direct_reads", "true"}},
       1 * MiB + 3 * MiB},
      {"subcompactions", {{DB, nullptr, "max_subcompactions", "4"}}, 1 * MiB + 4 * MiB},
      {"small target files", {{CF, nullptr, "target_file_size_base", "262144"}}, 2 * 512 * KiB},
      {"bigger write buffer",
       {{DB, nullptr, "writable_file_max_buffer_size", "4194304"}},
       2 * 4 * MiB},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Optfile f(elmo_optfile_create());
    Apply(f.get(), c.settings);
    EXPECT_EQ(Estimate(f.get(), nullptr).background, c.want);
  }
}

TEST(MemoryEstimate, RowCache) {
  struct Case {
    const char* value;
    uint64_t want;
  } cases[] = {{"268435456", 256 * MiB}, {"capacity=1048576", 1 * MiB}, {"lots", 0}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.value);
    Optfile f(elmo_optfile_create());
    Apply(f.get(), {{DB, nullptr, "row_cache", c.value}});
    elmo_memory_breakdown m = Estimate(f.get(), nullptr);
    EXPECT_EQ(m.row_cache, c.want);
    EXPECT_EQ(m.total, 162 * MiB + c.want);
  }
}

TEST(MemoryEstimate, BadArguments) {
  elmo_memory_breakdown m;
  m.total = 123;
  elmo_error err;
  EXPECT_EQ(elmo_memory_estimate(nullptr, nullptr, &m, &err), ELMO_EINVAL);
  EXPECT_EQ(m.total, 0u);
  Optfile f(elmo_optfile_create());
  EXPECT_EQ(elmo_memory_estimate(f.get(), nullptr, nullptr, nullptr), ELMO_EINVAL);
  EXPECT_EQ(elmo_memory_describe(nullptr), nullptr);
}

TEST(MemoryEstimate, HugeValuesSaturate) {
  Optfile f(elmo_optfile_create());
  Apply(f.get(), {{TABLE, nullptr, "block_cache", "18446744073709551615"}});
  elmo_memory_breakdown m = Estimate(f.get(), nullptr);
  EXPECT_EQ(m.block_cache, UINT64_MAX);
  EXPECT_EQ(m.total, UINT64_MAX);
}
