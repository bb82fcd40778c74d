// runtime/Layout: as_strided's bounds check (overflow included), sliding
// windows, the tile view and the gather behind repeat. Expected strides and
// values come from NumPy 1.24.2 (/usr/bin/python3).
#include "runtime/Layout.h"
#include "tests/unit/runtime/RuntimeTestUtil.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

using namespace ravel;
using namespace ravel::testutil;

TEST(Layout, ByteExtent) {
  auto e = byteExtentOf({3, 4}, {32, 8}, 8);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->lo, 0);
  EXPECT_EQ(e->hi, 96);
  e = byteExtentOf({3}, {-8}, 8); // a reversed view reaches backwards
  ASSERT_TRUE(e);
  EXPECT_EQ(e->lo, -16);
  EXPECT_EQ(e->hi, 8);
  e = byteExtentOf({0, 5}, {8, 1000}, 8); // empty: touches nothing
  ASSERT_TRUE(e);
  EXPECT_EQ(e->hi - e->lo, 0);
  const int64_t big = std::numeric_limits<int64_t>::max() / 2;
  EXPECT_FALSE(byteExtentOf({3}, {big}, 8)); // 2 * big + 8 overflows
  EXPECT_FALSE(byteExtentOf({2, 2}, {big, big}, 8));
}

TEST(Layout, AsStridedZeroStrideHugeShapeIsInBounds) {
  // as_strided(arange(5.0), shape=(5, 10**11), strides=(8, 0))
  Array x = iota({5}, DType::Float64);
  Array v = asStrided(x, {5, 100000000000}, {8, 0});
  EXPECT_EQ(v.shape(), (Shape{5, 100000000000}));
  EXPECT_EQ(v.at({3, 99999999999}).f, 3.0);
  EXPECT_FALSE(v.writeable()); // ravel: zero strides are read-only
  EXPECT_TRUE(v.isView());
}

TEST(Layout, AsStridedRefusesOutOfBounds) {
  Array x = iota({5}, DType::Float64);
  EXPECT_THROW(asStrided(x, {5, 100000000000}, {8, 8}), RuntimeError);
  EXPECT_THROW(asStrided(x, {6}, {8}), RuntimeError);         // one past the end
  EXPECT_THROW(asStrided(x, {2}, {-8}), RuntimeError);        // one before the start
  EXPECT_THROW(asStrided(x, {3}, {INT64_MAX}), RuntimeError); // extent overflows
  expectError(
      [&] {
        asStrided(x, {3}, {8, 8});
      },
      ErrorKind::Value, "mismatch in length of strides and shape");
  expectError([&] { asStrided(x, {-1}, {8}); }, ErrorKind::Value,
              "negative dimensions are not allowed");
  // Reaching back before a view's first element is fine inside the buffer.
  SliceBounds s = normalizeSlice(2, std::nullopt, std::nullopt, 5);
  Array tail = x.sliceAxis(0, s.start, s.step, s.count);
  Array back = asStrided(tail, {3}, {-8});
  EXPECT_EQ(back.at({2}).f, 0.0);
  EXPECT_TRUE(back.writeable());
  EXPECT_THROW(asStrided(tail, {4}, {-8}), RuntimeError);
  // A zero-size view reaches nothing, whatever its strides.
  EXPECT_EQ(asStrided(x, {0, 3}, {1000, 1000}).size(), 0);
}

TEST(Layout, SlidingWindows) {
  // sliding_window_view(arange(6), 3): shape (4, 3), strides (8, 8), read-only.
  Array x = iota({6});
  Array w = slidingWindows(x, {3}, {0});
  EXPECT_EQ(w.shape(), (Shape{4, 3}));
  EXPECT_EQ(w.strides(), (Strides{8, 8}));
  EXPECT_FALSE(w.writeable());
  EXPECT_EQ(w.at({2, 1}).i, 3);
  // sliding_window_view(a, (2, 2), axis=(1, 1)) for a (2, 3) array.
  Array a = iota({2, 3}, DType::Float64);
  Array r = slidingWindows(a, {2, 2}, {1, 1});
  EXPECT_EQ(r.shape(), (Shape{2, 1, 2, 2}));
  EXPECT_EQ(r.strides(), (Strides{24, 8, 8, 8}));
  expectError([&] { slidingWindows(x, {7}, {0}); }, ErrorKind::Value,
              "window shape cannot be larger than input array shape");
  expectError([&] { slidingWindows(x, {-1}, {0}); }, ErrorKind::Value,
              "`window_shape` cannot contain negative values");
  EXPECT_EQ(slidingWindows(x, {0}, {0}).shape(), (Shape{7, 0}));
}

TEST(Layout, TileViewWritesEveryCopy) {
  // tile(arange(3), (2, 2)): result (2, 6) written through a (2, 2, 1, 3) view.
  Array result = Array::zeros({2, 6}, DType::Int64);
  Array v = tileView(result, {2, 2}, {1, 3});
  EXPECT_EQ(v.shape(), (Shape{2, 2, 1, 3}));
  EXPECT_TRUE(v.writeable());
  v.assign(iota({3}));
  EXPECT_EQ(values(result), (std::vector<int64_t>{0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2}));
  Array empty = Array::zeros({0, 3}, DType::Int64);
  EXPECT_EQ(tileView(empty, {0, 1}, {2, 3}).size(), 0);
}

TEST(Layout, TakeAlongAxisRepeats) {
  // repeat(arange(6).reshape(2, 3), [1, 2, 0], axis=1) -> [[0 1 1] [3 4 4]]
  Array a = iota({2, 3});
  Array out = Array::empty({2, 3}, DType::Int64);
  takeAlongAxis(a, {0, 1, 1}, 1, out);
  EXPECT_EQ(values(out), (std::vector<int64_t>{0, 1, 1, 3, 4, 4}));
  // Along axis 0 of an int32 transposed view.
  Array t = iota({2, 3}, DType::Int32).transpose(); // (3, 2)
  Array rows = Array::empty({4, 2}, DType::Int32);
  takeAlongAxis(t, {2, 2, 0, 1}, 0, rows);
  EXPECT_EQ(values(rows), (std::vector<int64_t>{2, 5, 2, 5, 0, 3, 1, 4}));
  // Bool (1-byte) elements and an empty result.
  Array b = Array::full({2}, Scalar::ofBool(true), DType::Bool);
  b.setAt({1}, Scalar::ofBool(false));
  Array bb = Array::empty({3}, DType::Bool);
  takeAlongAxis(b, {1, 0, 1}, 0, bb);
  EXPECT_EQ(values(bb), (std::vector<int64_t>{0, 1, 0}));
  Array none = Array::empty({0}, DType::Bool);
  takeAlongAxis(b, {}, 0, none);
  EXPECT_THROW(takeAlongAxis(b, {2}, 0, Array::empty({1}, DType::Bool)), InternalError);
}

TEST(Layout, ElementsOverlapIsExact) {
  Array a = iota({10});
  Array evens = a.sliceAxis(0, 0, 2, 5), odds = a.sliceAxis(0, 1, 2, 5);
  EXPECT_TRUE(evens.mayShareMemory(odds));    // bounds overlap ...
  EXPECT_FALSE(elementsOverlap(evens, odds)); // ... elements do not
  EXPECT_TRUE(elementsOverlap(a, odds));
  EXPECT_TRUE(elementsOverlap(a.sliceAxis(0, 9, -3, 4), a.sliceAxis(0, 3, 1, 1))); // 9 6 3 0 vs 3
  EXPECT_FALSE(elementsOverlap(a.sliceAxis(0, 9, -3, 4), a.sliceAxis(0, 4, 1, 1)));
  EXPECT_FALSE(elementsOverlap(a, iota({10})));              // another buffer
  EXPECT_FALSE(elementsOverlap(a, a.sliceAxis(0, 0, 1, 0))); // nothing selected
}
