/* tuner_replay.c — the replay confirmation: the program's own query trace, replayed as fast as
 * possible (db_bench --benchmarks=elmoreplay) with the baseline and the best alternately, decides
 * whether best.ini may hold the best. A model can be wrong about a program; the program's own
 * operations on its own data cannot. See tuner.h. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elmo/trace.h"
#include "base/fileio.h"
#include "tuner_internal.h"

static void replay_failed(tune_run *r, const char *fmt, const char *what) {
  char note[768];
  snprintf(note, sizeof note, fmt, what);
  free(r->sum->replay_note);
  r->sum->replay_note = strdup(note);
  r->sum->replay_state = ELMO_REPLAY_FAILED;
  elmo_tuner_progress(r, "replay confirmation: %s", note);
}

/* What the replay needs to know before it runs: whether the trace merges, and whether every op
 * is on the default column family (elmoreplay runs that one only). 0 when it can be replayed;
 * else why not, in why. */
static int scan_trace(const char *path, int *merges, char *why, size_t cap) {
  elmo_trace_reader *rd = NULL;
  elmo_error err;
  uint64_t ops = 0;
  *merges = 0;
  if (elmo_trace_reader_open(path, NULL, &rd, &err) != ELMO_OK) {
    snprintf(why, cap, "%s", err.message);
    return -1;
  }
  int rc = 0;
  for (;;) {
    elmo_trace_op op;
    if (elmo_trace_reader_next(rd, &op, &err) != ELMO_OK) {
      snprintf(why, cap, "%s", err.message);
      rc = -1;
      break;
    }
    if (op.kind == ELMO_TRACE_END) break;
    ops++;
    if (op.kind == ELMO_TRACE_MERGE) *merges = 1;
    if (op.cf_id != 0) {
      snprintf(why, cap, "its op at offset %llu is on column family %u; the replay runs the default "
               "column family only", (unsigned long long)op.record_offset, op.cf_id);
      rc = -1;
      break;
    }
  }
  if (rc == 0 && ops == 0) {
    snprintf(why, cap, "it holds no operations");
    rc = -1;
  }
  elmo_trace_reader_destroy(rd);
  return rc;
}

static elmo_rc add_arg(tune_run *r, size_t *n, const char *fmt, const char *s, long v, elmo_error *err) {
  char buf[PATH_MAX + 64];
  if (s != NULL) snprintf(buf, sizeof buf, fmt, s);
  else snprintf(buf, sizeof buf, fmt, v);
  if (*n + 1 >= sizeof r->replay_args / sizeof r->replay_args[0] || (r->replay_args[*n] = strdup(buf)) == NULL) {
    return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  }
  (*n)++;
  return ELMO_OK;
}

elmo_rc elmo_tuner_replay_check(tune_run *r, elmo_error *err) {
  if (r->cfg.replay_trace == NULL || r->cfg.replay_trace[0] == '\0') return ELMO_OK;
  char why[512], abs[PATH_MAX];
  if (realpath(r->cfg.replay_trace, abs) == NULL) {
    replay_failed(r, "the trace %s cannot be read; the model alone decides", r->cfg.replay_trace);
    return ELMO_OK;
  }
  if (scan_trace(abs, &r->replay_merges, why, sizeof why) != 0) {
    char note[640];
    snprintf(note, sizeof note, "the trace cannot be replayed (%.500s); the model alone decides", why);
    replay_failed(r, "%s", note);
    return ELMO_OK;
  }
  size_t n = 0;
  int threads = r->workload.facts.threads > 0 ? r->workload.facts.threads : 1;
  long seconds = (long)ceil(r->cfg.warmup_seconds + r->cfg.trial_seconds);
  elmo_rc rc = add_arg(r, &n, "%s", "--benchmarks=elmoreplay", 0, err);
  if (rc == ELMO_OK) rc = add_arg(r, &n, "--elmo_replay_trace=%s", abs, 0, err);
  if (rc == ELMO_OK) rc = add_arg(r, &n, "--threads=%ld", NULL, threads, err);
  /* -1 is the model's scan length, which the caller resolves when it has a model: none here. */
  long nexts = r->cfg.replay_seek_nexts > 0 ? r->cfg.replay_seek_nexts : 0;
  if (rc == ELMO_OK) rc = add_arg(r, &n, "--seek_nexts=%ld", NULL, nexts, err);
  if (rc == ELMO_OK) rc = add_arg(r, &n, "--duration=%ld", NULL, seconds, err);
  return rc;
}

/* The DB the replay runs on: the program's own (the clone every trial starts from), or one
 * holding every key the trace touches, built once under the baseline's options. */
static int replay_base(tune_run *r) {
  if (r->replay_base != NULL) return 0;
  if (r->cfg.base_db != NULL && r->base_db != NULL) {
    r->replay_base = strdup(r->base_db);
    return r->replay_base != NULL ? 0 : -1;
  }
  char dir[4096], opts[4096], num[64], value[64];
  snprintf(dir, sizeof dir, "%s/replay-base", r->db_dir);
  snprintf(opts, sizeof opts, "%s/replay-base-options.ini", r->db_dir);
  snprintf(num, sizeof num, "--num=%llu", (unsigned long long)r->workload.facts.num_keys);
  snprintf(value, sizeof value, "--value_size=%d", r->workload.facts.value_bytes > 0 ? r->workload.facts.value_bytes : 100);
  const char *args[] = {"--benchmarks=elmoreplay", r->replay_args[1], "--elmo_replay_load_only=1", num, value, NULL};
  elmo_remove_tree(dir);
  elmo_error err;
  elmo_rc rc = elmo_optfile_save(r->baseline, opts, &err);
  if (rc != ELMO_OK) {
    replay_failed(r, "the replay's data could not be built (%s); the model alone decides", err.message);
    return -1;
  }
  elmo_tuner_progress(r, "replay confirmation: writing the %llu keys the trace touches (and filler) into %s",
                      (unsigned long long)r->workload.facts.num_keys, dir);
  elmo_trial_spec spec = {.db_bench = r->cfg.db_bench, .args = args, .options_file = opts, .work_dir = dir,
                          .timeout_seconds = 3600, .cancel = r->cfg.cancel};
  elmo_trial_result res;
  memset(&res, 0, sizeof res);
  rc = elmo_trial_run(&spec, &res, &err);
  if (rc != ELMO_OK || res.status != ELMO_TRIAL_OK) {
    replay_failed(r, "the replay's data could not be built (%s); the model alone decides",
                  rc != ELMO_OK ? err.message : res.reason);
    elmo_trial_result_clear(&res);
    return -1;
  }
  elmo_trial_result_clear(&res);
  char db[4200];
  snprintf(db, sizeof db, "%s/db", dir);
  r->replay_base = strdup(db);
  return r->replay_base != NULL ? 0 : -1;
}

void elmo_tuner_replay_confirm(tune_run *r) {
  elmo_tune_summary *s = r->sum;
  if (s->replay_state == ELMO_REPLAY_FAILED || r->replay_args[0] == NULL) return;
  if (s->best_index == 0 || !s->confirm.significant) {
    s->replay_state = ELMO_REPLAY_SKIPPED; /* the baseline stays: nothing to confirm */
    return;
  }
  if (replay_base(r) != 0) return;
  elmo_tuner_progress(r, "replay confirmation: the program's trace under the baseline and the best, alternately");
  const char *failed = elmo_tuner_confirm(r, ELMO_RECORD_REPLAY_BEST, ELMO_RECORD_REPLAY_BASE, &s->replay);
  s->replay_state = ELMO_REPLAY_RAN;
  if (s->replay.pairs > 0) return;
  int base_ok = 0; /* the baseline replays but the best does not: the best lost there */
  for (size_t i = 0; i < s->n_records; i++) {
    base_ok += s->records[i].kind == ELMO_RECORD_REPLAY_BASE && s->records[i].result.status == ELMO_TRIAL_OK;
  }
  char why[640];
  snprintf(why, sizeof why, base_ok ? "the best failed on the replay (%.500s)"
                                    : "no replay completed (%.500s); the model alone decides",
           failed ? failed : "interrupted");
  if (!base_ok) {
    replay_failed(r, "%s", why);
    return;
  }
  s->replay.significant = 0;
  free(s->replay.guard);
  s->replay.guard = strdup(why);
}
