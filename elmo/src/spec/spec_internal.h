/* spec_internal.h — shared inside the spec module: error helper and the validation rules that
 * parsing (spec_json.c) and elmo_spec_validate (spec.c) both apply (spec_check.c). */
#ifndef ELMO_SPEC_INTERNAL_H
#define ELMO_SPEC_INTERNAL_H

#include <stddef.h>

#include "elmo/spec.h"

#define SPEC_PATH_MAX 96 /* "phases[63].groups[7].rate.qps" and the like */

/* Sets err to rc and "path: <printf message>" and returns rc. */
elmo_rc spec_fail(elmo_error *err, elmo_rc rc, const char *path, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Copies an error from elsewhere (e.g. fit.h) into err as "path: message" with code rc. */
elmo_rc spec_wrap(elmo_error *err, elmo_rc rc, const char *path, const elmo_error *inner);

/* The JSON names of the rate kinds ("unlimited", "fixed", "sine"); NULL when out of range. */
const char *spec_rate_kind_name(elmo_rate_kind kind);

/* Checks a name (1..ELMO_SPEC_NAME_MAX-1 printable ASCII characters, NUL inside the buffer). */
elmo_rc spec_check_name(const char *name, const char *path, elmo_error *err);

/* Whether kind may model key access (key_access 1) or a size / length (key_access 0); the
 * message lists the allowed kinds. */
elmo_rc spec_check_kind(elmo_dist_kind kind, int key_access, const char *path, elmo_error *err);

/* Top-level fields except the phases: name, description, num_keys, key_size, preload,
 * preload_value_size. */
elmo_rc spec_check_top(const elmo_spec *s, elmo_error *err);

/* Sets a grouped phase's threads, mix and rate to what its groups (p->n_groups of them, each with
 * threads >= 1) imply: the threads' sum, the thread-weighted mix, an unlimited rate. */
void spec_groups_derive(elmo_spec_phase *p);

/* One phase on its own; index names it in messages ("phases[index]"). */
elmo_rc spec_check_phase(const elmo_spec_phase *p, size_t index, uint64_t num_keys,
                         elmo_error *err);

/* Order, overlaps and unique names of s->phases; orig[i] is the index phases[i] is called in
 * messages (NULL: i itself). */
elmo_rc spec_check_phases(const elmo_spec *s, const size_t *orig, elmo_error *err);

#endif /* ELMO_SPEC_INTERNAL_H */
