/* fileio.h — small file helpers shared inside the core (fileio.c; the atomic save lives with the
 * OPTIONS writer, optfile_write.c). */
#ifndef ELMO_FILEIO_H
#define ELMO_FILEIO_H

#include "elmo/elmo.h"

/* Writes text to a temp file beside path, fsyncs it, renames it over path and syncs the
 * directory: readers see the old file or the new one, never a torn one. An existing file's mode
 * is kept (new files get 0644). ELMO_EIO names the step and the path. */
elmo_rc elmo_file_save_atomic(const char *path, const char *text, elmo_error *err);

/* Creates path and every missing parent (mode 0755), like mkdir -p. Returns ELMO_OK (also when
 * it exists as a directory), ELMO_EIO naming the path and the reason (not a directory, no
 * permission, too long). */
elmo_rc elmo_mkdirs(const char *path, elmo_error *err);

/* Reads up to cap - 1 bytes of a small file (a /proc or cgroup file) into buf, NUL-terminated.
 * Returns the bytes read, or -1 with errno. */
int elmo_read_text(const char *path, char *buf, size_t cap);

/* Removes path and everything below it (symlinks are removed, not followed). Returns 0 (also
 * when path does not exist) or -1 with errno. */
int elmo_remove_tree(const char *path);

#endif /* ELMO_FILEIO_H */
