/* calibrate_internal.h — name resolution and value normalization used by calibrate.c. */
#ifndef ELMO_CALIBRATE_INTERNAL_H
#define ELMO_CALIBRATE_INTERNAL_H

#include <stddef.h>

#include "elmo/answer.h"
#include "elmo/calibrate.h"
#include "elmo/catalog.h"

/* How a flag spelling's value must be rewritten for the real option. */
typedef enum elmo_xform {
  ELMO_XFORM_NONE = 0,
  ELMO_XFORM_BLOOM_BITS = 1 /* "10" -> "bloomfilter:10:false" */
} elmo_xform;

/*
 * Finds the option raw_key means. hint prefers a section when a name exists in several.
 * OUT *xform: value rewrite for flag spellings; note: what was adjusted ("" when nothing).
 * Returns the option, or NULL with err = ELMO_ENOTFOUND and a reason (suggestion included).
 */
const elmo_option_info *elmo_resolve_name(const elmo_catalog *cat, const char *raw_key,
                                          elmo_section_hint hint, elmo_xform *xform, char *note,
                                          size_t note_size, elmo_error *err);

/*
 * Normalizes raw for option o. OUT *out: new string (free) or NULL on error; note: adjustment.
 * Returns ELMO_OK, ELMO_EPARSE (unreadable), ELMO_ERANGE (outside the catalog range), ELMO_ENOMEM.
 */
elmo_rc elmo_normalize_value(const elmo_option_info *o, elmo_xform xform, const char *raw,
                             char **out, char *note, size_t note_size, elmo_error *err);

/* Effective numeric value of an option in f (base value, else the catalog default).
 * Returns 1 and sets *v when known and numeric. */
int elmo_effective_number(const elmo_catalog *cat, const elmo_optfile *f, elmo_section s,
                          const char *cf, const char *name, double *v);

/* State shared by the stages of one calibration. */
typedef struct elmo_judge_ctx {
  const elmo_catalog *cat;
  const elmo_optfile *base;
  const elmo_calibrate_policy *policy;
  elmo_calibration *res;
} elmo_judge_ctx;

/* calibrate_change.c: one change's verdict and notes. */

/* Replaces ch's reason (a note on an accepted change) with printf-style text. */
void elmo_change_note(elmo_change *ch, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Marks ch rejected with code and a printf-style reason. */
void elmo_change_reject(elmo_change *ch, elmo_rc code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Undoes an accepted change in merged: back to the base's value, or absent. */
void elmo_calibrate_revert(elmo_optfile *merged, const elmo_optfile *base, const elmo_change *ch);

/* Whole-configuration stages after the per-change verdicts (calibrate_rules.c): cross-option
 * rules, the memory budget, and RocksDB's verdict on the merged file. */
elmo_rc elmo_calibrate_rules(elmo_judge_ctx *j);

#endif /* ELMO_CALIBRATE_INTERNAL_H */
