// runtime/Lapack on cases the differential programs cannot show: a complex
// eigenvalue (NumPy returns complex arrays, ravel has no complex dtype), the
// error kinds, and the layout of results (row-major from column-major LAPACK).
#include "runtime/Lapack.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace ravel;

namespace {

Array matrix(int64_t m, int64_t n, std::vector<double> values) {
  Array a = Array::empty({m, n}, DType::Float64);
  std::copy(values.begin(), values.end(), reinterpret_cast<double*>(a.data()));
  return a;
}

double at(const Array& a, int64_t i) {
  return reinterpret_cast<const double*>(a.data())[i];
}

} // namespace

TEST(Lapack, ComplexEigenvaluesAreATypeError) {
  Array rotation = matrix(2, 2, {0.0, -1.0, 1.0, 0.0});
  try {
    lapack::eig(rotation, false);
    FAIL() << "eig of a rotation must fail: its eigenvalues are +-i";
  } catch (const RuntimeError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Type);
    EXPECT_NE(std::string(e.what()).find("complex"), std::string::npos);
  }
}

TEST(Lapack, SingularSolveIsALinAlgError) {
  Array a = matrix(2, 2, {1.0, 2.0, 2.0, 4.0});
  try {
    lapack::inverse(a);
    FAIL() << "a singular matrix has no inverse";
  } catch (const RuntimeError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::LinAlg);
    EXPECT_STREQ(e.what(), "Singular matrix");
  }
}

TEST(Lapack, SolveOfANonSymmetricMatrixIsRowMajor) {
  // [[1, 2], [0, 1]] x = [5, 1] has x = [3, 1]; the transpose would give [5, -9].
  Array a = matrix(2, 2, {1.0, 2.0, 0.0, 1.0});
  Array b = matrix(2, 1, {5.0, 1.0});
  Array x = lapack::solve(a, b);
  EXPECT_DOUBLE_EQ(at(x, 0), 3.0);
  EXPECT_DOUBLE_EQ(at(x, 1), 1.0);
}

TEST(Lapack, MatmulOfAStack) {
  Array a = Array::empty({2, 1, 2}, DType::Float64);
  Array b = Array::empty({2, 2, 1}, DType::Float64);
  double av[] = {1, 2, 3, 4}, bv[] = {5, 6, 7, 8};
  std::copy(av, av + 4, reinterpret_cast<double*>(a.data()));
  std::copy(bv, bv + 4, reinterpret_cast<double*>(b.data()));
  Array c = lapack::matmul(a, b);
  ASSERT_EQ(c.shape(), (Shape{2, 1, 1}));
  EXPECT_DOUBLE_EQ(at(c, 0), 1 * 5 + 2 * 6);
  EXPECT_DOUBLE_EQ(at(c, 1), 3 * 7 + 4 * 8);
}
