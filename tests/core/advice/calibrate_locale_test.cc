// calibrate_locale_test.cc — the calibrator normalizes decimal values ("0.5", "50%", "bloom 9.5")
// to text with '.', also inside a host that set a decimal-comma locale: these values go into
// OPTIONS files and SetOptions calls. The same table runs in the "C" locale, where nothing changed.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "catalog_fixture.h"
#include "comma_locale.h"
#include "elmo/calibrate.h"
#include "elmo/optfile.h"

namespace {

struct Case {
  const char* key;
  const char* raw;
  const char* want;  // the normalized value
};

const Case kCases[] = {
    {"memtable_prefix_bloom_size_ratio", "0.1", "0.1"},
    {"blob_garbage_collection_age_cutoff", "50%", "0.5"},
    {"blob_garbage_collection_force_threshold", "1e-3", "0.001"},
    {"filter_policy", "bloom 9.5", "bloomfilter:9.5:false"},
};

void Calibrate(const std::string& where) {
  std::string answer = "```ini\n";
  for (const Case& c : kCases) answer += std::string(c.key) + "=" + c.raw + "\n";
  answer += "```\n";
  elmo_optfile* base = elmo_optfile_create();
  elmo_calibrate_policy policy = {};
  policy.cf = "default";
  elmo_calibration* res = nullptr;
  elmo_error err = {};
  ASSERT_EQ(elmo_calibrate_answer(elmo_test::FixtureCatalog(), base, answer.c_str(), answer.size(), &policy, &res,
                                  &err),
            ELMO_OK)
      << where << ": " << err.message;
  ASSERT_EQ(res->count, sizeof kCases / sizeof kCases[0]) << where;
  for (size_t i = 0; i < res->count; i++) {
    const elmo_change& ch = res->changes[i];
    SCOPED_TRACE(where + ": " + ch.raw_key + "=" + ch.raw_value);
    ASSERT_EQ(ch.verdict, ELMO_VERDICT_ACCEPTED) << (ch.reason ? ch.reason : "");
    ASSERT_NE(ch.value, nullptr);
    EXPECT_STREQ(ch.value, kCases[i].want);
    EXPECT_STREQ(elmo_optfile_get(res->merged, ch.section, ch.cf, ch.name), kCases[i].want);
  }
  // Out of range: the message quotes the value and the bounds with '.'.
  const char* bad = "```ini\nmemtable_prefix_bloom_size_ratio=0.5\n```\n";
  elmo_calibration* rej = nullptr;
  ASSERT_EQ(elmo_calibrate_answer(elmo_test::FixtureCatalog(), base, bad, std::strlen(bad), &policy, &rej, &err),
            ELMO_OK);
  ASSERT_EQ(rej->count, 1u);
  EXPECT_EQ(rej->changes[0].verdict, ELMO_VERDICT_REJECTED) << where;
  const std::string reason = rej->changes[0].reason ? rej->changes[0].reason : "";
  EXPECT_NE(reason.find("0.5 is outside the allowed range [0, 0.25]"), std::string::npos) << where << ": " << reason;
  elmo_calibration_destroy(rej);
  elmo_calibration_destroy(res);
  elmo_optfile_destroy(base);
}

TEST(CalibrateLocale, DecimalValuesInTheCLocale) { Calibrate("C"); }

TEST(CalibrateLocale, DecimalValuesUnderADecimalCommaLocale) {
  ELMO_IN_COMMA_LOCALE(loc);
  Calibrate(loc.name());
}

}  // namespace
