/* textutil.h — tiny text helpers shared inside the core (header-only). */
#ifndef ELMO_TEXTUTIL_H
#define ELMO_TEXTUTIL_H

#include <stdint.h>
#include <string.h>

/* Parses a plain non-negative decimal, as RocksDB writes sizes ("67108864"): no sign, no
 * spaces, no units. Returns 1 and sets *out, or 0 (empty, other characters, overflow). */
static inline int elmo_parse_plain_u64(const char *s, uint64_t *out) {
  uint64_t v = 0;
  if (s == NULL || *s == '\0') return 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9') return 0;
    unsigned d = (unsigned)(*s - '0');
    if (v > (UINT64_MAX - d) / 10) return 0;
    v = v * 10 + d;
  }
  *out = v;
  return 1;
}

/* 1 when word is one of the items of list, which are separated by any of seps ("cpu,memory"
 * with ",", a cgroup.controllers line with " \n"), else 0. */
static inline int elmo_has_word(const char *list, const char *word, const char *seps) {
  size_t n = strlen(word);
  for (const char *p = list; *p;) {
    size_t k = strcspn(p, seps);
    if (k == n && strncmp(p, word, n) == 0) return 1;
    p += k;
    if (*p) p++;
  }
  return 0;
}

#endif /* ELMO_TEXTUTIL_H */
