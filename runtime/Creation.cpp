// Creation functions ported from NumPy 1.24 so values match bit for bit:
//  - arange: PyArray_ArangeObj stores start and start + step (converted like
//    Python scalars) into the first two slots, then the dtype's fill function
//    computes buffer[i] = start + i * (buffer[1] - buffer[0]) in that dtype;
//  - linspace: numpy/core/function_base.py, in float64.
#include "runtime/Creation.h"
#include "runtime/Cast.h"

#include <cmath>

namespace ravel {

namespace {

template <DType T> void fillArange(char* data, int64_t n) {
  using V = typename detail::Storage<T>::type;
  V* p = reinterpret_cast<V*>(data);
  const V start = p[0];
  if constexpr (isFloat(T)) {
    const V delta = p[1] - start;
    for (int64_t i = 2; i < n; ++i) p[i] = start + V(i) * delta;
  } else {
    // Integer fill with NumPy's (wrapping) C arithmetic.
    using U = std::make_unsigned_t<V>;
    const U delta = U(p[1]) - U(start);
    for (int64_t i = 2; i < n; ++i) p[i] = V(U(start) + U(i) * delta);
  }
}

/// Allocates `length` elements, stores first/second and fills the rest.
Array arangeFrom(int64_t length, const Scalar& first, const Scalar& second, DType dtype) {
  if (length <= 0) return Array::empty({0}, dtype);
  if (dtype == DType::Bool && length > 2)
    throw RuntimeError(ErrorKind::Type, "arange: no fill-function for data-type bool");
  Array out = Array::empty({length}, dtype);
  detail::writeScalar(out.data(), dtype, castForSetItem(first, dtype));
  if (length == 1) return out;
  detail::writeScalar(out.data() + out.itemsize(), dtype, castForSetItem(second, dtype));
  switch (dtype) {
    case DType::Bool:
      break;
    case DType::Int32:
      fillArange<DType::Int32>(out.data(), length);
      break;
    case DType::Int64:
      fillArange<DType::Int64>(out.data(), length);
      break;
    case DType::Float32:
      fillArange<DType::Float32>(out.data(), length);
      break;
    case DType::Float64:
      fillArange<DType::Float64>(out.data(), length);
      break;
  }
  return out;
}

/// A Python int as a Scalar for arange's second slot (may exceed int64).
Scalar pythonInt(__int128 v, DType dtype) {
  if (v < INT64_MIN || v > INT64_MAX) {
    if (isFloat(dtype)) return Scalar::ofFloat(double(v)); // correctly rounded
    throw RuntimeError(ErrorKind::Value, "Python int too large to convert to C long");
  }
  // Python int -> float32 goes through a double, as np.float32(int) does.
  if (dtype == DType::Float32) return Scalar::ofFloat(double(int64_t(v)));
  return Scalar::ofInt(int64_t(v));
}

} // namespace

Array arange(double start, double stop, double step, DType dtype) {
  if (step == 0) throw RuntimeError(ErrorKind::Value, "division by zero");
  const double next = stop - start;
  if (next == 0) return Array::empty({0}, dtype);
  const double length = std::ceil(next / step);
  if (std::isnan(length)) throw RuntimeError(ErrorKind::Value, "arange: cannot compute length");
  if (!(length >= -0x1p63 && length < 0x1p63))
    throw RuntimeError(ErrorKind::Value, "Maximum allowed size exceeded");
  return arangeFrom(int64_t(length), Scalar::ofFloat(start), Scalar::ofFloat(start + step), dtype);
}

Array arangeInt(int64_t start, int64_t stop, int64_t step, DType dtype) {
  if (step == 0) throw RuntimeError(ErrorKind::Value, "division by zero");
  const __int128 diff = (__int128)stop - start;
  // Exact ceil(diff / step).
  __int128 q = diff / step, r = diff % step;
  if (r != 0 && ((r > 0) == (step > 0))) ++q;
  if (q > INT64_MAX) throw RuntimeError(ErrorKind::Value, "Maximum allowed size exceeded");
  const int64_t length = q < 0 ? 0 : int64_t(q);
  return arangeFrom(length, pythonInt(start, dtype), pythonInt((__int128)start + step, dtype),
                    dtype);
}

Array linspace(double start, double stop, int64_t num, bool endpoint, DType dtype) {
  if (num < 0)
    throw RuntimeError(ErrorKind::Value,
                       "Number of samples, " + std::to_string(num) + ", must be non-negative.");
  const int64_t div = endpoint ? num - 1 : num;
  const double delta = stop - start;
  Array y = Array::empty({num}, DType::Float64);
  double* p = reinterpret_cast<double*>(y.data());
  if (div > 0) {
    const double step = delta / double(div);
    if (step == 0) { // denormal deltas (NumPy gh-5437)
      for (int64_t i = 0; i < num; ++i) p[i] = double(i) / double(div) * delta + start;
    } else {
      for (int64_t i = 0; i < num; ++i) p[i] = double(i) * step + start;
    }
  } else {
    for (int64_t i = 0; i < num; ++i) p[i] = double(i) * delta + start;
  }
  if (endpoint && num > 1) p[num - 1] = stop;
  if (isInteger(dtype))
    for (int64_t i = 0; i < num; ++i) p[i] = std::floor(p[i]);
  return dtype == DType::Float64 ? y : y.astype(dtype);
}

Array eye(int64_t n, int64_t m, int64_t k, DType dtype) {
  Array out = Array::zeros({n, m}, dtype);
  const Scalar one = Scalar::ofInt(1);
  for (int64_t i = 0; i < n; ++i) {
    const __int128 j = (__int128)i + k;
    if (j >= 0 && j < m) out.setAt({i, int64_t(j)}, one);
  }
  return out;
}

Array identity(int64_t n, DType dtype) {
  return eye(n, n, 0, dtype);
}

} // namespace ravel
