// prompt_content_test.cc — what goes into a prompt: the token budget (oldest history first, then
// the least relevant options, else ETOOBIG), quoted verdicts, user pins, the memory limit and
// other system facts, history rows, and missing optional input.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "prompt_test_util.h"

namespace prompt_test {
namespace {

// ---- the token budget -------------------------------------------------------------------------

class PromptBudgetTest : public PromptTest {
 protected:
  void SetUp() override {
    PromptTest::SetUp();
    reasons_.resize(30);
    history_.clear();
    for (int i = 0; i < 30; i++) {
      reasons_[i] = "iteration " + std::to_string(i) + " reasoning: " + std::string(200, 'x');
      history_.push_back({i, "ok", nullptr, 1000.0 * i, 0, 500, 0, 50, UINT64_C(1) << 30, 1, 5,
                          "write_buffer_size: 64 MiB -> 128 MiB", nullptr});
      history_.back().reasoning = reasons_[i].c_str();
    }
    in_.history = history_.data();
    in_.n_history = history_.size();
  }
  std::vector<std::string> reasons_;
};

TEST_F(PromptBudgetTest, DropsOldestHistoryFirst) {
  Built full = Build(in_);
  ASSERT_EQ(full.rc, ELMO_OK);
  ASSERT_EQ(full.trimmed, 0u);
  const size_t n_opts = Listed(full.requests[0].user).size();
  const size_t need = full.requests[0].tokens;
  size_t last_trimmed = 30;
  for (size_t cut : {size_t{1}, size_t{100}, size_t{500}, size_t{1500}}) {
    SCOPED_TRACE("budget " + std::to_string(need - cut));
    in_.token_budget = need - cut;
    Built b = Build(in_);
    ASSERT_EQ(b.rc, ELMO_OK) << b.message;
    const std::string& u = b.requests[0].user;
    EXPECT_LE(b.requests[0].tokens, in_.token_budget);
    EXPECT_GT(b.trimmed, 0u);
    EXPECT_LT(b.trimmed, 30u);
    EXPECT_LE(last_trimmed == 30 ? 0 : last_trimmed, b.trimmed);  // tighter budget, more trimmed
    last_trimmed = b.trimmed;
    EXPECT_TRUE(Has(u, "(" + std::to_string(b.trimmed) + " earlier iteration(s) omitted"));
    for (size_t i = 0; i < 30; i++) {
      EXPECT_EQ(Has(u, "iteration " + std::to_string(i) + " reasoning"), i >= b.trimmed) << i;
    }
    EXPECT_EQ(Listed(u).size(), n_opts) << "options are cut only after all history is gone";
  }
}

TEST_F(PromptBudgetTest, CutsOptionsAfterHistoryKeepingTheSetOnes) {
  in_.n_history = 0;
  Built nohist = Build(in_);
  const size_t n_opts = Listed(nohist.requests[0].user).size();
  in_.n_history = 30;
  in_.token_budget = nohist.requests[0].tokens - 200;
  Built b = Build(in_);
  ASSERT_EQ(b.rc, ELMO_OK) << b.message;
  EXPECT_EQ(b.trimmed, 30u);
  EXPECT_LE(b.requests[0].tokens, in_.token_budget);
  const std::string& u = b.requests[0].user;
  std::vector<std::string> listed = Listed(u);
  EXPECT_LT(listed.size(), n_opts);
  EXPECT_TRUE(Has(u, "(" + std::to_string(n_opts - listed.size()) + " less relevant option(s)"));
  EXPECT_TRUE(Has(u, "(30 earlier iteration(s) omitted"));
  // Options the current file sets away from the default are kept longest.
  for (const char* set : {"max_background_jobs", "compression", "filter_policy",
                          "cache_index_and_filter_blocks", "max_write_buffer_number"}) {
    EXPECT_NE(std::find(listed.begin(), listed.end(), set), listed.end()) << set;
  }
}

TEST_F(PromptBudgetTest, TooBigWhenEvenTheSmallestPromptDoesNotFit) {
  const struct {
    elmo_prompt_kind kind;
    elmo_prompt_strategy strategy;
  } cases[] = {{ELMO_PROMPT_TUNE, ELMO_STRATEGY_FULL_HISTORY},
               {ELMO_PROMPT_TUNE, ELMO_STRATEGY_CHUNKED},
               {ELMO_PROMPT_FINETUNE, ELMO_STRATEGY_FULL_HISTORY}};
  for (const auto& c : cases) {
    SCOPED_TRACE(elmo_prompt_strategy_name(c.strategy));
    in_.kind = c.kind;
    in_.strategy = c.strategy;
    in_.token_budget = 300;
    Built b = Build(in_);
    EXPECT_EQ(b.rc, ELMO_ETOOBIG);
    EXPECT_TRUE(Has(b.message, "token_budget is 300")) << b.message;
    EXPECT_TRUE(Has(b.message, "system ")) << b.message;
  }
}

TEST_F(PromptBudgetTest, ChunkedRequestsEachFitTheBudget) {
  in_.strategy = ELMO_STRATEGY_CHUNKED;
  in_.chunk_size = 10;
  in_.token_budget = 1400;
  Built b = Build(in_);
  ASSERT_EQ(b.rc, ELMO_OK) << b.message;
  ASSERT_GT(b.requests.size(), 5u);
  for (const Request& r : b.requests) EXPECT_LE(r.tokens, 1400u);
}

TEST(PromptEstimate, BytesOverFourRoundedUp) {
  const struct {
    const char* text;
    size_t tokens;
  } cases[] = {{nullptr, 0}, {"", 0}, {"a", 1}, {"abcd", 1}, {"abcde", 2}, {"12345678", 2}};
  for (const auto& c : cases) {
    EXPECT_EQ(elmo_prompt_estimate_tokens(c.text), c.tokens) << (c.text ? c.text : "NULL");
  }
}

// ---- rejected verdicts, pins, limits ----------------------------------------------------------

struct RejectedCase {
  const char* name;
  const char* json;
  std::vector<std::string> quoted;  // empty: no section at all
};

TEST_F(PromptTest, QuotesTheRejectedChanges) {
  const RejectedCase cases[] = {
      {"calibrator verdicts",
       kRejected,
       {"- cache_size=64GB: block cache 64 GiB exceeds the memory limit 4 GiB\n",
        "- use_direct_writes=true: deprecated: no effect in 7.8.3\n"}},
      {"reason missing: the code",
       R"({"rejected":[{"key":"x_y","value":"1","code":"not found"}]})",
       {"- x_y=1: not found\n"}},
      {"a bare array",
       R"([{"key":"a_b","value":"2","reason":"out of range"}])",
       {"- a_b=2: out of range\n"}},
      {"nothing rejected", R"({"accepted":[],"rejected":[]})", {}},
      {"not JSON", "rejected: everything", {}},
      {"empty", "", {}},
      {"NULL", nullptr, {}},
  };
  for (const RejectedCase& c : cases) {
    SCOPED_TRACE(c.name);
    in_.rejected = c.json;
    Built b = Build(in_);
    ASSERT_EQ(b.rc, ELMO_OK) << b.message;
    const std::string& u = b.requests[0].user;
    EXPECT_EQ(Has(u, "## Rejected last time"), !c.quoted.empty());
    for (const std::string& q : c.quoted) EXPECT_TRUE(Has(u, q)) << q << "\n" << u;
    EXPECT_FALSE(Has(u, "max_background_jobs=4: ")) << "accepted changes are not quoted";
  }
}

TEST_F(PromptTest, QuotesAtMostTwentyRejectedChanges) {
  std::string json = R"({"rejected":[)";
  for (int i = 0; i < 25; i++) {
    json += std::string(i ? "," : "") + R"({"key":"k)" + std::to_string(i) +
            R"(","value":"v","reason":"r"})";
  }
  json += "]}";
  in_.rejected = json.c_str();
  Built b = Build(in_);
  ASSERT_EQ(b.rc, ELMO_OK);
  EXPECT_TRUE(Has(b.requests[0].user, "- k19=v: r\n"));
  EXPECT_FALSE(Has(b.requests[0].user, "- k20=v: r\n"));
  EXPECT_TRUE(Has(b.requests[0].user, "(5 more rejected changes not shown)"));
}

TEST_F(PromptTest, NamesTheUserPinsWithTheirValues) {
  const char* pins[] = {"block_size", "max_open_files", "not_an_option"};
  in_.locked = pins;
  in_.n_locked = 3;
  Built b = Build(in_);
  ASSERT_EQ(b.rc, ELMO_OK);
  EXPECT_TRUE(Has(b.requests[0].system,
                  "pinned these options; they are locked as well: block_size=16384, "
                  "max_open_files=-1, not_an_option."))
      << b.requests[0].system;
  in_.n_locked = 0;
  b = Build(in_);
  EXPECT_FALSE(Has(b.requests[0].system, "pinned"));
}

struct MemoryCase {
  uint64_t bytes;
  const char* human;  // nullptr: no limit stated
};

TEST_F(PromptTest, StatesTheMemoryLimitInHumanUnits) {
  const MemoryCase cases[] = {{UINT64_C(4) << 30, "4 GiB"},
                              {UINT64_C(1536) << 20, "1.5 GiB"},
                              {UINT64_C(512) << 20, "512 MiB"},
                              {0, nullptr}};
  for (const MemoryCase& c : cases) {
    SCOPED_TRACE(c.bytes);
    sys_.memory_bytes = c.bytes;
    Built b = Build(in_);
    ASSERT_EQ(b.rc, ELMO_OK);
    const Request& r = b.requests[0];
    if (c.human != nullptr) {
      EXPECT_TRUE(Has(r.system, std::string("memory limit of ") + c.human + ":")) << r.system;
      EXPECT_TRUE(Has(r.user, std::string("- Memory limit: ") + c.human + "\n"));
    } else {
      EXPECT_FALSE(Has(r.system + r.user, "limit of"));
      EXPECT_FALSE(Has(r.user, "Memory limit"));
      EXPECT_TRUE(Has(r.system, "Keep memory use in proportion"));
    }
  }
}

TEST_F(PromptTest, SystemFactsSkipZeroFields) {
  struct {
    elmo_system_facts facts;
    std::vector<std::string> present, absent;
  } cases[] = {
      {{4, 0, nullptr, 1800, 0, nullptr, 0},
       {"- CPUs: 4\n", "throughput: read 1800 MB/s\n"},
       {"Memory limit", "Storage:", "write ", "I/O mode", "Data set"}},
      {{0, 0, "HDD", 0, 120.4, "direct", UINT64_C(3) << 40},
       {"- Storage: HDD\n", "throughput: write 120 MB/s\n", "- I/O mode: direct\n",
        "- Data set size: 3 TiB\n"},
       {"CPUs", "read "}},
      {{0, 0, "", 0, 0, "", 0}, {"(no facts about the machine were given)"}, {"- CPUs"}},
  };
  for (auto& c : cases) {
    sys_ = c.facts;
    Built b = Build(in_);
    ASSERT_EQ(b.rc, ELMO_OK);
    std::string facts = b.requests[0].user.substr(0, b.requests[0].user.find("## Workload"));
    for (const std::string& s : c.present) EXPECT_TRUE(Has(facts, s)) << s << "\n" << facts;
    for (const std::string& s : c.absent) EXPECT_FALSE(Has(facts, s)) << s << "\n" << facts;
  }
}

// ---- history rows and optional input ----------------------------------------------------------

TEST_F(PromptTest, HistoryRowsAreOneLineEach) {
  std::string long_reason(1000, 'r');
  history_.push_back({2, "failed", "RocksDB refused the options:\nInvalid argument", 0, 0, 0, 0, 0,
                      0, 0, 0, "compression: kLZ4Compression -> kZSTD\n\n  block_size: 4 KiB",
                      long_reason.c_str()});
  in_.history = history_.data();
  in_.n_history = history_.size();
  Built b = Build(in_);
  ASSERT_EQ(b.rc, ELMO_OK);
  const std::string& u = b.requests[0].user;
  EXPECT_TRUE(Has(u, "| 0 | ok | 50000 | 850.5 | 80 | 1 GiB | 3.2 | (baseline) | - |\n"));
  EXPECT_TRUE(Has(u,
                  "| 1 | ok | 62000 | 700.0 | 91 | 1.5 GiB | 1.0 | max_background_jobs: 2 -> 4; "
                  "write_buffer_size: 64 MiB -> 128 MiB | More background threads \\| larger "
                  "memtables. |\n"));
  EXPECT_TRUE(Has(u,
                  "| 2 | failed: RocksDB refused the options: Invalid argument | - | - | - | "
                  "- | - | compression: kLZ4Compression -> kZSTD; block_size: 4 KiB | rrr"));
  EXPECT_TRUE(Has(u, std::string(300, 'r') + "... |\n"));  // 300 bytes at most
  EXPECT_FALSE(Has(u, std::string(301, 'r')));
}

TEST_F(PromptTest, HandlesMissingOptionalInput) {
  Optfile sparse(elmo_optfile_create());
  in_.current = sparse.get();
  in_.previous = nullptr;
  in_.history = nullptr;
  in_.n_history = 0;
  in_.rejected = nullptr;
  in_.locked = nullptr;
  in_.n_locked = 0;
  in_.telemetry = nullptr;
  in_.objective = nullptr;
  in_.token_budget = 0;  // default 6000
  in_.chunk_size = 0;
  const struct {
    elmo_prompt_kind kind;
    elmo_prompt_strategy strategy;
    const char* expect;
  } cases[] = {
      {ELMO_PROMPT_TUNE, ELMO_STRATEGY_FULL_HISTORY, "No run has finished yet."},
      {ELMO_PROMPT_TUNE, ELMO_STRATEGY_LAST_DIFF, "(no earlier configuration to compare with)"},
      {ELMO_PROMPT_TUNE, ELMO_STRATEGY_BY_RESOURCE, "(no telemetry was collected)"},
      {ELMO_PROMPT_TUNE, ELMO_STRATEGY_CHUNKED, "Chunk 1 of "},
      {ELMO_PROMPT_REALTIME, ELMO_STRATEGY_FULL_HISTORY, "(no telemetry was collected)"},
      {ELMO_PROMPT_FINETUNE, ELMO_STRATEGY_FULL_HISTORY, "(value before unknown"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.expect);
    in_.kind = c.kind;
    in_.strategy = c.strategy;
    Built b = Build(in_);
    ASSERT_EQ(b.rc, ELMO_OK) << b.message;
    const std::string& u = b.requests[0].user;
    EXPECT_TRUE(Has(u, c.expect)) << u;
    EXPECT_TRUE(Has(u, "Optimise throughput (operations per second)"));
    EXPECT_FALSE(Has(u, "## Rejected last time"));
    EXPECT_FALSE(Has(b.requests[0].system, "pinned"));
    EXPECT_LE(b.requests[0].tokens, 6000u);
    if (c.kind != ELMO_PROMPT_FINETUNE) {  // defaults stand in for a sparse file
      EXPECT_TRUE(Has(u, "- write_buffer_size=67108864 (64 MiB)") ||
                  c.strategy == ELMO_STRATEGY_CHUNKED);
    }
  }
}

TEST_F(PromptTest, LastDiffSaysWhenNothingChanged) {
  in_.strategy = ELMO_STRATEGY_LAST_DIFF;
  Optfile now(elmo_optfile_create()), before(elmo_optfile_create());
  ASSERT_EQ(
      elmo_optfile_set(now.get(), ELMO_SECTION_DB, nullptr, "max_background_jobs", "2", nullptr),
      ELMO_OK);
  in_.current = now.get();      // sets the default explicitly ...
  in_.previous = before.get();  // ... where the file before said nothing
  Built b = Build(in_);
  ASSERT_EQ(b.rc, ELMO_OK) << b.message;
  EXPECT_TRUE(Has(b.requests[0].user, "(the configuration did not change)")) << b.requests[0].user;
}

TEST_F(PromptTest, ObjectiveAndStrategyOfOtherKinds) {
  in_.objective = "p99 latency";
  in_.kind = ELMO_PROMPT_FINETUNE;
  in_.strategy = static_cast<elmo_prompt_strategy>(77);  // ignored outside TUNE
  Built b = Build(in_);
  ASSERT_EQ(b.rc, ELMO_OK) << b.message;
  EXPECT_TRUE(Has(b.requests[0].user, "Optimise p99 latency, staying within"));
  EXPECT_TRUE(Has(b.requests[0].user, "better for p99 latency."));
}

}  // namespace
}  // namespace prompt_test
