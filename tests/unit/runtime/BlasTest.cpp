// runtime/Blas: how strided operands map to row-major cblas (transpose flag,
// leading dimension, or a copy and why), and products checked against a
// naive triple loop for every dtype, layout, accumulate mode and batch.
#include "runtime/Blas.h"

#include <gtest/gtest.h>

#include <cstdint>

using namespace ravel;
using namespace ravel::blas;

TEST(BlasLayout, RowMajorAndRowSlices) {
  // A C-contiguous 3x4 float64 matrix: no transpose, ld 4.
  MatrixLayout l = describeMatrix(3, 4, 32, 8, 8);
  EXPECT_TRUE(l.describable);
  EXPECT_FALSE(l.transposed);
  EXPECT_EQ(l.ld, 4);
  // Columns 1:3 of a 3x10 matrix: the row stride becomes the leading dimension.
  l = describeMatrix(3, 2, 80, 8, 8);
  EXPECT_TRUE(l.describable);
  EXPECT_FALSE(l.transposed);
  EXPECT_EQ(l.ld, 10);
}

TEST(BlasLayout, TransposeIsAFlag) {
  // (4x3 C-contiguous).T is 3x4 with strides (8, 24).
  MatrixLayout l = describeMatrix(3, 4, 8, 24, 8);
  EXPECT_TRUE(l.describable);
  EXPECT_TRUE(l.transposed);
  EXPECT_EQ(l.ld, 3);
  // float32 transposed slice: columns 2 apart in a 5-row buffer.
  l = describeMatrix(2, 3, 4, 40, 4);
  EXPECT_TRUE(l.describable);
  EXPECT_TRUE(l.transposed);
  EXPECT_EQ(l.ld, 10);
}

TEST(BlasLayout, LengthOneAxesTakeAnyStride) {
  MatrixLayout row = describeMatrix(1, 5, -1000, 8, 8);
  EXPECT_TRUE(row.describable);
  EXPECT_FALSE(row.transposed);
  EXPECT_EQ(row.ld, 5);
  MatrixLayout col = describeMatrix(5, 1, 16, 0, 8);
  EXPECT_TRUE(col.describable);
  EXPECT_FALSE(col.transposed);
  EXPECT_EQ(col.ld, 2);
}

TEST(BlasLayout, WhatMustBeCopied) {
  MatrixLayout l = describeMatrix(3, 4, -32, 8, 8); // a[::-1]
  EXPECT_FALSE(l.describable);
  EXPECT_EQ(l.why, "negative stride");
  l = describeMatrix(3, 4, 0, 8, 8); // broadcast rows
  EXPECT_FALSE(l.describable);
  EXPECT_EQ(l.why, "zero stride (broadcast)");
  l = describeMatrix(3, 4, 64, 16, 8); // a[:, ::2]
  EXPECT_FALSE(l.describable);
  EXPECT_EQ(l.why, "no axis with unit stride");
  l = describeMatrix(3, 4, 8, 8, 8); // sliding windows: rows overlap
  EXPECT_FALSE(l.describable);
  EXPECT_EQ(l.why, "rows overlap (leading dimension shorter than a row)");
  l = describeMatrix(3, 4, 36, 8, 8); // a row stride that is not whole elements
  EXPECT_FALSE(l.describable);
}

namespace {

/// Fills x (any layout) with small integers from a seed.
void fill(const Array& x, int seed) {
  for (int64_t i = 0; i < x.shape()[0]; ++i)
    for (int64_t j = 0; j < x.shape()[1]; ++j) {
      int64_t v = (i * 7 + j * 3 + seed) % 5 - 2;
      Scalar s = x.dtype() == DType::Bool ? Scalar::ofBool(v > 0)
                 : isFloat(x.dtype())     ? Scalar::ofFloat(double(v) / 2, x.dtype())
                                          : Scalar::ofInt(v, x.dtype());
      const_cast<Array&>(x).setAt({i, j}, s.castTo(x.dtype()));
    }
}

/// The naive product (plus c0 when accumulating) compared with blas::matmul.
void checkProduct(const Array& a, const Array& b, bool accumulate, const char* what) {
  const int64_t m = a.shape()[0], k = a.shape()[1], n = b.shape()[1];
  Array c = Array::empty({m, n}, a.dtype());
  fill(c, 11);
  Array c0 = c.copy();
  ProductReport report;
  matmul(a, b, c, report, accumulate);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double want = accumulate ? c0.at({i, j}).f : 0.0;
      bool any = accumulate && c0.at({i, j}).b;
      for (int64_t p = 0; p < k; ++p) {
        want += a.at({i, p}).f * b.at({p, j}).f;
        any = any || (a.at({i, p}).b && b.at({p, j}).b);
      }
      if (a.dtype() == DType::Bool)
        EXPECT_EQ(c.at({i, j}).b, any) << what << " at " << i << "," << j;
      else
        EXPECT_DOUBLE_EQ(c.at({i, j}).f, want) << what << " at " << i << "," << j;
    }
}

} // namespace

TEST(BlasProduct, EveryShapeLayoutAndDtype) {
  const DType dtypes[] = {DType::Float64, DType::Float32, DType::Int64, DType::Int32, DType::Bool};
  const int64_t shapes[][3] = {{3, 4, 5}, {1, 4, 5}, {3, 4, 1}, {1, 4, 1}, {3, 1, 5}, {3, 0, 2}};
  for (DType t : dtypes)
    for (const auto& s : shapes)
      for (bool accumulate : {false, true}) {
        const int64_t m = s[0], k = s[1], n = s[2];
        // a plain; b transposed (a .T view) and a reversed one (copied).
        Array a = Array::empty({m, k}, t);
        Array bt = Array::empty({n, k}, t).transpose();
        Array br = Array::empty({k, n}, t).sliceAxis(0, k - 1, -1, k);
        fill(a, 1);
        fill(bt, 2);
        if (k > 0) fill(br, 3);
        checkProduct(a, bt, accumulate, "transposed b");
        if (k > 0) checkProduct(a, br, accumulate, "reversed b");
      }
}

TEST(BlasProduct, BatchWithBroadcastOperand) {
  // (2, 3, 4) @ (4, 2) broadcast to (2, 4, 2) with a zero batch stride.
  Array a = Array::empty({2, 3, 4}, DType::Float64);
  Array b = Array::empty({4, 2}, DType::Float64);
  for (int64_t e = 0; e < 2; ++e) fill(a.indexAxis(0, e), int(e));
  fill(b, 5);
  Array bb = b.broadcastTo({2, 4, 2});
  Array c = Array::empty({2, 3, 2}, DType::Float64);
  ProductReport report;
  matmul(a, bb, c, report);
  EXPECT_EQ(report.calls, 2);
  EXPECT_EQ(report.routine, "cblas_dgemm");
  EXPECT_TRUE(report.copies.empty());
  for (int64_t e = 0; e < 2; ++e)
    for (int64_t i = 0; i < 3; ++i)
      for (int64_t j = 0; j < 2; ++j) {
        double want = 0;
        for (int64_t p = 0; p < 4; ++p) want += a.at({e, i, p}).f * b.at({p, j}).f;
        EXPECT_DOUBLE_EQ(c.at({e, i, j}).f, want);
      }
}

TEST(BlasProduct, ReportsCopiesAndRoutines) {
  Array a = Array::empty({4, 4}, DType::Float64);
  fill(a, 0);
  Array c = Array::empty({4, 4}, DType::Float64);
  ProductReport r1;
  matmul(a, a.transpose(), c, r1);
  EXPECT_TRUE(r1.copies.empty());
  EXPECT_EQ(r1.routine, "cblas_dgemm");
  ProductReport r2;
  matmul(a.sliceAxis(0, 3, -1, 4), a, c, r2);
  ASSERT_EQ(r2.copies.size(), 1u);
  EXPECT_EQ(r2.copies[0], "operand 0 copied: negative stride");
  Array v = Array::empty({4, 1}, DType::Float64);
  ProductReport r3;
  matmul(a, a.sliceAxis(1, 0, 1, 1), v, r3);
  EXPECT_EQ(r3.routine, "cblas_dgemv");
}
