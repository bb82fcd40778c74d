// Matrix products (issue 8). GFLOP/s = 2*m*n*k per product / time; compare
// with the machine's float64 peak (~106 GFLOP/s per core, AVX-512 FMA).
// Thread count: RAVEL_NUM_THREADS governs ravel's pool and OpenBLAS alike,
// and the direct cblas calls here run with the same setting, so run the
// binary once per thread count:
//   RAVEL_NUM_THREADS=1 build/bench/ravel_bench --benchmark_filter='Matmul|Forward|Softmax'
//   RAVEL_NUM_THREADS=2 build/bench/ravel_bench --benchmark_filter='Matmul|Forward|Softmax'
//  1. 1000x1000 float64: cblas_dgemm called directly vs blas::matmul (ravel's
//     runtime product) on the very same buffers, and `c = a @ b` / `c = a @
//     b.T` through the whole engine (result allocation included);
//  2. the forward pass maximum(0, X @ W1 + b1) @ W2 + b2 (X 4096x1024, W1
//     1024x1024, W2 1024x256) through the engine vs its two gemm calls alone;
//  3. softmax(X @ W1 + b1) (a row-panel group: the row maxima, the
//     exponentials, their row sums and the division run on each row panel
//     of the product) through the engine vs its one gemm call alone.
#include "compiler/Pipeline.h"
#include "runtime/Blas.h"

#include <benchmark/benchmark.h>

#include <cblas.h>

#include <cmath>
#include <cstdlib>
#include <sstream>
#include <string>

namespace ravel::bench {
namespace {

constexpr int64_t kN = 1000;
constexpr int64_t kBatch = 4096, kIn = 1024, kHidden = 1024, kOut = 256;

/// A 64-byte aligned, first-touched matrix of doubles in [0, 1).
struct Matrix {
  Matrix(int64_t rows, int64_t cols, double seed) : rows(rows), cols(cols) {
    data = static_cast<double*>(std::aligned_alloc(64, size_t(rows * cols) * sizeof(double)));
    for (int64_t i = 0; i < rows * cols; ++i) data[i] = std::fmod(seed * double(i + 1), 1.0);
  }
  ~Matrix() { std::free(data); }
  Array array() const {
    return Array::borrow(data, rows * cols * 8, {rows, cols}, {cols * 8, 8}, DType::Float64);
  }
  double* data;
  int64_t rows, cols;
};

void setFlops(benchmark::State& state, double flopsPerIteration) {
  state.counters["GFLOP/s"] =
      benchmark::Counter(flopsPerIteration * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["threads"] = openblas_get_num_threads();
}

void BM_MatmulCblasDirect(benchmark::State& state) {
  blas::syncThreads();
  Matrix a(kN, kN, 0.37), b(kN, kN, 0.61), c(kN, kN, 0.0);
  for (auto _ : state)
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, kN, kN, kN, 1.0, a.data, kN, b.data, kN,
                0.0, c.data, kN);
  setFlops(state, 2.0 * kN * kN * kN);
}
BENCHMARK(BM_MatmulCblasDirect)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_MatmulRavelRuntime(benchmark::State& state) {
  Matrix a(kN, kN, 0.37), b(kN, kN, 0.61), c(kN, kN, 0.0);
  Array aa = a.array(), bb = b.array(), cc = c.array();
  for (auto _ : state) {
    blas::ProductReport report;
    blas::matmul(aa, bb, cc, report);
  }
  setFlops(state, 2.0 * kN * kN * kN);
}
BENCHMARK(BM_MatmulRavelRuntime)->Unit(benchmark::kMillisecond)->UseRealTime();

Engine& engine() {
  static Engine* e = [] {
    auto* en = new Engine; // lives for the process: benchmarks share the setup
    std::ostringstream sink;
    en->run("setup",
            "random.seed(0)\n"
            "a = random.rand(1000, 1000)\nb = random.rand(1000, 1000)\n"
            "X = random.rand(4096, 1024)\nW1 = random.rand(1024, 1024) - 0.5\n"
            "b1 = random.rand(1024)\nW2 = random.rand(1024, 256)\nb2 = random.rand(256)\n"
            "def softmax(z):\n"
            "    e = exp(z - z.max(axis=1, keepdims=True))\n"
            "    return e / e.sum(axis=1, keepdims=True)\n",
            sink);
    return en;
  }();
  return *e;
}

void runStatement(benchmark::State& state, const std::string& code, double flops) {
  std::ostringstream sink;
  engine().run("warmup", code, sink); // compiles any kernel once
  for (auto _ : state) engine().run("bench", code, sink);
  setFlops(state, flops);
}

void BM_MatmulEngine(benchmark::State& state) {
  runStatement(state, "c = a @ b\n", 2.0 * kN * kN * kN);
}
BENCHMARK(BM_MatmulEngine)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_MatmulEngineTransposed(benchmark::State& state) {
  runStatement(state, "c = a @ b.T\n", 2.0 * kN * kN * kN);
}
BENCHMARK(BM_MatmulEngineTransposed)->Unit(benchmark::kMillisecond)->UseRealTime();

constexpr double kForwardFlops = 2.0 * kBatch * kIn * kHidden + 2.0 * kBatch * kHidden * kOut;

void BM_ForwardEngine(benchmark::State& state) {
  runStatement(state, "y = maximum(0, X @ W1 + b1) @ W2 + b2\n", kForwardFlops);
}
BENCHMARK(BM_ForwardEngine)->Unit(benchmark::kMillisecond)->UseRealTime();

/// The floor for the forward pass: its two gemm calls and nothing else.
void BM_ForwardTwoGemms(benchmark::State& state) {
  blas::syncThreads();
  Matrix x(kBatch, kIn, 0.37), w1(kIn, kHidden, 0.61), h(kBatch, kHidden, 0.0),
      w2(kHidden, kOut, 0.43), y(kBatch, kOut, 0.0);
  for (auto _ : state) {
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, kBatch, kHidden, kIn, 1.0, x.data, kIn,
                w1.data, kHidden, 0.0, h.data, kHidden);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, kBatch, kOut, kHidden, 1.0, h.data,
                kHidden, w2.data, kOut, 0.0, y.data, kOut);
  }
  setFlops(state, kForwardFlops);
}
BENCHMARK(BM_ForwardTwoGemms)->Unit(benchmark::kMillisecond)->UseRealTime();

constexpr double kLayerFlops = 2.0 * kBatch * kIn * kHidden;

void BM_SoftmaxEngine(benchmark::State& state) {
  runStatement(state, "p = softmax(X @ W1 + b1)\n", kLayerFlops);
}
BENCHMARK(BM_SoftmaxEngine)->Unit(benchmark::kMillisecond)->UseRealTime();

/// The floor for the softmax: its gemm call and nothing else.
void BM_SoftmaxOneGemm(benchmark::State& state) {
  blas::syncThreads();
  Matrix x(kBatch, kIn, 0.37), w1(kIn, kHidden, 0.61), h(kBatch, kHidden, 0.0);
  for (auto _ : state)
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, kBatch, kHidden, kIn, 1.0, x.data, kIn,
                w1.data, kHidden, 0.0, h.data, kHidden);
  setFlops(state, kLayerFlops);
}
BENCHMARK(BM_SoftmaxOneGemm)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace
} // namespace ravel::bench
