// numpy.random: the legacy RandomState functions (one process-wide MT19937,
// runtime/Random.h) and default_rng's Generator (PCG64, runtime/Pcg64.h).
// This file binds NumPy's signatures, checks arguments with NumPy's
// messages, and turns sizes into shapes: size=None gives a scalar as NumPy
// returns one (a Python float or int from the legacy functions, a NumPy
// scalar from the Generator's integers), anything else an array. The
// streams themselves, and so every value, are NumPy's (runtime/).
//
// The distributions whose parameters broadcast as arrays (normal(loc=[0, 1]),
// uniform, exponential, poisson, binomial) are in RandomDistributions.cpp;
// randint's and integers' bounds here are scalars (array bounds are refused
// as not in ravel yet).
#include "compiler/exec/RandomStreams.h"
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"

#include "runtime/Distributions.h"
#include "runtime/Pcg64.h"
#include "runtime/Random.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ravel::exec {
namespace {

bool isNone(const Value& v) {
  return v.kind == Value::Kind::None;
}

/// A size= argument: None (a scalar result), an int or a tuple of ints.
Shape sizeShape(const Value& size, Span span) {
  return isNone(size) ? Shape{} : toShape(size, span);
}

/// An int parameter (randint's bounds): a Python int or integer scalar.
int64_t intParam(const Value& v, const char* fn, Span span) {
  if (v.isArray() && !v.array->shape().empty())
    raise(ErrorKind::Type, span,
          std::string(fn) + "() with array bounds (broadcast per element) is not in ravel yet");
  return toInt(v, span);
}

/// A float64 result: a Python float for size=None (NumPy's cont()), else
/// the array.
Value floatResult(Interpreter& in, Array a, const Value& size) {
  if (isNone(size)) return Value::ofFloat(reinterpret_cast<const double*>(a.data())[0]);
  return in.materializedValue(std::move(a));
}

/// `Unsupported dtype dtype('float64') for randint` unless an integer or bool.
DType integerDType(const Value& v, const char* fn, Span span) {
  DType t = toDType(v, span).value_or(DType::Float64);
  if (t == DType::Float32 || t == DType::Float64)
    raise(ErrorKind::Type, span,
          std::string("Unsupported dtype dtype('") + std::string(dtypeName(t)) + "') for " + fn);
  return t;
}

/// NumPy's range checks of integer bounds for a dtype: [low, high] with
/// `high` inclusive.
void checkBounds(int64_t low, int64_t highInclusive, DType t, Span span) {
  int64_t lo = INT64_MIN, hi = INT64_MAX;
  if (t == DType::Int32) lo = INT32_MIN, hi = INT32_MAX;
  if (t == DType::Bool) lo = 0, hi = 1;
  const std::string name(dtypeName(t));
  if (low < lo) raise(ErrorKind::Value, span, "low is out of bounds for " + name);
  if (highInclusive > hi) raise(ErrorKind::Value, span, "high is out of bounds for " + name);
}

/// A scalar of an integer dtype as NumPy returns it: a Python bool or int
/// for randint's dtype=bool/int, else a NumPy scalar.
Value integerScalar(Interpreter& in, Array a, bool pythonType) {
  if (!pythonType) return in.materializedValue(std::move(a), true);
  Scalar s = a.item();
  return a.dtype() == DType::Bool ? Value::ofBool(s.b) : Value::ofInt(s.i);
}

/// Whether a dtype= argument is Python's int or bool (randint returns
/// Python scalars for them).
bool isPythonType(const Value& v) {
  return v.kind == Value::Kind::Builtin && (v.name == "int" || v.name == "bool");
}

/// The stream a legacy function draws from: np.random's global one, or a
/// RandomState's while one of its methods runs (LegacyStreamScope).
thread_local LegacyRandom* currentLegacy = nullptr;

LegacyRandom& legacy() {
  return currentLegacy ? *currentLegacy : globalRandom();
}

// ---------------------------------------------------------------- choice

/// choice's `a`: a population size (int) or a 1-d array of values.
struct Population {
  int64_t size = 0;
  std::optional<Array> values; // absent for an int
};

Population population(Interpreter& in, const Value& a, bool anyAxis, Span span) {
  Population pop;
  Value arr = toArrayValue(in, a, span);
  if (arr.array->shape().empty()) {
    if (!isInteger(arr.array->dtype()) && arr.array->dtype() != DType::Bool)
      raise(ErrorKind::Value, span,
            anyAxis ? "a must be a sequence or an integer, not <class 'float'>"
                    : "a must be 1-dimensional or an integer");
    pop.size = toInt(a.isArray() ? Value::ofInt(argValues(in, arr, span).item().i) : a, span);
    return pop;
  }
  if (!anyAxis && arr.array->shape().size() != 1)
    raise(ErrorKind::Value, span, "a must be 1-dimensional");
  pop.values = argValues(in, arr, span).copy();
  pop.size = pop.values->shape()[0];
  return pop;
}

/// choice's p=, checked as NumPy checks it.
std::vector<double> probabilities(Interpreter& in, const Value& p, int64_t popSize, Span span) {
  Value arr = toArrayValue(in, p, span);
  double atol = std::sqrt(2.220446049250313e-16);
  if (arr.array->dtype() == DType::Float32) atol = std::max(atol, std::sqrt(1.1920929e-07));
  if (arr.array->shape().size() != 1) raise(ErrorKind::Value, span, "'p' must be 1-dimensional");
  Array a = argValues(in, arr, span).astype(DType::Float64).copy();
  if (a.size() != popSize) raise(ErrorKind::Value, span, "'a' and 'p' must have same size");
  const double* d = reinterpret_cast<const double*>(a.data());
  std::vector<double> out(d, d + a.size());
  // kahan_sum
  double sum = 0, c = 0;
  for (double x : out) {
    const double y = x - c, t = sum + y;
    c = (t - sum) - y;
    sum = t;
  }
  if (in.dryRun()) return out;
  if (std::isnan(sum)) raise(ErrorKind::Value, span, "probabilities contain NaN");
  for (double x : out)
    if (x < 0) raise(ErrorKind::Value, span, "probabilities are not non-negative");
  if (std::fabs(sum - 1.0) > atol) raise(ErrorKind::Value, span, "probabilities do not sum to 1");
  return out;
}

/// cdf.searchsorted(u, side='right') for cdf = cumsum(p) / its last value.
std::vector<double> normalisedCdf(const std::vector<double>& p) {
  std::vector<double> cdf(p.size());
  double run = 0;
  for (size_t i = 0; i < p.size(); ++i) cdf[i] = run += p[i];
  const double last = cdf.back();
  for (double& x : cdf) x /= last;
  return cdf;
}

int64_t searchRight(const std::vector<double>& cdf, double u) {
  return int64_t(std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin());
}

/// Sampling without replacement with weights (both RandomState's and the
/// Generator's loop): draw the missing count, zero the found, keep each new
/// index's first occurrence.
template <class Uniform>
std::vector<int64_t> weightedWithoutReplacement(std::vector<double> p, int64_t size,
                                                Uniform uniform, Span span) {
  int64_t nonzero = 0;
  for (double x : p) nonzero += x > 0;
  if (nonzero < size) raise(ErrorKind::Value, span, "Fewer non-zero entries in p than size");
  std::vector<int64_t> found;
  while (int64_t(found.size()) < size) {
    std::vector<double> x = uniform(size - int64_t(found.size()));
    for (int64_t f : found) p[size_t(f)] = 0;
    std::vector<double> cdf = normalisedCdf(p);
    std::vector<int64_t> fresh;
    for (double u : x) {
      const int64_t k = searchRight(cdf, u);
      if (std::find(fresh.begin(), fresh.end(), k) == fresh.end()) fresh.push_back(k);
    }
    found.insert(found.end(), fresh.begin(), fresh.end());
  }
  return found;
}

/// The chosen indices as the result: the indices themselves for an int
/// population, else the population's rows at them.
Value chosen(Interpreter& in, const Population& pop, const std::vector<int64_t>& idx,
             const Shape& shape, bool scalar) {
  if (!pop.values) {
    Array out = Array::empty(shape, DType::Int64);
    std::copy(idx.begin(), idx.end(), reinterpret_cast<int64_t*>(out.data()));
    if (scalar) return Value::ofInt(idx[0]);
    return in.materializedValue(std::move(out));
  }
  const Array& values = *pop.values;
  Shape outShape = shape;
  outShape.insert(outShape.end(), values.shape().begin() + 1, values.shape().end());
  Array out = Array::empty(outShape, values.dtype());
  const size_t row = size_t(values.size() / std::max<int64_t>(pop.size, 1) * values.itemsize());
  for (size_t i = 0; i < idx.size(); ++i)
    std::memcpy(out.data() + i * row, values.data() + size_t(idx[i]) * row, row);
  return in.materializedValue(std::move(out), scalar && values.ndim() == 1);
}

// ---------------------------------------------------------------- shuffle

/// shuffle(x) in place: the rows of x (axis 0) shuffled by `shuffleRows`.
template <class Shuffle>
Value shuffleInPlace(Interpreter& in, const Value& x, Shuffle shuffleRows, Span span) {
  if (!x.isArray())
    raise(ErrorKind::Type, span, "shuffle() of a list is not in ravel yet (pass an array)");
  Array target = in.materialize(x.array, span);
  if (target.ndim() == 0) raise(ErrorKind::Type, span, "len() of unsized object");
  if (in.dryRun()) return Value::none();
  if (!target.writeable()) raise(ErrorKind::Value, span, "assignment destination is read-only");
  Array shuffled = target.copy();
  shuffleRows(shuffled);
  in.assignInto(target, in.materializedValue(shuffled), span);
  return Value::none();
}

/// permutation(x): arange(x) shuffled, or a shuffled copy of x's rows.
template <class Shuffle>
Value permuted(Interpreter& in, const Value& x, Shuffle shuffleRows, Span span) {
  Array arr;
  if (x.kind == Value::Kind::Int || x.kind == Value::Kind::Bool ||
      (x.isArray() && x.array->isScalar && isInteger(x.array->dtype()))) {
    const int64_t n = toInt(x, span);
    if (n < 0) raise(ErrorKind::Value, span, "negative dimensions are not allowed");
    arr = Array::empty({n}, DType::Int64);
    std::iota(reinterpret_cast<int64_t*>(arr.data()), reinterpret_cast<int64_t*>(arr.data()) + n,
              int64_t(0));
  } else {
    Value v = toArrayValue(in, x, span);
    if (v.array->shape().empty())
      raise(ErrorKind::Index, span, "x must be an integer or at least 1-dimensional");
    arr = argValues(in, v, span).copy();
  }
  shuffleRows(arr);
  return in.materializedValue(std::move(arr));
}

// ---------------------------------------------------------------- Generator

Pcg64& generatorOf(BuiltinCall& call) {
  return *call.args[0].generator;
}

/// default_rng's seed: None, a non-negative int, or a sequence of them.
std::vector<uint32_t> seedEntropy(Interpreter& in, const Value& seed, Span span) {
  auto words = [&](const Value& v) {
    if (v.kind == Value::Kind::Float || (v.isArray() && !isInteger(v.array->dtype())))
      raise(ErrorKind::Type, span,
            "SeedSequence expects int or sequence of ints for entropy not " + in.repr(v));
    const int64_t s = toInt(v, span);
    if (s < 0) raise(ErrorKind::Value, span, "expected non-negative integer");
    return seedWords(uint64_t(s));
  };
  if (seed.kind == Value::Kind::List || seed.kind == Value::Kind::Tuple) {
    // A sequence: each int is one 32-bit word when it fits (NumPy packs
    // larger ones into several words).
    std::vector<uint32_t> all;
    for (const Value& v : seed.items) {
      std::vector<uint32_t> w = words(v);
      if (w.size() > 1)
        raise(ErrorKind::Type, span,
              "default_rng() with seed words of 2**32 or more is not in ravel yet");
      all.push_back(w[0]);
    }
    if (all.empty()) all.push_back(0);
    return all;
  }
  return words(seed);
}

} // namespace

// ---------------------------------------------------------------- legacy

namespace {

/// random.seed(seed) / RandomState(seed): None is fresh OS entropy.
void seedLegacy(LegacyRandom& g, const Value& seed, Span span) {
  if (isNone(seed)) {
    g.seedFromEntropy();
    return;
  }
  const int64_t s = toInt(seed, span);
  if (s < 0 || s > int64_t(UINT32_MAX))
    raise(ErrorKind::Value, span, "Seed must be between 0 and 2**32 - 1");
  g.seed(uint32_t(s));
}

} // namespace

LegacyStreamScope::LegacyStreamScope(LegacyRandom& stream) : previous_(currentLegacy) {
  currentLegacy = &stream;
}

LegacyStreamScope::~LegacyStreamScope() {
  currentLegacy = previous_;
}

LegacyRandom& currentLegacyStream() {
  return legacy();
}

Value randomSeed(BuiltinCall& call) {
  auto a = call.bind({{"seed", kNone}});
  seedLegacy(legacy(), a[0], call.span);
  return Value::none();
}

/// random.RandomState(seed=None): a legacy MT19937 stream of its own, whose
/// methods are the np.random functions (Interpreter.cpp dispatches them).
Value randomRandomState(BuiltinCall& call) {
  auto a = call.bind({{"seed", kNone}});
  if (a[0].kind == Value::Kind::RandomState) return a[0];
  Value r;
  r.kind = Value::Kind::RandomState;
  r.legacy = std::make_shared<LegacyRandom>(0u);
  seedLegacy(*r.legacy, a[0], call.span);
  return r;
}

Value randomRand(BuiltinCall& call) {
  if (!call.kwargs.empty())
    raise(ErrorKind::Type, call.span, call.name + "() takes no keyword arguments");
  Shape s;
  for (const Value& v : call.args) s.push_back(toInt(v, call.span));
  try {
    checkedSize(s);
    const bool scalar = s.empty();
    return call.in.materializedValue(call.name == "rand" ? legacy().rand(s) : legacy().randn(s),
                                     scalar);
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, call.span);
  }
}

Value randomRandomSample(BuiltinCall& call) {
  auto a = call.bind({{"size", kNone}});
  return call.in.materializedValue(legacy().rand(sizeShape(a[0], call.span)), isNone(a[0]));
}

Value randomRandint(BuiltinCall& call) {
  auto a = call.bind(
      {{"low", {}}, {"high", kNone}, {"size", kNone}, {"dtype", Value::ofBuiltin("int")}});
  const Span span = call.span;
  const DType t = integerDType(a[3], "randint", span);
  int64_t low = intParam(a[0], "randint", span), high;
  if (isNone(a[1])) {
    high = low;
    low = 0;
  } else {
    high = intParam(a[1], "randint", span);
  }
  checkBounds(low, high == INT64_MIN ? high : high - 1, t, span);
  const Shape shape = sizeShape(a[2], span);
  try {
    Array r = legacy().randint(low, high, shape, t);
    if (isNone(a[2])) return integerScalar(call.in, std::move(r), isPythonType(a[3]));
    return call.in.materializedValue(std::move(r));
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
}

Value randomStandardNormal(BuiltinCall& call) {
  auto a = call.bind({{"size", kNone}});
  return floatResult(call.in, legacy().randn(sizeShape(a[0], call.span)), a[0]);
}

Value randomChoice(BuiltinCall& call) {
  auto a = call.bind({{"a", {}}, {"size", kNone}, {"replace", Value::ofBool(true)}, {"p", kNone}});
  Interpreter& in = call.in;
  const Span span = call.span;
  const Population pop = population(in, a[0], false, span);
  const bool scalar = isNone(a[1]);
  const Shape shape = sizeShape(a[1], span);
  int64_t size = 1;
  for (int64_t d : shape) size *= d;
  if (pop.size <= 0 && size != 0)
    raise(ErrorKind::Value, span,
          pop.values ? "'a' cannot be empty unless no samples are taken"
                     : "a must be greater than 0 unless no samples are taken");
  std::optional<std::vector<double>> p;
  if (!isNone(a[3])) p = probabilities(in, a[3], pop.size, span);
  std::vector<int64_t> idx(static_cast<size_t>(size), 0);
  if (flagArg(a[2])) {
    if (p) {
      std::vector<double> cdf = normalisedCdf(*p);
      Array u = legacy().rand(shape);
      const double* ud = reinterpret_cast<const double*>(u.data());
      for (int64_t i = 0; i < size; ++i) idx[size_t(i)] = searchRight(cdf, ud[i]);
    } else {
      Array r = legacy().randint(0, pop.size, shape);
      std::copy_n(reinterpret_cast<const int64_t*>(r.data()), size, idx.begin());
    }
  } else {
    if (size > pop.size)
      raise(ErrorKind::Value, span,
            "Cannot take a larger sample than population when 'replace=False'");
    if (p) {
      idx = weightedWithoutReplacement(
          *p, size,
          [](int64_t n) {
            Array u = legacy().rand({n});
            const double* d = reinterpret_cast<const double*>(u.data());
            return std::vector<double>(d, d + n);
          },
          span);
    } else {
      Array perm = Array::empty({pop.size}, DType::Int64);
      int64_t* d = reinterpret_cast<int64_t*>(perm.data());
      std::iota(d, d + pop.size, int64_t(0));
      legacy().shuffleRows(perm);
      std::copy_n(d, size, idx.begin());
    }
  }
  return chosen(in, pop, idx, shape, scalar);
}

Value randomShuffle(BuiltinCall& call) {
  auto a = call.bind({{"x", {}}});
  return shuffleInPlace(
      call.in, a[0], [](Array& rows) { legacy().shuffleRows(rows); }, call.span);
}

Value randomPermutation(BuiltinCall& call) {
  auto a = call.bind({{"x", {}}});
  return permuted(
      call.in, a[0], [](Array& rows) { legacy().shuffleRows(rows); }, call.span);
}

// ---------------------------------------------------------------- Generator

Value randomDefaultRng(BuiltinCall& call) {
  auto a = call.bind({{"seed", kNone}});
  Value g;
  g.kind = Value::Kind::Generator;
  if (a[0].kind == Value::Kind::Generator) return a[0]; // default_rng(rng) is rng
  g.generator = std::make_shared<Pcg64>(
      isNone(a[0]) ? Pcg64::fromEntropy() : Pcg64(seedEntropy(call.in, a[0], call.span)));
  return g;
}

Value generatorRandom(BuiltinCall& call) {
  auto a = call.bind({{"self", {}}, {"size", kNone}, {"dtype", kNone}, {"out", kNone}});
  const Span span = call.span;
  if (!isNone(a[3])) raise(ErrorKind::Type, span, "random() does not support out= in ravel yet");
  const DType t = toDType(a[2], span).value_or(DType::Float64);
  if (t != DType::Float64 && t != DType::Float32)
    raise(ErrorKind::Type, span,
          std::string("Unsupported dtype dtype('") + std::string(dtypeName(t)) + "') for random");
  const Shape shape = sizeShape(a[1], span);
  Pcg64& g = generatorOf(call);
  if (t == DType::Float32) {
    // random_standard_uniform_fill_f: the top 24 bits of a 32-bit draw.
    Array out = Array::empty(shape, DType::Float32);
    float* p = reinterpret_cast<float*>(out.data());
    for (int64_t i = 0, n = out.size(); i < n; ++i)
      p[i] = float(g.nextUInt32() >> 8) * (1.0f / 16777216.0f);
    return call.in.materializedValue(std::move(out), isNone(a[1]));
  }
  return floatResult(call.in, ravel::generatorRandom(g, shape), a[1]);
}

Value generatorIntegers(BuiltinCall& call) {
  auto a = call.bind({{"self", {}},
                      {"low", {}},
                      {"high", kNone},
                      {"size", kNone},
                      {"dtype", Value::ofDType(DType::Int64)},
                      {"endpoint", Value::ofBool(false)}});
  const Span span = call.span;
  const DType t = integerDType(a[4], "integers", span);
  int64_t low = intParam(a[1], "integers", span), high;
  if (isNone(a[2])) {
    high = low;
    low = 0;
  } else {
    high = intParam(a[2], "integers", span);
  }
  const bool endpoint = flagArg(a[5]);
  if (!endpoint) {
    if (low >= high) raise(ErrorKind::Value, span, "low >= high");
    --high;
  } else if (low > high) {
    raise(ErrorKind::Value, span, "low > high");
  }
  checkBounds(low, high, t, span);
  Array r = ravel::generatorIntegers(generatorOf(call), low, high, sizeShape(a[3], span), t);
  return call.in.materializedValue(std::move(r), isNone(a[3]));
}

Value generatorChoice(BuiltinCall& call) {
  auto a = call.bind({{"self", {}},
                      {"a", {}},
                      {"size", kNone},
                      {"replace", Value::ofBool(true)},
                      {"p", kNone},
                      {"axis", Value::ofInt(0)},
                      {"shuffle", Value::ofBool(true)}});
  Interpreter& in = call.in;
  const Span span = call.span;
  if (toInt(a[5], span) != 0)
    raise(ErrorKind::Type, span, "choice() with axis other than 0 is not in ravel yet");
  Pcg64& g = generatorOf(call);
  const Population pop = population(in, a[1], true, span);
  const bool scalar = isNone(a[2]);
  const Shape shape = sizeShape(a[2], span);
  int64_t size = 1;
  for (int64_t d : shape) size *= d;
  if (pop.size <= 0 && size != 0)
    raise(ErrorKind::Value, span,
          pop.values ? "a cannot be empty unless no samples are taken"
                     : "a must be a positive integer unless no samples are taken");
  std::optional<std::vector<double>> p;
  if (!isNone(a[4])) p = probabilities(in, a[4], pop.size, span);
  std::vector<int64_t> idx(static_cast<size_t>(size), 0);
  if (flagArg(a[3])) {
    if (p) {
      std::vector<double> cdf = normalisedCdf(*p);
      for (int64_t i = 0; i < size; ++i) idx[size_t(i)] = searchRight(cdf, g.nextDouble());
    } else {
      for (int64_t i = 0; i < size; ++i)
        idx[size_t(i)] = int64_t(boundedLemire(g, uint64_t(pop.size - 1)));
    }
  } else {
    if (size > pop.size)
      raise(ErrorKind::Value, span,
            "Cannot take a larger sample than population when replace is False");
    if (p) {
      idx = weightedWithoutReplacement(
          *p, size,
          [&g](int64_t n) {
            std::vector<double> u(static_cast<size_t>(n));
            for (double& x : u) x = g.nextDouble();
            return u;
          },
          span);
    } else {
      idx = generatorSampleWithoutReplacement(g, pop.size, size, flagArg(a[6]));
    }
  }
  return chosen(in, pop, idx, shape, scalar);
}

Value generatorPermutation(BuiltinCall& call) {
  auto a = call.bind({{"self", {}}, {"x", {}}, {"axis", Value::ofInt(0)}});
  if (toInt(a[2], call.span) != 0)
    raise(ErrorKind::Type, call.span, "permutation() with axis other than 0 is not in ravel yet");
  Pcg64& g = generatorOf(call);
  return permuted(
      call.in, a[1], [&g](Array& rows) { generatorShuffleRows(g, rows); }, call.span);
}

Value generatorShuffle(BuiltinCall& call) {
  auto a = call.bind({{"self", {}}, {"x", {}}, {"axis", Value::ofInt(0)}});
  if (toInt(a[2], call.span) != 0)
    raise(ErrorKind::Type, call.span, "shuffle() with axis other than 0 is not in ravel yet");
  Pcg64& g = generatorOf(call);
  return shuffleInPlace(
      call.in, a[1], [&g](Array& rows) { generatorShuffleRows(g, rows); }, call.span);
}

} // namespace ravel::exec
