// A reduction's results divided by a constant as each one is stored: a mean's
// `sum / n` (NumPy's _mean is add.reduce, then true_divide by the count),
// computed where the sum is stored instead of in a second pass that reads
// and writes every result again. Each result goes through the same IEEE
// division as in NumPy's separate divide, so the bits are the same.
#pragma once

#include "runtime/DType.h"

#include <cstdint>

namespace ravel {

struct ResultDivisor {
  /// The divisor, finite and >= 1 (so the division raises no floating-point
  /// warning and keeps every finite sum finite); 0 when results are stored
  /// as reduced.
  double value = 0;
  /// The dtype the division runs in: the result's own, or Float64 for a
  /// Float32 result (NumPy's 0-d mean divides the float32 scalar by a Python
  /// int in float64 and rounds back).
  DType in = DType::Float64;

  explicit operator bool() const { return value != 0; }
  double apply(double v) const { return v / value; }
  float apply(float v) const {
    return in == DType::Float32 ? v / float(value) : float(double(v) / value);
  }
};

/// Divides `count` contiguous float results of dtype `t` in place (a no-op
/// without a divisor).
inline void divideResults(char* data, int64_t count, DType t, const ResultDivisor& d) {
  if (!d) return;
  if (t == DType::Float64) {
    auto* p = reinterpret_cast<double*>(data);
    for (int64_t i = 0; i < count; ++i) p[i] = d.apply(p[i]);
  } else if (t == DType::Float32) {
    auto* p = reinterpret_cast<float*>(data);
    for (int64_t i = 0; i < count; ++i) p[i] = d.apply(p[i]);
  }
}

} // namespace ravel
