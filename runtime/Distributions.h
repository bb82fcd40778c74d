// NumPy's distribution algorithms over any bit generator (numpy/random/src/
// distributions/distributions.c and legacy-distributions.c, NumPy 1.24): a
// generator G has nextUInt32(), nextUInt64() and a double in [0, 1) from
// sample(G&). The legacy RandomState (LegacyRandom) and the Generator
// (Pcg64) share them, so both streams are NumPy's.
#pragma once

#include "runtime/Array.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

namespace ravel {

/// The smallest all-ones mask covering `max`.
inline uint64_t genMask(uint64_t max) {
  for (int s = 1; s < 64; s *= 2) max |= max >> s;
  return max;
}

/// A value in [0, rng] by masked rejection (the legacy RandomState's way):
/// 32-bit draws for ranges that fit in 32 bits, 64-bit otherwise.
template <class G> uint64_t boundedMasked(G& g, uint64_t rng) {
  if (rng == 0) return 0;
  if (rng <= 0xFFFFFFFFU) {
    if (rng == 0xFFFFFFFFU) return g.nextUInt32();
    const uint32_t mask = uint32_t(genMask(rng));
    uint32_t v;
    while ((v = g.nextUInt32() & mask) > rng) {
    }
    return v;
  }
  if (rng == UINT64_MAX) return g.nextUInt64();
  const uint64_t mask = genMask(rng);
  uint64_t v;
  while ((v = g.nextUInt64() & mask) > rng) {
  }
  return v;
}

/// A value in [0, rng] for rng < 2^32 - 1 by Lemire's multiply-and-reject.
template <class G> uint32_t lemire32(G& g, uint32_t rng) {
  const uint32_t excl = rng + 1;
  uint64_t m = uint64_t(g.nextUInt32()) * excl;
  uint32_t leftover = uint32_t(m);
  if (leftover < excl) {
    const uint32_t threshold = (UINT32_MAX - rng) % excl;
    while (leftover < threshold) {
      m = uint64_t(g.nextUInt32()) * excl;
      leftover = uint32_t(m);
    }
  }
  return uint32_t(m >> 32);
}

/// n values off + lemire32(g, rng) (0 < rng < 2^32 - 1), the threshold
/// computed once: the same draws as n calls.
template <class G, class T> void fillLemire32(G& g, T* out, int64_t n, T off, uint32_t rng) {
  const uint32_t excl = rng + 1;
  const uint32_t threshold = (UINT32_MAX - rng) % excl;
  for (int64_t i = 0; i < n; ++i) {
    uint64_t m = uint64_t(g.nextUInt32()) * excl;
    while (uint32_t(m) < threshold) m = uint64_t(g.nextUInt32()) * excl;
    out[i] = T(off + T(m >> 32));
  }
}

/// The 32-bit types' bounded value (random_bounded_uint32_fill, Lemire).
template <class G> uint32_t boundedLemire32(G& g, uint32_t rng) {
  if (rng == 0) return 0;
  if (rng == UINT32_MAX) return g.nextUInt32();
  return lemire32(g, rng);
}

/// A value in [0, rng] by Lemire's method (the Generator's way): 32-bit
/// draws for ranges that fit in 32 bits, 64-bit otherwise.
template <class G> uint64_t boundedLemire(G& g, uint64_t rng) {
  if (rng == 0) return 0;
  if (rng <= 0xFFFFFFFFU) return boundedLemire32(g, uint32_t(rng));
  if (rng == UINT64_MAX) return g.nextUInt64();
  const uint64_t excl = rng + 1;
  unsigned __int128 m = (unsigned __int128)g.nextUInt64() * excl;
  uint64_t leftover = uint64_t(m);
  if (leftover < excl) {
    const uint64_t threshold = (UINT64_MAX - rng) % excl;
    while (leftover < threshold) {
      m = (unsigned __int128)g.nextUInt64() * excl;
      leftover = uint64_t(m);
    }
  }
  return uint64_t(m >> 64);
}

/// Bounded bools (random_bounded_bool_fill): one 32-bit draw serves 32 values.
struct BoolBits {
  uint32_t buf = 0;
  int count = 0;
  template <class G> bool next(G& g) {
    if (count == 0) {
      buf = g.nextUInt32();
      count = 31;
    } else {
      buf >>= 1;
      --count;
    }
    return buf & 1U;
  }
};

/// random_interval: a value in [0, max] by masked rejection (shuffles).
template <class G> uint64_t randomInterval(G& g, uint64_t max) {
  if (max == 0) return 0;
  const uint64_t mask = genMask(max);
  uint64_t v;
  if (max <= 0xFFFFFFFFU) {
    while ((v = g.nextUInt32() & mask) > max) {
    }
  } else {
    while ((v = g.nextUInt64() & mask) > max) {
    }
  }
  return v;
}

/// shuffle(x) along axis 0 of a C-contiguous array, in place: for i from
/// n-1 down to 1, swap row i with row randomInterval(i).
template <class G> void shuffleRows(G& g, Array& a) {
  if (a.ndim() == 0 || a.shape()[0] < 2) return;
  const int64_t n = a.shape()[0];
  const size_t row = size_t(a.size() / n) * size_t(itemSize(a.dtype()));
  char* data = reinterpret_cast<char*>(a.data());
  std::vector<char> buf(row);
  for (int64_t i = n - 1; i >= 1; --i) {
    const int64_t j = int64_t(randomInterval(g, uint64_t(i)));
    if (i == j || row == 0) continue;
    std::memcpy(buf.data(), data + size_t(j) * row, row);
    std::memcpy(data + size_t(j) * row, data + size_t(i) * row, row);
    std::memcpy(data + size_t(i) * row, buf.data(), row);
  }
}

/// log(gamma(x)) as NumPy's random_loggam computes it (for poisson).
double randomLoggam(double x);

/// random_poisson: multiplication for lam < 10, PTRS (Hörmann) otherwise.
template <class G, class Sample> int64_t poisson(G& g, double lam, Sample sample) {
  if (lam == 0) return 0;
  if (lam < 10) {
    const double enlam = std::exp(-lam);
    int64_t x = 0;
    double prod = 1.0;
    for (;;) {
      prod *= sample(g);
      if (prod > enlam)
        ++x;
      else
        return x;
    }
  }
  const double slam = std::sqrt(lam), loglam = std::log(lam);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const double u = sample(g) - 0.5;
    const double v = sample(g);
    const double us = 0.5 - std::fabs(u);
    const int64_t k = int64_t(std::floor((2 * a / us + b) * u + lam + 0.43));
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(invalpha) - std::log(a / (us * us) + b) <=
        -lam + double(k) * loglam - randomLoggam(double(k + 1)))
      return k;
  }
}

} // namespace ravel
