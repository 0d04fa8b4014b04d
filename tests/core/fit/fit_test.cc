// fit_test.cc — distribution models, seeded generators, maximum-likelihood and least-squares
// fits, goodness of fit (R², Kolmogorov–Smirnov), the best-fit chooser and JSON round trips.
// Every random sample comes from a fixed seed, so every run sees the same numbers.
#include "elmo/fit.h"

#include <cjson/cJSON.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "fit_draw.h"

namespace {

std::string Describe(const elmo_dist& d) {
  char buf[160];
  return elmo_dist_format(&d, buf, sizeof(buf));
}

elmo_dist Dist(elmo_dist_kind kind, double p0, double p1 = 0, double p2 = 0, double p3 = 0,
               uint64_t n = 0) {
  elmo_dist d{};  // no clamps, no classes
  d.kind = kind;
  d.params[0] = p0, d.params[1] = p1, d.params[2] = p2, d.params[3] = p3;
  d.n = n;
  return d;
}

using elmo_test::Draw;

std::vector<elmo_hist_bin> ToHist(const std::vector<double>& v) {
  std::map<double, uint64_t> m;
  for (double x : v) m[x]++;
  std::vector<elmo_hist_bin> bins;
  for (const auto& kv : m) bins.push_back({kv.first, kv.second});
  return bins;
}

// ---- random numbers ----------------------------------------------------------------------------

TEST(FitRng, SeededAndUniform) {
  elmo_rng a, b;
  elmo_rng_seed(&a, 42);
  elmo_rng_seed(&b, 42);
  for (int i = 0; i < 100; i++) EXPECT_EQ(elmo_rng_next(&a), elmo_rng_next(&b));
  elmo_rng_seed(&b, 43);
  EXPECT_NE(elmo_rng_next(&a), elmo_rng_next(&b));
  elmo_rng_seed(&a, 0);  // a zero seed still gives a working state
  double sum = 0, sum2 = 0;
  const int n = 100000;
  for (int i = 0; i < n; i++) {
    double u = elmo_rng_uniform(&a);
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / n, 0.5, 0.005);
  sum = 0;
  for (int i = 0; i < n; i++) {
    double z = elmo_rng_normal(&a);
    sum += z, sum2 += z * z;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.02);
  EXPECT_NEAR(sum2 / n, 1.0, 0.02);
}

// ---- Kolmogorov distribution and Student's t ---------------------------------------------------

struct QCase {
  double lambda, q, tol;
};

// Reference values: the alternating series summed to 2000 terms.
const QCase kQCases[] = {
    {0.0, 1.0, 1e-12},
    {0.1, 1.0, 1e-12},
    {0.3, 0.9999906941986655, 1e-9},
    {0.5, 0.9639452436648751, 1e-9},
    {0.8, 0.5441424115741981, 1e-9},
    {1.0, 0.26999967167735456, 1e-9},
    {1.17, 0.12939004218561884, 1e-9},
    {1.19, 0.11774229287977167, 1e-9},
    {1.22, 0.10189777916606356, 1e-9},
    {1.36, 0.049485876755377876, 1e-9},
    {1.48, 0.025030635614156558, 1e-9},
    {1.63, 0.009846364888486529, 1e-9},
    {2.0, 0.0006709252557796953, 1e-12},
    {3.0, 3.045995948942526e-08, 1e-14},
};

TEST(FitKs, KolmogorovQMatchesTable) {
  for (const QCase& c : kQCases) {
    SCOPED_TRACE(testing::Message() << "Q(" << c.lambda << ")");
    EXPECT_NEAR(elmo_ks_q(c.lambda), c.q, c.tol);
  }
  // The textbook critical values: Q(1.36) ~ 0.05, Q(1.63) ~ 0.01.
  EXPECT_NEAR(elmo_ks_q(1.36), 0.049, 0.001);
  EXPECT_NEAR(elmo_ks_q(1.63), 0.0098, 0.0001);
  EXPECT_TRUE(std::isnan(elmo_ks_q(NAN)));
  // Stephens' correction: lambda = (sqrt(n) + 0.12 + 0.11/sqrt(n)) D.
  double d = 1.36 / (10 + 0.12 + 0.011);
  EXPECT_NEAR(elmo_ks_pvalue(d, 100), elmo_ks_q(1.36), 1e-12);
}

TEST(FitTrend, TPValuesThroughTheTrendTest) {
  const double x[] = {0, 1, 2, 3, 4, 5};
  const double flat[] = {1, -1, 1, -1, 1, -1};
  elmo_trend_fit f;
  ASSERT_EQ(elmo_fit_trend(x, flat, 6, 0.05, &f, nullptr), ELMO_OK);
  EXPECT_LT(f.slope, 0);
  EXPECT_FALSE(f.significant);
  // p-value of the reported t with n - 2 = 4 df equals 2·(1 - T_4(|t|)): cross-check with the
  // closed form of the t CDF for 4 degrees of freedom.
  double t = std::fabs(f.t_stat), u = t * t / (4 + t * t);
  double cdf4 = 0.5 + 0.5 * std::sqrt(u) * (1 + (1 - u) / 2);  // T_4(t) for t >= 0
  EXPECT_NEAR(f.p_value, 2 * (1 - cdf4), 1e-10);
  const double line[] = {1, 3, 5, 7, 9, 11};
  ASSERT_EQ(elmo_fit_trend(x, line, 6, 0.05, &f, nullptr), ELMO_OK);
  EXPECT_DOUBLE_EQ(f.slope, 2);
  EXPECT_DOUBLE_EQ(f.intercept, 1);
  EXPECT_TRUE(std::isinf(f.t_stat));
  EXPECT_EQ(f.p_value, 0);
  EXPECT_TRUE(f.significant);
  EXPECT_DOUBLE_EQ(f.r2, 1);
}

// ---- model basics ------------------------------------------------------------------------------

TEST(FitDist, NamesAndParams) {
  for (int k = 0; k < ELMO_DIST_KIND_COUNT; k++) {
    const char* name = elmo_dist_kind_name(static_cast<elmo_dist_kind>(k));
    ASSERT_NE(name, nullptr);
    elmo_dist_kind back;
    EXPECT_EQ(elmo_dist_kind_from_name(name, &back, nullptr), ELMO_OK);
    EXPECT_EQ(back, k);
    size_t np = elmo_dist_param_count(static_cast<elmo_dist_kind>(k));
    EXPECT_GE(np, k == ELMO_DIST_CLASSES ? 0u : 1u);  // classes: arrays, no scalar params
    for (size_t i = 0; i < np; i++) {
      EXPECT_NE(elmo_dist_param_name(static_cast<elmo_dist_kind>(k), i), nullptr);
    }
    EXPECT_EQ(elmo_dist_param_name(static_cast<elmo_dist_kind>(k), np), nullptr);
  }
  EXPECT_EQ(elmo_dist_kind_name(static_cast<elmo_dist_kind>(14)), nullptr);
  elmo_dist_kind k;
  elmo_error err;
  EXPECT_EQ(elmo_dist_kind_from_name("zipf", &k, &err), ELMO_ENOTFOUND);
  EXPECT_NE(std::string(err.message).find("zipfian"), std::string::npos) << err.message;
  EXPECT_STREQ(elmo_dist_param_name(ELMO_DIST_GPARETO, 2), "k");
  EXPECT_EQ(Describe(Dist(ELMO_DIST_ZIPFIAN, 0.99, 0, 0, 0, 1000)), "zipfian(theta=0.99, n=1000)");
}

TEST(FitDist, ZipfCdfMatchesDirectSum) {
  const uint64_t n = 200000;
  for (double theta : {0.3, 0.99, 1.0, 1.01, 2.5}) {
    SCOPED_TRACE(testing::Message() << "theta=" << theta);
    std::vector<double> cum(n + 1, 0.0);
    for (uint64_t k = 1; k <= n; k++) cum[k] = cum[k - 1] + std::pow(double(k), -theta);
    elmo_dist d = Dist(ELMO_DIST_ZIPFIAN, theta, 0, 0, 0, n);
    for (uint64_t k : std::vector<uint64_t>{1, 2, 127, 128, 129, 1000, 54321, n - 1, n}) {
      EXPECT_NEAR(elmo_dist_cdf(&d, double(k)), cum[k] / cum[n], 1e-11) << "k=" << k;
    }
    EXPECT_EQ(elmo_dist_cdf(&d, 0.5), 0);
    EXPECT_NEAR(
        elmo_dist_mean(&d),
        [&] {
          double s = 0;
          for (uint64_t k = 1; k <= n; k++) s += double(k) * std::pow(double(k), -theta);
          return s / cum[n];
        }(),
        1e-6 * elmo_dist_mean(&d));
  }
}

struct SamplerCase {
  elmo_dist dist;
};

// Draws follow the model: the KS p-value of the draws against the true model is not small.
const SamplerCase kSamplerCases[] = {
    {{ELMO_DIST_FIXED, {7}, 0}},
    {{ELMO_DIST_UNIFORM, {-1, 3}, 0}},
    {{ELMO_DIST_NORMAL, {10, 2}, 0}},
    {{ELMO_DIST_EXPONENTIAL, {0.5}, 0}},
    {{ELMO_DIST_PARETO, {1, 2.5}, 0}},
    {{ELMO_DIST_GPARETO, {0, 25.45, 0.2615}, 0}},
    {{ELMO_DIST_GPARETO, {0, 14.236, 2.517}, 0}},
    {{ELMO_DIST_GPARETO, {5, 2, 0}, 0}},
    {{ELMO_DIST_GPARETO, {5, 2, -0.3}, 0}},
    {{ELMO_DIST_ZIPFIAN, {0.5}, 10}},
    {{ELMO_DIST_ZIPFIAN, {0.99}, 1000}},
    {{ELMO_DIST_ZIPFIAN, {1.0}, 1000}},
    {{ELMO_DIST_ZIPFIAN, {3.0}, 50}},
    {{ELMO_DIST_ZIPFIAN, {0.8}, 1000000000}},
    {{ELMO_DIST_LATEST, {1.2}, 100000}},
    {{ELMO_DIST_POWER, {0.002312, 0.3467}, 0}},
    {{ELMO_DIST_TWO_TERM_EXP, {14.18, -2.917, 0.0164, -0.08082}, 30}},
};

TEST(FitSampler, DrawsFollowTheModel) {
  for (const SamplerCase& c : kSamplerCases) {
    SCOPED_TRACE(Describe(c.dist));
    std::vector<double> v = Draw(c.dist, 20000, 7);
    elmo_sample s = elmo_sample_of_values(v.data(), v.size());
    elmo_gof g;
    elmo_error err;
    ASSERT_EQ(elmo_fit_gof(&c.dist, &s, &g, &err), ELMO_OK) << err.message;
    EXPECT_GT(g.ks_p, 0.01) << "D=" << g.ks_d;
    EXPECT_GT(g.r2, 0.99);
    // elmo_dist_sample (setup per call) draws from the same model.
    elmo_rng rng;
    elmo_rng_seed(&rng, 9);
    std::vector<double> w(2000);
    for (double& x : w) x = elmo_dist_sample(&c.dist, &rng);
    s = elmo_sample_of_values(w.data(), w.size());
    ASSERT_EQ(elmo_fit_gof(&c.dist, &s, &g, &err), ELMO_OK) << err.message;
    EXPECT_GT(g.ks_p, 0.01) << "D=" << g.ks_d;
  }
}

TEST(FitSampler, ZipfOverABillionKeysStaysInRange) {
  elmo_dist d = Dist(ELMO_DIST_ZIPFIAN, 0.99, 0, 0, 0, 1000000000ull);
  std::vector<double> v = Draw(d, 100000, 3);
  double mx = 0, ones = 0;
  for (double x : v) {
    ASSERT_GE(x, 1);
    ASSERT_LE(x, 1e9);
    ASSERT_EQ(x, std::floor(x));
    mx = std::max(mx, x);
    ones += x == 1;
  }
  EXPECT_GT(mx, 1e6);  // the tail is reached
  EXPECT_NEAR(ones / v.size(), elmo_dist_cdf(&d, 1), 0.005);
}

TEST(FitSampler, BadModelsAreRejected) {
  const elmo_dist bad[] = {
      Dist(ELMO_DIST_ZIPFIAN, 0.99),  // n missing
      Dist(ELMO_DIST_ZIPFIAN, 0, 0, 0, 0, 10),
      Dist(ELMO_DIST_NORMAL, 0, -1),
      Dist(ELMO_DIST_UNIFORM, 3, 3),
      Dist(ELMO_DIST_EXPONENTIAL, NAN),
      Dist(ELMO_DIST_GPARETO, 0, 0, 0.1),
      Dist(ELMO_DIST_TWO_TERM_EXP, -1, 0, 0, 0, 5),
      Dist(static_cast<elmo_dist_kind>(13), 1),
  };
  for (const elmo_dist& d : bad) {
    SCOPED_TRACE(Describe(d));
    elmo_sampler* s = reinterpret_cast<elmo_sampler*>(1);
    elmo_error err;
    EXPECT_EQ(elmo_sampler_create(&d, &s, &err), ELMO_EINVAL);
    EXPECT_EQ(s, nullptr);
    EXPECT_NE(err.message[0], '\0');
    elmo_rng rng;
    elmo_rng_seed(&rng, 1);
    EXPECT_TRUE(std::isnan(elmo_dist_sample(&d, &rng)));
    EXPECT_TRUE(std::isnan(elmo_dist_cdf(&d, 1.0)));
  }
  elmo_sampler_destroy(nullptr);
}

// ---- maximum-likelihood fits -------------------------------------------------------------------

struct FitCase {
  elmo_dist truth;
  size_t n;
  double tol[ELMO_DIST_PARAMS_MAX];  // absolute tolerance per parameter
};

std::ostream& operator<<(std::ostream& os, const FitCase& c) {
  return os << Describe(c.truth) << " from " << c.n << " draws";
}

const FitCase kFitCases[] = {
    {{ELMO_DIST_FIXED, {42}, 0}, 20000, {0}},
    {{ELMO_DIST_UNIFORM, {-3, 7}, 0}, 50000, {0.01, 0.01}},
    {{ELMO_DIST_NORMAL, {100, 15}, 0}, 50000, {0.3, 0.3}},
    {{ELMO_DIST_EXPONENTIAL, {0.25}, 0}, 50000, {0.005}},
    {{ELMO_DIST_PARETO, {2, 3}, 0}, 50000, {0.01, 0.05}},
    {{ELMO_DIST_GPARETO, {10, 25.45, 0.2615}, 0}, 100000, {0.01, 0.4, 0.015}},
    {{ELMO_DIST_GPARETO, {0, 1, -0.2}, 0}, 50000, {0.01, 0.02, 0.015}},
    {{ELMO_DIST_ZIPFIAN, {0.5}, 1000000}, 100000, {0.01}},
    {{ELMO_DIST_ZIPFIAN, {0.8}, 1000000}, 100000, {0.01}},
    {{ELMO_DIST_ZIPFIAN, {0.99}, 1000000}, 100000, {0.01}},
    {{ELMO_DIST_ZIPFIAN, {1.2}, 1000000}, 100000, {0.01}},
    {{ELMO_DIST_ZIPFIAN, {0.99}, 1000}, 50000, {0.01}},
    {{ELMO_DIST_LATEST, {0.9}, 5000}, 50000, {0.01}},
};

TEST(FitDistMle, RecoversParameters) {
  for (const FitCase& c : kFitCases) {
    SCOPED_TRACE(testing::Message() << c);
    std::vector<double> v = Draw(c.truth, c.n, 1234);
    elmo_sample s = elmo_sample_of_values(v.data(), v.size());
    elmo_fit_options o;
    elmo_fit_options_init(&o);
    o.rank_n = c.truth.n;
    elmo_fit f;
    elmo_error err;
    ASSERT_EQ(elmo_fit_dist(c.truth.kind, &s, &o, &f, &err), ELMO_OK) << err.message;
    SCOPED_TRACE("fitted " + Describe(f.dist));
    EXPECT_EQ(f.dist.kind, c.truth.kind);
    EXPECT_EQ(f.dist.n, c.truth.n);
    for (size_t i = 0; i < elmo_dist_param_count(c.truth.kind); i++) {
      EXPECT_NEAR(f.dist.params[i], c.truth.params[i], c.tol[i]) << "param " << i;
    }
    EXPECT_GT(f.gof.ks_p, 0.05) << "D=" << f.gof.ks_d;
    EXPECT_GT(f.gof.r2, 0.99);
    EXPECT_EQ(f.gof.n, c.n);
    EXPECT_TRUE(std::isfinite(f.gof.log_lik));
  }
}

TEST(FitDistMle, HistogramGivesTheSameFitAsTheValues) {
  // Integer-valued data (key sizes, value sizes) as the characterizer's histograms hold them.
  std::vector<double> v = Draw(Dist(ELMO_DIST_GPARETO, 10, 25.45, 0.2615), 30000, 5);
  for (double& x : v) x = std::floor(x);
  std::vector<elmo_hist_bin> bins = ToHist(v);
  bins.push_back({12345.0, 0});          // zero counts are ignored
  std::swap(bins.front(), bins.back());  // any order
  const elmo_dist_kind kinds[] = {ELMO_DIST_NORMAL,  ELMO_DIST_EXPONENTIAL, ELMO_DIST_PARETO,
                                  ELMO_DIST_GPARETO, ELMO_DIST_UNIFORM,     ELMO_DIST_FIXED};
  for (elmo_dist_kind k : kinds) {
    SCOPED_TRACE(elmo_dist_kind_name(k));
    elmo_sample sv = elmo_sample_of_values(v.data(), v.size());
    elmo_sample sh = elmo_sample_of_bins(bins.data(), bins.size());
    elmo_fit fv, fh;
    ASSERT_EQ(elmo_fit_dist(k, &sv, nullptr, &fv, nullptr), ELMO_OK);
    ASSERT_EQ(elmo_fit_dist(k, &sh, nullptr, &fh, nullptr), ELMO_OK);
    for (int i = 0; i < ELMO_DIST_PARAMS_MAX; i++) {
      EXPECT_NEAR(fv.dist.params[i], fh.dist.params[i], 1e-9 * (1 + std::fabs(fv.dist.params[i])));
    }
    EXPECT_NEAR(fv.gof.ks_d, fh.gof.ks_d, 1e-12);
    EXPECT_NEAR(fv.gof.r2, fh.gof.r2, 1e-12);
    EXPECT_EQ(fv.gof.n, fh.gof.n);
  }
}

struct WrongCase {
  elmo_dist truth;
  elmo_dist_kind wrong;
};

const WrongCase kWrongCases[] = {
    {{ELMO_DIST_NORMAL, {100, 15}, 0}, ELMO_DIST_EXPONENTIAL},
    {{ELMO_DIST_NORMAL, {100, 15}, 0}, ELMO_DIST_UNIFORM},
    {{ELMO_DIST_EXPONENTIAL, {0.25}, 0}, ELMO_DIST_NORMAL},
    {{ELMO_DIST_UNIFORM, {1, 2}, 0}, ELMO_DIST_PARETO},
    {{ELMO_DIST_PARETO, {1, 1.5}, 0}, ELMO_DIST_EXPONENTIAL},
    {{ELMO_DIST_ZIPFIAN, {1.2}, 1000}, ELMO_DIST_EXPONENTIAL},
};

TEST(FitDistMle, WrongModelIsRejected) {
  for (const WrongCase& c : kWrongCases) {
    SCOPED_TRACE(Describe(c.truth) + " fitted as " + elmo_dist_kind_name(c.wrong));
    std::vector<double> v = Draw(c.truth, 20000, 99);
    elmo_sample s = elmo_sample_of_values(v.data(), v.size());
    elmo_fit f;
    elmo_error err;
    ASSERT_EQ(elmo_fit_dist(c.wrong, &s, nullptr, &f, &err), ELMO_OK) << err.message;
    EXPECT_LT(f.gof.ks_p, 1e-6) << "D=" << f.gof.ks_d;
  }
}

// ---- the chooser -------------------------------------------------------------------------------

struct BestCase {
  elmo_dist truth;
  elmo_fit_rank rank_by;
};

const BestCase kBestCases[] = {
    {{ELMO_DIST_FIXED, {16}, 0}, ELMO_FIT_RANK_KS},
    {{ELMO_DIST_UNIFORM, {10, 20}, 0}, ELMO_FIT_RANK_KS},
    {{ELMO_DIST_NORMAL, {100, 15}, 0}, ELMO_FIT_RANK_KS},
    {{ELMO_DIST_EXPONENTIAL, {0.25}, 0}, ELMO_FIT_RANK_KS},
    {{ELMO_DIST_PARETO, {2, 3}, 0}, ELMO_FIT_RANK_KS},
    {{ELMO_DIST_GPARETO, {10, 25.45, 0.2615}, 0}, ELMO_FIT_RANK_KS},
    {{ELMO_DIST_ZIPFIAN, {0.99}, 100000}, ELMO_FIT_RANK_KS},
    {{ELMO_DIST_NORMAL, {100, 15}, 0}, ELMO_FIT_RANK_AIC},
    {{ELMO_DIST_EXPONENTIAL, {0.25}, 0}, ELMO_FIT_RANK_BIC},
    {{ELMO_DIST_PARETO, {2, 3}, 0}, ELMO_FIT_RANK_BIC},
    {{ELMO_DIST_GPARETO, {10, 25.45, 0.2615}, 0}, ELMO_FIT_RANK_AIC},
};

TEST(FitBest, PicksTheTrueModel) {
  for (const BestCase& c : kBestCases) {
    SCOPED_TRACE(Describe(c.truth) + (c.rank_by == ELMO_FIT_RANK_AIC   ? " by AIC"
                                      : c.rank_by == ELMO_FIT_RANK_BIC ? " by BIC"
                                                                       : " by KS"));
    std::vector<double> v = Draw(c.truth, 20000, 2024);
    elmo_sample s = elmo_sample_of_values(v.data(), v.size());
    elmo_fit_options o;
    elmo_fit_options_init(&o);
    o.rank_n = c.truth.n;
    o.rank_by = c.rank_by;
    elmo_fit_report r;
    elmo_error err;
    ASSERT_EQ(elmo_fit_best(&s, &o, &r, &err), ELMO_OK) << err.message;
    ASSERT_GE(r.n_fits, 1u);
    std::string all;
    for (size_t i = 0; i < r.n_fits; i++) {
      all += Describe(r.fits[i].dist) + " D=" + std::to_string(r.fits[i].gof.ks_d) + "; ";
    }
    EXPECT_EQ(r.fits[0].dist.kind, c.truth.kind) << all;
    EXPECT_FALSE(r.best_is_poor) << all;
  }
}

TEST(FitBest, FlagsAPoorBestFit) {
  // A bimodal mixture fits none of the models.
  elmo_rng rng;
  elmo_rng_seed(&rng, 5);
  std::vector<double> v(20000);
  for (size_t i = 0; i < v.size(); i++) v[i] = (i % 2 ? 0 : 50) + elmo_rng_normal(&rng);
  elmo_sample s = elmo_sample_of_values(v.data(), v.size());
  elmo_fit_report r;
  ASSERT_EQ(elmo_fit_best(&s, nullptr, &r, nullptr), ELMO_OK);
  EXPECT_TRUE(r.best_is_poor);
  // Only the models asked for are tried; the thresholds are the caller's.
  elmo_fit_options o;
  elmo_fit_options_init(&o);
  o.kinds = 1u << ELMO_DIST_NORMAL | 1u << ELMO_DIST_EXPONENTIAL;
  o.min_ks_p = 0;
  o.min_r2 = 0.5;
  ASSERT_EQ(elmo_fit_best(&s, &o, &r, nullptr), ELMO_OK);
  EXPECT_EQ(r.n_fits, 1u);  // exponential does not apply to negative values
  EXPECT_EQ(r.fits[0].dist.kind, ELMO_DIST_NORMAL);
  EXPECT_FALSE(r.best_is_poor);
}

// ---- two-sample KS -----------------------------------------------------------------------------

TEST(FitKs, TwoSample) {
  elmo_dist n01 = Dist(ELMO_DIST_NORMAL, 0, 1);
  std::vector<double> a = Draw(n01, 20000, 1), b = Draw(n01, 15000, 2);
  std::vector<double> shifted = Draw(Dist(ELMO_DIST_NORMAL, 0.1, 1), 15000, 3);
  elmo_sample sa = elmo_sample_of_values(a.data(), a.size());
  elmo_sample sb = elmo_sample_of_values(b.data(), b.size());
  elmo_sample ss = elmo_sample_of_values(shifted.data(), shifted.size());
  elmo_ks2 k;
  ASSERT_EQ(elmo_ks_two_sample(&sa, &sb, &k, nullptr), ELMO_OK);
  EXPECT_GT(k.p, 0.05) << "D=" << k.d;
  EXPECT_EQ(k.n1, 20000u);
  EXPECT_EQ(k.n2, 15000u);
  ASSERT_EQ(elmo_ks_two_sample(&sa, &ss, &k, nullptr), ELMO_OK);
  EXPECT_LT(k.p, 0.01) << "D=" << k.d;
  // Histograms of ranks (a trace against its synthesized replay).
  elmo_dist z = Dist(ELMO_DIST_ZIPFIAN, 0.99, 0, 0, 0, 10000);
  std::vector<elmo_hist_bin> h1 = ToHist(Draw(z, 30000, 4)), h2 = ToHist(Draw(z, 30000, 5));
  std::vector<elmo_hist_bin> h3 =
      ToHist(Draw(Dist(ELMO_DIST_ZIPFIAN, 0.9, 0, 0, 0, 10000), 30000, 6));
  elmo_sample s1 = elmo_sample_of_bins(h1.data(), h1.size());
  elmo_sample s2 = elmo_sample_of_bins(h2.data(), h2.size());
  elmo_sample s3 = elmo_sample_of_bins(h3.data(), h3.size());
  ASSERT_EQ(elmo_ks_two_sample(&s1, &s2, &k, nullptr), ELMO_OK);
  EXPECT_GT(k.p, 0.05) << "D=" << k.d;
  ASSERT_EQ(elmo_ks_two_sample(&s1, &s3, &k, nullptr), ELMO_OK);
  EXPECT_LT(k.p, 0.01) << "D=" << k.d;
  // Identical samples: D = 0, p = 1.
  ASSERT_EQ(elmo_ks_two_sample(&sa, &sa, &k, nullptr), ELMO_OK);
  EXPECT_EQ(k.d, 0);
  EXPECT_EQ(k.p, 1);
}

// ---- curve fits --------------------------------------------------------------------------------

struct CurveCase {
  elmo_dist truth;
  double x0, x1;  // x range
  int n;
  bool log_spaced;
  double noise;    // stddev of additive noise
  double rel_tol;  // relative tolerance on each parameter
};

std::ostream& operator<<(std::ostream& os, const CurveCase& c) {
  return os << Describe(c.truth) << " on [" << c.x0 << ", " << c.x1 << "] noise " << c.noise;
}

double Eval(const elmo_dist& d, double x) {
  const double* p = d.params;
  if (d.kind == ELMO_DIST_POWER) return p[0] * std::pow(x, p[1]);
  return p[0] * std::exp(p[1] * x) + p[2] * std::exp(p[3] * x);
}

const CurveCase kCurveCases[] = {
    {{ELMO_DIST_POWER, {0.8, 0.35}, 0}, 0.005, 1, 200, false, 0.002, 0.02},
    {{ELMO_DIST_POWER, {0.002312, 0.3467}, 0}, 1, 1e7, 100, true, 0, 1e-6},
    {{ELMO_DIST_POWER, {3, -1.5}, 0}, 1, 100, 100, true, 0.001, 0.01},
    {{ELMO_DIST_TWO_TERM_EXP, {5, -1.5, 1, -0.1}, 0}, 0, 10, 200, false, 0.002, 0.03},
    {{ELMO_DIST_TWO_TERM_EXP, {14.18, -2.917, 0.0164, -0.08082}, 0}, 1, 30, 30, false, 0, 0.01},
    {{ELMO_DIST_TWO_TERM_EXP, {3e22, -0.5, 1e-8, 0.2}, 0}, 100, 110, 100, false, 0, 0.01},
};

TEST(FitCurve, RecoversParameters) {
  for (const CurveCase& c : kCurveCases) {
    SCOPED_TRACE(testing::Message() << c);
    elmo_rng rng;
    elmo_rng_seed(&rng, 17);
    std::vector<double> x(c.n), y(c.n);
    for (int i = 0; i < c.n; i++) {
      double t = double(i) / (c.n - 1);
      x[i] = c.log_spaced ? c.x0 * std::pow(c.x1 / c.x0, t) : c.x0 + (c.x1 - c.x0) * t;
      y[i] = Eval(c.truth, x[i]) + c.noise * elmo_rng_normal(&rng);
    }
    elmo_curve_fit f;
    elmo_error err;
    ASSERT_EQ(elmo_fit_curve(c.truth.kind, x.data(), y.data(), x.size(), &f, &err), ELMO_OK)
        << err.message;
    SCOPED_TRACE("fitted " + Describe(f.curve));
    for (size_t i = 0; i < elmo_dist_param_count(c.truth.kind); i++) {
      EXPECT_NEAR(f.curve.params[i], c.truth.params[i], c.rel_tol * std::fabs(c.truth.params[i]))
          << "param " << i;
    }
    EXPECT_GT(f.r2, 0.99);
  }
}

struct SineCase {
  double a, b, c, d;
  int n;
  double dx, noise;
};

const SineCase kSineCases[] = {
    {350, 0.0105, 0.7, 50000, 3000, 1, 50},  // mixgraph's sine_a/b/d, one point a second
    {10, 2 * M_PI / 50, -1, 0, 500, 1, 1},
    {2, 2 * M_PI / 7.5, 2.5, 100, 400, 0.25, 0.3},
};

TEST(FitSine, RecoversPeriodAndAmplitude) {
  for (const SineCase& c : kSineCases) {
    SCOPED_TRACE(testing::Message() << "A=" << c.a << " B=" << c.b << " C=" << c.c << " D=" << c.d);
    elmo_rng rng;
    elmo_rng_seed(&rng, 23);
    std::vector<double> x(c.n), y(c.n);
    for (int i = 0; i < c.n; i++) {
      x[i] = i * c.dx;
      y[i] = c.a * std::sin(c.b * x[i] + c.c) + c.d + c.noise * elmo_rng_normal(&rng);
    }
    elmo_sine_fit f;
    elmo_error err;
    ASSERT_EQ(elmo_fit_sine(x.data(), y.data(), x.size(), &f, &err), ELMO_OK) << err.message;
    EXPECT_NEAR(f.b, c.b, 0.01 * c.b);
    EXPECT_NEAR(f.period, 2 * M_PI / c.b, 0.01 * 2 * M_PI / c.b);
    EXPECT_NEAR(f.a, c.a, 0.05 * c.a);
    EXPECT_NEAR(f.d, c.d, 0.05 * c.a);
    EXPECT_NEAR(std::remainder(f.c - c.c, 2 * M_PI), 0, 0.1);
    EXPECT_GT(f.r2, 0.9);
  }
}

TEST(FitTrend, DetectsASlopeAndNotNoise) {
  elmo_rng rng;
  elmo_rng_seed(&rng, 31);
  std::vector<double> x(1000), up(1000), flat(1000);
  for (int i = 0; i < 1000; i++) {
    x[i] = i;
    up[i] = 3 + 0.01 * i + elmo_rng_normal(&rng);
    flat[i] = 10 + elmo_rng_normal(&rng);
  }
  elmo_trend_fit f;
  ASSERT_EQ(elmo_fit_trend(x.data(), up.data(), x.size(), 0.05, &f, nullptr), ELMO_OK);
  EXPECT_NEAR(f.slope, 0.01, 0.0015);
  EXPECT_NEAR(f.intercept, 3, 0.2);
  EXPECT_TRUE(f.significant);
  EXPECT_LT(f.p_value, 1e-10);
  EXPECT_GT(f.t_stat, 10);
  ASSERT_EQ(elmo_fit_trend(x.data(), flat.data(), x.size(), 0.05, &f, nullptr), ELMO_OK);
  EXPECT_FALSE(f.significant) << "t=" << f.t_stat << " p=" << f.p_value;
  EXPECT_GT(f.p_value, 0.05);
  EXPECT_LT(std::fabs(f.slope), 0.001);
}

// ---- bad input ---------------------------------------------------------------------------------

struct BadFitCase {
  const char* what;
  elmo_dist_kind kind;
  std::vector<double> values;
  uint64_t rank_n;
};

const double kNan = std::nan("");

const BadFitCase kBadFitCases[] = {
    {"empty", ELMO_DIST_NORMAL, {}, 0},
    {"one value", ELMO_DIST_NORMAL, {3}, 0},
    {"NaN", ELMO_DIST_NORMAL, {1, kNan, 2}, 0},
    {"infinity", ELMO_DIST_UNIFORM, {1, INFINITY, 2}, 0},
    {"no spread", ELMO_DIST_NORMAL, {2, 2, 2}, 0},
    {"no spread", ELMO_DIST_GPARETO, {2, 2, 2}, 0},
    {"negative", ELMO_DIST_EXPONENTIAL, {1, -1, 2}, 0},
    {"all zero", ELMO_DIST_EXPONENTIAL, {0, 0}, 0},
    {"zero", ELMO_DIST_PARETO, {0, 1, 2}, 0},
    {"no rank_n", ELMO_DIST_ZIPFIAN, {1, 2, 3}, 0},
    {"fractional rank", ELMO_DIST_ZIPFIAN, {1, 2.5, 3}, 10},
    {"rank above n", ELMO_DIST_LATEST, {1, 2, 11}, 10},
    {"rank 0", ELMO_DIST_ZIPFIAN, {0, 1, 2}, 10},
    {"curve kind", ELMO_DIST_POWER, {1, 2, 3}, 0},
    {"unknown kind", static_cast<elmo_dist_kind>(12), {1, 2, 3}, 0},
};

TEST(FitBadInput, FitsSayWhatIsWrong) {
  for (const BadFitCase& c : kBadFitCases) {
    SCOPED_TRACE(testing::Message() << c.what << " for " << int(c.kind));
    elmo_fit_options o;
    elmo_fit_options_init(&o);
    o.rank_n = c.rank_n;
    elmo_sample s =
        elmo_sample_of_values(c.values.empty() ? &kNan : c.values.data(), c.values.size());
    elmo_fit f;
    f.gof.r2 = 5;
    elmo_error err;
    elmo_error_clear(&err);
    EXPECT_EQ(elmo_fit_dist(c.kind, &s, &o, &f, &err), ELMO_EINVAL);
    EXPECT_EQ(err.code, ELMO_EINVAL);
    EXPECT_NE(err.message[0], '\0');
    EXPECT_EQ(f.gof.r2, 0);
  }
}

TEST(FitBadInput, OtherEntryPoints) {
  elmo_error err;
  elmo_fit f;
  elmo_fit_report r;
  elmo_ks2 k;
  elmo_gof g;
  EXPECT_EQ(elmo_fit_dist(ELMO_DIST_NORMAL, nullptr, nullptr, &f, &err), ELMO_EINVAL);
  elmo_sample neither = {nullptr, 0, nullptr, 0};
  EXPECT_EQ(elmo_fit_best(&neither, nullptr, &r, &err), ELMO_EINVAL);
  const double one[] = {1.0};
  elmo_sample s1 = elmo_sample_of_values(one, 1);
  EXPECT_EQ(elmo_fit_best(&s1, nullptr, &r, &err), ELMO_EINVAL);
  EXPECT_EQ(r.n_fits, 0u);
  const elmo_hist_bin empty_bins[] = {{1.0, 0}};
  elmo_sample sb = elmo_sample_of_bins(empty_bins, 1);
  EXPECT_EQ(elmo_ks_two_sample(&s1, &sb, &k, &err), ELMO_EINVAL);
  EXPECT_NE(std::string(err.message).find("second sample"), std::string::npos) << err.message;
  EXPECT_EQ(elmo_ks_two_sample(&s1, &s1, nullptr, &err), ELMO_EINVAL);
  elmo_dist d = Dist(ELMO_DIST_NORMAL, 0, 1);
  EXPECT_EQ(elmo_fit_gof(&d, &sb, &g, &err), ELMO_EINVAL);
  EXPECT_EQ(elmo_fit_gof(&d, &s1, &g, &err), ELMO_OK);  // one observation is enough for GoF

  const double x[] = {0, 1, 2, 3, 4, 5}, y[] = {1, 2, 3, 4, 5, 6}, c[] = {2, 2, 2, 2, 2, 2};
  const double xnan[] = {0, 1, kNan, 3, 4, 5};
  elmo_curve_fit cf;
  elmo_trend_fit tf;
  elmo_sine_fit sf;
  EXPECT_EQ(elmo_fit_curve(ELMO_DIST_POWER, x, y, 6, &cf, &err), ELMO_EINVAL);  // x = 0
  EXPECT_NE(std::string(err.message).find("x must be > 0"), std::string::npos) << err.message;
  EXPECT_EQ(elmo_fit_curve(ELMO_DIST_POWER, y, c, 6, &cf, &err), ELMO_EINVAL);  // y constant
  EXPECT_EQ(elmo_fit_curve(ELMO_DIST_TWO_TERM_EXP, x, y, 4, &cf, &err), ELMO_EINVAL);
  EXPECT_EQ(elmo_fit_curve(ELMO_DIST_NORMAL, x, y, 6, &cf, &err), ELMO_EINVAL);
  EXPECT_EQ(elmo_fit_curve(ELMO_DIST_POWER, xnan, y, 6, &cf, &err), ELMO_EINVAL);
  EXPECT_EQ(elmo_fit_trend(x, y, 2, 0.05, &tf, &err), ELMO_EINVAL);
  EXPECT_EQ(elmo_fit_trend(c, y, 6, 0.05, &tf, &err), ELMO_EINVAL);  // x constant
  EXPECT_EQ(elmo_fit_trend(x, y, 6, 1.5, &tf, &err), ELMO_EINVAL);
  EXPECT_EQ(elmo_fit_trend(xnan, y, 6, 0.05, &tf, &err), ELMO_EINVAL);
  EXPECT_EQ(elmo_fit_sine(x, y, 4, &sf, &err), ELMO_EINVAL);
  EXPECT_EQ(elmo_fit_sine(c, y, 6, &sf, &err), ELMO_EINVAL);
  EXPECT_EQ(elmo_fit_sine(x, c, 6, &sf, &err), ELMO_EINVAL);
  EXPECT_EQ(elmo_fit_sine(nullptr, y, 6, &sf, &err), ELMO_EINVAL);
}

// ---- JSON --------------------------------------------------------------------------------------

TEST(FitJson, RoundTrips) {
  for (const SamplerCase& c : kSamplerCases) {
    SCOPED_TRACE(Describe(c.dist));
    char* json = elmo_dist_to_json(&c.dist);
    ASSERT_NE(json, nullptr);
    elmo_dist back;
    elmo_error err;
    ASSERT_EQ(elmo_dist_from_json(json, &back, &err), ELMO_OK) << json << ": " << err.message;
    EXPECT_EQ(back.kind, c.dist.kind);
    EXPECT_EQ(back.n, c.dist.n);
    for (int i = 0; i < ELMO_DIST_PARAMS_MAX; i++) EXPECT_EQ(back.params[i], c.dist.params[i]);
    elmo_free(json);
  }
  elmo_dist z = Dist(ELMO_DIST_ZIPFIAN, 0.99, 0, 0, 0, 1000);
  char* json = elmo_dist_to_json(&z);
  EXPECT_STREQ(json, "{\"dist\":\"zipfian\",\"theta\":0.99,\"n\":1000}");
  elmo_free(json);
  elmo_fit f = {};
  f.dist = Dist(ELMO_DIST_NORMAL, 1, 2);
  f.gof.r2 = 0.5, f.gof.ks_d = 0.25, f.gof.ks_p = 1, f.gof.log_lik = -INFINITY;
  f.gof.aic = INFINITY, f.gof.bic = NAN, f.gof.n = 10;
  json = elmo_fit_to_json(&f);
  EXPECT_STREQ(json,
               "{\"dist\":{\"dist\":\"normal\",\"mean\":1,\"stddev\":2},\"r2\":0.5,\"ks_d\":0.25,"
               "\"ks_p\":1,\"log_lik\":null,\"aic\":null,\"bic\":null,\"n\":10}");
  elmo_free(json);
}

struct JsonCase {
  const char* json;
  elmo_rc rc;
  elmo_dist_kind kind;
  const char* message_has;  // for errors
};

const JsonCase kJsonCases[] = {
    {"{\"dist\":\"zipfian\",\"theta\":0.99}", ELMO_OK, ELMO_DIST_ZIPFIAN, ""},
    {"{\"dist\":\"latest\",\"theta\":0.5,\"n\":100}", ELMO_OK, ELMO_DIST_LATEST, ""},
    {"{\"dist\":\"pareto\",\"theta\":0,\"sigma\":25.45,\"k\":0.2615}", ELMO_OK, ELMO_DIST_GPARETO,
     ""},
    {"{\"dist\":\"pareto\",\"xm\":1,\"alpha\":2}", ELMO_OK, ELMO_DIST_PARETO, ""},
    {"{\"dist\":\"two_term_exp\",\"a\":14.18,\"b\":-2.917,\"c\":0.0164,\"d\":-0.08082,\"n\":30}",
     ELMO_OK, ELMO_DIST_TWO_TERM_EXP, ""},
    {"{\"dist\":\"zipfian\",\"theta\":-1}", ELMO_EINVAL, ELMO_DIST_FIXED,
     "field 'theta' must be a number > 0, got -1"},
    {"{\"dist\":\"zipfian\"}", ELMO_EINVAL, ELMO_DIST_FIXED, "missing field 'theta'"},
    {"{\"dist\":\"zipfian\",\"theta\":\"0.9\"}", ELMO_EINVAL, ELMO_DIST_FIXED,
     "field 'theta' must be a number"},
    {"{\"dist\":\"zipfian\",\"theta\":0.9,\"n\":1.5}", ELMO_EINVAL, ELMO_DIST_FIXED, "field 'n'"},
    {"{\"dist\":\"normal\",\"mean\":1,\"stdev\":2}", ELMO_EINVAL, ELMO_DIST_FIXED,
     "unknown field 'stdev' (allowed: dist, mean, stddev, min, max)"},
    {"{\"dist\":\"normal\",\"mean\":1,\"stddev\":0}", ELMO_EINVAL, ELMO_DIST_FIXED, "'stddev'"},
    {"{\"dist\":\"uniform\",\"min\":5,\"max\":1}", ELMO_EINVAL, ELMO_DIST_FIXED, "'max'"},
    {"{\"dist\":\"fixed\",\"value\":1,\"n\":3}", ELMO_EINVAL, ELMO_DIST_FIXED, "unknown field 'n'"},
    {"{\"dist\":\"zipf\",\"theta\":1}", ELMO_ENOTFOUND, ELMO_DIST_FIXED, "zipfian"},
    {"{\"theta\":1}", ELMO_EINVAL, ELMO_DIST_FIXED, "'dist'"},
    {"[1,2]", ELMO_EPARSE, ELMO_DIST_FIXED, "object"},
    {"{\"dist\":", ELMO_EPARSE, ELMO_DIST_FIXED, "not valid JSON"},
};

TEST(FitJson, ReadsAndValidates) {
  for (const JsonCase& c : kJsonCases) {
    SCOPED_TRACE(c.json);
    elmo_dist d;
    elmo_error err;
    elmo_error_clear(&err);
    EXPECT_EQ(elmo_dist_from_json(c.json, &d, &err), c.rc) << err.message;
    EXPECT_EQ(d.kind, c.kind);
    if (c.rc != ELMO_OK) {
      EXPECT_NE(std::string(err.message).find(c.message_has), std::string::npos) << err.message;
    }
  }
  elmo_dist d;
  EXPECT_EQ(elmo_dist_from_json(nullptr, &d, nullptr), ELMO_EINVAL);
}

TEST(FitJson, ReadsFromAParsedSpec) {
  cJSON* spec = cJSON_Parse(
      "{\"value_size\":{\"dist\":\"pareto\",\"theta\":10,\"sigma\":25.45,\"k\":0.2615},"
      "\"key\":{\"dist\":\"zipfian\",\"theta\":1.2}}");
  ASSERT_NE(spec, nullptr);
  elmo_dist v, k;
  elmo_error err;
  ASSERT_EQ(elmo_dist_from_cjson(cJSON_GetObjectItem(spec, "value_size"), &v, &err), ELMO_OK)
      << err.message;
  EXPECT_EQ(v.kind, ELMO_DIST_GPARETO);
  EXPECT_EQ(v.params[1], 25.45);
  ASSERT_EQ(elmo_dist_from_cjson(cJSON_GetObjectItem(spec, "key"), &k, &err), ELMO_OK);
  EXPECT_EQ(k.n, 0u);  // not known yet: cannot be sampled until set
  elmo_sampler* s = nullptr;
  EXPECT_EQ(elmo_sampler_create(&k, &s, &err), ELMO_EINVAL);
  EXPECT_NE(std::string(err.message).find("'n'"), std::string::npos) << err.message;
  k.n = 1000;
  ASSERT_EQ(elmo_sampler_create(&k, &s, &err), ELMO_OK) << err.message;
  elmo_sampler_destroy(s);
  EXPECT_EQ(elmo_dist_from_cjson(cJSON_GetObjectItem(spec, "missing"), &k, &err), ELMO_EPARSE);
  cJSON_Delete(spec);
}

}  // namespace
