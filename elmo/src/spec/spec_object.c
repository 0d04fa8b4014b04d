/* spec_object.c — the spec object itself (spec.h): operation names, a new spec with its
 * defaults, destroy. Everything else in the module builds on these. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec_internal.h"

const char *elmo_spec_op_name(elmo_spec_op op) {
  static const char *const kNames[ELMO_SPEC_OP_COUNT] = {
      [ELMO_SPEC_GET] = "get",   [ELMO_SPEC_PUT] = "put",     [ELMO_SPEC_DELETE] = "delete",
      [ELMO_SPEC_SEEK] = "seek", [ELMO_SPEC_MERGE] = "merge", [ELMO_SPEC_MULTIGET] = "multiget"};
  return (unsigned)op < ELMO_SPEC_OP_COUNT ? kNames[op] : NULL;
}

static elmo_dist fixed(double v) {
  elmo_dist d;
  memset(&d, 0, sizeof(d));
  d.kind = ELMO_DIST_FIXED;
  d.params[0] = v;
  return d;
}

elmo_spec *elmo_spec_create(uint64_t num_keys) {
  elmo_spec *s = calloc(1, sizeof(*s));
  elmo_spec_phase *p = calloc(1, sizeof(*p));
  if (s == NULL || p == NULL) {
    free(s);
    free(p);
    return NULL;
  }
  snprintf(s->name, sizeof(s->name), "spec");
  s->num_keys = num_keys;
  s->key_size = fixed(16);
  s->preload = 1;
  s->preload_value_size = fixed(100);
  snprintf(p->name, sizeof(p->name), "main");
  p->duration_sec = 60;
  p->threads = 1;
  p->mix[ELMO_SPEC_GET] = 1;
  p->key_access.kind = ELMO_DIST_UNIFORM;
  p->key_access.params[1] = (double)num_keys;
  p->value_size = fixed(100);
  p->scan_length = fixed(0);
  p->multiget_size = 1;
  p->rate.kind = ELMO_RATE_UNLIMITED;
  s->phases = p;
  s->n_phases = 1;
  return s;
}

void elmo_spec_destroy(elmo_spec *s) {
  if (s == NULL) return;
  free(s->phases);
  free(s);
}
