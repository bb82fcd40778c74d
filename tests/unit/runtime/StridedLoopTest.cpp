// StridedLoop planning (dropping length-1 axes, ordering, coalescing, layout
// classes) and execution (row order, runRows splitting, empty and 0-d loops).
#include "runtime/StridedLoop.h"

#include <gtest/gtest.h>

using namespace ravel;

namespace {

struct Row {
  int64_t n;
  std::vector<char*> ptrs;
  std::vector<int64_t> strides;
};

struct Recorder {
  size_t nops;
  std::vector<Row> rows;
};

extern "C" void recordRow(int64_t n, char* const* ptrs, const int64_t* strides, void* state) {
  auto* r = static_cast<Recorder*>(state);
  r->rows.push_back({n, std::vector<char*>(ptrs, ptrs + r->nops),
                     std::vector<int64_t>(strides, strides + r->nops)});
}

/// out[i] = in[i] for int64 operands {out, in}.
extern "C" void copyRow(int64_t n, char* const* ptrs, const int64_t* strides, void*) {
  for (int64_t i = 0; i < n; ++i)
    *reinterpret_cast<int64_t*>(ptrs[0] + i * strides[0]) =
        *reinterpret_cast<const int64_t*>(ptrs[1] + i * strides[1]);
}

LoopOperand op(const Array& a) {
  return {a.data(), a.strides(), a.itemsize()};
}

Array iota(const Shape& shape) {
  Array a = Array::empty(shape, DType::Int64);
  auto* p = reinterpret_cast<int64_t*>(a.data());
  for (int64_t i = 0; i < a.size(); ++i) p[i] = i;
  return a;
}

std::vector<int64_t> values(const Array& a) {
  Array c = a.copy();
  auto* p = reinterpret_cast<const int64_t*>(c.data());
  return std::vector<int64_t>(p, p + c.size());
}

} // namespace

TEST(StridedLoop, ContiguousCoalescesToOneRow) {
  Array out = Array::empty({2, 3, 4}, DType::Float64), in = Array::empty({2, 3, 4}, DType::Float64);
  StridedLoop loop(out.shape(), {op(out), op(in)});
  EXPECT_EQ(loop.coalescedRank(), 1);
  EXPECT_EQ(loop.innerLength(), 24);
  EXPECT_EQ(loop.outerIterations(), 1);
  EXPECT_EQ(loop.innerLayouts(),
            (std::vector<InnerLayout>{InnerLayout::Contiguous, InnerLayout::Contiguous}));
  Recorder r{2, {}};
  loop.run(recordRow, &r);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].n, 24);
  EXPECT_EQ(r.rows[0].ptrs[0], out.data());
}

TEST(StridedLoop, TransposedInputFollowsOutputOrder) {
  Array a = iota({3, 4});
  Array t = a.transpose(); // (4, 3), strides (8, 32)
  Array out = Array::empty({4, 3}, DType::Int64);
  StridedLoop loop(out.shape(), {op(out), op(t)});
  EXPECT_EQ(loop.coalescedRank(), 2);
  EXPECT_EQ(loop.innerLength(), 3);
  EXPECT_EQ(loop.outerIterations(), 4);
  EXPECT_EQ(loop.innerLayouts(),
            (std::vector<InnerLayout>{InnerLayout::Contiguous, InnerLayout::Strided}));
  Recorder r{2, {}};
  loop.run(recordRow, &r);
  ASSERT_EQ(r.rows.size(), 4u);
  for (int64_t i = 0; i < 4; ++i) {
    EXPECT_EQ(r.rows[size_t(i)].ptrs[0], out.data() + 24 * i);
    EXPECT_EQ(r.rows[size_t(i)].ptrs[1], a.data() + 8 * i);
    EXPECT_EQ(r.rows[size_t(i)].strides, (std::vector<int64_t>{8, 32}));
  }
  loop.run(copyRow, nullptr);
  EXPECT_EQ(values(out), (std::vector<int64_t>{0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}));

  // A transposed output is iterated in its memory order (inner = its stride-8 axis).
  Array outT = Array::empty({3, 4}, DType::Int64).transpose();
  StridedLoop loopT(outT.shape(), {op(outT), op(t)});
  EXPECT_EQ(loopT.coalescedRank(), 1); // both operands are a.T-shaped: one row
  EXPECT_EQ(loopT.innerLength(), 12);
}

TEST(StridedLoop, BroadcastOperand) {
  Array out = Array::empty({3, 4}, DType::Float64);
  Array col = Array::empty({3, 1}, DType::Float64).broadcastTo({3, 4}); // strides (8, 0)
  StridedLoop loop(out.shape(), {op(out), op(col)});
  EXPECT_EQ(loop.coalescedRank(), 2);
  EXPECT_EQ(loop.innerLayouts(),
            (std::vector<InnerLayout>{InnerLayout::Contiguous, InnerLayout::Broadcast}));
  Array row = Array::empty({4}, DType::Float64).broadcastTo({3, 4}); // strides (0, 8)
  StridedLoop loop2(out.shape(), {op(out), op(row)});
  EXPECT_EQ(loop2.innerLayouts(),
            (std::vector<InnerLayout>{InnerLayout::Contiguous, InnerLayout::Contiguous}));
  EXPECT_EQ(loop2.outerIterations(), 3);
  Recorder r{2, {}};
  loop2.run(recordRow, &r);
  for (const Row& row2 : r.rows) EXPECT_EQ(row2.ptrs[1], row.data());
  // A scalar broadcast to everything still coalesces: the stride-0 axes merge.
  Array s = Array::scalar(Scalar::ofFloat(1)).broadcastTo({3, 4});
  StridedLoop loop3(out.shape(), {op(out), op(s)});
  EXPECT_EQ(loop3.coalescedRank(), 1);
  EXPECT_EQ(loop3.innerLayouts(),
            (std::vector<InnerLayout>{InnerLayout::Contiguous, InnerLayout::Broadcast}));
}

TEST(StridedLoop, SlicedOperandBlocksCoalescing) {
  Array out = Array::empty({3, 4}, DType::Int64);
  Array wide = iota({3, 6});
  Array in = wide.sliceAxis(1, 1, 1, 4); // wide[:, 1:5], strides (48, 8)
  StridedLoop loop(out.shape(), {op(out), op(in)});
  EXPECT_EQ(loop.coalescedRank(), 2);
  loop.run(copyRow, nullptr);
  EXPECT_EQ(values(out), (std::vector<int64_t>{1, 2, 3, 4, 7, 8, 9, 10, 13, 14, 15, 16}));
}

TEST(StridedLoop, NegativeStridesCoalesce) {
  Array a = iota({3, 4});
  Array rev = a.sliceAxis(0, 2, -1, 3).sliceAxis(1, 3, -1, 4); // a[::-1, ::-1]
  Array out = Array::empty({3, 4}, DType::Int64);
  StridedLoop loop(out.shape(), {op(out), op(rev)});
  EXPECT_EQ(loop.coalescedRank(), 1);
  EXPECT_EQ(loop.innerLayouts()[1], InnerLayout::Strided);
  loop.run(copyRow, nullptr);
  EXPECT_EQ(values(out), (std::vector<int64_t>{11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0}));
}

TEST(StridedLoop, LengthOneAxesAreDropped) {
  Array a = Array::empty({1, 5, 1}, DType::Int32);
  Array b = Array::empty({1, 10, 1}, DType::Int32).sliceAxis(1, 0, 2, 5);
  StridedLoop loop(a.shape(), {op(a), op(b)});
  EXPECT_EQ(loop.coalescedRank(), 1);
  EXPECT_EQ(loop.innerLength(), 5);
  EXPECT_EQ(loop.innerLayouts(),
            (std::vector<InnerLayout>{InnerLayout::Contiguous, InnerLayout::Strided}));
}

TEST(StridedLoop, EmptyAndScalar) {
  Array e = Array::empty({3, 0, 2}, DType::Float64);
  StridedLoop empty(e.shape(), {op(e)});
  EXPECT_EQ(empty.outerIterations(), 0);
  Recorder r{1, {}};
  empty.run(recordRow, &r);
  empty.runRows(recordRow, &r, 0, 10);
  EXPECT_TRUE(r.rows.empty());

  Array s = Array::scalar(Scalar::ofFloat(2));
  StridedLoop scalar(s.shape(), {op(s)});
  EXPECT_EQ(scalar.coalescedRank(), 0);
  EXPECT_EQ(scalar.outerIterations(), 1);
  EXPECT_EQ(scalar.innerLength(), 1);
  EXPECT_EQ(scalar.innerLayouts()[0], InnerLayout::Contiguous);
  scalar.run(recordRow, &r);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].n, 1);
  EXPECT_EQ(r.rows[0].ptrs[0], s.data());
}

TEST(StridedLoop, RunRowsSplitsDeterministically) {
  Array a = iota({4, 3, 5}).transpose({1, 0, 2}).sliceAxis(2, 0, 2, 3); // (3,4,3), not coalescible
  Array out = Array::empty(a.shape(), DType::Int64);
  StridedLoop loop(out.shape(), {op(out), op(a)});
  ASSERT_EQ(loop.coalescedRank(), 3);
  ASSERT_EQ(loop.outerIterations(), 12);
  Recorder all{2, {}}, parts{2, {}};
  loop.run(recordRow, &all);
  for (int64_t b = 0; b < 12; b += 5)
    loop.runRows(recordRow, &parts, b, std::min<int64_t>(b + 5, 12));
  ASSERT_EQ(all.rows.size(), parts.rows.size());
  for (size_t i = 0; i < all.rows.size(); ++i) EXPECT_EQ(all.rows[i].ptrs, parts.rows[i].ptrs) << i;
  loop.run(copyRow, nullptr);
  EXPECT_EQ(values(out), values(a));
}

TEST(StridedLoop, ManyOperands) {
  std::vector<Array> arrays;
  std::vector<LoopOperand> ops;
  for (int k = 0; k < 20; ++k) {
    arrays.push_back(k % 2 ? iota({2, 3}) : iota({3, 2}).transpose());
    ops.push_back(op(arrays.back()));
  }
  // Operand 0 is a transpose (strides (8, 16)): its stride-8 axis 0 goes inside.
  StridedLoop loop({2, 3}, ops);
  Recorder r{20, {}};
  loop.run(recordRow, &r);
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_EQ(r.rows[1].n, 2);
  EXPECT_EQ(r.rows[1].ptrs[0], arrays[0].data() + 16);
  EXPECT_EQ(r.rows[1].ptrs[1], arrays[1].data() + 8);
  EXPECT_EQ(r.rows[2].ptrs[19], arrays[19].data() + 16);
  EXPECT_EQ(r.rows[0].strides[0], 8);
  EXPECT_EQ(r.rows[0].strides[1], 24);
}

TEST(StridedLoop, ZeroStridesDoNotOrderAxes) {
  // NumPy's iterator: a broadcast row (strides (0, 8)) read as the only
  // operand keeps C order, so a sequential reduction runs row after row.
  Array v = iota({4});
  Array b = v.broadcastTo({2, 4});
  StridedLoop loop(b.shape(), {op(b)});
  EXPECT_EQ(loop.innerLength(), 4);
  EXPECT_EQ(loop.outerIterations(), 2);
  // Strides nonzero on both axes still sort, largest outside.
  Array t = iota({3, 5}).transpose(); // strides (8, 40)
  StridedLoop loopT(t.shape(), {op(t)});
  EXPECT_EQ(loopT.innerLength(), 15); // coalesced in memory order
}

TEST(StridedLoop, TransposeRunsInTilesThatCoverEveryElementOnce) {
  const int64_t k = StridedLoop::kTile;
  for (const Shape& shape : {Shape{2 * k + 5, 3 * k + 7}, Shape{3, 2 * k, 2 * k + 1}}) {
    Array a = iota(shape);
    std::vector<int> perm(shape.size());
    for (size_t i = 0; i < perm.size(); ++i) perm[i] = int(i);
    std::swap(perm[perm.size() - 1], perm[perm.size() - 2]);
    Array t = a.transpose(perm);
    Array out = Array::empty(t.shape(), DType::Int64);
    std::vector<int64_t> want = values(t);
    StridedLoop loop(out.shape(), {op(out), op(t)});
    const int64_t tiles = loop.tileCount();
    ASSERT_GT(tiles, 0);
    const int64_t planes = shape.size() == 3 ? shape[0] : 1;
    EXPECT_EQ(tiles,
              planes * ((t.shape().end()[-2] + k - 1) / k) * ((t.shape().back() + k - 1) / k));
    // Split at arbitrary tile boundaries, as the pool does: the same result.
    loop.runTiles(copyRow, nullptr, 0, tiles / 3);
    loop.runTiles(copyRow, nullptr, tiles / 3, tiles);
    EXPECT_EQ(values(out), want);
    Recorder r{2, {}};
    loop.runTiles(recordRow, &r, 0, tiles);
    int64_t elements = 0;
    for (const Row& row : r.rows) {
      EXPECT_LE(row.n, k);
      elements += row.n;
    }
    EXPECT_EQ(elements, out.size());
  }
  // Contiguous copies and small transposes are not tiled.
  Array c = iota({200, 300}), d = Array::empty({200, 300}, DType::Int64);
  EXPECT_EQ(StridedLoop(c.shape(), {op(d), op(c)}).tileCount(), 0);
  Array small = iota({k, k}).transpose(), e = Array::empty({k, k}, DType::Int64);
  EXPECT_EQ(StridedLoop(small.shape(), {op(e), op(small)}).tileCount(), 0);
}
