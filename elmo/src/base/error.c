/* error.c — result codes, their messages, and the caller-owned error struct. Messages are
 * formatted locale-free (number.h): a number in a message reads as the user wrote it. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "elmo/elmo.h"
#include "elmo/number.h"

static const char *const kMessages[] = {
    [ELMO_OK] = "ok",
    [ELMO_EINVAL] = "invalid argument",
    [ELMO_ENOMEM] = "out of memory",
    [ELMO_EIO] = "I/O error",
    [ELMO_EPARSE] = "parse error",
    [ELMO_ERANGE] = "value out of range",
    [ELMO_ENOTFOUND] = "not found",
    [ELMO_ELOCKED] = "option is locked",
    [ELMO_EBUDGET] = "over the resource budget",
    [ELMO_ENET] = "network error",
    [ELMO_ETIMEOUT] = "timed out",
    [ELMO_EPROTO] = "protocol error",
    [ELMO_EINTERNAL] = "internal error",
    [ELMO_EAUTH] = "authentication failed",
    [ELMO_ERATELIMIT] = "rate limited",
    [ELMO_ESERVER] = "server error",
    [ELMO_ETOOBIG] = "too large",
    [ELMO_ECANCELED] = "cancelled",
};

const char *elmo_strerror(elmo_rc rc) {
  if ((unsigned)rc < sizeof(kMessages) / sizeof(kMessages[0]) && kMessages[rc] != NULL) {
    return kMessages[rc];
  }
  return "unknown error code";
}

elmo_rc elmo_error_set(elmo_error *err, elmo_rc rc, const char *fmt, ...) {
  if (err != NULL) {
    va_list ap;
    err->code = rc;
    va_start(ap, fmt);
    elmo_number_vsnprintf(err->message, sizeof(err->message), fmt, ap);
    va_end(ap);
  }
  return rc;
}

void elmo_error_clear(elmo_error *err) {
  if (err != NULL) {
    err->code = ELMO_OK;
    err->message[0] = '\0';
  }
}

void elmo_free(void *p) { free(p); }
