/* calibrate.c — judge each proposed change, then the whole configuration. See calibrate.h. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate_internal.h"
#include "elmo/number.h"

enum { kNote = 512 };

typedef elmo_judge_ctx judge_ctx;

const char *elmo_verdict_name(elmo_verdict v) {
  switch (v) {
    case ELMO_VERDICT_ACCEPTED: return "accepted";
    case ELMO_VERDICT_REJECTED: return "rejected";
    default: return "unchanged";
  }
}

static char *xstrdup(const char *s) { return s ? strdup(s) : NULL; }

static int is_pinned(const elmo_calibrate_policy *p, const char *name) {
  for (size_t i = 0; p != NULL && p->locks != NULL && i < p->n_locks; i++) {
    if (p->locks[i] != NULL && strcmp(p->locks[i], name) == 0) return 1;
  }
  return 0;
}

static const char *policy_cf(const elmo_calibrate_policy *p) {
  return (p != NULL && p->cf != NULL) ? p->cf : "default";
}

/* The value in f, or the engine default when f does not set it. */
static const char *effective_value(const judge_ctx *j, const elmo_optfile *f, const elmo_change *ch) {
  const char *v = elmo_optfile_get(f, ch->section, ch->cf, ch->name);
  if (v != NULL) return v;
  const elmo_option_info *o = elmo_catalog_find(j->cat, ch->section, ch->name);
  return (o != NULL && o->default_value[0] != '\0') ? o->default_value : NULL;
}

static int same_value(const char *a, const char *b) {
  if (a == NULL || b == NULL) return 0;
  if (strcmp(a, b) == 0) return 1;
  char *ea = NULL, *eb = NULL;
  double x = elmo_number_parse(a, &ea), y = elmo_number_parse(b, &eb);
  return ea != a && eb != b && *ea == '\0' && *eb == '\0' && x == y;
}

/* Checks that do not need the value: deprecated, locked, pinned, realtime mutability. */
static int refuse_by_name(const judge_ctx *j, const elmo_option_info *o, elmo_change *ch) {
  char why[kNote];
  if (o->flags & ELMO_OPT_DEPRECATED) {
    const char *note = elmo_catalog_removed_note(o->name);
    snprintf(why, sizeof why, "%s is deprecated in RocksDB 7.8.3 and has no effect%s%s", o->name,
             note ? ": " : "", note ? note : "");
    elmo_change_reject(ch, ELMO_EINVAL, "%s", why);
  } else if (o->flags & ELMO_OPT_LOCKED) {
    snprintf(why, sizeof why, "%s is locked: %s", o->name, o->note ? o->note : "not a tuning option");
    elmo_change_reject(ch, ELMO_ELOCKED, "%s", why);
  } else if (is_pinned(j->policy, o->name)) {
    snprintf(why, sizeof why, "%s is pinned by the user and is not changed", o->name);
    elmo_change_reject(ch, ELMO_ELOCKED, "%s", why);
  } else if (j->policy != NULL && j->policy->mutable_only && !(o->flags & ELMO_OPT_MUTABLE)) {
    snprintf(why, sizeof why, "%s cannot change while the DB is open (needs a reopen); "
             "only runtime-mutable options are allowed here", o->name);
    elmo_change_reject(ch, ELMO_ELOCKED, "%s", why);
  } else {
    return 0;
  }
  return 1;
}

static int refuse_decrease(const judge_ctx *j, const elmo_option_info *o, elmo_change *ch) {
  double before, after;
  if (!(o->flags & ELMO_OPT_NO_DECREASE) || ch->value == NULL) return 0;
  if (!elmo_effective_number(j->cat, j->base, ch->section, ch->cf, o->name, &before)) return 0;
  after = elmo_number_parse(ch->value, NULL);
  if (after >= before) return 0;
  char why[kNote];
  snprintf(why, sizeof why, "%s may not decrease (%s -> %s): %s", o->name, ch->old_value ? ch->old_value : "?",
           ch->value, o->note ? o->note : "");
  elmo_change_reject(ch, ELMO_ERANGE, "%s", why);
  return 1;
}

/* Marks earlier changes of the same option as superseded; returns how many. */
static int supersede(elmo_calibration *res, size_t upto, const elmo_change *ch) {
  int n = 0;
  for (size_t i = 0; i < upto; i++) {
    elmo_change *p = &res->changes[i];
    if (p->name != NULL && p->verdict != ELMO_VERDICT_REJECTED && p->section == ch->section &&
        strcmp(p->name, ch->name) == 0 && (p->cf == NULL || ch->cf == NULL || strcmp(p->cf, ch->cf) == 0)) {
      char why[kNote];
      snprintf(why, sizeof why, "superseded by %s on line %d", ch->raw_key, ch->line);
      elmo_change_reject(p, ELMO_EINVAL, "%s", why);
      n++;
    }
  }
  return n;
}

static void join_notes(elmo_change *ch, const char *a, const char *b) {
  if (a[0] && b[0]) elmo_change_note(ch, "%s; %s", a, b);
  else if (a[0] || b[0]) elmo_change_note(ch, "%s", a[0] ? a : b);
}

static void section_note(const elmo_assignment *a, const elmo_option_info *o, char *buf, size_t n) {
  static const elmo_section_hint kHint[] = {ELMO_HINT_NONE, ELMO_HINT_DB, ELMO_HINT_CF, ELMO_HINT_TABLE};
  if (a->section == ELMO_HINT_NONE || kHint[o->section] == a->section) return;
  static const elmo_section kSec[] = {ELMO_SECTION_VERSION, ELMO_SECTION_DB, ELMO_SECTION_CF, ELMO_SECTION_TABLE};
  size_t len = strlen(buf);
  snprintf(buf + len, n - len, "%sgiven under [%s], belongs in [%s]", len ? "; " : "",
           elmo_section_name(kSec[a->section]), elmo_section_name(o->section));
}

static elmo_rc judge_one(judge_ctx *j, const elmo_assignment *a, elmo_change *ch) {
  elmo_error e;
  elmo_error_clear(&e);
  char name_note[kNote], value_note[kNote];
  elmo_xform xform;
  const elmo_option_info *o =
      elmo_resolve_name(j->cat, a->key, a->section, &xform, name_note, sizeof name_note, &e);
  if (o == NULL) {
    elmo_change_reject(ch, ELMO_ENOTFOUND, "%s", e.message);
    return ELMO_OK;
  }
  ch->name = o->name;
  ch->section = o->section;
  if (o->section != ELMO_SECTION_DB) {
    ch->cf = xstrdup(a->cf_name ? a->cf_name : policy_cf(j->policy));
    if (ch->cf == NULL) return ELMO_ENOMEM;
  }
  section_note(a, o, name_note, sizeof name_note);
  ch->old_value = xstrdup(effective_value(j, j->base, ch));
  elmo_rc rc = elmo_normalize_value(o, xform, a->value, &ch->value, value_note, sizeof value_note, &e);
  if (rc == ELMO_ENOMEM) return rc;
  /* Restating the current value of a locked option is harmless: unchanged, not refused. */
  if (rc == ELMO_OK && same_value(ch->value, ch->old_value)) {
    ch->verdict = ELMO_VERDICT_UNCHANGED;
    join_notes(ch, name_note, value_note);
    return ELMO_OK;
  }
  if (refuse_by_name(j, o, ch)) return ELMO_OK;
  if (rc != ELMO_OK) {
    elmo_change_reject(ch, rc, "%s", e.message);
    return ELMO_OK;
  }
  if (refuse_decrease(j, o, ch)) return ELMO_OK;
  if (j->policy != NULL && j->policy->check_value != NULL &&
      j->policy->check_value(j->policy->check_ctx, o->section, o->name, ch->value, &e) != ELMO_OK) {
    elmo_change_reject(ch, ELMO_EINVAL, "%s", e.message);
    return ELMO_OK;
  }
  rc = elmo_optfile_set(j->res->merged, o->section, ch->cf, o->name, ch->value, &e);
  if (rc != ELMO_OK) {
    elmo_change_reject(ch, rc, "%s", e.message);
    return rc == ELMO_ENOMEM ? rc : ELMO_OK;
  }
  ch->verdict = ELMO_VERDICT_ACCEPTED;
  join_notes(ch, name_note, value_note);
  return ELMO_OK;
}

static elmo_rc judge_all(judge_ctx *j, const elmo_assignment_list *list) {
  elmo_calibration *res = j->res;
  for (size_t i = 0; i < list->count; i++) {
    const elmo_assignment *a = &list->items[i];
    elmo_change *ch = &res->changes[res->count++];
    ch->raw_key = xstrdup(a->key);
    ch->raw_value = xstrdup(a->value);
    ch->line = a->line;
    if (ch->raw_key == NULL || ch->raw_value == NULL) return ELMO_ENOMEM;
    elmo_rc rc = judge_one(j, a, ch);
    if (rc != ELMO_OK) return rc;
    if (ch->verdict != ELMO_VERDICT_REJECTED && supersede(res, res->count - 1, ch) &&
        ch->verdict == ELMO_VERDICT_UNCHANGED) {
      elmo_calibrate_revert(res->merged, j->base, ch); /* back to the base, as this change says */
    }
  }
  return elmo_calibrate_rules(j);
}

static void count_verdicts(elmo_calibration *res) {
  res->n_accepted = res->n_rejected = res->n_unchanged = 0;
  for (size_t i = 0; i < res->count; i++) {
    switch (res->changes[i].verdict) {
      case ELMO_VERDICT_ACCEPTED: res->n_accepted++; break;
      case ELMO_VERDICT_REJECTED: res->n_rejected++; break;
      default: res->n_unchanged++; break;
    }
  }
}

elmo_rc elmo_calibrate_assignments(const elmo_catalog *cat, const elmo_optfile *base,
                                   const elmo_assignment_list *list,
                                   const elmo_calibrate_policy *policy, elmo_calibration **out,
                                   elmo_error *err) {
  if (out != NULL) *out = NULL;
  if (cat == NULL || base == NULL || list == NULL || out == NULL) {
    return elmo_error_set(err, ELMO_EINVAL, "calibrate: NULL argument");
  }
  elmo_calibration *res = calloc(1, sizeof(*res));
  if (res != NULL) {
    res->changes = calloc(list->count ? list->count : 1, sizeof(*res->changes));
    res->merged = elmo_optfile_clone(base);
  }
  if (res == NULL || res->changes == NULL || res->merged == NULL) {
    elmo_calibration_destroy(res);
    return elmo_error_set(err, ELMO_ENOMEM, "out of memory calibrating");
  }
  res->blocks_seen = list->blocks_seen;
  res->chosen_block = list->chosen_block;
  res->memory_budget = policy ? policy->memory_budget : 0;
  judge_ctx j = {cat, base, policy, res};
  elmo_rc rc = judge_all(&j, list);
  if (rc != ELMO_OK) {
    elmo_calibration_destroy(res);
    return elmo_error_set(err, rc, "calibrate: %s", elmo_strerror(rc));
  }
  count_verdicts(res);
  *out = res;
  return ELMO_OK;
}

elmo_rc elmo_calibrate_answer(const elmo_catalog *cat, const elmo_optfile *base, const char *answer,
                              size_t len, const elmo_calibrate_policy *policy,
                              elmo_calibration **out, elmo_error *err) {
  if (out != NULL) *out = NULL;
  if (answer == NULL) return elmo_error_set(err, ELMO_EINVAL, "calibrate: NULL answer");
  elmo_assignment_list *list = NULL;
  elmo_rc rc = elmo_answer_extract(answer, len, &list, err);
  if (rc != ELMO_OK) return rc;
  rc = elmo_calibrate_assignments(cat, base, list, policy, out, err);
  elmo_assignment_list_destroy(list);
  return rc;
}

void elmo_calibration_destroy(elmo_calibration *c) {
  if (c == NULL) return;
  for (size_t i = 0; c->changes != NULL && i < c->count; i++) {
    elmo_change *ch = &c->changes[i];
    free(ch->raw_key);
    free(ch->raw_value);
    free(ch->cf);
    free(ch->value);
    free(ch->old_value);
    free(ch->reason);
  }
  free(c->changes);
  elmo_optfile_destroy(c->merged);
  free(c);
}
