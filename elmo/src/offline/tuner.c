/* tuner.c — the offline tuning loop. See tuner.h. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "elmo/advise.h"
#include "elmo/engine.h"
#include "elmo/trial.h"
#include "base/fileio.h"
#include "base/strbuf.h"
#include "tuner_internal.h"
#include "elmo/number.h"

static elmo_rc check_text(void *ctx, const char *text, elmo_error *err) {
  const elmo_engine_services *engine = ctx;
  return engine->check_options_text(text, NULL, err);
}
static elmo_rc check_value(void *ctx, elmo_section s, const char *n, const char *v, elmo_error *err) {
  const elmo_engine_services *engine = ctx;
  return engine->check_value(s, n, v, err);
}

/* ---- setup --------------------------------------------------------------------------------- */

/* The defaults come from the settings table (tune_config.c): a zeroed struct's 0s take them, and
 * a value outside its range stops the run before anything starts. */
static elmo_rc apply_defaults(elmo_tune_config *c, elmo_error *err) {
  elmo_tune_config_fill(c);
  return elmo_tune_config_validate(c, err);
}

static elmo_rc set_locks(tune_run *r) {
  static const char *const kDirect[] = {"use_direct_reads", "use_direct_io_for_flush_and_compaction"};
  r->locks = calloc(r->cfg.n_locks + 2, sizeof *r->locks);
  if (r->locks == NULL) return ELMO_ENOMEM;
  for (size_t i = 0; i < r->cfg.n_locks; i++) r->locks[r->n_locks++] = r->cfg.locks[i];
  for (size_t i = 0; i < 2; i++) r->locks[r->n_locks++] = kDirect[i]; /* the I/O mode is the user's */
  return ELMO_OK;
}

elmo_rc elmo_tuner_adopt_options(const tune_run *r, elmo_optfile *f, elmo_error *err) {
  const char *io = r->cfg.direct_io ? "true" : "false";
  elmo_rc rc = elmo_optfile_complete(f, err);
  if (rc == ELMO_OK) rc = elmo_optfile_set(f, ELMO_SECTION_DB, NULL, "use_direct_reads", io, err);
  if (rc == ELMO_OK) {
    rc = elmo_optfile_set(f, ELMO_SECTION_DB, NULL, "use_direct_io_for_flush_and_compaction", io, err);
  }
  return rc;
}

/* A workload that merges needs a merge operator in every trial; the application's own is code
 * only it has, so trials run with a stand-in (the report names it). */
static elmo_rc set_merge_standin(tune_run *r, elmo_error *err) {
  /* The program's own DB may hold merge operands even when the traced window had no merge. */
  if (!r->workload.facts.merges && !r->replay_merges && r->cfg.base_db == NULL) return ELMO_OK;
  const char *have = elmo_optfile_get(r->baseline, ELMO_SECTION_CF, "default", "merge_operator");
  if (have != NULL && strcmp(have, "nullptr") != 0 && have[0] != '\0') return ELMO_OK;
  const char *standin = r->cfg.merge_operator != NULL && r->cfg.merge_operator[0] != '\0'
                            ? r->cfg.merge_operator : "put";
  elmo_rc rc = elmo_optfile_set(r->baseline, ELMO_SECTION_CF, "default", "merge_operator", standin, err);
  if (rc == ELMO_OK && (r->sum->merge_standin = strdup(standin)) == NULL) rc = ELMO_ENOMEM;
  return rc;
}

/* Whether the workload has operations of a type the user named (before any trial runs, from
 * the workload's facts: an objective or a guard on an operation it never does is a mistake). */
static int workload_has(const elmo_workload_facts *f, const char *histogram) {
  if (strcmp(histogram, "read") == 0) return f->read_fraction > 0;
  if (strcmp(histogram, "seek") == 0) return f->scan_fraction > 0;
  if (strcmp(histogram, "merge") == 0) return f->merges;
  return f->write_fraction > 0; /* write, delete: the facts count them together */
}

static elmo_rc check_op(const tune_run *r, const char *flag, const char *op, elmo_error *err) {
  const char *h = elmo_tune_op_histogram(op);
  if (h == NULL) {
    return elmo_error_set(err, ELMO_EINVAL, "%s%s: not an operation type (get, put, seek, delete, merge, multiget)",
                          flag, op);
  }
  if (!workload_has(&r->workload.facts, h)) {
    return elmo_error_set(err, ELMO_EINVAL, "%s%s: the workload %s has no %s operations", flag, op,
                          r->workload.name, op);
  }
  return ELMO_OK;
}

static elmo_rc set_guard(tune_run *r, elmo_error *err) {
  /* The config's guard_share 0 (after the defaults) guards every type that ran; the guard's own
   * 0 would mean its default. The tolerances are in range (apply_defaults). */
  double share = r->cfg.guard_share == 0 ? DBL_MIN : r->cfg.guard_share;
  elmo_tune_guard g = {r->cfg.protect, r->cfg.n_protect, share, r->cfg.guard_tolerance,
                       r->cfg.guard_p99_tolerance, r->cfg.guard_p99_all, 0};
  r->guard = g;
  for (size_t i = 0; i < r->cfg.n_protect; i++) {
    elmo_rc rc = check_op(r, "--elmo_protect=", r->cfg.protect[i], err);
    if (rc != ELMO_OK) return rc;
  }
  if (r->cfg.objective_op == NULL && r->cfg.objective_unpaced) {
    r->cfg.objective_op = r->workload.facts.unpaced_op;
    /* The paced clients' operations are the program's background load: guarded when protected. */
    if (r->cfg.objective_op != NULL) r->guard.background = r->workload.facts.paced_only_ops;
  }
  r->cfg.objective_unpaced = r->cfg.objective_unpaced && r->cfg.objective_op != NULL;
  if (r->cfg.objective_op == NULL) return ELMO_OK;
  elmo_rc rc = check_op(r, "--elmo_objective=", r->cfg.objective_op, err);
  r->objective_hist = elmo_tune_op_histogram(r->cfg.objective_op);
  return rc;
}

static elmo_rc load_baseline(tune_run *r, elmo_error *err) {
  elmo_rc rc = r->cfg.base_options ? elmo_optfile_load(r->cfg.base_options, &r->baseline, err)
                                   : ((r->baseline = elmo_optfile_create()) ? ELMO_OK : ELMO_ENOMEM);
  if (rc == ELMO_OK) rc = set_merge_standin(r, err);
  if (rc == ELMO_OK) rc = elmo_tuner_adopt_options(r, r->baseline, err);
  if (rc == ELMO_OK && (r->best = elmo_optfile_clone(r->baseline)) == NULL) rc = ELMO_ENOMEM;
  return rc;
}

static elmo_rc open_advisor(tune_run *r, elmo_error *err) {
  char transcript[4096];
  snprintf(transcript, sizeof transcript, "%s/transcript.jsonl", r->cfg.output_dir);
  elmo_llm_config lc = {.spec = r->cfg.llm_spec, .base_url = r->cfg.llm_url, .transcript_path = transcript,
                        .cancel = r->cfg.cancel};
  /* A person (manual: OUTPUT/manual/, stdin) waits without limit, Ctrl-C ends the wait; with a
   * time budget, at most what is left of it for one answer. */
  double left = elmo_tuner_time_left(r);
  if (elmo_llm_spec_is_manual(r->cfg.llm_spec) && !isinf(left)) {
    lc.total_timeout_ms = left > 1 ? (long)(left * 1000) : 1000;
  }
  elmo_rc rc = elmo_llm_create(&lc, &r->llm, err);
  if (rc == ELMO_OK) r->sum->advisor = strdup(elmo_llm_describe(r->llm));
  return rc;
}

/* With rewriting on, every trial runs db_bench's `compact` (a full CompactRange under the trial's
 * OPTIONS file, not measured) before the workload: a read-only workload never rewrites the
 * preloaded files otherwise, and filters, block sizes or compression could not be measured. */
static void plan_rewrite(tune_run *r) {
  r->rewrite = r->base_db != NULL &&
               (r->cfg.rewrite > 0 ||
                (r->cfg.rewrite == 0 && !r->cfg.existing_data && r->workload.facts.write_fraction < 0.5));
}

/* The program's own DB as the base: cloned once (the original is never opened for writing), and
 * the workload reads and writes its keys (--elmo_key_dict). */
static elmo_rc adopt_base_db(tune_run *r, elmo_error *err) {
  char base[4096], db[4200];
  snprintf(base, sizeof base, "%s/base", r->db_dir);
  snprintf(db, sizeof db, "%s/db", base);
  elmo_remove_tree(base);
  elmo_rc rc = elmo_mkdirs(base, err);
  if (rc != ELMO_OK) return rc;
  elmo_tuner_progress(r, "cloning %s into %s", r->cfg.base_db, db);
  rc = elmo_db_clone(r->cfg.base_db, db, err);
  if (rc != ELMO_OK) return rc;
  if ((r->base_db = strdup(db)) == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  size_t i = 0;
  while (r->workload.run_args[i] != NULL) i++;
  if (r->cfg.key_dict != NULL) {
    if (i + 1 >= sizeof r->workload.run_args / sizeof r->workload.run_args[0]) {
      return elmo_error_set(err, ELMO_EINVAL, "too many db_bench arguments");
    }
    size_t n = strlen(r->cfg.key_dict) + 32;
    if ((r->workload.run_args[i] = malloc(n)) == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
    snprintf(r->workload.run_args[i], n, "--elmo_key_dict=%s", r->cfg.key_dict);
  }
  return ELMO_OK;
}

/* The trials' storage (elmo/storage.h), before the baseline: a probe that cannot run is a note in
 * the report, never a failed run. */
static void probe_storage(tune_run *r) {
  elmo_storage_probe *p = &r->sum->storage;
  memset(p, 0, sizeof *p);
  if (!r->cfg.storage_probe) {
    snprintf(p->note, sizeof p->note, "not measured (--elmo_storage_probe=false)");
    return;
  }
  elmo_error err;
  if (elmo_storage_probe_cached(r->db_dir, r->cfg.output_dir, ELMO_TUNE_PROBE_SECONDS, p, &r->sum->storage_cached,
                                &err) != ELMO_OK) {
    memset(p, 0, sizeof *p);
    snprintf(p->note, sizeof p->note, "not measured: %.200s", err.message);
  }
  char text[320];
  elmo_storage_probe_describe(p, text, sizeof text);
  elmo_tuner_progress(r, "storage: %s%s", text, r->sum->storage_cached ? " (cached)" : "");
}

/* Builds the base DB once; every trial starts from a hard-linked copy of it. */
static elmo_rc preload(tune_run *r, elmo_error *err) {
  if (r->cfg.base_db != NULL) return adopt_base_db(r, err);
  if (r->workload.preload_args[0] == NULL) return ELMO_OK;
  char base[4096], opts[4096];
  snprintf(base, sizeof base, "%s/base", r->db_dir);
  snprintf(opts, sizeof opts, "%s/base-options.ini", r->db_dir);
  elmo_rc rc = elmo_optfile_save(r->baseline, opts, err);
  if (rc != ELMO_OK) return rc;
  elmo_tuner_progress(r, "preloading %llu keys into %s", (unsigned long long)r->workload.facts.num_keys, base);
  elmo_trial_spec spec = {.db_bench = r->cfg.db_bench, .args = (const char *const *)r->workload.preload_args,
                          .options_file = opts, .work_dir = base, .timeout_seconds = 3600, .cancel = r->cfg.cancel};
  elmo_trial_result res;
  rc = elmo_trial_run(&spec, &res, err);
  if (rc == ELMO_OK && res.status != ELMO_TRIAL_OK) {
    rc = elmo_error_set(err, ELMO_EIO, "preloading the base DB failed: %s", res.reason);
  }
  elmo_trial_result_clear(&res);
  if (rc == ELMO_OK) {
    char db[4200];
    snprintf(db, sizeof db, "%s/db", base);
    r->base_db = strdup(db);
  }
  return rc;
}

elmo_rc elmo_tune_setup(tune_run *r, const elmo_tune_config *cfg, elmo_tune_summary *out, elmo_error *err) {
  memset(r, 0, sizeof *r);
  r->cfg = *cfg;
  r->sum = out;
  r->t0 = elmo_tuner_now();
  elmo_rc vrc = apply_defaults(&r->cfg, err);
  if (vrc != ELMO_OK) return vrc;
  if (cfg->db_bench == NULL || cfg->workload == NULL || cfg->output_dir == NULL) {
    return elmo_error_set(err, ELMO_EINVAL, "elmotune: db_bench, workload and output_dir are required");
  }
  const elmo_engine_services *engine = cfg->engine;
  if (engine == NULL || engine->check_value == NULL || engine->check_options_text == NULL ||
      engine->catalog == NULL) {
    return elmo_error_set(err, ELMO_EINVAL, "elmotune: the engine's services are required (elmo_engine_builtin())");
  }
  char dbdir[4096];
  snprintf(dbdir, sizeof dbdir, "%s/db", cfg->output_dir);
  r->db_dir = strdup(cfg->db_dir ? cfg->db_dir : dbdir);
  elmo_rc rc = r->db_dir ? elmo_mkdirs(cfg->output_dir, err) : ELMO_ENOMEM;
  if (rc == ELMO_OK) rc = elmo_mkdirs(r->db_dir, err);
  if (rc == ELMO_OK) {
    rc = elmo_tune_config_workload(&r->cfg, &r->workload, err); /* preset or spec */
  }
  if (rc == ELMO_OK) rc = engine->catalog(&r->cat, err);
  if (rc == ELMO_OK) rc = set_locks(r);
  if (rc == ELMO_OK) rc = set_guard(r, err);
  if (rc == ELMO_OK) rc = elmo_tuner_replay_check(r, err);
  if (rc == ELMO_OK) rc = load_baseline(r, err);
  if (rc == ELMO_OK) rc = open_advisor(r, err);
  if (rc == ELMO_OK) probe_storage(r);
  if (rc == ELMO_OK) rc = preload(r, err);
  if (rc == ELMO_OK) plan_rewrite(r);
  out->rewrite = r->rewrite;
  return rc;
}

void elmo_tune_teardown(tune_run *r) {
  elmo_llm_destroy(r->llm);
  elmo_optfile_destroy(r->baseline);
  elmo_optfile_destroy(r->best);
  elmo_workload_clear(&r->workload);
  for (size_t i = 0; i < r->n_changed; i++) free(r->changed[i]);
  free(r->changed);
  free(r->locks);
  free(r->db_dir);
  free(r->base_db);
  free(r->last_rejected);
  free(r->rejected_all);
  for (size_t i = 0; i < sizeof r->replay_args / sizeof r->replay_args[0]; i++) free(r->replay_args[i]);
  free(r->replay_base);
}

/* ---- one advisor round ------------------------------------------------------------------- */

typedef struct round_out {
  elmo_optfile *candidate; /* NULL when nothing usable came back */
  char *changes, *reasoning, *rejected;
  char **names;            /* accepted option names */
  size_t n_names;
} round_out;

static void round_clear(round_out *o) {
  elmo_optfile_destroy(o->candidate);
  free(o->changes);
  free(o->reasoning);
  free(o->rejected);
  for (size_t i = 0; i < o->n_names; i++) free(o->names[i]);
  free(o->names);
  memset(o, 0, sizeof *o);
}

/* buf (freed) with line and a line break after it, or buf itself when out of memory. */
static char *append_line(char *buf, const char *line) {
  elmo_strbuf b = ELMO_STRBUF_INIT;
  elmo_strbuf_append(&b, buf);
  elmo_strbuf_appendf(&b, "%s\n", line);
  char *s = elmo_strbuf_take(&b);
  if (s == NULL) return buf;
  free(buf);
  return s;
}

/* The prose before the answer's first fence, trimmed to a few hundred characters. */
static char *reasoning_of(const char *answer) {
  const char *fence = strstr(answer, "```");
  size_t n = fence ? (size_t)(fence - answer) : strlen(answer);
  if (n > 600) n = 600;
  char *s = strndup(answer, n);
  while (s && n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ')) s[--n] = '\0';
  return s;
}

static void take_verdicts(tune_run *r, const elmo_calibration *c, round_out *o) {
  char line[1024];
  for (size_t i = 0; i < c->count; i++) {
    const elmo_change *ch = &c->changes[i];
    if (ch->verdict == ELMO_VERDICT_ACCEPTED) {
      snprintf(line, sizeof line, "%s: %s -> %s", ch->name, ch->old_value ? ch->old_value : "(default)", ch->value);
      o->changes = append_line(o->changes, line);
      char **n = realloc(o->names, (o->n_names + 1) * sizeof *n);
      if (n != NULL && (n[o->n_names] = strdup(ch->name)) != NULL) o->n_names++;
      if (n != NULL) o->names = n;
    } else if (ch->verdict == ELMO_VERDICT_REJECTED) {
      snprintf(line, sizeof line, "%s=%s: %s", ch->raw_key, ch->raw_value, ch->reason ? ch->reason : "");
      o->rejected = append_line(o->rejected, line);
      if (ch->name != NULL && ch->value != NULL) { /* so the advisor does not propose it again */
        snprintf(line, sizeof line, "%s=%s", ch->name, ch->value);
        r->rejected_all = append_line(r->rejected_all, line);
      }
    }
  }
  free(r->last_rejected);
  r->last_rejected = elmo_calibration_to_json(c);
}

/* Takes a calibrated answer's verdicts; its accepted changes become the candidate so far. */
static void take_calibration(tune_run *r, elmo_calibration *c, elmo_optfile **cur, round_out *o) {
  take_verdicts(r, c, o);
  if (c->n_accepted > 0 && !c->over_budget) {
    elmo_optfile_destroy(*cur);
    *cur = c->merged;
    c->merged = NULL;
  }
}

/* Asks the advisor (one request per chunk, through the advice path of advise.h) and calibrates
 * every answer onto the best config. */
static elmo_rc ask_advisor(tune_run *r, elmo_prompt_kind kind, round_out *o, elmo_error *err) {
  static const char *const kPhase[] = {"tune", "finetune", "drop", "realtime"};
  elmo_prompt_set *set = NULL;
  tuner_facts *facts = NULL;
  elmo_rc rc = elmo_tuner_prompt(r, kind, &set, err);
  if (rc == ELMO_OK && (facts = elmo_tuner_facts_new(r, kPhase[kind])) == NULL) {
    rc = elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  }
  elmo_dataset ds = {r->workload.facts.num_keys, (uint64_t)r->workload.facts.key_bytes,
                     (uint64_t)r->workload.facts.value_bytes, 0};
  elmo_calibrate_policy p = {.locks = r->locks, .n_locks = r->n_locks,
                             .memory_budget = r->cfg.memory_bytes / 4 * 3, .dataset = &ds,
                             .check_value = check_value, .check_text = check_text,
                             .check_ctx = (void *)r->cfg.engine};
  elmo_optfile *cur = elmo_optfile_clone(r->best);
  for (size_t i = 0; rc == ELMO_OK && cur && i < elmo_prompt_set_count(set); i++) {
    size_t n = 0;
    const elmo_message *msgs = elmo_prompt_set_messages(set, i, &n);
    elmo_advice_request req = {elmo_tuner_facts_get(facts), msgs, n < ELMO_ADVISE_MAX_MESSAGES ? n : ELMO_ADVISE_MAX_MESSAGES,
                               r->cat, cur, &p};
    elmo_advice a;
    rc = elmo_advise(&req, r->llm, &a, err);
    if (a.answer != NULL && o->reasoning == NULL) o->reasoning = reasoning_of(a.answer);
    if (rc == ELMO_EPARSE && a.answer != NULL) { /* an answer without options: noted, the round goes on */
      o->rejected = append_line(o->rejected, err->message);
      free(r->last_rejected); /* last round's rejections no longer describe the last answer */
      r->last_rejected = NULL;
      rc = ELMO_OK;
    } else if (rc == ELMO_OK) {
      take_calibration(r, a.calibration, &cur, o);
    }
    elmo_advice_clear(&a);
  }
  if (rc == ELMO_OK && o->changes != NULL) o->candidate = cur; else elmo_optfile_destroy(cur);
  elmo_prompt_set_destroy(set);
  elmo_tuner_facts_free(facts);
  return rc;
}

/* ---- prompts ------------------------------------------------------------------------------ */

static elmo_trial_summary *history(const tune_run *r, size_t *n) {
  const elmo_tune_summary *s = r->sum;
  elmo_trial_summary *h = calloc(s->n_records ? s->n_records : 1, sizeof *h);
  *n = 0;
  for (size_t i = 0; h != NULL && i < s->n_records; i++) {
    const elmo_tune_record *rec = &s->records[i];
    const elmo_trial_metrics *m = &rec->result.metrics;
    elmo_trial_summary *t = &h[(*n)++];
    t->iteration = rec->iteration;
    t->status = elmo_trial_status_name(rec->result.status);
    t->failure = rec->result.status == ELMO_TRIAL_OK ? NULL : rec->result.reason;
    t->ops_per_sec = m->ops_per_sec;
    t->p50_us = m->p50_us, t->p99_us = m->p99_us, t->p999_us = m->p999_us;
    t->cpu_percent = m->cpu_percent;
    t->peak_memory_bytes = m->peak_memory_bytes;
    t->stall_percent = m->stall_percent;
    t->write_amp = m->write_amp;
    t->changes = rec->changes;
    t->reasoning = rec->reasoning;
  }
  return h;
}

static char *telemetry(const tune_run *r) {
  const elmo_tune_record *b = r->sum->n_records ? &r->sum->records[r->sum->best_index] : NULL;
  if (b == NULL) return NULL;
  const elmo_trial_metrics *m = &b->result.metrics;
  static const struct {
    const char *key, *text;
  } kCause[] = {{"l0_files", "too many L0 files"}, {"memtables", "memtables waiting for flush"},
                {"pending_compaction", "pending compaction bytes"}};
  const char *cause = elmo_tune_stall_cause(m), *cause_text = "no stall logged";
  for (size_t i = 0; cause != NULL && i < sizeof kCause / sizeof kCause[0]; i++) {
    if (strcmp(cause, kCause[i].key) == 0) cause_text = kCause[i].text;
  }
  elmo_strbuf t = ELMO_STRBUF_INIT;
  elmo_strbuf_appendf(&t, "Best configuration so far: CPU %.0f%% of the limit, peak memory %.0f MiB, write stalls "
                      "%.1f%% of the time (%s), write amplification %.1f, block cache hit rate ",
                      m->cpu_percent, m->peak_memory_bytes / 1048576.0, m->stall_percent, cause_text, m->write_amp);
  if (m->cache_hit_rate < 0) elmo_strbuf_append(&t, "unknown");
  else elmo_strbuf_appendf(&t, "%.0f%%", m->cache_hit_rate * 100);
  if (m->blocks_per_get >= 0) elmo_strbuf_appendf(&t, ", %.1f data blocks looked up per Get", m->blocks_per_get);
  if (m->compaction_mb_s >= 0) elmo_strbuf_appendf(&t, ", compaction writing %.0f MB/s", m->compaction_mb_s);
  elmo_strbuf_appendf(&t, ", space %.0f MiB.", m->space_bytes / 1048576.0);
  return elmo_strbuf_take(&t);
}

elmo_rc elmo_tuner_prompt(tune_run *r, elmo_prompt_kind kind, elmo_prompt_set **out, elmo_error *err) {
  char *workload = elmo_workload_describe(&r->workload);
  char *tele = telemetry(r);
  size_t n_hist = 0;
  elmo_trial_summary *hist = history(r, &n_hist);
  char storage[320];
  elmo_storage_probe_describe(&r->sum->storage, storage, sizeof storage);
  elmo_system_facts sys = {r->cfg.cpus, r->cfg.memory_bytes, storage, 0,
                           r->sum->storage.measured ? r->sum->storage.write_mb_s : 0,
                           r->cfg.direct_io ? "direct" : "buffered",
                           r->workload.facts.num_keys * (uint64_t)(r->workload.facts.key_bytes + r->workload.facts.value_bytes)};
  elmo_prompt_input in = {.kind = kind, .strategy = r->cfg.strategy, .system = &sys,
                          .workload = workload ? workload : r->workload.description, .catalog = r->cat,
                          .current = r->best, .previous = r->baseline, .history = hist, .n_history = n_hist,
                          .rejected = r->last_rejected, .focus = (const char *const *)r->changed,
                          .n_focus = r->n_changed, .locked = r->locks, .n_locked = r->n_locks,
                          .telemetry = tele,
                          .objective = r->cfg.objective == ELMO_OBJECTIVE_P99 ? "p99 latency"
                                       : r->cfg.objective == ELMO_OBJECTIVE_MIXED ? "throughput and p99 latency"
                                                                                  : "throughput"};
  elmo_rc rc = elmo_prompt_build(&in, out, err);
  free(workload);
  free(tele);
  free(hist);
  return rc;
}

/* ---- the loop ----------------------------------------------------------------------------- */

static int stop_now(tune_run *r, int iteration, int no_gain) {
  const char *why = NULL;
  if (r->cfg.cancel && *r->cfg.cancel) why = "interrupted";
  else if (iteration > r->cfg.iterations) why = "iteration limit";
  else if (!elmo_tuner_room_for(r, 1, 1)) why = "time budget (the rest kept for the confirmation)";
  else if (no_gain >= r->cfg.patience) why = "converged (no significant gain)";
  if (why != NULL && r->sum->stop_reason == NULL) r->sum->stop_reason = strdup(why);
  return why != NULL;
}

static void log_trial(const tune_run *r, const elmo_tune_record *rec) {
  const elmo_trial_metrics *m = &rec->result.metrics;
  if (rec->result.status == ELMO_TRIAL_OK) {
    elmo_tuner_progress(r, "trial %d (%s, round %d): %.0f ops/s, p99 %.0f us, stalls %.1f%%%s",
                        rec->index, elmo_record_kind_name(rec->kind), rec->iteration, m->ops_per_sec,
                        m->p99_us, m->stall_percent, rec->is_best ? "  <- best so far" : "");
  } else {
    elmo_tuner_progress(r, "trial %d (%s, round %d): %s: %s", rec->index, elmo_record_kind_name(rec->kind),
                        rec->iteration, elmo_trial_status_name(rec->result.status), rec->result.reason);
  }
}

static void set_focus(tune_run *r, round_out *o) {
  for (size_t i = 0; i < r->n_changed; i++) free(r->changed[i]);
  free(r->changed);
  r->changed = o->names;
  r->n_changed = o->n_names;
  o->names = NULL;
  o->n_names = 0;
}

/* Measures f (the best when of_best, else the candidate) again as a recheck of trial `of`; its
 * score, or -1 when the run failed. */
static double measure_again(tune_run *r, const elmo_optfile *f, int of_best, int iteration, int of, size_t *index) {
  elmo_tune_record *rec = elmo_tuner_trial(r, f, ELMO_RECORD_RECHECK, iteration, 0);
  if (rec == NULL) return -1;
  rec->recheck_of_best = of_best;
  char note[128];
  snprintf(note, sizeof note, "re-measure of %s (trial #%d)", of_best ? "the best" : "the candidate", of);
  rec->changes = strdup(note);
  log_trial(r, rec);
  if (rec->result.status != ELMO_TRIAL_OK) return -1;
  rec->score = elmo_tuner_score(r, &rec->result.metrics, &r->sum->records[0].result.metrics);
  *index = (size_t)rec->index;
  return rec->score;
}

/* A close call (the candidate's first run within recheck_band of the best's mean) is not decided
 * on that run. The best and the candidate run recheck_pairs more times, alternately (the best,
 * then the candidate), and the geometric mean of the paired ratios decides: a drift of the
 * machine during the round hits both alike, and the candidate is not held against the best's
 * first run, which may carry the luck that made it the best. The candidate's record carries the
 * mean of all its runs; the best's mean absorbs its new runs. Clear wins and losses are decided
 * on one run; the final confirmation guards the result either way. */
typedef struct close_call {
  int decided;  /* 1: a close call, decided by the pairs */
  int better;   /* the pairs' verdict */
  int runs;     /* the candidate's runs, the first included */
  int pairs;    /* pairs where both ran */
  double ratio; /* geometric mean of candidate/best over the pairs */
  /* The records of each side's runs (the first ones included), for the guard. */
  size_t cand_at[1 + ELMO_TUNE_RECHECK_MAX_PAIRS], best_at[1 + ELMO_TUNE_RECHECK_MAX_PAIRS];
  size_t n_cand, n_best;
} close_call;

static int recheck_pairs(const tune_run *r) { return r->cfg.recheck_pairs; /* in range: apply_defaults */ }

static close_call recheck_close_call(tune_run *r, size_t cand, const elmo_optfile *candidate, int iteration) {
  close_call cc = {.runs = 1, .ratio = 1, .cand_at = {cand}, .n_cand = 1,
                   .best_at = {(size_t)r->sum->best_index}, .n_best = 1};
  double band = r->cfg.recheck_band, first = r->sum->records[cand].score;
  if (band <= 0 || r->sum->records[cand].result.status != ELMO_TRIAL_OK || r->best_score <= 0) return cc;
  double ratio = first / r->best_score;
  if (ratio < 1 - band || ratio > 1 + band) return cc;
  log_trial(r, &r->sum->records[cand]);
  int pairs = recheck_pairs(r), best_index = r->sum->best_index;
  elmo_tuner_progress(r, "trial %d is within %.0f%% of the best: %d pairs of runs (the best, then the candidate) decide",
                      (int)cand, band * 100, pairs);
  double d[ELMO_TUNE_RECHECK_MAX_PAIRS], sum = first;
  int failed = 0;
  for (int i = 0; i < pairs && !failed && !(r->cfg.cancel && *r->cfg.cancel); i++) {
    if (!elmo_tuner_room_for(r, 2, 1)) {
      elmo_tuner_budget_cut(r, "trial %d's recheck: %d of %d pairs ran", (int)cand, i, pairs);
      if (i == 0) failed = 1; /* undecided: the best stays */
      break;
    }
    double b = measure_again(r, r->best, 1, iteration, best_index, &cc.best_at[cc.n_best]);
    if (b >= 0) {
      r->best_score = (r->best_score * r->best_runs + b) / (r->best_runs + 1);
      r->best_runs++;
      cc.n_best++;
    }
    double c = measure_again(r, candidate, 0, iteration, (int)cand, &cc.cand_at[cc.n_cand]);
    if (c < 0) failed = 1; /* a failed re-run disqualifies */
    else sum += c, cc.runs++, cc.n_cand++;
    if (b > 0 && c > 0) d[cc.pairs++] = log(c / b);
  }
  r->sum->records[cand].score = failed ? 0 : sum / cc.runs;
  cc.decided = 1;
  cc.better = !failed && elmo_tune_close_call(d, (size_t)cc.pairs, r->cfg.min_gain, &cc.ratio);
  r->sum->records[cand].close_call_pairs = cc.pairs > 0 ? cc.pairs : -1; /* -1: decided, no pair ran */
  r->sum->records[cand].close_call_ratio = cc.ratio;
  return cc;
}

/* The runs at records at[0..n) as one (elmo_tune_pool_runs). */
static void pool_records(const tune_run *r, const size_t *at, size_t n, elmo_trial_metrics *out) {
  const elmo_trial_metrics *runs[1 + ELMO_TUNE_RECHECK_MAX_PAIRS];
  for (size_t i = 0; i < n; i++) runs[i] = &r->sum->records[at[i]].result.metrics;
  elmo_tune_pool_runs(runs, n, out);
}

/* The per-operation guard: a candidate that wins on the objective must not slow down an
 * operation type that matters, against the best nor against the baseline (so small losses do
 * not add up over rounds). A close call is judged on all the runs of each side (one run's p99 is
 * one burst of stalls away from another's). When it fails, the record says why. */
static int guard_passes(tune_run *r, elmo_tune_record *rec, const close_call *cc) {
  elmo_trial_metrics cand, best;
  pool_records(r, cc->cand_at, cc->decided ? cc->n_cand : 1, &cand);
  pool_records(r, cc->best_at, cc->decided ? cc->n_best : 1, &best);
  const elmo_trial_metrics *refs[] = {&best, &r->sum->records[0].result.metrics};
  char why[256], note[320];
  for (size_t i = 0; i < 2; i++) {
    if (elmo_tune_guard_check(&r->guard, &cand, refs[i], why, sizeof why)) continue;
    snprintf(note, sizeof note, "%s (against %s%s)", why, i == 0 ? "the best" : "the baseline",
             cc->decided && i == 0 ? ", over all their runs" : "");
    free(rec->guard);
    rec->guard = strdup(note);
    elmo_tuner_progress(r, "trial %d wins on the objective but the guard turns it down: %s", rec->index, note);
    return 0;
  }
  return 1;
}

/* One round: advisor -> calibrator -> trial. Returns 1 when the candidate beat the best. */
static int round_once(tune_run *r, elmo_prompt_kind kind, int iteration, elmo_error *err) {
  round_out o;
  memset(&o, 0, sizeof o);
  elmo_rc rc = ask_advisor(r, kind, &o, err);
  if (rc != ELMO_OK || o.candidate == NULL) {
    char note[1024];
    snprintf(note, sizeof note, "round %d (%s): no trial: %s", iteration,
             kind == ELMO_PROMPT_FINETUNE ? "fine-tune" : kind == ELMO_PROMPT_DROP ? "after a drop" : "tune",
             rc != ELMO_OK ? err->message : o.rejected ? o.rejected : "the advisor proposed no usable change");
    size_t len = strlen(note);
    while (len > 0 && note[len - 1] == '\n') note[--len] = '\0';
    for (char *p = note; *p; p++) if (*p == '\n') *p = ';';
    r->sum->notes = append_line(r->sum->notes, note);
    elmo_tuner_progress(r, "%s", note);
    round_clear(&o);
    return -1;
  }
  const elmo_tune_record *best = &r->sum->records[r->sum->best_index];
  /* The flagger reads interval throughput, which a rewrite's compaction (no operations) would
   * trip: with rewriting on, trials run to the end. */
  double threshold = r->cfg.objective == ELMO_OBJECTIVE_THROUGHPUT && !r->rewrite
                         ? best->result.metrics.ops_per_sec * r->cfg.flag_ratio
                         : 0;
  elmo_tune_record *rec = elmo_tuner_trial(r, o.candidate, kind == ELMO_PROMPT_FINETUNE ? ELMO_RECORD_FINETUNE : ELMO_RECORD_TUNE,
                                           iteration, threshold);
  if (rec == NULL) {
    round_clear(&o);
    return -1;
  }
  rec->changes = o.changes, rec->reasoning = o.reasoning, rec->rejected = o.rejected;
  o.changes = o.reasoning = o.rejected = NULL;
  rec->score = rec->result.status == ELMO_TRIAL_OK
                   ? elmo_tuner_score(r, &rec->result.metrics, &r->sum->records[0].result.metrics)
                   : 0;
  size_t cand = (size_t)rec->index;
  close_call cc = recheck_close_call(r, cand, o.candidate, iteration);
  rec = &r->sum->records[cand];
  double prev_best = r->best_score;
  int better = rec->result.status == ELMO_TRIAL_OK &&
               (cc.decided ? cc.better : rec->score > prev_best * (1 + r->cfg.min_gain));
  if (better) better = guard_passes(r, rec, &cc);
  set_focus(r, &o);
  if (better) {
    r->sum->records[r->sum->best_index].is_best = 0;
    rec->is_best = 1;
    rec->became_best = 1;
    r->sum->best_index = rec->index;
    r->best_score = rec->score;
    r->best_runs = cc.runs;
    elmo_optfile_destroy(r->best);
    r->best = o.candidate;
    o.candidate = NULL;
  }
  if (!cc.decided) {
    log_trial(r, rec);
  } else {
    elmo_tuner_progress(r, "trial %d: candidate/best %.3f over %d pairs (geometric mean; mean of its %d runs %.4g, "
                        "the best's %.4g): %s", rec->index, cc.ratio, cc.pairs, cc.runs, rec->score, prev_best,
                        better ? "new best  <- best so far" : "not better");
  }
  round_clear(&o);
  return better;
}

/* A round's error (advisor down, unparsable answer) is logged and the loop goes on: it lands in a
 * local error, never in the caller's, which may be NULL and must stay clean on ELMO_OK. */
static void loop(tune_run *r) {
  elmo_error round_err = {ELMO_OK, ""};
  elmo_error *err = &round_err;
  int no_gain = 0;
  elmo_prompt_kind next = ELMO_PROMPT_TUNE;
  for (int iteration = 1; !stop_now(r, iteration, no_gain); iteration++) {
    int better = round_once(r, next, iteration, err);
    if (better > 0) {
      no_gain = 0;
      for (int f = 0; f < r->cfg.finetune_rounds && r->n_changed > 0 && !stop_now(r, iteration, 0); f++) {
        if (round_once(r, ELMO_PROMPT_FINETUNE, iteration, err) <= 0) break;
      }
      next = ELMO_PROMPT_TUNE;
    } else {
      no_gain++;
      const elmo_tune_record *last = &r->sum->records[r->sum->n_records - 1];
      next = (better == 0 && last->result.status == ELMO_TRIAL_ABORTED && r->n_changed > 0) ? ELMO_PROMPT_DROP
                                                                                           : ELMO_PROMPT_TUNE;
    }
  }
}

static elmo_rc write_best(tune_run *r, elmo_error *err) {
  char path[4096], probe[4096];
  snprintf(path, sizeof path, "%s/best.ini", r->cfg.output_dir);
  snprintf(probe, sizeof probe, "%s/best-probe", r->db_dir);
  elmo_optfile *best = elmo_optfile_clone(r->sum->shipped_best ? r->best : r->baseline);
  if (best == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  /* The merge stand-in was the trials' only: a program loading best.ini must keep its own. */
  if (r->sum->merge_standin != NULL) elmo_optfile_unset(best, ELMO_SECTION_CF, "default", "merge_operator");
  char *text = elmo_optfile_format(best);
  elmo_rc rc = text ? r->cfg.engine->check_options_text(text, probe, err) : ELMO_ENOMEM;
  free(text);
  if (rc == ELMO_OK) rc = elmo_optfile_save(best, path, err);
  if (rc == ELMO_OK) r->sum->best_options_path = strdup(path);
  elmo_optfile_destroy(best);
  return rc;
}

elmo_rc elmo_tune_run(const elmo_tune_config *cfg, elmo_tune_summary *out, elmo_error *err) {
  if (out == NULL || cfg == NULL) return elmo_error_set(err, ELMO_EINVAL, "tune_run: NULL argument");
  memset(out, 0, sizeof *out);
  tune_run r;
  elmo_rc rc = elmo_tune_setup(&r, cfg, out, err);
  if (rc == ELMO_OK) {
    elmo_tuner_progress(&r, "advisor: %s; workload %s; limits: %d CPUs, %.0f MiB (%s)", out->advisor,
                        r.workload.name, r.cfg.cpus, r.cfg.memory_bytes / 1048576.0, elmo_trial_limits_available());
    elmo_tune_record *base = elmo_tuner_trial(&r, r.baseline, ELMO_RECORD_BASELINE, 0, 0);
    if (base != NULL && r.cfg.cancel != NULL && *r.cfg.cancel) {
      out->stop_reason = strdup("interrupted"); /* Ctrl-C during the baseline: report what ran */
    } else if (base == NULL || base->result.status != ELMO_TRIAL_OK) {
      rc = elmo_error_set(err, ELMO_EIO, "the baseline trial failed: %s", base ? base->result.reason : "out of memory");
    } else {
      base->score = elmo_tuner_score(&r, &base->result.metrics, &base->result.metrics);
      base->is_best = 1;
      base->became_best = 1;
      r.best_score = base->score;
      r.best_runs = 1;
      out->limits_method = strdup(base->result.limits_method);
      log_trial(&r, base);
      loop(&r);
      elmo_tuner_confirm(&r, ELMO_RECORD_CONFIRM_BEST, ELMO_RECORD_CONFIRM_BASE, &out->confirm);
      elmo_tuner_replay_confirm(&r);
      out->shipped_best = elmo_tune_ship_best(out);
      elmo_tuner_migration(&r);
      rc = write_best(&r, err);
      if (rc == ELMO_OK) elmo_tuner_write_playbook(&r);
    }
  }
  if (rc == ELMO_OK || out->n_records > 0) {
    out->wall_seconds = elmo_tuner_now() - r.t0;
    if (out->stop_reason == NULL) out->stop_reason = strdup(rc == ELMO_OK ? "done" : "failed");
    elmo_error rerr;
    if (elmo_report_write(&r.cfg, out, &rerr) != ELMO_OK && rc == ELMO_OK) {
      rc = elmo_error_set(err, rerr.code, "%s", rerr.message);
    }
  }
  elmo_tune_teardown(&r);
  return rc;
}

void elmo_tune_summary_clear(elmo_tune_summary *s) {
  if (s == NULL) return;
  for (size_t i = 0; i < s->n_records; i++) {
    elmo_tune_record *rec = &s->records[i];
    free(rec->options_path);
    free(rec->changes);
    free(rec->reasoning);
    free(rec->rejected);
    free(rec->guard);
    elmo_trial_result_clear(&rec->result);
  }
  free(s->records);
  free(s->best_options_path);
  free(s->stop_reason);
  free(s->advisor);
  free(s->merge_standin);
  free(s->limits_method);
  free(s->notes);
  free(s->budget_cuts);
  free(s->confirm.guard);
  free(s->replay.guard);
  free(s->replay_note);
  free(s->migration_changes);
  free(s->migration.guard);
  memset(s, 0, sizeof *s);
}
