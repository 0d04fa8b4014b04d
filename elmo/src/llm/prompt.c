/*
 * prompt.c — builds the advisor's requests: checks the input, picks the variant for the kind and
 * strategy, and fits the text into the token budget (oldest history first, then the least
 * relevant options). The words are in prompt_templates.c; the sections in prompt_sections.c and
 * prompt_options.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "prompt_internal.h"

/* One row per kind (and per strategy for TUNE): what the prompt shows and what it asks. */
static const pt_variant kVariants[] = {
    {ELMO_PROMPT_TUNE, ELMO_STRATEGY_FULL_HISTORY, PT_TELEMETRY_OPT, elmo_prompt_tpl_options_tune,
     elmo_prompt_tpl_task_full_history},
    {ELMO_PROMPT_TUNE, ELMO_STRATEGY_CHUNKED, PT_CHUNKED | PT_LAST_RUN,
     elmo_prompt_tpl_options_chunk, elmo_prompt_tpl_task_chunked},
    {ELMO_PROMPT_TUNE, ELMO_STRATEGY_LAST_DIFF, PT_LAST_RUN | PT_DIFF, elmo_prompt_tpl_options_tune,
     elmo_prompt_tpl_task_last_diff},
    {ELMO_PROMPT_TUNE, ELMO_STRATEGY_BY_RESOURCE, PT_GROUPED | PT_TELEMETRY,
     elmo_prompt_tpl_options_grouped, elmo_prompt_tpl_task_by_resource},
    {ELMO_PROMPT_FINETUNE, 0, PT_FOCUS | PT_PREVIOUS | PT_TELEMETRY_OPT,
     elmo_prompt_tpl_options_finetune, elmo_prompt_tpl_task_finetune},
    {ELMO_PROMPT_DROP, 0, PT_FOCUS | PT_PREVIOUS | PT_TELEMETRY_OPT, elmo_prompt_tpl_options_drop,
     elmo_prompt_tpl_task_drop},
    {ELMO_PROMPT_REALTIME, 0, PT_MUTABLE_ONLY | PT_TELEMETRY, elmo_prompt_tpl_options_realtime,
     elmo_prompt_tpl_task_realtime},
};

static const char *const kStrategyNames[] = {
    [ELMO_STRATEGY_FULL_HISTORY] = "full-history",
    [ELMO_STRATEGY_CHUNKED] = "chunked",
    [ELMO_STRATEGY_LAST_DIFF] = "last-diff",
    [ELMO_STRATEGY_BY_RESOURCE] = "by-resource",
};
#define N_STRATEGY_NAMES (sizeof kStrategyNames / sizeof kStrategyNames[0])

typedef struct pt_request {
  char *user;
  elmo_message msgs[2];
} pt_request;

struct elmo_prompt_set {
  char *system;
  pt_request *reqs;
  size_t n;
  size_t trimmed;
};

/* ---- small public helpers ------------------------------------------------------------------- */

size_t elmo_prompt_estimate_tokens(const char *text) {
  return text == NULL ? 0 : (strlen(text) + 3) / 4;
}

const char *elmo_prompt_strategy_name(elmo_prompt_strategy s) {
  if ((size_t)s < N_STRATEGY_NAMES && kStrategyNames[s] != NULL) return kStrategyNames[s];
  return "unknown";
}

/* Case-insensitive equality where '_' and '-' are the same. */
static int same_name(const char *a, size_t n, const char *b) {
  if (strlen(b) != n) return 0;
  for (size_t i = 0; i < n; i++) {
    char x = a[i] == '_' ? '-' : a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = (char)(x - 'A' + 'a');
    if (x != y) return 0;
  }
  return 1;
}

elmo_rc elmo_prompt_strategy_parse(const char *text, elmo_prompt_strategy *out, elmo_error *err) {
  if (out != NULL) *out = (elmo_prompt_strategy)0;
  if (text == NULL || out == NULL) {
    return elmo_error_set(err, ELMO_EINVAL,
                          "no prompt strategy given (allowed: 1 full-history, "
                          "2 chunked, 3 last-diff, 4 by-resource)");
  }
  const char *p = text;
  while (*p == ' ' || *p == '\t') p++;
  size_t n = strlen(p);
  while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\n')) n--;
  for (size_t s = 1; s < N_STRATEGY_NAMES; s++) {
    char digit = (char)('0' + s);
    if ((n == 1 && p[0] == digit) || same_name(p, n, kStrategyNames[s])) {
      *out = (elmo_prompt_strategy)s;
      return ELMO_OK;
    }
  }
  return elmo_error_set(err, ELMO_EINVAL,
                        "unknown prompt strategy '%s' (allowed: 1 full-history, 2 chunked, "
                        "3 last-diff, 4 by-resource)",
                        text);
}

/* ---- the set -------------------------------------------------------------------------------- */

static void free_requests(pt_request *reqs, size_t n) {
  for (size_t i = 0; reqs != NULL && i < n; i++) free(reqs[i].user);
  free(reqs);
}

void elmo_prompt_set_destroy(elmo_prompt_set *set) {
  if (set == NULL) return;
  free_requests(set->reqs, set->n);
  free(set->system);
  free(set);
}

size_t elmo_prompt_set_count(const elmo_prompt_set *set) { return set == NULL ? 0 : set->n; }

const elmo_message *elmo_prompt_set_messages(const elmo_prompt_set *set, size_t i, size_t *n) {
  if (n != NULL) *n = 0;
  if (set == NULL || i >= set->n) return NULL;
  if (n != NULL) *n = 2;
  return set->reqs[i].msgs;
}

size_t elmo_prompt_set_trimmed(const elmo_prompt_set *set) {
  return set == NULL ? 0 : set->trimmed;
}

/* ---- checking the input --------------------------------------------------------------------- */

static const pt_variant *find_variant(const elmo_prompt_input *in) {
  for (size_t i = 0; i < sizeof kVariants / sizeof kVariants[0]; i++) {
    const pt_variant *v = &kVariants[i];
    if (v->kind == in->kind && (v->kind != ELMO_PROMPT_TUNE || v->strategy == in->strategy)) {
      return v;
    }
  }
  return NULL;
}

static elmo_rc check_input(const elmo_prompt_input *in, const pt_variant **v, elmo_error *err) {
  if (in->system == NULL) return elmo_error_set(err, ELMO_EINVAL, "prompt input: system is NULL");
  if (in->workload == NULL || in->workload[0] == '\0') {
    return elmo_error_set(err, ELMO_EINVAL, "prompt input: workload summary is missing");
  }
  if (in->catalog == NULL) return elmo_error_set(err, ELMO_EINVAL, "prompt input: catalog is NULL");
  if (in->current == NULL) return elmo_error_set(err, ELMO_EINVAL, "prompt input: current is NULL");
  if ((in->n_history > 0 && in->history == NULL) || (in->n_focus > 0 && in->focus == NULL) ||
      (in->n_locked > 0 && in->locked == NULL)) {
    return elmo_error_set(err, ELMO_EINVAL,
                          "prompt input: a count is set but its array is NULL (history %zu, "
                          "focus %zu, locked %zu)",
                          in->n_history, in->n_focus, in->n_locked);
  }
  *v = find_variant(in);
  if (*v == NULL && in->kind == ELMO_PROMPT_TUNE) {
    return elmo_error_set(err, ELMO_EINVAL, "unknown prompt strategy %d (allowed 1..4)",
                          (int)in->strategy);
  }
  if (*v == NULL) return elmo_error_set(err, ELMO_EINVAL, "unknown prompt kind %d", (int)in->kind);
  if (((*v)->flags & PT_FOCUS) && in->n_focus == 0) {
    return elmo_error_set(err, ELMO_EINVAL, "%s prompt needs at least one focus option",
                          in->kind == ELMO_PROMPT_DROP ? "a DROP" : "a FINETUNE");
  }
  return ELMO_OK;
}

/* The diff previous -> current with engine defaults filled in on both sides, so that a sparse
 * file and a full dump compare equal where they agree. c->diff stays NULL without previous. */
static elmo_rc make_diff(pt_ctx *c, elmo_error *err) {
  if (!(c->v->flags & PT_DIFF) || c->in->previous == NULL) return ELMO_OK;
  elmo_optfile *a = elmo_optfile_clone(c->in->previous), *b = elmo_optfile_clone(c->in->current);
  elmo_rc rc = (a == NULL || b == NULL) ? ELMO_ENOMEM : ELMO_OK;
  if (rc == ELMO_OK) rc = elmo_catalog_fill_defaults(c->in->catalog, a, b, err);
  if (rc == ELMO_OK) rc = elmo_catalog_fill_defaults(c->in->catalog, b, a, err);
  if (rc == ELMO_OK) {
    c->diff = elmo_optfile_diff(a, b, NULL);
    if (c->diff == NULL) rc = ELMO_ENOMEM;
  }
  elmo_optfile_destroy(a);
  elmo_optfile_destroy(b);
  if (rc == ELMO_ENOMEM) return elmo_error_set(err, rc, "out of memory comparing configurations");
  return rc;
}

static elmo_rc init_ctx(pt_ctx *c, const elmo_prompt_input *in, const pt_variant *v,
                        elmo_error *err) {
  memset(c, 0, sizeof *c);
  c->in = in;
  c->v = v;
  c->max_changes = in->max_changes ? in->max_changes : PT_DEFAULT_MAX_CHANGES;
  c->budget = in->token_budget ? in->token_budget : PT_DEFAULT_BUDGET;
  c->chunk_size = in->chunk_size ? in->chunk_size : PT_DEFAULT_CHUNK;
  elmo_rc rc = elmo_prompt_select_options(c, err);
  if (rc == ELMO_OK) rc = make_diff(c, err);
  if (rc != ELMO_OK) return rc;
  c->rejected = elmo_prompt_quote_rejected(in->rejected);
  c->system = elmo_prompt_system_text(c);
  if (c->system == NULL) {
    return elmo_error_set(err, ELMO_ENOMEM, "out of memory writing the prompt");
  }
  return ELMO_OK;
}

static void free_ctx(pt_ctx *c) {
  free(c->opts);
  free(c->diff);
  free(c->rejected);
  free(c->system);
}

/* ---- fitting the budget --------------------------------------------------------------------- */

/* The tokens of the largest request of the last attempt, for the ETOOBIG message. */
typedef struct pt_size {
  size_t total, system, user;
} pt_size;

/* Builds every request of plan p. ELMO_OK when all fit the budget (*reqs and *n set), ELMO_ETOOBIG
 * when one does not (*worst says how big), ELMO_ENOMEM. */
static elmo_rc attempt(const pt_ctx *c, pt_plan p, pt_request **reqs, size_t *n, pt_size *worst) {
  p.n_kept = p.keep < c->n_opts ? p.keep : c->n_opts;
  p.n_chunks = 1;
  if ((c->v->flags & PT_CHUNKED) && p.n_kept > c->chunk_size) {
    p.n_chunks = (p.n_kept + c->chunk_size - 1) / c->chunk_size;
  }
  pt_request *r = calloc(p.n_chunks, sizeof *r);
  if (r == NULL) return ELMO_ENOMEM;
  size_t sys = elmo_prompt_estimate_tokens(c->system);
  for (size_t i = 0; i < p.n_chunks; i++) {
    p.chunk = i;
    r[i].user = elmo_prompt_user_text(c, &p);
    if (r[i].user == NULL) {
      free_requests(r, p.n_chunks);
      return ELMO_ENOMEM;
    }
    size_t user = elmo_prompt_estimate_tokens(r[i].user);
    if (sys + user > worst->total) *worst = (pt_size){sys + user, sys, user};
    if (sys + user > c->budget) {
      free_requests(r, p.n_chunks);
      return ELMO_ETOOBIG;
    }
    r[i].msgs[0] = (elmo_message){ELMO_ROLE_SYSTEM, c->system};
    r[i].msgs[1] = (elmo_message){ELMO_ROLE_USER, r[i].user};
  }
  *reqs = r;
  *n = p.n_chunks;
  return ELMO_OK;
}

/* The fewest options the budget may leave in the list. */
static size_t min_options(const pt_ctx *c) {
  size_t floor = PT_MIN_OPTIONS;
  if (c->v->flags & PT_FOCUS) floor = c->n_opts;
  if (c->v->flags & PT_CHUNKED) floor = c->chunk_size;
  return floor < c->n_opts ? floor : c->n_opts;
}

static elmo_rc fit(const pt_ctx *c, elmo_prompt_set *set, elmo_error *err) {
  size_t n_hist = c->in->n_history;
  size_t window = (c->v->flags & PT_LAST_RUN) && n_hist > 0 ? n_hist - 1 : 0;
  size_t shown = n_hist - window, floor = min_options(c);
  pt_plan p = {0};
  p.keep = c->n_opts;
  elmo_rc rc = ELMO_ETOOBIG;
  for (;;) {
    pt_size worst = {0, 0, 0};
    p.hist_first = window + p.hist_trimmed;
    rc = attempt(c, p, &set->reqs, &set->n, &worst);
    if (rc == ELMO_OK) break;
    if (rc == ELMO_ENOMEM) return elmo_error_set(err, rc, "out of memory writing the prompt");
    if (p.hist_trimmed < shown) {
      p.hist_trimmed++;
    } else if (p.keep > floor) {
      p.keep--;
    } else {
      return elmo_error_set(err, ELMO_ETOOBIG,
                            "the smallest prompt needs %zu estimated tokens (system %zu + user "
                            "%zu) but token_budget is %zu",
                            worst.total, worst.system, worst.user, c->budget);
    }
  }
  set->trimmed = p.hist_trimmed;
  return ELMO_OK;
}

elmo_rc elmo_prompt_build(const elmo_prompt_input *in, elmo_prompt_set **out, elmo_error *err) {
  if (out != NULL) *out = NULL;
  if (in == NULL || out == NULL) {
    return elmo_error_set(err, ELMO_EINVAL, "prompt input or out is NULL");
  }
  const pt_variant *v = NULL;
  elmo_rc rc = check_input(in, &v, err);
  if (rc != ELMO_OK) return rc;
  pt_ctx c;
  rc = init_ctx(&c, in, v, err);
  elmo_prompt_set *set = rc == ELMO_OK ? calloc(1, sizeof *set) : NULL;
  if (rc == ELMO_OK && set == NULL) rc = elmo_error_set(err, ELMO_ENOMEM, "out of memory");
  if (rc == ELMO_OK) rc = fit(&c, set, err);
  if (rc == ELMO_OK) {
    set->system = c.system; /* the requests' system message: the set owns it now */
    c.system = NULL;
    *out = set;
  } else {
    elmo_prompt_set_destroy(set);
  }
  free_ctx(&c);
  return rc;
}
