// polyval, polyfit, vander and sinc: NumPy 1.24's Python code over the
// interpreter's operations. polyval (Horner's rule, `y = y * x + pv` per
// coefficient) and sinc (sin(pi x) / (pi x), 1e-20 standing in for 0) are
// elementwise graphs that stay lazy and fuse; vander fills a new array's
// columns and takes their running product along axis 1, as NumPy's
// multiply.accumulate does; polyfit scales vander's columns and solves with
// linalg.lstsq (LAPACK's gelsd), step for step as NumPy does.
#include "compiler/exec/Args.h"
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"

#include <cmath>
#include <limits>

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

/// polyfit(x, y, deg, rcond=None, full=False, w=None, cov=False).
Value builtinPolyfit(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"x", {}},
                      {"y", {}},
                      {"deg", {}},
                      {"rcond", kNone},
                      {"full", Value::ofBool(false)},
                      {"w", kNone},
                      {"cov", Value::ofBool(false)}});
  auto isNone = [](const Value& v) { return v.kind == Value::Kind::None; };
  const Value zero = Value::ofFloat(0.0);
  const int64_t deg = toInt(a[2], span), order = deg + 1;
  // x = asarray(x) + 0.0, y likewise: float copies (float32 stays float32).
  Value x = in.materializedValue(
      in.materialize(in.binary(Op::Add, toArrayValue(in, a[0], span), zero, span).array, span));
  Value y = in.materializedValue(
      in.materialize(in.binary(Op::Add, toArrayValue(in, a[1], span), zero, span).array, span));
  if (deg < 0) raise(ErrorKind::Value, span, "expected deg >= 0");
  const Shape xs = x.array->shape(), ys = y.array->shape();
  if (xs.size() != 1) raise(ErrorKind::Type, span, "expected 1D vector for x");
  if (xs[0] == 0) raise(ErrorKind::Type, span, "expected non-empty vector for x");
  if (ys.empty() || ys.size() > 2) raise(ErrorKind::Type, span, "expected 1D or 2D array for y");
  if (xs[0] != ys[0]) raise(ErrorKind::Type, span, "expected x and y to have same length");
  // rcond = len(x) * finfo(x.dtype).eps, a NumPy scalar of x's dtype.
  Value rcond = a[3];
  if (isNone(rcond)) {
    const DType t = x.array->dtype();
    const double eps = t == DType::Float32 ? double(std::numeric_limits<float>::epsilon())
                                           : std::numeric_limits<double>::epsilon();
    rcond = in.binary(Op::Mul, Value::ofInt(xs[0]),
                      in.materializedValue(Array::scalar(Scalar::ofFloat(eps, t)), true), span);
  }
  const Value all = sliceValue(std::nullopt, std::nullopt);
  Value lhs = callNamed(in, "vander", {x, Value::ofInt(order)}, {}, span);
  Value rhs = y;
  // In-place updates keep each array's dtype, as NumPy's `lhs *= ...` do.
  auto update = [&](const Value& target, const Value& v) {
    in.assignInto(in.materialize(target.array, span), v, span);
  };
  if (!isNone(a[5])) {
    Value w = in.binary(Op::Add, toArrayValue(in, a[5], span), zero, span);
    if (w.array->shape().size() != 1)
      raise(ErrorKind::Type, span, "expected a 1-d array for weights");
    if (w.array->shape()[0] != ys[0])
      raise(ErrorKind::Type, span, "expected w and y to have the same length");
    const Value column = in.subscript(w, {all, Value::none()}, span);
    update(lhs, in.binary(Op::Mul, lhs, column, span));
    update(rhs, in.binary(Op::Mul, rhs, ys.size() == 2 ? column : w, span));
  }
  const Value scale =
      in.unary(Op::Sqrt,
               in.reduce(Op::Sum, in.binary(Op::Mul, lhs, lhs, span), Value::ofInt(0), span), span);
  update(lhs, in.binary(Op::Div, lhs, scale, span));
  const Value solved = callNamed(in, "linalg.lstsq", {lhs, rhs, rcond}, {}, span);
  const Value resids = solved.items[1], rank = solved.items[2], singular = solved.items[3];
  auto transpose = [&](const Value& v) { return callNamed(in, "transpose", {v}, {}, span); };
  const Value c = transpose(in.binary(Op::Div, transpose(solved.items[0]), scale, span));
  const bool full = in.truthy(a[4], span);
  if (toInt(rank, span) != order && !full)
    in.warn("RankWarning", "Polyfit may be poorly conditioned", span);
  if (full) return Value::ofTuple({c, resids, rank, singular, rcond});
  if (!in.truthy(a[6], span)) return c;
  Value base = callNamed(in, "linalg.inv", {callNamed(in, "dot", {transpose(lhs), lhs}, {}, span)},
                         {}, span);
  base = in.materializedValue(in.materialize(base.array, span));
  update(base, in.binary(Op::Div, base, callNamed(in, "outer", {scale, scale}, {}, span), span));
  Value fac = Value::ofInt(1);
  if (!(a[6].kind == Value::Kind::Str && a[6].name == "unscaled")) {
    if (xs[0] <= order)
      raise(ErrorKind::Value, span,
            "the number of data points must exceed order to scale the covariance matrix");
    fac = in.binary(Op::Div, resids, Value::ofInt(xs[0] - order), span);
  }
  if (ys.size() == 1) return Value::ofTuple({c, in.binary(Op::Mul, base, fac, span)});
  return Value::ofTuple(
      {c, in.binary(Op::Mul, in.subscript(base, {all, all, Value::none()}, span), fac, span)});
}

} // namespace ravel::exec
