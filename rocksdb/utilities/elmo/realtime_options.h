// realtime_options.h — the realtime tuner's elmo_* keys as [DBOptions] options.
//
// The keys (elmo/include/elmo/realtime.h: elmo_autotune, elmo_interval_sec, elmo_llm, ...) are
// parsed and validated by RocksDB's own options machinery: the table below is registered on
// DBOptionsConfigurable (patches/0005), next to db_immutable_options_type_info, so
// GetDBOptionsFromString/Map, LoadOptionsFromFile and LoadLatestOptions all know them. No public struct changes: the settings ride in DBOptions::listeners as an
// ElmoTunerListener (an EventListener that only carries them), so every copy of the options
// (DBOptions -> Options -> ImmutableDBOptions -> the DB) carries them. See docs/REALTIME.md.
//
// Thread-safety: an ElmoTunerListener never changes after it is built (parsing a key replaces it
// with a new one), so its settings may be read from any thread.

#pragma once

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "elmo/realtime.h"
#include "rocksdb/listener.h"
#include "utilities/elmo/db_events.h"
#include "rocksdb/options.h"
#include "rocksdb/utilities/options_type.h"

namespace ROCKSDB_NAMESPACE {
struct ImmutableDBOptions;  // RocksDB's own: declared outside the hidden region below
}  // namespace ROCKSDB_NAMESPACE

// ELMo's glue is private to librocksdb: none of it is exported (tests/dropin/check_exports.sh).
#pragma GCC visibility push(hidden)

namespace ROCKSDB_NAMESPACE {


// Carries the elmo_* settings of one DBOptions, and hands the DB's events to the tuners that
// listen (db_events.h): its callbacks only record and return, as they run on flush, compaction
// and write threads.
class ElmoTunerListener : public EventListener {
 public:
  ElmoTunerListener() : hub_(std::make_shared<ElmoEventHub>()) { elmo_rt_config_defaults(&config_); }
  static const char* kClassName() { return "ElmoTuner"; }
  const char* Name() const override { return kClassName(); }
  // Empty, so the "listeners" option never writes this listener: its settings are written as
  // elmo_* keys instead, and a reloaded file does not carry them twice.
  std::string GetId() const override { return ""; }

  // Builds the settings from key -> text (OPTIONS-file text, already unescaped), applied to the
  // defaults in key order, then overrides (the keys ELMO_OPTIONS / ELMO_CONFIG set for this DB)
  // over them, then validated. Returns InvalidArgument naming the bad key.
  static Status Create(const std::map<std::string, std::string>& texts,
                       std::shared_ptr<ElmoTunerListener>* out,
                       const std::map<std::string, std::string>& overrides = {});

  const elmo_rt_config& config() const { return config_; }
  // Every key the options set, with its text as given: what ELMO-SETTINGS keeps for the DB.
  const std::map<std::string, std::string>& texts() const { return texts_; }
  // Every key the environment set for this DB: in force, never written into the DB.
  const std::map<std::string, std::string>& overrides() const { return overrides_; }
  // Where the tuners of the DBs opened with these options register for events.
  ElmoEventHub* hub() const { return hub_.get(); }

  void OnFlushCompleted(DB* db, const FlushJobInfo& info) override;
  void OnCompactionCompleted(DB* db, const CompactionJobInfo& info) override;
  void OnStallConditionsChanged(const WriteStallInfo& info) override;
  void OnBackgroundError(BackgroundErrorReason reason, Status* bg_error) override;
  void OnErrorRecoveryEnd(const BackgroundErrorRecoveryInfo& info) override;

 private:
  std::shared_ptr<ElmoEventHub> hub_;  // thread-safe; the settings above never change
  elmo_rt_config config_;
  std::map<std::string, std::string> texts_;
  std::map<std::string, std::string> overrides_;
};

// Replaces the settings listener in listeners (or adds next when there is none; removes the old
// one when next is nullptr). Copy on write: other copies of the options keep the old listener.
void ReplaceElmoTunerListener(std::vector<std::shared_ptr<EventListener>>* listeners,
                              std::shared_ptr<ElmoTunerListener> next);

// The settings listener in listeners, or nullptr. Borrowed: valid while listeners holds it.
const ElmoTunerListener* FindElmoTunerListener(
    const std::vector<std::shared_ptr<EventListener>>& listeners);

// The realtime tuner's settings when the options say elmo_autotune=true; nullptr when no elmo_*
// key was given or elmo_autotune is false. Borrowed: valid while the options (or a copy of them,
// which shares the listener) live. For the DB-open hook, and the one glue function exported:
// RocksDB's own options tests (patches/0006), linked against the shared library, read the keys
// through it (tests/dropin/check_exports.sh allows exactly these two).
__attribute__((visibility("default"))) const elmo_rt_config* ElmoRealtimeConfig(const DBOptions& options);
__attribute__((visibility("default"))) const elmo_rt_config* ElmoRealtimeConfig(
    const ImmutableDBOptions& options);

// The OptionTypeInfo rows of every elmo_* key, with offsets into ImmutableDBOptions (all of
// them address its listeners field). Registered by DBOptionsConfigurable (patches/0005) as its
// last table, so a "listeners" value in the same map is always parsed before the elmo_* keys.
// The rows parse only: RocksDB never writes or compares them (kDontSerialize, kCompareNever),
// so every OPTIONS file and options string stays loadable by Debian's library; the DB's own
// settings are kept in ELMO-SETTINGS beside its OPTIONS file (settings_file.h).
const std::unordered_map<std::string, OptionTypeInfo>& ElmoRealtimeOptionsTypeInfo();

}  // namespace ROCKSDB_NAMESPACE

#pragma GCC visibility pop
