// sumShortRows against a scalar transcription of NumPy 1.24's pairwise leaf
// (0.0 + pairwise_sum(row)): equal bits for every row length 1..128, unit and
// strided row steps, float32 and float64, partial last blocks; with a divisor,
// each sum divided by it in the same dtype (NumPy's mean: the sum, then
// true_divide by the count).
#include "runtime/ShortRowSums.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

using namespace ravel;

namespace {

template <class T> T numpyLeaf(const T* a, int64_t n, int64_t stride) {
  T res = T(-0.0);
  int64_t i = 0;
  if (n >= 8) {
    T r[8];
    for (int j = 0; j < 8; ++j) r[j] = a[j * stride];
    for (i = 8; i < n - n % 8; i += 8)
      for (int j = 0; j < 8; ++j) r[j] += a[(i + j) * stride];
    res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
  }
  for (; i < n; ++i) res += a[i * stride];
  return T(0) + res;
}

template <class T> void checkAll(DType t, double divisor) {
  std::mt19937_64 rng(42);
  std::normal_distribution<double> dist(0, 1000);
  std::vector<T> data(4000);
  for (T& v : data) v = T(dist(rng));
  for (int64_t length = 1; length <= kShortRowMax; ++length)
    for (int64_t rowStep : {1, 3}) // in elements
      for (int64_t elemStride : {1, 2}) {
        const int64_t count = std::min<int64_t>(
            150, (int64_t(data.size()) - (length - 1) * elemStride - 1) / rowStep + 1);
        std::vector<T> out(static_cast<size_t>(count));
        sumShortRows(t, reinterpret_cast<const char*>(data.data()), count,
                     rowStep * int64_t(sizeof(T)), length, elemStride * int64_t(sizeof(T)), divisor,
                     reinterpret_cast<char*>(out.data()));
        for (int64_t r = 0; r < count; ++r) {
          T want = numpyLeaf(data.data() + r * rowStep, length, elemStride);
          if (divisor != 0) want = want / T(divisor);
          ASSERT_EQ(std::memcmp(&out[size_t(r)], &want, sizeof(T)), 0)
              << "length " << length << " row " << r << " step " << rowStep << " stride "
              << elemStride << ": " << out[size_t(r)] << " vs " << want;
        }
      }
}

} // namespace

TEST(ShortRowSums, Float64MatchesNumpysLeafBitForBit) {
  checkAll<double>(DType::Float64, 0);
}

TEST(ShortRowSums, Float32MatchesNumpysLeafBitForBit) {
  checkAll<float>(DType::Float32, 0);
}

TEST(ShortRowSums, DividedSumsMatchNumpysMeanBitForBit) {
  // 3 and 7: quotients that round; 16: exact.
  for (double divisor : {3.0, 7.0, 16.0}) {
    checkAll<double>(DType::Float64, divisor);
    checkAll<float>(DType::Float32, divisor);
  }
}

TEST(ShortRowSums, NegativeZeroRowsSumToPositiveZero) {
  // NumPy: 0.0 + (-0.0 + -0.0 ...) is +0.0.
  std::vector<double> z(20, -0.0);
  double out[4];
  sumShortRows(DType::Float64, reinterpret_cast<const char*>(z.data()), 4, 8, 9, 8, 0,
               reinterpret_cast<char*>(out));
  for (double v : out) EXPECT_FALSE(std::signbit(v));
}
