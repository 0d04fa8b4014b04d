// confirm_test.cc — the confirmation's statistics (fit/fit_paired.c, paired.h): the nested estimate
// over pairs and per-second batches, the group-sequential levels, the interval and the verdict.
// confirm_recorded_test.cc replays recorded runs through them.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "elmo/tuner.h"

namespace {

double Log(double ratio) { return std::log(ratio); }

// One figure per run (batches 1): the classic paired t test on the pairs' log ratios.
TEST(ConfirmTest, ThreeNoisyPairsOfAPlusEighteenPercentGainAreNotEnough) {
  // mixgraph, run 7 (docs/bench/HISTORY.md): best/baseline 69702/66228, 61615/51853, 74673/56513.
  const double d[] = {Log(69702.0 / 66228), Log(61615.0 / 51853), Log(74673.0 / 56513)};
  elmo_paired_estimate e;
  elmo_tune_paired_estimate(d, 3, 1, nullptr, 0, &e);
  // mean 0.1672, sd 0.1137: t = 0.1672 / (0.1137 / sqrt 3) = 2.55; one-sided p with 2 df 0.063.
  EXPECT_NEAR(e.t, 2.55, 0.02);
  EXPECT_NEAR(e.p, 0.063, 0.003);
  EXPECT_EQ(e.df, 2);
  EXPECT_EQ(e.pooled, 0);
  int looks[] = {3, 6, 12};
  double nominal[3];
  ASSERT_EQ(elmo_tune_confirm_levels(looks, 3, nominal), 1);
  EXPECT_EQ(elmo_tune_confirm_decide(d, 3, 1, nullptr, 0, nominal, 0, 3, &e), ELMO_CONFIRM_GO_ON);
  EXPECT_EQ(elmo_tune_confirm_decide(d, 3, 1, nullptr, 0, nominal, 2, 3, &e), ELMO_CONFIRM_NO_GAIN) << "the last look";
}

// The run that was inconclusive before (issue 18): best/baseline 1.33, 1.75 and 1.89 in three
// pairs, t 4.68 and p 0.021 against Bonferroni's 0.0167 at the first look. The group-sequential
// first look (0.025) calls it.
TEST(ConfirmTest, ThreeClearPairsAreAGainAtTheFirstLook) {
  const double d[] = {Log(1.33), Log(1.75), Log(1.89)};
  int looks[] = {3, 6, 12};
  double nominal[3];
  ASSERT_EQ(elmo_tune_confirm_levels(looks, 3, nominal), 1);
  EXPECT_GT(nominal[0], ELMO_TUNE_CONFIRM_ALPHA / 3);
  elmo_paired_estimate e;
  EXPECT_EQ(elmo_tune_confirm_decide(d, 3, 1, nullptr, 0, nominal, 0, 3, &e), ELMO_CONFIRM_GAIN)
      << "p " << e.p << " at " << nominal[0];
  EXPECT_NEAR(e.t, 4.63, 0.01);  // 4.68 in the run, whose ratios are rounded here
}

// Two pairs give one degree of freedom (t must pass 12.7 at 0.025): the baseline's repeat of its
// trial is in the spread up to ELMO_TUNE_AA_MAX_PAIRS pairs. readrandom, 2 pairs at 1.99 and
// 1.68 times the baseline, whose repeat ran 2% above its trial: a gain at the second look.
TEST(ConfirmTest, TwoClearPairsAreAGainWithTheBaselinesRepeat) {
  const double d[] = {Log(1.99), Log(1.68)}, aa[] = {Log(1.02)};
  int looks[] = {1, 2};
  double nominal[2];
  ASSERT_EQ(elmo_tune_confirm_levels(looks, 2, nominal), 1);
  elmo_paired_estimate e;
  EXPECT_EQ(elmo_tune_confirm_decide(d, 2, 1, nullptr, 0, nominal, 1, 2, &e), ELMO_CONFIRM_NO_GAIN) << e.p;
  EXPECT_EQ(elmo_tune_confirm_decide(d, 2, 1, aa, 1, nominal, 1, 2, &e), ELMO_CONFIRM_GAIN) << e.p;
  EXPECT_EQ(e.aa_rows, 1);
  const double three[] = {Log(1.99), Log(1.68), Log(1.8)};
  elmo_tune_paired_estimate(three, 3, 1, aa, 1, &e);
  EXPECT_EQ(e.aa_rows, 0) << "three pairs show the spread themselves";
}

TEST(ConfirmTest, NoiseAroundZeroAndLossesAreNeverAGain) {
  const double d[] = {Log(1.10), Log(0.91), Log(1.05), Log(0.95), Log(1.02), Log(0.97)};
  elmo_paired_estimate e;
  elmo_tune_paired_estimate(d, 6, 1, nullptr, 0, &e);
  EXPECT_GT(e.p, 0.3);
  const double loss[] = {Log(0.8), Log(0.81), Log(0.79)};
  int looks[] = {3, 6, 12};
  double nominal[3];
  ASSERT_EQ(elmo_tune_confirm_levels(looks, 3, nominal), 1);
  EXPECT_EQ(elmo_tune_confirm_decide(loss, 3, 1, nullptr, 0, nominal, 0, 3, &e), ELMO_CONFIRM_NO_GAIN)
      << "a loss stops at the first look";
  EXPECT_LT(e.t, 0);
  EXPECT_GT(e.p, 0.99);
}

TEST(ConfirmTest, EdgeCases) {
  elmo_paired_estimate e;
  const double one[] = {Log(2.0)};
  elmo_tune_paired_estimate(one, 1, 1, nullptr, 0, &e);  // one figure from one pair proves nothing
  EXPECT_EQ(e.t, 0);
  EXPECT_EQ(e.p, 1);
  elmo_tune_paired_estimate(nullptr, 4, 3, nullptr, 0, &e);
  EXPECT_EQ(e.p, 1);
  elmo_tune_paired_estimate(one, 0, 1, nullptr, 0, &e);
  EXPECT_EQ(e.p, 1);
  const double same[] = {Log(1.3), Log(1.3), Log(1.3)};
  elmo_tune_paired_estimate(same, 3, 1, nullptr, 0, &e);
  EXPECT_TRUE(std::isinf(e.t));
  EXPECT_EQ(e.p, 0);
  double lo = 0, hi = 0;
  elmo_tune_gain_interval(&e, 0.02, &lo, &hi);
  EXPECT_NEAR(lo, 0.3, 1e-12);
  EXPECT_NEAR(hi, 0.3, 1e-12);
}

// --elmo_confirm=1 could never confirm: one pair gave one figure and t = 0. Its per-second
// batches alone would say too much (a whole run moves with the machine), but with the baseline's
// repeat of its own first trial (an A/A row) one pair can confirm a clear gain.
TEST(ConfirmTest, OnePairConfirmsAClearGainWithTheBaselinesRepeat) {
  const double d[] = {Log(1.42), Log(1.38), Log(1.45), Log(1.40), Log(1.36)};
  const double aa[] = {Log(1.03), Log(0.99), Log(1.05), Log(1.01), Log(0.98)};
  int looks[] = {1};
  double nominal[1];
  ASSERT_EQ(elmo_tune_confirm_levels(looks, 1, nominal), 1);
  EXPECT_NEAR(nominal[0], ELMO_TUNE_CONFIRM_ALPHA, 1e-9);
  elmo_paired_estimate e;
  EXPECT_EQ(elmo_tune_confirm_decide(d, 1, 5, nullptr, 0, nominal, 0, 1, &e), ELMO_CONFIRM_NO_GAIN);
  EXPECT_EQ(e.within_only, 1);
  EXPECT_EQ(e.p, 1);
  EXPECT_EQ(elmo_tune_confirm_decide(d, 1, 5, aa, 1, nominal, 0, 1, &e), ELMO_CONFIRM_GAIN) << "p " << e.p;
  EXPECT_EQ(e.within_only, 0);
  EXPECT_NEAR(e.mean, (Log(1.42) + Log(1.38) + Log(1.45) + Log(1.40) + Log(1.36)) / 5, 1e-12)
      << "the A/A row counts toward the spread, not the estimate";
  // A baseline that moved as much as the gain between its two runs leaves the gain unproven.
  const double moved[] = {Log(1.45), Log(1.41), Log(1.40), Log(1.37), Log(1.44)};
  EXPECT_EQ(elmo_tune_confirm_decide(d, 1, 5, moved, 1, nominal, 0, 1, &e), ELMO_CONFIRM_NO_GAIN) << "p " << e.p;
}

// Pairs that agree better than the batches within each run: the two spreads are pooled and the
// degrees of freedom are the batches'; pairs that disagree keep the pairs' spread.
TEST(ConfirmTest, BatchesArePooledOnlyWhenThePairsShowNoRunEffect) {
  std::vector<double> agree = {0.10, 0.20, 0.00, 0.15, 0.05,   // pair means all 0.1
                               0.05, 0.15, 0.10, 0.20, 0.00,
                               0.00, 0.10, 0.20, 0.05, 0.15};
  elmo_paired_estimate e;
  elmo_tune_paired_estimate(agree.data(), 3, 5, nullptr, 0, &e);
  EXPECT_EQ(e.pooled, 1);
  EXPECT_EQ(e.df, 14);
  std::vector<double> apart = {0.30, 0.31, 0.29, 0.30, 0.30,  // pair means 0.3, -0.1, 0.1
                               -0.10, -0.11, -0.09, -0.10, -0.10,
                               0.10, 0.11, 0.09, 0.10, 0.10};
  elmo_tune_paired_estimate(apart.data(), 3, 5, nullptr, 0, &e);
  EXPECT_EQ(e.pooled, 0);
  EXPECT_EQ(e.df, 2);
  // Then the standard error is the pairs': sd of (0.3, -0.1, 0.1) / sqrt 3.
  EXPECT_NEAR(e.se, 0.2 / std::sqrt(3.0), 1e-9);
}

TEST(ConfirmTest, BatchRatiosSplitEachRunInEqualParts) {
  const double best[] = {10, 10, 20, 20, 30, 30, 99};  // 7 s into batches of 2, 2 and 3
  const double base[] = {5, 5, 10, 10, 0, 0};
  double out[3];
  ASSERT_EQ(elmo_tune_batch_ratios(best, 7, base, 6, 3, out), 1);
  EXPECT_NEAR(out[0], Log(2), 1e-12);
  EXPECT_NEAR(out[1], Log(2), 1e-12);
  EXPECT_NEAR(out[2], Log(53), 1e-12) << "a batch below 1 op/s counts as 1";
  EXPECT_EQ(elmo_tune_batch_ratios(best, 2, base, 6, 3, out), 0);
  EXPECT_EQ(elmo_tune_confirm_batches(30), 10u);
  EXPECT_EQ(elmo_tune_confirm_batches(10), 3u);
  EXPECT_EQ(elmo_tune_confirm_batches(5), 1u);
}

// The interval's low end is above 0 exactly when the look calls the gain significant.
TEST(ConfirmTest, TheIntervalAgreesWithTheVerdict) {
  std::mt19937 rng(7);
  std::normal_distribution<double> noise(0.03, 0.05);
  int looks[] = {3};
  double nominal[1];
  ASSERT_EQ(elmo_tune_confirm_levels(looks, 1, nominal), 1);
  for (int k = 0; k < 200; k++) {
    double d[15];
    for (double& x : d) x = noise(rng);
    elmo_paired_estimate e;
    int gain = elmo_tune_confirm_decide(d, 3, 5, nullptr, 0, nominal, 0, 1, &e) == ELMO_CONFIRM_GAIN;
    double lo, hi;
    elmo_tune_gain_interval(&e, nominal[0], &lo, &hi);
    EXPECT_EQ(gain, lo > 0) << "draw " << k << ": p " << e.p << ", low " << lo;
    EXPECT_LT(lo, hi);
  }
}

// The looks' levels spend ELMO_TUNE_CONFIRM_ALPHA in all: each is above Bonferroni's alpha / 3, and
// a simulation of the looks' statistics under no gain rejects at the overall level.
TEST(ConfirmTest, GroupSequentialLevelsSpendTheWholeAlpha) {
  int looks[] = {3, 6, 12};
  double nominal[3];
  ASSERT_EQ(elmo_tune_confirm_levels(looks, 3, nominal), 1);
  for (double a : nominal) EXPECT_GT(a, ELMO_TUNE_CONFIRM_ALPHA / 3);
  std::mt19937 rng(11);
  std::normal_distribution<double> z(0, 1);
  const int kRuns = 200000;
  int rejected = 0;
  for (int k = 0; k < kRuns; k++) {
    double s = 0;
    int n = 0;
    for (int l = 0; l < 3; l++) {
      for (; n < looks[l]; n++) s += z(rng);
      double p = 0.5 * std::erfc(s / std::sqrt(static_cast<double>(n)) / std::sqrt(2.0));
      if (p < nominal[l]) {
        rejected++;
        break;
      }
    }
  }
  double rate = static_cast<double>(rejected) / kRuns;
  EXPECT_NEAR(rate, ELMO_TUNE_CONFIRM_ALPHA, 0.002) << "levels " << nominal[0] << ", " << nominal[1] << ", "
                                                    << nominal[2];
  EXPECT_EQ(elmo_tune_confirm_levels(looks, 0, nominal), 0);
  int bad[] = {3, 3};
  EXPECT_EQ(elmo_tune_confirm_levels(bad, 2, nominal), 0);
}

TEST(ConfirmTest, LooksDoubleUpToTheMaximum) {
  int looks[ELMO_TUNE_CONFIRM_MAX_LOOKS] = {0};
  ASSERT_EQ(elmo_tune_confirm_looks(3, 12, looks), 3);
  EXPECT_EQ(looks[0], 3);
  EXPECT_EQ(looks[1], 6);
  EXPECT_EQ(looks[2], 12);
  ASSERT_EQ(elmo_tune_confirm_looks(3, 6, looks), 2);
  EXPECT_EQ(looks[1], 6);
  ASSERT_EQ(elmo_tune_confirm_looks(3, 8, looks), 3);  // 3, 6, then the maximum
  EXPECT_EQ(looks[2], 8);
  ASSERT_EQ(elmo_tune_confirm_looks(3, 100, looks), 3);  // the third look is the last, clamped
  EXPECT_EQ(looks[2], ELMO_TUNE_CONFIRM_MAX_PAIRS);
  ASSERT_EQ(elmo_tune_confirm_looks(4, 2, looks), 1);  // a maximum below the first look: one look
  EXPECT_EQ(looks[0], 4);
  ASSERT_EQ(elmo_tune_confirm_looks(0, 0, looks), 1);
  EXPECT_EQ(looks[0], 1);
  ASSERT_EQ(elmo_tune_confirm_looks(1000, 1000, looks), 1);
  EXPECT_EQ(looks[0], ELMO_TUNE_CONFIRM_MAX_PAIRS);
}

// Close calls (elmo_tune_close_call): the paired ratios' geometric mean must clear min_gain.
TEST(CloseCallTest, TheGeometricMeanOfThePairsDecides) {
  // mixgraph, run 11 (docs/bench/HISTORY.md): the guide's file against the Bloom-only best measured
  // 77,506 and 69,087 against a best of 75,250 and 71,700 (illustrative second run).
  const double guide[] = {Log(77506.0 / 75250), Log(69087.0 / 71700)};
  double ratio = 0;
  EXPECT_EQ(elmo_tune_close_call(guide, 2, 0.03, &ratio), 0);
  EXPECT_NEAR(ratio, std::sqrt((77506.0 / 75250) * (69087.0 / 71700)), 1e-9);
  const double gain[] = {Log(1.12), Log(1.02)};
  EXPECT_EQ(elmo_tune_close_call(gain, 2, 0.03, &ratio), 1);
  EXPECT_NEAR(ratio, std::sqrt(1.12 * 1.02), 1e-9);
  // Exactly min_gain is not above it; one pair is enough for the rule (the pairs are the caller's).
  const double edge[] = {Log(1.03)};
  EXPECT_EQ(elmo_tune_close_call(edge, 1, 0.03 + 1e-9, &ratio), 0);
  EXPECT_EQ(elmo_tune_close_call(edge, 1, 0.02, &ratio), 1);
}

// The bar is min_gain for one pair and shrinks as 1/sqrt(pairs): peer run 1's readrandomwriterandom:90
// measured a 336 MiB block cache at 1.023 of the 128 MiB best over two pairs (135,088/138,682 and
// 141,125/131,288) and refused it at the one-run bar of 3%.
TEST(CloseCallTest, TheBarShrinksWithThePairs) {
  const double cache[] = {Log(135088.0 / 138682), Log(141125.0 / 131288)};
  double ratio = 0;
  EXPECT_EQ(elmo_tune_close_call(cache, 2, 0.03, &ratio), 1);
  EXPECT_NEAR(ratio, 1.0233, 1e-3);
  const double two_pct[] = {Log(1.02), Log(1.02)};  // 2% < 3% / sqrt(2) = 2.12%
  EXPECT_EQ(elmo_tune_close_call(two_pct, 2, 0.03, nullptr), 0);
  const double four[] = {Log(1.016), Log(1.016), Log(1.016), Log(1.016)};  // 1.6% > 3% / 2
  EXPECT_EQ(elmo_tune_close_call(four, 4, 0.03, nullptr), 1);
}

TEST(CloseCallTest, NoPairsDecideNothing) {
  double ratio = 0;
  EXPECT_EQ(elmo_tune_close_call(nullptr, 3, 0.03, &ratio), 0);
  EXPECT_EQ(ratio, 1);
  const double d[] = {Log(2.0)};
  EXPECT_EQ(elmo_tune_close_call(d, 0, 0.03, nullptr), 0);
  // A loss with a big outlier pair: the log mean, not the arithmetic mean of ratios, decides.
  const double skewed[] = {Log(0.7), Log(0.7), Log(1.6)};  // arithmetic mean 1.0, geometric 0.915
  EXPECT_EQ(elmo_tune_close_call(skewed, 3, 0.0, &ratio), 0);
  EXPECT_NEAR(ratio, std::cbrt(0.7 * 0.7 * 1.6), 1e-9);
}

}  // namespace
