/* util.c — small helpers shared by the elmo subcommands. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void elmo_cli_error(const char *cmd, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "elmo %s: ", cmd);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

char *elmo_cli_read_file(const char *path, size_t max_bytes, size_t *len) {
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "elmo: cannot open %s: %s\n", path, strerror(errno));
    return NULL;
  }
  size_t cap = 65536, n = 0;
  char *buf = malloc(cap + 1);
  while (buf != NULL) {
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (n > max_bytes) {
      fprintf(stderr, "elmo: %s is larger than %zu bytes\n", path, max_bytes);
      free(buf);
      buf = NULL;
      break;
    }
    if (got == 0) break;
    if (n == cap) {
      char *nb = realloc(buf, cap * 2 + 1);
      if (nb == NULL) free(buf);
      buf = nb;
      cap *= 2;
    }
  }
  int failed = ferror(f);
  if (f != stdin) fclose(f);
  if (buf != NULL && failed) {
    fprintf(stderr, "elmo: cannot read %s\n", path);
    free(buf);
    buf = NULL;
  }
  if (buf == NULL) return NULL;
  buf[n] = '\0';
  if (len != NULL) *len = n;
  return buf;
}
