// NumPy's math functions that are compositions of ravel's elementwise ops
// (issue 9, item 1): deg2rad/radians, rad2deg/degrees, fix, isposinf,
// isneginf, float_power, logaddexp, logaddexp2, nan_to_num, and
// conj/conjugate/real/imag of real arrays. Each builds graph nodes, so it
// stays lazy and fuses with its producers and consumers; each follows the
// C expression NumPy 1.24 evaluates per element (npy_math), operation by
// operation, so results are NumPy's bits wherever the ops involved are exact.
// They are functions, not ufunc objects: no .reduce/.outer, no where=.
#include "compiler/exec/Args.h"
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"

#include <cmath>
#include <limits>

namespace ravel::exec {
using graph::Op;

namespace {

[[noreturn]] void noFloat16(const std::string& fn, Span span) {
  raise(ErrorKind::Type, span,
        fn + " of a bool array gives float16 in NumPy, which ravel does not have; use "
             ".astype(float) first");
}

/// A float ufunc's input: ints compute in float64 (NumPy's 'd' loop); a bool
/// would compute in float16, which ravel does not have.
Value floatOperand(Interpreter& in, const Value& v, const std::string& fn, Span span) {
  Value x = toArrayValue(in, v, span);
  const DType t = x.array->dtype();
  if (t == DType::Bool) noFloat16(fn, span);
  return isFloat(t) ? x : in.astype(x, DType::Float64, span);
}

/// Two float operands as arrays of their common float dtype: the dtype
/// `x + y` would have (NEP 50: a Python number takes the array's dtype),
/// float64 for ints and for two Python numbers; a bool result would be
/// float16 in NumPy.
std::pair<Value, Value> floatOperands(Interpreter& in, const Value& a, const Value& b,
                                      const std::string& fn, Span span) {
  auto operand = [&](const Value& v) { return v.isPyScalar() ? v : toArrayValue(in, v, span); };
  const Value x = operand(a), y = operand(b);
  DType t = DType::Float64;
  if (x.isArray() || y.isArray()) {
    t = in.nodeOf(in.binary(Op::Add, x, y, span), span)->dtype;
    if (t == DType::Bool) noFloat16(fn, span);
    if (!isFloat(t)) t = DType::Float64;
  }
  auto cast = [&](const Value& v) {
    Value arr = toArrayValue(in, v, span);
    return arr.array->dtype() == t ? arr : in.astype(arr, t, span);
  };
  return {cast(x), cast(y)};
}

DType dtypeOf(Interpreter& in, const Value& v, Span span) {
  return in.nodeOf(v, span)->dtype;
}

/// A float constant of dtype t (a strong 0-d array): float32 constants are
/// NumPy's float expressions (NPY_PIf / 180.0f), not double ones rounded.
Value constantOf(Interpreter& in, DType t, double f64, float f32) {
  return in.materializedValue(t == DType::Float32 ? Array::scalar(Scalar::ofFloat(f32, t))
                                                  : Array::scalar(Scalar::ofFloat(f64, t)),
                              true);
}

/// The one argument x (no ufunc keywords: an unexpected one is Python's error).
std::vector<Value> bindX(BuiltinCall& call) {
  return call.bind({{"x", {}}});
}

} // namespace

/// deg2rad/radians: x * (pi / 180); rad2deg/degrees: x * (180 / pi).
Value builtinAngleConversion(BuiltinCall& call) {
  Interpreter& in = call.in;
  const bool toRadians = call.name == "deg2rad" || call.name == "radians";
  Value x = floatOperand(in, bindX(call)[0], call.name, call.span);
  const float pi32 = float(M_PI);
  Value c = toRadians ? constantOf(in, dtypeOf(in, x, call.span), M_PI / 180.0, pi32 / 180.0f)
                      : constantOf(in, dtypeOf(in, x, call.span), 180.0 / M_PI, 180.0f / pi32);
  return in.binary(Op::Mul, x, c, call.span);
}

/// fix: ceil of negatives, floor of the rest, which is trunc (-0.0 included).
Value builtinFix(BuiltinCall& call) {
  auto a = call.bind({{"x", {}}, {"out", kNone}});
  if (a[1].kind != Value::Kind::None)
    raise(ErrorKind::Type, call.span, "fix() does not support out= in ravel");
  return call.in.unary(Op::Trunc, floatOperand(call.in, a[0], "fix", call.span), call.span);
}

/// isposinf / isneginf: isinf(x) and the sign bit clear / set (all False
/// for ints and bools).
Value builtinIsPosNegInf(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"x", {}}, {"out", kNone}});
  if (a[1].kind != Value::Kind::None)
    raise(ErrorKind::Type, span, call.name + "() does not support out= in ravel");
  Value x = toArrayValue(in, a[0], span);
  if (!isFloat(x.array->dtype())) return in.binary(Op::Ne, x, x, span);
  Value sign = in.unary(Op::Signbit, x, span);
  if (call.name == "isposinf") sign = in.unary(Op::LogicalNot, sign, span);
  return in.binary(Op::LogicalAnd, in.unary(Op::IsInf, x, span), sign, span);
}

/// float_power(x1, x2): power in float64 at least.
Value builtinFloatPower(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"x1", {}}, {"x2", {}}});
  auto widen = [&](const Value& v) {
    Value x = toArrayValue(in, v, span);
    return x.array->dtype() == DType::Float64 ? x : in.astype(x, DType::Float64, span);
  };
  return in.binary(Op::Pow, widen(a[0]), widen(a[1]), span);
}

/// logaddexp(x1, x2) = log(exp(x1) + exp(x2)) and logaddexp2 in base 2, as
/// npy_logaddexp: x + log(2) (x2: x + 1) when x1 == x2, else the larger
/// plus log1p(exp(-|x1 - x2|)) (base 2: log2e * log1p(exp2(-|d|))), NaN when
/// the difference is NaN. The equal case is kept out of the difference, so
/// inf - inf raises no warning NumPy would not raise.
Value builtinLogAddExp(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  const bool base2 = call.name == "logaddexp2";
  auto a = call.bind({{"x1", {}}, {"x2", {}}});
  auto [x, y] = floatOperands(in, a[0], a[1], call.name, span);
  const DType t = dtypeOf(in, x, span);
  Value same = in.binary(Op::Eq, x, y, span);
  const Value zero = Value::ofFloat(0.0);
  Value d = in.binary(Op::Sub, in.where(same, zero, x, span), in.where(same, zero, y, span), span);
  Value larger = in.where(in.binary(Op::Gt, d, zero, span), x,
                          in.where(in.binary(Op::Le, d, zero, span), y, d, span), span);
  Value negAbs = in.unary(Op::Neg, in.unary(Op::Abs, d, span), span);
  Value tail = in.unary(Op::Log1p, in.unary(base2 ? Op::Exp2 : Op::Exp, negAbs, span), span);
  if (base2) tail = in.binary(Op::Mul, constantOf(in, t, M_LOG2E, float(M_LOG2E)), tail, span);
  Value equal = base2 ? in.binary(Op::Add, x, Value::ofFloat(1.0), span)
                      : in.binary(Op::Add, x, constantOf(in, t, M_LN2, float(M_LN2)), span);
  return in.where(same, equal, in.binary(Op::Add, larger, tail, span), span);
}

/// nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None): NaN, +inf
/// and -inf replaced (by the dtype's largest and smallest finite values by
/// default); ints and bools unchanged. copy=False writes into x.
Value builtinNanToNum(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"x", {}},
                      {"copy", Value::ofBool(true)},
                      {"nan", Value::ofFloat(0.0)},
                      {"posinf", kNone},
                      {"neginf", kNone}});
  const bool copy = in.truthy(a[1], span);
  Value x = toArrayValue(in, a[0], span);
  const DType t = x.array->dtype();
  if (!isFloat(t)) return copy ? in.astype(x, t, span) : x;
  const double big = t == DType::Float32 ? double(std::numeric_limits<float>::max())
                                         : std::numeric_limits<double>::max();
  Value posinf = a[3].kind == Value::Kind::None ? Value::ofFloat(big) : a[3];
  Value neginf = a[4].kind == Value::Kind::None ? Value::ofFloat(-big) : a[4];
  Value inf = in.unary(Op::IsInf, x, span);
  Value r = in.where(in.unary(Op::IsNan, x, span), a[2], x, span);
  r = in.where(
      in.binary(Op::LogicalAnd, inf, in.binary(Op::Gt, x, Value::ofFloat(0.0), span), span), posinf,
      r, span);
  r = in.where(
      in.binary(Op::LogicalAnd, inf, in.binary(Op::Lt, x, Value::ofFloat(0.0), span), span), neginf,
      r, span);
  if (dtypeOf(in, r, span) != t) r = in.astype(r, t, span);
  if (copy) return r;
  in.assignInto(in.materialize(x.array, span), r, span);
  return x;
}

/// conj/conjugate of a real array: the function is a ufunc (a new array of
/// the same dtype; a bool would give int8, which ravel does not have); the
/// method returns the array itself, as NumPy's does for real dtypes.
Value builtinConjugate(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  if (call.method) return call.bind({{"self", {}}})[0];
  auto a = call.bind({{"x", {}}, {"out", kNone}});
  if (a[1].kind != Value::Kind::None)
    raise(ErrorKind::Type, span, call.name + "() does not support out= in ravel");
  if (a[0].isPyScalar()) return a[0];
  Value x = toArrayValue(in, a[0], span);
  if (x.array->dtype() == DType::Bool)
    raise(ErrorKind::Type, span,
          call.name + " of a bool array gives int8 in NumPy, which ravel does not have");
  Value r = in.astype(x, x.array->dtype(), span);
  r.array->isScalar = x.array->isScalar;
  return r;
}

/// real(val) and imag(val): val.real and val.imag; a Python number's own
/// real part, or 0 of its type.
Value builtinRealImag(BuiltinCall& call) {
  Interpreter& in = call.in;
  auto a = call.bind({{"val", {}}});
  const bool real = call.name == "real";
  if (a[0].isPyScalar()) {
    if (real) return a[0];
    return a[0].kind == Value::Kind::Float ? Value::ofFloat(0.0) : Value::ofInt(0);
  }
  return in.attribute(toArrayValue(in, a[0], call.span), real ? "real" : "imag", call.span);
}

} // namespace ravel::exec
