// answer_test.cc — extracting option assignments from advisor answers: the fixture corpus
// (tests/fixtures/answers + expected.json), focused cases, limits, and hostile input.
#include <gtest/gtest.h>

#include <cjson/cJSON.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "elmo/answer.h"
#include "file_text.h"

#ifndef ELMO_TEST_FIXTURES
#error "ELMO_TEST_FIXTURES must name the tests/fixtures directory"
#endif

namespace {

using elmo_test::ReadFile;

const char* HintName(elmo_section_hint h) {
  switch (h) {
    case ELMO_HINT_NONE: return "none";
    case ELMO_HINT_DB: return "db";
    case ELMO_HINT_CF: return "cf";
    case ELMO_HINT_TABLE: return "table";
  }
  return "?";
}

struct Extracted {
  elmo_rc rc = ELMO_EINTERNAL;
  std::string message;
  std::vector<elmo_assignment> items;  // pointers stay valid while list lives
  std::shared_ptr<elmo_assignment_list> list;

  std::string Triples() const {
    std::ostringstream os;
    for (const elmo_assignment& a : items) {
      os << "[" << HintName(a.section) << ", " << a.key << ", " << a.value << "]\n";
    }
    return os.str();
  }
};

Extracted Extract(const std::string& text) {
  Extracted e;
  elmo_assignment_list* list = reinterpret_cast<elmo_assignment_list*>(0x1);
  elmo_error err;
  elmo_error_clear(&err);
  e.rc = elmo_answer_extract(text.data(), text.size(), &list, &err);
  e.message = err.message;
  if (e.rc == ELMO_OK) {
    e.list.reset(list, elmo_assignment_list_destroy);
    e.items.assign(list->items, list->items + list->count);
  } else {
    EXPECT_EQ(list, nullptr) << "out must be NULL on error";
    EXPECT_EQ(err.code, e.rc);
  }
  return e;
}

std::string AnswersDir() { return std::string(ELMO_TEST_FIXTURES) + "/answers"; }

// ---- the corpus -------------------------------------------------------------------------------

struct Manifest {
  std::shared_ptr<cJSON> root;
};

Manifest LoadManifest() {
  std::string text = ReadFile(AnswersDir() + "/expected.json");
  Manifest m;
  m.root.reset(cJSON_Parse(text.c_str()), cJSON_Delete);
  return m;
}

TEST(AnswerCorpus, ManifestCoversEveryFixture) {
  Manifest m = LoadManifest();
  ASSERT_TRUE(m.root && cJSON_IsObject(m.root.get())) << "expected.json does not parse";
  std::set<std::string> listed, files;
  for (cJSON* e = m.root->child; e != nullptr; e = e->next) listed.insert(e->string);
  for (const auto& f : std::filesystem::directory_iterator(AnswersDir())) {
    if (f.path().extension() == ".txt") files.insert(f.path().filename().string());
  }
  EXPECT_GE(files.size(), 40u);
  EXPECT_EQ(listed, files);
}

void CheckExpected(const cJSON* want, const Extracted& got) {
  if (cJSON_IsObject(want)) {
    const cJSON* code = cJSON_GetObjectItemCaseSensitive(want, "error");
    ASSERT_TRUE(cJSON_IsString(code));
    ASSERT_STREQ(code->valuestring, "EPARSE") << "only EPARSE is expected from the corpus";
    EXPECT_EQ(got.rc, ELMO_EPARSE) << "extracted instead:\n" << got.Triples();
    const cJSON* msg = cJSON_GetObjectItemCaseSensitive(want, "message");
    if (cJSON_IsString(msg)) {
      EXPECT_NE(got.message.find(msg->valuestring), std::string::npos) << got.message;
    }
    return;
  }
  ASSERT_TRUE(cJSON_IsArray(want));
  ASSERT_EQ(got.rc, ELMO_OK) << got.message;
  std::ostringstream expect;
  const cJSON* t;
  cJSON_ArrayForEach(t, want) {
    ASSERT_EQ(cJSON_GetArraySize(t), 3) << "triples only";
    expect << "[" << cJSON_GetArrayItem(t, 0)->valuestring << ", "
           << cJSON_GetArrayItem(t, 1)->valuestring << ", " << cJSON_GetArrayItem(t, 2)->valuestring
           << "]\n";
  }
  EXPECT_EQ(got.Triples(), expect.str());
  EXPECT_GE(got.list->chosen_block, 0);
  EXPECT_LT(got.list->chosen_block, got.list->blocks_seen);
  for (const elmo_assignment& a : got.items) EXPECT_EQ(a.block, got.list->chosen_block) << a.key;
}

TEST(AnswerCorpus, EveryFixtureGivesItsExpectedResult) {
  Manifest m = LoadManifest();
  ASSERT_TRUE(m.root);
  int checked = 0;
  for (cJSON* e = m.root->child; e != nullptr; e = e->next) {
    SCOPED_TRACE(testing::Message() << "fixture " << e->string);
    std::string text = ReadFile(AnswersDir() + "/" + e->string);
    CheckExpected(e, Extract(text));
    checked++;
  }
  EXPECT_GE(checked, 40);
}

// ---- focused cases ----------------------------------------------------------------------------

struct Case {
  const char* name;
  const char* text;
  const char* triples;  // expected "[hint, key, value]\n"...; nullptr for EPARSE
};

const Case kCases[] = {
    {"bare lines in prose",
     "Try:\nmax_background_jobs=8\nwrite_buffer_size = 128 MB because flushes\n",
     "[none, max_background_jobs, 8]\n[none, write_buffer_size, 128 MB]\n"},
    {"inline code in a sentence is not an option",
     "Set `write_buffer_size=128MB` to reduce flushes.\n", nullptr},
    {"instruction without a value token",
     "- Set max_background_jobs to 8\n- compression: use lz4\n", nullptr},
    {"capitalised words are prose", "Result: faster\nLatency: 5ms\n", nullptr},
    {"lowercase word keys need a value-like value", "- compression: lz4\n- result: faster\n",
     "[none, compression, lz4]\n"},
    {"flag in a sentence", "Use --cache_size=1GB for better hits\n", nullptr},
    {"prompted command in prose", "$ db_bench --bloom_bits=10 --cache_size=1GB\n",
     "[none, bloom_bits, 10]\n[none, cache_size, 1GB]\n"},
    {"table with a prose row",
     "| Setting | Value |\n|---|---|\n| Stalls | Increase buffers |\n| ttl | 3600 |\n",
     "[none, ttl, 3600]\n"},
    {"table without header", "| write_buffer_size | 64MB |\n| max_write_buffer_number | 3 |\n",
     "[none, write_buffer_size, 64MB]\n[none, max_write_buffer_number, 3]\n"},
    {"table with section column",
     "| Section | Option | New value |\n|--|--|--|\n| DBOptions | max_background_jobs | 8 |\n| "
     "CFOptions | ttl | 0 |\n",
     "[db, max_background_jobs, 8]\n[cf, ttl, 0]\n"},
    {"json change list in prose",
     "Changes:\n[\n  {\"name\": \"write_buffer_size\", \"new_value\": \"256MB\"},\n  {\"name\": "
     "\"ttl\", \"value\": 3600}\n]\n",
     "[none, write_buffer_size, 256MB]\n[none, ttl, 3600]\n"},
    {"json array value becomes a colon list",
     "```json\n{\"max_bytes_for_level_multiplier_additional\": [1, 1, 2]}\n```\n",
     "[none, max_bytes_for_level_multiplier_additional, 1:1:2]\n"},
    {"json struct value kept whole",
     "```json\n{\"compaction_options_universal\": {\"size_ratio\": 10, \"min_merge_width\": "
     "2}}\n```\n",
     "[none, compaction_options_universal, {size_ratio=10;min_merge_width=2}]\n"},
    {"json escapes",
     "```json\n{\"db_log_dir\": \"/var/log/r\\u00e9\\/x\", \"wal_dir\": \"a\\nb\"}\n```\n",
     "[none, db_log_dir, /var/log/r\xc3\xa9/x]\n"},
    {"json wrapper with before and after",
     "```json\n{\"before\": {\"ttl\": 1}, \"after\": {\"ttl\": 2}, \"notes\": \"x\"}\n```\n",
     "[none, ttl, 2]\n[none, notes, x]\n"},
    {"single-quoted lenient json", "```\n{'max_open_files': -1, block_size: 4096,}\n```\n",
     "[none, max_open_files, -1]\n[none, block_size, 4096]\n"},
    {"fence without assignments then bullets in prose",
     "```bash\nls -l /data\n```\n- max_background_jobs: 8\n", "[none, max_background_jobs, 8]\n"},
    {"ini ; and // comments and empty values",
     "```\n; comment\n// another\nkey_only_no_value=\nmax_open_files=-1 // unlimited\n```\n",
     "[none, max_open_files, -1]\n"},
    {"trailing semicolons and commas", "```\nmax_open_files = -1;\nttl = 10,\n```\n",
     "[none, max_open_files, -1]\n[none, ttl, 10]\n"},
    {"yaml header without indentation",
     "```\nDBOptions:\nmax_background_jobs: 8\nCFOptions:\nttl: 5\n```\n",
     "[db, max_background_jobs, 8]\n[cf, ttl, 5]\n"},
    {"version section is not options",
     "```\n[Version]\nrocksdb_version=7.8.3\n[DBOptions]\nmax_open_files=-1\n```\n",
     "[db, max_open_files, -1]\n"},
    {"unknown section resets the hint",
     "```\n[DBOptions]\nmax_open_files=-1\n[rocksdb]\nttl=1\n```\n",
     "[db, max_open_files, -1]\n[none, ttl, 1]\n"},
    {"table factory inside cf json",
     "```json\n{\"cf_options\": {\"block_based_table_factory\": \"{block_size=4096}\"}}\n```\n",
     "[table, block_size, 4096]\n"},
    {"nested table factory in the middle of a line",
     "```\nblock_based_table_factory={filter_policy=bloomfilter:10:false;block_cache={capacity=1G;"
     "num_shard_bits=4};};\n```\n",
     "[table, filter_policy, bloomfilter:10:false]\n[table, block_cache, "
     "{capacity=1G;num_shard_bits=4}]\n"},
    {"key too long is skipped",
     "```\nx_"
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
     "=1\nttl=2\n```\n",
     "[none, ttl, 2]\n"},
    {"control characters in values are skipped", "```\ndb_log_dir=/a\x01b\nttl=2\n```\n",
     "[none, ttl, 2]\n"},
    {"python block needs option-shaped keys",
     "```python\nx = 5\nopts.compression = 'lz4'\nopts.max_open_files = -1\n```\n",
     "[none, compression, lz4]\n[none, max_open_files, -1]\n"},
    {"markdown link is not a header", "[see docs](https://x)\n- max_open_files: -1\n",
     "[none, max_open_files, -1]\n"},
    {"prose only", "Increase the block cache and watch the stall counters.\n", nullptr},
    {"empty json objects in prose are not blocks", "Ignore {} and\n{\"x\": []}\n- ttl: 5\n",
     "[none, ttl, 5]\n"},
    {"unfenced options file keeps its headers",
     "Deploy:\n[DBOptions]\nmax_open_files=-1\n[CFOptions \"default\"]\nttl=5\n",
     "[db, max_open_files, -1]\n[cf, ttl, 5]\n"},
    {"yaml nesting ends with the indentation",
     "```yaml\nCFOptions:\n  block_based_table_factory:\n    block_size: 4KB\n  ttl: "
     "5\nmax_open_files: 9\n```\n",
     "[table, block_size, 4KB]\n[cf, ttl, 5]\n[none, max_open_files, 9]\n"},
    {"sections in lenient json lines after a syntax error",
     "```json\n{\n  \"DBOptions\": {\n    \"max_open_files\": -1\n  },\n  \"ttl\": 5 oops\n"
     "  \"write_buffer_size\": \"64MB\"\n}\n```\n",
     "[db, max_open_files, -1]\n[none, write_buffer_size, 64MB]\n"},
};

TEST(AnswerExtract, Cases) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(testing::Message() << "case '" << c.name << "':\n" << c.text);
    Extracted e = Extract(c.text);
    if (c.triples == nullptr) {
      EXPECT_EQ(e.rc, ELMO_EPARSE) << "extracted:\n" << e.Triples();
    } else {
      ASSERT_EQ(e.rc, ELMO_OK) << e.message;
      EXPECT_EQ(e.Triples(), c.triples);
    }
  }
}

TEST(AnswerExtract, ColumnFamilyNamesOriginsAndLines) {
  Extracted e = Extract(
      "Intro\n```ini\n[CFOptions \"logs\"]\nwrite_buffer_size=1\n[TableOptions/BlockBasedTable "
      "\"logs\"]\n"
      "block_size=4096\n[DBOptions]\nmax_open_files=-1\n```\n");
  ASSERT_EQ(e.rc, ELMO_OK) << e.message;
  ASSERT_EQ(e.items.size(), 3u);
  EXPECT_STREQ(e.items[0].cf_name, "logs");
  EXPECT_EQ(e.items[0].line, 4);
  EXPECT_STREQ(e.items[1].cf_name, "logs");
  EXPECT_EQ(e.items[1].section, ELMO_HINT_TABLE);
  EXPECT_EQ(e.items[2].cf_name, nullptr);
  EXPECT_EQ(e.items[2].line, 8);
  for (const elmo_assignment& a : e.items) EXPECT_EQ(a.origin, ELMO_ORIGIN_INI);

  struct OriginCase {
    const char* text;
    elmo_origin origin;
  } origins[] = {
      {"```json\n{\"ttl\": 1}\n```\n", ELMO_ORIGIN_JSON},
      {"```\n--ttl=1\n```\n", ELMO_ORIGIN_FLAGS},
      {"| ttl | 1 |\n", ELMO_ORIGIN_TABLE},
      {"```\nttl: 1\n```\n", ELMO_ORIGIN_INI},
  };
  for (const OriginCase& c : origins) {
    SCOPED_TRACE(c.text);
    Extracted o = Extract(c.text);
    ASSERT_EQ(o.rc, ELMO_OK) << o.message;
    ASSERT_EQ(o.items.size(), 1u);
    EXPECT_EQ(o.items[0].origin, c.origin);
    EXPECT_STREQ(o.items[0].key, "ttl");
  }
}

TEST(AnswerExtract, DuplicatesKeepFirstPositionAndLastValue) {
  Extracted e = Extract("```\nttl=1\nmax_open_files=5\nttl=2\n[CFOptions \"a\"]\nttl=3\n```\n");
  ASSERT_EQ(e.rc, ELMO_OK);
  EXPECT_EQ(e.Triples(), "[none, ttl, 2]\n[none, max_open_files, 5]\n[cf, ttl, 3]\n");
  EXPECT_EQ(e.items[0].line, 4);  // where the winning value was written
}

struct ChoiceCase {
  const char* name;
  const char* text;
  int chosen;
  int seen;
  const char* value;  // of "ttl"
};

const ChoiceCase kChoices[] = {
    {"last block wins", "```\nttl=1\n```\n```\nttl=2\n```\n", 1, 2, "2"},
    {"current after recommended",
     "Recommended:\n```\nttl=1\n```\nYour current config:\n```\nttl=2\n```\n", 0, 2, "1"},
    {"comment inside the block marks it",
     "```\n# proposed\nttl=1\n```\n```\n# current values\nttl=2\n```\n", 0, 2, "1"},
    {"all current: the last", "Current:\n```\nttl=1\n```\nOld:\n```\nttl=2\n```\n", 1, 2, "2"},
    {"unmarked before current", "```\nttl=1\n```\nbaseline:\n```\nttl=2\n```\n", 0, 2, "1"},
    {"empty blocks count as seen", "```\n```\n```\nttl=3\n```\n```bash\nls\n```\n", 1, 3, "3"},
    {"flags only count when nothing else", "```\nttl=1\n```\n```\ndb_bench --ttl=2\n```\n", 0, 2,
     "1"},
    {"info string marks the block",
     "```ini title=after\nttl=1\n```\n```ini title=before\nttl=2\n```\n", 0, 2, "1"},
    {"prose json objects are blocks", "Current:\n{\"ttl\": 1}\nNew:\n{\"ttl\": 2}\n", 1, 2, "2"},
};

TEST(AnswerExtract, ChoosesTheFinalBlock) {
  for (const ChoiceCase& c : kChoices) {
    SCOPED_TRACE(testing::Message() << "case '" << c.name << "':\n" << c.text);
    Extracted e = Extract(c.text);
    ASSERT_EQ(e.rc, ELMO_OK) << e.message;
    EXPECT_EQ(e.list->chosen_block, c.chosen);
    EXPECT_EQ(e.list->blocks_seen, c.seen);
    ASSERT_EQ(e.items.size(), 1u) << e.Triples();
    EXPECT_STREQ(e.items[0].value, c.value);
    EXPECT_EQ(e.items[0].block, c.chosen);
  }
}

// ---- errors -----------------------------------------------------------------------------------

TEST(AnswerExtract, ErrorsSayWhatWasFound) {
  struct ErrCase {
    std::string text;
    const char* message;
  } cases[] = {
      {"", "empty answer"},
      {" \n\t\r\n", "whitespace-only"},
      {"Just prose.\nMore prose.", "prose only, no options block"},
      {"```\nno assignments here\n```\n", "1 fenced block(s) with no key=value lines"},
      {"```\nnot closed\n", "never closed"},
      {std::string("```\nx_") + std::string(200, 'k') + "=1\n```\n", "skipped"},
      {std::string("\x01\x02\x03\x04\x05\x06garbage\x07\x08"), "not text"},
  };
  for (const ErrCase& c : cases) {
    SCOPED_TRACE(testing::Message() << "text: " << c.text);
    Extracted e = Extract(c.text);
    EXPECT_EQ(e.rc, ELMO_EPARSE);
    EXPECT_NE(e.message.find(c.message), std::string::npos) << e.message;
  }
}

TEST(AnswerExtract, NullArguments) {
  elmo_assignment_list* list = reinterpret_cast<elmo_assignment_list*>(0x1);
  elmo_error err;
  EXPECT_EQ(elmo_answer_extract(nullptr, 3, &list, &err), ELMO_EINVAL);
  EXPECT_EQ(list, nullptr);
  EXPECT_EQ(err.code, ELMO_EINVAL);
  EXPECT_EQ(elmo_answer_extract("ttl=1", 5, nullptr, nullptr), ELMO_EINVAL);
  elmo_assignment_list_destroy(nullptr);
}

TEST(AnswerExtract, NulByteEndsTheAnswer) {
  std::string text("```\nttl=1\n```\n\0```\nttl=2\n```\n", 29);
  Extracted e = Extract(text);
  ASSERT_EQ(e.rc, ELMO_OK);
  EXPECT_EQ(e.Triples(), "[none, ttl, 1]\n");
  EXPECT_EQ(e.list->blocks_seen, 1);
}

TEST(AnswerExtract, TextNeedNotBeNulTerminated) {
  std::string text = "```\nttl=12345\n```";
  // A heap buffer of exactly the bytes passed, cut mid-value: reading past it trips ASan.
  std::unique_ptr<char[]> exact(new char[12]);
  std::memcpy(exact.get(), text.data(), 12);
  elmo_assignment_list* list = nullptr;
  ASSERT_EQ(elmo_answer_extract(exact.get(), 12, &list, nullptr), ELMO_OK);
  ASSERT_EQ(list->count, 1u);
  EXPECT_STREQ(list->items[0].value, "1234");
  elmo_assignment_list_destroy(list);
}

// ---- size and hostile input -------------------------------------------------------------------

double Seconds(const std::string& text, Extracted* out) {
  auto t0 = std::chrono::steady_clock::now();
  *out = Extract(text);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Sanitizers slow the code several times; the budget is for an instrumented build.
constexpr double kBudgetSeconds = 3.0;

TEST(AnswerLimits, HugeAnswerIsFastAndFindsTheFinalBlock) {
  std::string text;
  text.reserve(6 << 20);
  const std::string para =
      "The compaction backlog grows when ingest = 50 MB/s exceeds what 4 threads can merge. "
      "Note: more memtables help only up to a point; see the stall counters.\n"
      "- Consider the block cache size.\n\n";
  for (int i = 0; text.size() < (5u << 20); i++) {
    text += para;
    if (i % 500 == 0) text += "```\nttl=" + std::to_string(i) + "\n```\n";
  }
  text += "Here is the final configuration:\n```ini\n[DBOptions]\nmax_background_jobs=8\n```\n";
  Extracted e;
  double s = Seconds(text, &e);
  ASSERT_EQ(e.rc, ELMO_OK) << e.message;
  EXPECT_EQ(e.Triples(), "[db, max_background_jobs, 8]\n");
  EXPECT_GT(e.list->blocks_seen, 10);
  EXPECT_LT(s, kBudgetSeconds) << "5 MB answer took " << s << " s";
}

TEST(AnswerLimits, HugeProseAnswerIsFast) {
  std::string text;
  const std::string para =
      "Write rate = 50 MB/s. Note: this helps.\n- Consider the block cache size.\n"
      "| Problem | Fix |\n|---|---|\n| Stalls | More threads |\n{ not json }\n\n";
  while (text.size() < (5u << 20)) text += para;
  text += "Final recommendation:\n- max_background_jobs: 8\n- write_buffer_size: 128MB\n";
  Extracted e;
  double s = Seconds(text, &e);
  ASSERT_EQ(e.rc, ELMO_OK) << e.message;
  EXPECT_EQ(e.Triples(), "[none, max_background_jobs, 8]\n[none, write_buffer_size, 128MB]\n");
  EXPECT_LT(s, kBudgetSeconds) << "5 MB answer took " << s << " s";
}

TEST(AnswerLimits, AssignmentsAreCapped) {
  std::string text = "```\n";
  for (int i = 0; i < 10000; i++)
    text += "opt_" + std::to_string(i) + "=" + std::to_string(i) + "\n";
  text += "```\n";
  Extracted e = Extract(text);
  ASSERT_EQ(e.rc, ELMO_OK);
  EXPECT_EQ(e.items.size(), 4096u);
  EXPECT_STREQ(e.items[4095].key, "opt_4095");
}

TEST(AnswerLimits, LongValuesAreSkipped) {
  std::string text = "```\ndb_log_dir=" + std::string(70000, 'v') +
                     "\nwal_dir=" + std::string(60000, 'w') + "\n```\n";
  Extracted e = Extract(text);
  ASSERT_EQ(e.rc, ELMO_OK);
  ASSERT_EQ(e.items.size(), 1u);
  EXPECT_STREQ(e.items[0].key, "wal_dir");
}

TEST(AnswerLimits, PathologicalShapesStayLinear) {
  struct Shape {
    const char* name;
    std::string unit;
  } shapes[] = {
      {"open braces", "{\n"},
      {"unclosed json", "{\"a_b\": 1,\n"},
      {"deep json", "{\"a\": "},
      {"fences", "```\n"},
      {"unbalanced nested values", "```\nbbto={block_size=1;\n"},
      {"table rows",
       "| a_b | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16 | 17 |\n"},
      {"flag continuation", "--a_b=1 \\\n"},
      {"yaml sections", "DBOptions:\n  CFOptions:\n"},
      {"one long line", "x_y=1 # "},
      {"quotes", "\"'\"'`"},
  };
  for (const Shape& sh : shapes) {
    SCOPED_TRACE(sh.name);
    std::string text;
    while (text.size() < (2u << 20)) text += sh.unit;
    Extracted e;
    double s = Seconds(text, &e);
    EXPECT_TRUE(e.rc == ELMO_OK || e.rc == ELMO_EPARSE) << e.rc << " " << e.message;
    EXPECT_LT(s, kBudgetSeconds) << sh.name << " took " << s << " s";
  }
}

TEST(AnswerLimits, RandomBytesNeverCrash) {
  std::mt19937 rng(12345);
  const char alphabet[] = "abc_=:{}[]\"'`|#/-\n\r\t *~$\\,;.0123456789DBOptions";
  for (int round = 0; round < 3000; round++) {
    size_t n = rng() % 400;
    std::string text(n, '\0');
    for (char& ch : text) {
      ch = (rng() % 4 == 0) ? static_cast<char>(rng() % 256)
                            : alphabet[rng() % (sizeof(alphabet) - 1)];
    }
    Extracted e = Extract(text);
    ASSERT_TRUE(e.rc == ELMO_OK || e.rc == ELMO_EPARSE) << e.rc;
    if (e.rc == ELMO_OK) {
      ASSERT_GT(e.items.size(), 0u);
      for (const elmo_assignment& a : e.items) {
        ASSERT_GT(std::strlen(a.key), 0u);
        ASSERT_LE(std::strlen(a.key), 128u);
        ASSERT_GT(std::strlen(a.value), 0u);
      }
    }
  }
}

}  // namespace
