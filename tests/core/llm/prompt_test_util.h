// prompt_test_util.h — the fixture and helpers shared by prompt_test.cc and
// prompt_content_test.cc: a complete prompt input around the OPTIONS fixtures, a builder that
// returns the requests as strings, and readers for the option list of a user message.
#ifndef ELMO_TESTS_PROMPT_TEST_UTIL_H
#define ELMO_TESTS_PROMPT_TEST_UTIL_H

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "elmo/catalog.h"
#include "elmo/optfile.h"
#include "elmo/prompt.h"
#include "catalog_fixture.h"
#include "handles.h"

#ifndef ELMO_TEST_FIXTURES
#error "ELMO_TEST_FIXTURES must name the tests/fixtures directory"
#endif

namespace prompt_test {

using elmo_test::Optfile;

inline Optfile Load(const char* name) {
  elmo_optfile* f = nullptr;
  elmo_error err;
  std::string path = std::string(ELMO_TEST_FIXTURES) + "/options/" + name;
  EXPECT_EQ(elmo_optfile_load(path.c_str(), &f, &err), ELMO_OK) << err.message;
  return Optfile(f);
}

inline const elmo_catalog* Catalog() { return elmo_test::FixtureCatalog(); }

inline bool Has(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

inline size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) n++;
  return n;
}

// One request: its system and user text.
struct Request {
  std::string system, user;
  size_t tokens = 0;
};

struct Built {
  elmo_rc rc = ELMO_EINTERNAL;
  std::string message;
  std::vector<Request> requests;
  size_t trimmed = 0;
};

inline Built Build(const elmo_prompt_input& in) {
  Built b;
  elmo_prompt_set* set = reinterpret_cast<elmo_prompt_set*>(0x1);
  elmo_error err;
  elmo_error_clear(&err);
  b.rc = elmo_prompt_build(&in, &set, &err);
  b.message = err.message;
  if (b.rc != ELMO_OK) {
    EXPECT_EQ(set, nullptr) << "out must be NULL on error";
    EXPECT_EQ(err.code, b.rc);
    return b;
  }
  for (size_t i = 0; i < elmo_prompt_set_count(set); i++) {
    size_t n = 0;
    const elmo_message* m = elmo_prompt_set_messages(set, i, &n);
    EXPECT_EQ(n, 2u);
    EXPECT_EQ(m[0].role, ELMO_ROLE_SYSTEM);
    EXPECT_EQ(m[1].role, ELMO_ROLE_USER);
    Request r{m[0].content, m[1].content, 0};
    r.tokens =
        elmo_prompt_estimate_tokens(m[0].content) + elmo_prompt_estimate_tokens(m[1].content);
    b.requests.push_back(r);
  }
  b.trimmed = elmo_prompt_set_trimmed(set);
  elmo_prompt_set_destroy(set);
  return b;
}

// The text of the "## Current options" section of a user message.
inline std::string OptionsSection(const std::string& user) {
  size_t at = user.find("## Current options");
  if (at == std::string::npos) return "";
  size_t end = user.find("\n## ", at);
  return user.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

// The names of the options listed in a user message, in order.
inline std::vector<std::string> Listed(const std::string& user) {
  std::vector<std::string> names;
  std::istringstream in(OptionsSection(user));
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("- ", 0) != 0) continue;
    size_t eq = line.find('=');
    if (eq != std::string::npos) names.push_back(line.substr(2, eq - 2));
  }
  return names;
}

// The option of that name that is neither deprecated nor an alias (a few names exist in two
// sections, e.g. experimental_mempurge_threshold: deprecated in DBOptions, live in CFOptions).
inline const elmo_option_info* FindLive(const elmo_catalog* cat, const std::string& name) {
  for (int s : {ELMO_SECTION_DB, ELMO_SECTION_CF, ELMO_SECTION_TABLE}) {
    const elmo_option_info* o = elmo_catalog_find(cat, s, name.c_str());
    if (o != nullptr && !(o->flags & (ELMO_OPT_DEPRECATED | ELMO_OPT_ALIAS))) return o;
  }
  return nullptr;
}

// What the prompt promises to list for TUNE and REALTIME, computed from the catalog here.
inline std::vector<std::string> Relevant(const elmo_catalog* cat, const elmo_optfile* current,
                                         bool mutable_only, const std::set<std::string>& pins) {
  std::vector<std::string> names;
  for (size_t i = 0; i < elmo_catalog_count(cat); i++) {
    const elmo_option_info* o = elmo_catalog_at(cat, i);
    if (o->flags & (ELMO_OPT_LOCKED | ELMO_OPT_DEPRECATED | ELMO_OPT_ALIAS)) continue;
    if (mutable_only && !(o->flags & ELMO_OPT_MUTABLE)) continue;
    if (pins.count(o->name)) continue;
    bool tunable =
        (o->type == ELMO_OPT_BOOL || o->type == ELMO_OPT_INT || o->type == ELMO_OPT_UINT ||
         o->type == ELMO_OPT_DOUBLE || o->type == ELMO_OPT_ENUM) &&
        o->resource != ELMO_RES_ADVANCED;
    const char* v = current ? elmo_optfile_get(current, o->section, nullptr, o->name) : nullptr;
    bool set = v != nullptr && std::strcmp(v, o->default_value) != 0;
    if (tunable || set) names.push_back(o->name);
  }
  return names;
}

inline constexpr char kRejected[] = R"({
  "accepted": [{"option": "max_background_jobs", "from": "2", "to": "4", "line": 2}],
  "rejected": [
    {"key": "cache_size", "value": "64GB", "line": 3, "code": "over the resource budget",
     "reason": "block cache 64 GiB exceeds the memory limit 4 GiB"},
    {"key": "use_direct_writes", "value": "true", "line": 4, "code": "not found",
     "reason": "deprecated:\n  no effect in 7.8.3"}
  ],
  "unchanged": [], "memory": {"estimate": 1, "budget": 2, "over_budget": false}
})";

// A complete input around the fixtures; tests change what they look at.
class PromptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cat_ = Catalog();
    current_ = Load("rocksdb-7.8.3-tuned-2cf.ini");
    previous_ = Load("rocksdb-7.8.3-default.ini");
    sys_ = {4, UINT64_C(4) << 30, "NVMe SSD (/dev/vda, ext4)", 1800, 900, "buffered",
            UINT64_C(10) << 30};
    history_ = {
        {0, "ok", nullptr, 50000, 100, 850.5, 2000, 80, UINT64_C(1) << 30, 3.2, 8.1, nullptr,
         nullptr},
        {1, "ok", nullptr, 62000, 90, 700, 1500, 91, UINT64_C(1536) << 20, 1.0, 7.0,
         "max_background_jobs: 2 -> 4\nwrite_buffer_size: 64 MiB -> 128 MiB",
         "More background threads | larger memtables."},
    };
    in_ = elmo_prompt_input{};
    in_.kind = ELMO_PROMPT_TUNE;
    in_.strategy = ELMO_STRATEGY_FULL_HISTORY;
    in_.system = &sys_;
    in_.workload = "fillrandom then readrandom; 16-byte keys, 100-byte values, 50M keys";
    in_.catalog = cat_;
    in_.current = current_.get();
    in_.previous = previous_.get();
    in_.history = history_.data();
    in_.n_history = history_.size();
    in_.rejected = kRejected;
    in_.focus = focus_;
    in_.n_focus = 2;
    in_.locked = locked_;
    in_.n_locked = 2;
    in_.telemetry = "cpu 91%, iowait 3%, write stalls 1%";
    in_.token_budget = 100000;
  }

  const elmo_catalog* cat_ = nullptr;
  Optfile current_, previous_;
  elmo_system_facts sys_{};
  std::vector<elmo_trial_summary> history_;
  const char* focus_[2] = {"max_background_jobs", "write_buffer_size"};
  const char* locked_[2] = {"block_size", "max_open_files"};
  elmo_prompt_input in_{};
};

}  // namespace prompt_test

#endif  // ELMO_TESTS_PROMPT_TEST_UTIL_H
