/* facts.h — the machine-readable facts block that prompts carry and the built-in advisor reads
 * (advisor.c finds it again with find_facts). Shared by the offline tuner and the realtime core. */
#ifndef ELMO_FACTS_H
#define ELMO_FACTS_H

#include <cjson/cJSON.h>

/* "\n\nFacts (machine-readable):\n```json\n{...}\n```\n" for facts, which it always deletes.
 * Returns a new string (free), or NULL when facts is NULL or memory runs out. */
char *elmo_facts_block(cJSON *facts);

#endif /* ELMO_FACTS_H */
