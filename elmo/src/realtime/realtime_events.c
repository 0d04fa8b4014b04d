/* realtime_events.c — events of the DB (flushes, compactions, write stalls, background errors
 * and recovery) as the tuner's core sees them. See realtime.h. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "realtime_internal.h"

static const char *const kConditions[] = {"normal", "delayed", "stopped"};

int elmo_rt_db_event_step(elmo_rt *rt, const elmo_rt_db_event *e, elmo_rt_decision *d) {
  if (d != NULL) memset(d, 0, sizeof *d);
  if (rt == NULL || e == NULL || d == NULL) return -1;
  elmo_rt_begin(rt, d, ELMO_RT_EV_DB);
  if (e->time_sec > 0) d->time_sec = e->time_sec;
  const char *cf = e->cf[0] != '\0' ? e->cf : "default";
  switch (e->kind) {
    case ELMO_RT_DB_FLUSH:
    case ELMO_RT_DB_COMPACTION:
      if (e->kind == ELMO_RT_DB_FLUSH) rt->ev_flushes++;
      else rt->ev_compactions++;
      d->event = ELMO_RT_EV_SKIPPED; /* counted, not journaled */
      return 0;
    case ELMO_RT_DB_STALL: {
      int was = rt->stall_condition, now = e->stall_condition < 0 ? 0 : e->stall_condition > 2 ? 2 : e->stall_condition;
      rt->stall_condition = now;
      if (was == now) { /* RocksDB reports each column family's change; nothing changed here */
        d->event = ELMO_RT_EV_SKIPPED;
        return 0;
      }
      snprintf(d->reason, sizeof d->reason, "write stall condition of column family %s: %s -> %s", cf,
               kConditions[was], kConditions[now]);
      /* A stall that begins is looked at now, except inside a switchback block (which shows it),
       * or while nothing may change. */
      int look = was == 0 && now > 0 && !rt->bg_error && rt->state != ELMO_RT_VERIFY;
      if (look) elmo_rt_appendf(d->reason, sizeof d->reason, "; ", "looking now instead of at the interval's end");
      return look;
    }
    case ELMO_RT_DB_BG_ERROR:
      rt->bg_error = 1;
      snprintf(d->reason, sizeof d->reason, "background error: %.300s; no changes until the DB recovers", e->message);
      return 0;
    case ELMO_RT_DB_RECOVERED:
      if (!rt->bg_error) {
        d->event = ELMO_RT_EV_SKIPPED;
        return 0;
      }
      rt->bg_error = 0;
      snprintf(d->reason, sizeof d->reason, "the DB recovered from its background error%s%.300s",
               e->message[0] != '\0' ? ": " : "", e->message);
      if (rt->state == ELMO_RT_VERIFY && rt->n_pending == 0) {
        elmo_rt_appendf(d->reason, sizeof d->reason, "; ", "the switchback of change #%d straddled it",
                        rt->change_id);
        elmo_rt_switchback_undo(rt, d, RT_OUT_UNDONE);
        d->event = ELMO_RT_EV_DB;
      }
      d->to = rt->state;
      return 0;
  }
  d->event = ELMO_RT_EV_SKIPPED;
  return 0;
}

int elmo_rt_background_error(const elmo_rt *rt) { return rt != NULL && rt->bg_error; }
