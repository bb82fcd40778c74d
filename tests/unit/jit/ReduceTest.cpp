// Reduction kernels: pairwise float sums (accuracy), integer accumulation in
// int64, products, NaN-propagating min/max, fused bodies and layouts.
#include "JitTestSupport.h"

#include <cmath>
#include <limits>
#include <random>

namespace ravel::jittest {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// A reduction of input 0 (optionally through `body`) with the given layout.
template <class In>
Kernel reduceKernel(ReduceKind kind, DType accum, InnerLayout layout = InnerLayout::Contiguous) {
  KB kb;
  int x = kb.input(dtypeOf<In>(), layout);
  return kb.reduce(x, kind, accum);
}

/// Calls a reduction kernel on `data` (stride in elements) starting from acc.
template <class In>
KernelState runReduce(const Kernel& k, const In* data, int64_t n, int64_t stride, KernelState st) {
  char* ptrs[] = {reinterpret_cast<char*>(const_cast<In*>(data))};
  int64_t strides[] = {stride * static_cast<int64_t>(sizeof(In))};
  sharedJit().compile(k)(n, ptrs, strides, &st);
  return st;
}

KernelState accF64(double v) {
  KernelState s{};
  s.acc.f64 = v;
  return s;
}
KernelState accF32(float v) {
  KernelState s{};
  s.acc.f32 = v;
  return s;
}
KernelState accI(int64_t v) {
  KernelState s{};
  s.acc.i = v;
  return s;
}

std::vector<double> randomDoubles(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<double> v(n);
  for (double& x : v) x = u(rng);
  return v;
}

/// NumPy's pairwise_sum (loops_utils.h.src) for float32, as the oracle.
float numpyPairwise(const float* a, int64_t n) {
  if (n < 8) {
    float r = 0.0f;
    for (int64_t i = 0; i < n; ++i) r += a[i];
    return r;
  }
  if (n <= 128) {
    float r[8];
    for (int j = 0; j < 8; ++j) r[j] = a[j];
    int64_t i = 8;
    for (; i < n - (n % 8); i += 8)
      for (int j = 0; j < 8; ++j) r[j] += a[i + j];
    float res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i];
    return res;
  }
  int64_t n2 = n / 2;
  n2 -= n2 % 8;
  return numpyPairwise(a, n2) + numpyPairwise(a + n2, n - n2);
}

TEST(JitSum, Float64OneMillionRandomIsAccurate) {
  const size_t n = 1'000'000;
  auto x = randomDoubles(n, 42);
  long double exact = 0;
  for (double v : x) exact += v;
  double naive = 0;
  for (double v : x) naive += v;
  KernelState st =
      runReduce(reduceKernel<double>(ReduceKind::Sum, DType::Float64), x.data(), n, 1, accF64(0.0));
  double rel = std::fabs((st.acc.f64 - static_cast<double>(exact)) / static_cast<double>(exact));
  double relNaive = std::fabs((naive - static_cast<double>(exact)) / static_cast<double>(exact));
  EXPECT_LT(rel, 1e-14) << "naive serial sum: " << relNaive;
  std::printf("sum of 1e6 doubles: pairwise rel. error %.2e, serial %.2e\n", rel, relNaive);
}

TEST(JitSum, Float64AdversarialDataStaysAccurate) {
  // Large and tiny values alternate: a serial sum loses the tiny ones.
  const size_t n = 1 << 20;
  std::vector<double> x(n);
  for (size_t i = 0; i < n; ++i) x[i] = (i % 2 == 0) ? 1e8 : 1e-3;
  double exact = (n / 2) * 1e8 + (n / 2) * 1e-3;
  KernelState st =
      runReduce(reduceKernel<double>(ReduceKind::Sum, DType::Float64), x.data(), n, 1, accF64(0.0));
  EXPECT_LT(std::fabs(st.acc.f64 - exact) / exact, 1e-15);
}

TEST(JitSum, ExactForEveryLengthAndAddsToAcc) {
  // Small integers sum exactly whatever the order: checks block and tail
  // bookkeeping for lengths around the block size and the stack merges.
  std::vector<double> x(5000);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<double>(i % 97) - 40;
  Kernel k = reduceKernel<double>(ReduceKind::Sum, DType::Float64);
  for (int64_t n : {0, 1, 2, 7, 8, 31, 127, 128, 129, 255, 256, 257, 383, 384, 1024, 1025, 4999}) {
    double want = 10.0;
    for (int64_t i = 0; i < n; ++i) want += x[i];
    EXPECT_EQ(runReduce(k, x.data(), n, 1, accF64(10.0)).acc.f64, want) << n;
  }
}

TEST(JitSum, Float32OneMillionMatchesNumPyPairwise) {
  const size_t n = 1'000'000;
  auto d = randomDoubles(n, 7);
  std::vector<float> x(d.begin(), d.end());
  double exact = 0;
  for (float v : x) exact += v;
  float numpy = numpyPairwise(x.data(), n);
  KernelState st =
      runReduce(reduceKernel<float>(ReduceKind::Sum, DType::Float32), x.data(), n, 1, accF32(0.0f));
  float ours = st.acc.f32;
  // Both are pairwise: a few float32 ULPs of the result apart, far better
  // than a serial float32 sum (relative error ~1e-4 here).
  EXPECT_LT(std::fabs(ours - exact) / exact, 1e-6);
  EXPECT_LT(std::fabs(ours - numpy) / exact, 1e-6) << "ours " << ours << " numpy " << numpy;
  std::printf("float32 sum: ours %.9g, NumPy pairwise %.9g, exact %.9g\n", ours, numpy, exact);
}

TEST(JitSum, Int32AccumulatesInInt64) {
  std::vector<int32_t> x(1000, std::numeric_limits<int32_t>::max());
  Kernel k = reduceKernel<int32_t>(ReduceKind::Sum, DType::Int64);
  EXPECT_EQ(runReduce(k, x.data(), 1000, 1, accI(5)).acc.i,
            5 + 1000LL * std::numeric_limits<int32_t>::max());
  std::vector<int64_t> y{std::numeric_limits<int64_t>::max(), 1, 2};
  Kernel k64 = reduceKernel<int64_t>(ReduceKind::Sum, DType::Int64);
  EXPECT_EQ(runReduce(k64, y.data(), 3, 1, accI(0)).acc.i,
            std::numeric_limits<int64_t>::min() + 2); // wraps like NumPy
}

TEST(JitSum, BoolCountsTrue) {
  std::vector<uint8_t> x(333);
  for (size_t i = 0; i < x.size(); ++i) x[i] = (i % 3 == 0) ? (i % 2 ? 1 : 7) : 0;
  Kernel k = reduceKernel<uint8_t>(ReduceKind::Sum, DType::Int64);
  EXPECT_EQ(runReduce(k, x.data(), 333, 1, accI(0)).acc.i, 111);
}

TEST(JitProd, IntsAndFloats) {
  std::vector<int32_t> a{2, -3, 4, 100000, 100000};
  Kernel ki = reduceKernel<int32_t>(ReduceKind::Prod, DType::Int64);
  EXPECT_EQ(runReduce(ki, a.data(), 5, 1, accI(1)).acc.i, 2LL * -3 * 4 * 100000 * 100000);
  std::vector<double> b(300, 1.01);
  b[17] = -2.0;
  Kernel kf = reduceKernel<double>(ReduceKind::Prod, DType::Float64);
  double want = -2.0 * std::pow(1.01, 299);
  EXPECT_NEAR(runReduce(kf, b.data(), 300, 1, accF64(1.0)).acc.f64, want, 1e-12 * std::fabs(want));
  b[100] = kNaN;
  EXPECT_TRUE(std::isnan(runReduce(kf, b.data(), 300, 1, accF64(1.0)).acc.f64));
}

TEST(JitMinMax, FloatNaNPropagatesFromAnyPosition) {
  Kernel kmax = reduceKernel<double>(ReduceKind::Max, DType::Float64);
  Kernel kmin = reduceKernel<double>(ReduceKind::Min, DType::Float64);
  const int64_t n = 517;
  std::vector<double> x(n);
  for (int64_t i = 0; i < n; ++i) x[i] = std::sin(0.1 * i) * 100;
  double mx = x[0], mn = x[0];
  for (double v : x) mx = std::max(mx, v), mn = std::min(mn, v);
  EXPECT_EQ(runReduce(kmax, x.data(), n, 1, accF64(x[0])).acc.f64, mx);
  EXPECT_EQ(runReduce(kmin, x.data(), n, 1, accF64(x[0])).acc.f64, mn);
  for (int64_t pos : {int64_t(0), int64_t(1), int64_t(63), int64_t(256), n - 1}) {
    auto y = x;
    y[pos] = kNaN;
    EXPECT_TRUE(std::isnan(runReduce(kmax, y.data(), n, 1, accF64(x[0])).acc.f64)) << pos;
    EXPECT_TRUE(std::isnan(runReduce(kmin, y.data(), n, 1, accF64(x[0])).acc.f64)) << pos;
  }
  // once NaN (in the accumulator from an earlier row), always NaN
  EXPECT_TRUE(std::isnan(runReduce(kmax, x.data(), n, 1, accF64(kNaN)).acc.f64));
  std::vector<float> f{1.0f, 5.0f, -3.0f, std::numeric_limits<float>::quiet_NaN(), 2.0f};
  Kernel kf = reduceKernel<float>(ReduceKind::Max, DType::Float32);
  EXPECT_TRUE(std::isnan(runReduce(kf, f.data(), 5, 1, accF32(f[0])).acc.f32));
  EXPECT_EQ(runReduce(kf, f.data(), 3, 1, accF32(f[0])).acc.f32, 5.0f);
}

TEST(JitMinMax, IntsAndBools) {
  std::vector<int32_t> x{5, -7, std::numeric_limits<int32_t>::min(), 12, 9};
  Kernel kmin = reduceKernel<int32_t>(ReduceKind::Min, DType::Int32);
  Kernel kmax = reduceKernel<int32_t>(ReduceKind::Max, DType::Int32);
  EXPECT_EQ(runReduce(kmin, x.data(), 5, 1, accI(x[0])).acc.i, std::numeric_limits<int32_t>::min());
  EXPECT_EQ(runReduce(kmax, x.data(), 5, 1, accI(x[0])).acc.i, 12);
  EXPECT_EQ(runReduce(kmax, x.data(), 2, 1, accI(-100)).acc.i, 5);
  std::vector<uint8_t> b{0, 0, 1, 0};
  Kernel bmax = reduceKernel<uint8_t>(ReduceKind::Max, DType::Bool);
  Kernel bmin = reduceKernel<uint8_t>(ReduceKind::Min, DType::Bool);
  EXPECT_EQ(runReduce(bmax, b.data(), 4, 1, accI(0)).acc.i, 1);
  EXPECT_EQ(runReduce(bmin, b.data(), 4, 1, accI(1)).acc.i, 0);
  EXPECT_EQ(runReduce(bmax, b.data(), 2, 1, accI(0)).acc.i, 0);
}

TEST(JitSum, FusedBodyStridedAndBroadcast) {
  // sum(x * y) with x strided (every other element, reversed) and y broadcast.
  KB kb;
  DType f = DType::Float64;
  int x = kb.input(f, InnerLayout::Strided);
  int y = kb.input(f, InnerLayout::Broadcast);
  Kernel k = kb.reduce(kb.op(KOp::Mul, f, x, y), ReduceKind::Sum, f);
  const int64_t n = 1000;
  std::vector<double> data(2 * n);
  for (int64_t i = 0; i < 2 * n; ++i) data[i] = static_cast<double>(i);
  double scale = 0.5;
  char* ptrs[] = {reinterpret_cast<char*>(&data[2 * n - 1]), reinterpret_cast<char*>(&scale)};
  int64_t strides[] = {-16, 0};
  KernelState st = accF64(0.0);
  sharedJit().compile(k)(n, ptrs, strides, &st);
  double want = 0;
  for (int64_t i = 0; i < n; ++i) want += data[2 * n - 1 - 2 * i] * 0.5;
  EXPECT_EQ(st.acc.f64, want);
}

TEST(JitSum, Float32IntoFloat64AndIntIntoFloat) {
  std::vector<float> x(1000, 0.1f);
  Kernel k = reduceKernel<float>(ReduceKind::Sum, DType::Float64);
  EXPECT_NEAR(runReduce(k, x.data(), 1000, 1, accF64(0.0)).acc.f64, 1000.0 * 0.1f, 1e-9);
  std::vector<int64_t> y{1, 2, 3};
  Kernel ki = reduceKernel<int64_t>(ReduceKind::Sum, DType::Float64);
  EXPECT_EQ(runReduce(ki, y.data(), 3, 1, accF64(0.5)).acc.f64, 6.5);
}

} // namespace
} // namespace ravel::jittest
