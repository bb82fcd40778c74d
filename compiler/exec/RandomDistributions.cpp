// numpy.random's distributions whose parameters may be arrays: the legacy
// normal, uniform, exponential, poisson and binomial, and the Generator's
// standard_normal, normal, uniform, standard_exponential, exponential,
// poisson and binomial. The draws are NumPy's (runtime/: the legacy gauss,
// the ziggurat, inversion, PTRS and BTPE); this file does what NumPy's
// cont()/disc() and the wrappers around them do:
//
// 1. Convert each parameter to an array (float64; binomial's n to int64).
// 2. All parameters 0-d: check each value (the scalar message, "p is NaN"),
//    then draw one value per element of `size`, or one Python float/int
//    for size=None.
// 3. Otherwise check the arrays (the array message, "p contains NaNs"),
//    broadcast the parameters together with `size` (NumPy's shape mismatch
//    and "Output size" errors) and draw one value per output element in C
//    order, each with its own broadcast parameters.
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/RandomStreams.h"
#include "compiler/exec/Registry.h"

#include "runtime/Distributions.h"
#include "runtime/Pcg64.h"
#include "runtime/Random.h"

#include <cmath>

namespace ravel::exec {
namespace {

bool isNone(const Value& v) {
  return v.kind == Value::Kind::None;
}

/// A shape as Python prints a tuple: (), (3,), (2, 3).
std::string tupleText(const Shape& s) {
  std::string out = "(";
  for (size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out + (s.size() == 1 ? ",)" : ")");
}

/// A distribution parameter as NumPy's wrappers convert it.
struct DistParam {
  Array values; // float64, or int64 for binomial's n
  bool scalar;  // 0-d: NumPy's scalar path
};

DistParam floatParam(Interpreter& in, const Value& v, Span span) {
  Array a = argValues(in, toArrayValue(in, v, span), span).astype(DType::Float64);
  const bool scalar = a.ndim() == 0;
  return {std::move(a), scalar};
}

/// binomial's n: a Python number truncates as C's (long)n does (NaN and
/// infinity are errors); an array is cast to int64.
DistParam countParam(Interpreter& in, const Value& v, Span span) {
  if (v.kind == Value::Kind::Float) {
    if (std::isnan(v.f)) raise(ErrorKind::Value, span, "cannot convert float NaN to integer");
    if (std::isinf(v.f)) raise(ErrorKind::Value, span, "cannot convert float infinity to integer");
    if (std::fabs(v.f) >= 0x1p63)
      raise(ErrorKind::Value, span, "Python int too large to convert to C long");
    return {Array::scalar(Scalar::ofInt(int64_t(v.f))), true};
  }
  if (v.kind == Value::Kind::Int || v.kind == Value::Kind::Bool)
    return {Array::scalar(Scalar::ofInt(toInt(v, span))), true};
  Array a = argValues(in, toArrayValue(in, v, span), span);
  const bool scalar = a.ndim() == 0;
  return {a.astype(DType::Int64), scalar};
}

template <class T> bool anyOf(const DistParam& p, bool (*bad)(T)) {
  for (T x : flatValues<T>(p.values, p.values.dtype()))
    if (bad(x)) return true;
  return false;
}

/// CONS_NON_NEGATIVE: -0.0 is rejected, NaN passes.
bool negative(double x) {
  return !std::isnan(x) && std::signbit(x);
}

bool negativeCount(int64_t n) {
  return n < 0;
}

/// CONS_BOUNDED_0_1: p < 0, p > 1 or NaN.
bool outsideUnit(double p) {
  return !(p >= 0 && p <= 1);
}

void checkScale(const DistParam& scale, Span span) {
  if (anyOf<double>(scale, negative)) raise(ErrorKind::Value, span, "scale < 0");
}

/// PyArray_Broadcast: the shapes' common shape, or NumPy's error naming the
/// first pair of arguments that disagree (axes taken from the outermost).
Shape broadcastAll(const std::vector<Shape>& shapes, Span span) {
  size_t nd = 0;
  for (const Shape& s : shapes) nd = std::max(nd, s.size());
  Shape out(nd, 1);
  for (size_t i = 0; i < nd; ++i) {
    size_t src = 0;
    for (size_t j = 0; j < shapes.size(); ++j) {
      const Shape& s = shapes[j];
      if (i + s.size() < nd) continue;
      const int64_t d = s[i + s.size() - nd];
      if (d == 1) continue;
      if (out[i] == 1) {
        out[i] = d;
        src = j;
      } else if (out[i] != d) {
        raise(ErrorKind::Value, span,
              "shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is "
              "between arg " +
                  std::to_string(src) + " with shape " + tupleText(shapes[src]) + " and arg " +
                  std::to_string(j) + " with shape " + tupleText(s) + ".");
      }
    }
  }
  return out;
}

/// The shape of the draws: `size` (the parameters must broadcast to it), or
/// the parameters' broadcast shape.
Shape drawShape(const std::vector<const DistParam*>& params, const Value& size, Span span) {
  std::vector<Shape> shapes;
  if (!isNone(size)) shapes.push_back(toShape(size, span));
  for (const DistParam* p : params) shapes.push_back(p->values.shape());
  const Shape out = broadcastAll(shapes, span);
  if (!isNone(size) && out != shapes[0])
    raise(ErrorKind::Value, span,
          "Output size " + tupleText(shapes[0]) + " is not compatible with broadcast dimensions " +
              "of inputs " + tupleText(out) + ".");
  return out;
}

/// A parameter's values broadcast to the draws' shape, in C order.
template <class T> std::vector<T> spread(const DistParam& p, const Shape& shape) {
  return flatValues<T>(p.values.broadcastTo(shape), p.values.dtype());
}

bool allScalar(const std::vector<const DistParam*>& params) {
  for (const DistParam* p : params)
    if (!p->scalar) return false;
  return true;
}

/// The parameters' values at each draw: a 0-d parameter's one value, an
/// array's values broadcast to the draws' shape in C order.
struct ParamValues {
  std::vector<std::vector<double>> values;
  std::vector<size_t> step; // 0 for a 0-d parameter, else 1

  ParamValues(const std::vector<const DistParam*>& params, const Shape& shape) {
    for (const DistParam* p : params) {
      const bool one = p->scalar;
      values.push_back(one ? std::vector<double>{p->values.astype(DType::Float64).item().f}
                           : spread<double>(*p, shape));
      step.push_back(one ? 0 : 1);
    }
  }
  /// Parameter k's value at draw i.
  double at(size_t k, size_t i) const { return values[k][step[k] * i]; }
};

/// cont() for float64 draws with parameters: fill(x) gives one draw from
/// the parameters' values x[0], x[1], ... at that draw.
template <class Fill>
Value continuous(Interpreter& in, const std::vector<const DistParam*>& params, const Value& size,
                 Fill fill, Span span) {
  const Shape shape = drawShape(params, size, span);
  const ParamValues values(params, shape);
  Array out = Array::empty(shape, DType::Float64);
  double* d = reinterpret_cast<double*>(out.data());
  double x[4];
  RAVEL_CHECK(params.size() <= 4, "a distribution with more than four parameters");
  for (int64_t i = 0, n = out.size(); i < n; ++i) {
    for (size_t k = 0; k < params.size(); ++k) x[k] = values.at(k, size_t(i));
    d[i] = fill(x);
  }
  if (isNone(size) && allScalar(params)) return Value::ofFloat(d[0]);
  return in.materializedValue(std::move(out));
}

/// cont() for a distribution that is a function of one standard
/// draw per value (loc + scale * gauss(), low + range * random_sample()):
/// the standard draws do not depend on the parameters, so they come first,
/// in bulk (`standard(shape)`, the same stream), and each becomes
/// apply(x, z) with its own parameters x[0], x[1], ...
template <class Standard, class Apply>
Value fromStandardDraws(Interpreter& in, const std::vector<const DistParam*>& params,
                        const Value& size, Standard standard, Apply apply, Span span) {
  const Shape shape = drawShape(params, size, span);
  const ParamValues values(params, shape);
  Array out = standard(shape);
  double* d = reinterpret_cast<double*>(out.data());
  double x[4];
  RAVEL_CHECK(params.size() <= 4, "a distribution with more than four parameters");
  for (int64_t i = 0, n = out.size(); i < n; ++i) {
    for (size_t k = 0; k < params.size(); ++k) x[k] = values.at(k, size_t(i));
    d[i] = apply(x, d[i]);
  }
  if (isNone(size) && allScalar(params)) return Value::ofFloat(d[0]);
  return in.materializedValue(std::move(out));
}

/// disc() for int64 draws with one float parameter: draw(x) gives one draw
/// for parameter value x; a Python int when the parameter is 0-d and size
/// is None.
template <class Draw>
Value discrete(Interpreter& in, const DistParam& param, const Value& size, Draw draw, Span span) {
  const Shape shape = drawShape({&param}, size, span);
  const ParamValues values({&param}, shape);
  Array out = Array::empty(shape, DType::Int64);
  int64_t* d = reinterpret_cast<int64_t*>(out.data());
  for (int64_t i = 0, n = out.size(); i < n; ++i) d[i] = draw(values.at(0, size_t(i)));
  if (isNone(size) && param.scalar) return Value::ofInt(d[0]);
  return in.materializedValue(std::move(out));
}

/// CONS_POISSON, checked on the scalar's value or on every element (the two
/// paths test in opposite orders and name NaN differently, as NumPy does).
void checkLam(const DistParam& lam, Span span) {
  constexpr double kPoissonLamMax = 9.223372006484771e18; // int64's max less 10 sd
  auto tooLarge = [](double x) { return !(x <= kPoissonLamMax); };
  auto negativeOrNan = [](double x) { return !(x >= 0); };
  if (lam.scalar) {
    if (anyOf<double>(lam, +negativeOrNan)) raise(ErrorKind::Value, span, "lam < 0 or lam is NaN");
    if (anyOf<double>(lam, +tooLarge)) raise(ErrorKind::Value, span, "lam value too large");
    return;
  }
  if (anyOf<double>(lam, +tooLarge)) raise(ErrorKind::Value, span, "lam value too large");
  if (anyOf<double>(lam, +negativeOrNan))
    raise(ErrorKind::Value, span, "lam < 0 or lam contains NaNs");
}

/// uniform's range high - low (NumPy subtracts the two arrays first, with
/// its broadcast error), checked finite with `overflow` as the message.
DistParam uniformRange(Interpreter& in, const DistParam& low, const DistParam& high,
                       const char* overflow, Span span) {
  Value diff = in.binary(graph::Op::Sub, in.materializedValue(high.values),
                         in.materializedValue(low.values), span);
  DistParam range{argValues(in, diff, span), low.scalar && high.scalar};
  if (anyOf<double>(
          range, +[](double x) { return !std::isfinite(x); }))
    raise(ErrorKind::Value, span, overflow);
  return range;
}

/// The binomial wrappers of both RandomState and Generator: p checked
/// before n, int64 draws, a Python int for scalars and size=None.
template <class Draw>
Value binomialDraws(Interpreter& in, const Value& nArg, const Value& pArg, const Value& size,
                    Draw draw, Span span) {
  const DistParam p = floatParam(in, pArg, span);
  const DistParam n = countParam(in, nArg, span);
  const bool scalar = p.scalar && n.scalar;
  if (anyOf<double>(p, outsideUnit))
    raise(ErrorKind::Value, span,
          scalar ? "p < 0, p > 1 or p is NaN" : "p < 0, p > 1 or p contains NaNs");
  if (anyOf<int64_t>(n, negativeCount)) raise(ErrorKind::Value, span, "n < 0");
  // NumPy broadcasts (out, p, n) in that order, as its errors number them.
  const Shape shape = drawShape({&p, &n}, size, span);
  const std::vector<double> ps = spread<double>(p, shape);
  const std::vector<int64_t> ns = spread<int64_t>(n, shape);
  Array out = Array::empty(shape, DType::Int64);
  int64_t* d = reinterpret_cast<int64_t*>(out.data());
  // NumPy keeps one binomial set-up per generator across calls; it is a
  // function of (n, p) alone, so one per call gives the same draws.
  BinomialCache cache;
  for (int64_t i = 0, count = out.size(); i < count; ++i)
    d[i] = draw(ns[size_t(i)], ps[size_t(i)], cache);
  if (isNone(size) && scalar) return Value::ofInt(d[0]);
  return in.materializedValue(std::move(out));
}

Pcg64& generatorOf(BuiltinCall& call) {
  return *call.args[0].generator;
}

/// dtype= of standard_normal and standard_exponential: float64 or float32.
DType floatDType(const Value& v, const char* fn, Span span) {
  const DType t = toDType(v, span).value_or(DType::Float64);
  if (t != DType::Float64 && t != DType::Float32)
    raise(ErrorKind::Type, span,
          std::string("Unsupported dtype dtype('") + std::string(dtypeName(t)) + "') for " + fn);
  return t;
}

void rejectOut(const Value& out, const char* fn, Span span) {
  if (!isNone(out))
    raise(ErrorKind::Type, span, std::string(fn) + "() does not support out= in ravel yet");
}

/// double_fill / float_fill: draws of a fixed distribution; a Python float
/// for size=None.
template <class T, class Draw>
Value filled(Interpreter& in, const Value& size, DType t, Draw draw, Span span) {
  Array out = Array::empty(isNone(size) ? Shape{} : toShape(size, span), t);
  T* d = reinterpret_cast<T*>(out.data());
  for (int64_t i = 0, n = out.size(); i < n; ++i) d[i] = draw();
  if (isNone(size)) return Value::ofFloat(double(d[0]));
  return in.materializedValue(std::move(out));
}

} // namespace

// ---------------------------------------------------------------- legacy

Value randomBinomial(BuiltinCall& call) {
  auto a = call.bind({{"n", {}}, {"p", {}}, {"size", kNone}});
  LegacyRandom& g = currentLegacyStream();
  auto sample = [](LegacyRandom& gen) { return gen.randomSample(); };
  return binomialDraws(
      call.in, a[0], a[1], a[2],
      [&](int64_t n, double p, BinomialCache& cache) {
        return binomial(g, n, p, cache, sample, /*generator=*/false);
      },
      call.span);
}

Value randomNormal(BuiltinCall& call) {
  auto a =
      call.bind({{"loc", Value::ofFloat(0.0)}, {"scale", Value::ofFloat(1.0)}, {"size", kNone}});
  const DistParam loc = floatParam(call.in, a[0], call.span);
  const DistParam scale = floatParam(call.in, a[1], call.span);
  checkScale(scale, call.span);
  LegacyRandom& g = currentLegacyStream();
  return fromStandardDraws(
      call.in, {&loc, &scale}, a[2], [&g](const Shape& s) { return g.randn(s); },
      [](const double* x, double z) { return x[0] + x[1] * z; }, call.span);
}

Value randomUniform(BuiltinCall& call) {
  auto a =
      call.bind({{"low", Value::ofFloat(0.0)}, {"high", Value::ofFloat(1.0)}, {"size", kNone}});
  const DistParam low = floatParam(call.in, a[0], call.span);
  const DistParam high = floatParam(call.in, a[1], call.span);
  const DistParam range = uniformRange(call.in, low, high, "Range exceeds valid bounds", call.span);
  LegacyRandom& g = currentLegacyStream();
  return fromStandardDraws(
      call.in, {&low, &range}, a[2], [&g](const Shape& s) { return g.rand(s); },
      [](const double* x, double u) { return x[0] + x[1] * u; }, call.span);
}

Value randomExponential(BuiltinCall& call) {
  auto a = call.bind({{"scale", Value::ofFloat(1.0)}, {"size", kNone}});
  const DistParam scale = floatParam(call.in, a[0], call.span);
  checkScale(scale, call.span);
  LegacyRandom& g = currentLegacyStream();
  // legacy_exponential: scale * -log(1 - random_sample()).
  return fromStandardDraws(
      call.in, {&scale}, a[1], [&g](const Shape& s) { return g.rand(s); },
      [](const double* x, double u) { return x[0] * -std::log(1.0 - u); }, call.span);
}

/// NumPy's check of a distribution parameter: none, CONS_NON_NEGATIVE
/// ("name < 0", -0.0 too) or CONS_POSITIVE ("name <= 0"); NaN passes both.
enum class Constraint { None, NonNegative, Positive };

/// Bound arguments a[first], a[first + 1], ... (named params[...]) as float
/// parameters, each checked by its constraint.
std::vector<DistParam> checkedParams(BuiltinCall& call, const std::vector<Value>& a,
                                     const std::vector<Param>& params, size_t first,
                                     const std::vector<Constraint>& constraints) {
  std::vector<DistParam> values;
  for (size_t k = 0; k < constraints.size(); ++k)
    values.push_back(floatParam(call.in, a[first + k], call.span));
  for (size_t k = 0; k < constraints.size(); ++k) {
    const std::string& name = params[first + k].name;
    if (constraints[k] == Constraint::Positive && anyOf<double>(
                                                      values[k], +[](double x) { return x <= 0; }))
      raise(ErrorKind::Value, call.span, name + " <= 0");
    if (constraints[k] == Constraint::NonNegative && anyOf<double>(values[k], negative))
      raise(ErrorKind::Value, call.span, name + " < 0");
  }
  return values;
}

/// Draws with checked parameters (checkedParams): `draw(x)` gives one value
/// from the parameters x; `size=` follows the parameters.
template <class Draw>
Value checkedDraws(BuiltinCall& call, std::vector<Param> params, size_t first,
                   const std::vector<Constraint>& constraints, Draw draw) {
  params.push_back({"size", kNone});
  auto a = call.bind(params);
  const std::vector<DistParam> values = checkedParams(call, a, params, first, constraints);
  std::vector<const DistParam*> pointers;
  for (const DistParam& v : values) pointers.push_back(&v);
  return continuous(call.in, pointers, a[first + constraints.size()], draw, call.span);
}

/// Draws from the legacy stream: `draw(g, x)` per value.
template <class Draw>
Value legacyDraws(BuiltinCall& call, std::vector<Param> params,
                  const std::vector<Constraint>& constraints, Draw draw) {
  LegacyRandom& g = currentLegacyStream();
  return checkedDraws(call, std::move(params), 0, constraints,
                      [&](const double* x) { return draw(g, x); });
}

/// A legacy distribution of a location and a scale (checked
/// non-negative), `draw(g, loc, scale)` per value (a per-draw rejection loop
/// consumes what it consumes, in order).
template <class Draw>
Value locationScale(BuiltinCall& call, const char* locName, const char* scaleName, Draw draw) {
  return legacyDraws(call, {{locName, Value::ofFloat(0.0)}, {scaleName, Value::ofFloat(1.0)}},
                     {Constraint::None, Constraint::NonNegative},
                     [&](LegacyRandom& g, const double* x) { return draw(g, x[0], x[1]); });
}

/// legacy_standard_exponential: -log(1 - random_sample()).
double legacyStandardExponential(LegacyRandom& g) {
  return -std::log(1.0 - g.randomSample());
}

/// A legacy distribution of one shape parameter `a`: `draw(g, a)` per
/// value (legacy_weibull, _pareto, _power).
template <class Draw> Value shapeParameter(BuiltinCall& call, Constraint constraint, Draw draw) {
  return legacyDraws(call, {{"a", {}}}, {constraint},
                     [&](LegacyRandom& g, const double* x) { return draw(g, x[0]); });
}

// The legacy RandomState's formulas (NumPy 1.24's legacy-distributions.c and
// the shared distributions.c it calls for laplace, gumbel and logistic),
// with the C library's exp/log/pow as NumPy's.

Value randomLognormal(BuiltinCall& call) {
  return locationScale(call, "mean", "sigma", [](LegacyRandom& g, double m, double s) {
    return std::exp(m + s * g.gauss());
  });
}

Value randomLaplace(BuiltinCall& call) {
  return locationScale(call, "loc", "scale", [](LegacyRandom& g, double loc, double s) {
    for (;;) {
      const double u = g.randomSample();
      if (u >= 0.5) return loc - s * std::log(2.0 - u - u);
      if (u > 0.0) return loc + s * std::log(u + u);
    }
  });
}

Value randomGumbel(BuiltinCall& call) {
  return locationScale(call, "loc", "scale", [](LegacyRandom& g, double loc, double s) {
    for (;;) {
      const double u = 1.0 - g.randomSample();
      if (u < 1.0) return loc - s * std::log(-std::log(u));
    }
  });
}

Value randomLogistic(BuiltinCall& call) {
  return locationScale(call, "loc", "scale", [](LegacyRandom& g, double loc, double s) {
    for (;;) {
      const double u = g.randomSample();
      if (u > 0.0) return loc + s * std::log(u / (1.0 - u));
    }
  });
}

Value randomWeibull(BuiltinCall& call) {
  // a == 0 gives 0 without a draw.
  return shapeParameter(call, Constraint::NonNegative, [](LegacyRandom& g, double a) {
    return a == 0.0 ? 0.0 : std::pow(legacyStandardExponential(g), 1.0 / a);
  });
}

// NumPy 1.24's legacy pareto and power use exp, not expm1 (newer NumPy's
// Generator does): exp(x) - 1 differs from expm1(x) in the last bit for
// about two thirds of the draws.
Value randomPareto(BuiltinCall& call) {
  return shapeParameter(call, Constraint::Positive, [](LegacyRandom& g, double a) {
    return std::exp(legacyStandardExponential(g) / a) - 1.0;
  });
}

Value randomPower(BuiltinCall& call) {
  return shapeParameter(call, Constraint::Positive, [](LegacyRandom& g, double a) {
    return std::pow(1.0 - std::exp(-legacyStandardExponential(g)), 1.0 / a);
  });
}

/// NumPy's standard_gamma over a stream's primitives: `exponential()` for
/// shape 1, 0 for shape 0, a rejection method on `uniform()` and
/// `exponential()` below 1, Marsaglia and Tsang's method on `normal()` above.
/// The legacy RandomState (legacy gaussians, -log(1 - U)) and the Generator
/// (the ziggurats) differ only in those primitives.
template <class Uniform, class Normal, class Exponential>
double standardGamma(double shape, Uniform uniform, Normal normal, Exponential exponential) {
  if (shape == 1.0) return exponential();
  if (shape == 0.0) return 0.0;
  if (shape < 1.0) {
    for (;;) {
      const double u = uniform();
      const double v = exponential();
      if (u <= 1.0 - shape) {
        const double x = std::pow(u, 1.0 / shape);
        if (x <= v) return x;
      } else {
        const double y = -std::log((1 - u) / shape);
        const double x = std::pow(1.0 - shape + shape * y, 1.0 / shape);
        if (x <= v + y) return x;
      }
    }
  }
  const double b = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9 * b);
  for (;;) {
    double x, v;
    do {
      x = normal();
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = uniform();
    if (u < 1.0 - 0.0331 * (x * x) * (x * x)) return b * v;
    if (std::log(u) < 0.5 * x * x + b * (1.0 - v + std::log(v))) return b * v;
  }
}

/// legacy_standard_gamma.
double legacyStandardGamma(LegacyRandom& g, double shape) {
  return standardGamma(
      shape, [&g] { return g.randomSample(); }, [&g] { return g.gauss(); },
      [&g] { return legacyStandardExponential(g); });
}

/// The Generator's random_standard_gamma.
double generatorStandardGamma(Pcg64& g, double shape) {
  return standardGamma(
      shape, [&g] { return g.nextDouble(); }, [&g] { return standardNormalZig(g); },
      [&g] { return standardExponentialZig(g); });
}

Value randomStandardGamma(BuiltinCall& call) {
  return legacyDraws(call, {{"shape", {}}}, {Constraint::NonNegative},
                     [](LegacyRandom& g, const double* x) { return legacyStandardGamma(g, x[0]); });
}

Value randomGamma(BuiltinCall& call) {
  return legacyDraws(
      call, {{"shape", {}}, {"scale", Value::ofFloat(1.0)}},
      {Constraint::NonNegative, Constraint::NonNegative},
      [](LegacyRandom& g, const double* x) { return x[1] * legacyStandardGamma(g, x[0]); });
}

Value randomChisquare(BuiltinCall& call) {
  return legacyDraws(
      call, {{"df", {}}}, {Constraint::Positive},
      [](LegacyRandom& g, const double* x) { return 2.0 * legacyStandardGamma(g, x[0] / 2.0); });
}

Value randomStandardT(BuiltinCall& call) {
  return legacyDraws(call, {{"df", {}}}, {Constraint::Positive},
                     [](LegacyRandom& g, const double* x) {
                       const double num = g.gauss();
                       const double denom = legacyStandardGamma(g, x[0] / 2);
                       return std::sqrt(x[0] / 2) * num / std::sqrt(denom);
                     });
}

Value randomBeta(BuiltinCall& call) {
  return legacyDraws(call, {{"a", {}}, {"b", {}}}, {Constraint::Positive, Constraint::Positive},
                     [](LegacyRandom& g, const double* p) {
                       const double a = p[0], b = p[1];
                       if (a <= 1.0 && b <= 1.0) { // Johnk's algorithm
                         for (;;) {
                           const double u = g.randomSample(), v = g.randomSample();
                           const double x = std::pow(u, 1.0 / a), y = std::pow(v, 1.0 / b);
                           const double xy = x + y;
                           if (xy <= 1.0 && xy > 0.0) return x / xy;
                         }
                       }
                       const double ga = legacyStandardGamma(g, a), gb = legacyStandardGamma(g, b);
                       return ga / (ga + gb);
                     });
}

Value randomPoisson(BuiltinCall& call) {
  auto a = call.bind({{"lam", Value::ofFloat(1.0)}, {"size", kNone}});
  const DistParam lam = floatParam(call.in, a[0], call.span);
  checkLam(lam, call.span);
  LegacyRandom& g = currentLegacyStream();
  auto sample = [](LegacyRandom& gen) { return gen.randomSample(); };
  return discrete(
      call.in, lam, a[1], [&](double x) { return poisson(g, x, sample); }, call.span);
}

// ---------------------------------------------------------------- Generator

Value generatorStandardNormal(BuiltinCall& call) {
  auto a = call.bind({{"self", {}}, {"size", kNone}, {"dtype", kNone}, {"out", kNone}});
  rejectOut(a[3], "standard_normal", call.span);
  const DType t = floatDType(a[2], "standard_normal", call.span);
  Pcg64& g = generatorOf(call);
  if (t == DType::Float32)
    return filled<float>(
        call.in, a[1], t, [&g] { return standardNormalZigF(g); }, call.span);
  return filled<double>(
      call.in, a[1], t, [&g] { return standardNormalZig(g); }, call.span);
}

Value generatorNormal(BuiltinCall& call) {
  auto a = call.bind({{"self", {}},
                      {"loc", Value::ofFloat(0.0)},
                      {"scale", Value::ofFloat(1.0)},
                      {"size", kNone}});
  const DistParam loc = floatParam(call.in, a[1], call.span);
  const DistParam scale = floatParam(call.in, a[2], call.span);
  checkScale(scale, call.span);
  Pcg64& g = generatorOf(call);
  return continuous(
      call.in, {&loc, &scale}, a[3],
      [&g](const double* x) { return x[0] + x[1] * standardNormalZig(g); }, call.span);
}

Value generatorStandardExponential(BuiltinCall& call) {
  auto a = call.bind({{"self", {}},
                      {"size", kNone},
                      {"dtype", kNone},
                      {"method", Value::ofStr("zig")},
                      {"out", kNone}});
  const Span span = call.span;
  rejectOut(a[4], "standard_exponential", span);
  const DType t = floatDType(a[2], "standard_exponential", span);
  // NumPy takes any method other than 'zig' as 'inv' (-log1p(-U)).
  const bool zig = a[3].kind == Value::Kind::Str && a[3].name == "zig";
  Pcg64& g = generatorOf(call);
  if (t == DType::Float32) {
    if (zig)
      return filled<float>(
          call.in, a[1], t, [&g] { return standardExponentialZigF(g); }, span);
    return filled<float>(
        call.in, a[1], t, [&g] { return float(-std::log1p(-double(nextFloat(g)))); }, span);
  }
  if (zig)
    return filled<double>(
        call.in, a[1], t, [&g] { return standardExponentialZig(g); }, span);
  return filled<double>(
      call.in, a[1], t, [&g] { return -std::log1p(-g.nextDouble()); }, span);
}

Value generatorExponential(BuiltinCall& call) {
  auto a = call.bind({{"self", {}}, {"scale", Value::ofFloat(1.0)}, {"size", kNone}});
  const DistParam scale = floatParam(call.in, a[1], call.span);
  checkScale(scale, call.span);
  Pcg64& g = generatorOf(call);
  return continuous(
      call.in, {&scale}, a[2], [&g](const double* x) { return x[0] * standardExponentialZig(g); },
      call.span);
}

Value generatorBinomial(BuiltinCall& call) {
  auto a = call.bind({{"self", {}}, {"n", {}}, {"p", {}}, {"size", kNone}});
  Pcg64& g = generatorOf(call);
  auto sample = [](Pcg64& gen) { return gen.nextDouble(); };
  return binomialDraws(
      call.in, a[1], a[2], a[3],
      [&](int64_t n, double p, BinomialCache& cache) {
        return binomial(g, n, p, cache, sample, /*generator=*/true);
      },
      call.span);
}

Value generatorUniform(BuiltinCall& call) {
  auto a = call.bind(
      {{"self", {}}, {"low", Value::ofFloat(0.0)}, {"high", Value::ofFloat(1.0)}, {"size", kNone}});
  const DistParam low = floatParam(call.in, a[1], call.span);
  const DistParam high = floatParam(call.in, a[2], call.span);
  const bool scalar = low.scalar && high.scalar;
  const DistParam range = uniformRange(
      call.in, low, high,
      scalar ? "high - low range exceeds valid bounds" : "Range exceeds valid bounds", call.span);
  if (anyOf<double>(range, negative)) raise(ErrorKind::Value, call.span, "high - low < 0");
  Pcg64& g = generatorOf(call);
  return fromStandardDraws(
      call.in, {&low, &range}, a[3], [&g](const Shape& s) { return ravel::generatorRandom(g, s); },
      [](const double* x, double u) { return x[0] + x[1] * u; }, call.span);
}

Value generatorPoisson(BuiltinCall& call) {
  auto a = call.bind({{"self", {}}, {"lam", Value::ofFloat(1.0)}, {"size", kNone}});
  const DistParam lam = floatParam(call.in, a[1], call.span);
  checkLam(lam, call.span);
  Pcg64& g = generatorOf(call);
  auto sample = [](Pcg64& gen) { return gen.nextDouble(); };
  return discrete(
      call.in, lam, a[2], [&](double x) { return poisson(g, x, sample); }, call.span);
}

/// Generator draws (a method: `self` first): `draw(g, x)` per value.
template <class Draw>
Value generatorDraws(BuiltinCall& call, std::vector<Param> params,
                     const std::vector<Constraint>& constraints, Draw draw) {
  params.insert(params.begin(), Param{"self", {}});
  Pcg64& g = generatorOf(call);
  return checkedDraws(call, std::move(params), 1, constraints,
                      [&](const double* x) { return draw(g, x); });
}

Value generatorStandardGammaMethod(BuiltinCall& call) {
  return generatorDraws(call, {{"shape", {}}}, {Constraint::NonNegative},
                        [](Pcg64& g, const double* x) { return generatorStandardGamma(g, x[0]); });
}

Value generatorGamma(BuiltinCall& call) {
  return generatorDraws(
      call, {{"shape", {}}, {"scale", Value::ofFloat(1.0)}},
      {Constraint::NonNegative, Constraint::NonNegative},
      [](Pcg64& g, const double* x) { return x[1] * generatorStandardGamma(g, x[0]); });
}

Value generatorChisquare(BuiltinCall& call) {
  return generatorDraws(call, {{"df", {}}}, {Constraint::Positive}, [](Pcg64& g, const double* x) {
    return 2.0 * generatorStandardGamma(g, x[0] / 2.0);
  });
}

Value generatorStandardT(BuiltinCall& call) {
  return generatorDraws(call, {{"df", {}}}, {Constraint::Positive}, [](Pcg64& g, const double* x) {
    const double num = standardNormalZig(g);
    const double denom = generatorStandardGamma(g, x[0] / 2);
    return std::sqrt(x[0] / 2) * num / std::sqrt(denom);
  });
}

Value generatorLognormal(BuiltinCall& call) {
  return generatorDraws(call, {{"mean", Value::ofFloat(0.0)}, {"sigma", Value::ofFloat(1.0)}},
                        {Constraint::None, Constraint::NonNegative}, [](Pcg64& g, const double* x) {
                          return std::exp(x[0] + x[1] * standardNormalZig(g));
                        });
}

} // namespace ravel::exec
