// realtime_options.cc — the elmo_* [DBOptions] keys as OptionTypeInfo rows (see the header).
//
// Only conversion lives here: OPTIONS text goes to elmo_rt_config_set / elmo_rt_config_validate
// (elmo/src/realtime_config.c, which owns the keys, their defaults and ranges), and their errors
// become Status::InvalidArgument.

#include "utilities/elmo/realtime_options.h"

#include <cstddef>
#include <cstring>

#include "options/db_options.h"
#include "util/string_util.h"

namespace ROCKSDB_NAMESPACE {

namespace {

using Listeners = std::vector<std::shared_ptr<EventListener>>;

const char* const kAutotuneKey = "elmo_autotune";

// The defaults with key set from t's text for it (if any): two such configs are byte-equal
// exactly when t gives key the same value (elmo_rt_config_defaults zeroes the padding first).
void EffectiveFor(const ElmoTunerListener* t, const std::string& key, elmo_rt_config* cfg) {
  elmo_rt_config_defaults(cfg);
  if (t == nullptr) return;
  auto it = t->texts().find(key);
  // Already accepted when t was built, so this cannot fail.
  if (it != t->texts().end()) (void)elmo_rt_config_set(cfg, key.c_str(), it->second.c_str(), nullptr);
}

bool SameValue(const ElmoTunerListener* a, const ElmoTunerListener* b, const std::string& key) {
  elmo_rt_config ca, cb;
  EffectiveFor(a, key, &ca);
  EffectiveFor(b, key, &cb);
  return std::memcmp(&ca, &cb, sizeof ca) == 0;
}

// Replaces old (nullptr: none) in listeners by next (nullptr: none).
void Replace(Listeners* listeners, const ElmoTunerListener* old,
             std::shared_ptr<ElmoTunerListener> next) {
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

// An empty value gives the key its default, as GetOption() writes "" for a key at its default
// (RocksDB requires ConfigureOption to accept what GetOption returns); with no key left set,
// the options carry no elmo settings at all.
Status ParseKey(const ConfigOptions& opts, const std::string& key, const std::string& value,
                void* addr) {
  auto* listeners = static_cast<Listeners*>(addr);
  const ElmoTunerListener* old = FindElmoTunerListener(*listeners);
  std::map<std::string, std::string> texts;
  if (old != nullptr) texts = old->texts();
  if (value.empty()) {
    texts.erase(key);
  } else {
    texts[key] = opts.input_strings_escaped ? UnescapeOptionString(value) : value;
  }
  std::shared_ptr<ElmoTunerListener> next;
  if (!texts.empty()) {
    Status s = ElmoTunerListener::Create(texts, &next);
    if (!s.ok()) return s;
  }
  // Copy on write: the old listener may be shared with the base options' copies.
  Replace(listeners, old, std::move(next));
  return Status::OK();
}

// Writes elmo_autotune whenever any elmo_* key was set, and every other key whose value is not
// its default; nothing at all (so no line) for options without elmo_* keys.
Status SerializeKey(const std::string& key, const void* addr, std::string* value) {
  const ElmoTunerListener* t = FindElmoTunerListener(*static_cast<const Listeners*>(addr));
  if (t == nullptr) return Status::OK();
  if (key == kAutotuneKey) {
    *value = t->config().autotune ? "true" : "false";
  } else if (!SameValue(t, nullptr, key)) {
    *value = EscapeOptionString(t->texts().at(key));
  }
  return Status::OK();
}

bool KeysEqual(const std::string& key, const void* addr1, const void* addr2,
               std::string* mismatch) {
  if (SameValue(FindElmoTunerListener(*static_cast<const Listeners*>(addr1)),
                FindElmoTunerListener(*static_cast<const Listeners*>(addr2)), key)) {
    return true;
  }
  *mismatch = key;
  return false;
}

OptionType TypeOf(const char* type) {
  if (std::strcmp(type, "bool") == 0) return OptionType::kBoolean;
  if (std::strcmp(type, "int") == 0) return OptionType::kInt;
  if (std::strcmp(type, "double") == 0) return OptionType::kDouble;
  return OptionType::kString;
}

std::unordered_map<std::string, OptionTypeInfo> BuildTypeInfo() {
  std::unordered_map<std::string, OptionTypeInfo> map;
  for (size_t i = 0; i < elmo_rt_config_key_count(); i++) {
    const elmo_rt_key_info* k = elmo_rt_config_key_at(i);
    const std::string key = k->key;
    map.emplace(key, OptionTypeInfo(
                         offsetof(struct ImmutableDBOptions, listeners), TypeOf(k->type),
                         OptionVerificationType::kNormal, OptionTypeFlags::kNone,
                         [key](const ConfigOptions& opts, const std::string& /*name*/,
                               const std::string& value, void* addr) {
                           return ParseKey(opts, key, value, addr);
                         },
                         [key](const ConfigOptions& /*opts*/, const std::string& /*name*/,
                               const void* addr, std::string* value) {
                           return SerializeKey(key, addr, value);
                         },
                         [key](const ConfigOptions& /*opts*/, const std::string& /*name*/,
                               const void* addr1, const void* addr2, std::string* mismatch) {
                           return KeysEqual(key, addr1, addr2, mismatch);
                         }));
  }
  return map;
}

}  // namespace

Status ElmoTunerListener::Create(const std::map<std::string, std::string>& texts,
                                 std::shared_ptr<ElmoTunerListener>* out) {
  auto t = std::make_shared<ElmoTunerListener>();
  elmo_rt_config_defaults(&t->config_);
  elmo_error err;
  elmo_error_clear(&err);
  for (const auto& kv : texts) {
    if (elmo_rt_config_set(&t->config_, kv.first.c_str(), kv.second.c_str(), &err) != ELMO_OK) {
      return Status::InvalidArgument(err.message);
    }
  }
  if (elmo_rt_config_validate(&t->config_, &err) != ELMO_OK) {
    return Status::InvalidArgument(err.message);
  }
  t->texts_ = texts;
  *out = std::move(t);
  return Status::OK();
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
