// playbook_test.cc — the playbook (playbook.c): parsing and its errors, the catalog check, JSON
// round trip, merging entries, the nearest entry, its answer through the calibrator; and the
// realtime advice answering from the playbook before the advisor (realtime_facts.c).
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "catalog_fixture.h"
#include "elmo/optfile.h"
#include "elmo/playbook.h"
#include "elmo/realtime.h"

namespace {

const char kGood[] = R"({"elmo_playbook": 1, "rocksdb_version": "7.8.3", "entries": [
  {"name": "readrandomwriterandom:90", "signature": {"read": 0.9, "write": 0.1, "scan": 0, "value_bytes": 100},
   "options": {"DBOptions": {"bytes_per_sync": "1048576"},
               "CFOptions": {"write_buffer_size": "16777216", "memtable_whole_key_filtering": true,
                             "memtable_prefix_bloom_size_ratio": 0.1},
               "TableOptions/BlockBasedTable": {"block_size": "8192"}},
   "gain": 0.21, "source": "elmotune test"},
  {"name": "fillrandom", "signature": {"write": 1, "value_bytes": 100},
   "options": {"CFOptions": {"level0_slowdown_writes_trigger": "48"}}}]})";

std::unique_ptr<elmo_playbook> Parse(const std::string& text, elmo_rc* rc, std::string* message) {
  auto pb = std::make_unique<elmo_playbook>();
  elmo_error err = {};
  *rc = elmo_playbook_parse(text.data(), text.size(), pb.get(), &err);
  *message = err.message;
  return pb;
}

TEST(Playbook, ParsesEntriesSignaturesAndOptions) {
  elmo_rc rc;
  std::string msg;
  auto pb = Parse(kGood, &rc, &msg);
  ASSERT_EQ(rc, ELMO_OK) << msg;
  ASSERT_EQ(pb->n, 2u);
  const elmo_playbook_entry& e = pb->entries[0];
  EXPECT_STREQ(e.name, "readrandomwriterandom:90");
  EXPECT_DOUBLE_EQ(e.read, 0.9);
  EXPECT_DOUBLE_EQ(e.value_bytes, 100);
  EXPECT_DOUBLE_EQ(e.gain, 0.21);
  ASSERT_EQ(e.n_options, 5u);
  EXPECT_EQ(e.options[0].section, ELMO_SECTION_DB);
  EXPECT_STREQ(e.options[2].value, "true") << "a JSON boolean is the option's text";
  EXPECT_STREQ(e.options[3].value, "0.10000000000000001") << "a JSON number is kept as written (to 17 digits)";
  EXPECT_EQ(e.options[4].section, ELMO_SECTION_TABLE);
  EXPECT_DOUBLE_EQ(pb->entries[1].scan, 0) << "a share left out is 0";
  // Round trip: the JSON the writer gives parses to the same playbook.
  char* text = elmo_playbook_json(pb.get());
  ASSERT_NE(text, nullptr);
  auto again = Parse(text, &rc, &msg);
  elmo_free(text);
  ASSERT_EQ(rc, ELMO_OK) << msg;
  ASSERT_EQ(again->n, 2u);
  EXPECT_EQ(again->entries[0].n_options, 5u);
  EXPECT_STREQ(again->entries[0].options[1].value, "16777216");
  EXPECT_STREQ(again->entries[0].source, "elmotune test");
}

TEST(Playbook, BadFilesAreErrorsNamingTheProblem) {
  const struct {
    std::string text;
    elmo_rc rc;
    const char* says;
  } cases[] = {
      {"not json", ELMO_EPARSE, "not JSON"},
      {"[]", ELMO_EPARSE, "a JSON object is required"},
      {R"({"elmo_playbook": 2, "rocksdb_version": "7.8.3", "entries": []})", ELMO_EPARSE, "version 1 is required"},
      {R"({"elmo_playbook": 1, "rocksdb_version": "8.1.1", "entries": []})", ELMO_EPARSE,
       "rocksdb_version: 8.1.1, but this library is RocksDB 7.8.3"},
      {R"({"elmo_playbook": 1, "rocksdb_version": "7.8.3", "entries": [], "extra": 1})", ELMO_EPARSE,
       "playbook.extra: unknown field"},
      {R"({"elmo_playbook": 1, "rocksdb_version": "7.8.3", "entries": [{"name": "x",
          "signature": {"read": 0.5, "write": 0.2, "value_bytes": 10}, "options": {}}]})",
       ELMO_EPARSE, "read + write + scan is 0.7, not 1"},
      {R"({"elmo_playbook": 1, "rocksdb_version": "7.8.3", "entries": [{"name": "x",
          "signature": {"read": 1, "value_bytes": 10}, "options": {"CFOptions": {"write_buffer_size": {}}}}]})",
       ELMO_EPARSE, "options.CFOptions.write_buffer_size: a string value is required"},
      {R"({"elmo_playbook": 1, "rocksdb_version": "7.8.3", "entries": [{"name": "x",
          "signature": {"read": 1, "value_bytes": 10}, "options": {"CFOption": {}}}]})",
       ELMO_EPARSE, "entries[0] (x).CFOption: unknown field"},
      {R"({"elmo_playbook": 1, "rocksdb_version": "7.8.3", "entries": [{"name": "x",
          "signature": {"read": 1.5, "value_bytes": 10}, "options": {}}]})",
       ELMO_EPARSE, "signature.read: a share of the operations in [0, 1]"},
      {R"({"elmo_playbook": 1, "rocksdb_version": "7.8.3", "entries": [{"name": "x",
          "signature": {"read": 1}, "options": {}}]})",
       ELMO_EPARSE, "value_bytes: a size in bytes above 0 is required"},
  };
  for (const auto& c : cases) {
    elmo_rc rc;
    std::string msg;
    auto pb = Parse(c.text, &rc, &msg);
    EXPECT_EQ(rc, c.rc) << c.text;
    EXPECT_NE(msg.find(c.says), std::string::npos) << msg;
    EXPECT_EQ(pb->n, 0u) << "nothing half-parsed is kept";
  }
  // Too many options in one entry.
  std::string many = R"({"elmo_playbook": 1, "rocksdb_version": "7.8.3", "entries": [{"name": "x",
      "signature": {"read": 1, "value_bytes": 10}, "options": {"CFOptions": {)";
  for (int i = 0; i <= ELMO_PLAYBOOK_MAX_OPTIONS; i++) many += (i ? "," : "") + ("\"o" + std::to_string(i) + "\": \"1\"");
  many += "}}}]}";
  elmo_rc rc;
  std::string msg;
  Parse(many, &rc, &msg);
  EXPECT_EQ(rc, ELMO_ETOOBIG) << msg;
  // A file that is not there says so with its path.
  auto pb = std::make_unique<elmo_playbook>();
  elmo_error err = {};
  EXPECT_EQ(elmo_playbook_load("/nonexistent/playbook.json", pb.get(), &err), ELMO_EIO);
  EXPECT_NE(std::string(err.message).find("/nonexistent/playbook.json: cannot open"), std::string::npos) << err.message;
}

TEST(Playbook, OnlyRuntimeMutableOptionsPassTheCheck) {
  const elmo_catalog* cat = elmo_test::FixtureCatalog();
  ASSERT_NE(cat, nullptr);
  elmo_rc rc;
  std::string msg;
  auto pb = Parse(kGood, &rc, &msg);
  ASSERT_EQ(rc, ELMO_OK) << msg;
  elmo_error err = {};
  EXPECT_EQ(elmo_playbook_check(pb.get(), cat, &err), ELMO_OK) << err.message;
  snprintf(pb->entries[1].options[0].name, sizeof pb->entries[1].options[0].name, "num_levels");
  EXPECT_EQ(elmo_playbook_check(pb.get(), cat, &err), ELMO_EINVAL);
  EXPECT_NE(std::string(err.message).find("entry fillrandom: num_levels is not runtime-mutable"), std::string::npos)
      << err.message;
  snprintf(pb->entries[1].options[0].name, sizeof pb->entries[1].options[0].name, "write_bufer_size");
  EXPECT_EQ(elmo_playbook_check(pb.get(), cat, &err), ELMO_EINVAL);
  EXPECT_NE(std::string(err.message).find("write_bufer_size is not an option of [CFOptions]"), std::string::npos)
      << err.message;
}

TEST(Playbook, TheNewerEntryForAWorkloadReplacesTheOlder) {
  auto pb = std::make_unique<elmo_playbook>();
  elmo_playbook_entry e = {};
  snprintf(e.name, sizeof e.name, "a");
  e.read = 0.9, e.write = 0.1, e.value_bytes = 100, e.n_options = 1;
  snprintf(e.options[0].name, sizeof e.options[0].name, "block_size");
  elmo_error err = {};
  ASSERT_EQ(elmo_playbook_add(pb.get(), &e, &err), ELMO_OK);
  e.read = 0.91, e.write = 0.09, e.value_bytes = 105;  // the same workload under another name
  snprintf(e.name, sizeof e.name, "b");
  ASSERT_EQ(elmo_playbook_add(pb.get(), &e, &err), ELMO_OK);
  ASSERT_EQ(pb->n, 1u);
  EXPECT_STREQ(pb->entries[0].name, "b");
  e.read = 0.5, e.write = 0.5;  // another workload
  snprintf(e.name, sizeof e.name, "c");
  ASSERT_EQ(elmo_playbook_add(pb.get(), &e, &err), ELMO_OK);
  EXPECT_EQ(pb->n, 2u);
  pb->n = ELMO_PLAYBOOK_MAX_ENTRIES;
  e.read = 0, e.write = 0, e.scan = 1;
  snprintf(e.name, sizeof e.name, "d");
  EXPECT_EQ(elmo_playbook_add(pb.get(), &e, &err), ELMO_ETOOBIG);
}

TEST(Playbook, TheNearestEntryWithinTheShiftThresholds) {
  elmo_rc rc;
  std::string msg;
  auto pb = Parse(kGood, &rc, &msg);
  ASSERT_EQ(rc, ELMO_OK) << msg;
  double d = -1;
  const elmo_playbook_entry* e = elmo_playbook_nearest(pb.get(), 0.85, 0.15, 0, 110, 0.15, 0.5, &d);
  ASSERT_NE(e, nullptr);
  EXPECT_STREQ(e->name, "readrandomwriterandom:90");
  EXPECT_NEAR(d, 0.05, 1e-9);
  EXPECT_STREQ(elmo_playbook_nearest(pb.get(), 0.05, 0.95, 0, 0, 0.15, 0.5, nullptr)->name, "fillrandom")
      << "value size 0 (unknown): any size";
  EXPECT_EQ(elmo_playbook_nearest(pb.get(), 0.5, 0.5, 0, 100, 0.15, 0.5, nullptr), nullptr) << "too far from both";
  EXPECT_EQ(elmo_playbook_nearest(pb.get(), 0.9, 0.1, 0, 1000, 0.15, 0.5, nullptr), nullptr) << "values 10x larger";
}

// The realtime advice: a shift to 90% reads finds the playbook's entry; its options meet the
// calibrator in mutable-only mode, and the source names the entry. Once its values are in place,
// the advisor answers instead and the reason says why.
TEST(Playbook, RealtimeAdviceAnswersFromThePlaybookFirst) {
  const elmo_catalog* cat = elmo_test::FixtureCatalog();
  ASSERT_NE(cat, nullptr);
  elmo_rc rc;
  std::string msg;
  auto pb = Parse(kGood, &rc, &msg);
  ASSERT_EQ(rc, ELMO_OK) << msg;
  elmo_optfile* current = elmo_optfile_create();
  elmo_rt_option* opts = nullptr;
  size_t n = 0;
  elmo_error err = {};
  ASSERT_EQ(elmo_rt_options_from_catalog(cat, current, &opts, &n, &err), ELMO_OK) << err.message;
  elmo_rt_config cfg;
  elmo_rt_config_defaults(&cfg);
  elmo_rt_host host = {2, 8e9, 0};
  elmo_rt* rt = nullptr;
  ASSERT_EQ(elmo_rt_create(&cfg, &host, opts, n, &rt, &err), ELMO_OK) << err.message;
  elmo_free(opts);
  elmo_rt_snapshot snap = {};
  snap.time_sec = 1700000000, snap.interval_sec = 10, snap.ops_per_sec = 50000, snap.ops = 500000;
  snap.read_frac = 0.88, snap.write_frac = 0.12, snap.write_bytes_per_op = 116, snap.num_keys = 1e6;
  elmo_rt_advice_request req = {};
  req.catalog = cat;
  req.current = current;
  req.playbook = pb.get();
  auto advice = std::make_unique<elmo_rt_advice>();
  ASSERT_EQ(elmo_rt_advise(rt, &snap, &req, advice.get(), &err), ELMO_OK) << err.message;
  EXPECT_STREQ(advice->source, "playbook:readrandomwriterandom:90");
  ASSERT_EQ(advice->n, 5u) << advice->reason;
  std::string names;
  for (size_t i = 0; i < advice->n; i++) names += std::string(advice->names[i]) + "=" + advice->values[i] + ";";
  EXPECT_NE(names.find("write_buffer_size=16777216;"), std::string::npos) << names;
  EXPECT_NE(names.find("memtable_prefix_bloom_size_ratio=0.1"), std::string::npos) << names;
  EXPECT_NE(names.find("block_size=8192;"), std::string::npos) << "SetOptions changes table options too: " << names;
  // Its values in place: the advisor's turn.
  for (size_t i = 0; i < advice->n; i++) ASSERT_EQ(elmo_rt_set_value(rt, advice->names[i], advice->values[i], &err), ELMO_OK);
  auto next = std::make_unique<elmo_rt_advice>();
  ASSERT_EQ(elmo_rt_advise(rt, &snap, &req, next.get(), &err), ELMO_OK) << err.message;
  EXPECT_STREQ(next->source, "");
  EXPECT_NE(std::string(next->reason).find("the playbook's entry readrandomwriterandom:90"), std::string::npos)
      << next->reason;
  elmo_rt_destroy(rt);
  elmo_optfile_destroy(current);
}

}  // namespace
