// NumPy's math functions that are compositions of ravel's elementwise ops
// (issue 9, item 1): fix, isposinf, isneginf, nan_to_num,
// conj/conjugate/real/imag of real arrays, and the two-output ufuncs modf,
// frexp and divmod (a graph op per output). Each builds graph nodes, so it
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

DType dtypeOf(Interpreter& in, const Value& v, Span span) {
  return in.nodeOf(v, span)->dtype;
}

/// ufunc keywords the two-output ufuncs do not take in ravel yet.
void refuseUfuncKeywords(const BuiltinCall& call) {
  for (const auto& [k, v] : call.kwargs)
    if (k == "where" || k == "dtype" || k == "casting" || k == "order" || k == "subok" ||
        k == "signature")
      raise(ErrorKind::Type, call.span, call.name + "() keyword '" + k + "' is not in ravel yet");
}

/// A two-output ufunc's result: the pair, or written into out=(o1, o2)
/// (either may be None) with NumPy's checks. Both results are computed
/// before either output is written, so an output that is also an input
/// (divmod(x, y, out=(x, y))) reads the inputs' old values, as NumPy does.
Value twoOutputs(BuiltinCall& call, int nin, Value first, Value second, const Value& out) {
  Interpreter& in = call.in;
  const Span span = call.span;
  if (out.kind == Value::Kind::None) return Value::ofTuple({first, second});
  if (out.kind != Value::Kind::Tuple)
    raise(ErrorKind::Type, span, "'out' must be a tuple of arrays");
  if (out.items.size() != 2)
    raise(ErrorKind::Value, span, "The 'out' tuple must have exactly one entry per ufunc output");
  std::vector<Value> results{first, second};
  for (size_t j = 0; j < 2; ++j) {
    const Value& o = out.items[j];
    if (o.kind == Value::Kind::None) continue;
    if (!o.isArray() || o.array->isScalar)
      raise(ErrorKind::Type, span, "return arrays must be of ArrayType");
    const DType from = results[j].array->dtype(), to = o.array->dtype();
    if (from != to && !canCastSameKind(from, to))
      raise(ErrorKind::Type, span,
            "Cannot cast ufunc '" + call.name + "' output " + std::to_string(nin + int(j)) +
                " from dtype('" + std::string(dtypeName(from)) + "') to dtype('" +
                std::string(dtypeName(to)) + "') with casting rule 'same_kind'");
    if (o.array->data.valid() && !o.array->data.writeable())
      raise(ErrorKind::Value, span, "output array is read-only");
  }
  for (size_t j = 0; j < 2; ++j)
    if (out.items[j].kind != Value::Kind::None)
      results[j] = in.materializedValue(in.materialize(results[j].array, span));
  std::vector<Value> returned(2);
  for (size_t j = 0; j < 2; ++j) {
    const Value& o = out.items[j];
    if (o.kind == Value::Kind::None) {
      returned[j] = results[j];
      continue;
    }
    in.assignInto(in.materialize(o.array, span), results[j], span);
    returned[j] = o;
  }
  return Value::ofTuple(returned);
}

} // namespace

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

/// modf(x): (fractional part, integral part), both x's float dtype (ints in
/// float64); C modf: the sign of x on both, modf(+-inf) = (+-0, +-inf).
Value builtinModf(BuiltinCall& call) {
  Interpreter& in = call.in;
  refuseUfuncKeywords(call);
  auto a = call.bind({{"x", {}}, {"out", kNone}});
  Value x = a[0].isPyScalar() || a[0].isArray() ? a[0] : toArrayValue(in, a[0], call.span);
  return twoOutputs(call, 1, in.unary(Op::ModfFrac, x, call.span),
                    in.unary(Op::Trunc, x, call.span), a[1]);
}

/// frexp(x): (mantissa, exponent) with x = mantissa * 2**exponent, the
/// mantissa in [0.5, 1) with x's sign (float), the exponent int32.
Value builtinFrexp(BuiltinCall& call) {
  Interpreter& in = call.in;
  refuseUfuncKeywords(call);
  auto a = call.bind({{"x", {}}, {"out", kNone}});
  Value x = a[0].isPyScalar() || a[0].isArray() ? a[0] : toArrayValue(in, a[0], call.span);
  return twoOutputs(call, 1, in.unary(Op::FrexpMantissa, x, call.span),
                    in.unary(Op::FrexpExponent, x, call.span), a[1]);
}

/// divmod(x1, x2): (x1 // x2, x1 % x2), NumPy's floor_divide and remainder
/// (np.divmod, also for two Python numbers, as a program's `divmod` is).
Value builtinDivmod(BuiltinCall& call) {
  Interpreter& in = call.in;
  refuseUfuncKeywords(call);
  auto a = call.bind({{"x1", {}}, {"x2", {}}, {"out", kNone}});
  auto operand = [&](const Value& v) {
    return v.isPyScalar() || v.isArray() ? v : toArrayValue(in, v, call.span);
  };
  Value x = operand(a[0]), y = operand(a[1]); // two Python numbers give NumPy scalars
  return twoOutputs(call, 2, in.binary(Op::DivmodFloor, x, y, call.span),
                    in.binary(Op::DivmodRem, x, y, call.span), a[2]);
}

} // namespace ravel::exec
