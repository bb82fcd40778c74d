// Statistics builtins: argmax, argmin, cumsum, cumprod, std, var, ptp, diff,
// isclose, allclose, array_equal, array_equiv, nansum, nanmean, nanmax,
// nanmin and average, as functions and (where NumPy has one) as array
// methods.
//
// Two kinds of implementation:
//  - composed from graph ops (std, var, ptp, diff, isclose, the nan
//    functions, average), so they stay lazy and fuse with their producers,
//    following NumPy's own Python code step by step (_methods._var,
//    function_base.diff, numeric.isclose, nanfunctions, average) so the
//    values, dtypes and rounding are NumPy's;
//  - eager loops over the materialized input (argmax/argmin, cumsum/cumprod),
//    which no fused reduction expresses: the input is copied with the axis
//    last and C-contiguous, each row is scanned, and the result is written
//    back in the input's axis order.
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"
#include "compiler/exec/Ufuncs.h"

#include "runtime/MemoryOrder.h"
#include "runtime/Storage.h"

#include <cmath>
#include <numeric>
#include <optional>
#include <type_traits>

namespace ravel::exec {
using graph::Op;

namespace {

/// `r` with size-1 axes put back where `axes` were reduced (keepdims=True).
Value keepDims(Interpreter& in, const Value& r, const std::vector<int>& axes, int ndim, Span span) {
  std::vector<Value> index;
  for (int d = 0; d < ndim; ++d) {
    if (std::find(axes.begin(), axes.end(), d) != axes.end()) {
      index.push_back(Value::none());
    } else {
      Value all;
      all.kind = Value::Kind::Slice;
      all.items = {Value::none(), Value::none(), Value::none()};
      index.push_back(all);
    }
  }
  return in.subscript(r, index, span);
}

// ---- argmax / argmin ----

/// NumPy's argmax/argmin of one contiguous row: the first extreme; for
/// floats the first NaN wins.
template <class T> int64_t argExtreme(const T* p, int64_t n, bool max) {
  int64_t best = 0;
  T m = p[0];
  if constexpr (std::is_floating_point_v<T>)
    if (m != m) return 0;
  for (int64_t i = 1; i < n; ++i) {
    const T v = p[i];
    if constexpr (std::is_floating_point_v<T>)
      if (v != v) return i;
    if (max ? v > m : v < m) {
      m = v;
      best = i;
    }
  }
  return best;
}

Value argExtremeValue(Interpreter& in, const std::string& fn, const std::vector<Value>& a,
                      Span span) {
  const bool max = fn == "argmax";
  Array m = argValues(in, a[0], span);
  const bool keep = flagArg(a[3]);
  const int nd = m.ndim();
  auto rows = [&](const Array& moved, int64_t n, Array& out) {
    if (n == 0) raise(ErrorKind::Value, span, "attempt to get " + fn + " of an empty sequence");
    auto* dst = reinterpret_cast<int64_t*>(out.data());
    byStorage(moved.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T* src = reinterpret_cast<const T*>(moved.data());
      for (int64_t r = 0; r < out.size(); ++r) dst[r] = argExtreme(src + r * n, n, max);
    });
  };
  if (a[1].kind == Value::Kind::None) {
    Array flat = m.copy();
    // keepdims: (1,) * ndim, owning its memory like NumPy's result.
    Array out = Array::empty(keep ? Shape(size_t(nd), 1) : Shape{}, DType::Int64);
    rows(flat, flat.size(), out);
    return in.materializedValue(out, !keep);
  }
  if (nd == 0) { // NumPy's PyArray_CheckAxis: a 0-d array along an axis is 1-d
    Value r = argExtremeValue(
        in, fn, {in.materializedValue(m.reshape({1})), a[1], a[2], Value::ofBool(false)}, span);
    // keepdims gives back the input's 0 dimensions: a 0-d array, not a scalar.
    return keep ? in.materializedValue(in.materialize(r.array, span).copy()) : r;
  }
  const int axis = axisArg(a[1], nd, span);
  std::vector<int> perm = axisLastPerm(axis, nd);
  Array moved = m.transpose(perm).copy();
  const int64_t n = moved.shape().back();
  // The result is written in C order, which keepdims' size-1 axis leaves as it is.
  Shape outShape = m.shape();
  if (keep)
    outShape[size_t(axis)] = 1;
  else
    outShape.erase(outShape.begin() + axis);
  Array out = Array::empty(outShape, DType::Int64);
  if (out.size() > 0) rows(moved, n, out);
  // A 1-d input reduced along its axis gives a NumPy scalar, as NumPy's does.
  return in.materializedValue(out, outShape.empty());
}

// ---- cumsum / cumprod ----

template <class T> void accumulateRows(T* p, int64_t n, int64_t rows, bool product) {
  for (int64_t r = 0; r < rows; ++r) {
    T* row = p + r * n;
    for (int64_t i = 1; i < n; ++i) {
      if constexpr (std::is_same_v<T, uint8_t>) { // bool: logical or / and
        row[i] = product ? (row[i - 1] & row[i]) : (row[i - 1] | row[i]);
      } else if constexpr (std::is_integral_v<T>) { // wraps, as NumPy's do
        using U = std::make_unsigned_t<T>;
        row[i] = product ? T(U(row[i - 1]) * U(row[i])) : T(U(row[i - 1]) + U(row[i]));
      } else {
        row[i] = product ? row[i - 1] * row[i] : row[i - 1] + row[i];
      }
    }
  }
}

Value accumulateValue(Interpreter& in, const std::string& fn, const std::vector<Value>& a,
                      Span span) {
  Array m = argValues(in, a[0], span);
  std::optional<DType> asked = toDType(a[2], span);
  DType t = asked                                                     ? *asked
            : (m.dtype() == DType::Bool || m.dtype() == DType::Int32) ? DType::Int64
                                                                      : m.dtype();
  const bool product = fn == "cumprod";
  if (a[1].kind == Value::Kind::None) {
    Array flat = Array::empty({m.size()}, t); // owns its memory, as NumPy's result
    flat.reshapeView(m.shape()).assign(m);
    byStorage(t, [&](auto tag) {
      using T = decltype(tag);
      accumulateRows(reinterpret_cast<T*>(flat.data()), flat.size(), 1, product);
    });
    return in.materializedValue(flat);
  }
  if (m.ndim() == 0) m = m.reshape({1}); // PyArray_CheckAxis: a 0-d array along an axis is 1-d
  const int nd = m.ndim();
  const int axis = axisArg(a[1], nd, span);
  std::vector<int> perm = axisLastPerm(axis, nd);
  Array moved = m.transpose(perm).astype(t);
  if (!moved.isCContiguous()) moved = moved.copy();
  const int64_t n = moved.shape().back();
  if (n > 0)
    byStorage(t, [&](auto tag) {
      using T = decltype(tag);
      accumulateRows(reinterpret_cast<T*>(moved.data()), n, moved.size() / n, product);
    });
  // NumPy's accumulate allocates its result like the input (order='K').
  Array out =
      Array::emptyInAxisOrder(m.shape(), t, axisOrderFastestFirst({iterationStrides(m, nd)}, nd));
  out.transpose(perm).assign(moved);
  return in.materializedValue(out);
}

// ---- std / var ----

/// NumPy's _methods._var (and _std): the mean (summed in `dtype`, or float64
/// for ints and bools), then the sum of squared deviations divided by
/// max(N - ddof, 0). Composed from graph ops, so it fuses with producers.
Value varianceValue(Interpreter& in, const std::string& fn, const std::vector<Value>& a,
                    Span span) {
  // a: a, axis, dtype, out, ddof, keepdims
  Value x = toArrayValue(in, a[0], span);
  const int nd = int(x.array->shape().size());
  std::vector<int> axes = reductionAxes(a[1], nd, span);
  int64_t count = 1;
  for (int ax : axes) count *= x.array->shape()[size_t(ax)];
  std::optional<DType> asked = toDType(a[2], span);
  const Value out = outArgument(a[3], span);
  if (fn == "std" && out.kind != Value::Kind::None && !isFloat(out.array->dtype()))
    // NumPy's _std takes sqrt(ret, out=ret) in out's dtype.
    raise(ErrorKind::Type, span,
          "Cannot cast ufunc 'sqrt' output from dtype('float64') to dtype('" +
              std::string(dtypeName(out.array->dtype())) + "') with casting rule 'same_kind'");
  const int64_t ddof = toInt(a[4], span);
  const bool keep = flagArg(a[5]);
  const DType xt = x.array->dtype();
  const DType t = asked ? *asked : (isFloat(xt) ? xt : DType::Float64);
  const bool full = int(axes.size()) == nd;
  // arrmean = umr_sum(arr, axis, dtype, keepdims=True) / rcount
  Value sum = in.reduce(Op::Sum, xt == t ? x : in.astype(x, t, span), a[1], span);
  Value mean = in.binary(Op::Div, sum, Value::ofFloat(double(count)), span);
  if (!full) mean = keepDims(in, mean, axes, nd, span);
  // x = arr - arrmean; x = x * x; ret = umr_sum(x, axis, dtype)
  Value dev = in.binary(Op::Sub, x, mean, span);
  Value sq = in.binary(Op::Mul, dev, dev, span);
  if (asked && sq.array->dtype() != t) sq = in.astype(sq, t, span);
  Value ss = in.reduce(Op::Sum, sq, a[1], span);
  // ret / max(rcount - ddof, 0): an intp divisor, so float32 divides in float64.
  const double dof = double(std::max<int64_t>(count - ddof, 0));
  const DType rt = ss.array->dtype();
  Value r;
  if (rt == DType::Float32) {
    r = in.astype(
        in.binary(Op::Div, in.astype(ss, DType::Float64, span), Value::ofFloat(dof), span),
        DType::Float32, span);
  } else {
    r = in.binary(Op::Div, ss, Value::ofFloat(dof), span);
  }
  if (fn == "std") r = in.unary(Op::Sqrt, r, span);
  if (keep) r = ownedKeepDims(in, r, axes, nd, span);
  if (out.kind != Value::Kind::None) return writeReductionOut(in, r, out, "add", span);
  if (full && !keep) r.array->isScalar = true;
  return r;
}

// ---- ptp, diff ----

Value ptpValue(Interpreter& in, const std::vector<Value>& a, Span span) {
  Value x = toArrayValue(in, a[0], span);
  const int nd = int(x.array->shape().size());
  Value axis = asPythonInt(a[1]);
  // A 0-d value reduces nothing along axis 0 or -1 (the ufunc.reduce quirk).
  const bool quirk = nd == 0 && axis.kind == Value::Kind::Int && (axis.i == 0 || axis.i == -1);
  std::vector<int> axes = quirk ? std::vector<int>{} : reductionAxes(a[1], nd, span);
  if (a[2].kind != Value::Kind::None)
    raise(ErrorKind::Type, span, "ptp() does not support out= in ravel");
  Value mx = in.reduce(Op::Max, x, a[1], span);
  Value mn = in.reduce(Op::Min, x, a[1], span);
  Value r = in.binary(Op::Sub, mx, mn, span);
  if (flagArg(a[3])) return ownedKeepDims(in, r, axes, nd, span);
  if (int(axes.size()) == nd) r.array->isScalar = true;
  return r;
}

/// v[..., start:stop, ...] with the slice on `axis` (every other axis whole).
Value sliceAlong(Interpreter& in, const Value& v, int axis, std::optional<int64_t> start,
                 std::optional<int64_t> stop, Span span) {
  std::vector<Value> index;
  for (int d = 0; d < int(v.array->shape().size()); ++d) {
    Value s;
    s.kind = Value::Kind::Slice;
    s.items = {Value::none(), Value::none(), Value::none()};
    if (d == axis) {
      if (start) s.items[0] = Value::ofInt(*start);
      if (stop) s.items[1] = Value::ofInt(*stop);
    }
    index.push_back(s);
  }
  return in.subscript(v, index, span);
}

Value diffValue(Interpreter& in, const std::vector<Value>& a, Span span) {
  const int64_t n = toInt(a[1], span);
  if (n == 0) return a[0];
  if (n < 0)
    raise(ErrorKind::Value, span, "order must be non-negative but got " + std::to_string(n));
  Value x = toArrayValue(in, a[0], span);
  const int nd = int(x.array->shape().size());
  if (nd == 0)
    raise(ErrorKind::Value, span, "diff requires input that is at least one dimensional");
  const int axis = axisArg(a[2], nd, span);
  if (a[3].kind != Value::Kind::None || a[4].kind != Value::Kind::None) {
    // prepend/append (a 0-d one broadcast to a's shape with 1 along axis),
    // then concatenate along axis.
    Value parts = Value::ofTuple({});
    auto edge = [&](const Value& e) {
      Value v = toArrayValue(in, e, span);
      if (v.array->shape().empty()) {
        Shape s = x.array->shape();
        s[size_t(axis)] = 1;
        Value shape = Value::ofTuple({});
        for (int64_t d : s) shape.items.push_back(Value::ofInt(d));
        std::vector<Value> args{v, shape};
        Kwargs none;
        v = in.callBuiltin("broadcast_to", args, none, span);
      }
      parts.items.push_back(v);
    };
    if (a[3].kind != Value::Kind::None) edge(a[3]);
    parts.items.push_back(x);
    if (a[4].kind != Value::Kind::None) edge(a[4]);
    std::vector<Value> args{parts, Value::ofInt(axis)};
    Kwargs none;
    x = in.callBuiltin("concatenate", args, none, span);
  }
  for (int64_t k = 0; k < n; ++k) {
    Value hi = sliceAlong(in, x, axis, 1, std::nullopt, span),
          lo = sliceAlong(in, x, axis, std::nullopt, -1, span);
    // NumPy: not_equal for booleans, subtract otherwise.
    x = in.binary(x.array->dtype() == DType::Bool ? Op::Ne : Op::Sub, hi, lo, span);
  }
  return x;
}

/// np.ediff1d(ary, to_end=None, to_begin=None): differences of the
/// flattened ary (ary[1:] - ary[:-1], so booleans raise like NumPy's
/// subtract), with to_begin / to_end (flattened, same_kind-castable to ary's
/// dtype) put before / after.
Value ediff1dValue(Interpreter& in, const std::vector<Value>& a, Span span) {
  Kwargs none;
  std::vector<Value> ravelArgs{toArrayValue(in, a[0], span)};
  Value x = in.callBuiltin("ravel", ravelArgs, none, span);
  const DType t = x.array->dtype();
  auto kindRank = [](DType d) { return d == DType::Bool ? 0 : isInteger(d) ? 1 : 2; };
  auto edge = [&](const Value& e, const char* name) {
    Value v = toArrayValue(in, e, span);
    if (kindRank(v.array->dtype()) > kindRank(t))
      raise(ErrorKind::Type, span,
            std::string("dtype of `") + name +
                "` must be compatible with input `ary` under the `same_kind` rule.");
    std::vector<Value> args{v};
    return in.astype(in.callBuiltin("ravel", args, none, span), t, span);
  };
  std::optional<Value> begin, end;
  if (a[2].kind != Value::Kind::None) begin = edge(a[2], "to_begin");
  if (a[1].kind != Value::Kind::None) end = edge(a[1], "to_end");
  Value d = in.binary(Op::Sub, sliceAlong(in, x, 0, 1, std::nullopt, span),
                      sliceAlong(in, x, 0, std::nullopt, -1, span), span);
  if (!begin && !end) return d;
  Value parts = Value::ofTuple({});
  if (begin) parts.items.push_back(*begin);
  parts.items.push_back(d);
  if (end) parts.items.push_back(*end);
  std::vector<Value> args{parts};
  return in.callBuiltin("concatenate", args, none, span);
}

/// np.trapz(y, x=None, dx=1.0, axis=-1), NumPy's expression:
/// (d * (y[1:] + y[:-1]) / 2.0).sum(axis), d = dx or diff(x) (a 1-d x
/// reshaped along axis).
Value trapzValue(Interpreter& in, const std::vector<Value>& a, Span span) {
  Kwargs none;
  Value y = toArrayValue(in, a[0], span);
  const int nd = int(y.array->shape().size());
  const int64_t axisIn = toInt(a[3], span);
  // NumPy's own message: its list of slices is indexed by axis.
  if (axisIn < -nd || axisIn >= nd)
    raise(ErrorKind::Index, span, "list assignment index out of range");
  const int axis = int(axisIn < 0 ? axisIn + nd : axisIn);
  Value d = a[2];
  if (a[1].kind != Value::Kind::None) {
    Value x = toArrayValue(in, a[1], span);
    if (x.array->shape().size() == 1) {
      std::vector<Value> args{x};
      d = in.callBuiltin("diff", args, none, span);
      Value shape = Value::ofTuple({});
      for (int k = 0; k < nd; ++k) shape.items.push_back(Value::ofInt(1));
      shape.items[size_t(axis)] = Value::ofInt(d.array->shape()[0]);
      std::vector<Value> rargs{d, shape};
      d = in.callBuiltin("reshape", rargs, none, span);
    } else {
      std::vector<Value> args{x};
      Kwargs kw{{"axis", Value::ofInt(axisIn)}};
      d = in.callBuiltin("diff", args, kw, span);
    }
  }
  Value mid = in.binary(Op::Add, sliceAlong(in, y, axis, 1, std::nullopt, span),
                        sliceAlong(in, y, axis, std::nullopt, -1, span), span);
  Value r = in.binary(Op::Div, in.binary(Op::Mul, d, mid, span), Value::ofFloat(2.0), span);
  std::vector<Value> args{r};
  Kwargs kw{{"axis", Value::ofInt(axis)}};
  return in.callBuiltin("sum", args, kw, span);
}

// ---- isclose, allclose, array_equal, array_equiv ----

/// numeric.isclose: |x - y| <= atol + rtol * |y| where both are finite,
/// x == y elsewhere, and NaN == NaN when equal_nan. y is made inexact first
/// (result_type(y, 1.)). Non-finite pairs are replaced by 0 before the
/// tolerance test so no invalid-value warning is raised (NumPy masks them).
Value iscloseValue(Interpreter& in, const std::vector<Value>& a, Span span) {
  Value x = toArrayValue(in, a[0], span);
  Value y = toArrayValue(in, a[1], span);
  const bool scalar = x.array->shape().empty() && y.array->shape().empty();
  const DType yt = y.array->dtype();
  if (!isFloat(yt)) y = in.astype(y, DType::Float64, span);
  Value fin =
      in.binary(Op::BitAnd, in.unary(Op::IsFinite, x, span), in.unary(Op::IsFinite, y, span), span);
  Value zero = Value::ofInt(0);
  Value xs = in.where(fin, x, in.astype(zero, x.array->dtype(), span), span);
  Value ys = in.where(fin, y, in.astype(zero, y.array->dtype(), span), span);
  Value lhs = in.unary(Op::Abs, in.binary(Op::Sub, xs, ys, span), span);
  Value rhs =
      in.binary(Op::Add, a[3], in.binary(Op::Mul, a[2], in.unary(Op::Abs, ys, span), span), span);
  Value within = in.binary(Op::Le, lhs, rhs, span);
  Value r = in.where(fin, within, in.binary(Op::Eq, x, y, span), span);
  if (flagArg(a[4]))
    r = in.binary(
        Op::BitOr, r,
        in.binary(Op::BitAnd, in.unary(Op::IsNan, x, span), in.unary(Op::IsNan, y, span), span),
        span);
  if (scalar) r.array->isScalar = true;
  return r;
}

bool allTrue(Interpreter& in, const Value& v, Span span) {
  Value all = in.reduce(Op::All, v, kNone, span);
  if (in.dryRun()) return true;
  return in.materialize(all.array, span).item().b;
}

Value arrayEqualValue(Interpreter& in, const std::string& fn, const std::vector<Value>& a,
                      Span span) {
  Value x = toArrayValue(in, a[0], span);
  Value y = toArrayValue(in, a[1], span);
  const Shape &xs = x.array->shape(), &ys = y.array->shape();
  if (fn == "array_equal") {
    if (xs != ys) return Value::ofBool(false);
  } else {
    try {
      broadcastShapes(xs, ys);
    } catch (const RuntimeError&) {
      return Value::ofBool(false);
    }
  }
  Value eq = in.binary(Op::Eq, x, y, span);
  if (fn == "array_equal" && flagArg(a[2])) {
    Value xn = in.unary(Op::IsNan, x, span), yn = in.unary(Op::IsNan, y, span);
    if (!allTrue(in, in.binary(Op::Eq, xn, yn, span), span)) return Value::ofBool(false);
    eq = in.binary(Op::BitOr, eq, xn, span);
  }
  return Value::ofBool(allTrue(in, eq, span));
}

/// NumPy's _replace_nan(a, fill) for a float array: np.array(a, copy=True)
/// (PyArray_NewLikeArray's K order, which puts broadcast axes innermost),
/// then the NaNs overwritten; the reduction that follows runs over that
/// copy's memory order. A C-contiguous array's copy is C-ordered, the order
/// a fused reduction of the lazy replacement takes, so it stays lazy.
Value replaceNan(Interpreter& in, const Value& x, double fill, Span span) {
  if (x.array->materialized() && x.array->data.isCContiguous())
    return in.where(in.unary(Op::IsNan, x, span), Value::ofFloat(fill), x, span);
  std::vector<Value> args{x};
  Kwargs none;
  Value copy = in.callBuiltin("copy", args, none, span);
  Array owned = in.materialize(copy.array, span);
  Value c = in.materializedValue(owned);
  in.assignInto(owned, in.where(in.unary(Op::IsNan, c, span), Value::ofFloat(fill), c, span), span);
  return in.materializedValue(owned);
}

// ---- nansum, nanmean, nanmax, nanmin, average ----

/// nanfunctions: NaNs replaced (0 for sums, -inf/+inf for max/min) and the
/// ordinary reduction taken; an all-NaN slice of nanmax/nanmin is NaN, and
/// nanmean divides by the count of numbers. Ints and bools have no NaN.
Value nanReduceValue(Interpreter& in, const std::string& fn, const std::vector<Value>& a,
                     Span span) {
  // a: a, axis, (dtype for nansum/nanmean), out, keepdims
  const bool hasDType = fn == "nansum" || fn == "nanmean";
  const Value& axis = a[1];
  const Value& out = a[hasDType ? 3 : 2];
  const bool keep = flagArg(a[hasDType ? 4 : 3]);
  if (out.kind != Value::Kind::None)
    raise(ErrorKind::Type, span, fn + "() does not support out= in ravel");
  Value x = toArrayValue(in, a[0], span);
  std::optional<DType> asked = hasDType ? toDType(a[2], span) : std::nullopt;
  const int nd = int(x.array->shape().size());
  std::vector<int> axes = reductionAxes(axis, nd, span);
  int64_t count = 1;
  for (int ax : axes) count *= x.array->shape()[size_t(ax)];
  const bool full = int(axes.size()) == nd;
  const bool floats = isFloat(x.array->dtype());
  Value mask = floats ? in.unary(Op::IsNan, x, span) : Value();
  Value r;
  if (fn == "nansum" || (fn == "nanmean" && !floats)) {
    Value v = floats ? replaceNan(in, x, 0.0, span) : x;
    if (fn == "nanmean") {
      r = in.mean(asked ? in.astype(v, *asked, span) : v, axis, span);
    } else {
      if (asked) v = in.astype(v, *asked, span);
      r = in.reduce(Op::Sum, v, axis, span);
    }
  } else if (fn == "nanmean") {
    Value v = replaceNan(in, x, 0.0, span);
    if (asked) v = in.astype(v, *asked, span);
    Value tot = in.reduce(Op::Sum, v, axis, span);
    Value cnt = in.reduce(Op::Sum, in.unary(Op::LogicalNot, mask, span), axis, span);
    // _divide_by_count: an intp count, so float32 divides in float64.
    const DType t = tot.array->dtype();
    r = in.binary(Op::Div, t == DType::Float32 ? in.astype(tot, DType::Float64, span) : tot, cnt,
                  span);
    if (t == DType::Float32) r = in.astype(r, DType::Float32, span);
  } else { // nanmax, nanmin: np.fmax.reduce / np.fmin.reduce
    const bool max = fn == "nanmax";
    if (count == 0)
      raise(ErrorKind::Value, span,
            std::string("zero-size array to reduction operation ") + (max ? "fmax" : "fmin") +
                " which has no identity");
    if (!floats) {
      r = in.reduce(max ? Op::Max : Op::Min, x, axis, span);
    } else {
      const double fill = max ? -INFINITY : INFINITY;
      Value m = in.reduce(max ? Op::Max : Op::Min, in.where(mask, Value::ofFloat(fill), x, span),
                          axis, span);
      Value allNan = in.reduce(Op::All, mask, axis, span);
      r = in.where(allNan, Value::ofFloat(NAN), m, span);
    }
  }
  if (keep) return ownedKeepDims(in, r, axes, nd, span);
  if (full) r.array->isScalar = true;
  return r;
}

/// nanvar / nanstd (nanfunctions.nanvar): for ints and bools, var/std;
/// for floats the NaNs are replaced by 0, the mean divides by the count of
/// numbers, deviations at NaNs are 0 and the sum of squares divides by
/// count - ddof, NaN where that is <= 0 (an all-NaN slice).
Value nanVarianceValue(Interpreter& in, const std::string& fn, const std::vector<Value>& a,
                       Span span) {
  // a: a, axis, dtype, out, ddof, keepdims
  Value x = toArrayValue(in, a[0], span);
  const DType xt = x.array->dtype();
  if (!isFloat(xt)) return varianceValue(in, fn == "nanstd" ? "std" : "var", a, span);
  if (a[3].kind != Value::Kind::None)
    raise(ErrorKind::Type, span, fn + "() does not support out= in ravel");
  const int nd = int(x.array->shape().size());
  std::vector<int> axes = reductionAxes(a[1], nd, span);
  const bool full = int(axes.size()) == nd;
  std::optional<DType> asked = toDType(a[2], span);
  const int64_t ddof = toInt(a[4], span);
  const bool keep = flagArg(a[5]);
  Value mask = in.unary(Op::IsNan, x, span);
  Value arr = replaceNan(in, x, 0.0, span);
  // _divide_by_count(a, b): true_divide in float64, cast back to a's dtype.
  auto divide = [&](const Value& num, const Value& count) {
    const DType t = num.array->dtype();
    Value q = in.binary(Op::Div, t == DType::Float64 ? num : in.astype(num, DType::Float64, span),
                        count, span);
    return t == DType::Float64 ? q : in.astype(q, t, span);
  };
  Value cnt = in.reduce(Op::Sum, in.unary(Op::LogicalNot, mask, span), a[1], span);
  Value avg = in.reduce(Op::Sum, asked ? in.astype(arr, *asked, span) : arr, a[1], span);
  avg = divide(avg, cnt);
  if (!full) avg = keepDims(in, avg, axes, nd, span);
  // np.subtract(arr, avg, out=arr, casting='unsafe'); arr[mask] = 0
  Value dev = in.binary(Op::Sub, arr, avg, span);
  if (dev.array->dtype() != xt) dev = in.astype(dev, xt, span);
  dev = in.where(mask, Value::ofFloat(0.0), dev, span);
  Value sq = in.binary(Op::Mul, dev, dev, span);
  Value var = in.reduce(Op::Sum, asked ? in.astype(sq, *asked, span) : sq, a[1], span);
  Value dof = in.binary(Op::Sub, cnt, Value::ofInt(ddof), span);
  var = divide(var, dof);
  var = in.where(in.binary(Op::Le, dof, Value::ofInt(0), span), Value::ofFloat(NAN), var, span);
  if (fn == "nanstd") var = in.unary(Op::Sqrt, var, span);
  if (keep) return ownedKeepDims(in, var, axes, nd, span);
  if (full) var.array->isScalar = true;
  return var;
}

/// A nan function that is NumPy's plain one on the input with its NaNs
/// replaced by `fill` (nanprod: prod with 1; nancumsum: cumsum with 0;
/// nancumprod: cumprod with 1); ints and bools have no NaN.
Value replacedNanCall(Interpreter& in, const std::string& plain, double fill,
                      std::vector<Value> args, const std::vector<const char*>& names, Span span) {
  Value x = toArrayValue(in, args[0], span);
  if (isFloat(x.array->dtype())) x = replaceNan(in, x, fill, span);
  std::vector<Value> pos{x};
  Kwargs kwargs;
  for (size_t i = 1; i < args.size(); ++i) {
    // prod(a, dtype=t) is the product of a cast to t (ravel's prod has no dtype=).
    if (plain == "prod" && std::string(names[i]) == "dtype") {
      if (std::optional<DType> t = toDType(args[i], span)) pos[0] = in.astype(x, *t, span);
      continue;
    }
    kwargs.push_back({names[i], args[i]});
  }
  return in.callBuiltin(plain, pos, kwargs, span);
}

/// np.average(a, axis=None, weights=None, returned=False, *, keepdims=False)
Value averageValue(Interpreter& in, const std::vector<Value>& a, Span span) {
  Value x = toArrayValue(in, a[0], span);
  const int nd = int(x.array->shape().size());
  std::vector<int> axes = reductionAxes(a[1], nd, span);
  const bool returned = flagArg(a[3]), keep = flagArg(a[4]);
  const bool full = int(axes.size()) == nd;
  auto finish = [&](Value v) {
    if (keep) return ownedKeepDims(in, v, axes, nd, span);
    if (full) v.array->isScalar = true;
    return v;
  };
  if (a[2].kind == Value::Kind::None) {
    Value avg = finish(in.mean(x, a[1], span));
    // NumPy computes scl = a.size / avg.size even when it is not returned.
    int64_t avgSize = 1;
    for (int64_t d : avg.array->shape()) avgSize *= d;
    if (avgSize == 0) raise(ErrorKind::Value, span, "division by zero"); // ZeroDivisionError
    if (!returned) return avg;
    // scl = avg.dtype.type(a.size / avg.size)
    int64_t count = 1;
    for (int ax : axes) count *= x.array->shape()[size_t(ax)];
    Value scl = in.astype(Value::ofFloat(double(count)), avg.array->dtype(), span);
    scl.array->isScalar = true;
    return Value::ofTuple({avg, scl});
  }
  Value w = toArrayValue(in, a[2], span);
  const DType xt = x.array->dtype(), wt = w.array->dtype();
  DType rt = promote(xt, wt);
  if (!isFloat(xt)) rt = promote(rt, DType::Float64);
  if (x.array->shape() != w.array->shape()) {
    if (a[1].kind == Value::Kind::None)
      raise(ErrorKind::Type, span, "Axis must be specified when shapes of a and weights differ.");
    if (w.array->shape().size() != 1)
      raise(ErrorKind::Type, span, "1D weights expected when shapes of a and weights differ.");
    if (axes.size() != 1 || w.array->shape()[0] != x.array->shape()[size_t(axes[0])])
      raise(ErrorKind::Value, span, "Length of weights not compatible with specified axis.");
    // The weights along `axis`, broadcast over the other axes.
    std::vector<Value> index;
    for (int d = 0; d < nd; ++d) {
      if (d == axes[0]) {
        Value all;
        all.kind = Value::Kind::Slice;
        all.items = {Value::none(), Value::none(), Value::none()};
        index.push_back(all);
      } else {
        index.push_back(Value::none());
      }
    }
    w = in.subscript(w, index, span);
  }
  Value wr = in.astype(w, rt, span);
  Value scl = in.reduce(Op::Sum, wr, a[1], span);
  Value zero = in.reduce(Op::Any, in.binary(Op::Eq, scl, Value::ofFloat(0.0), span), kNone, span);
  if (!in.dryRun() && in.materialize(zero.array, span).item().b)
    raise(ErrorKind::Value, span, // NumPy's ZeroDivisionError
          "Weights sum to zero, can't be normalized");
  Value prod = in.binary(Op::Mul, in.astype(x, rt, span), wr, span);
  Value avg = finish(in.binary(Op::Div, in.reduce(Op::Sum, prod, a[1], span), scl, span));
  if (!returned) return avg;
  // scl broadcast to avg's shape (1-d weights sum to one value per slice).
  Value sclOut = finish(scl);
  if (sclOut.array->shape() != avg.array->shape() && !in.dryRun()) {
    Value wide = in.where(Value::ofBool(true), sclOut, avg, span);
    sclOut = in.materializedValue(in.materialize(wide.array, span).copy());
  }
  return Value::ofTuple({avg, sclOut});
}

} // namespace

Value builtinArgExtreme(BuiltinCall& call) {
  return argExtremeValue(
      call.in, call.name,
      call.bind({{"a", {}}, {"axis", kNone}, {"out", kNone}, {"keepdims", Value::ofBool(false)}}),
      call.span);
}

Value builtinAccumulate(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"a", {}}, {"axis", kNone}, {"dtype", kNone}, {"out", kNone}});
  const Value out = outArgument(a[3], span);
  Value r = accumulateValue(in, call.name, a, span);
  if (out.kind == Value::Kind::None) return r;
  // NumPy's add.accumulate(..., out=out): the result, cast unsafely, in out.
  Array target = in.materialize(out.array, span);
  if (target.shape() != r.array->shape())
    raise(ErrorKind::Value, span,
          "operands could not be broadcast together with remapped shapes "
          "[original->remapped]: " +
              formatShapeCompact(target.shape()) + "->" + formatShapeCompact(target.shape()) + " " +
              formatShapeCompact(r.array->shape()) + "->" + formatShapeCompact(r.array->shape()) +
              " ");
  in.assignInto(target, r, span);
  return out;
}

Value builtinVariance(BuiltinCall& call) {
  return varianceValue(call.in, call.name,
                       call.bind({{"a", {}},
                                  {"axis", kNone},
                                  {"dtype", kNone},
                                  {"out", kNone},
                                  {"ddof", Value::ofInt(0)},
                                  {"keepdims", Value::ofBool(false)}}),
                       call.span);
}

Value builtinPtp(BuiltinCall& call) {
  return ptpValue(
      call.in,
      call.bind({{"a", {}}, {"axis", kNone}, {"out", kNone}, {"keepdims", Value::ofBool(false)}}),
      call.span);
}

Value builtinDiff(BuiltinCall& call) {
  return diffValue(call.in,
                   call.bind({{"a", {}},
                              {"n", Value::ofInt(1)},
                              {"axis", Value::ofInt(-1)},
                              {"prepend", kNone},
                              {"append", kNone}}),
                   call.span);
}

Value builtinEdiff1d(BuiltinCall& call) {
  return ediff1dValue(call.in, call.bind({{"ary", {}}, {"to_end", kNone}, {"to_begin", kNone}}),
                      call.span);
}

Value builtinTrapz(BuiltinCall& call) {
  return trapzValue(
      call.in,
      call.bind({{"y", {}}, {"x", kNone}, {"dx", Value::ofFloat(1.0)}, {"axis", Value::ofInt(-1)}}),
      call.span);
}

/// isclose and allclose share one signature.
Value builtinIsclose(BuiltinCall& call) {
  auto a = call.bind({{"a", {}},
                      {"b", {}},
                      {"rtol", Value::ofFloat(1e-05)},
                      {"atol", Value::ofFloat(1e-08)},
                      {"equal_nan", Value::ofBool(false)}});
  Value r = iscloseValue(call.in, a, call.span);
  if (call.name == "isclose") return r;
  return Value::ofBool(allTrue(call.in, r, call.span));
}

Value builtinArrayEqual(BuiltinCall& call) {
  return arrayEqualValue(call.in, call.name,
                         call.bind({{"a1", {}}, {"a2", {}}, {"equal_nan", Value::ofBool(false)}}),
                         call.span);
}

Value builtinArrayEquiv(BuiltinCall& call) {
  return arrayEqualValue(call.in, call.name, call.bind({{"a1", {}}, {"a2", {}}}), call.span);
}

/// nansum and nanmean (with dtype=).
Value builtinNanSum(BuiltinCall& call) {
  return nanReduceValue(call.in, call.name,
                        call.bind({{"a", {}},
                                   {"axis", kNone},
                                   {"dtype", kNone},
                                   {"out", kNone},
                                   {"keepdims", Value::ofBool(false)}}),
                        call.span);
}

/// nanmax and nanmin (no dtype=).
Value builtinNanExtreme(BuiltinCall& call) {
  return nanReduceValue(
      call.in, call.name,
      call.bind({{"a", {}}, {"axis", kNone}, {"out", kNone}, {"keepdims", Value::ofBool(false)}}),
      call.span);
}

Value builtinAverage(BuiltinCall& call) {
  return averageValue(call.in,
                      call.bind({{"a", {}},
                                 {"axis", kNone},
                                 {"weights", kNone},
                                 {"returned", Value::ofBool(false)},
                                 {"keepdims", Value::ofBool(false)}}),
                      call.span);
}

/// nanstd and nanvar.
Value builtinNanVariance(BuiltinCall& call) {
  return nanVarianceValue(call.in, call.name,
                          call.bind({{"a", {}},
                                     {"axis", kNone},
                                     {"dtype", kNone},
                                     {"out", kNone},
                                     {"ddof", Value::ofInt(0)},
                                     {"keepdims", Value::ofBool(false)}}),
                          call.span);
}

/// nanprod(a, axis=None, dtype=None, out=None, keepdims=False)
Value builtinNanProd(BuiltinCall& call) {
  auto a = call.bind({{"a", {}},
                      {"axis", kNone},
                      {"dtype", kNone},
                      {"out", kNone},
                      {"keepdims", Value::ofBool(false)}});
  return replacedNanCall(call.in, "prod", 1.0, a, {"a", "axis", "dtype", "out", "keepdims"},
                         call.span);
}

/// nancumsum and nancumprod(a, axis=None, dtype=None, out=None)
Value builtinNanAccumulate(BuiltinCall& call) {
  auto a = call.bind({{"a", {}}, {"axis", kNone}, {"dtype", kNone}, {"out", kNone}});
  const bool sum = call.name == "nancumsum";
  return replacedNanCall(call.in, sum ? "cumsum" : "cumprod", sum ? 0.0 : 1.0, a,
                         {"a", "axis", "dtype", "out"}, call.span);
}

/// nanargmax / nanargmin(a, axis=None, out=None, *, keepdims=False): NaNs
/// replaced by -inf / +inf; an all-NaN slice is NumPy's ValueError.
Value builtinNanArgExtreme(BuiltinCall& call) {
  Interpreter& in = call.in;
  auto a =
      call.bind({{"a", {}}, {"axis", kNone}, {"out", kNone}, {"keepdims", Value::ofBool(false)}});
  Value x = toArrayValue(in, a[0], call.span);
  const bool max = call.name == "nanargmax";
  if (isFloat(x.array->dtype())) {
    Value mask = in.unary(Op::IsNan, x, call.span);
    // np.all over an empty axis is True: an empty input is all-NaN too.
    Value allNan = in.reduce(Op::All, mask, a[1], call.span);
    Value any = in.reduce(Op::Any, allNan, kNone, call.span);
    if (!in.dryRun() && in.materialize(any.array, call.span).item().b)
      raise(ErrorKind::Value, call.span, "All-NaN slice encountered");
    x = in.where(mask, Value::ofFloat(max ? -INFINITY : INFINITY), x, call.span);
  }
  return argExtremeValue(in, max ? "argmax" : "argmin", {x, a[1], a[2], a[3]}, call.span);
}

/// keepDims for a result: a new array owning its memory (NumPy's keepdims
/// results are not views), computed now.
Value ownedKeepDims(Interpreter& in, const Value& r, const std::vector<int>& axes, int ndim,
                    Span span, const Value* reduced) {
  Value v = keepDims(in, r, axes, ndim, span);
  Array m = in.materialize(v.array, span);
  if (in.dryRun()) return v;
  if (!reduced || !reduced->isArray() || axes.empty() || int(axes.size()) == ndim)
    return in.materializedValue(m.copy());
  // The kept axes keep the order the reduction gave them; each reduced axis
  // goes before the first kept axis that is slower in the reduced value's
  // order (NumPy's iterator order over its operand's strides, or over the
  // strides of a lazy value's inputs).
  std::vector<Strides> operands;
  const graph::NodeRef source = in.nodeOf(*reduced, span);
  graph::forEachNode({source.get()}, [&](const graph::Node* x) {
    if (x->op == graph::Op::Input && x->input.valid() && x->input.ndim() <= ndim)
      operands.push_back(x->input.broadcastTo(source->shape).strides());
    // Below a product or a reduction the shapes are its operands', not ours.
    return !graph::isLaunchLeaf(x->op);
  });
  const std::vector<int> inputOrder = axisOrderFastestFirst(operands, ndim);
  Strides keptStrides;
  std::vector<int> keptAxes;
  for (int d = 0; d < ndim; ++d)
    if (std::find(axes.begin(), axes.end(), d) == axes.end()) {
      keptAxes.push_back(d);
      keptStrides.push_back(m.strides()[size_t(d)]);
    }
  std::vector<int> order; // fastest first, over all ndim axes
  for (int k : axisOrderFastestFirst({keptStrides}, int(keptAxes.size())))
    order.push_back(keptAxes[size_t(k)]);
  auto rank = [&](int d) { return std::find(inputOrder.begin(), inputOrder.end(), d); };
  for (int d : axes) {
    auto at = std::find_if(order.begin(), order.end(), [&](int k) { return rank(k) > rank(d); });
    order.insert(at, d);
  }
  Array owned = Array::emptyInAxisOrder(m.shape(), m.dtype(), order);
  owned.assign(m);
  return in.materializedValue(owned);
}

} // namespace ravel::exec
