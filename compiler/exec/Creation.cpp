// Creation functions that build new arrays from shapes and other arrays:
// meshgrid, tri/tril/triu, pad, logspace/geomspace and indices, with
// NumPy 1.24's values, dtypes and messages (numpy/lib/function_base.py,
// twodim_base.py, arraypad.py, core/function_base.py, core/numeric.py).
//
// tril and triu stay lazy: they are NumPy's where(mask, m, 0), fused with
// what computes m. pad gathers each output element from its source element
// (the per-axis source index is worked out once, replaying NumPy's own
// chunked fill so its quirks with wide pads come out the same). logspace
// and geomspace compute in float64 with the C library's pow, as NumPy does.
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"

#include "runtime/Creation.h"

#include <cmath>
#include <cstring>

namespace ravel::exec {
namespace {

Array allocate(const Shape& shape, DType dtype, Span span) {
  try {
    return Array::empty(shape, dtype);
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
}

/// An argument's values as a materialised array: a literal's own values
/// even in a dry run (they decide the result's shape), else argValues.
Array literalValues(Interpreter& in, const Value& v, Span span) {
  Value a = toArrayValue(in, v, span);
  if (a.array->materialized()) return a.array->data;
  return argValues(in, a, span);
}

/// The bytes of `v` stored as `dtype` (NumPy's cast).
void storeAs(char* p, int64_t v, DType dtype) {
  Array one = Array::full({}, Scalar::ofInt(v), dtype);
  std::memcpy(p, one.data(), size_t(one.itemsize()));
}

/// A string argument NumPy compares with ==.
std::string textArg(const Value& v) {
  return v.kind == Value::Kind::Str ? v.name : std::string();
}

// ---------------------------------------------------------------- meshgrid

Value meshgrid(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  Value copy = Value::ofBool(true), sparse = Value::ofBool(false), indexing = Value::ofStr("xy");
  for (const auto& [key, value] : call.kwargs) {
    if (key == "copy")
      copy = value;
    else if (key == "sparse")
      sparse = value;
    else if (key == "indexing")
      indexing = value;
    else
      raise(ErrorKind::Type, span, "meshgrid() got an unexpected keyword argument '" + key + "'");
  }
  const std::string how = textArg(indexing);
  if (how != "xy" && how != "ij")
    raise(ErrorKind::Value, span, "Valid values for `indexing` are 'xy' and 'ij'.");
  const size_t nd = call.args.size();
  std::vector<Value> inputs;
  std::vector<Array> data;
  Shape full(nd, 1);
  for (size_t i = 0; i < nd; ++i) {
    inputs.push_back(toArrayValue(in, call.args[i], span));
    data.push_back(in.materialize(inputs.back().array, span));
    // NumPy reshapes each input to (1, ..., -1, ..., 1): flattened.
    size_t axis = i;
    if (how == "xy" && nd > 1 && i < 2) axis = 1 - i;
    full[axis] = data.back().size();
  }
  std::vector<Value> out;
  for (size_t i = 0; i < nd; ++i) {
    size_t axis = i;
    if (how == "xy" && nd > 1 && i < 2) axis = 1 - i;
    Shape own(nd, 1);
    own[axis] = data[i].size();
    Array r = data[i].reshapeView(own);
    if (!r.valid()) r = data[i].reshape(own); // a strided input: NumPy's reshape copies too
    Value v = in.viewValue(inputs[i].array, r);
    if (!in.truthy(sparse, span)) v = in.viewValue(v.array, r.broadcastTo(full).readOnly());
    if (in.truthy(copy, span)) {
      Array c = allocate(v.array->shape(), v.array->dtype(), span);
      in.assignInto(c, v, span);
      v = in.materializedValue(c);
    }
    out.push_back(v);
  }
  in.note(span, "meshgrid of " + std::to_string(nd) + " arrays to " + formatShapeCompact(full) +
                    (in.truthy(copy, span) ? ": one copy each" : ": broadcast views, no copy"));
  return Value::ofList(std::move(out));
}

// ------------------------------------------------------------ tri/tril/triu

/// np.tri(n, m, k, dtype): ones where column - row <= k.
Array triArray(int64_t n, int64_t m, int64_t k, DType dtype, Span span) {
  Array out = allocate({std::max<int64_t>(n, 0), std::max<int64_t>(m, 0)}, dtype, span);
  char one[8], zero[8];
  storeAs(one, 1, dtype);
  storeAs(zero, 0, dtype);
  const int64_t isz = out.itemsize();
  char* p = out.data();
  for (int64_t i = 0; i < out.shape()[0]; ++i)
    for (int64_t j = 0; j < out.shape()[1]; ++j, p += isz)
      std::memcpy(p, j - i <= k ? one : zero, size_t(isz));
  return out;
}

Value tril(BuiltinCall& call, bool upper) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"m", {}}, {"k", Value::ofInt(0)}});
  Value m = toArrayValue(in, a[0], span);
  const int64_t k = toInt(a[1], span);
  const Shape& shape = m.array->shape();
  if (shape.empty())
    raise(ErrorKind::Type, span, "tri() missing 1 required positional argument: 'N'");
  const int64_t rows = shape.size() >= 2 ? shape[shape.size() - 2] : shape.back();
  const int64_t cols = shape.back();
  Value mask = in.materializedValue(triArray(rows, cols, upper ? k - 1 : k, DType::Bool, span));
  Value zero = in.materializedValue(Array::zeros({1}, m.array->dtype()));
  return upper ? in.where(mask, zero, m, span) : in.where(mask, m, zero, span);
}

// --------------------------------------------------------------------- pad

/// The (ndim, 2) pairs NumPy's _as_pairs makes of pad_width (as_index) or
/// constant_values, as an (ndim, 2) array.
Array asPairs(const Array& x, int ndim, bool asIndex, Span span) {
  auto negative = [&] { raise(ErrorKind::Value, span, "index can't contain negative values"); };
  Array flat = x.reshape({x.size()});
  Array out = Array::empty({int64_t(ndim), 2}, x.dtype());
  auto fill = [&](int64_t left, int64_t right) {
    for (int d = 0; d < ndim; ++d) {
      out.setAt({d, 0}, flat.at({left}));
      out.setAt({d, 1}, flat.at({right}));
    }
    return out;
  };
  if (x.ndim() < 3) {
    if (x.size() == 1) {
      if (asIndex && flat.at({0}).i < 0) negative();
      return fill(0, 0);
    }
    if (x.size() == 2 && x.shape() != Shape{2, 1}) {
      if (asIndex && (flat.at({0}).i < 0 || flat.at({1}).i < 0)) negative();
      return fill(0, 1);
    }
  }
  if (asIndex) {
    if (x.size() == 0)
      raise(ErrorKind::Value, span,
            "zero-size array to reduction operation minimum which has no identity");
    for (int64_t i = 0; i < x.size(); ++i)
      if (flat.at({i}).i < 0) negative();
  }
  const Shape want{int64_t(ndim), 2};
  bool ok = x.ndim() <= 2;
  for (int i = 0; ok && i < x.ndim(); ++i) {
    int64_t f = x.shape()[size_t(x.ndim() - 1 - i)];
    ok = f == 1 || f == want[size_t(1 - i)];
  }
  if (!ok)
    raise(ErrorKind::Value, span,
          "operands could not be broadcast together with remapped shapes "
          "[original->remapped]: " +
              formatShapeCompact(x.shape()) + "  and requested shape " + formatShapeCompact(want));
  out.assign(x.broadcastTo(want));
  return out;
}

/// Python's slice(start, stop, step).indices(length) as the indices it selects.
std::vector<int64_t> sliceIndices(int64_t start, int64_t stop, int64_t step, int64_t length) {
  auto clamp = [&](int64_t v, int64_t lo, int64_t hi) {
    if (v < 0) v += length;
    return std::min(std::max(v, lo), hi);
  };
  std::vector<int64_t> out;
  if (step > 0) {
    for (int64_t i = clamp(start, 0, length), e = clamp(stop, 0, length); i < e; i += step)
      out.push_back(i);
  } else {
    for (int64_t i = clamp(start, -1, length - 1), e = clamp(stop, -1, length - 1); i > e;
         i += step)
      out.push_back(i);
  }
  return out;
}

/// Where each position along one padded axis takes its value from: an index
/// into the original axis, or -1 for a constant. Replays NumPy's fill of the
/// pad area (_set_reflect_both, _set_wrap_both chunk by chunk) on indices.
std::vector<int64_t> padSources(const std::string& mode, int64_t n, int64_t left, int64_t right) {
  const int64_t length = n + left + right;
  std::vector<int64_t> src(size_t(length), -1);
  for (int64_t i = 0; i < n; ++i) src[size_t(left + i)] = i;
  if (mode == "constant") return src;
  auto copyChunk = [&](const std::vector<int64_t>& from, int64_t start) {
    std::vector<int64_t> values;
    for (int64_t f : from) values.push_back(src[size_t(f)]);
    for (size_t i = 0; i < values.size(); ++i) src[size_t(start) + i] = values[i];
  };
  if (mode == "edge" || ((mode == "reflect" || mode == "symmetric") && n == 1)) {
    for (int64_t i = 0; i < length; ++i)
      src[size_t(i)] = std::min(std::max(i - left, int64_t(0)), n - 1);
  } else if (mode == "wrap") {
    const int64_t period = n;
    while (left > 0 || right > 0) {
      int64_t newLeft = 0, newRight = 0;
      if (left > 0) {
        auto chunk =
            sliceIndices(-right - std::min(period, left), right != 0 ? -right : length, 1, length);
        if (left > period) {
          copyChunk(chunk, left - period);
          newLeft = left - period;
        } else {
          copyChunk(chunk, 0);
        }
      }
      if (right > 0) {
        auto chunk = sliceIndices(left, left + std::min(period, right), 1, length);
        copyChunk(chunk, length - right);
        if (right > period) newRight = right - period;
      }
      left = newLeft;
      right = newRight;
    }
  } else { // reflect, symmetric (reflect_type 'even')
    const int64_t edgeOffset = mode == "symmetric" ? 1 : 0;
    while (left > 0 || right > 0) {
      int64_t oldLength = length - left - right - (mode == "symmetric" ? 0 : 1);
      if (left > 0) {
        int64_t chunkLength = std::min(oldLength, left);
        int64_t stop = left - edgeOffset;
        copyChunk(sliceIndices(stop + chunkLength, stop, -1, length), left - chunkLength);
        left -= chunkLength;
      }
      if (right > 0) {
        int64_t chunkLength = std::min(oldLength, right);
        int64_t start = -right + edgeOffset - 2;
        copyChunk(sliceIndices(start, start - chunkLength, -1, length), length - right);
        right -= chunkLength;
      }
    }
  }
  return src;
}

Value pad(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  // pad(array, pad_width, mode='constant', **kwargs)
  Kwargs own, extra;
  for (auto& kw : call.kwargs)
    (kw.first == "array" || kw.first == "pad_width" || kw.first == "mode" ? own : extra)
        .push_back(kw);
  auto a = bindArgs("pad", call.args, own,
                    {{"array", {}}, {"pad_width", {}}, {"mode", Value::ofStr("constant")}}, span);
  Value arr = toArrayValue(in, a[0], span);
  Array widths = literalValues(in, a[1], span);
  if (!isInteger(widths.dtype()))
    raise(ErrorKind::Type, span, "`pad_width` must be of integral type.");
  const int nd = int(arr.array->shape().size());
  Array pairs = asPairs(widths, nd, true, span);
  if (a[2].kind != Value::Kind::Str)
    raise(ErrorKind::Type, span, "pad of a callable or non-string mode is not in ravel yet");
  const std::string mode = a[2].name;
  static const std::vector<std::pair<std::string, std::string>> kAllowed = {
      {"constant", "constant_values"},
      {"edge", ""},
      {"wrap", ""},
      {"reflect", "reflect_type"},
      {"symmetric", "reflect_type"}};
  static const std::vector<std::string> kOther = {"empty", "linear_ramp", "maximum",
                                                  "mean",  "median",      "minimum"};
  const std::string* allowed = nullptr;
  for (const auto& [m, kw] : kAllowed)
    if (m == mode) allowed = &kw;
  if (!allowed) {
    if (std::find(kOther.begin(), kOther.end(), mode) != kOther.end())
      raise(ErrorKind::Value, span, "pad mode '" + mode + "' is not in ravel yet");
    raise(ErrorKind::Value, span, "mode '" + mode + "' is not supported");
  }
  Value constants = Value::ofInt(0);
  for (const auto& [key, value] : extra) {
    if (key != *allowed)
      raise(ErrorKind::Value, span,
            "unsupported keyword arguments for mode '" + mode + "': {'" + key + "'}");
    if (key == "constant_values") constants = value;
    if (key == "reflect_type" && textArg(value) == "odd")
      raise(ErrorKind::Value, span, "pad with reflect_type='odd' is not in ravel yet");
  }
  Array src = in.materialize(arr.array, span);
  const DType dtype = src.dtype();
  Shape shape;
  std::vector<int64_t> before;
  for (int d = 0; d < nd; ++d) {
    before.push_back(pairs.at({d, 0}).i);
    shape.push_back(src.shape()[size_t(d)] + before.back() + pairs.at({d, 1}).i);
  }
  Array values;
  if (mode == "constant") {
    Array given = literalValues(in, constants, span);
    values = asPairs(given, nd, false, span).astype(dtype);
  } else if (src.size() == 0) {
    for (int d = 0; d < nd; ++d)
      if (src.shape()[size_t(d)] == 0 && (pairs.at({d, 0}).i || pairs.at({d, 1}).i))
        raise(ErrorKind::Value, span,
              "can't extend empty axis " + std::to_string(d) +
                  " using modes other than 'constant' or 'empty'");
  }
  Array out = allocate(shape, dtype, span);
  if (in.dryRun() || out.size() == 0) return in.materializedValue(out);
  std::vector<std::vector<int64_t>> sources;
  for (int d = 0; d < nd; ++d)
    sources.push_back(
        padSources(mode, src.shape()[size_t(d)], before[size_t(d)], pairs.at({d, 1}).i));
  // Gather in C order; a position in a constant pad takes the constant of
  // the last axis it pads (NumPy fills axis by axis, the later over the earlier).
  const int64_t isz = out.itemsize();
  std::vector<int64_t> index(size_t(nd), 0);
  char* dst = out.data();
  for (int64_t n = 0; n < out.size(); ++n, dst += isz) {
    const char* from = nullptr;
    int64_t offset = 0;
    for (int d = nd - 1; d >= 0 && !from; --d) {
      int64_t s = sources[size_t(d)][size_t(index[size_t(d)])];
      if (s < 0)
        from =
            values.data() + (int64_t(d) * 2 + (index[size_t(d)] < before[size_t(d)] ? 0 : 1)) * isz;
      else
        offset += s * src.strides()[size_t(d)];
    }
    std::memcpy(dst, from ? from : src.data() + offset, size_t(isz));
    for (int d = nd - 1; d >= 0; --d) {
      if (++index[size_t(d)] < shape[size_t(d)]) break;
      index[size_t(d)] = 0;
    }
  }
  in.note(span, "pad (" + mode + ") makes a new " + formatShapeCompact(shape) + " array");
  // NumPy pads into order='F' when the input is Fortran- and not C-contiguous.
  if (src.isFContiguous() && !src.isCContiguous()) {
    Array fortran = Array::emptyFortran(shape, dtype);
    fortran.assign(out);
    return in.materializedValue(fortran);
  }
  return in.materializedValue(out);
}

// ------------------------------------------------------ logspace/geomspace

/// A scalar argument of logspace/geomspace (array start/stop are not in ravel).
double scalarArg(Interpreter& in, const Value& v, const char* fname, Span span) {
  if (v.isArray() && !v.array->shape().empty())
    raise(ErrorKind::Type, span,
          std::string(fname) + "() with array start or stop is not in ravel yet");
  return toFloat(in, v, span);
}

/// The 1-d result's axis= (0 or -1): NumPy's AxisError otherwise.
void checkAxis(const Value& axis, const char* prefix, Span span) {
  int64_t ax = toInt(axis, span);
  if (ax != 0 && ax != -1)
    raise(ErrorKind::Index, span,
          std::string(prefix) + "axis " + std::to_string(ax) +
              " is out of bounds for array of dimension 1");
}

/// base ** linspace(start, stop, num, endpoint) in float64, NumPy's power.
Array powersOf(double base, double start, double stop, int64_t num, bool endpoint, Span span) {
  Array y;
  try {
    y = linspace(start, stop, num, endpoint, DType::Float64);
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
  double* p = reinterpret_cast<double*>(y.data());
  for (int64_t i = 0; i < y.size(); ++i) p[i] = std::pow(base, p[i]);
  return y;
}

Value logspace(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"start", {}},
                      {"stop", {}},
                      {"num", Value::ofInt(50)},
                      {"endpoint", Value::ofBool(true)},
                      {"base", Value::ofFloat(10.0)},
                      {"dtype", kNone},
                      {"axis", Value::ofInt(0)}});
  double start = scalarArg(in, a[0], "logspace", span),
         stop = scalarArg(in, a[1], "logspace", span);
  if (a[4].isArray() && !a[4].array->shape().empty())
    raise(ErrorKind::Type, span, "logspace() with an array base is not in ravel yet");
  const double base = toFloat(in, a[4], span);
  std::optional<DType> dtype = toDType(a[5], span);
  checkAxis(a[6], "", span);
  Array y = powersOf(base, start, stop, toInt(a[2], span), in.truthy(a[3], span), span);
  return in.materializedValue(dtype ? y.astype(*dtype) : y);
}

Value geomspace(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"start", {}},
                      {"stop", {}},
                      {"num", Value::ofInt(50)},
                      {"endpoint", Value::ofBool(true)},
                      {"dtype", kNone},
                      {"axis", Value::ofInt(0)}});
  double start = scalarArg(in, a[0], "geomspace", span),
         stop = scalarArg(in, a[1], "geomspace", span);
  if (start == 0 || stop == 0)
    raise(ErrorKind::Value, span, "Geometric sequence cannot include zero");
  const int64_t num = toInt(a[2], span);
  const bool endpoint = in.truthy(a[3], span);
  std::optional<DType> dtype = toDType(a[4], span);
  // Both negative: computed positive and negated (a sign change between
  // them is a NaN with an 'invalid value' warning in NumPy, not in ravel).
  double sign = 1.0;
  if (start < 0 && stop < 0) {
    start = -start;
    stop = -stop;
    sign = -1.0;
  } else if ((start < 0) != (stop < 0)) {
    raise(ErrorKind::Value, span,
          "geomspace() between a negative and a positive number is not in ravel yet");
  }
  Array y = powersOf(10.0, std::log10(start), std::log10(stop), num, endpoint, span);
  double* p = reinterpret_cast<double*>(y.data());
  if (num > 0) {
    p[0] = start;
    if (num > 1 && endpoint) p[num - 1] = stop;
  }
  for (int64_t i = 0; i < y.size(); ++i) p[i] *= sign;
  checkAxis(a[5], "destination: ", span);
  return in.materializedValue(dtype ? y.astype(*dtype) : y);
}

// ----------------------------------------------------------------- indices

Value indices(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"dimensions", {}},
                      {"dtype", Value::ofDType(DType::Int64)},
                      {"sparse", Value::ofBool(false)}});
  if (a[0].kind != Value::Kind::Tuple && a[0].kind != Value::Kind::List)
    raise(ErrorKind::Type, span, std::string("'") + typeName(a[0]) + "' object is not iterable");
  Shape dims = toIntList(a[0], span);
  const DType dtype = toDType(a[1], span).value_or(DType::Float64);
  const bool sparse = in.truthy(a[2], span);
  const int nd = int(dims.size());
  for (int64_t d : dims) {
    if (d < 0) raise(ErrorKind::Value, span, "negative dimensions are not allowed");
    if (dtype == DType::Bool && d > 2)
      raise(ErrorKind::Value, span, "no fill-function for data-type.");
  }
  // The coordinates 0..max(dims)-1 stored once as `dtype`.
  int64_t longest = 0;
  for (int64_t d : dims) longest = std::max(longest, d);
  Array coords = allocate({longest}, dtype, span);
  for (int64_t c = 0; c < longest; ++c) storeAs(coords.data() + c * coords.itemsize(), c, dtype);
  auto coordinate = [&](char* p, int64_t c) {
    std::memcpy(p, coords.data() + c * coords.itemsize(), size_t(coords.itemsize()));
  };
  if (sparse) {
    std::vector<Value> out;
    for (int i = 0; i < nd; ++i) {
      Shape s(size_t(nd), 1);
      s[size_t(i)] = dims[size_t(i)];
      Array r = allocate(s, dtype, span);
      for (int64_t c = 0; c < dims[size_t(i)]; ++c) coordinate(r.data() + c * r.itemsize(), c);
      out.push_back(in.materializedValue(r));
    }
    return Value::ofTuple(std::move(out));
  }
  Shape shape{int64_t(nd)};
  shape.insert(shape.end(), dims.begin(), dims.end());
  Array out = allocate(shape, dtype, span);
  const int64_t per = out.size() / std::max<int64_t>(nd, 1);
  for (int i = 0; i < nd; ++i) {
    // Along axis i the coordinate changes every `inner` elements.
    int64_t inner = 1;
    for (int d = i + 1; d < nd; ++d) inner *= dims[size_t(d)];
    char* base = out.data() + int64_t(i) * per * out.itemsize();
    for (int64_t n = 0; n < per; ++n)
      coordinate(base + n * out.itemsize(), (n / inner) % dims[size_t(i)]);
  }
  return in.materializedValue(out);
}

} // namespace

Value builtinMeshgrid(BuiltinCall& call) {
  return meshgrid(call);
}
Value builtinTri(BuiltinCall& call) {
  auto a = call.bind(
      {{"N", {}}, {"M", kNone}, {"k", Value::ofInt(0)}, {"dtype", Value::ofDType(DType::Float64)}});
  const int64_t n = toInt(a[0], call.span);
  const int64_t m = a[1].kind == Value::Kind::None ? n : toInt(a[1], call.span);
  const DType dtype = toDType(a[3], call.span).value_or(DType::Float64);
  return call.in.materializedValue(triArray(n, m, toInt(a[2], call.span), dtype, call.span));
}
Value builtinTril(BuiltinCall& call) {
  return tril(call, false);
}
Value builtinTriu(BuiltinCall& call) {
  return tril(call, true);
}
Value builtinPad(BuiltinCall& call) {
  return pad(call);
}
Value builtinLogspace(BuiltinCall& call) {
  return logspace(call);
}
Value builtinGeomspace(BuiltinCall& call) {
  return geomspace(call);
}
Value builtinIndices(BuiltinCall& call) {
  return indices(call);
}

} // namespace ravel::exec
