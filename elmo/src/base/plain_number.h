/* plain_number.h — numbers as RocksDB writes option values ("67108864", "0.1", "-1"): the one
 * reader and writer both tuners use to compare, step and print them; locale-free (elmo/number.h). */
#ifndef ELMO_BASE_PLAIN_NUMBER_H
#define ELMO_BASE_PLAIN_NUMBER_H

#include <stddef.h>

/* Reads text as a plain decimal number: optional '-', digits first, optional fraction and
 * exponent; no "inf", "nan", "+1", ".5", hex or spaces. Returns 1 with *v and *is_int (no '.',
 * 'e' or 'E') set, else 0. */
int elmo_plain_number_parse(const char *text, double *v, int *is_int);

/* Writes v as RocksDB would read it back: whole numbers without a fraction ("%.0f"), others with
 * 15 significant digits. */
void elmo_plain_number_format(double v, int is_int, char *buf, size_t size);

/* 1 when a and b are the same value: equal numbers ("0.1" and "0.100000"), else equal text. */
int elmo_plain_number_same(const char *a, const char *b);

/* +1 when to is a larger number than from, -1 smaller, 0 equal or either not a number. */
int elmo_plain_number_direction(const char *from, const char *to);

#endif /* ELMO_BASE_PLAIN_NUMBER_H */
