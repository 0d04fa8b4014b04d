/* llm_proto.c — the OpenAI Chat Completions and Anthropic Messages wire formats. Pure. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "llm_internal.h"

static const char *role_name(elmo_role r) {
  return r == ELMO_ROLE_SYSTEM ? "system" : r == ELMO_ROLE_ASSISTANT ? "assistant" : "user";
}

static cJSON *message_json(const elmo_message *m) {
  cJSON *o = cJSON_CreateObject();
  if (o == NULL) return NULL;
  cJSON_AddStringToObject(o, "role", role_name(m->role));
  cJSON_AddStringToObject(o, "content", m->content ? m->content : "");
  return o;
}

/* Anthropic takes system text apart from the messages; several system messages are joined. */
static char *joined_system(const elmo_message *msgs, size_t n) {
  elmo_strbuf b = ELMO_STRBUF_INIT;
  int any = 0;
  for (size_t i = 0; i < n; i++) {
    if (msgs[i].role != ELMO_ROLE_SYSTEM || msgs[i].content == NULL) continue;
    if (b.len > 0) elmo_strbuf_append(&b, "\n\n");
    elmo_strbuf_append(&b, msgs[i].content);
    any = 1;
  }
  return any ? elmo_strbuf_take(&b) : NULL;
}

char *elmo_proto_request(elmo_llm_kind kind, const char *model, const elmo_message *msgs, size_t n,
                         int max_tokens, int use_temperature, double temperature) {
  cJSON *root = cJSON_CreateObject();
  cJSON *arr = cJSON_CreateArray();
  if (root == NULL || arr == NULL) {
    cJSON_Delete(root);
    cJSON_Delete(arr);
    return NULL;
  }
  cJSON_AddStringToObject(root, "model", model);
  cJSON_AddNumberToObject(root, "max_tokens", max_tokens);
  if (use_temperature) cJSON_AddNumberToObject(root, "temperature", temperature);
  char *system = NULL;
  if (kind == ELMO_LLM_ANTHROPIC && (system = joined_system(msgs, n)) != NULL) {
    cJSON_AddStringToObject(root, "system", system);
    free(system);
  }
  for (size_t i = 0; i < n; i++) {
    if (kind == ELMO_LLM_ANTHROPIC && msgs[i].role == ELMO_ROLE_SYSTEM) continue;
    cJSON_AddItemToArray(arr, message_json(&msgs[i]));
  }
  cJSON_AddItemToObject(root, "messages", arr);
  if (kind == ELMO_LLM_OPENAI) cJSON_AddBoolToObject(root, "stream", 0);
  char *s = cJSON_PrintUnformatted(root);
  cJSON_Delete(root);
  return s;
}

static uint64_t number_or_zero(const cJSON *o, const char *name) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
  return (cJSON_IsNumber(v) && v->valuedouble > 0) ? (uint64_t)v->valuedouble : 0;
}

/* OpenAI: choices[0].message.content; usage.prompt_tokens / completion_tokens. */
static const char *openai_text(const cJSON *root, elmo_llm_usage *u) {
  const cJSON *usage = cJSON_GetObjectItemCaseSensitive(root, "usage");
  u->prompt_tokens = number_or_zero(usage, "prompt_tokens");
  u->completion_tokens = number_or_zero(usage, "completion_tokens");
  const cJSON *choice = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "choices"), 0);
  const cJSON *msg = cJSON_GetObjectItemCaseSensitive(choice, "message");
  const cJSON *content = cJSON_GetObjectItemCaseSensitive(msg, "content");
  return cJSON_IsString(content) ? content->valuestring : NULL;
}

/* Anthropic: the text blocks of content[] joined; usage.input_tokens / output_tokens. */
static char *anthropic_text(const cJSON *root, elmo_llm_usage *u) {
  const cJSON *usage = cJSON_GetObjectItemCaseSensitive(root, "usage");
  u->prompt_tokens = number_or_zero(usage, "input_tokens");
  u->completion_tokens = number_or_zero(usage, "output_tokens");
  const cJSON *content = cJSON_GetObjectItemCaseSensitive(root, "content");
  elmo_strbuf b = ELMO_STRBUF_INIT;
  const cJSON *block;
  cJSON_ArrayForEach(block, content) {
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(block, "text");
    if (cJSON_IsString(t)) elmo_strbuf_append(&b, t->valuestring);
  }
  if (cJSON_IsArray(content) && b.len > 0) return elmo_strbuf_take(&b);
  elmo_strbuf_free(&b); /* no text, or out of memory */
  return NULL;
}

elmo_rc elmo_proto_parse_answer(elmo_llm_kind kind, const char *body, elmo_llm_reply *reply,
                                elmo_error *err) {
  cJSON *root = cJSON_Parse(body ? body : "");
  if (root == NULL) {
    return elmo_error_set(err, ELMO_EPROTO, "the server's answer is not valid JSON (%zu bytes)",
                          body ? strlen(body) : (size_t)0);
  }
  char *text = NULL;
  if (kind == ELMO_LLM_OPENAI) {
    const char *t = openai_text(root, &reply->usage);
    text = t ? strdup(t) : NULL;
  } else {
    text = anthropic_text(root, &reply->usage);
  }
  const cJSON *model = cJSON_GetObjectItemCaseSensitive(root, "model");
  if (text != NULL && cJSON_IsString(model)) {
    free(reply->model);
    reply->model = strdup(model->valuestring);
  }
  cJSON_Delete(root);
  if (text == NULL) {
    return elmo_error_set(err, ELMO_EPROTO, "the server's answer has no %s",
                          kind == ELMO_LLM_OPENAI ? "choices[0].message.content" : "text content");
  }
  reply->text = text;
  return ELMO_OK;
}

char *elmo_proto_error_message(const char *body) {
  cJSON *root = cJSON_Parse(body ? body : "");
  const cJSON *e = cJSON_GetObjectItemCaseSensitive(root, "error");
  const cJSON *m = cJSON_IsObject(e) ? cJSON_GetObjectItemCaseSensitive(e, "message") : e;
  char *s = cJSON_IsString(m) ? strdup(m->valuestring) : NULL;
  cJSON_Delete(root);
  return s;
}
