// locale_test.cc — ELMo inside a host under a decimal-comma locale. locale_host (a C program that
// calls setlocale(LC_ALL, "")) runs with LC_ALL=de_DE.UTF-8 and the realtime tuner on; a fake LLM
// proposes two double options. What ELMo writes must carry '.': the SetOptions values in the
// journal, every journal and LOG line, and the OPTIONS file the tuner thread's SetOptions writes
// (RocksDB's std::to_string/std::stod run on ELMo's thread, which uses the "C" numeric locale).
// The OPTIONS file RocksDB writes at Open, on the host's thread, has "0,250000": that is RocksDB's
// own locale dependence, not changed here (docs/DESIGN.md, "Numbers are locale-free"). The tuner
// quotes those current values as RocksDB wrote them (a call's "old", the reasons), so the checks
// below blank those texts out first.
#include <cjson/cJSON.h>
#include <dirent.h>
#include <gtest/gtest.h>

#include <clocale>
#include <fstream>
#include <functional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "fake_llm_server.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "run_command.h"

namespace {

const char kLocale[] = "de_DE.UTF-8";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// Every string value in j (recursively).
void Strings(const cJSON* j, std::vector<std::string>* out) {
  if (cJSON_IsString(j)) out->push_back(j->valuestring);
  for (const cJSON* c = j->child; c != nullptr; c = c->next) Strings(c, out);
}

// A number written with a decimal comma: "0,5", "12,25" (not "a, b" or "[1, 2]").
const std::regex kCommaNumber("[0-9],[0-9]");

// text with every occurrence of each of quoted removed.
std::string Without(std::string text, const std::vector<std::string>& quoted) {
  for (const std::string& q : quoted) {
    for (size_t at; !q.empty() && (at = text.find(q)) != std::string::npos;) text.erase(at, q.size());
  }
  return text;
}

// The newest OPTIONS-NNNNNN file of dir.
// The DB's OPTIONS files (RocksDB keeps the two newest), as paths.
std::vector<std::string> OptionsFiles(const std::string& dir) {
  std::vector<std::string> out;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return out;
  while (struct dirent* e = readdir(d)) {
    std::string n = e->d_name;
    if (n.rfind("OPTIONS-", 0) == 0 && n.find(".dbtmp") == std::string::npos) out.push_back(dir + "/" + n);
  }
  closedir(d);
  return out;
}

TEST(Locale, AHostUnderADecimalCommaLocaleGetsValuesWithAPoint) {
  if (std::setlocale(LC_ALL, kLocale) == nullptr) GTEST_SKIP() << kLocale << " is not installed (build.sh makes it)";
  std::setlocale(LC_ALL, "C");
  const std::string dir = std::string(ELMO_TEST_WORK) + "/engine-locale-host";
  const std::string journal = dir + "/elmo_journal.jsonl";
  ASSERT_TRUE(rocksdb::DestroyDB(dir, rocksdb::Options()).ok());
  std::remove(journal.c_str());

  elmo_test::FakeLlmServer server;
  elmo_test::ScriptedResponse answer;
  // One option, so one SetOptions call writes one OPTIONS file with it; the host then closes the DB
  // mid-verdict and the restore writes the other one RocksDB keeps.
  answer.body = elmo_test::FakeLlmServer::OpenAiAnswer(
      "```ini\n[CFOptions \"default\"]\nmemtable_prefix_bloom_size_ratio=0.1\n```");
  server.SetDefault(answer);
  const std::string cmd = "env LC_ALL=" + std::string(kLocale) + " ELMO_BASE_URL=" + server.base_url_openai() +
                          " ELMO_OPTIONS='elmo_autotune=true;elmo_interval_sec=1;elmo_baseline_window=1;"
                          "elmo_min_interval_ops=100;elmo_llm=openai:fake-model' " +
                          ELMO_LOCALE_HOST + " " + dir + " " + journal;
  elmo_test::CommandResult r = elmo_test::RunCommand(cmd);
  ASSERT_EQ(r.status, 0) << cmd << "\n" << r.out;
  // The host really ran in the locale: its own printf wrote a comma.
  EXPECT_NE(r.out.find("printf %g of 0.5: 0,5"), std::string::npos) << r.out;

  // The journal: JSON lines; the applied calls carry ELMo's values with a point; no string in
  // any record has a decimal comma (reasons, notes, values).
  int applied_calls = 0;
  std::vector<std::string> rocksdb_texts;  // the "old" values: RocksDB's OPTIONS text, as written
  const std::vector<std::string> lines = Lines(ReadAll(journal));
  for (const std::string& line : lines) {
    cJSON* j = cJSON_Parse(line.c_str());
    ASSERT_NE(j, nullptr) << "not JSON: " << line;
    const cJSON* item = nullptr;
    for (const char* list : {"calls", "items"}) {
      cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(j, list)) {
        const cJSON* old = cJSON_GetObjectItemCaseSensitive(item, "old");
        if (cJSON_IsString(old)) rocksdb_texts.push_back(old->valuestring);
      }
    }
    cJSON_Delete(j);
  }
  for (const std::string& line : lines) {
    cJSON* j = cJSON_Parse(line.c_str());
    std::vector<std::string> strings;
    Strings(j, &strings);
    for (const std::string& s : strings) {
      EXPECT_FALSE(std::regex_search(Without(s, rocksdb_texts), kCommaNumber)) << s << "\nin " << line;
    }
    const cJSON* event = cJSON_GetObjectItemCaseSensitive(j, "event");
    if (cJSON_IsString(event) && std::string(event->valuestring) == "applied") {
      const cJSON* call = nullptr;
      cJSON_ArrayForEach(call, cJSON_GetObjectItemCaseSensitive(j, "calls")) {
        const std::string option = cJSON_GetObjectItemCaseSensitive(call, "option")->valuestring;
        const std::string value = cJSON_GetObjectItemCaseSensitive(call, "new")->valuestring;
        if (option == "memtable_prefix_bloom_size_ratio") EXPECT_EQ(value, "0.1");
        if (option == "blob_garbage_collection_age_cutoff") EXPECT_EQ(value, "0.3");
        EXPECT_EQ(std::string(cJSON_GetObjectItemCaseSensitive(call, "status")->valuestring), "ok") << line;
        applied_calls++;
      }
    }
    cJSON_Delete(j);
  }
  EXPECT_GT(applied_calls, 0) << "no applied call in " << journal;

  // The DB's LOG: ELMo's lines have no decimal comma either.
  int elmo_lines = 0;
  for (const std::string& line : Lines(ReadAll(dir + "/LOG"))) {
    if (line.find("[elmo]") == std::string::npos) continue;
    elmo_lines++;
    EXPECT_FALSE(std::regex_search(Without(line, rocksdb_texts), kCommaNumber)) << line;
  }
  EXPECT_GT(elmo_lines, 0);

  // The OPTIONS files were written by the tuner's SetOptions, on ELMo's thread, and by the values
  // put back when the host closed the DB mid-verdict, on the host's thread under its comma locale
  // (switched to "C" for those calls): RocksDB's std::to_string wrote every double with a point,
  // and read ELMo's "0.1" as 0.1.
  std::string all;
  for (const std::string& f : OptionsFiles(dir)) all += ReadAll(f);
  ASSERT_FALSE(all.empty());
  for (const std::string& line : Lines(all)) EXPECT_FALSE(std::regex_search(line, kCommaNumber)) << line;
  EXPECT_NE(ReadAll(journal).find("\"event\":\"restore\""), std::string::npos) << "closed mid-verdict";
  EXPECT_NE(all.find("memtable_prefix_bloom_size_ratio=0.100000"), std::string::npos)
      << "RocksDB did not read ELMo's value as 0.1:\n" << all;
}

}  // namespace
