/*
 * optfile.h — RocksDB OPTIONS files in memory: read, change, write, compare.
 *
 * Module elmo/src/options/: OPTIONS files (optfile.c reads and edits, optfile_write.c writes and
 *  diffs), the option catalog (catalog.c, catalog_overlay.c; catalog.h), values as people write them
 *  (value.c; value.h), the memory model (memory.c; memory.h). Uses base.
 *
 * Conventions: see elmo.h. Pure except elmo_optfile_load/elmo_optfile_save, which do file I/O.
 *
 * The format is RocksDB's (options/options_parser.cc): '#' comments, sections
 *   [Version]  [DBOptions]  [CFOptions "name"]  [TableOptions/BlockBasedTable "name"]
 * then `key=value` lines (spaces around '=' allowed). Values are kept as text exactly as written
 * (nested values such as `{a=1;b=2}` included). Sections and keys keep their order; a key set
 * that did not exist is appended to its section; a section that did not exist is created (the
 * table section of CF "x" right after [CFOptions "x"]).
 */
#ifndef ELMO_OPTFILE_H
#define ELMO_OPTFILE_H

#include <stddef.h>

#include "elmo/elmo.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum elmo_section {
  ELMO_SECTION_VERSION = 0,  /* [Version] */
  ELMO_SECTION_DB = 1,       /* [DBOptions] */
  ELMO_SECTION_CF = 2,       /* [CFOptions "name"] */
  ELMO_SECTION_TABLE = 3     /* [TableOptions/BlockBasedTable "name"] */
} elmo_section;

typedef struct elmo_optfile elmo_optfile;

/* A new file with [Version] (rocksdb_version=7.8.3, options_file_version=1.1), an empty
 * [DBOptions], [CFOptions "default"] and [TableOptions/BlockBasedTable "default"]. */
ELMO_API elmo_optfile *elmo_optfile_create(void);

/*
 * Parses OPTIONS text. Unknown section kinds (anything but the four above), a key=value line
 * before any section, a line without '=', an unterminated section header or a duplicate key in one
 * section are ELMO_EPARSE with the line number in the message.
 * OUT *out: new object or NULL on error.
 */
ELMO_API elmo_rc elmo_optfile_parse(const char *text, size_t len, elmo_optfile **out, elmo_error *err);

/* Reads and parses a file. ELMO_EIO names the path and the OS error; else as elmo_optfile_parse. */
ELMO_API elmo_rc elmo_optfile_load(const char *path, elmo_optfile **out, elmo_error *err);

/* Adds what RocksDB's parser requires of an OPTIONS file and f lacks: the [Version] keys
 * (rocksdb_version=7.8.3, options_file_version=1.1), [DBOptions] and [CFOptions "default"] (with
 * its table section), so a partial file a person wrote ("only the options I change") loads.
 * Existing sections and values are kept. Returns ELMO_OK, ELMO_EINVAL (f NULL), ELMO_ENOMEM. */
ELMO_API elmo_rc elmo_optfile_complete(elmo_optfile *f, elmo_error *err);

ELMO_API elmo_optfile *elmo_optfile_clone(const elmo_optfile *f);
ELMO_API void elmo_optfile_destroy(elmo_optfile *f);

/* The value of key in a section, or NULL when absent. cf is the column family name for CF and
 * TABLE sections (NULL means "default"); ignored for DB and VERSION. Borrowed: valid until the
 * next change to f. */
ELMO_API const char *elmo_optfile_get(const elmo_optfile *f, elmo_section s, const char *cf, const char *key);

/* Sets (adds or replaces) key=value. Returns ELMO_OK, ELMO_EINVAL (empty key, or a key/value with
 * a newline, or s == VERSION with an unknown key), ELMO_ENOMEM. */
ELMO_API elmo_rc elmo_optfile_set(elmo_optfile *f, elmo_section s, const char *cf, const char *key,
                         const char *value, elmo_error *err);

/* Removes key; returns 1 if it was there, 0 if not. */
ELMO_API int elmo_optfile_unset(elmo_optfile *f, elmo_section s, const char *cf, const char *key);

/* Column families in file order ("default" first when present). Borrowed strings. */
ELMO_API size_t elmo_optfile_cf_count(const elmo_optfile *f);
ELMO_API const char *elmo_optfile_cf_name(const elmo_optfile *f, size_t i);

/* Visits every key of every section in order; stop early by returning non-zero from fn. */
typedef int (*elmo_optfile_visit_fn)(void *ctx, elmo_section s, const char *cf, const char *key,
                                     const char *value);
ELMO_API void elmo_optfile_foreach(const elmo_optfile *f, elmo_optfile_visit_fn fn, void *ctx);

/* Writes the file in RocksDB's format (a header comment, then sections in order, `  key=value`).
 * Returns a new NUL-terminated string (elmo_free) or NULL when out of memory. */
ELMO_API char *elmo_optfile_format(const elmo_optfile *f);

/* Writes the formatted file to path atomically (temp file + rename). ELMO_EIO names the path. */
ELMO_API elmo_rc elmo_optfile_save(const elmo_optfile *f, const char *path, elmo_error *err);

/*
 * A readable diff of two files, changed keys only, one line each, grouped by section:
 *   [DBOptions]
 *     max_background_jobs: 2 -> 4
 *   [CFOptions "default"]
 *     write_buffer_size: 67108864 -> 134217728   (64 MiB -> 128 MiB)
 *     + compression_per_level: (absent) -> kLZ4Compression   [only in b]
 *     - ttl: 0 -> (absent)                                   [only in a]
 * [Version] is ignored. Returns a new string (elmo_free; "" when identical) or NULL when out
 * of memory. *n_changes (optional) receives the number of changed keys.
 */
ELMO_API char *elmo_optfile_diff(const elmo_optfile *a, const elmo_optfile *b, size_t *n_changes);

/* "DBOptions", "CFOptions", "TableOptions/BlockBasedTable", "Version". */
ELMO_API const char *elmo_section_name(elmo_section s);

#ifdef __cplusplus
}
#endif

#endif /* ELMO_OPTFILE_H */
