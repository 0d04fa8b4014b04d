/*
 * answer_internal.h — shared by answer.c (blocks, choice, result), answer_emit.c (keys, values,
 * sections), answer_lines.c (OPTIONS/YAML/flag/table lines) and answer_json.c (lenient JSON).
 * Not installed. All text is (pointer, length): the answer need not be NUL-terminated.
 */
#ifndef ELMO_ANSWER_INTERNAL_H
#define ELMO_ANSWER_INTERNAL_H

#include <stddef.h>

#include "elmo/answer.h"

#define ANS_MAX_ASSIGNMENTS 4096 /* per block; later ones are dropped */
#define ANS_MAX_KEY 128          /* bytes; longer keys are skipped */
#define ANS_MAX_VALUE 65536      /* bytes; longer values are skipped */
#define ANS_MAX_DEPTH 64         /* JSON nesting */
#define ANS_MAX_BLOCKS 65536     /* fenced blocks looked at */
#define ANS_MAX_NESTED_LINES 256 /* lines one multi-line `{...}` value may span */

typedef struct ans_line {
  const char *p;
  size_t n; /* without the '\n' and a trailing '\r' */
} ans_line;

typedef struct ans_text {
  const char *p;
  size_t n; /* up to the first NUL */
  ans_line *lines;
  size_t n_lines;
} ans_text;

/* 1-based line number of a position inside t->p. */
int elmo_answer_line_of(const ans_text *t, const char *at);

/* Collects the assignments of one block. */
typedef struct ans_sink {
  elmo_assignment *items;
  size_t count, cap;
  int block;
  int depth;           /* table-factory expansion depth */
  size_t skipped_long; /* keys or values over the caps, or values that are not text */
  size_t dropped;      /* over ANS_MAX_ASSIGNMENTS */
  int oom;
} ans_sink;

/* Where the assignment being emitted was found. */
typedef struct ans_where {
  elmo_section_hint hint;
  const char *cf; /* column family name from a header, or NULL */
  size_t cf_len;
  elmo_origin origin;
  int line;
  int snake_keys; /* ANS_KEYS_*: how much a key must look like an option name */
} ans_where;

enum {
  ANS_KEYS_ANY = 0,   /* OPTIONS text, JSON: any identifier */
  ANS_KEYS_PROSE = 1, /* contains '_', or is a lowercase word whose value looks like a value */
  ANS_KEYS_CODE = 2   /* contains '_', or had an object prefix (`options.compression`) */
};

/* ---- answer_emit.c ---- */

/* What a section-like name means. */
typedef enum ans_section {
  ANS_SEC_NONE = 0,
  ANS_SEC_DB,
  ANS_SEC_CF,
  ANS_SEC_TABLE,
  ANS_SEC_VERSION
} ans_section;

/* ASCII only: no <ctype.h>, whose answers depend on the locale. */
static inline int ans_is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
static inline int ans_is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static inline int ans_is_digit(char c) { return c >= '0' && c <= '9'; }
static inline int ans_is_ident(char c) { /* letters, digits, '_', '.', '-' */
  return ans_is_alpha(c) || ans_is_digit(c) || c == '_' || c == '.' || c == '-';
}
static inline char ans_lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c; }

void elmo_answer_trim(const char **p, size_t *n);
/* Case-insensitive equality of (p, n) with the lowercase word w. */
int elmo_answer_ieq(const char *p, size_t n, const char *w);
/* Lowercase letters and digits of (p, n) into buf (cap bytes incl. NUL); returns the length. */
size_t elmo_answer_squash(const char *p, size_t n, char *buf, size_t cap);

/* The section a name like "DBOptions", "cf_options", "TableOptions/BlockBasedTable",
 * "block_based_table_factory" or "Version" stands for. */
ans_section elmo_answer_section_of(const char *p, size_t n);
elmo_section_hint elmo_answer_hint_of(ans_section s);

/* Bits for words that mark a block or a JSON key as the final or the current configuration. */
enum { ANS_MARK_FINAL = 1, ANS_MARK_CURRENT = 2 };
int elmo_answer_marks(const char *p, size_t n);

/* A word that reads as an option value: a number, bool, kEnum, path, or a common enum word. */
int elmo_answer_looks_like_value(const char *p, size_t n);

/* Cleans key and value (wrappers, dotted section prefixes, quotes, trailing ',' or ';'), expands
 * table-factory values `{k=v;...}`, validates, and appends to the sink. */
void elmo_answer_emit(ans_sink *s, const ans_where *w, const char *key, size_t kn,
                                  const char *val, size_t vn);

void elmo_answer_sink_clear(ans_sink *s);

/* ---- answer_lines.c ---- */

enum {
  ANS_LINES_PROSE = 1, /* unfenced text: markdown headings may name sections, values must look
                          like values, no multi-line values */
  ANS_LINES_CODE = 2,  /* program code: keys as ANS_KEYS_CODE (prose uses ANS_KEYS_PROSE) */
  ANS_LINES_DIFF = 4   /* a diff: '-' lines are dropped, a leading '+' is ignored */
};

/* Parses lines [first, end) of t, skipping lines whose role (when role is not NULL) is nonzero.
 * flags: ANS_LINES_*. */
void elmo_answer_parse_lines(ans_sink *s, const ans_text *t, size_t first, size_t end,
                     const unsigned char *role, int flags);

/* ---- answer_json.c ---- */

/* Parses one JSON object or array at the start of (p, n) (leading whitespace and comments
 * allowed) and emits its assignments. *used (may be NULL) gets the bytes consumed on success, or
 * the offset where parsing failed. Returns 0, -1 on a syntax error, -2 out of memory. */
int elmo_answer_parse_json(ans_sink *s, const ans_text *t, const char *p, size_t n,
                                       size_t *used);

#endif /* ELMO_ANSWER_INTERNAL_H */
