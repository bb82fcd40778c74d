// Transposed copies by register blocks (see TransposedCopy.h). The block
// kernels are compiled for AVX-512 and AVX2 and picked at run time, so a
// portable binary still uses the host's registers; anything else (or a
// ragged edge of a block) is copied one element at a time.
#include "runtime/TransposedCopy.h"

#include <algorithm>
#include <cstring>
#include <immintrin.h>

// GCC 12's AVX-512 intrinsics start from an undefined register
// (`__m512d __Y = __Y;`), which -Wmaybe-uninitialized reports at each use.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace ravel {
namespace {

bool aligned(const void* p, uintptr_t bytes) {
  return reinterpret_cast<uintptr_t>(p) % bytes == 0;
}

/// Rows [r0, r1) x columns [c0, c1) one element at a time: what whole
/// register blocks do not cover, or everything without vector registers.
void copyElements(char* dst, int64_t dstRow, const char* src, int64_t srcCol, int64_t item,
                  int64_t r0, int64_t r1, int64_t c0, int64_t c1) {
  for (int64_t r = r0; r < r1; ++r)
    for (int64_t c = c0; c < c1; ++c)
      std::memcpy(dst + r * dstRow + c * item, src + r * item + c * srcCol, size_t(item));
}

/// A block kernel copies rows x cols (multiples of its block side) by
/// register blocks; `stream` (aligned rows asked for streaming) makes its
/// stores non-temporal.
using BlockKernel = void (*)(char* dst, int64_t dstRow, const char* src, int64_t srcCol,
                             int64_t rows, int64_t cols, bool stream);

/// 8 x 8 float64: v[j] holds column j's 8 rows; rows come out in v.
[[gnu::target("avx512f")]] void transpose8x8(__m512d v[8]) {
  __m512d t[8], u[8];
  for (int i = 0; i < 8; i += 2) {
    t[i] = _mm512_unpacklo_pd(v[i], v[i + 1]);
    t[i + 1] = _mm512_unpackhi_pd(v[i], v[i + 1]);
  }
  // 128-bit lanes: pairs (0,2) (1,3) (4,6) (5,7), even then odd lanes.
  u[0] = _mm512_shuffle_f64x2(t[0], t[2], 0x88);
  u[1] = _mm512_shuffle_f64x2(t[1], t[3], 0x88);
  u[2] = _mm512_shuffle_f64x2(t[0], t[2], 0xdd);
  u[3] = _mm512_shuffle_f64x2(t[1], t[3], 0xdd);
  u[4] = _mm512_shuffle_f64x2(t[4], t[6], 0x88);
  u[5] = _mm512_shuffle_f64x2(t[5], t[7], 0x88);
  u[6] = _mm512_shuffle_f64x2(t[4], t[6], 0xdd);
  u[7] = _mm512_shuffle_f64x2(t[5], t[7], 0xdd);
  for (int i = 0; i < 4; ++i) {
    v[i] = _mm512_shuffle_f64x2(u[i], u[i + 4], 0x88);
    v[i + 4] = _mm512_shuffle_f64x2(u[i], u[i + 4], 0xdd);
  }
}

[[gnu::target("avx512f")]] void copy8Avx512(char* dst, int64_t dstRow, const char* src,
                                            int64_t srcCol, int64_t rows, int64_t cols,
                                            bool stream) {
  for (int64_t c = 0; c < cols; c += 8) {
    for (int64_t r = 0; r < rows; r += 8) {
      __m512d v[8];
      for (int j = 0; j < 8; ++j)
        v[j] = _mm512_loadu_pd(reinterpret_cast<const double*>(src + (c + j) * srcCol + r * 8));
      transpose8x8(v);
      for (int i = 0; i < 8; ++i) {
        auto* out = reinterpret_cast<double*>(dst + (r + i) * dstRow + c * 8);
        if (stream)
          _mm512_stream_pd(out, v[i]);
        else
          _mm512_storeu_pd(out, v[i]);
      }
    }
  }
}

[[gnu::target("avx2")]] void copy8Avx2(char* dst, int64_t dstRow, const char* src, int64_t srcCol,
                                       int64_t rows, int64_t cols, bool stream) {
  for (int64_t c = 0; c < cols; c += 4) {
    for (int64_t r = 0; r < rows; r += 4) {
      __m256d v[4];
      for (int j = 0; j < 4; ++j)
        v[j] = _mm256_loadu_pd(reinterpret_cast<const double*>(src + (c + j) * srcCol + r * 8));
      const __m256d t0 = _mm256_unpacklo_pd(v[0], v[1]), t1 = _mm256_unpackhi_pd(v[0], v[1]);
      const __m256d t2 = _mm256_unpacklo_pd(v[2], v[3]), t3 = _mm256_unpackhi_pd(v[2], v[3]);
      v[0] = _mm256_permute2f128_pd(t0, t2, 0x20);
      v[1] = _mm256_permute2f128_pd(t1, t3, 0x20);
      v[2] = _mm256_permute2f128_pd(t0, t2, 0x31);
      v[3] = _mm256_permute2f128_pd(t1, t3, 0x31);
      for (int i = 0; i < 4; ++i) {
        auto* out = reinterpret_cast<double*>(dst + (r + i) * dstRow + c * 8);
        if (stream)
          _mm256_stream_pd(out, v[i]);
        else
          _mm256_storeu_pd(out, v[i]);
      }
    }
  }
}

/// 8 x 8 of 4-byte items (float32, int32) in AVX2 registers, as float bits.
[[gnu::target("avx2")]] void copy4Avx2(char* dst, int64_t dstRow, const char* src, int64_t srcCol,
                                       int64_t rows, int64_t cols, bool stream) {
  for (int64_t c = 0; c < cols; c += 8) {
    for (int64_t r = 0; r < rows; r += 8) {
      __m256 v[8], t[8], u[8];
      for (int j = 0; j < 8; ++j)
        v[j] = _mm256_loadu_ps(reinterpret_cast<const float*>(src + (c + j) * srcCol + r * 4));
      for (int i = 0; i < 8; i += 2) {
        t[i] = _mm256_unpacklo_ps(v[i], v[i + 1]);
        t[i + 1] = _mm256_unpackhi_ps(v[i], v[i + 1]);
      }
      for (int i = 0; i < 8; i += 4) {
        u[i] = _mm256_shuffle_ps(t[i], t[i + 2], 0x44);
        u[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], 0xee);
        u[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0x44);
        u[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0xee);
      }
      for (int i = 0; i < 4; ++i) {
        v[i] = _mm256_permute2f128_ps(u[i], u[i + 4], 0x20);
        v[i + 4] = _mm256_permute2f128_ps(u[i], u[i + 4], 0x31);
      }
      for (int i = 0; i < 8; ++i) {
        auto* out = reinterpret_cast<float*>(dst + (r + i) * dstRow + c * 4);
        if (stream)
          _mm256_stream_ps(out, v[i]);
        else
          _mm256_storeu_ps(out, v[i]);
      }
    }
  }
}

/// The block kernel for an item size on an instruction set, its block's
/// side and its vectors' bytes (the alignment a streaming store needs); no
/// kernel without vector registers.
struct BlockPlan {
  BlockKernel kernel = nullptr;
  int64_t side = 1, vectorBytes = 1;
};

BlockPlan blockPlan(BlockIsa isa, int64_t itemSize) {
  if (itemSize == 8 && isa == BlockIsa::Avx512) return {copy8Avx512, 8, 64};
  if (itemSize == 8 && isa == BlockIsa::Avx2) return {copy8Avx2, 4, 32};
  if (itemSize == 4 && isa != BlockIsa::Baseline) return {copy4Avx2, 8, 32};
  return {};
}

} // namespace

BlockIsa hostBlockIsa() {
  static const BlockIsa isa = __builtin_cpu_supports("avx512f") ? BlockIsa::Avx512
                              : __builtin_cpu_supports("avx2")  ? BlockIsa::Avx2
                                                                : BlockIsa::Baseline;
  return isa;
}

void copyTransposedBlockWith(BlockIsa isa, char* dst, int64_t dstRowStride, const char* src,
                             int64_t srcColStride, int64_t rows, int64_t cols, int64_t itemSize,
                             bool streaming) {
  // The enumerators run from widest to narrowest.
  isa = std::max(isa, hostBlockIsa());
  const BlockPlan plan = blockPlan(isa, itemSize);
  const int64_t fullRows = plan.kernel ? rows / plan.side * plan.side : 0;
  const int64_t fullCols = plan.kernel ? cols / plan.side * plan.side : 0;
  if (fullRows > 0 && fullCols > 0)
    plan.kernel(dst, dstRowStride, src, srcColStride, fullRows, fullCols,
                streaming && aligned(dst, uintptr_t(plan.vectorBytes)) &&
                    dstRowStride % plan.vectorBytes == 0);
  copyElements(dst, dstRowStride, src, srcColStride, itemSize, fullRows, rows, 0, cols);
  copyElements(dst, dstRowStride, src, srcColStride, itemSize, 0, fullRows, fullCols, cols);
}

void copyTransposedBlock(char* dst, int64_t dstRowStride, const char* src, int64_t srcColStride,
                         int64_t rows, int64_t cols, int64_t itemSize, bool streaming) {
  copyTransposedBlockWith(hostBlockIsa(), dst, dstRowStride, src, srcColStride, rows, cols,
                          itemSize, streaming);
}

void finishStreamingStores() {
  _mm_sfence();
}

} // namespace ravel
