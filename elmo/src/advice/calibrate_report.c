/* calibrate_report.c — a calibration's verdicts as JSON (for the next prompt) and as text. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elmo/calibrate.h"
#include "elmo/value.h"
#include "base/strbuf.h"

static void add_str(cJSON *o, const char *k, const char *v) {
  if (v != NULL) cJSON_AddStringToObject(o, k, v);
}

static cJSON *change_json(const elmo_change *ch) {
  cJSON *o = cJSON_CreateObject();
  if (o == NULL) return NULL;
  if (ch->verdict == ELMO_VERDICT_REJECTED) {
    add_str(o, "key", ch->raw_key);
    add_str(o, "value", ch->raw_value);
    add_str(o, "option", ch->name);
    add_str(o, "code", elmo_strerror(ch->code));
  } else {
    add_str(o, "option", ch->name);
    add_str(o, "section", elmo_section_name(ch->section));
    add_str(o, "cf", ch->cf);
    add_str(o, "from", ch->old_value);
    add_str(o, "to", ch->value);
  }
  cJSON_AddNumberToObject(o, "line", ch->line);
  add_str(o, ch->verdict == ELMO_VERDICT_REJECTED ? "reason" : "note", ch->reason);
  return o;
}

static cJSON *memory_json(const elmo_calibration *c) {
  const elmo_memory_breakdown *m = &c->memory;
  cJSON *o = cJSON_CreateObject(), *b = cJSON_CreateObject();
  if (o == NULL || b == NULL) {
    cJSON_Delete(o);
    cJSON_Delete(b);
    return NULL;
  }
  cJSON_AddNumberToObject(o, "estimate", (double)m->total);
  cJSON_AddNumberToObject(o, "base_estimate", (double)c->base_memory.total);
  cJSON_AddNumberToObject(o, "budget", (double)c->memory_budget);
  cJSON_AddBoolToObject(o, "over_budget", c->over_budget);
  cJSON_AddNumberToObject(b, "block_cache", (double)m->block_cache);
  cJSON_AddNumberToObject(b, "memtables", (double)m->memtables);
  cJSON_AddNumberToObject(b, "table_readers", (double)m->table_readers);
  cJSON_AddNumberToObject(b, "row_cache", (double)m->row_cache);
  cJSON_AddNumberToObject(b, "background", (double)m->background);
  cJSON_AddNumberToObject(b, "fixed", (double)m->fixed);
  cJSON_AddItemToObject(o, "breakdown", b);
  return o;
}

char *elmo_calibration_to_json(const elmo_calibration *c) {
  if (c == NULL) return NULL;
  cJSON *root = cJSON_CreateObject();
  cJSON *lists[3] = {cJSON_CreateArray(), cJSON_CreateArray(), cJSON_CreateArray()};
  for (size_t i = 0; i < c->count; i++) {
    cJSON_AddItemToArray(lists[c->changes[i].verdict], change_json(&c->changes[i]));
  }
  cJSON_AddItemToObject(root, "accepted", lists[ELMO_VERDICT_ACCEPTED]);
  cJSON_AddItemToObject(root, "rejected", lists[ELMO_VERDICT_REJECTED]);
  cJSON_AddItemToObject(root, "unchanged", lists[ELMO_VERDICT_UNCHANGED]);
  cJSON_AddItemToObject(root, "memory", memory_json(c));
  char *s = cJSON_Print(root);
  cJSON_Delete(root);
  return s;
}

char *elmo_calibration_describe(const elmo_calibration *c) {
  if (c == NULL) return NULL;
  elmo_strbuf b = ELMO_STRBUF_INIT;
  char est[32], base[32], lim[32];
  for (size_t i = 0; i < c->count; i++) {
    const elmo_change *ch = &c->changes[i];
    elmo_strbuf_appendf(&b, "%-9s line %-4d %s = %s", elmo_verdict_name(ch->verdict), ch->line,
                        ch->name ? ch->name : ch->raw_key, ch->value ? ch->value : ch->raw_value);
    elmo_strbuf_appendf(&b, "%s%s\n", ch->reason ? "  -- " : "", ch->reason ? ch->reason : "");
  }
  elmo_value_format_bytes(c->memory.total, est, sizeof est);
  elmo_value_format_bytes(c->base_memory.total, base, sizeof base);
  if (c->memory_budget > 0) {
    elmo_value_format_bytes(c->memory_budget, lim, sizeof lim);
  } else {
    snprintf(lim, sizeof lim, "none");
  }
  elmo_strbuf_appendf(&b, "memory estimate %s (base %s), budget %s%s\n", est, base, lim,
                      c->over_budget ? " -- OVER BUDGET" : "");
  return elmo_strbuf_take(&b);
}
