// Index helpers and broadcasting utilities of NumPy 1.24's lib:
// triu_indices / tril_indices (and their _from forms), diag_indices (and
// _from), fill_diagonal, broadcast_shapes and broadcast_arrays.
//
// The index functions are NumPy's expressions over the interpreter's own
// builtins (tri, indices, broadcast_to, a mask subscript), so the arrays and
// errors are NumPy's. fill_diagonal writes NumPy's `a.flat[:end:step] = val`
// (val repeated cyclically) as one advanced assignment at the diagonal's
// multi-indices. broadcast_shapes/broadcast_arrays compute the shape with
// np.broadcast's message; broadcast_arrays returns the inputs that already
// have it and writeable zero-stride views of the others (NumPy 1.24's
// views are writeable too, warning on write; ravel does not warn).
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"

#include <algorithm>

namespace ravel::exec {
using graph::Op;

namespace {

Value tupleOf(const Shape& s) {
  Value t = Value::ofTuple({});
  for (int64_t d : s) t.items.push_back(Value::ofInt(d));
  return t;
}

/// The broadcast of `shapes`, or np.broadcast's ValueError naming the
/// argument that set the conflicting length and the one that disagrees.
Shape broadcastShapes(const std::vector<Shape>& shapes, Span span) {
  size_t nd = 0;
  for (const Shape& s : shapes) nd = std::max(nd, s.size());
  Shape out(nd, 1);
  std::vector<int> setBy(nd, -1);
  for (size_t i = 0; i < shapes.size(); ++i) {
    const Shape& s = shapes[i];
    for (size_t k = 0; k < s.size(); ++k) {
      const size_t o = nd - s.size() + k;
      const int64_t d = s[k];
      if (d == 1) continue;
      if (out[o] == 1) {
        out[o] = d;
        setBy[o] = int(i);
      } else if (out[o] != d) {
        const int j = setBy[o];
        raise(ErrorKind::Value, span,
              "shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is "
              "between arg " +
                  std::to_string(j) + " with shape " + formatShape(shapes[size_t(j)]) +
                  " and arg " + std::to_string(i) + " with shape " + formatShape(s) + ".");
      }
    }
  }
  return out;
}

/// tril_indices(n, k, m) / triu_indices: NumPy's
/// tuple(broadcast_to(inds, tri_.shape)[tri_] for inds in indices(tri_.shape, sparse=True)).
Value triangleIndices(Interpreter& in, bool upper, const Value& n, const Value& k, const Value& m,
                      Span span) {
  Value kk = upper ? in.binary(Op::Sub, k, Value::ofInt(1), span) : k;
  Value tri =
      callNamed(in, "tri", {n, m}, {{"k", kk}, {"dtype", Value::ofDType(DType::Bool)}}, span);
  if (upper) tri = in.unary(Op::Invert, tri, span);
  const Value shape = tupleOf(tri.array->shape());
  Value grids = callNamed(in, "indices", {shape}, {{"sparse", Value::ofBool(true)}}, span);
  Value out = Value::ofTuple({});
  for (const Value& g : in.itemsOf(grids, span)) {
    Value b = callNamed(in, "broadcast_to", {g, shape}, {}, span);
    out.items.push_back(in.subscript(b, {tri}, span));
  }
  return out;
}

Value requireArray2d(Interpreter& in, const Value& v, Span span) {
  Value a = toArrayValue(in, v, span);
  if (a.array->shape().size() != 2) raise(ErrorKind::Value, span, "input array must be 2-d");
  return a;
}

bool allEqual(const Shape& s) {
  return std::adjacent_find(s.begin(), s.end(), std::not_equal_to<>()) == s.end();
}

} // namespace

Value builtinTriangleIndices(BuiltinCall& call) {
  auto a = call.bind({{"n", {}}, {"k", Value::ofInt(0)}, {"m", kNone}});
  return triangleIndices(call.in, call.name == "triu_indices", a[0], a[1], a[2], call.span);
}

Value builtinTriangleIndicesFrom(BuiltinCall& call) {
  auto a = call.bind({{"arr", {}}, {"k", Value::ofInt(0)}});
  Value arr = requireArray2d(call.in, a[0], call.span);
  const Shape& s = arr.array->shape();
  return triangleIndices(call.in, call.name == "triu_indices_from", Value::ofInt(s[0]), a[1],
                         Value::ofInt(s[1]), call.span);
}

/// diag_indices(n, ndim=2): (arange(n),) * ndim, one array object repeated.
Value builtinDiagIndices(BuiltinCall& call) {
  auto a = call.bind({{"n", {}}, {"ndim", Value::ofInt(2)}});
  Value idx = callNamed(call.in, "arange", {a[0]}, {}, call.span);
  const int64_t nd = toInt(a[1], call.span);
  return Value::ofTuple(std::vector<Value>(size_t(std::max<int64_t>(nd, 0)), idx));
}

Value builtinDiagIndicesFrom(BuiltinCall& call) {
  Interpreter& in = call.in;
  auto a = call.bind({{"arr", {}}});
  Value arr = toArrayValue(in, a[0], call.span);
  const Shape& s = arr.array->shape();
  if (s.size() < 2) raise(ErrorKind::Value, call.span, "input array must be at least 2-d");
  if (!allEqual(s))
    raise(ErrorKind::Value, call.span, "All dimensions of input must be of equal length");
  Value idx = callNamed(in, "arange", {Value::ofInt(s[0])}, {}, call.span);
  return Value::ofTuple(std::vector<Value>(s.size(), idx));
}

/// fill_diagonal(a, val, wrap=False): a.flat[:end:step] = val, in place.
Value builtinFillDiagonal(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"a", {}}, {"val", {}}, {"wrap", Value::ofBool(false)}});
  if (!a[0].isArray())
    raise(ErrorKind::Name, span,
          std::string("'") + typeName(a[0]) + "' object has no attribute 'ndim'");
  const Shape s = a[0].array->shape();
  if (s.size() < 2) raise(ErrorKind::Value, span, "array must be at least 2-d");
  int64_t size = 1;
  for (int64_t d : s) size *= d;
  int64_t end = size, step = 0;
  if (s.size() == 2) {
    step = s[1] + 1;
    if (!in.truthy(a[2], span)) end = std::min(size, s[1] * s[1]);
  } else {
    if (!allEqual(s))
      raise(ErrorKind::Value, span, "All dimensions of input must be of equal length");
    int64_t prod = 1;
    step = 1;
    for (size_t d = 0; d + 1 < s.size(); ++d) {
      prod *= s[d];
      step += prod;
    }
  }
  // The flat positions, as one index array per axis (C order).
  std::vector<std::vector<int64_t>> multi(s.size());
  for (int64_t f = 0; f < end; f += step) {
    int64_t r = f;
    for (size_t d = s.size(); d-- > 0;) {
      multi[d].push_back(r % s[d]);
      r /= s[d];
    }
  }
  // a.flat's assignment refuses a read-only array with its own message.
  if (!in.dryRun() && !in.materialize(a[0].array, span).writeable())
    raise(ErrorKind::Value, span, "underlying array is read-only");
  const int64_t count = int64_t(multi[0].size());
  if (count == 0) return Value::none();
  // val repeated cyclically over the positions, as flat assignment does.
  Value flat = callNamed(in, "ravel", {toArrayValue(in, a[1], span)}, {}, span);
  const int64_t nv = flat.array->shape()[0];
  if (nv == 0) return Value::none();
  std::vector<int64_t> cyc(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) cyc[size_t(i)] = i % nv;
  Value vals =
      callNamed(in, "take", {flat, in.materializedValue(arrayOf(cyc, DType::Int64))}, {}, span);
  std::vector<Value> index;
  for (const auto& m : multi) index.push_back(in.materializedValue(arrayOf(m, DType::Int64)));
  in.advancedAssign(a[0].array, std::move(index), vals, span);
  return Value::none();
}

/// broadcast_shapes(*args): each an int or a tuple of ints.
Value builtinBroadcastShapes(BuiltinCall& call) {
  if (!call.kwargs.empty())
    raise(ErrorKind::Type, call.span,
          "broadcast_shapes() got an unexpected keyword argument '" + call.kwargs[0].first + "'");
  std::vector<Shape> shapes;
  for (const Value& v : call.args) {
    Shape s = toIntList(v, call.span);
    for (int64_t d : s)
      if (d < 0) raise(ErrorKind::Value, call.span, "negative dimensions are not allowed");
    shapes.push_back(std::move(s));
  }
  return tupleOf(broadcastShapes(shapes, call.span));
}

/// broadcast_arrays(*args, subok=False): a list.
Value builtinBroadcastArrays(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  for (const auto& [k, v] : call.kwargs)
    if (k != "subok")
      raise(ErrorKind::Type, span,
            "broadcast_arrays() got an unexpected keyword argument '" + k + "'");
  std::vector<Value> arrays;
  std::vector<Shape> shapes;
  for (const Value& v : call.args) {
    arrays.push_back(callNamed(in, "array", {v}, {{"copy", Value::ofBool(false)}}, span));
    shapes.push_back(arrays.back().array->shape());
  }
  const Shape shape = broadcastShapes(shapes, span);
  Value out = Value::ofTuple({});
  out.kind = Value::Kind::List;
  const bool same =
      std::all_of(shapes.begin(), shapes.end(), [&](const Shape& s) { return s == shape; });
  for (Value& a : arrays) {
    if (same) {
      out.items.push_back(a);
      continue;
    }
    Array base = in.materialize(a.array, span);
    Array view = base.broadcastTo(shape).withWriteable(base.writeable());
    out.items.push_back(in.viewValue(a.array, view, /*zeroDimStaysArray=*/true));
  }
  return out;
}

} // namespace ravel::exec
