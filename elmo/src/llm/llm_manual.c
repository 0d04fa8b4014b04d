/* llm_manual.c — the provider "manual[:DIR]": a person with a chat window answers. Each request
 * goes to DIR/prompt-NNN.md (and stderr, with instructions); the answer comes back as
 * DIR/answer-NNN.md or .txt holding a line END, or typed or piped on stdin. See llm.h. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/fileio.h"
#include "base/strbuf.h"
#include "llm_internal.h"

enum { kPollMs = 100, kReadChunk = 65536 };

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cancelled(elmo_llm *llm) {
  return __atomic_load_n(&llm->cancel, __ATOMIC_SEQ_CST) ||
         (llm->cfg.cancel != NULL && __atomic_load_n(llm->cfg.cancel, __ATOMIC_RELAXED));
}

/* DIR/WHAT-NNN.EXT as a new string, or NULL when out of memory. */
static char *path_of(const manual_state *m, const char *what, unsigned id, const char *ext) {
  elmo_strbuf b = ELMO_STRBUF_INIT;
  elmo_strbuf_appendf(&b, "%s/%s-%03u.%s", m->dir, what, id, ext);
  return elmo_strbuf_take(&b);
}

/* ---- set-up ------------------------------------------------------------------------------- */

/* N when name is prompt-N.md, answer-N.md or answer-N.txt (any extension of the two); else 0. */
static unsigned file_number(const char *name) {
  static const char *const kPrefixes[] = {"prompt-", "answer-"};
  for (size_t i = 0; i < sizeof kPrefixes / sizeof kPrefixes[0]; i++) {
    size_t n = strlen(kPrefixes[i]);
    if (strncmp(name, kPrefixes[i], n) != 0) continue;
    const char *p = name + n;
    unsigned long v = 0;
    for (; *p >= '0' && *p <= '9'; p++) {
      v = v * 10 + (unsigned long)(*p - '0');
      if (v > UINT_MAX / 2) return 0;
    }
    if (p > name + n && (strcmp(p, ".md") == 0 || strcmp(p, ".txt") == 0)) return (unsigned)v;
  }
  return 0;
}

/* Numbers the first request after every request or answer file already in the directory, so an
 * old answer is never taken for a new request. */
static elmo_rc first_number(manual_state *m, elmo_error *err) {
  DIR *d = opendir(m->dir);
  if (d == NULL) return elmo_error_set(err, ELMO_EIO, "manual: cannot list %s: %s", m->dir, strerror(errno));
  unsigned top = 0;
  for (struct dirent *e = readdir(d); e != NULL; e = readdir(d)) {
    unsigned v = file_number(e->d_name);
    if (v > top) top = v;
  }
  closedir(d);
  m->next = top + 1;
  return ELMO_OK;
}

/* "manual" in the transcript's directory. */
static char *dir_beside(const char *transcript) {
  const char *slash = strrchr(transcript, '/');
  elmo_strbuf b = ELMO_STRBUF_INIT;
  if (slash != NULL) elmo_strbuf_appendn(&b, transcript, (size_t)(slash - transcript) + 1);
  elmo_strbuf_append(&b, "manual");
  return elmo_strbuf_take(&b);
}

elmo_rc elmo_llm_manual_open(elmo_llm *llm, const elmo_llm_config *cfg, const char *dir, elmo_error *err) {
  manual_state *m = &llm->manual;
  m->timeout_ms = cfg->total_timeout_ms > 0 ? cfg->total_timeout_ms : 0;
  m->input_fd = cfg->manual_input_fd >= 0 ? cfg->manual_input_fd : -1;
  m->quiet = cfg->manual_quiet != 0;
  if (dir != NULL && dir[0] == '\0') {
    return elmo_error_set(err, ELMO_EINVAL, "manual: no directory after 'manual:' (give manual:DIR, or "
                          "manual alone for a directory \"manual\" beside the transcript)");
  }
  if (dir == NULL && (cfg->transcript_path == NULL || cfg->transcript_path[0] == '\0')) {
    return elmo_error_set(err, ELMO_EINVAL, "manual: no directory for the requests and answers: give "
                          "manual:DIR (manual alone uses \"manual\" beside the transcript, and there is none)");
  }
  m->dir = dir != NULL ? strdup(dir) : dir_beside(cfg->transcript_path);
  if (m->dir == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  elmo_error e;
  elmo_error_clear(&e);
  elmo_rc rc = elmo_mkdirs(m->dir, &e);
  if (rc != ELMO_OK) return elmo_error_set(err, rc, "manual: %s", e.message);
  if (access(m->dir, W_OK | X_OK) != 0) {
    return elmo_error_set(err, ELMO_EIO, "manual: cannot write in %s: %s", m->dir, strerror(errno));
  }
  return first_number(m, err);
}

void elmo_llm_manual_close(elmo_llm *llm) {
  manual_state *m = &llm->manual;
  free(m->dir);
  free(m->pending);
  free(m->prompt_path);
  free(m->answer_from);
  memset(m, 0, sizeof *m);
}

/* ---- the request -------------------------------------------------------------------------- */

/* The conversation as one Markdown text to paste into a chat window, headed by role. */
static char *prompt_text(const elmo_message *msgs, size_t n) {
  static const char *const kHeads[] = {"# Instructions", "# Request", "# Your earlier answer"};
  elmo_strbuf b = ELMO_STRBUF_INIT;
  for (size_t i = 0; i < n; i++) {
    elmo_role r = msgs[i].role <= ELMO_ROLE_ASSISTANT ? msgs[i].role : ELMO_ROLE_USER;
    const char *c = msgs[i].content != NULL ? msgs[i].content : "";
    size_t len = strlen(c);
    elmo_strbuf_appendf(&b, "%s%s\n\n%s", i > 0 ? "\n\n" : "", kHeads[r], c);
    if (len == 0 || c[len - 1] != '\n') elmo_strbuf_append(&b, "\n");
  }
  return elmo_strbuf_take(&b);
}

/* The request and what to do with it, on stderr. */
static void announce(const manual_state *m, unsigned id, const char *text, const char *md, const char *txt,
                     int typed) {
  if (m->quiet) return;
  fprintf(stderr, "\n======== ELMo manual advisor: request %u ========\n%s", id, text);
  fprintf(stderr, "======== end of request %u ========\n", id);
  fprintf(stderr, "[elmo manual] Request %u is also in %s.\n", id, m->prompt_path);
  fprintf(stderr, "[elmo manual] Paste it into your chat window, then hand the whole answer back%s\n",
          typed ? ", either" : ":");
  fprintf(stderr, "[elmo manual]   - as a file %s (or %s) with a last line holding only END\n"
                  "[elmo manual]     (write it elsewhere and rename it there, or save it with END last;\n"
                  "[elmo manual]     only the text before END counts)\n", md, txt);
  if (typed) {
    fprintf(stderr, "[elmo manual]   - or here: paste it, then a line holding only END (or Ctrl-D)\n");
  }
  if (m->timeout_ms > 0) {
    fprintf(stderr, "[elmo manual] Waiting at most %ld s; Ctrl-C gives up.\n", (m->timeout_ms + 999) / 1000);
  } else {
    fprintf(stderr, "[elmo manual] Waiting without a time limit; Ctrl-C gives up.\n");
  }
  fflush(stderr);
}

/* ---- reading an answer -------------------------------------------------------------------- */

/* Where the first line of text[0..len) holding only END (blanks and a CR around it allowed)
 * starts, with *next just past it; -1 when there is none yet. A last line without a line break
 * counts only when at_end (a file read whole, or the end of the input). */
static long end_line(const char *text, size_t len, int at_end, size_t *next) {
  for (size_t start = 0; start < len;) {
    const char *nl = memchr(text + start, '\n', len - start);
    if (nl == NULL && !at_end) return -1;
    size_t stop = nl != NULL ? (size_t)(nl - text) : len, a = start, z = stop;
    while (a < z && (text[a] == ' ' || text[a] == '\t')) a++;
    while (z > a && (text[z - 1] == ' ' || text[z - 1] == '\t' || text[z - 1] == '\r')) z--;
    if (z - a == 3 && memcmp(text + a, "END", 3) == 0) {
      *next = nl != NULL ? stop + 1 : len;
      return (long)start;
    }
    start = stop + 1;
  }
  return -1;
}

/* text[0..len) without blank ends, as a new string; ELMO_EPROTO naming where when nothing is
 * left. */
static elmo_rc answer_of(const char *text, size_t len, const char *where, char **out, elmo_error *err) {
  while (len > 0 && strchr(" \t\r\n", text[len - 1]) != NULL) len--;
  size_t a = 0;
  while (a < len && strchr(" \t\r\n", text[a]) != NULL) a++;
  if (a == len) return elmo_error_set(err, ELMO_EPROTO, "manual: the answer in %s is empty (nothing before END)", where);
  *out = malloc(len - a + 1);
  if (*out == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  memcpy(*out, text + a, len - a);
  (*out)[len - a] = '\0';
  return ELMO_OK;
}

/* Reads an answer file: *text set when it holds a complete answer; NULL when it is not there or
 * has no END line yet (*unfinished then set). ELMO_EIO when it cannot be read or is not a regular
 * file, ELMO_ETOOBIG over cap, ELMO_EPROTO when empty. */
static elmo_rc read_answer_file(const char *path, size_t cap, char **text, int *unfinished, elmo_error *err) {
  *text = NULL;
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK); /* O_NONBLOCK: a FIFO must not hold us */
  if (fd < 0) {
    return errno == ENOENT ? ELMO_OK : elmo_error_set(err, ELMO_EIO, "manual: cannot read %s: %s", path, strerror(errno));
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return elmo_error_set(err, ELMO_EIO, "manual: cannot read %s: not a regular file", path);
  }
  char *buf = malloc(cap + 1);
  size_t len = 0;
  ssize_t n = 1;
  while (buf != NULL && len <= cap && (n = read(fd, buf + len, cap + 1 - len)) > 0) len += (size_t)n;
  int read_errno = errno;
  close(fd);
  elmo_rc rc = ELMO_OK;
  size_t next = 0;
  long end;
  if (buf == NULL) {
    rc = elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  } else if (n < 0) {
    rc = elmo_error_set(err, ELMO_EIO, "manual: cannot read %s: %s", path, strerror(read_errno));
  } else if (len > cap) {
    rc = elmo_error_set(err, ELMO_ETOOBIG, "manual: %s is larger than %zu bytes", path, cap);
  } else if ((end = end_line(buf, len, 1, &next)) < 0) {
    *unfinished = 1;
  } else {
    rc = answer_of(buf, (size_t)end, path, text, err);
  }
  free(buf);
  return rc;
}

/* The input may be read: a pipe or socket, or a terminal this process has in the foreground (a
 * background read would stop the process). */
static int input_usable(const manual_state *m) {
  struct stat st;
  if (m->input_fd < 0 || m->input_done || fstat(m->input_fd, &st) != 0) return 0;
  if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)) return 1;
  return isatty(m->input_fd) && tcgetpgrp(m->input_fd) == getpgrp();
}

/* Takes an answer out of what the input gave so far: the text before an END line (the rest stays
 * for the next request), or at the end of the input everything. */
static elmo_rc take_pending(manual_state *m, int at_eof, char **text, elmo_error *err) {
  size_t next = 0;
  long end = m->pending != NULL ? end_line(m->pending, m->n_pending, 0, &next) : -1;
  if (end < 0 && !at_eof) return ELMO_OK;
  if (end < 0) {
    end = (long)m->n_pending;
    next = m->n_pending;
    if (!isatty(m->input_fd)) m->input_done = 1; /* a pipe ends once; a terminal's Ctrl-D does not */
    if (m->n_pending == 0 && m->input_done) return ELMO_OK; /* closed before any answer: files only */
  }
  elmo_rc rc = answer_of(m->pending != NULL ? m->pending : "", (size_t)end, "stdin", text, err);
  if (next > 0) memmove(m->pending, m->pending + next, m->n_pending - next);
  m->n_pending -= next;
  return rc;
}

/* Waits up to wait_ms for input and takes an answer from it when one is complete (*text). */
static elmo_rc read_input(manual_state *m, int wait_ms, size_t cap, char **text, elmo_error *err) {
  *text = NULL;
  elmo_rc rc = take_pending(m, 0, text, err);
  if (rc != ELMO_OK || *text != NULL) return rc;
  if (!input_usable(m)) {
    poll(NULL, 0, wait_ms);
    return ELMO_OK;
  }
  struct pollfd p = {m->input_fd, POLLIN, 0};
  if (poll(&p, 1, wait_ms) <= 0) return ELMO_OK;
  if (m->n_pending + kReadChunk > cap + 1) {
    free(m->pending);
    m->pending = NULL;
    m->n_pending = 0;
    return elmo_error_set(err, ELMO_ETOOBIG, "manual: the answer on stdin is larger than %zu bytes", cap);
  }
  char *grown = realloc(m->pending, m->n_pending + kReadChunk + 1);
  if (grown == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  m->pending = grown;
  ssize_t n = read(m->input_fd, m->pending + m->n_pending, kReadChunk);
  if (n < 0 && errno != EAGAIN && errno != EINTR) m->input_done = 1; /* unreadable: files only */
  if (n > 0) m->n_pending += (size_t)n;
  return take_pending(m, n == 0, text, err);
}

/* ---- the wait ----------------------------------------------------------------------------- */

static elmo_rc timed_out(const manual_state *m, unsigned id, const char *md, const char *unfinished,
                         elmo_error *err) {
  long s = (m->timeout_ms + 999) / 1000;
  if (unfinished != NULL) {
    return elmo_error_set(err, ELMO_ETIMEOUT, "manual: no answer to request %u (%s) within %ld s: %s is there "
                          "but has no line END yet", id, m->prompt_path, s, unfinished);
  }
  return elmo_error_set(err, ELMO_ETIMEOUT, "manual: no answer to request %u (%s) within %ld s: %s (or .txt) "
                        "ending with a line END did not appear", id, m->prompt_path, s, md);
}

/* Polls the two answer files and the input until an answer is complete, cancel or the timeout. */
static elmo_rc wait_answer(elmo_llm *llm, unsigned id, const char *md, const char *txt, char **answer,
                           elmo_error *err) {
  manual_state *m = &llm->manual;
  double deadline = m->timeout_ms > 0 ? now_ms() + (double)m->timeout_ms : 0;
  size_t cap = llm->cfg.max_response_bytes;
  int md_unfinished = 0, txt_unfinished = 0, told = 0;
  elmo_rc rc = ELMO_OK;
  const char *from = NULL;
  while (rc == ELMO_OK && *answer == NULL) {
    const char *unfinished = md_unfinished ? md : txt_unfinished ? txt : NULL;
    if (cancelled(llm)) {
      rc = elmo_error_set(err, ELMO_ECANCELED, "manual: cancelled while waiting for the answer to request %u (%s)",
                          id, m->prompt_path);
    } else if ((rc = read_answer_file(md, cap, answer, &md_unfinished, err)) != ELMO_OK || *answer != NULL) {
      from = md;
    } else if ((rc = read_answer_file(txt, cap, answer, &txt_unfinished, err)) != ELMO_OK || *answer != NULL) {
      from = txt;
    } else if (deadline > 0 && now_ms() >= deadline) {
      rc = timed_out(m, id, md, unfinished, err);
    } else {
      if (unfinished != NULL && !told && !m->quiet) {
        fprintf(stderr, "[elmo manual] %s is there but has no line END yet: still waiting.\n", unfinished);
        told = 1;
      }
      rc = read_input(m, kPollMs, cap, answer, err);
      from = "stdin";
    }
  }
  if (rc == ELMO_OK && (m->answer_from = strdup(from)) == NULL) rc = elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  if (rc == ELMO_OK && !m->quiet) {
    fprintf(stderr, "[elmo manual] Took the answer to request %u from %s (%zu bytes).\n", id, from, strlen(*answer));
  }
  return rc;
}

elmo_rc elmo_llm_manual_exchange(elmo_llm *llm, const elmo_message *msgs, size_t n, elmo_llm_reply *reply,
                                 elmo_error *err) {
  manual_state *m = &llm->manual;
  unsigned id = m->next++;
  free(m->prompt_path);
  free(m->answer_from);
  m->answer_from = NULL;
  m->prompt_path = path_of(m, "prompt", id, "md");
  char *md = path_of(m, "answer", id, "md"), *txt = path_of(m, "answer", id, "txt");
  char *text = prompt_text(msgs, n), *answer = NULL;
  elmo_rc rc = ELMO_OK;
  if (m->prompt_path == NULL || md == NULL || txt == NULL || text == NULL) {
    rc = elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  } else {
    elmo_error e;
    elmo_error_clear(&e);
    if ((rc = elmo_file_save_atomic(m->prompt_path, text, &e)) != ELMO_OK) {
      rc = elmo_error_set(err, rc, "manual: cannot write request %u: %s", id, e.message);
    }
  }
  if (rc == ELMO_OK) {
    announce(m, id, text, md, txt, input_usable(m));
    rc = wait_answer(llm, id, md, txt, &answer, err);
  }
  if (rc == ELMO_OK) {
    reply->text = answer;
    answer = NULL;
    reply->model = strdup("person");
    if (reply->model == NULL) rc = elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  }
  free(answer);
  free(text);
  free(md);
  free(txt);
  return rc;
}
