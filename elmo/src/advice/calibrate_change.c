/* calibrate_change.c — one change's verdict and notes, shared by the per-change judge
 * (calibrate.c) and the cross-option rules (calibrate_rules.c). See calibrate_internal.h. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate_internal.h"
#include "elmo/number.h"

enum { kNote = 512 };

void elmo_change_note(elmo_change *ch, const char *fmt, ...) {
  char buf[kNote];
  va_list ap;
  va_start(ap, fmt);
  elmo_number_vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  free(ch->reason);
  ch->reason = strdup(buf);
}

void elmo_change_reject(elmo_change *ch, elmo_rc code, const char *fmt, ...) {
  char buf[kNote];
  va_list ap;
  va_start(ap, fmt);
  elmo_number_vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  ch->verdict = ELMO_VERDICT_REJECTED;
  ch->code = code;
  elmo_change_note(ch, "%s", buf);
}

void elmo_calibrate_revert(elmo_optfile *merged, const elmo_optfile *base, const elmo_change *ch) {
  const char *old = elmo_optfile_get(base, ch->section, ch->cf, ch->name);
  if (old != NULL) {
    elmo_optfile_set(merged, ch->section, ch->cf, ch->name, old, NULL);
  } else {
    elmo_optfile_unset(merged, ch->section, ch->cf, ch->name);
  }
}
