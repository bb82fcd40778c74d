// End-to-end benchmarks through the whole pipeline (ravel::Engine): parse,
// check, lazy graph, fusion, cached JIT kernel, strided loop. Compare with
// BM_HypotJit / BM_HypotHandLoop (BenchKernels.cpp) from the same run: the
// difference is everything ravel does around the kernel.
//   1. r = sqrt(x**2 + y**2), N = 1e7 float64 (bytes = 3 arrays x 8 B x N)
//   2. s = sum(sqrt(x**2 + y**2)), fused reduction (bytes = 2 x 8 B x N)
//   3. r = x + 1 on 10 elements: the per-statement overhead of the engine
#include "compiler/Pipeline.h"

#include <benchmark/benchmark.h>

#include <sstream>
#include <string>

namespace ravel::bench {
namespace {

constexpr int64_t kN = 10'000'000;

Engine& engineWith(int64_t n) {
  static Engine* big = nullptr;
  static Engine* small = nullptr;
  Engine*& e = n == kN ? big : small;
  if (!e) {
    e = new Engine; // lives for the process: benchmarks share the setup
    std::ostringstream sink;
    e->run("setup",
           "random.seed(0)\nx = random.rand(" + std::to_string(n) + ")\ny = random.rand(" +
               std::to_string(n) + ")\n",
           sink);
  }
  return *e;
}

void runStatement(benchmark::State& state, int64_t n, const std::string& code, int64_t bytes) {
  Engine& engine = engineWith(n);
  std::ostringstream sink;
  engine.run("warmup", code, sink); // compiles the kernel once
  for (auto _ : state) engine.run("bench", code, sink);
  state.SetBytesProcessed(state.iterations() * bytes);
}

void BM_EngineHypot(benchmark::State& state) {
  runStatement(state, kN, "r = sqrt(x**2 + y**2)\n", 3 * 8 * kN);
}
BENCHMARK(BM_EngineHypot)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_EngineSumHypot(benchmark::State& state) {
  runStatement(state, kN, "s = sum(sqrt(x**2 + y**2))\n", 2 * 8 * kN);
}
BENCHMARK(BM_EngineSumHypot)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_EngineStatementOverhead(benchmark::State& state) {
  runStatement(state, 10, "r = x + 1\n", 2 * 8 * 10);
}
BENCHMARK(BM_EngineStatementOverhead)->Unit(benchmark::kMicrosecond)->UseRealTime();

} // namespace
} // namespace ravel::bench
