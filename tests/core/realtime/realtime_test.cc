// realtime_test.cc — the realtime tuner's pure decision core: config keys, snapshots from raw
// samples, shift detection, the state machine (ask, clamp, apply, watch, keep or roll back,
// cooldown, hourly limit), the built-in advice and what it learns, journal and facts JSON.
#include <cjson/cJSON.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "elmo/catalog.h"
#include "elmo/optfile.h"
#include "elmo/realtime.h"
#include "catalog_fixture.h"
#include "realtime_test_util.h"

using namespace elmo_rt_test;  // NOLINT: the shared fixtures of realtime_test_util.h

// ---- configuration ---------------------------------------------------------------------------

TEST(RealtimeConfig, DefaultsAreTheDocumentedOnesAndValid) {
  elmo_rt_config cfg;
  elmo_rt_config_defaults(&cfg);
  EXPECT_EQ(elmo_rt_config_validate(&cfg, nullptr), ELMO_OK);
  EXPECT_EQ(cfg.autotune, 0);
  EXPECT_EQ(cfg.interval_sec, 90);
  EXPECT_EQ(cfg.max_step, 0.5);
  EXPECT_EQ(cfg.max_changes_per_hour, 40);
  EXPECT_EQ(cfg.switchback_pairs, 6);
  EXPECT_EQ(cfg.switchback_block_sec, 10);
  EXPECT_EQ(cfg.switchback_settle_sec, 2);
  EXPECT_EQ(cfg.baseline_window, 5);
  EXPECT_EQ(cfg.shift_mix, 0.15);
  EXPECT_EQ(cfg.shift_throughput, 0.3);
  EXPECT_EQ(cfg.rollback_throughput, 0.1);
  EXPECT_EQ(cfg.rollback_p99, 0.2);
  EXPECT_STREQ(cfg.llm, "builtin");
  EXPECT_STREQ(cfg.journal, "");
  // Every documented key parses its own default.
  ASSERT_GT(elmo_rt_config_key_count(), 15u);
  for (size_t i = 0; i < elmo_rt_config_key_count(); i++) {
    const elmo_rt_key_info* k = elmo_rt_config_key_at(i);
    elmo_error err;
    EXPECT_TRUE(elmo_rt_config_is_key(k->key)) << k->key;
    EXPECT_EQ(elmo_rt_config_set(&cfg, k->key, k->default_value, &err), ELMO_OK) << k->key << ": " << err.message;
    EXPECT_GT(std::string(k->help).size(), 10u) << k->key;
  }
  EXPECT_EQ(elmo_rt_config_key_at(elmo_rt_config_key_count()), nullptr);
  EXPECT_FALSE(elmo_rt_config_is_key("write_buffer_size"));
}

TEST(RealtimeConfig, ParseErrorsNameTheKey) {
  struct Case {
    const char* text;
    elmo_rc rc;
    const char* in_message;
  } cases[] = {
      {"elmo_autotune=true; elmo_interval_sec=30\nelmo_max_step=25%", ELMO_OK, ""},
      {"  elmo_max_changes_per_hour = 2 ;; ", ELMO_OK, ""},
      {"elmo_interval_sec=0", ELMO_ERANGE, "elmo_interval_sec=0 is outside the allowed range [1, 86400]"},
      {"elmo_interval_sec=-5", ELMO_ERANGE, "elmo_interval_sec"},
      {"elmo_max_step=abc", ELMO_EPARSE, "elmo_max_step=abc is not a number"},
      {"elmo_max_step=0", ELMO_ERANGE, "elmo_max_step"},
      {"elmo_autotune=maybe", ELMO_EPARSE, "elmo_autotune"},
      {"elmo_max_changes_per_hour=61", ELMO_ERANGE, "elmo_max_changes_per_hour"},
      {"elmo_max_changes_per_hour=2.5", ELMO_ERANGE, "elmo_max_changes_per_hour"},
      {"elmo_rollback_throughput=1", ELMO_ERANGE, "elmo_rollback_throughput"},
      {"elmo_baseline_window=33", ELMO_ERANGE, "elmo_baseline_window"},
      {"elmo_intervl_sec=5", ELMO_ENOTFOUND, "did you mean elmo_interval_sec"},
      {"elmo_frobnicate=1", ELMO_ENOTFOUND, "elmo_frobnicate"},
      {"elmo_interval_sec", ELMO_EPARSE, "elmo_interval_sec: expected key=value"},
      {"elmo_llm=", ELMO_EINVAL, "elmo_llm"},
      {"elmo_interval_sec=nan", ELMO_EPARSE, "elmo_interval_sec"},
  };
  for (const Case& c : cases) {
    elmo_rt_config cfg;
    elmo_rt_config_defaults(&cfg);
    elmo_error err;
    elmo_error_clear(&err);
    EXPECT_EQ(elmo_rt_config_parse(&cfg, c.text, &err), c.rc) << c.text << ": " << err.message;
    EXPECT_NE(std::string(err.message).find(c.in_message), std::string::npos) << c.text << ": " << err.message;
  }
  elmo_rt_config cfg;
  elmo_rt_config_defaults(&cfg);
  ASSERT_EQ(elmo_rt_config_parse(&cfg, "elmo_autotune=true; elmo_interval_sec=30\nelmo_max_step=25%", nullptr),
            ELMO_OK);
  EXPECT_EQ(cfg.autotune, 1);
  EXPECT_EQ(cfg.interval_sec, 30);
  EXPECT_EQ(cfg.max_step, 0.25);
  elmo_error err;
  std::string long_path(1100, 'x');
  EXPECT_EQ(elmo_rt_config_set(&cfg, "elmo_journal", long_path.c_str(), &err), ELMO_ETOOBIG);
  EXPECT_NE(std::string(err.message).find("elmo_journal"), std::string::npos) << err.message;
  EXPECT_EQ(cfg.journal[0], '\0');  // unchanged on error
}

TEST(RealtimeConfig, ValidateAndCreateRejectABadConfig) {
  elmo_rt_config cfg;
  elmo_rt_config_defaults(&cfg);
  cfg.interval_sec = 0;
  elmo_error err;
  EXPECT_EQ(elmo_rt_config_validate(&cfg, &err), ELMO_ERANGE);
  EXPECT_NE(std::string(err.message).find("elmo_interval_sec"), std::string::npos) << err.message;
  elmo_rt* rt = reinterpret_cast<elmo_rt*>(1);
  EXPECT_EQ(elmo_rt_create(&cfg, nullptr, kOptions.data(), 1, &rt, &err), ELMO_ERANGE);
  EXPECT_EQ(rt, nullptr);
  elmo_rt_config_defaults(&cfg);
  cfg.max_step = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(elmo_rt_config_validate(&cfg, &err), ELMO_ERANGE);
  EXPECT_NE(std::string(err.message).find("elmo_max_step"), std::string::npos) << err.message;
}

// ---- snapshots -------------------------------------------------------------------------------

namespace {
elmo_rt_sample Sample(double t, double gets, double writes) {
  elmo_rt_sample s = {};
  s.time_sec = t;
  s.gets = gets;
  s.writes = writes;
  s.bytes_written = writes * 116;
  s.stall_micros = t * 1e5;  // 10% of the time
  s.cache_hits = gets * 0.75;
  s.cache_misses = gets * 0.25;
  s.cpu_sec = t * 1.5;
  s.p99_get_us = 120;
  return s;
}
}  // namespace

TEST(RealtimeSnapshot, RatesAndMixFromTwoSamples) {
  elmo_rt_sample a = Sample(1000, 100000, 100000), b = Sample(1090, 100000 + 90 * 300, 100000 + 90 * 700);
  elmo_rt_snapshot s;
  elmo_error err;
  ASSERT_EQ(elmo_rt_snapshot_from_samples(&a, &b, &s, &err), ELMO_OK) << err.message;
  EXPECT_DOUBLE_EQ(s.interval_sec, 90);
  EXPECT_DOUBLE_EQ(s.ops_per_sec, 1000);
  EXPECT_DOUBLE_EQ(s.read_frac, 0.3);
  EXPECT_DOUBLE_EQ(s.write_frac, 0.7);
  EXPECT_DOUBLE_EQ(s.scan_frac, 0);
  EXPECT_DOUBLE_EQ(s.write_bytes_per_op, 116);
  EXPECT_NEAR(s.stall_frac, 0.1, 1e-9);
  EXPECT_DOUBLE_EQ(s.cache_hit_rate, 0.75);
  EXPECT_NEAR(s.cpu_cores, 1.5, 1e-9);
  EXPECT_EQ(s.p99_get_us, 120);
}

TEST(RealtimeSnapshot, BadSamplesGiveClearErrorsAndSkippedSnapshots) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  struct Case {
    const char* name;
    elmo_rt_sample prev, cur;
    elmo_rc rc;
    const char* in_message;
  } cases[] = {
      {"nan counter", Sample(0, 0, 0), Sample(90, nan, 10), ELMO_EINVAL, "gets is nan"},
      {"infinite gauge", Sample(0, 0, 0), [&] { auto s = Sample(90, 5, 5); s.rss_bytes = inf; return s; }(),
       ELMO_EINVAL, "rss_bytes"},
      {"negative", Sample(0, 0, 0), [&] { auto s = Sample(90, 5, 5); s.l0_files = -1; return s; }(), ELMO_EINVAL,
       "l0_files"},
      {"reset", Sample(0, 5000, 5000), Sample(90, 10, 6000), ELMO_ERANGE, "counter gets went backwards"},
      {"zero interval", Sample(90, 0, 0), Sample(90, 10, 10), ELMO_ERANGE, "zero or negative interval"},
      {"clock backwards", Sample(90, 0, 0), Sample(10, 10, 10), ELMO_ERANGE, "time did not advance"},
      {"nan time", Sample(0, 0, 0), Sample(nan, 10, 10), ELMO_EINVAL, "time_sec"},
  };
  Tuner tuner;
  for (const Case& c : cases) {
    elmo_rt_snapshot s;
    elmo_error err;
    EXPECT_EQ(elmo_rt_snapshot_from_samples(&c.prev, &c.cur, &s, &err), c.rc) << c.name;
    EXPECT_NE(std::string(err.message).find(c.in_message), std::string::npos) << c.name << ": " << err.message;
    elmo_rt_decision d;
    ASSERT_EQ(elmo_rt_step_samples(tuner.rt(), &c.prev, &c.cur, &d, &err), ELMO_OK) << c.name;
    EXPECT_EQ(d.event, ELMO_RT_EV_SKIPPED) << c.name;
    EXPECT_EQ(d.code, c.rc) << c.name;
    EXPECT_NE(std::string(d.reason).find(c.in_message), std::string::npos) << c.name << ": " << d.reason;
    EXPECT_EQ(tuner.state(), ELMO_RT_IDLE) << c.name;
    EXPECT_EQ(elmo_rt_baseline_count(tuner.rt()), 0u) << c.name;
    CheckJournal(d);
  }
  // Too little load to judge: skipped, saying so.
  elmo_rt_sample a = Sample(0, 0, 0), b = Sample(90, 10, 10);
  elmo_rt_decision d;
  ASSERT_EQ(elmo_rt_step_samples(tuner.rt(), &a, &b, &d, nullptr), ELMO_OK);
  EXPECT_EQ(d.event, ELMO_RT_EV_SKIPPED);
  EXPECT_NE(std::string(d.reason).find("elmo_min_interval_ops"), std::string::npos) << d.reason;
  // A good pair is used.
  b = Sample(90, 50000, 50000);
  ASSERT_EQ(elmo_rt_step_samples(tuner.rt(), &a, &b, &d, nullptr), ELMO_OK);
  EXPECT_EQ(d.event, ELMO_RT_EV_SNAPSHOT) << d.reason;
  EXPECT_EQ(elmo_rt_baseline_count(tuner.rt()), 1u);
}

TEST(RealtimeSnapshot, SamplesDriveTheStateMachineAcrossAReset) {
  Tuner tuner;
  elmo_rt_sample prev = {};
  prev.time_sec = kT0;
  int shifts = 0, skipped = 0;
  for (int i = 1; i <= 14; i++) {
    elmo_rt_sample cur = prev;
    cur.time_sec = kT0 + 90 * i;
    double writes = i <= 6 ? 10000 : 5000, gets = i <= 6 ? 0 : 5000;  // per second
    if (i == 4) {
      cur.writes = cur.bytes_written = 0;  // statistics were reset
    } else {
      cur.gets += 90 * gets;
      cur.writes += 90 * writes;
      cur.bytes_written += 90 * writes * 116;
    }
    elmo_rt_decision d;
    ASSERT_EQ(elmo_rt_step_samples(tuner.rt(), &prev, &cur, &d, nullptr), ELMO_OK);
    CheckJournal(d);
    skipped += d.event == ELMO_RT_EV_SKIPPED;
    if (d.event == ELMO_RT_EV_SHIFT) {
      shifts++;
      EXPECT_EQ(i, 7) << d.reason;
      tuner.Propose({});
    }
    prev = cur;
  }
  EXPECT_EQ(skipped, 1);
  EXPECT_EQ(shifts, 1);
}

// ---- shift detection -------------------------------------------------------------------------

TEST(RealtimeShift, SteadyWorkloadNeverShifts) {
  Tuner tuner;
  double t = kT0;
  for (int i = 0; i < 40; i++) {
    double wobble = (i % 3 - 1) * 0.03;  // +-3% noise in rate and mix
    Load l = {10000 * (1 + wobble), 0.8 + wobble, 0.2 - wobble, 0, 0.01, 100 * (1 + wobble), 50, 116};
    elmo_rt_decision d = tuner.Step(t += 90, l);
    EXPECT_EQ(d.event, ELMO_RT_EV_SNAPSHOT) << i << ": " << d.reason;
    EXPECT_EQ(d.action, ELMO_RT_ACT_NONE) << i;
  }
  EXPECT_EQ(tuner.state(), ELMO_RT_IDLE);
}

TEST(RealtimeShift, MixChangeIsDetectedOnceThenRebaselined) {
  Tuner tuner;
  double t = kT0;
  int shifts = 0;
  for (int i = 0; i < 5; i++) {
    elmo_rt_decision d = tuner.Step(t += 90, kWrites);
    EXPECT_EQ(d.event, ELMO_RT_EV_SNAPSHOT);
    EXPECT_NE(std::string(d.reason).find("establishing the baseline"), std::string::npos) << d.reason;
  }
  for (int i = 0; i < 12; i++) {
    elmo_rt_decision d = tuner.Step(t += 90, kHalf);
    if (d.event == ELMO_RT_EV_SHIFT) {
      shifts++;
      EXPECT_EQ(i, 0);
      EXPECT_TRUE(d.shift.signals & ELMO_RT_SIG_MIX);
      EXPECT_NEAR(d.shift.mix_distance, 0.5, 1e-9);
      EXPECT_NE(std::string(d.reason).find("op mix moved 0.50"), std::string::npos) << d.reason;
      EXPECT_EQ(tuner.state(), ELMO_RT_ASK);
      tuner.Propose({});  // the advisor had nothing
      EXPECT_EQ(tuner.state(), ELMO_RT_IDLE);
    }
  }
  EXPECT_EQ(shifts, 1);
}

TEST(RealtimeShift, EachSignalHasItsThreshold) {
  struct Case {
    const char* name;
    Load to;
    unsigned signals;
  } cases[] = {
      {"steady", {10500, 0.8, 0.2, 0}, 0},
      {"mix", {10000, 0.5, 0.5, 0}, ELMO_RT_SIG_MIX},
      {"scans", {10000, 0.6, 0.2, 0.2}, ELMO_RT_SIG_MIX},
      {"throughput up", {14000, 0.8, 0.2, 0}, ELMO_RT_SIG_THROUGHPUT},
      {"throughput down", {6000, 0.8, 0.2, 0}, ELMO_RT_SIG_THROUGHPUT},
      {"small change", {12000, 0.75, 0.25, 0}, 0},
      {"value size", {10000, 0.8, 0.2, 0, 0, 100, 50, 1024}, ELMO_RT_SIG_VALUE_SIZE},
      {"stalls", {10000, 0.8, 0.2, 0, 0.2}, ELMO_RT_SIG_STALL},
  };
  for (const Case& c : cases) {
    Tuner tuner;
    double t = kT0;
    for (int i = 0; i < 5; i++) tuner.Step(t += 90, {10000, 0.8, 0.2, 0});
    elmo_rt_snapshot s = Snap(t + 90, c.to);
    elmo_rt_shift sh;
    ASSERT_EQ(elmo_rt_detect_shift(tuner.rt(), &s, &sh, nullptr), ELMO_OK);
    EXPECT_TRUE(sh.baseline_ready) << c.name;
    EXPECT_EQ(sh.signals, c.signals) << c.name << ": " << sh.reason;
    EXPECT_EQ(sh.shifted, c.signals != 0) << c.name;
    EXPECT_GT(std::string(sh.reason).size(), 5u) << c.name;
  }
}

TEST(RealtimeShift, SustainedStallsAskToo) {
  Tuner tuner;
  double t = kT0;
  Load stalled = {10000, 0.2, 0.8, 0, 0.3};
  for (int i = 0; i < 5; i++) EXPECT_EQ(tuner.Step(t += 90, stalled).event, ELMO_RT_EV_SNAPSHOT);
  elmo_rt_decision d = tuner.Step(t += 90, stalled);
  EXPECT_EQ(d.event, ELMO_RT_EV_SHIFT) << d.reason;
  EXPECT_TRUE(d.shift.signals & ELMO_RT_SIG_STALLS_HIGH) << d.reason;
}

// ---- proposals -------------------------------------------------------------------------------

TEST(RealtimePropose, NumericChangesAreClampedToMaxStepAndSaySo) {
  struct Case {
    const char* option;
    const char* current;
    const char* proposed;
    const char* applied;
    elmo_rt_item_status status;
    const char* in_note;
  } cases[] = {
      {"write_buffer_size", "67108864", "16777216", "33554432", ELMO_RT_ITEM_CLAMPED, "clamped from 16777216"},
      {"write_buffer_size", "67108864", "268435456", "100663296", ELMO_RT_ITEM_CLAMPED, "at most 50% from 67108864"},
      {"write_buffer_size", "67108864", "80000000", "80000000", ELMO_RT_ITEM_ACCEPTED, ""},
      {"max_background_jobs", "2", "8", "3", ELMO_RT_ITEM_CLAMPED, "clamped"},
      {"max_background_jobs", "1", "4", "2", ELMO_RT_ITEM_CLAMPED, "at least one unit"},
      {"max_bytes_for_level_multiplier", "10.000000", "100", "15", ELMO_RT_ITEM_CLAMPED, "clamped"},
      {"max_bytes_for_level_multiplier", "10.000000", "8.5", "8.5", ELMO_RT_ITEM_ACCEPTED, ""},
      {"memtable_prefix_bloom_size_ratio", "0.000000", "0.1", "0.1", ELMO_RT_ITEM_ACCEPTED, "no step limit from 0"},
      {"bytes_per_sync", "4096", "1048576", "6144", ELMO_RT_ITEM_CLAMPED, "clamped"},
      {"bytes_per_sync", "0", "1048576", "", ELMO_RT_ITEM_DROPPED, "RocksDB 7.8's SetDBOptions turns 0 into 1 MiB"},
      {"max_open_files", "-1", "5000", "5000", ELMO_RT_ITEM_ACCEPTED, "no step limit"},
      {"compression", "kSnappyCompression", "kLZ4Compression", "kLZ4Compression", ELMO_RT_ITEM_ACCEPTED, ""},
      {"write_buffer_size", "67108864", "64MB", "", ELMO_RT_ITEM_DROPPED, "not a plain number"},
      {"max_background_jobs", "2", "2.5", "", ELMO_RT_ITEM_DROPPED, "whole number"},
      {"max_background_jobs", "2", "2", "", ELMO_RT_ITEM_DROPPED, "already the current value"},
      {"max_background_jobs", "64", "90", "", ELMO_RT_ITEM_DROPPED, "90 is outside the allowed range [1, 64]"},
  };
  for (const Case& c : cases) {
    Tuner tuner;
    ASSERT_EQ(elmo_rt_set_value(tuner.rt(), c.option, c.current, nullptr), ELMO_OK) << c.option;
    tuner.ShiftTo(kT0, kWrites, kHalf);
    elmo_rt_decision d = tuner.Propose({{c.option, c.proposed}});
    ASSERT_EQ(d.n_items, 1u);
    const elmo_rt_item& it = d.items[0];
    EXPECT_EQ(it.status, c.status) << c.option << "=" << c.proposed << ": " << it.note;
    EXPECT_STREQ(it.value, c.applied) << c.option << "=" << c.proposed;
    EXPECT_STREQ(it.old_value, c.current);
    EXPECT_NE(std::string(it.note).find(c.in_note), std::string::npos) << it.note;
    if (c.status == ELMO_RT_ITEM_DROPPED) {
      EXPECT_EQ(d.event, ELMO_RT_EV_SKIPPED);
      EXPECT_EQ(tuner.state(), ELMO_RT_IDLE);
      continue;
    }
    EXPECT_EQ(d.event, ELMO_RT_EV_PROPOSAL);
    EXPECT_EQ(d.action, ELMO_RT_ACT_APPLY);
    ASSERT_EQ(d.n_calls, 1u);
    EXPECT_STREQ(d.calls[0].new_value, c.applied);
    EXPECT_STREQ(d.calls[0].old_value, c.current);
    // The journal says clamped, too.
    char* line = elmo_rt_journal_line(&d);
    cJSON* j = cJSON_Parse(line);
    elmo_free(line);
    const cJSON* item = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "items"), 0);
    EXPECT_EQ(Str(item, "status"), c.status == ELMO_RT_ITEM_CLAMPED ? "clamped" : "accepted");
    cJSON_Delete(j);
  }
}

TEST(RealtimePropose, NonMutableAndUnknownOptionsAreDroppedWithAReason) {
  Tuner tuner;
  tuner.ShiftTo(kT0, kWrites, kHalf);
  elmo_rt_decision d = tuner.Propose({{"num_levels", "10"},
                                      {"block_cache", "1073741824"},
                                      {"no_such_option", "1"},
                                      {"write_buffer_size", "80000000"},
                                      {"write_buffer_size", "90000000"}});
  ASSERT_EQ(d.n_items, 5u);
  EXPECT_EQ(d.items[0].status, ELMO_RT_ITEM_DROPPED);
  EXPECT_EQ(d.items[0].code, ELMO_ELOCKED);
  EXPECT_NE(std::string(d.items[0].note).find("not runtime-mutable"), std::string::npos) << d.items[0].note;
  EXPECT_EQ(d.items[1].code, ELMO_ELOCKED);
  EXPECT_EQ(d.items[2].code, ELMO_ENOTFOUND);
  EXPECT_NE(std::string(d.items[2].note).find("unknown option"), std::string::npos);
  EXPECT_EQ(d.items[3].status, ELMO_RT_ITEM_ACCEPTED);
  EXPECT_NE(std::string(d.items[4].note).find("proposed twice"), std::string::npos);
  ASSERT_EQ(d.n_calls, 1u);
  EXPECT_STREQ(d.calls[0].option, "write_buffer_size");
  EXPECT_EQ(d.calls[0].section, ELMO_SECTION_CF);
  // Only non-mutable options: nothing to apply.
  Tuner other;
  other.ShiftTo(kT0, kWrites, kHalf);
  d = other.Propose({{"num_levels", "10"}});
  EXPECT_EQ(d.event, ELMO_RT_EV_SKIPPED);
  EXPECT_EQ(d.code, ELMO_ENOTFOUND);
  EXPECT_EQ(d.n_calls, 0u);
}

TEST(RealtimePropose, OptionsBeyondThePerChangeLimitAreDeferred) {
  Tuner tuner("elmo_max_options_per_change=1");
  tuner.ShiftTo(kT0, kWrites, kHalf);
  elmo_rt_decision d = tuner.Propose({{"write_buffer_size", "80000000"}, {"max_background_jobs", "3"}});
  ASSERT_EQ(d.n_calls, 1u);
  EXPECT_EQ(d.items[1].status, ELMO_RT_ITEM_DROPPED);
  EXPECT_EQ(d.items[1].code, ELMO_EBUDGET);
  EXPECT_NE(std::string(d.items[1].note).find("elmo_max_options_per_change"), std::string::npos);
}

TEST(RealtimePropose, HourlyLimitBlocksTheFifthChange) {
  Tuner tuner("elmo_baseline_window=1; elmo_cooldown_intervals=0");
  double t = kT0;
  tuner.Step(t += 90, kWrites);
  const char* sizes[] = {"80000000", "90000000", "100000000", "110000000", "120000000"};
  for (int i = 0; i < 5; i++) {
    const Load& next = i % 2 == 0 ? kHalf : kWrites;
    elmo_rt_decision d = tuner.Step(t += 90, next);
    ASSERT_EQ(d.event, ELMO_RT_EV_SHIFT) << i << ": " << d.reason;
    if (i == 4) {
      EXPECT_EQ(d.action, ELMO_RT_ACT_NONE);
      EXPECT_NE(std::string(d.reason).find("elmo_max_changes_per_hour=4"), std::string::npos) << d.reason;
      EXPECT_EQ(d.changes_last_hour, 4);
      EXPECT_EQ(tuner.state(), ELMO_RT_IDLE);
      break;
    }
    d = tuner.Propose({{"write_buffer_size", sizes[i]}});
    ASSERT_EQ(d.action, ELMO_RT_ACT_APPLY) << i << ": " << d.reason;
    EXPECT_EQ(d.changes_last_hour, i + 1);
    tuner.Applied({1});
    d = tuner.Step(t += 90, next);  // the watch interval: as good as before
    ASSERT_EQ(d.event, ELMO_RT_EV_KEPT) << i << ": " << d.reason;
    EXPECT_EQ(tuner.state(), ELMO_RT_IDLE);
  }
  // An hour after the first change, changes are allowed again.
  t = kT0 + 3600 + 200;
  tuner.Step(t, kHalf);
  elmo_rt_decision d = tuner.Step(t += 90, kWrites);
  ASSERT_EQ(d.event, ELMO_RT_EV_SHIFT) << d.reason;
  EXPECT_EQ(d.action, ELMO_RT_ACT_ASK) << d.reason;
}

TEST(RealtimePropose, ZeroChangesPerHourOnlyObserves) {
  Tuner tuner("elmo_max_changes_per_hour=0");
  double t = kT0;
  for (int i = 0; i < 5; i++) tuner.Step(t += 90, kWrites);
  elmo_rt_decision d = tuner.Step(t += 90, kHalf);
  EXPECT_EQ(d.event, ELMO_RT_EV_SHIFT);
  EXPECT_EQ(d.action, ELMO_RT_ACT_NONE);
  EXPECT_NE(std::string(d.reason).find("observing only"), std::string::npos) << d.reason;
}

// ---- watch: keep or roll back ----------------------------------------------------------------

TEST(RealtimeWatch, VerdictFollowsThroughputAndP99) {
  struct Case {
    const char* name;
    double ops_factor, p99_get_factor, p99_write_factor;
    bool rollback;
    const char* in_reason;
  } cases[] = {
      {"20% slower", 0.8, 1, 1, true, "throughput -20.0%"},
      {"5% slower", 0.95, 1, 1, false, "kept"},
      {"get p99 +30%", 1, 1.3, 1, true, "get p99 +30.0%"},
      {"write p99 +25%", 1.02, 1, 1.25, true, "write p99 +25.0%"},
      {"faster", 1.2, 0.9, 0.9, false, "kept"},
      {"p99 +15%", 1, 1.15, 1.15, false, "kept"},
  };
  for (const Case& c : cases) {
    Tuner tuner;
    double t = tuner.ShiftTo(kT0, kWrites, kHalf);
    elmo_rt_decision d = tuner.Propose({{"write_buffer_size", "100663296"}});
    ASSERT_EQ(d.action, ELMO_RT_ACT_APPLY) << c.name;
    d = tuner.Applied({1});
    ASSERT_EQ(d.event, ELMO_RT_EV_APPLIED);
    EXPECT_EQ(tuner.state(), ELMO_RT_WATCH);
    EXPECT_STREQ(elmo_rt_value(tuner.rt(), "write_buffer_size"), "100663296");
    Load after = kHalf;
    after.ops_per_sec *= c.ops_factor;
    after.p99_get *= c.p99_get_factor;
    after.p99_write *= c.p99_write_factor;
    d = tuner.Step(t += 90, after);
    EXPECT_NE(std::string(d.reason).find(c.in_reason), std::string::npos) << c.name << ": " << d.reason;
    if (!c.rollback) {
      EXPECT_EQ(d.event, ELMO_RT_EV_KEPT) << c.name;
      EXPECT_EQ(d.action, ELMO_RT_ACT_NONE);
      EXPECT_EQ(tuner.state(), ELMO_RT_COOLDOWN);
      EXPECT_STREQ(elmo_rt_value(tuner.rt(), "write_buffer_size"), "100663296");
      tuner.Step(t += 90, after);
      d = tuner.Step(t += 90, after);
      EXPECT_EQ(tuner.state(), ELMO_RT_IDLE) << c.name << ": " << d.reason;
      continue;
    }
    EXPECT_EQ(d.event, ELMO_RT_EV_VERDICT) << c.name;
    EXPECT_EQ(d.action, ELMO_RT_ACT_ROLLBACK);
    ASSERT_EQ(d.n_calls, 1u);
    EXPECT_STREQ(d.calls[0].option, "write_buffer_size");
    EXPECT_EQ(d.calls[0].section, ELMO_SECTION_CF);
    EXPECT_STREQ(d.calls[0].old_value, "100663296");
    EXPECT_STREQ(d.calls[0].new_value, "67108864");
    d = tuner.Applied({1});
    EXPECT_EQ(d.event, ELMO_RT_EV_ROLLED_BACK);
    EXPECT_EQ(tuner.state(), ELMO_RT_COOLDOWN);
    EXPECT_STREQ(elmo_rt_value(tuner.rt(), "write_buffer_size"), "67108864");
    EXPECT_NE(std::string(d.reason).find("rolled back"), std::string::npos) << d.reason;
  }
}

TEST(RealtimeWatch, WorkloadMovingWhileWatchingUndoesWithoutLearning) {
  Tuner tuner;
  double t = WatchChangeOne(tuner);
  elmo_rt_decision d = tuner.Step(t += 90, kReads);
  EXPECT_EQ(d.event, ELMO_RT_EV_VERDICT);
  EXPECT_NE(std::string(d.reason).find("cannot be judged"), std::string::npos) << d.reason;
  tuner.Applied({1});
  // The workload went back to all writes during the rollback's cooldown (4 intervals): its end
  // sees that as a shift from the mix the change was made for.
  for (int i = 0; i < 3; i++) EXPECT_EQ(tuner.Step(t += 90, kWrites).event, ELMO_RT_EV_SNAPSHOT);
  d = tuner.Step(t += 90, kWrites);
  EXPECT_EQ(d.event, ELMO_RT_EV_SHIFT) << d.reason;
  EXPECT_EQ(d.action, ELMO_RT_ACT_ASK) << d.reason;
  // Not learned as bad: the same move may be proposed again.
  d = tuner.Propose({{"write_buffer_size", "100663296"}});
  EXPECT_EQ(d.action, ELMO_RT_ACT_APPLY) << d.reason;
}

TEST(RealtimeApply, FailedSetOptionsIsRolledBackAndRecorded) {
  Tuner tuner;
  tuner.ShiftTo(kT0, kWrites, kHalf);
  elmo_rt_decision d = tuner.Propose({{"write_buffer_size", "80000000"}, {"max_background_jobs", "3"}});
  ASSERT_EQ(d.n_calls, 2u);
  EXPECT_EQ(d.calls[1].section, ELMO_SECTION_DB);
  d = tuner.Applied({1, 0}, "Invalid argument: max_background_jobs");
  EXPECT_EQ(d.event, ELMO_RT_EV_APPLIED);
  EXPECT_EQ(d.action, ELMO_RT_ACT_ROLLBACK);
  EXPECT_NE(std::string(d.reason).find("max_background_jobs=3 refused: Invalid argument"), std::string::npos)
      << d.reason;
  ASSERT_EQ(d.n_calls, 1u);  // only the part that took is undone
  EXPECT_STREQ(d.calls[0].option, "write_buffer_size");
  EXPECT_STREQ(d.calls[0].new_value, "67108864");
  d = tuner.Applied({1});
  EXPECT_EQ(d.event, ELMO_RT_EV_ROLLED_BACK);
  EXPECT_STREQ(elmo_rt_value(tuner.rt(), "write_buffer_size"), "67108864");
  EXPECT_STREQ(elmo_rt_value(tuner.rt(), "max_background_jobs"), "2");
  // Everything refused: nothing to undo, straight to cooldown; the refused value is not proposed again.
  Tuner other;
  double t = other.ShiftTo(kT0, kWrites, kHalf);
  other.Propose({{"max_background_jobs", "3"}});
  d = other.Applied({0});
  EXPECT_EQ(d.event, ELMO_RT_EV_APPLIED);
  EXPECT_EQ(d.action, ELMO_RT_ACT_NONE);
  EXPECT_EQ(other.state(), ELMO_RT_COOLDOWN);
  EXPECT_EQ(d.calls[0].status, 0);
  for (int i = 0; i < 4; i++) other.Step(t += 90, kHalf);
  EXPECT_EQ(other.state(), ELMO_RT_IDLE);
  t = other.ShiftTo(t, kHalf, kWrites, 5);
  d = other.Propose({{"max_background_jobs", "3"}});
  EXPECT_EQ(d.event, ELMO_RT_EV_SKIPPED);
  EXPECT_NE(std::string(d.items[0].note).find("refused by RocksDB"), std::string::npos) << d.items[0].note;
}

TEST(RealtimeApply, FailedRollbackIsReported) {
  Tuner tuner;
  double t = WatchChangeOne(tuner);
  Load worse = kHalf;
  worse.ops_per_sec /= 2;
  tuner.Step(t += 90, worse);
  elmo_rt_decision d = tuner.Applied({0}, "IO error");
  EXPECT_EQ(d.event, ELMO_RT_EV_ROLLED_BACK);
  EXPECT_NE(std::string(d.reason).find("stays 100663296: IO error"), std::string::npos) << d.reason;
  EXPECT_NE(std::string(d.reason).find("needs attention"), std::string::npos) << d.reason;
  EXPECT_STREQ(elmo_rt_value(tuner.rt(), "write_buffer_size"), "100663296");
}

TEST(RealtimeApi, BadCallsAreRefusedClearly) {
  elmo_rt_decision d;
  elmo_error err;
  EXPECT_EQ(elmo_rt_step(nullptr, nullptr, &d, &err), ELMO_EINVAL);
  EXPECT_EQ(elmo_rt_propose(nullptr, nullptr, 0, nullptr, &d, &err), ELMO_EINVAL);
  EXPECT_EQ(elmo_rt_applied(nullptr, nullptr, nullptr, 0, &d, &err), ELMO_EINVAL);
  EXPECT_EQ(elmo_rt_builtin_advice(nullptr, nullptr, nullptr, &err), ELMO_EINVAL);
  EXPECT_EQ(elmo_rt_facts_json(nullptr), nullptr);
  EXPECT_EQ(elmo_rt_journal_line(nullptr), nullptr);
  elmo_rt_destroy(nullptr);
  Tuner tuner;
  elmo_rt_pair p = {"write_buffer_size", "1"};
  EXPECT_EQ(elmo_rt_propose(tuner.rt(), &p, 1, "x", &d, &err), ELMO_EINVAL);
  EXPECT_NE(std::string(err.message).find("state idle, not ask"), std::string::npos) << err.message;
  int ok = 1;
  EXPECT_EQ(elmo_rt_applied(tuner.rt(), &ok, nullptr, 1, &d, &err), ELMO_EINVAL);
  tuner.ShiftTo(kT0, kWrites, kHalf);
  std::vector<elmo_rt_pair> many(ELMO_RT_MAX_ITEMS + 1, p);
  EXPECT_EQ(elmo_rt_propose(tuner.rt(), many.data(), many.size(), "x", &d, &err), ELMO_ETOOBIG);
  tuner.Propose({{"write_buffer_size", "80000000"}});
  int two[2] = {1, 1};
  EXPECT_EQ(elmo_rt_applied(tuner.rt(), two, nullptr, 2, &d, &err), ELMO_EINVAL);
  EXPECT_NE(std::string(err.message).find("2 status(es) for 1 pending call"), std::string::npos) << err.message;
  EXPECT_EQ(elmo_rt_set_value(tuner.rt(), "nope", "1", &err), ELMO_ENOTFOUND);
  // Duplicate and nameless option rows.
  elmo_rt_config cfg;
  elmo_rt_config_defaults(&cfg);
  elmo_rt_option dup[] = {Opt("a", ELMO_SECTION_CF, 1, "1"), Opt("a", ELMO_SECTION_CF, 1, "2")};
  elmo_rt* rt = nullptr;
  EXPECT_EQ(elmo_rt_create(&cfg, nullptr, dup, 2, &rt, &err), ELMO_EINVAL);
  EXPECT_NE(std::string(err.message).find("option a is listed twice"), std::string::npos) << err.message;
  elmo_rt_option nameless[] = {Opt(nullptr, ELMO_SECTION_CF, 1, "1")};
  EXPECT_EQ(elmo_rt_create(&cfg, nullptr, nameless, 1, &rt, &err), ELMO_EINVAL);
  EXPECT_EQ(rt, nullptr);
}

// ---- built-in advice -------------------------------------------------------------------------

namespace {
std::vector<elmo_rt_pair> PairsOf(const elmo_rt_advice& a) {
  std::vector<elmo_rt_pair> p(ELMO_RT_ADVICE_MAX);
  p.resize(elmo_rt_advice_pairs(&a, p.data(), p.size()));
  return p;
}

std::string Pairs(const elmo_rt_advice& a) {
  std::string s;
  for (const elmo_rt_pair& p : PairsOf(a)) s += std::string(p.name) + "=" + p.value + ";";
  return s;
}

elmo_rt_advice Advise(Tuner& tuner, const Load& l, double t, double l0_files = 0, double flush_mib = 0) {
  elmo_rt_snapshot s = Snap(t, l);
  s.l0_files = l0_files;
  s.flush_bytes_per_sec = flush_mib * 1048576;
  elmo_rt_advice a;
  EXPECT_EQ(elmo_rt_builtin_advice(tuner.rt(), &s, &a, nullptr), ELMO_OK);
  return a;
}
}  // namespace

TEST(RealtimeAdvice, RulesFitTheSignals) {
  struct Case {
    const char* name;
    elmo_rt_host host;
    Load from, to;
    double l0_files, flush_mib;
    const char* expect;
  } cases[] = {
      {"stalls: more jobs", {8, 8e9, 0}, {10000, 0.2, 0.8, 0, 0.3}, {10000, 0.2, 0.8, 0, 0.3}, 4, 0,
       "max_background_jobs=3;"},
      {"stalls, CPUs busy: L0 triggers", {1, 8e9, 0}, {10000, 0.2, 0.8, 0, 0.3}, {10000, 0.2, 0.8, 0, 0.3}, 18, 0,
       "level0_slowdown_writes_trigger=30;level0_stop_writes_trigger=54;"},
      {"one writer: smaller memtables", {2, 8e9, 1}, kReads, kHalf, 0, 0, "write_buffer_size=33554432;"},
      {"many writers: larger memtables", {8, 8e9, 16}, kReads, kHalf, 0, 0, "write_buffer_size=100663296;"},
      {"reads rose: memtable bloom", {8, 8e9, 0}, kHalf, kReads, 0, 0,
       "memtable_prefix_bloom_size_ratio=0.1;memtable_whole_key_filtering=true;"},
      // Heavy flushes once asked for bytes_per_sync 0 -> 1 MiB: a change RocksDB 7.8 cannot undo.
      {"flush heavy: nothing", {8, 8e9, 0}, kHalf, {13000, 0.5, 0.5, 0}, 0, 32, ""},
      {"nothing", {8, 8e9, 0}, kHalf, {13500, 0.5, 0.5, 0}, 0, 0, ""},
  };
  for (const Case& c : cases) {
    Tuner tuner("", c.host);
    double t = kT0;
    for (int i = 0; i < 5; i++) tuner.Step(t += 90, c.from);
    tuner.Step(t += 90, c.to);
    elmo_rt_advice a = Advise(tuner, c.to, t, c.l0_files, c.flush_mib);
    EXPECT_EQ(Pairs(a), c.expect) << c.name << ": " << a.reason;
    EXPECT_GT(std::string(a.reason).size(), 20u) << c.name;
  }
}

TEST(RealtimeAdvice, NeverReproposesWhatWasRolledBackUnderASimilarMix) {
  Tuner tuner("", {2, 8e9, 1});
  double t = tuner.ShiftTo(kT0, kReads, kHalf);
  elmo_rt_advice a = Advise(tuner, kHalf, t);
  ASSERT_EQ(Pairs(a), "write_buffer_size=33554432;") << a.reason;
  elmo_rt_decision d = tuner.Propose(PairsOf(a), "builtin");
  ASSERT_EQ(d.action, ELMO_RT_ACT_APPLY) << d.reason;
  tuner.Applied({1});
  Load worse = kHalf;
  worse.ops_per_sec *= 0.7;
  d = tuner.Step(t += 90, worse);
  ASSERT_EQ(d.action, ELMO_RT_ACT_ROLLBACK) << d.reason;
  tuner.Applied({1});
  // Back to reads during the rollback's cooldown: its end sees the shift; nothing is changed.
  for (int i = 0; i < 3; i++) tuner.Step(t += 90, kReads);
  d = tuner.Step(t += 90, kReads);
  ASSERT_EQ(d.event, ELMO_RT_EV_SHIFT) << d.reason;
  tuner.Propose({});
  // The same shift again: smaller memtables were measured worse, so the other direction.
  t = tuner.ShiftTo(t, kReads, kHalf, 5);
  a = Advise(tuner, kHalf, t);
  EXPECT_EQ(Pairs(a), "write_buffer_size=100663296;") << a.reason;
  EXPECT_NE(std::string(a.reason).find("rolled back"), std::string::npos) << a.reason;
  // And an LLM proposing the rolled-back move is refused the same way.
  d = tuner.Propose({{"write_buffer_size", "33554432"}}, "llm");
  EXPECT_EQ(d.event, ELMO_RT_EV_SKIPPED);
  EXPECT_NE(std::string(d.items[0].note).find("rolled back by change #1"), std::string::npos) << d.items[0].note;
}

// ---- journal and facts -----------------------------------------------------------------------

TEST(RealtimeJournal, LinesCarryTheExpectedFields) {
  Tuner tuner;
  double t = tuner.ShiftTo(kT0, kWrites, kHalf);
  elmo_rt_decision d = tuner.Propose({{"write_buffer_size", "16777216"}}, "builtin");
  char* line = elmo_rt_journal_line(&d);
  cJSON* j = cJSON_Parse(line);
  ASSERT_NE(j, nullptr) << line;
  elmo_free(line);
  EXPECT_EQ(Str(j, "event"), "proposal");
  EXPECT_EQ(Str(j, "action"), "apply");
  EXPECT_EQ(Str(j, "source"), "builtin");
  EXPECT_EQ(Str(j, "time"), "2023-11-14T22:22:20.000Z");  // kT0 + 6 x 90 s
  EXPECT_EQ(cJSON_GetObjectItemCaseSensitive(j, "change_id")->valueint, 1);
  const cJSON* call = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "calls"), 0);
  EXPECT_EQ(Str(call, "option"), "write_buffer_size");
  EXPECT_EQ(Str(call, "api"), "SetOptions");
  EXPECT_EQ(Str(call, "section"), "CFOptions");
  EXPECT_EQ(Str(call, "old"), "67108864");
  EXPECT_EQ(Str(call, "new"), "33554432");
  EXPECT_EQ(Str(call, "status"), "pending");
  cJSON_Delete(j);
  tuner.Applied({1});
  Load worse = kHalf;
  worse.ops_per_sec *= 0.8;
  d = tuner.Step(t + 90, worse);
  line = elmo_rt_journal_line(&d);
  j = cJSON_Parse(line);
  elmo_free(line);
  const cJSON* v = cJSON_GetObjectItemCaseSensitive(j, "verdict");
  EXPECT_EQ(Str(v, "verdict"), "rollback");
  EXPECT_NEAR(cJSON_GetObjectItemCaseSensitive(v, "ops_change")->valuedouble, -0.2, 1e-9);
  EXPECT_TRUE(cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(j, "snapshot")));
  cJSON_Delete(j);
  char* log = elmo_rt_log_line(&d);
  EXPECT_NE(std::string(log).find("[elmo] verdict (watch -> rollback, rollback 1 call(s)): throughput -20.0%"),
            std::string::npos)
      << log;
  elmo_free(log);
}

TEST(RealtimeFacts, MutableOnlyInTheAdvisorsShape) {
  Tuner tuner;
  double t = WatchChangeOne(tuner);
  tuner.Step(t + 90, {5000, 0.5, 0.5, 0});
  tuner.Applied({1});
  char* block = elmo_rt_facts_json(tuner.rt());
  ASSERT_NE(block, nullptr);
  std::string s = block;
  elmo_free(block);
  size_t start = s.find("```json\n"), end = s.find("\n```", start + 8);
  ASSERT_NE(start, std::string::npos) << s;
  ASSERT_NE(end, std::string::npos) << s;
  cJSON* f = cJSON_Parse(s.substr(start + 8, end - start - 8).c_str());
  ASSERT_NE(f, nullptr) << s;
  EXPECT_EQ(cJSON_GetObjectItemCaseSensitive(f, "elmo_facts")->valueint, 1);
  EXPECT_EQ(Str(f, "phase"), "realtime");
  EXPECT_TRUE(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(f, "mutable_only")));
  EXPECT_EQ(cJSON_GetObjectItemCaseSensitive(f, "cpus")->valueint, 8);
  const cJSON* w = cJSON_GetObjectItemCaseSensitive(f, "workload");
  EXPECT_NEAR(cJSON_GetObjectItemCaseSensitive(w, "write")->valuedouble, 0.5, 1e-9);
  const cJSON* opts = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(f, "best"), "options");
  EXPECT_EQ(Str(opts, "write_buffer_size"), "67108864");
  EXPECT_EQ(cJSON_GetObjectItemCaseSensitive(opts, "num_levels"), nullptr);
  char* locked_text = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(f, "locked"));
  std::string locked = locked_text;
  free(locked_text);
  EXPECT_NE(locked.find("\"num_levels\""), std::string::npos) << locked;
  EXPECT_EQ(locked.find("write_buffer_size"), std::string::npos) << locked;
  const cJSON* tried = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(f, "tried"), 0);
  EXPECT_EQ(Str(tried, "status"), "rolled_back");
  EXPECT_EQ(Str(cJSON_GetObjectItemCaseSensitive(tried, "changes"), "write_buffer_size"), "100663296");
  const cJSON* limits = cJSON_GetObjectItemCaseSensitive(f, "limits");
  EXPECT_EQ(cJSON_GetObjectItemCaseSensitive(limits, "changes_left_this_hour")->valueint, 3);
  cJSON_Delete(f);
}

// ---- the engine's catalog --------------------------------------------------------------------

TEST(RealtimeCatalog, OptionTableFromTheCatalog) {
  const elmo_catalog* cat = elmo_test::FixtureCatalog();
  ASSERT_NE(cat, nullptr);
  elmo_error err;
  elmo_optfile* current = elmo_optfile_create();
  ASSERT_EQ(elmo_optfile_set(current, ELMO_SECTION_CF, "default", "write_buffer_size", "33554432", &err), ELMO_OK);
  elmo_rt_option* opts = nullptr;
  size_t n = 0;
  ASSERT_EQ(elmo_rt_options_from_catalog(cat, current, &opts, &n, &err), ELMO_OK) << err.message;
  auto find = [&](const char* name) -> const elmo_rt_option* {
    for (size_t i = 0; i < n; i++) {
      if (std::string(opts[i].name) == name) return &opts[i];
    }
    return nullptr;
  };
  const elmo_rt_option* wbs = find("write_buffer_size");
  ASSERT_NE(wbs, nullptr);
  EXPECT_EQ(wbs->section, ELMO_SECTION_CF);
  EXPECT_TRUE(wbs->is_mutable);
  EXPECT_STREQ(wbs->value, "33554432");
  EXPECT_TRUE(wbs->has_range);
  const elmo_rt_option* jobs = find("max_background_jobs");
  ASSERT_NE(jobs, nullptr);
  EXPECT_EQ(jobs->section, ELMO_SECTION_DB);
  EXPECT_TRUE(jobs->is_mutable);
  EXPECT_NE(jobs->value, nullptr);  // the engine default
  const elmo_rt_option* levels = find("num_levels");
  ASSERT_NE(levels, nullptr);
  EXPECT_FALSE(levels->is_mutable);
  // The table is what elmo_rt_create takes.
  elmo_rt_config cfg;
  elmo_rt_config_defaults(&cfg);
  elmo_rt* rt = nullptr;
  EXPECT_EQ(elmo_rt_create(&cfg, nullptr, opts, n, &rt, &err), ELMO_OK) << err.message;
  elmo_rt_destroy(rt);
  elmo_free(opts);
  elmo_optfile_destroy(current);
}
