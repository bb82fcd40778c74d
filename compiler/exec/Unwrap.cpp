// unwrap(p, discont=None, axis=-1, *, period=2*pi): NumPy 1.24's
// function_base.unwrap step by step over the interpreter's operations, so
// dtypes, values and errors are NumPy's:
//
//   1. dd = diff(p, axis)               (0-d p: diff's error)
//   2. discont defaults to period/2 (a Python float)
//   3. dtype = result_type(dd, period); an integer dtype takes
//      interval_high, rem = divmod(period, 2) and is boundary-ambiguous only
//      when rem == 0; a float one takes period/2 and is always ambiguous
//   4. ddmod = mod(dd - interval_low, period) + interval_low, with
//      interval_low = -interval_high
//   5. if ambiguous, ddmod = interval_high where ddmod == interval_low and
//      dd > 0 (copyto: the value cast to ddmod's dtype)
//   6. ph_correct = ddmod - dd, set to 0 where abs(dd) < discont
//   7. up = p as dtype; up[1:] (along axis) = p[1:] + ph_correct.cumsum(axis),
//      cast to dtype as the assignment casts
//
// Step 7 is built as concatenate((p[:1] as dtype, (p[1:] + cumsum) as
// dtype), axis) rather than an in-place write.
#include "compiler/exec/Args.h"
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"

#include <cmath>

namespace ravel::exec {
using graph::Op;

/// unwrap(p, discont=None, axis=-1, *, period=2*pi).
Value builtinUnwrap(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"p", {}},
                      {"discont", kNone},
                      {"axis", Value::ofInt(-1)},
                      {"period", Value::ofFloat(2 * M_PI)}});
  const Value p = toArrayValue(in, a[0], span);
  const Value& period = a[3];
  const Value dd = callNamed(in, "diff", {p}, {{"axis", a[2]}}, span);
  const int nd = int(p.array->shape().size());
  const int axis = axisArg(a[2], nd, span);
  const bool intPeriod = period.kind == Value::Kind::Int || period.kind == Value::Kind::Bool;
  Value discont = a[1];
  if (discont.kind == Value::Kind::None)
    discont = Value::ofFloat(
        intPeriod ? double(period.kind == Value::Kind::Bool ? period.b : period.i) / 2
                  : toFloat(in, period, span) / 2);
  const Value dtypeValue = callNamed(in, "result_type", {dd, period}, {}, span);
  const DType dtype = dtypeValue.dtype;

  Value intervalHigh, intervalLow;
  bool boundaryAmbiguous = true;
  if (!isFloat(dtype) && intPeriod) {
    // divmod(period, 2) on a Python int: floor division and its remainder.
    const int64_t per = period.kind == Value::Kind::Bool ? int64_t(period.b) : period.i;
    const int64_t high = per >= 0 ? per / 2 : -((-per + 1) / 2);
    intervalHigh = Value::ofInt(high);
    intervalLow = Value::ofInt(-high);
    boundaryAmbiguous = per - 2 * high == 0;
  } else {
    const double high = toFloat(in, period, span) / 2;
    intervalHigh = Value::ofFloat(high);
    intervalLow = Value::ofFloat(-high);
  }
  Value ddmod = in.binary(
      Op::Add, callNamed(in, "mod", {in.binary(Op::Sub, dd, intervalLow, span), period}, {}, span),
      intervalLow, span);
  const DType modType = ddmod.array->dtype();
  if (boundaryAmbiguous) {
    const Value fix = in.binary(Op::BitAnd, in.binary(Op::Eq, ddmod, intervalLow, span),
                                in.binary(Op::Gt, dd, Value::ofInt(0), span), span);
    ddmod = in.where(fix, in.astype(intervalHigh, modType, span), ddmod, span);
  }
  Value phCorrect = in.binary(Op::Sub, ddmod, dd, span);
  const DType correctType = phCorrect.array->dtype();
  phCorrect = in.where(in.binary(Op::Lt, in.unary(Op::Abs, dd, span), discont, span),
                       in.astype(Value::ofInt(0), correctType, span), phCorrect, span);

  auto alongAxis = [&](std::optional<int64_t> start, std::optional<int64_t> stop) {
    std::vector<Value> index(size_t(nd), sliceValue(std::nullopt, std::nullopt));
    index[size_t(axis)] = sliceValue(start, stop);
    return in.subscript(p, index, span);
  };
  const Value cumulative =
      callNamed(in, "cumsum", {phCorrect}, {{"axis", Value::ofInt(axis)}}, span);
  const Value head = in.astype(alongAxis(std::nullopt, 1), dtype, span);
  const Value tail =
      in.astype(in.binary(Op::Add, alongAxis(1, std::nullopt), cumulative, span), dtype, span);
  return callNamed(in, "concatenate", {Value::ofTuple({head, tail})},
                   {{"axis", Value::ofInt(axis)}}, span);
}

} // namespace ravel::exec
