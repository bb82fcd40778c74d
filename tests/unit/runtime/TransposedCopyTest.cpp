// Transposed copies by register blocks: every instruction set the host can
// run, both item sizes, ragged block edges, strided sources, and streaming
// stores into aligned and unaligned rows give exactly the transposed bits;
// StridedLoop hands such copies over only when the layout fits.
#include "runtime/TransposedCopy.h"
#include "runtime/StridedLoop.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <vector>

using namespace ravel;

namespace {

/// dst(r, c) = src(r, c) through copyTransposedBlockWith, checked element by
/// element: src(r, c) is element r + c * srcCol of a column-major buffer.
template <class T>
void checkBlock(BlockIsa isa, int64_t rows, int64_t cols, int64_t dstPad, int64_t dstShift,
                bool streaming) {
  const int64_t srcCol = rows + 3; // columns apart by more than their length
  std::vector<T> src(size_t(srcCol * cols));
  for (size_t i = 0; i < src.size(); ++i) src[i] = T(i * 7 + 1);
  const int64_t dstRow = cols + dstPad;
  // 64-byte aligned storage, shifted by dstShift items to misalign on purpose.
  const size_t bytes = size_t(dstRow * rows + dstShift + 16) * sizeof(T) + 64;
  T* base = static_cast<T*>(std::aligned_alloc(64, (bytes + 63) / 64 * 64));
  std::memset(base, 0, bytes);
  T* dst = base + dstShift;
  copyTransposedBlockWith(isa, reinterpret_cast<char*>(dst), dstRow * int64_t(sizeof(T)),
                          reinterpret_cast<const char*>(src.data()), srcCol * int64_t(sizeof(T)),
                          rows, cols, int64_t(sizeof(T)), streaming);
  finishStreamingStores();
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      ASSERT_EQ(dst[r * dstRow + c], src[size_t(r + c * srcCol)])
          << "isa " << int(isa) << " rows " << rows << " cols " << cols << " at " << r << "," << c;
  for (int64_t r = 0; r < rows; ++r) // the padding between rows is untouched
    for (int64_t c = cols; c < dstRow; ++c) ASSERT_EQ(dst[r * dstRow + c], T(0));
  std::free(base);
}

TEST(TransposedCopy, EveryIsaItemSizeAndEdge) {
  for (BlockIsa isa : {BlockIsa::Avx512, BlockIsa::Avx2, BlockIsa::Baseline})
    for (int64_t rows : {1, 3, 4, 7, 8, 9, 16, 31, 32})
      for (int64_t cols : {1, 5, 8, 12, 17, 32})
        for (bool streaming : {false, true}) {
          // Aligned rows (a multiple of 64 bytes) and misaligned ones.
          checkBlock<double>(isa, rows, cols, 32 - cols % 8, 0, streaming);
          checkBlock<double>(isa, rows, cols, 3, 1, streaming);
          checkBlock<float>(isa, rows, cols, 64 - cols % 16, 0, streaming);
          checkBlock<int32_t>(isa, rows, cols, 5, 3, streaming);
        }
}

TEST(TransposedCopy, StridedLoopTilesOnlyFittingCopies) {
  const int64_t n = 96;
  std::vector<double> a(size_t(n * n)), out(size_t(n * n));
  std::vector<float> f(size_t(n * n));
  for (size_t i = 0; i < a.size(); ++i) a[i] = double(i);
  const Shape shape{n, n};
  // out = a.T: out is C order, a read down its columns.
  auto operand = [&](void* p, Strides s, int64_t item) {
    return LoopOperand{static_cast<char*>(p), std::move(s), item};
  };
  StridedLoop transpose(shape,
                        {operand(out.data(), {n * 8, 8}, 8), operand(a.data(), {8, n * 8}, 8)});
  ASSERT_GT(transpose.tileCount(), 0);
  EXPECT_TRUE(transpose.tilesCopyTransposed(0, 1));
  transpose.runTransposedCopy(0, 1, 0, transpose.tileCount());
  for (int64_t r = 0; r < n; ++r)
    for (int64_t c = 0; c < n; ++c) ASSERT_EQ(out[size_t(r * n + c)], a[size_t(c * n + r)]);
  // Different item sizes (a cast) and a source not contiguous down the rows.
  StridedLoop cast(shape, {operand(f.data(), {n * 4, 4}, 4), operand(a.data(), {8, n * 8}, 8)});
  EXPECT_FALSE(cast.tilesCopyTransposed(0, 1));
  StridedLoop stepped(shape,
                      {operand(out.data(), {n * 8, 8}, 8), operand(a.data(), {16, n * 8}, 8)});
  EXPECT_FALSE(stepped.tilesCopyTransposed(0, 1));
}

} // namespace
