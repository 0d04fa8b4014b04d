/*
 * elmo.h — the public C interface of ELMo, the tuner core built into librocksdb.
 *
 * Module elmo/src/base/: errors (error.c: elmo_rc, elmo_error, messages), locale-free numbers
 *  (number.c, number.h; plain_number.c: option values as RocksDB writes them), the one growable
 *  string (strbuf.c), the one quote-aware scanner (scan.c), file I/O (fileio.c), the host probe
 *  (host.c, host.h), the version (version.c). Every other module uses it; it uses none.
 *
 * Conventions (every elmo header follows them):
 *  - Names are elmo_<module>_<verb>; constants ELMO_*; types are opaque structs without a _t suffix.
 *  - Calls that can fail return an elmo_rc. When the caller passes an elmo_error, it receives the
 *    code and a message naming the bad value; passing NULL is allowed everywhere.
 *  - Out-parameters are set (to NULL/0) before anything can fail.
 *  - Objects come in _create/_destroy pairs; _destroy(NULL) does nothing. Strings returned to the
 *    caller are freed with elmo_free().
 *  - Unless a function says otherwise it is thread-safe on distinct objects, not on one object.
 */
#ifndef ELMO_ELMO_H
#define ELMO_ELMO_H

#include <stddef.h>

/*
 * ELMO_API marks the public functions: the core is compiled with -fvisibility=hidden, so these
 * declarations are all that librocksdb.so.7.8 exports of it (tests/dropin/check_exports.sh).
 */
#if defined(__GNUC__)
#define ELMO_API __attribute__((visibility("default")))
#else
#define ELMO_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Result codes. Keep in step with the message table in src/base/error.c. */
typedef enum elmo_rc {
  ELMO_OK = 0,
  ELMO_EINVAL = 1,      /* an argument or input value is invalid */
  ELMO_ENOMEM = 2,      /* out of memory */
  ELMO_EIO = 3,         /* a file or stream could not be read or written */
  ELMO_EPARSE = 4,      /* input could not be parsed */
  ELMO_ERANGE = 5,      /* a value is outside its allowed range */
  ELMO_ENOTFOUND = 6,   /* a name (option, provider, file) is unknown */
  ELMO_ELOCKED = 7,     /* the change touches a locked option */
  ELMO_EBUDGET = 8,     /* the change breaks the resource budget */
  ELMO_ENET = 9,        /* a network transfer failed */
  ELMO_ETIMEOUT = 10,   /* an operation took longer than allowed */
  ELMO_EPROTO = 11,     /* a peer answered outside its protocol */
  ELMO_EINTERNAL = 12,  /* a bug in ELMo: please report it */
  ELMO_EAUTH = 13,      /* the server refused the credentials (HTTP 401/403) */
  ELMO_ERATELIMIT = 14, /* still rate-limited (HTTP 429) after every retry */
  ELMO_ESERVER = 15,    /* the server kept failing (HTTP 5xx) after every retry */
  ELMO_ETOOBIG = 16,    /* an answer or input is larger than allowed */
  ELMO_ECANCELED = 17   /* the operation was cancelled (e.g. the DB is closing) */
} elmo_rc;

#define ELMO_RC_LAST ELMO_ECANCELED

#define ELMO_ERROR_MSG_MAX 512

/* Caller-owned error detail. */
typedef struct elmo_error {
  elmo_rc code;
  char message[ELMO_ERROR_MSG_MAX];
} elmo_error;

/* The ELMo version string, e.g. "0.1.0 (RocksDB 7.8.3)". Static storage; never NULL. Thread-safe. */
ELMO_API const char *elmo_version(void);

/* A short English description of rc. Static storage; never NULL (unknown codes get a generic text). */
ELMO_API const char *elmo_strerror(elmo_rc rc);

/* Sets err (if non-NULL) to rc and a printf-style message, and returns rc. */
ELMO_API elmo_rc elmo_error_set(elmo_error *err, elmo_rc rc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Clears err (if non-NULL) to ELMO_OK with an empty message. */
ELMO_API void elmo_error_clear(elmo_error *err);

/* Frees memory that an elmo function handed to the caller. NULL is a no-op. */
ELMO_API void elmo_free(void *p);

#ifdef __cplusplus
}
#endif

#endif /* ELMO_ELMO_H */
