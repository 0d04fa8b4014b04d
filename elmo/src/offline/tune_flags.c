/* tune_flags.c — elmotune's command line as the settings it makes: each flag under either name of
 * its setting, both names with different values refused, and the workload's values checked
 * against what the workload takes (workload.h); and the workload a config describes. See
 * tuner.h. */
#include <string.h>

#include "elmo/tuner.h"
#include "elmo/workload.h"

/* The settings that are workload values, and which they are. */
static const struct {
  const char *key;
  elmo_workload_param param;
} kWorkloadKeys[] = {
    {"elmo_num", ELMO_WORKLOAD_NUM},           {"elmo_key_size", ELMO_WORKLOAD_KEY_SIZE},
    {"elmo_value_size", ELMO_WORKLOAD_VALUE_SIZE}, {"elmo_threads", ELMO_WORKLOAD_THREADS},
    {"elmo_read_percent", ELMO_WORKLOAD_READ_PERCENT},
};
enum { kNumWorkloadKeys = sizeof kWorkloadKeys / sizeof kWorkloadKeys[0] };

/* The workload value row k sets, or -1. */
static int workload_param(const elmo_tune_setting_info *k) {
  for (int i = 0; k != NULL && i < kNumWorkloadKeys; i++) {
    if (strcmp(kWorkloadKeys[i].key, k->key) == 0) return (int)kWorkloadKeys[i].param;
  }
  return -1;
}

/* Whether flag f sets anything: given, or an --elmo_ flag whose db_bench default is not the
 * table's (never a workload value's: its default is "not set"). */
static int applies(const elmo_tune_flag *f, const elmo_tune_setting_info *k) {
  if (f->given) return 1;
  if (k == NULL || strcmp(f->name, k->key) != 0 || workload_param(k) >= 0) return 0;
  return strcmp(f->text, k->default_value) != 0;
}

/* Sets flag i, or, when an earlier flag *first set its setting under the other name, checks that
 * it says the same. */
static elmo_rc set_one(elmo_tune_config *cfg, const elmo_tune_flag *f, const elmo_tune_flag *first,
                       elmo_error *err) {
  if (first == NULL) return elmo_tune_config_set(cfg, f->name, f->text, err);
  elmo_tune_config again;
  memcpy(&again, cfg, sizeof again); /* padding too: the two are compared bytewise */
  elmo_rc rc = elmo_tune_config_set(&again, f->name, f->text, err);
  if (rc != ELMO_OK) return rc;
  if (memcmp(&again, cfg, sizeof again) != 0) {
    return elmo_error_set(err, ELMO_EINVAL, "%s=%s and --%s=%s set the same setting differently: give one",
                          first->name, first->text, f->name, f->text);
  }
  return ELMO_OK;
}

/* The read percent of --elmo_workload=readrandomwriterandom:PCT against --readwritepercent. */
static elmo_rc check_read_percent(const elmo_tune_config *cfg, const elmo_tune_flag *given, elmo_error *err) {
  int in_name = elmo_workload_name_read_percent(cfg->workload);
  if (given == NULL || in_name < 0 || in_name == cfg->read_percent) return ELMO_OK;
  return elmo_error_set(err, ELMO_EINVAL, "%s=%s and --elmo_workload=%s set the read percent differently: give one",
                        given->name, given->text, cfg->workload);
}

elmo_rc elmo_tune_config_set_flags(elmo_tune_config *cfg, const elmo_tune_flag *flags, size_t n,
                                   int from_trace, elmo_error *err) {
  if (cfg == NULL || (flags == NULL && n > 0)) {
    return elmo_error_set(err, ELMO_EINVAL, "elmo_tune_config_set_flags: NULL argument");
  }
  /* The flag that set each workload value, for the checks below. */
  const elmo_tune_flag *by_param[ELMO_WORKLOAD_PARAM_COUNT] = {NULL};
  for (size_t i = 0; i < n; i++) {
    const elmo_tune_flag *f = &flags[i];
    if (f->name == NULL || f->text == NULL) {
      return elmo_error_set(err, ELMO_EINVAL, "elmo_tune_config_set_flags: flag %zu has no name or text", i);
    }
    const elmo_tune_setting_info *k = elmo_tune_config_find(f->name);
    if (!applies(f, k)) continue;
    const elmo_tune_flag *first = NULL;
    for (size_t j = 0; j < i && k != NULL; j++) {
      if (applies(&flags[j], k) && elmo_tune_config_find(flags[j].name) == k) first = &flags[j];
    }
    elmo_rc rc = set_one(cfg, f, first, err);
    if (rc != ELMO_OK) return rc;
    int p = workload_param(k);
    if (p >= 0 && by_param[p] == NULL) by_param[p] = f;
  }
  if (!from_trace && cfg->workload == NULL) return ELMO_OK; /* no workload yet: elmo_tune_run refuses it */
  elmo_error name_err;
  if (!from_trace && elmo_workload_check_name(cfg->workload, &name_err) != ELMO_OK) {
    return elmo_error_set(err, name_err.code, "elmo_workload=%s", name_err.message);
  }
  elmo_rc rc = check_read_percent(cfg, by_param[ELMO_WORKLOAD_READ_PERCENT], err);
  for (int p = 0; rc == ELMO_OK && p < ELMO_WORKLOAD_PARAM_COUNT; p++) {
    char why[320];
    const elmo_tune_flag *f = by_param[p];
    if (f != NULL && elmo_workload_param_refused(from_trace ? NULL : cfg->workload, (elmo_workload_param)p, why,
                                                 sizeof why)) {
      rc = elmo_error_set(err, ELMO_EINVAL, "%s=%s: %s", f->name, f->text, why);
    }
  }
  return rc;
}

elmo_rc elmo_tune_config_workload(const elmo_tune_config *cfg, elmo_workload *out, elmo_error *err) {
  if (cfg == NULL || out == NULL || cfg->workload == NULL) {
    if (out != NULL) memset(out, 0, sizeof *out);
    return elmo_error_set(err, ELMO_EINVAL, "elmo_tune_config_workload: NULL config, output or workload");
  }
  elmo_tune_config c = *cfg;
  elmo_tune_config_fill(&c);
  elmo_workload_params p;
  elmo_workload_params_init(&p);
  p.num_keys = c.num_keys;
  p.key_size = c.key_size;
  p.value_size = c.value_size;
  p.threads = c.threads;
  p.read_percent = c.read_percent;
  p.seconds = c.warmup_seconds + c.trial_seconds;
  return elmo_workload_open(c.workload, &p, out, err);
}
