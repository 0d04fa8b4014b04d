/* storage_probe.c — the storage probe (elmo/storage.h): direct sequential writes, direct random
 * reads and fsync latency of the device under a directory, in a few seconds; and its cache. */
#define _GNU_SOURCE
#include "elmo/storage.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "elmo/number.h"

#define CHUNK (1u << 20)       /* bytes per sequential write */
#define FILE_MAX (64u << 20)   /* bytes written at most */
#define BLOCK 4096u            /* random read size and alignment */
#define READS_MAX 20000
#define SYNCS_MAX 200
#define TMPFS_MAGIC_NUMBER 0x01021994 /* linux/magic.h's TMPFS_MAGIC */

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* xorshift64: offsets only need to spread, not to be good randomness. */
static uint64_t next_random(uint64_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

typedef struct probe_files {
  char data[4096], sync[4096];
  int fd, sync_fd;
  void *buf;
} probe_files;

static void close_files(probe_files *f) {
  if (f->fd >= 0) close(f->fd);
  if (f->sync_fd >= 0) close(f->sync_fd);
  if (f->data[0]) unlink(f->data);
  if (f->sync[0]) unlink(f->sync);
  free(f->buf);
}

static elmo_rc sequential_writes(probe_files *f, double budget, elmo_storage_probe *p, size_t *written,
                                 elmo_error *err) {
  memset(f->buf, 0x5a, CHUNK);
  double t0 = now();
  size_t n = 0;
  while (n < FILE_MAX && (n == 0 || now() - t0 < budget)) {
    ssize_t w = pwrite(f->fd, f->buf, CHUNK, (off_t)n);
    if (w != (ssize_t)CHUNK) return elmo_error_set(err, ELMO_EIO, "storage probe: writing %s: %s", f->data,
                                                   w < 0 ? strerror(errno) : "short write");
    n += CHUNK;
  }
  if (fdatasync(f->fd) != 0) return elmo_error_set(err, ELMO_EIO, "storage probe: fdatasync %s: %s", f->data, strerror(errno));
  double s = now() - t0;
  p->write_mb_s = s > 0 ? (double)n / 1e6 / s : 0;
  *written = n;
  return ELMO_OK;
}

static elmo_rc random_reads(probe_files *f, double budget, size_t written, elmo_storage_probe *p, elmo_error *err) {
  uint64_t state = 0x9e3779b97f4a7c15ull ^ (uint64_t)getpid();
  size_t blocks = written / BLOCK, n = 0;
  double t0 = now();
  while (n < READS_MAX && (n == 0 || now() - t0 < budget)) {
    off_t at = (off_t)(next_random(&state) % blocks) * BLOCK;
    ssize_t r = pread(f->fd, f->buf, BLOCK, at);
    if (r != (ssize_t)BLOCK) return elmo_error_set(err, ELMO_EIO, "storage probe: reading %s: %s", f->data,
                                                   r < 0 ? strerror(errno) : "short read");
    n++;
  }
  double s = now() - t0;
  p->read_iops = s > 0 ? (double)n / s : 0;
  p->read_latency_us = n > 0 ? s / (double)n * 1e6 : 0;
  return ELMO_OK;
}

static elmo_rc syncs(probe_files *f, double budget, elmo_storage_probe *p, elmo_error *err) {
  size_t n = 0;
  double t0 = now();
  while (n < SYNCS_MAX && (n == 0 || now() - t0 < budget)) {
    if (pwrite(f->sync_fd, f->buf, BLOCK, 0) != (ssize_t)BLOCK || fdatasync(f->sync_fd) != 0) {
      return elmo_error_set(err, ELMO_EIO, "storage probe: syncing %s: %s", f->sync, strerror(errno));
    }
    n++;
  }
  p->fsync_ms = (now() - t0) / (double)n * 1e3;
  return ELMO_OK;
}

static void set_device(const struct stat *st, elmo_storage_probe *p) {
  snprintf(p->device, sizeof p->device, "%u:%u", major(st->st_dev), minor(st->st_dev));
}

elmo_rc elmo_storage_probe_run(const char *dir, double max_seconds, elmo_storage_probe *p, elmo_error *err) {
  if (dir == NULL || p == NULL) return elmo_error_set(err, ELMO_EINVAL, "storage probe: NULL argument");
  memset(p, 0, sizeof *p);
  struct stat st;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    return elmo_error_set(err, ELMO_ENOTFOUND, "storage probe: %s is not a directory", dir);
  }
  set_device(&st, p);
  struct statfs sf;
  if (statfs(dir, &sf) == 0 && (unsigned long)sf.f_type == TMPFS_MAGIC_NUMBER) {
    snprintf(p->note, sizeof p->note, "not measured: %s is tmpfs (memory, no device)", dir);
    return ELMO_OK;
  }
  double budget = max_seconds > 0 ? max_seconds : 10, t0 = now();
  probe_files f = {.fd = -1, .sync_fd = -1};
  snprintf(f.data, sizeof f.data, "%s/.elmo-storage-probe-%ld", dir, (long)getpid());
  snprintf(f.sync, sizeof f.sync, "%s/.elmo-storage-probe-%ld.sync", dir, (long)getpid());
  if (posix_memalign(&f.buf, BLOCK, CHUNK) != 0) {
    f.data[0] = f.sync[0] = '\0';
    return elmo_error_set(err, ELMO_ENOMEM, "storage probe: out of memory");
  }
  f.fd = open(f.data, O_RDWR | O_CREAT | O_EXCL | O_DIRECT | O_CLOEXEC, 0600);
  if (f.fd < 0 && errno == EINVAL) { /* tmpfs and others: no direct I/O */
    f.data[0] = f.sync[0] = '\0';
    close_files(&f);
    snprintf(p->note, sizeof p->note, "not measured: %s has no direct I/O", dir);
    return ELMO_OK;
  }
  if (f.fd < 0) {
    elmo_rc rc = elmo_error_set(err, ELMO_EIO, "storage probe: cannot create %s: %s", f.data, strerror(errno));
    f.data[0] = f.sync[0] = '\0';
    close_files(&f);
    return rc;
  }
  f.sync_fd = open(f.sync, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  size_t written = 0;
  elmo_rc rc = f.sync_fd >= 0 ? ELMO_OK
                              : elmo_error_set(err, ELMO_EIO, "storage probe: cannot create %s: %s", f.sync, strerror(errno));
  if (f.sync_fd < 0) f.sync[0] = '\0';
  if (rc == ELMO_OK) rc = sequential_writes(&f, budget * 0.35, p, &written, err);
  if (rc == ELMO_OK) rc = random_reads(&f, budget * 0.35, written, p, err);
  if (rc == ELMO_OK) rc = syncs(&f, budget * 0.2, p, err);
  close_files(&f);
  p->seconds = now() - t0;
  p->measured = rc == ELMO_OK;
  return rc;
}

int elmo_storage_is_slow(const elmo_storage_probe *p) {
  if (p == NULL || !p->measured) return 0;
  return p->read_iops < 2000 || p->read_latency_us > 1000 || p->write_mb_s < 100 || p->fsync_ms > 20;
}

int elmo_storage_probe_describe(const elmo_storage_probe *p, char *buf, size_t size) {
  if (p == NULL || !p->measured) {
    return snprintf(buf, size, "%s", p != NULL && p->note[0] ? p->note : "not measured");
  }
  return elmo_number_snprintf(buf, size,
                              "device %s: 4 KiB random reads %.0f/s (%.0f us each), sequential writes %.0f MB/s, "
                              "fsync %.1f ms%s",
                              p->device, p->read_iops, p->read_latency_us, p->write_mb_s, p->fsync_ms,
                              elmo_storage_is_slow(p) ? " (slow)" : "");
}

/* ---- the cache -------------------------------------------------------------------------------- */

static void cache_path(const char *cache_dir, const elmo_storage_probe *p, char *out, size_t size) {
  char dev[sizeof p->device];
  snprintf(dev, sizeof dev, "%s", p->device);
  for (char *c = dev; *c; c++) if (*c == ':') *c = '-';
  snprintf(out, size, "%s/storage-probe-%s.txt", cache_dir, dev);
}

static int read_cache(const char *path, elmo_storage_probe *p) {
  FILE *f = fopen(path, "r");
  if (f == NULL) return 0;
  char line[256];
  int version = 0, fields = 0;
  while (fgets(line, sizeof line, f) != NULL) {
    double v;
    if (elmo_number_sscanf(line, "elmo_storage_probe %d", &version) == 1) continue;
    if (elmo_number_sscanf(line, "read_iops %lf", &v) == 1) p->read_iops = v, fields++;
    else if (elmo_number_sscanf(line, "read_latency_us %lf", &v) == 1) p->read_latency_us = v, fields++;
    else if (elmo_number_sscanf(line, "write_mb_s %lf", &v) == 1) p->write_mb_s = v, fields++;
    else if (elmo_number_sscanf(line, "fsync_ms %lf", &v) == 1) p->fsync_ms = v, fields++;
    else if (elmo_number_sscanf(line, "seconds %lf", &v) == 1) p->seconds = v;
  }
  fclose(f);
  p->measured = version == 1 && fields == 4 && p->read_iops > 0 && p->write_mb_s > 0;
  return p->measured;
}

static void write_cache(const char *path, const elmo_storage_probe *p) {
  char tmp[4200];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "w");
  if (f == NULL) return;
  int ok = elmo_number_fprintf(f,
                               "elmo_storage_probe 1\ndevice %s\nread_iops %.1f\nread_latency_us %.1f\n"
                               "write_mb_s %.1f\nfsync_ms %.3f\nseconds %.2f\n",
                               p->device, p->read_iops, p->read_latency_us, p->write_mb_s, p->fsync_ms,
                               p->seconds) > 0;
  if (fclose(f) != 0 || !ok || rename(tmp, path) != 0) unlink(tmp);
}

elmo_rc elmo_storage_probe_cached(const char *dir, const char *cache_dir, double max_seconds, elmo_storage_probe *p,
                                  int *cached, elmo_error *err) {
  if (cached != NULL) *cached = 0;
  if (dir == NULL || cache_dir == NULL || p == NULL) return elmo_error_set(err, ELMO_EINVAL, "storage probe: NULL argument");
  struct stat st;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    return elmo_error_set(err, ELMO_ENOTFOUND, "storage probe: %s is not a directory", dir);
  }
  memset(p, 0, sizeof *p);
  set_device(&st, p);
  char path[4096];
  cache_path(cache_dir, p, path, sizeof path);
  if (read_cache(path, p)) {
    if (cached != NULL) *cached = 1;
    return ELMO_OK;
  }
  elmo_rc rc = elmo_storage_probe_run(dir, max_seconds, p, err);
  if (rc == ELMO_OK && p->measured) write_cache(path, p);
  return rc;
}
