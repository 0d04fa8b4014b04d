// settings_file.cc — ELMO-SETTINGS beside the DB's OPTIONS file (see the header).

#include "utilities/elmo/settings_file.h"

#include <map>
#include <vector>

#include "elmo/realtime.h"
#include "logging/logging.h"
#include "options/db_options.h"
#include "utilities/elmo/realtime_options.h"

#pragma GCC visibility push(hidden)  // private to librocksdb, like the glue headers

namespace ROCKSDB_NAMESPACE {

const char* const kElmoSettingsFileName = "ELMO-SETTINGS";

namespace {

constexpr size_t kMaxLines = 64;
const char* const kOptionsFileKey = "options_file";

std::string Dir(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

std::string Base(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string Content(const std::string& options_file,
                    const std::map<std::string, std::string>& texts) {
  std::string out =
      "# ELMo's settings for this DB, kept out of its OPTIONS file so that any RocksDB 7.8.3 can\n"
      "# load that file. Written by ELMo's librocksdb with every OPTIONS file; read back with it.\n";
  out += std::string(kOptionsFileKey) + "=" + Base(options_file) + "\n";
  for (const auto& kv : texts) out += kv.first + "=" + kv.second + "\n";
  return out;
}

}  // namespace

void ElmoWriteSettingsFile(const ImmutableDBOptions& options, const std::string& dbname,
                           const std::string& options_file) {
  Env* env = options.env;
  const std::string path = dbname + "/" + kElmoSettingsFileName;
  const ElmoTunerListener* t = FindElmoTunerListener(options.listeners);
  Status s;
  if (t == nullptr || t->texts().empty()) {
    if (env->FileExists(path).ok()) s = env->DeleteFile(path);
  } else {
    const std::string tmp = path + ".dbtmp";
    s = WriteStringToFile(env, Content(options_file, t->texts()), tmp, true);
    if (s.ok()) s = env->RenameFile(tmp, path);
  }
  if (!s.ok()) {
    ROCKS_LOG_WARN(options.info_log, "[elmo] %s: %s; the DB's elmo_* settings will not come back "
                   "with its OPTIONS file", path.c_str(), s.ToString().c_str());
  }
}

Status ElmoReadSettingsFile(Env* env, const std::string& options_file, DBOptions* db_options) {
  const std::string path = Dir(options_file) + "/" + kElmoSettingsFileName;
  std::string text;
  if (!env->FileExists(path).ok()) return Status::OK();
  Status s = ReadFileToString(env, path, &text);
  if (!s.ok()) return Status::InvalidArgument(path, s.ToString());
  std::vector<elmo_rt_line> lines(kMaxLines);
  size_t n = 0;
  elmo_error err;
  elmo_error_clear(&err);
  if (elmo_rt_config_lines(text.c_str(), lines.data(), lines.size(), &n, &err) != ELMO_OK) {
    return Status::InvalidArgument(path, err.message);
  }
  std::map<std::string, std::string> texts;
  std::string names;
  for (size_t i = 0; i < n; i++) {
    const elmo_rt_line& l = lines[i];
    if (l.key[0] == '\0') {
      return Status::InvalidArgument(path, "line " + std::to_string(l.line) + ": " + l.value +
                                               ": expected key=value");
    }
    if (std::string(l.key) == kOptionsFileKey) {
      names = l.value;
    } else {
      texts[l.key] = l.value;
    }
  }
  if (names != Base(options_file) || texts.empty()) return Status::OK();  // another file's
  const ElmoTunerListener* old = FindElmoTunerListener(db_options->listeners);
  if (old != nullptr) {
    for (const auto& kv : old->texts()) texts.emplace(kv);  // the OPTIONS file's own keys win
  }
  std::shared_ptr<ElmoTunerListener> next;
  s = ElmoTunerListener::Create(texts, &next,
                                old != nullptr ? old->overrides() : std::map<std::string, std::string>{});
  if (!s.ok()) return Status::InvalidArgument(path, s.getState());
  ReplaceElmoTunerListener(&db_options->listeners, std::move(next));
  return Status::OK();
}

}  // namespace ROCKSDB_NAMESPACE

#pragma GCC visibility pop
