// spec_groups_test.cc — thread groups in a workload spec's phase (spec.h, docs/WORKLOAD_SPEC.md):
// parsing with the derived threads/mix/rate and the group defaults, the JSON round trip, a table
// of invalid specs (code and the JSON path in the message), elmo_spec_phase_set_groups, and the
// canonical form elmo_spec_validate checks on a spec built in C.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "elmo/spec.h"
#include "elmo/workload.h"
#include "spec_expect.h"

namespace {

using elmo_test::ExpectGroupsEq;
using elmo_test::ExpectMutationRejected;
using elmo_test::ExpectRateEq;
using elmo_test::MutationCase;
using elmo_test::Parse;
using elmo_test::Spec;
using elmo_test::ToJson;

// A spec with one 60 s phase whose "groups" array holds groups; rest adds phase fields.
std::string Grouped(const std::string& groups, const std::string& rest = "") {
  return R"({"name":"t","num_keys":1000,"phases":[{"duration_sec":60,"groups":[)" + groups + "]" +
         rest + "}]}";
}

const char kWriter[] = R"({"name":"writer","mix":{"put":1},"rate":{"kind":"fixed","qps":2000}})";
const char kReaders[] = R"({"name":"readers","threads":3,"mix":{"get":0.5,"multiget":0.5}})";

bool IsZero(const elmo_spec_group& g) {
  static const elmo_spec_group zero{};
  return std::memcmp(g.name, zero.name, sizeof g.name) == 0 && g.threads == 0 &&
         std::all_of(g.mix, g.mix + ELMO_SPEC_OP_COUNT, [](double v) { return v == 0; }) &&
         g.rate.kind == ELMO_RATE_UNLIMITED && g.rate.qps == 0 && g.rate.a == 0 && g.rate.b == 0 &&
         g.rate.c == 0 && g.rate.d == 0;
}

// ---- parsing -----------------------------------------------------------------------------------

TEST(SpecGroups, ParseDerivesThreadsMixAndRate) {
  Spec s = Parse(elmo_test::kGroupsExample);
  ASSERT_TRUE(s);
  const elmo_spec_phase& p = s->phases[0];
  ASSERT_EQ(p.n_groups, 2u);
  EXPECT_STREQ(p.groups[0].name, "writer");
  EXPECT_EQ(p.groups[0].threads, 1);
  EXPECT_EQ(p.groups[0].mix[ELMO_SPEC_PUT], 1);
  EXPECT_EQ(p.groups[0].rate.kind, ELMO_RATE_FIXED);
  EXPECT_EQ(p.groups[0].rate.qps, 2000);
  EXPECT_STREQ(p.groups[1].name, "readers");
  EXPECT_EQ(p.groups[1].threads, 3);
  EXPECT_EQ(p.groups[1].mix[ELMO_SPEC_SEEK], 1);
  EXPECT_EQ(p.groups[1].rate.kind, ELMO_RATE_UNLIMITED);
  for (size_t g = 2; g < ELMO_SPEC_MAX_GROUPS; g++) EXPECT_TRUE(IsZero(p.groups[g])) << g;
  // derived: the threads' sum, the thread-weighted mix, an unlimited rate
  EXPECT_EQ(p.threads, 4);
  EXPECT_EQ(p.mix[ELMO_SPEC_PUT], 0.25);
  EXPECT_EQ(p.mix[ELMO_SPEC_SEEK], 0.75);
  EXPECT_EQ(p.mix[ELMO_SPEC_GET], 0);
  EXPECT_EQ(p.rate.kind, ELMO_RATE_UNLIMITED);
  EXPECT_EQ(p.rate.qps, 0);
  EXPECT_EQ(p.scan_length.params[0], 50);
  elmo_error err;
  EXPECT_EQ(elmo_spec_validate(s.get(), &err), ELMO_OK) << err.message;
}

TEST(SpecGroups, GroupDefaults) {
  // no name: group<i>; no threads: 1; no rate: unlimited
  Spec s = Parse(Grouped(R"({"mix":{"put":1}},{"mix":{"get":1},"threads":2})"));
  ASSERT_TRUE(s);
  const elmo_spec_phase& p = s->phases[0];
  ASSERT_EQ(p.n_groups, 2u);
  EXPECT_STREQ(p.groups[0].name, "group0");
  EXPECT_STREQ(p.groups[1].name, "group1");
  EXPECT_EQ(p.groups[0].threads, 1);
  EXPECT_EQ(p.groups[0].rate.kind, ELMO_RATE_UNLIMITED);
  EXPECT_EQ(p.threads, 3);
  EXPECT_NEAR(p.mix[ELMO_SPEC_PUT], 1.0 / 3, 1e-15);
  EXPECT_NEAR(p.mix[ELMO_SPEC_GET], 2.0 / 3, 1e-15);
  // multiget_size is the phase's, required because a group multigets
  s = Parse(Grouped(std::string(kWriter) + "," + kReaders, R"(,"multiget_size":4)"));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->phases[0].multiget_size, 4);
  EXPECT_EQ(s->phases[0].mix[ELMO_SPEC_MULTIGET], 0.375);
}

TEST(SpecGroups, RoundTrip) {
  const std::vector<std::string> cases = {
      elmo_test::kGroupsExample,
      Grouped(std::string(kWriter) + "," + kReaders, R"(,"multiget_size":4,"name":"p")"),
      Grouped(R"({"threads":7,"mix":{"get":0.1,"put":0.2,"delete":0.7},
                  "rate":{"kind":"sine","a":10,"b":0.5,"c":1,"d":100}},
                 {"threads":5,"mix":{"merge":0.3333333333333333,"get":0.6666666666666667}})"),
  };
  for (const std::string& json : cases) {
    Spec a = Parse(json);
    ASSERT_TRUE(a) << json;
    std::string text = ToJson(a.get());
    SCOPED_TRACE(text);
    EXPECT_NE(text.find("\"groups\""), std::string::npos);
    Spec b = Parse(text);  // the derived threads, mix and rate are not written
    ASSERT_TRUE(b);
    ASSERT_EQ(a->n_phases, b->n_phases);
    const elmo_spec_phase &pa = a->phases[0], &pb = b->phases[0];
    EXPECT_EQ(pa.n_groups, pb.n_groups);
    ExpectGroupsEq(pa.groups, pb.groups, ELMO_SPEC_MAX_GROUPS);
    EXPECT_EQ(pa.threads, pb.threads);
    for (int op = 0; op < ELMO_SPEC_OP_COUNT; op++) EXPECT_EQ(pa.mix[op], pb.mix[op]) << op;
    ExpectRateEq(pa.rate, pb.rate, "rate");
    EXPECT_EQ(pa.multiget_size, pb.multiget_size);
    EXPECT_EQ(ToJson(b.get()), text);  // and the text is stable
  }
}

// ---- invalid specs -----------------------------------------------------------------------------

struct BadCase {
  std::string json;
  elmo_rc rc;
  const char* message;  // a substring of the message, naming the field path
};

// One phase with body (no groups unless body has them).
std::string One(const std::string& body) {
  return R"({"name":"t","num_keys":1000,"phases":[{"duration_sec":60,)" + body + "}]}";
}

std::vector<BadCase> BadCases() {
  std::string nine;
  for (int i = 0; i < 9; i++) nine += std::string(i ? "," : "") + R"({"mix":{"get":1}})";
  return {
      {Grouped(kWriter, R"(,"threads":2)"), ELMO_EINVAL,
       "phases[0].threads: not allowed with groups (the phase's threads are the sum of its"},
      {Grouped(kWriter, R"(,"mix":{"put":1})"), ELMO_EINVAL,
       "phases[0].mix: not allowed with groups (give each group its mix)"},
      {Grouped(kWriter, R"(,"rate":{"kind":"unlimited"})"), ELMO_EINVAL,
       "phases[0].rate: not allowed with groups (give each group its rate)"},
      {Grouped(std::string(kWriter) + R"(,{"mix":{"get":1},"qps":5})"), ELMO_EINVAL,
       "phases[0].groups[1].qps: unknown field (allowed: name, threads, mix, rate)"},
      {Grouped(""), ELMO_ERANGE, "phases[0].groups: 0 groups, must be 1..8"},
      {Grouped(nine), ELMO_ERANGE, "phases[0].groups: 9 groups, must be 1..8"},
      {Grouped(R"({"name":"a","mix":{"get":1}},{"name":"a","mix":{"put":1}})"), ELMO_EINVAL,
       "phases[0].groups[1].name: 'a' is already the name of groups[0]"},
      {Grouped(R"({"name":"group1","mix":{"get":1}},{"mix":{"put":1}})"), ELMO_EINVAL,
       "phases[0].groups[1].name: 'group1' is already the name of groups[0]"},
      {Grouped(std::string(kWriter) + R"(,{"mix":{"get":0.5,"put":0.4}})"), ELMO_EINVAL,
       "phases[0].groups[1].mix: fractions sum to 0.9, must be 1"},
      {Grouped(std::string(kWriter) + R"(,{"mix":{"put":2}})"), ELMO_ERANGE,
       "phases[0].groups[1].mix.put: 2 is out of range 0..1"},
      {Grouped(std::string(kWriter) + R"(,{"mix":{"gett":1}})"), ELMO_EINVAL,
       "phases[0].groups[1].mix.gett: unknown field (allowed: get, put"},
      {Grouped(R"({"threads":200,"mix":{"get":1}},{"threads":100,"mix":{"put":1}})"), ELMO_ERANGE,
       "phases[0].groups: the groups' threads sum to 300, at most 256"},
      {Grouped(R"({"mix":{"put":1},"rate":{"kind":"fixed","qps":0}})"), ELMO_ERANGE,
       "phases[0].groups[0].rate.qps: 0 is out of range (0, 1e+09]"},
      {Grouped(R"({"mix":{"put":1},"rate":{"kind":"sine","a":350,"b":0.0105,"c":4.7,"d":300}})"),
       ELMO_ERANGE, "phases[0].groups[0].rate: sine qps a*sin(b*t+c)+d falls to"},
      {Grouped(R"({"mix":{"put":1},"threads":0})"), ELMO_ERANGE,
       "phases[0].groups[0].threads: 0 is out of range 1..256"},
      {Grouped(R"({"mix":{"put":1},"threads":257})"), ELMO_ERANGE,
       "phases[0].groups[0].threads: 257 is out of range 1..256"},
      {Grouped(R"({"mix":{"put":1},"name":""})"), ELMO_EINVAL,
       "phases[0].groups[0].name: must not be empty"},
      {Grouped(R"({"threads":2})"), ELMO_EINVAL, "phases[0].groups[0].mix: missing"},
      {Grouped(R"(7)"), ELMO_EINVAL, "phases[0].groups[0]: must be a group object, got a number"},
      {One(R"("groups":{"mix":{"get":1}})"), ELMO_EINVAL,
       "phases[0].groups: must be an array of 1..8 group objects"},
      {Grouped(R"({"mix":{"seek":1}})"), ELMO_EINVAL,
       "phases[0].scan_length: required when a group's mix.seek > 0"},
      {Grouped(kReaders), ELMO_EINVAL,
       "phases[0].multiget_size: required when a group's mix.multiget > 0"},
      {Grouped(kWriter, R"(,"scan_length":{"dist":"fixed","value":5})"), ELMO_EINVAL,
       "phases[0].scan_length: only with mix.seek > 0"},
      {Grouped(kWriter, R"(,"x":1)"), ELMO_EINVAL,
       "phases[0].x: unknown field (allowed: name, start_sec, duration_sec, threads, mix, "
       "key_access, key_ranges, value_size, scan_length, multiget_size, rate, groups)"},
  };
}

TEST(SpecGroups, InvalidTable) {
  for (const BadCase& c : BadCases()) {
    SCOPED_TRACE(c.json);
    elmo_spec* s = reinterpret_cast<elmo_spec*>(1);
    elmo_error err;
    EXPECT_EQ(elmo_spec_parse(c.json.data(), c.json.size(), &s, &err), c.rc) << err.message;
    EXPECT_EQ(s, nullptr);
    EXPECT_NE(std::string(err.message).find(c.message), std::string::npos)
        << "message: " << err.message << "\nwanted: " << c.message;
  }
}

// ---- building in C -----------------------------------------------------------------------------

elmo_spec_group Group(const char* name, int threads, elmo_spec_op op, double qps = 0) {
  elmo_spec_group g{};
  std::snprintf(g.name, sizeof g.name, "%s", name);
  g.threads = threads;
  g.mix[op] = 1;
  if (qps > 0) g.rate.kind = ELMO_RATE_FIXED, g.rate.qps = qps;
  return g;
}

TEST(SpecGroups, SetGroupsDerivesAndValidates) {
  Spec s(elmo_spec_create(5000));
  ASSERT_TRUE(s);
  elmo_spec_phase& p = s->phases[0];
  const elmo_spec_group groups[] = {Group("writer", 1, ELMO_SPEC_PUT, 200),
                                    Group("readers", 2, ELMO_SPEC_GET)};
  elmo_error err;
  ASSERT_EQ(elmo_spec_phase_set_groups(&p, groups, 2, &err), ELMO_OK) << err.message;
  EXPECT_EQ(p.n_groups, 2u);
  ExpectGroupsEq(p.groups, groups, 2);
  for (size_t g = 2; g < ELMO_SPEC_MAX_GROUPS; g++) EXPECT_TRUE(IsZero(p.groups[g])) << g;
  EXPECT_EQ(p.threads, 3);
  EXPECT_EQ(p.mix[ELMO_SPEC_PUT], 1.0 / 3);
  EXPECT_EQ(p.mix[ELMO_SPEC_GET], 2.0 / 3);
  EXPECT_EQ(p.rate.kind, ELMO_RATE_UNLIMITED);
  EXPECT_EQ(elmo_spec_validate(s.get(), &err), ELMO_OK) << err.message;
  // the JSON reads back to exactly the same phase
  Spec back = Parse(ToJson(s.get()));
  ASSERT_TRUE(back);
  EXPECT_EQ(std::memcmp(back->phases[0].mix, p.mix, sizeof p.mix), 0);
  EXPECT_EQ(back->phases[0].threads, 3);
  ExpectGroupsEq(back->phases[0].groups, p.groups, ELMO_SPEC_MAX_GROUPS);

  // fewer groups from the phase's own array: the slots left are zeroed
  ASSERT_EQ(elmo_spec_phase_set_groups(&p, &p.groups[1], 1, &err), ELMO_OK) << err.message;
  EXPECT_STREQ(p.groups[0].name, "readers");
  EXPECT_TRUE(IsZero(p.groups[1]));
  EXPECT_EQ(p.threads, 2);
  EXPECT_EQ(p.mix[ELMO_SPEC_GET], 1);
  EXPECT_EQ(p.mix[ELMO_SPEC_PUT], 0);
  EXPECT_EQ(elmo_spec_validate(s.get(), &err), ELMO_OK) << err.message;
}

TEST(SpecGroups, SetGroupsRejects) {
  elmo_spec_group many[ELMO_SPEC_MAX_GROUPS + 1];
  for (size_t g = 0; g <= ELMO_SPEC_MAX_GROUPS; g++) {
    many[g] = Group(("g" + std::to_string(g)).c_str(), 1, ELMO_SPEC_GET);
  }
  const elmo_spec_group big[] = {Group("a", 200, ELMO_SPEC_GET), Group("b", 100, ELMO_SPEC_PUT)};
  const elmo_spec_group none[] = {Group("a", 0, ELMO_SPEC_GET)};
  struct {
    const elmo_spec_group* groups;
    size_t n;
    elmo_rc rc;
    const char* message;
  } cases[] = {
      {many, 0, ELMO_ERANGE, "groups: 0 groups, must be 1..8"},
      {many, ELMO_SPEC_MAX_GROUPS + 1, ELMO_ERANGE, "groups: 9 groups, must be 1..8"},
      {big, 2, ELMO_ERANGE, "groups: the groups' threads sum to 300, at most 256"},
      {none, 1, ELMO_ERANGE, "groups[0].threads: 0 is out of range 1..256"},
      {nullptr, 1, ELMO_EINVAL, "NULL phase or groups"},
  };
  Spec s(elmo_spec_create(5000));
  ASSERT_TRUE(s);
  elmo_spec_phase before;
  std::memcpy(&before, &s->phases[0], sizeof before);
  for (const auto& c : cases) {
    elmo_error err;
    EXPECT_EQ(elmo_spec_phase_set_groups(&s->phases[0], c.groups, c.n, &err), c.rc) << c.message;
    EXPECT_NE(std::string(err.message).find(c.message), std::string::npos) << err.message;
    EXPECT_EQ(std::memcmp(&before, &s->phases[0], sizeof before), 0) << "changed: " << c.message;
  }
  EXPECT_EQ(elmo_spec_phase_set_groups(nullptr, many, 1, nullptr), ELMO_EINVAL);
  // the most groups and threads there may be
  EXPECT_EQ(elmo_spec_phase_set_groups(&s->phases[0], many, ELMO_SPEC_MAX_GROUPS, nullptr),
            ELMO_OK);
  const elmo_spec_group full[] = {Group("a", 200, ELMO_SPEC_GET), Group("b", 56, ELMO_SPEC_PUT)};
  EXPECT_EQ(elmo_spec_phase_set_groups(&s->phases[0], full, 2, nullptr), ELMO_OK);
  EXPECT_EQ(s->phases[0].threads, ELMO_SPEC_MAX_THREADS);
  EXPECT_EQ(elmo_spec_validate(s.get(), nullptr), ELMO_OK);
}

// What only a spec built in C can get wrong: phase 0 has a writer and readers, phase 1 no groups.
TEST(SpecGroups, ValidateRejects) {
  const MutationCase cases[] = {
      {"threads", [](elmo_spec* s) { s->phases[0].threads = 5; }, ELMO_EINVAL,
       "phases[0].threads: is 5, must be 3, the sum of the groups' threads"},
      {"mix", [](elmo_spec* s) { s->phases[0].mix[ELMO_SPEC_PUT] += 1e-8; }, ELMO_EINVAL,
       "phases[0].mix.put: is 0.33333334"},
      {"rate",
       [](elmo_spec* s) {
         s->phases[0].rate = elmo_spec_rate{ELMO_RATE_FIXED, 10};
       },
       ELMO_EINVAL,
       "phases[0].rate: must be unlimited with all fields 0 when the phase has groups"},
      {"n_groups", [](elmo_spec* s) { s->phases[0].n_groups = 9; }, ELMO_ERANGE,
       "phases[0].groups: n_groups is 9, at most 8"},
      {"used slot past n_groups", [](elmo_spec* s) { s->phases[0].groups[5].threads = 1; },
       ELMO_EINVAL, "phases[0].groups[5]: unused (n_groups is 2) and must be all zero"},
      {"slot without groups", [](elmo_spec* s) { s->phases[1].groups[0].name[0] = 'x'; },
       ELMO_EINVAL, "phases[1].groups[0]: unused (n_groups is 0) and must be all zero"},
      {"duplicate", [](elmo_spec* s) { std::strcpy(s->phases[0].groups[1].name, "writer"); },
       ELMO_EINVAL, "phases[0].groups[1].name: 'writer' is already the name of groups[0]"},
      {"group qps", [](elmo_spec* s) { s->phases[0].groups[0].rate.qps = 0; }, ELMO_ERANGE,
       "phases[0].groups[0].rate.qps: 0 is out of range"},
      {"group mix", [](elmo_spec* s) { s->phases[0].groups[1].mix[ELMO_SPEC_GET] = NAN; },
       ELMO_EINVAL, "phases[0].groups[1].mix.get: must be a finite number"},
      {"group threads", [](elmo_spec* s) { s->phases[0].groups[1].threads = 0; }, ELMO_ERANGE,
       "phases[0].groups[1].threads: 0 is out of range 1..256"},
      {"group rate kind",
       [](elmo_spec* s) { s->phases[0].groups[1].rate.kind = elmo_rate_kind(7); }, ELMO_EINVAL,
       "phases[0].groups[1].rate: unknown kind 7"},
  };
  for (const MutationCase& c : cases) {
    Spec s(elmo_spec_create(5000));
    ASSERT_TRUE(s);
    elmo_spec_phase second = s->phases[0];
    second.start_sec = 60;
    std::snprintf(second.name, sizeof second.name, "second");
    ASSERT_EQ(elmo_spec_add_phase(s.get(), &second, nullptr), ELMO_OK);
    const elmo_spec_group groups[] = {Group("writer", 1, ELMO_SPEC_PUT, 200),
                                      Group("readers", 2, ELMO_SPEC_GET)};
    ASSERT_EQ(elmo_spec_phase_set_groups(&s->phases[0], groups, 2, nullptr), ELMO_OK);
    ASSERT_EQ(elmo_spec_validate(s.get(), nullptr), ELMO_OK) << c.what;
    ExpectMutationRejected(s.get(), c);
  }
}

// The tuner's default objective for paced groups: the one operation type of the groups that run
// as fast as they can (workload.h, elmo_workload_facts.unpaced_op).
TEST(SpecGroups, WorkloadFactsNameTheUnpacedOperation) {
  const std::string scan = R"(,"scan_length":{"dist":"fixed","value":5})";
  struct Case {
    std::string groups, rest;
    const char* want;
  } cases[] = {
      {R"({"name":"w","mix":{"put":1},"rate":{"kind":"fixed","qps":900}},{"name":"r","threads":3,"mix":{"seek":1}})",
       scan, "seek"},
      {std::string(kWriter) + "," + kReaders, R"(,"multiget_size":4)", nullptr},  // readers: 2 types
      {R"({"name":"a","mix":{"put":1}},{"name":"b","mix":{"seek":1}})", scan, nullptr},  // none paced
  };
  for (const Case& c : cases) {
    Spec spec = Parse(Grouped(c.groups, c.rest));
    ASSERT_TRUE(spec) << c.groups;
    elmo_workload w;
    elmo_error err;
    ASSERT_EQ(elmo_workload_from_spec(spec.get(), "/tmp/x.json", 10, &w, &err), ELMO_OK) << err.message;
    if (c.want == nullptr) {
      EXPECT_EQ(w.facts.unpaced_op, nullptr) << c.groups;
    } else {
      ASSERT_NE(w.facts.unpaced_op, nullptr) << c.groups;
      EXPECT_STREQ(w.facts.unpaced_op, c.want);
      // The description the advisor reads names each group.
      EXPECT_NE(std::string(w.description).find("w 1t 100% put 900 qps, r 3t 100% seek"),
                std::string::npos) << w.description;
    }
    elmo_workload_clear(&w);
  }
}

}  // namespace
