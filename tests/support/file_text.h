// file_text.h — whole files as strings for tests: read one (empty when it cannot be read), write
// one (binary, truncating; a failure is a test failure naming the path), write one as a program
// should (elsewhere, then renamed into place), and wait for one to appear.
#ifndef ELMO_TESTS_FILE_TEXT_H
#define ELMO_TESTS_FILE_TEXT_H

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

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

// Writes bytes to path.partial, then renames it to path: a reader never sees half a file.
inline void WriteByRename(const std::string& path, const std::string& bytes) {
  WriteFile(path + ".partial", bytes);
  EXPECT_EQ(std::rename((path + ".partial").c_str(), path.c_str()), 0) << "cannot rename into " << path;
}

// Polls every 10 ms until path exists, for at most seconds; returns whether it does.
inline bool WaitForFile(const std::string& path, double seconds) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (!std::filesystem::exists(path) && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return std::filesystem::exists(path);
}

}  // namespace elmo_test

#endif  // ELMO_TESTS_FILE_TEXT_H
