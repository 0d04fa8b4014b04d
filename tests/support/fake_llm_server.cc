// fake_llm_server.cc — see fake_llm_server.h.
#include "fake_llm_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace elmo_test {
namespace {

constexpr size_t kMaxRequestBytes = 64u << 20;  // a client gone mad, not a test
constexpr int kIdleMs = 10000;                  // a silent client is dropped after this

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "fake_llm_server: %s: %s\n", what, std::strerror(errno));
  std::abort();
}

const char* Reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 413: return "Payload Too Large";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 529: return "Overloaded";
    default: return "Status";
  }
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

enum class Ready { kYes, kStop, kHangup, kTimeout };

// Waits for `events` on fd, or a byte on wake (the server is stopping), or timeout_ms (-1: none).
// POLLERR/POLLHUP (and POLLRDHUP when asked for) report kHangup unless `events` is also ready.
Ready WaitFd(int fd, short events, int wake, int timeout_ms) {
  for (;;) {
    pollfd p[2] = {{fd, events, 0}, {wake, POLLIN, 0}};
    int n = poll(p, 2, timeout_ms);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Ready::kStop;
    if (n == 0) return Ready::kTimeout;
    if (p[1].revents) return Ready::kStop;
    if (p[0].revents & (events & ~POLLRDHUP)) return Ready::kYes;
    return Ready::kHangup;
  }
}

// Buffered reads from the client, each bounded by kIdleMs and the stop signal.
class Reader {
 public:
  Reader(int fd, int wake) : fd_(fd), wake_(wake) {}

  bool Line(std::string* out) {
    for (;;) {
      size_t e = buf_.find("\r\n", pos_);
      if (e != std::string::npos) {
        *out = buf_.substr(pos_, e - pos_);
        pos_ = e + 2;
        return true;
      }
      if (!Fill()) return false;
    }
  }

  bool Bytes(size_t n, std::string* out) {
    while (buf_.size() - pos_ < n) {
      if (!Fill()) return false;
    }
    out->append(buf_, pos_, n);
    pos_ += n;
    return true;
  }

 private:
  bool Fill() {
    if (buf_.size() > kMaxRequestBytes) return false;
    if (WaitFd(fd_, POLLIN, wake_, kIdleMs) != Ready::kYes) return false;
    char tmp[16384];
    ssize_t n = recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf_.append(tmp, static_cast<size_t>(n));
    return true;
  }

  int fd_, wake_;
  std::string buf_;
  size_t pos_ = 0;
};

bool SendAll(int fd, int wake, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    if (WaitFd(fd, POLLOUT, wake, kIdleMs) != Ready::kYes) return false;
    ssize_t n = send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

// Sleeps delay_ms; false when the client hung up or the server is stopping.
bool Delay(int fd, int wake, int delay_ms) {
  auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(delay_ms);
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    end - std::chrono::steady_clock::now()).count();
    if (left <= 0) return true;
    Ready r = WaitFd(fd, POLLRDHUP, wake, static_cast<int>(left));
    if (r == Ready::kTimeout) continue;
    return false;  // hangup or stop (POLLRDHUP alone is never "ready")
  }
}

bool ReadChunked(Reader* in, std::string* body) {
  for (;;) {
    std::string line;
    if (!in->Line(&line)) return false;
    char* end = nullptr;
    unsigned long long size = std::strtoull(line.c_str(), &end, 16);
    if (end == line.c_str() || size > kMaxRequestBytes) return false;
    if (size == 0) {  // trailers up to the empty line
      do {
        if (!in->Line(&line)) return false;
      } while (!line.empty());
      return true;
    }
    if (!in->Bytes(static_cast<size_t>(size), body) || !in->Line(&line) || !line.empty()) {
      return false;
    }
  }
}

// Reads one request; false when the client left early or sent something unreadable.
bool ReadRequest(int fd, int wake, FakeLlmServer::Request* req) {
  Reader in(fd, wake);
  std::string line;
  if (!in.Line(&line)) return false;
  size_t sp1 = line.find(' '), sp2 = line.rfind(' ');
  if (sp1 == std::string::npos || sp2 == sp1) return false;
  req->method = line.substr(0, sp1);
  req->path = line.substr(sp1 + 1, sp2 - sp1 - 1);
  for (;;) {
    if (!in.Line(&line)) return false;
    if (line.empty()) break;
    size_t colon = line.find(':');
    if (colon == std::string::npos) return false;
    req->headers[Lower(Trim(line.substr(0, colon)))] = Trim(line.substr(colon + 1));
  }
  auto h = [&](const char* name) {
    auto it = req->headers.find(name);
    return it == req->headers.end() ? std::string() : it->second;
  };
  if (Lower(h("expect")) == "100-continue" &&
      !SendAll(fd, wake, "HTTP/1.1 100 Continue\r\n\r\n")) {
    return false;
  }
  if (Lower(h("transfer-encoding")).find("chunked") != std::string::npos) {
    return ReadChunked(&in, &req->body);
  }
  std::string cl = h("content-length");
  if (cl.empty()) return true;
  char* end = nullptr;
  unsigned long long n = std::strtoull(cl.c_str(), &end, 10);
  if (end == cl.c_str() || *end != '\0' || n > kMaxRequestBytes) return false;
  return in.Bytes(static_cast<size_t>(n), &req->body);
}

std::string ResponseHead(const ScriptedResponse& r) {
  size_t length = r.body.size() + (r.truncate ? 1000 + r.body.size() : 0);
  std::string h = "HTTP/1.1 " + std::to_string(r.status) + " " + Reason(r.status) + "\r\n";
  if (!r.content_type.empty()) h += "Content-Type: " + r.content_type + "\r\n";
  h += "Content-Length: " + std::to_string(length) + "\r\n";
  h += "Connection: close\r\n";
  for (const auto& kv : r.headers) h += kv.first + ": " + kv.second + "\r\n";
  return h + "\r\n";
}

}  // namespace

FakeLlmServer::FakeLlmServer() {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) Die("socket");
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) Die("bind 127.0.0.1:0");
  if (listen(listen_fd_, 64) != 0) Die("listen");
  socklen_t len = sizeof a;
  if (getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0) Die("getsockname");
  port_ = ntohs(a.sin_port);
  if (pipe2(wake_, O_CLOEXEC) != 0) Die("pipe2");
  thread_ = std::thread([this] { Run(); });
}

FakeLlmServer::~FakeLlmServer() {
  char c = 'x';
  while (write(wake_[1], &c, 1) < 0 && errno == EINTR) {
  }
  thread_.join();
  close(listen_fd_);
  close(wake_[0]);
  close(wake_[1]);
}

std::string FakeLlmServer::base_url_openai() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/v1";
}

std::string FakeLlmServer::base_url_anthropic() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

void FakeLlmServer::Push(ScriptedResponse r) {
  std::lock_guard<std::mutex> l(mu_);
  script_.push_back(std::move(r));
}

void FakeLlmServer::SetDefault(ScriptedResponse r) {
  std::lock_guard<std::mutex> l(mu_);
  default_ = std::move(r);
  has_default_ = true;
}

std::vector<FakeLlmServer::Request> FakeLlmServer::requests() const {
  std::lock_guard<std::mutex> l(mu_);
  return requests_;
}

size_t FakeLlmServer::request_count() const {
  std::lock_guard<std::mutex> l(mu_);
  return requests_.size();
}

bool FakeLlmServer::WaitForRequests(size_t n, int timeout_ms) const {
  std::unique_lock<std::mutex> l(mu_);
  return cv_.wait_for(l, std::chrono::milliseconds(timeout_ms),
                      [&] { return requests_.size() >= n; });
}

void FakeLlmServer::Record(Request r) {
  std::lock_guard<std::mutex> l(mu_);
  requests_.push_back(std::move(r));
  cv_.notify_all();
}

ScriptedResponse FakeLlmServer::Next() {
  std::lock_guard<std::mutex> l(mu_);
  if (!script_.empty()) {
    ScriptedResponse r = std::move(script_.front());
    script_.pop_front();
    return r;
  }
  if (has_default_) return default_;
  ScriptedResponse r;
  r.status = 404;
  r.body = OpenAiError("fake_llm_server: no scripted response left", "not_found_error");
  return r;
}

void FakeLlmServer::Run() {
  for (;;) {
    Ready r = WaitFd(listen_fd_, POLLIN, wake_[0], -1);
    if (r == Ready::kStop) return;
    if (r != Ready::kYes) continue;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) continue;
    Serve(fd);
    close(fd);
  }
}

void FakeLlmServer::Serve(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  Request req;
  if (!ReadRequest(fd, wake_[0], &req)) return;
  Record(std::move(req));
  ScriptedResponse r = Next();
  if (r.delay_ms > 0 && !Delay(fd, wake_[0], r.delay_ms)) return;
  if (r.close_without_response) return;
  if (!SendAll(fd, wake_[0], ResponseHead(r) + r.body)) return;
  shutdown(fd, SHUT_WR);
}

std::string FakeLlmServer::JsonEscape(const std::string& s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

std::string FakeLlmServer::OpenAiAnswer(const std::string& text, int prompt_tokens,
                                        int completion_tokens, const std::string& model) {
  return "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion\",\"created\":1700000000,"
         "\"model\":\"" + JsonEscape(model) + "\",\"choices\":[{\"index\":0,\"message\":"
         "{\"role\":\"assistant\",\"content\":\"" + JsonEscape(text) + "\"},"
         "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":" +
         std::to_string(prompt_tokens) + ",\"completion_tokens\":" +
         std::to_string(completion_tokens) + ",\"total_tokens\":" +
         std::to_string(prompt_tokens + completion_tokens) + "}}";
}

std::string FakeLlmServer::AnthropicAnswer(const std::string& text, int input_tokens,
                                           int output_tokens, const std::string& model) {
  return "{\"id\":\"msg_fake\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" +
         JsonEscape(model) + "\",\"content\":[{\"type\":\"text\",\"text\":\"" + JsonEscape(text) +
         "\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":" +
         std::to_string(input_tokens) + ",\"output_tokens\":" + std::to_string(output_tokens) +
         "}}";
}

std::string FakeLlmServer::OpenAiError(const std::string& message, const std::string& type) {
  return "{\"error\":{\"message\":\"" + JsonEscape(message) + "\",\"type\":\"" +
         JsonEscape(type) + "\",\"param\":null,\"code\":null}}";
}

std::string FakeLlmServer::AnthropicError(const std::string& type, const std::string& message) {
  return "{\"type\":\"error\",\"error\":{\"type\":\"" + JsonEscape(type) + "\",\"message\":\"" +
         JsonEscape(message) + "\"}}";
}

}  // namespace elmo_test
