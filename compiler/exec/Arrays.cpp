// Array operations of the interpreter: building lazy graph nodes with NumPy's
// typing rules, materializing them through fusion and the JIT, and in-place
// writes that keep laziness invisible.
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"

#include "compiler/fusion/FpChecks.h"
#include "compiler/sema/Rules.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <unordered_set>

namespace ravel::exec {
using graph::NodeRef;
using graph::Op;

namespace {

sema::Operand operandOf(const Value& v) {
  switch (v.kind) {
    case Value::Kind::Bool:
      return {DType::Bool, true, ScalarKind::Bool};
    case Value::Kind::Int:
      return {DType::Int64, true, ScalarKind::Int};
    case Value::Kind::Float:
      return {DType::Float64, true, ScalarKind::Float};
    case Value::Kind::Array:
      return {v.array->dtype(), false, ScalarKind::Float};
    default:
      break;
  }
  return {DType::Float64, false, ScalarKind::Float};
}

bool isArrayLike(const Value& v) {
  return v.isArray() || v.isPyScalar();
}

Scalar scalarOf(const Value& v) {
  switch (v.kind) {
    case Value::Kind::Bool:
      return Scalar::ofBool(v.b);
    case Value::Kind::Int:
      return Scalar::ofInt(v.i);
    default:
      return Scalar::ofFloat(v.f);
  }
}

/// The value of an operand known now without running anything: a Python
/// number, or a computed 0-d array (a NumPy scalar); nullopt otherwise.
std::optional<Scalar> knownScalar(const Value& v) {
  if (v.isPyScalar()) return scalarOf(v);
  if (v.isArray() && v.array->materialized() && v.array->data.ndim() == 0)
    return v.array->data.item();
  return std::nullopt;
}

/// `a op b` on two known single values computed at once, as NumPy does for
/// scalars, instead of a graph node and a kernel launch (a loop's `s += x[i]`
/// paid ~10 us per iteration for them). Values are the kernel's exactly: one
/// IEEE operation in the compute dtype. `warning` is set to the FpCategory
/// NumPy reports for it (-1 for none), by IEEE's rules for one operation: a
/// NaN from non-NaN operands is invalid, an infinity from finite ones divide
/// by zero (x / 0) or overflow; an integer result that does not fit is an
/// overflow (`wrapped` says the value wrapped, as NumPy's does). Other ops
/// return nullopt and take the general path.
std::optional<Scalar> foldScalars(Op op, const Scalar& x0, const Scalar& y0,
                                  const sema::OpTyping& t, int& warning) {
  warning = -1;
  const bool cmp =
      op == Op::Eq || op == Op::Ne || op == Op::Lt || op == Op::Le || op == Op::Gt || op == Op::Ge;
  const bool arith = op == Op::Add || op == Op::Sub || op == Op::Mul || op == Op::Div;
  if (!cmp && !arith) return std::nullopt;
  const Scalar x = x0.castTo(t.compute), y = y0.castTo(t.compute);
  if (cmp) {
    auto compare = [&](auto a, auto b) {
      switch (op) {
        case Op::Eq:
          return a == b;
        case Op::Ne:
          return a != b;
        case Op::Lt:
          return a < b;
        case Op::Le:
          return a <= b;
        case Op::Gt:
          return a > b;
        default:
          return a >= b;
      }
    };
    if (t.result != DType::Bool) return std::nullopt;
    if (isFloat(t.compute)) return Scalar::ofBool(compare(x.f, y.f));
    if (isInteger(t.compute)) return Scalar::ofBool(compare(x.i, y.i));
    return Scalar::ofBool(compare(int(x.b), int(y.b)));
  }
  if (t.result != t.compute) return std::nullopt;
  if (isFloat(t.compute)) {
    double r;
    if (t.compute == DType::Float32) {
      const float a = float(x.f), b = float(y.f);
      r = op == Op::Add ? a + b : op == Op::Sub ? a - b : op == Op::Mul ? a * b : a / b;
    } else {
      const double a = x.f, b = y.f;
      r = op == Op::Add ? a + b : op == Op::Sub ? a - b : op == Op::Mul ? a * b : a / b;
    }
    const double a = t.compute == DType::Float32 ? double(float(x.f)) : x.f;
    const double b = t.compute == DType::Float32 ? double(float(y.f)) : y.f;
    if (std::isnan(r) && !std::isnan(a) && !std::isnan(b))
      warning = int(fusion::FpCategory::Invalid);
    else if (std::isinf(r) && std::isfinite(a) && std::isfinite(b))
      warning =
          int(op == Op::Div && b == 0 ? fusion::FpCategory::Divide : fusion::FpCategory::Overflow);
    return Scalar::ofFloat(r, t.compute);
  }
  if (!isInteger(t.compute) || op == Op::Div) return std::nullopt;
  int64_t r;
  bool overflow = op == Op::Add   ? __builtin_add_overflow(x.i, y.i, &r)
                  : op == Op::Sub ? __builtin_sub_overflow(x.i, y.i, &r)
                                  : __builtin_mul_overflow(x.i, y.i, &r);
  if (t.compute == DType::Int32) {
    overflow |= r != int64_t(int32_t(r));
    r = int32_t(uint32_t(uint64_t(r))); // wraps, like NumPy's int32
  } // int64: __builtin_*_overflow stored the wrapped two's-complement result
  if (overflow) warning = int(fusion::FpCategory::Overflow);
  return Scalar::ofInt(r, t.compute);
}

/// True when the graph below root reads memory that a write into `buffer`
/// may change: the same buffer, or, for a file mapping, any file mapping
/// (two memmaps of one file are two buffers over the same pages).
bool dependsOn(const NodeRef& root, const Buffer* buffer) {
  bool found = false;
  graph::forEachNode({root.get()}, [&](const graph::Node* n) {
    if (n->op == Op::Input) {
      const Buffer* b = n->input.buffer().get();
      found |= b == buffer || (b->adopted() && buffer->adopted());
    }
    return !found;
  });
  return found;
}

std::string dtypeRepr(DType t) {
  return "dtype('" + std::string(dtypeName(t)) + "')";
}

} // namespace

Scalar setItemScalar(const Value& value, DType t, Span span) {
  try {
    if (value.kind == Value::Kind::Int && isInteger(t)) sema::checkWeakIntFits(value.i, t);
    return castForSetItem(scalarOf(value), t);
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
}

/// NumPy allocates every value an expression names or makes along the way,
/// so one too big for memory is its MemoryError at that statement, even
/// where fusion would never store it (`c = broadcast_to(1.0, (2**40,)) + 1`).
static void requireAllocatable(const Shape& shape, DType dtype, Span span) {
  try {
    int64_t nbytes = 0;
    if (__builtin_mul_overflow(checkedSize(shape), itemSize(dtype), &nbytes))
      throw RuntimeError(ErrorKind::Value, "array is too big; `arr.size * arr.dtype.itemsize` "
                                           "is larger than the maximum possible size.");
    if (nbytes > allocationLimit())
      throw RuntimeError(ErrorKind::Memory, "cannot allocate " + formatByteSize(nbytes) +
                                                " for an array with shape " + formatShape(shape) +
                                                " and data type " + std::string(dtypeName(dtype)));
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
}

Value Interpreter::arrayValue(NodeRef node, bool isScalar) {
  auto obj = std::make_shared<ArrayObject>();
  obj->node = std::move(node);
  obj->isScalar = isScalar;
  obj->span = obj->node->span;
  if (obj->node->op == Op::Input) {
    obj->data = obj->node->input;
    obj->node = nullptr;
  } else {
    requireAllocatable(obj->node->shape, obj->node->dtype, obj->span);
    track(obj);
    // Keep kernels small enough to compile quickly (TOOLCHAIN.md: compile
    // time grows superlinearly with kernel size).
    if (obj->node->opCount > kMaxFusedOps) materialize(obj, obj->span);
  }
  return Value::ofArray(obj);
}

Value Interpreter::materializedValue(Array a, bool isScalar) {
  auto obj = std::make_shared<ArrayObject>();
  obj->data = std::move(a);
  obj->isScalar = isScalar;
  return Value::ofArray(obj);
}

Value Interpreter::viewValue(const ArrayRef& of, Array view, bool zeroDimStaysArray) {
  // A NumPy scalar is immutable and has no memory to share: NumPy makes a
  // new 0-d array of it and views that (`reshape(s, 1)`, `flip(a).ravel()`
  // with a 0-d `a`), so the result is new memory that does not own its data.
  if (of->isScalar) {
    // Most functions return a 0-d result of a scalar as a scalar again;
    // broadcast_to and `s[...]` return the 0-d view itself.
    if (view.ndim() == 0 && !zeroDimStaysArray) return materializedValue(view.copy(), true);
    Array temporary = of->data.copy(); // 0-d: a view of it has one element
    return materializedValue(
        temporary.view(view.shape(), view.strides(), 0).withWriteable(view.writeable()));
  }
  Value v = materializedValue(std::move(view));
  // Only a view of memory the object owns (or views) has that object as base;
  // a result computed into fresh memory would own its buffer.
  if (v.array->data.buffer() == of->data.buffer()) {
    // NumPy's base is the array that owns the memory. A view the runtime
    // made of memory no object holds (reshape's copy, then a view of it) has
    // that copy as its base: give it an object once, so `w[:].base` and
    // `w.base` are the same array (found by random seed 3003757).
    if (!of->owner && of->data.isView() && !of->isLazyView())
      of->owner = materializedValue(of->data.base()).array;
    v.array->owner = of->owner ? of->owner : of;
    v.array->isMemmap = of->isMemmap; // NumPy: a view of a memmap is a memmap
  }
  return v;
}

NodeRef Interpreter::nodeOf(const Value& v, Span span) {
  requireInt64(v, span);
  if (v.isArray()) {
    if (v.array->materialized()) return graph_.input(v.array->data, span);
    return v.array->node;
  }
  if (v.isPyScalar()) {
    Scalar s = scalarOf(v);
    return graph_.constant(s.castTo(defaultDType(operandOf(v).kind)), span);
  }
  if (v.kind == Value::Kind::List || v.kind == Value::Kind::Tuple) {
    std::vector<Value> args{v};
    std::vector<std::pair<std::string, Value>> kw;
    Value arr = callBuiltin("array", args, kw, span);
    return nodeOf(arr, span);
  }
  raise(ErrorKind::Type, span,
        std::string("expected an array or a number, got '") + typeName(v) + "'");
}

/// The node for an operand converted to the dtype an op computes in. Weak
/// Python scalars become constants of that dtype (NEP 50).
static NodeRef operandNode(Interpreter& in, const Value& v, DType compute, Span span) {
  requireInt64(v, span);
  if (v.isPyScalar()) {
    if (v.kind == Value::Kind::Int && isInteger(compute)) {
      try {
        sema::checkWeakIntFits(v.i, compute);
      } catch (const RuntimeError& e) {
        rethrowWithSpan(e, span);
      }
    }
    return in.graph().constant(scalarOf(v).castTo(compute), span);
  }
  NodeRef n = in.nodeOf(v, span);
  if (n->dtype == compute) return n;
  if (n->op == Op::Const) return in.graph().constant(n->constant.castTo(compute), span);
  return in.graph().make(Op::Cast, compute, n->shape, {n}, span);
}

Value Interpreter::binary(Op op, const Value& a, const Value& b, Span span) {
  for (const Value* v : {&a, &b})
    if (!isArrayLike(*v) && v->kind != Value::Kind::List && v->kind != Value::Kind::Tuple)
      raise(ErrorKind::Type, span,
            std::string("unsupported operand type for ") + graph::numpyName(op) + ": '" +
                typeName(*v) + "'");
  Value va = (a.kind == Value::Kind::List || a.kind == Value::Kind::Tuple)
                 ? arrayValue(nodeOf(a, span))
                 : a;
  Value vb = (b.kind == Value::Kind::List || b.kind == Value::Kind::Tuple)
                 ? arrayValue(nodeOf(b, span))
                 : b;
  sema::Operand oa = operandOf(va), ob = operandOf(vb);
  if (oa.weak && ob.weak) oa.weak = false, oa.dtype = defaultDType(oa.kind);
  sema::OpTyping t;
  Shape shape;
  try {
    t = sema::typeBinary(op, oa, ob);
    // Two known single values are NumPy's scalar math, computed now. A lazy
    // scalar is left to the graph: forcing it here would cost a loop's
    // replayed plans (a `while` test like `abs(x - 2).max() >= 0`).
    if (std::optional<Scalar> x = dryRun_ ? std::nullopt : knownScalar(va)) {
      if (std::optional<Scalar> y = knownScalar(vb)) {
        bool fits = true;
        for (const Value* v : {&va, &vb}) {
          requireInt64(*v, span);
          // A weak int that does not fit the compute dtype is the general path's error.
          if (v->kind == Value::Kind::Int && isInteger(t.compute)) {
            try {
              sema::checkWeakIntFits(v->i, t.compute);
            } catch (const RuntimeError&) {
              fits = false;
            }
          }
        }
        int warning = -1;
        std::optional<Scalar> r = fits ? foldScalars(op, *x, *y, t, warning) : std::nullopt;
        // NumPy's scalar math names its op "scalar add" and warns when an
        // integer wraps; a 0-d array goes through the ufunc, which does not.
        const bool scalars =
            (!va.isArray() || va.array->isScalar) && (!vb.isArray() || vb.array->isScalar);
        if (r && (warning < 0 || isFloat(t.compute) || scalars)) {
          if (warning >= 0)
            fpEvent(
                warning,
                fusion::fpMessage(fusion::FpCategory(warning),
                                  (scalars ? "scalar " : "") + std::string(graph::numpyName(op))),
                span);
          return materializedValue(Array::scalar(*r), true);
        }
      }
    }
    NodeRef na = operandNode(*this, va, t.compute, span);
    NodeRef nb = operandNode(*this, vb, t.secondCompute.value_or(t.compute), span);
    shape = broadcastShapes(na->shape, nb->shape);
    // A ufunc's 0-d result is a NumPy scalar, even from 0-d arrays.
    bool scalar = shape.empty();
    return arrayValue(graph_.make(op, t.result, shape, {na, nb}, span), scalar);
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
}

Value Interpreter::unary(Op op, const Value& a, Span span) {
  if (!isArrayLike(a) && a.kind != Value::Kind::List && a.kind != Value::Kind::Tuple)
    raise(ErrorKind::Type, span,
          std::string("unsupported operand type for ") + graph::numpyName(op) + ": '" +
              typeName(a) + "'");
  Value va = a.isPyScalar() || a.isArray() ? a : arrayValue(nodeOf(a, span));
  sema::Operand oa = operandOf(va);
  oa.weak = false;
  if (va.isPyScalar()) oa.dtype = defaultDType(oa.kind);
  try {
    sema::OpTyping t = sema::typeUnary(op, oa);
    NodeRef n = operandNode(*this, va, t.compute, span);
    bool scalar = n->shape.empty(); // a ufunc's 0-d result is a NumPy scalar
    return arrayValue(graph_.make(op, t.result, n->shape, {n}, span), scalar);
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
}

Value Interpreter::around(const Value& a, int64_t decimals, Span span) {
  Value x = a.isPyScalar() || a.isArray() ? a : arrayValue(nodeOf(a, span));
  if (x.isPyScalar()) x = astype(x, defaultDType(operandOf(x).kind), span);
  if (!x.isArray())
    raise(ErrorKind::Type, span,
          std::string("unsupported operand type for around: '") + typeName(a) + "'");
  const DType t = x.array->dtype();
  if (t == DType::Bool)
    raise(ErrorKind::Type, span,
          "around of a bool array gives float16 in NumPy, which ravel does not have; use "
          ".astype(float) first");
  if (isInteger(t) && decimals >= 0) return x; // NumPy returns the array itself, no copy
  if (decimals == 0) return unary(Op::Rint, x, span);
  const bool scalar = x.array->isScalar;
  const Value f = Value::ofFloat(std::pow(10.0, double(decimals < 0 ? -decimals : decimals)));
  const Value wide = isInteger(t) ? astype(x, DType::Float64, span) : x;
  Value y = binary(decimals > 0 ? Op::Mul : Op::Div, wide, f, span);
  y = binary(decimals > 0 ? Op::Div : Op::Mul, unary(Op::Rint, y, span), f, span);
  if (isInteger(t)) y = astype(y, t, span);
  y.array->isScalar = scalar;
  return y;
}

Value Interpreter::astype(const Value& v, DType t, Span span) {
  NodeRef n = nodeOf(v, span);
  bool scalar = !v.isArray() || v.array->isScalar;
  if (n->op == Op::Const) return arrayValue(graph_.constant(n->constant.castTo(t), span), scalar);
  // A Cast to the same dtype is still a copy (astype copies by default).
  return arrayValue(graph_.make(Op::Cast, t, n->shape, {n}, span), scalar);
}

Value Interpreter::where(const Value& c, const Value& aIn, const Value& bIn, Span span) {
  // A list or tuple operand is an array first, with the dtype its elements
  // give it (`where(0, (5,), (5,))` is int64), not a Python scalar's.
  auto asArray = [&](const Value& v) {
    if (v.kind != Value::Kind::List && v.kind != Value::Kind::Tuple) return v;
    std::vector<Value> args{v};
    std::vector<std::pair<std::string, Value>> kw;
    return callBuiltin("array", args, kw, span);
  };
  const Value a = asArray(aIn), b = asArray(bIn);
  NodeRef nc = nodeOf(c, span);
  if (nc->dtype != DType::Bool) nc = graph_.make(Op::Cast, DType::Bool, nc->shape, {nc}, span);
  sema::Operand oa = operandOf(a), ob = operandOf(b);
  if (oa.weak && ob.weak) oa.weak = false, oa.dtype = defaultDType(oa.kind);
  try {
    DType t = sema::promoteOperands(oa, ob);
    NodeRef na = operandNode(*this, a, t, span);
    NodeRef nb = operandNode(*this, b, t, span);
    Shape shape;
    try {
      shape = broadcastShapes(broadcastShapes(nc->shape, na->shape), nb->shape);
    } catch (const RuntimeError&) {
      // NumPy names every operand's shape when three-way broadcasting fails.
      throw RuntimeError(ErrorKind::Shape, "operands could not be broadcast together with shapes " +
                                               formatShapeCompact(nc->shape) + " " +
                                               formatShapeCompact(na->shape) + " " +
                                               formatShapeCompact(nb->shape));
    }
    return arrayValue(graph_.make(Op::Where, t, shape, {nc, na, nb}, span));
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
}

/// Normalises an `axis=` argument: None (all axes), an int or a tuple of ints.
std::vector<int> reductionAxes(const Value& axis, int ndim, Span span) {
  std::vector<int> axes;
  if (axis.kind == Value::Kind::None) {
    for (int i = 0; i < ndim; ++i) axes.push_back(i);
    return axes;
  }
  std::vector<Value> items =
      axis.kind == Value::Kind::Tuple ? axis.items : std::vector<Value>{axis};
  for (Value v : items) {
    v = asPythonInt(v);
    if (v.kind != Value::Kind::Int)
      raise(ErrorKind::Type, span,
            std::string("'") + typeName(v) + "' object cannot be interpreted as an integer");
    if (v.i < -ndim || v.i >= ndim)
      raise(ErrorKind::Index, span,
            "axis " + std::to_string(v.i) + " is out of bounds for array of dimension " +
                std::to_string(ndim));
    int a = int(v.i < 0 ? v.i + ndim : v.i);
    if (std::find(axes.begin(), axes.end(), a) != axes.end())
      raise(ErrorKind::Value, span, "duplicate value in 'axis'");
    axes.push_back(a);
  }
  std::sort(axes.begin(), axes.end());
  return axes;
}

/// NumPy's ufunc.reduce quirk: a 0-d operand accepts `axis=0` or `axis=-1`
/// (an int, not a tuple) and reduces nothing (np.sum(2.5, axis=0) == 2.5).
static bool zeroDimAxisQuirk(const Value& axis, int ndim) {
  Value a = asPythonInt(axis);
  return ndim == 0 && a.kind == Value::Kind::Int && (a.i == 0 || a.i == -1);
}

/// True when the graph below n reads an array (a kernel has an operand).
static bool readsMemory(const NodeRef& n) {
  bool found = false;
  graph::forEachNode({n.get()}, [&](const graph::Node* x) {
    found |= x->op == Op::Input || graph::isLaunchLeaf(x->op);
    return !found;
  });
  return found;
}

Value Interpreter::reduce(Op op, const Value& v, const Value& axis, Span span, bool keepdims) {
  NodeRef n = nodeOf(v, span);
  if (!readsMemory(n)) {
    // A reduction of a Python number (sum(2.0)): the number as a 0-d array.
    auto number = std::make_shared<ArrayObject>();
    number->node = n;
    n = graph_.input(materialize(number, span), span);
  }
  std::vector<int> axes = zeroDimAxisQuirk(axis, int(n->shape.size()))
                              ? std::vector<int>{}
                              : reductionAxes(axis, int(n->shape.size()), span);
  DType acc = (op == Op::Any || op == Op::All) ? DType::Bool : sema::reduceDType(op, n->dtype);
  if (n->dtype != acc) n = graph_.make(Op::Cast, acc, n->shape, {n}, span);
  Shape out;
  for (int d = 0; d < int(n->shape.size()); ++d)
    if (!std::binary_search(axes.begin(), axes.end(), d))
      out.push_back(n->shape[d]);
    else if (keepdims)
      out.push_back(1);
  bool full = out.empty();
  // Shapes are known when the graph is built: an empty min/max fails here,
  // at its own line, as NumPy's eager call would.
  int64_t reduced = 1;
  for (int ax : axes) reduced *= n->shape[size_t(ax)];
  if (reduced == 0 && (op == Op::Min || op == Op::Max))
    raise(ErrorKind::Value, span,
          std::string("zero-size array to reduction operation ") +
              (op == Op::Min ? "minimum" : "maximum") + " which has no identity");
  return arrayValue(graph_.make(op, acc, out, {n}, span, axes), full);
}

Value Interpreter::mean(const Value& v, const Value& axis, Span span, bool keepdims) {
  NodeRef n = nodeOf(v, span);
  std::vector<int> axes = reductionAxes(axis, int(n->shape.size()), span);
  int64_t count = 1;
  for (int a : axes) count *= n->shape[a];
  DType t = sema::meanDType(n->dtype);
  // NumPy sums ints in float64 (umr_sum with dtype='f8'), floats in their own dtype.
  Value asFloat = n->dtype == t ? v : astype(v, t, span);
  Value sum = reduce(Op::Sum, asFloat, axis, span, keepdims);
  bool full = sum.array->isScalar;
  if (full && t == DType::Float32) {
    // NumPy: ret.dtype.type(ret / rcount), the division done in float64.
    Value wide = astype(sum, DType::Float64, span);
    Value q = binary(Op::Div, wide, Value::ofFloat(double(count)), span);
    Value r = astype(q, DType::Float32, span);
    r.array->isScalar = true;
    return r;
  }
  NodeRef s = nodeOf(sum, span);
  NodeRef c = graph_.constant(Scalar::ofFloat(double(count)).castTo(t), span);
  return arrayValue(graph_.make(Op::Div, t, s->shape, {s, c}, span), full);
}

/// Verification between passes: always in debug builds, and in release
/// builds when RAVEL_VERIFY=1 (the test suite sets it), so the hot path of a
/// release build does not walk every graph twice.
static bool verifyPasses() {
#ifndef NDEBUG
  return true;
#else
  static const bool on = [] {
    const char* v = std::getenv("RAVEL_VERIFY");
    return v && *v && *v != '0';
  }();
  return on;
#endif
}

/// The nodes that live lazy values other than `root`'s reach, for fusion's
/// choice of which products only `root` needs and whether a root dividing a
/// reduction (a mean, possibly rounded by a cast) may divide as the
/// reduction stores (computed only for such graphs: the walk visits every
/// lazy value's graph).
static fusion::SharedNodes sharedNodes(const NodeRef& root,
                                       const std::vector<std::weak_ptr<ArrayObject>>& lazy) {
  const graph::Node* div = root->op == graph::Op::Cast ? root->srcs[0].get() : root.get();
  bool wanted = div->op == graph::Op::Div &&
                (graph::isReduce(div->srcs[0]->op) || (div->srcs[0]->op == graph::Op::Cast &&
                                                       graph::isReduce(div->srcs[0]->srcs[0]->op)));
  graph::forEachNode({root.get()}, [&](const graph::Node* n) {
    wanted |= graph::isProduct(n->op);
    return !wanted;
  });
  if (!wanted) return {};
  std::vector<const graph::Node*> others;
  for (const auto& weak : lazy) {
    ArrayRef obj = weak.lock();
    if (obj && !obj->materialized() && obj->node && obj->node != root)
      others.push_back(obj->node.get());
  }
  auto reached = std::make_shared<std::unordered_set<const graph::Node*>>();
  graph::forEachNode(others, [&](const graph::Node* n) { return reached->insert(n).second; });
  return [reached](const graph::Node* n) { return reached->count(n) > 0; };
}

fusion::KernelPlan Interpreter::planKernels(const NodeRef& node, std::optional<DType> targetDType) {
  ++plans_;
  if (verifyPasses()) graph::verify(node);
  fusion::KernelPlan p = fusion::fuse(node, targetDType, known(), sharedNodes(node, lazyObjects_));
  if (aheadOfTime_) constantsToInputs(p);
  if (verifyPasses()) fusion::verify(p);
  return p;
}

void Interpreter::constantsToInputs(fusion::KernelPlan& plan) {
  for (fusion::KernelLaunch& launch : plan.launches) {
    if (launch.product) continue;
    fusion::Kernel& k = launch.kernel;
    // A constant exponent stays: x**2 is x*x (NumPy's square), not pow().
    std::vector<bool> exponent(k.body.size(), false);
    for (const fusion::KInstr& in : k.body)
      if (in.op == fusion::KOp::Pow) exponent[size_t(in.args[1])] = true;
    for (size_t i = 0; i < k.body.size(); ++i) {
      fusion::KInstr& in = k.body[i];
      if (in.op != fusion::KOp::Const || exponent[i] || in.dtype == DType::Bool) continue;
      const Scalar value = isFloat(in.dtype) ? Scalar::ofFloat(in.constant.f, in.dtype)
                                             : Scalar::ofInt(in.constant.i, in.dtype);
      const Span span = i < k.spans.size() ? k.spans[i] : Span{};
      fusion::LaunchInput src;
      src.node = graph_.constant(value, span);
      src.known = Array::scalar(value);
      in.op = fusion::KOp::Load;
      in.input = int(launch.inputs.size());
      in.constant = {};
      launch.inputs.push_back(std::move(src));
      k.inputs.push_back(in.dtype);
    }
  }
}

Value Interpreter::lazyView(const ArrayRef& of, NodeRef folded, ViewStep step) {
  auto obj = std::make_shared<ArrayObject>();
  obj->node = std::move(folded);
  obj->span = obj->node->span;
  // A view of a lazy view is cut from the same base: its steps follow the
  // parent's, so `.base` is the owner, as NumPy collapses it.
  obj->lazyBase = of->isLazyView() ? of->lazyBase : of;
  if (of->isLazyView()) obj->steps = of->steps;
  obj->steps.push_back(std::move(step));
  obj->lazyBase->lazyViews.push_back(obj);
  std::erase_if(obj->lazyBase->lazyViews,
                [](const std::weak_ptr<ArrayObject>& w) { return w.expired(); });
  track(obj);
  return Value::ofArray(obj);
}

Array Interpreter::readValues(const ArrayRef& a, Span span) {
  if (!a->isLazyView()) return materialize(a, span);
  // Only the elements the view shows, into memory of their own that no one
  // else sees: the view itself stays lazy (its base may never be needed).
  auto elements = std::make_shared<ArrayObject>();
  elements->node = a->node;
  return materialize(elements, span);
}

Array Interpreter::materialize(const ArrayRef& a, Span span, fusion::KernelPlan* ran) {
  if (a->materialized()) return a->data;
  if (a->isLazyView()) {
    // A view needs its base's memory: computing the base rebinds it.
    ArrayRef base = a->lazyBase;
    materialize(base, span);
    RAVEL_CHECK(a->materialized(), "computing a lazy base left one of its views unbound");
    return a->data;
  }
  NodeRef node = a->node;
  fusion::KernelPlan plan = planKernels(node, std::nullopt);
  Array result;
  try {
    runPlan(plan, nullptr, &result);
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
  a->data = result;
  if (ran) *ran = std::move(plan);
  // What this value consumed is not a program result of its own any more.
  // Only nodes that live lazy values still reference matter, so the set is
  // pruned to those now and then (a long REPL session stays bounded).
  if (consumed_.size() > 4096) {
    std::vector<const graph::Node*> roots;
    for (const auto& weak : lazyObjects_) {
      ArrayRef obj = weak.lock();
      if (obj && !obj->materialized()) roots.push_back(obj->node.get());
    }
    std::unordered_set<uint64_t> live;
    graph::forEachNode(roots, [&](const graph::Node* n) {
      if (consumed_.count(n->serial)) live.insert(n->serial);
      return true;
    });
    consumed_.swap(live);
  }
  // Below an already consumed node everything is consumed too.
  graph::forEachNode({node.get()},
                     [&](const graph::Node* n) { return consumed_.insert(n->serial).second; });
  a->node = nullptr;
  bindLazyViews(a);
  return result;
}

void Interpreter::bindLazyViews(const ArrayRef& base) {
  std::vector<std::weak_ptr<ArrayObject>> views;
  views.swap(base->lazyViews);
  for (const auto& weak : views) {
    ArrayRef view = weak.lock();
    if (!view || view->materialized()) continue;
    RAVEL_CHECK(view->lazyBase == base, "a lazy view registered with another base");
    Array cut = base->data;
    for (const ViewStep& step : view->steps) cut = step(cut);
    RAVEL_CHECK(cut.shape() == view->node->shape && cut.dtype() == view->node->dtype,
                "a lazy view's cut differs from the elements it stood for");
    view->data = cut;
    view->node = nullptr;
    view->owner = base;
    view->isMemmap = base->isMemmap;
    view->lazyBase = nullptr;
    view->steps.clear();
  }
}

void Interpreter::protectBuffer(const Buffer* buffer) {
  // A remembered reduction result may be the memory about to be written
  // (`s = max(x, axis=1); m = s * 2; s -= s`): forget it, so a lazy value
  // reading the reduction recomputes it from its unchanged sources.
  std::erase_if(reductions_, [&](const auto& entry) {
    const Buffer* b = entry.second.second.buffer().get();
    return b == buffer || (b->adopted() && buffer->adopted());
  });
  for (const auto& weak : lazyObjects_) {
    ArrayRef obj = weak.lock();
    if (obj && !obj->materialized() && dependsOn(obj->node, buffer)) materialize(obj, obj->span);
  }
}

void Interpreter::inPlace(const Array& target, NodeRef node, Span span, const char* ufunc) {
  try {
    if (!target.writeable()) throw RuntimeError(ErrorKind::Value, "output array is read-only");
    if (!canCastSameKind(node->dtype, target.dtype()))
      throw RuntimeError(ErrorKind::Type, std::string("Cannot cast ufunc '") + ufunc +
                                              "' output from " + dtypeRepr(node->dtype) + " to " +
                                              dtypeRepr(target.dtype()) +
                                              " with casting rule 'same_kind'");
    Shape b = broadcastShapes(node->shape, target.shape());
    if (b != target.shape())
      throw RuntimeError(ErrorKind::Shape, "non-broadcastable output operand with shape " +
                                               formatShapeCompact(target.shape()) +
                                               " doesn't match the broadcast shape " +
                                               formatShapeCompact(b));
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
  protectBuffer(target.buffer().get());
  fusion::KernelPlan plan = planKernels(node, target.dtype());
  try {
    runPlan(plan, &target, nullptr);
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
  graph_.bumpEpoch();
}

void Interpreter::assignInto(const Array& target, const Value& value, Span span,
                             fusion::KernelPlan* ran) {
  requireInt64(value, span);
  NodeRef node;
  if (value.isPyScalar()) {
    node = graph_.constant(setItemScalar(value, target.dtype(), span), span);
  } else if (value.isArray() && !value.array->materialized() &&
             dependsOn(value.array->node, target.buffer().get())) {
    // The value reads the memory being written: compute it first (NumPy's
    // temporary), since its object may be bound to a name that must keep the
    // value from before the write.
    node = graph_.input(materialize(value.array, span), span);
  } else {
    node = nodeOf(value, span);
  }
  if (node->shape.size() > target.shape().size() && node->op != graph::Op::Input) {
    // Leading length-1 axes of a computed value: compute it, then drop them.
    auto obj = std::make_shared<ArrayObject>();
    obj->node = node;
    node = graph_.input(materialize(obj, span), span);
  }
  if (node->shape.size() > target.shape().size() && node->op == graph::Op::Input) {
    // NumPy drops leading length-1 axes of the value: a[:] = ones((1, 3)).
    size_t extra = node->shape.size() - target.shape().size();
    bool ones = true;
    for (size_t i = 0; i < extra; ++i) ones &= node->shape[i] == 1;
    if (ones) {
      Array a = node->input;
      node = graph_.input(a.reshapeView(Shape(a.shape().begin() + long(extra), a.shape().end())),
                          span);
    }
  }
  try {
    if (!target.writeable())
      throw RuntimeError(ErrorKind::Value, "assignment destination is read-only");
    Shape b;
    bool ok = true;
    try {
      b = broadcastShapes(node->shape, target.shape());
      ok = b == target.shape();
    } catch (const RuntimeError&) {
      ok = false;
    }
    if (!ok)
      throw RuntimeError(ErrorKind::Shape, "could not broadcast input array from shape " +
                                               formatShapeCompact(node->shape) + " into shape " +
                                               formatShapeCompact(target.shape()));
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
  protectBuffer(target.buffer().get());
  fusion::KernelPlan plan = planKernels(node, target.dtype());
  try {
    runPlan(plan, &target, nullptr);
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
  graph_.bumpEpoch();
  if (ran) *ran = std::move(plan);
}

} // namespace ravel::exec
