// histogramdd and histogram2d, following NumPy 1.24's lib/histograms.py
// histogramdd (histogram2d in lib/twodim_base.py is a wrapper over it):
//
//   1. sample: an (N, D) array as is; anything else atleast_2d(sample).T
//      (histogram2d: array([x, y]).T after its length check)
//   2. bins: one per dimension (a scalar repeats); for each dimension i
//      - a scalar: positive, then the outer edges (range[i], or the
//        column's min and max), then an integer: edges = linspace(first,
//        last, n + 1). Without a range these are histogram_bin_edges(
//        column, n) exactly (a float32 column gives float32 edges, as
//        NumPy's a.min() scalars make linspace float32); with one, they are
//        histogram_bin_edges of the column as float64 (NumPy's Python
//        numbers give float64 edges);
//      - a 1-d array: the edges as given (its dtype), increasing;
//   3. each value's bin is searchsorted(edges, value, side='right'), one
//      less for a value equal to the last edge; 0 and len(edges) are the
//      outlier bins on either side
//   4. counts (or float64 sums of the weights, in sample order, as
//      bincount adds them) over the (len(edges) + 1)-per-dimension grid,
//      float64, then the outliers cut off: hist[1:-1, 1:-1, ...]
//   5. density: hist / diff(edges_i) along each axis in turn, then / the
//      total of the counts.
// Values are compared as NumPy's searchsorted compares them: in the common
// dtype of edges and sample (int64 when both are integers, else float64,
// which holds every float32 exactly), NaN after everything.
#include "compiler/exec/Args.h"
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"

#include <algorithm>
#include <string>

namespace ravel::exec {
using graph::Op;

namespace {

bool isSequence(const Value& v) {
  return v.kind == Value::Kind::List || v.kind == Value::Kind::Tuple ||
         (v.kind == Value::Kind::Array && !v.array->shape().empty());
}

/// The items of a list, tuple or array along its first axis.
std::vector<Value> itemsOf(Interpreter& in, const Value& v, Span span) {
  if (v.kind != Value::Kind::Array) return v.items;
  std::vector<Value> out;
  for (int64_t i = 0; i < v.array->shape()[0]; ++i)
    out.push_back(in.subscript(v, {Value::ofInt(i)}, span));
  return out;
}

/// NumPy's ordering with NaN last: a < b.
template <class T> bool lessNanLast(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) return a < b || (b != b && a == a);
  return a < b;
}

/// searchsorted(edges, x, side='right') minus one where x == edges[-1].
template <class T>
std::vector<int64_t> binIndices(const std::vector<T>& edges, const std::vector<T>& x) {
  std::vector<int64_t> out(x.size());
  for (size_t k = 0; k < x.size(); ++k) {
    const auto it = std::upper_bound(edges.begin(), edges.end(), x[k],
                                     [](T a, T b) { return lessNanLast(a, b); });
    int64_t i = it - edges.begin();
    if (!edges.empty() && x[k] == edges.back()) --i;
    out[k] = i;
  }
  return out;
}

/// The edges of dimension i for a scalar bin count (step 2, first case).
Value countEdges(Interpreter& in, const Value& column, const Value& bins, const Value& range,
                 size_t i, Span span) {
  const std::string tag = "`bins[" + std::to_string(i) + "]` must be ";
  const Array b = argValues(in, bins, span);
  if (flatValues<double>(b, DType::Float64)[0] < 1)
    raise(ErrorKind::Value, span, tag + "positive, when an integer");
  const bool integral = bins.kind == Value::Kind::Int || bins.kind == Value::Kind::Bool ||
                        (bins.kind == Value::Kind::Array && !isFloat(b.dtype()));
  const Value count = integral ? Value::ofInt(toInt(bins, span)) : Value::ofInt(1);
  Value edges;
  if (range.kind == Value::Kind::None)
    edges = callNamed(in, "histogram_bin_edges", {column, count}, {}, span);
  else
    edges = callNamed(in, "histogram_bin_edges", {in.astype(column, DType::Float64, span), count},
                      {{"range", range}}, span);
  if (!integral) raise(ErrorKind::Type, span, tag + "an integer, when a scalar");
  return edges;
}

} // namespace

/// histogramdd(sample, bins=10, range=None, density=None, weights=None) and
/// histogram2d(x, y, bins=10, range=None, density=None, weights=None).
Value builtinHistogramdd(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  const bool twoD = call.name == "histogram2d";
  std::vector<Param> params = {{"sample", {}},
                               {"bins", Value::ofInt(10)},
                               {"range", kNone},
                               {"density", kNone},
                               {"weights", kNone}};
  if (twoD) {
    params[0] = {"x", {}};
    params.insert(params.begin() + 1, Param{"y", {}});
  }
  auto a = call.bind(params);
  const size_t off = twoD ? 1 : 0;
  Value bins = a[1 + off];
  const Value& rangeArg = a[2 + off];
  const bool density = flagArg(a[3 + off]);
  const Value& weightsArg = a[4 + off];

  Value sample;
  if (twoD) {
    const Value x = toArrayValue(in, a[0], span), y = toArrayValue(in, a[1], span);
    for (const Value& v : {a[0], a[1]}) {
      if (v.isPyScalar())
        raise(ErrorKind::Type, span,
              std::string("object of type '") +
                  (v.kind == Value::Kind::Float ? "float"
                   : v.kind == Value::Kind::Int ? "int"
                                                : "bool") +
                  "' has no len()");
      if (toArrayValue(in, v, span).array->shape().empty())
        raise(ErrorKind::Type, span, "len() of unsized object");
    }
    if (x.array->shape()[0] != y.array->shape()[0])
      raise(ErrorKind::Value, span, "x and y must have the same length.");
    // N = len(bins) (1 for a scalar); neither 1 nor 2 means one edge array
    // for both axes.
    if (isSequence(bins)) {
      const size_t n =
          bins.kind == Value::Kind::Array ? size_t(bins.array->shape()[0]) : bins.items.size();
      if (n != 1 && n != 2) {
        const Value binsArray = toArrayValue(in, bins, span);
        bins = Value::ofList({binsArray, binsArray});
      }
    }
    sample = callNamed(in, "transpose",
                       {callNamed(in, "array", {Value::ofList({a[0], a[1]})}, {}, span)}, {}, span);
  } else {
    sample = a[0];
    if (sample.kind != Value::Kind::Array || sample.array->shape().size() != 2)
      sample =
          callNamed(in, "transpose", {callNamed(in, "atleast_2d", {sample}, {}, span)}, {}, span);
  }
  const Shape shape = sample.array->shape();
  if (shape.size() != 2)
    raise(ErrorKind::Value, span,
          shape.size() < 2
              ? "not enough values to unpack (expected 2, got " + std::to_string(shape.size()) + ")"
              : "too many values to unpack (expected 2)");
  const int64_t n = shape[0];
  const size_t dims = size_t(shape[1]);

  std::vector<double> weights;
  if (weightsArg.kind != Value::Kind::None) {
    const Array w = argValues(in, weightsArg, span);
    if (w.ndim() != 1)
      raise(ErrorKind::Value, span,
            w.ndim() == 0 ? "object of too small depth for desired array"
                          : "object too deep for desired array");
    if (w.size() != n)
      raise(ErrorKind::Value, span, "The weights and list don't have the same length.");
    weights = flatValues<double>(w, DType::Float64);
  }

  std::vector<Value> binList;
  if (isSequence(bins)) {
    binList = itemsOf(in, bins, span);
    if (binList.size() != dims)
      raise(ErrorKind::Value, span,
            "The dimension of bins must be equal to the dimension of the  sample x.");
  } else {
    binList.assign(dims, bins);
  }
  std::vector<Value> ranges(dims, kNone);
  if (rangeArg.kind != Value::Kind::None) {
    ranges = itemsOf(in, rangeArg, span);
    if (ranges.size() != dims)
      raise(ErrorKind::Value, span, "range argument must have one entry per dimension");
  }

  // Steps 2 and 3: the edges and each sample's bin, per dimension.
  std::vector<Value> edges(dims);
  Shape nbin(dims);
  std::vector<int64_t> flat(size_t(n), 0);
  for (size_t i = 0; i < dims; ++i) {
    const Value column = in.subscript(
        sample, {sliceValue(std::nullopt, std::nullopt), Value::ofInt(int64_t(i))}, span);
    const Value& b = binList[i];
    // np.ndim(bins[i]): a ragged list has no array and counts as deeper.
    size_t bdim = 0;
    if (!b.isPyScalar()) {
      bdim = 2;
      bool nested = false;
      if (b.kind == Value::Kind::List || b.kind == Value::Kind::Tuple)
        for (const Value& item : b.items) nested = nested || !item.isPyScalar();
      if (!nested) bdim = toArrayValue(in, b, span).array->shape().size();
    }
    if (bdim == 0) {
      edges[i] = countEdges(in, column, b, ranges[i], i, span);
    } else if (bdim == 1) {
      edges[i] = toArrayValue(in, b, span);
      const std::vector<double> e =
          flatValues<double>(argValues(in, edges[i], span), DType::Float64);
      for (size_t k = 0; k + 1 < e.size(); ++k)
        if (e[k] > e[k + 1])
          raise(ErrorKind::Value, span,
                "`bins[" + std::to_string(i) +
                    "]` must be monotonically increasing, when an array");
    } else {
      raise(ErrorKind::Value, span,
            "`bins[" + std::to_string(i) + "]` must be a scalar or 1d array");
    }
    const Array e = argValues(in, edges[i], span);
    const Array c = argValues(in, column, span);
    nbin[i] = e.size() + 1;
    std::vector<int64_t> index;
    if (!isFloat(e.dtype()) && !isFloat(c.dtype()))
      index =
          binIndices(flatValues<int64_t>(e, DType::Int64), flatValues<int64_t>(c, DType::Int64));
    else
      index =
          binIndices(flatValues<double>(e, DType::Float64), flatValues<double>(c, DType::Float64));
    for (size_t k = 0; k < index.size(); ++k) flat[k] = flat[k] * nbin[i] + index[k];
  }

  // Step 4: bincount into the whole grid, then the core.
  Array grid = Array::full(nbin, Scalar::ofFloat(0.0), DType::Float64);
  auto* g = reinterpret_cast<double*>(grid.data());
  for (size_t k = 0; k < flat.size(); ++k) g[flat[k]] += weights.empty() ? 1.0 : weights[k];
  std::vector<Value> core(dims, sliceValue(1, -1));
  Value hist = in.subscript(in.materializedValue(grid), core, span);

  // Step 5.
  if (density) {
    Value total = in.reduce(Op::Sum, hist, kNone, span);
    total.array->isScalar = true;
    for (size_t i = 0; i < dims; ++i) {
      std::vector<Value> along(dims, Value::ofInt(1));
      along[i] = Value::ofInt(nbin[i] - 2);
      const Value widths =
          callNamed(in, "reshape",
                    {callNamed(in, "diff", {edges[i]}, {}, span), Value::ofTuple(along)}, {}, span);
      hist = in.binary(Op::Div, hist, widths, span);
    }
    hist = in.binary(Op::Div, hist, total, span);
  }
  if (twoD) return Value::ofTuple({hist, edges[0], edges[1]});
  return Value::ofTuple({hist, Value::ofList(edges)});
}

} // namespace ravel::exec
