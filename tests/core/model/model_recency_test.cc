// model_recency_test.cc — "latest" key access from the recency of reads (model.h,
// elmo_model_recency_report): traces whose reads favour recent inserts (YCSB's latest, over
// the keys inserted so far or over a fixed window as the spec runner draws it) are modeled as
// latest with the generator's theta; popularity traces (zipfian, uniform, a ycsb-a-like
// preload + zipfian updates) are not; reads mostly of keys the trace never inserted are not.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "elmo/model.h"
#include "model_handles.h"
#include "trace_builder.h"
#include "trace_characterize.h"

namespace {

using elmo_test::Batch;
using elmo_test::KeyOf;
using elmo_test::Report;
using elmo_test::Spec;
using elmo_test::Summary;
using elmo_test::TraceBuilder;

// How a generated trace picks the key of a read or an update.
enum class Access {
  kLatestPool,   // YCSB latest: rank ~ zipf(theta) over the keys inserted so far, from the newest
  kLatestFixed,  // the spec runner: rank ~ zipf(theta, n = preload), from the newest
  kZipf,         // popularity: zipf(theta) over the preloaded keys, scrambled
  kUniform,      // popularity: uniform over the preloaded keys
  kZipfNewest,   // popularity: as kZipf, but the hottest key is the newest preloaded one
};

struct Gen {
  const char* name;
  Access access;
  double theta;
  uint64_t preload;     // keys put in index order first (traced)
  double insert_share;  // ops that insert the next new key
  double update_share;  // ops that put an existing key (drawn like a read)
  uint64_t ops;         // after the preload
  bool trace_preload;   // false: the preload is not in the trace (it happened before)
};

std::string Build(const Gen& g, uint64_t seed) {
  elmo_rng rng;
  elmo_rng_seed(&rng, seed);
  TraceBuilder t;
  uint64_t ts = 1000000;
  t.Begin(ts);
  for (uint64_t i = 0; i < g.preload; i += 100) {
    Batch b;
    for (uint64_t j = i; j < i + 100 && j < g.preload; j++) b.Put(KeyOf(j), "value");
    if (g.trace_preload) t.Write(ts += 50, b);
  }
  uint64_t written = g.preload;
  auto pick = [&]() -> uint64_t {
    elmo_dist d{};
    switch (g.access) {
      case Access::kLatestPool:
      case Access::kLatestFixed:
        d.kind = ELMO_DIST_ZIPFIAN, d.params[0] = g.theta;
        d.n = g.access == Access::kLatestPool ? written : g.preload;
        return written - static_cast<uint64_t>(elmo_dist_sample(&d, &rng));
      case Access::kZipf: {
        d.kind = ELMO_DIST_ZIPFIAN, d.params[0] = g.theta, d.n = g.preload;
        uint64_t r = static_cast<uint64_t>(elmo_dist_sample(&d, &rng));
        return ((r - 1) * 2654435761u) % g.preload;
      }
      case Access::kZipfNewest: {
        d.kind = ELMO_DIST_ZIPFIAN, d.params[0] = g.theta, d.n = g.preload;
        uint64_t r = static_cast<uint64_t>(elmo_dist_sample(&d, &rng));
        return g.preload - 1 - ((r - 1) * 2654435761u) % g.preload;
      }
      default:
        return elmo_rng_next(&rng) % g.preload;
    }
  };
  for (uint64_t i = 0; i < g.ops; i++) {
    double u = elmo_rng_uniform(&rng);
    ts += 100;
    if (u < g.insert_share) {
      t.Write(ts, Batch().Put(KeyOf(written++), "value"));
    } else if (u < g.insert_share + g.update_share) {
      t.Write(ts, Batch().Put(KeyOf(pick()), "value"));
    } else {
      t.Get(ts, KeyOf(pick()));
    }
  }
  return t.bytes;
}

Summary Characterize(const std::string& bytes) {
  return Summary(elmo_test::CharacterizeTrace(bytes).release());
}

struct Model {
  Spec spec;
  Report report;
  std::string text;
};

Model BuildModel(const elmo_trace_summary* sum) {
  elmo_spec* spec = nullptr;
  elmo_model_report* rep = nullptr;
  elmo_error err;
  EXPECT_EQ(elmo_model_build(sum, nullptr, &spec, &rep, &err), ELMO_OK) << err.message;
  Model m{Spec(spec), Report(rep), ""};
  char* text = rep ? elmo_model_report_to_text(rep) : nullptr;
  m.text = text ? text : "";
  elmo_free(text);
  return m;
}

TEST(ModelRecency, LatestTracesAreModeledAsLatest) {
  const Gen kCases[] = {
      // YCSB-D: 95% reads, 5% inserts, reads zipf 0.99 back from the newest key.
      {"ycsb-d", Access::kLatestPool, 0.99, 20000, 0.05, 0, 60000, true},
      {"ycsb-d theta 1.3", Access::kLatestPool, 1.3, 20000, 0.05, 0, 60000, true},
      {"theta 0.7, 20% inserts", Access::kLatestPool, 0.7, 5000, 0.2, 0, 60000, true},
      // As the spec runner draws it: ranks over the preloaded count, from the newest.
      {"runner-style", Access::kLatestFixed, 0.99, 20000, 0.05, 0, 60000, true},
  };
  for (const Gen& g : kCases) {
    Summary sum = Characterize(Build(g, 7));
    ASSERT_TRUE(sum) << g.name;
    Model m = BuildModel(sum.get());
    ASSERT_TRUE(m.report && m.spec) << g.name;
    const elmo_model_recency_report& rr = m.report->recency;
    const elmo_model_fit_report& ka = m.report->fits[ELMO_MODEL_KEY_ACCESS];
    EXPECT_TRUE(rr.measured) << g.name;
    EXPECT_TRUE(rr.chosen) << g.name << ": " << rr.note << "\n" << m.text;
    ASSERT_EQ(ka.dist.kind, ELMO_DIST_LATEST) << g.name << ": " << ka.note;
    EXPECT_NEAR(ka.dist.params[0], g.theta, 0.05) << g.name << "\n" << m.text;
    EXPECT_LT(ka.gof.ks_d, 0.03) << g.name;
    EXPECT_GE(rr.d_excess, ELMO_MODEL_LATEST_MIN_EXCESS) << g.name;
    EXPECT_GT(rr.share_inserted, 0.99) << g.name;
    ASSERT_GE(ka.n_alternatives, 1u) << g.name;  // the popularity model is the runner-up
    EXPECT_NE(ka.alternatives[0].dist.kind, ELMO_DIST_LATEST) << g.name;
    EXPECT_EQ(m.spec->phases[m.spec->n_phases - 1].key_access.kind, ELMO_DIST_LATEST) << g.name;
    EXPECT_EQ(m.spec->phases[0].key_access.n, m.spec->num_keys) << g.name;
    EXPECT_EQ(m.spec->num_keys, sum->classes[ELMO_TRACE_CLASS_ALL].distinct) << g.name;
    EXPECT_NE(m.text.find("latest chosen"), std::string::npos) << m.text;
    if (::testing::Test::HasFailure() || std::getenv("ELMO_TEST_VERBOSE")) {
      std::printf("%s: %s", g.name, m.text.c_str());
    }
  }
}

TEST(ModelRecency, PopularityTracesAreNotLatest) {
  const Gen kCases[] = {
      // ycsb-a-like: preload in index order, 50% zipfian updates and 50% zipfian reads.
      {"zipf 0.99 updates", Access::kZipf, 0.99, 20000, 0, 0.5, 60000, true},
      {"zipf 0.9 read-mostly", Access::kZipf, 0.9, 20000, 0.01, 0.04, 60000, true},
      {"uniform 50/50", Access::kUniform, 0, 20000, 0, 0.5, 60000, true},
      {"uniform reads + inserts", Access::kUniform, 0, 20000, 0.05, 0, 60000, true},
      // One very hot key (18% of the reads) that happens to be the newest: concentrated on a
      // recent insert, but no zipfian over recency describes it.
      {"zipf 1.2, hottest key newest", Access::kZipfNewest, 1.2, 20000, 0, 0.05, 60000, true},
      // No preload in the trace: the updates insert the keys, hot keys first.
      {"zipf updates, no preload traced", Access::kZipf, 0.99, 20000, 0, 0.5, 60000, false},
  };
  for (const Gen& g : kCases) {
    Summary sum = Characterize(Build(g, 11));
    ASSERT_TRUE(sum) << g.name;
    Model m = BuildModel(sum.get());
    ASSERT_TRUE(m.report) << g.name;
    const elmo_model_recency_report& rr = m.report->recency;
    EXPECT_FALSE(rr.chosen) << g.name << ": " << rr.note << "\n" << m.text;
    EXPECT_NE(m.report->fits[ELMO_MODEL_KEY_ACCESS].dist.kind, ELMO_DIST_LATEST) << g.name;
    if (g.trace_preload && g.access != Access::kZipfNewest) {  // read independently of order
      EXPECT_TRUE(rr.measured) << g.name;
      EXPECT_LT(rr.d_excess, 0.03) << g.name << ": " << rr.note;
    }
    if (::testing::Test::HasFailure() || std::getenv("ELMO_TEST_VERBOSE")) {
      std::printf("%s: %s", g.name, m.text.c_str());
    }
  }
}

// Reads back from the newest key, but the keys they hit were written before the trace began:
// the recency sample is a small part of the reads, and latest is not chosen on it.
TEST(ModelRecency, ReadsOfKeysNotInsertedInTheTraceAreNotEnough) {
  Gen g{"untraced preload", Access::kLatestFixed, 0.5, 20000, 0.05, 0, 40000, false};
  Summary sum = Characterize(Build(g, 3));
  Model m = BuildModel(sum.get());
  ASSERT_TRUE(m.report);
  const elmo_model_recency_report& rr = m.report->recency;
  EXPECT_LT(rr.share_inserted, ELMO_MODEL_LATEST_MIN_SHARE) << m.text;
  EXPECT_GT(rr.reads_not_inserted, rr.reads_inserted);
  EXPECT_FALSE(rr.chosen) << rr.note;
  EXPECT_NE(std::string(rr.note).find("not inserted in the trace"), std::string::npos) << rr.note;
}

TEST(ModelRecency, NoReadsOfInsertedKeysIsNotTestable) {
  TraceBuilder t;
  uint64_t ts = 1000000;
  t.Begin(ts);
  for (int i = 0; i < 2000; i++) {
    t.Get(ts += 1000, KeyOf(static_cast<uint64_t>(i % 500)));
    t.Write(ts += 1000, Batch().Put(KeyOf(10000 + static_cast<uint64_t>(i)), "v"));
  }
  Summary sum = Characterize(t.bytes);
  Model m = BuildModel(sum.get());
  ASSERT_TRUE(m.report);
  EXPECT_FALSE(m.report->recency.measured);
  EXPECT_FALSE(m.report->recency.chosen);
  EXPECT_NE(m.report->fits[ELMO_MODEL_KEY_ACCESS].dist.kind, ELMO_DIST_LATEST);
  EXPECT_NE(m.text.find("latest not testable"), std::string::npos) << m.text;
}

}  // namespace
