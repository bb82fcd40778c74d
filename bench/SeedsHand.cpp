// ravel_seeds_hand: hand-written C++ loops for the seed workloads that
// bench/seeds.py compares ravel and NumPy against (issue 13's table). Each
// loop is what a C++ programmer would write for the same result, compiled
// with -O3 -march=native -fno-math-errno (no fast-math): plain loops,
// cache-blocked where the access pattern needs it. Buffers are allocated and
// touched once, then each loop runs on warm memory; the best of several runs
// is printed as `name seconds`, one line per workload.
#include "HandLoops.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>
#include <vector>

namespace {

/// Best wall time of `fn` over enough runs to take about a second.
double bestOf(const std::function<void()>& fn) {
  using Clock = std::chrono::steady_clock;
  fn(); // warm-up: first touch of the outputs
  double best = 1e30, total = 0;
  for (int run = 0; run < 50 && (run < 5 || total < 1.0); ++run) {
    const auto start = Clock::now();
    fn();
    const double s = std::chrono::duration<double>(Clock::now() - start).count();
    best = std::min(best, s);
    total += s;
  }
  return best;
}

std::vector<double> randomDoubles(int64_t n, uint64_t seed) {
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<double> v(static_cast<size_t>(n));
  for (double& x : v) x = u(gen);
  return v;
}

/// Keeps a result alive so the optimizer cannot drop the loop.
volatile double gSink;

void report(const char* name, double seconds) {
  std::printf("%s %.9g\n", name, seconds);
  std::fflush(stdout);
}

// a.sum(axis=0) of a rows x cols C-ordered matrix: stream rows, add into the
// output vector.
void columnSums(const double* __restrict a, int64_t rows, int64_t cols, double* __restrict out) {
  std::fill(out, out + cols, 0.0);
  for (int64_t i = 0; i < rows; ++i) {
    const double* row = a + i * cols;
    for (int64_t j = 0; j < cols; ++j) out[j] += row[j];
  }
}

// a.mean(axis=0): the column sums, each divided by the row count.
void columnMeans(const double* __restrict a, int64_t rows, int64_t cols, double* __restrict out) {
  columnSums(a, rows, cols, out);
  for (int64_t j = 0; j < cols; ++j) out[j] /= double(rows);
}

// Mean of each window of w consecutive elements: out[i] = sum(x[i:i+w]) / w,
// eight neighbouring outputs at a time in registers (the loop over j
// vectorizes), one window offset after another.
void windowMeans(const double* __restrict x, int64_t n, int64_t w, double* __restrict out) {
  const int64_t count = n - w + 1;
  int64_t i = 0;
  for (; i + 8 <= count; i += 8) {
    double acc[8];
    for (int j = 0; j < 8; ++j) acc[j] = x[i + j];
    for (int64_t k = 1; k < w; ++k)
      for (int j = 0; j < 8; ++j) acc[j] += x[i + j + k];
    for (int j = 0; j < 8; ++j) out[i + j] = acc[j] / double(w);
  }
  for (; i < count; ++i) {
    double s = x[i];
    for (int64_t k = 1; k < w; ++k) s += x[i + k];
    out[i] = s / double(w);
  }
}

// Minesweeper: the number of true neighbours of each cell of an n x n board,
// through a zero-padded int32 copy (the same computation as the ravel
// program: pad, then add eight shifted slices).
void neighbours(const uint8_t* __restrict board, int64_t n, int32_t* __restrict pad,
                int32_t* __restrict out) {
  const int64_t m = n + 2;
  std::memset(pad, 0, size_t(m * m) * sizeof(int32_t));
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < n; ++j) pad[(i + 1) * m + j + 1] = board[i * n + j];
  for (int64_t i = 0; i < n; ++i) {
    const int32_t *up = pad + i * m, *mid = up + m, *down = mid + m;
    int32_t* o = out + i * n;
    for (int64_t j = 0; j < n; ++j)
      o[j] =
          up[j] + up[j + 1] + up[j + 2] + mid[j] + mid[j + 2] + down[j] + down[j + 1] + down[j + 2];
  }
}

// a.T.reshape(-1) of a rows x cols matrix: a cols x rows transposed copy in
// 32 x 32 tiles.
void transposeCopy(const double* __restrict a, int64_t rows, int64_t cols, double* __restrict out) {
  constexpr int64_t kTile = 32;
  for (int64_t i0 = 0; i0 < rows; i0 += kTile)
    for (int64_t j0 = 0; j0 < cols; j0 += kTile)
      for (int64_t j = j0; j < std::min(cols, j0 + kTile); ++j)
        for (int64_t i = i0; i < std::min(rows, i0 + kTile); ++i)
          out[j * rows + i] = a[i * cols + j];
}

// Monte Carlo pi with xoshiro256+ (a fast generator; not NumPy's stream).
double monteCarloPi(int64_t n, uint64_t seed) {
  uint64_t s[4] = {seed, seed ^ 0x9E3779B97F4A7C15ull, seed * 3 + 1, ~seed};
  auto next = [&s]() {
    const uint64_t result = s[0] + s[3], t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return result;
  };
  int64_t inside = 0;
  for (int64_t i = 0; i < n; ++i) {
    const double x = double(next() >> 11) * 0x1.0p-53, y = double(next() >> 11) * 0x1.0p-53;
    inside += x * x + y * y < 1.0;
  }
  return 4.0 * double(inside) / double(n);
}

template <class T>
void hypot2(const T* __restrict x, const T* __restrict y, T* __restrict out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = std::sqrt(x[i] * x[i] + y[i] * y[i]);
}

template <class T>
void axpb(const T* __restrict a, const T* __restrict b, const T* __restrict c, T* __restrict out,
          int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = a[i] * b[i] + c[i];
}

// sqrt(sum(a**2)) with 16 accumulators (the form that vectorizes without
// fast-math).
template <class T> T norm(const T* __restrict a, int64_t n) {
  constexpr int kLanes = 16;
  T acc[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int k = 0; k < kLanes; ++k) acc[k] += a[i + k] * a[i + k];
  T s = 0;
  for (int k = 0; k < kLanes; ++k) s += acc[k];
  for (; i < n; ++i) s += a[i] * a[i];
  return std::sqrt(s);
}

template <class T> void expSin(const T* __restrict x, T* __restrict out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = std::exp(-x[i] * x[i] / T(2)) * std::sin(x[i]);
}

/// Sizes read at run time, so the compiler cannot specialise the loops on
/// them.
volatile int64_t gMillion = 1'000'000;

} // namespace

int main() {
  {
    const int64_t n = 10000;
    std::vector<double> a = randomDoubles(n * n, 1), out(n);
    report("colsum", bestOf([&] { columnSums(a.data(), n, n, out.data()); }));
    report("colmean", bestOf([&] { columnMeans(a.data(), n, n, out.data()); }));
  }
  {
    const int64_t n = 10'000'000, w = 16;
    std::vector<double> x = randomDoubles(n, 2), out(n - w + 1);
    report("window", bestOf([&] { windowMeans(x.data(), n, w, out.data()); }));
  }
  {
    const int64_t n = 4000;
    std::vector<double> r = randomDoubles(n * n, 3);
    std::vector<uint8_t> board(size_t(n * n));
    for (size_t i = 0; i < board.size(); ++i) board[i] = r[i] < 0.2;
    std::vector<int32_t> pad(size_t((n + 2) * (n + 2))), out(size_t(n * n));
    report("mines", bestOf([&] { neighbours(board.data(), n, pad.data(), out.data()); }));
  }
  {
    const int64_t rows = 4000, cols = 8000;
    std::vector<double> a = randomDoubles(rows * cols, 4), out(size_t(rows * cols));
    report("transpose", bestOf([&] { transposeCopy(a.data(), rows, cols, out.data()); }));
  }
  report("pi", bestOf([&] { gSink = monteCarloPi(10'000'000, 5); }));
  {
    const int64_t n = 100 * gMillion;
    std::vector<double> x = randomDoubles(n, 6);
    report("sum", bestOf([&] { gSink = ravel::bench::handSumUnrolled(x.data(), n); }));
  }
  {
    const int64_t n = gMillion;
    std::vector<double> x = randomDoubles(n, 7), y = randomDoubles(n, 8), out(n);
    report("hypot6", bestOf([&] { hypot2(x.data(), y.data(), out.data(), n); }));
  }
  const int64_t n = 10 * gMillion;
  std::vector<double> a = randomDoubles(n, 9), b = randomDoubles(n, 10), c = randomDoubles(n, 11),
                      out(n);
  std::vector<float> af(a.begin(), a.end()), bf(b.begin(), b.end()), cf(c.begin(), c.end()),
      outf(n);
  report("axpb64", bestOf([&] { axpb(a.data(), b.data(), c.data(), out.data(), n); }));
  report("axpb32", bestOf([&] { axpb(af.data(), bf.data(), cf.data(), outf.data(), n); }));
  report("norm64", bestOf([&] { gSink = norm(a.data(), n); }));
  report("norm32", bestOf([&] { gSink = norm(af.data(), n); }));
  report("expsin64", bestOf([&] { expSin(a.data(), out.data(), n); }));
  report("expsin32", bestOf([&] { expSin(af.data(), outf.data(), n); }));
  report("hypot7", bestOf([&] { hypot2(a.data(), b.data(), out.data(), n); }));
  return 0;
}
