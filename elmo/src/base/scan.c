/* scan.c — the core's one quote-aware text scanner (scan.h). */
#include "scan.h"

elmo_scan_kind elmo_scan_next(elmo_scan *s, char c) {
  if (s->quote) {
    if (s->escaped) {
      s->escaped = 0;
    } else if (c == '\\' && (s->flags & ELMO_SCAN_ESCAPES)) {
      s->escaped = 1;
    } else if (c == s->quote) {
      s->quote = 0;
    }
    return ELMO_SCAN_QUOTED;
  }
  if (c == '"' || (c == '\'' && (s->flags & ELMO_SCAN_SINGLE_QUOTES))) {
    s->quote = c;
    return ELMO_SCAN_QUOTED;
  }
  int square = (s->flags & ELMO_SCAN_SQUARE) != 0;
  if (c == '{' || (c == '[' && square)) {
    s->depth++;
    return ELMO_SCAN_OPEN;
  }
  if ((c == '}' || (c == ']' && square)) && s->depth > 0) {
    s->depth--;
    return ELMO_SCAN_CLOSE;
  }
  return s->depth > 0 ? ELMO_SCAN_NESTED : ELMO_SCAN_TOP;
}
