// The loops of a launch (see LaunchLoops.h): elementwise loops split over
// the pool, axis reductions in NumPy's order, and the memory order NumPy
// gives a kernel's value.
#include "compiler/exec/LaunchLoops.h"

#include "runtime/Interrupt.h"
#include "runtime/MemoryOrder.h"
#include "runtime/ShortRowSums.h"
#include "runtime/ThreadPool.h"
#include "runtime/TransposedCopy.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>

namespace ravel::exec {
using fusion::KernelState;
using fusion::ReduceKind;

namespace {

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
/// NumPy adds a float sum's 8192-element buffers one after another:
/// acc + P(b1) + P(b2) + ..., where each P (pairwise) depends only on its own
/// buffer. So the Ps are computed on all cores — each from -0.0, the exact
/// additive identity, so a kernel call on one buffer returns P itself — and
/// then folded in order on this thread: the same bits as one thread.

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

} // namespace

LoopOperand operandOf(const Array& a) {
  return {a.data(), a.strides(), a.itemsize()};
}

void checkFlags(int64_t flags) {
  if (flags & fusion::kErrorNegativePower)
    throw RuntimeError(ErrorKind::Value, "Integers to negative integer powers are not allowed.");
}

const char* reduceUfunc(ReduceKind r) {
  return r == ReduceKind::Min ? "minimum" : "maximum";
}

/// Whether `kernel` only copies its one input, unchanged, into its output.
bool copiesInput(const fusion::Kernel& kernel) {
  return kernel.body.size() == 1 && kernel.body[0].op == fusion::KOp::Load &&
         kernel.inputs.size() == 1 && kernel.inputs[0] == kernel.resultDType &&
         kernel.reduce == ReduceKind::None;
}

/// Runs an elementwise loop, split across the thread pool when it is large.
/// Elements are independent, so any split gives the same bits. Returns the
/// OR of the kernel's error flags. A `stoppable` loop (one writing fresh
/// memory nobody else sees yet) ends early on Ctrl-C and throws
/// KeyboardInterrupt here, on the calling thread, after every worker has let
/// go of the job; a loop writing into an existing array always finishes, so
/// an interrupt never leaves an array half-assigned.
/// `copy` says the kernel only copies
/// its input (copiesInput): a transposing copy then moves register blocks
/// (runtime/TransposedCopy.h) instead of calling `fn` per tile row.
int64_t runElementwise(const StridedLoop& loop, InnerLoopFn fn, bool stoppable, bool copy) {
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

/// The view of `a` along axes `kept` only (the others have length 1).
Array keptAxesView(const Array& a, const std::vector<int>& kept) {
  Shape shape;
  Strides strides;
  for (int d : kept) {
    shape.push_back(a.shape()[size_t(d)]);
    strides.push_back(a.strides()[size_t(d)]);
  }
  return a.view(shape, strides, a.offset());
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
bool sumsSequentially(const fusion::Kernel& kernel, const Shape& iter,
                      const std::vector<int>& order, const std::vector<int>& kept) {
  const ReduceKind r = kernel.reduce;
  const bool floatMinMax =
      isFloat(kernel.accumDType) && (r == ReduceKind::Min || r == ReduceKind::Max);
  if ((r != ReduceKind::Sum && !floatMinMax) || kept.empty()) return false;
  for (int d : order)
    if (iter[size_t(d)] != 1) return std::find(kept.begin(), kept.end(), d) != kept.end();
  return false;
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
std::vector<int> kernelAxisOrder(const fusion::Kernel& kernel, const std::vector<Array>& inputs,
                                 const Shape& iter, bool reduction) {
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

bool foldsFloats(const fusion::Kernel& k) {
  return isFloat(k.accumDType) && (k.reduce == ReduceKind::Sum || k.reduce == ReduceKind::Prod);
}

int64_t runReductionBody(fusion::Kernel exact, const std::vector<Array>& inputs, const Shape& iter,
                         fusion::KernelProvider& provider) {
  exact.reduce = ReduceKind::None;
  std::vector<LoopOperand> ops;
  for (const Array& a : inputs) ops.push_back(operandOf(a.broadcastTo(iter)));
  StridedLoop all(iter, ops);
  exact.layouts = all.innerLayouts();
  return runElementwise(all, provider.compile(exact));
}

int64_t runAxisReduction(fusion::Kernel& kernel, const std::vector<Array>& inputs,
                         const Shape& iter, const std::vector<int>& kept,
                         const std::vector<int>& red, const ResultDivisor& divisor, Array& written,
                         fusion::KernelProvider& provider, bool dryRun, fusion::Kernel& compiled) {
  Shape redShape;
  for (int d : red) redShape.push_back(iter[size_t(d)]);
  const int64_t redCount = checkedSize(redShape), outCount = written.size();
  std::vector<int> perm = kept;
  perm.insert(perm.end(), red.begin(), red.end());
  std::vector<Array> views;
  for (const Array& a : inputs) views.push_back(a.broadcastTo(iter).transpose(perm));
  // A reduced axis that is not the inner memory axis streams the input
  // in memory order into a vector of accumulators (planRows).
  if (std::optional<RowsPlan> rows = planRows(kernel, views, int(kept.size()), written)) {
    compiled = kernel;
    compiled.accumulateRows = true;
    compiled.layouts = rows->loop.innerLayouts();
    InnerLoopFn fn = provider.compile(compiled); // also when nothing runs: explain sees it
    kernel.layouts = std::vector<InnerLayout>(compiled.layouts.begin(), compiled.layouts.end() - 1);
    return dryRun ? 0 : runRows(*rows, fn, compiled, divisor, written);
  }
  // One loop plan over the reduced axes serves every output: output o
  // is the same loop rebased to o's position along the kept axes.
  std::vector<LoopOperand> ops;
  for (const Array& v : views)
    ops.push_back(
        {v.data(), Strides(v.strides().begin() + kept.size(), v.strides().end()), v.itemsize()});
  StridedLoop loop(redShape, ops);
  if (outCount == 0 || redCount == 0)
    kernel.layouts.assign(inputs.size(), InnerLayout::Contiguous);
  else
    kernel.layouts = loop.innerLayouts();
  InnerLoopFn fn = provider.compile(kernel); // also when nothing runs: explain and the cache see it
  compiled = kernel;
  if (dryRun || outCount == 0) return 0;
  return reduceOutputs(loop, fn, kernel, divisor, views, written.shape(), int(kept.size()),
                       written);
}

} // namespace ravel::exec
