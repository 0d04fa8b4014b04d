// fit_clamp_test.cc — clamped size models (a floor and/or a ceiling: CDF, mean, sampling,
// validation, JSON), the censored fits of floored data (elmo_fit_floored, elmo_fit_best with
// try_floor) and the "classes" popularity model (validation, CDF, sampling, JSON). Fixed seeds.
#include <cjson/cJSON.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "fit_draw.h"

#include "elmo/fit.h"

namespace {

elmo_dist Gp(double theta, double sigma, double k) {
  elmo_dist d{};
  d.kind = ELMO_DIST_GPARETO, d.params[0] = theta, d.params[1] = sigma, d.params[2] = k;
  return d;
}

elmo_dist Floored(elmo_dist d, double min) {
  d.clamp |= ELMO_DIST_CLAMP_MIN, d.clamp_min = min;
  return d;
}

elmo_dist Capped(elmo_dist d, double max) {
  d.clamp |= ELMO_DIST_CLAMP_MAX, d.clamp_max = max;
  return d;
}

using elmo_test::Draw;

// mixgraph's value sizes: max(10, ceil(gpareto(0, 25.45, 0.2615))) as a histogram.
std::vector<elmo_hist_bin> MixgraphValues(size_t n, uint64_t seed) {
  std::vector<double> raw = Draw(Gp(0, 25.45, 0.2615), n, seed);
  std::map<double, uint64_t> h;
  for (double x : raw) h[std::max(10.0, std::ceil(x))]++;
  std::vector<elmo_hist_bin> bins;
  for (auto& [v, c] : h) bins.push_back({v, c});
  return bins;
}

// ---- clamps on the model ------------------------------------------------------------------

TEST(FitClamp, CdfMeanAndDrawsIncludeTheClamps) {
  const elmo_dist plain = Gp(0, 25.45, 0.2615), d = Floored(plain, 10);
  const double p0 = elmo_dist_cdf(&plain, 10);
  EXPECT_NEAR(p0, 0.312, 0.002);  // mixgraph: 31% of the values are the 10-byte floor
  EXPECT_EQ(elmo_dist_cdf(&d, 9.999), 0);
  EXPECT_DOUBLE_EQ(elmo_dist_cdf(&d, 10), p0);
  EXPECT_DOUBLE_EQ(elmo_dist_cdf(&d, 50), elmo_dist_cdf(&plain, 50));
  // E[max(10, X)] for a GPD: 10 + (1 - p0)·sigma_10/(1 - k), sigma_10 = sigma + k·10.
  const double want = 10 + (1 - p0) * (25.45 + 0.2615 * 10) / (1 - 0.2615);
  EXPECT_NEAR(elmo_dist_mean(&d), want, 1e-3 * want);
  std::vector<double> v = Draw(d, 200000, 7);
  size_t at_floor = 0;
  double sum = 0;
  for (double x : v) {
    ASSERT_GE(x, 10);
    at_floor += x == 10;
    sum += x;
  }
  EXPECT_NEAR(double(at_floor) / v.size(), p0, 0.004);
  EXPECT_NEAR(sum / v.size(), want, 0.02 * want);
  // a ceiling: the mass above it sits at it; the mean is of the capped variable
  elmo_dist both = Capped(d, 100);
  std::vector<double> w = Draw(both, 200000, 8);
  size_t at_cap = 0;
  for (double x : w) {
    ASSERT_LE(x, 100);
    ASSERT_GE(x, 10);
    at_cap += x == 100;
  }
  EXPECT_NEAR(double(at_cap) / w.size(), 1 - elmo_dist_cdf(&plain, 100), 0.003);
  EXPECT_EQ(elmo_dist_cdf(&both, 100), 1);
  EXPECT_LT(elmo_dist_mean(&both), elmo_dist_mean(&d));
  // goodness of fit of the true floored model against its own draws is good
  elmo_sample s = elmo_sample_of_values(v.data(), v.size());
  elmo_gof g;
  ASSERT_EQ(elmo_fit_gof(&d, &s, &g, nullptr), ELMO_OK);
  EXPECT_LT(g.ks_d, 0.01);
  ASSERT_EQ(elmo_fit_gof(&plain, &s, &g, nullptr), ELMO_OK);
  EXPECT_GT(g.ks_d, 0.25);  // the unclamped model misses the spike
}

TEST(FitClamp, ValidationNamesTheField) {
  struct Case {
    elmo_dist d;
    const char* message;  // empty: valid
  };
  elmo_dist fixed{}, zipf{}, normal{};
  fixed.kind = ELMO_DIST_FIXED, fixed.params[0] = 5;
  zipf.kind = ELMO_DIST_ZIPFIAN, zipf.params[0] = 0.9, zipf.n = 10;
  normal.kind = ELMO_DIST_NORMAL, normal.params[0] = 5, normal.params[1] = 1;
  elmo_dist gp = Gp(0, 25, 0.2);
  const Case cases[] = {
      {Floored(gp, 10), ""},
      {Capped(Floored(normal, 1), 9), ""},
      {Floored(fixed, 1), "fixed: takes no clamp"},
      {Floored(zipf, 1), "zipfian: takes no clamp"},
      {Capped(Floored(gp, 10), 10), "gpareto: field 'min' (10) must be below 'max' (10)"},
      {Floored(gp, NAN), "gpareto: field 'min' must be a finite number"},
      {Capped(gp, INFINITY), "gpareto: field 'max' must be a finite number"},
  };
  for (const Case& c : cases) {
    elmo_error err;
    elmo_error_clear(&err);
    elmo_rc rc = elmo_dist_validate(&c.d, 1, &err);
    if (*c.message == '\0') {
      EXPECT_EQ(rc, ELMO_OK) << err.message;
    } else {
      EXPECT_EQ(rc, ELMO_EINVAL) << c.message;
      EXPECT_NE(std::string(err.message).find(c.message), std::string::npos) << err.message;
    }
  }
}

TEST(FitClamp, JsonRoundTripAndErrors) {
  elmo_dist d;
  elmo_error err;
  ASSERT_EQ(elmo_dist_from_json(
                R"({"dist":"pareto","theta":0,"sigma":25.45,"k":0.2615,"min":10,"max":1024})", &d,
                &err),
            ELMO_OK)
      << err.message;
  EXPECT_EQ(d.kind, ELMO_DIST_GPARETO);
  EXPECT_EQ(d.clamp, ELMO_DIST_CLAMP_MIN | ELMO_DIST_CLAMP_MAX);
  EXPECT_EQ(d.clamp_min, 10);
  EXPECT_EQ(d.clamp_max, 1024);
  char* text = elmo_dist_to_json(&d);
  ASSERT_NE(text, nullptr);
  elmo_dist back;
  ASSERT_EQ(elmo_dist_from_json(text, &back, &err), ELMO_OK) << err.message << " " << text;
  elmo_free(text);
  EXPECT_EQ(back.clamp, d.clamp);
  EXPECT_EQ(back.clamp_min, 10);
  EXPECT_EQ(back.clamp_max, 1024);
  // uniform's min/max are its parameters, not clamps
  ASSERT_EQ(elmo_dist_from_json(R"({"dist":"uniform","min":1,"max":2})", &d, &err), ELMO_OK);
  EXPECT_EQ(d.clamp, 0u);
  const struct {
    const char* json;
    const char* message;
  } bad[] = {
      {R"({"dist":"gpareto","theta":0,"sigma":1,"k":0,"min":"10"})",
       "gpareto: field 'min' (clamp) must be a number"},
      {R"({"dist":"gpareto","theta":0,"sigma":1,"k":0,"min":10,"min":11})",
       "gpareto: field 'min' appears twice"},
      {R"({"dist":"exponential","lambda":1,"min":5,"max":2})",
       "exponential: field 'min' (5) must be below 'max' (2)"},
      {R"({"dist":"fixed","value":1,"min":0})", "fixed: unknown field 'min' (allowed: dist, value)"},
      {R"({"dist":"zipfian","theta":1,"max":3})", "zipfian: unknown field 'max'"},
  };
  for (const auto& c : bad) {
    elmo_error_clear(&err);
    EXPECT_EQ(elmo_dist_from_json(c.json, &d, &err), ELMO_EINVAL) << c.json;
    EXPECT_NE(std::string(err.message).find(c.message), std::string::npos) << err.message;
  }
}

// ---- censored fits ------------------------------------------------------------------------

TEST(FitFloored, GparetoRecoversParametersAndTheFloorMass) {
  // continuous draws of max(10, GPD(0, 25.45, 0.2615)): the censored MLE recovers theta, sigma
  // and k, although no observation lies below 10
  const elmo_dist truth = Floored(Gp(0, 25.45, 0.2615), 10);
  std::vector<double> v = Draw(truth, 100000, 11);
  elmo_sample s = elmo_sample_of_values(v.data(), v.size());
  elmo_fit f;
  elmo_error err;
  ASSERT_EQ(elmo_fit_floored(ELMO_DIST_GPARETO, &s, &f, &err), ELMO_OK) << err.message;
  EXPECT_EQ(f.dist.clamp, ELMO_DIST_CLAMP_MIN);
  EXPECT_EQ(f.dist.clamp_min, 10);
  EXPECT_NEAR(f.dist.params[0], 0, 1.0);
  EXPECT_NEAR(f.dist.params[1], 25.45, 1.0);
  EXPECT_NEAR(f.dist.params[2], 0.2615, 0.02);
  size_t at = 0;
  for (double x : v) at += x == 10;
  EXPECT_NEAR(elmo_dist_cdf(&f.dist, 10), double(at) / v.size(), 1e-9);  // the floor mass
  EXPECT_LT(f.gof.ks_d, 0.01);
}

TEST(FitFloored, ParetoAndExponentialRecoverTheirParameters) {
  elmo_dist pareto{}, expo{};
  pareto.kind = ELMO_DIST_PARETO, pareto.params[0] = 5, pareto.params[1] = 1.5;
  expo.kind = ELMO_DIST_EXPONENTIAL, expo.params[0] = 0.05;
  elmo_fit f;
  elmo_error err;
  std::vector<double> v = Draw(Floored(pareto, 8), 100000, 12);
  elmo_sample s = elmo_sample_of_values(v.data(), v.size());
  ASSERT_EQ(elmo_fit_floored(ELMO_DIST_PARETO, &s, &f, &err), ELMO_OK) << err.message;
  EXPECT_NEAR(f.dist.params[1], 1.5, 0.03);
  EXPECT_NEAR(f.dist.params[0], 5, 0.15);
  v = Draw(Floored(expo, 10), 100000, 13);
  s = elmo_sample_of_values(v.data(), v.size());
  ASSERT_EQ(elmo_fit_floored(ELMO_DIST_EXPONENTIAL, &s, &f, &err), ELMO_OK) << err.message;
  EXPECT_NEAR(f.dist.params[0], 0.05, 0.001);
  // bad input: wrong kind, nothing at the floor
  EXPECT_EQ(elmo_fit_floored(ELMO_DIST_NORMAL, &s, &f, &err), ELMO_EINVAL);
  EXPECT_NE(std::string(err.message).find("normal cannot be floored"), std::string::npos);
  std::vector<double> plain = Draw(expo, 1000, 14);
  s = elmo_sample_of_values(plain.data(), plain.size());
  EXPECT_EQ(elmo_fit_floored(ELMO_DIST_EXPONENTIAL, &s, &f, &err), ELMO_EINVAL);
  EXPECT_NE(std::string(err.message).find("need >= 2 observations at the minimum"),
            std::string::npos)
      << err.message;
}

TEST(FitFloored, ChooserPicksTheFloorForMixgraphValues) {
  std::vector<elmo_hist_bin> bins = MixgraphValues(60000, 21);
  elmo_sample s = elmo_sample_of_bins(bins.data(), bins.size());
  elmo_fit_options o;
  elmo_fit_options_init(&o);
  elmo_fit_report plain, floored;
  ASSERT_EQ(elmo_fit_best(&s, &o, &plain, nullptr), ELMO_OK);
  EXPECT_EQ(plain.fits[0].dist.clamp, 0u);
  EXPECT_GT(plain.fits[0].gof.ks_d, 0.2);  // no unclamped family has the spike
  o.try_floor = 1;
  ASSERT_EQ(elmo_fit_best(&s, &o, &floored, nullptr), ELMO_OK);
  const elmo_fit& b = floored.fits[0];
  EXPECT_EQ(b.dist.kind, ELMO_DIST_GPARETO);
  EXPECT_EQ(b.dist.clamp, ELMO_DIST_CLAMP_MIN);
  EXPECT_EQ(b.dist.clamp_min, 10);
  EXPECT_NEAR(b.dist.params[2], 0.2615, 0.04);
  EXPECT_LT(b.gof.ks_d, 0.03);
  // a sample without a spike keeps its unclamped model: the floor costs a parameter
  elmo_dist normal{};
  normal.kind = ELMO_DIST_NORMAL, normal.params[0] = 100, normal.params[1] = 10;
  std::vector<double> v = Draw(normal, 20000, 22);
  s = elmo_sample_of_values(v.data(), v.size());
  ASSERT_EQ(elmo_fit_best(&s, &o, &floored, nullptr), ELMO_OK);
  EXPECT_EQ(floored.fits[0].dist.kind, ELMO_DIST_NORMAL);
  EXPECT_EQ(floored.fits[0].dist.clamp, 0u);
}

// ---- classes ------------------------------------------------------------------------------

elmo_dist Classes(std::vector<double> keys, std::vector<double> shares, uint64_t n) {
  elmo_dist d{};
  d.kind = ELMO_DIST_CLASSES, d.n = n, d.n_classes = keys.size();
  for (size_t g = 0; g < keys.size() && g < ELMO_DIST_CLASSES_MAX; g++) {
    d.class_keys[g] = keys[g], d.class_shares[g] = shares[g];
  }
  return d;
}

TEST(FitClasses, CdfAndDrawsFollowTheShares) {
  const elmo_dist d = Classes({0.01, 0.09, 0.9}, {0.5, 0.3, 0.2}, 10000);
  ASSERT_EQ(elmo_dist_validate(&d, 1, nullptr), ELMO_OK);
  EXPECT_DOUBLE_EQ(elmo_dist_cdf(&d, 100), 0.5);   // class 0: ranks 1..100
  EXPECT_DOUBLE_EQ(elmo_dist_cdf(&d, 50), 0.25);   // evenly inside it
  EXPECT_NEAR(elmo_dist_cdf(&d, 1000), 0.8, 1e-12);
  EXPECT_EQ(elmo_dist_cdf(&d, 10000), 1);
  std::vector<double> v = Draw(d, 200000, 31);
  size_t hot = 0, warm = 0;
  for (double r : v) {
    ASSERT_GE(r, 1);
    ASSERT_LE(r, 10000);
    ASSERT_EQ(r, std::floor(r));
    hot += r <= 100, warm += r > 100 && r <= 1000;
  }
  EXPECT_NEAR(double(hot) / v.size(), 0.5, 0.005);
  EXPECT_NEAR(double(warm) / v.size(), 0.3, 0.005);
  elmo_sample s = elmo_sample_of_values(v.data(), v.size());
  elmo_gof g;
  ASSERT_EQ(elmo_fit_gof(&d, &s, &g, nullptr), ELMO_OK);
  EXPECT_LT(g.ks_d, 0.01);
  EXPECT_EQ(elmo_dist_free_params(&d), 5u);
}

TEST(FitClasses, ValidationAndJson) {
  const struct {
    elmo_dist d;
    const char* message;
  } bad[] = {
      {Classes({0.5, 0.6}, {0.5, 0.5}, 100), "keys sum to 1.1"},
      {Classes({0.5, 0.5}, {0.2, 0.8}, 100), "list the classes hottest first"},
      {Classes({1.5}, {1}, 100), "keys[0] must be in (0, 1]"},
      {Classes({0.5, 0.5}, {1, 0}, 100), "shares[1] must be in (0, 1]"},
      {Classes({0.3, 0.3, 0.4}, {0.5, 0.3, 0.2}, 2), "3 classes need n >= 3 ranks"},
      {Classes({}, {}, 100), "0 classes, must be 1..8"},
  };
  for (const auto& c : bad) {
    elmo_error err;
    EXPECT_EQ(elmo_dist_validate(&c.d, 1, &err), ELMO_EINVAL) << c.message;
    EXPECT_NE(std::string(err.message).find(c.message), std::string::npos) << err.message;
  }
  elmo_dist d;
  elmo_error err;
  ASSERT_EQ(elmo_dist_from_json(R"({"dist":"classes","keys":[0.25,0.75],"shares":[0.75,0.25]})",
                                &d, &err),
            ELMO_OK)
      << err.message;
  EXPECT_EQ(d.n_classes, 2u);
  EXPECT_EQ(d.class_shares[0], 0.75);
  d.n = 40;
  char* text = elmo_dist_to_json(&d);
  ASSERT_NE(text, nullptr);
  elmo_dist back;
  ASSERT_EQ(elmo_dist_from_json(text, &back, &err), ELMO_OK) << text;
  elmo_free(text);
  EXPECT_EQ(back.n, 40u);
  EXPECT_EQ(back.class_keys[1], 0.75);
  const struct {
    const char* json;
    const char* message;
  } bad_json[] = {
      {R"({"dist":"classes","keys":[1]})", "classes: missing field 'shares'"},
      {R"({"dist":"classes","keys":[0.5,0.5],"shares":[1]})", "must have the same length"},
      {R"({"dist":"classes","keys":1,"shares":[1]})", "field 'keys' must be an array of 1..8"},
      {R"({"dist":"classes","keys":["a"],"shares":[1]})", "classes: keys[0] must be a number"},
      {R"({"dist":"classes","keys":[1],"shares":[1],"theta":1})", "unknown field 'theta'"},
  };
  for (const auto& c : bad_json) {
    elmo_error_clear(&err);
    EXPECT_EQ(elmo_dist_from_json(c.json, &d, &err), ELMO_EINVAL) << c.json;
    EXPECT_NE(std::string(err.message).find(c.message), std::string::npos) << err.message;
  }
}

}  // namespace
