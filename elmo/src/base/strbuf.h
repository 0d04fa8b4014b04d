/* strbuf.h — the core's one growable string (strbuf.c).
 *
 * Start from ELMO_STRBUF_INIT (or a zeroed struct), append, then take the text or free it. An
 * allocation that fails sets the sticky oom flag: the text is dropped, every later append does
 * nothing and take returns NULL, so a writer checks once, at the end. Not thread-safe. */
#ifndef ELMO_STRBUF_H
#define ELMO_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct elmo_strbuf {
  char *p;    /* the text, NUL-terminated; NULL until something is appended (or after oom) */
  size_t len; /* bytes of text, without the NUL */
  size_t cap; /* bytes allocated at p */
  int oom;    /* sticky: an allocation failed (a writer may set it to give up) */
} elmo_strbuf;

#define ELMO_STRBUF_INIT {NULL, 0, 0, 0}

/* Appends n bytes of s (which may hold NULs). */
void elmo_strbuf_appendn(elmo_strbuf *b, const char *s, size_t n);
/* Appends the string s; a NULL s appends nothing. */
void elmo_strbuf_append(elmo_strbuf *b, const char *s);
/* Appends printf-style text. A format error counts as oom. */
void elmo_strbuf_appendf(elmo_strbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void elmo_strbuf_vappendf(elmo_strbuf *b, const char *fmt, va_list ap);
/* The text (the caller frees it; "" when nothing was appended), or NULL after oom. The buffer is
 * empty and usable again afterwards (oom cleared). */
char *elmo_strbuf_take(elmo_strbuf *b);
/* Frees the text and empties the buffer (oom cleared). */
void elmo_strbuf_free(elmo_strbuf *b);

#endif /* ELMO_STRBUF_H */
