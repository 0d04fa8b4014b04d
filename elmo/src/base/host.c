/* host.c — what this process may use of the machine (elmo/host.h): the one place that probes the
 * CPU count, the cgroup memory limit and resident sets, for the realtime tuner's glue and for
 * trials alike. */
#define _GNU_SOURCE
#include "elmo/host.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fileio.h"
#include "base/textutil.h"

#define CGROUP_ROOT "/sys/fs/cgroup"
#define PATH_BYTES 4096

int elmo_host_cpus(void) {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) return CPU_COUNT(&set);
  return elmo_host_online_cpus();
}

int elmo_host_online_cpus(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (int)n : 0;
}

int elmo_host_cgroup(const char *controller, char *out, size_t cap) {
  FILE *f = fopen("/proc/self/cgroup", "re");
  if (f == NULL) return 0;
  char line[PATH_BYTES + 256];
  int found = 0;
  while (!found && fgets(line, sizeof line, f) != NULL) {
    line[strcspn(line, "\n")] = '\0';
    /* "0::/path" (v2) or "N:cpu,cpuacct:/path" (v1) */
    char *c1 = strchr(line, ':'), *c2 = c1 != NULL ? strchr(c1 + 1, ':') : NULL;
    if (c2 == NULL) continue;
    *c2 = '\0';
    found = controller == NULL ? strcmp(line, "0:") == 0 : elmo_has_word(c1 + 1, controller, ",");
    if (found) snprintf(out, cap, "%s", strcmp(c2 + 1, "/") == 0 ? "" : c2 + 1);
  }
  fclose(f);
  return found;
}

/* The limit in a cgroup memory file (a plain number; "max" means none): 0 when there is none. */
static uint64_t cgroup_limit(const char *hierarchy, const char *group, const char *file) {
  char path[PATH_BYTES], text[64];
  uint64_t v = 0;
  if ((size_t)snprintf(path, sizeof path, "%s%s/%s", hierarchy, group, file) >= sizeof path)
    return 0;
  if (elmo_read_text(path, text, sizeof text) <= 0) return 0;
  text[strcspn(text, "\n")] = '\0';
  return elmo_parse_plain_u64(text, &v) ? v : 0;
}

uint64_t elmo_host_memory_bytes(void) {
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  uint64_t limit = pages > 0 && page > 0 ? (uint64_t)pages * (uint64_t)page : 0;
  char group[PATH_BYTES];
  uint64_t v2 = elmo_host_cgroup(NULL, group, sizeof group)
                    ? cgroup_limit(CGROUP_ROOT, group, "memory.max")
                    : 0;
  uint64_t v1 = elmo_host_cgroup("memory", group, sizeof group)
                    ? cgroup_limit(CGROUP_ROOT "/memory", group, "memory.limit_in_bytes")
                    : 0;
  if (v2 > 0 && (limit == 0 || v2 < limit)) limit = v2;
  if (v1 > 0 && (limit == 0 || v1 < limit)) limit = v1;
  return limit;
}

uint64_t elmo_host_rss_bytes(long pid) {
  char path[64], text[256];
  unsigned long long size, resident;
  if (pid > 0) {
    snprintf(path, sizeof path, "/proc/%ld/statm", pid);
  } else {
    snprintf(path, sizeof path, "/proc/self/statm");
  }
  if (elmo_read_text(path, text, sizeof text) <= 0 ||
      sscanf(text, "%llu %llu", &size, &resident) != 2) {
    return 0;
  }
  long page = sysconf(_SC_PAGESIZE);
  return (uint64_t)resident * (uint64_t)(page > 0 ? page : 4096);
}
