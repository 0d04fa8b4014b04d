/* textutil.h — tiny text helpers shared inside the core (header-only). */
#ifndef ELMO_TEXTUTIL_H
#define ELMO_TEXTUTIL_H

#include <stdint.h>

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

#endif /* ELMO_TEXTUTIL_H */
