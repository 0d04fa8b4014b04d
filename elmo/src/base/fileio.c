/* fileio.c — creating and removing directory trees, reading small files and saving files
 * atomically, shared by the core (fileio.h). */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
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

static int write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* Syncs the directory holding path so the rename survives a crash. */
static int sync_parent_dir(const char *path) {
  const char *slash = strrchr(path, '/');
  char *dir = slash == NULL
                  ? strdup(".")
                  : strndup(path, slash == path ? 1 : (size_t)(slash - path));
  if (dir == NULL) return -1;
  int fd = open(dir, O_RDONLY | O_DIRECTORY);
  free(dir);
  if (fd < 0) return -1;
  int rc = fsync(fd);
  close(fd);
  return rc;
}

/* Fills the temp file and syncs it; *step names what failed. */
static int write_temp(int fd, const char *text, mode_t mode, const char **step) {
  *step = "write";
  if (fchmod(fd, mode) != 0 || write_all(fd, text, strlen(text)) != 0) return -1;
  *step = "fsync";
  return fsync(fd);
}

/* Writes text to a new temp file beside path, syncs it, renames it over path (fileio.h). */
elmo_rc elmo_file_save_atomic(const char *path, const char *text, elmo_error *err) {
  static const char kSuffix[] = ".tmp.XXXXXX";
  size_t plen = strlen(path);
  char *tmp = malloc(plen + sizeof(kSuffix));
  if (tmp == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory saving %s", path);
  memcpy(tmp, path, plen);
  memcpy(tmp + plen, kSuffix, sizeof(kSuffix));
  struct stat st;
  mode_t mode = stat(path, &st) == 0 ? (st.st_mode & 07777) : 0644; /* keep an existing mode */
  int fd = mkstemp(tmp);
  if (fd < 0) {
    int e = errno;
    free(tmp);
    return elmo_error_set(err, ELMO_EIO, "cannot create a temporary file for %s: %s", path,
                          strerror(e));
  }
  const char *step = "write";
  int ok = write_temp(fd, text, mode, &step) == 0;
  int e = errno;
  if (close(fd) != 0 && ok) ok = 0, e = errno, step = "close";
  if (ok && rename(tmp, path) != 0) ok = 0, e = errno, step = "rename the temporary file to";
  if (!ok) unlink(tmp);
  free(tmp);
  if (ok && sync_parent_dir(path) != 0) ok = 0, e = errno, step = "sync the directory of";
  if (!ok) return elmo_error_set(err, ELMO_EIO, "cannot %s %s: %s", step, path, strerror(e));
  return ELMO_OK;
}
