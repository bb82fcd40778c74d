#include "runtime/Blas.h"

#include "runtime/ExactProduct.h"
#include "runtime/ThreadPool.h"

#include <cblas.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <string_view>
#include <type_traits>

namespace ravel::blas {

MatrixLayout describeMatrix(int64_t rows, int64_t cols, int64_t rowStride, int64_t colStride,
                            int64_t itemSize) {
  MatrixLayout l;
  // Row-major, no transpose: unit steps along a row, rows ld elements apart
  // with ld >= cols (BLAS's rule). A length-1 axis may have any stride.
  if (cols <= 1 || colStride == itemSize) {
    int64_t ld = rows <= 1
                     ? std::max<int64_t>(1, cols)
                     : (rowStride > 0 && rowStride % itemSize == 0 ? rowStride / itemSize : 0);
    if (ld >= std::max<int64_t>(1, cols)) {
      l.describable = true;
      l.ld = ld;
      return l;
    }
  }
  // Transposed: unit steps down a column (a `.T` of a row-major matrix).
  if (rows <= 1 || rowStride == itemSize) {
    int64_t ld = cols <= 1
                     ? std::max<int64_t>(1, rows)
                     : (colStride > 0 && colStride % itemSize == 0 ? colStride / itemSize : 0);
    if (ld >= std::max<int64_t>(1, rows)) {
      l.describable = l.transposed = true;
      l.ld = ld;
      return l;
    }
  }
  const bool rowsMove = rows > 1, colsMove = cols > 1;
  if ((rowsMove && rowStride < 0) || (colsMove && colStride < 0))
    l.why = "negative stride";
  else if ((rowsMove && rowStride == 0) || (colsMove && colStride == 0))
    l.why = "zero stride (broadcast)";
  else if (colStride == itemSize || rowStride == itemSize)
    l.why = "rows overlap (leading dimension shorter than a row)";
  else
    l.why = "no axis with unit stride";
  return l;
}

namespace {
// OpenBLAS's thread count is process-wide. Setting it costs a lock inside
// OpenBLAS, so the last value set is remembered and only a change is made.
// Engines on two threads with different limits may race here; that changes
// how many threads a product uses, never its result (OpenBLAS splits the
// output, not the sum).
std::mutex blasThreadsMutex;
int blasThreads = 0;

void setBlasThreads(int n) {
  std::lock_guard<std::mutex> lock(blasThreadsMutex);
  if (n == blasThreads) return;
  openblas_set_num_threads(n);
  blasThreads = n;
}
} // namespace

void syncThreads() {
  setBlasThreads(ThreadPool::global().usable());
}

namespace {

// The four cblas routines, by element type.
void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int64_t m, int64_t n, int64_t k, const double* a,
          int64_t lda, const double* b, int64_t ldb, double beta, double* c, int64_t ldc) {
  cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, 1.0, a, lda, b, ldb, beta, c, ldc);
}
void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int64_t m, int64_t n, int64_t k, const float* a,
          int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1.0f, a, lda, b, ldb, beta, c, ldc);
}
void gemv(CBLAS_TRANSPOSE t, int64_t m, int64_t n, const double* a, int64_t lda, const double* x,
          int64_t incx, double beta, double* y, int64_t incy) {
  cblas_dgemv(CblasRowMajor, t, m, n, 1.0, a, lda, x, incx, beta, y, incy);
}
void gemv(CBLAS_TRANSPOSE t, int64_t m, int64_t n, const float* a, int64_t lda, const float* x,
          int64_t incx, float beta, float* y, int64_t incy) {
  cblas_sgemv(CblasRowMajor, t, m, n, 1.0f, a, lda, x, incx, beta, y, incy);
}
double dot(int64_t n, const double* x, int64_t incx, const double* y, int64_t incy) {
  return cblas_ddot(n, x, incx, y, incy);
}
float dot(int64_t n, const float* x, int64_t incx, const float* y, int64_t incy) {
  return cblas_sdot(n, x, incx, y, incy);
}
void ger(int64_t m, int64_t n, const double* x, int64_t incx, const double* y, int64_t incy,
         double* a, int64_t lda) {
  cblas_dger(CblasRowMajor, m, n, 1.0, x, incx, y, incy, a, lda);
}
void ger(int64_t m, int64_t n, const float* x, int64_t incx, const float* y, int64_t incy, float* a,
         int64_t lda) {
  cblas_sger(CblasRowMajor, m, n, 1.0f, x, incx, y, incy, a, lda);
}

const char* prefix(double) {
  return "cblas_d";
}
const char* prefix(float) {
  return "cblas_s";
}

/// The shape and strides of one 2-d operand of a product.
struct Core {
  int64_t rows, cols, rowStride, colStride;
};

Core coreOf(const Array& x) {
  const int nd = x.ndim();
  return {x.shape()[nd - 2], x.shape()[nd - 1], x.strides()[nd - 2], x.strides()[nd - 1]};
}

/// The routine floatProduct picks for a shape (one place decides).
const char* routineFor(int64_t m, int64_t n, int64_t k) {
  if (k == 0) return "fill";
  if (m == 1 && n == 1) return "dot";
  if (n == 1 || m == 1) return "gemv";
  if (k == 1) return "ger";
  return "gemm";
}

/// One float product c = a @ b through the routine that fits its shape.
/// a and b are describable; c is row-major with leading dimension ldc.
template <typename T>
const char* floatProduct(const char* ap, const MatrixLayout& la, const char* bp,
                         const MatrixLayout& lb, char* cp, int64_t ldc, int64_t m, int64_t n,
                         int64_t k, bool accumulate) {
  const T beta = accumulate ? T(1) : T(0);
  const T* a = reinterpret_cast<const T*>(ap);
  const T* b = reinterpret_cast<const T*>(bp);
  T* c = reinterpret_cast<T*>(cp);
  // Steps along a's row / b's column / a's column / b's row, from the layouts.
  const int64_t aRowInc = la.transposed ? la.ld : 1, bColInc = lb.transposed ? 1 : lb.ld;
  const int64_t aColInc = la.transposed ? 1 : la.ld, bRowInc = lb.transposed ? lb.ld : 1;
  const CBLAS_TRANSPOSE ta = la.transposed ? CblasTrans : CblasNoTrans;
  const CBLAS_TRANSPOSE tb = lb.transposed ? CblasTrans : CblasNoTrans;
  const char* routine = routineFor(m, n, k);
  const std::string_view r = routine;
  if (r == "fill") { // a sum of nothing: zeros, or the addend unchanged
    if (!accumulate)
      for (int64_t i = 0; i < m; ++i) std::fill(c + i * ldc, c + i * ldc + n, T(0));
  } else if (r == "dot") {
    const T d = dot(k, a, aRowInc, b, bColInc);
    c[0] = accumulate ? c[0] + d : d;
  } else if (r == "gemv" && n == 1) { // y = A x: A as stored (m x k, or k x m transposed)
    if (la.transposed)
      gemv(CblasTrans, k, m, a, la.ld, b, bColInc, beta, c, ldc);
    else
      gemv(CblasNoTrans, m, k, a, la.ld, b, bColInc, beta, c, ldc);
  } else if (r == "gemv") { // m == 1: y = B^T x
    if (lb.transposed)
      gemv(CblasNoTrans, n, k, b, lb.ld, a, aRowInc, beta, c, 1);
    else
      gemv(CblasTrans, k, n, b, lb.ld, a, aRowInc, beta, c, 1);
  } else if (r == "ger") { // an outer product: C = 0 (or the addend), then C += x y^T
    if (!accumulate)
      for (int64_t i = 0; i < m; ++i) std::fill(c + i * ldc, c + i * ldc + n, T(0));
    ger(m, n, a, aColInc, b, bRowInc, c, ldc);
  } else {
    gemm(ta, tb, m, n, k, a, la.ld, b, lb.ld, beta, c, ldc);
  }
  return routine;
}

/// Walks the batch elements of a product (the leading axes, in C order),
/// giving each operand's byte offset. No per-element tables: a stack of
/// 10^4 tiny products would allocate and free them on every call, and a
/// free on a worker thread's malloc arena trims it with madvise (a TLB
/// flush), measured at a quarter of such a product's time.
class BatchCursor {
public:
  BatchCursor(const Array& a, const Array& b, const Array& c, int64_t first)
      : nb_(c.ndim() - 2), shape_(c.shape().begin(), c.shape().begin() + nb_), index_(size_t(nb_)) {
    for (const Array* x : {&a, &b, &c})
      strides_.push_back(Strides(x->strides().begin(), x->strides().begin() + nb_));
    for (int d = nb_ - 1; d >= 0; --d) { // unravel `first`
      index_[size_t(d)] = first % shape_[size_t(d)];
      first /= shape_[size_t(d)];
      for (int o = 0; o < 3; ++o) offset_[o] += index_[size_t(d)] * strides_[size_t(o)][size_t(d)];
    }
  }
  /// Operand o's (0: a, 1: b, 2: c) offset at the current element.
  int64_t offset(int o) const { return offset_[o]; }
  void next() {
    for (int d = nb_ - 1; d >= 0; --d) {
      const size_t u = size_t(d);
      if (++index_[u] < shape_[u]) {
        for (int o = 0; o < 3; ++o) offset_[o] += strides_[size_t(o)][u];
        return;
      }
      for (int o = 0; o < 3; ++o) offset_[o] -= (shape_[u] - 1) * strides_[size_t(o)][u];
      index_[u] = 0;
    }
  }

private:
  int nb_;
  Shape shape_;
  std::vector<int64_t> index_;
  std::vector<Strides> strides_;
  int64_t offset_[3] = {0, 0, 0};
};

/// How many products a stack of c holds.
int64_t batchCount(const Array& c) {
  int64_t count = 1;
  for (int d = 0; d < c.ndim() - 2; ++d) count *= c.shape()[size_t(d)];
  return count;
}

/// Products of at most this many multiply-adds count as small: one call
/// costs about as much as waking OpenBLAS's threads for it.
constexpr int64_t kSmallProductFlops = int64_t(128) * 128 * 128;
/// Below this, concurrent calls contend inside OpenBLAS (its per-call
/// buffer lock): 10000 products of 8x8 took 7.9 ms split over 2 threads
/// against 1.7 ms on one (measured).
constexpr int64_t kTinyProductFlops = int64_t(32) * 32 * 32;
/// A batch of small products is split over the pool from this much work
/// (multiply-adds in all): below it a worker's wake-up costs more.
constexpr int64_t kBatchSplitWork = int64_t(1) << 18;

template <typename T>
void floatMatmul(const Array& a0, const Array& b0, const Array& c, ProductReport& report,
                 bool accumulate) {
  Array a = a0, b = b0;
  const Core c0 = coreOf(c);
  const int64_t m = c0.rows, n = c0.cols, k = coreOf(a).cols;
  MatrixLayout la = describeMatrix(m, k, coreOf(a).rowStride, coreOf(a).colStride, sizeof(T));
  MatrixLayout lb = describeMatrix(k, n, coreOf(b).rowStride, coreOf(b).colStride, sizeof(T));
  if (!la.describable) {
    report.copies.push_back("operand 0 copied: " + la.why);
    a = a.copy();
    la = describeMatrix(m, k, coreOf(a).rowStride, coreOf(a).colStride, sizeof(T));
  }
  if (!lb.describable) {
    report.copies.push_back("operand 1 copied: " + lb.why);
    b = b.copy();
    lb = describeMatrix(k, n, coreOf(b).rowStride, coreOf(b).colStride, sizeof(T));
  }
  const MatrixLayout lc = describeMatrix(m, n, c0.rowStride, c0.colStride, sizeof(T));
  if (!lc.describable || lc.transposed)
    throw RuntimeError(ErrorKind::Runtime, "matmul: the result is not row-major");
  const size_t count = size_t(batchCount(c));
  const char* routine = "fill";
  if (m > 0 && n > 0) {
    syncThreads();
    auto run = [&](size_t first, size_t last) {
      const char* r = "fill";
      BatchCursor at(a, b, c, int64_t(first));
      for (size_t e = first; e < last; ++e, at.next())
        r = floatProduct<T>(a.data() + at.offset(0), la, b.data() + at.offset(1), lb,
                            c.data() + at.offset(2), lc.ld, m, n, k, accumulate);
      return r;
    };
    ThreadPool& pool = ThreadPool::global();
    const int parts = int(std::min<size_t>(size_t(pool.usable()), count));
    if (parts > 1 && m * n * k <= kSmallProductFlops && m * n * k >= kTinyProductFlops &&
        int64_t(count) * m * n * std::max<int64_t>(k, 1) >= kBatchSplitWork) {
      // A stack of small products: OpenBLAS would run each call on one
      // thread anyway (or pay its thread wake-up per call), so the batch is
      // split over ravel's pool, one single-threaded BLAS call at a time per
      // worker, and OpenBLAS's own threads are back afterwards.
      setBlasThreads(1);
      pool.parallelFor(parts, [&](int p) {
        run(count * size_t(p) / size_t(parts), count * size_t(p + 1) / size_t(parts));
      });
      setBlasThreads(pool.usable());
      routine = routineFor(m, n, k);
    } else {
      routine = run(0, count);
    }
  }
  report.routine = std::string(prefix(T())) + routine;
  report.calls = int64_t(count);
}

/// Integer and bool products (ExactProduct): one blocked kernel run per
/// batch element.
void exactMatmul(const Array& a, const Array& b, const Array& c, ProductReport& report,
                 bool accumulate) {
  const int64_t count = batchCount(c);
  const Core ca = coreOf(a), cb = coreOf(b), cc = coreOf(c);
  if (cc.rows > 0 && cc.cols > 0) {
    BatchCursor at(a, b, c, 0);
    for (int64_t e = 0; e < count; ++e, at.next())
      exactProduct(c.dtype(),
                   {a.data() + at.offset(0), ca.rows, ca.cols, ca.rowStride, ca.colStride},
                   {b.data() + at.offset(1), cb.rows, cb.cols, cb.rowStride, cb.colStride},
                   c.data() + at.offset(2), cc.rowStride, cc.colStride, accumulate);
  }
  report.routine = c.dtype() == DType::Bool ? "bool kernel (or of ands)"
                                            : "integer kernel (wrapping, like NumPy)";
  report.calls = count;
}

} // namespace

std::string plannedRoutine(DType dtype, int64_t m, int64_t n, int64_t k, int64_t batch) {
  std::string r;
  if (batch * m * n == 0)
    r = "nothing to compute (empty result)";
  else if (dtype == DType::Bool)
    r = "bool kernel (or of ands)";
  else if (isInteger(dtype))
    r = "integer kernel (wrapping, like NumPy)";
  else
    r = std::string(dtype == DType::Float64 ? "cblas_d" : "cblas_s") + routineFor(m, n, k);
  if (batch > 1 && batch * m * n > 0)
    r += " x" + std::to_string(batch) + " (one per batch element)";
  return r;
}

void matmul(const Array& a, const Array& b, const Array& c, ProductReport& report,
            bool accumulate) {
  if (a.ndim() < 2 || a.ndim() != b.ndim() || a.ndim() != c.ndim() || a.dtype() != b.dtype() ||
      a.dtype() != c.dtype())
    throw RuntimeError(ErrorKind::Runtime, "matmul: operands of mismatched rank or dtype");
  if (c.size() == 0) {
    report.routine = "nothing to compute (empty result)";
    return;
  }
  switch (c.dtype()) {
    case DType::Float64:
      return floatMatmul<double>(a, b, c, report, accumulate);
    case DType::Float32:
      return floatMatmul<float>(a, b, c, report, accumulate);
    case DType::Int64:
    case DType::Int32:
    case DType::Bool:
      return exactMatmul(a, b, c, report, accumulate);
  }
}

} // namespace ravel::blas
