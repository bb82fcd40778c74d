// numpy.linalg: NumPy's signatures, input checks, dtype rules and result
// shapes around the LAPACK drivers of runtime/Lapack. Integer and bool
// inputs compute in float64 as NumPy does; float32 inputs give float32
// results (computed in float64, then rounded). Errors are LinAlgError with
// NumPy's text, at the call's span.
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"
#include "compiler/sema/Names.h"

#include "runtime/Lapack.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <type_traits>

namespace ravel::exec {
namespace {

[[noreturn]] void linAlgError(Span span, const std::string& msg) {
  raise(ErrorKind::LinAlg, span, msg);
}

/// A stack of identity matrices (ones on each matrix's main diagonal) of
/// the given shape and dtype.
Array identityStack(const Shape& shape, DType dtype) {
  Array eye = Array::zeros(shape, dtype);
  const int64_t m = shape[shape.size() - 2], n = shape[shape.size() - 1];
  const int64_t count = m * n == 0 ? 0 : eye.size() / (m * n);
  Array flat = eye.reshape({count, m, n});
  for (int64_t c = 0; c < count; ++c)
    for (int64_t i = 0; i < std::min(m, n); ++i)
      flat.setAt({c, i, i}, Scalar::ofInt(1).castTo(dtype));
  return eye;
}

/// In a dry run (explain) arrays hold no computed values, and LAPACK on
/// them could fail (a "singular" matrix) or not converge: it runs on
/// identity matrices of the same shapes instead, which every function
/// accepts, so the planning sees the real result shapes.
Array dryRunStandIn(const Array& a) {
  if (a.ndim() < 2) return Array::ones(a.shape(), a.dtype());
  return identityStack(a.shape(), a.dtype());
}

Array input(Interpreter& in, const Value& v, Span span) {
  Value a = toArrayValue(in, v, span);
  Array data = in.materialize(a.array, span);
  return in.dryRun() ? dryRunStandIn(data) : data;
}

/// NumPy's result dtype for an input of dtype t: float32 stays, everything
/// else is float64.
DType floatResult(DType t) {
  return t == DType::Float32 ? DType::Float32 : DType::Float64;
}

/// A float64 C-contiguous copy LAPACK can read.
Array asWork(const Array& a) {
  return a.astype(DType::Float64);
}

/// A result in dtype t: a 0-d result is a NumPy scalar, as NumPy returns.
Value result(Interpreter& in, const Array& r, DType t) {
  Array out = r.dtype() == t ? r : r.astype(t);
  return in.materializedValue(out, out.ndim() == 0);
}

void assertStacked2d(const Array& a, Span span) {
  if (a.ndim() < 2)
    linAlgError(span, std::to_string(a.ndim()) +
                          "-dimensional array given. Array must be at least two-dimensional");
}
void assert2d(const Array& a, Span span) {
  if (a.ndim() != 2)
    linAlgError(span, std::to_string(a.ndim()) +
                          "-dimensional array given. Array must be two-dimensional");
}
void assertStackedSquare(const Array& a, Span span) {
  assertStacked2d(a, span);
  if (a.shape()[a.ndim() - 1] != a.shape()[a.ndim() - 2])
    linAlgError(span, "Last 2 dimensions of the array must be square");
}

/// A stacked square float input, checked, as float64 work plus its result dtype.
std::pair<Array, DType> squareInput(Interpreter& in, const Value& v, Span span) {
  Array a = input(in, v, span);
  assertStackedSquare(a, span);
  return {asWork(a), floatResult(a.dtype())};
}

Shape stackOf(const Array& a) {
  return Shape(a.shape().begin(), a.shape().end() - 2);
}

Shape broadcastShapes(const Shape& x, const Shape& y, Span span) {
  const size_t n = std::max(x.size(), y.size());
  Shape out(n);
  for (size_t i = 0; i < n; ++i) {
    int64_t a = i < n - x.size() ? 1 : x[i - (n - x.size())];
    int64_t b = i < n - y.size() ? 1 : y[i - (n - y.size())];
    if (a != b && a != 1 && b != 1)
      raise(ErrorKind::Value, span, "the stacks of the operands could not be broadcast together");
    out[i] = a == 1 ? b : a;
  }
  return out;
}

/// a broadcast to a stack shape, as a fresh float64 C-contiguous array.
Array stackedTo(const Array& a, const Shape& stack) {
  Shape s = stack;
  s.push_back(a.shape()[a.ndim() - 2]);
  s.push_back(a.shape()[a.ndim() - 1]);
  return a.broadcastTo(s).astype(DType::Float64);
}

template <class F> auto lapackCall(Span span, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
}

double* f64(const Array& a) {
  return reinterpret_cast<double*>(a.data());
}

/// NumPy's _commonType of two inputs: float32 only when both are float32.
DType commonFloat(DType a, DType b) {
  return a == DType::Float32 && b == DType::Float32 ? DType::Float32 : DType::Float64;
}

Value solve(Interpreter& in, std::vector<Value>& args, Kwargs& kwargs, Span span) {
  auto p = bindArgs("solve", args, kwargs, {{"a", {}}, {"b", {}}}, span);
  Array a = input(in, p[0], span), b = input(in, p[1], span);
  assertStackedSquare(a, span);
  const DType t = commonFloat(a.dtype(), b.dtype());
  const int64_t n = a.shape()[a.ndim() - 1];
  // NumPy's rule: b is a stack of vectors when it has one axis fewer than a.
  const bool vector = b.ndim() == a.ndim() - 1;
  if (vector) b = b.insertAxis(b.ndim());
  if (b.ndim() < 2 || b.shape()[b.ndim() - 2] != n)
    raise(ErrorKind::Value, span,
          std::string(vector ? "solve1" : "solve") +
              ": Input operand 1 has a mismatch in its core dimension 0, with gufunc signature " +
              (vector ? "(m,m),(m)->(m)" : "(m,m),(m,n)->(m,n)") + " (size " +
              std::to_string(b.ndim() < 2 ? 1 : b.shape()[b.ndim() - 2]) + " is different from " +
              std::to_string(n) + ")");
  const Shape stack = broadcastShapes(stackOf(a), stackOf(b), span);
  Array x =
      lapackCall(span, [&] { return lapack::solve(stackedTo(a, stack), stackedTo(b, stack)); });
  if (vector) {
    Shape s = x.shape();
    s.pop_back();
    x = x.reshape(s);
  }
  return result(in, x, t);
}

Value inv(Interpreter& in, std::vector<Value>& args, Kwargs& kwargs, Span span) {
  auto p = bindArgs("inv", args, kwargs, {{"a", {}}}, span);
  auto [a, t] = squareInput(in, p[0], span);
  return result(in, lapackCall(span, [&] { return lapack::inverse(a); }), t);
}

Value slogdet(Interpreter& in, std::vector<Value>& args, Kwargs& kwargs, Span span, bool det) {
  auto p = bindArgs(det ? "det" : "slogdet", args, kwargs, {{"a", {}}}, span);
  auto [a, t] = squareInput(in, p[0], span);
  std::vector<Array> sl = lapackCall(span, [&] { return lapack::slogdet(a); });
  if (!det) return Value::ofTuple({result(in, sl[0], t), result(in, sl[1], t)});
  // NumPy's det is sign * exp(log|det|), not the product of the pivots.
  Array d = Array::empty(sl[0].shape(), DType::Float64);
  for (int64_t i = 0; i < d.size(); ++i) f64(d)[i] = f64(sl[0])[i] * std::exp(f64(sl[1])[i]);
  return result(in, d, t);
}

Value cholesky(Interpreter& in, std::vector<Value>& args, Kwargs& kwargs, Span span) {
  auto p = bindArgs("cholesky", args, kwargs, {{"a", {}}}, span);
  auto [a, t] = squareInput(in, p[0], span);
  return result(in, lapackCall(span, [&] { return lapack::cholesky(a); }), t);
}

std::string strArg(const Value& v, const char* what, Span span) {
  if (v.kind != Value::Kind::Str)
    raise(ErrorKind::Type, span, std::string(what) + " must be a str, not " + typeName(v));
  return v.name;
}

Value qr(Interpreter& in, std::vector<Value>& args, Kwargs& kwargs, Span span) {
  auto p = bindArgs("qr", args, kwargs, {{"a", {}}, {"mode", Value::ofStr("reduced")}}, span);
  const std::string mode = strArg(p[1], "mode", span);
  if (mode != "reduced" && mode != "complete" && mode != "r") {
    if (mode == "raw" || mode == "full" || mode == "economic" || mode == "f" || mode == "e")
      raise(ErrorKind::Value, span, "qr mode '" + mode + "' is not supported in ravel");
    raise(ErrorKind::Value, span, "Unrecognized mode '" + mode + "'");
  }
  Array a = input(in, p[0], span);
  assertStacked2d(a, span);
  const DType t = floatResult(a.dtype());
  std::vector<Array> f = lapackCall(span, [&] { return lapack::qr(asWork(a), mode); });
  if (mode == "r") return result(in, f[0], t);
  return Value::ofTuple({result(in, f[0], t), result(in, f[1], t)});
}

char uploArg(const Value& v, Span span) {
  const std::string u = strArg(v, "UPLO", span);
  if (u != "L" && u != "U") raise(ErrorKind::Value, span, "UPLO argument must be 'L' or 'U'");
  return u[0];
}

Value eigh(Interpreter& in, std::vector<Value>& args, Kwargs& kwargs, Span span, bool vectors) {
  auto p = bindArgs(vectors ? "eigh" : "eigvalsh", args, kwargs,
                    {{"a", {}}, {"UPLO", Value::ofStr("L")}}, span);
  const char uplo = uploArg(p[1], span);
  auto [a, t] = squareInput(in, p[0], span);
  std::vector<Array> f = lapackCall(span, [&] { return lapack::eigh(a, uplo, vectors); });
  if (!vectors) return result(in, f[0], t);
  return Value::ofTuple({result(in, f[0], t), result(in, f[1], t)});
}

Value eig(Interpreter& in, std::vector<Value>& args, Kwargs& kwargs, Span span, bool vectors) {
  auto p = bindArgs(vectors ? "eig" : "eigvals", args, kwargs, {{"a", {}}}, span);
  auto [a, t] = squareInput(in, p[0], span);
  // NumPy's _assert_finite: geev would only complain about an argument on
  // stdout and return garbage.
  for (int64_t i = 0; i < a.size(); ++i)
    if (!std::isfinite(f64(a)[i])) linAlgError(span, "Array must not contain infs or NaNs");
  std::vector<Array> f = lapackCall(span, [&] { return lapack::eig(a, vectors); });
  if (!vectors) return result(in, f[0], t);
  return Value::ofTuple({result(in, f[0], t), result(in, f[1], t)});
}

bool truthy(const Value& v, Span span) {
  if (v.kind == Value::Kind::Bool) return v.b;
  return toInt(v, span, "a bool") != 0;
}

Value svd(Interpreter& in, std::vector<Value>& args, Kwargs& kwargs, Span span) {
  auto p = bindArgs("svd", args, kwargs,
                    {{"a", {}},
                     {"full_matrices", Value::ofBool(true)},
                     {"compute_uv", Value::ofBool(true)},
                     {"hermitian", Value::ofBool(false)}},
                    span);
  Array a = input(in, p[0], span);
  assertStacked2d(a, span);
  const DType t = floatResult(a.dtype());
  const bool full = truthy(p[1], span), uv = truthy(p[2], span);
  if (truthy(p[3], span))
    raise(ErrorKind::Value, span, "svd(hermitian=True) is not supported in ravel");
  std::vector<Array> f = lapackCall(span, [&] { return lapack::svd(asWork(a), full, uv); });
  if (!uv) return result(in, f[0], t);
  return Value::ofTuple({result(in, f[0], t), result(in, f[1], t), result(in, f[2], t)});
}

Value lstsq(Interpreter& in, std::vector<Value>& args, Kwargs& kwargs, Span span) {
  auto p = bindArgs("lstsq", args, kwargs, {{"a", {}}, {"b", {}}, {"rcond", Value::ofStr("warn")}},
                    span);
  Array a = input(in, p[0], span), b = input(in, p[1], span);
  const bool vector = b.ndim() == 1;
  if (vector) b = b.insertAxis(1);
  assert2d(a, span);
  assert2d(b, span);
  const int64_t m = a.shape()[0], n = a.shape()[1];
  if (b.shape()[0] != m) linAlgError(span, "Incompatible dimensions");
  const DType t =
      a.dtype() == DType::Float32 && b.dtype() == DType::Float32 ? DType::Float32 : DType::Float64;
  double rcond = -1; // "warn": LAPACK's own machine precision
  if (p[2].kind == Value::Kind::None)
    rcond = (t == DType::Float32 ? double(std::numeric_limits<float>::epsilon())
                                 : std::numeric_limits<double>::epsilon()) *
            double(std::max(m, n));
  else if (p[2].kind != Value::Kind::Str)
    rcond = toFloat(in, p[2], span);
  std::vector<Array> f =
      lapackCall(span, [&] { return lapack::lstsq(asWork(a), asWork(b), rcond); });
  Array x = f[0];
  if (vector) x = x.reshape({n});
  return Value::ofTuple({result(in, x, t), result(in, f[1], t), in.materializedValue(f[2], true),
                         result(in, f[3], t)});
}

/// Transposes the last two axes into a fresh C-contiguous copy.
Array swapLast(const Array& a) {
  std::vector<int> perm(a.ndim());
  for (int i = 0; i < a.ndim(); ++i) perm[i] = i;
  std::swap(perm[a.ndim() - 1], perm[a.ndim() - 2]);
  return a.transpose(perm).copy();
}

Value pinv(Interpreter& in, std::vector<Value>& args, Kwargs& kwargs, Span span) {
  auto p = bindArgs(
      "pinv", args, kwargs,
      {{"a", {}}, {"rcond", Value::ofFloat(1e-15)}, {"hermitian", Value::ofBool(false)}}, span);
  Array a = input(in, p[0], span);
  assertStacked2d(a, span);
  const int64_t m = a.shape()[a.ndim() - 2], n = a.shape()[a.ndim() - 1];
  if (m == 0 || n == 0) {
    // NumPy returns an empty result of the input's own dtype here.
    Shape s = stackOf(a);
    s.push_back(n);
    s.push_back(m);
    return in.materializedValue(Array::empty(s, a.dtype()));
  }
  if (truthy(p[2], span))
    raise(ErrorKind::Value, span, "pinv(hermitian=True) is not supported in ravel");
  const double rcond = toFloat(in, p[1], span);
  const DType t = floatResult(a.dtype());
  std::vector<Array> f = lapackCall(span, [&] { return lapack::svd(asWork(a), false, true); });
  // pinv = V diag(1/s) U^T, dropping singular values at or below rcond * max(s).
  Array u = f[0], s = f[1], vt = f[2];
  const int64_t k = std::min(m, n);
  Array ut = swapLast(u); // (..., k, m)
  for (int64_t st = 0; st < s.size() / std::max<int64_t>(k, 1); ++st) {
    const double* sv = f64(s) + st * k;
    const double cutoff = rcond * *std::max_element(sv, sv + k);
    for (int64_t i = 0; i < k; ++i) {
      const double scale = sv[i] > cutoff ? 1.0 / sv[i] : 0.0;
      double* row = f64(ut) + (st * k + i) * m;
      for (int64_t j = 0; j < m; ++j) row[j] *= scale;
    }
  }
  Array r = lapack::matmul(swapLast(vt), ut);
  if (t == DType::Float32) r = r.astype(DType::Float32);
  return in.materializedValue(r, false);
}

Value matrixRank(Interpreter& in, std::vector<Value>& args, Kwargs& kwargs, Span span) {
  auto p = bindArgs("matrix_rank", args, kwargs,
                    {{"A", {}}, {"tol", kNone}, {"hermitian", Value::ofBool(false)}}, span);
  Array a = input(in, p[0], span);
  if (a.ndim() < 2) {
    Array d = asWork(a);
    bool any = false;
    for (int64_t i = 0; i < d.size(); ++i) any = any || f64(d)[i] != 0;
    return Value::ofInt(any ? 1 : 0);
  }
  const DType t = floatResult(a.dtype());
  Array s = lapackCall(span, [&] { return lapack::svd(asWork(a), false, false)[0]; });
  // The tolerance is in the singular values' own dtype.
  if (t == DType::Float32) s = s.astype(DType::Float32).astype(DType::Float64);
  const int64_t k = s.shape().back();
  const double eps = t == DType::Float32 ? double(std::numeric_limits<float>::epsilon())
                                         : std::numeric_limits<double>::epsilon();
  const int64_t m = a.shape()[a.ndim() - 2], n = a.shape()[a.ndim() - 1];
  std::optional<double> tol;
  if (p[1].kind != Value::Kind::None) tol = toFloat(in, p[1], span);
  Shape rs = stackOf(a);
  Array rank = Array::empty(rs, DType::Int64);
  for (int64_t st = 0; st < rank.size(); ++st) {
    const double* sv = f64(s) + st * k;
    if (k == 0 && !tol)
      raise(ErrorKind::Value, span,
            "zero-size array to reduction operation maximum which has no identity");
    const double cut = tol ? *tol : *std::max_element(sv, sv + k) * double(std::max(m, n)) * eps;
    int64_t r = 0;
    for (int64_t i = 0; i < k; ++i) r += sv[i] > cut;
    reinterpret_cast<int64_t*>(rank.data())[st] = r;
  }
  return in.materializedValue(rank, rank.ndim() == 0);
}

// ---- products for matrix_power and multi_dot ------------------------------
// A private matrix product until the products group (compiler/exec/Products)
// exists: float64/float32 on cblas_dgemm, integers and bools in a loop that
// wraps like NumPy's. It should later call that group's code.

DType productDType(DType a, DType b) {
  auto isInt = [](DType t) { return t == DType::Int32 || t == DType::Int64; };
  if (a == b) return a;
  if (a == DType::Float64 || b == DType::Float64) return DType::Float64;
  if (a == DType::Float32 || b == DType::Float32)
    return isInt(a) || isInt(b) ? DType::Float64 : DType::Float32;
  if (a == DType::Int64 || b == DType::Int64) return DType::Int64;
  return DType::Int32; // int32 with bool
}

template <class T> void intProduct(const Array& a, const Array& b, Array& c) {
  const int64_t m = a.shape()[0], k = a.shape()[1], n = b.shape()[1];
  const T* x = reinterpret_cast<const T*>(a.data());
  const T* y = reinterpret_cast<const T*>(b.data());
  T* z = reinterpret_cast<T*>(c.data());
  using U = std::make_unsigned_t<T>; // wraps on overflow, as NumPy's does
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      U acc = 0;
      for (int64_t l = 0; l < k; ++l) acc += U(x[i * k + l]) * U(y[l * n + j]);
      z[i * n + j] = T(acc);
    }
}

/// (m, k) @ (k, n) of two 2-d arrays, in their promoted dtype.
Array product(const Array& a0, const Array& b0) {
  const DType t = productDType(a0.dtype(), b0.dtype());
  const int64_t m = a0.shape()[0], n = b0.shape()[1];
  if (t == DType::Float64 || t == DType::Float32) {
    Array c = lapack::matmul(a0.astype(DType::Float64), b0.astype(DType::Float64));
    return t == DType::Float32 ? c.astype(DType::Float32) : c;
  }
  Array a = a0.astype(t), b = b0.astype(t);
  Array c = Array::empty({m, n}, t);
  if (t == DType::Int64)
    intProduct<int64_t>(a, b, c);
  else if (t == DType::Int32)
    intProduct<int32_t>(a, b, c);
  else {
    const int64_t k = a.shape()[1];
    const bool* x = reinterpret_cast<const bool*>(a.data());
    const bool* y = reinterpret_cast<const bool*>(b.data());
    bool* z = reinterpret_cast<bool*>(c.data());
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        bool acc = false;
        for (int64_t l = 0; l < k && !acc; ++l) acc = x[i * k + l] && y[l * n + j];
        z[i * n + j] = acc;
      }
  }
  return c;
}

/// product over a stack of square matrices.
Array stackedProduct(const Array& a, const Array& b) {
  if (a.ndim() == 2) return product(a, b);
  const int64_t n = a.shape().back();
  const int64_t count = a.size() / std::max<int64_t>(n * n, 1);
  Array ra = a.reshape({count, n, n}), rb = b.reshape({count, n, n});
  Array out = Array::empty({count, n, n}, productDType(a.dtype(), b.dtype()));
  for (int64_t i = 0; i < count; ++i)
    out.indexAxis(0, i).assign(product(ra.indexAxis(0, i), rb.indexAxis(0, i)));
  return out.reshape(a.shape());
}

Value matrixPower(Interpreter& in, std::vector<Value>& args, Kwargs& kwargs, Span span) {
  auto p = bindArgs("matrix_power", args, kwargs, {{"a", {}}, {"n", {}}}, span);
  Array a = input(in, p[0], span);
  assertStackedSquare(a, span);
  if (p[1].kind != Value::Kind::Int && p[1].kind != Value::Kind::Bool &&
      !(p[1].isArray() && p[1].array->isScalar &&
        (p[1].array->dtype() == DType::Int32 || p[1].array->dtype() == DType::Int64)))
    raise(ErrorKind::Type, span, "exponent must be an integer");
  int64_t n = toInt(p[1], span);
  if (n == 0) return in.materializedValue(identityStack(a.shape(), a.dtype()));
  if (n < 0) {
    a = lapackCall(span, [&] { return lapack::inverse(asWork(a)); }).astype(floatResult(a.dtype()));
    n = -n;
  }
  // NumPy's order of products, so rounding matches: n = 1, 2, 3 directly,
  // then binary decomposition.
  if (n == 1) return in.materializedValue(a.copy());
  if (n == 2) return in.materializedValue(stackedProduct(a, a));
  if (n == 3) return in.materializedValue(stackedProduct(stackedProduct(a, a), a));
  Array z, res;
  while (n > 0) {
    z = z.valid() ? stackedProduct(z, z) : a;
    const bool bit = n % 2;
    n /= 2;
    if (bit) res = res.valid() ? stackedProduct(res, z) : z;
  }
  return in.materializedValue(res.copy());
}

Value multiDot(Interpreter& in, std::vector<Value>& args, Kwargs& kwargs, Span span) {
  auto p = bindArgs("multi_dot", args, kwargs, {{"arrays", {}}, {"out", kNone}}, span);
  if (p[0].kind != Value::Kind::List && p[0].kind != Value::Kind::Tuple)
    raise(ErrorKind::Type, span, "multi_dot() takes a list or tuple of arrays");
  if (p[1].kind != Value::Kind::None)
    raise(ErrorKind::Value, span, "multi_dot(out=...) is not supported in ravel");
  std::vector<Array> as;
  for (const Value& v : p[0].items) as.push_back(input(in, v, span));
  const size_t count = as.size();
  if (count < 2) raise(ErrorKind::Value, span, "Expecting at least two arrays.");
  const int firstNdim = as.front().ndim(), lastNdim = as.back().ndim();
  if (firstNdim == 1) as.front() = as.front().insertAxis(0);
  if (lastNdim == 1) as.back() = as.back().insertAxis(1);
  for (const Array& a : as) assert2d(a, span);
  for (size_t i = 0; i + 1 < count; ++i)
    if (as[i].shape()[1] != as[i + 1].shape()[0])
      raise(ErrorKind::Value, span,
            "shapes (" + std::to_string(as[i].shape()[0]) + "," + std::to_string(as[i].shape()[1]) +
                ") and (" + std::to_string(as[i + 1].shape()[0]) + "," +
                std::to_string(as[i + 1].shape()[1]) +
                ") not aligned: " + std::to_string(as[i].shape()[1]) +
                " (dim 1) != " + std::to_string(as[i + 1].shape()[0]) + " (dim 0)");
  // The cheapest parenthesization (NumPy's matrix-chain dynamic program; its
  // tie-breaking, so the order of rounding is the same).
  std::vector<double> dims;
  for (const Array& a : as) dims.push_back(double(a.shape()[0]));
  dims.push_back(double(as.back().shape()[1]));
  std::vector<std::vector<double>> cost(count, std::vector<double>(count, 0));
  std::vector<std::vector<size_t>> split(count, std::vector<size_t>(count, 0));
  if (count == 3) {
    const double a0 = dims[0], a1b0 = dims[1], b1c0 = dims[2], c1 = dims[3];
    const double cost1 = a0 * b1c0 * (a1b0 + c1), cost2 = a1b0 * c1 * (a0 + b1c0);
    split[0][2] = cost1 < cost2 ? 1 : 0;
    split[0][1] = 0;
    split[1][2] = 1;
  } else {
    for (size_t l = 1; l < count; ++l)
      for (size_t i = 0; i + l < count; ++i) {
        const size_t j = i + l;
        cost[i][j] = INFINITY;
        for (size_t k = i; k < j; ++k) {
          const double q = cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1];
          if (q < cost[i][j]) {
            cost[i][j] = q;
            split[i][j] = k;
          }
        }
      }
  }
  std::function<Array(size_t, size_t)> chain = [&](size_t i, size_t j) -> Array {
    if (i == j) return as[i];
    return product(chain(i, split[i][j]), chain(split[i][j] + 1, j));
  };
  Array r = count == 2 ? product(as[0], as[1]) : chain(0, count - 1);
  if (firstNdim == 1 && lastNdim == 1) return in.materializedValue(r.reshape({}), true);
  if (firstNdim == 1 || lastNdim == 1) return in.materializedValue(r.reshape({r.size()}));
  return in.materializedValue(r);
}

// ---- norm and cond ---------------------------------------------------------

/// An ord= argument: None, a number (inf included) or a string.
struct Ord {
  enum class Kind { None, Number, Str } kind = Kind::None;
  double p = 0;
  std::string s;
};

Ord toOrd(Interpreter& in, const Value& v, Span span) {
  Ord o;
  if (v.kind == Value::Kind::None) return o;
  if (v.kind == Value::Kind::Str) {
    o.kind = Ord::Kind::Str;
    o.s = v.name;
    return o;
  }
  o.kind = Ord::Kind::Number;
  o.p = toFloat(in, v, span);
  return o;
}

/// The p-norm of n values at stride 1.
double vectorNorm(const double* x, int64_t n, const Ord& o, Span span) {
  if (o.kind == Ord::Kind::None || o.p == 2) {
    double s = 0;
    for (int64_t i = 0; i < n; ++i) s += x[i] * x[i];
    return std::sqrt(s);
  }
  const double p = o.p;
  if (std::isinf(p)) {
    if (n == 0)
      raise(ErrorKind::Value, span,
            std::string("zero-size array to reduction operation ") +
                (p > 0 ? "maximum" : "minimum") + " which has no identity");
    double r = std::fabs(x[0]);
    for (int64_t i = 1; i < n; ++i)
      r = p > 0 ? std::max(r, std::fabs(x[i])) : std::min(r, std::fabs(x[i]));
    return r;
  }
  double s = 0;
  if (p == 0) {
    for (int64_t i = 0; i < n; ++i) s += x[i] != 0;
    return s;
  }
  if (p == 1) {
    for (int64_t i = 0; i < n; ++i) s += std::fabs(x[i]);
    return s;
  }
  for (int64_t i = 0; i < n; ++i) s += std::pow(std::fabs(x[i]), p);
  return std::pow(s, 1.0 / p);
}

/// A matrix norm of one m x n row-major matrix; svals are its singular values.
double matrixNorm(const double* x, int64_t m, int64_t n, const Ord& o, const double* svals,
                  int64_t k, Span span) {
  auto extreme = [&](bool max, const std::vector<double>& v, const char* op) {
    if (v.empty())
      raise(ErrorKind::Value, span,
            std::string("zero-size array to reduction operation ") + op + " which has no identity");
    return max ? *std::max_element(v.begin(), v.end()) : *std::min_element(v.begin(), v.end());
  };
  if (o.kind == Ord::Kind::None || (o.kind == Ord::Kind::Str && o.s == "fro") ||
      (o.kind == Ord::Kind::Str && o.s == "f")) {
    double s = 0;
    for (int64_t i = 0; i < m * n; ++i) s += x[i] * x[i];
    return std::sqrt(s);
  }
  if (o.kind == Ord::Kind::Str && o.s == "nuc") {
    double s = 0;
    for (int64_t i = 0; i < k; ++i) s += svals[i];
    return s;
  }
  if (o.p == 2 || o.p == -2) {
    std::vector<double> v(svals, svals + k);
    return extreme(o.p > 0, v, o.p > 0 ? "maximum" : "minimum");
  }
  if (o.p == 1 || o.p == -1) {
    std::vector<double> colSums(n, 0.0);
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) colSums[j] += std::fabs(x[i * n + j]);
    if (m == 0) colSums.assign(n, 0.0);
    return extreme(o.p > 0, colSums, o.p > 0 ? "maximum" : "minimum");
  }
  std::vector<double> rowSums(m, 0.0);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) rowSums[i] += std::fabs(x[i * n + j]);
  return extreme(o.p > 0, rowSums, o.p > 0 ? "maximum" : "minimum");
}

bool validMatrixOrd(const Ord& o) {
  if (o.kind == Ord::Kind::None) return true;
  if (o.kind == Ord::Kind::Str) return o.s == "fro" || o.s == "f" || o.s == "nuc";
  return o.p == 2 || o.p == -2 || o.p == 1 || o.p == -1 || std::isinf(o.p);
}

int normAxis(int64_t axis, int ndim, Span span) {
  if (axis < -ndim || axis >= ndim)
    raise(ErrorKind::Index, span,
          "axis " + std::to_string(axis) + " is out of bounds for array of dimension " +
              std::to_string(ndim));
  return int(axis < 0 ? axis + ndim : axis);
}

/// norm of float64 data x along `axes` (one: vector norm, two: matrix norm).
Array normAlong(const Array& x, std::vector<int> axes, const Ord& o, bool keepdims, Span span) {
  const int nd = x.ndim();
  std::vector<int> perm;
  for (int i = 0; i < nd; ++i)
    if (std::find(axes.begin(), axes.end(), i) == axes.end()) perm.push_back(i);
  Shape outShape;
  for (int i : perm) outShape.push_back(x.shape()[i]);
  for (int a : axes) perm.push_back(a);
  Array moved = x.transpose(perm).copy();
  int64_t count = 1;
  for (int64_t d : outShape) count *= d;
  Array out = Array::empty(outShape, DType::Float64);
  if (axes.size() == 1) {
    const int64_t n = x.shape()[axes[0]];
    for (int64_t i = 0; i < count; ++i) f64(out)[i] = vectorNorm(f64(moved) + i * n, n, o, span);
  } else {
    const int64_t m = x.shape()[axes[0]], n = x.shape()[axes[1]], k = std::min(m, n);
    Array sv;
    const bool needSv = (o.kind == Ord::Kind::Str && o.s == "nuc") ||
                        (o.kind == Ord::Kind::Number && (o.p == 2 || o.p == -2));
    if (needSv) sv = lapackCall(span, [&] { return lapack::svd(moved, false, false)[0]; });
    for (int64_t i = 0; i < count; ++i)
      f64(out)[i] =
          matrixNorm(f64(moved) + i * m * n, m, n, o, needSv ? f64(sv) + i * k : nullptr, k, span);
  }
  if (keepdims) {
    Shape ks = x.shape();
    for (int a : axes) ks[a] = 1;
    out = out.reshape(ks);
  }
  return out;
}

Array normOf(Interpreter& in, const Array& x, const Ord& o, const Value& axisArg, bool keepdims,
             Span span) {
  const int nd = x.ndim();
  if (axisArg.kind == Value::Kind::None) {
    const bool flat = o.kind == Ord::Kind::None ||
                      (o.kind == Ord::Kind::Str && (o.s == "f" || o.s == "fro") && nd == 2) ||
                      (o.kind == Ord::Kind::Number && o.p == 2 && nd == 1);
    if (flat) {
      Array c = x.copy();
      Array r = Array::scalar(Scalar::ofFloat(vectorNorm(f64(c), c.size(), Ord{}, span)));
      if (keepdims) r = r.reshape(Shape(nd, 1));
      return r;
    }
  }
  std::vector<int> axes;
  if (axisArg.kind == Value::Kind::None) {
    for (int i = 0; i < nd; ++i) axes.push_back(i);
  } else if (axisArg.kind == Value::Kind::Tuple || axisArg.kind == Value::Kind::List) {
    for (const Value& v : axisArg.items) axes.push_back(normAxis(toInt(v, span), nd, span));
  } else {
    axes.push_back(normAxis(toInt(axisArg, span, "an integer or a tuple of integers"), nd, span));
  }
  (void)in;
  if (axes.size() == 1) {
    if (o.kind == Ord::Kind::Str)
      raise(ErrorKind::Value, span, "Invalid norm order '" + o.s + "' for vectors");
    return normAlong(x, axes, o, keepdims, span);
  }
  if (axes.size() == 2) {
    if (axes[0] == axes[1]) raise(ErrorKind::Value, span, "Duplicate axes given.");
    if (!validMatrixOrd(o)) raise(ErrorKind::Value, span, "Invalid norm order for matrices.");
    return normAlong(x, axes, o, keepdims, span);
  }
  raise(ErrorKind::Value, span, "Improper number of dimensions to norm.");
}

Value norm(Interpreter& in, std::vector<Value>& args, Kwargs& kwargs, Span span) {
  auto p = bindArgs(
      "norm", args, kwargs,
      {{"x", {}}, {"ord", kNone}, {"axis", kNone}, {"keepdims", Value::ofBool(false)}}, span);
  Array x = input(in, p[0], span);
  const Ord o = toOrd(in, p[1], span);
  const DType t = floatResult(x.dtype());
  return result(in, normOf(in, asWork(x), o, p[2], truthy(p[3], span), span), t);
}

Value cond(Interpreter& in, std::vector<Value>& args, Kwargs& kwargs, Span span) {
  auto p = bindArgs("cond", args, kwargs, {{"x", {}}, {"p", kNone}}, span);
  Array x = input(in, p[0], span);
  assertStacked2d(x, span);
  const int64_t m = x.shape()[x.ndim() - 2], n = x.shape()[x.ndim() - 1];
  if (m == 0 || n == 0) linAlgError(span, "cond is not defined on empty arrays");
  const Ord o = toOrd(in, p[1], span);
  const DType t = floatResult(x.dtype());
  Array w = asWork(x);
  Array r = Array::empty(stackOf(x), DType::Float64);
  const int64_t count = r.size();
  if (o.kind == Ord::Kind::None || (o.kind == Ord::Kind::Number && (o.p == 2 || o.p == -2))) {
    Array s = lapackCall(span, [&] { return lapack::svd(w, false, false)[0]; });
    const int64_t k = std::min(m, n);
    for (int64_t i = 0; i < count; ++i) {
      const double hi = f64(s)[i * k], lo = f64(s)[i * k + k - 1];
      f64(r)[i] = o.kind == Ord::Kind::Number && o.p == -2 ? lo / hi : hi / lo;
    }
  } else {
    assertStackedSquare(x, span);
    if (!validMatrixOrd(o)) raise(ErrorKind::Value, span, "Invalid norm order for matrices.");
    Value axes = Value::ofTuple({Value::ofInt(-2), Value::ofInt(-1)});
    Array nx = normOf(in, w, o, axes, false, span);
    Array ni;
    try {
      ni = normOf(in, lapack::inverse(w), o, axes, false, span);
    } catch (const RuntimeError&) {
      // NumPy computes cond of a singular matrix under errstate(all='ignore'):
      // the failed inverse is nan, and a nan condition number becomes inf.
      ni = Array::full(nx.shape(), Scalar::ofFloat(INFINITY), DType::Float64);
    }
    for (int64_t i = 0; i < count; ++i) f64(r)[i] = f64(nx)[i] * f64(ni)[i];
  }
  for (int64_t i = 0; i < count; ++i)
    if (std::isnan(f64(r)[i])) f64(r)[i] = INFINITY;
  return result(in, r, t);
}

} // namespace

bool isLinalgFunction(const std::string& name) {
  return sema::isLinalgFunction(name);
}

Value builtinLinalgSolve(BuiltinCall& c) {
  return solve(c.in, c.args, c.kwargs, c.span);
}
Value builtinLinalgInv(BuiltinCall& c) {
  return inv(c.in, c.args, c.kwargs, c.span);
}
Value builtinLinalgDet(BuiltinCall& c) {
  return slogdet(c.in, c.args, c.kwargs, c.span, true);
}
Value builtinLinalgSlogdet(BuiltinCall& c) {
  return slogdet(c.in, c.args, c.kwargs, c.span, false);
}
Value builtinLinalgNorm(BuiltinCall& c) {
  return norm(c.in, c.args, c.kwargs, c.span);
}
Value builtinLinalgCholesky(BuiltinCall& c) {
  return cholesky(c.in, c.args, c.kwargs, c.span);
}
Value builtinLinalgQr(BuiltinCall& c) {
  return qr(c.in, c.args, c.kwargs, c.span);
}
Value builtinLinalgEigh(BuiltinCall& c) {
  return eigh(c.in, c.args, c.kwargs, c.span, true);
}
Value builtinLinalgEigvalsh(BuiltinCall& c) {
  return eigh(c.in, c.args, c.kwargs, c.span, false);
}
Value builtinLinalgEig(BuiltinCall& c) {
  return eig(c.in, c.args, c.kwargs, c.span, true);
}
Value builtinLinalgEigvals(BuiltinCall& c) {
  return eig(c.in, c.args, c.kwargs, c.span, false);
}
Value builtinLinalgSvd(BuiltinCall& c) {
  return svd(c.in, c.args, c.kwargs, c.span);
}
Value builtinLinalgLstsq(BuiltinCall& c) {
  return lstsq(c.in, c.args, c.kwargs, c.span);
}
Value builtinLinalgPinv(BuiltinCall& c) {
  return pinv(c.in, c.args, c.kwargs, c.span);
}
Value builtinLinalgMatrixRank(BuiltinCall& c) {
  return matrixRank(c.in, c.args, c.kwargs, c.span);
}
Value builtinLinalgMatrixPower(BuiltinCall& c) {
  return matrixPower(c.in, c.args, c.kwargs, c.span);
}
Value builtinLinalgCond(BuiltinCall& c) {
  return cond(c.in, c.args, c.kwargs, c.span);
}
Value builtinLinalgMultiDot(BuiltinCall& c) {
  return multiDot(c.in, c.args, c.kwargs, c.span);
}

} // namespace ravel::exec
