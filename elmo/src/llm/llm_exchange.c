/* llm_exchange.c — one advisor exchange: dispatch to the provider, timing, and the JSON-lines
 * transcript that replay: reads back (llm_replay.c). See llm.h. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "llm_internal.h"

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- providers ---------------------------------------------------------------------------- */

static elmo_rc http_exchange(elmo_llm *llm, const elmo_message *msgs, size_t n, elmo_llm_reply *reply,
                             elmo_error *err) {
  char auth[1024] = "", api_version[] = "anthropic-version: 2023-06-01";
  const char *headers[4] = {"Content-Type: application/json", NULL, NULL, NULL};
  if (llm->key != NULL && llm->kind == ELMO_LLM_OPENAI) {
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", llm->key);
  } else if (llm->key != NULL) {
    snprintf(auth, sizeof auth, "x-api-key: %s", llm->key);
  }
  size_t h = 1;
  if (auth[0]) headers[h++] = auth;
  if (llm->kind == ELMO_LLM_ANTHROPIC) headers[h++] = api_version;
  char *body = elmo_proto_request(llm->kind, llm->model, msgs, n, llm->cfg.max_tokens,
                                  llm->cfg.use_temperature, llm->cfg.temperature);
  if (body == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  elmo_http_request req = {llm->url, headers, body, llm->cfg.connect_timeout_ms, llm->cfg.total_timeout_ms,
                           llm->cfg.max_attempts, llm->cfg.backoff_base_ms, llm->cfg.backoff_max_ms,
                           llm->cfg.max_response_bytes, &llm->cancel, llm->cfg.cancel};
  elmo_http_result res;
  elmo_rc rc = elmo_http_post(&req, &res, err);
  memset(auth, 0, sizeof auth);
  free(body);
  reply->attempts = res.attempts;
  reply->http_status = (int)res.status;
  if (rc == ELMO_OK) rc = elmo_proto_parse_answer(llm->kind, res.body, reply, err);
  elmo_http_result_clear(&res);
  return rc;
}

static elmo_rc replay_exchange(elmo_llm *llm, elmo_llm_reply *reply, elmo_error *err) {
  if (llm->next_replay >= llm->n_replay) {
    return elmo_error_set(err, ELMO_ENOTFOUND, "replay: the transcript has only %zu exchanges",
                          llm->n_replay);
  }
  const replay_entry *e = &llm->replay[llm->next_replay++];
  if (e->answer == NULL) return elmo_error_set(err, e->code, "%s (replayed)", e->message ? e->message : "");
  reply->text = strdup(e->answer);
  reply->model = strdup(e->model ? e->model : "");
  reply->usage = e->usage;
  return reply->text && reply->model ? ELMO_OK : elmo_error_set(err, ELMO_ENOMEM, "out of memory");
}

static elmo_rc builtin_exchange(const elmo_llm *llm, const elmo_message *msgs, size_t n, elmo_llm_reply *reply,
                                elmo_error *err) {
  reply->model = strdup("builtin");
  if (llm->cfg.builtin == NULL) {
    return elmo_error_set(err, ELMO_ENOTFOUND, "the built-in advisor answers the tuners' requests (elmo_advise), "
                          "not a conversation");
  }
  return llm->cfg.builtin(msgs, n, &reply->text, err);
}

/* ---- transcript --------------------------------------------------------------------------- */

static void add_redacted(cJSON *o, const char *name, const char *value) {
  char *safe = elmo_llm_redact(value);
  cJSON_AddStringToObject(o, name, safe ? safe : "");
  free(safe);
}

static cJSON *exchange_json(const elmo_llm *llm, const elmo_message *msgs, size_t n,
                            const elmo_llm_reply *reply, elmo_rc rc, const elmo_error *e) {
  static const char *const kRoles[] = {"system", "user", "assistant"};
  char when[32];
  time_t t = time(NULL);
  struct tm tm;
  strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
  cJSON *o = cJSON_CreateObject(), *arr = cJSON_CreateArray(), *usage = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "time", when);
  cJSON_AddStringToObject(o, "provider", elmo_llm_provider(llm));
  add_redacted(o, "model", reply->model && reply->model[0] ? reply->model : llm->model);
  if (llm->url) add_redacted(o, "url", llm->url);
  for (size_t i = 0; arr != NULL && i < n; i++) {
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "role", kRoles[msgs[i].role <= ELMO_ROLE_ASSISTANT ? msgs[i].role : 1]);
    add_redacted(m, "content", msgs[i].content);
    cJSON_AddItemToArray(arr, m);
  }
  cJSON_AddItemToObject(o, "messages", arr);
  if (rc == ELMO_OK) add_redacted(o, "answer", reply->text); else cJSON_AddNullToObject(o, "answer");
  cJSON_AddNumberToObject(usage, "prompt_tokens", (double)reply->usage.prompt_tokens);
  cJSON_AddNumberToObject(usage, "completion_tokens", (double)reply->usage.completion_tokens);
  cJSON_AddItemToObject(o, "usage", usage);
  cJSON_AddNumberToObject(o, "attempts", reply->attempts);
  cJSON_AddNumberToObject(o, "retries", reply->attempts > 1 ? reply->attempts - 1 : 0);
  cJSON_AddNumberToObject(o, "status", reply->http_status);
  cJSON_AddNumberToObject(o, "seconds", reply->seconds);
  if (llm->kind == ELMO_LLM_MANUAL) { /* where the person found the request and left the answer */
    cJSON *files = cJSON_CreateObject();
    add_redacted(files, "prompt", llm->manual.prompt_path);
    if (llm->manual.answer_from != NULL) add_redacted(files, "answer", llm->manual.answer_from);
    else cJSON_AddNullToObject(files, "answer");
    cJSON_AddItemToObject(o, "manual", files);
  }
  if (rc == ELMO_OK) {
    cJSON_AddNullToObject(o, "error");
  } else {
    cJSON *er = cJSON_CreateObject();
    cJSON_AddStringToObject(er, "code", elmo_strerror(rc));
    add_redacted(er, "message", e->message);
    cJSON_AddItemToObject(o, "error", er);
  }
  return o;
}

/* Appends one line with a single write(2) on an O_APPEND descriptor. */
static void append_transcript(const elmo_llm *llm, const elmo_message *msgs, size_t n,
                              const elmo_llm_reply *reply, elmo_rc rc, const elmo_error *e) {
  if (llm->transcript == NULL) return;
  cJSON *o = exchange_json(llm, msgs, n, reply, rc, e);
  char *line = o ? cJSON_PrintUnformatted(o) : NULL;
  cJSON_Delete(o);
  if (line == NULL) return;
  size_t len = strlen(line);
  line[len] = '\n'; /* replaces the NUL; written with its length */
  int fd = open(llm->transcript, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ssize_t w = write(fd, line, len + 1);
    (void)w;
    close(fd);
  }
  free(line);
}

elmo_rc elmo_llm_complete(elmo_llm *llm, const elmo_message *msgs, size_t n, elmo_llm_reply *reply,
                          elmo_error *err) {
  if (reply != NULL) memset(reply, 0, sizeof *reply);
  if (llm == NULL || reply == NULL || msgs == NULL || n == 0) {
    return elmo_error_set(err, ELMO_EINVAL, "llm_complete: %s",
                          (msgs == NULL || n == 0) ? "no messages to send" : "NULL argument");
  }
  elmo_error local;
  elmo_error *e = err ? err : &local;
  elmo_error_clear(e);
  double t0 = now_seconds();
  elmo_rc rc;
  if (llm->kind == ELMO_LLM_MANUAL) { /* this exchange's files only, in its transcript line */
    free(llm->manual.prompt_path);
    free(llm->manual.answer_from);
    llm->manual.prompt_path = llm->manual.answer_from = NULL;
  }
  if (__atomic_load_n(&llm->cancel, __ATOMIC_SEQ_CST) || (llm->cfg.cancel != NULL && __atomic_load_n(llm->cfg.cancel, __ATOMIC_RELAXED))) {
    rc = elmo_error_set(e, ELMO_ECANCELED, "cancelled");
  } else if (llm->kind == ELMO_LLM_REPLAY) {
    rc = replay_exchange(llm, reply, e);
  } else if (llm->kind == ELMO_LLM_BUILTIN) {
    rc = builtin_exchange(llm, msgs, n, reply, e);
  } else if (llm->kind == ELMO_LLM_MANUAL) {
    rc = elmo_llm_manual_exchange(llm, msgs, n, reply, e);
  } else {
    rc = http_exchange(llm, msgs, n, reply, e);
  }
  reply->seconds = now_seconds() - t0;
  if (rc == ELMO_OK) { /* an answer echoing a key must not carry it into reports */
    char *safe = elmo_llm_redact(reply->text);
    if (safe == NULL) rc = elmo_error_set(e, ELMO_ENOMEM, "out of memory");
    free(reply->text);
    reply->text = safe;
  }
  if (rc != ELMO_OK) { /* make sure no secret leaves through the message */
    char *safe = elmo_llm_redact(e->message);
    if (safe != NULL) snprintf(e->message, sizeof e->message, "%s", safe);
    free(safe);
  }
  append_transcript(llm, msgs, n, reply, rc, e);
  if (rc != ELMO_OK) {
    int attempts = reply->attempts, status = reply->http_status;
    double secs = reply->seconds;
    elmo_llm_reply_clear(reply);
    reply->attempts = attempts;
    reply->http_status = status;
    reply->seconds = secs;
  }
  return rc;
}

void elmo_llm_record(elmo_llm *llm, const elmo_message *msgs, size_t n, const char *answer, elmo_rc rc,
                     const elmo_error *err) {
  if (llm == NULL || msgs == NULL) return;
  elmo_error none;
  elmo_error_clear(&none);
  elmo_llm_reply reply;
  memset(&reply, 0, sizeof reply);
  reply.text = rc == ELMO_OK ? (char *)answer : NULL;
  reply.model = (char *)elmo_llm_provider(llm);
  append_transcript(llm, msgs, n, &reply, rc == ELMO_OK && answer == NULL ? ELMO_EINTERNAL : rc,
                    err != NULL ? err : &none);
}
