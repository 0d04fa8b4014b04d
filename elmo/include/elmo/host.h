/*
 * host.h — what this process may use of the machine: CPUs, memory, and what it holds now.
 *
 * Conventions: see elmo.h. Every call reads the scheduler, /proc and /sys afresh (a few system
 * calls, no state), is thread-safe and cannot fail: a value that cannot be read is 0.
 */
#ifndef ELMO_HOST_H
#define ELMO_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "elmo/elmo.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The CPUs this thread may run on (its affinity mask), else the CPUs online; 0 if unknown. */
ELMO_API int elmo_host_cpus(void);

/* The CPUs online (sysconf(_SC_NPROCESSORS_ONLN)); 0 if unknown. */
ELMO_API int elmo_host_online_cpus(void);

/* The memory this process may use, in bytes: physical memory, or the limit of its own cgroup
 * (v2 memory.max, v1 memory.limit_in_bytes) when that is lower; 0 if unknown. */
ELMO_API uint64_t elmo_host_memory_bytes(void);

/* The resident set of process pid (0: this process), in bytes, from /proc/<pid>/statm; 0 if
 * unknown. */
ELMO_API uint64_t elmo_host_rss_bytes(long pid);

/* This process's cgroup: in the v1 hierarchy of controller ("cpu", "memory"), or in the unified
 * v2 hierarchy when controller is NULL (from /proc/self/cgroup). OUT out: its path below the
 * hierarchy's mount ("" for the root; truncated to cap). Returns 1 when found, else 0. */
ELMO_API int elmo_host_cgroup(const char *controller, char *out, size_t cap);

#ifdef __cplusplus
}
#endif

#endif /* ELMO_HOST_H */
