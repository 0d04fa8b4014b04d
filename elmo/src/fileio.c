/* fileio.c — directory creation shared by the core (fileio.h). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "fileio.h"

elmo_rc elmo_mkdirs(const char *path, elmo_error *err) {
  char buf[4096];
  if (path == NULL || path[0] == '\0') return elmo_error_set(err, ELMO_EINVAL, "mkdirs: empty path");
  if ((size_t)snprintf(buf, sizeof buf, "%s", path) >= sizeof buf) {
    return elmo_error_set(err, ELMO_EIO, "cannot create %.60s...: the path is too long", path);
  }
  for (char *p = buf + 1; *p != '\0'; p++) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
      return elmo_error_set(err, ELMO_EIO, "cannot create %s: %s", buf, strerror(errno));
    }
    *p = '/';
  }
  if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
    return elmo_error_set(err, ELMO_EIO, "cannot create %s: %s", buf, strerror(errno));
  }
  struct stat st;
  if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode)) {
    return elmo_error_set(err, ELMO_EIO, "cannot create %s: it exists and is not a directory", buf);
  }
  return ELMO_OK;
}
