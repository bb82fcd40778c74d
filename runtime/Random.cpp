// MT19937 and NumPy's legacy distributions, ported from
// numpy/random/src/mt19937/mt19937.c, src/legacy/legacy-distributions.c and
// src/distributions/distributions.c (NumPy 1.24).
#include "runtime/Random.h"

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

void LegacyRandom::generate() {
  uint32_t y;
  int i = 0;
  for (; i < kStateLen - kM; ++i) {
    y = (key_[i] & kUpperMask) | (key_[i + 1] & kLowerMask);
    key_[i] = key_[i + kM] ^ (y >> 1) ^ (-(y & 1U) & kMatrixA);
  }
  for (; i < kStateLen - 1; ++i) {
    y = (key_[i] & kUpperMask) | (key_[i + 1] & kLowerMask);
    key_[i] = key_[i + (kM - kStateLen)] ^ (y >> 1) ^ (-(y & 1U) & kMatrixA);
  }
  y = (key_[kStateLen - 1] & kUpperMask) | (key_[0] & kLowerMask);
  key_[kStateLen - 1] = key_[kM - 1] ^ (y >> 1) ^ (-(y & 1U) & kMatrixA);
  pos_ = 0;
}

uint32_t LegacyRandom::nextUInt32() {
  if (pos_ == kStateLen) generate();
  uint32_t y = key_[pos_++];
  y ^= (y >> 11);
  y ^= (y << 7) & 0x9d2c5680U;
  y ^= (y << 15) & 0xefc60000U;
  y ^= (y >> 18);
  return y;
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

uint64_t genMask(uint64_t max) {
  uint64_t mask = max;
  mask |= mask >> 1;
  mask |= mask >> 2;
  mask |= mask >> 4;
  mask |= mask >> 8;
  mask |= mask >> 16;
  mask |= mask >> 32;
  return mask;
}

} // namespace

Array LegacyRandom::rand(const Shape& shape) {
  return fillFloat64(shape, [this] { return randomSample(); });
}

Array LegacyRandom::randn(const Shape& shape) {
  return fillFloat64(shape, [this] { return gauss(); });
}

Array LegacyRandom::uniform(double low, double high, const Shape& shape) {
  const double range = high - low;
  if (!std::isfinite(range)) throw RuntimeError(ErrorKind::Value, "Range exceeds valid bounds");
  return fillFloat64(shape, [&] { return low + range * randomSample(); });
}

Array LegacyRandom::normal(double loc, double scale, const Shape& shape) {
  // CONS_NON_NEGATIVE: -0.0 is rejected, NaN passes.
  if (!std::isnan(scale) && std::signbit(scale)) throw RuntimeError(ErrorKind::Value, "scale < 0");
  return fillFloat64(shape, [&] { return loc + scale * gauss(); });
}

// random_bounded_uint64_fill with use_masked = true (the legacy path).
uint64_t LegacyRandom::boundedUInt64(uint64_t range) {
  if (range == 0) return 0;
  if (range <= 0xFFFFFFFFU) {
    if (range == 0xFFFFFFFFU) return nextUInt32();
    const uint32_t mask = uint32_t(genMask(range));
    uint32_t v;
    while ((v = nextUInt32() & mask) > range) {
    }
    return v;
  }
  if (range == UINT64_MAX) return nextUInt64();
  const uint64_t mask = genMask(range);
  uint64_t v;
  while ((v = nextUInt64() & mask) > range) {
  }
  return v;
}

Array LegacyRandom::randint(int64_t low, int64_t high, const Shape& shape) {
  if (low >= high) throw RuntimeError(ErrorKind::Value, "low >= high");
  const uint64_t range = uint64_t(high) - uint64_t(low) - 1; // high is exclusive
  Array out = Array::empty(shape, DType::Int64);
  int64_t* p = reinterpret_cast<int64_t*>(out.data());
  const int64_t n = out.size();
  for (int64_t i = 0; i < n; ++i) p[i] = int64_t(uint64_t(low) + boundedUInt64(range));
  return out;
}

int64_t LegacyRandom::randintScalar(int64_t low, int64_t high) {
  if (low >= high) throw RuntimeError(ErrorKind::Value, "low >= high");
  return int64_t(uint64_t(low) + boundedUInt64(uint64_t(high) - uint64_t(low) - 1));
}

LegacyRandom& globalRandom() {
  static LegacyRandom state;
  return state;
}

} // namespace ravel
