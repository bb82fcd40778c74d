// LAPACK (OpenBLAS's) on ravel arrays: the factorizations behind
// numpy.linalg. Every function takes float64 C-contiguous arrays whose last
// two axes are the matrices (leading axes are a stack), loops over the
// stack calling the same LAPACK driver NumPy's umath_linalg calls, and
// returns fresh float64 C-contiguous arrays. Failures throw
// RuntimeError(ErrorKind::LinAlg) with NumPy's LinAlgError text.
#pragma once

#include "runtime/Array.h"

#include <string>
#include <vector>

namespace ravel::lapack {

/// x with a @ x = b, a (..., n, n), b (..., n, k) with the same stack (gesv).
Array solve(const Array& a, const Array& b);
/// The inverse of every matrix of (..., n, n) (gesv against the identity).
Array inverse(const Array& a);
/// slogdet of every matrix of (..., n, n): {sign, logabsdet}, shape (...) (getrf).
std::vector<Array> slogdet(const Array& a);
/// The lower Cholesky factor of every matrix of (..., n, n) (potrf).
Array cholesky(const Array& a);
/// QR of (..., m, n): mode "reduced" {q, r}, "complete" {q, r}, "r" {r} (geqrf, orgqr).
std::vector<Array> qr(const Array& a, const std::string& mode);
/// Symmetric eigendecomposition from the lower ('L') or upper triangle:
/// {w ascending} or {w, v} (syevd).
std::vector<Array> eigh(const Array& a, char uplo, bool vectors);
/// General eigendecomposition (geev): {w} or {w, v}; a complex eigenvalue
/// anywhere is an error, since ravel has no complex dtype.
std::vector<Array> eig(const Array& a, bool vectors);
/// SVD of (..., m, n): {s} or {u, s, vh}, full or reduced u/vh (gesdd).
std::vector<Array> svd(const Array& a, bool fullMatrices, bool computeUV);
/// Least squares of a (m, n) against b (m, k) with rcond < 0 meaning
/// eps * max(m, n) (gelsd): {x (n, k), residuals, rank (0-d int64), s}.
std::vector<Array> lstsq(const Array& a, const Array& b, double rcond);
/// Column-major gemm of two stacked float64 matrices: (..., m, k) @ (..., k, n).
Array matmul(const Array& a, const Array& b);

} // namespace ravel::lapack
