/* diff_cmd.c — `elmo diff A.ini B.ini`: changed keys only. */
#include <stdio.h>

#include "cli.h"
#include "elmo/catalog.h"
#include "elmo/optfile.h"

/* A key only one file sets counts at the engine default in the other: RocksDB's full dumps and
 * sparse files then differ only where the values do. */
static elmo_rc fill_defaults(elmo_optfile *a, elmo_optfile *b, elmo_error *err) {
  const elmo_catalog *cat = NULL;
  elmo_rc rc = elmo_catalog_builtin(&cat, err);
  if (rc == ELMO_OK) rc = elmo_catalog_fill_defaults(cat, a, b, err);
  if (rc == ELMO_OK) rc = elmo_catalog_fill_defaults(cat, b, a, err);
  return rc;
}

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
  } else if (fill_defaults(a, b, &err) != ELMO_OK) {
    elmo_cli_error("diff", "%s", err.message);
    status = ELMO_EXIT_FAILED;
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
