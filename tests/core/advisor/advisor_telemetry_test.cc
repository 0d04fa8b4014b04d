// advisor_telemetry_test.cc — telemetry chooses the built-in advisor's moves: the statistics of
// recorded trials (tests/fixtures/dbbench, real db_bench output and LOG) go through the parser
// into the facts, and what binds the best (write stalls and their cause, a low block cache hit
// rate, many data blocks per Get) puts the moves that address it first.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "elmo/advisor.h"
#include "elmo/answer.h"
#include "elmo/number.h"
#include "elmo/trial.h"
#include "elmo/tuner.h"
#include "builtin_advisor.h"

namespace {

const auto& Ask = elmo_test::AskBuiltin;
const auto& Keys = elmo_test::AnswerKeys;

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(ELMO_TEST_FIXTURES) + "/dbbench/" + name);
  EXPECT_TRUE(in) << name;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A recorded trial's metrics, as the trial runner reads them (stdout, then the DB's LOG).
elmo_trial_metrics Recorded(const std::string& out, const std::string& log, const char* bench) {
  elmo_trial_metrics m{};
  elmo_error err;
  EXPECT_EQ(elmo_dbbench_parse(Fixture(out).c_str(), bench, &m, &err), ELMO_OK) << err.message;
  if (!log.empty()) elmo_rocksdb_log_stalls(Fixture(log).c_str(), &m);
  return m;
}

// The facts of a round whose best measured m (stall share from the run's seconds).
std::string Facts(const std::string& workload, const std::string& options, const elmo_trial_metrics& m,
                  double seconds) {
  char best[512];
  const char* cause = elmo_tune_stall_cause(&m);
  elmo_number_snprintf(best, sizeof best,
                       "\"stall_percent\":%.3f,\"cache_hit_rate\":%.4f,\"blocks_per_get\":%.4f%s%s%s",
                       m.stall_micros / (seconds * 1e6) * 100, m.cache_hit_rate, m.blocks_per_get,
                       cause ? ",\"stall_cause\":\"" : "", cause ? cause : "", cause ? "\"" : "");
  return "Tune this.\n```json\n{\"elmo_facts\":1,\"phase\":\"tune\",\"cpus\":2,\"memory_bytes\":1073741824,"
         "\"direct_io\":false,\"workload\":" + workload + ",\"best\":{\"options\":{" + options + "}," + best +
         "}}\n```\n";
}

const std::string kOneWriter =
    "{\"read\":0,\"write\":1,\"scan\":0,\"key_bytes\":16,\"value_bytes\":100,\"num_keys\":300000,\"threads\":2}";
const std::string kDefaults = "\"write_buffer_size\":\"67108864\",\"max_background_jobs\":\"2\","
                              "\"block_cache\":\"8388608\",\"filter_policy\":\"nullptr\"";

TEST(AdvisorTelemetry, TheParserReadsWhatBindsATrial) {
  elmo_trial_metrics stalls = Recorded("fillrandom_l0_stalls.txt", "fillrandom_l0_stalls.LOG", "fillrandom");
  EXPECT_EQ(stalls.stall_micros, 1244800);
  EXPECT_EQ(stalls.stalls_l0, 5u);
  EXPECT_EQ(stalls.stalls_memtable, 0u);
  EXPECT_STREQ(elmo_tune_stall_cause(&stalls), "l0_files");
  // compact.write.bytes over compaction.times.micros' SUM: bytes per microsecond = MB/s.
  EXPECT_NEAR(stalls.compaction_mb_s, 140198907.0 / 2059203, 1e-9);
  EXPECT_EQ(stalls.blocks_per_get, -1) << "no reads";
  elmo_trial_metrics reads = Recorded("readrandom_small_cache.txt", "", "readrandom");
  EXPECT_NEAR(reads.cache_hit_rate, 170505.0 / (170505 + 568848), 1e-9);
  EXPECT_NEAR(reads.blocks_per_get, (170505.0 + 568848) / 201999, 1e-9);
  // The other causes, as RocksDB 7.8.3's column_family.cc writes them.
  elmo_trial_metrics m{};
  elmo_rocksdb_log_stalls(
      "2026/12/07-20:35:17.4 2388 [WARN] [db/column_family.cc:946] [default] Stopping writes because we have 2 "
      "immutable memtables (waiting for flush), max_write_buffer_number is set to 2\n"
      "2026/12/07-20:35:17.5 2388 [WARN] [db/column_family.cc:980] [default] Stalling writes because we have 2 "
      "immutable memtables (waiting for flush), max_write_buffer_number is set to 3 rate 16777216\n"
      "2026/12/07-20:35:17.6 2388 [WARN] [db/column_family.cc:1027] [default] Stalling writes because of "
      "estimated pending compaction bytes 68719476736 rate 13421772\n"
      "2026/12/07-20:35:17.7 2388 [INFO] a line about writes because we have nothing\n",
      &m);
  EXPECT_EQ(m.stalls_memtable, 2u);
  EXPECT_EQ(m.stalls_pending, 1u);
  EXPECT_EQ(m.stalls_l0, 0u);
  EXPECT_STREQ(elmo_tune_stall_cause(&m), "memtables");
  elmo_rocksdb_log_stalls(nullptr, &m);
  EXPECT_EQ(elmo_tune_stall_cause(&m), nullptr);
}

// The recorded stall-bound fillrandom (27% of its time stalled on L0 files): background jobs
// and the L0 triggers come first; the same workload without stalls tries small memtables first
// (the measured best move for one writer on 2 CPUs).
TEST(AdvisorTelemetry, AStallBoundTrialGetsStallMovesFirst) {
  elmo_trial_metrics m = Recorded("fillrandom_l0_stalls.txt", "fillrandom_l0_stalls.LOG", "fillrandom");
  std::string answer = Ask(Facts(kOneWriter, kDefaults, m, 4.576));
  EXPECT_NE(Keys(answer).find("max_background_jobs=4;"), std::string::npos) << answer;
  EXPECT_NE(answer.find("Chosen first because the best stalls writes 27.2% of the time (too many L0 files)"),
            std::string::npos)
      << answer;
  elmo_trial_metrics calm = m;
  calm.stall_micros = 0;
  calm.stalls_l0 = 0;
  std::string neutral = Ask(Facts(kOneWriter, kDefaults, calm, 4.576));
  EXPECT_NE(Keys(neutral).find("write_buffer_size=16777216;"), std::string::npos) << neutral;
  EXPECT_EQ(neutral.find("Chosen first"), std::string::npos) << neutral;
}

// The recorded readrandom with a 1 MiB cache (23% hits, 3.7 blocks per Get), the Bloom filter
// already in the best: the cache comes next; with a high hit rate and one block per Get the
// workload's own order goes on (the guide's file).
TEST(AdvisorTelemetry, ALowHitRateGetsCacheMovesFirst) {
  const std::string reads = "{\"read\":1,\"write\":0,\"scan\":0,\"key_bytes\":16,\"value_bytes\":100,"
                            "\"num_keys\":300000}";
  const std::string with_bloom = "\"write_buffer_size\":\"67108864\",\"max_background_jobs\":\"2\","
                                 "\"block_cache\":\"8388608\",\"filter_policy\":\"bloomfilter:10:false\"";
  elmo_trial_metrics m = Recorded("readrandom_small_cache.txt", "", "readrandom");
  std::string answer = Ask(Facts(reads, with_bloom, m, 3.007));
  EXPECT_NE(Keys(answer).find("block_cache="), std::string::npos) << answer;
  EXPECT_EQ(Keys(answer).find("min_write_buffer_number_to_merge="), std::string::npos) << "not the guide: " << answer;
  EXPECT_NE(answer.find("Chosen first because the best's block cache hit rate is 23%"), std::string::npos) << answer;
  elmo_trial_metrics warm = m;
  warm.cache_hit_rate = 0.99;
  warm.blocks_per_get = 1.0;
  std::string neutral = Ask(Facts(reads, with_bloom, warm, 3.007));
  EXPECT_NE(Keys(neutral).find("min_write_buffer_number_to_merge=2;"), std::string::npos) << "the guide: " << neutral;
}

}  // namespace
