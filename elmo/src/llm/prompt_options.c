/*
 * prompt_options.c — which options a prompt lists, in what order the budget cuts them, and how
 * one option reads: `- write_buffer_size=67108864 (64 MiB)  (range [65536, 4294967296],
 * runtime-mutable)`, under a `Section [CFOptions "default"]:` label.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "elmo/value.h"
#include "prompt_internal.h"

#define NUM_BUF 48

/* ---- choosing ------------------------------------------------------------------------------- */

static int is_pinned(const elmo_prompt_input *in, const char *name) {
  for (size_t i = 0; i < in->n_locked; i++) {
    if (in->locked[i] != NULL && strcmp(in->locked[i], name) == 0) return 1;
  }
  return 0;
}

/* A numeric, boolean or enum option that uses a machine resource: what tuning is about. */
static int tunable(const elmo_option_info *o) {
  int numeric = o->type == ELMO_OPT_BOOL || o->type == ELMO_OPT_INT || o->type == ELMO_OPT_UINT ||
                o->type == ELMO_OPT_DOUBLE || o->type == ELMO_OPT_ENUM;
  return numeric && o->resource != ELMO_RES_ADVANCED;
}

static const char *file_value(const elmo_optfile *f, const elmo_option_info *o) {
  return f == NULL ? NULL : elmo_optfile_get(f, o->section, NULL, o->name);
}

/* The file sets o to something other than the engine default. RocksDB writes every option into
 * its OPTIONS files, so mere presence says nothing. */
static int set_in_file(const elmo_option_info *o, const char *v) {
  return v != NULL && strcmp(v, o->default_value ? o->default_value : "") != 0;
}

/* The option called name: the live one where a name is in two sections (a deprecated DB option
 * and a CF option both called experimental_mempurge_threshold), else any; NULL when unknown. */
static const elmo_option_info *find_option(const elmo_catalog *cat, const char *name) {
  const elmo_option_info *any = NULL;
  for (int s = ELMO_SECTION_DB; s <= ELMO_SECTION_TABLE; s++) {
    const elmo_option_info *o = elmo_catalog_find(cat, s, name);
    if (o != NULL && !(o->flags & (ELMO_OPT_DEPRECATED | ELMO_OPT_ALIAS))) return o;
    if (any == NULL) any = o;
  }
  return any;
}

static int listable(const pt_ctx *c, const elmo_option_info *o) {
  if (o->flags & (ELMO_OPT_LOCKED | ELMO_OPT_DEPRECATED | ELMO_OPT_ALIAS)) return 0;
  if ((c->v->flags & PT_MUTABLE_ONLY) && !(o->flags & ELMO_OPT_MUTABLE)) return 0;
  if (is_pinned(c->in, o->name)) return 0;
  return tunable(o) || set_in_file(o, file_value(c->in->current, o));
}

static void fill_option(const pt_ctx *c, const elmo_option_info *o, pt_option *out) {
  const char *v = file_value(c->in->current, o);
  out->info = o;
  out->value = v != NULL ? v : o->default_value;
  out->previous = NULL;
  if ((c->v->flags & PT_PREVIOUS) && c->in->previous != NULL) {
    const char *pv = file_value(c->in->previous, o);
    out->previous = pv != NULL ? pv : o->default_value;
  }
  out->rank = set_in_file(o, v) ? 0 : (o->flags & ELMO_OPT_RANGE) ? 1 : 2;
}

/* priority = position in the order (rank, list position): the budget keeps the smallest. */
static void rank_options(pt_option *opts, size_t n) {
  for (size_t i = 0; i < n; i++) {
    size_t before = 0;
    for (size_t j = 0; j < n; j++) {
      if (opts[j].rank < opts[i].rank || (opts[j].rank == opts[i].rank && j < i)) before++;
    }
    opts[i].priority = before;
  }
}

static elmo_rc select_relevant(pt_ctx *c) {
  size_t n = elmo_catalog_count(c->in->catalog);
  c->opts = calloc(n ? n : 1, sizeof(*c->opts));
  if (c->opts == NULL) return ELMO_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    const elmo_option_info *o = elmo_catalog_at(c->in->catalog, i);
    if (o != NULL && listable(c, o)) fill_option(c, o, &c->opts[c->n_opts++]);
  }
  rank_options(c->opts, c->n_opts);
  return ELMO_OK;
}

static elmo_rc select_focus(pt_ctx *c, elmo_error *err) {
  const elmo_prompt_input *in = c->in;
  c->opts = calloc(in->n_focus, sizeof(*c->opts));
  if (c->opts == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory listing options");
  for (size_t i = 0; i < in->n_focus; i++) {
    const char *name = in->focus[i];
    const elmo_option_info *o = name ? find_option(in->catalog, name) : NULL;
    if (o == NULL) {
      const elmo_option_info *near = name ? elmo_catalog_suggest(in->catalog, name) : NULL;
      return elmo_error_set(
          err, ELMO_EINVAL, "focus option %zu '%s' is not a RocksDB 7.8.3 option%s%s", i,
          name ? name : "(null)", near ? "; did you mean " : "", near ? near->name : "");
    }
    int dup = 0;
    for (size_t j = 0; j < c->n_opts; j++) dup |= c->opts[j].info == o;
    if (!dup) fill_option(c, o, &c->opts[c->n_opts++]);
  }
  for (size_t i = 0; i < c->n_opts; i++) {
    c->opts[i].rank = 0;
    c->opts[i].priority = i; /* the focus list is never cut (see the budget in prompt.c) */
  }
  return ELMO_OK;
}

elmo_rc elmo_prompt_select_options(pt_ctx *c, elmo_error *err) {
  if (c->v->flags & PT_FOCUS) return select_focus(c, err);
  if (select_relevant(c) != ELMO_OK) {
    return elmo_error_set(err, ELMO_ENOMEM, "out of memory listing options");
  }
  return ELMO_OK;
}

const char *elmo_prompt_value_of(const pt_ctx *c, const char *name) {
  const elmo_option_info *o = find_option(c->in->catalog, name);
  if (o == NULL) return NULL;
  const char *v = file_value(c->in->current, o);
  return v != NULL ? v : o->default_value;
}

/* ---- writing one option --------------------------------------------------------------------- */

static int looks_like_bytes(const elmo_option_info *o) {
  if (o->type != ELMO_OPT_INT && o->type != ELMO_OPT_UINT) return 0;
  if (strstr(o->name, "deviation") || strstr(o->name, "multiplier")) return 0;
  return strstr(o->name, "size") != NULL || strstr(o->name, "bytes") != NULL;
}

/* A range bound: an integer when whole, else up to 6 decimals without trailing zeros. */
static char *fmt_bound(double v, char *buf, size_t n) {
  elmo_prompt_fmt_num(v, v == (double)(int64_t)v ? 0 : 6, buf, n);
  char *dot = strchr(buf, '.');
  if (dot != NULL) {
    char *end = buf + strlen(buf);
    while (end > dot + 1 && end[-1] == '0') *--end = '\0';
  }
  return buf;
}

static void part(elmo_strbuf *b, int *first, const char *tpl, const pt_slot *slots, size_t n) {
  elmo_strbuf_append(b, *first ? "  (" : ", ");
  *first = 0;
  elmo_prompt_buf_fill(b, tpl, slots, n);
}

static void part1(elmo_strbuf *b, int *first, const char *tpl, const char *v) {
  pt_slot s = {"v", v};
  part(b, first, tpl, &s, 1);
}

static void write_enum_values(elmo_strbuf *b, int *first, const elmo_option_info *o) {
  elmo_strbuf list = ELMO_STRBUF_INIT;
  for (size_t i = 0; i < o->n_enum_values; i++) {
    if (i > 0) elmo_strbuf_append(&list, "|");
    elmo_strbuf_append(&list, o->enum_values[i]);
  }
  char *s = elmo_strbuf_take(&list);
  if (s == NULL) {
    b->oom = 1;
    return;
  }
  part1(b, first, elmo_prompt_tpl_opt_enum, s);
  free(s);
}

/* "64 MiB" for a byte-sized integer option's value of at least 1 KiB, else NULL. */
static const char *human_bytes(const elmo_option_info *o, const char *value, char *buf, size_t n) {
  uint64_t bytes = 0;
  if (value == NULL || !looks_like_bytes(o)) return NULL;
  if (elmo_value_parse_uint(value, &bytes, NULL) != ELMO_OK) return NULL;
  if (bytes < 1024 || bytes >= (UINT64_C(1) << 60)) return NULL;
  return elmo_value_format_bytes(bytes, buf, n);
}

/* The value before the change (FINETUNE/DROP), with its size in human units. */
static void write_previous(elmo_strbuf *b, int *first, const pt_option *opt) {
  char human[NUM_BUF];
  if (opt->previous == NULL) {
    part(b, first, elmo_prompt_tpl_opt_was_unknown, NULL, 0);
    return;
  }
  part1(b, first, elmo_prompt_tpl_opt_was, opt->previous);
  if (human_bytes(opt->info, opt->previous, human, sizeof human) != NULL) {
    elmo_prompt_buf_fill1(b, elmo_prompt_tpl_opt_human, human);
  }
}

static void write_option(elmo_strbuf *b, const pt_ctx *c, const pt_option *opt) {
  const elmo_option_info *o = opt->info;
  char human[NUM_BUF], lo[NUM_BUF], hi[NUM_BUF];
  int first = 1;
  elmo_strbuf_append(b, "- ");
  elmo_strbuf_append(b, o->name);
  elmo_strbuf_append(b, "=");
  elmo_strbuf_append(b, opt->value);
  if (human_bytes(o, opt->value, human, sizeof human) != NULL) {
    elmo_prompt_buf_fill1(b, elmo_prompt_tpl_opt_human, human);
  }
  if (c->v->flags & PT_PREVIOUS) write_previous(b, &first, opt);
  if (o->flags & ELMO_OPT_RANGE) {
    pt_slot r[] = {{"min", fmt_bound(o->min, lo, sizeof lo)},
                   {"max", fmt_bound(o->max, hi, sizeof hi)}};
    part(b, &first, elmo_prompt_tpl_opt_range, r, 2);
  } else if (o->type == ELMO_OPT_ENUM && o->n_enum_values > 0) {
    write_enum_values(b, &first, o);
  }
  if (!(c->v->flags & PT_MUTABLE_ONLY)) { /* REALTIME lists mutable options only and says so */
    part(b, &first,
         (o->flags & ELMO_OPT_MUTABLE) ? elmo_prompt_tpl_opt_mutable : elmo_prompt_tpl_opt_reopen,
         NULL, 0);
  }
  if (o->flags & ELMO_OPT_NO_DECREASE) part(b, &first, elmo_prompt_tpl_opt_no_decrease, NULL, 0);
  if (o->note != NULL && o->note[0] != '\0') part(b, &first, o->note, NULL, 0);
  if (!first) elmo_strbuf_append(b, ")");
  elmo_strbuf_append(b, "\n");
}

/* ---- the section ---------------------------------------------------------------------------- */

/* Appends "; " and tpl filled with v (a positive number) to a utilisation line. */
static void use_num(elmo_strbuf *u, const char *tpl, double v, int decimals) {
  char num[NUM_BUF];
  if (!(v > 0)) return;
  if (u->len > 0) elmo_strbuf_append(u, "; ");
  elmo_prompt_buf_fill1(u, tpl, elmo_prompt_fmt_num(v, decimals, num, sizeof num));
}

static void use_bytes(elmo_strbuf *u, const char *tpl, uint64_t v) {
  char num[NUM_BUF];
  if (v == 0) return;
  if (u->len > 0) elmo_strbuf_append(u, "; ");
  elmo_prompt_buf_fill1(u, tpl, elmo_value_format_bytes(v, num, sizeof num));
}

/* "Utilisation: ..." under a resource heading, from the system facts and the latest run. */
static void write_use(elmo_strbuf *b, const pt_ctx *c, elmo_resource r) {
  static const elmo_trial_summary kNoRun;
  const elmo_system_facts *s = c->in->system;
  const elmo_trial_summary *last =
      c->in->n_history > 0 ? &c->in->history[c->in->n_history - 1] : &kNoRun;
  elmo_strbuf u = ELMO_STRBUF_INIT;
  switch (r) {
    case ELMO_RES_CPU:
      use_num(&u, elmo_prompt_tpl_use_cpu, s->cpus, 0);
      use_num(&u, elmo_prompt_tpl_use_cpu_pct, last->cpu_percent, 0);
      break;
    case ELMO_RES_MEMORY:
      use_bytes(&u, elmo_prompt_tpl_use_mem_limit, s->memory_bytes);
      use_bytes(&u, elmo_prompt_tpl_use_mem_peak, last->peak_memory_bytes);
      break;
    case ELMO_RES_STORAGE:
      use_num(&u, elmo_prompt_tpl_fact_read, s->read_mb_per_s, 0);
      use_num(&u, elmo_prompt_tpl_fact_write, s->write_mb_per_s, 0);
      use_num(&u, elmo_prompt_tpl_use_stall, last->stall_percent, 1);
      use_num(&u, elmo_prompt_tpl_use_wamp, last->write_amp, 1);
      break;
    default:
      break;
  }
  char *text = elmo_strbuf_take(&u);
  if (text == NULL) b->oom = 1;
  if (text != NULL && text[0] != '\0') elmo_prompt_buf_fill1(b, elmo_prompt_tpl_use_line, text);
  free(text);
}

/* Lists the kept options of group r (or all groups when r < 0) that fall in [from, to) of the
 * kept ones; returns how many it listed. */
static size_t write_list(elmo_strbuf *b, const pt_ctx *c, const pt_plan *p, int r, size_t from,
                         size_t to) {
  size_t seen = 0, listed = 0;
  int section = -1;
  for (size_t i = 0; i < c->n_opts; i++) {
    const pt_option *o = &c->opts[i];
    if (o->priority >= p->keep) continue;
    size_t at = seen++;
    if (at < from || at >= to) continue;
    if (r >= 0 && (int)o->info->resource != r) continue;
    if ((int)o->info->section != section && (unsigned)o->info->section < 4) {
      section = (int)o->info->section;
      elmo_prompt_buf_fill1(b, elmo_prompt_tpl_section_label,
                            elmo_prompt_tpl_section_names[section]);
    }
    write_option(b, c, o);
    listed++;
  }
  return listed;
}

static size_t write_grouped(elmo_strbuf *b, const pt_ctx *c, const pt_plan *p) {
  size_t listed = 0;
  for (int r = ELMO_RES_CPU; r <= ELMO_RES_ADVANCED; r++) {
    elmo_strbuf group = ELMO_STRBUF_INIT;
    size_t n = write_list(&group, c, p, r, 0, SIZE_MAX);
    char *text = elmo_strbuf_take(&group);
    if (text == NULL) b->oom = 1;
    if (n > 0 && text != NULL) {
      elmo_prompt_buf_fill1(b, elmo_prompt_tpl_group_heading, elmo_prompt_tpl_group_names[r]);
      write_use(b, c, (elmo_resource)r);
      elmo_strbuf_append(b, text);
    }
    free(text);
    listed += n;
  }
  return listed;
}

void elmo_prompt_write_options(elmo_strbuf *b, const pt_ctx *c, const pt_plan *p) {
  char k[NUM_BUF], n[NUM_BUF], cut[NUM_BUF];
  pt_slot slots[] = {{"chunk", elmo_prompt_fmt_size(p->chunk + 1, k, sizeof k)},
                     {"chunks", elmo_prompt_fmt_size(p->n_chunks, n, sizeof n)}};
  elmo_strbuf_append(b, elmo_prompt_tpl_h_options);
  elmo_prompt_buf_fill(b, c->v->options_intro, slots, 2);
  size_t listed;
  if (c->v->flags & PT_GROUPED) {
    listed = write_grouped(b, c, p);
  } else if (c->v->flags & PT_CHUNKED) {
    listed = write_list(b, c, p, -1, p->chunk * c->chunk_size, (p->chunk + 1) * c->chunk_size);
  } else {
    listed = write_list(b, c, p, -1, 0, SIZE_MAX);
  }
  if (listed == 0) elmo_strbuf_append(b, elmo_prompt_tpl_options_empty);
  if (p->n_kept < c->n_opts) {
    elmo_prompt_buf_fill1(b, elmo_prompt_tpl_options_cut,
                          elmo_prompt_fmt_size(c->n_opts - p->n_kept, cut, sizeof cut));
  }
}
