// byStorage: one loop written once over the five element types. Header-only,
// no dependencies beyond DType.
#pragma once

#include "runtime/DType.h"

#include <cstdint>

namespace ravel {

/// Calls f with a value of the C++ type that stores t (uint8_t for bool).
template <class F> void byStorage(DType t, F&& f) {
  switch (t) {
    case DType::Bool:
      f(uint8_t{});
      return;
    case DType::Int32:
      f(int32_t{});
      return;
    case DType::Int64:
      f(int64_t{});
      return;
    case DType::Float32:
      f(float{});
      return;
    case DType::Float64:
      f(double{});
      return;
  }
}

} // namespace ravel
