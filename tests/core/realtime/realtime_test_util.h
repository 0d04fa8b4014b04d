// realtime_test_util.h — what the realtime core's tests share: an option table, synthetic
// snapshots (Load), a Tuner wrapper over elmo_rt that checks every journal line it produces.
#ifndef ELMO_TESTS_CORE_REALTIME_TEST_UTIL_H
#define ELMO_TESTS_CORE_REALTIME_TEST_UTIL_H

#include <cjson/cJSON.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "elmo/catalog.h"
#include "elmo/optfile.h"
#include "elmo/realtime.h"

namespace elmo_rt_test {

inline elmo_rt_option Opt(const char* name, elmo_section section, int is_mutable, const char* value, int has_range = 0,
                   double min = 0, double max = 0) {
  elmo_rt_option o;
  o.name = name;
  o.section = section;
  o.is_mutable = is_mutable;
  o.value = value;
  o.has_range = has_range;
  o.min = min;
  o.max = max;
  return o;
}

const std::vector<elmo_rt_option> kOptions = {
    Opt("write_buffer_size", ELMO_SECTION_CF, 1, "67108864"),
    Opt("max_background_jobs", ELMO_SECTION_DB, 1, "2", 1, 1, 64),
    Opt("level0_slowdown_writes_trigger", ELMO_SECTION_CF, 1, "20"),
    Opt("level0_stop_writes_trigger", ELMO_SECTION_CF, 1, "36"),
    Opt("soft_pending_compaction_bytes_limit", ELMO_SECTION_CF, 1, "68719476736"),
    Opt("hard_pending_compaction_bytes_limit", ELMO_SECTION_CF, 1, "274877906944"),
    Opt("memtable_prefix_bloom_size_ratio", ELMO_SECTION_CF, 1, "0.000000"),
    Opt("memtable_whole_key_filtering", ELMO_SECTION_CF, 1, "false"),
    Opt("bytes_per_sync", ELMO_SECTION_DB, 1, "0"),
    Opt("compression", ELMO_SECTION_CF, 1, "kSnappyCompression"),
    Opt("max_bytes_for_level_multiplier", ELMO_SECTION_CF, 1, "10.000000"),
    Opt("max_open_files", ELMO_SECTION_DB, 1, "-1"),
    Opt("block_size", ELMO_SECTION_TABLE, 1, "4096"),
    Opt("num_levels", ELMO_SECTION_CF, 0, "7"),
    Opt("block_cache", ELMO_SECTION_TABLE, 0, "8388608"),
};

const double kT0 = 1700000000;  // 2023-11-14T22:13:20Z

struct Load {
  double ops_per_sec, read, write, scan;
  double stall = 0, p99_get = 100, p99_write = 50, bytes_per_write = 116;
};

inline elmo_rt_snapshot Snap(double t, const Load& l) {
  elmo_rt_snapshot s = {};
  s.time_sec = t;
  s.interval_sec = 90;
  s.ops_per_sec = l.ops_per_sec;
  s.ops = l.ops_per_sec * 90;
  s.read_frac = l.read;
  s.write_frac = l.write;
  s.scan_frac = l.scan;
  s.gets_per_sec = l.ops_per_sec * l.read;
  s.writes_per_sec = l.ops_per_sec * l.write;
  s.seeks_per_sec = l.ops_per_sec * l.scan;
  s.write_bytes_per_op = l.write > 0 ? l.bytes_per_write : 0;
  s.stall_frac = l.stall;
  s.p99_get_us = l.p99_get;
  s.p99_write_us = l.p99_write;
  s.cache_hit_rate = 0.9;
  s.cpu_cores = 1;
  s.num_keys = 1e6;
  return s;
}

inline std::string Str(const cJSON* o, const char* k) {
  const cJSON* v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(v) ? v->valuestring : "<missing>";
}

// Every decision's journal line must be one line of JSON with the common fields.
inline void CheckJournal(const elmo_rt_decision& d) {
  char* line = elmo_rt_journal_line(&d);
  ASSERT_NE(line, nullptr);
  std::string s = line;
  elmo_free(line);
  EXPECT_EQ(s.find('\n'), std::string::npos) << s;
  cJSON* j = cJSON_Parse(s.c_str());
  ASSERT_NE(j, nullptr) << s;
  EXPECT_EQ(Str(j, "event"), elmo_rt_event_name(d.event)) << s;
  EXPECT_EQ(Str(j, "from"), elmo_rt_state_name(d.from)) << s;
  EXPECT_EQ(Str(j, "to"), elmo_rt_state_name(d.to)) << s;
  EXPECT_EQ(Str(j, "action"), elmo_rt_action_name(d.action)) << s;
  EXPECT_TRUE(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(j, "ts"))) << s;
  EXPECT_NE(Str(j, "time"), "<missing>") << s;
  EXPECT_NE(Str(j, "reason"), "") << s;
  if (d.n_calls > 0) {
    EXPECT_TRUE(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(j, "calls"))) << s;
  }
  if (d.n_items > 0) {
    EXPECT_TRUE(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(j, "items"))) << s;
  }
  cJSON_Delete(j);
  char* log = elmo_rt_log_line(&d);
  ASSERT_NE(log, nullptr);
  EXPECT_EQ(std::string(log).rfind("[elmo] ", 0), 0u) << log;
  elmo_free(log);
}

// A tuner judging changes on the intervals after them (elmo_switchback_pairs=0) with 4 changes an
// hour, as these tests were written for; config's keys come after, so a test may set others
// (realtime_switchback_test.cc turns switchback on).
class Tuner {
 public:
  explicit Tuner(const std::string& config = "", elmo_rt_host host = {8, 8e9, 0}) {
    elmo_rt_config cfg;
    elmo_rt_config_defaults(&cfg);
    elmo_error err;
    const std::string all = "elmo_switchback_pairs=0; elmo_max_changes_per_hour=4; " + config;
    EXPECT_EQ(elmo_rt_config_parse(&cfg, all.c_str(), &err), ELMO_OK) << err.message;
    EXPECT_EQ(elmo_rt_create(&cfg, &host, kOptions.data(), kOptions.size(), &rt_, &err), ELMO_OK)
        << err.message;
  }
  ~Tuner() { elmo_rt_destroy(rt_); }
  Tuner(const Tuner&) = delete;
  Tuner& operator=(const Tuner&) = delete;

  elmo_rt_decision Step(double t, const Load& l) {
    elmo_rt_snapshot s = Snap(t, l);
    elmo_rt_decision d;
    elmo_error err;
    EXPECT_EQ(elmo_rt_step(rt_, &s, &d, &err), ELMO_OK) << err.message;
    CheckJournal(d);
    return d;
  }

  elmo_rt_decision Propose(const std::vector<elmo_rt_pair>& pairs, const char* source = "test") {
    elmo_rt_decision d;
    elmo_error err;
    EXPECT_EQ(elmo_rt_propose(rt_, pairs.data(), pairs.size(), source, &d, &err), ELMO_OK) << err.message;
    CheckJournal(d);
    return d;
  }

  elmo_rt_decision Applied(const std::vector<int>& ok, const char* message = "Invalid argument: test") {
    std::vector<const char*> msgs(ok.size(), message);
    elmo_rt_decision d;
    elmo_error err;
    EXPECT_EQ(elmo_rt_applied(rt_, ok.data(), msgs.data(), ok.size(), &d, &err), ELMO_OK) << err.message;
    CheckJournal(d);
    return d;
  }

  // Fills the baseline with `n` snapshots of l, then shifts to `to`; returns the time used.
  double ShiftTo(double t, const Load& from, const Load& to, int n = 5) {
    for (int i = 0; i < n; i++) Step(t += 90, from);
    elmo_rt_decision d = Step(t += 90, to);
    EXPECT_EQ(d.event, ELMO_RT_EV_SHIFT) << d.reason;
    EXPECT_EQ(d.action, ELMO_RT_ACT_ASK) << d.reason;
    return t;
  }

  elmo_rt* rt() { return rt_; }
  elmo_rt_state state() const { return elmo_rt_get_state(rt_); }

 private:
  elmo_rt* rt_ = nullptr;
};

const Load kWrites = {10000, 0, 1, 0};
const Load kHalf = {10000, 0.5, 0.5, 0};
const Load kReads = {10000, 0.9, 0.1, 0};

// The usual start of a watch: a shift from all writes to half reads, then change #1
// (write_buffer_size 64 -> 96 MiB) proposed and applied. Returns the time of the shift; the
// Applied call's decision goes to *applied when given.
inline double WatchChangeOne(Tuner& tuner, elmo_rt_decision* applied = nullptr) {
  double t = tuner.ShiftTo(kT0, kWrites, kHalf);
  tuner.Propose({{"write_buffer_size", "100663296"}});
  elmo_rt_decision d = tuner.Applied({1});
  if (applied != nullptr) *applied = d;
  return t;
}

}  // namespace elmo_rt_test

#endif  // ELMO_TESTS_CORE_REALTIME_TEST_UTIL_H
