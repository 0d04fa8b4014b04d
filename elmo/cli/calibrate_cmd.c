/* calibrate_cmd.c — `elmo calibrate`: an advisor's answer to a safe OPTIONS file. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "elmo/calibrate.h"
#include "elmo/engine.h"
#include "elmo/value.h"

enum { kMaxAnswer = 16 << 20, kMaxLocks = 256 };

typedef struct calibrate_args {
  const char *base, *answer, *out, *cf;
  uint64_t memory;
  char *locks[kMaxLocks];
  size_t n_locks;
  int json, mutable_only, probe;
} calibrate_args;

static const char kUsage[] =
    "usage: elmo calibrate --answer ANSWER.txt [--base BASE.ini] [--memory SIZE] [--lock k1,k2]\n"
    "                      [--cf NAME] [--mutable-only] [--probe] [-o OUT.ini] [--json]\n";

static elmo_rc check_value(void *ctx, elmo_section s, const char *name, const char *value,
                           elmo_error *err) {
  (void)ctx;
  return elmo_engine_check_value(s, name, value, err);
}

static elmo_rc check_text(void *ctx, const char *text, elmo_error *err) {
  const calibrate_args *a = ctx;
  char dir[] = "/tmp/elmo-probe-XXXXXX";
  if (!a->probe) return elmo_engine_check_options_text(text, NULL, err);
  if (mkdtemp(dir) == NULL) return elmo_error_set(err, ELMO_EIO, "cannot create a probe directory");
  elmo_rc rc = elmo_engine_check_options_text(text, dir, err);
  remove(dir);
  return rc;
}

static int add_locks(calibrate_args *a, const char *list) {
  char *copy = strdup(list), *save = NULL;
  if (copy == NULL) return -1;
  for (char *t = strtok_r(copy, ", ", &save); t != NULL; t = strtok_r(NULL, ", ", &save)) {
    if (a->n_locks == kMaxLocks || (a->locks[a->n_locks] = strdup(t)) == NULL) {
      free(copy);
      return -1;
    }
    a->n_locks++;
  }
  free(copy);
  return 0;
}

static int parse_args(int argc, char **argv, calibrate_args *a) {
  static const struct option kOpts[] = {
      {"base", required_argument, 0, 'b'},   {"answer", required_argument, 0, 'a'},
      {"memory", required_argument, 0, 'm'}, {"lock", required_argument, 0, 'l'},
      {"output", required_argument, 0, 'o'}, {"json", no_argument, 0, 'j'},
      {"cf", required_argument, 0, 'c'},     {"mutable-only", no_argument, 0, 'M'},
      {"probe", no_argument, 0, 'p'},        {0, 0, 0, 0}};
  int c;
  elmo_error err;
  optind = 0;
  while ((c = getopt_long(argc, argv, "o:", kOpts, NULL)) != -1) {
    switch (c) {
      case 'b': a->base = optarg; break;
      case 'a': a->answer = optarg; break;
      case 'o': a->out = optarg; break;
      case 'c': a->cf = optarg; break;
      case 'j': a->json = 1; break;
      case 'M': a->mutable_only = 1; break;
      case 'p': a->probe = 1; break;
      case 'l':
        if (add_locks(a, optarg) != 0) return elmo_cli_error("calibrate", "too many --lock names"), -1;
        break;
      case 'm':
        if (elmo_value_parse_uint(optarg, &a->memory, &err) != ELMO_OK || a->memory == 0) {
          elmo_cli_error("calibrate", "--memory %s: not a size (e.g. 1GiB, 512MB)", optarg);
          return -1;
        }
        break;
      default: fputs(kUsage, stderr); return -1;
    }
  }
  if (optind < argc) {
    elmo_cli_error("calibrate", "unexpected argument '%s'", argv[optind]);
    return -1;
  }
  if (a->answer == NULL) {
    elmo_cli_error("calibrate", "--answer is required");
    fputs(kUsage, stderr);
    return -1;
  }
  return 0;
}

static int write_output(const calibrate_args *a, const elmo_calibration *res) {
  elmo_error err;
  if (a->out == NULL) return ELMO_EXIT_OK;
  if (elmo_optfile_save(res->merged, a->out, &err) != ELMO_OK) {
    elmo_cli_error("calibrate", "%s", err.message);
    return ELMO_EXIT_USAGE;
  }
  return ELMO_EXIT_OK;
}

static int report(const calibrate_args *a, const elmo_calibration *res) {
  char *s = a->json ? elmo_calibration_to_json(res) : elmo_calibration_describe(res);
  if (s == NULL) return ELMO_EXIT_FAILED;
  fputs(s, stdout);
  if (a->json) fputc('\n', stdout);
  elmo_free(s);
  if (!a->json) {
    printf("%zu accepted, %zu rejected, %zu unchanged%s%s\n", res->n_accepted, res->n_rejected,
           res->n_unchanged, a->out ? "; written to " : "", a->out ? a->out : "");
  }
  return ELMO_EXIT_OK;
}

static int run(calibrate_args *a, const elmo_catalog *cat, elmo_optfile *base) {
  size_t len = 0;
  char *answer = elmo_cli_read_file(a->answer, kMaxAnswer, &len);
  if (answer == NULL) return ELMO_EXIT_USAGE;
  elmo_calibrate_policy policy = {
      .locks = (const char *const *)a->locks, .n_locks = a->n_locks, .memory_budget = a->memory,
      .cf = a->cf, .mutable_only = a->mutable_only, .check_value = check_value,
      .check_text = check_text, .check_ctx = a};
  elmo_calibration *res = NULL;
  elmo_error err;
  elmo_rc rc = elmo_calibrate_answer(cat, base, answer, len, &policy, &res, &err);
  free(answer);
  if (rc == ELMO_EPARSE) {
    elmo_cli_error("calibrate", "nothing usable in %s: %s", a->answer, err.message);
    return ELMO_EXIT_NOTHING;
  }
  if (rc != ELMO_OK) {
    elmo_cli_error("calibrate", "%s", err.message);
    return ELMO_EXIT_FAILED;
  }
  int status = report(a, res);
  if (status == ELMO_EXIT_OK) status = write_output(a, res);
  if (status == ELMO_EXIT_OK && (res->n_accepted == 0 || res->over_budget)) {
    elmo_cli_error("calibrate", "%s", res->over_budget ? "the configuration is over the memory budget"
                                                       : "no change was accepted");
    status = ELMO_EXIT_NOTHING;
  }
  elmo_calibration_destroy(res);
  return status;
}

int elmo_cmd_calibrate(int argc, char **argv) {
  calibrate_args a;
  memset(&a, 0, sizeof a);
  int status = ELMO_EXIT_USAGE;
  const elmo_catalog *cat = NULL;
  elmo_optfile *base = NULL;
  elmo_error err;
  if (parse_args(argc, argv, &a) != 0) {
    status = ELMO_EXIT_USAGE;
  } else if (elmo_catalog_builtin(&cat, &err) != ELMO_OK) {
    elmo_cli_error("calibrate", "%s", err.message);
    status = ELMO_EXIT_FAILED;
  } else if (a.base != NULL && elmo_optfile_load(a.base, &base, &err) != ELMO_OK) {
    elmo_cli_error("calibrate", "--base: %s", err.message);
  } else if (a.base == NULL && (base = elmo_optfile_create()) == NULL) {
    status = ELMO_EXIT_FAILED;
  } else {
    status = run(&a, cat, base);
  }
  elmo_optfile_destroy(base);
  for (size_t i = 0; i < a.n_locks; i++) free(a.locks[i]);
  return status;
}
