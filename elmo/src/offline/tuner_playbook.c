/* tuner_playbook.c — the run's entry for the realtime tuner's playbook: the runtime-mutable
 * options in which a confirmed best differs from the baseline, under the tuned workload's
 * signature; written to OUTPUT/playbook.json and merged into --elmo_playbook. See playbook.h. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "elmo/playbook.h"
#include "tuner_internal.h"

typedef struct entry_ctx {
  const tune_run *r;
  elmo_playbook_entry *e;
  size_t skipped; /* options that differ but need a reopen */
} entry_ctx;

/* Adds one option of the best that differs from the baseline and SetOptions can change. */
static int add_if_mutable(void *p, elmo_section s, const char *cf, const char *key, const char *value) {
  entry_ctx *c = p;
  if (s == ELMO_SECTION_VERSION || (cf != NULL && strcmp(cf, "default") != 0)) return 0;
  const char *was = elmo_optfile_get(c->r->baseline, s, "default", key);
  if (was != NULL && strcmp(was, value) == 0) return 0;
  const elmo_option_info *info = elmo_catalog_find(c->r->cat, (int)s, key);
  if (info == NULL || !(info->flags & ELMO_OPT_MUTABLE) || (info->flags & ELMO_OPT_LOCKED)) {
    c->skipped++;
    return 0;
  }
  if (c->e->n_options == ELMO_PLAYBOOK_MAX_OPTIONS || strlen(key) >= sizeof c->e->options[0].name ||
      strlen(value) >= sizeof c->e->options[0].value) {
    return 0;
  }
  elmo_playbook_option *o = &c->e->options[c->e->n_options++];
  o->section = s;
  snprintf(o->name, sizeof o->name, "%s", key);
  snprintf(o->value, sizeof o->value, "%s", value);
  return 0;
}

/* Merges e into the user's playbook at into (NULL or "": none); a missing file is a new one, a
 * bad one is left alone and the progress line says why. pb is scratch space. */
static void merge_into(tune_run *r, const char *into, const elmo_playbook_entry *e, elmo_playbook *pb) {
  if (into == NULL || into[0] == '\0') return;
  elmo_error err;
  memset(pb, 0, sizeof *pb);
  FILE *f = fopen(into, "r");
  if (f != NULL) {
    fclose(f);
    if (elmo_playbook_load(into, pb, &err) != ELMO_OK) {
      elmo_tuner_progress(r, "playbook: --elmo_playbook=%s not updated: %s", into, err.message);
      return;
    }
  }
  if (elmo_playbook_add(pb, e, &err) != ELMO_OK || elmo_playbook_save(pb, into, &err) != ELMO_OK) {
    elmo_tuner_progress(r, "playbook: --elmo_playbook=%s not updated: %s", into, err.message);
    return;
  }
  elmo_tuner_progress(r, "playbook: entry %s merged into %s (%zu entries)", e->name, into, pb->n);
}

void elmo_tuner_write_playbook(tune_run *r) {
  if (!r->sum->shipped_best) {
    elmo_tuner_progress(r, "playbook: no entry (no gain was confirmed)");
    return;
  }
  elmo_playbook_entry e;
  memset(&e, 0, sizeof e);
  const elmo_workload_facts *w = &r->workload.facts;
  snprintf(e.name, sizeof e.name, "%s", r->workload.name);
  e.read = w->read_fraction, e.write = w->write_fraction, e.scan = w->scan_fraction;
  e.value_bytes = w->value_bytes > 0 ? w->value_bytes : 1;
  e.gain = r->sum->confirm.gain;
  char when[32] = "";
  time_t now = time(NULL);
  struct tm tm;
  if (gmtime_r(&now, &tm) != NULL) strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
  snprintf(e.source, sizeof e.source, "elmotune %s, %s/best.ini", when, r->cfg.output_dir);
  entry_ctx c = {r, &e, 0};
  elmo_optfile_foreach(r->best, add_if_mutable, &c);
  if (e.n_options == 0) {
    elmo_tuner_progress(r, "playbook: no entry (the best differs from the baseline only in %zu option(s) that "
                        "need a reopen)", c.skipped);
    return;
  }
  char path[4096];
  snprintf(path, sizeof path, "%s/playbook.json", r->cfg.output_dir);
  elmo_playbook *pb = calloc(1, sizeof *pb); /* large: not on the stack */
  elmo_error err;
  if (pb == NULL) {
    elmo_tuner_progress(r, "playbook: out of memory");
    return;
  }
  if (elmo_playbook_add(pb, &e, &err) != ELMO_OK || elmo_playbook_save(pb, path, &err) != ELMO_OK) {
    elmo_tuner_progress(r, "playbook: %s", err.message);
  } else {
    elmo_tuner_progress(r, "playbook: %s (%zu runtime-mutable option(s); %zu more need a reopen)", path, e.n_options,
                        c.skipped);
    merge_into(r, r->cfg.playbook, &e, pb);
  }
  free(pb);
}
