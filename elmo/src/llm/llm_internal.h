/* llm_internal.h — shared by llm.c (providers, transcript), llm_http.c (libcurl transport),
 * llm_proto.c (the two wire protocols), llm_replay.c and llm_manual.c (a person answers). */
#ifndef ELMO_LLM_INTERNAL_H
#define ELMO_LLM_INTERNAL_H

#include <stddef.h>

#include "elmo/llm.h"

typedef enum elmo_llm_kind {
  ELMO_LLM_OPENAI = 0,
  ELMO_LLM_ANTHROPIC = 1,
  ELMO_LLM_REPLAY = 2,
  ELMO_LLM_BUILTIN = 3,
  ELMO_LLM_MANUAL = 4
} elmo_llm_kind;

/* One HTTP exchange's outcome, before protocol parsing. */
typedef struct elmo_http_result {
  long status;          /* HTTP status of the last attempt, 0 when none */
  char *body;           /* owned; NUL-terminated */
  size_t body_len;
  char content_type[128];
  int attempts;
} elmo_http_result;

typedef struct elmo_http_request {
  const char *url;
  const char *const *headers; /* "Name: value" lines, NULL-terminated */
  const char *body;
  long connect_timeout_ms, total_timeout_ms;
  int max_attempts;
  long backoff_base_ms, backoff_max_ms;
  size_t max_response_bytes;
  volatile int *cancel;  /* polled during transfers and waits */
  volatile int *cancel2; /* a second flag (the caller's), or NULL */
} elmo_http_request;

/* POSTs with retries (429, 5xx, network errors, timeouts). On a final failure returns the typed
 * code with a message (without any secret). result->attempts is always set. */
elmo_rc elmo_http_post(const elmo_http_request *req, elmo_http_result *result, elmo_error *err);
void elmo_http_result_clear(elmo_http_result *r);

/* Request body for the protocol, or NULL when out of memory. */
char *elmo_proto_request(elmo_llm_kind kind, const char *model, const elmo_message *msgs, size_t n,
                         int max_tokens, int use_temperature, double temperature);

/* Parses a 2xx answer body into reply->text/model/usage. ELMO_EPROTO names what is missing. */
elmo_rc elmo_proto_parse_answer(elmo_llm_kind kind, const char *body, elmo_llm_reply *reply,
                                elmo_error *err);

/* The server's own error message from an error body (either protocol), or NULL. New string. */
char *elmo_proto_error_message(const char *body);

/* One recorded exchange of a replayed transcript. */
typedef struct replay_entry {
  char *answer; /* NULL when the recorded exchange failed */
  elmo_rc code;
  char *message;
  char *model;
  elmo_llm_usage usage;
} replay_entry;

/* The provider "manual" (llm_manual.c): where a person finds the requests and leaves answers. */
typedef struct manual_state {
  char *dir;              /* prompt-NNN.md and answer-NNN.md live here; owned */
  unsigned next;          /* number of the next request */
  long timeout_ms;        /* the whole wait; 0: no limit */
  int input_fd;           /* answers may be typed or piped here; -1: files only */
  int quiet;              /* 1: nothing on stderr */
  int input_done;         /* a pipe's end was reached: files only from now on */
  char *pending;          /* input read past the last answer's END line; owned */
  size_t n_pending;
  char *prompt_path;      /* the last request's file, for the transcript; owned */
  char *answer_from;      /* the file it was answered in, or "stdin"; owned; NULL: no answer */
} manual_state;

struct elmo_llm {
  elmo_llm_kind kind;
  char *model;
  char *url;          /* full endpoint URL */
  char *key;          /* from the environment; NULL for keyless local servers */
  char *describe;
  elmo_llm_config cfg;
  char *transcript;   /* copy of cfg.transcript_path */
  replay_entry *replay;
  size_t n_replay, next_replay;
  manual_state manual;
  volatile int cancel;
};


/* Reads a transcript for replay (llm_replay.c). */
elmo_rc elmo_llm_load_replay(elmo_llm *llm, const char *path, elmo_error *err);

/* Sets up the provider "manual" (llm_manual.c): dir (the spec's DIR, or NULL: "manual" beside
 * cfg->transcript_path) created and checked, the first request numbered after the files already
 * there, cfg's manual settings and timeout (as given: 0 is no limit) kept. */
elmo_rc elmo_llm_manual_open(elmo_llm *llm, const elmo_llm_config *cfg, const char *dir, elmo_error *err);

/* One request answered by a person (llm_manual.c; see llm.h). */
elmo_rc elmo_llm_manual_exchange(elmo_llm *llm, const elmo_message *msgs, size_t n, elmo_llm_reply *reply,
                                 elmo_error *err);

/* Frees what elmo_llm_manual_open and the exchanges kept. */
void elmo_llm_manual_close(elmo_llm *llm);

#endif /* ELMO_LLM_INTERNAL_H */
