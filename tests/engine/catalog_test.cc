// catalog_test.cc — the options catalog built from the engine's own registries.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "elmo/catalog.h"
#include "elmo/engine.h"
#include "catalog_fixture.h"
#include "file_text.h"

namespace {

const elmo_catalog* Builtin() {
  const elmo_catalog* cat = nullptr;
  elmo_error err;
  EXPECT_EQ(elmo_catalog_builtin(&cat, &err), ELMO_OK) << err.message;
  return cat;
}

struct Expect {
  const char* name;
  elmo_section section;
  elmo_opt_type type;
  bool is_mutable;
  const char* default_value;
  elmo_resource resource;
};

}  // namespace

TEST(Catalog, CoversEverySection) {
  const elmo_catalog* cat = Builtin();
  ASSERT_NE(cat, nullptr);
  size_t per[4] = {0, 0, 0, 0};
  for (size_t i = 0; i < elmo_catalog_count(cat); i++) per[elmo_catalog_at(cat, i)->section]++;
  // RocksDB 7.8.3 registers well over a hundred DB and CF options and ~40 table options.
  EXPECT_GT(per[ELMO_SECTION_DB], 80u);
  EXPECT_GT(per[ELMO_SECTION_CF], 60u);
  EXPECT_GT(per[ELMO_SECTION_TABLE], 30u);
  EXPECT_EQ(per[ELMO_SECTION_VERSION], 0u);
}

TEST(Catalog, KnownOptionsHaveTheEnginesFacts) {
  const elmo_catalog* cat = Builtin();
  const Expect cases[] = {
      {"write_buffer_size", ELMO_SECTION_CF, ELMO_OPT_UINT, true, "67108864", ELMO_RES_MEMORY},
      {"max_write_buffer_number", ELMO_SECTION_CF, ELMO_OPT_INT, true, "2", ELMO_RES_MEMORY},
      {"max_background_jobs", ELMO_SECTION_DB, ELMO_OPT_INT, true, "2", ELMO_RES_CPU},
      {"max_open_files", ELMO_SECTION_DB, ELMO_OPT_INT, true, "-1", ELMO_RES_MEMORY},
      {"compression", ELMO_SECTION_CF, ELMO_OPT_ENUM, true, "kSnappyCompression", ELMO_RES_STORAGE},
      {"num_levels", ELMO_SECTION_CF, ELMO_OPT_INT, false, "7", ELMO_RES_STORAGE},
      {"use_direct_reads", ELMO_SECTION_DB, ELMO_OPT_BOOL, false, "false", ELMO_RES_STORAGE},
      {"block_size", ELMO_SECTION_TABLE, ELMO_OPT_UINT, true, "4096", ELMO_RES_MEMORY},
      {"cache_index_and_filter_blocks", ELMO_SECTION_TABLE, ELMO_OPT_BOOL, false, "false", ELMO_RES_MEMORY},
      {"max_bytes_for_level_multiplier", ELMO_SECTION_CF, ELMO_OPT_DOUBLE, true, "10.000000",
       ELMO_RES_STORAGE},
      // Debian builds without NDEBUG, so the default log level is DEBUG_LEVEL, as in Debian's.
      {"info_log_level", ELMO_SECTION_DB, ELMO_OPT_ENUM, false, "DEBUG_LEVEL", ELMO_RES_ADVANCED},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const elmo_option_info* o = elmo_catalog_find(cat, c.section, c.name);
    ASSERT_NE(o, nullptr);
    EXPECT_EQ(o->type, c.type) << o->engine_type;
    EXPECT_EQ((o->flags & ELMO_OPT_MUTABLE) != 0, c.is_mutable);
    EXPECT_STREQ(o->default_value, c.default_value);
    EXPECT_EQ(o->resource, c.resource);
    EXPECT_EQ(elmo_catalog_find(cat, -1, c.name), o);
  }
}

TEST(Catalog, LocksAndNeverDecrease) {
  const elmo_catalog* cat = Builtin();
  for (const char* name : {"comparator", "merge_operator", "paranoid_checks", "checksum",
                           "compaction_style", "disable_auto_compactions", "wal_recovery_mode"}) {
    const elmo_option_info* o = elmo_catalog_find(cat, -1, name);
    ASSERT_NE(o, nullptr) << name;
    EXPECT_TRUE(o->flags & ELMO_OPT_LOCKED) << name;
    EXPECT_NE(o->note, nullptr) << name;
  }
  EXPECT_TRUE(elmo_catalog_find(cat, ELMO_SECTION_CF, "num_levels")->flags & ELMO_OPT_NO_DECREASE);
}

// Every enum option lists its spellings, and RocksDB's parser accepts each of them: the overlay
// cannot drift from the engine without this failing.
TEST(Catalog, EnumSpellingsAreAcceptedByTheEngine) {
  const elmo_catalog* cat = Builtin();
  int checked = 0;
  for (size_t i = 0; i < elmo_catalog_count(cat); i++) {
    const elmo_option_info* o = elmo_catalog_at(cat, i);
    if (o->type != ELMO_OPT_ENUM || (o->flags & (ELMO_OPT_DEPRECATED | ELMO_OPT_ALIAS))) continue;
    if (std::string(o->engine_type) == "kCompactionStopStyle") continue;  // only inside a struct
    ASSERT_NE(o->enum_values, nullptr) << o->name << " (" << o->engine_type << ") has no spellings";
    for (size_t k = 0; k < o->n_enum_values; k++) {
      elmo_error err;
      EXPECT_EQ(elmo_engine_check_value(o->section, o->name, o->enum_values[k], &err), ELMO_OK)
          << o->name << "=" << o->enum_values[k] << ": " << err.message;
      checked++;
    }
  }
  EXPECT_GT(checked, 40);
}

// The range of an option contains its default, except sentinel defaults the note explains.
TEST(Catalog, DefaultsLieInsideTheirRanges) {
  const elmo_catalog* cat = Builtin();
  for (size_t i = 0; i < elmo_catalog_count(cat); i++) {
    const elmo_option_info* o = elmo_catalog_at(cat, i);
    if (!(o->flags & ELMO_OPT_RANGE) || o->default_value[0] == '\0') continue;
    double d = std::stod(o->default_value);
    if (d >= o->min && d <= o->max) continue;
    ASSERT_NE(o->note, nullptr) << o->name << " default " << o->default_value << " is out of range";
    EXPECT_NE(std::string(o->note).find(o->default_value), std::string::npos) << o->name;
  }
}

TEST(Catalog, SuggestsNearNamesAndKnowsRemovedOnes) {
  const elmo_catalog* cat = Builtin();
  const elmo_option_info* s = elmo_catalog_suggest(cat, "write_bufer_size");
  ASSERT_NE(s, nullptr);
  EXPECT_STREQ(s->name, "write_buffer_size");
  s = elmo_catalog_suggest(cat, "max_backround_jobs");
  ASSERT_NE(s, nullptr);
  EXPECT_STREQ(s->name, "max_background_jobs");
  EXPECT_EQ(elmo_catalog_suggest(cat, "completely_unrelated_thing_xyz"), nullptr);
  EXPECT_NE(elmo_catalog_removed_note("soft_rate_limit"), nullptr);
  EXPECT_EQ(elmo_catalog_removed_note("write_buffer_size"), nullptr);
}

// An overlay row naming an option the registries lack is drift: creation fails and names it.
TEST(Catalog, OverlayDriftIsAnError) {
  std::vector<elmo_catalog_row> rows = {
      {"write_buffer_size", ELMO_SECTION_CF, "kSizeT", "67108864", 1, 0, 0},
  };
  elmo_catalog* cat = nullptr;
  elmo_error err;
  EXPECT_EQ(elmo_catalog_create(rows.data(), rows.size(), &cat, &err), ELMO_EINVAL);
  EXPECT_EQ(cat, nullptr);
  EXPECT_NE(std::string(err.message).find("drifted"), std::string::npos) << err.message;
}

TEST(Catalog, JsonListsEveryOption) {
  const elmo_catalog* cat = Builtin();
  char* json = elmo_catalog_to_json(cat, nullptr, 0);
  ASSERT_NE(json, nullptr);
  std::string s(json);
  elmo_free(json);
  EXPECT_NE(s.find("\"name\":\t\"write_buffer_size\""), std::string::npos);
  size_t objects = 0;
  for (size_t p = s.find("\"name\""); p != std::string::npos; p = s.find("\"name\"", p + 1)) objects++;
  EXPECT_EQ(objects, elmo_catalog_count(cat));
}

// The core's tests run without RocksDB on a copy of these rows (tests/support/catalog_fixture.h):
// the copy must be what this engine's registries say, or those tests test another catalog.
TEST(CatalogFixture, IsTheEnginesCatalog) {
  const std::string engine = elmo_test::CatalogRowsText(Builtin());
  const std::string fixture = elmo_test::ReadFile(elmo_test::CatalogFixturePath());
  if (engine != fixture) {
    const std::string actual = std::string(ELMO_TEST_WORK) + "/rocksdb-7.8.3.tsv";
    elmo_test::WriteFile(actual, engine);
    FAIL() << elmo_test::CatalogFixturePath() << " differs from the engine's catalog; the engine's "
           << "is in " << actual << " (copy it over when the change is intended)";
  }
  // And the fixture's catalog, built by the core alone, lists the same rows.
  EXPECT_EQ(elmo_test::CatalogRowsText(elmo_test::FixtureCatalog()), fixture);
}
