// model_handles.h — what the model tests share: the owning handles of handles.h (Summary, Spec,
// Report) and the big-endian index keys their traces use.
#ifndef ELMO_TESTS_SUPPORT_MODEL_HANDLES_H
#define ELMO_TESTS_SUPPORT_MODEL_HANDLES_H

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "handles.h"

namespace elmo_test {

// Key `index` as `size` bytes: the index big-endian in the first 8, zeros after, so keys sort
// as their indexes do.
inline std::string KeyOf(uint64_t index, size_t size = 16) {
  std::string k(size, '\0');
  for (size_t i = 0; i < 8 && i < size; i++) k[i] = static_cast<char>((index >> (8 * (7 - i))) & 0xFF);
  return k;
}

}  // namespace elmo_test

#endif  // ELMO_TESTS_SUPPORT_MODEL_HANDLES_H
