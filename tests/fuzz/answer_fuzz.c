/* answer_fuzz.c — libFuzzer target for answer extraction and value parsing.
 *
 *   clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -I elmo/include \
 *     tests/fuzz/answer_fuzz.c elmo/src/base/error.c elmo/src/options/value.c elmo/src/advice/answer*.c -o answer_fuzz
 *   ./answer_fuzz -max_total_time=60 tests/fixtures/answers
 *
 * Every input must give ELMO_OK or ELMO_EPARSE from elmo_answer_extract, a list whose entries
 * respect the documented limits, and no sanitizer report anywhere. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "elmo/answer.h"
#include "elmo/value.h"

static const char *const kCompression[] = {
    "kNoCompression", "kSnappyCompression", "kZlibCompression", "kBZip2Compression",
    "kLZ4Compression", "kLZ4HCCompression", "kXpressCompression", "kZSTD",
    "kZSTDNotFinalCompression", "kDisableCompressionOption"};

/* Runs every value reader on one NUL-terminated text. */
static void parse_values(const char *s) {
  int64_t i;
  uint64_t u;
  double d;
  int b;
  const char *m;
  elmo_error err;
  elmo_value_parse_int(s, &i, &err);
  elmo_value_parse_uint(s, &u, &err);
  elmo_value_parse_double(s, &d, &err);
  elmo_value_parse_bool(s, &b, &err);
  elmo_value_match_enum(s, kCompression, sizeof(kCompression) / sizeof(kCompression[0]), &m, &err);
  if (strlen(s) <= 256) elmo_value_edit_distance(s, "max_background_jobs");
}

static void check_list(const elmo_assignment_list *list) {
  if (list->count == 0 || list->chosen_block < 0 || list->chosen_block >= list->blocks_seen)
    abort();
  for (size_t k = 0; k < list->count; k++) {
    const elmo_assignment *a = &list->items[k];
    size_t kn = strlen(a->key);
    if (kn == 0 || kn > 128 || a->value[0] == '\0' || strlen(a->value) > 65536) abort();
    if ((unsigned)a->section > ELMO_HINT_TABLE || (unsigned)a->origin > ELMO_ORIGIN_TABLE) abort();
    if (a->line < 1 || a->block != list->chosen_block) abort();
    parse_values(a->value);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  elmo_assignment_list *list = NULL;
  elmo_error err;
  elmo_rc rc = elmo_answer_extract((const char *)data, size, &list, &err);
  if (rc == ELMO_OK) {
    check_list(list);
  } else if (rc != ELMO_EPARSE || list != NULL || err.code != rc) {
    abort();
  }
  elmo_assignment_list_destroy(list);

  char *s = malloc(size + 1);
  if (s == NULL) return 0;
  memcpy(s, data, size);
  s[size] = '\0';
  parse_values(s);
  free(s);

  uint64_t bytes = 0;
  memcpy(&bytes, data, size < sizeof(bytes) ? size : sizeof(bytes));
  char buf[32];
  elmo_value_format_bytes(bytes, buf, (size % sizeof(buf)) + 1);
  return 0;
}
