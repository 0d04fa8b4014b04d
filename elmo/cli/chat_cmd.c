/* chat_cmd.c — `elmo chat --llm SPEC --prompt FILE`: one prompt, one answer; checks a provider
 * set-up before a long run. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "elmo/advisor.h"
#include "elmo/llm.h"

enum { kMaxPrompt = 4 << 20 };

static const char kUsage[] =
    "usage: elmo chat --llm SPEC --prompt FILE [--system FILE] [--url BASE_URL]\n"
    "                 [--transcript FILE] [--timeout SECONDS] [--attempts N]\n"
    "  SPEC: openai:MODEL | anthropic:MODEL | replay:FILE | manual:DIR | builtin\n"
    "  keys come from ELMO_API_KEY, OPENAI_API_KEY or ANTHROPIC_API_KEY\n";

typedef struct chat_args {
  const char *spec, *prompt, *system, *url, *transcript;
  long timeout_s;
  int attempts;
} chat_args;

static int parse_args(int argc, char **argv, chat_args *a) {
  static const struct option kOpts[] = {
      {"llm", required_argument, 0, 'l'},     {"prompt", required_argument, 0, 'p'},
      {"system", required_argument, 0, 's'},  {"url", required_argument, 0, 'u'},
      {"transcript", required_argument, 0, 't'}, {"timeout", required_argument, 0, 'T'},
      {"attempts", required_argument, 0, 'a'}, {0, 0, 0, 0}};
  int c;
  char *end;
  optind = 0;
  while ((c = getopt_long(argc, argv, "", kOpts, NULL)) != -1) {
    switch (c) {
      case 'l': a->spec = optarg; break;
      case 'p': a->prompt = optarg; break;
      case 's': a->system = optarg; break;
      case 'u': a->url = optarg; break;
      case 't': a->transcript = optarg; break;
      case 'T':
        a->timeout_s = strtol(optarg, &end, 10);
        if (*end != '\0' || a->timeout_s <= 0) return elmo_cli_error("chat", "--timeout %s: not a positive number of seconds", optarg), -1;
        break;
      case 'a':
        a->attempts = (int)strtol(optarg, &end, 10);
        if (*end != '\0' || a->attempts <= 0 || a->attempts > 20) return elmo_cli_error("chat", "--attempts %s: expected 1..20", optarg), -1;
        break;
      default: fputs(kUsage, stderr); return -1;
    }
  }
  if (optind < argc) return elmo_cli_error("chat", "unexpected argument '%s'", argv[optind]), -1;
  if (a->spec == NULL || a->prompt == NULL) {
    elmo_cli_error("chat", "--llm and --prompt are required");
    fputs(kUsage, stderr);
    return -1;
  }
  return 0;
}

static int ask(const chat_args *a, elmo_llm *llm, const char *prompt, const char *system) {
  elmo_message msgs[2];
  size_t n = 0;
  if (system != NULL) msgs[n++] = (elmo_message){ELMO_ROLE_SYSTEM, system};
  msgs[n++] = (elmo_message){ELMO_ROLE_USER, prompt};
  elmo_llm_reply reply;
  elmo_error err;
  elmo_rc rc = elmo_llm_complete(llm, msgs, n, &reply, &err);
  if (rc != ELMO_OK) {
    elmo_cli_error("chat", "%s: %s (%s; %d attempt%s, %.1f s)", elmo_llm_describe(llm), err.message,
                   elmo_strerror(rc), reply.attempts, reply.attempts == 1 ? "" : "s", reply.seconds);
    return ELMO_EXIT_NOTHING;
  }
  fputs(reply.text, stdout);
  if (reply.text[0] && reply.text[strlen(reply.text) - 1] != '\n') fputc('\n', stdout);
  fprintf(stderr, "elmo chat: %s answered (model %s) in %.1f s, %d attempt%s, tokens %llu in / %llu out\n",
          elmo_llm_describe(llm), reply.model, reply.seconds, reply.attempts, reply.attempts == 1 ? "" : "s",
          (unsigned long long)reply.usage.prompt_tokens, (unsigned long long)reply.usage.completion_tokens);
  (void)a;
  elmo_llm_reply_clear(&reply);
  return ELMO_EXIT_OK;
}

int elmo_cmd_chat(int argc, char **argv) {
  chat_args a;
  memset(&a, 0, sizeof a);
  if (parse_args(argc, argv, &a) != 0) return ELMO_EXIT_USAGE;
  char *prompt = elmo_cli_read_file(a.prompt, kMaxPrompt, NULL);
  char *system = a.system ? elmo_cli_read_file(a.system, kMaxPrompt, NULL) : NULL;
  int status = ELMO_EXIT_USAGE;
  if (prompt != NULL && (a.system == NULL || system != NULL)) {
    elmo_llm_config cfg = {.spec = a.spec, .base_url = a.url, .transcript_path = a.transcript,
                           .total_timeout_ms = a.timeout_s * 1000, .max_attempts = a.attempts,
                           .builtin = elmo_advisor_chat}; /* builtin: answers a prompt with facts */
    elmo_llm *llm = NULL;
    elmo_error err;
    elmo_rc rc = elmo_llm_create(&cfg, &llm, &err);
    if (rc != ELMO_OK) {
      elmo_cli_error("chat", "%s", err.message);
      status = rc == ELMO_EINVAL || rc == ELMO_EAUTH ? ELMO_EXIT_USAGE : ELMO_EXIT_FAILED;
    } else {
      status = ask(&a, llm, prompt, system);
    }
    elmo_llm_destroy(llm);
  }
  free(prompt);
  free(system);
  return status;
}
