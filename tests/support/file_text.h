// file_text.h — whole files as strings for tests: read one (empty when it cannot be read), write
// one (binary, truncating; a failure is a test failure naming the path).
#ifndef ELMO_TESTS_FILE_TEXT_H
#define ELMO_TESTS_FILE_TEXT_H

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace elmo_test {

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  out.close();
  EXPECT_TRUE(out.good()) << "cannot write " << path;
}

}  // namespace elmo_test

#endif  // ELMO_TESTS_FILE_TEXT_H
