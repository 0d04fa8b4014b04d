// handles.h — owning handles for the core's objects in tests: one unique_ptr type per object,
// destroyed with the core's own _destroy function, and Take for the strings it returns.
#ifndef ELMO_TESTS_SUPPORT_HANDLES_H
#define ELMO_TESTS_SUPPORT_HANDLES_H

#include <memory>
#include <string>

#include "elmo/elmo.h"
#include "elmo/model.h"
#include "elmo/optfile.h"
#include "elmo/spec.h"
#include "elmo/trace.h"

namespace elmo_test {

// Calls Destroy on what a Handle owns.
template <typename T, void (*Destroy)(T*)>
struct Destroyer {
  void operator()(T* p) const { Destroy(p); }
};
template <typename T, void (*Destroy)(T*)>
using Handle = std::unique_ptr<T, Destroyer<T, Destroy>>;

using Optfile = Handle<elmo_optfile, elmo_optfile_destroy>;
using Spec = Handle<elmo_spec, elmo_spec_destroy>;
using Stats = Handle<elmo_trace_stats, elmo_trace_stats_destroy>;
using Summary = Handle<elmo_trace_summary, elmo_trace_summary_destroy>;
using Report = Handle<elmo_model_report, elmo_model_report_destroy>;

// A string the core returned, as a std::string ("<NULL>" for NULL); frees it (elmo_free).
inline std::string Take(char* s) {
  std::string out = s != nullptr ? s : "<NULL>";
  elmo_free(s);
  return out;
}

}  // namespace elmo_test

#endif  // ELMO_TESTS_SUPPORT_HANDLES_H
