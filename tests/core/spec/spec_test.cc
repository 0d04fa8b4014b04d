// spec_test.cc — the workload spec: parsing with defaults, the JSON round trip, a table of invalid
// specs (code and the JSON path in the message), the phase timeline, and building specs in C.
#include "elmo/spec.h"
#include "spec_expect.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace {

using elmo_test::ExpectDistEq;
using elmo_test::ExpectMutationRejected;
using elmo_test::ExpectSpecEq;
using elmo_test::MutationCase;
using elmo_test::Parse;
using elmo_test::Spec;
using elmo_test::ToJson;

// A spec with one phase: top adds top-level fields, phase replaces the phase's body.
std::string One(const std::string& phase = R"("duration_sec":60,"mix":{"get":1})",
                const std::string& top = "") {
  return R"({"name":"t","num_keys":1000)" + top + R"(,"phases":[{)" + phase + "}]}";
}

// The three examples of docs/WORKLOAD_SPEC.md.
const char kYcsbA[] = R"({
  "name": "ycsb-a-like",
  "description": "YCSB workload A: 50% reads, 50% updates, zipfian over 1M preloaded records",
  "num_keys": 1000000,
  "key_size": {"dist": "fixed", "value": 16},
  "preload": true,
  "preload_value_size": {"dist": "fixed", "value": 1000},
  "phases": [
    {
      "name": "run",
      "duration_sec": 600,
      "threads": 16,
      "mix": {"get": 0.5, "put": 0.5},
      "key_access": {"dist": "zipfian", "theta": 0.99},
      "value_size": {"dist": "fixed", "value": 1000}
    }
  ]
})";

const char kMixgraph[] = R"({
  "name": "mixgraph-facebook",
  "description": "db_bench mixgraph with the parameters published with RocksDB PR #5953",
  "num_keys": 5000000,
  "key_size": {"dist": "fixed", "value": 48},
  "preload": true,
  "phases": [
    {
      "name": "mixgraph",
      "duration_sec": 3600,
      "threads": 1,
      "mix": {"get": 0.85, "put": 0.14, "seek": 0.01},
      "key_access": {"dist": "two_term_exp", "a": 14.18, "b": -2.917, "c": 0.0164, "d": -0.08082},
      "key_ranges": 30,
      "value_size": {"dist": "pareto", "theta": 0, "sigma": 25.45, "k": 0.2615},
      "scan_length": {"dist": "pareto", "theta": 0, "sigma": 14.236, "k": 2.517},
      "rate": {"kind": "sine", "a": 350, "b": 0.0105, "c": 0, "d": 50000}
    }
  ]
})";

const char kShift[] = R"({
  "name": "shift-write-mixed-read",
  "description": "A rate-capped bulk load, then 50/50 read/write, then 85/15 read/write",
  "num_keys": 10000000,
  "key_size": {"dist": "fixed", "value": 24},
  "preload": false,
  "phases": [
    {
      "name": "ingest",
      "duration_sec": 300,
      "threads": 8,
      "mix": {"put": 1},
      "key_access": {"dist": "uniform"},
      "value_size": {"dist": "uniform", "min": 200, "max": 800},
      "rate": {"kind": "fixed", "qps": 20000}
    },
    {
      "name": "mixed",
      "duration_sec": 300,
      "threads": 8,
      "mix": {"get": 0.5, "put": 0.5},
      "key_access": {"dist": "zipfian", "theta": 0.9},
      "value_size": {"dist": "uniform", "min": 200, "max": 800}
    },
    {
      "name": "read-heavy",
      "duration_sec": 300,
      "threads": 8,
      "mix": {"get": 0.85, "put": 0.15},
      "key_access": {"dist": "latest", "theta": 1.1},
      "value_size": {"dist": "uniform", "min": 200, "max": 800}
    }
  ]
})";

// ---- valid specs -------------------------------------------------------------------------------

TEST(SpecParse, YcsbA) {
  Spec s = Parse(kYcsbA);
  ASSERT_TRUE(s);
  EXPECT_STREQ(s->name, "ycsb-a-like");
  EXPECT_EQ(s->num_keys, 1000000u);
  EXPECT_EQ(s->key_size.kind, ELMO_DIST_FIXED);
  EXPECT_EQ(s->key_size.params[0], 16);
  EXPECT_EQ(s->preload, 1);
  EXPECT_EQ(s->preload_value_size.params[0], 1000);
  ASSERT_EQ(s->n_phases, 1u);
  const elmo_spec_phase& p = s->phases[0];
  EXPECT_STREQ(p.name, "run");
  EXPECT_EQ(p.start_sec, 0);
  EXPECT_EQ(p.duration_sec, 600);
  EXPECT_EQ(p.threads, 16);
  EXPECT_EQ(p.mix[ELMO_SPEC_GET], 0.5);
  EXPECT_EQ(p.mix[ELMO_SPEC_PUT], 0.5);
  EXPECT_EQ(p.mix[ELMO_SPEC_SEEK], 0);
  EXPECT_EQ(p.key_access.kind, ELMO_DIST_ZIPFIAN);
  EXPECT_EQ(p.key_access.params[0], 0.99);
  EXPECT_EQ(p.key_access.n, 1000000u);  // filled with num_keys
  EXPECT_EQ(p.key_ranges, 0);
  EXPECT_EQ(p.rate.kind, ELMO_RATE_UNLIMITED);
}

TEST(SpecParse, Defaults) {
  Spec s = Parse(One());
  ASSERT_TRUE(s);
  EXPECT_STREQ(s->description, "");
  EXPECT_EQ(s->key_size.kind, ELMO_DIST_FIXED);
  EXPECT_EQ(s->key_size.params[0], 16);
  EXPECT_EQ(s->preload, 1);
  const elmo_spec_phase& p = s->phases[0];
  EXPECT_STREQ(p.name, "phase0");
  EXPECT_EQ(p.start_sec, 0);
  EXPECT_EQ(p.threads, 1);
  EXPECT_EQ(p.key_access.kind, ELMO_DIST_UNIFORM);
  EXPECT_EQ(p.key_access.params[0], 0);
  EXPECT_EQ(p.key_access.params[1], 1000);
  EXPECT_EQ(p.value_size.kind, ELMO_DIST_FIXED);
  EXPECT_EQ(p.value_size.params[0], 100);
  ExpectDistEq(s->preload_value_size, p.value_size, "preload defaults to the phase's");
  EXPECT_EQ(p.scan_length.kind, ELMO_DIST_FIXED);
  EXPECT_EQ(p.scan_length.params[0], 0);
  EXPECT_EQ(p.multiget_size, 1);
  EXPECT_EQ(p.rate.kind, ELMO_RATE_UNLIMITED);
  // uniform with only one bound given keeps it and defaults the other
  s = Parse(One(R"("duration_sec":1,"mix":{"get":1},"key_access":{"dist":"uniform","min":10})"));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->phases[0].key_access.params[0], 10);
  EXPECT_EQ(s->phases[0].key_access.params[1], 1000);
}

TEST(SpecParse, Mixgraph) {
  Spec s = Parse(kMixgraph);
  ASSERT_TRUE(s);
  const elmo_spec_phase& p = s->phases[0];
  EXPECT_EQ(p.key_access.kind, ELMO_DIST_TWO_TERM_EXP);
  EXPECT_EQ(p.key_ranges, 30);
  EXPECT_EQ(p.key_access.n, 30u);                   // ranges, not keys
  EXPECT_EQ(p.value_size.kind, ELMO_DIST_GPARETO);  // mixgraph's "pareto" spelling
  EXPECT_EQ(p.value_size.params[1], 25.45);
  EXPECT_EQ(p.scan_length.params[2], 2.517);
  EXPECT_EQ(p.mix[ELMO_SPEC_SEEK], 0.01);
  EXPECT_EQ(p.rate.kind, ELMO_RATE_SINE);
  EXPECT_EQ(p.rate.a, 350);
  EXPECT_EQ(p.rate.d, 50000);
  ExpectDistEq(s->preload_value_size, p.value_size, "preload_value_size");
}

TEST(SpecParse, ShiftPhasesChainAndSort) {
  Spec s = Parse(kShift);
  ASSERT_TRUE(s);
  ASSERT_EQ(s->n_phases, 3u);
  EXPECT_EQ(s->preload, 0);
  EXPECT_EQ(s->phases[1].start_sec, 300);  // the previous phase's end
  EXPECT_EQ(s->phases[2].start_sec, 600);
  EXPECT_EQ(s->phases[0].rate.qps, 20000);
  EXPECT_EQ(s->phases[2].key_access.kind, ELMO_DIST_LATEST);
  EXPECT_EQ(elmo_spec_duration(s.get()), 900);
  // out of order with a gap: sorted by start_sec; a missing start follows the previous in the file
  s = Parse(R"({"name":"t","num_keys":10,"phases":[
      {"name":"late","start_sec":100,"duration_sec":10,"mix":{"get":1}},
      {"name":"after-late","duration_sec":5,"mix":{"put":1}},
      {"name":"early","start_sec":0,"duration_sec":50,"mix":{"get":1},
       "value_size":{"dist":"fixed","value":7}}]})");
  ASSERT_TRUE(s);
  EXPECT_STREQ(s->phases[0].name, "early");
  EXPECT_STREQ(s->phases[1].name, "late");
  EXPECT_STREQ(s->phases[2].name, "after-late");
  EXPECT_EQ(s->phases[2].start_sec, 110);
  EXPECT_EQ(s->preload_value_size.params[0], 7);  // from the phase that starts first
}

TEST(SpecParse, ValidEdgeCases) {
  const std::vector<std::string> cases = {
      One(R"("duration_sec":1,"mix":{"get":0.3333333,"put":0.6666667})"),  // within 1e-6
      One(R"("duration_sec":1,"mix":{"multiget":1},"multiget_size":1024)"),
      One(R"("duration_sec":1,"mix":{"seek":1},"scan_length":{"dist":"fixed","value":0})"),
      One(R"("duration_sec":1,"mix":{"merge":0.5,"delete":0.5},"threads":256)"),
      One(R"("duration_sec":1,"mix":{"get":1},"key_access":{"dist":"power","a":0.002312,"b":0.3467})"),
      // d < |a|, but the sine stays positive over a 10 s phase (t from 0: sin rises from 0)
      One(R"("duration_sec":10,"mix":{"get":1},"rate":{"kind":"sine","a":100,"b":0.01,"d":10})"),
      R"({"name":"big","num_keys":1099511627776,"key_size":{"dist":"uniform","min":8,"max":64},
          "phases":[{"duration_sec":1,"mix":{"get":1},"key_access":{"dist":"zipfian","theta":2}}]})",
      One(R"("duration_sec":1,"mix":{"get":1},"value_size":{"dist":"normal","mean":100,"stddev":50})"),
      One(R"("duration_sec":1,"mix":{"get":1})", R"(,"preload":false,"description":"x")"),
      One(R"("duration_sec":1,"mix":{"get":1},"value_size":{"dist":"fixed","value":67108864})"),
  };
  for (const std::string& json : cases) {
    Spec s = Parse(json);
    EXPECT_TRUE(s) << json;
    if (s) {
      EXPECT_EQ(elmo_spec_validate(s.get(), nullptr), ELMO_OK) << json;
    }
  }
  // trailing white space and NULs after the object are fine; the length bounds the text
  std::string padded = One() + " \n\t";
  padded.push_back('\0');
  EXPECT_TRUE(Parse(padded));
  std::string cut = One() + "garbage";
  elmo_spec* s = nullptr;
  EXPECT_EQ(elmo_spec_parse(cut.data(), One().size(), &s, nullptr), ELMO_OK);
  elmo_spec_destroy(s);
}

// ---- round trip --------------------------------------------------------------------------------

TEST(SpecJson, RoundTrip) {
  const std::vector<std::string> cases = {
      kYcsbA,
      kMixgraph,
      kShift,
      elmo_test::kGroupsExample,
      One(),
      One(R"("duration_sec":0.30000000000000004,"mix":{"get":0.1,"put":0.2,"delete":0.7},
             "start_sec":12.345678901234567,"rate":{"kind":"fixed","qps":1234.5678901234567})"),
      One(R"("duration_sec":1,"mix":{"multiget":0.5,"seek":0.5},"multiget_size":7,
             "scan_length":{"dist":"exponential","lambda":0.1},
             "value_size":{"dist":"gpareto","theta":10,"sigma":5,"k":-0.5})"),
  };
  for (const std::string& json : cases) {
    Spec a = Parse(json);
    ASSERT_TRUE(a) << json;
    std::string text = ToJson(a.get());
    Spec b = Parse(text);
    ASSERT_TRUE(b) << text;
    SCOPED_TRACE(text);
    ExpectSpecEq(*a, *b);
    EXPECT_EQ(ToJson(b.get()), text);  // and the text is stable
  }
}

// Byte mutations of the examples: every parse either fails cleanly or round-trips exactly.
TEST(SpecJson, MutationsFailCleanlyOrRoundTrip) {
  const std::string bases[] = {kYcsbA, kMixgraph, kShift, elmo_test::kGroupsExample};
  const char alphabet[] = "{}[]\",:0123456789.-eE truefalsnu";
  uint64_t state = 42;
  auto next = [&state]() {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<size_t>(state >> 33);
  };
  int parsed = 0;
  for (int iter = 0; iter < 4000; iter++) {
    std::string json = bases[iter % 4];
    for (int m = 0, n = 1 + static_cast<int>(next() % 3); m < n; m++) {
      size_t at = next() % json.size();
      switch (next() % 3) {
        case 0:
          json.erase(at, 1 + next() % 4);
          break;
        case 1:
          json.insert(at, 1, alphabet[next() % (sizeof(alphabet) - 1)]);
          break;
        default:
          json[at] = alphabet[next() % (sizeof(alphabet) - 1)];
          break;
      }
      if (json.empty()) json = "{";
    }
    elmo_spec* s = nullptr;
    elmo_error err;
    elmo_rc rc = elmo_spec_parse(json.data(), json.size(), &s, &err);
    if (rc != ELMO_OK) {
      EXPECT_EQ(s, nullptr);
      EXPECT_NE(err.message[0], '\0') << json;
      continue;
    }
    parsed++;
    Spec a(s);
    EXPECT_EQ(elmo_spec_validate(a.get(), &err), ELMO_OK) << err.message << "\n" << json;
    Spec b = Parse(ToJson(a.get()));
    ASSERT_TRUE(b) << json;
    ExpectSpecEq(*a, *b);
  }
  EXPECT_GT(parsed, 0);
}

// ---- invalid specs -----------------------------------------------------------------------------

struct BadCase {
  std::string json;
  elmo_rc rc;
  const char* message;  // a substring of the message, naming the field path
};

std::vector<BadCase> BadCases() {
  const std::string get = R"("duration_sec":60,"mix":{"get":1})";
  std::string many = R"({"name":"t","num_keys":10,"phases":[)";
  for (int i = 0; i < 65; i++)
    many += std::string(i ? "," : "") + R"({"duration_sec":1,"mix":{"get":1}})";
  many += "]}";
  return {
      {One(get, R"(,"phasez":1)"), ELMO_EINVAL, "phasez: unknown field (allowed: name,"},
      {One(R"("duration_sec":60,"mixx":{"get":1})"), ELMO_EINVAL, "phases[0].mixx: unknown field"},
      {One(R"("duration_sec":60,"mix":{"get":0.5,"put":0.4})"), ELMO_EINVAL,
       "phases[0].mix: fractions sum to 0.9, must be 1"},
      {One(R"("duration_sec":60,"mix":{})"), ELMO_EINVAL, "phases[0].mix: fractions sum to 0,"},
      {One(R"("duration_sec":60,"mix":{"get":-0.5,"put":1.5})"), ELMO_ERANGE,
       "phases[0].mix.get: -0.5 is out of range 0..1"},
      {One(R"("duration_sec":60,"mix":{"gett":1})"), ELMO_EINVAL,
       "phases[0].mix.gett: unknown field (allowed: get, put, delete, seek, merge, multiget)"},
      {One(R"("duration_sec":60,"mix":"get")"), ELMO_EINVAL, "phases[0].mix: must be an object"},
      {One(R"("duration_sec":60)"), ELMO_EINVAL, "phases[0].mix: missing"},
      {R"({"name":"t","num_keys":10,"phases":[{"duration_sec":120,"mix":{"get":1}},
          {"start_sec":60,"duration_sec":10,"mix":{"get":1}}]})",
       ELMO_EINVAL, "phases[1].start_sec: overlaps phases[0], which ends at 120"},
      {R"({"name":"t","num_keys":10,"phases":[{"start_sec":100,"duration_sec":50,"mix":{"get":1}},
          {"start_sec":0,"duration_sec":120,"mix":{"get":1}}]})",
       ELMO_EINVAL, "phases[0].start_sec: overlaps phases[1], which ends at 120"},
      {One(get + R"(,"threads":0)"), ELMO_ERANGE, "phases[0].threads: 0 is out of range 1..256"},
      {One(get + R"(,"threads":1000)"), ELMO_ERANGE, "phases[0].threads: 1000 is out of range"},
      {One(get + R"(,"threads":1.5)"), ELMO_EINVAL, "phases[0].threads: must be a whole number"},
      {One(get + R"(,"threads":"4")"), ELMO_EINVAL,
       "phases[0].threads: must be a number, got a string"},
      {One(get + R"(,"threads":4,"threads":5)"), ELMO_EINVAL, "phases[0].threads: given twice"},
      {One(get + R"(,"key_access":{"dist":"zipfian","theta":0})"), ELMO_EINVAL,
       "phases[0].key_access: zipfian: field 'theta' must be"},
      {One(get + R"(,"key_access":{"dist":"latest","theta":-1})"), ELMO_EINVAL,
       "phases[0].key_access: latest: field 'theta'"},
      {One(get + R"(,"key_access":{"dist":"normal","mean":5,"stddev":1})"), ELMO_EINVAL,
       "phases[0].key_access: 'normal' is not a key-access model (allowed: uniform"},
      {One(get + R"(,"key_access":{"dist":"zipf","theta":1})"), ELMO_EINVAL,
       "phases[0].key_access: unknown distribution 'zipf'"},
      {One(get + R"(,"key_access":"zipfian")"), ELMO_EINVAL,
       "phases[0].key_access: must be a distribution object"},
      {One(get + R"(,"key_access":{"dist":"zipfian","theta":1,"theta":2})"), ELMO_EINVAL,
       "phases[0].key_access.theta: given twice"},
      {One(get + R"(,"key_access":{"dist":"zipfian","theta":1,"n":5})"), ELMO_EINVAL,
       "phases[0].key_access.n: leave it out"},
      {One(get + R"(,"key_access":{"dist":"uniform","min":0,"max":2000})"), ELMO_ERANGE,
       "phases[0].key_access: uniform [0, 2000) leaves the key indices"},
      {One(get + R"(,"key_access":{"dist":"two_term_exp","a":1,"b":0,"c":0,"d":0})"), ELMO_EINVAL,
       "phases[0].key_ranges: required with key_access two_term_exp"},
      {One(get + R"(,"key_ranges":30)"), ELMO_EINVAL,
       "phases[0].key_ranges: only for key_access two_term_exp"},
      {One(get, R"(,"key_size":{"dist":"fixed","value":4})"), ELMO_ERANGE,
       "key_size: fixed value 4 is below the minimum 8"},
      {One(get, R"(,"key_size":{"dist":"uniform","min":4,"max":32})"), ELMO_ERANGE,
       "key_size: uniform min 4 is below the minimum 8"},
      {One(get, R"(,"key_size":{"dist":"exponential","lambda":0.1})"), ELMO_ERANGE,
       "key_size: exponential support start 0 is below"},
      {One(get, R"(,"key_size":{"dist":"zipfian","theta":1})"), ELMO_EINVAL,
       "key_size: 'zipfian' is not a size model"},
      {One(get + R"(,"value_size":{"dist":"fixed","value":1e9})"), ELMO_ERANGE,
       "phases[0].value_size: fixed value 1000000000 is above the maximum 67108864"},
      {One(get + R"(,"value_size":{"dist":"fixed","value":-1})"), ELMO_ERANGE,
       "phases[0].value_size: fixed value -1 is below the minimum 0"},
      {One(get + R"(,"value_size":{"dist":"gpareto","theta":0})"), ELMO_EINVAL,
       "phases[0].value_size: gpareto: missing field 'sigma'"},
      {One(R"("duration_sec":60,"mix":{"get":0.9,"seek":0.1})"), ELMO_EINVAL,
       "phases[0].scan_length: required when mix.seek > 0"},
      {One(get + R"(,"scan_length":{"dist":"fixed","value":50})"), ELMO_EINVAL,
       "phases[0].scan_length: only with mix.seek > 0"},
      {One(R"("duration_sec":60,"mix":{"seek":1},"scan_length":{"dist":"fixed","value":2e6})"),
       ELMO_ERANGE, "phases[0].scan_length: fixed value 2000000 is above the maximum 1000000"},
      {One(R"("duration_sec":60,"mix":{"multiget":1})"), ELMO_EINVAL,
       "phases[0].multiget_size: required when mix.multiget > 0"},
      {One(get + R"(,"multiget_size":8)"), ELMO_EINVAL,
       "phases[0].multiget_size: only with mix.multiget > 0"},
      {One(R"("duration_sec":60,"mix":{"multiget":1},"multiget_size":0)"), ELMO_ERANGE,
       "phases[0].multiget_size: 0 is out of range 1..1024"},
      {One(R"("duration_sec":600,"mix":{"get":1},
              "rate":{"kind":"sine","a":350,"b":0.0105,"c":0,"d":300})"),
       ELMO_ERANGE, "phases[0].rate: sine qps a*sin(b*t+c)+d falls to -50 within the phase"},
      {One(get + R"(,"rate":{"kind":"sine","a":350,"b":0.0105,"c":4.7,"d":300})"), ELMO_ERANGE,
       "phases[0].rate: sine qps"},
      {One(get + R"(,"rate":{"kind":"sine","a":350,"d":3000})"), ELMO_EINVAL,
       "phases[0].rate.b: missing"},
      {One(get + R"(,"rate":{"kind":"fixed","qps":0})"), ELMO_ERANGE,
       "phases[0].rate.qps: 0 is out of range (0, 1e+09]"},
      {One(get + R"(,"rate":{"kind":"fixed","qps":100,"a":1})"), ELMO_EINVAL,
       "phases[0].rate.a: unknown field (allowed: kind, qps)"},
      {One(get + R"(,"rate":{"kind":"burst"})"), ELMO_EINVAL,
       "phases[0].rate.kind: 'burst' is unknown (allowed: unlimited, fixed, sine)"},
      {One(get + R"(,"rate":{"qps":5})"), ELMO_EINVAL, "phases[0].rate.kind: missing"},
      {One(R"("mix":{"get":1})"), ELMO_EINVAL, "phases[0].duration_sec: missing"},
      {One(R"("duration_sec":0,"mix":{"get":1})"), ELMO_ERANGE,
       "phases[0].duration_sec: 0 is out of range (0, 10000000]"},
      {One(R"("duration_sec":1e999,"mix":{"get":1})"), ELMO_EINVAL,
       "phases[0].duration_sec: must be a finite number"},
      {One(R"("duration_sec":NaN,"mix":{"get":1})"), ELMO_EPARSE, "spec: not valid JSON at line 1"},
      {One(R"("start_sec":9999999,"duration_sec":2,"mix":{"get":1})"), ELMO_ERANGE,
       "phases[0].duration_sec: the phase ends at 10000001 s"},
      {One(get + R"(,"start_sec":-1)"), ELMO_ERANGE, "phases[0].start_sec: -1 is out of range"},
      {One(get + R"(,"name":"")"), ELMO_EINVAL, "phases[0].name: must not be empty"},
      {One(get + R"(,"name":"a\u0001b")"), ELMO_EINVAL, "phases[0].name: character 0x01"},
      {R"({"name":"t","num_keys":10,"phases":[{"name":"a","duration_sec":1,"mix":{"get":1}},
          {"name":"a","duration_sec":1,"mix":{"get":1}}]})",
       ELMO_EINVAL, "phases[1].name: 'a' is already the name of phases[0]"},
      {R"({"num_keys":10,"phases":[{"duration_sec":1,"mix":{"get":1}}]})", ELMO_EINVAL,
       "name: missing"},
      {R"({"name":")" + std::string(64, 'x') + R"(","num_keys":10,"phases":[]})", ELMO_ERANGE,
       "name: 64 bytes long, at most 63"},
      {R"({"name":"t","phases":[{"duration_sec":1,"mix":{"get":1}}]})", ELMO_EINVAL,
       "num_keys: missing"},
      {One(get, R"(,"num_keys":0)"), ELMO_EINVAL, "num_keys: given twice"},
      {R"({"name":"t","num_keys":0,"phases":[]})", ELMO_ERANGE, "num_keys: 0 is out of range 1.."},
      {R"({"name":"t","num_keys":1099511627777,"phases":[]})", ELMO_ERANGE,
       "num_keys: 1099511627777 is out of range 1..1099511627776"},
      {One(get, R"(,"preload":"yes")"), ELMO_EINVAL,
       "preload: must be true or false, got a string"},
      {R"({"name":"t","num_keys":10})", ELMO_EINVAL, "phases: missing"},
      {R"({"name":"t","num_keys":10,"phases":{}})", ELMO_EINVAL, "phases: must be an array"},
      {R"({"name":"t","num_keys":10,"phases":[]})", ELMO_ERANGE, "phases: 0 phases, must be 1..64"},
      {many, ELMO_ERANGE, "phases: 65 phases, must be 1..64"},
      {R"({"name":"t","num_keys":10,"phases":[7]})", ELMO_EINVAL,
       "phases[0]: must be a phase object, got a number"},
      {"[1, 2]", ELMO_EPARSE, "spec: must be a JSON object {...}, got an array"},
      {"42", ELMO_EPARSE, "spec: must be a JSON object"},
      {"", ELMO_EPARSE, "spec: not valid JSON"},
      {R"({"name":"t",)"
       "\n"
       R"("num_keys":10,"phases":[{)",
       ELMO_EPARSE, "spec: not valid JSON at line 2"},
      {One() + " {}", ELMO_EPARSE, "spec: unexpected text after the JSON object"},
      {std::string(ELMO_SPEC_JSON_MAX + 1, ' '), ELMO_ETOOBIG, "spec: 1048577 bytes of JSON"},
  };
}

TEST(SpecParse, InvalidTable) {
  for (const BadCase& c : BadCases()) {
    SCOPED_TRACE(c.json.size() > 400 ? c.json.substr(0, 400) : c.json);
    elmo_spec* s = reinterpret_cast<elmo_spec*>(1);
    elmo_error err;
    EXPECT_EQ(elmo_spec_parse(c.json.data(), c.json.size(), &s, &err), c.rc) << err.message;
    EXPECT_EQ(s, nullptr);
    EXPECT_EQ(err.code, c.rc);
    EXPECT_NE(std::string(err.message).find(c.message), std::string::npos)
        << "message: " << err.message << "\nwanted: " << c.message;
    // the same without an error struct
    EXPECT_EQ(elmo_spec_parse(c.json.data(), c.json.size(), &s, nullptr), c.rc);
  }
  EXPECT_GE(BadCases().size(), 25u);
}

TEST(SpecParse, NullArguments) {
  elmo_spec* s = nullptr;
  EXPECT_EQ(elmo_spec_parse(nullptr, 0, &s, nullptr), ELMO_EINVAL);
  EXPECT_EQ(elmo_spec_parse("{}", 2, nullptr, nullptr), ELMO_EINVAL);
  EXPECT_EQ(elmo_spec_to_json(nullptr), nullptr);
  EXPECT_EQ(elmo_spec_validate(nullptr, nullptr), ELMO_EINVAL);
  elmo_spec_destroy(nullptr);
}

// ---- the timeline ------------------------------------------------------------------------------

TEST(SpecTimeline, PhaseAtAndDuration) {
  Spec s = Parse(R"({"name":"t","num_keys":10,"phases":[
      {"name":"a","duration_sec":10,"mix":{"get":1}},
      {"name":"b","start_sec":20,"duration_sec":5,"mix":{"get":1}}]})");
  ASSERT_TRUE(s);
  EXPECT_EQ(elmo_spec_duration(s.get()), 25);
  EXPECT_EQ(elmo_spec_duration(nullptr), 0);
  struct {
    double t;
    const char* name;  // nullptr: no phase
  } cases[] = {{-1, nullptr}, {0, "a"},    {9.999, "a"},  {10, nullptr},  {15, nullptr},
               {20, "b"},     {24.9, "b"}, {25, nullptr}, {1e9, nullptr}, {NAN, nullptr}};
  for (const auto& c : cases) {
    const elmo_spec_phase* p = elmo_spec_phase_at(s.get(), c.t);
    if (c.name == nullptr) {
      EXPECT_EQ(p, nullptr) << c.t;
    } else {
      ASSERT_NE(p, nullptr) << c.t;
      EXPECT_STREQ(p->name, c.name) << c.t;
    }
  }
  EXPECT_EQ(elmo_spec_phase_at(nullptr, 0), nullptr);
}

// ---- building in C -----------------------------------------------------------------------------

TEST(SpecBuild, CreateAddValidate) {
  Spec s(elmo_spec_create(5000));
  ASSERT_TRUE(s);
  elmo_error err;
  EXPECT_EQ(elmo_spec_validate(s.get(), &err), ELMO_OK) << err.message;
  EXPECT_STREQ(s->phases[0].name, "main");
  EXPECT_EQ(s->phases[0].duration_sec, 60);
  EXPECT_EQ(s->phases[0].key_access.params[1], 5000);
  elmo_spec_phase p = s->phases[0];
  snprintf(p.name, sizeof(p.name), "writes");
  p.start_sec = 60;
  p.mix[ELMO_SPEC_GET] = 0;
  p.mix[ELMO_SPEC_PUT] = 1;
  p.rate.kind = ELMO_RATE_FIXED;
  p.rate.qps = 1000;
  ASSERT_EQ(elmo_spec_add_phase(s.get(), &p, &err), ELMO_OK);
  EXPECT_EQ(elmo_spec_validate(s.get(), &err), ELMO_OK) << err.message;
  EXPECT_EQ(elmo_spec_duration(s.get()), 120);
  // and it survives the JSON round trip
  Spec back = Parse(ToJson(s.get()));
  ASSERT_TRUE(back);
  ExpectSpecEq(*s, *back);
  // full
  while (s->n_phases < ELMO_SPEC_MAX_PHASES) {
    p.start_sec += 60;
    snprintf(p.name, sizeof(p.name), "p%zu", s->n_phases);
    ASSERT_EQ(elmo_spec_add_phase(s.get(), &p, &err), ELMO_OK);
  }
  EXPECT_EQ(elmo_spec_validate(s.get(), &err), ELMO_OK) << err.message;
  EXPECT_EQ(elmo_spec_add_phase(s.get(), &p, &err), ELMO_ERANGE);
  EXPECT_EQ(elmo_spec_add_phase(nullptr, &p, &err), ELMO_EINVAL);
}

// Rules only a spec built in C can break: order, canonical fields, filled-in n.
TEST(SpecBuild, ValidateRejects) {
  const MutationCase cases[] = {
      {"unsorted", [](elmo_spec* s) { s->phases[1].start_sec = 0, s->phases[0].start_sec = 60; },
       ELMO_EINVAL, "phases[1].start_sec: 0 is before the start 60 of phases[0]"},
      {"zipf n",
       [](elmo_spec* s) {
         s->phases[0].key_access = elmo_dist{ELMO_DIST_ZIPFIAN, {0.99, 0, 0, 0}, 7};
       },
       ELMO_EINVAL, "phases[0].key_access.n: is 7, must be num_keys 5000"},
      {"unused param", [](elmo_spec* s) { s->key_size.params[2] = 1; }, ELMO_EINVAL,
       "key_size: params[2] is unused by fixed"},
      {"scan without seek", [](elmo_spec* s) { s->phases[0].scan_length.params[0] = 5; },
       ELMO_EINVAL, "phases[0].scan_length: only with mix.seek > 0"},
      {"multiget size", [](elmo_spec* s) { s->phases[0].multiget_size = 0; }, ELMO_EINVAL,
       "phases[0].multiget_size: only with mix.multiget > 0"},
      {"unlimited qps", [](elmo_spec* s) { s->phases[0].rate.qps = 5; }, ELMO_EINVAL,
       "phases[0].rate: fields unused by kind unlimited must be 0"},
      {"rate kind", [](elmo_spec* s) { s->phases[0].rate.kind = (elmo_rate_kind)9; }, ELMO_EINVAL,
       "phases[0].rate: unknown kind 9"},
      {"preload", [](elmo_spec* s) { s->preload = 2; }, ELMO_EINVAL, "preload: must be 0 or 1"},
      {"name", [](elmo_spec* s) { memset(s->name, 'x', sizeof(s->name)); }, ELMO_ERANGE,
       "name: longer than 63"},
      {"no phases", [](elmo_spec* s) { s->n_phases = 0; }, ELMO_ERANGE, "phases: 0 phases"},
      {"nan mix", [](elmo_spec* s) { s->phases[0].mix[ELMO_SPEC_GET] = NAN; }, ELMO_EINVAL,
       "phases[0].mix.get: must be a finite number"},
      {"sine nan",
       [](elmo_spec* s) { s->phases[0].rate = elmo_spec_rate{ELMO_RATE_SINE, 0, 1, NAN, 0, 10}; },
       ELMO_EINVAL, "phases[0].rate: sine field 'b' must be a finite number"},
  };
  for (const MutationCase& c : cases) {
    Spec s(elmo_spec_create(5000));
    ASSERT_TRUE(s);
    elmo_spec_phase p = s->phases[0];
    p.start_sec = 60;
    snprintf(p.name, sizeof(p.name), "second");
    ASSERT_EQ(elmo_spec_add_phase(s.get(), &p, nullptr), ELMO_OK);
    ExpectMutationRejected(s.get(), c);
    EXPECT_EQ(elmo_spec_save(s.get(), "/nonexistent-dir/x.json", nullptr), c.rc) << c.what;
  }
}

// ---- files -------------------------------------------------------------------------------------

TEST(SpecFile, SaveLoad) {
  char dir[] = "/tmp/elmo_spec_test_XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string path = std::string(dir) + "/spec.json";
  Spec s = Parse(kMixgraph);
  ASSERT_TRUE(s);
  elmo_error err;
  ASSERT_EQ(elmo_spec_save(s.get(), path.c_str(), &err), ELMO_OK) << err.message;
  elmo_spec* loaded = nullptr;
  ASSERT_EQ(elmo_spec_load(path.c_str(), &loaded, &err), ELMO_OK) << err.message;
  Spec back(loaded);
  ExpectSpecEq(*s, *back);
  // a bad file: the path, then the field
  FILE* f = fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  fputs(One(R"("duration_sec":1,"mix":{"get":2})").c_str(), f);
  fclose(f);
  EXPECT_EQ(elmo_spec_load(path.c_str(), &loaded, &err), ELMO_ERANGE);
  EXPECT_EQ(loaded, nullptr);
  EXPECT_NE(std::string(err.message).find(path + ": phases[0].mix.get: 2 is out of range"),
            std::string::npos)
      << err.message;
  // too big
  f = fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::string big(ELMO_SPEC_JSON_MAX + 10, ' ');
  fwrite(big.data(), 1, big.size(), f);
  fclose(f);
  EXPECT_EQ(elmo_spec_load(path.c_str(), &loaded, &err), ELMO_ETOOBIG) << err.message;
  unlink(path.c_str());
  EXPECT_EQ(elmo_spec_load(path.c_str(), &loaded, &err), ELMO_EIO);
  EXPECT_NE(std::string(err.message).find(path), std::string::npos) << err.message;
  EXPECT_EQ(elmo_spec_save(s.get(), (std::string(dir) + "/no/such/dir.json").c_str(), &err),
            ELMO_EIO);
  rmdir(dir);
}

TEST(SpecOps, Names) {
  const char* want[] = {"get", "put", "delete", "seek", "merge", "multiget"};
  for (int op = 0; op < ELMO_SPEC_OP_COUNT; op++) {
    EXPECT_STREQ(elmo_spec_op_name(static_cast<elmo_spec_op>(op)), want[op]);
  }
  EXPECT_EQ(elmo_spec_op_name(static_cast<elmo_spec_op>(ELMO_SPEC_OP_COUNT)), nullptr);
}

}  // namespace
