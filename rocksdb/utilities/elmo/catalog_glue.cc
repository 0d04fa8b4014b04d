// catalog_glue.cc — builds ELMo's options catalog from RocksDB's own option registries, and lets
// the C core ask RocksDB's parser whether a value or a whole OPTIONS text is valid.
//
// Only conversion lives here: RocksDB's OptionTypeInfo tables become elmo_catalog_row values, and
// RocksDB Status becomes elmo_rc. The catalog itself (overlay, lookup) is C in elmo/src/options/catalog.c.

#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "elmo/catalog.h"
#include "elmo/engine.h"
#include "elmo/realtime.h"
#include "options/configurable_helper.h"
#include "options/options_helper.h"
#include "rocksdb/configurable.h"
#include "rocksdb/convenience.h"
#include "rocksdb/db.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/options_type.h"
#include "rocksdb/utilities/options_util.h"
#include "utilities/elmo/status_glue.h"

#pragma GCC visibility push(hidden)  // private to librocksdb, like the glue headers

namespace ROCKSDB_NAMESPACE {

void ConfigurableHelper::VisitRegisteredOptions(
    const Configurable& configurable,
    const std::function<void(const std::string&, const OptionTypeInfo&)>& fn) {
  for (const auto& registered : configurable.options_) {
    if (registered.type_map == nullptr) continue;
    for (const auto& entry : *registered.type_map) fn(entry.first, entry.second);
  }
}

namespace {

const char* TypeName(OptionType t) {
  switch (t) {
    case OptionType::kBoolean: return "kBoolean";
    case OptionType::kInt: return "kInt";
    case OptionType::kInt32T: return "kInt32T";
    case OptionType::kInt64T: return "kInt64T";
    case OptionType::kUInt: return "kUInt";
    case OptionType::kUInt8T: return "kUInt8T";
    case OptionType::kUInt32T: return "kUInt32T";
    case OptionType::kUInt64T: return "kUInt64T";
    case OptionType::kSizeT: return "kSizeT";
    case OptionType::kString: return "kString";
    case OptionType::kDouble: return "kDouble";
    case OptionType::kCompactionStyle: return "kCompactionStyle";
    case OptionType::kCompactionPri: return "kCompactionPri";
    case OptionType::kCompressionType: return "kCompressionType";
    case OptionType::kCompactionStopStyle: return "kCompactionStopStyle";
    case OptionType::kChecksumType: return "kChecksumType";
    case OptionType::kEncodingType: return "kEncodingType";
    case OptionType::kEnv: return "kEnv";
    case OptionType::kEnum: return "kEnum";
    case OptionType::kStruct: return "kStruct";
    case OptionType::kVector: return "kVector";
    case OptionType::kConfigurable: return "kConfigurable";
    case OptionType::kCustomizable: return "kCustomizable";
    case OptionType::kEncodedString: return "kEncodedString";
    case OptionType::kTemperature: return "kTemperature";
    case OptionType::kArray: return "kArray";
    case OptionType::kUnknown: return "kUnknown";
  }
  return "kUnknown";
}

struct OwnedRow {
  std::string name, type, def;
  elmo_section section;
  bool is_mutable, deprecated, alias;
};

void Collect(const Configurable& c, elmo_section section, std::vector<OwnedRow>* rows) {
  ConfigOptions cfg;
  cfg.delimiter = ";";
  ConfigurableHelper::VisitRegisteredOptions(c, [&](const std::string& name,
                                                    const OptionTypeInfo& info) {
    // The realtime tuner's own settings (utilities/elmo/realtime_options.h) are not RocksDB
    // options to tune.
    if (elmo_rt_config_is_key(name.c_str())) return;
    OwnedRow r;
    r.name = name;
    r.type = TypeName(info.GetType());
    r.section = section;
    r.is_mutable = info.IsMutable();
    r.deprecated = info.IsDeprecated();
    r.alias = info.IsAlias();
    std::string value;
    if (!r.deprecated && !r.alias && c.GetOption(cfg, name, &value).ok()) r.def = value;
    rows->push_back(std::move(r));
  });
}

ConfigOptions StrictConfig() {
  ConfigOptions cfg;
  cfg.ignore_unknown_options = false;
  cfg.ignore_unsupported_options = false;
  cfg.input_strings_escaped = true;
  return cfg;
}

}  // namespace
}  // namespace ROCKSDB_NAMESPACE

using ROCKSDB_NAMESPACE::OwnedRow;

extern "C" elmo_rc elmo_catalog_builtin(const elmo_catalog** out, elmo_error* err) {
  namespace r = ROCKSDB_NAMESPACE;
  static std::once_flag once;
  static elmo_catalog* catalog = nullptr;
  static elmo_error build_error;
  std::call_once(once, [] {
    std::vector<OwnedRow> rows;
    r::DBOptions db;
    r::ColumnFamilyOptions cf;
    r::BlockBasedTableOptions table;
    r::Collect(*r::DBOptionsAsConfigurable(db), ELMO_SECTION_DB, &rows);
    r::Collect(*r::CFOptionsAsConfigurable(cf), ELMO_SECTION_CF, &rows);
    std::unique_ptr<r::TableFactory> factory(r::NewBlockBasedTableFactory(table));
    r::Collect(*factory, ELMO_SECTION_TABLE, &rows);
    std::vector<elmo_catalog_row> plain;
    plain.reserve(rows.size());
    for (const auto& o : rows) {
      plain.push_back({o.name.c_str(), o.section, o.type.c_str(), o.def.c_str(), o.is_mutable,
                       o.deprecated, o.alias});
    }
    elmo_error_clear(&build_error);
    if (elmo_catalog_create(plain.data(), plain.size(), &catalog, &build_error) != ELMO_OK) {
      catalog = nullptr;
    }
  });
  *out = catalog;
  if (catalog == nullptr) {
    return elmo_error_set(err, build_error.code, "%s", build_error.message);
  }
  return ELMO_OK;
}

extern "C" elmo_rc elmo_engine_check_value(elmo_section s, const char* name, const char* value,
                                           elmo_error* err) {
  namespace r = ROCKSDB_NAMESPACE;
  if (name == nullptr || value == nullptr) {
    return elmo_error_set(err, ELMO_EINVAL, "check_value: NULL name or value");
  }
  const std::unordered_map<std::string, std::string> map = {{name, value}};
  r::ConfigOptions cfg = r::StrictConfig();
  r::Status st;
  if (s == ELMO_SECTION_DB) {
    r::DBOptions out;
    st = r::GetDBOptionsFromMap(cfg, r::DBOptions(), map, &out);
  } else if (s == ELMO_SECTION_CF) {
    r::ColumnFamilyOptions out;
    st = r::GetColumnFamilyOptionsFromMap(cfg, r::ColumnFamilyOptions(), map, &out);
  } else if (s == ELMO_SECTION_TABLE) {
    r::BlockBasedTableOptions out;
    st = r::GetBlockBasedTableOptionsFromMap(cfg, r::BlockBasedTableOptions(), map, &out);
  } else {
    return elmo_error_set(err, ELMO_EINVAL, "check_value: %s is not an option section",
                          elmo_section_name(s));
  }
  std::string what = std::string("RocksDB rejects ") + name + "=" + value;
  return r::ElmoFromStatus(st, err, what.c_str());
}

extern "C" elmo_rc elmo_engine_check_options_text(const char* text, const char* probe_dir,
                                                  elmo_error* err) {
  namespace r = ROCKSDB_NAMESPACE;
  if (text == nullptr) return elmo_error_set(err, ELMO_EINVAL, "check_options_text: NULL text");
  char path[] = "/tmp/elmo-options-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return elmo_error_set(err, ELMO_EIO, "cannot create a temporary OPTIONS file");
  FILE* f = fdopen(fd, "w");
  bool written = f != nullptr && fputs(text, f) >= 0;
  if (f != nullptr) written = (fclose(f) == 0) && written; else close(fd);
  if (!written) {
    unlink(path);
    return elmo_error_set(err, ELMO_EIO, "cannot write the temporary OPTIONS file %s", path);
  }
  r::DBOptions db;
  std::vector<r::ColumnFamilyDescriptor> cfs;
  r::ConfigOptions cfg = r::StrictConfig();
  cfg.env = r::Env::Default();
  r::Status st = r::LoadOptionsFromFile(cfg, path, &db, &cfs);
  unlink(path);
  if (!st.ok()) return r::ElmoFromStatus(st, err, "RocksDB cannot load the OPTIONS file");
  if (probe_dir == nullptr) return ELMO_OK;
  db.create_if_missing = true;
  db.create_missing_column_families = true;
  std::vector<r::ColumnFamilyHandle*> handles;
  r::DB* raw = nullptr;
  r::Options destroy_opts(db, cfs.empty() ? r::ColumnFamilyOptions() : cfs[0].options);
  r::DestroyDB(probe_dir, destroy_opts, cfs);
  st = r::DB::Open(db, probe_dir, cfs, &handles, &raw);
  if (st.ok()) {
    for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
    st = raw->Close();
    delete raw;
  }
  r::DestroyDB(probe_dir, destroy_opts, cfs);
  return r::ElmoFromStatus(st, err, "RocksDB cannot open a DB with these options");
}

extern "C" const elmo_engine_services* elmo_engine_builtin(void) {
  static const elmo_engine_services services = {elmo_engine_check_value,
                                                elmo_engine_check_options_text,
                                                elmo_catalog_builtin};
  return &services;
}

#pragma GCC visibility pop
