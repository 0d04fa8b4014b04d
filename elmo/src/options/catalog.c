/* catalog.c — the options catalog: registry rows merged with the hand-kept overlay. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "catalog_internal.h"
#include "elmo/value.h"

struct elmo_catalog {
  elmo_option_info *items; /* sorted by section, then name */
  size_t count;
};

static const struct {
  const char *engine;
  elmo_opt_type type;
} kTypes[] = {
    {"kBoolean", ELMO_OPT_BOOL},        {"kInt", ELMO_OPT_INT},
    {"kInt32T", ELMO_OPT_INT},          {"kInt64T", ELMO_OPT_INT},
    {"kUInt", ELMO_OPT_UINT},           {"kUInt8T", ELMO_OPT_UINT},
    {"kUInt32T", ELMO_OPT_UINT},        {"kUInt64T", ELMO_OPT_UINT},
    {"kSizeT", ELMO_OPT_UINT},          {"kDouble", ELMO_OPT_DOUBLE},
    {"kString", ELMO_OPT_STRING},       {"kEncodedString", ELMO_OPT_STRING},
    {"kCompactionStyle", ELMO_OPT_ENUM}, {"kCompactionPri", ELMO_OPT_ENUM},
    {"kCompressionType", ELMO_OPT_ENUM}, {"kCompactionStopStyle", ELMO_OPT_ENUM},
    {"kChecksumType", ELMO_OPT_ENUM},   {"kEncodingType", ELMO_OPT_ENUM},
    {"kEnum", ELMO_OPT_ENUM},           {"kTemperature", ELMO_OPT_ENUM},
    {"kStruct", ELMO_OPT_STRUCT},       {"kVector", ELMO_OPT_VECTOR},
    {"kArray", ELMO_OPT_VECTOR},        {"kConfigurable", ELMO_OPT_OBJECT},
    {"kCustomizable", ELMO_OPT_OBJECT}, {"kEnv", ELMO_OPT_OBJECT},
};

static elmo_opt_type type_from_engine(const char *engine) {
  for (size_t i = 0; i < sizeof(kTypes) / sizeof(kTypes[0]); i++) {
    if (strcmp(kTypes[i].engine, engine) == 0) return kTypes[i].type;
  }
  return ELMO_OPT_OTHER;
}

static int compare_items(const void *a, const void *b) {
  const elmo_option_info *x = a, *y = b;
  if (x->section != y->section) return (int)x->section - (int)y->section;
  return strcmp(x->name, y->name);
}

static void free_items(elmo_option_info *items, size_t n) {
  for (size_t i = 0; items != NULL && i < n; i++) {
    free((char *)items[i].name);
    free((char *)items[i].engine_type);
    free((char *)items[i].default_value);
  }
  free(items);
}

static elmo_rc copy_row(const elmo_catalog_row *row, elmo_option_info *o, elmo_error *err) {
  memset(o, 0, sizeof(*o));
  o->name = strdup(row->name ? row->name : "");
  o->engine_type = strdup(row->engine_type ? row->engine_type : "kUnknown");
  o->default_value = strdup(row->default_value ? row->default_value : "");
  if (!o->name || !o->engine_type || !o->default_value) {
    return elmo_error_set(err, ELMO_ENOMEM, "out of memory building the catalog");
  }
  o->section = row->section;
  o->type = type_from_engine(o->engine_type);
  o->flags = (row->is_mutable ? ELMO_OPT_MUTABLE : 0) | (row->is_deprecated ? ELMO_OPT_DEPRECATED : 0) |
             (row->is_alias ? ELMO_OPT_ALIAS : 0);
  o->resource = elmo_overlay_guess_resource(o->name);
  return ELMO_OK;
}

static void apply_overlay(elmo_option_info *o, const elmo_overlay_entry *e) {
  o->resource = e->resource;
  o->flags |= e->flags;
  if (e->flags & ELMO_OPT_RANGE) {
    o->min = e->min;
    o->max = e->max;
  }
  if (e->enums != NULL) {
    o->enum_values = e->enums;
    o->n_enum_values = e->n_enums;
  }
  o->note = e->note;
}

/* Applies every overlay row; fails naming every row whose option the engine does not have. */
static elmo_rc merge_overlay(elmo_catalog *c, elmo_error *err) {
  char missing[ELMO_ERROR_MSG_MAX / 2] = "";
  size_t n_missing = 0;
  for (size_t i = 0; i < elmo_overlay_count; i++) {
    const elmo_overlay_entry *e = &elmo_overlay[i];
    int hits = 0;
    for (size_t j = 0; j < c->count; j++) {
      elmo_option_info *o = &c->items[j];
      if ((e->section < 0 || (int)o->section == e->section) && strcmp(o->name, e->name) == 0) {
        apply_overlay(o, e);
        hits++;
      }
    }
    if (hits == 0) {
      size_t len = strlen(missing);
      snprintf(missing + len, sizeof missing - len, "%s%s", n_missing ? ", " : "", e->name);
      n_missing++;
    }
  }
  if (n_missing == 0) return ELMO_OK;
  return elmo_error_set(err, ELMO_EINVAL,
                        "the catalog overlay names %zu option(s) the engine's option registries do "
                        "not have (overlay and engine have drifted apart): %s",
                        n_missing, missing);
}

elmo_rc elmo_catalog_create(const elmo_catalog_row *rows, size_t n, elmo_catalog **out,
                            elmo_error *err) {
  if (out != NULL) *out = NULL;
  if (out == NULL || (rows == NULL && n > 0)) {
    return elmo_error_set(err, ELMO_EINVAL, "catalog_create: NULL argument");
  }
  elmo_catalog *c = calloc(1, sizeof(*c));
  if (c == NULL || (c->items = calloc(n ? n : 1, sizeof(*c->items))) == NULL) {
    free(c);
    return elmo_error_set(err, ELMO_ENOMEM, "out of memory building the catalog");
  }
  elmo_rc rc = ELMO_OK;
  for (size_t i = 0; i < n && rc == ELMO_OK; i++) {
    rc = copy_row(&rows[i], &c->items[i], err);
    c->count = i + 1;
  }
  if (rc == ELMO_OK) rc = merge_overlay(c, err);
  if (rc != ELMO_OK) {
    elmo_catalog_destroy(c);
    return rc;
  }
  qsort(c->items, c->count, sizeof(*c->items), compare_items);
  *out = c;
  return ELMO_OK;
}

void elmo_catalog_destroy(elmo_catalog *c) {
  if (c == NULL) return;
  free_items(c->items, c->count);
  free(c);
}

size_t elmo_catalog_count(const elmo_catalog *c) { return c ? c->count : 0; }

const elmo_option_info *elmo_catalog_at(const elmo_catalog *c, size_t i) {
  return (c != NULL && i < c->count) ? &c->items[i] : NULL;
}

static const elmo_option_info *find_in(const elmo_catalog *c, elmo_section s, const char *name) {
  elmo_option_info key = {.name = name, .section = s};
  return bsearch(&key, c->items, c->count, sizeof(*c->items), compare_items);
}

const elmo_option_info *elmo_catalog_find(const elmo_catalog *c, int s, const char *name) {
  if (c == NULL || name == NULL) return NULL;
  if (s >= 0) return find_in(c, (elmo_section)s, name);
  static const elmo_section kOrder[] = {ELMO_SECTION_DB, ELMO_SECTION_CF, ELMO_SECTION_TABLE};
  for (size_t i = 0; i < 3; i++) {
    const elmo_option_info *o = find_in(c, kOrder[i], name);
    if (o != NULL) return o;
  }
  return NULL;
}

const elmo_option_info *elmo_catalog_suggest(const elmo_catalog *c, const char *name) {
  if (c == NULL || name == NULL || name[0] == '\0') return NULL;
  const elmo_option_info *best = NULL;
  size_t best_d = (size_t)-1;
  for (size_t i = 0; i < c->count; i++) {
    if (c->items[i].flags & (ELMO_OPT_DEPRECATED | ELMO_OPT_ALIAS)) continue;
    size_t d = elmo_value_edit_distance(name, c->items[i].name);
    if (d < best_d) {
      best_d = d;
      best = &c->items[i];
    }
  }
  /* Plausible typo: at most a third of the name's letters wrong (and at least 1 allowed). */
  size_t allowed = strlen(name) / 3;
  if (allowed < 1) allowed = 1;
  return best_d <= allowed ? best : NULL;
}

/* Options that earlier RocksDB versions had and 7.8.3 does not. */
static const struct {
  const char *name;
  const char *note;
} kRemoved[] = {
    {"max_mem_compaction_level", "removed in RocksDB 4.x; it has no replacement"},
    {"soft_rate_limit", "removed in RocksDB 7.0; use soft_pending_compaction_bytes_limit"},
    {"hard_rate_limit", "removed in RocksDB 7.0; use hard_pending_compaction_bytes_limit"},
    {"base_background_compactions", "removed in RocksDB 6.x; use max_background_jobs"},
    {"purge_redundant_kvs_while_flush", "removed in RocksDB 6.x"},
    {"skip_log_error_on_recovery", "removed in RocksDB 7.0"},
    {"table_cache_remove_scan_count_limit", "removed in RocksDB 4.x"},
    {"max_background_job", "not an option; did you mean max_background_jobs?"},
    {"new_table_reader_for_compaction_inputs", "removed in RocksDB 7.0 (always on)"},
    {"preserve_deletes", "removed in RocksDB 7.0"},
    {"rate_limit_delay_max_milliseconds", "removed in RocksDB 7.0"},
    {"block_cache_size", "not an option: block cache capacity is block_cache=BYTES"},
    {"filter_deletes", "removed in RocksDB 4.x"},
    {"verify_checksums_in_compaction", "removed in RocksDB 5.x (always on)"},
    {"memtable_prefix_bloom_bits", "removed in RocksDB 5.x; use memtable_prefix_bloom_size_ratio"},
};

const char *elmo_catalog_removed_note(const char *name) {
  if (name == NULL) return NULL;
  for (size_t i = 0; i < sizeof(kRemoved) / sizeof(kRemoved[0]); i++) {
    if (strcasecmp(kRemoved[i].name, name) == 0) return kRemoved[i].note;
  }
  return NULL;
}

const char *elmo_opt_type_name(elmo_opt_type t) {
  static const char *const kNames[] = {"bool",   "int",    "uint",   "double", "string",
                                       "enum",   "struct", "object", "vector", "other"};
  return (unsigned)t < sizeof(kNames) / sizeof(kNames[0]) ? kNames[t] : "other";
}

const char *elmo_resource_name(elmo_resource r) {
  static const char *const kNames[] = {"cpu", "memory", "storage", "advanced"};
  return (unsigned)r < 4 ? kNames[r] : "advanced";
}

static cJSON *option_json(const elmo_option_info *o) {
  cJSON *j = cJSON_CreateObject();
  if (j == NULL) return NULL;
  cJSON_AddStringToObject(j, "name", o->name);
  cJSON_AddStringToObject(j, "section", elmo_section_name(o->section));
  cJSON_AddStringToObject(j, "type", elmo_opt_type_name(o->type));
  cJSON_AddStringToObject(j, "engine_type", o->engine_type);
  cJSON_AddStringToObject(j, "default", o->default_value);
  cJSON_AddBoolToObject(j, "mutable", (o->flags & ELMO_OPT_MUTABLE) != 0);
  cJSON_AddStringToObject(j, "resource", elmo_resource_name(o->resource));
  cJSON_AddBoolToObject(j, "locked", (o->flags & ELMO_OPT_LOCKED) != 0);
  if (o->flags & ELMO_OPT_DEPRECATED) cJSON_AddBoolToObject(j, "deprecated", 1);
  if (o->flags & ELMO_OPT_ALIAS) cJSON_AddBoolToObject(j, "alias", 1);
  if (o->flags & ELMO_OPT_NO_DECREASE) cJSON_AddBoolToObject(j, "no_decrease", 1);
  if (o->flags & ELMO_OPT_RANGE) {
    cJSON_AddNumberToObject(j, "min", o->min);
    cJSON_AddNumberToObject(j, "max", o->max);
  }
  if (o->enum_values != NULL) {
    cJSON *arr = cJSON_AddArrayToObject(j, "values");
    for (size_t i = 0; arr != NULL && i < o->n_enum_values; i++) {
      cJSON_AddItemToArray(arr, cJSON_CreateString(o->enum_values[i]));
    }
  }
  if (o->note != NULL) cJSON_AddStringToObject(j, "note", o->note);
  return j;
}

char *elmo_catalog_to_json(const elmo_catalog *c, const elmo_option_info *const *items, size_t n) {
  cJSON *arr = cJSON_CreateArray();
  if (arr == NULL || c == NULL) {
    cJSON_Delete(arr);
    return NULL;
  }
  size_t total = items != NULL ? n : c->count;
  for (size_t i = 0; i < total; i++) {
    cJSON_AddItemToArray(arr, option_json(items != NULL ? items[i] : &c->items[i]));
  }
  char *s = cJSON_Print(arr);
  cJSON_Delete(arr);
  return s;
}

typedef struct fill_ctx {
  const elmo_catalog *cat;
  elmo_optfile *f;
  elmo_rc rc;
  elmo_error *err;
} fill_ctx;

static int fill_one(void *ctx, elmo_section s, const char *cf, const char *key, const char *value) {
  fill_ctx *fc = ctx;
  (void)value;
  if (s == ELMO_SECTION_VERSION || elmo_optfile_get(fc->f, s, cf, key) != NULL) return 0;
  const elmo_option_info *o = elmo_catalog_find(fc->cat, s, key);
  if (o == NULL || o->default_value[0] == '\0') return 0;
  fc->rc = elmo_optfile_set(fc->f, s, cf, key, o->default_value, fc->err);
  return fc->rc != ELMO_OK;
}

elmo_rc elmo_catalog_fill_defaults(const elmo_catalog *c, elmo_optfile *f, const elmo_optfile *other,
                                   elmo_error *err) {
  if (c == NULL || f == NULL || other == NULL) {
    return elmo_error_set(err, ELMO_EINVAL, "catalog_fill_defaults: NULL argument");
  }
  fill_ctx fc = {c, f, ELMO_OK, err};
  elmo_optfile_foreach(other, fill_one, &fc);
  return fc.rc;
}
