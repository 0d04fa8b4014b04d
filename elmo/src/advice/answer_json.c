/* answer_json.c — a lenient JSON reader for advisor answers (// # and block comments, trailing
 * commas, single quotes, bare words) and the walk that turns objects into assignments:
 * sections by key, table factories, before/after wrappers, change lists. See answer_internal.h. */
#include <stdlib.h>
#include <string.h>

#include "answer_internal.h"
#include "base/strbuf.h"

#define ARENA_FIRST 1024   /* bytes; chunks double from here (most attempts in prose fail fast) */
#define ARENA_CHUNK 65536  /* bytes; the largest regular chunk */

typedef enum jtype { J_OBJ, J_ARR, J_STR, J_RAW } jtype;

typedef struct jnode jnode;

typedef struct jmember {
  const char *key; /* NULL for array elements */
  size_t kn;
  const char *kpos; /* where the key (or element) starts in the answer */
  jnode *val;
  struct jmember *next;
} jmember;

struct jnode {
  jtype type;
  const char *str; /* J_STR: decoded; J_RAW: the bare word */
  size_t str_n;
  jmember *members; /* J_OBJ members, J_ARR elements */
};

typedef struct chunk {
  struct chunk *next;
  size_t used, cap;
  /* data follows */
} chunk;

typedef struct jparser {
  const char *p;
  size_t n, i;
  int depth;
  int oom;
  chunk *arena;
} jparser;

/* ---- arena --------------------------------------------------------------------------------- */

static void *arena_alloc(jparser *jp, size_t size) {
  size = (size + 15) & ~(size_t)15;
  chunk *c = jp->arena;
  if (c == NULL || c->cap - c->used < size) {
    size_t grow = c == NULL ? ARENA_FIRST : (c->cap * 2 < ARENA_CHUNK ? c->cap * 2 : ARENA_CHUNK);
    size_t cap = size > grow ? size : grow;
    size_t head = (sizeof(chunk) + 15) & ~(size_t)15;
    c = malloc(head + cap);
    if (c == NULL) {
      jp->oom = 1;
      return NULL;
    }
    c->next = jp->arena, c->used = head, c->cap = head + cap;
    jp->arena = c;
  }
  void *r = (char *)c + c->used;
  c->used += size;
  return r;
}

static void arena_free(jparser *jp) {
  while (jp->arena != NULL) {
    chunk *next = jp->arena->next;
    free(jp->arena);
    jp->arena = next;
  }
}

/* ---- reader -------------------------------------------------------------------------------- */

static void skip_ws(jparser *jp) {
  while (jp->i < jp->n) {
    char c = jp->p[jp->i];
    if (ans_is_space(c)) {
      jp->i++;
    } else if (c == '#' || (c == '/' && jp->i + 1 < jp->n && jp->p[jp->i + 1] == '/')) {
      while (jp->i < jp->n && jp->p[jp->i] != '\n') jp->i++;
    } else if (c == '/' && jp->i + 1 < jp->n && jp->p[jp->i + 1] == '*') {
      jp->i += 2;
      while (jp->i + 1 < jp->n && !(jp->p[jp->i] == '*' && jp->p[jp->i + 1] == '/')) jp->i++;
      jp->i = jp->i + 2 < jp->n ? jp->i + 2 : jp->n;
    } else {
      return;
    }
  }
}

static jnode *new_node(jparser *jp, jtype type) {
  jnode *v = arena_alloc(jp, sizeof(jnode));
  if (v != NULL) memset(v, 0, sizeof(*v)), v->type = type;
  return v;
}

static size_t put_utf8(char *out, unsigned long cp) {
  if (cp < 0x80) return out[0] = (char)cp, 1;
  if (cp < 0x800) return out[0] = (char)(0xc0 | (cp >> 6)), out[1] = (char)(0x80 | (cp & 0x3f)), 2;
  if (cp < 0x10000) {
    out[0] = (char)(0xe0 | (cp >> 12)), out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[2] = (char)(0x80 | (cp & 0x3f));
    return 3;
  }
  out[0] = (char)(0xf0 | (cp >> 18)), out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), out[3] = (char)(0x80 | (cp & 0x3f));
  return 4;
}

/* Reads 4 hex digits at p[i]; returns -1 if they are not there. */
static long hex4(const char *p, size_t n, size_t i) {
  long v = 0;
  if (i + 4 > n) return -1;
  for (size_t k = i; k < i + 4; k++) {
    char c = ans_lower(p[k]);
    int d = ans_is_digit(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/* Decodes the escape at p[i] (just after '\') into out; returns the bytes written, *i advanced. */
static size_t unescape(const char *p, size_t n, size_t *i, char *out) {
  char c = p[(*i)++];
  switch (c) {
    case 'n': return out[0] = '\n', 1;
    case 't': return out[0] = '\t', 1;
    case 'r': return out[0] = '\r', 1;
    case 'b': return out[0] = '\b', 1;
    case 'f': return out[0] = '\f', 1;
    case 'u': break;
    default: return out[0] = c, 1;
  }
  long cp = hex4(p, n, *i);
  if (cp < 0) return out[0] = '?', 1;
  *i += 4;
  if (cp >= 0xd800 && cp <= 0xdbff && *i + 1 < n && p[*i] == '\\' && p[*i + 1] == 'u') {
    long lo = hex4(p, n, *i + 2);
    if (lo >= 0xdc00 && lo <= 0xdfff) {
      *i += 6;
      return put_utf8(
          out, 0x10000 + (((unsigned long)cp - 0xd800) << 10) + ((unsigned long)lo - 0xdc00));
    }
  }
  if (cp >= 0xd800 && cp <= 0xdfff) return out[0] = '?', 1;
  return put_utf8(out, (unsigned long)cp);
}

/* A "..." or '...' string; a raw newline inside is an error (this is not JSON after all). */
static jnode *read_string(jparser *jp) {
  char quote = jp->p[jp->i++];
  size_t start = jp->i, end = start;
  while (end < jp->n && jp->p[end] != quote && jp->p[end] != '\n')
    end += (jp->p[end] == '\\') ? 2 : 1;
  if (end >= jp->n || jp->p[end] != quote) {
    jp->i = end < jp->n ? end : jp->n;
    return NULL;
  }
  jnode *v = new_node(jp, J_STR);
  char *out = arena_alloc(jp, (end - start) * 2 + 1); /* a 6-byte \u escape gives at most 4 */
  if (v == NULL || out == NULL) return NULL;
  size_t k = 0, i = start;
  while (i < end) {
    if (jp->p[i] == '\\' && i + 1 < end) {
      i++;
      k += unescape(jp->p, end, &i, out + k);
    } else {
      out[k++] = jp->p[i++];
    }
  }
  v->str = out, v->str_n = k;
  jp->i = end + 1;
  return v;
}

static int is_bare(char c) {
  return !ans_is_space(c) && c != ',' && c != ':' && c != '{' && c != '}' && c != '[' &&
         c != ']' && c != '"' && c != '\'' && c != '#' && c != '=';
}

static jnode *read_bare(jparser *jp) {
  size_t start = jp->i;
  while (jp->i < jp->n && is_bare(jp->p[jp->i]) &&
         !(jp->p[jp->i] == '/' && jp->i + 1 < jp->n &&
           (jp->p[jp->i + 1] == '/' || jp->p[jp->i + 1] == '*'))) {
    jp->i++;
  }
  if (jp->i == start) return NULL;
  jnode *v = new_node(jp, J_RAW);
  if (v != NULL) v->str = jp->p + start, v->str_n = jp->i - start;
  return v;
}

static jnode *read_value(jparser *jp);

/* The members of an object ('}') or the elements of an array (']'). */
static jnode *read_container(jparser *jp, jtype type, char close) {
  jnode *v = new_node(jp, type);
  jmember **tail = v ? &v->members : NULL;
  if (v == NULL || ++jp->depth > ANS_MAX_DEPTH) return NULL;
  jp->i++;
  for (;;) {
    skip_ws(jp);
    if (jp->i >= jp->n) return NULL;
    if (jp->p[jp->i] == close) break;
    jmember *m = arena_alloc(jp, sizeof(jmember));
    if (m == NULL) return NULL;
    memset(m, 0, sizeof(*m));
    m->kpos = jp->p + jp->i;
    if (type == J_OBJ) {
      char c = jp->p[jp->i];
      jnode *k = (c == '"' || c == '\'') ? read_string(jp) : read_bare(jp);
      if (k == NULL) return NULL;
      m->key = k->str, m->kn = k->str_n;
      skip_ws(jp);
      if (jp->i >= jp->n || (jp->p[jp->i] != ':' && jp->p[jp->i] != '=')) return NULL;
      jp->i++;
    }
    if ((m->val = read_value(jp)) == NULL) return NULL;
    *tail = m, tail = &m->next;
    skip_ws(jp);
    if (jp->i < jp->n && jp->p[jp->i] == ',') {
      jp->i++;
    } else if (jp->i >= jp->n || jp->p[jp->i] != close) {
      return NULL;
    }
  }
  jp->i++;
  jp->depth--;
  return v;
}

static jnode *read_value(jparser *jp) {
  skip_ws(jp);
  if (jp->i >= jp->n) return NULL;
  char c = jp->p[jp->i];
  if (c == '{') return read_container(jp, J_OBJ, '}');
  if (c == '[') return read_container(jp, J_ARR, ']');
  if (c == '"' || c == '\'') return read_string(jp);
  return read_bare(jp);
}

/* ---- walk ---------------------------------------------------------------------------------- */

typedef struct jwalk {
  ans_sink *s;
  const ans_text *t;
} jwalk;

/* RocksDB's text for a nested value: objects as {k=v;k2=v2}, arrays as a:b:c. */
static void serialize(elmo_strbuf *b, const jnode *v) {
  if (v->type == J_STR || v->type == J_RAW) {
    elmo_strbuf_appendn(b, v->str, v->str_n);
    return;
  }
  if (v->type == J_OBJ) elmo_strbuf_append(b, "{");
  for (const jmember *m = v->members; m != NULL && !b->oom && b->len <= ANS_MAX_VALUE;
       m = m->next) {
    if (m != v->members) elmo_strbuf_append(b, v->type == J_OBJ ? ";" : ":");
    if (v->type == J_OBJ) {
      elmo_strbuf_appendn(b, m->key, m->kn);
      elmo_strbuf_append(b, "=");
    }
    serialize(b, m->val);
  }
  if (v->type == J_OBJ) elmo_strbuf_append(b, "}");
}

static void emit_serialized(jwalk *jw, const ans_where *w, const jmember *m) {
  elmo_strbuf b = ELMO_STRBUF_INIT;
  serialize(&b, m->val);
  if (b.oom || b.len > ANS_MAX_VALUE) {
    jw->s->skipped_long++;
  } else {
    elmo_answer_emit(jw->s, w, m->key, m->kn, b.p ? b.p : "", b.len);
  }
  elmo_strbuf_free(&b);
}

static int squash_has(const char *p, size_t n, const char *const *words, size_t nw) {
  char w[64];
  elmo_answer_squash(p, n, w, sizeof(w));
  for (size_t i = 0; i < nw; i++) {
    if (strstr(w, words[i]) != NULL) return 1;
  }
  return 0;
}
#define SQUASH_HAS(p, n, list) squash_has((p), (n), (list), sizeof(list) / sizeof((list)[0]))

/* An object value that is one option's structured value (kept whole) rather than a wrapper. */
static int is_struct_key(const char *k, size_t n) {
  static const char *const kWrapper[] = {"option", "config", "setting", "recommend", "final",
                                         "propos", "change", "tuned", "tuning", "suggest", "after",
                                         "before", "current", "rocksdb", "result", "answer",
                                         "updated", "new", "old", "baseline", "original"};
  char w[64];
  elmo_answer_squash(k, n, w, sizeof(w));
  size_t wn = strlen(w);
  if (strncmp(w, "compactionoptions", 17) == 0) return 1;
  if ((wn > 4 && strcmp(w + wn - 4, "opts") == 0) || (wn > 7 && strcmp(w + wn - 7, "factory") == 0))
    return 1;
  if (SQUASH_HAS(k, n, kWrapper)) return 0;
  return memchr(k, '_', n) != NULL || memchr(k, '.', n) != NULL;
}

static void walk_object(jwalk *jw, const jnode *obj, ans_where w);
static void walk_array(jwalk *jw, const jnode *arr, ans_where w);

static const jmember *field(const jnode *obj, const char *const *names, size_t nn) {
  for (size_t i = 0; i < nn; i++) {
    for (const jmember *m = obj->members; m != NULL; m = m->next) {
      if (m->val->type != J_OBJ && m->val->type != J_ARR &&
          elmo_answer_ieq(m->key, m->kn, names[i]))
        return m;
    }
  }
  return NULL;
}
#define FIELD(obj, list) field((obj), (list), sizeof(list) / sizeof((list)[0]))

/* `{"option": "write_buffer_size", "recommended": "128MB", "current": "64MB"}`. Returns 0 when
 * the object is not such a change. */
static int emit_change(jwalk *jw, const jnode *obj, ans_where w) {
  static const char *const kName[] = {"option", "name", "key", "parameter", "param", "setting",
                                      "option_name", "flag"};
  static const char *const kValue[] = {"recommended", "recommended_value", "new_value", "new",
                                       "proposed", "proposed_value", "suggested", "suggested_value",
                                       "value", "to", "after", "target"};
  static const char *const kSection[] = {"section", "scope"};
  const jmember *name = FIELD(obj, kName), *value = FIELD(obj, kValue), *sec = FIELD(obj, kSection);
  if (name == NULL) return 0;
  if (value == NULL) return 1;
  w.line = elmo_answer_line_of(jw->t, name->kpos);
  if (sec != NULL) {
    ans_section sc = elmo_answer_section_of(sec->val->str, sec->val->str_n);
    if (sc != ANS_SEC_NONE && sc != ANS_SEC_VERSION) w.hint = elmo_answer_hint_of(sc);
  }
  elmo_answer_emit(jw->s, &w, name->val->str, name->val->str_n, value->val->str, value->val->str_n);
  return 1;
}

static void walk_array(jwalk *jw, const jnode *arr, ans_where w) {
  for (const jmember *m = arr->members; m != NULL && !jw->s->oom; m = m->next) {
    if (m->val->type == J_OBJ && !emit_change(jw, m->val, w)) walk_object(jw, m->val, w);
    if (m->val->type == J_ARR) walk_array(jw, m->val, w);
  }
}

static int has_final_wrapper(const jnode *obj) {
  for (const jmember *m = obj->members; m != NULL; m = m->next) {
    if (m->val->type == J_OBJ && elmo_answer_marks(m->key, m->kn) == ANS_MARK_FINAL) return 1;
  }
  return 0;
}

/* A member whose value is an object: a section, a struct value, or a wrapper to look into. */
static void object_member(jwalk *jw, const jmember *m, ans_where w, int final_sibling) {
  ans_section sec = elmo_answer_section_of(m->key, m->kn);
  if (sec == ANS_SEC_VERSION) return;
  if (sec != ANS_SEC_NONE) {
    if (sec != ANS_SEC_TABLE) w.cf = NULL, w.cf_len = 0;
    w.hint = elmo_answer_hint_of(sec);
    walk_object(jw, m->val, w);
  } else if (final_sibling && elmo_answer_marks(m->key, m->kn) == ANS_MARK_CURRENT) {
    return; /* {"current": {...}, "recommended": {...}} */
  } else if (is_struct_key(m->key, m->kn)) {
    emit_serialized(jw, &w, m);
  } else {
    if (w.hint == ELMO_HINT_CF && elmo_answer_marks(m->key, m->kn) == 0 &&
        memchr(m->key, '_', m->kn) == NULL) {
      w.cf = m->key, w.cf_len = m->kn; /* {"CFOptions": {"default": {...}}} */
    }
    walk_object(jw, m->val, w);
  }
}

static void walk_object(jwalk *jw, const jnode *obj, ans_where w) {
  int final_sibling = has_final_wrapper(obj);
  for (const jmember *m = obj->members; m != NULL && !jw->s->oom; m = m->next) {
    ans_where here = w;
    here.line = elmo_answer_line_of(jw->t, m->kpos);
    if (m->val->type == J_OBJ) {
      object_member(jw, m, here, final_sibling);
    } else if (m->val->type == J_ARR && m->val->members != NULL &&
               m->val->members->val->type == J_OBJ) {
      walk_array(jw, m->val, here);
    } else if (m->val->type == J_ARR) {
      emit_serialized(jw, &here, m);
    } else {
      elmo_answer_emit(jw->s, &here, m->key, m->kn, m->val->str, m->val->str_n);
    }
  }
}

int elmo_answer_parse_json(ans_sink *s, const ans_text *t, const char *p, size_t n, size_t *used) {
  jparser jp = {p, n, 0, 0, 0, NULL};
  skip_ws(&jp);
  jnode *root = NULL;
  if (jp.i < n && (p[jp.i] == '{' || p[jp.i] == '[')) root = read_value(&jp);
  if (used != NULL) *used = jp.i;
  if (root == NULL) {
    arena_free(&jp);
    return jp.oom ? -2 : -1;
  }
  jwalk jw = {s, t};
  ans_where w = {ELMO_HINT_NONE, NULL, 0, ELMO_ORIGIN_JSON, 0, ANS_KEYS_ANY};
  if (root->type == J_OBJ) walk_object(&jw, root, w);
  if (root->type == J_ARR) walk_array(&jw, root, w);
  arena_free(&jp);
  return 0;
}
