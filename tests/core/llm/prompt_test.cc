// prompt_test.cc — the advisor's prompts: the sections of each kind and strategy, the rules and
// answer format of the system message, which options are listed and how, chunking, determinism,
// bad input and strategy names. (Budget and content details: prompt_content_test.cc.)
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "elmo/answer.h"
#include "prompt_test_util.h"

namespace prompt_test {
namespace {

// ---- sections per kind and strategy ------------------------------------------------------------

struct VariantCase {
  const char* name;
  elmo_prompt_kind kind;
  elmo_prompt_strategy strategy;
  std::vector<std::string> present;  // in every request's user message
  std::vector<std::string> absent;   // in none
};

// clang-format off
const std::vector<std::string> kCommon = {
    "## System\n", "## Workload\n", "## Objective\n", "## Current options\n",
    "## Results so far\n", "## Rejected last time\n", "## Task\n"};

const VariantCase kVariantCases[] = {
    {"full-history", ELMO_PROMPT_TUNE, ELMO_STRATEGY_FULL_HISTORY,
     {"## Telemetry\n", "| 0 | ok |", "| 1 | ok |", "results of every iteration"},
     {"## Changes since", "### CPU", "Chunk ", "before:"}},
    {"chunked", ELMO_PROMPT_TUNE, ELMO_STRATEGY_CHUNKED,
     {"| 1 | ok |", "This is chunk ", "Latest run only"},
     {"## Telemetry", "## Changes since", "### CPU", "| 0 | ok |"}},
    {"last-diff", ELMO_PROMPT_TUNE, ELMO_STRATEGY_LAST_DIFF,
     {"## Changes since the previous configuration\n", "max_background_jobs: 2 -> 4",
      "| 1 | ok |", "latest run"},
     {"## Telemetry", "### CPU", "| 0 | ok |", "Chunk "}},
    {"by-resource", ELMO_PROMPT_TUNE, ELMO_STRATEGY_BY_RESOURCE,
     {"### CPU\n", "### Memory\n", "### Storage\n", "## Telemetry\n",
      "Utilisation: 4 CPUs; last run used 91% of the CPU limit.",
      "Utilisation: limit 4 GiB; last run peaked at 1.5 GiB.", "| 0 | ok |", "bottleneck"},
     {"## Changes since", "Chunk "}},
    {"finetune", ELMO_PROMPT_FINETUNE, ELMO_STRATEGY_FULL_HISTORY,
     {"## Telemetry\n", "changed in this iteration", "before: 2", "Refine only"},
     {"## Changes since", "### CPU", "drop in throughput"}},
    {"drop", ELMO_PROMPT_DROP, ELMO_STRATEGY_FULL_HISTORY,
     {"## Telemetry\n", "preceded a drop in throughput", "before: 2", "revert"},
     {"## Changes since", "### CPU", "changed in this iteration"}},
    {"realtime", ELMO_PROMPT_REALTIME, ELMO_STRATEGY_FULL_HISTORY,
     {"## Telemetry\n", "Only runtime-mutable options are listed", "shifted"},
     {"## Changes since", "### CPU", "needs reopen", "before:"}},
};
// clang-format on

TEST_F(PromptTest, EachVariantHasItsSectionsAndNoOthers) {
  for (const VariantCase& c : kVariantCases) {
    SCOPED_TRACE(c.name);
    in_.kind = c.kind;
    in_.strategy = c.strategy;
    Built b = Build(in_);
    ASSERT_EQ(b.rc, ELMO_OK) << b.message;
    ASSERT_FALSE(b.requests.empty());
    for (const Request& r : b.requests) {
      for (const std::string& s : kCommon) EXPECT_TRUE(Has(r.user, s)) << s << "\n" << r.user;
      for (const std::string& s : c.present) EXPECT_TRUE(Has(r.user, s)) << s << "\n" << r.user;
      for (const std::string& s : c.absent) EXPECT_FALSE(Has(r.user, s)) << s << "\n" << r.user;
      EXPECT_EQ(Count(r.user, "## Task\n"), 1u);
      EXPECT_FALSE(Has(r.system + r.user, "${")) << "an unfilled template slot";
    }
  }
}

TEST_F(PromptTest, SectionsComeInOrder) {
  Built b = Build(in_);
  ASSERT_EQ(b.rc, ELMO_OK) << b.message;
  const std::string& u = b.requests[0].user;
  const char* order[] = {
      "## System",         "## Workload",           "## Objective", "## Current options",
      "## Results so far", "## Rejected last time", "## Telemetry", "## Task"};
  size_t last = 0;
  for (const char* h : order) {
    size_t at = u.find(h);
    ASSERT_NE(at, std::string::npos) << h;
    EXPECT_GE(at, last) << h;
    last = at;
  }
}

TEST_F(PromptTest, SystemMessageStatesRulesAndAnswerFormat) {
  for (const VariantCase& c : kVariantCases) {
    SCOPED_TRACE(c.name);
    in_.kind = c.kind;
    in_.strategy = c.strategy;
    in_.max_changes = 3;
    Built b = Build(in_);
    ASSERT_EQ(b.rc, ELMO_OK) << b.message;
    const std::string& s = b.requests[0].system;
    for (const char* want : {"RocksDB 7.8.3", "at most 3 options", "locked", "exactly one",
                             "```ini\n[DBOptions]\n", "[CFOptions \"default\"]",
                             "[TableOptions/BlockBasedTable \"default\"]", "integer bytes"}) {
      EXPECT_TRUE(Has(s, want)) << want << "\n" << s;
    }
    EXPECT_EQ(Has(s, "only runtime-mutable options"), c.kind == ELMO_PROMPT_REALTIME);
    EXPECT_EQ(Has(s, "one chunk of the options"),
              c.strategy == ELMO_STRATEGY_CHUNKED && c.kind == ELMO_PROMPT_TUNE);
    // The example block is in the format the answer parser reads.
    elmo_assignment_list* list = nullptr;
    ASSERT_EQ(elmo_answer_extract(s.data(), s.size(), &list, nullptr), ELMO_OK);
    ASSERT_EQ(list->count, 3u);
    EXPECT_STREQ(list->items[0].key, "max_background_jobs");
    EXPECT_EQ(list->items[0].section, ELMO_HINT_DB);
    EXPECT_EQ(list->items[1].section, ELMO_HINT_CF);
    EXPECT_EQ(list->items[2].section, ELMO_HINT_TABLE);
    elmo_assignment_list_destroy(list);
  }
}

TEST_F(PromptTest, MaxChangesDefaultsToTen) {
  in_.max_changes = 0;
  Built b = Build(in_);
  ASSERT_EQ(b.rc, ELMO_OK);
  EXPECT_TRUE(Has(b.requests[0].system, "at most 10 options"));
  EXPECT_TRUE(Has(b.requests[0].user, "(at most 10)"));
}

// ---- which options are listed ------------------------------------------------------------------

TEST_F(PromptTest, TuneListsTheRelevantOptions) {
  const std::set<std::string> pins = {"block_size", "max_open_files"};
  for (elmo_prompt_strategy s : {ELMO_STRATEGY_FULL_HISTORY, ELMO_STRATEGY_LAST_DIFF}) {
    in_.strategy = s;
    Built b = Build(in_);
    ASSERT_EQ(b.rc, ELMO_OK) << b.message;
    EXPECT_EQ(Listed(b.requests[0].user), Relevant(cat_, current_.get(), false, pins));
  }
  in_.strategy = ELMO_STRATEGY_BY_RESOURCE;  // the same options, grouped
  Built b = Build(in_);
  std::vector<std::string> grouped = Listed(b.requests[0].user);
  std::vector<std::string> flat = Relevant(cat_, current_.get(), false, pins);
  std::sort(grouped.begin(), grouped.end());
  std::sort(flat.begin(), flat.end());
  EXPECT_EQ(grouped, flat);
}

struct ListedCase {
  const char* option;
  bool listed;
  const char* why;
};

TEST_F(PromptTest, ListedOrNotAndHowTheLineReads) {
  const ListedCase cases[] = {
      {"write_buffer_size", true, "memory, numeric"},
      {"use_direct_reads", true, "storage, bool"},
      {"compression", true, "storage, enum"},
      {"filter_policy", true, "an object, but the current file sets it"},
      {"paranoid_checks", false, "locked by the catalog"},
      {"wal_recovery_mode", false, "locked by the catalog"},
      {"use_direct_writes", false, "deprecated"},
      {"block_size", false, "pinned by the user"},
      {"max_open_files", false, "pinned by the user"},
      {"db_host_id", false, "a string of the advanced class at its default"},
  };
  Built b = Build(in_);
  ASSERT_EQ(b.rc, ELMO_OK) << b.message;
  std::vector<std::string> listed = Listed(b.requests[0].user);
  for (const ListedCase& c : cases) {
    bool found = std::find(listed.begin(), listed.end(), c.option) != listed.end();
    EXPECT_EQ(found, c.listed) << c.option << ": " << c.why;
  }
  const std::string opts = OptionsSection(b.requests[0].user);
  for (const char* line :
       {"- write_buffer_size=67108864 (64 MiB)  (range [65536, 4294967296], runtime-mutable)\n",
        "- max_background_jobs=4  (range [1, 64], runtime-mutable)\n",
        "- use_direct_reads=false  (needs reopen)\n",
        "- data_block_hash_table_util_ratio=0.750000  (range [0.1, 1], needs reopen)\n",
        "- compaction_pri=kMinOverlappingRatio  (one of kByCompensatedSize|",
        "Section [DBOptions]:\n", "Section [CFOptions \"default\"]:\n",
        "Section [TableOptions/BlockBasedTable \"default\"]:\n"}) {
    EXPECT_TRUE(Has(opts, line)) << line;
  }
}

TEST_F(PromptTest, RealtimeListsOnlyRuntimeMutableOptions) {
  in_.kind = ELMO_PROMPT_REALTIME;
  Built b = Build(in_);
  ASSERT_EQ(b.rc, ELMO_OK) << b.message;
  std::vector<std::string> listed = Listed(b.requests[0].user);
  EXPECT_EQ(listed, Relevant(cat_, current_.get(), true, {"block_size", "max_open_files"}));
  for (const std::string& name : listed) {
    const elmo_option_info* o = FindLive(cat_, name);
    ASSERT_NE(o, nullptr) << name;
    EXPECT_TRUE(o->flags & ELMO_OPT_MUTABLE) << name << " needs a reopen";
  }
  auto has = [&](const char* n) {
    return std::find(listed.begin(), listed.end(), n) != listed.end();
  };
  EXPECT_TRUE(has("write_buffer_size"));
  EXPECT_TRUE(has("max_background_jobs"));
  EXPECT_FALSE(has("use_direct_reads"));
  EXPECT_FALSE(has("allow_mmap_reads"));
  EXPECT_FALSE(has("num_levels"));
}

TEST_F(PromptTest, FinetuneAndDropListOnlyTheFocusOptions) {
  const char* focus[] = {"write_buffer_size", "compression", "max_background_jobs",
                         "write_buffer_size"};
  in_.focus = focus;
  in_.n_focus = 4;  // a repeated name is listed once
  for (elmo_prompt_kind k : {ELMO_PROMPT_FINETUNE, ELMO_PROMPT_DROP}) {
    in_.kind = k;
    Built b = Build(in_);
    ASSERT_EQ(b.rc, ELMO_OK) << b.message;
    const std::string& u = b.requests[0].user;
    EXPECT_EQ(Listed(u), (std::vector<std::string>{"write_buffer_size", "compression",
                                                   "max_background_jobs"}));
    EXPECT_TRUE(Has(u, "- compression=kLZ4Compression  (before: kSnappyCompression,"));
    EXPECT_TRUE(Has(u, "- max_background_jobs=4  (before: 2, range [1, 64], runtime-mutable)"));
    EXPECT_TRUE(Has(u, "- write_buffer_size=67108864 (64 MiB)  (before: 67108864 (64 MiB),"));
  }
  in_.previous = nullptr;  // no earlier configuration: say so
  Built b = Build(in_);
  ASSERT_EQ(b.rc, ELMO_OK);
  EXPECT_TRUE(Has(b.requests[0].user, "(value before unknown,"));
}

TEST_F(PromptTest, FocusMustNameKnownOptions) {
  const char* typo[] = {"max_background_job"};
  in_.kind = ELMO_PROMPT_FINETUNE;
  in_.focus = typo;
  in_.n_focus = 1;
  Built b = Build(in_);
  EXPECT_EQ(b.rc, ELMO_EINVAL);
  EXPECT_TRUE(Has(b.message, "'max_background_job'")) << b.message;
  EXPECT_TRUE(Has(b.message, "did you mean max_background_jobs")) << b.message;
  in_.n_focus = 0;
  b = Build(in_);
  EXPECT_EQ(b.rc, ELMO_EINVAL);
  EXPECT_TRUE(Has(b.message, "focus")) << b.message;
}

// ---- chunks -----------------------------------------------------------------------------------

TEST_F(PromptTest, ChunksCoverEveryRelevantOptionExactlyOnce) {
  in_.strategy = ELMO_STRATEGY_FULL_HISTORY;
  const std::vector<std::string> all = Listed(Build(in_).requests[0].user);
  ASSERT_GT(all.size(), 50u);
  const size_t sizes[] = {1, 7, 20, 0 /* default 20 */, 64, all.size(), all.size() + 5};
  for (size_t cs : sizes) {
    SCOPED_TRACE("chunk_size " + std::to_string(cs));
    in_.strategy = ELMO_STRATEGY_CHUNKED;
    in_.chunk_size = cs;
    Built b = Build(in_);
    ASSERT_EQ(b.rc, ELMO_OK) << b.message;
    size_t per = cs ? cs : 20;
    size_t n = (all.size() + per - 1) / per;
    ASSERT_EQ(b.requests.size(), n);
    std::vector<std::string> seen;
    for (size_t k = 0; k < n; k++) {
      const std::string& u = b.requests[k].user;
      std::string tag = "chunk " + std::to_string(k + 1) + " of " + std::to_string(n);
      EXPECT_TRUE(Has(u, "This is " + tag)) << tag;
      EXPECT_TRUE(Has(u, "C" + tag.substr(1))) << tag;
      std::vector<std::string> mine = Listed(u);
      EXPECT_EQ(mine.size(), k + 1 < n ? per : all.size() - per * (n - 1));
      seen.insert(seen.end(), mine.begin(), mine.end());
      EXPECT_EQ(b.requests[k].system, b.requests[0].system);
    }
    EXPECT_EQ(seen, all);  // every option once, in order
  }
}

// ---- determinism, bad input, the set, strategy names -------------------------------------------

TEST_F(PromptTest, BuildingTwiceGivesTheSameText) {
  for (const VariantCase& c : kVariantCases) {
    SCOPED_TRACE(c.name);
    in_.kind = c.kind;
    in_.strategy = c.strategy;
    Built a = Build(in_), b = Build(in_);
    ASSERT_EQ(a.rc, ELMO_OK);
    ASSERT_EQ(a.requests.size(), b.requests.size());
    for (size_t i = 0; i < a.requests.size(); i++) {
      EXPECT_EQ(a.requests[i].system, b.requests[i].system);
      EXPECT_EQ(a.requests[i].user, b.requests[i].user);
    }
  }
}

TEST_F(PromptTest, RejectsBadInput) {
  const struct {
    const char* name;
    void (*spoil)(elmo_prompt_input*);
    const char* message;
  } cases[] = {
      {"no system", [](elmo_prompt_input* in) { in->system = nullptr; }, "system"},
      {"no workload", [](elmo_prompt_input* in) { in->workload = nullptr; }, "workload"},
      {"empty workload", [](elmo_prompt_input* in) { in->workload = ""; }, "workload"},
      {"no catalog", [](elmo_prompt_input* in) { in->catalog = nullptr; }, "catalog"},
      {"no current", [](elmo_prompt_input* in) { in->current = nullptr; }, "current"},
      {"bad kind", [](elmo_prompt_input* in) { in->kind = static_cast<elmo_prompt_kind>(9); },
       "kind 9"},
      {"bad strategy",
       [](elmo_prompt_input* in) { in->strategy = static_cast<elmo_prompt_strategy>(0); },
       "strategy 0"},
      {"history NULL", [](elmo_prompt_input* in) { in->history = nullptr; }, "history 2"},
      {"locked NULL", [](elmo_prompt_input* in) { in->locked = nullptr; }, "locked 2"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    elmo_prompt_input in = in_;
    c.spoil(&in);
    Built b = Build(in);
    EXPECT_EQ(b.rc, ELMO_EINVAL);
    EXPECT_TRUE(Has(b.message, c.message)) << b.message;
  }
  elmo_prompt_set* set = reinterpret_cast<elmo_prompt_set*>(0x1);
  EXPECT_EQ(elmo_prompt_build(nullptr, &set, nullptr), ELMO_EINVAL);
  EXPECT_EQ(set, nullptr);
  EXPECT_EQ(elmo_prompt_build(&in_, nullptr, nullptr), ELMO_EINVAL);
}

TEST(PromptSet, NullAndOutOfRange) {
  size_t n = 7;
  EXPECT_EQ(elmo_prompt_set_count(nullptr), 0u);
  EXPECT_EQ(elmo_prompt_set_trimmed(nullptr), 0u);
  EXPECT_EQ(elmo_prompt_set_messages(nullptr, 0, &n), nullptr);
  EXPECT_EQ(n, 0u);
  elmo_prompt_set_destroy(nullptr);
}

TEST_F(PromptTest, MessagesOutOfRange) {
  elmo_prompt_set* set = nullptr;
  ASSERT_EQ(elmo_prompt_build(&in_, &set, nullptr), ELMO_OK);
  size_t n = 7;
  EXPECT_EQ(elmo_prompt_set_count(set), 1u);
  EXPECT_EQ(elmo_prompt_set_messages(set, 1, &n), nullptr);
  EXPECT_EQ(n, 0u);
  EXPECT_NE(elmo_prompt_set_messages(set, 0, nullptr), nullptr);
  elmo_prompt_set_destroy(set);
}

TEST(PromptStrategy, NamesAndParsing) {
  const struct {
    const char* text;
    elmo_rc rc;
    elmo_prompt_strategy want;
  } cases[] = {
      {"1", ELMO_OK, ELMO_STRATEGY_FULL_HISTORY},
      {"full-history", ELMO_OK, ELMO_STRATEGY_FULL_HISTORY},
      {"FULL_HISTORY", ELMO_OK, ELMO_STRATEGY_FULL_HISTORY},
      {"2", ELMO_OK, ELMO_STRATEGY_CHUNKED},
      {"chunked", ELMO_OK, ELMO_STRATEGY_CHUNKED},
      {"3", ELMO_OK, ELMO_STRATEGY_LAST_DIFF},
      {" last-diff\n", ELMO_OK, ELMO_STRATEGY_LAST_DIFF},
      {"4", ELMO_OK, ELMO_STRATEGY_BY_RESOURCE},
      {"By-Resource", ELMO_OK, ELMO_STRATEGY_BY_RESOURCE},
      {"0", ELMO_EINVAL, static_cast<elmo_prompt_strategy>(0)},
      {"5", ELMO_EINVAL, static_cast<elmo_prompt_strategy>(0)},
      {"chunk", ELMO_EINVAL, static_cast<elmo_prompt_strategy>(0)},
      {"", ELMO_EINVAL, static_cast<elmo_prompt_strategy>(0)},
      {nullptr, ELMO_EINVAL, static_cast<elmo_prompt_strategy>(0)},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text ? c.text : "NULL");
    elmo_prompt_strategy s = ELMO_STRATEGY_CHUNKED;
    elmo_error err;
    EXPECT_EQ(elmo_prompt_strategy_parse(c.text, &s, &err), c.rc);
    EXPECT_EQ(s, c.want);
    if (c.rc != ELMO_OK) {
      EXPECT_TRUE(Has(err.message, "full-history")) << err.message;
    }
  }
  for (int s = 1; s <= 4; s++) {
    elmo_prompt_strategy back;
    const char* name = elmo_prompt_strategy_name(static_cast<elmo_prompt_strategy>(s));
    ASSERT_EQ(elmo_prompt_strategy_parse(name, &back, nullptr), ELMO_OK) << name;
    EXPECT_EQ(back, s);
  }
  EXPECT_STREQ(elmo_prompt_strategy_name(static_cast<elmo_prompt_strategy>(9)), "unknown");
}

}  // namespace
}  // namespace prompt_test
