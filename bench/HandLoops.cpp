// Baseline loops for the benchmarks (see HandLoops.h).
#include "HandLoops.h"

#include <cmath>

namespace ravel::bench {

void handHypot(const double* __restrict x, const double* __restrict y, double* __restrict out,
               int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = std::sqrt(x[i] * x[i] + y[i] * y[i]);
}

double handSumSerial(const double* __restrict x, int64_t n) {
  double s = 0;
  for (int64_t i = 0; i < n; ++i) s += x[i];
  return s;
}

double handSumUnrolled(const double* __restrict x, int64_t n) {
  constexpr int kLanes = 16;
  double acc[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int k = 0; k < kLanes; ++k) acc[k] += x[i + k];
  double s = 0;
  for (int k = 0; k < kLanes; ++k) s += acc[k];
  for (; i < n; ++i) s += x[i];
  return s;
}

} // namespace ravel::bench
