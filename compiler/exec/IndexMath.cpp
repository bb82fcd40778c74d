// Flat and multi-dimensional indices (numpy.lib.index_tricks' C helpers):
// unravel_index, ravel_multi_index, and lexsort (indirect stable sort by
// several keys, the last key primary). All compute on materialised input.
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"

#include "runtime/Sort.h"

#include <algorithm>

namespace ravel::exec {
namespace {

/// An index argument as int64 values (NumPy accepts only integer input:
/// "only int indices permitted"); bool is an integer to NumPy here too.
Array intIndices(Interpreter& in, const Value& v, Span span) {
  Array x = argValues(in, v, span);
  if (isFloat(x.dtype())) raise(ErrorKind::Type, span, "only int indices permitted");
  return x.astype(DType::Int64).copy();
}

/// order= of the index functions: 'C' or 'F' ('A' and 'K' mean C here).
bool fortranOrder(const Value& v, Span span) {
  const std::string o = v.kind == Value::Kind::Str ? v.name : "";
  if (o == "F") return true;
  if (o == "C" || o == "A" || o == "K") return false;
  raise(ErrorKind::Value, span, "order must be one of 'C', 'F', 'A', or 'K' (got '" + o + "')");
}

/// The dims, slowest first in the order the flat index counts them.
std::vector<size_t> axisOrder(size_t n, bool fortran) {
  std::vector<size_t> order(n);
  for (size_t d = 0; d < n; ++d) order[d] = fortran ? n - 1 - d : d;
  return order;
}

Value intResult(Interpreter& in, Array values, bool scalar) {
  return in.materializedValue(std::move(values), scalar);
}

} // namespace

/// unravel_index(indices, shape, order='C'): a tuple of index arrays.
Value builtinUnravelIndex(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"indices", {}}, {"shape", {}}, {"order", Value::ofStr("C")}});
  Array idx = intIndices(in, a[0], span);
  const std::vector<int64_t> dims = toIntList(a[1], span);
  const bool fortran = fortranOrder(a[2], span);
  int64_t size = 1;
  for (int64_t d : dims) size *= d;
  std::vector<Array> outs;
  for (size_t d = 0; d < dims.size(); ++d) outs.push_back(Array::empty(idx.shape(), DType::Int64));
  const auto* p = reinterpret_cast<const int64_t*>(idx.data());
  const std::vector<size_t> order = axisOrder(dims.size(), fortran);
  for (int64_t i = 0; i < idx.size(); ++i) {
    int64_t v = p[i];
    if (v < 0 || v >= size)
      raise(ErrorKind::Value, span,
            "index " + std::to_string(v) + " is out of bounds for array with size " +
                std::to_string(size));
    // Peel the fastest-varying dim first.
    for (auto d = order.rbegin(); d != order.rend(); ++d) {
      reinterpret_cast<int64_t*>(outs[*d].data())[i] = v % dims[*d];
      v /= dims[*d];
    }
  }
  std::vector<Value> items;
  for (Array& o : outs) items.push_back(intResult(in, std::move(o), idx.ndim() == 0));
  return Value::ofTuple(items);
}

/// ravel_multi_index(multi_index, dims, mode='raise', order='C').
Value builtinRavelMultiIndex(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"multi_index", {}},
                      {"dims", {}},
                      {"mode", Value::ofStr("raise")},
                      {"order", Value::ofStr("C")}});
  const std::vector<int64_t> dims = toIntList(a[1], span);
  std::vector<Value> coordArgs = a[0].items;
  if (a[0].kind != Value::Kind::Tuple && a[0].kind != Value::Kind::List) {
    // An array's rows are the coordinate arrays.
    Array rows = argValues(in, a[0], span).copy();
    if (rows.ndim() == 0)
      raise(ErrorKind::Value, span,
            "parameter multi_index must be a sequence of length " + std::to_string(dims.size()));
    coordArgs.clear();
    for (int64_t r = 0; r < rows.shape()[0]; ++r)
      coordArgs.push_back(
          in.materializedValue(rows.sliceAxis(0, r, 1, 1)
                                   .copy()
                                   .reshape(Shape(rows.shape().begin() + 1, rows.shape().end()))));
  }
  if (coordArgs.size() != dims.size())
    raise(ErrorKind::Value, span,
          "parameter multi_index must be a sequence of length " + std::to_string(dims.size()));
  // Modes: one for every dim, or one per dim.
  std::vector<std::string> modes;
  if (a[2].kind == Value::Kind::Tuple || a[2].kind == Value::Kind::List) {
    for (const Value& m : a[2].items) modes.push_back(m.kind == Value::Kind::Str ? m.name : "");
    if (modes.size() != dims.size())
      raise(ErrorKind::Value, span,
            "list of clipmodes has wrong length (" + std::to_string(modes.size()) + " instead of " +
                std::to_string(dims.size()) + ")");
  } else {
    modes.assign(dims.size(), a[2].kind == Value::Kind::Str ? a[2].name : "");
  }
  for (const std::string& m : modes)
    if (m != "raise" && m != "wrap" && m != "clip")
      raise(ErrorKind::Value, span,
            "clipmode must be one of 'clip', 'raise', or 'wrap' (got '" + m + "')");
  const bool fortran = fortranOrder(a[3], span);
  std::vector<Array> coords;
  Shape shape;
  bool scalar = true;
  for (const Value& v : coordArgs) {
    coords.push_back(intIndices(in, v, span));
    scalar &= coords.back().ndim() == 0;
    try {
      shape = broadcastShapes(shape, coords.back().shape());
    } catch (const RuntimeError& e) {
      rethrowWithSpan(e, span);
    }
  }
  for (Array& c : coords) c = c.broadcastTo(shape).copy();
  Array out = Array::empty(shape, DType::Int64);
  auto* o = reinterpret_cast<int64_t*>(out.data());
  const std::vector<size_t> order = axisOrder(dims.size(), fortran);
  for (int64_t i = 0; i < out.size(); ++i) {
    int64_t flat = 0;
    for (size_t d : order) {
      int64_t v = reinterpret_cast<const int64_t*>(coords[d].data())[i];
      const int64_t n = dims[d];
      if (modes[d] == "wrap" && n > 0)
        v = ((v % n) + n) % n;
      else if (modes[d] == "clip")
        v = std::clamp<int64_t>(v, 0, std::max<int64_t>(n - 1, 0));
      else if (v < 0 || v >= n)
        raise(ErrorKind::Value, span, "invalid entry in coordinates array");
      flat = flat * n + v;
    }
    o[i] = flat;
  }
  return intResult(in, std::move(out), scalar);
}

/// lexsort(keys, axis=-1) of 1-d keys: the permutation sorting by the last
/// key, ties broken by the one before, ..., stable (NumPy's mergesort per key).
Value builtinLexsort(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"keys", {}}, {"axis", Value::ofInt(-1)}});
  std::vector<Array> keys;
  if (a[0].kind == Value::Kind::Tuple || a[0].kind == Value::Kind::List) {
    for (const Value& k : a[0].items) keys.push_back(argValues(in, k, span));
  } else {
    // An array: its rows are the keys.
    Array rows = argValues(in, a[0], span).copy();
    if (rows.ndim() == 0)
      raise(ErrorKind::Type, span, "need sequence of keys with len > 0 in lexsort");
    if (rows.ndim() == 1) {
      // NumPy iterates the array: each element is a 0-d key, sorted as one item.
      Array zero = Array::empty({}, DType::Int64);
      *reinterpret_cast<int64_t*>(zero.data()) = 0;
      return in.materializedValue(zero);
    } else {
      const int64_t n = rows.shape()[1], bytes = n * rows.itemsize();
      for (int64_t r = 0; r < rows.shape()[0]; ++r) {
        Array key = Array::empty({n}, rows.dtype());
        std::copy_n(rows.data() + r * bytes, bytes, key.data());
        keys.push_back(key);
      }
    }
  }
  if (keys.empty()) raise(ErrorKind::Type, span, "need sequence of keys with len > 0 in lexsort");
  for (const Array& k : keys)
    if (k.shape() != keys[0].shape())
      raise(ErrorKind::Value, span, "all keys need to be the same shape");
  if (keys[0].ndim() != 1 || toInt(a[1], span) != -1)
    raise(ErrorKind::Type, span, "lexsort of keys that are not 1-d is not in ravel yet");
  const int64_t n = keys[0].size();
  // perm sorts by keys[0..j]; each later key re-sorts stably through it.
  Array perm = Array::empty({n}, DType::Int64);
  auto* p = reinterpret_cast<int64_t*>(perm.data());
  for (int64_t i = 0; i < n; ++i) p[i] = i;
  for (const Array& key : keys) {
    Array gathered = Array::empty({n}, key.dtype());
    const int64_t item = key.itemsize();
    for (int64_t i = 0; i < n; ++i)
      std::copy_n(key.data() + p[i] * key.strides()[0], item, gathered.data() + i * item);
    Array order = argsortRows(gathered);
    const auto* q = reinterpret_cast<const int64_t*>(order.data());
    std::vector<int64_t> next(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) next[size_t(i)] = p[q[i]];
    std::copy(next.begin(), next.end(), p);
  }
  return in.materializedValue(perm);
}

} // namespace ravel::exec
