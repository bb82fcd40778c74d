// StridedLoop: the N-d iteration that drives every kernel, NumPy nditer-style.
// Operands are already broadcast to the iteration shape (stride 0 on
// broadcast axes). The plan coalesces dimensions that are contiguous with each
// other for every operand and orders axes so the innermost loop has the
// smallest output stride; then it calls an inner-loop function once per
// innermost row.
//
// This is the boundary between the runtime and generated code: JIT and AOT
// kernels implement InnerLoopFn and nothing else.
#pragma once

#include "runtime/Array.h"

#include <cstdint>
#include <vector>

namespace ravel {

/// Inner-loop ABI. Processes n elements along the innermost dimension.
/// ptrs[k] is operand k's first element, strides[k] its byte stride along that
/// dimension (0 = broadcast). For elementwise kernels the last operand is the
/// output. `state` is kernel-specific (a reduction's accumulator).
extern "C" {
typedef void (*InnerLoopFn)(int64_t n, char* const* ptrs, const int64_t* strides, void* state);
}

/// How an operand moves along the inner dimension after coalescing; part of
/// the kernel-cache key because each class gets its own specialised loop.
enum class InnerLayout : uint8_t { Contiguous, Broadcast, Strided };

struct LoopOperand {
  char* data;      // first element
  Strides strides; // byte strides, one per iteration axis
  int64_t itemSize;
};

class StridedLoop {
public:
  /// Plans the loop: drops length-1 axes, sorts axes by operand `orderBy`'s
  /// |stride| (pass the output for elementwise kernels), coalesces axes that are
  /// contiguous for every operand. A zero-size shape yields an empty loop.
  StridedLoop(const Shape& shape, std::vector<LoopOperand> operands, size_t orderBy = 0);

  /// Inner layout class of each operand in the planned loop.
  std::vector<InnerLayout> innerLayouts() const;
  int64_t innerLength() const;
  int64_t outerIterations() const;
  int coalescedRank() const;

  /// Runs fn over every inner row in order (deterministic).
  void run(InnerLoopFn fn, void* state) const;
  /// Runs only outer rows [begin, end) — the unit the thread pool splits.
  void runRows(InnerLoopFn fn, void* state, int64_t begin, int64_t end) const;
  /// Runs elements [begin, end) of the loop's order (rows cut at the edges):
  /// how a kernel with few long rows is split across threads.
  void runElements(InnerLoopFn fn, void* state, int64_t begin, int64_t end) const;
  int64_t size() const { return empty_ ? 0 : innerLength() * outerIterations(); }
  /// Cache-blocked order, for loops whose result does not depend on the
  /// order (elementwise kernels, copies; never reductions): when an operand
  /// is read or written across the rows (a transpose), the two innermost
  /// axes are walked in kTile x kTile tiles, so each cache line of that
  /// operand serves a whole tile of rows instead of one element. tileCount()
  /// is 0 when the plan is not worth tiling; runTiles runs tiles
  /// [begin, end) of it, the unit the thread pool splits.
  static constexpr int64_t kTile = 32;
  int64_t tileCount() const;
  void runTiles(InnerLoopFn fn, void* state, int64_t begin, int64_t end) const;
  /// Whether runTransposedCopy can run this loop's tiles: a tiled loop whose
  /// operands `dst` and `src` have one item size, 4 or 8 bytes, with `dst`
  /// contiguous along the rows of a tile and `src` contiguous down them.
  bool tilesCopyTransposed(size_t dst, size_t src) const;
  /// runTiles of the copy dst = src, by register blocks (TransposedCopy.h);
  /// a destination of kStreamingStoresFrom bytes or more is written with
  /// non-temporal stores, fenced before this returns.
  void runTransposedCopy(size_t dst, size_t src, int64_t begin, int64_t end) const;

  /// Moves operand k's first element offsets[k] bytes from where the loop was
  /// planned. The plan depends only on the shape and strides, so one plan
  /// serves every output of an axis reduction (each output is the same loop
  /// at another base).
  void rebase(const int64_t* offsets);
  /// Operands' first elements as planned (before any rebase) and their
  /// strides along the inner axis: what a caller needs to call an inner-loop
  /// function itself on a single-row loop.
  const std::vector<char*>& plannedBases() const { return origins_; }
  const std::vector<int64_t>& innerStrides() const { return innerStrides_; }

private:
  Shape shape_;                  // coalesced, innermost last
  std::vector<Strides> strides_; // per operand, matching shape_
  std::vector<char*> bases_;
  std::vector<char*> origins_; // bases_ as planned (rebase offsets from here)
  bool empty_ = false;
  int rank_ = 0;                          // coalesced rank (0 for a single element)
  std::vector<int64_t> itemSizes_;        // per operand
  std::vector<int64_t> innerStrides_;     // per operand: stride along the inner axis
  std::vector<int64_t> outerStrides_;     // [axis * nops + op] for the outer axes
  int64_t rowBlocks_ = 0, colBlocks_ = 0; // tiles per plane (0: no tiling)

  void planTiles();
  /// Tile t's first element for each operand, and its size.
  void tileCorner(int64_t t, std::vector<char*>& corner, int64_t& rows, int64_t& cols) const;
};

} // namespace ravel
