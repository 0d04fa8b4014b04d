// env_settings.cc — ELMO_OPTIONS / ELMO_CONFIG merged into the options of one open (see header).

#include "utilities/elmo/env_settings.h"

#include <fnmatch.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <sstream>
#include <unordered_map>

#include "elmo/realtime.h"
#include "elmo/value.h"
#include "rocksdb/convenience.h"
#include "utilities/elmo/realtime_options.h"

#pragma GCC visibility push(hidden)  // private to librocksdb, like the glue headers

namespace ROCKSDB_NAMESPACE {

namespace {

constexpr size_t kMaxConfigBytes = 1 << 20;
constexpr size_t kMaxConfigLines = 256;

struct Setting {
  std::string value;
  std::string origin;  // "ELMO_OPTIONS", "ELMO_CONFIG=/etc/x.conf line 3"
};

struct Gathered {
  std::map<std::string, Setting> settings;  // valid items, the last one of each key
  std::vector<std::string> problems;
};

// Checks one item against the key table and keeps it, or records why not.
void Take(const std::string& key, const std::string& value, const std::string& origin,
          Gathered* g) {
  if (!elmo_rt_config_is_key(key.c_str())) {
    g->problems.push_back(origin + ": " + key +
                          " is not an ELMo key (only elmo_* keys belong here; RocksDB options "
                          "go in the file elmo_tuned_options names)");
    return;
  }
  elmo_rt_config scratch;
  elmo_rt_config_defaults(&scratch);
  elmo_error err;
  elmo_error_clear(&err);
  if (elmo_rt_config_set(&scratch, key.c_str(), value.c_str(), &err) != ELMO_OK) {
    g->problems.push_back(origin + ": " + err.message);
    return;
  }
  g->settings[key] = Setting{value, origin};
}

void GatherFile(const std::string& path, Gathered* g) {
  const std::string origin = "ELMO_CONFIG=" + path;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    g->problems.push_back(origin + ": cannot be read");
    return;
  }
  std::string text(kMaxConfigBytes + 1, '\0');
  in.read(&text[0], static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > kMaxConfigBytes || text.find('\0') != std::string::npos) {
    g->problems.push_back(origin + ": not a settings file (over 1 MiB, or binary)");
    return;
  }
  std::vector<elmo_rt_line> lines(kMaxConfigLines);
  size_t n = 0;
  elmo_error err;
  elmo_error_clear(&err);
  if (elmo_rt_config_lines(text.c_str(), lines.data(), lines.size(), &n, &err) != ELMO_OK) {
    g->problems.push_back(origin + ": " + err.message);
    return;
  }
  for (size_t i = 0; i < n; i++) {
    const std::string at = origin + " line " + std::to_string(lines[i].line);
    if (lines[i].key[0] == '\0') {
      g->problems.push_back(at + ": " + lines[i].value + ": expected key=value");
    } else {
      Take(lines[i].key, lines[i].value, at, g);
    }
  }
}

void GatherString(const std::string& text, Gathered* g) {
  std::unordered_map<std::string, std::string> map;
  Status s = StringToMap(text, &map);
  if (!s.ok()) {
    g->problems.push_back("ELMO_OPTIONS: not an options string (key=value;key=value): " +
                          s.ToString());
    return;
  }
  for (const auto& kv : std::map<std::string, std::string>(map.begin(), map.end())) {
    Take(kv.first, kv.second, "ELMO_OPTIONS", g);
  }
}

// Whether the DB at dbname (as the application named it, or made absolute) matches glob.
bool Matches(const std::string& glob, const std::string& dbname) {
  if (fnmatch(glob.c_str(), dbname.c_str(), 0) == 0) return true;
  if (!dbname.empty() && dbname[0] != '/') {
    char cwd[4096];
    if (getcwd(cwd, sizeof cwd) != nullptr &&
        fnmatch(glob.c_str(), (std::string(cwd) + "/" + dbname).c_str(), 0) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

Status ElmoApplyEnvironment(const char* env_options, const char* config_path,
                            const std::string& dbname, DBOptions* out,
                            std::vector<std::string>* notes) {
  Gathered g;
  if (config_path != nullptr && config_path[0] != '\0') GatherFile(config_path, &g);
  if (env_options != nullptr && env_options[0] != '\0') GatherString(env_options, &g);

  auto db = g.settings.find("elmo_db");
  if (db != g.settings.end() && !db->second.value.empty() && !Matches(db->second.value, dbname)) {
    notes->push_back("[elmo] the environment's ELMo settings do not apply to this DB: " + dbname +
                     " does not match elmo_db=" + db->second.value + " (" + db->second.origin + ")");
    return Status::OK();
  }

  const ElmoTunerListener* app = FindElmoTunerListener(out->listeners);
  bool strict = app != nullptr && app->config().strict != 0;
  auto st = g.settings.find("elmo_strict");
  if (st != g.settings.end()) {
    int on = 0;
    strict = elmo_value_parse_bool(st->second.value.c_str(), &on, nullptr) == ELMO_OK && on != 0;
  }
  std::map<std::string, std::string> texts, overrides;
  if (app != nullptr) texts = app->texts();
  for (const auto& kv : g.settings) overrides[kv.first] = kv.second.value;
  std::shared_ptr<ElmoTunerListener> merged;
  Status s = ElmoTunerListener::Create(texts, &merged, overrides);
  if (!s.ok()) {
    g.problems.push_back("the environment's ELMo settings together: " + s.ToString() +
                         "; none of them is used");
    overrides.clear();
    g.settings.clear();
    merged.reset();
  }
  if (merged != nullptr) ReplaceElmoTunerListener(&out->listeners, merged);

  for (const auto& kv : g.settings) {
    std::string note = "[elmo] " + kv.first + "=" + kv.second.value + " from " + kv.second.origin;
    auto own = texts.find(kv.first);
    if (own != texts.end()) note += " (the application's options said " + own->second + ")";
    notes->push_back(note);
  }
  for (const auto& p : g.problems) notes->push_back("[elmo] skipped: " + p);

  if (strict && !g.problems.empty()) {
    return Status::InvalidArgument("ELMo (elmo_strict=true): " + g.problems.front());
  }
  return Status::OK();
}

}  // namespace ROCKSDB_NAMESPACE

#pragma GCC visibility pop
