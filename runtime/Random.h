// NumPy's legacy RandomState (MT19937), bit for bit: after seed(s), rand and
// randn (and uniform, normal, randint) produce exactly the streams of
// np.random.seed(s); np.random.rand(...) etc. in NumPy 1.24.
#pragma once

#include "runtime/Array.h"
#include "runtime/DType.h"

#include <cstdint>
#include <vector>

namespace ravel {

class LegacyRandom {
public:
  /// Seeded from OS entropy, like an unseeded np.random.RandomState().
  LegacyRandom();
  explicit LegacyRandom(uint32_t seed);

  /// np.random.seed(int): MT19937 init_genrand. Clears the cached gaussian.
  void seed(uint32_t seed);
  /// np.random.seed([k0, k1, ...]): MT19937 init_by_array (non-empty key).
  void seedByArray(const std::vector<uint32_t>& key);
  /// np.random.seed(None): fresh OS entropy.
  void seedFromEntropy();

  uint32_t nextUInt32();
  uint64_t nextUInt64(); // two 32-bit draws, high word first
  /// random_sample(): 53-bit double in [0, 1).
  double randomSample();
  /// n random_sample() values in a row (the same stream, vector code).
  void fillRandomSample(double* out, int64_t n);
  /// legacy_gauss: polar Box-Muller; the second value of each pair is cached.
  double gauss();
  /// n gauss() values in a row (the same stream and cache, vector code for
  /// the samples).
  void fillGauss(double* out, int64_t n);

  /// random.rand(*shape) / random.random_sample(shape): float64 in [0, 1).
  Array rand(const Shape& shape);
  /// random.randn(*shape): standard normal float64.
  Array randn(const Shape& shape);
  /// random.uniform(low, high, shape): low + (high - low) * random_sample().
  Array uniform(double low, double high, const Shape& shape);
  /// random.normal(loc, scale, shape): loc + scale * gauss(); scale >= 0.
  Array normal(double loc, double scale, const Shape& shape);
  /// random.randint(low, high, shape, dtype) in [low, high) (NumPy's
  /// masked rejection sampling: 32-bit draws for int32 and for ranges that
  /// fit in 32 bits, one buffered bit per bool). low >= high ->
  /// RuntimeError(Value).
  Array randint(int64_t low, int64_t high, const Shape& shape, DType dtype = DType::Int64);
  /// One value of randint (random.randint(low, high) with no size).
  int64_t randintScalar(int64_t low, int64_t high);
  /// random.exponential(scale, shape): scale * -log(1 - random_sample()).
  Array exponential(double scale, const Shape& shape);
  /// random.poisson(lam, shape): int64 counts (NumPy's random_poisson).
  Array poisson(double lam, const Shape& shape);
  /// random.shuffle: rows of a C-contiguous array, in place.
  void shuffleRows(Array& a);

private:
  static constexpr int kStateLen = 624;
  void generate();
  /// n values off + v, v in [0, rng] by masked 32-bit rejection, reading
  /// the state's words in a run (0 < rng < 2^32 - 1).
  template <class T> void fillMasked32(T* out, int64_t n, T off, uint32_t rng);

  uint32_t key_[kStateLen];
  int pos_ = kStateLen;
  bool hasGauss_ = false;
  double gauss_ = 0.0;
};

/// The process-wide state behind ravel's `random.*` (np.random's global
/// RandomState). Starts unseeded (OS entropy). Not thread-safe.
LegacyRandom& globalRandom();

} // namespace ravel
