/* confirm_text.c — a confirmation in one sentence: the paired estimate, its interval and the
 * verdict (the final line of elmotune and the report's confirmation section). See tuner.h. */
#include <stdio.h>

#include "elmo/number.h"
#include "elmo/tuner.h"

int elmo_tune_confirmation_text(const elmo_tune_confirmation *c, char *buf, size_t size) {
  if (c->pairs == 0) return snprintf(buf, size, "not confirmed (no pair of runs completed)");
  char tail[160];
  if (c->guard != NULL) {
    snprintf(tail, sizeof tail, "the per-operation guard fails it");
  } else if (c->significant) {
    snprintf(tail, sizeof tail, "a gain (look %d of %d)", c->look, c->looks);
  } else {
    elmo_number_snprintf(tail, sizeof tail, "no gain shown (p %.3f, needed %.4f at look %d of %d)", c->p, c->alpha,
                         c->look, c->looks);
  }
  return elmo_number_snprintf(buf, size,
                              "%+.1f%% (paired estimate over %d pair(s)%s; %.1f%% interval %+.1f%% .. %+.1f%%%s): %s",
                              c->gain * 100, c->pairs, c->batches > 1 ? ", per-second batches" : "",
                              (1 - 2 * c->alpha) * 100, c->gain_low * 100, c->gain_high * 100,
                              c->within_only ? "; one pair and no repeat of the baseline: no run-to-run spread to judge it by" : "", tail);
}
