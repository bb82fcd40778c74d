// Per-call cost of a compiled function through the embedding API, next to
// the same work as a hand-written loop. NumPy's figure for the same work:
// bench/compare_embed_numpy.py (run it in the same session).
#include <ravel/ravel.h>

#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

namespace {

constexpr int64_t kElements = 8;

void BM_EmbedCompiledCallInto(benchmark::State& state) {
  ravel::Engine engine;
  ravel::Function f = engine.compile("def f(x, y):\n    return np.sqrt(x**2 + y**2)\n");
  std::vector<double> x(kElements, 3.0), y(kElements, 4.0), out(kElements);
  ravel::Array ax = ravel::Array::wrap(x), ay = ravel::Array::wrap(y),
               aout = ravel::Array::wrap(out);
  f.into(aout, ax, ay); // compiles
  for (auto _ : state) {
    f.into(aout, ax, ay);
    benchmark::DoNotOptimize(out.data());
  }
  if (out[0] != 5.0) state.SkipWithError("wrong result");
}
BENCHMARK(BM_EmbedCompiledCallInto);

void BM_EmbedCompiledCallResult(benchmark::State& state) {
  ravel::Engine engine;
  ravel::Function f = engine.compile("def f(x, y):\n    return np.sqrt(x**2 + y**2)\n");
  std::vector<double> x(kElements, 3.0), y(kElements, 4.0);
  ravel::Array ax = ravel::Array::wrap(x), ay = ravel::Array::wrap(y);
  f(ax, ay);
  for (auto _ : state) benchmark::DoNotOptimize(f(ax, ay));
}
BENCHMARK(BM_EmbedCompiledCallResult);

void BM_HandLoopHypot8(benchmark::State& state) {
  std::vector<double> x(kElements, 3.0), y(kElements, 4.0), out(kElements);
  for (auto _ : state) {
    benchmark::DoNotOptimize(x.data());
    for (int64_t i = 0; i < kElements; ++i)
      out[size_t(i)] = std::sqrt(x[size_t(i)] * x[size_t(i)] + y[size_t(i)] * y[size_t(i)]);
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_HandLoopHypot8);

void BM_EmbedEngineRun(benchmark::State& state) {
  ravel::Engine engine;
  std::vector<double> x(kElements, 3.0), y(kElements, 4.0);
  engine.set("x", ravel::Array::wrap(x));
  engine.set("y", ravel::Array::wrap(y));
  for (auto _ : state) engine.run("r = np.sqrt(x**2 + y**2)");
}
BENCHMARK(BM_EmbedEngineRun);

} // namespace

BENCHMARK_MAIN();
