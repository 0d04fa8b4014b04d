// guard_test.cc — per-operation figures, objectives and guards (tuner_guard.c), and the rule that
// decides what best.ini holds (elmo_tune_ship_best): a candidate that wins overall by slowing down
// an operation type that matters is not better.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "elmo/spec.h"
#include "elmo/tuner.h"

namespace {

// A run of a workload with puts and seeks, as db_bench reports it.
elmo_trial_metrics PutsAndSeeks(double ops_per_sec, uint64_t writes, double write_p99, uint64_t seeks, double seek_p99) {
  elmo_trial_metrics m;
  std::memset(&m, 0, sizeof m);
  m.ops_per_sec = ops_per_sec;
  m.n_op_types = 2;
  std::snprintf(m.op_types[0].type, sizeof m.op_types[0].type, "write");
  m.op_types[0].count = writes;
  m.op_types[0].p99_us = write_p99;
  m.op_types[0].avg_us = write_p99 / 4;
  std::snprintf(m.op_types[1].type, sizeof m.op_types[1].type, "seek");
  m.op_types[1].count = seeks;
  m.op_types[1].p99_us = seek_p99;
  m.op_types[1].avg_us = seek_p99 / 4;
  double time = writes * m.op_types[0].avg_us + seeks * m.op_types[1].avg_us;
  m.op_types[0].time_share = writes * m.op_types[0].avg_us / time;
  m.op_types[1].time_share = seeks * m.op_types[1].avg_us / time;
  return m;
}

TEST(GuardTest, OperationNamesMapToDbBenchHistograms) {
  EXPECT_STREQ(elmo_tune_op_histogram("get"), "read");
  EXPECT_STREQ(elmo_tune_op_histogram("multiget"), "read");
  EXPECT_STREQ(elmo_tune_op_histogram("put"), "write");
  EXPECT_STREQ(elmo_tune_op_histogram("seek"), "seek");
  EXPECT_STREQ(elmo_tune_op_histogram("merge"), "merge");
  EXPECT_STREQ(elmo_tune_op_histogram("delete"), "delete");
  EXPECT_EQ(elmo_tune_op_histogram("scan"), nullptr);
  EXPECT_EQ(elmo_tune_op_histogram("Get"), nullptr) << "names are exact, as db_bench's";
  EXPECT_EQ(elmo_tune_op_histogram(nullptr), nullptr);
}

TEST(GuardTest, AnOperationsThroughputIsItsShareOfTheRun) {
  elmo_trial_metrics m = PutsAndSeeks(10000, 5400, 20, 4600, 300);
  double ops = 0, p99 = 0;
  ASSERT_EQ(elmo_tune_op_figures(&m, "seek", &ops, &p99), 1);
  EXPECT_NEAR(ops, 4600, 1e-9);
  EXPECT_EQ(p99, 300);
  EXPECT_EQ(elmo_tune_op_figures(&m, "read", &ops, &p99), 0) << "no reads ran";
  // The objective on one operation type: the seeks' ops/s, or their p99 as 10^6 / p99.
  EXPECT_NEAR(elmo_tune_score_op(ELMO_OBJECTIVE_THROUGHPUT, "seek", 0.5, &m, &m), 4600, 1e-9);
  EXPECT_NEAR(elmo_tune_score_op(ELMO_OBJECTIVE_P99, "seek", 0.5, &m, &m), 1e6 / 300, 1e-9);
  EXPECT_EQ(elmo_tune_score_op(ELMO_OBJECTIVE_THROUGHPUT, "read", 0.5, &m, &m), 0);
  EXPECT_EQ(elmo_tune_score_op(ELMO_OBJECTIVE_THROUGHPUT, nullptr, 0.5, &m, &m), 10000) << "all operations";
}

// The case of issue 16: a candidate that speeds up the writer and slows down the seeks wins on the
// sum of all operations; the seeks are what the program's users wait for.
TEST(GuardTest, AWinThatSlowsDownTheSeeksIsTurnedDown) {
  elmo_trial_metrics base = PutsAndSeeks(10000, 5400, 20, 4600, 300);
  elmo_trial_metrics cand = PutsAndSeeks(12000, 5400, 12, 4600, 420);  // +20% overall, seek p99 +40%
  const char* const seek[] = {"seek"};
  elmo_tune_guard g = {seek, 1, 0, 0, 0, 0};  // defaults: 10% share, 10% ops, 25% p99
  char why[256];
  EXPECT_EQ(elmo_tune_guard_check(&g, &cand, &base, why, sizeof why), 0);
  EXPECT_NE(std::string(why).find("seek: p99 420 us vs 300 (+40.0%; at most +25% allowed)"), std::string::npos)
      << why;
  // The same candidate with seek p99 +20%: within the tolerance.
  cand = PutsAndSeeks(12000, 5400, 12, 4600, 360);
  EXPECT_EQ(elmo_tune_guard_check(&g, &cand, &base, why, sizeof why), 1) << why;
  EXPECT_STREQ(why, "");
  // Unprotected, the seeks' p99 is judged only with p99_all: a type guarded by its share alone
  // keeps its throughput guard (in a closed loop it rose with the rest here).
  cand = PutsAndSeeks(12000, 5400, 12, 4600, 420);
  elmo_tune_guard by_share = {nullptr, 0, 0, 0, 0, 0};
  EXPECT_EQ(elmo_tune_guard_check(&by_share, &cand, &base, nullptr, 0), 1);
  by_share.p99_all = 1;
  EXPECT_EQ(elmo_tune_guard_check(&by_share, &cand, &base, nullptr, 0), 0);
}

// Measured (docs/bench/HISTORY.md, "Programs that are not presets", runs 1-2): in two programs of one
// rate-limited or background writer and several readers, the writer's p99 (stall bursts) rose
// 73% to 269% under the tuning guide's file, which made the readers, the program's throughput,
// 1.16 and 1.85 times faster. By share alone, that p99 must not veto the file.
TEST(GuardTest, ABackgroundWritersP99DoesNotVetoByDefault) {
  elmo_trial_metrics base = PutsAndSeeks(81000, 44000, 481, 37000, 900);
  elmo_trial_metrics cand = PutsAndSeeks(125000, 68000, 1777, 57000, 700);
  elmo_tune_guard g = {nullptr, 0, 0, 0, 0, 0};
  EXPECT_EQ(elmo_tune_guard_check(&g, &cand, &base, nullptr, 0), 1);
  const char* const put[] = {"put"};
  elmo_tune_guard protect = {put, 1, 0, 0, 0, 0};
  char why[256];
  EXPECT_EQ(elmo_tune_guard_check(&protect, &cand, &base, why, sizeof why), 0);
  EXPECT_NE(std::string(why).find("write: p99 1777 us vs 481"), std::string::npos) << why;
}

// Seen in the seek program with client roles: the guide's move gave the readers +18% and the paced
// writer -12.6%. Where the writer's puts are background load (only paced clients run them), the
// share guard leaves them alone; naming them in --elmo_protect still guards them.
TEST(GuardTest, APacedWritersThroughputIsGuardedOnlyWhenProtected) {
  elmo_trial_metrics base = PutsAndSeeks(105000, 43442, 300, 61558, 900);
  elmo_trial_metrics cand = PutsAndSeeks(110600, 37970, 300, 72630, 800);
  elmo_tune_guard g = {nullptr, 0, 0, 0, 0, 0};
  char why[256];
  EXPECT_EQ(elmo_tune_guard_check(&g, &cand, &base, why, sizeof why), 0);
  EXPECT_NE(std::string(why).find("write: "), std::string::npos) << why;
  g.background = 1u << ELMO_SPEC_PUT;
  EXPECT_EQ(elmo_tune_guard_check(&g, &cand, &base, why, sizeof why), 1) << why;
  const char* const put[] = {"put"};
  g.protect = put, g.n_protect = 1;
  EXPECT_EQ(elmo_tune_guard_check(&g, &cand, &base, why, sizeof why), 0);
  // The unpaced clients' seeks stay guarded by their share.
  elmo_tune_guard seeks = {nullptr, 0, 0, 0, 0, 0, 1u << ELMO_SPEC_PUT};
  cand = PutsAndSeeks(110600, 60000, 300, 50600, 800);
  EXPECT_EQ(elmo_tune_guard_check(&seeks, &cand, &base, why, sizeof why), 0);
  EXPECT_NE(std::string(why).find("seek: "), std::string::npos) << why;
}

TEST(GuardTest, AFewMicrosecondsOfP99AreNotALoss) {
  // A write-heavy run out of its stalls: writes 74% faster, their p99 12 -> 15 us (+25%), which
  // nobody waits for.
  elmo_trial_metrics base = PutsAndSeeks(86000, 80000, 12, 20000, 12);
  elmo_trial_metrics cand = PutsAndSeeks(150000, 80000, 15.5, 20000, 12);
  elmo_tune_guard g = {nullptr, 0, 0, 0, 0, 1};
  EXPECT_EQ(elmo_tune_guard_check(&g, &cand, &base, nullptr, 0), 1);
  cand = PutsAndSeeks(150000, 80000, 12 + ELMO_TUNE_GUARD_P99_SLACK_US + 1, 20000, 12);
  EXPECT_EQ(elmo_tune_guard_check(&g, &cand, &base, nullptr, 0), 0);
}

TEST(GuardTest, ThroughputLossOfAGuardedTypeIsNamed) {
  elmo_trial_metrics base = PutsAndSeeks(10000, 5000, 20, 5000, 300);
  elmo_trial_metrics cand = PutsAndSeeks(10500, 7000, 20, 3000, 300);  // seeks 5000/s -> 3150/s
  elmo_tune_guard g = {nullptr, 0, 0, 0, 0, 0};
  char why[256];
  EXPECT_EQ(elmo_tune_guard_check(&g, &cand, &base, why, sizeof why), 0);
  EXPECT_NE(std::string(why).find("seek: 3150 ops/s vs 5000 (-37.0%; at most -10% allowed)"), std::string::npos)
      << why;
  elmo_tune_guard loose = {nullptr, 0, 0, 0.5, 0, 0};
  EXPECT_EQ(elmo_tune_guard_check(&loose, &cand, &base, why, sizeof why), 1) << why;
}

TEST(GuardTest, ARareTypeMattersOnlyWhenProtected) {
  // Seeks are 2% of the operations and (with the same per-op cost as writes) 2% of the time.
  elmo_trial_metrics base = PutsAndSeeks(10000, 9800, 100, 200, 100);
  elmo_trial_metrics cand = PutsAndSeeks(11000, 10780, 100, 0, 0);  // the seeks vanished
  cand.n_op_types = 1;
  elmo_tune_guard g = {nullptr, 0, 0, 0, 0, 0};
  EXPECT_EQ(elmo_tune_guard_check(&g, &cand, &base, nullptr, 0), 1);
  const char* const seek[] = {"seek"};
  elmo_tune_guard protect = {seek, 1, 0, 0, 0, 0};
  char why[256];
  EXPECT_EQ(elmo_tune_guard_check(&protect, &cand, &base, why, sizeof why), 0);
  EXPECT_NE(std::string(why).find("seek: no operations ran"), std::string::npos) << why;
  // share < 0: only the protected types, however large the others are.
  elmo_trial_metrics slow_writes = PutsAndSeeks(10000, 9800, 500, 200, 100);
  elmo_tune_guard only = {seek, 1, -1, 0, 0, 0};
  EXPECT_EQ(elmo_tune_guard_check(&only, &slow_writes, &base, why, sizeof why), 1) << why;
}

TEST(GuardTest, APercentileOfAFewSamplesIsNotJudged) {
  elmo_trial_metrics base = PutsAndSeeks(10000, 5000, 20, 150, 300);
  base.op_types[1].time_share = 0.5;  // guarded by its time share
  elmo_trial_metrics cand = PutsAndSeeks(10000, 5000, 20, 150, 900);
  EXPECT_EQ(elmo_tune_guard_check(nullptr, &cand, &base, nullptr, 0), 1) << "no guard: passes";
  elmo_tune_guard g = {nullptr, 0, 0, 0, 0, 1};
  EXPECT_EQ(elmo_tune_guard_check(&g, &cand, &base, nullptr, 0), 1)
      << "150 seeks: p99 is the 2nd slowest, not a measure";
}

TEST(GuardTest, PooledRunsSumCountsAndAveragePercentiles) {
  elmo_trial_metrics a = PutsAndSeeks(10000, 5000, 20, 5000, 300), b = PutsAndSeeks(12000, 6000, 40, 6000, 500);
  elmo_trial_metrics failed;
  std::memset(&failed, 0, sizeof failed);
  const elmo_trial_metrics* runs[] = {&a, &failed, &b};
  elmo_trial_metrics pooled;
  elmo_tune_pool_runs(runs, 3, &pooled);
  EXPECT_EQ(pooled.ops_per_sec, 11000) << "the failed run is left out";
  ASSERT_EQ(pooled.n_op_types, 2u);
  EXPECT_STREQ(pooled.op_types[1].type, "seek");
  EXPECT_EQ(pooled.op_types[1].count, 11000u);
  EXPECT_EQ(pooled.op_types[1].p99_us, 400);
  EXPECT_NEAR(pooled.op_types[0].time_share + pooled.op_types[1].time_share, 1, 1e-12);
  elmo_tune_pool_runs(runs, 0, &pooled);
  EXPECT_EQ(pooled.ops_per_sec, 0);
  EXPECT_EQ(pooled.n_op_types, 0u);
}

TEST(GuardTest, BestIniHoldsTheBestOnlyWhenEveryConfirmationThatRanSaysSo) {
  elmo_tune_summary s;
  std::memset(&s, 0, sizeof s);
  s.best_index = 3;
  s.confirm.significant = 1;
  EXPECT_EQ(elmo_tune_ship_best(&s), 1) << "no trace: the model decides";
  s.replay_state = ELMO_REPLAY_RAN;
  EXPECT_EQ(elmo_tune_ship_best(&s), 0) << "the model wins, the program's own operations do not";
  s.replay.significant = 1;
  EXPECT_EQ(elmo_tune_ship_best(&s), 1);
  s.confirm.significant = 0;
  EXPECT_EQ(elmo_tune_ship_best(&s), 0);
  s.confirm.significant = 1;
  s.replay_state = ELMO_REPLAY_FAILED;
  s.replay.significant = 0;
  EXPECT_EQ(elmo_tune_ship_best(&s), 1) << "a trace that cannot be replayed leaves the model to decide";
  s.best_index = 0;
  EXPECT_EQ(elmo_tune_ship_best(&s), 0) << "the baseline stayed the best";
  EXPECT_EQ(elmo_tune_ship_best(nullptr), 0);
}

}  // namespace
