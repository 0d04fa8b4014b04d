// scan_test.cc — the core's quote-aware scanner (elmo/src/base/scan.h): what each character of a
// text is under each flag, and the delimiter and bracket searches its users build from it.
#include <gtest/gtest.h>

#include <string>

extern "C" {
#include "base/scan.h"
}

namespace {

// One letter per character: q quoted, ( open, ) close, n nested, t top.
std::string Kinds(const std::string& text, unsigned flags) {
  static const char kLetter[] = {'q', '(', ')', 'n', 't'};
  elmo_scan sc = {flags, 0, 0, 0};
  std::string out;
  for (char c : text) out += kLetter[elmo_scan_next(&sc, c)];
  return out;
}

struct KindCase {
  const char* text;
  unsigned flags;
  const char* want;
};

const KindCase kKinds[] = {
    {"a=b", 0, "ttt"},
    {"a{b}c", 0, "t(n)t"},
    {"{a{b}}", 0, "(n(n))"},
    {"\"a{b\"c", 0, "qqqqqt"},
    {"'a'", 0, "ttt"},  // single quotes are text by default
    {"'a'", ELMO_SCAN_SINGLE_QUOTES, "qqq"},
    {"'a\"b'c", ELMO_SCAN_SINGLE_QUOTES, "qqqqqt"},  // the other quote inside is text
    {"[a]", 0, "ttt"},                               // square brackets are text by default
    {"[a]", ELMO_SCAN_SQUARE, "(n)"},
    {"{[}]", ELMO_SCAN_SQUARE, "(())"},             // any closing bracket closes a level
    {"}a{", 0, "tt("},                              // a stray closing bracket stays at the top
    {"\"a\\\"b\"c", 0, "qqqqtqq"},                  // no escapes: the backslash's quote closes
    {"\"a\\\"b\"c", ELMO_SCAN_ESCAPES, "qqqqqqt"},  // escapes: it does not
    {"{\"}\"}x", 0, "(qqq)t"},
};

TEST(Scan, ClassifiesEveryCharacter) {
  for (const KindCase& c : kKinds) {
    EXPECT_EQ(Kinds(c.text, c.flags), c.want) << c.text << " flags " << c.flags;
  }
}

// The first top-level ';' (how the answer parser splits assignments).
size_t FirstTopSemicolon(const std::string& text, unsigned flags) {
  elmo_scan sc = {flags, 0, 0, 0};
  for (size_t i = 0; i < text.size(); i++) {
    if (elmo_scan_next(&sc, text[i]) == ELMO_SCAN_TOP && text[i] == ';') return i;
  }
  return std::string::npos;
}

// Just past the bracket that closes text[0] (how a nested value's end is found), or 0.
size_t MatchingClose(const std::string& text, unsigned flags) {
  elmo_scan sc = {flags, 0, 0, 0};
  for (size_t i = 0; i < text.size(); i++) {
    if (elmo_scan_next(&sc, text[i]) == ELMO_SCAN_CLOSE && sc.depth == 0) return i + 1;
  }
  return 0;
}

struct SearchCase {
  const char* text;
  unsigned flags;
  size_t semicolon, close;
};

const SearchCase kSearches[] = {
    {"a=1;b=2", 0, 3, 0},
    {"{a=1;b=2};c", 0, 9, 9},
    {"{a=';'};", ELMO_SCAN_SINGLE_QUOTES, 7, 7},
    {"';';", 0, 1, 0},  // ' is text without the flag
    {"';';", ELMO_SCAN_SINGLE_QUOTES, 3, 0},
    {"[x;y];z", ELMO_SCAN_SQUARE, 5, 5},
    {"{\"a\\\"}\"};", ELMO_SCAN_ESCAPES, 8, 8},
    {"{unclosed;", 0, std::string::npos, 0},
};

TEST(Scan, FindsTopLevelDelimitersAndMatchingBrackets) {
  for (const SearchCase& c : kSearches) {
    EXPECT_EQ(FirstTopSemicolon(c.text, c.flags), c.semicolon) << c.text;
    EXPECT_EQ(MatchingClose(c.text, c.flags), c.close) << c.text;
  }
}

}  // namespace
