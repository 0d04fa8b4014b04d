// spec_bench_test.cc — db_bench --benchmarks=elmospec (tools/elmo_spec_bench.cc) with the real
// db_bench: a two-phase spec traced with --trace_file and read back with the trace reader (mix per
// phase window, the fixed rate, key layout, value sizes), every operation kind, a phase of thread
// groups (each group's own mix and rate), db_bench's result line / histograms / report file as the
// tuner parses them, bad specs, elmotune on a spec, and a "latest" spec whose trace the model
// recognizes as latest again.
#include <cjson/cJSON.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "elmo/model.h"
#include "elmo/spec.h"
#include "elmo/trace.h"
#include "elmo/trial.h"
#include "elmo/workload.h"
#include "run_command.h"
#include "file_text.h"

namespace fs = std::filesystem;

namespace {

using elmo_test::ReadFile;

const std::string kDbBench = std::string(ELMO_OUT) + "/bin/db_bench";
constexpr uint64_t kKeys = 10000;

using Result = elmo_test::CommandResult;

// Runs db_bench with args (stdout and stderr together).
Result DbBench(const std::string& args) { return elmo_test::RunCommand(kDbBench + " " + args); }

elmo_dist Fixed(double v) { return elmo_dist{ELMO_DIST_FIXED, {v, 0, 0, 0}, 0}; }
elmo_dist Uniform(double lo, double hi) { return elmo_dist{ELMO_DIST_UNIFORM, {lo, hi, 0, 0}, 0}; }

// A phase like elmo_spec_create's "main" phase, named name, with the given mix.
elmo_spec_phase Phase(const elmo_spec& base, const char* name, double start, double seconds,
                      int threads, std::vector<std::pair<elmo_spec_op, double>> mix) {
  elmo_spec_phase p = base.phases[0];
  std::snprintf(p.name, sizeof p.name, "%s", name);
  p.start_sec = start;
  p.duration_sec = seconds;
  p.threads = threads;
  for (double& f : p.mix) f = 0;
  for (const auto& m : mix) p.mix[m.first] = m.second;
  p.key_access = Uniform(0, static_cast<double>(base.num_keys));
  return p;
}

// The spec of the main test: 2 s of puts by 2 threads at 2000 qps (values uniform 100..300
// bytes), then 2 s of 50/50 gets and puts by 1 thread, unlimited (values fixed 64 bytes).
elmo_spec* TwoPhaseSpec() {
  elmo_spec* s = elmo_spec_create(kKeys);
  std::snprintf(s->name, sizeof s->name, "two-phase");
  elmo_spec_phase fill = Phase(*s, "fill", 0, 2, 2, {{ELMO_SPEC_PUT, 1}});
  fill.value_size = Uniform(100, 300);
  fill.rate.kind = ELMO_RATE_FIXED;
  fill.rate.qps = 2000;
  elmo_spec_phase mixed = Phase(*s, "mixed", 2, 2, 1, {{ELMO_SPEC_GET, 0.5}, {ELMO_SPEC_PUT, 0.5}});
  mixed.value_size = Fixed(64);
  s->phases[0] = fill;
  EXPECT_EQ(elmo_spec_add_phase(s, &mixed, nullptr), ELMO_OK);
  return s;
}

class SpecBench : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("LD_LIBRARY_PATH", ELMO_OUT "/lib", 1);  // db_bench has no RUNPATH
    dir_ = std::string(ELMO_TEST_WORK) + "/spec-bench-" + std::to_string(getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }

  // A tiny elmotune run (one round, 2 s trials, one confirmation pair) on workload (a spec file
  // or a trace flag), writing to out, its trials under db.
  Result TinyElmotune(const std::string& workload, const std::string& out, const std::string& db) {
    return DbBench("--benchmarks=elmotune " + workload + " --elmo_iterations=1" +
                   " --elmo_trial_sec=2 --elmo_warmup_sec=1 --elmo_confirm=1 --elmo_confirm_max=1" +
                   " --elmo_cpus=2 --elmo_memory=512MiB --elmo_quiet=1 --elmo_output_dir=" + out +
                   " --db=" + db);
  }

  std::string Save(elmo_spec* s, const std::string& name) {
    std::string path = dir_ + "/" + name;
    elmo_error err{};
    EXPECT_EQ(elmo_spec_save(s, path.c_str(), &err), ELMO_OK) << err.message;
    elmo_spec_destroy(s);
    return path;
  }

  std::string dir_;
};

// Per-phase tallies of a trace: ops by kind, put value sizes, keys.
struct Window {
  uint64_t ops = 0, counts[ELMO_TRACE_KIND_COUNT] = {};
  uint64_t value_min = UINT64_MAX, value_max = 0, value_sum = 0, values = 0;
};

struct TraceCheck {
  Window phase[2];
  uint64_t bad_keys = 0;  // not 16 bytes, index out of range or non-zero padding
  // Each op's phase told by its shape, not its time: phase 1 writes 100..300-byte values, phase 2
  // gets and writes 64-byte values. The first and last time (s after the first op) of each.
  uint64_t fill_shaped = 0, mixed_shaped = 0;
  double fill_last_sec = 0, mixed_first_sec = -1;
};

// Ops within this many seconds of the phase boundary are left out of the windows: each client
// thread starts its own clock, and an op begun just before a phase ends is traced just after.
constexpr double kGuardSec = 0.25;

TraceCheck ReadTrace(const std::string& path, double boundary_sec) {
  TraceCheck t;
  elmo_trace_reader* r = nullptr;
  elmo_error err{};
  EXPECT_EQ(elmo_trace_reader_open(path.c_str(), nullptr, &r, &err), ELMO_OK) << err.message;
  uint64_t first = 0;
  for (elmo_trace_op op{}; r != nullptr;) {
    EXPECT_EQ(elmo_trace_reader_next(r, &op, &err), ELMO_OK) << err.message;
    if (op.kind == ELMO_TRACE_END) break;
    if (first == 0) first = op.timestamp_us;
    const double at = (op.timestamp_us - first) / 1e6;
    if (op.kind == ELMO_TRACE_PUT && op.value_len != 64) {
      t.fill_shaped++;
      t.fill_last_sec = std::max(t.fill_last_sec, at);
    } else {
      t.mixed_shaped++;
      if (t.mixed_first_sec < 0) t.mixed_first_sec = at;
    }
    if (std::abs(at - boundary_sec) >= kGuardSec) {
      Window& w = t.phase[at < boundary_sec ? 0 : 1];
      w.ops++;
      w.counts[op.kind]++;
      if (op.kind == ELMO_TRACE_PUT) {
        w.value_min = std::min<uint64_t>(w.value_min, op.value_len);
        w.value_max = std::max<uint64_t>(w.value_max, op.value_len);
        w.value_sum += op.value_len;
        w.values++;
      }
    }
    uint64_t index = 0;
    bool ok = op.key_len == 16;
    for (size_t i = 0; ok && i < 16; i++) {
      const auto b = static_cast<unsigned char>(op.key[i]);
      if (i < 8) index = index << 8 | b;
      if (i >= 8 && b != 0) ok = false;
    }
    if (!ok || index >= kKeys) t.bad_keys++;
  }
  elmo_trace_reader_destroy(r);
  return t;
}

TEST_F(SpecBench, TwoPhasesFollowTheSpecInTheTrace) {
  std::string spec = Save(TwoPhaseSpec(), "two-phase.json");
  std::string trace = dir_ + "/trace", report = dir_ + "/report.csv";
  Result r = DbBench("--benchmarks=elmospec --elmo_spec=" + spec + " --db=" + dir_ + "/db" +
                     " --trace_file=" + trace + " --histogram=1 --statistics=1 --seed=42" +
                     " --report_interval_seconds=1 --report_file=" + report);
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("elmospec: load step wrote 10000 keys"), std::string::npos) << r.out;

  // db_bench's own output, read as the tuner reads it.
  elmo_trial_metrics m{};
  elmo_error err{};
  ASSERT_EQ(elmo_dbbench_parse(r.out.c_str(), "elmospec", &m, &err), ELMO_OK) << err.message;
  EXPECT_GT(m.ops_per_sec, 0);
  EXPECT_GT(m.write_p99_us, 0) << "no write histogram";
  EXPECT_GT(m.read_p99_us, 0) << "no read histogram";
  ASSERT_EQ(elmo_dbbench_parse_report(ReadFile(report).c_str(), &m, &err), ELMO_OK) << err.message;
  EXPECT_GE(m.n_interval, 2u);
  free(m.interval_ops);

  // The trace: only the phases (the load step runs before tracing starts). Windows leave out
  // the ops near the 2.0 s boundary; the phases' order and the rate are checked on every op.
  TraceCheck t = ReadTrace(trace, 2.0);
  const Window& fill = t.phase[0];
  const Window& mixed = t.phase[1];
  EXPECT_EQ(t.bad_keys, 0u);
  EXPECT_LT(t.fill_last_sec, 2.0 + kGuardSec) << "a phase-1 write long after phase 1 ended";
  EXPECT_GT(t.mixed_first_sec, 2.0 - kGuardSec) << "a phase-2 op long before phase 2 began";
  EXPECT_EQ(fill.counts[ELMO_TRACE_PUT], fill.ops) << "phase 1 is 100% puts";
  EXPECT_NEAR(t.fill_shaped / 2.0, 2000, 2000 * 0.15) << "fixed 2000 qps over 2 s";
  EXPECT_GE(fill.value_min, 100u);
  EXPECT_LE(fill.value_max, 300u);
  ASSERT_GT(fill.values, 0u);
  EXPECT_NEAR(static_cast<double>(fill.value_sum) / fill.values, 200, 10);
  ASSERT_GT(mixed.ops, 1000u);
  EXPECT_NEAR(static_cast<double>(mixed.counts[ELMO_TRACE_GET]) / mixed.ops, 0.5, 0.05);
  EXPECT_NEAR(static_cast<double>(mixed.counts[ELMO_TRACE_PUT]) / mixed.ops, 0.5, 0.05);
  EXPECT_EQ(mixed.value_min, 64u);
  EXPECT_EQ(mixed.value_max, 64u);

  // The characterizer agrees on key sizes and the key range.
  elmo_trace_summary* sum = nullptr;
  ASSERT_EQ(elmo_trace_characterize(trace.c_str(), nullptr, nullptr, &sum, &err), ELMO_OK)
      << err.message;
  EXPECT_EQ(sum->ops, t.fill_shaped + t.mixed_shaped);
  EXPECT_EQ(sum->key_size.min, 16u);
  EXPECT_EQ(sum->key_size.max, 16u);
  EXPECT_LT(sum->classes[ELMO_TRACE_CLASS_ALL].key_prefix_max, kKeys);
  elmo_trace_summary_destroy(sum);
}

// The count of db_bench's "Microseconds per <op>:" histogram (--histogram=1); -1 when absent.
int64_t HistogramCount(const std::string& out, const std::string& op) {
  const std::string head = "Microseconds per " + op + ":\nCount: ";
  const size_t at = out.find(head);
  return at == std::string::npos ? -1 : std::strtoll(out.c_str() + at + head.size(), nullptr, 10);
}

// A phase of thread groups: one writer at a steady 200 puts/s beside two readers that get as fast
// as they can, for 2 s. db_bench's histograms count each kind: the puts follow the writer's own
// rate (not the phase's, which is unlimited), and the unpaced readers do far more.
TEST_F(SpecBench, ThreadGroupsRunTheirOwnMixAndRate) {
  elmo_spec* s = elmo_spec_create(kKeys);
  std::snprintf(s->name, sizeof s->name, "groups");
  s->phases[0].duration_sec = 2;
  elmo_spec_group groups[2] = {};
  std::snprintf(groups[0].name, sizeof groups[0].name, "writer");
  groups[0].threads = 1;
  groups[0].mix[ELMO_SPEC_PUT] = 1;
  groups[0].rate.kind = ELMO_RATE_FIXED;
  groups[0].rate.qps = 200;
  std::snprintf(groups[1].name, sizeof groups[1].name, "readers");
  groups[1].threads = 2;
  groups[1].mix[ELMO_SPEC_GET] = 1;
  elmo_error err{};
  ASSERT_EQ(elmo_spec_phase_set_groups(&s->phases[0], groups, 2, &err), ELMO_OK) << err.message;
  std::string spec = Save(s, "groups.json");
  Result r = DbBench("--benchmarks=elmospec --elmo_spec=" + spec + " --db=" + dir_ + "/db" +
                     " --histogram=1 --seed=3");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("keys, 3 threads"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("elmospec: phase 'main': writer 1 thread, readers 2 threads\n"),
            std::string::npos)
      << r.out;
  const int64_t puts = HistogramCount(r.out, "write"), gets = HistogramCount(r.out, "read");
  EXPECT_GE(puts, 200) << "200 puts/s for 2 s, at least half of them\n" << r.out;
  EXPECT_LE(puts, 600) << "200 puts/s for 2 s, at most 1.5 times\n" << r.out;
  EXPECT_GT(gets, 10 * puts) << "the readers are not paced\n" << r.out;
}

// The runner draws clamped sizes and popularity classes as the spec says: a floored, capped
// gpareto (mixgraph's value sizes) and a classes key access, checked in the run's trace.
// YCSB-D as a spec: 90% reads back from the newest key (latest 0.99), 10% inserts of new keys.
// db_bench starts its trace after the load step, so reads that reach back past the keys inserted
// during the run are reads of keys the trace never inserted; the rest carry the recency ranks,
// and the model must find latest with the spec's theta in them.
TEST_F(SpecBench, LatestSpecComesBackAsLatest) {
  elmo_spec* s = elmo_spec_create(20000);
  std::snprintf(s->name, sizeof s->name, "latest");
  elmo_spec_phase p = Phase(*s, "ycsb-d", 0, 4, 1, {{ELMO_SPEC_GET, 0.9}, {ELMO_SPEC_PUT, 0.1}});
  p.key_access = elmo_dist{ELMO_DIST_LATEST, {0.99, 0, 0, 0}, 20000};
  p.value_size = Fixed(100);
  p.rate.kind = ELMO_RATE_FIXED;
  p.rate.qps = 10000;
  s->phases[0] = p;
  std::string spec = Save(s, "latest.json"), trace = dir_ + "/trace";
  Result r = DbBench("--benchmarks=elmospec --elmo_spec=" + spec + " --db=" + dir_ + "/db" +
                     " --trace_file=" + trace + " --seed=5");
  ASSERT_EQ(r.status, 0) << r.out;
  elmo_model_options o;
  elmo_model_options_init(&o);
  o.window_sec = 1;
  elmo_spec* out = nullptr;
  elmo_model_report* rep = nullptr;
  elmo_error err{};
  ASSERT_EQ(elmo_model_from_trace(trace.c_str(), &o, &out, &rep, &err), ELMO_OK) << err.message;
  char* text = elmo_model_report_to_text(rep);
  std::string report = text ? text : "";
  elmo_free(text);
  const elmo_model_recency_report& rr = rep->recency;
  // 10% of the ops insert new keys, in index order (~4000 at full speed; a slowed run makes
  // fewer ops, not a different mix).
  ASSERT_GT(rep->ops, 0u) << report;
  EXPECT_NEAR(static_cast<double>(rr.inserts) / static_cast<double>(rep->ops), 0.1, 0.03) << report;
  EXPECT_GT(rr.share_inserted, ELMO_MODEL_LATEST_MIN_SHARE) << report;
  EXPECT_TRUE(rr.chosen) << report;
  const elmo_dist& ka = rep->fits[ELMO_MODEL_KEY_ACCESS].dist;
  EXPECT_EQ(ka.kind, ELMO_DIST_LATEST) << report;
  EXPECT_NEAR(ka.params[0], 0.99, 0.05) << report;
  ASSERT_NE(out, nullptr);
  for (size_t i = 0; i < out->n_phases; i++) {
    if (out->phases[i].mix[ELMO_SPEC_GET] > 0) {
      EXPECT_EQ(out->phases[i].key_access.kind, ELMO_DIST_LATEST) << report;
    }
  }
  elmo_spec_destroy(out);
  elmo_model_report_destroy(rep);
}

TEST_F(SpecBench, ClampedValuesAndClassesInTheTrace) {
  elmo_spec* s = elmo_spec_create(kKeys);
  elmo_spec_phase& p = s->phases[0];
  p.duration_sec = 2;
  for (double& f : p.mix) f = 0;
  p.mix[ELMO_SPEC_PUT] = 1;
  p.value_size = elmo_dist{ELMO_DIST_GPARETO, {0, 25.45, 0.2615, 0}, 0};
  p.value_size.clamp = ELMO_DIST_CLAMP_MIN | ELMO_DIST_CLAMP_MAX;
  p.value_size.clamp_min = 10, p.value_size.clamp_max = 200;
  p.key_access = elmo_dist{ELMO_DIST_CLASSES, {0, 0, 0, 0}, kKeys};
  p.key_access.n_classes = 2;
  p.key_access.class_keys[0] = 0.01, p.key_access.class_keys[1] = 0.99;
  p.key_access.class_shares[0] = 0.5, p.key_access.class_shares[1] = 0.5;
  s->preload = 0;
  std::string spec = Save(s, "clamped.json");
  std::string trace = dir_ + "/trace";
  Result r = DbBench("--benchmarks=elmospec --elmo_spec=" + spec + " --db=" + dir_ + "/db" +
                     " --trace_file=" + trace + " --seed=7");
  ASSERT_EQ(r.status, 0) << r.out;
  elmo_trace_reader* tr = nullptr;
  elmo_error err{};
  ASSERT_EQ(elmo_trace_reader_open(trace.c_str(), nullptr, &tr, &err), ELMO_OK) << err.message;
  std::vector<uint64_t> per_key(kKeys);
  uint64_t puts = 0, at_floor = 0, at_cap = 0, below = 0, above = 0;
  for (elmo_trace_op op{};;) {
    ASSERT_EQ(elmo_trace_reader_next(tr, &op, &err), ELMO_OK) << err.message;
    if (op.kind == ELMO_TRACE_END) break;
    if (op.kind != ELMO_TRACE_PUT) continue;
    puts++;
    at_floor += op.value_len == 10, at_cap += op.value_len == 200;
    below += op.value_len < 10, above += op.value_len > 200;
    uint64_t index = 0;
    for (size_t i = 0; i < 8 && i < op.key_len; i++) index = index << 8 | uint8_t(op.key[i]);
    if (index < kKeys) per_key[index]++;
  }
  elmo_trace_reader_destroy(tr);
  ASSERT_GT(puts, 5000u);
  EXPECT_EQ(below, 0u);
  EXPECT_EQ(above, 0u);
  // draws below 10.5 round to the floor: F(10.5) of the gpareto; above 199.5, the cap
  EXPECT_NEAR(double(at_floor) / puts, 0.324, 0.02);
  EXPECT_NEAR(double(at_cap) / puts, 0.014, 0.004);  // 1 - F(199.5)
  EXPECT_GT(at_cap, 0u);
  // classes: the 100 hottest keys (1% of the ranks, scrambled) take half of the writes
  std::sort(per_key.begin(), per_key.end(), std::greater<uint64_t>());
  uint64_t top = 0;
  for (size_t i = 0; i < 100; i++) top += per_key[i];
  EXPECT_NEAR(double(top) / puts, 0.5, 0.03);
}

TEST_F(SpecBench, EveryOperationKindRuns) {
  elmo_spec* s = elmo_spec_create(kKeys);
  elmo_spec_phase p = Phase(*s, "all", 0, 1.5, 2,
                            {{ELMO_SPEC_GET, 0.2}, {ELMO_SPEC_PUT, 0.2}, {ELMO_SPEC_DELETE, 0.1},
                             {ELMO_SPEC_SEEK, 0.2}, {ELMO_SPEC_MERGE, 0.1}, {ELMO_SPEC_MULTIGET, 0.2}});
  p.key_access = elmo_dist{ELMO_DIST_ZIPFIAN, {0.99, 0, 0, 0}, kKeys};
  p.scan_length = Fixed(10);
  p.multiget_size = 4;
  s->phases[0] = p;
  std::string spec = Save(s, "all.json");
  std::string trace = dir_ + "/trace";
  std::string args = "--benchmarks=elmospec --elmo_spec=" + spec + " --db=" + dir_ + "/db" +
                     " --histogram=1 --trace_file=" + trace;
  Result r = DbBench(args);
  EXPECT_NE(r.status, 0) << "merges need a merge operator";
  EXPECT_NE(r.out.find("phases[0].mix.merge"), std::string::npos) << r.out;

  r = DbBench(args + " --merge_operator=stringappend");
  ASSERT_EQ(r.status, 0) << r.out;
  for (const char* h : {"Microseconds per read", "Microseconds per write",
                        "Microseconds per delete", "Microseconds per seek",
                        "Microseconds per merge"}) {
    EXPECT_NE(r.out.find(h), std::string::npos) << h << "\n" << r.out;
  }
  elmo_trace_summary* sum = nullptr;
  elmo_error err{};
  ASSERT_EQ(elmo_trace_characterize(trace.c_str(), nullptr, nullptr, &sum, &err), ELMO_OK)
      << err.message;
  for (elmo_trace_kind k : {ELMO_TRACE_GET, ELMO_TRACE_PUT, ELMO_TRACE_DELETE, ELMO_TRACE_SEEK,
                            ELMO_TRACE_MERGE, ELMO_TRACE_MULTIGET}) {
    EXPECT_GT(sum->counts[k], 0u) << elmo_trace_kind_name(k);
  }
  // A multiget is one operation of the mix and 4 keys in the trace.
  double calls = sum->counts[ELMO_TRACE_MULTIGET] / 4.0;
  double ops = sum->ops - sum->counts[ELMO_TRACE_MULTIGET] + calls;
  EXPECT_NEAR(calls / ops, 0.2, 0.05);
  EXPECT_NEAR(sum->counts[ELMO_TRACE_SEEK] / ops, 0.2, 0.05);
  elmo_trace_summary_destroy(sum);
}

// phases[1].mix of the two-phase spec, edited to sum to 1.4.
std::string BadMixJson() {
  elmo_spec* s = TwoPhaseSpec();
  char* text = elmo_spec_to_json(s);
  elmo_spec_destroy(s);
  cJSON* root = cJSON_Parse(text);
  elmo_free(text);
  cJSON* mix = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(root, "phases"), 1), "mix");
  EXPECT_NE(mix, nullptr);
  cJSON_SetNumberValue(cJSON_GetObjectItem(mix, "get"), 0.9);
  char* out = cJSON_Print(root);
  std::string json = out;
  cJSON_free(out);
  cJSON_Delete(root);
  return json;
}

TEST_F(SpecBench, BadSpecFailsNamingTheField) {
  std::string bad = dir_ + "/bad.json";
  std::ofstream(bad) << BadMixJson();
  Result r = DbBench("--benchmarks=elmospec --elmo_spec=" + bad + " --db=" + dir_ + "/db");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.out.find("phases[1].mix"), std::string::npos) << r.out;
  r = DbBench("--benchmarks=elmospec --db=" + dir_ + "/db");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.out.find("--elmo_spec"), std::string::npos) << r.out;

  // The tuner stops before any trial, with the same message.
  std::string out = dir_ + "/tune";
  fs::create_directories(dir_ + "/tdb");  // the tuner makes only DB/elmotune
  r = DbBench("--benchmarks=elmotune --elmo_workload=" + bad + " --elmo_output_dir=" + out +
              " --db=" + dir_ + "/tdb --elmo_quiet=1");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.out.find("phases[1].mix"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(out + "/trial-000.ini"));
}

TEST_F(SpecBench, WorkloadFromSpecRunsTheSpecAndItsLoadStep) {
  elmo_spec* s = TwoPhaseSpec();
  elmo_workload w;
  elmo_error err{};
  ASSERT_EQ(elmo_workload_from_spec(s, "/abs/two-phase.json", 3, &w, &err), ELMO_OK) << err.message;
  elmo_spec_destroy(s);
  auto has = [](char* const* args, const std::string& a) {
    for (size_t i = 0; args[i] != nullptr; i++) {
      if (a == args[i]) return true;
    }
    return false;
  };
  EXPECT_TRUE(has(w.run_args, "--benchmarks=elmospec"));
  EXPECT_TRUE(has(w.run_args, "--elmo_spec=/abs/two-phase.json"));
  EXPECT_TRUE(has(w.run_args, "--duration=3"));
  EXPECT_TRUE(has(w.preload_args, "--elmo_spec_load_only=1"));
  EXPECT_STREQ(w.bench, "elmospec");
  EXPECT_NEAR(w.facts.write_fraction, 0.75, 1e-9);  // 2 s of 100% + 2 s of 50%
  EXPECT_NEAR(w.facts.read_fraction, 0.25, 1e-9);
  EXPECT_EQ(w.facts.key_bytes, 16);
  EXPECT_EQ(w.facts.value_bytes, 100);  // the preload's values
  EXPECT_EQ(w.facts.num_keys, kKeys);
  EXPECT_EQ(w.facts.threads, 2);
  EXPECT_EQ(w.facts.skewed, 0);
  EXPECT_EQ(w.facts.preload, 1);
  EXPECT_NE(std::string(w.description).find("workload spec two-phase"), std::string::npos)
      << w.description;
  elmo_workload_clear(&w);
}

TEST_F(SpecBench, ElmotuneTunesASpec) {
  elmo_spec* s = elmo_spec_create(20000);
  std::snprintf(s->name, sizeof s->name, "tune-me");
  elmo_spec_phase p = Phase(*s, "main", 0, 60, 1, {{ELMO_SPEC_GET, 0.9}, {ELMO_SPEC_PUT, 0.1}});
  p.key_access = elmo_dist{ELMO_DIST_ZIPFIAN, {0.99, 0, 0, 0}, 20000};
  s->phases[0] = p;
  std::string spec = Save(s, "tune.json");
  std::string out = dir_ + "/tune";
  Result r = TinyElmotune("--elmo_workload=" + spec, out, dir_ + "/db");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_TRUE(fs::exists(out + "/best.ini")) << r.out;
  std::string trial = ReadFile(dir_ + "/db/elmotune/base/stdout.txt");
  EXPECT_NE(trial.find("load step only"), std::string::npos) << trial;
}

// A workload that merges runs its trials with a stand-in merge operator (the application's own
// is code only it has): named in the report and history, in every trial's file, never in
// best.ini, where a program loading it would lose its own.
TEST_F(SpecBench, AMergingWorkloadIsTunedWithAStandIn) {
  elmo_spec* s = elmo_spec_create(5000);
  std::snprintf(s->name, sizeof s->name, "merges");
  s->phases[0] = Phase(*s, "main", 0, 60, 1, {{ELMO_SPEC_GET, 0.5}, {ELMO_SPEC_MERGE, 0.5}});
  std::string spec = Save(s, "merges.json");
  std::string out = dir_ + "/tune";
  Result r = TinyElmotune("--elmo_workload=" + spec, out, dir_ + "/db");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(ReadFile(out + "/report.md").find("every trial used the stand-in `put`"), std::string::npos);
  const std::string history = ReadFile(out + "/history.json");
  const size_t at = history.find("\"merge_standin\":");
  ASSERT_NE(at, std::string::npos) << history;
  EXPECT_EQ(history.find("\"put\"", at), history.find_first_of('"', at + 16)) << history;
  EXPECT_NE(ReadFile(out + "/trial-000.ini").find("  merge_operator=put\n"), std::string::npos);
  EXPECT_EQ(ReadFile(out + "/best.ini").find("merge_operator=put"), std::string::npos);

  // A stand-in RocksDB does not know is refused before any trial, naming it.
  Result bad = DbBench("--benchmarks=elmotune --elmo_workload=" + spec + " --merge_operator=nosuchop" +
                       " --elmo_output_dir=" + dir_ + "/bad --db=" + dir_ + "/bad-db");
  EXPECT_NE(bad.status, 0);
  EXPECT_NE(bad.out.find("--merge_operator=nosuchop: not a merge operator RocksDB knows"), std::string::npos)
      << bad.out;
  EXPECT_FALSE(fs::exists(dir_ + "/bad/trial-000.ini"));
}

// The full cycle: a trace of an application (here a traced spec run) is characterized, modeled
// as a spec (workload.json, model.md in the output directory) and tuned against.
TEST_F(SpecBench, ElmotuneFullCycleFromATrace) {
  std::string trace = dir_ + "/app.trace";
  Result run = DbBench("--benchmarks=elmospec --elmo_spec=" + Save(TwoPhaseSpec(), "app.json") +
                       " --db=" + dir_ + "/appdb --trace_file=" + trace);
  ASSERT_EQ(run.status, 0) << run.out;
  // Neither the output directory nor the --db directory exists yet: elmotune makes both.
  std::string out = dir_ + "/runs/cycle";
  Result r = TinyElmotune("--elmo_trace=" + trace, out, dir_ + "/new/db");
  ASSERT_EQ(r.status, 0) << r.out;
  elmo_spec* modeled = nullptr;
  elmo_error err{};
  ASSERT_EQ(elmo_spec_load((out + "/workload.json").c_str(), &modeled, &err), ELMO_OK) << err.message;
  EXPECT_LE(modeled->num_keys, kKeys);
  EXPECT_GT(modeled->num_keys, kKeys / 2);
  EXPECT_EQ(modeled->key_size.kind, ELMO_DIST_FIXED);
  EXPECT_EQ(modeled->key_size.params[0], 16);
  elmo_spec_destroy(modeled);
  EXPECT_NE(ReadFile(out + "/model.md").find("== model"), std::string::npos);
  EXPECT_TRUE(fs::exists(out + "/best.ini")) << r.out;
  EXPECT_NE(ReadFile(out + "/report.md").find("workload.json"), std::string::npos);

  // A trace that is not one is refused before any trial, naming the file.
  std::ofstream(dir_ + "/junk.trace") << "not a trace at all";
  Result bad = DbBench("--benchmarks=elmotune --elmo_trace=" + dir_ + "/junk.trace --elmo_output_dir=" +
                       dir_ + "/bad --db=" + dir_ + "/db");
  EXPECT_NE(bad.status, 0);
  EXPECT_NE(bad.out.find("junk.trace"), std::string::npos) << bad.out;
  EXPECT_FALSE(fs::exists(dir_ + "/bad/trial-000.ini"));
}

}  // namespace
