// Advanced indexing primitives: placement of the index dimensions, strided
// and broadcast index arrays, last-write-wins scatter, nonzero order.
#include "runtime/Gather.h"

#include "RuntimeTestUtil.h"

namespace ravel {
namespace {

using testutil::iota;
using testutil::values;

Array ints(std::vector<int64_t> v) {
  Array a = Array::empty({int64_t(v.size())}, DType::Int64);
  for (size_t i = 0; i < v.size(); ++i) a.setAt({int64_t(i)}, Scalar::ofInt(v[i]));
  return a;
}

TEST(Gather, RowsOfAMatrix) {
  AdvancedIndex ix{iota({3, 4}), {0}, {ints({2, 0})}, {2}};
  EXPECT_EQ(advancedResultShape(ix), (Shape{2, 4}));
  EXPECT_EQ(values(gather(ix)), (std::vector<int64_t>{8, 9, 10, 11, 0, 1, 2, 3}));
}

TEST(Gather, AdjacentAxesStayInPlace) {
  // b[:, [0, 1], [1, 2]] on (2, 3, 4): result (2, 2).
  AdvancedIndex ix{iota({2, 3, 4}), {1, 2}, {ints({0, 1}), ints({1, 2})}, {2}};
  EXPECT_FALSE(indexDimsFirst(ix));
  EXPECT_EQ(advancedResultShape(ix), (Shape{2, 2}));
  EXPECT_EQ(values(gather(ix)), (std::vector<int64_t>{1, 6, 13, 18}));
}

TEST(Gather, SplitAxesGoFirst) {
  // b[[0, 1], :, [1, 2]] on (2, 3, 4): result (2, 3).
  AdvancedIndex ix{iota({2, 3, 4}), {0, 2}, {ints({0, 1}), ints({1, 2})}, {2}};
  EXPECT_TRUE(indexDimsFirst(ix));
  EXPECT_EQ(advancedResultShape(ix), (Shape{2, 3}));
  EXPECT_EQ(values(gather(ix)), (std::vector<int64_t>{1, 5, 9, 14, 18, 22}));
}

TEST(Gather, ReadsThroughNegativeStridesAndBroadcastIndices) {
  Array rev = iota({6}).sliceAxis(0, 5, -1, 6); // 5 4 3 2 1 0
  Array idx = ints({1}).broadcastTo({3});
  AdvancedIndex ix{rev, {0}, {idx}, {3}};
  EXPECT_EQ(values(gather(ix)), (std::vector<int64_t>{4, 4, 4}));
}

TEST(Gather, EmptyIndexGivesEmptyResult) {
  AdvancedIndex ix{iota({3, 2}), {0}, {ints({})}, {0}};
  Array r = gather(ix);
  EXPECT_EQ(r.shape(), (Shape{0, 2}));
}

TEST(Scatter, LastWriteWinsOnRepeatedIndices) {
  Array a = Array::zeros({4}, DType::Int64);
  AdvancedIndex ix{a, {0}, {ints({0, 0, 1, 0})}, {4}};
  scatter(ix, ints({1, 2, 3, 4}));
  EXPECT_EQ(values(a), (std::vector<int64_t>{4, 3, 0, 0}));
}

TEST(Scatter, BroadcastValuesIntoColumns) {
  Array a = Array::zeros({2, 3}, DType::Int64);
  AdvancedIndex ix{a, {1}, {ints({2, 0})}, {2}};
  scatter(ix, Array::full({2, 2}, Scalar::ofInt(7), DType::Int64));
  EXPECT_EQ(values(a), (std::vector<int64_t>{7, 0, 7, 7, 0, 7}));
}

TEST(Nonzero, CoordinatesInCOrder) {
  Array a = iota({2, 3});
  std::vector<Array> c = nonzeroCoordinates(a);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(values(c[0]), (std::vector<int64_t>{0, 0, 1, 1, 1}));
  EXPECT_EQ(values(c[1]), (std::vector<int64_t>{1, 2, 0, 1, 2}));
}

TEST(Nonzero, ZeroDimensionalCountsAsOneDimensional) {
  std::vector<Array> c = nonzeroCoordinates(Array::scalar(Scalar::ofInt(5)));
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(values(c[0]), (std::vector<int64_t>{0}));
}

} // namespace
} // namespace ravel
