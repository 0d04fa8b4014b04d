/* prompt_text.c — the prompt writer's text buffer, named-slot templates and number formatting. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prompt_internal.h"

static const pt_slot *find_slot(const pt_slot *slots, size_t n, const char *name, size_t len) {
  for (size_t i = 0; i < n; i++) {
    if (strlen(slots[i].name) == len && memcmp(slots[i].name, name, len) == 0) return &slots[i];
  }
  return NULL;
}

void elmo_prompt_buf_fill(elmo_strbuf *b, const char *tpl, const pt_slot *slots, size_t n) {
  const char *p = tpl;
  while (*p != '\0') {
    const char *open = strstr(p, "${");
    const char *close = open ? strchr(open + 2, '}') : NULL;
    if (open == NULL || close == NULL) {
      elmo_strbuf_append(b, p);
      return;
    }
    elmo_strbuf_appendn(b, p, (size_t)(open - p));
    const pt_slot *s = find_slot(slots, n, open + 2, (size_t)(close - open - 2));
    if (s != NULL) {
      elmo_strbuf_append(b, s->value);
    } else {
      elmo_strbuf_appendn(b, open, (size_t)(close - open + 1));
    }
    p = close + 1;
  }
}

void elmo_prompt_buf_fill1(elmo_strbuf *b, const char *tpl, const char *v) {
  pt_slot slot = {"v", v};
  elmo_prompt_buf_fill(b, tpl, &slot, 1);
}

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

void elmo_prompt_buf_line(elmo_strbuf *b, const char *text, size_t max, unsigned flags) {
  if (text == NULL) return;
  while (is_space(*text)) text++;
  size_t used = 0;
  int space = 0, newline = 0;
  for (const char *p = text; *p != '\0'; p++) {
    if (is_space(*p)) {
      space = 1;
      newline |= *p == '\n';
      continue;
    }
    const char *sep = !space ? "" : (newline && (flags & PT_LINE_JOIN)) ? "; " : " ";
    size_t n = 1; /* the character with its UTF-8 continuation bytes */
    while ((p[n] & 0xC0) == 0x80) n++;
    int escape = (flags & PT_LINE_CELL) && *p == '|';
    size_t need = strlen(sep) + (size_t)escape + n;
    if (used + need > max) {
      elmo_strbuf_append(b, "...");
      return;
    }
    elmo_strbuf_append(b, sep);
    if (escape) elmo_strbuf_appendn(b, "\\", 1);
    elmo_strbuf_appendn(b, p, n);
    used += need;
    space = newline = 0;
    p += n - 1;
  }
}

char *elmo_prompt_fmt_num(double v, int decimals, char *buf, size_t n) {
  static const double kScale[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
  if (decimals < 0) decimals = 0;
  if (decimals > 6) decimals = 6;
  double scaled = v * kScale[decimals];
  if (!isfinite(v) || fabs(scaled) >= 9.0e18) {
    snprintf(buf, n, "-");
    return buf;
  }
  int64_t r = (int64_t)llround(scaled);
  uint64_t mag = r < 0 ? (uint64_t)0 - (uint64_t)r : (uint64_t)r;
  uint64_t unit = (uint64_t)kScale[decimals];
  const char *sign = r < 0 ? "-" : "";
  if (decimals == 0) {
    snprintf(buf, n, "%s%" PRIu64, sign, mag);
  } else {
    snprintf(buf, n, "%s%" PRIu64 ".%0*" PRIu64, sign, mag / unit, decimals, mag % unit);
  }
  return buf;
}

char *elmo_prompt_fmt_size(size_t v, char *buf, size_t n) {
  snprintf(buf, n, "%zu", v);
  return buf;
}
