/* trace_sketch.c — the bounded-memory sketches behind the trace characterizer (see trace.h): a
 * 64-bit key hash, HyperLogLog with Ertl's improved estimator, a conservative-update count-min
 * sketch and a space-saving top-k summary. Pure: no I/O, no globals. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "elmo/trace.h"

/* ---- hash ---------------------------------------------------------------------------------- */

static uint64_t mix64(uint64_t x) {
  x ^= x >> 30;
  x *= UINT64_C(0xbf58476d1ce4e5b9);
  x ^= x >> 27;
  x *= UINT64_C(0x94d049bb133111eb);
  x ^= x >> 31;
  return x;
}

static uint64_t load_le(const unsigned char *p, size_t n) {
  uint64_t w = 0;
  for (size_t i = 0; i < n; i++) w |= (uint64_t)p[i] << (8 * i);
  return w;
}

uint64_t elmo_trace_hash(const void *data, size_t len, uint64_t seed) {
  const unsigned char *p = data;
  uint64_t h = mix64(seed ^ ((uint64_t)len * UINT64_C(0x9e3779b97f4a7c15)));
  for (; len >= 8; p += 8, len -= 8) h = mix64(h ^ load_le(p, 8)) + UINT64_C(0x632be59bd9b4e019);
  if (len > 0) h = mix64(h ^ load_le(p, len) ^ ((uint64_t)len << 59));
  return mix64(h);
}

/* ---- HyperLogLog --------------------------------------------------------------------------- */

struct elmo_trace_hll {
  int p;
  uint8_t *reg;
};

elmo_rc elmo_trace_hll_create(int precision, elmo_trace_hll **out, elmo_error *err) {
  if (out == NULL) return elmo_error_set(err, ELMO_EINVAL, "out must not be NULL");
  *out = NULL;
  if (precision < 4 || precision > 18) {
    return elmo_error_set(err, ELMO_ERANGE, "HLL precision %d is out of range 4..18", precision);
  }
  elmo_trace_hll *h = calloc(1, sizeof(*h));
  if (h != NULL) h->reg = calloc((size_t)1 << precision, 1);
  if (h == NULL || h->reg == NULL) {
    free(h);
    return elmo_error_set(err, ELMO_ENOMEM, "no memory for a 2^%d-register HLL", precision);
  }
  h->p = precision;
  *out = h;
  return ELMO_OK;
}

void elmo_trace_hll_destroy(elmo_trace_hll *h) {
  if (h == NULL) return;
  free(h->reg);
  free(h);
}

void elmo_trace_hll_add(elmo_trace_hll *h, uint64_t hash) {
  size_t idx = (size_t)(hash >> (64 - h->p));
  uint64_t w = hash << h->p;
  int q = 64 - h->p, rank = 1;
  while (rank <= q && !(w & (UINT64_C(1) << 63))) w <<= 1, rank++;
  if (rank > h->reg[idx]) h->reg[idx] = (uint8_t)rank;
}

/* sigma and tau of Ertl, "New cardinality estimation algorithms for HyperLogLog sketches". */
static double hll_sigma(double x) {
  if (x == 1.0) return INFINITY;
  double y = 1.0, z = x, prev;
  do {
    x *= x;
    prev = z;
    z += x * y;
    y += y;
  } while (z != prev);
  return z;
}

static double hll_tau(double x) {
  if (x == 0.0 || x == 1.0) return 0.0;
  double y = 1.0, z = 1.0 - x, prev;
  do {
    x = sqrt(x);
    prev = z;
    y *= 0.5;
    z -= (1.0 - x) * (1.0 - x) * y;
  } while (z != prev);
  return z / 3.0;
}

double elmo_trace_hll_estimate(const elmo_trace_hll *h) {
  int q = 64 - h->p;
  size_t m = (size_t)1 << h->p;
  double counts[66] = {0};
  for (size_t i = 0; i < m; i++) counts[h->reg[i]] += 1.0;
  double md = (double)m;
  double z = md * hll_tau(1.0 - counts[q + 1] / md);
  for (int k = q; k >= 1; k--) z = 0.5 * (z + counts[k]);
  z += md * hll_sigma(counts[0] / md);
  return (0.5 / log(2.0)) * md * md / z;
}

double elmo_trace_hll_rel_error(const elmo_trace_hll *h) {
  return 1.04 / sqrt((double)((size_t)1 << h->p));
}

/* ---- count-min ----------------------------------------------------------------------------- */

struct elmo_trace_cms {
  uint32_t width, depth;
  uint64_t total;
  uint64_t *cells; /* depth rows of width counters */
};

elmo_rc elmo_trace_cms_create(uint32_t width, uint32_t depth, elmo_trace_cms **out,
                              elmo_error *err) {
  if (out == NULL) return elmo_error_set(err, ELMO_EINVAL, "out must not be NULL");
  *out = NULL;
  if (width < (1u << 8) || width > (1u << 24) || (width & (width - 1)) != 0) {
    return elmo_error_set(err, ELMO_ERANGE,
                          "count-min width %u is not a power of two in "
                          "256..16777216",
                          width);
  }
  if (depth < 1 || depth > 8) {
    return elmo_error_set(err, ELMO_ERANGE, "count-min depth %u is out of range 1..8", depth);
  }
  elmo_trace_cms *c = calloc(1, sizeof(*c));
  if (c != NULL) c->cells = calloc((size_t)width * depth, sizeof(uint64_t));
  if (c == NULL || c->cells == NULL) {
    free(c);
    return elmo_error_set(err, ELMO_ENOMEM, "no memory for a %ux%u count-min sketch", width, depth);
  }
  c->width = width, c->depth = depth;
  *out = c;
  return ELMO_OK;
}

void elmo_trace_cms_destroy(elmo_trace_cms *c) {
  if (c == NULL) return;
  free(c->cells);
  free(c);
}

/* Cell of hash in row i (double hashing with an odd step). */
static uint64_t *cms_cell(const elmo_trace_cms *c, uint64_t hash, uint32_t i) {
  uint64_t step = mix64(hash ^ UINT64_C(0x5851f42d4c957f2d)) | 1;
  size_t col = (size_t)((hash + i * step) & (c->width - 1));
  return &c->cells[(size_t)i * c->width + col];
}

uint64_t elmo_trace_cms_estimate(const elmo_trace_cms *c, uint64_t hash) {
  uint64_t best = UINT64_MAX;
  for (uint32_t i = 0; i < c->depth; i++) {
    uint64_t v = *cms_cell(c, hash, i);
    if (v < best) best = v;
  }
  return best;
}

void elmo_trace_cms_add(elmo_trace_cms *c, uint64_t hash, uint64_t count) {
  uint64_t *cells[8];
  uint64_t least = UINT64_MAX;
  for (uint32_t i = 0; i < c->depth; i++) {
    cells[i] = cms_cell(c, hash, i);
    if (*cells[i] < least) least = *cells[i];
  }
  for (uint32_t i = 0; i < c->depth; i++) {
    if (*cells[i] < least + count) *cells[i] = least + count;
  }
  c->total += count;
}

uint64_t elmo_trace_cms_total(const elmo_trace_cms *c) { return c->total; }
double elmo_trace_cms_epsilon(const elmo_trace_cms *c) { return exp(1.0) / c->width; }
double elmo_trace_cms_delta(const elmo_trace_cms *c) { return exp(-(double)c->depth); }

/* ---- space-saving top-k -------------------------------------------------------------------- */

/* The stream-summary layout of Metwally et al.: entries with equal counts share a bucket, and
 * buckets form a list in ascending count order, so every add is O(1). Links are indices; NONE
 * ends a list. Buckets never outnumber entries, so both arrays hold k. */
#define NONE UINT32_MAX

struct elmo_trace_topk {
  uint32_t k, n;
  elmo_trace_topk_entry *e;
  uint32_t *ebucket, *eprev, *enext; /* per entry: its bucket and its neighbours there */
  uint64_t *bcount;                  /* per bucket: the count of its entries */
  uint32_t *bhead, *bprev, *bnext;   /* per bucket: first entry, neighbouring buckets */
  uint32_t bmin, bfree;              /* lowest bucket; free buckets (linked by bnext) */
  uint32_t *slots;                   /* open addressing by hash: entry index + 1, 0 = empty */
  uint32_t mask;
};

void elmo_trace_topk_destroy(elmo_trace_topk *t) {
  if (t == NULL) return;
  free(t->e);
  free(t->ebucket), free(t->eprev), free(t->enext);
  free(t->bcount), free(t->bhead), free(t->bprev), free(t->bnext);
  free(t->slots);
  free(t);
}

static int topk_alloc(elmo_trace_topk *t, uint32_t k, uint32_t nslots) {
  t->e = calloc(k, sizeof(*t->e));
  t->ebucket = calloc(k, sizeof(uint32_t));
  t->eprev = calloc(k, sizeof(uint32_t));
  t->enext = calloc(k, sizeof(uint32_t));
  t->bcount = calloc(k, sizeof(uint64_t));
  t->bhead = calloc(k, sizeof(uint32_t));
  t->bprev = calloc(k, sizeof(uint32_t));
  t->bnext = calloc(k, sizeof(uint32_t));
  t->slots = calloc(nslots, sizeof(uint32_t));
  return t->e && t->ebucket && t->eprev && t->enext && t->bcount && t->bhead && t->bprev &&
         t->bnext && t->slots;
}

elmo_rc elmo_trace_topk_create(uint32_t k, elmo_trace_topk **out, elmo_error *err) {
  if (out == NULL) return elmo_error_set(err, ELMO_EINVAL, "out must not be NULL");
  *out = NULL;
  if (k < 1 || k > 65536) {
    return elmo_error_set(err, ELMO_ERANGE, "top-k size %u is out of range 1..65536", k);
  }
  uint32_t nslots = 2;
  while (nslots < 2 * k) nslots *= 2;
  elmo_trace_topk *t = calloc(1, sizeof(*t));
  if (t == NULL || !topk_alloc(t, k, nslots)) {
    elmo_trace_topk_destroy(t);
    return elmo_error_set(err, ELMO_ENOMEM, "no memory for a top-%u summary", k);
  }
  t->k = k, t->mask = nslots - 1, t->bmin = NONE;
  for (uint32_t b = 0; b < k; b++) t->bnext[b] = (b + 1 < k) ? b + 1 : NONE;
  *out = t;
  return ELMO_OK;
}

static uint32_t slot_home(const elmo_trace_topk *t, uint64_t hash) {
  return (uint32_t)(hash >> 32) & t->mask;
}

/* The slot holding hash, or the empty slot where it would go. */
static uint32_t slot_find(const elmo_trace_topk *t, uint64_t hash) {
  uint32_t i = slot_home(t, hash);
  while (t->slots[i] != 0 && t->e[t->slots[i] - 1].hash != hash) i = (i + 1) & t->mask;
  return i;
}

/* Empties slot i, shifting later members of its probe run back (linear probing deletion). */
static void slot_remove(elmo_trace_topk *t, uint32_t i) {
  uint32_t j = i;
  for (;;) {
    j = (j + 1) & t->mask;
    if (t->slots[j] == 0) break;
    uint32_t home = slot_home(t, t->e[t->slots[j] - 1].hash);
    /* The member at j may move to i unless its home lies cyclically in (i, j]. */
    int stays = (i <= j) ? (home > i && home <= j) : (home > i || home <= j);
    if (!stays) {
      t->slots[i] = t->slots[j];
      i = j;
    }
  }
  t->slots[i] = 0;
}

/* A new bucket of the given count after bucket `after` (NONE: first in the list). */
static uint32_t bucket_new(elmo_trace_topk *t, uint64_t count, uint32_t after) {
  uint32_t b = t->bfree;
  t->bfree = t->bnext[b];
  t->bcount[b] = count, t->bhead[b] = NONE, t->bprev[b] = after;
  t->bnext[b] = (after == NONE) ? t->bmin : t->bnext[after];
  if (t->bnext[b] != NONE) t->bprev[t->bnext[b]] = b;
  if (after == NONE) {
    t->bmin = b;
  } else {
    t->bnext[after] = b;
  }
  return b;
}

static void bucket_free(elmo_trace_topk *t, uint32_t b) {
  if (t->bprev[b] != NONE) {
    t->bnext[t->bprev[b]] = t->bnext[b];
  } else {
    t->bmin = t->bnext[b];
  }
  if (t->bnext[b] != NONE) t->bprev[t->bnext[b]] = t->bprev[b];
  t->bnext[b] = t->bfree;
  t->bfree = b;
}

static void entry_push(elmo_trace_topk *t, uint32_t i, uint32_t b) {
  t->ebucket[i] = b, t->eprev[i] = NONE, t->enext[i] = t->bhead[b];
  if (t->bhead[b] != NONE) t->eprev[t->bhead[b]] = i;
  t->bhead[b] = i;
  t->e[i].count = t->bcount[b];
}

static void entry_pop(elmo_trace_topk *t, uint32_t i) {
  uint32_t b = t->ebucket[i];
  if (t->eprev[i] != NONE) {
    t->enext[t->eprev[i]] = t->enext[i];
  } else {
    t->bhead[b] = t->enext[i];
  }
  if (t->enext[i] != NONE) t->eprev[t->enext[i]] = t->eprev[i];
}

/* Moves entry i to the bucket of count + 1, making (or reusing) that bucket. */
static void entry_incr(elmo_trace_topk *t, uint32_t i) {
  uint32_t b = t->ebucket[i], nb = t->bnext[b];
  uint64_t c = t->bcount[b] + 1;
  int alone = t->bhead[b] == i && t->enext[i] == NONE;
  if (nb == NONE || t->bcount[nb] != c) {
    if (alone) {
      t->bcount[b] = c, t->e[i].count = c;
      return;
    }
    nb = bucket_new(t, c, b);
  }
  entry_pop(t, i);
  if (alone) bucket_free(t, b);
  entry_push(t, i, nb);
}

static void entry_set(elmo_trace_topk_entry *e, uint64_t hash, const char *key, size_t key_len,
                      uint64_t base) {
  size_t keep = key_len < ELMO_TRACE_KEY_PREFIX ? key_len : ELMO_TRACE_KEY_PREFIX;
  memset(e, 0, sizeof(*e));
  e->hash = hash;
  e->count = e->error = base;
  e->key_len = key_len;
  if (keep > 0) memcpy(e->key, key, keep);
}

void elmo_trace_topk_add(elmo_trace_topk *t, uint64_t hash, const char *key, size_t key_len) {
  uint32_t s = slot_find(t, hash);
  if (t->slots[s] != 0) {
    entry_incr(t, t->slots[s] - 1);
    return;
  }
  if (t->n < t->k) {
    uint32_t i = t->n++;
    entry_set(&t->e[i], hash, key, key_len, 0);
    int reuse = t->bmin != NONE && t->bcount[t->bmin] == 1;
    entry_push(t, i, reuse ? t->bmin : bucket_new(t, 1, NONE));
    t->slots[s] = i + 1;
    return;
  }
  uint32_t i = t->bhead[t->bmin]; /* any entry of the lowest count */
  slot_remove(t, slot_find(t, t->e[i].hash));
  entry_set(&t->e[i], hash, key, key_len, t->bcount[t->bmin]);
  t->slots[slot_find(t, hash)] = i + 1;
  entry_incr(t, i);
}

const elmo_trace_topk_entry *elmo_trace_topk_entries(const elmo_trace_topk *t, size_t *n) {
  *n = t->n;
  return t->e;
}
