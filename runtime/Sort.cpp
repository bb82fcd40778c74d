// Sorting along the last axis (see Sort.h). Floats: NaNs are moved to the end
// of the row first, then the numbers are sorted with plain `<` (the fast
// path std::sort vectorizes best); ints and bools sort directly.
#include "runtime/Sort.h"
#include "runtime/Storage.h"

#include "runtime/ThreadPool.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <type_traits>
#include <vector>

namespace ravel {
namespace {

/// Rows shorter than this are not worth a second thread.
constexpr int64_t kParallelSortMin = 1 << 16;

/// NumPy's sort order: a < b, with NaN greater than every number.
template <class T> bool lessNanLast(T a, T b) {
  if constexpr (std::is_floating_point_v<T>)
    return a < b || (b != b && a == a);
  else
    return a < b;
}

template <class T> void sortRun(T* first, T* last, bool stable) {
  if constexpr (std::is_floating_point_v<T>)
    last = std::partition(first, last, [](T v) { return v == v; }); // NaNs to the end
  if (stable)
    std::stable_sort(first, last);
  else
    std::sort(first, last);
}

/// One long row: sorted runs per thread, then merged pairwise.
template <class T> void sortLongRow(T* row, int64_t n, bool stable) {
  ThreadPool& pool = ThreadPool::global();
  int parts = std::min<int64_t>(pool.usable(), n / kParallelSortMin);
  if (parts <= 1) {
    sortRun(row, row + n, stable);
    return;
  }
  std::vector<int64_t> cut(size_t(parts) + 1);
  for (int p = 0; p <= parts; ++p) cut[size_t(p)] = n * p / parts;
  pool.parallelFor(parts, [&](int p) { sortRun(row + cut[p], row + cut[p + 1], stable); });
  // Merge the runs with NumPy's order (NaNs sit at the end of each run).
  for (int width = 1; width < parts; width *= 2)
    for (int p = 0; p + width < parts; p += 2 * width) {
      int hi = std::min(parts, p + 2 * width);
      std::inplace_merge(row + cut[p], row + cut[p + width], row + cut[hi], lessNanLast<T>);
    }
}

template <class T> void sortAll(Array& a, bool stable) {
  const int64_t n = a.ndim() == 0 ? 1 : a.shape().back();
  if (n <= 1 || a.size() == 0) return;
  const int64_t rows = a.size() / n;
  T* data = reinterpret_cast<T*>(a.data());
  if (rows == 1) {
    sortLongRow(data, n, stable);
    return;
  }
  ThreadPool& pool = ThreadPool::global();
  int parts = std::min<int64_t>({pool.usable(), rows, a.size() / kParallelSortMin + 1});
  auto body = [&](int p) {
    for (int64_t r = rows * p / parts; r < rows * (p + 1) / parts; ++r)
      sortRun(data + r * n, data + (r + 1) * n, stable);
  };
  if (parts <= 1)
    body(0);
  else
    pool.parallelFor(parts, body);
}

template <class T> void argsortAll(const Array& a, Array& out) {
  const int64_t n = a.ndim() == 0 ? 1 : a.shape().back();
  if (a.size() == 0) return;
  const int64_t rows = a.size() / n;
  const T* data = reinterpret_cast<const T*>(a.data());
  int64_t* idx = reinterpret_cast<int64_t*>(out.data());
  for (int64_t r = 0; r < rows; ++r) {
    const T* row = data + r * n;
    int64_t* ix = idx + r * n;
    std::iota(ix, ix + n, int64_t(0));
    std::stable_sort(ix, ix + n,
                     [row](int64_t i, int64_t j) { return lessNanLast<T>(row[i], row[j]); });
  }
}

template <class T>
void searchAll(const Array& sorted, const Array& values, bool right, Array& out) {
  const T* a = reinterpret_cast<const T*>(sorted.data());
  const T* v = reinterpret_cast<const T*>(values.data());
  const int64_t n = sorted.size();
  int64_t* o = reinterpret_cast<int64_t*>(out.data());
  for (int64_t k = 0; k < values.size(); ++k) {
    const T x = v[k];
    const T* p = right ? std::upper_bound(a, a + n, x, lessNanLast<T>)
                       : std::lower_bound(a, a + n, x, lessNanLast<T>);
    o[k] = p - a;
  }
}

} // namespace

void sortRows(Array& a, bool stable) {
  byStorage(a.dtype(), [&](auto tag) { sortAll<decltype(tag)>(a, stable); });
}

Array argsortRows(const Array& a) {
  Array out = Array::empty(a.shape(), DType::Int64);
  byStorage(a.dtype(), [&](auto tag) { argsortAll<decltype(tag)>(a, out); });
  return out;
}

Array searchSorted(const Array& sorted, const Array& values, bool right) {
  Array out = Array::empty(values.shape(), DType::Int64);
  byStorage(sorted.dtype(),
            [&](auto tag) { searchAll<decltype(tag)>(sorted, values, right, out); });
  return out;
}

} // namespace ravel
