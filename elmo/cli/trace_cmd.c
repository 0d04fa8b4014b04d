/* trace_cmd.c — `elmo trace analyze|compare`: a RocksDB query trace characterized and modeled as
 * a workload spec, or two traces compared for fidelity. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "elmo/advisor.h"
#include "elmo/model.h"

static const char kUsage[] =
    "usage: elmo trace analyze FILE [-o SPEC.json] [--json] [--window SEC] [--threads N]\n"
    "                          [--rate auto|unlimited|fixed] [--llm SPEC]\n"
    "       elmo trace compare A B [--json] [--window SEC]\n"
    "  analyze: the characterization and the fits behind the spec (text, or --json), the spec\n"
    "           written to -o; --llm asks an advisor to improve poor fits (replay:FILE, openai:M, "
    "...)\n"
    "  compare: the fidelity table; exit 0 when B matches A, 1 when it does not\n"
    "  --window: QPS window in seconds (default 10; 1 for short traces; long traces merge windows as needed)\n";

typedef struct trace_args {
  const char *files[2];
  size_t n_files;
  const char *out, *llm;
  int json;
  elmo_model_options opts;
} trace_args;

static int parse_uint(const char *flag, const char *v, long lo, long hi, long *out) {
  char *end;
  long x = strtol(v, &end, 10);
  if (*v == '\0' || *end != '\0' || x < lo || x > hi) {
    elmo_cli_error("trace", "%s %s: expected a whole number in %ld..%ld", flag, v, lo, hi);
    return -1;
  }
  *out = x;
  return 0;
}

static int parse_rate(const char *v, elmo_model_rate_policy *out) {
  static const char *const kNames[] = {"auto", "unlimited", "fixed"};
  for (int i = 0; i < 3; i++) {
    if (strcmp(v, kNames[i]) == 0) return *out = (elmo_model_rate_policy)i, 0;
  }
  elmo_cli_error("trace", "--rate %s: expected auto, unlimited or fixed", v);
  return -1;
}

static int parse_args(int argc, char **argv, trace_args *a) {
  static const struct option kOpts[] = {{"output", required_argument, 0, 'o'},
                                        {"json", no_argument, 0, 'j'},
                                        {"window", required_argument, 0, 'w'},
                                        {"threads", required_argument, 0, 't'},
                                        {"rate", required_argument, 0, 'r'},
                                        {"llm", required_argument, 0, 'l'},
                                        {0, 0, 0, 0}};
  int c;
  long v;
  optind = 0;
  while ((c = getopt_long(argc, argv, "o:", kOpts, NULL)) != -1) {
    switch (c) {
      case 'o': a->out = optarg; break;
      case 'j': a->json = 1; break;
      case 'l': a->llm = optarg; break;
      case 'w':
        if (parse_uint("--window", optarg, 1, 86400, &v) != 0) return -1;
        a->opts.window_sec = (uint32_t)v;
        break;
      case 't':
        if (parse_uint("--threads", optarg, 1, ELMO_SPEC_MAX_THREADS, &v) != 0) return -1;
        a->opts.threads = (int)v;
        break;
      case 'r':
        if (parse_rate(optarg, &a->opts.rate_policy) != 0) return -1;
        break;
      default: fputs(kUsage, stderr); return -1;
    }
  }
  for (; optind < argc; optind++) {
    if (a->n_files == 2)
      return elmo_cli_error("trace", "unexpected argument '%s'", argv[optind]), -1;
    a->files[a->n_files++] = argv[optind];
  }
  return 0;
}

static int characterize(const char *path, const elmo_model_options *o, elmo_trace_summary **sum) {
  elmo_trace_stats_config cfg;
  elmo_trace_stats_config_default(&cfg);
  cfg.window_sec = o->window_sec;
  elmo_error err;
  if (elmo_trace_characterize(path, NULL, &cfg, sum, &err) != ELMO_OK) {
    elmo_cli_error("trace", "%s: %s", path, err.message);
    return err.code == ELMO_ENOMEM ? ELMO_EXIT_FAILED : ELMO_EXIT_USAGE;
  }
  return ELMO_EXIT_OK;
}

static int refine(const trace_args *a, const elmo_trace_summary *sum, elmo_model_report *rep,
                  elmo_spec *spec) {
  elmo_llm_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.spec = a->llm;
  cfg.builtin = elmo_advisor_chat; /* "builtin": the tuning advisor, which declines modeling prompts */
  elmo_llm *llm = NULL;
  elmo_error err;
  elmo_rc rc = elmo_llm_create(&cfg, &llm, &err);
  if (rc == ELMO_OK) rc = elmo_model_refine(sum, llm, rep, spec, &err);
  elmo_llm_destroy(llm);
  if (rc != ELMO_OK) elmo_cli_error("trace", "--llm %s: %s", a->llm, err.message);
  return rc == ELMO_OK ? ELMO_EXIT_OK : ELMO_EXIT_FAILED;
}

static int print_owned(char *s, int json) {
  if (s == NULL) return elmo_cli_error("trace", "out of memory"), ELMO_EXIT_FAILED;
  fputs(s, stdout);
  if (json) fputc('\n', stdout);
  elmo_free(s);
  return ELMO_EXIT_OK;
}

static int model_and_report(const trace_args *a, const elmo_trace_summary *sum) {
  elmo_spec *spec = NULL;
  elmo_model_report *rep = NULL;
  elmo_error err;
  if (elmo_model_build(sum, &a->opts, &spec, &rep, &err) != ELMO_OK) {
    elmo_cli_error("trace", "%s: %s", a->files[0], err.message);
    return err.code == ELMO_EINVAL || err.code == ELMO_ERANGE ? ELMO_EXIT_USAGE : ELMO_EXIT_FAILED;
  }
  int status = a->llm ? refine(a, sum, rep, spec) : ELMO_EXIT_OK;
  if (status == ELMO_EXIT_OK) {
    status = print_owned(a->json ? elmo_model_report_to_json(rep) : elmo_model_report_to_text(rep),
                         a->json);
  }
  if (status == ELMO_EXIT_OK && a->out != NULL) {
    if (elmo_spec_save(spec, a->out, &err) != ELMO_OK) {
      elmo_cli_error("trace", "%s", err.message);
      status = ELMO_EXIT_FAILED;
    } else if (!a->json) {
      printf("spec written to %s\n", a->out);
    }
  }
  elmo_spec_destroy(spec);
  elmo_model_report_destroy(rep);
  return status;
}

static int analyze(const trace_args *a) {
  if (a->n_files != 1) {
    elmo_cli_error("trace", "analyze takes one trace file");
    fputs(kUsage, stderr);
    return ELMO_EXIT_USAGE;
  }
  elmo_trace_summary *sum = NULL;
  int status = characterize(a->files[0], &a->opts, &sum);
  if (status == ELMO_EXIT_OK) status = model_and_report(a, sum);
  elmo_trace_summary_destroy(sum);
  return status;
}

static int compare(const trace_args *a) {
  if (a->n_files != 2 || a->out != NULL || a->llm != NULL) {
    elmo_cli_error("trace", "compare takes two trace files (and only --json, --window)");
    fputs(kUsage, stderr);
    return ELMO_EXIT_USAGE;
  }
  elmo_trace_summary *sa = NULL, *sb = NULL;
  int status = characterize(a->files[0], &a->opts, &sa);
  if (status == ELMO_EXIT_OK) status = characterize(a->files[1], &a->opts, &sb);
  elmo_model_fidelity f;
  elmo_error err;
  if (status == ELMO_EXIT_OK && elmo_model_compare(sa, sb, &f, &err) != ELMO_OK) {
    elmo_cli_error("trace", "compare: %s", err.message);
    status = ELMO_EXIT_USAGE;
  }
  if (status == ELMO_EXIT_OK) {
    status = print_owned(
        a->json ? elmo_model_fidelity_to_json(&f) : elmo_model_fidelity_to_text(&f), a->json);
    if (status == ELMO_EXIT_OK && !f.pass) status = ELMO_EXIT_NOTHING;
  }
  elmo_trace_summary_destroy(sa);
  elmo_trace_summary_destroy(sb);
  return status;
}

int elmo_cmd_trace(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
    fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? ELMO_EXIT_USAGE : ELMO_EXIT_OK;
  }
  trace_args a;
  memset(&a, 0, sizeof a);
  elmo_model_options_init(&a.opts);
  const char *sub = argv[1];
  if (parse_args(argc - 1, argv + 1, &a) != 0) return ELMO_EXIT_USAGE;
  if (strcmp(sub, "analyze") == 0) return analyze(&a);
  if (strcmp(sub, "compare") == 0) return compare(&a);
  elmo_cli_error("trace", "unknown subcommand '%s' (analyze or compare)", sub);
  fputs(kUsage, stderr);
  return ELMO_EXIT_USAGE;
}
