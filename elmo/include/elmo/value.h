/*
 * value.h — reading option values the way people and LLMs write them.
 *
 * Conventions: see elmo.h. Pure functions: no I/O, no globals, no locale dependence.
 */
#ifndef ELMO_VALUE_H
#define ELMO_VALUE_H

#include <stddef.h>
#include <stdint.h>

#include "elmo/elmo.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Parses an integer with an optional unit: "4096", "64MB", "64 MiB", "1GiB", "1g", "4K", "4k",
 * "1e6", "1.5GB", "0x1000", "-1", "2^20", "1_000_000", "1,000,000". Units are binary (K=1024, also
 * for KB/MB/GB/TB as RocksDB and db_bench use them). A fraction is allowed only when the result is
 * a whole number. Surrounding spaces and quotes are ignored.
 * OUT *out: the value (0 on error).
 * Returns ELMO_OK, ELMO_EPARSE (not a number; message names the text) or ELMO_ERANGE (does not
 * fit in int64 / has a fractional part).
 */
ELMO_API elmo_rc elmo_value_parse_int(const char *text, int64_t *out, elmo_error *err);

/* As elmo_value_parse_int, for unsigned 64-bit values (e.g. "18446744073709551615"). Negative
 * numbers are ELMO_ERANGE. */
ELMO_API elmo_rc elmo_value_parse_uint(const char *text, uint64_t *out, elmo_error *err);

/* Parses a floating-point value: "0.5", "1e-3", "50%" (= 0.5). Returns ELMO_OK, ELMO_EPARSE, or
 * ELMO_ERANGE when the value overflows a double (underflow gives 0 or a subnormal). */
ELMO_API elmo_rc elmo_value_parse_double(const char *text, double *out, elmo_error *err);

/* Parses a boolean: true/false, 1/0, yes/no, on/off, enabled/disabled (any case).
 * OUT *out: 1 or 0. Returns ELMO_OK or ELMO_EPARSE. */
ELMO_API elmo_rc elmo_value_parse_bool(const char *text, int *out, elmo_error *err);

/*
 * Matches a written enum value against the allowed spellings, forgiving case, a leading 'k',
 * '_' and '-' and common suffixes: with allowed = {"kNoCompression","kSnappyCompression",
 * "kLZ4Compression","kZSTD",...}: "lz4", "LZ4", "kLZ4Compression", "lz4_compression" all give
 * "kLZ4Compression"; "zstd" gives "kZSTD"; "none"/"no" give "kNoCompression".
 * OUT *out: the allowed spelling (a pointer into allowed[]), NULL when nothing matches.
 * Returns ELMO_OK, or ELMO_ENOTFOUND with a message listing the allowed values.
 */
ELMO_API elmo_rc elmo_value_match_enum(const char *text, const char *const *allowed, size_t n_allowed,
                              const char **out, elmo_error *err);

/* Formats bytes for people: 67108864 -> "64 MiB", 1536 -> "1.5 KiB", 100 -> "100 B".
 * Writes at most bufsize bytes including the NUL; returns buf. */
ELMO_API char *elmo_value_format_bytes(uint64_t bytes, char *buf, size_t bufsize);

/*
 * Damerau–Levenshtein (optimal string alignment) distance between a and b, ignoring case;
 * used for "did you mean" suggestions. Returns SIZE_MAX if either is NULL (or, for strings over
 * 64 bytes, if memory for the table cannot be had).
 */
ELMO_API size_t elmo_value_edit_distance(const char *a, const char *b);

#ifdef __cplusplus
}
#endif

#endif /* ELMO_VALUE_H */
