// run_command.h — runs a shell command for a test and collects what it printed (stdout and
// stderr together) with its exit status.
#ifndef ELMO_TESTS_RUN_COMMAND_H
#define ELMO_TESTS_RUN_COMMAND_H

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace elmo_test {

struct CommandResult {
  int status;       // exit status; -1 when it did not start or did not exit normally
  std::string out;  // stdout and stderr
};

inline CommandResult RunCommand(const std::string& cmd) {
  CommandResult r{-1, ""};
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

}  // namespace elmo_test

#endif  // ELMO_TESTS_RUN_COMMAND_H
