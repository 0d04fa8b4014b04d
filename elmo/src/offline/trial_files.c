/* trial_files.c — the file work of a trial: cloning a base DB (hard links for the immutable SST
 * and blob files, copies for the rest), sizing a directory, reading output files. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trial_internal.h"

#define COPY_CHUNK (1u << 20) /* bytes per read/write when copying */

/* ---- clone ----------------------------------------------------------------------------------- */

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* SST and blob files are never modified once written: the clone may share them. */
static int is_immutable(const char *name) {
  return ends_with(name, ".sst") || ends_with(name, ".blob");
}

static elmo_rc copy_fd(int in, int out, const char *src, const char *dst, elmo_error *err) {
  char *buf = malloc(COPY_CHUNK);
  if (buf == NULL) return elmo_error_set(err, ELMO_ENOMEM, "clone: out of memory copying %s", src);
  elmo_rc rc = ELMO_OK;
  for (;;) {
    ssize_t n = read(in, buf, COPY_CHUNK);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      rc = elmo_error_set(err, ELMO_EIO, "clone: cannot read %s: %s", src, strerror(errno));
      break;
    }
    if (n == 0) break;
    for (ssize_t done = 0; done < n;) {
      ssize_t w = write(out, buf + done, (size_t)(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) {
        free(buf);
        return elmo_error_set(err, ELMO_EIO, "clone: cannot write %s: %s", dst, strerror(errno));
      }
      done += w;
    }
  }
  free(buf);
  return rc;
}

static elmo_rc copy_file(const char *src, const char *dst, mode_t mode, elmo_error *err) {
  int in = open(src, O_RDONLY | O_CLOEXEC);
  if (in < 0)
    return elmo_error_set(err, ELMO_EIO, "clone: cannot open %s: %s", src, strerror(errno));
  int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 0777);
  if (out < 0) {
    close(in);
    return elmo_error_set(err, ELMO_EIO, "clone: cannot create %s: %s", dst, strerror(errno));
  }
  elmo_rc rc = copy_fd(in, out, src, dst, err);
  close(in);
  if (close(out) != 0 && rc == ELMO_OK) {
    rc = elmo_error_set(err, ELMO_EIO, "clone: cannot write %s: %s", dst, strerror(errno));
  }
  return rc;
}

/* A hard link; a copy where the file system cannot link (another device, no link support). */
static elmo_rc link_file(const char *src, const char *dst, mode_t mode, elmo_error *err) {
  if (link(src, dst) == 0) return ELMO_OK;
  if (errno == EXDEV || errno == EPERM || errno == EMLINK || errno == ENOTSUP) {
    return copy_file(src, dst, mode, err);
  }
  return elmo_error_set(err, ELMO_EIO, "clone: cannot link %s to %s: %s", src, dst,
                        strerror(errno));
}

static elmo_rc clone_dir(const char *from, const char *to, elmo_error *err);

static elmo_rc clone_entry(const char *from, const char *to, const char *name, elmo_error *err) {
  char src[TRIAL_PATH_MAX], dst[TRIAL_PATH_MAX];
  if ((size_t)snprintf(src, sizeof src, "%s/%s", from, name) >= sizeof src ||
      (size_t)snprintf(dst, sizeof dst, "%s/%s", to, name) >= sizeof dst) {
    return elmo_error_set(err, ELMO_EINVAL, "clone: path of %s/%s is too long", from, name);
  }
  struct stat st;
  if (lstat(src, &st) != 0) {
    return elmo_error_set(err, ELMO_EIO, "clone: cannot stat %s: %s", src, strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) {
    if (mkdir(dst, st.st_mode & 0777) != 0) {
      return elmo_error_set(err, ELMO_EIO, "clone: cannot create %s: %s", dst, strerror(errno));
    }
    return clone_dir(src, dst, err);
  }
  if (!S_ISREG(st.st_mode)) {
    return elmo_error_set(err, ELMO_EINVAL, "clone: %s is not a regular file or directory", src);
  }
  return is_immutable(name) ? link_file(src, dst, st.st_mode, err)
                            : copy_file(src, dst, st.st_mode, err);
}

static elmo_rc clone_dir(const char *from, const char *to, elmo_error *err) {
  DIR *d = opendir(from);
  if (d == NULL)
    return elmo_error_set(err, ELMO_EIO, "clone: cannot open %s: %s", from, strerror(errno));
  elmo_rc rc = ELMO_OK;
  struct dirent *e;
  while (rc == ELMO_OK && (e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    rc = clone_entry(from, to, e->d_name, err);
  }
  closedir(d);
  return rc;
}

elmo_rc elmo_db_clone(const char *from, const char *to, elmo_error *err) {
  if (from == NULL || to == NULL || *from == '\0' || *to == '\0') {
    return elmo_error_set(err, ELMO_EINVAL, "clone: from and to must be non-empty paths");
  }
  struct stat st;
  if (stat(from, &st) != 0 || !S_ISDIR(st.st_mode)) {
    return elmo_error_set(err, ELMO_ENOTFOUND, "clone: base DB %s is not a directory", from);
  }
  if (mkdir(to, 0755) != 0) {
    return elmo_error_set(err, ELMO_EIO, "clone: cannot create %s: %s", to, strerror(errno));
  }
  return clone_dir(from, to, err);
}

/* ---- sizes and output files ------------------------------------------------------------------ */

uint64_t elmo_trial_dir_bytes(const char *dir) {
  DIR *d = opendir(dir);
  if (d == NULL) return 0;
  uint64_t total = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    char path[TRIAL_PATH_MAX];
    struct stat st;
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path) continue;
    if (lstat(path, &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) total += elmo_trial_dir_bytes(path);
    if (S_ISREG(st.st_mode)) total += (uint64_t)st.st_size;
  }
  closedir(d);
  return total;
}

char *elmo_trial_read_tail(const char *path, size_t max_bytes) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NULL;
  struct stat st;
  size_t size = 0;
  if (fstat(fd, &st) == 0 && st.st_size > 0) size = (size_t)st.st_size;
  size_t want = size < max_bytes ? size : max_bytes;
  char *buf = malloc(want + 1);
  size_t got = 0;
  if (buf != NULL) buf[0] = '\0';
  if (buf != NULL && lseek(fd, (off_t)(size - want), SEEK_SET) >= 0) {
    while (got < want) {
      ssize_t n = read(fd, buf + got, want - got);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      got += (size_t)n;
    }
    buf[got] = '\0';
  }
  close(fd);
  return buf;
}

static int progress_line(const char *p, size_t n) {
  return n >= 12 && strncmp(p, "... finished", 12) == 0;
}

void elmo_trial_last_line(const char *text, char *out, size_t cap) {
  out[0] = '\0';
  if (text == NULL || cap == 0) return;
  const char *p = text;
  while (*p) {
    size_t n = strcspn(p, "\r\n");
    size_t s = 0;
    while (s < n && (p[s] == ' ' || p[s] == '\t')) s++;
    size_t e = n;
    while (e > s && (p[e - 1] == ' ' || p[e - 1] == '\t')) e--;
    if (e > s && !progress_line(p + s, e - s)) {
      size_t k = e - s < cap - 1 ? e - s : cap - 1;
      memcpy(out, p + s, k);
      out[k] = '\0';
    }
    p += n;
    while (*p == '\r' || *p == '\n') p++;
  }
}
