// value_test.cc — option values as people and LLMs write them: integers with units, doubles,
// booleans, enum spellings, byte formatting and edit distance.
#include <gtest/gtest.h>

#include <clocale>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "elmo/value.h"

namespace {

struct IntCase {
  const char* text;
  elmo_rc rc;
  int64_t value;
};

std::ostream& operator<<(std::ostream& os, const IntCase& c) {
  return os << "parse_int(\"" << c.text << "\") expecting rc=" << c.rc << " value=" << c.value;
}

const IntCase kIntCases[] = {
    {"4096", ELMO_OK, 4096},
    {"  4096  ", ELMO_OK, 4096},
    {"\"4096\"", ELMO_OK, 4096},
    {"'64MB'", ELMO_OK, 64LL << 20},
    {"64MB", ELMO_OK, 64LL << 20},
    {"64 MB", ELMO_OK, 64LL << 20},
    {"64 MiB", ELMO_OK, 64LL << 20},
    {"64mb", ELMO_OK, 64LL << 20},
    {"64 megabytes", ELMO_OK, 64LL << 20},
    {"1GiB", ELMO_OK, 1LL << 30},
    {"1g", ELMO_OK, 1LL << 30},
    {"1 gigabyte", ELMO_OK, 1LL << 30},
    {"4K", ELMO_OK, 4096},
    {"4k", ELMO_OK, 4096},
    {"4KB", ELMO_OK, 4096},
    {"2T", ELMO_OK, 2LL << 40},
    {"1PB", ELMO_OK, 1LL << 50},
    {"100 bytes", ELMO_OK, 100},
    {"100B", ELMO_OK, 100},
    {"1e6", ELMO_OK, 1000000},
    {"1E3", ELMO_OK, 1000},
    {"2.5e3", ELMO_OK, 2500},
    {"1.5GB", ELMO_OK, 1610612736},
    {"1.5K", ELMO_OK, 1536},
    {"0.5K", ELMO_OK, 512},
    {"0.25MB", ELMO_OK, 262144},
    {"1.0", ELMO_OK, 1},
    {"0x1000", ELMO_OK, 4096},
    {"0XfF", ELMO_OK, 255},
    {"-0x10", ELMO_OK, -16},
    {"-1", ELMO_OK, -1},
    {"+7", ELMO_OK, 7},
    {"0", ELMO_OK, 0},
    {"-0", ELMO_OK, 0},
    {"2^20", ELMO_OK, 1 << 20},
    {"2**10", ELMO_OK, 1024},
    {"2^0", ELMO_OK, 1},
    {"1_000_000", ELMO_OK, 1000000},
    {"1,000,000", ELMO_OK, 1000000},
    {"12,345", ELMO_OK, 12345},
    {"9223372036854775807", ELMO_OK, INT64_MAX},
    {"-9223372036854775808", ELMO_OK, INT64_MIN},
    {"0.000", ELMO_OK, 0},
    // Not numbers.
    {"lots", ELMO_EPARSE, 0},
    {"", ELMO_EPARSE, 0},
    {"   ", ELMO_EPARSE, 0},
    {"\"\"", ELMO_EPARSE, 0},
    {"0x", ELMO_EPARSE, 0},
    {"0xZZ", ELMO_EPARSE, 0},
    {"64 apples", ELMO_EPARSE, 0},
    {"64MBs", ELMO_EPARSE, 0},
    {"1,5", ELMO_EPARSE, 0},
    {"1000,000", ELMO_EPARSE, 0},
    {"1,0000", ELMO_EPARSE, 0},
    {"1__0", ELMO_EPARSE, 0},
    {"_1", ELMO_EPARSE, 0},
    {"1e", ELMO_EPARSE, 0},
    {"--1", ELMO_EPARSE, 0},
    {"1.5^2", ELMO_EPARSE, 0},
    {"2^", ELMO_EPARSE, 0},
    {"1 2", ELMO_EPARSE, 0},
    {"true", ELMO_EPARSE, 0},
    {".", ELMO_EPARSE, 0},
    // Out of range or fractional.
    {"1.3", ELMO_ERANGE, 0},
    {"0.5", ELMO_ERANGE, 0},
    {"1.0001K", ELMO_ERANGE, 0},
    {"1e-3", ELMO_ERANGE, 0},
    {"1e-30", ELMO_ERANGE, 0},
    {"9223372036854775808", ELMO_ERANGE, 0},
    {"-9223372036854775809", ELMO_ERANGE, 0},
    {"99999999999999999999999", ELMO_ERANGE, 0},
    {"8EB", ELMO_EPARSE, 0},
    {"16384PB", ELMO_ERANGE, 0},
    {"1e19", ELMO_ERANGE, 0},
    {"1e999999999", ELMO_ERANGE, 0},
    {"2^63", ELMO_ERANGE, 0},
    {"2^64", ELMO_ERANGE, 0},
    {"0x8000000000000000", ELMO_ERANGE, 0},
    {"0x10000000000000000", ELMO_ERANGE, 0},
    // Products people write for sizes.
    {"64 * 1024 * 1024", ELMO_OK, 64LL << 20},
    {"64 << 20", ELMO_OK, 64LL << 20},
    {"4 * 1MB", ELMO_OK, 4LL << 20},
    {"16*1024", ELMO_OK, 16384},
    {"-2 * 3", ELMO_OK, -6},
    {"1 << 64", ELMO_ERANGE, 0},
    {"1GB * 1GB * 1GB", ELMO_ERANGE, 0},
    {"64 * lots", ELMO_EPARSE, 0},
    {"* 4", ELMO_EPARSE, 0},
    {"4 <<", ELMO_EPARSE, 0},
};

TEST(ValueParseInt, Table) {
  for (const IntCase& c : kIntCases) {
    SCOPED_TRACE(testing::Message() << c);
    int64_t v = 12345;
    elmo_error err;
    elmo_error_clear(&err);
    elmo_rc rc = elmo_value_parse_int(c.text, &v, &err);
    EXPECT_EQ(rc, c.rc) << err.message;
    EXPECT_EQ(v, c.value);
    if (rc != ELMO_OK) {
      EXPECT_EQ(err.code, rc);
      EXPECT_NE(err.message[0], '\0');
    }
  }
}

struct UintCase {
  const char* text;
  elmo_rc rc;
  uint64_t value;
};

const UintCase kUintCases[] = {
    {"18446744073709551615", ELMO_OK, UINT64_MAX},
    {"0xFFFFFFFFFFFFFFFF", ELMO_OK, UINT64_MAX},
    {"9223372036854775808", ELMO_OK, 9223372036854775808ULL},
    {"16EB", ELMO_EPARSE, 0},
    {"15PiB", ELMO_OK, 15ULL << 50},
    {"64MB", ELMO_OK, 64ULL << 20},
    {"-0", ELMO_OK, 0},
    {"18446744073709551616", ELMO_ERANGE, 0},
    {"-1", ELMO_ERANGE, 0},
    {"-64MB", ELMO_ERANGE, 0},
    {"2^64", ELMO_ERANGE, 0},
    {"2^63", ELMO_OK, 1ULL << 63},
    {"lots", ELMO_EPARSE, 0},
};

TEST(ValueParseUint, Table) {
  for (const UintCase& c : kUintCases) {
    SCOPED_TRACE(testing::Message() << "parse_uint(\"" << c.text << "\")");
    uint64_t v = 7;
    elmo_error err;
    elmo_error_clear(&err);
    EXPECT_EQ(elmo_value_parse_uint(c.text, &v, &err), c.rc) << err.message;
    EXPECT_EQ(v, c.value);
  }
}

TEST(ValueParseInt, MessagesNameTheText) {
  elmo_error err;
  int64_t v;
  EXPECT_EQ(elmo_value_parse_int("lots", &v, &err), ELMO_EPARSE);
  EXPECT_NE(std::string(err.message).find("'lots'"), std::string::npos) << err.message;
  EXPECT_EQ(elmo_value_parse_int("64 apples", &v, &err), ELMO_EPARSE);
  EXPECT_NE(std::string(err.message).find("unknown unit 'apples'"), std::string::npos)
      << err.message;
  EXPECT_EQ(elmo_value_parse_int("1.3", &v, &err), ELMO_ERANGE);
  EXPECT_NE(std::string(err.message).find("not a whole number"), std::string::npos) << err.message;
  EXPECT_EQ(elmo_value_parse_int("1e30", &v, &err), ELMO_ERANGE);
  EXPECT_NE(std::string(err.message).find("int64"), std::string::npos) << err.message;
  std::string huge(10000, '7');
  EXPECT_EQ(elmo_value_parse_int(huge.c_str(), &v, &err), ELMO_ERANGE);
  EXPECT_LT(std::strlen(err.message), static_cast<size_t>(ELMO_ERROR_MSG_MAX));
}

TEST(ValueParse, NullArgumentsAreEinval) {
  int64_t i = 5;
  uint64_t u = 5;
  double d = 5;
  int b = 5;
  const char* m = "x";
  EXPECT_EQ(elmo_value_parse_int(nullptr, &i, nullptr), ELMO_EINVAL);
  EXPECT_EQ(i, 0);
  EXPECT_EQ(elmo_value_parse_uint(nullptr, &u, nullptr), ELMO_EINVAL);
  EXPECT_EQ(u, 0u);
  EXPECT_EQ(elmo_value_parse_double(nullptr, &d, nullptr), ELMO_EINVAL);
  EXPECT_EQ(d, 0.0);
  EXPECT_EQ(elmo_value_parse_bool(nullptr, &b, nullptr), ELMO_EINVAL);
  EXPECT_EQ(b, 0);
  EXPECT_EQ(elmo_value_match_enum(nullptr, nullptr, 0, &m, nullptr), ELMO_EINVAL);
  EXPECT_EQ(m, nullptr);
  EXPECT_EQ(elmo_value_parse_int("1", nullptr, nullptr), ELMO_EINVAL);
}

struct DoubleCase {
  const char* text;
  elmo_rc rc;
  double value;
};

const DoubleCase kDoubleCases[] = {
    {"0.5", ELMO_OK, 0.5},
    {"1e-3", ELMO_OK, 0.001},
    {"50%", ELMO_OK, 0.5},
    {"12.5 %", ELMO_OK, 0.125},
    {"-2.25", ELMO_OK, -2.25},
    {"+3", ELMO_OK, 3.0},
    {".5", ELMO_OK, 0.5},
    {"5.", ELMO_OK, 5.0},
    {"10", ELMO_OK, 10.0},
    {"\"0.75\"", ELMO_OK, 0.75},
    {"1E+2", ELMO_OK, 100.0},
    {"0.1", ELMO_OK, 0.1},
    {"3.141592653589793", ELMO_OK, 3.141592653589793},
    {"1e-400", ELMO_OK, 0.0},
    {"0", ELMO_OK, 0.0},
    {"1e400", ELMO_ERANGE, 0.0},
    {"abc", ELMO_EPARSE, 0.0},
    {"", ELMO_EPARSE, 0.0},
    {"1,5", ELMO_EPARSE, 0.0},
    {"nan", ELMO_EPARSE, 0.0},
    {"inf", ELMO_EPARSE, 0.0},
    {"1e", ELMO_EPARSE, 0.0},
    {"0x10", ELMO_EPARSE, 0.0},
    {"5%%", ELMO_EPARSE, 0.0},
    {"1.2.3", ELMO_EPARSE, 0.0},
};

TEST(ValueParseDouble, Table) {
  for (const DoubleCase& c : kDoubleCases) {
    SCOPED_TRACE(testing::Message() << "parse_double(\"" << c.text << "\")");
    double v = 99;
    elmo_error err;
    elmo_error_clear(&err);
    EXPECT_EQ(elmo_value_parse_double(c.text, &v, &err), c.rc) << err.message;
    EXPECT_DOUBLE_EQ(v, c.value);
  }
}

TEST(ValueParseDouble, ManyDigitsRoundCorrectly) {
  std::string s = "0." + std::string(800, '3');
  double v = 0;
  ASSERT_EQ(elmo_value_parse_double(s.c_str(), &v, nullptr), ELMO_OK);
  EXPECT_DOUBLE_EQ(v, 1.0 / 3.0);
  std::string big = "1" + std::string(400, '0');
  EXPECT_EQ(elmo_value_parse_double(big.c_str(), &v, nullptr), ELMO_ERANGE);
}

TEST(ValueParseDouble, IgnoresTheProcessLocale) {
  const char* names[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "ru_RU.UTF-8"};
  const char* set = nullptr;
  for (const char* n : names) {
    if ((set = std::setlocale(LC_NUMERIC, n)) != nullptr) break;
  }
  double v = 0;
  elmo_rc rc = elmo_value_parse_double("0.25", &v, nullptr);
  elmo_rc rc_comma = elmo_value_parse_double("0,25", &v, nullptr);
  std::setlocale(LC_NUMERIC, "C");
  if (set == nullptr) GTEST_SKIP() << "no locale with a decimal comma installed";
  EXPECT_EQ(rc, ELMO_OK);
  EXPECT_EQ(rc_comma, ELMO_EPARSE);
}

struct BoolCase {
  const char* text;
  elmo_rc rc;
  int value;
};

const BoolCase kBoolCases[] = {
    {"true", ELMO_OK, 1},   {"TRUE", ELMO_OK, 1},     {"1", ELMO_OK, 1},      {"yes", ELMO_OK, 1},
    {"On", ELMO_OK, 1},     {"enabled", ELMO_OK, 1},  {" \"true\" ", ELMO_OK, 1},
    {"false", ELMO_OK, 0},  {"False", ELMO_OK, 0},    {"0", ELMO_OK, 0},      {"no", ELMO_OK, 0},
    {"OFF", ELMO_OK, 0},    {"disabled", ELMO_OK, 0}, {"maybe", ELMO_EPARSE, 0},
    {"2", ELMO_EPARSE, 0},  {"", ELMO_EPARSE, 0},     {"truee", ELMO_EPARSE, 0},
};

TEST(ValueParseBool, Table) {
  for (const BoolCase& c : kBoolCases) {
    SCOPED_TRACE(testing::Message() << "parse_bool(\"" << c.text << "\")");
    int v = 42;
    EXPECT_EQ(elmo_value_parse_bool(c.text, &v, nullptr), c.rc);
    EXPECT_EQ(v, c.value);
  }
}

const char* const kCompression[] = {
    "kNoCompression",     "kSnappyCompression", "kZlibCompression",  "kBZip2Compression",
    "kLZ4Compression",    "kLZ4HCCompression",  "kXpressCompression", "kZSTD",
    "kZSTDNotFinalCompression", "kDisableCompressionOption"};
const char* const kStyle[] = {"kCompactionStyleLevel", "kCompactionStyleUniversal",
                              "kCompactionStyleFIFO", "kCompactionStyleNone"};
const char* const kChecksum[] = {"kNoChecksum", "kCRC32c", "kxxHash", "kxxHash64", "kXXH3"};

struct EnumCase {
  const char* text;
  const char* const* allowed;
  size_t n;
  const char* expect;  // nullptr: ELMO_ENOTFOUND
};

#define ALLOWED(a) a, sizeof(a) / sizeof(a[0])

const EnumCase kEnumCases[] = {
    {"lz4", ALLOWED(kCompression), "kLZ4Compression"},
    {"LZ4", ALLOWED(kCompression), "kLZ4Compression"},
    {"kLZ4Compression", ALLOWED(kCompression), "kLZ4Compression"},
    {"lz4_compression", ALLOWED(kCompression), "kLZ4Compression"},
    {"LZ4 compression", ALLOWED(kCompression), "kLZ4Compression"},
    {"lz4hc", ALLOWED(kCompression), "kLZ4HCCompression"},
    {"zstd", ALLOWED(kCompression), "kZSTD"},
    {"ZSTD", ALLOWED(kCompression), "kZSTD"},
    {"zstandard", ALLOWED(kCompression), "kZSTD"},
    {"none", ALLOWED(kCompression), "kNoCompression"},
    {"no", ALLOWED(kCompression), "kNoCompression"},
    {"snappy", ALLOWED(kCompression), "kSnappyCompression"},
    {"\"kSnappyCompression\"", ALLOWED(kCompression), "kSnappyCompression"},
    {"bzip2", ALLOWED(kCompression), "kBZip2Compression"},
    {"zstd_not_final", ALLOWED(kCompression), "kZSTDNotFinalCompression"},
    {"gzip", ALLOWED(kCompression), nullptr},
    {"", ALLOWED(kCompression), nullptr},
    {"universal", ALLOWED(kStyle), "kCompactionStyleUniversal"},
    {"FIFO", ALLOWED(kStyle), "kCompactionStyleFIFO"},
    {"level", ALLOWED(kStyle), "kCompactionStyleLevel"},
    {"compaction_style_level", ALLOWED(kStyle), "kCompactionStyleLevel"},
    {"leveled", ALLOWED(kStyle), nullptr},
    {"xxhash", ALLOWED(kChecksum), "kxxHash"},
    {"xxhash64", ALLOWED(kChecksum), "kxxHash64"},
    {"crc32c", ALLOWED(kChecksum), "kCRC32c"},
    {"XXH3", ALLOWED(kChecksum), "kXXH3"},
    {"none", ALLOWED(kChecksum), "kNoChecksum"},
};

TEST(ValueMatchEnum, Table) {
  for (const EnumCase& c : kEnumCases) {
    SCOPED_TRACE(testing::Message() << "match_enum(\"" << c.text << "\") expecting "
                                    << (c.expect ? c.expect : "ENOTFOUND"));
    const char* out = "sentinel";
    elmo_error err;
    elmo_error_clear(&err);
    elmo_rc rc = elmo_value_match_enum(c.text, c.allowed, c.n, &out, &err);
    if (c.expect == nullptr) {
      EXPECT_EQ(rc, ELMO_ENOTFOUND);
      EXPECT_EQ(out, nullptr);
    } else {
      ASSERT_EQ(rc, ELMO_OK) << err.message;
      EXPECT_STREQ(out, c.expect);
      bool points_into_allowed = false;
      for (size_t i = 0; i < c.n; i++) points_into_allowed |= (out == c.allowed[i]);
      EXPECT_TRUE(points_into_allowed);
    }
  }
}

TEST(ValueMatchEnum, NotFoundListsAllowedAndSuggests) {
  const char* out = nullptr;
  elmo_error err;
  ASSERT_EQ(elmo_value_match_enum("kLZ5Compression", ALLOWED(kCompression), &out, &err),
            ELMO_ENOTFOUND);
  std::string m = err.message;
  EXPECT_NE(m.find("kNoCompression, kSnappyCompression"), std::string::npos) << m;
  EXPECT_NE(m.find("did you mean kLZ4Compression?"), std::string::npos) << m;
  const char* dup[] = {"foo_bar", "FooBar"};
  EXPECT_EQ(elmo_value_match_enum("FOOBAR", dup, 2, &out, &err), ELMO_ENOTFOUND);
  EXPECT_NE(std::string(err.message).find("ambiguous"), std::string::npos) << err.message;
  EXPECT_EQ(elmo_value_match_enum("FooBar", dup, 2, &out, &err), ELMO_OK);  // exact wins
  EXPECT_STREQ(out, "FooBar");
  const char* kfoo[] = {"kFoo", "foo"};
  EXPECT_EQ(elmo_value_match_enum("FOO", kfoo, 2, &out, &err), ELMO_OK);  // closer tier wins
  EXPECT_STREQ(out, "foo");
  std::string longtext(1000, 'z');
  EXPECT_EQ(elmo_value_match_enum(longtext.c_str(), ALLOWED(kCompression), &out, &err),
            ELMO_ENOTFOUND);
}

struct BytesCase {
  uint64_t bytes;
  const char* text;
};

const BytesCase kBytesCases[] = {
    {0, "0 B"},
    {100, "100 B"},
    {1023, "1023 B"},
    {1024, "1 KiB"},
    {1536, "1.5 KiB"},
    {1025, "1.0 KiB"},
    {67108864, "64 MiB"},
    {1ULL << 30, "1 GiB"},
    {(1ULL << 30) + (1ULL << 28), "1.25 GiB"},
    {3ULL << 40, "3 TiB"},
    {1ULL << 60, "1 EiB"},
    {UINT64_MAX, "16.0 EiB"},
};

TEST(ValueFormatBytes, Table) {
  for (const BytesCase& c : kBytesCases) {
    SCOPED_TRACE(testing::Message() << "format_bytes(" << c.bytes << ")");
    char buf[32];
    EXPECT_EQ(elmo_value_format_bytes(c.bytes, buf, sizeof buf), buf);
    EXPECT_STREQ(buf, c.text);
  }
}

TEST(ValueFormatBytes, SmallBuffersAreTruncatedSafely) {
  char buf[4] = {'x', 'x', 'x', 'x'};
  elmo_value_format_bytes(67108864, buf, sizeof buf);
  EXPECT_STREQ(buf, "64 ");
  EXPECT_EQ(elmo_value_format_bytes(1, buf, 0), buf);
  EXPECT_EQ(buf[0], '6');
  EXPECT_EQ(elmo_value_format_bytes(1, nullptr, 10), nullptr);
}

struct DistanceCase {
  const char* a;
  const char* b;
  size_t d;
};

const DistanceCase kDistanceCases[] = {
    {"", "", 0},
    {"abc", "", 3},
    {"", "abcd", 4},
    {"write_buffer_size", "write_buffer_size", 0},
    {"Write_Buffer_Size", "write_buffer_size", 0},
    {"write_bufer_size", "write_buffer_size", 1},
    {"wrtie_buffer_size", "write_buffer_size", 1},
    {"max_background_job", "max_background_jobs", 1},
    {"kitten", "sitting", 3},
    {"ca", "abc", 3},
    {"block_size", "block_cache_size", 6},
};

TEST(ValueEditDistance, Table) {
  for (const DistanceCase& c : kDistanceCases) {
    SCOPED_TRACE(testing::Message() << "distance(\"" << c.a << "\", \"" << c.b << "\")");
    EXPECT_EQ(elmo_value_edit_distance(c.a, c.b), c.d);
    EXPECT_EQ(elmo_value_edit_distance(c.b, c.a), c.d);
  }
  EXPECT_EQ(elmo_value_edit_distance(nullptr, "a"), SIZE_MAX);
  EXPECT_EQ(elmo_value_edit_distance("a", nullptr), SIZE_MAX);
  std::string a(300, 'a'), b(300, 'b');
  EXPECT_EQ(elmo_value_edit_distance(a.c_str(), b.c_str()), 300u);
}

}  // namespace
