/* main.c — the elmo command-line tool: a small shell over the C core in librocksdb. */
#include <stdio.h>
#include <string.h>

#include "elmo/elmo.h"

static int usage(FILE *out) {
  fprintf(out,
          "usage: elmo <command> [args]\n"
          "\n"
          "commands:\n"
          "  version     print the ELMo and RocksDB versions of the loaded library\n"
          "  help        this text\n");
  return out == stderr ? 2 : 0;
}

int main(int argc, char **argv) {
  if (argc < 2) return usage(stderr);
  const char *cmd = argv[1];
  if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
    printf("elmo %s\n", elmo_version());
    return 0;
  }
  if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
    return usage(stdout);
  }
  fprintf(stderr, "elmo: unknown command '%s'\n", cmd);
  return usage(stderr);
}
