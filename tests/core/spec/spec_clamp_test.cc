// spec_clamp_test.cc — workload specs with clamped size models ("min"/"max" on value_size,
// key_size, ...) and "classes" key access: parsing, canonical JSON round trips, and validation
// errors that name the field.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "elmo/spec.h"
#include "handles.h"

namespace {

// One phase of gets and puts: value and access are the phase's value_size and key_access.
std::string Spec(const std::string& value, const std::string& access = R"({"dist":"uniform"})",
                 const std::string& top = "") {
  return R"({"name":"t","num_keys":1000)" + top +
         R"(,"phases":[{"duration_sec":10,"mix":{"get":0.5,"put":0.5},"key_access":)" + access +
         R"(,"value_size":)" + value + "}]}";
}

elmo_test::Spec Parse(const std::string& json, elmo_rc want = ELMO_OK,
                      std::string* message = nullptr) {
  elmo_spec* s = nullptr;
  elmo_error err;
  elmo_error_clear(&err);
  EXPECT_EQ(elmo_spec_parse(json.data(), json.size(), &s, &err), want) << err.message << "\n"
                                                                        << json;
  if (message) *message = err.message;
  return elmo_test::Spec(s);
}

TEST(SpecClamp, MixgraphValuesParseAndRoundTrip) {
  elmo_test::Spec s =
      Parse(Spec(R"({"dist":"pareto","theta":0,"sigma":25.45,"k":0.2615,"min":10,"max":1024})",
                 R"({"dist":"classes","keys":[0.1,0.9],"shares":[0.8,0.2]})"));
  ASSERT_NE(s, nullptr);
  const elmo_dist& v = s->phases[0].value_size;
  EXPECT_EQ(v.kind, ELMO_DIST_GPARETO);
  EXPECT_EQ(v.clamp, ELMO_DIST_CLAMP_MIN | ELMO_DIST_CLAMP_MAX);
  EXPECT_EQ(v.clamp_min, 10);
  EXPECT_EQ(v.clamp_max, 1024);
  const elmo_dist& k = s->phases[0].key_access;
  EXPECT_EQ(k.kind, ELMO_DIST_CLASSES);
  EXPECT_EQ(k.n, 1000u);  // the spec fills n in: num_keys
  EXPECT_EQ(k.n_classes, 2u);
  // preload values follow the phase, clamps included
  EXPECT_EQ(s->preload_value_size.clamp, v.clamp);
  char* text = elmo_spec_to_json(s.get());
  ASSERT_NE(text, nullptr);
  std::string json = text;
  elmo_free(text);
  EXPECT_NE(json.find("\"min\":\t10"), std::string::npos) << json;
  EXPECT_NE(json.find("\"shares\":"), std::string::npos) << json;
  elmo_test::Spec back = Parse(json);
  ASSERT_NE(back, nullptr);
  const elmo_dist& v2 = back->phases[0].value_size;
  EXPECT_EQ(v2.clamp, v.clamp);
  EXPECT_EQ(v2.clamp_min, 10);
  EXPECT_EQ(v2.clamp_max, 1024);
  EXPECT_EQ(v2.params[2], 0.2615);
  const elmo_dist& k2 = back->phases[0].key_access;
  ASSERT_EQ(k2.n_classes, 2u);
  EXPECT_EQ(k2.class_keys[0], 0.1);
  EXPECT_EQ(k2.class_shares[1], 0.2);
  EXPECT_EQ(elmo_spec_validate(back.get(), nullptr), ELMO_OK);
}

TEST(SpecClamp, AFloorMakesAnUnboundedLowerEndValid) {
  // an exponential key size starts at 0, below a key's 8 bytes; a floor at 8 makes it valid
  std::string message;
  Parse(Spec(R"({"dist":"fixed","value":100})", R"({"dist":"uniform"})",
             R"(,"key_size":{"dist":"exponential","lambda":0.1})"),
        ELMO_ERANGE, &message);
  EXPECT_NE(message.find("key_size: exponential support start 0 is below the minimum 8"),
            std::string::npos)
      << message;
  elmo_test::Spec s = Parse(Spec(R"({"dist":"fixed","value":100})", R"({"dist":"uniform"})",
                                 R"(,"key_size":{"dist":"exponential","lambda":0.1,"min":8})"));
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->key_size.clamp_min, 8);
  // a ceiling bounds a heavy tail below the field's maximum
  s = Parse(Spec(R"({"dist":"gpareto","theta":10,"sigma":5,"k":2,"max":4096})"));
  ASSERT_NE(s, nullptr);
}

TEST(SpecClamp, BadClampsNameTheField) {
  const struct {
    std::string json;
    elmo_rc rc;
    const char* message;
  } cases[] = {
      // a floor below the support changes nothing, so the support's end is what is checked
      {Spec(R"({"dist":"fixed","value":1})", R"({"dist":"uniform"})",
            R"(,"key_size":{"dist":"gpareto","theta":0,"sigma":1,"k":0,"min":4})"),
       ELMO_ERANGE, "key_size: gpareto min 4 is below the minimum 8"},
      {Spec(R"({"dist":"fixed","value":1})", R"({"dist":"uniform"})",
            R"(,"key_size":{"dist":"exponential","lambda":1,"min":-5})"),
       ELMO_ERANGE, "key_size: exponential support start 0 is below the minimum 8"},
      {Spec(R"({"dist":"exponential","lambda":1,"max":1e9})"), ELMO_ERANGE,
       "phases[0].value_size: exponential max 1000000000 is above the maximum 67108864"},
      {Spec(R"({"dist":"gpareto","theta":100,"sigma":1,"k":0,"max":50})"), ELMO_ERANGE,
       "phases[0].value_size: gpareto max 50 is below its theta 100"},
      {Spec(R"({"dist":"normal","mean":100,"stddev":5,"min":-3})"), ELMO_ERANGE,
       "phases[0].value_size: normal min -3 is below the minimum 0"},
      {Spec(R"({"dist":"exponential","lambda":1,"min":20,"max":10})"), ELMO_EINVAL,
       "phases[0].value_size: exponential: field 'min' (20) must be below 'max' (10)"},
      {Spec(R"({"dist":"exponential","lambda":1,"min":"10"})"), ELMO_EINVAL,
       "phases[0].value_size: exponential: field 'min' (clamp) must be a number"},
      {Spec(R"({"dist":"fixed","value":100,"min":10})"), ELMO_EINVAL,
       "phases[0].value_size: fixed: unknown field 'min'"},
      {Spec(R"({"dist":"fixed","value":1})", R"({"dist":"zipfian","theta":1,"min":3})"),
       ELMO_EINVAL, "phases[0].key_access: zipfian: unknown field 'min'"},
      {Spec(R"({"dist":"fixed","value":1})", R"({"dist":"classes","keys":[0.5,0.6],"shares":[0.5,0.5]})"),
       ELMO_EINVAL, "phases[0].key_access: classes: keys sum to 1.1"},
      {Spec(R"({"dist":"fixed","value":1})", R"({"dist":"classes","keys":[1],"shares":[1],"n":3})"),
       ELMO_EINVAL, "phases[0].key_access.n: leave it out"},
      {Spec(R"({"dist":"classes","keys":[1],"shares":[1]})"), ELMO_EINVAL,
       "phases[0].value_size: 'classes' is not a size model"},
  };
  for (const auto& c : cases) {
    std::string message;
    elmo_test::Spec s = Parse(c.json, c.rc, &message);
    EXPECT_EQ(s, nullptr);
    EXPECT_NE(message.find(c.message), std::string::npos)
        << "message: " << message << "\nwanted: " << c.message;
  }
}

TEST(SpecClamp, ValidateChecksBuiltSpecs) {
  elmo_spec* s = elmo_spec_create(1000);
  ASSERT_NE(s, nullptr);
  elmo_dist& v = s->phases[0].value_size;
  memset(&v, 0, sizeof v);
  v.kind = ELMO_DIST_EXPONENTIAL, v.params[0] = 0.1, v.clamp = ELMO_DIST_CLAMP_MIN, v.clamp_min = 5;
  EXPECT_EQ(elmo_spec_validate(s, nullptr), ELMO_OK);
  v.clamp = 4;  // not a clamp bit
  elmo_error err;
  EXPECT_EQ(elmo_spec_validate(s, &err), ELMO_EINVAL);
  EXPECT_NE(std::string(err.message).find("unknown clamp bits"), std::string::npos)
      << err.message;
  v.clamp = 0, v.clamp_min = 0;
  s->phases[0].key_access.n_classes = 1;  // arrays on a uniform
  EXPECT_EQ(elmo_spec_validate(s, &err), ELMO_EINVAL);
  EXPECT_NE(std::string(err.message).find("n_classes must be 0"), std::string::npos)
      << err.message;
  elmo_spec_destroy(s);
}

}  // namespace
