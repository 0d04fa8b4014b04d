/*
 * catalog.h — every option of RocksDB 7.8.3's [DBOptions], [CFOptions] and
 * [TableOptions/BlockBasedTable] sections, as data.
 *
 * Conventions: see elmo.h.
 *
 * Where it comes from: the engine's own option type-info registries (the OptionTypeInfo tables that
 * parse and write OPTIONS files) give the names, sections, types, defaults and which options
 * SetOptions/SetDBOptions can change. A small hand-kept overlay (src/options/catalog_overlay.c) adds sane
 * ranges, enum spellings, resource classes and locks. elmo_catalog_create merges the two and fails
 * when the overlay names an option the registries do not have, so the two cannot drift apart.
 * elmo_catalog_builtin returns the catalog of the engine this library was built from.
 */
#ifndef ELMO_CATALOG_H
#define ELMO_CATALOG_H

#include <stddef.h>

#include "elmo/elmo.h"
#include "elmo/optfile.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum elmo_opt_type {
  ELMO_OPT_BOOL = 0,
  ELMO_OPT_INT = 1,     /* signed integer (int, int32_t, int64_t) */
  ELMO_OPT_UINT = 2,    /* unsigned integer (size_t, uint32_t, uint64_t, ...) */
  ELMO_OPT_DOUBLE = 3,
  ELMO_OPT_STRING = 4,
  ELMO_OPT_ENUM = 5,    /* one of enum_values */
  ELMO_OPT_STRUCT = 6,  /* {a=1;b=2} */
  ELMO_OPT_OBJECT = 7,  /* a pluggable object given by id/name (comparator, block_cache, ...) */
  ELMO_OPT_VECTOR = 8,  /* a:b:c */
  ELMO_OPT_OTHER = 9
} elmo_opt_type;

typedef enum elmo_resource {
  ELMO_RES_CPU = 0,       /* threads, parallelism */
  ELMO_RES_MEMORY = 1,    /* caches, memtables, filters */
  ELMO_RES_STORAGE = 2,   /* I/O sizes, sync, compaction shape, compression */
  ELMO_RES_ADVANCED = 3   /* behaviour, correctness, paths, plugins */
} elmo_resource;

/* Flags of elmo_option_info.flags. */
#define ELMO_OPT_MUTABLE 0x01u     /* changeable at runtime (SetOptions / SetDBOptions) */
#define ELMO_OPT_DEPRECATED 0x02u  /* accepted by the parser, has no effect */
#define ELMO_OPT_ALIAS 0x04u       /* another name for an option listed under its own name */
#define ELMO_OPT_LOCKED 0x08u      /* never changed by the tuner (see lock_reason) */
#define ELMO_OPT_NO_DECREASE 0x10u /* may grow, never shrink (e.g. num_levels) */
#define ELMO_OPT_RANGE 0x20u       /* min/max are set */

typedef struct elmo_option_info {
  const char *name;
  elmo_section section;       /* ELMO_SECTION_DB, _CF or _TABLE */
  elmo_opt_type type;
  const char *engine_type;    /* RocksDB's OptionType, e.g. "kUInt64T", "kCompressionType" */
  const char *default_value;  /* as RocksDB writes it; "" when the engine writes none */
  unsigned flags;
  double min, max;            /* inclusive sane range when ELMO_OPT_RANGE */
  const char *const *enum_values; /* allowed spellings for ELMO_OPT_ENUM, else NULL */
  size_t n_enum_values;
  elmo_resource resource;
  const char *note;           /* lock reason or a hint about the range; may be NULL */
} elmo_option_info;

/* One option as the engine's registries describe it (input to elmo_catalog_create). */
typedef struct elmo_catalog_row {
  const char *name;
  elmo_section section;
  const char *engine_type;
  const char *default_value;
  int is_mutable, is_deprecated, is_alias;
} elmo_catalog_row;

typedef struct elmo_catalog elmo_catalog;

/*
 * Builds a catalog from registry rows and the built-in overlay. Strings are copied.
 * Returns ELMO_OK, ELMO_EINVAL (overlay names an option missing from rows — drift between the
 * engine and the overlay; the message names it), ELMO_ENOMEM.
 */
ELMO_API elmo_rc elmo_catalog_create(const elmo_catalog_row *rows, size_t n, elmo_catalog **out,
                            elmo_error *err);
ELMO_API void elmo_catalog_destroy(elmo_catalog *c);

/* The catalog of the engine inside this library, built once on first use (thread-safe) and never
 * freed. Implemented by the C++ glue (utilities/elmo/catalog_glue.cc). */
ELMO_API elmo_rc elmo_catalog_builtin(const elmo_catalog **out, elmo_error *err);

ELMO_API size_t elmo_catalog_count(const elmo_catalog *c);
/* Borrowed: valid as long as c. NULL when i is out of range. Sorted by section, then name. */
ELMO_API const elmo_option_info *elmo_catalog_at(const elmo_catalog *c, size_t i);

/* Exact lookup in one section, or in any section when s is -1 (DB, then CF, then TABLE). */
ELMO_API const elmo_option_info *elmo_catalog_find(const elmo_catalog *c, int s, const char *name);

/* The known option closest to name (edit distance, ignoring case), or NULL when nothing is close
 * enough to be a plausible typo. */
ELMO_API const elmo_option_info *elmo_catalog_suggest(const elmo_catalog *c, const char *name);

/* 1 when option name shapes the files RocksDB writes (block size, filters, compression, index
 * and blob settings): a new value "needs the data rewritten" to apply to data already on disk,
 * which keeps the old layout until compaction rewrites it; 0 when it "takes effect now". Pure. */
ELMO_API int elmo_catalog_shapes_files(const char *name);

/* If name was an option in another RocksDB version, a sentence saying so (static), else NULL. */
ELMO_API const char *elmo_catalog_removed_note(const char *name);

ELMO_API const char *elmo_opt_type_name(elmo_opt_type t);   /* "bool", "int", ... */
ELMO_API const char *elmo_resource_name(elmo_resource r);   /* "cpu", "memory", "storage", "advanced" */

/*
 * For every key that `other` sets and f does not, sets it in f to the engine default, so that a
 * diff of f and other shows only real changes (a sparse file and RocksDB's full dump then compare
 * equal where they agree). Keys without a known default stay absent. Returns ELMO_OK, ELMO_EINVAL
 * or ELMO_ENOMEM.
 */
ELMO_API elmo_rc elmo_catalog_fill_defaults(const elmo_catalog *c, elmo_optfile *f, const elmo_optfile *other,
                                   elmo_error *err);

/* The entries (all when names is NULL/n_names 0) as a JSON array; new string (elmo_free). */
ELMO_API char *elmo_catalog_to_json(const elmo_catalog *c, const elmo_option_info *const *items, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* ELMO_CATALOG_H */
