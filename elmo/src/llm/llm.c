/* llm.c — providers behind one interface, the transcript, replay and redaction. See llm.h. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "llm_internal.h"



static char *xstrdup(const char *s) { return s ? strdup(s) : NULL; }

/* ---- redaction ---------------------------------------------------------------------------- */

static const char kRedacted[] = "[REDACTED]";

/* Replaces s[at, at+len) with the mark; frees s. Returns the new string or NULL. */
static char *splice(char *s, size_t at, size_t len) {
  size_t after = strlen(s + at + len);
  char *n = malloc(at + sizeof kRedacted + after);
  if (n != NULL) {
    memcpy(n, s, at);
    memcpy(n + at, kRedacted, sizeof kRedacted - 1);
    memcpy(n + at + sizeof kRedacted - 1, s + at + len, after + 1);
  }
  free(s);
  return n;
}

static char *replace_all(char *s, const char *needle) {
  size_t nl = strlen(needle), from = 0;
  for (char *p = strstr(s, needle); s != NULL && p != NULL; p = s ? strstr(s + from, needle) : NULL) {
    size_t at = (size_t)(p - s);
    s = splice(s, at, nl);
    from = at + sizeof kRedacted - 1;
  }
  return s;
}

/* Replaces tokens shaped like provider keys ("sk-" + 16 or more key characters) with the mark. */
static char *mask_key_shapes(char *s) {
  size_t from = 0;
  for (char *p = strstr(s, "sk-"); s != NULL && p != NULL; p = s ? strstr(s + from, "sk-") : NULL) {
    size_t n = 3, at = (size_t)(p - s);
    while (isalnum((unsigned char)p[n]) || p[n] == '-' || p[n] == '_') n++;
    if (n < 19) {
      from = at + 3;
      continue;
    }
    s = splice(s, at, n);
    from = at + sizeof kRedacted - 1;
  }
  return s;
}

char *elmo_llm_redact(const char *text) {
  static const char *const kVars[] = {"ELMO_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY"};
  char *s = strdup(text ? text : "");
  for (size_t i = 0; s != NULL && i < sizeof kVars / sizeof kVars[0]; i++) {
    const char *key = getenv(kVars[i]);
    if (key != NULL && strlen(key) >= 8) s = replace_all(s, key);
  }
  return s != NULL ? mask_key_shapes(s) : NULL;
}

/* ---- configuration ------------------------------------------------------------------------ */

static int is_loopback_url(const char *url) {
  const char *host = strstr(url, "://");
  if (host == NULL) return 0;
  host += 3;
  return strncmp(host, "127.", 4) == 0 || strncmp(host, "localhost", 9) == 0 ||
         strncmp(host, "[::1]", 5) == 0;
}

static void apply_defaults(elmo_llm_config *c) {
  if (c->connect_timeout_ms <= 0) c->connect_timeout_ms = 10000;
  if (c->total_timeout_ms <= 0) c->total_timeout_ms = 180000;
  if (c->max_attempts <= 0) c->max_attempts = 5;
  if (c->backoff_base_ms <= 0) c->backoff_base_ms = 1000;
  if (c->backoff_max_ms <= 0) c->backoff_max_ms = 60000;
  if (c->max_response_bytes == 0) c->max_response_bytes = 4u << 20;
  if (c->max_tokens <= 0) c->max_tokens = 4096;
}

int elmo_llm_spec_is_manual(const char *spec) {
  return spec != NULL && (strcmp(spec, "manual") == 0 || strncmp(spec, "manual:", 7) == 0);
}

static elmo_rc parse_spec(elmo_llm *llm, const char *spec, elmo_error *err) {
  static const struct {
    const char *prefix;
    elmo_llm_kind kind;
  } kKinds[] = {{"openai:", ELMO_LLM_OPENAI}, {"anthropic:", ELMO_LLM_ANTHROPIC}, {"replay:", ELMO_LLM_REPLAY}};
  if (spec != NULL && (strcmp(spec, "builtin") == 0 || elmo_llm_spec_is_manual(spec))) {
    llm->kind = spec[0] == 'b' ? ELMO_LLM_BUILTIN : ELMO_LLM_MANUAL;
    llm->model = strdup("");
    return llm->model ? ELMO_OK : ELMO_ENOMEM;
  }
  for (size_t i = 0; spec != NULL && i < sizeof kKinds / sizeof kKinds[0]; i++) {
    size_t n = strlen(kKinds[i].prefix);
    if (strncmp(spec, kKinds[i].prefix, n) == 0 && spec[n] != '\0') {
      llm->kind = kKinds[i].kind;
      llm->model = strdup(kKinds[i].kind == ELMO_LLM_REPLAY ? "" : spec + n);
      return llm->model ? ELMO_OK : ELMO_ENOMEM;
    }
  }
  return elmo_error_set(err, ELMO_EINVAL,
                        "unknown provider spec '%s' (expected openai:MODEL, anthropic:MODEL, "
                        "replay:FILE, manual[:DIR] or builtin)", spec ? spec : "(null)");
}

static elmo_rc set_endpoint(elmo_llm *llm, elmo_error *err) {
  const char *base = llm->cfg.base_url ? llm->cfg.base_url : getenv("ELMO_BASE_URL");
  if (base == NULL || base[0] == '\0') {
    base = llm->kind == ELMO_LLM_OPENAI ? "https://api.openai.com/v1" : "https://api.anthropic.com";
  }
  const char *host = strncmp(base, "http://", 7) == 0 ? base + 7 : strncmp(base, "https://", 8) == 0 ? base + 8 : NULL;
  if (host == NULL || host[0] == '\0' || host[0] == '/' || host[0] == ':') {
    return elmo_error_set(err, ELMO_EINVAL, "base URL '%s' is not an http:// or https:// URL with a host", base);
  }
  size_t n = strlen(base);
  while (n > 0 && base[n - 1] == '/') n--;
  const char *path = "/chat/completions";
  if (llm->kind == ELMO_LLM_ANTHROPIC) {
    path = (n >= 3 && strncmp(base + n - 3, "/v1", 3) == 0) ? "/messages" : "/v1/messages";
  }
  llm->url = malloc(n + strlen(path) + 1);
  if (llm->url == NULL) return ELMO_ENOMEM;
  memcpy(llm->url, base, n);
  strcpy(llm->url + n, path);
  return ELMO_OK;
}

static elmo_rc find_key(elmo_llm *llm, elmo_error *err) {
  const char *own = llm->kind == ELMO_LLM_OPENAI ? "OPENAI_API_KEY" : "ANTHROPIC_API_KEY";
  const char *key = getenv("ELMO_API_KEY");
  if (key == NULL || key[0] == '\0') key = getenv(own);
  if (key != NULL && key[0] != '\0') {
    llm->key = strdup(key);
    return llm->key ? ELMO_OK : ELMO_ENOMEM;
  }
  if (is_loopback_url(llm->url)) return ELMO_OK; /* local servers need no key */
  return elmo_error_set(err, ELMO_EAUTH, "no API key for %s: set ELMO_API_KEY or %s in the environment",
                        llm->url, own);
}

static elmo_rc set_description(elmo_llm *llm) {
  char buf[1024];
  switch (llm->kind) {
    case ELMO_LLM_BUILTIN: snprintf(buf, sizeof buf, "builtin (rule-based expert, not an LLM)"); break;
    case ELMO_LLM_REPLAY: snprintf(buf, sizeof buf, "replay of %s (%zu recorded answers)",
                                   llm->cfg.spec + 7, llm->n_replay); break;
    case ELMO_LLM_MANUAL: snprintf(buf, sizeof buf, "manual (a person answers through %s, not an LLM)",
                                   llm->manual.dir); break;
    default: snprintf(buf, sizeof buf, "%s at %s", llm->cfg.spec, llm->url); break;
  }
  llm->describe = strdup(buf);
  return llm->describe ? ELMO_OK : ELMO_ENOMEM;
}

elmo_rc elmo_llm_create(const elmo_llm_config *cfg, elmo_llm **out, elmo_error *err) {
  if (out != NULL) *out = NULL;
  if (cfg == NULL || out == NULL) return elmo_error_set(err, ELMO_EINVAL, "llm_create: NULL argument");
  elmo_llm *llm = calloc(1, sizeof *llm);
  if (llm == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  llm->cfg = *cfg;
  apply_defaults(&llm->cfg);
  llm->transcript = xstrdup(cfg->transcript_path);
  elmo_rc rc = parse_spec(llm, cfg->spec, err);
  llm->cfg.spec = cfg->spec; /* borrowed only during create; describe copies what it needs */
  if (rc == ELMO_OK && (llm->kind == ELMO_LLM_OPENAI || llm->kind == ELMO_LLM_ANTHROPIC)) {
    rc = set_endpoint(llm, err);
    if (rc == ELMO_OK) rc = find_key(llm, err);
  } else if (rc == ELMO_OK && llm->kind == ELMO_LLM_REPLAY) {
    rc = elmo_llm_load_replay(llm, cfg->spec + 7, err);
  } else if (rc == ELMO_OK && llm->kind == ELMO_LLM_MANUAL) {
    rc = elmo_llm_manual_open(llm, cfg, cfg->spec[6] == ':' ? cfg->spec + 7 : NULL, err);
  }
  if (rc == ELMO_OK) rc = set_description(llm);
  llm->cfg.spec = NULL;
  llm->cfg.transcript_path = llm->transcript;
  llm->cfg.base_url = NULL;
  if (rc != ELMO_OK) {
    if (rc == ELMO_ENOMEM) elmo_error_set(err, rc, "out of memory");
    elmo_llm_destroy(llm);
    return rc;
  }
  *out = llm;
  return ELMO_OK;
}

void elmo_llm_destroy(elmo_llm *llm) {
  if (llm == NULL) return;
  for (size_t i = 0; i < llm->n_replay; i++) {
    free(llm->replay[i].answer);
    free(llm->replay[i].message);
    free(llm->replay[i].model);
  }
  free(llm->replay);
  elmo_llm_manual_close(llm);
  if (llm->key != NULL) memset(llm->key, 0, strlen(llm->key));
  free(llm->key);
  free(llm->model);
  free(llm->url);
  free(llm->describe);
  free(llm->transcript);
  free(llm);
}

void elmo_llm_cancel(elmo_llm *llm) {
  if (llm != NULL) __atomic_store_n(&llm->cancel, 1, __ATOMIC_SEQ_CST);
}

const char *elmo_llm_provider(const elmo_llm *llm) {
  static const char *const kNames[] = {"openai", "anthropic", "replay", "builtin", "manual"};
  return llm ? kNames[llm->kind] : "";
}
const char *elmo_llm_model(const elmo_llm *llm) { return llm ? llm->model : ""; }
int elmo_llm_is_language_model(const elmo_llm *llm) {
  return llm != NULL && (llm->kind == ELMO_LLM_OPENAI || llm->kind == ELMO_LLM_ANTHROPIC);
}
const char *elmo_llm_describe(const elmo_llm *llm) { return llm ? llm->describe : ""; }

void elmo_llm_reply_clear(elmo_llm_reply *r) {
  if (r == NULL) return;
  free(r->text);
  free(r->model);
  memset(r, 0, sizeof *r);
}
