/* optfile.c — the RocksDB OPTIONS file model: parse, get/set/unset, clone, foreach, cf list.
 * Formatting, saving and diffing live in optfile_write.c; both share optfile_internal.h. */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elmo/optfile.h"
#include "optfile_internal.h"

/* ---- small string helpers -------------------------------------------------------------------- */

char *elmo_optfile_strndup(const char *s, size_t n) {
  char *p = malloc(n + 1);
  if (p != NULL) {
    memcpy(p, s, n);
    p[n] = '\0';
  }
  return p;
}

static void trim(const char *s, size_t *begin, size_t *end) {
  while (*begin < *end && isspace((unsigned char)s[*begin])) (*begin)++;
  while (*end > *begin && isspace((unsigned char)s[*end - 1])) (*end)--;
}

/* The end of the line before its comment: the first '#' not escaped as "\#" (as RocksDB). */
static size_t comment_start(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '#' && (i == 0 || s[i - 1] != '\\')) return i;
  }
  return n;
}

/* RocksDB's UnescapeOptionString: "\n" and "\r" become control characters, "\x" becomes x. */
static char *unescape_name(const char *s, size_t n) {
  char *out = malloc(n + 1);
  size_t o = 0;
  if (out == NULL) return NULL;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == '\\' && i + 1 < n) {
      c = s[++i];
      c = c == 'n' ? '\n' : c == 'r' ? '\r' : c;
    } else if (c == '\\') {
      continue;
    }
    out[o++] = c;
  }
  out[o] = '\0';
  return out;
}

/* ---- sections and entries -------------------------------------------------------------------- */

static void section_free(opt_section *sec) {
  for (size_t i = 0; i < sec->n; i++) {
    free(sec->entries[i].key);
    free(sec->entries[i].value);
  }
  free(sec->entries);
  free(sec->cf);
  free(sec->header);
}

static int has_cf(elmo_section kind) {
  return kind == ELMO_SECTION_CF || kind == ELMO_SECTION_TABLE;
}

size_t elmo_optfile_find_section(const elmo_optfile *f, elmo_section kind, const char *cf) {
  if (cf == NULL) cf = "default";
  for (size_t i = 0; i < f->n; i++) {
    const opt_section *sec = &f->secs[i];
    if (sec->kind == kind && (!has_cf(kind) || strcmp(sec->cf, cf) == 0)) return i;
  }
  return ELMO_OPTFILE_NPOS;
}

size_t elmo_optfile_find_entry(const opt_section *sec, const char *key) {
  for (size_t i = 0; i < sec->n; i++) {
    if (strcmp(sec->entries[i].key, key) == 0) return i;
  }
  return ELMO_OPTFILE_NPOS;
}

/* Appends key=value (both copied). Returns ELMO_OK or ELMO_ENOMEM. */
static elmo_rc section_append(opt_section *sec, const char *key, size_t klen, const char *value,
                              size_t vlen) {
  if (sec->n == sec->cap) {
    size_t cap = sec->cap ? sec->cap * 2 : 16;
    opt_entry *e = realloc(sec->entries, cap * sizeof(*e));
    if (e == NULL) return ELMO_ENOMEM;
    sec->entries = e;
    sec->cap = cap;
  }
  char *k = elmo_optfile_strndup(key, klen);
  char *v = elmo_optfile_strndup(value, vlen);
  if (k == NULL || v == NULL) {
    free(k);
    free(v);
    return ELMO_ENOMEM;
  }
  sec->entries[sec->n].key = k;
  sec->entries[sec->n].value = v;
  sec->n++;
  return ELMO_OK;
}

static int grow_sections(elmo_optfile *f) {
  if (f->n < f->cap) return 1;
  size_t cap = f->cap ? f->cap * 2 : 8;
  opt_section *s = realloc(f->secs, cap * sizeof(*s));
  if (s == NULL) return 0;
  f->secs = s;
  f->cap = cap;
  return 1;
}

/* Inserts a new empty section at pos, taking ownership of cf and header (freed on failure). */
static opt_section *insert_section(elmo_optfile *f, size_t pos, elmo_section kind, char *cf,
                                   char *header) {
  if (header == NULL || (has_cf(kind) && cf == NULL) || !grow_sections(f)) {
    free(cf);
    free(header);
    return NULL;
  }
  memmove(&f->secs[pos + 1], &f->secs[pos], (f->n - pos) * sizeof(f->secs[0]));
  f->n++;
  opt_section *sec = &f->secs[pos];
  memset(sec, 0, sizeof(*sec));
  sec->kind = kind;
  sec->cf = cf;
  sec->header = header;
  return sec;
}

/* ---- create / destroy / clone ---------------------------------------------------------------- */

void elmo_optfile_destroy(elmo_optfile *f) {
  if (f == NULL) return;
  for (size_t i = 0; i < f->n; i++) section_free(&f->secs[i]);
  free(f->secs);
  free(f);
}

elmo_rc elmo_optfile_complete(elmo_optfile *f, elmo_error *err) {
  if (f == NULL) return elmo_error_set(err, ELMO_EINVAL, "optfile_complete: NULL file");
  static const char *const kVersion[][2] = {{"rocksdb_version", "7.8.3"}, {"options_file_version", "1.1"}};
  for (size_t i = 0; i < 2; i++) {
    if (elmo_optfile_get(f, ELMO_SECTION_VERSION, NULL, kVersion[i][0]) == NULL &&
        elmo_optfile_set(f, ELMO_SECTION_VERSION, NULL, kVersion[i][0], kVersion[i][1], err) != ELMO_OK) {
      return ELMO_ENOMEM;
    }
  }
  if (elmo_optfile_ensure_section(f, ELMO_SECTION_DB, NULL) == NULL ||
      elmo_optfile_ensure_section(f, ELMO_SECTION_TABLE, "default") == NULL) {
    return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  }
  return ELMO_OK;
}

elmo_optfile *elmo_optfile_create(void) {
  elmo_optfile *f = calloc(1, sizeof(*f));
  if (f == NULL) return NULL;
  if (elmo_optfile_complete(f, NULL) != ELMO_OK) {
    elmo_optfile_destroy(f);
    return NULL;
  }
  return f;
}

static elmo_rc section_copy(opt_section *dst, const opt_section *src) {
  memset(dst, 0, sizeof(*dst));
  dst->kind = src->kind;
  dst->header = strdup(src->header);
  dst->cf = src->cf ? strdup(src->cf) : NULL;
  if (dst->header == NULL || (src->cf != NULL && dst->cf == NULL)) return ELMO_ENOMEM;
  for (size_t i = 0; i < src->n; i++) {
    const opt_entry *e = &src->entries[i];
    if (section_append(dst, e->key, strlen(e->key), e->value, strlen(e->value))) return ELMO_ENOMEM;
  }
  return ELMO_OK;
}

elmo_optfile *elmo_optfile_clone(const elmo_optfile *f) {
  if (f == NULL) return NULL;
  elmo_optfile *c = calloc(1, sizeof(*c));
  if (c == NULL) return NULL;
  c->secs = calloc(f->n ? f->n : 1, sizeof(c->secs[0]));
  if (c->secs == NULL) {
    free(c);
    return NULL;
  }
  c->cap = f->n ? f->n : 1;
  for (size_t i = 0; i < f->n; i++) {
    c->n = i + 1; /* so destroy frees the partial copy */
    if (section_copy(&c->secs[i], &f->secs[i])) {
      elmo_optfile_destroy(c);
      return NULL;
    }
  }
  return c;
}

/* ---- headers --------------------------------------------------------------------------------- */

const char *elmo_section_name(elmo_section s) {
  switch (s) {
    case ELMO_SECTION_VERSION:
      return "Version";
    case ELMO_SECTION_DB:
      return "DBOptions";
    case ELMO_SECTION_CF:
      return "CFOptions";
    case ELMO_SECTION_TABLE:
      return "TableOptions/BlockBasedTable";
  }
  return "Unknown";
}

/* "[Title]" or "[Title \"escaped cf\"]", escaped like RocksDB's EscapeOptionString. */
static char *canonical_header(elmo_section kind, const char *cf) {
  size_t n = strlen(elmo_section_name(kind)) + 8 + (cf ? 2 * strlen(cf) : 0);
  char *h = malloc(n);
  if (h == NULL) return NULL;
  size_t o = (size_t)snprintf(h, n, "[%s", elmo_section_name(kind));
  if (cf != NULL) {
    h[o++] = ' ';
    h[o++] = '"';
    for (const char *p = cf; *p; p++) {
      if (strchr("\\#:\r\n", *p) != NULL) h[o++] = '\\';
      h[o++] = *p == '\n' ? 'n' : *p == '\r' ? 'r' : *p;
    }
    h[o++] = '"';
  }
  h[o++] = ']';
  h[o] = '\0';
  return h;
}

/* Where a new section of this kind goes (see optfile.h). TABLE goes right after its CF. */
static size_t new_section_pos(const elmo_optfile *f, elmo_section kind, const char *cf) {
  size_t pos = 0;
  switch (kind) {
    case ELMO_SECTION_VERSION:
      return 0;
    case ELMO_SECTION_DB:
      pos = elmo_optfile_find_section(f, ELMO_SECTION_VERSION, NULL);
      return pos == ELMO_OPTFILE_NPOS ? 0 : pos + 1;
    case ELMO_SECTION_TABLE:
      return elmo_optfile_find_section(f, ELMO_SECTION_CF, cf) + 1;
    case ELMO_SECTION_CF:
      if (strcmp(cf, "default") == 0) { /* RocksDB wants "default" as the first CF */
        for (pos = 0; pos < f->n; pos++) {
          if (has_cf(f->secs[pos].kind)) return pos;
        }
      }
      return f->n;
  }
  return f->n;
}

opt_section *elmo_optfile_ensure_section(elmo_optfile *f, elmo_section kind, const char *cf) {
  if (cf == NULL || !has_cf(kind)) cf = has_cf(kind) ? "default" : NULL;
  size_t i = elmo_optfile_find_section(f, kind, cf);
  if (i != ELMO_OPTFILE_NPOS) return &f->secs[i];
  if (kind == ELMO_SECTION_TABLE && elmo_optfile_ensure_section(f, ELMO_SECTION_CF, cf) == NULL) {
    return NULL;
  }
  size_t pos = new_section_pos(f, kind, cf);
  return insert_section(f, pos, kind, cf ? strdup(cf) : NULL, canonical_header(kind, cf));
}

/* ---- get / set / unset / foreach / cf list --------------------------------------------------- */

static int valid_kind(elmo_section s) {
  return s >= ELMO_SECTION_VERSION && s <= ELMO_SECTION_TABLE;
}

const char *elmo_optfile_get(const elmo_optfile *f, elmo_section s, const char *cf,
                             const char *key) {
  if (f == NULL || key == NULL || !valid_kind(s)) return NULL;
  size_t i = elmo_optfile_find_section(f, s, cf);
  if (i == ELMO_OPTFILE_NPOS) return NULL;
  size_t j = elmo_optfile_find_entry(&f->secs[i], key);
  return j == ELMO_OPTFILE_NPOS ? NULL : f->secs[i].entries[j].value;
}

/* A text that would not read back the same after formatting. NULL when fine. */
static const char *unwritable(const char *text, int is_key) {
  size_t n = strlen(text);
  if (strpbrk(text, "\r\n") != NULL) return "contains a newline";
  if (n > 0 && (isspace((unsigned char)text[0]) || isspace((unsigned char)text[n - 1]))) {
    return "has leading or trailing spaces";
  }
  if (comment_start(text, n) != n) return "contains '#' (write it as \\#)";
  if (is_key && n == 0) return "is empty";
  if (is_key && strchr(text, '=') != NULL) return "contains '='";
  if (is_key && text[0] == '[') return "starts with '['";
  return NULL;
}

static elmo_rc check_set_args(const elmo_optfile *f, elmo_section s, const char *key,
                              const char *value, elmo_error *err) {
  if (f == NULL || key == NULL || value == NULL || !valid_kind(s)) {
    return elmo_error_set(err, ELMO_EINVAL, "optfile_set: NULL file, key or value, or bad section");
  }
  const char *why = unwritable(key, 1);
  if (why != NULL) return elmo_error_set(err, ELMO_EINVAL, "option name '%s' %s", key, why);
  why = unwritable(value, 0);
  if (why != NULL) return elmo_error_set(err, ELMO_EINVAL, "value of %s %s", key, why);
  if (s == ELMO_SECTION_VERSION && strcmp(key, "rocksdb_version") != 0 &&
      strcmp(key, "options_file_version") != 0) {
    return elmo_error_set(err, ELMO_EINVAL,
                          "[Version] has no key '%s' (allowed: rocksdb_version, "
                          "options_file_version)",
                          key);
  }
  return ELMO_OK;
}

elmo_rc elmo_optfile_set(elmo_optfile *f, elmo_section s, const char *cf, const char *key,
                         const char *value, elmo_error *err) {
  elmo_rc rc = check_set_args(f, s, key, value, err);
  if (rc != ELMO_OK) return rc;
  opt_section *sec = elmo_optfile_ensure_section(f, s, cf);
  if (sec == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory adding a section");
  size_t j = elmo_optfile_find_entry(sec, key);
  if (j == ELMO_OPTFILE_NPOS) {
    rc = section_append(sec, key, strlen(key), value, strlen(value));
    return rc ? elmo_error_set(err, rc, "out of memory setting %s", key) : ELMO_OK;
  }
  char *v = strdup(value);
  if (v == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory setting %s", key);
  free(sec->entries[j].value);
  sec->entries[j].value = v;
  return ELMO_OK;
}

int elmo_optfile_unset(elmo_optfile *f, elmo_section s, const char *cf, const char *key) {
  if (f == NULL || key == NULL || !valid_kind(s)) return 0;
  size_t i = elmo_optfile_find_section(f, s, cf);
  if (i == ELMO_OPTFILE_NPOS) return 0;
  opt_section *sec = &f->secs[i];
  size_t j = elmo_optfile_find_entry(sec, key);
  if (j == ELMO_OPTFILE_NPOS) return 0;
  free(sec->entries[j].key);
  free(sec->entries[j].value);
  memmove(&sec->entries[j], &sec->entries[j + 1], (sec->n - j - 1) * sizeof(sec->entries[0]));
  sec->n--;
  return 1;
}

size_t elmo_optfile_cf_count(const elmo_optfile *f) {
  size_t n = 0;
  for (size_t i = 0; f != NULL && i < f->n; i++) n += f->secs[i].kind == ELMO_SECTION_CF;
  return n;
}

const char *elmo_optfile_cf_name(const elmo_optfile *f, size_t i) {
  for (size_t k = 0; f != NULL && k < f->n; k++) {
    if (f->secs[k].kind == ELMO_SECTION_CF && i-- == 0) return f->secs[k].cf;
  }
  return NULL;
}

void elmo_optfile_foreach(const elmo_optfile *f, elmo_optfile_visit_fn fn, void *ctx) {
  for (size_t i = 0; f != NULL && fn != NULL && i < f->n; i++) {
    const opt_section *sec = &f->secs[i];
    for (size_t j = 0; j < sec->n; j++) {
      if (fn(ctx, sec->kind, sec->cf, sec->entries[j].key, sec->entries[j].value)) return;
    }
  }
}

/* ---- parse ----------------------------------------------------------------------------------- */

typedef struct parse_ctx {
  elmo_optfile *f;
  opt_section *cur; /* the section being filled; NULL before the first header */
  int line;         /* 1-based */
  elmo_error *err;
} parse_ctx;

/* The kind of a section title; TableOptions/<type> takes any non-empty type (as RocksDB). */
static int title_kind(const char *t, size_t n, elmo_section *kind) {
  static const struct {
    const char *title;
    elmo_section kind;
    int is_prefix;
  } kTitles[] = {{"Version", ELMO_SECTION_VERSION, 0},
                 {"DBOptions", ELMO_SECTION_DB, 0},
                 {"CFOptions", ELMO_SECTION_CF, 0},
                 {"TableOptions/", ELMO_SECTION_TABLE, 1}};
  for (size_t i = 0; i < sizeof(kTitles) / sizeof(kTitles[0]); i++) {
    size_t len = strlen(kTitles[i].title);
    if ((kTitles[i].is_prefix ? n > len : n == len) && memcmp(t, kTitles[i].title, len) == 0) {
      *kind = kTitles[i].kind;
      return 1;
    }
  }
  return 0;
}

/* Reads "[Title]" or "[Title \"arg\"]" (s..s+n is the trimmed line, '[' to ']'): the argument runs
 * from the first to the last double quote, as in RocksDB's ParseSection. */
static elmo_rc header_kind(parse_ctx *pc, const char *s, size_t n, elmo_section *kind, char **cf) {
  const char *in = s + 1;
  size_t len = n - 2, tb = 0, te = len;
  const char *q1 = memchr(in, '"', len), *q2 = NULL;
  for (size_t i = len; q1 != NULL && q2 == NULL; i--) {
    if (in[i - 1] == '"') q2 = &in[i - 1];
  }
  int has_arg = q1 != NULL && q2 != q1;
  if (has_arg) te = (size_t)(q1 - in);
  trim(in, &tb, &te);
  if (!title_kind(in + tb, te - tb, kind)) {
    return elmo_error_set(pc->err, ELMO_EPARSE, "line %d: unknown section %.*s", pc->line, (int)n,
                          s);
  }
  if (has_cf(*kind) != has_arg) {
    return elmo_error_set(
        pc->err, ELMO_EPARSE, "line %d: section %.*s %s", pc->line, (int)n, s,
        has_arg ? "takes no column family name" : "needs a quoted column family name");
  }
  if (has_arg && (*cf = unescape_name(q1 + 1, (size_t)(q2 - q1 - 1))) == NULL) {
    return elmo_error_set(pc->err, ELMO_ENOMEM, "out of memory");
  }
  return ELMO_OK;
}

/* RocksDB's rules on section order: no duplicates, "default" first, TABLE after its CF. */
static elmo_rc check_new_section(parse_ctx *pc, elmo_section kind, const char *cf,
                                 const char *hdr) {
  const elmo_optfile *f = pc->f;
  if (elmo_optfile_find_section(f, kind, cf) != ELMO_OPTFILE_NPOS) {
    return elmo_error_set(pc->err, ELMO_EPARSE, "line %d: duplicate section %s", pc->line, hdr);
  }
  if (kind == ELMO_SECTION_TABLE &&
      elmo_optfile_find_section(f, ELMO_SECTION_CF, cf) == ELMO_OPTFILE_NPOS) {
    return elmo_error_set(pc->err, ELMO_EPARSE,
                          "line %d: %s comes before any [CFOptions] of column family '%s'",
                          pc->line, hdr, cf);
  }
  if (kind == ELMO_SECTION_CF && strcmp(cf, "default") == 0 && elmo_optfile_cf_count(f) > 0) {
    return elmo_error_set(pc->err, ELMO_EPARSE,
                          "line %d: %s must be the first column family section", pc->line, hdr);
  }
  return ELMO_OK;
}

static elmo_rc parse_header(parse_ctx *pc, const char *s, size_t n) {
  if (n < 2 || s[n - 1] != ']') {
    return elmo_error_set(pc->err, ELMO_EPARSE, "line %d: unterminated section header %.*s",
                          pc->line, (int)n, s);
  }
  elmo_section kind = ELMO_SECTION_VERSION;
  char *cf = NULL;
  char *hdr = elmo_optfile_strndup(s, n);
  elmo_rc rc = hdr ? header_kind(pc, s, n, &kind, &cf) : ELMO_ENOMEM;
  if (rc == ELMO_OK) rc = check_new_section(pc, kind, cf, hdr);
  if (rc != ELMO_OK) {
    free(cf);
    free(hdr);
    return rc == ELMO_ENOMEM ? elmo_error_set(pc->err, rc, "out of memory") : rc;
  }
  pc->cur = insert_section(pc->f, pc->f->n, kind, cf, hdr);
  return pc->cur ? ELMO_OK : elmo_error_set(pc->err, ELMO_ENOMEM, "out of memory");
}

static elmo_rc parse_statement(parse_ctx *pc, const char *s, size_t n) {
  if (pc->cur == NULL) {
    return elmo_error_set(pc->err, ELMO_EPARSE, "line %d: '%.*s' comes before any section",
                          pc->line, (int)n, s);
  }
  const char *eq = memchr(s, '=', n);
  if (eq == NULL) {
    return elmo_error_set(pc->err, ELMO_EPARSE, "line %d: expected key=value, got '%.*s'", pc->line,
                          (int)n, s);
  }
  size_t kb = 0, ke = (size_t)(eq - s), vb = ke + 1, ve = n;
  trim(s, &kb, &ke);
  trim(s, &vb, &ve);
  if (kb == ke) return elmo_error_set(pc->err, ELMO_EPARSE, "line %d: empty option name", pc->line);
  for (size_t j = 0; j < pc->cur->n; j++) {
    const char *k = pc->cur->entries[j].key;
    if (strlen(k) == ke - kb && memcmp(k, s + kb, ke - kb) == 0) {
      return elmo_error_set(pc->err, ELMO_EPARSE, "line %d: duplicate key '%s' in %s", pc->line, k,
                            pc->cur->header);
    }
  }
  if (section_append(pc->cur, s + kb, ke - kb, s + vb, ve - vb) != ELMO_OK) {
    return elmo_error_set(pc->err, ELMO_ENOMEM, "out of memory");
  }
  return ELMO_OK;
}

static elmo_rc parse_line(parse_ctx *pc, const char *s, size_t n) {
  if (memchr(s, '\0', n) != NULL) {
    return elmo_error_set(pc->err, ELMO_EPARSE, "line %d: contains a NUL byte", pc->line);
  }
  size_t b = 0, e = comment_start(s, n);
  trim(s, &b, &e);
  if (b == e) return ELMO_OK;
  if (s[b] == '[') return parse_header(pc, s + b, e - b);
  return parse_statement(pc, s + b, e - b);
}

elmo_rc elmo_optfile_parse(const char *text, size_t len, elmo_optfile **out, elmo_error *err) {
  if (out != NULL) *out = NULL;
  if (out == NULL || (text == NULL && len > 0)) {
    return elmo_error_set(err, ELMO_EINVAL, "optfile_parse: NULL text or out");
  }
  parse_ctx pc = {calloc(1, sizeof(elmo_optfile)), NULL, 0, err};
  if (pc.f == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  size_t pos = 0;
  while (pos < len) {
    const char *nl = memchr(text + pos, '\n', len - pos);
    size_t end = nl ? (size_t)(nl - text) : len;
    pc.line++;
    elmo_rc rc = parse_line(&pc, text + pos, end - pos);
    if (rc != ELMO_OK) {
      elmo_optfile_destroy(pc.f);
      return rc;
    }
    pos = end + 1;
  }
  *out = pc.f;
  return ELMO_OK;
}
