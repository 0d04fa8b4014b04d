/*
 * answer.h — extracting option assignments from an advisor's free-text answer.
 *
 * Conventions: see elmo.h. Pure functions: no I/O, no globals, no clock.
 *
 * An answer is text from an LLM or a person: prose, fenced code blocks, OPTIONS-file fragments with
 * or without section headers, `key=value` or `key: value` lines, JSON (flat or by section, even
 * with // comments or trailing commas), nested table options (`block_based_table_factory={...}`),
 * db_bench flags (`--cache_size=1GB`), markdown tables. elmo_answer_extract finds the block the
 * answer presents as its final configuration and returns its raw assignments, in order, with where
 * each came from. It does not know option names or types: the calibrator resolves names against
 * the catalog and normalizes values (value.h).
 */
#ifndef ELMO_ANSWER_H
#define ELMO_ANSWER_H

#include <stddef.h>

#include "elmo/elmo.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Which section an assignment was found under, as far as the text says. */
typedef enum elmo_section_hint {
  ELMO_HINT_NONE = 0,  /* no section header / JSON object said where it belongs */
  ELMO_HINT_DB = 1,    /* [DBOptions], "DBOptions": {...}, "db_options" ... */
  ELMO_HINT_CF = 2,    /* [CFOptions "x"], "CFOptions": {...}, "cf_options" ... */
  ELMO_HINT_TABLE = 3  /* [TableOptions/BlockBasedTable "x"], block_based_table_factory={...} */
} elmo_section_hint;

/* How the block an assignment came from was written. */
typedef enum elmo_origin {
  ELMO_ORIGIN_INI = 0,    /* OPTIONS-style lines: key=value, key: value, [Section] headers */
  ELMO_ORIGIN_JSON = 1,   /* a JSON object */
  ELMO_ORIGIN_FLAGS = 2,  /* db_bench-style flags: --key=value or -key=value */
  ELMO_ORIGIN_TABLE = 3   /* a markdown table | key | value | */
} elmo_origin;

typedef struct elmo_assignment {
  char *key;                 /* as written, trimmed; never NULL */
  char *value;               /* as written, trimmed, quotes removed; never NULL (may be "") */
  elmo_section_hint section; /* section the text put it under */
  char *cf_name;             /* column family named by the section header, or NULL */
  elmo_origin origin;
  int line;                  /* 1-based line in the answer where the assignment starts */
  int block;                 /* 0-based index of the block (fenced or not) it came from */
} elmo_assignment;

typedef struct elmo_assignment_list {
  elmo_assignment *items;
  size_t count;
  int chosen_block;  /* index of the block used as the final configuration */
  int blocks_seen;   /* how many candidate blocks the answer had */
} elmo_assignment_list;

/*
 * Extracts the assignments of the answer's final configuration block.
 * IN text, len: the answer (need not be NUL-terminated; NUL bytes end it). Any bytes are safe.
 * OUT *out: a new list, freed with elmo_assignment_list_destroy; NULL on error.
 * Returns ELMO_OK with at least one assignment; ELMO_EPARSE when nothing usable was found (the
 * message says what the answer contained instead, e.g. "prose only, no options block");
 * ELMO_EINVAL on NULL arguments; ELMO_ENOMEM.
 * Later duplicates of a key within the chosen block replace earlier ones (last one wins); the
 * list keeps one entry per (section, cf, key), at the position of the key's first occurrence,
 * with the value, line and origin of its last.
 *
 * Blocks: the fenced (``` or ~~~) blocks; when none has assignments, the JSON objects that start
 * a line of prose, and the prose's assignment-looking lines taken together as one block (bullets,
 * `key: value`, markdown tables, `$ db_bench --flags`; keys must contain '_' or be a lowercase word
 * with a value-like value; a value must be one token, a number and unit, quoted or `{...}`).
 * Choice: the last block with assignments, unless the words introducing it (the 3 lines before
 * it, its fence info string, its leading comment lines) call it current/old/original/before/
 * baseline/existing; then the last block called final/recommended/proposed/new/updated/tuned/
 * suggested, else the last one not called current. A block of command-line flags only counts
 * when no block has anything else.
 * Keys: a leading -/-- of flags, wrapping `**`/backticks/quotes, and a dotted prefix naming a
 * section (`table_factory.block_size`, `DBOptions.x`: the hint) or an object (`options.x`) are
 * removed. `block_based_table_factory={k=v;...}` becomes one ELMO_HINT_TABLE assignment per k=v;
 * other `{...}` values stay whole (JSON objects are written `{k=v;k2=v2}`, arrays `a:b:c`).
 * [Version] sections are skipped. Limits: 4096 assignments per block (later ones dropped); keys
 * over 128 bytes, values over 64 KiB and values that are not printable UTF-8 are skipped.
 * Linear in len. Thread-safe.
 */
ELMO_API elmo_rc elmo_answer_extract(const char *text, size_t len, elmo_assignment_list **out,
                            elmo_error *err);

ELMO_API void elmo_assignment_list_destroy(elmo_assignment_list *list);

#ifdef __cplusplus
}
#endif

#endif /* ELMO_ANSWER_H */
