/* plain_number.c — numbers as RocksDB writes option values. See plain_number.h. */
#include "plain_number.h"

#include "elmo/number.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int elmo_plain_number_parse(const char *text, double *v, int *is_int) {
  if (text == NULL || text[0] == '\0') return 0;
  const char *p = text[0] == '-' ? text + 1 : text;
  if (*p < '0' || *p > '9') return 0; /* no "inf", "nan", "+1", ".5" or spaces */
  char *end = NULL;
  double d = elmo_number_parse(text, &end);
  if (end == text || *end != '\0' || !isfinite(d)) return 0;
  if (strchr(text, 'x') != NULL || strchr(text, 'X') != NULL) return 0;
  *v = d;
  *is_int = strpbrk(text, ".eE") == NULL;
  return 1;
}

void elmo_plain_number_format(double v, int is_int, char *buf, size_t size) {
  if (is_int) {
    elmo_number_format(v, 'f', 0, buf, size);
  } else {
    elmo_number_format(v, 'g', 15, buf, size);
  }
}

int elmo_plain_number_direction(const char *from, const char *to) {
  double a, b;
  int ai, bi;
  if (!elmo_plain_number_parse(from, &a, &ai) || !elmo_plain_number_parse(to, &b, &bi)) return 0;
  return b > a ? 1 : b < a ? -1 : 0;
}

int elmo_plain_number_same(const char *a, const char *b) {
  double x, y;
  int xi, yi;
  if (elmo_plain_number_parse(a, &x, &xi) && elmo_plain_number_parse(b, &y, &yi)) return x == y;
  return strcmp(a, b) == 0;
}
