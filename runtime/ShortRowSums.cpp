// sumShortRows: see ShortRowSums.h for the order it reproduces.
#include "runtime/ShortRowSums.h"

#include "runtime/Error.h"
#include "runtime/VectorClones.h"

#include <algorithm>
#include <cstring>

namespace ravel {

namespace {

/// Rows per block: the eight accumulator vectors of a block stay in L1.
constexpr int64_t kBlock = 64;

/// One block of n <= kBlock rows. With kUnitRows the rows start one element
/// apart (windows of one array), so each step's loads are contiguous. A full
/// block has a constant trip count, which GCC's -O2 cost model needs before
/// it vectorizes the loops over rows.
template <class T, bool kUnitRows, bool kFull, bool kDivide>
[[gnu::always_inline]] inline void sumBlock(const char* base, int64_t rows, int64_t rowStep,
                                            int64_t length, int64_t elemStride, T divisor, T* out) {
  const int64_t n = kFull ? kBlock : rows;
  const int64_t step = kUnitRows ? int64_t(sizeof(T)) : rowStep;
  auto column = [&](int64_t k) { return base + k * elemStride; };
  auto at = [&](const char* col, int64_t r) { return *reinterpret_cast<const T*>(col + r * step); };
  T res[kBlock];
  int64_t k = 0;
  if (length < 8) {
    for (int64_t r = 0; r < n; ++r) res[r] = T(-0.0);
  } else {
    T acc[8][kBlock];
    for (int j = 0; j < 8; ++j) {
      const char* col = column(j);
      for (int64_t r = 0; r < n; ++r) acc[j][r] = at(col, r);
    }
    const int64_t body = length & ~int64_t(7);
    for (k = 8; k < body; k += 8)
      for (int j = 0; j < 8; ++j) {
        const char* col = column(k + j);
        for (int64_t r = 0; r < n; ++r) acc[j][r] += at(col, r);
      }
    for (int64_t r = 0; r < n; ++r)
      res[r] = ((acc[0][r] + acc[1][r]) + (acc[2][r] + acc[3][r])) +
               ((acc[4][r] + acc[5][r]) + (acc[6][r] + acc[7][r]));
  }
  for (; k < length; ++k) {
    const char* col = column(k);
    for (int64_t r = 0; r < n; ++r) res[r] += at(col, r);
  }
  for (int64_t r = 0; r < n; ++r) {
    const T sum = T(0) + res[r];
    out[r] = kDivide ? sum / divisor : sum;
  }
}

/// Rows one element apart (windows of one array), 32 bytes of them at a
/// time with the eight accumulators in registers: each step is one
/// unaligned vector load and add per accumulator, where sumBlock's
/// accumulators, a block of 64 rows each, go through memory (L1) on every
/// step. The same operations per row as sumBlock. Returns the rows done (a
/// multiple of the vector's lanes); sumBlock takes the rest.
template <class T, bool kDivide>
[[gnu::always_inline]] inline int64_t sumUnitRowsInRegisters(const char* base, int64_t count,
                                                             int64_t length, int64_t elemStride,
                                                             T divisor, T* out) {
  typedef T Lanes __attribute__((vector_size(32)));
  constexpr int64_t kLanes = int64_t(32 / sizeof(T));
  // (Loads through a reference: a lambda returning a 32-byte vector would
  // change its ABI in the baseline clone.)
  auto load = [&](Lanes& v, const char* rows, int64_t k) {
    std::memcpy(&v, rows + k * elemStride, sizeof v);
  };
  int64_t r0 = 0;
  for (; r0 + kLanes <= count; r0 += kLanes) {
    const char* rows = base + r0 * int64_t(sizeof(T));
    Lanes res;
    int64_t k = 0;
    if (length < 8) {
      res = -Lanes{}; // -0.0 in every lane
    } else {
      Lanes acc[8];
      for (int j = 0; j < 8; ++j) load(acc[j], rows, j);
      const int64_t body = length & ~int64_t(7);
      for (k = 8; k < body; k += 8)
        for (int j = 0; j < 8; ++j) {
          Lanes v;
          load(v, rows, k + j);
          acc[j] += v;
        }
      res = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    }
    for (; k < length; ++k) {
      Lanes v;
      load(v, rows, k);
      res += v;
    }
    Lanes sum = Lanes{} + res; // 0.0 + res: -0.0 becomes +0.0
    if (kDivide) sum /= divisor;
    std::memcpy(out + r0, &sum, sizeof sum);
  }
  return r0;
}

template <class T, bool kUnitRows, bool kDivide>
[[gnu::always_inline]] inline void sumRows(const char* base, int64_t count, int64_t rowStep,
                                           int64_t length, int64_t elemStride, T divisor, T* out) {
  int64_t r0 = 0;
  if (kUnitRows)
    r0 = sumUnitRowsInRegisters<T, kDivide>(base, count, length, elemStride, divisor, out);
  for (; r0 + kBlock <= count; r0 += kBlock)
    sumBlock<T, kUnitRows, true, kDivide>(base + r0 * rowStep, kBlock, rowStep, length, elemStride,
                                          divisor, out + r0);
  if (r0 < count)
    sumBlock<T, kUnitRows, false, kDivide>(base + r0 * rowStep, count - r0, rowStep, length,
                                           elemStride, divisor, out + r0);
}

// One clone per instruction set: the vector width is the host's, the
// operations per output are the same in every clone.
#define RAVEL_SHORT_ROWS(NAME, T, UNIT)                                                            \
  RAVEL_VECTOR_CLONES void NAME(const char* base, int64_t count, int64_t rowStep, int64_t length,  \
                                int64_t elemStride, T divisor, T* out) {                           \
    if (divisor != T(0))                                                                           \
      sumRows<T, UNIT, true>(base, count, rowStep, length, elemStride, divisor, out);              \
    else                                                                                           \
      sumRows<T, UNIT, false>(base, count, rowStep, length, elemStride, divisor, out);             \
  }
RAVEL_SHORT_ROWS(sumRowsF64Unit, double, true)
RAVEL_SHORT_ROWS(sumRowsF64, double, false)
RAVEL_SHORT_ROWS(sumRowsF32Unit, float, true)
RAVEL_SHORT_ROWS(sumRowsF32, float, false)
#undef RAVEL_SHORT_ROWS

} // namespace

void sumShortRows(DType t, const char* base, int64_t count, int64_t rowStep, int64_t length,
                  int64_t elemStride, double divisor, char* out) {
  RAVEL_CHECK(length > 0 && length <= kShortRowMax, "sumShortRows takes rows of 1..128");
  if (t == DType::Float64) {
    auto* o = reinterpret_cast<double*>(out);
    if (rowStep == int64_t(sizeof(double)))
      sumRowsF64Unit(base, count, rowStep, length, elemStride, divisor, o);
    else
      sumRowsF64(base, count, rowStep, length, elemStride, divisor, o);
  } else {
    RAVEL_CHECK(t == DType::Float32, "sumShortRows sums float32 or float64");
    auto* o = reinterpret_cast<float*>(out);
    if (rowStep == int64_t(sizeof(float)))
      sumRowsF32Unit(base, count, rowStep, length, elemStride, float(divisor), o);
    else
      sumRowsF32(base, count, rowStep, length, elemStride, float(divisor), o);
  }
}

} // namespace ravel
