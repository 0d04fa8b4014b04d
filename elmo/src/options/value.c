/* value.c — reading option values the way people and LLMs write them (see value.h).
 *
 * Everything here is ASCII-only and locale-free: no <ctype.h>, and the one conversion to a double
 * goes through elmo_number_parse (number.h), which reads in the "C" locale whatever the host set
 * (it only ever sees "[-]digitsE[-]exp" here anyway). */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elmo/number.h"
#include "elmo/value.h"

#define SHOW_MAX 80 /* characters of the input quoted in error messages */

typedef struct span {
  const char *p;
  size_t n;
} span;

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
static int is_digit(char c) { return c >= '0' && c <= '9'; }
static char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c; }

/* True when s equals the lowercase word w, ignoring case. */
static int span_ieq(span s, const char *w) {
  size_t n = strlen(w);
  if (s.n != n) return 0;
  for (size_t i = 0; i < n; i++) {
    if (to_lower(s.p[i]) != w[i]) return 0;
  }
  return 1;
}

static span span_trim(span s) {
  while (s.n > 0 && is_space(s.p[0])) s.p++, s.n--;
  while (s.n > 0 && is_space(s.p[s.n - 1])) s.n--;
  return s;
}

/* The text with surrounding spaces and one pair of matching quotes removed. */
static span value_span(const char *text) {
  span s = span_trim((span){text, strlen(text)});
  if (s.n >= 2 && s.p[0] == s.p[s.n - 1] && (s.p[0] == '"' || s.p[0] == '\'' || s.p[0] == '`')) {
    s = span_trim((span){s.p + 1, s.n - 2});
  }
  return s;
}

/* ---- integers ------------------------------------------------------------------------------ */

/* A decimal number as digits * 10^exp10, with trailing zeros moved into exp10. */
typedef struct decnum {
  uint64_t digits;
  int64_t exp10;
  uint64_t zeros; /* zeros seen after the last nonzero digit, not yet multiplied in */
  int any;        /* at least one digit */
  int overflow;   /* more significant digits than uint64 holds */
  int plain;      /* no fraction, no exponent: usable as a power's base */
} decnum;

static void push_digit(decnum *d, int digit, int in_fraction) {
  d->any = 1;
  if (in_fraction) d->exp10--;
  if (digit == 0) {
    if (d->digits != 0) d->zeros++;
    return;
  }
  for (; d->zeros > 0; d->zeros--) {
    if (d->digits > UINT64_MAX / 10) {
      d->overflow = 1;
      return;
    }
    d->digits *= 10;
  }
  if (d->digits > (UINT64_MAX - (uint64_t)digit) / 10) {
    d->overflow = 1;
    return;
  }
  d->digits = d->digits * 10 + (uint64_t)digit;
}

/* Reads digits with '_' separators, or ',' thousands groups (exactly three digits each) when
 * allow_comma. Returns 0, or -1 on a misplaced separator. */
static int scan_digits(span s, size_t *i, decnum *d, int in_fraction, int allow_comma) {
  size_t group = 0;
  int commas = 0, prev_digit = 0;
  while (*i < s.n && !d->overflow) {
    char c = s.p[*i];
    if (is_digit(c)) {
      push_digit(d, c - '0', in_fraction);
      group++, prev_digit = 1;
    } else if (c == '_' && prev_digit && *i + 1 < s.n && is_digit(s.p[*i + 1])) {
      prev_digit = 0;
    } else if (c == ',' && allow_comma && prev_digit && *i + 1 < s.n && is_digit(s.p[*i + 1])) {
      if ((commas == 0 && group > 3) || (commas > 0 && group != 3)) return -1;
      commas++, group = 0, prev_digit = 0;
    } else {
      break;
    }
    (*i)++;
  }
  return (commas > 0 && group != 3) ? -1 : 0;
}

/* Reads "[digits][.digits][e[+-]digits]". Returns 0, or -1 when it is not a number. */
static int scan_decimal(span s, size_t *i, decnum *d) {
  memset(d, 0, sizeof(*d));
  d->plain = 1;
  if (scan_digits(s, i, d, 0, 1) != 0) return -1;
  if (*i < s.n && s.p[*i] == '.') {
    (*i)++;
    d->plain = 0;
    if (scan_digits(s, i, d, 1, 0) != 0) return -1;
  }
  if (!d->any) return -1;
  size_t j = *i;
  if (j < s.n && (s.p[j] == 'e' || s.p[j] == 'E')) {
    int neg = 0;
    int64_t e = 0;
    j++;
    if (j < s.n && (s.p[j] == '+' || s.p[j] == '-')) neg = (s.p[j++] == '-');
    if (j < s.n && is_digit(s.p[j])) {
      for (; j < s.n && is_digit(s.p[j]); j++) {
        if (e < 1000000) e = e * 10 + (s.p[j] - '0');
      }
      d->exp10 += neg ? -e : e;
      d->plain = 0;
      *i = j;
    }
  }
  d->exp10 += (int64_t)(d->zeros < 1000000 ? d->zeros : 1000000);
  d->zeros = 0;
  return 0;
}

/* Binary unit suffixes: "", b, byte(s), k/kb/kib/kilobyte(s)/kibibyte(s), ... p. Returns the
 * shift (0..50), or -1 when the text is not a unit. */
static int unit_shift(span u) {
  static const char *const kLetters = "kmgtp";
  static const char *const kWords[] = {"kilo", "mega", "giga", "tera", "peta"};
  static const char *const kBinWords[] = {"kibi", "mebi", "gibi", "tebi", "pebi"};
  if (u.n == 0 || span_ieq(u, "b") || span_ieq(u, "byte") || span_ieq(u, "bytes")) return 0;
  for (int k = 0; k < 5; k++) {
    if (to_lower(u.p[0]) == kLetters[k]) {
      span rest = {u.p + 1, u.n - 1};
      if (rest.n == 0 || span_ieq(rest, "b") || span_ieq(rest, "ib")) return 10 * (k + 1);
    }
    size_t wn = strlen(kWords[k]);
    if (u.n > wn) {
      span rest = {u.p + wn, u.n - wn};
      int word = span_ieq((span){u.p, wn}, kWords[k]) || span_ieq((span){u.p, wn}, kBinWords[k]);
      if (word && (span_ieq(rest, "byte") || span_ieq(rest, "bytes"))) return 10 * (k + 1);
    }
  }
  return -1;
}

enum { SCALE_OK = 0, SCALE_OVERFLOW = 1, SCALE_FRACTION = 2 };

/* digits * 10^exp10 * 2^shift as an exact uint64. */
static int scale_exact(uint64_t digits, int64_t exp10, int shift, uint64_t *out) {
  *out = 0;
  if (digits == 0) return SCALE_OK;
  if (exp10 >= 0) {
    for (int64_t k = 0; k < exp10; k++) {
      if (digits > UINT64_MAX / 10) return SCALE_OVERFLOW;
      digits *= 10;
    }
    if (shift > 0 && digits > (UINT64_MAX >> shift)) return SCALE_OVERFLOW;
    *out = digits << shift;
    return SCALE_OK;
  }
  /* 10^n = 5^n * 2^n; the 5^n part must divide digits (units are powers of two). */
  if (exp10 < -27) return SCALE_FRACTION; /* 5^28 > UINT64_MAX >= digits */
  int n = (int)-exp10;
  uint64_t p5 = 1;
  for (int k = 0; k < n; k++) p5 *= 5;
  if (digits % p5 != 0) return SCALE_FRACTION;
  uint64_t q = digits / p5;
  if (shift >= n) {
    int up = shift - n;
    if (up > 0 && q > (UINT64_MAX >> up)) return SCALE_OVERFLOW;
    *out = q << up;
    return SCALE_OK;
  }
  int down = n - shift;
  if (down >= 64 || (q & ((UINT64_C(1) << down) - 1)) != 0) return SCALE_FRACTION;
  *out = q >> down;
  return SCALE_OK;
}

/* base^exp with overflow detection. */
static int power_exact(uint64_t base, uint64_t exp, uint64_t *out) {
  if (base <= 1) {
    *out = (exp == 0) ? 1 : base;
    return SCALE_OK;
  }
  uint64_t r = 1;
  for (uint64_t k = 0; k < exp; k++) {
    if (r > UINT64_MAX / base) return SCALE_OVERFLOW;
    r *= base;
  }
  *out = r;
  return SCALE_OK;
}

/* Reads "0x..." hex digits (with '_' separators). Returns SCALE_OK/OVERFLOW, or -1. */
static int scan_hex(span s, size_t *i, uint64_t *out) {
  uint64_t v = 0;
  int any = 0, prev_digit = 0, overflow = 0;
  for (; *i < s.n; (*i)++) {
    char c = to_lower(s.p[*i]);
    int d = is_digit(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
    if (d < 0) {
      if (c == '_' && prev_digit && *i + 1 < s.n) {
        prev_digit = 0;
        continue;
      }
      break;
    }
    if (v > (UINT64_MAX >> 4)) overflow = 1;
    v = (v << 4) | (uint64_t)d;
    any = 1, prev_digit = 1;
  }
  *out = overflow ? 0 : v;
  return !any ? -1 : overflow ? SCALE_OVERFLOW : SCALE_OK;
}

static elmo_rc int_error(elmo_error *err, int why, span s, const char *type) {
  if (why == SCALE_FRACTION) {
    return elmo_error_set(err, ELMO_ERANGE, "'%.*s' is not a whole number",
                          (int)(s.n < SHOW_MAX ? s.n : SHOW_MAX), s.p);
  }
  return elmo_error_set(err, ELMO_ERANGE, "'%.*s' does not fit in %s",
                        (int)(s.n < SHOW_MAX ? s.n : SHOW_MAX), s.p, type);
}

static elmo_rc not_a_number(elmo_error *err, span s, const char *what) {
  return elmo_error_set(err, ELMO_EPARSE, "'%.*s' is not %s",
                        (int)(s.n < SHOW_MAX ? s.n : SHOW_MAX), s.p, what);
}

/* Reads the power part "^exp" or "**exp" after a plain base. Returns SCALE_* or -1. */
static int scan_power(span s, size_t *i, decnum *d) {
  if (*i < s.n && s.p[*i] == '^') {
    (*i)++;
  } else if (*i + 1 < s.n && s.p[*i] == '*' && s.p[*i + 1] == '*') {
    *i += 2;
  } else {
    return SCALE_OK; /* no power */
  }
  if (!d->plain || d->overflow) return -1;
  uint64_t base = 0;
  int why = scale_exact(d->digits, d->exp10, 0, &base);
  if (why != SCALE_OK) return why;
  uint64_t e = 0;
  int any = 0;
  for (; *i < s.n && is_digit(s.p[*i]); (*i)++, any = 1) {
    if (e < 100000) e = e * 10 + (uint64_t)(s.p[*i] - '0');
  }
  if (!any) return -1;
  uint64_t r = 0;
  why = power_exact(base, e, &r);
  d->digits = r, d->exp10 = 0;
  return why;
}

/* The magnitude and sign of an integer with unit. type names the target in range errors. */
static elmo_rc parse_magnitude(const char *text, uint64_t *mag, int *neg, const char *type,
                               elmo_error *err) {
  *mag = 0, *neg = 0;
  if (text == NULL) return elmo_error_set(err, ELMO_EINVAL, "value text is NULL");
  span s = value_span(text);
  if (s.n == 0) return elmo_error_set(err, ELMO_EPARSE, "empty value, expected an integer");
  size_t i = 0;
  if (s.p[0] == '+' || s.p[0] == '-') *neg = (s.p[i++] == '-');
  int why;
  if (i + 1 < s.n && s.p[i] == '0' && (s.p[i + 1] == 'x' || s.p[i + 1] == 'X')) {
    i += 2;
    why = scan_hex(s, &i, mag);
    if (why < 0 || span_trim((span){s.p + i, s.n - i}).n != 0)
      return not_a_number(err, s, "a hex integer");
    return why == SCALE_OK ? ELMO_OK : int_error(err, why, s, type);
  }
  decnum d;
  if (scan_decimal(s, &i, &d) != 0) return not_a_number(err, s, "an integer");
  if (d.overflow) return int_error(err, SCALE_OVERFLOW, s, type);
  why = scan_power(s, &i, &d);
  if (why < 0) return not_a_number(err, s, "an integer");
  if (why != SCALE_OK) return int_error(err, why, s, type);
  span unit = span_trim((span){s.p + i, s.n - i});
  int shift = unit_shift(unit);
  if (shift < 0) {
    return elmo_error_set(err, ELMO_EPARSE, "'%.*s' is not an integer: unknown unit '%.*s'",
                          (int)(s.n < SHOW_MAX ? s.n : SHOW_MAX), s.p,
                          (int)(unit.n < SHOW_MAX ? unit.n : SHOW_MAX), unit.p);
  }
  why = scale_exact(d.digits, d.exp10, shift, mag);
  return why == SCALE_OK ? ELMO_OK : int_error(err, why, s, type);
}

/* Products people write for sizes: "64 * 1024 * 1024", "64 << 20", "4 * 1MB". Each factor is
 * an integer with an optional unit; the result must not overflow. Plain values go straight to
 * parse_magnitude. */
static elmo_rc parse_product(const char *text, uint64_t *mag, int *neg, const char *type,
                             elmo_error *err) {
  const char *shl = text ? strstr(text, "<<") : NULL;
  const char *star = text ? strchr(text, '*') : NULL;
  while (star != NULL && star[1] == '*') star = strchr(star + 2, '*'); /* "**" is a power */
  if (shl == NULL && star == NULL) return parse_magnitude(text, mag, neg, type, err);
  char buf[128];
  size_t len = strlen(text);
  if (len >= sizeof buf) return not_a_number(err, value_span(text), "an integer");
  memcpy(buf, text, len + 1);
  char *op = buf + (shl ? (size_t)(shl - text) : (size_t)(star - text));
  size_t op_len = shl ? 2 : 1;
  *op = '\0';
  uint64_t left = 0, right = 0;
  int lneg = 0, rneg = 0;
  elmo_rc rc = parse_product(buf, &left, &lneg, type, err);
  if (rc == ELMO_OK) rc = parse_product(op + op_len, &right, &rneg, type, err);
  if (rc != ELMO_OK) return rc;
  *neg = lneg != rneg;
  if (shl != NULL) {
    if (rneg || right > 63 || (left != 0 && left > (UINT64_MAX >> right))) {
      return int_error(err, SCALE_OVERFLOW, value_span(text), type);
    }
    *mag = left << right;
  } else {
    if (left != 0 && right > UINT64_MAX / left) return int_error(err, SCALE_OVERFLOW, value_span(text), type);
    *mag = left * right;
  }
  return ELMO_OK;
}

elmo_rc elmo_value_parse_int(const char *text, int64_t *out, elmo_error *err) {
  uint64_t mag = 0;
  int neg = 0;
  if (out != NULL) *out = 0;
  elmo_rc rc = parse_product(text, &mag, &neg, "int64", err);
  if (rc != ELMO_OK) return rc;
  if (out == NULL) return elmo_error_set(err, ELMO_EINVAL, "out is NULL");
  if ((!neg && mag > (uint64_t)INT64_MAX) || (neg && mag > (uint64_t)INT64_MAX + 1)) {
    *out = 0;
    return int_error(err, SCALE_OVERFLOW, value_span(text), "int64");
  }
  *out = neg ? (mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag) : (int64_t)mag;
  return ELMO_OK;
}

elmo_rc elmo_value_parse_uint(const char *text, uint64_t *out, elmo_error *err) {
  uint64_t mag = 0;
  int neg = 0;
  if (out != NULL) *out = 0;
  elmo_rc rc = parse_product(text, &mag, &neg, "uint64", err);
  if (rc != ELMO_OK) return rc;
  if (out == NULL) return elmo_error_set(err, ELMO_EINVAL, "out is NULL");
  if (neg && mag != 0) {
    span s = value_span(text);
    return elmo_error_set(err, ELMO_ERANGE, "'%.*s' is negative, expected an unsigned integer",
                          (int)(s.n < SHOW_MAX ? s.n : SHOW_MAX), s.p);
  }
  *out = mag;
  return ELMO_OK;
}

/* ---- doubles ------------------------------------------------------------------------------- */

#define DOUBLE_DIGITS_MAX 780 /* significant digits kept; more cannot change a double */

/* Collects the digits of "[digits][.digits]" into buf (no leading zeros), adjusting *exp10 for
 * fraction digits and dropped digits. Returns the number of digits seen (0: not a number). */
static size_t collect_double_digits(span s, size_t *i, char *buf, size_t *nbuf, int64_t *exp10) {
  size_t seen = 0;
  int frac = 0;
  for (; *i < s.n; (*i)++) {
    char c = s.p[*i];
    if (c == '.' && !frac) {
      frac = 1;
      continue;
    }
    if (!is_digit(c)) break;
    seen++;
    if (frac) (*exp10)--;
    if (*nbuf == 0 && c == '0') continue;
    if (*nbuf < DOUBLE_DIGITS_MAX) {
      buf[(*nbuf)++] = c;
    } else {
      (*exp10)++; /* dropped: the value is scaled by ten */
    }
  }
  return seen;
}

elmo_rc elmo_value_parse_double(const char *text, double *out, elmo_error *err) {
  if (out != NULL) *out = 0.0;
  if (text == NULL || out == NULL)
    return elmo_error_set(err, ELMO_EINVAL, "value text or out is NULL");
  span s = value_span(text);
  char buf[DOUBLE_DIGITS_MAX + 32];
  size_t nbuf = 0, i = 0;
  int64_t exp10 = 0;
  int neg = 0;
  if (s.n > 0 && (s.p[0] == '+' || s.p[0] == '-')) neg = (s.p[i++] == '-');
  if (collect_double_digits(s, &i, buf + 1, &nbuf, &exp10) == 0)
    return not_a_number(err, s, "a number");
  if (i < s.n && (s.p[i] == 'e' || s.p[i] == 'E')) {
    size_t j = i + 1;
    int eneg = 0;
    int64_t e = 0;
    if (j < s.n && (s.p[j] == '+' || s.p[j] == '-')) eneg = (s.p[j++] == '-');
    if (j >= s.n || !is_digit(s.p[j])) return not_a_number(err, s, "a number");
    for (; j < s.n && is_digit(s.p[j]); j++) {
      if (e < 1000000) e = e * 10 + (s.p[j] - '0');
    }
    exp10 += eneg ? -e : e;
    i = j;
  }
  span rest = span_trim((span){s.p + i, s.n - i});
  if (rest.n == 1 && rest.p[0] == '%') {
    exp10 -= 2;
  } else if (rest.n != 0) {
    return not_a_number(err, s, "a number");
  }
  if (nbuf == 0) return ELMO_OK; /* zero: *out already 0.0 */
  buf[0] = neg ? '-' : '+';
  snprintf(buf + 1 + nbuf, sizeof(buf) - 1 - nbuf, "e%" PRId64, exp10);
  errno = 0;
  double v = elmo_number_parse(buf, NULL);
  if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL)) {
    return elmo_error_set(err, ELMO_ERANGE, "'%.*s' does not fit in a double",
                          (int)(s.n < SHOW_MAX ? s.n : SHOW_MAX), s.p);
  }
  *out = v;
  return ELMO_OK;
}

/* ---- booleans ------------------------------------------------------------------------------ */

elmo_rc elmo_value_parse_bool(const char *text, int *out, elmo_error *err) {
  static const char *const kTrue[] = {"true", "1", "yes", "on", "enabled", "enable"};
  static const char *const kFalse[] = {"false", "0", "no", "off", "disabled", "disable"};
  if (out != NULL) *out = 0;
  if (text == NULL || out == NULL)
    return elmo_error_set(err, ELMO_EINVAL, "value text or out is NULL");
  span s = value_span(text);
  for (size_t k = 0; k < sizeof(kTrue) / sizeof(kTrue[0]); k++) {
    if (span_ieq(s, kTrue[k])) {
      *out = 1;
      return ELMO_OK;
    }
    if (span_ieq(s, kFalse[k])) return ELMO_OK;
  }
  return elmo_error_set(err, ELMO_EPARSE,
                        "'%.*s' is not a boolean (true/false, 1/0, yes/no, on/off)",
                        (int)(s.n < SHOW_MAX ? s.n : SHOW_MAX), s.p);
}

/* ---- enums --------------------------------------------------------------------------------- */

#define ENUM_NORM_MAX 128

/* Words that qualify an enum's name rather than tell its values apart. */
static const char *const kEnumNoise[] = {"compactionstyle", "compression", "checksum", "datablock",
                                         "search", "recovery", "records", "option"};

/* Lowercase, without '_', '-', ' ' (and a leading 'k' when strip_k). Returns the length, or
 * SIZE_MAX when too long. */
static size_t enum_norm(const char *s, int strip_k, char *buf) {
  size_t n = 0;
  if (strip_k && (s[0] == 'k' || s[0] == 'K') && s[1] != '\0') s++;
  for (; *s != '\0'; s++) {
    if (*s == '_' || *s == '-' || *s == ' ') continue;
    if (n + 1 >= ENUM_NORM_MAX) return SIZE_MAX;
    buf[n++] = to_lower(*s);
  }
  buf[n] = '\0';
  return n;
}

/* Removes noise words at either end (a word stays if it is all there is) and applies aliases. */
static void enum_strip_noise(char *buf) {
  for (int pass = 0; pass < 3; pass++) {
    for (size_t w = 0; w < sizeof(kEnumNoise) / sizeof(kEnumNoise[0]); w++) {
      size_t n = strlen(buf), wn = strlen(kEnumNoise[w]);
      if (n <= wn) continue;
      if (memcmp(buf + n - wn, kEnumNoise[w], wn) == 0) {
        buf[n - wn] = '\0';
      } else if (memcmp(buf, kEnumNoise[w], wn) == 0) {
        memmove(buf, buf + wn, n - wn + 1);
      }
    }
  }
  if (strcmp(buf, "none") == 0 || strcmp(buf, "off") == 0 || strcmp(buf, "disabled") == 0)
    strcpy(buf, "no");
  if (strcmp(buf, "zstandard") == 0) strcpy(buf, "zstd");
}

/* How closely text matches name: 1 exact, 2 same ignoring case and separators, 3 also ignoring a
 * leading 'k', 4 also ignoring noise words; 0 no match. */
static int enum_tier(const char *text, const char *name) {
  char a[ENUM_NORM_MAX], b[ENUM_NORM_MAX];
  if (strcmp(text, name) == 0) return 1;
  if (enum_norm(text, 0, a) == SIZE_MAX || enum_norm(name, 0, b) == SIZE_MAX) return 0;
  if (a[0] != '\0' && strcmp(a, b) == 0) return 2;
  for (int ka = 0; ka < 2; ka++) {
    enum_norm(text, ka, a);
    enum_norm(name, 1, b);
    if (a[0] != '\0' && strcmp(a, b) == 0) return 3;
  }
  for (int ka = 0; ka < 2; ka++) {
    enum_norm(text, ka, a);
    enum_norm(name, 1, b);
    enum_strip_noise(a);
    enum_strip_noise(b);
    if (a[0] != '\0' && strcmp(a, b) == 0) return 4;
  }
  return 0;
}

/* Appends "a, b, c" (and a suggestion) to msg, as far as it fits. */
static void enum_list_allowed(char *msg, size_t cap, const char *text, const char *const *allowed,
                              size_t n) {
  size_t len = strlen(msg), best = SIZE_MAX;
  const char *suggest = NULL;
  for (size_t k = 0; k < n; k++) {
    if (allowed[k] == NULL) continue;
    if (len < cap) len += (size_t)snprintf(msg + len, cap - len, "%s%s", k ? ", " : "", allowed[k]);
    size_t d = elmo_value_edit_distance(text, allowed[k]);
    if (d < best) best = d, suggest = allowed[k];
  }
  if (suggest != NULL && best <= 3 && len < cap)
    snprintf(msg + len, cap - len, " (did you mean %s?)", suggest);
}

elmo_rc elmo_value_match_enum(const char *text, const char *const *allowed, size_t n_allowed,
                              const char **out, elmo_error *err) {
  if (out != NULL) *out = NULL;
  if (text == NULL || out == NULL || (allowed == NULL && n_allowed > 0)) {
    return elmo_error_set(err, ELMO_EINVAL, "enum text, allowed list or out is NULL");
  }
  span s = value_span(text);
  char t[ENUM_NORM_MAX];
  if (s.n >= ENUM_NORM_MAX) s.n = ENUM_NORM_MAX - 1; /* too long to match anything; shown cut */
  memcpy(t, s.p, s.n);
  t[s.n] = '\0';
  int best_tier = 0, ambiguous = 0;
  for (size_t k = 0; k < n_allowed; k++) {
    if (allowed[k] == NULL) continue;
    int tier = enum_tier(t, allowed[k]);
    if (tier == 0 || (best_tier != 0 && tier > best_tier)) continue;
    if (tier == best_tier && strcmp(*out, allowed[k]) != 0) {
      ambiguous = 1;
    } else if (tier != best_tier) {
      ambiguous = 0;
    }
    if (tier != best_tier) *out = allowed[k];
    best_tier = tier;
  }
  if (best_tier != 0 && !ambiguous) return ELMO_OK;
  *out = NULL;
  char msg[ELMO_ERROR_MSG_MAX];
  snprintf(msg, sizeof(msg), "'%s' %s: ", t, ambiguous ? "is ambiguous among" : "is not one of");
  enum_list_allowed(msg, sizeof(msg), t, allowed, n_allowed);
  return elmo_error_set(err, ELMO_ENOTFOUND, "%s", msg);
}

/* ---- formatting and distance --------------------------------------------------------------- */

char *elmo_value_format_bytes(uint64_t bytes, char *buf, size_t bufsize) {
  static const char *const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (buf == NULL || bufsize == 0) return buf;
  int u = 0;
  while (u < 6 && bytes >= (UINT64_C(1) << (10 * (u + 1)))) u++;
  int shift = 10 * u;
  uint64_t whole = bytes >> shift, rem = bytes - (whole << shift);
  if (rem == 0) {
    snprintf(buf, bufsize, "%" PRIu64 " %s", whole, kUnits[u]);
    return buf;
  }
  int drop = shift > 40 ? shift - 40 : 0; /* keeps rem * 100 within 64 bits */
  uint64_t unit = UINT64_C(1) << (shift - drop);
  uint64_t hundredths = ((rem >> drop) * 100 + unit / 2) / unit;
  if (hundredths >= 100) whole++, hundredths = 0;
  if (hundredths % 10 == 0) {
    snprintf(buf, bufsize, "%" PRIu64 ".%" PRIu64 " %s", whole, hundredths / 10, kUnits[u]);
  } else {
    snprintf(buf, bufsize, "%" PRIu64 ".%02" PRIu64 " %s", whole, hundredths, kUnits[u]);
  }
  return buf;
}

static size_t min3(size_t a, size_t b, size_t c) {
  size_t m = a < b ? a : b;
  return m < c ? m : c;
}

/* Returns SIZE_MAX also when memory for long strings cannot be had. */
size_t elmo_value_edit_distance(const char *a, const char *b) {
  if (a == NULL || b == NULL) return SIZE_MAX;
  size_t m = strlen(a), n = strlen(b);
  if (m == 0 || n == 0) return m + n;
  if (n + 1 > SIZE_MAX / (3 * sizeof(size_t))) return SIZE_MAX;
  size_t local[3 * 65];
  size_t *mem = (n + 1 <= 65) ? local : malloc(3 * (n + 1) * sizeof(size_t));
  if (mem == NULL) return SIZE_MAX;
  size_t *prev2 = mem, *prev = mem + (n + 1), *cur = mem + 2 * (n + 1);
  for (size_t j = 0; j <= n; j++) prev[j] = j;
  for (size_t i = 1; i <= m; i++) {
    cur[0] = i;
    for (size_t j = 1; j <= n; j++) {
      char ca = to_lower(a[i - 1]), cb = to_lower(b[j - 1]);
      cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb));
      if (i > 1 && j > 1 && ca == to_lower(b[j - 2]) && to_lower(a[i - 2]) == cb &&
          prev2[j - 2] + 1 < cur[j]) {
        cur[j] = prev2[j - 2] + 1;
      }
    }
    size_t *t = prev2;
    prev2 = prev, prev = cur, cur = t;
  }
  size_t d = prev[n];
  if (mem != local) free(mem);
  return d;
}
