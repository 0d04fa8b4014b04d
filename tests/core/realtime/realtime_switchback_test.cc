// realtime_switchback_test.cc — switchback verification (realtime_switchback.c): the block order,
// the verdict on paired blocks (gains, losses, drift that cancels, the p99 and stall guards, bad
// blocks), and the VERIFY state on the tuner: switches, verdicts, stalls, a moved mix, a failed
// switch, the hourly room, and the calls that restore the old values when the DB closes.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "realtime_test_util.h"

namespace elmo_rt_test {
namespace {

elmo_rt_config Defaults() {
  elmo_rt_config c;
  elmo_rt_config_defaults(&c);
  return c;
}

// Blocks for `pairs` pairs in switchback order; the new values run at new_ops(i), the old at
// old_ops(i), i the block's index (so a drift of the load is a function of i).
template <typename FNew, typename FOld>
std::vector<elmo_rt_block> Blocks(int pairs, FNew new_ops, FOld old_ops) {
  std::vector<elmo_rt_block> b;
  for (int i = 0; i < 2 * pairs; i++) {
    int on_new = elmo_rt_switchback_on_new(i);
    b.push_back({on_new, on_new ? new_ops(i) : old_ops(i), 100, 50, 0, 0.5, 0.5});
  }
  return b;
}

// A multiplicative noise of about ±5% that repeats: no randomness in a unit test.
double Noise(int i) {
  static const double k[] = {1.04, 0.97, 1.01, 0.95, 1.05, 0.99, 0.96, 1.03, 1.00, 0.98, 1.02, 0.97};
  return k[i % 12];
}

TEST(RealtimeSwitchback, BlocksAlternateInPairsNewOldThenOldNew) {
  const int want[] = {1, 0, 0, 1, 1, 0, 0, 1};
  for (int i = 0; i < 8; i++) EXPECT_EQ(elmo_rt_switchback_on_new(i), want[i]) << i;
}

TEST(RealtimeSwitchback, AClearGainIsKeptAtTheFirstLookThatCanTellIt) {
  elmo_rt_config cfg = Defaults();
  auto b = Blocks(6, [](int i) { return 13000 * Noise(i); }, [](int i) { return 10000 * Noise(i + 5); });
  elmo_rt_switchback sb;
  // Two pairs give one degree of freedom: +30% with ±5% noise is not yet clear at 1.9%.
  EXPECT_EQ(elmo_rt_switchback_decide(b.data(), 4, 6, &cfg, &sb), ELMO_RT_SB_GO_ON) << sb.why;
  EXPECT_EQ(sb.look, 0);
  EXPECT_EQ(sb.n_looks, 3);  // after 2, 4 and 6 pairs
  EXPECT_EQ(elmo_rt_switchback_decide(b.data(), 6, 6, &cfg, &sb), ELMO_RT_SB_GO_ON) << "3 pairs: not a look";
  EXPECT_EQ(sb.look, -1);
  EXPECT_EQ(elmo_rt_switchback_decide(b.data(), 8, 6, &cfg, &sb), ELMO_RT_SB_KEEP) << sb.why;
  EXPECT_EQ(sb.look, 1);
  EXPECT_NEAR(sb.gain, 0.30, 0.05);
  EXPECT_GT(sb.low, 0.1);
  EXPECT_LT(sb.p_gain, sb.level);
  EXPECT_NE(std::string(sb.why).find("a gain of"), std::string::npos) << sb.why;
}

TEST(RealtimeSwitchback, AClearLossIsUndone) {
  elmo_rt_config cfg = Defaults();
  auto b = Blocks(6, [](int i) { return 7000 * Noise(i); }, [](int i) { return 10000 * Noise(i + 3); });
  elmo_rt_switchback sb;
  EXPECT_EQ(elmo_rt_switchback_decide(b.data(), 8, 6, &cfg, &sb), ELMO_RT_SB_UNDO) << sb.why;
  EXPECT_LT(sb.p_loss, sb.level);
  EXPECT_NE(std::string(sb.why).find("a loss of"), std::string::npos) << sb.why;
}

// The load rises 4% a block while both values are the same: before/after would read +4% or more;
// the (new, old), (old, new) order cancels the drift over two pairs.
TEST(RealtimeSwitchback, ALinearDriftCancelsOverTwoPairs) {
  elmo_rt_config cfg = Defaults();
  auto drift = [](int i) { return 10000 * (1 + 0.04 * i); };
  auto b = Blocks(6, drift, drift);
  elmo_rt_switchback sb;
  elmo_rt_switchback_decide(b.data(), 4, 6, &cfg, &sb);
  EXPECT_NEAR(sb.gain, 0, 0.005) << sb.why;
  elmo_rt_switchback_decide(b.data(), 12, 6, &cfg, &sb);
  EXPECT_NEAR(sb.gain, 0, 0.005) << sb.why;
  EXPECT_EQ(sb.look, 2);
  EXPECT_NE(sb.verdict, ELMO_RT_SB_GO_ON) << "the last look decides";
}

TEST(RealtimeSwitchback, TheLastLookKeepsTheBetterMeasuredValues) {
  elmo_rt_config cfg = Defaults();
  // +2% under ±5% noise: never significant; at the last look the estimate decides.
  auto up = Blocks(6, [](int i) { return 10200 * Noise(i); }, [](int i) { return 10000 * Noise(i + 1); });
  elmo_rt_switchback sb;
  EXPECT_EQ(elmo_rt_switchback_decide(up.data(), 12, 6, &cfg, &sb), ELMO_RT_SB_KEEP) << sb.why;
  EXPECT_GT(sb.gain, 0);
  EXPECT_GT(sb.p_gain, sb.level);
  EXPECT_NE(std::string(sb.why).find("not significant"), std::string::npos) << sb.why;
  auto down = Blocks(6, [](int i) { return 9800 * Noise(i); }, [](int i) { return 10000 * Noise(i + 1); });
  EXPECT_EQ(elmo_rt_switchback_decide(down.data(), 12, 6, &cfg, &sb), ELMO_RT_SB_UNDO) << sb.why;
  EXPECT_LT(sb.gain, 0);
}

TEST(RealtimeSwitchback, GuardsUndoAGainThatCostsLatencyOrStalls) {
  elmo_rt_config cfg = Defaults();
  auto b = Blocks(6, [](int i) { return 13000 * Noise(i); }, [](int i) { return 10000 * Noise(i + 5); });
  for (auto& x : b) {
    if (x.on_new) x.p99_get_us = 150;  // +50% > the 20% allowed
  }
  elmo_rt_switchback sb;
  // At the second look the gain is significant, but the guard holds it back: more pairs decide.
  EXPECT_EQ(elmo_rt_switchback_decide(b.data(), 8, 6, &cfg, &sb), ELMO_RT_SB_GO_ON) << sb.why;
  EXPECT_NE(std::string(sb.why).find("more pairs decide"), std::string::npos) << sb.why;
  // At the last look the guard undoes it.
  EXPECT_EQ(elmo_rt_switchback_decide(b.data(), 12, 6, &cfg, &sb), ELMO_RT_SB_UNDO) << sb.why;
  EXPECT_NEAR(sb.p99_get_ratio, 1.5, 1e-9);
  EXPECT_NE(std::string(sb.why).find("get p99 1.50x"), std::string::npos) << sb.why;
  // Gets below 5% of the operations are not judged by their p99.
  for (auto& x : b) x.read_frac = 0.01, x.write_frac = 0.99;
  EXPECT_EQ(elmo_rt_switchback_decide(b.data(), 8, 6, &cfg, &sb), ELMO_RT_SB_KEEP) << sb.why;
  EXPECT_EQ(sb.p99_get_ratio, 0);
  for (auto& x : b) {
    if (x.on_new) x.stall_frac = 0.08;  // 8% more of the time stalled > shift_stall 5%
  }
  EXPECT_EQ(elmo_rt_switchback_decide(b.data(), 12, 6, &cfg, &sb), ELMO_RT_SB_UNDO) << sb.why;
  EXPECT_NE(std::string(sb.why).find("stall"), std::string::npos) << sb.why;
}

TEST(RealtimeSwitchback, BadBlocksAreUndoneSayingWhy) {
  elmo_rt_config cfg = Defaults();
  auto b = Blocks(2, [](int) { return 12000.0; }, [](int) { return 10000.0; });
  elmo_rt_switchback sb;
  EXPECT_EQ(elmo_rt_switchback_decide(b.data(), 3, 6, &cfg, &sb), ELMO_RT_SB_UNDO);
  EXPECT_NE(std::string(sb.why).find("whole pairs"), std::string::npos) << sb.why;
  b[1].on_new = 1;
  EXPECT_EQ(elmo_rt_switchback_decide(b.data(), 4, 6, &cfg, &sb), ELMO_RT_SB_UNDO);
  EXPECT_NE(std::string(sb.why).find("pair 1 has both blocks on the new values"), std::string::npos) << sb.why;
  EXPECT_EQ(elmo_rt_switchback_decide(nullptr, 4, 6, &cfg, nullptr), ELMO_RT_SB_UNDO);
  // A block without operations counts as 1 op/s, not as a division by zero.
  b[1].on_new = 0;
  b[0].ops_per_sec = 0;
  elmo_rt_switchback_decide(b.data(), 4, 6, &cfg, &sb);
  EXPECT_TRUE(std::isfinite(sb.gain)) << sb.why;
}

// ---- the VERIFY state on the tuner ----------------------------------------------------------

const char* kSwitchback = "elmo_switchback_pairs=6; elmo_max_changes_per_hour=40";

Load At(const Load& l, double ops) {
  Load x = l;
  x.ops_per_sec = ops;
  return x;
}

TEST(RealtimeSwitchback, AChangeIsVerifiedByBlocksAndKept) {
  Tuner tuner(kSwitchback);
  elmo_rt_decision d;
  double t = WatchChangeOne(tuner, &d);
  ASSERT_EQ(tuner.state(), ELMO_RT_VERIFY) << d.reason;
  EXPECT_NE(std::string(d.reason).find("switchback: up to 6 pairs of 10 s blocks"), std::string::npos) << d.reason;
  EXPECT_EQ(elmo_rt_next_sample_sec(tuner.rt()), 10);
  EXPECT_EQ(elmo_rt_settle_sec(tuner.rt()), 2);
  elmo_rt_call restore[ELMO_RT_MAX_ITEMS];
  ASSERT_EQ(elmo_rt_restore_calls(tuner.rt(), restore, ELMO_RT_MAX_ITEMS), 1u);
  EXPECT_STREQ(restore[0].new_value, "67108864") << "closing now puts the old value back";
  // Blocks: the new values run 30% faster. Block 1 (new) -> switch to old; block 2 (old) ends
  // pair 1, no switch; block 3 (old) -> switch to new; block 4 (new) ends pair 2 ...
  std::vector<int> switches;
  int kept_at = 0;
  for (int block = 0; block < 12 && tuner.state() == ELMO_RT_VERIFY; block++) {
    bool on_new = elmo_rt_value(tuner.rt(), "write_buffer_size") == std::string("100663296");
    ASSERT_EQ(on_new, elmo_rt_switchback_on_new(block) == 1) << "block " << block;
    d = tuner.Step(t += 12, At(kHalf, (on_new ? 13000 : 10000) * Noise(block)));
    EXPECT_EQ(d.has_switchback, block % 2 == 1) << block;
    if (d.event == ELMO_RT_EV_KEPT) kept_at = block + 1;
    if (d.action == ELMO_RT_ACT_APPLY) {
      ASSERT_EQ(d.n_calls, 1u);
      switches.push_back(block + 1);
      tuner.Applied({1});
    }
  }
  EXPECT_EQ(kept_at, 8) << "kept at the second look (4 pairs)";
  EXPECT_EQ(switches, (std::vector<int>{1, 3, 5, 7})) << "one switch per pair; the DB ends on the new value";
  EXPECT_EQ(tuner.state(), ELMO_RT_COOLDOWN);
  EXPECT_STREQ(elmo_rt_value(tuner.rt(), "write_buffer_size"), "100663296");
  EXPECT_EQ(elmo_rt_restore_calls(tuner.rt(), restore, ELMO_RT_MAX_ITEMS), 0u);
  EXPECT_EQ(elmo_rt_next_sample_sec(tuner.rt()), 90);
  EXPECT_EQ(d.changes_last_hour, 5) << "the change and its four switches";
}

TEST(RealtimeSwitchback, ALossEndsOnTheOldValuesWithoutAnotherCall) {
  Tuner tuner(kSwitchback);
  double t = WatchChangeOne(tuner);
  elmo_rt_decision d;
  for (int block = 0; tuner.state() == ELMO_RT_VERIFY && block < 12; block++) {
    bool on_new = elmo_rt_switchback_on_new(block);
    d = tuner.Step(t += 12, At(kHalf, (on_new ? 6000 : 10000) * Noise(block)));
    if (d.action == ELMO_RT_ACT_APPLY) tuner.Applied({1});
    if (d.action == ELMO_RT_ACT_ROLLBACK) tuner.Applied({1});
  }
  EXPECT_EQ(d.event, ELMO_RT_EV_VERDICT) << d.reason;
  EXPECT_EQ(tuner.state(), ELMO_RT_COOLDOWN);
  EXPECT_STREQ(elmo_rt_value(tuner.rt(), "write_buffer_size"), "67108864");
  EXPECT_NE(std::string(d.reason).find("a loss of"), std::string::npos) << d.reason;
}

TEST(RealtimeSwitchback, StalledBlocksAreNotCountedAndDoNotSwitch) {
  Tuner tuner(kSwitchback);
  double t = WatchChangeOne(tuner);
  Load stalled = At(kHalf, 9000);
  stalled.stall = 0.3;
  elmo_rt_decision d = tuner.Step(t += 12, stalled);
  EXPECT_EQ(d.action, ELMO_RT_ACT_NONE) << d.reason;
  EXPECT_NE(std::string(d.reason).find("no switch while the DB stalls"), std::string::npos) << d.reason;
  EXPECT_EQ(tuner.state(), ELMO_RT_VERIFY);
  d = tuner.Step(t += 12, At(kHalf, 10000));  // counted: block 1, on the new values
  EXPECT_EQ(d.action, ELMO_RT_ACT_APPLY) << d.reason;
  tuner.Applied({1});
  tuner.Step(t += 12, stalled);
  tuner.Step(t += 12, stalled);
  d = tuner.Step(t += 12, stalled);  // the third stalled block running: no verdict, undone
  EXPECT_EQ(d.event, ELMO_RT_EV_VERDICT) << d.reason;
  EXPECT_EQ(d.action, ELMO_RT_ACT_NONE) << "already on the old values";
  EXPECT_NE(std::string(d.reason).find("stalled in 3 blocks running"), std::string::npos) << d.reason;
  EXPECT_STREQ(elmo_rt_value(tuner.rt(), "write_buffer_size"), "67108864");
}

TEST(RealtimeSwitchback, AMixThatMovesEndsTheVerdictOnTheOldValues) {
  Tuner tuner(kSwitchback);
  double t = WatchChangeOne(tuner);
  elmo_rt_decision d = tuner.Step(t += 12, kReads);  // on the new values, the mix moved 0.4
  EXPECT_EQ(d.event, ELMO_RT_EV_VERDICT) << d.reason;
  ASSERT_EQ(d.action, ELMO_RT_ACT_ROLLBACK) << d.reason;
  EXPECT_STREQ(d.calls[0].new_value, "67108864");
  EXPECT_NE(std::string(d.reason).find("cannot be judged"), std::string::npos) << d.reason;
  tuner.Applied({1});
  EXPECT_EQ(tuner.state(), ELMO_RT_COOLDOWN);
}

TEST(RealtimeSwitchback, AFailedSwitchUndoesTheChange) {
  Tuner tuner(kSwitchback);
  double t = WatchChangeOne(tuner);
  elmo_rt_decision d = tuner.Step(t += 12, kHalf);
  ASSERT_EQ(d.action, ELMO_RT_ACT_APPLY);
  d = tuner.Applied({0}, "Invalid argument: busy");
  EXPECT_EQ(d.action, ELMO_RT_ACT_ROLLBACK) << d.reason;
  EXPECT_NE(std::string(d.reason).find("the switch of change #1 failed"), std::string::npos) << d.reason;
  d = tuner.Applied({1});
  EXPECT_EQ(tuner.state(), ELMO_RT_COOLDOWN) << d.reason;
  EXPECT_STREQ(elmo_rt_value(tuner.rt(), "write_buffer_size"), "67108864");
}

TEST(RealtimeSwitchback, TheHourlyLimitBoundsThePairsOrFallsBackToWatching) {
  {
    Tuner tuner("elmo_switchback_pairs=6; elmo_max_changes_per_hour=5");
    elmo_rt_decision d;
    WatchChangeOne(tuner, &d);
    EXPECT_EQ(tuner.state(), ELMO_RT_VERIFY);
    EXPECT_NE(std::string(d.reason).find("up to 3 pairs"), std::string::npos) << d.reason;
  }
  {
    Tuner tuner("elmo_switchback_pairs=6; elmo_max_changes_per_hour=3");
    WatchChangeOne(tuner);
    EXPECT_EQ(tuner.state(), ELMO_RT_WATCH) << "room for one pair only: watch instead";
    elmo_rt_call restore[ELMO_RT_MAX_ITEMS];
    EXPECT_EQ(elmo_rt_restore_calls(tuner.rt(), restore, ELMO_RT_MAX_ITEMS), 1u) << "a watched change is restored too";
  }
}

}  // namespace
}  // namespace elmo_rt_test
