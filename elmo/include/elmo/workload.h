/*
 * workload.h — the workload the tuner measures: a built-in preset or a workload spec (spec.h),
 * as db_bench arguments plus the facts the advisors use.
 *
 * Conventions: see elmo.h. Pure, except elmo_workload_open, which reads a spec file, and
 * elmo_workload_param_refused, which looks whether a name is a file.
 */
#ifndef ELMO_WORKLOAD_H
#define ELMO_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "elmo/elmo.h"
#include "elmo/spec.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the advisor knows about a workload. Fractions sum to 1 over read/write/scan. */
typedef struct elmo_workload_facts {
  double read_fraction;   /* point lookups */
  double write_fraction;  /* puts, updates, inserts */
  double scan_fraction;   /* seeks + nexts */
  int key_bytes, value_bytes;
  uint64_t num_keys;
  int skewed;             /* 1: a few keys take most accesses (zipf-like) */
  int preload;            /* 1: reads an existing dataset */
  int threads;            /* client threads issuing the operations */
  int merges;             /* 1: it merges (the DB needs a merge operator) */
  /* A spec whose thread groups run some clients at a set rate (a background writer) and others
   * as fast as they go: the one operation type the unpaced groups run ("seek"), whose ops/s are
   * what the program's users wait for; NULL when there is no such split or the unpaced groups
   * run several types. Static storage. */
  const char *unpaced_op;
  /* Bit (1 << elmo_spec_op) per operation type that only paced thread groups run (a background
   * writer's put): load the program makes, not what its users wait for. 0 without groups. */
  unsigned paced_only_ops;
} elmo_workload_facts;

typedef struct elmo_workload {
  char name[ELMO_SPEC_NAME_MAX]; /* a preset's or a spec's name, whole */
  char description[256];   /* one line; a spec's summary is cut to fit */
  elmo_workload_facts facts;
  int read_percent;        /* readrandomwriterandom's reads in percent of reads and writes, as
                              run; -1: the workload has no such setting */
  char *preload_args[16];  /* db_bench args building the base DB (NULL-terminated), or none */
  char *run_args[48];      /* db_bench args of the measured run (NULL-terminated) */
  char bench[32];          /* the measured db_bench benchmark (e.g. "readrandom") */
} elmo_workload;

/*
 * The values a caller may set on a workload, meaning what db_bench's flags of the same names
 * mean (elmo_workload_param_flag): --num, --key_size, --value_size, --threads,
 * --readwritepercent. A value left "not set" is the workload's own. Which workload takes which:
 * elmo_workload_param_refused (docs/TUNING.md has the table).
 */
typedef enum elmo_workload_param {
  ELMO_WORKLOAD_NUM = 0,          /* num_keys */
  ELMO_WORKLOAD_KEY_SIZE = 1,     /* key_size */
  ELMO_WORKLOAD_VALUE_SIZE = 2,   /* value_size */
  ELMO_WORKLOAD_THREADS = 3,      /* threads */
  ELMO_WORKLOAD_READ_PERCENT = 4, /* read_percent */
  ELMO_WORKLOAD_PARAM_COUNT = 5
} elmo_workload_param;

#define ELMO_WORKLOAD_NUM_MAX 1e12                     /* keys */
#define ELMO_WORKLOAD_KEY_SIZE_MIN ELMO_SPEC_KEY_SIZE_MIN /* bytes: the key holds the 8-byte index */
#define ELMO_WORKLOAD_KEY_SIZE_MAX ELMO_SPEC_KEY_SIZE_MAX
#define ELMO_WORKLOAD_VALUE_SIZE_MAX ELMO_SPEC_VALUE_SIZE_MAX
#define ELMO_WORKLOAD_THREADS_MAX ELMO_SPEC_MAX_THREADS
#define ELMO_WORKLOAD_READ_PERCENT_MIN 1  /* db_bench's own limits for --readwritepercent */
#define ELMO_WORKLOAD_READ_PERCENT_MAX 99

typedef struct elmo_workload_params {
  uint64_t num_keys; /* dataset keys, 1 .. ELMO_WORKLOAD_NUM_MAX; 0: not set (a preset's 1000000) */
  int key_size;      /* bytes, ELMO_WORKLOAD_KEY_SIZE_MIN .. _MAX; 0: not set (16; mixgraph 48) */
  int value_size;    /* bytes, 1 .. ELMO_WORKLOAD_VALUE_SIZE_MAX; 0: not set (400; ycsb-* 1000) */
  int threads;       /* client threads of the measured run, 1 .. ELMO_WORKLOAD_THREADS_MAX; 0: not
                        set (1) */
  int read_percent;  /* readrandomwriterandom's reads in percent, ELMO_WORKLOAD_READ_PERCENT_MIN ..
                        _MAX; -1: not set (the name's ":PCT", else 90) */
  double seconds;    /* length of a measured run, warm-up included; > 0 (not a setting of the
                        workload: every workload takes it) */
} elmo_workload_params;

/* Sets every value of *p to "not set" and seconds to 0. No-op for NULL. */
ELMO_API void elmo_workload_params_init(elmo_workload_params *p);

/* db_bench's flag of param p, without "--" ("num", "key_size", "value_size", "threads",
 * "readwritepercent"); "?" when p is out of range. Static storage. */
ELMO_API const char *elmo_workload_param_flag(elmo_workload_param p);

/*
 * Whether the workload `name` refuses a value for param p, and why. name: a preset (with or
 * without ":PCT"), a spec file (as elmo_workload_open tells them apart: this looks at the file
 * system), or NULL for the spec modeled from a trace. A spec sets every param itself; a preset
 * refuses those it fixes (mixgraph its 48-byte keys, ycsb-* their 1000-byte records) and
 * read_percent unless it is readrandomwriterandom. An unknown preset refuses nothing (opening it
 * fails). Returns 1 and writes the reason (one clause, e.g. "the fillrandom preset has no read
 * percent: only readrandomwriterandom has one") to why (may be NULL), or 0.
 */
ELMO_API int elmo_workload_param_refused(const char *name, elmo_workload_param p, char *why, size_t cap);

/* The read percent a preset name carries: PCT of "readrandomwriterandom:PCT" with PCT one to three
 * digits (its range is elmo_workload_check_name's); -1 for any other name (none, malformed,
 * another preset). Pure. */
ELMO_API int elmo_workload_name_read_percent(const char *name);

/* Whether name is a workload elmo_workload_open can build, without building it: a spec file name
 * (not read here), or a preset, whose ":PCT" must be in [ELMO_WORKLOAD_READ_PERCENT_MIN, _MAX].
 * Returns ELMO_OK; ELMO_ENOTFOUND naming the presets; ELMO_EINVAL (NULL, a read percent out of
 * range). Messages start with the name ("fillrandon: unknown workload (presets: ...)"). Looks
 * whether name is a file, as elmo_workload_open does. */
ELMO_API elmo_rc elmo_workload_check_name(const char *name, elmo_error *err);

/*
 * Builds a preset: fillrandom, readrandom, readrandomwriterandom[:READ_PERCENT],
 * mixgraph (Facebook's published parameters), ycsb-a .. ycsb-f, with the values p sets
 * (elmo_workload_params_init, then seconds and any others; required). Returns ELMO_OK; ELMO_ENOTFOUND naming the
 * presets (elmo_workload_check_name); ELMO_EINVAL (a read percent in the name out of range,
 * seconds <= 0, a value out of its range, a value the preset refuses
 * (elmo_workload_param_refused), a read_percent that differs from the name's ":PCT": each
 * message names db_bench's flag); ELMO_ENOMEM.
 */
ELMO_API elmo_rc elmo_workload_preset(const char *name, const elmo_workload_params *p, elmo_workload *out,
                                      elmo_error *err);
ELMO_API void elmo_workload_clear(elmo_workload *w);

/*
 * Builds the workload of a spec: db_bench runs it with --benchmarks=elmospec
 * --elmo_spec=spec_path --duration=seconds (the spec's timeline scaled to the trial), and, when
 * the spec preloads, builds the base with the spec's own load step (--elmo_spec_load_only=1), so
 * that the base holds exactly the keys, key sizes and values the phases expect. Facts: read
 * (get, multiget), write (put, delete, merge) and scan (seek) fractions weighted by phase
 * duration; key_bytes the mean of key_size; value_bytes the mean of preload_value_size when
 * preloading, else the phases' value_size means weighted by duration × write fraction; skewed
 * when a phase's key_access is not uniform; threads the phases' maximum.
 * IN spec: a valid spec (borrowed for the call); spec_path: where db_bench reads it (make it
 * absolute: trials run in other directories); seconds: length of a measured run (warm-up
 * included). OUT *out (zeroed first; elmo_workload_clear).
 * Returns ELMO_OK, ELMO_EINVAL (NULL, seconds <= 0 or under 1 s once rounded, spec_path too
 * long for an argument), ELMO_ENOMEM.
 */
ELMO_API elmo_rc elmo_workload_from_spec(const elmo_spec *spec, const char *spec_path, double seconds,
                                elmo_workload *out, elmo_error *err);

/*
 * The tuner's --elmo_workload: a spec when name ends in ".json" or names an existing regular
 * file (read with elmo_spec_load, its path made absolute, then elmo_workload_from_spec with
 * p->seconds), else a preset (elmo_workload_preset with p). A spec sets its own keys, sizes,
 * threads and mix: any of p's values set is ELMO_EINVAL naming db_bench's flag. Returns the codes
 * of those functions; a bad spec fails with the spec module's message, which names the field.
 */
ELMO_API elmo_rc elmo_workload_open(const char *name, const elmo_workload_params *p, elmo_workload *out,
                                    elmo_error *err);

/* Names of the presets, NULL-terminated (static). */
ELMO_API const char *const *elmo_workload_preset_names(void);

/* A human/LLM-readable summary of the workload (new string, elmo_free). */
ELMO_API char *elmo_workload_describe(const elmo_workload *w);

#ifdef __cplusplus
}
#endif

#endif /* ELMO_WORKLOAD_H */
