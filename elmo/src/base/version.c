/* version.c — tells ELMo's library apart from Debian's. */
#include "elmo/elmo.h"

#define ELMO_VERSION_STRING "0.1.0"
#define ELMO_ROCKSDB_BASE "7.8.3"

const char *elmo_version(void) {
  return ELMO_VERSION_STRING " (RocksDB " ELMO_ROCKSDB_BASE ")";
}
