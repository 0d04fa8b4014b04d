/* answer_lines.c — assignments from lines: OPTIONS files ([Section] + key=value), `key: value`
 * (YAML-ish, nested by indentation), db_bench command lines (--key=value), markdown tables and,
 * in prose, bullet lists. See answer_internal.h. */
#include <stdlib.h>
#include <string.h>

#include "base/scan.h"
#include "answer_internal.h"

#define STACK_MAX 8
#define CELLS_MAX 16

typedef struct frame {
  size_t indent;
  elmo_section_hint hint;
  const char *cf;
  size_t cf_len;
  int brace;   /* opened by `"Section": {`, closed by a `}` line */
  int version; /* inside [Version]: nothing there is an option */
} frame;

typedef struct lstate {
  ans_sink *s;
  const ans_text *t;
  size_t end; /* first line after the block */
  const unsigned char *role;
  int prose, snake_keys, diff;
  frame base; /* set by [Section] headers */
  frame stack[STACK_MAX];
  int depth;
  int in_table, key_col, val_col, sec_col;
  int cont;                  /* the previous line was a command ending in '\' */
  size_t no_multiline_until; /* a failed `{` scan reached here: do not rescan */
} lstate;

typedef struct cell {
  const char *p;
  size_t n;
} cell;

static const frame *top(const lstate *st) {
  return st->depth ? &st->stack[st->depth - 1] : &st->base;
}

static ans_where where_at(const lstate *st, size_t line, elmo_origin origin) {
  const frame *f = top(st);
  ans_where w = {f->hint, f->cf, f->cf_len, origin, (int)(line + 1), st->snake_keys};
  return w;
}

static size_t leading_space(const char *p, size_t n) {
  size_t i = 0;
  while (i < n && (p[i] == ' ' || p[i] == '\t')) i++;
  return i;
}

/* c is one of the characters of set (never true for NUL). */
static int in_set(char c, const char *set) { return c != '\0' && strchr(set, c) != NULL; }

static size_t strspn_n(const char *p, size_t n, const char *set) {
  size_t i = 0;
  while (i < n && in_set(p[i], set)) i++;
  return i;
}

static int starts_with(const char *p, size_t n, const char *w) {
  size_t wn = strlen(w);
  return n >= wn && memcmp(p, w, wn) == 0;
}

/* ---- sections ------------------------------------------------------------------------------ */

static frame section_frame(const lstate *st, ans_section sec, size_t indent, int brace) {
  frame f = *top(st);
  f.indent = indent, f.brace = brace;
  f.version = (sec == ANS_SEC_VERSION);
  if (!f.version) {
    f.hint = elmo_answer_hint_of(sec);
    if (sec != ANS_SEC_TABLE) f.cf = NULL, f.cf_len = 0;
  }
  return f;
}

/* The indentation of the next non-empty line of the block, or 0. */
static size_t next_indent(const lstate *st, size_t i) {
  for (size_t j = i + 1; j < st->end && j < i + 64; j++) {
    if (st->role && st->role[j]) return 0;
    const ans_line *l = &st->t->lines[j];
    size_t k = leading_space(l->p, l->n);
    if (k < l->n) return k;
  }
  return 0;
}

/* `DBOptions:` / `"DBOptions": {`: a YAML frame when the next lines are indented, a brace frame,
 * or else a header for what follows. */
static void push_section(lstate *st, ans_section sec, size_t i, size_t indent, int brace) {
  frame f = section_frame(st, sec, indent, brace);
  if (!brace && (st->prose || next_indent(st, i) <= indent)) {
    st->base = f, st->depth = 0;
    return;
  }
  if (st->depth == STACK_MAX) st->depth--;
  st->stack[st->depth++] = f;
}

static void pop_yaml(lstate *st, size_t indent) {
  while (st->depth > 0 && !st->stack[st->depth - 1].brace &&
         st->stack[st->depth - 1].indent >= indent) {
    st->depth--;
  }
}

static void pop_brace(lstate *st) {
  while (st->depth > 0) {
    if (st->stack[--st->depth].brace) return;
  }
}

/* `[DBOptions]`, `[CFOptions "default"]`, `[TableOptions/BlockBasedTable "x"]`. Returns 1 if it
 * was a header. */
static int parse_header(lstate *st, const char *p, size_t n) {
  const char *close = memchr(p, ']', n);
  if (close == NULL) return 0;
  const char *after = close + 1;
  size_t an = n - (size_t)(after - p);
  elmo_answer_trim(&after, &an);
  if (an > 0 && after[0] != '#' && !starts_with(after, an, "//")) return 0;
  const char *name = p + 1;
  size_t nn = 0, inner = (size_t)(close - name);
  while (nn < inner && (ans_is_ident(name[nn]) || name[nn] == '/')) nn++;
  if (nn == 0) return 0;
  const char *cf = name + nn;
  size_t cn = inner - nn;
  elmo_answer_trim(&cf, &cn);
  if (cn >= 2 && (cf[0] == '"' || cf[0] == '\'') && cf[cn - 1] == cf[0]) cf++, cn -= 2;
  ans_section sec = elmo_answer_section_of(name, nn);
  memset(&st->base, 0, sizeof(st->base));
  st->base.hint = elmo_answer_hint_of(sec);
  st->base.version = (sec == ANS_SEC_VERSION);
  if ((sec == ANS_SEC_CF || sec == ANS_SEC_TABLE) && cn > 0) st->base.cf = cf, st->base.cf_len = cn;
  st->depth = 0;
  return 1;
}

/* A markdown heading in prose names the section of what follows, or none. */
static void heading(lstate *st, const char *p, size_t n) {
  char w[256];
  elmo_answer_squash(p, n, w, sizeof(w));
  elmo_section_hint h = ELMO_HINT_NONE;
  if (strstr(w, "dboption") || strstr(w, "databaseoption")) h = ELMO_HINT_DB;
  if (strstr(w, "cfoption") || strstr(w, "columnfamily")) h = ELMO_HINT_CF;
  if (strstr(w, "tableoption") || strstr(w, "blockbasedtable")) h = ELMO_HINT_TABLE;
  memset(&st->base, 0, sizeof(st->base));
  st->base.hint = h;
}

/* ---- values -------------------------------------------------------------------------------- */

/* Cuts a ` # comment` or ` // comment` outside quotes and braces. */
static void cut_comment(const char *p, size_t *n) {
  elmo_scan sc = {.flags = ELMO_SCAN_SINGLE_QUOTES};
  for (size_t i = 0; i < *n; i++) {
    char c = p[i];
    if (elmo_scan_next(&sc, c) == ELMO_SCAN_TOP && (i == 0 || ans_is_space(p[i - 1])) &&
        (c == '#' || (c == '/' && i + 1 < *n && p[i + 1] == '/'))) {
      *n = i;
      return;
    }
  }
}

/* `64MB -> 128MB` / `64MB → 128MB`: the new value. */
static void after_arrow(const char **p, size_t *n) {
  size_t cut = 0;
  for (size_t i = 0; i + 1 < *n; i++) {
    if (((*p)[i] == '-' || (*p)[i] == '=') && (*p)[i + 1] == '>') cut = i + 2;
    if (i + 2 < *n && memcmp(*p + i, "\xe2\x86\x92", 3) == 0) cut = i + 3;
  }
  if (cut > 0) *p += cut, *n -= cut;
  elmo_answer_trim(p, n);
}

/* Offset just past the '}' matching p[0] == '{' within n bytes, or 0 when unbalanced. */
static size_t match_brace(const char *p, size_t n) {
  elmo_scan sc = {.flags = ELMO_SCAN_SINGLE_QUOTES};
  for (size_t i = 0; i < n; i++) {
    if (elmo_scan_next(&sc, p[i]) == ELMO_SCAN_CLOSE && sc.depth == 0) return i + 1;
  }
  return 0;
}

static int is_unit_word(const char *p, size_t n) {
  static const char *const kUnits[] = {"b", "k", "m", "g", "t", "kb", "mb", "gb", "tb", "kib",
                                       "mib", "gib", "tib", "byte", "bytes", "kilobytes",
                                       "megabytes", "gigabytes", "terabytes", "%"};
  for (size_t i = 0; i < sizeof(kUnits) / sizeof(kUnits[0]); i++) {
    if (elmo_answer_ieq(p, n, kUnits[i])) return 1;
  }
  return 0;
}

/* What may follow a value in a sentence: punctuation or a connecting word. */
static int explains(const char *p, size_t n) {
  static const char *const kWords[] = {"because", "since", "so", "which", "to", "for", "instead",
                                       "from", "was", "vs", "per", "as", "and", "is", "helps",
                                       "reduces", "increases"};
  if (in_set(p[0], "(-#/,;:[")) return 1;
  if (starts_with(p, n, "\xe2\x80\x94") || starts_with(p, n, "\xe2\x80\x93")) return 1;
  size_t w = 0;
  while (w < n && ans_is_alpha(p[w])) w++;
  for (size_t i = 0; i < sizeof(kWords) / sizeof(kWords[0]); i++) {
    if (elmo_answer_ieq(p, w, kWords[i])) return 1;
  }
  return 0;
}

/* The value part of a prose line: one token (or number + unit, a quoted string, `{...}`), and only
 * an explanation after it. Returns 0 when the line reads as a sentence instead. */
static int prose_value(const char **vp, size_t *vn) {
  const char *p = *vp;
  size_t n = *vn, tn = 0;
  if (p[0] == '{') {
    tn = match_brace(p, n);
    if (tn == 0) return 0;
  } else if (p[0] == '"' || p[0] == '\'' || p[0] == '`') {
    const char *q = memchr(p + 1, p[0], n - 1);
    if (q == NULL) return 0;
    tn = (size_t)(q - p) + 1;
  } else {
    while (tn < n && !ans_is_space(p[tn])) tn++;
    size_t u = tn;
    while (u < n && ans_is_space(p[u])) u++;
    size_t ue = u;
    while (ue < n && !ans_is_space(p[ue]) && p[ue] != ',' && p[ue] != '.' && p[ue] != ')') ue++;
    if (ans_is_digit(p[0]) && ue > u && is_unit_word(p + u, ue - u)) tn = ue;
    while (tn > 1 && in_set(p[tn - 1], ".,;:")) tn--;
  }
  const char *rest = p + tn;
  size_t rn = n - tn;
  while (rn > 0 && in_set(rest[0], ".,;:*`") && (rn == 1 || ans_is_space(rest[1]))) rest++, rn--;
  elmo_answer_trim(&rest, &rn);
  if (rn > 0 && (!elmo_answer_looks_like_value(p, tn) || !explains(rest, rn))) return 0;
  *vn = tn;
  return 1;
}

/* ---- multi-line nested values -------------------------------------------------------------- */

/* `key={` continued on the next lines until the matching `}`. Emits the value with whitespace runs
 * collapsed and returns the last line used, or i when there is no match. */
static size_t nested_value(lstate *st, size_t i, const char *k, size_t kn, const char *v) {
  const ans_text *t = st->t;
  size_t last = i + ANS_MAX_NESTED_LINES < st->end ? i + ANS_MAX_NESTED_LINES : st->end;
  const char *limit = t->lines[last - 1].p + t->lines[last - 1].n;
  size_t avail = (size_t)(limit - v);
  size_t len = match_brace(v, avail < ANS_MAX_VALUE ? avail : ANS_MAX_VALUE);
  if (len == 0) {
    st->no_multiline_until = last;
    return i;
  }
  char *buf = malloc(len + 1);
  if (buf == NULL) {
    st->s->oom = 1;
    return i;
  }
  size_t bn = 0;
  for (size_t j = 0; j < len; j++) {
    char c = ans_is_space(v[j]) ? ' ' : v[j];
    if (c == ' ' && (bn == 0 || buf[bn - 1] == ' ' || buf[bn - 1] == '{')) continue;
    if (c == '}' && bn > 0 && buf[bn - 1] == ' ') bn--;
    buf[bn++] = c;
  }
  ans_where w = where_at(st, i, ELMO_ORIGIN_INI);
  elmo_answer_emit(st->s, &w, k, kn, buf, bn);
  free(buf);
  int end_line = elmo_answer_line_of(t, v + len - 1);
  return end_line > 0 ? (size_t)end_line - 1 : i;
}

/* ---- key = value --------------------------------------------------------------------------- */

static int is_key_wrapper(char c) { return c == '*' || c == '`' || c == '"' || c == '\''; }

/* Splits `key = value` / `key: value`. Returns 0 when the line is not an assignment. */
static int split_assignment(const char *p, size_t n, cell *key, cell *val) {
  size_t j = 0;
  while (j < n && j < 4 && is_key_wrapper(p[j])) j++;
  size_t ks = j;
  while (j < n && ans_is_ident(p[j])) j++;
  key->p = p + ks, key->n = j - ks;
  while (j < n && is_key_wrapper(p[j])) j++;
  while (j < n && (p[j] == ' ' || p[j] == '\t')) j++;
  if (key->n == 0 || j >= n || (p[j] != '=' && p[j] != ':')) return 0;
  if (j + 1 < n && p[j + 1] == p[j]) return 0; /* `==`, `::` */
  if (p[j] == ':' && j + 1 < n && p[j + 1] == '=') j++;
  j++;
  while (j < n && (p[j] == '*' || p[j] == ' ' || p[j] == '\t')) j++;
  val->p = p + j, val->n = n - j;
  elmo_answer_trim(&val->p, &val->n);
  return 1;
}

static int has_space(const char *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (ans_is_space(p[i])) return 1;
  }
  return 0;
}

static size_t assignment_line(lstate *st, const char *p, size_t n, size_t i, size_t indent) {
  cell k, v;
  if (!split_assignment(p, n, &k, &v)) return i;
  ans_section sec = elmo_answer_section_of(k.p, k.n);
  cut_comment(v.p, &v.n);
  elmo_answer_trim(&v.p, &v.n);
  if (strspn_n(v.p, v.n, "*`") == v.n) v.n = 0; /* `**DBOptions:**` */
  if (sec != ANS_SEC_NONE && (v.n == 0 || (v.n == 1 && v.p[0] == '{'))) {
    push_section(st, sec, i, indent, v.n == 1);
    return i;
  }
  if (v.n == 0 || top(st)->version) return i;
  after_arrow(&v.p, &v.n);
  if (v.n == 0) return i;
  if (v.p[0] == '{' && match_brace(v.p, v.n) == 0) {
    if (st->prose || i < st->no_multiline_until) return i;
    return nested_value(st, i, k.p, k.n, v.p);
  }
  if (st->prose && !prose_value(&v.p, &v.n)) return i;
  if (!st->prose && has_space(v.p, v.n) && v.p[0] != '{' && v.p[0] != '"' &&
      memchr(k.p, '_', k.n) == NULL && memchr(k.p, '.', k.n) == NULL) {
    return i; /* `Note: this helps` */
  }
  ans_where w = where_at(st, i, ELMO_ORIGIN_INI);
  elmo_answer_emit(st->s, &w, k.p, k.n, v.p, v.n);
  return i;
}

/* ---- command lines ------------------------------------------------------------------------- */

/* The next whitespace-separated token (quotes keep spaces) at or after *i. */
static int next_token(const char *p, size_t n, size_t *i, cell *tok) {
  while (*i < n && ans_is_space(p[*i])) (*i)++;
  if (*i >= n) return 0;
  size_t s = *i;
  elmo_scan sc = {.flags = ELMO_SCAN_SINGLE_QUOTES};
  while (*i < n && (elmo_scan_next(&sc, p[*i]) == ELMO_SCAN_QUOTED || !ans_is_space(p[*i]))) (*i)++;
  tok->p = p + s, tok->n = *i - s;
  return 1;
}

static int is_flag(cell t) {
  if (t.n < 2 || t.p[0] != '-') return 0;
  size_t j = (t.p[1] == '-') ? 2 : 1;
  return j < t.n && ans_is_alpha(t.p[j]);
}

static int is_program(cell t) {
  for (size_t i = 0; i + 8 <= t.n; i++) {
    if (memcmp(t.p + i, "db_bench", 8) == 0) return 1;
  }
  return memchr(t.p, '/', t.n) != NULL;
}

/* `$ ./db_bench --a=1 -b=2 \`: words, then only flags (and programs). In prose the line must
 * start with a prompt, a program or a flag. */
static int is_command(const lstate *st, const char *p, size_t n) {
  size_t i = 0, words = 0, assigns = 0;
  int flags = 0, first = 1, prompt = 0;
  cell t;
  while (next_token(p, n, &i, &t)) {
    if (first && t.n == 1 && (t.p[0] == '$' || t.p[0] == '>' || t.p[0] == '%')) {
      prompt = 1;
      continue;
    }
    if (is_flag(t)) {
      flags = 1;
      if (memchr(t.p, '=', t.n) != NULL) assigns++;
    } else if (!(t.n == 1 && t.p[0] == '\\')) {
      if (flags && !is_program(t)) return 0;
      if (!flags && (++words > 3 || (st->prose && first && !prompt && !is_program(t)))) return 0;
    }
    first = 0;
  }
  return assigns > 0;
}

/* Emits the --key=value flags of a command line; returns 1 when it continues on the next line. */
static int parse_flags(lstate *st, const char *p, size_t n, size_t line) {
  size_t i = 0;
  cell t;
  int cont = 0;
  while (next_token(p, n, &i, &t)) {
    cont = (t.n == 1 && t.p[0] == '\\');
    if (!is_flag(t)) continue;
    const char *eq = memchr(t.p, '=', t.n);
    if (eq == NULL) continue;
    size_t skip = (t.p[1] == '-') ? 2 : 1;
    ans_where w = where_at(st, line, ELMO_ORIGIN_FLAGS);
    elmo_answer_emit(st->s, &w, t.p + skip, (size_t)(eq - t.p) - skip, eq + 1,
                     t.n - (size_t)(eq - t.p) - 1);
  }
  if (n > 0 && p[n - 1] == '\\') cont = 1;
  return cont;
}

/* ---- markdown tables ----------------------------------------------------------------------- */

static size_t split_cells(const char *p, size_t n, cell *cells) {
  size_t count = 0, start = (n > 0 && p[0] == '|') ? 1 : 0;
  int tick = 0;
  for (size_t i = start; i <= n; i++) {
    if (i == n || (p[i] == '|' && !tick && p[i - 1] != '\\')) {
      if (i == n && start >= n) break;
      if (count < CELLS_MAX) {
        cells[count] = (cell){p + start, i - start};
        elmo_answer_trim(&cells[count].p, &cells[count].n);
        count++;
      }
      start = i + 1;
    } else if (p[i] == '`') {
      tick = !tick;
    }
  }
  return count;
}

static int is_separator_row(const cell *cells, size_t count) {
  if (count == 0) return 0;
  for (size_t c = 0; c < count; c++) {
    int dash = 0;
    for (size_t i = 0; i < cells[c].n; i++) {
      char ch = cells[c].p[i];
      if (ch == '-') dash = 1;
      else if (ch != ':' && ch != ' ') return 0;
    }
    if (!dash) return 0;
  }
  return 1;
}

static int header_is(const cell *c, const char *const *words, size_t n) {
  char w[48];
  elmo_answer_squash(c->p, c->n, w, sizeof(w));
  for (size_t i = 0; i < n; i++) {
    if (strcmp(w, words[i]) == 0) return 1;
  }
  return 0;
}
#define HEADER_IS(c, list) header_is((c), (list), sizeof(list) / sizeof((list)[0]))

/* Picks the key, value and section columns from a header row. */
static void table_columns(lstate *st, const cell *cells, size_t count) {
  static const char *const kKey[] = {"option", "options", "key", "name", "parameter", "parameters",
                                     "param", "setting", "knob", "variable", "optionname", "flag"};
  static const char *const kSection[] = {"section", "scope", "category"};
  static const char *const kSkip[] = {"reason", "why", "notes", "note", "description", "rationale",
                                      "impact", "effect", "explanation", "comment", "purpose",
                                      "justification", "benefit", "default", "type", "unit"};
  int key = -1, final = -1, value = -1, other = -1;
  st->sec_col = -1;
  for (size_t c = 0; c < count; c++) {
    char w[48];
    elmo_answer_squash(cells[c].p, cells[c].n, w, sizeof(w));
    int marks = elmo_answer_marks(cells[c].p, cells[c].n);
    if (key < 0 && HEADER_IS(&cells[c], kKey)) key = (int)c;
    else if (st->sec_col < 0 && HEADER_IS(&cells[c], kSection)) st->sec_col = (int)c;
    else if (marks == ANS_MARK_FINAL && final < 0) final = (int)c;
    else if (marks != 0 || HEADER_IS(&cells[c], kSkip) || strstr(w, "default")) continue;
    else if (strstr(w, "value") && value < 0) value = (int)c;
    else if (other < 0) other = (int)c;
  }
  st->key_col = key >= 0 ? key : 0;
  st->val_col = final >= 0 ? final : value >= 0 ? value : other >= 0 ? other : st->key_col + 1;
  if (st->val_col == st->key_col) st->val_col = st->key_col + 1;
}

static int next_is_separator(const lstate *st, size_t i) {
  if (i + 1 >= st->end || (st->role && st->role[i + 1])) return 0;
  const char *p = st->t->lines[i + 1].p;
  size_t n = st->t->lines[i + 1].n;
  cell cells[CELLS_MAX];
  elmo_answer_trim(&p, &n);
  if (n == 0 || p[0] != '|') return 0;
  return is_separator_row(cells, split_cells(p, n, cells));
}

static void table_row(lstate *st, const char *p, size_t n, size_t i) {
  cell cells[CELLS_MAX];
  size_t count = split_cells(p, n, cells);
  if (is_separator_row(cells, count)) return;
  if (!st->in_table) {
    st->in_table = 1, st->key_col = 0, st->val_col = 1, st->sec_col = -1;
    if (next_is_separator(st, i)) {
      table_columns(st, cells, count);
      return;
    }
  }
  if ((size_t)st->key_col >= count || (size_t)st->val_col >= count) return;
  cell v = cells[st->val_col];
  after_arrow(&v.p, &v.n);
  if (v.n > 0 && v.p[v.n - 1] == ')') {
    const char *open = NULL;
    for (size_t k = 0; k < v.n; k++) {
      if (v.p[k] == '(' && k > 0 && ans_is_space(v.p[k - 1])) open = v.p + k;
    }
    if (open != NULL) v.n = (size_t)(open - v.p);
  }
  ans_where w = where_at(st, i, ELMO_ORIGIN_TABLE);
  if (st->sec_col >= 0 && (size_t)st->sec_col < count) {
    ans_section sec = elmo_answer_section_of(cells[st->sec_col].p, cells[st->sec_col].n);
    if (sec != ANS_SEC_NONE && sec != ANS_SEC_VERSION) w.hint = elmo_answer_hint_of(sec);
  }
  elmo_answer_emit(st->s, &w, cells[st->key_col].p, cells[st->key_col].n, v.p, v.n);
}

/* ---- lines --------------------------------------------------------------------------------- */

static void strip_bullet(const char **p, size_t *n) {
  const char *s = *p;
  size_t k = 0;
  if (*n >= 2 && in_set(s[0], "-*+>") && ans_is_space(s[1])) {
    k = 2;
  } else if (starts_with(s, *n, "\xe2\x80\xa2")) {
    k = 3;
  } else {
    while (k < *n && k < 3 && ans_is_digit(s[k])) k++;
    if (k == 0 || k + 1 >= *n || (s[k] != '.' && s[k] != ')') || !ans_is_space(s[k + 1])) return;
    k += 2;
  }
  *p += k, *n -= k;
  elmo_answer_trim(p, n);
}

static int is_comment(const lstate *st, const char *p, size_t n) {
  if (st->prose) return 0;
  return p[0] == '#' || p[0] == ';' || starts_with(p, n, "//") || starts_with(p, n, "/*");
}

/* Parses line i; returns the last line it used. */
static size_t parse_line(lstate *st, size_t i) {
  const char *p = st->t->lines[i].p;
  size_t n = st->t->lines[i].n, indent = leading_space(p, n);
  elmo_answer_trim(&p, &n);
  if (st->diff && n > 0 && (p[0] == '-' || p[0] == '+')) {
    if (p[0] == '-') return i; /* a removed line, or the `---` file header */
    p++, n--;
    indent = leading_space(p, n);
    elmo_answer_trim(&p, &n);
  }
  if (n == 0) {
    st->in_table = 0, st->cont = 0;
    return i;
  }
  if (st->cont) {
    st->cont = parse_flags(st, p, n, i);
    return i;
  }
  if (!st->prose) pop_yaml(st, indent);
  if (is_comment(st, p, n)) return i;
  if (st->prose && p[0] == '#') {
    heading(st, p, n);
    return i;
  }
  if (p[0] == '[' && parse_header(st, p, n)) return i;
  strip_bullet(&p, &n);
  if (n == 0) return i;
  if (p[0] == '|') {
    table_row(st, p, n, i);
    return i;
  }
  st->in_table = 0;
  if (p[0] == '}' || p[0] == ']') {
    pop_brace(st);
    return i;
  }
  if (is_command(st, p, n)) {
    st->cont = parse_flags(st, p, n, i);
    return i;
  }
  return assignment_line(st, p, n, i, indent);
}

void elmo_answer_parse_lines(ans_sink *s, const ans_text *t, size_t first, size_t end,
                     const unsigned char *role, int flags) {
  lstate st;
  memset(&st, 0, sizeof(st));
  st.s = s, st.t = t, st.end = end, st.role = role;
  st.prose = (flags & ANS_LINES_PROSE) != 0;
  st.snake_keys = (flags & ANS_LINES_PROSE)  ? ANS_KEYS_PROSE
                  : (flags & ANS_LINES_CODE) ? ANS_KEYS_CODE
                                             : ANS_KEYS_ANY;
  st.diff = (flags & ANS_LINES_DIFF) != 0;
  for (size_t i = first; i < end && !s->oom; i++) {
    if (role != NULL && role[i] != 0) {
      st.in_table = 0, st.cont = 0;
      continue;
    }
    i = parse_line(&st, i);
  }
}
