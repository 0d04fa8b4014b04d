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
