// Private to the runtime: NumPy's element conversions (the x86 semantics,
// written without any undefined C++ cast) and the strided copy-with-cast used
// by Array::copy/astype/assign. Not part of the public API.
#pragma once

#include "runtime/Array.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

namespace ravel::detail {

/// The C++ type that stores each dtype. Bool is stored as one byte that is
/// always read as `byte != 0` (never as a raw C++ bool).
template <DType T> struct Storage;
template <> struct Storage<DType::Bool> { using type = uint8_t; };
template <> struct Storage<DType::Int32> { using type = int32_t; };
template <> struct Storage<DType::Int64> { using type = int64_t; };
template <> struct Storage<DType::Float32> { using type = float; };
template <> struct Storage<DType::Float64> { using type = double; };

/// float -> signed integer as NumPy does on x86 (cvttsd2si): truncation
/// toward zero, and INT_MIN of the target width for NaN, inf and anything out
/// of range. The range check comes first, so the C++ cast is always defined.
template <class Int, class Float> constexpr Int floatToInt(Float v) {
  constexpr double lo = double(std::numeric_limits<Int>::min()); // -2^(w-1), exact
  double d = double(v);
  // Truncation maps (lo - 1, -lo) into the range; the comparisons fail for NaN.
  // For int64, lo - 1 rounds to lo, which only sends lo itself to INT_MIN.
  if (d > lo - 1.0 && d < -lo) return Int(d);
  return std::numeric_limits<Int>::min();
}

/// One element converted from dtype From to dtype To (NumPy's unsafe cast).
template <DType To, DType From>
inline typename Storage<To>::type convert(typename Storage<From>::type v) {
  using T = typename Storage<To>::type;
  if constexpr (To == From) {
    if constexpr (To == DType::Bool)
      return T(v != 0);
    else
      return v;
  } else if constexpr (To == DType::Bool) {
    return T(v != 0); // NaN != 0, so NaN -> true; -0.0 -> false
  } else if constexpr (From == DType::Bool) {
    return T(v != 0 ? 1 : 0);
  } else if constexpr (isInteger(To) && isFloat(From)) {
    return floatToInt<T>(v);
  } else if constexpr (isInteger(To) && isInteger(From)) {
    return T(v); // modular in C++20, like NumPy's wrap-around
  } else {
    return T(v); // int -> float and float <-> float: round to nearest (inf on overflow)
  }
}

template <class T> inline T load(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}
template <class T> inline void store(char* p, T v) {
  std::memcpy(p, &v, sizeof(T));
}

/// Copies src into dst element by element with NumPy's casting; src must
/// already have dst's shape (broadcast with stride 0 where needed). The caller
/// handles overlap.
void copyCast(const Array& dst, const Array& src);

/// Reads the element at p as a Scalar of dtype t.
Scalar readScalar(const char* p, DType t);
/// Writes v (cast to t) at p.
void writeScalar(char* p, DType t, const Scalar& v);

} // namespace ravel::detail
