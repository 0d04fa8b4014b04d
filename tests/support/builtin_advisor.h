// builtin_advisor.h — asking the built-in advisor as the llm "builtin" provider does, and the
// options of its answer, for the advisor's tests (core and engine).
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "elmo/advisor.h"
#include "elmo/answer.h"
#include "elmo/llm.h"

namespace elmo_test {

// The built-in advisor's answer to one user message (a prompt ending with a facts block).
inline std::string AskBuiltin(const std::string& user) {
  elmo_message m = {ELMO_ROLE_USER, user.c_str()};
  char* answer = nullptr;
  elmo_error err;
  EXPECT_EQ(elmo_advisor_chat(&m, 1, &answer, &err), ELMO_OK) << err.message;
  std::string s = answer ? answer : "";
  elmo_free(answer);
  return s;
}

// "key=value;" for each option of the answer's options block, in order; "" when it has none.
inline std::string AnswerKeys(const std::string& answer) {
  elmo_assignment_list* list = nullptr;
  if (elmo_answer_extract(answer.data(), answer.size(), &list, nullptr) != ELMO_OK) return "";
  std::string keys;
  for (size_t i = 0; i < list->count; i++) keys += std::string(list->items[i].key) + "=" + list->items[i].value + ";";
  elmo_assignment_list_destroy(list);
  return keys;
}

}  // namespace elmo_test
