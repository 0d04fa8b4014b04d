/*
 * capi_app.c — a C program like the ones that cannot change: written against Debian's
 * rocksdb/c.h, linked with Debian's librocksdb.so.7.8, every option set in code, a merge operator
 * of its own (comma-joined appends). tests/dropin/check_capi_trace.sh runs it on ELMo's library
 * with ELMO_OPTIONS=elmo_trace=..., kills it with SIGKILL mid-write, and checks the trace and the DB.
 *
 * usage: capi_app DBDIR write ACKFILE   puts, merges, deletes, a range delete and gets, forever;
 *                                       every 100 rounds writes the last round whose writes
 *                                       were synced to ACKFILE
 *        capi_app DBDIR verify N        reopens and checks rounds 0..N are all there
 */
#include <rocksdb/c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *concat_full(void *state, const char *key, size_t key_len, const char *existing,
                         size_t existing_len, const char *const *operands, const size_t *lens,
                         int n, unsigned char *ok, size_t *out_len) {
  (void)state, (void)key, (void)key_len;
  size_t total = existing != NULL ? existing_len : 0;
  for (int i = 0; i < n; i++) total += lens[i] + 1;
  char *out = malloc(total + 1), *p = out;
  if (out == NULL) { *ok = 0; return NULL; }
  if (existing != NULL) { memcpy(p, existing, existing_len); p += existing_len; }
  for (int i = 0; i < n; i++) {
    if (p != out) *p++ = ',';
    memcpy(p, operands[i], lens[i]);
    p += lens[i];
  }
  *ok = 1;
  *out_len = (size_t)(p - out);
  return out;
}
static char *concat_partial(void *state, const char *key, size_t key_len, const char *const *operands,
                            const size_t *lens, int n, unsigned char *ok, size_t *out_len) {
  return concat_full(state, key, key_len, NULL, 0, operands, lens, n, ok, out_len);
}
static void no_destroy(void *state) { (void)state; }
static void free_value(void *state, const char *value, size_t len) { (void)state, (void)len; free((void *)value); }
static const char *concat_name(void *state) { (void)state; return "CapiAppConcat"; }

static rocksdb_t *open_db(const char *dir, rocksdb_options_t **opts_out) {
  rocksdb_options_t *o = rocksdb_options_create();
  rocksdb_options_set_create_if_missing(o, 1);
  rocksdb_options_increase_parallelism(o, 2);
  rocksdb_options_set_write_buffer_size(o, 4 << 20);
  rocksdb_options_set_compression(o, rocksdb_lz4_compression);
  rocksdb_options_set_merge_operator(
      o, rocksdb_mergeoperator_create(NULL, no_destroy, concat_full, concat_partial, free_value, concat_name));
  char *err = NULL;
  rocksdb_t *db = rocksdb_open(o, dir, &err);
  if (err != NULL) { fprintf(stderr, "capi_app: open: %s\n", err); exit(3); }
  *opts_out = o;
  return db;
}

static void check(char *err, const char *what) {
  if (err != NULL) { fprintf(stderr, "capi_app: %s: %s\n", what, err); exit(4); }
}

int main(int argc, char **argv) {
  if (argc != 4) { fprintf(stderr, "usage: capi_app DBDIR write ACKFILE | verify N\n"); return 2; }
  rocksdb_options_t *o = NULL;
  rocksdb_t *db = open_db(argv[1], &o);
  rocksdb_writeoptions_t *sync = rocksdb_writeoptions_create();
  rocksdb_writeoptions_set_sync(sync, 1);
  rocksdb_readoptions_t *ro = rocksdb_readoptions_create();
  char key[32], val[32], *err = NULL;
  size_t len = 0;
  if (strcmp(argv[2], "verify") == 0) {
    long n = atol(argv[3]);
    for (long i = 0; i <= n; i++) {
      snprintf(key, sizeof key, "m%08ld", i);
      char *got = rocksdb_get(db, ro, key, strlen(key), &len, &err);
      check(err, "get");
      if (got == NULL || len != 3 || memcmp(got, "a,b", 3) != 0) {
        fprintf(stderr, "capi_app: %s lost or wrong after the kill\n", key);
        return 1;
      }
      free(got);
    }
    rocksdb_close(db);
    printf("capi_app: rounds 0..%ld intact\n", n);
    return 0;
  }
  for (long i = 0;; i++) {
    snprintf(key, sizeof key, "k%08ld", i);
    snprintf(val, sizeof val, "v%ld", i);
    rocksdb_put(db, sync, key, strlen(key), val, strlen(val), &err);
    check(err, "put");
    snprintf(key, sizeof key, "m%08ld", i);
    rocksdb_merge(db, sync, key, strlen(key), "a", 1, &err);
    check(err, "merge");
    rocksdb_merge(db, sync, key, strlen(key), "b", 1, &err);
    check(err, "merge");
    free(rocksdb_get(db, ro, key, strlen(key), &len, &err));
    check(err, "get");
    if (i % 10 == 9) {
      snprintf(key, sizeof key, "k%08ld", i - 9);
      rocksdb_delete(db, sync, key, strlen(key), &err);
      check(err, "delete");
    }
    if (i % 100 == 99) {
      char b[32], e[32];
      snprintf(b, sizeof b, "k%08ld", i - 99);
      snprintf(e, sizeof e, "k%08ld", i - 90);
      rocksdb_writebatch_t *batch = rocksdb_writebatch_create();
      rocksdb_writebatch_delete_range(batch, b, strlen(b), e, strlen(e));
      rocksdb_write(db, sync, batch, &err);
      rocksdb_writebatch_destroy(batch);
      check(err, "delete_range");
      /* The count replaces the last one by a rename: a kill between fopen's truncation and the
       * write left the script an empty file to read (seen once in a test run). */
      char tmp[4200];
      snprintf(tmp, sizeof tmp, "%s.tmp", argv[3]);
      FILE *f = fopen(tmp, "w");
      if (f != NULL) {
        int written = fprintf(f, "%ld\n", i) > 0;
        if (fclose(f) == 0 && written) rename(tmp, argv[3]);
      }
    }
  }
}
