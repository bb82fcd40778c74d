// Blas: matrix products over strided arrays. Float operands go to OpenBLAS
// (cblas_?gemm, ?gemv, ?dot, ?ger) seen through their own memory: a
// transposed operand becomes a transpose flag and a row slice a leading
// dimension, so only an operand BLAS cannot describe (negative, zero or
// non-unit strides on both axes) is copied, and the report says which and
// why. Integer and bool products run a C++ kernel with NumPy's semantics
// (integers wrap; bool is the logical or of ands).
//
// OpenBLAS's threads follow ravel's pool size (RAVEL_NUM_THREADS), so the
// two never oversubscribe the cores.
#pragma once

#include "runtime/Array.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ravel::blas {

/// How row-major cblas sees a rows x cols matrix: its elements at
/// p[i*ld + j] (no transpose) or p[j*ld + i] (transposed).
struct MatrixLayout {
  bool describable = false;
  bool transposed = false;
  int64_t ld = 0;  // leading dimension, in elements
  std::string why; // when not describable: why it must be copied
};

/// The layout of a matrix with these byte strides, or why there is none.
MatrixLayout describeMatrix(int64_t rows, int64_t cols, int64_t rowStride, int64_t colStride,
                            int64_t itemSize);

/// What one product did, for explain.
struct ProductReport {
  std::string routine;             // "cblas_dgemm", "integer kernel", ...
  std::vector<std::string> copies; // "operand 0 copied: ..." per copied operand
  int64_t calls = 0;               // BLAS calls or kernel runs (one per batch element)
};

/// c = a @ b over the last two axes, looping over the leading (batch) axes.
/// a is (..., m, k), b (..., k, n), c (..., m, n); all three have the same
/// dtype and the same batch shape (broadcast batch axes have stride 0), and
/// c is fresh writeable memory that no operand overlaps. With `accumulate`,
/// c already holds an addend and the product is added to it (gemm's
/// beta = 1): `a @ b + c` with no separate pass over the result.
void matmul(const Array& a, const Array& b, const Array& c, ProductReport& report,
            bool accumulate = false);

/// What matmul will run for a batch of m x k by k x n products of this
/// dtype, as explain states it before anything runs ("cblas_dgemm",
/// "cblas_dgemv x8 (one per batch element)", "integer kernel ...").
std::string plannedRoutine(DType dtype, int64_t m, int64_t n, int64_t k, int64_t batch);

/// Sets OpenBLAS's thread count to the threads the calling thread may use
/// (ravel's pool size, or an embedded Engine's `threads` option); called
/// before every product, and by benchmarks that call cblas directly.
void syncThreads();

} // namespace ravel::blas
