// tuned_overlay.cc — elmo_tuned_options (see the header): which values FILE changes, the
// calibrator's verdict on each, and RocksDB's options parsers applying what it accepted.

#include "utilities/elmo/tuned_overlay.h"

#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>

#include <sys/stat.h>
#include <unistd.h>

#include <mutex>

#include "db/column_family.h"
#include "elmo/answer.h"
#include "elmo/calibrate.h"
#include "elmo/catalog.h"
#include "elmo/engine.h"
#include "elmo/optfile.h"
#include "options/db_options.h"
#include "rocksdb/convenience.h"
#include "rocksdb/env.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/options_util.h"
#include "utilities/elmo/status_glue.h"

#pragma GCC visibility push(hidden)  // private to librocksdb, like the glue headers

namespace ROCKSDB_NAMESPACE {

namespace {

struct OptfileFree {
  void operator()(elmo_optfile* f) const { elmo_optfile_destroy(f); }
};
using Optfile = std::unique_ptr<elmo_optfile, OptfileFree>;
struct CalibrationFree {
  void operator()(elmo_calibration* c) const { elmo_calibration_destroy(c); }
};
struct ListFree {
  void operator()(elmo_assignment_list* l) const { elmo_assignment_list_destroy(l); }
};

// Pluggable objects a tuned file may set: both are plain values in an OPTIONS file.
bool ObjectAllowed(const char* name) {
  return std::strcmp(name, "filter_policy") == 0 || std::strcmp(name, "block_cache") == 0;
}

ConfigOptions OptionsConfig() {
  ConfigOptions cfg;
  cfg.ignore_unknown_options = false;
  cfg.ignore_unsupported_options = false;
  cfg.input_strings_escaped = true;
  cfg.delimiter = "\n  ";
  return cfg;
}

const BlockBasedTableOptions* BlockBasedOptionsOf(const ColumnFamilyOptions& cf) {
  if (cf.table_factory == nullptr) return nullptr;
  return cf.table_factory->GetOptions<BlockBasedTableOptions>();
}

// The program's options as an OPTIONS text (the calibrator's base).
std::string ProgramOptionsText(const DBOptions& db, const std::vector<ColumnFamilyDescriptor>& cfs) {
  ConfigOptions cfg = OptionsConfig();
  std::string text = "[Version]\n  rocksdb_version=7.8.3\n  options_file_version=1.1\n\n[DBOptions]\n  ";
  std::string part;
  if (GetStringFromDBOptions(cfg, db, &part).ok()) text += part;
  for (const auto& cf : cfs) {
    part.clear();
    text += "\n\n[CFOptions \"" + cf.name + "\"]\n  ";
    if (GetStringFromColumnFamilyOptions(cfg, cf.options, &part).ok()) text += part;
    if (BlockBasedOptionsOf(cf.options) != nullptr) {
      part.clear();
      text += "\n\n[TableOptions/BlockBasedTable \"" + cf.name + "\"]\n  ";
      if (cf.options.table_factory->GetOptionString(cfg, &part).ok()) text += part;
    }
  }
  return text + "\n";
}

elmo_rc CheckValue(void* /*ctx*/, elmo_section s, const char* n, const char* v, elmo_error* err) {
  return elmo_engine_check_value(s, n, v, err);
}

struct Candidate {
  elmo_section section;
  std::string cf, name, from, to;
};

// The OPTIONS file a fresh DB with RocksDB's default options writes: every default as RocksDB
// fills it in (derived ones like arena_block_size, ttl or delayed_write_rate included). Made once
// per process in a throwaway directory; ELMo's own hooks stand aside for that open.
thread_local bool t_making_defaults = false;

std::string FreshDefaultsText() {
  static std::once_flag once;
  static std::string* text = new std::string;  // never freed
  std::call_once(once, [] {
    char dir[] = "/tmp/elmo-defaults-XXXXXX";
    if (mkdtemp(dir) == nullptr) return;
    Options o;
    o.create_if_missing = true;
    t_making_defaults = true;
    DB* db = nullptr;
    if (DB::Open(o, dir, &db).ok()) {
      delete db;
      std::string name;
      if (GetLatestOptionsFileName(dir, Env::Default(), &name).ok()) {
        ReadFileToString(Env::Default(), std::string(dir) + "/" + name, text).PermitUncheckedError();
      }
    }
    t_making_defaults = false;
    DestroyDB(dir, o).PermitUncheckedError();
    rmdir(dir);
  });
  return *text;
}

struct Collect {
  const elmo_catalog* cat;
  const elmo_optfile* program;            // the program's options as it gave them
  const elmo_optfile* program_sanitized;  // ... as RocksDB will run them (CF sanitizing)
  const elmo_optfile* defaults;           // a fresh DB's own OPTIONS file; may be NULL
  std::set<std::string> cfs;              // column families the program opens
  std::set<std::string> block_based_cfs;  // ... whose table factory is block-based
  std::vector<Candidate>* out;
  std::vector<ElmoOverlayChange>* skipped;
};

// Every value of the tuned file that differs from the program's: a candidate, or skipped.
int Visit(void* ctx, elmo_section s, const char* cf, const char* key, const char* value) {
  auto* c = static_cast<Collect*>(ctx);
  if (s == ELMO_SECTION_VERSION) return 0;
  const std::string cf_name = s == ELMO_SECTION_DB ? "" : (cf != nullptr ? cf : "default");
  const char* cf_arg = cf_name.empty() ? nullptr : cf_name.c_str();
  const char* mine = elmo_optfile_get(c->program, s, cf_arg, key);
  if (mine != nullptr && std::strcmp(mine, value) == 0) return 0;
  // What RocksDB makes of the program's own value, and RocksDB's defaults (raw or derived), are
  // not tuning decisions: elmotune starts from the defaults, and a derived value (ttl,
  // arena_block_size, ...) only says what RocksDB filled in for the file's own context.
  const char* sanitized = elmo_optfile_get(c->program_sanitized, s, cf_arg, key);
  if (sanitized != nullptr && std::strcmp(sanitized, value) == 0) return 0;
  const char* fresh = c->defaults != nullptr ? elmo_optfile_get(c->defaults, s, nullptr, key) : nullptr;
  if (fresh != nullptr && std::strcmp(fresh, value) == 0) return 0;
  ElmoOverlayChange skip;
  skip.section = elmo_section_name(s);
  skip.cf = cf_name;
  skip.name = key;
  skip.from = mine != nullptr ? mine : "";
  skip.to = value;
  const elmo_option_info* info = elmo_catalog_find(c->cat, s, key);
  if (s != ELMO_SECTION_DB && c->cfs.count(cf_name) == 0) {
    skip.why = "the program does not open column family \"" + cf_name + "\"";
  } else if (s == ELMO_SECTION_TABLE && c->block_based_cfs.count(cf_name) == 0) {
    skip.why = "the program's table factory for this column family is not block-based";
  } else if (info == nullptr) {
    skip.why = "not an option of RocksDB 7.8.3's catalog";
  } else if (info->flags & (ELMO_OPT_DEPRECATED | ELMO_OPT_ALIAS)) {
    skip.why = "deprecated or an alias";
  } else if (info->flags & ELMO_OPT_LOCKED) {
    skip.why = std::string("locked: ") + (info->note != nullptr ? info->note : "never tuned");
  } else if (info->type == ELMO_OPT_OBJECT && !ObjectAllowed(key)) {
    skip.why = "an object only the program's code provides";
  } else {
    c->out->push_back(Candidate{s, cf_name, key, skip.from, value});
    return 0;
  }
  c->skipped->push_back(std::move(skip));
  return 0;
}

// An assignment list of the candidates, for the calibrator.
elmo_assignment_list* ToAssignments(const std::vector<Candidate>& cands) {
  auto* list = static_cast<elmo_assignment_list*>(std::calloc(1, sizeof(elmo_assignment_list)));
  if (list == nullptr) return nullptr;
  list->items = static_cast<elmo_assignment*>(std::calloc(cands.size() + 1, sizeof(elmo_assignment)));
  if (list->items == nullptr) {
    std::free(list);
    return nullptr;
  }
  for (const Candidate& c : cands) {
    elmo_assignment& a = list->items[list->count++];
    a.key = strdup(c.name.c_str());
    a.value = strdup(c.to.c_str());
    a.section = c.section == ELMO_SECTION_DB   ? ELMO_HINT_DB
                : c.section == ELMO_SECTION_CF ? ELMO_HINT_CF
                                               : ELMO_HINT_TABLE;
    a.cf_name = c.cf.empty() ? nullptr : strdup(c.cf.c_str());
    a.origin = ELMO_ORIGIN_INI;
    a.line = static_cast<int>(list->count);
  }
  return list;
}

// Applies the accepted values of one section of one column family (cf "" for DBOptions) with
// RocksDB's parser. Returns its status; the options are unchanged when it fails.
Status ApplySection(elmo_section s, const std::string& cf_name,
                    const std::unordered_map<std::string, std::string>& map, DBOptions* db,
                    std::vector<ColumnFamilyDescriptor>* cfs) {
  ConfigOptions cfg = OptionsConfig();
  if (s == ELMO_SECTION_DB) return GetDBOptionsFromMap(cfg, *db, map, db);
  for (auto& cf : *cfs) {
    if (cf.name != cf_name) continue;
    if (s == ELMO_SECTION_CF) {
      return GetColumnFamilyOptionsFromMap(cfg, cf.options, map, &cf.options);
    }
    const BlockBasedTableOptions* base = BlockBasedOptionsOf(cf.options);
    if (base == nullptr) return Status::NotSupported("the table factory is not block-based");
    BlockBasedTableOptions next;
    Status st = GetBlockBasedTableOptionsFromMap(cfg, *base, map, &next);
    if (st.ok()) cf.options.table_factory.reset(NewBlockBasedTableFactory(next));
    return st;
  }
  return Status::NotFound("column family " + cf_name);
}

}  // namespace

bool ElmoMakingOverlayDefaults() { return t_making_defaults; }

Status ElmoApplyTunedOptions(const std::string& file, DBOptions* db_options,
                             std::vector<ColumnFamilyDescriptor>* cfs,
                             std::vector<ElmoOverlayChange>* changes) {
  // RocksDB's own parser first: FILE must be an OPTIONS file this library loads.
  ConfigOptions load = OptionsConfig();
  load.env = Env::Default();
  DBOptions file_db;
  std::vector<ColumnFamilyDescriptor> file_cfs;
  Status s = LoadOptionsFromFile(load, file, &file_db, &file_cfs);
  if (!s.ok()) return Status::InvalidArgument("elmo_tuned_options=" + file, s.ToString());
  elmo_error err;
  elmo_error_clear(&err);
  elmo_optfile* raw = nullptr;
  if (elmo_optfile_load(file.c_str(), &raw, &err) != ELMO_OK) {
    return Status::InvalidArgument("elmo_tuned_options=" + file, err.message);
  }
  Optfile tuned(raw);
  const std::string program_text = ProgramOptionsText(*db_options, *cfs);
  if (elmo_optfile_parse(program_text.c_str(), program_text.size(), &raw, &err) != ELMO_OK) {
    return Status::Corruption("elmo_tuned_options: the program's options as text", err.message);
  }
  Optfile program(raw);
  std::vector<ColumnFamilyDescriptor> sanitized_cfs = *cfs;
  const ImmutableDBOptions idb(*db_options);
  for (auto& cf : sanitized_cfs) cf.options = SanitizeOptions(idb, cf.options);
  const std::string sanitized_text = ProgramOptionsText(*db_options, sanitized_cfs);
  if (elmo_optfile_parse(sanitized_text.c_str(), sanitized_text.size(), &raw, &err) != ELMO_OK) {
    return Status::Corruption("elmo_tuned_options: the program's sanitized options", err.message);
  }
  Optfile program_sanitized(raw);
  const std::string defaults_text = FreshDefaultsText();
  raw = nullptr;
  if (!defaults_text.empty() &&
      elmo_optfile_parse(defaults_text.c_str(), defaults_text.size(), &raw, nullptr) != ELMO_OK) {
    raw = nullptr;
  }
  Optfile defaults(raw);
  const elmo_catalog* cat = nullptr;
  if (elmo_catalog_builtin(&cat, &err) != ELMO_OK) {
    return Status::Corruption("elmo_tuned_options: the options catalog", err.message);
  }

  std::vector<Candidate> cands;
  Collect collect{cat, program.get(), program_sanitized.get(), defaults.get(), {}, {}, &cands, changes};
  for (const auto& cf : *cfs) {
    collect.cfs.insert(cf.name);
    if (BlockBasedOptionsOf(cf.options) != nullptr) collect.block_based_cfs.insert(cf.name);
  }
  elmo_optfile_foreach(tuned.get(), Visit, &collect);
  if (cands.empty()) return Status::OK();

  std::unique_ptr<elmo_assignment_list, ListFree> list(ToAssignments(cands));
  if (list == nullptr) return Status::MemoryLimit("elmo_tuned_options");
  elmo_calibrate_policy policy{};
  policy.cf = "default";
  policy.check_value = CheckValue;
  elmo_calibration* cal_raw = nullptr;
  if (elmo_calibrate_assignments(cat, program.get(), list.get(), &policy, &cal_raw, &err) != ELMO_OK) {
    return Status::InvalidArgument("elmo_tuned_options=" + file, err.message);
  }
  std::unique_ptr<elmo_calibration, CalibrationFree> cal(cal_raw);

  // Accepted values, by (section, column family); every change recorded.
  std::map<std::pair<int, std::string>, std::unordered_map<std::string, std::string>> sections;
  std::map<std::pair<int, std::string>, std::vector<size_t>> members;
  for (size_t i = 0; i < cal->count; i++) {
    const elmo_change& ch = cal->changes[i];
    if (ch.verdict == ELMO_VERDICT_UNCHANGED) continue;
    ElmoOverlayChange c;
    c.section = ch.name != nullptr ? elmo_section_name(ch.section) : "";
    c.cf = ch.name != nullptr && ch.section != ELMO_SECTION_DB && ch.cf != nullptr ? ch.cf : "";
    c.name = ch.name != nullptr ? ch.name : ch.raw_key;
    c.from = ch.old_value != nullptr ? ch.old_value : "";
    c.to = ch.value != nullptr ? ch.value : ch.raw_value;
    if (ch.verdict == ELMO_VERDICT_REJECTED) {
      c.why = ch.reason != nullptr ? ch.reason : "rejected by the calibrator";
    } else {
      auto key = std::make_pair(static_cast<int>(ch.section), c.cf);
      sections[key][c.name] = c.to;
      members[key].push_back(changes->size());
    }
    changes->push_back(std::move(c));
  }
  for (const auto& sec : sections) {
    Status st = ApplySection(static_cast<elmo_section>(sec.first.first), sec.first.second,
                             sec.second, db_options, cfs);
    for (size_t i : members[sec.first]) {
      (*changes)[i].applied = st.ok();
      if (!st.ok()) (*changes)[i].why = "RocksDB refused the section: " + st.ToString();
    }
  }
  return Status::OK();
}

std::string ElmoDescribeOverlayChange(const ElmoOverlayChange& c) {
  std::string where = c.section.empty() ? "" : " (" + c.section + (c.cf.empty() ? "" : " \"" + c.cf + "\"") + ")";
  std::string out = c.name + where + ": " + (c.from.empty() ? "(unset)" : c.from) + " -> " + c.to;
  if (!c.applied) out += ": not applied: " + c.why;
  return out;
}

}  // namespace ROCKSDB_NAMESPACE

extern "C" elmo_rc elmo_engine_overlay_describe(const char* file, const char* db_dir, char** out,
                                               elmo_error* err) {
  namespace r = ROCKSDB_NAMESPACE;
  if (file == nullptr || db_dir == nullptr || out == nullptr) {
    return elmo_error_set(err, ELMO_EINVAL, "overlay: NULL argument");
  }
  *out = nullptr;
  r::ConfigOptions load;
  load.env = r::Env::Default();
  load.input_strings_escaped = true;  // objects of the program's own (merge operators) are left out
  r::DBOptions db;
  std::vector<r::ColumnFamilyDescriptor> cfs;
  r::Status s = r::LoadLatestOptions(load, db_dir, &db, &cfs);
  if (!s.ok()) return r::ElmoFromStatus(s, err, db_dir);
  std::vector<r::ElmoOverlayChange> changes;
  s = r::ElmoApplyTunedOptions(file, &db, &cfs, &changes);
  if (!s.ok()) return r::ElmoFromStatus(s, err);
  std::string text;
  size_t applied = 0;
  for (const auto& c : changes) {
    applied += c.applied ? 1 : 0;
    text += std::string(c.applied ? "tuned: " : "not tuned: ") + r::ElmoDescribeOverlayChange(c) + "\n";
  }
  text += std::to_string(applied) + " of " + std::to_string(changes.size()) +
          " differing values would be applied to " + db_dir + "\n";
  *out = strdup(text.c_str());
  return *out != nullptr ? ELMO_OK : elmo_error_set(err, ELMO_ENOMEM, "overlay: out of memory");
}

#pragma GCC visibility pop
