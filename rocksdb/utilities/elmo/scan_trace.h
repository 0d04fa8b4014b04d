// scan_trace.h — scan lengths for elmo_trace: DBIter (patches/0010) counts the Next()/Prev()
// calls that follow each traced Seek and hands the count to the trace's side file
// (trace_capture.cc; the format is in elmo/trace.h).
//
// Cost for iterators of a DB that is not traced: an increment per Next/Prev and a thread-local
// write and read around each Seek. Only a seek that was traced takes a mutex, once, when its
// scan ends (the iterator seeks again or is destroyed).

#pragma once

#include <cstdint>

#include "rocksdb/rocksdb_namespace.h"

namespace ROCKSDB_NAMESPACE {

// A member of DBIter, a class of default visibility, so the class keeps it too; its functions are
// private to librocksdb like the rest of the glue (tests/dropin/check_exports.sh).
#define ELMO_GLUE_PRIVATE __attribute__((visibility("hidden")))

class ElmoScanTrace {
 public:
  ElmoScanTrace() = default;
  ElmoScanTrace(const ElmoScanTrace&) = delete;
  ElmoScanTrace& operator=(const ElmoScanTrace&) = delete;
  ~ElmoScanTrace() { End(); }

  void Moved() { moves_++; }
  // Around DBImpl::TraceIteratorSeek*: ends the previous traced seek's scan; then picks up the
  // record the trace writer just wrote on this thread, if it wrote one.
  ELMO_GLUE_PRIVATE void BeforeSeek();
  ELMO_GLUE_PRIVATE void AfterSeek();
  // Ends the scan (SeekToFirst/SeekToLast, which are not traced, and the destructor).
  ELMO_GLUE_PRIVATE void End();

 private:
  uint64_t token_ = 0;  // the traced seek's writer and record (0: the last seek was not traced)
  uint64_t moves_ = 0;
};

}  // namespace ROCKSDB_NAMESPACE
