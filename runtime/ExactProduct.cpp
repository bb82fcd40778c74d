// The blocking (after the classic GotoBLAS layering):
//  - B is packed per block of kKc rows x kNc columns, as column groups of
//    kNr vectors, each group's rows contiguous (the micro-kernel reads it
//    sequentially);
//  - A is packed per group of kMr rows for the same kKc columns;
//  - the micro-kernel keeps a kMr x kNr-vector tile of C in registers over
//    the whole kKc block: two vector loads of B and kMr broadcasts of A per
//    step feed 2 * kMr vector multiply-adds;
//  - the tile is added to C (or stored, on the first block without an
//    addend) through C's strides.
// Padding rows of A and columns of B are zeros, so tiles are always full and
// the extra results are dropped when the tile is stored.
#include "runtime/ExactProduct.h"

#include "runtime/Error.h"
#include "runtime/ThreadPool.h"
#include "runtime/VectorClones.h"

#include <algorithm>
#include <cstring>
#include <type_traits>
#include <vector>

namespace ravel::blas {
namespace {

constexpr int64_t kMr = 4;              // rows of a register tile
constexpr int64_t kNr = 2;              // vectors per row of a register tile
constexpr int64_t kVectorBytes = 64;    // one AVX-512 register (two AVX2 ones)
constexpr int64_t kKc = 128;            // rows of B per packed block (A panel in L1)
constexpr int64_t kNcBytes = 512 << 10; // a packed block of B fits the L2

/// Products of at least this many multiply-adds split their rows over the pool.
constexpr int64_t kParallelWork = int64_t(1) << 20;

template <typename Acc> constexpr int64_t kLanes = kVectorBytes / int64_t(sizeof(Acc));
template <typename Acc> constexpr int64_t kTileCols = kNr* kLanes<Acc>;

/// The kMr x kTileCols tile of C over one packed block: ap holds kc steps of
/// kMr values, bp kc steps of kTileCols values; tile is row-major.
template <typename Acc, bool kBool>
RAVEL_INTEGER_VECTOR_CLONES void microKernel(const Acc* __restrict ap, const Acc* __restrict bp,
                                             int64_t kc, Acc* __restrict tile) {
  using V [[gnu::vector_size(kVectorBytes)]] = Acc;
  constexpr int64_t L = kLanes<Acc>;
  V c[kMr][kNr] = {};
  for (int64_t p = 0; p < kc; ++p) {
    V b[kNr];
    std::memcpy(b, bp + p * kTileCols<Acc>, sizeof(b));
    for (int64_t r = 0; r < kMr; ++r) {
      const Acc a = ap[p * kMr + r];
      for (int64_t v = 0; v < kNr; ++v) {
        if constexpr (kBool)
          c[r][v] |= b[v] & a;
        else
          c[r][v] += b[v] * a;
      }
    }
  }
  for (int64_t r = 0; r < kMr; ++r)
    for (int64_t v = 0; v < kNr; ++v)
      std::memcpy(tile + r * kTileCols<Acc> + v * L, &c[r][v], sizeof(V));
}

template <typename T> T load(const char* base, int64_t i, int64_t j, int64_t rs, int64_t cs) {
  T x;
  std::memcpy(&x, base + i * rs + j * cs, sizeof(T));
  return x;
}

/// Rows [first, last) of c = a @ b (+ c).
template <typename T, bool kBool>
void productRows(const StridedMatrix& a, const StridedMatrix& b, char* c, int64_t crs, int64_t ccs,
                 bool accumulate, int64_t first, int64_t last) {
  using Acc = std::make_unsigned_t<T>; // bool: uint8_t 0/1
  constexpr int64_t W = kTileCols<Acc>;
  const int64_t k = a.cols, n = b.cols;
  const int64_t ncMax = std::max<int64_t>(W, kNcBytes / (kKc * int64_t(sizeof(Acc))) / W * W);
  std::vector<Acc> bPacked(size_t(kKc * ncMax)), aPacked(size_t(kKc * kMr));
  alignas(kVectorBytes) Acc tile[kMr * W];
  for (int64_t jc = 0; jc < n; jc += ncMax) {
    const int64_t nc = std::min(ncMax, n - jc);
    const int64_t groups = (nc + W - 1) / W;
    for (int64_t pc = 0; pc < std::max<int64_t>(k, 1); pc += kKc) {
      const int64_t kc = std::min(kKc, k - pc);
      const bool store = pc == 0 && !accumulate; // the first block writes, later ones add
      // Pack B[pc:pc+kc, jc:jc+nc] as column groups of W, zero-padded.
      for (int64_t g = 0; g < groups; ++g)
        for (int64_t p = 0; p < kc; ++p) {
          Acc* dst = bPacked.data() + (g * kc + p) * W;
          for (int64_t j = 0; j < W; ++j) {
            const int64_t col = jc + g * W + j;
            dst[j] = col < jc + nc ? Acc(load<T>(b.data, pc + p, col, b.rowStride, b.colStride))
                                   : Acc(0);
          }
        }
      for (int64_t i0 = first; i0 < last; i0 += kMr) {
        const int64_t mr = std::min(kMr, last - i0);
        for (int64_t p = 0; p < kc; ++p)
          for (int64_t r = 0; r < kMr; ++r)
            aPacked[size_t(p * kMr + r)] =
                r < mr ? Acc(load<T>(a.data, i0 + r, pc + p, a.rowStride, a.colStride)) : Acc(0);
        for (int64_t g = 0; g < groups; ++g) {
          if (kc > 0)
            microKernel<Acc, kBool>(aPacked.data(), bPacked.data() + g * kc * W, kc, tile);
          else
            std::fill(std::begin(tile), std::end(tile), Acc(0));
          const int64_t cols = std::min(W, nc - g * W);
          for (int64_t r = 0; r < mr; ++r)
            for (int64_t j = 0; j < cols; ++j) {
              char* dst = c + (i0 + r) * crs + (jc + g * W + j) * ccs;
              Acc v = tile[r * W + j];
              if (!store) {
                T old;
                std::memcpy(&old, dst, sizeof(T));
                v = kBool ? Acc(Acc(old) | v) : Acc(Acc(old) + v);
              }
              const T out = T(v);
              std::memcpy(dst, &out, sizeof(T));
            }
        }
      }
      if (k == 0) break;
    }
  }
}

template <typename T, bool kBool>
void product(const StridedMatrix& a, const StridedMatrix& b, char* c, int64_t crs, int64_t ccs,
             bool accumulate) {
  const int64_t m = a.rows, n = b.cols, k = a.cols;
  if (m == 0 || n == 0) return;
  ThreadPool& pool = ThreadPool::global();
  const int parts = int(std::min<int64_t>(pool.usable(), (m + kMr - 1) / kMr));
  if (parts > 1 && m * n * std::max<int64_t>(k, 1) >= kParallelWork) {
    // Row ranges cut at multiples of kMr: each worker packs its own B blocks.
    const int64_t tiles = (m + kMr - 1) / kMr;
    pool.parallelFor(parts, [&](int part) {
      const int64_t r0 = std::min(m, tiles * part / parts * kMr);
      const int64_t r1 = std::min(m, tiles * (part + 1) / parts * kMr);
      productRows<T, kBool>(a, b, c, crs, ccs, accumulate, r0, r1);
    });
  } else {
    productRows<T, kBool>(a, b, c, crs, ccs, accumulate, 0, m);
  }
}

} // namespace

void exactProduct(DType t, const StridedMatrix& a, const StridedMatrix& b, char* c,
                  int64_t cRowStride, int64_t cColStride, bool accumulate) {
  switch (t) {
    case DType::Int64:
      return product<int64_t, false>(a, b, c, cRowStride, cColStride, accumulate);
    case DType::Int32:
      return product<int32_t, false>(a, b, c, cRowStride, cColStride, accumulate);
    case DType::Bool:
      return product<uint8_t, true>(a, b, c, cRowStride, cColStride, accumulate);
    default:
      throw RuntimeError(ErrorKind::Runtime, "exactProduct: not an integer or bool dtype");
  }
}

} // namespace ravel::blas
