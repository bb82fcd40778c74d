// Sorting along the last axis (see Sort.h). Floats: NaNs are moved to the end
// of the row first, then the numbers are sorted. Rows of 2048 elements or
// more are LSD radix-sorted on order-preserving unsigned keys (stable, and
// 2-3x faster than NumPy 1.24's introsort at 1e7 float64, bench/sort.py);
// shorter rows use std::sort / std::stable_sort; bools are counted.
#include "runtime/Sort.h"
#include "runtime/Storage.h"

#include "runtime/ThreadPool.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
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

/// Rows at least this long are radix-sorted (below it std::sort wins).
constexpr int64_t kRadixMin = 2048;

/// The unsigned key whose order is T's order (floats: NaN excluded): the
/// sign bit flipped for ints; for floats, all bits flipped for negatives and
/// the sign bit set for the rest (-0. sorts before 0., which NumPy allows).
template <class T> auto radixKey(T v) {
  using K = std::conditional_t<sizeof(T) == 8, uint64_t, uint32_t>;
  constexpr K sign = K(1) << (sizeof(T) * 8 - 1);
  K u;
  std::memcpy(&u, &v, sizeof u);
  if constexpr (std::is_floating_point_v<T>)
    return (u & sign) ? K(~u) : K(u | sign);
  else
    return K(u ^ sign);
}

/// A digit's bucket counts turned into each bucket's first position.
void countsToOffsets(int64_t* c, int buckets) {
  int64_t offset = 0;
  for (int d = 0; d < buckets; ++d) {
    const int64_t k = c[d];
    c[d] = offset;
    offset += k;
  }
}

/// LSD radix sort with 11-bit digits (stable): one pass counts every digit,
/// then one scatter pass per digit that is not the same for all keys.
template <class T> void radixSort(T* a, int64_t n) {
  constexpr int kBits = 11, kBuckets = 1 << kBits;
  constexpr int kPasses = int(sizeof(T) * 8 + kBits - 1) / kBits;
  std::vector<int64_t> count(size_t(kPasses) * kBuckets, 0);
  for (int64_t i = 0; i < n; ++i) {
    auto k = radixKey(a[i]);
    for (int p = 0; p < kPasses; ++p)
      ++count[size_t(p * kBuckets) + ((k >> (p * kBits)) & (kBuckets - 1))];
  }
  std::unique_ptr<T[]> scratch(new T[size_t(n)]); // uninitialized
  T* src = a;
  T* dst = scratch.get();
  const auto first = radixKey(a[0]);
  for (int p = 0; p < kPasses; ++p) {
    int64_t* c = count.data() + size_t(p) * kBuckets;
    if (c[(first >> (p * kBits)) & (kBuckets - 1)] == n) continue; // every key has this digit
    countsToOffsets(c, kBuckets);
    for (int64_t i = 0; i < n; ++i) {
      const T v = src[i];
      dst[c[(radixKey(v) >> (p * kBits)) & (kBuckets - 1)]++] = v;
    }
    std::swap(src, dst);
  }
  if (src != a) std::memcpy(a, src, size_t(n) * sizeof(T));
}

template <class T> void sortRun(T* first, T* last, bool stable) {
  if constexpr (std::is_floating_point_v<T>)
    last = std::partition(first, last, [](T v) { return v == v; }); // NaNs to the end
  const int64_t n = last - first;
  if constexpr (std::is_same_v<T, uint8_t>) { // bool: count the Trues
    const int64_t ones = std::count_if(first, last, [](uint8_t v) { return v != 0; });
    std::fill(first, last - ones, uint8_t(0));
    std::fill(last - ones, last, uint8_t(1));
  } else {
    if (n >= kRadixMin)
      radixSort(first, n);
    else if (stable)
      std::stable_sort(first, last);
    else
      std::sort(first, last);
  }
}

template <class T> void sortAll(Array& a, bool stable) {
  const int64_t n = a.ndim() == 0 ? 1 : a.shape().back();
  if (n <= 1 || a.size() == 0) return;
  const int64_t rows = a.size() / n;
  T* data = reinterpret_cast<T*>(a.data());
  if (rows == 1) { // radix sort: one thread is bandwidth-bound already (runs + merge was slower)
    sortRun(data, data + n, stable);
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

/// argsort of one long row: LSD radix sort of (key, index) pairs, stable, so
/// equal values keep their index order; NaNs' indices go last, in order.
template <class T> void radixArgsort(const T* row, int64_t n, int64_t* out) {
  using K = decltype(radixKey(T{}));
  constexpr int kBits = 11, kBuckets = 1 << kBits;
  constexpr int kPasses = int(sizeof(T) * 8 + kBits - 1) / kBits;
  std::unique_ptr<K[]> keys(new K[size_t(n)]), keys2(new K[size_t(n)]);
  std::unique_ptr<int64_t[]> idx2(new int64_t[size_t(n)]);
  int64_t m = 0;
  for (int64_t i = 0; i < n; ++i)
    if (row[i] == row[i]) { // NaN (floats only) never equals itself
      keys[size_t(m)] = radixKey(row[i]);
      out[m++] = i;
    }
  for (int64_t i = 0, t = m; i < n; ++i)
    if (row[i] != row[i]) out[t++] = i;
  if (m == 0) return;
  std::vector<int64_t> count(size_t(kPasses) * kBuckets, 0);
  for (int64_t i = 0; i < m; ++i)
    for (int p = 0; p < kPasses; ++p)
      ++count[size_t(p * kBuckets) + ((keys[size_t(i)] >> (p * kBits)) & (kBuckets - 1))];
  K* ks = keys.get();
  K* kd = keys2.get();
  int64_t* is = out;
  int64_t* id = idx2.get();
  for (int p = 0; p < kPasses; ++p) {
    int64_t* c = count.data() + size_t(p) * kBuckets;
    if (c[(ks[0] >> (p * kBits)) & (kBuckets - 1)] == m) continue; // every key has this digit
    countsToOffsets(c, kBuckets);
    for (int64_t i = 0; i < m; ++i) {
      const int64_t at = c[(ks[i] >> (p * kBits)) & (kBuckets - 1)]++;
      kd[at] = ks[i];
      id[at] = is[i];
    }
    std::swap(ks, kd);
    std::swap(is, id);
  }
  if (is != out) std::memcpy(out, is, size_t(m) * sizeof(int64_t));
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
    if constexpr (!std::is_same_v<T, uint8_t>) {
      if (n >= kRadixMin) {
        radixArgsort(row, n, ix);
        continue;
      }
    }
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
