/* calibrate_fuzz.c — libFuzzer target for the whole calibrator (answer parser, name resolution,
 * value normalization, rules, memory model) and the OPTIONS file model, built from the pure C
 * core under ASan/UBSan. The catalog comes from the real engine: run.sh dumps it with
 * `elmo options --json` and passes the path in ELMO_FUZZ_CATALOG.
 *
 * Every input must calibrate to ELMO_OK or ELMO_EPARSE, never leave a rejected change in the
 * merged file, and any text that parses as an OPTIONS file must format and parse back equal. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elmo/calibrate.h"

static elmo_catalog *g_catalog;
static elmo_optfile *g_base;

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = n > 0 ? malloc((size_t)n + 1) : NULL;
  if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = NULL;
  }
  if (buf != NULL) buf[n] = '\0';
  fclose(f);
  return buf;
}

static elmo_section section_of(const char *s) {
  if (strcmp(s, "DBOptions") == 0) return ELMO_SECTION_DB;
  if (strcmp(s, "CFOptions") == 0) return ELMO_SECTION_CF;
  return ELMO_SECTION_TABLE;
}

static int load_catalog(void) {
  const char *path = getenv("ELMO_FUZZ_CATALOG");
  char *text = path ? slurp(path) : NULL;
  cJSON *arr = text ? cJSON_Parse(text) : NULL;
  free(text);
  int n = cJSON_GetArraySize(arr);
  elmo_catalog_row *rows = calloc((size_t)n + 1, sizeof(*rows));
  for (int i = 0; rows != NULL && i < n; i++) {
    cJSON *o = cJSON_GetArrayItem(arr, i);
    rows[i].name = cJSON_GetObjectItem(o, "name")->valuestring;
    rows[i].section = section_of(cJSON_GetObjectItem(o, "section")->valuestring);
    rows[i].engine_type = cJSON_GetObjectItem(o, "engine_type")->valuestring;
    rows[i].default_value = cJSON_GetObjectItem(o, "default")->valuestring;
    rows[i].is_mutable = cJSON_IsTrue(cJSON_GetObjectItem(o, "mutable"));
    rows[i].is_deprecated = cJSON_IsTrue(cJSON_GetObjectItem(o, "deprecated"));
    rows[i].is_alias = cJSON_IsTrue(cJSON_GetObjectItem(o, "alias"));
  }
  elmo_error err;
  int ok = n > 100 && elmo_catalog_create(rows, (size_t)n, &g_catalog, &err) == ELMO_OK;
  if (!ok) fprintf(stderr, "calibrate_fuzz: no usable catalog in ELMO_FUZZ_CATALOG (%s)\n", path ? path : "unset");
  free(rows);
  cJSON_Delete(arr);
  g_base = elmo_optfile_create();
  return ok && g_base != NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  if (!load_catalog()) abort();
  return 0;
}

/* 1 when some accepted change sets the same option as c (c was then superseded). */
static int set_by_accepted(const elmo_calibration *r, const elmo_change *c) {
  for (size_t i = 0; i < r->count; i++) {
    const elmo_change *a = &r->changes[i];
    if (a->verdict == ELMO_VERDICT_ACCEPTED && a->section == c->section && strcmp(a->name, c->name) == 0 &&
        (a->cf == NULL || c->cf == NULL || strcmp(a->cf, c->cf) == 0)) {
      return 1;
    }
  }
  return 0;
}

static void check_calibration(const elmo_calibration *r) {
  for (size_t i = 0; i < r->count; i++) {
    const elmo_change *c = &r->changes[i];
    if (c->verdict == ELMO_VERDICT_REJECTED && c->reason == NULL) abort();
    if (c->verdict == ELMO_VERDICT_REJECTED && c->name != NULL && !set_by_accepted(r, c)) {
      const char *now = elmo_optfile_get(r->merged, c->section, c->cf, c->name);
      const char *before = elmo_optfile_get(g_base, c->section, c->cf, c->name);
      if ((now == NULL) != (before == NULL) || (now && strcmp(now, before) != 0)) abort();
    }
  }
  if (r->memory_budget && !r->over_budget && r->memory.total > r->memory_budget) abort();
  char *json = elmo_calibration_to_json(r), *text = elmo_calibration_describe(r);
  free(json);
  free(text);
}

static void check_optfile_roundtrip(const uint8_t *data, size_t size) {
  elmo_optfile *f = NULL, *g = NULL;
  if (elmo_optfile_parse((const char *)data, size, &f, NULL) != ELMO_OK) return;
  char *text = elmo_optfile_format(f);
  if (text == NULL || elmo_optfile_parse(text, strlen(text), &g, NULL) != ELMO_OK) abort();
  size_t n = 1;
  char *d = elmo_optfile_diff(f, g, &n);
  if (d == NULL || n != 0) abort();
  elmo_memory_breakdown m;
  elmo_memory_estimate(f, NULL, &m, NULL);
  free(d);
  free(text);
  elmo_optfile_destroy(f);
  elmo_optfile_destroy(g);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const kLocks[] = {"compression", "use_direct_reads"};
  elmo_calibrate_policy p = {.locks = kLocks, .n_locks = 2, .memory_budget = 256u << 20};
  elmo_calibration *r = NULL;
  elmo_error err;
  elmo_rc rc = elmo_calibrate_answer(g_catalog, g_base, (const char *)data, size, &p, &r, &err);
  if (rc == ELMO_OK) {
    check_calibration(r);
  } else if (rc != ELMO_EPARSE || r != NULL) {
    abort();
  }
  elmo_calibration_destroy(r);
  check_optfile_roundtrip(data, size);
  return 0;
}
