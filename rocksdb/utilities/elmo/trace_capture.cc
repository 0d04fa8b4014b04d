// trace_capture.cc — elmo_trace (see the header): the trace writer and its start and stop.

#include "utilities/elmo/trace_capture.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "db/db_impl/db_impl.h"
#include "logging/logging.h"
#include "rocksdb/system_clock.h"
#include "rocksdb/trace_reader_writer.h"
#include "utilities/elmo/scan_trace.h"

#pragma GCC visibility push(hidden)  // private to librocksdb, like the glue headers

namespace ROCKSDB_NAMESPACE {

namespace {

constexpr size_t kBufferBytes = 64 << 10;        // flushed when this full ...
constexpr uint64_t kFlushMicros = 1000000;       // ... or this old
constexpr uint64_t kFreeCheckBytes = 4 << 20;    // free space looked at every 4 MiB written
constexpr int kMaxSiblings = 1000;
constexpr char kSideMagic[] = "ELMOTID1\n";     // the side file (format in elmo/trace.h)
constexpr char kSideSuffix[] = ".elmo-threads";
constexpr uint64_t kRecordBits = 48;              // a scan token: writer id << 48 | record
constexpr uint64_t kMaxWriterId = 0xFFFF;
constexpr uint32_t kMaxThreadId = 0xFFFF;         // later threads share the last id

// This thread's number in the process (1, 2, ...), given on its first traced op.
uint64_t ThreadSerial() {
  static std::atomic<uint64_t> next{1};
  thread_local uint64_t serial = 0;
  if (serial == 0) serial = next.fetch_add(1, std::memory_order_relaxed);
  return serial;
}

// The token of the record the trace writer last wrote on this thread (0: none since cleared).
thread_local uint64_t t_last_token = 0;

void PutLE(std::string* out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; i++) out->push_back(static_cast<char>(v >> (8 * i)));
}

class ElmoTraceWriter;
std::mutex g_writers_mu;  // taken before a writer's own mutex, never after
std::unordered_map<uint64_t, ElmoTraceWriter*>* g_writers =
    new std::unordered_map<uint64_t, ElmoTraceWriter*>;  // never freed
std::atomic<uint64_t> g_next_writer{1};

// Free bytes on the file system holding path's directory; -1 when unknown.
double FreeBytes(const std::string& path) {
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  struct statvfs vfs;
  if (statvfs(dir.c_str(), &vfs) != 0) return -1;
  return static_cast<double>(vfs.f_bavail) * static_cast<double>(vfs.f_frsize);
}

// Opens path, or PATH.2, PATH.3, ... when it exists; never truncates a file. Returns the fd (and
// *chosen), or -1 with *why.
int OpenNew(const std::string& path, std::string* chosen, std::string* why) {
  for (int i = 1; i <= kMaxSiblings; i++) {
    std::string p = i == 1 ? path : path + "." + std::to_string(i);
    int fd = open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0) {
      *chosen = p;
      return fd;
    }
    if (errno != EEXIST) {
      *why = p + ": " + std::strerror(errno);
      return -1;
    }
  }
  *why = path + ": " + std::to_string(kMaxSiblings) + " traces of that name exist already";
  return -1;
}

// RocksDB calls Write with one whole encoded record at a time, under DBImpl's trace mutex, on
// the thread of the operation traced (the Begin record: StartTrace's; the End: EndTrace's).
// Beside the trace it keeps the side file: the thread of each record, and scan lengths.
class ElmoTraceWriter : public TraceWriter {
 public:
  ElmoTraceWriter(int fd, std::string path, const elmo_rt_config& cfg,
                  std::shared_ptr<Logger> log)
      : id_(g_next_writer.fetch_add(1, std::memory_order_relaxed)),
        fd_(fd), path_(std::move(path)), log_(std::move(log)),
        clock_(SystemClock::Default().get()),
        max_bytes_(static_cast<uint64_t>(cfg.trace_max_bytes)),
        min_free_(cfg.trace_min_free_bytes),
        deadline_us_(cfg.trace_seconds > 0
                         ? clock_->NowMicros() + static_cast<uint64_t>(cfg.trace_seconds * 1e6)
                         : 0) {
    buf_.reserve(kBufferBytes);
    last_flush_us_ = clock_->NowMicros();
    const std::string side = path_ + kSideSuffix;
    side_fd_ = open(side.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (side_fd_ < 0) {
      ROCKS_LOG_WARN(log_, "[elmo] trace: cannot create %s: %s; the trace will have no thread "
                     "ids", side.c_str(), std::strerror(errno));
    } else {
      side_buf_.assign(kSideMagic, sizeof(kSideMagic) - 1);
    }
    if (id_ <= kMaxWriterId) {
      std::lock_guard<std::mutex> lock(g_writers_mu);
      (*g_writers)[id_] = this;
    }
  }
  ~ElmoTraceWriter() override { Close().PermitUncheckedError(); }

  // A traced seek's iterator made `moves` Next/Prev calls (see scan_trace.h).
  static void ScanEnded(uint64_t token, uint64_t moves) {
    std::lock_guard<std::mutex> lock(g_writers_mu);
    auto it = g_writers->find(token >> kRecordBits);
    if (it != g_writers->end()) it->second->AddScan(token & ((uint64_t{1} << kRecordBits) - 1), moves);
  }

  Status Write(const Slice& data) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (fd_ < 0 || stopped_) return Status::OK();  // the trace stays valid; the DB goes on
    const uint64_t now = clock_->NowMicros();
    if (deadline_us_ != 0 && now >= deadline_us_) {
      return StopLocked("elmo_trace_seconds reached");
    }
    if (size_ + buf_.size() + data.size() > max_bytes_) {
      return StopLocked("elmo_trace_max_bytes reached");
    }
    buf_.append(data.data(), data.size());
    const uint64_t record = records_++;
    if (side_fd_ >= 0) {
      side_buf_.push_back('T');
      PutLE(&side_buf_, ThreadId(), 2);
    }
    t_last_token = id_ <= kMaxWriterId ? id_ << kRecordBits | record : 0;
    if (buf_.size() >= kBufferBytes || now - last_flush_us_ >= kFlushMicros) FlushLocked(now);
    return Status::OK();
  }

  Status Close() override {
    {
      std::lock_guard<std::mutex> lock(g_writers_mu);
      g_writers->erase(id_);
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (fd_ < 0) return Status::OK();
    FlushLocked(clock_->NowMicros());
    close(fd_);
    fd_ = -1;
    if (side_fd_ >= 0) close(side_fd_);
    side_fd_ = -1;
    ROCKS_LOG_INFO(log_, "[elmo] trace: %s closed, %llu records, %llu bytes%s", path_.c_str(),
                   static_cast<unsigned long long>(records_),
                   static_cast<unsigned long long>(size_), stopped_ ? " (stopped early)" : "");
    return Status::OK();
  }

  uint64_t GetFileSize() override {
    std::lock_guard<std::mutex> lock(mu_);
    return size_ + buf_.size();
  }

 private:
  void AddScan(uint64_t record, uint64_t moves) {
    std::lock_guard<std::mutex> lock(mu_);
    if (fd_ < 0 || stopped_ || side_fd_ < 0) return;
    side_buf_.push_back('N');
    PutLE(&side_buf_, record, 8);
    PutLE(&side_buf_, std::min<uint64_t>(moves, UINT32_MAX), 4);
  }

  // This thread's id in this trace: 1, 2, ... in order of first appearance.
  uint32_t ThreadId() {
    auto ins = thread_ids_.emplace(ThreadSerial(), 0);
    if (ins.second) {
      ins.first->second = static_cast<uint32_t>(std::min<size_t>(thread_ids_.size(), kMaxThreadId));
    }
    return ins.first->second;
  }

  // Writes the side file's buffer; a failure ends the side file (the trace goes on).
  void FlushSideLocked() {
    const char* p = side_buf_.data();
    size_t left = side_buf_.size();
    while (left > 0 && side_fd_ >= 0) {
      ssize_t n = write(side_fd_, p, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        ROCKS_LOG_WARN(log_, "[elmo] trace: %s%s: %s; the rest of the trace has no thread ids",
                       path_.c_str(), kSideSuffix, std::strerror(errno));
        close(side_fd_);
        side_fd_ = -1;
        break;
      }
      p += n, left -= static_cast<size_t>(n);
    }
    side_buf_.clear();
  }

  Status StopLocked(const std::string& why) {
    FlushLocked(clock_->NowMicros());
    stopped_ = true;
    ROCKS_LOG_WARN(log_, "[elmo] trace: %s stopped after %llu bytes: %s", path_.c_str(),
                   static_cast<unsigned long long>(size_), why.c_str());
    return Status::OK();
  }

  void FlushLocked(uint64_t now) {
    last_flush_us_ = now;
    const char* p = buf_.data();
    size_t left = buf_.size();
    while (left > 0 && !stopped_) {
      ssize_t n = write(fd_, p, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        stopped_ = true;
        ROCKS_LOG_WARN(log_, "[elmo] trace: %s stopped after %llu bytes: %s", path_.c_str(),
                       static_cast<unsigned long long>(size_), std::strerror(errno));
        // A short write leaves part of a record: cut the file back to the last whole one.
        if (ftruncate(fd_, static_cast<off_t>(size_)) != 0) { /* nothing more to do */ }
        break;
      }
      p += n, left -= static_cast<size_t>(n);
      if (left == 0) size_ += buf_.size();
    }
    buf_.clear();
    FlushSideLocked();
    if (!stopped_ && size_ >= next_free_check_) {
      next_free_check_ = size_ + kFreeCheckBytes;
      double free = FreeBytes(path_);
      if (free >= 0 && free < min_free_) {
        stopped_ = true;
        ROCKS_LOG_WARN(log_, "[elmo] trace: %s stopped after %llu bytes: %.0f bytes free on its "
                       "disk, below elmo_trace_min_free_bytes", path_.c_str(),
                       static_cast<unsigned long long>(size_), free);
      }
    }
  }

  const uint64_t id_;  // its scan tokens' writer part
  std::mutex mu_;
  int fd_;
  int side_fd_ = -1;
  std::string side_buf_;  // side file entries not yet written
  std::unordered_map<uint64_t, uint32_t> thread_ids_;  // ThreadSerial -> id in this trace
  const std::string path_;
  const std::shared_ptr<Logger> log_;
  SystemClock* const clock_;
  const uint64_t max_bytes_;
  const double min_free_;
  const uint64_t deadline_us_;  // 0: none
  std::string buf_;             // whole records not yet written
  uint64_t size_ = 0;           // bytes in the file
  uint64_t records_ = 0;
  uint64_t last_flush_us_ = 0;
  uint64_t next_free_check_ = 0;
  bool stopped_ = false;
};

std::mutex g_mu;
std::unordered_set<const DBImpl*>* g_traced = new std::unordered_set<const DBImpl*>;  // never freed
std::atomic<int> g_count{0};  // DBs in g_traced (Stop's fast path)

}  // namespace

void ElmoScanTrace::BeforeSeek() {
  End();
  t_last_token = 0;
}

void ElmoScanTrace::AfterSeek() {
  token_ = t_last_token;
  t_last_token = 0;
  moves_ = 0;
}

void ElmoScanTrace::End() {
  if (token_ != 0) ElmoTraceWriter::ScanEnded(token_, moves_);
  token_ = 0;
  moves_ = 0;
}

void ElmoTraceStart(DBImpl* db, const elmo_rt_config& cfg) {
  if (cfg.trace[0] == '\0') return;
  const std::shared_ptr<Logger>& log = db->immutable_db_options().info_log;
  char path[4096];
  elmo_error err;
  elmo_error_clear(&err);
  if (elmo_rt_trace_path(cfg.trace, static_cast<long>(getpid()), db->GetName().c_str(), path,
                         sizeof path, &err) != ELMO_OK) {
    ROCKS_LOG_WARN(log, "[elmo] trace: %s; not tracing", err.message);
    return;
  }
  double free = FreeBytes(path);
  if (free >= 0 && free < cfg.trace_min_free_bytes) {
    ROCKS_LOG_WARN(log, "[elmo] trace: %s: %.0f bytes free on its disk, below "
                   "elmo_trace_min_free_bytes; not tracing", path, free);
    return;
  }
  std::string chosen, why;
  int fd = OpenNew(path, &chosen, &why);
  if (fd < 0) {
    ROCKS_LOG_WARN(log, "[elmo] trace: cannot create %s; not tracing", why.c_str());
    return;
  }
  TraceOptions opts;
  opts.sampling_frequency = static_cast<uint64_t>(cfg.trace_sampling);
  std::unique_ptr<TraceWriter> writer(new ElmoTraceWriter(fd, chosen, cfg, log));
  Status s = db->StartTrace(opts, std::move(writer));
  if (!s.ok()) {
    ROCKS_LOG_WARN(log, "[elmo] trace: StartTrace: %s; not tracing", s.ToString().c_str());
    unlink(chosen.c_str());
    unlink((chosen + kSideSuffix).c_str());
    return;
  }
  {
    std::lock_guard<std::mutex> lock(g_mu);
    if (g_traced->insert(db).second) g_count.fetch_add(1, std::memory_order_relaxed);
  }
  ROCKS_LOG_INFO(log, "[elmo] trace: recording to %s (one op in %d, at most %.0f bytes%s)",
                 chosen.c_str(), cfg.trace_sampling, cfg.trace_max_bytes,
                 cfg.trace_seconds > 0 ? (", " + std::to_string(cfg.trace_seconds) + " s").c_str()
                                       : "");
}

void ElmoTraceStop(DBImpl* db) {
  if (g_count.load(std::memory_order_relaxed) == 0) return;
  {
    std::lock_guard<std::mutex> lock(g_mu);
    if (g_traced->erase(db) == 0) return;
    g_count.fetch_sub(1, std::memory_order_relaxed);
  }
  Status s = db->EndTrace();  // the footer, then the writer's Close (its destructor)
  if (!s.ok()) {
    // The application ended it already: nothing of ELMo's is left open.
    s.PermitUncheckedError();
  }
}

}  // namespace ROCKSDB_NAMESPACE

#pragma GCC visibility pop
