// Array and Scalar (Buffer.cpp allocates): NumPy's size and stride rules, views (slicing,
// transpose, broadcast, reshape without copy) and the copying operations (copy, astype, assign)
// built on the cast loops in Copy.cpp.
//
// All size and extent arithmetic is overflow-checked: shapes come from user
// code, and a wrapped product would turn into an out-of-bounds access.
#include "runtime/Array.h"
#include "runtime/Cast.h"
#include "runtime/MemoryOrder.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <unistd.h>

namespace ravel {

// ---------------------------------------------------------------------------
// Scalars
// ---------------------------------------------------------------------------

Scalar Scalar::ofFloat(double v, DType t) {
  if (!isFloat(t)) return ofFloat(v).castTo(t);
  if (t == DType::Float32) v = double(float(v));
  Scalar s;
  s.dtype = t;
  s.b = v != 0; // NaN != 0
  s.i = detail::floatToInt<int64_t>(v);
  s.f = v;
  return s;
}

Scalar Scalar::castTo(DType t) const {
  switch (dtype) {
    case DType::Bool:
      if (t == DType::Bool) return ofBool(b);
      if (isInteger(t)) return ofInt(b ? 1 : 0, t);
      return ofFloat(b ? 1.0 : 0.0, t);
    case DType::Int32:
    case DType::Int64:
      switch (t) {
        case DType::Bool:
          return ofBool(i != 0);
        case DType::Int32:
          return ofInt(int32_t(i), DType::Int32); // wraps, like NumPy
        case DType::Int64:
          return ofInt(i);
        case DType::Float32:
          return ofFloat(double(float(i)), DType::Float32); // one rounding
        case DType::Float64:
          return ofFloat(double(i));
      }
      break;
    case DType::Float32:
    case DType::Float64: {
      double v = dtype == DType::Float32 ? double(float(f)) : f;
      switch (t) {
        case DType::Bool:
          return ofBool(v != 0);
        case DType::Int32:
          return ofInt(detail::floatToInt<int32_t>(v), DType::Int32);
        case DType::Int64:
          return ofInt(detail::floatToInt<int64_t>(v));
        case DType::Float32:
          return ofFloat(v, DType::Float32);
        case DType::Float64:
          return ofFloat(v);
      }
      break;
    }
  }
  return *this;
}

Scalar castForSetItem(const Scalar& value, DType dtype) {
  if (!isInteger(dtype)) return value.castTo(dtype);
  int64_t v = value.i;
  const bool fromFloat = isFloat(value.dtype);
  if (fromFloat) {
    if (std::isnan(value.f))
      throw RuntimeError(ErrorKind::Value, "cannot convert float NaN to integer");
    if (std::isinf(value.f))
      throw RuntimeError(ErrorKind::Value, "cannot convert float infinity to integer");
    double t = std::trunc(value.f);
    if (!(t >= -0x1p63 && t < 0x1p63))
      throw RuntimeError(ErrorKind::Value, "Python int too large to convert to C long");
    v = int64_t(t);
  } else if (value.dtype == DType::Bool) {
    v = value.b;
  }
  // A float goes through a Python int and then C's conversion, which wraps
  // (NumPy: int32 slot = 3e9 stores -1294967296); an int must fit (NEP 50).
  if (dtype == DType::Int32 && fromFloat)
    return Scalar::ofInt(int32_t(uint32_t(uint64_t(v))), dtype);
  if (dtype == DType::Int32 && (v < INT32_MIN || v > INT32_MAX))
    throw RuntimeError(ErrorKind::Value,
                       "Python integer " + std::to_string(v) + " out of bounds for int32");
  return Scalar::ofInt(v, dtype);
}

// ---------------------------------------------------------------------------
// Shapes
// ---------------------------------------------------------------------------

namespace {

[[noreturn]] void throwTooManyDims(size_t ndim) {
  throw RuntimeError(ErrorKind::Value, "maximum supported dimension for an ndarray is " +
                                           std::to_string(kMaxDims) + ", found " +
                                           std::to_string(ndim));
}

std::string formatShapeWith(const Shape& shape, const char* sep) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += sep;
    s += std::to_string(shape[i]);
  }
  if (shape.size() == 1) s += ",";
  return s + ")";
}

/// Byte range [lo, hi) touched by a non-empty array, relative to its first
/// element. False on overflow.
bool byteExtent(const Shape& shape, const Strides& strides, int64_t itemSize, int64_t& lo,
                int64_t& hi) {
  lo = 0;
  hi = itemSize;
  for (size_t i = 0; i < shape.size(); ++i) {
    int64_t span;
    if (__builtin_mul_overflow(strides[i], shape[i] - 1, &span)) return false;
    if (span < 0 ? __builtin_add_overflow(lo, span, &lo) : __builtin_add_overflow(hi, span, &hi))
      return false;
  }
  return true;
}

/// Conservative: true unless the axes, sorted by |stride|, each step over
/// everything the smaller axes reach (then no two elements share a byte).
bool mayHaveInternalOverlap(const Shape& shape, const Strides& strides, int64_t itemSize) {
  // No elements, no two of them at one address (a squeezed (1, 0, 3) view).
  if (std::find(shape.begin(), shape.end(), 0) != shape.end()) return false;
  std::vector<std::pair<uint64_t, int64_t>> axes;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] <= 1) continue;
    uint64_t s = strides[i] < 0 ? uint64_t(0) - uint64_t(strides[i]) : uint64_t(strides[i]);
    axes.emplace_back(s, shape[i]);
  }
  std::sort(axes.begin(), axes.end());
  unsigned __int128 reach = uint64_t(itemSize);
  bool sure = true;
  for (auto [stride, n] : axes) {
    if (stride < reach) sure = false;
    reach += (unsigned __int128)stride * uint64_t(n - 1);
  }
  if (sure) return false;
  // Interleaved strides ((3, 4) with strides (16, 24) over 8-byte items) may
  // still place every element apart: for small views, list the addresses.
  constexpr int64_t kExactCheckLimit = 1 << 16;
  int64_t count = 1;
  for (auto [stride, n] : axes) {
    if (stride == 0) return true;
    count *= n;
    if (count > kExactCheckLimit) return true;
  }
  std::vector<uint64_t> starts{0};
  for (auto [stride, n] : axes) {
    std::vector<uint64_t> next;
    next.reserve(starts.size() * size_t(n));
    for (uint64_t s0 : starts)
      for (int64_t i = 0; i < n; ++i) next.push_back(s0 + stride * uint64_t(i));
    starts.swap(next);
  }
  std::sort(starts.begin(), starts.end());
  for (size_t i = 1; i < starts.size(); ++i)
    if (starts[i] - starts[i - 1] < uint64_t(itemSize)) return true;
  return false;
}

/// Resolves a single -1 and checks the total against `size`.
Shape resolveReshape(const Shape& requested, int64_t size) {
  if (requested.size() > size_t(kMaxDims)) throwTooManyDims(requested.size());
  int unknown = -1;
  int64_t known = 1;
  bool overflow = false;
  for (size_t i = 0; i < requested.size(); ++i) {
    int64_t d = requested[i];
    if (d == -1) {
      if (unknown >= 0)
        throw RuntimeError(ErrorKind::Value, "can only specify one unknown dimension");
      unknown = int(i);
    } else if (d < 0) {
      throw RuntimeError(ErrorKind::Value, "negative dimensions not allowed");
    } else if (__builtin_mul_overflow(known, d, &known)) {
      overflow = true;
    }
  }
  Shape resolved = requested;
  bool ok;
  if (unknown >= 0) {
    ok = !overflow && known != 0 && size % known == 0;
    if (ok) resolved[size_t(unknown)] = size / known;
  } else {
    ok = !overflow && known == size;
  }
  if (!ok)
    throw RuntimeError(ErrorKind::Shape, "cannot reshape array of size " + std::to_string(size) +
                                             " into shape " + formatShapeCompact(requested));
  return resolved;
}

/// NumPy's _attempt_nocopy_reshape (C order): new strides for `newShape` over
/// the same memory, or false when the old axes cannot be combined.
bool attemptNoCopyReshape(const Shape& oldShapeIn, const Strides& oldStridesIn, int64_t itemSize,
                          const Shape& newShape, Strides& newStrides) {
  Shape oldShape;
  Strides oldStrides;
  for (size_t i = 0; i < oldShapeIn.size(); ++i) {
    if (oldShapeIn[i] != 1) {
      oldShape.push_back(oldShapeIn[i]);
      oldStrides.push_back(oldStridesIn[i]);
    }
  }
  const size_t oldNd = oldShape.size(), newNd = newShape.size();
  newStrides.assign(newNd, 0);
  size_t oi = 0, oj = 1, ni = 0, nj = 1;
  while (ni < newNd && oi < oldNd) {
    int64_t np = newShape[ni], op = oldShape[oi];
    while (np != op) {
      if (np < op)
        np *= newShape[nj++]; // trailing 1s are handled below
      else
        op *= oldShape[oj++];
    }
    for (size_t ok = oi; ok + 1 < oj; ++ok)
      if (oldStrides[ok] != oldShape[ok + 1] * oldStrides[ok + 1]) return false;
    newStrides[nj - 1] = oldStrides[oj - 1];
    for (size_t nk = nj - 1; nk > ni; --nk) newStrides[nk - 1] = newStrides[nk] * newShape[nk];
    ni = nj++;
    oi = oj++;
  }
  int64_t last = ni >= 1 ? newStrides[ni - 1] : itemSize;
  for (size_t nk = ni; nk < newNd; ++nk) newStrides[nk] = last;
  return true;
}

} // namespace

int64_t checkedSize(const Shape& shape, int64_t itemSize) {
  // Mirrors PyArray_NewFromDescr: zero dims are skipped by the overflow check,
  // which starts from the item size.
  if (shape.size() > size_t(kMaxDims)) throwTooManyDims(shape.size());
  int64_t nbytes = std::max<int64_t>(itemSize, 1), size = 1;
  bool empty = false;
  for (int64_t d : shape) {
    if (d == 0) {
      empty = true;
      continue;
    }
    if (d < 0) throw RuntimeError(ErrorKind::Value, "negative dimensions are not allowed");
    if (__builtin_mul_overflow(nbytes, d, &nbytes))
      throw RuntimeError(ErrorKind::Value,
                         "array is too big; `arr.size * arr.dtype.itemsize` is larger than the "
                         "maximum possible size.");
    size *= d;
  }
  return empty ? 0 : size;
}

int64_t checkedSize(const Shape& shape) {
  return checkedSize(shape, 1);
}

std::string formatShape(const Shape& shape) {
  return formatShapeWith(shape, ", ");
}
std::string formatShapeCompact(const Shape& shape) {
  return formatShapeWith(shape, ",");
}

Strides contiguousStrides(const Shape& shape, int64_t itemSize) {
  // NumPy's _array_fill_strides: a zero-length axis counts as length 1.
  Strides strides(shape.size());
  int64_t s = itemSize;
  for (size_t i = shape.size(); i-- > 0;) {
    strides[i] = s;
    if (shape[i] > 0) s *= shape[i];
  }
  return strides;
}

SliceBounds normalizeSlice(std::optional<int64_t> startIn, std::optional<int64_t> stopIn,
                           std::optional<int64_t> stepIn, int64_t length) {
  // CPython's PySlice_Unpack + PySlice_AdjustIndices.
  int64_t step = stepIn.value_or(1);
  if (step == 0) throw RuntimeError(ErrorKind::Value, "slice step cannot be zero");
  if (step < -INT64_MAX) step = -INT64_MAX; // so that -step never overflows
  const int64_t lower = step < 0 ? -1 : 0;
  const int64_t upper = step < 0 ? length - 1 : length;
  auto clamp = [&](std::optional<int64_t> v, int64_t dflt) {
    if (!v) return dflt;
    int64_t x = *v;
    if (x < 0) {
      x += length; // x < 0 <= length: cannot overflow
      if (x < lower) x = lower;
    } else if (x > upper) {
      x = upper;
    }
    return x;
  };
  int64_t start = clamp(startIn, step < 0 ? upper : lower);
  int64_t stop = clamp(stopIn, step < 0 ? lower : upper);
  int64_t count = 0;
  if (step < 0) {
    if (stop < start) count = (start - stop - 1) / (-step) + 1;
  } else if (start < stop) {
    count = (stop - start - 1) / step + 1;
  }
  return {start, step, count};
}

int64_t normalizeIndex(int64_t index, int axis, int64_t length) {
  int64_t i = index;
  if (i < 0 && i >= -length) i += length; // -length cannot overflow: length >= 0
  if (i < 0 || i >= length)
    throw RuntimeError(ErrorKind::Index, "index " + std::to_string(index) +
                                             " is out of bounds for axis " + std::to_string(axis) +
                                             " with size " + std::to_string(length));
  return i;
}

int normalizeAxis(int64_t axis, int ndim) {
  if (axis < -int64_t(ndim) || axis >= ndim)
    throw RuntimeError(ErrorKind::Value, "axis " + std::to_string(axis) +
                                             " is out of bounds for array of dimension " +
                                             std::to_string(ndim));
  return int(axis < 0 ? axis + ndim : axis);
}

Shape broadcastShapes(const Shape& a, const Shape& b) {
  const size_t n = std::max(a.size(), b.size());
  Shape out(n);
  for (size_t i = 0; i < n; ++i) {
    int64_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
    int64_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
    if (da == db || db == 1)
      out[i] = da;
    else if (da == 1)
      out[i] = db;
    else
      throw RuntimeError(ErrorKind::Shape, "operands could not be broadcast together with shapes " +
                                               formatShapeCompact(a) + " " + formatShapeCompact(b));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Array: construction and properties
// ---------------------------------------------------------------------------

namespace {

template <class U> void fillPattern(char* p, int64_t n, const char* pattern) {
  U v;
  std::memcpy(&v, pattern, sizeof(U));
  for (int64_t i = 0; i < n; ++i) std::memcpy(p + i * int64_t(sizeof(U)), &v, sizeof(U));
}

} // namespace

Array Array::empty(const Shape& shape, DType dtype) {
  const int64_t n = checkedSize(shape, itemSize(dtype));
  Array a;
  a.buffer_ = Buffer::allocate(n * itemSize(dtype), shape, dtype);
  a.shape_ = shape;
  // NumPy 1.24 gives a new empty array all-zero strides.
  a.strides_ = n == 0 ? Strides(shape.size(), 0) : contiguousStrides(shape, itemSize(dtype));
  a.dtype_ = dtype;
  return a;
}

Array Array::emptyFortran(const Shape& shape, DType dtype) {
  std::vector<int> fastestFirst;
  for (int d = 0; d < int(shape.size()); ++d) fastestFirst.push_back(d);
  return emptyInAxisOrder(shape, dtype, fastestFirst);
}

Array Array::emptyInAxisOrder(const Shape& shape, DType dtype,
                              const std::vector<int>& fastestFirst) {
  RAVEL_CHECK(fastestFirst.size() == shape.size(), "axis order of the wrong length");
  Array a = empty(shape, dtype);
  if (a.size() == 0) return a; // NumPy: all-zero strides, whatever the order
  a.strides_ = stridesInAxisOrder(shape, itemSize(dtype), fastestFirst);
  return a;
}

Array Array::zeros(const Shape& shape, DType dtype) {
  // All-zero bytes are 0, 0.0 and false; large buffers come zeroed from the
  // system, untouched, as NumPy's calloc does.
  const int64_t n = checkedSize(shape, itemSize(dtype));
  Array a;
  a.buffer_ = Buffer::allocateZeroed(n * itemSize(dtype), shape, dtype);
  a.shape_ = shape;
  a.strides_ = n == 0 ? Strides(shape.size(), 0) : contiguousStrides(shape, itemSize(dtype));
  a.dtype_ = dtype;
  return a;
}

Array Array::ones(const Shape& shape, DType dtype) {
  return full(shape, Scalar::ofInt(1), dtype);
}

Array Array::full(const Shape& shape, Scalar value, DType dtype) {
  Array a = empty(shape, dtype);
  char pattern[8];
  detail::writeScalar(pattern, dtype, value);
  const int64_t n = a.size();
  switch (a.itemsize()) {
    case 1:
      std::memset(a.data(), pattern[0], size_t(n));
      break;
    case 4:
      fillPattern<uint32_t>(a.data(), n, pattern);
      break;
    default:
      fillPattern<uint64_t>(a.data(), n, pattern);
      break;
  }
  return a;
}

Array Array::scalar(Scalar value) {
  return full({}, value, value.dtype);
}

Array Array::borrow(void* data, int64_t nbytes, const Shape& shape, const Strides& strides,
                    DType dtype) {
  if (shape.size() != strides.size())
    throw RuntimeError(ErrorKind::Value, "shape and strides must have the same length");
  const int64_t n = checkedSize(shape, itemSize(dtype));
  Array a;
  a.buffer_ = Buffer::borrow(data, nbytes);
  a.shape_ = shape;
  a.strides_ = strides;
  a.dtype_ = dtype;
  int64_t lo, hi;
  if (n > 0 && (!byteExtent(shape, strides, itemSize(dtype), lo, hi) || lo < 0 || hi > nbytes))
    throw RuntimeError(ErrorKind::Value, "borrowed memory of " + std::to_string(nbytes) +
                                             " bytes is too small for shape " + formatShape(shape) +
                                             " with the given strides");
  return a;
}

Array Array::borrowView(void* first, const Shape& shape, const Strides& strides, DType dtype) {
  if (shape.size() != strides.size())
    throw RuntimeError(ErrorKind::Value, "shape and strides must have the same length");
  const int64_t item = itemSize(dtype);
  int64_t lo = 0, hi = item;
  bool empty = false;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] < 0) throw RuntimeError(ErrorKind::Value, "negative dimensions are not allowed");
    empty |= shape[i] == 0;
    if (shape[i] > 0) (strides[i] < 0 ? lo : hi) += (shape[i] - 1) * strides[i];
  }
  if (empty) return borrow(first, 0, shape, strides, dtype);
  if (first == nullptr) throw RuntimeError(ErrorKind::Value, "a view of a null pointer");
  if (lo == 0) return borrow(first, hi, shape, strides, dtype);
  // Negative strides: borrow from the lowest address, view from there.
  if ((hi - lo) % item != 0)
    throw RuntimeError(ErrorKind::Value, "strides must be multiples of the element size");
  Array whole = borrow(static_cast<char*>(first) + lo, hi - lo, {(hi - lo) / item}, {item}, dtype);
  return whole.view(shape, strides, -lo);
}

int64_t Array::size() const {
  int64_t n = 1;
  for (int64_t d : shape_) n *= d;
  return n;
}

Array Array::base() const {
  return base_ ? *base_ : Array();
}

bool Array::isCContiguous() const {
  int64_t expected = itemsize();
  bool contiguous = true;
  for (size_t i = shape_.size(); i-- > 0;) {
    if (shape_[i] == 0) return true; // empty arrays are contiguous by definition
    if (shape_[i] != 1) {
      if (strides_[i] != expected) contiguous = false;
      expected *= shape_[i];
    }
  }
  return contiguous;
}

bool Array::isFContiguous() const {
  int64_t expected = itemsize();
  bool contiguous = true;
  for (size_t i = 0; i < shape_.size(); ++i) {
    if (shape_[i] == 0) return true;
    if (shape_[i] != 1) {
      if (strides_[i] != expected) contiguous = false;
      expected *= shape_[i];
    }
  }
  return contiguous;
}

bool Array::mayShareMemory(const Array& other) const {
  if (!valid() || !other.valid() || size() == 0 || other.size() == 0) return false;
  int64_t lo1, hi1, lo2, hi2;
  byteExtent(shape_, strides_, itemsize(), lo1, hi1); // in bounds: cannot overflow
  byteExtent(other.shape_, other.strides_, other.itemsize(), lo2, hi2);
  uintptr_t a0 = uintptr_t(data()) + uintptr_t(lo1), a1 = uintptr_t(data()) + uintptr_t(hi1);
  uintptr_t b0 = uintptr_t(other.data()) + uintptr_t(lo2),
            b1 = uintptr_t(other.data()) + uintptr_t(hi2);
  return a0 < b1 && b0 < a1;
}

// ---------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------

Array Array::derive(Shape shape, Strides strides, int64_t offset) const {
  RAVEL_CHECK(valid(), "view of a null array");
  Array v;
  v.buffer_ = buffer_;
  v.base_ = base_ ? base_ : std::make_shared<const Array>(*this);
  v.offset_ = offset;
  v.shape_ = std::move(shape);
  v.strides_ = std::move(strides);
  v.dtype_ = dtype_;
  v.writeable_ = writeable_;
  return v;
}

Array Array::view(const Shape& shape, const Strides& strides, int64_t offsetBytes) const {
  if (shape.size() != strides.size())
    throw RuntimeError(ErrorKind::Value, "shape and strides must have the same length");
  const int64_t n = checkedSize(shape, itemsize());
  if (n > 0) {
    int64_t lo, hi;
    bool ok = byteExtent(shape, strides, itemsize(), lo, hi) &&
              !__builtin_add_overflow(lo, offsetBytes, &lo) &&
              !__builtin_add_overflow(hi, offsetBytes, &hi) && lo >= 0 && hi <= buffer_->nbytes();
    if (!ok)
      throw RuntimeError(ErrorKind::Value, "view with shape " + formatShape(shape) +
                                               " and strides " + formatShape(strides) +
                                               " at offset " + std::to_string(offsetBytes) +
                                               " reaches outside its buffer of " +
                                               std::to_string(buffer_->nbytes()) + " bytes");
  }
  Array v = derive(shape, strides, offsetBytes);
  if (mayHaveInternalOverlap(shape, strides, itemsize())) v.writeable_ = false;
  return v;
}

Array Array::sliceAxis(int axis, int64_t start, int64_t step, int64_t count) const {
  RAVEL_CHECK(axis >= 0 && axis < ndim(), "slice axis out of range");
  RAVEL_CHECK(step != 0 && count >= 0, "slice not normalised");
  const int64_t len = shape_[size_t(axis)];
  if (count > 0) {
    __int128 last = (__int128)start + (__int128)(count - 1) * step;
    RAVEL_CHECK(start >= 0 && start < len && last >= 0 && last < len, "slice out of bounds");
  } else {
    start = 0; // NumPy points an empty slice at the axis start with step 1
    step = 1;
  }
  Shape shape = shape_;
  Strides strides = strides_;
  const int64_t stride = strides_[size_t(axis)];
  shape[size_t(axis)] = count;
  // A single-element slice can have a step whose stride product wraps; NumPy
  // keeps the wrapped value, and it is never used to address anything.
  strides[size_t(axis)] = int64_t(uint64_t(stride) * uint64_t(step));
  return derive(std::move(shape), std::move(strides), offset_ + start * stride);
}

Array Array::indexAxis(int axis, int64_t i) const {
  RAVEL_CHECK(axis >= 0 && axis < ndim(), "index axis out of range");
  RAVEL_CHECK(i >= 0 && i < shape_[size_t(axis)], "index not normalised");
  Shape shape = shape_;
  Strides strides = strides_;
  const int64_t stride = strides_[size_t(axis)];
  shape.erase(shape.begin() + axis);
  strides.erase(strides.begin() + axis);
  return derive(std::move(shape), std::move(strides), offset_ + i * stride);
}

Array Array::insertAxis(int axis) const {
  RAVEL_CHECK(axis >= 0 && axis <= ndim(), "newaxis position out of range");
  if (ndim() + 1 > kMaxDims) throwTooManyDims(size_t(ndim()) + 1);
  Shape shape = shape_;
  Strides strides = strides_;
  shape.insert(shape.begin() + axis, 1);
  strides.insert(strides.begin() + axis, 0);
  return derive(std::move(shape), std::move(strides), offset_);
}

Array Array::transpose() const {
  return derive(Shape(shape_.rbegin(), shape_.rend()), Strides(strides_.rbegin(), strides_.rend()),
                offset_);
}

Array Array::transpose(const std::vector<int>& perm) const {
  if (perm.size() != shape_.size()) throw RuntimeError(ErrorKind::Value, "axes don't match array");
  std::vector<bool> seen(shape_.size(), false);
  Shape shape(shape_.size());
  Strides strides(shape_.size());
  for (size_t i = 0; i < perm.size(); ++i) {
    int a = normalizeAxis(perm[i], ndim());
    if (seen[size_t(a)]) throw RuntimeError(ErrorKind::Value, "repeated axis in transpose");
    seen[size_t(a)] = true;
    shape[i] = shape_[size_t(a)];
    strides[i] = strides_[size_t(a)];
  }
  return derive(std::move(shape), std::move(strides), offset_);
}

Array Array::broadcastTo(const Shape& shape) const {
  if (shape.size() > size_t(kMaxDims)) throwTooManyDims(shape.size());
  for (int64_t d : shape)
    if (d < 0)
      throw RuntimeError(ErrorKind::Value, "all elements of broadcast shape must be non-negative");
  auto fail = [&] {
    throw RuntimeError(ErrorKind::Shape,
                       "operands could not be broadcast together with remapped shapes "
                       "[original->remapped]: " +
                           formatShapeCompact(shape_) + " and requested shape " +
                           formatShapeCompact(shape));
  };
  if (shape.size() < shape_.size()) fail();
  checkedSize(shape, itemsize());
  const size_t lead = shape.size() - shape_.size();
  Strides strides(shape.size(), 0);
  for (size_t i = 0; i < shape_.size(); ++i) {
    if (shape_[i] == shape[lead + i] && shape_[i] != 1)
      strides[lead + i] = strides_[i];
    else if (shape_[i] != 1)
      fail();
  }
  Array v = derive(shape, std::move(strides), offset_);
  v.writeable_ = false;
  return v;
}

Array Array::reshapeView(const Shape& requested) const {
  Shape shape = resolveReshape(requested, size());
  // NumPy's PyArray_Newshape keeps the strides only when the requested
  // dimensions are literally the current ones: a -1 (reshape(-1), ravel)
  // goes on to give a contiguous array fresh strides, which differ from the
  // old ones on length-1 axes (x[::2] of one element: (16,) -> (8,)).
  if (requested == shape_) return derive(shape_, strides_, offset_);
  if (isCContiguous()) {
    Strides strides = contiguousStrides(shape, itemsize());
    return derive(std::move(shape), std::move(strides), offset_);
  }
  Strides strides;
  if (!attemptNoCopyReshape(shape_, strides_, itemsize(), shape, strides)) return Array();
  return derive(std::move(shape), std::move(strides), offset_);
}

Array Array::withWriteable(bool writeable) const {
  Array v = *this;
  v.writeable_ = writeable;
  return v;
}

Array Array::readOnly() const {
  Array v = derive(shape_, strides_, offset_);
  v.writeable_ = false;
  return v;
}

// ---------------------------------------------------------------------------
// Copies
// ---------------------------------------------------------------------------

Array Array::copy() const {
  return astype(dtype_);
}

Array Array::astype(DType dtype) const {
  Array out = empty(shape_, dtype);
  detail::copyCast(out, *this);
  return out;
}

Array Array::reshape(const Shape& shape) const {
  Array v = reshapeView(shape);
  if (v.valid()) return v;
  return copy().reshapeView(shape);
}

void Array::assign(const Array& srcIn) {
  RAVEL_CHECK(valid() && srcIn.valid(), "assignment with a null array");
  if (!writeable_) throw RuntimeError(ErrorKind::Value, "assignment destination is read-only");
  Array src = srcIn;
  // NumPy's setitem broadcast: leading length-1 axes of the source may go.
  size_t drop = 0;
  while (src.shape_.size() - drop > shape_.size() && src.shape_[drop] == 1) ++drop;
  bool ok = src.shape_.size() - drop <= shape_.size();
  const size_t lead = shape_.size() - (src.shape_.size() - drop);
  for (size_t i = drop; ok && i < src.shape_.size(); ++i) {
    int64_t d = src.shape_[i];
    ok = d == 1 || d == shape_[lead + i - drop];
  }
  if (!ok)
    throw RuntimeError(ErrorKind::Shape, "could not broadcast input array from shape " +
                                             formatShapeCompact(src.shape_) + " into shape " +
                                             formatShapeCompact(shape_));
  if (size() == 0) return;
  if (src.mayShareMemory(*this)) {
    // Read the source as if it were copied first (a[1:] = a[:-1]).
    if (src.data() == data() && src.shape_ == shape_ && src.strides_ == strides_ &&
        src.dtype_ == dtype_)
      return;
    src = src.copy();
  }
  Shape trimmed(src.shape_.begin() + long(drop), src.shape_.end());
  Strides trimmedStrides(src.strides_.begin() + long(drop), src.strides_.end());
  Strides strides(shape_.size(), 0);
  for (size_t i = 0; i < trimmed.size(); ++i)
    if (trimmed[i] != 1) strides[lead + i] = trimmedStrides[i];
  Array b = src;
  b.shape_ = shape_;
  b.strides_ = std::move(strides);
  detail::copyCast(*this, b);
}

// ---------------------------------------------------------------------------
// Elements
// ---------------------------------------------------------------------------

namespace {

int64_t elementOffset(const Shape& shape, const Strides& strides,
                      const std::vector<int64_t>& index) {
  RAVEL_CHECK(index.size() == shape.size(), "wrong number of indices");
  int64_t off = 0;
  for (size_t i = 0; i < index.size(); ++i) {
    RAVEL_CHECK(index[i] >= 0 && index[i] < shape[i], "element index out of range");
    off += index[i] * strides[i];
  }
  return off;
}

} // namespace

Scalar Array::at(const std::vector<int64_t>& index) const {
  return detail::readScalar(data() + elementOffset(shape_, strides_, index), dtype_);
}

Scalar Array::item() const {
  if (size() != 1)
    throw RuntimeError(ErrorKind::Value, "can only convert an array of size 1 to a Python scalar");
  return detail::readScalar(data(), dtype_);
}

void Array::setAt(const std::vector<int64_t>& index, Scalar value) {
  if (!writeable_) throw RuntimeError(ErrorKind::Value, "assignment destination is read-only");
  detail::writeScalar(data() + elementOffset(shape_, strides_, index), dtype_, value);
}

} // namespace ravel
