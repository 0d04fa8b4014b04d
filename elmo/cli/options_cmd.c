/* options_cmd.c — `elmo options [--json] [NAME...]`: the options catalog. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "elmo/catalog.h"

static void print_range(const elmo_option_info *o) {
  if (o->flags & ELMO_OPT_RANGE) {
    printf("  range: [%.15g, %.15g]\n", o->min, o->max);
  }
  if (o->enum_values != NULL) {
    printf("  values:");
    for (size_t i = 0; i < o->n_enum_values; i++) printf(" %s", o->enum_values[i]);
    printf("\n");
  }
}

static void print_one(const elmo_option_info *o) {
  printf("%s  [%s]\n", o->name, elmo_section_name(o->section));
  printf("  type: %s (%s)  default: %s\n", elmo_opt_type_name(o->type), o->engine_type,
         o->default_value[0] ? o->default_value : "(none written)");
  printf("  runtime: %s  resource: %s%s%s%s\n",
         (o->flags & ELMO_OPT_MUTABLE) ? "mutable (SetOptions/SetDBOptions)" : "needs reopen",
         elmo_resource_name(o->resource), (o->flags & ELMO_OPT_LOCKED) ? "  LOCKED" : "",
         (o->flags & ELMO_OPT_DEPRECATED) ? "  deprecated" : "",
         (o->flags & ELMO_OPT_NO_DECREASE) ? "  never decreases" : "");
  print_range(o);
  if (o->note != NULL) printf("  note: %s\n", o->note);
}

static void print_table(const elmo_catalog *cat) {
  printf("%-52s %-10s %-7s %-8s %-9s %s\n", "option", "section", "type", "runtime", "resource",
         "default");
  for (size_t i = 0; i < elmo_catalog_count(cat); i++) {
    const elmo_option_info *o = elmo_catalog_at(cat, i);
    const char *sec = o->section == ELMO_SECTION_DB ? "DB" : o->section == ELMO_SECTION_CF ? "CF" : "Table";
    printf("%-52s %-10s %-7s %-8s %-9s %s%s\n", o->name, sec, elmo_opt_type_name(o->type),
           (o->flags & ELMO_OPT_MUTABLE) ? "mutable" : "reopen", elmo_resource_name(o->resource),
           o->default_value, (o->flags & ELMO_OPT_LOCKED) ? "  [locked]" : "");
  }
  printf("%zu options\n", elmo_catalog_count(cat));
}

int elmo_cmd_options(int argc, char **argv) {
  int json = 0;
  const elmo_catalog *cat = NULL;
  elmo_error err;
  if (elmo_catalog_builtin(&cat, &err) != ELMO_OK) {
    elmo_cli_error("options", "%s", err.message);
    return ELMO_EXIT_FAILED;
  }
  const elmo_option_info **picked = calloc((size_t)argc + 1, sizeof(*picked));
  size_t n = 0;
  int status = ELMO_EXIT_OK;
  for (int i = 1; picked != NULL && i < argc; i++) {
    if (strcmp(argv[i], "--json") == 0) { json = 1; continue; }
    if (argv[i][0] == '-') {
      elmo_cli_error("options", "unknown flag '%s' (usage: elmo options [--json] [NAME...])", argv[i]);
      status = ELMO_EXIT_USAGE;
      break;
    }
    const elmo_option_info *o = elmo_catalog_find(cat, -1, argv[i]);
    if (o == NULL) {
      const elmo_option_info *s = elmo_catalog_suggest(cat, argv[i]);
      elmo_cli_error("options", "unknown option '%s'%s%s%s", argv[i], s ? " (did you mean '" : "",
                     s ? s->name : "", s ? "'?)" : "");
      status = ELMO_EXIT_USAGE;
      break;
    }
    picked[n++] = o;
  }
  if (picked == NULL) status = ELMO_EXIT_FAILED;
  if (status == ELMO_EXIT_OK && json) {
    char *s = elmo_catalog_to_json(cat, n ? picked : NULL, n);
    if (s != NULL) printf("%s\n", s);
    elmo_free(s);
  } else if (status == ELMO_EXIT_OK) {
    if (n == 0) print_table(cat);
    for (size_t i = 0; i < n; i++) print_one(picked[i]);
  }
  free(picked);
  return status;
}
