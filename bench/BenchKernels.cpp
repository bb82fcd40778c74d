// Benchmarks of the JIT's kernels against hand-written C++ (HandLoops.cpp):
//  1. sqrt(x**2 + y**2), N = 1e7 float64: JIT kernel called directly on
//     contiguous buffers vs the hand loop (bytes = 3 arrays x 8 B x N);
//  2. sum of N = 1e7 float64: the pairwise reduction kernel vs a serial and a
//     16-accumulator hand loop (bytes = 8 B x N);
//  3. compile latency of a new kernel (a fresh constant each iteration, so the
//     cache never hits), and the cost of a cache hit.
#include "HandLoops.h"

#include "compiler/fusion/Kernel.h"
#include "compiler/jit/KernelJit.h"

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdlib>
#include <memory>
#include <vector>

namespace ravel::bench {
namespace {

using fusion::Kernel;
using fusion::KInstr;
using fusion::KOp;
using fusion::ReduceKind;

constexpr int64_t kN = 10'000'000;

jit::KernelJit& sharedJit() {
  static std::unique_ptr<jit::KernelJit> jit = jit::KernelJit::create();
  return *jit;
}

/// A 64-byte aligned, first-touched array of n doubles.
struct Buffer {
  explicit Buffer(int64_t n, double seed) : n(n) {
    data = static_cast<double*>(std::aligned_alloc(64, n * sizeof(double)));
    for (int64_t i = 0; i < n; ++i) data[i] = std::fmod(seed * (i + 1), 1.0);
  }
  ~Buffer() { std::free(data); }
  double* data;
  int64_t n;
};

KInstr instr(KOp op, DType t, int a = -1, int b = -1) {
  KInstr in{};
  in.op = op;
  in.dtype = t;
  in.args[0] = a;
  in.args[1] = b;
  return in;
}

KInstr load(int input) {
  KInstr in = instr(KOp::Load, DType::Float64);
  in.input = input;
  return in;
}

/// sqrt(x**2 + y**2) as the compiler lowers it (x**2 -> x*x); `scale`
/// multiplies x when non-zero (to make a fresh cache key).
Kernel hypotKernel(double scale = 0) {
  const DType f = DType::Float64;
  Kernel k;
  k.name = "hypot";
  k.inputs = {f, f};
  k.layouts = {InnerLayout::Contiguous, InnerLayout::Contiguous, InnerLayout::Contiguous};
  k.body = {load(0), load(1)};
  int x = 0;
  if (scale != 0) {
    KInstr c = instr(KOp::Const, f);
    c.constant.f = scale;
    k.body.push_back(c);
    k.body.push_back(instr(KOp::Mul, f, 0, 2));
    x = 3;
  }
  int base = static_cast<int>(k.body.size());
  k.body.push_back(instr(KOp::Mul, f, x, x));
  k.body.push_back(instr(KOp::Mul, f, 1, 1));
  k.body.push_back(instr(KOp::Add, f, base, base + 1));
  k.body.push_back(instr(KOp::Sqrt, f, base + 2));
  k.result = base + 3;
  k.resultDType = f;
  return k;
}

Kernel sumKernel() {
  Kernel k;
  k.name = "sum";
  k.inputs = {DType::Float64};
  k.layouts = {InnerLayout::Contiguous};
  k.body = {load(0)};
  k.result = 0;
  k.resultDType = DType::Float64;
  k.reduce = ReduceKind::Sum;
  k.accumDType = DType::Float64;
  return k;
}

/// A mid-sized kernel: exp(-x*x/2) * sin(x) + where(x > c, x, -x).
Kernel mixedKernel(double c) {
  const DType f = DType::Float64;
  Kernel k;
  k.name = "mixed";
  k.inputs = {f};
  k.layouts = {InnerLayout::Contiguous, InnerLayout::Contiguous};
  KInstr half = instr(KOp::Const, f);
  half.constant.f = -0.5;
  KInstr cc = instr(KOp::Const, f);
  cc.constant.f = c;
  k.body = {load(0),
            half,                              // 1
            instr(KOp::Mul, f, 0, 0),          // 2
            instr(KOp::Mul, f, 2, 1),          // 3
            instr(KOp::Exp, f, 3),             // 4
            instr(KOp::Sin, f, 0),             // 5
            instr(KOp::Mul, f, 4, 5),          // 6
            cc,                                // 7
            instr(KOp::Gt, DType::Bool, 0, 7), // 8
            instr(KOp::Neg, f, 0),             // 9
            KInstr{},                          // 10: where
            instr(KOp::Add, f, 6, 10)};        // 11
  k.body[10] = instr(KOp::Where, f, 8, 0);
  k.body[10].args[2] = 9;
  k.result = 11;
  k.resultDType = f;
  return k;
}

void BM_HypotJit(benchmark::State& state) {
  Buffer x(kN, 0.37), y(kN, 0.61), out(kN, 0.0);
  InnerLoopFn fn = sharedJit().compile(hypotKernel());
  char* ptrs[] = {reinterpret_cast<char*>(x.data), reinterpret_cast<char*>(y.data),
                  reinterpret_cast<char*>(out.data)};
  int64_t strides[] = {8, 8, 8};
  for (auto _ : state) {
    fn(kN, ptrs, strides, nullptr);
    benchmark::DoNotOptimize(out.data[kN - 1]);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * 3 * 8 * kN);
}
BENCHMARK(BM_HypotJit)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_HypotHandLoop(benchmark::State& state) {
  Buffer x(kN, 0.37), y(kN, 0.61), out(kN, 0.0);
  for (auto _ : state) {
    handHypot(x.data, y.data, out.data, kN);
    benchmark::DoNotOptimize(out.data[kN - 1]);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * 3 * 8 * kN);
}
BENCHMARK(BM_HypotHandLoop)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_SumJit(benchmark::State& state) {
  Buffer x(kN, 0.37);
  InnerLoopFn fn = sharedJit().compile(sumKernel());
  char* ptrs[] = {reinterpret_cast<char*>(x.data)};
  int64_t strides[] = {8};
  for (auto _ : state) {
    fusion::KernelState st{};
    st.acc.f64 = 0;
    fn(kN, ptrs, strides, &st);
    benchmark::DoNotOptimize(st.acc.f64);
  }
  state.SetBytesProcessed(state.iterations() * 8 * kN);
}
BENCHMARK(BM_SumJit)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_SumHandSerial(benchmark::State& state) {
  Buffer x(kN, 0.37);
  for (auto _ : state) benchmark::DoNotOptimize(handSumSerial(x.data, kN));
  state.SetBytesProcessed(state.iterations() * 8 * kN);
}
BENCHMARK(BM_SumHandSerial)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_SumHandUnrolled(benchmark::State& state) {
  Buffer x(kN, 0.37);
  for (auto _ : state) benchmark::DoNotOptimize(handSumUnrolled(x.data, kN));
  state.SetBytesProcessed(state.iterations() * 8 * kN);
}
BENCHMARK(BM_SumHandUnrolled)->Unit(benchmark::kMillisecond)->UseRealTime();

/// In-cache sums (N = 4096) show the per-block overhead of the pairwise sum.
void BM_SumJitInCache(benchmark::State& state) {
  const int64_t n = 4096;
  Buffer x(n, 0.37);
  InnerLoopFn fn = sharedJit().compile(sumKernel());
  char* ptrs[] = {reinterpret_cast<char*>(x.data)};
  int64_t strides[] = {8};
  for (auto _ : state) {
    fusion::KernelState st{};
    fn(n, ptrs, strides, &st);
    benchmark::DoNotOptimize(st.acc.f64);
  }
  state.SetBytesProcessed(state.iterations() * 8 * n);
}
BENCHMARK(BM_SumJitInCache);

void BM_SumHandUnrolledInCache(benchmark::State& state) {
  const int64_t n = 4096;
  Buffer x(n, 0.37);
  for (auto _ : state) benchmark::DoNotOptimize(handSumUnrolled(x.data, n));
  state.SetBytesProcessed(state.iterations() * 8 * n);
}
BENCHMARK(BM_SumHandUnrolledInCache);

void BM_CompileNewHypotKernel(benchmark::State& state) {
  auto jit = jit::KernelJit::create();
  double scale = 1.0;
  jit->compile(hypotKernel(scale)); // the first compile in a JIT pays one-time set-up
  for (auto _ : state) {
    scale += 1.0; // a new constant: a new cache key
    benchmark::DoNotOptimize(jit->compile(hypotKernel(scale)));
  }
  const jit::CompileStats& st = jit->stats();
  state.counters["opt_ms"] = st.optimizeMillis / st.compiled;
  state.counters["codegen_ms"] = st.codegenMillis / st.compiled;
}
BENCHMARK(BM_CompileNewHypotKernel)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_CompileNewMixedKernel(benchmark::State& state) {
  auto jit = jit::KernelJit::create();
  double c = 0.0;
  jit->compile(mixedKernel(c));
  for (auto _ : state) {
    c += 0.5;
    benchmark::DoNotOptimize(jit->compile(mixedKernel(c)));
  }
  const jit::CompileStats& st = jit->stats();
  state.counters["opt_ms"] = st.optimizeMillis / st.compiled;
  state.counters["codegen_ms"] = st.codegenMillis / st.compiled;
}
BENCHMARK(BM_CompileNewMixedKernel)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_CompileCacheHit(benchmark::State& state) {
  Kernel k = hypotKernel();
  sharedJit().compile(k);
  for (auto _ : state) benchmark::DoNotOptimize(sharedJit().compile(k));
}
BENCHMARK(BM_CompileCacheHit)->Unit(benchmark::kMicrosecond);

void BM_MixedKernelJit(benchmark::State& state) {
  const int64_t n = 1'000'000;
  Buffer x(n, 0.37), out(n, 0.0);
  for (int64_t i = 0; i < n; ++i) x.data[i] = x.data[i] * 20 - 10;
  InnerLoopFn fn = sharedJit().compile(mixedKernel(0.5));
  char* ptrs[] = {reinterpret_cast<char*>(x.data), reinterpret_cast<char*>(out.data)};
  int64_t strides[] = {8, 8};
  for (auto _ : state) {
    fn(n, ptrs, strides, nullptr);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_MixedKernelJit)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace
} // namespace ravel::bench

BENCHMARK_MAIN();
