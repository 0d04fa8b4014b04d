// realtime_number_test.cc — the realtime tuner reads and writes option values ("0.1", "1e-3",
// "67108864") with '.', also inside a host that set a decimal-comma locale: these strings go to
// SetOptions. elmo_plain_number_parse and elmo_plain_number_format are internal (base/plain_number.h).
#include <gtest/gtest.h>

#include <string>

#include "comma_locale.h"

extern "C" {
#include "base/plain_number.h"
}

namespace {

struct ParseCase {
  const char* text;
  int ok;
  double value;
  int is_int;
};

const ParseCase kParseCases[] = {
    {"0.1", 1, 0.1, 0},
    {"1e-3", 1, 1e-3, 0},
    {"0.000000", 1, 0, 0},
    {"67108864", 1, 67108864, 1},
    {"274877906944", 1, 274877906944.0, 1},
    {"-1", 1, -1, 1},
    {"0,5", 0, 0, 0},  // never the locale's comma
    {"0x10", 0, 0, 0},
    {"", 0, 0, 0},
};

struct FormatCase {
  double v;
  int is_int;
  const char* text;
};

const FormatCase kFormatCases[] = {
    {0.1, 0, "0.1"},
    {1e-3, 0, "0.001"},
    {0.25 * 1.5, 0, "0.375"},
    {67108864, 1, "67108864"},
    {412316860416.0, 1, "412316860416"},
    {1e15, 1, "1000000000000000"},
    {2.5e-7, 0, "2.5e-07"},
};

void CheckAll(const std::string& where) {
  for (const ParseCase& c : kParseCases) {
    SCOPED_TRACE(where + ": elmo_plain_number_parse(\"" + c.text + "\")");
    double v = -42;
    int is_int = -1;
    ASSERT_EQ(elmo_plain_number_parse(c.text, &v, &is_int), c.ok);
    if (!c.ok) continue;
    EXPECT_EQ(v, c.value);
    EXPECT_EQ(is_int, c.is_int);
  }
  for (const FormatCase& c : kFormatCases) {
    SCOPED_TRACE(where + ": elmo_plain_number_format(" + std::to_string(c.v) + ", " + std::to_string(c.is_int) + ")");
    char buf[64];
    elmo_plain_number_format(c.v, c.is_int, buf, sizeof buf);
    EXPECT_STREQ(buf, c.text);
  }
  EXPECT_EQ(elmo_plain_number_direction("0.1", "0.25"), 1) << where;
  EXPECT_EQ(elmo_plain_number_direction("0.5", "0.25"), -1) << where;
}

TEST(RealtimeNumber, OptionValuesInTheCLocale) { CheckAll("C"); }

TEST(RealtimeNumber, OptionValuesUnderADecimalCommaLocale) {
  ELMO_IN_COMMA_LOCALE(loc);
  CheckAll(loc.name());
}

}  // namespace
