/* trial.c — one sandboxed db_bench trial (trial.h): the child is forked, joins its limits
 * (trial_limits.c) and execs db_bench; the parent polls it every 100 ms as a watchdog (deadline,
 * cancel) and a flagger (db_bench's interval report), then builds the result from the exit
 * status, the sandbox's counters and db_bench's output (dbbench_parse.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "elmo/host.h"
#include "base/strbuf.h"
#include "trial_internal.h"
#include "elmo/number.h"

#define POLL_NS (100 * 1000 * 1000) /* the watchdog's period */
#define DEFAULT_WARMUP 5.0          /* seconds the flagger never judges, when flagger_warmup_seconds is 0 */
#define DEFAULT_GRACE 10.0          /* seconds, when flagger_grace_seconds is 0 */
#define OUTPUT_MAX (16u << 20)      /* bytes: the tail of stdout that is parsed */
#define STDERR_MAX (64u << 10)      /* bytes: the tail of stderr searched for a reason */
#define REPORT_MAX (64u << 20)      /* bytes of the interval report */
#define LOG_MAX (32u << 20)         /* bytes of the DB's LOG searched for write stalls */

/* Flags that the trial sets itself; the spec's args must leave them out. */
static const char *const kReserved[] = {
    "db", "options_file", "use_existing_db", "report_file", "report_interval_seconds", NULL};

typedef struct trial_run {
  const elmo_trial_spec *spec;
  char **argv; /* argv[1..n_borrowed) are the spec's; later ones are owned */
  size_t n_borrowed;
  char bench[128]; /* the measured benchmark: the last of --benchmarks; "" when not given */
  int setup_benchmarks;  /* the benchmarks before it (their result lines precede its start) */
  double measuring_since; /* monotonic seconds when the flagger saw the measured benchmark start */
  char db[TRIAL_PATH_MAX], out[TRIAL_PATH_MAX], err[TRIAL_PATH_MAX], report[TRIAL_PATH_MAX];
  trial_limits limits;
  pid_t pid, parent;
  double start;                /* monotonic seconds at fork */
  int reaped, stopped, status; /* stopped: the parent killed it (status already decided) */
  struct rusage ru;
} trial_run;

typedef struct child_msg { /* what the child reports when it cannot exec (< PIPE_BUF) */
  int code;
  char what[1024];
} child_msg;

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- arguments ------------------------------------------------------------------------------- */

/* The value of "--name=V" / "-name=V" in arg; "" for a bare "--name"; NULL for another flag. */
static const char *flag_value(const char *arg, const char *name) {
  if (arg[0] != '-') return NULL;
  arg += arg[1] == '-' ? 2 : 1;
  size_t n = strlen(name);
  if (strncmp(arg, name, n) != 0) return NULL;
  return arg[n] == '=' ? arg + n + 1 : arg[n] == '\0' ? "" : NULL;
}

static int has_flag(const char *const *args, const char *name) {
  for (size_t i = 0; args[i] != NULL; i++) {
    if (flag_value(args[i], name) != NULL) return 1;
  }
  return 0;
}

/* "fillrandom,readrandom[X3]" → "readrandom"; *setup (may be NULL) gets how many come before. */
static void bench_name(const char *const *args, char *out, size_t cap, int *setup) {
  const char *v = NULL;
  for (size_t i = 0; args[i] != NULL; i++) {
    const char *f = flag_value(args[i], "benchmarks");
    if (f != NULL) v = (*f == '\0' && args[i + 1] != NULL) ? args[i + 1] : f;
  }
  out[0] = '\0';
  if (setup != NULL) *setup = 0;
  if (v == NULL) return;
  for (const char *c = v; setup != NULL && *c; c++) *setup += *c == ',';
  const char *last = strrchr(v, ',');
  last = last != NULL ? last + 1 : v;
  snprintf(out, cap, "%.*s", (int)strcspn(last, "["), last);
}

static int add_arg(trial_run *t, size_t *k, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int add_arg(trial_run *t, size_t *k, const char *fmt, ...) {
  elmo_strbuf arg = ELMO_STRBUF_INIT;
  va_list ap;
  va_start(ap, fmt);
  elmo_strbuf_vappendf(&arg, fmt, ap);
  va_end(ap);
  if ((t->argv[*k] = elmo_strbuf_take(&arg)) == NULL) return 0;
  (*k)++;
  return 1;
}

static elmo_rc build_argv(trial_run *t, elmo_error *err) {
  const elmo_trial_spec *s = t->spec;
  size_t n = 0, k;
  while (s->args[n] != NULL) n++;
  t->argv = calloc(n + 12, sizeof *t->argv);
  if (t->argv == NULL) return elmo_error_set(err, ELMO_ENOMEM, "trial: out of memory");
  t->argv[0] = (char *)s->db_bench;
  for (size_t i = 0; i < n; i++) t->argv[i + 1] = (char *)s->args[i];
  t->n_borrowed = k = n + 1;
  int ok = add_arg(t, &k, "--db=%s", t->db);
  if (s->options_file != NULL) {
    ok = ok && add_arg(t, &k, "--options_file=%s", s->options_file);
    /* db_bench replaces the OPTIONS file's block cache with its own when cache_size > 0. */
    if (!has_flag(s->args, "cache_size")) ok = ok && add_arg(t, &k, "--cache_size=0");
  }
  if (s->base_db != NULL) ok = ok && add_arg(t, &k, "--use_existing_db=1");
  ok = ok && add_arg(t, &k, "--report_interval_seconds=1");
  ok = ok && add_arg(t, &k, "--report_file=%s", t->report);
  ok = ok && add_arg(t, &k, "--statistics=1") && add_arg(t, &k, "--histogram=1");
  return ok ? ELMO_OK : elmo_error_set(err, ELMO_ENOMEM, "trial: out of memory");
}

static void free_argv(trial_run *t) {
  if (t->argv == NULL) return;
  for (size_t i = t->n_borrowed; t->argv[i] != NULL; i++) free(t->argv[i]);
  free(t->argv);
}

/* ---- setting up ------------------------------------------------------------------------------ */

/* The first of db_bench, options_file and base_db that cannot be used (errno says why), or NULL. */
static const char *unusable_path(const elmo_trial_spec *s) {
  if (access(s->db_bench, X_OK) != 0) return s->db_bench;
  if (s->options_file != NULL && access(s->options_file, R_OK) != 0) return s->options_file;
  if (s->base_db != NULL && access(s->base_db, R_OK | X_OK) != 0) return s->base_db;
  return NULL;
}

static elmo_rc validate(const elmo_trial_spec *s, elmo_error *err) {
  if (s == NULL || s->db_bench == NULL || s->args == NULL || s->work_dir == NULL || !*s->work_dir) {
    return elmo_error_set(err, ELMO_EINVAL, "trial: db_bench, args and work_dir are required");
  }
  if (s->cpus < 0) return elmo_error_set(err, ELMO_ERANGE, "trial: cpus %d must be >= 0", s->cpus);
  if (!(s->timeout_seconds >= 0) || !(s->abort_below_ops >= 0) ||
      !(s->flagger_grace_seconds >= 0)) {
    return elmo_error_set(err, ELMO_ERANGE,
                          "trial: timeout %g s, abort_below_ops %g and grace %g s must be >= 0",
                          s->timeout_seconds, s->abort_below_ops, s->flagger_grace_seconds);
  }
  for (size_t i = 0; s->args[i] != NULL; i++) {
    for (size_t r = 0; kReserved[r] != NULL; r++) {
      if (flag_value(s->args[i], kReserved[r]) != NULL) {
        return elmo_error_set(err, ELMO_EINVAL, "trial: argument %s is set by the trial itself",
                              s->args[i]);
      }
    }
  }
  const char *missing = unusable_path(s);
  if (missing != NULL) {
    return elmo_error_set(err, ELMO_ENOTFOUND, "trial: %s: %s", missing, strerror(errno));
  }
  return ELMO_OK;
}

static int join_path(char *out, const char *dir, const char *name) {
  return (size_t)snprintf(out, TRIAL_PATH_MAX, "%s/%s", dir, name) < TRIAL_PATH_MAX;
}

static elmo_rc prepare_dirs(trial_run *t, elmo_error *err) {
  const char *w = t->spec->work_dir;
  if (elmo_mkdirs(w, err) != ELMO_OK) return ELMO_EIO;
  if (!join_path(t->db, w, "db") || !join_path(t->out, w, "stdout.txt") ||
      !join_path(t->err, w, "stderr.txt") || !join_path(t->report, w, "report.csv")) {
    return elmo_error_set(err, ELMO_EINVAL, "trial: work_dir %s is too long", w);
  }
  if (access(t->db, F_OK) == 0) {
    return elmo_error_set(err, ELMO_EINVAL,
                          "trial: %s already exists: give each trial a fresh work_dir", t->db);
  }
  unlink(t->report); /* a stale report would mislead the flagger */
  return t->spec->base_db != NULL ? elmo_db_clone(t->spec->base_db, t->db, err) : ELMO_OK;
}

/* ---- the child ------------------------------------------------------------------------------- */

static void child_fail(int fd, const char *what) __attribute__((noreturn));
static void child_fail(int fd, const char *what) {
  static child_msg msg; /* the child's own copy of memory: no allocation after fork */
  msg.code = errno;
  size_t n = strlen(what);
  if (n >= sizeof msg.what) n = sizeof msg.what - 1;
  memcpy(msg.what, what, n);
  msg.what[n] = '\0';
  ssize_t w = write(fd, &msg, sizeof msg);
  (void)w;
  _exit(127);
}

static int redirect(int target, const char *path, int flags) {
  int fd = open(path, flags | O_CLOEXEC, 0644);
  if (fd < 0) return -1;
  int rc = dup2(fd, target) < 0 ? -1 : 0; /* dup2 clears FD_CLOEXEC on target */
  close(fd);
  return rc;
}

/* Async-signal-safe only: the parent may have threads. */
static void child_exec(const trial_run *t, int fd) __attribute__((noreturn));
static void child_exec(const trial_run *t, int fd) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  signal(SIGPIPE, SIG_DFL);
  setpgid(0, 0); /* its own group, so that one kill reaches anything it starts */
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != t->parent) {
    child_fail(fd, "prctl(PR_SET_PDEATHSIG)");
  }
  const char *what = NULL;
  if (elmo_trial_limits_enter(&t->limits, &what) != 0) child_fail(fd, what);
  if (redirect(0, "/dev/null", O_RDONLY) != 0) child_fail(fd, "/dev/null");
  if (redirect(1, t->out, O_WRONLY | O_CREAT | O_TRUNC) != 0) child_fail(fd, t->out);
  if (redirect(2, t->err, O_WRONLY | O_CREAT | O_TRUNC) != 0) child_fail(fd, t->err);
  execv(t->argv[0], t->argv);
  child_fail(fd, t->argv[0]);
}

/* ---- the parent ------------------------------------------------------------------------------ */

static void kill_and_reap(trial_run *t) {
  if (t->reaped) return;
  kill(-t->pid, SIGKILL);
  kill(t->pid, SIGKILL);
  while (wait4(t->pid, &t->status, 0, &t->ru) < 0 && errno == EINTR) {
  }
  t->reaped = 1;
}

/* Reads what the child reports before exec; 0 bytes: exec happened (the pipe closed on exec). */
static ssize_t read_child_msg(int fd, child_msg *msg) {
  ssize_t n;
  while ((n = read(fd, msg, sizeof *msg)) < 0 && errno == EINTR) {
  }
  return n;
}

static elmo_rc spawn(trial_run *t, elmo_error *err) {
  int fds[2];
  child_msg *msg = calloc(1, sizeof *msg);
  if (msg == NULL) return elmo_error_set(err, ELMO_ENOMEM, "trial: out of memory");
  if (pipe2(fds, O_CLOEXEC) != 0) {
    free(msg);
    return elmo_error_set(err, ELMO_EIO, "trial: pipe failed: %s", strerror(errno));
  }
  t->parent = getpid();
  t->start = now_seconds();
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    child_exec(t, fds[1]);
  }
  int fork_errno = errno;
  close(fds[1]);
  ssize_t n = pid > 0 ? read_child_msg(fds[0], msg) : 0;
  close(fds[0]);
  elmo_rc rc = ELMO_OK;
  if (pid < 0) {
    rc = elmo_error_set(err, ELMO_EIO, "trial: fork failed: %s", strerror(fork_errno));
  } else if (n > 0) { /* exec never happened */
    t->pid = pid;
    kill_and_reap(t);
    rc = elmo_error_set(err, ELMO_EIO, "trial: child setup failed at %s: %s", msg->what,
                        strerror(msg->code));
  }
  t->pid = pid;
  free(msg);
  return rc;
}

static void stop(trial_run *t, elmo_trial_result *r, elmo_trial_status status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void stop(trial_run *t, elmo_trial_result *r, elmo_trial_status status, const char *fmt,
                 ...) {
  va_list ap;
  va_start(ap, fmt);
  elmo_number_vsnprintf(r->reason, sizeof r->reason, fmt, ap);
  va_end(ap);
  r->status = status;
  t->stopped = 1;
  kill_and_reap(t);
}

/* The last ceil(grace) intervals after the warm-up's all below the threshold. */
/* The threshold of report interval i: the spec's series entry at the same second of the run (its
 * last entry past its end), else the one threshold. */
static double threshold_at(const elmo_trial_spec *s, size_t i) {
  if (s->abort_below_series == NULL || s->n_abort_below_series == 0) return s->abort_below_ops;
  return s->abort_below_series[i < s->n_abort_below_series ? i : s->n_abort_below_series - 1];
}

static int flagger_trips(const elmo_trial_spec *s, const elmo_trial_metrics *m, double warmup, double grace,
                         size_t *k, double *mean, double *below) {
  *k = (size_t)grace;
  if ((double)*k < grace || *k == 0) (*k)++;
  size_t skip = (size_t)ceil(warmup);
  if (m->n_interval < skip + *k) return 0;
  double sum = 0, limit = 0;
  for (size_t i = m->n_interval - *k; i < m->n_interval; i++) {
    if (m->interval_ops[i] >= threshold_at(s, i)) return 0;
    sum += m->interval_ops[i];
    limit += threshold_at(s, i);
  }
  *mean = sum / (double)*k;
  *below = limit / (double)*k;
  return 1;
}

/* Whether the measured benchmark runs: db_bench printed the result lines of those before it (each
 * benchmark starts its own interval report, so before then the report is theirs: a compact's
 * seconds without operations are not a slow candidate). */
static int measuring(trial_run *t) {
  if (t->measuring_since > 0 || t->setup_benchmarks == 0) return 1;
  char *out = elmo_trial_read_tail(t->out, OUTPUT_MAX);
  int done = out != NULL && elmo_dbbench_count_results(out) >= t->setup_benchmarks;
  free(out);
  if (done) t->measuring_since = now_seconds();
  return 0; /* judged from the next look on, when the report is surely the measured one's */
}

/* Reads the interval report: the live rate callback, and the flagger. */
static void run_flagger(trial_run *t, elmo_trial_result *r) {
  const elmo_trial_spec *s = t->spec;
  double grace = s->flagger_grace_seconds > 0 ? s->flagger_grace_seconds : DEFAULT_GRACE;
  double warmup = s->flagger_warmup_seconds > 0 ? s->flagger_warmup_seconds : DEFAULT_WARMUP;
  if (!measuring(t)) return;
  char *csv = elmo_trial_read_tail(t->report, REPORT_MAX);
  elmo_trial_metrics m;
  memset(&m, 0, sizeof m);
  size_t k;
  double mean;
  int parsed = csv != NULL && elmo_dbbench_parse_report(csv, &m, NULL) == ELMO_OK;
  if (parsed && s->on_rate != NULL && m.n_interval > 0) {
    s->on_rate(s->rate_ctx, now_seconds() - t->start, m.interval_ops[m.n_interval - 1]);
  }
  /* More rows than seconds since the start seen: still the previous benchmark's report. */
  int current = t->setup_benchmarks == 0 || (double)m.n_interval <= now_seconds() - t->measuring_since + 2;
  double below;
  if (parsed && current && s->abort_below_ops > 0 && flagger_trips(s, &m, warmup, grace, &k, &mean, &below)) {
    stop(t, r, ELMO_TRIAL_ABORTED,
         "throughput %.0f ops/s over the last %zu s stayed below the %.0f ops/s threshold", mean, k, below);
  }
  free(m.interval_ops);
  free(csv);
}

/* Without a memory cgroup, RLIMIT_AS is generous (it counts address space, not memory): the
 * watchdog enforces the limit on the resident set instead. */
static int over_memory(trial_run *t, elmo_trial_result *r) {
  if (!t->limits.use_rlimit || t->limits.memory_bytes == 0) return 0;
  uint64_t rss = elmo_host_rss_bytes((long)t->pid);
  if (rss <= t->limits.memory_bytes) return 0;
  stop(t, r, ELMO_TRIAL_OOM, "resident set %llu MiB passed the %llu MiB memory limit (watchdog)",
       (unsigned long long)(rss >> 20), (unsigned long long)(t->limits.memory_bytes >> 20));
  return 1;
}

static void supervise(trial_run *t, elmo_trial_result *r) {
  const elmo_trial_spec *s = t->spec;
  const struct timespec tick = {0, POLL_NS};
  double next_flag = 1.0;
  while (!t->reaped) {
    pid_t w = wait4(t->pid, &t->status, WNOHANG, &t->ru);
    if (w == t->pid) {
      t->reaped = 1;
      break;
    }
    if (w < 0 && errno != EINTR) {
      stop(t, r, ELMO_TRIAL_FAILED, "lost the child: wait4: %s", strerror(errno));
      break;
    }
    double elapsed = now_seconds() - t->start;
    if (s->cancel != NULL && *s->cancel) {
      stop(t, r, ELMO_TRIAL_FAILED, "cancelled");
    } else if (s->timeout_seconds > 0 && elapsed >= s->timeout_seconds) {
      stop(t, r, ELMO_TRIAL_TIMEOUT, "ran past the %.1f s deadline", s->timeout_seconds);
    } else if (over_memory(t, r)) {
      /* stopped as OOM */
    } else if ((s->abort_below_ops > 0 || s->on_rate != NULL) && elapsed >= next_flag) {
      next_flag = elapsed + 1.0;
      run_flagger(t, r);
    }
    if (!t->reaped) nanosleep(&tick, NULL);
  }
  r->metrics.wall_seconds = now_seconds() - t->start;
}

/* ---- the result ------------------------------------------------------------------------------ */

static const char *signal_name(int sig) {
  static const struct {
    int sig;
    const char *name;
  } kNames[] = {{SIGSEGV, "SIGSEGV"}, {SIGABRT, "SIGABRT"}, {SIGBUS, "SIGBUS"},
                {SIGFPE, "SIGFPE"},   {SIGILL, "SIGILL"},   {SIGKILL, "SIGKILL"},
                {SIGTERM, "SIGTERM"}, {SIGINT, "SIGINT"}};
  for (size_t i = 0; i < sizeof kNames / sizeof kNames[0]; i++) {
    if (kNames[i].sig == sig) return kNames[i].name;
  }
  return "signal";
}

static void parse_output(trial_run *t, elmo_trial_result *r) {
  char *out = elmo_trial_read_tail(t->out, OUTPUT_MAX);
  elmo_error e;
  elmo_error_clear(&e);
  if (out == NULL) {
    r->status = ELMO_TRIAL_FAILED;
    snprintf(r->reason, sizeof r->reason, "cannot read %.480s", t->out);
  } else if (elmo_dbbench_parse(out, t->bench[0] ? t->bench : NULL, &r->metrics, &e) != ELMO_OK) {
    r->status = ELMO_TRIAL_FAILED;
    snprintf(r->reason, sizeof r->reason, "bad output: %.480s", e.message);
  } else {
    r->status = ELMO_TRIAL_OK;
    r->reason[0] = '\0';
  }
  free(out);
}

/* Why writes stalled, from the DB's LOG (its last LOG_MAX bytes). */
static void stall_causes(trial_run *t, elmo_trial_result *r) {
  char path[TRIAL_PATH_MAX + 8];
  snprintf(path, sizeof path, "%s/LOG", t->db);
  char *log = elmo_trial_read_tail(path, LOG_MAX);
  elmo_rocksdb_log_stalls(log, &r->metrics);
  free(log);
}

/* The child exited by itself: decide OK / FAILED / OOM. */
static void classify(trial_run *t, elmo_trial_result *r, const trial_mem_events *ev) {
  char line[384];
  char *text = elmo_trial_read_tail(t->err, STDERR_MAX);
  elmo_trial_last_line(text, line, sizeof line);
  if (line[0] == '\0') {
    char *out = elmo_trial_read_tail(t->out, STDERR_MAX);
    elmo_trial_last_line(out, line, sizeof line);
    free(out);
  }
  int st = t->status, clean = WIFEXITED(st) && WEXITSTATUS(st) == 0;
  unsigned long long mib = (unsigned long long)(t->limits.memory_bytes >> 20);
  r->status = ELMO_TRIAL_FAILED;
  if (!clean && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL && t->limits.mem_dir[0] != '\0' &&
      (ev->oom_kills > 0 || ev->limit_hits > 0)) {
    r->status = ELMO_TRIAL_OOM;
    snprintf(r->reason, sizeof r->reason, "killed by the %llu MiB memory limit (%llu OOM kills)",
             mib, (unsigned long long)ev->oom_kills);
  } else if (!clean && t->limits.use_rlimit && text != NULL && strstr(text, "bad_alloc") != NULL) {
    r->status = ELMO_TRIAL_OOM;
    snprintf(r->reason, sizeof r->reason, "out of memory under RLIMIT_AS for a %llu MiB limit: %s",
             mib, line);
  } else if (WIFSIGNALED(st)) {
    snprintf(r->reason, sizeof r->reason, "killed by signal %d (%s): %s", WTERMSIG(st),
             signal_name(WTERMSIG(st)), line);
  } else if (!clean) {
    snprintf(r->reason, sizeof r->reason, "exit %d: %s", WEXITSTATUS(st), line);
  } else {
    parse_output(t, r);
    stall_causes(t, r);
  }
  free(text);
}

static void finish(trial_run *t, elmo_trial_result *r) {
  elmo_trial_metrics *m = &r->metrics;
  trial_mem_events ev;
  elmo_trial_limits_collect(&t->limits, &ev);
  m->cpu_seconds = (double)t->ru.ru_utime.tv_sec + (double)t->ru.ru_utime.tv_usec / 1e6 +
                   (double)t->ru.ru_stime.tv_sec + (double)t->ru.ru_stime.tv_usec / 1e6;
  m->peak_rss_bytes = (uint64_t)t->ru.ru_maxrss * 1024;
  m->peak_memory_bytes = ev.peak_bytes > 0 ? ev.peak_bytes : m->peak_rss_bytes;
  int online = elmo_host_online_cpus();
  double cpus = t->spec->cpus > 0 ? t->spec->cpus : online > 0 ? (double)online : 1;
  double wall = m->wall_seconds;
  m->cpu_percent = wall > 0 ? m->cpu_seconds / (wall * cpus) * 100.0 : 0;
  m->space_bytes = elmo_trial_dir_bytes(t->db);
  char *csv = elmo_trial_read_tail(t->report, REPORT_MAX);
  if (csv != NULL) elmo_dbbench_parse_report(csv, m, NULL); /* no report: no intervals */
  free(csv);
  if (!t->stopped) classify(t, r, &ev);
  m->stall_percent = wall > 0 ? m->stall_micros / 1e6 / wall * 100.0 : 0;
}

/* ---- public ---------------------------------------------------------------------------------- */

static elmo_rc run(trial_run *t, elmo_trial_result *r, elmo_error *err) {
  elmo_rc rc = prepare_dirs(t, err);
  if (rc == ELMO_OK) rc = build_argv(t, err);
  if (rc == ELMO_OK)
    rc = elmo_trial_limits_prepare(&t->limits, t->spec->cpus, t->spec->memory_bytes, err);
  if (rc != ELMO_OK) return rc;
  snprintf(r->limits_method, sizeof r->limits_method, "%s", t->limits.method);
  rc = spawn(t, err);
  if (rc == ELMO_OK) {
    supervise(t, r);
    finish(t, r);
  }
  elmo_trial_limits_release(&t->limits);
  return rc;
}

elmo_rc elmo_trial_run(const elmo_trial_spec *spec, elmo_trial_result *result, elmo_error *err) {
  elmo_error e;
  elmo_error_clear(&e);
  if (result == NULL) return elmo_error_set(err, ELMO_EINVAL, "trial: result is NULL");
  memset(result, 0, sizeof *result);
  result->status = ELMO_TRIAL_FAILED;
  result->metrics.cache_hit_rate = -1;
  elmo_rc rc = validate(spec, &e);
  trial_run *t = rc == ELMO_OK ? calloc(1, sizeof *t) : NULL;
  if (rc == ELMO_OK && t == NULL) rc = elmo_error_set(&e, ELMO_ENOMEM, "trial: out of memory");
  if (rc == ELMO_OK) {
    t->spec = spec;
    bench_name(spec->args, t->bench, sizeof t->bench, &t->setup_benchmarks);
    rc = run(t, result, &e);
    free_argv(t);
  }
  free(t);
  if (rc != ELMO_OK) {
    snprintf(result->reason, sizeof result->reason, "%s", e.message);
    if (err != NULL) *err = e;
  }
  return rc;
}

void elmo_trial_result_clear(elmo_trial_result *r) {
  if (r == NULL) return;
  free(r->metrics.interval_ops);
  memset(r, 0, sizeof *r);
  r->metrics.cache_hit_rate = -1;
}

const char *elmo_trial_status_name(elmo_trial_status s) {
  switch (s) {
    case ELMO_TRIAL_OK:
      return "ok";
    case ELMO_TRIAL_FAILED:
      return "failed";
    case ELMO_TRIAL_TIMEOUT:
      return "timeout";
    case ELMO_TRIAL_OOM:
      return "oom";
    case ELMO_TRIAL_ABORTED:
      return "aborted";
  }
  return "unknown";
}
