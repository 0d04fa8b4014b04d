/* fit_json.c — models and fits as JSON: {"dist":"zipfian","theta":0.99,"n":1000} (see fit.h). */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fit_internal.h"

static cJSON *dist_object(const elmo_dist *d) {
  const char *name = d ? elmo_dist_kind_name(d->kind) : NULL;
  if (name == NULL) return NULL;
  cJSON *o = cJSON_CreateObject();
  if (o == NULL || cJSON_AddStringToObject(o, "dist", name) == NULL) goto fail;
  for (size_t i = 0; i < elmo_dist_param_count(d->kind); i++) {
    if (cJSON_AddNumberToObject(o, elmo_dist_param_name(d->kind, i), d->params[i]) == NULL) {
      goto fail;
    }
  }
  if (d->kind == ELMO_DIST_CLASSES) {
    cJSON *keys = cJSON_AddArrayToObject(o, "keys"), *shares = cJSON_AddArrayToObject(o, "shares");
    if (keys == NULL || shares == NULL) goto fail;
    for (size_t g = 0; g < d->n_classes && g < ELMO_DIST_CLASSES_MAX; g++) {
      if (!cJSON_AddItemToArray(keys, cJSON_CreateNumber(d->class_keys[g])) ||
          !cJSON_AddItemToArray(shares, cJSON_CreateNumber(d->class_shares[g]))) {
        goto fail;
      }
    }
  }
  if ((d->clamp & ELMO_DIST_CLAMP_MIN) && cJSON_AddNumberToObject(o, "min", d->clamp_min) == NULL)
    goto fail;
  if ((d->clamp & ELMO_DIST_CLAMP_MAX) && cJSON_AddNumberToObject(o, "max", d->clamp_max) == NULL)
    goto fail;
  if (elmo_dist_is_rank(d->kind) && d->n > 0 &&
      cJSON_AddNumberToObject(o, "n", (double)d->n) == NULL) {
    goto fail;
  }
  return o;
fail:
  cJSON_Delete(o);
  return NULL;
}

/* Prints and frees o. */
static char *print_and_free(cJSON *o) {
  char *s = o ? cJSON_PrintUnformatted(o) : NULL;
  cJSON_Delete(o);
  return s;
}

char *elmo_dist_to_json(const elmo_dist *d) { return print_and_free(dist_object(d)); }

char *elmo_fit_to_json(const elmo_fit *f) {
  if (f == NULL) return NULL;
  cJSON *o = cJSON_CreateObject(), *d = dist_object(&f->dist);
  if (o == NULL || d == NULL) {
    cJSON_Delete(o);
    cJSON_Delete(d);
    return NULL;
  }
  cJSON_AddItemToObject(o, "dist", d);
  const struct {
    const char *name;
    double v;
  } fields[] = {{"r2", f->gof.r2},           {"ks_d", f->gof.ks_d}, {"ks_p", f->gof.ks_p},
                {"log_lik", f->gof.log_lik}, {"aic", f->gof.aic},   {"bic", f->gof.bic},
                {"n", (double)f->gof.n}};
  for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
    cJSON *num = isfinite(fields[i].v) ? cJSON_CreateNumber(fields[i].v) : cJSON_CreateNull();
    if (num == NULL || !cJSON_AddItemToObject(o, fields[i].name, num)) {
      cJSON_Delete(num);
      cJSON_Delete(o);
      return NULL;
    }
  }
  return print_and_free(o);
}

/* ---- reading ------------------------------------------------------------------------------- */

static int param_index(elmo_dist_kind kind, const char *field) {
  for (size_t i = 0; i < elmo_dist_param_count(kind); i++) {
    if (strcmp(elmo_dist_param_name(kind, i), field) == 0) return (int)i;
  }
  return -1;
}

/* mixgraph calls its generalized Pareto "pareto": read "pareto" with theta/sigma/k as gpareto. */
static elmo_dist_kind resolve_pareto(const cJSON *obj, elmo_dist_kind kind) {
  if (kind != ELMO_DIST_PARETO) return kind;
  const char *gp[] = {"theta", "sigma", "k"};
  for (size_t i = 0; i < 3; i++) {
    if (cJSON_GetObjectItemCaseSensitive(obj, gp[i]) != NULL) return ELMO_DIST_GPARETO;
  }
  return kind;
}

static elmo_rc allowed_fields(elmo_dist_kind kind, const char *field, elmo_error *err) {
  char list[160] = "";
  size_t used = 0;
  for (size_t i = 0; i < elmo_dist_param_count(kind) && used < sizeof(list); i++) {
    used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "",
                             elmo_dist_param_name(kind, i));
  }
  if (kind == ELMO_DIST_CLASSES && used < sizeof(list)) {
    used += (size_t)snprintf(list + used, sizeof(list) - used, "keys, shares");
  }
  if (elmo_dist_can_clamp(kind) && used < sizeof(list)) {
    used += (size_t)snprintf(list + used, sizeof(list) - used, ", min, max");
  }
  if (elmo_dist_is_rank(kind) && used < sizeof(list)) {
    snprintf(list + used, sizeof(list) - used, ", n");
  }
  return elmo_error_set(err, ELMO_EINVAL, "%s: unknown field '%.60s' (allowed: dist, %s)",
                        elmo_dist_kind_name(kind), field, list);
}

static elmo_rc read_n(const cJSON *item, elmo_dist *d, elmo_error *err) {
  double v = item->valuedouble;
  if (!cJSON_IsNumber(item) || !(v >= 0) || v > 9007199254740992.0 || v != floor(v)) {
    return elmo_error_set(err, ELMO_EINVAL,
                          "%s: field 'n' must be a whole number in 0..2^53 (number of ranks)",
                          elmo_dist_kind_name(d->kind));
  }
  d->n = (uint64_t)v;
  return ELMO_OK;
}

/* A clamp field ("min" / "max") of a size kind. */
static elmo_rc read_clamp(const cJSON *item, const char *f, elmo_dist *d, elmo_error *err) {
  unsigned bit = strcmp(f, "min") == 0 ? ELMO_DIST_CLAMP_MIN : ELMO_DIST_CLAMP_MAX;
  if (!cJSON_IsNumber(item)) {
    return elmo_error_set(err, ELMO_EINVAL, "%s: field '%s' (clamp) must be a number",
                          elmo_dist_kind_name(d->kind), f);
  }
  if (d->clamp & bit) {
    return elmo_error_set(err, ELMO_EINVAL, "%s: field '%s' appears twice",
                          elmo_dist_kind_name(d->kind), f);
  }
  d->clamp |= bit;
  *(bit == ELMO_DIST_CLAMP_MIN ? &d->clamp_min : &d->clamp_max) = item->valuedouble;
  return ELMO_OK;
}

/* "keys" or "shares" of a classes dist: an array of 1..ELMO_DIST_CLASSES_MAX numbers. */
static elmo_rc read_class_array(const cJSON *item, const char *f, elmo_dist *d, elmo_error *err) {
  double *out = strcmp(f, "keys") == 0 ? d->class_keys : d->class_shares;
  int n = cJSON_IsArray(item) ? cJSON_GetArraySize(item) : -1;
  if (n < 1 || n > ELMO_DIST_CLASSES_MAX) {
    return elmo_error_set(err, ELMO_EINVAL,
                          "classes: field '%s' must be an array of 1..%d numbers (fractions)", f,
                          ELMO_DIST_CLASSES_MAX);
  }
  if (d->n_classes != 0 && d->n_classes != (size_t)n) {
    return elmo_error_set(err, ELMO_EINVAL,
                          "classes: 'keys' and 'shares' must have the same length (%zu and %d)",
                          d->n_classes, n);
  }
  int i = 0;
  for (const cJSON *v = item->child; v != NULL; v = v->next, i++) {
    if (!cJSON_IsNumber(v)) {
      return elmo_error_set(err, ELMO_EINVAL, "classes: %s[%d] must be a number", f, i);
    }
    out[i] = v->valuedouble;
  }
  d->n_classes = (size_t)n;
  return ELMO_OK;
}

/* Reads every field but "dist"; seen gets a bit per parameter present (classes: bit 0 keys,
 * bit 1 shares). */
static elmo_rc read_fields(const cJSON *obj, elmo_dist *d, unsigned *seen, elmo_error *err) {
  const char *name = elmo_dist_kind_name(d->kind);
  for (const cJSON *it = obj->child; it != NULL; it = it->next) {
    const char *f = it->string ? it->string : "";
    if (strcmp(f, "dist") == 0) continue;
    if (elmo_dist_can_clamp(d->kind) && (strcmp(f, "min") == 0 || strcmp(f, "max") == 0)) {
      elmo_rc rc = read_clamp(it, f, d, err);
      if (rc != ELMO_OK) return rc;
      continue;
    }
    if (d->kind == ELMO_DIST_CLASSES && (strcmp(f, "keys") == 0 || strcmp(f, "shares") == 0)) {
      elmo_rc rc = read_class_array(it, f, d, err);
      if (rc != ELMO_OK) return rc;
      *seen |= strcmp(f, "keys") == 0 ? 1u : 2u;
      continue;
    }
    if (strcmp(f, "n") == 0 && elmo_dist_is_rank(d->kind)) {
      elmo_rc rc = read_n(it, d, err);
      if (rc != ELMO_OK) return rc;
      continue;
    }
    int i = param_index(d->kind, f);
    if (i < 0) return allowed_fields(d->kind, f, err);
    if (!cJSON_IsNumber(it)) {
      return elmo_error_set(err, ELMO_EINVAL, "%s: field '%s' must be a number", name, f);
    }
    d->params[i] = it->valuedouble;
    *seen |= 1u << i;
  }
  return ELMO_OK;
}

static elmo_rc from_object(const cJSON *obj, elmo_dist *out, elmo_error *err) {
  if (!cJSON_IsObject(obj)) {
    return elmo_error_set(err, ELMO_EPARSE,
                          "dist: expected a JSON object like {\"dist\":\"normal\"}");
  }
  const cJSON *name = cJSON_GetObjectItemCaseSensitive(obj, "dist");
  if (!cJSON_IsString(name)) {
    return elmo_error_set(err, ELMO_EINVAL, "dist: field 'dist' (the model name) must be a string");
  }
  elmo_dist d;
  memset(&d, 0, sizeof(d));
  elmo_rc rc = elmo_dist_kind_from_name(name->valuestring, &d.kind, err);
  if (rc != ELMO_OK) return rc;
  d.kind = resolve_pareto(obj, d.kind);
  unsigned seen = 0;
  rc = read_fields(obj, &d, &seen, err);
  if (rc != ELMO_OK) return rc;
  if (d.kind == ELMO_DIST_CLASSES && seen != 3u) {
    return elmo_error_set(err, ELMO_EINVAL, "classes: missing field '%s'",
                          (seen & 1u) ? "shares" : "keys");
  }
  for (size_t i = 0; i < elmo_dist_param_count(d.kind); i++) {
    if (!(seen & (1u << i))) {
      return elmo_error_set(err, ELMO_EINVAL, "%s: missing field '%s'", elmo_dist_kind_name(d.kind),
                            elmo_dist_param_name(d.kind, i));
    }
  }
  rc = elmo_dist_validate(&d, 0, err);
  if (rc == ELMO_OK) *out = d;
  return rc;
}

elmo_rc elmo_dist_from_cjson(const struct cJSON *obj, elmo_dist *out, elmo_error *err) {
  if (out == NULL) return elmo_error_set(err, ELMO_EINVAL, "dist_from_json: out is NULL");
  memset(out, 0, sizeof(*out));
  return from_object(obj, out, err);
}

elmo_rc elmo_dist_from_json(const char *json, elmo_dist *out, elmo_error *err) {
  if (out == NULL) return elmo_error_set(err, ELMO_EINVAL, "dist_from_json: out is NULL");
  memset(out, 0, sizeof(*out));
  if (json == NULL) return elmo_error_set(err, ELMO_EINVAL, "dist_from_json: json is NULL");
  cJSON *obj = cJSON_Parse(json);
  if (obj == NULL) return elmo_error_set(err, ELMO_EPARSE, "dist: not valid JSON: '%.60s'", json);
  elmo_rc rc = from_object(obj, out, err);
  cJSON_Delete(obj);
  return rc;
}
