// convolve, correlate and cross.
//
// convolve and correlate follow NumPy 1.24's C routine _pyarray_correlate:
// with n1 >= n2 (correlate swaps a longer v in and reverses the result;
// convolve swaps before reversing v), output k is the dot product of v with
// the window of a starting at k - n_left, where 'valid' has no overhang,
// 'same' n2/2 on the left, 'full' n2-1 on each side. Each dot product adds
// in order in the result dtype (bool: or of ands, ints wrap), an eager loop
// over the materialized inputs.
//
// cross is NumPy's numeric.cross step by step over graph ops: the working
// axes moved last, both cast to promote_types(a, b), each component a
// product difference (so booleans raise NumPy's subtract/negative errors),
// then stacked and moved to axisc. It stays lazy.
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"

#include <algorithm>
#include <cctype>

namespace ravel::exec {
using graph::Op;

namespace {

enum class Mode { Valid, Same, Full };

/// NumPy's PyArray_CorrelatemodeConverter: a string by its first letter
/// (any case), or 0, 1, 2.
Mode modeArg(const Value& m, Span span) {
  if (m.kind == Value::Kind::Str) {
    const char c =
        m.name.empty() ? '\0' : char(std::tolower(static_cast<unsigned char>(m.name[0])));
    if (c == 'v') return Mode::Valid;
    if (c == 's') return Mode::Same;
    if (c == 'f') return Mode::Full;
    raise(ErrorKind::Value, span,
          "mode must be one of 'valid', 'same', or 'full' (got '" + m.name + "')");
  }
  if (m.kind == Value::Kind::Int || m.kind == Value::Kind::Bool) {
    const int64_t i = m.kind == Value::Kind::Bool ? int64_t(m.b) : m.i;
    if (i < 0 || i > 2)
      raise(ErrorKind::Value, span, "integer convolve/correlate mode must be 0, 1, or 2");
    return Mode(i);
  }
  raise(ErrorKind::Type, span, "convolve/correlate mode not understood");
}

/// One dot product per output, as _pyarray_correlate's three loops do.
template <class T, class Acc, bool Logical = false>
Array correlateLoop(const Array& a1, const Array& a2, DType t, Mode mode, bool reverse) {
  std::vector<T> x = flatValues<T>(a1, t), v = flatValues<T>(a2, t);
  const int64_t n1 = int64_t(x.size()), n2 = int64_t(v.size());
  int64_t left = 0, length = n1 - n2 + 1;
  if (mode == Mode::Same) {
    left = n2 / 2;
    length = n1;
  } else if (mode == Mode::Full) {
    left = n2 - 1;
    length = n1 + n2 - 1;
  }
  std::vector<T> out(static_cast<size_t>(length));
  for (int64_t k = 0; k < length; ++k) {
    Acc acc{};
    const int64_t start = k - left; // a's index under v[0]
    for (int64_t j = std::max<int64_t>(0, -start); j < n2 && start + j < n1; ++j) {
      if constexpr (Logical)
        acc = acc || (x[size_t(start + j)] && v[size_t(j)]);
      else
        acc = Acc(acc + Acc(x[size_t(start + j)]) * Acc(v[size_t(j)]));
    }
    out[size_t(reverse ? length - 1 - k : k)] = T(acc);
  }
  Array r = Array::empty({length}, t);
  std::copy(out.begin(), out.end(), reinterpret_cast<T*>(r.data()));
  return r;
}

/// multiarray.correlate on 1-d arrays (checked as NumPy's converter does).
Value correlate1d(Interpreter& in, const Value& aIn, const Value& vIn, Mode mode, bool swapReverse,
                  Span span) {
  Value a = toArrayValue(in, aIn, span), v = toArrayValue(in, vIn, span);
  for (const Value* x : {&a, &v}) {
    const size_t nd = x->array->shape().size();
    if (nd < 1) raise(ErrorKind::Value, span, "object of too small depth for desired array");
    if (nd > 1) raise(ErrorKind::Value, span, "object too deep for desired array");
  }
  const DType t = promote(a.array->dtype(), v.array->dtype());
  Array x = argValues(in, a, span), y = argValues(in, v, span);
  if (x.shape()[0] == 0) raise(ErrorKind::Value, span, "first array argument cannot be empty");
  if (y.shape()[0] == 0) raise(ErrorKind::Value, span, "second array argument cannot be empty");
  bool reverse = false;
  if (x.shape()[0] < y.shape()[0]) {
    std::swap(x, y);
    reverse = swapReverse;
  }
  switch (t) {
    case DType::Bool:
      return in.materializedValue(correlateLoop<uint8_t, bool, true>(x, y, t, mode, reverse));
    case DType::Int32:
      return in.materializedValue(correlateLoop<int32_t, uint32_t>(x, y, t, mode, reverse));
    case DType::Int64:
      return in.materializedValue(correlateLoop<int64_t, uint64_t>(x, y, t, mode, reverse));
    case DType::Float32:
      return in.materializedValue(correlateLoop<float, float>(x, y, t, mode, reverse));
    default:
      return in.materializedValue(correlateLoop<double, double>(x, y, t, mode, reverse));
  }
}

/// normalize_axis_index with NumPy's msg_prefix ("axisa: axis 2 is out of ...").
int prefixedAxis(const Value& axis, int ndim, const char* prefix, Span span) {
  const int64_t i = toInt(axis, span);
  if (i < -ndim || i >= ndim)
    raise(ErrorKind::Index, span,
          std::string(prefix) + ": axis " + std::to_string(i) +
              " is out of bounds for array of dimension " + std::to_string(ndim));
  return int(i < 0 ? i + ndim : i);
}

Value component(Interpreter& in, const Value& v, int64_t i, Span span) {
  Value ellipsis;
  ellipsis.kind = Value::Kind::Ellipsis;
  return in.subscript(v, {ellipsis, Value::ofInt(i)}, span);
}

} // namespace

Value builtinCorrelate(BuiltinCall& call) {
  auto a = call.bind({{"a", {}}, {"v", {}}, {"mode", Value::ofStr("valid")}});
  const Mode mode = modeArg(a[2], call.span);
  return correlate1d(call.in, a[0], a[1], mode, true, call.span);
}

/// convolve(a, v, mode='full'): array(., ndmin=1) both, the longer first,
/// then correlate with v reversed.
Value builtinConvolve(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto args = call.bind({{"a", {}}, {"v", {}}, {"mode", Value::ofStr("full")}});
  Kwargs ndmin{{"ndmin", Value::ofInt(1)}, {"copy", Value::ofBool(false)}};
  Value a = callNamed(in, "array", {args[0]}, ndmin, span);
  Value v = callNamed(in, "array", {args[1]}, ndmin, span);
  if (v.array->shape()[0] > a.array->shape()[0]) std::swap(a, v);
  if (a.array->shape()[0] == 0) raise(ErrorKind::Value, span, "a cannot be empty");
  if (v.array->shape()[0] == 0) raise(ErrorKind::Value, span, "v cannot be empty");
  const Mode mode = modeArg(args[2], span);
  Value step;
  step.kind = Value::Kind::Slice;
  step.items = {Value::none(), Value::none(), Value::ofInt(-1)};
  if (v.array->shape().size() == 1) v = in.subscript(v, {step}, span);
  return correlate1d(in, a, v, mode, false, span);
}

/// cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None)
Value builtinCross(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto args = call.bind({{"a", {}},
                         {"b", {}},
                         {"axisa", Value::ofInt(-1)},
                         {"axisb", Value::ofInt(-1)},
                         {"axisc", Value::ofInt(-1)},
                         {"axis", kNone}});
  Value axisa = args[2], axisb = args[3], axisc = args[4];
  if (args[5].kind != Value::Kind::None) axisa = axisb = axisc = args[5];
  Value a = toArrayValue(in, args[0], span), b = toArrayValue(in, args[1], span);
  const int aa = prefixedAxis(axisa, int(a.array->shape().size()), "axisa", span);
  const int ab = prefixedAxis(axisb, int(b.array->shape().size()), "axisb", span);
  a = callNamed(in, "moveaxis", {a, Value::ofInt(aa), Value::ofInt(-1)}, {}, span);
  b = callNamed(in, "moveaxis", {b, Value::ofInt(ab), Value::ofInt(-1)}, {}, span);
  const int64_t na = a.array->shape().back(), nb = b.array->shape().back();
  if ((na != 2 && na != 3) || (nb != 2 && nb != 3))
    raise(ErrorKind::Value, span,
          "incompatible dimensions for cross product\n(dimension must be 2 or 3)");
  // shape = broadcast(a[..., 0], b[..., 0]).shape, with broadcast's message.
  Shape sa(a.array->shape().begin(), a.array->shape().end() - 1);
  Shape sb(b.array->shape().begin(), b.array->shape().end() - 1);
  Shape shape(std::max(sa.size(), sb.size()), 1);
  for (size_t k = 0; k < shape.size(); ++k) {
    const int64_t da = k < shape.size() - sa.size() ? 1 : sa[k - (shape.size() - sa.size())];
    const int64_t db = k < shape.size() - sb.size() ? 1 : sb[k - (shape.size() - sb.size())];
    if (da != db && da != 1 && db != 1)
      raise(ErrorKind::Value, span,
            "shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is between "
            "arg 0 with shape " +
                formatShape(sa) + " and arg 1 with shape " + formatShape(sb) + ".");
    shape[k] = da == 1 ? db : da;
  }
  int ac = 0;
  if (na == 3 || nb == 3) ac = prefixedAxis(axisc, int(shape.size()) + 1, "axisc", span);
  const DType t = promote(a.array->dtype(), b.array->dtype());
  a = in.astype(a, t, span);
  b = in.astype(b, t, span);
  auto mul = [&](const Value& x, const Value& y) { return in.binary(Op::Mul, x, y, span); };
  auto sub = [&](const Value& x, const Value& y) { return in.binary(Op::Sub, x, y, span); };
  const Value a0 = component(in, a, 0, span), a1 = component(in, a, 1, span);
  const Value b0 = component(in, b, 0, span), b1 = component(in, b, 1, span);
  if (na == 2 && nb == 2) return sub(mul(a0, b1), mul(a1, b0));
  Value c0, c1, c2;
  if (na == 2) { // b has 3 components; a2 = 0
    const Value b2 = component(in, b, 2, span);
    c0 = mul(a1, b2);
    c1 = in.unary(Op::Neg, mul(a0, b2), span);
    c2 = sub(mul(a0, b1), mul(a1, b0));
  } else if (nb == 3) {
    const Value a2 = component(in, a, 2, span), b2 = component(in, b, 2, span);
    c0 = sub(mul(a1, b2), mul(a2, b1));
    c1 = sub(mul(a2, b0), mul(a0, b2));
    c2 = sub(mul(a0, b1), mul(a1, b0));
  } else { // b has 2 components; b2 = 0
    const Value a2 = component(in, a, 2, span);
    c0 = in.unary(Op::Neg, mul(a2, b1), span);
    c1 = mul(a2, b0);
    c2 = sub(mul(a0, b1), mul(a1, b0));
  }
  // Components broadcast to the common shape before stacking (cp is empty(shape)).
  Value shapeTuple = Value::ofTuple({});
  for (int64_t d : shape) shapeTuple.items.push_back(Value::ofInt(d));
  Value parts = Value::ofTuple({});
  for (const Value& c : {c0, c1, c2})
    parts.items.push_back(callNamed(in, "broadcast_to", {c, shapeTuple}, {}, span));
  Value cp = callNamed(in, "stack", {parts}, {{"axis", Value::ofInt(-1)}}, span);
  return callNamed(in, "moveaxis", {cp, Value::ofInt(-1), Value::ofInt(ac)}, {}, span);
}

} // namespace ravel::exec
