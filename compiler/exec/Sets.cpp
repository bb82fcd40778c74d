// Set operations on 1-d arrays: isin / in1d, intersect1d, union1d,
// setdiff1d and setxor1d, following NumPy 1.24's arraysetops step by step
// so results, dtypes and quirks are NumPy's:
//  - inputs are flattened; values are compared in the dtype NumPy's
//    np.concatenate of the two would have (promote), after each input was
//    made unique in its own dtype where NumPy calls np.unique first;
//  - NaN never equals NaN (np.unique collapses NaNs to one, so a NaN in
//    both inputs of setxor1d survives twice, as in NumPy);
//  - in1d with assume_unique=True on inputs that are not unique gives
//    NumPy's answer for the path NumPy takes (its sorting path flags a
//    repeated element of ar1 as found); elsewhere membership is exact.
// Eager: everything works on the materialised input (argValues). Sorting is
// stable (NumPy's mergesort where it asks for one; where it asks for
// quicksort only the order of equal values could differ, and equal values
// are merged).
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"

#include "runtime/Storage.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <type_traits>

namespace ravel::exec {
namespace {

template <class T> bool isNan(T v) {
  if constexpr (std::is_floating_point_v<T>) return v != v;
  return false;
}

/// NumPy's sort order: ascending, NaN after every number.
template <class T> bool lessNanLast(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) return a < b || (b != b && a == a);
  return a < b;
}

Array int64Array(const std::vector<int64_t>& v) {
  return arrayOf(v, DType::Int64);
}

/// Indices that sort `v` stably, NaN last (NumPy's mergesort).
template <class T> std::vector<int64_t> stableArgsort(const std::vector<T>& v) {
  std::vector<int64_t> perm(v.size());
  std::iota(perm.begin(), perm.end(), int64_t{0});
  std::stable_sort(perm.begin(), perm.end(),
                   [&](int64_t x, int64_t y) { return lessNanLast(v[size_t(x)], v[size_t(y)]); });
  return perm;
}

template <class T> std::vector<T> gather(const std::vector<T>& v, const std::vector<int64_t>& ix) {
  std::vector<T> out(ix.size());
  for (size_t i = 0; i < ix.size(); ++i) out[i] = v[size_t(ix[i])];
  return out;
}

/// np.unique of a flat array (equal_nan=True): its sorted distinct values,
/// and with `first` the index of each one's first occurrence.
template <class T>
std::vector<T> uniqueOf(const std::vector<T>& v, std::vector<int64_t>* first = nullptr) {
  std::vector<int64_t> perm = stableArgsort(v);
  std::vector<T> out;
  for (size_t i = 0; i < perm.size(); ++i) {
    const T x = v[size_t(perm[i])];
    if (i > 0) {
      const T prev = v[size_t(perm[i - 1])];
      if ((isNan(x) && isNan(prev)) || x == prev) continue; // the first NaN stands for all
    }
    out.push_back(x);
    if (first) first->push_back(perm[i]);
  }
  return out;
}

/// np.unique of an array (flattened), in its own dtype.
Array uniqueArray(const Array& a, std::vector<int64_t>* first = nullptr) {
  Array out;
  byStorage(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    out = arrayOf(uniqueOf(flatValues<T>(a, a.dtype()), first), a.dtype());
  });
  return out;
}

/// np.concatenate of two flat arrays in their common dtype `t`.
template <class T> std::vector<T> concatValues(const Array& a, const Array& b, DType t) {
  std::vector<T> v = flatValues<T>(a, t), w = flatValues<T>(b, t);
  v.insert(v.end(), w.begin(), w.end());
  return v;
}

/// The largest and smallest values of an integer dtype in NumPy's table
/// method (a bool array is first cast to uint8).
__int128 intMax(DType t) {
  if (t == DType::Bool) return 255;
  if (t == DType::Int32) return std::numeric_limits<int32_t>::max();
  return std::numeric_limits<int64_t>::max();
}
__int128 intMin(DType t) {
  if (t == DType::Bool) return 0;
  if (t == DType::Int32) return std::numeric_limits<int32_t>::min();
  return std::numeric_limits<int64_t>::min();
}

enum class InKind { Default, Sort, Table };

InKind inKindArg(const Value& kind, Span span) {
  if (kind.kind == Value::Kind::None) return InKind::Default;
  if (kind.kind == Value::Kind::Str && kind.name == "sort") return InKind::Sort;
  if (kind.kind == Value::Kind::Str && kind.name == "table") return InKind::Table;
  const std::string shown = kind.kind == Value::Kind::Str    ? kind.name
                            : kind.kind == Value::Kind::Int  ? std::to_string(kind.i)
                            : kind.kind == Value::Kind::Bool ? (kind.b ? "True" : "False")
                                                             : typeName(kind);
  raise(ErrorKind::Value, span,
        "Invalid kind: '" + shown + "'. Please use None, 'sort' or 'table'.");
}

/// Whether NumPy's in1d takes its integer table path (raising where NumPy
/// does when kind='table' cannot be honoured).
bool usesTable(const Array& a1, const Array& a2, InKind kind, Span span) {
  const bool ints = !isFloat(a1.dtype()) && !isFloat(a2.dtype());
  if (!ints) {
    if (kind == InKind::Table)
      raise(ErrorKind::Value, span,
            "The 'table' method is only supported for boolean or integer arrays. Please select "
            "'sort' or None for kind.");
    return false;
  }
  if (kind == InKind::Sort) return false;
  if (a2.size() == 0) return true;
  auto range = [](const Array& a) {
    std::vector<int64_t> v = flatValues<int64_t>(a, DType::Int64);
    auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    return std::pair<__int128, __int128>(*lo, *hi);
  };
  auto [min2, max2] = range(a2);
  const __int128 width = max2 - min2;
  const bool belowMemory = width <= 6 * __int128(a1.size() + a2.size());
  bool safe = width <= intMax(a2.dtype());
  if (a1.size() > 0) {
    auto [min1, max1] = range(a1);
    const __int128 upper = std::min(max1, max2), lower = std::max(min1, min2);
    safe = safe && upper - min2 <= intMax(a1.dtype()) && lower - min2 >= intMin(a1.dtype());
  }
  if (safe && (belowMemory || kind == InKind::Table)) return true;
  if (kind == InKind::Table)
    raise(ErrorKind::Runtime, span,
          "You have specified kind='table', but the range of values in `ar2` or `ar1` exceed the "
          "maximum integer of the datatype. Please set `kind` to None or 'sort'.");
  return false;
}

/// np.in1d(ar1, ar2, assume_unique, invert, kind) of two flat arrays.
std::vector<uint8_t> in1dOf(const Array& a1, const Array& a2, bool assumeUnique, bool invert,
                            InKind kind, Span span) {
  const int64_t n1 = a1.size(), n2 = a2.size();
  const DType t = promote(a1.dtype(), a2.dtype());
  const bool table = usesTable(a1, a2, kind, span);
  // NumPy compares element by element when ar2 is short, else sorts; only
  // the sorting path with assume_unique differs from exact membership.
  const bool loop = double(n2) < 10.0 * std::pow(double(n1), 0.145);
  std::vector<uint8_t> out(static_cast<size_t>(n1));
  byStorage(t, [&](auto tag) {
    using T = decltype(tag);
    if (table || loop || !assumeUnique) {
      std::vector<T> v1 = flatValues<T>(a1, t), v2 = flatValues<T>(a2, t);
      std::sort(v2.begin(), v2.end(), lessNanLast<T>);
      for (int64_t i = 0; i < n1; ++i) {
        const T x = v1[size_t(i)];
        auto it = std::lower_bound(v2.begin(), v2.end(), x, lessNanLast<T>);
        const bool found = !isNan(x) && it != v2.end() && *it == x;
        out[size_t(i)] = uint8_t(found != invert);
      }
      return;
    }
    std::vector<T> ar = concatValues<T>(a1, a2, t);
    std::vector<int64_t> order = stableArgsort(ar);
    std::vector<T> sar = gather(ar, order);
    std::vector<uint8_t> ret(ar.size());
    for (size_t i = 0; i < sar.size(); ++i) {
      const bool flag = i + 1 < sar.size() ? ((sar[i + 1] == sar[i]) != invert) : invert;
      ret[size_t(order[i])] = uint8_t(flag);
    }
    std::copy(ret.begin(), ret.begin() + n1, out.begin());
  });
  return out;
}

Array boolArray(const std::vector<uint8_t>& v, const Shape& shape) {
  Array a = Array::empty(shape, DType::Bool);
  if (!v.empty()) std::memcpy(a.data(), v.data(), v.size());
  return a;
}

/// ar[mask] for a flat array.
Array selectFlat(const Array& a, const std::vector<uint8_t>& mask) {
  Array flat = a.copy();
  const int64_t w = flat.itemsize();
  int64_t k = 0;
  for (uint8_t m : mask) k += m;
  Array out = Array::empty({k}, flat.dtype());
  int64_t j = 0;
  for (size_t i = 0; i < mask.size(); ++i)
    if (mask[i]) std::memcpy(out.data() + (j++) * w, flat.data() + int64_t(i) * w, size_t(w));
  return out;
}

} // namespace

/// in1d(ar1, ar2, assume_unique=False, invert=False, *, kind=None) and
/// isin(element, test_elements, ...): in1d's flat answer, reshaped by isin
/// to element's shape (a 0-d element gives a 0-d array).
Value builtinIn1d(BuiltinCall& call) {
  Interpreter& in = call.in;
  const bool isin = call.name == "isin";
  auto a = call.bind({{isin ? "element" : "ar1", {}},
                      {isin ? "test_elements" : "ar2", {}},
                      {"assume_unique", Value::ofBool(false)},
                      {"invert", Value::ofBool(false)},
                      {"kind", kNone}});
  Array a1 = argValues(in, a[0], call.span);
  Array a2 = argValues(in, a[1], call.span);
  const InKind kind = inKindArg(a[4], call.span);
  std::vector<uint8_t> r = in1dOf(a1, a2, flagArg(a[2]), flagArg(a[3]), kind, call.span);
  return in.materializedValue(boolArray(r, isin ? a1.shape() : Shape{a1.size()}));
}

/// intersect1d(ar1, ar2, assume_unique=False, return_indices=False)
Value builtinIntersect1d(BuiltinCall& call) {
  Interpreter& in = call.in;
  auto a = call.bind({{"ar1", {}},
                      {"ar2", {}},
                      {"assume_unique", Value::ofBool(false)},
                      {"return_indices", Value::ofBool(false)}});
  Array a1 = argValues(in, a[0], call.span), a2 = argValues(in, a[1], call.span);
  const bool assumeUnique = flagArg(a[2]), indices = flagArg(a[3]);
  std::vector<int64_t> ind1, ind2;
  if (!assumeUnique) {
    a1 = uniqueArray(a1, indices ? &ind1 : nullptr);
    a2 = uniqueArray(a2, indices ? &ind2 : nullptr);
  }
  const DType t = promote(a1.dtype(), a2.dtype());
  const int64_t n1 = a1.size();
  Value result;
  byStorage(t, [&](auto tag) {
    using T = decltype(tag);
    std::vector<T> aux = concatValues<T>(a1, a2, t);
    std::vector<int64_t> order = stableArgsort(aux);
    std::vector<T> sorted = gather(aux, order);
    std::vector<T> common;
    std::vector<int64_t> i1, i2;
    for (size_t i = 0; i + 1 < sorted.size(); ++i) {
      if (!(sorted[i + 1] == sorted[i])) continue;
      common.push_back(sorted[i]);
      if (!indices) continue;
      const int64_t x = order[i], y = order[i + 1] - n1;
      i1.push_back(assumeUnique ? x : ind1[size_t(x)]);
      // With assume_unique and repeats, y may point into ar1 (negative), as
      // in NumPy; a real index into ar2 otherwise.
      i2.push_back(assumeUnique || y < 0 ? y : ind2[size_t(y)]);
    }
    Value values = in.materializedValue(arrayOf(common, t));
    if (!indices) {
      result = values;
      return;
    }
    result = Value::ofTuple(
        {values, in.materializedValue(int64Array(i1)), in.materializedValue(int64Array(i2))});
  });
  return result;
}

/// union1d(ar1, ar2): np.unique of the flattened concatenation.
Value builtinUnion1d(BuiltinCall& call) {
  Interpreter& in = call.in;
  auto a = call.bind({{"ar1", {}}, {"ar2", {}}});
  Array a1 = argValues(in, a[0], call.span), a2 = argValues(in, a[1], call.span);
  const DType t = promote(a1.dtype(), a2.dtype());
  Array out;
  byStorage(t, [&](auto tag) {
    using T = decltype(tag);
    out = arrayOf(uniqueOf(concatValues<T>(a1, a2, t)), t);
  });
  return in.materializedValue(out);
}

/// setdiff1d(ar1, ar2, assume_unique=False): the unique values of ar1 (ar1
/// flattened when assume_unique) not in ar2, in ar1's dtype.
Value builtinSetdiff1d(BuiltinCall& call) {
  Interpreter& in = call.in;
  auto a = call.bind({{"ar1", {}}, {"ar2", {}}, {"assume_unique", Value::ofBool(false)}});
  Array a1 = argValues(in, a[0], call.span), a2 = argValues(in, a[1], call.span);
  if (flagArg(a[2])) {
    a1 = a1.copy().reshape({a1.size()});
  } else {
    a1 = uniqueArray(a1);
    a2 = uniqueArray(a2);
  }
  std::vector<uint8_t> keep = in1dOf(a1, a2, true, true, InKind::Default, call.span);
  return in.materializedValue(selectFlat(a1, keep));
}

/// setxor1d(ar1, ar2, assume_unique=False): the values in exactly one of
/// the (uniqued) inputs, sorted.
Value builtinSetxor1d(BuiltinCall& call) {
  Interpreter& in = call.in;
  auto a = call.bind({{"ar1", {}}, {"ar2", {}}, {"assume_unique", Value::ofBool(false)}});
  Array a1 = argValues(in, a[0], call.span), a2 = argValues(in, a[1], call.span);
  if (!flagArg(a[2])) {
    a1 = uniqueArray(a1);
    a2 = uniqueArray(a2);
  }
  const DType t = promote(a1.dtype(), a2.dtype());
  Array out;
  byStorage(t, [&](auto tag) {
    using T = decltype(tag);
    std::vector<T> aux = concatValues<T>(a1, a2, t);
    std::stable_sort(aux.begin(), aux.end(), lessNanLast<T>);
    // flag[i]: aux[i] differs from aux[i-1] (true at both ends).
    auto differs = [&](size_t i) { return i == 0 || i == aux.size() || aux[i] != aux[i - 1]; };
    std::vector<T> kept;
    for (size_t i = 0; i < aux.size(); ++i)
      if (differs(i) && differs(i + 1)) kept.push_back(aux[i]);
    out = arrayOf(kept, t);
  });
  return in.materializedValue(out);
}

} // namespace ravel::exec
