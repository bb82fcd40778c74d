// cov and corrcoef: NumPy 1.24's function_base code, step by step, over
// the interpreter's operations (array, concatenate, average, dot, diag,
// clip), so the values round as NumPy's do: the centred rows' product is
// scaled by 1/fact (a multiply, as NumPy's `c *= true_divide(1, fact)`),
// and corrcoef divides by the standard deviations twice, then clips.
//
// Every ravel dtype computes in float64 (NumPy's result_type(m, float64))
// unless dtype= says float32; the centred rows stay in that dtype (NumPy
// subtracts in place) and the scale 1/fact is a float64 NumPy scalar.
// Not done: NumPy's "Degrees of freedom <= 0 for slice" RuntimeWarning
// (fact is set to 0.0 as NumPy does, so the values agree).
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"

#include <cmath>

namespace ravel::exec {
using graph::Op;

namespace {

Value fullSlice() {
  Value s;
  s.kind = Value::Kind::Slice;
  s.items = {Value::none(), Value::none(), Value::none()};
  return s;
}

/// array(v, ndmin=2, dtype=dt), transposed when !rowvar and it has more
/// than one row.
Value observations(Interpreter& in, const Value& v, bool rowvar, DType dt, Span span) {
  Value x = callNamed(in, "array", {v}, {{"ndmin", Value::ofInt(2)}, {"dtype", Value::ofDType(dt)}},
                      span);
  if (!rowvar && x.array->shape()[0] != 1) x = callNamed(in, "transpose", {x}, {}, span);
  return x;
}

bool anyTrue(Interpreter& in, const Value& v, Span span) {
  Value any = in.reduce(Op::Any, v, kNone, span);
  if (in.dryRun()) return false;
  return in.materialize(any.array, span).item().b;
}

/// fweights / aweights checked as NumPy checks them: a 1-d float64 array
/// with one weight per observation, none negative.
Value weights(Interpreter& in, const Value& w, const char* name, int64_t observations, Span span) {
  Value f = callNamed(in, "asarray", {w}, {{"dtype", Value::ofDType(DType::Float64)}}, span);
  const std::string n = name;
  if (n == "fweights") {
    Value rounded = in.around(f, 0, span);
    if (anyTrue(in, in.binary(Op::Ne, f, rounded, span), span))
      raise(ErrorKind::Type, span, "fweights must be integer");
  }
  const Shape& s = f.array->shape();
  if (s.size() > 1) raise(ErrorKind::Runtime, span, "cannot handle multidimensional " + n);
  if (s.empty()) raise(ErrorKind::Index, span, "tuple index out of range");
  if (s[0] != observations)
    raise(ErrorKind::Runtime, span, "incompatible numbers of samples and " + n);
  if (anyTrue(in, in.binary(Op::Lt, f, Value::ofInt(0), span), span))
    raise(ErrorKind::Value, span, n + " cannot be negative");
  return f;
}

Value covValue(Interpreter& in, const std::vector<Value>& a, Span span) {
  // a: m, y, rowvar, bias, ddof, fweights, aweights, dtype
  std::optional<double> ddof;
  if (a[4].kind != Value::Kind::None) {
    const double d = toFloat(in, a[4], span);
    if (d != std::trunc(d)) raise(ErrorKind::Value, span, "ddof must be integer");
    ddof = d;
  }
  Value m = toArrayValue(in, a[0], span);
  if (m.array->shape().size() > 2) raise(ErrorKind::Value, span, "m has more than 2 dimensions");
  std::optional<Value> y;
  if (a[1].kind != Value::Kind::None) {
    y = toArrayValue(in, a[1], span);
    if (y->array->shape().size() > 2) raise(ErrorKind::Value, span, "y has more than 2 dimensions");
  }
  const bool rowvar = in.truthy(a[2], span);
  const DType dt = toDType(a[7], span).value_or(DType::Float64);
  Value x = observations(in, m, rowvar, dt, span);
  if (x.array->shape()[0] == 0) return in.materializedValue(Array::empty({0, 0}, DType::Float64));
  if (y) {
    Value yx = observations(in, *y, rowvar, dt, span);
    x = callNamed(in, "concatenate", {Value::ofTuple({x, yx})}, {{"axis", Value::ofInt(0)}}, span);
  }
  if (!ddof) ddof = in.truthy(a[3], span) ? 0.0 : 1.0;
  const int64_t nobs = x.array->shape()[1];
  std::optional<Value> w, aw;
  if (a[5].kind != Value::Kind::None) w = weights(in, a[5], "fweights", nobs, span);
  if (a[6].kind != Value::Kind::None) {
    aw = weights(in, a[6], "aweights", nobs, span);
    w = w ? in.binary(Op::Mul, *w, *aw, span) : *aw;
  }
  Value avg = callNamed(
      in, "average", {x},
      {{"axis", Value::ofInt(1)}, {"weights", w ? *w : kNone}, {"returned", Value::ofBool(true)}},
      span);
  Value mean = avg.items[0];
  // fact, as NumPy computes it (a Python number or a float64 scalar).
  Value fact;
  if (!w) {
    fact = Value::ofFloat(double(nobs) - *ddof);
  } else {
    Value wsum = in.subscript(avg.items[1], {Value::ofInt(0)}, span);
    if (*ddof == 0) {
      fact = wsum;
    } else if (!aw) {
      fact = in.binary(Op::Sub, wsum, Value::ofFloat(*ddof), span);
    } else {
      Value waw = in.reduce(Op::Sum, in.binary(Op::Mul, *w, *aw, span), kNone, span);
      fact = in.binary(
          Op::Sub, wsum,
          in.binary(Op::Div, in.binary(Op::Mul, Value::ofFloat(*ddof), waw, span), wsum, span),
          span);
    }
  }
  if (!in.dryRun() && toFloat(in, fact, span) <= 0) fact = Value::ofFloat(0.0);
  // X -= avg[:, None]: in place, so the result keeps X's dtype.
  const DType diffType = promote(dt, mean.array->dtype());
  if (!canCastSameKind(diffType, dt))
    raise(ErrorKind::Type, span,
          "Cannot cast ufunc 'subtract' output from dtype('" + std::string(dtypeName(diffType)) +
              "') to dtype('" + std::string(dtypeName(dt)) + "') with casting rule 'same_kind'");
  x = in.astype(in.binary(Op::Sub, x, in.subscript(mean, {fullSlice(), Value::none()}, span), span),
                dt, span);
  Value xt = callNamed(in, "transpose", {w ? in.binary(Op::Mul, x, *w, span) : x}, {}, span);
  Value c = callNamed(in, "dot", {x, xt}, {}, span);
  // c *= np.true_divide(1, fact): a float64 scalar, in place.
  const DType ct = c.array->dtype();
  Value scale =
      in.astype(in.binary(Op::Div, Value::ofFloat(1.0), fact, span), DType::Float64, span);
  c = in.astype(in.binary(Op::Mul, c, scale, span), ct, span);
  return callNamed(in, "squeeze", {c}, {}, span);
}

} // namespace

Value builtinCov(BuiltinCall& call) {
  return covValue(call.in,
                  call.bind({{"m", {}},
                             {"y", kNone},
                             {"rowvar", Value::ofBool(true)},
                             {"bias", Value::ofBool(false)},
                             {"ddof", kNone},
                             {"fweights", kNone},
                             {"aweights", kNone},
                             {"dtype", kNone}}),
                  call.span);
}

/// corrcoef(x, y=None, rowvar=True, bias=<no value>, ddof=<no value>, *, dtype=None):
/// bias and ddof have no effect (NumPy deprecates them).
Value builtinCorrcoef(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"x", {}},
                      {"y", kNone},
                      {"rowvar", Value::ofBool(true)},
                      {"bias", kNone},
                      {"ddof", kNone},
                      {"dtype", kNone}});
  Value c = covValue(in, {a[0], a[1], a[2], Value::ofBool(false), kNone, kNone, kNone, a[5]}, span);
  const size_t nd = c.array->shape().size();
  // A scalar covariance: NaN for NaN, inf or 0, else 1 (NumPy's c / c).
  if (nd != 1 && nd != 2) return in.binary(Op::Div, c, c, span);
  Value sd = in.unary(Op::Sqrt, callNamed(in, "diag", {c}, {}, span), span);
  c = in.binary(Op::Div, c, in.subscript(sd, {fullSlice(), Value::none()}, span), span);
  c = in.binary(Op::Div, c, in.subscript(sd, {Value::none(), fullSlice()}, span), span);
  return callNamed(in, "clip", {c, Value::ofInt(-1), Value::ofInt(1)}, {}, span);
}

} // namespace ravel::exec
