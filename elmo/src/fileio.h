/* fileio.h — small file helpers shared inside the core. */
#ifndef ELMO_FILEIO_H
#define ELMO_FILEIO_H

#include "elmo/elmo.h"

/* Writes text to a temp file beside path, fsyncs it, renames it over path and syncs the
 * directory: readers see the old file or the new one, never a torn one. An existing file's mode
 * is kept (new files get 0644). ELMO_EIO names the step and the path. */
elmo_rc elmo_file_save_atomic(const char *path, const char *text, elmo_error *err);

#endif /* ELMO_FILEIO_H */
