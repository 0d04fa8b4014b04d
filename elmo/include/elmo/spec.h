/*
 * spec.h — the workload spec: a JSON description of a workload that people and LLMs can read and
 * write, that elmo validates on load, and that db_bench runs (--benchmarks=elmospec). The schema
 * is documented in docs/WORKLOAD_SPEC.md; this header is its C form.
 *
 * Module elmo/src/spec/: the workload spec: the object (spec_object.c), building,
 *  validating, loading and saving (spec.c), the rules (spec_check.c), the
 *  JSON reader (spec_json.c) and writer (spec_write.c). Uses base, options, fit.
 *
 * Conventions: as elmo.h. The structs are plain data; a spec from elmo_spec_parse is owned by the
 * caller and freed with elmo_spec_destroy. Distributions are elmo_dist values (fit.h).
 *
 * Keys: a spec's key space is num_keys key indices 0 .. num_keys-1. The key of index i is i as an
 * 8-byte big-endian number followed by zero padding to its size (db_bench's layout), so a
 * key-access distribution is a distribution over indices:
 *   uniform {min,max}       index = floor(u), u uniform on [min, max) (default 0 and num_keys;
 *                           0 <= min < max <= num_keys)
 *   zipfian {theta}         rank r in 1..num_keys, index = scramble(r) (hot keys spread over the
 *                           key space, as YCSB's scrambled zipfian); n = num_keys
 *   latest {theta}          recency rank r, index = newest written index - (r - 1); n = num_keys
 *   power {a,b}             mixgraph's key model: index = num_keys * (u/a)^(1/b), clamped
 *   two_term_exp {a,b,c,d}  mixgraph's key-range hotness over key_ranges ranges, uniform inside;
 *                           n = key_ranges
 * The spec fills key_access.n in (JSON must not give it). Key sizes are per key (a key's size is
 * a pure function of its index and key_size), value sizes per write; a draw is rounded to whole
 * bytes and clamped to the field's range (only the unbounded tails of normal, exponential,
 * pareto and gpareto can reach the clamp: validation rejects a bounded support that leaves it).
 */
#ifndef ELMO_SPEC_H
#define ELMO_SPEC_H

#include <stddef.h>
#include <stdint.h>

#include "elmo/elmo.h"
#include "elmo/fit.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ELMO_SPEC_NAME_MAX 64         /* bytes with the NUL: names are 1..63 printable ASCII */
#define ELMO_SPEC_DESCRIPTION_MAX 512 /* bytes with the NUL */
#define ELMO_SPEC_MAX_PHASES 64
#define ELMO_SPEC_MAX_THREADS 256
#define ELMO_SPEC_MAX_GROUPS 8        /* thread groups per phase */
#define ELMO_SPEC_JSON_MAX (1u << 20) /* bytes of JSON parse/load accept (more: ELMO_ETOOBIG) */
#define ELMO_SPEC_NUM_KEYS_MAX (1ull << 40)
#define ELMO_SPEC_KEY_SIZE_MIN 8             /* bytes: the key holds the 8-byte index */
#define ELMO_SPEC_KEY_SIZE_MAX 65536         /* bytes */
#define ELMO_SPEC_VALUE_SIZE_MAX (64u << 20) /* bytes (64 MiB) */
#define ELMO_SPEC_SCAN_LENGTH_MAX 1000000    /* Next calls per seek */
#define ELMO_SPEC_MULTIGET_MAX 1024          /* keys per multiget */
#define ELMO_SPEC_KEY_RANGES_MAX 1000000     /* two_term_exp ranges */
#define ELMO_SPEC_SECONDS_MAX 1e7            /* seconds: no phase ends later (~116 days) */
#define ELMO_SPEC_QPS_MAX 1e9                /* operations per second */
#define ELMO_SPEC_MIX_TOLERANCE 1e-6         /* |sum of mix fractions - 1| allowed */

/* Operation types of a phase's mix (JSON keys in "mix"). */
typedef enum elmo_spec_op {
  ELMO_SPEC_GET = 0,     /* "get": point lookup */
  ELMO_SPEC_PUT = 1,     /* "put": insert or overwrite */
  ELMO_SPEC_DELETE = 2,  /* "delete" */
  ELMO_SPEC_SEEK = 3,    /* "seek": iterator Seek then scan_length Next calls */
  ELMO_SPEC_MERGE = 4,   /* "merge" (needs a merge operator in the OPTIONS file) */
  ELMO_SPEC_MULTIGET = 5 /* "multiget": multiget_size keys at once */
} elmo_spec_op;
#define ELMO_SPEC_OP_COUNT 6

/* JSON name of op ("get", "put", ...); NULL when out of range. */
ELMO_API const char *elmo_spec_op_name(elmo_spec_op op);

typedef enum elmo_rate_kind {
  ELMO_RATE_UNLIMITED = 0, /* "unlimited": as fast as the threads go */
  ELMO_RATE_FIXED = 1,     /* "fixed": qps operations per second, all threads together */
  ELMO_RATE_SINE = 2       /* "sine": qps(t) = a * sin(b * t + c) + d, t seconds into the phase */
} elmo_rate_kind;

typedef struct elmo_spec_rate {
  elmo_rate_kind kind;
  /* FIXED: operations per second, in (0, ELMO_SPEC_QPS_MAX]; 0 for the other kinds. */
  double qps;
  /* SINE: qps(t) must stay > 0 and <= ELMO_SPEC_QPS_MAX over the whole phase (d > |a| always
   * stays positive); b in radians per second; all 0 for the other kinds. */
  double a, b, c, d;
} elmo_spec_rate;

/* A group of a phase's client threads with their own operation mix and rate; every other
 * property (key access, sizes, scan length, multiget size) is the phase's. */
typedef struct elmo_spec_group {
  char name[ELMO_SPEC_NAME_MAX];  /* unique in its phase */
  int threads;                    /* 1 .. ELMO_SPEC_MAX_THREADS */
  double mix[ELMO_SPEC_OP_COUNT]; /* as a phase's mix */
  elmo_spec_rate rate;            /* the group's rate, all its threads together */
} elmo_spec_group;

/*
 * A phase. Its client threads either all share threads, mix and rate (n_groups 0), or are split
 * into 1..ELMO_SPEC_MAX_GROUPS groups, each with its own threads, mix and rate (a steady writer
 * beside readers that go as fast as they can). With groups, threads, mix and rate are derived
 * (elmo_spec_phase_set_groups, or the parser, fills them in; elmo_spec_validate checks them):
 *   threads  the sum of the groups' threads (at most ELMO_SPEC_MAX_THREADS);
 *   mix      the groups' mixes weighted by their threads: the op shares when every thread runs at
 *            the same speed (equal to it within 1e-9 per op);
 *   rate     unlimited with all fields 0 (each group paces itself).
 * scan_length and multiget_size follow the derived mix: scan_length is required when any group
 * seeks, multiget_size when any group multigets. Group i runs the phase's threads first_i ..
 * first_i + threads_i - 1, first_i being the threads of the groups before it.
 */
typedef struct elmo_spec_phase {
  char name[ELMO_SPEC_NAME_MAX];
  /* Seconds from the start of the run (>= 0); phases do not overlap, and start_sec +
   * duration_sec <= ELMO_SPEC_SECONDS_MAX. */
  double start_sec;
  double duration_sec;            /* seconds, > 0 */
  int threads;                    /* client threads, 1 .. ELMO_SPEC_MAX_THREADS (groups: derived) */
  double mix[ELMO_SPEC_OP_COUNT]; /* fractions, each in [0,1], summing to 1 (±1e-6) (groups:
                                     derived) */
  elmo_dist key_access;           /* over key indices, see above; n as listed there */
  /* two_term_exp: the number of key ranges, 1 .. ELMO_SPEC_KEY_RANGES_MAX and <= num_keys; 0 for
   * every other key_access kind. */
  int key_ranges;
  /* Bytes per written value, sampled per write, clamped to [0, ELMO_SPEC_VALUE_SIZE_MAX];
   * fixed 100 by default. */
  elmo_dist value_size;
  /* Next calls after a seek, [0, ELMO_SPEC_SCAN_LENGTH_MAX]; exactly fixed 0 when the mix has
   * no seek. */
  elmo_dist scan_length;
  /* Keys per multiget, 1 .. ELMO_SPEC_MULTIGET_MAX; exactly 1 when the mix has no multiget. */
  int multiget_size;
  elmo_spec_rate rate; /* groups: unlimited, all fields 0 */
  size_t n_groups;     /* 0: no groups (threads/mix/rate above are the phase's) */
  /* groups[0 .. n_groups): the phase's thread groups; the slots past n_groups are all zero. */
  elmo_spec_group groups[ELMO_SPEC_MAX_GROUPS];
} elmo_spec_phase;

typedef struct elmo_spec {
  char name[ELMO_SPEC_NAME_MAX];
  char description[ELMO_SPEC_DESCRIPTION_MAX];
  uint64_t num_keys; /* key space size, 1 .. ELMO_SPEC_NUM_KEYS_MAX */
  /* Bytes per key, in [ELMO_SPEC_KEY_SIZE_MIN, ELMO_SPEC_KEY_SIZE_MAX]; fixed 16 by default. */
  elmo_dist key_size;
  /* 1 (default): every key is written once before the phases (a preloaded DB); 0: the run
   * starts from an empty DB. */
  int preload;
  /* Value sizes of the preload (JSON default: the value_size of the phase that starts first). */
  elmo_dist preload_value_size;
  size_t n_phases; /* 1 .. ELMO_SPEC_MAX_PHASES */
  /* n_phases, sorted by start_sec; malloc'd and owned by the spec (elmo_spec_add_phase grows
   * it, elmo_spec_destroy frees it). */
  elmo_spec_phase *phases;
} elmo_spec;

/*
 * Parses and validates a spec (json need not be NUL-terminated; trailing NULs and white space
 * are allowed). Errors name the field by its JSON path, e.g. "phases[1].mix: fractions sum to
 * 0.9, must be 1" or "phases[0].threads: 0 is out of range 1..256" or
 * "phases[0].groups[1].mix.put: 2 is out of range 0..1"; phase indices are positions in the
 * input. Unknown fields are errors (a typo must not silently fall back to a default). Phases are
 * stably sorted by start_sec. Defaults are documented in docs/WORKLOAD_SPEC.md.
 * OUT *out: a new spec (elmo_spec_destroy) or NULL on error.
 * Returns ELMO_OK; ELMO_ETOOBIG (len > ELMO_SPEC_JSON_MAX); ELMO_EPARSE (not JSON, or not a JSON
 * object); ELMO_EINVAL (wrong type, unknown, missing or contradictory field); ELMO_ERANGE (a
 * number or count outside its range); ELMO_ENOMEM.
 */
ELMO_API elmo_rc elmo_spec_parse(const char *json, size_t len, elmo_spec **out, elmo_error *err);

/* Reads and parses a file (at most ELMO_SPEC_JSON_MAX bytes, else ELMO_ETOOBIG); ELMO_EIO names
 * the path, and parse errors are prefixed with it. OUT *out as elmo_spec_parse. */
ELMO_API elmo_rc elmo_spec_load(const char *path, elmo_spec **out, elmo_error *err);

/* Validates a spec built in C with the rules of parsing, plus the canonical form the JSON
 * implies: phases sorted, key_access.n filled in, unused dist parameters and n zero, scan_length
 * fixed 0 without seek, multiget_size 1 without multigets, key_ranges 0 without two_term_exp,
 * unused rate fields 0; with groups, n_groups <= ELMO_SPEC_MAX_GROUPS, every group valid (name
 * unique in the phase, threads, mix and rate by the phase's rules), threads, mix and rate
 * derived as elmo_spec_phase says, and the group slots past n_groups zero. Phase indices are
 * array positions. Returns ELMO_OK, ELMO_EINVAL or ELMO_ERANGE. */
ELMO_API elmo_rc elmo_spec_validate(const elmo_spec *s, elmo_error *err);

/* The spec as indented JSON; for a valid spec, elmo_spec_parse reads it back to an equal spec
 * (every number is written with enough digits to read back exactly; a grouped phase's mix is
 * derived again from its groups, so it reads back exactly when elmo_spec_phase_set_groups or the
 * parser derived it). Fields at their "absent" value (zero mix fractions, scan_length without
 * seek, ...) are left out; a phase with groups is written with "groups" and without its derived
 * threads, mix and rate. elmo_free; NULL when s is NULL, out of memory or s holds an unknown dist
 * or rate kind. */
ELMO_API char *elmo_spec_to_json(const elmo_spec *s);

/* Validates s and writes elmo_spec_to_json atomically to path (elmo_file_save_atomic). Returns
 * ELMO_OK, ELMO_EINVAL/ELMO_ERANGE (invalid spec, nothing written), ELMO_ENOMEM, ELMO_EIO. */
ELMO_API elmo_rc elmo_spec_save(const elmo_spec *s, const char *path, elmo_error *err);

/* A new spec named "spec", preloaded, 16-byte keys, with one phase (name "main", start 0, 60 s,
 * 1 thread, 100% get, uniform keys over the whole key space, 100-byte values, unlimited rate);
 * preload values 100 bytes. NULL when out of memory. num_keys is not checked here
 * (elmo_spec_validate does). For building specs in C. */
ELMO_API elmo_spec *elmo_spec_create(uint64_t num_keys);

/* Adds a copy of p at the end (not validated: call elmo_spec_validate when done). Returns
 * ELMO_OK, ELMO_EINVAL (NULL s or p), ELMO_ERANGE past ELMO_SPEC_MAX_PHASES, ELMO_ENOMEM. */
ELMO_API elmo_rc elmo_spec_add_phase(elmo_spec *s, const elmo_spec_phase *p, elmo_error *err);

/* Gives p the thread groups groups[0 .. n) (copied; the slots past n are zeroed) and derives its
 * threads, mix and rate from them (elmo_spec_phase above). The groups are not validated beyond
 * what the derivation needs: call elmo_spec_validate when done. On error p is unchanged.
 * IN groups: n groups, borrowed for the call.
 * Returns ELMO_OK; ELMO_EINVAL (NULL p or groups); ELMO_ERANGE (n 0 or above
 * ELMO_SPEC_MAX_GROUPS, a group's threads outside 1..ELMO_SPEC_MAX_THREADS, or the threads
 * summing to more than ELMO_SPEC_MAX_THREADS). */
ELMO_API elmo_rc elmo_spec_phase_set_groups(elmo_spec_phase *p, const elmo_spec_group *groups, size_t n,
                                   elmo_error *err);

/* Total length of the run in seconds: the latest end of any phase (0 for NULL or no phases). */
ELMO_API double elmo_spec_duration(const elmo_spec *s);

/* The phase running at t seconds (start_sec <= t < start_sec + duration_sec), or NULL before,
 * between or after phases and for NaN. Borrowed: valid until s changes or is destroyed. */
ELMO_API const elmo_spec_phase *elmo_spec_phase_at(const elmo_spec *s, double t);

/* Frees s and its phases. NULL is a no-op. */
ELMO_API void elmo_spec_destroy(elmo_spec *s);

#ifdef __cplusplus
}
#endif

#endif /* ELMO_SPEC_H */
