// Matrix products: `@`, matmul, dot, vdot, inner, outer, tensordot, kron,
// trace, diag, diagonal and einsum, with NumPy's shapes, dtypes and errors.
//
// Every contraction becomes one batched product (runtime/Blas.h): the
// operands are computed (if lazy) and cast to the result dtype, then
// transposed and reshaped so the summed axes are the inner ones. A transpose
// that leaves a unit-stride axis is a BLAS transpose flag rather than a copy;
// Array::reshape copies only when the strides cannot express the merge.
// `@`, matmul, dot and vdot return the product as a lazy MatMul node, so
// fusion can run the elementwise work that consumes it as its epilogue
// (ProductLaunch.h); tensordot, inner and einsum compute it at once, since
// they rearrange the result. Elementwise products (outer, kron, products with a 0-d operand) stay
// lazy multiplies, so they fuse with what surrounds them. diagonal is a read-only view, as in
// NumPy.
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"

#include "runtime/Blas.h"

#include <algorithm>
#include <optional>

namespace ravel::exec {
using graph::Op;

namespace {

const char* const kMatmulSignature = "(n?,k),(k,m?)->(n?,m?)";

Array arrayOf(Interpreter& in, const Value& v, Span span) {
  Value a = toArrayValue(in, v, span);
  return in.materialize(a.array, span);
}

template <typename F> auto withSpan(Span span, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
}

std::string shapeList(const Shape& s) {
  return formatShapeCompact(s);
}

int64_t product(const Shape& s, size_t from, size_t to) {
  int64_t p = 1;
  for (size_t i = from; i < to; ++i) p *= s[i];
  return p;
}

/// The product of a (batch..., m, k) and b (batch..., k, n) with equal batch
/// shapes (broadcast already) as a lazy MatMul node of `finalShape` (which
/// has the elements of batch + (m, n) in C order), both operands cast to
/// `dtype` first. Nothing is computed here: fusion runs the product in a
/// launch of its own, or row panel by row panel under the elementwise work
/// that consumes it (its epilogue), or folds a `+ c` into gemm's beta.
Value productValue(Interpreter& in, Array a, Array b, DType dtype, const Shape& finalShape,
                   const char* fname, Span span) {
  std::vector<std::string> casts;
  if (a.dtype() != dtype) {
    casts.push_back("operand 0 cast to " + std::string(dtypeName(dtype)));
    a = withSpan(span, [&] { return a.astype(dtype); });
  }
  if (b.dtype() != dtype) {
    casts.push_back("operand 1 cast to " + std::string(dtypeName(dtype)));
    b = withSpan(span, [&] { return b.astype(dtype); });
  }
  const size_t r = size_t(a.ndim() - 2);
  const int64_t m = a.shape()[r], k = a.shape()[r + 1], n = b.shape()[r + 1];
  int64_t batch = 1;
  for (size_t d = 0; d < r; ++d) batch *= a.shape()[d];
  std::string text = std::string(fname) + " " + formatShapeCompact(a.shape()) + " @ " +
                     formatShapeCompact(b.shape()) + " -> " + formatShapeCompact(finalShape) + " " +
                     std::string(dtypeName(dtype)) + ": " +
                     blas::plannedRoutine(dtype, m, n, k, batch);
  for (const std::string& c : casts) text += "; " + c;
  // How BLAS reads each operand (the same test blas::matmul makes).
  bool copied = false;
  for (int op = 0; op < 2 && isFloat(dtype) && batch * m * n > 0; ++op) {
    const Array& x = op == 0 ? a : b;
    const blas::MatrixLayout l = blas::describeMatrix(
        x.shape()[r], x.shape()[r + 1], x.strides()[r], x.strides()[r + 1], x.itemsize());
    const std::string name = "; operand " + std::to_string(op);
    if (!l.describable) {
      text += name + " copied (" + l.why + ")";
      copied = true;
    } else if (l.transposed) {
      text += name + " read in place as a transpose flag";
    } else if (x.shape()[r] > 1 && l.ld != x.shape()[r + 1]) {
      text += name + " read in place with leading dimension " + std::to_string(l.ld);
    }
  }
  if (casts.empty() && !copied) text += "; no copies";
  in.note(span, text);
  graph::Graph& g = in.graph();
  graph::NodeRef node =
      g.make(Op::MatMul, dtype, finalShape, {g.input(a, span), g.input(b, span)}, span);
  return in.arrayValue(node, finalShape.empty());
}

/// productValue, computed now (for callers that rearrange the result).
Array productInto(Interpreter& in, const Array& a, const Array& b, DType dtype,
                  const Shape& finalShape, const char* fname, Span span) {
  Value v = productValue(in, a, b, dtype, finalShape, fname, span);
  return in.materialize(v.array, span);
}

Value resultValue(Interpreter& in, Array r) {
  const bool scalar = r.ndim() == 0;
  return in.materializedValue(std::move(r), scalar);
}

/// NumPy's matmul of two arrays (1-d operands promoted and demoted again,
/// batch axes broadcast).
Value matmulArrays(Interpreter& in, const Array& a, const Array& b, const char* fname, Span span) {
  for (int op = 0; op < 2; ++op)
    if ((op == 0 ? a : b).ndim() == 0)
      raise(ErrorKind::Value, span,
            std::string(fname) + ": Input operand " + std::to_string(op) +
                " does not have enough dimensions (has 0, gufunc core with signature " +
                kMatmulSignature + " requires 1)");
  const bool aVec = a.ndim() == 1, bVec = b.ndim() == 1;
  Array A = aVec ? a.insertAxis(0) : a;
  Array B = bVec ? b.insertAxis(1) : b;
  const int64_t ka = A.shape()[size_t(A.ndim() - 1)], kb = B.shape()[size_t(B.ndim() - 2)];
  if (ka != kb)
    raise(ErrorKind::Value, span,
          std::string(fname) +
              ": Input operand 1 has a mismatch in its core dimension 0, with gufunc signature " +
              kMatmulSignature + " (size " + std::to_string(kb) + " is different from " +
              std::to_string(ka) + ")");
  const int64_t m = A.shape()[size_t(A.ndim() - 2)], n = B.shape()[size_t(B.ndim() - 1)];
  Shape batchA(A.shape().begin(), A.shape().end() - 2);
  Shape batchB(B.shape().begin(), B.shape().end() - 2);
  Shape batch;
  try {
    batch = broadcastShapes(batchA, batchB);
  } catch (const RuntimeError&) {
    auto remapped = [](const Array& x) {
      std::string s = "(";
      const int cores = std::min(x.ndim(), 2);
      for (int d = 0; d < x.ndim(); ++d) {
        if (d) s += ",";
        s += d < x.ndim() - cores ? std::to_string(x.shape()[size_t(d)]) : "newaxis";
      }
      return s + ")";
    };
    Shape requested;
    if (!aVec) requested.push_back(m);
    if (!bVec) requested.push_back(n);
    raise(ErrorKind::Value, span,
          "operands could not be broadcast together with remapped shapes "
          "[original->remapped]: " +
              shapeList(a.shape()) + "->" + remapped(a) + " " + shapeList(b.shape()) + "->" +
              remapped(b) + "  and requested shape " + shapeList(requested));
  }
  Shape aShape = batch, bShape = batch, finalShape = batch;
  aShape.insert(aShape.end(), {m, ka});
  bShape.insert(bShape.end(), {kb, n});
  if (!aVec) finalShape.push_back(m);
  if (!bVec) finalShape.push_back(n);
  A = withSpan(span, [&] { return A.broadcastTo(aShape); });
  B = withSpan(span, [&] { return B.broadcastTo(bShape); });
  return productValue(in, A, B, promote(a.dtype(), b.dtype()), finalShape, fname, span);
}

/// Sums a over axesA against b over axesB (NumPy's tensordot): free axes of
/// a, then free axes of b.
Array tensordotArrays(Interpreter& in, const Array& a, const Array& b, std::vector<int64_t> axesA,
                      std::vector<int64_t> axesB, const char* fname, Span span) {
  if (axesA.size() != axesB.size()) raise(ErrorKind::Value, span, "shape-mismatch for sum");
  for (size_t i = 0; i < axesA.size(); ++i) {
    axesA[i] = withSpan(span, [&] { return normalizeAxis(axesA[i], a.ndim()); });
    axesB[i] = withSpan(span, [&] { return normalizeAxis(axesB[i], b.ndim()); });
    if (a.shape()[size_t(axesA[i])] != b.shape()[size_t(axesB[i])])
      raise(ErrorKind::Value, span, "shape-mismatch for sum");
  }
  auto freeAxes = [](int nd, const std::vector<int64_t>& summed) {
    std::vector<int> free;
    for (int d = 0; d < nd; ++d)
      if (std::find(summed.begin(), summed.end(), d) == summed.end()) free.push_back(d);
    return free;
  };
  std::vector<int> freeA = freeAxes(a.ndim(), axesA), freeB = freeAxes(b.ndim(), axesB);
  std::vector<int> permA = freeA, permB;
  for (int64_t x : axesA) permA.push_back(int(x));
  for (int64_t x : axesB) permB.push_back(int(x));
  permB.insert(permB.end(), freeB.begin(), freeB.end());
  Array ta = withSpan(span, [&] { return a.transpose(permA); });
  Array tb = withSpan(span, [&] { return b.transpose(permB); });
  const size_t nfa = freeA.size();
  const int64_t M = product(ta.shape(), 0, nfa), K = product(ta.shape(), nfa, ta.shape().size());
  const int64_t N = product(tb.shape(), axesB.size(), tb.shape().size());
  Array a2 = withSpan(span, [&] { return ta.reshape({M, K}); });
  Array b2 = withSpan(span, [&] { return tb.reshape({K, N}); });
  Shape finalShape;
  for (int d : freeA) finalShape.push_back(a.shape()[size_t(d)]);
  for (int d : freeB) finalShape.push_back(b.shape()[size_t(d)]);
  return productInto(in, a2, b2, promote(a.dtype(), b.dtype()), finalShape, fname, span);
}

void requireAligned(const Array& a, int da, const Array& b, int db, Span span) {
  if (a.shape()[size_t(da)] != b.shape()[size_t(db)])
    raise(ErrorKind::Value, span,
          "shapes " + shapeList(a.shape()) + " and " + shapeList(b.shape()) +
              " not aligned: " + std::to_string(a.shape()[size_t(da)]) + " (dim " +
              std::to_string(da) + ") != " + std::to_string(b.shape()[size_t(db)]) + " (dim " +
              std::to_string(db) + ")");
}

bool isZeroDim(Interpreter& in, const Value& v, Span span) {
  if (v.isPyScalar()) return true;
  return toArrayValue(in, v, span).array->shape().empty();
}

Value dot(Interpreter& in, const Value& x, const Value& y, Span span) {
  // A 0-d operand makes dot a multiply (NumPy's rule), which stays lazy.
  if (isZeroDim(in, x, span) || isZeroDim(in, y, span))
    return in.binary(Op::Mul, x.isPyScalar() ? x : toArrayValue(in, x, span),
                     y.isPyScalar() ? y : toArrayValue(in, y, span), span);
  Array a = arrayOf(in, x, span), b = arrayOf(in, y, span);
  const int db = b.ndim() == 1 ? 0 : b.ndim() - 2;
  requireAligned(a, a.ndim() - 1, b, db, span);
  if (a.ndim() <= 2 && b.ndim() <= 2) return matmulArrays(in, a, b, "dot", span);
  return resultValue(in, tensordotArrays(in, a, b, {a.ndim() - 1}, {db}, "dot", span));
}

Value inner(Interpreter& in, const Value& x, const Value& y, Span span) {
  if (isZeroDim(in, x, span) || isZeroDim(in, y, span))
    return in.binary(Op::Mul, x.isPyScalar() ? x : toArrayValue(in, x, span),
                     y.isPyScalar() ? y : toArrayValue(in, y, span), span);
  Array a = arrayOf(in, x, span), b = arrayOf(in, y, span);
  requireAligned(a, a.ndim() - 1, b, b.ndim() - 1, span);
  return resultValue(in, tensordotArrays(in, a, b, {-1}, {-1}, "inner", span));
}

Array flat(const Array& a, Span span) {
  return withSpan(span, [&] { return a.reshape({a.size()}); });
}

Value vdot(Interpreter& in, const Value& x, const Value& y, Span span) {
  Array a = flat(arrayOf(in, x, span), span);
  Array b = arrayOf(in, y, span);
  if (b.size() != a.size())
    raise(ErrorKind::Value, span,
          "cannot reshape array of size " + std::to_string(b.size()) + " into shape " +
              shapeList({a.size()}));
  return matmulArrays(in, a, flat(b, span), "vdot", span);
}

Value outer(Interpreter& in, const Value& x, const Value& y, Span span) {
  Array a = flat(arrayOf(in, x, span), span), b = flat(arrayOf(in, y, span), span);
  return in.binary(Op::Mul, in.materializedValue(a.insertAxis(1)),
                   in.materializedValue(b.insertAxis(0)), span);
}

/// NumPy's kron: a multiply of interleaved views, reshaped (a view of the
/// product, as NumPy's result is).
Value kron(Interpreter& in, const Value& x, const Value& y, Span span) {
  Array b = arrayOf(in, y, span), a = arrayOf(in, x, span);
  while (a.ndim() < b.ndim()) a = a.insertAxis(0); // array(a, ndmin=b.ndim)
  if (a.ndim() == 0 || b.ndim() == 0)
    return in.binary(Op::Mul, in.materializedValue(a), in.materializedValue(b), span);
  while (b.ndim() < a.ndim()) b = b.insertAxis(0);
  const int nd = a.ndim();
  Array ai = a, bi = b;
  for (int d = 0; d < nd; ++d) ai = ai.insertAxis(2 * d + 1); // (a0, 1, a1, 1, ...)
  for (int d = 0; d < nd; ++d) bi = bi.insertAxis(2 * d);     // (1, b0, 1, b1, ...)
  Value prod = in.binary(Op::Mul, in.materializedValue(ai), in.materializedValue(bi), span);
  Array p = in.materialize(prod.array, span);
  Shape shape;
  for (int d = 0; d < nd; ++d) shape.push_back(a.shape()[size_t(d)] * b.shape()[size_t(d)]);
  return in.viewValue(prod.array, withSpan(span, [&] { return p.reshape(shape); }));
}

/// The read-only view of a's diagonal over axis1 and axis2 (appended last).
Array diagonalView(const Array& a, int64_t offset, int64_t axis1, int64_t axis2, Span span) {
  if (a.ndim() < 2)
    raise(ErrorKind::Value, span, "diag requires an array of at least two dimensions");
  const int nd = a.ndim();
  auto axis = [&](int64_t ax, const char* what) {
    if (ax < -nd || ax >= nd)
      raise(ErrorKind::Value, span,
            std::string(what) + ": axis " + std::to_string(ax) +
                " is out of bounds for array of dimension " + std::to_string(nd));
    return int(ax < 0 ? ax + nd : ax);
  };
  const int a1 = axis(axis1, "axis1"), a2 = axis(axis2, "axis2");
  if (a1 == a2) raise(ErrorKind::Value, span, "axis1 and axis2 cannot be the same");
  const int64_t n1 = a.shape()[size_t(a1)], n2 = a.shape()[size_t(a2)];
  const int64_t s1 = a.strides()[size_t(a1)], s2 = a.strides()[size_t(a2)];
  int64_t length = 0, start = a.offset();
  if (offset >= 0 && offset < n2) {
    length = std::min(n1, n2 - offset);
    start += offset * s2;
  } else if (offset < 0 && offset > -n1) {
    length = std::min(n1 + offset, n2);
    start += -offset * s1;
  }
  if (length <= 0) start = a.offset(), length = 0;
  Shape shape;
  Strides strides;
  for (int d = 0; d < nd; ++d)
    if (d != a1 && d != a2) {
      shape.push_back(a.shape()[size_t(d)]);
      strides.push_back(a.strides()[size_t(d)]);
    }
  shape.push_back(length);
  strides.push_back(s1 + s2);
  return withSpan(span, [&] { return a.view(shape, strides, start).readOnly(); });
}

Value diagonal(Interpreter& in, const Value& x, int64_t offset, int64_t axis1, int64_t axis2,
               Span span) {
  Value v = toArrayValue(in, x, span);
  Array a = in.materialize(v.array, span);
  return in.viewValue(v.array, diagonalView(a, offset, axis1, axis2, span));
}

Value trace(Interpreter& in, const Value& x, int64_t offset, int64_t axis1, int64_t axis2,
            const Value& dtype, Span span) {
  Value d = diagonal(in, x, offset, axis1, axis2, span);
  if (std::optional<DType> t = toDType(dtype, span)) d = in.astype(d, *t, span);
  return in.reduce(Op::Sum, d, Value::ofInt(-1), span);
}

Value diag(Interpreter& in, const Value& x, int64_t k, Span span) {
  Value v = toArrayValue(in, x, span);
  const Shape& shape = v.array->shape();
  if (shape.size() == 2) return diagonal(in, v, k, 0, 1, span);
  if (shape.size() != 1) raise(ErrorKind::Value, span, "Input must be 1- or 2-d.");
  const int64_t len = shape[0], n = len + (k < 0 ? -k : k);
  Array r = withSpan(span, [&] { return Array::zeros({n, n}, v.array->dtype()); });
  if (len > 0) {
    const int64_t item = r.itemsize();
    const int64_t start = k >= 0 ? k * item : -k * n * item;
    in.assignInto(r.view({len}, {(n + 1) * item}, start), v, span);
  }
  return in.materializedValue(r);
}

// ---- einsum ----

/// One operand of an einsum with its repeated labels collapsed into one
/// (strided diagonal) axis each.
struct Term {
  Value value; // the collapsed operand (a view of the operand's memory)
  Array array;
  std::string labels;
};

[[noreturn]] void unsupportedEinsum(const std::string& subscripts, const std::string& why,
                                    Span span) {
  raise(ErrorKind::Value, span,
        "einsum subscripts '" + subscripts + "' are not supported in ravel: " + why);
}

Term collapse(Interpreter& in, const Value& operand, const std::string& labels, int index,
              Span span) {
  Value v = toArrayValue(in, operand, span);
  Array a = in.materialize(v.array, span);
  if (int64_t(labels.size()) > a.ndim())
    raise(ErrorKind::Value, span,
          "einstein sum subscripts string contains too many subscripts for operand " +
              std::to_string(index));
  if (int64_t(labels.size()) < a.ndim())
    raise(ErrorKind::Value, span,
          "operand has more dimensions than subscripts given in einstein sum, but no '...' "
          "ellipsis provided to broadcast the extra dimensions.");
  Term t;
  Shape shape;
  Strides strides;
  for (size_t d = 0; d < labels.size(); ++d) {
    size_t at = t.labels.find(labels[d]);
    if (at == std::string::npos) {
      t.labels += labels[d];
      shape.push_back(a.shape()[d]);
      strides.push_back(a.strides()[d]);
    } else {
      if (shape[at] != a.shape()[d])
        raise(ErrorKind::Value, span,
              "dimensions in operand " + std::to_string(index) + " for collapsing index '" +
                  std::string(1, labels[d]) + "' don't match (" + std::to_string(shape[at]) +
                  " != " + std::to_string(a.shape()[d]) + ")");
      strides[at] += a.strides()[d];
    }
  }
  t.array = t.labels.size() == labels.size()
                ? a
                : withSpan(span, [&] { return a.view(shape, strides, a.offset()); });
  t.value = in.viewValue(v.array, t.array);
  return t;
}

/// Sums a term over its labels that `keep` lacks, in `dtype` (NumPy's
/// einsum accumulates in the result dtype: bool sums are logical ors).
Term sumOut(Interpreter& in, Term t, const std::string& keep, DType dtype, Span span) {
  Value axes;
  axes.kind = Value::Kind::Tuple;
  std::string kept;
  for (size_t d = 0; d < t.labels.size(); ++d) {
    if (keep.find(t.labels[d]) == std::string::npos)
      axes.items.push_back(Value::ofInt(int64_t(d)));
    else
      kept += t.labels[d];
  }
  if (axes.items.empty()) return t;
  Value s = in.reduce(Op::Sum, t.value, axes, span);
  if (s.array->dtype() != dtype) s = in.astype(s, dtype, span);
  t.value = s;
  t.array = in.materialize(s.array, span);
  t.labels = kept;
  return t;
}

std::vector<int> permutation(const std::string& from, const std::string& to) {
  std::vector<int> perm;
  for (char c : to) perm.push_back(int(from.find(c)));
  return perm;
}

Value einsum(Interpreter& in, const std::vector<Value>& args, Span span) {
  if (args.empty() || args[0].kind != Value::Kind::Str)
    raise(ErrorKind::Type, span, "einsum(): the first argument must be a subscripts string");
  const std::string subscripts = args[0].name;
  std::string spec;
  for (char c : subscripts)
    if (c != ' ') spec += c;
  if (spec.find('.') != std::string::npos) unsupportedEinsum(subscripts, "no '...' yet", span);
  const size_t arrow = spec.find("->");
  const std::string lhs = spec.substr(0, arrow);
  std::vector<std::string> inputs;
  for (size_t start = 0;;) {
    size_t comma = lhs.find(',', start);
    inputs.push_back(lhs.substr(start, comma == std::string::npos ? comma : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  for (const std::string& s : inputs)
    for (char c : s)
      if (!std::isalpha(static_cast<unsigned char>(c)))
        raise(ErrorKind::Value, span,
              std::string("invalid subscript '") + c +
                  "' in einstein sum subscripts string, subscripts must be letters");
  const size_t nops = args.size() - 1;
  if (nops > inputs.size())
    raise(ErrorKind::Value, span,
          "more operands provided to einstein sum function than specified in the subscripts "
          "string");
  if (nops < inputs.size())
    raise(ErrorKind::Value, span,
          "fewer operands provided to einstein sum function than specified in the subscripts "
          "string");
  std::string out;
  if (arrow != std::string::npos) {
    out = spec.substr(arrow + 2);
    for (size_t i = 0; i < out.size(); ++i) {
      if (!std::isalpha(static_cast<unsigned char>(out[i])))
        raise(ErrorKind::Value, span,
              std::string("invalid subscript '") + out[i] +
                  "' in einstein sum subscripts string, subscripts must be letters");
      if (out.find(out[i], i + 1) != std::string::npos)
        raise(ErrorKind::Value, span,
              std::string("einstein sum subscripts string includes output subscript '") + out[i] +
                  "' multiple times");
      if (lhs.find(out[i]) == std::string::npos)
        raise(ErrorKind::Value, span,
              std::string("einstein sum subscripts string included output subscript '") + out[i] +
                  "' which never appeared in an input");
    }
  } else {
    // Implicit output: the labels that appear once, in alphabetical order
    // (NumPy sorts upper case before lower case, as ASCII does).
    for (char c : lhs)
      if (std::isalpha(static_cast<unsigned char>(c)) && std::count(lhs.begin(), lhs.end(), c) == 1)
        out += c;
    std::sort(out.begin(), out.end());
  }
  if (nops > 2) unsupportedEinsum(subscripts, "at most two operands", span);
  std::vector<Term> terms;
  for (size_t i = 0; i < nops; ++i)
    terms.push_back(collapse(in, args[i + 1], inputs[i], int(i), span));
  DType dtype = terms[0].array.dtype();
  for (const Term& t : terms) dtype = promote(dtype, t.array.dtype());

  if (nops == 1) {
    Term t = sumOut(in, terms[0], out, dtype, span);
    Array r = withSpan(span, [&] { return t.array.transpose(permutation(t.labels, out)); });
    if (t.value.array == terms[0].value.array) // no sum: a view of the operand
      return in.viewValue(terms[0].value.array, r);
    return resultValue(in, r.copy());
  }

  // Two operands: sizes of shared labels must agree, or one of them be 1,
  // which broadcasts (a stride-0 view, as NumPy's einsum iterates it).
  Term &a = terms[0], &b = terms[1];
  for (size_t i = 0; i < a.labels.size(); ++i) {
    size_t j = b.labels.find(a.labels[i]);
    if (j == std::string::npos) continue;
    const int64_t na = a.array.shape()[i], nb = b.array.shape()[j];
    if (na == nb) continue;
    if (na == 1 || nb == 1) {
      Term& one = na == 1 ? a : b;
      Shape shape = one.array.shape();
      shape[na == 1 ? i : j] = std::max(na, nb);
      one.array = withSpan(span, [&] { return one.array.broadcastTo(shape); });
      one.value = in.materializedValue(one.array);
      continue;
    }
    raise(ErrorKind::Value, span,
          "operands could not be broadcast together with remapped shapes "
          "[original->remapped]: " +
              shapeList(a.array.shape()) + " " + shapeList(b.array.shape()) + " (label '" +
              std::string(1, a.labels[i]) + "' is " + std::to_string(na) + " in operand 0 and " +
              std::to_string(nb) + " in operand 1)");
  }
  // Labels only one operand has and the output lacks are summed out first.
  std::string keepA = out + b.labels, keepB = out + a.labels;
  Term ta = sumOut(in, a, keepA, dtype, span), tb = sumOut(in, b, keepB, dtype, span);
  if (std::none_of(ta.labels.begin(), ta.labels.end(),
                   [&](char c) { return out.find(c) == std::string::npos; })) {
    // Nothing to contract (`ij,ij->ij`, `i,j->ij`): a broadcast multiply of
    // the operands laid out in the output's label order, which stays lazy.
    auto spread = [&](const Term& t) {
      std::string order;
      for (char c : out)
        if (t.labels.find(c) != std::string::npos) order += c;
      Array x = t.array.transpose(permutation(t.labels, order));
      for (size_t d = 0; d < out.size(); ++d)
        if (t.labels.find(out[d]) == std::string::npos) x = x.insertAxis(int(d));
      return in.astype(in.materializedValue(x), dtype, span);
    };
    return in.binary(Op::Mul, spread(ta), spread(tb), span);
  }
  std::string batch, contract, freeA, freeB;
  for (char c : out) {
    bool inA = ta.labels.find(c) != std::string::npos, inB = tb.labels.find(c) != std::string::npos;
    if (inA && inB)
      batch += c;
    else if (inA)
      freeA += c;
    else
      freeB += c;
  }
  for (char c : ta.labels)
    if (out.find(c) == std::string::npos) contract += c;
  auto sizeOf = [&](char c) {
    size_t i = ta.labels.find(c);
    if (i != std::string::npos) return ta.array.shape()[i];
    return tb.array.shape()[tb.labels.find(c)];
  };
  auto sizes = [&](const std::string& ls) {
    int64_t p = 1;
    for (char c : ls) p *= sizeOf(c);
    return p;
  };
  const int64_t nb = sizes(batch), m = sizes(freeA), k = sizes(contract), n = sizes(freeB);
  Array a3 = withSpan(span, [&] {
    return ta.array.transpose(permutation(ta.labels, batch + freeA + contract)).reshape({nb, m, k});
  });
  Array b3 = withSpan(span, [&] {
    return tb.array.transpose(permutation(tb.labels, batch + contract + freeB)).reshape({nb, k, n});
  });
  const std::string order = batch + freeA + freeB;
  Shape shape;
  for (char c : order) shape.push_back(sizeOf(c));
  Array r = productInto(in, a3, b3, dtype, shape, "einsum", span);
  if (order != out) r = r.transpose(permutation(order, out)).copy();
  return resultValue(in, r);
}

std::vector<int64_t> axisList(const Value& v, Span span) {
  if (v.kind == Value::Kind::Tuple || v.kind == Value::Kind::List) return toIntList(v, span);
  return {toInt(v, span)};
}

Value tensordot(Interpreter& in, const Value& x, const Value& y, const Value& axes, Span span) {
  Array a = arrayOf(in, x, span), b = arrayOf(in, y, span);
  std::vector<int64_t> axesA, axesB;
  if (axes.kind == Value::Kind::Tuple || axes.kind == Value::Kind::List) {
    if (axes.items.size() != 2)
      raise(ErrorKind::Value, span, "tensordot: axes must be an int or a pair of axis lists");
    axesA = axisList(axes.items[0], span);
    axesB = axisList(axes.items[1], span);
  } else {
    const int64_t n = toInt(axes, span);
    if (n < 0 || n > a.ndim() || n > b.ndim())
      raise(ErrorKind::Value, span, "shape-mismatch for sum");
    for (int64_t i = 0; i < n; ++i) {
      axesA.push_back(a.ndim() - n + i);
      axesB.push_back(i);
    }
  }
  return resultValue(in, tensordotArrays(in, a, b, axesA, axesB, "tensordot", span));
}

/// matmul(..., out=o): the product (computed into its own memory first, so
/// an `out` that is also an operand reads the old values, as NumPy's
/// buffered gufunc does) written into o; o's core axes must be the
/// product's and its batch axes may broadcast it. Returns o.
Value matmulOut(Interpreter& in, const Array& r, const Value& out, Span span) {
  if (!out.isArray() || out.array->isScalar)
    raise(ErrorKind::Type, span, "return arrays must be of ArrayType");
  Array o = in.materialize(out.array, span);
  const int cores = std::min(r.ndim(), 2);
  if (o.ndim() < cores)
    raise(ErrorKind::Value, span,
          "matmul: Output operand 0 does not have enough dimensions (has " +
              std::to_string(o.ndim()) + ", gufunc core with signature " + kMatmulSignature +
              " requires " + std::to_string(cores) + ")");
  for (int c = 0; c < cores; ++c) {
    const int64_t want = r.shape()[size_t(r.ndim() - cores + c)];
    const int64_t got = o.shape()[size_t(o.ndim() - cores + c)];
    if (want != got)
      raise(ErrorKind::Value, span,
            "matmul: Output operand 0 has a mismatch in its core dimension " + std::to_string(c) +
                ", with gufunc signature " + kMatmulSignature + " (size " + std::to_string(got) +
                " is different from " + std::to_string(want) + ")");
  }
  if (!canCastSameKind(r.dtype(), o.dtype()))
    raise(ErrorKind::Type, span,
          "Cannot cast ufunc 'matmul' output from dtype('" + std::string(dtypeName(r.dtype())) +
              "') to dtype('" + std::string(dtypeName(o.dtype())) +
              "') with casting rule 'same_kind'");
  in.assignInto(o, in.materializedValue(r), span);
  return out;
}

} // namespace

Value matmulOperator(Interpreter& in, const Value& a, const Value& b, Span span) {
  if (!a.isArray() && !b.isArray())
    raise(ErrorKind::Type, span,
          std::string("unsupported operand type(s) for @: '") + typeName(a) + "' and '" +
              typeName(b) + "'");
  return matmulArrays(in, arrayOf(in, a, span), arrayOf(in, b, span), "matmul", span);
}

Value matmulAddOperator(Interpreter& in, const Value& a, const Value& b, const Value& c,
                        Span matmulSpan, Span addSpan, bool addendFirst) {
  // The add is the product's epilogue: fusion folds it into gemm's beta,
  // or runs it (with whatever else consumes the sum) on each row panel.
  Value product = matmulOperator(in, a, b, matmulSpan);
  return addendFirst ? in.binary(Op::Add, c, product, addSpan)
                     : in.binary(Op::Add, product, c, addSpan);
}

Value builtinMatmul(BuiltinCall& c) {
  auto a = c.bind({{"x1", {}}, {"x2", {}}, {"out", kNone}});
  Value r = matmulArrays(c.in, arrayOf(c.in, a[0], c.span), arrayOf(c.in, a[1], c.span), "matmul",
                         c.span);
  if (a[2].kind == Value::Kind::None) return r;
  return matmulOut(c.in, c.in.materialize(r.array, c.span), a[2], c.span);
}

Value builtinDot(BuiltinCall& c) {
  auto a = c.bind({{"a", {}}, {"b", {}}, {"out", kNone}});
  if (a[2].kind != Value::Kind::None)
    raise(ErrorKind::Type, c.span, "dot: out= is not supported in ravel");
  return dot(c.in, a[0], a[1], c.span);
}

Value builtinTrace(BuiltinCall& c) {
  auto a = c.bind({{"a", {}},
                   {"offset", Value::ofInt(0)},
                   {"axis1", Value::ofInt(0)},
                   {"axis2", Value::ofInt(1)},
                   {"dtype", kNone}});
  return trace(c.in, a[0], toInt(a[1], c.span), toInt(a[2], c.span), toInt(a[3], c.span), a[4],
               c.span);
}

Value builtinDiagonal(BuiltinCall& c) {
  auto a = c.bind({{"a", {}},
                   {"offset", Value::ofInt(0)},
                   {"axis1", Value::ofInt(0)},
                   {"axis2", Value::ofInt(1)}});
  return diagonal(c.in, a[0], toInt(a[1], c.span), toInt(a[2], c.span), toInt(a[3], c.span),
                  c.span);
}

Value builtinVdot(BuiltinCall& c) {
  auto a = c.bind({{"a", {}}, {"b", {}}});
  return vdot(c.in, a[0], a[1], c.span);
}

Value builtinInner(BuiltinCall& c) {
  auto a = c.bind({{"a", {}}, {"b", {}}});
  return inner(c.in, a[0], a[1], c.span);
}

Value builtinOuter(BuiltinCall& c) {
  auto a = c.bind({{"a", {}}, {"b", {}}});
  return outer(c.in, a[0], a[1], c.span);
}

Value builtinKron(BuiltinCall& c) {
  auto a = c.bind({{"a", {}}, {"b", {}}});
  return kron(c.in, a[0], a[1], c.span);
}

Value builtinTensordot(BuiltinCall& c) {
  auto a = c.bind({{"a", {}}, {"b", {}}, {"axes", Value::ofInt(2)}});
  return tensordot(c.in, a[0], a[1], a[2], c.span);
}

Value builtinDiag(BuiltinCall& c) {
  auto a = c.bind({{"v", {}}, {"k", Value::ofInt(0)}});
  return diag(c.in, a[0], toInt(a[1], c.span), c.span);
}

Value builtinEinsum(BuiltinCall& c) {
  // optimize= picks NumPy's contraction order; with at most two operands
  // there is one order, so it changes nothing here.
  for (const auto& [key, value] : c.kwargs)
    if (key != "optimize")
      raise(ErrorKind::Type, c.span,
            "einsum: keyword argument '" + key + "' is not supported in ravel");
  return einsum(c.in, c.args, c.span);
}

} // namespace ravel::exec
