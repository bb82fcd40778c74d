// The embedding API's thread model (include/ravel/Engine.h): an Engine and
// its Functions belong to one thread at a time; separate Engines run on
// separate threads at once, sharing ravel's process-wide kernel thread pool
// and OpenBLAS. Built as its own program so the test suite can also run it
// under ThreadSanitizer (scripts/run-tests.sh, RAVEL_TSAN).
#include <ravel/ravel.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <string>
#include <thread>
#include <vector>

namespace {

using ravel::Array;

constexpr int kThreads = 4;

// What f computes, in C++: the oracle every thread checks against.
double expected(double x, double y) {
  return std::sqrt(x * x + y * y) * 0.5 + 1.0;
}

TEST(EmbedThreads, EnginesOnSeparateThreadsRunAtOnce) {
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &failures] {
      ravel::EngineOptions options;
      options.threads = 1 + t % 2; // mixed limits over the one shared pool
      ravel::Engine engine(options);
      ravel::Function f =
          engine.compile("def f(x, y):\n    return np.sqrt(x**2 + y**2) * 0.5 + 1\n");
      ravel::Function total = engine.compile("def total(x):\n    return x.sum()\n");
      // Small calls (replayed plans) and large ones (split over the pool).
      for (size_t n : {size_t(8), size_t(1) << 18}) {
        std::vector<double> x(n), y(n), out(n);
        Array ax = Array::wrap(x), ay = Array::wrap(y), aout = Array::wrap(out);
        for (int call = 0; call < (n == 8 ? 300 : 6); ++call) {
          for (size_t i = 0; i < n; ++i)
            x[i] = double(t + 1) * double(i % 97), y[i] = double(call) - double(i % 13);
          f.into(aout, ax, ay);
          for (size_t i = 0; i < n; i += n / 8)
            if (out[i] != expected(x[i], y[i])) ++failures;
          const double s = total(aout).toDouble();
          double sumOracle = 0;
          for (double v : out) sumOracle += v;
          if (std::abs(s - sumOracle) > 1e-9 * std::abs(sumOracle)) ++failures;
        }
      }
      // A product goes through OpenBLAS from every thread at once.
      engine.run("a = np.arange(120.0).reshape(10, 12) * " + std::to_string(t + 1) +
                 "\nb = (a @ a.T).trace()");
      double oracle = 0;
      for (int i = 0; i < 120; ++i) oracle += double(i) * i * (t + 1) * (t + 1);
      if (engine.get("b").toDouble() != oracle) ++failures;
      // Errors on one thread leave that engine usable and touch no other.
      try {
        engine.run("c = np.ones(3) + np.ones(4)");
        ++failures;
      } catch (const ravel::Error& e) {
        if (e.kind() != ravel::ErrorKind::Shape) ++failures;
      }
      if (engine.eval("float(b)").toDouble() != oracle) ++failures;
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(EmbedThreads, AnEngineMovesBetweenThreadsOneAtATime) {
  ravel::Engine engine;
  ravel::Function f = engine.compile("def f(x):\n    return x * 2 + 1\n");
  std::vector<double> x = {1, 2, 3}, out(3);
  for (int round = 0; round < 4; ++round) {
    std::thread worker([&] {
      x[0] = round;
      f.into(Array::wrap(out), Array::wrap(x));
    });
    worker.join();
    EXPECT_EQ(out[0], 2.0 * round + 1);
    EXPECT_EQ(out[2], 7.0);
  }
}

} // namespace
