// NumPy's Generator (PCG64 seeded by SeedSequence) and the legacy
// RandomState's integer and discrete streams, bit for bit. Expected values
// were printed by NumPy 1.24.2 (np.random.SeedSequence(...).generate_state,
// default_rng(...).bit_generator.random_raw, .integers, .choice, and
// np.random.seed(...) then randint, poisson, permutation, choice).
#include "runtime/Pcg64.h"
#include "runtime/Random.h"

#include <gtest/gtest.h>

using namespace ravel;

namespace {

template <class T> std::vector<T> values(const Array& a) {
  const T* p = reinterpret_cast<const T*>(a.data());
  return std::vector<T>(p, p + a.size());
}

} // namespace

TEST(SeedSequence, GenerateStateOfAnInt) {
  EXPECT_EQ(seedSequenceState(seedWords(42), 8),
            (std::vector<uint32_t>{0xcd540ab7, 0x9f1e2e6d, 0x79fb94b6, 0xd57873dc, 0x64d420b7,
                                   0x7d282a1b, 0x4692d5ff, 0x33657971}));
  // 2**40 + 5 is two words.
  EXPECT_EQ(seedSequenceState(seedWords((uint64_t(1) << 40) + 5), 4),
            (std::vector<uint32_t>{0xe08a170b, 0xdae41755, 0x7ecdcb2c, 0x8415abe8}));
}

TEST(SeedSequence, EntropyLongerThanThePool) {
  EXPECT_EQ(seedSequenceState({1, 2, 3, 4, 5, 6}, 4),
            (std::vector<uint32_t>{0x1d1bca21, 0xebcd001d, 0xb202608b, 0xcfea83a4}));
}

TEST(Pcg64, RawStreamOfDefaultRng42) {
  Pcg64 g(seedWords(42));
  EXPECT_EQ(g.nextUInt64(), 0xc621fbcd16d92688ULL);
  EXPECT_EQ(g.nextUInt64(), 0x705a5661a791ffc1ULL);
  EXPECT_EQ(g.nextUInt64(), 0xdbcd12c26eda1624ULL);
}

TEST(Pcg64, RandomThenIntegers) {
  Pcg64 g(seedWords(42));
  EXPECT_EQ(g.nextDouble(), 0.7739560485559633);
  // integers(0, 10, 6): 32-bit Lemire draws, two per 64-bit word.
  EXPECT_EQ(values<int64_t>(generatorIntegers(g, 0, 9, {6}, DType::Int64)),
            (std::vector<int64_t>{6, 4, 4, 8, 0, 6}));
  EXPECT_EQ(values<int64_t>(generatorIntegers(g, 0, (int64_t(1) << 40) - 1, {2}, DType::Int64)),
            (std::vector<int64_t>{103549089075, 1072708119942}));
  EXPECT_EQ(values<int32_t>(generatorIntegers(g, -5, 4, {3}, DType::Int32)),
            (std::vector<int32_t>{2, 2, 2}));
  EXPECT_EQ(values<bool>(generatorIntegers(g, 0, 1, {5}, DType::Bool)),
            (std::vector<bool>{true, true, false, false, false}));
}

TEST(Pcg64, ChoiceWithoutReplacementAndPermutation) {
  Pcg64 g(seedWords(7));
  EXPECT_EQ(generatorSampleWithoutReplacement(g, 100, 5, true),
            (std::vector<int64_t>{60, 67, 90, 57, 88}));
  std::vector<int64_t> tail = generatorSampleWithoutReplacement(g, 20000, 1000, true);
  EXPECT_EQ(std::vector<int64_t>(tail.begin(), tail.begin() + 3),
            (std::vector<int64_t>{15393, 9000, 3025}));
  Array perm = Array::empty({6}, DType::Int64);
  for (int64_t i = 0; i < 6; ++i) reinterpret_cast<int64_t*>(perm.data())[i] = i;
  generatorShuffleRows(g, perm);
  EXPECT_EQ(values<int64_t>(perm), (std::vector<int64_t>{5, 2, 0, 4, 1, 3}));
  EXPECT_EQ(generatorSampleWithoutReplacement(g, 10, 3, false), (std::vector<int64_t>{4, 2, 5}));
}

TEST(LegacyRandom, RandintDTypes) {
  LegacyRandom r(3);
  EXPECT_EQ(values<int64_t>(r.randint(0, 100, {5})), (std::vector<int64_t>{24, 3, 56, 72, 0}));
  EXPECT_EQ(values<int64_t>(r.randint(0, int64_t(1) << 40, {2})),
            (std::vector<int64_t>{94029491197, 635209742026}));
  EXPECT_EQ(values<int32_t>(r.randint(-3, 3, {4}, DType::Int32)),
            (std::vector<int32_t>{0, -2, -2, -1}));
  EXPECT_EQ(values<bool>(r.randint(0, 2, {6}, DType::Bool)),
            (std::vector<bool>{true, false, true, false, true, false}));
}

TEST(LegacyRandom, ExponentialPoissonPermutation) {
  LegacyRandom r(3);
  EXPECT_EQ(values<double>(r.exponential(2.0, {})), (std::vector<double>{1.6005647737649595}));
  EXPECT_EQ(values<int64_t>(r.poisson(3.0, {5})), (std::vector<int64_t>{5, 1, 1, 4, 0}));
  // lam >= 10: PTRS.
  EXPECT_EQ(values<int64_t>(r.poisson(50.0, {4})), (std::vector<int64_t>{51, 48, 54, 42}));
  Array perm = Array::empty({6}, DType::Int64);
  for (int64_t i = 0; i < 6; ++i) reinterpret_cast<int64_t*>(perm.data())[i] = i;
  r.shuffleRows(perm);
  EXPECT_EQ(values<int64_t>(perm), (std::vector<int64_t>{5, 3, 1, 2, 4, 0}));
}

TEST(Pcg64, BulkDoublesAreTheScalarStream) {
  // fillDoubles (four states jumping four steps at a time) against one
  // nextDouble() at a time, for every length mod 4 and around the
  // eight-value threshold, then the same state after.
  Pcg64 bulk(seedWords(1234)), scalar(seedWords(1234));
  for (int64_t n : {0, 1, 3, 4, 7, 8, 9, 10, 11, 12, 1001, 4096}) {
    std::vector<double> got(size_t(n) + 1, -1.0);
    bulk.fillDoubles(got.data(), n);
    for (int64_t i = 0; i < n; ++i) ASSERT_EQ(got[size_t(i)], scalar.nextDouble()) << n << " " << i;
    EXPECT_EQ(got[size_t(n)], -1.0); // nothing written past n
    EXPECT_EQ(bulk.nextUInt64(), scalar.nextUInt64());
  }
}
