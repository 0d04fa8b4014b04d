/* locale_host.c — a host program as many are: it calls setlocale(LC_ALL, "") first, so under
 * LC_ALL=de_DE.UTF-8 its C library reads and writes numbers with a decimal comma. It opens a DB
 * through the C API (the realtime tuner comes from ELMO_OPTIONS in the environment), writes for
 * a few seconds, then reads until the tuner's journal has an "applied" record, and closes.
 *
 *   locale_host DB_DIR JOURNAL
 * Prints "decimal point: X" and what printf("%g", 0.5) gives. Exit status: 0 when a change was
 * applied, 2 when the locale has no decimal comma, 3 when nothing was applied within 60 s, 1 on
 * a RocksDB error. Run by tests/engine/locale_test.cc. */
#define _POSIX_C_SOURCE 200809L
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rocksdb/c.h"

static double now_sec(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int journal_has_applied(const char *path) {
  FILE *f = fopen(path, "r");
  if (f == NULL) return 0;
  char line[65536];
  int found = 0;
  while (!found && fgets(line, sizeof line, f) != NULL) found = strstr(line, "\"event\":\"applied\"") != NULL;
  fclose(f);
  return found;
}

/* Puts and gets for seconds, read_pct percent of them gets. Returns 0, or 1 on an error. */
static int load(rocksdb_t *db, double seconds, int read_pct, int *next_key) {
  rocksdb_writeoptions_t *wo = rocksdb_writeoptions_create();
  rocksdb_readoptions_t *ro = rocksdb_readoptions_create();
  char key[32], value[200];
  memset(value, 'v', sizeof value);
  int rc = 0;
  double t0 = now_sec();
  for (long i = 0; rc == 0 && now_sec() - t0 < seconds; i++) {
    char *err = NULL;
    if (i % 100 < read_pct && *next_key > 0) {
      size_t len = 0;
      snprintf(key, sizeof key, "%ld", (i * 7919) % *next_key);
      free(rocksdb_get(db, ro, key, strlen(key), &len, &err));
    } else {
      snprintf(key, sizeof key, "%d", (*next_key)++);
      rocksdb_put(db, wo, key, strlen(key), value, sizeof value, &err);
    }
    if (err != NULL) {
      fprintf(stderr, "locale_host: %s\n", err);
      free(err);
      rc = 1;
    }
  }
  rocksdb_readoptions_destroy(ro);
  rocksdb_writeoptions_destroy(wo);
  return rc;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: locale_host DB_DIR JOURNAL\n");
    return 1;
  }
  setlocale(LC_ALL, "");
  printf("decimal point: %s\nprintf %%g of 0.5: %g\n", localeconv()->decimal_point, 0.5);
  fflush(stdout);
  if (strcmp(localeconv()->decimal_point, ",") != 0) return 2;

  rocksdb_options_t *opts = rocksdb_options_create();
  rocksdb_options_set_create_if_missing(opts, 1);
  char *err = NULL;
  rocksdb_t *db = rocksdb_open(opts, argv[1], &err);
  if (err != NULL) {
    fprintf(stderr, "locale_host: open: %s\n", err);
    return 1;
  }
  int next_key = 0, rc = load(db, 2.5, 0, &next_key); /* writes only: the baseline */
  int applied = 0;
  for (double t0 = now_sec(); rc == 0 && !applied && now_sec() - t0 < 60;) {
    rc = load(db, 1, 90, &next_key); /* then 90% reads: a shift the tuner asks the LLM about */
    applied = journal_has_applied(argv[2]);
  }
  rocksdb_close(db);
  rocksdb_options_destroy(opts);
  if (rc != 0) return rc;
  printf("applied: %s\n", applied ? "yes" : "no");
  return applied ? 0 : 3;
}
