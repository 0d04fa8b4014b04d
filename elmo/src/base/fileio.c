/* fileio.c — creating and removing directory trees and reading small files, shared by the core
 * (fileio.h). */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  return remove(path);
}

int elmo_remove_tree(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0) return errno == ENOENT ? 0 : -1;
  return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int elmo_read_text(const char *path, char *buf, size_t cap) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, cap - 1);
  int saved = errno;
  close(fd);
  errno = saved;
  if (n < 0) return -1;
  buf[n] = '\0';
  return (int)n;
}
