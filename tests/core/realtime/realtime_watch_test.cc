// realtime_watch_test.cc — elmo_watch_intervals: a change is judged on the mean of several
// watched intervals, so one noisy interval neither keeps nor undoes it; and what the watch's
// cooldown sees.
#include "elmo/realtime.h"
#include "realtime_test_util.h"

using namespace elmo_rt_test;  // NOLINT: the shared fixtures of realtime_test_util.h

TEST(RealtimeWatch, SeveralIntervalsAreJudgedOnTheirMean) {
  // One bad interval among three: -30% then +10%, +10%: mean -3.3%, within the 10% allowed.
  Tuner tuner("elmo_watch_intervals=3");
  elmo_rt_decision d;
  double t = WatchChangeOne(tuner, &d);
  EXPECT_NE(std::string(d.reason).find("watching the next 3 intervals"), std::string::npos) << d.reason;
  const double factors[] = {0.7, 1.1, 1.1};
  for (int i = 0; i < 3; i++) {
    Load l = kHalf;
    l.ops_per_sec *= factors[i];
    d = tuner.Step(t += 90, l);
    if (i < 2) {
      EXPECT_EQ(d.event, ELMO_RT_EV_SNAPSHOT) << i << ": " << d.reason;
      EXPECT_EQ(tuner.state(), ELMO_RT_WATCH) << "judged after one noisy interval";
      EXPECT_NE(std::string(d.reason).find("watching change #1"), std::string::npos) << d.reason;
    }
  }
  EXPECT_EQ(d.event, ELMO_RT_EV_KEPT) << d.reason;
  EXPECT_NEAR(d.ops_change, -0.1 / 3, 1e-9);
  EXPECT_NE(std::string(d.reason).find("over 3 interval(s)"), std::string::npos) << d.reason;

  // With one interval (the default) the same -30% interval undoes the change at once.
  Tuner one;
  t = one.ShiftTo(kT0, kWrites, kHalf);
  one.Propose({{"write_buffer_size", "100663296"}});
  one.Applied({1});
  Load bad = kHalf;
  bad.ops_per_sec *= 0.7;
  d = one.Step(t += 90, bad);
  EXPECT_EQ(d.event, ELMO_RT_EV_VERDICT) << d.reason;
}

TEST(RealtimeWatch, ASustainedDropOverTheWatchIsUndone) {
  Tuner tuner("elmo_watch_intervals=2");
  double t = WatchChangeOne(tuner);
  Load slow = kHalf;
  slow.ops_per_sec *= 0.85;
  slow.p99_get *= 1.1;
  elmo_rt_decision d = tuner.Step(t += 90, slow);
  EXPECT_EQ(d.event, ELMO_RT_EV_SNAPSHOT) << d.reason;
  d = tuner.Step(t += 90, slow);
  EXPECT_EQ(d.event, ELMO_RT_EV_VERDICT) << d.reason;
  EXPECT_NEAR(d.ops_change, -0.15, 1e-9);
  EXPECT_EQ(d.action, ELMO_RT_ACT_ROLLBACK);
}

TEST(RealtimeWatch, AMixThatMovesEndsTheWatchAtOnce) {
  Tuner tuner("elmo_watch_intervals=4");
  double t = WatchChangeOne(tuner);
  elmo_rt_decision d = tuner.Step(t += 90, kReads);
  EXPECT_EQ(d.event, ELMO_RT_EV_VERDICT) << d.reason;
  EXPECT_NE(std::string(d.reason).find("cannot be judged"), std::string::npos) << d.reason;
}

TEST(RealtimeWatch, TheKeyIsRangeChecked) {
  elmo_rt_config cfg;
  elmo_rt_config_defaults(&cfg);
  EXPECT_EQ(cfg.watch_intervals, 1);
  elmo_error err;
  EXPECT_EQ(elmo_rt_config_set(&cfg, "elmo_watch_intervals", "0", &err), ELMO_ERANGE);
  EXPECT_NE(std::string(err.message).find("elmo_watch_intervals"), std::string::npos) << err.message;
  EXPECT_EQ(elmo_rt_config_set(&cfg, "elmo_watch_intervals", "11", &err), ELMO_ERANGE);
  EXPECT_EQ(elmo_rt_config_set(&cfg, "elmo_watch_intervals", "3", &err), ELMO_OK);
  EXPECT_EQ(cfg.watch_intervals, 3);
}

// A shift while the tuner cools down after a change: the ring rebuilt during the cooldown holds
// the new workload already, so the end of the cooldown compares the mix with the one the change
// was made for; the same mix just ends the cooldown.
TEST(RealtimeWatch, ShiftDuringTheCooldownIsSeenAtItsEnd) {
  for (bool moves : {true, false}) {
    Tuner tuner("elmo_cooldown_intervals=3");
    double t = WatchChangeOne(tuner);
    elmo_rt_decision d = tuner.Step(t += 90, kHalf);
    ASSERT_EQ(d.event, ELMO_RT_EV_KEPT) << d.reason;
    ASSERT_EQ(tuner.state(), ELMO_RT_COOLDOWN);
    const Load& during = moves ? kReads : kHalf;
    for (int i = 0; i < 2; i++) {
      d = tuner.Step(t += 90, during);
      EXPECT_EQ(d.event, ELMO_RT_EV_SNAPSHOT) << d.reason;
      EXPECT_EQ(tuner.state(), ELMO_RT_COOLDOWN) << d.reason;
    }
    d = tuner.Step(t += 90, during);
    if (!moves) {
      EXPECT_EQ(d.event, ELMO_RT_EV_SNAPSHOT) << d.reason;
      EXPECT_NE(std::string(d.reason).find("cooldown over"), std::string::npos) << d.reason;
      EXPECT_EQ(tuner.state(), ELMO_RT_IDLE);
      // The ring kept the cooldown's snapshots: the same mix is steady, not a shift.
      EXPECT_EQ(tuner.Step(t += 90, kHalf).event, ELMO_RT_EV_SNAPSHOT);
      continue;
    }
    EXPECT_EQ(d.event, ELMO_RT_EV_SHIFT) << d.reason;
    EXPECT_EQ(d.action, ELMO_RT_ACT_ASK) << d.reason;
    EXPECT_EQ(tuner.state(), ELMO_RT_ASK);
    EXPECT_TRUE(d.shift.signals & ELMO_RT_SIG_MIX);
    EXPECT_NEAR(d.shift.mix_distance, 0.4, 1e-9);  // reads 50% -> 90%
    EXPECT_NEAR(d.shift.base_read_frac, 0.5, 1e-9);
    EXPECT_NE(std::string(d.reason).find("during the cooldown"), std::string::npos) << d.reason;
    EXPECT_NE(std::string(d.reason).find("change #1"), std::string::npos) << d.reason;
  }
}
