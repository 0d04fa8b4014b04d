/*
 * advise.h — the one advice path of both tuners: facts and a prompt in, a calibrated change set
 * out.
 *
 * Conventions: see elmo.h.
 *
 *   facts (facts.h) ──┬─ built-in rules (advisor.h) ─────────────┐
 *   prompt (prompt.h) ┴─ language model (llm.h), facts appended ─┴─ answer ─ calibrator
 *                                                                  (calibrate.h) ─ change set
 *
 * The offline loop (offline/tuner.c) calls it once per prompt of a round, on the best
 * configuration so far; the realtime tuner (elmo_rt_advise in realtime.h) with a policy in
 * mutable-only mode and the host's memory budget, on the live configuration. The built-in
 * advisor reads the facts as they are; a language model reads the prompt with the facts' JSON
 * block at the end of its last message. Either way the exchange goes to the llm's transcript,
 * and the answer meets the same calibrator: names resolved, units read ("64MB"), ranges,
 * locks, mutability, the memory budget, RocksDB's own parser.
 */
#ifndef ELMO_ADVISE_H
#define ELMO_ADVISE_H

#include <stddef.h>

#include "elmo/calibrate.h"
#include "elmo/catalog.h"
#include "elmo/elmo.h"
#include "elmo/facts.h"
#include "elmo/llm.h"
#include "elmo/optfile.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct elmo_advice_request {
  const elmo_facts *facts;            /* required */
  const elmo_message *messages;       /* the prompt a language model reads (prompt.h); may be
                                       * NULL for the built-in advisor */
  size_t n_messages;                  /* at most ELMO_ADVISE_MAX_MESSAGES */
  const elmo_catalog *catalog;        /* required */
  const elmo_optfile *base;           /* the configuration the answer changes; required */
  const elmo_calibrate_policy *policy; /* required */
} elmo_advice_request;

#define ELMO_ADVISE_MAX_MESSAGES 8

typedef struct elmo_advice {
  char *answer;                  /* the advisor's text; NULL when it gave none */
  elmo_calibration *calibration; /* the verdicts; NULL when the answer had no options */
} elmo_advice;

/*
 * Asks llm (NULL or provider "builtin": the built-in rules) and calibrates its answer on base.
 * OUT *out: cleared first; answer and calibration as far as they got.
 * Returns ELMO_OK; ELMO_EPARSE when the answer has no options (out->answer kept, the message
 * says what it had); the llm's errors (ELMO_ENET, ELMO_ETIMEOUT, ELMO_ECANCELED, ...); ELMO_EINVAL
 * for a missing argument; ELMO_ENOMEM.
 */
ELMO_API elmo_rc elmo_advise(const elmo_advice_request *req, elmo_llm *llm, elmo_advice *out, elmo_error *err);

/* Frees what out holds and clears it. */
ELMO_API void elmo_advice_clear(elmo_advice *out);

#ifdef __cplusplus
}
#endif

#endif /* ELMO_ADVISE_H */
