/* calibrate_rules.c — checks on the whole merged configuration. See calibrate.h. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate_internal.h"
#include "elmo/value.h"
#include "elmo/number.h"

/* lo <= hi must hold in section s (both values known). Zero on either side disables the rule
 * when zero_means_off (e.g. pending-compaction limits). strict: lo < hi. */
static const struct {
  elmo_section section;
  const char *lo, *hi;
  int zero_means_off, strict;
  const char *why;
} kOrderRules[] = {
    {ELMO_SECTION_CF, "level0_file_num_compaction_trigger", "level0_slowdown_writes_trigger", 0, 0,
     "RocksDB would silently raise the slowdown trigger"},
    {ELMO_SECTION_CF, "level0_slowdown_writes_trigger", "level0_stop_writes_trigger", 0, 0,
     "RocksDB would silently raise the stop trigger"},
    {ELMO_SECTION_CF, "soft_pending_compaction_bytes_limit", "hard_pending_compaction_bytes_limit", 1, 0,
     "writes would stop before they slow down"},
    {ELMO_SECTION_CF, "min_write_buffer_number_to_merge", "max_write_buffer_number", 0, 1,
     "RocksDB would silently lower min_write_buffer_number_to_merge"},
};

/* Rejects the accepted changes among names (they caused the violation). */
static int reject_involved(elmo_judge_ctx *j, const char *a, const char *b, const char *cf,
                           const char *fmt_why) {
  int n = 0;
  for (size_t i = 0; i < j->res->count; i++) {
    elmo_change *ch = &j->res->changes[i];
    if (ch->verdict != ELMO_VERDICT_ACCEPTED || ch->name == NULL) continue;
    if (strcmp(ch->name, a) != 0 && strcmp(ch->name, b) != 0) continue;
    if (ch->cf != NULL && cf != NULL && strcmp(ch->cf, cf) != 0) continue;
    elmo_calibrate_revert(j->res->merged, j->base, ch);
    elmo_change_reject(ch, ELMO_ERANGE, "%s", fmt_why);
    n++;
  }
  return n;
}

static void check_order_rules(elmo_judge_ctx *j, const char *cf) {
  for (size_t r = 0; r < sizeof(kOrderRules) / sizeof(kOrderRules[0]); r++) {
    double lo, hi;
    const elmo_section s = kOrderRules[r].section;
    if (!elmo_effective_number(j->cat, j->res->merged, s, cf, kOrderRules[r].lo, &lo) ||
        !elmo_effective_number(j->cat, j->res->merged, s, cf, kOrderRules[r].hi, &hi)) {
      continue;
    }
    if (kOrderRules[r].zero_means_off && (lo == 0 || hi == 0)) continue;
    if (kOrderRules[r].strict ? lo < hi : lo <= hi) continue;
    char why[512];
    elmo_number_snprintf(why, sizeof why, "%s=%.15g must be %s %s=%.15g: %s", kOrderRules[r].lo, lo,
             kOrderRules[r].strict ? "below" : "at most", kOrderRules[r].hi, hi, kOrderRules[r].why);
    reject_involved(j, kOrderRules[r].lo, kOrderRules[r].hi, cf, why);
  }
}

/* Pairs that RocksDB refuses together at Open. */
static void check_exclusive(elmo_judge_ctx *j) {
  const char *mmap = elmo_optfile_get(j->res->merged, ELMO_SECTION_DB, NULL, "allow_mmap_reads");
  const char *direct = elmo_optfile_get(j->res->merged, ELMO_SECTION_DB, NULL, "use_direct_reads");
  if (mmap != NULL && direct != NULL && strcmp(mmap, "true") == 0 && strcmp(direct, "true") == 0) {
    reject_involved(j, "allow_mmap_reads", "use_direct_reads", NULL,
                    "allow_mmap_reads and use_direct_reads cannot both be true (DB::Open fails)");
  }
}

static uint64_t estimate(const elmo_judge_ctx *j, const elmo_optfile *f, elmo_memory_breakdown *m) {
  elmo_memory_breakdown tmp;
  if (m == NULL) m = &tmp;
  if (elmo_memory_estimate(f, j->policy ? j->policy->dataset : NULL, m, NULL) != ELMO_OK) return 0;
  return m->total;
}

/* The accepted change whose undoing saves the most memory, or NULL when none saves any. */
static elmo_change *biggest_saver(elmo_judge_ctx *j, uint64_t total) {
  elmo_change *best = NULL;
  uint64_t best_saving = 0;
  for (size_t i = 0; i < j->res->count; i++) {
    elmo_change *ch = &j->res->changes[i];
    if (ch->verdict != ELMO_VERDICT_ACCEPTED) continue;
    elmo_optfile *trial = elmo_optfile_clone(j->res->merged);
    if (trial == NULL) return NULL;
    elmo_calibrate_revert(trial, j->base, ch);
    uint64_t without = estimate(j, trial, NULL);
    elmo_optfile_destroy(trial);
    if (without < total && total - without > best_saving) {
      best_saving = total - without;
      best = ch;
    }
  }
  return best;
}

/* Rejects the changes that cost the most memory, one at a time, until the estimate fits. */
static void enforce_budget(elmo_judge_ctx *j) {
  elmo_calibration *res = j->res;
  estimate(j, j->base, &res->base_memory);
  uint64_t total = estimate(j, res->merged, &res->memory);
  uint64_t budget = res->memory_budget;
  if (budget == 0 || total <= budget) return;
  elmo_change *ch;
  while (total > budget && (ch = biggest_saver(j, total)) != NULL) {
    char est[32], lim[32];
    elmo_value_format_bytes(total, est, sizeof est);
    elmo_value_format_bytes(budget, lim, sizeof lim);
    elmo_calibrate_revert(res->merged, j->base, ch);
    elmo_change_reject(ch, ELMO_EBUDGET, "over the memory budget: estimate %s > budget %s with %s=%s",
                       est, lim, ch->name, ch->value);
    total = estimate(j, res->merged, &res->memory);
  }
  res->over_budget = total > budget;
}

/* RocksDB must load the merged file. If it does not, re-add accepted changes one by one onto the
 * base and reject those that break it. */
static elmo_rc engine_check(elmo_judge_ctx *j) {
  const elmo_calibrate_policy *p = j->policy;
  if (p == NULL || p->check_text == NULL) return ELMO_OK;
  elmo_error e;
  char *text = elmo_optfile_format(j->res->merged);
  if (text == NULL) return ELMO_ENOMEM;
  elmo_rc rc = p->check_text(p->check_ctx, text, &e);
  free(text);
  if (rc == ELMO_OK) return ELMO_OK;
  elmo_optfile *rebuilt = elmo_optfile_clone(j->base);
  if (rebuilt == NULL) return ELMO_ENOMEM;
  for (size_t i = 0; i < j->res->count; i++) {
    elmo_change *ch = &j->res->changes[i];
    if (ch->verdict != ELMO_VERDICT_ACCEPTED) continue;
    elmo_optfile *next = elmo_optfile_clone(rebuilt);
    if (next == NULL || elmo_optfile_set(next, ch->section, ch->cf, ch->name, ch->value, NULL) != ELMO_OK ||
        (text = elmo_optfile_format(next)) == NULL) {
      elmo_optfile_destroy(next);
      elmo_optfile_destroy(rebuilt);
      return ELMO_ENOMEM;
    }
    rc = p->check_text(p->check_ctx, text, &e);
    free(text);
    if (rc == ELMO_OK) {
      elmo_optfile_destroy(rebuilt);
      rebuilt = next;
    } else {
      elmo_optfile_destroy(next);
      elmo_change_reject(ch, ELMO_EINVAL, "%s", e.message);
    }
  }
  elmo_optfile_destroy(j->res->merged);
  j->res->merged = rebuilt;
  return ELMO_OK;
}

elmo_rc elmo_calibrate_rules(elmo_judge_ctx *j) {
  size_t n_cf = elmo_optfile_cf_count(j->res->merged);
  for (size_t i = 0; i < n_cf; i++) check_order_rules(j, elmo_optfile_cf_name(j->res->merged, i));
  check_exclusive(j);
  elmo_rc rc = engine_check(j);
  if (rc != ELMO_OK) return rc;
  enforce_budget(j);
  return ELMO_OK;
}
