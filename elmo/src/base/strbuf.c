/* strbuf.c — the core's one growable string (strbuf.h). */
#include "strbuf.h"

#include "elmo/number.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STRBUF_FIRST_CAP 256 /* bytes */

static void fail(elmo_strbuf *b) {
  free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
  b->oom = 1;
}

/* Room for n more bytes and the NUL; 0, or -1 (oom set). */
static int reserve(elmo_strbuf *b, size_t n) {
  if (b->oom) return -1;
  if (n > (size_t)-1 / 2 - b->len) {
    fail(b);
    return -1;
  }
  if (b->len + n + 1 <= b->cap) return 0;
  size_t cap = b->cap ? b->cap : STRBUF_FIRST_CAP;
  while (cap < b->len + n + 1) cap *= 2;
  char *p = realloc(b->p, cap);
  if (p == NULL) {
    fail(b);
    return -1;
  }
  b->p = p;
  b->cap = cap;
  return 0;
}

void elmo_strbuf_appendn(elmo_strbuf *b, const char *s, size_t n) {
  if (reserve(b, n) != 0) return;
  if (n > 0) memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

void elmo_strbuf_append(elmo_strbuf *b, const char *s) {
  if (s != NULL) elmo_strbuf_appendn(b, s, strlen(s));
}

void elmo_strbuf_vappendf(elmo_strbuf *b, const char *fmt, va_list ap) {
  if (b->oom) return;
  va_list again;
  va_copy(again, ap);
  char *at = b->p != NULL ? b->p + b->len : NULL;
  int n = elmo_number_vsnprintf(at, at != NULL ? b->cap - b->len : 0, fmt, ap);
  if (n < 0) {
    fail(b);
  } else if (at == NULL || b->len + (size_t)n >= b->cap) {
    if (reserve(b, (size_t)n) == 0) elmo_number_vsnprintf(b->p + b->len, (size_t)n + 1, fmt, again);
  }
  if (n >= 0 && !b->oom) b->len += (size_t)n;
  va_end(again);
}

void elmo_strbuf_appendf(elmo_strbuf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  elmo_strbuf_vappendf(b, fmt, ap);
  va_end(ap);
}

char *elmo_strbuf_take(elmo_strbuf *b) {
  char *s = b->oom ? NULL : b->p != NULL ? b->p : calloc(1, 1);
  if (b->oom) free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
  b->oom = 0;
  return s;
}

void elmo_strbuf_free(elmo_strbuf *b) {
  free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
  b->oom = 0;
}
