#include "runtime/Gather.h"

#include "runtime/ThreadPool.h"

#include <cstring>

namespace ravel {

namespace {

/// Selected elements from which a gather splits across the thread pool.
constexpr int64_t kParallelGather = int64_t(1) << 17;

/// Calls fn(value) for every element of an int64 array in C order.
template <typename Fn> void forEachInt64(const Array& a, Fn&& fn) {
  int64_t n = a.size();
  if (n == 0) return;
  int nd = a.ndim();
  std::vector<int64_t> coord(size_t(nd), 0);
  const char* p = a.data();
  for (int64_t k = 0; k < n; ++k) {
    int64_t v;
    std::memcpy(&v, p, sizeof v);
    fn(v);
    for (int d = nd - 1; d >= 0; --d) {
      p += a.strides()[size_t(d)];
      if (++coord[size_t(d)] < a.shape()[size_t(d)]) break;
      p -= a.strides()[size_t(d)] * a.shape()[size_t(d)];
      coord[size_t(d)] = 0;
    }
  }
}

/// The result laid out as three loops: outer axes of the view, the index
/// elements, inner axes of the view.
struct GatherPlan {
  std::vector<int64_t> outerShape, outerStrides, innerShape, innerStrides;
  int64_t outerCount = 1, innerCount = 1, indexCount = 0;
};

GatherPlan planGather(const AdvancedIndex& index) {
  verifyAdvancedIndex(index);
  GatherPlan plan;
  const Array& v = index.view;
  bool first = indexDimsFirst(index);
  for (int d = 0; d < v.ndim(); ++d) {
    bool indexed = false;
    for (int a : index.axes) indexed |= a == d;
    if (indexed) continue;
    bool outer = !first && d < index.axes.front();
    (outer ? plan.outerShape : plan.innerShape).push_back(v.shape()[size_t(d)]);
    (outer ? plan.outerStrides : plan.innerStrides).push_back(v.strides()[size_t(d)]);
    (outer ? plan.outerCount : plan.innerCount) *= v.shape()[size_t(d)];
  }
  plan.indexCount = checkedSize(index.indexShape);
  return plan;
}

/// Odometer step over a set of axes: advances coord, returns the byte delta.
int64_t advance(std::vector<int64_t>& coord, const std::vector<int64_t>& shape,
                const std::vector<int64_t>& strides) {
  int64_t delta = 0;
  for (size_t d = coord.size(); d-- > 0;) {
    delta += strides[d];
    if (++coord[d] < shape[d]) return delta;
    delta -= strides[d] * shape[d];
    coord[d] = 0;
  }
  return delta;
}

/// fn(element address in the view, position in the result's C order), with
/// offsetOf(j) the byte offset of index element j.
template <typename OffsetOf, typename Fn>
void visitWith(const AdvancedIndex& index, const GatherPlan& plan, OffsetOf&& offsetOf, Fn&& fn,
               bool parallel) {
  char* base = index.view.data();
  if (plan.outerShape.empty() && plan.innerShape.empty()) {
    // One index per result element (x[i], x[mask]): the hot, simple case.
    // Reads of independent elements split across the pool when large.
    ThreadPool& pool = ThreadPool::global();
    const int parts = parallel && plan.indexCount >= kParallelGather ? pool.usable() : 1;
    const int64_t count = plan.indexCount;
    pool.parallelFor(parts, [&](int p) {
      for (int64_t j = count * p / parts, end = count * (p + 1) / parts; j < end; ++j)
        fn(base + offsetOf(j), j);
    });
    return;
  }
  int64_t pos = 0, outerOffset = 0;
  std::vector<int64_t> outer(plan.outerShape.size(), 0), inner(plan.innerShape.size(), 0);
  for (int64_t o = 0; o < plan.outerCount; ++o) {
    for (int64_t j = 0; j < plan.indexCount; ++j) {
      char* p = base + outerOffset + offsetOf(j);
      int64_t innerOffset = 0;
      for (int64_t i = 0; i < plan.innerCount; ++i) {
        fn(p + innerOffset, pos++);
        innerOffset += advance(inner, plan.innerShape, plan.innerStrides);
      }
    }
    outerOffset += advance(outer, plan.outerShape, plan.outerStrides);
  }
}

/// fn(element address, result position) for every selected element; with
/// `parallel` the calls may come from several threads at once (positions are
/// disjoint), so only a gather passes it: a scatter's last write must win.
template <typename Fn> void visitGather(const AdvancedIndex& index, Fn&& fn, bool parallel) {
  GatherPlan plan = planGather(index);
  if (plan.outerCount == 0 || plan.innerCount == 0 || plan.indexCount == 0) return;
  const Array& first = index.indices[0];
  if (index.axes.size() == 1 && first.isCContiguous()) {
    // A single contiguous index array: read it in place.
    const auto* idx = reinterpret_cast<const int64_t*>(first.data());
    int64_t stride = index.view.strides()[size_t(index.axes[0])];
    visitWith(
        index, plan, [&](int64_t j) { return idx[j] * stride; }, fn, parallel);
    return;
  }
  // Several (or broadcast) index arrays: one table of byte offsets.
  std::vector<int64_t> offsets(size_t(plan.indexCount), 0);
  for (size_t k = 0; k < index.axes.size(); ++k) {
    int64_t stride = index.view.strides()[size_t(index.axes[k])];
    size_t j = 0;
    forEachInt64(index.indices[k], [&](int64_t i) { offsets[j++] += i * stride; });
  }
  visitWith(
      index, plan, [&](int64_t j) { return offsets[size_t(j)]; }, fn, parallel);
}

} // namespace

bool indexDimsFirst(const AdvancedIndex& index) {
  if (index.separated) return true;
  for (size_t k = 1; k < index.axes.size(); ++k)
    if (index.axes[k] != index.axes[k - 1] + 1) return true;
  return false;
}

void verifyAdvancedIndex(const AdvancedIndex& index) {
  RAVEL_CHECK(!index.axes.empty() && index.axes.size() == index.indices.size(),
              "an advanced index needs one index array per indexed axis");
  for (size_t k = 0; k < index.axes.size(); ++k) {
    RAVEL_CHECK(index.axes[k] >= 0 && index.axes[k] < index.view.ndim(),
                "advanced index axis out of range");
    RAVEL_CHECK(k == 0 || index.axes[k] > index.axes[k - 1], "advanced index axes not ascending");
    RAVEL_CHECK(index.indices[k].dtype() == DType::Int64 &&
                    index.indices[k].shape() == index.indexShape,
                "index arrays must be int64 and broadcast to the index shape");
  }
}

Shape advancedResultShape(const AdvancedIndex& index) {
  const Array& v = index.view;
  bool first = indexDimsFirst(index);
  Shape out;
  if (first) out = index.indexShape;
  for (int d = 0; d < v.ndim(); ++d) {
    if (!first && d == index.axes.front())
      out.insert(out.end(), index.indexShape.begin(), index.indexShape.end());
    bool indexed = false;
    for (int a : index.axes) indexed |= a == d;
    if (!indexed) out.push_back(v.shape()[size_t(d)]);
  }
  return out;
}

Array gather(const AdvancedIndex& index) {
  Array out = Array::empty(advancedResultShape(index), index.view.dtype());
  char* dst = out.data();
  switch (out.itemsize()) {
    case 1:
      visitGather(
          index, [&](const char* src, int64_t pos) { dst[pos] = *src; }, true);
      break;
    case 4:
      visitGather(
          index, [&](const char* src, int64_t pos) { std::memcpy(dst + pos * 4, src, 4); }, true);
      break;
    case 8:
      visitGather(
          index, [&](const char* src, int64_t pos) { std::memcpy(dst + pos * 8, src, 8); }, true);
      break;
    default:
      RAVEL_CHECK(false, "unexpected item size");
  }
  return out;
}

void scatter(const AdvancedIndex& index, const Array& values) {
  RAVEL_CHECK(values.dtype() == index.view.dtype(), "scatter values must have the view's dtype");
  RAVEL_CHECK(values.shape() == advancedResultShape(index),
              "scatter values must have the result shape");
  // Values in the result's C order; a broadcast or strided value array is
  // made contiguous first (it is at most the size of the indexed elements).
  Array dense = values.isCContiguous() ? values : values.copy();
  const char* src = dense.data();
  int64_t item = values.itemsize();
  visitGather(
      index, [&](char* dst, int64_t pos) { std::memcpy(dst, src + pos * item, size_t(item)); },
      false);
}

namespace {

template <typename T> Array selectContiguous(const Array& a, const uint8_t* m, int64_t n) {
  int64_t count = 0;
  for (int64_t i = 0; i < n; ++i) count += m[i] != 0;
  Array out = Array::empty({count}, a.dtype());
  const T* src = reinterpret_cast<const T*>(a.data());
  T* dst = reinterpret_cast<T*>(out.data());
  int64_t j = 0;
  for (int64_t i = 0; i < n; ++i) {
    // Branch-free compaction: always store, advance only on True. The last
    // store may land one past the count, so it is bounded by the mask size.
    if (j < count) dst[j] = src[i];
    j += m[i] != 0;
  }
  return out;
}

} // namespace

Array maskedSelect(const Array& a, const Array& mask) {
  RAVEL_CHECK(mask.dtype() == DType::Bool && mask.shape() == a.shape(),
              "maskedSelect needs a bool mask of the array's shape");
  // Both in C order and contiguous: one pass over each. Otherwise copy them
  // to C order first (NumPy's iteration order for a mask is C order too).
  Array src = a.isCContiguous() ? a : a.copy();
  Array m = mask.isCContiguous() ? mask : mask.copy();
  const auto* flags = reinterpret_cast<const uint8_t*>(m.data());
  int64_t n = a.size();
  switch (a.itemsize()) {
    case 1:
      return selectContiguous<uint8_t>(src, flags, n);
    case 4:
      return selectContiguous<uint32_t>(src, flags, n);
    case 8:
      return selectContiguous<uint64_t>(src, flags, n);
    default:
      RAVEL_CHECK(false, "unexpected item size");
  }
}

std::vector<Array> nonzeroCoordinates(const Array& a) {
  Array src = a.ndim() == 0 ? a.reshape({1}) : a;
  Array flags = src.astype(DType::Bool); // contiguous, NumPy's truth value of each element
  const auto* f = reinterpret_cast<const uint8_t*>(flags.data());
  int64_t n = flags.size(), count = 0;
  for (int64_t k = 0; k < n; ++k) count += f[k] != 0;
  int nd = src.ndim();
  std::vector<Array> out;
  std::vector<int64_t*> dst;
  for (int d = 0; d < nd; ++d) {
    out.push_back(Array::empty({count}, DType::Int64));
    dst.push_back(reinterpret_cast<int64_t*>(out.back().data()));
  }
  std::vector<int64_t> coord(size_t(nd), 0);
  int64_t j = 0;
  for (int64_t k = 0; k < n; ++k) {
    if (f[k]) {
      for (int d = 0; d < nd; ++d) dst[size_t(d)][j] = coord[size_t(d)];
      ++j;
    }
    for (int d = nd - 1; d >= 0; --d) {
      if (++coord[size_t(d)] < src.shape()[size_t(d)]) break;
      coord[size_t(d)] = 0;
    }
  }
  return out;
}

} // namespace ravel
