// NumPy's modern bit generator: PCG64 (XSL-RR 128/64) seeded through
// SeedSequence, as np.random.default_rng(seed) builds it in NumPy 1.24, and
// the Generator's distributions that ravel has (random, integers, uniform,
// shuffle, permutation). The values are NumPy's bit for bit.
#pragma once

#include "runtime/Array.h"

#include <cstdint>
#include <vector>

namespace ravel {

/// SeedSequence(entropy).generate_state(nWords) (uint32 words) for an
/// entropy given as 32-bit words (an int seed split little-endian; 0 is
/// one word 0), no spawn key, pool size 4.
std::vector<uint32_t> seedSequenceState(const std::vector<uint32_t>& entropy, int nWords);
/// The words of a non-negative int as SeedSequence takes it.
std::vector<uint32_t> seedWords(uint64_t seed);

class Pcg64 {
public:
  /// default_rng(seed): seedSequenceState(entropy, 8) as the initial state
  /// and increment (high word first, as NumPy's pcg64_set_seed).
  explicit Pcg64(const std::vector<uint32_t>& entropy);
  /// default_rng(None): fresh OS entropy (128 bits, as NumPy's SeedSequence).
  static Pcg64 fromEntropy();

  /// PCG's LCG multiplier (pcg_setseq_128's).
  static constexpr unsigned __int128 kMultiplier =
      (static_cast<unsigned __int128>(0x2360ED051FC65DA4ULL) << 64) | 0x4385DF649FCCF645ULL;

  /// One step: advance the state, then XSL-RR of the new state.
  uint64_t nextUInt64();
  /// NumPy's buffered 32-bit draw: one 64-bit draw serves two calls, low
  /// word first.
  uint32_t nextUInt32();
  /// (next_uint64 >> 11) / 2^53.
  double nextDouble();
  /// n nextDouble() values in a row (the same stream: four states advanced
  /// side by side by the jump-ahead of four steps, so the multiplications
  /// overlap instead of waiting on each other).
  void fillDoubles(double* out, int64_t n);

private:
  static uint64_t output(unsigned __int128 state) {
    const uint64_t x = uint64_t(state >> 64) ^ uint64_t(state);
    const unsigned rot = unsigned(state >> 122);
    return (x >> rot) | (x << ((64 - rot) & 63));
  }

  unsigned __int128 state_ = 0, inc_ = 0;
  bool hasUInt32_ = false;
  uint32_t uinteger_ = 0;
};

/// Generator.random(size): float64 in [0, 1).
Array generatorRandom(Pcg64& g, const Shape& shape);
/// Generator.uniform(low, high, size): low + (high - low) * random().
Array generatorUniform(Pcg64& g, double low, double high, const Shape& shape);
/// Generator.poisson(lam, size): int64 counts (NumPy's random_poisson).
Array generatorPoisson(Pcg64& g, double lam, const Shape& shape);
/// Generator.integers(low, high, size, dtype, endpoint): Lemire's bounded
/// method as NumPy (32-bit draws for ranges that fit, 64-bit otherwise).
/// `high` is inclusive here (the caller subtracts one unless endpoint).
/// low > high -> RuntimeError(Value).
Array generatorIntegers(Pcg64& g, int64_t low, int64_t high, const Shape& shape, DType dtype);
/// One bounded draw in [0, rng] (random_bounded_uint64 with Lemire).
uint64_t generatorBounded(Pcg64& g, uint64_t rng);
/// Generator.choice(popSize, size, replace=False) without weights: `size`
/// distinct indices as NumPy draws them (a tail shuffle of arange(popSize)
/// for large samples of large populations, else Floyd's algorithm, then
/// shuffled when `shuffle`).
std::vector<int64_t> generatorSampleWithoutReplacement(Pcg64& g, int64_t popSize, int64_t size,
                                                       bool shuffle);
/// Generator.shuffle / permutation's in-place shuffle of a contiguous
/// array's rows (axis 0), as NumPy's (random_interval draws).
void generatorShuffleRows(Pcg64& g, Array& a);

} // namespace ravel
