/* answer.c — elmo_answer_extract: the answer's lines, its candidate blocks (fenced blocks; else
 * JSON objects and assignment lines in the prose), the choice of the final configuration, and
 * the de-duplicated list. Parsing of one block lives in answer_lines.c and answer_json.c. */
#include <stdlib.h>
#include <string.h>

#include "answer_internal.h"

typedef enum bkind { B_FENCED, B_JSON, B_LOOSE } bkind;

typedef struct ans_block {
  bkind kind;
  size_t open;       /* first line: the opening fence, or the first line of the object */
  size_t first, end; /* content lines [first, end) */
  const char *info;  /* fence info string ("ini", "json", ...) */
  size_t info_n;
  const char *json; /* B_JSON: the object's text */
  size_t json_n;
  int index;
  int marks;      /* ANS_MARK_* of the words introducing it */
  size_t count;   /* assignments found */
  int flags_only; /* all of them are command-line flags */
} ans_block;

typedef struct actx {
  ans_text t;
  ans_block *blocks;
  size_t n_blocks, cap_blocks, n_fenced;
  unsigned char *role; /* per line: 0 prose, 1 fenced, 2 JSON object in prose */
  int unclosed;        /* a fence was never closed */
  size_t skipped;      /* assignments over the caps or not text, in all blocks */
  int oom;
} actx;

/* ---- lines --------------------------------------------------------------------------------- */

static int split_lines(ans_text *t) {
  size_t count = 1;
  for (const char *q = t->p; (q = memchr(q, '\n', (size_t)(t->p + t->n - q))) != NULL; q++) count++;
  t->lines = malloc(count * sizeof(ans_line));
  if (t->lines == NULL) return -1;
  const char *s = t->p, *end = t->p + t->n;
  for (size_t i = 0; i < count; i++) {
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    const char *e = nl ? nl : end;
    t->lines[i].p = s;
    t->lines[i].n = (size_t)(e - s);
    if (t->lines[i].n > 0 && s[t->lines[i].n - 1] == '\r') t->lines[i].n--;
    s = nl ? nl + 1 : end;
  }
  t->n_lines = count;
  return 0;
}

/* The 0-based line holding `at`, searching forward from line i (cheap when `at` is near). */
static size_t line_from(const ans_text *t, size_t i, const char *at) {
  while (i + 1 < t->n_lines && t->lines[i + 1].p <= at) i++;
  return i;
}

static void trimmed(const ans_text *t, size_t i, const char **p, size_t *n) {
  *p = t->lines[i].p, *n = t->lines[i].n;
  elmo_answer_trim(p, n);
}

/* `{`, or `[` followed by `{` (a list of changes), but not an `[OPTIONS section]`. */
static int opens_json(const char *p, size_t n) {
  if (n == 0 || (p[0] != '{' && p[0] != '[')) return 0;
  if (p[0] == '{') return 1;
  size_t k = 1;
  while (k < n && ans_is_space(p[k])) k++;
  return k == n || p[k] == '{';
}

/* ---- blocks -------------------------------------------------------------------------------- */

static ans_block *add_block(actx *c, bkind kind, size_t open, size_t first, size_t end) {
  if (c->n_blocks == c->cap_blocks) {
    size_t cap = c->cap_blocks ? c->cap_blocks * 2 : 8;
    ans_block *b = realloc(c->blocks, cap * sizeof(*b));
    if (b == NULL) {
      c->oom = 1;
      return NULL;
    }
    c->blocks = b, c->cap_blocks = cap;
  }
  ans_block *b = &c->blocks[c->n_blocks++];
  memset(b, 0, sizeof(*b));
  b->kind = kind, b->open = open, b->first = first, b->end = end;
  return b;
}

/* Length of a run of 3+ '`' or '~' opening line (p, n), else 0. */
static size_t fence_run(const char *p, size_t n) {
  if (n < 3 || (p[0] != '`' && p[0] != '~')) return 0;
  size_t k = 0;
  while (k < n && p[k] == p[0]) k++;
  return k >= 3 ? k : 0;
}

static int is_closing_fence(const char *p, size_t n, char ch, size_t run) {
  size_t k = fence_run(p, n);
  return k >= run && p[0] == ch && k == n;
}

static void find_fences(actx *c) {
  const ans_text *t = &c->t;
  for (size_t i = 0; i < t->n_lines && c->n_blocks < ANS_MAX_BLOCKS && !c->oom; i++) {
    const char *p;
    size_t n;
    trimmed(t, i, &p, &n);
    size_t run = fence_run(p, n);
    if (run == 0 || (p[0] == '`' && memchr(p + run, '`', n - run) != NULL)) continue;
    size_t j = i + 1;
    for (; j < t->n_lines; j++) {
      const char *q;
      size_t qn;
      trimmed(t, j, &q, &qn);
      if (is_closing_fence(q, qn, p[0], run)) break;
    }
    ans_block *b = add_block(c, B_FENCED, i, i + 1, j);
    if (b == NULL) return;
    b->info = p + run, b->info_n = n - run;
    elmo_answer_trim(&b->info, &b->info_n);
    if (j == t->n_lines) c->unclosed = 1;
    for (size_t k = i; k <= j && k < t->n_lines; k++) c->role[k] = 1;
    i = j;
  }
  c->n_fenced = c->n_blocks;
}

/* The first word of the fence info string, e.g. "json" in "json title=after". */
static int info_is(const ans_block *b, const char *const *words, size_t nw) {
  size_t n = 0;
  while (n < b->info_n &&
         (ans_is_alpha(b->info[n]) || ans_is_digit(b->info[n]) || b->info[n] == '+'))
    n++;
  for (size_t i = 0; i < nw; i++) {
    if (elmo_answer_ieq(b->info, n, words[i])) return 1;
  }
  return 0;
}
#define INFO_IS(b, list) info_is((b), (list), sizeof(list) / sizeof((list)[0]))

static int is_code_block(const ans_block *b) {
  static const char *const kCode[] = {"python", "py", "cpp", "c++", "c", "cc", "cxx", "h", "hpp",
                                      "java", "go", "golang", "rust", "rs", "kotlin", "scala",
                                      "csharp", "cs", "typescript", "ts"};
  return INFO_IS(b, kCode);
}

static int is_diff_block(const ans_block *b) {
  static const char *const kDiff[] = {"diff", "patch"};
  return INFO_IS(b, kDiff);
}

static int looks_json(const actx *c, const ans_block *b) {
  static const char *const kJson[] = {"json", "jsonc", "json5", "js", "javascript"};
  if (INFO_IS(b, kJson)) return 1;
  for (size_t i = b->first; i < b->end; i++) {
    const char *p;
    size_t n;
    trimmed(&c->t, i, &p, &n);
    if (n == 0 || p[0] == '#' || (n >= 2 && p[0] == '/' && p[1] == '/')) continue;
    return opens_json(p, n);
  }
  return 0;
}

/* The words just before a block (up to 3 non-blank lines, not crossing another block), its fence
 * info, and its leading comment lines. */
static int intro_marks(const actx *c, const ans_block *b) {
  int marks = elmo_answer_marks(b->info, b->info_n);
  size_t seen = 0;
  for (size_t i = b->open; i > 0 && seen < 3 && c->role[i - 1] == 0; i--) {
    const char *p;
    size_t n;
    trimmed(&c->t, i - 1, &p, &n);
    if (n == 0) continue;
    if (n > 512) p += n - 512, n = 512;
    marks |= elmo_answer_marks(p, n);
    seen++;
  }
  for (size_t i = b->first; b->kind == B_FENCED && i < b->end && i < b->first + 3; i++) {
    const char *p;
    size_t n;
    trimmed(&c->t, i, &p, &n);
    if (n == 0 || !(p[0] == '#' || (n >= 2 && p[0] == '/' && p[1] == '/'))) break;
    marks |= elmo_answer_marks(p, n > 512 ? 512 : n);
  }
  return marks;
}

/* ---- parsing one block --------------------------------------------------------------------- */

static void parse_fenced(actx *c, const ans_block *b, ans_sink *s) {
  if (b->first >= b->end) return;
  const char *p = c->t.lines[b->first].p;
  const char *e = c->t.lines[b->end - 1].p + c->t.lines[b->end - 1].n;
  if (looks_json(c, b)) {
    int rc = elmo_answer_parse_json(s, &c->t, p, (size_t)(e - p), NULL);
    if (rc == -2) s->oom = 1;
    if (rc != -1 && s->count > 0) return;
    int block = s->block;
    elmo_answer_sink_clear(s);
    s->block = block;
  }
  int flags = (is_code_block(b) ? ANS_LINES_CODE : 0) | (is_diff_block(b) ? ANS_LINES_DIFF : 0);
  elmo_answer_parse_lines(s, &c->t, b->first, b->end, NULL, flags);
}

static void parse_block(actx *c, const ans_block *b, ans_sink *s) {
  s->block = b->index;
  if (b->kind == B_FENCED) {
    parse_fenced(c, b, s);
  } else if (b->kind == B_JSON) {
    if (elmo_answer_parse_json(s, &c->t, b->json, b->json_n, NULL) == -2) s->oom = 1;
  } else {
    elmo_answer_parse_lines(s, &c->t, 0, c->t.n_lines, c->role, ANS_LINES_PROSE);
  }
}

/* Parses a block once to learn what it holds; the list is thrown away. */
static void survey(actx *c, ans_block *b) {
  ans_sink s;
  memset(&s, 0, sizeof(s));
  parse_block(c, b, &s);
  b->count = s.count;
  b->flags_only = s.count > 0;
  for (size_t i = 0; i < s.count; i++) {
    if (s.items[i].origin != ELMO_ORIGIN_FLAGS) b->flags_only = 0;
  }
  b->marks = intro_marks(c, b);
  c->skipped += s.skipped_long;
  if (s.oom) c->oom = 1;
  elmo_answer_sink_clear(&s);
}

/* JSON objects starting a line of prose, each a block. A failed object resumes the search where
 * it failed, so no text is read twice. */
static void find_prose_json(actx *c) {
  const ans_text *t = &c->t;
  for (size_t i = 0; i < t->n_lines && !c->oom; i++) {
    const char *p;
    size_t n, used = 0;
    trimmed(t, i, &p, &n);
    if (c->role[i] != 0 || !opens_json(p, n)) continue;
    size_t avail = (size_t)(t->p + t->n - p);
    ans_sink s;
    memset(&s, 0, sizeof(s));
    int rc = elmo_answer_parse_json(&s, t, p, avail, &used);
    size_t stop = line_from(t, i, p + (used > 0 ? used - 1 : 0));
    if (rc == 0 && s.count > 0) {
      ans_block *b = add_block(c, B_JSON, i, i, stop + 1);
      if (b != NULL) b->json = p, b->json_n = used;
      for (size_t k = i; k <= stop; k++) c->role[k] = 2;
    }
    if (rc == -2 || s.oom) c->oom = 1;
    elmo_answer_sink_clear(&s);
    if (stop > i) i = (rc == 0) ? stop : stop - 1;
  }
}

static void survey_prose(actx *c) {
  find_prose_json(c);
  for (size_t k = c->n_fenced; k < c->n_blocks; k++) survey(c, &c->blocks[k]);
  ans_sink s;
  memset(&s, 0, sizeof(s));
  elmo_answer_parse_lines(&s, &c->t, 0, c->t.n_lines, c->role, ANS_LINES_PROSE);
  c->skipped += s.skipped_long;
  if (s.oom) c->oom = 1;
  if (s.count > 0) {
    size_t first = (size_t)s.items[0].line - 1;
    ans_block *b = add_block(c, B_LOOSE, first, first, first + 1);
    if (b != NULL) b->count = s.count;
  }
  elmo_answer_sink_clear(&s);
}

static int by_position(const void *a, const void *b) {
  size_t x = ((const ans_block *)a)->open, y = ((const ans_block *)b)->open;
  return (x > y) - (x < y);
}

/* ---- the choice ---------------------------------------------------------------------------- */

/* The last block with assignments, unless it is introduced as the current configuration: then
 * the last one introduced as final, or the last one not introduced as current. Command lines
 * count only when no block has anything else. */
static const ans_block *choose(const actx *c) {
  int other = 0;
  for (size_t i = 0; i < c->n_blocks; i++) {
    if (c->blocks[i].count > 0 && !c->blocks[i].flags_only) other = 1;
  }
  const ans_block *last = NULL, *final = NULL, *not_current = NULL;
  for (size_t i = 0; i < c->n_blocks; i++) {
    const ans_block *b = &c->blocks[i];
    if (b->count == 0 || (other && b->flags_only)) continue;
    last = b;
    if (b->marks == ANS_MARK_FINAL) final = b;
    if (b->marks != ANS_MARK_CURRENT) not_current = b;
  }
  if (last == NULL || last->marks != ANS_MARK_CURRENT) return last;
  if (final != NULL) return final;
  return not_current != NULL ? not_current : last;
}

/* ---- the list ------------------------------------------------------------------------------ */

static size_t hash_assignment(const elmo_assignment *a) {
  size_t h = 1469598103934665603u ^ (size_t)a->section;
  for (const char *k = a->key; *k; k++) h = (h ^ (unsigned char)*k) * 1099511628211u;
  for (const char *k = a->cf_name ? a->cf_name : ""; *k; k++)
    h = (h ^ (unsigned char)*k) * 1099511628211u;
  return h;
}

static int same_slot(const elmo_assignment *a, const elmo_assignment *b) {
  if (a->section != b->section || strcmp(a->key, b->key) != 0) return 0;
  if (a->cf_name == NULL || b->cf_name == NULL) return a->cf_name == b->cf_name;
  return strcmp(a->cf_name, b->cf_name) == 0;
}

/* Last one wins, at the position of the first. Returns 0, or -1 out of memory. */
static int dedup(ans_sink *s) {
  size_t cap = 16;
  while (cap < s->count * 2) cap *= 2;
  size_t *slots = calloc(cap, sizeof(size_t)); /* index + 1 into the kept prefix; 0 = empty */
  if (slots == NULL) return -1;
  size_t kept = 0;
  for (size_t i = 0; i < s->count; i++) {
    elmo_assignment *a = &s->items[i];
    size_t h = hash_assignment(a) & (cap - 1);
    while (slots[h] != 0 && !same_slot(&s->items[slots[h] - 1], a)) h = (h + 1) & (cap - 1);
    if (slots[h] != 0) {
      elmo_assignment *old = &s->items[slots[h] - 1];
      free(old->value);
      old->value = a->value, old->line = a->line, old->origin = a->origin;
      free(a->key), free(a->cf_name);
      continue;
    }
    s->items[kept] = *a;
    slots[h] = ++kept;
  }
  s->count = kept;
  free(slots);
  return 0;
}

static elmo_rc build_list(actx *c, const ans_block *b, elmo_assignment_list **out,
                          elmo_error *err) {
  ans_sink s;
  memset(&s, 0, sizeof(s));
  parse_block(c, b, &s);
  elmo_assignment_list *list = NULL;
  if (s.oom || dedup(&s) != 0 || (list = calloc(1, sizeof(*list))) == NULL) {
    elmo_answer_sink_clear(&s);
    return elmo_error_set(err, ELMO_ENOMEM, "out of memory extracting the answer's options");
  }
  list->items = s.items, list->count = s.count;
  list->chosen_block = b->index;
  list->blocks_seen = c->n_blocks > 0x7fffffff ? 0x7fffffff : (int)c->n_blocks;
  *out = list;
  return ELMO_OK;
}

/* ---- errors -------------------------------------------------------------------------------- */

/* Bytes that are neither printable ASCII, whitespace nor part of well-formed UTF-8 lead/trail. */
static size_t count_nontext(const char *p, size_t n) {
  size_t bad = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)p[i];
    if ((ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') || ch == 0x7f || ch == 0xc0 ||
        ch == 0xc1 || ch >= 0xf5) {
      bad++;
    }
  }
  return bad;
}

static elmo_rc nothing_found(const actx *c, elmo_error *err) {
  const ans_text *t = &c->t;
  size_t bad = count_nontext(t->p, t->n);
  if (c->skipped > 0) {
    return elmo_error_set(err, ELMO_EPARSE,
                          "no usable options: %zu assignment(s) skipped (key over %d bytes, value "
                          "over %d bytes, or not text)",
                          c->skipped, ANS_MAX_KEY, ANS_MAX_VALUE);
  }
  if (bad * 20 > t->n) {
    return elmo_error_set(
        err, ELMO_EPARSE,
        "no options: the answer is not text (%zu of %zu bytes are control or invalid bytes)", bad,
        t->n);
  }
  if (c->n_fenced > 0) {
    return elmo_error_set(
        err, ELMO_EPARSE,
        "%zu fenced block(s) with no key=value lines%s, and no options in the prose", c->n_fenced,
        c->unclosed ? " (one fence is never closed)" : "");
  }
  return elmo_error_set(err, ELMO_EPARSE, "prose only, no options block (%zu lines of text)",
                        t->n_lines);
}

static elmo_rc trivial_answer(const char *text, size_t len, elmo_error *err) {
  if (len == 0) return elmo_error_set(err, ELMO_EPARSE, "empty answer");
  for (size_t i = 0; i < len; i++) {
    if (!ans_is_space(text[i])) return ELMO_OK;
  }
  return elmo_error_set(err, ELMO_EPARSE, "whitespace-only answer (%zu bytes)", len);
}

/* ---- entry --------------------------------------------------------------------------------- */

static elmo_rc extract(actx *c, elmo_assignment_list **out, elmo_error *err) {
  find_fences(c);
  for (size_t k = 0; k < c->n_blocks && !c->oom; k++) survey(c, &c->blocks[k]);
  int any = 0;
  for (size_t k = 0; k < c->n_blocks; k++) any |= c->blocks[k].count > 0;
  if (!any && !c->oom) survey_prose(c);
  if (c->oom)
    return elmo_error_set(err, ELMO_ENOMEM, "out of memory extracting the answer's options");
  if (c->n_blocks > 1) qsort(c->blocks, c->n_blocks, sizeof(ans_block), by_position);
  for (size_t k = 0; k < c->n_blocks; k++)
    c->blocks[k].index = k > 0x7fffffff ? 0x7fffffff : (int)k;
  const ans_block *b = choose(c);
  if (b == NULL) return nothing_found(c, err);
  return build_list(c, b, out, err);
}

elmo_rc elmo_answer_extract(const char *text, size_t len, elmo_assignment_list **out,
                            elmo_error *err) {
  if (out != NULL) *out = NULL;
  if (text == NULL || out == NULL)
    return elmo_error_set(err, ELMO_EINVAL, "answer text or out is NULL");
  const char *nul = memchr(text, '\0', len);
  if (nul != NULL) len = (size_t)(nul - text);
  elmo_rc rc = trivial_answer(text, len, err);
  if (rc != ELMO_OK) return rc;
  actx c;
  memset(&c, 0, sizeof(c));
  c.t.p = text, c.t.n = len;
  if (split_lines(&c.t) != 0 || (c.role = calloc(c.t.n_lines, 1)) == NULL) {
    free(c.t.lines);
    return elmo_error_set(err, ELMO_ENOMEM, "out of memory splitting a %zu-byte answer", len);
  }
  rc = extract(&c, out, err);
  free(c.role);
  free(c.blocks);
  free(c.t.lines);
  return rc;
}

void elmo_assignment_list_destroy(elmo_assignment_list *list) {
  if (list == NULL) return;
  for (size_t i = 0; i < list->count; i++) {
    free(list->items[i].key);
    free(list->items[i].value);
    free(list->items[i].cf_name);
  }
  free(list->items);
  free(list);
}
