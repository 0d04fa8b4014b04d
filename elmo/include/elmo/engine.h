/*
 * engine.h — what the C core asks of the RocksDB engine it lives in.
 *
 * Conventions: see elmo.h. Implemented by the C++ glue in utilities/elmo/ (inside librocksdb);
 * the core's pure modules never call these directly but take them as callbacks, so they can be
 * tested without a database.
 */
#ifndef ELMO_ENGINE_H
#define ELMO_ENGINE_H

#include <stddef.h>

#include "elmo/elmo.h"
#include "elmo/optfile.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Asks RocksDB's own option parser whether name=value is valid in section s (DB, CF or TABLE),
 * on top of RocksDB's defaults. Returns ELMO_OK, or ELMO_EINVAL with RocksDB's message.
 */
elmo_rc elmo_engine_check_value(elmo_section s, const char *name, const char *value,
                                elmo_error *err);

/*
 * Asks RocksDB whether an OPTIONS text loads: it is written to a temporary file and read with
 * LoadOptionsFromFile (unknown options are errors). When probe_dir is non-NULL, a fresh DB is also
 * opened in probe_dir with those options (and destroyed), which catches what only DB::Open
 * checks. Returns ELMO_OK, ELMO_EINVAL with RocksDB's message, or ELMO_EIO.
 */
elmo_rc elmo_engine_check_options_text(const char *text, const char *probe_dir, elmo_error *err);

#ifdef __cplusplus
}
#endif

#endif /* ELMO_ENGINE_H */
