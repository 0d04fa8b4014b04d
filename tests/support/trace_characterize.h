// trace_characterize.h — what the trace and model tests share: a trace's bytes through the
// streaming reader and the summary (trace.h), as one owned elmo_trace_summary.
#ifndef ELMO_TESTS_SUPPORT_TRACE_CHARACTERIZE_H
#define ELMO_TESTS_SUPPORT_TRACE_CHARACTERIZE_H

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>

#include "elmo/trace.h"
#include "handles.h"

namespace elmo_test {

// Reads every record of bytes into a summary with window_sec windows and, when exact_keys is not
// 0, that per-key limit. Failures are test failures (the result may then be empty).
inline Summary CharacterizeTrace(const std::string& bytes, uint32_t window_sec = 1,
                                 uint32_t exact_keys = 0) {
  elmo_error err;
  elmo_trace_reader* r = nullptr;
  EXPECT_EQ(elmo_trace_reader_open_mem(bytes.data(), bytes.size(), nullptr, &r, &err), ELMO_OK)
      << err.message;
  elmo_trace_stats_config cfg;
  elmo_trace_stats_config_default(&cfg);
  cfg.window_sec = window_sec;
  if (exact_keys) cfg.exact_key_limit = exact_keys;
  elmo_trace_stats* s = nullptr;
  EXPECT_EQ(elmo_trace_stats_create(&cfg, &s, &err), ELMO_OK) << err.message;
  elmo_trace_op op;
  while (r != nullptr && s != nullptr && elmo_trace_reader_next(r, &op, &err) == ELMO_OK &&
         op.kind != ELMO_TRACE_END) {
    EXPECT_EQ(elmo_trace_stats_add(s, &op, &err), ELMO_OK) << err.message;
  }
  elmo_trace_summary* sum = nullptr;
  if (s != nullptr) EXPECT_EQ(elmo_trace_stats_summarize(s, &sum, &err), ELMO_OK) << err.message;
  elmo_trace_stats_destroy(s);
  elmo_trace_reader_destroy(r);
  return Summary(sum);
}

}  // namespace elmo_test

#endif  // ELMO_TESTS_SUPPORT_TRACE_CHARACTERIZE_H
