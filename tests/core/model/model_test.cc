// model_test.cc — workload modeling (model.h): traces from known generators, built in memory,
// must come back as the generator's parameters; fidelity between traces; LLM refinement through
// the replay provider (no network).
#include "elmo/model.h"

#include <cjson/cJSON.h>
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "elmo/advisor.h"
#include "model_handles.h"
#include "trace_builder.h"
#include "trace_characterize.h"

namespace {

using elmo_test::Batch;
using elmo_test::KeyOf;
using elmo_test::Report;
using elmo_test::Spec;
using elmo_test::Summary;
using elmo_test::Take;
using elmo_test::TraceBuilder;

// ---- generators ---------------------------------------------------------------------------

using Mix = std::array<double, ELMO_TRACE_KIND_COUNT>;  // weights per trace kind

struct Gen {
  uint64_t ops = 200000;
  double qps = 10000;
  double sine_a = 0, sine_period_sec = 0;  // rate qps + sine_a * sin(2πt/period) when > 0
  uint64_t keys = 50000;
  double theta = 0.9;  // 0: uniform access
  size_t key_size = 16;
  Mix mix{};
  Mix mix2{};  // after shift_at ops (when shift_at > 0)
  uint64_t shift_at = 0;
  elmo_dist value{ELMO_DIST_GPARETO, {10, 25.45, 0.2615, 0}, 0};
  bool bimodal_values = false;  // half 100, half 1000 bytes
  size_t multiget_keys = 1;
  uint64_t seed = 1;
};

Mix MixOf(std::initializer_list<std::pair<elmo_trace_kind, double>> parts) {
  Mix m{};
  for (auto& p : parts) m[p.first] = p.second;
  return m;
}

elmo_trace_kind PickKind(const Mix& m, double u) {
  double total = 0, cum = 0;
  for (double w : m) total += w;
  for (int k = 1; k < ELMO_TRACE_KIND_COUNT; k++) {
    cum += m[k] / total;
    if (u < cum) return static_cast<elmo_trace_kind>(k);
  }
  for (int k = ELMO_TRACE_KIND_COUNT - 1; k > 0; k--) {
    if (m[k] > 0) return static_cast<elmo_trace_kind>(k);
  }
  return ELMO_TRACE_GET;
}

class Generator {
 public:
  explicit Generator(const Gen& g) : g_(g) {
    elmo_rng_seed(&rng_, g.seed);
    elmo_dist z{ELMO_DIST_ZIPFIAN, {g.theta > 0 ? g.theta : 1, 0, 0, 0}, g.keys};
    EXPECT_EQ(elmo_sampler_create(&z, &zipf_, nullptr), ELMO_OK);
  }
  ~Generator() { elmo_sampler_destroy(zipf_); }

  std::string Build() {
    TraceBuilder t;
    uint64_t base = 1000000, ts = base;
    double t_sec = 0;
    t.Begin(base);
    for (uint64_t i = 0; i < g_.ops;) {
      const Mix& m = g_.shift_at && i >= g_.shift_at ? g_.mix2 : g_.mix;
      i += Emit(&t, PickKind(m, elmo_rng_uniform(&rng_)), ts);
      double rate =
          g_.qps +
          (g_.sine_a > 0 ? g_.sine_a * std::sin(2 * M_PI * t_sec / g_.sine_period_sec) : 0);
      t_sec += 1.0 / rate;
      ts = base + static_cast<uint64_t>(t_sec * 1e6);
    }
    return t.bytes;
  }

 private:
  std::string Key() {
    uint64_t idx;
    if (g_.theta > 0) {  // scramble the rank over the key space, as the spec's zipfian does
      uint64_t r = static_cast<uint64_t>(elmo_sampler_next(zipf_, &rng_));
      idx = ((r - 1) * 2654435761u) % g_.keys;
    } else {
      idx = elmo_rng_next(&rng_) % g_.keys;
    }
    return KeyOf(idx, g_.key_size);
  }
  std::string Value() {
    double v = g_.bimodal_values ? (elmo_rng_uniform(&rng_) < 0.5 ? 100 : 1000)
                                 : elmo_dist_sample(&g_.value, &rng_);
    return std::string(static_cast<size_t>(std::llround(v)), 'v');
  }
  uint64_t Emit(TraceBuilder* t, elmo_trace_kind k, uint64_t ts) {
    switch (k) {
      case ELMO_TRACE_GET: t->Get(ts, Key()); return 1;
      case ELMO_TRACE_SEEK: t->Seek(ts, false, Key()); return 1;
      case ELMO_TRACE_SEEK_FOR_PREV: t->Seek(ts, true, Key()); return 1;
      case ELMO_TRACE_MULTIGET: {
        std::vector<std::string> keys;
        for (size_t j = 0; j < g_.multiget_keys; j++) keys.push_back(Key());
        t->MultiGet(ts, keys);
        return g_.multiget_keys;
      }
      case ELMO_TRACE_PUT: t->Write(ts, Batch().Put(Key(), Value())); return 1;
      case ELMO_TRACE_MERGE: t->Write(ts, Batch().Merge(Key(), Value())); return 1;
      case ELMO_TRACE_DELETE: t->Write(ts, Batch().Delete(Key())); return 1;
      case ELMO_TRACE_SINGLE_DELETE: t->Write(ts, Batch().SingleDelete(Key())); return 1;
      case ELMO_TRACE_DELETE_RANGE: {
        std::string b = Key();
        t->Write(ts, Batch().DeleteRange(b, b + "~"));
        return 1;
      }
      default: return 1;
    }
  }
  Gen g_;
  elmo_rng rng_;
  elmo_sampler* zipf_ = nullptr;
};

// ---- helpers ------------------------------------------------------------------------------

Summary Characterize(const std::string& bytes, uint32_t window_sec = 1, uint32_t exact_keys = 0) {
  return Summary(elmo_test::CharacterizeTrace(bytes, window_sec, exact_keys).release());
}

Summary FromGen(const Gen& g, uint32_t window_sec = 1) {
  Generator gen(g);
  return Characterize(gen.Build(), window_sec);
}

struct Model {
  Spec spec;
  Report report;
};

Model Build(const elmo_trace_summary* sum, const elmo_model_options* o = nullptr) {
  elmo_spec* spec = nullptr;
  elmo_model_report* rep = nullptr;
  elmo_error err;
  elmo_rc rc = elmo_model_build(sum, o, &spec, &rep, &err);
  EXPECT_EQ(rc, ELMO_OK) << err.message;
  return Model{Spec(spec), Report(rep)};
}

const Mix kReadWrite = MixOf({{ELMO_TRACE_GET, 0.5}, {ELMO_TRACE_PUT, 0.5}});

// ---- recovery of generator parameters -----------------------------------------------------

TEST(ModelTest, ZipfGparetoRecovered) {
  Gen g;
  g.mix = kReadWrite;
  Summary sum = FromGen(g);
  Model m = Build(sum.get());
  ASSERT_TRUE(m.spec && m.report);
  const elmo_model_report* r = m.report.get();
  EXPECT_NEAR(r->mix[ELMO_SPEC_GET], 0.5, 0.01);
  EXPECT_NEAR(r->mix[ELMO_SPEC_PUT], 0.5, 0.01);
  const elmo_model_fit_report& ka = r->fits[ELMO_MODEL_KEY_ACCESS];
  ASSERT_EQ(ka.dist.kind, ELMO_DIST_ZIPFIAN) << ka.note;
  EXPECT_NEAR(ka.dist.params[0], 0.9, 0.05);
  const elmo_model_fit_report& ks = r->fits[ELMO_MODEL_KEY_SIZE];
  EXPECT_EQ(ks.dist.kind, ELMO_DIST_FIXED);
  EXPECT_EQ(ks.dist.params[0], 16);
  const elmo_model_fit_report& vs = r->fits[ELMO_MODEL_VALUE_SIZE];
  ASSERT_EQ(vs.dist.kind, ELMO_DIST_GPARETO) << Take(elmo_model_report_to_text(r));
  EXPECT_NEAR(vs.dist.params[0], 10, 1.0);
  EXPECT_NEAR(vs.dist.params[1], 25.45, 25.45 * 0.15);
  EXPECT_NEAR(vs.dist.params[2], 0.2615, 0.08);
  EXPECT_GT(vs.gof.r2, 0.99);
  EXPECT_EQ(r->n_phases, 1u);
  EXPECT_EQ(m.spec->n_phases, 1u);
  EXPECT_EQ(m.spec->phases[0].key_access.kind, ELMO_DIST_ZIPFIAN);
  EXPECT_EQ(m.spec->phases[0].key_access.n, m.spec->num_keys);
  EXPECT_LE(m.spec->num_keys, 50000u);
  EXPECT_GT(m.spec->num_keys, 30000u);
  EXPECT_EQ(r->rate.rate.kind, ELMO_RATE_FIXED) << r->rate.note;
  if (::testing::Test::HasFailure() || std::getenv("ELMO_TEST_VERBOSE")) {
    std::printf("%s", Take(elmo_model_report_to_text(r)).c_str());
  }
  EXPECT_NEAR(r->rate.rate.qps, 10000, 200);
}

TEST(ModelTest, UniformReadWriteRecovered) {
  Gen g;
  g.theta = 0, g.mix = kReadWrite;
  Summary sum = FromGen(g);
  Model m = Build(sum.get());
  ASSERT_TRUE(m.report);
  const elmo_model_fit_report& ka = m.report->fits[ELMO_MODEL_KEY_ACCESS];
  EXPECT_EQ(ka.dist.kind, ELMO_DIST_UNIFORM) << ka.note << " D " << ka.gof.ks_d;
  EXPECT_EQ(ka.dist.params[1], static_cast<double>(m.spec->num_keys));
  EXPECT_NEAR(m.report->mix[ELMO_SPEC_GET], 0.5, 0.01);
}

// Uniform access over 50k keys with 100k accesses sees only ~86% of them: the model sizes the
// key space from the Poisson fit of the per-key counts, not from the keys it happened to see.
TEST(ModelTest, UniformKeySpaceIsEstimatedBeyondTheKeysSeen) {
  Gen g;
  g.theta = 0, g.mix = kReadWrite, g.ops = 100000, g.keys = 50000;
  Summary sum = FromGen(g);
  const uint64_t seen = sum->classes[ELMO_TRACE_CLASS_ALL].distinct;
  ASSERT_LT(seen, 46000u);
  Model m = Build(sum.get());
  ASSERT_TRUE(m.report);
  ASSERT_EQ(m.report->fits[ELMO_MODEL_KEY_ACCESS].dist.kind, ELMO_DIST_UNIFORM);
  EXPECT_NEAR(static_cast<double>(m.spec->num_keys), 50000.0, 50000 * 0.03) << "seen " << seen;
  EXPECT_NE(std::string(m.report->fits[ELMO_MODEL_KEY_ACCESS].note).find("from the Poisson fit"),
            std::string::npos);
}

struct MixCase {
  const char* name;
  Mix mix;
  size_t multiget_keys;
  std::array<double, ELMO_SPEC_OP_COUNT> want;  // get put delete seek merge multiget
};

TEST(ModelTest, OpMixFoldsKinds) {
  const MixCase kCases[] = {
      {"deletes",
       MixOf({{ELMO_TRACE_PUT, 0.4},
              {ELMO_TRACE_DELETE, 0.2},
              {ELMO_TRACE_SINGLE_DELETE, 0.2},
              {ELMO_TRACE_DELETE_RANGE, 0.2}}),
       1,
       {0, 0.4, 0.6, 0, 0, 0}},
      {"seeks",
       MixOf({{ELMO_TRACE_GET, 0.5}, {ELMO_TRACE_SEEK, 0.25}, {ELMO_TRACE_SEEK_FOR_PREV, 0.25}}),
       1,
       {0.5, 0, 0, 0.5, 0, 0}},
      {"merge", MixOf({{ELMO_TRACE_MERGE, 0.3}, {ELMO_TRACE_GET, 0.7}}), 1, {0.7, 0, 0, 0, 0.3, 0}},
      {"multiget",
       MixOf({{ELMO_TRACE_MULTIGET, 0.2}, {ELMO_TRACE_PUT, 0.8}}),
       4,
       {0, 0.5, 0, 0, 0, 0.5}},
  };
  for (const MixCase& c : kCases) {
    SCOPED_TRACE(c.name);
    Gen g;
    g.ops = 40000, g.keys = 5000, g.mix = c.mix, g.multiget_keys = c.multiget_keys;
    Summary sum = FromGen(g);
    Model m = Build(sum.get());
    ASSERT_TRUE(m.report);
    for (int i = 0; i < ELMO_SPEC_OP_COUNT; i++) {
      EXPECT_NEAR(m.report->mix[i], c.want[i], 0.015)
          << elmo_spec_op_name(static_cast<elmo_spec_op>(i));
    }
    const elmo_spec_phase& p = m.spec->phases[0];
    EXPECT_EQ(p.multiget_size, c.want[ELMO_SPEC_MULTIGET] > 0 ? 4 : 1);
    EXPECT_EQ(p.scan_length.params[0], c.want[ELMO_SPEC_SEEK] > 0 ? 10 : 0);
  }
}

TEST(ModelTest, PhaseShiftDetected) {
  Gen g;
  g.mix = MixOf({{ELMO_TRACE_PUT, 1}});
  g.mix2 = kReadWrite;
  g.shift_at = 100000;
  Summary sum = FromGen(g);
  Model m = Build(sum.get());
  ASSERT_TRUE(m.report);
  ASSERT_EQ(m.report->n_phases, 2u) << Take(elmo_model_report_to_text(m.report.get()));
  ASSERT_EQ(m.spec->n_phases, 2u);
  EXPECT_NEAR(m.spec->phases[0].mix[ELMO_SPEC_PUT], 1, 0.01);
  EXPECT_NEAR(m.spec->phases[1].mix[ELMO_SPEC_GET], 0.5, 0.02);
  EXPECT_NEAR(m.spec->phases[1].start_sec, 10, 1.01);
  EXPECT_NEAR(m.spec->phases[0].duration_sec + m.spec->phases[1].duration_sec, 20, 1.01);
}

TEST(ModelTest, MaxPhasesCapsSegments) {
  Gen g;
  g.mix = MixOf({{ELMO_TRACE_PUT, 1}});
  g.mix2 = kReadWrite;
  g.shift_at = 100000;
  Summary sum = FromGen(g);
  elmo_model_options o;
  elmo_model_options_init(&o);
  o.max_phases = 1;
  Model m = Build(sum.get(), &o);
  ASSERT_TRUE(m.report);
  EXPECT_EQ(m.report->n_phases, 1u);
}

TEST(ModelTest, SineRateDetected) {
  Gen g;
  g.mix = kReadWrite, g.ops = 300000, g.qps = 5000, g.sine_a = 2500, g.sine_period_sec = 20;
  Summary sum = FromGen(g);
  Model m = Build(sum.get());
  ASSERT_TRUE(m.report);
  const elmo_spec_rate& rate = m.report->rate.rate;
  ASSERT_EQ(rate.kind, ELMO_RATE_SINE) << m.report->rate.note;
  EXPECT_NEAR(rate.d, 5000, 500);
  EXPECT_NEAR(rate.a, 2500, 500);
  EXPECT_NEAR(2 * M_PI / rate.b, 20, 2);
}

TEST(ModelTest, RatePolicyUnlimitedAndThreads) {
  Gen g;
  g.mix = kReadWrite, g.ops = 20000;
  Summary sum = FromGen(g);
  elmo_model_options o;
  elmo_model_options_init(&o);
  o.rate_policy = ELMO_MODEL_RATE_UNLIMITED, o.threads = 8;
  Model m = Build(sum.get(), &o);
  ASSERT_TRUE(m.spec);
  EXPECT_EQ(m.spec->phases[0].rate.kind, ELMO_RATE_UNLIMITED);
  EXPECT_EQ(m.spec->phases[0].threads, 8);
}

TEST(ModelTest, ShortKeysBecomeSpecKeys) {
  Gen g;
  g.mix = kReadWrite, g.ops = 20000, g.keys = 200, g.key_size = 4;
  Summary sum = FromGen(g);
  Model m = Build(sum.get());
  ASSERT_TRUE(m.spec);
  EXPECT_EQ(m.spec->key_size.kind, ELMO_DIST_FIXED);
  EXPECT_EQ(m.spec->key_size.params[0], ELMO_SPEC_KEY_SIZE_MIN);
  EXPECT_NE(std::string(m.report->fits[ELMO_MODEL_KEY_SIZE].note).find("leaves the spec"),
            std::string::npos);
}

TEST(ModelTest, BadOptionsAndInputs) {
  Gen g;
  g.mix = kReadWrite, g.ops = 2000;
  Summary sum = FromGen(g);
  struct Case {
    const char* name;
    void (*set)(elmo_model_options*);
  };
  const Case kCases[] = {
      {"threads", [](elmo_model_options* o) { o->threads = 1000; }},
      {"min_r2", [](elmo_model_options* o) { o->min_r2 = 2; }},
      {"shift_tvd", [](elmo_model_options* o) { o->shift_tvd = -1; }},
      {"max_phases", [](elmo_model_options* o) { o->max_phases = 99; }},
  };
  for (const Case& c : kCases) {
    elmo_model_options o;
    elmo_model_options_init(&o);
    c.set(&o);
    elmo_spec* spec = reinterpret_cast<elmo_spec*>(1);
    elmo_error err;
    EXPECT_EQ(elmo_model_build(sum.get(), &o, &spec, nullptr, &err), ELMO_ERANGE) << c.name;
    EXPECT_EQ(spec, nullptr);
    EXPECT_NE(std::string(err.message).find(c.name), std::string::npos) << err.message;
  }
  elmo_trace_summary empty{};
  elmo_spec* spec = nullptr;
  EXPECT_EQ(elmo_model_build(&empty, nullptr, &spec, nullptr, nullptr), ELMO_EINVAL);
  EXPECT_EQ(elmo_model_build(nullptr, nullptr, &spec, nullptr, nullptr), ELMO_EINVAL);
}

TEST(ModelTest, ReportJsonAndTextAndSpecJson) {
  Gen g;
  g.mix = kReadWrite, g.ops = 20000, g.keys = 2000;
  Summary sum = FromGen(g);
  Model m = Build(sum.get());
  ASSERT_TRUE(m.report);
  std::string json = Take(elmo_model_report_to_json(m.report.get()));
  cJSON* o = cJSON_Parse(json.c_str());
  ASSERT_NE(o, nullptr) << json;
  const cJSON* fits = cJSON_GetObjectItem(o, "fits");
  ASSERT_NE(cJSON_GetObjectItem(fits, "value_size"), nullptr);
  EXPECT_NE(cJSON_GetObjectItem(cJSON_GetObjectItem(fits, "key_access"), "alternatives"), nullptr);
  EXPECT_EQ(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "rate"), "series")),
            static_cast<int>(m.report->rate.n_points));
  cJSON_Delete(o);
  std::string text = Take(elmo_model_report_to_text(m.report.get()));
  EXPECT_NE(text.find("key_access"), std::string::npos);
  EXPECT_NE(text.find("recency:"), std::string::npos);
  std::string spec_json = Take(elmo_spec_to_json(m.spec.get()));
  ASSERT_FALSE(spec_json.empty());
  elmo_spec* back = nullptr;
  elmo_error err;
  EXPECT_EQ(elmo_spec_parse(spec_json.data(), spec_json.size(), &back, &err), ELMO_OK)
      << err.message << spec_json;
  elmo_spec_destroy(back);
}

TEST(ModelTest, FromTraceNamesBadFile) {
  std::string path = ::testing::TempDir() + "model_garbage.trace";
  std::ofstream(path, std::ios::binary) << "this is not a trace at all, just some text";
  elmo_spec* spec = nullptr;
  elmo_model_report* rep = nullptr;
  elmo_error err;
  elmo_rc rc = elmo_model_from_trace(path.c_str(), nullptr, &spec, &rep, &err);
  EXPECT_NE(rc, ELMO_OK);
  EXPECT_EQ(spec, nullptr);
  EXPECT_NE(std::string(err.message).find("offset"), std::string::npos) << err.message;
  Gen g;
  g.mix = kReadWrite, g.ops = 5000;
  Generator gen(g);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << gen.Build();
  rc = elmo_model_from_trace(path.c_str(), nullptr, &spec, &rep, &err);
  EXPECT_EQ(rc, ELMO_OK) << err.message;
  EXPECT_NE(spec, nullptr);
  elmo_spec_destroy(spec);
  elmo_model_report_destroy(rep);
  std::remove(path.c_str());
}

// ---- fidelity -----------------------------------------------------------------------------

elmo_model_fidelity Compare(const Gen& a, const Gen& b) {
  Summary sa = FromGen(a), sb = FromGen(b);
  elmo_model_fidelity f;
  elmo_error err;
  EXPECT_EQ(elmo_model_compare(sa.get(), sb.get(), &f, &err), ELMO_OK) << err.message;
  return f;
}

TEST(ModelTest, CompareSameGeneratorPasses) {
  Gen a;
  a.mix = kReadWrite;
  Gen b = a;
  b.seed = 2;
  elmo_model_fidelity f = Compare(a, b);
  EXPECT_TRUE(f.pass) << Take(elmo_model_fidelity_to_text(&f));
  EXPECT_LT(f.mix_max_diff, 0.01);
  EXPECT_TRUE(f.key_access.available);
  EXPECT_GT(f.key_access.p_res, 0.95);
}

TEST(ModelTest, CompareZipfAgainstUniformFails) {
  Gen a;
  a.mix = kReadWrite;
  Gen b = a;
  b.theta = 0, b.seed = 2;
  elmo_model_fidelity f = Compare(a, b);
  EXPECT_FALSE(f.pass);
  EXPECT_FALSE(f.key_access.pass);
  EXPECT_LT(f.key_access.p_full, 1e-6);
  EXPECT_TRUE(f.mix_pass);
  EXPECT_TRUE(f.value_size.pass);
  std::string json = Take(elmo_model_fidelity_to_json(&f));
  EXPECT_NE(json.find("p_at_resolution"), std::string::npos);
}

TEST(ModelTest, CompareDifferentMixFails) {
  Gen a;
  a.mix = kReadWrite, a.ops = 20000;
  Gen b = a;
  b.mix = MixOf({{ELMO_TRACE_GET, 0.9}, {ELMO_TRACE_PUT, 0.1}});
  elmo_model_fidelity f = Compare(a, b);
  EXPECT_FALSE(f.mix_pass);
  EXPECT_NEAR(f.mix_tvd, 0.4, 0.02);
  EXPECT_FALSE(f.pass);
}

TEST(ModelTest, RankBinsCoverEveryAccess) {
  Gen g;
  g.mix = kReadWrite, g.ops = 50000, g.keys = 5000;
  Summary sum = FromGen(g);
  const elmo_trace_class_summary& cs = sum->classes[ELMO_TRACE_CLASS_ALL];
  elmo_hist_bin* bins = nullptr;
  size_t n = 0;
  ASSERT_EQ(elmo_model_rank_bins(&cs, &bins, &n, nullptr), ELMO_OK);
  EXPECT_EQ(n, cs.distinct);
  uint64_t total = 0;
  for (size_t i = 0; i < n; i++) {
    total += bins[i].count;
    if (i > 0) {
      EXPECT_LE(bins[i].count, bins[i - 1].count) << i;
    }
  }
  EXPECT_EQ(total, cs.accesses);
  free(bins);
}

// A HyperLogLog estimate of a billion keys must not become a billion bins: the flat tail is
// grouped into a bounded number of bins that still hold every access.
TEST(ModelTest, RankBinsStayBoundedForHugeEstimates) {
  uint64_t ranked[3] = {5000000, 4000000, 3000000};
  elmo_trace_class_summary cs{};
  cs.exact = 0;
  cs.distinct = 1000000000ull;
  cs.accesses = 3000000000ull;
  cs.n_ranked = 3;
  cs.ranked = ranked;
  elmo_hist_bin* bins = nullptr;
  size_t n = 0;
  ASSERT_EQ(elmo_model_rank_bins(&cs, &bins, &n, nullptr), ELMO_OK);
  EXPECT_LE(n, 3u + (1u << 18));
  EXPECT_GT(n, 1000u);
  uint64_t total = 0;
  for (size_t i = 0; i < n; i++) total += bins[i].count;
  EXPECT_EQ(total, cs.accesses);
  EXPECT_DOUBLE_EQ(bins[0].value, 1);
  EXPECT_LE(bins[n - 1].value, 1e9);
  EXPECT_GT(bins[n - 1].value, 0.999e9);
  free(bins);
}

TEST(ModelTest, ApproximateClassesStillModelAndCompare) {
  Gen g;
  g.mix = kReadWrite, g.ops = 50000, g.keys = 20000;
  Generator ga(g);
  Summary a = Characterize(ga.Build(), 1, 16);
  g.seed = 7;
  Generator gb(g);
  Summary b = Characterize(gb.Build(), 1, 16);
  const elmo_trace_class_summary& cs = a->classes[ELMO_TRACE_CLASS_ALL];
  ASSERT_FALSE(cs.exact);
  elmo_hist_bin* bins = nullptr;
  size_t n = 0;
  ASSERT_EQ(elmo_model_rank_bins(&cs, &bins, &n, nullptr), ELMO_OK);
  uint64_t total = 0;
  for (size_t i = 0; i < n; i++) total += bins[i].count;
  free(bins);
  EXPECT_NEAR(static_cast<double>(total), static_cast<double>(cs.accesses), cs.accesses * 0.05);
  Model m = Build(a.get());
  ASSERT_TRUE(m.report);
  EXPECT_FALSE(m.report->keys[ELMO_TRACE_CLASS_ALL].exact);
  EXPECT_GT(m.report->keys[ELMO_TRACE_CLASS_ALL].distinct_rel_error, 0);
  EXPECT_NE(std::string(m.report->fits[ELMO_MODEL_KEY_ACCESS].note).find("approximate"),
            std::string::npos);
  EXPECT_EQ(m.spec->phases[0].key_access.kind, ELMO_DIST_ZIPFIAN);
  elmo_model_fidelity f;
  ASSERT_EQ(elmo_model_compare(a.get(), b.get(), &f, nullptr), ELMO_OK);
  EXPECT_TRUE(f.key_access.available);
  EXPECT_TRUE(f.mix_pass);
}

// ---- refinement ---------------------------------------------------------------------------

struct RefineCase {
  const char* name;
  const char* answer;  // a JSON string literal for the replay line, or nullptr: an error line
  bool accepted;
  const char* reason;
};

TEST(ModelTest, RefineAcceptsOnlyBetterFits) {
  Gen g;
  g.mix = kReadWrite, g.ops = 40000, g.keys = 200, g.theta = 0, g.bimodal_values = true;
  Summary sum = FromGen(g);
  elmo_model_options o;
  elmo_model_options_init(&o);
  o.min_ks_p = 1e-300;  // judge by R² only, so only the bimodal value sizes are poor
  const RefineCase kCases[] = {
      {"better",
       "\"Bimodal; a wide normal fits best: "
       "{\\\"dist\\\":\\\"normal\\\",\\\"mean\\\":550,\\\"stddev\\\":700}\"",
       true, "accepted"},
      {"worse", "\"{\\\"dist\\\":\\\"fixed\\\",\\\"value\\\":100}\"", false, "fits worse"},
      {"no json", "\"I would use a lognormal distribution.\"", false, "no JSON"},
      {"wrong fields", "\"```json\\n{\\\"dist\\\":\\\"normal\\\",\\\"mu\\\":3}\\n```\"", false,
       "not a distribution"},
      {"out of range", "\"{\\\"dist\\\":\\\"uniform\\\",\\\"min\\\":0,\\\"max\\\":1e12}\"", false,
       "leaves the spec"},
      {"wrong kind", "\"{\\\"dist\\\":\\\"zipfian\\\",\\\"theta\\\":1}\"", false, "not a model"},
      {"llm error", nullptr, false, "advisor failed"},
  };
  for (const RefineCase& c : kCases) {
    SCOPED_TRACE(c.name);
    Model m = Build(sum.get(), &o);
    ASSERT_TRUE(m.report);
    ASSERT_TRUE(m.report->fits[ELMO_MODEL_VALUE_SIZE].poor);
    ASSERT_FALSE(m.report->fits[ELMO_MODEL_KEY_ACCESS].poor)
        << m.report->fits[ELMO_MODEL_KEY_ACCESS].gof.r2;
    std::string path = ::testing::TempDir() + "model_replay.jsonl";
    {
      std::ofstream f(path, std::ios::trunc);
      if (c.answer)
        f << "{\"answer\":" << c.answer << "}\n";
      else
        f << "{\"error\":{\"code\":\"" << elmo_strerror(ELMO_ESERVER)
          << "\",\"message\":\"HTTP 503\"}}\n";
    }
    std::string spec = "replay:" + path;
    elmo_llm_config cfg{};
    cfg.spec = spec.c_str();
    elmo_llm* llm = nullptr;
    elmo_error err;
    ASSERT_EQ(elmo_llm_create(&cfg, &llm, &err), ELMO_OK) << err.message;
    elmo_dist before = m.spec->phases[0].value_size;
    ASSERT_EQ(elmo_model_refine(sum.get(), llm, m.report.get(), m.spec.get(), &err), ELMO_OK)
        << err.message;
    elmo_llm_destroy(llm);
    std::remove(path.c_str());
    ASSERT_EQ(m.report->n_refinements, 1u);
    const elmo_model_refinement& x = m.report->refinements[0];
    EXPECT_EQ(x.quantity, ELMO_MODEL_VALUE_SIZE);
    EXPECT_EQ(x.accepted, c.accepted ? 1 : 0) << x.reason;
    EXPECT_NE(std::string(x.reason).find(c.reason), std::string::npos) << x.reason;
    const elmo_dist& now = m.spec->phases[0].value_size;
    if (c.accepted) {
      EXPECT_EQ(now.kind, ELMO_DIST_NORMAL);
      EXPECT_EQ(now.params[1], 700);
      EXPECT_TRUE(m.report->fits[ELMO_MODEL_VALUE_SIZE].refined);
      EXPECT_LT(x.proposed_gof.ks_d, x.previous_gof.ks_d);
      EXPECT_EQ(elmo_spec_validate(m.spec.get(), &err), ELMO_OK) << err.message;
    } else {
      EXPECT_EQ(now.kind, before.kind);
      EXPECT_FALSE(m.report->fits[ELMO_MODEL_VALUE_SIZE].refined);
    }
    EXPECT_NE(Take(elmo_model_report_to_text(m.report.get())).find("refine value_size"),
              std::string::npos);
  }
}

TEST(ModelTest, RefineSendsNothingWhenFitsAreGood) {
  Gen g;
  g.mix = MixOf({{ELMO_TRACE_GET, 1}}), g.ops = 20000, g.keys = 100, g.theta = 0;
  Summary sum = FromGen(g);
  elmo_model_options o;
  elmo_model_options_init(&o);
  o.min_ks_p = 1e-300;
  Model m = Build(sum.get(), &o);
  ASSERT_TRUE(m.report);
  elmo_llm_config cfg{};
  cfg.spec = "builtin";
  cfg.builtin = elmo_advisor_chat;
  elmo_llm* llm = nullptr;
  ASSERT_EQ(elmo_llm_create(&cfg, &llm, nullptr), ELMO_OK);
  EXPECT_EQ(elmo_model_refine(sum.get(), llm, m.report.get(), m.spec.get(), nullptr), ELMO_OK);
  EXPECT_EQ(m.report->n_refinements, 0u);
  elmo_llm_destroy(llm);
  EXPECT_EQ(elmo_model_refine(sum.get(), nullptr, m.report.get(), m.spec.get(), nullptr),
            ELMO_EINVAL);
}

}  // namespace
