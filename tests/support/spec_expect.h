// spec_expect.h — what the spec tests share: parsing and writing JSON, field-by-field equality of
// specs, phases, groups, rates and distributions (GoogleTest expectations naming the field), and
// docs/WORKLOAD_SPEC.md's thread groups example.
#ifndef ELMO_TESTS_SUPPORT_SPEC_EXPECT_H
#define ELMO_TESTS_SUPPORT_SPEC_EXPECT_H

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "elmo/spec.h"
#include "handles.h"

namespace elmo_test {

// A spec parsed from JSON (a failure is a test failure naming the error), and back to JSON.

inline Spec Parse(const std::string& json, elmo_error* err = nullptr) {
  elmo_spec* s = nullptr;
  elmo_error local;
  elmo_rc rc = elmo_spec_parse(json.data(), json.size(), &s, err ? err : &local);
  EXPECT_EQ(rc, ELMO_OK) << (err ? err->message : local.message) << "\n" << json;
  return Spec(s);
}

inline std::string ToJson(const elmo_spec* s) {
  char* text = elmo_spec_to_json(s);
  EXPECT_NE(text, nullptr);
  std::string out = text ? text : "";
  elmo_free(text);
  return out;
}

// A way to break a valid spec built in C, and what elmo_spec_validate must then say.
struct MutationCase {
  const char* what;
  void (*mutate)(elmo_spec*);
  elmo_rc rc;
  const char* message;  // a part of the error message
};

// Applies c to s and expects validation to fail with c's code and message.
inline void ExpectMutationRejected(elmo_spec* s, const MutationCase& c) {
  c.mutate(s);
  elmo_error err;
  EXPECT_EQ(elmo_spec_validate(s, &err), c.rc) << c.what << ": " << err.message;
  EXPECT_NE(std::string(err.message).find(c.message), std::string::npos) << c.what << ": " << err.message;
}

inline void ExpectDistEq(const elmo_dist& a, const elmo_dist& b, const std::string& what) {
  EXPECT_EQ(a.kind, b.kind) << what;
  for (int i = 0; i < ELMO_DIST_PARAMS_MAX; i++) EXPECT_EQ(a.params[i], b.params[i]) << what << i;
  EXPECT_EQ(a.n, b.n) << what;
  EXPECT_EQ(a.clamp, b.clamp) << what;
  EXPECT_EQ(a.clamp_min, b.clamp_min) << what;
  EXPECT_EQ(a.clamp_max, b.clamp_max) << what;
  ASSERT_EQ(a.n_classes, b.n_classes) << what;
  for (size_t g = 0; g < a.n_classes; g++) {
    EXPECT_EQ(a.class_keys[g], b.class_keys[g]) << what << g;
    EXPECT_EQ(a.class_shares[g], b.class_shares[g]) << what << g;
  }
}

inline void ExpectRateEq(const elmo_spec_rate& a, const elmo_spec_rate& b, const std::string& what) {
  EXPECT_EQ(a.kind, b.kind) << what;
  EXPECT_EQ(a.qps, b.qps) << what;
  EXPECT_EQ(a.a, b.a) << what;
  EXPECT_EQ(a.b, b.b) << what;
  EXPECT_EQ(a.c, b.c) << what;
  EXPECT_EQ(a.d, b.d) << what;
}

// a[0..n) and b[0..n), field by field.
inline void ExpectGroupsEq(const elmo_spec_group* a, const elmo_spec_group* b, size_t n,
                           const std::string& what = "") {
  for (size_t g = 0; g < n; g++) {
    const std::string at = what + "groups[" + std::to_string(g) + "]";
    EXPECT_STREQ(a[g].name, b[g].name) << at;
    EXPECT_EQ(a[g].threads, b[g].threads) << at;
    for (int op = 0; op < ELMO_SPEC_OP_COUNT; op++) EXPECT_EQ(a[g].mix[op], b[g].mix[op]) << at << op;
    ExpectRateEq(a[g].rate, b[g].rate, at + ".rate");
  }
}

inline void ExpectPhaseEq(const elmo_spec_phase& a, const elmo_spec_phase& b, const std::string& what) {
  EXPECT_STREQ(a.name, b.name) << what;
  EXPECT_EQ(a.start_sec, b.start_sec) << what;
  EXPECT_EQ(a.duration_sec, b.duration_sec) << what;
  EXPECT_EQ(a.threads, b.threads) << what;
  for (int op = 0; op < ELMO_SPEC_OP_COUNT; op++) EXPECT_EQ(a.mix[op], b.mix[op]) << what << op;
  ExpectDistEq(a.key_access, b.key_access, what + ".key_access");
  EXPECT_EQ(a.key_ranges, b.key_ranges) << what;
  ExpectDistEq(a.value_size, b.value_size, what + ".value_size");
  ExpectDistEq(a.scan_length, b.scan_length, what + ".scan_length");
  EXPECT_EQ(a.multiget_size, b.multiget_size) << what;
  ExpectRateEq(a.rate, b.rate, what + ".rate");
  ASSERT_EQ(a.n_groups, b.n_groups) << what;
  ExpectGroupsEq(a.groups, b.groups, ELMO_SPEC_MAX_GROUPS, what + ".");  // the unused slots too
}

inline void ExpectSpecEq(const elmo_spec& a, const elmo_spec& b) {
  EXPECT_STREQ(a.name, b.name);
  EXPECT_STREQ(a.description, b.description);
  EXPECT_EQ(a.num_keys, b.num_keys);
  ExpectDistEq(a.key_size, b.key_size, "key_size");
  EXPECT_EQ(a.preload, b.preload);
  ExpectDistEq(a.preload_value_size, b.preload_value_size, "preload_value_size");
  ASSERT_EQ(a.n_phases, b.n_phases);
  for (size_t i = 0; i < a.n_phases; i++) {
    ExpectPhaseEq(a.phases[i], b.phases[i], "phases[" + std::to_string(i) + "]");
  }
}

// docs/WORKLOAD_SPEC.md's thread groups example.
inline constexpr char kGroupsExample[] = R"({
  "name": "writer-and-readers",
  "description": "One writer at a steady 2000 puts/s beside three readers that seek as fast as they can",
  "num_keys": 1000000,
  "phases": [
    {
      "name": "main",
      "duration_sec": 600,
      "groups": [
        {"name": "writer", "threads": 1, "mix": {"put": 1}, "rate": {"kind": "fixed", "qps": 2000}},
        {"name": "readers", "threads": 3, "mix": {"seek": 1}}
      ],
      "key_access": {"dist": "zipfian", "theta": 0.99},
      "scan_length": {"dist": "fixed", "value": 50}
    }
  ]
})";

}  // namespace elmo_test

#endif  // ELMO_TESTS_SUPPORT_SPEC_EXPECT_H
