/* optfile_internal.h — the OPTIONS file model shared by optfile.c and optfile_write.c.
 * Not installed; nothing outside elmo/src may include it. */
#ifndef ELMO_OPTFILE_INTERNAL_H
#define ELMO_OPTFILE_INTERNAL_H

#include <stddef.h>

#include "elmo/optfile.h"

#define ELMO_OPTFILE_NPOS ((size_t)-1)

typedef struct opt_entry {
  char *key;   /* trimmed, non-empty */
  char *value; /* trimmed, verbatim otherwise */
} opt_entry;

typedef struct opt_section {
  elmo_section kind;
  char *cf;     /* unescaped column family name for CF and TABLE; NULL otherwise */
  char *header; /* the header line as written, e.g. [TableOptions/PlainTable "x"] */
  opt_entry *entries;
  size_t n, cap;
} opt_section;

struct elmo_optfile {
  opt_section *secs; /* in file order */
  size_t n, cap;
};

/* A NUL-terminated copy of s[0..n) or NULL when out of memory. */
char *elmo_optfile_strndup(const char *s, size_t n);

/* Index of the section (cf NULL = "default"; ignored for VERSION/DB) or ELMO_OPTFILE_NPOS. */
size_t elmo_optfile_find_section(const elmo_optfile *f, elmo_section kind,
                                             const char *cf);

/* Index of key in sec or ELMO_OPTFILE_NPOS. */
size_t elmo_optfile_find_entry(const opt_section *sec, const char *key);

/* The section, created where optfile.h says when missing; NULL when out of memory. Pointers
 * into f->secs from before the call are invalid after it. */
opt_section *elmo_optfile_ensure_section(elmo_optfile *f, elmo_section kind,
                                                     const char *cf);

#endif /* ELMO_OPTFILE_INTERNAL_H */
