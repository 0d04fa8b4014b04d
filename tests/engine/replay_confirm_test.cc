// replay_confirm_test.cc — the program's own trace as the last word on a tuned file: db_bench's
// elmoreplay benchmark (tools/elmo_replay_bench.cc) on traces built byte by byte, and elmotune's
// replay confirmation on real runs: a file that wins on the model and loses on the program's
// operations is not shipped; a trace it cannot replay leaves the model to decide, with a note;
// guards and objectives on operation types the workload lacks are refused.
#include <cjson/cJSON.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "elmo/optfile.h"
#include "elmo/playbook.h"
#include "elmo/spec.h"
#include "elmo/trial.h"
#include "file_text.h"
#include "rocksdb/db.h"
#include "run_command.h"
#include "trace_builder.h"

namespace fs = std::filesystem;

namespace {

using elmo_test::ReadFile;
using elmo_test::WriteFile;

const std::string kDbBench = std::string(ELMO_OUT) + "/bin/db_bench";

elmo_test::CommandResult DbBench(const std::string& args) {
  return elmo_test::RunCommand(kDbBench + " " + args + " 2>&1");
}

std::string Key(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "key%06d", i);
  return buf;
}

// 100 gets of keys 0..99, 50 batches of two puts of keys 1000.., 20 seeks, 10 multigets of 3 keys.
elmo_test::TraceBuilder MixedTrace() {
  elmo_test::TraceBuilder t;
  t.Begin(1000);
  uint64_t ts = 2000;
  for (int i = 0; i < 100; i++) t.Get(ts++, Key(i));
  for (int i = 0; i < 50; i++) t.Write(ts++, elmo_test::Batch().Put(Key(1000 + 2 * i), "v").Put(Key(1001 + 2 * i), "w"));
  for (int i = 0; i < 20; i++) t.Seek(ts++, false, Key(5 * i));
  for (int i = 0; i < 10; i++) t.MultiGet(ts++, {Key(2000 + i), Key(2100 + i), Key(i)});
  return t;
}

class ReplayConfirm : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("LD_LIBRARY_PATH", ELMO_OUT "/lib", 1);
    dir_ = std::string(ELMO_TEST_WORK) + "/replay-confirm-" + std::to_string(getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }
  std::string Save(const std::string& name, const std::string& bytes) {
    std::string path = dir_ + "/" + name;
    WriteFile(path, bytes);
    return path;
  }
  std::string dir_;
};

TEST_F(ReplayConfirm, TheLoadStepWritesEveryKeyTheTraceTouchesAndFillsUpToNum) {
  std::string trace = Save("mixed.trace", MixedTrace().End(9999).bytes);
  auto r = DbBench("--benchmarks=elmoreplay --elmo_replay_trace=" + trace +
                   " --elmo_replay_load_only=1 --num=500 --value_size=64 --db=" + dir_ + "/db");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("elmoreplay: load step wrote 500 keys"), std::string::npos) << r.out;
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::OpenForReadOnly(rocksdb::Options(), dir_ + "/db", &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  std::vector<std::string> touched;
  for (int i = 0; i < 100; i++) touched.push_back(Key(i));
  for (int i = 0; i < 100; i++) touched.push_back(Key(1000 + i));
  for (int i = 0; i < 10; i++) touched.push_back(Key(2000 + i)), touched.push_back(Key(2100 + i));
  std::string value;
  for (const auto& k : touched) {
    ASSERT_TRUE(db->Get(rocksdb::ReadOptions(), k, &value).ok()) << k;
    EXPECT_EQ(value.size(), 64u);
  }
  size_t n = 0;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) n++;
  EXPECT_EQ(n, 500u) << "the 220 keys the trace touches and 280 filler keys";
}

TEST_F(ReplayConfirm, OnePassRunsEveryRecordAndReportsEachOperationType) {
  std::string trace = Save("mixed.trace", MixedTrace().End(9999).bytes);
  ASSERT_EQ(DbBench("--benchmarks=elmoreplay --elmo_replay_trace=" + trace +
                    " --elmo_replay_load_only=1 --num=300 --db=" + dir_ + "/db").status, 0);
  auto r = DbBench("--benchmarks=elmoreplay --elmo_replay_trace=" + trace +
                   " --use_existing_db=1 --threads=2 --seek_nexts=5 --histogram=1 --db=" + dir_ + "/db");
  ASSERT_EQ(r.status, 0) << r.out;
  elmo_trial_metrics m{};
  elmo_error err{};
  ASSERT_EQ(elmo_dbbench_parse(r.out.c_str(), "elmoreplay", &m, &err), ELMO_OK) << err.message << r.out;
  uint64_t reads = 0, writes = 0, seeks = 0;
  for (size_t i = 0; i < m.n_op_types; i++) {
    std::string type = m.op_types[i].type;
    (type == "read" ? reads : type == "write" ? writes : seeks) += m.op_types[i].count;
  }
  EXPECT_EQ(reads, 110u) << "100 gets and 10 multigets";
  EXPECT_EQ(writes, 50u) << "a batch is one write";
  EXPECT_EQ(seeks, 20u);
  EXPECT_GT(m.ops_per_sec, 0);
  // With --duration the trace starts over until the time is up.
  r = DbBench("--benchmarks=elmoreplay --elmo_replay_trace=" + trace +
              " --use_existing_db=1 --duration=1 --histogram=1 --db=" + dir_ + "/db");
  ASSERT_EQ(r.status, 0) << r.out;
  elmo_trial_metrics again{};
  ASSERT_EQ(elmo_dbbench_parse(r.out.c_str(), "elmoreplay", &again, &err), ELMO_OK) << err.message;
  EXPECT_GT(again.op_types[0].count, 110u * 3) << r.out;
}

TEST_F(ReplayConfirm, ATraceCutInsideItsLastRecordEndsThere) {
  std::string bytes = MixedTrace().bytes;  // no End record: a writer killed mid-record
  std::string trace = Save("cut.trace", bytes.substr(0, bytes.size() - 7));
  ASSERT_EQ(DbBench("--benchmarks=elmoreplay --elmo_replay_trace=" + trace +
                    " --elmo_replay_load_only=1 --num=10 --db=" + dir_ + "/db").status, 0);
  auto r = DbBench("--benchmarks=elmoreplay --elmo_replay_trace=" + trace +
                   " --use_existing_db=1 --histogram=1 --db=" + dir_ + "/db");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("179 operations"), std::string::npos) << "all records but the cut one\n" << r.out;
}

TEST_F(ReplayConfirm, BadTracesAreErrorsThatSaySo) {
  std::string garbage = Save("garbage.trace", "not a trace at all");
  auto r = DbBench("--benchmarks=elmoreplay --elmo_replay_trace=" + garbage + " --db=" + dir_ + "/db1");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.out.find("--elmo_replay_trace=" + garbage), std::string::npos) << r.out;
  std::string empty = Save("empty.trace", elmo_test::TraceBuilder().Begin().End(2000).bytes);
  r = DbBench("--benchmarks=elmoreplay --elmo_replay_trace=" + empty + " --db=" + dir_ + "/db2");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.out.find("the trace has no queries to replay"), std::string::npos) << r.out;
  elmo_test::TraceBuilder foreign;
  foreign.Begin().Get(2000, Key(1)).Get(2001, Key(2), 1).End(3000);
  std::string cf = Save("cf.trace", foreign.bytes);
  r = DbBench("--benchmarks=elmoreplay --elmo_replay_trace=" + cf + " --db=" + dir_ + "/db3");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.out.find("record 2 of " + cf), std::string::npos) << r.out;
  r = DbBench("--benchmarks=elmoreplay --db=" + dir_ + "/db4");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.out.find("--elmo_replay_trace=FILE is required"), std::string::npos) << r.out;
}

// The tuner side ----------------------------------------------------------------------------------

// A baseline that stalls writes: tiny memtables flushed by one background job with ZSTD at level
// 19, L0 stopping writes at 4 files (about 21,000 puts/s against 166,000 with 64 MiB memtables in
// a side-by-side run here: a gain no noise hides).
const char* const kSlowWrites =
    "[Version]\n  rocksdb_version=7.8.3\n  options_file_version=1.1\n[DBOptions]\n  max_background_jobs=1\n"
    "[CFOptions \"default\"]\n  write_buffer_size=262144\n  compression=kZSTD\n  compression_opts={level=19}\n"
    "  level0_slowdown_writes_trigger=2\n  level0_stop_writes_trigger=4\n[TableOptions/BlockBasedTable \"default\"]\n";

// A spec of 100% puts on 20,000 keys: the "model" the loop tunes in the tests below.
std::string WriteOnlySpec(const std::string& dir) {
  elmo_spec* s = elmo_spec_create(20000);
  std::snprintf(s->name, sizeof s->name, "writes");
  for (double& f : s->phases[0].mix) f = 0;
  s->phases[0].mix[ELMO_SPEC_PUT] = 1;
  std::string path = dir + "/writes.json";
  elmo_error err{};
  EXPECT_EQ(elmo_spec_save(s, path.c_str(), &err), ELMO_OK) << err.message;
  elmo_spec_destroy(s);
  return path;
}

// The scripted advisor's file: what ends kSlowWrites' stalls, and one table option.
std::string WriteFixesAnd(const std::string& table_option) {
  return "[DBOptions]\nmax_background_jobs=2\n[CFOptions \"default\"]\nwrite_buffer_size=67108864\n"
         "level0_slowdown_writes_trigger=20\nlevel0_stop_writes_trigger=36\n"
         "[TableOptions/BlockBasedTable \"default\"]\n" + table_option + "\n";
}

// A transcript whose one answer is the scripted advisor's proposal (--elmo_llm=replay:FILE).
std::string Advisor(const std::string& dir, const std::string& ini) {
  cJSON* line = cJSON_CreateObject();
  cJSON_AddStringToObject(line, "provider", "openai");
  cJSON_AddStringToObject(line, "model", "scripted");
  cJSON_AddStringToObject(line, "answer", ("Scripted.\n\n```ini\n" + ini + "```\n").c_str());
  cJSON_AddNumberToObject(line, "status", 200);
  cJSON_AddNullToObject(line, "error");
  char* text = cJSON_PrintUnformatted(line);
  std::string path = dir + "/advisor.jsonl";
  WriteFile(path, std::string(text) + "\n");
  cJSON_free(text);
  cJSON_Delete(line);
  return path;
}

cJSON* Find(cJSON* root, const std::vector<const char*>& path) {
  for (const char* p : path) root = root ? cJSON_GetObjectItemCaseSensitive(root, p) : nullptr;
  return root;
}

// The model is all writes under a baseline that stalls them (kSlowWrites); the program only reads. The scripted
// advisor's file ends the stalls (a big win on the model) and turns the block cache off (a loss
// for every read of the program). The model confirms it; the replay of the program's trace turns
// it down, and best.ini stays the baseline.
TEST_F(ReplayConfirm, AModelOnlyWinnerIsRejectedByTheReplay) {
  std::string src = dir_ + "/program-db";
  ASSERT_EQ(DbBench("--benchmarks=fillrandom --num=20000 --db=" + src).status, 0);
  std::string trace = dir_ + "/reads.trace";
  auto r = DbBench("--benchmarks=readrandom --use_existing_db=1 --num=20000 --duration=1 --db=" + src +
                   " --trace_file=" + trace);
  ASSERT_EQ(r.status, 0) << r.out;
  std::string base = Save("slow.ini", kSlowWrites);
  std::string advisor = Advisor(dir_, WriteFixesAnd("no_block_cache=true"));
  std::string out = dir_ + "/tune";
  r = DbBench("--benchmarks=elmotune --elmo_workload=" + WriteOnlySpec(dir_) + " --elmo_replay_trace=" + trace +
              " --options_file=" + base + " --elmo_llm=replay:" + advisor +
              " --elmo_iterations=1 --elmo_finetune=-1 --elmo_trial_sec=2 --elmo_warmup_sec=1"
              " --elmo_confirm=3 --elmo_confirm_max=3 --elmo_cpus=2 --elmo_memory=1GiB --elmo_quiet=1"
              " --elmo_output_dir=" + out + " --db=" + dir_ + "/trials");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_FALSE(std::ifstream(out + "/playbook.json").good()) << "no confirmed best: no playbook entry";
  std::string json = ReadFile(out + "/history.json");
  std::unique_ptr<cJSON, void (*)(cJSON*)> root(cJSON_Parse(json.c_str()), cJSON_Delete);
  ASSERT_NE(root, nullptr);
  ASSERT_EQ(cJSON_GetNumberValue(Find(root.get(), {"summary", "best_index"})), 1) << r.out;
  EXPECT_TRUE(cJSON_IsTrue(Find(root.get(), {"summary", "confirm", "significant"}))) << r.out;
  EXPECT_GT(cJSON_GetNumberValue(Find(root.get(), {"summary", "confirm", "gain"})), 0.2) << r.out;
  EXPECT_STREQ(cJSON_GetStringValue(Find(root.get(), {"summary", "replay", "state"})), "ran") << r.out;
  EXPECT_FALSE(cJSON_IsTrue(Find(root.get(), {"summary", "replay", "significant"}))) << r.out;
  EXPECT_LT(cJSON_GetNumberValue(Find(root.get(), {"summary", "replay", "gain"})), 0) << r.out;
  EXPECT_EQ(cJSON_GetNumberValue(Find(root.get(), {"summary", "replay", "runs_best"})), 3);
  EXPECT_FALSE(cJSON_IsTrue(Find(root.get(), {"summary", "shipped_best"})));
  // The replay trials ran the program's operations: reads only, on data holding the trace's keys.
  int replays = 0;
  cJSON* rec;
  cJSON_ArrayForEach(rec, Find(root.get(), {"records"})) {
    const char* kind = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "kind"));
    if (std::string(kind).rfind("replay-", 0) != 0) continue;
    replays++;
    cJSON* types = Find(rec, {"metrics", "op_types"});
    ASSERT_EQ(cJSON_GetArraySize(types), 1) << cJSON_Print(rec);
    EXPECT_STREQ(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(types, 0), "type")), "read");
  }
  EXPECT_EQ(replays, 6);
  std::string md = ReadFile(out + "/report.md");
  EXPECT_NE(md.find("**The model and the program disagree**"), std::string::npos) << md;
  EXPECT_NE(md.find("**Verdict:** best.ini holds the **baseline** configuration"), std::string::npos) << md;
  EXPECT_NE(r.out.find("best.ini holds the baseline"), std::string::npos) << r.out;
  // best.ini is the baseline's file (the trials' I/O pins aside, which the baseline trial has too).
  elmo_optfile *ini = nullptr, *trial0 = nullptr;
  elmo_error err{};
  ASSERT_EQ(elmo_optfile_load((out + "/best.ini").c_str(), &ini, &err), ELMO_OK) << err.message;
  ASSERT_EQ(elmo_optfile_load((out + "/trial-000.ini").c_str(), &trial0, &err), ELMO_OK) << err.message;
  size_t changes = 0;
  elmo_free(elmo_optfile_diff(trial0, ini, &changes));
  EXPECT_EQ(changes, 0u);
  elmo_optfile_destroy(ini);
  elmo_optfile_destroy(trial0);
}

TEST_F(ReplayConfirm, ATraceThatCannotBeReplayedLeavesTheModelToDecideWithANote) {
  elmo_test::TraceBuilder foreign;
  foreign.Begin().Get(2000, Key(1)).Get(2001, Key(2), 3).End(3000);
  std::string trace = Save("cf.trace", foreign.bytes);
  std::string out = dir_ + "/tune";
  auto r = DbBench("--benchmarks=elmotune --elmo_workload=" + WriteOnlySpec(dir_) + " --elmo_replay_trace=" + trace +
                   " --elmo_iterations=1 --elmo_trial_sec=1 --elmo_warmup_sec=1 --elmo_confirm=1"
                   " --elmo_confirm_max=1 --elmo_quiet=1 --elmo_output_dir=" + out + " --db=" + dir_ + "/trials");
  ASSERT_EQ(r.status, 0) << r.out;
  std::string json = ReadFile(out + "/history.json");
  std::unique_ptr<cJSON, void (*)(cJSON*)> root(cJSON_Parse(json.c_str()), cJSON_Delete);
  ASSERT_NE(root, nullptr);
  EXPECT_STREQ(cJSON_GetStringValue(Find(root.get(), {"summary", "replay", "state"})), "failed");
  const char* note = cJSON_GetStringValue(Find(root.get(), {"summary", "replay", "note"}));
  ASSERT_NE(note, nullptr);
  EXPECT_NE(std::string(note).find("column family 3"), std::string::npos) << note;
  EXPECT_NE(std::string(note).find("the model alone decides"), std::string::npos) << note;
  std::string md = ReadFile(out + "/report.md");
  EXPECT_NE(md.find("**Could not run**, so the model alone decided"), std::string::npos) << md;
}

TEST_F(ReplayConfirm, GuardsAndObjectivesOnOperationsTheWorkloadLacksAreRefused) {
  std::string spec = WriteOnlySpec(dir_);
  auto r = DbBench("--benchmarks=elmotune --elmo_workload=" + spec + " --elmo_protect=seek --elmo_output_dir=" +
                   dir_ + "/a --db=" + dir_ + "/ta");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.out.find("--elmo_protect=seek: the workload writes has no seek operations"), std::string::npos)
      << r.out;
  r = DbBench("--benchmarks=elmotune --elmo_workload=" + spec + " --elmo_objective=get-p99 --elmo_output_dir=" +
              dir_ + "/b --db=" + dir_ + "/tb");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.out.find("--elmo_objective=get: the workload writes has no get operations"), std::string::npos)
      << r.out;
  r = DbBench("--benchmarks=elmotune --elmo_workload=" + spec + " --elmo_protect=scan --elmo_output_dir=" + dir_ +
              "/c");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.out.find("--elmo_protect=scan: scan is not an operation type"), std::string::npos) << r.out;
  r = DbBench("--benchmarks=elmotune --elmo_workload=" + spec + " --elmo_objective=seek-p50 --elmo_output_dir=" +
              dir_ + "/d");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.out.find("--elmo_objective=seek-p50: expected throughput, p99, mixed"), std::string::npos) << r.out;
  r = DbBench("--benchmarks=elmotune --elmo_workload=" + spec + " --elmo_replay=sometimes --elmo_output_dir=" +
              dir_ + "/e");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.out.find("--elmo_replay=sometimes: expected auto or never"), std::string::npos) << r.out;
  r = DbBench("--benchmarks=elmotune --elmo_workload=" + spec + " --elmo_replay_trace=" + dir_ +
              "/missing.trace --elmo_output_dir=" + dir_ + "/f");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.out.find("missing.trace: cannot be read"), std::string::npos) << r.out;
}

// The program's own DB, written under RocksDB's defaults, and a write-heavy trace of it. The
// scripted file ends the baseline's write stalls and also changes block_size, which applies to the
// existing data only after a rewrite: the trials run on the data as it is (no per-candidate
// rewrite), the best is confirmed on the model and on the trace, and then measured again after a
// full compaction under it, with the compaction's cost; the report marks the change and says how
// to migrate.
TEST_F(ReplayConfirm, AFileFormatChangeIsMeasuredRightAfterApplyingAndAfterTheMigration) {
  std::string program = dir_ + "/program-db";
  ASSERT_EQ(DbBench("--benchmarks=fillrandom --num=5000 --db=" + program).status, 0);
  std::string trace = dir_ + "/writes.trace";
  auto r = DbBench("--benchmarks=readrandomwriterandom --readwritepercent=20 --use_existing_db=1 --num=5000"
                   " --duration=2 --db=" + program + " --trace_file=" + trace);
  ASSERT_EQ(r.status, 0) << r.out;
  std::string base = Save("slow.ini", kSlowWrites);
  std::string advisor = Advisor(dir_, WriteFixesAnd("block_size=16384"));
  std::string out = dir_ + "/tune";
  // A playbook of the user's with another workload's entry: this run's entry joins it.
  std::string merged = Save("merged.json", R"({"elmo_playbook": 1, "rocksdb_version": "7.8.3", "entries": [
      {"name": "scans", "signature": {"scan": 1, "value_bytes": 100},
       "options": {"DBOptions": {"compaction_readahead_size": "2097152"}}}]})");
  r = DbBench("--benchmarks=elmotune --elmo_trace=" + trace + " --elmo_base_db=" + program +
              " --elmo_playbook=" + merged + " --options_file=" + base + " --elmo_llm=replay:" + advisor +
              " --elmo_iterations=1 --elmo_finetune=-1 --elmo_recheck_band=-1 --elmo_trial_sec=2"
              " --elmo_warmup_sec=1 --elmo_confirm=3 --elmo_confirm_max=3 --elmo_quiet=1 --elmo_output_dir=" +
              out + " --db=" + dir_ + "/trials");
  ASSERT_EQ(r.status, 0) << r.out;
  std::string json = ReadFile(out + "/history.json");
  std::unique_ptr<cJSON, void (*)(cJSON*)> root(cJSON_Parse(json.c_str()), cJSON_Delete);
  ASSERT_NE(root, nullptr);
  EXPECT_FALSE(cJSON_IsTrue(Find(root.get(), {"summary", "rewrite"}))) << "the program's data, as it is";
  ASSERT_TRUE(cJSON_IsTrue(Find(root.get(), {"summary", "shipped_best"}))) << r.out;
  EXPECT_STREQ(cJSON_GetStringValue(Find(root.get(), {"summary", "replay", "state"})), "ran");
  cJSON* m = Find(root.get(), {"summary", "migration"});
  ASSERT_NE(m, nullptr);
  EXPECT_STREQ(cJSON_GetStringValue(cJSON_GetObjectItem(m, "needs_rewrite")), "block_size");
  EXPECT_TRUE(cJSON_IsTrue(cJSON_GetObjectItem(m, "measured")));
  EXPECT_EQ(cJSON_GetNumberValue(cJSON_GetObjectItem(m, "runs_best")), 3);
  EXPECT_EQ(cJSON_GetNumberValue(cJSON_GetObjectItem(m, "pairs")), 3);
  EXPECT_GT(cJSON_GetNumberValue(cJSON_GetObjectItem(m, "data_bytes")), 1e5);
  // The migration's runs replay the program's trace (it ran), the best's after a compaction.
  int migrate = 0;
  cJSON* rec;
  cJSON_ArrayForEach(rec, Find(root.get(), {"records"})) {
    std::string kind = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "kind"));
    if (kind.rfind("migrate-", 0) == 0) migrate++;
    if (kind == "tune") EXPECT_EQ(std::string(cJSON_GetStringValue(cJSON_GetObjectItem(rec, "status"))), "ok");
  }
  EXPECT_EQ(migrate, 6);
  std::string md = ReadFile(out + "/report.md");
  EXPECT_NE(md.find("## Migration"), std::string::npos) << md;
  EXPECT_NE(md.find("`block_size` **need the data rewritten**"), std::string::npos) << md;
  EXPECT_NE(md.find("ldb --db=DIR --try_load_options compact"), std::string::npos) << md;
  EXPECT_NE(md.find("each trial runs on the data as it was loaded"), std::string::npos) << md;
  // The playbook entry: the best's runtime-mutable changes under the modeled workload's mix
  // (compression stayed; every changed option here is one SetOptions takes), in the output
  // directory and merged into the user's playbook beside its entry.
  auto own = std::make_unique<elmo_playbook>();
  elmo_error err = {};
  ASSERT_EQ(elmo_playbook_load((out + "/playbook.json").c_str(), own.get(), &err), ELMO_OK) << err.message;
  ASSERT_EQ(own->n, 1u);
  const elmo_playbook_entry& e = own->entries[0];
  EXPECT_NEAR(e.write, 0.8, 0.1) << "the trace is 20% reads";
  std::string options;
  for (size_t i = 0; i < e.n_options; i++) options += std::string(e.options[i].name) + "=" + e.options[i].value + ";";
  for (const char* want : {"max_background_jobs=2;", "write_buffer_size=67108864;", "level0_stop_writes_trigger=36;",
                           "block_size=16384;"}) {
    EXPECT_NE(options.find(want), std::string::npos) << want << " not in " << options;
  }
  EXPECT_GT(e.gain, 0.5) << "the stalls' end is a large gain";
  auto all = std::make_unique<elmo_playbook>();
  ASSERT_EQ(elmo_playbook_load(merged.c_str(), all.get(), &err), ELMO_OK) << err.message;
  ASSERT_EQ(all->n, 2u);
  EXPECT_STREQ(all->entries[0].name, "scans");
  EXPECT_STREQ(all->entries[1].name, e.name);
}

}  // namespace
