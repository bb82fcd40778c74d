// Float sums of many short rows, computed across rows: the reduction behind
// `sliding_window_view(x, w).sum(axis=1)` / `.mean(axis=1)` and any sum over
// a short inner axis (w <= 128) with many outputs.
//
// Each output is NumPy 1.24's value bit for bit: 0.0 + pairwise_sum(row),
// where a row of at most 128 elements is one pairwise leaf:
//   n < 8:  ((-0.0 + a0) + a1) + ...
//   n >= 8: eight accumulators r[j] = a[j] + a[j+8] + ... over the first
//           n - n % 8 elements, folded ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)),
//           then the n % 8 tail added in order.
// Only the order across outputs changes: neighbouring outputs are vector
// lanes, so each step is one vector add over a block of outputs instead of
// one kernel call per output (the same IEEE operations per output).
#pragma once

#include "runtime/DType.h"

#include <cstdint>

namespace ravel {

/// Longest row sumShortRows takes (NumPy's PW_BLOCKSIZE: one pairwise leaf).
constexpr int64_t kShortRowMax = 128;

/// out[r] = NumPy's sum of row r, for r in [0, count): row r's element k is
/// at base + r * rowStep + k * elemStride. `t` is Float32 or Float64, the
/// dtype of both the elements and out (contiguous); 0 < length <= 128.
/// A nonzero `divisor` divides each sum as it is stored, in `t` (a mean's
/// count, see ResultDivisor.h); 0 stores the sums.
void sumShortRows(DType t, const char* base, int64_t count, int64_t rowStep, int64_t length,
                  int64_t elemStride, double divisor, char* out);

} // namespace ravel
