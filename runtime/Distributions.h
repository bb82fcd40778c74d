// NumPy's distribution algorithms over any bit generator (numpy/random/src/
// distributions/distributions.c and legacy-distributions.c, NumPy 1.24): a
// generator G has nextUInt32(), nextUInt64() and a double in [0, 1) from
// sample(G&). The legacy RandomState (LegacyRandom) and the Generator
// (Pcg64) share them, so both streams are NumPy's.
#pragma once

#include "runtime/Array.h"
#include "runtime/Ziggurat.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
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

/// next_float: the top 24 bits of a 32-bit draw, in [0, 1).
template <class G> float nextFloat(G& g) {
  return float(g.nextUInt32() >> 8) * (1.0f / 16777216.0f);
}

// ---------------------------------------------------------------- ziggurat

/// random_standard_normal: one 64-bit draw gives the layer (8 bits), the
/// sign (1) and a 52-bit magnitude; inside the layer's rectangle (99.3%)
/// that is the value, else the tail (layer 0) or a test against the pdf.
template <class G> double standardNormalZig(G& g) {
  const ZigguratTables& t = zigguratTables();
  for (;;) {
    uint64_t r = g.nextUInt64();
    const int idx = int(r & 0xff);
    r >>= 8;
    const bool negative = r & 1;
    const uint64_t rabs = (r >> 1) & 0x000fffffffffffffULL;
    double x = double(rabs) * t.wi[idx];
    if (negative) x = -x;
    if (rabs < t.ki[idx]) return x;
    if (idx == 0) {
      // The tail beyond r (Marsaglia's method; log1p(-U) avoids log(0)).
      for (;;) {
        const double xx = -kZigguratNormalInvR * std::log1p(-g.nextDouble());
        const double yy = -std::log1p(-g.nextDouble());
        if (yy + yy > xx * xx)
          return ((rabs >> 8) & 1) ? -(kZigguratNormalR + xx) : kZigguratNormalR + xx;
      }
    }
    if ((t.fi[idx - 1] - t.fi[idx]) * g.nextDouble() + t.fi[idx] < std::exp(-0.5 * x * x)) return x;
  }
}

/// random_standard_normal_f: the float32 ziggurat over one 32-bit draw
/// (8-bit layer, sign, 23-bit magnitude); the pdf test is in double as NumPy's.
template <class G> float standardNormalZigF(G& g) {
  const ZigguratTables& t = zigguratTables();
  constexpr float r = float(kZigguratNormalR), invR = float(kZigguratNormalInvR);
  for (;;) {
    const uint32_t bits = g.nextUInt32();
    const int idx = int(bits & 0xff);
    const bool negative = (bits >> 8) & 1;
    const uint32_t rabs = (bits >> 9) & 0x007fffffU;
    float x = float(rabs) * t.wiF[idx];
    if (negative) x = -x;
    if (rabs < t.kiF[idx]) return x;
    if (idx == 0) {
      for (;;) {
        const float xx = -invR * std::log1p(-nextFloat(g));
        const float yy = -std::log1p(-nextFloat(g));
        if (yy + yy > xx * xx) return ((rabs >> 8) & 1) ? -(r + xx) : r + xx;
      }
    }
    const float lower = (t.fiF[idx - 1] - t.fiF[idx]) * nextFloat(g) + t.fiF[idx];
    if (double(lower) < std::exp(-0.5 * double(x) * double(x))) return x;
  }
}

/// random_standard_exponential_zig: one 64-bit draw, less its low 3 bits,
/// gives the layer (8 bits) and a 53-bit magnitude.
template <class G> double standardExponentialZig(G& g) {
  const ZigguratTables& t = zigguratTables();
  for (;;) {
    uint64_t ri = g.nextUInt64() >> 3;
    const int idx = int(ri & 0xff);
    ri >>= 8;
    const double x = double(ri) * t.we[idx];
    if (ri < t.ke[idx]) return x; // 98.9% of draws
    if (idx == 0) return kZigguratExpR - std::log1p(-g.nextDouble());
    if ((t.fe[idx - 1] - t.fe[idx]) * g.nextDouble() + t.fe[idx] < std::exp(-x)) return x;
  }
}

/// random_standard_exponential_f: one 32-bit draw, less its low bit, gives
/// the layer (8 bits) and a 23-bit magnitude.
template <class G> float standardExponentialZigF(G& g) {
  const ZigguratTables& t = zigguratTables();
  constexpr float r = float(kZigguratExpR);
  for (;;) {
    uint32_t ri = g.nextUInt32() >> 1;
    const int idx = int(ri & 0xff);
    ri >>= 8;
    const float x = float(ri) * t.weF[idx];
    if (ri < t.keF[idx]) return x;
    if (idx == 0) return r - std::log1p(-nextFloat(g));
    if ((t.feF[idx - 1] - t.feF[idx]) * nextFloat(g) + t.feF[idx] < std::exp(-x)) return x;
  }
}

// ---------------------------------------------------------------- binomial

/// The set-up of a binomial sampler for one (n, p), as NumPy's binomial_t
/// keeps it between draws. Its fields are functions of (n, p) alone, so
/// sharing one across calls changes no value, only the time.
struct BinomialCache {
  bool valid = false;
  int64_t n = 0;
  double p = 0;
  // inversion: q, q^n, n p and the search bound; BTPE: the rest too
  double r = 0, q = 0, fm = 0, p1 = 0, xm = 0, xl = 0, xr = 0, c = 0, laml = 0, lamr = 0, p2 = 0,
         p3 = 0, p4 = 0;
  int64_t m = 0;
};

/// random_binomial_inversion (p <= 1/2, n p <= 30): walk the cdf from 0,
/// restarting with a new uniform past the bound n p + 10 sd.
template <class G, class Sample>
int64_t binomialInversion(G& g, int64_t n, double p, BinomialCache& bc, Sample sample) {
  if (!bc.valid || bc.n != n || bc.p != p) {
    bc = BinomialCache{};
    bc.valid = true, bc.n = n, bc.p = p;
    bc.q = 1.0 - p;
    bc.r = std::exp(double(n) * std::log(bc.q)); // q^n
    bc.c = double(n) * p;                        // n p
    const double limit = bc.c + 10.0 * std::sqrt(bc.c * bc.q + 1);
    bc.m = int64_t(double(n) < limit ? double(n) : limit);
  }
  const double q = bc.q, qn = bc.r;
  const int64_t bound = bc.m;
  int64_t x = 0;
  double px = qn, u = sample(g);
  while (u > px) {
    ++x;
    if (x > bound) {
      x = 0;
      px = qn;
      u = sample(g);
    } else {
      u -= px;
      px = (double(n - x + 1) * p * px) / (double(x) * q);
    }
  }
  return x;
}

/// Kachitvichyanukul and Schmeiser's BTPE (p <= 1/2, n p > 30): a triangle,
/// two parallelograms and two exponential tails over the pmf, accepted by
/// the pmf ratio near the mode or Stirling's bounds away from it.
template <class G, class Sample>
int64_t binomialBtpe(G& g, int64_t n, double p, BinomialCache& bc, Sample sample) {
  const double nd = double(n);
  if (!bc.valid || bc.n != n || bc.p != p) {
    bc = BinomialCache{};
    bc.valid = true, bc.n = n, bc.p = p;
    bc.r = std::min(p, 1.0 - p);
    bc.q = 1.0 - bc.r;
    bc.fm = nd * bc.r + bc.r;
    bc.m = int64_t(std::floor(bc.fm));
    bc.p1 = std::floor(2.195 * std::sqrt(nd * bc.r * bc.q) - 4.6 * bc.q) + 0.5;
    bc.xm = double(bc.m) + 0.5;
    bc.xl = bc.xm - bc.p1;
    bc.xr = bc.xm + bc.p1;
    bc.c = 0.134 + 20.5 / (15.3 + double(bc.m));
    double a = (bc.fm - bc.xl) / (bc.fm - bc.xl * bc.r);
    bc.laml = a * (1.0 + a / 2.0);
    a = (bc.xr - bc.fm) / (bc.xr * bc.q);
    bc.lamr = a * (1.0 + a / 2.0);
    bc.p2 = bc.p1 * (1.0 + 2.0 * bc.c);
    bc.p3 = bc.p2 + bc.c / bc.laml;
    bc.p4 = bc.p3 + bc.c / bc.lamr;
  }
  const double r = bc.r, q = bc.q, p1 = bc.p1, xm = bc.xm, xl = bc.xl, xr = bc.xr, c = bc.c;
  const double laml = bc.laml, lamr = bc.lamr, p2 = bc.p2, p3 = bc.p3, p4 = bc.p4;
  const int64_t m = bc.m;
  // The correction term of Stirling's series for log(k!) at k, with the
  // constant 13680 of NumPy's code (the series has 13860 = 166320 / 12).
  auto stirling = [](double k, double k2) {
    return (13680. - (462. - (132. - (99. - 140. / k2) / k2) / k2) / k2) / k / 166320.;
  };
  int64_t y;
  for (;;) {
    const double nrq = nd * r * q;
    const double u = sample(g) * p4;
    double v = sample(g);
    if (u <= p1) { // the triangle: accept at once
      y = int64_t(std::floor(xm - p1 * v + u));
      break;
    }
    if (u <= p2) { // the parallelograms
      const double x = xl + (u - p1) / c;
      v = v * c + 1.0 - std::fabs(double(m) - x + 0.5) / p1;
      if (v > 1.0) continue;
      y = int64_t(std::floor(x));
    } else if (u <= p3) { // the left tail
      y = int64_t(std::floor(xl + std::log(v) / laml));
      if (y < 0 || v == 0.0) continue;
      v = v * (u - p2) * laml;
    } else { // the right tail
      y = int64_t(std::floor(xr - std::log(v) / lamr));
      if (y > n || v == 0.0) continue;
      v = v * (u - p3) * lamr;
    }
    const int64_t k = std::llabs(y - m);
    if (!(k > 20 && double(k) < nrq / 2.0 - 1)) {
      // Near the mode: the pmf ratio f(y)/f(m) by its recurrence.
      const double s = r / q, a = s * double(n + 1);
      double f = 1.0;
      if (m < y) {
        for (int64_t i = m + 1; i <= y; ++i) f *= (a / double(i) - s);
      } else if (m > y) {
        for (int64_t i = y + 1; i <= m; ++i) f /= (a / double(i) - s);
      }
      if (v > f) continue;
      break;
    }
    // Far from the mode: squeeze on log(v), then Stirling's bound.
    const double kd = double(k);
    const double rho = (kd / nrq) * ((kd * (kd / 3.0 + 0.625) + 0.16666666666666666) / nrq + 0.5);
    // -k * k in int64 as NumPy's C computes it (wrapping, not UB, past 2^63)
    const double t = double(int64_t(uint64_t(0) - uint64_t(k) * uint64_t(k))) / (2 * nrq);
    const double logV = std::log(v);
    if (logV < t - rho) break;
    if (logV > t + rho) continue;
    const double x1 = double(y + 1), f1 = double(m + 1), z = double(n + 1 - m),
                 w = double(n - y + 1);
    const double bound = xm * std::log(f1 / x1) + (double(n - m) + 0.5) * std::log(z / w) +
                         double(y - m) * std::log(w * r / (x1 * q)) + stirling(f1, f1 * f1) +
                         stirling(z, z * z) + stirling(x1, x1 * x1) + stirling(w, w * w);
    if (logV > bound) continue;
    break;
  }
  return p > 0.5 ? n - y : y;
}

/// Binomial(n, p) for 0 <= p <= 1, n >= 0: inversion when the smaller of
/// n p and n (1 - p) is at most 30, else BTPE, drawing for min(p, 1 - p).
/// The Generator (`generator`) returns 0 for n == 0 or p == 0 without a
/// draw; the legacy RandomState draws once even then.
template <class G, class Sample>
int64_t binomial(G& g, int64_t n, double p, BinomialCache& bc, Sample sample, bool generator) {
  if (generator && (n == 0 || p == 0.0)) return 0;
  if (p <= 0.5) {
    if (p * double(n) <= 30.0) return binomialInversion(g, n, p, bc, sample);
    return binomialBtpe(g, n, p, bc, sample);
  }
  const double q = 1.0 - p;
  if (q * double(n) <= 30.0) return n - binomialInversion(g, n, q, bc, sample);
  return n - binomialBtpe(g, n, q, bc, sample);
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
