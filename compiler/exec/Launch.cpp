// Running a kernel plan: allocate outputs, broadcast inputs to the iteration
// space, let the runtime's StridedLoop drive the JIT-compiled inner loops.
#include "compiler/exec/Interpreter.h"

#include "compiler/exec/ProductLaunch.h"
#include "compiler/fusion/FpChecks.h"

#include "runtime/Interrupt.h"
#include "runtime/MemoryOrder.h"
#include "runtime/ShortRowSums.h"
#include "runtime/ThreadPool.h"
#include "runtime/TransposedCopy.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <unordered_set>

namespace ravel::exec {
using fusion::KernelLaunch;
using fusion::KernelState;
using fusion::ReduceKind;

namespace {

bool sameView(const Array& a, const Array& b) {
  return a.data() == b.data() && a.shape() == b.shape() && a.strides() == b.strides() &&
         a.dtype() == b.dtype();
}

LoopOperand operandOf(const Array& a) {
  return {a.data(), a.strides(), a.itemsize()};
}

void initAccumulator(KernelState& st, ReduceKind r, DType t) {
  st.errorFlags = 0;
  bool isF = isFloat(t);
  double inf = std::numeric_limits<double>::infinity();
  int64_t lo = t == DType::Int32 ? INT32_MIN : t == DType::Bool ? 0 : INT64_MIN;
  int64_t hi = t == DType::Int32 ? INT32_MAX : t == DType::Bool ? 1 : INT64_MAX;
  double f = 0;
  int64_t i = 0;
  switch (r) {
    case ReduceKind::Sum:
      f = 0, i = 0;
      break;
    case ReduceKind::Prod:
      f = 1, i = 1;
      break;
    case ReduceKind::Min:
      f = inf, i = hi;
      break;
    case ReduceKind::Max:
      f = -inf, i = lo;
      break;
    case ReduceKind::None:
      break;
  }
  if (t == DType::Float32)
    st.acc.f32 = float(f);
  else if (isF)
    st.acc.f64 = f;
  else
    st.acc.i = i;
}

void storeAccumulator(const KernelState& st, DType t, char* dst) {
  switch (t) {
    case DType::Bool:
      *reinterpret_cast<uint8_t*>(dst) = st.acc.i != 0;
      break;
    case DType::Int32:
      *reinterpret_cast<int32_t*>(dst) = int32_t(st.acc.i);
      break;
    case DType::Int64:
      *reinterpret_cast<int64_t*>(dst) = st.acc.i;
      break;
    case DType::Float32:
      *reinterpret_cast<float*>(dst) = st.acc.f32;
      break;
    case DType::Float64:
      *reinterpret_cast<double*>(dst) = st.acc.f64;
      break;
  }
}

/// Stores a reduction's result: the accumulator, divided when the launch
/// divides its results (a mean, ResultDivisor.h).
void storeResult(const KernelState& st, DType t, const ResultDivisor& divisor, char* dst) {
  if (divisor && t == DType::Float64) {
    *reinterpret_cast<double*>(dst) = divisor.apply(st.acc.f64);
  } else if (divisor && t == DType::Float32) {
    *reinterpret_cast<float*>(dst) = divisor.apply(st.acc.f32);
  } else {
    storeAccumulator(st, t, dst);
  }
}

void checkFlags(int64_t flags) {
  if (flags & fusion::kErrorNegativePower)
    throw RuntimeError(ErrorKind::Value, "Integers to negative integer powers are not allowed.");
}

const char* reduceUfunc(ReduceKind r) {
  return r == ReduceKind::Min ? "minimum" : "maximum";
}

/// Elements below which a kernel runs on the calling thread alone: waking a
/// worker costs tens of microseconds, about what ~1 MB of streaming takes.
constexpr int64_t kParallelElements = int64_t(1) << 17;

/// Elements between two looks at the interrupt flag (Ctrl-C in the REPL):
/// about a millisecond of streaming. A multiple of the float sum's
/// 8192-element buffer and of 64, so cutting a row here changes neither
/// NumPy's pairwise blocking nor vector alignment.
constexpr int64_t kInterruptChunk = int64_t(1) << 20;

/// loop.run(fn, st) in pieces of about kInterruptChunk elements, stopping
/// early once an interrupt is requested. A row longer than a piece is cut at
/// multiples of kInterruptChunk from its start, so a reduction's result is
/// the same bits as one call per row. Returns false when it stopped early.
bool runInterruptibly(const StridedLoop& loop, InnerLoopFn fn, void* st) {
  if (loop.size() <= kInterruptChunk) {
    loop.run(fn, st);
    return true;
  }
  const int64_t n = loop.innerLength(), rows = loop.outerIterations();
  if (n >= kInterruptChunk) {
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t off = 0; off < n; off += kInterruptChunk) {
        if (interruptRequested()) return false;
        loop.runElements(fn, st, r * n + off, r * n + std::min(n, off + kInterruptChunk));
      }
    return true;
  }
  const int64_t rowsPerPiece = kInterruptChunk / n;
  for (int64_t r = 0; r < rows; r += rowsPerPiece) {
    if (interruptRequested()) return false;
    loop.runRows(fn, st, r, std::min(rows, r + rowsPerPiece));
  }
  return true;
}

/// Runs an elementwise loop, split across the thread pool when it is large.
/// Elements are independent, so any split gives the same bits. Returns the
/// OR of the kernel's error flags. A `stoppable` loop (one writing fresh
/// memory nobody else sees yet) ends early on Ctrl-C and throws
/// KeyboardInterrupt here, on the calling thread, after every worker has let
/// go of the job; a loop writing into an existing array always finishes, so
/// an interrupt never leaves an array half-assigned.
/// Units [0, total) in `parts` contiguous ranges on the pool (part p starts
/// at cut(p)), `chunk` units per call of run(state, begin, end) between
/// interrupt checks; the OR of the parts' error flags. Workers never throw:
/// they stop, and the caller raises after the join.
template <class Cut, class RunRange>
int64_t runSplit(int parts, int64_t total, Cut cut, int64_t chunk, bool stoppable, RunRange run) {
  std::vector<KernelState> states(size_t(parts), KernelState{});
  ThreadPool::global().parallelFor(parts, [&](int p) {
    const int64_t end = p + 1 == parts ? total : cut(p + 1);
    for (int64_t begin = cut(p); begin < end; begin += chunk) {
      if (stoppable && interruptRequested()) return;
      run(&states[size_t(p)], begin, std::min(end, begin + chunk));
    }
  });
  if (stoppable) throwIfInterrupted();
  int64_t flags = 0;
  for (const KernelState& st : states) flags |= st.errorFlags;
  return flags;
}

/// Whether `kernel` only copies its one input, unchanged, into its output.
bool copiesInput(const fusion::Kernel& kernel) {
  return kernel.body.size() == 1 && kernel.body[0].op == fusion::KOp::Load &&
         kernel.inputs.size() == 1 && kernel.inputs[0] == kernel.resultDType &&
         kernel.reduce == ReduceKind::None;
}

/// Runs an elementwise loop on the pool. `copy` says the kernel only copies
/// its input (copiesInput): a transposing copy then moves register blocks
/// (runtime/TransposedCopy.h) instead of calling `fn` per tile row.
int64_t runElementwise(const StridedLoop& loop, InnerLoopFn fn, bool stoppable = true,
                       bool copy = false) {
  ThreadPool& pool = ThreadPool::global();
  int64_t total = loop.size();
  if (const int64_t tiles = loop.tileCount()) {
    // A transposed operand: cache-blocked tiles (the order does not matter
    // to an elementwise kernel), split over the pool by whole tiles.
    const int parts = int(
        std::min<int64_t>(pool.usable(), std::max<int64_t>(1, total / (kParallelElements / 2))));
    const int64_t chunk =
        std::max<int64_t>(1, kInterruptChunk / (StridedLoop::kTile * StridedLoop::kTile));
    const size_t out = loop.innerStrides().size() - 1;
    if (copy && loop.tilesCopyTransposed(out, 0))
      return runSplit(
          parts, tiles, [&](int p) { return tiles * p / parts; }, chunk, stoppable,
          [&](KernelState*, int64_t b, int64_t e) { loop.runTransposedCopy(out, 0, b, e); });
    return runSplit(
        parts, tiles, [&](int p) { return tiles * p / parts; }, chunk, stoppable,
        [&](KernelState* st, int64_t b, int64_t e) { loop.runTiles(fn, st, b, e); });
  }
  int parts = int(std::min<int64_t>(pool.usable(), total / (kParallelElements / 2)));
  if (total < kParallelElements || parts < 2) {
    KernelState st{};
    if (stoppable)
      runInterruptibly(loop, fn, &st);
    else
      loop.run(fn, &st);
    if (stoppable) throwIfInterrupted();
    return st.errorFlags;
  }
  // Cut at multiples of 64 elements so each part's vector loop stays aligned.
  return runSplit(
      parts, total, [&](int p) { return std::min(total, (total * p / parts) & ~int64_t(63)); },
      kInterruptChunk, stoppable,
      [&](KernelState* st, int64_t b, int64_t e) { loop.runElements(fn, st, b, e); });
}

/// Whether an elementwise loop writes `out` with streaming stores: large,
/// contiguous in memory order, in rows long enough to have aligned vectors.
bool streamsOutput(const StridedLoop& loop, const Array& out,
                   const std::vector<InnerLayout>& layouts) {
  return out.nbytes() >= kStreamingStoresFrom && !layouts.empty() &&
         layouts.back() == InnerLayout::Contiguous && loop.innerLength() >= 256;
}

/// NumPy adds a float sum's 8192-element buffers one after another:
/// acc + P(b1) + P(b2) + ..., where each P (pairwise) depends only on its own
/// buffer. So the Ps are computed on all cores — each from -0.0, the exact
/// additive identity, so a kernel call on one buffer returns P itself — and
/// then folded in order on this thread: the same bits as one thread.
constexpr int64_t kSumBuffer = 8192;

void runReduction(const StridedLoop& loop, InnerLoopFn fn, KernelState& st,
                  const fusion::Kernel& kernel) {
  ThreadPool& pool = ThreadPool::global();
  const int64_t total = loop.size();
  bool floatSum =
      kernel.reduce == ReduceKind::Sum && isFloat(kernel.accumDType) && !kernel.sequential;
  if (!floatSum || total < kParallelElements || pool.usable() < 2) {
    runInterruptibly(loop, fn, &st);
    throwIfInterrupted();
    return;
  }
  const bool f32 = kernel.accumDType == DType::Float32;
  const int64_t rowLength = loop.innerLength();
  const int64_t piecesPerRow = (rowLength + kSumBuffer - 1) / kSumBuffer;
  const int64_t pieces = piecesPerRow * loop.outerIterations();
  std::vector<KernelState> partial(size_t(pieces), KernelState{});
  const int parts = pool.usable();
  pool.parallelFor(parts, [&](int p) {
    for (int64_t i = pieces * p / parts; i < pieces * (p + 1) / parts; ++i) {
      if (interruptRequested()) return; // the caller raises after the join
      int64_t row = i / piecesPerRow, begin = row * rowLength + (i % piecesPerRow) * kSumBuffer;
      int64_t end = std::min(begin + kSumBuffer, (row + 1) * rowLength);
      KernelState& s = partial[size_t(i)];
      if (f32)
        s.acc.f32 = -0.0f;
      else
        s.acc.f64 = -0.0;
      loop.runElements(fn, &s, begin, end);
    }
  });
  throwIfInterrupted();
  for (const KernelState& s : partial) {
    st.errorFlags |= s.errorFlags;
    if (f32)
      st.acc.f32 = st.acc.f32 + s.acc.f32;
    else
      st.acc.f64 = st.acc.f64 + s.acc.f64;
  }
}

/// Walks the outputs of an axis reduction in C order, keeping each input's
/// byte offset to the current output's position along the kept axes (the
/// views' first `keptAxes` axes).
struct OutputCursor {
  OutputCursor(const std::vector<Array>& inputViews, const Shape& shape, int kept, int64_t first)
      : views(inputViews), outShape(shape), keptAxes(kept), output(first), index(size_t(kept), 0),
        offsets(inputViews.size(), 0) {
    for (int64_t rem = first, k = kept - 1; k >= 0; --k) {
      index[size_t(k)] = rem % outShape[size_t(k)];
      rem /= outShape[size_t(k)];
    }
    for (size_t op = 0; op < views.size(); ++op)
      for (int k = 0; k < kept; ++k)
        offsets[op] += index[size_t(k)] * views[op].strides()[size_t(k)];
  }
  void next() {
    ++output;
    for (int k = keptAxes - 1; k >= 0; --k) {
      const int64_t n = outShape[size_t(k)];
      const bool carry = ++index[size_t(k)] == n;
      if (carry) index[size_t(k)] = 0;
      for (size_t op = 0; op < views.size(); ++op)
        offsets[op] += views[op].strides()[size_t(k)] * (carry ? 1 - n : 1);
      if (!carry) return;
    }
  }

  const std::vector<Array>& views;
  const Shape& outShape;
  const int keptAxes;
  int64_t output;
  std::vector<int64_t> index;
  std::vector<int64_t> offsets; // per input
};

/// Reduced rows per block in reduceColumnsBlocked: a block of every output's
/// rows stays in cache while each output takes its turn.
constexpr int64_t kColumnBlock = 2048;

/// A reduction along a strided axis into a few outputs (`sum(a, axis=0)` of
/// a C-ordered matrix): each output alone would stream the whole array with
/// a large stride, touching every cache line once per output. Running all
/// outputs over one block of rows at a time reads memory once. Only for
/// kernels whose result does not depend on where a row is cut (sequential
/// sums and products, integers, min and max): each output keeps one
/// accumulator across blocks, so its order is unchanged. Returns false when
/// the reduction is not of that kind.
bool reduceColumnsBlocked(StridedLoop& loop, InnerLoopFn fn, const fusion::Kernel& kernel,
                          const ResultDivisor& divisor, const std::vector<Array>& views,
                          const Shape& outShape, int keptAxes, Array& out, int64_t& flags) {
  const int64_t outCount = out.size(), redCount = loop.size();
  const bool cutFree = kernel.sequential || !isFloat(kernel.accumDType) ||
                       kernel.reduce == ReduceKind::Min || kernel.reduce == ReduceKind::Max;
  bool strided = false;
  for (InnerLayout l : loop.innerLayouts()) strided |= l == InnerLayout::Strided;
  if (!cutFree || !strided || outCount < 2 || outCount > 4096 || loop.outerIterations() != 1 ||
      redCount < 4 * kColumnBlock)
    return false;
  const size_t nops = views.size();
  std::vector<int64_t> offsets; // per output, per operand
  for (OutputCursor c(views, outShape, keptAxes, 0); c.output < outCount; c.next())
    offsets.insert(offsets.end(), c.offsets.begin(), c.offsets.end());
  std::vector<KernelState> states(size_t(outCount), KernelState{});
  for (KernelState& st : states) initAccumulator(st, kernel.reduce, kernel.accumDType);
  // Outputs [begin, end) over every block; neighbouring outputs share cache
  // lines, so each thread takes a contiguous range of them (and mostly its
  // own lines). Each output's order is the same on any thread.
  auto runOutputs = [&](StridedLoop& l, int64_t begin, int64_t end) {
    for (int64_t b = 0; b < redCount; b += kColumnBlock) {
      if (interruptRequested()) return; // the caller raises after the join
      const int64_t e = std::min(redCount, b + kColumnBlock);
      for (int64_t o = begin; o < end; ++o) {
        l.rebase(&offsets[size_t(o) * nops]);
        l.runElements(fn, &states[size_t(o)], b, e);
      }
    }
  };
  ThreadPool& pool = ThreadPool::global();
  const int parts = outCount * redCount >= kParallelElements
                        ? int(std::min<int64_t>(pool.usable(), outCount))
                        : 1;
  pool.parallelFor(parts, [&](int p) {
    StridedLoop own = loop; // rebase mutates: one copy per part
    runOutputs(own, outCount * p / parts, outCount * (p + 1) / parts);
  });
  throwIfInterrupted();
  for (int64_t o = 0; o < outCount; ++o) {
    flags |= states[size_t(o)].errorFlags;
    storeResult(states[size_t(o)], kernel.accumDType, divisor, out.data() + o * out.itemsize());
  }
  return true;
}

/// Runs an axis reduction: one accumulator per output element, each over
/// `loop` rebased to the output's position (views are the inputs with the
/// kept axes first). Many short outputs are split across the pool, each
/// computed exactly as on one thread; few long ones parallelize inside
/// runReduction instead. Returns the OR of the kernel's error flags.
/// A float sum of one array over a short inner row per output (a window
/// axis: `sliding_window_view(x, 16).mean(axis=1)`) with many outputs: one
/// kernel call per output would cost more than its 16 additions, so the
/// outputs are summed across, as vector lanes (runtime/ShortRowSums.h), with
/// each output's own NumPy order. False when the reduction is not of that
/// shape; the kernel then runs per output. (From 4 outputs on: the block
/// code costs no more than the calls, and small programs exercise it.)
bool sumShortRowsAcross(const StridedLoop& loop, const fusion::Kernel& kernel,
                        const ResultDivisor& divisor, const std::vector<Array>& views,
                        const Shape& outShape, int keptAxes, Array& out) {
  const DType t = kernel.accumDType;
  const int64_t outCount = out.size(), length = loop.size();
  // (A divisor divides in the sums' own dtype there.)
  if (kernel.reduce != ReduceKind::Sum || kernel.sequential || !isFloat(t) || views.size() != 1 ||
      (divisor && divisor.in != t) || views[0].dtype() != t || kernel.body.size() != 1 ||
      kernel.body[0].op != fusion::KOp::Load || keptAxes < 1 || loop.outerIterations() != 1 ||
      length < 1 || length > kShortRowMax || outCount < 4 || !out.isCContiguous())
    return false;
  // Outputs come in runs along the last kept axis, each run one call.
  const int64_t runLength = outShape[size_t(keptAxes - 1)];
  const int64_t rowStep = views[0].strides()[size_t(keptAxes - 1)];
  const int64_t elemStride = loop.innerStrides()[0], item = out.itemsize();
  const char* planned = loop.plannedBases()[0];
  auto runOutputs = [&](int64_t begin, int64_t end) {
    for (int64_t o = begin; o < end;) {
      int64_t run = o / runLength, within = o % runLength, offset = within * rowStep;
      for (int k = keptAxes - 2; k >= 0; --k) {
        offset += run % outShape[size_t(k)] * views[0].strides()[size_t(k)];
        run /= outShape[size_t(k)];
      }
      const int64_t count = std::min(end - o, runLength - within);
      sumShortRows(t, planned + offset, count, rowStep, length, elemStride, divisor.value,
                   out.data() + o * item);
      o += count;
    }
  };
  ThreadPool& pool = ThreadPool::global();
  const int parts = outCount * length < kParallelElements ? 1 : std::max(1, pool.usable());
  // Plain loads and adds raise no flags: the states stay clear.
  runSplit(
      parts, outCount, [&](int p) { return outCount * p / parts; }, kInterruptChunk / length,
      /*stoppable=*/true, [&](KernelState*, int64_t b, int64_t e) { runOutputs(b, e); });
  return true;
}

int64_t reduceOutputs(StridedLoop& loop, InnerLoopFn fn, const fusion::Kernel& kernel,
                      const ResultDivisor& divisor, const std::vector<Array>& views,
                      const Shape& outShape, int keptAxes, Array& out) {
  if (sumShortRowsAcross(loop, kernel, divisor, views, outShape, keptAxes, out)) return 0;
  const int64_t outCount = out.size(), redCount = loop.size();
  const size_t nops = views.size();
  // Runs outputs [begin, end) on `l`; returns the OR of their error flags.
  auto run = [&](StridedLoop& l, int64_t begin, int64_t end, bool inner) {
    OutputCursor cursor(views, outShape, keptAxes, begin);
    const std::vector<int64_t>& offsets = cursor.offsets;
    int64_t flags = 0;
    char* dst = out.data();
    // A reduction over one row per output (after coalescing) calls the
    // kernel directly: the loop machinery would cost more than a short row.
    // (A long row is left to runReduction, which may split it across threads.)
    const int64_t rowLength = l.size();
    const bool oneRow = l.outerIterations() == 1 && (!inner || rowLength < kParallelElements);
    std::vector<char*> ptrs(l.plannedBases());
    for (int64_t o = begin; o < end; ++o) {
      if (interruptRequested()) break; // on a worker: the caller raises after the join
      KernelState st{};
      initAccumulator(st, kernel.reduce, kernel.accumDType);
      if (oneRow) {
        for (size_t op = 0; op < nops; ++op) ptrs[op] = l.plannedBases()[op] + offsets[op];
        fn(rowLength, ptrs.data(), l.innerStrides().data(), &st);
      } else {
        l.rebase(offsets.data());
        if (inner)
          runReduction(l, fn, st, kernel);
        else
          l.run(fn, &st);
      }
      flags |= st.errorFlags;
      storeResult(st, kernel.accumDType, divisor, dst + o * out.itemsize());
      cursor.next();
    }
    return flags;
  };
  int64_t blockedFlags = 0;
  if (reduceColumnsBlocked(loop, fn, kernel, divisor, views, outShape, keptAxes, out, blockedFlags))
    return blockedFlags;
  ThreadPool& pool = ThreadPool::global();
  const int parts = int(std::min<int64_t>(pool.usable(), outCount));
  if (parts < 2 || outCount * redCount < kParallelElements || redCount >= kParallelElements) {
    const int64_t flags = run(loop, 0, outCount, true);
    throwIfInterrupted();
    return flags;
  }
  std::vector<int64_t> flags(size_t(parts), 0);
  pool.parallelFor(parts, [&](int p) {
    StridedLoop own = loop; // rebase mutates: one copy per part
    flags[size_t(p)] = run(own, outCount * p / parts, outCount * (p + 1) / parts, false);
  });
  throwIfInterrupted();
  int64_t all = 0;
  for (int64_t f : flags) all |= f;
  return all;
}

/// Bytes of accumulators an accumulate-rows reduction keeps per block: while
/// every row of the input streams through a block, the block's accumulators
/// stay in L1/L2 and each row's slice is one contiguous run of the same
/// length, long enough for the hardware prefetcher.
constexpr int64_t kRowBlockBytes = int64_t(256) << 10;
/// Accumulators per block when the kept axes leave several rows: whole
/// rows, at least this many elements.
constexpr int64_t kRowStreamElements = 512;
/// Shortest inner row (elements) worth a vector loop per reduced index; a
/// narrower result (`sum(r, axis=0)` of an (n, 3) array) keeps the
/// per-output loop, which walks each column in one call.
constexpr int64_t kRowsMinInner = 16;

/// An axis reduction run as an accumulate-rows kernel (Kernel::accumulateRows):
/// one loop over the kept axes, whose operands are the inputs at reduced
/// index 0 and then the result, run once per reduced index.
struct RowsPlan {
  StridedLoop loop;
  std::vector<int64_t> step; // per operand: bytes along the reduced axis (0 for the result)
  int64_t rows = 0;          // length of the reduced axis
};

/// The accumulate-rows plan of a reduction, when it applies: at most one
/// reduced axis longer than 1 (so each output's serial chain runs in index
/// order along it, which is NumPy's order when that axis is not the inner
/// loop), every input moving contiguously or not at all along the kept
/// loop's inner axis (else the reduced axis is the better inner loop), and
/// for a float sum, Kernel::sequential (a pairwise sum keeps the per-output
/// loop). `views` are the inputs broadcast to the iteration space with the
/// kept axes first; `out` is the result as written, C order over those axes.
std::optional<RowsPlan> planRows(const fusion::Kernel& kernel, const std::vector<Array>& views,
                                 int keptAxes, const Array& out) {
  if (isFloat(kernel.accumDType) && kernel.reduce == ReduceKind::Sum && !kernel.sequential)
    return std::nullopt;
  if (views.empty() || out.size() == 0) return std::nullopt;
  const Array& first = views[0];
  int axis = -1;
  for (int d = keptAxes; d < first.ndim(); ++d) {
    if (first.shape()[size_t(d)] == 0) return std::nullopt; // empty: nothing to stream
    if (first.shape()[size_t(d)] == 1) continue;
    if (axis >= 0) return std::nullopt;
    axis = d;
  }
  std::vector<LoopOperand> ops;
  std::vector<int64_t> step;
  for (const Array& v : views) {
    ops.push_back(
        {v.data(), Strides(v.strides().begin(), v.strides().begin() + keptAxes), v.itemsize()});
    step.push_back(axis < 0 ? 0 : v.strides()[size_t(axis)]);
  }
  ops.push_back(operandOf(out));
  step.push_back(0);
  const size_t orderBy = ops.size() - 1;
  RowsPlan plan{StridedLoop(out.shape(), std::move(ops), orderBy), std::move(step),
                axis < 0 ? 1 : first.shape()[size_t(axis)]};
  const std::vector<InnerLayout> layouts = plan.loop.innerLayouts();
  for (size_t k = 0; k + 1 < layouts.size(); ++k)
    if (layouts[k] == InnerLayout::Strided) return std::nullopt;
  if (layouts.back() != InnerLayout::Contiguous || plan.loop.innerLength() < kRowsMinInner)
    return std::nullopt;
  return plan;
}

/// Sets `count` accumulators at `dst` to the identity of `r` in dtype `t`
/// (the value the per-output loop starts from, see initAccumulator).
void fillIdentity(ReduceKind r, DType t, char* dst, int64_t count) {
  KernelState st{};
  initAccumulator(st, r, t);
  char one[8];
  storeAccumulator(st, t, one);
  const int64_t size = itemSize(t);
  for (int64_t i = 0; i < count; ++i) std::memcpy(dst + i * size, one, size_t(size));
}

/// Runs an accumulate-rows reduction into `out` (dense, fresh, written in
/// the plan loop's order, so loop element e is out's element e). The kept
/// elements are cut into blocks of kRowBlockBytes of accumulators (a few
/// whole rows when the kept loop has several); each block
/// is set to the identity, then every reduced index in order adds its slice.
/// Threads take contiguous ranges of blocks (cut at multiples of 64
/// elements, keeping vector alignment, or at whole rows): an output's chain is the same on
/// any thread count. Returns the OR of the kernel's error flags.
int64_t runRows(const RowsPlan& plan, InnerLoopFn fn, const fusion::Kernel& kernel,
                const ResultDivisor& divisor, Array& out) {
  const int64_t total = plan.loop.size(), rows = plan.rows, itemsize = out.itemsize();
  const size_t nops = plan.step.size();
  // With several kept rows (a middle axis: kept (a, j), reduced i, memory
  // order a, i, j), a block is a few whole rows, so the rows of one block
  // are a few sequential streams; many rows per block would be as many
  // streams, each advancing by a large stride.
  const int64_t inner = plan.loop.innerLength();
  const bool multiRow = plan.loop.outerIterations() > 1;
  const int64_t unit = multiRow ? inner : 64; // cuts at whole rows, or keep vector alignment
  const int64_t block = multiRow
                            ? inner * std::max<int64_t>(1, (kRowStreamElements + inner - 1) / inner)
                            : std::max<int64_t>(64, (kRowBlockBytes / itemsize) & ~int64_t(63));
  ThreadPool& pool = ThreadPool::global();
  const int parts = total * rows >= kParallelElements
                        ? int(std::min<int64_t>(pool.usable(), (total + unit - 1) / unit))
                        : 1;
  auto cut = [&](int p) {
    return p == parts ? total : std::min(total, (total * p / parts) / unit * unit);
  };
  std::vector<int64_t> flags(size_t(std::max(parts, 1)), 0);
  pool.parallelFor(parts, [&](int p) {
    StridedLoop own = plan.loop; // rebase mutates: one copy per part
    const bool oneRow = own.outerIterations() == 1;
    std::vector<int64_t> offsets(nops, 0);
    std::vector<char*> ptrs(nops);
    KernelState st{};
    for (int64_t b = cut(p), end = cut(p + 1); b < end; b += block) {
      const int64_t e = std::min(end, b + block);
      fillIdentity(kernel.reduce, kernel.accumDType, out.data() + b * itemsize, e - b);
      // About kInterruptChunk elements between looks at the interrupt flag.
      const int64_t poll = std::max<int64_t>(1, kInterruptChunk / (e - b));
      for (int64_t i = 0; i < rows; ++i) {
        if (i % poll == 0 && interruptRequested()) return; // the caller raises after the join
        if (oneRow) {
          for (size_t k = 0; k < nops; ++k)
            ptrs[k] = own.plannedBases()[k] + i * plan.step[k] + b * own.innerStrides()[k];
          fn(e - b, ptrs.data(), own.innerStrides().data(), &st);
        } else {
          for (size_t k = 0; k < nops; ++k) offsets[k] = i * plan.step[k];
          own.rebase(offsets.data());
          own.runElements(fn, &st, b, e);
        }
      }
      // The block's sums are complete and still in cache.
      divideResults(out.data() + b * itemsize, e - b, kernel.accumDType, divisor);
    }
    flags[size_t(p)] = st.errorFlags;
  });
  throwIfInterrupted();
  int64_t all = 0;
  for (int64_t f : flags) all |= f;
  return all;
}

/// NumPy's order for a float sum: pairwise along the innermost memory axis
/// when that axis is reduced, else row after row, element by element (an
/// axis=0 sum of a C-ordered matrix adds whole rows in order). The innermost
/// axis is the first axis longer than 1 of `order` (kernelAxisOrder for a
/// reduction): the input's own axes sorted by |stride| when the reduction
/// reads one array directly, else the K order of NumPy's temporary (an
/// F-ordered `(g.T * 2)` reduces along its axis 0 in memory). Axes no
/// operand tells apart (a broadcast axis has stride 0) keep C order, as in
/// NumPy's iterator: `broadcast_to(row, (m, n)).sum(axis=0)` is the chain.
///
/// Float min and max follow the same rule: along a reduced axis that is not
/// the inner one NumPy runs its binary loop, `(acc < v || isnan(acc)) ? acc
/// : v`, whose ties between -0.0 and +0.0 take the later element.
bool sumsSequentially(const KernelLaunch& launch, const std::vector<int>& order,
                      const std::vector<int>& kept) {
  const ReduceKind r = launch.kernel.reduce;
  const bool floatMinMax =
      isFloat(launch.kernel.accumDType) && (r == ReduceKind::Min || r == ReduceKind::Max);
  if ((r != ReduceKind::Sum && !floatMinMax) || kept.empty()) return false;
  for (int d : order)
    if (launch.iterShape[size_t(d)] != 1)
      return std::find(kept.begin(), kept.end(), d) != kept.end();
  return false;
}

} // namespace

static std::vector<int> kernelAxisOrder(const fusion::Kernel& kernel,
                                        const std::vector<Array>& inputs, const Shape& iter,
                                        bool reduction);

int64_t Interpreter::flattenSumInput(fusion::Kernel& kernel, std::vector<Array>& inputs,
                                     const Shape& iter, int64_t& allocated,
                                     fusion::Kernel& original, std::vector<Array>& originalInputs) {
  if (kernel.reduce != ReduceKind::Sum || !isFloat(kernel.accumDType) || kernel.sequential)
    return 0;
  std::vector<LoopOperand> ops;
  for (const Array& a : inputs) ops.push_back(operandOf(a.broadcastTo(iter)));
  if (ops.empty()) return 0;
  StridedLoop probe(iter, ops);
  if (probe.outerIterations() <= 1 || probe.innerLength() % kSumBuffer == 0) return 0;
  // Rows that do not merge into one run, cut across by NumPy's 8192-element
  // buffers: NumPy sums the values in its iterator's order, so ravel writes
  // them into one array laid out in that order (a temporary NumPy would also
  // have made) and sums that. The order is the one kernelAxisOrder gives a
  // reduction: an expression's temporary in its K order, or, for an array
  // read directly, its axes sorted by |stride|. Negatively strided axes keep
  // their index order (measured: `sum(x[:, ::-1].T)` matches only unflipped).
  original = kernel;
  originalInputs = inputs;
  fusion::Kernel values = kernel;
  values.reduce = ReduceKind::None;
  values.name = kernel.name + "_values";
  Array tmp =
      Array::emptyInAxisOrder(iter, kernel.accumDType, kernelAxisOrder(kernel, inputs, iter, true));
  allocated += tmp.nbytes();
  ops.push_back(operandOf(tmp));
  StridedLoop loop(iter, ops, ops.size() - 1);
  values.layouts = loop.innerLayouts();
  int64_t flags = runElementwise(loop, kernelProvider_.compile(values));

  fusion::Kernel sum;
  sum.name = kernel.name;
  sum.inputs = {kernel.accumDType};
  fusion::KInstr load{};
  load.op = fusion::KOp::Load;
  load.dtype = kernel.accumDType;
  load.input = 0;
  sum.body = {load};
  sum.result = 0;
  sum.resultDType = kernel.accumDType;
  sum.reduce = ReduceKind::Sum;
  sum.accumDType = kernel.accumDType;
  kernel = sum;
  inputs = {tmp};
  return flags;
}

/// The memory order NumPy gives a kernel's value (order='K', fastest axis
/// first) over the iteration space `iter`. NumPy computes a fused expression
/// one ufunc at a time, each temporary laid out by its own operands, so the
/// walk follows the kernel's body: a load has its array's layout, a constant
/// none, a cast (buffered in NumPy, or astype's copy in the same order) its
/// operand's, and every other operation the dense layout of the temporary
/// NumPy would allocate for it. That layout is C or Fortran order when every
/// array operand has the result's shape and is C- (or else all are F-)
/// contiguous (the ufunc's trivial loop), otherwise the order NumPy's
/// iterator sorts the operands' strides into. Axes where a value has length 1
/// carry stride 0, as in NumPy's iterator.
static std::vector<int> kernelAxisOrder(const fusion::Kernel& kernel,
                                        const std::vector<Array>& inputs, const Shape& iter,
                                        bool reduction) {
  const int n = int(iter.size());
  struct Layout {
    Strides strides;              // as NumPy's iterator sees this value
    std::vector<bool> unit;       // axes where the value has length 1
    int ndim = 0;                 // the value's own rank (right-aligned in iter)
    bool c = true, f = true;      // NumPy's C_CONTIGUOUS / F_CONTIGUOUS flags
    const Array* array = nullptr; // the input a (cast) load reads
  };
  std::vector<int> cOrder, fOrder;
  for (int d = n - 1; d >= 0; --d) cOrder.push_back(d);
  for (int d = 0; d < n; ++d) fOrder.push_back(d);
  std::vector<Layout> values(kernel.body.size());
  std::vector<int> lastOrder;
  for (size_t k = 0; k < kernel.body.size(); ++k) {
    const fusion::KInstr& in = kernel.body[k];
    Layout& v = values[k];
    if (in.op == fusion::KOp::Load) {
      const Array& a = inputs[size_t(in.input)];
      v.strides = iterationStrides(a, n);
      v.unit.assign(size_t(n), true);
      for (int d = 0; d < a.ndim(); ++d)
        v.unit[size_t(n - a.ndim() + d)] = a.shape()[size_t(d)] == 1;
      v.ndim = a.ndim();
      v.c = a.isCContiguous();
      v.f = a.isFContiguous();
      v.array = &a;
      continue;
    }
    if (in.op == fusion::KOp::Const) {
      v.strides.assign(size_t(n), 0);
      v.unit.assign(size_t(n), true);
      continue;
    }
    if (in.op == fusion::KOp::Cast) {
      v = values[size_t(in.args[0])];
      continue;
    }
    std::vector<const Layout*> args;
    v.unit.assign(size_t(n), true);
    for (int arg : in.args) {
      if (arg < 0) continue;
      const Layout& a = values[size_t(arg)];
      args.push_back(&a);
      v.ndim = std::max(v.ndim, a.ndim);
      for (int d = 0; d < n; ++d) v.unit[size_t(d)] = v.unit[size_t(d)] && a.unit[size_t(d)];
    }
    bool trivial = true, allC = true, allF = true;
    std::vector<Strides> operands;
    for (const Layout* a : args) {
      operands.push_back(a->strides);
      if (a->ndim == 0) continue; // a scalar joins any loop
      trivial &= a->ndim == v.ndim && a->unit == v.unit;
      allC &= a->c;
      allF &= a->f;
    }
    std::vector<int> order = trivial && allC   ? cOrder
                             : trivial && allF ? fOrder
                                               : axisOrderFastestFirst(operands, n);
    Shape shape(size_t(n), 1);
    for (int d = 0; d < n; ++d) shape[size_t(d)] = v.unit[size_t(d)] ? 1 : iter[size_t(d)];
    v.strides = stridesInAxisOrder(shape, itemSize(in.dtype), order);
    for (int d = 0; d < n; ++d)
      if (v.unit[size_t(d)]) v.strides[size_t(d)] = 0;
    // Flags of the dense temporary: C (F) when its axes longer than 1 run
    // slowest to fastest in (reverse) axis order.
    std::vector<int> longAxes;
    for (int d : order)
      if (!v.unit[size_t(d)]) longAxes.push_back(d);
    v.c = std::is_sorted(longAxes.rbegin(), longAxes.rend());
    v.f = std::is_sorted(longAxes.begin(), longAxes.end());
    if (int(k) == kernel.result) return order;
  }
  // The value is a (cast) load: a copy in the array's own order, as
  // PyArray_NewLikeArray keeps it (astype, copy()): C or Fortran when the
  // array is, else its axes sorted by |stride|, length-1 axes included.
  const Layout& result = values[size_t(kernel.result)];
  if (result.c) return cOrder;
  if (result.f) return fOrder;
  // A reduction of an array orders its axes as NumPy's iterator does.
  if (reduction) return axisOrderFastestFirst({result.strides}, n);
  if (result.array && result.array->ndim() == n) {
    std::vector<int> slowestFirst = cOrder;
    std::reverse(slowestFirst.begin(), slowestFirst.end());
    const Strides& st = result.array->strides();
    std::stable_sort(slowestFirst.begin(), slowestFirst.end(), [&](int x, int y) {
      return std::llabs(st[size_t(x)]) > std::llabs(st[size_t(y)]);
    });
    return std::vector<int>(slowestFirst.rbegin(), slowestFirst.rend());
  }
  return axisOrderFastestFirst({result.strides}, n);
}

void Interpreter::runPlan(const fusion::KernelPlan& plan, const Array* target, Array* result,
                          const std::vector<std::vector<Array>>* leaves, ReplayKernels* kernels) {
  ++planRuns_;
  const bool record = recording_ && !leaves;
  std::vector<Array> results(plan.launches.size());
  const size_t firstRecord = launches_.size();
  for (size_t li = 0; li < plan.launches.size(); ++li) {
    const KernelLaunch& launch = plan.launches[li];
    bool last = li + 1 == plan.launches.size();
    const Array* into = last ? target : nullptr;
    std::vector<Array> inputs;
    inputs.reserve(launch.inputs.size());
    for (size_t k = 0; k < launch.inputs.size(); ++k) {
      const fusion::LaunchInput& in = launch.inputs[k];
      inputs.push_back(int(k) == launch.epilogueOf ? Array() // computed inside the launch
                       : in.fromLaunch >= 0        ? results[in.fromLaunch]
                       : leaves                    ? (*leaves)[li][k]
                       : in.known.valid()          ? in.known
                                                   : in.node->input);
    }

    try {
      int64_t allocated = 0;
      if (launch.product || launch.epilogueOf >= 0) {
        fusion::Kernel kernel = launch.kernel;
        kernel.name = "k" + std::to_string(firstRecord + li);
        if (launch.product) {
          // Into fresh memory even with a target (which may be an operand,
          // `a @= b`): stored into it after the loop, as a reduction is.
          // Remembered results of dead nodes hold their memory: free them
          // before allocating, so a product reuses a warm block (an 8 MB
          // result on fresh pages costs ~20 ms of page faults here).
          std::erase_if(reductions_, [](const auto& e) { return e.second.first.expired(); });
          std::string routine = "BLAS";
          Array out = runProductLaunch(launch, inputs, dryRun_, routine);
          results[li] = out;
          if (graph::isProduct(launch.root->op)) rememberReduction(launch.root, out);
          if (recording_)
            recordLaunch(launch, kernel, inputs, out.nbytes(), out, int(firstRecord), routine);
          continue;
        }
        // The epilogue of a product: NumPy's result order, with the product as the C-ordered array
        // NumPy would hold (a C-ordered stand-in of its shape).
        const Shape& iter = launch.iterShape;
        Array out = Array::empty(iter, kernel.resultDType);
        inputs[size_t(launch.epilogueOf)] = out;
        const std::vector<int> order = kernelAxisOrder(kernel, inputs, iter, false);
        if (order != std::vector<int>{1, 0})
          out = Array::emptyInAxisOrder(iter, kernel.resultDType, order);
        allocated = out.nbytes();
        std::string routine = "BLAS";
        // The panels are gone once the epilogue ran: it checks exactly at once.
        kernel.fpExact = fusion::fpCanWarn(kernel);
        int64_t flags = 0;
        auto runLoop = [&](const StridedLoop& l, InnerLoopFn f) { flags |= runElementwise(l, f); };
        runEpilogueLaunch(launch, kernel, inputs, out, kernelProvider_, dryRun_, runLoop, routine);
        checkFlags(flags);
        if (kernel.fpExact) checkFp(kernel, flags, launch.root->span, nullptr, nullptr);
        inputs[size_t(launch.epilogueOf)] = Array();
        results[li] = out;
        if (recording_)
          recordLaunch(launch, kernel, inputs, allocated, out, int(firstRecord), routine);
        continue;
      }
      if (launch.kernel.reduce == ReduceKind::None) {
        const fusion::Kernel& planned = launch.kernel;
        Shape iter = into ? into->shape() : launch.iterShape;
        std::vector<int> order;
        if (!into) order = kernelAxisOrder(planned, inputs, iter, false);
        Array out = into ? *into : Array::emptyInAxisOrder(iter, planned.resultDType, order);
        if (!into) allocated = out.nbytes();
        std::vector<LoopOperand> ops;
        ops.reserve(inputs.size() + 1);
        bool inPlace = false;
        for (Array& a : inputs) {
          // An input partially overlapping the output would be overwritten
          // before it is read: NumPy semantics are "as if copied first".
          if (into && !sameView(a, out) && a.mayShareMemory(out)) a = a.copy();
          inPlace |= into && sameView(a, out);
          ops.push_back(a.shape() == iter ? operandOf(a) : operandOf(a.broadcastTo(iter)));
        }
        // An in-place update cannot be re-run to find what warned (its
        // inputs are gone): it checks exactly at once.
        const bool exactNow = inPlace && fusion::fpCanWarn(planned);
        ops.push_back(operandOf(out));
        // Iterate in the output's memory order: writes stay sequential.
        StridedLoop loop(iter, ops, ops.size() - 1);
        // A replay's layouts are the recorded ones: its kernel is too.
        InnerLoopFn fn = !exactNow && kernels && kernels->evictedAt == kernelProvider_.evictions()
                             ? kernels->fns[li]
                             : nullptr;
        fusion::Kernel kernel;
        if (!fn) {
          kernel = planned;
          // Recorded kernels are numbered k0, k1, ... in the order explain shows them.
          kernel.name = "k" + std::to_string(firstRecord + li);
          kernel.layouts = loop.innerLayouts();
          kernel.fpExact = exactNow;
          kernel.streamingStores = !exactNow && streamsOutput(loop, out, kernel.layouts);
          fn = kernelProvider_.compile(kernel);
          if (kernels && !exactNow) {
            if (kernels->evictedAt != kernelProvider_.evictions())
              kernels->fns.assign(plan.launches.size(), nullptr);
            kernels->evictedAt = kernelProvider_.evictions();
            kernels->fns[li] = fn;
          }
        }
        int64_t flags = 0;
        if (!dryRun_ && out.size() > 0)
          flags = runElementwise(loop, fn, /*stoppable=*/!into, copiesInput(planned));
        checkFlags(flags);
        if (exactNow || fusion::fpSuspect(flags)) {
          fusion::Kernel ran = planned;
          ran.layouts = loop.innerLayouts();
          ran.fpExact = exactNow;
          checkFp(
              ran, flags, launch.root->span,
              [&](const fusion::Kernel& k) {
                return runElementwise(loop, kernelProvider_.compile(k));
              },
              nullptr);
        }
        if (kernels && plan.launches.size() == 1) {
          // The loop of a one-launch replay serves the next replay, rebased.
          kernels->loop = loop;
          kernels->plannedData.clear();
          for (const LoopOperand& op : ops) kernels->plannedData.push_back(op.data);
          kernels->outOrder = order;
        }
        results[li] = out;
        if (record) recordLaunch(launch, kernel, inputs, allocated, out, int(firstRecord));
        continue;
      }

      // Reduction: iterate kept axes outside, run the kernel over reduced axes.
      fusion::Kernel kernel = launch.kernel;
      kernel.name = "k" + std::to_string(firstRecord + li);
      const Shape& iter = launch.iterShape;
      std::vector<int> kept, red;
      for (int d = 0; d < int(iter.size()); ++d) {
        bool r = std::find(launch.reduceAxes.begin(), launch.reduceAxes.end(), d) !=
                 launch.reduceAxes.end();
        (r ? red : kept).push_back(d);
      }
      Shape redShape;
      for (int d : red) redShape.push_back(iter[d]);
      int64_t redCount = checkedSize(redShape);
      // The result keeps the reduced value's memory order (NumPy's order='K'
      // over the kept axes). The kernel writes outputs in C order of `kept`,
      // so kept is listed slowest first and written through a C view.
      std::vector<int> keptSlowestFirst;
      {
        std::vector<int> order = kernelAxisOrder(kernel, inputs, iter, true);
        for (auto d = order.rbegin(); d != order.rend(); ++d)
          if (std::find(kept.begin(), kept.end(), *d) != kept.end()) keptSlowestFirst.push_back(*d);
      }
      Shape outShape;
      for (int d : kept) outShape.push_back(iter[d]);
      std::vector<int> outFastestFirst, outPerm;
      for (auto d = keptSlowestFirst.rbegin(); d != keptSlowestFirst.rend(); ++d)
        outFastestFirst.push_back(int(std::find(kept.begin(), kept.end(), *d) - kept.begin()));
      for (auto d = outFastestFirst.rbegin(); d != outFastestFirst.rend(); ++d)
        outPerm.push_back(*d);
      Array out = Array::emptyInAxisOrder(outShape, kernel.accumDType, outFastestFirst);
      allocated = out.nbytes();
      Array outWritten = kept == keptSlowestFirst ? out : out.transpose(outPerm);
      kept = keptSlowestFirst;
      outShape = outWritten.shape();
      if (redCount == 0 && launch.emptyIsError)
        throw RuntimeError(ErrorKind::Value,
                           std::string("zero-size array to reduction operation ") +
                               reduceUfunc(kernel.reduce) + " which has no identity");
      kernel.sequential =
          sumsSequentially(launch, kernelAxisOrder(kernel, inputs, iter, true), kept);
      int64_t flags = 0;
      fusion::Kernel flattened; // the kernel and inputs before flattenSumInput, if it applied
      std::vector<Array> flattenedInputs;
      if (kept.empty() && !dryRun_)
        flags = flattenSumInput(kernel, inputs, iter, allocated, flattened, flattenedInputs);
      std::vector<int> perm = kept;
      perm.insert(perm.end(), red.begin(), red.end());
      std::vector<Array> views;
      for (const Array& a : inputs) views.push_back(a.broadcastTo(iter).transpose(perm));
      int64_t outCount = out.size();
      fusion::Kernel compiled; // what ran, as explain shows it
      // A reduced axis that is not the inner memory axis streams the input
      // in memory order into a vector of accumulators (planRows).
      if (std::optional<RowsPlan> rows = planRows(kernel, views, int(kept.size()), outWritten)) {
        compiled = kernel;
        compiled.accumulateRows = true;
        compiled.layouts = rows->loop.innerLayouts();
        InnerLoopFn fn =
            kernelProvider_.compile(compiled); // also when nothing runs: explain sees it
        kernel.layouts =
            std::vector<InnerLayout>(compiled.layouts.begin(), compiled.layouts.end() - 1);
        if (!dryRun_) flags |= runRows(*rows, fn, compiled, launch.divideResults, outWritten);
      } else {
        // One loop plan over the reduced axes serves every output: output o
        // is the same loop rebased to o's position along the kept axes.
        std::vector<LoopOperand> ops;
        for (const Array& v : views)
          ops.push_back({v.data(), Strides(v.strides().begin() + kept.size(), v.strides().end()),
                         v.itemsize()});
        StridedLoop loop(redShape, ops);
        if (outCount == 0 || redCount == 0)
          kernel.layouts.assign(inputs.size(), InnerLayout::Contiguous);
        else
          kernel.layouts = loop.innerLayouts();
        InnerLoopFn fn =
            kernelProvider_.compile(kernel); // also when nothing runs: explain and the cache see it
        if (!dryRun_ && outCount > 0)
          flags |= reduceOutputs(loop, fn, kernel, launch.divideResults, views, outShape,
                                 int(kept.size()), outWritten);
        compiled = kernel;
      }
      checkFlags(flags);
      const bool floatFold = isFloat(kernel.accumDType) && (kernel.reduce == ReduceKind::Sum ||
                                                            kernel.reduce == ReduceKind::Prod);
      if (!dryRun_ && outCount > 0 && (floatFold || fusion::fpSuspect(flags))) {
        const bool flat = !flattened.body.empty();
        const fusion::Kernel& body = flat ? flattened : kernel;
        const std::vector<Array>& bodyInputs = flat ? flattenedInputs : inputs;
        // The exact check of a reduction runs its body elementwise, storing nothing.
        checkFp(
            body, flags, launch.root->span,
            [&](const fusion::Kernel& k) {
              fusion::Kernel e = k;
              e.reduce = ReduceKind::None;
              std::vector<LoopOperand> bodyOps;
              for (const Array& a : bodyInputs) bodyOps.push_back(operandOf(a.broadcastTo(iter)));
              StridedLoop all(iter, bodyOps);
              e.layouts = all.innerLayouts();
              return runElementwise(all, kernelProvider_.compile(e));
            },
            &out);
      }
      results[li] = out;
      // A replayed plan's roots stand for no live node (CallPlan.h).
      if (!leaves) rememberReduction(launch.root, out);
      if (record) recordLaunch(launch, compiled, inputs, allocated, out, int(firstRecord));
    } catch (const RuntimeError& e) {
      // A data-dependent error (an empty max, a negative integer power)
      // points at the operation that failed, not at what needed its value.
      rethrowWithSpan(e, launch.root->span);
    }
  }
  if (target && !plan.launches.empty() &&
      (plan.launches.back().kernel.reduce != ReduceKind::None || plan.launches.back().product) &&
      !dryRun_) {
    // A reduction computes into fresh memory of its own (it never overlaps
    // the target); an assignment of it (`x[...] = a.sum(axis=1)`) then
    // stores it into the target, broadcast and cast as NumPy's setitem does.
    Array(*target).assign(results.back());
  }
  if (result) *result = results.back();
}

bool Interpreter::replayLoop(const CallPlan& plan, ArgRefs args, const Array* target, Array* result,
                             const Array* recycled) {
  ReplayKernels& k = plan.kernels;
  if (!k.loop || k.evictedAt != kernelProvider_.evictions() || !k.fns[0]) return false;
  const fusion::KernelLaunch& launch = plan.plan.launches[0];
  const std::vector<LeafCut>& cuts = plan.leaves[0];
  for (const LeafCut& cut : cuts)
    if (!cut.whole) return false;
  // An update of an argument in place could not be re-run to find what
  // warned: the full path checks it exactly.
  if (target)
    for (const LeafCut& cut : cuts)
      if (args[size_t(cut.param)]->array->data.mayShareMemory(*target)) return false;
  // The memory written: the target's, the recycled, else new.
  Array fresh;
  if (!target && !recycled)
    fresh = Array::emptyInAxisOrder(launch.iterShape, launch.kernel.resultDType, k.outOrder);
  const Array& out = target ? *target : recycled ? *recycled : fresh;
  k.offsets.resize(cuts.size() + 1);
  for (size_t i = 0; i < cuts.size(); ++i)
    k.offsets[i] = args[size_t(cuts[i].param)]->array->data.data() - k.plannedData[i];
  k.offsets[cuts.size()] = out.data() - k.plannedData[cuts.size()];
  k.loop->rebase(k.offsets.data());
  try {
    int64_t flags = out.size() > 0 ? runElementwise(*k.loop, k.fns[0], /*stoppable=*/!target,
                                                    copiesInput(launch.kernel))
                                   : 0;
    checkFlags(flags);
    if (fusion::fpSuspect(flags)) {
      fusion::Kernel ran = launch.kernel;
      ran.layouts = k.loop->innerLayouts();
      checkFp(
          ran, flags, launch.root->span,
          [&](const fusion::Kernel& e) {
            return runElementwise(*k.loop, kernelProvider_.compile(e));
          },
          nullptr);
    }
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, launch.root->span);
  }
  if (result && !target && !recycled) *result = std::move(fresh);
  return true;
}

void Interpreter::rememberReduction(const graph::NodeRef& node, const Array& result) {
  if (reductions_.size() > 1024) {
    std::erase_if(reductions_, [](const auto& e) { return e.second.first.expired(); });
  }
  reductions_[node.get()] = {node, result};
}

Array Interpreter::knownReduction(const graph::Node* node) const {
  auto it = reductions_.find(node);
  if (it == reductions_.end()) return {};
  // The pointer may name a newer node at a reused address: check identity.
  graph::NodeRef live = it->second.first.lock();
  return live.get() == node ? it->second.second : Array{};
}

void Interpreter::recordLaunch(const KernelLaunch& l, const fusion::Kernel& compiled,
                               const std::vector<Array>& inputs, int64_t allocated,
                               const Array& out, int firstIndex, const std::string& routine) {
  LaunchRecord r;
  r.routine = routine;
  fusion::KernelLaunch shown = l;
  shown.kernel = compiled;
  r.text = fusion::dumpLaunch(shown, firstIndex);
  r.kernel = compiled;
  r.span = currentStmt_ ? currentStmt_->span() : Span{};
  for (size_t i = 0; i < inputs.size(); ++i) {
    const int from = l.inputs[i].fromLaunch;
    r.inputFromRecord.push_back(from >= 0 ? firstIndex + from : -1);
    if (int(i) == l.epilogueOf) { // never in memory as a whole: read from cache, panel by panel
      r.inputNames.push_back("the product's row panels");
      r.inputBytes.push_back(0);
      r.inputIsView.push_back(false);
      r.inputViewOf.emplace_back();
      continue;
    }
    r.bytesRead += inputs[i].nbytes();
    r.inputBytes.push_back(inputs[i].nbytes());
    r.inputIsView.push_back(inputs[i].isView());
    std::string name;
    for (const auto& [g, v] : globals_) {
      if (v.isArray() && v.array->materialized() && v.array->data.data() == inputs[i].data() &&
          v.array->data.shape() == inputs[i].shape()) {
        name = g;
        break;
      }
    }
    r.inputNames.push_back(name.empty() ? "in" + std::to_string(i) : name);
    std::string viewOf;
    if (name.empty() && inputs[i].isView()) {
      const char* base = inputs[i].base().data();
      for (const auto& [g, v] : globals_)
        if (v.isArray() && v.array->materialized() && v.array->data.data() == base &&
            !v.array->data.isView()) {
          viewOf = g;
          break;
        }
    }
    r.inputViewOf.push_back(viewOf);
  }
  for (const fusion::KInstr& in : l.kernel.body)
    if (in.op != fusion::KOp::Load && in.op != fusion::KOp::Const) ++r.elementwiseOps;
  // NumPy would store every elementwise node of the region as an array of
  // that node's own shape (casts are buffered, not stored), except the
  // result of an elementwise launch, which is the output itself.
  // A divided reduction's root is the division (and casts) above the
  // reduction, which NumPy's mean does in place.
  const graph::Node* reduced = l.root.get();
  if (l.divideResults) {
    ++r.elementwiseOps;
    while (!graph::isReduce(reduced->op) && !reduced->srcs.empty())
      reduced = reduced->srcs[0].get();
  }
  const bool isReduction = graph::isReduce(reduced->op);
  const graph::Node* body = isReduction ? reduced->srcs[0].get() : reduced;
  graph::forEachNode({body}, [&](const graph::Node* x) {
    if (!graph::isElementwise(x->op)) return false;
    if (x->op != graph::Op::Cast && !(x == body && !isReduction))
      r.numpyTemporaryBytes += checkedSize(x->shape) * itemSize(x->dtype);
    return true;
  });
  // A product NumPy stores in full before its epilogue reads it.
  if (l.epilogueOf >= 0) {
    const graph::Node& p = *l.inputs[size_t(l.epilogueOf)].node;
    r.numpyTemporaryBytes += checkedSize(p.shape) * itemSize(p.dtype);
  } else if (l.addend) {
    Shape core(l.inputs[0].node->shape.begin(), l.inputs[0].node->shape.end() - 1);
    core.push_back(l.inputs[1].node->shape.back());
    r.numpyTemporaryBytes += checkedSize(core) * itemSize(l.kernel.resultDType);
  }
  r.bytesWritten = out.nbytes();
  r.outType = std::string(dtypeName(out.dtype())) + " " + formatShape(out.shape());
  r.outData = out.data();
  r.bytesAllocated = allocated;
  launches_.push_back(std::move(r));
}

} // namespace ravel::exec
