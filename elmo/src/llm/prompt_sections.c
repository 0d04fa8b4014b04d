/*
 * prompt_sections.c — the system message and the user message's sections: System, Workload,
 * Objective, Current options (prompt_options.c), Changes since the previous configuration,
 * Results so far, Rejected last time, Telemetry, Task. The words come from prompt_templates.c.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "elmo/value.h"
#include "prompt_internal.h"

#define NUM_BUF 48
#define CELL_MAX 400 /* bytes of the changes cell of one history row */
#define ITEM_MAX 200 /* bytes of a rejected key, value or reason */

static const char *objective_of(const pt_ctx *c) {
  const char *o = c->in->objective;
  return (o != NULL && o[0] != '\0') ? o : "throughput";
}

/* A one-line copy of text (see elmo_prompt_buf_line), or NULL when out of memory. */
static char *one_line(const char *text, size_t max) {
  elmo_strbuf b = ELMO_STRBUF_INIT;
  elmo_prompt_buf_line(&b, text, max, 0);
  return elmo_strbuf_take(&b);
}

/* Moves a finished sub-buffer's text into a slot value; on failure marks b out of memory. */
static char *take_into(elmo_strbuf *b, elmo_strbuf *sub) {
  char *s = elmo_strbuf_take(sub);
  if (s == NULL) b->oom = 1;
  return s;
}

/* ---- the system message --------------------------------------------------------------------- */

static char *pins_rule(const pt_ctx *c, elmo_strbuf *b) {
  elmo_strbuf list = ELMO_STRBUF_INIT, rule = ELMO_STRBUF_INIT;
  for (size_t i = 0; i < c->in->n_locked; i++) {
    const char *name = c->in->locked[i];
    if (name == NULL || name[0] == '\0') continue;
    if (list.len > 0) elmo_strbuf_append(&list, ", ");
    elmo_strbuf_append(&list, name);
    const char *v = elmo_prompt_value_of(c, name);
    if (v != NULL && v[0] != '\0') {
      elmo_strbuf_append(&list, "=");
      elmo_strbuf_append(&list, v);
    }
  }
  if (list.len == 0 && !list.oom) return take_into(b, &list);
  char *names = take_into(b, &list);
  elmo_prompt_buf_fill1(&rule, elmo_prompt_tpl_rule_pins, names);
  free(names);
  return take_into(b, &rule);
}

static char *memory_rule(const pt_ctx *c, elmo_strbuf *b) {
  elmo_strbuf rule = ELMO_STRBUF_INIT;
  char mem[NUM_BUF];
  uint64_t limit = c->in->system->memory_bytes;
  if (limit > 0) {
    elmo_prompt_buf_fill1(&rule, elmo_prompt_tpl_rule_memory,
                          elmo_value_format_bytes(limit, mem, sizeof mem));
  } else {
    elmo_strbuf_append(&rule, elmo_prompt_tpl_rule_no_memory);
  }
  return take_into(b, &rule);
}

char *elmo_prompt_system_text(const pt_ctx *c) {
  elmo_strbuf b = ELMO_STRBUF_INIT;
  char mc[NUM_BUF];
  char *pins = pins_rule(c, &b), *memory = memory_rule(c, &b);
  unsigned f = c->v->flags;
  pt_slot slots[] = {
      {"max_changes", elmo_prompt_fmt_size(c->max_changes, mc, sizeof mc)},
      {"pins_rule", pins},
      {"memory_rule", memory},
      {"realtime_rule", (f & PT_MUTABLE_ONLY) ? elmo_prompt_tpl_rule_realtime : ""},
      {"chunk_rule", (f & PT_CHUNKED) ? elmo_prompt_tpl_rule_chunk : ""},
  };
  elmo_prompt_buf_fill(&b, elmo_prompt_tpl_system, slots, sizeof slots / sizeof slots[0]);
  free(pins);
  free(memory);
  return elmo_strbuf_take(&b);
}

/* ---- System, Workload, Objective ------------------------------------------------------------ */

/* One fact line: tpl filled with text, left out when text is NULL or empty. */
static void fact_text(elmo_strbuf *b, const char *tpl, const char *text) {
  if (text != NULL && text[0] != '\0') elmo_prompt_buf_fill1(b, tpl, text);
}

static void fact_bytes(elmo_strbuf *b, const char *tpl, uint64_t v) {
  char num[NUM_BUF];
  if (v > 0) elmo_prompt_buf_fill1(b, tpl, elmo_value_format_bytes(v, num, sizeof num));
}

/* "read 1800 MB/s, write 900 MB/s", either part left out when unknown. */
static void write_throughput(elmo_strbuf *b, const elmo_system_facts *s) {
  char num[NUM_BUF];
  elmo_strbuf both = ELMO_STRBUF_INIT;
  if (s->read_mb_per_s > 0) {
    elmo_prompt_buf_fill1(&both, elmo_prompt_tpl_fact_read,
                          elmo_prompt_fmt_num(s->read_mb_per_s, 0, num, sizeof num));
  }
  if (s->write_mb_per_s > 0) {
    if (both.len > 0) elmo_strbuf_append(&both, ", ");
    elmo_prompt_buf_fill1(&both, elmo_prompt_tpl_fact_write,
                          elmo_prompt_fmt_num(s->write_mb_per_s, 0, num, sizeof num));
  }
  char *text = take_into(b, &both);
  fact_text(b, elmo_prompt_tpl_fact_throughput, text);
  free(text);
}

static void write_facts(elmo_strbuf *b, const pt_ctx *c) {
  const elmo_system_facts *s = c->in->system;
  char num[NUM_BUF];
  elmo_strbuf_append(b, elmo_prompt_tpl_h_system);
  size_t start = b->len;
  if (s->cpus > 0) {
    elmo_prompt_buf_fill1(b, elmo_prompt_tpl_fact_cpus,
                          elmo_prompt_fmt_num(s->cpus, 0, num, sizeof num));
  }
  fact_bytes(b, elmo_prompt_tpl_fact_memory, s->memory_bytes);
  fact_text(b, elmo_prompt_tpl_fact_storage, s->storage);
  write_throughput(b, s);
  fact_text(b, elmo_prompt_tpl_fact_io_mode, s->io_mode);
  fact_bytes(b, elmo_prompt_tpl_fact_dataset, s->dataset_bytes);
  if (b->len == start && !b->oom) elmo_strbuf_append(b, elmo_prompt_tpl_fact_none);
}

/* Text as written, ending with exactly one newline. */
static void write_block(elmo_strbuf *b, const char *text) {
  size_t n = strlen(text);
  while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' ')) n--;
  elmo_strbuf_appendn(b, text, n);
  elmo_strbuf_append(b, "\n");
}

static void write_goal(elmo_strbuf *b, const pt_ctx *c) {
  elmo_strbuf_append(b, elmo_prompt_tpl_h_workload);
  write_block(b, c->in->workload);
  elmo_strbuf_append(b, elmo_prompt_tpl_h_objective);
  const char *o = c->in->objective;
  elmo_prompt_buf_fill1(b, elmo_prompt_tpl_objective,
                        (o != NULL && o[0] != '\0') ? o : elmo_prompt_tpl_default_objective);
}

/* ---- Changes, Results so far ---------------------------------------------------------------- */

static void write_diff(elmo_strbuf *b, const pt_ctx *c) {
  elmo_strbuf_append(b, elmo_prompt_tpl_h_diff);
  if (c->diff == NULL) {
    elmo_strbuf_append(b, elmo_prompt_tpl_diff_none);
  } else if (c->diff[0] == '\0') {
    elmo_strbuf_append(b, elmo_prompt_tpl_diff_same);
  } else {
    elmo_strbuf_append(b, "```text\n");
    write_block(b, c->diff);
    elmo_strbuf_append(b, "```\n");
  }
}

/* A metric cell: "-" for a zero of a run that did not finish. */
static void cell_num(elmo_strbuf *b, double v, int decimals, int ok) {
  char num[NUM_BUF];
  elmo_strbuf_append(b, (!ok && v == 0) ? "-" : elmo_prompt_fmt_num(v, decimals, num, sizeof num));
  elmo_strbuf_append(b, " | ");
}

/* The changes cell: one change per line in the input, "; "-separated here. */
static void cell_changes(elmo_strbuf *b, const elmo_trial_summary *t) {
  if (t->changes == NULL || t->changes[0] == '\0') {
    elmo_strbuf_append(b, t->iteration == 0 ? elmo_prompt_tpl_history_baseline : "-");
    return;
  }
  elmo_prompt_buf_line(b, t->changes, CELL_MAX, PT_LINE_CELL | PT_LINE_JOIN);
}

static void write_row(elmo_strbuf *b, const elmo_trial_summary *t) {
  char num[NUM_BUF];
  int ok = t->status == NULL || strcmp(t->status, "ok") == 0;
  elmo_strbuf_append(b, "| ");
  elmo_strbuf_append(b, elmo_prompt_fmt_num(t->iteration, 0, num, sizeof num));
  elmo_strbuf_append(b, " | ");
  elmo_prompt_buf_line(b, t->status ? t->status : "ok", 32, PT_LINE_CELL);
  if (t->failure != NULL && t->failure[0] != '\0') {
    elmo_strbuf_append(b, ": ");
    elmo_prompt_buf_line(b, t->failure, PT_MAX_FAILURE, PT_LINE_CELL);
  }
  elmo_strbuf_append(b, " | ");
  cell_num(b, t->ops_per_sec, 0, ok);
  cell_num(b, t->p99_us, 1, ok);
  cell_num(b, t->cpu_percent, 0, ok);
  elmo_strbuf_append(b, t->peak_memory_bytes
                            ? elmo_value_format_bytes(t->peak_memory_bytes, num, sizeof num)
                            : "-");
  elmo_strbuf_append(b, " | ");
  cell_num(b, t->stall_percent, 1, ok);
  cell_changes(b, t);
  elmo_strbuf_append(b, " | ");
  elmo_prompt_buf_line(b, t->reasoning ? t->reasoning : "-", PT_MAX_REASONING, PT_LINE_CELL);
  elmo_strbuf_append(b, " |\n");
}

static void write_history(elmo_strbuf *b, const pt_ctx *c, const pt_plan *p) {
  char num[NUM_BUF];
  size_t n = c->in->n_history;
  size_t window = (c->v->flags & PT_LAST_RUN) && n > 0 ? n - 1 : 0;
  elmo_strbuf_append(b, elmo_prompt_tpl_h_history);
  if (n == 0) {
    elmo_strbuf_append(b, elmo_prompt_tpl_history_none);
    return;
  }
  if (window > 0) {
    elmo_prompt_buf_fill1(b, elmo_prompt_tpl_history_window,
                          elmo_prompt_fmt_size(window, num, sizeof num));
  }
  if (p->hist_trimmed > 0) {
    elmo_prompt_buf_fill1(b, elmo_prompt_tpl_history_trimmed,
                          elmo_prompt_fmt_size(p->hist_trimmed, num, sizeof num));
  }
  if (p->hist_first >= n) return;
  elmo_strbuf_append(b, elmo_prompt_tpl_history_head);
  for (size_t i = p->hist_first; i < n; i++) write_row(b, &c->in->history[i]);
}

/* ---- Rejected last time --------------------------------------------------------------------- */

static const char *json_str(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void quote_one(elmo_strbuf *b, const cJSON *item) {
  const char *key = json_str(item, "key"), *reason = json_str(item, "reason");
  if (key == NULL) key = json_str(item, "option");
  if (reason == NULL) reason = json_str(item, "code");
  const char *value = json_str(item, "value");
  char *k = one_line(key ? key : "?", ITEM_MAX);
  char *v = one_line(value ? value : "", ITEM_MAX);
  char *r = one_line(reason ? reason : "rejected", ITEM_MAX);
  if (k == NULL || v == NULL || r == NULL) {
    b->oom = 1;
  } else {
    pt_slot slots[] = {{"key", k}, {"value", v}, {"reason", r}};
    elmo_prompt_buf_fill(b, elmo_prompt_tpl_rejected_item, slots, 3);
  }
  free(k);
  free(v);
  free(r);
}

char *elmo_prompt_quote_rejected(const char *json) {
  if (json == NULL || json[0] == '\0') return NULL;
  cJSON *root = cJSON_Parse(json);
  const cJSON *list =
      cJSON_IsArray(root) ? root : cJSON_GetObjectItemCaseSensitive(root, "rejected");
  if (!cJSON_IsArray(list)) list = NULL;
  elmo_strbuf b = ELMO_STRBUF_INIT;
  size_t total = 0;
  const cJSON *item;
  cJSON_ArrayForEach(item, list) {
    if (!cJSON_IsObject(item)) continue;
    if (total++ < PT_MAX_REJECTED) quote_one(&b, item);
  }
  if (total > PT_MAX_REJECTED) {
    char num[NUM_BUF];
    elmo_prompt_buf_fill1(&b, elmo_prompt_tpl_rejected_more,
                          elmo_prompt_fmt_size(total - PT_MAX_REJECTED, num, sizeof num));
  }
  cJSON_Delete(root);
  if (total == 0) {
    elmo_strbuf_free(&b);
    return NULL;
  }
  return elmo_strbuf_take(&b);
}

/* ---- the user message ----------------------------------------------------------------------- */

static void write_task(elmo_strbuf *b, const pt_ctx *c, const pt_plan *p) {
  char mc[NUM_BUF], k[NUM_BUF], n[NUM_BUF];
  pt_slot slots[] = {{"objective", objective_of(c)},
                     {"max_changes", elmo_prompt_fmt_size(c->max_changes, mc, sizeof mc)},
                     {"chunk", elmo_prompt_fmt_size(p->chunk + 1, k, sizeof k)},
                     {"chunks", elmo_prompt_fmt_size(p->n_chunks, n, sizeof n)}};
  elmo_strbuf_append(b, elmo_prompt_tpl_h_task);
  elmo_prompt_buf_fill(b, c->v->task, slots, sizeof slots / sizeof slots[0]);
}

static void write_telemetry(elmo_strbuf *b, const pt_ctx *c) {
  const char *t = c->in->telemetry;
  int given = t != NULL && t[0] != '\0';
  if (!(c->v->flags & PT_TELEMETRY) && !((c->v->flags & PT_TELEMETRY_OPT) && given)) return;
  elmo_strbuf_append(b, elmo_prompt_tpl_h_telemetry);
  if (given) {
    write_block(b, t);
  } else {
    elmo_strbuf_append(b, elmo_prompt_tpl_telemetry_none);
  }
}

char *elmo_prompt_user_text(const pt_ctx *c, const pt_plan *p) {
  elmo_strbuf b = ELMO_STRBUF_INIT;
  write_facts(&b, c);
  write_goal(&b, c);
  elmo_prompt_write_options(&b, c, p);
  if (c->v->flags & PT_DIFF) write_diff(&b, c);
  write_history(&b, c, p);
  if (c->rejected != NULL) {
    elmo_strbuf_append(&b, elmo_prompt_tpl_h_rejected);
    elmo_strbuf_append(&b, elmo_prompt_tpl_rejected_intro);
    elmo_strbuf_append(&b, c->rejected);
  }
  write_telemetry(&b, c);
  write_task(&b, c, p);
  return elmo_strbuf_take(&b);
}
