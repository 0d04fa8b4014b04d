/*
 * advisor.h — ELMo's built-in advisor: an honest rule-based RocksDB expert, not an LLM; the one
 * rulebook of both tuners (module elmo/src/advisor/: facts.c and facts_parse.c, the facts' writer
 * and reader; advisor_facts.c, the facts as the rules read them; advisor.c, the answer; advisor_rules.c, offline moves; advisor_live.c, realtime
 * moves; advise.c, the advice path of advise.h).
 *
 * Conventions: see elmo.h. Pure: the same facts give the same answer.
 *
 * It answers from the facts both tuners give every advisor (facts.h; elmo_advise in advise.h
 * passes them typed, a language model reads them as JSON at the end of its prompt):
 * the workload mix, key/value sizes and dataset size, the CPU and memory limits, the I/O mode,
 * the best configuration so far with its telemetry (ops/s, p99, stalls, cache hit rate), and
 * every candidate tried with its measured gain. From RocksDB tuning knowledge it builds an
 * ordered list of moves for that workload (write path: memtables, background jobs, L0 triggers,
 * level sizing, compression; read path: filters, block cache vs page cache, block size, hash
 * index; scans: block size, readahead), skips moves already measured, and proposes the next one
 * on top of the best configuration, with its reasons. In fine-tuning it searches numeric options
 * locally (doubling and halving the ones just changed) and never repeats a measured value. It
 * learns only from measurements: a move that did not win is never proposed again.
 *
 * For a live DB (phase "realtime") it reads the live signals instead: writes stalling (more
 * background jobs while CPUs are free, then higher L0 triggers, then higher pending-bytes
 * limits), a write share that rose (memtable size, smaller first for one writer), a read share
 * that rose (memtable Bloom filter). Both rulebooks
 * share their limits (e.g. at most max(4, 2 x CPUs) background jobs).
 */
#ifndef ELMO_ADVISOR_H
#define ELMO_ADVISOR_H

#include <stddef.h>

#include "elmo/elmo.h"
#include "elmo/facts.h"
#include "elmo/llm.h"
#include "elmo/optfile.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The move the rules choose, before it is written as an answer. */
#define ELMO_ADVISOR_MAX_OPTIONS 16
typedef struct elmo_advisor_choice {
  size_t n;                                   /* 0: nothing left to propose (reason says why) */
  elmo_section sections[ELMO_ADVISOR_MAX_OPTIONS];
  char names[ELMO_ADVISOR_MAX_OPTIONS][64];
  char values[ELMO_ADVISOR_MAX_OPTIONS][64];
  char reason[1024];
} elmo_advisor_choice;

/* The rules' move for facts: the offline rulebook for phases "tune" and "finetune", the live
 * rules for "realtime" (only options the facts list with a live value, never a blocked move).
 * Returns ELMO_OK (also when n is 0) or ELMO_EINVAL. */
ELMO_API elmo_rc elmo_advisor_choose(const elmo_facts *facts, elmo_advisor_choice *out, elmo_error *err);

/* The rules' answer for facts, as a language model would write it: reasoning, then one fenced
 * ```ini block with the options in their sections (no block when there is nothing to propose).
 * New string in *answer (elmo_free). */
ELMO_API elmo_rc elmo_advisor_answer(const elmo_facts *facts, char **answer, elmo_error *err);

/* Answers a conversation that carries a facts block (elmo_facts_find), for the llm provider
 * "builtin" outside the tuners (elmo chat, elmo trace --llm builtin): give it as
 * elmo_llm_config.builtin. ELMO_EPARSE when no message carries facts; the answer then says so. */
ELMO_API elmo_rc elmo_advisor_chat(const elmo_message *msgs, size_t n, char **answer, elmo_error *err);

#ifdef __cplusplus
}
#endif

#endif /* ELMO_ADVISOR_H */
