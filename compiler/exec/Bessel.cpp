// i0, the modified Bessel function of the first kind of order 0, as NumPy
// 1.24 computes it in numpy/lib/function_base.py (Cephes' Chebyshev series,
// Clenshaw's split of the domain at 8):
//
//   x = abs(x)            (complex is a TypeError; non-float x -> float64,
//                          float32 stays float32 and computes in float32)
//   x <= 8  exp(x) * chbevl(x/2.0 - 2, A)              (30 coefficients)
//   else    exp(x) * chbevl(32.0/x - 2.0, B) / sqrt(x) (25 coefficients)
//   chbevl  b0 = vals[0], b1 = 0.0; for each next v: b2 = b1, b1 = b0,
//           b0 = y*b1 - b2 + v; result 0.5*(b0 - b2)
//
// The same operations in the same order over the interpreter's ops, so the
// series part is bit-identical to NumPy's; exp is ravel's (SLEEF), within an
// ULP or two of NumPy's AVX-512 exp, so i0 can differ from NumPy's by that.
//
// NumPy's piecewise evaluates each branch only on its own elements. Here both
// branches run over every element (one fused kernel), each fed a harmless
// stand-in (0 for the series on [0, 8], 16 for the other) where it is not
// selected, so neither raises a floating-point warning NumPy would not:
// NaN still takes the second branch (NaN <= 8 is false), as in NumPy.
#include "compiler/exec/Args.h"
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"

#include <array>

namespace ravel::exec {
using graph::Op;

namespace {

constexpr std::array<double, 30> kI0A = {
    -4.41534164647933937950E-18, 3.33079451882223809783E-17,  -2.43127984654795469359E-16,
    1.71539128555513303061E-15,  -1.16853328779934516808E-14, 7.67618549860493561688E-14,
    -4.85644678311192946090E-13, 2.95505266312963983461E-12,  -1.72682629144155570723E-11,
    9.67580903537323691224E-11,  -5.18979560163526290666E-10, 2.65982372468238665035E-9,
    -1.30002500998624804212E-8,  6.04699502254191894932E-8,   -2.67079385394061173391E-7,
    1.11738753912010371815E-6,   -4.41673835845875056359E-6,  1.64484480707288970893E-5,
    -5.75419501008210370398E-5,  1.88502885095841655729E-4,   -5.76375574538582365885E-4,
    1.63947561694133579842E-3,   -4.32430999505057594430E-3,  1.05464603945949983183E-2,
    -2.37374148058994688156E-2,  4.93052842396707084878E-2,   -9.49010970480476444210E-2,
    1.71620901522208775349E-1,   -3.04682672343198398683E-1,  6.76795274409476084995E-1};

constexpr std::array<double, 25> kI0B = {
    -7.23318048787475395456E-18, -4.83050448594418207126E-18, 4.46562142029675999901E-17,
    3.46122286769746109310E-17,  -2.82762398051658348494E-16, -3.42548561967721913462E-16,
    1.77256013305652638360E-15,  3.81168066935262242075E-15,  -9.55484669882830764870E-15,
    -4.15056934728722208663E-14, 1.54008621752140982691E-14,  3.85277838274214270114E-13,
    7.18012445138366623367E-13,  -1.79417853150680611778E-12, -1.32158118404477131188E-11,
    -3.14991652796324136454E-11, 1.18891471078464383424E-11,  4.94060238822496958910E-10,
    3.39623202570838634515E-9,   2.26666899049817806459E-8,   2.04891858946906374183E-7,
    2.89137052083475648297E-6,   6.88975834691682398426E-5,   3.36911647825569408990E-3,
    8.04490411014108831608E-1};

/// NumPy's _chbevl(y, vals): the coefficients enter as Python floats (weak
/// scalars), so a float32 y keeps the whole recurrence in float32.
template <size_t N>
Value chebyshevSeries(Interpreter& in, const Value& y, const std::array<double, N>& vals,
                      Span span) {
  Value b0 = Value::ofFloat(vals[0]), b1 = Value::ofFloat(0.0), b2;
  for (size_t i = 1; i < N; ++i) {
    b2 = b1;
    b1 = b0;
    b0 = in.binary(Op::Add, in.binary(Op::Sub, in.binary(Op::Mul, y, b1, span), b2, span),
                   Value::ofFloat(vals[i]), span);
  }
  return in.binary(Op::Mul, Value::ofFloat(0.5), in.binary(Op::Sub, b0, b2, span), span);
}

} // namespace

Value besselI0(Interpreter& in, const Value& xIn, Span span) {
  Value x = toArrayValue(in, xIn, span);
  DType t = x.array->dtype();
  if (!isFloat(t)) {
    t = DType::Float64;
    x = in.astype(x, t, span);
  }
  x = in.unary(Op::Abs, x, span);
  const Value small = in.binary(Op::Le, x, Value::ofFloat(8.0), span);
  // The stand-ins are cast to x's dtype so where() keeps a float32 x float32.
  auto standIn = [&](double v) { return in.astype(Value::ofFloat(v), t, span); };
  const Value x1 = in.where(small, x, standIn(0.0), span);
  const Value x2 = in.where(small, standIn(16.0), x, span);
  auto mul = [&](const Value& a, const Value& b) { return in.binary(Op::Mul, a, b, span); };
  // _i0_1(x) = exp(x) * _chbevl(x/2.0-2, _i0A)
  const Value y1 =
      in.binary(Op::Sub, in.binary(Op::Div, x1, Value::ofFloat(2.0), span), Value::ofInt(2), span);
  const Value f1 = mul(in.unary(Op::Exp, x1, span), chebyshevSeries(in, y1, kI0A, span));
  // _i0_2(x) = exp(x) * _chbevl(32.0/x - 2.0, _i0B) / sqrt(x)
  const Value y2 = in.binary(Op::Sub, in.binary(Op::Div, Value::ofFloat(32.0), x2, span),
                             Value::ofFloat(2.0), span);
  const Value f2 =
      in.binary(Op::Div, mul(in.unary(Op::Exp, x2, span), chebyshevSeries(in, y2, kI0B, span)),
                in.unary(Op::Sqrt, x2, span), span);
  return in.where(small, f1, f2, span);
}

/// i0(x).
Value builtinI0(BuiltinCall& call) {
  auto a = call.bind({{"x", {}}});
  return besselI0(call.in, a[0], call.span);
}

} // namespace ravel::exec
