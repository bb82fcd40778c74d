// NumPy's ziggurat tables, computed from the defining constants.
//
// NumPy 1.24 ships its tables as literals; their values were produced two
// different ways, and this file reproduces each way:
//
// 1. Normal (ki, wi, fi and the float32 kiF, wiF, fiF): the recursion
//      x_255 = r,  x_{i} = sqrt(-2 log(v / x_{i+1} + pdf(x_{i+1}))),
//      pdf(x) = exp(-x^2 / 2),
//    with r = 3.6541528853610087963519472518 and v = 0.0049286732339746519
//    taken as doubles and every step done in double arithmetic, exp and log
//    correctly rounded (here: evaluated in double-double, then rounded, so
//    the result does not depend on the platform's libm). k = the nearest
//    integer (ties to even) to x_{i-1}/x_i * 2^52 (2^23 for float32). The
//    float32 tables are the float64 values rounded to float.
//
//    One entry needs a correction: NumPy's fi[38] is one ulp above the
//    correctly rounded exp(-x_38^2 / 2), whose exact value lies 0.498 ulp
//    above the lower neighbour: evidently the exp of the machine that made
//    NumPy's table rounded this near-tie upward. NumPy's x_37 .. x_1 follow
//    from that value, so the ulp is added before x_37 is computed. With it
//    all 256 entries of all six normal tables equal NumPy's; without it,
//    x_1 .. x_37 (and their k, w, f) differ by 2 to 76 ulps.
//
// 2. Exponential (ke, we, fe): the recursion
//      x_255 = r,  x_{i} = -log(exp(-x_{i+1}) + v / x_{i+1}),
//    with r = 7.6971174701310497140446280481 exactly and v = (r + 1) e^-r
//    (the area of each layer, the base layer's rectangle plus its tail),
//    computed in high precision (double-double here, about 32 digits; long
//    double is not enough) and rounded at the end. ke[i] is twice the floor
//    of x_{i-1}/x_i * 2^52 (a 52-bit threshold used with 53-bit draws).
//    All 768 entries equal NumPy's.
//
//    The float32 tables come from the same x_i: keF[i] the nearest integer
//    (ties to even) to x_{i-1}/x_i * 2^23, and weF, feF the float64 values
//    written with 9 significant digits and read back as float, the rule
//    that gives NumPy's entries (as if its literals were printed with 9
//    digits); rounding the float64 values to float directly leaves 4 of
//    the 512 entries one ulp off, near-ties the 9-digit decimals round the
//    other way.
//
// Checks: tests/unit/runtime/ZigguratTest.cpp finds every table, byte for
// byte, in NumPy's own compiled _generator module; the programs
// tests/programs/rng_generator_ziggurat*.rv draw 200,000 values per
// function and seed and compare every bit with NumPy's (a w entry one ulp
// off changes hundreds of values; k and f entries only decide rare
// accept/reject cases, which the unit test covers).
#include "runtime/Ziggurat.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace ravel {
namespace {

// ---------------------------------------------------------------- double-double

/// A value hi + lo with |lo| <= ulp(hi) / 2: about 106 significant bits.
struct DD {
  double hi = 0, lo = 0;
};

DD fastTwoSum(double a, double b) { // |a| >= |b|
  const double s = a + b;
  return {s, b - (s - a)};
}

DD twoSum(double a, double b) {
  const double s = a + b, bb = s - a;
  return {s, (a - (s - bb)) + (b - bb)};
}

DD operator+(DD a, DD b) {
  DD s = twoSum(a.hi, b.hi);
  const DD t = twoSum(a.lo, b.lo);
  s = fastTwoSum(s.hi, s.lo + t.hi);
  return fastTwoSum(s.hi, s.lo + t.lo);
}

DD operator-(DD a) {
  return {-a.hi, -a.lo};
}

DD operator-(DD a, DD b) {
  return a + -b;
}

DD operator*(DD a, DD b) {
  const double p = a.hi * b.hi;
  const double e = std::fma(a.hi, b.hi, -p) + (a.hi * b.lo + a.lo * b.hi);
  return fastTwoSum(p, e);
}

DD operator/(DD a, DD b) {
  // Long division: three double quotients, each from the remainder so far.
  const double q1 = a.hi / b.hi;
  DD rem = a - b * DD{q1};
  const double q2 = rem.hi / b.hi;
  rem = rem - b * DD{q2};
  const double q3 = rem.hi / b.hi;
  return fastTwoSum(q1, q2) + DD{q3};
}

DD scaleByPowerOf2(DD a, int e) {
  return {std::ldexp(a.hi, e), std::ldexp(a.lo, e)};
}

/// ln 2 to 106 bits.
constexpr DD kLn2 = {0x1.62e42fefa39efp-1, 0x1.abc9e3b39803fp-56};

/// e^a: a = k ln2 + t, e^t = (e^(t / 256))^256 with a Taylor series for the
/// small argument.
DD exp(DD a) {
  const double k = std::nearbyint(a.hi / kLn2.hi);
  const DD t = scaleByPowerOf2(a - kLn2 * DD{k}, -8);
  DD sum{1}, term{1};
  for (int n = 1; n <= 14; ++n) {
    term = term * t / DD{double(n)};
    sum = sum + term;
  }
  for (int i = 0; i < 8; ++i) sum = sum * sum;
  return scaleByPowerOf2(sum, int(k));
}

/// log(a) by Newton's method on e^y = a from the double logarithm.
DD log(DD a) {
  DD y{std::log(a.hi)};
  for (int i = 0; i < 3; ++i) y = y + (a * exp(-y) - DD{1});
  return y;
}

/// A decimal literal ("7.69...") exactly to double-double precision.
DD fromDecimal(const char* s) {
  DD mantissa{0};
  int fractionDigits = -1;
  for (; *s; ++s) {
    if (*s == '.') {
      fractionDigits = 0;
      continue;
    }
    mantissa = mantissa * DD{10} + DD{double(*s - '0')};
    if (fractionDigits >= 0) ++fractionDigits;
  }
  DD scale{1};
  for (int i = 0; i < fractionDigits; ++i) scale = scale * DD{10};
  return mantissa / scale;
}

double rounded(DD a) {
  return a.hi + a.lo;
}

/// floor(a) for |a| < 2^53.
double floorOf(DD a) {
  const double f = std::floor(a.hi);
  return (f == a.hi && a.lo < 0) ? f - 1 : f;
}

/// exp and log of a double, correctly rounded (but for ties within 1e-30).
double crExp(double x) {
  return rounded(exp(DD{x}));
}

double crLog(double x) {
  return rounded(log(DD{x}));
}

/// A double written with 9 significant digits ("%.8e"), read as a float.
float viaNineDigits(double x) {
  char text[32];
  std::snprintf(text, sizeof text, "%.8e", x);
  return std::strtof(text, nullptr);
}

// ---------------------------------------------------------------- the tables

constexpr int kLayers = 256;

void normalTables(ZigguratTables& t) {
  const double r = kZigguratNormalR, v = 0.0049286732339746519;
  double x[kLayers], f[kLayers];
  x[0] = 0;
  f[0] = 1;
  x[kLayers - 1] = r;
  f[kLayers - 1] = crExp(-0.5 * r * r);
  for (int i = kLayers - 2; i >= 1; --i) {
    x[i] = std::sqrt(-2.0 * crLog(v / x[i + 1] + f[i + 1]));
    f[i] = crExp(-0.5 * x[i] * x[i]);
    if (i == 38) f[i] = std::nextafter(f[i], 2.0); // NumPy's near-tie (see the banner)
  }
  const double base = r * f[kLayers - 1] / v, baseWidth = v / f[kLayers - 1];
  t.ki[0] = uint64_t(std::nearbyint(base * 0x1p52));
  t.kiF[0] = uint32_t(std::nearbyint(base * 0x1p23));
  t.wi[0] = baseWidth / 0x1p52;
  t.wiF[0] = float(baseWidth / 0x1p23);
  for (int i = 1; i < kLayers; ++i) {
    const double ratio = x[i - 1] / x[i];
    t.ki[i] = uint64_t(std::nearbyint(ratio * 0x1p52));
    t.kiF[i] = uint32_t(std::nearbyint(ratio * 0x1p23));
    t.wi[i] = x[i] / 0x1p52;
    t.wiF[i] = float(x[i] / 0x1p23);
  }
  for (int i = 0; i < kLayers; ++i) {
    t.fi[i] = f[i];
    t.fiF[i] = float(f[i]);
  }
}

void exponentialTables(ZigguratTables& t) {
  const DD r = fromDecimal("7.6971174701310497140446280481");
  const DD tail = exp(-r);
  const DD v = (r + DD{1}) * tail;
  DD x[kLayers];
  x[0] = DD{0};
  x[kLayers - 1] = r;
  for (int i = kLayers - 2; i >= 1; --i) x[i] = -log(exp(-x[i + 1]) + v / x[i + 1]);
  const DD base = r * tail / v;
  t.ke[0] = 2 * uint64_t(floorOf(scaleByPowerOf2(base, 52)));
  t.keF[0] = uint32_t(std::nearbyint(rounded(base) * 0x1p23));
  t.we[0] = rounded(v / tail) / 0x1p53;
  t.fe[0] = 1;
  for (int i = 1; i < kLayers; ++i) {
    const DD ratio = x[i - 1] / x[i];
    t.ke[i] = 2 * uint64_t(floorOf(scaleByPowerOf2(ratio, 52)));
    t.keF[i] = uint32_t(std::nearbyint(rounded(ratio) * 0x1p23));
    t.we[i] = rounded(x[i]) / 0x1p53;
    t.fe[i] = rounded(exp(-x[i]));
  }
  for (int i = 0; i < kLayers; ++i) {
    t.weF[i] = viaNineDigits(t.we[i] * 0x1p30);
    t.feF[i] = viaNineDigits(t.fe[i]);
  }
}

ZigguratTables computeTables() {
  ZigguratTables t;
  normalTables(t);
  exponentialTables(t);
  return t;
}

} // namespace

const ZigguratTables& zigguratTables() {
  static const ZigguratTables tables = computeTables();
  return tables;
}

} // namespace ravel
