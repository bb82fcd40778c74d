// Joining, repeating, clipping and identity matrices.
//
// A join allocates its result once and writes each input into its slice of
// it with assignInto: a lazy input is computed straight into the result, so
// `concatenate([x + 1, sqrt(y)])` makes no temporary per input. tile writes
// through one view with a leading axis per copy; repeat gathers rows with
// runtime's takeAlongAxis. clip is maximum then minimum, so it stays lazy and
// fuses with what surrounds it. Errors are NumPy's, checked in NumPy's order.
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"

#include "runtime/Creation.h"
#include "runtime/Layout.h"
#include "runtime/MemoryOrder.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace ravel::exec {
using graph::Op;

namespace {

/// One input of a join: its value and the shape it is joined at (NumPy's
/// atleast_1d/atleast_2d pad leading length-1 axes, which broadcasting then
/// supplies when the value is written).
struct JoinInput {
  Value value;
  Shape shape;
};

/// The items of the sequence a join receives: a list's or tuple's items, or
/// an array's rows (views).
std::vector<Value> sequenceItems(Interpreter& in, const Value& v, Span span) {
  if (v.kind == Value::Kind::List || v.kind == Value::Kind::Tuple) return v.items;
  if (v.isArray() && !v.array->shape().empty()) {
    Array m = in.materialize(v.array, span);
    std::vector<Value> rows;
    for (int64_t i = 0; i < m.shape()[0]; ++i)
      rows.push_back(in.viewValue(v.array, m.indexAxis(0, i)));
    return rows;
  }
  raise(ErrorKind::Type, span, "dispatcher for __array_function__ did not return an iterable");
}

/// The inputs as arrays, each padded to at least `minDims` dimensions.
std::vector<JoinInput> joinInputs(Interpreter& in, const Value& seq, size_t minDims, Span span) {
  std::vector<JoinInput> inputs;
  for (const Value& item : sequenceItems(in, seq, span)) {
    Value v = toArrayValue(in, item, span);
    Shape shape = v.array->shape();
    if (shape.size() < minDims) shape.insert(shape.begin(), minDims - shape.size(), 1);
    // NumPy's atleast_2d makes a 1-d array a row: (n,) -> (1, n).
    inputs.push_back({v, shape});
  }
  return inputs;
}

/// runtime's normalizeAxis (NumPy's AxisError wording) with the call's span.
int normalizedAxis(int64_t axis, int ndim, Span span) {
  try {
    return normalizeAxis(axis, ndim);
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
}

Array allocate(const Shape& shape, DType dtype, Span span) {
  try {
    return Array::empty(shape, dtype);
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
}

/// The strides of `v` seen with `shape` (v's shape with leading 1s, as
/// NumPy's atleast_nd views it): a computed array's own; a lazy value's those
/// NumPy's temporary for it has, dense in the K order of the arrays it reads
/// (its operands' memory order, as its ufunc allocates it).
Strides layoutStrides(Interpreter& in, const Value& v, const Shape& shape, Span span) {
  Strides own;
  if (v.array->materialized()) {
    own = v.array->data.strides();
  } else {
    const graph::NodeRef node = in.nodeOf(v, span);
    const int nd = int(node->shape.size());
    std::vector<Strides> operands;
    graph::forEachNode({node.get()}, [&](const graph::Node* x) {
      if (x->op == graph::Op::Input && x->input.valid() && x->input.ndim() <= nd)
        operands.push_back(iterationStrides(x->input, nd));
      // Below a product or a reduction the shapes are its operands', not ours.
      return !graph::isLaunchLeaf(x->op);
    });
    own =
        stridesInAxisOrder(node->shape, itemSize(node->dtype), axisOrderFastestFirst(operands, nd));
  }
  Strides padded(shape.size() - own.size(), 0);
  padded.insert(padded.end(), own.begin(), own.end());
  return padded;
}

/// A new array for a concatenation of inputs with these shapes and strides
/// (all of the result's ndim), laid out as NumPy's concatenate lays it out.
Array allocateConcatenated(const Shape& shape, DType dtype, const std::vector<Shape>& shapes,
                           const std::vector<Strides>& strides, Span span) {
  try {
    return Array::emptyInAxisOrder(
        shape, dtype, concatenationOrderFastestFirst(shapes, strides, int(shape.size())));
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
}

/// NumPy's PyArray_ConcatenateArrays (axis) and PyArray_ConcatenateFlattenedArrays
/// (no axis): checks, one allocation, one write per input.
Value concatenate(Interpreter& in, const std::vector<JoinInput>& inputs,
                  std::optional<int64_t> axis, const char* fname, Span span) {
  if (inputs.empty()) raise(ErrorKind::Value, span, "need at least one array to concatenate");
  DType dtype = inputs[0].value.array->dtype();
  for (const JoinInput& x : inputs) dtype = promote(dtype, x.value.array->dtype());
  Shape shape;
  int ax = 0;
  if (!axis) {
    int64_t total = 0;
    for (const JoinInput& x : inputs) {
      int64_t n = checkedSize(x.shape);
      if (__builtin_add_overflow(total, n, &total))
        raise(ErrorKind::Value, span, "array is too big");
    }
    shape = {total};
  } else {
    const size_t nd = inputs[0].shape.size();
    if (nd == 0) raise(ErrorKind::Value, span, "zero-dimensional arrays cannot be concatenated");
    ax = normalizedAxis(*axis, int(nd), span);
    shape = inputs[0].shape;
    for (size_t i = 1; i < inputs.size(); ++i) {
      const Shape& s = inputs[i].shape;
      if (s.size() != nd)
        raise(ErrorKind::Value, span,
              "all the input arrays must have same number of dimensions, but the array at "
              "index 0 has " +
                  std::to_string(nd) + " dimension(s) and the array at index " + std::to_string(i) +
                  " has " + std::to_string(s.size()) + " dimension(s)");
      for (size_t d = 0; d < nd; ++d) {
        if (int(d) == ax) {
          if (__builtin_add_overflow(shape[d], s[d], &shape[d]))
            raise(ErrorKind::Value, span, "array is too big");
        } else if (shape[d] != s[d]) {
          raise(ErrorKind::Value, span,
                "all the input array dimensions except for the concatenation axis must match "
                "exactly, but along dimension " +
                    std::to_string(d) + ", the array at index 0 has size " +
                    std::to_string(shape[d]) + " and the array at index " + std::to_string(i) +
                    " has size " + std::to_string(s[d]));
        }
      }
    }
  }
  Array result;
  if (axis) {
    std::vector<Shape> shapes;
    std::vector<Strides> strides;
    for (const JoinInput& x : inputs) {
      shapes.push_back(x.shape);
      strides.push_back(layoutStrides(in, x.value, x.shape, span));
    }
    result = allocateConcatenated(shape, dtype, shapes, strides, span);
  } else {
    result = allocate(shape, dtype, span);
  }
  int64_t offset = 0;
  for (const JoinInput& x : inputs) {
    int64_t length = axis ? x.shape[size_t(ax)] : checkedSize(x.shape);
    if (length == 0) continue;
    Array target = result.sliceAxis(ax, offset, 1, length);
    // Without an axis, the input's C-order elements fill a contiguous run,
    // which is the input's own shape seen through C strides.
    if (!axis) target = target.reshapeView(x.value.array->shape());
    in.assignInto(target, x.value, span);
    offset += length;
  }
  in.note(span, std::string(fname) + " of " + std::to_string(inputs.size()) +
                    " arrays: one result of shape " + formatShapeCompact(shape) +
                    ", each input computed or copied straight into its slice");
  return in.materializedValue(result);
}

/// axis=: None, or an int (NumPy refuses a bool here).
std::optional<int64_t> concatAxis(const Value& v, Span span) {
  if (v.kind == Value::Kind::None) return std::nullopt;
  if (v.kind == Value::Kind::Bool)
    raise(ErrorKind::Type, span, "an integer is required for the axis");
  return toInt(v, span);
}

Value stack(Interpreter& in, const Value& seq, const Value& axisArg, Span span) {
  std::vector<JoinInput> inputs = joinInputs(in, seq, 0, span);
  if (inputs.empty()) raise(ErrorKind::Value, span, "need at least one array to stack");
  for (const JoinInput& x : inputs)
    if (x.shape != inputs[0].shape)
      raise(ErrorKind::Value, span, "all input arrays must have the same shape");
  const int nd = int(inputs[0].shape.size()) + 1;
  const int ax = normalizedAxis(toInt(axisArg, span), nd, span);
  DType dtype = inputs[0].value.array->dtype();
  for (const JoinInput& x : inputs) dtype = promote(dtype, x.value.array->dtype());
  Shape shape = inputs[0].shape;
  shape.insert(shape.begin() + ax, int64_t(inputs.size()));
  if (shape.size() > size_t(kMaxDims))
    raise(ErrorKind::Value, span,
          "maximum supported dimension for an ndarray is " + std::to_string(kMaxDims) + ", found " +
              std::to_string(shape.size()));
  // NumPy concatenates the inputs with a length-1 axis inserted at `ax`.
  std::vector<Shape> shapes;
  std::vector<Strides> strides;
  for (const JoinInput& x : inputs) {
    Shape expanded = x.shape;
    expanded.insert(expanded.begin() + ax, 1);
    Strides st = layoutStrides(in, x.value, x.shape, span);
    st.insert(st.begin() + ax, 0);
    shapes.push_back(std::move(expanded));
    strides.push_back(std::move(st));
  }
  Array result = allocateConcatenated(shape, dtype, shapes, strides, span);
  if (result.size() > 0)
    for (size_t k = 0; k < inputs.size(); ++k)
      in.assignInto(result.indexAxis(ax, int64_t(k)), inputs[k].value, span);
  in.note(span, "stack of " + std::to_string(inputs.size()) + " arrays: one result of shape " +
                    formatShapeCompact(shape) + ", each input written straight into its slice");
  return in.materializedValue(result);
}

/// A lazy value that a function reads more than once: computed first, so
/// each element is computed once (NumPy's temporary).
Value computedOnce(Interpreter& in, const Value& v, Span span) {
  if (!v.array->materialized()) in.materialize(v.array, span);
  return v;
}

Value tile(Interpreter& in, const Value& arg, const Value& repsArg, Span span) {
  Value a = toArrayValue(in, arg, span);
  Shape reps;
  if (repsArg.kind == Value::Kind::Tuple || repsArg.kind == Value::Kind::List)
    for (const Value& r : repsArg.items) reps.push_back(toInt(r, span));
  else
    reps.push_back(toInt(repsArg, span));
  Shape tileShape = a.array->shape();
  const size_t nd = std::max(reps.size(), tileShape.size());
  tileShape.insert(tileShape.begin(), nd - tileShape.size(), 1);
  reps.insert(reps.begin(), nd - reps.size(), 1);
  Shape shape(nd);
  bool severalCopies = false;
  for (size_t k = 0; k < nd; ++k) {
    if (reps[k] < 0) raise(ErrorKind::Value, span, "negative dimensions are not allowed");
    if (__builtin_mul_overflow(reps[k], tileShape[k], &shape[k]))
      raise(ErrorKind::Value, span, "array is too big");
    severalCopies |= reps[k] > 1;
  }
  Array result = allocate(shape, a.array->dtype(), span);
  if (result.size() > 0) {
    if (severalCopies) computedOnce(in, a, span);
    in.assignInto(tileView(result, reps, tileShape), a, span);
  }
  in.note(span, "tile: one result of shape " + formatShapeCompact(shape) +
                    ", every copy written by one kernel through a view with an axis per repeat");
  return in.materializedValue(result);
}

/// repeat's `repeats`: one count for every element, or one per element of
/// the axis (ints; floats truncate, as NumPy's unsafe cast to intp does).
std::vector<int64_t> repeatCounts(Interpreter& in, const Value& v, Span span) {
  auto count = [&](const Value& x) -> int64_t {
    if (x.kind == Value::Kind::Float) return int64_t(x.f);
    if (x.kind == Value::Kind::List || x.kind == Value::Kind::Tuple ||
        (x.isArray() && !x.array->shape().empty()))
      raise(ErrorKind::Value, span, "object too deep for desired array");
    if (x.isArray() && !isInteger(x.array->dtype()) && x.array->dtype() != DType::Bool)
      return int64_t(in.materialize(x.array, span).item().f);
    return toInt(x, span);
  };
  if (v.kind == Value::Kind::List || v.kind == Value::Kind::Tuple) {
    std::vector<int64_t> counts;
    for (const Value& x : v.items) counts.push_back(count(x));
    return counts;
  }
  if (v.isArray() && v.array->shape().size() == 1) {
    Array m = in.materialize(v.array, span).astype(DType::Int64);
    std::vector<int64_t> counts;
    for (int64_t i = 0; i < m.size(); ++i) counts.push_back(m.at({i}).i);
    return counts;
  }
  if (v.isArray() && v.array->shape().size() > 1)
    raise(ErrorKind::Value, span, "object too deep for desired array");
  return {count(v)};
}

Value repeat(Interpreter& in, const Value& arg, const Value& repeatsArg, const Value& axisArg,
             Span span) {
  Value a = toArrayValue(in, arg, span);
  std::vector<int64_t> counts = repeatCounts(in, repeatsArg, span);
  Array src = in.materialize(a.array, span);
  int ax = 0;
  if (axisArg.kind == Value::Kind::None || src.ndim() == 0) {
    // NumPy ravels for axis=None, and sees a 0-d array as 1-d either way.
    if (axisArg.kind != Value::Kind::None) normalizedAxis(toInt(axisArg, span), 1, span);
    src = src.reshape({src.size()});
  } else {
    ax = normalizedAxis(toInt(axisArg, span), src.ndim(), span);
  }
  const int64_t n = src.shape()[size_t(ax)];
  if (counts.size() == 1) {
    if (counts[0] < 0) raise(ErrorKind::Value, span, "negative dimensions are not allowed");
    counts.assign(size_t(n), counts[0]);
  } else if (int64_t(counts.size()) != n) {
    raise(ErrorKind::Value, span,
          "operands could not be broadcast together with shape (" + std::to_string(n) + ",) (" +
              std::to_string(counts.size()) + ",)");
  }
  int64_t total = 0;
  for (int64_t c : counts) {
    if (c < 0) raise(ErrorKind::Value, span, "repeats may not contain negative values.");
    if (__builtin_add_overflow(total, c, &total)) raise(ErrorKind::Value, span, "array is too big");
  }
  Shape shape = src.shape();
  shape[size_t(ax)] = total;
  Array result = allocate(shape, src.dtype(), span);
  std::vector<int64_t> index;
  index.reserve(size_t(total));
  for (int64_t i = 0; i < n; ++i) index.insert(index.end(), size_t(counts[size_t(i)]), i);
  takeAlongAxis(src, index, ax, result);
  in.note(span, "repeat: one result of shape " + formatShapeCompact(shape) +
                    ", rows gathered from the (computed) input");
  return in.materializedValue(result);
}

/// clip = minimum(maximum(a, a_min), a_max), lazy; NumPy's three-operand
/// broadcast error is checked first so the message names all three shapes.
Value clip(Interpreter& in, const Value& a, const Value& loArg, const Value& hiArg, Span span) {
  if (loArg.kind == Value::Kind::None && hiArg.kind == Value::Kind::None)
    raise(ErrorKind::Value, span, "One of max or min must be given");
  // NumPy 1.24 (_methods._clip) reads a scalar NaN bound as "no bound" (a
  // deprecated meaning) by replacing it with an infinity of the right sign.
  auto isScalarNaN = [&](const Value& v) {
    if (v.kind == Value::Kind::Float) return std::isnan(v.f);
    if (!v.isArray() || !v.array->shape().empty() || !isFloat(v.array->dtype())) return false;
    return std::isnan(in.materialize(v.array, span).item().f);
  };
  const Value lo = isScalarNaN(loArg) ? Value::ofFloat(-INFINITY) : loArg;
  const Value hi = isScalarNaN(hiArg) ? Value::ofFloat(INFINITY) : hiArg;
  std::vector<Value> operands;
  for (const Value* v : {&a, &lo, &hi}) {
    if (v->kind == Value::Kind::None) continue;
    bool sequence = v->kind == Value::Kind::List || v->kind == Value::Kind::Tuple;
    operands.push_back(sequence ? toArrayValue(in, *v, span) : *v);
  }
  Shape shape;
  bool ok = true;
  std::string shapes;
  for (const Value& v : operands) {
    Shape s = v.isArray() ? v.array->shape() : Shape{};
    shapes += formatShapeCompact(s) + " ";
    try {
      shape = broadcastShapes(shape, s);
    } catch (const RuntimeError&) {
      ok = false;
    }
  }
  if (!ok)
    raise(ErrorKind::Shape, span, "operands could not be broadcast together with shapes " + shapes);
  size_t next = 1;
  Value r = operands[0];
  if (lo.kind != Value::Kind::None) r = in.binary(Op::Maximum, r, operands[next++], span);
  if (hi.kind != Value::Kind::None) r = in.binary(Op::Minimum, r, operands[next++], span);
  in.note(span, "clip is maximum then minimum: lazy, fused with its neighbours");
  return r;
}

Value eyeValue(Interpreter& in, const Value& nArg, const Value& mArg, const Value& kArg,
               const Value& dtypeArg, Span span) {
  int64_t n = toInt(nArg, span);
  int64_t m = mArg.kind == Value::Kind::None ? n : toInt(mArg, span);
  int64_t k = toInt(kArg, span);
  DType dtype = toDType(dtypeArg, span).value_or(DType::Float64);
  try {
    return in.materializedValue(eye(n, m, k, dtype));
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
}

} // namespace

/// roll along one axis: the result is written in two slices, each input
/// slice straight into its place.
Array rollAxis(Interpreter& in, const Array& a, int64_t shift, int axis, Span span) {
  Array out = allocate(a.shape(), a.dtype(), span);
  const int64_t n = a.shape()[size_t(axis)];
  if (n == 0 || a.size() == 0) return out;
  const int64_t s = ((shift % n) + n) % n;
  auto part = [&](const Array& x, int64_t start, int64_t count) {
    return x.sliceAxis(axis, start, 1, count);
  };
  in.assignInto(part(out, s, n - s), in.materializedValue(part(a, 0, n - s)), span);
  if (s > 0) in.assignInto(part(out, 0, s), in.materializedValue(part(a, n - s, s)), span);
  return out;
}

/// np.roll(a, shift, axis=None): elements shifted along axes, wrapping round.
Value roll(Interpreter& in, const std::vector<Value>& a, Span span) {
  Value self = toArrayValue(in, a[0], span);
  Array x = in.materialize(self.array, span);
  std::vector<int64_t> shifts = toIntList(a[1], span);
  if (a[2].kind == Value::Kind::None) {
    // Over the flattened array, then back to the original shape.
    if (shifts.size() != 1)
      raise(ErrorKind::Value, span, "'shift' and 'axis' should be scalars or 1D sequences");
    Array flat = x.reshape({x.size()});
    return in.materializedValue(rollAxis(in, flat, shifts[0], 0, span).reshape(x.shape()));
  }
  std::vector<int64_t> axes = toIntList(a[2], span);
  if (shifts.size() == 1) shifts.resize(axes.size(), shifts[0]);
  if (axes.size() == 1) axes.resize(shifts.size(), axes[0]);
  if (shifts.size() != axes.size())
    raise(ErrorKind::Value, span, "shape mismatch: objects cannot be broadcast to a single shape");
  // NumPy adds the shifts of a repeated axis.
  std::vector<int64_t> total(size_t(x.ndim()), 0);
  for (size_t k = 0; k < axes.size(); ++k)
    total[size_t(normalizedAxis(axes[k], x.ndim(), span))] += shifts[k];
  Array out = x;
  for (int d = 0; d < x.ndim(); ++d)
    if (total[size_t(d)] != 0 || d == 0) out = rollAxis(in, out, total[size_t(d)], d, span);
  return in.materializedValue(out);
}

/// split, array_split, hsplit, vsplit: views of consecutive pieces along an
/// axis, at section boundaries (an int) or at the given indices (a list;
/// each piece is ary[start:stop] with Python's clamping).
Value split(Interpreter& in, const std::string& fn, const std::vector<Value>& a, Span span) {
  Value self = toArrayValue(in, a[0], span);
  Array x = in.materialize(self.array, span);
  int axis = 0;
  if (fn == "hsplit" || fn == "vsplit") {
    const int need = fn == "hsplit" ? 1 : 2;
    if (x.ndim() < need)
      raise(ErrorKind::Value, span,
            fn + " only works on arrays of " + std::to_string(need) + " or more dimensions");
    axis = fn == "hsplit" && x.ndim() > 1 ? 1 : 0;
  } else {
    axis = normalizedAxis(toInt(a[2], span), x.ndim(), span);
  }
  const int64_t n = x.shape()[size_t(axis)];
  std::vector<int64_t> bounds{0};
  const Value& how = a[1];
  const bool indexArray = how.isArray() && !how.array->shape().empty();
  if (how.kind == Value::Kind::List || how.kind == Value::Kind::Tuple || indexArray) {
    if (indexArray) {
      Array idx = in.materialize(how.array, span);
      if (!isInteger(idx.dtype()) && idx.dtype() != DType::Bool)
        raise(ErrorKind::Type, span,
              "slice indices must be integers or None or have an __index__ method");
      Array flat = idx.astype(DType::Int64).reshape({idx.size()});
      for (int64_t i = 0; i < flat.size(); ++i) bounds.push_back(flat.at({i}).i);
    } else {
      for (const Value& v : how.items) bounds.push_back(toInt(v, span));
    }
    bounds.push_back(n);
  } else {
    const int64_t sections = toInt(how, span);
    if (sections <= 0) raise(ErrorKind::Value, span, "number sections must be larger than 0.");
    if (sections > kMaxSequenceLength)
      raise(ErrorKind::Memory, span,
            "cannot make a list of " + std::to_string(sections) + " pieces (more than " +
                std::to_string(kMaxSequenceLength) + ")");
    if (fn != "array_split" && n % sections != 0)
      raise(ErrorKind::Value, span, "array split does not result in an equal division");
    // array_split: the first n % sections pieces get one element more.
    const int64_t each = n / sections, extra = n % sections;
    for (int64_t k = 0, at = 0; k < sections; ++k) bounds.push_back(at += each + (k < extra));
  }
  Value out;
  out.kind = Value::Kind::List;
  for (size_t k = 0; k + 1 < bounds.size(); ++k) {
    SliceBounds b = normalizeSlice(bounds[k], bounds[k + 1], 1, n);
    out.items.push_back(in.viewValue(self.array, x.sliceAxis(axis, b.start, 1, b.count)));
  }
  in.note(span, fn + " gives " + std::to_string(out.items.size()) + " views, no copy");
  return out;
}

/// np.copyto(dst, src, casting='same_kind', where=True): src (broadcast)
/// written into dst, only where `where` holds; NumPy's same_kind check.
Value copyto(Interpreter& in, const std::vector<Value>& a, Span span) {
  // A NumPy scalar is immutable: it is not an ndarray to copy into.
  if (!a[0].isArray() || a[0].array->isScalar)
    raise(ErrorKind::Type, span,
          std::string("copyto() argument 1 must be numpy.ndarray, not ") +
              (a[0].isArray() ? "numpy." + std::string(dtypeName(a[0].array->dtype()))
                              : typeName(a[0])));
  Array dst = in.materialize(a[0].array, span);
  if (a[2].kind != Value::Kind::Str || a[2].name != "same_kind")
    raise(ErrorKind::Value, span, "copyto: only casting='same_kind' is supported in ravel");
  const Value& src = a[1];
  DType from = src.isArray()                    ? src.array->dtype()
               : src.kind == Value::Kind::Float ? DType::Float64
               : src.kind == Value::Kind::Int   ? DType::Int64
                                                : DType::Bool;
  // A Python int is weak: it fits any integer or float target.
  if (src.kind == Value::Kind::Int && dst.dtype() != DType::Bool) from = dst.dtype();
  if (!canCastSameKind(from, dst.dtype()))
    raise(ErrorKind::Type, span,
          std::string("Cannot cast ") + (src.isArray() ? "array data" : "scalar") +
              " from dtype('" + std::string(dtypeName(from)) + "') to dtype('" +
              std::string(dtypeName(dst.dtype())) + "') according to the rule 'same_kind'");
  const Value& mask = a[3];
  if (mask.kind == Value::Kind::Bool && mask.b) {
    in.assignInto(dst, src, span);
  } else {
    Value kept = in.where(mask, src, in.materializedValue(dst), span);
    in.assignInto(dst, kept, span);
  }
  return Value::none();
}

/// split and array_split (call.name tells them apart).
Value builtinSplit(BuiltinCall& call) {
  return split(call.in, call.name,
               call.bind({{"ary", {}}, {"indices_or_sections", {}}, {"axis", Value::ofInt(0)}}),
               call.span);
}

/// hsplit and vsplit.
Value builtinHVSplit(BuiltinCall& call) {
  return split(call.in, call.name, call.bind({{"ary", {}}, {"indices_or_sections", {}}}),
               call.span);
}

Value builtinCopyto(BuiltinCall& call) {
  return copyto(call.in,
                call.bind({{"dst", {}},
                           {"src", {}},
                           {"casting", Value::ofStr("same_kind")},
                           {"where", Value::ofBool(true)}}),
                call.span);
}

Value builtinRoll(BuiltinCall& call) {
  return roll(call.in, call.bind({{"a", {}}, {"shift", {}}, {"axis", kNone}}), call.span);
}

Value builtinRepeat(BuiltinCall& call) {
  auto a = call.bind({{"a", {}}, {"repeats", {}}, {"axis", kNone}});
  return repeat(call.in, a[0], a[1], a[2], call.span);
}

Value builtinClip(BuiltinCall& call) {
  // The method's bounds are optional keywords; the function's are required.
  auto a = call.method ? call.bind({{"a", {}}, {"min", kNone}, {"max", kNone}})
                       : call.bind({{"a", {}}, {"a_min", {}}, {"a_max", {}}});
  return clip(call.in, a[0], a[1], a[2], call.span);
}

Value builtinConcatenate(BuiltinCall& call) {
  auto a = call.bind({{"arrays", {}}, {"axis", Value::ofInt(0)}});
  std::optional<int64_t> axis = concatAxis(a[1], call.span);
  return concatenate(call.in, joinInputs(call.in, a[0], 0, call.span), axis, "concatenate",
                     call.span);
}

Value builtinStack(BuiltinCall& call) {
  auto a = call.bind({{"arrays", {}}, {"axis", Value::ofInt(0)}});
  return stack(call.in, a[0], a[1], call.span);
}

/// hstack and vstack.
Value builtinHVStack(BuiltinCall& call) {
  auto a = call.bind({{"tup", {}}});
  bool h = call.name == "hstack";
  std::vector<JoinInput> inputs = joinInputs(call.in, a[0], h ? 1 : 2, call.span);
  // hstack joins 1-d arrays end to end and anything else along axis 1.
  int64_t axis = h && !inputs.empty() && inputs[0].shape.size() != 1 ? 1 : 0;
  return concatenate(call.in, inputs, axis, call.name.c_str(), call.span);
}

Value builtinTile(BuiltinCall& call) {
  auto a = call.bind({{"A", {}}, {"reps", {}}});
  return tile(call.in, a[0], a[1], call.span);
}

Value builtinEye(BuiltinCall& call) {
  auto a = call.bind({{"N", {}}, {"M", kNone}, {"k", Value::ofInt(0)}, {"dtype", kNone}});
  return eyeValue(call.in, a[0], a[1], a[2], a[3], call.span);
}

Value builtinIdentity(BuiltinCall& call) {
  auto a = call.bind({{"n", {}}, {"dtype", kNone}});
  return eyeValue(call.in, a[0], kNone, Value::ofInt(0), a[1], call.span);
}

} // namespace ravel::exec

namespace ravel::exec {
namespace {

/// The inputs of column_stack or dstack, each seen with the shape NumPy
/// gives it before joining (a view of its memory).
std::vector<JoinInput> reshapedInputs(Interpreter& in, const Value& seq, bool columns, Span span) {
  std::vector<JoinInput> inputs;
  for (const Value& item : sequenceItems(in, seq, span)) {
    Value v = toArrayValue(in, item, span);
    Shape shape = v.array->shape();
    if (columns && shape.size() < 2) {
      // array(v, ndmin=2).T: (n,) -> (n, 1), () -> (1, 1).
      shape = {shape.empty() ? 1 : shape[0], 1};
    } else if (!columns) {
      // atleast_3d: () -> (1, 1, 1), (n,) -> (1, n, 1), (m, n) -> (m, n, 1).
      if (shape.empty())
        shape = {1, 1, 1};
      else if (shape.size() == 1)
        shape = {1, shape[0], 1};
      else if (shape.size() == 2)
        shape.push_back(1);
    }
    if (shape != v.array->shape()) {
      Array m = in.materialize(v.array, span);
      v = in.viewValue(v.array, m.reshapeView(shape));
    }
    inputs.push_back({v, shape});
  }
  return inputs;
}

} // namespace

Value builtinColumnStack(BuiltinCall& call) {
  auto a = call.bind({{"tup", {}}});
  return concatenate(call.in, reshapedInputs(call.in, a[0], true, call.span), 1, "column_stack",
                     call.span);
}

Value builtinDstack(BuiltinCall& call) {
  auto a = call.bind({{"tup", {}}});
  return concatenate(call.in, reshapedInputs(call.in, a[0], false, call.span), 2, "dstack",
                     call.span);
}

} // namespace ravel::exec

// block: NumPy's shape_base.block, checked in NumPy's order (the nesting
// first, then the empty lists, then each level's shapes, innermost lists
// first), computed as one allocation that every leaf is written into.
namespace ravel::exec {
namespace {

/// Where a leaf or an empty list sits in the nesting; -1 stands for NumPy's
/// `None` (the position inside an empty list).
using BlockIndex = std::vector<int64_t>;

/// NumPy's _block_format_index: `arrays[0][1]`.
std::string blockIndexText(const BlockIndex& index) {
  std::string s = "arrays";
  for (int64_t i : index)
    if (i >= 0) s += "[" + std::to_string(i) + "]";
  return s;
}

struct BlockDepths {
  BlockIndex first; // the index of a bottom element (an empty list's, if any)
  size_t maxNdim = 0;
  int64_t size = 0;
};

/// NumPy's _block_check_depths_match.
BlockDepths blockDepths(const Value& arrays, const BlockIndex& parent, Span span) {
  if (arrays.kind == Value::Kind::Tuple)
    raise(ErrorKind::Type, span,
          blockIndexText(parent) +
              " is a tuple. Only lists can be used to arrange blocks, and np.block does not "
              "allow implicit conversion from tuple to ndarray.");
  if (arrays.kind != Value::Kind::List) {
    BlockDepths leaf{parent, 0, 1};
    if (arrays.isArray()) {
      leaf.maxNdim = arrays.array->shape().size();
      leaf.size = checkedSize(arrays.array->shape());
    }
    return leaf;
  }
  if (arrays.items.empty()) {
    BlockIndex bottom = parent;
    bottom.push_back(-1);
    return {bottom, 0, 0};
  }
  BlockIndex index = parent;
  index.push_back(0);
  BlockDepths result = blockDepths(arrays.items[0], index, span);
  for (size_t i = 1; i < arrays.items.size(); ++i) {
    index.back() = int64_t(i);
    BlockDepths next = blockDepths(arrays.items[i], index, span);
    result.size += next.size;
    result.maxNdim = std::max(result.maxNdim, next.maxNdim);
    if (next.first.size() != result.first.size())
      raise(ErrorKind::Value, span,
            "List depths are mismatched. First element was at depth " +
                std::to_string(result.first.size()) + ", but there is an element at depth " +
                std::to_string(next.first.size()) + " (" + blockIndexText(next.first) + ")");
    if (next.first.back() < 0) result.first = next.first;
  }
  return result;
}

/// One list or leaf of the nesting with the shape it has in the result.
struct BlockNode {
  Shape shape;
  Value leaf; // an array, for a leaf
  std::vector<BlockNode> children;
  /// A leaf's strides (layoutStrides); a list's, those of NumPy's
  /// concatenation of its children (the small-result path), in elements.
  Strides strides;
  /// A list's memory order (fastest first), as NumPy's concatenate of its
  /// children allocates it.
  std::vector<int> order;
};

/// The nesting below `arrays` (at `depth` of `listNdim` list levels) with
/// every shape checked: NumPy's concatenate errors, or for a large result
/// (NumPy's slicing path) its "Mismatched array shapes".
BlockNode blockTree(Interpreter& in, const Value& arrays, size_t depth, size_t listNdim,
                    size_t resultNdim, bool large, Span span) {
  BlockNode node;
  if (depth == listNdim) {
    node.leaf = toArrayValue(in, arrays, span);
    node.shape = node.leaf.array->shape();
    node.shape.insert(node.shape.begin(), resultNdim - node.shape.size(), 1);
    node.strides = layoutStrides(in, node.leaf, node.shape, span);
    return node;
  }
  for (const Value& item : arrays.items)
    node.children.push_back(blockTree(in, item, depth + 1, listNdim, resultNdim, large, span));
  const size_t axis = resultNdim - listNdim + depth;
  node.shape = node.children[0].shape;
  for (size_t i = 1; i < node.children.size(); ++i) {
    const Shape& s = node.children[i].shape;
    for (size_t d = 0; d < resultNdim; ++d) {
      if (d == axis) {
        if (__builtin_add_overflow(node.shape[d], s[d], &node.shape[d]))
          raise(ErrorKind::Value, span, "array is too big");
      } else if (s[d] != node.children[0].shape[d]) {
        if (large)
          raise(ErrorKind::Value, span,
                "Mismatched array shapes in block along axis " + std::to_string(axis) + ".");
        raise(ErrorKind::Value, span,
              "all the input array dimensions except for the concatenation axis must match "
              "exactly, but along dimension " +
                  std::to_string(d) + ", the array at index 0 has size " +
                  std::to_string(node.children[0].shape[d]) + " and the array at index " +
                  std::to_string(i) + " has size " + std::to_string(s[d]));
      }
    }
  }
  std::vector<Shape> shapes;
  std::vector<Strides> strides;
  for (const BlockNode& c : node.children) {
    shapes.push_back(c.shape);
    strides.push_back(c.strides);
  }
  node.order = concatenationOrderFastestFirst(shapes, strides, int(resultNdim));
  node.strides = stridesInAxisOrder(node.shape, 1, node.order);
  return node;
}

/// NumPy's _block_slicing order for a large result: Fortran when every leaf
/// is F-contiguous and not every one is C-contiguous, else C.
void blockLeafOrders(const BlockNode& node, bool& allC, bool& allF) {
  if (node.children.empty()) {
    const Strides& st = node.strides;
    // Contiguity of a leaf seen with its strides (length-1 axes ignored).
    int64_t c = itemSize(node.leaf.array->dtype()), f = c;
    for (size_t d = node.shape.size(); d-- > 0;)
      if (node.shape[d] != 1) {
        allC &= st[d] == c;
        c *= node.shape[d];
      }
    for (size_t d = 0; d < node.shape.size(); ++d)
      if (node.shape[d] != 1) {
        allF &= st[d] == f;
        f *= node.shape[d];
      }
    return;
  }
  for (const BlockNode& child : node.children) blockLeafOrders(child, allC, allF);
}

void blockDType(const BlockNode& node, std::optional<DType>& dtype) {
  if (node.children.empty()) {
    const DType t = node.leaf.array->dtype();
    dtype = dtype ? promote(*dtype, t) : t;
  }
  for (const BlockNode& c : node.children) blockDType(c, dtype);
}

/// Writes every leaf below `node` into `target` (node's part of the result).
void writeBlock(Interpreter& in, const BlockNode& node, const Array& target, size_t axis,
                int& leaves, Span span) {
  if (node.children.empty()) {
    if (target.size() > 0) in.assignInto(target, node.leaf, span);
    ++leaves;
    return;
  }
  int64_t offset = 0;
  for (const BlockNode& c : node.children) {
    const int64_t length = c.shape[axis];
    writeBlock(in, c, target.sliceAxis(int(axis), offset, 1, length), axis + 1, leaves, span);
    offset += length;
  }
}

} // namespace

Value builtinBlock(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"arrays", {}}});
  const BlockDepths depths = blockDepths(a[0], {}, span);
  const size_t listNdim = depths.first.size();
  if (!depths.first.empty() && depths.first.back() < 0)
    raise(ErrorKind::Value, span, "List at " + blockIndexText(depths.first) + " cannot be empty");
  if (listNdim == 0) {
    // Not a list: a copy of the array (NumPy's edge case).
    std::vector<Value> args{a[0]};
    Kwargs kwargs;
    return in.callBuiltin("array", args, kwargs, span);
  }
  const size_t resultNdim = std::max(depths.maxNdim, listNdim);
  // NumPy assigns slices instead of concatenating past 2 * 512 * 512 elements.
  const bool large = double(listNdim) * double(depths.size) > 2.0 * 512 * 512;
  const BlockNode tree = blockTree(in, a[0], 0, listNdim, resultNdim, large, span);
  std::optional<DType> dtype;
  blockDType(tree, dtype);
  // NumPy's layout: its nested concatenations' for a small result, else
  // _block_slicing's all-Fortran test.
  std::vector<int> order;
  if (large) {
    bool allC = true, allF = true;
    blockLeafOrders(tree, allC, allF);
    for (size_t d = 0; d < resultNdim; ++d)
      order.push_back(allF && !allC ? int(d) : int(resultNdim - 1 - d));
  } else {
    order = tree.order;
  }
  Array result;
  try {
    result = Array::emptyInAxisOrder(tree.shape, *dtype, order);
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
  int leaves = 0;
  writeBlock(in, tree, result, resultNdim - listNdim, leaves, span);
  in.note(span, "block of " + std::to_string(leaves) + " arrays: one result of shape " +
                    formatShapeCompact(tree.shape) +
                    ", each block computed or copied straight into its place");
  return in.materializedValue(result);
}

} // namespace ravel::exec
