/*
 * llm.h — the advisor behind one interface: messages in, text and usage out, typed errors.
 *
 * Module elmo/src/llm/: the advisor's channel: providers and the transcript (llm.c,
 *  llm_exchange.c, llm_replay.c, llm_manual.c: a person answers, llm_http.c over libcurl,
 *  llm_proto.c: the OpenAI and Anthropic wire formats)
 *  and the prompts (prompt.c with prompt_options.c, prompt_sections.c, prompt_templates.c,
 *  prompt_text.c; prompt.h). Uses base, options.
 *
 * Conventions: see elmo.h. An elmo_llm is used by one thread at a time; elmo_llm_cancel may be
 * called from any thread.
 *
 * Providers (the spec string):
 *   openai:MODEL     OpenAI-compatible Chat Completions (POST {base}/chat/completions): OpenAI,
 *                    vLLM, llama.cpp's server, Ollama's /v1. Default base https://api.openai.com/v1.
 *   anthropic:MODEL  the Anthropic Messages API (POST {base}/v1/messages, anthropic-version
 *                    2023-06-01). Default base https://api.anthropic.com.
 *   replay:FILE      the answers of a recorded transcript (the JSON lines this module writes),
 *                    in order, errors included: deterministic re-runs and tests.
 *   builtin          ELMo's offline expert (not an LLM); see advisor.h.
 *   manual[:DIR]     a person answers, with a chat window of their own (not an LLM, no key). Each
 *                    request is written to DIR/prompt-NNN.md (NNN from 001, after the highest
 *                    number already in DIR) and, unless manual_quiet, printed to stderr with
 *                    instructions; the answer is taken from DIR/answer-NNN.md or
 *                    DIR/answer-NNN.txt once the file holds a line "END" (everything before that
 *                    line is the answer), or from manual_input_fd (stdin by default, watched only
 *                    while it is a pipe or this process's foreground terminal): the text before a
 *                    line "END", or everything up to end of input. DIR defaults to "manual"
 *                    beside the transcript; it is created. The wait ends with ELMO_ECANCELED
 *                    (elmo_llm_cancel, cfg.cancel) or ELMO_ETIMEOUT after total_timeout_ms
 *                    (0: no limit for this provider).
 * The base URL comes from the config, else the ELMO_BASE_URL environment variable, else the
 * provider's public default.
 *
 * Keys come only from the environment: ELMO_API_KEY, else OPENAI_API_KEY / ANTHROPIC_API_KEY.
 * They are never written to a transcript, log or error message (every text this module produces
 * passes through elmo_llm_redact).
 *
 * HTTP (libcurl): connect and total timeouts per attempt; retries with exponential backoff and
 * full jitter on HTTP 429, 5xx and network errors (timeouts included), honouring Retry-After;
 * a cap on the response size; TLS verification on; the usual proxy variables (http_proxy,
 * https_proxy, no_proxy) honoured by libcurl; CURLOPT_NOSIGNAL (safe in threaded processes).
 */
#ifndef ELMO_LLM_H
#define ELMO_LLM_H

#include <stddef.h>
#include <stdint.h>

#include "elmo/elmo.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum elmo_role { ELMO_ROLE_SYSTEM = 0, ELMO_ROLE_USER = 1, ELMO_ROLE_ASSISTANT = 2 } elmo_role;

typedef struct elmo_message {
  elmo_role role;
  const char *content; /* UTF-8 text */
} elmo_message;

typedef struct elmo_llm_usage {
  uint64_t prompt_tokens;     /* as the server reports them; 0 when it does not */
  uint64_t completion_tokens;
} elmo_llm_usage;

typedef struct elmo_llm_reply {
  char *text;          /* the answer; owned, freed by elmo_llm_reply_clear */
  char *model;         /* the model the server says answered, or the configured one; owned */
  elmo_llm_usage usage;
  int attempts;        /* HTTP attempts made (1: no retry; 0 for replay/builtin/manual) */
  int http_status;     /* status of the last attempt; 0 when there was none */
  double seconds;      /* wall time, retries and backoff included */
} elmo_llm_reply;

/* An answer function for the provider "builtin" (advisor.h: elmo_advisor_chat). */
typedef elmo_rc (*elmo_llm_builtin_fn)(const elmo_message *msgs, size_t n, char **answer,
                                       elmo_error *err);

typedef struct elmo_llm_config {
  const char *spec;             /* provider spec, see above; required */
  const char *base_url;         /* NULL: ELMO_BASE_URL, else the provider's default */
  long connect_timeout_ms;      /* 0: 10 000 */
  long total_timeout_ms;        /* per attempt; 0: 180 000 (manual: the whole wait; 0: no limit) */
  int max_attempts;             /* 0: 5 */
  long backoff_base_ms;         /* first retry waits up to this; doubles each time; 0: 1000 */
  long backoff_max_ms;          /* cap on one wait (Retry-After included); 0: 60 000 */
  size_t max_response_bytes;    /* 0: 4 MiB */
  int max_tokens;               /* answer budget sent to the API; 0: 4096 */
  double temperature;           /* < 0 or 0 with use_temperature 0: provider default */
  int use_temperature;          /* 1: send temperature */
  const char *transcript_path;  /* JSON lines appended per exchange; NULL: none */
  volatile int *cancel;         /* an outside flag (e.g. Ctrl-C) polled like elmo_llm_cancel; may be NULL */
  elmo_llm_builtin_fn builtin;  /* provider "builtin": what answers elmo_llm_complete (a chat with
                                 * a facts block: elmo_advisor_chat); NULL: complete says the
                                 * built-in advisor answers only through elmo_advise (advise.h) */
  int manual_input_fd;          /* provider "manual": a descriptor answers may also be typed or
                                 * piped into, watched while it is a pipe, a socket or this
                                 * process's foreground terminal: 0 (the default) is stdin; -1:
                                 * answer files only */
  int manual_quiet;             /* provider "manual": 1: nothing on stderr (inside a host
                                 * program); the request is still written to its file */
} elmo_llm_config;

typedef struct elmo_llm elmo_llm;

/*
 * Creates a provider. Checks the spec, the base URL and (for openai/anthropic) that a key is in
 * the environment — except for a base URL on a loopback host, where local servers (vLLM,
 * llama.cpp, Ollama) need none. Replay reads its whole transcript here.
 * Returns ELMO_OK, ELMO_EINVAL (bad spec or URL; manual: an empty DIR, or no DIR and no
 * transcript; message names it), ELMO_EAUTH (no key), ELMO_EIO / ELMO_EPARSE (replay file;
 * manual: DIR cannot be created, listed or written), ELMO_ENOMEM.
 */
ELMO_API elmo_rc elmo_llm_create(const elmo_llm_config *cfg, elmo_llm **out, elmo_error *err);
ELMO_API void elmo_llm_destroy(elmo_llm *llm);

/* 1 when spec names the provider "manual" ("manual" or "manual:DIR"): a person answers. Pure. */
ELMO_API int elmo_llm_spec_is_manual(const char *spec);

/*
 * Sends the conversation and waits for the answer (retrying as described above).
 * OUT reply: filled on success; cleared on failure (attempts/http_status/seconds still set).
 * Returns ELMO_OK, or: ELMO_ENET (network, after retries), ELMO_ETIMEOUT (every attempt timed
 * out; manual: no answer in total_timeout_ms), ELMO_ERATELIMIT, ELMO_ESERVER, ELMO_EAUTH,
 * ELMO_EPROTO (malformed answer, wrong content type, 4xx; manual: an empty answer), ELMO_ETOOBIG
 * (answer over the cap), ELMO_ECANCELED, ELMO_ENOTFOUND (replay exhausted), ELMO_EIO (manual: the
 * request cannot be written, an answer file cannot be read or is not a regular file),
 * ELMO_EINVAL, ELMO_ENOMEM. Every exchange, failed or not, goes to the transcript.
 */
ELMO_API elmo_rc elmo_llm_complete(elmo_llm *llm, const elmo_message *msgs, size_t n, elmo_llm_reply *reply,
                          elmo_error *err);

ELMO_API void elmo_llm_reply_clear(elmo_llm_reply *reply);

/* Makes the current and every later elmo_llm_complete return ELMO_ECANCELED within ~100 ms.
 * Thread-safe. */
ELMO_API void elmo_llm_cancel(elmo_llm *llm);

/* "openai", "anthropic", "replay", "builtin", "manual". */
ELMO_API const char *elmo_llm_provider(const elmo_llm *llm);
/* The model name ("" for builtin/replay when unknown). */
ELMO_API const char *elmo_llm_model(const elmo_llm *llm);
/* 1 for real language models, 0 for builtin (an honest rule-based expert), replay and manual (a
 * person: nothing that asks on its own, such as the model's refinement, waits for one). */
ELMO_API int elmo_llm_is_language_model(const elmo_llm *llm);
/* How the provider names itself in reports, e.g. "openai:gpt-4o at http://127.0.0.1:8080/v1",
 * "builtin (rule-based expert, not an LLM)". Static or owned by llm. */
ELMO_API const char *elmo_llm_describe(const elmo_llm *llm);

/* Replaces every occurrence of the API keys in the environment (and anything shaped like
 * "sk-..."/"sk-ant-..." keys) with "[REDACTED]". Returns a new string (elmo_free). */
ELMO_API char *elmo_llm_redact(const char *text);

/*
 * Writes one exchange answered outside elmo_llm_complete (the built-in advisor's, through
 * elmo_advise) to the transcript, as elmo_llm_complete would: msgs, answer (may be NULL when rc is
 * not ELMO_OK) and the error err describes. Does nothing without a transcript.
 */
ELMO_API void elmo_llm_record(elmo_llm *llm, const elmo_message *msgs, size_t n, const char *answer,
                              elmo_rc rc, const elmo_error *err);

#ifdef __cplusplus
}
#endif

#endif /* ELMO_LLM_H */
