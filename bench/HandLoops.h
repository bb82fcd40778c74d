// Hand-written C++ loops, the baselines for bench/BenchKernels.cpp. Compiled
// in their own translation unit with -O3 -march=native -fno-math-errno.
#pragma once

#include <cstdint>

namespace ravel::bench {

/// out[i] = sqrt(x[i]^2 + y[i]^2)
void handHypot(const double* x, const double* y, double* out, int64_t n);
/// Serial sum, as written: does not vectorize without -ffast-math.
double handSumSerial(const double* x, int64_t n);
/// Sum with 16 independent accumulators, the hand-vectorizable form.
double handSumUnrolled(const double* x, int64_t n);

} // namespace ravel::bench
