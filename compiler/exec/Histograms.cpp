// Binning: digitize, histogram, histogram_bin_edges and interp, following
// NumPy 1.24 (lib/function_base.py, lib/histograms.py and the C arr_interp
// and arr_monotonicity) step by step, with its dtypes:
//  - digitize: searchsorted of x in the bins (reversed when they decrease),
//    compared in the common dtype; the monotonicity test is NumPy's, on the
//    bins as float64;
//  - histogram with a bin count: edges by linspace in NumPy's arithmetic
//    (float32 when both outer edges are float32 values), each value's bin
//    from (x - first) * norm corrected against the edges, the last bin
//    closed; with edges given: searchsorted over the sorted data; weights
//    summed in float64 (bincount) and cast to the weights' dtype;
//  - interp: NumPy's C loop (binary search, slope, the NaN retry).
// Eager: the input is materialised (argValues).
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"

#include "runtime/Sort.h"
#include "runtime/Storage.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <optional>
#include <type_traits>

namespace ravel::exec {
namespace {

/// NumPy's check_array_monotonic on the values as float64: 1 increasing
/// (or all equal), -1 decreasing, 0 neither.
int monotonicity(const std::vector<double>& a) {
  const size_t n = a.size();
  if (n == 0) return 1;
  double last = a[0];
  size_t i = 1;
  while (i < n && a[i] == last) ++i;
  if (i == n) return 1;
  double next = a[i];
  if (last < next) {
    for (++i; i < n; ++i) {
      last = next;
      next = a[i];
      if (last > next) return 0;
    }
    return 1;
  }
  for (++i; i < n; ++i) {
    last = next;
    next = a[i];
    if (last < next) return 0;
  }
  return -1;
}

/// A 1-d argument the way NumPy's C functions take one (PyArray_FROMANY
/// with depth exactly 1).
void requireOneDim(const Array& a, Span span) {
  if (a.ndim() == 0) raise(ErrorKind::Value, span, "object of too small depth for desired array");
  if (a.ndim() > 1) raise(ErrorKind::Value, span, "object too deep for desired array");
}

// ---- histogram ----

/// An outer edge of the bins: a Python number (weak, NEP 50) or a NumPy
/// scalar of dtype t.
struct Edge {
  double v = 0;
  bool weak = true;
  DType t = DType::Float64;
};

/// Python's repr of a number in messages ("supplied range of [0, inf]").
std::string edgeText(Interpreter& in, const Value& v) {
  return in.repr(v);
}

Value edgeValue(Interpreter& in, const Edge& e, Span span) {
  const bool integral = e.t != DType::Float32 && e.t != DType::Float64;
  if (e.weak) return integral ? Value::ofInt(int64_t(e.v)) : Value::ofFloat(e.v);
  Value v = in.astype(integral ? Value::ofInt(int64_t(e.v)) : Value::ofFloat(e.v), e.t, span);
  v.array->isScalar = true;
  return v;
}

Edge edgeArg(Interpreter& in, const Value& v, Span span) {
  Edge e;
  if (v.kind == Value::Kind::Int || v.kind == Value::Kind::Bool) {
    e.v = double(v.kind == Value::Kind::Int ? v.i : int64_t(v.b));
    e.t = DType::Int64;
  } else if (v.kind == Value::Kind::Float) {
    e.v = v.f;
  } else {
    Array a = argValues(in, v, span);
    if (a.size() != 1)
      raise(ErrorKind::Type, span, "only length-1 arrays can be converted to Python scalars");
    e.v = a.item().f;
    e.weak = false;
    e.t = a.dtype() == DType::Bool ? DType::Int64 : a.dtype();
  }
  return e;
}

/// histogram's a: flattened, with weights of its shape (flattened too).
struct HistInput {
  Array a;       // flat
  Array weights; // flat, or invalid
  DType type;    // a's dtype (bool counts as NumPy's uint8: an integer)
};

HistInput histInput(Interpreter& in, const Value& a, const Value& weights, Span span) {
  HistInput h;
  Array m = argValues(in, a, span);
  if (weights.kind != Value::Kind::None) {
    Array w = argValues(in, weights, span);
    if (w.shape() != m.shape())
      raise(ErrorKind::Value, span, "weights should have the same shape as a.");
    h.weights = w.copy().reshape({w.size()});
  }
  h.a = m.copy().reshape({m.size()});
  h.type = m.dtype();
  return h;
}

/// The bins of _get_bin_edges: equal bins (count, outer edges) or the
/// given edges.
struct Bins {
  Array edges;
  bool uniform = false;
  Edge first, last;
  int64_t count = 0;
};

Bins binEdges(Interpreter& in, const HistInput& h, const Value& bins, const Value& range,
              Span span) {
  Bins b;
  if (bins.kind == Value::Kind::Str)
    raise(ErrorKind::Value, span,
          "histogram: bins='" + bins.name + "' (an estimator) is not supported by ravel");
  const bool scalarBins = !(bins.kind == Value::Kind::List || bins.kind == Value::Kind::Tuple ||
                            (bins.isArray() && !bins.array->shape().empty()));
  if (!scalarBins) {
    Array e = argValues(in, bins, span);
    if (e.ndim() != 1) raise(ErrorKind::Value, span, "`bins` must be 1d, when an array");
    std::vector<double> v = flatValues<double>(e, DType::Float64);
    bool increasing = true;
    byStorage(e.dtype(), [&](auto tag) {
      using T = decltype(tag);
      std::vector<T> x = flatValues<T>(e, e.dtype());
      for (size_t i = 0; i + 1 < x.size(); ++i)
        if (x[i] > x[i + 1]) increasing = false;
    });
    if (!increasing)
      raise(ErrorKind::Value, span, "`bins` must increase monotonically, when an array");
    b.edges = e.copy();
    return b;
  }
  if (bins.kind == Value::Kind::Float || (bins.isArray() && isFloat(bins.array->dtype())) ||
      bins.kind == Value::Kind::None || bins.kind == Value::Kind::Str)
    raise(ErrorKind::Type, span, "`bins` must be an integer, a string, or an array");
  b.count = toInt(bins, span);
  if (b.count < 1) raise(ErrorKind::Value, span, "`bins` must be positive, when an integer");
  // _get_outer_edges
  if (range.kind != Value::Kind::None) {
    if ((range.kind != Value::Kind::Tuple && range.kind != Value::Kind::List) ||
        range.items.size() != 2)
      raise(ErrorKind::Value, span, "histogram: range must be a pair (first, last)");
    b.first = edgeArg(in, range.items[0], span);
    b.last = edgeArg(in, range.items[1], span);
    if (b.first.v > b.last.v)
      raise(ErrorKind::Value, span, "max must be larger than min in range parameter.");
    if (!std::isfinite(b.first.v) || !std::isfinite(b.last.v))
      raise(ErrorKind::Value, span,
            "supplied range of [" + edgeText(in, range.items[0]) + ", " +
                edgeText(in, range.items[1]) + "] is not finite");
  } else if (h.a.size() == 0) {
    b.first.v = 0;
    b.last.v = 1;
    b.first.t = b.last.t = DType::Int64;
  } else {
    const DType t = h.type == DType::Bool ? DType::Int64 : h.type;
    std::vector<double> v = flatValues<double>(h.a, DType::Float64);
    double lo = v[0], hi = v[0];
    bool nan = false;
    for (double x : v) {
      if (x != x) nan = true;
      lo = std::min(lo, x);
      hi = std::max(hi, x);
    }
    if (nan) lo = hi = NAN;
    b.first = {lo, false, t};
    b.last = {hi, false, t};
    if (!std::isfinite(lo) || !std::isfinite(hi))
      raise(ErrorKind::Value, span,
            "autodetected range of [" + edgeText(in, edgeValue(in, b.first, span)) + ", " +
                edgeText(in, edgeValue(in, b.last, span)) + "] is not finite");
  }
  if (b.first.v == b.last.v) {
    // first - 0.5: an integer scalar becomes float64, a float keeps its type.
    for (Edge* e : {&b.first, &b.last})
      if (e->t != DType::Float32) e->t = DType::Float64;
    if (b.first.t == DType::Float32 && !b.first.weak) {
      b.first.v = double(float(b.first.v) - 0.5f);
      b.last.v = double(float(b.last.v) + 0.5f);
    } else {
      b.first.v -= 0.5;
      b.last.v += 0.5;
    }
  }
  // bin_type = result_type(first_edge, last_edge, a), integers made float.
  DType binType = h.type == DType::Bool ? DType::Int64 : h.type;
  for (const Edge* e : {&b.first, &b.last})
    if (!e->weak) binType = promote(binType, e->t);
  if (!isFloat(binType)) binType = DType::Float64;
  // linspace(first, last, n + 1): computed in float32 only when both outer
  // edges are float32 scalars (start * 1.0 keeps their type), else float64.
  const bool f32 =
      !b.first.weak && !b.last.weak && b.first.t == DType::Float32 && b.last.t == DType::Float32;
  const int64_t num = b.count + 1, div = num - 1;
  auto space = [&](auto tag) {
    using T = decltype(tag);
    const T start = T(b.first.v), stop = T(b.last.v);
    const T delta = stop - start;
    const T step = delta / T(div);
    std::vector<T> y(static_cast<size_t>(num));
    for (int64_t i = 0; i < num; ++i) {
      volatile T scaled = step == 0 ? T(T(i) / T(div)) * delta : T(i) * step;
      y[size_t(i)] = scaled + start;
    }
    y[size_t(num - 1)] = stop;
    b.edges = arrayOf(y, f32 ? DType::Float32 : DType::Float64).astype(binType).copy();
  };
  if (f32)
    space(float{});
  else
    space(double{});
  b.uniform = true;
  return b;
}

/// The counts (int64, or the weights' dtype) of the uniform-bins path.
Array uniformCounts(const HistInput& h, const Bins& b) {
  const int64_t nb = b.count;
  std::vector<double> sums(size_t(nb), 0.0);
  std::vector<int64_t> counts(size_t(nb), 0);
  const std::vector<double> w =
      h.weights.valid() ? flatValues<double>(h.weights, DType::Float64) : std::vector<double>{};
  const DType binType = b.edges.dtype();
  // keep: first <= a <= last, compared in a's dtype with weak edges, else
  // in the common dtype (integers against a float edge: float64).
  const bool keepF32 = h.type == DType::Float32 && (b.first.weak || b.first.t == DType::Float32) &&
                       (b.last.weak || b.last.t == DType::Float32);
  byStorage(binType, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_floating_point_v<T>) {
      const std::vector<T> edges = flatValues<T>(b.edges, binType);
      const std::vector<T> a = flatValues<T>(h.a, binType);
      const std::vector<double> ad = flatValues<double>(h.a, DType::Float64);
      // norm = n / (last - first): Python arithmetic for two Python
      // numbers, else in the scalars' type (integers: unsigned, then float64).
      T norm;
      const bool typedFloat =
          (!b.first.weak && isFloat(b.first.t)) || (!b.last.weak && isFloat(b.last.t));
      if (b.first.weak && b.last.weak) {
        norm = T(double(nb) / (b.last.v - b.first.v));
      } else if (!typedFloat) {
        norm = T(double(nb) / double(uint64_t(int64_t(b.last.v) - int64_t(b.first.v))));
      } else {
        const bool wide = (!b.first.weak && b.first.t == DType::Float64) ||
                          (!b.last.weak && b.last.t == DType::Float64);
        if (wide)
          norm = T(double(nb) / (b.last.v - b.first.v));
        else
          norm = T(float(nb) / (float(b.last.v) - float(b.first.v)));
      }
      const T first = T(b.first.v);
      for (size_t i = 0; i < a.size(); ++i) {
        bool keep;
        if (keepF32)
          keep = float(ad[i]) >= float(b.first.v) && float(ad[i]) <= float(b.last.v);
        else
          keep = ad[i] >= b.first.v && ad[i] <= b.last.v;
        if (!keep) continue;
        const T x = a[i];
        volatile T shifted = x - first;
        const T f = shifted * norm;
        int64_t idx = int64_t(f);
        if (idx == nb) --idx;
        if (x < edges[size_t(idx)]) --idx;
        if (x >= edges[size_t(idx + 1)] && idx != nb - 1) ++idx;
        ++counts[size_t(idx)];
        if (!w.empty()) sums[size_t(idx)] += w[i];
      }
    }
  });
  if (!h.weights.valid()) return arrayOf(counts, DType::Int64);
  return arrayOf(sums, DType::Float64).astype(h.weights.dtype()).copy();
}

/// The counts of the given-edges path: searchsorted over the sorted data
/// (cumulative weights when weighted), then differences.
Array edgeCounts(const HistInput& h, const Bins& b, Span span) {
  const DType t = promote(h.type, b.edges.dtype());
  const int64_t ne = b.edges.size();
  std::vector<int64_t> order(size_t(h.a.size()));
  std::iota(order.begin(), order.end(), int64_t{0});
  std::vector<int64_t> at(static_cast<size_t>(ne));
  byStorage(t, [&](auto tag) {
    using T = decltype(tag);
    const std::vector<T> a = flatValues<T>(h.a, t), e = flatValues<T>(b.edges, t);
    auto less = [](T x, T y) {
      if constexpr (std::is_floating_point_v<T>) return x < y || (y != y && x == x);
      return x < y;
    };
    std::stable_sort(order.begin(), order.end(),
                     [&](int64_t x, int64_t y) { return less(a[size_t(x)], a[size_t(y)]); });
    std::vector<T> sa(a.size());
    for (size_t i = 0; i < a.size(); ++i) sa[i] = a[size_t(order[i])];
    for (int64_t k = 0; k < ne; ++k) {
      const T v = e[size_t(k)];
      auto it = k + 1 < ne ? std::lower_bound(sa.begin(), sa.end(), v, less)
                           : std::upper_bound(sa.begin(), sa.end(), v, less);
      at[size_t(k)] = int64_t(it - sa.begin());
    }
  });
  const int64_t nb = std::max<int64_t>(ne - 1, 0);
  if (!h.weights.valid()) {
    std::vector<int64_t> n(static_cast<size_t>(nb));
    for (int64_t k = 0; k < nb; ++k) n[size_t(k)] = at[size_t(k + 1)] - at[size_t(k)];
    return arrayOf(n, DType::Int64);
  }
  const DType wt = h.weights.dtype();
  if (wt == DType::Bool)
    raise(ErrorKind::Type, span,
          "Cannot cast ufunc 'add' output from dtype('int64') to dtype('bool') with casting rule "
          "'same_kind'");
  // cw = concatenate((zero, sw.cumsum())): the cumsum of int32 weights is
  // int64, then added into an int32 cum_n.
  Array out;
  byStorage(wt, [&](auto tag) {
    using W = decltype(tag);
    using Acc = std::conditional_t<std::is_integral_v<W>, int64_t, W>;
    const std::vector<W> w = flatValues<W>(h.weights, wt);
    std::vector<Acc> cw(w.size() + 1, Acc(0));
    for (size_t i = 0; i < w.size(); ++i) cw[i + 1] = Acc(cw[i] + Acc(w[size_t(order[i])]));
    std::vector<W> n(static_cast<size_t>(nb));
    for (int64_t k = 0; k < nb; ++k)
      n[size_t(k)] = W(W(cw[size_t(at[size_t(k + 1)])]) - W(cw[size_t(at[size_t(k)])]));
    out = arrayOf(n, wt);
  });
  return out;
}

} // namespace

/// digitize(x, bins, right=False)
Value builtinDigitize(BuiltinCall& call) {
  Interpreter& in = call.in;
  auto a = call.bind({{"x", {}}, {"bins", {}}, {"right", Value::ofBool(false)}});
  Array x = argValues(in, a[0], call.span);
  Array bins = argValues(in, a[1], call.span);
  requireOneDim(bins, call.span);
  const int mono = monotonicity(flatValues<double>(bins, DType::Float64));
  if (mono == 0)
    raise(ErrorKind::Value, call.span, "bins must be monotonically increasing or decreasing");
  const DType t = promote(x.dtype(), bins.dtype());
  Array sorted = bins.astype(t).copy();
  if (mono == -1) sorted = sorted.sliceAxis(0, sorted.size() - 1, -1, sorted.size()).copy();
  Array values = x.astype(t).copy();
  // side is backwards: right=True searches on the left.
  Array out = searchSorted(sorted, values, !flagArg(a[2]));
  if (mono == -1) {
    auto* p = reinterpret_cast<int64_t*>(out.data());
    for (int64_t i = 0; i < out.size(); ++i) p[i] = bins.size() - p[i];
  }
  return in.materializedValue(out, x.ndim() == 0);
}

/// histogram(a, bins=10, range=None, density=None, weights=None)
Value builtinHistogram(BuiltinCall& call) {
  Interpreter& in = call.in;
  auto a = call.bind({{"a", {}},
                      {"bins", Value::ofInt(10)},
                      {"range", kNone},
                      {"density", kNone},
                      {"weights", kNone}});
  HistInput h = histInput(in, a[0], a[4], call.span);
  Bins b = binEdges(in, h, a[1], a[2], call.span);
  // norm = n / _unsigned_subtract(last, first): two Python ints are
  // subtracted as uint64, which a negative one does not fit (OverflowError).
  if (b.uniform && b.first.weak && b.last.weak && b.first.t == DType::Int64 &&
      b.last.t == DType::Int64)
    for (const Edge* e : {&b.last, &b.first})
      if (e->v < 0)
        raise(ErrorKind::Value, call.span,
              "Python integer " + std::to_string(int64_t(e->v)) + " out of bounds for uint64");
  Array n = b.uniform ? uniformCounts(h, b) : edgeCounts(h, b, call.span);
  Value edges = in.materializedValue(b.edges);
  Value counts = in.materializedValue(n);
  if (!flagArg(a[3])) return Value::ofTuple({counts, edges});
  // db = array(diff(bin_edges), float); n / db / n.sum()
  Array db = Array::empty({std::max<int64_t>(b.edges.size() - 1, 0)}, DType::Float64);
  byStorage(b.edges.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const std::vector<T> e = flatValues<T>(b.edges, b.edges.dtype());
    auto* d = reinterpret_cast<double*>(db.data());
    for (size_t i = 0; i + 1 < e.size(); ++i) {
      if constexpr (std::is_same_v<T, uint8_t>)
        d[i] = double(e[i + 1] != e[i]);
      else if constexpr (std::is_integral_v<T>)
        d[i] = double(T(std::make_unsigned_t<T>(e[i + 1]) - std::make_unsigned_t<T>(e[i])));
      else
        d[i] = double(T(e[i + 1] - e[i]));
    }
  });
  using graph::Op;
  Value total = in.reduce(Op::Sum, counts, kNone, call.span);
  total.array->isScalar = true;
  Value dens = in.binary(Op::Div, in.binary(Op::Div, counts, in.materializedValue(db), call.span),
                         total, call.span);
  return Value::ofTuple({dens, edges});
}

/// histogram_bin_edges(a, bins=10, range=None, weights=None)
Value builtinHistogramBinEdges(BuiltinCall& call) {
  Interpreter& in = call.in;
  auto a = call.bind({{"a", {}}, {"bins", Value::ofInt(10)}, {"range", kNone}, {"weights", kNone}});
  HistInput h = histInput(in, a[0], a[3], call.span);
  return in.materializedValue(binEdges(in, h, a[1], a[2], call.span).edges);
}

/// interp(x, xp, fp, left=None, right=None, period=None): NumPy's
/// compiled_interp on float64 values (with period: x and xp reduced modulo
/// period, xp sorted and extended by one point at each end).
Value builtinInterp(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind(
      {{"x", {}}, {"xp", {}}, {"fp", {}}, {"left", kNone}, {"right", kNone}, {"period", kNone}});
  Array x = argValues(in, a[0], span);
  Array xpa = argValues(in, a[1], span), fpa = argValues(in, a[2], span);
  std::vector<double> xs = flatValues<double>(x, DType::Float64);
  std::vector<double> xp, fp;
  std::optional<double> left, right;
  if (a[5].kind != Value::Kind::None) {
    double period = toFloat(in, a[5], span);
    if (period == 0) raise(ErrorKind::Value, span, "period must be a non-zero value");
    period = std::fabs(period);
    if (xpa.ndim() != 1 || fpa.ndim() != 1)
      raise(ErrorKind::Value, span, "Data points must be 1-D sequences");
    if (xpa.size() != fpa.size())
      raise(ErrorKind::Value, span, "fp and xp are not of the same length");
    // np.remainder: the sign of the divisor, +0.0 for an exact multiple.
    auto mod = [&](double v) {
      double m = std::fmod(v, period);
      if (m != 0) {
        if ((m < 0) != (period < 0)) m += period;
      } else {
        m = std::copysign(0.0, period);
      }
      return m;
    };
    for (double& v : xs) v = mod(v);
    std::vector<double> p = flatValues<double>(xpa, DType::Float64);
    std::vector<double> f = flatValues<double>(fpa, DType::Float64);
    for (double& v : p) v = mod(v);
    std::vector<int64_t> order(p.size());
    std::iota(order.begin(), order.end(), int64_t{0});
    std::stable_sort(order.begin(), order.end(), [&](int64_t i, int64_t j) {
      return p[size_t(i)] < p[size_t(j)] ||
             (p[size_t(j)] != p[size_t(j)] && p[size_t(i)] == p[size_t(i)]);
    });
    if (!p.empty()) {
      xp.push_back(p[size_t(order.back())] - period);
      fp.push_back(f[size_t(order.back())]);
    }
    for (int64_t i : order) {
      xp.push_back(p[size_t(i)]);
      fp.push_back(f[size_t(i)]);
    }
    if (!p.empty()) {
      xp.push_back(p[size_t(order.front())] + period);
      fp.push_back(f[size_t(order.front())]);
    }
  } else {
    requireOneDim(fpa, span);
    requireOneDim(xpa, span);
    xp = flatValues<double>(xpa, DType::Float64);
    fp = flatValues<double>(fpa, DType::Float64);
    if (a[3].kind != Value::Kind::None) left = toFloat(in, a[3], span);
    if (a[4].kind != Value::Kind::None) right = toFloat(in, a[4], span);
  }
  const int64_t n = int64_t(xp.size());
  if (n == 0) raise(ErrorKind::Value, span, "array of sample points is empty");
  if (int64_t(fp.size()) != n)
    raise(ErrorKind::Value, span, "fp and xp are not of the same length.");
  const double lval = left.value_or(fp[0]), rval = right.value_or(fp[size_t(n - 1)]);
  Array out = Array::empty(x.shape(), DType::Float64);
  auto* res = reinterpret_cast<double*>(out.data());
  for (size_t i = 0; i < xs.size(); ++i) {
    const double v = xs[i];
    if (n == 1) {
      res[i] = v < xp[0] ? lval : (v > xp[0] ? rval : fp[0]);
      continue;
    }
    if (v != v) {
      res[i] = v;
      continue;
    }
    int64_t j;
    if (v > xp[size_t(n - 1)]) {
      j = n;
    } else if (v < xp[0]) {
      j = -1;
    } else { // the last j with xp[j] <= v
      j = int64_t(std::upper_bound(xp.begin(), xp.end(), v) - xp.begin()) - 1;
    }
    if (j == -1) {
      res[i] = lval;
    } else if (j == n) {
      res[i] = rval;
    } else if (j == n - 1 || xp[size_t(j)] == v) {
      res[i] = fp[size_t(j)];
    } else {
      const double slope =
          (fp[size_t(j + 1)] - fp[size_t(j)]) / (xp[size_t(j + 1)] - xp[size_t(j)]);
      res[i] = slope * (v - xp[size_t(j)]) + fp[size_t(j)];
      if (std::isnan(res[i])) {
        res[i] = slope * (v - xp[size_t(j + 1)]) + fp[size_t(j + 1)];
        if (std::isnan(res[i]) && fp[size_t(j)] == fp[size_t(j + 1)]) res[i] = fp[size_t(j)];
      }
    }
  }
  return in.materializedValue(out, x.ndim() == 0);
}

} // namespace ravel::exec
