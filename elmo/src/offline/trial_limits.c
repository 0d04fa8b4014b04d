/* trial_limits.c — the CPU and memory limits of a trial (see trial.h):
 *   cgroup v2: one group with cpu.max and memory.max (+ memory.swap.max 0);
 *   cgroup v1: a group in the cpu hierarchy (cpu.cfs_period_us, cpu.cfs_quota_us) and one in the
 *              memory hierarchy (memory.limit_in_bytes, memory.memsw.limit_in_bytes if present);
 *   otherwise: affinity to the first N allowed CPUs, and RLIMIT_AS at twice the memory limit plus
 *              1 GiB (the address space over-counts: thread stacks, arenas, mapped files).
 * Groups are named elmo-trial-<pid>-<n> and created under this process's own group in each
 * hierarchy (so the trial stays inside whatever limits the caller already runs under), else at
 * the hierarchy's root. The parent creates them; the child joins them before exec. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "elmo/host.h"
#include "base/textutil.h"
#include "trial_internal.h"

#define CFS_PERIOD_US 100000ull
#define GIB (1024ull * 1024 * 1024)
#define RMDIR_ATTEMPTS 50 /* × 20 ms */

static atomic_uint g_seq;

typedef struct cg_mounts {
  char v2[TRIAL_PATH_MAX];     /* a cgroup2 mount that offers cpu and memory; "" if none */
  char v1_cpu[TRIAL_PATH_MAX]; /* the cgroup v1 mounts of the cpu and memory controllers */
  char v1_mem[TRIAL_PATH_MAX];
} cg_mounts;

/* ---- small file helpers ---------------------------------------------------------------------- */

static int write_text(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  size_t n = strlen(text);
  ssize_t w = write(fd, text, n);
  int saved = errno;
  close(fd);
  errno = saved;
  return w == (ssize_t)n ? 0 : -1;
}

static int write_in(const char *dir, const char *file, const char *text) {
  char path[TRIAL_PATH_MAX];
  if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, file) >= sizeof path) return -1;
  return write_text(path, text);
}

static int exists_in(const char *dir, const char *file) {
  char path[TRIAL_PATH_MAX];
  if (snprintf(path, sizeof path, "%s/%s", dir, file) >= (int)sizeof path) return 0;
  return access(path, F_OK) == 0;
}

/* A number file ("123\n"), or the value of "key N" in a keyed file; 0 when absent. */
static uint64_t read_number(const char *dir, const char *file, const char *key) {
  char path[TRIAL_PATH_MAX], text[4096];
  snprintf(path, sizeof path, "%s/%s", dir, file);
  if (elmo_read_text(path, text, sizeof text) < 0) return 0;
  const char *p = text;
  if (key != NULL) {
    size_t n = strlen(key);
    for (p = text; p != NULL; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
      if (strncmp(p, key, n) == 0 && p[n] == ' ') break;
    }
    if (p == NULL) return 0;
    p += n + 1;
  }
  return strtoull(p, NULL, 10);
}

/* ---- finding the hierarchies ----------------------------------------------------------------- */

static void find_mounts(cg_mounts *cm) {
  memset(cm, 0, sizeof *cm);
  FILE *f = fopen("/proc/self/mounts", "re");
  if (f == NULL) return;
  char line[TRIAL_PATH_MAX + 1024], dir[TRIAL_PATH_MAX], type[64], opts[1024], ctl[1024];
  while (fgets(line, sizeof line, f) != NULL) {
    if (sscanf(line, "%*s %4095s %63s %1023s", dir, type, opts) != 3) continue;
    if (strcmp(type, "cgroup2") == 0 && cm->v2[0] == '\0') {
      char path[TRIAL_PATH_MAX + 32];
      snprintf(path, sizeof path, "%s/cgroup.controllers", dir);
      if (elmo_read_text(path, ctl, sizeof ctl) > 0 && elmo_has_word(ctl, "cpu", " \n") &&
          elmo_has_word(ctl, "memory", " \n")) {
        snprintf(cm->v2, sizeof cm->v2, "%s", dir);
      }
    } else if (strcmp(type, "cgroup") == 0) {
      if (elmo_has_word(opts, "cpu", ",") && cm->v1_cpu[0] == '\0')
        snprintf(cm->v1_cpu, sizeof cm->v1_cpu, "%s", dir);
      if (elmo_has_word(opts, "memory", ",") && cm->v1_mem[0] == '\0')
        snprintf(cm->v1_mem, sizeof cm->v1_mem, "%s", dir);
    }
  }
  fclose(f);
}

/* v2: the parent must hand cpu and memory down to its children. */
static int delegate_v2(const char *parent, int cpus, uint64_t mem) {
  char path[TRIAL_PATH_MAX], now[1024];
  if (snprintf(path, sizeof path, "%s/cgroup.subtree_control", parent) >= (int)sizeof path) return -1;
  if (elmo_read_text(path, now, sizeof now) < 0) return -1;
  char want[32] = "";
  if (cpus > 0 && !elmo_has_word(now, "cpu", " \n")) strcat(want, "+cpu ");
  if (mem > 0 && !elmo_has_word(now, "memory", " \n")) strcat(want, "+memory");
  return want[0] == '\0' ? 0 : write_text(path, want);
}

/* Creates mount/<own group>/name, else mount/name. Writes the new directory into dir. */
static int make_group(const char *mount, const char *controller, const char *name, int v2_cpus,
                      uint64_t v2_mem, char *dir, size_t cap) {
  char own[TRIAL_PATH_MAX] = "";
  int have_own = elmo_host_cgroup(controller, own, sizeof own) && own[0] != '\0';
  for (int i = have_own ? 0 : 1; i < 2; i++) {
    char parent[TRIAL_PATH_MAX];
    if ((size_t)snprintf(parent, sizeof parent, "%s%s", mount, i == 0 ? own : "") >= sizeof parent)
      continue;
    if ((v2_cpus > 0 || v2_mem > 0) && delegate_v2(parent, v2_cpus, v2_mem) != 0) continue;
    if ((size_t)snprintf(dir, cap, "%s/%s", parent, name) >= cap) continue;
    if (mkdir(dir, 0755) == 0) return 0;
  }
  return -1;
}

/* Removes the group added last (it never held a process). */
static int drop_last(trial_limits *l) {
  l->n_dirs--;
  rmdir(l->dirs[l->n_dirs]);
  return -1;
}

static void add_group(trial_limits *l, const char *dir) {
  if (snprintf(l->dirs[l->n_dirs], sizeof l->dirs[0], "%s", dir) >= (int)sizeof l->dirs[0] ||
      snprintf(l->procs[l->n_dirs], sizeof l->procs[0], "%s/cgroup.procs", dir) >= (int)sizeof l->procs[0]) {
    return; /* a path this long cannot be a cgroup we made */
  }
  l->n_dirs++;
}

/* ---- setting the groups up ------------------------------------------------------------------- */

static int setup_v1_cpu(trial_limits *l, const char *mount, const char *name, int cpus) {
  char dir[TRIAL_PATH_MAX], quota[32];
  if (make_group(mount, "cpu", name, 0, 0, dir, sizeof dir) != 0) return -1;
  add_group(l, dir);
  snprintf(quota, sizeof quota, "%llu", (unsigned long long)cpus * CFS_PERIOD_US);
  if (write_in(dir, "cpu.cfs_period_us", "100000") != 0 ||
      write_in(dir, "cpu.cfs_quota_us", quota) != 0) {
    return drop_last(l);
  }
  return 0;
}

static int setup_v1_mem(trial_limits *l, const char *mount, const char *name, uint64_t mem) {
  char dir[TRIAL_PATH_MAX], limit[32];
  if (make_group(mount, "memory", name, 0, 0, dir, sizeof dir) != 0) return -1;
  add_group(l, dir);
  snprintf(limit, sizeof limit, "%llu", (unsigned long long)mem);
  if (write_in(dir, "memory.limit_in_bytes", limit) != 0) return drop_last(l);
  /* Best effort: without swap accounting the file is absent and RAM alone is limited. */
  if (exists_in(dir, "memory.memsw.limit_in_bytes"))
    write_in(dir, "memory.memsw.limit_in_bytes", limit);
  snprintf(l->mem_dir, sizeof l->mem_dir, "%s", dir);
  return 0;
}

static int setup_v2(trial_limits *l, const char *mount, const char *name, int cpus, uint64_t mem) {
  char dir[TRIAL_PATH_MAX], value[64];
  if (make_group(mount, NULL, name, cpus, mem, dir, sizeof dir) != 0) return -1;
  add_group(l, dir);
  int bad = 0;
  if (cpus > 0) {
    snprintf(value, sizeof value, "%llu %llu", (unsigned long long)cpus * CFS_PERIOD_US,
             CFS_PERIOD_US);
    bad |= write_in(dir, "cpu.max", value) != 0;
  }
  if (mem > 0) {
    snprintf(value, sizeof value, "%llu", (unsigned long long)mem);
    bad |= write_in(dir, "memory.max", value) != 0;
    if (exists_in(dir, "memory.swap.max")) write_in(dir, "memory.swap.max", "0"); /* best effort */
    snprintf(l->mem_dir, sizeof l->mem_dir, "%s", dir);
  }
  if (bad) {
    l->mem_dir[0] = '\0';
    return drop_last(l);
  }
  return 0;
}

static int setup_affinity(trial_limits *l, int cpus) {
  cpu_set_t now;
  if (sched_getaffinity(0, sizeof now, &now) != 0) return -1;
  CPU_ZERO(&l->affinity);
  for (int i = 0, n = 0; i < CPU_SETSIZE && n < cpus; i++) {
    if (CPU_ISSET(i, &now)) {
      CPU_SET(i, &l->affinity);
      n++;
    }
  }
  l->use_affinity = 1;
  return 0;
}

static void describe(trial_limits *l, int cpu_cg, int mem_cg) {
  char *m = l->method;
  size_t cap = sizeof l->method;
  int n = 0;
  if (cpu_cg || mem_cg) {
    n = snprintf(m, cap, "cgroup v%d (%s)", l->version,
                 cpu_cg && mem_cg ? "cpu, memory"
                 : cpu_cg         ? "cpu"
                                  : "memory");
  }
  if (l->use_affinity) n += snprintf(m + n, cap - (size_t)n, "%saffinity", n ? " + " : "");
  if (l->use_rlimit) n += snprintf(m + n, cap - (size_t)n, "%srlimit", n ? " + " : "");
  if (n == 0) snprintf(m, cap, "none");
}

elmo_rc elmo_trial_limits_prepare(trial_limits *l, int cpus, uint64_t mem, elmo_error *err) {
  memset(l, 0, sizeof *l);
  l->memory_bytes = mem;
  int cpu_cg = 0, mem_cg = 0;
  if (cpus > 0 || mem > 0) {
    cg_mounts *cm = malloc(sizeof *cm);
    if (cm == NULL) return elmo_error_set(err, ELMO_ENOMEM, "trial: out of memory");
    char name[64];
    snprintf(name, sizeof name, "elmo-trial-%ld-%u", (long)getpid(), atomic_fetch_add(&g_seq, 1));
    find_mounts(cm);
    if (cm->v2[0] != '\0') {
      if (setup_v2(l, cm->v2, name, cpus, mem) == 0) cpu_cg = cpus > 0, mem_cg = mem > 0;
    } else {
      if (cpus > 0 && cm->v1_cpu[0] != '\0') cpu_cg = setup_v1_cpu(l, cm->v1_cpu, name, cpus) == 0;
      if (mem > 0 && cm->v1_mem[0] != '\0') mem_cg = setup_v1_mem(l, cm->v1_mem, name, mem) == 0;
    }
    l->version = cpu_cg || mem_cg ? (cm->v2[0] != '\0' ? 2 : 1) : 0;
    free(cm);
  }
  if (cpus > 0 && !cpu_cg && setup_affinity(l, cpus) != 0) {
    int e = errno;
    elmo_trial_limits_release(l);
    return elmo_error_set(err, ELMO_EIO, "trial: cannot limit to %d CPUs: sched_getaffinity: %s",
                          cpus, strerror(e));
  }
  if (mem > 0 && !mem_cg) {
    l->use_rlimit = 1;
    l->rlimit_as = mem > (UINT64_MAX - GIB) / 2 ? UINT64_MAX : mem * 2 + GIB;
  }
  describe(l, cpu_cg, mem_cg);
  return ELMO_OK;
}

/* ---- in the child ---------------------------------------------------------------------------- */

static size_t format_pid(char *buf, long v) { /* async-signal-safe "%ld\n" */
  char tmp[24];
  size_t n = 0, k = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v > 0 && n < sizeof tmp);
  while (n > 0) buf[k++] = tmp[--n];
  buf[k++] = '\n';
  return k;
}

int elmo_trial_limits_enter(const trial_limits *l, const char **what) {
  char pid[32];
  size_t n = format_pid(pid, (long)getpid());
  for (size_t i = 0; i < l->n_dirs; i++) {
    int fd = open(l->procs[i], O_WRONLY | O_CLOEXEC);
    ssize_t w = fd >= 0 ? write(fd, pid, n) : -1;
    int saved = errno;
    if (fd >= 0) close(fd);
    if (w != (ssize_t)n) {
      *what = l->procs[i];
      errno = saved;
      return -1;
    }
  }
  if (l->use_affinity && sched_setaffinity(0, sizeof l->affinity, &l->affinity) != 0) {
    *what = "sched_setaffinity";
    return -1;
  }
  struct rlimit r = {(rlim_t)l->rlimit_as, (rlim_t)l->rlimit_as};
  if (l->use_rlimit && setrlimit(RLIMIT_AS, &r) != 0) {
    *what = "setrlimit(RLIMIT_AS)";
    return -1;
  }
  return 0;
}

/* ---- after the child ------------------------------------------------------------------------- */

void elmo_trial_limits_collect(const trial_limits *l, trial_mem_events *ev) {
  memset(ev, 0, sizeof *ev);
  if (l->mem_dir[0] == '\0') return;
  if (l->version == 1) {
    ev->oom_kills = read_number(l->mem_dir, "memory.oom_control", "oom_kill");
    ev->limit_hits = read_number(l->mem_dir, "memory.failcnt", NULL);
    ev->peak_bytes = read_number(l->mem_dir, "memory.max_usage_in_bytes", NULL);
  } else {
    ev->oom_kills = read_number(l->mem_dir, "memory.events", "oom_kill");
    ev->limit_hits = read_number(l->mem_dir, "memory.events", "max");
    ev->peak_bytes = read_number(l->mem_dir, "memory.peak", NULL);
  }
}

/* Only the trial's child (and what it started) ever joined the group. */
static void kill_members(const char *dir) {
  char path[TRIAL_PATH_MAX], text[4096];
  snprintf(path, sizeof path, "%s/cgroup.procs", dir);
  if (elmo_read_text(path, text, sizeof text) <= 0) return;
  for (char *p = text, *end; *p; p = end) {
    long pid = strtol(p, &end, 10);
    if (end == p) break;
    if (pid > 0) kill((pid_t)pid, SIGKILL);
  }
}

static void remove_group(const char *dir) {
  const struct timespec pause = {0, 20 * 1000 * 1000};
  for (int i = 0; i < RMDIR_ATTEMPTS; i++) {
    if (rmdir(dir) == 0 || errno == ENOENT || errno != EBUSY) return;
    kill_members(dir);
    nanosleep(&pause, NULL);
  }
}

void elmo_trial_limits_release(trial_limits *l) {
  while (l->n_dirs > 0) {
    l->n_dirs--;
    remove_group(l->dirs[l->n_dirs]);
  }
}

const char *elmo_trial_limits_available(void) {
  cg_mounts *cm = malloc(sizeof *cm);
  if (cm == NULL) return "affinity + rlimit";
  find_mounts(cm);
  const char *m = "affinity + rlimit";
  if (cm->v2[0] != '\0' && access(cm->v2, W_OK) == 0) {
    m = "cgroup v2";
  } else if ((cm->v1_cpu[0] != '\0' && access(cm->v1_cpu, W_OK) == 0) ||
             (cm->v1_mem[0] != '\0' && access(cm->v1_mem, W_OK) == 0)) {
    m = "cgroup v1";
  }
  free(cm);
  return m;
}
