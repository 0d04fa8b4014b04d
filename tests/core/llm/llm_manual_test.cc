// llm_manual_test.cc — the provider "manual" (llm_manual.c): a person answers. A test thread plays
// the person: it waits for DIR/prompt-NNN.md and writes the answer file (or writes into a pipe
// given as the input), and the tests check the reply, the files, the transcript, the wait's
// cancellation and timeout, the bad answers and directories, and that a malformed answer meets
// the calibrator through elmo_advise exactly as an LLM's does.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <thread>

#include "catalog_fixture.h"
#include "elmo/advise.h"
#include "elmo/calibrate.h"
#include "elmo/facts.h"
#include "elmo/optfile.h"
#include "llm_fixture.h"

namespace fs = std::filesystem;

namespace elmo_test {
namespace {

const elmo_message kAsk[] = {
    {ELMO_ROLE_SYSTEM, "You tune RocksDB 7.8.3."},
    {ELMO_ROLE_USER, "## Workload\n90% reads.\n\nFacts (machine-readable):\n```json\n{\"cpus\":2}\n```\n"},
};
constexpr size_t kAskN = sizeof kAsk / sizeof kAsk[0];

constexpr char kIni[] = "Raise the background jobs.\n```ini\n[DBOptions]\nmax_background_jobs=4\n```";

class Manual : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::string(ELMO_TEST_WORK) + "/manual-" + std::to_string(getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    transcript_ = dir_ + "/transcript.jsonl";
  }
  void TearDown() override {
    if (person_.joinable()) person_.join();
    elmo_llm_reply_clear(&reply_);
    elmo_llm_destroy(llm_);
    if (!HasFailure()) fs::remove_all(dir_);
  }

  // A manual provider answering in DIR/manual (beside the transcript), files only, quiet.
  elmo_llm_config Config(const std::string& spec = "manual") {
    spec_ = spec;
    elmo_llm_config c = {};
    c.spec = spec_.c_str();
    c.transcript_path = transcript_.c_str();
    c.manual_input_fd = -1;
    c.manual_quiet = 1;
    return c;
  }
  elmo_rc Create(const elmo_llm_config& c) {
    elmo_llm_destroy(llm_);
    llm_ = nullptr;
    err_ = elmo_error{};
    return elmo_llm_create(&c, &llm_, &err_);
  }
  elmo_rc Complete() {
    elmo_llm_reply_clear(&reply_);
    err_ = elmo_error{};
    return elmo_llm_complete(llm_, kAsk, kAskN, &reply_, &err_);
  }
  std::string Path(const std::string& name) const { return dir_ + "/manual/" + name; }

  // The person: once `prompt` appears, does `act` (on this test's thread object).
  void Person(const std::string& prompt, std::function<void()> act) {
    if (person_.joinable()) person_.join();
    person_ = std::thread([prompt, act] {
      if (WaitForFile(prompt, 30)) act();
    });
  }

  std::string dir_, transcript_, spec_;
  elmo_llm* llm_ = nullptr;
  elmo_llm_reply reply_ = {};
  elmo_error err_ = {};
  std::thread person_;
};

TEST_F(Manual, NamesItselfAsAPersonNotALanguageModel) {
  ASSERT_EQ(Create(Config()), ELMO_OK) << err_.message;
  EXPECT_STREQ(elmo_llm_provider(llm_), "manual");
  EXPECT_EQ(elmo_llm_is_language_model(llm_), 0);
  EXPECT_TRUE(Contains(elmo_llm_describe(llm_), dir_ + "/manual")) << elmo_llm_describe(llm_);
  EXPECT_TRUE(Contains(elmo_llm_describe(llm_), "not an LLM")) << elmo_llm_describe(llm_);
  EXPECT_TRUE(fs::is_directory(dir_ + "/manual"));
}

TEST_F(Manual, AnAnswerFileWrittenAfterThePromptIsTheReply) {
  ASSERT_EQ(Create(Config()), ELMO_OK) << err_.message;
  // The .md answer by rename for request 1, the .txt answer written in place for request 2.
  struct Case {
    const char* answer_file;
    bool rename;
  } cases[] = {{"answer-001.md", true}, {"answer-002.txt", false}};
  for (size_t i = 0; i < 2; i++) {
    const std::string prompt = Path("prompt-00" + std::to_string(i + 1) + ".md");
    const std::string answer = Path(cases[i].answer_file);
    const bool rename = cases[i].rename;
    Person(prompt, [answer, rename] {
      const std::string text = std::string(kIni) + "\n  END \nanything after END is not the answer\n";
      if (rename) WriteByRename(answer, text); else WriteFile(answer, text);
    });
    ASSERT_EQ(Complete(), ELMO_OK) << cases[i].answer_file << ": " << err_.message;
    EXPECT_STREQ(reply_.text, kIni) << cases[i].answer_file;
    EXPECT_STREQ(reply_.model, "person");
    // The request file is the conversation as an LLM gets it, facts block included.
    const std::string asked = ReadFile(prompt);
    EXPECT_NE(asked.find("# Instructions\n\nYou tune RocksDB 7.8.3."), std::string::npos) << asked;
    EXPECT_NE(asked.find("# Request\n\n## Workload"), std::string::npos) << asked;
    EXPECT_NE(asked.find("Facts (machine-readable):\n```json\n{\"cpus\":2}"), std::string::npos) << asked;
  }
  // The transcript has both exchanges like any provider's, with the files.
  auto lines = Lines(ReadFile(transcript_));
  ASSERT_EQ(lines.size(), 2u);
  for (size_t i = 0; i < 2; i++) {
    Json j = ParseJson(lines[i]);
    ASSERT_TRUE(j) << lines[i];
    EXPECT_EQ(Str(j.get(), "provider"), "manual");
    EXPECT_EQ(Str(j.get(), "answer"), kIni);
    EXPECT_TRUE(cJSON_IsNull(Get(j.get(), "error")));
    const cJSON* files = Get(j.get(), "manual");
    EXPECT_EQ(Str(files, "prompt"), Path("prompt-00" + std::to_string(i + 1) + ".md"));
    EXPECT_EQ(Str(files, "answer"), Path(cases[i].answer_file));
  }
}

TEST_F(Manual, AFileIsTakenOnlyOnceItHasItsEndLine) {
  ASSERT_EQ(Create(Config()), ELMO_OK) << err_.message;
  const std::string answer = Path("answer-001.md");
  Person(Path("prompt-001.md"), [answer] {
    WriteFile(answer, std::string(kIni) + "\n");  // still being written: no END yet
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    WriteFile(answer, std::string(kIni) + "\nand a last line\nEND");  // END without a line break
  });
  auto t0 = Clock::now();
  ASSERT_EQ(Complete(), ELMO_OK) << err_.message;
  EXPECT_GE(Since(t0), 0.4) << "the unfinished file was taken";
  EXPECT_EQ(std::string(reply_.text), std::string(kIni) + "\nand a last line");
}

TEST_F(Manual, AnswersComeThroughAPipeEndedByEndOrByTheEndOfInput) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  elmo_llm_config c = Config();
  c.manual_input_fd = fds[0];
  c.total_timeout_ms = 500;  // for the last request, once the pipe is closed
  ASSERT_EQ(Create(c), ELMO_OK) << err_.message;
  const int w = fds[1];
  auto put = [w](const std::string& s) { ASSERT_EQ(write(w, s.data(), s.size()), (ssize_t)s.size()); };
  // Two answers at once: the second stays for the next request.
  Person(Path("prompt-001.md"), [put] { put("answer one\nEND\n\n answer two\r\n END\r\n"); });
  ASSERT_EQ(Complete(), ELMO_OK) << err_.message;
  EXPECT_STREQ(reply_.text, "answer one");
  ASSERT_EQ(Complete(), ELMO_OK) << err_.message;
  EXPECT_STREQ(reply_.text, "answer two");
  // The third ends with the input itself.
  Person(Path("prompt-003.md"), [put, w] {
    put("answer three\n");
    close(w);
  });
  ASSERT_EQ(Complete(), ELMO_OK) << err_.message;
  EXPECT_STREQ(reply_.text, "answer three");
  // The input is over: files only, and the time limit holds.
  EXPECT_EQ(Complete(), ELMO_ETIMEOUT);
  EXPECT_TRUE(Contains(err_.message, Path("answer-004.md"))) << err_.message;
  Json j = ParseJson(Lines(ReadFile(transcript_)).at(0));
  EXPECT_EQ(Str(Get(j.get(), "manual"), "answer"), "stdin");
  close(fds[0]);
}

TEST_F(Manual, CancelEndsTheWaitWithAClearError) {
  // Both ways in: the caller's flag (Ctrl-C) and elmo_llm_cancel (a closing DB).
  for (int way = 0; way < 2; way++) {
    volatile int flag = 0;
    elmo_llm_config c = Config();
    c.cancel = &flag;
    ASSERT_EQ(Create(c), ELMO_OK) << err_.message;
    elmo_llm* llm = llm_;
    const std::string prompt = Path("prompt-00" + std::to_string(way + 1) + ".md");
    Person(prompt, [way, &flag, llm] {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      if (way == 0) flag = 1; else elmo_llm_cancel(llm);
    });
    auto t0 = Clock::now();
    EXPECT_EQ(Complete(), ELMO_ECANCELED) << way;
    EXPECT_LT(Since(t0), 10.0) << way;
    EXPECT_TRUE(Contains(err_.message, "cancelled while waiting")) << err_.message;
    EXPECT_TRUE(Contains(err_.message, prompt)) << err_.message;
    person_.join();
  }
  // Failed exchanges are in the transcript too.
  auto lines = Lines(ReadFile(transcript_));
  ASSERT_EQ(lines.size(), 2u);
  Json j = ParseJson(lines[1]);
  EXPECT_TRUE(cJSON_IsNull(Get(j.get(), "answer")));
  EXPECT_EQ(Str(Get(j.get(), "error"), "code"), elmo_strerror(ELMO_ECANCELED));
  EXPECT_TRUE(cJSON_IsNull(Get(Get(j.get(), "manual"), "answer")));
}

TEST_F(Manual, TheTimeoutEndsTheWaitAndSaysWhatWasMissing) {
  elmo_llm_config c = Config();
  c.total_timeout_ms = 300;
  ASSERT_EQ(Create(c), ELMO_OK) << err_.message;
  auto t0 = Clock::now();
  EXPECT_EQ(Complete(), ELMO_ETIMEOUT);
  EXPECT_GE(Since(t0), 0.3);
  EXPECT_LT(Since(t0), 10.0);
  EXPECT_TRUE(Contains(err_.message, Path("answer-001.md"))) << err_.message;
  EXPECT_TRUE(Contains(err_.message, "END")) << err_.message;
  // A file without its END line: named as unfinished.
  WriteFile(Path("answer-002.txt"), kIni);
  EXPECT_EQ(Complete(), ELMO_ETIMEOUT);
  EXPECT_TRUE(Contains(err_.message, Path("answer-002.txt") + " is there but has no line END yet"))
      << err_.message;
}

TEST_F(Manual, BadAnswersAreClearErrors) {
  struct Case {
    const char* name;
    std::function<void(const std::string&)> make;  // makes the answer at this path
    elmo_rc rc;
    const char* says;
  } cases[] = {
      {"empty", [](const std::string& p) { WriteFile(p, "END\n"); }, ELMO_EPROTO, "is empty"},
      {"blank", [](const std::string& p) { WriteFile(p, "  \n\n\t\nEND\n"); }, ELMO_EPROTO, "is empty"},
      {"a directory", [](const std::string& p) { fs::create_directories(p); }, ELMO_EIO,
       "not a regular file"},
      {"too big", [](const std::string& p) { WriteFile(p, std::string(200, 'x') + "\nEND\n"); },
       ELMO_ETOOBIG, "larger than 64 bytes"},
  };
  for (const Case& k : cases) {
    fs::remove_all(dir_ + "/manual");
    elmo_llm_config c = Config();
    c.max_response_bytes = 64;
    c.total_timeout_ms = 20000;
    ASSERT_EQ(Create(c), ELMO_OK) << err_.message;
    const std::string answer = Path("answer-001.md");
    auto make = k.make;
    Person(Path("prompt-001.md"), [make, answer] { make(answer); });
    EXPECT_EQ(Complete(), k.rc) << k.name << ": " << err_.message;
    EXPECT_TRUE(Contains(err_.message, k.says)) << k.name << ": " << err_.message;
    EXPECT_TRUE(Contains(err_.message, answer)) << k.name << ": " << err_.message;
    person_.join();
  }
}

TEST_F(Manual, BadDirectoriesAreRefusedAtCreate) {
  const std::string file = dir_ + "/plain-file";
  WriteFile(file, "x");
  struct Case {
    std::string spec;
    const char* transcript;  // nullptr: none
    elmo_rc rc;
    std::string says;
  } cases[] = {
      {"manual:", "t.jsonl", ELMO_EINVAL, "no directory after 'manual:'"},
      {"manual", nullptr, ELMO_EINVAL, "give manual:DIR"},
      {"manual:" + file, nullptr, ELMO_EIO, file + ": it exists and is not a directory"},
      {"manual:" + file + "/sub", nullptr, ELMO_EIO, file + "/sub"},
      {"manually", nullptr, ELMO_EINVAL, "manual[:DIR]"},
  };
  for (const Case& k : cases) {
    elmo_llm_config c = Config(k.spec);
    c.transcript_path = k.transcript;
    EXPECT_EQ(Create(c), k.rc) << k.spec << ": " << err_.message;
    EXPECT_EQ(llm_, nullptr);
    EXPECT_TRUE(Contains(err_.message, k.says)) << k.spec << ": " << err_.message;
  }
}

TEST_F(Manual, NumbersGoOnAfterTheFilesAlreadyThereSoAnOldAnswerIsNeverTaken) {
  const std::string dir = dir_ + "/elsewhere";
  fs::create_directories(dir);
  WriteFile(dir + "/prompt-007.md", "an old request");
  WriteFile(dir + "/answer-007.md", "an old answer\nEND\n");
  WriteFile(dir + "/answer-012.txt.swp", "not a request file");
  ASSERT_EQ(Create(Config("manual:" + dir)), ELMO_OK) << err_.message;
  const std::string answer = dir + "/answer-008.md";
  Person(dir + "/prompt-008.md", [answer] { WriteByRename(answer, "the new answer\nEND\n"); });
  ASSERT_EQ(Complete(), ELMO_OK) << err_.message;
  EXPECT_STREQ(reply_.text, "the new answer");
  EXPECT_FALSE(fs::exists(dir_ + "/manual")) << "manual:DIR must not use the default directory";
}

TEST_F(Manual, InstructionsGoToStderrUnlessQuiet) {
  elmo_llm_config c = Config();
  c.manual_quiet = 0;
  ASSERT_EQ(Create(c), ELMO_OK) << err_.message;
  const std::string answer = Path("answer-001.md");
  Person(Path("prompt-001.md"), [answer] { WriteByRename(answer, "ok\nEND\n"); });
  testing::internal::CaptureStderr();
  elmo_rc rc = Complete();
  const std::string said = testing::internal::GetCapturedStderr();
  ASSERT_EQ(rc, ELMO_OK) << err_.message;
  for (const std::string& want : {std::string("request 1"), std::string("You tune RocksDB 7.8.3."),
                                  Path("prompt-001.md"), answer, Path("answer-001.txt"),
                                  std::string("only END"), std::string("without a time limit"),
                                  std::string("Ctrl-C")}) {
    EXPECT_NE(said.find(want), std::string::npos) << "missing '" << want << "' in:\n" << said;
  }
  // Quiet: the request is still written, nothing is said.
  person_.join();
  c.manual_quiet = 1;
  ASSERT_EQ(Create(c), ELMO_OK) << err_.message;
  Person(Path("prompt-002.md"), [this] { WriteByRename(Path("answer-002.md"), "ok\nEND\n"); });
  testing::internal::CaptureStderr();
  rc = Complete();
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
  EXPECT_EQ(rc, ELMO_OK) << err_.message;
}

// The answer goes down the same path as an LLM's: prose without options is elmo_advise's
// ELMO_EPARSE (the loop notes it), options it does not know are the calibrator's rejections.
TEST_F(Manual, AMalformedAnswerMeetsTheCalibratorLikeAnLlmAnswer) {
  ASSERT_EQ(Create(Config()), ELMO_OK) << err_.message;
  const elmo_catalog* cat = FixtureCatalog();
  ASSERT_NE(cat, nullptr);
  elmo_optfile* base = elmo_optfile_create();
  ASSERT_NE(base, nullptr);
  elmo_facts facts;
  elmo_facts_init(&facts);
  facts.phase = "tune";
  elmo_calibrate_policy policy = {};
  elmo_advice_request req = {&facts, kAsk, kAskN, cat, base, &policy};
  elmo_advice advice;

  Person(Path("prompt-001.md"), [this] {
    WriteByRename(Path("answer-001.md"), "I would give it more memory, but I am not sure.\nEND\n");
  });
  EXPECT_EQ(elmo_advise(&req, llm_, &advice, &err_), ELMO_EPARSE) << err_.message;
  EXPECT_STREQ(advice.answer, "I would give it more memory, but I am not sure.");
  EXPECT_EQ(advice.calibration, nullptr);
  elmo_advice_clear(&advice);
  // The facts block went into the request, as it does for an LLM.
  EXPECT_NE(ReadFile(Path("prompt-001.md")).find("{\"elmo_facts\":1,\"phase\":\"tune\""), std::string::npos)
      << ReadFile(Path("prompt-001.md"));

  person_.join();
  Person(Path("prompt-002.md"), [this] {
    WriteByRename(Path("answer-002.md"),
                  "```ini\n[DBOptions]\nmax_background_jobs=4\nmax_background_jbos=2\n```\nEND\n");
  });
  ASSERT_EQ(elmo_advise(&req, llm_, &advice, &err_), ELMO_OK) << err_.message;
  ASSERT_NE(advice.calibration, nullptr);
  EXPECT_EQ(advice.calibration->n_accepted, 1u);
  EXPECT_EQ(advice.calibration->n_rejected, 1u);
  elmo_advice_clear(&advice);
  elmo_optfile_destroy(base);
}

}  // namespace
}  // namespace elmo_test
