/* main.c — the elmo command-line tool: a small shell over the C core in librocksdb. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "elmo/elmo.h"

static const struct {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *help;
} kCommands[] = {
    {"options", elmo_cmd_options, "options [--json] [NAME...]   the options catalog"},
    {"calibrate", elmo_cmd_calibrate,
     "calibrate --answer FILE [--base BASE.ini] [--memory SIZE] [--lock k1,k2] [-o OUT.ini] [--json]\n"
     "                              turn an advisor's answer into a safe OPTIONS file"},
    {"diff", elmo_cmd_diff, "diff A.ini B.ini             changed options between two OPTIONS files"},
    {"overlay", elmo_cmd_overlay,
     "overlay FILE --db DBDIR      what elmo_tuned_options=FILE would change for that DB (read-only)"},
    {"chat", elmo_cmd_chat,
     "chat --llm SPEC --prompt FILE [--url URL]  send one prompt to an advisor, print the answer"},
    {"trace", elmo_cmd_trace,
     "trace analyze FILE [-o SPEC.json] [--json] [--window SEC]   model a query trace as a spec\n"
     "  trace compare A B [--json]   fidelity of trace B to trace A"},
    {"progress-chart", elmo_cmd_progress_chart,
     "progress-chart -o OUT.svg [--title T] [--y-label L] NAME=trials.csv...\n"
     "                              tuners' best so far against the trial number (peers.sh)"},
};

static int usage(FILE *out) {
  fprintf(out, "usage: elmo <command> [args]\n\ncommands:\n");
  for (size_t i = 0; i < sizeof(kCommands) / sizeof(kCommands[0]); i++) {
    fprintf(out, "  %s\n", kCommands[i].help);
  }
  fprintf(out, "  version                      the ELMo and RocksDB versions of the loaded library\n");
  return out == stderr ? ELMO_EXIT_USAGE : ELMO_EXIT_OK;
}

int main(int argc, char **argv) {
  if (argc < 2) return usage(stderr);
  const char *cmd = argv[1];
  if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
    printf("elmo %s\n", elmo_version());
    return ELMO_EXIT_OK;
  }
  if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
    return usage(stdout);
  }
  for (size_t i = 0; i < sizeof(kCommands) / sizeof(kCommands[0]); i++) {
    if (strcmp(cmd, kCommands[i].name) == 0) return kCommands[i].run(argc - 1, argv + 1);
  }
  fprintf(stderr, "elmo: unknown command '%s'\n", cmd);
  return usage(stderr);
}
