// confirm_test.cc — the confirmation's paired test (elmo_tune_paired_test, tuner.h): what calls a
// gain significant, and what does not.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "elmo/tuner.h"

namespace {

double Log(double ratio) { return std::log(ratio); }

TEST(ConfirmTest, ThreeNoisyPairsOfAPlusEighteenPercentGainAreNotEnough) {
  // mixgraph, run 7 (docs/bench/HISTORY.md): best/baseline 69702/66228, 61615/51853, 74673/56513.
  const double d[] = {Log(69702.0 / 66228), Log(61615.0 / 51853), Log(74673.0 / 56513)};
  double t = 0, p = 0;
  EXPECT_EQ(elmo_tune_paired_test(d, 3, 0.025, &t, &p), 0);
  // mean 0.1672, sd 0.1137: t = 0.1672 / (0.1137 / sqrt 3) = 2.55; one-sided p with 2 df 0.063.
  EXPECT_NEAR(t, 2.55, 0.02);
  EXPECT_NEAR(p, 0.063, 0.003);
}

TEST(ConfirmTest, SixPairsOfTheSameGainAre) {
  const double d[] = {Log(69702.0 / 66228), Log(61615.0 / 51853), Log(74673.0 / 56513),
                      Log(1.12),           Log(1.09),           Log(1.21)};
  double t = 0, p = 1;
  EXPECT_EQ(elmo_tune_paired_test(d, 6, ELMO_TUNE_CONFIRM_ALPHA / 3, &t, &p), 1);
  EXPECT_GT(t, 4.0);
  EXPECT_LT(p, ELMO_TUNE_CONFIRM_ALPHA / 3);
}

TEST(ConfirmTest, NoiseAroundZeroIsNeverAGain) {
  const double d[] = {Log(1.10), Log(0.91), Log(1.05), Log(0.95), Log(1.02), Log(0.97)};
  double t = 0, p = 0;
  EXPECT_EQ(elmo_tune_paired_test(d, 6, 0.05, &t, &p), 0);
  EXPECT_LT(p, 1.0 + 1e-12);
  EXPECT_GT(p, 0.3);
  // A loss is not a gain however consistent it is.
  const double loss[] = {Log(0.8), Log(0.81), Log(0.79)};
  EXPECT_EQ(elmo_tune_paired_test(loss, 3, 0.05, &t, &p), 0);
  EXPECT_EQ(t, 0);
  EXPECT_EQ(p, 1);
}

TEST(ConfirmTest, EdgeCases) {
  double t = -1, p = -1;
  const double one[] = {Log(2.0)};
  EXPECT_EQ(elmo_tune_paired_test(one, 1, 0.05, &t, &p), 0) << "one pair proves nothing";
  EXPECT_EQ(t, 0);
  EXPECT_EQ(p, 1);
  EXPECT_EQ(elmo_tune_paired_test(nullptr, 4, 0.05, &t, &p), 0);
  EXPECT_EQ(elmo_tune_paired_test(one, 0, 0.05, nullptr, nullptr), 0);
  const double same[] = {Log(1.3), Log(1.3), Log(1.3)};
  EXPECT_EQ(elmo_tune_paired_test(same, 3, 0.05, &t, &p), 1);
  EXPECT_TRUE(std::isinf(t));
  EXPECT_EQ(p, 0);
}

// fillrandom, run 9 (docs/bench/HISTORY.md): six pairs of a +8% gain, p 0.06, are not enough at any
// level the looks allow; the same gain over twelve pairs is.
TEST(ConfirmTest, TwelvePairsSettleWhatSixLeaveOpen) {
  std::vector<double> d = {Log(130260.0 / 137996), Log(140234.0 / 125740), Log(140477.0 / 131848),
                           Log(120751.0 / 119126), Log(159225.0 / 145961), Log(180445.0 / 144757)};
  double t = 0, p = 0;
  EXPECT_EQ(elmo_tune_paired_test(d.data(), d.size(), ELMO_TUNE_CONFIRM_ALPHA / 3, &t, &p), 0);
  EXPECT_GT(p, 0.03);
  std::vector<double> twelve = d;
  twelve.insert(twelve.end(), d.begin(), d.end());
  EXPECT_EQ(elmo_tune_paired_test(twelve.data(), twelve.size(), ELMO_TUNE_CONFIRM_ALPHA / 3, &t, &p), 1);
  EXPECT_LT(p, ELMO_TUNE_CONFIRM_ALPHA / 3);
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
