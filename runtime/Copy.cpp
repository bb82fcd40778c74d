// Strided copy-with-cast loops (plain C++, not JIT): one inner loop per
// (destination, source) dtype pair, driven by StridedLoop so coalescing and
// axis ordering are shared with the generated kernels.
#include "runtime/Cast.h"
#include "runtime/StridedLoop.h"
#include "runtime/ThreadPool.h"

#include <array>

namespace ravel::detail {

namespace {

template <DType To, DType From>
void castLoop(int64_t n, char* const* ptrs, const int64_t* strides, void*) {
  using T = typename Storage<To>::type;
  using F = typename Storage<From>::type;
  char* dst = ptrs[0];
  const char* src = ptrs[1];
  const int64_t ds = strides[0], ss = strides[1];
  if constexpr (To == From && To != DType::Bool) {
    if (ds == int64_t(sizeof(T)) && ss == int64_t(sizeof(F))) {
      std::memmove(dst, src, size_t(n) * sizeof(T));
      return;
    }
  }
  if (ds == int64_t(sizeof(T)) && ss == int64_t(sizeof(F))) {
    for (int64_t i = 0; i < n; ++i)
      store<T>(dst + i * int64_t(sizeof(T)),
               convert<To, From>(load<F>(src + i * int64_t(sizeof(F)))));
    return;
  }
  if (ds == int64_t(sizeof(T)) && ss == 0) {
    T v = convert<To, From>(load<F>(src));
    for (int64_t i = 0; i < n; ++i) store<T>(dst + i * int64_t(sizeof(T)), v);
    return;
  }
  for (int64_t i = 0; i < n; ++i) store<T>(dst + i * ds, convert<To, From>(load<F>(src + i * ss)));
}

template <DType To> constexpr std::array<InnerLoopFn, kNumDTypes> castRow() {
  return {castLoop<To, DType::Bool>, castLoop<To, DType::Int32>, castLoop<To, DType::Int64>,
          castLoop<To, DType::Float32>, castLoop<To, DType::Float64>};
}

// kCastLoops[to][from]
constexpr std::array<std::array<InnerLoopFn, kNumDTypes>, kNumDTypes> kCastLoops = {
    castRow<DType::Bool>(), castRow<DType::Int32>(), castRow<DType::Int64>(),
    castRow<DType::Float32>(), castRow<DType::Float64>()};

// Below this many elements a copy stays on the calling thread.
constexpr int64_t kParallelCopy = int64_t(1) << 17;

} // namespace

void copyCast(const Array& dst, const Array& src) {
  RAVEL_CHECK(dst.shape() == src.shape(), "copyCast needs equal shapes");
  if (dst.size() == 0) return;
  const InnerLoopFn cast = kCastLoops[size_t(dst.dtype())][size_t(src.dtype())];
  if (dst.size() == 1) {
    // One element (a scalar read, `a[1]`): no loop to plan.
    char* ptrs[2] = {dst.data(), src.data()};
    const int64_t strides[2] = {0, 0};
    cast(1, ptrs, strides, nullptr);
    return;
  }
  StridedLoop loop(dst.shape(), {LoopOperand{dst.data(), dst.strides(), dst.itemsize()},
                                 LoopOperand{src.data(), src.strides(), src.itemsize()}});
  if (const int64_t tiles = loop.tileCount()) {
    // A transposing copy: cache-blocked tiles, split over the pool when big.
    ThreadPool& pool = ThreadPool::global();
    const int parts = dst.size() >= kParallelCopy ? std::max(1, pool.usable()) : 1;
    const bool byBlocks = dst.dtype() == src.dtype() && loop.tilesCopyTransposed(0, 1);
    pool.parallelFor(parts, [&](int p) {
      const int64_t begin = tiles * p / parts, end = tiles * (p + 1) / parts;
      if (byBlocks)
        loop.runTransposedCopy(0, 1, begin, end);
      else
        loop.runTiles(cast, nullptr, begin, end);
    });
    return;
  }
  loop.run(cast, nullptr);
}

Scalar readScalar(const char* p, DType t) {
  switch (t) {
    case DType::Bool:
      return Scalar::ofBool(load<uint8_t>(p) != 0);
    case DType::Int32:
      return Scalar::ofInt(load<int32_t>(p), DType::Int32);
    case DType::Int64:
      return Scalar::ofInt(load<int64_t>(p), DType::Int64);
    case DType::Float32:
      return Scalar::ofFloat(load<float>(p), DType::Float32);
    case DType::Float64:
      return Scalar::ofFloat(load<double>(p), DType::Float64);
  }
  return {};
}

void writeScalar(char* p, DType t, const Scalar& v) {
  Scalar c = v.castTo(t);
  switch (t) {
    case DType::Bool:
      store<uint8_t>(p, c.b ? 1 : 0);
      break;
    case DType::Int32:
      store<int32_t>(p, int32_t(c.i));
      break;
    case DType::Int64:
      store<int64_t>(p, c.i);
      break;
    case DType::Float32:
      store<float>(p, float(c.f));
      break;
    case DType::Float64:
      store<double>(p, c.f);
      break;
  }
}

} // namespace ravel::detail
