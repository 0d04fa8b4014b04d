// realtime_events_test.cc — events of the DB in the core (realtime_events.c): a stall that begins
// asks for a look at once (not inside a switchback block), a background error stops every change
// until the recovery (which ends a switchback on the old values), flushes and compactions are
// counted into the next snapshot.
#include <gtest/gtest.h>

#include <string>

#include "realtime_test_util.h"

namespace elmo_rt_test {
namespace {

elmo_rt_db_event Event(elmo_rt_db_event_kind kind, int condition = 0, const char* message = "") {
  elmo_rt_db_event e = {};
  e.kind = kind;
  e.time_sec = kT0;
  e.stall_condition = condition;
  snprintf(e.message, sizeof e.message, "%s", message);
  return e;
}

int Feed(Tuner& tuner, const elmo_rt_db_event& e, elmo_rt_decision* d) {
  int look = elmo_rt_db_event_step(tuner.rt(), &e, d);
  if (d->event != ELMO_RT_EV_SKIPPED) CheckJournal(*d);
  return look;
}

TEST(RealtimeEvents, AStallThatBeginsIsLookedAtNow) {
  Tuner tuner;
  tuner.Step(kT0 + 90, kWrites);
  elmo_rt_decision d;
  EXPECT_EQ(Feed(tuner, Event(ELMO_RT_DB_STALL, 1), &d), 1);
  EXPECT_EQ(d.event, ELMO_RT_EV_DB);
  EXPECT_NE(std::string(d.reason).find("normal -> delayed; looking now"), std::string::npos) << d.reason;
  EXPECT_EQ(Feed(tuner, Event(ELMO_RT_DB_STALL, 2), &d), 0) << "already stalled";
  EXPECT_EQ(Feed(tuner, Event(ELMO_RT_DB_STALL, 0), &d), 0);
  EXPECT_NE(std::string(d.reason).find("stopped -> normal"), std::string::npos) << d.reason;
  Feed(tuner, Event(ELMO_RT_DB_STALL, 0), &d);
  EXPECT_EQ(d.event, ELMO_RT_EV_SKIPPED) << "no change: nothing to journal";
  EXPECT_EQ(elmo_rt_db_event_step(nullptr, nullptr, nullptr), -1);
}

TEST(RealtimeEvents, InsideASwitchbackBlockAStallWaitsForTheBlock) {
  Tuner tuner("elmo_switchback_pairs=4; elmo_max_changes_per_hour=40");
  WatchChangeOne(tuner);
  ASSERT_EQ(tuner.state(), ELMO_RT_VERIFY);
  elmo_rt_decision d;
  EXPECT_EQ(Feed(tuner, Event(ELMO_RT_DB_STALL, 1), &d), 0);
}

TEST(RealtimeEvents, ABackgroundErrorStopsEveryChangeUntilTheRecovery) {
  Tuner tuner;
  double t = kT0;
  for (int i = 0; i < 5; i++) tuner.Step(t += 90, kWrites);
  elmo_rt_decision d;
  EXPECT_EQ(Feed(tuner, Event(ELMO_RT_DB_BG_ERROR, 0, "IO error: No space left on device"), &d), 0);
  EXPECT_NE(std::string(d.reason).find("No space left on device; no changes until the DB recovers"), std::string::npos)
      << d.reason;
  EXPECT_EQ(elmo_rt_background_error(tuner.rt()), 1);
  d = tuner.Step(t += 90, kHalf);  // a shift: not asked
  EXPECT_EQ(d.event, ELMO_RT_EV_SHIFT);
  EXPECT_EQ(d.action, ELMO_RT_ACT_NONE);
  EXPECT_NE(std::string(d.reason).find("not asking: a background error"), std::string::npos) << d.reason;
  EXPECT_EQ(Feed(tuner, Event(ELMO_RT_DB_RECOVERED), &d), 0);
  EXPECT_EQ(d.event, ELMO_RT_EV_DB);
  EXPECT_EQ(elmo_rt_background_error(tuner.rt()), 0);
  EXPECT_EQ(Feed(tuner, Event(ELMO_RT_DB_RECOVERED), &d), 0);
  EXPECT_EQ(d.event, ELMO_RT_EV_SKIPPED) << "recovered twice: nothing to say";
}

TEST(RealtimeEvents, AProposalDuringABackgroundErrorIsNotApplied) {
  Tuner tuner;
  tuner.ShiftTo(kT0, kWrites, kHalf);
  elmo_rt_decision d;
  Feed(tuner, Event(ELMO_RT_DB_BG_ERROR, 0, "Corruption: bad block"), &d);
  d = tuner.Propose({{"write_buffer_size", "100663296"}});
  EXPECT_EQ(d.event, ELMO_RT_EV_SKIPPED);
  EXPECT_EQ(d.action, ELMO_RT_ACT_NONE);
  EXPECT_NE(std::string(d.reason).find("a background error stops every change"), std::string::npos) << d.reason;
  EXPECT_STREQ(elmo_rt_value(tuner.rt(), "write_buffer_size"), "67108864");
}

TEST(RealtimeEvents, ARecoveryEndsASwitchbackThatStraddledTheError) {
  Tuner tuner("elmo_switchback_pairs=4; elmo_max_changes_per_hour=40");
  double t = WatchChangeOne(tuner);
  elmo_rt_decision d;
  Feed(tuner, Event(ELMO_RT_DB_BG_ERROR, 0, "IO error"), &d);
  d = tuner.Step(t += 12, kHalf);  // the first block: not counted, no switch
  EXPECT_EQ(d.action, ELMO_RT_ACT_NONE);
  EXPECT_NE(std::string(d.reason).find("background error stops every change"), std::string::npos) << d.reason;
  EXPECT_EQ(tuner.state(), ELMO_RT_VERIFY);
  EXPECT_STREQ(elmo_rt_value(tuner.rt(), "write_buffer_size"), "100663296") << "no switch during the error";
  Feed(tuner, Event(ELMO_RT_DB_RECOVERED), &d);
  ASSERT_EQ(d.action, ELMO_RT_ACT_ROLLBACK) << d.reason;
  EXPECT_STREQ(d.calls[0].new_value, "67108864");
  EXPECT_NE(std::string(d.reason).find("straddled it"), std::string::npos) << d.reason;
  tuner.Applied({1});
  EXPECT_EQ(tuner.state(), ELMO_RT_COOLDOWN);
}

TEST(RealtimeEvents, FlushesAndCompactionsAreCountedIntoTheNextSnapshot) {
  Tuner tuner;
  elmo_rt_decision d;
  for (int i = 0; i < 3; i++) Feed(tuner, Event(ELMO_RT_DB_FLUSH), &d);
  EXPECT_EQ(d.event, ELMO_RT_EV_SKIPPED) << "counted, not journaled";
  Feed(tuner, Event(ELMO_RT_DB_COMPACTION), &d);
  d = tuner.Step(kT0 + 90, kWrites);
  EXPECT_EQ(d.snap.flushes, 3);
  EXPECT_EQ(d.snap.compactions, 1);
  d = tuner.Step(kT0 + 180, kWrites);
  EXPECT_EQ(d.snap.flushes, 0) << "per interval";
}

}  // namespace
}  // namespace elmo_rt_test
