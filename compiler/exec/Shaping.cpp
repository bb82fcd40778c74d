// Shaping functions that rearrange an array's elements: rot90 (a view:
// flips and a transpose, as NumPy builds it) and take_along_axis (NumPy's
// fancy index with aranges on the other axes, so bounds errors and
// broadcasting are fancy indexing's own).
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"

#include "runtime/Creation.h"

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

Value builtinTakeAlongAxis(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"arr", {}}, {"indices", {}}, {"axis", {}}});
  Value arr = toArrayValue(in, a[0], span);
  Value idx = toArrayValue(in, a[1], span);
  int axis = 0;
  if (a[2].kind == Value::Kind::None) {
    // arr.flat: the elements in C order, one axis.
    std::vector<Value> shape{Value::ofInt(-1)};
    std::vector<Value> margs{arr, Value::ofTuple(shape)};
    Kwargs none;
    arr = in.callBuiltin(".reshape", margs, none, span);
  } else {
    axis = axisArg(a[2], int(arr.array->shape().size()), span);
  }
  if (!isInteger(idx.array->dtype()))
    raise(ErrorKind::Index, span, "`indices` must be an integer array");
  const Shape& shape = arr.array->shape();
  const int nd = int(shape.size());
  if (int(idx.array->shape().size()) != nd)
    raise(ErrorKind::Value, span, "`indices` and `arr` must have the same number of dimensions");
  // NumPy's _make_along_axis_idx: arange(n) shaped to broadcast along each
  // other axis, the indices along `axis`.
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
  return in.subscript(arr, index, span);
}

} // namespace ravel::exec
