/* spec_json.c — the workload spec as JSON (docs/WORKLOAD_SPEC.md): reading with defaults and
 * path-naming errors. The writer is spec_write.c, the rules are in spec_check.c. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec_internal.h"

static const char *const kTopFields[] = {"name",    "description",        "num_keys", "key_size",
                                         "preload", "preload_value_size", "phases"};
static const char *const kPhaseFields[] = {
    "name",       "start_sec",  "duration_sec", "threads",       "mix",  "key_access",
    "key_ranges", "value_size", "scan_length",  "multiget_size", "rate", "groups"};
static const char *const kGroupFields[] = {"name", "threads", "mix", "rate"};
static const char *const kRateFields[][5] = {[ELMO_RATE_UNLIMITED] = {"kind"},
                                             [ELMO_RATE_FIXED] = {"kind", "qps"},
                                             [ELMO_RATE_SINE] = {"kind", "a", "b", "c", "d"}};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- reading: fields ----------------------------------------------------------------------- */

static const char *type_name(const cJSON *it) {
  if (cJSON_IsString(it)) return "a string";
  if (cJSON_IsNumber(it)) return "a number";
  if (cJSON_IsBool(it)) return "a boolean";
  if (cJSON_IsNull(it)) return "null";
  if (cJSON_IsArray(it)) return "an array";
  if (cJSON_IsObject(it)) return "an object";
  return "an unknown value";
}

/* out = base.field; a path too long for SPEC_PATH_MAX is cut (it still starts right). */
static void join(char *out, const char *base, const char *field) {
  if (snprintf(out, SPEC_PATH_MAX, "%s%s%s", base, base[0] ? "." : "", field) >= SPEC_PATH_MAX) {
    memcpy(out + SPEC_PATH_MAX - 4, "...", 4);
  }
}

static int listed(const char *const *names, size_t n, const char *key) {
  for (size_t i = 0; i < n && names[i] != NULL; i++) {
    if (strcmp(names[i], key) == 0) return 1;
  }
  return 0;
}

/* No member of obj repeats (cJSON would silently read the first). */
static elmo_rc check_unique(const cJSON *obj, const char *base, elmo_error *err) {
  char path[SPEC_PATH_MAX];
  for (const cJSON *it = obj->child; it != NULL; it = it->next) {
    const char *key = it->string ? it->string : "";
    for (const cJSON *prev = obj->child; prev != it; prev = prev->next) {
      if (strcmp(prev->string ? prev->string : "", key) == 0) {
        join(path, base, key);
        return spec_fail(err, ELMO_EINVAL, path, "given twice");
      }
    }
  }
  return ELMO_OK;
}

/* Every member of obj is one of names[0..n) (a NULL ends the list early), and none repeats. */
static elmo_rc check_fields(const cJSON *obj, const char *base, const char *const *names, size_t n,
                            elmo_error *err) {
  char path[SPEC_PATH_MAX], list[256] = "";
  elmo_rc rc = check_unique(obj, base, err);
  if (rc != ELMO_OK) return rc;
  for (const cJSON *it = obj->child; it != NULL; it = it->next) {
    const char *key = it->string ? it->string : "";
    join(path, base, key);
    if (listed(names, n, key)) continue;
    size_t used = 0;
    for (size_t i = 0; i < n && names[i] != NULL && used < sizeof(list); i++) {
      used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", names[i]);
    }
    return spec_fail(err, ELMO_EINVAL, path, "unknown field (allowed: %s)", list);
  }
  return ELMO_OK;
}

static const cJSON *member(const cJSON *obj, const char *key) {
  return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* obj[key] as a finite number; *present says whether it is there at all. */
static elmo_rc get_number(const cJSON *obj, const char *key, const char *base, double *out,
                          int *present, elmo_error *err) {
  const cJSON *it = member(obj, key);
  char path[SPEC_PATH_MAX];
  *present = it != NULL;
  if (it == NULL) return ELMO_OK;
  join(path, base, key);
  if (!cJSON_IsNumber(it)) {
    return spec_fail(err, ELMO_EINVAL, path, "must be a number, got %s", type_name(it));
  }
  if (!isfinite(it->valuedouble))
    return spec_fail(err, ELMO_EINVAL, path, "must be a finite number");
  *out = it->valuedouble;
  return ELMO_OK;
}

static elmo_rc get_required(const cJSON *obj, const char *key, const char *base, double *out,
                            const char *what, elmo_error *err) {
  int present;
  elmo_rc rc = get_number(obj, key, base, out, &present, err);
  if (rc != ELMO_OK || present) return rc;
  char path[SPEC_PATH_MAX];
  join(path, base, key);
  return spec_fail(err, ELMO_EINVAL, path, "missing (%s)", what);
}

/* obj[key] as a whole number in lo..hi; left alone when absent. */
static elmo_rc get_whole(const cJSON *obj, const char *key, const char *base, double lo, double hi,
                         double *out, int *present, elmo_error *err) {
  double v = 0;
  elmo_rc rc = get_number(obj, key, base, &v, present, err);
  if (rc != ELMO_OK || !*present) return rc;
  char path[SPEC_PATH_MAX];
  join(path, base, key);
  if (v != floor(v))
    return spec_fail(err, ELMO_EINVAL, path, "must be a whole number, got %.17g", v);
  if (v < lo || v > hi) {
    return spec_fail(err, ELMO_ERANGE, path, "%.17g is out of range %.17g..%.17g", v, lo, hi);
  }
  *out = v;
  return ELMO_OK;
}

static elmo_rc get_string(const cJSON *obj, const char *key, const char *base, char *buf,
                          size_t cap, int *present, elmo_error *err) {
  const cJSON *it = member(obj, key);
  char path[SPEC_PATH_MAX];
  *present = it != NULL;
  if (it == NULL) return ELMO_OK;
  join(path, base, key);
  if (!cJSON_IsString(it)) {
    return spec_fail(err, ELMO_EINVAL, path, "must be a string, got %s", type_name(it));
  }
  size_t len = strlen(it->valuestring);
  if (len >= cap) {
    return spec_fail(err, ELMO_ERANGE, path, "%zu bytes long, at most %zu", len, cap - 1);
  }
  memcpy(buf, it->valuestring, len + 1);
  return ELMO_OK;
}

/* The kind a dist object names, when it names a known one (else the reader reports it). */
static int peek_kind(const cJSON *obj, elmo_dist_kind *kind) {
  const cJSON *name = member(obj, "dist");
  return cJSON_IsString(name) && elmo_dist_kind_from_name(name->valuestring, kind, NULL) == ELMO_OK;
}

/* A dist object (fit.h) at path; the kind must suit the field (key_access or a size). */
static elmo_rc read_dist(const cJSON *it, const char *path, int key_access, elmo_dist *out,
                         elmo_error *err) {
  if (!cJSON_IsObject(it)) {
    return spec_fail(err, ELMO_EINVAL, path,
                     "must be a distribution object like {\"dist\":\"fixed\",\"value\":16}, got %s",
                     type_name(it));
  }
  elmo_dist_kind kind;
  elmo_rc rc = check_unique(it, path, err);
  if (rc == ELMO_OK && peek_kind(it, &kind)) rc = spec_check_kind(kind, key_access, path, err);
  if (rc != ELMO_OK) return rc;
  elmo_error inner;
  rc = elmo_dist_from_cjson(it, out, &inner);
  if (rc == ELMO_OK) return rc;
  return spec_wrap(err, rc == ELMO_ENOMEM ? rc : ELMO_EINVAL, path, &inner);
}

/* obj[key] as a dist; *out keeps its default when absent. */
static elmo_rc get_dist(const cJSON *obj, const char *key, const char *base, elmo_dist *out,
                        int *present, elmo_error *err) {
  const cJSON *it = member(obj, key);
  char path[SPEC_PATH_MAX];
  *present = it != NULL;
  if (it == NULL) return ELMO_OK;
  join(path, base, key);
  return read_dist(it, path, 0, out, err);
}

/* ---- reading: a phase ---------------------------------------------------------------------- */

/* A uniform key_access may leave out min (0) and max (num_keys): a copy with them filled in. */
static elmo_rc uniform_defaults(const cJSON *it, uint64_t num_keys, cJSON **copy, elmo_error *err) {
  elmo_dist_kind kind;
  *copy = NULL;
  if (!peek_kind(it, &kind) || kind != ELMO_DIST_UNIFORM) return ELMO_OK;
  if (member(it, "min") != NULL && member(it, "max") != NULL) return ELMO_OK;
  cJSON *c = cJSON_Duplicate(it, 1);
  int ok = c != NULL;
  if (ok && member(c, "min") == NULL) ok = cJSON_AddNumberToObject(c, "min", 0) != NULL;
  if (ok && member(c, "max") == NULL)
    ok = cJSON_AddNumberToObject(c, "max", (double)num_keys) != NULL;
  if (!ok) {
    cJSON_Delete(c);
    return elmo_error_set(err, ELMO_ENOMEM, "out of memory reading key_access");
  }
  *copy = c;
  return ELMO_OK;
}

static elmo_rc read_key_model(const cJSON *it, const char *path, uint64_t num_keys, elmo_dist *out,
                              elmo_error *err) {
  if (cJSON_IsObject(it) && member(it, "n") != NULL) {
    char npath[SPEC_PATH_MAX];
    join(npath, path, "n");
    return spec_fail(err, ELMO_EINVAL, npath,
                     "leave it out: n is num_keys (key_ranges for two_term_exp)");
  }
  cJSON *copy = NULL;
  elmo_rc rc = cJSON_IsObject(it) ? uniform_defaults(it, num_keys, &copy, err) : ELMO_OK;
  if (rc == ELMO_OK) rc = read_dist(copy ? copy : it, path, 1, out, err);
  cJSON_Delete(copy);
  return rc;
}

static elmo_rc read_key_access(const cJSON *po, const char *ph, uint64_t num_keys,
                               elmo_spec_phase *p, elmo_error *err) {
  char path[SPEC_PATH_MAX];
  const cJSON *it = member(po, "key_access");
  join(path, ph, "key_access");
  p->key_access.kind = ELMO_DIST_UNIFORM;
  p->key_access.params[1] = (double)num_keys;
  elmo_rc rc = it ? read_key_model(it, path, num_keys, &p->key_access, err) : ELMO_OK;
  if (rc != ELMO_OK) return rc;
  double ranges = 0;
  int present;
  rc = get_whole(po, "key_ranges", ph, 1, ELMO_SPEC_KEY_RANGES_MAX, &ranges, &present, err);
  if (rc != ELMO_OK) return rc;
  p->key_ranges = (int)ranges;
  if (p->key_access.kind == ELMO_DIST_TWO_TERM_EXP) {
    join(path, ph, "key_ranges");
    if (!present) {
      return spec_fail(err, ELMO_EINVAL, path,
                       "required with key_access two_term_exp (number of key ranges, 1..%d)",
                       ELMO_SPEC_KEY_RANGES_MAX);
    }
    p->key_access.n = (uint64_t)p->key_ranges;
  } else if (elmo_dist_is_rank(p->key_access.kind)) {
    p->key_access.n = num_keys;
  }
  return ELMO_OK;
}

/* obj["mix"] (obj a phase or a group, base its path) into mix. */
static elmo_rc read_mix(const cJSON *obj, const char *base, double *mix, elmo_error *err) {
  static const char *const kOps[ELMO_SPEC_OP_COUNT] = {"get",  "put",   "delete",
                                                       "seek", "merge", "multiget"};
  char path[SPEC_PATH_MAX];
  const cJSON *it = member(obj, "mix");
  join(path, base, "mix");
  if (it == NULL || !cJSON_IsObject(it)) {
    return spec_fail(err, ELMO_EINVAL, path,
                     "%s%s (an object of fractions summing to 1, like {\"get\":0.5,\"put\":0.5})",
                     it ? "must be an object, got " : "missing", it ? type_name(it) : "");
  }
  elmo_rc rc = check_fields(it, path, kOps, COUNT(kOps), err);
  for (int op = 0; rc == ELMO_OK && op < ELMO_SPEC_OP_COUNT; op++) {
    int present;
    rc = get_number(it, kOps[op], path, &mix[op], &present, err);
  }
  return rc;
}

/* scan_length and multiget_size: required with seeks / multigets (their absence elsewhere is
 * checked by spec_check_phase, which also rejects them without those operations). */
static elmo_rc read_op_extras(const cJSON *po, const char *ph, elmo_spec_phase *p,
                              elmo_error *err) {
  char path[SPEC_PATH_MAX];
  int present;
  p->scan_length.kind = ELMO_DIST_FIXED;
  elmo_rc rc = get_dist(po, "scan_length", ph, &p->scan_length, &present, err);
  if (rc != ELMO_OK) return rc;
  const char *mix = p->n_groups > 0 ? "a group's mix" : "mix";
  if (!present && p->mix[ELMO_SPEC_SEEK] > 0) {
    join(path, ph, "scan_length");
    return spec_fail(err, ELMO_EINVAL, path,
                     "required when %s.seek > 0 (Next calls per seek, e.g. "
                     "{\"dist\":\"fixed\",\"value\":50})",
                     mix);
  }
  double mg = 1;
  rc = get_whole(po, "multiget_size", ph, 1, ELMO_SPEC_MULTIGET_MAX, &mg, &present, err);
  if (rc != ELMO_OK) return rc;
  p->multiget_size = (int)mg;
  if (!present && p->mix[ELMO_SPEC_MULTIGET] > 0) {
    join(path, ph, "multiget_size");
    return spec_fail(err, ELMO_EINVAL, path,
                     "required when %s.multiget > 0 (keys per multiget, 1..%d)", mix,
                     ELMO_SPEC_MULTIGET_MAX);
  }
  return ELMO_OK;
}

static elmo_rc read_rate_kind(const cJSON *it, const char *path, elmo_spec_rate *r,
                              elmo_error *err) {
  char kpath[SPEC_PATH_MAX];
  const cJSON *kind = member(it, "kind");
  join(kpath, path, "kind");
  for (int k = ELMO_RATE_UNLIMITED; cJSON_IsString(kind) && k <= ELMO_RATE_SINE; k++) {
    if (strcmp(kind->valuestring, spec_rate_kind_name((elmo_rate_kind)k)) == 0) {
      r->kind = (elmo_rate_kind)k;
      return ELMO_OK;
    }
  }
  if (kind == NULL) return spec_fail(err, ELMO_EINVAL, kpath, "missing (unlimited, fixed or sine)");
  if (!cJSON_IsString(kind)) {
    return spec_fail(err, ELMO_EINVAL, kpath, "must be a string (unlimited, fixed or sine), got %s",
                     type_name(kind));
  }
  return spec_fail(err, ELMO_EINVAL, kpath, "'%.60s' is unknown (allowed: unlimited, fixed, sine)",
                   kind->valuestring);
}

static elmo_rc read_rate(const cJSON *po, const char *ph, elmo_spec_rate *r, elmo_error *err) {
  char path[SPEC_PATH_MAX];
  const cJSON *it = member(po, "rate");
  join(path, ph, "rate");
  if (it == NULL) return ELMO_OK; /* unlimited */
  if (!cJSON_IsObject(it)) {
    return spec_fail(err, ELMO_EINVAL, path,
                     "must be an object like {\"kind\":\"fixed\",\"qps\":5000}, got %s",
                     type_name(it));
  }
  elmo_rc rc = read_rate_kind(it, path, r, err);
  if (rc == ELMO_OK) rc = check_fields(it, path, kRateFields[r->kind], 5, err);
  if (rc != ELMO_OK || r->kind == ELMO_RATE_UNLIMITED) return rc;
  if (r->kind == ELMO_RATE_FIXED) {
    return get_required(it, "qps", path, &r->qps, "operations per second, > 0", err);
  }
  int present;
  rc = get_required(it, "a", path, &r->a, "amplitude in operations per second", err);
  if (rc == ELMO_OK) rc = get_required(it, "b", path, &r->b, "angular frequency, radians/s", err);
  if (rc == ELMO_OK) rc = get_number(it, "c", path, &r->c, &present, err);
  if (rc == ELMO_OK)
    rc = get_required(it, "d", path, &r->d, "offset in operations per second", err);
  return rc;
}

/* name, start_sec, duration_sec. */
static elmo_rc read_phase_head(const cJSON *po, const char *ph, size_t index, double prev_end,
                               elmo_spec_phase *p, elmo_error *err) {
  int present;
  elmo_rc rc = get_string(po, "name", ph, p->name, sizeof(p->name), &present, err);
  if (rc != ELMO_OK) return rc;
  if (!present) snprintf(p->name, sizeof(p->name), "phase%zu", index);
  p->start_sec = prev_end;
  rc = get_number(po, "start_sec", ph, &p->start_sec, &present, err);
  if (rc == ELMO_OK) {
    rc = get_required(po, "duration_sec", ph, &p->duration_sec, "seconds, > 0", err);
  }
  return rc;
}

/* Group g of the "groups" array of the phase ph. */
static elmo_rc read_group(const cJSON *go, const char *ph, size_t g, elmo_spec_group *out,
                          elmo_error *err) {
  char base[64]; /* short enough for base.field to fit in SPEC_PATH_MAX */
  snprintf(base, sizeof(base), "%s.groups[%u]", ph, (unsigned)g);
  if (!cJSON_IsObject(go)) {
    return spec_fail(err, ELMO_EINVAL, base, "must be a group object, got %s", type_name(go));
  }
  int present;
  elmo_rc rc = check_fields(go, base, kGroupFields, COUNT(kGroupFields), err);
  if (rc == ELMO_OK) rc = get_string(go, "name", base, out->name, sizeof(out->name), &present, err);
  if (rc == ELMO_OK && !present) snprintf(out->name, sizeof(out->name), "group%zu", g);
  double threads = 1;
  if (rc == ELMO_OK) {
    rc = get_whole(go, "threads", base, 1, ELMO_SPEC_MAX_THREADS, &threads, &present, err);
  }
  out->threads = (int)threads;
  if (rc == ELMO_OK) rc = read_mix(go, base, out->mix, err);
  if (rc == ELMO_OK) rc = read_rate(go, base, &out->rate, err);
  return rc;
}

/* A phase with "groups": the groups, and the phase's threads, mix and rate derived from them;
 * the phase itself must not give those. */
static elmo_rc read_groups(const cJSON *po, const char *ph, elmo_spec_phase *p, elmo_error *err) {
  static const char *const kDerived[][2] = {
      {"threads", "the phase's threads are the sum of its groups'"},
      {"mix", "give each group its mix"},
      {"rate", "give each group its rate"}};
  char path[SPEC_PATH_MAX];
  for (size_t i = 0; i < COUNT(kDerived); i++) {
    if (member(po, kDerived[i][0]) == NULL) continue;
    join(path, ph, kDerived[i][0]);
    return spec_fail(err, ELMO_EINVAL, path, "not allowed with groups (%s)", kDerived[i][1]);
  }
  const cJSON *arr = member(po, "groups");
  join(path, ph, "groups");
  if (!cJSON_IsArray(arr)) {
    return spec_fail(err, ELMO_EINVAL, path,
                     "must be an array of 1..%d group objects like "
                     "{\"name\":\"readers\",\"threads\":3,\"mix\":{\"get\":1}}, got %s",
                     ELMO_SPEC_MAX_GROUPS, type_name(arr));
  }
  int n = cJSON_GetArraySize(arr);
  if (n < 1 || n > ELMO_SPEC_MAX_GROUPS) {
    return spec_fail(err, ELMO_ERANGE, path, "%d groups, must be 1..%d", n, ELMO_SPEC_MAX_GROUPS);
  }
  size_t g = 0;
  for (const cJSON *go = arr->child; go != NULL; go = go->next, g++) {
    elmo_rc rc = read_group(go, ph, g, &p->groups[g], err);
    if (rc != ELMO_OK) return rc;
  }
  p->n_groups = (size_t)n;
  spec_groups_derive(p);
  return ELMO_OK;
}

/* threads, mix and rate: the phase's own, or derived from its groups. */
static elmo_rc read_workers(const cJSON *po, const char *ph, elmo_spec_phase *p, elmo_error *err) {
  if (member(po, "groups") != NULL) return read_groups(po, ph, p, err);
  double threads = 1;
  int present;
  elmo_rc rc = get_whole(po, "threads", ph, 1, ELMO_SPEC_MAX_THREADS, &threads, &present, err);
  p->threads = (int)threads;
  if (rc == ELMO_OK) rc = read_mix(po, ph, p->mix, err);
  if (rc == ELMO_OK) rc = read_rate(po, ph, &p->rate, err);
  return rc;
}

static elmo_rc read_phase(const cJSON *po, size_t index, double prev_end, uint64_t num_keys,
                          elmo_spec_phase *p, elmo_error *err) {
  char ph[32];
  snprintf(ph, sizeof(ph), "phases[%zu]", index);
  if (!cJSON_IsObject(po)) {
    return spec_fail(err, ELMO_EINVAL, ph, "must be a phase object, got %s", type_name(po));
  }
  int present;
  p->value_size.kind = ELMO_DIST_FIXED;
  p->value_size.params[0] = 100;
  elmo_rc rc = check_fields(po, ph, kPhaseFields, COUNT(kPhaseFields), err);
  if (rc == ELMO_OK) rc = read_phase_head(po, ph, index, prev_end, p, err);
  if (rc == ELMO_OK) rc = read_workers(po, ph, p, err);
  if (rc == ELMO_OK) rc = read_key_access(po, ph, num_keys, p, err);
  if (rc == ELMO_OK) rc = get_dist(po, "value_size", ph, &p->value_size, &present, err);
  if (rc == ELMO_OK) rc = read_op_extras(po, ph, p, err);
  if (rc == ELMO_OK) rc = spec_check_phase(p, index, num_keys, err);
  return rc;
}

/* ---- reading: the spec --------------------------------------------------------------------- */

/* Stable insertion sort by start_sec; orig follows the phases. */
static void sort_phases(elmo_spec *s, size_t *orig) {
  for (size_t i = 1; i < s->n_phases; i++) {
    for (size_t j = i; j > 0 && s->phases[j].start_sec < s->phases[j - 1].start_sec; j--) {
      elmo_spec_phase t = s->phases[j];
      s->phases[j] = s->phases[j - 1], s->phases[j - 1] = t;
      size_t o = orig[j];
      orig[j] = orig[j - 1], orig[j - 1] = o;
    }
  }
}

static elmo_rc read_phases(const cJSON *root, elmo_spec *s, size_t *orig, elmo_error *err) {
  const cJSON *arr = member(root, "phases");
  if (arr == NULL || !cJSON_IsArray(arr)) {
    return spec_fail(err, ELMO_EINVAL, "phases", "%s%s (an array of 1..%d phase objects)",
                     arr ? "must be an array, got " : "missing", arr ? type_name(arr) : "",
                     ELMO_SPEC_MAX_PHASES);
  }
  int n = cJSON_GetArraySize(arr);
  if (n < 1 || n > ELMO_SPEC_MAX_PHASES) {
    return spec_fail(err, ELMO_ERANGE, "phases", "%d phases, must be 1..%d", n,
                     ELMO_SPEC_MAX_PHASES);
  }
  s->phases = calloc((size_t)n, sizeof(*s->phases));
  if (s->phases == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory reading phases");
  double prev_end = 0;
  size_t i = 0;
  for (const cJSON *po = arr->child; po != NULL; po = po->next, i++) {
    elmo_rc rc = read_phase(po, i, prev_end, s->num_keys, &s->phases[i], err);
    if (rc != ELMO_OK) return rc;
    prev_end = s->phases[i].start_sec + s->phases[i].duration_sec;
    orig[i] = i;
  }
  s->n_phases = (size_t)n;
  sort_phases(s, orig);
  return spec_check_phases(s, orig, err);
}

static elmo_rc read_top(const cJSON *root, elmo_spec *s, int *has_preload_values, elmo_error *err) {
  int present;
  elmo_rc rc = check_fields(root, "", kTopFields, COUNT(kTopFields), err);
  if (rc == ELMO_OK) rc = get_string(root, "name", "", s->name, sizeof(s->name), &present, err);
  if (rc == ELMO_OK && !present) {
    return spec_fail(err, ELMO_EINVAL, "name", "missing (1..%d printable ASCII characters)",
                     ELMO_SPEC_NAME_MAX - 1);
  }
  if (rc == ELMO_OK) {
    rc = get_string(root, "description", "", s->description, sizeof(s->description), &present, err);
  }
  double num_keys = 0;
  if (rc == ELMO_OK) {
    rc = get_whole(root, "num_keys", "", 1, (double)ELMO_SPEC_NUM_KEYS_MAX, &num_keys, &present,
                   err);
    if (rc == ELMO_OK && !present) {
      return spec_fail(err, ELMO_EINVAL, "num_keys", "missing (key space size, 1..2^40)");
    }
  }
  s->num_keys = (uint64_t)num_keys;
  s->key_size.kind = ELMO_DIST_FIXED;
  s->key_size.params[0] = 16;
  if (rc == ELMO_OK) rc = get_dist(root, "key_size", "", &s->key_size, &present, err);
  const cJSON *preload = member(root, "preload");
  if (rc == ELMO_OK && preload != NULL && !cJSON_IsBool(preload)) {
    return spec_fail(err, ELMO_EINVAL, "preload", "must be true or false, got %s",
                     type_name(preload));
  }
  s->preload = preload == NULL || cJSON_IsTrue(preload);
  s->preload_value_size.kind = ELMO_DIST_FIXED; /* checked as fixed 0 until defaulted */
  if (rc == ELMO_OK) {
    rc = get_dist(root, "preload_value_size", "", &s->preload_value_size, has_preload_values, err);
  }
  return rc == ELMO_OK ? spec_check_top(s, err) : rc;
}

/* Parses text into a JSON object, or says where it stopped. */
static elmo_rc parse_root(const char *json, size_t len, cJSON **root, elmo_error *err) {
  const char *end = NULL;
  *root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
  size_t off = (end != NULL && end >= json && end <= json + len) ? (size_t)(end - json) : 0;
  size_t rest = off; /* only white space, then NULs, may follow the object */
  while (*root != NULL && rest < len && json[rest] != '\0' && strchr(" \t\r\n", json[rest])) rest++;
  while (*root != NULL && rest < len && json[rest] == '\0') rest++;
  if (*root != NULL && rest == len) {
    if (cJSON_IsObject(*root)) return ELMO_OK;
    elmo_rc rc = spec_fail(err, ELMO_EPARSE, "spec", "must be a JSON object {...}, got %s",
                           type_name(*root));
    cJSON_Delete(*root);
    *root = NULL;
    return rc;
  }
  size_t line = 1, col = 1;
  for (size_t i = 0; i < off; i++) {
    if (json[i] == '\n') {
      line++, col = 1;
    } else {
      col++;
    }
  }
  int trailing = *root != NULL;
  cJSON_Delete(*root);
  *root = NULL;
  return spec_fail(err, ELMO_EPARSE, "spec", "%s at line %zu, column %zu",
                   trailing ? "unexpected text after the JSON object" : "not valid JSON", line,
                   col);
}

elmo_rc elmo_spec_parse(const char *json, size_t len, elmo_spec **out, elmo_error *err) {
  if (out != NULL) *out = NULL;
  if (json == NULL || out == NULL)
    return elmo_error_set(err, ELMO_EINVAL, "spec_parse: NULL json or out");
  if (len > ELMO_SPEC_JSON_MAX) {
    return spec_fail(err, ELMO_ETOOBIG, "spec", "%zu bytes of JSON, more than the limit %u", len,
                     ELMO_SPEC_JSON_MAX);
  }
  cJSON *root = NULL;
  elmo_rc rc = parse_root(json, len, &root, err);
  if (rc != ELMO_OK) return rc;
  elmo_spec *s = calloc(1, sizeof(*s));
  size_t orig[ELMO_SPEC_MAX_PHASES];
  int has_preload_values = 0;
  rc = s ? read_top(root, s, &has_preload_values, err)
         : elmo_error_set(err, ELMO_ENOMEM, "out of memory reading a spec");
  if (rc == ELMO_OK) rc = read_phases(root, s, orig, err);
  cJSON_Delete(root);
  if (rc != ELMO_OK) {
    elmo_spec_destroy(s);
    return rc;
  }
  if (!has_preload_values) s->preload_value_size = s->phases[0].value_size;
  *out = s;
  elmo_error_clear(err);
  return ELMO_OK;
}
