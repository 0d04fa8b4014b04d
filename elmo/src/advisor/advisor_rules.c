/* advisor_rules.c — the built-in advisor's RocksDB knowledge: which moves to try, in what order,
 * for which workload, and local search for fine-tuning. See advisor.h. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisor_internal.h"
#include "elmo/number.h"

#define MIB (1024.0 * 1024.0)
enum { DB = 0, CF = 1, TB = 2 };

static void put(advisor_move *m, int section, const char *name, double value) {
  if (m->n == kAdvisorMaxOpts) return;
  advisor_opt *o = &m->opts[m->n++];
  o->section = section;
  o->name = name;
  elmo_number_snprintf(o->value, sizeof o->value, "%.0f", value);
}

static void put_text(advisor_move *m, int section, const char *name, const char *value) {
  if (m->n == kAdvisorMaxOpts) return;
  advisor_opt *o = &m->opts[m->n++];
  o->section = section;
  o->name = name;
  snprintf(o->value, sizeof o->value, "%s", value);
}

static double clampd(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }
static double mib_round(double bytes) { return floor(bytes / MIB) * MIB; }
static double dataset_bytes(const advisor_facts *a) { return a->num_keys * (a->key_bytes + a->value_bytes); }

/* ---- write path ---------------------------------------------------------------------------- */

static void mv_memtables(const advisor_facts *a, advisor_move *m) {
  double wbs = a->memory > 0 ? mib_round(clampd(a->memory / 8, 32 * MIB, 256 * MIB)) : 128 * MIB;
  put(m, CF, "write_buffer_size", wbs);
  put(m, CF, "max_write_buffer_number", 3);
  put(m, CF, "max_bytes_for_level_base", wbs * 4);
  put(m, CF, "target_file_size_base", mib_round(clampd(wbs * 4 / 10, 16 * MIB, 256 * MIB)));
  elmo_number_snprintf(m->reason, sizeof m->reason,
           "Writes are %.0f%% of operations. Larger memtables (%.0f MiB x 3) absorb bursts and make "
           "fewer, larger L0 files; L1 is sized to four of them (the L0 trigger) so L0->L1 "
           "compactions stay balanced, and SST files to about a tenth of L1. Memtables stay within "
           "three eighths of the memory limit.", a->write * 100, wbs / MIB);
}

/* Measured on 2 CPUs with one client thread (docs/bench/HISTORY.md): the writer is CPU-bound in the
 * memtable, and 8-16 MiB memtables beat 64-256 MiB ones by 10-50% on fillrandom and 90/10
 * read/write, while the spare core keeps up with the extra flushes. */
static void mv_small_memtables(const advisor_facts *a, advisor_move *m) {
  double wbs = 16 * MIB;
  put(m, CF, "write_buffer_size", wbs);
  put(m, CF, "max_write_buffer_number", 4);
  put(m, CF, "max_bytes_for_level_base", wbs * 4);
  put(m, CF, "target_file_size_base", wbs);
  put(m, DB, "max_background_jobs", elmo_advisor_max_background_jobs(a->cpus));
  elmo_number_snprintf(m->reason, sizeof m->reason,
           "%d client thread(s) on %d CPUs: the foreground thread is CPU-bound inserting into (and "
           "searching) the memtable, whose skiplist gets deeper and less cache-friendly as it grows. "
           "Smaller memtables (%.0f MiB x 4) keep it shallow; the spare CPU flushes them, with more "
           "background jobs and L1 sized to four of them so L0->L1 compactions stay small.",
           a->threads, a->cpus, wbs / MIB);
}

static void mv_background(const advisor_facts *a, advisor_move *m) {
  put(m, DB, "max_background_jobs", elmo_advisor_max_background_jobs(a->cpus));
  if (a->cpus >= 2) put(m, DB, "max_subcompactions", a->cpus);
  elmo_number_snprintf(m->reason, sizeof m->reason,
           "With %d CPUs, two background jobs (the default) leave flushes waiting behind "
           "compactions under write load; more jobs and subcompactions let compaction keep up "
           "and cut write stalls (best so far stalls %.1f%% of the time).", a->cpus, a->stall_percent);
}

static void mv_l0_triggers(const advisor_facts *a, advisor_move *m) {
  put(m, CF, "level0_slowdown_writes_trigger", 48);
  put(m, CF, "level0_stop_writes_trigger", 64);
  elmo_number_snprintf(m->reason, sizeof m->reason,
           "Raise the L0 slowdown/stop triggers (20/36 -> 48/64) so short compaction backlogs slow "
           "writes less; stalls were %.1f%% of the time.", a->stall_percent);
}

static void mv_l0_compaction(const advisor_facts *a, advisor_move *m) {
  (void)a;
  put(m, CF, "level0_file_num_compaction_trigger", 8);
  put(m, CF, "level0_slowdown_writes_trigger", 40);
  put(m, CF, "level0_stop_writes_trigger", 64);
  snprintf(m->reason, sizeof m->reason,
           "Compact L0 after 8 files instead of 4: fewer, larger L0->L1 compactions lower write "
           "amplification; the stall triggers move up with it.");
}

static void mv_dynamic_levels(const advisor_facts *a, advisor_move *m) {
  (void)a;
  put_text(m, CF, "level_compaction_dynamic_level_bytes", "true");
  snprintf(m->reason, sizeof m->reason,
           "Dynamic level sizing keeps the level sizes proportional to the real data, which bounds "
           "space amplification and the number of levels a read must check.");
}

static void mv_lz4(const advisor_facts *a, advisor_move *m) {
  (void)a;
  put_text(m, CF, "compression", "kLZ4Compression");
  snprintf(m->reason, sizeof m->reason,
           "LZ4 compresses about as well as Snappy here and decompresses faster, which saves CPU on "
           "reads and compactions.");
}

static void mv_no_compression(const advisor_facts *a, advisor_move *m) {
  double data = dataset_bytes(a);
  if (a->memory > 0 && data > a->memory / 2) return; /* compression keeps a large dataset cached */
  put_text(m, CF, "compression", "kNoCompression");
  put_text(m, CF, "bottommost_compression", "kNoCompression");
  elmo_number_snprintf(m->reason, sizeof m->reason,
           "The data (about %.0f MiB uncompressed) fits in memory, so compression saves no reads: "
           "without it a block found in the page cache costs no decompression, which is most of "
           "the CPU of a cached point read.", data / MIB);
}

static void mv_pipelined(const advisor_facts *a, advisor_move *m) {
  (void)a;
  put_text(m, DB, "enable_pipelined_write", "true");
  put(m, DB, "bytes_per_sync", 1 * MIB);
  snprintf(m->reason, sizeof m->reason,
           "Pipelined writes overlap WAL and memtable writes; syncing every 1 MiB smooths the I/O of "
           "flushes and compactions instead of bursts at file end.");
}

/* ---- read path ----------------------------------------------------------------------------- */

static void mv_bloom(const advisor_facts *a, advisor_move *m) {
  put_text(m, TB, "filter_policy", "bloomfilter:10:false");
  elmo_number_snprintf(m->reason, sizeof m->reason,
           "Point reads are %.0f%% of operations and there is no filter: a 10-bit Bloom filter lets "
           "a Get skip the SST files that cannot hold the key (about 1%% false positives) at "
           "1.25 bytes per key.", a->read * 100);
}

/* A block cache of want bytes, lowered to what the memory budget leaves (the best's cache plus
 * the headroom between its estimate and the budget), in whole 16 MiB steps. */
static double fit_cache(const advisor_facts *a, double want) {
  if (a->budget > 0 && a->estimate > 0) {
    double room = a->cache_bytes + (a->budget - a->estimate);
    if (want > room) want = room;
  }
  return floor(want / (16 * MIB)) * 16 * MIB;
}

static void mv_cache(const advisor_facts *a, advisor_move *m) {
  double data = dataset_bytes(a), cap;
  if (a->direct_io) {
    cap = a->memory > 0 ? a->memory / 2 : 512 * MIB;
  } else {
    cap = a->memory > 0 ? a->memory / 8 : 128 * MIB;
  }
  cap = mib_round(clampd(cap, 16 * MIB, data > 32 * MIB ? data : 32 * MIB));
  put(m, TB, "block_cache", cap);
  elmo_number_snprintf(m->reason, sizeof m->reason,
           "%s A block cache of %.0f MiB for a dataset of about %.0f MiB.",
           a->direct_io ? "With direct I/O the block cache is the only cache, so it gets half the "
                          "memory limit."
                        : "With buffered I/O the page cache already holds recently read blocks and, "
                          "under a memory limit, counts against it: a modest block cache avoids "
                          "caching the same data twice.",
           cap / MIB, data / MIB);
}

static void mv_big_cache(const advisor_facts *a, advisor_move *m) {
  double cap = fit_cache(a, a->memory > 0 ? mib_round(a->memory / 3) : 512 * MIB);
  if (cap < 16 * MIB) return;
  put(m, TB, "block_cache", cap);
  elmo_number_snprintf(m->reason, sizeof m->reason,
           "Try the tuning guide's third of memory (%.0f MiB) for the block cache; only a "
           "measurement tells whether it beats leaving the memory to the page cache.", cap / MIB);
}

static void mv_half_cache(const advisor_facts *a, advisor_move *m) {
  double data = dataset_bytes(a);
  double cap = fit_cache(a, a->memory > 0 ? a->memory / 2 : 512 * MIB);
  if (cap < 16 * MIB) return;
  put(m, TB, "block_cache", cap);
  elmo_number_snprintf(m->reason, sizeof m->reason,
           "The dataset (about %.0f MiB uncompressed) is close to the memory limit: a block cache of "
           "%.0f MiB (half the memory, or what the budget leaves) keeps most blocks uncompressed in "
           "memory, so a hit costs no "
           "read and no decompression. Index and filter blocks stay outside it (charging them to "
           "the cache measured slower here).", data / MIB, cap / MIB);
}

static void mv_hash_index(const advisor_facts *a, advisor_move *m) {
  (void)a;
  put_text(m, TB, "data_block_index_type", "kDataBlockBinaryAndHash");
  snprintf(m->reason, sizeof m->reason,
           "A hash index inside data blocks turns the binary search of a point lookup into one "
           "probe, saving CPU on cached reads.");
}

static void mv_index_in_cache(const advisor_facts *a, advisor_move *m) {
  (void)a;
  put_text(m, TB, "cache_index_and_filter_blocks", "true");
  put_text(m, TB, "pin_l0_filter_and_index_blocks_in_cache", "true");
  snprintf(m->reason, sizeof m->reason,
           "Charge index and filter blocks to the block cache (pinning L0's) so their memory is "
           "bounded and accounted for.");
}

static void mv_block_size(const advisor_facts *a, advisor_move *m, double size) {
  put(m, TB, "block_size", size);
  elmo_number_snprintf(m->reason, sizeof m->reason,
           "Block size %.0f KiB: %s", size / 1024,
           a->scan >= 0.3 ? "scans read neighbouring keys, so larger blocks mean fewer block reads."
                          : "a different block size changes index size and bytes read per lookup; "
                            "measure it.");
}

static void mv_memtable_bloom(const advisor_facts *a, advisor_move *m) {
  put_text(m, CF, "memtable_whole_key_filtering", "true");
  put_text(m, CF, "memtable_prefix_bloom_size_ratio", "0.1");
  snprintf(m->reason, sizeof m->reason,
           "Reads and writes are mixed%s: a memtable Bloom filter lets Gets skip memtables that do "
           "not hold the key instead of searching their skiplists.",
           a->skewed ? " and the writes go to hot keys, which fill the memtable with versions" : "");
}

static void mv_readahead(const advisor_facts *a, advisor_move *m) {
  (void)a;
  put(m, DB, "compaction_readahead_size", 2 * MIB);
  put(m, TB, "max_auto_readahead_size", 1 * MIB);
  elmo_number_snprintf(m->reason, sizeof m->reason,
           "Scans are %.0f%% of operations: larger readahead for iterators and compactions turns "
           "many small reads into few large ones.", a->scan * 100);
}

/* A slow device (elmo/storage.h): the kernel should write back early and steadily instead of in
 * bursts that stall the WAL behind them, and compactions should read in large requests. */
static void mv_slow_disk_writes(const advisor_facts *a, advisor_move *m) {
  put(m, DB, "bytes_per_sync", 1 * MIB);
  put(m, DB, "wal_bytes_per_sync", 1 * MIB);
  put(m, DB, "compaction_readahead_size", 2 * MIB);
  elmo_number_snprintf(m->reason, sizeof m->reason,
           "The trials' device is slow (%s): sync data files and the WAL every 1 MiB so writeback is "
           "steady instead of bursts that stall the WAL behind them, and read 2 MiB at a time in "
           "compactions.", a->storage_text);
}

/* The tuning guide's whole file for this budget, as tools/bench/human_tuned.sh writes it: 64 MiB
 * memtables x 4 merging 2, L1 the size of L0 (4 x 2 x 64 MiB) and files a tenth of it, LZ4 above
 * the last level and ZSTD in it, a third of memory as block cache. */
static void mv_guide(const advisor_facts *a, advisor_move *m) {
  double mem = a->memory > 0 ? a->memory : 1024 * MIB;
  double l1 = 64 * MIB * 2 * 4;
  put(m, TB, "block_cache", mib_round(mem / 3));
  put_text(m, TB, "filter_policy", "bloomfilter:10:false");
  put_text(m, TB, "cache_index_and_filter_blocks", "true");
  put_text(m, TB, "pin_l0_filter_and_index_blocks_in_cache", "true");
  put(m, TB, "block_size", 16384);
  put(m, CF, "write_buffer_size", 64 * MIB);
  put(m, CF, "max_write_buffer_number", 4);
  put(m, CF, "min_write_buffer_number_to_merge", 2);
  put_text(m, CF, "level_compaction_dynamic_level_bytes", "true");
  put(m, CF, "max_bytes_for_level_base", l1);
  put(m, CF, "target_file_size_base", floor(l1 / 10));
  put_text(m, CF, "compression", "kLZ4Compression");
  put_text(m, CF, "bottommost_compression", "kZSTD");
  put(m, DB, "max_background_jobs", a->cpus + 2);
  put(m, DB, "bytes_per_sync", 1 * MIB);
  put(m, DB, "wal_bytes_per_sync", 1 * MIB);
  snprintf(m->reason, sizeof m->reason,
           "The RocksDB tuning guide's configuration for this memory and CPU budget (cache a third "
           "of memory, Bloom 10, 16 KiB blocks, 64 MiB x 4 memtables merging 2, dynamic levels with "
           "a 512 MiB L1, LZ4 with ZSTD at the bottom, CPUs + 2 jobs). Generic advice: it is "
           "measured like any other move and kept only if it wins.");
}

/* ---- choosing ------------------------------------------------------------------------------ */

typedef void (*move_fn)(const advisor_facts *, advisor_move *);

static void mv_block_8k(const advisor_facts *a, advisor_move *m) { mv_block_size(a, m, 8192); }
static void mv_block_16k(const advisor_facts *a, advisor_move *m) { mv_block_size(a, m, 16384); }

/* Moves in the order this workload should try them. */
static size_t plan(const advisor_facts *a, move_fn *out, size_t cap) {
  /* The tuning guide's whole configuration is measured early (second or third): it is a strong
   * known point, and what follows refines from whichever measured better. */
  static const move_fn kWrite[] = {mv_small_memtables, mv_memtables, mv_background, mv_guide, mv_l0_triggers,
                                   mv_l0_compaction, mv_dynamic_levels, mv_pipelined, mv_lz4};
  static const move_fn kRead[] = {mv_bloom, mv_guide, mv_half_cache, mv_no_compression,
                                  mv_hash_index, mv_cache,
                                  mv_block_8k, mv_index_in_cache, mv_big_cache, mv_dynamic_levels,
                                  mv_lz4};
  static const move_fn kScan[] = {mv_block_16k, mv_guide, mv_readahead, mv_cache, mv_dynamic_levels};
  size_t n = 0;
#define ADD_ALL(list)                                                                   \
  for (size_t i = 0; i < sizeof(list) / sizeof((list)[0]) && n < cap; i++) out[n++] = (list)[i]
  if (a->scan >= 0.3) {
    ADD_ALL(kScan);
    if (a->write >= 0.05) ADD_ALL(kWrite);
  } else if (a->write >= 0.5 && a->read >= 0.3) {
    /* Balanced (YCSB A: half Gets, half updates): a round budget spent on write moves alone never
     * reaches the Bloom filter or the cache, so the two lists take turns (each move once). */
    size_t nw = sizeof kWrite / sizeof kWrite[0], nr = sizeof kRead / sizeof kRead[0];
    for (size_t i = 0; i < (nw > nr ? nw : nr); i++) {
      const move_fn pick[2] = {i < nw ? kWrite[i] : NULL, i < nr ? kRead[i] : NULL};
      for (size_t k = 0; k < 2; k++) {
        int dup = pick[k] == NULL;
        for (size_t j = 0; j < n && !dup; j++) dup = out[j] == pick[k];
        if (!dup && n < cap) out[n++] = pick[k];
      }
    }
  } else if (a->write >= 0.5) {
    ADD_ALL(kWrite);
    if (a->read >= 0.05) ADD_ALL(kRead);
  } else {
    /* Read-mostly: reads first, but with writes the memtable size is tried early (it moved a
     * 90/10 mix more than any cache setting). */
    for (size_t i = 0; i < sizeof kRead / sizeof kRead[0] && n < cap; i++) {
      out[n++] = kRead[i];
      /* With writes, the memtable's size, then its Bloom filter (each Get searches the memtables
       * first; TPE's best on readrandomwriterandom:90 had the filter). */
      if (kRead[i] == mv_half_cache && a->write >= 0.05 && n < cap) out[n++] = mv_small_memtables;
      if (kRead[i] == mv_half_cache && a->write >= 0.05 && !a->skewed && n < cap) out[n++] = mv_memtable_bloom;
      /* Skewed writes keep rewriting hot keys in the memtable, which a profile of mixgraph showed
       * to be the costliest part of its Gets: try the memtable Bloom filter right after the guide. */
      if (kRead[i] == mv_guide && a->skewed && a->write >= 0.05 && n < cap) out[n++] = mv_memtable_bloom;
    }
    if (a->write >= 0.05) ADD_ALL(kWrite);
  }
#undef ADD_ALL
  return n;
}

/* ---- telemetry first ------------------------------------------------------------------------ */

/* The best's statistics say what binds it; the moves that address that come first, in this order,
 * the rest keep the workload's order. Thresholds: stalls at 5% of the time, a block cache hit rate
 * below 90% or more than 1.5 data blocks per Get (a Get searching several files past their
 * filters) with reads at 30% of the operations or more. */
enum { kStallShare = 5 };
#define LOW_HIT_RATE 0.9
#define HIGH_BLOCKS_PER_GET 1.5

typedef struct telemetry_order {
  move_fn first[8];
  size_t n;
  char why[256];
} telemetry_order;

static void order_for_stalls(const advisor_facts *a, telemetry_order *o) {
  static const move_fn kL0[] = {mv_background, mv_l0_triggers, mv_l0_compaction, mv_dynamic_levels};
  static const move_fn kMem[] = {mv_memtables, mv_background, mv_pipelined};
  static const move_fn kPending[] = {mv_background, mv_dynamic_levels, mv_l0_compaction};
  static const move_fn kAny[] = {mv_background, mv_l0_triggers, mv_memtables};
  static const char *const kCause[] = {"cause not logged", "too many L0 files", "memtables waiting for flush",
                                       "pending compaction bytes"};
  const move_fn *list = a->stall_cause == STALL_L0 ? kL0 : a->stall_cause == STALL_MEMTABLES ? kMem
                        : a->stall_cause == STALL_PENDING ? kPending : kAny;
  size_t n = a->stall_cause == STALL_L0 ? 4 : 3;
  for (size_t i = 0; i < n; i++) o->first[o->n++] = list[i];
  elmo_number_snprintf(o->why, sizeof o->why, "the best stalls writes %.1f%% of the time (%s)", a->stall_percent,
                       kCause[a->stall_cause]);
}

static void order_for_reads(const advisor_facts *a, telemetry_order *o) {
  int low_hit = a->cache_hit >= 0 && a->cache_hit < LOW_HIT_RATE;
  int many_blocks = a->blocks_per_get > HIGH_BLOCKS_PER_GET;
  /* A low hit rate escalates the cache (a third, then half of memory): peer run 1's TPE won
   * readrandomwriterandom:90 with 447 MiB where the loop kept 128 MiB, and charging index blocks
   * to the cache measured slower there (0.935 of the best). */
  static const move_fn kMiss[] = {mv_bloom, mv_cache, mv_big_cache, mv_half_cache};
  static const move_fn kAmp[] = {mv_bloom, mv_l0_compaction, mv_dynamic_levels};
  const move_fn *list = low_hit ? kMiss : kAmp;
  size_t n = low_hit ? 4 : 3;
  for (size_t i = 0; i < n; i++) o->first[o->n++] = list[i];
  if (low_hit) {
    elmo_number_snprintf(o->why, sizeof o->why, "the best's block cache hit rate is %.0f%%%s", a->cache_hit * 100,
                         many_blocks ? " and a Get looks up several data blocks" : "");
  } else {
    elmo_number_snprintf(o->why, sizeof o->why, "a Get looks up %.1f data blocks (files searched past their filters)",
                         a->blocks_per_get);
  }
}

/* A slow device: misses cost a slow read, so the cache share goes up after the filter; writes
 * get steady writeback and fewer, larger flushes; scans read ahead further. */
static void order_for_storage(const advisor_facts *a, telemetry_order *o) {
  static const move_fn kScan[] = {mv_readahead, mv_block_16k};
  static const move_fn kWrite[] = {mv_slow_disk_writes, mv_memtables};
  static const move_fn kRead[] = {mv_bloom, mv_big_cache};
  const move_fn *list = a->scan >= 0.3 ? kScan : a->write >= 0.5 ? kWrite : kRead;
  for (size_t i = 0; i < 2; i++) o->first[o->n++] = list[i];
  snprintf(o->why, sizeof o->why, "the trials' device is slow (%s)", a->storage_text);
}

/* Which moves the telemetry puts first, and why; n 0 when nothing binds. Pure. */
static void telemetry_first(const advisor_facts *a, telemetry_order *o) {
  memset(o, 0, sizeof *o);
  if (a->stall_percent >= kStallShare && a->write >= 0.05) {
    order_for_stalls(a, o);
  } else if (a->read >= 0.3 && ((a->cache_hit >= 0 && a->cache_hit < LOW_HIT_RATE) ||
                                a->blocks_per_get > HIGH_BLOCKS_PER_GET)) {
    order_for_reads(a, o);
  } else if (a->slow_storage) {
    order_for_storage(a, o);
  }
}

/* Moves the telemetry's first moves to the front of plan[0..*n) (cap entries), in the telemetry's
 * order, adding those the workload's plan lacks; returns how many are in front. */
static size_t reorder(move_fn *plan, size_t *n, size_t cap, const telemetry_order *o) {
  size_t front = 0;
  for (size_t k = 0; k < o->n; k++) {
    size_t i = front;
    while (i < *n && plan[i] != o->first[k]) i++;
    if (i == *n) {
      if (*n == cap) continue;
      (*n)++;
    }
    memmove(&plan[front + 1], &plan[front], (i - front) * sizeof *plan);
    plan[front++] = o->first[k];
  }
  return front;
}

static const char *best_value(const advisor_facts *a, const char *name) {
  return elmo_advisor_best_value(a->facts, name);
}

static int same(const char *x, const char *y) {
  if (x == NULL || y == NULL) return 0;
  char *ex, *ey;
  double dx = elmo_number_parse(x, &ex), dy = elmo_number_parse(y, &ey);
  if (ex != x && ey != y && *ex == '\0' && *ey == '\0') return dx == dy;
  return strcmp(x, y) == 0;
}

static int is_locked(const advisor_facts *a, const char *name) { return elmo_advisor_is_locked(a->facts, name); }

/* 1 when the calibrator already refused name=value in this run (range, budget, locks ...). */
static int was_rejected(const advisor_facts *a, const advisor_opt *o) {
  char want[256];
  snprintf(want, sizeof want, "%s=%s", o->name, o->value);
  for (size_t i = 0; i < a->facts->n_rejected; i++) {
    if (strcmp(a->facts->rejected[i], want) == 0) return 1;
  }
  return 0;
}

/* Options that only shape files written from now on (filters, blocks, compression). */
static int shapes_new_files_only(const char *name) {
  static const char *const kFormat[] = {"filter_policy", "block_size", "data_block_index_type",
                                        "compression", "bottommost_compression", "index_type",
                                        "whole_key_filtering", "format_version"};
  for (size_t i = 0; i < sizeof kFormat / sizeof kFormat[0]; i++) {
    if (strcmp(name, kFormat[i]) == 0) return 1;
  }
  return 0;
}

/* 1 when the run never rewrites the preloaded files: a read-only workload on existing data. */
static int files_stay_as_loaded(const advisor_facts *a) {
  return a->preload && a->write < 0.01 && !a->rewrite;
}

/* Drops locked options, refused values, those the best configuration already has, and file
 * format options when no file will be written; says which of the last it left out. */
static void prune(const advisor_facts *a, advisor_move *m) {
  size_t k = 0, dropped = 0;
  char left_out[256] = "";
  for (size_t i = 0; i < m->n; i++) {
    if (files_stay_as_loaded(a) && shapes_new_files_only(m->opts[i].name)) {
      size_t len = strlen(left_out);
      snprintf(left_out + len, sizeof left_out - len, "%s%s", dropped++ ? ", " : "", m->opts[i].name);
      continue;
    }
    if (is_locked(a, m->opts[i].name) || was_rejected(a, &m->opts[i]) ||
        same(best_value(a, m->opts[i].name), m->opts[i].value)) {
      continue;
    }
    m->opts[k++] = m->opts[i];
  }
  m->n = k;
  if (dropped > 0 && k > 0) {
    size_t len = strlen(m->reason);
    snprintf(m->reason + len, sizeof m->reason - len,
             " Left out %s: the workload only reads the preloaded data, so no file is rewritten and "
             "file-format options cannot take effect.", left_out);
  }
}

/* 1 when a measured candidate already contained every change of m. */
static int was_tried(const advisor_facts *a, const advisor_move *m) {
  for (size_t t = 0; t < a->facts->n_tried; t++) {
    const elmo_fact_trial *tr = &a->facts->tried[t];
    size_t hit = 0;
    for (size_t i = 0; i < m->n; i++) {
      for (size_t c = 0; c < tr->n_changes; c++) {
        if (strcmp(tr->changes[c].name, m->opts[i].name) == 0 && same(tr->changes[c].value, m->opts[i].value)) {
          hit++;
          break;
        }
      }
    }
    if (m->n > 0 && hit == m->n) return 1;
  }
  return 0;
}

int elmo_advisor_next_move(const advisor_facts *a, advisor_move *out) {
  move_fn moves[32];
  size_t n = plan(a, moves, 32);
  telemetry_order order;
  telemetry_first(a, &order);
  size_t promoted = reorder(moves, &n, 32, &order);
  for (size_t i = 0; i < n; i++) {
    memset(out, 0, sizeof *out);
    moves[i](a, out);
    prune(a, out);
    if (out->n == 0 || was_tried(a, out)) continue;
    if (i < promoted) {
      size_t len = strlen(out->reason);
      snprintf(out->reason + len, sizeof out->reason - len, " Chosen first because %s.", order.why);
    }
    return 1;
  }
  return 0;
}

/* The section of the numeric options this file proposes (the calibrator checks it anyway). */
static int section_of(const char *name) {
  static const char *const kDb[] = {"max_background_jobs", "max_subcompactions", "bytes_per_sync",
                                    "compaction_readahead_size"};
  static const char *const kTable[] = {"block_cache", "block_size", "max_auto_readahead_size"};
  for (size_t i = 0; i < sizeof kDb / sizeof kDb[0]; i++) {
    if (strcmp(name, kDb[i]) == 0) return DB;
  }
  for (size_t i = 0; i < sizeof kTable / sizeof kTable[0]; i++) {
    if (strcmp(name, kTable[i]) == 0) return TB;
  }
  return CF;
}

double elmo_advisor_max_background_jobs(double cpus) { return cpus * 2 < 4 ? 4 : cpus * 2; }

/* The largest value local search may reach for options whose useful range follows the CPUs:
 * background jobs beyond twice the CPUs (subcompactions beyond the CPUs) only compete with the
 * foreground for the same cores. Mixgraph on 2 CPUs measured 0.87-0.97 of the guide's file with
 * 8 jobs instead of 4 (docs/BENCHMARKS.md); 0: no cap. */
static double finetune_cap(const advisor_facts *a, const char *name) {
  if (strcmp(name, "max_background_jobs") == 0) return elmo_advisor_max_background_jobs(a->cpus);
  if (strcmp(name, "max_subcompactions") == 0) return a->cpus;
  return 0;
}

/* Doubling or halving a numeric option changed last; never a value already measured, never past
 * the CPU-bound caps above. */
int elmo_advisor_finetune(const advisor_facts *a, advisor_move *out) {
  for (size_t i = 0; i < a->facts->n_focus; i++) {
    const char *name = a->facts->focus[i];
    const char *cur = name ? best_value(a, name) : NULL;
    char *end = NULL;
    double v = cur ? elmo_number_parse(cur, &end) : 0;
    if (cur == NULL || end == cur || *end != '\0' || v <= 0 || is_locked(a, name)) continue;
    const double steps[] = {v * 2, floor(v / 2)};
    for (size_t s = 0; s < 2; s++) {
      memset(out, 0, sizeof *out);
      put(out, section_of(name), name, steps[s]);
      double cap = finetune_cap(a, name);
      if (steps[s] < 1 || (cap > 0 && steps[s] > cap) || was_tried(a, out) || was_rejected(a, &out->opts[0])) continue;
      elmo_number_snprintf(out->reason, sizeof out->reason,
               "Local search: %s helped in the last round; try %s it (%s -> %.0f) and keep whichever "
               "measures better.", name, s == 0 ? "doubling" : "halving", cur, steps[s]);
      return 1;
    }
  }
  return 0;
}
