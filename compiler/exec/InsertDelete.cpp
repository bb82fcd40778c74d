// append, insert and delete: NumPy's function_base code, step by step.
//
// Each follows NumPy 1.24's Python implementation with the interpreter's
// own operations (ravel, concatenate, take, setitem through basic and
// advanced indices), so dtypes, casts, broadcasting and the errors those
// raise are the ones NumPy's steps raise:
//  - append:  ravel both (axis=None), then concatenate along the axis;
//  - delete:  the kept positions along the axis, then take() them (NumPy's
//             slice, single-index and mask paths all select the same items);
//  - insert:  a new array of the grown shape, filled by setitem: the
//             original's pieces around one index, or, for several indices,
//             `new[..., indices, ...] = values` and
//             `new[..., old_mask, ...] = arr` as NumPy does.
// The index argument (obj) is read eagerly: it decides the result's shape.
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"

#include <algorithm>
#include <numeric>

namespace ravel::exec {

namespace {

/// ndim whole-axis slices with `at` on `axis`.
std::vector<Value> indexOn(int ndim, int axis, Value at) {
  std::vector<Value> index(size_t(ndim), sliceValue(std::nullopt, std::nullopt));
  index[size_t(axis)] = std::move(at);
  return index;
}

Value subscript(Interpreter& in, const Value& v, const std::vector<Value>& index, Span span) {
  return in.subscript(v, index, span);
}

/// `target[index] = value`, as the assignment statement does it.
void setItem(Interpreter& in, const Value& target, std::vector<Value> index, const Value& value,
             Span span) {
  if (isAdvancedIndex(index)) {
    in.advancedAssign(target.array, std::move(index), value, span);
    return;
  }
  Array base = in.materialize(target.array, span);
  Array view = in.indexView(base, index, span, nullptr);
  in.assignInto(view, value, span);
}

/// NumPy's common prologue: arr as an array, raveled when axis is None
/// (axis then its last), else axis normalized.
struct Prologue {
  Value arr;
  int ndim = 0;
  int axis = 0;
  int64_t length = 0; // N: arr's length along axis
};

Prologue prologue(Interpreter& in, const Value& arrIn, const Value& axisIn, Span span) {
  Prologue p;
  p.arr = toArrayValue(in, arrIn, span);
  p.ndim = int(p.arr.array->shape().size());
  if (axisIn.kind == Value::Kind::None) {
    if (p.ndim != 1) p.arr = callNamed(in, "ravel", {p.arr}, {}, span);
    p.ndim = 1;
    p.axis = 0;
  } else {
    p.axis = axisArg(axisIn, p.ndim, span);
  }
  p.length = p.arr.array->shape()[size_t(p.axis)];
  return p;
}

bool isIntegerScalarArg(const Value& v) {
  if (v.kind == Value::Kind::Int) return true;
  return v.isArray() && v.array->isScalar && isInteger(v.array->dtype());
}

[[noreturn]] void nonIntegerIndex(Span span) {
  raise(ErrorKind::Index, span, "arrays used as indices must be of integer (or boolean) type");
}

Value deleteValue(Interpreter& in, const std::vector<Value>& a, Span span) {
  Prologue p = prologue(in, a[0], a[2], span);
  const int64_t n = p.length;
  std::vector<char> keep(size_t(n), 1);
  const Value& obj = a[1];
  std::optional<int64_t> single;
  if (obj.kind == Value::Kind::Slice) {
    SliceBounds b = sliceOn(obj, n, span);
    for (int64_t k = 0; k < b.count; ++k) keep[size_t(b.start + k * b.step)] = 0;
  } else if (isIntegerScalarArg(obj)) {
    single = toInt(obj, span);
  } else {
    Value o = toArrayValue(in, obj, span);
    const Shape& os = o.array->shape();
    int64_t size = 1;
    for (int64_t d : os) size *= d;
    const DType t = o.array->dtype();
    if (size == 1 && isInteger(t)) {
      single = flatValues<int64_t>(argValues(in, o, span), DType::Int64)[0];
    } else if (size == 0 && !obj.isArray()) {
      // An empty list deletes nothing (NumPy casts it to intp).
    } else if (t == DType::Bool) {
      if (os.size() != 1 || os[0] != n)
        raise(ErrorKind::Value, span,
              "boolean array argument obj to delete must be one dimensional and match the axis "
              "length of " +
                  std::to_string(n));
      std::vector<uint8_t> mask = flatValues<uint8_t>(argValues(in, o, span), DType::Bool);
      for (int64_t k = 0; k < n; ++k) keep[size_t(k)] = !mask[size_t(k)];
    } else if (!isInteger(t)) {
      nonIntegerIndex(span);
    } else {
      // keep[obj,] = False
      for (int64_t i : flatValues<int64_t>(argValues(in, o, span), DType::Int64)) {
        if (i < -n || i >= n)
          raise(ErrorKind::Index, span,
                "index " + std::to_string(i) + " is out of bounds for axis 0 with size " +
                    std::to_string(n));
        keep[size_t(i < 0 ? i + n : i)] = 0;
      }
    }
  }
  if (single) {
    const int64_t i = *single;
    if (i < -n || i >= n)
      raise(ErrorKind::Index, span,
            "index " + std::to_string(i) + " is out of bounds for axis " + std::to_string(p.axis) +
                " with size " + std::to_string(n));
    keep[size_t(i < 0 ? i + n : i)] = 0;
  }
  std::vector<int64_t> kept;
  for (int64_t k = 0; k < n; ++k)
    if (keep[size_t(k)]) kept.push_back(k);
  Value idx = in.materializedValue(arrayOf(kept, DType::Int64));
  return callNamed(in, "take", {p.arr, idx}, {{"axis", Value::ofInt(p.axis)}}, span);
}

Value insertValue(Interpreter& in, const std::vector<Value>& a, Span span) {
  Prologue p = prologue(in, a[0], a[3], span);
  const int64_t n = p.length;
  const DType dt = p.arr.array->dtype();
  const Value& obj = a[1];
  const Value& values = a[2];
  Value indices;
  int indicesNdim = 1;
  if (obj.kind == Value::Kind::Slice) {
    SliceBounds b = sliceOn(obj, n, span);
    std::vector<int64_t> r;
    for (int64_t k = 0; k < b.count; ++k) r.push_back(b.start + k * b.step);
    indices = in.materializedValue(arrayOf(r, DType::Int64));
  } else {
    indices = toArrayValue(in, obj, span);
    indicesNdim = int(indices.array->shape().size());
    if (indices.array->dtype() == DType::Bool) {
      // NumPy 1.24 casts a boolean obj to intp (with a FutureWarning).
      indices = in.astype(indices, DType::Int64, span);
    } else if (indicesNdim > 1) {
      raise(ErrorKind::Value, span,
            "index array argument obj to insert must be one dimensional or scalar");
    }
  }
  int64_t count = 1;
  for (int64_t d : indices.array->shape()) count *= d;
  Shape newShape = p.arr.array->shape();
  if (count == 1) {
    if (!isInteger(indices.array->dtype()))
      raise(ErrorKind::Type, span,
            "slice indices must be integers or None or have an __index__ method");
    int64_t index = flatValues<int64_t>(argValues(in, indices, span), DType::Int64)[0];
    if (index < -n || index > n)
      raise(ErrorKind::Index, span,
            "index " + in.str(obj) + " is out of bounds for axis " + std::to_string(p.axis) +
                " with size " + std::to_string(n));
    if (index < 0) index += n;
    // values = array(values, copy=False, ndmin=arr.ndim, dtype=arr.dtype)
    Value v = callNamed(in, "array", {values},
                        {{"copy", Value::ofBool(false)},
                         {"ndmin", Value::ofInt(p.ndim)},
                         {"dtype", Value::ofDType(dt)}},
                        span);
    // A scalar obj inserts values as a[:, 0:1, :] = ... would take them.
    if (indicesNdim == 0)
      v = callNamed(in, "moveaxis", {v, Value::ofInt(0), Value::ofInt(p.axis)}, {}, span);
    const int64_t added = v.array->shape()[size_t(p.axis)];
    newShape[size_t(p.axis)] += added;
    Value out = in.materializedValue(Array::empty(newShape, dt));
    setItem(in, out, indexOn(p.ndim, p.axis, sliceValue(std::nullopt, index)),
            subscript(in, p.arr, indexOn(p.ndim, p.axis, sliceValue(std::nullopt, index)), span),
            span);
    setItem(in, out, indexOn(p.ndim, p.axis, sliceValue(index, index + added)), v, span);
    setItem(in, out, indexOn(p.ndim, p.axis, sliceValue(index + added, std::nullopt)),
            subscript(in, p.arr, indexOn(p.ndim, p.axis, sliceValue(index, std::nullopt)), span),
            span);
    return out;
  }
  if (count == 0 && !obj.isArray()) indices = in.astype(indices, DType::Int64, span);
  if (!isInteger(indices.array->dtype())) nonIntegerIndex(span);
  // indices[indices < 0] += N; indices[argsort(indices, stable)] += arange(numnew)
  std::vector<int64_t> idx = flatValues<int64_t>(argValues(in, indices, span), DType::Int64);
  for (int64_t& i : idx)
    if (i < 0) i += n;
  std::vector<int64_t> order(idx.size());
  std::iota(order.begin(), order.end(), int64_t(0));
  std::stable_sort(order.begin(), order.end(),
                   [&](int64_t x, int64_t y) { return idx[size_t(x)] < idx[size_t(y)]; });
  for (size_t k = 0; k < order.size(); ++k) idx[size_t(order[k])] += int64_t(k);
  newShape[size_t(p.axis)] += int64_t(idx.size());
  const int64_t m = newShape[size_t(p.axis)];
  // old_mask[indices] = False
  std::vector<uint8_t> oldMask(size_t(m), 1);
  for (int64_t i : idx) {
    if (i < -m || i >= m)
      raise(ErrorKind::Index, span,
            "index " + std::to_string(i) + " is out of bounds for axis 0 with size " +
                std::to_string(m));
    oldMask[size_t(i < 0 ? i + m : i)] = 0;
  }
  Value out = in.materializedValue(Array::empty(newShape, dt));
  setItem(in, out, indexOn(p.ndim, p.axis, in.materializedValue(arrayOf(idx, DType::Int64))),
          values, span);
  setItem(in, out, indexOn(p.ndim, p.axis, in.materializedValue(arrayOf(oldMask, DType::Bool))),
          p.arr, span);
  return out;
}

/// NumPy wraps the result with a non-ndarray input's __array_wrap__: for a
/// NumPy scalar that makes a scalar of the result's first element.
Value wrapLike(Interpreter& in, const Value& input, Value result, Span span) {
  if (!input.isArray() || !input.array->isScalar) return result;
  Value flat = callNamed(in, "ravel", {result}, {}, span);
  if (flat.array->shape()[0] == 0) return result;
  return in.subscript(flat, {Value::ofInt(0)}, span);
}

} // namespace

Value builtinAppend(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"arr", {}}, {"values", {}}, {"axis", kNone}});
  Value arr = toArrayValue(in, a[0], span);
  Value values = a[1];
  Value axis = a[2];
  if (axis.kind == Value::Kind::None) {
    if (arr.array->shape().size() != 1) arr = callNamed(in, "ravel", {arr}, {}, span);
    values = callNamed(in, "ravel", {values}, {}, span);
    axis = Value::ofInt(int64_t(arr.array->shape().size()) - 1);
  }
  return callNamed(in, "concatenate", {Value::ofTuple({arr, values})}, {{"axis", axis}}, span);
}

Value builtinDelete(BuiltinCall& call) {
  auto a = call.bind({{"arr", {}}, {"obj", {}}, {"axis", kNone}});
  return wrapLike(call.in, a[0], deleteValue(call.in, a, call.span), call.span);
}

Value builtinInsert(BuiltinCall& call) {
  auto a = call.bind({{"arr", {}}, {"obj", {}}, {"values", {}}, {"axis", kNone}});
  return wrapLike(call.in, a[0], insertValue(call.in, a, call.span), call.span);
}

} // namespace ravel::exec
