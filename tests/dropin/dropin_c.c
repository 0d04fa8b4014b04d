/*
 * dropin_c.c — a plain C program written against Debian's rocksdb/c.h and linked with Debian's
 * librocksdb.so.7.8. The test runs it twice: on Debian's library and, through LD_LIBRARY_PATH, on
 * ELMo's. It writes, reads, iterates, closes, reopens and reads again, then says which library it
 * ran on by looking up elmo_version with dlsym.
 *
 * usage: dropin_c DBDIR expect-elmo|expect-debian
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <rocksdb/c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { kKeys = 2000 };

static int fail(const char *what, char *err) {
  fprintf(stderr, "dropin_c: %s: %s\n", what, err ? err : "(no message)");
  free(err);
  return 1;
}

static int write_keys(rocksdb_t *db) {
  rocksdb_writeoptions_t *wo = rocksdb_writeoptions_create();
  char key[32], val[64], *err = NULL;
  for (int i = 0; i < kKeys && err == NULL; i++) {
    snprintf(key, sizeof key, "key%06d", i);
    snprintf(val, sizeof val, "value-%d-%s", i, "payload");
    rocksdb_put(db, wo, key, strlen(key), val, strlen(val), &err);
  }
  rocksdb_writeoptions_destroy(wo);
  return err ? fail("put", err) : 0;
}

static int read_keys(rocksdb_t *db) {
  rocksdb_readoptions_t *ro = rocksdb_readoptions_create();
  char key[32], want[64], *err = NULL;
  int bad = 0;
  for (int i = 0; i < kKeys && !bad; i++) {
    size_t len = 0;
    snprintf(key, sizeof key, "key%06d", i);
    snprintf(want, sizeof want, "value-%d-%s", i, "payload");
    char *got = rocksdb_get(db, ro, key, strlen(key), &len, &err);
    if (err != NULL) { rocksdb_readoptions_destroy(ro); return fail("get", err); }
    if (got == NULL || len != strlen(want) || memcmp(got, want, len) != 0) {
      fprintf(stderr, "dropin_c: wrong value for %s\n", key);
      bad = 1;
    }
    free(got);
  }
  /* Iterate: every key once, in order. */
  rocksdb_iterator_t *it = rocksdb_create_iterator(db, ro);
  int n = 0;
  char prev[32] = "";
  for (rocksdb_iter_seek_to_first(it); rocksdb_iter_valid(it); rocksdb_iter_next(it)) {
    size_t klen = 0;
    const char *k = rocksdb_iter_key(it, &klen);
    char cur[32];
    snprintf(cur, sizeof cur, "%.*s", (int)klen, k);
    if (strcmp(cur, prev) <= 0) bad = 1;
    memcpy(prev, cur, sizeof cur);
    n++;
  }
  rocksdb_iter_get_error(it, &err);
  rocksdb_iter_destroy(it);
  rocksdb_readoptions_destroy(ro);
  if (err != NULL) return fail("iterator", err);
  if (n != kKeys) {
    fprintf(stderr, "dropin_c: iterated %d keys, wrote %d\n", n, kKeys);
    bad = 1;
  }
  return bad;
}

static rocksdb_t *open_db(const char *dir, rocksdb_options_t *opt) {
  char *err = NULL;
  rocksdb_t *db = rocksdb_open(opt, dir, &err);
  if (err != NULL) { fail("open", err); return NULL; }
  return db;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: dropin_c DBDIR expect-elmo|expect-debian\n");
    return 2;
  }
  const char *dir = argv[1];
  int want_elmo = strcmp(argv[2], "expect-elmo") == 0;
  rocksdb_options_t *opt = rocksdb_options_create();
  rocksdb_options_set_create_if_missing(opt, 1);
  rocksdb_options_set_compression(opt, rocksdb_lz4_compression);
  char *err = NULL;
  rocksdb_destroy_db(opt, dir, &err);
  free(err);

  rocksdb_t *db = open_db(dir, opt);
  if (db == NULL || write_keys(db) || read_keys(db)) return 1;
  rocksdb_close(db);
  db = open_db(dir, opt); /* reopen: data must survive */
  if (db == NULL || read_keys(db)) return 1;
  rocksdb_close(db);
  rocksdb_options_destroy(opt);

  const char *(*version)(void) = (const char *(*)(void))dlsym(RTLD_DEFAULT, "elmo_version");
  printf("dropin_c: %d keys written, read, iterated, reopened; elmo_version %s%s\n", kKeys,
         version ? "found: " : "absent", version ? version() : "");
  if (want_elmo != (version != NULL)) {
    fprintf(stderr, "dropin_c: expected %s library\n", want_elmo ? "ELMo's" : "Debian's");
    return 1;
  }
  return 0;
}
