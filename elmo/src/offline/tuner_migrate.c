/* tuner_migrate.c — a best file that changes options shaping the files on disk (block size,
 * filters, compression, ...) applies to a program's existing data only after compaction rewrites
 * it. Its gain right after applying is what the confirmations measured (on the data as it is);
 * this measures the gain after a full compaction under the best file, and what that compaction
 * costs, so the report can state the migration with its figures. See tuner.h. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elmo/catalog.h"
#include "base/strbuf.h"
#include "tuner_internal.h"

typedef struct collect {
  const elmo_optfile *base;
  elmo_strbuf names; /* comma-joined */
} collect;

static int add_if_shaping(void *ctx, elmo_section s, const char *cf, const char *key, const char *value) {
  collect *c = ctx;
  if (s == ELMO_SECTION_VERSION || !elmo_catalog_shapes_files(key)) return 0;
  const char *old = elmo_optfile_get(c->base, s, cf, key);
  if (old != NULL && strcmp(old, value) == 0) return 0;
  elmo_strbuf_appendf(&c->names, "%s%s", c->names.len > 0 ? ", " : "", key);
  return c->names.oom;
}

char *elmo_tune_file_format_changes(const elmo_optfile *base, const elmo_optfile *best) {
  collect c = {base, ELMO_STRBUF_INIT};
  if (base != NULL && best != NULL) elmo_optfile_foreach(best, add_if_shaping, &c);
  if (c.names.len > 0) return elmo_strbuf_take(&c.names);
  elmo_strbuf_free(&c.names); /* nothing, or out of memory */
  return NULL;
}

/* The mean seconds the best's compaction took before its runs (db_bench's compact result line). */
static double mean_compaction(const elmo_tune_summary *s) {
  double sum = 0;
  int n = 0;
  for (size_t i = 0; i < s->n_records; i++) {
    const elmo_tune_record *rec = &s->records[i];
    if (rec->kind != ELMO_RECORD_MIGRATE_BEST || rec->result.status != ELMO_TRIAL_OK) continue;
    sum += rec->result.metrics.setup_seconds;
    n++;
  }
  return n ? sum / n : 0;
}

void elmo_tuner_migration(tune_run *r) {
  elmo_tune_summary *s = r->sum;
  free(s->migration_changes);
  s->migration_changes = elmo_tune_file_format_changes(r->baseline, r->best);
  s->migration_measured = 0;
  /* Without a program's existing data there is nothing to migrate: the loop's trials already laid
   * the data out under each candidate (rewrite) or wrote it themselves. */
  if (s->migration_changes == NULL || !s->shipped_best || !r->cfg.existing_data || r->base_db == NULL) return;
  if (!elmo_tuner_room_for(r, 2, 0)) {
    elmo_tuner_budget_cut(r, "the migration's measurement (the best changes %s)", s->migration_changes);
    return;
  }
  r->migrate_on_replay = s->replay_state == ELMO_REPLAY_RAN;
  elmo_tuner_progress(r, "migration: the best changes %s, which apply to existing data only after a rewrite: "
                      "measuring it after a full compaction (on the %s)", s->migration_changes,
                      r->migrate_on_replay ? "program's trace" : "model");
  elmo_tuner_confirm(r, ELMO_RECORD_MIGRATE_BEST, ELMO_RECORD_MIGRATE_BASE, &s->migration);
  if (s->migration.pairs == 0) return;
  s->migration_measured = 1;
  s->migration_seconds = mean_compaction(s);
  for (size_t i = 0; i < s->n_records; i++) {
    const elmo_tune_record *rec = &s->records[i];
    if (rec->kind == ELMO_RECORD_MIGRATE_BASE && rec->result.status == ELMO_TRIAL_OK) {
      s->migration_bytes = rec->result.metrics.space_bytes;
      break;
    }
  }
}
