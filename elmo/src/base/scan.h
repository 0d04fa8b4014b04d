/* scan.h — the core's one quote-aware text scanner (scan.c).
 *
 * Feed a text one character at a time; each call says what the character is to someone looking
 * for delimiters: inside a quoted string, a bracket that opens or closes a nesting level, other
 * text inside brackets, or text at the top level. '"' always quotes; the flags add single quotes,
 * square brackets and backslash escapes. Pure; not thread-safe on one elmo_scan. */
#ifndef ELMO_SCAN_H
#define ELMO_SCAN_H

enum {
  ELMO_SCAN_SINGLE_QUOTES = 1u, /* '\'' quotes as '"' does */
  ELMO_SCAN_SQUARE = 2u,        /* '[' ']' nest as '{' '}' do */
  ELMO_SCAN_ESCAPES = 4u        /* a backslash inside quotes escapes the next character */
};

/* What a character is (elmo_scan_next). */
typedef enum elmo_scan_kind {
  ELMO_SCAN_QUOTED = 0, /* a quote, or a character between quotes */
  ELMO_SCAN_OPEN = 1,   /* an opening bracket (depth is one more after it) */
  ELMO_SCAN_CLOSE = 2,  /* a closing bracket that closed a level (depth is one less after it) */
  ELMO_SCAN_NESTED = 3, /* any other character inside brackets */
  ELMO_SCAN_TOP = 4     /* any other character outside quotes and brackets (a stray closing
                           bracket too: the depth never goes below 0) */
} elmo_scan_kind;

/* The scanner's state: start from {.flags = ...} (depth 0, no quote open). */
typedef struct elmo_scan {
  unsigned flags; /* ELMO_SCAN_* */
  int depth;      /* brackets open */
  char quote;     /* the quote character open, or 0 */
  int escaped;    /* the previous character was an escaping backslash */
} elmo_scan;

/* Classifies c, the next character of the text, and updates the state. */
elmo_scan_kind elmo_scan_next(elmo_scan *s, char c);

#endif /* ELMO_SCAN_H */
