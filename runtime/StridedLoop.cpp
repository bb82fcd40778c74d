// StridedLoop: plans and runs the N-d iteration behind every kernel.
//
// Planning (constructor):
//  1. A zero-size shape gives an empty loop (run() calls nothing).
//  2. Length-1 axes are dropped: their strides never matter.
//  3. The remaining axes are sorted by |stride| of operand `orderBy` (the
//     output, for elementwise kernels), largest first, ties broken by the
//     other operands in order, so the innermost axis has the smallest output
//     stride and writes stay sequential. Zero strides do not take part; axes
//     nothing orders keep their C order (NumPy's iterator does the same).
//  4. Adjacent axes merge when, for every operand, the outer stride equals
//     inner stride * inner length: they then form one longer axis.
//  5. No axes left (rank 0 or all length 1): one row of length 1, whose inner
//     stride is reported as the item size (so it counts as Contiguous).
//
// Running walks the outer axes with an odometer that updates one pointer per
// operand incrementally; nothing is allocated per row.
#include "runtime/StridedLoop.h"

#include "runtime/TransposedCopy.h"

#include <algorithm>

namespace ravel {

namespace {
uint64_t magnitude(int64_t s) {
  return s < 0 ? uint64_t(0) - uint64_t(s) : uint64_t(s);
}
} // namespace

StridedLoop::StridedLoop(const Shape& shape, std::vector<LoopOperand> operands, size_t orderBy) {
  const size_t nops = operands.size();
  RAVEL_CHECK(nops > 0, "a strided loop needs at least one operand");
  RAVEL_CHECK(orderBy < nops, "orderBy names no operand");
  RAVEL_CHECK(shape.size() <= size_t(kMaxDims), "too many dimensions");
  for (const LoopOperand& op : operands)
    RAVEL_CHECK(op.strides.size() == shape.size(), "operand strides do not match the loop rank");
  for (const LoopOperand& op : operands) {
    bases_.push_back(op.data);
    itemSizes_.push_back(op.itemSize);
  }
  origins_ = bases_;
  strides_.assign(nops, {});

  for (int64_t d : shape) {
    RAVEL_CHECK(d >= 0, "negative loop extent");
    if (d == 0) empty_ = true;
  }
  if (empty_) {
    shape_ = {0};
    for (size_t k = 0; k < nops; ++k) strides_[k] = {itemSizes_[k]};
    innerStrides_ = itemSizes_;
    rank_ = 1;
    return;
  }

  std::vector<int> axes;
  for (int i = 0; i < int(shape.size()); ++i)
    if (shape[i] != 1) axes.push_back(i);
  std::vector<size_t> priority{orderBy};
  for (size_t k = 0; k < nops; ++k)
    if (k != orderBy) priority.push_back(k);
  // Insertion sort, as NumPy's iterator orders its axes: a zero stride (a
  // broadcast or reduced axis) says nothing about memory order, so an
  // operand decides between two axes only where both its strides are
  // nonzero, and two axes no operand tells apart keep their C order
  // (`prod(broadcast_to(v, (2, 4)))` multiplies row after row, as NumPy
  // does). Such a relation is not a strict weak order, hence no std::sort.
  enum class Order { Outer, Inner, Unknown };
  auto compare = [&](int a, int b) { // may axis a go outside axis b?
    for (size_t k : priority) {
      uint64_t sa = magnitude(operands[k].strides[a]), sb = magnitude(operands[k].strides[b]);
      if (sa == 0 || sb == 0 || sa == sb) continue;
      return sa > sb ? Order::Outer : Order::Inner;
    }
    return Order::Unknown;
  };
  for (size_t i = 1; i < axes.size(); ++i) {
    const int axis = axes[i];
    size_t pos = i;
    for (size_t j = i; j-- > 0;) {
      const Order o = compare(axis, axes[j]);
      if (o == Order::Outer)
        pos = j;
      else if (o == Order::Inner)
        break;
    }
    axes.erase(axes.begin() + i);
    axes.insert(axes.begin() + pos, axis);
  }

  for (int axis : axes) {
    bool merge = !shape_.empty();
    for (size_t k = 0; merge && k < nops; ++k) {
      int64_t product;
      if (__builtin_mul_overflow(operands[k].strides[axis], shape[axis], &product) ||
          strides_[k].back() != product)
        merge = false;
    }
    if (merge) {
      shape_.back() *= shape[axis];
      for (size_t k = 0; k < nops; ++k) strides_[k].back() = operands[k].strides[axis];
    } else {
      shape_.push_back(shape[axis]);
      for (size_t k = 0; k < nops; ++k) strides_[k].push_back(operands[k].strides[axis]);
    }
  }
  rank_ = int(shape_.size());
  if (shape_.empty()) {
    shape_ = {1};
    for (size_t k = 0; k < nops; ++k) strides_[k] = {itemSizes_[k]};
  }

  const size_t outer = shape_.size() - 1;
  innerStrides_.resize(nops);
  outerStrides_.resize(outer * nops);
  for (size_t k = 0; k < nops; ++k) {
    innerStrides_[k] = strides_[k].back();
    for (size_t a = 0; a < outer; ++a) outerStrides_[a * nops + k] = strides_[k][a];
  }
  planTiles();
}

void StridedLoop::planTiles() {
  if (empty_ || shape_.size() < 2) return;
  const size_t nops = bases_.size(), rowAxis = shape_.size() - 2;
  const int64_t rows = shape_[rowAxis], cols = shape_.back();
  if (rows < 2 * kTile || cols < 2 * kTile) return;
  // Worth it when some operand steps over whole cache lines along the row
  // but is (nearly) contiguous down the rows: a transposed read or write.
  for (size_t k = 0; k < nops; ++k) {
    const uint64_t along = magnitude(innerStrides_[k]);
    const uint64_t down = magnitude(outerStrides_[rowAxis * nops + k]);
    if (along >= 64 && down != 0 && down < along) {
      rowBlocks_ = (rows + kTile - 1) / kTile;
      colBlocks_ = (cols + kTile - 1) / kTile;
      return;
    }
  }
}

int64_t StridedLoop::tileCount() const {
  if (rowBlocks_ == 0) return 0;
  const int64_t planes = outerIterations() / shape_[shape_.size() - 2];
  return planes * rowBlocks_ * colBlocks_;
}

void StridedLoop::tileCorner(int64_t t, std::vector<char*>& corner, int64_t& rows,
                             int64_t& cols) const {
  const size_t nops = bases_.size(), rowAxis = shape_.size() - 2;
  const int64_t perPlane = rowBlocks_ * colBlocks_;
  // The tile's plane (the axes outside the two tiled ones), then its corner.
  int64_t plane = t / perPlane, rowBlock = t % perPlane / colBlocks_, colBlock = t % colBlocks_;
  corner = bases_;
  for (size_t a = rowAxis; a-- > 0;) {
    const int64_t i = plane % shape_[a];
    plane /= shape_[a];
    for (size_t k = 0; k < nops; ++k) corner[k] += i * outerStrides_[a * nops + k];
  }
  const int64_t row0 = rowBlock * kTile, col0 = colBlock * kTile;
  rows = std::min(kTile, shape_[rowAxis] - row0);
  cols = std::min(kTile, shape_.back() - col0);
  const int64_t* down = outerStrides_.data() + rowAxis * nops;
  for (size_t k = 0; k < nops; ++k) corner[k] += row0 * down[k] + col0 * innerStrides_[k];
}

void StridedLoop::runTiles(InnerLoopFn fn, void* state, int64_t begin, int64_t end) const {
  RAVEL_CHECK(rowBlocks_ > 0, "runTiles on a loop planned without tiles");
  const size_t nops = bases_.size(), rowAxis = shape_.size() - 2;
  std::vector<char*> ptrs(nops), corner(nops);
  const int64_t* inner = innerStrides_.data();
  const int64_t* down = outerStrides_.data() + rowAxis * nops;
  const int64_t last = std::min(end, tileCount());
  for (int64_t t = std::max<int64_t>(begin, 0); t < last; ++t) {
    int64_t nrows = 0, ncols = 0;
    tileCorner(t, corner, nrows, ncols);
    for (int64_t r = 0; r < nrows; ++r) {
      for (size_t k = 0; k < nops; ++k) ptrs[k] = corner[k] + r * down[k];
      fn(ncols, ptrs.data(), inner, state);
    }
  }
}

bool StridedLoop::tilesCopyTransposed(size_t dst, size_t src) const {
  if (rowBlocks_ == 0 || dst >= bases_.size() || src >= bases_.size()) return false;
  const int64_t item = itemSizes_[dst];
  const size_t nops = bases_.size(), rowAxis = shape_.size() - 2;
  return (item == 4 || item == 8) && itemSizes_[src] == item && innerStrides_[dst] == item &&
         outerStrides_[rowAxis * nops + src] == item;
}

void StridedLoop::runTransposedCopy(size_t dst, size_t src, int64_t begin, int64_t end) const {
  RAVEL_CHECK(tilesCopyTransposed(dst, src), "runTransposedCopy on a loop that is not one");
  const size_t nops = bases_.size(), rowAxis = shape_.size() - 2;
  const bool streaming = size() * itemSizes_[dst] >= kStreamingStoresFrom;
  std::vector<char*> corner(nops);
  const int64_t last = std::min(end, tileCount());
  for (int64_t t = std::max<int64_t>(begin, 0); t < last; ++t) {
    int64_t nrows = 0, ncols = 0;
    tileCorner(t, corner, nrows, ncols);
    copyTransposedBlock(corner[dst], outerStrides_[rowAxis * nops + dst], corner[src],
                        innerStrides_[src], nrows, ncols, itemSizes_[dst], streaming);
  }
  if (streaming) finishStreamingStores();
}

std::vector<InnerLayout> StridedLoop::innerLayouts() const {
  std::vector<InnerLayout> out;
  for (size_t k = 0; k < innerStrides_.size(); ++k) {
    int64_t s = innerStrides_[k];
    out.push_back(s == itemSizes_[k] ? InnerLayout::Contiguous
                  : s == 0           ? InnerLayout::Broadcast
                                     : InnerLayout::Strided);
  }
  return out;
}

int64_t StridedLoop::innerLength() const {
  return shape_.back();
}

int64_t StridedLoop::outerIterations() const {
  if (empty_) return 0;
  int64_t n = 1;
  for (size_t a = 0; a + 1 < shape_.size(); ++a) n *= shape_[a];
  return n;
}

int StridedLoop::coalescedRank() const {
  return rank_;
}

void StridedLoop::rebase(const int64_t* offsets) {
  for (size_t k = 0; k < bases_.size(); ++k) bases_[k] = origins_[k] + offsets[k];
}

void StridedLoop::run(InnerLoopFn fn, void* state) const {
  runRows(fn, state, 0, outerIterations());
}

void StridedLoop::runElements(InnerLoopFn fn, void* state, int64_t begin, int64_t end) const {
  if (empty_ || begin >= end) return;
  const int64_t n = shape_.back();
  const size_t nops = bases_.size();
  // A partial row at either end is run by hand; whole rows by runRows.
  auto partialRow = [&](int64_t row, int64_t from, int64_t to) {
    std::vector<char*> ptrs(bases_);
    int64_t rem = row;
    for (int a = int(shape_.size()) - 2; a >= 0; --a) {
      int64_t i = rem % shape_[a];
      rem /= shape_[a];
      for (size_t k = 0; k < nops; ++k) ptrs[k] += i * outerStrides_[size_t(a) * nops + k];
    }
    for (size_t k = 0; k < nops; ++k) ptrs[k] += from * innerStrides_[k];
    fn(to - from, ptrs.data(), innerStrides_.data(), state);
  };
  int64_t firstRow = begin / n, lastRow = (end - 1) / n;
  if (firstRow == lastRow) {
    partialRow(firstRow, begin - firstRow * n, end - firstRow * n);
    return;
  }
  int64_t rowsFrom = firstRow, rowsTo = lastRow + 1;
  if (begin % n != 0) {
    partialRow(firstRow, begin % n, n);
    ++rowsFrom;
  }
  bool lastPartial = end % n != 0;
  if (lastPartial) --rowsTo;
  runRows(fn, state, rowsFrom, rowsTo);
  if (lastPartial) partialRow(lastRow, 0, end % n);
}

void StridedLoop::runRows(InnerLoopFn fn, void* state, int64_t begin, int64_t end) const {
  if (empty_) return;
  const int64_t total = outerIterations();
  begin = std::max<int64_t>(begin, 0);
  end = std::min(end, total);
  if (begin >= end) return;

  const size_t nops = bases_.size();
  const int outer = int(shape_.size()) - 1;
  constexpr size_t kInline = 16;
  char* inlinePtrs[kInline];
  std::vector<char*> heapPtrs;
  char** ptrs = inlinePtrs;
  if (nops > kInline) {
    heapPtrs.resize(nops);
    ptrs = heapPtrs.data();
  }
  int64_t idx[kMaxDims];

  // Position the odometer at row `begin`.
  for (size_t k = 0; k < nops; ++k) ptrs[k] = bases_[k];
  int64_t rem = begin;
  for (int a = outer - 1; a >= 0; --a) {
    idx[a] = rem % shape_[a];
    rem /= shape_[a];
    for (size_t k = 0; k < nops; ++k) ptrs[k] += idx[a] * outerStrides_[size_t(a) * nops + k];
  }

  const int64_t n = shape_.back();
  const int64_t* inner = innerStrides_.data();
  const int64_t* os = outerStrides_.data();
  for (int64_t row = begin;;) {
    fn(n, ptrs, inner, state);
    if (++row == end) break;
    for (int a = outer - 1; a >= 0; --a) {
      const int64_t* s = os + size_t(a) * nops;
      if (++idx[a] < shape_[a]) {
        for (size_t k = 0; k < nops; ++k) ptrs[k] += s[k];
        break;
      }
      idx[a] = 0;
      for (size_t k = 0; k < nops; ++k) ptrs[k] -= s[k] * (shape_[a] - 1);
    }
  }
}

} // namespace ravel
