// trace_recency_test.cc — the recency of reads in the trace summary (trace.h,
// elmo_trace_recency): exact ranks and pools on a tiny hand-built trace read through the reader,
// the insertion indices kept in the write class's exact table only, and the bounded behaviour
// past exact_key_limit (recording stops, says so, and nothing breaks).
#include <cjson/cJSON.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "elmo/trace.h"
#include "trace_builder.h"
#include "trace_characterize.h"

namespace {

using elmo_test::Batch;
using elmo_test::Summary;
using elmo_test::TraceBuilder;

Summary Characterize(const std::string& bytes, uint32_t exact_keys = 0) {
  return elmo_test::CharacterizeTrace(bytes, 1, exact_keys);
}

// A histogram as value -> count (every bucket below 64 holds one value).
std::map<uint64_t, uint64_t> Exact(const elmo_trace_hist& h) {
  std::map<uint64_t, uint64_t> m;
  for (size_t i = 0; i < h.n_buckets; i++) {
    EXPECT_EQ(h.buckets[i].lo, h.buckets[i].hi) << "bucket " << i << " is not exact";
    m[h.buckets[i].lo] = h.buckets[i].count;
  }
  return m;
}

std::string Key(int i) { return "key" + std::to_string(1000 + i); }

TEST(TraceRecency, TinyTraceHasExactRanksAndPools) {
  TraceBuilder t;
  uint64_t ts = 1000;
  t.Begin(ts);
  t.Get(++ts, "d");                                // d not inserted yet
  t.Write(++ts, Batch().Put("a", "1").Put("b", "2"));  // a = 1, b = 2
  t.Get(++ts, "b");                                // rank 1, pool 2
  t.Get(++ts, "a");                                // rank 2, pool 2
  t.Get(++ts, "z");                                // never written
  t.Write(++ts, Batch().Merge("c", "3"));          // c = 3 (a merge inserts too)
  t.Write(++ts, Batch().Put("a", "4").Delete("z"));  // a again, z deleted: no new insert
  t.MultiGet(++ts, {"a", "c", "z"});               // rank 3 / 1, pool 3; z not inserted
  t.Seek(++ts, false, "b");                        // rank 2, pool 3
  t.Write(++ts, Batch().Put("d", "5"));            // d = 4
  t.Seek(++ts, true, "d");                         // rank 1, pool 4
  t.Get(++ts, "a");                                // rank 4, pool 4
  t.End(++ts);
  Summary sum = Characterize(t.bytes);
  ASSERT_TRUE(sum);
  const elmo_trace_recency& r = sum->recency;
  EXPECT_EQ(1, r.exact);
  EXPECT_EQ(0u, r.stopped_at_op);
  EXPECT_EQ(4u, r.inserts);
  EXPECT_EQ(10u, r.reads);
  EXPECT_EQ(7u, r.reads_inserted);
  EXPECT_EQ(3u, r.reads_not_inserted);
  EXPECT_EQ(0u, r.reads_untracked);
  std::map<uint64_t, uint64_t> ranks{{1, 3}, {2, 2}, {3, 1}, {4, 1}};
  std::map<uint64_t, uint64_t> pools{{2, 2}, {3, 3}, {4, 2}};
  EXPECT_EQ(ranks, Exact(r.ranks));
  EXPECT_EQ(pools, Exact(r.pool));
  EXPECT_EQ(7u, r.ranks.count);
  EXPECT_EQ(1u, r.ranks.min);
  EXPECT_EQ(4u, r.ranks.max);

  char* json = nullptr;
  ASSERT_EQ(ELMO_OK, elmo_trace_summary_to_json(sum.get(), &json, nullptr));
  cJSON* o = cJSON_Parse(json);
  elmo_free(json);
  ASSERT_NE(o, nullptr);
  const cJSON* rec = cJSON_GetObjectItem(o, "recency");
  ASSERT_NE(rec, nullptr);
  EXPECT_EQ(7, cJSON_GetObjectItem(rec, "reads_inserted")->valuedouble);
  EXPECT_EQ(3, cJSON_GetObjectItem(rec, "reads_not_inserted")->valuedouble);
  EXPECT_EQ(7, cJSON_GetObjectItem(cJSON_GetObjectItem(rec, "ranks"), "count")->valuedouble);
  EXPECT_TRUE(cJSON_IsTrue(cJSON_GetObjectItem(rec, "exact")));
  cJSON_Delete(o);
}

// Large ranks land in the 12.5% buckets: the newest of 1000 keys is rank 1, the oldest 1000.
TEST(TraceRecency, LargeRanksUseLogBuckets) {
  TraceBuilder t;
  uint64_t ts = 1000;
  t.Begin(ts);
  for (int i = 0; i < 1000; i++) t.Write(++ts, Batch().Put(Key(i), "v"));
  t.Get(++ts, Key(999));
  t.Get(++ts, Key(0));
  t.Get(++ts, Key(900));  // rank 100
  Summary sum = Characterize(t.bytes);
  const elmo_trace_recency& r = sum->recency;
  EXPECT_EQ(3u, r.reads_inserted);
  EXPECT_EQ(1u, r.ranks.min);
  EXPECT_EQ(1000u, r.ranks.max);
  ASSERT_EQ(3u, r.ranks.n_buckets);
  EXPECT_EQ(1u, r.ranks.buckets[0].lo);
  EXPECT_LE(r.ranks.buckets[1].lo, 100u);
  EXPECT_GE(r.ranks.buckets[1].hi, 100u);
  EXPECT_LT(r.ranks.buckets[1].hi - r.ranks.buckets[1].lo, 100u / 8 + 1);
  EXPECT_LE(r.ranks.buckets[2].lo, 1000u);
  EXPECT_GE(r.ranks.buckets[2].hi, 1000u);
  ASSERT_EQ(1u, r.pool.n_buckets);
  EXPECT_EQ(3u, r.pool.buckets[0].count);
  EXPECT_EQ(1000u, r.pool.min);
}

// Past exact_key_limit distinct written keys the write class's table (and with it every
// insertion index) is freed: recording stops, the summary says where, later reads are counted as
// untracked, and the ranks recorded before stay.
TEST(TraceRecency, StopsAtTheWriteClassLimit) {
  const uint32_t kLimit = 16;
  TraceBuilder t;
  uint64_t ts = 1000;
  t.Begin(ts);
  uint64_t ops = 0;
  for (int i = 0; i < 40; i++) {
    t.Write(++ts, Batch().Put(Key(i), "v"));
    t.Get(++ts, Key(i));  // always the newest: rank 1
    ops += 2;
  }
  Summary sum = Characterize(t.bytes, kLimit);
  const elmo_trace_recency& r = sum->recency;
  EXPECT_EQ(0, sum->classes[ELMO_TRACE_CLASS_WRITE].exact);
  EXPECT_EQ(0, r.exact);
  EXPECT_EQ(kLimit, r.inserts);
  EXPECT_EQ(2u * kLimit, r.stopped_at_op);  // the 17th distinct put is op 33 (index 32)
  EXPECT_EQ(kLimit, r.reads);
  EXPECT_EQ(kLimit, r.reads_inserted);
  EXPECT_EQ(0u, r.reads_not_inserted);
  EXPECT_EQ(40u - kLimit, r.reads_untracked);
  EXPECT_EQ(kLimit, r.ranks.count);
  EXPECT_EQ(1u, r.ranks.max);
  EXPECT_EQ(ops, sum->ops);
}

// Only the write class's table matters: many distinct keys that are only read push class "all"
// past its limit, and recency stays exact.
TEST(TraceRecency, ReadOnlyKeysDoNotStopRecording) {
  const uint32_t kLimit = 16;
  TraceBuilder t;
  uint64_t ts = 1000;
  t.Begin(ts);
  for (int i = 0; i < 8; i++) t.Write(++ts, Batch().Put(Key(i), "v"));
  for (int i = 0; i < 100; i++) t.Get(++ts, "never-written-" + std::to_string(i));
  t.Get(++ts, Key(7));
  t.Get(++ts, Key(0));
  Summary sum = Characterize(t.bytes, kLimit);
  EXPECT_EQ(0, sum->classes[ELMO_TRACE_CLASS_ALL].exact);
  EXPECT_EQ(1, sum->classes[ELMO_TRACE_CLASS_WRITE].exact);
  const elmo_trace_recency& r = sum->recency;
  EXPECT_EQ(1, r.exact);
  EXPECT_EQ(100u, r.reads_not_inserted);
  EXPECT_EQ(2u, r.reads_inserted);
  std::map<uint64_t, uint64_t> ranks{{1, 1}, {8, 1}};
  EXPECT_EQ(ranks, Exact(r.ranks));
}

TEST(TraceRecency, NoReadsNoWrites) {
  TraceBuilder t;
  t.Begin(1000);
  t.Write(1001, Batch().Put("a", "1"));
  Summary only_writes = Characterize(t.bytes);
  EXPECT_EQ(1u, only_writes->recency.inserts);
  EXPECT_EQ(0u, only_writes->recency.reads);
  EXPECT_EQ(0u, only_writes->recency.ranks.n_buckets);
  EXPECT_EQ(nullptr, only_writes->recency.ranks.buckets);
  TraceBuilder g;
  g.Begin(1000);
  g.Get(1001, "a");
  Summary only_reads = Characterize(g.bytes);
  EXPECT_EQ(0u, only_reads->recency.inserts);
  EXPECT_EQ(1u, only_reads->recency.reads_not_inserted);
}

}  // namespace
