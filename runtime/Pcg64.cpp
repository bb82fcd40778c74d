// PCG64 and SeedSequence as NumPy 1.24 defines them (bit_generator.pyx's
// SeedSequence, pcg64.h's XSL-RR output), and the Generator's bounded
// integers (Lemire's method, distributions.c) and shuffles.
#include "runtime/Pcg64.h"
#include "runtime/Distributions.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <random>
#include <unordered_set>

namespace ravel {

namespace {

// SeedSequence's hash constants (Melissa O'Neill's seed_seq_fe).
constexpr uint32_t kInitA = 0x43b0d7e5U, kMultA = 0x931e8875U;
constexpr uint32_t kInitB = 0x8b51f9ddU, kMultB = 0x58f38dedU;
constexpr uint32_t kMixMultL = 0xca01f9ddU, kMixMultR = 0x4973f715U;
constexpr int kXShift = 16, kPoolSize = 4;

uint32_t hashmix(uint32_t value, uint32_t& hashConst) {
  value ^= hashConst;
  hashConst *= kMultA;
  value *= hashConst;
  return value ^ (value >> kXShift);
}

uint32_t mix(uint32_t x, uint32_t y) {
  uint32_t r = kMixMultL * x - kMixMultR * y;
  return r ^ (r >> kXShift);
}

unsigned __int128 u128(uint64_t hi, uint64_t lo) {
  return (unsigned __int128)hi << 64 | lo;
}

} // namespace

std::vector<uint32_t> seedWords(uint64_t seed) {
  std::vector<uint32_t> w;
  do {
    w.push_back(uint32_t(seed));
    seed >>= 32;
  } while (seed);
  return w;
}

std::vector<uint32_t> seedSequenceState(const std::vector<uint32_t>& entropy, int nWords) {
  // mix_entropy: hash the entropy into the pool, then mix every pool word
  // into every other, then fold in entropy beyond the pool's size.
  uint32_t pool[kPoolSize];
  uint32_t hashConst = kInitA;
  for (int i = 0; i < kPoolSize; ++i)
    pool[i] = hashmix(size_t(i) < entropy.size() ? entropy[size_t(i)] : 0, hashConst);
  for (int src = 0; src < kPoolSize; ++src)
    for (int dst = 0; dst < kPoolSize; ++dst)
      if (src != dst) pool[dst] = mix(pool[dst], hashmix(pool[src], hashConst));
  for (size_t src = kPoolSize; src < entropy.size(); ++src)
    for (int dst = 0; dst < kPoolSize; ++dst)
      pool[dst] = mix(pool[dst], hashmix(entropy[src], hashConst));
  // generate_state: cycle through the pool, hashing with the B constants.
  std::vector<uint32_t> out(static_cast<size_t>(nWords));
  uint32_t h = kInitB;
  for (int i = 0; i < nWords; ++i) {
    uint32_t v = pool[i % kPoolSize];
    v ^= h;
    h *= kMultB;
    v *= h;
    out[size_t(i)] = v ^ (v >> kXShift);
  }
  return out;
}

Pcg64::Pcg64(const std::vector<uint32_t>& entropy) {
  // generate_state(4, uint64): word pairs little-endian; seed = words 0-1
  // (high, low), increment = words 2-3.
  std::vector<uint32_t> w = seedSequenceState(entropy, 8);
  uint64_t v[4];
  for (int i = 0; i < 4; ++i) v[i] = uint64_t(w[size_t(2 * i + 1)]) << 32 | w[size_t(2 * i)];
  const unsigned __int128 initState = u128(v[0], v[1]), initSeq = u128(v[2], v[3]);
  // pcg_setseq_128_srandom_r
  state_ = 0;
  inc_ = initSeq << 1 | 1;
  state_ = state_ * kMultiplier + inc_;
  state_ += initState;
  state_ = state_ * kMultiplier + inc_;
}

Pcg64 Pcg64::fromEntropy() {
  std::random_device rd;
  std::vector<uint32_t> entropy(4);
  for (uint32_t& e : entropy) e = uint32_t(rd());
  return Pcg64(entropy);
}

uint32_t Pcg64::nextUInt32() {
  if (hasUInt32_) {
    hasUInt32_ = false;
    return uinteger_;
  }
  const uint64_t next = nextUInt64();
  hasUInt32_ = true;
  uinteger_ = uint32_t(next >> 32);
  return uint32_t(next);
}

// Out of line: the ziggurat loops call these, and inlining the 128-bit
// step into them made them about a third slower here.
uint64_t Pcg64::nextUInt64() {
  state_ = state_ * kMultiplier + inc_;
  return output(state_);
}

double Pcg64::nextDouble() {
  return double(nextUInt64() >> 11) * (1.0 / 9007199254740992.0);
}

void Pcg64::fillDoubles(double* out, int64_t n) {
  using U128 = unsigned __int128;
  int64_t i = 0;
  if (n >= 8) {
    // s[j] = the state after j + 1 more steps; each lane then jumps four
    // steps at once: s -> a^4 s + (1 + a + a^2 + a^3) inc (mod 2^128).
    const U128 a = kMultiplier, a2 = a * a;
    const U128 jumpMul = a2 * a2, jumpAdd = (1 + a + a2 + a2 * a) * inc_;
    U128 s[4];
    s[0] = state_ * a + inc_;
    for (int j = 1; j < 4; ++j) s[j] = s[j - 1] * a + inc_;
    for (;;) {
      for (int j = 0; j < 4; ++j)
        out[i + j] = double(output(s[j]) >> 11) * (1.0 / 9007199254740992.0);
      i += 4;
      if (i + 4 > n) break;
      for (int j = 0; j < 4; ++j) s[j] = s[j] * jumpMul + jumpAdd;
    }
    state_ = s[3]; // the state of the last value written
  }
  for (; i < n; ++i) out[i] = nextDouble();
}

Array generatorRandom(Pcg64& g, const Shape& shape) {
  Array out = Array::empty(shape, DType::Float64);
  double* p = reinterpret_cast<double*>(out.data());
  g.fillDoubles(p, out.size());
  return out;
}

Array generatorUniform(Pcg64& g, double low, double high, const Shape& shape) {
  const double range = high - low;
  if (!std::isfinite(range)) throw RuntimeError(ErrorKind::Value, "Range exceeds valid bounds");
  Array out = Array::empty(shape, DType::Float64);
  double* p = reinterpret_cast<double*>(out.data());
  for (int64_t i = 0, n = out.size(); i < n; ++i) p[i] = low + range * g.nextDouble();
  return out;
}

Array generatorPoisson(Pcg64& g, double lam, const Shape& shape) {
  if (!(lam >= 0)) throw RuntimeError(ErrorKind::Value, "lam < 0 or lam is NaN");
  if (lam > 9.223372006484771e18) throw RuntimeError(ErrorKind::Value, "lam value too large");
  Array out = Array::empty(shape, DType::Int64);
  int64_t* p = reinterpret_cast<int64_t*>(out.data());
  auto sample = [](Pcg64& gen) { return gen.nextDouble(); };
  for (int64_t i = 0, n = out.size(); i < n; ++i) p[i] = poisson(g, lam, sample);
  return out;
}

uint64_t generatorBounded(Pcg64& g, uint64_t rng) {
  return boundedLemire(g, rng);
}

Array generatorIntegers(Pcg64& g, int64_t low, int64_t high, const Shape& shape, DType dtype) {
  if (low > high) throw RuntimeError(ErrorKind::Value, "low > high");
  const uint64_t rng = uint64_t(high) - uint64_t(low);
  Array out = Array::empty(shape, dtype);
  const int64_t n = out.size();
  if (rng > 0 && rng < 0xFFFFFFFFU && dtype != DType::Bool) {
    if (dtype == DType::Int64)
      fillLemire32(g, reinterpret_cast<uint64_t*>(out.data()), n, uint64_t(low), uint32_t(rng));
    else
      fillLemire32(g, reinterpret_cast<uint32_t*>(out.data()), n, uint32_t(low), uint32_t(rng));
    return out;
  }
  if (dtype == DType::Int64) {
    int64_t* p = reinterpret_cast<int64_t*>(out.data());
    for (int64_t i = 0; i < n; ++i) p[i] = int64_t(uint64_t(low) + boundedLemire(g, rng));
  } else if (dtype == DType::Int32) {
    // random_bounded_uint32_fill: 32-bit draws whatever the range.
    int32_t* p = reinterpret_cast<int32_t*>(out.data());
    for (int64_t i = 0; i < n; ++i)
      p[i] = int32_t(uint32_t(low) + boundedLemire32(g, uint32_t(rng)));
  } else {
    // random_bounded_bool_fill: a range of 0 or 1; one buffered bit per value.
    bool* p = reinterpret_cast<bool*>(out.data());
    BoolBits bits;
    for (int64_t i = 0; i < n; ++i) p[i] = bool(low) || (rng != 0 && bits.next(g));
  }
  return out;
}

namespace {

/// _shuffle_int: positions n-1 down to `first` swapped with a Lemire draw.
void shuffleInts(Pcg64& g, int64_t* data, int64_t n, int64_t first) {
  for (int64_t i = n - 1; i >= first; --i) {
    const int64_t j = int64_t(boundedLemire(g, uint64_t(i)));
    std::swap(data[i], data[j]);
  }
}

} // namespace

std::vector<int64_t> generatorSampleWithoutReplacement(Pcg64& g, int64_t popSize, int64_t size,
                                                       bool shuffle) {
  const int64_t cutoff = shuffle ? 50 : 20;
  if (popSize > 10000 && size > popSize / cutoff) {
    std::vector<int64_t> all(size_t(popSize), 0);
    std::iota(all.begin(), all.end(), int64_t(0));
    shuffleInts(g, all.data(), popSize, std::max<int64_t>(popSize - size, 1));
    return std::vector<int64_t>(all.end() - size, all.end());
  }
  // Floyd's algorithm: for j in [popSize - size, popSize) take a draw in
  // [0, j], or j itself when the draw was taken before.
  std::vector<int64_t> idx;
  idx.reserve(size_t(size));
  std::unordered_set<int64_t> taken;
  for (int64_t j = popSize - size; j < popSize; ++j) {
    int64_t v = int64_t(boundedLemire(g, uint64_t(j)));
    if (!taken.insert(v).second) {
      v = j;
      taken.insert(v);
    }
    idx.push_back(v);
  }
  if (shuffle) shuffleInts(g, idx.data(), size, 1);
  return idx;
}

void generatorShuffleRows(Pcg64& g, Array& a) {
  shuffleRows(g, a);
}

} // namespace ravel
