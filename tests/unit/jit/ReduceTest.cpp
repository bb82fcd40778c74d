// Reduction kernels: float sums bit-identical to NumPy 1.24 (chunked pairwise,
// or serial with Kernel::sequential), integer accumulation in int64, serial
// float products, NaN-propagating min/max, fused bodies and layouts.
#include "JitTestSupport.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <regex>

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

/// NumPy's pairwise_sum (loops_utils.h.src, NumPy 1.24) over a[0], a[s], ...
template <class T> T numpyPairwise(const T* a, int64_t n, int64_t s = 1) {
  if (n < 8) {
    T r = -0.0; // NumPy starts at -0 so that a sum of -0s stays -0
    for (int64_t i = 0; i < n; ++i) r += a[i * s];
    return r;
  }
  if (n <= 128) {
    T r[8];
    for (int j = 0; j < 8; ++j) r[j] = a[j * s];
    int64_t i = 8;
    for (; i < n - (n % 8); i += 8)
      for (int j = 0; j < 8; ++j) r[j] += a[(i + j) * s];
    T res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i * s];
    return res;
  }
  int64_t n2 = n / 2;
  n2 -= n2 % 8;
  return numpyPairwise(a, n2, s) + numpyPairwise(a + n2 * s, n - n2, s);
}

/// np.add.reduce of one row: the reduce loop sees the row in buffers of 8192
/// elements and adds each buffer's pairwise sum to the accumulator.
template <class T> T numpySum(const T* a, int64_t n, int64_t s = 1, T acc = 0) {
  for (int64_t off = 0; off < n; off += 8192)
    acc += numpyPairwise(a + off * s, std::min<int64_t>(8192, n - off), s);
  return acc;
}

/// Data that NumPy reproduces exactly:
///   ((i * 2654435761) % 2**32).astype(float64) / 7.0 * 1e-6 - 300.0
std::vector<double> hashDoubles(int64_t n) {
  std::vector<double> v(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    uint64_t h = (static_cast<uint64_t>(i) * 2654435761ULL) % 4294967296ULL;
    v[i] = static_cast<double>(h) / 7.0 * 1e-6 - 300.0;
  }
  return v;
}

template <class T> bool sameBits(T a, T b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
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
  float numpy = numpySum(x.data(), n);
  KernelState st =
      runReduce(reduceKernel<float>(ReduceKind::Sum, DType::Float32), x.data(), n, 1, accF32(0.0f));
  float ours = st.acc.f32;
  EXPECT_LT(std::fabs(ours - exact) / exact, 1e-6);
  EXPECT_TRUE(sameBits(ours, numpy)) << "ours " << ours << " numpy " << numpy;
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

// --- bit-exact agreement with NumPy 1.24 ---

/// np.sum(d), np.sum(d.astype(float32)) for d = hashDoubles(n), from NumPy 1.24.
struct NumPySums {
  int64_t n;
  double f64;
  float f32;
};
constexpr NumPySums kNumPySums[] = {
    {0, 0x0.0p+0, 0x0.0p+0f},
    {1, -0x1.2c00000000000p+8, -0x1.2c00000000000p+8f},
    {3, -0x1.77f390f1cf223p+8, -0x1.77f3900000000p+8f},
    {7, -0x1.105c3b7ceb2bcp+8, -0x1.105c3c0000000p+8f},
    {8, -0x1.7431094a2b9d2p+8, -0x1.74310a0000000p+8f},
    {9, -0x1.73455458e04c8p+6, -0x1.7345580000000p+6f},
    {15, -0x1.0e55e11bf07c7p+8, -0x1.0e55e40000000p+8f},
    {16, -0x1.945c11aaa8783p+8, -0x1.945c140000000p+8f},
    {17, -0x1.3e5b807058f12p+7, -0x1.3e5b860000000p+7f},
    {100, 0x1.cab3a35c34efdp+7, 0x1.cab3cc0000000p+7f},
    {127, 0x1.e72b53659b456p+8, 0x1.e72b6a0000000p+8f},
    {128, 0x1.e802d337c4ce9p+8, 0x1.e802ec0000000p+8f},
    {129, 0x1.fcfb7c2b6e7e6p+7, 0x1.fcfb7e0000000p+7f},
    {130, 0x1.902d2af4ddaadp+8, 0x1.902d2c0000000p+8f},
    {255, 0x1.6872a0108d716p+10, 0x1.6872a80000000p+10f},
    {256, 0x1.79473abc946fcp+10, 0x1.7947420000000p+10f},
    {1000, 0x1.a70e4b7192500p+12, 0x1.a70e4c0000000p+12f},
    {4097, 0x1.b300a57cddfc4p+14, 0x1.b300a80000000p+14f},
    {8192, 0x1.b1bb4d953a50ep+15, 0x1.b1bb4e0000000p+15f},
    {8193, 0x1.b3ddf5f0b2841p+15, 0x1.b3ddf60000000p+15f},
    {16385, 0x1.afaf05c16628dp+16, 0x1.afaf080000000p+16f},
    {100000, 0x1.4b4459d712a02p+19, 0x1.4b445a0000000p+19f},
};

TEST(JitSumNumPy, PortMatchesPastedNumPyValues) {
  // Checks the oracle itself against NumPy, for lengths on every path
  // (< 8, one leaf, split leaves, several 8192-element buffers).
  auto d = hashDoubles(100000);
  std::vector<float> f(d.begin(), d.end());
  int serialDiffers = 0;
  for (const NumPySums& c : kNumPySums) {
    EXPECT_TRUE(sameBits(numpySum(d.data(), c.n), c.f64)) << c.n;
    EXPECT_TRUE(sameBits(numpySum(f.data(), c.n), c.f32)) << c.n;
    double serial = 0;
    for (int64_t i = 0; i < c.n; ++i) serial += d[i];
    serialDiffers += !sameBits(serial, c.f64);
  }
  EXPECT_GT(serialDiffers, 10) << "the data must be sensitive to the summation order";
}

TEST(JitSumNumPy, ContiguousEqualsNumPyBitForBit) {
  auto d = hashDoubles(100000);
  std::vector<float> f(d.begin(), d.end());
  Kernel k64 = reduceKernel<double>(ReduceKind::Sum, DType::Float64);
  Kernel k32 = reduceKernel<float>(ReduceKind::Sum, DType::Float32);
  for (const NumPySums& c : kNumPySums) {
    double got64 = runReduce(k64, d.data(), c.n, 1, accF64(0.0)).acc.f64;
    float got32 = runReduce(k32, f.data(), c.n, 1, accF32(0.0f)).acc.f32;
    EXPECT_TRUE(sameBits(got64, c.f64)) << c.n << ": " << got64 << " vs " << c.f64;
    EXPECT_TRUE(sameBits(got32, c.f32)) << c.n << ": " << got32 << " vs " << c.f32;
  }
}

TEST(JitSumNumPy, RandomDataEveryPathAndAcc) {
  // Random data, lengths around every boundary of the recursion and of the
  // 8192-element buffers, and a non-zero accumulator from an earlier row.
  auto d = randomDoubles(40000, 1);
  for (double& v : d) v = v * 2 - 0.7;
  std::vector<float> f(d.begin(), d.end());
  Kernel k64 = reduceKernel<double>(ReduceKind::Sum, DType::Float64);
  Kernel k32 = reduceKernel<float>(ReduceKind::Sum, DType::Float32);
  std::vector<int64_t> lengths{0,    1,    2,    3,     7,     8,     9,     15,   16,
                               17,   100,  127,  128,   129,   130,   135,   136,  137,
                               255,  256,  257,  263,   264,   1000,  4097,  8191, 8192,
                               8193, 8199, 8200, 16383, 16384, 16385, 24577, 40000};
  for (int64_t n = 1; n <= 300; n += 7) lengths.push_back(n);
  for (int64_t n : lengths) {
    for (double acc : {0.0, 0.1}) {
      double want = numpySum(d.data(), n, 1, acc);
      double got = runReduce(k64, d.data(), n, 1, accF64(acc)).acc.f64;
      EXPECT_TRUE(sameBits(got, want)) << n << " acc " << acc << ": " << got << " vs " << want;
      float want32 = numpySum(f.data(), n, 1, static_cast<float>(acc));
      float got32 = runReduce(k32, f.data(), n, 1, accF32(static_cast<float>(acc))).acc.f32;
      EXPECT_TRUE(sameBits(got32, want32)) << n << " acc " << acc;
    }
  }
}

TEST(JitSumNumPy, NegativeZerosStayNegative) {
  // NumPy's short leaves start at -0: np.add.reduce(np.full(n, -0.), initial=-0.) is -0
  // for every n, and np.sum (initial +0) is +0.
  std::vector<double> z(9000, -0.0);
  std::vector<float> zf(9000, -0.0f);
  Kernel k64 = reduceKernel<double>(ReduceKind::Sum, DType::Float64);
  Kernel k32 = reduceKernel<float>(ReduceKind::Sum, DType::Float32);
  for (int64_t n : {1, 3, 7, 8, 9, 20, 200, 8195}) {
    EXPECT_TRUE(sameBits(runReduce(k64, z.data(), n, 1, accF64(-0.0)).acc.f64, -0.0)) << n;
    EXPECT_TRUE(sameBits(runReduce(k64, z.data(), n, 1, accF64(0.0)).acc.f64, 0.0)) << n;
    EXPECT_TRUE(sameBits(runReduce(k32, zf.data(), n, 1, accF32(-0.0f)).acc.f32, -0.0f)) << n;
  }
}

TEST(JitSumNumPy, StridedEqualsNumPyBitForBit) {
  // np.sum(d[::-3]) for d = hashDoubles(3 * n), from NumPy 1.24.
  const std::pair<int64_t, double> numpy[] = {
      {100, 0x1.3d411d2810446p+8},
      {1000, 0x1.a7da1471e466ap+12},
      {100000, 0x1.4b005b950dfa2p+19},
  };
  Kernel k = reduceKernel<double>(ReduceKind::Sum, DType::Float64, InnerLayout::Strided);
  for (auto [n, want] : numpy) {
    auto d = hashDoubles(3 * n);
    const double* last = d.data() + 3 * n - 1;
    EXPECT_TRUE(sameBits(numpySum(last, n, -3), want)) << n;
    EXPECT_TRUE(sameBits(runReduce(k, last, n, -3, accF64(0.0)).acc.f64, want)) << n;
  }
  // float32, stride 2, every path
  auto r = randomDoubles(2 * 20000, 3);
  std::vector<float> f(r.begin(), r.end());
  Kernel k32 = reduceKernel<float>(ReduceKind::Sum, DType::Float32, InnerLayout::Strided);
  for (int64_t n : {5, 8, 77, 128, 129, 1000, 8193, 20000})
    EXPECT_TRUE(
        sameBits(runReduce(k32, f.data(), n, 2, accF32(0.0f)).acc.f32, numpySum(f.data(), n, 2)))
        << n;
}

TEST(JitSumNumPy, FusedBodyWithBroadcastAndCast) {
  // sum(sqrt(x) * y) with x strided and y broadcast, and sum(float64(i32)):
  // the pairwise order applies to the body's values.
  KB kb;
  DType f = DType::Float64;
  int x = kb.input(f, InnerLayout::Strided);
  int y = kb.input(f, InnerLayout::Broadcast);
  Kernel k = kb.reduce(kb.op(KOp::Mul, f, kb.op(KOp::Sqrt, f, x), y), ReduceKind::Sum, f);
  auto data = randomDoubles(2 * 10000, 5);
  double scale = 0.3;
  for (int64_t n : {6, 64, 129, 1000, 10000}) {
    std::vector<double> v(n);
    for (int64_t i = 0; i < n; ++i) v[i] = std::sqrt(data[2 * i]) * scale;
    char* ptrs[] = {reinterpret_cast<char*>(data.data()), reinterpret_cast<char*>(&scale)};
    int64_t strides[] = {16, 0};
    KernelState st = accF64(0.0);
    sharedJit().compile(k)(n, ptrs, strides, &st);
    EXPECT_TRUE(sameBits(st.acc.f64, numpySum(v.data(), n))) << n;
  }
  KB ki;
  int a = ki.input(DType::Int32);
  Kernel kc = ki.reduce(ki.op(KOp::Cast, f, a), ReduceKind::Sum, f);
  std::vector<int32_t> ints(20000);
  std::vector<double> asF(ints.size());
  for (size_t i = 0; i < ints.size(); ++i) {
    ints[i] = static_cast<int32_t>((i * 2654435761ULL) % 2000000011ULL) - 1000000000;
    asF[i] = ints[i]; // exact
  }
  for (int64_t n : {7, 100, 20000})
    EXPECT_TRUE(
        sameBits(runReduce(kc, ints.data(), n, 1, accF64(0.0)).acc.f64, numpySum(asF.data(), n)))
        << n;
}

TEST(JitSumNumPy, SequentialIsTheSerialLoop) {
  auto d = randomDoubles(3 * 5000, 9);
  std::vector<float> f(d.begin(), d.end());
  Kernel k64 = reduceKernel<double>(ReduceKind::Sum, DType::Float64, InnerLayout::Strided);
  Kernel k32 = reduceKernel<float>(ReduceKind::Sum, DType::Float32);
  k64.sequential = k32.sequential = true;
  int differsFromPairwise = 0;
  for (int64_t n : {1, 7, 8, 100, 129, 1000, 5000}) {
    double want = 0.25;
    for (int64_t i = 0; i < n; ++i) want += d[3 * i];
    double got = runReduce(k64, d.data(), n, 3, accF64(0.25)).acc.f64;
    EXPECT_TRUE(sameBits(got, want)) << n;
    differsFromPairwise += !sameBits(got, numpySum(d.data(), n, 3, 0.25));
    float want32 = -1.5f;
    for (int64_t i = 0; i < n; ++i) want32 += f[i];
    EXPECT_TRUE(sameBits(runReduce(k32, f.data(), n, 1, accF32(-1.5f)).acc.f32, want32)) << n;
  }
  EXPECT_GT(differsFromPairwise, 0);
  Kernel pairwise = reduceKernel<double>(ReduceKind::Sum, DType::Float64, InnerLayout::Strided);
  EXPECT_NE(pairwise.cacheKey(), k64.cacheKey());
}

TEST(JitProdNumPy, FloatProductIsSerialLikeNumPy) {
  // np.prod(d) and np.prod(d.astype(float32)) for d = hashDoubles(n) * 1e-3 + 1.0,
  // from NumPy 1.24: multiply.reduce is a serial loop.
  struct Case {
    int64_t n;
    double f64;
    float f32;
  };
  const Case numpy[] = {
      {10, 0x1.9842c001face9p-1, 0x1.9842c00000000p-1f},
      {100, 0x1.fcdc7c2702420p-3, 0x1.fcdc780000000p-3f},
      {200, 0x1.2569a71c427c3p-3, 0x1.2569b20000000p-3f},
  };
  auto d = hashDoubles(200);
  for (double& v : d) v = v * 1e-3 + 1.0;
  std::vector<float> f(d.begin(), d.end());
  Kernel k64 = reduceKernel<double>(ReduceKind::Prod, DType::Float64);
  Kernel k32 = reduceKernel<float>(ReduceKind::Prod, DType::Float32);
  for (const Case& c : numpy) {
    EXPECT_TRUE(sameBits(runReduce(k64, d.data(), c.n, 1, accF64(1.0)).acc.f64, c.f64)) << c.n;
    EXPECT_TRUE(sameBits(runReduce(k32, f.data(), c.n, 1, accF32(1.0f)).acc.f32, c.f32)) << c.n;
  }
  auto r = randomDoubles(3000, 11);
  for (double& v : r) v += 0.5;
  double want = 2.0;
  for (double v : r) want *= v;
  EXPECT_TRUE(sameBits(runReduce(k64, r.data(), 3000, 1, accF64(2.0)).acc.f64, want));
}

/// An accumulate-rows kernel (Kernel::accumulateRows) of `kind` over one
/// input of dtype `in`, accumulating in `accum`.
Kernel rowsKernel(DType in, ReduceKind kind, DType accum) {
  KB kb;
  int x = kb.input(in);
  int v = in == accum ? x : kb.op(KOp::Cast, accum, x);
  Kernel k = kb.reduce(v, kind, accum);
  k.accumulateRows = true;
  k.layouts.push_back(InnerLayout::Contiguous); // the accumulator
  return k;
}

/// acc[i] = acc[i] (op) in[i] over n elements.
template <class In, class Acc>
void runRows(const Kernel& k, const std::vector<In>& in, std::vector<Acc>& acc) {
  InnerLoopFn fn = sharedJit().compile(k);
  char* ptrs[] = {reinterpret_cast<char*>(const_cast<In*>(in.data())),
                  reinterpret_cast<char*>(acc.data())};
  int64_t strides[] = {int64_t(sizeof(In)), int64_t(sizeof(Acc))};
  KernelState st{};
  fn(int64_t(in.size()), ptrs, strides, &st);
}

TEST(JitRows, FloatMinMaxKeepNumPysTieAndNaNRule) {
  // NumPy's minimum(acc, v) is (acc < v || isnan(acc)) ? acc : v: the new
  // element wins a -0.0/+0.0 tie, and the first NaN stays.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> acc{0.0, -0.0, nan, 1.0, 2.0, 0.0, -0.0, 5.0, 1.0};
  std::vector<double> v{-0.0, 0.0, 1.0, nan, 1.0, -0.0, 0.0, 5.0, 3.0};
  std::vector<double> mn = acc, mx = acc;
  runRows(rowsKernel(DType::Float64, ReduceKind::Min, DType::Float64), v, mn);
  runRows(rowsKernel(DType::Float64, ReduceKind::Max, DType::Float64), v, mx);
  EXPECT_TRUE(std::signbit(mn[0]) && !std::signbit(mn[1]));
  EXPECT_TRUE(std::signbit(mx[0]) && !std::signbit(mx[1]));
  EXPECT_TRUE(std::isnan(mn[2]) && std::isnan(mn[3]) && std::isnan(mx[2]) && std::isnan(mx[3]));
  EXPECT_EQ(mn[4], 1.0);
  EXPECT_EQ(mx[4], 2.0);
  EXPECT_EQ(mn[8], 1.0);
  EXPECT_EQ(mx[8], 3.0);
}

TEST(JitRows, SumIsOneAddPerElementAndIntsWiden) {
  std::vector<double> acc{1e16, 0.0, -0.0};
  runRows(rowsKernel(DType::Float64, ReduceKind::Sum, DType::Float64),
          std::vector<double>{1.0, -0.0, -0.0}, acc);
  EXPECT_EQ(acc[0], 1e16); // 1e16 + 1 rounds back: one add, no regrouping
  EXPECT_FALSE(std::signbit(acc[1]));
  EXPECT_TRUE(std::signbit(acc[2]));
  std::vector<int64_t> wide(40, int64_t(INT32_MAX));
  runRows(rowsKernel(DType::Int32, ReduceKind::Sum, DType::Int64),
          std::vector<int32_t>(40, INT32_MAX), wide);
  EXPECT_EQ(wide[39], 2 * int64_t(INT32_MAX));
  std::vector<uint8_t> any(40, 0);
  std::vector<uint8_t> bits(40, 0);
  bits[7] = 1;
  runRows(rowsKernel(DType::Bool, ReduceKind::Max, DType::Bool), bits, any);
  EXPECT_EQ(any[7], 1);
  EXPECT_EQ(any[8], 0);
}

TEST(JitRows, AsmIsPackedAdd) {
  if (!__builtin_cpu_supports("avx2")) GTEST_SKIP() << "host lacks AVX2";
  std::string s = sharedJit().emitAsm(rowsKernel(DType::Float64, ReduceKind::Sum, DType::Float64));
  EXPECT_TRUE(std::regex_search(s, std::regex(R"(vaddpd\s+.*%[yz]mm)"))) << s;
  s = sharedJit().emitAsm(rowsKernel(DType::Float32, ReduceKind::Max, DType::Float32));
  EXPECT_TRUE(std::regex_search(s, std::regex(R"(vcmp\w*ps\s+.*%[yz]mm)"))) << s;
}

} // namespace
} // namespace ravel::jittest
