// Vector math through SLEEF: accuracy against glibc, and position
// independence (a value never depends on where it sits in the array, i.e.
// whether the vector body, the vectorized epilogue or the scalar tail
// computed it, nor on its neighbours).
#include "JitTestSupport.h"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <random>

namespace ravel::jittest {
namespace {

struct MathCase {
  KOp op;
  long double (*ref)(long double); // glibc's x87 long double function
  float (*reff)(float);
  double lo, hi;   // sampling range (float64)
  double flo, fhi; // sampling range (float32)
  int64_t maxUlp;  // vs the reference
};

// SLEEF u10 is within 1 ULP of the exact result. The float64 reference is
// glibc's long double function rounded to double (glibc's double tanh and
// cbrt are themselves 2-3 ULP off); JitMath.Float64WithinOneUlpOfGlibc checks
// exp/log/sin/cos against glibc's double functions directly. The float32
// reference is glibc's float function.
const MathCase kCases[] = {
    {KOp::Exp, [](long double x) { return std::exp(x); }, [](float x) { return std::exp(x); }, -700,
     700, -85, 85, 1},
    {KOp::Log, [](long double x) { return std::log(x); }, [](float x) { return std::log(x); },
     1e-300, 1e300, 1e-30, 1e30, 1},
    {KOp::Sin, [](long double x) { return std::sin(x); }, [](float x) { return std::sin(x); }, -1e4,
     1e4, -1e3, 1e3, 1},
    {KOp::Cos, [](long double x) { return std::cos(x); }, [](float x) { return std::cos(x); }, -1e4,
     1e4, -1e3, 1e3, 1},
    {KOp::Tanh, [](long double x) { return std::tanh(x); }, [](float x) { return std::tanh(x); },
     -20, 20, -10, 10, 1},
    {KOp::Tan, [](long double x) { return std::tan(x); }, [](float x) { return std::tan(x); }, -100,
     100, -100, 100, 1},
    {KOp::Arcsin, [](long double x) { return std::asin(x); }, [](float x) { return std::asin(x); },
     -1, 1, -1, 1, 1},
    {KOp::Arccos, [](long double x) { return std::acos(x); }, [](float x) { return std::acos(x); },
     -1, 1, -1, 1, 1},
    {KOp::Arctan, [](long double x) { return std::atan(x); }, [](float x) { return std::atan(x); },
     -1e3, 1e3, -1e3, 1e3, 1},
    {KOp::Sinh, [](long double x) { return std::sinh(x); }, [](float x) { return std::sinh(x); },
     -700, 700, -85, 85, 1},
    {KOp::Cosh, [](long double x) { return std::cosh(x); }, [](float x) { return std::cosh(x); },
     -700, 700, -85, 85, 1},
    {KOp::Exp2, [](long double x) { return std::exp2(x); }, [](float x) { return std::exp2(x); },
     -1000, 1000, -120, 120, 1},
    {KOp::Expm1, [](long double x) { return std::expm1(x); }, [](float x) { return std::expm1(x); },
     -50, 50, -20, 20, 1},
    {KOp::Log2, [](long double x) { return std::log2(x); }, [](float x) { return std::log2(x); },
     1e-300, 1e300, 1e-30, 1e30, 1},
    {KOp::Log10, [](long double x) { return std::log10(x); }, [](float x) { return std::log10(x); },
     1e-300, 1e300, 1e-30, 1e30, 1},
    {KOp::Log1p, [](long double x) { return std::log1p(x); }, [](float x) { return std::log1p(x); },
     -0.999, 1e6, -0.999, 1e6, 1},
    {KOp::Cbrt, [](long double x) { return std::cbrt(x); }, [](float x) { return std::cbrt(x); },
     -1e6, 1e6, -1e6, 1e6, 1},
};

/// Values in [lo, hi] (log-uniform when the range spans decades), with the
/// sign of the range.
template <class T> std::vector<T> sample(double lo, double hi, size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<T> v(n);
  bool logScale = lo > 0 && hi / lo > 1e6;
  for (T& x : v) {
    double r = u(rng);
    x = static_cast<T>(logScale ? std::exp(std::log(lo) + r * (std::log(hi) - std::log(lo)))
                                : lo + r * (hi - lo));
  }
  return v;
}

template <class T> void checkAccuracy(const MathCase& c) {
  bool f64 = std::is_same_v<T, double>;
  auto x = sample<T>(f64 ? c.lo : c.flo, f64 ? c.hi : c.fhi, 1000, 1234);
  auto r = runUnary<T>(c.op, dtypeOf<T>(), x);
  int64_t worst = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    T want = f64 ? static_cast<T>(c.ref(static_cast<long double>(x[i])))
                 : static_cast<T>(c.reff(static_cast<float>(x[i])));
    int64_t ulp = ulpDistance(r[i], want);
    worst = std::max(worst, ulp);
    EXPECT_LE(ulp, c.maxUlp) << kopName(c.op) << "(" << x[i] << ") = " << r[i] << ", glibc "
                             << want;
  }
  ::testing::Test::RecordProperty(std::string(kopName(c.op)) + (f64 ? "_f64" : "_f32") + "_max_ulp",
                                  std::to_string(worst));
}

TEST(JitMath, Float64WithinOneUlpOfGlibc) {
  struct Case {
    KOp op;
    double (*ref)(double);
    double lo, hi;
  };
  const Case cases[] = {{KOp::Exp, [](double x) { return std::exp(x); }, -700, 700},
                        {KOp::Log, [](double x) { return std::log(x); }, 1e-300, 1e300},
                        {KOp::Sin, [](double x) { return std::sin(x); }, -1e4, 1e4},
                        {KOp::Cos, [](double x) { return std::cos(x); }, -1e4, 1e4}};
  for (const Case& c : cases) {
    auto x = sample<double>(c.lo, c.hi, 1000, 77);
    auto r = runUnary<double>(c.op, DType::Float64, x);
    for (size_t i = 0; i < x.size(); ++i)
      EXPECT_LE(ulpDistance(r[i], c.ref(x[i])), 1) << kopName(c.op) << "(" << x[i] << ")";
  }
}

TEST(JitMath, WithinUlpFloat64) {
  for (const MathCase& c : kCases) checkAccuracy<double>(c);
}

TEST(JitMath, WithinUlpFloat32) {
  for (const MathCase& c : kCases) checkAccuracy<float>(c);
}

TEST(JitMath, SpecialValues) {
  const double inf = std::numeric_limits<double>::infinity();
  auto e = runUnary<double>(KOp::Exp, DType::Float64, std::vector<double>{-inf, inf, 0.0, 710.0});
  EXPECT_EQ(e, (std::vector<double>{0.0, inf, 1.0, inf}));
  auto l = runUnary<double>(KOp::Log, DType::Float64, std::vector<double>{0.0, -1.0, inf, 1.0});
  EXPECT_EQ(l[0], -inf);
  EXPECT_TRUE(std::isnan(l[1]));
  EXPECT_EQ(l[2], inf);
  EXPECT_EQ(l[3], 0.0);
  auto s = runUnary<double>(KOp::Sin, DType::Float64, std::vector<double>{-0.0, inf, 1e300});
  EXPECT_TRUE(std::signbit(s[0]) && s[0] == 0.0);
  EXPECT_TRUE(std::isnan(s[1]));
  EXPECT_LE(ulpDistance(s[2], std::sin(1e300)), 1);
  auto a2 =
      runBinary<double>(KOp::Arctan2, DType::Float64, std::vector<double>{1.0, -1.0, 0.0, -0.0},
                        std::vector<double>{-1.0, -1.0, -1.0, -1.0});
  for (size_t i = 0; i < 4; ++i) {
    double y[] = {1.0, -1.0, 0.0, -0.0};
    EXPECT_LE(ulpDistance(a2[i], std::atan2(y[i], -1.0)), 1) << i;
  }
  auto h = runBinary<double>(KOp::Hypot, DType::Float64, std::vector<double>{3.0, 1e300, inf},
                             std::vector<double>{4.0, 1e300, std::nan("")});
  EXPECT_EQ(h[0], 5.0);
  EXPECT_LE(ulpDistance(h[1], std::hypot(1e300, 1e300)), 1);
  EXPECT_EQ(h[2], inf);
}

/// Inputs whose vectors mix SLEEF's argument-reduction classes: small,
/// medium and huge magnitudes, NaN, inf, zeros.
template <class T> std::vector<T> mixedInputs(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const double pool[] = {0.0,
                         -0.0,
                         std::numeric_limits<double>::quiet_NaN(),
                         std::numeric_limits<double>::infinity(),
                         15.0,
                         125.0,
                         1e14};
  std::vector<T> v(n);
  for (T& x : v) {
    double r = u(rng);
    if (r < 0.08)
      x = static_cast<T>(pool[static_cast<size_t>(u(rng) * 7) % 7]);
    else if (r < 0.4)
      x = static_cast<T>((u(rng) - 0.5) * 30);
    else if (r < 0.7)
      x = static_cast<T>((u(rng) - 0.5) * 2000);
    else if (r < 0.9)
      x = static_cast<T>((u(rng) - 0.5) * 2e6);
    else
      x = static_cast<T>((u(rng) - 0.5) * 1e20);
  }
  return v;
}

/// Every element computed alone (n = 1: the scalar path) must equal the
/// element computed inside the full array, at any offset and length.
template <class T> void checkPositionIndependence(jit::KernelJit& jit, KOp op) {
  KB kb;
  int in = kb.input(dtypeOf<T>());
  Kernel k = kb.out(kb.op(op, dtypeOf<T>(), in));
  InnerLoopFn fn = jit.compile(k);
  auto call = [&](const T* x, T* out, int64_t n) {
    char* ptrs[] = {reinterpret_cast<char*>(const_cast<T*>(x)), reinterpret_cast<char*>(out)};
    int64_t strides[] = {sizeof(T), sizeof(T)};
    fn(n, ptrs, strides, nullptr);
  };
  const size_t n = 1000;
  auto x = mixedInputs<T>(n, 99);
  std::vector<T> full(n), alone(1), part(n);
  call(x.data(), full.data(), n);
  for (size_t i = 0; i < n; ++i) {
    call(&x[i], alone.data(), 1);
    ASSERT_TRUE(sameValue(alone[0], full[i]))
        << kopName(op) << "(" << x[i] << "): alone " << alone[0] << ", in array " << full[i];
  }
  for (size_t offset : {1, 3, 5, 7, 11, 13}) {
    for (size_t len : {size_t(1), size_t(9), size_t(17), size_t(33), n - offset}) {
      call(&x[offset], part.data(), static_cast<int64_t>(len));
      for (size_t i = 0; i < len; ++i)
        ASSERT_TRUE(sameValue(part[i], full[offset + i]))
            << kopName(op) << " offset " << offset << " len " << len << " i " << i;
    }
  }
}

const KOp kPositionOps[] = {KOp::Exp, KOp::Log, KOp::Sin, KOp::Cos, KOp::Tanh, KOp::Tan};

TEST(JitMath, NoPositionDependence) {
  for (KOp op : kPositionOps) {
    checkPositionIndependence<double>(sharedJit(), op);
    checkPositionIndependence<float>(sharedJit(), op);
  }
}

/// A second JIT capped to AVX2 must compute bit-identical values (SLEEF's
/// AVX2 and AVX-512 FMA variants agree), and position independence holds
/// there too.
TEST(JitMath, Avx2FallbackAgreesBitForBit) {
  setenv("RAVEL_VECTOR_ISA", "avx2", 1);
  auto avx2 = jit::KernelJit::create();
  unsetenv("RAVEL_VECTOR_ISA");
  std::printf("host: %s, capped: %s\n", sharedJit().targetDescription().c_str(),
              avx2->targetDescription().c_str());
  if (avx2->targetDescription().find("avx2") == std::string::npos ||
      sharedJit().targetDescription().ends_with("/scalar"))
    GTEST_SKIP() << "no FMA vector math to compare: " << sharedJit().targetDescription() << ", "
                 << avx2->targetDescription();
  for (KOp op : kPositionOps) {
    checkPositionIndependence<double>(*avx2, op);
    checkPositionIndependence<float>(*avx2, op);
    KB kb;
    int in = kb.input(DType::Float64);
    Kernel k = kb.out(kb.op(op, DType::Float64, in));
    auto x = mixedInputs<double>(777, 5);
    std::vector<double> a(x.size()), b(x.size());
    char* pa[] = {reinterpret_cast<char*>(x.data()), reinterpret_cast<char*>(a.data())};
    char* pb[] = {reinterpret_cast<char*>(x.data()), reinterpret_cast<char*>(b.data())};
    int64_t strides[] = {8, 8};
    sharedJit().compile(k)(x.size(), pa, strides, nullptr);
    avx2->compile(k)(x.size(), pb, strides, nullptr);
    for (size_t i = 0; i < x.size(); ++i) ASSERT_TRUE(sameValue(a[i], b[i])) << kopName(op) << i;
  }
}

TEST(JitMath, ScalarFallbackIsAccurate) {
  setenv("RAVEL_VECTOR_ISA", "scalar", 1);
  auto scalar = jit::KernelJit::create();
  unsetenv("RAVEL_VECTOR_ISA");
  EXPECT_NE(scalar->targetDescription().find("scalar"), std::string::npos);
  for (KOp op : {KOp::Exp, KOp::Sin}) {
    KB kb;
    int in = kb.input(DType::Float64);
    Kernel k = kb.out(kb.op(op, DType::Float64, in));
    auto x = sample<double>(-100, 100, 500, 3);
    std::vector<double> r(x.size());
    char* ptrs[] = {reinterpret_cast<char*>(x.data()), reinterpret_cast<char*>(r.data())};
    int64_t strides[] = {8, 8};
    scalar->compile(k)(x.size(), ptrs, strides, nullptr);
    for (size_t i = 0; i < x.size(); ++i) {
      double want = op == KOp::Exp ? std::exp(x[i]) : std::sin(x[i]);
      EXPECT_LE(ulpDistance(r[i], want), 1) << kopName(op) << "(" << x[i] << ")";
    }
  }
}

} // namespace
} // namespace ravel::jittest
