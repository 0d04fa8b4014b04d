// debian_programs_test.cc — Debian's own, unmodified db_bench and ldb (rocksdb-tools 7.8.3-2:
// they set every option in code from their flags) on ELMo's library through LD_LIBRARY_PATH,
// driven by ELMO_OPTIONS alone: traced (and the trace models their workload), given a tuned file
// (the DB's OPTIONS file and LOG show it), tuned in real time; and DBs going back and forth
// between ELMo's library and Debian's.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "elmo/model.h"
#include "elmo/trace.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/utilities/options_util.h"
#include "run_command.h"
#include "file_text.h"

namespace {

using elmo_test::ReadFile;

namespace fs = std::filesystem;
namespace r = rocksdb;

const std::string kDebianBin = std::string(ELMO_DEBIAN_ROOT) + "/usr/bin/";
const std::string kDebianLib = std::string(ELMO_DEBIAN_ROOT) + "/usr/lib/x86_64-linux-gnu";
const std::string kElmoLib = std::string(ELMO_OUT) + "/lib";

std::string LatestOptionsText(const std::string& db) {
  std::string name;
  r::Status s = r::GetLatestOptionsFileName(db, r::Env::Default(), &name);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return ReadFile(db + "/" + name);
}

// Runs a Debian program on the library in libdir, with ELMO_OPTIONS set to elmo_options.
elmo_test::CommandResult RunDebian(const std::string& libdir, const std::string& elmo_options,
                             const std::string& program_and_args) {
  std::string env = "env -u ELMO_CONFIG -u ELMO_OPTIONS LD_LIBRARY_PATH=" + libdir;
  if (!elmo_options.empty()) env += " ELMO_OPTIONS='" + elmo_options + "'";
  return elmo_test::RunCommand(env + " " + kDebianBin + program_and_args);
}

class DebianPrograms : public testing::Test {
 protected:
  void SetUp() override {
    const auto* info = testing::UnitTest::GetInstance()->current_test_info();
    work_ = std::string(ELMO_TEST_WORK) + "/debian-programs-" + info->name();
    fs::remove_all(work_);
    fs::create_directories(work_);
    db_ = work_ + "/db";
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(work_);
  }
  std::string work_, db_;
};

// A trace's side file (thread ids and scan lengths), beside it.
bool IsSideFile(const std::string& path) {
  const std::string suffix = ELMO_TRACE_SIDE_SUFFIX;
  return path.size() >= suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The largest trace in dir whose name starts with prefix ("" when none).
std::string LargestFile(const std::string& dir, const std::string& prefix) {
  std::string best;
  uintmax_t size = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (IsSideFile(name)) continue;
    if (name.rfind(prefix, 0) == 0 && e.file_size() >= size) best = e.path().string(), size = e.file_size();
  }
  return best;
}

TEST_F(DebianPrograms, DbBenchIsTracedAndTheTraceModelsItsWorkload) {
  auto run = RunDebian(kElmoLib, "elmo_trace=" + work_ + "/bench-%n-%p.trace",
                 "db_bench --benchmarks=fillrandom,readrandom --num=20000 --reads=10000"
                 " --value_size=200 --key_size=16 --threads=1 --compression_type=none --db=" + db_);
  ASSERT_EQ(run.status, 0) << run.out;
  // db_bench opens the DB once before its first benchmark and again for the fresh fill: two
  // traces, never one overwritten; the second holds the workload.
  const std::string trace = LargestFile(work_, "bench-db-");
  ASSERT_FALSE(trace.empty());
  elmo_trace_summary* sum = nullptr;
  elmo_error err{};
  ASSERT_EQ(elmo_trace_characterize(trace.c_str(), nullptr, nullptr, &sum, &err), ELMO_OK) << err.message;
  EXPECT_EQ(sum->counts[ELMO_TRACE_PUT], 20000u);
  EXPECT_EQ(sum->counts[ELMO_TRACE_GET], 10000u);
  EXPECT_NEAR(sum->fractions[ELMO_TRACE_GET], 1.0 / 3, 0.001);
  EXPECT_EQ(sum->value_size.min, 200u);
  EXPECT_EQ(sum->value_size.max, 200u);
  EXPECT_EQ(sum->key_size.min, 16u);
  elmo_trace_summary_destroy(sum);
  EXPECT_NE(ReadFile(db_ + "/LOG").find("[elmo] trace: recording to " + trace), std::string::npos);
}

TEST_F(DebianPrograms, DbBenchOpensWithTheTunedFile) {
  // The tuned file: a DB's own OPTIONS file with 32 MiB memtables and 16 KiB blocks.
  r::Options tuned;
  tuned.create_if_missing = true;
  tuned.write_buffer_size = 32 << 20;
  ASSERT_TRUE(r::GetOptionsFromString(tuned, "block_based_table_factory={block_size=16384}", &tuned).ok());
  r::DB* raw = nullptr;
  ASSERT_TRUE(r::DB::Open(tuned, work_ + "/src", &raw).ok());
  delete raw;
  const std::string best = work_ + "/best.ini";
  std::ofstream(best) << LatestOptionsText(work_ + "/src");

  auto run = RunDebian(kElmoLib, "elmo_tuned_options=" + best,
                 "db_bench --benchmarks=fillseq --num=2000 --db=" + db_);
  ASSERT_EQ(run.status, 0) << run.out;
  const std::string text = LatestOptionsText(db_);
  EXPECT_NE(text.find("  write_buffer_size=33554432\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  block_size=16384\n"), std::string::npos) << text;
  const std::string log = ReadFile(db_ + "/LOG");
  EXPECT_NE(log.find("[elmo] tuned: write_buffer_size (CFOptions \"default\"): 67108864 -> 33554432"),
            std::string::npos)
      << log;

  // Debian's ldb too (read-write open), and `elmo overlay` says the same without opening it.
  run = RunDebian(kElmoLib, "elmo_tuned_options=" + best, "ldb --db=" + db_ + " put k v");
  ASSERT_EQ(run.status, 0) << run.out;
  EXPECT_NE(LatestOptionsText(db_).find("  block_size=16384\n"), std::string::npos);
  auto overlay = elmo_test::RunCommand("env LD_LIBRARY_PATH=" + kElmoLib + " " + ELMO_OUT +
                                       "/bin/elmo overlay " + best + " --db " + db_);
  EXPECT_EQ(overlay.status, 0) << overlay.out;
  EXPECT_NE(overlay.out.find("differing values would be applied"), std::string::npos) << overlay.out;
}

TEST_F(DebianPrograms, DbBenchGetsTheRealtimeTuner) {
  auto run = RunDebian(kElmoLib, "elmo_autotune=true;elmo_interval_sec=1",
                 "db_bench --benchmarks=fillrandom --num=1000000 --duration=4 --db=" + db_);
  ASSERT_EQ(run.status, 0) << run.out;
  const std::string journal = ReadFile(db_ + "/elmo_journal.jsonl");
  EXPECT_NE(journal.find("\"start\""), std::string::npos) << journal;
  EXPECT_NE(journal.find("\"snapshot\""), std::string::npos) << journal;
  // The environment's keys are never written into the DB.
  EXPECT_EQ(LatestOptionsText(db_).find("elmo_"), std::string::npos);
  EXPECT_FALSE(fs::exists(db_ + "/ELMO-SETTINGS"));
}

// Debian's ldb, a short-lived program: each run is traced to its own file and gets the tuner.
TEST_F(DebianPrograms, LdbIsTracedAndGetsTheTuner) {
  const std::string env = "elmo_trace=" + work_ + "/ldb-%p.trace;elmo_autotune=true";
  auto run = RunDebian(kElmoLib, env, "ldb --db=" + db_ + " --create_if_missing put alpha one");
  ASSERT_EQ(run.status, 0) << run.out;
  run = RunDebian(kElmoLib, env, "ldb --db=" + db_ + " get alpha");
  ASSERT_EQ(run.status, 0) << run.out;
  EXPECT_NE(run.out.find("one"), std::string::npos) << run.out;
  size_t traces = 0, puts = 0, gets = 0;
  for (const auto& e : fs::directory_iterator(work_)) {
    if (e.path().filename().string().rfind("ldb-", 0) != 0 || IsSideFile(e.path().string())) continue;
    traces++;
    elmo_trace_summary* sum = nullptr;
    elmo_error err{};
    ASSERT_EQ(elmo_trace_characterize(e.path().c_str(), nullptr, nullptr, &sum, &err), ELMO_OK)
        << err.message;
    puts += sum->counts[ELMO_TRACE_PUT];
    gets += sum->counts[ELMO_TRACE_GET];
    elmo_trace_summary_destroy(sum);
  }
  EXPECT_EQ(traces, 2u);  // one per process (%p)
  EXPECT_EQ(puts, 1u);
  EXPECT_EQ(gets, 1u);
  EXPECT_NE(ReadFile(db_ + "/elmo_journal.jsonl").find("\"event\":"), std::string::npos);
}

// ELMo's library writes a DB whose options carried elmo_* keys; Debian's ldb (on Debian's library)
// loads its OPTIONS file. Debian's library then writes a newer OPTIONS file; ELMo's reads it.
TEST_F(DebianPrograms, DBsGoBackAndForthBetweenTheLibraries) {
  r::DBOptions db_opt;
  ASSERT_TRUE(r::GetDBOptionsFromString({}, r::DBOptions(), "create_if_missing=true;elmo_autotune=true;"
                                        "elmo_interval_sec=30", &db_opt).ok());
  r::DB* raw = nullptr;
  std::vector<r::ColumnFamilyHandle*> handles;
  ASSERT_TRUE(r::DB::Open(db_opt, db_, {r::ColumnFamilyDescriptor()}, &handles, &raw).ok());
  ASSERT_TRUE(raw->Put({}, "k", "v").ok());
  for (auto* h : handles) delete h;
  delete raw;
  ASSERT_TRUE(fs::exists(db_ + "/ELMO-SETTINGS"));

  auto run = RunDebian(kDebianLib, "", "ldb --db=" + db_ + " --try_load_options get k");
  ASSERT_EQ(run.status, 0) << run.out;
  EXPECT_NE(run.out.find("v"), std::string::npos) << run.out;
  run = RunDebian(kDebianLib, "", "ldb --db=" + db_ + " --try_load_options put k2 v2");
  ASSERT_EQ(run.status, 0) << run.out;

  // Back on ELMo's library: the newer OPTIONS file (Debian's) loads, without ELMo's settings.
  std::vector<r::ColumnFamilyDescriptor> cfs;
  ASSERT_TRUE(r::LoadLatestOptions(r::ConfigOptions(), db_, &db_opt, &cfs).ok());
  EXPECT_EQ(db_opt.listeners.size(), 0u);
  ASSERT_TRUE(r::DB::Open(db_opt, db_, cfs, &handles, &raw).ok());
  std::string v;
  ASSERT_TRUE(raw->Get({}, "k2", &v).ok());
  EXPECT_EQ(v, "v2");
  for (auto* h : handles) delete h;
  delete raw;
}

// The whole cycle on a program nobody changes: record it, tune against its trace, run it again
// with the tuned file and the realtime tuner. Every value the LOG says was tuned is the DB's.
TEST_F(DebianPrograms, RecordTuneApplyKeepTuning) {
  const std::string program =
      "db_bench --benchmarks=fillrandom,readrandomwriterandom --num=20000 --value_size=200"
      " --readwritepercent=80 --duration=3 --threads=2 --db=" + db_;
  auto run = RunDebian(kElmoLib, "elmo_trace=" + work_ + "/app-%n-%p.trace", program);
  ASSERT_EQ(run.status, 0) << run.out;
  const std::string trace = LargestFile(work_, "app-db-");
  ASSERT_FALSE(trace.empty());

  const std::string tune = work_ + "/tune";
  auto tuned = elmo_test::RunCommand(
      "env -u ELMO_OPTIONS -u ELMO_CONFIG LD_LIBRARY_PATH=" + kElmoLib + " " + ELMO_OUT +
      "/bin/db_bench --benchmarks=elmotune --elmo_trace=" + trace +
      " --elmo_iterations=1 --elmo_trial_sec=2 --elmo_warmup_sec=1 --elmo_confirm=1"
      " --elmo_confirm_max=1 --elmo_cpus=2 --elmo_memory=512MiB --elmo_quiet=1 --elmo_output_dir=" +
      tune + " --db=" + work_ + "/tune-db");
  ASSERT_EQ(tuned.status, 0) << tuned.out;
  const std::string best = tune + "/best.ini";
  ASSERT_TRUE(fs::exists(best)) << tuned.out;

  // best.ini is what the confirmation kept (often the baseline itself after so short a run);
  // trial-001.ini is the advisor's first candidate, with changes: both must be in effect.
  for (const std::string& file : {best, tune + "/trial-001.ini"}) {
    SCOPED_TRACE(file);
    ASSERT_TRUE(fs::exists(file));
    run = RunDebian(kElmoLib, "elmo_tuned_options=" + file + ";elmo_autotune=true;elmo_interval_sec=1",
                    "db_bench --benchmarks=readrandomwriterandom --use_existing_db=1 --num=20000"
                    " --value_size=200 --readwritepercent=80 --duration=2 --threads=2 --db=" + db_);
    ASSERT_EQ(run.status, 0) << run.out;
    const std::string log = ReadFile(db_ + "/LOG");
    EXPECT_NE(log.find("[elmo] elmo_tuned_options=" + file + ": "), std::string::npos) << log;
    const std::string options = LatestOptionsText(db_);
    std::istringstream lines(log);
    size_t checked = 0;
    for (std::string line; std::getline(lines, line);) {
      const size_t at = line.find("[elmo] tuned: ");
      if (at == std::string::npos) continue;
      // "[elmo] tuned: NAME (SECTION ...): FROM -> TO"
      const std::string rest = line.substr(at + 14);
      const std::string name = rest.substr(0, rest.find(' '));
      const std::string to = rest.substr(rest.rfind(" -> ") + 4);
      EXPECT_NE(options.find("  " + name + "=" + to + "\n"), std::string::npos) << line;
      checked++;
    }
    if (file != best) EXPECT_GT(checked, 0u) << log;
    EXPECT_NE(ReadFile(db_ + "/elmo_journal.jsonl").find("\"event\":"), std::string::npos);
    std::cout << file << " changed " << checked << " values for the program\n";
  }
}

// The file names and contents of a directory tree, for "nothing changed" checks.
std::map<std::string, std::string> Snapshot(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) files[e.path().string()] = ReadFile(e.path().string());
  }
  return files;
}

// Tuning on the program's own data: trials run on clones of its DB and the modeled workload on
// its keys (every point read finds its key, where generated keys mostly miss); the DB itself is
// never changed. Bad uses are refused before any trial.
TEST_F(DebianPrograms, ElmotuneTunesOnTheProgramsOwnData) {
  auto run = RunDebian(kDebianLib, "", "db_bench --benchmarks=fillrandom --num=20000 --key_size=24"
                                       " --value_size=300 --db=" + db_);
  ASSERT_EQ(run.status, 0) << run.out;
  run = RunDebian(kElmoLib, "elmo_trace=" + work_ + "/app.trace",
                  "db_bench --benchmarks=readrandomwriterandom --use_existing_db=1 --num=20000"
                  " --key_size=24 --value_size=300 --readwritepercent=90 --duration=2 --db=" + db_);
  ASSERT_EQ(run.status, 0) << run.out;
  const auto before = Snapshot(db_);

  const std::string ours = "env -u ELMO_OPTIONS -u ELMO_CONFIG LD_LIBRARY_PATH=" + kElmoLib + " " +
                           std::string(ELMO_OUT) + "/bin/db_bench";
  const std::string tune = work_ + "/tune";
  auto tuned = elmo_test::RunCommand(
      ours + " --benchmarks=elmotune --elmo_trace=" + work_ + "/app.trace --elmo_base_db=" + db_ +
      " --elmo_iterations=1 --elmo_trial_sec=1 --elmo_warmup_sec=1 --elmo_confirm=1"
      " --elmo_confirm_max=1 --elmo_quiet=1 --elmo_output_dir=" + tune + " --db=" + work_ + "/tune-db");
  ASSERT_EQ(tuned.status, 0) << tuned.out;
  EXPECT_TRUE(Snapshot(db_) == before) << "the program's DB changed";
  const std::string keys = ReadFile(tune + "/base-keys.hex");
  const size_t n_keys = static_cast<size_t>(std::count(keys.begin(), keys.end(), '\n'));
  EXPECT_GT(n_keys, 15000u);  // 20000 random inserts: ~18,000 distinct keys
  EXPECT_LE(n_keys, 20000u);
  EXPECT_NE(ReadFile(tune + "/report.md").find("the program's own DB `" + db_ + "`"), std::string::npos);

  // The modeled workload on a copy, with and without the program's keys.
  auto found = [&](const std::string& extra) {
    fs::remove_all(work_ + "/copy");
    fs::copy(db_, work_ + "/copy", fs::copy_options::recursive);
    auto r = elmo_test::RunCommand(ours + " --benchmarks=elmospec --elmo_spec=" + tune +
                                   "/workload.json --use_existing_db=1 --duration=1 --db=" + work_ +
                                   "/copy" + extra);
    EXPECT_EQ(r.status, 0) << r.out;
    const size_t at = r.out.find("point reads found their key (");
    EXPECT_NE(at, std::string::npos) << r.out;
    return at == std::string::npos ? 0.0 : std::stod(r.out.substr(at + 29));
  };
  EXPECT_GT(found(" --elmo_key_dict=" + tune + "/base-keys.hex"), 99.0);
  EXPECT_LT(found(""), 60.0);

  // Refused before any trial, naming the problem.
  auto bad = elmo_test::RunCommand(ours + " --benchmarks=elmotune --elmo_trace=" + work_ +
                                   "/app.trace --elmo_base_db=" + work_ + "/nothing --elmo_output_dir=" +
                                   work_ + "/bad --db=" + work_ + "/bad-db");
  EXPECT_NE(bad.status, 0);
  EXPECT_NE(bad.out.find("--elmo_base_db=" + work_ + "/nothing: not a RocksDB DB"), std::string::npos)
      << bad.out;
  EXPECT_FALSE(fs::exists(work_ + "/bad/trial-000.ini"));
  bad = elmo_test::RunCommand(ours + " --benchmarks=elmotune --elmo_workload=readrandom --elmo_base_db=" +
                              db_ + " --elmo_output_dir=" + work_ + "/bad2 --db=" + work_ + "/bad-db");
  EXPECT_NE(bad.status, 0);
  EXPECT_NE(bad.out.find("--elmo_base_db needs a workload"), std::string::npos) << bad.out;
}

// A program whose threads play roles (Debian's seekrandomwhilewriting: one writer, three readers
// each doing Seek and 5 Next calls) is seen as such in its capture: the side file gives every op
// its thread and every seek its scan length; the model makes a writers group at its measured
// rate and an unlimited readers group; elmoreplay replays each thread's own operations.
TEST_F(DebianPrograms, AProgramsRolesAndScanLengthsAreSeenInItsCapture) {
  auto run = RunDebian(kDebianLib, "", "db_bench --benchmarks=fillrandom --num=20000 --db=" + db_);
  ASSERT_EQ(run.status, 0) << run.out;
  const std::string trace = work_ + "/app.trace";
  run = RunDebian(kElmoLib, "elmo_trace=" + trace,
                  "db_bench --benchmarks=seekrandomwhilewriting --use_existing_db=1 --num=20000"
                  " --seek_nexts=5 --threads=3 --duration=2 --db=" + db_);
  ASSERT_EQ(run.status, 0) << run.out;
  ASSERT_TRUE(fs::exists(trace + ELMO_TRACE_SIDE_SUFFIX));

  elmo_trace_summary* sum = nullptr;
  elmo_error err{};
  ASSERT_EQ(elmo_trace_characterize(trace.c_str(), nullptr, nullptr, &sum, &err), ELMO_OK) << err.message;
  std::unique_ptr<elmo_trace_summary, void (*)(elmo_trace_summary*)> owner(sum, elmo_trace_summary_destroy);
  EXPECT_EQ(sum->ops_thread_unknown, 0u);
  int writers = 0, readers = 0;
  for (size_t i = 0; i < sum->n_threads; i++) {
    const elmo_trace_thread& t = sum->threads[i];
    writers += t.counts[ELMO_TRACE_PUT] == t.ops;
    readers += t.counts[ELMO_TRACE_SEEK] == t.ops;
  }
  EXPECT_EQ(sum->n_threads, 4u);
  EXPECT_EQ(writers, 1);
  EXPECT_EQ(readers, 3);
  EXPECT_EQ(sum->scan_length.count, sum->counts[ELMO_TRACE_SEEK]);
  EXPECT_EQ(sum->scan_length.max, 5u);
  EXPECT_GT(sum->scan_length.mean, 4.9);  // only seeks near the last key scan less

  elmo_model_options o;
  elmo_model_options_init(&o);
  o.rate_policy = ELMO_MODEL_RATE_UNLIMITED;
  elmo_spec* spec = nullptr;
  elmo_model_report* report = nullptr;
  ASSERT_EQ(elmo_model_build(sum, &o, &spec, &report, &err), ELMO_OK) << err.message;
  ASSERT_EQ(spec->n_phases, 1u);
  const elmo_spec_phase& p = spec->phases[0];
  ASSERT_EQ(p.n_groups, 2u) << report->roles.note;
  EXPECT_STREQ(p.groups[0].name, "writers");
  EXPECT_EQ(p.groups[0].threads, 1);
  EXPECT_EQ(p.groups[0].rate.kind, ELMO_RATE_FIXED);
  EXPECT_NEAR(p.groups[0].rate.qps, static_cast<double>(sum->counts[ELMO_TRACE_PUT]) /
                                        (static_cast<double>(sum->duration_us) / 1e6), 1.0);
  EXPECT_STREQ(p.groups[1].name, "readers");
  EXPECT_EQ(p.groups[1].threads, 3);
  EXPECT_EQ(p.groups[1].rate.kind, ELMO_RATE_UNLIMITED);
  EXPECT_EQ(report->fits[ELMO_MODEL_SCAN_LENGTH].modeled, 1);
  elmo_spec_destroy(spec);
  elmo_model_report_destroy(report);

  const std::string ours = "env -u ELMO_OPTIONS -u ELMO_CONFIG LD_LIBRARY_PATH=" + kElmoLib + " " +
                           std::string(ELMO_OUT) + "/bin/db_bench";
  auto replay = elmo_test::RunCommand(ours + " --benchmarks=elmoreplay --elmo_replay_trace=" + trace +
                                      " --use_existing_db=1 --db=" + db_);
  ASSERT_EQ(replay.status, 0) << replay.out;
  EXPECT_NE(replay.out.find("4 threads (the program's, from its thread ids), the program's Next calls"),
            std::string::npos) << replay.out;

  // elmotune measures what the readers do: the writer runs at its measured rate.
  const std::string tune = work_ + "/tune";
  auto tuned = elmo_test::RunCommand(
      ours + " --benchmarks=elmotune --elmo_trace=" + trace + " --elmo_iterations=1 --elmo_finetune=-1"
      " --elmo_trial_sec=1 --elmo_warmup_sec=1 --elmo_confirm=1 --elmo_confirm_max=1 --elmo_replay=never"
      " --elmo_quiet=1 --elmo_output_dir=" + tune + " --db=" + work_ + "/tune-db");
  ASSERT_EQ(tuned.status, 0) << tuned.out;
  EXPECT_NE(ReadFile(tune + "/report.md").find("the `seek` operations only: those of the clients that run as fast"),
            std::string::npos);
  EXPECT_NE(ReadFile(tune + "/history.json").find("\"objective_unpaced\":\ttrue"), std::string::npos);
  EXPECT_NE(ReadFile(tune + "/model.md").find("readers: 3 threads"), std::string::npos);
  // --elmo_compare judges files on the same operations the tuner does.
  auto compared = elmo_test::RunCommand(
      ours + " --benchmarks=elmotune --elmo_compare=defaults --elmo_compare_runs=1 --elmo_workload=" + tune +
      "/workload.json --elmo_trial_sec=1 --elmo_warmup_sec=1 --elmo_quiet=1 --elmo_output_dir=" + work_ +
      "/compare --db=" + work_ + "/compare-db");
  ASSERT_EQ(compared.status, 0) << compared.out;
  EXPECT_NE(compared.out.find("measured on the 'seek' operations only"), std::string::npos) << compared.out;
}

}  // namespace
