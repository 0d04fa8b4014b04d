/* realtime_advice.c — what the tuner learned from its changes (the outcomes' history), and advice
 * as proposal pairs. The rules themselves are the advisor's (advisor/advisor_live.c), reached
 * through realtime_facts.c. See realtime.h. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "realtime_internal.h"


/* ---- outcomes ------------------------------------------------------------------------------ */

const rt_outcome *elmo_rt_history_at(const elmo_rt *rt, size_t i) {
  if (i >= rt->hist_count) return NULL;
  size_t oldest = (rt->hist_head + ELMO_RT_HISTORY_MAX - rt->hist_count) % ELMO_RT_HISTORY_MAX;
  return &rt->history[(oldest + i) % ELMO_RT_HISTORY_MAX];
}

void elmo_rt_history_add(elmo_rt *rt, const rt_outcome *o) {
  rt->history[rt->hist_head] = *o;
  rt->hist_head = (rt->hist_head + 1) % ELMO_RT_HISTORY_MAX;
  if (rt->hist_count < ELMO_RT_HISTORY_MAX) rt->hist_count++;
}

const rt_outcome *elmo_rt_history_blocks(const elmo_rt *rt, const char *option, const char *from,
                                         const char *to, double read, double write, double scan) {
  int dir = elmo_plain_number_direction(from, to);
  for (size_t i = rt->hist_count; i-- > 0;) {
    const rt_outcome *o = elmo_rt_history_at(rt, i);
    if (strcmp(o->option, option) != 0) continue;
    /* RocksDB refusing a value does not depend on the workload: never the same value again. */
    if (o->kind == RT_OUT_FAILED && strcmp(o->to, to) == 0) return o;
    if (o->kind != RT_OUT_ROLLED_BACK) continue;
    if (elmo_rt_mix_distance(o->read, o->write, o->scan, read, write, scan) > rt->cfg.shift_mix) continue;
    if (dir != 0 ? dir == o->direction : strcmp(o->to, to) == 0) return o;
  }
  return NULL;
}

size_t elmo_rt_advice_pairs(const elmo_rt_advice *a, elmo_rt_pair *out, size_t cap) {
  size_t n = 0;
  for (; a != NULL && out != NULL && n < a->n && n < cap; n++) {
    out[n].name = a->names[n];
    out[n].value = a->values[n];
  }
  return n;
}
