// Casting (Scalar::castTo, Array::astype), checked against NumPy 1.24.2 on
// x86-64: float -> int truncates, NaN/inf/out of range -> INT_MIN of the
// target width; float -> bool is "!= 0" (NaN -> True); int64 -> float32 rounds once.
#include "runtime/Cast.h"
#include "runtime/Array.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace ravel;

namespace {

Array fromDoubles(const std::vector<double>& v, DType t = DType::Float64) {
  Array a = Array::empty({int64_t(v.size())}, t);
  for (size_t i = 0; i < v.size(); ++i) a.setAt({int64_t(i)}, Scalar::ofFloat(v[i]));
  return a;
}

std::vector<int64_t> ints(const Array& a) {
  std::vector<int64_t> out;
  for (int64_t i = 0; i < a.size(); ++i) out.push_back(a.at({i}).i);
  return out;
}

const double kInf = std::numeric_limits<double>::infinity();
const double kNaN = std::numeric_limits<double>::quiet_NaN();

} // namespace

// Constant evaluation rejects undefined behaviour, so these also prove that
// the conversion never performs an out-of-range C++ float -> int cast.
static_assert(detail::floatToInt<int32_t>(3e9) == INT32_MIN);
static_assert(detail::floatToInt<int32_t>(-2147483648.9) == INT32_MIN);
static_assert(detail::floatToInt<int32_t>(2147483647.9) == INT32_MAX);
static_assert(detail::floatToInt<int64_t>(1e19) == INT64_MIN);
static_assert(detail::floatToInt<int64_t>(-0x1p63) == INT64_MIN);
static_assert(detail::floatToInt<int64_t>(std::numeric_limits<double>::quiet_NaN()) == INT64_MIN);
static_assert(detail::floatToInt<int64_t>(-std::numeric_limits<double>::infinity()) == INT64_MIN);
static_assert(detail::floatToInt<int32_t>(-2.7f) == -2);

TEST(Cast, FloatToInt) {
  // np.array([3e9,5e9,-3e9,nan,inf,-2.7,2.7,1e19]).astype(np.int32 / np.int64)
  const std::vector<double> src = {3e9, 5e9, -3e9, kNaN, kInf, -2.7, 2.7, 1e19, -9.3e18};
  Array f = fromDoubles(src);
  EXPECT_EQ(ints(f.astype(DType::Int32)),
            (std::vector<int64_t>{INT32_MIN, INT32_MIN, INT32_MIN, INT32_MIN, INT32_MIN, -2, 2,
                                  INT32_MIN, INT32_MIN}));
  EXPECT_EQ(ints(f.astype(DType::Int64)),
            (std::vector<int64_t>{3000000000, 5000000000, -3000000000, INT64_MIN, INT64_MIN, -2, 2,
                                  INT64_MIN, INT64_MIN}));
  EXPECT_EQ(ints(fromDoubles(src, DType::Float32).astype(DType::Int32)),
            (std::vector<int64_t>{INT32_MIN, INT32_MIN, INT32_MIN, INT32_MIN, INT32_MIN, -2, 2,
                                  INT32_MIN, INT32_MIN}));
  // Boundaries: the largest in-range values survive, one past them does not.
  EXPECT_EQ(ints(fromDoubles({2147483647.9, -2147483648.9, 2147483648.0, -2147483649.0})
                     .astype(DType::Int32)),
            (std::vector<int64_t>{INT32_MAX, INT32_MIN, INT32_MIN, INT32_MIN}));
  EXPECT_EQ(ints(fromDoubles({0x1p63, -0x1p63, 0x1.fffffffffffffp62, -kInf}).astype(DType::Int64)),
            (std::vector<int64_t>{INT64_MIN, INT64_MIN, 9223372036854774784, INT64_MIN}));

  EXPECT_EQ(Scalar::ofFloat(kNaN).castTo(DType::Int32).i, INT32_MIN);
  EXPECT_EQ(Scalar::ofFloat(-7.9).castTo(DType::Int64).i, -7);
  EXPECT_EQ(Scalar::ofFloat(3e9, DType::Float32).castTo(DType::Int32).i, INT32_MIN);
}

TEST(Cast, ToBool) {
  // np.array([nan, -0.0, 0.0, 0.5]).astype(bool) -> [True False False True]
  Array b = fromDoubles({kNaN, -0.0, 0.0, 0.5}).astype(DType::Bool);
  EXPECT_EQ(ints(b), (std::vector<int64_t>{1, 0, 0, 1}));
  EXPECT_TRUE(Scalar::ofFloat(kNaN).castTo(DType::Bool).b);
  EXPECT_FALSE(Scalar::ofFloat(-0.0).castTo(DType::Bool).b);
  EXPECT_TRUE(Scalar::ofInt(-4).castTo(DType::Bool).b);
  Array i = Array::full({2}, Scalar::ofInt(256), DType::Int32).astype(DType::Bool);
  EXPECT_EQ(reinterpret_cast<const uint8_t*>(i.data())[0], 1); // stored as 0/1 bytes
}

TEST(Cast, IntWidths) {
  // np.array([2**40+7, -2**40-1]).astype(np.int32) -> [7, -1]
  Array a = Array::empty({2}, DType::Int64);
  a.setAt({0}, Scalar::ofInt((int64_t(1) << 40) + 7));
  a.setAt({1}, Scalar::ofInt(-(int64_t(1) << 40) - 1));
  EXPECT_EQ(ints(a.astype(DType::Int32)), (std::vector<int64_t>{7, -1}));
  EXPECT_EQ(Scalar::ofInt(int64_t(1) << 31).castTo(DType::Int32).i, INT32_MIN);
  EXPECT_EQ(Scalar::ofBool(true).castTo(DType::Int64).i, 1);
  EXPECT_EQ(Scalar::ofBool(true).castTo(DType::Float32).f, 1.0);
}

TEST(Cast, FloatWidths) {
  // np.array([1e300, 1e-50, 2**-140]).astype(np.float32) -> [inf, 0, 7.17e-43]
  Array f = fromDoubles({1e300, 1e-50, std::ldexp(1.0, -140), -1e300}).astype(DType::Float32);
  EXPECT_EQ(f.at({0}).f, kInf);
  EXPECT_EQ(f.at({1}).f, 0.0);
  EXPECT_EQ(f.at({2}).f, std::ldexp(1.0, -140)); // subnormal kept, no flush to zero
  EXPECT_EQ(f.at({3}).f, -kInf);
  EXPECT_EQ(Scalar::ofFloat(0.1, DType::Float32).f, double(0.1f));
  EXPECT_EQ(Scalar::ofFloat(0.1).castTo(DType::Float32).f, double(0.1f));
  // int64 -> float32 rounds once: np.array([2**60+2**36+1]).astype(np.float32)
  // == 1.1529216e+18 (2**60 + 2**37), while a detour through float64 gives 2**60.
  Array big =
      Array::full({1}, Scalar::ofInt((int64_t(1) << 60) + (int64_t(1) << 36) + 1), DType::Int64);
  EXPECT_EQ(big.astype(DType::Float32).at({0}).f, std::ldexp(1.0, 60) + std::ldexp(1.0, 37));
  EXPECT_EQ(Scalar::ofInt((int64_t(1) << 60) + (int64_t(1) << 36) + 1).castTo(DType::Float32).f,
            std::ldexp(1.0, 60) + std::ldexp(1.0, 37));
  // int64 -> float64 rounds to nearest even.
  EXPECT_EQ(Scalar::ofInt((int64_t(1) << 53) + 1).castTo(DType::Float64).f, 0x1p53);
}

TEST(Cast, AllPairsRoundTripSmallValues) {
  const DType all[] = {DType::Bool, DType::Int32, DType::Int64, DType::Float32, DType::Float64};
  for (DType from : all) {
    Array a = Array::empty({3}, from);
    a.setAt({0}, Scalar::ofInt(0));
    a.setAt({1}, Scalar::ofInt(1));
    a.setAt({2}, Scalar::ofInt(from == DType::Bool ? 1 : 5));
    for (DType to : all) {
      Array b = a.astype(to);
      EXPECT_EQ(b.dtype(), to);
      int64_t last = from == DType::Bool || to == DType::Bool ? 1 : 5;
      EXPECT_EQ(ints(b.astype(DType::Int64)), (std::vector<int64_t>{0, 1, last}))
          << dtypeName(from) << " -> " << dtypeName(to);
    }
  }
}

TEST(Cast, SetItemOfPythonScalars) {
  EXPECT_THROW(castForSetItem(Scalar::ofFloat(kNaN), DType::Int64), RuntimeError);
  try {
    castForSetItem(Scalar::ofFloat(kNaN), DType::Int32);
  } catch (const RuntimeError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot convert float NaN to integer");
  }
  EXPECT_THROW(castForSetItem(Scalar::ofFloat(kInf), DType::Int64), RuntimeError);
  EXPECT_THROW(castForSetItem(Scalar::ofInt(int64_t(1) << 40), DType::Int32), RuntimeError);
  EXPECT_EQ(castForSetItem(Scalar::ofFloat(-2.7), DType::Int32).i, -2);
  // A float goes through a Python int and C's conversion: it wraps into int32.
  EXPECT_EQ(castForSetItem(Scalar::ofFloat(3e9), DType::Int32).i, -1294967296);
  EXPECT_THROW(castForSetItem(Scalar::ofFloat(1e19), DType::Int32), RuntimeError);
  EXPECT_TRUE(std::isnan(castForSetItem(Scalar::ofFloat(kNaN), DType::Float32).f));
  EXPECT_TRUE(castForSetItem(Scalar::ofFloat(kNaN), DType::Bool).b);
}
