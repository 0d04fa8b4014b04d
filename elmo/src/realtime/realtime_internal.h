/* realtime_internal.h — the realtime tuner's state, shared by realtime*.c. See realtime.h. */
#ifndef ELMO_REALTIME_INTERNAL_H
#define ELMO_REALTIME_INTERNAL_H

#include <stddef.h>

#include "base/plain_number.h"
#include "elmo/realtime.h"

/* One row of the option table, owned. */
typedef struct rt_opt {
  char *name;
  elmo_section section;
  int is_mutable;
  char *value; /* NULL: unknown */
  int has_range;
  double min, max;
} rt_opt;

typedef enum rt_outcome_kind {
  RT_OUT_KEPT = 0,
  RT_OUT_ROLLED_BACK = 1, /* measured worse */
  RT_OUT_FAILED = 2,      /* SetOptions refused it */
  RT_OUT_UNDONE = 3       /* undone without a measured verdict (the workload moved while watching, or
                           * part of the change was refused): not learned */
} rt_outcome_kind;

/* What became of one option of one change, under which mix. */
typedef struct rt_outcome {
  int change_id;
  char option[ELMO_RT_NAME_MAX];
  char from[ELMO_RT_VALUE_MAX], to[ELMO_RT_VALUE_MAX];
  int direction;             /* +1 raised, -1 lowered, 0 not numeric */
  double read, write, scan;  /* the mix when it was applied */
  rt_outcome_kind kind;
  double time_sec;
  double ops_change;         /* measured, for kept and rolled-back changes */
} rt_outcome;

struct elmo_rt {
  elmo_rt_config cfg;
  elmo_rt_host host;
  rt_opt *opts;
  size_t n_opts;
  elmo_rt_state state;
  /* the baseline: a ring of the latest snapshots since the last re-baseline */
  elmo_rt_snapshot ring[ELMO_RT_RING_MAX];
  size_t ring_head, ring_count;
  int has_last;
  elmo_rt_snapshot last;     /* the latest snapshot used */
  elmo_rt_shift shift;       /* the shift being handled */
  /* the change in flight */
  int change_id, next_change_id;
  elmo_rt_snapshot pre;      /* the snapshot before it was applied */
  elmo_rt_snapshot watch_sum; /* sums of the watched snapshots' rates and p99s */
  int watch_seen;            /* snapshots watched so far */
  elmo_rt_call pending[ELMO_RT_MAX_ITEMS]; /* calls awaiting elmo_rt_applied */
  size_t n_pending;
  elmo_rt_call change[ELMO_RT_MAX_ITEMS];  /* calls that took effect (what a rollback reverses) */
  size_t n_change;
  rt_outcome_kind rollback_kind; /* what a pending rollback will be remembered as */
  double verdict_ops_change;     /* the measured ops/s change of the watched change */
  int cooldown_left;
  /* switchback (VERIFY): the blocks measured, the side the DB is on, the pending switch */
  int sb_planned;            /* pairs planned for the change in flight; 0: watch instead */
  elmo_rt_block sb_blocks[2 * ELMO_RT_SWITCHBACK_MAX_PAIRS];
  size_t sb_n;
  int sb_on_new;             /* 1: the DB has the new values */
  int sb_switch_to;          /* the side the pending calls switch to */
  int sb_keep;               /* 1: the pending calls end a verdict that keeps the change */
  int sb_stalled;            /* blocks running not counted because writes stalled */
  /* events of the DB (realtime_events.c) */
  int bg_error;              /* 1: a background error stops every change */
  int stall_condition;       /* the latest write stall condition (0 normal) */
  double ev_flushes, ev_compactions; /* since the last snapshot */
  double change_times[ELMO_RT_HOURLY_MAX];  /* ring of apply times (snapshot seconds) */
  size_t n_change_times, change_times_head;
  rt_outcome history[ELMO_RT_HISTORY_MAX];  /* ring */
  size_t hist_head, hist_count;
};

/* realtime.c */
rt_opt *elmo_rt_find(const elmo_rt *rt, const char *name);
int elmo_rt_changes_last_hour(const elmo_rt *rt, double now);
void elmo_rt_note_change_time(elmo_rt *rt, double now);
/* Starts a decision: zeroed, from = to = the current state, time of the latest snapshot. */
void elmo_rt_begin(const elmo_rt *rt, elmo_rt_decision *d, elmo_rt_event ev);
/* COOLDOWN for n snapshots (IDLE when n is 0), with a fresh baseline. */
void elmo_rt_enter_cooldown(elmo_rt *rt, int n);
/* Remembers what became of each call of a change, under the mix of snapshot s. */
void elmo_rt_remember(elmo_rt *rt, const elmo_rt_call *calls, size_t n, rt_outcome_kind kind,
                      const elmo_rt_snapshot *s, double ops_change);
/* The reverse of calls[i] (new -> old) into out[i]; returns n. */
size_t elmo_rt_reverse(const elmo_rt_call *calls, size_t n, elmo_rt_call *out);
/* Appends printf text to a fixed buffer, separated by sep when it is not empty. */
void elmo_rt_appendf(char *buf, size_t size, const char *sep, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* realtime_switchback.c */
/* The pairs a switchback of the change proposed now may take within the hourly limit (its
 * switches count as changes; 0: watch instead). changes_last_hour includes the change itself. */
int elmo_rt_switchback_plan(const elmo_rt *rt, int changes_last_hour);
/* Starts a switchback of the change just applied (state VERIFY, on the new values). */
void elmo_rt_switchback_start(elmo_rt *rt, elmo_rt_decision *d);
/* One block ended on snapshot s (state VERIFY, no calls pending). */
void elmo_rt_on_verify(elmo_rt *rt, const elmo_rt_snapshot *s, elmo_rt_decision *d);
/* The glue's report of a switch's calls (statuses already in d). */
void elmo_rt_switchback_applied(elmo_rt *rt, elmo_rt_decision *d, size_t n_ok);

/* realtime_switchback.c, for realtime_events.c: ends a switchback on the old values (kind). */
void elmo_rt_switchback_undo(elmo_rt *rt, elmo_rt_decision *d, rt_outcome_kind kind);

/* realtime_snapshot.c */
void elmo_rt_ring_reset(elmo_rt *rt);
void elmo_rt_ring_push(elmo_rt *rt, const elmo_rt_snapshot *s);
double elmo_rt_mix_distance(double r1, double w1, double s1, double r2, double w2, double s2);

/* realtime_advice.c */
const rt_outcome *elmo_rt_history_at(const elmo_rt *rt, size_t i); /* 0 = oldest */
void elmo_rt_history_add(elmo_rt *rt, const rt_outcome *o);
/* The outcome that forbids setting option from `from` to `to` under the given mix: RocksDB refused
 * that value before (under any mix), or the same move (same direction for numbers, same value
 * otherwise) was rolled back under a mix within shift_mix. NULL when the move is allowed. */
const rt_outcome *elmo_rt_history_blocks(const elmo_rt *rt, const char *option, const char *from,
                                         const char *to, double read, double write, double scan);

/* realtime_journal.c */
/* The names of the ELMO_RT_SIG_* bits set in bits ("mix", "throughput", ...), at most cap. */
size_t elmo_rt_signal_names(unsigned bits, const char **out, size_t cap);

#endif /* ELMO_REALTIME_INTERNAL_H */
