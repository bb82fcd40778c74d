// The window functions hanning, hamming, blackman and bartlett: NumPy 1.24's
// Python code over the interpreter's operations: the same arange and the
// same order of multiplications and divisions as NumPy, with ravel's cos
// (SLEEF's, within an ULP of NumPy's, so a window's ends can be 0.0 where
// NumPy has 5.55e-17):
//
//   M < 1 -> array([]); M == 1 -> ones(1)
//   n = arange(1 - M, M, 2)
//   hanning   0.5 + 0.5 * cos(pi * n / (M - 1))
//   hamming   0.54 + 0.46 * cos(pi * n / (M - 1))
//   blackman  0.42 + 0.5 * cos(pi * n / (M - 1)) + 0.08 * cos(2.0 * pi * n / (M - 1))
//   bartlett  where(n <= 0, 1 + n / (M - 1), 1 - n / (M - 1))
//
// n is computed in float64 here (NumPy's is int64 for an int M: the same
// small integers, so the same float64 results).
//
// kaiser(M, beta) has NumPy's own shape:
//   M == 1 -> ones(1) (float64); n = arange(0, M); alpha = (M-1)/2.0
//   i0(beta * sqrt(1-((n-alpha)/alpha)**2.0)) / i0(float(beta))
// (M < 1 falls out as an empty arange), with i0 from Bessel.cpp.
#include "compiler/exec/Args.h"
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"

#include <cmath>

namespace ravel::exec {
using graph::Op;

Value builtinWindow(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"M", {}}});
  // NumPy reads M through array([0.0, M]): any real number, as a float64.
  const Value mValue = toArrayValue(in, a[0], span);
  if (!mValue.array->shape().empty())
    raise(ErrorKind::Type, span, "only length-1 arrays can be converted to Python scalars");
  const double m = toFloat(in, a[0], span);
  // (NaN passes both tests, as in NumPy, and arange refuses it.)
  if (m < 1) return in.materializedValue(Array::empty({0}, DType::Float64));
  if (m == 1) return in.materializedValue(Array::full({1}, Scalar::ofFloat(1.0), DType::Float64));
  const Value n = callNamed(in, "arange",
                            {Value::ofFloat(1 - m), Value::ofFloat(m), Value::ofInt(2)}, {}, span);
  const Value m1 = in.materializedValue(Array::scalar(Scalar::ofFloat(m - 1)), /*isScalar=*/true);
  auto mul = [&](const Value& x, const Value& y) { return in.binary(Op::Mul, x, y, span); };
  auto div = [&](const Value& x, const Value& y) { return in.binary(Op::Div, x, y, span); };
  auto add = [&](const Value& x, const Value& y) { return in.binary(Op::Add, x, y, span); };
  auto sub = [&](const Value& x, const Value& y) { return in.binary(Op::Sub, x, y, span); };
  auto cosOf = [&](double k) { // cos(k * pi * n / (M - 1)), k * pi a Python float
    return in.unary(Op::Cos, div(mul(Value::ofFloat(k * M_PI), n), m1), span);
  };
  const std::string& name = call.name;
  if (name == "hanning") return add(Value::ofFloat(0.5), mul(Value::ofFloat(0.5), cosOf(1)));
  if (name == "hamming") return add(Value::ofFloat(0.54), mul(Value::ofFloat(0.46), cosOf(1)));
  if (name == "blackman")
    return add(add(Value::ofFloat(0.42), mul(Value::ofFloat(0.5), cosOf(1))),
               mul(Value::ofFloat(0.08), cosOf(2)));
  RAVEL_CHECK(name == "bartlett", "builtinWindow bound to an unknown name");
  const Value ratio = div(n, m1);
  return in.where(in.binary(Op::Le, n, Value::ofInt(0), span), add(Value::ofInt(1), ratio),
                  sub(Value::ofInt(1), ratio), span);
}

/// kaiser(M, beta).
Value builtinKaiser(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"M", {}}, {"beta", {}}});
  // NumPy's first use of M is `M == 1`: an array of several is ambiguous.
  if (argValues(in, a[0], span).size() != 1)
    raise(ErrorKind::Value, span,
          "The truth value of an array with more than one element is ambiguous. Use a.any() "
          "or a.all()");
  const double m = toFloat(in, a[0], span);
  if (m == 1) return in.materializedValue(Array::full({1}, Scalar::ofFloat(1.0), DType::Float64));
  // arange(0, M): int64 for an int M, float64 for a float one, as in NumPy.
  const Value n = callNamed(in, "arange", {Value::ofInt(0), a[0]}, {}, span);
  const Value alpha = Value::ofFloat((m - 1) / 2.0);
  const Value ratio = in.binary(Op::Div, in.binary(Op::Sub, n, alpha, span), alpha, span);
  const Value root = in.unary(Op::Sqrt,
                              in.binary(Op::Sub, Value::ofInt(1),
                                        in.binary(Op::Pow, ratio, Value::ofFloat(2.0), span), span),
                              span);
  const Value beta = Value::ofFloat(toFloat(in, a[1], span));
  return in.binary(Op::Div, besselI0(in, in.binary(Op::Mul, a[1], root, span), span),
                   besselI0(in, beta, span), span);
}

} // namespace ravel::exec
