// catalog_fixture.h — RocksDB 7.8.3's option catalog for tests that run without RocksDB.
//
// tests/fixtures/catalog/rocksdb-7.8.3.tsv holds the engine's registry rows, one option per line:
// name, section (DBOptions, CFOptions, TableOptions/BlockBasedTable), RocksDB's type, default, and
// flags (m mutable, d deprecated, a alias; "-" none), tab-separated. The core's tests build their
// catalog from it with elmo_catalog_create, exactly as the glue builds elmo_catalog_builtin from
// the registries; the engine test CatalogFixture.IsTheEnginesCatalog keeps the file equal to what
// the engine says (CatalogRowsText below), so it cannot go stale.
#ifndef ELMO_TESTS_CATALOG_FIXTURE_H
#define ELMO_TESTS_CATALOG_FIXTURE_H

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "elmo/catalog.h"
#include "file_text.h"

namespace elmo_test {

inline std::string CatalogFixturePath() {
  return std::string(ELMO_TEST_FIXTURES) + "/catalog/rocksdb-7.8.3.tsv";
}

// The rows of c in the fixture's format (each option as the registries gave it).
inline std::string CatalogRowsText(const elmo_catalog* c) {
  std::string out;
  for (size_t i = 0; i < elmo_catalog_count(c); i++) {
    const elmo_option_info* o = elmo_catalog_at(c, i);
    std::string flags;
    if (o->flags & ELMO_OPT_MUTABLE) flags += 'm';
    if (o->flags & ELMO_OPT_DEPRECATED) flags += 'd';
    if (o->flags & ELMO_OPT_ALIAS) flags += 'a';
    out += std::string(o->name) + '\t' + elmo_section_name(o->section) + '\t' + o->engine_type +
           '\t' + o->default_value + '\t' + (flags.empty() ? "-" : flags) + '\n';
  }
  return out;
}

// The catalog of the fixture (built once; lives as long as the test program).
inline const elmo_catalog* FixtureCatalog() {
  static elmo_catalog* catalog = [] {
    std::istringstream in(ReadFile(CatalogFixturePath()));
    std::vector<std::vector<std::string>> fields;
    for (std::string line; std::getline(in, line);) {
      std::vector<std::string> f;
      std::istringstream cols(line);
      for (std::string col; std::getline(cols, col, '\t');) f.push_back(col);
      if (f.size() != 5) {
        ADD_FAILURE() << CatalogFixturePath() << ": not 5 tab-separated fields: " << line;
        continue;
      }
      fields.push_back(f);
    }
    std::vector<elmo_catalog_row> rows;
    for (const auto& f : fields) {
      elmo_section s = f[1] == "DBOptions" ? ELMO_SECTION_DB
                       : f[1] == "CFOptions" ? ELMO_SECTION_CF : ELMO_SECTION_TABLE;
      rows.push_back({f[0].c_str(), s, f[2].c_str(), f[3].c_str(),
                      f[4].find('m') != std::string::npos, f[4].find('d') != std::string::npos,
                      f[4].find('a') != std::string::npos});
    }
    elmo_catalog* c = nullptr;
    elmo_error err;
    EXPECT_GT(rows.size(), 100u) << CatalogFixturePath() << " is missing or short";
    EXPECT_EQ(elmo_catalog_create(rows.data(), rows.size(), &c, &err), ELMO_OK) << err.message;
    return c;
  }();
  return catalog;
}

}  // namespace elmo_test

#endif  // ELMO_TESTS_CATALOG_FIXTURE_H
