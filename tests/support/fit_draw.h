// fit_draw.h — what the fit tests share: n draws of a distribution through the spec runner's
// own sampler (fit.h), seeded, so a test fits exactly what a replay would generate.
#ifndef ELMO_TESTS_SUPPORT_FIT_DRAW_H
#define ELMO_TESTS_SUPPORT_FIT_DRAW_H

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "elmo/fit.h"

namespace elmo_test {

// NaN draws when the sampler cannot be made (a test failure).
inline std::vector<double> Draw(const elmo_dist& d, size_t n, uint64_t seed) {
  elmo_sampler* s = nullptr;
  elmo_error err;
  EXPECT_EQ(elmo_sampler_create(&d, &s, &err), ELMO_OK) << err.message;
  elmo_rng rng;
  elmo_rng_seed(&rng, seed);
  std::vector<double> v(n);
  for (double& x : v) x = s ? elmo_sampler_next(s, &rng) : NAN;
  elmo_sampler_destroy(s);
  return v;
}

}  // namespace elmo_test

#endif  // ELMO_TESTS_SUPPORT_FIT_DRAW_H
