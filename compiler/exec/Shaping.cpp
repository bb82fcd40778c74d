// Shaping functions that rearrange an array's elements: rot90 (a view:
// flips and a transpose, as NumPy builds it) and take_along_axis (NumPy's
// fancy index with aranges on the other axes, so bounds errors and
// broadcasting are fancy indexing's own).
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"

#include "runtime/Creation.h"

#include <cctype>
#include <cstring>
#include <numeric>

namespace ravel::exec {
namespace {

std::string nameOf(const Value& v) {
  return v.array->name.empty() ? std::string("the array") : v.array->name;
}

/// m[..., ::-1, ...] along `axis` (already normalised).
Array flipAxis(const Array& m, int axis) {
  const int64_t n = m.shape()[size_t(axis)];
  return m.sliceAxis(axis, n - 1, -1, n);
}

} // namespace

Value builtinRot90(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"m", {}},
                      {"k", Value::ofInt(1)},
                      {"axes", Value::ofTuple({Value::ofInt(0), Value::ofInt(1)})}});
  if (a[2].kind != Value::Kind::Tuple && a[2].kind != Value::Kind::List)
    raise(ErrorKind::Type, span, std::string("'") + typeName(a[2]) + "' object is not iterable");
  if (a[2].items.size() != 2) raise(ErrorKind::Value, span, "len(axes) must be 2.");
  Value self = toArrayValue(in, a[0], span);
  Array m = in.materialize(self.array, span);
  const int64_t nd = m.ndim();
  int64_t ax0 = toInt(a[2].items[0], span), ax1 = toInt(a[2].items[1], span);
  if (ax0 == ax1 || std::abs(ax0 - ax1) == nd)
    raise(ErrorKind::Value, span, "Axes must be different.");
  if (ax0 >= nd || ax0 < -nd || ax1 >= nd || ax1 < -nd)
    raise(ErrorKind::Value, span,
          "Axes=(" + std::to_string(ax0) + ", " + std::to_string(ax1) +
              ") out of range for array of ndim=" + std::to_string(nd) + ".");
  int64_t k = toInt(a[1], span) % 4;
  if (k < 0) k += 4;
  const int i0 = int(ax0 < 0 ? ax0 + nd : ax0), i1 = int(ax1 < 0 ? ax1 + nd : ax1);
  std::vector<int> perm(static_cast<size_t>(nd));
  std::iota(perm.begin(), perm.end(), 0);
  std::swap(perm[size_t(i0)], perm[size_t(i1)]);
  Array r = m;
  if (k == 0)
    r = m.view(m.shape(), m.strides(), m.offset());
  else if (k == 2)
    r = flipAxis(flipAxis(m, i0), i1);
  else if (k == 1)
    r = flipAxis(m, i1).transpose(perm);
  else
    r = flipAxis(m.transpose(perm), i1);
  in.note(span, "rot90(" + nameOf(self) + ") is a view: strides flipped and swapped, no copy");
  return in.viewValue(self.array, r);
}

namespace {

/// NumPy's _make_along_axis_idx for arr and indices (checked like NumPy),
/// with arr flattened for axis=None.
std::vector<Value> alongAxisIndex(Interpreter& in, Value& arr, const Value& indices,
                                  const Value& axisValue, Span span) {
  Value idx = toArrayValue(in, indices, span);
  int axis = 0;
  if (axisValue.kind == Value::Kind::None) {
    std::vector<Value> shape{Value::ofInt(-1)};
    std::vector<Value> margs{arr, Value::ofTuple(shape)};
    Kwargs none;
    arr = in.callBuiltin(".reshape", margs, none, span);
  } else {
    axis = axisArg(axisValue, int(arr.array->shape().size()), span);
  }
  if (!isInteger(idx.array->dtype()))
    raise(ErrorKind::Index, span, "`indices` must be an integer array");
  const Shape& shape = arr.array->shape();
  const int nd = int(shape.size());
  if (int(idx.array->shape().size()) != nd)
    raise(ErrorKind::Value, span, "`indices` and `arr` must have the same number of dimensions");
  std::vector<Value> index;
  for (int d = 0; d < nd; ++d) {
    if (d == axis) {
      index.push_back(idx);
      continue;
    }
    Shape s(size_t(nd), 1);
    s[size_t(d)] = shape[size_t(d)];
    index.push_back(in.materializedValue(arangeInt(0, shape[size_t(d)]).reshape(s)));
  }
  return index;
}

} // namespace

Value builtinTakeAlongAxis(BuiltinCall& call) {
  Interpreter& in = call.in;
  auto a = call.bind({{"arr", {}}, {"indices", {}}, {"axis", {}}});
  Value arr = toArrayValue(in, a[0], call.span);
  std::vector<Value> index = alongAxisIndex(in, arr, a[1], a[2], call.span);
  return in.subscript(arr, index, call.span);
}

Value builtinPutAlongAxis(BuiltinCall& call) {
  Interpreter& in = call.in;
  auto a = call.bind({{"arr", {}}, {"indices", {}}, {"values", {}}, {"axis", {}}});
  if (!a[0].isArray())
    raise(ErrorKind::Type, call.span, "put_along_axis() needs an array to write into");
  Value arr = a[0];
  std::vector<Value> index = alongAxisIndex(in, arr, a[1], a[3], call.span);
  in.advancedAssign(arr.array, index, a[2], call.span);
  return Value::none();
}

/// trim_zeros(filt, trim='fb'): a slice of a 1-d array (of a list, a list).
Value builtinTrimZeros(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"filt", {}}, {"trim", Value::ofStr("fb")}});
  std::string trim = a[1].kind == Value::Kind::Str ? a[1].name : std::string();
  for (char& c : trim) c = char(std::toupper(static_cast<unsigned char>(c)));
  const bool front = trim.find('F') != std::string::npos;
  const bool back = trim.find('B') != std::string::npos;
  if (a[0].kind == Value::Kind::List || a[0].kind == Value::Kind::Tuple) {
    const std::vector<Value>& items = a[0].items;
    auto isZero = [&](const Value& v) { return !in.truthy(v, span); };
    size_t first = 0, last = items.size();
    if (front)
      while (first < items.size() && isZero(items[first])) ++first;
    if (back)
      while (last > 0 && isZero(items[last - 1])) --last;
    Value out = a[0];
    out.items.assign(items.begin() + std::ptrdiff_t(std::min(first, last)),
                     items.begin() + std::ptrdiff_t(last));
    return out;
  }
  Value v = toArrayValue(in, a[0], span);
  Array m = in.materialize(v.array, span);
  if (m.ndim() == 0) raise(ErrorKind::Type, span, "iteration over a 0-d array");
  if (m.ndim() != 1)
    raise(ErrorKind::Value, span,
          "The truth value of an array with more than one element is ambiguous. Use a.any() or "
          "a.all()");
  Array values = in.dryRun() ? Array::zeros(m.shape(), m.dtype()) : m;
  const int64_t n = m.shape()[0];
  int64_t first = 0, last = n;
  auto isZero = [&](int64_t i) {
    Scalar s = values.at({i});
    return s.dtype == DType::Bool ? !s.b : isInteger(s.dtype) ? s.i == 0 : s.f == 0.0;
  };
  if (front)
    while (first < n && isZero(first)) ++first;
  if (back)
    while (last > 0 && isZero(last - 1)) --last;
  if (last < first) last = first;
  return in.viewValue(v.array, m.sliceAxis(0, first, 1, last - first));
}

/// np.resize(a, new_shape): a's elements in C order, repeated to fill.
Value builtinResize(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"a", {}}, {"new_shape", {}}});
  Shape shape = toIntList(a[1], span);
  for (int64_t d : shape)
    if (d < 0) raise(ErrorKind::Value, span, "all elements of `new_shape` must be non-negative");
  Value v = toArrayValue(in, a[0], span);
  Array src = in.materialize(v.array, span);
  int64_t size = 0;
  // NumPy reshapes a slice of the repeated values: the result is a view
  // (flags.owndata is False), unlike the zeros of an empty resize.
  Array repeated;
  try {
    size = checkedSize(shape);
    if (src.size() == 0 || size == 0 || in.dryRun())
      return in.materializedValue(Array::zeros(shape, src.dtype()));
    repeated = Array::empty({size}, src.dtype());
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
  Array flat =
      src.isCContiguous() ? src.reshapeView({src.size()}) : src.copy().reshapeView({src.size()});
  const int64_t isz = repeated.itemsize(), n = flat.size();
  for (int64_t i = 0; i < size; ++i)
    std::memcpy(repeated.data() + i * isz, flat.data() + (i % n) * isz, size_t(isz));
  return in.materializedValue(repeated.reshapeView(shape));
}

/// select(condlist, choicelist, default=0): nested where from the last
/// condition out, so the first true condition wins (lazy, one fused kernel).
Value builtinSelect(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"condlist", {}}, {"choicelist", {}}, {"default", Value::ofInt(0)}});
  std::vector<Value> conds = in.itemsOf(a[0], span), choices = in.itemsOf(a[1], span);
  if (conds.size() != choices.size())
    raise(ErrorKind::Value, span, "list of cases must be same length as list of conditions");
  if (conds.empty())
    raise(ErrorKind::Value, span, "select with an empty condition list is not possible");
  for (Value& c : choices) c = toArrayValue(in, c, span);
  Value result = toArrayValue(in, a[2], span);
  for (size_t i = 0; i < conds.size(); ++i) {
    conds[i] = toArrayValue(in, conds[i], span);
    if (conds[i].array->dtype() != DType::Bool)
      raise(ErrorKind::Type, span,
            "invalid entry " + std::to_string(i) + " in condlist: should be boolean ndarray");
  }
  // The result's dtype is that of all choices and the default together.
  DType dtype = result.array->dtype();
  for (const Value& c : choices) dtype = promote(dtype, c.array->dtype());
  if (result.array->dtype() != dtype) result = in.astype(result, dtype, span);
  for (size_t i = conds.size(); i-- > 0;) result = in.where(conds[i], choices[i], result, span);
  return result;
}

/// diagflat(v, k=0): diag of the flattened input.
Value builtinDiagflat(BuiltinCall& call) {
  Interpreter& in = call.in;
  auto a = call.bind({{"v", {}}, {"k", Value::ofInt(0)}});
  Value v = toArrayValue(in, a[0], call.span);
  std::vector<Value> rargs{v};
  Kwargs none;
  std::vector<Value> dargs{in.callBuiltin(".ravel", rargs, none, call.span), a[1]};
  return in.callBuiltin("diag", dargs, none, call.span);
}

} // namespace ravel::exec

namespace ravel::exec {
namespace {

enum class ClipMode { Raise, Wrap, Clip };

ClipMode clipMode(const Value& v, Span span) {
  const std::string m = v.kind == Value::Kind::Str ? v.name : std::string();
  if (m == "raise") return ClipMode::Raise;
  if (m == "wrap") return ClipMode::Wrap;
  if (m == "clip") return ClipMode::Clip;
  raise(ErrorKind::Value, span,
        "clipmode must be one of 'clip', 'raise', or 'wrap' (got " +
            (v.kind == Value::Kind::Str ? "'" + m + "'" : std::string(typeName(v))) + ")");
}

/// An index argument's values as int64, flattened (NumPy casts floats).
std::vector<int64_t> flatIndices(Interpreter& in, const Value& v, Span span) {
  Array m = argValues(in, v, span).astype(DType::Int64);
  Array flat = m.reshape({m.size()});
  std::vector<int64_t> out;
  for (int64_t i = 0; i < flat.size(); ++i) out.push_back(flat.at({i}).i);
  return out;
}

} // namespace

/// put(a, ind, v, mode='raise') and a.put(ind, v, mode): a.flat[ind] = v,
/// v repeated as needed; written with fancy assignment on a's own axes.
Value builtinPut(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"a", {}}, {"ind", {}}, {"v", {}}, {"mode", Value::ofStr("raise")}});
  if (!a[0].isArray())
    raise(ErrorKind::Type, span,
          std::string("argument 1 must be numpy.ndarray, not ") + typeName(a[0]));
  const ClipMode mode = clipMode(a[3], span);
  const Shape shape = a[0].array->shape();
  const int64_t n = checkedSize(shape);
  std::vector<int64_t> ind = flatIndices(in, a[1], span);
  Value values = toArrayValue(in, a[2], span);
  Array v = in.materialize(values.array, span);
  if (ind.empty() || v.size() == 0) return Value::none();
  for (int64_t& i : ind) {
    if (mode == ClipMode::Raise) {
      if (i < -n || i >= n)
        raise(ErrorKind::Index, span,
              "index " + std::to_string(i) + " is out of bounds for axis 0 with size " +
                  std::to_string(n));
      if (i < 0) i += n;
    } else if (n == 0) {
      raise(ErrorKind::Index, span, "cannot do a non-empty take from an empty axes.");
    } else if (mode == ClipMode::Wrap) {
      i = ((i % n) + n) % n;
    } else {
      i = std::min(std::max(i, int64_t(0)), n - 1);
    }
  }
  // v's elements in C order, repeated to one per index.
  Array flatV = v.isCContiguous() ? v.reshapeView({v.size()}) : v.copy().reshapeView({v.size()});
  Array repeated = Array::empty({int64_t(ind.size())}, v.dtype());
  const int64_t isz = v.itemsize();
  for (size_t k = 0; k < ind.size(); ++k)
    std::memcpy(repeated.data() + int64_t(k) * isz, flatV.data() + (int64_t(k) % v.size()) * isz,
                size_t(isz));
  // The flat indices as one index array per axis.
  const int nd = int(shape.size());
  std::vector<Array> axes;
  for (int d = 0; d < nd; ++d) axes.push_back(Array::empty({int64_t(ind.size())}, DType::Int64));
  for (size_t k = 0; k < ind.size(); ++k) {
    int64_t rest = ind[k];
    for (int d = nd - 1; d >= 0; --d) {
      reinterpret_cast<int64_t*>(axes[size_t(d)].data())[k] = rest % shape[size_t(d)];
      rest /= shape[size_t(d)];
    }
  }
  std::vector<Value> index;
  for (Array& x : axes) index.push_back(in.materializedValue(x));
  if (nd == 0) index.push_back(Value::ofTuple({}));
  in.advancedAssign(a[0].array, index, in.materializedValue(repeated), span);
  return Value::none();
}

/// choose(a, choices, mode='raise'): choices[a[i]][i], as a chain of lazy
/// wheres over the mode-adjusted indices.
Value builtinChoose(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"a", {}}, {"choices", {}}, {"out", kNone}, {"mode", Value::ofStr("raise")}});
  if (a[2].kind != Value::Kind::None)
    raise(ErrorKind::Type, span, "choose() with out= is not in ravel yet");
  Value idx = toArrayValue(in, a[0], span);
  std::vector<Value> choices = in.itemsOf(a[1], span);
  if (choices.empty()) raise(ErrorKind::Value, span, "0-length sequence.");
  DType dtype = DType::Bool;
  for (size_t i = 0; i < choices.size(); ++i) {
    choices[i] = toArrayValue(in, choices[i], span);
    dtype = i == 0 ? choices[i].array->dtype() : promote(dtype, choices[i].array->dtype());
  }
  if (!isInteger(idx.array->dtype()) && idx.array->dtype() != DType::Bool)
    raise(ErrorKind::Type, span,
          std::string("Cannot cast array data from dtype('") +
              std::string(dtypeName(idx.array->dtype())) +
              "') to dtype('int64') according to the rule 'safe'");
  const ClipMode mode = clipMode(a[3], span);
  const int64_t n = int64_t(choices.size());
  Array m = argValues(in, idx, span).astype(DType::Int64);
  Array adjusted = Array::empty(m.shape(), DType::Int64);
  Array flat = m.isCContiguous() ? m : m.copy();
  const int64_t* src = reinterpret_cast<const int64_t*>(flat.data());
  int64_t* dst = reinterpret_cast<int64_t*>(adjusted.data());
  for (int64_t i = 0; i < m.size(); ++i) {
    int64_t k = src[i];
    if (mode == ClipMode::Raise && (k < 0 || k >= n))
      raise(ErrorKind::Value, span, "invalid entry in choice array");
    if (mode == ClipMode::Wrap) k = ((k % n) + n) % n;
    if (mode == ClipMode::Clip) k = std::min(std::max(k, int64_t(0)), n - 1);
    dst[i] = k;
  }
  Value which = in.materializedValue(adjusted, idx.array->isScalar);
  Value result = choices.back().array->dtype() == dtype ? choices.back()
                                                        : in.astype(choices.back(), dtype, span);
  for (int64_t k = n; k-- > 0;) {
    Value c = choices[size_t(k)].array->dtype() == dtype
                  ? choices[size_t(k)]
                  : in.astype(choices[size_t(k)], dtype, span);
    result = in.where(in.binary(graph::Op::Eq, which, Value::ofInt(k), span), c, result, span);
  }
  return result;
}

} // namespace ravel::exec
