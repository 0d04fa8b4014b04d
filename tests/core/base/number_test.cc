// number_test.cc — elmo_number_* read and write '.' under a decimal-comma process locale, and give
// exactly what the C library gives in the "C" locale (the same cases run in both).
#include <gtest/gtest.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "comma_locale.h"
#include "elmo/number.h"

namespace {

struct ParseCase {
  const char* text;
  double value;
  size_t used;  // characters read
};

const ParseCase kParseCases[] = {
    {"0.5", 0.5, 3},       {"0.1", 0.1, 3},         {"1e-3", 1e-3, 4},
    {"-2.25", -2.25, 5},   {"67108864", 67108864, 8}, {"18446744073709551615", 18446744073709551615.0, 20},
    {"1.5 GB", 1.5, 3},    {"0,5", 0, 1},           {"3.", 3, 2},
    {".25", 0.25, 3},      {"abc", 0, 0},           {"1e400", HUGE_VAL, 5},
};

struct FormatCase {
  double v;
  char conv;
  int precision;
  const char* text;
};

const FormatCase kFormatCases[] = {
    {0.5, 'g', 15, "0.5"},          {0.1, 'g', 15, "0.1"},         {1e-3, 'g', 15, "0.001"},
    {1e-5, 'g', 15, "1e-05"},       {67108864, 'g', 15, "67108864"}, {1e15, 'g', 15, "1e+15"},
    {1e15, 'f', 0, "1000000000000000"}, {2.5, 'f', 1, "2.5"},     {2.25, 'f', 3, "2.250"},
    {-0.75, 'e', 2, "-7.50e-01"},   {0.1, 'g', 17, "0.10000000000000001"}, {3, 'f', 0, "3"},
};

void CheckParse(const char* where) {
  for (const ParseCase& c : kParseCases) {
    SCOPED_TRACE(testing::Message() << where << ": elmo_number_parse(\"" << c.text << "\")");
    char* end = nullptr;
    errno = 0;
    double v = elmo_number_parse(c.text, &end);
    EXPECT_EQ(v, c.value);
    EXPECT_EQ(static_cast<size_t>(end - c.text), c.used);
    if (std::isinf(c.value)) EXPECT_EQ(errno, ERANGE);
  }
}

void CheckFormat(const char* where) {
  for (const FormatCase& c : kFormatCases) {
    SCOPED_TRACE(testing::Message() << where << ": elmo_number_format(" << c.v << ", '" << c.conv << "', "
                                    << c.precision << ")");
    char buf[64];
    int n = elmo_number_format(c.v, c.conv, c.precision, buf, sizeof buf);
    EXPECT_STREQ(buf, c.text);
    EXPECT_EQ(n, static_cast<int>(std::strlen(c.text)));
  }
}

TEST(Number, ParseAndFormatInTheCLocale) {
  CheckParse("C");
  CheckFormat("C");
}

TEST(Number, ParseAndFormatUnderADecimalCommaLocale) {
  ELMO_IN_COMMA_LOCALE(loc);
  // The locale does what the module guards against: the C library reads and writes a comma.
  EXPECT_EQ(std::strtod("0.5", nullptr), 0.0) << loc.name();
  char raw[32];
  std::snprintf(raw, sizeof raw, "%g", 0.5);
  EXPECT_STREQ(raw, "0,5") << loc.name();
  CheckParse(loc.name().c_str());
  CheckFormat(loc.name().c_str());
  // The thread's locale is given back: the C library still writes a comma afterwards.
  std::snprintf(raw, sizeof raw, "%g", 0.5);
  EXPECT_STREQ(raw, "0,5");
}

TEST(Number, PrintfFamilyUnderADecimalCommaLocale) {
  ELMO_IN_COMMA_LOCALE(loc);
  char buf[64];
  EXPECT_EQ(elmo_number_snprintf(buf, sizeof buf, "%s=%.15g;%.1f%%", "ratio", 0.25, 12.5), 16);
  EXPECT_STREQ(buf, "ratio=0.25;12.5%");

  char path[] = "/tmp/elmo-number-test-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  FILE* f = fdopen(fd, "w+");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(elmo_number_fprintf(f, "x=\"%.1f\" y=%g\n", 10.25, 1e-3), 17);
  std::rewind(f);
  char line[64] = "";
  ASSERT_NE(std::fgets(line, sizeof line, f), nullptr);
  EXPECT_STREQ(line, "x=\"10.2\" y=0.001\n");
  std::fclose(f);
  std::remove(path);

  double us = 0, ops = 0;
  EXPECT_EQ(elmo_number_sscanf("12.5 micros/op 80000.25 ops/sec", "%lf micros/op %lf ops/sec", &us, &ops), 2);
  EXPECT_EQ(us, 12.5);
  EXPECT_EQ(ops, 80000.25);
}

TEST(Number, FormatRejectsABadConversionOrPrecision) {
  char buf[16] = "untouched";
  EXPECT_EQ(elmo_number_format(1.0, 'd', 3, buf, sizeof buf), -1);
  EXPECT_STREQ(buf, "");
  EXPECT_EQ(elmo_number_format(1.0, 'g', -1, buf, sizeof buf), -1);
  EXPECT_EQ(elmo_number_format(1.0, 'g', 41, buf, sizeof buf), -1);
  // Truncated like snprintf: the length the whole text needs.
  EXPECT_EQ(elmo_number_format(0.125, 'g', 15, buf, 4), 5);
  EXPECT_STREQ(buf, "0.1");
}

}  // namespace
