// Functions and attributes that make views (or, where NumPy copies, say so):
// the layout side of NumPy's array model. Every view here is metadata over
// the input's buffer (its `.base` is the input's owner); a lazy input is
// computed first, as `.T` does. Arguments are checked in NumPy's order with
// NumPy's messages, so the first error a program hits is NumPy's.
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"

#include "runtime/Layout.h"

#include <algorithm>
#include <numeric>

namespace ravel::exec {

namespace {

/// An argument as an array value (lists become arrays) and its memory.
struct Operand {
  Value value;
  Array data;
};

Operand arrayOperand(Interpreter& in, const Value& v, Span span) {
  Value a = toArrayValue(in, v, span);
  return {a, in.materialize(a.array, span)};
}

std::string nameOf(const Value& v) {
  return v.array->name.empty() ? std::string("the array") : v.array->name;
}

/// operator.index(axis) then normalize_axis_index: swapaxes, squeeze.
/// NumPy prefixes the AxisError with the argument's name ("axis1: ").
int axisIndex(const Value& v, int ndim, Span span, const std::string& prefix = {}) {
  try {
    return normalizeAxis(toInt(v, span), ndim);
  } catch (const RuntimeError& e) {
    raise(e.kind(), span, prefix + e.what());
  }
}

/// NumPy's normalize_axis_tuple: an int or a tuple/list of ints, each
/// normalised; duplicates rejected unless allowed. `argname` prefixes the
/// messages as NumPy does ("source: axis 3 is out of bounds ...").
std::vector<int> axisTuple(const Value& v, int ndim, Span span, const char* argname,
                           bool allowDuplicate) {
  std::vector<Value> items;
  if (v.kind == Value::Kind::Tuple || v.kind == Value::Kind::List)
    items = v.items;
  else if (v.kind == Value::Kind::Int || v.kind == Value::Kind::Bool ||
           (v.isArray() && v.array->isScalar && isInteger(v.array->dtype())))
    items = {v};
  else
    raise(ErrorKind::Type, span, std::string("'") + typeName(v) + "' object is not iterable");
  std::string prefix = argname ? std::string(argname) + ": " : std::string();
  std::vector<int> axes;
  for (const Value& item : items) {
    if (item.kind == Value::Kind::Float)
      raise(ErrorKind::Type, span, "integer argument expected, got float");
    axes.push_back(axisIndex(item, ndim, span, prefix));
  }
  if (!allowDuplicate) {
    std::vector<int> sorted = axes;
    std::sort(sorted.begin(), sorted.end());
    if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
      raise(ErrorKind::Value, span,
            argname ? std::string("repeated axis in `") + argname + "` argument"
                    : std::string("repeated axis"));
  }
  return axes;
}

/// A shape or strides argument of as_strided, which must be a sequence.
Shape sequenceOf(const Value& v, Span span) {
  if (v.kind != Value::Kind::Tuple && v.kind != Value::Kind::List)
    raise(ErrorKind::Type, span, std::string("'") + typeName(v) + "' object is not iterable");
  return toIntList(v, span);
}

void checkMaxDims(size_t ndim, Span span) {
  if (ndim > size_t(kMaxDims))
    raise(ErrorKind::Value, span,
          "maximum supported dimension for an ndarray is " + std::to_string(kMaxDims) + ", found " +
              std::to_string(ndim));
}

Value swapaxes(Interpreter& in, const std::vector<Value>& a, Span span) {
  Operand x = arrayOperand(in, a[0], span);
  const int nd = x.data.ndim();
  int i = axisIndex(a[1], nd, span, "axis1: ");
  int j = axisIndex(a[2], nd, span, "axis2: ");
  std::vector<int> perm(static_cast<size_t>(nd));
  std::iota(perm.begin(), perm.end(), 0);
  std::swap(perm[size_t(i)], perm[size_t(j)]);
  in.note(span, "swapaxes(" + nameOf(x.value) + ", " + std::to_string(i) + ", " +
                    std::to_string(j) + ") is a view: two strides exchanged, no copy");
  return in.viewValue(x.value.array, x.data.transpose(perm));
}

Value moveaxis(Interpreter& in, const std::vector<Value>& a, Span span) {
  Operand x = arrayOperand(in, a[0], span);
  const int nd = x.data.ndim();
  std::vector<int> source = axisTuple(a[1], nd, span, "source", false);
  std::vector<int> destination = axisTuple(a[2], nd, span, "destination", false);
  if (source.size() != destination.size())
    raise(ErrorKind::Value, span,
          "`source` and `destination` arguments must have the same number of elements");
  // NumPy: the axes not moved keep their order; each moved axis is inserted
  // at its destination, in order of destination.
  std::vector<int> order;
  for (int d = 0; d < nd; ++d)
    if (std::find(source.begin(), source.end(), d) == source.end()) order.push_back(d);
  std::vector<std::pair<int, int>> moves;
  for (size_t k = 0; k < source.size(); ++k) moves.emplace_back(destination[k], source[k]);
  std::sort(moves.begin(), moves.end());
  for (auto [dest, src] : moves) order.insert(order.begin() + dest, src);
  in.note(span, "moveaxis(" + nameOf(x.value) + ", ...) is a view: strides permuted, no copy");
  return in.viewValue(x.value.array, x.data.transpose(order));
}

Value expandDims(Interpreter& in, const std::vector<Value>& a, Span span) {
  Operand x = arrayOperand(in, a[0], span);
  Value axis = a[1];
  if (axis.kind != Value::Kind::Tuple && axis.kind != Value::Kind::List)
    axis = Value::ofTuple({axis});
  const int outNd = int(axis.items.size()) + x.data.ndim();
  std::vector<int> axes = axisTuple(axis, outNd, span, nullptr, false);
  checkMaxDims(size_t(outNd), span);
  Shape shape;
  size_t next = 0;
  for (int d = 0; d < outNd; ++d)
    shape.push_back(std::find(axes.begin(), axes.end(), d) != axes.end() ? 1
                                                                         : x.data.shape()[next++]);
  // NumPy reshapes; inserting length-1 axes never needs a copy.
  Array r = x.data.reshapeView(shape);
  RAVEL_CHECK(r.valid(), "inserting length-1 axes needs no copy");
  in.note(span, "expand_dims(" + nameOf(x.value) + ") to " + formatShapeCompact(shape) +
                    " is a view, no copy");
  return in.viewValue(x.value.array, r);
}

Value squeeze(Interpreter& in, const std::vector<Value>& a, Span span) {
  Value self = toArrayValue(in, a[0], span);
  Array m = in.materialize(self.array, span);
  const int nd = m.ndim();
  std::vector<bool> drop(size_t(nd), false);
  if (a[1].kind == Value::Kind::None) {
    for (int d = 0; d < nd; ++d) drop[size_t(d)] = m.shape()[size_t(d)] == 1;
  } else {
    // PyArray_ConvertMultiAxis: an int or a tuple of ints.
    std::vector<Value> items =
        a[1].kind == Value::Kind::Tuple ? a[1].items : std::vector<Value>{a[1]};
    if (nd == 0) {
      // A 0-d array accepts axis 0 or -1 alone (NumPy treats it as 1-d here).
      for (const Value& item : items) {
        int64_t axis = toInt(item, span);
        if (items.size() != 1 || (axis != 0 && axis != -1))
          axisIndex(item, 0, span); // every axis is out of bounds for 0 dimensions
      }
      return self;
    }
    for (const Value& item : items) {
      int d = axisIndex(item, nd, span);
      if (drop[size_t(d)]) raise(ErrorKind::Value, span, "duplicate value in 'axis'");
      drop[size_t(d)] = true;
    }
    for (int d = 0; d < nd; ++d)
      if (drop[size_t(d)] && m.shape()[size_t(d)] != 1)
        raise(ErrorKind::Value, span,
              "cannot select an axis to squeeze out which has size not equal to one");
  }
  // Nothing to remove: NumPy returns the array itself.
  if (std::find(drop.begin(), drop.end(), true) == drop.end()) return self;
  Shape shape;
  Strides strides;
  for (int d = 0; d < nd; ++d) {
    if (drop[size_t(d)]) continue;
    shape.push_back(m.shape()[size_t(d)]);
    strides.push_back(m.strides()[size_t(d)]);
  }
  in.note(span,
          "squeeze(" + nameOf(self) + ") to " + formatShapeCompact(shape) + " is a view, no copy");
  return in.viewValue(self.array, m.view(shape, strides, m.offset()));
}

Value broadcastTo(Interpreter& in, const std::vector<Value>& a, Span span) {
  Operand x = arrayOperand(in, a[0], span);
  Shape shape = toIntList(a[1], span);
  const Shape& from = x.data.shape();
  if (shape.empty() && !from.empty())
    raise(ErrorKind::Value, span, "cannot broadcast a non-scalar to a scalar array");
  for (int64_t d : shape)
    if (d < 0)
      raise(ErrorKind::Value, span, "all elements of broadcast shape must be non-negative");
  checkMaxDims(shape.size(), span);
  bool ok = shape.size() >= from.size();
  for (size_t i = 0; ok && i < from.size(); ++i) {
    int64_t f = from[from.size() - 1 - i], t = shape[shape.size() - 1 - i];
    ok = f == t || f == 1;
  }
  if (!ok)
    raise(ErrorKind::Value, span,
          "operands could not be broadcast together with remapped shapes "
          "[original->remapped]: " +
              formatShapeCompact(from) + "  and requested shape " + formatShapeCompact(shape));
  try {
    Array r = x.data.broadcastTo(shape);
    in.note(span, "broadcast_to(" + nameOf(x.value) + ", " + formatShapeCompact(shape) +
                      ") is a read-only view with stride 0 on the broadcast axes, no copy");
    return in.viewValue(x.value.array, r, /*zeroDimStaysArray=*/true);
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
}

Value slidingWindowView(Interpreter& in, const std::vector<Value>& a, Span span) {
  Operand x = arrayOperand(in, a[0], span);
  Shape window = toIntList(a[1], span);
  for (int64_t w : window)
    if (w < 0) raise(ErrorKind::Value, span, "`window_shape` cannot contain negative values");
  const int nd = x.data.ndim();
  std::vector<int> axes;
  if (a[2].kind == Value::Kind::None) {
    for (int d = 0; d < nd; ++d) axes.push_back(d);
    if (window.size() != axes.size())
      raise(ErrorKind::Value, span,
            "Since axis is `None`, must provide window_shape for all dimensions of `x`; got " +
                std::to_string(window.size()) + " window_shape elements and `x.ndim` is " +
                std::to_string(nd) + ".");
  } else {
    axes = axisTuple(a[2], nd, span, nullptr, true);
    if (window.size() != axes.size())
      raise(ErrorKind::Value, span,
            "Must provide matching length window_shape and axis; got " +
                std::to_string(window.size()) + " window_shape elements and " +
                std::to_string(axes.size()) + " axes elements.");
  }
  try {
    Array r = slidingWindows(x.data, window, axes);
    // NumPy's default writeable=False; ravel keeps overlapping windows
    // read-only even when asked (writing one element would change several).
    if (!in.truthy(a[3], span)) r = r.readOnly();
    in.note(span, "sliding_window_view(" + nameOf(x.value) + ") is a read-only view of shape " +
                      formatShapeCompact(r.shape()) + " over the same memory, no copy");
    return in.viewValue(x.value.array, r);
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
}

Value asStridedView(Interpreter& in, const std::vector<Value>& a, Span span) {
  Operand x = arrayOperand(in, a[0], span);
  Shape shape = a[1].kind == Value::Kind::None ? x.data.shape() : sequenceOf(a[1], span);
  Strides strides;
  if (a[2].kind != Value::Kind::None)
    strides = sequenceOf(a[2], span);
  else if (x.data.isCContiguous())
    // NumPy goes through __array_interface__, whose strides are None for a
    // C-contiguous array: the new shape then gets C-contiguous strides.
    strides = contiguousStrides(shape, x.data.itemsize());
  else
    strides = x.data.strides();
  try {
    Array r = asStrided(x.data, shape, strides);
    if (!in.truthy(a[3], span)) r = r.readOnly();
    in.note(span, "as_strided(" + nameOf(x.value) + ") is a view of shape " +
                      formatShapeCompact(shape) + ", checked to stay inside its buffer" +
                      (r.writeable() ? "" : "; read-only"));
    return in.viewValue(x.value.array, r);
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
}

/// flip(m, axis=None), fliplr, flipud: views with the chosen axes' strides
/// negated (NumPy's m[..., ::-1, ...]).
Value flip(Interpreter& in, const std::string& fn, const std::vector<Value>& a, Span span) {
  Operand x = arrayOperand(in, a[0], span);
  const int nd = x.data.ndim();
  std::vector<int> axes;
  if (fn == "fliplr" || fn == "flipud") {
    const int need = fn == "fliplr" ? 2 : 1;
    if (nd < need)
      raise(ErrorKind::Value, span,
            fn == "fliplr" ? "Input must be >= 2-d." : "Input must be >= 1-d.");
    axes = {fn == "fliplr" ? 1 : 0};
  } else if (a[1].kind == Value::Kind::None) {
    for (int d = 0; d < nd; ++d) axes.push_back(d);
  } else {
    axes = axisTuple(a[1], nd, span, nullptr, false);
  }
  // NumPy flips by indexing with one ::-1 per axis, so a 0-d input is
  // indexed with () and gives a new scalar, not a view.
  if (nd == 0) return in.materializedValue(x.data.copy(), true);
  Array r = x.data;
  for (int d : axes) r = r.sliceAxis(d, r.shape()[size_t(d)] - 1, -1, r.shape()[size_t(d)]);
  in.note(span, fn + "(" + nameOf(x.value) + ") is a view: strides negated, no copy");
  return in.viewValue(x.value.array, r);
}

/// atleast_1d/2d/3d of one array: a view with NumPy's padding axes
/// ((n,) -> (1, n) -> (1, n, 1)); several arrays give a list.
Value atleast(Interpreter& in, int dims, const std::vector<Value>& args, Span span) {
  std::vector<Value> out;
  for (const Value& v : args) {
    Operand x = arrayOperand(in, v, span);
    Array r = x.data;
    if (r.ndim() == 0) r = r.reshapeView(Shape(size_t(dims), 1));
    if (dims >= 2 && r.ndim() == 1) r = r.insertAxis(0);
    if (dims == 3 && r.ndim() == 2) r = r.insertAxis(2);
    out.push_back(r.data() == x.data.data() && r.shape() == x.data.shape() &&
                          r.strides() == x.data.strides()
                      ? x.value
                      : in.viewValue(x.value.array, r));
  }
  if (out.size() == 1) return out[0];
  Value list;
  list.kind = Value::Kind::List;
  list.items = std::move(out);
  return list;
}

/// shares_memory (exact) and may_share_memory (byte bounds overlap).
Value sharesMemory(Interpreter& in, bool exact, const std::vector<Value>& a, Span span) {
  Operand x = arrayOperand(in, a[0], span), y = arrayOperand(in, a[1], span);
  // NumPy converts a NumPy scalar to a new array: it shares memory with nothing.
  for (const Value& v : a)
    if (v.isArray() && v.array->isScalar) return Value::ofBool(false);
  if (!x.data.mayShareMemory(y.data)) return Value::ofBool(false);
  if (!exact) return Value::ofBool(true);
  // The bounds overlap: compare the byte ranges of the elements themselves.
  // NumPy solves this exactly too; it gives up past a work limit, as here.
  constexpr int64_t kMaxElements = int64_t(1) << 24;
  if (x.data.size() + y.data.size() > kMaxElements)
    raise(ErrorKind::Value, span,
          "shares_memory: exceeded max_work (arrays too large for an exact answer; use "
          "may_share_memory)");
  return Value::ofBool(elementsOverlap(x.data, y.data));
}

/// ascontiguousarray / asfortranarray: the input itself when its layout and
/// dtype already fit (NumPy's copy=False), else one copy in that layout.
/// Both return at least 1-d (NumPy passes ndmin=1).
Value asLayout(Interpreter& in, bool fortran, const std::vector<Value>& a, Span span) {
  const char* fname = fortran ? "asfortranarray" : "ascontiguousarray";
  Value self = toArrayValue(in, a[0], span);
  DType dtype = toDType(a[1], span).value_or(self.array->dtype());
  if (self.array->shape().empty()) {
    // A 0-d input becomes a (1,) view of it (of its converted copy for a new dtype).
    Value src = dtype == self.array->dtype() ? self : in.astype(self, dtype, span);
    Array m = in.materialize(src.array, span);
    in.note(span, std::string(fname) + " of a 0-d array is a (1,) view of it");
    return in.viewValue(src.array, m.view({1}, {m.itemsize()}, m.offset()));
  }
  int longAxes = 0;
  for (int64_t d : self.array->shape()) longAxes += d > 1;
  if (!self.array->materialized() && longAxes <= 1) {
    // A lazy value is computed into a fresh contiguous array anyway (with at
    // most one axis longer than 1, C and Fortran order are the same).
    in.note(span, std::string(fname) + " of a lazy value: it stays lazy (computed contiguous)");
    return dtype == self.array->dtype() ? self : in.astype(self, dtype, span);
  }
  if (self.array->materialized() && dtype == self.array->dtype()) {
    const Array& m = self.array->data;
    if (fortran ? m.isFContiguous() : m.isCContiguous()) {
      in.note(span, std::string(fname) + "(" + nameOf(self) +
                        ") returns the array itself: its layout already fits");
      return self;
    }
  }
  // A fresh buffer in the requested order written by one fused kernel (a
  // lazy input is computed straight into it; left alone it would take its
  // operands' memory order, as NumPy's results do).
  Array out;
  try {
    out = fortran ? Array::emptyFortran(self.array->shape(), dtype)
                  : Array::empty(self.array->shape(), dtype);
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
  in.assignInto(out, self, span);
  in.note(span, std::string(fname) + "(" + nameOf(self) + ") copies into " +
                    (fortran ? "Fortran" : "C") + " order");
  return in.materializedValue(out);
}

} // namespace

std::optional<Value> viewAttribute(Interpreter& in, const ArrayRef& a, const std::string& attr,
                                   Span span) {
  if (attr == "flags") {
    Array m = in.materialize(a, span);
    // A view (anything with a base) does not own its data; a fresh result does.
    bool ownsData = !m.isView() && !a->owner;
    Value flags;
    flags.kind = Value::Kind::Flags;
    // A NumPy scalar is immutable: never writeable.
    const bool writeable = m.writeable() && !a->isScalar;
    for (bool b : {m.isCContiguous(), m.isFContiguous(), ownsData, writeable, true, false})
      flags.items.push_back(Value::ofBool(b));
    return flags;
  }
  return std::nullopt;
}

Value builtinSwapaxes(BuiltinCall& call) {
  return swapaxes(call.in, call.bind({{"a", {}}, {"axis1", {}}, {"axis2", {}}}), call.span);
}

Value builtinSqueeze(BuiltinCall& call) {
  return squeeze(call.in, call.bind({{"a", {}}, {"axis", kNone}}), call.span);
}

Value builtinMoveaxis(BuiltinCall& call) {
  return moveaxis(call.in, call.bind({{"a", {}}, {"source", {}}, {"destination", {}}}), call.span);
}

Value builtinExpandDims(BuiltinCall& call) {
  return expandDims(call.in, call.bind({{"a", {}}, {"axis", {}}}), call.span);
}

Value builtinBroadcastTo(BuiltinCall& call) {
  return broadcastTo(call.in, call.bind({{"array", {}}, {"shape", {}}}), call.span);
}

Value builtinSlidingWindowView(BuiltinCall& call) {
  return slidingWindowView(
      call.in,
      call.bind(
          {{"x", {}}, {"window_shape", {}}, {"axis", kNone}, {"writeable", Value::ofBool(false)}}),
      call.span);
}

Value builtinAsStrided(BuiltinCall& call) {
  return asStridedView(
      call.in,
      call.bind(
          {{"x", {}}, {"shape", kNone}, {"strides", kNone}, {"writeable", Value::ofBool(true)}}),
      call.span);
}

Value builtinFlip(BuiltinCall& call) {
  return flip(call.in, call.name, call.bind({{"m", {}}, {"axis", kNone}}), call.span);
}

/// fliplr and flipud (call.name tells them apart).
Value builtinFlipLrUd(BuiltinCall& call) {
  return flip(call.in, call.name, call.bind({{"m", {}}}), call.span);
}

/// atleast_1d, atleast_2d and atleast_3d (the digit in call.name).
Value builtinAtleastNd(BuiltinCall& call) {
  if (!call.kwargs.empty())
    raise(ErrorKind::Type, call.span,
          call.name + "() got an unexpected keyword argument '" + call.kwargs[0].first + "'");
  return atleast(call.in, call.name[8] - '0', call.args, call.span);
}

Value builtinSharesMemory(BuiltinCall& call) {
  return sharesMemory(call.in, call.name == "shares_memory",
                      call.bind({{"a", {}}, {"b", {}}, {"max_work", kNone}}), call.span);
}

Value builtinAscontiguousarray(BuiltinCall& call) {
  return asLayout(call.in, false, call.bind({{"a", {}}, {"dtype", kNone}}), call.span);
}

Value builtinAsfortranarray(BuiltinCall& call) {
  return asLayout(call.in, true, call.bind({{"a", {}}, {"dtype", kNone}}), call.span);
}

} // namespace ravel::exec
