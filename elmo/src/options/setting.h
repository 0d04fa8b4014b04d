/* setting.h — what the core's two settings tables share (realtime/realtime_config.c: the elmo_*
 * OPTIONS keys; offline/tune_config.c: db_bench's --elmo_* flags): reading a value by its kind,
 * the range check and its message, the nearest key to a typo. Not installed. */
#ifndef ELMO_OPTIONS_SETTING_H
#define ELMO_OPTIONS_SETTING_H

#include <stddef.h>

#include "elmo/elmo.h"

typedef enum elmo_setting_kind {
  ELMO_SETTING_BOOL,   /* true/false, yes/no, on/off, 1/0 */
  ELMO_SETTING_INT,    /* a signed whole number; units allowed (64MiB, 1e6) */
  ELMO_SETTING_UINT,   /* an unsigned whole number; units allowed */
  ELMO_SETTING_DOUBLE  /* a number; 25% allowed */
} elmo_setting_kind;

/* The allowed values of a numeric setting, and how people read them ("[1, 86400]", "(0, 1)"). */
typedef struct elmo_setting_range {
  double min, max;
  int min_open, max_open; /* 1: the bound itself is not allowed */
  const char *text;
} elmo_setting_range;

/* 1 when v lies in r (never for NaN). */
int elmo_setting_in_range(const elmo_setting_range *r, double v);

/* ELMO_ERANGE: "KEY=TEXT is outside the allowed range RANGE". */
elmo_rc elmo_setting_range_error(const char *key, const char *text, const elmo_setting_range *r, elmo_error *err);

/*
 * Reads text as a setting of this kind (type_name "bytes" is a size, for the message) and, except
 * for booleans, checks it against r. ELMO_OK and *v; ELMO_EPARSE ("KEY=TEXT is not a number
 * (allowed: RANGE)") or ELMO_ERANGE naming key, text and range. Locale-free (value.h).
 */
elmo_rc elmo_setting_parse(const char *key, elmo_setting_kind kind, const char *type_name, const char *text,
                           const elmo_setting_range *r, double *v, elmo_error *err);

/* The key of a table (key_at(0..n-1)) within three edits of key, the nearest; NULL when none. */
const char *elmo_setting_nearest(const char *key, const char *(*key_at)(size_t i), size_t n);

#endif /* ELMO_OPTIONS_SETTING_H */
