/* overlay_cmd.c — `elmo overlay FILE --db DBDIR`: what elmo_tuned_options=FILE would change for
 * that DB, opened with its latest OPTIONS file. Nothing is opened for writing. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "elmo/engine.h"

int elmo_cmd_overlay(int argc, char **argv) {
  const char *file = NULL, *db = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
      db = argv[++i];
    } else if (strncmp(argv[i], "--db=", 5) == 0) {
      db = argv[i] + 5;
    } else if (argv[i][0] != '-' && file == NULL) {
      file = argv[i];
    } else {
      elmo_cli_error("overlay", "unexpected argument '%s'; usage: elmo overlay FILE --db DBDIR", argv[i]);
      return ELMO_EXIT_USAGE;
    }
  }
  if (file == NULL || db == NULL) {
    elmo_cli_error("overlay", "usage: elmo overlay FILE --db DBDIR");
    return ELMO_EXIT_USAGE;
  }
  char *text = NULL;
  elmo_error err;
  elmo_rc rc = elmo_engine_overlay_describe(file, db, &text, &err);
  if (rc != ELMO_OK) {
    elmo_cli_error("overlay", "%s", err.message);
    return rc == ELMO_ENOMEM ? ELMO_EXIT_FAILED : ELMO_EXIT_USAGE;
  }
  fputs(text, stdout);
  elmo_free(text);
  return ELMO_EXIT_OK;
}
