// llm_test.cc — the LLM client (llm.h) over HTTP against a real server on 127.0.0.1 that speaks
// the OpenAI and Anthropic protocols with scripted answers (tests/support/fake_llm_server.h):
// request shapes, answers, refused answers, retries, timeouts, caps and cancellation.
// Transcripts, replay, redaction and create-time checks are in llm_transcript_test.cc.
#include <atomic>
#include <thread>

#include "llm_fixture.h"

namespace elmo_test {
namespace {

// --- success and the shape of each protocol ----------------------------------------------------

TEST_F(Llm, OpenAiAnswerUsageModelAndRequestShape) {
  const std::string text = "line1\nline2 \"q\" caf\xc3\xa9 \\ [DBOptions]";
  server_.Push(Reply(200, FakeLlmServer::OpenAiAnswer(text, 11, 7, "gpt-fake-1")));
  elmo_llm_config c = OpenAi();
  c.max_tokens = 321;
  ASSERT_EQ(Create(c), ELMO_OK) << err_.message;
  EXPECT_STREQ(elmo_llm_provider(llm_), "openai");
  EXPECT_STREQ(elmo_llm_model(llm_), "gpt-test");
  EXPECT_EQ(elmo_llm_is_language_model(llm_), 1);
  EXPECT_TRUE(Contains(elmo_llm_describe(llm_), "openai:gpt-test")) << elmo_llm_describe(llm_);
  EXPECT_TRUE(Contains(elmo_llm_describe(llm_), server_.base_url_openai()))
      << elmo_llm_describe(llm_);

  ASSERT_EQ(Complete(), ELMO_OK) << err_.message;
  EXPECT_STREQ(reply_.text, text.c_str());
  EXPECT_STREQ(reply_.model, "gpt-fake-1");
  EXPECT_EQ(reply_.usage.prompt_tokens, 11u);
  EXPECT_EQ(reply_.usage.completion_tokens, 7u);
  EXPECT_EQ(reply_.attempts, 1);
  EXPECT_EQ(reply_.http_status, 200);
  EXPECT_GT(reply_.seconds, 0.0);
  EXPECT_LT(reply_.seconds, 5.0);

  auto reqs = server_.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "POST");
  EXPECT_EQ(reqs[0].path, "/v1/chat/completions");
  EXPECT_EQ(reqs[0].headers["authorization"], std::string("Bearer ") + kKey);
  EXPECT_EQ(reqs[0].headers["content-type"].rfind("application/json", 0), 0u)
      << reqs[0].headers["content-type"];
  EXPECT_EQ(reqs[0].headers.count("x-api-key"), 0u);

  Json body = ParseJson(reqs[0].body);
  ASSERT_TRUE(body) << reqs[0].body;
  EXPECT_EQ(Str(body.get(), "model"), "gpt-test");
  const cJSON* msgs = Get(body.get(), "messages");
  ASSERT_TRUE(cJSON_IsArray(msgs)) << reqs[0].body;
  ASSERT_EQ(cJSON_GetArraySize(msgs), static_cast<int>(kN)) << reqs[0].body;
  for (size_t i = 0; i < kN; i++) {
    const cJSON* m = cJSON_GetArrayItem(msgs, static_cast<int>(i));
    EXPECT_EQ(Str(m, "role"), kRoleNames[kConversation[i].role]) << "message " << i;
    EXPECT_EQ(TextOf(Get(m, "content")), kConversation[i].content) << "message " << i;
  }
  const cJSON* budget = Get(body.get(), "max_tokens");
  if (budget == nullptr) budget = Get(body.get(), "max_completion_tokens");
  ASSERT_TRUE(cJSON_IsNumber(budget)) << reqs[0].body;
  EXPECT_EQ(budget->valueint, 321);
  EXPECT_EQ(Get(body.get(), "temperature"), nullptr) << "use_temperature is 0: " << reqs[0].body;
  EXPECT_FALSE(cJSON_IsTrue(Get(body.get(), "stream"))) << reqs[0].body;
}

TEST_F(Llm, AnthropicAnswerUsageModelAndRequestShape) {
  server_.Push(Reply(200, FakeLlmServer::AnthropicAnswer("use lz4", 23, 5, "claude-fake-1")));
  elmo_llm_config c = Anthropic();
  c.max_tokens = 321;
  c.use_temperature = 1;
  c.temperature = 0.25;
  ASSERT_EQ(Create(c), ELMO_OK) << err_.message;
  EXPECT_STREQ(elmo_llm_provider(llm_), "anthropic");
  EXPECT_STREQ(elmo_llm_model(llm_), "claude-test");
  EXPECT_EQ(elmo_llm_is_language_model(llm_), 1);

  ASSERT_EQ(Complete(), ELMO_OK) << err_.message;
  EXPECT_STREQ(reply_.text, "use lz4");
  EXPECT_STREQ(reply_.model, "claude-fake-1");
  EXPECT_EQ(reply_.usage.prompt_tokens, 23u);
  EXPECT_EQ(reply_.usage.completion_tokens, 5u);
  EXPECT_EQ(reply_.attempts, 1);
  EXPECT_EQ(reply_.http_status, 200);

  auto reqs = server_.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "POST");
  EXPECT_EQ(reqs[0].path, "/v1/messages");
  EXPECT_EQ(reqs[0].headers["x-api-key"], kKey);
  EXPECT_EQ(reqs[0].headers["anthropic-version"], "2023-06-01");
  EXPECT_EQ(reqs[0].headers["content-type"].rfind("application/json", 0), 0u);

  Json body = ParseJson(reqs[0].body);
  ASSERT_TRUE(body) << reqs[0].body;
  EXPECT_EQ(Str(body.get(), "model"), "claude-test");
  EXPECT_EQ(TextOf(Get(body.get(), "system")), "You tune RocksDB.") << reqs[0].body;
  const cJSON* msgs = Get(body.get(), "messages");
  ASSERT_TRUE(cJSON_IsArray(msgs)) << reqs[0].body;
  ASSERT_EQ(cJSON_GetArraySize(msgs), static_cast<int>(kN - 1)) << "system is not a message";
  for (size_t i = 1; i < kN; i++) {
    const cJSON* m = cJSON_GetArrayItem(msgs, static_cast<int>(i - 1));
    EXPECT_EQ(Str(m, "role"), kRoleNames[kConversation[i].role]) << "message " << i;
    EXPECT_EQ(TextOf(Get(m, "content")), kConversation[i].content) << "message " << i;
  }
  const cJSON* budget = Get(body.get(), "max_tokens");
  ASSERT_TRUE(cJSON_IsNumber(budget)) << "Anthropic requires max_tokens: " << reqs[0].body;
  EXPECT_EQ(budget->valueint, 321);
  const cJSON* temp = Get(body.get(), "temperature");
  ASSERT_TRUE(cJSON_IsNumber(temp)) << reqs[0].body;
  EXPECT_DOUBLE_EQ(temp->valuedouble, 0.25);
}

TEST_F(Llm, BaseUrlFromEnvironmentAndTrailingSlash) {
  server_.SetDefault(Reply(200, FakeLlmServer::OpenAiAnswer("ok")));
  setenv("ELMO_BASE_URL", server_.base_url_openai().c_str(), 1);
  ASSERT_EQ(Create(Config("openai:m", "")), ELMO_OK) << err_.message;
  ASSERT_EQ(Complete(), ELMO_OK) << err_.message;

  ASSERT_EQ(Create(Config("openai:m", server_.base_url_openai() + "/")), ELMO_OK) << err_.message;
  ASSERT_EQ(Complete(), ELMO_OK) << err_.message;
  auto reqs = server_.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].path, "/v1/chat/completions");
  EXPECT_EQ(reqs[1].path, "/v1/chat/completions");
}

TEST_F(Llm, KeysComeFromTheEnvironmentInOrder) {
  struct Case {
    const char* title;
    bool anthropic;
    const char *elmo_key, *openai_key, *anthropic_key;
    const char* want;  // the key the server must see; nullptr: none
  };
  const Case cases[] = {
      {"ELMO_API_KEY first", false, "sk-elmo-000111", "sk-openai-222333", nullptr,
       "sk-elmo-000111"},
      {"OPENAI_API_KEY fallback", false, nullptr, "sk-openai-222333", "sk-ant-444555",
       "sk-openai-222333"},
      {"ANTHROPIC_API_KEY fallback", true, nullptr, "sk-openai-222333", "sk-ant-444555",
       "sk-ant-444555"},
      {"no key on loopback", false, nullptr, nullptr, nullptr, nullptr},
  };
  server_.SetDefault(Reply(200, FakeLlmServer::OpenAiAnswer("ok")));
  for (const Case& k : cases) {
    SCOPED_TRACE(k.title);
    auto put = [](const char* n, const char* v) { v ? setenv(n, v, 1) : unsetenv(n); };
    put("ELMO_API_KEY", k.elmo_key);
    put("OPENAI_API_KEY", k.openai_key);
    put("ANTHROPIC_API_KEY", k.anthropic_key);
    if (k.anthropic) server_.Push(Reply(200, FakeLlmServer::AnthropicAnswer("ok")));
    size_t before = server_.request_count();
    ASSERT_EQ(Create(k.anthropic ? Anthropic() : OpenAi()), ELMO_OK) << err_.message;
    ASSERT_EQ(Complete(), ELMO_OK) << err_.message;
    auto reqs = server_.requests();
    ASSERT_EQ(reqs.size(), before + 1);
    auto& h = reqs.back().headers;
    if (k.want == nullptr) {
      EXPECT_EQ(h.count("authorization"), 0u) << h["authorization"];
      EXPECT_EQ(h.count("x-api-key"), 0u) << h["x-api-key"];
    } else if (k.anthropic) {
      EXPECT_EQ(h["x-api-key"], k.want);
    } else {
      EXPECT_EQ(h["authorization"], std::string("Bearer ") + k.want);
    }
  }
}

// --- answers the client must refuse ------------------------------------------------------------

TEST_F(Llm, MalformedAnswersAreProtocolErrorsWithoutRetry) {
  struct Case {
    const char* title;
    bool anthropic;
    std::string body;
  };
  const Case cases[] = {
      {"not JSON", false, "{\"choices\": [ {\"message\": "},
      {"empty body", false, ""},
      {"JSON array", false, "[1,2,3]"},
      {"no choices", false, "{\"id\":\"x\",\"object\":\"chat.completion\"}"},
      {"empty choices", false, "{\"choices\":[]}"},
      {"choice without message", false, "{\"choices\":[{\"index\":0}]}"},
      {"content is a number", false, "{\"choices\":[{\"message\":{\"content\":42}}]}"},
      {"anthropic not JSON", true, "{\"type\":\"message\",\"content\":[{\"type\":\"te"},
      {"anthropic without content", true, "{\"type\":\"message\",\"role\":\"assistant\"}"},
      {"anthropic content not array", true, "{\"type\":\"message\",\"content\":7}"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.title);
    FakeLlmServer s;
    s.SetDefault(Reply(200, k.body));
    elmo_llm_config c = k.anthropic ? Config("anthropic:m", s.base_url_anthropic())
                                    : Config("openai:m", s.base_url_openai());
    ASSERT_EQ(Create(c), ELMO_OK) << err_.message;
    EXPECT_EQ(Complete(), ELMO_EPROTO) << err_.message;
    EXPECT_EQ(err_.code, ELMO_EPROTO);
    EXPECT_EQ(reply_.text, nullptr);
    EXPECT_EQ(s.request_count(), 1u);
    EXPECT_EQ(reply_.http_status, 200);
  }
}

TEST_F(Llm, ContentTypeIsChecked) {
  server_.Push(Reply(200, "<html><body>Login</body></html>", "text/html"));
  server_.Push(Reply(200, FakeLlmServer::OpenAiAnswer("looks fine"), "text/html; charset=utf-8"));
  server_.Push(Reply(200, FakeLlmServer::OpenAiAnswer("fine"), "application/json; charset=utf-8"));
  ASSERT_EQ(Create(OpenAi()), ELMO_OK) << err_.message;
  EXPECT_EQ(Complete(), ELMO_EPROTO) << "html page: " << err_.message;
  EXPECT_EQ(Complete(), ELMO_EPROTO) << "JSON labelled text/html: " << err_.message;
  ASSERT_EQ(Complete(), ELMO_OK) << "charset parameter: " << err_.message;
  EXPECT_STREQ(reply_.text, "fine");
  EXPECT_EQ(server_.request_count(), 3u);
}

TEST_F(Llm, OversizedAnswerIsTooBig) {
  elmo_llm_config c = OpenAi();
  c.max_response_bytes = 1024;
  server_.Push(Reply(200, FakeLlmServer::OpenAiAnswer(std::string(400, 'a'))));
  server_.Push(Reply(200, FakeLlmServer::OpenAiAnswer(std::string(5000, 'x'))));
  ASSERT_EQ(Create(c), ELMO_OK) << err_.message;
  ASSERT_EQ(Complete(), ELMO_OK) << "under the cap: " << err_.message;
  EXPECT_EQ(std::strlen(reply_.text), 400u);
  EXPECT_EQ(Complete(), ELMO_ETOOBIG) << err_.message;
  EXPECT_EQ(reply_.text, nullptr);
  EXPECT_EQ(server_.request_count(), 2u) << "a too-big answer is not asked for again";
}

TEST_F(Llm, AuthFailuresAreNotRetriedAndNeverShowTheKey) {
  struct Case {
    const char* title;
    bool anthropic;
    int status;
    std::string body;
  };
  const Case cases[] = {
      {"openai 401", false, 401,
       FakeLlmServer::OpenAiError(std::string("Incorrect API key provided: ") + kKey)},
      {"anthropic 401", true, 401,
       FakeLlmServer::AnthropicError("authentication_error", std::string("bad key ") + kKey)},
      {"anthropic 403", true, 403,
       FakeLlmServer::AnthropicError("permission_error", std::string(kKey) + " may not")},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.title);
    FakeLlmServer s;
    s.SetDefault(Reply(k.status, k.body));
    elmo_llm_config c = k.anthropic ? Config("anthropic:m", s.base_url_anthropic())
                                    : Config("openai:m", s.base_url_openai());
    ASSERT_EQ(Create(c), ELMO_OK) << err_.message;
    EXPECT_EQ(Complete(), ELMO_EAUTH) << err_.message;
    EXPECT_EQ(s.request_count(), 1u);
    EXPECT_EQ(reply_.attempts, 1);
    EXPECT_EQ(reply_.http_status, k.status);
    EXPECT_EQ(reply_.text, nullptr);
    EXPECT_FALSE(Contains(err_.message, kKeyTail)) << err_.message;
  }
}

TEST_F(Llm, OtherClientErrorsAreProtocolErrorsWithoutRetry) {
  for (int status : {400, 404, 422}) {
    SCOPED_TRACE(status);
    FakeLlmServer s;
    s.SetDefault(Reply(status, FakeLlmServer::OpenAiError("model not found")));
    ASSERT_EQ(Create(Config("openai:m", s.base_url_openai())), ELMO_OK) << err_.message;
    EXPECT_EQ(Complete(), ELMO_EPROTO) << err_.message;
    EXPECT_EQ(s.request_count(), 1u);
    EXPECT_EQ(reply_.http_status, status);
  }
}

// --- retries -----------------------------------------------------------------------------------

TEST_F(Llm, BrokenTransfersAreRetried) {
  struct Case {
    const char* title;
    bool truncate, close;
  };
  const Case cases[] = {{"truncated body", true, false}, {"closed without answer", false, true}};
  for (const Case& k : cases) {
    SCOPED_TRACE(k.title);
    ScriptedResponse bad = Reply(200, FakeLlmServer::OpenAiAnswer("partial"));
    bad.truncate = k.truncate;
    bad.close_without_response = k.close;
    {  // once, then a good answer
      FakeLlmServer s;
      s.Push(bad);
      s.Push(Reply(200, FakeLlmServer::OpenAiAnswer("whole")));
      ASSERT_EQ(Create(Config("openai:m", s.base_url_openai())), ELMO_OK) << err_.message;
      ASSERT_EQ(Complete(), ELMO_OK) << err_.message;
      EXPECT_STREQ(reply_.text, "whole");
      EXPECT_EQ(reply_.attempts, 2);
      EXPECT_EQ(s.request_count(), 2u);
    }
    {  // every time
      FakeLlmServer s;
      s.SetDefault(bad);
      ASSERT_EQ(Create(Config("openai:m", s.base_url_openai())), ELMO_OK) << err_.message;
      EXPECT_EQ(Complete(), ELMO_ENET) << err_.message;
      EXPECT_EQ(reply_.attempts, 3);
      EXPECT_EQ(s.request_count(), 3u);
      EXPECT_EQ(reply_.text, nullptr);
    }
  }
}

TEST_F(Llm, ConnectionRefusedIsANetworkError) {
  int port;
  {
    FakeLlmServer gone;
    port = gone.port();
  }
  ASSERT_EQ(Create(Config("openai:m", "http://127.0.0.1:" + std::to_string(port) + "/v1")),
            ELMO_OK)
      << err_.message;
  auto t0 = Clock::now();
  EXPECT_EQ(Complete(), ELMO_ENET) << err_.message;
  EXPECT_EQ(reply_.attempts, 3);
  EXPECT_EQ(reply_.http_status, 0);
  EXPECT_LT(Since(t0), 3.0);
}

TEST_F(Llm, RateLimitThenSuccessHonoursRetryAfter) {
  ScriptedResponse limited = Reply(429, FakeLlmServer::OpenAiError("slow down", "rate_limit"));
  limited.headers.push_back({"Retry-After", "1"});
  server_.Push(limited);
  server_.Push(Reply(200, FakeLlmServer::OpenAiAnswer("after the wait")));
  ASSERT_EQ(Create(OpenAi()), ELMO_OK) << err_.message;
  auto t0 = Clock::now();
  ASSERT_EQ(Complete(), ELMO_OK) << err_.message;
  double elapsed = Since(t0);
  EXPECT_STREQ(reply_.text, "after the wait");
  EXPECT_EQ(reply_.attempts, 2);
  EXPECT_EQ(reply_.http_status, 200);
  EXPECT_GE(elapsed, 0.95) << "Retry-After: 1 was not honoured";
  EXPECT_LT(elapsed, 5.0);
  EXPECT_GE(reply_.seconds, 0.95);
  EXPECT_EQ(server_.request_count(), 2u);
}

TEST_F(Llm, RetryAfterIsCappedByBackoffMax) {
  ScriptedResponse limited = Reply(429, FakeLlmServer::OpenAiError("slow down", "rate_limit"));
  limited.headers.push_back({"Retry-After", "30"});
  server_.Push(limited);
  server_.Push(Reply(200, FakeLlmServer::OpenAiAnswer("ok")));
  elmo_llm_config c = OpenAi();
  c.backoff_max_ms = 200;
  ASSERT_EQ(Create(c), ELMO_OK) << err_.message;
  auto t0 = Clock::now();
  ASSERT_EQ(Complete(), ELMO_OK) << err_.message;
  EXPECT_LT(Since(t0), 10.0) << "a 30 s Retry-After must be capped at backoff_max_ms";
  EXPECT_EQ(reply_.attempts, 2);
}

TEST_F(Llm, RateLimitedUntilGiveUp) {
  server_.SetDefault(Reply(429, FakeLlmServer::OpenAiError("slow down", "rate_limit")));
  ASSERT_EQ(Create(OpenAi()), ELMO_OK) << err_.message;
  EXPECT_EQ(Complete(), ELMO_ERATELIMIT) << err_.message;
  EXPECT_EQ(reply_.attempts, 3);
  EXPECT_EQ(reply_.http_status, 429);
  EXPECT_EQ(server_.request_count(), 3u);
}

TEST_F(Llm, ServerErrorsUntilGiveUp) {
  struct Case {
    bool anthropic;
    int status;
  };
  const Case cases[] = {{false, 500}, {false, 502}, {false, 503}, {true, 500}, {true, 529}};
  for (const Case& k : cases) {
    SCOPED_TRACE(std::string(k.anthropic ? "anthropic " : "openai ") + std::to_string(k.status));
    FakeLlmServer s;
    s.SetDefault(Reply(k.status, k.anthropic
                                     ? FakeLlmServer::AnthropicError("overloaded_error", "busy")
                                     : FakeLlmServer::OpenAiError("busy", "server_error")));
    elmo_llm_config c = k.anthropic ? Config("anthropic:m", s.base_url_anthropic())
                                    : Config("openai:m", s.base_url_openai());
    c.max_attempts = 4;
    ASSERT_EQ(Create(c), ELMO_OK) << err_.message;
    EXPECT_EQ(Complete(), ELMO_ESERVER) << err_.message;
    EXPECT_EQ(reply_.attempts, 4);
    EXPECT_EQ(reply_.http_status, k.status);
    EXPECT_EQ(reply_.text, nullptr);
    EXPECT_EQ(reply_.model, nullptr);
    EXPECT_EQ(s.request_count(), 4u);
  }
}

TEST_F(Llm, SlowAnswerTimesOutEveryAttempt) {
  ScriptedResponse slow = Reply(200, FakeLlmServer::OpenAiAnswer("too late"));
  slow.delay_ms = 30000;  // ends early when the client hangs up
  server_.SetDefault(slow);
  elmo_llm_config c = OpenAi();
  c.total_timeout_ms = 300;
  c.max_attempts = 2;
  ASSERT_EQ(Create(c), ELMO_OK) << err_.message;
  auto t0 = Clock::now();
  EXPECT_EQ(Complete(), ELMO_ETIMEOUT) << err_.message;
  double elapsed = Since(t0);
  EXPECT_GE(elapsed, 0.55);
  // Two 0.3 s attempts: well under the 6 s of attempts timed out at 3 s, or the 30 s of one that
  // waited for the answer.
  EXPECT_LT(elapsed, 6.0);
  EXPECT_EQ(reply_.attempts, 2);
  // The server records a request when it has read it, which may be after the client gave up.
  EXPECT_TRUE(server_.WaitForRequests(2, 30000));
  EXPECT_EQ(server_.request_count(), 2u);
}

// --- cancellation ------------------------------------------------------------------------------

TEST_F(Llm, CancelFromAnotherThreadDuringASlowAnswer) {
  ScriptedResponse slow = Reply(200, FakeLlmServer::OpenAiAnswer("too late"));
  slow.delay_ms = 30000;  // ends early when the client hangs up
  server_.SetDefault(slow);
  elmo_llm_config c = OpenAi();
  c.total_timeout_ms = 30000;
  ASSERT_EQ(Create(c), ELMO_OK) << err_.message;
  std::atomic<int> rc{-1};
  std::thread t([&] { rc = Complete(); });
  ASSERT_TRUE(server_.WaitForRequests(1, 30000));
  auto t0 = Clock::now();
  elmo_llm_cancel(llm_);
  t.join();
  EXPECT_LT(Since(t0), 5.0) << "the cancel waited for the 30 s answer";
  EXPECT_EQ(rc.load(), ELMO_ECANCELED) << err_.message;
  EXPECT_EQ(reply_.text, nullptr);

  t0 = Clock::now();
  EXPECT_EQ(Complete(), ELMO_ECANCELED) << "every later call is cancelled too";
  EXPECT_LT(Since(t0), 5.0);
  EXPECT_EQ(server_.request_count(), 1u);
}

TEST_F(Llm, CancelDuringBackoffAndBeforeAnyCall) {
  ScriptedResponse busy = Reply(503, FakeLlmServer::OpenAiError("busy", "server_error"));
  busy.headers.push_back({"Retry-After", "30"});
  server_.SetDefault(busy);
  elmo_llm_config c = OpenAi();
  c.backoff_max_ms = 60000;  // the whole 30 s Retry-After
  ASSERT_EQ(Create(c), ELMO_OK) << err_.message;
  std::atomic<int> rc{-1};
  std::thread t([&] { rc = Complete(); });
  ASSERT_TRUE(server_.WaitForRequests(1, 30000));
  usleep(100 * 1000);  // into the 30 s wait
  auto t0 = Clock::now();
  elmo_llm_cancel(llm_);
  t.join();
  EXPECT_LT(Since(t0), 5.0) << "the cancel waited out the 30 s Retry-After";
  EXPECT_EQ(rc.load(), ELMO_ECANCELED);
  EXPECT_EQ(server_.request_count(), 1u);

  FakeLlmServer fresh;
  ASSERT_EQ(Create(Config("openai:m", fresh.base_url_openai())), ELMO_OK) << err_.message;
  elmo_llm_cancel(llm_);
  EXPECT_EQ(Complete(), ELMO_ECANCELED);
  EXPECT_EQ(fresh.request_count(), 0u);
}

}  // namespace
}  // namespace elmo_test
