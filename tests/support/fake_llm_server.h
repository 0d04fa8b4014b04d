// fake_llm_server.h — a real HTTP/1.1 server on 127.0.0.1 that answers like an LLM API, for the
// tests of the HTTP client (llm.h).
//
// It speaks enough of two protocols to be indistinguishable from them on the wire:
//   OpenAI Chat Completions  POST .../chat/completions  (base_url_openai() = http://127.0.0.1:P/v1)
//   Anthropic Messages       POST /v1/messages          (base_url_anthropic() = http://127.0.0.1:P)
// It does not check the path or the protocol: every request gets the next scripted response
// (Push), or the default one (SetDefault) when the script is empty, or a 404 OpenAI error when
// neither exists. Every complete request is recorded, in order, before it is answered.
//
// One background thread accepts connections on an ephemeral port and serves one at a time, one
// request per connection (the answer says Connection: close). A scripted delay ends early when
// the client hangs up (so a client that timed out can retry at once) or when the server is
// destroyed. The destructor returns within milliseconds, whatever the thread is doing.
//
// Thread-safety: every public member may be called from any thread.
#ifndef ELMO_TESTS_SUPPORT_FAKE_LLM_SERVER_H
#define ELMO_TESTS_SUPPORT_FAKE_LLM_SERVER_H

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace elmo_test {

struct ScriptedResponse {
  int status = 200;
  std::string content_type = "application/json";  // "" sends no Content-Type header
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (e.g. Retry-After)
  int delay_ms = 0;            // milliseconds to wait after reading the request, before answering
  bool truncate = false;       // announce a Content-Length larger than the body, send it, close
  bool close_without_response = false;  // read the request, then close without a byte
};

class FakeLlmServer {
 public:
  struct Request {
    std::string method, path;                   // path as sent, query included
    std::map<std::string, std::string> headers;  // names lowercased; last one wins
    std::string body;                            // decoded when it came chunked
  };

  // Binds 127.0.0.1:0 and starts the thread. Aborts the test program (with a message) when
  // the socket cannot be set up: nothing can be tested without it.
  FakeLlmServer();
  ~FakeLlmServer();
  FakeLlmServer(const FakeLlmServer&) = delete;
  FakeLlmServer& operator=(const FakeLlmServer&) = delete;

  int port() const { return port_; }
  std::string base_url_openai() const;     // http://127.0.0.1:PORT/v1
  std::string base_url_anthropic() const;  // http://127.0.0.1:PORT

  void Push(ScriptedResponse r);        // appended to the script
  void SetDefault(ScriptedResponse r);  // answers every request once the script is empty

  std::vector<Request> requests() const;
  size_t request_count() const;
  // Waits until at least n requests were recorded; false after timeout_ms milliseconds.
  bool WaitForRequests(size_t n, int timeout_ms) const;

  // Bodies in each protocol's format. Text is JSON-escaped here.
  static std::string OpenAiAnswer(const std::string& text, int prompt_tokens = 11,
                                  int completion_tokens = 7,
                                  const std::string& model = "fake-model");
  static std::string AnthropicAnswer(const std::string& text, int input_tokens = 11,
                                     int output_tokens = 7,
                                     const std::string& model = "fake-claude");
  // {"error":{"message":...,"type":...,"param":null,"code":null}}
  static std::string OpenAiError(const std::string& message,
                                 const std::string& type = "invalid_request_error");
  // {"type":"error","error":{"type":...,"message":...}}
  static std::string AnthropicError(const std::string& type, const std::string& message);
  static std::string JsonEscape(const std::string& s);  // without the surrounding quotes

 private:
  void Run();
  void Serve(int fd);
  void Record(Request r);
  ScriptedResponse Next();

  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};  // a byte in wake_[1] tells the thread to stop
  int port_ = 0;
  std::thread thread_;

  mutable std::mutex mu_;
  mutable std::condition_variable cv_;  // signalled when a request is recorded
  std::deque<ScriptedResponse> script_;
  ScriptedResponse default_;
  bool has_default_ = false;
  std::vector<Request> requests_;
};

}  // namespace elmo_test

#endif  // ELMO_TESTS_SUPPORT_FAKE_LLM_SERVER_H
