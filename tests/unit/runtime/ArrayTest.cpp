// Array views, reshape, copies, assignment and allocation, checked against
// NumPy 1.24.2 (expected strides, messages and values come from /usr/bin/python3).
#include "runtime/Array.h"
#include "tests/unit/runtime/RuntimeTestUtil.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace ravel;
using namespace ravel::testutil;

TEST(Views, SlicingMetadata) {
  Array a = iota({3, 4}); // strides (32, 8)
  ASSERT_EQ(a.strides(), (Strides{32, 8}));
  EXPECT_FALSE(a.isView());
  EXPECT_FALSE(a.base().valid());

  SliceBounds s = normalizeSlice(1, 3, std::nullopt, 3); // a[1:3]
  Array v = a.sliceAxis(0, s.start, s.step, s.count);
  EXPECT_EQ(v.shape(), (Shape{2, 4}));
  EXPECT_EQ(v.strides(), (Strides{32, 8}));
  EXPECT_EQ(v.offset(), 32);
  EXPECT_TRUE(v.isView());
  EXPECT_TRUE(sameOwner(v.base(), a));
  EXPECT_EQ(v.at({0, 0}).i, 4);

  s = normalizeSlice(std::nullopt, std::nullopt, 2, 3); // a[::2]
  v = a.sliceAxis(0, s.start, s.step, s.count);
  EXPECT_EQ(v.shape(), (Shape{2, 4}));
  EXPECT_EQ(v.strides(), (Strides{64, 8}));
  EXPECT_EQ(values(v), (std::vector<int64_t>{0, 1, 2, 3, 8, 9, 10, 11}));

  s = normalizeSlice(std::nullopt, std::nullopt, -1, 3); // a[::-1]
  v = a.sliceAxis(0, s.start, s.step, s.count);
  EXPECT_EQ(v.shape(), (Shape{3, 4}));
  EXPECT_EQ(v.strides(), (Strides{-32, 8}));
  EXPECT_EQ(v.offset(), 64);
  EXPECT_EQ(values(v), (std::vector<int64_t>{8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3}));

  v = a.indexAxis(1, 0); // a[:, 0]
  EXPECT_EQ(v.shape(), (Shape{3}));
  EXPECT_EQ(v.strides(), (Strides{32}));
  EXPECT_EQ(values(v), (std::vector<int64_t>{0, 4, 8}));

  v = a.transpose(); // a.T
  EXPECT_EQ(v.shape(), (Shape{4, 3}));
  EXPECT_EQ(v.strides(), (Strides{8, 32}));
  EXPECT_EQ(v.at({3, 1}).i, 7);
  EXPECT_TRUE(sameOwner(v.base(), a));

  // An empty slice points at the axis start with step 1 (a[5:2].strides == (24, 8)).
  Array z = Array::zeros({4, 3}, DType::Float64);
  s = normalizeSlice(5, 2, std::nullopt, 4);
  v = z.sliceAxis(0, s.start, s.step, s.count);
  EXPECT_EQ(v.shape(), (Shape{0, 3}));
  EXPECT_EQ(v.strides(), (Strides{24, 8}));
}

TEST(Views, BaseCollapsesToOwner) {
  // b = a[1:]; c = b[::2]; c.base is a
  Array a = iota({10});
  Array b = a.sliceAxis(0, 1, 1, 9);
  Array c = b.sliceAxis(0, 0, 2, 5);
  EXPECT_TRUE(sameOwner(b.base(), a));
  EXPECT_TRUE(sameOwner(c.base(), a));
  EXPECT_TRUE(sameOwner(c.transpose().readOnly().base(), a));
  EXPECT_EQ(values(c), (std::vector<int64_t>{1, 3, 5, 7, 9}));
  EXPECT_FALSE(c.copy().isView());
}

TEST(Views, InsertAxisAndTranspose) {
  Array a = iota({2, 3});
  Array v = a.insertAxis(1); // a[:, None]
  EXPECT_EQ(v.shape(), (Shape{2, 1, 3}));
  EXPECT_EQ(v.strides(), (Strides{24, 0, 8}));
  v = a.transpose({1, 0});
  EXPECT_EQ(v.strides(), (Strides{8, 24}));
  v = a.transpose({-1, 0});
  EXPECT_EQ(v.shape(), (Shape{3, 2}));
  expectError([&] { a.transpose({0}); }, ErrorKind::Value, "axes don't match array");
  expectError([&] { a.transpose({0, 0}); }, ErrorKind::Value, "repeated axis in transpose");
  expectError(
      [&] {
        a.transpose({0, 3});
      },
      ErrorKind::Value, "axis 3 is out of bounds for array of dimension 2");
  Array s = Array::scalar(Scalar::ofInt(7));
  EXPECT_EQ(s.transpose().shape(), Shape{});
  Array deep = Array::zeros(Shape(32, 1), DType::Bool);
  expectError([&] { deep.insertAxis(0); }, ErrorKind::Value,
              "maximum supported dimension for an ndarray is 32, found 33");
}

TEST(Views, Contiguity) {
  Array a = Array::zeros({2, 3}, DType::Float64);
  EXPECT_TRUE(a.isCContiguous());
  EXPECT_FALSE(a.isFContiguous());
  EXPECT_TRUE(a.transpose().isFContiguous());
  EXPECT_FALSE(a.transpose().isCContiguous());
  // np.zeros((3,1)).T is both; x[::2] is neither; zeros((3,4))[:, ::2] is not F.
  Array col = Array::zeros({3, 1}, DType::Float64);
  EXPECT_TRUE(col.transpose().isCContiguous());
  EXPECT_TRUE(col.transpose().isFContiguous());
  Array every2 = col.sliceAxis(0, 0, 2, 2);
  EXPECT_FALSE(every2.isCContiguous());
  EXPECT_FALSE(every2.isFContiguous());
  Array wide = Array::zeros({3, 4}, DType::Float64).sliceAxis(1, 0, 2, 2);
  EXPECT_FALSE(wide.isFContiguous());
  EXPECT_FALSE(wide.isCContiguous());
  Array empty = Array::zeros({0, 3}, DType::Float64).transpose().sliceAxis(0, 0, 2, 2);
  EXPECT_TRUE(empty.isCContiguous());
  EXPECT_TRUE(empty.isFContiguous());
  EXPECT_TRUE(Array::scalar(Scalar::ofFloat(1)).isCContiguous());
}

TEST(Views, EmptyArraysHaveZeroStrides) {
  // NumPy 1.24: np.empty((3, 0)).strides == (0, 0), also after copy/astype.
  EXPECT_EQ(Array::empty({3, 0}, DType::Float64).strides(), (Strides{0, 0}));
  EXPECT_EQ(Array::zeros({0, 1, 2}, DType::Int32).strides(), (Strides{0, 0, 0}));
  EXPECT_EQ(Array::empty({2, 0}, DType::Float64).transpose().copy().strides(), (Strides{0, 0}));
  EXPECT_EQ(Array::empty({0, 3}, DType::Float64).reshape({3, 0}).strides(), (Strides{8, 8}));
}

TEST(Views, MayShareMemory) {
  Array a = iota({10});
  Array lo = a.sliceAxis(0, 0, 1, 5), hi = a.sliceAxis(0, 5, 1, 5);
  EXPECT_FALSE(lo.mayShareMemory(hi));
  EXPECT_TRUE(lo.mayShareMemory(a));
  Array even = a.sliceAxis(0, 0, 2, 5), odd = a.sliceAxis(0, 1, 2, 5);
  EXPECT_TRUE(even.mayShareMemory(odd)); // byte extents overlap (like np.may_share_memory)
  EXPECT_FALSE(a.mayShareMemory(a.copy()));
  EXPECT_FALSE(a.sliceAxis(0, 0, 1, 0).mayShareMemory(a));
}

TEST(Views, BoundsCheckedView) {
  Array a = iota({4});                 // 32 bytes
  Array w = a.view({3, 2}, {8, 8}, 0); // sliding windows of 2
  EXPECT_EQ(values(w), (std::vector<int64_t>{0, 1, 1, 2, 2, 3}));
  EXPECT_FALSE(w.writeable()); // overlapping windows are read-only
  EXPECT_TRUE(sameOwner(w.base(), a));
  Array rep = a.view({5}, {0}, 8);
  EXPECT_FALSE(rep.writeable());
  EXPECT_EQ(values(rep), (std::vector<int64_t>(5, 1)));
  Array ok = a.view({2}, {16}, 8);
  EXPECT_TRUE(ok.writeable());
  EXPECT_EQ(values(ok), (std::vector<int64_t>{1, 3}));
  Array rev = a.view({4}, {-8}, 24);
  EXPECT_EQ(values(rev), (std::vector<int64_t>{3, 2, 1, 0}));
  // as_strided(shape (3,), stride 8) over 2 elements: NumPy reads out of bounds.
  Array two = iota({2});
  EXPECT_THROW(two.view({3}, {8}, 0), RuntimeError);
  EXPECT_THROW(a.view({4}, {-8}, 16), RuntimeError);
  EXPECT_THROW(a.view({1}, {8}, 32), RuntimeError);
  EXPECT_THROW(a.view({2}, {kMax}, 0), RuntimeError);
  EXPECT_THROW(a.view({kMax, kMax}, {0, 0}, 0), RuntimeError);
  EXPECT_THROW(a.view({1}, {8}, kMin), RuntimeError);
  EXPECT_THROW(a.view({2}, {8}, kMax), RuntimeError);
  EXPECT_THROW(a.view({2}, {8, 8}, 0), RuntimeError);
  EXPECT_EQ(a.view({0, 5}, {kMax, kMin}, 0).size(), 0); // empty: never dereferenced
}

TEST(Views, BroadcastTo) {
  Array row = iota({3});
  Array b = row.broadcastTo({2, 3});
  EXPECT_EQ(b.strides(), (Strides{0, 8}));
  EXPECT_FALSE(b.writeable());
  EXPECT_EQ(values(b), (std::vector<int64_t>{0, 1, 2, 0, 1, 2}));
  EXPECT_EQ(iota({3, 1}).broadcastTo({3, 3}).strides(), (Strides{8, 0}));
  EXPECT_EQ(iota({1, 3}).broadcastTo({1, 3}).strides(), (Strides{0, 8}));
  expectError(
      [&] {
        b.assign(Array::zeros({2, 3}, DType::Int64));
      },
      ErrorKind::Value, "assignment destination is read-only");
  expectError(
      [&] {
        b.setAt({0, 0}, Scalar::ofInt(1));
      },
      ErrorKind::Value, "assignment destination is read-only");
  expectError([&] { row.broadcastTo({4}); }, ErrorKind::Shape,
              "operands could not be broadcast together with remapped shapes "
              "[original->remapped]: (3,) and requested shape (4,)");
  EXPECT_THROW(iota({2, 3}).broadcastTo({3}), RuntimeError);
  expectError(
      [&] {
        row.broadcastTo({2, -1});
      },
      ErrorKind::Value, "all elements of broadcast shape must be non-negative");
  // A huge broadcast view is fine; materialising it is a memory error.
  Array huge = Array::ones({1}, DType::Float64).broadcastTo({int64_t(1) << 40});
  EXPECT_EQ(huge.size(), int64_t(1) << 40);
  try {
    huge.copy();
    FAIL() << "copy of an 8 TiB array succeeded";
  } catch (const RuntimeError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Memory);
    EXPECT_EQ(std::string(e.what()),
              "cannot allocate 8.00 TiB for an array with shape (1099511627776,) and data type "
              "float64");
  }
}

// ---- reshape ---------------------------------------------------------------

TEST(Reshape, ViewWhenPossible) {
  Array a = iota({3, 4});
  Array r = a.reshape({2, 6});
  EXPECT_TRUE(r.mayShareMemory(a));
  EXPECT_TRUE(sameOwner(r.base(), a));
  EXPECT_EQ(r.strides(), (Strides{48, 8}));
  EXPECT_EQ(a.reshape({-1}).shape(), Shape{12});
  EXPECT_EQ(a.reshape({-1, 4}).shape(), (Shape{3, 4}));
  EXPECT_EQ(a.reshape({2, 1, -1}).strides(), (Strides{48, 48, 8}));
  // a.T.reshape(2, 2, 3).strides == (16, 8, 32), a view.
  Array t = a.transpose().reshape({2, 2, 3});
  EXPECT_EQ(t.strides(), (Strides{16, 8, 32}));
  EXPECT_TRUE(t.mayShareMemory(a));
  EXPECT_EQ(values(t), values(a.transpose().copy()));
  // zeros((4,6))[:, 1:5]: reshape(2,2,4) -> (96, 48, 8); reshape(4,2,2) -> (48, 16, 8).
  Array b = Array::zeros({4, 6}, DType::Float64).sliceAxis(1, 1, 1, 4);
  EXPECT_EQ(b.reshapeView({2, 2, 4}).strides(), (Strides{96, 48, 8}));
  EXPECT_EQ(b.reshapeView({4, 2, 2}).strides(), (Strides{48, 16, 8}));
  // zeros((2,1,3,1))[:, :, ::-1]: reshape(2,3,1,1) -> (24,-8,-8,-8); (1,2,3) -> (48,24,-8).
  Array c = Array::zeros({2, 1, 3, 1}, DType::Float64).sliceAxis(2, 2, -1, 3);
  EXPECT_EQ(c.reshapeView({2, 3, 1, 1}).strides(), (Strides{24, -8, -8, -8}));
  EXPECT_EQ(c.reshapeView({1, 2, 3}).strides(), (Strides{48, 24, -8}));
  EXPECT_FALSE(c.reshapeView({6}).valid());
  // zeros((6,4))[::2]: reshape(3,2,2) -> (64,16,8), reshape(3,4,1) -> (64,8,8).
  Array d = Array::zeros({6, 4}, DType::Float64).sliceAxis(0, 0, 2, 3);
  EXPECT_EQ(d.reshapeView({3, 2, 2}).strides(), (Strides{64, 16, 8}));
  EXPECT_EQ(d.reshapeView({3, 4, 1}).strides(), (Strides{64, 8, 8}));
  // Same shape: a view with the original strides.
  EXPECT_EQ(d.reshape({3, 4}).strides(), (Strides{64, 8}));
  EXPECT_EQ(Array::zeros({2, 3}, DType::Float64).reshape({3, 2, 1}).strides(), (Strides{16, 8, 8}));
  Array s = Array::scalar(Scalar::ofInt(3));
  EXPECT_EQ(s.reshape({1, 1}).shape(), (Shape{1, 1}));
  EXPECT_EQ(s.reshape({1, 1}).reshape({}).item().i, 3);
}

TEST(Reshape, CopyWhenNeeded) {
  Array a = iota({3, 4});
  Array t = a.transpose();
  EXPECT_FALSE(t.reshapeView({12}).valid());
  Array r = t.reshape({12});
  EXPECT_FALSE(r.mayShareMemory(a));
  EXPECT_TRUE(r.isView()); // a view of the fresh copy, like NumPy
  EXPECT_FALSE(sameOwner(r.base(), a));
  EXPECT_EQ(values(r), (std::vector<int64_t>{0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}));
  Array d = iota({6, 4}).sliceAxis(0, 0, 2, 3);
  EXPECT_FALSE(d.reshape({12}).mayShareMemory(d));
}

TEST(Reshape, Errors) {
  Array a = iota({12});
  expectError([&] { a.reshape({5}); }, ErrorKind::Shape,
              "cannot reshape array of size 12 into shape (5,)");
  expectError(
      [&] {
        a.reshape({-1, 5});
      },
      ErrorKind::Shape, "cannot reshape array of size 12 into shape (-1,5)");
  expectError(
      [&] {
        a.reshape({-1, -1});
      },
      ErrorKind::Value, "can only specify one unknown dimension");
  // NumPy accepts reshape(-2, 3); ravel rejects it on purpose.
  expectError([&] { a.reshape({-2, 3}); }, ErrorKind::Value, "negative dimensions not allowed");
  expectError(
      [&] {
        a.reshape({kMax, kMax});
      },
      ErrorKind::Shape,
      "cannot reshape array of size 12 into shape "
      "(9223372036854775807,9223372036854775807)");
  Array e = Array::zeros({0}, DType::Float64);
  expectError(
      [&] {
        e.reshape({0, -1});
      },
      ErrorKind::Shape, "cannot reshape array of size 0 into shape (0,-1)");
  EXPECT_EQ(e.reshape({3, 0, 2}).shape(), (Shape{3, 0, 2}));
}

// ---- copies and assignment -------------------------------------------------

TEST(Assign, OverlapIsReadFirst) {
  // a = arange(6); a[1:] = a[:-1] -> [0 0 1 2 3 4]
  Array a = iota({6});
  a.sliceAxis(0, 1, 1, 5).assign(a.sliceAxis(0, 0, 1, 5));
  EXPECT_EQ(values(a), (std::vector<int64_t>{0, 0, 1, 2, 3, 4}));
  Array b = iota({6});
  b.assign(b.sliceAxis(0, 5, -1, 6)); // b[:] = b[::-1]
  EXPECT_EQ(values(b), (std::vector<int64_t>{5, 4, 3, 2, 1, 0}));
  Array c = iota({3, 3});
  c.assign(c.transpose()); // c[...] = c.T
  EXPECT_EQ(values(c), (std::vector<int64_t>{0, 3, 6, 1, 4, 7, 2, 5, 8}));
  Array d = iota({4});
  d.assign(d);
  EXPECT_EQ(values(d), (std::vector<int64_t>{0, 1, 2, 3}));
}

TEST(Assign, BroadcastAndCast) {
  Array a = Array::zeros({2, 3}, DType::Int32);
  Array row = Array::empty({3}, DType::Float64);
  row.setAt({0}, Scalar::ofFloat(1.9));
  row.setAt({1}, Scalar::ofFloat(-2.9));
  row.setAt({2}, Scalar::ofFloat(NAN));
  a.assign(row);
  EXPECT_EQ(values(a), (std::vector<int64_t>{1, -2, INT32_MIN, 1, -2, INT32_MIN}));
  a.assign(Array::scalar(Scalar::ofInt(7)));
  EXPECT_EQ(values(a), (std::vector<int64_t>(6, 7)));
  a.assign(iota({1, 1, 3}));
  EXPECT_EQ(values(a), (std::vector<int64_t>{0, 1, 2, 0, 1, 2}));
  a.assign(iota({2, 1}));
  EXPECT_EQ(values(a), (std::vector<int64_t>{0, 0, 0, 1, 1, 1}));
  expectError([&] { a.assign(iota({4})); }, ErrorKind::Shape,
              "could not broadcast input array from shape (4,) into shape (2,3)");
  expectError(
      [&] {
        a.assign(iota({2, 2, 3}));
      },
      ErrorKind::Shape, "could not broadcast input array from shape (2,2,3) into shape (2,3)");
  EXPECT_EQ(values(a), (std::vector<int64_t>{0, 0, 0, 1, 1, 1})); // unchanged by the errors
  expectError([&] { a.readOnly().assign(iota({3})); }, ErrorKind::Value,
              "assignment destination is read-only");
  Array empty = Array::zeros({0, 3}, DType::Float64);
  empty.assign(iota({3}));
  EXPECT_EQ(empty.size(), 0);
}

TEST(Copy, StridedAndNegative) {
  Array a = iota({4, 5});
  Array v = a.sliceAxis(0, 3, -2, 2).sliceAxis(1, 4, -3, 2); // a[::-2, ::-3]
  Array c = v.copy();
  EXPECT_TRUE(c.isCContiguous());
  EXPECT_EQ(c.strides(), (Strides{16, 8}));
  EXPECT_EQ(values(c), (std::vector<int64_t>{19, 16, 9, 6}));
  Array f = v.astype(DType::Float32);
  EXPECT_EQ(f.dtype(), DType::Float32);
  EXPECT_EQ(f.at({1, 1}).f, 6.0);
}

TEST(Elements, ItemAndFull) {
  Array s = Array::scalar(Scalar::ofFloat(2.5));
  EXPECT_EQ(s.ndim(), 0);
  EXPECT_EQ(s.size(), 1);
  EXPECT_EQ(s.item().f, 2.5);
  EXPECT_EQ(Array::zeros({1, 1}, DType::Bool).item().b, false);
  expectError([] { iota({2}).item(); }, ErrorKind::Value,
              "can only convert an array of size 1 to a Python scalar");
  Array f = Array::full({2, 2}, Scalar::ofFloat(-1.5), DType::Int32);
  EXPECT_EQ(values(f), (std::vector<int64_t>(4, -1)));
  Array o = Array::ones({3}, DType::Float32);
  EXPECT_EQ(o.at({2}).f, 1.0);
  Array b = Array::full({3}, Scalar::ofFloat(0.25), DType::Bool);
  EXPECT_EQ(values(b), (std::vector<int64_t>(3, 1)));
}

// ---- allocation ------------------------------------------------------------

TEST(Allocation, AlignedAndAccounted) {
  int64_t before = allocatedBytes();
  {
    Array a = Array::empty({3}, DType::Float64);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(a.data()) % kBufferAlignment, 0u);
    EXPECT_EQ(allocatedBytes(), before + 24);
    Array e = Array::empty({0}, DType::Float64);
    EXPECT_NE(e.data(), nullptr);
    EXPECT_EQ(e.nbytes(), 0);
  }
  EXPECT_EQ(allocatedBytes(), before);
}

// Large buffers are fresh mappings starting on a 2 MiB boundary and marked
// for transparent huge pages, filled or not (Buffer.cpp, kMapFrom): a
// streamed array on 4 KiB pages pays a TLB miss per page.
TEST(Allocation, LargeBuffersStartOnAHugePage) {
  constexpr uintptr_t kHugePage = uintptr_t(2) << 20;
  const int64_t n = (int64_t(6) << 20) / 8 + 3; // a size no other test caches
  Array filled = Array::empty({n}, DType::Float64);
  Array zeroed = Array::zeros({n + 1}, DType::Float64);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(filled.data()) % kHugePage, 0u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(zeroed.data()) % kHugePage, 0u);
}

TEST(Allocation, HugeRequestIsAnErrorNotAnAbort) {
  try {
    Array::empty({int64_t(1) << 50}, DType::Float64);
    FAIL() << "allocated 8 PiB";
  } catch (const RuntimeError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Memory);
    EXPECT_EQ(std::string(e.what()), "cannot allocate 8.00 PiB for an array with shape "
                                     "(1125899906842624,) and data type float64");
  }
  EXPECT_THROW(Buffer::allocate(kMax, {kMax}), RuntimeError);
}

TEST(Allocation, Budget) {
  setAllocationLimit(allocatedBytes() + 1000);
  Array small = Array::empty({100}, DType::Float64); // 800 bytes
  try {
    Array::empty({51}, DType::Int32); // 204 more: over the budget
    ADD_FAILURE() << "budget not enforced";
  } catch (const RuntimeError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Memory);
    EXPECT_EQ(std::string(e.what()),
              "cannot allocate 204 bytes for an array with shape (51,) and data type int32");
  }
  Array fits = Array::empty({25}, DType::Int64); // exactly at the limit
  EXPECT_THROW(Array::empty({1}, DType::Bool), RuntimeError);
  setAllocationLimit(0);
  EXPECT_GT(allocationLimit(), int64_t(1) << 20);
  EXPECT_NO_THROW(Array::empty({50}, DType::Int32));
}

TEST(Allocation, ByteSizeFormat) {
  // numpy.core._exceptions._ArrayMemoryError._size_to_string
  EXPECT_EQ(formatByteSize(0), "0 bytes");
  EXPECT_EQ(formatByteSize(5), "5 bytes");
  EXPECT_EQ(formatByteSize(1023), "1023 bytes");
  EXPECT_EQ(formatByteSize(1024), "1.00 KiB");
  EXPECT_EQ(formatByteSize(1536), "1.50 KiB");
  EXPECT_EQ(formatByteSize(102400), "100. KiB");
  EXPECT_EQ(formatByteSize(1024000), "1000. KiB");
  EXPECT_EQ(formatByteSize(1023576), "1000. KiB");
  EXPECT_EQ(formatByteSize(1048575), "1.00 MiB");
  EXPECT_EQ(formatByteSize(7516205113), "7.00 GiB");
  EXPECT_EQ(formatByteSize(9007199254740992), "8.00 PiB");
  EXPECT_EQ(formatByteSize(kMax), "8.00 EiB");
}

TEST(Borrow, ZeroCopyAndBoundsChecked) {
  double host[6] = {0, 1, 2, 3, 4, 5};
  Array a = Array::borrow(host, sizeof host, {2, 3}, {24, 8}, DType::Float64);
  EXPECT_EQ(a.at({1, 2}).f, 5.0);
  a.setAt({0, 0}, Scalar::ofFloat(9));
  EXPECT_EQ(host[0], 9.0);
  Array t = a.transpose();
  EXPECT_EQ(t.at({2, 0}).f, 2.0);
  EXPECT_THROW(Array::borrow(host, sizeof host, {3, 3}, {24, 8}, DType::Float64), RuntimeError);
  EXPECT_THROW(Array::borrow(host, sizeof host, {2}, {-8}, DType::Float64), RuntimeError);
  // Bool bytes other than 0/1 read as true, never as a raw C++ bool.
  uint8_t flags[3] = {0, 2, 255};
  Array b = Array::borrow(flags, 3, {3}, {1}, DType::Bool);
  EXPECT_EQ(b.at({1}).b, true);
  EXPECT_EQ(values(b), (std::vector<int64_t>{0, 1, 1}));
  Array asFloat = b.astype(DType::Float64);
  EXPECT_EQ(asFloat.at({2}).f, 1.0);
}
