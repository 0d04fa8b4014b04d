// db_hooks.cc — ELMo's open and close hooks (see the header).

#include "utilities/elmo/db_hooks.h"

#include <errno.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "cjson/cJSON.h"

#include "db/db_impl/db_impl.h"
#include "logging/logging.h"
#include "utilities/elmo/env_settings.h"
#include "utilities/elmo/realtime_options.h"
#include "utilities/elmo/realtime_thread.h"
#include "utilities/elmo/trace_capture.h"
#include "utilities/elmo/tuned_overlay.h"

#pragma GCC visibility push(hidden)  // private to librocksdb, like the glue headers

namespace ROCKSDB_NAMESPACE {

namespace {

// Prepare's notes for the LOG, which exists only once the DB does. DBImpl::Open prepares and
// finishes on the same thread; a failed open leaves them to the next Prepare, which clears them.
thread_local std::vector<std::string> t_notes;
// The tuned file Prepare laid over the options, and what it did, for the journal.
thread_local std::string t_overlay_file;
thread_local std::vector<ElmoOverlayChange> t_overlay;

// One journal line per option the tuned file set to another value (the journal of the realtime
// tuner: elmo_journal, or elmo_journal.jsonl in the DB directory). Problems are a LOG line.
void JournalOverlay(DBImpl* db, const elmo_rt_config& cfg) {
  const std::string path =
      cfg.journal[0] != '\0' ? cfg.journal : db->GetName() + "/elmo_journal.jsonl";
  FILE* f = std::fopen(path.c_str(), "a");
  if (f == nullptr) {
    ROCKS_LOG_WARN(db->immutable_db_options().info_log,
                   "[elmo] elmo_journal=%s: cannot open for appending: %s", path.c_str(),
                   std::strerror(errno));
    return;
  }
  const double now = static_cast<double>(
      std::chrono::duration_cast<std::chrono::microseconds>(
          std::chrono::system_clock::now().time_since_epoch()).count()) / 1e6;
  for (const ElmoOverlayChange& c : t_overlay) {
    cJSON* j = cJSON_CreateObject();
    if (j == nullptr) break;
    cJSON_AddNumberToObject(j, "ts", now);
    cJSON_AddStringToObject(j, "event", "tuned_options");
    cJSON_AddStringToObject(j, "file", t_overlay_file.c_str());
    cJSON_AddStringToObject(j, "option", c.name.c_str());
    cJSON_AddStringToObject(j, "section", c.section.c_str());
    if (!c.cf.empty()) cJSON_AddStringToObject(j, "cf", c.cf.c_str());
    cJSON_AddStringToObject(j, "from", c.from.c_str());
    cJSON_AddStringToObject(j, "to", c.to.c_str());
    cJSON_AddBoolToObject(j, "applied", c.applied);
    if (!c.applied) cJSON_AddStringToObject(j, "why", c.why.c_str());
    char* line = cJSON_PrintUnformatted(j);
    if (line != nullptr) std::fprintf(f, "%s\n", line);
    cJSON_free(line);
    cJSON_Delete(j);
  }
  std::fclose(f);
}

// The tuned file's values laid over the options in *storage (a copy of the caller's).
Status Overlay(const elmo_rt_config& cfg, ElmoOpenOptions* storage) {
  std::vector<ElmoOverlayChange> changes;
  Status s = ElmoApplyTunedOptions(cfg.tuned_options, &storage->db, &storage->cfs, &changes);
  if (!s.ok()) {
    const std::string why = s.ToString() + "; the DB opens with the program's own options";
    t_notes.push_back("[elmo] skipped: " + why);
    return cfg.strict ? Status::InvalidArgument("ELMo (elmo_strict=true): " + s.ToString()) : Status::OK();
  }
  t_overlay_file = cfg.tuned_options;
  t_overlay = changes;
  size_t applied = 0;
  for (const ElmoOverlayChange& c : changes) {
    applied += c.applied ? 1 : 0;
    t_notes.push_back(std::string(c.applied ? "[elmo] tuned: " : "[elmo] not tuned: ") +
                      ElmoDescribeOverlayChange(c));
  }
  t_notes.push_back("[elmo] elmo_tuned_options=" + std::string(cfg.tuned_options) + ": " +
                    std::to_string(applied) + " of " + std::to_string(changes.size()) +
                    " differing values applied");
  return Status::OK();
}

}  // namespace

Status ElmoDBOpenPrepare(const DBOptions& db_in, const std::vector<ColumnFamilyDescriptor>& cfs_in,
                         const std::string& dbname, bool read_write, ElmoOpenOptions* storage,
                         const DBOptions** db_out,
                         const std::vector<ColumnFamilyDescriptor>** cfs_out) {
  *db_out = &db_in;
  *cfs_out = &cfs_in;
  if (ElmoMakingOverlayDefaults()) return Status::OK();  // the overlay's own throwaway DB
  t_notes.clear();
  t_overlay.clear();
  const char* env_options = std::getenv("ELMO_OPTIONS");
  const char* config_path = std::getenv("ELMO_CONFIG");
  if ((env_options != nullptr && env_options[0] != '\0') ||
      (config_path != nullptr && config_path[0] != '\0')) {
    storage->db = db_in;
    *db_out = &storage->db;
    Status s = ElmoApplyEnvironment(env_options, config_path, dbname, &storage->db, &t_notes);
    if (!s.ok()) return s;
  }
  const ElmoTunerListener* t = FindElmoTunerListener((*db_out)->listeners);
  if (t != nullptr && t->config().tuned_options[0] != '\0') {
    const elmo_rt_config cfg = t->config();  // the listener may be replaced below
    if (*db_out != &storage->db) storage->db = db_in;
    storage->cfs = cfs_in;
    *db_out = &storage->db;
    *cfs_out = &storage->cfs;
    Status s = Overlay(cfg, storage);
    if (!s.ok()) return s;
  }
  if (read_write) *db_out = &ElmoRealtimePrepareOptions(**db_out, &storage->db);
  return Status::OK();
}

void ElmoDBOpened(DBImpl* db, bool read_write) {
  if (ElmoMakingOverlayDefaults()) return;
  const std::shared_ptr<Logger>& log = db->immutable_db_options().info_log;
  for (const std::string& note : t_notes) {
    if (note.compare(0, 15, "[elmo] skipped:") == 0) {
      ROCKS_LOG_WARN(log, "%s", note.c_str());
    } else {
      ROCKS_LOG_INFO(log, "%s", note.c_str());
    }
  }
  t_notes.clear();
  const ElmoTunerListener* t = FindElmoTunerListener(db->immutable_db_options().listeners);
  if (t == nullptr) return;
  if (!t_overlay.empty()) JournalOverlay(db, t->config());
  t_overlay.clear();
  ElmoTraceStart(db, t->config());
  if (read_write) {
    ElmoRealtimeStart(db);
  } else if (t->config().autotune) {
    ROCKS_LOG_INFO(log, "[elmo] no realtime tuner on a read-only or secondary DB");
  }
}

void ElmoDBClosing(DBImpl* db) {
  ElmoTraceStop(db);
  ElmoRealtimeStop(db);
}

}  // namespace ROCKSDB_NAMESPACE

#pragma GCC visibility pop
