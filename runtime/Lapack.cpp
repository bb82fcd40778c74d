// LAPACK drivers on stacks of matrices. ravel arrays are row-major; LAPACK
// is column-major, so each matrix is transposed into a column-major work
// buffer, factored there, and transposed back into the result.
#include "runtime/Lapack.h"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <limits>

// The Fortran LAPACK entry points (liblapack from OpenBLAS); gfortran passes
// the length of every character argument as a trailing size_t.
extern "C" {
void dgesv_(int* n, int* nrhs, double* a, int* lda, int* ipiv, double* b, int* ldb, int* info);
void dgetrf_(int* m, int* n, double* a, int* lda, int* ipiv, int* info);
void dpotrf_(const char* uplo, int* n, double* a, int* lda, int* info, size_t);
void dgeqrf_(int* m, int* n, double* a, int* lda, double* tau, double* work, int* lwork, int* info);
void dorgqr_(int* m, int* n, int* k, double* a, int* lda, double* tau, double* work, int* lwork,
             int* info);
void dsyevd_(const char* jobz, const char* uplo, int* n, double* a, int* lda, double* w,
             double* work, int* lwork, int* iwork, int* liwork, int* info, size_t, size_t);
void dgeev_(const char* jobvl, const char* jobvr, int* n, double* a, int* lda, double* wr,
            double* wi, double* vl, int* ldvl, double* vr, int* ldvr, double* work, int* lwork,
            int* info, size_t, size_t);
void dgesdd_(const char* jobz, int* m, int* n, double* a, int* lda, double* s, double* u, int* ldu,
             double* vt, int* ldvt, double* work, int* lwork, int* iwork, int* info, size_t);
void dgelsd_(int* m, int* n, int* nrhs, double* a, int* lda, double* b, int* ldb, double* s,
             double* rcond, int* rank, double* work, int* lwork, int* iwork, int* info);
}

namespace ravel::lapack {
namespace {

using Work = std::vector<double>;

[[noreturn]] void linAlgError(const std::string& msg) {
  throw RuntimeError(ErrorKind::LinAlg, msg);
}

int64_t rows(const Array& a) {
  return a.shape()[a.ndim() - 2];
}
int64_t cols(const Array& a) {
  return a.shape()[a.ndim() - 1];
}

/// The stack's shape (all but the last two axes) and its matrix count.
Shape stackShape(const Array& a) {
  return Shape(a.shape().begin(), a.shape().end() - 2);
}
int64_t stackCount(const Array& a) {
  int64_t n = 1;
  for (int64_t d : stackShape(a)) n *= d;
  return n;
}

Shape withMatrix(Shape stack, int64_t m, int64_t n) {
  stack.push_back(m);
  stack.push_back(n);
  return stack;
}

const double* matrixIn(const Array& a, int64_t i) {
  return reinterpret_cast<const double*>(a.data()) + i * rows(a) * cols(a);
}
double* matrixOut(const Array& a, int64_t i, int64_t m, int64_t n) {
  return reinterpret_cast<double*>(a.data()) + i * m * n;
}

/// Row-major m x n into column-major with leading dimension ld >= m.
void toColumnMajor(const double* src, int64_t m, int64_t n, double* dst, int64_t ld) {
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) dst[i + j * ld] = src[i * n + j];
}
/// Column-major (leading dimension ld) m x n into row-major.
void fromColumnMajor(const double* src, int64_t m, int64_t n, int64_t ld, double* dst) {
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) dst[i * n + j] = src[i + j * ld];
}

int lapackInt(int64_t v) {
  if (v > std::numeric_limits<int>::max()) linAlgError("matrix too large for LAPACK");
  return int(v);
}

/// LAPACK's ld arguments must be at least 1 even for empty matrices.
int ld(int64_t v) {
  return std::max(1, lapackInt(v));
}

} // namespace

Array solve(const Array& a, const Array& b) {
  const int64_t n = rows(a), k = cols(b);
  Array x = Array::empty(withMatrix(stackShape(a), n, k), DType::Float64);
  Work am(n * n), bm(n * k);
  std::vector<int> ipiv(n);
  for (int64_t s = 0; s < stackCount(a); ++s) {
    toColumnMajor(matrixIn(a, s), n, n, am.data(), n);
    toColumnMajor(matrixIn(b, s), n, k, bm.data(), n);
    int nn = lapackInt(n), nk = lapackInt(k), lda = ld(n), ldb = ld(n), info = 0;
    if (n > 0 && k > 0)
      dgesv_(&nn, &nk, am.data(), &lda, ipiv.data(), bm.data(), &ldb, &info);
    else if (n > 0)
      dgetrf_(&nn, &nn, am.data(), &lda, ipiv.data(), &info);
    if (info > 0) linAlgError("Singular matrix");
    fromColumnMajor(bm.data(), n, k, n, matrixOut(x, s, n, k));
  }
  return x;
}

Array inverse(const Array& a) {
  const int64_t n = rows(a);
  Array eye = Array::zeros(withMatrix(stackShape(a), n, n), DType::Float64);
  for (int64_t s = 0; s < stackCount(a); ++s)
    for (int64_t i = 0; i < n; ++i) matrixOut(eye, s, n, n)[i * n + i] = 1.0;
  return solve(a, eye);
}

std::vector<Array> slogdet(const Array& a) {
  const int64_t n = rows(a);
  Array sign = Array::empty(stackShape(a), DType::Float64);
  Array logdet = Array::empty(stackShape(a), DType::Float64);
  Work am(n * n);
  std::vector<int> ipiv(n);
  for (int64_t s = 0; s < stackCount(a); ++s) {
    toColumnMajor(matrixIn(a, s), n, n, am.data(), n);
    int nn = lapackInt(n), lda = ld(n), info = 0;
    if (n > 0) dgetrf_(&nn, &nn, am.data(), &lda, ipiv.data(), &info);
    double sg = 1.0, ld = 0.0;
    if (info > 0) {
      // An exactly zero pivot: NumPy reports sign 0 and log|det| -inf.
      sg = 0.0;
      ld = -INFINITY;
    } else {
      for (int64_t i = 0; i < n; ++i) {
        const double d = am[i + i * n];
        if (ipiv[i] != i + 1) sg = -sg;
        if (d < 0) sg = -sg;
        ld += std::log(std::fabs(d));
      }
    }
    reinterpret_cast<double*>(sign.data())[s] = sg;
    reinterpret_cast<double*>(logdet.data())[s] = ld;
  }
  return {sign, logdet};
}

Array cholesky(const Array& a) {
  const int64_t n = rows(a);
  Array l = Array::empty(a.shape(), DType::Float64);
  Work am(n * n);
  for (int64_t s = 0; s < stackCount(a); ++s) {
    toColumnMajor(matrixIn(a, s), n, n, am.data(), n);
    int nn = lapackInt(n), lda = ld(n), info = 0;
    if (n > 0) dpotrf_("L", &nn, am.data(), &lda, &info, 1);
    if (info > 0) linAlgError("Matrix is not positive definite");
    // potrf leaves the strict upper triangle as it was; NumPy zeroes it.
    for (int64_t j = 0; j < n; ++j)
      for (int64_t i = 0; i < j; ++i) am[i + j * n] = 0.0;
    fromColumnMajor(am.data(), n, n, n, matrixOut(l, s, n, n));
  }
  return l;
}

std::vector<Array> qr(const Array& a, const std::string& mode) {
  const int64_t m = rows(a), n = cols(a), k = std::min(m, n);
  const bool complete = mode == "complete";
  const int64_t qcols = complete ? m : k, rrows = complete ? m : k;
  // The work matrix holds a, then Q: it needs max(n, qcols) columns.
  const int64_t wcols = std::max(n, qcols);
  Array q = Array::empty(withMatrix(stackShape(a), m, qcols), DType::Float64);
  Array r = Array::zeros(withMatrix(stackShape(a), rrows, n), DType::Float64);
  Work am(std::max<int64_t>(1, m * wcols)), tau(std::max<int64_t>(1, k));
  for (int64_t s = 0; s < stackCount(a); ++s) {
    std::fill(am.begin(), am.end(), 0.0);
    toColumnMajor(matrixIn(a, s), m, n, am.data(), m);
    int mm = lapackInt(m), nn = lapackInt(n), kk = lapackInt(k), lda = ld(m), info = 0;
    if (k > 0) {
      int lwork = -1;
      double query = 0;
      dgeqrf_(&mm, &nn, am.data(), &lda, tau.data(), &query, &lwork, &info);
      lwork = std::max(1, int(query));
      Work work(lwork);
      dgeqrf_(&mm, &nn, am.data(), &lda, tau.data(), work.data(), &lwork, &info);
    }
    double* rout = matrixOut(r, s, rrows, n);
    for (int64_t i = 0; i < std::min(rrows, m); ++i)
      for (int64_t j = i; j < n; ++j) rout[i * n + j] = am[i + j * m];
    if (mode == "r") continue;
    int qc = lapackInt(qcols);
    if (m > 0 && qcols > 0) {
      int lwork = -1;
      double query = 0;
      dorgqr_(&mm, &qc, &kk, am.data(), &lda, tau.data(), &query, &lwork, &info);
      lwork = std::max(1, int(query));
      Work work(lwork);
      dorgqr_(&mm, &qc, &kk, am.data(), &lda, tau.data(), work.data(), &lwork, &info);
    }
    fromColumnMajor(am.data(), m, qcols, m, matrixOut(q, s, m, qcols));
  }
  if (mode == "r") return {r};
  return {q, r};
}

std::vector<Array> eigh(const Array& a, char uplo, bool vectors) {
  const int64_t n = rows(a);
  Shape wshape = stackShape(a);
  wshape.push_back(n);
  Array w = Array::empty(wshape, DType::Float64);
  Array v = Array::empty(a.shape(), DType::Float64);
  Work am(std::max<int64_t>(1, n * n));
  const char jobz = vectors ? 'V' : 'N';
  for (int64_t s = 0; s < stackCount(a); ++s) {
    toColumnMajor(matrixIn(a, s), n, n, am.data(), n);
    int nn = lapackInt(n), lda = ld(n), info = 0;
    double* wout = reinterpret_cast<double*>(w.data()) + s * n;
    if (n > 0) {
      int lwork = -1, liwork = -1, iquery = 0;
      double query = 0;
      dsyevd_(&jobz, &uplo, &nn, am.data(), &lda, wout, &query, &lwork, &iquery, &liwork, &info, 1,
              1);
      lwork = std::max(1, int(query));
      liwork = std::max(1, iquery);
      Work work(lwork);
      std::vector<int> iwork(liwork);
      dsyevd_(&jobz, &uplo, &nn, am.data(), &lda, wout, work.data(), &lwork, iwork.data(), &liwork,
              &info, 1, 1);
      if (info > 0) linAlgError("Eigenvalues did not converge");
    }
    if (vectors) fromColumnMajor(am.data(), n, n, n, matrixOut(v, s, n, n));
  }
  if (!vectors) return {w};
  return {w, v};
}

std::vector<Array> eig(const Array& a, bool vectors) {
  const int64_t n = rows(a);
  Shape wshape = stackShape(a);
  wshape.push_back(n);
  Array w = Array::empty(wshape, DType::Float64);
  Array v = Array::empty(a.shape(), DType::Float64);
  Work am(std::max<int64_t>(1, n * n)), wi(std::max<int64_t>(1, n)),
      vr(std::max<int64_t>(1, n * n));
  const char jobvr = vectors ? 'V' : 'N';
  for (int64_t s = 0; s < stackCount(a); ++s) {
    toColumnMajor(matrixIn(a, s), n, n, am.data(), n);
    int nn = lapackInt(n), lda = ld(n), ldv = ld(n), one = 1, info = 0;
    double* wout = reinterpret_cast<double*>(w.data()) + s * n;
    double vl = 0;
    if (n > 0) {
      int lwork = -1;
      double query = 0;
      dgeev_("N", &jobvr, &nn, am.data(), &lda, wout, wi.data(), &vl, &one, vr.data(), &ldv, &query,
             &lwork, &info, 1, 1);
      lwork = std::max(1, int(query));
      Work work(lwork);
      dgeev_("N", &jobvr, &nn, am.data(), &lda, wout, wi.data(), &vl, &one, vr.data(), &ldv,
             work.data(), &lwork, &info, 1, 1);
      if (info > 0) linAlgError("Eigenvalues did not converge");
      for (int64_t i = 0; i < n; ++i)
        if (wi[i] != 0.0)
          throw RuntimeError(ErrorKind::Type,
                             "the eigenvalues are complex, and ravel has no complex dtype yet");
    }
    if (vectors) fromColumnMajor(vr.data(), n, n, n, matrixOut(v, s, n, n));
  }
  if (!vectors) return {w};
  return {w, v};
}

std::vector<Array> svd(const Array& a, bool fullMatrices, bool computeUV) {
  const int64_t m = rows(a), n = cols(a), k = std::min(m, n);
  const int64_t ucols = fullMatrices ? m : k, vrows = fullMatrices ? n : k;
  Shape sshape = stackShape(a);
  sshape.push_back(k);
  Array sv = Array::empty(sshape, DType::Float64);
  Array u = Array::empty(withMatrix(stackShape(a), m, computeUV ? ucols : 0), DType::Float64);
  Array vh = Array::empty(withMatrix(stackShape(a), computeUV ? vrows : 0, n), DType::Float64);
  if (computeUV && k == 0) {
    // NumPy gives identity factors for an empty matrix's full u and vh.
    u = Array::zeros(u.shape(), DType::Float64);
    vh = Array::zeros(vh.shape(), DType::Float64);
    for (int64_t s = 0; s < stackCount(a); ++s) {
      for (int64_t i = 0; i < std::min(m, ucols); ++i) matrixOut(u, s, m, ucols)[i * ucols + i] = 1;
      for (int64_t i = 0; i < std::min(n, vrows); ++i) matrixOut(vh, s, vrows, n)[i * n + i] = 1;
    }
  }
  Work am(std::max<int64_t>(1, m * n)), um(std::max<int64_t>(1, m * ucols)),
      vm(std::max<int64_t>(1, vrows * n));
  const char jobz = !computeUV ? 'N' : fullMatrices ? 'A' : 'S';
  for (int64_t s = 0; s < stackCount(a) && k > 0; ++s) {
    toColumnMajor(matrixIn(a, s), m, n, am.data(), m);
    int mm = lapackInt(m), nn = lapackInt(n), lda = ld(m), ldu = ld(m), ldvt = ld(vrows), info = 0;
    double* sout = reinterpret_cast<double*>(sv.data()) + s * k;
    std::vector<int> iwork(8 * k);
    int lwork = -1;
    double query = 0;
    dgesdd_(&jobz, &mm, &nn, am.data(), &lda, sout, um.data(), &ldu, vm.data(), &ldvt, &query,
            &lwork, iwork.data(), &info, 1);
    lwork = std::max(1, int(query));
    Work work(lwork);
    dgesdd_(&jobz, &mm, &nn, am.data(), &lda, sout, um.data(), &ldu, vm.data(), &ldvt, work.data(),
            &lwork, iwork.data(), &info, 1);
    if (info > 0) linAlgError("SVD did not converge");
    if (computeUV) {
      fromColumnMajor(um.data(), m, ucols, m, matrixOut(u, s, m, ucols));
      fromColumnMajor(vm.data(), vrows, n, vrows, matrixOut(vh, s, vrows, n));
    }
  }
  if (!computeUV) return {sv};
  return {u, sv, vh};
}

std::vector<Array> lstsq(const Array& a, const Array& b, double rcond) {
  const int64_t m = rows(a), n = cols(a), k = cols(b), mn = std::min(m, n);
  const int64_t ldb = std::max(m, n);
  if (rcond < 0) rcond = std::numeric_limits<double>::epsilon() * double(std::max(m, n));
  Work am(std::max<int64_t>(1, m * n)), bm(std::max<int64_t>(1, ldb * k), 0.0);
  toColumnMajor(matrixIn(a, 0), m, n, am.data(), m);
  toColumnMajor(matrixIn(b, 0), m, k, bm.data(), ldb);
  Array sv = Array::empty({mn}, DType::Float64);
  int rank = 0;
  if (mn > 0 && k > 0) {
    int mm = lapackInt(m), nn = lapackInt(n), kk = lapackInt(k), lda = ld(m), lb = ld(ldb),
        info = 0, lwork = -1, iquery = 0;
    double query = 0;
    dgelsd_(&mm, &nn, &kk, am.data(), &lda, bm.data(), &lb, reinterpret_cast<double*>(sv.data()),
            &rcond, &rank, &query, &lwork, &iquery, &info);
    lwork = std::max(1, int(query));
    Work work(lwork);
    std::vector<int> iwork(std::max(1, iquery));
    dgelsd_(&mm, &nn, &kk, am.data(), &lda, bm.data(), &lb, reinterpret_cast<double*>(sv.data()),
            &rcond, &rank, work.data(), &lwork, iwork.data(), &info);
    if (info > 0) linAlgError("SVD did not converge in Linear Least Squares");
  } else if (mn > 0) {
    // No right-hand sides: only the singular values and the rank.
    std::vector<Array> f = svd(a, false, false);
    sv = f[0];
    const double* s = reinterpret_cast<const double*>(sv.data());
    for (int64_t i = 0; i < mn; ++i) rank += s[i] > rcond * s[0];
  }
  Array x = Array::empty({n, k}, DType::Float64);
  fromColumnMajor(bm.data(), n, k, ldb, reinterpret_cast<double*>(x.data()));
  // Residuals exist only for a full-rank overdetermined system: the squared
  // norm of each column's tail below row n.
  Array residuals = Array::empty({0}, DType::Float64);
  if (rank == n && m > n) {
    residuals = Array::empty({k}, DType::Float64);
    for (int64_t j = 0; j < k; ++j) {
      double sum = 0;
      for (int64_t i = n; i < m; ++i) sum += bm[i + j * ldb] * bm[i + j * ldb];
      reinterpret_cast<double*>(residuals.data())[j] = sum;
    }
  }
  return {x, residuals, Array::scalar(Scalar::ofInt(rank, DType::Int32)), sv};
}

Array matmul(const Array& a, const Array& b) {
  const int64_t m = rows(a), k = cols(a), n = cols(b);
  Array c = Array::zeros(withMatrix(stackShape(a), m, n), DType::Float64);
  if (m == 0 || n == 0 || k == 0) return c;
  for (int64_t s = 0; s < stackCount(a); ++s)
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(m), int(n), int(k), 1.0,
                matrixIn(a, s), int(k), matrixIn(b, s), int(n), 0.0, matrixOut(c, s, m, n), int(n));
  return c;
}

} // namespace ravel::lapack
