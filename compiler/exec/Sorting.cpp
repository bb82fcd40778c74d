// Sorting builtins: sort, argsort, the in-place `a.sort()` method, unique and
// searchsorted. All are eager: the input is materialized, copied with the
// sort axis last and C-contiguous, sorted by runtime/Sort.h (NumPy's order,
// NaN last) and written back in the input's axis order.
//
// `a.sort()` writes the sorted values back through `a` with assignInto, so a
// view writes through to its base and lazy readers of that memory are
// computed first, like any other store.
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"

#include "runtime/Sort.h"
#include "runtime/Storage.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <type_traits>

namespace ravel::exec {

namespace {

/// NumPy's PyArray_SortkindConverter: None, or a string whose first letter
/// (any case) is q, h, m or s. Whether the kind asks for a stable sort.
bool stableKind(const Value& kind, Span span) {
  if (kind.kind == Value::Kind::None) return false;
  if (kind.kind != Value::Kind::Str)
    raise(ErrorKind::Type, span, std::string("sort kind must be str, not ") + typeName(kind));
  const char c = kind.name.empty() ? '\0' : char(std::tolower(kind.name[0]));
  if (c != 'q' && c != 'h' && c != 'm' && c != 's')
    raise(ErrorKind::Value, span,
          "sort kind must be one of 'quick', 'heap', or 'stable' (got '" + kind.name + "')");
  return c == 'm' || c == 's';
}

/// The axes, fastest first, of NumPy's `a.copy(order='K')` (PyArray_NewLikeArray):
/// C order if `a` is C-contiguous, else Fortran order if it is
/// F-contiguous, else by |stride|, largest outermost, ties in axis order.
/// (A ufunc's result follows the iterator's rule instead: MemoryOrder.h.)
std::vector<int> copyOrderK(const Array& a) {
  const int nd = a.ndim();
  std::vector<int> axes(static_cast<size_t>(nd));
  for (int d = 0; d < nd; ++d) axes[size_t(d)] = d; // slowest first
  if (!a.isCContiguous()) {
    if (a.isFContiguous()) {
      std::reverse(axes.begin(), axes.end());
    } else {
      std::stable_sort(axes.begin(), axes.end(), [&](int x, int y) {
        return std::abs(a.strides()[size_t(x)]) > std::abs(a.strides()[size_t(y)]);
      });
    }
  }
  std::reverse(axes.begin(), axes.end());
  return axes;
}

/// `m` sorted (or its sorting indices, when `indices`) along `axis` (None:
/// the C-order flattening), as a new C-contiguous array.
Array sorted(const Array& m, const Value& axis, bool stable, bool indices, Span span) {
  if (axis.kind == Value::Kind::None) {
    Array flat = Array::empty({m.size()}, m.dtype()); // owns its memory, as NumPy's result
    flat.reshapeView(m.shape()).assign(m);
    if (indices) return argsortRows(flat);
    sortRows(flat, stable);
    return flat;
  }
  const int nd = m.ndim();
  const int ax = axisArg(axis, nd, span);
  std::vector<int> perm = axisLastPerm(ax, nd);
  if (indices) { // argsort's result is C-ordered
    Array idx = argsortRows(m.transpose(perm).copy());
    if (ax == nd - 1) return idx;
    Array out = Array::empty(m.shape(), DType::Int64);
    out.transpose(perm).assign(idx);
    return out;
  }
  // NumPy: a.copy(order='K') sorted in place, so the result keeps a's layout.
  Array out = Array::emptyInAxisOrder(m.shape(), m.dtype(), copyOrderK(m));
  out.assign(m);
  Array rows = out.transpose(perm);
  if (rows.isCContiguous()) {
    sortRows(rows, stable);
    return out;
  }
  Array moved = rows.copy();
  sortRows(moved, stable);
  rows.assign(moved);
  return out;
}

/// Whether row[i] and row[i-1] differ (NaNs are all one value: equal_nan).
template <class T> bool differs(const T* p, int64_t i) {
  if constexpr (std::is_floating_point_v<T>)
    if (p[i] != p[i] && p[i - 1] != p[i - 1]) return false;
  return p[i] != p[i - 1];
}

/// NumPy's compare of one field of a structured element: NaN equals NaN
/// and sorts after every number.
template <class T> int compareField(T a, T b) {
  if (a < b) return -1;
  if (a > b) return 1;
  if constexpr (std::is_floating_point_v<T>) {
    const bool an = a != a, bn = b != b;
    if (an != bn) return an ? 1 : -1;
  }
  return 0;
}

/// The result tuple of np.unique from the rows of the sorted array: `perm`
/// sorts the rows, `firsts` are the positions in sorted order where a new
/// unique row starts, `values` the unique rows already shaped.
/// `perm` holds n entries (it may be null when neither indices nor the
/// inverse are asked for).
Value uniqueResult(Interpreter& in, const Array& values, const int64_t* perm, int64_t n,
                   const std::vector<int64_t>& firsts, const std::vector<Value>& a) {
  const bool wantIndex = flagArg(a[1]), wantInverse = flagArg(a[2]), wantCounts = flagArg(a[3]);
  if (!wantIndex && !wantInverse && !wantCounts) return in.materializedValue(values);
  Value out = Value::ofTuple({in.materializedValue(values)});
  const int64_t k = int64_t(firsts.size());
  if (wantIndex) {
    Array idx = Array::empty({k}, DType::Int64);
    auto* d = reinterpret_cast<int64_t*>(idx.data());
    for (int64_t j = 0; j < k; ++j) d[j] = perm[firsts[size_t(j)]];
    out.items.push_back(in.materializedValue(idx));
  }
  if (wantInverse) {
    Array inv = Array::empty({n}, DType::Int64);
    auto* d = reinterpret_cast<int64_t*>(inv.data());
    int64_t j = -1;
    for (int64_t i = 0; i < n; ++i) {
      if (j + 1 < k && firsts[size_t(j + 1)] == i) ++j;
      d[perm[i]] = j;
    }
    out.items.push_back(in.materializedValue(inv));
  }
  if (wantCounts) {
    Array cnt = Array::empty({k}, DType::Int64);
    auto* d = reinterpret_cast<int64_t*>(cnt.data());
    for (int64_t j = 0; j < k; ++j)
      d[j] = (j + 1 < k ? firsts[size_t(j + 1)] : n) - firsts[size_t(j)];
    out.items.push_back(in.materializedValue(cnt));
  }
  return out;
}

/// np.unique with axis= (the subarrays along axis, flattened in C order,
/// compared as one structured element each: lexicographically, field by
/// field; rows holding a NaN never equal another row) or with
/// equal_nan=False and axis=None (the flattened values, each NaN distinct).
Value uniqueRowsValue(Interpreter& in, const Array& m, const std::vector<Value>& a, Span span) {
  const bool byAxis = a[4].kind != Value::Kind::None;
  Array rows;
  Shape rest;
  std::vector<int> perm;
  int axis = 0;
  if (byAxis) {
    axis = axisArg(a[4], m.ndim(), span);
    const int nd = m.ndim();
    perm.push_back(axis);
    for (int d = 0; d < nd; ++d)
      if (d != axis) perm.push_back(d);
    Array moved = m.transpose(perm).copy();
    rest.assign(moved.shape().begin() + 1, moved.shape().end());
    int64_t w = 1;
    for (int64_t d : rest) w *= d;
    rows = moved.reshape({moved.shape()[0], w});
  } else {
    rows = m.copy().reshape({m.size(), 1});
  }
  const int64_t n = rows.shape()[0], w = rows.shape()[1];
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), int64_t{0});
  std::vector<int64_t> firsts;
  Array values;
  byStorage(rows.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* p = reinterpret_cast<const T*>(rows.data());
    auto compare = [&](int64_t x, int64_t y) {
      for (int64_t f = 0; f < w; ++f)
        if (int c = compareField(p[x * w + f], p[y * w + f])) return c;
      return 0;
    };
    std::stable_sort(order.begin(), order.end(),
                     [&](int64_t x, int64_t y) { return compare(x, y) < 0; });
    auto equal = [&](int64_t x, int64_t y) {
      for (int64_t f = 0; f < w; ++f)
        if (!(p[x * w + f] == p[y * w + f])) return false;
      return true;
    };
    for (int64_t i = 0; i < n; ++i)
      if (i == 0 || !equal(order[size_t(i)], order[size_t(i - 1)])) firsts.push_back(i);
    const int64_t k = int64_t(firsts.size());
    Shape shape{k};
    shape.insert(shape.end(), rest.begin(), rest.end());
    values = Array::empty(shape, rows.dtype());
    T* d = reinterpret_cast<T*>(values.data());
    for (int64_t j = 0; j < k; ++j)
      std::copy(p + order[size_t(firsts[size_t(j)])] * w,
                p + order[size_t(firsts[size_t(j)])] * w + w, d + j * w);
  });
  if (byAxis) { // np.moveaxis(uniq, 0, axis): a view of the C-ordered rows
    std::vector<int> back(perm.size());
    for (size_t i = 0; i < perm.size(); ++i) back[size_t(perm[i])] = int(i);
    values = values.transpose(back);
  }
  return uniqueResult(in, values, order.data(), int64_t(order.size()), firsts, a);
}

/// np.unique (axis=None, equal_nan=True): sorted distinct values, and on
/// request the first index of each, the inverse map and the counts.
Value uniqueValue(Interpreter& in, const std::vector<Value>& a, Span span) {
  // a: ar, return_index, return_inverse, return_counts, axis, equal_nan
  const bool wantIndex = flagArg(a[1]), wantInverse = flagArg(a[2]);
  Array m = argValues(in, a[0], span);
  if (a[4].kind != Value::Kind::None || !flagArg(a[5])) return uniqueRowsValue(in, m, a, span);
  Array flat = m.copy().reshape({m.size()});
  const int64_t n = flat.size();
  // NumPy sorts with mergesort (stable) when it needs the permutation.
  Array perm;
  Array aux;
  if (wantIndex || wantInverse) {
    perm = argsortRows(flat);
    aux = Array::empty({n}, flat.dtype());
    const int64_t* p = reinterpret_cast<const int64_t*>(perm.data());
    const int64_t w = flat.itemsize();
    for (int64_t i = 0; i < n; ++i)
      std::memcpy(aux.data() + i * w, flat.data() + p[i] * w, size_t(w));
  } else {
    aux = flat;
    sortRows(aux, false);
  }
  std::vector<int64_t> firsts; // positions in aux where a new value starts
  byStorage(aux.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* p = reinterpret_cast<const T*>(aux.data());
    for (int64_t i = 0; i < n; ++i)
      if (i == 0 || differs(p, i)) firsts.push_back(i);
  });
  const int64_t k = int64_t(firsts.size());
  const int64_t w = aux.itemsize();
  Array values = Array::empty({k}, aux.dtype());
  for (int64_t j = 0; j < k; ++j)
    std::memcpy(values.data() + j * w, aux.data() + firsts[size_t(j)] * w, size_t(w));
  const int64_t* p = perm.valid() ? reinterpret_cast<const int64_t*>(perm.data()) : nullptr;
  return uniqueResult(in, values, p, n, firsts, a);
}

/// np.searchsorted(a, v, side, sorter): a is 1-d; both are compared in
/// their common dtype (a Python scalar v is weak, NEP 50).
Value searchsortedValue(Interpreter& in, const std::vector<Value>& a, Span span) {
  Value av = toArrayValue(in, a[0], span);
  const int nd = int(av.array->shape().size());
  if (nd == 0) raise(ErrorKind::Value, span, "object of too small depth for desired array");
  if (nd > 1) raise(ErrorKind::Value, span, "object too deep for desired array");
  bool right = false;
  if (a[2].kind != Value::Kind::Str || a[2].name.empty() ||
      (std::tolower(a[2].name[0]) != 'l' && std::tolower(a[2].name[0]) != 'r'))
    raise(ErrorKind::Value, span,
          "search side must be 'left' or 'right' (got " +
              (a[2].kind == Value::Kind::Str ? "'" + a[2].name + "'" : in.repr(a[2])) + ")");
  right = std::tolower(a[2].name[0]) == 'r';
  const Value& v = a[1];
  DType t;
  if (v.kind == Value::Kind::Int)
    t = promoteWeak(av.array->dtype(), ScalarKind::Int);
  else if (v.kind == Value::Kind::Float)
    t = promoteWeak(av.array->dtype(), ScalarKind::Float);
  else if (v.kind == Value::Kind::Bool)
    t = promoteWeak(av.array->dtype(), ScalarKind::Bool);
  else
    t = promote(av.array->dtype(), toArrayValue(in, v, span).array->dtype());
  Array sortedArr = argValues(in, av, span);
  if (a[3].kind != Value::Kind::None) {
    Array sorter = argValues(in, a[3], span);
    if (!isInteger(sorter.dtype()) && !in.dryRun())
      raise(ErrorKind::Type, span,
            "Cannot cast array data from dtype('" + std::string(dtypeName(sorter.dtype())) +
                "') to dtype('int64') according to the rule 'safe'");
    if (sorter.shape() != sortedArr.shape())
      raise(ErrorKind::Value, span, "sorter.size must equal a.size");
    Array s = sorter.astype(DType::Int64).copy();
    Array gathered = Array::empty(sortedArr.shape(), sortedArr.dtype());
    const auto* ix = reinterpret_cast<const int64_t*>(s.data());
    const int64_t n = s.size();
    for (int64_t i = 0; i < n; ++i) {
      if (ix[i] < 0 || ix[i] >= n) raise(ErrorKind::Value, span, "Sorter index out of range.");
      gathered.setAt({i}, sortedArr.at({ix[i]}));
    }
    sortedArr = gathered;
  }
  Array sa = sortedArr.astype(t).copy();
  Value vv = in.astype(toArrayValue(in, v, span), t, span);
  Array va = argValues(in, vv, span).copy();
  Array out = searchSorted(sa, va, right);
  const bool scalar = va.ndim() == 0;
  return in.materializedValue(out, scalar);
}

} // namespace

Value builtinSort(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"a", {}}, {"axis", Value::ofInt(-1)}, {"kind", kNone}, {"order", kNone}});
  const bool stable = stableKind(a[2], span);
  if (!call.method)
    return in.materializedValue(sorted(argValues(in, a[0], span), a[1], stable, false, span));
  // a.sort(axis=-1, kind=None, order=None): in place, returns None.
  Array target = in.materialize(a[0].array, span);
  if (in.dryRun()) return Value::none();
  if (!target.writeable()) raise(ErrorKind::Value, span, "sort array is read-only");
  if (a[1].kind == Value::Kind::None)
    raise(ErrorKind::Type, span, "'NoneType' object cannot be interpreted as an integer");
  Array s = sorted(target, a[1], stable, false, span);
  in.assignInto(target, in.materializedValue(s), span);
  return Value::none();
}

Value builtinArgsort(BuiltinCall& call) {
  Interpreter& in = call.in;
  auto a = call.bind({{"a", {}}, {"axis", Value::ofInt(-1)}, {"kind", kNone}, {"order", kNone}});
  const bool stable = stableKind(a[2], call.span);
  Array m = argValues(in, a[0], call.span);
  // argsort of a 0-d array sorts its flattening (NumPy returns [0]).
  const Value axis = m.ndim() == 0 ? kNone : a[1];
  return in.materializedValue(sorted(m, axis, stable, true, call.span));
}

/// partition / argpartition (and the in-place a.partition()): NumPy
/// guarantees only that the kth element is where a sort puts it, smaller
/// ones before and larger ones after, in an unspecified order; ravel gives
/// the fully sorted array (stable argsort), which satisfies that for every
/// kth. kth is checked like NumPy's (PyArray_Partition).
Value builtinPartition(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"a", {}},
                      {"kth", {}},
                      {"axis", Value::ofInt(-1)},
                      {"kind", Value::ofStr("introselect")},
                      {"order", kNone}});
  if (a[3].kind != Value::Kind::Str)
    raise(ErrorKind::Type, span, std::string("select kind must be str, not ") + typeName(a[3]));
  if (a[3].name != "introselect")
    raise(ErrorKind::Value, span, "select kind must be 'introselect' (got '" + a[3].name + "')");
  const bool indices = call.name == "argpartition";
  Array m = call.method && !indices ? in.materialize(a[0].array, span) : argValues(in, a[0], span);
  if (in.dryRun()) m = Array::zeros(m.shape(), m.dtype());
  int64_t n;
  if (a[2].kind == Value::Kind::None) {
    n = m.size();
  } else {
    if (m.ndim() == 0 && !indices) (void)axisArg(a[2], 0, span); // NumPy's AxisError
    n = m.ndim() == 0 ? 1 : m.shape()[size_t(axisArg(a[2], m.ndim(), span))];
  }
  std::vector<Value> kths = a[1].kind == Value::Kind::List || a[1].kind == Value::Kind::Tuple
                                ? a[1].items
                                : std::vector<Value>{a[1]};
  if (a[1].isArray()) {
    Array k = argValues(in, a[1], span);
    if (!isInteger(k.dtype()) && k.dtype() != DType::Bool)
      raise(ErrorKind::Type, span, "Partition index must be integer");
    kths.clear();
    Array ki = k.astype(DType::Int64).copy();
    for (int64_t i = 0; i < ki.size(); ++i)
      kths.push_back(Value::ofInt(reinterpret_cast<const int64_t*>(ki.data())[i]));
  }
  for (const Value& kv : kths) {
    if (kv.kind != Value::Kind::Int && kv.kind != Value::Kind::Bool)
      raise(ErrorKind::Type, span, "Partition index must be integer");
    int64_t k = kv.kind == Value::Kind::Int ? kv.i : int64_t(kv.b);
    if (k < 0) k += n;
    if (k < 0 || k >= n)
      raise(ErrorKind::Value, span,
            "kth(=" + std::to_string(k) + ") out of bounds (" + std::to_string(n) + ")");
  }
  if (indices) {
    // argpartition of a 0-d array partitions its flattening, like argsort.
    const Value axis = m.ndim() == 0 ? kNone : a[2];
    return in.materializedValue(sorted(m, axis, true, true, span));
  }
  if (!call.method) return in.materializedValue(sorted(m, a[2], true, false, span));
  if (in.dryRun()) return Value::none();
  if (!m.writeable()) raise(ErrorKind::Value, span, "partition array is read-only");
  if (a[2].kind == Value::Kind::None)
    raise(ErrorKind::Type, span, "'NoneType' object cannot be interpreted as an integer");
  in.assignInto(m, in.materializedValue(sorted(m, a[2], true, false, span)), span);
  return Value::none();
}

Value builtinSearchsorted(BuiltinCall& call) {
  return searchsortedValue(
      call.in, call.bind({{"a", {}}, {"v", {}}, {"side", Value::ofStr("left")}, {"sorter", kNone}}),
      call.span);
}

Value builtinUnique(BuiltinCall& call) {
  return uniqueValue(call.in,
                     call.bind({{"ar", {}},
                                {"return_index", Value::ofBool(false)},
                                {"return_inverse", Value::ofBool(false)},
                                {"return_counts", Value::ofBool(false)},
                                {"axis", kNone},
                                {"equal_nan", Value::ofBool(true)}}),
                     call.span);
}

} // namespace ravel::exec
