// runtime/Sort: NumPy's order (NaN last) on both sides of the radix-sort
// threshold, the order-preserving keys at the edges of each dtype (-inf,
// -0., denormals, INT_MIN/INT_MAX), stability, argsort ties in index order,
// many rows sorted in parallel, and searchsorted's sides.
#include "runtime/Sort.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

using namespace ravel;

namespace {

template <class T> Array arrayOf(const std::vector<T>& v, DType t, Shape shape = {}) {
  if (shape.empty()) shape = {int64_t(v.size())};
  Array a = Array::empty(shape, t);
  std::memcpy(a.data(), v.data(), v.size() * sizeof(T));
  return a;
}

template <class T> std::vector<T> valuesOf(const Array& a) {
  std::vector<T> v(static_cast<size_t>(a.size()));
  std::memcpy(v.data(), a.data(), v.size() * sizeof(T));
  return v;
}

/// The NaN-last order std::sort gives with an explicit comparator.
std::vector<double> reference(std::vector<double> v) {
  std::sort(v.begin(), v.end(),
            [](double a, double b) { return a < b || (std::isnan(b) && !std::isnan(a)); });
  return v;
}

} // namespace

TEST(Sort, FloatEdgesBothSidesOfRadixThreshold) {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double tiny = std::numeric_limits<double>::denorm_min();
  for (int64_t n : {7, 2047, 2048, 5000}) {
    std::mt19937_64 rng(static_cast<uint64_t>(n));
    std::normal_distribution<double> normal(0.0, 1e3);
    std::vector<double> v(static_cast<size_t>(n));
    for (double& x : v) x = normal(rng);
    v[0] = nan;
    v[1] = -inf;
    v[2] = inf;
    v[3] = tiny;
    v[4] = -tiny;
    v[5] = std::numeric_limits<double>::max();
    v[6] = -std::numeric_limits<double>::max();
    Array a = arrayOf(v, DType::Float64);
    sortRows(a, false);
    std::vector<double> got = valuesOf<double>(a), want = reference(v);
    ASSERT_TRUE(std::isnan(got.back())) << n;
    for (size_t i = 0; i + 1 < got.size(); ++i) EXPECT_EQ(got[i], want[i]) << n << " at " << i;
  }
}

TEST(Sort, IntsKeepSignOrder) {
  std::vector<int64_t> v(3000);
  std::mt19937_64 rng(1);
  for (int64_t& x : v) x = int64_t(rng());
  v[0] = std::numeric_limits<int64_t>::min();
  v[1] = std::numeric_limits<int64_t>::max();
  v[2] = -1;
  v[3] = 0;
  Array a = arrayOf(v, DType::Int64);
  sortRows(a, false);
  std::sort(v.begin(), v.end());
  EXPECT_EQ(valuesOf<int64_t>(a), v);
  std::vector<int32_t> w = {5, -7, std::numeric_limits<int32_t>::min(), 0, 3};
  w.resize(2500, -2);
  Array b = arrayOf(w, DType::Int32);
  sortRows(b, true);
  std::sort(w.begin(), w.end());
  EXPECT_EQ(valuesOf<int32_t>(b), w);
}

TEST(Sort, FloatNegativeZeroFirstInRadixRows) {
  std::vector<float> v(4096, 1.0f);
  v[100] = 0.0f;
  v[200] = -0.0f;
  v[300] = std::numeric_limits<float>::quiet_NaN();
  Array a = arrayOf(v, DType::Float32);
  sortRows(a, false);
  std::vector<float> got = valuesOf<float>(a);
  EXPECT_TRUE(std::signbit(got[0]));
  EXPECT_EQ(got[1], 0.0f);
  EXPECT_FALSE(std::signbit(got[1]));
  EXPECT_EQ(got[2], 1.0f);
  EXPECT_TRUE(std::isnan(got.back()));
}

TEST(Sort, BoolCountsAndManyRows) {
  std::vector<uint8_t> v = {1, 0, 1, 1, 0, 0, 1, 0};
  Array a = arrayOf(v, DType::Bool, {2, 4});
  sortRows(a, false);
  EXPECT_EQ(valuesOf<uint8_t>(a), (std::vector<uint8_t>{0, 1, 1, 1, 0, 0, 0, 1}));
  // 300 rows of 500: sorted row by row (in parallel), rows kept apart.
  std::vector<double> m(300 * 500);
  std::mt19937_64 rng(3);
  for (double& x : m) x = double(rng() % 1000);
  Array b = arrayOf(m, DType::Float64, {300, 500});
  sortRows(b, false);
  std::vector<double> got = valuesOf<double>(b);
  for (int r = 0; r < 300; ++r) {
    std::vector<double> row(m.begin() + r * 500, m.begin() + (r + 1) * 500);
    std::sort(row.begin(), row.end());
    EXPECT_TRUE(std::equal(row.begin(), row.end(), got.begin() + r * 500)) << r;
  }
}

TEST(Sort, ArgsortTiesInIndexOrder) {
  std::vector<double> v = {3.0, std::numeric_limits<double>::quiet_NaN(), 1.0, 3.0, 1.0, -2.0};
  Array idx = argsortRows(arrayOf(v, DType::Float64));
  EXPECT_EQ(valuesOf<int64_t>(idx), (std::vector<int64_t>{5, 2, 4, 0, 3, 1}));
}

TEST(Sort, SearchSortedSides) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Array s = arrayOf(std::vector<double>{1.0, 2.0, 2.0, 3.0, nan}, DType::Float64);
  Array v = arrayOf(std::vector<double>{0.0, 2.0, 2.5, 9.0, nan}, DType::Float64);
  EXPECT_EQ(valuesOf<int64_t>(searchSorted(s, v, false)), (std::vector<int64_t>{0, 1, 3, 4, 4}));
  EXPECT_EQ(valuesOf<int64_t>(searchSorted(s, v, true)), (std::vector<int64_t>{0, 3, 3, 4, 5}));
}

TEST(Sort, LongArgsortStableNanLast) {
  // Radix argsort (rows of 2048+): ties in index order, NaNs last in order.
  const int n = 5000;
  std::vector<float> v(n);
  std::mt19937 rng(9);
  for (float& x : v) x = float(int(rng() % 50) - 25);
  v[10] = std::numeric_limits<float>::quiet_NaN();
  v[4000] = std::numeric_limits<float>::quiet_NaN();
  v[20] = -std::numeric_limits<float>::infinity();
  std::vector<int64_t> got = valuesOf<int64_t>(argsortRows(arrayOf(v, DType::Float32)));
  std::vector<int64_t> want(n);
  for (int i = 0; i < n; ++i) want[size_t(i)] = i;
  std::stable_sort(want.begin(), want.end(), [&](int64_t i, int64_t j) {
    float a = v[size_t(i)], b = v[size_t(j)];
    return a < b || (std::isnan(b) && !std::isnan(a));
  });
  EXPECT_EQ(got, want);
  EXPECT_EQ(got.front(), 20);
  EXPECT_EQ(got[n - 2], 10);
  EXPECT_EQ(got[n - 1], 4000);
  std::vector<int64_t> w(3000);
  for (int64_t& x : w) x = int64_t(rng() % 7) - 3;
  got = valuesOf<int64_t>(argsortRows(arrayOf(w, DType::Int64)));
  for (int i = 0; i + 1 < 3000; ++i) {
    int64_t a = w[size_t(got[size_t(i)])], b = w[size_t(got[size_t(i + 1)])];
    EXPECT_TRUE(a < b || (a == b && got[size_t(i)] < got[size_t(i + 1)])) << i;
  }
}
