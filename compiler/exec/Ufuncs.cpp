// Ufuncs: NumPy's universal functions, from the one table sema/Ufuncs.def.
//
//  - a call: the ufunc's graph op over its inputs, with NumPy's keywords:
//    out= (the result written into it through the assignment path, which
//    computes a value reading the output first, so overlap reads the inputs
//    as they were), where= (with out=, only where True is written; without
//    out= NumPy leaves the rest uninitialized and ravel writes zeros there),
//    dtype= (the loop's dtype) and casting= (NumPy's UFuncTypeError texts);
//  - reduce: the fused lazy reduction where one equals it (add -> sum,
//    multiply -> prod, minimum/maximum -> min/max, logical_and/or ->
//    all/any), else the op folded along the axis; accumulate: cumsum and
//    cumprod's loop for add and multiply, else a fold over the axis;
//    reduceat, outer and at (unbuffered: repeated indices apply in turn).
#include "compiler/exec/Ufuncs.h"

#include "compiler/exec/Args.h"
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"
#include "compiler/sema/Rules.h"
#include "runtime/MemoryOrder.h"

#include <limits>
#include <unordered_map>

namespace ravel::exec {
using graph::Op;

namespace {

namespace fused {
constexpr std::optional<Op> None = std::nullopt;
constexpr std::optional<Op> Sum = Op::Sum, Prod = Op::Prod, Min = Op::Min, Max = Op::Max,
                            All = Op::All, Any = Op::Any;
} // namespace fused

constexpr Ufunc kUfuncs[] = {
#define RAVEL_UFUNC(name, op, nin, identity, reduction)                                            \
  {name, Op::op, nin, UfuncIdentity::identity, fused::reduction},
#include "compiler/sema/Ufuncs.def"
};

std::string dtypeText(DType t) {
  return "dtype('" + std::string(dtypeName(t)) + "')";
}

/// NumPy's casting rules (np.can_cast) over ravel's five dtypes.
enum class Casting : uint8_t { No, Equiv, Safe, SameKind, Unsafe };

const char* castingName(Casting c) {
  switch (c) {
    case Casting::No:
      return "no";
    case Casting::Equiv:
      return "equiv";
    case Casting::Safe:
      return "safe";
    case Casting::SameKind:
      return "same_kind";
    case Casting::Unsafe:
      return "unsafe";
  }
  return "";
}

bool canCast(DType from, DType to, Casting c) {
  switch (c) {
    case Casting::No:
    case Casting::Equiv:
      return from == to;
    case Casting::Safe:
      return canCastSafe(from, to);
    case Casting::SameKind:
      return canCastSameKind(from, to);
    case Casting::Unsafe:
      return true;
  }
  return false;
}

Casting toCasting(Interpreter& in, const Value& v, Span span) {
  if (v.kind != Value::Kind::Str)
    raise(ErrorKind::Type, span, std::string("casting must be str, not ") + typeName(v));
  for (Casting c : {Casting::No, Casting::Equiv, Casting::Safe, Casting::SameKind, Casting::Unsafe})
    if (v.name == castingName(c)) return c;
  raise(ErrorKind::Value, span,
        "casting must be one of 'no', 'equiv', 'safe', 'same_kind', or 'unsafe' (got " +
            in.repr(v) + ")");
}

[[noreturn]] void castError(const char* ufunc, const std::string& what, DType from, DType to,
                            Casting c, Span span) {
  raise(ErrorKind::Type, span,
        std::string("Cannot cast ufunc '") + ufunc + "' " + what + " from " + dtypeText(from) +
            " to " + dtypeText(to) + " with casting rule '" + castingName(c) + "'");
}

[[noreturn]] void noLoop(const char* ufunc, Span span) {
  raise(ErrorKind::Type, span,
        std::string("No loop matching the specified signature and casting was found for ufunc ") +
            ufunc);
}

sema::Operand operandOf(const Value& v) {
  if (v.isPyScalar()) {
    const ScalarKind k = v.kind == Value::Kind::Bool  ? ScalarKind::Bool
                         : v.kind == Value::Kind::Int ? ScalarKind::Int
                                                      : ScalarKind::Float;
    return {defaultDType(k), true, k};
  }
  return {v.array->dtype()};
}

/// The op's dtypes over these operands (NumPy's TypeError if it has none).
sema::OpTyping typing(const Ufunc& u, const std::vector<Value>& xs, Span span) {
  try {
    return u.nin == 1 ? sema::typeUnary(u.op, operandOf(xs[0]))
                      : sema::typeBinary(u.op, operandOf(xs[0]), operandOf(xs[1]));
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
}

/// Whether the op's result is bool whatever its inputs (comparisons,
/// logical_*, isnan, signbit, ...).
bool boolResult(const Ufunc& u) {
  try {
    const sema::Operand f{DType::Float64};
    return (u.nin == 1 ? sema::typeUnary(u.op, f) : sema::typeBinary(u.op, f, f)).result ==
           DType::Bool;
  } catch (const RuntimeError&) {
    return false;
  }
}

bool isLogical(Op op) {
  return op == Op::LogicalAnd || op == Op::LogicalOr || op == Op::LogicalXor ||
         op == Op::LogicalNot;
}

/// Whether the op has a loop from dtype t to dtype t.
bool homogeneousLoop(const Ufunc& u, DType t) {
  try {
    const sema::Operand o{t};
    const sema::OpTyping ty = u.nin == 1 ? sema::typeUnary(u.op, o) : sema::typeBinary(u.op, o, o);
    return ty.result == t;
  } catch (const RuntimeError&) {
    return false;
  }
}

Value identityValue(UfuncIdentity id) {
  switch (id) {
    case UfuncIdentity::Zero:
      return Value::ofInt(0);
    case UfuncIdentity::One:
      return Value::ofInt(1);
    case UfuncIdentity::MinusOne:
      return Value::ofInt(-1);
    case UfuncIdentity::MinusInf:
      return Value::ofFloat(-std::numeric_limits<double>::infinity());
    case UfuncIdentity::True:
      return Value::ofBool(true);
    case UfuncIdentity::False:
      return Value::ofBool(false);
    case UfuncIdentity::None:
      break;
  }
  return Value::none();
}

Scalar scalarFrom(const Value& v, Span span) {
  switch (v.kind) {
    case Value::Kind::Bool:
      return Scalar::ofBool(v.b);
    case Value::Kind::Int:
      return Scalar::ofInt(v.i);
    case Value::Kind::Float:
      return Scalar::ofFloat(v.f);
    default:
      break;
  }
  if (v.isArray() && v.array->shape().empty() && v.array->materialized())
    return v.array->data.item();
  raise(ErrorKind::Type, span, "ravel needs a number here (initial= and identities are scalars)");
}

/// A new array of `shape` filled with `v` cast to `t`.
Value filled(Interpreter& in, const Shape& shape, const Value& v, DType t, Span span) {
  return in.materializedValue(Array::full(shape, scalarFrom(v, span).castTo(t), t));
}

bool hasIdentity(const Ufunc& u) {
  return u.identity != UfuncIdentity::None;
}

/// NumPy lets an op with an identity, and minimum/maximum/fmin/fmax, reduce
/// several axes at once.
bool reorderable(const Ufunc& u) {
  return hasIdentity(u) || u.op == Op::Minimum || u.op == Op::Maximum || u.op == Op::Fmin ||
         u.op == Op::Fmax;
}

const char* nameOf(const Ufunc& u) {
  return graph::numpyName(u.op);
}

/// The dtype ufunc.reduce/accumulate fold in, for an input of dtype `in`
/// (after dtype=): the loop that takes two of them; NumPy's TypeError for
/// a comparison of non-bools (its result would not be its input's dtype).
DType foldDType(const Ufunc& u, DType t, Span span) {
  if (boolResult(u) && !isLogical(u.op)) {
    if (t != DType::Bool) noLoop(nameOf(u), span);
    return t;
  }
  try {
    return sema::typeBinary(u.op, {t}, {t}).compute;
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
}

/// An array value of the argument (a Python number becomes a 0-d array).
Value arrayArg(Interpreter& in, const Value& v, Span span) {
  return v.isArray() ? v : toArrayValue(in, v, span);
}

/// Writes `r` into out= after the ufunc's checks; returns `out`.
Value writeUfuncOut(Interpreter& in, const Ufunc& u, Value r, const Value& out,
                    const std::optional<Value>& mask, Casting casting,
                    const std::vector<Value>& inputs, Span span) {
  Array target = in.materialize(out.array, span);
  const DType rt = r.isArray() ? r.array->dtype() : operandOf(r).dtype;
  if (!canCast(rt, target.dtype(), casting))
    castError(nameOf(u), "output", rt, target.dtype(), casting, span);
  if (!target.writeable()) raise(ErrorKind::Value, span, "output array is read-only");
  const Shape rs = r.isArray() ? r.array->shape() : Shape{};
  bool fits = rs.size() <= target.shape().size();
  for (size_t i = 0; fits && i < rs.size(); ++i) {
    const int64_t d = rs[rs.size() - 1 - i], o = target.shape()[target.shape().size() - 1 - i];
    fits = d == o || d == 1;
  }
  if (!fits) {
    std::string shapes;
    for (const Value& x : inputs)
      shapes += formatShapeCompact(x.isArray() ? x.array->shape() : Shape{}) + " ";
    raise(ErrorKind::Value, span,
          "operands could not be broadcast together with shapes " + shapes +
              formatShapeCompact(target.shape()) + " ");
  }
  if (mask) {
    Value cur = in.arrayValue(in.graph().input(target, span));
    r = in.where(*mask, in.astype(r, target.dtype(), span), cur, span);
  }
  in.assignInto(target, r, span);
  return out;
}

/// The mask of a where= argument, or nullopt for where=True.
std::optional<Value> whereMask(Interpreter& in, const Value& where, Span span) {
  if (where.kind == Value::Kind::Bool && where.b) return std::nullopt;
  Value m = toArrayValue(in, where, span);
  if (m.array->dtype() != DType::Bool)
    raise(ErrorKind::Type, span,
          "Cannot cast array data from " + dtypeText(m.array->dtype()) +
              " to dtype('bool') according to the rule 'safe'");
  return m;
}

Value callUfunc(Interpreter& in, const Ufunc& u, std::vector<Value>& args, Kwargs& kwargs,
                Span span) {
  const char* name = nameOf(u);
  const size_t nin = size_t(u.nin);
  if (args.size() < nin || args.size() > nin + 1)
    raise(ErrorKind::Type, span,
          std::string(name) + "() takes from " + std::to_string(nin) + " to " +
              std::to_string(nin + 1) + " positional arguments but " + std::to_string(args.size()) +
              " were given");
  Value out = args.size() > nin ? args[nin] : Value::none();
  Value where = Value::ofBool(true);
  std::optional<DType> dtype;
  Casting casting = Casting::SameKind;
  for (const auto& [k, v] : kwargs) {
    if (k == "out") {
      if (args.size() > nin)
        raise(ErrorKind::Type, span,
              "cannot specify 'out' as both a positional and keyword argument");
      out = v;
    } else if (k == "where") {
      where = v;
    } else if (k == "dtype") {
      dtype = toDType(v, span);
    } else if (k == "casting") {
      casting = toCasting(in, v, span);
    } else if (k == "subok") {
      if (!flagArg(v))
        raise(ErrorKind::Type, span, "ufunc keyword subok=False is not in ravel yet");
    } else if (k == "order") {
      if (v.kind != Value::Kind::Str || v.name != "K")
        raise(ErrorKind::Type, span, "ufunc keyword order= other than 'K' is not in ravel yet");
    } else if (k == "signature" || k == "sig" || k == "extobj" || k == "axes" || k == "axis" ||
               k == "keepdims") {
      raise(ErrorKind::Type, span, "ufunc keyword '" + k + "' is not in ravel yet");
    } else {
      raise(ErrorKind::Type, span,
            std::string(name) + "() got an unexpected keyword argument '" + k + "'");
    }
  }
  out = outArgument(out, span);
  std::vector<Value> xs(args.begin(), args.begin() + long(nin));
  for (Value& x : xs)
    if (!x.isPyScalar() && !x.isArray()) x = toArrayValue(in, x, span);
  if (nin == 1 && xs[0].isPyScalar() && (u.op == Op::Abs || u.op == Op::Neg))
    xs[0] = in.astype(xs[0], operandOf(xs[0]).dtype, span); // np.abs(-3) is a NumPy int64
  const std::vector<Value> inputs = xs;

  // The loop: its input dtype (what array inputs are cast to). A bool
  // result's dtype= (the only one it has) selects the loop by its output.
  if (dtype && boolResult(u)) {
    if (*dtype != DType::Bool) noLoop(name, span);
    dtype.reset();
  }
  if (dtype && !homogeneousLoop(u, *dtype)) noLoop(name, span);
  DType loopIn = DType::Bool;
  if (dtype) {
    loopIn = *dtype;
  } else if (boolResult(u)) {
    loopIn = nin == 1 ? operandOf(xs[0]).dtype
                      : sema::promoteOperands(operandOf(xs[0]), operandOf(xs[1]));
  } else {
    loopIn = typing(u, xs, span).compute;
  }
  for (size_t i = 0; i < nin; ++i) {
    if (xs[i].isPyScalar()) continue; // weak: takes the loop's dtype
    const DType t = xs[i].array->dtype();
    if (t != loopIn && !canCast(t, loopIn, casting))
      castError(name, "input " + std::to_string(i), t, loopIn, casting, span);
  }
  if (dtype)
    for (Value& x : xs)
      if (x.isPyScalar() || x.array->dtype() != *dtype) x = in.astype(x, *dtype, span);

  const std::optional<Value> mask = whereMask(in, where, span);
  Value r = nin == 1 ? in.unary(u.op, xs[0], span) : in.binary(u.op, xs[0], xs[1], span);
  if (out.kind != Value::Kind::None)
    return writeUfuncOut(in, u, r, out, mask, casting, inputs, span);
  if (mask) {
    // NumPy leaves the elements where= skips uninitialized; ravel writes zeros.
    const DType t = r.array->dtype();
    Value zero = in.astype(Value::ofInt(0), t, span);
    const bool scalar = r.array->isScalar;
    r = in.where(*mask, r, zero, span);
    r.array->isScalar = scalar && r.array->shape().empty();
  }
  return r;
}

// ---- reduce ----

/// `ufunc.reduce` over `axes` of x by folding the op in C order of the
/// reduced axes (an op with no fused reduction); `initial` starts the fold.
Value foldReduce(Interpreter& in, const Ufunc& u, const Value& x, const std::vector<int>& axes,
                 const std::optional<Value>& initial, Span span) {
  Array m = argValues(in, x, span);
  const int nd = m.ndim();
  std::vector<int> perm = axes;
  for (int d = 0; d < nd; ++d)
    if (std::find(axes.begin(), axes.end(), d) == axes.end()) perm.push_back(d);
  Array t = m.transpose(perm);
  Shape rest(t.shape().begin() + long(axes.size()), t.shape().end());
  int64_t count = 1;
  for (size_t i = 0; i < axes.size(); ++i) count *= t.shape()[i];
  if (axes.size() != 1) {
    Shape s{count};
    s.insert(s.end(), rest.begin(), rest.end());
    t = t.copy().reshape(s);
  }
  // The fold's dtype: what one step gives (a logical op over floats, bool).
  DType dt = m.dtype();
  try {
    dt = sema::typeBinary(u.op, {m.dtype()}, {m.dtype()}).result;
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
  Value acc;
  int64_t k = 0;
  if (initial) {
    acc = filled(in, rest, *initial, dt, span);
  } else if (count == 0) {
    if (!hasIdentity(u))
      raise(ErrorKind::Value, span,
            std::string("zero-size array to reduction operation ") + nameOf(u) +
                " which has no identity");
    return filled(in, rest, identityValue(u.identity), dt, span);
  } else {
    acc = in.materializedValue(t.indexAxis(0, 0).astype(dt));
    k = 1;
  }
  for (; k < count; ++k) {
    acc = in.binary(u.op, acc, in.materializedValue(t.indexAxis(0, k)), span);
    if (k % 32 == 0) in.materialize(acc.array, span); // bound the fused kernel
  }
  return acc;
}

Value reduceMethod(Interpreter& in, const Ufunc& u, std::vector<Value>& args, Kwargs& kwargs,
                   Span span) {
  auto a = bindArgs("reduce", args, kwargs,
                    {{"array", {}},
                     {"axis", Value::ofInt(0)},
                     {"dtype", kNone},
                     {"out", kNone},
                     {"keepdims", Value::ofBool(false)},
                     {"initial", kNone},
                     {"where", Value::ofBool(true)}},
                    span);
  Value x = arrayArg(in, a[0], span);
  const int nd = int(x.array->shape().size());
  const std::optional<DType> dtype = toDType(a[2], span);
  const Value out = outArgument(a[3], span);
  const bool keep = flagArg(a[4]);
  std::optional<Value> initial;
  if (a[5].kind != Value::Kind::None) initial = a[5];
  const std::optional<Value> mask = whereMask(in, a[6], span);
  const Value axisArg = asPythonInt(a[1]);
  const bool quirk =
      nd == 0 && axisArg.kind == Value::Kind::Int && (axisArg.i == 0 || axisArg.i == -1);
  const std::vector<int> axes = quirk ? std::vector<int>{} : reductionAxes(a[1], nd, span);
  if (axes.size() > 1 && !reorderable(u))
    raise(ErrorKind::Value, span,
          std::string("reduction operation '") + nameOf(u) +
              "' is not reorderable, so at most one axis may be specified");
  if (dtype) {
    if (!homogeneousLoop(u, *dtype) && !(boolResult(u) && *dtype == DType::Bool))
      noLoop(nameOf(u), span);
    if (x.array->dtype() != *dtype) x = in.astype(x, *dtype, span);
  }
  if (mask) {
    // Skipped elements become the identity (or initial, for min/max-like ops).
    Value fill = identityValue(u.identity);
    if (!hasIdentity(u)) {
      if (!initial)
        raise(ErrorKind::Value, span,
              std::string("reduction operation '") + nameOf(u) +
                  "' does not have an identity, so to use a where mask one has to specify "
                  "'initial'");
      if (!reorderable(u))
        raise(ErrorKind::Type, span,
              std::string(nameOf(u)) + ".reduce with where= is not in ravel yet");
      fill = *initial;
    }
    const DType t = x.array->dtype();
    x = in.where(*mask, x, in.astype(fill, t, span), span);
  }
  int64_t count = 1;
  for (int ax : axes) count *= x.array->shape()[size_t(ax)];
  Value r;
  if (axes.empty()) {
    // Nothing reduced (axis=() or the 0-d quirk): each element is its own result.
    const DType t = u.reduction
                        ? in.reduce(*u.reduction, x, Value::ofTuple({}), span).array->dtype()
                        : foldDType(u, x.array->dtype(), span);
    r = in.astype(x, t, span);
    if (initial) r = in.binary(u.op, in.astype(*initial, t, span), r, span);
    r.array->isScalar = nd == 0;
  } else if (u.reduction && !(count == 0 && initial)) {
    r = in.reduce(*u.reduction, x, Value::ofTuple([&] {
      std::vector<Value> v;
      for (int ax : axes) v.push_back(Value::ofInt(ax));
      return v;
    }()),
                  span);
    if (initial) {
      const bool scalar = r.array->isScalar;
      const DType t = r.array->dtype();
      r = in.binary(u.op, r, in.astype(*initial, t, span), span);
      r.array->isScalar = scalar;
    }
  } else {
    DType t = foldDType(u, x.array->dtype(), span);
    if (u.reduction) t = sema::reduceDType(*u.reduction, t);
    if (x.array->dtype() != t) x = in.astype(x, t, span);
    r = foldReduce(in, u, x, axes, initial, span);
    r.array->isScalar = int(axes.size()) == nd;
  }
  if (dtype && !boolResult(u) && r.array->dtype() != *dtype) {
    // add/multiply accumulate small ints in int64; dtype= asks for its own.
    const bool scalar = r.array->isScalar;
    r = in.astype(r, *dtype, span);
    r.array->isScalar = scalar;
  }
  if (keep && nd > 0) r = ownedKeepDims(in, r, axes, nd, span, &x);
  if (out.kind != Value::Kind::None) return writeReductionOut(in, r, out, nameOf(u), span);
  return r;
}

// ---- accumulate ----

Value accumulateMethod(Interpreter& in, const Ufunc& u, std::vector<Value>& args, Kwargs& kwargs,
                       Span span) {
  auto a =
      bindArgs("accumulate", args, kwargs,
               {{"array", {}}, {"axis", Value::ofInt(0)}, {"dtype", kNone}, {"out", kNone}}, span);
  Value x = arrayArg(in, a[0], span);
  const int nd = int(x.array->shape().size());
  if (nd == 0) raise(ErrorKind::Type, span, "cannot accumulate on a scalar");
  if (a[1].kind == Value::Kind::None && nd > 1)
    raise(ErrorKind::Value, span, "accumulate does not allow multiple axes");
  const int axis = a[1].kind == Value::Kind::None ? 0 : exec::axisArg(a[1], nd, span);
  const std::optional<DType> dtype = toDType(a[2], span);
  const Value out = outArgument(a[3], span);
  Value r;
  if (u.op == Op::Add || u.op == Op::Mul) {
    // cumsum/cumprod's loop, which upcasts bool and int32 as NumPy's add does.
    std::vector<Value> cargs{x, Value::ofInt(axis), dtype ? Value::ofDType(*dtype) : kNone};
    Kwargs none;
    r = in.callBuiltin(u.op == Op::Add ? "cumsum" : "cumprod", cargs, none, span);
  } else {
    if (dtype) {
      if (!homogeneousLoop(u, *dtype) && !(boolResult(u) && *dtype == DType::Bool))
        noLoop(nameOf(u), span);
      x = in.astype(x, *dtype, span);
    }
    const DType t = foldDType(u, x.array->dtype(), span);
    Array m = argValues(in, x, span);
    // NumPy's accumulate allocates its result like the input (order='K').
    const std::vector<int> order = axisOrderFastestFirst({iterationStrides(m, nd)}, nd);
    if (m.dtype() != t) m = m.astype(t);
    DType rt = t;
    if (m.shape()[size_t(axis)] > 1) {
      // The result dtype of one step (a logical op over ints gives bool).
      Value probe = in.binary(u.op, in.materializedValue(m.indexAxis(axis, 0)),
                              in.materializedValue(m.indexAxis(axis, 1)), span);
      rt = probe.array->dtype();
    } else if (boolResult(u)) {
      rt = DType::Bool;
    }
    Array res = Array::emptyInAxisOrder(m.shape(), rt, order);
    const int64_t n = m.shape()[size_t(axis)];
    if (n > 0) res.indexAxis(axis, 0).assign(m.indexAxis(axis, 0));
    for (int64_t k = 1; k < n; ++k) {
      Value step = in.binary(u.op, in.materializedValue(res.indexAxis(axis, k - 1)),
                             in.materializedValue(m.indexAxis(axis, k)), span);
      in.assignInto(res.indexAxis(axis, k), step, span);
    }
    r = in.materializedValue(res);
  }
  if (out.kind != Value::Kind::None) {
    Array target = in.materialize(out.array, span);
    if (target.shape() != r.array->shape())
      raise(ErrorKind::Value, span,
            "output operand shape " + formatShapeCompact(target.shape()) +
                " does not match the result shape " + formatShapeCompact(r.array->shape()));
    in.assignInto(target, r, span);
    return out;
  }
  return r;
}

// ---- reduceat ----

Value reduceatMethod(Interpreter& in, const Ufunc& u, std::vector<Value>& args, Kwargs& kwargs,
                     Span span) {
  auto a = bindArgs(
      "reduceat", args, kwargs,
      {{"array", {}}, {"indices", {}}, {"axis", Value::ofInt(0)}, {"dtype", kNone}, {"out", kNone}},
      span);
  Value x = arrayArg(in, a[0], span);
  const int nd = int(x.array->shape().size());
  if (nd == 0) raise(ErrorKind::Type, span, "cannot reduceat on a scalar");
  const int axis = exec::axisArg(a[2], nd, span);
  Value idxValue = toArrayValue(in, a[1], span);
  if (idxValue.array->shape().size() > 1)
    raise(ErrorKind::Value, span, "object too deep for desired array");
  Array idx = argValues(in, idxValue, span);
  if (!isInteger(idx.dtype()) && idx.size() > 0)
    raise(ErrorKind::Type, span,
          "Cannot cast array data from " + dtypeText(idx.dtype()) +
              " to dtype('int64') according to the rule 'safe'");
  idx = idx.astype(DType::Int64);
  const int64_t n = x.array->shape()[size_t(axis)];
  std::vector<int64_t> ix(size_t(idx.size()));
  for (int64_t i = 0; i < idx.size(); ++i) {
    ix[size_t(i)] = idx.at({i}).i;
    if (ix[size_t(i)] < 0 || ix[size_t(i)] >= n)
      raise(ErrorKind::Index, span,
            "index " + std::to_string(ix[size_t(i)]) + " out-of-bounds in " + nameOf(u) +
                ".reduceat [0, " + std::to_string(n) + ")");
  }
  const Value out = outArgument(a[4], span);
  Array m = argValues(in, x, span);
  std::vector<Value> pieces;
  for (size_t i = 0; i < ix.size(); ++i) {
    const int64_t start = ix[i];
    const int64_t stop = i + 1 == ix.size() ? n : ix[i + 1] > start ? ix[i + 1] : start + 1;
    std::vector<Value> rargs{in.materializedValue(m.sliceAxis(axis, start, 1, stop - start))};
    Kwargs rk{{"axis", Value::ofInt(axis)}, {"keepdims", Value::ofBool(true)}};
    if (a[3].kind != Value::Kind::None) rk.push_back({"dtype", a[3]});
    pieces.push_back(reduceMethod(in, u, rargs, rk, span));
  }
  Value r;
  if (pieces.empty()) {
    std::vector<Value> rargs{
        in.materializedValue(m.sliceAxis(axis, 0, 1, std::min<int64_t>(n, 1)))};
    Kwargs rk{{"axis", Value::ofInt(axis)}, {"keepdims", Value::ofBool(true)}};
    if (a[3].kind != Value::Kind::None) rk.push_back({"dtype", a[3]});
    DType t = n > 0 ? reduceMethod(in, u, rargs, rk, span).array->dtype() : m.dtype();
    Shape s = m.shape();
    s[size_t(axis)] = 0;
    r = in.materializedValue(Array::empty(s, t));
  } else {
    std::vector<Value> cargs{Value::ofTuple(pieces)};
    Kwargs ck{{"axis", Value::ofInt(axis)}};
    r = in.callBuiltin("concatenate", cargs, ck, span);
  }
  if (out.kind != Value::Kind::None) {
    Array target = in.materialize(out.array, span);
    in.assignInto(target, r, span);
    return out;
  }
  return r;
}

// ---- outer ----

Value outerMethod(Interpreter& in, const Ufunc& u, std::vector<Value>& args, Kwargs& kwargs,
                  Span span) {
  // result[i..., j...] = ufunc(A[i...], B[j...]): A with B.ndim new trailing
  // axes, broadcast against B (shape A + B); keywords as for a call.
  if (args.size() != 2)
    raise(ErrorKind::Type, span,
          "outer() takes exactly 2 positional arguments (" + std::to_string(args.size()) +
              " given)");
  Value x = args[0];
  if (!x.isPyScalar() && !args[1].isPyScalar()) {
    Array ax = argValues(in, x, span);
    const size_t extra = toArrayValue(in, args[1], span).array->shape().size();
    for (size_t d = 0; d < extra; ++d) ax = ax.insertAxis(ax.ndim());
    x = in.materializedValue(ax);
  }
  std::vector<Value> uargs{x, args[1]};
  return callUfunc(in, u, uargs, kwargs, span);
}

// ---- at ----

Value atMethod(Interpreter& in, const Ufunc& u, std::vector<Value>& args, Kwargs& kwargs,
               Span span) {
  auto a = bindArgs("at", args, kwargs, {{"a", {}}, {"indices", {}}, {"b", kNone}}, span);
  if (!a[0].isArray() || a[0].array->isScalar)
    raise(ErrorKind::Type, span, "first operand must be array");
  if (u.nin == 2 && a[2].kind == Value::Kind::None)
    raise(ErrorKind::Value, span, "second operand needed for ufunc");
  if (u.nin == 1 && a[2].kind != Value::Kind::None)
    raise(ErrorKind::Value, span, "second operand provided when ufunc is unary");
  const ArrayRef& obj = a[0].array;
  Array target = in.materialize(obj, span);
  const int nd = target.ndim();
  if (nd == 0) raise(ErrorKind::Type, span, "ufunc.at on a 0-d array is not in ravel yet");
  // Which elements the index selects, in order: their C-order positions.
  Array iota = Array::empty(target.shape(), DType::Int64);
  auto* p = reinterpret_cast<int64_t*>(iota.data());
  for (int64_t i = 0; i < iota.size(); ++i) p[i] = i;
  std::vector<Value> index =
      a[1].kind == Value::Kind::Tuple ? a[1].items : std::vector<Value>{a[1]};
  Value sel = in.subscript(in.materializedValue(iota), index, span);
  Array pos = argValues(in, arrayArg(in, sel, span), span).copy();
  const Shape selShape = pos.shape();
  Array b;
  if (u.nin == 2) {
    Array bv = argValues(in, arrayArg(in, a[2], span), span);
    try {
      b = bv.broadcastTo(selShape).copy();
    } catch (const RuntimeError& e) {
      rethrowWithSpan(e, span);
    }
    b = b.reshape({b.size()});
  }
  // Each round applies the op once to every position selected at least
  // that many times: unbuffered, so repeated indices accumulate in order.
  const int64_t count = pos.size();
  const auto* pp = reinterpret_cast<const int64_t*>(pos.data());
  std::unordered_map<int64_t, int> seen;
  std::vector<int> pass(static_cast<size_t>(count));
  int rounds = 0;
  for (int64_t k = 0; k < count; ++k) {
    pass[size_t(k)] = seen[pp[k]]++;
    rounds = std::max(rounds, pass[size_t(k)] + 1);
  }
  for (int r = 0; r < rounds; ++r) {
    std::vector<int64_t> ks;
    for (int64_t k = 0; k < count; ++k)
      if (pass[size_t(k)] == r) ks.push_back(k);
    const int64_t len = int64_t(ks.size());
    std::vector<Value> coords;
    std::vector<Array> axes(static_cast<size_t>(nd));
    for (int d = 0; d < nd; ++d) axes[size_t(d)] = Array::empty({len}, DType::Int64);
    for (int64_t j = 0; j < len; ++j) {
      int64_t flat = pp[ks[size_t(j)]];
      for (int d = nd - 1; d >= 0; --d) {
        const int64_t dim = target.shape()[size_t(d)];
        reinterpret_cast<int64_t*>(axes[size_t(d)].data())[j] = flat % dim;
        flat /= dim;
      }
    }
    for (const Array& ax : axes) coords.push_back(in.materializedValue(ax));
    Value cur = in.subscript(a[0], coords, span);
    Value next;
    if (u.nin == 1) {
      next = in.unary(u.op, cur, span);
    } else {
      Array which = Array::empty({len}, DType::Int64);
      for (int64_t j = 0; j < len; ++j) reinterpret_cast<int64_t*>(which.data())[j] = ks[size_t(j)];
      Value vals = in.subscript(in.materializedValue(b), {in.materializedValue(which)}, span);
      next = in.binary(u.op, cur, vals, span);
    }
    in.advancedAssign(obj, coords, next, span);
  }
  return Value::none();
}

} // namespace

const Ufunc* findUfunc(std::string_view name) {
  static const std::unordered_map<std::string_view, const Ufunc*> byName = [] {
    std::unordered_map<std::string_view, const Ufunc*> m;
    for (const Ufunc& u : kUfuncs) m.emplace(u.name, &u);
    return m;
  }();
  auto it = byName.find(name);
  return it == byName.end() ? nullptr : it->second;
}

Value builtinUfunc(BuiltinCall& call) {
  const Ufunc* u = findUfunc(call.name);
  return callUfunc(call.in, *u, call.args, call.kwargs, call.span);
}

Value ufuncAttribute(const Ufunc& u, const std::string& attr, Span span) {
  if (attr == "reduce" || attr == "accumulate" || attr == "reduceat" || attr == "outer" ||
      attr == "at") {
    if (u.nin == 1 && attr != "at")
      raise(ErrorKind::Value, span,
            attr == "outer" ? std::string("outer product only supported for binary functions")
                            : attr + " only supported for binary functions");
    return Value::ofBuiltin(std::string(u.name) + "." + attr);
  }
  if (attr == "identity") return identityValue(u.identity);
  if (attr == "nin") return Value::ofInt(u.nin);
  if (attr == "nout") return Value::ofInt(1);
  if (attr == "nargs") return Value::ofInt(u.nin + 1);
  if (attr == "__name__") return Value::ofStr(nameOf(u));
  raise(ErrorKind::Name, span, "'numpy.ufunc' object has no attribute '" + attr + "'");
}

Value callUfuncMethod(Interpreter& in, const Ufunc& u, const std::string& method,
                      std::vector<Value>& args, Kwargs& kwargs, Span span) {
  if (method == "reduce") return reduceMethod(in, u, args, kwargs, span);
  if (method == "accumulate") return accumulateMethod(in, u, args, kwargs, span);
  if (method == "reduceat") return reduceatMethod(in, u, args, kwargs, span);
  if (method == "outer") return outerMethod(in, u, args, kwargs, span);
  return atMethod(in, u, args, kwargs, span);
}

Value outArgument(const Value& out, Span span) {
  Value o = out;
  if (o.kind == Value::Kind::Tuple) {
    if (o.items.size() != 1)
      raise(ErrorKind::Value, span, "The 'out' tuple must have exactly one entry per ufunc output");
    o = o.items[0];
  }
  if (o.kind == Value::Kind::None) return o;
  if (!o.isArray() || o.array->isScalar)
    raise(ErrorKind::Type, span, "return arrays must be of ArrayType");
  return o;
}

Value writeReductionOut(Interpreter& in, const Value& r, const Value& out, const char* ufunc,
                        Span span) {
  Value o = outArgument(out, span);
  Array target = in.materialize(o.array, span);
  const Shape rs = r.isArray() ? r.array->shape() : Shape{};
  if (target.shape().size() != rs.size())
    raise(ErrorKind::Value, span,
          std::string("output parameter for reduction operation ") + ufunc +
              " has the wrong number of dimensions: Found " + std::to_string(target.ndim()) +
              " but expected " + std::to_string(rs.size()));
  if (target.shape() != rs)
    raise(ErrorKind::Value, span,
          "output parameter for reduction operation " + std::string(ufunc) + " has shape " +
              formatShapeCompact(target.shape()) + ", the result has shape " +
              formatShapeCompact(rs));
  if (!target.writeable()) raise(ErrorKind::Value, span, "output array is read-only");
  in.assignInto(target, r, span);
  return o;
}

} // namespace ravel::exec
