/* diff_cmd.c — `elmo diff A.ini B.ini`: changed keys only. */
#include <stdio.h>

#include "cli.h"
#include "elmo/optfile.h"

int elmo_cmd_diff(int argc, char **argv) {
  if (argc != 3) {
    elmo_cli_error("diff", "usage: elmo diff A.ini B.ini");
    return ELMO_EXIT_USAGE;
  }
  elmo_optfile *a = NULL, *b = NULL;
  elmo_error err;
  int status = ELMO_EXIT_OK;
  if (elmo_optfile_load(argv[1], &a, &err) != ELMO_OK || elmo_optfile_load(argv[2], &b, &err) != ELMO_OK) {
    elmo_cli_error("diff", "%s", err.message);
    status = ELMO_EXIT_USAGE;
  } else {
    size_t n = 0;
    char *d = elmo_optfile_diff(a, b, &n);
    if (d == NULL) {
      status = ELMO_EXIT_FAILED;
    } else {
      fputs(d, stdout);
      printf("%zu changed option%s\n", n, n == 1 ? "" : "s");
    }
    elmo_free(d);
  }
  elmo_optfile_destroy(a);
  elmo_optfile_destroy(b);
  return status;
}
