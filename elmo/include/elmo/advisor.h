/*
 * advisor.h — ELMo's built-in offline advisor: an honest rule-based RocksDB expert, not an LLM.
 *
 * Conventions: see elmo.h. Pure: the same facts give the same answer.
 *
 * It answers the same prompts as an LLM (llm.h provider "builtin"), reading the machine-readable
 * facts block every prompt carries (a fenced ```json block whose object has "elmo_facts": 1):
 * the workload mix, key/value sizes and dataset size, the CPU and memory limits, the I/O mode,
 * the best configuration so far with its telemetry (ops/s, p99, stalls, cache hit rate), and
 * every candidate tried with its measured gain. From RocksDB tuning knowledge it builds an
 * ordered list of moves for that workload (write path: memtables, background jobs, L0 triggers,
 * level sizing, compression; read path: filters, block cache vs page cache, block size, hash
 * index; scans: block size, readahead), skips moves already measured, and proposes the next one
 * on top of the best configuration, with its reasons. In fine-tuning it searches numeric options
 * locally (doubling and halving the ones just changed) and never repeats a measured value. It
 * learns only from measurements: a move that did not win is never proposed again.
 */
#ifndef ELMO_ADVISOR_H
#define ELMO_ADVISOR_H

#include <stddef.h>

#include "elmo/elmo.h"
#include "elmo/llm.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Answers a conversation (reasoning + one fenced ```ini block). ELMO_EPARSE when the messages
 * carry no facts block; the answer then says so. New string in *answer (elmo_free). */
ELMO_API elmo_rc elmo_advisor_answer(const elmo_message *msgs, size_t n, char **answer, elmo_error *err);

/* Registers the advisor as the llm "builtin" provider (idempotent). */
ELMO_API void elmo_advisor_register(void);

#ifdef __cplusplus
}
#endif

#endif /* ELMO_ADVISOR_H */
