/* advise.c — the one advice path: the built-in rules or a language model answer, the calibrator
 * judges the answer. See advise.h. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elmo/advise.h"
#include "elmo/advisor.h"

static int is_builtin(const elmo_llm *llm) { return llm == NULL || strcmp(elmo_llm_provider(llm), "builtin") == 0; }

/* The request's messages with the facts block appended to the last one; *joined holds the new
 * last message (free). */
static size_t with_facts(const elmo_advice_request *req, const char *block, elmo_message *out, char **joined) {
  size_t n = req->n_messages;
  *joined = NULL;
  for (size_t i = 0; i < n; i++) out[i] = req->messages[i];
  if (n > 0 && block != NULL) {
    size_t len = strlen(req->messages[n - 1].content) + strlen(block) + 1;
    if ((*joined = malloc(len)) != NULL) {
      snprintf(*joined, len, "%s%s", req->messages[n - 1].content, block);
      out[n - 1].content = *joined;
    }
  }
  return n;
}

/* The advisor's answer: the rules read the facts; a model reads the prompt and the facts' JSON. */
static elmo_rc ask(const elmo_advice_request *req, elmo_llm *llm, char **answer, elmo_error *err) {
  char *block = elmo_facts_block(req->facts), *joined = NULL;
  if (block == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  elmo_message msgs[ELMO_ADVISE_MAX_MESSAGES];
  size_t n = with_facts(req, block, msgs, &joined);
  elmo_rc rc;
  if (is_builtin(llm)) {
    rc = elmo_advisor_answer(req->facts, answer, err);
    if (llm != NULL && n > 0) elmo_llm_record(llm, msgs, n, *answer, rc, err);  /* the transcript */
  } else {
    elmo_llm_reply reply;
    rc = elmo_llm_complete(llm, msgs, n, &reply, err);
    if (rc == ELMO_OK) {
      *answer = reply.text; /* handed over */
      reply.text = NULL;
    }
    elmo_llm_reply_clear(&reply);
  }
  free(joined);
  free(block);
  return rc;
}

elmo_rc elmo_advise(const elmo_advice_request *req, elmo_llm *llm, elmo_advice *out, elmo_error *err) {
  if (out != NULL) memset(out, 0, sizeof *out);
  if (req == NULL || out == NULL || req->facts == NULL || req->catalog == NULL || req->base == NULL ||
      req->policy == NULL || (req->messages == NULL && req->n_messages > 0)) {
    return elmo_error_set(err, ELMO_EINVAL, "advise: NULL argument");
  }
  if (req->n_messages > ELMO_ADVISE_MAX_MESSAGES || (req->n_messages == 0 && !is_builtin(llm))) {
    return elmo_error_set(err, ELMO_EINVAL, "advise: a language model needs 1 to %d messages, not %zu",
                          ELMO_ADVISE_MAX_MESSAGES, req->n_messages);
  }
  elmo_rc rc = ask(req, llm, &out->answer, err);
  if (rc != ELMO_OK) return rc;
  return elmo_calibrate_answer(req->catalog, req->base, out->answer, strlen(out->answer), req->policy,
                               &out->calibration, err);
}

void elmo_advice_clear(elmo_advice *out) {
  if (out == NULL) return;
  free(out->answer);
  elmo_calibration_destroy(out->calibration);
  memset(out, 0, sizeof *out);
}
