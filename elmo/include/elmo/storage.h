/*
 * storage.h — a short probe of the storage under a directory: what the advisor needs to know
 * about the device the trials run on.
 *
 * Conventions: see elmo.h. elmo_storage_probe_run does I/O (a scratch file in the directory,
 * removed after); the rest is pure.
 *
 * The probe, queue depth 1, each part bounded in time:
 *   - sequential writes: 1 MiB direct (O_DIRECT) writes, up to 64 MiB, then fdatasync: MB/s;
 *   - random reads: 4 KiB direct reads at random aligned offsets of what was written: reads per
 *     second and their mean latency;
 *   - fsync: a 4 KiB buffered write followed by fdatasync, repeated: the mean in ms.
 * tmpfs (memory, no device) and a file system without direct I/O leave the probe "not measured",
 * with the reason in note; it never fails the caller for that.
 */
#ifndef ELMO_STORAGE_H
#define ELMO_STORAGE_H

#include <stddef.h>

#include "elmo/elmo.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct elmo_storage_probe {
  int measured;              /* 1: the figures below were measured */
  double read_iops;          /* direct random 4 KiB reads per second */
  double read_latency_us;    /* their mean latency */
  double write_mb_s;         /* direct sequential writes, MB/s (10^6 bytes), fdatasync included */
  double fsync_ms;           /* 4 KiB write + fdatasync, mean */
  double seconds;            /* what the probe took */
  char device[32];           /* "major:minor" of the directory's file system */
  char note[256];            /* why it was not measured, or "" */
} elmo_storage_probe;

/* Probes the storage under dir, in at most about max_seconds (0: 10). Returns ELMO_OK with
 * out->measured 0 and a note when the device cannot be probed with direct I/O; ELMO_EINVAL (NULL
 * argument), ELMO_ENOTFOUND (dir missing), ELMO_EIO (the scratch file cannot be written). */
ELMO_API elmo_rc elmo_storage_probe_run(const char *dir, double max_seconds, elmo_storage_probe *out,
                                        elmo_error *err);

/* The probe of dir's device cached in cache_dir ("storage-probe-MAJOR-MINOR.txt"): read when
 * there, else run and written. *cached (may be NULL) says which. Errors as elmo_storage_probe_run;
 * a cache file that cannot be read or written is ignored (the probe runs). */
ELMO_API elmo_rc elmo_storage_probe_cached(const char *dir, const char *cache_dir, double max_seconds,
                                           elmo_storage_probe *out, int *cached, elmo_error *err);

/* 1 when the device is slow for RocksDB: random reads under 2,000 per second or above 1 ms,
 * sequential writes under 100 MB/s, or fsync above 20 ms. 0 when not measured. Pure. */
ELMO_API int elmo_storage_is_slow(const elmo_storage_probe *p);

/* One line: "device 8:1: 4 KiB random reads 12,345/s (81 us), sequential writes 456 MB/s,
 * fsync 1.2 ms" or "not measured (reason)". snprintf's return. Pure, locale-free. */
ELMO_API int elmo_storage_probe_describe(const elmo_storage_probe *p, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* ELMO_STORAGE_H */
