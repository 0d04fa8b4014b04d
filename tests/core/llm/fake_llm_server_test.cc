// fake_llm_server_test.cc — the loopback HTTP server the LLM client tests rely on: scripted
// answers in order, recorded requests, delays, broken answers, and a fast shutdown. The client
// here is a raw socket, so these tests say nothing about libcurl except in the one curl check.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>

#include "fake_llm_server.h"

namespace {

using elmo_test::FakeLlmServer;
using elmo_test::ScriptedResponse;
using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

int Connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

bool SendAll(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    ssize_t n = send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

// Reads until the server closes (or 10 s pass: a hung server fails the test, not the run).
std::string ReadToEof(int fd) {
  std::string out;
  char buf[4096];
  for (;;) {
    pollfd p = {fd, POLLIN, 0};
    if (poll(&p, 1, 10000) <= 0) break;
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

struct Response {
  int status = 0;
  std::map<std::string, std::string> headers;  // names as sent
  std::string body;
  std::string raw;
};

Response Parse(const std::string& raw) {
  Response r;
  r.raw = raw;
  size_t end = raw.find("\r\n\r\n");
  if (raw.compare(0, 9, "HTTP/1.1 ") != 0 || end == std::string::npos) return r;
  r.status = std::atoi(raw.c_str() + 9);
  size_t pos = raw.find("\r\n") + 2;
  while (pos < end) {
    size_t e = raw.find("\r\n", pos);
    std::string line = raw.substr(pos, e - pos);
    size_t colon = line.find(':');
    r.headers[line.substr(0, colon)] = line.substr(colon + 2);
    pos = e + 2;
  }
  r.body = raw.substr(end + 4);
  return r;
}

std::string Post(const std::string& path, const std::string& body,
                 const std::string& extra_headers = "") {
  return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
         extra_headers + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

Response Exchange(int port, const std::string& request) {
  int fd = Connect(port);
  if (fd < 0) return Response{};
  SendAll(fd, request);
  Response r = Parse(ReadToEof(fd));
  close(fd);
  return r;
}

ScriptedResponse Answer(int status, const std::string& body) {
  ScriptedResponse r;
  r.status = status;
  r.body = body;
  return r;
}

TEST(FakeLlmServer, AnswersTheScriptInOrderAndRecordsRequests) {
  FakeLlmServer s;
  ASSERT_GT(s.port(), 0);
  EXPECT_EQ(s.base_url_openai(), "http://127.0.0.1:" + std::to_string(s.port()) + "/v1");
  EXPECT_EQ(s.base_url_anthropic(), "http://127.0.0.1:" + std::to_string(s.port()));

  std::string a1 = FakeLlmServer::OpenAiAnswer("first");
  std::string a3 = FakeLlmServer::AnthropicAnswer("third");
  s.Push(Answer(200, a1));
  ScriptedResponse limited = Answer(429, FakeLlmServer::OpenAiError("slow down", "rate_limit"));
  limited.headers.push_back({"Retry-After", "1"});
  s.Push(limited);
  s.Push(Answer(200, a3));

  Response r1 = Exchange(s.port(), Post("/v1/chat/completions", "{\"n\":1}",
                                        "Authorization: Bearer k1\r\nX-Mixed-Case: Yes\r\n"));
  Response r2 = Exchange(s.port(), Post("/v1/chat/completions", "{\"n\":2}"));
  Response r3 = Exchange(s.port(), Post("/v1/messages", "{\"n\":3}",
                                        "x-api-key: k3\r\nanthropic-version: 2023-06-01\r\n"));

  EXPECT_EQ(r1.status, 200) << r1.raw;
  EXPECT_EQ(r1.body, a1);
  EXPECT_EQ(r1.headers["Content-Length"], std::to_string(a1.size()));
  EXPECT_EQ(r1.headers["Content-Type"], "application/json");
  EXPECT_EQ(r1.headers["Connection"], "close");
  EXPECT_EQ(r2.status, 429) << r2.raw;
  EXPECT_EQ(r2.headers["Retry-After"], "1");
  EXPECT_NE(r2.body.find("slow down"), std::string::npos);
  EXPECT_EQ(r3.status, 200) << r3.raw;
  EXPECT_EQ(r3.body, a3);

  auto reqs = s.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(s.request_count(), 3u);
  EXPECT_EQ(reqs[0].method, "POST");
  EXPECT_EQ(reqs[0].path, "/v1/chat/completions");
  EXPECT_EQ(reqs[0].headers["authorization"], "Bearer k1");
  EXPECT_EQ(reqs[0].headers["x-mixed-case"], "Yes");
  EXPECT_EQ(reqs[0].body, "{\"n\":1}");
  EXPECT_EQ(reqs[1].body, "{\"n\":2}");
  EXPECT_EQ(reqs[2].path, "/v1/messages");
  EXPECT_EQ(reqs[2].headers["x-api-key"], "k3");
  EXPECT_EQ(reqs[2].headers["anthropic-version"], "2023-06-01");
}

TEST(FakeLlmServer, EmptyScriptUsesTheDefaultElse404) {
  FakeLlmServer s;
  Response none = Exchange(s.port(), Post("/v1/chat/completions", "{}"));
  EXPECT_EQ(none.status, 404) << none.raw;
  EXPECT_NE(none.body.find("\"error\""), std::string::npos);

  s.SetDefault(Answer(503, FakeLlmServer::OpenAiError("overloaded", "server_error")));
  s.Push(Answer(200, "scripted"));
  EXPECT_EQ(Exchange(s.port(), Post("/x", "{}")).body, "scripted");
  for (int i = 0; i < 3; i++) EXPECT_EQ(Exchange(s.port(), Post("/x", "{}")).status, 503);
  EXPECT_EQ(s.request_count(), 5u);
}

TEST(FakeLlmServer, ReadsChunkedAndExpectContinueBodies) {
  FakeLlmServer s;
  s.SetDefault(Answer(200, "ok"));
  Response r = Exchange(s.port(),
                        "POST /v1/messages HTTP/1.1\r\nHost: x\r\n"
                        "Transfer-Encoding: chunked\r\n\r\n"
                        "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n");
  EXPECT_EQ(r.body, "ok") << r.raw;

  int fd = Connect(s.port());
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(SendAll(fd, "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                          "Expect: 100-continue\r\nContent-Length: 4\r\n\r\n"));
  char buf[64] = {};
  pollfd p = {fd, POLLIN, 0};
  ASSERT_EQ(poll(&p, 1, 5000), 1);
  ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
  ASSERT_GT(n, 0);
  EXPECT_STREQ(buf, "HTTP/1.1 100 Continue\r\n\r\n");
  ASSERT_TRUE(SendAll(fd, "body"));
  EXPECT_EQ(Parse(ReadToEof(fd)).body, "ok");
  close(fd);

  auto reqs = s.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].body, "hello, world");
  EXPECT_EQ(reqs[1].body, "body");
}

TEST(FakeLlmServer, HonoursDelay) {
  FakeLlmServer s;
  ScriptedResponse slow = Answer(200, "late");
  slow.delay_ms = 300;
  s.Push(slow);
  auto t0 = Clock::now();
  Response r = Exchange(s.port(), Post("/v1/chat/completions", "{}"));
  EXPECT_GE(Since(t0), 0.29);
  EXPECT_EQ(r.body, "late");
}

TEST(FakeLlmServer, DelayEndsWhenTheClientHangsUp) {
  FakeLlmServer s;
  ScriptedResponse slow = Answer(200, "never read");
  slow.delay_ms = 10000;
  s.Push(slow);
  s.Push(Answer(200, "next"));
  int fd = Connect(s.port());
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(SendAll(fd, Post("/v1/chat/completions", "{}")));
  ASSERT_TRUE(s.WaitForRequests(1, 30000));
  auto t0 = Clock::now();
  close(fd);  // a client that timed out
  Response r = Exchange(s.port(), Post("/v1/chat/completions", "{}"));
  EXPECT_EQ(r.body, "next");
  EXPECT_LT(Since(t0), 5.0) << "the next request waited out the 10 s delay";
}

TEST(FakeLlmServer, TruncatesAndClosesWithoutResponse) {
  FakeLlmServer s;
  ScriptedResponse cut = Answer(200, FakeLlmServer::OpenAiAnswer("cut short"));
  cut.truncate = true;
  s.Push(cut);
  ScriptedResponse rude;
  rude.close_without_response = true;
  s.Push(rude);

  Response r = Exchange(s.port(), Post("/v1/chat/completions", "{}"));
  EXPECT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body, cut.body);  // all of it, then the close
  EXPECT_GT(std::stoul(r.headers["Content-Length"]), r.body.size());

  Response none = Exchange(s.port(), Post("/v1/chat/completions", "{}"));
  EXPECT_EQ(none.raw, "");
  EXPECT_EQ(s.request_count(), 2u);  // recorded, though never answered
}

TEST(FakeLlmServer, ShutsDownFastWithAClientMidRequest) {
  auto s = std::make_unique<FakeLlmServer>();
  int fd = Connect(s->port());
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(SendAll(fd, "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 100\r\n\r\n{"));
  usleep(50 * 1000);  // let the server block on the rest of the body
  auto t0 = Clock::now();
  s.reset();
  EXPECT_LT(Since(t0), 5.0) << "shutdown waited out the 10 s idle limit";
  close(fd);
}

TEST(FakeLlmServer, ShutsDownFastDuringADelay) {
  auto s = std::make_unique<FakeLlmServer>();
  ScriptedResponse slow = Answer(200, "late");
  slow.delay_ms = 30000;
  s->SetDefault(slow);
  int fd = Connect(s->port());
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(SendAll(fd, Post("/v1/messages", "{}")));
  ASSERT_TRUE(s->WaitForRequests(1, 30000));
  auto t0 = Clock::now();
  s.reset();
  EXPECT_LT(Since(t0), 10.0) << "shutdown waited for the 30 s delay";
  EXPECT_EQ(ReadToEof(fd), "");  // closed without an answer
  close(fd);
}

// The same server through curl, when the curl program is installed: a real HTTP client agrees
// that the answers are well framed and that a truncated one is a failed transfer.
TEST(FakeLlmServer, CurlAgrees) {
  if (std::system("command -v curl >/dev/null 2>&1") != 0) GTEST_SKIP() << "no curl program";
  FakeLlmServer s;
  s.Push(Answer(200, FakeLlmServer::OpenAiAnswer("via curl")));
  ScriptedResponse cut = Answer(200, FakeLlmServer::OpenAiAnswer("cut"));
  cut.truncate = true;
  s.Push(cut);
  std::string cmd = "curl --noproxy '*' -sS -m 10 -o /dev/null -w '%{http_code}' -X POST "
                    "-H 'Content-Type: application/json' -d '{\"a\":1}' " +
                    s.base_url_openai() + "/chat/completions 2>/dev/null; echo \" rc=$?\"";
  auto run = [&] {
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    if (p == nullptr) return out;
    char buf[256];
    while (fgets(buf, sizeof buf, p) != nullptr) out += buf;
    pclose(p);
    return out;
  };
  EXPECT_EQ(run(), "200 rc=0\n");
  EXPECT_EQ(run(), "200 rc=18\n");  // CURLE_PARTIAL_FILE
  auto reqs = s.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].path, "/v1/chat/completions");
  EXPECT_EQ(reqs[0].body, "{\"a\":1}");
}

}  // namespace
