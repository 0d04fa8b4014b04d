/* number.c — numbers as text with a '.' decimal point, whatever the process locale (number.h).
 *
 * The one place in the core that calls strtod, printf's floating conversions or scanf's %lf on
 * text that a program reads: each call runs with the calling thread switched to a "C" LC_NUMERIC
 * locale (uselocale), which is created once and never freed. */
#define _POSIX_C_SOURCE 200809L
#include "elmo/number.h"

#include <locale.h>
#include <pthread.h>
#include <stdlib.h>

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static locale_t g_c_numeric = (locale_t)0; /* written once, under g_once */

static void make_c_numeric(void) { g_c_numeric = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0); }

/* Switches the calling thread to the "C" numeric locale. Returns the locale to give back to
 * leave_c(), or (locale_t)0 when the switch could not be made (the thread's own is used). */
static locale_t enter_c(void) {
  pthread_once(&g_once, make_c_numeric);
  if (g_c_numeric == (locale_t)0) return (locale_t)0;
  return uselocale(g_c_numeric);
}

static void leave_c(locale_t saved) {
  if (saved != (locale_t)0) uselocale(saved);
}

double elmo_number_parse(const char *text, char **end) {
  locale_t saved = enter_c();
  double v = strtod(text, end);
  leave_c(saved);
  return v;
}

int elmo_number_format(double v, char conv, int precision, char *buf, size_t size) {
  char fmt[8] = "%.*g";
  if ((conv != 'g' && conv != 'f' && conv != 'e') || precision < 0 || precision > 40) {
    if (buf != NULL && size > 0) buf[0] = '\0';
    return -1;
  }
  fmt[3] = conv;
  return elmo_number_snprintf(buf, size, fmt, precision, v);
}

int elmo_number_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) {
  locale_t saved = enter_c();
  int n = vsnprintf(buf, size, fmt, ap);
  leave_c(saved);
  return n;
}

int elmo_number_snprintf(char *buf, size_t size, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = elmo_number_vsnprintf(buf, size, fmt, ap);
  va_end(ap);
  return n;
}

int elmo_number_vfprintf(FILE *f, const char *fmt, va_list ap) {
  locale_t saved = enter_c();
  int n = vfprintf(f, fmt, ap);
  leave_c(saved);
  return n;
}

int elmo_number_fprintf(FILE *f, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = elmo_number_vfprintf(f, fmt, ap);
  va_end(ap);
  return n;
}

int elmo_number_sscanf(const char *text, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  locale_t saved = enter_c();
  int n = vsscanf(text, fmt, ap);
  leave_c(saved);
  va_end(ap);
  return n;
}

elmo_rc elmo_number_use_c_locale_on_this_thread(void) {
  pthread_once(&g_once, make_c_numeric);
  if (g_c_numeric == (locale_t)0 || uselocale(g_c_numeric) == (locale_t)0) return ELMO_ENOMEM;
  return ELMO_OK;
}
