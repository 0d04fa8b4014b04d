/* advisor.c — the built-in rule-based advisor. See advisor.h. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisor_internal.h"
#include "facts.h"
#include "elmo/advisor.h"
#include "elmo/number.h"

char *elmo_facts_block(cJSON *facts) {
  char *json = facts != NULL ? cJSON_PrintUnformatted(facts) : NULL;
  cJSON_Delete(facts);
  if (json == NULL) return NULL;
  size_t n = strlen(json) + 64;
  char *block = malloc(n);
  if (block != NULL) snprintf(block, n, "\n\nFacts (machine-readable):\n```json\n%s\n```\n", json);
  free(json);
  return block;
}

/* Finds the facts object in the last user message carrying one (elmo_facts_block's format). */
static cJSON *find_facts(const elmo_message *msgs, size_t n) {
  for (size_t i = n; i-- > 0;) {
    const char *c = msgs[i].content;
    const char *p = c ? strstr(c, "```json") : NULL;
    while (p != NULL) {
      const char *start = strchr(p, '{');
      const char *end = start ? strstr(start, "\n```") : NULL;
      if (start && end) {
        cJSON *o = cJSON_ParseWithLength(start, (size_t)(end - start));
        if (o != NULL && cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(o, "elmo_facts"))) return o;
        cJSON_Delete(o);
      }
      p = strstr(p + 7, "```json");
    }
  }
  return NULL;
}

static double num(const cJSON *o, const char *k, double def) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsNumber(v) ? v->valuedouble : def;
}

static const char *str(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void read_facts(const cJSON *f, advisor_facts *a) {
  memset(a, 0, sizeof *a);
  const cJSON *w = cJSON_GetObjectItemCaseSensitive(f, "workload");
  a->read = num(w, "read", 0);
  a->write = num(w, "write", 0);
  a->scan = num(w, "scan", 0);
  a->key_bytes = num(w, "key_bytes", 16);
  a->value_bytes = num(w, "value_bytes", 100);
  a->num_keys = num(w, "num_keys", 1e6);
  a->skewed = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(w, "skewed"));
  a->preload = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(w, "preload"));
  a->threads = (int)num(w, "threads", 1);
  a->rewrite = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(w, "rewrite"));
  if (a->threads < 1) a->threads = 1;
  a->cpus = (int)num(f, "cpus", 2);
  if (a->cpus < 1) a->cpus = 1;
  a->memory = num(f, "memory_bytes", 0);
  a->budget = num(f, "memory_budget_bytes", 0);
  a->direct_io = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(f, "direct_io"));
  const char *phase = str(f, "phase");
  a->finetune = phase != NULL && strcmp(phase, "finetune") == 0;
  const cJSON *best = cJSON_GetObjectItemCaseSensitive(f, "best");
  a->best_options = cJSON_GetObjectItemCaseSensitive(best, "options");
  a->stall_percent = num(best, "stall_percent", 0);
  a->estimate = num(best, "memory_estimate_bytes", 0);
  a->cache_bytes = num(best, "block_cache_bytes", 0);
  a->cache_hit = num(best, "cache_hit_rate", -1);
  a->tried = cJSON_GetObjectItemCaseSensitive(f, "tried");
  a->locked = cJSON_GetObjectItemCaseSensitive(f, "locked");
  a->focus = cJSON_GetObjectItemCaseSensitive(f, "focus");
  a->rejected = cJSON_GetObjectItemCaseSensitive(f, "rejected");
}

static int append(char **buf, size_t *len, size_t *cap, const char *text) {
  size_t n = strlen(text);
  if (*len + n + 1 > *cap) {
    size_t nc = (*len + n + 1) * 2;
    char *nb = realloc(*buf, nc);
    if (nb == NULL) return -1;
    *buf = nb;
    *cap = nc;
  }
  memcpy(*buf + *len, text, n + 1);
  *len += n;
  return 0;
}

/* Reasoning, then one ```ini block with the move's options in their sections. */
static char *format_answer(const advisor_move *m, const advisor_facts *a) {
  static const char *const kSections[] = {"[DBOptions]", "[CFOptions \"default\"]",
                                          "[TableOptions/BlockBasedTable \"default\"]"};
  size_t len = 0, cap = 1024;
  char *buf = calloc(1, cap), line[1536];
  snprintf(line, sizeof line, "Built-in advisor (rule-based, not an LLM). %s\n\n%s\n\n```ini\n",
           a->finetune ? "Fine-tuning the options changed last." : "Next move on the best configuration so far.",
           m->reason);
  int bad = buf == NULL || append(&buf, &len, &cap, line);
  for (int s = 0; s < 3 && !bad; s++) {
    int header = 0;
    for (size_t i = 0; i < m->n && !bad; i++) {
      if (m->opts[i].section != s) continue;
      if (!header) bad = append(&buf, &len, &cap, kSections[s]) || append(&buf, &len, &cap, "\n");
      header = 1;
      snprintf(line, sizeof line, "%s=%s\n", m->opts[i].name, m->opts[i].value);
      bad = bad || append(&buf, &len, &cap, line);
    }
  }
  if (!bad) bad = append(&buf, &len, &cap, "```\n");
  if (bad) {
    free(buf);
    return NULL;
  }
  return buf;
}

static char *nothing_left(const advisor_facts *a) {
  char buf[512];
  elmo_number_snprintf(buf, sizeof buf,
           "Built-in advisor (rule-based, not an LLM): every move my rules have for this workload "
           "(%.0f%% reads, %.0f%% writes, %.0f%% scans) has been measured; I have no further change "
           "to propose.\n", a->read * 100, a->write * 100, a->scan * 100);
  return strdup(buf);
}

elmo_rc elmo_advisor_answer(const elmo_message *msgs, size_t n, char **answer, elmo_error *err) {
  if (answer != NULL) *answer = NULL;
  if (answer == NULL || (msgs == NULL && n > 0)) return elmo_error_set(err, ELMO_EINVAL, "advisor: NULL argument");
  cJSON *f = find_facts(msgs, n);
  if (f == NULL) {
    *answer = strdup("Built-in advisor (rule-based, not an LLM): this prompt has no machine-readable "
                     "facts block, so I cannot reason about it.\n");
    return elmo_error_set(err, ELMO_EPARSE, "advisor: the prompt carries no ```json facts block");
  }
  advisor_facts a;
  read_facts(f, &a);
  advisor_move m;
  int found = a.finetune ? elmo_advisor_finetune(&a, &m) : 0;
  if (!found) found = elmo_advisor_next_move(&a, &m);
  *answer = found ? format_answer(&m, &a) : nothing_left(&a);
  cJSON_Delete(f);
  if (*answer == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  return ELMO_OK;
}

void elmo_advisor_register(void) { elmo_llm_set_builtin(elmo_advisor_answer); }
