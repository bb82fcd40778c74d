// The names in scope: NumPy's functions, dtypes and constants, the random
// module, Python builtins ravel supports, and array attributes and methods.
// Every function binds its arguments through one signature helper, so arity
// and keyword errors read the same everywhere.
#include "compiler/exec/Args.h"
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"
#include "compiler/exec/Ufuncs.h"

#include "compiler/sema/Names.h"
#include "compiler/sema/Rules.h"
#include "runtime/Cast.h"
#include "runtime/Creation.h"

#include <cctype>
#include <cmath>
#include <ostream>
#include <unordered_map>

namespace ravel::exec {
using graph::Op;

namespace {

const std::unordered_map<std::string, Op>& reductions() {
  static const std::unordered_map<std::string, Op> m{
      {"sum", Op::Sum},  {"prod", Op::Prod}, {"min", Op::Min}, {"max", Op::Max},
      {"amin", Op::Min}, {"amax", Op::Max},  {"any", Op::Any}, {"all", Op::All},
  };
  return m;
}

/// NumPy's array coercion of nested lists, tuples and arrays: the values in
/// C order, the shape, and the kind of each value for dtype discovery.
/// Arrays nest like the sequences they hold (`array([a, b])` stacks them).
/// Every value must sit at the same depth under sequences of equal lengths,
/// else NumPy's "inhomogeneous shape" error names the depth where the
/// nesting first disagrees.
class NestedValues {
public:
  NestedValues(Interpreter& in, Span span) : in_(in), span_(span) {}

  Shape shape;

  /// The array of the values: their promoted dtype unless `dtype` is given.
  /// Scalars go in as __setitem__ puts them (Python ints range-checked for
  /// int32), arrays as a copy with astype's casting.
  Array build(std::optional<DType> dtype) const {
    DType t = DType::Float64; // of an empty literal
    for (size_t i = 0; i < pieces_.size(); ++i) {
      const int k = pieces_[i].kind;
      const DType kt = k >= 10  ? DType(k / 10 - 1)
                       : k == 0 ? DType::Bool
                       : k == 1 ? DType::Int64
                                : DType::Float64;
      t = i == 0 ? kt : promote(t, kt);
    }
    const DType target = dtype.value_or(t);
    for (const Piece& p : pieces_)
      if (!p.array.valid() && p.kind == 1 && target == DType::Int32)
        sema::checkWeakIntFits(p.scalar.i, DType::Int32);
    Array out = Array::empty(shape, target);
    const Array all = out.reshapeView({out.size()});
    for (const Piece& p : pieces_) {
      if (!p.array.valid()) {
        detail::writeScalar(out.data() + p.offset * out.itemsize(), target,
                            castForSetItem(p.scalar, target));
        continue;
      }
      all.sliceAxis(0, p.offset, 1, p.array.size()).reshapeView(p.array.shape()).assign(p.array);
    }
    return out;
  }

  void add(const Value& v, size_t depth) {
    if (v.kind == Value::Kind::List || v.kind == Value::Kind::Tuple) {
      sequenceAt(depth, int64_t(v.items.size()));
      for (const Value& x : v.items) add(x, depth + 1);
      return;
    }
    requireInt64(v, span_);
    switch (v.kind) {
      case Value::Kind::Bool:
        valueAt(depth);
        addScalar(Scalar::ofBool(v.b), 0);
        return;
      case Value::Kind::Int:
        valueAt(depth);
        addScalar(Scalar::ofInt(v.i), 1);
        return;
      case Value::Kind::Float:
        valueAt(depth);
        addScalar(Scalar::ofFloat(v.f), 2);
        return;
      case Value::Kind::Array: {
        const Array a = in_.materialize(v.array, span_);
        for (int d = 0; d < a.ndim(); ++d) sequenceAt(depth + size_t(d), a.shape()[size_t(d)]);
        valueAt(depth + size_t(a.ndim()));
        const DType t = a.dtype();
        // A strong dtype: it promotes with the Python values' defaults.
        const int kind = (t == DType::Bool ? 0 : isInteger(t) ? 1 : 2) + 10 * (int(t) + 1);
        if (a.ndim() == 0) { // a NumPy scalar goes in as one value
          addScalar(a.item(), kind);
          return;
        }
        pieces_.push_back({count_, {}, a, kind});
        count_ += a.size();
        return;
      }
      default:
        break;
    }
    raise(ErrorKind::Type, span_, std::string("cannot build an array from '") + typeName(v) + "'");
  }

private:
  /// A run of values in C order from element `offset` of the result: one
  /// scalar, or an array's elements (`array` valid).
  struct Piece {
    int64_t offset;
    Scalar scalar;
    Array array;
    /// 0 bool, 1 int, 2 float (a Python value, of the default dtype), or
    /// 10 * (dtype + 1) + that for an array's or a NumPy scalar's.
    int kind;
  };

  void addScalar(const Scalar& value, int kind) {
    pieces_.push_back({count_, value, {}, kind});
    ++count_;
  }

  /// A sequence of `length` items at `depth`.
  void sequenceAt(size_t depth, int64_t length) {
    if (depth >= size_t(kMaxDims))
      raise(ErrorKind::Value, span_, "array literal nested too deeply");
    if (valueDepth_ >= 0 && depth >= size_t(valueDepth_)) inhomogeneous(size_t(valueDepth_));
    if (shape.size() == depth)
      shape.push_back(length);
    else if (shape[depth] != length)
      inhomogeneous(depth);
  }
  /// Values (scalars) at `depth`: below every sequence seen so far.
  void valueAt(size_t depth) {
    if (shape.size() > depth) inhomogeneous(depth);
    if (valueDepth_ >= 0 && size_t(valueDepth_) != depth)
      inhomogeneous(std::min(size_t(valueDepth_), depth));
    valueDepth_ = int(depth);
  }
  [[noreturn]] void inhomogeneous(size_t depth) {
    const Shape detected(shape.begin(), shape.begin() + std::ptrdiff_t(depth));
    raise(ErrorKind::Value, span_,
          "setting an array element with a sequence. The requested array has an "
          "inhomogeneous shape after " +
              std::to_string(depth) + " dimensions. The detected shape was " +
              formatShape(detected) + " + inhomogeneous part.");
  }

  Interpreter& in_;
  Span span_;
  int valueDepth_ = -1; // the depth of every value, once one is seen
  std::vector<Piece> pieces_;
  int64_t count_ = 0; // values so far
};

/// An order= argument of reshape/ravel/flatten resolved for `arr`: 'C' or
/// 'F' ('A' is F for an array that is Fortran- but not C-contiguous).
char layoutOrder(const Value& order, const Array& arr, const char* fname, Span span) {
  std::string o = order.kind == Value::Kind::None  ? "C"
                  : order.kind == Value::Kind::Str ? order.name
                                                   : std::string();
  if (o == "C" || o == "F") return o[0];
  if (o == "A") return arr.isFContiguous() && !arr.isCContiguous() ? 'F' : 'C';
  if (o == "K")
    raise(ErrorKind::Value, span,
          std::string(fname) + ": order 'K' is not supported in ravel; use 'C', 'F' or 'A'");
  raise(ErrorKind::Value, span, "order must be one of 'C', 'F', 'A', or 'K' (got '" + o + "')");
}

/// reshape reading and writing elements in C or Fortran order: a view when
/// strides allow it, else a copy. Fortran order is C order on the reversed axes.
Array reshapeInOrder(const Array& arr, const Shape& shape, char order) {
  if (order == 'C') return arr.reshape(shape);
  return arr.transpose().reshape(Shape(shape.rbegin(), shape.rend())).transpose();
}

/// mean(x, dtype=t): NumPy's _mean sums in t; a float t divides in t (a
/// float32 scalar in float64), an integer t truncates the float64 quotient.
Value meanInDType(Interpreter& in, const Value& x, const Value& axis, DType t, Span span) {
  if (isFloat(t)) return in.mean(in.astype(x, t, span), axis, span);
  Value sum = in.reduce(Op::Sum, in.astype(x, t, span), axis, span);
  const bool scalar = sum.array->isScalar;
  int64_t count = 1;
  const Shape s = in.nodeOf(x, span)->shape;
  for (int ax : reductionAxes(axis, int(s.size()), span)) count *= s[size_t(ax)];
  Value r =
      in.astype(in.binary(Op::Div, in.astype(sum, t, span), Value::ofInt(count), span), t, span);
  r.array->isScalar = scalar;
  return r;
}

} // namespace

/// The fill value of full/full_like: NumPy copies it in with an unsafe array
/// cast (a float NaN or infinity into an integer array is INT_MIN, as
/// astype), not with setitem's checks; so a Python float goes in as a 0-d
/// float64 array. Ints and bools keep NEP 50's range check.
Value fillValue(Interpreter& in, const Value& fill) {
  if (fill.kind != Value::Kind::Float) return fill;
  return in.materializedValue(Array::scalar(Scalar::ofFloat(fill.f)));
}

bool isArrayMethod(const std::string& name) {
  return sema::isArrayMethod(name);
}

Value Interpreter::reductionCall(const std::string& name, std::vector<Value>& args, Kwargs& kwargs,
                                 Span span) {
  // NumPy's positional order: sum/prod/mean take dtype before out; min, max,
  // any and all have no dtype.
  const bool hasDType = name == "sum" || name == "prod" || name == "mean";
  std::vector<Param> params{{"a", {}}, {"axis", kNone}};
  if (hasDType) params.push_back({"dtype", kNone});
  params.push_back({"out", kNone});
  params.push_back({"keepdims", Value::ofBool(false)});
  // initial= (not for mean, any, all) and where=.
  const bool hasInitial = name != "mean" && name != "any" && name != "all";
  if (hasInitial) params.push_back({"initial", kNone});
  params.push_back({"where", Value::ofBool(true)});
  auto a = bindArgs(name, args, kwargs, params, span);
  const size_t out = hasDType ? 3 : 2, keep = out + 1, initial = keep + 1;
  const size_t where = hasInitial ? keep + 2 : keep + 1;
  static const std::unordered_map<std::string, const char*> ufuncOf{
      {"sum", "add"},      {"prod", "multiply"},  {"mean", "add"},
      {"min", "minimum"},  {"amin", "minimum"},   {"max", "maximum"},
      {"amax", "maximum"}, {"any", "logical_or"}, {"all", "logical_and"}};
  const bool masked = !(a[where].kind == Value::Kind::Bool && a[where].b);
  if ((hasInitial && a[initial].kind != Value::Kind::None) || masked) {
    if (name == "mean") raise(ErrorKind::Type, span, "mean() does not support where= in ravel yet");
    // NumPy's _wrapreduction: the ufunc's reduce with the same arguments.
    std::vector<Value> rargs{a[0]};
    Kwargs rk{{"axis", a[1]}, {"out", a[out]}, {"keepdims", a[keep]}, {"where", a[where]}};
    if (hasDType) rk.push_back({"dtype", a[2]});
    if (hasInitial) rk.push_back({"initial", a[initial]});
    return callUfuncMethod(*this, *findUfunc(ufuncOf.at(name)), "reduce", rargs, rk, span);
  }
  const std::optional<DType> dtype = hasDType ? toDType(a[2], span) : std::nullopt;
  const int ndim = a[0].isArray() ? int(a[0].array->shape().size()) : 0;
  // Of a 0-d value NumPy's keepdims result is the same scalar as without.
  // Otherwise the result stays lazy with its length-1 axes, so a later
  // statement (`e / e.sum(axis=1, keepdims=True)`) fuses with it.
  const bool keepdims = truthy(a[keep], span) && ndim > 0;
  Value r;
  if (name == "mean" && dtype) {
    r = meanInDType(*this, a[0], a[1], *dtype, span);
    if (keepdims) r = ownedKeepDims(*this, r, reductionAxes(a[1], ndim, span), ndim, span, &a[0]);
  } else if (name == "mean") {
    r = mean(a[0], a[1], span, keepdims);
  } else if (dtype) {
    // sum/prod(x, dtype=t): the loop adds in t (bool and int32 sums wrap in
    // int64 first, which gives the same bits once cast back to t).
    r = reduce(reductions().at(name), astype(a[0], *dtype, span), a[1], span, keepdims);
    const bool scalar = r.array->isScalar;
    if (r.array->dtype() != *dtype) r = astype(r, *dtype, span);
    r.array->isScalar = scalar;
  } else {
    r = reduce(reductions().at(name), a[0], a[1], span, keepdims);
  }
  if (a[out].kind == Value::Kind::None) return r;
  if (name != "mean") return writeReductionOut(*this, r, a[out], ufuncOf.at(name), span);
  // NumPy's _mean sums into out, then divides out by the count in out's dtype.
  Value sum = reduce(Op::Sum,
                     dtype ? astype(a[0], *dtype, span)
                           : astype(a[0], sema::meanDType(nodeOf(a[0], span)->dtype), span),
                     a[1], span, keepdims);
  Value o = writeReductionOut(*this, sum, a[out], "add", span);
  int64_t count = 1;
  const Shape s = nodeOf(a[0], span)->shape;
  for (int ax : reductionAxes(a[1], ndim, span)) count *= s[size_t(ax)];
  Array target = materialize(o.array, span);
  assignInto(target, binary(Op::Div, o, Value::ofInt(count), span), span);
  return o;
}

Value Interpreter::attribute(const Value& obj, const std::string& attr, Span span) {
  if (obj.kind == Value::Kind::Module) {
    if (obj.name == "random") {
      if (sema::isRandomFunction(attr)) return Value::ofBuiltin("random." + attr);
      sema::raiseIfNumpyName("numpy.random", attr, span);
      raise(ErrorKind::Name, span, "module 'numpy.random' has no attribute '" + attr + "'");
    }
    if (obj.name == "lib") {
      if (attr == "stride_tricks") return Value::ofModule("stride_tricks");
      raise(ErrorKind::Name, span, "module 'numpy.lib' has no attribute '" + attr + "' in ravel");
    }
    if (obj.name == "stride_tricks") {
      if (sema::isStrideTricksFunction(attr)) return Value::ofBuiltin(attr);
      raise(ErrorKind::Name, span,
            "module 'numpy.lib.stride_tricks' has no attribute '" + attr + "' in ravel");
    }
    if (obj.name == "linalg") {
      if (isLinalgFunction(attr)) return Value::ofBuiltin("linalg." + attr);
      sema::raiseIfNumpyName("numpy.linalg", attr, span);
      raise(ErrorKind::Name, span,
            "module 'numpy.linalg' has no attribute '" + attr + "' in ravel yet");
    }
    // numpy
    if (attr == "np" || attr == "numpy") return Value::ofModule("numpy");
    if (attr == "random" || attr == "linalg" || attr == "lib") return Value::ofModule(attr);
    if (attr == "pi") return Value::ofFloat(M_PI);
    if (attr == "e") return Value::ofFloat(M_E);
    if (attr == "inf" || attr == "Inf") return Value::ofFloat(INFINITY);
    if (attr == "nan" || attr == "NaN") return Value::ofFloat(NAN);
    if (attr == "newaxis") return Value::none();
    if (attr == "float64" || attr == "double") return Value::ofDType(DType::Float64);
    if (attr == "float32" || attr == "single") return Value::ofDType(DType::Float32);
    if (attr == "int64") return Value::ofDType(DType::Int64);
    if (attr == "int32" || attr == "intc") return Value::ofDType(DType::Int32);
    if (attr == "bool_") return Value::ofDType(DType::Bool);
    if (attr == "mgrid" || attr == "ogrid") {
      Value grid;
      grid.kind = Value::Kind::Grid;
      grid.b = attr == "ogrid";
      return grid;
    }
    if (sema::lookupBuiltin(attr) == sema::BuiltinKind::Function) return Value::ofBuiltin(attr);
    sema::raiseIfNumpyName("numpy", attr, span);
    Diagnostic d{ErrorKind::Name, span, "unknown name '" + attr + "'", {}};
    std::string hint = sema::suggestName(attr, sema::builtinNames());
    if (!hint.empty()) d.notes.push_back(hint);
    throw RavelError(d);
  }
  if (obj.isArray()) {
    const ArrayRef& a = obj.array;
    if (attr == "shape") {
      Value t = Value::ofTuple({});
      for (int64_t d : a->shape()) t.items.push_back(Value::ofInt(d));
      return t;
    }
    if (attr == "dtype") return Value::ofDType(a->dtype());
    if (attr == "ndim") return Value::ofInt(int64_t(a->shape().size()));
    if (attr == "size") return Value::ofInt(checkedSize(a->shape()));
    if (attr == "itemsize") return Value::ofInt(itemSize(a->dtype()));
    if (attr == "nbytes") return Value::ofInt(checkedSize(a->shape()) * itemSize(a->dtype()));
    if (attr == "T") {
      Array m = materialize(a, span);
      if (m.ndim() < 2) return viewValue(a, m.view(m.shape(), m.strides(), m.offset()));
      note(span, (a->name.empty() ? std::string("a") : a->name) +
                     ".T is a view: the strides are reversed, no copy");
      return viewValue(a, m.transpose());
    }
    if (attr == "strides") {
      Array m = materialize(a, span);
      Value t = Value::ofTuple({});
      for (int64_t s : m.strides()) t.items.push_back(Value::ofInt(s));
      return t;
    }
    // A real array is its own real part; its imaginary part is a new
    // read-only array of zeros (NumPy's array_real_get / array_imag_get).
    if (attr == "real") return obj;
    if (attr == "imag") {
      const graph::NodeRef n = nodeOf(obj, span);
      Array zeros;
      try {
        zeros = Array::zeros(n->shape, n->dtype);
      } catch (const RuntimeError& e) {
        rethrowWithSpan(e, span);
      }
      return materializedValue(a->isScalar ? zeros : zeros.readOnly(), a->isScalar);
    }
    if (attr == "base") {
      if (a->isLazyView()) return Value::ofArray(a->lazyBase);
      // A lazy value will be computed into memory of its own.
      if (!a->materialized()) return Value::none();
      Array m = a->data;
      // A freshly computed result owns its memory.
      if (!m.isView() || a->isScalar) return Value::none();
      if (!a->owner) a->owner = materializedValue(m.base()).array; // one object: `is` holds
      return Value::ofArray(a->owner);
    }
    if (isArrayMethod(attr)) {
      Value v;
      v.kind = Value::Kind::Method;
      v.name = attr;
      v.array = a;
      return v;
    }
    if (auto v = viewAttribute(*this, a, attr, span)) return *v;
    sema::raiseIfNumpyName("ndarray", attr, span);
    raise(ErrorKind::Name, span, "'numpy.ndarray' object has no attribute '" + attr + "'");
  }
  // `add.reduce`, `multiply.outer`, `add.identity`, ... (Ufuncs.cpp).
  if (obj.kind == Value::Kind::Builtin)
    if (const Ufunc* u = findUfunc(obj.name)) return ufuncAttribute(*u, attr, span);
  if (obj.kind == Value::Kind::Flags) {
    // flags.c_contiguous, flags.writeable, ...: the lower-case entry names.
    static const char* const lower[] = {"c_contiguous", "f_contiguous", "owndata",
                                        "writeable",    "aligned",      "writebackifcopy"};
    for (int i = 0; i < kFlagCount; ++i)
      if (attr == lower[i]) return obj.items[size_t(i)];
    if (attr == "contiguous") return obj.items[0];
    if (attr == "fortran") return obj.items[1];
  }
  if (obj.kind == Value::Kind::RandomState) {
    // RandomState's methods: the legacy np.random functions.
    if (sema::isRandomFunction(attr) && attr != "RandomState" && attr != "default_rng") {
      Value v;
      v.kind = Value::Kind::Method;
      v.name = attr;
      v.items.push_back(obj);
      return v;
    }
    static const std::string numpyOnly =
        " beta bytes chisquare dirichlet f gamma geometric get_state gumbel hypergeometric "
        "laplace logistic lognormal logseries multinomial multivariate_normal negative_binomial "
        "noncentral_chisquare noncentral_f pareto power random_integers rayleigh set_state "
        "standard_cauchy standard_exponential standard_gamma standard_t tomaxint triangular "
        "vonmises wald weibull zipf ";
    if (numpyOnly.find(" " + attr + " ") != std::string::npos)
      raise(ErrorKind::Name, span, "numpy.random.RandomState." + attr + " is not in ravel yet");
    raise(ErrorKind::Name, span,
          "'numpy.random.mtrand.RandomState' object has no attribute '" + attr + "'");
  }
  if (obj.kind == Value::Kind::Generator && sema::isGeneratorMethod(attr)) {
    Value v;
    v.kind = Value::Kind::Method;
    v.name = attr;
    v.items.push_back(obj);
    return v;
  }
  if (obj.kind == Value::Kind::Generator) {
    // Generator's other public names (NumPy 1.24), for "not in ravel yet".
    static const std::string numpyOnly =
        " beta bit_generator bytes chisquare dirichlet f gamma geometric gumbel hypergeometric "
        "laplace logistic lognormal logseries multinomial multivariate_hypergeometric "
        "multivariate_normal negative_binomial noncentral_chisquare noncentral_f pareto permuted "
        "power rayleigh standard_cauchy standard_gamma standard_t triangular vonmises wald "
        "weibull zipf ";
    if (numpyOnly.find(" " + attr + " ") != std::string::npos)
      raise(ErrorKind::Name, span, "numpy.random.Generator." + attr + " is not in ravel yet");
  }
  if (obj.kind == Value::Kind::MachInfo) {
    if (std::optional<Value> v = machInfoAttribute(*this, obj, attr)) return *v;
    if (attr == "machar")
      raise(ErrorKind::Name, span, "numpy.finfo.machar is not in ravel (deprecated in NumPy)");
  }
  if (obj.kind == Value::Kind::DTypeObj && (attr == "name" || attr == "itemsize")) {
    return attr == "name" ? Value::ofStr(std::string(dtypeName(obj.dtype)))
                          : Value::ofInt(itemSize(obj.dtype));
  }
  raise(ErrorKind::Name, span,
        std::string("'") + typeName(obj) + "' object has no attribute '" + attr + "'");
}

Value Interpreter::callBuiltin(const std::string& name, std::vector<Value>& args,
                               std::vector<std::pair<std::string, Value>>& kwargs, Span span) {
  // NumPy scalars used as shapes, counts or flags must have a value: compute
  // them now (a 0-d result costs one tiny kernel, and would be separate anyway).
  for (Value& a : args) forceScalars(a, span);
  for (auto& kw : kwargs) forceScalars(kw.second, span);
  if (BuiltinImpl impl = registeredImpl(name)) {
    const bool method = name[0] == '.' || name.rfind("Generator.", 0) == 0;
    const size_t dot = name.find('.');
    const std::string bare = dot == std::string::npos ? name : name.substr(dot + 1);
    BuiltinCall call{*this, bare, method, args, kwargs, span};
    return impl(call);
  }
  // A ufunc's method: "add.reduce", "multiply.outer", ...
  if (size_t dot = name.find('.'); dot != std::string::npos && dot > 0)
    if (const Ufunc* u = findUfunc(std::string_view(name).substr(0, dot)))
      return callUfuncMethod(*this, *u, name.substr(dot + 1), args, kwargs, span);
  if (name[0] == '.') raise(ErrorKind::Name, span, "unknown method '" + name.substr(1) + "'");
  raise(ErrorKind::Name, span, "'" + name + "' is not callable in ravel yet");
}

// ---- the core builtins (Builtins.def's impl column) ----

Value builtinReduction(BuiltinCall& call) {
  return call.in.reductionCall(call.name, call.args, call.kwargs, call.span);
}

Value builtinAround(BuiltinCall& call) {
  auto a = call.bind({{"a", {}}, {"decimals", Value::ofInt(0)}});
  return call.in.around(a[0], toInt(a[1], call.span), call.span);
}

Value builtinAstype(BuiltinCall& call) {
  auto a = call.bind({{"self", {}}, {"dtype", {}}});
  // astype(None) is astype(float64), as np.dtype(None) is.
  return call.in.astype(a[0], toDType(a[1], call.span).value_or(DType::Float64), call.span);
}

Value builtinCopy(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  if (!call.method) {
    // The copy() function keeps the operands' order, like astype and every ufunc.
    auto a = call.bind({{"a", {}}});
    graph::NodeRef n = in.nodeOf(a[0], span);
    return in.astype(in.arrayValue(n), n->dtype, span);
  }
  const Value self = call.bind({{"self", {}}})[0];
  // The method copies in C order. With at most one axis longer than 1, or a
  // C-contiguous source, the two agree and the copy stays lazy; otherwise it
  // is computed straight into C memory.
  int longAxes = 0;
  for (int64_t d : self.array->shape()) longAxes += d > 1;
  if (longAxes <= 1 || (self.array->materialized() && self.array->data.isCContiguous()))
    return in.astype(self, self.array->dtype(), span);
  Array out;
  try {
    out = Array::empty(self.array->shape(), self.array->dtype());
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
  in.assignInto(out, self, span);
  return in.materializedValue(out);
}

Value builtinFill(BuiltinCall& call) {
  Interpreter& in = call.in;
  auto a = call.bind({{"self", {}}, {"value", {}}});
  // A NumPy scalar is immutable: NumPy fills a temporary 0-d copy of it.
  Array target = in.materialize(a[0].array, call.span);
  in.assignInto(a[0].array->isScalar ? target.copy() : target, a[1], call.span);
  return Value::none();
}

namespace {

/// A Python scalar of an element: bool, int or float, as .item() gives it.
Value pythonScalar(const Scalar& s) {
  if (s.dtype == DType::Bool) return Value::ofBool(s.b);
  if (isInteger(s.dtype)) return Value::ofInt(s.i);
  return Value::ofFloat(s.f);
}

/// The elements of `a` from axis `d` on, at byte offset `offset`, as
/// nested Python lists.
Value nestedList(const Array& a, int d, int64_t offset) {
  if (d == a.ndim()) return pythonScalar(detail::readScalar(a.data() + offset, a.dtype()));
  Value list;
  list.kind = Value::Kind::List;
  const int64_t n = a.shape()[size_t(d)], stride = a.strides()[size_t(d)];
  list.items.reserve(size_t(n));
  for (int64_t i = 0; i < n; ++i) list.items.push_back(nestedList(a, d + 1, offset + i * stride));
  return list;
}

} // namespace

/// a.item(*args): the element as a Python scalar; no index for a size-1
/// array, one flat index, or one index per axis (separately or as a tuple).
Value builtinItem(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  if (!call.kwargs.empty()) raise(ErrorKind::Type, span, "item() takes no keyword arguments");
  Array arr = in.materialize(call.args[0].array, span);
  std::vector<Value> index(call.args.begin() + 1, call.args.end());
  // (Copied out first: assigning index[0].items to index would overwrite
  // index[0], and so the items, while copying them.)
  if (index.size() == 1 && index[0].kind == Value::Kind::Tuple) {
    std::vector<Value> items = index[0].items;
    index = std::move(items);
  }
  for (const Value& i : index) {
    if (i.kind == Value::Kind::Bool) raise(ErrorKind::Type, span, "an integer is required");
    if (i.kind == Value::Kind::Float)
      raise(ErrorKind::Type, span, "'float' object cannot be interpreted as an integer");
  }
  int64_t offset = 0;
  if (index.empty()) {
    if (arr.size() != 1)
      raise(ErrorKind::Value, span, "can only convert an array of size 1 to a Python scalar");
  } else if (index.size() == 1) {
    // A flat index into the array in C order.
    const int64_t size = arr.size(), i = toInt(index[0], span), flat = i < 0 ? i + size : i;
    if (flat < 0 || flat >= size)
      raise(ErrorKind::Index, span,
            "index " + std::to_string(i) + " is out of bounds for size " + std::to_string(size));
    int64_t rest = flat;
    for (int d = arr.ndim() - 1; d >= 0; --d) {
      offset += rest % arr.shape()[size_t(d)] * arr.strides()[size_t(d)];
      rest /= arr.shape()[size_t(d)];
    }
  } else {
    if (int64_t(index.size()) != arr.ndim())
      raise(ErrorKind::Value, span, "incorrect number of indices for array");
    for (size_t d = 0; d < index.size(); ++d) {
      const int64_t n = arr.shape()[d], i = toInt(index[d], span), at = i < 0 ? i + n : i;
      if (at < 0 || at >= n)
        raise(ErrorKind::Index, span,
              "index " + std::to_string(i) + " is out of bounds for axis " + std::to_string(d) +
                  " with size " + std::to_string(n));
      offset += at * arr.strides()[d];
    }
  }
  return pythonScalar(detail::readScalar(arr.data() + offset, arr.dtype()));
}

/// a.tolist(): nested Python lists of Python scalars (a 0-d array gives
/// the scalar itself).
Value builtinToList(BuiltinCall& call) {
  const Value self = call.bind({{"self", {}}})[0];
  return nestedList(call.in.materialize(self.array, call.span), 0, 0);
}

/// a.reshape(*shape, order='C'), or reshape(a, newshape, order='C').
Value builtinReshape(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  Value self, shape, orderArg = Value::ofStr("C");
  if (call.method) {
    self = call.args[0];
    for (const auto& [k, v] : call.kwargs) {
      if (k != "order")
        raise(ErrorKind::Type, span, "reshape() got an unexpected keyword argument '" + k + "'");
      orderArg = v;
    }
    std::vector<Value> rest(call.args.begin() + 1, call.args.end());
    shape = rest.size() == 1 ? rest[0] : Value::ofTuple(rest);
  } else {
    auto a = call.bind({{"a", {}}, {"newshape", {}}, {"order", Value::ofStr("C")}});
    self = a[0].isArray() ? a[0] : in.arrayValue(in.nodeOf(a[0], span));
    shape = a[1];
    orderArg = a[2];
  }
  Shape s;
  if (shape.kind == Value::Kind::Tuple || shape.kind == Value::Kind::List)
    for (const Value& x : shape.items) s.push_back(toInt(x, span));
  else
    s.push_back(toInt(shape, span));
  Array arr = in.materialize(self.array, span);
  const char order = layoutOrder(orderArg, arr, "reshape", span);
  try {
    Array r = reshapeInOrder(arr, s, order);
    if (in.recording()) {
      std::string of = !self.array->name.empty() ? self.array->name
                       : arr.isView()            ? std::string("a view")
                                                 : std::string("an array");
      if (r.buffer() == arr.buffer()) {
        in.note(span, "reshape of " + of + " to " + formatShapeCompact(r.shape()) +
                          " is a view, no copy");
      } else {
        // NumPy copies exactly when no strides over the same memory give
        // the new shape in the requested order; say which layout made it so.
        const char* layout = order == 'F' ? "Fortran" : "C";
        in.note(span, "reshape of " + of + " " + formatShapeCompact(arr.shape()) + " to " +
                          formatShapeCompact(r.shape()) + " copies " + formatByteSize(r.nbytes()) +
                          ": the source is not " + layout + "-contiguous (strides " +
                          formatShapeCompact(arr.strides()) +
                          "), and no strides over its memory give the new shape in " + layout +
                          " order");
      }
    }
    return in.viewValue(self.array, r);
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
}

/// ravel and flatten (methods), and the ravel() function.
Value builtinRavelOrFlatten(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{call.method ? "self" : "a", {}}, {"order", Value::ofStr("C")}});
  const Value self = a[0].isArray() ? a[0] : in.arrayValue(in.nodeOf(a[0], span));
  Array arr = in.materialize(self.array, span);
  const char order = layoutOrder(a[1], arr, call.name.c_str(), span);
  // NumPy's ravel (PyArray_Ravel) views only an array already contiguous in
  // that order; any other is copied, even a 1-d one that reshape(-1) would
  // view. flatten always copies. A copy owns its data (it is not a view of a
  // temporary, as reshape's copy is).
  const bool contiguous = order == 'C' ? arr.isCContiguous() : arr.isFContiguous();
  if (call.name == "ravel" && contiguous)
    return in.viewValue(self.array, reshapeInOrder(arr, {-1}, order)); // NumPy asks for -1
  Array flat = Array::empty({arr.size()}, arr.dtype());
  reshapeInOrder(flat, arr.shape(), order).assign(arr);
  return in.materializedValue(flat);
}

/// a.transpose(*axes), or transpose(a, axes=None).
Value builtinTranspose(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  Value self;
  std::vector<Value> rest;
  if (call.method) {
    if (!call.kwargs.empty())
      raise(ErrorKind::Type, span, "ndarray.transpose() takes no keyword arguments");
    self = call.args[0];
    rest.assign(call.args.begin() + 1, call.args.end());
  } else {
    auto a = call.bind({{"a", {}}, {"axes", kNone}});
    self = a[0].isArray() ? a[0] : in.arrayValue(in.nodeOf(a[0], span));
    if (a[1].kind != Value::Kind::None) rest.push_back(a[1]);
  }
  Array arr = in.materialize(self.array, span);
  if (rest.empty())
    return in.viewValue(self.array, arr.ndim() < 2
                                        ? arr.view(arr.shape(), arr.strides(), arr.offset())
                                        : arr.transpose());
  Value axes =
      rest.size() == 1 && (rest[0].kind == Value::Kind::Tuple || rest[0].kind == Value::Kind::List)
          ? rest[0]
          : Value::ofTuple(rest);
  std::vector<int> perm;
  for (const Value& x : axes.items) perm.push_back(int(toInt(x, span)));
  try {
    return in.viewValue(self.array, arr.transpose(perm));
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
}

Value builtinWhere(BuiltinCall& call) {
  // where(condition) alone is nonzero(condition), as in NumPy.
  auto a = call.bind({{"condition", {}}, {"x", kNone}, {"y", kNone}});
  auto given = [&](size_t position, const char* keyword) {
    bool byKeyword = false;
    for (const auto& kw : call.kwargs) byKeyword |= kw.first == keyword;
    return call.args.size() > position || byKeyword;
  };
  const bool x = given(1, "x"), y = given(2, "y");
  if (!x && !y) {
    std::vector<Value> cond{a[0]};
    Kwargs none;
    return call.in.callBuiltin("nonzero", cond, none, call.span);
  }
  if (!x || !y)
    raise(ErrorKind::Value, call.span, "either both or neither of x and y should be given");
  // NumPy's where takes x and y as arrays (np.asarray): a Python number is a
  // strong 0-d array of its default dtype, not a ufunc's weak operand, so
  // where(c, 2, int32_array) is int64.
  auto asArray = [&](const Value& v) {
    return v.isPyScalar() ? toArrayValue(call.in, v, call.span) : v;
  };
  return call.in.where(a[0], asArray(a[1]), asArray(a[2]), call.span);
}

Value builtinPrint(BuiltinCall& call) {
  Interpreter& in = call.in;
  std::string sep = " ", end = "\n";
  for (auto& [k, v] : call.kwargs) {
    if ((k == "sep" || k == "end") && v.kind == Value::Kind::Str)
      (k == "sep" ? sep : end) = v.name;
    else
      raise(ErrorKind::Type, call.span, "'" + k + "' is an invalid keyword argument for print()");
  }
  std::string line;
  for (size_t i = 0; i < call.args.size(); ++i) {
    if (i) line += sep;
    line += in.str(call.args[i]);
  }
  if (!in.dryRun()) in.out() << line << end;
  return Value::none();
}

/// array(object, dtype=None, *, copy=True, order='K', ndmin=0) and
/// asarray(a, dtype=None, order=None): an array input is returned itself
/// when no copy is asked for or needed (dtype and order already right);
/// a copy keeps the input's order ('K') or takes the one asked for ('A'
/// is F for a Fortran- and not C-contiguous input, else C);
/// ndmin prepends length-1 axes as a view.
Value builtinArrayOrAsarray(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  const bool isArray = call.name == "array";
  auto a = isArray ? call.bind({{"object", {}},
                                {"dtype", kNone},
                                {"copy", Value::ofBool(true)},
                                {"order", Value::ofStr("K")},
                                {"ndmin", Value::ofInt(0)}})
                   : call.bind({{"a", {}}, {"dtype", kNone}, {"order", kNone}});
  std::optional<DType> dt = toDType(a[1], span);
  const bool copy = isArray && in.truthy(a[2], span);
  char order = 'K';
  const Value& orderArg = a[isArray ? 3 : 2];
  if (orderArg.kind != Value::Kind::None) {
    const std::string o = orderArg.kind == Value::Kind::Str ? orderArg.name : "";
    if (o.size() != 1 || std::string("CFAKcfak").find(o[0]) == std::string::npos)
      raise(ErrorKind::Value, span,
            "order must be one of 'C', 'F', 'A', or 'K' (got " +
                (orderArg.kind == Value::Kind::Str ? "'" + o + "'" : in.repr(orderArg)) + ")");
    order = char(std::toupper(o[0]));
  }
  const int64_t ndmin = isArray ? toInt(a[4], span) : 0;
  Value r;
  if (a[0].isArray()) {
    const DType from = a[0].array->dtype();
    const DType t = dt.value_or(from);
    bool laidOut = true; // the input already has the order asked for
    if (order == 'A' && (copy || t != from)) {
      // NumPy's 'A' when copying: Fortran order for a Fortran- and not
      // C-contiguous input, C order for every other (a strided view copies
      // into C). Without a copy it asks for no layout, like 'K'.
      Array m = in.materialize(a[0].array, span);
      order = m.isFContiguous() && !m.isCContiguous() ? 'F' : 'C';
    }
    if (order == 'C' || order == 'F') {
      Array m = in.materialize(a[0].array, span);
      laidOut = order == 'C' ? m.isCContiguous() : m.isFContiguous();
    }
    // A NumPy scalar is not an array: it always becomes a new 0-d array.
    const bool scalar = a[0].array->isScalar;
    if (!copy && !scalar && t == from && laidOut) {
      r = a[0];
    } else if (order == 'C' || order == 'F' || scalar) {
      const Shape& shape = a[0].array->shape();
      Array out;
      try {
        out = order == 'C' ? Array::empty(shape, t) : Array::emptyFortran(shape, t);
      } catch (const RuntimeError& e) {
        rethrowWithSpan(e, span);
      }
      in.assignInto(out, t == from ? a[0] : in.astype(a[0], t, span), span);
      r = in.materializedValue(out);
    } else {
      r = in.astype(a[0], t, span);
      r.array->isScalar = false;
    }
  } else {
    NestedValues nested(in, span);
    nested.add(a[0], 0);
    try {
      Array built = nested.build(dt);
      if (order == 'F' && !built.isFContiguous()) {
        Array fortran = Array::emptyFortran(built.shape(), built.dtype());
        fortran.assign(built);
        built = fortran;
      }
      r = in.materializedValue(built);
    } catch (const RuntimeError& e) {
      rethrowWithSpan(e, span);
    }
  }
  const int nd = int(r.array->shape().size());
  if (ndmin <= nd) return r;
  if (ndmin > kMaxDims)
    raise(ErrorKind::Value, span,
          "ndmin bigger than allowable number of dimensions NPY_MAXDIMS (=" +
              std::to_string(kMaxDims) + ")");
  Shape shape(size_t(ndmin - nd), 1);
  for (int64_t d : r.array->shape()) shape.push_back(d);
  Array m = in.materialize(r.array, span);
  return in.viewValue(r.array, m.reshapeView(shape));
}

/// zeros, ones and empty (zero-filled: deterministic output, and large ones
/// are untouched pages anyway).
Value builtinZerosOnesEmpty(BuiltinCall& call) {
  auto a = call.bind({{"shape", {}}, {"dtype", kNone}});
  Shape s = toShape(a[0], call.span);
  DType t = toDType(a[1], call.span).value_or(DType::Float64);
  try {
    return call.in.materializedValue(call.name == "ones" ? Array::full(s, Scalar::ofInt(1), t)
                                                         : Array::zeros(s, t));
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, call.span);
  }
}

Value builtinFull(BuiltinCall& call) {
  Interpreter& in = call.in;
  auto a = call.bind({{"shape", {}}, {"fill_value", {}}, {"dtype", kNone}});
  Shape s = toShape(a[0], call.span);
  Value fill = a[1];
  DType t = toDType(a[2], call.span)
                .value_or(fill.kind == Value::Kind::Float  ? DType::Float64
                          : fill.kind == Value::Kind::Bool ? DType::Bool
                          : fill.kind == Value::Kind::Int  ? DType::Int64
                          : fill.isArray()                 ? fill.array->dtype()
                                                           : DType::Float64);
  Array out;
  try {
    out = Array::empty(s, t);
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, call.span);
  }
  in.assignInto(out, fillValue(in, fill), call.span);
  return in.materializedValue(out);
}

/// zeros_like, ones_like, full_like and empty_like (zero-filled: NumPy leaves
/// it uninitialized; zeros keep a program's output deterministic at the cost
/// of one write pass).
Value builtinLike(BuiltinCall& call) {
  Interpreter& in = call.in;
  const std::string& name = call.name;
  const bool isFull = name == "full_like";
  std::vector<Param> ps{{name == "empty_like" ? "prototype" : "a", {}}};
  if (isFull) ps.push_back({"fill_value", {}});
  ps.push_back({"dtype", kNone});
  auto a = call.bind(ps);
  graph::NodeRef n = in.nodeOf(a[0], call.span);
  DType t = toDType(a.back(), call.span).value_or(n->dtype);
  Array out = Array::empty(n->shape, t);
  Value fill = isFull ? a[1] : Value::ofInt(name == "ones_like" ? 1 : 0);
  in.assignInto(out, fillValue(in, fill), call.span);
  return in.materializedValue(out);
}

Value builtinArange(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"start", {}}, {"stop", kNone}, {"step", kNone}, {"dtype", kNone}});
  Value start = asPythonInt(a[0]), stop = asPythonInt(a[1]), step = asPythonInt(a[2]);
  if (stop.kind == Value::Kind::None) std::swap(start, stop), start = Value::ofInt(0);
  if (step.kind == Value::Kind::None) step = Value::ofInt(1);
  bool allInt = true;
  for (const Value* v : {&start, &stop, &step}) {
    if (!v->isPyScalar()) raise(ErrorKind::Type, span, "arange() arguments must be numbers");
    allInt &= v->kind != Value::Kind::Float;
  }
  DType t = toDType(a[3], span).value_or(allInt ? DType::Int64 : DType::Float64);
  try {
    if (allInt && isInteger(t))
      return in.materializedValue(
          arangeInt(toInt(start, span), toInt(stop, span), toInt(step, span), t));
    return in.materializedValue(
        arange(toFloat(in, start, span), toFloat(in, stop, span), toFloat(in, step, span), t));
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
}

Value builtinLinspace(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"start", {}},
                      {"stop", {}},
                      {"num", Value::ofInt(50)},
                      {"endpoint", Value::ofBool(true)},
                      {"dtype", kNone}});
  DType t = toDType(a[4], span).value_or(DType::Float64);
  try {
    return in.materializedValue(linspace(toFloat(in, a[0], span), toFloat(in, a[1], span),
                                         toInt(a[2], span), in.truthy(a[3], span), t));
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
}

Value builtinReprOrStr(BuiltinCall& call) {
  const bool isStr = call.name == "str";
  auto a = call.bind({{"object", isStr ? std::optional<Value>(Value::ofStr("")) : std::nullopt}});
  return Value::ofStr(isStr ? call.in.str(a[0]) : call.in.repr(a[0]));
}

Value builtinLen(BuiltinCall& call) {
  const Span span = call.span;
  auto a = call.bind({{"obj", {}}});
  if (a[0].kind == Value::Kind::Tuple || a[0].kind == Value::Kind::List)
    return Value::ofInt(int64_t(a[0].items.size()));
  if (a[0].kind == Value::Kind::Str) return Value::ofInt(int64_t(a[0].name.size()));
  if (a[0].kind == Value::Kind::Range)
    return Value::ofInt(int64_t(call.in.itemsOf(a[0], span).size()));
  if (a[0].isArray()) {
    if (a[0].array->isScalar) // a NumPy scalar is no sequence; a 0-d array is unsized
      raise(ErrorKind::Type, span,
            std::string("object of type '") + typeName(a[0]) + "' has no len()");
    if (a[0].array->shape().empty()) raise(ErrorKind::Type, span, "len() of unsized object");
    return Value::ofInt(a[0].array->shape()[0]);
  }
  raise(ErrorKind::Type, span, std::string("object of type '") + typeName(a[0]) + "' has no len()");
}

/// Python's float, int and bool.
Value builtinPythonNumber(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"x", Value::ofInt(0)}});
  const Value& v = a[0];
  if (call.name == "bool") return Value::ofBool(in.truthy(v, span));
  double d = toFloat(in, v, span);
  if (call.name == "float") return Value::ofFloat(d);
  if (v.kind == Value::Kind::Int) return v;
  if (v.isArray() && isInteger(v.array->dtype()))
    return Value::ofInt(in.materialize(v.array, span).item().i);
  if (!std::isfinite(d))
    raise(ErrorKind::Value, span, "cannot convert float infinity or NaN to integer");
  if (d >= 9.2233720368547758e18 || d < -9.2233720368547758e18)
    raise(ErrorKind::Value, span, "integer too large for ravel's 64-bit Python integers");
  return Value::ofInt(int64_t(d));
}

/// shape(a), ndim(a) and size(a): the attribute of a as an array.
Value builtinShapeNdimSize(BuiltinCall& call) {
  Interpreter& in = call.in;
  auto a = call.bind({{"a", {}}});
  Value v = a[0].isArray() ? a[0] : in.arrayValue(in.nodeOf(a[0], call.span));
  return in.attribute(v, call.name, call.span);
}

} // namespace ravel::exec
