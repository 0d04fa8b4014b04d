/* llm_replay.c — the provider "replay:FILE": a transcript written by llm_exchange.c, read back
 * whole at create time, so a run can be repeated answer for answer. See llm.h. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llm_internal.h"

enum { kMaxReplayBytes = 64 << 20 };

static elmo_rc code_from_name(const char *name) {
  for (int rc = ELMO_OK + 1; rc <= ELMO_RC_LAST; rc++) {
    if (name != NULL && strcmp(elmo_strerror((elmo_rc)rc), name) == 0) return (elmo_rc)rc;
  }
  return ELMO_EPROTO;
}

static elmo_rc add_entry(elmo_llm *llm, const cJSON *o, size_t line, const char *path, elmo_error *err) {
  const cJSON *answer = cJSON_GetObjectItemCaseSensitive(o, "answer");
  const cJSON *error = cJSON_GetObjectItemCaseSensitive(o, "error");
  const cJSON *model = cJSON_GetObjectItemCaseSensitive(o, "model");
  if (!cJSON_IsString(answer) && !cJSON_IsObject(error)) {
    return elmo_error_set(err, ELMO_EPARSE, "%s: line %zu has neither an answer nor an error", path, line);
  }
  replay_entry *grown = realloc(llm->replay, (llm->n_replay + 1) * sizeof *grown);
  if (grown == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  llm->replay = grown;
  replay_entry *e = &llm->replay[llm->n_replay++];
  memset(e, 0, sizeof *e);
  if (cJSON_IsString(answer)) e->answer = strdup(answer->valuestring);
  if (cJSON_IsObject(error)) {
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(error, "code");
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(error, "message");
    e->code = code_from_name(cJSON_IsString(code) ? code->valuestring : NULL);
    e->message = strdup(cJSON_IsString(msg) ? msg->valuestring : "");
  }
  if (cJSON_IsString(model)) e->model = strdup(model->valuestring);
  const cJSON *usage = cJSON_GetObjectItemCaseSensitive(o, "usage");
  const cJSON *in = cJSON_GetObjectItemCaseSensitive(usage, "prompt_tokens");
  const cJSON *out = cJSON_GetObjectItemCaseSensitive(usage, "completion_tokens");
  if (cJSON_IsNumber(in) && in->valuedouble > 0) e->usage.prompt_tokens = (uint64_t)in->valuedouble;
  if (cJSON_IsNumber(out) && out->valuedouble > 0) e->usage.completion_tokens = (uint64_t)out->valuedouble;
  return ELMO_OK;
}

static char *read_all(const char *path, elmo_error *err) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    elmo_error_set(err, ELMO_EIO, "replay: cannot open %s: %s", path, strerror(errno));
    return NULL;
  }
  char *buf = malloc(kMaxReplayBytes + 1);
  size_t n = buf ? fread(buf, 1, kMaxReplayBytes + 1, f) : 0;
  fclose(f);
  if (buf == NULL || n > kMaxReplayBytes) {
    free(buf);
    elmo_error_set(err, ELMO_ETOOBIG, "replay: %s is larger than %d bytes", path, kMaxReplayBytes);
    return NULL;
  }
  buf[n] = '\0';
  return buf;
}

elmo_rc elmo_llm_load_replay(elmo_llm *llm, const char *path, elmo_error *err) {
  char *text = read_all(path, err);
  if (text == NULL) return err ? err->code : ELMO_EIO;
  elmo_rc rc = ELMO_OK;
  size_t line = 0;
  char *save = NULL;
  for (char *l = strtok_r(text, "\n", &save); l != NULL && rc == ELMO_OK; l = strtok_r(NULL, "\n", &save)) {
    line++;
    if (strspn(l, " \t\r") == strlen(l)) continue;
    cJSON *o = cJSON_Parse(l);
    rc = o ? add_entry(llm, o, line, path, err)
           : elmo_error_set(err, ELMO_EPARSE, "%s: line %zu is not a JSON object", path, line);
    cJSON_Delete(o);
  }
  free(text);
  if (rc == ELMO_OK && llm->n_replay == 0) {
    rc = elmo_error_set(err, ELMO_EPARSE, "replay: %s holds no exchanges", path);
  }
  return rc;
}
