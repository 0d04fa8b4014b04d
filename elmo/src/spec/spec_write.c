/* spec_write.c — elmo_spec_to_json: the spec as indented JSON that elmo_spec_parse reads back to
 * an equal spec. cJSON prints some doubles one ulp off, so numbers are written here as raw text
 * with the fewest digits that read back exactly. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec_internal.h"
#include "elmo/number.h"

/* v as JSON text that strtod reads back to v; the decimal point is '.' whatever the locale. */
static cJSON *exact_number(double v) {
  char buf[40];
  if (!isfinite(v)) return cJSON_CreateNull();
  for (int digits = 15; digits <= 17; digits++) {
    elmo_number_snprintf(buf, sizeof(buf), "%.*g", digits, v);
    if (elmo_number_parse(buf, NULL) == v) break;
  }
  for (char *c = buf; *c; c++) {
    if (strchr("0123456789eE+-", *c) == NULL) *c = '.';
  }
  return cJSON_CreateRaw(buf);
}

/* Adds item to o under key; frees item and returns 0 on failure. */
static int add(cJSON *o, const char *key, cJSON *item) {
  if (item != NULL && cJSON_AddItemToObject(o, key, item)) return 1;
  cJSON_Delete(item);
  return 0;
}

static int add_number(cJSON *o, const char *key, double v) { return add(o, key, exact_number(v)); }

/* {"dist": kind, params...} (n is never written: the spec fills it in). */
static cJSON *dist_json(const elmo_dist *d) {
  const char *name = elmo_dist_kind_name(d->kind);
  cJSON *o = name ? cJSON_CreateObject() : NULL;
  int ok = o != NULL && add(o, "dist", cJSON_CreateString(name));
  for (size_t i = 0; ok && i < elmo_dist_param_count(d->kind); i++) {
    ok = add_number(o, elmo_dist_param_name(d->kind, i), d->params[i]);
  }
  if (ok && d->kind == ELMO_DIST_CLASSES) {
    cJSON *keys = cJSON_CreateArray(), *shares = cJSON_CreateArray();
    ok = add(o, "keys", keys) && add(o, "shares", shares);
    for (size_t g = 0; ok && g < d->n_classes && g < ELMO_DIST_CLASSES_MAX; g++) {
      ok = cJSON_AddItemToArray(keys, exact_number(d->class_keys[g])) &&
           cJSON_AddItemToArray(shares, exact_number(d->class_shares[g]));
    }
  }
  if (ok && (d->clamp & ELMO_DIST_CLAMP_MIN)) ok = add_number(o, "min", d->clamp_min);
  if (ok && (d->clamp & ELMO_DIST_CLAMP_MAX)) ok = add_number(o, "max", d->clamp_max);
  if (ok) return o;
  cJSON_Delete(o);
  return NULL;
}

static cJSON *rate_json(const elmo_spec_rate *r) {
  const char *kind = spec_rate_kind_name(r->kind);
  cJSON *o = kind ? cJSON_CreateObject() : NULL;
  int ok = o != NULL && add(o, "kind", cJSON_CreateString(kind));
  if (ok && r->kind == ELMO_RATE_FIXED) ok = add_number(o, "qps", r->qps);
  if (ok && r->kind == ELMO_RATE_SINE) {
    ok = add_number(o, "a", r->a) && add_number(o, "b", r->b) && add_number(o, "c", r->c) &&
         add_number(o, "d", r->d);
  }
  if (ok) return o;
  cJSON_Delete(o);
  return NULL;
}

/* Only the non-zero fractions (absent means 0). */
static cJSON *mix_json(const double *mix) {
  cJSON *o = cJSON_CreateObject();
  int ok = o != NULL;
  for (int op = 0; ok && op < ELMO_SPEC_OP_COUNT; op++) {
    if (mix[op] != 0) ok = add_number(o, elmo_spec_op_name((elmo_spec_op)op), mix[op]);
  }
  if (ok) return o;
  cJSON_Delete(o);
  return NULL;
}

static cJSON *group_json(const elmo_spec_group *g) {
  cJSON *o = cJSON_CreateObject();
  int ok = o != NULL && add(o, "name", cJSON_CreateString(g->name)) &&
           add_number(o, "threads", g->threads) && add(o, "mix", mix_json(g->mix)) &&
           add(o, "rate", rate_json(&g->rate));
  if (ok) return o;
  cJSON_Delete(o);
  return NULL;
}

/* A phase's threads and mix, or its groups (which imply its threads, mix and rate). */
static int add_workers(cJSON *o, const elmo_spec_phase *p) {
  if (p->n_groups == 0) {
    return add_number(o, "threads", p->threads) && add(o, "mix", mix_json(p->mix));
  }
  cJSON *groups = cJSON_CreateArray();
  int ok = add(o, "groups", groups); /* add frees groups when it fails */
  for (size_t g = 0; ok && g < p->n_groups && g < ELMO_SPEC_MAX_GROUPS; g++) {
    cJSON *item = group_json(&p->groups[g]);
    ok = item != NULL && cJSON_AddItemToArray(groups, item);
    if (!ok) cJSON_Delete(item);
  }
  return ok;
}

static cJSON *phase_json(const elmo_spec_phase *p) {
  cJSON *o = cJSON_CreateObject();
  int ok = o != NULL && add(o, "name", cJSON_CreateString(p->name)) &&
           add_number(o, "start_sec", p->start_sec) &&
           add_number(o, "duration_sec", p->duration_sec) && add_workers(o, p) &&
           add(o, "key_access", dist_json(&p->key_access));
  if (ok && p->key_access.kind == ELMO_DIST_TWO_TERM_EXP) {
    ok = add_number(o, "key_ranges", p->key_ranges);
  }
  ok = ok && add(o, "value_size", dist_json(&p->value_size));
  if (ok && p->mix[ELMO_SPEC_SEEK] > 0) ok = add(o, "scan_length", dist_json(&p->scan_length));
  if (ok && p->mix[ELMO_SPEC_MULTIGET] > 0) {
    ok = add_number(o, "multiget_size", p->multiget_size);
  }
  if (ok && p->n_groups == 0) ok = add(o, "rate", rate_json(&p->rate));
  if (ok) return o;
  cJSON_Delete(o);
  return NULL;
}

static cJSON *spec_json(const elmo_spec *s) {
  cJSON *o = cJSON_CreateObject(), *phases = cJSON_CreateArray();
  int ok = o != NULL && add(o, "name", cJSON_CreateString(s->name));
  if (ok && s->description[0] != '\0') {
    ok = add(o, "description", cJSON_CreateString(s->description));
  }
  ok = ok && add_number(o, "num_keys", (double)s->num_keys) &&
       add(o, "key_size", dist_json(&s->key_size)) &&
       add(o, "preload", cJSON_CreateBool(s->preload != 0)) &&
       add(o, "preload_value_size", dist_json(&s->preload_value_size));
  for (size_t i = 0; ok && s->phases != NULL && i < s->n_phases; i++) {
    cJSON *p = phase_json(&s->phases[i]);
    ok = p != NULL && cJSON_AddItemToArray(phases, p);
    if (!ok) cJSON_Delete(p);
  }
  if (!ok) cJSON_Delete(phases);
  if (ok && add(o, "phases", phases)) return o; /* add frees phases when it fails */
  cJSON_Delete(o);
  return NULL;
}

char *elmo_spec_to_json(const elmo_spec *s) {
  cJSON *o = s ? spec_json(s) : NULL;
  char *text = o ? cJSON_Print(o) : NULL;
  cJSON_Delete(o);
  return text;
}
