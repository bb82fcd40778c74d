// ravel::EngineOptions: each option changes what it says and nothing else.
// Results are the same at every optimisation level and thread count; the
// cache bound evicts; out-of-range options are errors, not crashes.
#include <ravel/ravel.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <string>
#include <vector>

namespace {

using ravel::Array;

// Float results compared bit for bit: a lower optimisation level or fewer
// threads must not change a single bit (sums keep NumPy's order anyway).
bool sameBits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

const char* kProgram = "def f(x, y):\n"
                       "    return np.sqrt(x**2 + y**2) + np.exp(-x) * np.tanh(y)\n"
                       "def g(x):\n"
                       "    return (x * 3 - 1).sum() + x.max()\n"
                       "def h(a, b):\n"
                       "    return (a @ b).sum(axis=0)\n";

struct Results {
  std::vector<double> f;
  double g = 0;
  std::vector<double> h;
};

Results runAll(const ravel::EngineOptions& options) {
  ravel::Engine engine(options);
  engine.run(kProgram);
  // Large enough that kernels and sums are split over the pool.
  const size_t n = size_t(1) << 19;
  std::vector<double> x(n), y(n);
  for (size_t i = 0; i < n; ++i) x[i] = std::sin(double(i)) * 3, y[i] = std::cos(double(i) * 0.7);
  Results r;
  r.f.resize(n);
  engine.function("f").into(Array::wrap(r.f), Array::wrap(x), Array::wrap(y));
  r.g = engine.function("g")(Array::wrap(x)).toDouble();
  std::vector<double> a(64 * 48), b(48 * 32);
  std::iota(a.begin(), a.end(), 0.25);
  std::iota(b.begin(), b.end(), -3.5);
  Array h = engine.function("h")(Array::wrap(a.data(), {64, 48}), Array::wrap(b.data(), {48, 32}))
                .array();
  r.h.assign(h.data<double>(), h.data<double>() + 32);
  return r;
}

TEST(EmbedOptions, EveryOptimisationLevelAndThreadCountGivesTheSameBits) {
  const Results reference = runAll({});
  for (int level = 0; level <= 3; ++level) {
    for (int threads : {1, 2}) {
      ravel::EngineOptions options;
      options.optimizationLevel = level;
      options.threads = threads;
      const Results r = runAll(options);
      SCOPED_TRACE("O" + std::to_string(level) + ", " + std::to_string(threads) + " threads");
      ASSERT_EQ(r.f.size(), reference.f.size());
      for (size_t i = 0; i < r.f.size(); ++i)
        ASSERT_TRUE(sameBits(r.f[i], reference.f[i])) << "element " << i;
      EXPECT_TRUE(sameBits(r.g, reference.g)) << r.g << " vs " << reference.g;
      for (size_t i = 0; i < r.h.size(); ++i) EXPECT_TRUE(sameBits(r.h[i], reference.h[i]));
    }
  }
}

TEST(EmbedOptions, KernelCacheCapacityEvictsTheLeastRecentlyUsed) {
  ravel::EngineOptions options;
  options.kernelCacheCapacity = 2;
  ravel::Engine engine(options);
  engine.run("x = np.arange(10.0)");
  const char* exprs[] = {"float((x + 1).sum())", "float((x * 2).sum())", "float((x - 3).sum())"};
  for (const char* e : exprs) engine.eval(e);
  const int64_t compiled = engine.kernelsCompiled();
  // The first kernel was evicted by the third: asking again compiles it.
  EXPECT_DOUBLE_EQ(engine.eval(exprs[0]).toDouble(), 55.0);
  EXPECT_EQ(engine.kernelsCompiled(), compiled + 1);
  // The most recent one is still cached.
  const int64_t hits = engine.kernelCacheHits();
  EXPECT_DOUBLE_EQ(engine.eval(exprs[0]).toDouble(), 55.0);
  EXPECT_EQ(engine.kernelsCompiled(), compiled + 1);
  EXPECT_GT(engine.kernelCacheHits(), hits);

  // The default keeps all three.
  ravel::Engine roomy;
  roomy.run("x = np.arange(10.0)");
  for (const char* e : exprs) roomy.eval(e);
  const int64_t roomyCompiled = roomy.kernelsCompiled();
  roomy.eval(exprs[0]);
  EXPECT_EQ(roomy.kernelsCompiled(), roomyCompiled);
}

TEST(EmbedOptions, PersistentKernelCacheIsReadByTheNextEngine) {
  char dir[] = "/tmp/ravel-embed-cache.XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  ::setenv("RAVEL_CACHE_DIR", dir, 1);
  const char* expr = "float((np.arange(100.0) * 3 + 0.25).sum())";
  {
    ravel::Engine first;
    EXPECT_DOUBLE_EQ(first.eval(expr).toDouble(), 14875.0);
    EXPECT_EQ(first.kernelsFromDisk(), 0);
    EXPECT_GT(first.kernelsCompiled(), 0);
  }
  ravel::Engine second; // a host started again
  EXPECT_DOUBLE_EQ(second.eval(expr).toDouble(), 14875.0);
  EXPECT_GT(second.kernelsFromDisk(), 0);
  EXPECT_EQ(second.kernelsFromDisk(), second.kernelsCompiled());

  ravel::EngineOptions options;
  options.persistentKernelCache = false;
  ravel::Engine ownKernels(options);
  EXPECT_DOUBLE_EQ(ownKernels.eval(expr).toDouble(), 14875.0);
  EXPECT_EQ(ownKernels.kernelsFromDisk(), 0);
  EXPECT_GT(ownKernels.kernelsCompiled(), 0);
  ::unsetenv("RAVEL_CACHE_DIR");
  std::system((std::string("rm -rf '") + dir + "'").c_str());
}

TEST(EmbedOptions, OutOfRangeOptionsAreErrors) {
  ravel::EngineOptions bad;
  bad.optimizationLevel = 4;
  try {
    ravel::Engine engine(bad);
    FAIL() << "optimizationLevel 4 accepted";
  } catch (const ravel::Error& e) {
    EXPECT_EQ(e.kind(), ravel::ErrorKind::Value);
    EXPECT_NE(std::string(e.what()).find("optimizationLevel"), std::string::npos);
  }
  bad = {};
  bad.threads = -1;
  EXPECT_THROW(ravel::Engine{bad}, ravel::Error);
  // More threads than the pool has is capped, not an error.
  ravel::EngineOptions many;
  many.threads = 1000;
  ravel::Engine engine(many);
  EXPECT_DOUBLE_EQ(engine.eval("float(np.arange(1000.0).sum())").toDouble(), 499500.0);
}

} // namespace
