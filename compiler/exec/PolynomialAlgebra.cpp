// Polynomial arithmetic on coefficient arrays (highest power first): polyder,
// polyint, polyadd, polysub, polymul, polydiv, poly and roots, as NumPy
// 1.24's numpy/lib/polynomial.py computes them, statement for statement over
// the interpreter's operations, so dtypes, rounding, warnings and error
// messages are NumPy's:
//
//   polyder   y = p[:-1] * arange(n, 0, -1), m times (NumPy's recursion also
//             computes one unused y at its last level: its errors still count)
//   polyint   y = concatenate((p / arange(len(p), 0, -1), [k[i]])), m times
//   polyadd   the shorter operand zero-padded in front (in its own dtype),
//   polysub   then one + or -
//   polymul   convolve of both operands as poly1d makes them (leading zeros
//             trimmed, an all-zero operand becomes [0])
//   polydiv   NumPy's long division loop on u + 0.0 and v + 0.0 with
//             scale = 1. / v[0], then leading remainder terms with
//             |r[0]| <= 1e-8 dropped (allclose(r[0], 0, rtol=1e-14))
//   poly      convolve([1], [1, -z]) for each zero z in order; a square
//             matrix's zeros are its eigenvalues (linalg.eigvals)
//   roots     leading and trailing zeros stripped, eigvals of the companion
//             matrix, then one 0 root per trailing zero
//
// ravel has no complex dtype: poly of a matrix and roots need every
// eigenvalue real, and otherwise raise a TypeError that says so. polydiv
// takes 1-d coefficients only (NumPy fails on 2-d ones too, except when the
// division loop does not run).
#include "compiler/exec/Args.h"
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"
#include "runtime/Cast.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace ravel::exec {
using graph::Op;

namespace {

/// Python's int(m) for an order argument: ints and bools as they are,
/// floats truncated toward zero.
int64_t orderArg(const Value& m, Span span) {
  if (m.kind == Value::Kind::None)
    raise(ErrorKind::Type, span,
          "int() argument must be a string, a bytes-like object or a real number, not 'NoneType'");
  if (m.kind != Value::Kind::Float) return toInt(m, span);
  if (std::isnan(m.f)) raise(ErrorKind::Value, span, "cannot convert float NaN to integer");
  if (!(std::abs(m.f) < 9.2e18))
    raise(ErrorKind::Value, span, "cannot convert float infinity to integer");
  return int64_t(std::trunc(m.f));
}

/// Python's len(a) of an array.
int64_t lengthOf(const Value& a, Span span) {
  if (a.array->shape().empty()) raise(ErrorKind::Type, span, "len() of unsized object");
  return a.array->shape()[0];
}

Value atleast1d(Interpreter& in, const Value& v, Span span) {
  return callNamed(in, "atleast_1d", {v}, {}, span);
}

/// arange(start, stop, step) of Python ints (int64).
Value intRange(Interpreter& in, int64_t start, int64_t stop, int64_t step, Span span) {
  return callNamed(in, "arange", {Value::ofInt(start), Value::ofInt(stop), Value::ofInt(step)}, {},
                   span);
}

Value concatenate2(Interpreter& in, const Value& a, const Value& b, Span span) {
  return callNamed(in, "concatenate", {Value::ofTuple({a, b})}, {}, span);
}

/// poly and roots dispatch through __array_function__, whose dispatcher
/// returns the argument itself: a scalar or 0-d array is not iterable.
void requireIterable(const Value& v, Span span) {
  if (v.isPyScalar() || (v.isArray() && v.array->shape().empty()))
    raise(ErrorKind::Type, span, "dispatcher for __array_function__ did not return an iterable");
}

/// linalg.eigvals(a), with the complex-eigenvalue refusal reworded for the
/// caller (`what` says whose results would be complex).
Value realEigvals(Interpreter& in, const Value& a, const std::string& what, Span span) {
  try {
    return callNamed(in, "linalg.eigvals", {a}, {}, span);
  } catch (const RavelError& e) {
    const Diagnostic& d = e.diagnostic();
    if (d.kind != ErrorKind::Type || d.message.find("complex") == std::string::npos) throw;
    raise(ErrorKind::Type, span, what + " complex, and ravel has no complex dtype yet");
  }
}

/// `target[index] = value` for a basic index of a materialized array.
void setBasic(Interpreter& in, const Value& target, const std::vector<Value>& index,
              const Value& value, Span span) {
  Array base = in.materialize(target.array, span);
  in.assignInto(in.indexView(base, index, span, nullptr), value, span);
}

/// poly1d(a).coeffs: at least 1-d, only 1-d, leading zeros trimmed, [0] (in
/// a's dtype) when nothing is left.
Value poly1dCoeffs(Interpreter& in, const Value& v, Span span) {
  Value a = atleast1d(in, v, span);
  if (a.array->shape().size() > 1) raise(ErrorKind::Value, span, "Polynomial must be 1d only.");
  a = callNamed(in, "trim_zeros", {a, Value::ofStr("f")}, {}, span);
  if (a.array->shape()[0] == 0) return in.materializedValue(Array::zeros({1}, a.array->dtype()));
  return a;
}

/// polyadd (Add) and polysub (Sub): the shorter operand padded in front
/// with zeros of its own dtype.
Value addOrSubtract(BuiltinCall& call, Op op) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"a1", {}}, {"a2", {}}});
  Value a1 = atleast1d(in, a[0], span), a2 = atleast1d(in, a[1], span);
  const int64_t diff = lengthOf(a2, span) - lengthOf(a1, span);
  auto padded = [&](const Value& x, int64_t count) {
    return concatenate2(in, in.materializedValue(Array::zeros({count}, x.array->dtype())), x, span);
  };
  if (diff > 0) a1 = padded(a1, diff);
  if (diff < 0) a2 = padded(a2, -diff);
  return in.binary(op, a1, a2, span);
}

} // namespace

/// polyder(p, m=1).
Value builtinPolyder(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"p", {}}, {"m", Value::ofInt(1)}});
  const int64_t m = orderArg(a[1], span);
  if (m < 0) raise(ErrorKind::Value, span, "Order of derivative must be positive (see polyint)");
  Value p = toArrayValue(in, a[0], span);
  for (int64_t level = m;; --level) {
    const int64_t n = lengthOf(p, span) - 1;
    Value y = in.binary(Op::Mul, in.subscript(p, {sliceValue(std::nullopt, -1)}, span),
                        intRange(in, n, 0, -1, span), span);
    if (level == 0) return p;
    // Once p is empty, every further y has its shape and dtype: stop here
    // rather than loop m times (NumPy would recurse).
    if (n < 0) return y;
    p = y;
  }
}

/// polyint(p, m=1, k=None).
Value builtinPolyint(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"p", {}}, {"m", Value::ofInt(1)}, {"k", kNone}});
  const int64_t m = orderArg(a[1], span);
  if (m < 0) raise(ErrorKind::Value, span, "Order of integral must be positive (see polyder)");
  Value k = a[2].kind == Value::Kind::None ? in.materializedValue(Array::zeros({m}, DType::Float64))
                                           : atleast1d(in, a[2], span);
  if (lengthOf(k, span) == 1 && m > 1)
    k = in.binary(Op::Mul, in.subscript(k, {Value::ofInt(0)}, span),
                  in.materializedValue(Array::ones({m}, DType::Float64)), span);
  if (lengthOf(k, span) < m)
    raise(ErrorKind::Value, span, "k must be a scalar or a rank-1 array of length 1 or >m.");
  Value p = toArrayValue(in, a[0], span);
  // NumPy recurses with k[1:]: level i's constant is k[i], appended as [k[i]].
  for (int64_t i = 0; i < m; ++i) {
    const Value scaled = in.binary(Op::Div, p, intRange(in, lengthOf(p, span), 0, -1, span), span);
    p = concatenate2(in, scaled, in.subscript(k, {Value::ofInt(i), Value::none()}, span), span);
  }
  return p;
}

Value builtinPolyadd(BuiltinCall& call) {
  return addOrSubtract(call, Op::Add);
}

Value builtinPolysub(BuiltinCall& call) {
  return addOrSubtract(call, Op::Sub);
}

/// polymul(a1, a2): convolve(poly1d(a1), poly1d(a2)).
Value builtinPolymul(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"a1", {}}, {"a2", {}}});
  Value a1 = poly1dCoeffs(in, a[0], span), a2 = poly1dCoeffs(in, a[1], span);
  return callNamed(in, "convolve", {a1, a2}, {}, span);
}

/// polydiv(u, v) -> (q, r).
Value builtinPolydiv(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"u", {}}, {"v", {}}});
  // u + 0.0 and v + 0.0 are NumPy's new arrays: materialized, so u[0] and
  // v[0] are known scalars and `1. / v[0]` is NumPy's scalar math (its
  // "scalar divide" warning).
  auto plusZero = [&](const Value& x) {
    const Value sum = in.binary(Op::Add, atleast1d(in, x, span), Value::ofFloat(0.0), span);
    return in.materializedValue(in.materialize(sum.array, span));
  };
  const Value u = plusZero(a[0]), v = plusZero(a[1]);
  // w = u[0] + v[0] (IndexError for an empty operand): two NumPy scalars,
  // so their common dtype.
  in.subscript(u, {Value::ofInt(0)}, span);
  const Value v0 = in.subscript(v, {Value::ofInt(0)}, span);
  if (u.array->shape().size() > 1 || v.array->shape().size() > 1)
    raise(ErrorKind::Value, span, "setting an array element with a sequence.");
  const DType w = promote(u.array->dtype(), v.array->dtype());
  const int64_t m = lengthOf(u, span) - 1, n = lengthOf(v, span) - 1;
  // A Python float over a NumPy scalar: v's dtype, and NumPy's divide warning.
  const Value scale = in.binary(Op::Div, Value::ofFloat(1.0), v0, span);
  const Value q = in.materializedValue(Array::zeros({std::max<int64_t>(m - n + 1, 1)}, w));
  Value r = in.materializedValue(in.materialize(in.astype(u, w, span).array, span).copy());
  for (int64_t k = 0; k < m - n + 1; ++k) {
    // d is computed before r changes: materialize it so it cannot read the
    // updated r[k] later.
    const Value prod = in.binary(Op::Mul, scale, in.subscript(r, {Value::ofInt(k)}, span), span);
    const Value d = in.materializedValue(in.materialize(prod.array, span), true);
    setBasic(in, q, {Value::ofInt(k)}, d, span);
    const std::vector<Value> window{sliceValue(k, k + n + 1)};
    setBasic(
        in, r, window,
        in.binary(Op::Sub, in.subscript(r, window, span), in.binary(Op::Mul, d, v, span), span),
        span);
  }
  // while allclose(r[0], 0, rtol=1e-14) and r.shape[-1] > 1: r = r[1:]
  // (|r[0] - 0| <= 1e-8 + 1e-14 * 0 in float64; nan and inf never pass).
  const std::vector<double> rv = flatValues<double>(argValues(in, r, span), DType::Float64);
  size_t first = 0;
  while (first + 1 < rv.size() && std::abs(rv[first]) <= 1e-8) ++first;
  if (first > 0) r = in.subscript(r, {sliceValue(int64_t(first), std::nullopt)}, span);
  return Value::ofTuple({q, r});
}

/// poly(seq_of_zeros).
Value builtinPoly(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"seq_of_zeros", {}}});
  requireIterable(a[0], span);
  Value zeros = atleast1d(in, a[0], span);
  const Shape sh = zeros.array->shape();
  if (sh.size() == 2 && sh[0] == sh[1] && sh[0] != 0) {
    zeros = realEigvals(in, zeros, "poly: the matrix's eigenvalues are", span);
  } else if (sh.size() == 1) {
    // astype(mintypecode(dt.char)): float32 stays, everything else is float64.
    const DType t = zeros.array->dtype() == DType::Float32 ? DType::Float32 : DType::Float64;
    zeros = in.astype(zeros, t, span);
  } else {
    raise(ErrorKind::Value, span, "input must be 1d or non-empty square 2d array.");
  }
  if (zeros.array->shape()[0] == 0) return Value::ofFloat(1.0);
  const DType t = zeros.array->dtype();
  const std::vector<double> z = flatValues<double>(argValues(in, zeros, span), DType::Float64);
  Value coeffs = in.materializedValue(Array::ones({1}, t));
  for (double zi : z) {
    // array([1, -zero], dtype=dt): -zero is exact in dt (float32 values
    // round-trip through double unchanged).
    Array factor = Array::empty({2}, t);
    detail::writeScalar(factor.data(), t, Scalar::ofFloat(1.0, t));
    detail::writeScalar(factor.data() + factor.itemsize(), t, Scalar::ofFloat(-zi, t));
    coeffs = callNamed(in, "convolve", {coeffs, in.materializedValue(factor)}, {}, span);
  }
  return coeffs;
}

/// roots(p).
Value builtinRoots(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"p", {}}});
  requireIterable(a[0], span);
  Value p = atleast1d(in, a[0], span);
  if (p.array->shape().size() != 1) raise(ErrorKind::Value, span, "Input must be a rank-1 array.");
  const std::vector<double> pv = flatValues<double>(argValues(in, p, span), DType::Float64);
  std::optional<int64_t> first, last;
  for (int64_t i = 0; i < int64_t(pv.size()); ++i)
    if (pv[size_t(i)] != 0.0) {
      if (!first) first = i;
      last = i;
    }
  if (!first) return in.materializedValue(Array::empty({0}, DType::Float64));
  const int64_t trailing = int64_t(pv.size()) - *last - 1;
  p = in.subscript(p, {sliceValue(*first, *last + 1)}, span);
  const DType pt = p.array->dtype();
  if (pt != DType::Float32 && pt != DType::Float64) p = in.astype(p, DType::Float64, span);
  const int64_t n = *last + 1 - *first;
  Value roots = in.materializedValue(Array::empty({0}, DType::Float64));
  if (n > 1) {
    // The companion matrix: ones below the diagonal, -p[1:] / p[0] on top.
    Value companion = callNamed(
        in, "diag",
        {in.materializedValue(Array::ones({n - 2}, p.array->dtype())), Value::ofInt(-1)}, {}, span);
    companion = in.materializedValue(in.materialize(companion.array, span));
    const Value top = in.binary(
        Op::Div, in.unary(Op::Neg, in.subscript(p, {sliceValue(1, std::nullopt)}, span), span),
        in.subscript(p, {Value::ofInt(0)}, span), span);
    setBasic(in, companion, {Value::ofInt(0), sliceValue(std::nullopt, std::nullopt)}, top, span);
    roots = realEigvals(in, companion, "roots: the polynomial's roots are", span);
  }
  const Value zeroRoots = in.materializedValue(Array::zeros({trailing}, roots.array->dtype()));
  return callNamed(in, "hstack", {Value::ofTuple({roots, zeroRoots})}, {}, span);
}

} // namespace ravel::exec
