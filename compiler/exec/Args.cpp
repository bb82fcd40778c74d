#include "compiler/exec/Args.h"

#include "compiler/exec/Interpreter.h"

namespace ravel::exec {

std::vector<Value> bindArgs(const std::string& fname, const std::vector<Value>& args,
                            const Kwargs& kwargs, const std::vector<Param>& params, Span span) {
  if (args.size() > params.size()) {
    raise(ErrorKind::Type, span,
          fname + "() takes at most " + std::to_string(params.size()) + " argument" +
              (params.size() == 1 ? "" : "s") + " (" + std::to_string(args.size()) + " given)");
  }
  std::vector<std::optional<Value>> bound(params.size());
  for (size_t i = 0; i < args.size(); ++i) bound[i] = args[i];
  for (const auto& [name, v] : kwargs) {
    size_t k = 0;
    while (k < params.size() && name != params[k].name) ++k;
    if (k == params.size())
      raise(ErrorKind::Type, span, fname + "() got an unexpected keyword argument '" + name + "'");
    if (bound[k])
      raise(ErrorKind::Type, span, fname + "() got multiple values for argument '" + name + "'");
    bound[k] = v;
  }
  std::vector<Value> out;
  for (size_t i = 0; i < params.size(); ++i) {
    if (!bound[i]) {
      if (!params[i].def)
        raise(ErrorKind::Type, span,
              fname + "() missing required argument '" + params[i].name + "' (pos " +
                  std::to_string(i) + ")"); // 0-based, as NumPy's argument parser counts
      bound[i] = params[i].def;
    }
    out.push_back(*bound[i]);
  }
  return out;
}

const Value kNone = Value::none();

int64_t toInt(const Value& v, Span span, const char* what) {
  requireInt64(v, span);
  if (v.kind == Value::Kind::Int) return v.i;
  if (v.kind == Value::Kind::Bool) return v.b;
  if (v.isArray() && v.array->isScalar && isInteger(v.array->dtype()) && v.array->materialized())
    return v.array->data.item().i;
  raise(ErrorKind::Type, span,
        std::string("'") + typeName(v) + "' object cannot be interpreted as " + what);
}

double toFloat(Interpreter& in, const Value& v, Span span) {
  switch (v.kind) {
    case Value::Kind::Int:
      return v.big ? double(v.wide) : double(v.i);
    case Value::Kind::Bool:
      return double(v.b);
    case Value::Kind::Float:
      return v.f;
    case Value::Kind::Array: {
      Array a = in.materialize(v.array, span);
      if (a.size() != 1)
        raise(ErrorKind::Type, span, "only size-1 arrays can be converted to Python scalars");
      return a.item().castTo(DType::Float64).f;
    }
    default:
      break;
  }
  raise(ErrorKind::Type, span, std::string("must be real number, not ") + typeName(v));
}

Shape toShape(const Value& v, Span span) {
  Shape s;
  if (v.kind == Value::Kind::Tuple || v.kind == Value::Kind::List) {
    for (const Value& x : v.items) s.push_back(toInt(x, span));
  } else {
    s.push_back(toInt(v, span));
  }
  try {
    checkedSize(s);
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
  return s;
}

std::optional<DType> toDType(const Value& v, Span span) {
  switch (v.kind) {
    case Value::Kind::None:
      return std::nullopt; // each caller's default (NumPy: float64 where it means "no dtype")
    case Value::Kind::DTypeObj:
      return v.dtype;
    case Value::Kind::Builtin:
      if (v.name == "float") return DType::Float64;
      if (v.name == "int") return DType::Int64;
      if (v.name == "bool") return DType::Bool;
      break;
    case Value::Kind::Str:
      if (auto t = parseDType(v.name)) return t;
      raise(ErrorKind::Type, span, "data type '" + v.name + "' not understood");
    default:
      break;
  }
  raise(ErrorKind::Type, span, "data type not understood");
}

std::vector<Value> bindCall(bool method, const std::string& fname, const std::vector<Value>& args,
                            const Kwargs& kwargs, std::vector<Param> params, Span span) {
  if (!method) return bindArgs(fname, args, kwargs, params, span);
  std::vector<Value> rest(args.begin() + 1, args.end());
  params.erase(params.begin());
  std::vector<Value> bound = bindArgs(fname, rest, kwargs, params, span);
  bound.insert(bound.begin(), args[0]);
  return bound;
}

std::vector<int64_t> toIntList(const Value& v, Span span) {
  std::vector<int64_t> out;
  if (v.kind == Value::Kind::Tuple || v.kind == Value::Kind::List) {
    for (const Value& x : v.items) out.push_back(toInt(x, span));
  } else {
    out.push_back(toInt(v, span));
  }
  return out;
}

Value toArrayValue(Interpreter& in, const Value& v, Span span) {
  if (v.isArray()) return v;
  std::vector<Value> args{v};
  Kwargs kwargs;
  return in.callBuiltin("asarray", args, kwargs, span);
}

Array argValues(Interpreter& in, const Value& v, Span span) {
  Array m = in.materialize(toArrayValue(in, v, span).array, span);
  if (in.dryRun()) m = Array::zeros(m.shape(), m.dtype());
  return m;
}

bool flagArg(const Value& v) {
  if (v.kind == Value::Kind::Bool) return v.b;
  if (v.kind == Value::Kind::Int) return v.i != 0;
  return v.kind != Value::Kind::None;
}

int axisArg(const Value& axis, int ndim, Span span) {
  try {
    return normalizeAxis(toInt(axis, span), ndim);
  } catch (const RuntimeError& e) {
    raise(ErrorKind::Index, span, e.what());
  }
}

std::vector<int> axisLastPerm(int axis, int ndim) {
  std::vector<int> perm;
  for (int d = 0; d < ndim; ++d)
    if (d != axis) perm.push_back(d);
  perm.push_back(axis);
  return perm;
}

Value callNamed(Interpreter& in, const char* name, std::vector<Value> args, Kwargs kwargs,
                Span span) {
  return in.callBuiltin(name, args, kwargs, span);
}

Value sliceValue(std::optional<int64_t> start, std::optional<int64_t> stop,
                 std::optional<int64_t> step) {
  Value s;
  s.kind = Value::Kind::Slice;
  auto opt = [](std::optional<int64_t> v) { return v ? Value::ofInt(*v) : Value::none(); };
  s.items = {opt(start), opt(stop), opt(step)};
  return s;
}

} // namespace ravel::exec
