// llm_transcript_test.cc — what the LLM client (llm.h) writes and refuses: keys redacted
// everywhere, one transcript line per exchange, replay of a transcript, the hand-off of an answer
// without options to the calibrator, and the specs, URLs and keys that create rejects. The server
// is the fake one on 127.0.0.1 (tests/support/fake_llm_server.h).
#include "elmo/calibrate.h"
#include "elmo/catalog.h"
#include "elmo/optfile.h"
#include "catalog_fixture.h"
#include "llm_fixture.h"

namespace elmo_test {
namespace {

// --- keys never leak ---------------------------------------------------------------------------

TEST_F(Llm, AnswerEchoingTheKeyIsRedacted) {
  server_.Push(Reply(200, FakeLlmServer::OpenAiAnswer(std::string("your key is ") + kKey + ".")));
  ASSERT_EQ(Create(OpenAi()), ELMO_OK) << err_.message;
  ASSERT_EQ(Complete(), ELMO_OK) << err_.message;
  EXPECT_FALSE(Contains(reply_.text, kKeyTail)) << reply_.text;
  EXPECT_TRUE(Contains(reply_.text, "[REDACTED]")) << reply_.text;
}

TEST(LlmRedact, ReplacesEnvironmentKeysAndKeyShapes) {
  EnvGuard env;
  setenv("ELMO_API_KEY", "plainkey-0987654321", 1);
  setenv("ANTHROPIC_API_KEY", "another-key-5566778899", 1);
  struct Case {
    const char* in;
    const char* gone;  // must not survive; nullptr: the text is unchanged
  } cases[] = {
      {"key plainkey-0987654321 here", "plainkey-0987654321"},
      {"x another-key-5566778899 y", "another-key-5566778899"},
      // Fake key shapes, split so that no whole key-looking literal sits in the source.
      {"Bearer sk-" "proj-AbCdEf0123456789xyzXYZ", "AbCdEf0123456789"},
      {"x-api-key: sk-" "ant-api03-ZZZZyyyy1111-2222", "ZZZZyyyy1111"},
      {"nothing secret here", nullptr},
  };
  for (const Case& k : cases) {
    char* out = elmo_llm_redact(k.in);
    ASSERT_NE(out, nullptr) << k.in;
    if (k.gone == nullptr) {
      EXPECT_STREQ(out, k.in);
    } else {
      EXPECT_FALSE(Contains(out, k.gone)) << k.in << " -> " << out;
      EXPECT_TRUE(Contains(out, "[REDACTED]")) << k.in << " -> " << out;
    }
    elmo_free(out);
  }
}

// --- answers without options -------------------------------------------------------------------

TEST_F(Llm, AnswerWithoutOptionsIsOkHereAndAParseErrorForTheCalibrator) {
  const char* text = "Your configuration already suits this workload; I recommend no changes.";
  server_.Push(Reply(200, FakeLlmServer::OpenAiAnswer(text)));
  ASSERT_EQ(Create(OpenAi()), ELMO_OK) << err_.message;
  ASSERT_EQ(Complete(), ELMO_OK) << err_.message;
  ASSERT_STREQ(reply_.text, text);

  const elmo_catalog* cat = elmo_test::FixtureCatalog();
  ASSERT_NE(cat, nullptr);
  elmo_error err;
  elmo_optfile* base = elmo_optfile_create();
  ASSERT_NE(base, nullptr);
  elmo_calibrate_policy policy = {};
  elmo_calibration* cal = reinterpret_cast<elmo_calibration*>(1);
  EXPECT_EQ(elmo_calibrate_answer(cat, base, reply_.text, std::strlen(reply_.text), &policy, &cal,
                                  &err),
            ELMO_EPARSE)
      << err.message;
  EXPECT_EQ(cal, nullptr);
  elmo_calibration_destroy(cal == reinterpret_cast<elmo_calibration*>(1) ? nullptr : cal);
  elmo_optfile_destroy(base);
}

// --- transcript and replay ---------------------------------------------------------------------

TEST_F(Llm, TranscriptHasOneLinePerExchangeAndNoKey) {
  server_.Push(Reply(200, FakeLlmServer::OpenAiAnswer("first answer", 11, 7, "gpt-fake-1")));
  server_.Push(Reply(401, FakeLlmServer::OpenAiError(std::string("Incorrect API key: ") + kKey)));
  server_.Push(Reply(200, FakeLlmServer::OpenAiAnswer(std::string("echo ") + kKey, 3, 2)));
  elmo_llm_config c = OpenAi();
  c.transcript_path = transcript_.c_str();
  ASSERT_EQ(Create(c), ELMO_OK) << err_.message;
  ASSERT_EQ(Complete(), ELMO_OK) << err_.message;
  ASSERT_EQ(Complete(), ELMO_EAUTH) << err_.message;
  EXPECT_FALSE(Contains(err_.message, kKeyTail)) << err_.message;
  ASSERT_EQ(Complete(), ELMO_OK) << err_.message;
  EXPECT_FALSE(Contains(reply_.text, kKeyTail)) << reply_.text;
  elmo_llm_destroy(llm_);  // flushes and closes the transcript, if it was kept open
  llm_ = nullptr;

  std::string text = ReadFile(transcript_);
  EXPECT_EQ(text.find(kKeyTail), std::string::npos) << text;
  std::vector<std::string> lines = Lines(text);
  ASSERT_EQ(lines.size(), 3u) << text;
  for (size_t i = 0; i < lines.size(); i++) {
    SCOPED_TRACE("line " + std::to_string(i) + ": " + lines[i]);
    Json j = ParseJson(lines[i]);
    ASSERT_TRUE(cJSON_IsObject(j.get()));
    for (const char* f : {"provider", "model", "messages", "answer", "usage", "attempts", "status",
                          "seconds", "error"}) {
      EXPECT_NE(Get(j.get(), f), nullptr) << "missing field " << f;
    }
    EXPECT_EQ(Str(j.get(), "provider"), "openai");
    EXPECT_TRUE(cJSON_IsString(Get(j.get(), "model")));
    const cJSON* msgs = Get(j.get(), "messages");
    ASSERT_EQ(cJSON_GetArraySize(msgs), static_cast<int>(kN));
    EXPECT_EQ(Str(cJSON_GetArrayItem(msgs, 0), "role"), "system");
    EXPECT_EQ(Str(cJSON_GetArrayItem(msgs, 3), "content"), kConversation[3].content);
    EXPECT_TRUE(cJSON_IsNumber(Get(j.get(), "attempts")));
    EXPECT_TRUE(cJSON_IsNumber(Get(j.get(), "seconds")));
    EXPECT_TRUE(cJSON_IsObject(Get(j.get(), "usage")));
  }
  Json ok = ParseJson(lines[0]), bad = ParseJson(lines[1]);
  EXPECT_EQ(Str(ok.get(), "answer"), "first answer");
  EXPECT_EQ(Str(ok.get(), "model"), "gpt-fake-1");
  EXPECT_EQ(Get(Get(ok.get(), "usage"), "prompt_tokens")->valueint, 11);
  EXPECT_EQ(Get(Get(ok.get(), "usage"), "completion_tokens")->valueint, 7);
  EXPECT_EQ(Get(ok.get(), "attempts")->valueint, 1);
  const cJSON* ok_err = Get(ok.get(), "error");
  EXPECT_TRUE(cJSON_IsNull(ok_err) || (cJSON_IsString(ok_err) && !*ok_err->valuestring))
      << "a success carries no error";
  const cJSON* bad_err = Get(bad.get(), "error");
  EXPECT_FALSE(bad_err == nullptr || cJSON_IsNull(bad_err)) << "the 401 line names its error";
}

TEST_F(Llm, ReplayRepeatsAnswersAndErrorsInOrder) {
  server_.Push(Reply(200, FakeLlmServer::OpenAiAnswer("alpha", 11, 7, "gpt-fake-1")));
  server_.Push(Reply(503, FakeLlmServer::OpenAiError("busy", "server_error")));
  server_.Push(Reply(503, FakeLlmServer::OpenAiError("busy", "server_error")));
  server_.Push(Reply(200, FakeLlmServer::OpenAiAnswer("beta", 5, 3, "gpt-fake-1")));
  elmo_llm_config c = OpenAi();
  c.max_attempts = 2;
  c.transcript_path = transcript_.c_str();
  ASSERT_EQ(Create(c), ELMO_OK) << err_.message;
  ASSERT_EQ(Complete(), ELMO_OK) << err_.message;
  ASSERT_EQ(Complete(), ELMO_ESERVER) << err_.message;
  ASSERT_EQ(Complete(), ELMO_OK) << err_.message;
  elmo_llm_destroy(llm_);
  llm_ = nullptr;
  size_t recorded = server_.request_count();

  unsetenv("ELMO_API_KEY");  // replay needs no key and no network
  ASSERT_EQ(Create(Config("replay:" + transcript_, "")), ELMO_OK) << err_.message;
  EXPECT_STREQ(elmo_llm_provider(llm_), "replay");
  EXPECT_EQ(elmo_llm_is_language_model(llm_), 0);
  ASSERT_EQ(Complete(), ELMO_OK) << err_.message;
  EXPECT_STREQ(reply_.text, "alpha");
  EXPECT_EQ(reply_.usage.prompt_tokens, 11u);
  EXPECT_EQ(reply_.usage.completion_tokens, 7u);
  EXPECT_EQ(reply_.attempts, 0);
  EXPECT_EQ(Complete(), ELMO_ESERVER) << err_.message;
  EXPECT_EQ(reply_.text, nullptr);
  ASSERT_EQ(Complete(), ELMO_OK) << err_.message;
  EXPECT_STREQ(reply_.text, "beta");
  EXPECT_EQ(Complete(), ELMO_ENOTFOUND) << err_.message;
  EXPECT_EQ(server_.request_count(), recorded);
}

TEST_F(Llm, ReplayOfAMissingOrBrokenFile) {
  ASSERT_EQ(Create(Config("replay:" + transcript_ + ".missing", "")), ELMO_EIO);
  EXPECT_EQ(llm_, nullptr);
  EXPECT_TRUE(Contains(err_.message, ".missing")) << err_.message;
  std::ofstream(transcript_) << "this is not json\n";
  EXPECT_EQ(Create(Config("replay:" + transcript_, "")), ELMO_EPARSE) << err_.message;
  EXPECT_EQ(llm_, nullptr);
}

// --- what create refuses -----------------------------------------------------------------------

TEST_F(Llm, MissingKeyForARemoteUrlFailsAtCreate) {
  unsetenv("ELMO_API_KEY");
  struct Case {
    const char *spec, *base;
  } cases[] = {
      {"openai:gpt-test", "https://api.example.invalid/v1"},
      {"anthropic:claude-test", "https://api.example.invalid"},
      {"openai:gpt-test", ""},  // the public default
      {"anthropic:claude-test", ""},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(std::string(k.spec) + " at " + k.base);
    EXPECT_EQ(Create(Config(k.spec, k.base)), ELMO_EAUTH) << err_.message;
    EXPECT_EQ(llm_, nullptr);
    EXPECT_TRUE(Contains(err_.message, "ELMO_API_KEY")) << err_.message;
  }
}

TEST_F(Llm, BadSpecsAndUrlsAreNamed) {
  for (const char* spec : {"gpt4", "openai:", "foo:bar", "anthropic:", ""}) {
    SCOPED_TRACE(spec);
    EXPECT_EQ(Create(Config(spec, server_.base_url_openai())), ELMO_EINVAL);
    EXPECT_EQ(err_.code, ELMO_EINVAL);
    EXPECT_EQ(llm_, nullptr);
    EXPECT_TRUE(Contains(err_.message, spec)) << err_.message;
  }
  for (const char* url : {"ftp://127.0.0.1/v1", "127.0.0.1:8080/v1", "http://"}) {
    SCOPED_TRACE(url);
    EXPECT_EQ(Create(Config("openai:m", url)), ELMO_EINVAL);
    EXPECT_EQ(llm_, nullptr);
    EXPECT_TRUE(Contains(err_.message, url)) << err_.message;
  }
  elmo_llm_config none = {};
  EXPECT_EQ(Create(none), ELMO_EINVAL);
  elmo_llm* out = reinterpret_cast<elmo_llm*>(1);
  EXPECT_EQ(elmo_llm_create(nullptr, &out, nullptr), ELMO_EINVAL);
  EXPECT_EQ(out, nullptr);
  EXPECT_EQ(server_.request_count(), 0u);
}

TEST_F(Llm, EmptyConversationIsInvalidAndNullsAreSafe) {
  ASSERT_EQ(Create(OpenAi()), ELMO_OK) << err_.message;
  EXPECT_EQ(Complete(nullptr, 0), ELMO_EINVAL);
  EXPECT_EQ(server_.request_count(), 0u);
  elmo_llm_destroy(nullptr);
  elmo_llm_reply empty = {};
  elmo_llm_reply_clear(&empty);
}

// The helper bodies themselves must be the JSON they claim to be.
TEST(FakeLlmServerBodies, AreValidJsonInEachProtocol) {
  const std::string tricky = "q\"b\\s\n\t\x01 caf\xc3\xa9";
  Json oa = ParseJson(FakeLlmServer::OpenAiAnswer(tricky, 3, 4, "m1"));
  ASSERT_TRUE(oa);
  const cJSON* choice = cJSON_GetArrayItem(Get(oa.get(), "choices"), 0);
  EXPECT_EQ(Str(Get(choice, "message"), "content"), tricky);
  EXPECT_EQ(Get(Get(oa.get(), "usage"), "completion_tokens")->valueint, 4);
  Json an = ParseJson(FakeLlmServer::AnthropicAnswer(tricky, 3, 4, "m2"));
  ASSERT_TRUE(an);
  EXPECT_EQ(TextOf(Get(an.get(), "content")), tricky);
  EXPECT_EQ(Get(Get(an.get(), "usage"), "output_tokens")->valueint, 4);
  Json oe = ParseJson(FakeLlmServer::OpenAiError(tricky, "t"));
  ASSERT_TRUE(oe);
  EXPECT_EQ(Str(Get(oe.get(), "error"), "message"), tricky);
  Json ae = ParseJson(FakeLlmServer::AnthropicError("overloaded_error", tricky));
  ASSERT_TRUE(ae);
  EXPECT_EQ(Str(ae.get(), "type"), "error");
  EXPECT_EQ(Str(Get(ae.get(), "error"), "message"), tricky);
}

}  // namespace
}  // namespace elmo_test
