#!/usr/bin/python3
"""Expected NumPy 1.24 output for the cases in PrintTest.cpp.

    /usr/bin/python3 tests/unit/runtime/print_cases.py            # show outputs
    /usr/bin/python3 tests/unit/runtime/print_cases.py --emit-cpp \
        > tests/unit/runtime/PrintTest.cpp && clang-format -i tests/unit/runtime/PrintTest.cpp

Every array case is described once, here: how NumPy builds it and how the C++
test builds the same array (with identical IEEE operations), plus print
options. --emit-cpp writes the complete PrintTest.cpp to stdout with the
expected strings as literals.
"""
import sys

import numpy as np

DT = {
    np.bool_: "DType::Bool",
    np.int32: "DType::Int32",
    np.int64: "DType::Int64",
    np.float32: "DType::Float32",
    np.float64: "DType::Float64",
}


def cpp_double(x):
    x = float(x)
    if np.isnan(x):
        return "kNan"
    if np.isinf(x):
        return "kInf" if x > 0 else "-kInf"
    return repr(x)


def shape_cpp(shape):
    return "{" + ", ".join(str(d) for d in shape) + "}"


class Vals:
    """Explicit values (C order)."""

    def __init__(self, dtype, shape, values):
        self.dtype, self.shape, self.values = dtype, tuple(shape), values

    def numpy(self):
        return np.array(self.values, dtype=np.float64 if self.dtype in (np.float32, np.float64)
                        else self.dtype).astype(self.dtype).reshape(self.shape)

    def cpp(self):
        if self.dtype in (np.int32, np.int64):
            vals = ", ".join(str(int(v)) if v != -2**63 else "-9223372036854775807 - 1"
                             for v in self.values)
            return f"intArray({DT[self.dtype]}, {shape_cpp(self.shape)}, {{{vals}}})"
        vals = ", ".join(cpp_double(v) for v in self.values)
        return f"makeArray({DT[self.dtype]}, {shape_cpp(self.shape)}, {{{vals}}})"


class Arange:
    """k * scale + offset for k = 0..size-1 in float64, then cast to dtype."""

    def __init__(self, dtype, shape, scale=1.0, offset=0.0):
        self.dtype, self.shape, self.scale, self.offset = dtype, tuple(shape), scale, offset

    def numpy(self):
        n = int(np.prod(self.shape))
        return (np.arange(n, dtype=np.float64) * self.scale + self.offset).astype(
            self.dtype).reshape(self.shape)

    def cpp(self):
        return (f"arangeArray({DT[self.dtype]}, {shape_cpp(self.shape)}, "
                f"{cpp_double(self.scale)}, {cpp_double(self.offset)})")


class Linspace:
    def __init__(self, start, stop, num):
        self.start, self.stop, self.num = start, stop, num

    def numpy(self):
        return np.linspace(self.start, self.stop, self.num)

    def cpp(self):
        return f"linspaceArray({cpp_double(self.start)}, {cpp_double(self.stop)}, {self.num})"


class Transposed:
    def __init__(self, inner):
        self.inner = inner

    def numpy(self):
        return self.inner.numpy().T

    def cpp(self):
        return self.inner.cpp() + ".transpose()"


nan, inf = float("nan"), float("inf")
F8, F4, I8, I4, B = np.float64, np.float32, np.int64, np.int32, np.bool_

# (test name, array builder, print options)
CASES = [
    ("Bool1d", Vals(B, [3], [1, 0, 1]), {}),
    ("Bool2d", Vals(B, [2, 2], [1, 0, 0, 1]), {}),
    ("BoolAllFalse", Vals(B, [2], [0, 0]), {}),
    ("Int32_1d", Vals(I4, [4], [1, -2, 300, 7]), {}),
    ("Int64_1d", Vals(I8, [3], [1, 2, 3]), {}),
    ("Int64Extremes", Vals(I8, [2], [-9223372036854775808, 9223372036854775807]), {}),
    ("Int32Negative2d", Vals(I4, [2, 3], [-1, 20, -300, 4, 5, 6]), {}),
    ("Float64_1d", Vals(F8, [3], [1.0, 2.5, -3.25]), {}),
    ("Float32_1d", Vals(F4, [3], [0.1, 0.25, -3.5]), {}),
    ("FloatIntegers", Vals(F8, [3], [1.0, 2.0, 3.0]), {}),
    ("FloatUnevenDigits", Vals(F8, [3], [0.1, 0.25, 10.0]), {}),
    ("FloatMaxPrecRounding", Vals(F8, [3], [0.1 + 0.2, 1 / 3, 2 / 3]), {}),
    ("FloatNegativeWidths", Vals(F8, [3], [-1.5, 2.25, -100.125]), {}),
    ("Int64_2d", Arange(I8, [2, 3]), {}),
    ("Float64_2d", Vals(F8, [2, 2], [1.0, 2.0, 3.0, 4.0]), {}),
    ("Int32_3d", Arange(I4, [2, 3, 4]), {}),
    ("Float64_3d", Arange(F8, [2, 2, 2], 0.25), {}),
    ("Float64_4d", Arange(F8, [2, 1, 2, 2], 0.5, -1.0), {}),
    ("SciSmall", Vals(F8, [3], [1e-5, 1.0, 2.0]), {}),
    ("SciRatio", Vals(F8, [2], [1.0, 1e4]), {}),
    ("SciLarge", Vals(F8, [2], [1e8, 1.0]), {}),
    ("SciMixed", Vals(F8, [3], [1.5e-10, 2.25e10, -3.0]), {}),
    ("SciThreeDigitExponent", Vals(F8, [2], [1e-5, 1e100]), {}),
    ("SciWithZeroAndNan", Vals(F8, [4], [0.0, 1e-7, nan, -inf]), {}),
    ("NanInf", Vals(F8, [4], [nan, inf, -inf, 1.5]), {}),
    ("AllNonFinite", Vals(F8, [2], [nan, inf]), {}),
    ("NanInfFloat32", Vals(F4, [3], [nan, -inf, 1e-9]), {}),
    ("NegativeZero", Vals(F8, [3], [-0.0, 0.0, 1.0]), {}),
    ("NegativeZeroAlone", Vals(F8, [1], [-0.0]), {}),
    ("Float32Shortest", Vals(F4, [3], [0.1, 0.2, 1 / 3]), {}),
    ("Float32Sci", Vals(F4, [2], [0.1, 1.2345678e-5]), {}),
    ("Float32Max", Vals(F4, [2], [3.4028234663852886e38, 1.0]), {}),
    ("Float32RatioInFloat32", Vals(F4, [2], [1.0000001, 1000.0001]), {}),
    ("Float32ExactIntegerDigits", Vals(F4, [1], [99999992.0]), {}),
    ("LinspaceWraps", Linspace(0.0, 1.0, 30), {}),
    ("ArangeWraps", Arange(I8, [100]), {}),
    ("Int32ReprWraps", Arange(I4, [30]), {}),
    ("Float32ReprDtypeOnNewLine", Arange(F4, [8], 0.001), {}),
    ("RowsWrap2d", Arange(F8, [3, 30], 0.5), {}),
    ("Summarized1d", Arange(I8, [2000]), {}),
    ("SummarizedFloat1d", Arange(F8, [2000], 1e-7), {}),
    ("Summarized2d", Arange(F8, [50, 50], 0.1), {}),
    ("Summarized3d", Arange(I8, [20, 20, 20]), {}),
    ("SummarizedFloat32_3d", Arange(F4, [2, 3, 200], 0.5), {}),
    ("Transposed", Transposed(Arange(I8, [2, 3])), {}),
    ("OptionSuppress", Vals(F8, [3], [1e-9, 1.0, 2.0]), {"suppress": True}),
    ("OptionPrecision", Vals(F8, [3], [1 / 3, 2 / 3, 10.0]), {"precision": 3}),
    ("OptionThreshold", Arange(I8, [10]), {"threshold": 5, "edgeitems": 2}),
    ("OptionLinewidth", Arange(F8, [12], 1.5), {"linewidth": 20}),
    ("Empty1d", Vals(F8, [0], []), {}),
    ("EmptyInt32", Vals(I4, [0], []), {}),
    ("Empty2d", Vals(F8, [0, 3], []), {}),
    ("Empty3dBool", Vals(B, [3, 0, 2], []), {}),
    ("ZeroDimFloat64", Vals(F8, [], [5.0]), {}),
    ("ZeroDimFloat32", Vals(F4, [], [0.1]), {}),
    ("ZeroDimInt32", Vals(I4, [], [7]), {}),
    ("ZeroDimInt64", Vals(I8, [], [-12]), {}),
    ("ZeroDimBool", Vals(B, [], [1]), {}),
    ("ZeroDimSmall", Vals(F8, [], [1e-5]), {}),
    ("ZeroDimNan", Vals(F8, [], [nan]), {}),
    ("ZeroDimLarge", Vals(F8, [], [1.2345678901234567e17]), {}),
]

# Scalars: (C++ scalar expression, NumPy scalar).
SCALARS = [
    ("Scalar::ofFloat(0.1)", np.float64(0.1)),
    ("Scalar::ofFloat(3.0)", np.float64(3.0)),
    ("Scalar::ofFloat(-0.0)", np.float64(-0.0)),
    ("Scalar::ofFloat(1e16)", np.float64(1e16)),
    ("Scalar::ofFloat(1e15)", np.float64(1e15)),
    ("Scalar::ofFloat(1e-5)", np.float64(1e-5)),
    ("Scalar::ofFloat(1.5e-5)", np.float64(1.5e-5)),
    ("Scalar::ofFloat(0.0001)", np.float64(0.0001)),
    ("Scalar::ofFloat(123456789012345678.0)", np.float64(123456789012345678.0)),
    ("Scalar::ofFloat(kNan)", np.float64(nan)),
    ("Scalar::ofFloat(-kInf)", np.float64(-inf)),
    ("Scalar::ofFloat(0.1, DType::Float32)", np.float32(0.1)),
    ("Scalar::ofFloat(1e20, DType::Float32)", np.float32(1e20)),
    ("Scalar::ofFloat(0.0001, DType::Float32)", np.float32(0.0001)),
    ("Scalar::ofFloat(99999992.0, DType::Float32)", np.float32(99999992.0)),
    ("Scalar::ofFloat(16777216.0, DType::Float32)", np.float32(16777216.0)),
    ("Scalar::ofInt(3, DType::Int32)", np.int32(3)),
    ("Scalar::ofInt(-9223372036854775807 - 1)", np.int64(-9223372036854775808)),
    ("Scalar::ofBool(true)", np.bool_(True)),
    ("Scalar::ofBool(false)", np.bool_(False)),
]

PYTHON_FLOATS = [0.1, 1e-05, 1e16, 1e15, inf, -inf, nan, -0.0, 0.0, 1.0, 0.0001, 5e-324,
                 1.7976931348623157e308, 123456789.123, 1 / 3, 2.5e-7, 1e22, 1e23, 100.0]


# Direct Dragon4 checks: (value, is float32, scientific?, keyword arguments of
# np.format_float_positional / np.format_float_scientific).
FLOAT_FUNCS = [
    (0.1, False, False, {}),
    (1 / 3, False, False, {"precision": 8, "trim": "."}),
    (2 / 3, False, False, {"precision": 3, "trim": "k"}),
    (1e-9, False, False, {"precision": 8, "trim": "."}),
    (-1e-9, False, False, {"precision": 8, "trim": "."}),
    (6e-9, False, False, {"precision": 8, "trim": "."}),
    (0.125, False, False, {"precision": 2, "trim": "."}),
    (0.375, False, False, {"precision": 2, "trim": "."}),
    (1.5, False, False, {"trim": "-", "pad_left": 4, "pad_right": 3}),
    (2.0, False, False, {"trim": "-", "pad_left": 4, "pad_right": 3}),
    (0.5, False, False, {"min_digits": 4}),
    (1e20, False, False, {"trim": "0"}),
    (99999992.0, True, False, {}),
    (99999992.0, True, False, {"min_digits": 0}),
    (0.1, True, False, {}),
    (0.1, True, False, {"min_digits": 12}),
    (1e-5, False, True, {}),
    (1e-5, False, True, {"precision": 8, "trim": "."}),
    (123456789.0, False, True, {"precision": 3, "min_digits": 3}),
    (0.1, False, True, {"precision": 8, "min_digits": 8}),
    (0.1, True, True, {"precision": 8, "min_digits": 8}),
    (1e100, False, True, {"exp_digits": 4, "pad_left": 3}),
    (-2.5, False, True, {"trim": "-", "pad_left": 3, "exp_digits": 1}),
    (5e-324, False, True, {}),
    (5e-324, False, True, {"precision": 3, "min_digits": 3}),
    (1.7976931348623157e308, False, True, {}),
    (2.0 ** -149, True, True, {}),
    (0.0, False, True, {"precision": 2, "min_digits": 2}),
    (-0.0, False, False, {"trim": "."}),
    (nan, False, False, {"pad_left": 5}),
    (-inf, False, True, {}),
]

TRIMS = {"k": "FloatTrim::Keep", ".": "FloatTrim::Zeros", "0": "FloatTrim::LeaveOneZero",
         "-": "FloatTrim::DptZeros"}


def float_func_numpy(x, f32, sci, kw):
    v = np.float32(x) if f32 else np.float64(x)
    if sci:
        return np.format_float_scientific(v, unique=True, **kw)
    return np.format_float_positional(v, unique=True, fractional=True, **kw)


def float_func_cpp(x, f32, sci, kw):
    trim = TRIMS[kw.get("trim", "k")]
    prec, mind = kw.get("precision", -1), kw.get("min_digits", -1)
    pad_left = kw.get("pad_left", -1)
    value = cpp_double(np.float32(x)) if f32 else cpp_double(x)
    f32s = "true" if f32 else "false"
    if sci:
        return (f"formatFloatScientific({value}, {f32s}, {prec}, {trim}, {mind}, {pad_left}, "
                f"{kw.get('exp_digits', -1)})")
    return (f"formatFloatPositional({value}, {f32s}, {prec}, {trim}, {mind}, {pad_left}, "
            f"{kw.get('pad_right', -1)})")


def cpp_str(s):
    return 'R"x(' + s + ')x"'


def outputs(case):
    name, builder, opts = case
    a = builder.numpy()
    with np.printoptions(**opts):
        return str(a), repr(a)


def show():
    for case in CASES:
        s, r = outputs(case)
        print(f"=== {case[0]} {case[2] or ''}\n--- str\n{s}\n--- repr\n{r}")
    print("=== scalars")
    for cpp, v in SCALARS:
        print(f"{cpp}: str={str(v)!r} repr={repr(v)!r}")
    print("=== format_float_*")
    for x, f32, sci, kw in FLOAT_FUNCS:
        print(f"{float_func_cpp(x, f32, sci, kw)}: {float_func_numpy(x, f32, sci, kw)!r}")
    print("=== python floats")
    for v in PYTHON_FLOATS:
        print(repr(v))


HEADER = '''// NumPy 1.24-identical printing. Generated by print_cases.py --emit-cpp;
// every expected string is NumPy's own str()/repr() output.
#include "runtime/Print.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

using namespace ravel;

namespace {

const double kNan = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

Scalar scalarOf(DType t, double v) {
  switch (t) {
    case DType::Bool: return Scalar::ofBool(v != 0);
    case DType::Int32:
    case DType::Int64: return Scalar::ofInt(int64_t(v), t);
    case DType::Float32: return Scalar::ofFloat(double(float(v)), t);
    case DType::Float64: return Scalar::ofFloat(v, t);
  }
  return {};
}

/// Calls f(index, k) for every element in C order.
template <typename F> void forEachIndex(const Shape& shape, F f) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  std::vector<int64_t> index(shape.size(), 0);
  for (int64_t k = 0; k < n; ++k) {
    f(index, k);
    for (size_t d = shape.size(); d-- > 0;) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
}

Array makeArray(DType t, const Shape& shape, const std::vector<double>& values) {
  Array a = Array::empty(shape, t);
  forEachIndex(shape, [&](const std::vector<int64_t>& i, int64_t k) {
    a.setAt(i, scalarOf(t, values[size_t(k)]));
  });
  return a;
}

Array intArray(DType t, const Shape& shape, const std::vector<int64_t>& values) {
  Array a = Array::empty(shape, t);
  forEachIndex(shape, [&](const std::vector<int64_t>& i, int64_t k) {
    a.setAt(i, Scalar::ofInt(values[size_t(k)], t));
  });
  return a;
}

/// np.arange(n, dtype=float64) * scale + offset, cast to t.
Array arangeArray(DType t, const Shape& shape, double scale, double offset) {
  Array a = Array::empty(shape, t);
  forEachIndex(shape, [&](const std::vector<int64_t>& i, int64_t k) {
    a.setAt(i, scalarOf(t, double(k) * scale + offset));
  });
  return a;
}

/// np.linspace(start, stop, num) (same arithmetic as NumPy).
Array linspaceArray(double start, double stop, int64_t num) {
  Array a = Array::empty({num}, DType::Float64);
  double step = (stop - start) / double(num - 1);
  for (int64_t k = 0; k < num; ++k) {
    a.setAt({k}, Scalar::ofFloat(k == num - 1 ? stop : double(k) * step + start));
  }
  return a;
}

} // namespace
'''


def emit_cpp():
    out = [HEADER]
    for case in CASES:
        name, builder, opts = case
        s, r = outputs(case)
        lines = [f"TEST(Print, {name}) {{", f"  Array a = {builder.cpp()};"]
        if opts:
            lines.append("  PrintOptions o;")
            for k, v in opts.items():
                field = {"suppress": "suppress", "precision": "precision", "threshold": "threshold",
                         "edgeitems": "edgeitems", "linewidth": "linewidth"}[k]
                lines.append(f"  o.{field} = {str(v).lower() if isinstance(v, bool) else v};")
            lines.append(f"  EXPECT_EQ(formatArrayStr(a, o), {cpp_str(s)});")
            lines.append(f"  EXPECT_EQ(formatArrayRepr(a, o), {cpp_str(r)});")
        else:
            lines.append(f"  EXPECT_EQ(formatArrayStr(a), {cpp_str(s)});")
            lines.append(f"  EXPECT_EQ(formatArrayRepr(a), {cpp_str(r)});")
        lines.append("}\n")
        out.append("\n".join(lines))
    lines = ["TEST(Print, Scalars) {"]
    for cpp, v in SCALARS:
        lines.append(f"  EXPECT_EQ(formatScalarStr({cpp}), {cpp_str(str(v))});")
        lines.append(f"  EXPECT_EQ(formatScalarRepr({cpp}), {cpp_str(repr(v))});")
    lines.append("}\n")
    out.append("\n".join(lines))
    lines = ["TEST(Print, Dragon4Functions) {"]
    for x, f32, sci, kw in FLOAT_FUNCS:
        lines.append(f"  EXPECT_EQ({float_func_cpp(x, f32, sci, kw)},")
        lines.append(f"            {cpp_str(float_func_numpy(x, f32, sci, kw))});")
    lines.append("}\n")
    out.append("\n".join(lines))
    lines = ["TEST(Print, PythonFloatRepr) {"]
    for v in PYTHON_FLOATS:
        lines.append(f"  EXPECT_EQ(formatPythonFloat({cpp_double(v)}), {cpp_str(repr(v))});")
    lines.append("}\n")
    out.append("\n".join(lines))
    print("\n".join(out), end="")


if __name__ == "__main__":
    if "--emit-cpp" in sys.argv:
        emit_cpp()
    else:
        show()
