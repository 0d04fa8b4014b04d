// cli_test.cc — the elmo command line: options, calibrate, diff; exit statuses and messages.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <string>

#include "file_text.h"
#include "run_command.h"

namespace {

using Result = elmo_test::CommandResult;

Result Elmo(const std::string& args) {
  return elmo_test::RunCommand(std::string(ELMO_OUT) + "/bin/elmo " + args);
}

std::string Write(const std::string& name, const std::string& text) {
  std::string path = std::string(ELMO_TEST_WORK) + "/" + name;
  elmo_test::WriteFile(path, text);
  return path;
}

bool Has(const Result& r, const std::string& s) { return r.out.find(s) != std::string::npos; }

}  // namespace

TEST(CliOptions, ListsOneOptionOrAll) {
  Result r = Elmo("options write_buffer_size");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_TRUE(Has(r, "write_buffer_size  [CFOptions]")) << r.out;
  EXPECT_TRUE(Has(r, "mutable")) << r.out;
  r = Elmo("options");
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(Has(r, "max_background_jobs")) << r.out.substr(0, 400);
  EXPECT_TRUE(Has(r, " options\n"));
  r = Elmo("options --json max_background_jobs");
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(Has(r, "\"name\":\t\"max_background_jobs\"")) << r.out;
  EXPECT_TRUE(Has(r, "\"mutable\":\ttrue")) << r.out;
}

TEST(CliOptions, UnknownNameIsAnErrorWithASuggestion) {
  Result r = Elmo("options max_backgroud_jobs");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(Has(r, "did you mean 'max_background_jobs'")) << r.out;
  r = Elmo("options --bogus");
  EXPECT_EQ(r.status, 2);
}

TEST(CliCalibrate, WritesTheMergedFileAndReports) {
  std::string answer = Write("cli-answer.txt",
                             "Proposed:\n```\nwrite_buffer_size: 128MB\nmax_background_jobs=4\n"
                             "bogus_option=1\n```\n");
  std::string out = std::string(ELMO_TEST_WORK) + "/cli-out.ini";
  std::remove(out.c_str());
  Result r = Elmo("calibrate --answer " + answer + " -o " + out);
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_TRUE(Has(r, "2 accepted, 1 rejected, 0 unchanged")) << r.out;
  EXPECT_TRUE(Has(r, "unknown option 'bogus_option'")) << r.out;
  std::string text = elmo_test::ReadFile(out);
  EXPECT_NE(text.find("write_buffer_size=134217728"), std::string::npos) << text;
  EXPECT_NE(text.find("max_background_jobs=4"), std::string::npos) << text;

  r = Elmo("calibrate --json --answer " + answer);
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_TRUE(Has(r, "\"rejected\":")) << r.out;
  EXPECT_TRUE(Has(r, "\"to\":\t\"134217728\"")) << r.out;

  Result d = Elmo("diff " + Write("cli-empty.ini", "[Version]\n  rocksdb_version=7.8.3\n"
                                                  "[DBOptions]\n[CFOptions \"default\"]\n") + " " + out);
  EXPECT_EQ(d.status, 0) << d.out;
  EXPECT_TRUE(Has(d, "max_background_jobs")) << d.out;
  EXPECT_TRUE(Has(d, "2 changed options")) << d.out;
}

TEST(CliCalibrate, BadInputsFailCleanly) {
  struct {
    std::string args;
    int status;
    const char* message;
  } cases[] = {
      {"calibrate", 2, "--answer is required"},
      {"calibrate --answer /nonexistent/answer.txt", 2, "cannot open /nonexistent/answer.txt"},
      {"calibrate --answer " + Write("cli-prose.txt", "Just use more memory.\n"), 1, "nothing usable"},
      {"calibrate --memory lots --answer x", 2, "--memory lots"},
      {"calibrate --answer " + Write("cli-locked.txt", "```\ncomparator=x\n```\n"), 1, "no change was accepted"},
      {"calibrate --base " + Write("cli-bad.ini", "[Nonsense]\na=1\n") + " --answer x", 2, "--base"},
      {"diff only-one.ini", 2, "usage: elmo diff"},
      {"frobnicate", 2, "unknown command 'frobnicate'"},
  };
  for (const auto& c : cases) {
    Result r = Elmo(c.args);
    EXPECT_EQ(r.status, c.status) << c.args << "\n" << r.out;
    EXPECT_TRUE(Has(r, c.message)) << c.args << "\n" << r.out;
  }
}

// elmo progress-chart: the peer benchmark's chart, one step line per tuner from its trials.csv.
TEST(CliProgressChart, DrawsEveryTunersBestSoFar) {
  std::string a = Write("cli-a.csv", "trial,ops_per_sec,best_so_far\n1,100,100\n2,80,100\n3,150,150\n");
  std::string b = Write("cli-b.csv", "trial,ops_per_sec,best_so_far\n1,90,90\n2,120,120\n");
  std::string out = std::string(ELMO_TEST_WORK) + "/cli-progress.svg";
  Result r = Elmo("progress-chart -o " + out + " --title readrandom elmotune=" + a + " random=" + b);
  ASSERT_EQ(r.status, 0) << r.out;
  std::string svg = elmo_test::ReadFile(out);
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("readrandom"), std::string::npos) << svg;
  EXPECT_NE(svg.find(">elmotune<"), std::string::npos) << svg;
  EXPECT_NE(svg.find(">random<"), std::string::npos) << svg;
  struct {
    std::string args;
    const char* message;
  } cases[] = {
      {"progress-chart elmotune=" + a, "usage: elmo progress-chart -o OUT.svg"},
      {"progress-chart -o " + out + " x=/nonexistent/trials.csv", "cannot open /nonexistent/trials.csv"},
      {"progress-chart -o " + out + " x=" + Write("cli-nocol.csv", "trial,ops\n1,2\n"), "no best_so_far column"},
      {"progress-chart -o " + out + " x=" + Write("cli-bad.csv", "trial,best_so_far\n1,fast\n"),
       "cli-bad.csv:2: best_so_far is not a number"},
      {"progress-chart -o " + out + " --bogus", "unexpected argument '--bogus'"},
  };
  for (const auto& c : cases) {
    Result e = Elmo(c.args);
    EXPECT_EQ(e.status, 2) << c.args << "\n" << e.out;
    EXPECT_TRUE(Has(e, c.message)) << c.args << "\n" << e.out;
  }
}
