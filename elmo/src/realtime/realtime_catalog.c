/* realtime_catalog.c — the realtime tuner's option table from the catalog and the DB's current
 * options. See realtime.h. */
#include <stdlib.h>

#include "elmo/catalog.h"
#include "elmo/realtime.h"

elmo_rc elmo_rt_options_from_catalog(const elmo_catalog *cat, const elmo_optfile *current,
                                     elmo_rt_option **opts, size_t *n, elmo_error *err) {
  if (opts != NULL) *opts = NULL;
  if (n != NULL) *n = 0;
  if (cat == NULL || opts == NULL || n == NULL) {
    return elmo_error_set(err, ELMO_EINVAL, "elmo_rt_options_from_catalog: NULL argument");
  }
  size_t count = elmo_catalog_count(cat), k = 0;
  elmo_rt_option *out = calloc(count ? count : 1, sizeof *out);
  if (out == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  for (size_t i = 0; i < count; i++) {
    const elmo_option_info *info = elmo_catalog_at(cat, i);
    if (info->flags & (ELMO_OPT_ALIAS | ELMO_OPT_DEPRECATED)) continue;
    const char *v = current != NULL ? elmo_optfile_get(current, info->section, "default", info->name) : NULL;
    if (v == NULL && info->default_value[0] != '\0') v = info->default_value;
    out[k].name = info->name;
    out[k].section = info->section;
    out[k].is_mutable = (info->flags & ELMO_OPT_MUTABLE) && !(info->flags & ELMO_OPT_LOCKED);
    out[k].value = v;
    out[k].has_range = (info->flags & ELMO_OPT_RANGE) != 0;
    out[k].min = info->min;
    out[k].max = info->max;
    k++;
  }
  *opts = out;
  *n = k;
  return ELMO_OK;
}
