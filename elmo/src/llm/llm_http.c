/* llm_http.c — one POST with retries, over libcurl. The only network I/O of the core. */
#define _POSIX_C_SOURCE 200809L
#include <curl/curl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/strbuf.h"
#include "llm_internal.h"
#include "elmo/number.h"

static pthread_once_t g_curl_once = PTHREAD_ONCE_INIT;
static CURLcode g_curl_init = CURLE_OK;
static void curl_init_once(void) { g_curl_init = curl_global_init(CURL_GLOBAL_DEFAULT); }

/* A cancel flag is set from other threads (elmo_llm_cancel) or a signal handler: read it
 * atomically, so the read is well defined and never torn or cached. */
static int flag_set(volatile int *flag) { return flag != NULL && __atomic_load_n(flag, __ATOMIC_RELAXED) != 0; }

typedef struct transfer {
  elmo_strbuf body;
  size_t max; /* bytes of body allowed */
  int too_big;
  long retry_after_ms; /* -1: none */
  char content_type[128];
  volatile int *cancel, *cancel2;
} transfer;

static size_t on_body(char *data, size_t size, size_t nmemb, void *ctx) {
  transfer *t = ctx;
  size_t n = size * nmemb;
  if (t->body.len + n > t->max) {
    t->too_big = 1;
    return 0; /* aborts the transfer */
  }
  elmo_strbuf_appendn(&t->body, data, n);
  return t->body.oom ? 0 : n;
}

static void header_value(const char *line, size_t n, size_t skip, char *out, size_t size) {
  size_t i = skip, j = 0;
  while (i < n && (line[i] == ' ' || line[i] == '\t')) i++;
  while (i < n && line[i] != '\r' && line[i] != '\n' && j + 1 < size) out[j++] = line[i++];
  out[j] = '\0';
}

static size_t on_header(char *line, size_t size, size_t nmemb, void *ctx) {
  transfer *t = ctx;
  size_t n = size * nmemb;
  char value[128];
  if (n > 12 && strncasecmp(line, "Retry-After:", 12) == 0) {
    header_value(line, n, 12, value, sizeof value);
    char *end = NULL;
    double secs = elmo_number_parse(value, &end);
    if (end != value && secs >= 0 && secs < 86400) t->retry_after_ms = (long)(secs * 1000);
  } else if (n > 13 && strncasecmp(line, "Content-Type:", 13) == 0) {
    header_value(line, n, 13, t->content_type, sizeof t->content_type);
  }
  return n;
}

static int on_progress(void *ctx, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d) {
  (void)a, (void)b, (void)c, (void)d;
  const transfer *t = ctx;
  return flag_set(t->cancel) || flag_set(t->cancel2);
}

/* Sets every option; any failed setopt is an internal error (never ignored). */
static CURLcode configure(CURL *h, const elmo_http_request *req, struct curl_slist *hdrs,
                          transfer *t, char *errbuf) {
  CURLcode rc = CURLE_OK;
#define SET(opt, val) \
  if (rc == CURLE_OK) rc = curl_easy_setopt(h, opt, val)
  SET(CURLOPT_URL, req->url);
  SET(CURLOPT_POST, 1L);
  SET(CURLOPT_POSTFIELDS, req->body);
  SET(CURLOPT_HTTPHEADER, hdrs);
  SET(CURLOPT_WRITEFUNCTION, on_body);
  SET(CURLOPT_WRITEDATA, t);
  SET(CURLOPT_HEADERFUNCTION, on_header);
  SET(CURLOPT_HEADERDATA, t);
  SET(CURLOPT_XFERINFOFUNCTION, on_progress);
  SET(CURLOPT_XFERINFODATA, t);
  SET(CURLOPT_NOPROGRESS, 0L);
  SET(CURLOPT_CONNECTTIMEOUT_MS, req->connect_timeout_ms);
  SET(CURLOPT_TIMEOUT_MS, req->total_timeout_ms);
  SET(CURLOPT_NOSIGNAL, 1L);
  SET(CURLOPT_ERRORBUFFER, errbuf);
  SET(CURLOPT_SSL_VERIFYPEER, 1L);
  SET(CURLOPT_SSL_VERIFYHOST, 2L);
  SET(CURLOPT_FOLLOWLOCATION, 0L);
  SET(CURLOPT_PROTOCOLS_STR, "http,https");
  SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)req->max_response_bytes);
#undef SET
  return rc;
}

typedef struct attempt_outcome {
  elmo_rc rc;
  int retryable;
  long retry_after_ms;
} attempt_outcome;

static attempt_outcome classify_http(long status, const transfer *t, elmo_error *err) {
  attempt_outcome o = {ELMO_OK, 0, t->retry_after_ms};
  if (status >= 200 && status < 300) {
    if (strstr(t->content_type, "json") == NULL) {
      o.rc = elmo_error_set(err, ELMO_EPROTO, "HTTP %ld with content type '%s', expected JSON", status,
                            t->content_type[0] ? t->content_type : "(none)");
    }
    return o;
  }
  char *server_msg = elmo_proto_error_message(t->body.p);
  char *safe = elmo_llm_redact(server_msg ? server_msg : "");
  const char *why = safe ? safe : "";
  if (status == 429) {
    o.rc = elmo_error_set(err, ELMO_ERATELIMIT, "HTTP 429 (rate limited)%s%s", *why ? ": " : "", why);
    o.retryable = 1;
  } else if (status >= 500) {
    o.rc = elmo_error_set(err, ELMO_ESERVER, "HTTP %ld (server error)%s%s", status, *why ? ": " : "", why);
    o.retryable = 1;
  } else if (status == 401 || status == 403) {
    o.rc = elmo_error_set(err, ELMO_EAUTH, "HTTP %ld: the server refused the API key%s%s", status,
                          *why ? ": " : "", why);
  } else {
    o.rc = elmo_error_set(err, ELMO_EPROTO, "HTTP %ld%s%s", status, *why ? ": " : "", why);
  }
  free(server_msg);
  free(safe);
  return o;
}

static attempt_outcome classify_curl(CURLcode rc, const transfer *t, const char *errbuf, elmo_error *err) {
  attempt_outcome o = {ELMO_ENET, 1, -1};
  if (rc == CURLE_ABORTED_BY_CALLBACK) {
    o.rc = elmo_error_set(err, ELMO_ECANCELED, "cancelled");
    o.retryable = 0;
  } else if (t->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
    o.rc = elmo_error_set(err, ELMO_ETOOBIG, "the answer is larger than the %zu-byte cap", t->max);
    o.retryable = 0;
  } else if (rc == CURLE_OPERATION_TIMEDOUT) {
    o.rc = elmo_error_set(err, ELMO_ETIMEOUT, "timed out: %s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
  } else {
    o.rc = elmo_error_set(err, ELMO_ENET, "network error: %s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
  }
  return o;
}

static attempt_outcome one_attempt(const elmo_http_request *req, elmo_http_result *res, elmo_error *err) {
  attempt_outcome o = {ELMO_ENOMEM, 0, -1};
  transfer t = {.max = req->max_response_bytes, .retry_after_ms = -1, .cancel = req->cancel,
                .cancel2 = req->cancel2};
  char errbuf[CURL_ERROR_SIZE] = "";
  CURL *h = curl_easy_init();
  struct curl_slist *hdrs = NULL;
  for (size_t i = 0; req->headers && req->headers[i]; i++) {
    struct curl_slist *n = curl_slist_append(hdrs, req->headers[i]);
    if (n == NULL) break;
    hdrs = n;
  }
  if (h == NULL || configure(h, req, hdrs, &t, errbuf) != CURLE_OK) {
    o.rc = elmo_error_set(err, ELMO_EINTERNAL, "cannot set up the HTTP transfer");
  } else {
    CURLcode rc = curl_easy_perform(h);
    long status = 0;
    if (curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK) status = 0;
    res->status = status;
    o = rc == CURLE_OK ? classify_http(status, &t, err) : classify_curl(rc, &t, errbuf, err);
  }
  free(res->body);
  res->body_len = t.body.len;
  res->body = elmo_strbuf_take(&t.body);
  memcpy(res->content_type, t.content_type, sizeof res->content_type);
  curl_slist_free_all(hdrs);
  curl_easy_cleanup(h);
  return o;
}

static unsigned next_random(unsigned *state) {
  *state ^= *state << 13;
  *state ^= *state >> 17;
  *state ^= *state << 5;
  return *state;
}

/* Exponential backoff with jitter: half the doubled delay plus a random half; Retry-After wins
 * when longer; everything capped by backoff_max_ms. */
static long backoff_ms(const elmo_http_request *req, int attempt, long retry_after_ms, unsigned *rnd) {
  long wait = req->backoff_base_ms;
  for (int i = 1; i < attempt && wait < req->backoff_max_ms; i++) wait *= 2;
  if (wait > req->backoff_max_ms) wait = req->backoff_max_ms;
  wait = wait / 2 + (wait > 1 ? (long)(next_random(rnd) % (unsigned long)(wait / 2 + 1)) : 0);
  if (retry_after_ms > wait) wait = retry_after_ms;
  return wait > req->backoff_max_ms ? req->backoff_max_ms : wait;
}

/* Sleeps ms in short slices; returns 1 when cancelled meanwhile. */
static int sleep_cancellable(long ms, volatile int *cancel, volatile int *cancel2) {
  while (ms > 0) {
    if (flag_set(cancel) || flag_set(cancel2)) return 1;
    long slice = ms < 50 ? ms : 50;
    struct timespec ts = {slice / 1000, (slice % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    ms -= slice;
  }
  return flag_set(cancel) || flag_set(cancel2);
}

elmo_rc elmo_http_post(const elmo_http_request *req, elmo_http_result *res, elmo_error *err) {
  memset(res, 0, sizeof *res);
  pthread_once(&g_curl_once, curl_init_once);
  if (g_curl_init != CURLE_OK) return elmo_error_set(err, ELMO_EINTERNAL, "curl_global_init failed");
  unsigned rnd = (unsigned)time(NULL) ^ (unsigned)(uintptr_t)res ^ 0x9e3779b9u;
  attempt_outcome o = {ELMO_EINVAL, 0, -1};
  for (int attempt = 1; attempt <= req->max_attempts; attempt++) {
    res->attempts = attempt;
    o = one_attempt(req, res, err);
    if (o.rc == ELMO_OK || !o.retryable || attempt == req->max_attempts) break;
    if (sleep_cancellable(backoff_ms(req, attempt, o.retry_after_ms, &rnd), req->cancel, req->cancel2)) {
      return elmo_error_set(err, ELMO_ECANCELED, "cancelled while waiting to retry");
    }
  }
  if (o.rc != ELMO_OK && o.retryable && err != NULL && res->attempts > 1) {
    size_t len = strlen(err->message);
    snprintf(err->message + len, sizeof err->message - len, " (after %d attempts)", res->attempts);
  }
  return o.rc;
}

void elmo_http_result_clear(elmo_http_result *r) {
  if (r == NULL) return;
  free(r->body);
  memset(r, 0, sizeof *r);
}
