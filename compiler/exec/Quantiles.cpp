// Order statistics and counting: median, percentile, quantile (NumPy 1.24's
// default 'linear' method) and bincount. Eager: the reduced axes of the
// materialized input are moved last and flattened into rows, each row is
// sorted (runtime/Sort.h, NaN last) and the wanted order statistics read
// from it with NumPy's own arithmetic:
//  - median: the middle element, or the mean of the two middle ones (summed
//    in float64 for ints and bools, in the dtype for floats, then halved);
//  - quantile q: virtual index (n-1)*q, its floor clamped
//    to [0, n-1] as `previous` and `next` = previous + 1, gamma = index -
//    previous, then _lerp: a + (b-a)*g, or b - (b-a)*(1-g) when g >= 0.5,
//    with b-a taken in the input dtype (ints wrap) and the rest in float64;
//  - a row whose largest element is NaN gives NaN.
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"

#include "runtime/Sort.h"
#include "runtime/Storage.h"

#include <cmath>
#include <limits>
#include <type_traits>

namespace ravel::exec {

namespace {

/// The input reduced over `axes` as C-contiguous sorted rows (rows, n), and
/// the shape of what is kept (keepdims: with 1 at each reduced axis).
struct Rows {
  Array sorted; // (rows, n)
  int64_t rows = 0, n = 0;
  Shape kept;
};

Rows sortedRows(Interpreter& in, const Value& a, const Value& axis, bool keep, Span span) {
  Array m = in.materialize(toArrayValue(in, a, span).array, span);
  if (in.dryRun()) m = Array::zeros(m.shape(), m.dtype());
  const int nd = m.ndim();
  std::vector<int> axes = reductionAxes(axis, nd, span);
  std::vector<int> perm;
  Rows r;
  r.n = 1;
  for (int d = 0; d < nd; ++d) {
    const bool reduced = std::find(axes.begin(), axes.end(), d) != axes.end();
    if (!reduced) {
      perm.push_back(d);
      r.kept.push_back(m.shape()[size_t(d)]);
    } else {
      r.n *= m.shape()[size_t(d)];
      if (keep) r.kept.push_back(1);
    }
  }
  for (int d : axes) perm.push_back(d);
  r.rows = 1;
  for (int d = 0; d < nd; ++d)
    if (std::find(axes.begin(), axes.end(), d) == axes.end()) r.rows *= m.shape()[size_t(d)];
  r.sorted = m.transpose(perm).copy().reshape({r.rows, r.n});
  if (r.n > 1) sortRows(r.sorted, false);
  return r;
}

template <class T> double toDouble(T v) {
  return double(v);
}

/// NumPy's median of one sorted row.
template <class T> double medianOf(const T* p, int64_t n) {
  if (n == 0) return std::numeric_limits<double>::quiet_NaN(); // mean of nothing
  if constexpr (std::is_floating_point_v<T>)
    if (p[n - 1] != p[n - 1]) return std::numeric_limits<double>::quiet_NaN();
  if (n % 2) return double(p[n / 2]);
  if constexpr (std::is_same_v<T, float>) return double(float(p[n / 2 - 1] + p[n / 2])) / 2.0;
  return (double(p[n / 2 - 1]) + double(p[n / 2])) / 2.0;
}

/// NumPy's linear quantile of one sorted row at fraction q (q in [0, 1]).
template <class T> double quantileOf(const T* p, int64_t n, double q) {
  if constexpr (std::is_floating_point_v<T>)
    if (p[n - 1] != p[n - 1]) return std::numeric_limits<double>::quiet_NaN();
  const double index = double(n - 1) * q; // method "linear"
  int64_t prev, next;
  if (std::isnan(index) || index >= double(n - 1)) {
    prev = next = n - 1; // NumPy's -1: the last element
  } else if (index < 0) {
    prev = next = 0;
  } else {
    prev = int64_t(std::floor(index));
    next = prev + 1;
  }
  const double gamma = index - double(std::isnan(index) || index >= double(n - 1) ? -1 : prev);
  T diffT;
  if constexpr (std::is_integral_v<T>)
    diffT = T(std::make_unsigned_t<T>(p[next]) - std::make_unsigned_t<T>(p[prev])); // wraps
  else
    diffT = p[next] - p[prev];
  const double diff = double(diffT);
  if (gamma >= 0.5) return double(p[next]) - diff * (1.0 - gamma);
  return double(p[prev]) + diff * gamma;
}

/// The number of leading numbers of a sorted row (its NaNs are last); all
/// of it unless `skipNan` (the nan functions drop the NaNs of each slice).
template <class T> int64_t numbersIn(const T* p, int64_t n, bool skipNan) {
  if constexpr (std::is_floating_point_v<T>)
    if (skipNan)
      while (n > 0 && p[n - 1] != p[n - 1]) --n;
  return n;
}

/// median(a, axis=None, out=None, overwrite_input=False, keepdims=False)
Value medianValue(Interpreter& in, const std::string& fn, const std::vector<Value>& a, Span span) {
  if (a[2].kind != Value::Kind::None)
    raise(ErrorKind::Type, span, fn + "() does not support out= in ravel");
  const bool skipNan = fn == "nanmedian";
  const bool keep = flagArg(a[4]);
  Rows r = sortedRows(in, a[0], a[1], keep, span);
  const DType t = r.sorted.dtype() == DType::Float32 ? DType::Float32 : DType::Float64;
  Array out = Array::empty(r.kept, t);
  byStorage(r.sorted.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* p = reinterpret_cast<const T*>(r.sorted.data());
    for (int64_t i = 0; i < r.rows; ++i) {
      const double v = medianOf(p + i * r.n, numbersIn(p + i * r.n, r.n, skipNan));
      if (t == DType::Float32)
        reinterpret_cast<float*>(out.data())[i] = float(v);
      else
        reinterpret_cast<double*>(out.data())[i] = v;
    }
  });
  return in.materializedValue(out, r.kept.empty());
}

/// quantile with an integer (or bool) q: NumPy's virtual index (n-1)*q is an
/// integer, so the sorted element is taken as it is, in a's dtype.
Value integerQuantile(Interpreter& in, const std::vector<Value>& a, const Array& q, bool keep,
                      bool skipNan, Span span) {
  Array qi = q.astype(DType::Int64);
  const auto* qs = reinterpret_cast<const int64_t*>(qi.data());
  for (int64_t k = 0; k < qi.size(); ++k)
    if (qs[k] != 0 && qs[k] != 1)
      raise(ErrorKind::Value, span, "Quantiles must be in the range [0, 1]");
  Rows r = sortedRows(in, a[0], a[2], keep, span);
  if (r.n == 0 && qi.size() > 0)
    raise(ErrorKind::Index, span,
          "index " + std::to_string(qs[0] ? -1 : 0) + " is out of bounds for axis 0 with size 0");
  Shape shape = q.shape();
  shape.insert(shape.end(), r.kept.begin(), r.kept.end());
  Array out = Array::empty(shape, r.sorted.dtype());
  byStorage(r.sorted.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* p = reinterpret_cast<const T*>(r.sorted.data());
    T* o = reinterpret_cast<T*>(out.data());
    for (int64_t k = 0; k < qi.size(); ++k)
      for (int64_t i = 0; i < r.rows; ++i) {
        const T* row = p + i * r.n;
        const int64_t n = numbersIn(row, r.n, skipNan);
        T v;
        if (n == 0) { // an all-NaN slice of nanquantile
          v = std::numeric_limits<T>::quiet_NaN();
        } else {
          v = row[qs[k] * (n - 1)];
          if constexpr (std::is_floating_point_v<T>)
            if (row[n - 1] != row[n - 1]) v = std::numeric_limits<T>::quiet_NaN();
        }
        o[k * r.rows + i] = v;
      }
  });
  return in.materializedValue(out, shape.empty());
}

/// percentile / quantile(a, q, axis=None, out=None, overwrite_input=False,
/// method='linear', keepdims=False)
Value quantileValue(Interpreter& in, const std::string& fn, const std::vector<Value>& a,
                    Span span) {
  const bool skipNan = fn == "nanpercentile" || fn == "nanquantile";
  if (a[3].kind != Value::Kind::None)
    raise(ErrorKind::Type, span, fn + "() does not support out= in ravel");
  if (a[5].kind != Value::Kind::Str || a[5].name != "linear")
    raise(ErrorKind::Value, span, fn + ": only method='linear' is supported by ravel");
  const bool keep = flagArg(a[6]);
  Value qv = toArrayValue(in, a[1], span);
  Array q = in.materialize(qv.array, span);
  if (in.dryRun()) q = Array::zeros(q.shape(), q.dtype());
  if (!isFloat(q.dtype()) && (fn == "quantile" || fn == "nanquantile"))
    return integerQuantile(in, a, q, keep, skipNan, span);
  q = q.astype(DType::Float64);
  auto* qs = reinterpret_cast<double*>(q.data());
  const bool percent = fn == "percentile" || fn == "nanpercentile";
  for (int64_t k = 0; k < q.size(); ++k) {
    if (percent) qs[k] = qs[k] / 100.0; // np.true_divide(q, 100)
    if (!(qs[k] >= 0.0 && qs[k] <= 1.0))
      raise(ErrorKind::Value, span,
            percent ? "Percentiles must be in the range [0, 100]"
                    : "Quantiles must be in the range [0, 1]");
  }
  Rows r = sortedRows(in, a[0], a[2], keep, span);
  if (r.sorted.dtype() == DType::Bool && r.n > 0)
    raise(ErrorKind::Type, span,
          "numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the "
          "`^` operator, or the logical_xor function instead.");
  if (r.n == 0) raise(ErrorKind::Index, span, "index -1 is out of bounds for axis 0 with size 0");
  Shape shape = q.shape();
  shape.insert(shape.end(), r.kept.begin(), r.kept.end());
  Array out = Array::empty(shape, DType::Float64);
  auto* o = reinterpret_cast<double*>(out.data());
  byStorage(r.sorted.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* p = reinterpret_cast<const T*>(r.sorted.data());
    for (int64_t k = 0; k < q.size(); ++k)
      for (int64_t i = 0; i < r.rows; ++i) {
        const int64_t n = numbersIn(p + i * r.n, r.n, skipNan);
        o[k * r.rows + i] =
            n == 0 ? std::numeric_limits<double>::quiet_NaN() : quantileOf(p + i * r.n, n, qs[k]);
      }
  });
  return in.materializedValue(out, shape.empty());
}

/// bincount(x, weights=None, minlength=0)
Value bincountValue(Interpreter& in, const std::vector<Value>& a, Span span) {
  Array x = in.materialize(toArrayValue(in, a[0], span).array, span);
  if (in.dryRun()) x = Array::zeros(x.shape(), x.dtype());
  if (x.ndim() == 0) raise(ErrorKind::Value, span, "object of too small depth for desired array");
  if (x.ndim() > 1) raise(ErrorKind::Value, span, "object too deep for desired array");
  if (isFloat(x.dtype()))
    raise(ErrorKind::Type, span,
          "Cannot cast array data from dtype('" + std::string(dtypeName(x.dtype())) +
              "') to dtype('int64') according to the rule 'safe'");
  const int64_t minlength = a[2].kind == Value::Kind::None ? 0 : toInt(a[2], span);
  if (minlength < 0) raise(ErrorKind::Value, span, "'minlength' must not be negative");
  Array ix = x.astype(DType::Int64);
  const auto* p = reinterpret_cast<const int64_t*>(ix.data());
  const int64_t n = ix.size();
  int64_t top = -1;
  for (int64_t i = 0; i < n; ++i) {
    if (p[i] < 0) raise(ErrorKind::Value, span, "'list' argument must have no negative elements");
    top = std::max(top, p[i]);
  }
  const int64_t len = std::max(top + 1, minlength);
  if (a[1].kind == Value::Kind::None) {
    Array out = Array::zeros({len}, DType::Int64);
    auto* o = reinterpret_cast<int64_t*>(out.data());
    for (int64_t i = 0; i < n; ++i) ++o[p[i]];
    return in.materializedValue(out);
  }
  Array w = in.materialize(toArrayValue(in, a[1], span).array, span);
  if (in.dryRun()) w = Array::zeros(w.shape(), w.dtype());
  if (w.ndim() != 1 || w.size() != n)
    raise(ErrorKind::Value, span, "The weights and list don't have the same length.");
  Array wd = w.astype(DType::Float64);
  const auto* wp = reinterpret_cast<const double*>(wd.data());
  Array out = Array::zeros({len}, DType::Float64);
  auto* o = reinterpret_cast<double*>(out.data());
  for (int64_t i = 0; i < n; ++i) o[p[i]] += wp[i];
  return in.materializedValue(out);
}

/// nanmedian of an empty input: NumPy answers np.nanmean(a, axis,
/// keepdims=keepdims); None when the input is not empty.
Value emptyNanMean(BuiltinCall& call) {
  auto a = call.bind({{"a", {}},
                      {"axis", kNone},
                      {"out", kNone},
                      {"overwrite_input", Value::ofBool(false)},
                      {"keepdims", Value::ofBool(false)}});
  Value x = toArrayValue(call.in, a[0], call.span);
  int64_t size = 1;
  for (int64_t d : x.array->shape()) size *= d;
  if (size != 0) return Value::none();
  std::vector<Value> args{x, a[1]};
  Kwargs kw{{"keepdims", a[4]}};
  return call.in.callBuiltin("nanmean", args, kw, call.span);
}

} // namespace

/// median and nanmedian (an empty input: nanmean's NaN).
Value builtinMedian(BuiltinCall& call) {
  if (call.name == "nanmedian") {
    if (Value v = emptyNanMean(call); v.kind != Value::Kind::None) return v;
  }
  return medianValue(call.in, call.name,
                     call.bind({{"a", {}},
                                {"axis", kNone},
                                {"out", kNone},
                                {"overwrite_input", Value::ofBool(false)},
                                {"keepdims", Value::ofBool(false)}}),
                     call.span);
}

/// percentile, quantile, nanpercentile and nanquantile share one signature.
Value builtinQuantile(BuiltinCall& call) {
  if (call.name == "nanpercentile" || call.name == "nanquantile") {
    auto a = call.bind({{"a", {}},
                        {"q", {}},
                        {"axis", kNone},
                        {"out", kNone},
                        {"overwrite_input", Value::ofBool(false)},
                        {"method", Value::ofStr("linear")},
                        {"keepdims", Value::ofBool(false)}});
    Value x = toArrayValue(call.in, a[0], call.span);
    {
      int64_t size = 1;
      for (int64_t d : x.array->shape()) size *= d;
      if (size == 0) {
        // NumPy validates q first, then answers nanmean(a, axis, keepdims).
        Array q = argValues(call.in, a[1], call.span).astype(DType::Float64);
        const bool percent = call.name == "nanpercentile";
        for (int64_t k = 0; k < q.size(); ++k) {
          double v = reinterpret_cast<const double*>(q.data())[k];
          if (percent) v /= 100.0;
          if (!(v >= 0.0 && v <= 1.0))
            raise(ErrorKind::Value, call.span,
                  percent ? "Percentiles must be in the range [0, 100]"
                          : "Quantiles must be in the range [0, 1]");
        }
        std::vector<Value> args{x, a[2]};
        Kwargs kw{{"keepdims", a[6]}};
        return call.in.callBuiltin("nanmean", args, kw, call.span);
      }
    }
  }
  return quantileValue(call.in, call.name,
                       call.bind({{"a", {}},
                                  {"q", {}},
                                  {"axis", kNone},
                                  {"out", kNone},
                                  {"overwrite_input", Value::ofBool(false)},
                                  {"method", Value::ofStr("linear")},
                                  {"keepdims", Value::ofBool(false)}}),
                       call.span);
}

Value builtinBincount(BuiltinCall& call) {
  return bincountValue(call.in,
                       call.bind({{"x", {}}, {"weights", kNone}, {"minlength", Value::ofInt(0)}}),
                       call.span);
}

} // namespace ravel::exec
