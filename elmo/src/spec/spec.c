/* spec.c — the workload spec (spec.h): adding phases and groups in C, validation, queries over
 * the phase timeline, loading and saving. The object is spec_object.c, JSON reading and writing
 * are spec_json.c and spec_write.c, the rules spec_check.c. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "spec_internal.h"

elmo_rc elmo_spec_add_phase(elmo_spec *s, const elmo_spec_phase *p, elmo_error *err) {
  if (s == NULL || p == NULL)
    return elmo_error_set(err, ELMO_EINVAL, "spec_add_phase: NULL spec or phase");
  if (s->n_phases >= ELMO_SPEC_MAX_PHASES) {
    return elmo_error_set(err, ELMO_ERANGE, "phases: already %zu phases, at most %d", s->n_phases,
                          ELMO_SPEC_MAX_PHASES);
  }
  elmo_spec_phase *grown = realloc(s->phases, (s->n_phases + 1) * sizeof(*grown));
  if (grown == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory adding a phase");
  grown[s->n_phases] = *p;
  s->phases = grown;
  s->n_phases++;
  return ELMO_OK;
}

elmo_rc elmo_spec_phase_set_groups(elmo_spec_phase *p, const elmo_spec_group *groups, size_t n,
                                   elmo_error *err) {
  if (p == NULL || groups == NULL)
    return elmo_error_set(err, ELMO_EINVAL, "spec_phase_set_groups: NULL phase or groups");
  if (n < 1 || n > ELMO_SPEC_MAX_GROUPS) {
    return spec_fail(err, ELMO_ERANGE, "groups", "%zu groups, must be 1..%d", n,
                     ELMO_SPEC_MAX_GROUPS);
  }
  long threads = 0;
  for (size_t g = 0; g < n; g++) {
    if (groups[g].threads < 1 || groups[g].threads > ELMO_SPEC_MAX_THREADS) {
      return elmo_error_set(err, ELMO_ERANGE, "groups[%zu].threads: %d is out of range 1..%d", g,
                            groups[g].threads, ELMO_SPEC_MAX_THREADS);
    }
    threads += groups[g].threads;
  }
  if (threads > ELMO_SPEC_MAX_THREADS) {
    return spec_fail(err, ELMO_ERANGE, "groups", "the groups' threads sum to %ld, at most %d",
                     threads, ELMO_SPEC_MAX_THREADS);
  }
  memmove(p->groups, groups, n * sizeof(*groups)); /* groups may be p->groups itself */
  memset(&p->groups[n], 0, (ELMO_SPEC_MAX_GROUPS - n) * sizeof(*groups));
  p->n_groups = n;
  spec_groups_derive(p);
  return ELMO_OK;
}

double elmo_spec_duration(const elmo_spec *s) {
  double end = 0;
  for (size_t i = 0; s != NULL && s->phases != NULL && i < s->n_phases; i++) {
    double e = s->phases[i].start_sec + s->phases[i].duration_sec;
    if (e > end) end = e;
  }
  return end;
}

const elmo_spec_phase *elmo_spec_phase_at(const elmo_spec *s, double t) {
  if (s == NULL || s->phases == NULL || isnan(t)) return NULL;
  for (size_t i = 0; i < s->n_phases; i++) {
    const elmo_spec_phase *p = &s->phases[i];
    if (t >= p->start_sec && t < p->start_sec + p->duration_sec) return p;
  }
  return NULL;
}

elmo_rc elmo_spec_validate(const elmo_spec *s, elmo_error *err) {
  if (s == NULL) return elmo_error_set(err, ELMO_EINVAL, "spec_validate: spec is NULL");
  elmo_rc rc = spec_check_top(s, err);
  if (rc == ELMO_OK && (s->n_phases < 1 || s->n_phases > ELMO_SPEC_MAX_PHASES)) {
    rc = spec_fail(err, ELMO_ERANGE, "phases", "%zu phases, must be 1..%d", s->n_phases,
                   ELMO_SPEC_MAX_PHASES);
  }
  if (rc == ELMO_OK && s->phases == NULL) rc = spec_fail(err, ELMO_EINVAL, "phases", "is NULL");
  for (size_t i = 0; rc == ELMO_OK && i < s->n_phases; i++) {
    rc = spec_check_phase(&s->phases[i], i, s->num_keys, err);
  }
  if (rc == ELMO_OK) rc = spec_check_phases(s, NULL, err);
  if (rc == ELMO_OK) elmo_error_clear(err);
  return rc;
}

/* ---- files --------------------------------------------------------------------------------- */

/* Reads at most ELMO_SPEC_JSON_MAX bytes of path into a new buffer. */
static elmo_rc read_spec_file(const char *path, char **text, size_t *len, elmo_error *err) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return elmo_error_set(err, ELMO_EIO, "cannot open %s: %s", path, strerror(errno));
  char *buf = malloc(ELMO_SPEC_JSON_MAX + 1);
  if (buf == NULL) {
    fclose(f);
    return elmo_error_set(err, ELMO_ENOMEM, "out of memory reading %s", path);
  }
  size_t n = fread(buf, 1, ELMO_SPEC_JSON_MAX + 1, f);
  int failed = ferror(f), e = errno;
  fclose(f);
  if (failed || n > ELMO_SPEC_JSON_MAX) {
    free(buf);
    if (failed) return elmo_error_set(err, ELMO_EIO, "cannot read %s: %s", path, strerror(e));
    return elmo_error_set(err, ELMO_ETOOBIG, "%s: larger than %u bytes, the limit for a spec", path,
                          ELMO_SPEC_JSON_MAX);
  }
  *text = buf;
  *len = n;
  return ELMO_OK;
}

elmo_rc elmo_spec_load(const char *path, elmo_spec **out, elmo_error *err) {
  if (out != NULL) *out = NULL;
  if (path == NULL || out == NULL)
    return elmo_error_set(err, ELMO_EINVAL, "spec_load: NULL path or out");
  char *text = NULL;
  size_t len = 0;
  elmo_rc rc = read_spec_file(path, &text, &len, err);
  if (rc != ELMO_OK) return rc;
  elmo_error inner;
  rc = elmo_spec_parse(text, len, out, &inner);
  free(text);
  if (rc != ELMO_OK) return elmo_error_set(err, rc, "%s: %s", path, inner.message);
  elmo_error_clear(err);
  return ELMO_OK;
}

elmo_rc elmo_spec_save(const elmo_spec *s, const char *path, elmo_error *err) {
  if (path == NULL || path[0] == '\0')
    return elmo_error_set(err, ELMO_EINVAL, "spec_save: empty path");
  elmo_rc rc = elmo_spec_validate(s, err);
  if (rc != ELMO_OK) return rc;
  char *text = elmo_spec_to_json(s);
  if (text == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory writing %s", path);
  rc = elmo_file_save_atomic(path, text, err);
  free(text);
  return rc;
}
