/*
 * prompt_internal.h — what prompt.c, prompt_options.c, prompt_sections.c and prompt_text.c share.
 *
 * prompt.c checks the input, picks the variant (one row of a table per kind/strategy), runs the
 * budget loop and owns the result; prompt_options.c chooses and writes the option list;
 * prompt_sections.c writes the system message and the user message's other sections;
 * prompt_text.c is a growing text buffer with named-slot templates; prompt_templates.c holds
 * every sentence the advisor reads.
 */
#ifndef ELMO_PROMPT_INTERNAL_H
#define ELMO_PROMPT_INTERNAL_H

#include <stddef.h>

#include "elmo/prompt.h"
#include "base/strbuf.h"

#define PT_DEFAULT_MAX_CHANGES 10
#define PT_DEFAULT_BUDGET 6000 /* estimated tokens */
#define PT_DEFAULT_CHUNK 20    /* options per CHUNKED request */
#define PT_MIN_OPTIONS 8       /* the budget never cuts a TUNE/REALTIME list below this */
#define PT_MAX_REJECTED 20     /* rejected verdicts quoted; the rest are counted */
#define PT_MAX_REASONING 300   /* bytes of one history entry's reasoning */
#define PT_MAX_FAILURE 120     /* bytes of one history entry's failure text */

/* ---- prompt_text.c: templates and one-line text, written into a base/strbuf.h buffer ---- */

/* A named slot of a template: ${name} in the template becomes value. */
typedef struct pt_slot {
  const char *name;
  const char *value;
} pt_slot;

/* Copies tpl, replacing each ${name} by its slot's value (a NULL value counts as ""). A slot the
 * table does not name is copied as written, so a test can find it. */
void elmo_prompt_buf_fill(elmo_strbuf *b, const char *tpl, const pt_slot *slots, size_t n);
/* One-slot shorthand: fills tpl's ${v}. */
void elmo_prompt_buf_fill1(elmo_strbuf *b, const char *tpl, const char *v);
/* Appends text as one line: runs of white space become one space (PT_LINE_JOIN: "; " where the
 * run holds a line break), leading and trailing space is dropped; at most max bytes, cut at a
 * character boundary with "..." added. PT_LINE_CELL escapes '|' for a markdown table cell. */
enum { PT_LINE_CELL = 1u, PT_LINE_JOIN = 2u };
void elmo_prompt_buf_line(elmo_strbuf *b, const char *text, size_t max, unsigned flags);

/* v with `decimals` digits after the point, without the locale; "-" when not finite. */
char *elmo_prompt_fmt_num(double v, int decimals, char *buf, size_t n);
/* An unsigned integer in decimal. */
char *elmo_prompt_fmt_size(size_t v, char *buf, size_t n);

/* ---- prompt.c: the variant table and the state of one build ---- */

enum {
  PT_MUTABLE_ONLY = 1u << 0, /* list only runtime-mutable options */
  PT_FOCUS = 1u << 1,        /* list the focus options instead of the relevant ones */
  PT_PREVIOUS = 1u << 2,     /* show each listed option's value in in->previous */
  PT_LAST_RUN = 1u << 3,     /* show only the latest history entry */
  PT_DIFF = 1u << 4,         /* show the diff previous -> current */
  PT_GROUPED = 1u << 5,      /* group the options by resource class */
  PT_CHUNKED = 1u << 6,      /* one request per chunk of options */
  PT_TELEMETRY = 1u << 7,    /* a Telemetry section, "(none)" when the input has none */
  PT_TELEMETRY_OPT = 1u << 8 /* a Telemetry section when the input has telemetry */
};

typedef struct pt_variant {
  elmo_prompt_kind kind;
  elmo_prompt_strategy strategy; /* 0 for kinds other than TUNE */
  unsigned flags;                /* PT_* */
  const char *options_intro;     /* template: what the option list is */
  const char *task;              /* template: the Task paragraph */
} pt_variant;

/* One option the prompt may list. */
typedef struct pt_option {
  const elmo_option_info *info;
  const char *value;    /* in the current file, else the engine default; borrowed */
  const char *previous; /* PT_PREVIOUS: in in->previous, else the default; NULL when unknown */
  int rank;             /* budget priority: 0 set in the current file, 1 has a range, 2 other */
  size_t priority;      /* position when sorted by (rank, list order): smaller is kept longer */
} pt_option;

typedef struct pt_ctx {
  const elmo_prompt_input *in;
  const pt_variant *v;
  size_t max_changes, budget, chunk_size;
  pt_option *opts; /* in display order (catalog order, or the focus order) */
  size_t n_opts;
  char *diff;     /* PT_DIFF: readable diff previous -> current, or NULL */
  char *rejected; /* the quoted verdicts, or NULL when there are none */
  char *system;   /* the system message (the same for every request) */
} pt_ctx;

/* What one request shows. */
typedef struct pt_plan {
  size_t hist_first;      /* first history entry shown */
  size_t hist_trimmed;    /* entries dropped for the budget */
  size_t keep;            /* options with priority < keep are listed */
  size_t n_kept;          /* how many options that is */
  size_t chunk, n_chunks; /* CHUNKED: this request's chunk (0-based) and the chunk count */
} pt_plan;

/* ---- prompt_options.c ---- */

/* Fills c->opts for the variant. Returns ELMO_OK, ELMO_EINVAL (a focus name the catalog does not
 * know), ELMO_ENOMEM. */
elmo_rc elmo_prompt_select_options(pt_ctx *c, elmo_error *err);
/* The "Current options" section for the plan (the plan's chunk only, for CHUNKED). */
void elmo_prompt_write_options(elmo_strbuf *b, const pt_ctx *c, const pt_plan *p);
/* The current value of name for the default column family, else its engine default; NULL when
 * unknown to both. */
const char *elmo_prompt_value_of(const pt_ctx *c, const char *name);

/* ---- prompt_sections.c ---- */

char *elmo_prompt_system_text(const pt_ctx *c);
char *elmo_prompt_user_text(const pt_ctx *c, const pt_plan *p);
/* The quoted rejected verdicts of a calibrate.h JSON document, or NULL (none, or unparsable). */
char *elmo_prompt_quote_rejected(const char *json);

/* ---- prompt_templates.c: every sentence of the prompts ---- */

extern const char elmo_prompt_tpl_system[];
extern const char elmo_prompt_tpl_rule_pins[];
extern const char elmo_prompt_tpl_rule_memory[];
extern const char elmo_prompt_tpl_rule_no_memory[];
extern const char elmo_prompt_tpl_rule_realtime[];
extern const char elmo_prompt_tpl_rule_chunk[];

extern const char elmo_prompt_tpl_h_system[];
extern const char elmo_prompt_tpl_fact_cpus[];
extern const char elmo_prompt_tpl_fact_memory[];
extern const char elmo_prompt_tpl_fact_storage[];
extern const char elmo_prompt_tpl_fact_throughput[];
extern const char elmo_prompt_tpl_fact_read[];
extern const char elmo_prompt_tpl_fact_write[];
extern const char elmo_prompt_tpl_fact_io_mode[];
extern const char elmo_prompt_tpl_fact_dataset[];
extern const char elmo_prompt_tpl_fact_none[];
extern const char elmo_prompt_tpl_h_workload[];
extern const char elmo_prompt_tpl_h_objective[];
extern const char elmo_prompt_tpl_objective[];
extern const char elmo_prompt_tpl_default_objective[];

extern const char elmo_prompt_tpl_h_options[];
extern const char elmo_prompt_tpl_options_tune[];
extern const char elmo_prompt_tpl_options_grouped[];
extern const char elmo_prompt_tpl_options_chunk[];
extern const char elmo_prompt_tpl_options_realtime[];
extern const char elmo_prompt_tpl_options_finetune[];
extern const char elmo_prompt_tpl_options_drop[];
extern const char elmo_prompt_tpl_options_cut[];
extern const char elmo_prompt_tpl_options_empty[];
extern const char elmo_prompt_tpl_section_label[];
extern const char *const elmo_prompt_tpl_section_names[4];
extern const char elmo_prompt_tpl_group_heading[];
extern const char *const elmo_prompt_tpl_group_names[4];
extern const char elmo_prompt_tpl_use_cpu[];
extern const char elmo_prompt_tpl_use_cpu_pct[];
extern const char elmo_prompt_tpl_use_mem_limit[];
extern const char elmo_prompt_tpl_use_mem_peak[];
extern const char elmo_prompt_tpl_use_stall[];
extern const char elmo_prompt_tpl_use_wamp[];
extern const char elmo_prompt_tpl_use_line[];
extern const char elmo_prompt_tpl_opt_human[];
extern const char elmo_prompt_tpl_opt_mutable[];
extern const char elmo_prompt_tpl_opt_reopen[];
extern const char elmo_prompt_tpl_opt_range[];
extern const char elmo_prompt_tpl_opt_enum[];
extern const char elmo_prompt_tpl_opt_was[];
extern const char elmo_prompt_tpl_opt_was_unknown[];
extern const char elmo_prompt_tpl_opt_no_decrease[];

extern const char elmo_prompt_tpl_h_diff[];
extern const char elmo_prompt_tpl_diff_none[];
extern const char elmo_prompt_tpl_diff_same[];
extern const char elmo_prompt_tpl_h_history[];
extern const char elmo_prompt_tpl_history_head[];
extern const char elmo_prompt_tpl_history_none[];
extern const char elmo_prompt_tpl_history_trimmed[];
extern const char elmo_prompt_tpl_history_window[];
extern const char elmo_prompt_tpl_history_baseline[];
extern const char elmo_prompt_tpl_h_rejected[];
extern const char elmo_prompt_tpl_rejected_intro[];
extern const char elmo_prompt_tpl_rejected_item[];
extern const char elmo_prompt_tpl_rejected_more[];
extern const char elmo_prompt_tpl_h_telemetry[];
extern const char elmo_prompt_tpl_telemetry_none[];
extern const char elmo_prompt_tpl_h_task[];

extern const char elmo_prompt_tpl_task_full_history[];
extern const char elmo_prompt_tpl_task_chunked[];
extern const char elmo_prompt_tpl_task_last_diff[];
extern const char elmo_prompt_tpl_task_by_resource[];
extern const char elmo_prompt_tpl_task_finetune[];
extern const char elmo_prompt_tpl_task_drop[];
extern const char elmo_prompt_tpl_task_realtime[];

#endif /* ELMO_PROMPT_INTERNAL_H */
