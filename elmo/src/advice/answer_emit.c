/* answer_emit.c — the one way an assignment enters a block's list: key and value cleaning,
 * section names, table-factory expansion, caps. See answer_internal.h. */
#include <stdlib.h>
#include <string.h>

#include "base/scan.h"
#include "answer_internal.h"

void elmo_answer_trim(const char **p, size_t *n) {
  while (*n > 0 && ans_is_space((*p)[0])) (*p)++, (*n)--;
  while (*n > 0 && ans_is_space((*p)[*n - 1])) (*n)--;
}

int elmo_answer_ieq(const char *p, size_t n, const char *w) {
  size_t wn = strlen(w);
  if (n != wn) return 0;
  for (size_t i = 0; i < n; i++) {
    if (ans_lower(p[i]) != w[i]) return 0;
  }
  return 1;
}

size_t elmo_answer_squash(const char *p, size_t n, char *buf, size_t cap) {
  size_t k = 0;
  for (size_t i = 0; i < n && k + 1 < cap; i++) {
    if (ans_is_alpha(p[i]) || ans_is_digit(p[i])) buf[k++] = ans_lower(p[i]);
  }
  buf[k] = '\0';
  return k;
}

static int in_list(const char *w, const char *const *list, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (strcmp(w, list[i]) == 0) return 1;
  }
  return 0;
}
#define IN_LIST(w, list) in_list((w), (list), sizeof(list) / sizeof((list)[0]))

ans_section elmo_answer_section_of(const char *p, size_t n) {
  static const char *const kDb[] = {"dboptions", "dboption", "db", "database", "databaseoptions",
                                    "dbopts", "dboptionsdefault"};
  static const char *const kCf[] = {"cfoptions", "cfoption", "cf", "columnfamilyoptions",
                                    "columnfamilyoption", "columnfamily", "cfopts"};
  static const char *const kTable[] = {"tableoptions", "tableoption", "blockbasedtable",
                                       "blockbasedtableoptions", "blockbasedtableoption",
                                       "blockbasedtablefactory", "tablefactory", "bbto",
                                       "tableopts", "blockbasedoptions"};
  char w[64];
  if (n == 0 || n >= sizeof(w)) return ANS_SEC_NONE;
  elmo_answer_squash(p, n, w, sizeof(w));
  if (w[0] == '\0' || strchr("dcbtv", w[0]) == NULL) return ANS_SEC_NONE; /* cheap reject */
  if (IN_LIST(w, kDb)) return ANS_SEC_DB;
  if (IN_LIST(w, kCf)) return ANS_SEC_CF;
  if (IN_LIST(w, kTable) || strncmp(w, "tableoptions", 12) == 0) return ANS_SEC_TABLE;
  if (strcmp(w, "version") == 0) return ANS_SEC_VERSION;
  return ANS_SEC_NONE;
}

elmo_section_hint elmo_answer_hint_of(ans_section s) {
  switch (s) {
    case ANS_SEC_DB: return ELMO_HINT_DB;
    case ANS_SEC_CF: return ELMO_HINT_CF;
    case ANS_SEC_TABLE: return ELMO_HINT_TABLE;
    default: return ELMO_HINT_NONE;
  }
}

int elmo_answer_marks(const char *p, size_t n) {
  static const char *const kFinal[] = {
      "final", "finalized", "recommended", "recommend", "recommendation", "recommendations",
      "proposed", "propose", "proposal", "new", "updated", "update", "tuned", "suggested",
      "suggest", "suggestion", "suggestions", "optimized", "optimised", "improved", "revised",
      "after", "target", "apply"};
  static const char *const kCurrent[] = {"current", "currently", "old", "original", "before",
                                         "baseline", "existing", "previous", "present"};
  int marks = 0;
  size_t i = 0;
  while (i < n) {
    while (i < n && !ans_is_alpha(p[i])) i++;
    char w[24];
    size_t k = 0;
    for (; i < n && ans_is_alpha(p[i]); i++) {
      if (k + 1 < sizeof(w)) w[k++] = ans_lower(p[i]);
    }
    w[k] = '\0';
    if (k == 0) continue;
    if (IN_LIST(w, kFinal)) marks |= ANS_MARK_FINAL;
    if (IN_LIST(w, kCurrent)) marks |= ANS_MARK_CURRENT;
  }
  return marks;
}

/* See answer_internal.h. */
int elmo_answer_looks_like_value(const char *p, size_t n) {
  static const char *const kWords[] = {"true", "false", "yes", "no", "on", "off", "none", "null",
                                       "enabled", "disabled", "snappy", "zstd", "lz4", "lz4hc",
                                       "zlib", "bzip2", "xpress", "level", "universal", "fifo",
                                       "leveled"};
  if (n == 0) return 0;
  char c = p[0];
  if (ans_is_digit(c) || c == '-' || c == '+' || c == '.' || c == '{' || c == '"' || c == '\'' ||
      c == '`')
    return 1;
  if (n >= 2 && c == 'k' && p[1] >= 'A' && p[1] <= 'Z') return 1;
  for (size_t i = 0; i < n; i++) {
    if (ans_is_digit(p[i]) || p[i] == '_' || p[i] == ':' || p[i] == '/') return 1;
  }
  for (size_t i = 0; i < sizeof(kWords) / sizeof(kWords[0]); i++) {
    if (elmo_answer_ieq(p, n, kWords[i])) return 1;
  }
  return 0;
}

/* ---- keys ---------------------------------------------------------------------------------- */

static int is_wrapper(char c) { return c == '*' || c == '`' || c == '"' || c == '\''; }

/* A generic object name before a dot: `options.write_buffer_size`. */
static int is_generic_prefix(const char *p, size_t n) {
  static const char *const kGeneric[] = {"options", "opts", "option", "opt", "o", "rocksdb",
                                         "rocksdboptions", "config", "cfg", "settings"};
  char w[32];
  if (n >= sizeof(w)) return 0;
  elmo_answer_squash(p, n, w, sizeof(w));
  return IN_LIST(w, kGeneric);
}

static int key_shape_ok(const char *k, size_t n) {
  if (n == 0 || !(ans_is_alpha(k[0]) || k[0] == '_')) return 0;
  for (size_t i = 0; i < n; i++) {
    if (!ans_is_ident(k[i])) return 0;
  }
  char last = k[n - 1];
  return ans_is_alpha(last) || ans_is_digit(last) || last == '_';
}

/* A key without '_' where snake keys are wanted: a lowercase word (`compression`, `ttl`) whose
 * value looks like a value, not `Note: this`. */
static int plain_word_ok(const char *k, size_t n, const char *v, size_t vn) {
  for (size_t i = 0; i < n; i++) {
    if (!((k[i] >= 'a' && k[i] <= 'z') || ans_is_digit(k[i]))) return 0;
  }
  return vn > 0 && elmo_answer_looks_like_value(v, vn);
}

/* Returns 1 when the key is usable; strips wrappers and section prefixes (setting the hint). */
static int clean_key(const char **key, size_t *kn, ans_where *w, const char *v, size_t vn) {
  const char *k = *key;
  size_t n = *kn;
  elmo_answer_trim(&k, &n);
  while (n > 0 && is_wrapper(k[0])) k++, n--;
  while (n > 0 && is_wrapper(k[n - 1])) n--;
  elmo_answer_trim(&k, &n);
  if (!key_shape_ok(k, n)) return 0;
  int prefixed = 0;
  for (int level = 0; level < 3; level++) {
    const char *dot = memchr(k, '.', n);
    if (dot == NULL) break;
    size_t pn = (size_t)(dot - k);
    ans_section sec = elmo_answer_section_of(k, pn);
    if (sec == ANS_SEC_DB || sec == ANS_SEC_CF || sec == ANS_SEC_TABLE) {
      w->hint = elmo_answer_hint_of(sec);
    } else if (!is_generic_prefix(k, pn)) {
      break;
    }
    k = dot + 1, n -= pn + 1, prefixed = 1;
    if (!key_shape_ok(k, n)) return 0;
  }
  if (w->snake_keys != ANS_KEYS_ANY && memchr(k, '_', n) == NULL) {
    if (w->snake_keys == ANS_KEYS_CODE && !prefixed) return 0;
    if (w->snake_keys == ANS_KEYS_PROSE && !plain_word_ok(k, n, v, vn)) return 0;
  }
  *key = k, *kn = n;
  return 1;
}

/* ---- values -------------------------------------------------------------------------------- */

static void clean_value(const char **val, size_t *vn) {
  const char *v = *val;
  size_t n = *vn;
  elmo_answer_trim(&v, &n);
  for (int pass = 0; pass < 2 && n > 0; pass++) {
    if (v[n - 1] == ',' || v[n - 1] == ';') n--;
    elmo_answer_trim(&v, &n);
  }
  while (n >= 4 && v[0] == '*' && v[1] == '*' && v[n - 1] == '*' && v[n - 2] == '*') {
    v += 2, n -= 4;
  }
  if (n >= 2 && v[0] == v[n - 1] && (v[0] == '"' || v[0] == '\'' || v[0] == '`')) v++, n -= 2;
  elmo_answer_trim(&v, &n);
  *val = v, *vn = n;
}

/* Printable UTF-8 (tabs allowed, other control bytes not). */
static int value_is_text(const char *v, size_t n) {
  const unsigned char *p = (const unsigned char *)v;
  size_t i = 0;
  while (i < n) {
    unsigned c = p[i];
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t') || c == 0x7f) return 0;
      i++;
      continue;
    }
    size_t len = (c >= 0xc2 && c <= 0xdf)   ? 2
                 : (c >= 0xe0 && c <= 0xef) ? 3
                 : (c >= 0xf0 && c <= 0xf4) ? 4
                                            : 0;
    if (len == 0 || i + len > n) return 0;
    for (size_t k = 1; k < len; k++) {
      if ((p[i + k] & 0xc0) != 0x80) return 0;
    }
    if ((c == 0xe0 && p[i + 1] < 0xa0) || (c == 0xed && p[i + 1] > 0x9f) ||
        (c == 0xf0 && p[i + 1] < 0x90) || (c == 0xf4 && p[i + 1] > 0x8f)) {
      return 0; /* overlong, surrogate or beyond U+10FFFF */
    }
    i += len;
  }
  return 1;
}

static char *dup_span(const char *p, size_t n) {
  char *s = malloc(n + 1);
  if (s != NULL) {
    memcpy(s, p, n);
    s[n] = '\0';
  }
  return s;
}

static void append(ans_sink *s, const ans_where *w, const char *k, size_t kn, const char *v,
                   size_t vn) {
  if (s->count >= ANS_MAX_ASSIGNMENTS) {
    s->dropped++;
    return;
  }
  if (s->count == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 16;
    elmo_assignment *items = realloc(s->items, cap * sizeof(*items));
    if (items == NULL) {
      s->oom = 1;
      return;
    }
    s->items = items, s->cap = cap;
  }
  elmo_assignment *a = &s->items[s->count];
  memset(a, 0, sizeof(*a));
  a->key = dup_span(k, kn);
  a->value = dup_span(v, vn);
  a->cf_name = w->cf ? dup_span(w->cf, w->cf_len) : NULL;
  if (a->key == NULL || a->value == NULL || (w->cf && a->cf_name == NULL)) {
    free(a->key), free(a->value), free(a->cf_name);
    s->oom = 1;
    return;
  }
  a->section = w->hint;
  a->origin = w->origin;
  a->line = w->line;
  a->block = s->block;
  s->count++;
}

/* Offset of the first c1 or c2 at brace/bracket depth 0 outside quotes in (p, n), or n. */
static size_t find_top(const char *p, size_t n, const char *stops) {
  elmo_scan sc = {.flags = ELMO_SCAN_SINGLE_QUOTES | ELMO_SCAN_SQUARE};
  for (size_t i = 0; i < n; i++) {
    if (elmo_scan_next(&sc, p[i]) == ELMO_SCAN_TOP && p[i] != '\0' && strchr(stops, p[i]) != NULL)
      return i;
  }
  return n;
}

/* `block_based_table_factory={block_size=16384;...}`: one TABLE assignment per inner k=v. */
static int expand_table(ans_sink *s, const ans_where *w, const char *k, size_t kn, const char *v,
                        size_t vn) {
  if (vn < 2 || v[0] != '{' || v[vn - 1] != '}' || s->depth >= 2) return 0;
  if (elmo_answer_section_of(k, kn) != ANS_SEC_TABLE) return 0;
  ans_where inner = *w;
  inner.hint = ELMO_HINT_TABLE;
  inner.snake_keys = ANS_KEYS_ANY;
  const char *p = v + 1;
  size_t n = vn - 2;
  s->depth++;
  while (n > 0) {
    size_t end = find_top(p, n, ";,\n");
    size_t sep = find_top(p, end, "=:");
    if (sep < end) elmo_answer_emit(s, &inner, p, sep, p + sep + 1, end - sep - 1);
    if (end == n) break;
    p += end + 1, n -= end + 1;
  }
  s->depth--;
  return 1;
}

void elmo_answer_emit(ans_sink *s, const ans_where *w, const char *key, size_t kn, const char *val,
                      size_t vn) {
  if (s->oom) return;
  ans_where here = *w;
  clean_value(&val, &vn);
  if (vn == 0 || !clean_key(&key, &kn, &here, val, vn)) return;
  if (kn > ANS_MAX_KEY || vn > ANS_MAX_VALUE || !value_is_text(val, vn)) {
    s->skipped_long++;
    return;
  }
  if (expand_table(s, &here, key, kn, val, vn)) return;
  append(s, &here, key, kn, val, vn);
}

void elmo_answer_sink_clear(ans_sink *s) {
  for (size_t i = 0; i < s->count; i++) {
    free(s->items[i].key);
    free(s->items[i].value);
    free(s->items[i].cf_name);
  }
  free(s->items);
  s->items = NULL;
  s->count = s->cap = 0;
  s->skipped_long = s->dropped = 0;
  s->oom = 0;
  s->depth = 0;
}

int elmo_answer_line_of(const ans_text *t, const char *at) {
  size_t lo = 0, hi = t->n_lines;
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (t->lines[mid].p <= at) lo = mid;
    else hi = mid;
  }
  return lo + 1 > (size_t)0x7fffffff ? 0x7fffffff : (int)(lo + 1);
}
