// manual_test.cc — `db_bench --benchmarks=elmotune --elmo_llm=manual`: a person as the advisor.
// A test thread plays the person: it waits for OUTPUT/manual/prompt-001.md and answers with an
// OPTIONS change in answer-001.md; the tiny run (tune_test.cc's sizes) tries that change, and the
// report, history.json and the transcript say so. And Ctrl-C while the tuner waits for the
// person ends the run cleanly.
#include <cjson/cJSON.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "elmo/engine.h"
#include "elmo/tuner.h"
#include "file_text.h"
#include "run_command.h"

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

const std::string kDbBench = std::string(ELMO_OUT) + "/bin/db_bench";


class ManualAdvisor : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::string(ELMO_TEST_WORK) + "/manual-" + std::to_string(getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }
  std::string dir_;
};

TEST_F(ManualAdvisor, ElmotuneTriesTheChangeAPersonAnswered) {
  const std::string out = dir_ + "/out";
  const std::string prompt = out + "/manual/prompt-001.md", answer = out + "/manual/answer-001.md";
  std::string asked;
  std::thread person([&] {
    if (!elmo_test::WaitForFile(prompt, 300)) return;
    asked = elmo_test::ReadFile(prompt);
    elmo_test::WriteByRename(answer, "Bigger memtables for this write-only load.\n\n```ini\n[CFOptions \"default\"]\n"
                                     "write_buffer_size=32MB\n```\nEND\n");
  });
  // tune_test.cc's tiny run, one round and no fine-tuning: one request. stdin is /dev/null, which
  // the manual advisor does not watch (neither a pipe nor a terminal).
  auto r = elmo_test::RunCommand(
      kDbBench + " --benchmarks=elmotune --elmo_workload=fillrandom --elmo_llm=manual" +
      " --elmo_num=50000 --elmo_value_size=100 --elmo_trial_sec=2 --elmo_warmup_sec=1" +
      " --elmo_confirm=2 --elmo_confirm_max=4 --elmo_iterations=1 --elmo_finetune=-1" +
      " --elmo_recheck_band=-1 --elmo_cpus=2 --elmo_memory=512MiB --elmo_quiet=1" +
      " --elmo_output_dir=" + out + " --db=" + dir_ + "/db </dev/null");
  person.join();
  ASSERT_EQ(r.status, 0) << r.out;
  // The request is the prompt an LLM would get, facts included; stderr said what to do.
  EXPECT_NE(asked.find("# Request"), std::string::npos) << asked;
  EXPECT_NE(asked.find("Facts (machine-readable)"), std::string::npos) << asked;
  EXPECT_NE(r.out.find("ELMo manual advisor: request 1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(answer), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("or here: paste it"), std::string::npos) << "stdin is /dev/null: not offered\n" << r.out;
  EXPECT_FALSE(fs::exists(out + "/manual/prompt-002.md")) << "one round, one request";

  // The change was tried: a tune trial with it, in history.json and in report.md.
  const std::string history = elmo_test::ReadFile(out + "/history.json");
  cJSON* h = cJSON_Parse(history.c_str());
  ASSERT_NE(h, nullptr) << history;
  int tried = 0;
  const cJSON* rec = nullptr;
  cJSON_ArrayForEach(rec, cJSON_GetObjectItemCaseSensitive(h, "records")) {
    const cJSON* kind = cJSON_GetObjectItemCaseSensitive(rec, "kind");
    const cJSON* changes = cJSON_GetObjectItemCaseSensitive(rec, "changes");
    if (cJSON_IsString(kind) && std::string(kind->valuestring) == "tune" && cJSON_IsString(changes) &&
        std::string(changes->valuestring).find("write_buffer_size") != std::string::npos) {
      tried++;
    }
  }
  cJSON_Delete(h);
  EXPECT_EQ(tried, 1) << history;
  const std::string report = elmo_test::ReadFile(out + "/report.md");
  EXPECT_NE(report.find("write_buffer_size"), std::string::npos) << report;
  EXPECT_NE(report.find("manual (a person answers through " + out + "/manual, not an LLM)"), std::string::npos)
      << report;
  // The exchange is in the transcript like any provider's.
  const std::string transcript = elmo_test::ReadFile(out + "/transcript.jsonl");
  EXPECT_NE(transcript.find("\"provider\":\"manual\""), std::string::npos) << transcript;
  EXPECT_NE(transcript.find("write_buffer_size=32MB"), std::string::npos) << transcript;
}

// Ctrl-C (the run's cancel flag) while the loop waits for a person: the wait ends, the round is
// a note, the run stops as interrupted and still writes its report.
TEST_F(ManualAdvisor, CtrlCWhileWaitingForThePersonEndsTheRunCleanly) {
  const std::string out = dir_ + "/out";
  elmo_tune_config c = {};
  c.engine = elmo_engine_builtin();
  c.db_bench = kDbBench.c_str();
  c.workload = "fillrandom";
  c.num_keys = 50000;
  c.value_size = 100;
  c.trial_seconds = 2;
  c.warmup_seconds = 1;
  c.confirm_runs = 2;
  c.confirm_max_runs = 4;
  c.cpus = 2;
  c.memory_bytes = 512ull << 20;
  c.iterations = 3;
  c.output_dir = out.c_str();
  c.quiet = 1;
  c.llm_spec = "manual";
  volatile int cancel = 0;
  c.cancel = &cancel;
  Clock::time_point cancelled_at{};
  std::thread person([&] {
    const std::string prompt = out + "/manual/prompt-001.md";
    elmo_test::WaitForFile(prompt, 300);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    cancelled_at = Clock::now();
    cancel = 1;
  });
  elmo_tune_summary sum = {};
  elmo_error err = {};
  elmo_rc rc = elmo_tune_run(&c, &sum, &err);
  const Clock::time_point returned_at = Clock::now();
  person.join();
  ASSERT_EQ(rc, ELMO_OK) << err.message;
  EXPECT_LT(std::chrono::duration<double>(returned_at - cancelled_at).count(), 15) << "the wait outlived Ctrl-C";
  ASSERT_NE(sum.stop_reason, nullptr);
  EXPECT_STREQ(sum.stop_reason, "interrupted");
  ASSERT_NE(sum.notes, nullptr);
  EXPECT_NE(std::string(sum.notes).find("manual: cancelled while waiting for the answer to request 1"),
            std::string::npos) << sum.notes;
  EXPECT_EQ(sum.n_records, 1u) << "only the baseline ran";
  EXPECT_FALSE(fs::exists(out + "/manual/prompt-002.md"));
  EXPECT_NE(elmo_test::ReadFile(out + "/report.md").find("interrupted"), std::string::npos);
  EXPECT_NE(elmo_test::ReadFile(out + "/transcript.jsonl").find("\"code\":\"" + std::string(elmo_strerror(ELMO_ECANCELED))),
            std::string::npos);
  elmo_tune_summary_clear(&sum);
}

}  // namespace
