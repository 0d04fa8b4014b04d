// optfile_test.cc — the RocksDB OPTIONS file model: parse, edit, format, save, diff.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "elmo/optfile.h"
#include "file_text.h"
#include "handles.h"

#ifndef ELMO_TEST_FIXTURES
#error "ELMO_TEST_FIXTURES must name the tests/fixtures directory"
#endif

namespace {

using elmo_test::Optfile;
using elmo_test::ReadFile;
using elmo_test::Take;

std::string FixturePath(const char* name) {
  return std::string(ELMO_TEST_FIXTURES) + "/options/" + name;
}

Optfile Parse(const std::string& text) {
  elmo_optfile* f = nullptr;
  elmo_error err;
  elmo_rc rc = elmo_optfile_parse(text.data(), text.size(), &f, &err);
  EXPECT_EQ(rc, ELMO_OK) << err.message << "\n--- input ---\n" << text;
  return Optfile(f);
}

const char kHeader[] =
    "# This is a RocksDB option file.\n"
    "#\n"
    "# For detailed file format spec, please refer to the example file\n"
    "# in examples/rocksdb_option_file_example.ini\n"
    "#\n"
    "\n";

// The formatted file without its header, blank lines and indentation, one space between lines:
// `[DBOptions] a=1 [CFOptions "default"] b=2`.
std::string Layout(const elmo_optfile* f) {
  std::string text = Take(elmo_optfile_format(f));
  EXPECT_EQ(text.compare(0, strlen(kHeader), kHeader), 0) << text;
  std::istringstream in(text.substr(strlen(kHeader)));
  std::string line, out;
  while (std::getline(in, line)) {
    size_t b = line.find_first_not_of(' ');
    if (b == std::string::npos) continue;
    out += (out.empty() ? "" : " ") + line.substr(b);
  }
  return out;
}

const char* Get(const elmo_optfile* f, elmo_section s, const char* cf, const char* key) {
  return elmo_optfile_get(f, s, cf, key);
}

std::string Str(const char* s) { return s ? s : "<NULL>"; }

}  // namespace

// ---- round trip ---------------------------------------------------------------------------------

TEST(OptfileRoundTrip, RealRocksDBFilesFormatByteForByte) {
  const char* fixtures[] = {"rocksdb-7.8.3-default.ini", "rocksdb-7.8.3-tuned-2cf.ini"};
  for (const char* name : fixtures) {
    SCOPED_TRACE(name);
    std::string original = ReadFile(FixturePath(name));
    ASSERT_FALSE(original.empty());
    elmo_optfile* raw = nullptr;
    elmo_error err;
    ASSERT_EQ(elmo_optfile_load(FixturePath(name).c_str(), &raw, &err), ELMO_OK) << err.message;
    Optfile f(raw);
    std::string formatted = Take(elmo_optfile_format(f.get()));
    EXPECT_EQ(formatted, original);
    Optfile again = Parse(formatted);
    EXPECT_EQ(Take(elmo_optfile_format(again.get())), formatted);
    size_t n = 99;
    EXPECT_EQ(Take(elmo_optfile_diff(f.get(), again.get(), &n)), "");
    EXPECT_EQ(n, 0u);
  }
}

TEST(OptfileRoundTrip, HandWrittenInputsNormalizeAndStayFixed) {
  struct Case {
    const char* name;
    std::string input;
    std::string layout;
  } cases[] = {
      {"empty", "", ""},
      {"comments, blank lines, indentation", "# c\n\n   [DBOptions]   \n\t a=1\n# more\n\n",
       "[DBOptions] a=1"},
      {"spaces around = and inside value", "[DBOptions]\n  a  =  b c  \n", "[DBOptions] a=b c"},
      {"value with = and braces",
       "[CFOptions \"default\"]\n  "
       "compaction_options_fifo={allow_compaction=false;age_for_warm=0;}\n",
       "[CFOptions \"default\"] compaction_options_fifo={allow_compaction=false;age_for_warm=0;}"},
      {"trailing comment dropped, escaped hash kept",
       "[DBOptions]\n  wal_dir=/x\\#y  # where the WAL goes\n", "[DBOptions] wal_dir=/x\\#y"},
      {"CRLF line ends", "[DBOptions]\r\n  a=1\r\n", "[DBOptions] a=1"},
      {"empty value", "[DBOptions]\n  wal_dir=\n", "[DBOptions] wal_dir="},
      {"no final newline", "[DBOptions]\n  a=1", "[DBOptions] a=1"},
      {"other table types keep their header",
       "[CFOptions \"default\"]\n  table_factory=PlainTable\n"
       "[TableOptions/PlainTable \"default\"]\n  user_key_len=0\n",
       "[CFOptions \"default\"] table_factory=PlainTable [TableOptions/PlainTable \"default\"] "
       "user_key_len=0"},
      {"escaped column family name", "[CFOptions \"a\\:b\"]\n  x=1\n", "[CFOptions \"a\\:b\"] x=1"},
      {"long value", "[DBOptions]\n  v=" + std::string(600, 'x') + "\n",
       "[DBOptions] v=" + std::string(600, 'x')},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Optfile f = Parse(c.input);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(Layout(f.get()), c.layout);
    std::string once = Take(elmo_optfile_format(f.get()));
    Optfile g = Parse(once);
    EXPECT_EQ(Take(elmo_optfile_format(g.get())), once);
  }
}

TEST(OptfileRoundTrip, CreateWritesRocksDBsSkeleton) {
  Optfile f(elmo_optfile_create());
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(Take(elmo_optfile_format(f.get())),
            std::string(kHeader) +
                "[Version]\n  rocksdb_version=7.8.3\n  options_file_version=1.1\n"
                "\n[DBOptions]\n  \n"
                "\n[CFOptions \"default\"]\n  \n"
                "[TableOptions/BlockBasedTable \"default\"]\n  \n");
  EXPECT_EQ(elmo_optfile_cf_count(f.get()), 1u);
  EXPECT_STREQ(elmo_optfile_cf_name(f.get(), 0), "default");
}

// ---- parse errors -------------------------------------------------------------------------------

TEST(OptfileParse, RejectsBadInputNamingTheLine) {
  struct Case {
    const char* name;
    std::string input;
    const char* message;
  } cases[] = {
      {"unknown section", "[Version]\n  rocksdb_version=7.8.3\n[Foo]\n",
       "line 3: unknown section [Foo]"},
      {"table title without a type", "[TableOptions/ \"default\"]\n",
       "line 1: unknown section [TableOptions/ \"default\"]"},
      {"key before any section", "# comment\n\na=1\n", "line 3: 'a=1' comes before any section"},
      {"line without =", "[DBOptions]\n  a=1\n  just_a_word\n",
       "line 3: expected key=value, got 'just_a_word'"},
      {"unterminated header", "[DBOptions]\n[CFOptions \"default\"\n",
       "line 2: unterminated section header [CFOptions \"default\""},
      {"header cut by a comment", "[DBOptions # ]\n",
       "line 1: unterminated section header [DBOptions"},
      {"duplicate key", "[DBOptions]\n  a=1\n  b=2\n  a = 3\n",
       "line 4: duplicate key 'a' in [DBOptions]"},
      {"duplicate key with CRLF", "[DBOptions]\r\n a=1\r\n a=2\r\n",
       "line 3: duplicate key 'a' in [DBOptions]"},
      {"empty option name", "[DBOptions]\n  =5\n", "line 2: empty option name"},
      {"duplicate section", "[DBOptions]\n\n[DBOptions]\n",
       "line 3: duplicate section [DBOptions]"},
      {"duplicate column family", "[CFOptions \"default\"]\n[CFOptions \"default\"]\n",
       "line 2: duplicate section [CFOptions \"default\"]"},
      {"table before its column family",
       "[CFOptions \"default\"]\n[TableOptions/BlockBasedTable \"users\"]\n",
       "line 2: [TableOptions/BlockBasedTable \"users\"] comes before any [CFOptions] of column "
       "family 'users'"},
      {"column family without a name", "[CFOptions]\n",
       "line 1: section [CFOptions] needs a quoted column family name"},
      {"DBOptions with a name", "[DBOptions \"x\"]\n",
       "line 1: section [DBOptions \"x\"] takes no column family name"},
      {"default not first", "[CFOptions \"users\"]\n[CFOptions \"default\"]\n",
       "line 2: [CFOptions \"default\"] must be the first column family section"},
      {"NUL byte", std::string("[DBOptions]\n  a=\0\n", 17), "line 2: contains a NUL byte"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    elmo_optfile* f = reinterpret_cast<elmo_optfile*>(0x1);
    elmo_error err;
    EXPECT_EQ(elmo_optfile_parse(c.input.data(), c.input.size(), &f, &err), ELMO_EPARSE);
    EXPECT_EQ(f, nullptr);
    EXPECT_EQ(err.code, ELMO_EPARSE);
    EXPECT_STREQ(err.message, c.message);
  }
}

TEST(OptfileParse, BadArgumentsAreEinval) {
  elmo_optfile* f = nullptr;
  EXPECT_EQ(elmo_optfile_parse("x", 1, nullptr, nullptr), ELMO_EINVAL);
  EXPECT_EQ(elmo_optfile_parse(nullptr, 3, &f, nullptr), ELMO_EINVAL);
  EXPECT_EQ(f, nullptr);
}

TEST(OptfileLoad, ErrorsNameThePath) {
  std::string missing = std::string(ELMO_TEST_FIXTURES) + "/options/no-such-file.ini";
  elmo_optfile* f = nullptr;
  elmo_error err;
  EXPECT_EQ(elmo_optfile_load(missing.c_str(), &f, &err), ELMO_EIO);
  EXPECT_EQ(f, nullptr);
  EXPECT_EQ(std::string(err.message), "cannot read " + missing + ": " + strerror(ENOENT));
}

// ---- get ----------------------------------------------------------------------------------------

TEST(OptfileGet, ReadsARealFile) {
  elmo_optfile* raw = nullptr;
  ASSERT_EQ(elmo_optfile_load(FixturePath("rocksdb-7.8.3-default.ini").c_str(), &raw, nullptr),
            ELMO_OK);
  Optfile f(raw);
  struct Case {
    elmo_section s;
    const char* cf;
    const char* key;
    const char* want;
  } cases[] = {
      {ELMO_SECTION_VERSION, nullptr, "rocksdb_version", "7.8.3"},
      {ELMO_SECTION_VERSION, nullptr, "options_file_version", "1.1"},
      {ELMO_SECTION_DB, nullptr, "max_background_jobs", "2"},
      {ELMO_SECTION_DB, "ignored", "max_background_jobs", "2"},
      {ELMO_SECTION_DB, nullptr, "db_host_id", "__hostname__"},
      {ELMO_SECTION_CF, nullptr, "write_buffer_size", "67108864"},
      {ELMO_SECTION_CF, "default", "max_write_buffer_number", "2"},
      {ELMO_SECTION_CF, "default", "compaction_options_fifo",
       "{allow_compaction=false;age_for_warm=0;max_table_files_size=1073741824;}"},
      {ELMO_SECTION_TABLE, nullptr, "block_size", "4096"},
      {ELMO_SECTION_TABLE, "default", "filter_policy", "nullptr"},
      {ELMO_SECTION_TABLE, "default", "block_cache", nullptr},
      {ELMO_SECTION_CF, "users", "write_buffer_size", nullptr},
      {ELMO_SECTION_DB, nullptr, "write_buffer_size", nullptr},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(elmo_section_name(c.s)) + " " + Str(c.cf) + " " + c.key);
    EXPECT_EQ(Str(Get(f.get(), c.s, c.cf, c.key)), Str(c.want));
  }
  EXPECT_EQ(Get(nullptr, ELMO_SECTION_DB, nullptr, "a"), nullptr);
  EXPECT_EQ(Get(f.get(), ELMO_SECTION_DB, nullptr, nullptr), nullptr);
}

TEST(OptfileCf, ListsColumnFamiliesInFileOrder) {
  elmo_optfile* raw = nullptr;
  ASSERT_EQ(elmo_optfile_load(FixturePath("rocksdb-7.8.3-tuned-2cf.ini").c_str(), &raw, nullptr),
            ELMO_OK);
  Optfile f(raw);
  ASSERT_EQ(elmo_optfile_cf_count(f.get()), 2u);
  EXPECT_STREQ(elmo_optfile_cf_name(f.get(), 0), "default");
  EXPECT_STREQ(elmo_optfile_cf_name(f.get(), 1), "users");
  EXPECT_EQ(elmo_optfile_cf_name(f.get(), 2), nullptr);
  EXPECT_EQ(Str(Get(f.get(), ELMO_SECTION_TABLE, "users", "block_size")), "16384");
  EXPECT_EQ(elmo_optfile_cf_count(nullptr), 0u);
}

// ---- set / unset --------------------------------------------------------------------------------

TEST(OptfileSet, PlacesKeysAndNewSections) {
  const std::string base =
      "[Version]\n  rocksdb_version=7.8.3\n[DBOptions]\n  a=1\n  b=2\n"
      "[CFOptions \"default\"]\n  w=1\n[TableOptions/BlockBasedTable \"default\"]\n  t=1\n"
      "[CFOptions \"users\"]\n  w=2\n";
  struct Op {
    elmo_section s;
    const char* cf;
    const char* key;
    const char* value;
  };
  struct Case {
    const char* name;
    std::string start;
    std::vector<Op> ops;
    const char* layout;
  } cases[] = {
      {"replace keeps the position",
       base,
       {{ELMO_SECTION_DB, nullptr, "a", "9"}},
       "[Version] rocksdb_version=7.8.3 [DBOptions] a=9 b=2 [CFOptions \"default\"] w=1 "
       "[TableOptions/BlockBasedTable \"default\"] t=1 [CFOptions \"users\"] w=2"},
      {"new key goes last in its section",
       base,
       {{ELMO_SECTION_CF, nullptr, "z", "3"}},
       "[Version] rocksdb_version=7.8.3 [DBOptions] a=1 b=2 [CFOptions \"default\"] w=1 z=3 "
       "[TableOptions/BlockBasedTable \"default\"] t=1 [CFOptions \"users\"] w=2"},
      {"table section of an existing CF goes right after it",
       base,
       {{ELMO_SECTION_TABLE, "users", "block_size", "16384"}},
       "[Version] rocksdb_version=7.8.3 [DBOptions] a=1 b=2 [CFOptions \"default\"] w=1 "
       "[TableOptions/BlockBasedTable \"default\"] t=1 [CFOptions \"users\"] w=2 "
       "[TableOptions/BlockBasedTable \"users\"] block_size=16384"},
      {"new CF goes last, its table right after it",
       base,
       {{ELMO_SECTION_TABLE, "logs", "block_size", "8192"}, {ELMO_SECTION_CF, "logs", "w", "3"}},
       "[Version] rocksdb_version=7.8.3 [DBOptions] a=1 b=2 [CFOptions \"default\"] w=1 "
       "[TableOptions/BlockBasedTable \"default\"] t=1 [CFOptions \"users\"] w=2 "
       "[CFOptions \"logs\"] w=3 [TableOptions/BlockBasedTable \"logs\"] block_size=8192"},
      {"new CF name is escaped in its header",
       base,
       {{ELMO_SECTION_CF, "a:b#c", "w", "1"}},
       "[Version] rocksdb_version=7.8.3 [DBOptions] a=1 b=2 [CFOptions \"default\"] w=1 "
       "[TableOptions/BlockBasedTable \"default\"] t=1 [CFOptions \"users\"] w=2 "
       "[CFOptions \"a\\:b\\#c\"] w=1"},
      {"DBOptions goes after Version",
       "[Version]\n  v=1\n[CFOptions \"default\"]\n",
       {{ELMO_SECTION_DB, nullptr, "a", "1"}},
       "[Version] v=1 [DBOptions] a=1 [CFOptions \"default\"]"},
      {"Version goes first",
       "[DBOptions]\n  a=1\n",
       {{ELMO_SECTION_VERSION, nullptr, "rocksdb_version", "7.8.3"}},
       "[Version] rocksdb_version=7.8.3 [DBOptions] a=1"},
      {"default CF goes before the others",
       "[DBOptions]\n[CFOptions \"users\"]\n",
       {{ELMO_SECTION_TABLE, nullptr, "t", "1"}},
       "[DBOptions] [CFOptions \"default\"] [TableOptions/BlockBasedTable \"default\"] t=1 "
       "[CFOptions \"users\"]"},
      {"into an empty file", "", {{ELMO_SECTION_CF, "x", "w", "1"}}, "[CFOptions \"x\"] w=1"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Optfile f = Parse(c.start);
    for (const Op& op : c.ops) {
      elmo_error err;
      ASSERT_EQ(elmo_optfile_set(f.get(), op.s, op.cf, op.key, op.value, &err), ELMO_OK)
          << err.message;
      EXPECT_EQ(Str(Get(f.get(), op.s, op.cf, op.key)), op.value);
    }
    EXPECT_EQ(Layout(f.get()), c.layout);
    std::string text = Take(elmo_optfile_format(f.get()));
    Optfile again = Parse(text);  // what set builds must parse back, RocksDB's order rules included
    EXPECT_EQ(Take(elmo_optfile_format(again.get())), text);
  }
}

TEST(OptfileSet, RejectsWhatCouldNotBeWrittenBack) {
  struct Case {
    const char* name;
    elmo_section s;
    const char* key;
    const char* value;
    const char* message;
  } cases[] = {
      {"empty key", ELMO_SECTION_DB, "", "1", "option name '' is empty"},
      {"key with =", ELMO_SECTION_DB, "a=b", "1", "option name 'a=b' contains '='"},
      {"key with newline", ELMO_SECTION_DB, "a\nb", "1", "option name 'a\nb' contains a newline"},
      {"key with spaces", ELMO_SECTION_DB, " a", "1",
       "option name ' a' has leading or trailing spaces"},
      {"key like a section", ELMO_SECTION_DB, "[x]", "1", "option name '[x]' starts with '['"},
      {"value with newline", ELMO_SECTION_DB, "a", "1\n[DBOptions]",
       "value of a contains a newline"},
      {"value with CR", ELMO_SECTION_DB, "a", "1\r", "value of a contains a newline"},
      {"value with comment", ELMO_SECTION_DB, "wal_dir", "/x#y",
       "value of wal_dir contains '#' (write it as \\#)"},
      {"value with trailing space", ELMO_SECTION_DB, "a", "1 ",
       "value of a has leading or trailing spaces"},
      {"unknown Version key", ELMO_SECTION_VERSION, "foo", "1",
       "[Version] has no key 'foo' (allowed: rocksdb_version, options_file_version)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Optfile f(elmo_optfile_create());
    std::string before = Take(elmo_optfile_format(f.get()));
    elmo_error err;
    EXPECT_EQ(elmo_optfile_set(f.get(), c.s, nullptr, c.key, c.value, &err), ELMO_EINVAL);
    EXPECT_STREQ(err.message, c.message);
    EXPECT_EQ(Take(elmo_optfile_format(f.get())), before);
  }
  Optfile f(elmo_optfile_create());
  EXPECT_EQ(elmo_optfile_set(nullptr, ELMO_SECTION_DB, nullptr, "a", "1", nullptr), ELMO_EINVAL);
  EXPECT_EQ(elmo_optfile_set(f.get(), ELMO_SECTION_DB, nullptr, nullptr, "1", nullptr),
            ELMO_EINVAL);
  EXPECT_EQ(elmo_optfile_set(f.get(), ELMO_SECTION_DB, nullptr, "a", nullptr, nullptr),
            ELMO_EINVAL);
  EXPECT_EQ(elmo_optfile_set(f.get(), static_cast<elmo_section>(7), nullptr, "a", "1", nullptr),
            ELMO_EINVAL);
  EXPECT_EQ(elmo_optfile_set(f.get(), ELMO_SECTION_DB, nullptr, "wal_dir", "/x\\#y", nullptr),
            ELMO_OK);
}

TEST(OptfileUnset, RemovesOnlyWhatIsThere) {
  struct Case {
    const char* name;
    elmo_section s;
    const char* cf;
    const char* key;
    int want;
    const char* layout;
  } cases[] = {
      {"present", ELMO_SECTION_DB, nullptr, "a", 1, "[DBOptions] b=2 [CFOptions \"default\"] w=1"},
      {"last key", ELMO_SECTION_CF, "default", "w", 1,
       "[DBOptions] a=1 b=2 [CFOptions \"default\"]"},
      {"absent key", ELMO_SECTION_DB, nullptr, "zz", 0,
       "[DBOptions] a=1 b=2 [CFOptions \"default\"] w=1"},
      {"absent section", ELMO_SECTION_TABLE, "default", "w", 0,
       "[DBOptions] a=1 b=2 [CFOptions \"default\"] w=1"},
      {"absent CF", ELMO_SECTION_CF, "users", "w", 0,
       "[DBOptions] a=1 b=2 [CFOptions \"default\"] w=1"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Optfile f = Parse("[DBOptions]\n  a=1\n  b=2\n[CFOptions \"default\"]\n  w=1\n");
    EXPECT_EQ(elmo_optfile_unset(f.get(), c.s, c.cf, c.key), c.want);
    EXPECT_EQ(Get(f.get(), c.s, c.cf, c.key), nullptr);
    EXPECT_EQ(Layout(f.get()), c.layout);
    EXPECT_EQ(elmo_optfile_unset(f.get(), c.s, c.cf, c.key), 0);
  }
  EXPECT_EQ(elmo_optfile_unset(nullptr, ELMO_SECTION_DB, nullptr, "a"), 0);
}

// ---- clone / foreach ----------------------------------------------------------------------------

TEST(OptfileClone, IsADeepCopy) {
  elmo_optfile* raw = nullptr;
  ASSERT_EQ(elmo_optfile_load(FixturePath("rocksdb-7.8.3-tuned-2cf.ini").c_str(), &raw, nullptr),
            ELMO_OK);
  Optfile f(raw);
  Optfile c(elmo_optfile_clone(f.get()));
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(Take(elmo_optfile_format(c.get())), Take(elmo_optfile_format(f.get())));
  ASSERT_EQ(elmo_optfile_set(c.get(), ELMO_SECTION_CF, "users", "write_buffer_size", "1", nullptr),
            ELMO_OK);
  EXPECT_EQ(Str(Get(f.get(), ELMO_SECTION_CF, "users", "write_buffer_size")), "67108864");
  EXPECT_EQ(elmo_optfile_clone(nullptr), nullptr);
  Optfile empty = Parse("");
  Optfile empty_clone(elmo_optfile_clone(empty.get()));
  EXPECT_EQ(Layout(empty_clone.get()), "");
}

namespace {
struct Visit {
  std::vector<std::string> seen;
  size_t stop_after = SIZE_MAX;
};
int Collect(void* ctx, elmo_section s, const char* cf, const char* key, const char* value) {
  auto* v = static_cast<Visit*>(ctx);
  v->seen.push_back(std::string(elmo_section_name(s)) + "|" + Str(cf) + "|" + key + "=" + value);
  return v->seen.size() >= v->stop_after;
}
}  // namespace

TEST(OptfileForeach, VisitsInOrderAndStopsEarly) {
  Optfile f = Parse(
      "[Version]\n  rocksdb_version=7.8.3\n[DBOptions]\n  a=1\n[CFOptions \"default\"]\n  w=1\n"
      "[TableOptions/BlockBasedTable \"default\"]\n  t=2\n");
  Visit all;
  elmo_optfile_foreach(f.get(), Collect, &all);
  EXPECT_EQ(all.seen, (std::vector<std::string>{"Version|<NULL>|rocksdb_version=7.8.3",
                                                "DBOptions|<NULL>|a=1", "CFOptions|default|w=1",
                                                "TableOptions/BlockBasedTable|default|t=2"}));
  Visit two;
  two.stop_after = 2;
  elmo_optfile_foreach(f.get(), Collect, &two);
  EXPECT_EQ(two.seen.size(), 2u);
  elmo_optfile_foreach(nullptr, Collect, &two);
  elmo_optfile_foreach(f.get(), nullptr, nullptr);
}

// ---- diff ---------------------------------------------------------------------------------------

TEST(OptfileDiff, ExactText) {
  struct Case {
    const char* name;
    std::string a, b;
    std::string want;
    size_t n;
  } cases[] = {
      {"identical but for [Version]", "[Version]\n  rocksdb_version=7.8.3\n[DBOptions]\n  a=1\n",
       "[Version]\n  rocksdb_version=7.9.0\n[DBOptions]\n  a=1\n", "", 0},
      {"the header's example",
       "[DBOptions]\n  max_background_jobs=2\n"
       "[CFOptions \"default\"]\n  write_buffer_size=67108864\n  ttl=0\n",
       "[DBOptions]\n  max_background_jobs=4\n"
       "[CFOptions \"default\"]\n  write_buffer_size=134217728\n"
       "  compression_per_level=kLZ4Compression\n",
       "[DBOptions]\n"
       "  max_background_jobs: 2 -> 4\n"
       "[CFOptions \"default\"]\n"
       "  write_buffer_size: 67108864 -> 134217728   (64 MiB -> 128 MiB)\n"
       "  + compression_per_level: (absent) -> kLZ4Compression   [only in b]\n"
       "  - ttl: 0 -> (absent)   [only in a]\n",
       4},
      {"byte notes: names, big integers, fractions",
       "[CFOptions \"default\"]\n  max_bytes_for_level_base=268435456\n  arena_block_size=1048576\n"
       "[TableOptions/BlockBasedTable \"default\"]\n  block_size=4096\n  block_cache=1073741824\n"
       "[DBOptions]\n  delayed_write_rate=16777216\n",
       "[CFOptions \"default\"]\n  max_bytes_for_level_base=536870912\n  arena_block_size=0\n"
       "[TableOptions/BlockBasedTable \"default\"]\n  block_size=16384\n  block_cache=1610612736\n"
       "[DBOptions]\n  delayed_write_rate=1536\n",
       "[CFOptions \"default\"]\n"
       "  max_bytes_for_level_base: 268435456 -> 536870912   (256 MiB -> 512 MiB)\n"
       "  arena_block_size: 1048576 -> 0   (1 MiB -> 0 B)\n"
       "[TableOptions/BlockBasedTable \"default\"]\n"
       "  block_size: 4096 -> 16384   (4 KiB -> 16 KiB)\n"
       "  block_cache: 1073741824 -> 1610612736   (1 GiB -> 1.5 GiB)\n"
       "[DBOptions]\n"
       "  delayed_write_rate: 16777216 -> 1536   (16 MiB -> 1.5 KiB)\n",
       5},
      {"no byte notes for times, counts, non-integers",
       "[CFOptions \"default\"]\n  ttl=2592000\n  periodic_compaction_seconds=0\n"
       "  level0_file_num_compaction_trigger=4\n  compression=kSnappyCompression\n"
       "  max_bytes_for_level_multiplier=10.000000\n"
       "[DBOptions]\n  max_open_files=-1\n  delete_obsolete_files_period_micros=21600000000\n"
       "  WAL_size_limit_MB=0\n",
       "[CFOptions \"default\"]\n  ttl=0\n  periodic_compaction_seconds=86400\n"
       "  level0_file_num_compaction_trigger=8\n  compression=kLZ4Compression\n"
       "  max_bytes_for_level_multiplier=8.000000\n"
       "[DBOptions]\n  max_open_files=5000\n  delete_obsolete_files_period_micros=3600000000\n"
       "  WAL_size_limit_MB=2048\n",
       "[CFOptions \"default\"]\n"
       "  ttl: 2592000 -> 0\n"
       "  periodic_compaction_seconds: 0 -> 86400\n"
       "  level0_file_num_compaction_trigger: 4 -> 8\n"
       "  compression: kSnappyCompression -> kLZ4Compression\n"
       "  max_bytes_for_level_multiplier: 10.000000 -> 8.000000\n"
       "[DBOptions]\n"
       "  max_open_files: -1 -> 5000\n"
       "  delete_obsolete_files_period_micros: 21600000000 -> 3600000000\n"
       "  WAL_size_limit_MB: 0 -> 2048\n",
       8},
      {"column family only in b", "[CFOptions \"default\"]\n  w=1\n",
       "[CFOptions \"default\"]\n  w=1\n[CFOptions \"users\"]\n  w=2\n"
       "[TableOptions/BlockBasedTable \"users\"]\n  block_size=4096\n",
       "[CFOptions \"users\"]\n"
       "  + w: (absent) -> 2   [only in b]\n"
       "[TableOptions/BlockBasedTable \"users\"]\n"
       "  + block_size: (absent) -> 4096   [only in b]\n",
       2},
      {"column family only in a", "[CFOptions \"default\"]\n[CFOptions \"users\"]\n  w=2\n",
       "[CFOptions \"default\"]\n", "[CFOptions \"users\"]\n  - w: 2 -> (absent)   [only in a]\n",
       1},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Optfile a = Parse(c.a), b = Parse(c.b);
    size_t n = 99;
    EXPECT_EQ(Take(elmo_optfile_diff(a.get(), b.get(), &n)), c.want);
    EXPECT_EQ(n, c.n);
    EXPECT_EQ(Take(elmo_optfile_diff(a.get(), a.get(), nullptr)), "");
  }
}

TEST(OptfileDiff, RealFilesAfterSet) {
  elmo_optfile* raw = nullptr;
  ASSERT_EQ(elmo_optfile_load(FixturePath("rocksdb-7.8.3-default.ini").c_str(), &raw, nullptr),
            ELMO_OK);
  Optfile a(raw);
  Optfile b(elmo_optfile_clone(a.get()));
  ASSERT_EQ(elmo_optfile_set(b.get(), ELMO_SECTION_CF, nullptr, "write_buffer_size", "134217728",
                             nullptr),
            ELMO_OK);
  ASSERT_EQ(elmo_optfile_set(b.get(), ELMO_SECTION_TABLE, nullptr, "filter_policy",
                             "bloomfilter:10:false", nullptr),
            ELMO_OK);
  ASSERT_EQ(
      elmo_optfile_set(b.get(), ELMO_SECTION_VERSION, nullptr, "rocksdb_version", "7.8.4", nullptr),
      ELMO_OK);
  size_t n = 0;
  EXPECT_EQ(Take(elmo_optfile_diff(a.get(), b.get(), &n)),
            "[CFOptions \"default\"]\n"
            "  write_buffer_size: 67108864 -> 134217728   (64 MiB -> 128 MiB)\n"
            "[TableOptions/BlockBasedTable \"default\"]\n"
            "  filter_policy: nullptr -> bloomfilter:10:false\n");
  EXPECT_EQ(n, 2u);
}

// ---- save ---------------------------------------------------------------------------------------

namespace {
std::string MakeTempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/elmo-optfile-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  EXPECT_NE(mkdtemp(buf.data()), nullptr) << strerror(errno);
  return buf.data();
}

std::vector<std::string> ListDir(const std::string& dir) {
  std::vector<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) names.push_back(e->d_name);
    }
    closedir(d);
  }
  return names;
}

void RemoveTree(const std::string& dir) {
  for (const std::string& n : ListDir(dir)) {
    std::string p = dir + "/" + n;
    struct stat st;
    if (lstat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      RemoveTree(p);
    } else {
      unlink(p.c_str());
    }
  }
  rmdir(dir.c_str());
}
}  // namespace

TEST(OptfileSave, WritesAtomicallyAndKeepsTheMode) {
  std::string dir = MakeTempDir();
  std::string path = dir + "/OPTIONS-000007";
  Optfile f(elmo_optfile_create());
  elmo_error err;
  ASSERT_EQ(elmo_optfile_save(f.get(), path.c_str(), &err), ELMO_OK) << err.message;
  EXPECT_EQ(ReadFile(path), Take(elmo_optfile_format(f.get())));
  EXPECT_EQ(ListDir(dir), std::vector<std::string>{"OPTIONS-000007"});
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);

  ASSERT_EQ(chmod(path.c_str(), 0600), 0);
  ASSERT_EQ(elmo_optfile_set(f.get(), ELMO_SECTION_DB, nullptr, "max_background_jobs", "4", &err),
            ELMO_OK);
  ASSERT_EQ(elmo_optfile_save(f.get(), path.c_str(), &err), ELMO_OK) << err.message;
  Optfile back(nullptr);
  elmo_optfile* raw = nullptr;
  ASSERT_EQ(elmo_optfile_load(path.c_str(), &raw, &err), ELMO_OK) << err.message;
  back.reset(raw);
  EXPECT_EQ(Str(Get(back.get(), ELMO_SECTION_DB, nullptr, "max_background_jobs")), "4");
  EXPECT_EQ(ListDir(dir), std::vector<std::string>{"OPTIONS-000007"});
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  RemoveTree(dir);
}

TEST(OptfileSave, EioNamesThePathAndTheOsError) {
  std::string dir = MakeTempDir();
  std::ofstream(dir + "/plain-file") << "x";
  ASSERT_EQ(mkdir((dir + "/a-directory").c_str(), 0755), 0);
  struct Case {
    const char* name;
    std::string path;
    std::string message;
  } cases[] = {
      {"missing directory", dir + "/missing/OPTIONS",
       "cannot create a temporary file for " + dir + "/missing/OPTIONS: " + strerror(ENOENT)},
      {"parent is a file", dir + "/plain-file/OPTIONS",
       "cannot create a temporary file for " + dir + "/plain-file/OPTIONS: " + strerror(ENOTDIR)},
      {"target is a directory", dir + "/a-directory",
       "cannot rename the temporary file to " + dir + "/a-directory: " + strerror(EISDIR)},
  };
  Optfile f(elmo_optfile_create());
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    elmo_error err;
    EXPECT_EQ(elmo_optfile_save(f.get(), c.path.c_str(), &err), ELMO_EIO);
    EXPECT_EQ(err.message, c.message);
  }
  auto names = ListDir(dir);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"a-directory", "plain-file"})) << "temp file left";
  EXPECT_EQ(elmo_optfile_save(nullptr, "x", nullptr), ELMO_EINVAL);
  EXPECT_EQ(elmo_optfile_save(f.get(), "", nullptr), ELMO_EINVAL);
  RemoveTree(dir);
}

// The parent "directory" is a regular file: ENOTDIR, which even root cannot get around.
TEST(OptfileSave, EioWhenTheDirectoryCannotHoldAFile) {
  std::string dir = MakeTempDir();
  std::string not_a_dir = dir + "/plain-file";
  std::ofstream(not_a_dir) << "x";
  Optfile f(elmo_optfile_create());
  elmo_error err;
  std::string path = not_a_dir + "/OPTIONS";
  EXPECT_EQ(elmo_optfile_save(f.get(), path.c_str(), &err), ELMO_EIO);
  EXPECT_EQ(std::string(err.message),
            "cannot create a temporary file for " + path + ": " + strerror(ENOTDIR));
  RemoveTree(dir);
}

TEST(OptfileLoad, ParseErrorsNameThePathAndLine) {
  std::string dir = MakeTempDir();
  std::string path = dir + "/OPTIONS";
  std::ofstream(path) << "[DBOptions]\n  a=1\n[Nope]\n";
  elmo_optfile* f = nullptr;
  elmo_error err;
  EXPECT_EQ(elmo_optfile_load(path.c_str(), &f, &err), ELMO_EPARSE);
  EXPECT_EQ(f, nullptr);
  EXPECT_EQ(std::string(err.message), path + ": line 3: unknown section [Nope]");
  RemoveTree(dir);
}

TEST(OptfileSectionName, NamesEveryKind) {
  EXPECT_STREQ(elmo_section_name(ELMO_SECTION_VERSION), "Version");
  EXPECT_STREQ(elmo_section_name(ELMO_SECTION_DB), "DBOptions");
  EXPECT_STREQ(elmo_section_name(ELMO_SECTION_CF), "CFOptions");
  EXPECT_STREQ(elmo_section_name(ELMO_SECTION_TABLE), "TableOptions/BlockBasedTable");
}
