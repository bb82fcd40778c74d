// The tables of NumPy's 256-level ziggurat (Marsaglia and Tsang), which the
// Generator's standard_normal, normal, standard_exponential and exponential
// draw from. They are computed here from the ziggurat's defining constants,
// not copied; Ziggurat.cpp says how each table is made and how it was
// checked against NumPy 1.24's values.
//
// A table's layers i = 1..255 have edges x_i (x_255 = r, the tail's start;
// x_0 = 0): k[i] is the integer threshold x_{i-1}/x_i in the draw's
// fixed-point scale, w[i] = x_i / scale and f[i] = pdf(x_i); entry 0 is the
// base layer with the tail (k[0] = r pdf(r) / v, w[0] = v / pdf(r), f[0] = 1,
// v the layers' common area).
#pragma once

#include <cstdint>

namespace ravel {

/// The normal tail's start r, and 1/r.
inline constexpr double kZigguratNormalR = 3.6541528853610087963519472518;
inline constexpr double kZigguratNormalInvR = 0.27366123732975827203338247596;
/// The exponential tail's start.
inline constexpr double kZigguratExpR = 7.6971174701310497140446280481;

struct ZigguratTables {
  // standard normal, float64: 52-bit magnitudes (scale 2^52)
  uint64_t ki[256];
  double wi[256], fi[256];
  // standard normal, float32: 23-bit magnitudes (scale 2^23)
  uint32_t kiF[256];
  float wiF[256], fiF[256];
  // standard exponential, float64: 53-bit magnitudes (scale 2^53)
  uint64_t ke[256];
  double we[256], fe[256];
  // standard exponential, float32: 23-bit magnitudes (scale 2^23)
  uint32_t keF[256];
  float weF[256], feF[256];
};

/// The tables, computed on first use (thread-safe).
const ZigguratTables& zigguratTables();

} // namespace ravel
