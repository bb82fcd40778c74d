// arange, linspace and eye, bit-exact against NumPy 1.24.2 (the
// expected values are Python reprs, which round-trip exactly).
#include "runtime/Creation.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace ravel;

namespace {

std::vector<double> doubles(const Array& a) {
  std::vector<double> out;
  for (int64_t i = 0; i < a.size(); ++i) out.push_back(a.at({i}).f);
  return out;
}

std::vector<int64_t> ints(const Array& a) {
  std::vector<int64_t> out;
  for (int64_t i = 0; i < a.size(); ++i) out.push_back(a.at({i}).i);
  return out;
}

void expectBits(const Array& a, const std::vector<double>& expected) {
  ASSERT_EQ(a.size(), int64_t(expected.size()));
  std::vector<double> got = doubles(a);
  for (size_t i = 0; i < expected.size(); ++i)
    EXPECT_EQ(got[i], expected[i]) << "element " << i; // exact, not approximate
}

void expectError(const std::function<void()>& f, const std::string& msg) {
  try {
    f();
    ADD_FAILURE() << "expected: " << msg;
  } catch (const RuntimeError& e) {
    EXPECT_EQ(std::string(e.what()), msg);
  }
}

} // namespace

TEST(Arange, Float64BitExact) {
  Array a = arange(0, 1, 0.1);
  EXPECT_EQ(a.dtype(), DType::Float64);
  expectBits(a, {0.0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6000000000000001,
                 0.7000000000000001, 0.8, 0.9});
  // delta is (start + step) - start, not step.
  expectBits(arange(1.1, 3, 0.1),
             {1.1, 1.2000000000000002, 1.3000000000000003, 1.4000000000000004, 1.5000000000000004,
              1.6000000000000005, 1.7000000000000006, 1.8000000000000007, 1.9000000000000008,
              2.000000000000001, 2.100000000000001, 2.200000000000001, 2.300000000000001,
              2.4000000000000012, 2.5000000000000013, 2.6000000000000014, 2.7000000000000015,
              2.8000000000000016, 2.9000000000000017});
  expectBits(arange(5.0, 1.0, -0.7), {5.0, 4.3, 3.5999999999999996, 2.8999999999999995,
                                      2.1999999999999993, 1.4999999999999991});
}

TEST(Arange, OtherDTypes) {
  // np.arange(-1.3, 2.9, 0.37, dtype=np.float32): filled in float32 arithmetic.
  Array f = arange(-1.3, 2.9, 0.37, DType::Float32);
  EXPECT_EQ(f.dtype(), DType::Float32);
  expectBits(f,
             {-1.2999999523162842, -0.9300000071525574, -0.5600000619888306, -0.19000005722045898,
              0.17999982833862305, 0.5499997138977051, 0.9199998378753662, 1.2899997234344482,
              1.6599996089935303, 2.0299994945526123, 2.3999993801116943, 2.7699992656707764});
  Array i = arangeInt(10, 0, -3);
  EXPECT_EQ(i.dtype(), DType::Int64);
  EXPECT_EQ(ints(i), (std::vector<int64_t>{10, 7, 4, 1}));
  EXPECT_EQ(ints(arangeInt(0, 5)), (std::vector<int64_t>{0, 1, 2, 3, 4}));
  // NumPy quirks: arange(0.5, 5, 1.5, dtype=int) == [0, 2, 4];
  // arange(1, 2, 0.3, dtype=int32) == [1, 1, 1, 1].
  EXPECT_EQ(ints(arange(0.5, 5, 1.5, DType::Int64)), (std::vector<int64_t>{0, 2, 4}));
  EXPECT_EQ(ints(arange(1, 2, 0.3, DType::Int32)), (std::vector<int64_t>{1, 1, 1, 1}));
  expectBits(arangeInt(3, 8, 2, DType::Float64), {3.0, 5.0, 7.0});
  EXPECT_EQ(ints(arangeInt(0, 2, 1, DType::Bool)), (std::vector<int64_t>{0, 1}));
}

TEST(Arange, EdgeCases) {
  EXPECT_EQ(arange(0, 0, 1).size(), 0);
  EXPECT_EQ(arange(5, 1, 1).size(), 0);
  EXPECT_EQ(arangeInt(5, 1).size(), 0);
  EXPECT_EQ(arange(0, 1, 2).size(), 1);
  EXPECT_EQ(arangeInt(INT64_MIN, INT64_MAX, INT64_MAX).size(), 3);
  expectError([] { arange(0, 10, 0); }, "division by zero");
  expectError([] { arangeInt(0, 10, 0); }, "division by zero");
  expectError([] { arange(0, NAN, 1); }, "arange: cannot compute length");
  expectError([] { arange(0, 1e30, 1); }, "Maximum allowed size exceeded");
  EXPECT_THROW(arangeInt(0, INT64_MAX), RuntimeError); // 64 EiB: a memory error
  EXPECT_THROW(arangeInt(0, 3, 1, DType::Bool), RuntimeError);
}

TEST(Linspace, BitExact) {
  expectBits(linspace(0, 1, 7), {0.0, 0.16666666666666666, 0.3333333333333333, 0.5,
                                 0.6666666666666666, 0.8333333333333333, 1.0});
  expectBits(linspace(-2.5, 10.1, 13, false),
             {-2.5, -1.5307692307692307, -0.5615384615384615, 0.4076923076923076, 1.376923076923077,
              2.346153846153846, 3.315384615384615, 4.2846153846153845, 5.253846153846154,
              6.223076923076922, 7.192307692307692, 8.161538461538461, 9.13076923076923});
  Array f = linspace(1, -3, 6, true, DType::Float32);
  EXPECT_EQ(f.dtype(), DType::Float32);
  expectBits(f, {1.0, 0.20000000298023224, -0.6000000238418579, -1.399999976158142,
                 -2.200000047683716, -3.0});
  Array y = linspace(0.1, 0.7, 50);
  std::vector<double> got = doubles(y);
  EXPECT_EQ(got[1], 0.11224489795918367);
  EXPECT_EQ(got[17], 0.3081632653061225);
  EXPECT_EQ(got[21], 0.3571428571428571);
  EXPECT_EQ(got[48], 0.6877551020408162);
  EXPECT_EQ(got[49], 0.7);
  expectBits(linspace(0, 5e-324, 3), {0.0, 0.0, 5e-324}); // the step == 0 path
}

TEST(Linspace, IntegerAndEdgeCases) {
  // Integer dtypes are floored first.
  EXPECT_EQ(ints(linspace(0.3, 7.9, 9, true, DType::Int64)),
            (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 6, 7}));
  EXPECT_EQ(ints(linspace(-3.7, 4.2, 5, true, DType::Int32)),
            (std::vector<int64_t>{-4, -2, 0, 2, 4}));
  expectBits(linspace(2, 3, 1), {2.0});
  expectBits(linspace(2, 3, 1, false), {2.0});
  EXPECT_EQ(linspace(2, 3, 0).shape(), Shape{0});
  expectError([] { linspace(0, 1, -1); }, "Number of samples, -1, must be non-negative.");
}

TEST(Eye, Diagonals) {
  Array e = eye(3, 4, 1, DType::Int64);
  EXPECT_EQ(ints(e.reshape({12})), (std::vector<int64_t>{0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}));
  Array id = identity(2);
  EXPECT_EQ(doubles(id.reshape({4})), (std::vector<double>{1, 0, 0, 1}));
  EXPECT_EQ(ints(eye(2, 2, -5, DType::Int32).reshape({4})), (std::vector<int64_t>(4, 0)));
}
