/*
 * engine.h — what the C core asks of the RocksDB engine it lives in.
 *
 * Conventions: see elmo.h. Implemented by the C++ glue in utilities/elmo/ (inside librocksdb).
 * The core never calls these functions by name: what it needs of the engine reaches it as an
 * elmo_engine_services table in its config (the offline tuner's elmo_tune_config.engine, the
 * calibrator's elmo_calibrate_policy callbacks), so libelmo builds and is tested without RocksDB.
 */
#ifndef ELMO_ENGINE_H
#define ELMO_ENGINE_H

#include <stddef.h>

#include "elmo/catalog.h"
#include "elmo/elmo.h"
#include "elmo/optfile.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Asks RocksDB's own option parser whether name=value is valid in section s (DB, CF or TABLE),
 * on top of RocksDB's defaults. Returns ELMO_OK, or ELMO_EINVAL with RocksDB's message.
 */
ELMO_API elmo_rc elmo_engine_check_value(elmo_section s, const char *name, const char *value,
                                elmo_error *err);

/*
 * Asks RocksDB whether an OPTIONS text loads: it is written to a temporary file and read with
 * LoadOptionsFromFile (unknown options are errors). When probe_dir is non-NULL, a fresh DB is also
 * opened in probe_dir with those options (and destroyed), which catches what only DB::Open
 * checks. Returns ELMO_OK, ELMO_EINVAL with RocksDB's message, or ELMO_EIO.
 */
ELMO_API elmo_rc elmo_engine_check_options_text(const char *text, const char *probe_dir, elmo_error *err);

/*
 * What elmo_tuned_options=file would change for the DB in db_dir, opened with its latest OPTIONS
 * (nothing is opened for writing). OUT *out: a new string (elmo_free), one line per option the
 * file sets to another value: "tuned: NAME (SECTION): FROM -> TO" or "not tuned: ...: not applied:
 * WHY", then a summary line. Returns ELMO_OK, ELMO_EINVAL (file is not a loadable OPTIONS file;
 * message from RocksDB), ELMO_ENOTFOUND (db_dir has no OPTIONS file), ELMO_EIO (db_dir cannot be
 * read), ELMO_ENOMEM.
 */
ELMO_API elmo_rc elmo_engine_overlay_describe(const char *file, const char *db_dir, char **out, elmo_error *err);

/* What the core asks of the engine, as callbacks (every member is required). */
typedef struct elmo_engine_services {
  /* elmo_engine_check_value */
  elmo_rc (*check_value)(elmo_section s, const char *name, const char *value, elmo_error *err);
  /* elmo_engine_check_options_text */
  elmo_rc (*check_options_text)(const char *text, const char *probe_dir, elmo_error *err);
  /* elmo_catalog_builtin: the engine's option catalog (static storage) */
  elmo_rc (*catalog)(const elmo_catalog **out, elmo_error *err);
} elmo_engine_services;

/* The services of the engine this library is built into. Static storage; never NULL. */
ELMO_API const elmo_engine_services *elmo_engine_builtin(void);

#ifdef __cplusplus
}
#endif

#endif /* ELMO_ENGINE_H */
