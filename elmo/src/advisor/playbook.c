/* playbook.c — the playbook: workload signatures and the runtime-mutable options offline tuning
 * found for them; parsing, checking, writing, merging and the nearest entry. See playbook.h. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "base/strbuf.h"
#include "elmo/number.h"
#include "elmo/optfile.h"
#include "elmo/playbook.h"

#define SAME_MIX 0.02   /* entries this close in mix ... */
#define SAME_VALUE 0.10 /* ... and value size are the same workload (elmo_playbook_add) */

static const elmo_section kSections[] = {ELMO_SECTION_DB, ELMO_SECTION_CF, ELMO_SECTION_TABLE};

static double mix_distance(double r1, double w1, double s1, double r2, double w2, double s2) {
  return (fabs(r1 - r2) + fabs(w1 - w2) + fabs(s1 - s2)) / 2;
}

/* 1 when every member of o is one of the names in allowed ("a, b, c"); else the error names it. */
static int only_fields(const cJSON *o, const char *const *allowed, size_t n, const char *where, elmo_error *err) {
  const cJSON *f;
  cJSON_ArrayForEach(f, o) {
    size_t i = 0;
    while (i < n && strcmp(f->string, allowed[i]) != 0) i++;
    if (i < n) continue;
    char list[256] = "";
    for (size_t k = 0; k < n; k++) {
      snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", k ? ", " : "", allowed[k]);
    }
    elmo_error_set(err, ELMO_EPARSE, "%s.%s: unknown field (allowed: %s)", where, f->string, list);
    return 0;
  }
  return 1;
}

static elmo_rc parse_share(const cJSON *sig, const char *name, double *out, const char *where, elmo_error *err) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(sig, name);
  if (v == NULL) { *out = 0; return ELMO_OK; }
  if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0 && v->valuedouble <= 1)) {
    return elmo_error_set(err, ELMO_EPARSE, "%s.signature.%s: a share of the operations in [0, 1]", where, name);
  }
  *out = v->valuedouble;
  return ELMO_OK;
}

static elmo_rc parse_signature(const cJSON *sig, elmo_playbook_entry *e, const char *where, elmo_error *err) {
  static const char *const kFields[] = {"read", "write", "scan", "value_bytes"};
  if (!cJSON_IsObject(sig)) return elmo_error_set(err, ELMO_EPARSE, "%s.signature: an object is required", where);
  if (!only_fields(sig, kFields, 4, where, err)) return ELMO_EPARSE;
  elmo_rc rc = parse_share(sig, "read", &e->read, where, err);
  if (rc == ELMO_OK) rc = parse_share(sig, "write", &e->write, where, err);
  if (rc == ELMO_OK) rc = parse_share(sig, "scan", &e->scan, where, err);
  if (rc != ELMO_OK) return rc;
  double sum = e->read + e->write + e->scan;
  if (fabs(sum - 1) > 0.01) {
    return elmo_error_set(err, ELMO_EPARSE, "%s.signature: read + write + scan is %g, not 1", where, sum);
  }
  const cJSON *vb = cJSON_GetObjectItemCaseSensitive(sig, "value_bytes");
  if (!cJSON_IsNumber(vb) || !(vb->valuedouble > 0 && vb->valuedouble < 1e9)) {
    return elmo_error_set(err, ELMO_EPARSE, "%s.signature.value_bytes: a size in bytes above 0 is required", where);
  }
  e->value_bytes = vb->valuedouble;
  return ELMO_OK;
}

static elmo_rc parse_options(const cJSON *opts, elmo_playbook_entry *e, const char *where, elmo_error *err) {
  if (!cJSON_IsObject(opts)) return elmo_error_set(err, ELMO_EPARSE, "%s.options: an object is required", where);
  static const char *const kNames[] = {"DBOptions", "CFOptions", "TableOptions/BlockBasedTable"};
  if (!only_fields(opts, kNames, 3, where, err)) return ELMO_EPARSE;
  for (size_t s = 0; s < 3; s++) {
    const cJSON *sec = cJSON_GetObjectItemCaseSensitive(opts, kNames[s]), *o;
    if (sec == NULL) continue;
    if (!cJSON_IsObject(sec)) return elmo_error_set(err, ELMO_EPARSE, "%s.options.%s: an object is required", where, kNames[s]);
    cJSON_ArrayForEach(o, sec) {
      if (e->n_options == ELMO_PLAYBOOK_MAX_OPTIONS) {
        return elmo_error_set(err, ELMO_ETOOBIG, "%s.options: more than %d options", where, ELMO_PLAYBOOK_MAX_OPTIONS);
      }
      elmo_playbook_option *p = &e->options[e->n_options];
      char num[64];
      const char *value = cJSON_IsString(o) ? o->valuestring : NULL;
      if (cJSON_IsNumber(o)) {
        elmo_number_snprintf(num, sizeof num, "%.17g", o->valuedouble);
        value = num;
      } else if (cJSON_IsBool(o)) {
        value = cJSON_IsTrue(o) ? "true" : "false";
      }
      if (value == NULL) {
        return elmo_error_set(err, ELMO_EPARSE, "%s.options.%s.%s: a string value is required", where, kNames[s], o->string);
      }
      if (strlen(o->string) >= sizeof p->name || strlen(value) >= sizeof p->value) {
        return elmo_error_set(err, ELMO_ETOOBIG, "%s.options.%s.%.60s: name or value too long", where, kNames[s], o->string);
      }
      p->section = kSections[s];
      snprintf(p->name, sizeof p->name, "%s", o->string);
      snprintf(p->value, sizeof p->value, "%s", value);
      e->n_options++;
    }
  }
  return ELMO_OK;
}

static elmo_rc parse_entry(const cJSON *j, elmo_playbook_entry *e, size_t i, elmo_error *err) {
  static const char *const kFields[] = {"name", "signature", "options", "gain", "source"};
  char where[64];
  snprintf(where, sizeof where, "entries[%zu]", i);
  if (!cJSON_IsObject(j)) return elmo_error_set(err, ELMO_EPARSE, "%s: an object is required", where);
  if (!only_fields(j, kFields, 5, where, err)) return ELMO_EPARSE;
  const cJSON *name = cJSON_GetObjectItemCaseSensitive(j, "name");
  if (!cJSON_IsString(name) || name->valuestring[0] == '\0' || strlen(name->valuestring) >= sizeof e->name) {
    return elmo_error_set(err, ELMO_EPARSE, "%s.name: a name of 1 to %zu bytes is required", where, sizeof e->name - 1);
  }
  snprintf(e->name, sizeof e->name, "%s", name->valuestring);
  snprintf(where, sizeof where, "entries[%zu] (%.30s)", i, e->name);
  elmo_rc rc = parse_signature(cJSON_GetObjectItemCaseSensitive(j, "signature"), e, where, err);
  if (rc == ELMO_OK) rc = parse_options(cJSON_GetObjectItemCaseSensitive(j, "options"), e, where, err);
  if (rc != ELMO_OK) return rc;
  const cJSON *gain = cJSON_GetObjectItemCaseSensitive(j, "gain"), *src = cJSON_GetObjectItemCaseSensitive(j, "source");
  if (gain != NULL && (!cJSON_IsNumber(gain) || !isfinite(gain->valuedouble))) {
    return elmo_error_set(err, ELMO_EPARSE, "%s.gain: a number is required", where);
  }
  if (src != NULL && !cJSON_IsString(src)) return elmo_error_set(err, ELMO_EPARSE, "%s.source: a string is required", where);
  e->gain = gain != NULL ? gain->valuedouble : 0;
  if (src != NULL) snprintf(e->source, sizeof e->source, "%s", src->valuestring);
  return ELMO_OK;
}

elmo_rc elmo_playbook_parse(const char *json, size_t len, elmo_playbook *out, elmo_error *err) {
  if (out != NULL) memset(out, 0, sizeof *out);
  if (json == NULL || out == NULL) return elmo_error_set(err, ELMO_EINVAL, "playbook: NULL argument");
  cJSON *j = cJSON_ParseWithLength(json, len);
  if (j == NULL) return elmo_error_set(err, ELMO_EPARSE, "not JSON (near byte %td)", cJSON_GetErrorPtr() ? cJSON_GetErrorPtr() - json : 0);
  static const char *const kFields[] = {"elmo_playbook", "rocksdb_version", "entries"};
  elmo_rc rc = ELMO_OK;
  const cJSON *ver = cJSON_GetObjectItemCaseSensitive(j, "elmo_playbook");
  const cJSON *rocks = cJSON_GetObjectItemCaseSensitive(j, "rocksdb_version");
  const cJSON *entries = cJSON_GetObjectItemCaseSensitive(j, "entries"), *e;
  if (!cJSON_IsObject(j)) {
    rc = elmo_error_set(err, ELMO_EPARSE, "a JSON object is required");
  } else if (!only_fields(j, kFields, 3, "playbook", err)) {
    rc = ELMO_EPARSE;
  } else if (!cJSON_IsNumber(ver) || ver->valuedouble != ELMO_PLAYBOOK_VERSION) {
    rc = elmo_error_set(err, ELMO_EPARSE, "elmo_playbook: version %d is required (is this a playbook?)", ELMO_PLAYBOOK_VERSION);
  } else if (!cJSON_IsString(rocks) || strcmp(rocks->valuestring, "7.8.3") != 0) {
    rc = elmo_error_set(err, ELMO_EPARSE, "rocksdb_version: %s, but this library is RocksDB 7.8.3: its options may "
                        "not mean the same", cJSON_IsString(rocks) ? rocks->valuestring : "missing");
  } else if (!cJSON_IsArray(entries)) {
    rc = elmo_error_set(err, ELMO_EPARSE, "entries: an array is required");
  } else {
    cJSON_ArrayForEach(e, entries) {
      if (out->n == ELMO_PLAYBOOK_MAX_ENTRIES) {
        rc = elmo_error_set(err, ELMO_ETOOBIG, "entries: more than %d", ELMO_PLAYBOOK_MAX_ENTRIES);
        break;
      }
      rc = parse_entry(e, &out->entries[out->n], out->n, err);
      if (rc != ELMO_OK) break;
      out->n++;
    }
  }
  cJSON_Delete(j);
  if (rc != ELMO_OK) memset(out, 0, sizeof *out);
  return rc;
}

elmo_rc elmo_playbook_load(const char *path, elmo_playbook *out, elmo_error *err) {
  if (out != NULL) memset(out, 0, sizeof *out);
  if (path == NULL || out == NULL) return elmo_error_set(err, ELMO_EINVAL, "playbook: NULL argument");
  FILE *f = fopen(path, "rb");
  if (f == NULL) return elmo_error_set(err, ELMO_EIO, "%s: cannot open: %s", path, strerror(errno));
  char *buf = malloc(ELMO_PLAYBOOK_MAX_BYTES + 1);
  size_t n = buf != NULL ? fread(buf, 1, ELMO_PLAYBOOK_MAX_BYTES + 1, f) : 0;
  int failed = ferror(f);
  fclose(f);
  if (buf == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  elmo_rc rc;
  if (failed) {
    rc = elmo_error_set(err, ELMO_EIO, "%s: cannot read", path);
  } else if (n > ELMO_PLAYBOOK_MAX_BYTES) {
    rc = elmo_error_set(err, ELMO_ETOOBIG, "%s: larger than %u bytes", path, ELMO_PLAYBOOK_MAX_BYTES);
  } else {
    elmo_error e;
    rc = elmo_playbook_parse(buf, n, out, &e);
    if (rc != ELMO_OK) elmo_error_set(err, rc, "%s: %s", path, e.message);
  }
  free(buf);
  return rc;
}

elmo_rc elmo_playbook_check(const elmo_playbook *pb, const elmo_catalog *cat, elmo_error *err) {
  if (pb == NULL || cat == NULL) return elmo_error_set(err, ELMO_EINVAL, "playbook: NULL argument");
  for (size_t i = 0; i < pb->n; i++) {
    const elmo_playbook_entry *e = &pb->entries[i];
    for (size_t k = 0; k < e->n_options; k++) {
      const elmo_playbook_option *o = &e->options[k];
      const elmo_option_info *info = elmo_catalog_find(cat, (int)o->section, o->name);
      if (info == NULL) {
        return elmo_error_set(err, ELMO_EINVAL, "entry %s: %s is not an option of [%s]", e->name, o->name,
                              elmo_section_name(o->section));
      }
      if (!(info->flags & ELMO_OPT_MUTABLE) || (info->flags & ELMO_OPT_LOCKED)) {
        return elmo_error_set(err, ELMO_EINVAL, "entry %s: %s is not runtime-mutable (SetOptions cannot change it)",
                              e->name, o->name);
      }
    }
  }
  return ELMO_OK;
}

char *elmo_playbook_json(const elmo_playbook *pb) {
  if (pb == NULL) return NULL;
  cJSON *j = cJSON_CreateObject(), *entries = cJSON_CreateArray();
  cJSON_AddNumberToObject(j, "elmo_playbook", ELMO_PLAYBOOK_VERSION);
  cJSON_AddStringToObject(j, "rocksdb_version", "7.8.3");
  cJSON_AddItemToObject(j, "entries", entries);
  for (size_t i = 0; i < pb->n; i++) {
    const elmo_playbook_entry *e = &pb->entries[i];
    cJSON *o = cJSON_CreateObject(), *sig = cJSON_CreateObject(), *opts = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", e->name);
    cJSON_AddNumberToObject(sig, "read", e->read);
    cJSON_AddNumberToObject(sig, "write", e->write);
    cJSON_AddNumberToObject(sig, "scan", e->scan);
    cJSON_AddNumberToObject(sig, "value_bytes", e->value_bytes);
    cJSON_AddItemToObject(o, "signature", sig);
    for (size_t s = 0; s < 3; s++) {
      cJSON *sec = NULL;
      for (size_t k = 0; k < e->n_options; k++) {
        if (e->options[k].section != kSections[s]) continue;
        if (sec == NULL) cJSON_AddItemToObject(opts, elmo_section_name(kSections[s]), sec = cJSON_CreateObject());
        cJSON_AddStringToObject(sec, e->options[k].name, e->options[k].value);
      }
    }
    cJSON_AddItemToObject(o, "options", opts);
    if (e->gain != 0) cJSON_AddNumberToObject(o, "gain", e->gain);
    if (e->source[0] != '\0') cJSON_AddStringToObject(o, "source", e->source);
    cJSON_AddItemToArray(entries, o);
  }
  char *text = cJSON_Print(j);
  cJSON_Delete(j);
  return text;
}

elmo_rc elmo_playbook_save(const elmo_playbook *pb, const char *path, elmo_error *err) {
  if (pb == NULL || path == NULL) return elmo_error_set(err, ELMO_EINVAL, "playbook: NULL argument");
  char *text = elmo_playbook_json(pb);
  if (text == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  elmo_rc rc = elmo_file_save_atomic(path, text, err);
  cJSON_free(text);
  return rc;
}

static int same_workload(const elmo_playbook_entry *a, const elmo_playbook_entry *b) {
  if (strcmp(a->name, b->name) == 0) return 1;
  double ratio = a->value_bytes > b->value_bytes ? a->value_bytes / b->value_bytes : b->value_bytes / a->value_bytes;
  return mix_distance(a->read, a->write, a->scan, b->read, b->write, b->scan) <= SAME_MIX && ratio <= 1 + SAME_VALUE;
}

elmo_rc elmo_playbook_add(elmo_playbook *pb, const elmo_playbook_entry *e, elmo_error *err) {
  if (pb == NULL || e == NULL) return elmo_error_set(err, ELMO_EINVAL, "playbook: NULL argument");
  for (size_t i = 0; i < pb->n; i++) {
    if (same_workload(&pb->entries[i], e)) {
      pb->entries[i] = *e;
      return ELMO_OK;
    }
  }
  if (pb->n == ELMO_PLAYBOOK_MAX_ENTRIES) {
    return elmo_error_set(err, ELMO_ETOOBIG, "the playbook already has %d entries", ELMO_PLAYBOOK_MAX_ENTRIES);
  }
  pb->entries[pb->n++] = *e;
  return ELMO_OK;
}

const elmo_playbook_entry *elmo_playbook_nearest(const elmo_playbook *pb, double read, double write, double scan,
                                                 double value_bytes, double max_mix, double max_value_change,
                                                 double *distance) {
  const elmo_playbook_entry *best = NULL;
  double best_d = INFINITY;
  for (size_t i = 0; pb != NULL && i < pb->n; i++) {
    const elmo_playbook_entry *e = &pb->entries[i];
    if (value_bytes > 0) {
      double ratio = e->value_bytes > value_bytes ? e->value_bytes / value_bytes : value_bytes / e->value_bytes;
      if (ratio > 1 + max_value_change) continue;
    }
    double d = mix_distance(e->read, e->write, e->scan, read, write, scan);
    if (d <= max_mix && d < best_d) best = e, best_d = d;
  }
  if (distance != NULL) *distance = best != NULL ? best_d : 0;
  return best;
}

char *elmo_playbook_entry_answer(const elmo_playbook_entry *e) {
  if (e == NULL) return NULL;
  elmo_strbuf b = ELMO_STRBUF_INIT;
  char line[512], gain[64] = "";
  if (e->gain != 0) elmo_number_snprintf(gain, sizeof gain, ", %+.1f%% confirmed", e->gain * 100);
  elmo_number_snprintf(line, sizeof line, "The playbook's entry %s (tuned offline%s) for reads %.0f%%, writes "
                       "%.0f%%, scans %.0f%%.\n\n```ini\n", e->name, gain, e->read * 100, e->write * 100, e->scan * 100);
  elmo_strbuf_append(&b, line);
  static const char *const kHeaders[] = {"[DBOptions]", "[CFOptions \"default\"]",
                                         "[TableOptions/BlockBasedTable \"default\"]"};
  for (size_t s = 0; s < 3; s++) {
    int any = 0;
    for (size_t k = 0; k < e->n_options; k++) {
      if (e->options[k].section != kSections[s]) continue;
      if (!any) elmo_strbuf_appendf(&b, "%s\n", kHeaders[s]);
      any = 1;
      elmo_strbuf_appendf(&b, "%s=%s\n", e->options[k].name, e->options[k].value);
    }
  }
  elmo_strbuf_append(&b, "```\n");
  return elmo_strbuf_take(&b);
}
