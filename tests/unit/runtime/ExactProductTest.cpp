// The blocked integer/bool product kernel against a plain triple loop, over
// shapes around its tile and block edges, strided and transposed operands,
// an addend (accumulate) and wrapping.
#include "runtime/ExactProduct.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

namespace ravel::blas {
namespace {

template <typename T>
void checkShape(int64_t m, int64_t k, int64_t n, bool transposeA, bool accumulate,
                std::mt19937_64& rng) {
  using U = std::make_unsigned_t<T>;
  const bool isBool = std::is_same_v<T, uint8_t>;
  auto draw = [&] { return isBool ? T(rng() % 2) : T(rng()); };
  std::vector<T> a(size_t(m * k)), b(size_t(k * n * 2)), c(size_t(m * n)), want(size_t(m * n));
  for (T& x : a) x = draw();
  for (T& x : b) x = draw();
  for (T& x : c) x = draw();
  // a is m x k row-major, or stored transposed (k x m) and read through its strides;
  // b's columns are every other element (a column stride of two items).
  const int64_t s = int64_t(sizeof(T));
  StridedMatrix am{reinterpret_cast<const char*>(a.data()), m, k, transposeA ? s : k * s,
                   transposeA ? m * s : s};
  StridedMatrix bm{reinterpret_cast<const char*>(b.data()), k, n, 2 * n * s, 2 * s};
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      U acc = accumulate ? U(c[size_t(i * n + j)]) : U(0);
      for (int64_t p = 0; p < k; ++p) {
        const T av = transposeA ? a[size_t(p * m + i)] : a[size_t(i * k + p)];
        const T bv = b[size_t(p * 2 * n + 2 * j)];
        acc = isBool ? U(acc | (av & bv)) : U(acc + U(av) * U(bv));
      }
      want[size_t(i * n + j)] = T(acc);
    }
  const DType t = isBool ? DType::Bool : sizeof(T) == 8 ? DType::Int64 : DType::Int32;
  exactProduct(t, am, bm, reinterpret_cast<char*>(c.data()), n * s, s, accumulate);
  ASSERT_EQ(c, want) << m << "x" << k << "x" << n << " transposeA=" << transposeA
                     << " accumulate=" << accumulate;
}

template <typename T> void checkAll() {
  std::mt19937_64 rng(7);
  for (int64_t m : {1, 3, 4, 5, 9})
    for (int64_t k : {0, 1, 2, 127, 128, 129, 300})
      for (int64_t n : {1, 15, 16, 17, 33, 64, 65})
        for (bool t : {false, true})
          for (bool acc : {false, true}) checkShape<T>(m, k, n, t, acc, rng);
  checkShape<T>(70, 260, 1100, false, false, rng); // several column blocks, pool split
}

TEST(ExactProduct, Int64MatchesTripleLoop) {
  checkAll<int64_t>();
}
TEST(ExactProduct, Int32MatchesTripleLoop) {
  checkAll<int32_t>();
}
TEST(ExactProduct, BoolIsOrOfAnds) {
  checkAll<uint8_t>();
}

} // namespace
} // namespace ravel::blas
