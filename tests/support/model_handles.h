// model_handles.h — what the model tests share: owning handles for the summaries, specs and
// reports they make (trace.h, spec.h, model.h), and the big-endian index keys their traces use.
#ifndef ELMO_TESTS_SUPPORT_MODEL_HANDLES_H
#define ELMO_TESTS_SUPPORT_MODEL_HANDLES_H

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "elmo/model.h"
#include "elmo/trace.h"

namespace elmo_test {

struct SummaryDeleter {
  void operator()(elmo_trace_summary* s) const { elmo_trace_summary_destroy(s); }
};
struct SpecDeleter {
  void operator()(elmo_spec* s) const { elmo_spec_destroy(s); }
};
struct ReportDeleter {
  void operator()(elmo_model_report* r) const { elmo_model_report_destroy(r); }
};
using Summary = std::unique_ptr<elmo_trace_summary, SummaryDeleter>;
using Spec = std::unique_ptr<elmo_spec, SpecDeleter>;
using Report = std::unique_ptr<elmo_model_report, ReportDeleter>;

// Key `index` as `size` bytes: the index big-endian in the first 8, zeros after, so keys sort
// as their indexes do.
inline std::string KeyOf(uint64_t index, size_t size = 16) {
  std::string k(size, '\0');
  for (size_t i = 0; i < 8 && i < size; i++) k[i] = static_cast<char>((index >> (8 * (7 - i))) & 0xFF);
  return k;
}

}  // namespace elmo_test

#endif  // ELMO_TESTS_SUPPORT_MODEL_HANDLES_H
