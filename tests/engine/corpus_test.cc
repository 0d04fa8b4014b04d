// corpus_test.cc — every answer of tests/fixtures/answers through the real calibrator (RocksDB's
// parser as authority): the verdicts match calibrated.json, every rejection says why, and the
// merged file always loads in RocksDB.
#include <cjson/cJSON.h>
#include <dirent.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "elmo/calibrate.h"
#include "elmo/engine.h"
#include "file_text.h"

namespace {

using elmo_test::ReadFile;

const std::string kDir = std::string(ELMO_TEST_FIXTURES) + "/answers/";

elmo_rc CheckValue(void*, elmo_section s, const char* n, const char* v, elmo_error* e) {
  return elmo_engine_check_value(s, n, v, e);
}
elmo_rc CheckText(void*, const char* text, elmo_error* e) {
  return elmo_engine_check_options_text(text, nullptr, e);
}

std::string Verdicts(const elmo_calibration* r) {
  std::string s;
  for (size_t i = 0; i < r->count; i++) {
    const elmo_change& c = r->changes[i];
    s += std::string(elmo_verdict_name(c.verdict)) + " " + c.raw_key + " = " +
         (c.value ? c.value : c.raw_value) + (c.reason ? "  -- " + std::string(c.reason) : "") + "\n";
  }
  return s;
}

// Expected [option, value] pairs / [key, code] pairs / names, in order.
void ExpectList(const cJSON* want, const std::vector<std::vector<std::string>>& got, const char* what) {
  ASSERT_TRUE(cJSON_IsArray(want)) << what;
  ASSERT_EQ(static_cast<size_t>(cJSON_GetArraySize(want)), got.size()) << what;
  for (size_t i = 0; i < got.size(); i++) {
    const cJSON* w = cJSON_GetArrayItem(want, static_cast<int>(i));
    if (cJSON_IsString(w)) {
      EXPECT_EQ(w->valuestring, got[i][0]) << what << " #" << i;
      continue;
    }
    for (size_t k = 0; k < got[i].size(); k++) {
      EXPECT_EQ(cJSON_GetArrayItem(w, static_cast<int>(k))->valuestring, got[i][k]) << what << " #" << i;
    }
  }
}

}  // namespace

TEST(Corpus, EveryAnswerCalibratesAsExpected) {
  const elmo_catalog* cat = nullptr;
  elmo_error err;
  ASSERT_EQ(elmo_catalog_builtin(&cat, &err), ELMO_OK) << err.message;
  cJSON* expected = cJSON_Parse(ReadFile(kDir + "calibrated.json").c_str());
  ASSERT_NE(expected, nullptr);
  elmo_optfile* base = elmo_optfile_create();
  elmo_calibrate_policy p = {};
  p.check_value = CheckValue;
  p.check_text = CheckText;
  int files = 0;
  for (const cJSON* e = expected->child; e != nullptr; e = e->next, files++) {
    SCOPED_TRACE(e->string);
    std::string answer = ReadFile(kDir + e->string);
    elmo_calibration* r = nullptr;
    elmo_rc rc = elmo_calibrate_answer(cat, base, answer.data(), answer.size(), &p, &r, &err);
    if (cJSON_GetObjectItem(e, "error") != nullptr) {
      EXPECT_EQ(rc, ELMO_EPARSE);
      EXPECT_EQ(r, nullptr);
      continue;
    }
    ASSERT_EQ(rc, ELMO_OK) << err.message;
    std::vector<std::vector<std::string>> acc, rej, unch;
    for (size_t i = 0; i < r->count; i++) {
      const elmo_change& c = r->changes[i];
      if (c.verdict == ELMO_VERDICT_ACCEPTED) acc.push_back({c.name, c.value});
      if (c.verdict == ELMO_VERDICT_REJECTED) {
        rej.push_back({c.raw_key, elmo_strerror(c.code)});
        EXPECT_NE(c.reason, nullptr) << c.raw_key;
      }
      if (c.verdict == ELMO_VERDICT_UNCHANGED) unch.push_back({c.name});
    }
    SCOPED_TRACE(Verdicts(r));
    ExpectList(cJSON_GetObjectItem(e, "accepted"), acc, "accepted");
    ExpectList(cJSON_GetObjectItem(e, "rejected"), rej, "rejected");
    ExpectList(cJSON_GetObjectItem(e, "unchanged"), unch, "unchanged");
    char* text = elmo_optfile_format(r->merged);
    EXPECT_EQ(elmo_engine_check_options_text(text, nullptr, &err), ELMO_OK) << err.message;
    elmo_free(text);
    elmo_calibration_destroy(r);
  }
  EXPECT_GE(files, 40);
  elmo_optfile_destroy(base);
  cJSON_Delete(expected);
}
