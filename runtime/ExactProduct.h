// ExactProduct: integer and bool matrix products with NumPy's results
// (integers wrap in their own width, bool is the logical or of ands), as a
// cache-blocked, register-tiled SIMD kernel. Integer addition modulo 2^w is
// associative, so the blocking may reorder the sums freely and the result is
// still NumPy's, bit for bit.
#pragma once

#include "runtime/DType.h"

#include <cstdint>

namespace ravel::blas {

/// One 2-d operand: its first element and its byte strides.
struct StridedMatrix {
  const char* data;
  int64_t rows, cols, rowStride, colStride;
};

/// c = a @ b (m x k by k x n), or c += a @ b with `accumulate`; t is Int32,
/// Int64 or Bool (elements of c are written through cRowStride/cColStride).
/// Splits the rows of c over ravel's pool when the product is large.
void exactProduct(DType t, const StridedMatrix& a, const StridedMatrix& b, char* c,
                  int64_t cRowStride, int64_t cColStride, bool accumulate);

} // namespace ravel::blas
