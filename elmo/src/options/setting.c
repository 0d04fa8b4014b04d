/* setting.c — what the core's two settings tables share. See setting.h. */
#include "setting.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "elmo/value.h"

int elmo_setting_in_range(const elmo_setting_range *r, double v) {
  if (isnan(v)) return 0;
  if (r->min_open ? v <= r->min : v < r->min) return 0;
  if (r->max_open ? v >= r->max : v > r->max) return 0;
  return 1;
}

elmo_rc elmo_setting_range_error(const char *key, const char *text, const elmo_setting_range *r, elmo_error *err) {
  return elmo_error_set(err, ELMO_ERANGE, "%s=%s is outside the allowed range %s", key, text, r->text);
}

static const char *kind_name(elmo_setting_kind kind, const char *type_name) {
  if (kind == ELMO_SETTING_BOOL) return "boolean (true/false)";
  if (kind == ELMO_SETTING_DOUBLE) return "number";
  if (type_name != NULL && strcmp(type_name, "bytes") == 0) return "size (64MiB, 1GiB, 1048576)";
  return "whole number";
}

elmo_rc elmo_setting_parse(const char *key, elmo_setting_kind kind, const char *type_name, const char *text,
                           const elmo_setting_range *r, double *v, elmo_error *err) {
  elmo_rc rc;
  if (kind == ELMO_SETTING_BOOL) {
    int b = 0;
    rc = elmo_value_parse_bool(text, &b, NULL);
    *v = b;
  } else if (kind == ELMO_SETTING_INT) {
    int64_t i = 0;
    rc = elmo_value_parse_int(text, &i, NULL);
    *v = (double)i;
  } else if (kind == ELMO_SETTING_UINT) {
    uint64_t u = 0;
    rc = elmo_value_parse_uint(text, &u, NULL);
    *v = (double)u;
  } else {
    rc = elmo_value_parse_double(text, v, NULL);
  }
  if (rc == ELMO_ERANGE) return elmo_setting_range_error(key, text, r, err);
  if (rc != ELMO_OK) {
    return elmo_error_set(err, ELMO_EPARSE, "%s=%s is not a %s (allowed: %s)", key, text, kind_name(kind, type_name),
                          r->text);
  }
  if (kind != ELMO_SETTING_BOOL && !elmo_setting_in_range(r, *v)) return elmo_setting_range_error(key, text, r, err);
  return ELMO_OK;
}

const char *elmo_setting_nearest(const char *key, const char *(*key_at)(size_t i), size_t n) {
  const char *best = NULL;
  size_t best_d = 4; /* more edits than this is not a typo */
  for (size_t i = 0; i < n; i++) {
    size_t d = elmo_value_edit_distance(key, key_at(i));
    if (d < best_d) best_d = d, best = key_at(i);
  }
  return best;
}
