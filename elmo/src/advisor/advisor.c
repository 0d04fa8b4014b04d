/* advisor.c — the built-in rule-based advisor: the facts as the rules see them, and the answer
 * (reasoning and an ```ini block) for the move they choose. See advisor.h. */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisor_internal.h"
#include "base/strbuf.h"
#include "elmo/advisor.h"
#include "elmo/number.h"

/* Reasoning, then one ```ini block with the move's options in their sections. */
static char *format_answer(const advisor_move *m, const advisor_facts *a) {
  static const char *const kSections[] = {"[DBOptions]", "[CFOptions \"default\"]",
                                          "[TableOptions/BlockBasedTable \"default\"]"};
  elmo_strbuf b = ELMO_STRBUF_INIT;
  elmo_strbuf_appendf(&b, "Built-in advisor (rule-based, not an LLM). %s\n\n%s\n\n```ini\n",
                      a->finetune                                ? "Fine-tuning the options changed last."
                      : strcmp(a->facts->phase, "realtime") == 0 ? "A change to the live configuration."
                                                                 : "Next move on the best configuration so far.",
                      m->reason);
  for (int s = 0; s < 3; s++) {
    int header = 0;
    for (size_t i = 0; i < m->n; i++) {
      if (m->opts[i].section != s) continue;
      if (!header) elmo_strbuf_appendf(&b, "%s\n", kSections[s]);
      header = 1;
      elmo_strbuf_appendf(&b, "%s=%s\n", m->opts[i].name, m->opts[i].value);
    }
  }
  elmo_strbuf_append(&b, "```\n");
  return elmo_strbuf_take(&b);
}

static char *nothing_left(const advisor_facts *a) {
  char buf[512];
  elmo_number_snprintf(buf, sizeof buf,
           "Built-in advisor (rule-based, not an LLM): every move my rules have for this workload "
           "(%.0f%% reads, %.0f%% writes, %.0f%% scans) has been measured; I have no further change "
           "to propose.\n", a->read * 100, a->write * 100, a->scan * 100);
  return strdup(buf);
}

static int is_realtime(const elmo_facts *f) { return f->phase != NULL && strcmp(f->phase, "realtime") == 0; }

/* The rules' move for facts (a->facts); 1 when there is one. */
static int choose(const advisor_facts *a, advisor_move *m) {
  if (is_realtime(a->facts)) return elmo_advisor_live_move(a, m);
  int found = a->finetune ? elmo_advisor_finetune(a, m) : 0;
  return found || elmo_advisor_next_move(a, m);
}

elmo_rc elmo_advisor_choose(const elmo_facts *facts, elmo_advisor_choice *out, elmo_error *err) {
  if (out != NULL) memset(out, 0, sizeof *out);
  if (out == NULL || facts == NULL || facts->phase == NULL) {
    return elmo_error_set(err, ELMO_EINVAL, "advisor: NULL argument");
  }
  advisor_facts a;
  elmo_advisor_read_facts(facts, &a);
  advisor_move m;
  memset(&m, 0, sizeof m);
  int found = choose(&a, &m);
  for (size_t i = 0; found && i < m.n && i < ELMO_ADVISOR_MAX_OPTIONS; i++) {
    static const elmo_section kSection[] = {ELMO_SECTION_DB, ELMO_SECTION_CF, ELMO_SECTION_TABLE};
    out->sections[i] = kSection[m.opts[i].section];
    snprintf(out->names[i], sizeof out->names[i], "%s", m.opts[i].name);
    snprintf(out->values[i], sizeof out->values[i], "%s", m.opts[i].value);
    out->n++;
  }
  if (found) {
    snprintf(out->reason, sizeof out->reason, "%s", m.reason);
  } else {
    char *none = is_realtime(facts) ? strdup(m.reason) : nothing_left(&a);
    snprintf(out->reason, sizeof out->reason, "%s", none ? none : "");
    free(none);
  }
  return ELMO_OK;
}

elmo_rc elmo_advisor_answer(const elmo_facts *facts, char **answer, elmo_error *err) {
  if (answer != NULL) *answer = NULL;
  if (answer == NULL || facts == NULL || facts->phase == NULL) {
    return elmo_error_set(err, ELMO_EINVAL, "advisor: NULL argument");
  }
  advisor_facts a;
  elmo_advisor_read_facts(facts, &a);
  advisor_move m;
  memset(&m, 0, sizeof m);
  *answer = choose(&a, &m) ? format_answer(&m, &a) : is_realtime(facts) ? strdup(m.reason) : nothing_left(&a);
  if (*answer == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  return ELMO_OK;
}

elmo_rc elmo_advisor_chat(const elmo_message *msgs, size_t n, char **answer, elmo_error *err) {
  if (answer != NULL) *answer = NULL;
  if (answer == NULL || (msgs == NULL && n > 0)) return elmo_error_set(err, ELMO_EINVAL, "advisor: NULL argument");
  const char *texts[64];
  size_t k = 0;
  for (size_t i = n > 64 ? n - 64 : 0; i < n; i++) texts[k++] = msgs[i].content;
  elmo_facts_doc *doc = NULL;
  if (elmo_facts_find(texts, k, &doc, NULL) != ELMO_OK) {
    *answer = strdup("Built-in advisor (rule-based, not an LLM): this prompt has no machine-readable "
                     "facts block, so I cannot reason about it.\n");
    return elmo_error_set(err, ELMO_EPARSE, "advisor: the prompt carries no ```json facts block");
  }
  elmo_rc rc = elmo_advisor_answer(elmo_facts_doc_facts(doc), answer, err);
  elmo_facts_doc_destroy(doc);
  return rc;
}
