// Transposed copies by register blocks: the copy `a.T.copy()`,
// `a.T.reshape(-1)` or `ascontiguousarray(a.T)` makes, where the destination
// runs along the rows of a tile and the source down its columns. A strided
// element-at-a-time loop reads one element per source cache line per row; a
// block of 8 x 8 (4 x 4) elements instead loads 8 source vectors, transposes
// them in registers and stores 8 destination vectors. Large destinations are
// written with streaming stores (they will not be read again soon), which
// also skip the read of every destination line. Bits are copied unchanged.
#pragma once

#include <cstdint>

namespace ravel {

/// Outputs from this size on are written with non-temporal stores, by JIT
/// kernels and by these copies: they are larger than half the shared L3, so
/// their lines would be evicted before anything read them, and a normal store
/// first reads each line it overwrites (x + y on 10^7 float64 here: 33 GB/s
/// instead of 12-22).
constexpr int64_t kStreamingStoresFrom = int64_t(16) << 20;

/// Copies a rows x cols block: dst(r, c) = src(r, c), where dst(r, c) is at
/// dst + r * dstRowStride + c * itemSize and src(r, c) at
/// src + r * itemSize + c * srcColStride (the source is contiguous down a
/// column). itemSize is 4 or 8. With `streaming`, aligned full vectors use
/// non-temporal stores; the caller fences (finishStreamingStores) before the
/// destination is read on another thread.
void copyTransposedBlock(char* dst, int64_t dstRowStride, const char* src, int64_t srcColStride,
                         int64_t rows, int64_t cols, int64_t itemSize, bool streaming);

/// Orders this thread's streaming stores before anything it does next.
void finishStreamingStores();

/// The register blocks copyTransposedBlock uses: the host's widest, unless a
/// test asks for a narrower one (a request the host cannot run is ignored).
enum class BlockIsa { Avx512, Avx2, Baseline };
BlockIsa hostBlockIsa();
void copyTransposedBlockWith(BlockIsa isa, char* dst, int64_t dstRowStride, const char* src,
                             int64_t srcColStride, int64_t rows, int64_t cols, int64_t itemSize,
                             bool streaming);

} // namespace ravel
