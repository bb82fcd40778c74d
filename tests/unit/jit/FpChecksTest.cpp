// NumPy's floating-point warnings in generated kernels (fusion/FpChecks.h):
// the probe fires exactly when a value that may carry an event is not
// finite (or an integer divisor is 0), and the exact kernel sets NumPy's
// categories per instruction, for every lane of a vector loop and the tail.
#include "compiler/fusion/FpChecks.h"
#include "JitTestSupport.h"

#include <gtest/gtest.h>

#include <limits>

namespace ravel::jittest {
namespace {

using fusion::fpBit;
using fusion::FpCategory;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// A length-n vector of `fill` with `v` at position `at` (a vector lane or
/// the scalar tail, depending on n and at).
std::vector<double> with(size_t n, double fill, size_t at, double v) {
  std::vector<double> x(n, fill);
  x[at] = v;
  return x;
}

Kernel divideKernel(bool exact) {
  KB kb;
  int x = kb.input(DType::Float64);
  int y = kb.input(DType::Float64);
  Kernel k = kb.out(kb.op(KOp::Div, DType::Float64, x, y));
  k.fpExact = exact;
  return k;
}

TEST(FpChecks, ProbeFiresOnlyForNonFiniteValues) {
  Kernel k = divideKernel(false);
  for (size_t at : {0, 5, 37, 66}) { // vector body and tail of 67 elements
    int64_t flags = -1;
    runElementwise<double>(k, 67, &flags, std::vector<double>(67, 1.0), with(67, 2.0, at, 0.0));
    EXPECT_EQ(flags & fusion::kErrorFpTrigger, fusion::kErrorFpTrigger) << at;
  }
  int64_t flags = -1;
  runElementwise<double>(k, 67, &flags, std::vector<double>(67, 1.0), std::vector<double>(67, 3.0));
  EXPECT_EQ(flags, 0);
}

TEST(FpChecks, ExactDivideSetsNumPysCategories) {
  Kernel k = divideKernel(true);
  const int64_t divide = fpBit(0, FpCategory::Divide), invalid = fpBit(0, FpCategory::Invalid),
                overflow = fpBit(0, FpCategory::Overflow);
  auto run = [&](double a, double b, size_t at) {
    int64_t flags = 0;
    runElementwise<double>(k, 67, &flags, with(67, 1.0, at, a), with(67, 2.0, at, b));
    return flags & ~(fusion::kErrorResultNaN | fusion::kErrorResultInf);
  };
  for (size_t at : {3, 66}) {
    EXPECT_EQ(run(1.0, 0.0, at), divide);    // 1/0
    EXPECT_EQ(run(0.0, 0.0, at), invalid);   // 0/0
    EXPECT_EQ(run(kInf, kInf, at), invalid); // inf/inf
    EXPECT_EQ(run(1e300, 1e-300, at), overflow);
    EXPECT_EQ(run(kInf, 0.0, at), 0); // no event: inf in, inf out
    EXPECT_EQ(run(kNaN, 0.0, at), 0); // NaN in
    EXPECT_EQ(run(1.0, 4.0, at), 0);
  }
}

TEST(FpChecks, NaNComparisonsAndMaximumNeverWarn) {
  for (KOp op : {KOp::Lt, KOp::Ge, KOp::Eq, KOp::Maximum, KOp::Minimum}) {
    KB kb;
    int x = kb.input(DType::Float64);
    int y = kb.input(DType::Float64);
    DType t = op == KOp::Maximum || op == KOp::Minimum ? DType::Float64 : DType::Bool;
    Kernel k = kb.out(kb.op(op, t, x, y));
    EXPECT_FALSE(fusion::fpCanWarn(k));
  }
}

TEST(FpChecks, IntegerFloorDivideByZero) {
  int64_t flags = 0;
  std::vector<int64_t> divisors(40, 2);
  divisors[33] = 0;
  runBinary<int64_t>(KOp::FloorDiv, DType::Int64, std::vector<int64_t>(40, 7), divisors, &flags);
  EXPECT_EQ(flags, fusion::kErrorFpTrigger);
  KB kb;
  int x = kb.input(DType::Int64);
  int y = kb.input(DType::Int64);
  Kernel k = kb.out(kb.op(KOp::FloorDiv, DType::Int64, x, y));
  k.fpExact = true;
  std::vector<int64_t> a{INT64_MIN, 5}, d{-1, 0};
  runElementwise<int64_t>(k, 2, &flags, a, d);
  EXPECT_EQ(flags, fpBit(0, FpCategory::Divide) | fpBit(0, FpCategory::Overflow));
}

TEST(FpChecks, ProbeTestsTheEndOfAChainOnly) {
  // sqrt(x*x + y*y): only the sqrt is tested; its value carries the others'.
  KB kb;
  int x = kb.input(DType::Float64);
  int y = kb.input(DType::Float64);
  int xx = kb.op(KOp::Mul, DType::Float64, x, x);
  int yy = kb.op(KOp::Mul, DType::Float64, y, y);
  int s = kb.op(KOp::Add, DType::Float64, xx, yy);
  int r = kb.op(KOp::Sqrt, DType::Float64, s);
  Kernel k = kb.out(r);
  std::vector<bool> probed = fusion::fpProbed(k);
  for (int i = 0; i < r; ++i) EXPECT_FALSE(probed[size_t(i)]) << i;
  EXPECT_TRUE(probed[size_t(r)]);
  std::vector<int> slots = fusion::fpSlots(k);
  EXPECT_EQ(slots[size_t(xx)], 0);
  EXPECT_EQ(slots[size_t(r)], 3);
  EXPECT_STREQ(fusion::fpUfunc(k, size_t(s)), "add");
}

} // namespace
} // namespace ravel::jittest
