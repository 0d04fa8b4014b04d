// realtime_thread.cc — the realtime tuner's thread (see realtime_thread.h and docs/REALTIME.md).
//
// Only the imperative shell lives here: reading statistics and properties, calling SetOptions,
// writing the journal and the LOG, sleeping and stopping. Every decision is the C core's
// (elmo/src/realtime*.c); the advisor is the core's built-in rules or an LLM through llm.h.

#include "utilities/elmo/realtime_thread.h"

#include <locale.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "cjson/cJSON.h"
#include "db/db_impl/db_impl.h"
#include "elmo/engine.h"
#include "elmo/catalog.h"
#include "elmo/host.h"
#include "elmo/llm.h"
#include "elmo/number.h"
#include "elmo/optfile.h"
#include "elmo/playbook.h"
#include "elmo/realtime.h"
#include "logging/logging.h"
#include "monitoring/statistics.h"
#include "rocksdb/statistics.h"
#include "rocksdb/utilities/options_util.h"
#include "utilities/elmo/realtime_options.h"

#pragma GCC visibility push(hidden)  // private to librocksdb, like the glue headers

namespace ROCKSDB_NAMESPACE {

namespace {

// Frees a C string or object of the core when it goes out of scope.
struct CFree {
  void operator()(void* p) const { elmo_free(p); }
};
using CString = std::unique_ptr<char, CFree>;

// The statistics wrapper the last ElmoRealtimePrepareOptions on this thread made: DBImpl::Open
// prepares and starts on the same thread, so Start knows the object is the tuner's own.
thread_local std::shared_ptr<Statistics> t_prepared_stats;

// Tickers summed into the sample's counters (the tuner's statistics are reset every interval,
// so the thread keeps the running totals).
struct Totals {
  double gets = 0, writes = 0, seeks = 0, nexts = 0, bytes_read = 0, bytes_written = 0;
  double stall_micros = 0, cache_hits = 0, cache_misses = 0, flush_bytes = 0, compact_bytes = 0;
};

// One DB's tuner. Shared by the thread and the registry; the thread holds it to the end.
struct Tuner {
  elmo_rt_config cfg;
  std::string db_name;
  std::shared_ptr<Logger> info_log;
  std::shared_ptr<Statistics> stats;  // the tuner's own StatisticsImpl (reset every interval)
  bool own_stats = false;

  std::mutex db_mu;          // held around every use of db
  DBImpl* db = nullptr;      // nullptr once the DB is closing

  std::mutex mu;             // guards stop, exited, llm, restore
  std::condition_variable cv;
  bool stop = false;
  bool released = false;     // Stop is done with the DB (and its restore record is written)
  bool exited = false;
  elmo_llm* llm = nullptr;   // owned by the thread; cancelled by Stop

  std::unique_ptr<elmo_playbook> playbook;  // elmo_playbook=FILE, loaded by the thread; or null
  std::shared_ptr<EventListener> listener;  // the settings listener, whose hub has sink
  std::shared_ptr<ElmoEventSink> sink;      // the DB's events (db_events.h)
  std::vector<elmo_rt_call> restore;  // guarded by mu: the calls that put back the values from
                                      // before the change in flight (elmo_rt_restore_calls)

  std::mutex journal_mu;     // guards journal: the thread writes it, and Stop (a restore)
  FILE* journal = nullptr;   // owned by the thread
  std::string journal_path;
  Totals totals;
};

struct Registry {
  std::mutex mu;
  std::unordered_map<const DBImpl*, std::shared_ptr<Tuner>> tuners;
};

// Never destroyed: a thread still unwinding an LLM call at exit must not find it gone.
Registry& TheRegistry() {
  static Registry* r = new Registry;
  return *r;
}

std::atomic<int> g_tuners{0};  // tuners registered (Stop's fast path)

double WallSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

double CpuSeconds() {
  struct timespec ts;
  if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0) return 0;
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec / 1e9;
}

// This process's resident set, the memory it may use (its cgroup's limit, else physical memory)
// and the CPUs it may run on: the core's host probe (elmo/host.h), shared with the trials.
double RssBytes() { return static_cast<double>(elmo_host_rss_bytes(0)); }

double MemoryLimitBytes() { return static_cast<double>(elmo_host_memory_bytes()); }

int CpuCount() { return elmo_host_cpus(); }

// The DB's LOG, while the DB is open: Close closes a LOG the DB created itself, and writing to a
// closed one crashes.
void Log(Tuner* t, const char* line) {
  std::lock_guard<std::mutex> lock(t->db_mu);
  if (t->db != nullptr && t->info_log) ROCKS_LOG_INFO(t->info_log.get(), "%s", line);
}

void JournalRaw(Tuner* t, const std::string& line) {
  std::lock_guard<std::mutex> lock(t->journal_mu);
  if (t->journal == nullptr) return;
  std::fputs(line.c_str(), t->journal);
  std::fputc('\n', t->journal);
  std::fflush(t->journal);
}

// A record that is not a decision of the core: start, stop, advice, error.
void JournalNote(Tuner* t, const char* event, const std::string& reason) {
  cJSON* j = cJSON_CreateObject();
  if (j != nullptr) {
    cJSON_AddNumberToObject(j, "ts", WallSeconds());
    cJSON_AddStringToObject(j, "event", event);
    cJSON_AddStringToObject(j, "reason", reason.c_str());
    char* line = cJSON_PrintUnformatted(j);
    if (line != nullptr) JournalRaw(t, line);
    cJSON_free(line);
    cJSON_Delete(j);
  }
  std::string log = std::string("[elmo] ") + event + ": " + reason;
  Log(t, log.c_str());
}

void Journal(Tuner* t, const elmo_rt_decision& d) {
  CString line(elmo_rt_journal_line(&d));
  if (line) JournalRaw(t, line.get());
  CString log(elmo_rt_log_line(&d));
  if (log) Log(t, log.get());
}

// Reads one sample. False when the DB is closing.
bool Sample(Tuner* t, elmo_rt_sample* s) {
  *s = elmo_rt_sample{};
  Statistics* st = t->stats.get();
  if (st != nullptr) {
    HistogramData get{}, write{};
    st->histogramData(DB_GET, &get);
    st->histogramData(DB_WRITE, &write);
    s->p99_get_us = get.count > 0 ? get.percentile99 : 0;
    s->p99_write_us = write.count > 0 ? write.percentile99 : 0;
    Totals& x = t->totals;
    auto tick = [st](uint32_t type) { return static_cast<double>(st->getTickerCount(type)); };
    double gets = tick(NUMBER_KEYS_READ) + tick(NUMBER_MULTIGET_KEYS_READ);
    double writes = tick(NUMBER_KEYS_WRITTEN), seeks = tick(NUMBER_DB_SEEK), nexts = tick(NUMBER_DB_NEXT);
    double br = tick(BYTES_READ), bw = tick(BYTES_WRITTEN), stall = tick(STALL_MICROS);
    double hit = tick(BLOCK_CACHE_HIT), miss = tick(BLOCK_CACHE_MISS);
    double flush = tick(FLUSH_WRITE_BYTES), compact = tick(COMPACT_WRITE_BYTES);
    if (t->own_stats) {
      // Per-interval histograms: the reset loses at most the few ticks recorded between the
      // reads above and this line.
      st->Reset().PermitUncheckedError();
      x.gets += gets, x.writes += writes, x.seeks += seeks, x.nexts += nexts;
      x.bytes_read += br, x.bytes_written += bw, x.stall_micros += stall;
      x.cache_hits += hit, x.cache_misses += miss, x.flush_bytes += flush, x.compact_bytes += compact;
    } else {
      x = Totals{gets, writes, seeks, nexts, br, bw, stall, hit, miss, flush, compact};
    }
    s->gets = x.gets, s->writes = x.writes, s->seeks = x.seeks, s->nexts = x.nexts;
    s->bytes_read = x.bytes_read, s->bytes_written = x.bytes_written;
    s->stall_micros = x.stall_micros, s->cache_hits = x.cache_hits, s->cache_misses = x.cache_misses;
    s->flush_bytes = x.flush_bytes, s->compact_write_bytes = x.compact_bytes;
  }
  s->time_sec = WallSeconds();
  s->cpu_sec = CpuSeconds();
  s->rss_bytes = RssBytes();
  std::lock_guard<std::mutex> lock(t->db_mu);
  if (t->db == nullptr) return false;
  auto prop = [t](const Slice& name) {
    uint64_t v = 0;
    return t->db->GetIntProperty(name, &v) ? static_cast<double>(v) : 0.0;
  };
  s->pending_compaction_bytes = prop(DB::Properties::kEstimatePendingCompactionBytes);
  s->running_compactions = prop(DB::Properties::kNumRunningCompactions);
  s->running_flushes = prop(DB::Properties::kNumRunningFlushes);
  s->immutable_memtables = prop(DB::Properties::kNumImmutableMemTable);
  s->num_keys = prop(DB::Properties::kEstimateNumKeys);
  std::string l0;
  if (t->db->GetProperty(DB::Properties::kNumFilesAtLevelPrefix + std::string("0"), &l0)) {
    s->l0_files = elmo_number_parse(l0.c_str(), nullptr);
  }
  return true;
}

// The DB's current options as RocksDB last wrote them (its newest OPTIONS file), or nullptr.
elmo_optfile* CurrentOptions(Tuner* t, std::string* why) {
  std::string name;
  Status s;
  {
    // The Env may be the application's and go with the DB: used only while the DB is open.
    std::lock_guard<std::mutex> lock(t->db_mu);
    if (t->db == nullptr) return nullptr;
    s = GetLatestOptionsFileName(t->db_name, t->db->GetEnv(), &name);
  }
  if (!s.ok()) {
    *why = "no OPTIONS file: " + s.ToString();
    return nullptr;
  }
  elmo_optfile* f = nullptr;
  elmo_error err;
  elmo_error_clear(&err);
  if (elmo_optfile_load((t->db_name + "/" + name).c_str(), &f, &err) != ELMO_OK) {
    *why = err.message;
    return nullptr;
  }
  return f;
}

// One call's SetDBOptions / SetOptions on db (the caller holds db_mu).
Status SetOne(DBImpl* db, const elmo_rt_call& c) {
  if (c.section == ELMO_SECTION_DB) return db->SetDBOptions({{c.option, c.new_value}});
  if (c.section == ELMO_SECTION_TABLE) {
    return db->SetOptions(db->DefaultColumnFamily(),
                          {{"block_based_table_factory", std::string("{") + c.option + "=" + c.new_value + "}"}});
  }
  return db->SetOptions(db->DefaultColumnFamily(), {{c.option, c.new_value}});
}

// Applies one call. The message says why it failed.
bool ApplyCall(Tuner* t, const elmo_rt_call& c, std::string* message) {
  std::lock_guard<std::mutex> lock(t->db_mu);
  if (t->db == nullptr) {
    *message = "the DB is closing";
    return false;
  }
  Status s = SetOne(t->db, c);
  if (!s.ok()) *message = s.ToString();
  // RocksDB 7.8's SetDBOptions turns bytes_per_sync=0 into 1 MiB (db_impl.cc): 0 cannot be set
  // back, and any DB option's change sets it. A call that asked for 0 did not take.
  if (s.ok() && std::strcmp(c.option, "bytes_per_sync") == 0 &&
      std::to_string(t->db->GetDBOptions().bytes_per_sync) != c.new_value) {
    *message = "RocksDB's SetDBOptions turns bytes_per_sync=0 into " +
               std::to_string(t->db->GetDBOptions().bytes_per_sync) + " (RocksDB 7.8, db_impl.cc): it stays that";
    return false;
  }
  return s.ok();
}

elmo_rc CheckValue(void* /*ctx*/, elmo_section s, const char* name, const char* value, elmo_error* err) {
  return elmo_engine_builtin()->check_value(s, name, value, err);
}

// The advice for the snapshot of an ASK decision: the core's one advice path (the built-in rules
// or the LLM, then the calibrator), on the DB's options as RocksDB last wrote them. Returns the
// number of pairs (storage: *advice); with none, *why says why and *event is the journal record
// for it: "advice", or "suggest" when a person (manual) did not answer before the next decision.
size_t Advise(Tuner* t, elmo_rt* rt, const elmo_rt_decision& d, elmo_rt_advice* advice,
              std::vector<elmo_rt_pair>* pairs, std::string* why, const char** event) {
  *event = "advice";
  elmo_error err;
  elmo_error_clear(&err);
  pairs->clear();
  const elmo_catalog* cat = nullptr;
  if (elmo_engine_builtin()->catalog(&cat, &err) != ELMO_OK) {
    *why = err.message;
    return 0;
  }
  std::unique_ptr<elmo_optfile, void (*)(elmo_optfile*)> current(CurrentOptions(t, why), elmo_optfile_destroy);
  if (!current) return 0;
  elmo_rt_advice_request req{};
  req.llm = t->llm;
  req.catalog = cat;
  req.current = current.get();
  req.check_value = CheckValue;
  req.playbook = t->playbook.get();
  elmo_rc rc = elmo_rt_advise(rt, &d.snap, &req, advice, &err);
  if (rc == ELMO_ETIMEOUT && elmo_llm_spec_is_manual(t->cfg.llm)) {
    *event = "suggest";
    *why = std::string("a suggestion only, nothing applied (no answer before the next decision): ") + err.message;
    return 0;
  }
  if (rc != ELMO_OK) {
    *why = std::string("the advisor failed: ") + err.message;
    return 0;
  }
  pairs->resize(ELMO_RT_ADVICE_MAX);
  pairs->resize(elmo_rt_advice_pairs(advice, pairs->data(), pairs->size()));
  if (pairs->empty()) *why = advice->reason;
  return pairs->size();
}

// Applies the calls of d (APPLY or ROLLBACK) and reports them, as long as the core asks.
void ApplyLoop(Tuner* t, elmo_rt* rt, elmo_rt_decision* d) {
  elmo_error err;
  while (d->action == ELMO_RT_ACT_APPLY || d->action == ELMO_RT_ACT_ROLLBACK) {
    std::vector<int> ok(d->n_calls);
    std::vector<std::string> texts(d->n_calls);
    std::vector<const char*> messages(d->n_calls);
    for (size_t i = 0; i < d->n_calls; i++) {
      ok[i] = ApplyCall(t, d->calls[i], &texts[i]) ? 1 : 0;
      messages[i] = texts[i].c_str();
    }
    elmo_error_clear(&err);
    if (elmo_rt_applied(rt, ok.data(), messages.data(), d->n_calls, d, &err) != ELMO_OK) {
      JournalNote(t, "error", err.message);
      return;
    }
    Journal(t, *d);
  }
}

bool Stopped(Tuner* t) {
  std::lock_guard<std::mutex> lock(t->mu);
  return t->stop;
}

// Sleeps for seconds; false when stopped.
bool Wait(Tuner* t, double seconds) {
  std::unique_lock<std::mutex> lock(t->mu);
  return !t->cv.wait_for(lock, std::chrono::duration<double>(seconds), [t] { return t->stop; });
}

enum class Woken { kStopped, kTime, kEvent };

// Sleeps for seconds or until an event asks for attention.
Woken WaitOrEvent(Tuner* t, double seconds) {
  std::unique_lock<std::mutex> lock(t->mu);
  t->cv.wait_for(lock, std::chrono::duration<double>(seconds),
                 [t] { return t->stop || (t->sink != nullptr && t->sink->Urgent()); });
  if (t->stop) return Woken::kStopped;
  return t->sink != nullptr && t->sink->Urgent() ? Woken::kEvent : Woken::kTime;
}

// Publishes what Stop must put back if the DB closes now (the change in flight's old values).
void PublishRestore(Tuner* t, const elmo_rt* rt) {
  elmo_rt_call calls[ELMO_RT_MAX_ITEMS];
  size_t n = elmo_rt_restore_calls(rt, calls, ELMO_RT_MAX_ITEMS);
  std::lock_guard<std::mutex> lock(t->mu);
  t->restore.assign(calls, calls + n);
}

// Called by Stop with db_mu held, before the DB is let go: a DB closing while a change is being
// applied, watched or verified gets the values it had before it (one SetOptions each), and the
// journal and the LOG say which values it ended on.
void RestoreOnClose(Tuner* t) {
  std::vector<elmo_rt_call> calls;
  {
    std::lock_guard<std::mutex> lock(t->mu);
    calls.swap(t->restore);
  }
  if (calls.empty() || t->db == nullptr) return;
  // This is the host's closing thread, maybe under a decimal-comma locale: RocksDB's own number
  // conversions in these calls (the OPTIONS file it writes) must see "C" (docs/DESIGN.md).
  locale_t c_numeric = newlocale(LC_NUMERIC_MASK, "C", static_cast<locale_t>(0));
  locale_t host = c_numeric != static_cast<locale_t>(0) ? uselocale(c_numeric) : static_cast<locale_t>(0);
  std::string what;
  for (const elmo_rt_call& c : calls) {
    Status s = SetOne(t->db, c);
    what += (what.empty() ? "" : ", ") + std::string(c.option) + "=" + c.new_value +
            (s.ok() ? "" : " (failed: " + s.ToString() + "; it may stay " + c.old_value + ")");
  }
  if (c_numeric != static_cast<locale_t>(0)) {
    uselocale(host);
    freelocale(c_numeric);
  }
  std::string reason = "the DB closed during the verdict on a change: back to the values before it: " + what;
  cJSON* j = cJSON_CreateObject();
  if (j != nullptr) {
    cJSON_AddNumberToObject(j, "ts", WallSeconds());
    cJSON_AddStringToObject(j, "event", "restore");
    cJSON_AddStringToObject(j, "reason", reason.c_str());
    char* line = cJSON_PrintUnformatted(j);
    if (line != nullptr) JournalRaw(t, line);
    cJSON_free(line);
    cJSON_Delete(j);
  }
  if (t->info_log) ROCKS_LOG_INFO(t->info_log.get(), "[elmo] restore: %s", reason.c_str());
}

// elmo_playbook=FILE: loaded and checked (runtime-mutable options of RocksDB 7.8.3 only); a
// playbook that is missing or bad is a journal and LOG line, and the tuner runs without it.
void LoadPlaybook(Tuner* t) {
  if (t->cfg.playbook[0] == '\0') return;
  auto pb = std::make_unique<elmo_playbook>();
  elmo_error err;
  elmo_error_clear(&err);
  const elmo_catalog* cat = nullptr;
  elmo_rc rc = elmo_playbook_load(t->cfg.playbook, pb.get(), &err);
  if (rc == ELMO_OK) rc = elmo_catalog_builtin(&cat, &err);
  if (rc == ELMO_OK) rc = elmo_playbook_check(pb.get(), cat, &err);
  if (rc != ELMO_OK) {
    JournalNote(t, "error", std::string("elmo_playbook=") + t->cfg.playbook + ": " + err.message +
                "; the tuner runs without a playbook");
    return;
  }
  char buf[256];
  std::snprintf(buf, sizeof buf, "%zu entr%s from %s", pb->n, pb->n == 1 ? "y" : "ies", t->cfg.playbook);
  JournalNote(t, "playbook", buf);
  t->playbook = std::move(pb);
}

// Hands the DB's recorded events to the core: each that is a decision is journaled (and its
// calls applied: a recovery may end a switchback). Returns true when one asks for a look now.
bool FeedEvents(Tuner* t, elmo_rt* rt, elmo_rt_decision* d, elmo_rt_sample* prev) {
  if (t->sink == nullptr) return false;
  bool look = false;
  for (const elmo_rt_db_event& e : t->sink->Take()) {
    look |= elmo_rt_db_event_step(rt, &e, d) == 1;
    if (d->event == ELMO_RT_EV_SKIPPED) continue;
    Journal(t, *d);
    if (d->action == ELMO_RT_ACT_APPLY || d->action == ELMO_RT_ACT_ROLLBACK) {
      ApplyLoop(t, rt, d);
      PublishRestore(t, rt);
      Sample(t, prev);  // the next interval starts after the change
    }
  }
  return look;
}

// Waits until the next sample is due (elmo_rt_next_sample_sec), or sooner when an event asks for
// a look; false when the tuner is stopping.
bool AwaitStep(Tuner* t, elmo_rt* rt, elmo_rt_decision* d, elmo_rt_sample* prev) {
  auto due = std::chrono::steady_clock::now() + std::chrono::duration<double>(elmo_rt_next_sample_sec(rt));
  for (;;) {
    double left = std::chrono::duration<double>(due - std::chrono::steady_clock::now()).count();
    if (left <= 0) return true;
    Woken w = WaitOrEvent(t, left);
    if (w == Woken::kStopped) return false;
    if (w == Woken::kTime) return true;
    if (FeedEvents(t, rt, d, prev)) return true;
  }
}

elmo_rt* CreateCore(Tuner* t, std::string* why) {
  elmo_error err;
  elmo_error_clear(&err);
  const elmo_catalog* cat = nullptr;
  if (elmo_catalog_builtin(&cat, &err) != ELMO_OK) {
    *why = err.message;
    return nullptr;
  }
  std::unique_ptr<elmo_optfile, void (*)(elmo_optfile*)> current(CurrentOptions(t, why), elmo_optfile_destroy);
  if (!current) return nullptr;
  elmo_rt_option* opts = nullptr;
  size_t n = 0;
  if (elmo_rt_options_from_catalog(cat, current.get(), &opts, &n, &err) != ELMO_OK) {
    *why = err.message;
    return nullptr;
  }
  elmo_rt_host host{CpuCount(), MemoryLimitBytes(), 0};
  elmo_rt* rt = nullptr;
  if (elmo_rt_create(&t->cfg, &host, opts, n, &rt, &err) != ELMO_OK) *why = err.message;
  elmo_free(opts);
  return rt;
}

void Run(std::shared_ptr<Tuner> t) {
  pthread_setname_np(pthread_self(), "elmo-tuner");  // how tools (and the tests) see it
  // ELMo's own thread reads and writes numbers with '.' whatever locale the host set, RocksDB's
  // std::stod/std::to_string in the SetOptions calls it makes included (docs/DESIGN.md).
  const bool c_numeric = elmo_number_use_c_locale_on_this_thread() == ELMO_OK;
  std::string why;
  elmo_rt* rt = CreateCore(t.get(), &why);
  if (rt != nullptr && !c_numeric) {
    JournalNote(t.get(), "error", "out of memory for the \"C\" locale: RocksDB may misread option values in "
                "this host's locale");
  }
  elmo_llm* llm = nullptr;
  if (rt != nullptr && std::strcmp(t->cfg.llm, "builtin") != 0) {
    elmo_llm_config lc{};
    lc.spec = t->cfg.llm;
    lc.max_attempts = 2;
    lc.total_timeout_ms = 60000;
    // A host program's stdin and stderr are not ELMo's: a person (manual) finds the request in
    // its file only, and has until the next decision to answer it; the thread never waits longer.
    lc.manual_input_fd = -1;
    lc.manual_quiet = 1;
    if (elmo_llm_spec_is_manual(t->cfg.llm)) lc.total_timeout_ms = static_cast<long>(t->cfg.interval_sec * 1000);
    std::string transcript = t->journal_path + ".llm.jsonl";
    lc.transcript_path = transcript.c_str();
    elmo_error err;
    elmo_error_clear(&err);
    if (elmo_llm_create(&lc, &llm, &err) != ELMO_OK) {
      why = std::string("elmo_llm=") + t->cfg.llm + ": " + err.message;
      elmo_rt_destroy(rt);
      rt = nullptr;
    }
  }
  if (rt == nullptr) {
    JournalNote(t.get(), "stop", Stopped(t.get()) ? std::string("the DB closed before the tuner started")
                                                  : "the tuner could not start: " + why);
  } else {
    {
      std::lock_guard<std::mutex> lock(t->mu);
      t->llm = llm;
    }
    char buf[512];
    elmo_number_snprintf(buf, sizeof buf, "tuning %s every %g s with %s (up to %d changes an hour)",
                  t->db_name.c_str(), t->cfg.interval_sec, t->cfg.llm, t->cfg.max_changes_per_hour);
    JournalNote(t.get(), "start", buf);
    LoadPlaybook(t.get());
    auto d = std::make_unique<elmo_rt_decision>();
    elmo_rt_sample prev, cur;
    bool alive = Sample(t.get(), &prev);
    while (alive && !Stopped(t.get()) && AwaitStep(t.get(), rt, d.get(), &prev)) {
      FeedEvents(t.get(), rt, d.get(), &prev);  // the flushes and compactions of the interval
      if (!Sample(t.get(), &cur)) break;
      elmo_error err;
      elmo_error_clear(&err);
      if (elmo_rt_step_samples(rt, &prev, &cur, d.get(), &err) != ELMO_OK) {
        JournalNote(t.get(), "error", err.message);
        break;
      }
      prev = cur;
      Journal(t.get(), *d);
      PublishRestore(t.get(), rt);
      if (d->action == ELMO_RT_ACT_ASK) {
        elmo_rt_advice advice;
        std::vector<elmo_rt_pair> pairs;
        std::string no_advice;
        const char* event = "advice";
        size_t n = Advise(t.get(), rt, *d, &advice, &pairs, &no_advice, &event);
        if (n == 0 && !no_advice.empty()) JournalNote(t.get(), event, no_advice);
        elmo_error_clear(&err);
        const char* source = advice.source[0] != '\0' ? advice.source : t->cfg.llm;
        elmo_rc rc = elmo_rt_propose(rt, pairs.data(), n, source, d.get(), &err);
        if (rc != ELMO_OK) {
          JournalNote(t.get(), "error", err.message);
          break;
        }
        Journal(t.get(), *d);
        PublishRestore(t.get(), rt);
      }
      // A proposal's change, a switchback's switch, or the rollback a verdict asks for: applied,
      // and the next interval (the one the watch or the block judges, or the cooldown's) starts
      // after it, once the switchback's settling time has passed.
      if (d->action == ELMO_RT_ACT_APPLY || d->action == ELMO_RT_ACT_ROLLBACK) {
        ApplyLoop(t.get(), rt, d.get());
        PublishRestore(t.get(), rt);
        double settle = elmo_rt_settle_sec(rt);
        if (settle > 0 && !Wait(t.get(), settle)) break;
        if (!Sample(t.get(), &prev)) break;
      }
    }
    {
      // Closing: the DB's Stop may still put values back and journal it; the stop record comes last.
      std::unique_lock<std::mutex> lock(t->mu);
      if (t->stop) t->cv.wait_for(lock, std::chrono::seconds(2), [&t] { return t->released; });
    }
    JournalNote(t.get(), "stop", Stopped(t.get()) ? "the DB is closing" : "the tuner stopped");
  }
  {
    std::lock_guard<std::mutex> lock(t->mu);
    t->llm = nullptr;
  }
  elmo_llm_destroy(llm);
  elmo_rt_destroy(rt);
  {
    std::lock_guard<std::mutex> lock(t->journal_mu);
    if (t->journal != nullptr) std::fclose(t->journal);
    t->journal = nullptr;
  }
  std::lock_guard<std::mutex> lock(t->mu);
  t->exited = true;
  t->cv.notify_all();
}

}  // namespace

const DBOptions& ElmoRealtimePrepareOptions(const DBOptions& in, DBOptions* storage) {
  if (ElmoRealtimeConfig(in) == nullptr) return in;
  if (&in != storage) *storage = in;
  auto mine = std::make_shared<StatisticsImpl>(in.statistics);
  if (in.statistics) mine->set_stats_level(in.statistics->get_stats_level());
  storage->statistics = mine;
  t_prepared_stats = mine;
  return *storage;
}

void ElmoRealtimeStart(DBImpl* db) {
  std::shared_ptr<Statistics> prepared = std::move(t_prepared_stats);
  t_prepared_stats.reset();
  const elmo_rt_config* cfg = ElmoRealtimeConfig(db->immutable_db_options());
  if (cfg == nullptr) return;
  auto t = std::make_shared<Tuner>();
  t->cfg = *cfg;
  t->db = db;
  t->db_name = db->GetName();
  t->info_log = db->immutable_db_options().info_log;
  t->stats = db->immutable_db_options().statistics;
  t->own_stats = t->stats != nullptr && t->stats == prepared;
  t->journal_path = cfg->journal[0] != '\0' ? cfg->journal : t->db_name + "/elmo_journal.jsonl";
  t->journal = std::fopen(t->journal_path.c_str(), "a");
  if (t->journal == nullptr) {
    std::string why = "elmo_journal=" + t->journal_path + ": cannot open for appending: " + std::strerror(errno) +
                      "; the DB runs without the tuner";
    Log(t.get(), ("[elmo] stop: " + why).c_str());
    return;
  }
  // The DB's events reach this tuner through the settings listener's hub; the wake-up holds the
  // tuner weakly (a callback in flight may outlive it).
  const auto& listeners = db->immutable_db_options().listeners;
  const ElmoTunerListener* settings = FindElmoTunerListener(listeners);
  for (const auto& l : listeners) {
    if (l.get() == settings) t->listener = l;
  }
  if (settings != nullptr) {
    std::weak_ptr<Tuner> weak = t;
    t->sink = std::make_shared<ElmoEventSink>(db, [weak] {
      if (auto s = weak.lock()) {
        if (s->mu.try_lock()) s->mu.unlock();  // orders the flag before a waiter's check
        s->cv.notify_all();
      }
    });
    settings->hub()->Add(t->sink);
  }
  {
    std::lock_guard<std::mutex> lock(TheRegistry().mu);
    TheRegistry().tuners[db] = t;
    g_tuners.fetch_add(1, std::memory_order_relaxed);
  }
  std::thread(Run, t).detach();
}

void ElmoRealtimeStop(DBImpl* db) {
  if (g_tuners.load(std::memory_order_relaxed) == 0) return;
  std::shared_ptr<Tuner> t;
  {
    std::lock_guard<std::mutex> lock(TheRegistry().mu);
    auto it = TheRegistry().tuners.find(db);
    if (it == TheRegistry().tuners.end()) return;
    t = it->second;
    TheRegistry().tuners.erase(it);
    g_tuners.fetch_sub(1, std::memory_order_relaxed);
  }
  if (t->sink != nullptr && t->listener != nullptr) {
    static_cast<const ElmoTunerListener*>(t->listener.get())->hub()->Remove(t->sink.get());
  }
  {
    std::lock_guard<std::mutex> lock(t->mu);
    t->stop = true;
    if (t->llm != nullptr) elmo_llm_cancel(t->llm);
    t->cv.notify_all();
  }
  {
    // Waits for the one DB call the thread may be in; after this it never touches the DB (nor
    // its LOG, which Close is about to close).
    std::lock_guard<std::mutex> lock(t->db_mu);
    RestoreOnClose(t.get());
    if (t->info_log) ROCKS_LOG_INFO(t->info_log.get(), "[elmo] stop: the DB is closing");
    t->db = nullptr;
  }
  {
    std::lock_guard<std::mutex> lock(t->mu);
    t->released = true;
    t->cv.notify_all();
  }
  // A short, bounded wait so the journal's stop record is usually written before Close returns.
  std::unique_lock<std::mutex> lock(t->mu);
  t->cv.wait_for(lock, std::chrono::milliseconds(500), [&t] { return t->exited; });
}

int ElmoRealtimeRunningCount() { return g_tuners.load(std::memory_order_relaxed); }

bool ElmoRealtimeIsRunning(const DBImpl* db) {
  std::lock_guard<std::mutex> lock(TheRegistry().mu);
  return TheRegistry().tuners.count(db) != 0;
}

}  // namespace ROCKSDB_NAMESPACE

#pragma GCC visibility pop
