// NumPy legacy RandomState streams, bit for bit (expected values are reprs
// printed by NumPy 1.24.2 after np.random.seed(...)).
#include "runtime/Random.h"

#include <gtest/gtest.h>

using namespace ravel;

namespace {

std::vector<double> doubles(const Array& a) {
  Array c = a.reshape({a.size()});
  std::vector<double> out;
  for (int64_t i = 0; i < c.size(); ++i) out.push_back(c.at({i}).f);
  return out;
}

std::vector<int64_t> ints(const Array& a) {
  std::vector<int64_t> out;
  for (int64_t i = 0; i < a.size(); ++i) out.push_back(a.at({i}).i);
  return out;
}

} // namespace

TEST(Random, RandSeed0) {
  LegacyRandom r;
  r.seed(0);
  EXPECT_EQ(doubles(r.rand({5})),
            (std::vector<double>{0.5488135039273248, 0.7151893663724195, 0.6027633760716439,
                                 0.5448831829968969, 0.4236547993389047}));
}

TEST(Random, RandnSeed0) {
  LegacyRandom r(0);
  EXPECT_EQ(doubles(r.randn({5})),
            (std::vector<double>{1.764052345967664, 0.4001572083672233, 0.9787379841057392,
                                 2.240893199201458, 1.8675579901499675}));
}

TEST(Random, InterleavedCallsKeepTheCachedGaussian) {
  // seed(0); rand(3); randn(3); rand(2)
  LegacyRandom r(12345);
  r.randn({1}); // leaves a cached value that seed() must clear
  r.seed(0);
  EXPECT_EQ(doubles(r.rand({3})),
            (std::vector<double>{0.5488135039273248, 0.7151893663724195, 0.6027633760716439}));
  EXPECT_EQ(doubles(r.randn({3})),
            (std::vector<double>{-2.268328201180374, 1.3335453816218967, -0.8427240538292873}));
  EXPECT_EQ(doubles(r.rand({2})), (std::vector<double>{0.8917730007820798, 0.9636627605010293}));
}

TEST(Random, OtherSeedsAndShapes) {
  LegacyRandom r(42);
  Array m = r.rand({2, 2});
  EXPECT_EQ(m.shape(), (Shape{2, 2}));
  EXPECT_EQ(doubles(m), (std::vector<double>{0.3745401188473625, 0.9507143064099162,
                                             0.7319939418114051, 0.5986584841970366}));
  r.seed(4294967295U);
  EXPECT_EQ(doubles(r.rand({3})),
            (std::vector<double>{0.0976320289940138, 0.9123828453026218, 0.78903530185164}));
  // Crossing the 624-word state refill.
  r.seed(0);
  r.rand({700});
  EXPECT_EQ(doubles(r.rand({2})), (std::vector<double>{0.37321595574479416, 0.22286381801498023}));
  r.seedByArray({1, 2, 3});
  EXPECT_EQ(doubles(r.rand({3})),
            (std::vector<double>{0.6098612722867289, 0.8866970434146851, 0.47633673750662764}));
  EXPECT_EQ(r.rand({0, 3}).size(), 0);
}

TEST(Random, RandintUniformNormal) {
  // seed(7); randint(0,10,8); randint(-5,2**40,3); randint(-2**62,2**62,2); randint(3,4,2); rand()
  LegacyRandom r(7);
  EXPECT_EQ(ints(r.randint(0, 10, {8})), (std::vector<int64_t>{4, 9, 6, 3, 3, 7, 7, 9}));
  EXPECT_EQ(ints(r.randint(-5, int64_t(1) << 40, {3})),
            (std::vector<int64_t>{309610205524, 936371204995, 719526270945}));
  EXPECT_EQ(ints(r.randint(-(int64_t(1) << 62), int64_t(1) << 62, {2})),
            (std::vector<int64_t>{-1305476248148261456, 991310334879981959}));
  EXPECT_EQ(ints(r.randint(3, 4, {2})), (std::vector<int64_t>{3, 3}));
  EXPECT_EQ(r.randomSample(), 0.3809411331485384);
  EXPECT_THROW(r.randint(5, 5, {1}), RuntimeError);
  // seed(1); uniform(-2, 3, 3); normal(1.5, 2.0, 3)
  r.seed(1);
  EXPECT_EQ(doubles(r.uniform(-2, 3, {3})),
            (std::vector<double>{0.08511002351287011, 1.6016224672107904, -1.9994281259132756}));
  EXPECT_EQ(doubles(r.normal(1.5, 2.0, {3})),
            (std::vector<double>{-0.1043456772972855, 0.602244384558455, -0.7118701520166306}));
  EXPECT_THROW(r.normal(0, -1, {1}), RuntimeError);
}

TEST(Random, GlobalStateIsUnseededButUsable) {
  LegacyRandom& g = globalRandom();
  EXPECT_EQ(&g, &globalRandom());
  double x = g.randomSample();
  EXPECT_GE(x, 0.0);
  EXPECT_LT(x, 1.0);
  g.seed(0);
  EXPECT_EQ(g.randomSample(), 0.5488135039273248);
}

TEST(Random, BulkGaussiansAreTheScalarStream) {
  // fillGauss (samples by vector code, attempts accepted in order) against
  // one gauss() at a time: every word position mod 4, a cached second value
  // on entry and on exit, attempts that straddle a regeneration.
  for (int skip : {0, 1, 2, 3, 621, 622, 623}) {
    LegacyRandom bulk(2024), scalar(2024);
    for (int k = 0; k < skip; ++k) EXPECT_EQ(bulk.nextUInt32(), scalar.nextUInt32());
    for (int64_t n : {1, 2, 3, 155, 156, 157, 4999}) {
      std::vector<double> got(size_t(n), 0.0);
      bulk.fillGauss(got.data(), n);
      for (int64_t i = 0; i < n; ++i)
        ASSERT_EQ(got[size_t(i)], scalar.gauss()) << "skip " << skip << " n " << n << " i " << i;
    }
    EXPECT_EQ(bulk.gauss(), scalar.gauss()); // the same cache and position after
    EXPECT_EQ(bulk.nextUInt32(), scalar.nextUInt32());
  }
}

TEST(Random, BulkSamplesAreTheScalarStream) {
  // fillRandomSample (vector code over the state words) against one
  // randomSample() at a time, from every parity of the word position and
  // across several regenerations, including samples that straddle one.
  for (int skip : {0, 1, 2, 3, 623}) {
    LegacyRandom bulk(12345), scalar(12345);
    for (int k = 0; k < skip; ++k) EXPECT_EQ(bulk.nextUInt32(), scalar.nextUInt32());
    for (int64_t n : {1, 311, 312, 313, 5000}) {
      std::vector<double> got(size_t(n), 0.0);
      bulk.fillRandomSample(got.data(), n);
      for (int64_t i = 0; i < n; ++i)
        ASSERT_EQ(got[size_t(i)], scalar.randomSample()) << "skip " << skip << " i " << i;
    }
    EXPECT_EQ(bulk.nextUInt32(), scalar.nextUInt32()); // the same position after
  }
}
