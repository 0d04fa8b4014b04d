/* calibrate_resolve.c — what an answer's key and value mean in RocksDB 7.8.3 terms. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calibrate_internal.h"
#include "elmo/value.h"
#include "elmo/number.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
enum { kNameMax = 128 };

/* db_bench flags and common informal names, and the option each means. */
static const struct {
  const char *alias;
  const char *name;
  elmo_section section;
  elmo_xform xform;
} kAliases[] = {
    {"cache_size", "block_cache", ELMO_SECTION_TABLE, ELMO_XFORM_NONE},
    {"block_cache_size", "block_cache", ELMO_SECTION_TABLE, ELMO_XFORM_NONE},
    {"block_cache_capacity", "block_cache", ELMO_SECTION_TABLE, ELMO_XFORM_NONE},
    {"bloom_bits", "filter_policy", ELMO_SECTION_TABLE, ELMO_XFORM_BLOOM_BITS},
    {"bloom_bits_per_key", "filter_policy", ELMO_SECTION_TABLE, ELMO_XFORM_BLOOM_BITS},
    {"bits_per_key", "filter_policy", ELMO_SECTION_TABLE, ELMO_XFORM_BLOOM_BITS},
    {"bloom_filter_bits", "filter_policy", ELMO_SECTION_TABLE, ELMO_XFORM_BLOOM_BITS},
    {"compression_type", "compression", ELMO_SECTION_CF, ELMO_XFORM_NONE},
    {"open_files", "max_open_files", ELMO_SECTION_DB, ELMO_XFORM_NONE},
    {"subcompactions", "max_subcompactions", ELMO_SECTION_DB, ELMO_XFORM_NONE},
    {"mmap_read", "allow_mmap_reads", ELMO_SECTION_DB, ELMO_XFORM_NONE},
    {"mmap_write", "allow_mmap_writes", ELMO_SECTION_DB, ELMO_XFORM_NONE},
    {"memtable_bloom_size_ratio", "memtable_prefix_bloom_size_ratio", ELMO_SECTION_CF, ELMO_XFORM_NONE},
    {"enable_pipelined_writes", "enable_pipelined_write", ELMO_SECTION_DB, ELMO_XFORM_NONE},
    {"direct_reads", "use_direct_reads", ELMO_SECTION_DB, ELMO_XFORM_NONE},
    {"use_direct_io_for_flush_and_compactions", "use_direct_io_for_flush_and_compaction", ELMO_SECTION_DB, ELMO_XFORM_NONE},
    {"max_background_job", "max_background_jobs", ELMO_SECTION_DB, ELMO_XFORM_NONE},
};

/* Prefixes people put before option names. */
static const char *const kPrefixes[] = {
    "options.", "rocksdb.", "db_options.", "dboptions.", "db.", "cf_options.", "cfoptions.",
    "cf.", "column_family_options.", "table_options.", "tableoptions.", "table.",
    "block_based_table_factory.", "table_factory.", "blockbasedtableoptions.",
    "block_based_table_options.", "bbto.",
};

static int hint_section(elmo_section_hint hint) {
  switch (hint) {
    case ELMO_HINT_DB: return ELMO_SECTION_DB;
    case ELMO_HINT_CF: return ELMO_SECTION_CF;
    case ELMO_HINT_TABLE: return ELMO_SECTION_TABLE;
    default: return -1;
  }
}

/* Exact name, preferring the hinted section, then a section where it is not deprecated (a few
 * names are deprecated in one section and live in another, e.g. experimental_mempurge_threshold). */
static const elmo_option_info *find_hinted(const elmo_catalog *cat, const char *name, int sec) {
  const elmo_option_info *o = sec >= 0 ? elmo_catalog_find(cat, sec, name) : NULL;
  if (o != NULL && !(o->flags & ELMO_OPT_DEPRECATED)) return o;
  const elmo_option_info *fallback = o;
  for (int s = ELMO_SECTION_DB; s <= ELMO_SECTION_TABLE; s++) {
    o = elmo_catalog_find(cat, s, name);
    if (o != NULL && !(o->flags & ELMO_OPT_DEPRECATED)) return o;
    if (fallback == NULL) fallback = o;
  }
  return fallback;
}

static const elmo_option_info *find_any_case(const elmo_catalog *cat, const char *name) {
  for (size_t i = 0; i < elmo_catalog_count(cat); i++) {
    const elmo_option_info *o = elmo_catalog_at(cat, i);
    if (strcasecmp(o->name, name) == 0) return o;
  }
  return NULL;
}

/* Lowercase copy with '-' and ' ' turned into '_' and known prefixes removed. */
static void canonical_key(const char *raw, char *out, size_t size) {
  size_t n = 0;
  for (const char *p = raw; *p && n + 1 < size; p++) {
    char c = (char)tolower((unsigned char)*p);
    out[n++] = (c == '-' || c == ' ') ? '_' : c;
  }
  out[n] = '\0';
  for (int again = 1; again;) {
    again = 0;
    for (size_t i = 0; i < N(kPrefixes); i++) {
      size_t len = strlen(kPrefixes[i]);
      if (strncmp(out, kPrefixes[i], len) == 0 && out[len] != '\0') {
        memmove(out, out + len, strlen(out + len) + 1);
        again = 1;
      }
    }
  }
}

static const elmo_option_info *find_alias(const elmo_catalog *cat, const char *key,
                                          elmo_xform *xform) {
  for (size_t i = 0; i < N(kAliases); i++) {
    if (strcmp(kAliases[i].alias, key) == 0) {
      *xform = kAliases[i].xform;
      return elmo_catalog_find(cat, kAliases[i].section, kAliases[i].name);
    }
  }
  return NULL;
}

static elmo_rc unknown_name(const elmo_catalog *cat, const char *raw, const char *canon,
                            elmo_error *err) {
  const char *removed = elmo_catalog_removed_note(canon);
  if (removed != NULL) {
    return elmo_error_set(err, ELMO_ENOTFOUND, "'%s' is not a RocksDB 7.8.3 option: %s", raw, removed);
  }
  const elmo_option_info *s = elmo_catalog_suggest(cat, canon);
  if (s != NULL) {
    return elmo_error_set(err, ELMO_ENOTFOUND, "unknown option '%s' (did you mean '%s'?)", raw, s->name);
  }
  return elmo_error_set(err, ELMO_ENOTFOUND, "unknown option '%s'", raw);
}

const elmo_option_info *elmo_resolve_name(const elmo_catalog *cat, const char *raw_key,
                                          elmo_section_hint hint, elmo_xform *xform, char *note,
                                          size_t note_size, elmo_error *err) {
  *xform = ELMO_XFORM_NONE;
  if (note_size > 0) note[0] = '\0';
  int sec = hint_section(hint);
  const elmo_option_info *o = find_hinted(cat, raw_key, sec);
  if (o != NULL) return o;
  char canon[kNameMax];
  canonical_key(raw_key, canon, sizeof canon);
  o = find_hinted(cat, canon, sec);
  if (o == NULL) o = find_any_case(cat, canon);
  if (o == NULL) {
    o = find_alias(cat, canon, xform);
    if (o != NULL) snprintf(note, note_size, "'%s' read as %s", raw_key, o->name);
  } else {
    snprintf(note, note_size, "'%s' read as %s", raw_key, o->name);
  }
  if (o == NULL) unknown_name(cat, raw_key, canon, err);
  return o;
}

/* ---- values ------------------------------------------------------------------------------ */

/* The sane range, plus the engine default itself (some defaults are sentinels, e.g. ttl). */
static elmo_rc check_range(const elmo_option_info *o, double v, const char *raw, elmo_error *err) {
  if (!(o->flags & ELMO_OPT_RANGE) || (v >= o->min && v <= o->max)) return ELMO_OK;
  char *end = NULL;
  double def = elmo_number_parse(o->default_value, &end);
  if (end != o->default_value && *end == '\0' && def == v) return ELMO_OK;
  char lo[48], hi[48];
  elmo_number_snprintf(lo, sizeof lo, "%.15g", o->min);
  elmo_number_snprintf(hi, sizeof hi, "%.15g", o->max);
  return elmo_error_set(err, ELMO_ERANGE, "%s=%s is outside the allowed range [%s, %s]%s%s", o->name,
                        raw, lo, hi, o->note ? ": " : "", o->note ? o->note : "");
}

static elmo_rc norm_int(const elmo_option_info *o, const char *raw, char **out, elmo_error *err) {
  char buf[32];
  if (o->type == ELMO_OPT_UINT) {
    uint64_t u;
    elmo_rc rc = elmo_value_parse_uint(raw, &u, err);
    if (rc == ELMO_OK) rc = check_range(o, (double)u, raw, err);
    if (rc != ELMO_OK) return rc;
    snprintf(buf, sizeof buf, "%" PRIu64, u);
  } else {
    int64_t i;
    elmo_rc rc = elmo_value_parse_int(raw, &i, err);
    if (rc == ELMO_OK) rc = check_range(o, (double)i, raw, err);
    if (rc != ELMO_OK) return rc;
    snprintf(buf, sizeof buf, "%" PRId64, i);
  }
  *out = strdup(buf);
  return *out ? ELMO_OK : ELMO_ENOMEM;
}

static elmo_rc norm_double(const elmo_option_info *o, const char *raw, char **out, elmo_error *err) {
  double d;
  elmo_rc rc = elmo_value_parse_double(raw, &d, err);
  if (rc == ELMO_OK) rc = check_range(o, d, raw, err);
  if (rc != ELMO_OK) return rc;
  char buf[48];
  elmo_number_snprintf(buf, sizeof buf, "%.15g", d);
  *out = strdup(buf);
  return *out ? ELMO_OK : ELMO_ENOMEM;
}

static elmo_rc norm_enum(const elmo_option_info *o, const char *raw, char **out, elmo_error *err) {
  if (o->enum_values == NULL) {
    *out = strdup(raw);
    return *out ? ELMO_OK : ELMO_ENOMEM;
  }
  const char *match = NULL;
  elmo_rc rc = elmo_value_match_enum(raw, o->enum_values, o->n_enum_values, &match, err);
  if (rc != ELMO_OK) {
    return elmo_error_set(err, ELMO_EPARSE, "%s=%s: %s", o->name, raw, err ? err->message : "");
  }
  *out = strdup(match);
  return *out ? ELMO_OK : ELMO_ENOMEM;
}

/* "kLZ4Compression:zstd" -> "kLZ4Compression:kZSTD" for compression_per_level. */
static elmo_rc norm_compression_list(const elmo_option_info *o, const char *raw, char **out,
                                     elmo_error *err) {
  static const char *const kComp[] = {
      "kNoCompression", "kSnappyCompression", "kZlibCompression", "kBZip2Compression",
      "kLZ4Compression", "kLZ4HCCompression", "kXpressCompression", "kZSTD",
      "kZSTDNotFinalCompression", "kDisableCompressionOption"};
  size_t cap = strlen(raw) * 4 + 64, n = 0;
  char *res = calloc(1, cap);
  char *copy = strdup(raw);
  if (res == NULL || copy == NULL) {
    free(res);
    free(copy);
    return ELMO_ENOMEM;
  }
  elmo_rc rc = ELMO_OK;
  char *save = NULL;
  for (char *tok = strtok_r(copy, ":,; ", &save); tok && rc == ELMO_OK; tok = strtok_r(NULL, ":,; ", &save)) {
    const char *m = NULL;
    rc = elmo_value_match_enum(tok, kComp, N(kComp), &m, err);
    if (rc == ELMO_OK) n += (size_t)snprintf(res + n, cap - n, "%s%s", n ? ":" : "", m);
  }
  free(copy);
  if (rc != ELMO_OK || n == 0) {
    free(res);
    return elmo_error_set(err, ELMO_EPARSE, "%s=%s: not a list of compression types", o->name, raw);
  }
  *out = res;
  return ELMO_OK;
}

/* Bits per key from "10", "10.5", "bloomfilter:10:false", "ribbonfilter:10", "bloom 10". */
static elmo_rc norm_filter(const elmo_option_info *o, const char *raw, char **out, elmo_error *err) {
  const char *kind = strncasecmp(raw, "ribbon", 6) == 0 ? "ribbonfilter" : "bloomfilter";
  if (strcasecmp(raw, "nullptr") == 0 || strcasecmp(raw, "none") == 0 || strcmp(raw, "0") == 0) {
    *out = strdup("nullptr");
    return *out ? ELMO_OK : ELMO_ENOMEM;
  }
  const char *p = raw;
  while (*p && !isdigit((unsigned char)*p)) p++;
  char *end = NULL;
  double bits = *p ? elmo_number_parse(p, &end) : -1;
  if (bits < 0 || end == p) {
    return elmo_error_set(err, ELMO_EPARSE,
                          "filter_policy=%s: expected bits per key (e.g. 10) or bloomfilter:10:false", raw);
  }
  if (bits < 1 || bits > 40) {
    return elmo_error_set(err, ELMO_ERANGE, "filter_policy=%s: %.15g bits per key is outside [1, 40]",
                          raw, bits);
  }
  char buf[64];
  if (strcmp(kind, "ribbonfilter") == 0) {
    elmo_number_snprintf(buf, sizeof buf, "ribbonfilter:%g", bits);
  } else {
    elmo_number_snprintf(buf, sizeof buf, "bloomfilter:%g:false", bits);
  }
  (void)o;
  *out = strdup(buf);
  return *out ? ELMO_OK : ELMO_ENOMEM;
}

/* block_cache / row_cache / block_cache_compressed: a capacity in bytes, or a spec as is. */
static elmo_rc norm_cache(const elmo_option_info *o, const char *raw, char **out, elmo_error *err) {
  uint64_t bytes;
  if (elmo_value_parse_uint(raw, &bytes, NULL) == ELMO_OK) {
    char buf[32];
    snprintf(buf, sizeof buf, "%" PRIu64, bytes);
    *out = strdup(buf);
  } else if (strchr(raw, '=') != NULL || strcasecmp(raw, "nullptr") == 0) {
    *out = strdup(raw);
  } else {
    return elmo_error_set(err, ELMO_EPARSE, "%s=%s: expected a capacity in bytes (e.g. 512MB)", o->name, raw);
  }
  return *out ? ELMO_OK : ELMO_ENOMEM;
}

static elmo_rc norm_bool(const elmo_option_info *o, const char *raw, char **out, elmo_error *err) {
  int b;
  if (elmo_value_parse_bool(raw, &b, NULL) != ELMO_OK) {
    return elmo_error_set(err, ELMO_EPARSE, "%s=%s: expected true or false", o->name, raw);
  }
  *out = strdup(b ? "true" : "false");
  return *out ? ELMO_OK : ELMO_ENOMEM;
}

static int is_cache_option(const char *name) {
  return strcmp(name, "block_cache") == 0 || strcmp(name, "row_cache") == 0 ||
         strcmp(name, "block_cache_compressed") == 0;
}

elmo_rc elmo_normalize_value(const elmo_option_info *o, elmo_xform xform, const char *raw,
                             char **out, char *note, size_t note_size, elmo_error *err) {
  *out = NULL;
  if (note_size > 0) note[0] = '\0';
  elmo_rc rc;
  if (xform == ELMO_XFORM_BLOOM_BITS || strcmp(o->name, "filter_policy") == 0) {
    rc = norm_filter(o, raw, out, err);
  } else if (is_cache_option(o->name)) {
    rc = norm_cache(o, raw, out, err);
  } else if (strcmp(o->name, "compression_per_level") == 0) {
    rc = norm_compression_list(o, raw, out, err);
  } else {
    switch (o->type) {
      case ELMO_OPT_BOOL: rc = norm_bool(o, raw, out, err); break;
      case ELMO_OPT_INT:
      case ELMO_OPT_UINT: rc = norm_int(o, raw, out, err); break;
      case ELMO_OPT_DOUBLE: rc = norm_double(o, raw, out, err); break;
      case ELMO_OPT_ENUM: rc = norm_enum(o, raw, out, err); break;
      default: rc = (*out = strdup(raw)) ? ELMO_OK : ELMO_ENOMEM; break;
    }
  }
  if (rc == ELMO_OK && strcmp(*out, raw) != 0) snprintf(note, note_size, "'%s' read as %s", raw, *out);
  if (rc == ELMO_ENOMEM) elmo_error_set(err, rc, "out of memory");
  return rc;
}

int elmo_effective_number(const elmo_catalog *cat, const elmo_optfile *f, elmo_section s,
                          const char *cf, const char *name, double *v) {
  const char *text = elmo_optfile_get(f, s, cf, name);
  if (text == NULL) {
    const elmo_option_info *o = elmo_catalog_find(cat, s, name);
    text = o != NULL ? o->default_value : NULL;
  }
  if (text == NULL || text[0] == '\0') return 0;
  char *end = NULL;
  double d = elmo_number_parse(text, &end);
  if (end == text || *end != '\0') return 0;
  *v = d;
  return 1;
}
