// gradient(f, *varargs, axis=None, edge_order=1): NumPy 1.24's
// function_base.gradient step by step over graph ops.
//
// Per axis: spacing is a scalar (uniform) or the differences of a 1-d
// coordinate array (a scalar again when they are all equal, as NumPy
// reduces them); the interior is the second-order central difference, the
// two edges one-sided differences of first or second order. Each piece is
// an elementwise graph over slices of f written into a new array of f's
// float dtype (integers compute in float64; booleans reach NumPy's
// subtract error). One axis gives an array, several a list of arrays.
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"

namespace ravel::exec {
using graph::Op;

namespace {

int ndimOf(const Value& v) {
  return v.isArray() ? int(v.array->shape().size()) : 0;
}

/// One axis's work: f's slices along it, the output, and the spacing.
struct AxisStep {
  Interpreter& in;
  Span span;
  Value f;
  int ndim;
  int axis;

  std::vector<Value> at(Value i) const {
    std::vector<Value> index(size_t(ndim), sliceValue(std::nullopt, std::nullopt));
    index[size_t(axis)] = std::move(i);
    return index;
  }
  Value part(Value i) const { return in.subscript(f, at(std::move(i)), span); }
  // NumPy's gradient uses Python's operators: two Python numbers give a
  // Python number (weak, so `-1.5 / dx * f` stays in f's float32), not a
  // float64 NumPy value.
  Value mul(const Value& a, const Value& b) const {
    return in.pyBinary(ast::BinaryOp::Mul, a, b, span);
  }
  Value div(const Value& a, const Value& b) const {
    return in.pyBinary(ast::BinaryOp::Div, a, b, span);
  }
  Value add(const Value& a, const Value& b) const {
    return in.pyBinary(ast::BinaryOp::Add, a, b, span);
  }
  Value sub(const Value& a, const Value& b) const {
    return in.pyBinary(ast::BinaryOp::Sub, a, b, span);
  }
  Value neg(const Value& a) const {
    return a.kind == Value::Kind::Float ? Value::ofFloat(-a.f) : in.unary(Op::Neg, a, span);
  }
  Value item(const Value& dx, int64_t i) const { return in.subscript(dx, {Value::ofInt(i)}, span); }
  void store(const Value& out, Value i, const Value& v) const {
    Array base = in.materialize(out.array, span);
    in.assignInto(in.indexView(base, at(std::move(i)), span, nullptr), v, span);
  }
  /// a * f[s2] + b * f[s3] + c * f[s4]
  Value combine(const Value& a, Value s2, const Value& b, Value s3, const Value& c,
                Value s4) const {
    return add(add(mul(a, part(std::move(s2))), mul(b, part(std::move(s3)))),
               mul(c, part(std::move(s4))));
  }
};

} // namespace

Value builtinGradient(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  // gradient(f, *varargs, axis=None, edge_order=1)
  if (call.args.empty())
    raise(ErrorKind::Type, span, "gradient() missing 1 required positional argument: 'f'");
  Value axisArgValue = kNone;
  Value edgeOrderValue = Value::ofInt(1);
  for (const auto& [k, v] : call.kwargs) {
    if (k == "axis")
      axisArgValue = v;
    else if (k == "edge_order")
      edgeOrderValue = v;
    else if (k == "f")
      raise(ErrorKind::Type, span, "gradient() got multiple values for argument 'f'");
    else
      raise(ErrorKind::Type, span, "gradient() got an unexpected keyword argument '" + k + "'");
  }
  Value f = toArrayValue(in, call.args[0], span);
  const std::vector<Value> varargs(call.args.begin() + 1, call.args.end());
  const int n = int(f.array->shape().size());
  std::vector<int> axes;
  if (axisArgValue.kind == Value::Kind::None) {
    for (int d = 0; d < n; ++d) axes.push_back(d);
  } else {
    std::vector<int64_t> given = toIntList(axisArgValue, span);
    for (int64_t a : given) {
      const int ax = axisArg(Value::ofInt(a), n, span);
      if (std::find(axes.begin(), axes.end(), ax) != axes.end())
        raise(ErrorKind::Value, span, "repeated axis");
      axes.push_back(ax);
    }
  }
  const size_t lenAxes = axes.size();
  std::vector<Value> dx;
  if (varargs.empty()) {
    dx.assign(lenAxes, Value::ofFloat(1.0));
  } else if (varargs.size() == 1 && ndimOf(varargs[0]) == 0 &&
             varargs[0].kind != Value::Kind::List && varargs[0].kind != Value::Kind::Tuple) {
    dx.assign(lenAxes, varargs[0]);
  } else if (varargs.size() == lenAxes) {
    for (size_t i = 0; i < lenAxes; ++i) {
      Value d = varargs[i];
      if (d.isPyScalar()) {
        dx.push_back(d);
        continue;
      }
      Value arr = toArrayValue(in, d, span);
      const Shape& s = arr.array->shape();
      if (s.empty()) {
        dx.push_back(d);
        continue;
      }
      if (s.size() != 1) raise(ErrorKind::Value, span, "distances must be either scalars or 1d");
      if (s[0] != f.array->shape()[size_t(axes[i])])
        raise(ErrorKind::Value, span,
              "when 1d, distances must match the length of the corresponding dimension");
      if (isInteger(arr.array->dtype())) arr = in.astype(arr, DType::Float64, span);
      Value diffx = callNamed(in, "diff", {arr}, {}, span);
      // Constant spacing reduces to the scalar case: diffx[0], a NumPy scalar.
      bool constant = false;
      if (diffx.array->shape()[0] > 0) {
        Value first = in.subscript(diffx, {Value::ofInt(0)}, span);
        Value all = in.reduce(Op::All, in.binary(Op::Eq, diffx, first, span), kNone, span);
        constant = !in.dryRun() && in.materialize(all.array, span).item().b;
        if (constant) diffx = first;
      } else {
        // (diffx == diffx[0]) indexes an empty array: NumPy's IndexError.
        raise(ErrorKind::Index, span, "index 0 is out of bounds for axis 0 with size 0");
      }
      dx.push_back(diffx);
    }
  } else {
    raise(ErrorKind::Type, span, "invalid number of arguments");
  }
  const int64_t edgeOrder = toInt(edgeOrderValue, span);
  if (edgeOrder > 2) raise(ErrorKind::Value, span, "'edge_order' greater than 2 not supported");

  DType otype = f.array->dtype();
  if (!isFloat(otype)) {
    if (isInteger(otype)) f = in.astype(f, DType::Float64, span);
    otype = DType::Float64;
  }
  std::vector<Value> outvals;
  for (size_t k = 0; k < lenAxes; ++k) {
    const int axis = axes[k];
    const Value& axDx = dx[k];
    if (f.array->shape()[size_t(axis)] < edgeOrder + 1)
      raise(ErrorKind::Value, span,
            "Shape of array too small to calculate a numerical gradient, at least (edge_order + "
            "1) elements are required.");
    Value out = in.materializedValue(Array::empty(f.array->shape(), otype));
    AxisStep st{in, span, f, n, axis};
    const bool uniform = ndimOf(axDx) == 0;
    const Value two = Value::ofFloat(2.0);
    if (uniform) {
      st.store(out, sliceValue(1, -1),
               st.div(st.sub(st.part(sliceValue(2, std::nullopt)),
                             st.part(sliceValue(std::nullopt, -2))),
                      st.mul(two, axDx)));
    } else {
      Value dx1 = in.subscript(axDx, {sliceValue(0, -1)}, span);
      Value dx2 = in.subscript(axDx, {sliceValue(1, std::nullopt)}, span);
      Value a = st.div(st.neg(dx2), st.mul(dx1, st.add(dx1, dx2)));
      Value b = st.div(st.sub(dx2, dx1), st.mul(dx1, dx2));
      Value c = st.div(dx1, st.mul(dx2, st.add(dx1, dx2)));
      Value shape = Value::ofTuple({});
      for (int d = 0; d < n; ++d) shape.items.push_back(Value::ofInt(d == axis ? -1 : 1));
      a = callNamed(in, "reshape", {a, shape}, {}, span);
      b = callNamed(in, "reshape", {b, shape}, {}, span);
      c = callNamed(in, "reshape", {c, shape}, {}, span);
      st.store(out, sliceValue(1, -1),
               st.combine(a, sliceValue(std::nullopt, -2), b, sliceValue(1, -1), c,
                          sliceValue(2, std::nullopt)));
    }
    if (edgeOrder == 1) {
      const Value dx0 = uniform ? axDx : st.item(axDx, 0);
      st.store(out, Value::ofInt(0),
               st.div(st.sub(st.part(Value::ofInt(1)), st.part(Value::ofInt(0))), dx0));
      const Value dxn = uniform ? axDx : st.item(axDx, -1);
      st.store(out, Value::ofInt(-1),
               st.div(st.sub(st.part(Value::ofInt(-1)), st.part(Value::ofInt(-2))), dxn));
    } else {
      Value a, b, c;
      if (uniform) {
        a = st.div(Value::ofFloat(-1.5), axDx);
        b = st.div(two, axDx);
        c = st.div(Value::ofFloat(-0.5), axDx);
      } else {
        Value dx1 = st.item(axDx, 0), dx2 = st.item(axDx, 1);
        a = st.div(st.neg(st.add(st.mul(two, dx1), dx2)), st.mul(dx1, st.add(dx1, dx2)));
        b = st.div(st.add(dx1, dx2), st.mul(dx1, dx2));
        c = st.div(st.neg(dx1), st.mul(dx2, st.add(dx1, dx2)));
      }
      st.store(out, Value::ofInt(0),
               st.combine(a, Value::ofInt(0), b, Value::ofInt(1), c, Value::ofInt(2)));
      if (uniform) {
        a = st.div(Value::ofFloat(0.5), axDx);
        b = st.div(Value::ofFloat(-2.0), axDx);
        c = st.div(Value::ofFloat(1.5), axDx);
      } else {
        Value dx1 = st.item(axDx, -2), dx2 = st.item(axDx, -1);
        a = st.div(dx2, st.mul(dx1, st.add(dx1, dx2)));
        b = st.div(st.neg(st.add(dx2, dx1)), st.mul(dx1, dx2));
        c = st.div(st.add(st.mul(two, dx2), dx1), st.mul(dx2, st.add(dx1, dx2)));
      }
      st.store(out, Value::ofInt(-1),
               st.combine(a, Value::ofInt(-3), b, Value::ofInt(-2), c, Value::ofInt(-1)));
    }
    outvals.push_back(out);
  }
  if (lenAxes == 1) return outvals[0];
  Value list = Value::ofTuple(std::move(outvals));
  list.kind = Value::Kind::List;
  return list;
}

} // namespace ravel::exec
