/* model_cycle.c — trace → model → spec files, the first half of elmotune's full cycle. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>

#include "elmo/llm.h"
#include "elmo/model.h"
#include "elmo/spec.h"
#include "elmo/trace.h"
#include "base/fileio.h"

/* Writes text (owned, freed here) to out_dir/name atomically. */
static elmo_rc save_text(const char *out_dir, const char *name, char *text, elmo_error *err) {
  if (text == NULL) return elmo_error_set(err, ELMO_ENOMEM, "out of memory writing %s", name);
  char path[4096];
  elmo_rc rc = (size_t)snprintf(path, sizeof path, "%s/%s", out_dir, name) < sizeof path
                   ? elmo_file_save_atomic(path, text, err)
                   : elmo_error_set(err, ELMO_EINVAL, "output path too long: %s/%s", out_dir, name);
  free(text);
  return rc;
}

/* Refines poor fits through llm_spec when it is a language model; failures stay in the report. */
static void refine(const elmo_trace_summary *sum, const char *llm_spec, const char *llm_url,
                   elmo_model_report *report, elmo_spec *spec) {
  if (llm_spec == NULL || strcmp(llm_spec, "builtin") == 0) return;
  elmo_llm_config lc = {.spec = llm_spec, .base_url = llm_url};
  elmo_llm *llm = NULL;
  if (elmo_llm_create(&lc, &llm, NULL) != ELMO_OK) return;
  if (elmo_llm_is_language_model(llm)) elmo_model_refine(sum, llm, report, spec, NULL);
  elmo_llm_destroy(llm);
}

elmo_rc elmo_model_trace_to_spec(const char *trace_path, const elmo_model_options *opts,
                                 const char *llm_spec, const char *llm_url, const char *out_dir,
                                 char **spec_path, elmo_error *err) {
  if (spec_path != NULL) *spec_path = NULL;
  if (trace_path == NULL || out_dir == NULL || spec_path == NULL) {
    return elmo_error_set(err, ELMO_EINVAL, "model_trace_to_spec: NULL argument");
  }
  elmo_rc made = elmo_mkdirs(out_dir, err);
  if (made != ELMO_OK) return made;
  elmo_model_options o;
  if (opts != NULL) o = *opts; else elmo_model_options_init(&o);
  elmo_trace_stats_config cfg;
  elmo_trace_stats_config_default(&cfg);
  if (o.window_sec > 0) cfg.window_sec = o.window_sec;
  elmo_trace_summary *sum = NULL;
  elmo_spec *spec = NULL;
  elmo_model_report *report = NULL;
  elmo_rc rc = elmo_trace_characterize(trace_path, NULL, &cfg, &sum, err);
  if (rc == ELMO_OK) rc = elmo_model_build(sum, &o, &spec, &report, err);
  if (rc == ELMO_OK) {
    refine(sum, llm_spec, llm_url, report, spec);
    rc = save_text(out_dir, "model.md", elmo_model_report_to_text(report), err);
  }
  if (rc == ELMO_OK) rc = save_text(out_dir, "model.json", elmo_model_report_to_json(report), err);
  if (rc == ELMO_OK) rc = save_text(out_dir, "workload.json", elmo_spec_to_json(spec), err);
  if (rc == ELMO_OK) {
    size_t n = strlen(out_dir) + sizeof "/workload.json";
    *spec_path = malloc(n);
    if (*spec_path == NULL) rc = elmo_error_set(err, ELMO_ENOMEM, "out of memory");
    else snprintf(*spec_path, n, "%s/workload.json", out_dir);
  }
  elmo_model_report_destroy(report);
  elmo_spec_destroy(spec);
  elmo_trace_summary_destroy(sum);
  return rc;
}
