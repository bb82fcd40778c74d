// Print: NumPy 1.24-identical text for arrays and scalars.
//
// formatArrayStr is str(a) / print(a), formatArrayRepr is repr(a) (what the
// REPL echoes). Both follow numpy/core/arrayprint.py with its default options
// (floatmode 'maxprec', sign '-', no legacy mode): element formatting
// (FloatingFormat, IntegerFormat, BoolFormat), line wrapping, summarization of
// big arrays and the repr's dtype suffix. Float digits come from the Dragon4
// port in FloatFormat.h.
#pragma once

#include "runtime/Array.h"
#include "runtime/FloatFormat.h"

#include <cstdint>
#include <string>

namespace ravel {

/// The subset of np.set_printoptions that ravel supports (NumPy's defaults).
struct PrintOptions {
  int precision = 8;
  int64_t threshold = 1000;
  int edgeitems = 3;
  int linewidth = 75;
  bool suppress = false;
};

/// str(a): "[1 2 3]", "[[1. 2.]\n [3. 4.]]"; a 0-d array prints as its scalar.
std::string formatArrayStr(const Array& a, const PrintOptions& options = {});
/// repr(a): "array([1, 2, 3])", "array([1., 2.], dtype=float32)",
/// "array([], shape=(0, 3), dtype=float64)".
/// `className` is the type name repr shows ("memmap" for a file mapping).
std::string formatArrayRepr(const Array& a, const PrintOptions& options = {},
                            const std::string& className = "array");

/// str() of a NumPy scalar: np.float64(0.1) -> "0.1", np.float64(1e16) ->
/// "1e+16", np.float32(0.1) -> "0.1", np.int32(3) -> "3", np.bool_(1) -> "True".
std::string formatScalarStr(const Scalar& s);
/// repr() of a NumPy 1.24 scalar: the same text as str() for ravel's dtypes.
std::string formatScalarRepr(const Scalar& s);

/// Python's repr(float): "0.1", "1e-05", "1e+16", "inf", "nan", "-0.0", "1.0".
/// (Defined in FloatFormat.cpp.)
std::string formatPythonFloat(double value);

} // namespace ravel
