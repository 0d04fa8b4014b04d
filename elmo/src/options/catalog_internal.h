/* catalog_internal.h — the hand-kept overlay shared by catalog.c and catalog_overlay.c. */
#ifndef ELMO_CATALOG_INTERNAL_H
#define ELMO_CATALOG_INTERNAL_H

#include <stddef.h>

#include "elmo/catalog.h"

/* One hand-kept fact about an option. section -1: the name in whichever section has it. */
typedef struct elmo_overlay_entry {
  const char *name;
  int section;
  elmo_resource resource;
  unsigned flags;               /* ELMO_OPT_LOCKED, ELMO_OPT_NO_DECREASE, ELMO_OPT_RANGE */
  double min, max;              /* with ELMO_OPT_RANGE */
  const char *const *enums;     /* allowed spellings for enum options */
  size_t n_enums;
  const char *note;             /* lock reason / range hint */
} elmo_overlay_entry;

extern const elmo_overlay_entry elmo_overlay[];
extern const size_t elmo_overlay_count;

/* Resource class for an option the overlay does not list, guessed from its name. */
elmo_resource elmo_overlay_guess_resource(const char *name);

#endif /* ELMO_CATALOG_INTERNAL_H */
