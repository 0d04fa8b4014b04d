// dbbench_parse_test.cc — the pure db_bench output parsers (trial.h) on real db_bench 7.8.3
// outputs (tests/fixtures/dbbench/, see its README) and on hand-made edge cases.
//
// Merged percentiles of multi-type benchmarks were computed independently (a Python rendition of
// HistogramStat::Percentile over the merged bucket lines); for single-type benchmarks the same
// computation reproduces the percentiles db_bench printed, which the cases below check too.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "elmo/trial.h"
#include "file_text.h"

namespace {

std::string Fixture(const std::string& name) {
  const std::string text =
      elmo_test::ReadFile(std::string(ELMO_TEST_FIXTURES) + "/dbbench/" + name);
  EXPECT_FALSE(text.empty()) << "cannot read " << name;
  return text;
}

struct ParseCase {
  const char* file;
  const char* bench;  // nullptr: the last result line
  double ops, micros_per_op;
  double p50, p99, p999;
  double read_p99, write_p99;
  double stall_micros, write_amp, cache_hit_rate;
};

const ParseCase kCases[] = {
    // Single-type benchmarks: the printed percentiles (2 decimals).
    {"fillrandom_readrandom.txt", "readrandom", 476419, 2.098, 1.49, 4.33, 20.00, 4.33, 0, 0, 0,
     -1},
    {"fillrandom_readrandom.txt", "fillrandom", 206879, 4.833, 3.90, 9.82, 43.43, 0, 9.82, 0, 0,
     -1},
    {"fillrandom_readrandom.txt", nullptr, 476419, 2.098, 1.49, 4.33, 20.00, 4.33, 0, 0, 0, -1},
    // Two threads, reads and writes: merged buckets; compaction writes; block cache in use.
    {"readrandomwriterandom_threads2.txt", "readrandomwriterandom", 159876, 12.498, 9.0008, 28.1380,
     71.5851, 28.95, 14.61, 0, 1314454.0 / 8408966, 1009620.0 / (1009620 + 844434)},
    // mixgraph: read, write and seek blocks.
    {"mixgraph.txt", "mixgraph", 134873, 7.414, 4.2084, 25.7956, 548.75, 14.96, 14.96, 0,
     17535380.0 / 1860305, 192297.0 / (192297 + 26254)},
    // Write stalls, flushes and compactions.
    {"fillrandom_stalls.txt", "fillrandom", 193020, 10.253, 3.83, 10.00, 238.43, 0, 10.00, 1003944,
     (40275135.0 + 139880112.0) / 78582540, 0},
    // readrandom[X2]: the median of the runs; percentiles of the last run; no --statistics.
    {"repeats_no_statistics.txt", "readrandom", 216470, 4.645, 4.39, 9.73, 47.91, 9.73, 0, 0, 0,
     -1},
    {"repeats_no_statistics.txt", "seekrandom", 94007, 10.633, 5.56, 98.42, 127.14, 0, 0, 0, 0, -1},
    {"repeats_no_statistics.txt", "readseq", 2294367, 0.434, 0.52, 7.73, 13.00, 7.73, 0, 0, 0, -1},
};

TEST(DbBenchParse, RealOutputs) {
  for (const ParseCase& c : kCases) {
    SCOPED_TRACE(std::string(c.file) + " / " + (c.bench ? c.bench : "(last)"));
    std::string out = Fixture(c.file);
    elmo_trial_metrics m{};
    elmo_error err{};
    ASSERT_EQ(elmo_dbbench_parse(out.c_str(), c.bench, &m, &err), ELMO_OK) << err.message;
    EXPECT_DOUBLE_EQ(m.ops_per_sec, c.ops);
    EXPECT_DOUBLE_EQ(m.micros_per_op, c.micros_per_op);
    EXPECT_NEAR(m.p50_us, c.p50, 0.006);
    EXPECT_NEAR(m.p99_us, c.p99, 0.006);
    EXPECT_NEAR(m.p999_us, c.p999, 0.006);
    EXPECT_DOUBLE_EQ(m.read_p99_us, c.read_p99);
    EXPECT_DOUBLE_EQ(m.write_p99_us, c.write_p99);
    EXPECT_DOUBLE_EQ(m.stall_micros, c.stall_micros);
    EXPECT_NEAR(m.write_amp, c.write_amp, 1e-9);
    EXPECT_NEAR(m.cache_hit_rate, c.cache_hit_rate, 1e-9);
    EXPECT_EQ(m.pending_compaction_bytes, 0u);
    EXPECT_EQ(m.n_interval, 0u);  // untouched
  }
}

struct ErrorCase {
  const char* name;
  const char* output;
  const char* bench;
  elmo_rc rc;
  const char* message_has;
};

const ErrorCase kErrors[] = {
    {"absent bench", "fillrandom   :       4.833 micros/op 206879 ops/sec 0.483 seconds\n",
     "readrandom", ELMO_EPARSE, "readrandom"},
    {"prefix of a longer name", "fillrandom   :       4.833 micros/op 206879 ops/sec\n", "fill",
     ELMO_EPARSE, "fill"},
    {"skipped", "fillrandom   : skipped (--use_existing_db is true)\n", "fillrandom", ELMO_EPARSE,
     "use_existing_db"},
    {"empty", "", "readrandom", ELMO_EPARSE, "readrandom"},
    {"garbage", "\x01\x02 : : micros/op\n\n", nullptr, ELMO_EPARSE, "result line"},
    {"null output", nullptr, "readrandom", ELMO_EINVAL, "NULL"},
};

// Each "Microseconds per X" block is kept by type, and the time shares say where the time goes:
// in the mixgraph fixture 1% of the operations are seeks and 28% of the time.
TEST(DbBenchParse, LatencyByOperationType) {
  std::string out = Fixture("mixgraph.txt");
  elmo_trial_metrics m{};
  elmo_error err{};
  ASSERT_EQ(elmo_dbbench_parse(out.c_str(), "mixgraph", &m, &err), ELMO_OK) << err.message;
  ASSERT_EQ(m.n_op_types, 3u);
  const char* types[] = {"read", "write", "seek"};
  const uint64_t counts[] = {169822, 28200, 1978};
  const double avg[] = {5.2127, 6.6661, 207.2740}, p99[] = {14.96, 14.96, 2918.33};
  double total = 0;
  for (int i = 0; i < 3; i++) total += counts[i] * avg[i];
  for (size_t i = 0; i < 3; i++) {
    SCOPED_TRACE(types[i]);
    EXPECT_STREQ(m.op_types[i].type, types[i]);
    EXPECT_EQ(m.op_types[i].count, counts[i]);
    EXPECT_DOUBLE_EQ(m.op_types[i].avg_us, avg[i]);
    EXPECT_DOUBLE_EQ(m.op_types[i].p99_us, p99[i]);
    EXPECT_NEAR(m.op_types[i].time_share, counts[i] * avg[i] / total, 1e-12);
  }
  EXPECT_NEAR(m.op_types[2].time_share, 0.2764, 1e-4);
  EXPECT_DOUBLE_EQ(m.op_types[2].p999_us, 4424.20);
  // A single-type benchmark has one block with all the time; no histogram, no types.
  std::string one = Fixture("fillrandom_readrandom.txt");
  ASSERT_EQ(elmo_dbbench_parse(one.c_str(), "readrandom", &m, &err), ELMO_OK);
  ASSERT_EQ(m.n_op_types, 1u);
  EXPECT_STREQ(m.op_types[0].type, "read");
  EXPECT_DOUBLE_EQ(m.op_types[0].time_share, 1.0);
  std::string bare = "fillrandom   :       4.833 micros/op 206879 ops/sec 0.483 seconds 100000 operations;\n";
  ASSERT_EQ(elmo_dbbench_parse(bare.c_str(), "fillrandom", &m, &err), ELMO_OK);
  EXPECT_EQ(m.n_op_types, 0u);
}

// More blocks than slots: the first ELMO_TRIAL_MAX_OP_TYPES are kept, the merged percentiles still
// count them all, and a long type name is cut, never overflowed.
TEST(DbBenchParse, ManyOperationTypesAreCapped) {
  std::string out = "mixgraph     :       7.414 micros/op 134873 ops/sec 1.0 seconds 100 operations;\n";
  for (int i = 0; i < ELMO_TRIAL_MAX_OP_TYPES + 3; i++) {
    out += "Microseconds per " + std::string(i == 0 ? "averyveryverylongoperationname" : "op" + std::to_string(i)) +
           ":\nCount: 10 Average: 2.0000  StdDev: 0.00\nMin: 1  Median: 2.0000  Max: 3\n"
           "Percentiles: P50: 2.00 P75: 2.50 P99: 3.00 P99.9: 3.00 P99.99: 3.00\n"
           "------------------------------------------------------\n"
           "(       1,       2 ]       10 100.000% 100.000% ####################\n\n";
  }
  elmo_trial_metrics m{};
  elmo_error err{};
  ASSERT_EQ(elmo_dbbench_parse(out.c_str(), "mixgraph", &m, &err), ELMO_OK) << err.message;
  ASSERT_EQ(m.n_op_types, (size_t)ELMO_TRIAL_MAX_OP_TYPES);
  EXPECT_EQ(std::string(m.op_types[0].type), std::string("averyveryverylongoperationname").substr(0, 15));
  EXPECT_STREQ(m.op_types[1].type, "op1");
  double shares = 0;
  for (size_t i = 0; i < m.n_op_types; i++) shares += m.op_types[i].time_share;
  EXPECT_NEAR(shares, 1.0, 1e-12);
  EXPECT_NEAR(m.p99_us, 2.0, 1.0);
}

TEST(DbBenchParse, Errors) {
  for (const ErrorCase& c : kErrors) {
    SCOPED_TRACE(c.name);
    elmo_trial_metrics m{};
    m.ops_per_sec = 99;
    elmo_error err{};
    EXPECT_EQ(elmo_dbbench_parse(c.output, c.bench, &m, &err), c.rc);
    EXPECT_EQ(err.code, c.rc);
    EXPECT_NE(std::string(err.message).find(c.message_has), std::string::npos) << err.message;
    EXPECT_EQ(m.ops_per_sec, 0);  // cleared before failing
    EXPECT_EQ(m.cache_hit_rate, -1);
  }
  EXPECT_EQ(elmo_dbbench_parse("x", "x", nullptr, nullptr), ELMO_EINVAL);
}

struct EdgeCase {
  const char* name;
  const char* output;
  double ops, p99, read_p99;
  uint64_t pending;
};

const EdgeCase kEdges[] = {
    {"no histogram", "readrandom   :  2.0 micros/op 500000 ops/sec 1 seconds 5 operations;\n",
     500000, 0, 0, 0},
    {"buckets cut off: printed percentiles",
     "readrandom : 2.0 micros/op 500000 ops/sec 1 seconds 5 operations;\n"
     "Microseconds per read:\nCount: 100 Average: 2  StdDev: 1\nMin: 0  Median: 1.5  Max: 9\n"
     "Percentiles: P50: 1.50 P75: 2.00 P99: 7.25 P99.9: 9.00 P99.99: 9.00\n"
     "------------------------------------------------------\n"
     "[       0,       1 ]       40  40.000%  40.000% ########\n",
     500000, 7.25, 7.25, 0},
    {"CRLF line ends and a pending-compaction line",
     "readrandom : 2.0 micros/op 1000 ops/sec 1 seconds 5 operations;\r\n\r\n"
     "STATISTICS:\r\nrocksdb.estimate-pending-compaction-bytes: 123456789\r\n",
     1000, 0, 0, 123456789},
    {"the last result line wins",
     "readrandom : 2.0 micros/op 1000 ops/sec 1 seconds 5 operations;\n"
     "readrandom : 4.0 micros/op 2000 ops/sec 1 seconds 5 operations;\n",
     2000, 0, 0, 0},
};

TEST(DbBenchParse, EdgeCases) {
  for (const EdgeCase& c : kEdges) {
    SCOPED_TRACE(c.name);
    elmo_trial_metrics m{};
    elmo_error err{};
    ASSERT_EQ(elmo_dbbench_parse(c.output, "readrandom", &m, &err), ELMO_OK) << err.message;
    EXPECT_DOUBLE_EQ(m.ops_per_sec, c.ops);
    EXPECT_DOUBLE_EQ(m.p99_us, c.p99);
    EXPECT_DOUBLE_EQ(m.read_p99_us, c.read_p99);
    EXPECT_EQ(m.pending_compaction_bytes, c.pending);
    EXPECT_EQ(m.cache_hit_rate, -1);
  }
}

// The benchmarks before the measured one (a compact, a fill) are its set-up: their seconds are
// summed; the measured one's and later ones' are not.
TEST(DbBenchParse, SetupSecondsAreTheEarlierBenchmarks) {
  const std::string out = Fixture("fillrandom_readrandom.txt");
  elmo_trial_metrics m{};
  elmo_error err{};
  ASSERT_EQ(elmo_dbbench_parse(out.c_str(), "readrandom", &m, &err), ELMO_OK) << err.message;
  EXPECT_DOUBLE_EQ(m.setup_seconds, 0.483) << "fillrandom ran first";
  ASSERT_EQ(elmo_dbbench_parse(out.c_str(), "fillrandom", &m, &err), ELMO_OK) << err.message;
  EXPECT_DOUBLE_EQ(m.setup_seconds, 0);
  const char* compact =
      "compact      :  512000.000 micros/op 1 ops/sec 0.512 seconds 1 operations;\n"
      "elmoreplay   :      11.286 micros/op 177160 ops/sec 2.670 seconds 472999 operations;\n";
  ASSERT_EQ(elmo_dbbench_parse(compact, "elmoreplay", &m, &err), ELMO_OK) << err.message;
  EXPECT_DOUBLE_EQ(m.setup_seconds, 0.512);
  EXPECT_DOUBLE_EQ(m.ops_per_sec, 177160);
}

struct ReportCase {
  const char* name;
  const char* csv;
  elmo_rc rc;
  std::vector<double> ops;
};

const ReportCase kReports[] = {
    {"header only", "secs_elapsed,interval_qps\n", ELMO_OK, {}},
    {"partial last line is ignored", "secs_elapsed,interval_qps\n1,100\n2,2", ELMO_OK, {100}},
    {"blank lines", "secs_elapsed,interval_qps\n1,100\n\n2,0\n", ELMO_OK, {100, 0}},
    {"no header", "1,100\n", ELMO_EPARSE, {}},
    {"empty (not written yet)", "", ELMO_EPARSE, {}},
    {"garbage row", "secs_elapsed,interval_qps\n1,100\nabc\n", ELMO_EPARSE, {}},
    {"negative rate", "secs_elapsed,interval_qps\n1,-5\n", ELMO_EPARSE, {}},
};

TEST(DbBenchParseReport, Cases) {
  for (const ReportCase& c : kReports) {
    SCOPED_TRACE(c.name);
    elmo_trial_metrics m{};
    elmo_error err{};
    EXPECT_EQ(elmo_dbbench_parse_report(c.csv, &m, &err), c.rc) << err.message;
    if (c.rc == ELMO_OK) {
      ASSERT_EQ(m.n_interval, c.ops.size());
      for (size_t i = 0; i < c.ops.size(); i++) EXPECT_EQ(m.interval_ops[i], c.ops[i]);
    }
    elmo_free(m.interval_ops);
  }
}

TEST(DbBenchParseReport, RealReportReplacesEarlierIntervals) {
  elmo_trial_metrics m{};
  ASSERT_EQ(elmo_dbbench_parse_report("secs_elapsed,interval_qps\n1,7\n", &m, nullptr), ELMO_OK);
  std::string csv = Fixture("report.csv");
  ASSERT_EQ(elmo_dbbench_parse_report(csv.c_str(), &m, nullptr), ELMO_OK);
  ASSERT_EQ(m.n_interval, 4u);
  EXPECT_EQ(m.interval_ops[0], 164856);
  EXPECT_EQ(m.interval_ops[3], 206347);
  elmo_free(m.interval_ops);
}

TEST(TrialNames, Status) {
  EXPECT_STREQ(elmo_trial_status_name(ELMO_TRIAL_OK), "ok");
  EXPECT_STREQ(elmo_trial_status_name(ELMO_TRIAL_FAILED), "failed");
  EXPECT_STREQ(elmo_trial_status_name(ELMO_TRIAL_TIMEOUT), "timeout");
  EXPECT_STREQ(elmo_trial_status_name(ELMO_TRIAL_OOM), "oom");
  EXPECT_STREQ(elmo_trial_status_name(ELMO_TRIAL_ABORTED), "aborted");
  EXPECT_STREQ(elmo_trial_status_name(static_cast<elmo_trial_status>(42)), "unknown");
}

}  // namespace
