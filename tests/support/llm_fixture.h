// llm_fixture.h — what the LLM client tests share: a fixture with a fake server on 127.0.0.1,
// fast client settings, a guarded environment (keys set to a known secret, proxies unset) and
// small JSON helpers over cJSON.
#ifndef ELMO_TESTS_SUPPORT_LLM_FIXTURE_H
#define ELMO_TESTS_SUPPORT_LLM_FIXTURE_H

#include <cjson/cJSON.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "elmo/llm.h"
#include "fake_llm_server.h"
#include "file_text.h"

#ifndef ELMO_TEST_WORK
#define ELMO_TEST_WORK "/tmp"
#endif

namespace elmo_test {

using Clock = std::chrono::steady_clock;

constexpr char kKey[] = "sk-test-SECRET-1234567890abcdef";
constexpr char kKeyTail[] = "SECRET-1234567890abcdef";  // any leak of the key shows this

const char* const kEnvNames[] = {"ELMO_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY",
                                 "ELMO_BASE_URL", "http_proxy",    "HTTP_PROXY",
                                 "https_proxy",  "HTTPS_PROXY",    "all_proxy",
                                 "ALL_PROXY",    "no_proxy",       "NO_PROXY"};

const elmo_message kConversation[] = {
    {ELMO_ROLE_SYSTEM, "You tune RocksDB."},
    {ELMO_ROLE_USER, "Workload: 90% reads.\nSuggest \"options\"\tplease."},
    {ELMO_ROLE_ASSISTANT, "[DBOptions]\nmax_background_jobs=4"},
    {ELMO_ROLE_USER, "Again, caf\xc3\xa9 \\ style."},
};
constexpr size_t kN = sizeof kConversation / sizeof kConversation[0];
const char* const kRoleNames[] = {"system", "user", "assistant"};

inline double Since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

inline bool Contains(const char* hay, const std::string& needle) {
  return hay != nullptr && std::strstr(hay, needle.c_str()) != nullptr;
}

using Json = std::unique_ptr<cJSON, decltype(&cJSON_Delete)>;
inline Json ParseJson(const std::string& s) {
  return Json(cJSON_ParseWithLength(s.data(), s.size()), cJSON_Delete);
}
inline const cJSON* Get(const cJSON* o, const char* name) {
  return cJSON_GetObjectItemCaseSensitive(o, name);
}
inline std::string Str(const cJSON* o, const char* name) {
  const cJSON* v = Get(o, name);
  return cJSON_IsString(v) ? v->valuestring : "<not a string>";
}
// A message content: a string, or (Anthropic) an array of {"type":"text","text":...} blocks.
inline std::string TextOf(const cJSON* content) {
  if (cJSON_IsString(content)) return content->valuestring;
  std::string out;
  const cJSON* block;
  cJSON_ArrayForEach(block, content) out += Str(block, "text");
  return cJSON_IsArray(content) ? out : "<no text>";
}

inline std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  for (std::string line; std::getline(ss, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

inline ScriptedResponse Reply(int status, const std::string& body,
                              const char* ctype = "application/json") {
  ScriptedResponse r;
  r.status = status;
  r.body = body;
  r.content_type = ctype;
  return r;
}

// Saves the environment variables a test may change and puts them back afterwards.
class EnvGuard {
 public:
  EnvGuard() {
    for (const char* n : kEnvNames) {
      const char* v = getenv(n);
      saved_.push_back(v ? std::optional<std::string>(v) : std::nullopt);
    }
  }
  ~EnvGuard() {
    for (size_t i = 0; i < saved_.size(); i++) {
      if (saved_[i]) {
        setenv(kEnvNames[i], saved_[i]->c_str(), 1);
      } else {
        unsetenv(kEnvNames[i]);
      }
    }
  }

 private:
  std::vector<std::optional<std::string>> saved_;
};

class Llm : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* n : kEnvNames) unsetenv(n);  // no proxy between us and 127.0.0.1
    setenv("ELMO_API_KEY", kKey, 1);
    transcript_ = std::string(ELMO_TEST_WORK) + "/llm_test_" + std::to_string(getpid()) + "_" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".jsonl";
    std::remove(transcript_.c_str());
  }
  void TearDown() override {
    elmo_llm_reply_clear(&reply_);
    elmo_llm_destroy(llm_);
    std::remove(transcript_.c_str());
  }

  // Fast settings: small backoff, three attempts, short timeouts.
  elmo_llm_config Config(const std::string& spec, const std::string& base) {
    spec_ = spec;
    base_ = base;
    elmo_llm_config c = {};
    c.spec = spec_.c_str();
    c.base_url = base_.empty() ? nullptr : base_.c_str();
    c.connect_timeout_ms = 2000;
    c.total_timeout_ms = 5000;
    c.max_attempts = 3;
    c.backoff_base_ms = 10;
    c.backoff_max_ms = 2000;
    return c;
  }
  elmo_llm_config OpenAi() { return Config("openai:gpt-test", server_.base_url_openai()); }
  elmo_llm_config Anthropic() {
    return Config("anthropic:claude-test", server_.base_url_anthropic());
  }

  elmo_rc Create(const elmo_llm_config& c) {
    elmo_llm_destroy(llm_);
    llm_ = nullptr;
    err_ = elmo_error{};
    return elmo_llm_create(&c, &llm_, &err_);
  }
  elmo_rc Complete(const elmo_message* m = kConversation, size_t n = kN) {
    elmo_llm_reply_clear(&reply_);
    err_ = elmo_error{};
    return elmo_llm_complete(llm_, m, n, &reply_, &err_);
  }

  EnvGuard env_;
  FakeLlmServer server_;
  elmo_llm* llm_ = nullptr;
  elmo_llm_reply reply_ = {};
  elmo_error err_ = {};
  std::string spec_, base_, transcript_;
};

}  // namespace elmo_test

#endif  // ELMO_TESTS_SUPPORT_LLM_FIXTURE_H
