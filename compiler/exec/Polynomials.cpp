// polyval, vander and sinc: NumPy 1.24's Python code over the
// interpreter's operations. polyval (Horner's rule, `y = y * x + pv` per
// coefficient) and sinc (sin(pi x) / (pi x), 1e-20 standing in for 0) are
// elementwise graphs that stay lazy and fuse; vander fills a new array's
// columns and takes their running product along axis 1, as NumPy's
// multiply.accumulate does.
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"

#include <cmath>

namespace ravel::exec {
using graph::Op;

namespace {

/// `target[index] = value` for a basic index of a materialized array.
void setBasic(Interpreter& in, const Value& target, const std::vector<Value>& index,
              const Value& value, Span span) {
  Array base = in.materialize(target.array, span);
  in.assignInto(in.indexView(base, index, span, nullptr), value, span);
}

} // namespace

/// polyval(p, x): y = zeros_like(x); for pv in p: y = y * x + pv.
Value builtinPolyval(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"p", {}}, {"x", {}}});
  Value p = toArrayValue(in, a[0], span);
  Value x = toArrayValue(in, a[1], span);
  Value y = callNamed(in, "zeros_like", {x}, {}, span);
  for (const Value& pv : in.itemsOf(p, span))
    y = in.binary(Op::Add, in.binary(Op::Mul, y, x, span), pv, span);
  return y;
}

/// vander(x, N=None, increasing=False): columns x**(N-1) ... x**0 (or
/// increasing), in promote_types(x.dtype, int64).
Value builtinVander(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"x", {}}, {"N", kNone}, {"increasing", Value::ofBool(false)}});
  Value x = toArrayValue(in, a[0], span);
  if (x.array->shape().size() != 1)
    raise(ErrorKind::Value, span, "x must be a one-dimensional array or sequence.");
  const int64_t len = x.array->shape()[0];
  const int64_t n = a[1].kind == Value::Kind::None ? len : toInt(a[1], span);
  if (n < 0) raise(ErrorKind::Value, span, "negative dimensions are not allowed");
  const DType t = promote(x.array->dtype(), DType::Int64);
  Value v = in.materializedValue(Array::empty({len, n}, t));
  const bool increasing = in.truthy(a[2], span);
  // tmp = v[:, ::-1] unless increasing; tmp[:, 0] = 1; tmp[:, 1:] = x[:, None];
  // multiply.accumulate(tmp[:, 1:], out=tmp[:, 1:], axis=1)
  Value tmp = increasing ? v
                         : in.subscript(v,
                                        {sliceValue(std::nullopt, std::nullopt),
                                         sliceValue(std::nullopt, std::nullopt, -1)},
                                        span);
  const Value all = sliceValue(std::nullopt, std::nullopt);
  if (n > 0) setBasic(in, tmp, {all, Value::ofInt(0)}, Value::ofInt(1), span);
  if (n > 1) {
    const std::vector<Value> rest{all, sliceValue(1, std::nullopt)};
    setBasic(in, tmp, rest, in.subscript(x, {all, Value::none()}, span), span);
    Value acc = callNamed(in, "cumprod", {in.subscript(tmp, rest, span)},
                          {{"axis", Value::ofInt(1)}}, span);
    setBasic(in, tmp, rest, acc, span);
  }
  return v;
}

/// sinc(x): y = pi * where(x == 0, 1.0e-20, x); sin(y) / y.
Value builtinSinc(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"x", {}}});
  Value x = toArrayValue(in, a[0], span);
  // np.where makes 1e-20 a float64 array (not a weak scalar): a float32 x
  // gives a float64 result, as in NumPy.
  Value tiny = in.astype(Value::ofFloat(1.0e-20), DType::Float64, span);
  Value y = in.binary(Op::Mul, Value::ofFloat(M_PI),
                      in.where(in.binary(Op::Eq, x, Value::ofInt(0), span), tiny, x, span), span);
  return in.binary(Op::Div, in.unary(Op::Sin, y, span), y, span);
}

} // namespace ravel::exec
