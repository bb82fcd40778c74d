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

#include "runtime/Sort.h"
#include "runtime/Storage.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <numeric>

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

/// np.unique (axis=None, equal_nan=True): sorted distinct values, and on
/// request the first index of each, the inverse map and the counts.
Value uniqueValue(Interpreter& in, const std::vector<Value>& a, Span span) {
  // a: ar, return_index, return_inverse, return_counts, axis, equal_nan
  if (a[4].kind != Value::Kind::None)
    raise(ErrorKind::Value, span, "unique: axis= is not supported by ravel (only axis=None)");
  if (!flagArg(a[5]))
    raise(ErrorKind::Value, span, "unique: equal_nan=False is not supported by ravel");
  const bool wantIndex = flagArg(a[1]), wantInverse = flagArg(a[2]), wantCounts = flagArg(a[3]);
  Array m = argValues(in, a[0], span);
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
  if (!wantIndex && !wantInverse && !wantCounts) return in.materializedValue(values);
  Value out = Value::ofTuple({in.materializedValue(values)});
  const int64_t* p = perm.valid() ? reinterpret_cast<const int64_t*>(perm.data()) : nullptr;
  if (wantIndex) {
    Array idx = Array::empty({k}, DType::Int64);
    auto* d = reinterpret_cast<int64_t*>(idx.data());
    for (int64_t j = 0; j < k; ++j) d[j] = p[firsts[size_t(j)]];
    out.items.push_back(in.materializedValue(idx));
  }
  if (wantInverse) {
    Array inv = Array::empty({n}, DType::Int64);
    auto* d = reinterpret_cast<int64_t*>(inv.data());
    int64_t j = -1;
    for (int64_t i = 0; i < n; ++i) {
      if (j + 1 < k && firsts[size_t(j + 1)] == i) ++j;
      d[p[i]] = j;
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

std::optional<Value> callSortingBuiltin(Interpreter& in, const std::string& name,
                                        std::vector<Value>& args, Kwargs& kwargs, Span span) {
  const bool method = name[0] == '.';
  const std::string fn = method ? name.substr(1) : name;
  if (fn == "sort" && method) {
    // a.sort(axis=-1, kind=None, order=None): in place, returns None.
    auto a =
        bindCall(true, fn, args, kwargs,
                 {{"a", {}}, {"axis", Value::ofInt(-1)}, {"kind", kNone}, {"order", kNone}}, span);
    const bool stable = stableKind(a[2], span);
    Array target = in.materialize(a[0].array, span);
    if (in.dryRun()) return Value::none();
    if (!target.writeable()) raise(ErrorKind::Value, span, "sort array is read-only");
    if (a[1].kind == Value::Kind::None)
      raise(ErrorKind::Type, span, "'NoneType' object cannot be interpreted as an integer");
    Array s = sorted(target, a[1], stable, false, span);
    in.assignInto(target, in.materializedValue(s), span);
    return Value::none();
  }
  if (fn == "sort" || fn == "argsort") {
    auto a =
        bindCall(method, fn, args, kwargs,
                 {{"a", {}}, {"axis", Value::ofInt(-1)}, {"kind", kNone}, {"order", kNone}}, span);
    const bool stable = stableKind(a[2], span);
    Array m = argValues(in, a[0], span);
    Value axis = a[1];
    // argsort of a 0-d array sorts its flattening (NumPy returns [0]).
    if (fn == "argsort" && m.ndim() == 0) axis = kNone;
    return in.materializedValue(sorted(m, axis, stable, fn == "argsort", span));
  }
  if (fn == "searchsorted")
    return searchsortedValue(
        in,
        bindCall(method, fn, args, kwargs,
                 {{"a", {}}, {"v", {}}, {"side", Value::ofStr("left")}, {"sorter", kNone}}, span),
        span);
  if (method) return std::nullopt;
  if (fn == "unique")
    return uniqueValue(in,
                       bindArgs(fn, args, kwargs,
                                {{"ar", {}},
                                 {"return_index", Value::ofBool(false)},
                                 {"return_inverse", Value::ofBool(false)},
                                 {"return_counts", Value::ofBool(false)},
                                 {"axis", kNone},
                                 {"equal_nan", Value::ofBool(true)}},
                                span),
                       span);
  return std::nullopt;
}

} // namespace ravel::exec
