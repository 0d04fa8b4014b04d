/* report_md.c — report.md: what was tuned, under which limits, every trial, and the verdict. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elmo/optfile.h"
#include "elmo/tuner.h"
#include "elmo/value.h"
#include "report_internal.h"
#include "elmo/number.h"

#define MAX_CELL_CHANGES 6 /* change lines shown in one table cell; the rest are counted */

/* An integer with thousands separators: 1234567 -> "1,234,567"; "-" when not finite. */
static char *fmt_count(double v, char *buf, size_t n) {
  if (!isfinite(v) || fabs(v) >= 1e18) {
    snprintf(buf, n, "-");
    return buf;
  }
  char digits[32];
  long long x = llround(fabs(v));
  int len = snprintf(digits, sizeof digits, "%lld", x);
  size_t o = 0;
  if (v < 0 && x != 0 && o + 1 < n) buf[o++] = '-';
  for (int i = 0; i < len && o + 2 < n; i++) {
    if (i > 0 && (len - i) % 3 == 0) buf[o++] = ',';
    buf[o++] = digits[i];
  }
  buf[o] = '\0';
  return buf;
}

/* A measured amount: whole numbers with separators from 100 up, 3 significant digits below. */
static char *fmt_amount(double v, char *buf, size_t n) {
  if (isfinite(v) && fabs(v) < 100.0) {
    elmo_number_snprintf(buf, n, "%.3g", v);
    return buf;
  }
  return fmt_count(v, buf, n);
}

/* "+12.3%" */
static char *fmt_pct(double fraction, char *buf, size_t n) {
  elmo_number_snprintf(buf, n, "%+.1f%%", fraction * 100.0);
  return buf;
}

/* The unit of the confirmation means: the objective's score (see elmo_tune_score). */
static const char *confirm_unit(elmo_objective o) {
  return o == ELMO_OBJECTIVE_THROUGHPUT ? "ops/s"
         : o == ELMO_OBJECTIVE_P99      ? "(score: 10^6 / p99 \xC2\xB5s)"
                                        : "(score: weighted gains, baseline = 1)";
}

static int is_builtin(const char *spec) { return spec == NULL || strncmp(spec, "builtin", 7) == 0; }

static void put_title(FILE *f, const elmo_tune_config *cfg, const elmo_tune_summary *s,
                      const report_settings *set) {
  fputs("# ELMo tuning report: ", f);
  elmo_report_put(f, cfg->workload ? cfg->workload : "(unnamed workload)", REPORT_ESC_TEXT);
  fputs("\n\n**Advisor:** ", f);
  elmo_report_put(f, s->advisor ? s->advisor : set->llm_spec, REPORT_ESC_TEXT);
  if (is_builtin(set->llm_spec) &&
      (s->advisor == NULL || strstr(s->advisor, "not an LLM") == NULL)) {
    fputs(" (the built-in rule-based expert, not an LLM)", f);
  }
  fputs("\n\n", f);
}

/* One line with the outcome: counts per status and the best trial. */
static void put_overview(FILE *f, const elmo_tune_summary *s) {
  size_t count[ELMO_TRIAL_ABORTED + 1] = {0};
  for (size_t i = 0; i < s->n_records; i++) {
    if ((unsigned)s->records[i].result.status <= ELMO_TRIAL_ABORTED)
      count[s->records[i].result.status]++;
  }
  fprintf(f, "**Trials:** %zu (%zu ok", s->n_records, count[ELMO_TRIAL_OK]);
  for (int st = ELMO_TRIAL_FAILED; st <= ELMO_TRIAL_ABORTED; st++) {
    if (count[st] > 0)
      fprintf(f, ", %zu %s", count[st], elmo_trial_status_name((elmo_trial_status)st));
  }
  const elmo_tune_record *best = elmo_report_best(s);
  fputs(").", f);
  if (best != NULL) {
    fprintf(f, " **Best:** trial #%d (%s).", best->index, elmo_record_kind_name(best->kind));
  }
  if (s->stop_reason != NULL) {
    fputs(" **Stopped:** ", f);
    elmo_report_put(f, s->stop_reason, REPORT_ESC_TEXT);
    fputs(".", f);
  }
  fputs("\n\n", f);
}

static void put_limits(FILE *f, const elmo_tune_config *cfg, const elmo_tune_summary *s) {
  char buf[32];
  if (cfg->cpus > 0) {
    fprintf(f, "- **CPU limit:** %d CPU%s\n", cfg->cpus, cfg->cpus == 1 ? "" : "s");
  } else {
    fputs("- **CPU limit:** none (all CPUs)\n", f);
  }
  fprintf(f, "- **Memory limit:** %s\n",
          cfg->memory_bytes ? elmo_value_format_bytes(cfg->memory_bytes, buf, sizeof buf) : "none");
  fputs("- **Limits enforced by:** ", f);
  elmo_report_put(f, s->limits_method && s->limits_method[0] ? s->limits_method : "(not reported)",
                  REPORT_ESC_TEXT);
  char storage[320];
  elmo_storage_probe_describe(&s->storage, storage, sizeof storage);
  fputs("\n- **Storage:** ", f);
  elmo_report_put(f, storage, REPORT_ESC_TEXT);
  if (s->storage_cached) fputs(" (the probe cached in this directory)", f);
  fprintf(f, "\n- **I/O:** %s\n",
          cfg->direct_io ? "direct I/O for reads and for flush/compaction writes (no page cache)"
                         : "buffered I/O (through the OS page cache)");
  fprintf(f, "- **Data layout:** %s\n",
          s->rewrite ? "every trial first compacts the preloaded data under its own OPTIONS file "
                       "(db_bench `compact`, not measured; the flagger judges only what follows), so "
                       "file-format options take effect"
                     : "each trial runs on the data as it was loaded or as its workload writes it");
}

static void put_dataset(FILE *f, const elmo_tune_config *cfg, const report_settings *set) {
  char keys[32];
  if (cfg->base_db != NULL) {
    fputs("- **Dataset:** the program's own DB `", f);
    elmo_report_put(f, cfg->base_db, REPORT_ESC_TEXT);
    fputs("`, cloned for every trial (never opened for writing); the workload runs on its keys (`", f);
    elmo_report_put(f, cfg->key_dict != NULL ? cfg->key_dict : "", REPORT_ESC_TEXT);
    fputs("`)\n", f);
  } else if (set->num_keys > 0) {
    fprintf(f, "- **Dataset:** %s keys, %d-byte keys, %d-byte values%s\n",
            fmt_count((double)set->num_keys, keys, sizeof keys), set->key_bytes, set->value_bytes,
            set->spec ? " (the spec's means)" : "");
  } else {
    fputs("- **Dataset:** unknown (the workload could not be opened again for the report)\n", f);
  }
  if (set->threads > 0) {
    fprintf(f, "- **Client threads:** %s%d\n", set->spec ? "up to " : "", set->threads);
  }
  if (set->read_percent >= 0) {
    fprintf(f, "- **Read percent:** %d%% of the operations are reads, %d%% writes\n", set->read_percent,
            100 - set->read_percent);
  }
}

static void put_objective(FILE *f, const elmo_tune_config *cfg, const report_settings *set) {
  if (cfg->objective_op != NULL) {
    fputs("- **Objective measured on:** the `", f);
    elmo_report_put(f, cfg->objective_op, REPORT_ESC_TEXT);
    fputs(cfg->objective_unpaced ? "` operations only: those of the clients that run as fast as "
                                   "they can, while the others (a background writer) run at the "
                                   "rate the trace measured, their operations guarded only when "
                                   "--elmo_protect names them (--elmo_objective chooses another)\n"
                                 : "` operations only\n", f);
  }
  if (set->guard_share >= 0) {
    elmo_number_fprintf(f, "- **Per-operation guard:** a candidate is turned down when an operation type with %.0f%% or "
            "more of the operations or of the time", set->guard_share * 100);
  } else {
    fputs("- **Per-operation guard:** a candidate is turned down when an operation type guarded by its share "
          "(none: --elmo_guard_share is negative)", f);
  }
  for (size_t i = 0; i < cfg->n_protect && cfg->protect != NULL; i++) {
    fputs(i == 0 ? ", or one named by --elmo_protect (`" : ", `", f);
    elmo_report_put(f, cfg->protect[i], REPORT_ESC_TEXT);
    fputs(i + 1 == cfg->n_protect ? "`)" : "`", f);
  }
  elmo_number_fprintf(f, ", loses more than %.0f%% of its ops/s, or when the p99 of a protected type%s rises more than "
          "%.0f%%, against the best or the baseline\n",
          set->guard_tolerance * 100,
          cfg->guard_p99_all ? " (of any guarded type: --elmo_guard_p99_all)" : "",
          set->guard_p99_tolerance * 100);
  switch (cfg->objective) {
    case ELMO_OBJECTIVE_THROUGHPUT:
      fputs("- **Objective:** throughput (ops/s, higher is better)\n", f);
      break;
    case ELMO_OBJECTIVE_P99: fputs("- **Objective:** p99 latency (lower is better)\n", f); break;
    default:
      elmo_number_fprintf(f, "- **Objective:** mixed: %.0f%% p99 latency gain, %.0f%% throughput gain\n",
              set->p99_weight * 100.0, (1.0 - set->p99_weight) * 100.0);
  }
}

static void put_conditions(FILE *f, const elmo_tune_config *cfg, const elmo_tune_summary *s,
                           const report_settings *set) {
  fputs("## Conditions\n\n- **Workload:** `", f);
  elmo_report_put(f, cfg->workload ? cfg->workload : "", REPORT_ESC_TEXT);
  fputs("`", f);
  const char *about = set->workload_description;
  size_t n = cfg->workload ? strlen(cfg->workload) : 0;
  if (n > 0 && strncmp(about, cfg->workload, n) == 0 && strncmp(about + n, ": ", 2) == 0)
    about += n + 2;
  if (about[0]) {
    fputs(": ", f);
    elmo_report_put(f, about, REPORT_ESC_TEXT);
  }
  fputs("\n", f);
  put_dataset(f, cfg, set);
  elmo_number_fprintf(f, "- **Trial length:** %g s measured after a %g s warm-up\n", set->trial_seconds,
          set->warmup_seconds);
  put_limits(f, cfg, s);
  put_objective(f, cfg, set);
  fputs("- **Base options:** ", f);
  elmo_report_put(f, cfg->base_options ? cfg->base_options : "RocksDB's defaults", REPORT_ESC_TEXT);
  if (s->merge_standin != NULL) {
    fputs("\n- **Merge operator:** the workload merges and the application's own merge operator is "
          "not available here: every trial used the stand-in `", f);
    elmo_report_put(f, s->merge_standin, REPORT_ESC_TEXT);
    fputs("` (give the closest one with `--merge_operator`)", f);
  }
  elmo_number_fprintf(f,
          "\n- **Loop:** up to %d iterations, prompt strategy %s, %d fine-tune round(s), "
          "patience %d, minimum gain %.1f%%, %d confirmation runs each",
          set->iterations, elmo_prompt_strategy_name(set->strategy), set->finetune_rounds,
          set->patience, set->min_gain * 100.0, set->confirm_runs);
  if (set->recheck_band > 0) {
    elmo_number_fprintf(f, "; a candidate within %.0f%% of the best is measured again, %d time(s) alternately "
               "with the best (`recheck` trials), and the geometric mean of the paired ratios decides",
            set->recheck_band * 100.0, set->recheck_pairs);
  }
  fputs("\n", f);
  fputs("- **Locked options:** ", f);
  for (size_t i = 0; i < cfg->n_locks && cfg->locks != NULL; i++) {
    fputs(i ? ", `" : "`", f);
    elmo_report_put(f, cfg->locks[i], REPORT_ESC_TEXT);
    fputs("`", f);
  }
  elmo_number_fprintf(f, "%s\n- **Wall time:** %.0f s\n\n", cfg->n_locks ? "" : "none", s->wall_seconds);
}

/* The first MAX_CELL_CHANGES lines of changes, <br>-joined, escaped for a table cell. */
static void put_changes_cell(FILE *f, const char *changes) {
  size_t shown = 0, more = 0;
  for (const char *p = changes; p != NULL && *p != '\0';) {
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) : strlen(p);
    if (len > 0 && shown < MAX_CELL_CHANGES) {
      char *line = malloc(len + 1);
      if (line != NULL) {
        memcpy(line, p, len);
        line[len] = '\0';
        fputs(shown ? "<br>" : "", f);
        elmo_report_put(f, line, REPORT_ESC_CELL);
        free(line);
      }
      shown++;
    } else if (len > 0) {
      more++;
    }
    p = nl ? nl + 1 : p + len;
  }
  if (more > 0) fprintf(f, "<br>(+%zu more)", more);
  if (shown == 0 && more == 0) fputs("-", f);
}

static size_t count_lines(const char *text) {
  size_t n = 0;
  for (const char *p = text; p != NULL && *p != '\0'; p++) {
    if (*p != '\n' && (p[1] == '\n' || p[1] == '\0')) n++;
  }
  return n;
}

static void put_notes_cell(FILE *f, const elmo_tune_record *r) {
  const char *sep = "";
  if (r->is_best) {
    fputs("**best**", f);
    sep = "; ";
  }
  if (r->result.status != ELMO_TRIAL_OK) {
    fputs(sep, f);
    elmo_report_put(f, r->result.reason[0] ? r->result.reason : "(no reason recorded)",
                    REPORT_ESC_CELL);
    sep = "; ";
  }
  if (r->close_call_pairs != 0) {
    elmo_number_fprintf(f, "%sclose call: %.3f of the best over %d paired rechecks", sep, r->close_call_ratio,
            r->close_call_pairs > 0 ? r->close_call_pairs : 0);
    sep = "; ";
  }
  if (r->guard != NULL) {
    fputs(sep, f);
    fputs("turned down by the per-operation guard: ", f);
    elmo_report_put(f, r->guard, REPORT_ESC_CELL);
    sep = "; ";
  }
  size_t rejected = count_lines(r->rejected);
  if (rejected > 0) {
    fprintf(f, "%s%zu change(s) rejected by the calibrator", sep, rejected);
    sep = "; ";
  }
  if (*sep == '\0') fputs("-", f);
}

static void put_trials(FILE *f, const elmo_tune_summary *s) {
  char ops[32], p99[32];
  fputs(
      "## Trials\n\n| # | kind | iteration | status | ops/s | p99 \xC2\xB5s | changes | reason / "
      "notes |\n"
      "|---:|---|---:|---|---:|---:|---|---|\n",
      f);
  for (size_t i = 0; i < s->n_records; i++) {
    const elmo_tune_record *r = &s->records[i];
    const elmo_trial_metrics *m = &r->result.metrics;
    int ok = r->result.status == ELMO_TRIAL_OK;
    fmt_count(ok ? m->ops_per_sec : NAN, ops, sizeof ops);
    elmo_number_snprintf(p99, sizeof p99, ok && isfinite(m->p99_us) ? "%.1f" : "-", m->p99_us);
    fprintf(f, "| %d | %s | %d | %s%s%s | %s | %s | ", r->index, elmo_record_kind_name(r->kind),
            r->iteration, ok ? "" : "**", elmo_trial_status_name(r->result.status), ok ? "" : "**",
            ops, p99);
    put_changes_cell(f, r->changes);
    fputs(" | ", f);
    put_notes_cell(f, r);
    fputs(" |\n", f);
  }
  fputs("\n", f);
}

static void count_confirm(const elmo_tune_summary *s, elmo_record_kind best_kind, int *best, int *base,
                          int *failed) {
  elmo_record_kind base_kind = best_kind == ELMO_RECORD_CONFIRM_BEST ? ELMO_RECORD_CONFIRM_BASE : ELMO_RECORD_REPLAY_BASE;
  *best = *base = *failed = 0;
  for (size_t i = 0; i < s->n_records; i++) {
    const elmo_tune_record *r = &s->records[i];
    if (r->kind != best_kind && r->kind != base_kind) continue;
    *(r->kind == best_kind ? best : base) += 1;
    *failed += r->result.status != ELMO_TRIAL_OK;
  }
}

/* One confirmation's runs, figures and test; what = "model" or "replay". Returns 0 when no runs
 * were made. */
static int put_one_confirmation(FILE *f, const elmo_tune_config *cfg, const elmo_tune_summary *s,
                                const elmo_tune_confirmation *c, elmo_record_kind best_kind) {
  int n_best, n_base, n_failed;
  char a[32], b[32], cc[32], d[32], verdict[512];
  count_confirm(s, best_kind, &n_best, &n_base, &n_failed);
  if (n_best == 0 || n_base == 0) return 0;
  const char *unit = confirm_unit(cfg->objective);
  if (n_best == n_base) {
    fprintf(f, "Best vs baseline re-run alternately %d times each: ", n_best);
  } else {
    fprintf(f, "Best (%d runs) vs baseline (%d runs) re-run alternately: ", n_best, n_base);
  }
  fprintf(f, "best %s \xC2\xB1 %s %s, baseline %s \xC2\xB1 %s %s.\n\n",
          fmt_amount(c->best_mean, a, sizeof a), fmt_amount(c->best_stdev, b, sizeof b), unit,
          fmt_amount(c->base_mean, cc, sizeof cc), fmt_amount(c->base_stdev, d, sizeof d), unit);
  elmo_tune_confirmation_text(c, verdict, sizeof verdict);
  fputs("**Gain: ", f);
  elmo_report_put(f, verdict, REPORT_ESC_TEXT);
  fputs(".**\n\n", f);
  if (c->pairs > 0) {
    elmo_number_fprintf(f, "The estimate is the mean of log(best/baseline) over the pairs%s; its standard error "
                        "comes from %s%s (%.0f degrees of freedom): t = %.2f, one-sided p = %.4f against the look's "
                        "level %.4f (group-sequential over %d planned look(s), %.2f overall).\n\n",
                        c->batches > 1 ? " and their per-second batches (each run split in equal parts)" : "",
                        c->aa_rows > 0 ? "the first confirmation run of the baseline against its baseline trial and "
                                         : "",
                        c->within_only ? "nothing: one pair, and no repeat of the baseline to show the run-to-run spread"
                        : c->pooled ? "the batches and the runs pooled (the runs differ no more than the batches within a run)"
                        : "the spread between the runs",
                        c->df, c->t, c->p, c->alpha, c->looks, ELMO_TUNE_CONFIRM_ALPHA);
  }
  if (c->guard != NULL) {
    fputs("The per-operation guard **fails** the best against the baseline: ", f);
    elmo_report_put(f, c->guard, REPORT_ESC_TEXT);
    fputs(".\n\n", f);
  }
  if (n_failed > 0) fprintf(f, "%d run(s) did not complete (see the table).\n\n", n_failed);
  return 1;
}

static void put_replay(FILE *f, const elmo_tune_config *cfg, const elmo_tune_summary *s) {
  if (s->replay_state == ELMO_REPLAY_NONE) return;
  fputs("### On the program's own operations (replay of its trace)\n\n", f);
  if (s->replay_state == ELMO_REPLAY_SKIPPED) {
    fputs("Not run: the model confirmed no gain, so there was nothing to check.\n\n", f);
    return;
  }
  if (s->replay_state == ELMO_REPLAY_FAILED) {
    fputs("**Could not run**, so the model alone decided: ", f);
    elmo_report_put(f, s->replay_note ? s->replay_note : "(no reason recorded)", REPORT_ESC_TEXT);
    fputs(".\n\n", f);
    return;
  }
  fputs("The trace replayed as fast as possible (`db_bench --benchmarks=elmoreplay`) on ", f);
  fputs(cfg->base_db != NULL ? "clones of the program's own DB" : "a DB holding every key the trace touches", f);
  fputs(", as the data is (never rewritten for a candidate).\n\n", f);
  if (!put_one_confirmation(f, cfg, s, &s->replay, ELMO_RECORD_REPLAY_BEST) && s->replay.guard != NULL) {
    elmo_report_put(f, s->replay.guard, REPORT_ESC_TEXT);
    fputs(".\n\n", f);
  }
  char m[16], p[16];
  int model_says = s->confirm.significant, replay_says = s->replay.significant;
  fprintf(f, "| | model | program (replay) |\n|---|---:|---:|\n| gain | %s | %s |\n| confirmed | %s | %s |\n\n",
          fmt_pct(s->confirm.gain, m, sizeof m), fmt_pct(s->replay.gain, p, sizeof p), model_says ? "yes" : "no",
          replay_says ? "yes" : "no");
  if (model_says && !replay_says) {
    fputs("**The model and the program disagree**: the best wins on the model but not on the program's own "
          "operations, so best.ini is the baseline.\n\n", f);
  }
}

/* Which of the best's changes need the data rewritten, and what the migration measured. */
static void put_migration(FILE *f, const elmo_tune_summary *s) {
  if (s->migration_changes == NULL || !s->shipped_best) return;
  fputs("## Migration\n\nThese changes shape the files RocksDB writes, so they apply to data already on disk only "
        "after compaction rewrites it (the other changes take effect when the program opens the DB with "
        "best.ini): `", f);
  elmo_report_put(f, s->migration_changes, REPORT_ESC_TEXT);
  fputs("`.\n\n", f);
  if (!s->migration_measured) {
    fputs(s->rewrite ? "Every trial compacted its data under its own options first, so the figures above are "
                       "after such a rewrite.\n\n"
                     : "The migration was not measured.\n\n",
          f);
    return;
  }
  char g[16], now[16], size[32];
  const elmo_tune_confirmation *deciding = s->replay_state == ELMO_REPLAY_RAN ? &s->replay : &s->confirm;
  elmo_number_fprintf(f, "Measured on the %s: right after applying (the data as it is) %s; after a full compaction under "
          "best.ini %s (%d pairs%s). The compaction took about %.1f s on %s of data.\n\n",
          s->replay_state == ELMO_REPLAY_RAN ? "program's trace" : "model", fmt_pct(deciding->gain, now, sizeof now),
          fmt_pct(s->migration.gain, g, sizeof g), s->migration.pairs,
          s->migration.significant ? ", a significant gain over the baseline" : ", not significant",
          s->migration_seconds, elmo_value_format_bytes(s->migration_bytes, size, sizeof size));
  fputs("To migrate, once the program has opened the DB with best.ini (which records it as the DB's "
        "OPTIONS file): `ldb --db=DIR --try_load_options compact` while the program is stopped, or a "
        "`CompactRange` over the whole key space from the program, at a quiet time.\n\n", f);
}

static void put_confirmation(FILE *f, const elmo_tune_config *cfg, const elmo_tune_summary *s) {
  const elmo_tune_record *best = elmo_report_best(s);
  fputs("## Confirmation\n\n", f);
  if (best != NULL && best->kind == ELMO_RECORD_BASELINE) {
    fputs("No candidate beat the baseline, so best.ini is the baseline configuration.\n\n", f);
  }
  if (s->replay_state != ELMO_REPLAY_NONE) fputs("### On the model\n\n", f);
  if (!put_one_confirmation(f, cfg, s, &s->confirm, ELMO_RECORD_CONFIRM_BEST)) {
    fputs("No confirmation runs were made, so the gain was not measured against noise.\n\n", f);
  }
  put_replay(f, cfg, s);
  if (best != NULL && best->kind != ELMO_RECORD_BASELINE) {
    fputs(s->shipped_best ? "**Verdict:** best.ini holds the best configuration.\n\n"
                          : "**Verdict:** best.ini holds the **baseline** configuration (the gain was not confirmed).\n\n",
          f);
  }
}

/* Loads path, or writes why not. */
static elmo_optfile *load_or_say(FILE *f, const char *what, const char *path) {
  elmo_optfile *o = NULL;
  elmo_error err;
  if (path == NULL) {
    fprintf(f, "The %s has no options file recorded.\n\n", what);
  } else if (elmo_optfile_load(path, &o, &err) != ELMO_OK) {
    fprintf(f, "Could not read the %s's options: ", what);
    elmo_report_put(f, err.message, REPORT_ESC_TEXT);
    fputs("\n\n", f);
  }
  return o;
}

static void put_diff(FILE *f, const elmo_optfile *a, const elmo_optfile *b, const char *what) {
  size_t n = 0;
  char *diff = elmo_optfile_diff(a, b, &n);
  if (diff == NULL) {
    fputs("(out of memory computing the difference)\n\n", f);
  } else if (n == 0) {
    fprintf(f, "%s: identical to the baseline (no changes).\n\n", what);
  } else {
    fprintf(f, "%s: %zu change(s) vs the baseline:\n\n```text\n", what, n);
    fputs(diff, f); /* a code block: shown as written */
    fputs(diff[0] && diff[strlen(diff) - 1] == '\n' ? "```\n\n" : "\n```\n\n", f);
  }
  elmo_free(diff);
}

/* Which configuration best.ini holds, as compared with the best trial and the baseline. */
static void put_best_ini(FILE *f, const elmo_tune_summary *s, const elmo_optfile *base,
                         const elmo_optfile *trial) {
  elmo_optfile *ini = load_or_say(f, "best.ini", s->best_options_path);
  if (ini == NULL) return;
  size_t vs_trial = 0, vs_base = 0;
  elmo_free(elmo_optfile_diff(trial, ini, &vs_trial));
  elmo_free(elmo_optfile_diff(base, ini, &vs_base));
  if (vs_trial == 0) {
    fputs("best.ini holds this configuration.\n\n", f);
  } else if (vs_base == 0) {
    fputs("best.ini holds the **baseline** configuration (the gain was not confirmed).\n\n", f);
  } else {
    put_diff(f, base, ini, "best.ini differs from both");
  }
  elmo_optfile_destroy(ini);
}

static void put_best_config(FILE *f, const elmo_tune_summary *s) {
  const elmo_tune_record *best = elmo_report_best(s), *base = elmo_report_baseline(s);
  fputs("## Best configuration\n\n", f);
  if (best == NULL || base == NULL) {
    fputs(
        best == NULL ? "No best configuration was recorded.\n\n" : "No baseline was recorded.\n\n",
        f);
    return;
  }
  fprintf(f, "Trial #%d (%s, `", best->index, elmo_record_kind_name(best->kind));
  elmo_report_put(f, elmo_report_basename(best->options_path), REPORT_ESC_TEXT);
  fputs("`).\n\n", f);
  elmo_optfile *a = load_or_say(f, "baseline", base->options_path);
  elmo_optfile *b = a ? load_or_say(f, "best trial", best->options_path) : NULL;
  if (a != NULL && b != NULL) {
    put_diff(f, a, b, "Best trial");
    if (s->migration_changes != NULL) {
      fputs("Of these, `", f);
      elmo_report_put(f, s->migration_changes, REPORT_ESC_TEXT);
      fputs("` **need the data rewritten** to apply to existing data; the others take effect when the "
            "program opens the DB with the file.\n\n", f);
    } else if (best->kind != ELMO_RECORD_BASELINE) {
      fputs("Every change takes effect when the program opens the DB with the file (none needs the data "
            "rewritten).\n\n", f);
    }
    put_best_ini(f, s, a, b);
  }
  elmo_optfile_destroy(a);
  elmo_optfile_destroy(b);
}

/* Rows for one trial's operation types: counts, latency, and each type's share of the time. */
static void put_op_rows(FILE *f, const char *which, const elmo_tune_record *r) {
  const elmo_trial_metrics *m = &r->result.metrics;
  uint64_t total = 0;
  for (size_t i = 0; i < m->n_op_types; i++) total += m->op_types[i].count;
  for (size_t i = 0; i < m->n_op_types && i < ELMO_TRIAL_MAX_OP_TYPES; i++) {
    const elmo_op_latency *t = &m->op_types[i];
    char ops[32], share[16], time[16];
    fprintf(f, "| %s (#%d) | ", which, r->index);
    elmo_report_put(f, t->type, REPORT_ESC_CELL);
    elmo_number_snprintf(share, sizeof share, "%.1f%%", total > 0 ? 100.0 * (double)t->count / (double)total : 0);
    elmo_number_snprintf(time, sizeof time, "%.1f%%", 100.0 * t->time_share);
    elmo_number_fprintf(f, " | %s | %s | %.1f | %.1f | %.1f | %s |\n", fmt_count((double)t->count, ops, sizeof ops),
            share, t->avg_us, t->p99_us, t->p999_us, time);
  }
}

/* Latency per operation type of the baseline and the best trial, as db_bench's histograms give it. */
static void put_op_latency(FILE *f, const elmo_tune_summary *s) {
  const elmo_tune_record *best = elmo_report_best(s), *base = elmo_report_baseline(s);
  if (base == NULL || base->result.metrics.n_op_types == 0) return;
  fputs("## Latency by operation type\n\n"
        "| trial | operation | operations | share of operations | avg µs | p99 µs | p99.9 µs | share of time |\n"
        "|---|---|---:|---:|---:|---:|---:|---:|\n", f);
  put_op_rows(f, "baseline", base);
  if (best != NULL && best != base) put_op_rows(f, "best", best);
  fputs("\nShare of time: operations x average latency, over all types.\n\n", f);
}

/* The advisor's reasoning and the calibrator's rejections, per trial that has them. */
static void put_advisor_notes(FILE *f, const elmo_tune_summary *s) {
  int header = 0;
  for (size_t i = 0; i < s->n_records; i++) {
    const elmo_tune_record *r = &s->records[i];
    if ((r->reasoning == NULL || !r->reasoning[0]) && count_lines(r->rejected) == 0) continue;
    if (!header) {
      fputs("## Advisor notes\n\n", f);
      header = 1;
    }
    fprintf(f, "**Trial #%d** (%s, iteration %d)\n\n", r->index, elmo_record_kind_name(r->kind),
            r->iteration);
    if (r->reasoning != NULL && r->reasoning[0]) {
      fputs("> ", f);
      elmo_report_put(f, r->reasoning, REPORT_ESC_CELL); /* one paragraph; breaks as <br> */
      fputs("\n\n", f);
    }
    if (count_lines(r->rejected) > 0) {
      fputs("Rejected by the calibrator:<br>", f);
      elmo_report_put(f, r->rejected, REPORT_ESC_CELL);
      fputs("\n\n", f);
    }
  }
}

/* Each line of text as a list item. */
static void put_lines(FILE *f, const char *text) {
  const char *p = text;
  while (*p) {
    const char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p) : strlen(p);
    char *line = strndup(p, n);
    fputs("- ", f);
    elmo_report_put(f, line ? line : "", REPORT_ESC_TEXT);
    fputc('\n', f);
    free(line);
    p += n + (nl ? 1 : 0);
  }
}

/* Advisor rounds that ended without a trial (no usable change, all rejected, advisor errors). */
static void put_rounds_without_trial(FILE *f, const elmo_tune_summary *s) {
  if (s->notes == NULL || s->notes[0] == '\0') return;
  fputs("## Rounds without a trial\n\n", f);
  put_lines(f, s->notes);
  fputc('\n', f);
}

char *elmo_report_markdown(const elmo_tune_config *cfg, const elmo_tune_summary *s,
                           const report_settings *set) {
  report_stream st;
  if (elmo_report_stream_open(&st) != 0) return NULL;
  FILE *f = st.f;
  put_title(f, cfg, s, set);
  put_overview(f, s);
  put_conditions(f, cfg, s, set);
  put_trials(f, s);
  put_rounds_without_trial(f, s);
  put_confirmation(f, cfg, s);
  put_migration(f, s);
  put_best_config(f, s);
  put_op_latency(f, s);
  fputs("## Charts\n\n![throughput](throughput.svg)\n\n![p99](p99.svg)\n\n", f);
  fputs("Failed and aborted trials appear as red crosses on the axis; the best trial is green.\n\n",
        f);
  put_advisor_notes(f, s);
  fputs("## Stop reason\n\n", f);
  elmo_report_put(f, s->stop_reason ? s->stop_reason : "(not recorded)", REPORT_ESC_TEXT);
  elmo_number_fprintf(f, " after %.0f s", s->wall_seconds);
  if (cfg->budget_seconds > 0) elmo_number_fprintf(f, " (time budget %.0f s)", cfg->budget_seconds);
  fputs(". Every trial's data is in history.json.\n", f);
  if (s->budget_cuts != NULL) {
    fputs("\nThe time budget cut:\n\n", f);
    put_lines(f, s->budget_cuts);
    fputc('\n', f);
  }
  return elmo_report_stream_close(&st);
}
