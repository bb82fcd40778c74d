// MT19937 and NumPy's legacy distributions, ported from
// numpy/random/src/mt19937/mt19937.c, src/legacy/legacy-distributions.c and
// src/distributions/distributions.c (NumPy 1.24).
#include "runtime/Random.h"
#include "runtime/Distributions.h"
#include "runtime/VectorClones.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace ravel {

namespace {
constexpr int kM = 397;
constexpr uint32_t kMatrixA = 0x9908b0dfU;
constexpr uint32_t kUpperMask = 0x80000000U;
constexpr uint32_t kLowerMask = 0x7fffffffU;
} // namespace

LegacyRandom::LegacyRandom() {
  seedFromEntropy();
}

LegacyRandom::LegacyRandom(uint32_t s) {
  seed(s);
}

void LegacyRandom::seed(uint32_t s) {
  // Knuth's generator from the MT reference implementation (init_genrand).
  for (int pos = 0; pos < kStateLen; ++pos) {
    key_[pos] = s;
    s = 1812433253U * (s ^ (s >> 30)) + uint32_t(pos) + 1;
  }
  pos_ = kStateLen;
  hasGauss_ = false;
  gauss_ = 0.0;
}

void LegacyRandom::seedByArray(const std::vector<uint32_t>& initKey) {
  RAVEL_CHECK(!initKey.empty(), "empty seed key");
  seed(19650218U);
  uint32_t* mt = key_;
  const int keyLength = int(initKey.size());
  int i = 1, j = 0;
  for (int k = kStateLen > keyLength ? kStateLen : keyLength; k; --k) {
    mt[i] =
        (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525U)) + initKey[size_t(j)] + uint32_t(j);
    ++i;
    ++j;
    if (i >= kStateLen) {
      mt[0] = mt[kStateLen - 1];
      i = 1;
    }
    if (j >= keyLength) j = 0;
  }
  for (int k = kStateLen - 1; k; --k) {
    mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941U)) - uint32_t(i);
    ++i;
    if (i >= kStateLen) {
      mt[0] = mt[kStateLen - 1];
      i = 1;
    }
  }
  mt[0] = 0x80000000U; // MSB is 1: a non-zero initial state
  pos_ = kStateLen;
  hasGauss_ = false;
  gauss_ = 0.0;
}

void LegacyRandom::seedFromEntropy() {
  // As RandomState(None): fill the key from entropy, then force the MSB.
  std::random_device rd;
  for (uint32_t& k : key_) k = uint32_t(rd());
  key_[0] = 0x80000000U;
  pos_ = kStateLen;
  hasGauss_ = false;
  gauss_ = 0.0;
}

namespace {

inline uint32_t twist(uint32_t upper, uint32_t lower, uint32_t far) {
  const uint32_t y = (upper & kUpperMask) | (lower & kLowerMask);
  return far ^ (y >> 1) ^ (-(y & 1U) & kMatrixA);
}

/// MT19937's regeneration of all 624 words. Each loop reads words at least
/// 227 positions behind or one ahead of the one it writes, so blocks of
/// words are independent: vector code (one clone per instruction set) with
/// the same values as the reference's word-by-word loop.
RAVEL_VECTOR_CLONES void regenerate(uint32_t* key) {
  constexpr int n = 624, m = kM;
  for (int i = 0; i < n - m; ++i) key[i] = twist(key[i], key[i + 1], key[i + m]);
  for (int i = n - m; i < n - 1; ++i) key[i] = twist(key[i], key[i + 1], key[i + m - n]);
  key[n - 1] = twist(key[n - 1], key[0], key[m - 1]);
}

inline uint32_t temper(uint32_t y) {
  y ^= (y >> 11);
  y ^= (y << 7) & 0x9d2c5680U;
  y ^= (y << 15) & 0xefc60000U;
  y ^= (y >> 18);
  return y;
}

/// random_sample() of `pairs` consecutive pairs of state words: NumPy's
/// (a * 2^26 + b) / 2^53 of the tempered words' top 27 and 26 bits. Exact
/// in any vector width (every step is exact in double).
RAVEL_VECTOR_CLONES void samplesFromWords(const uint32_t* words, int64_t pairs, double* out) {
  for (int64_t k = 0; k < pairs; ++k) {
    const int32_t a = int32_t(temper(words[2 * k]) >> 5);
    const int32_t b = int32_t(temper(words[2 * k + 1]) >> 6);
    out[k] = (a * 67108864.0 + b) / 9007199254740992.0;
  }
}

} // namespace

void LegacyRandom::generate() {
  regenerate(key_);
  pos_ = 0;
}

void LegacyRandom::fillRandomSample(double* out, int64_t n) {
  for (int64_t i = 0; i < n;) {
    if (pos_ == kStateLen) generate();
    const int64_t pairs = std::min<int64_t>((kStateLen - pos_) / 2, n - i);
    if (pairs == 0) { // one word left: this sample straddles a regeneration
      out[i++] = randomSample();
      continue;
    }
    samplesFromWords(key_ + pos_, pairs, out + i);
    pos_ += int(2 * pairs);
    i += pairs;
  }
}

uint32_t LegacyRandom::nextUInt32() {
  if (pos_ == kStateLen) generate();
  return temper(key_[pos_++]);
}

uint64_t LegacyRandom::nextUInt64() {
  uint64_t hi = nextUInt32();
  return hi << 32 | nextUInt32();
}

double LegacyRandom::randomSample() {
  int32_t a = int32_t(nextUInt32() >> 5), b = int32_t(nextUInt32() >> 6);
  return (a * 67108864.0 + b) / 9007199254740992.0;
}

double LegacyRandom::gauss() {
  if (hasGauss_) {
    const double cached = gauss_;
    hasGauss_ = false;
    gauss_ = 0.0;
    return cached;
  }
  double x1, x2, r2;
  do {
    x1 = 2.0 * randomSample() - 1.0;
    x2 = 2.0 * randomSample() - 1.0;
    r2 = x1 * x1 + x2 * x2;
  } while (r2 >= 1.0 || r2 == 0.0);
  const double f = std::sqrt(-2.0 * std::log(r2) / r2);
  gauss_ = f * x1;
  hasGauss_ = true;
  return f * x2;
}

namespace {

template <class Gen> Array fillFloat64(const Shape& shape, Gen gen) {
  Array out = Array::empty(shape, DType::Float64);
  double* p = reinterpret_cast<double*>(out.data());
  const int64_t n = out.size();
  for (int64_t i = 0; i < n; ++i) p[i] = gen();
  return out;
}

} // namespace

Array LegacyRandom::rand(const Shape& shape) {
  Array out = Array::empty(shape, DType::Float64);
  fillRandomSample(reinterpret_cast<double*>(out.data()), out.size());
  return out;
}

void LegacyRandom::fillGauss(double* out, int64_t n) {
  int64_t i = 0;
  if (n > 0 && hasGauss_) out[i++] = gauss(); // the cached second value first
  // Each attempt reads four state words (two samples). The attempts that
  // fit in the words left before a regeneration are turned into samples by
  // vector code, then accepted or rejected in order; only the words of the
  // attempts used are consumed.
  double samples[kStateLen / 2];
  while (i < n) {
    if (pos_ == kStateLen) generate();
    const int64_t attempts = (kStateLen - pos_) / 4;
    if (attempts == 0) { // an attempt straddles a regeneration: the scalar path
      out[i++] = gauss();
      if (i < n) out[i++] = gauss(); // its cached second value
      continue;
    }
    samplesFromWords(key_ + pos_, 2 * attempts, samples);
    int64_t k = 0;
    for (; k < attempts && i < n; ++k) {
      const double x1 = 2.0 * samples[2 * k] - 1.0, x2 = 2.0 * samples[2 * k + 1] - 1.0;
      const double r2 = x1 * x1 + x2 * x2;
      if (r2 >= 1.0 || r2 == 0.0) continue;
      const double f = std::sqrt(-2.0 * std::log(r2) / r2);
      out[i++] = f * x2;
      if (i < n) {
        out[i++] = f * x1;
      } else {
        gauss_ = f * x1;
        hasGauss_ = true;
      }
    }
    pos_ += int(4 * k);
  }
}

Array LegacyRandom::randn(const Shape& shape) {
  Array out = Array::empty(shape, DType::Float64);
  fillGauss(reinterpret_cast<double*>(out.data()), out.size());
  return out;
}

Array LegacyRandom::uniform(double low, double high, const Shape& shape) {
  const double range = high - low;
  if (!std::isfinite(range)) throw RuntimeError(ErrorKind::Value, "Range exceeds valid bounds");
  Array out = Array::empty(shape, DType::Float64);
  double* p = reinterpret_cast<double*>(out.data());
  fillRandomSample(p, out.size());
  for (int64_t i = 0; i < out.size(); ++i) p[i] = low + range * p[i];
  return out;
}

Array LegacyRandom::normal(double loc, double scale, const Shape& shape) {
  // CONS_NON_NEGATIVE: -0.0 is rejected, NaN passes.
  if (!std::isnan(scale) && std::signbit(scale)) throw RuntimeError(ErrorKind::Value, "scale < 0");
  Array out = randn(shape);
  double* p = reinterpret_cast<double*>(out.data());
  for (int64_t i = 0, n = out.size(); i < n; ++i) p[i] = loc + scale * p[i];
  return out;
}

template <class T> void LegacyRandom::fillMasked32(T* out, int64_t n, T off, uint32_t rng) {
  const uint32_t mask = uint32_t(genMask(rng));
  for (int64_t i = 0; i < n;) {
    if (pos_ == kStateLen) generate();
    int pos = pos_;
    while (pos < kStateLen && i < n) {
      const uint32_t v = temper(key_[pos++]) & mask;
      if (v <= rng) out[i++] = T(off + T(v));
    }
    pos_ = pos;
  }
}

Array LegacyRandom::randint(int64_t low, int64_t high, const Shape& shape, DType dtype) {
  if (low >= high) throw RuntimeError(ErrorKind::Value, "low >= high");
  const uint64_t rng = uint64_t(high) - uint64_t(low) - 1; // high is exclusive
  Array out = Array::empty(shape, dtype);
  const int64_t n = out.size();
  // The common case, a range of 2..2^32-1 values: the same draws as
  // boundedMasked, with the range's mask computed once.
  if (rng > 0 && rng < 0xFFFFFFFFU && dtype == DType::Int64) {
    fillMasked32(reinterpret_cast<uint64_t*>(out.data()), n, uint64_t(low), uint32_t(rng));
    return out;
  }
  if (rng > 0 && rng < 0xFFFFFFFFU && dtype == DType::Int32) {
    fillMasked32(reinterpret_cast<uint32_t*>(out.data()), n, uint32_t(low), uint32_t(rng));
    return out;
  }
  if (dtype == DType::Int64) {
    // random_bounded_uint64_fill with use_masked (the legacy path).
    int64_t* p = reinterpret_cast<int64_t*>(out.data());
    for (int64_t i = 0; i < n; ++i) p[i] = int64_t(uint64_t(low) + boundedMasked(*this, rng));
  } else if (dtype == DType::Int32) {
    int32_t* p = reinterpret_cast<int32_t*>(out.data());
    for (int64_t i = 0; i < n; ++i)
      p[i] = int32_t(uint32_t(low) + uint32_t(boundedMasked(*this, rng)));
  } else {
    bool* p = reinterpret_cast<bool*>(out.data());
    BoolBits bits;
    for (int64_t i = 0; i < n; ++i) p[i] = rng == 0 ? bool(low) : bits.next(*this);
  }
  return out;
}

int64_t LegacyRandom::randintScalar(int64_t low, int64_t high) {
  if (low >= high) throw RuntimeError(ErrorKind::Value, "low >= high");
  return int64_t(uint64_t(low) + boundedMasked(*this, uint64_t(high) - uint64_t(low) - 1));
}

Array LegacyRandom::exponential(double scale, const Shape& shape) {
  // CONS_NON_NEGATIVE: -0.0 is rejected, NaN passes.
  if (!std::isnan(scale) && std::signbit(scale)) throw RuntimeError(ErrorKind::Value, "scale < 0");
  return fillFloat64(shape, [&] { return scale * -std::log(1.0 - randomSample()); });
}

Array LegacyRandom::poisson(double lam, const Shape& shape) {
  if (!(lam >= 0)) throw RuntimeError(ErrorKind::Value, "lam < 0 or lam is NaN");
  // POISSON_LAM_MAX: int64's max less ten standard deviations.
  if (lam > 9.223372006484771e18) throw RuntimeError(ErrorKind::Value, "lam value too large");
  Array out = Array::empty(shape, DType::Int64);
  int64_t* p = reinterpret_cast<int64_t*>(out.data());
  auto sample = [](LegacyRandom& g) { return g.randomSample(); };
  for (int64_t i = 0, n = out.size(); i < n; ++i) p[i] = ravel::poisson(*this, lam, sample);
  return out;
}

void LegacyRandom::shuffleRows(Array& a) {
  ravel::shuffleRows(*this, a);
}

double randomLoggam(double x) {
  static const double a[10] = {
      8.333333333333333e-02, -2.777777777777778e-03, 7.936507936507937e-04, -5.952380952380952e-04,
      8.417508417508418e-04, -1.917526917526918e-03, 6.410256410256410e-03, -2.955065359477124e-02,
      1.796443723688307e-01, -1.39243221690590e+00};
  if (x == 1.0 || x == 2.0) return 0.0;
  const int64_t n = x < 7.0 ? int64_t(7 - x) : 0;
  double x0 = x + double(n);
  const double x2 = (1.0 / x0) * (1.0 / x0);
  const double lg2pi = 1.8378770664093453e+00;
  double gl0 = a[9];
  for (int k = 8; k >= 0; --k) gl0 = gl0 * x2 + a[k];
  double gl = gl0 / x0 + 0.5 * lg2pi + (x0 - 0.5) * std::log(x0) - x0;
  if (x < 7.0)
    for (int64_t k = 1; k <= n; ++k) {
      gl -= std::log(x0 - 1.0);
      x0 -= 1.0;
    }
  return gl;
}

LegacyRandom& globalRandom() {
  static LegacyRandom state;
  return state;
}

} // namespace ravel
