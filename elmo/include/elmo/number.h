/*
 * number.h — numbers as text with a '.' decimal point, whatever the process locale.
 *
 * Conventions: see elmo.h. ELMo runs inside host programs; one that calls setlocale(LC_ALL, "")
 * under a decimal-comma locale (de_DE.UTF-8) makes strtod read "0.5" as 0 and printf("%g") write
 * "0,5". Every number ELMo reads or writes as text — option values, SetOptions calls, OPTIONS and
 * spec files, db_bench arguments, JSON written by hand, prompts, journal and LOG lines — goes
 * through these functions instead (docs/DESIGN.md, "Numbers are locale-free").
 *
 * How: the calling thread is switched to a "C" LC_NUMERIC locale (POSIX newlocale, created once)
 * with uselocale() for the duration of the call, and its own locale is restored before returning.
 * Nothing global changes, so every function here is thread-safe and async-signal-unsafe like the
 * stdio function it wraps. Should the "C" locale object ever fail to be created (out of memory),
 * the calls fall back to the thread's own locale.
 */
#ifndef ELMO_NUMBER_H
#define ELMO_NUMBER_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "elmo/elmo.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define ELMO_PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#define ELMO_SCANF_LIKE(f, a) __attribute__((format(scanf, f, a)))
#else
#define ELMO_PRINTF_LIKE(f, a)
#define ELMO_SCANF_LIKE(f, a)
#endif

/*
 * strtod in the "C" locale: reads "0.5" as 0.5 (and "0,5" as 0, stopping at the comma).
 * IN text: NUL-terminated. OUT *end (may be NULL): the first character not read, as strtod.
 * Returns the value; errno as strtod (ERANGE on overflow or underflow).
 */
ELMO_API double elmo_number_parse(const char *text, char **end);

/*
 * Formats v as printf's "%.<precision><conv>" in the "C" locale: conv 'g' (shortest of the two
 * forms, precision significant digits), 'f' (precision digits after the point) or 'e'.
 * elmo_number_format(0.1, 'g', 15, ...) -> "0.1"; (2.5, 'f', 0) -> "2"; (1e-3, 'g', 15) -> "0.001".
 * OUT buf: at most size bytes including the NUL (truncated like snprintf); "" on a bad argument.
 * Returns the length the whole text needs (as snprintf), or -1 when conv is not one of g/f/e or
 * precision is outside 0..40.
 */
ELMO_API int elmo_number_format(double v, char conv, int precision, char *buf, size_t size);

/* snprintf and vsnprintf in the "C" locale: every %g/%f/%e writes '.'. Return as snprintf. */
ELMO_API int elmo_number_snprintf(char *buf, size_t size, const char *fmt, ...) ELMO_PRINTF_LIKE(3, 4);
ELMO_API int elmo_number_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) ELMO_PRINTF_LIKE(3, 0);

/* fprintf and vfprintf in the "C" locale (report files, progress lines). Return as fprintf. */
ELMO_API int elmo_number_fprintf(FILE *f, const char *fmt, ...) ELMO_PRINTF_LIKE(2, 3);
ELMO_API int elmo_number_vfprintf(FILE *f, const char *fmt, va_list ap) ELMO_PRINTF_LIKE(2, 0);

/* sscanf in the "C" locale: %lf reads "0.5" (db_bench's output, /proc files). Returns as sscanf. */
ELMO_API int elmo_number_sscanf(const char *text, const char *fmt, ...) ELMO_SCANF_LIKE(2, 3);

/*
 * Switches the calling thread to the "C" numeric locale for good: for threads ELMo owns (the
 * realtime tuner), so that RocksDB's own number conversions in the calls they make (std::stod of
 * a SetOptions value, std::to_string of a double in the OPTIONS file it writes) read and write
 * '.' too. Never call it on a thread of the host's. Returns ELMO_OK, or ELMO_ENOMEM when the
 * locale could not be created (the thread keeps its locale).
 */
ELMO_API elmo_rc elmo_number_use_c_locale_on_this_thread(void);

#ifdef __cplusplus
}
#endif

#endif /* ELMO_NUMBER_H */
