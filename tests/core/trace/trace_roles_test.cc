// trace_roles_test.cc — ELMo's side file beside a trace (thread ids and scan lengths, trace.h):
// the reader puts them on the ops, the characterizer counts ops per thread and scan lengths, and
// the model turns threads into roles (writers at their measured rate, readers unlimited) with a
// measured scan length. Bad side files are errors that name the file.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "elmo/model.h"
#include "elmo/trace.h"
#include "file_text.h"
#include "model_handles.h"
#include "trace_builder.h"

namespace {

using elmo_test::Batch;
using elmo_test::KeyOf;
using elmo_test::TraceBuilder;

std::string WorkPath(const std::string& name) { return std::string(ELMO_TEST_WORK) + "/" + name; }

// A side file being built: "ELMOTID1\n", then 'T' and 'N' entries.
struct Side {
  std::string bytes = "ELMOTID1\n";
  Side& Thread(uint16_t id) {
    bytes.push_back('T');
    bytes.push_back(static_cast<char>(id & 0xFF));
    bytes.push_back(static_cast<char>(id >> 8));
    return *this;
  }
  Side& Scan(uint64_t record, uint32_t moves) {
    bytes.push_back('N');
    elmo_test::PutFixed64(&bytes, record);
    elmo_test::PutFixed32(&bytes, moves);
    return *this;
  }
};

// One writer (thread 2) and three readers (3, 4, 5) seeking with `nexts` Next calls, over
// `seconds`; thread 1 opened the DB (the Begin record). Records are numbered from 0 (Begin).
void WriteProgram(const std::string& path, int rounds, double seconds, uint32_t nexts,
                  bool with_side = true) {
  TraceBuilder t;
  Side side;
  t.Begin(1000);
  side.Thread(1);
  uint64_t record = 1;
  const uint64_t step = static_cast<uint64_t>(seconds * 1e6 / rounds);
  for (int i = 0; i < rounds; i++) {
    const uint64_t ts = 1000 + step * static_cast<uint64_t>(i);
    t.Write(ts, Batch().Put(KeyOf(100000 + i), std::string(100, 'v')));
    side.Thread(2);
    record++;
    for (uint16_t reader = 3; reader <= 5; reader++) {
      t.Seek(ts, false, KeyOf((i * 7919u + reader) % 5000));
      side.Thread(reader).Scan(record, nexts);
      record++;
    }
  }
  elmo_test::WriteFile(path, t.bytes);
  std::remove((path + ELMO_TRACE_SIDE_SUFFIX).c_str());
  if (with_side) elmo_test::WriteFile(path + ELMO_TRACE_SIDE_SUFFIX, side.bytes);
}

elmo_test::Summary Characterize(const std::string& path) {
  elmo_trace_summary* sum = nullptr;
  elmo_error err{};
  EXPECT_EQ(elmo_trace_characterize(path.c_str(), nullptr, nullptr, &sum, &err), ELMO_OK)
      << err.message;
  return elmo_test::Summary(sum);
}

TEST(TraceSide, OpsCarryTheirThreadAndScanLength) {
  const std::string path = WorkPath("roles-ops.trace");
  WriteProgram(path, 3, 1, 7);
  elmo_trace_reader* r = nullptr;
  elmo_error err{};
  ASSERT_EQ(elmo_trace_reader_open(path.c_str(), nullptr, &r, &err), ELMO_OK) << err.message;
  EXPECT_EQ(elmo_trace_reader_counters(r).has_side, 1);
  elmo_trace_op op;
  const uint32_t want_thread[] = {2, 3, 4, 5};
  for (int i = 0; i < 12; i++) {
    ASSERT_EQ(elmo_trace_reader_next(r, &op, &err), ELMO_OK) << err.message;
    EXPECT_EQ(op.thread, want_thread[i % 4]) << "op " << i;
    if (op.kind == ELMO_TRACE_SEEK) {
      EXPECT_EQ(op.has_scan_length, 1);
      EXPECT_EQ(op.scan_length, 7u);
    } else {
      EXPECT_EQ(op.kind, ELMO_TRACE_PUT);
      EXPECT_EQ(op.has_scan_length, 0);
    }
  }
  ASSERT_EQ(elmo_trace_reader_next(r, &op, &err), ELMO_OK);
  EXPECT_EQ(op.kind, ELMO_TRACE_END);
  elmo_trace_reader_destroy(r);
}

TEST(TraceSide, TheSummaryCountsOpsPerThreadAndScanLengths) {
  const std::string path = WorkPath("roles-summary.trace");
  WriteProgram(path, 50, 2, 9);
  auto sum = Characterize(path);
  ASSERT_TRUE(sum);
  EXPECT_EQ(sum->ops_thread_unknown, 0u);
  ASSERT_EQ(sum->n_threads, 4u);  // thread 1 wrote only the Begin record: no ops
  EXPECT_EQ(sum->threads[0].id, 2u);
  EXPECT_EQ(sum->threads[0].counts[ELMO_TRACE_PUT], 50u);
  EXPECT_EQ(sum->threads[0].ops, 50u);
  for (size_t i = 1; i < 4; i++) {
    EXPECT_EQ(sum->threads[i].id, i + 2);
    EXPECT_EQ(sum->threads[i].counts[ELMO_TRACE_SEEK], 50u);
    EXPECT_EQ(sum->threads[i].ops, 50u);
  }
  EXPECT_EQ(sum->scan_length.count, 150u);
  EXPECT_EQ(sum->scan_length.min, 9u);
  EXPECT_EQ(sum->scan_length.max, 9u);
}

TEST(TraceSide, WithoutASideFileOpsHaveNoThread) {
  const std::string path = WorkPath("roles-none.trace");
  WriteProgram(path, 20, 1, 9, /*with_side=*/false);
  auto sum = Characterize(path);
  ASSERT_TRUE(sum);
  EXPECT_EQ(sum->n_threads, 0u);
  EXPECT_EQ(sum->ops_thread_unknown, sum->ops);
  EXPECT_EQ(sum->scan_length.count, 0u);
}

TEST(TraceSide, ASideFileCutShortLeavesTheRestUnknown) {
  const std::string path = WorkPath("roles-cut.trace");
  WriteProgram(path, 10, 1, 4);
  const std::string side = elmo_test::ReadFile(path + ELMO_TRACE_SIDE_SUFFIX);
  // Keep the Begin's entry and the first round (writer, then 3 x (thread + scan)), then half an
  // entry: a writer killed mid-write.
  const size_t round = 3 + 3 * (3 + 13);
  elmo_test::WriteFile(path + ELMO_TRACE_SIDE_SUFFIX, side.substr(0, 9 + 3 + round + 2));
  auto sum = Characterize(path);
  ASSERT_TRUE(sum);
  EXPECT_EQ(sum->ops_thread_unknown, sum->ops - 4);
  EXPECT_EQ(sum->n_threads, 4u);
  EXPECT_EQ(sum->scan_length.count, 3u);
}

TEST(TraceSide, BadSideFilesAreErrorsNamingTheFile) {
  const std::string path = WorkPath("roles-bad.trace");
  WriteProgram(path, 2, 1, 4);
  const std::string side = path + ELMO_TRACE_SIDE_SUFFIX;
  struct Case {
    std::string bytes, words;
  } cases[] = {
      {"NOTELMO\n", "not an ELMo thread file"},
      {std::string("ELMOTID1\nT\x01\x00X", 13), "unknown entry tag 0x58 at offset 12"},
  };
  for (const Case& c : cases) {
    elmo_test::WriteFile(side, c.bytes);
    elmo_trace_reader* r = nullptr;
    elmo_error err{};
    EXPECT_EQ(elmo_trace_reader_open(path.c_str(), nullptr, &r, &err), ELMO_EPARSE);
    EXPECT_EQ(r, nullptr);
    const std::string msg = err.message;
    EXPECT_NE(msg.find(side), std::string::npos) << msg;
    EXPECT_NE(msg.find(c.words), std::string::npos) << msg;
  }
}

// ---- the model -----------------------------------------------------------------------------

struct Modeled {
  elmo_test::Spec spec;
  elmo_test::Report report;
};

Modeled ModelOf(const std::string& path, elmo_model_rate_policy policy) {
  elmo_model_options o;
  elmo_model_options_init(&o);
  o.window_sec = 1;
  o.rate_policy = policy;
  elmo_spec* spec = nullptr;
  elmo_model_report* report = nullptr;
  elmo_error err{};
  EXPECT_EQ(elmo_model_from_trace(path.c_str(), &o, &spec, &report, &err), ELMO_OK) << err.message;
  return {elmo_test::Spec(spec), elmo_test::Report(report)};
}

TEST(ModelRoles, AWriterKeepsItsRateAndReadersRunUnlimited) {
  const std::string path = WorkPath("roles-model.trace");
  WriteProgram(path, 2000, 4, 12);
  Modeled m = ModelOf(path, ELMO_MODEL_RATE_UNLIMITED);
  ASSERT_TRUE(m.spec && m.report);
  const elmo_model_roles_report& rr = m.report->roles;
  EXPECT_EQ(rr.seen, 1);
  ASSERT_EQ(rr.modeled, 1) << rr.note;
  ASSERT_EQ(m.spec->n_phases, 1u);
  const elmo_spec_phase& p = m.spec->phases[0];
  ASSERT_EQ(p.n_groups, 2u);
  EXPECT_STREQ(p.groups[0].name, "writers");
  EXPECT_EQ(p.groups[0].threads, 1);
  EXPECT_DOUBLE_EQ(p.groups[0].mix[ELMO_SPEC_PUT], 1.0);
  ASSERT_EQ(p.groups[0].rate.kind, ELMO_RATE_FIXED);
  // 2000 puts over the trace's 4 s (the last op is at 3.998 s).
  EXPECT_NEAR(p.groups[0].rate.qps, 2000 / 3.998, 2);
  EXPECT_STREQ(p.groups[1].name, "readers");
  EXPECT_EQ(p.groups[1].threads, 3);
  EXPECT_DOUBLE_EQ(p.groups[1].mix[ELMO_SPEC_SEEK], 1.0);
  EXPECT_EQ(p.groups[1].rate.kind, ELMO_RATE_UNLIMITED);
  EXPECT_EQ(p.threads, 4);
  // The scan length was measured, not assumed.
  const elmo_model_fit_report& scan = m.report->fits[ELMO_MODEL_SCAN_LENGTH];
  EXPECT_EQ(scan.modeled, 1);
  EXPECT_EQ(p.scan_length.kind, ELMO_DIST_FIXED);
  EXPECT_EQ(p.scan_length.params[0], 12);
  // The report says it.
  char* text = elmo_model_report_to_text(m.report.get());
  ASSERT_NE(text, nullptr);
  EXPECT_NE(std::string(text).find("writers: 1 thread"), std::string::npos) << text;
  EXPECT_NE(std::string(text).find("readers: 3 threads"), std::string::npos) << text;
  elmo_free(text);
}

TEST(ModelRoles, AFixedRateIsSplitByTheGroupsShares) {
  const std::string path = WorkPath("roles-fixed.trace");
  WriteProgram(path, 2000, 4, 12);
  Modeled m = ModelOf(path, ELMO_MODEL_RATE_FIXED);
  ASSERT_TRUE(m.spec);
  const elmo_spec_phase& p = m.spec->phases[0];
  ASSERT_EQ(p.n_groups, 2u);
  ASSERT_EQ(p.groups[0].rate.kind, ELMO_RATE_FIXED);
  ASSERT_EQ(p.groups[1].rate.kind, ELMO_RATE_FIXED);
  EXPECT_NEAR(p.groups[1].rate.qps / p.groups[0].rate.qps, 3.0, 1e-9);
}

TEST(ModelRoles, ATraceWithoutThreadIdsSaysItCouldNotSeeRoles) {
  const std::string path = WorkPath("roles-unseen.trace");
  WriteProgram(path, 500, 2, 12, /*with_side=*/false);
  Modeled m = ModelOf(path, ELMO_MODEL_RATE_UNLIMITED);
  ASSERT_TRUE(m.spec);
  EXPECT_EQ(m.report->roles.seen, 0);
  EXPECT_EQ(m.spec->phases[0].n_groups, 0u);
  EXPECT_NE(std::string(m.report->roles.note).find("roles not seen"), std::string::npos);
  EXPECT_EQ(m.report->fits[ELMO_MODEL_SCAN_LENGTH].modeled, 0);
  EXPECT_EQ(m.spec->phases[0].scan_length.params[0], 10);  // the options' assumption
}

}  // namespace
