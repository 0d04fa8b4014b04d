// strbuf_test.cc — the core's growable string (elmo/src/base/strbuf.h): appends of every kind,
// growth past the first allocation, take and free, and the sticky out-of-memory flag.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

extern "C" {
#include "base/strbuf.h"
}

namespace {

// Takes the buffer's text as a std::string ("<NULL>" when take returns NULL).
std::string Take(elmo_strbuf* b) {
  char* s = elmo_strbuf_take(b);
  std::string out = s != nullptr ? s : "<NULL>";
  std::free(s);
  return out;
}

struct AppendCase {
  const char* what;
  void (*write)(elmo_strbuf*);
  std::string want;
};

const AppendCase kAppends[] = {
    {"nothing", [](elmo_strbuf*) {}, ""},
    {"append", [](elmo_strbuf* b) { elmo_strbuf_append(b, "abc"); }, "abc"},
    {"append NULL", [](elmo_strbuf* b) { elmo_strbuf_append(b, nullptr); }, ""},
    {"appendn part", [](elmo_strbuf* b) { elmo_strbuf_appendn(b, "abcdef", 3); }, "abc"},
    {"appendn zero", [](elmo_strbuf* b) { elmo_strbuf_appendn(b, "abc", 0); }, ""},
    {"appendf", [](elmo_strbuf* b) { elmo_strbuf_appendf(b, "%s=%d;%5.2f", "x", 42, 1.5); },
     "x=42; 1.50"},
    {"mixed",
     [](elmo_strbuf* b) {
       elmo_strbuf_append(b, "[");
       elmo_strbuf_appendf(b, "%03d", 7);
       elmo_strbuf_appendn(b, "]]", 1);
     },
     "[007]"},
    {"empty format", [](elmo_strbuf* b) { elmo_strbuf_appendf(b, "%s", ""); }, ""},
};

TEST(Strbuf, AppendsAsWritten) {
  for (const AppendCase& c : kAppends) {
    elmo_strbuf b = ELMO_STRBUF_INIT;
    c.write(&b);
    EXPECT_EQ(b.len, c.want.size()) << c.what;
    EXPECT_EQ(b.oom, 0) << c.what;
    EXPECT_EQ(Take(&b), c.want) << c.what;
  }
}

TEST(Strbuf, GrowsPastTheFirstAllocation) {
  elmo_strbuf b = ELMO_STRBUF_INIT;
  std::string want;
  for (int i = 0; i < 2000; i++) {
    elmo_strbuf_appendf(&b, "%d,", i);
    want += std::to_string(i) + ",";
    ASSERT_EQ(b.len, want.size()) << "after " << i;
  }
  const std::string long_one(5000, 'x');  // one printf longer than the whole buffer so far
  elmo_strbuf_appendf(&b, "<%s>", long_one.c_str());
  want += "<" + long_one + ">";
  EXPECT_LT(b.len, b.cap);
  EXPECT_EQ(Take(&b), want);
}

TEST(Strbuf, TakeEmptiesTheBufferForReuse) {
  elmo_strbuf b = ELMO_STRBUF_INIT;
  elmo_strbuf_append(&b, "one");
  EXPECT_EQ(Take(&b), "one");
  EXPECT_EQ(b.p, nullptr);
  EXPECT_EQ(b.len, 0u);
  elmo_strbuf_append(&b, "two");
  EXPECT_EQ(Take(&b), "two");
}

TEST(Strbuf, FreeDropsTheText) {
  elmo_strbuf b = ELMO_STRBUF_INIT;
  elmo_strbuf_append(&b, "gone");
  elmo_strbuf_free(&b);
  EXPECT_EQ(b.p, nullptr);
  EXPECT_EQ(b.len, 0u);
  elmo_strbuf_free(&b);  // twice is harmless
  EXPECT_EQ(Take(&b), "");
}

TEST(Strbuf, OomIsStickyUntilTake) {
  elmo_strbuf b = ELMO_STRBUF_INIT;
  elmo_strbuf_append(&b, "kept?");
  b.oom = 1;  // what a failed allocation leaves (a writer may also give up this way)
  elmo_strbuf_append(&b, "more");
  elmo_strbuf_appendf(&b, "%d", 1);
  elmo_strbuf_appendn(&b, "x", 1);
  EXPECT_EQ(b.oom, 1);
  EXPECT_EQ(Take(&b), "<NULL>");
  EXPECT_EQ(b.oom, 0);  // take resets the buffer
  elmo_strbuf_append(&b, "again");
  EXPECT_EQ(Take(&b), "again");
}

TEST(Strbuf, AnImpossibleSizeSetsOom) {
  elmo_strbuf b = ELMO_STRBUF_INIT;
  elmo_strbuf_append(&b, "x");
  elmo_strbuf_appendn(&b, "y", static_cast<size_t>(-1) / 2);  // never read: refused before
  EXPECT_EQ(b.oom, 1);
  EXPECT_EQ(b.p, nullptr);
  EXPECT_EQ(b.len, 0u);
  EXPECT_EQ(Take(&b), "<NULL>");
}

}  // namespace
