/* optfile_write.c — OPTIONS files out of memory: format, load, atomic save, readable diff. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elmo/optfile.h"
#include "elmo/value.h"
#include "base/textutil.h"
#include "base/fileio.h"
#include "base/strbuf.h"
#include "optfile_internal.h"
#include "elmo/number.h"

#define LOAD_MAX_BYTES (16u << 20) /* bytes: a real OPTIONS file is ~10 KiB per column family */

/* ---- format ---------------------------------------------------------------------------------- */

/* RocksDB's option_file_header (options/options_parser.cc), byte for byte. */
static const char kFileHeader[] =
    "# This is a RocksDB option file.\n"
    "#\n"
    "# For detailed file format spec, please refer to the example file\n"
    "# in examples/rocksdb_option_file_example.ini\n"
    "#\n"
    "\n";

/* Mirrors PersistRocksDBOptions: options are joined with "\n  " and every section but [Version]
 * ends with the delimiter, which leaves a "  " line; a blank line precedes every section except
 * a table section, which follows its CF section directly. */
char *elmo_optfile_format(const elmo_optfile *f) {
  elmo_strbuf b = ELMO_STRBUF_INIT;
  elmo_strbuf_append(&b, kFileHeader);
  for (size_t i = 0; f != NULL && i < f->n; i++) {
    const opt_section *sec = &f->secs[i];
    if (i > 0 && sec->kind != ELMO_SECTION_TABLE) elmo_strbuf_append(&b, "\n");
    elmo_strbuf_appendf(&b, "%s\n", sec->header);
    for (size_t j = 0; j < sec->n; j++) {
      elmo_strbuf_appendf(&b, "  %s=%s\n", sec->entries[j].key, sec->entries[j].value);
    }
    if (sec->kind != ELMO_SECTION_VERSION) elmo_strbuf_append(&b, "  \n");
  }
  return elmo_strbuf_take(&b);
}

/* ---- load / save ----------------------------------------------------------------------------- */

static elmo_rc read_all(const char *path, char **text, size_t *len, elmo_error *err) {
  int fd = open(path, O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    int e = errno;
    if (fd >= 0) close(fd);
    return elmo_error_set(err, ELMO_EIO, "cannot read %s: %s", path, strerror(e));
  }
  if (st.st_size > (off_t)LOAD_MAX_BYTES) {
    close(fd);
    return elmo_error_set(err, ELMO_EIO, "cannot read %s: larger than %u bytes", path,
                          LOAD_MAX_BYTES);
  }
  char *buf = malloc((size_t)st.st_size + 1);
  size_t n = 0;
  ssize_t r = 1;
  while (buf != NULL && n < (size_t)st.st_size && r > 0) {
    r = read(fd, buf + n, (size_t)st.st_size - n);
    if (r > 0) n += (size_t)r;
    if (r < 0 && errno == EINTR) r = 1;
  }
  int e = errno;
  close(fd);
  if (buf == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory reading %s", path);
  if (r < 0) {
    free(buf);
    return elmo_error_set(err, ELMO_EIO, "cannot read %s: %s", path, strerror(e));
  }
  *text = buf;
  *len = n;
  return ELMO_OK;
}

elmo_rc elmo_optfile_load(const char *path, elmo_optfile **out, elmo_error *err) {
  if (out != NULL) *out = NULL;
  if (path == NULL || out == NULL)
    return elmo_error_set(err, ELMO_EINVAL, "optfile_load: NULL path or out");
  char *text = NULL;
  size_t len = 0;
  elmo_rc rc = read_all(path, &text, &len, err);
  if (rc != ELMO_OK) return rc;
  rc = elmo_optfile_parse(text, len, out, err);
  free(text);
  if (rc == ELMO_EPARSE && err != NULL) {
    char msg[ELMO_ERROR_MSG_MAX];
    snprintf(msg, sizeof(msg), "%s", err->message);
    elmo_error_set(err, rc, "%s: %s", path, msg);
  }
  return rc;
}

elmo_rc elmo_optfile_save(const elmo_optfile *f, const char *path, elmo_error *err) {
  if (f == NULL || path == NULL || path[0] == '\0') {
    return elmo_error_set(err, ELMO_EINVAL, "optfile_save: NULL file or empty path");
  }
  char *text = elmo_optfile_format(f);
  if (text == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory formatting %s", path);
  elmo_rc rc = elmo_file_save_atomic(path, text, err);
  free(text);
  return rc;
}

/* ---- diff ------------------------------------------------------------------------------------ */



static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int ends_with_any(const char *key, const char *const *suffixes) {
  for (; *suffixes != NULL; suffixes++) {
    if (ends_with(key, *suffixes)) return 1;
  }
  return 0;
}

/* Keys whose integers are bytes, and keys whose integers are surely not (times, counts). */
static const char *const kByteSuffixes[] = {"_size", "_bytes", "_base", "_cache", NULL};
static const char *const kNotByteSuffixes[] = {
    "_sec",   "_seconds", "_micros",  "_usec",    "_ms", "_MB", "_num",
    "_count", "_files",   "_trigger", "_threads", "ttl", NULL};

/* "   (64 MiB -> 128 MiB)" when both values are integers and look like byte counts. */
static void bytes_note(elmo_strbuf *b, const char *key, const char *va, const char *vb) {
  uint64_t x, y;
  if (!elmo_parse_plain_u64(va, &x) || !elmo_parse_plain_u64(vb, &y)) return;
  int bytes = ends_with_any(key, kByteSuffixes) ||
              ((x > 1024 || y > 1024) && !ends_with_any(key, kNotByteSuffixes));
  if (!bytes) return;
  char hx[32], hy[32];
  elmo_value_format_bytes(x, hx, sizeof(hx));
  elmo_value_format_bytes(y, hy, sizeof(hy));
  elmo_strbuf_appendf(b, "   (%s -> %s)", hx, hy);
}

static const char *value_of(const opt_section *sec, const char *key) {
  size_t j = sec ? elmo_optfile_find_entry(sec, key) : ELMO_OPTFILE_NPOS;
  return j == ELMO_OPTFILE_NPOS ? NULL : sec->entries[j].value;
}

/* Lines for one section (either side may be NULL): changed keys, then added, then removed. */
static size_t diff_lines(elmo_strbuf *b, const opt_section *sa, const opt_section *sb) {
  size_t n = 0;
  for (size_t i = 0; sa != NULL && i < sa->n; i++) {
    const opt_entry *e = &sa->entries[i];
    const char *v = value_of(sb, e->key);
    if (v == NULL || strcmp(v, e->value) == 0) continue;
    elmo_strbuf_appendf(b, "  %s: %s -> %s", e->key, e->value, v);
    bytes_note(b, e->key, e->value, v);
    elmo_strbuf_append(b, "\n");
    n++;
  }
  for (size_t i = 0; sb != NULL && i < sb->n; i++) {
    const opt_entry *e = &sb->entries[i];
    if (value_of(sa, e->key) != NULL) continue;
    elmo_strbuf_appendf(b, "  + %s: (absent) -> %s   [only in b]\n", e->key, e->value);
    n++;
  }
  for (size_t i = 0; sa != NULL && i < sa->n; i++) {
    const opt_entry *e = &sa->entries[i];
    if (value_of(sb, e->key) != NULL) continue;
    elmo_strbuf_appendf(b, "  - %s: %s -> (absent)   [only in a]\n", e->key, e->value);
    n++;
  }
  return n;
}

static size_t diff_section(elmo_strbuf *out, const opt_section *sa, const opt_section *sb) {
  elmo_strbuf lines = ELMO_STRBUF_INIT;
  size_t n = diff_lines(&lines, sa, sb);
  if (n > 0) {
    elmo_strbuf_appendf(out, "%s\n", (sa ? sa : sb)->header);
    elmo_strbuf_appendn(out, lines.p, lines.len);
  }
  if (lines.oom) out->oom = 1;
  elmo_strbuf_free(&lines);
  return n;
}

static const opt_section *matching(const elmo_optfile *f, const opt_section *sec) {
  size_t i = elmo_optfile_find_section(f, sec->kind, sec->cf);
  return i == ELMO_OPTFILE_NPOS ? NULL : &f->secs[i];
}

char *elmo_optfile_diff(const elmo_optfile *a, const elmo_optfile *b, size_t *n_changes) {
  static const elmo_optfile kEmpty = {NULL, 0, 0};
  elmo_strbuf out = ELMO_STRBUF_INIT;
  size_t n = 0;
  if (n_changes != NULL) *n_changes = 0;
  if (a == NULL) a = &kEmpty;
  if (b == NULL) b = &kEmpty;
  for (size_t i = 0; i < a->n; i++) {
    if (a->secs[i].kind != ELMO_SECTION_VERSION) {
      n += diff_section(&out, &a->secs[i], matching(b, &a->secs[i]));
    }
  }
  for (size_t i = 0; i < b->n; i++) {
    if (b->secs[i].kind != ELMO_SECTION_VERSION && matching(a, &b->secs[i]) == NULL) {
      n += diff_section(&out, NULL, &b->secs[i]);
    }
  }
  char *s = elmo_strbuf_take(&out);
  if (s != NULL && n_changes != NULL) *n_changes = n;
  return s;
}
