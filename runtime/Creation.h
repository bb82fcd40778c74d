// Array creation functions with NumPy's exact values: arange, linspace, eye,
// and arrays from nested literals. (empty/zeros/ones/full are Array statics.)
#pragma once

#include "runtime/Array.h"

#include <cstdint>
#include <vector>

namespace ravel {

/// np.arange(start, stop, step, dtype) for float arguments. Length
/// ceil((stop - start) / step); values start + i * delta computed in the
/// target dtype with delta = (start + step) - start, exactly as NumPy's fill.
/// step == 0 -> RuntimeError(Value) "division by zero".
Array arange(double start, double stop, double step = 1.0, DType dtype = DType::Float64);
/// np.arange with integer arguments (NumPy's default dtype is int64).
Array arangeInt(int64_t start, int64_t stop, int64_t step = 1, DType dtype = DType::Int64);

/// np.linspace, bit-identical to NumPy 1.24 (computed in float64, then cast;
/// integer dtypes are floored first). num < 0 -> RuntimeError(Value).
Array linspace(double start, double stop, int64_t num = 50, bool endpoint = true,
               DType dtype = DType::Float64);

/// np.eye(n, m, k, dtype): ones on the k-th diagonal of an n x m array.
Array eye(int64_t n, int64_t m, int64_t k = 0, DType dtype = DType::Float64);
/// np.identity(n, dtype).
Array identity(int64_t n, DType dtype = DType::Float64);

} // namespace ravel
