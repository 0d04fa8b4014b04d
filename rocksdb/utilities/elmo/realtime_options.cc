// realtime_options.cc — the elmo_* [DBOptions] keys as OptionTypeInfo rows (see the header).
//
// Only conversion lives here: OPTIONS text goes to elmo_rt_config_set / elmo_rt_config_validate
// (elmo/src/realtime/realtime_config.c, which owns the keys, their defaults and ranges), and their errors
// become Status::InvalidArgument.

#include "utilities/elmo/realtime_options.h"

#include <cstdio>
#include <chrono>
#include <cstddef>
#include <cstring>

#include "options/db_options.h"
#include "util/string_util.h"

#pragma GCC visibility push(hidden)  // private to librocksdb, like the glue headers

namespace ROCKSDB_NAMESPACE {

namespace {

using Listeners = std::vector<std::shared_ptr<EventListener>>;

// An empty value gives the key its default (RocksDB's options tests require ConfigureOption to
// accept "", and a key at its default is "" in a printout); with no key left set, the options
// carry no elmo settings at all. The environment's overrides travel on unchanged.
Status ParseKey(const ConfigOptions& opts, const std::string& key, const std::string& value,
                void* addr) {
  auto* listeners = static_cast<Listeners*>(addr);
  const ElmoTunerListener* old = FindElmoTunerListener(*listeners);
  std::map<std::string, std::string> texts, overrides;
  if (old != nullptr) texts = old->texts(), overrides = old->overrides();
  if (value.empty()) {
    texts.erase(key);
  } else {
    texts[key] = opts.input_strings_escaped ? UnescapeOptionString(value) : value;
  }
  std::shared_ptr<ElmoTunerListener> next;
  if (!texts.empty() || !overrides.empty()) {
    Status s = ElmoTunerListener::Create(texts, &next, overrides);
    if (!s.ok()) return s;
  }
  ReplaceElmoTunerListener(listeners, std::move(next));
  return Status::OK();
}

OptionType TypeOf(const char* type) {
  if (std::strcmp(type, "bool") == 0) return OptionType::kBoolean;
  if (std::strcmp(type, "int") == 0) return OptionType::kInt;
  if (std::strcmp(type, "double") == 0) return OptionType::kDouble;
  if (std::strcmp(type, "bytes") == 0) return OptionType::kUInt64T;
  return OptionType::kString;
}

std::unordered_map<std::string, OptionTypeInfo> BuildTypeInfo() {
  std::unordered_map<std::string, OptionTypeInfo> map;
  for (size_t i = 0; i < elmo_rt_config_key_count(); i++) {
    const elmo_rt_key_info* k = elmo_rt_config_key_at(i);
    const std::string key = k->key;
    OptionTypeInfo info(offsetof(struct ImmutableDBOptions, listeners), TypeOf(k->type),
                        OptionVerificationType::kNormal,
                        OptionTypeFlags::kDontSerialize | OptionTypeFlags::kCompareNever);
    info.SetParseFunc([key](const ConfigOptions& opts, const std::string& /*name*/,
                            const std::string& value, void* addr) {
      return ParseKey(opts, key, value, addr);
    });
    map.emplace(key, std::move(info));
  }
  return map;
}

}  // namespace

Status ElmoTunerListener::Create(const std::map<std::string, std::string>& texts,
                                 std::shared_ptr<ElmoTunerListener>* out,
                                 const std::map<std::string, std::string>& overrides) {
  auto t = std::make_shared<ElmoTunerListener>();
  elmo_rt_config_defaults(&t->config_);
  elmo_error err;
  elmo_error_clear(&err);
  for (const auto* layer : {&texts, &overrides}) {
    for (const auto& kv : *layer) {
      if (elmo_rt_config_set(&t->config_, kv.first.c_str(), kv.second.c_str(), &err) != ELMO_OK) {
        return Status::InvalidArgument(err.message);
      }
    }
  }
  if (elmo_rt_config_validate(&t->config_, &err) != ELMO_OK) {
    return Status::InvalidArgument(err.message);
  }
  t->texts_ = texts;
  t->overrides_ = overrides;
  *out = std::move(t);
  return Status::OK();
}

// ---- events (db_events.h): record and return ------------------------------------------------

namespace {

double NowSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

elmo_rt_db_event MakeEvent(elmo_rt_db_event_kind kind, const std::string& cf, const std::string& message) {
  elmo_rt_db_event e{};
  e.kind = kind;
  e.time_sec = NowSeconds();
  std::snprintf(e.cf, sizeof e.cf, "%s", cf.c_str());
  std::snprintf(e.message, sizeof e.message, "%s", message.c_str());
  return e;
}

}  // namespace

void ElmoTunerListener::OnFlushCompleted(DB* db, const FlushJobInfo& /*info*/) {
  hub_->Count(db, ELMO_RT_DB_FLUSH);
}

void ElmoTunerListener::OnCompactionCompleted(DB* db, const CompactionJobInfo& /*info*/) {
  hub_->Count(db, ELMO_RT_DB_COMPACTION);
}

void ElmoTunerListener::OnStallConditionsChanged(const WriteStallInfo& info) {
  elmo_rt_db_event e = MakeEvent(ELMO_RT_DB_STALL, info.cf_name, "");
  e.stall_condition = info.condition.cur == WriteStallCondition::kStopped   ? 2
                      : info.condition.cur == WriteStallCondition::kDelayed ? 1
                                                                            : 0;
  hub_->Post(e);
}

void ElmoTunerListener::OnBackgroundError(BackgroundErrorReason /*reason*/, Status* bg_error) {
  hub_->Post(MakeEvent(ELMO_RT_DB_BG_ERROR, "", bg_error != nullptr ? bg_error->ToString() : "unknown"));
}

void ElmoTunerListener::OnErrorRecoveryEnd(const BackgroundErrorRecoveryInfo& info) {
  if (info.new_bg_error.ok()) hub_->Post(MakeEvent(ELMO_RT_DB_RECOVERED, "", info.old_bg_error.ToString()));
}

void ReplaceElmoTunerListener(Listeners* listeners, std::shared_ptr<ElmoTunerListener> next) {
  const ElmoTunerListener* old = FindElmoTunerListener(*listeners);
  for (auto it = listeners->begin(); old != nullptr && it != listeners->end(); ++it) {
    if (it->get() == old) {
      if (next != nullptr) {
        *it = std::move(next);
      } else {
        listeners->erase(it);
      }
      return;
    }
  }
  if (next != nullptr) listeners->push_back(std::move(next));
}

const ElmoTunerListener* FindElmoTunerListener(const Listeners& listeners) {
  for (const auto& l : listeners) {
    const auto* t = dynamic_cast<const ElmoTunerListener*>(l.get());
    if (t != nullptr) return t;
  }
  return nullptr;
}

const elmo_rt_config* ElmoRealtimeConfig(const DBOptions& options) {
  const ElmoTunerListener* t = FindElmoTunerListener(options.listeners);
  return t != nullptr && t->config().autotune ? &t->config() : nullptr;
}

const elmo_rt_config* ElmoRealtimeConfig(const ImmutableDBOptions& options) {
  const ElmoTunerListener* t = FindElmoTunerListener(options.listeners);
  return t != nullptr && t->config().autotune ? &t->config() : nullptr;
}

const std::unordered_map<std::string, OptionTypeInfo>& ElmoRealtimeOptionsTypeInfo() {
  static const std::unordered_map<std::string, OptionTypeInfo> map = BuildTypeInfo();
  return map;
}

}  // namespace ROCKSDB_NAMESPACE

#pragma GCC visibility pop
