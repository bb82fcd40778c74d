#include "runtime/Layout.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace ravel {

std::optional<ByteExtent> byteExtentOf(const Shape& shape, const Strides& strides,
                                       int64_t itemSize) {
  RAVEL_CHECK(shape.size() == strides.size(), "shape and strides differ in length");
  for (int64_t d : shape)
    if (d == 0) return ByteExtent{0, 0};
  int64_t lo = 0, hi = itemSize;
  for (size_t i = 0; i < shape.size(); ++i) {
    int64_t reach;
    if (__builtin_mul_overflow(strides[i], shape[i] - 1, &reach)) return std::nullopt;
    if (reach < 0 ? __builtin_add_overflow(lo, reach, &lo) : __builtin_add_overflow(hi, reach, &hi))
      return std::nullopt;
  }
  return ByteExtent{lo, hi};
}

Array asStrided(const Array& x, const Shape& shape, const Strides& strides) {
  if (shape.size() != strides.size())
    throw RuntimeError(ErrorKind::Value, "mismatch in length of strides and shape");
  checkedSize(shape, x.itemsize()); // negative dims, too many dims, size overflow
  std::optional<ByteExtent> e = byteExtentOf(shape, strides, x.itemsize());
  // Bytes of the buffer relative to x's first element: [-offset, nbytes - offset).
  const int64_t first = -x.offset(), last = x.buffer()->nbytes() - x.offset();
  if (!e || (e->hi > e->lo && (e->lo < first || e->hi > last))) {
    std::string reach = e ? "bytes [" + std::to_string(e->lo) + ", " + std::to_string(e->hi) + ")"
                          : "more bytes than an int64 can count";
    throw RuntimeError(ErrorKind::Value,
                       "as_strided: shape " + formatShape(shape) + " with strides " +
                           formatShape(strides) + " reaches " + reach +
                           " from the array's first element, outside its memory [" +
                           std::to_string(first) + ", " + std::to_string(last) +
                           "); ravel refuses views that reach outside their buffer");
  }
  return x.view(shape, strides, x.offset());
}

Array slidingWindows(const Array& x, const Shape& window, const std::vector<int>& axes) {
  RAVEL_CHECK(window.size() == axes.size(), "one window length per axis");
  for (int64_t w : window)
    if (w < 0)
      throw RuntimeError(ErrorKind::Value, "`window_shape` cannot contain negative values");
  Shape shape = x.shape();
  Strides strides = x.strides();
  for (size_t i = 0; i < axes.size(); ++i) {
    int ax = axes[i];
    RAVEL_CHECK(ax >= 0 && ax < x.ndim(), "window axis not normalised");
    if (shape[size_t(ax)] < window[i])
      throw RuntimeError(ErrorKind::Value, "window shape cannot be larger than input array shape");
    shape[size_t(ax)] -= window[i] - 1;
  }
  for (size_t i = 0; i < axes.size(); ++i) {
    shape.push_back(window[i]);
    strides.push_back(x.strides()[size_t(axes[i])]);
  }
  return x.view(shape, strides, x.offset());
}

Array tileView(const Array& result, const Shape& reps, const Shape& tile) {
  const size_t n = reps.size();
  RAVEL_CHECK(tile.size() == n && size_t(result.ndim()) == n, "tile ranks differ");
  Shape shape(reps);
  shape.insert(shape.end(), tile.begin(), tile.end());
  Strides strides(2 * n);
  for (size_t k = 0; k < n; ++k) {
    RAVEL_CHECK(result.shape()[k] == reps[k] * tile[k], "tile result has the wrong shape");
    // Copy r of the tile starts r * tile[k] elements along axis k.
    strides[k] = result.strides()[k] * tile[k];
    strides[n + k] = result.strides()[k];
  }
  Array v = result.view(shape, strides, result.offset());
  // Distinct copies never share bytes (an empty result may have zero strides).
  RAVEL_CHECK(v.writeable() || !result.writeable() || result.size() == 0, "tile copies overlap");
  return v;
}

namespace {

/// One element copy of a known width (compiles to a single move).
template <int N> void copyElement(char* dst, const char* src) {
  std::memcpy(dst, src, N);
}

template <int N>
void takeRows(const Array& src, const std::vector<int64_t>& index, int axis, const Array& dst) {
  const int n = dst.ndim();
  const Shape& shape = dst.shape();
  const int inner = n - 1;
  const int64_t innerLen = shape[size_t(inner)];
  const int64_t srcInner = src.strides()[size_t(inner)], dstInner = dst.strides()[size_t(inner)];
  std::vector<int64_t> idx(size_t(inner), 0); // odometer over the outer axes
  for (;;) {
    const char* s = src.data();
    char* d = dst.data();
    for (int k = 0; k < inner; ++k) {
      int64_t i = idx[size_t(k)];
      s += (k == axis ? index[size_t(i)] : i) * src.strides()[size_t(k)];
      d += i * dst.strides()[size_t(k)];
    }
    if (inner == axis) {
      for (int64_t j = 0; j < innerLen; ++j)
        copyElement<N>(d + j * dstInner, s + index[size_t(j)] * srcInner);
    } else {
      for (int64_t j = 0; j < innerLen; ++j) copyElement<N>(d + j * dstInner, s + j * srcInner);
    }
    int k = inner - 1;
    while (k >= 0 && ++idx[size_t(k)] == shape[size_t(k)]) idx[size_t(k--)] = 0;
    if (k < 0) return;
  }
}

} // namespace

void takeAlongAxis(const Array& src, const std::vector<int64_t>& index, int axis,
                   const Array& dst) {
  RAVEL_CHECK(src.dtype() == dst.dtype() && src.ndim() == dst.ndim(), "take: arrays differ");
  RAVEL_CHECK(axis >= 0 && axis < dst.ndim(), "take: axis out of range");
  RAVEL_CHECK(dst.writeable(), "take: read-only destination");
  for (int k = 0; k < dst.ndim(); ++k)
    RAVEL_CHECK(k == axis ? dst.shape()[size_t(k)] == int64_t(index.size())
                          : dst.shape()[size_t(k)] == src.shape()[size_t(k)],
                "take: shapes differ");
  for (int64_t i : index)
    RAVEL_CHECK(i >= 0 && i < src.shape()[size_t(axis)], "take: index out of range");
  if (dst.size() == 0) return;
  switch (dst.itemsize()) {
    case 1:
      return takeRows<1>(src, index, axis, dst);
    case 4:
      return takeRows<4>(src, index, axis, dst);
    case 8:
      return takeRows<8>(src, index, axis, dst);
    default:
      RAVEL_CHECK(false, "take: unexpected item size");
  }
}

namespace {

/// Byte offsets (from the buffer start) of every element, in C order.
std::vector<int64_t> elementOffsets(const Array& a) {
  std::vector<int64_t> out;
  out.reserve(size_t(a.size()));
  const int nd = a.ndim();
  std::vector<int64_t> idx(size_t(nd), 0);
  int64_t off = a.offset();
  for (int64_t k = 0, n = a.size(); k < n; ++k) {
    out.push_back(off);
    for (int d = nd - 1; d >= 0; --d) {
      off += a.strides()[size_t(d)];
      if (++idx[size_t(d)] < a.shape()[size_t(d)]) break;
      off -= a.strides()[size_t(d)] * a.shape()[size_t(d)];
      idx[size_t(d)] = 0;
    }
  }
  return out;
}

} // namespace

bool elementsOverlap(const Array& a, const Array& b) {
  if (a.buffer() != b.buffer() || a.size() == 0 || b.size() == 0) return false;
  std::vector<int64_t> starts = elementOffsets(a);
  std::sort(starts.begin(), starts.end());
  const int64_t aSize = a.itemsize(), bSize = b.itemsize();
  for (int64_t lo : elementOffsets(b)) {
    // The last element of a starting before b's element ends; a's elements
    // all have one size, so it reaches furthest of those before it.
    auto it = std::upper_bound(starts.begin(), starts.end(), lo + bSize - 1);
    if (it != starts.begin() && *std::prev(it) + aSize > lo) return true;
  }
  return false;
}

} // namespace ravel
