// status_glue.h — the glue's one converter from a RocksDB Status to the core's elmo_rc and
// elmo_error (elmo/elmo.h), for the engine services the C core calls (catalog_glue.cc,
// tuned_overlay.cc).

#pragma once

#include "elmo/elmo.h"
#include "rocksdb/status.h"

// ELMo's glue is private to librocksdb: none of it is exported (tests/dropin/check_exports.sh).
#pragma GCC visibility push(hidden)

namespace ROCKSDB_NAMESPACE {

// ELMO_OK when s is ok. Otherwise returns the code, ELMO_ENOTFOUND for NotFound, ELMO_EIO for
// IOError and ELMO_EINVAL for the rest, and sets *err (when non-null) to it with the message
// "WHAT: STATUS" (just "STATUS" when what is null).
inline elmo_rc ElmoFromStatus(const Status& s, elmo_error* err, const char* what = nullptr) {
  if (s.ok()) return ELMO_OK;
  const elmo_rc rc = s.IsNotFound() ? ELMO_ENOTFOUND : s.IsIOError() ? ELMO_EIO : ELMO_EINVAL;
  if (what == nullptr) return elmo_error_set(err, rc, "%s", s.ToString().c_str());
  return elmo_error_set(err, rc, "%s: %s", what, s.ToString().c_str());
}

}  // namespace ROCKSDB_NAMESPACE

#pragma GCC visibility pop
