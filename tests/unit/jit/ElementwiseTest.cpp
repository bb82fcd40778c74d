// Elementwise ops: every KOp over the dtypes it accepts, checked against
// values computed in C++ or pasted from NumPy 1.24.2.
#include "JitTestSupport.h"

#include <cmath>
#include <limits>

namespace ravel::jittest {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int64_t I64MIN = std::numeric_limits<int64_t>::min();
constexpr int64_t I64MAX = std::numeric_limits<int64_t>::max();
constexpr int32_t I32MIN = std::numeric_limits<int32_t>::min();
constexpr int32_t I32MAX = std::numeric_limits<int32_t>::max();

// clang-format off
// Generated with NumPy 1.24.2: a // b and a % b over kDivA x kDivB (row-major).
const double kDivA[] = {
    0x1.c000000000000p+2, -0x1.c000000000000p+2, 0x0.0p+0, -0x0.0p+0, 0x1.6000000000000p+2,
    -0x1.6000000000000p+2, 0x1.0000000000000p+0, kInf, -kInf, kNaN, 0x1.7e43c8800759cp+996,
    0x1.56e1fc2f8f359p-997, 0x1.999999999999ap-4, -0x1.999999999999ap-4, 0x1.8000000000000p+1
};
const double kDivB[] = {
    0x1.0000000000000p+1, -0x1.0000000000000p+1, 0x0.0p+0, -0x0.0p+0, kInf, -kInf, kNaN,
    0x1.999999999999ap-4, -0x1.999999999999ap-4, 0x1.8000000000000p+1, 0x1.56e1fc2f8f359p-997,
    0x1.3333333333333p-2
};
const double kFloorDiv64[] = {
    0x1.8000000000000p+1, -0x1.0000000000000p+2, kInf, -kInf, 0x0.0p+0, -0x1.0000000000000p+0,
    kNaN, 0x1.1400000000000p+6, -0x1.1800000000000p+6, 0x1.0000000000000p+1,
    0x1.4e7b4f70066e8p+999, 0x1.7000000000000p+4, -0x1.0000000000000p+2, 0x1.8000000000000p+1,
    -kInf, kInf, -0x1.0000000000000p+0, 0x0.0p+0, kNaN, -0x1.1800000000000p+6,
    0x1.1400000000000p+6, -0x1.8000000000000p+1, -0x1.4e7b4f70066e8p+999, -0x1.8000000000000p+4,
    0x0.0p+0, -0x0.0p+0, kNaN, kNaN, 0x0.0p+0, -0x0.0p+0, kNaN, 0x0.0p+0, -0x0.0p+0, 0x0.0p+0,
    0x0.0p+0, 0x0.0p+0, -0x0.0p+0, 0x0.0p+0, kNaN, kNaN, -0x0.0p+0, 0x0.0p+0, kNaN, -0x0.0p+0,
    0x0.0p+0, -0x0.0p+0, -0x0.0p+0, -0x0.0p+0, 0x1.0000000000000p+1, -0x1.8000000000000p+1, kInf,
    -kInf, 0x0.0p+0, -0x1.0000000000000p+0, kNaN, 0x1.b000000000000p+5, -0x1.b800000000000p+5,
    0x1.0000000000000p+0, 0x1.06ce99d8050dbp+999, 0x1.2000000000000p+4, -0x1.8000000000000p+1,
    0x1.0000000000000p+1, -kInf, kInf, -0x1.0000000000000p+0, 0x0.0p+0, kNaN,
    -0x1.b800000000000p+5, 0x1.b000000000000p+5, -0x1.0000000000000p+1, -0x1.06ce99d8050dbp+999,
    -0x1.3000000000000p+4, 0x0.0p+0, -0x1.0000000000000p+0, kInf, -kInf, 0x0.0p+0,
    -0x1.0000000000000p+0, kNaN, 0x1.2000000000000p+3, -0x1.4000000000000p+3, 0x0.0p+0,
    0x1.7e43c8800759bp+996, 0x1.8000000000000p+1, kNaN, kNaN, kInf, -kInf, kNaN, kNaN, kNaN, kNaN,
    kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, -kInf, kInf, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN,
    kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN,
    0x1.7e43c8800759cp+995, -0x1.7e43c8800759cp+995, kInf, -kInf, 0x0.0p+0, -0x1.0000000000000p+0,
    kNaN, 0x1.ddd4baa009303p+999, -0x1.ddd4baa009303p+999, 0x1.fdafb60009cd0p+994, kInf,
    0x1.3e8dd1c006202p+998, 0x0.0p+0, -0x1.0000000000000p+0, kInf, -kInf, 0x0.0p+0,
    -0x1.0000000000000p+0, kNaN, 0x0.0p+0, -0x1.0000000000000p+0, 0x0.0p+0, 0x1.0000000000000p+0,
    0x0.0p+0, 0x0.0p+0, -0x1.0000000000000p+0, kInf, -kInf, 0x0.0p+0, -0x1.0000000000000p+0, kNaN,
    0x1.0000000000000p+0, -0x1.0000000000000p+0, 0x0.0p+0, 0x1.31cfd3999f7b0p+993, 0x0.0p+0,
    -0x1.0000000000000p+0, 0x0.0p+0, -kInf, kInf, -0x1.0000000000000p+0, 0x0.0p+0, kNaN,
    -0x1.0000000000000p+0, 0x1.0000000000000p+0, -0x1.0000000000000p+0, -0x1.31cfd3999f7b0p+993,
    -0x1.0000000000000p+0, 0x1.0000000000000p+0, -0x1.0000000000000p+1, kInf, -kInf, 0x0.0p+0,
    -0x1.0000000000000p+0, kNaN, 0x1.d000000000000p+4, -0x1.e000000000000p+4, 0x1.0000000000000p+0,
    0x1.1eb2d66005835p+998, 0x1.4000000000000p+3
};
const double kMod64[] = {
    0x1.0000000000000p+0, -0x1.0000000000000p+0, kNaN, kNaN, 0x1.c000000000000p+2, -kInf, kNaN,
    0x1.999999999997ep-4, -0x1.c000000000000p-52, 0x1.0000000000000p+0, 0x1.781da09e952d0p-999,
    0x1.99999999999acp-4, 0x1.0000000000000p+0, -0x1.0000000000000p+0, kNaN, kNaN, kInf,
    -0x1.c000000000000p+2, kNaN, 0x1.c000000000000p-52, -0x1.999999999997ep-4,
    0x1.0000000000000p+1, 0x1.f1b5280fd3d4ap-998, 0x1.9999999999990p-3, 0x0.0p+0, -0x0.0p+0, kNaN,
    kNaN, 0x0.0p+0, -0x0.0p+0, kNaN, 0x0.0p+0, -0x0.0p+0, 0x0.0p+0, 0x0.0p+0, 0x0.0p+0, 0x0.0p+0,
    -0x0.0p+0, kNaN, kNaN, 0x0.0p+0, -0x0.0p+0, kNaN, 0x0.0p+0, -0x0.0p+0, 0x0.0p+0, 0x0.0p+0,
    0x0.0p+0, 0x1.8000000000000p+0, -0x1.0000000000000p-1, kNaN, kNaN, 0x1.6000000000000p+2, -kInf,
    kNaN, 0x1.9999999999984p-4, -0x1.6000000000000p-52, 0x1.4000000000000p+1,
    0x1.3ecbcf1c8cbcdp-997, 0x1.99999999999a8p-4, 0x1.0000000000000p-1, -0x1.8000000000000p+0,
    kNaN, kNaN, kInf, -0x1.6000000000000p+2, kNaN, 0x1.6000000000000p-52, -0x1.9999999999984p-4,
    0x1.0000000000000p-1, 0x1.8162d130278c0p-1001, 0x1.9999999999992p-3, 0x1.0000000000000p+0,
    -0x1.0000000000000p+0, kNaN, kNaN, 0x1.0000000000000p+0, -kInf, kNaN, 0x1.9999999999996p-4,
    -0x1.0000000000000p-54, 0x1.0000000000000p+0, 0x1.33550b9c24a66p-997, 0x1.999999999999cp-4,
    kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN,
    kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN,
    kNaN, kNaN, kNaN, kNaN, 0x0.0p+0, -0x0.0p+0, kNaN, kNaN, 0x1.7e43c8800759cp+996, -kInf, kNaN,
    0x1.d66e81bc37800p-14, -0x1.9923fdf92a8bcp-4, 0x0.0p+0, 0x1.4f722a6f79f9cp-998,
    0x1.39ca9efec80b2p-3, 0x1.56e1fc2f8f359p-997, -0x1.0000000000000p+1, kNaN, kNaN,
    0x1.56e1fc2f8f359p-997, -kInf, kNaN, 0x1.56e1fc2f8f359p-997, -0x1.999999999999ap-4,
    0x1.56e1fc2f8f359p-997, 0x0.0p+0, 0x1.56e1fc2f8f359p-997, 0x1.999999999999ap-4,
    -0x1.e666666666666p+0, kNaN, kNaN, 0x1.999999999999ap-4, -kInf, kNaN, 0x0.0p+0, -0x0.0p+0,
    0x1.999999999999ap-4, 0x1.7350d4134aec0p-1000, 0x1.999999999999ap-4, 0x1.e666666666666p+0,
    -0x1.999999999999ap-4, kNaN, kNaN, kInf, -0x1.999999999999ap-4, kNaN, 0x0.0p+0, -0x0.0p+0,
    0x1.7333333333333p+1, 0x1.2877e1ad25d81p-997, 0x1.9999999999999p-3, 0x1.0000000000000p+0,
    -0x1.0000000000000p+0, kNaN, kNaN, 0x1.8000000000000p+1, -kInf, kNaN, 0x1.999999999998ep-4,
    -0x1.8000000000000p-53, 0x0.0p+0, 0x1.d87654ea9f100p-998, 0x1.0000000000000p-53
};
const double kFloorDiv32[] = {
    0x1.8000000000000p+1, -0x1.0000000000000p+2, kInf, -kInf, 0x0.0p+0, -0x1.0000000000000p+0,
    kNaN, 0x1.1400000000000p+6, -0x1.1800000000000p+6, 0x1.0000000000000p+1, kInf,
    0x1.7000000000000p+4, -0x1.0000000000000p+2, 0x1.8000000000000p+1, -kInf, kInf,
    -0x1.0000000000000p+0, 0x0.0p+0, kNaN, -0x1.1800000000000p+6, 0x1.1400000000000p+6,
    -0x1.8000000000000p+1, -kInf, -0x1.8000000000000p+4, 0x0.0p+0, -0x0.0p+0, kNaN, kNaN, 0x0.0p+0,
    -0x0.0p+0, kNaN, 0x0.0p+0, -0x0.0p+0, 0x0.0p+0, kNaN, 0x0.0p+0, -0x0.0p+0, 0x0.0p+0, kNaN,
    kNaN, -0x0.0p+0, 0x0.0p+0, kNaN, -0x0.0p+0, 0x0.0p+0, -0x0.0p+0, kNaN, -0x0.0p+0,
    0x1.0000000000000p+1, -0x1.8000000000000p+1, kInf, -kInf, 0x0.0p+0, -0x1.0000000000000p+0,
    kNaN, 0x1.b000000000000p+5, -0x1.b800000000000p+5, 0x1.0000000000000p+0, kInf,
    0x1.2000000000000p+4, -0x1.8000000000000p+1, 0x1.0000000000000p+1, -kInf, kInf,
    -0x1.0000000000000p+0, 0x0.0p+0, kNaN, -0x1.b800000000000p+5, 0x1.b000000000000p+5,
    -0x1.0000000000000p+1, -kInf, -0x1.3000000000000p+4, 0x0.0p+0, -0x1.0000000000000p+0, kInf,
    -kInf, 0x0.0p+0, -0x1.0000000000000p+0, kNaN, 0x1.2000000000000p+3, -0x1.4000000000000p+3,
    0x0.0p+0, kInf, 0x1.8000000000000p+1, kNaN, kNaN, kInf, -kInf, kNaN, kNaN, kNaN, kNaN, kNaN,
    kNaN, kInf, kNaN, kNaN, kNaN, -kInf, kInf, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, -kInf, kNaN,
    kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kInf,
    -kInf, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kInf, kNaN, 0x0.0p+0, -0x0.0p+0, kNaN, kNaN,
    0x0.0p+0, -0x0.0p+0, kNaN, 0x0.0p+0, -0x0.0p+0, 0x0.0p+0, kNaN, 0x0.0p+0, 0x0.0p+0,
    -0x1.0000000000000p+0, kInf, -kInf, 0x0.0p+0, -0x1.0000000000000p+0, kNaN,
    0x1.0000000000000p+0, -0x1.0000000000000p+0, 0x0.0p+0, kInf, 0x0.0p+0, -0x1.0000000000000p+0,
    0x0.0p+0, -kInf, kInf, -0x1.0000000000000p+0, 0x0.0p+0, kNaN, -0x1.0000000000000p+0,
    0x1.0000000000000p+0, -0x1.0000000000000p+0, -kInf, -0x1.0000000000000p+0,
    0x1.0000000000000p+0, -0x1.0000000000000p+1, kInf, -kInf, 0x0.0p+0, -0x1.0000000000000p+0,
    kNaN, 0x1.d000000000000p+4, -0x1.e000000000000p+4, 0x1.0000000000000p+0, kInf,
    0x1.2000000000000p+3
};
const double kMod32[] = {
    0x1.0000000000000p+0, -0x1.0000000000000p+0, kNaN, kNaN, 0x1.c000000000000p+2, -kInf, kNaN,
    0x1.99997e0000000p-4, -0x1.c000000000000p-24, 0x1.0000000000000p+0, kNaN, 0x1.9999500000000p-4,
    0x1.0000000000000p+0, -0x1.0000000000000p+0, kNaN, kNaN, kInf, -0x1.c000000000000p+2, kNaN,
    0x1.c000000000000p-24, -0x1.99997e0000000p-4, 0x1.0000000000000p+1, kNaN, 0x1.9999c00000000p-3,
    0x0.0p+0, -0x0.0p+0, kNaN, kNaN, 0x0.0p+0, -0x0.0p+0, kNaN, 0x0.0p+0, -0x0.0p+0, 0x0.0p+0,
    kNaN, 0x0.0p+0, 0x0.0p+0, -0x0.0p+0, kNaN, kNaN, 0x0.0p+0, -0x0.0p+0, kNaN, 0x0.0p+0,
    -0x0.0p+0, 0x0.0p+0, kNaN, 0x0.0p+0, 0x1.8000000000000p+0, -0x1.0000000000000p-1, kNaN, kNaN,
    0x1.6000000000000p+2, -kInf, kNaN, 0x1.9999840000000p-4, -0x1.6000000000000p-24,
    0x1.4000000000000p+1, kNaN, 0x1.9999600000000p-4, 0x1.0000000000000p-1, -0x1.8000000000000p+0,
    kNaN, kNaN, kInf, -0x1.6000000000000p+2, kNaN, 0x1.6000000000000p-24, -0x1.9999840000000p-4,
    0x1.0000000000000p-1, kNaN, 0x1.9999b80000000p-3, 0x1.0000000000000p+0, -0x1.0000000000000p+0,
    kNaN, kNaN, 0x1.0000000000000p+0, -kInf, kNaN, 0x1.9999960000000p-4, -0x1.0000000000000p-26,
    0x1.0000000000000p+0, kNaN, 0x1.9999900000000p-4, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN,
    kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN,
    kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN,
    kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, 0x0.0p+0, -0x0.0p+0, kNaN, kNaN,
    0x0.0p+0, -0x0.0p+0, kNaN, 0x0.0p+0, -0x0.0p+0, 0x0.0p+0, kNaN, 0x0.0p+0, 0x1.99999a0000000p-4,
    -0x1.e666660000000p+0, kNaN, kNaN, 0x1.99999a0000000p-4, -kInf, kNaN, 0x0.0p+0, -0x0.0p+0,
    0x1.99999a0000000p-4, kNaN, 0x1.99999a0000000p-4, 0x1.e666660000000p+0, -0x1.99999a0000000p-4,
    kNaN, kNaN, kInf, -0x1.99999a0000000p-4, kNaN, 0x0.0p+0, -0x0.0p+0, 0x1.7333340000000p+1, kNaN,
    0x1.99999c0000000p-3, 0x1.0000000000000p+0, -0x1.0000000000000p+0, kNaN, kNaN,
    0x1.8000000000000p+1, -kInf, kNaN, 0x1.99998e0000000p-4, -0x1.8000000000000p-25, 0x0.0p+0,
    kNaN, 0x1.33332c0000000p-2
};
const int64_t kIntFloorDiv64[] = {
    3LL, -4LL, 2LL, -3LL, 0LL, -7LL, 7LL, -1LL, 0LL, 1LL, -4LL, 3LL, -3LL, 2LL, 0LL, 7LL, -7LL,
    0LL, -1LL, -1LL, 0LL, 0LL, 0LL, 0LL, 0LL, 0LL, 0LL, 0LL, 0LL, 0LL, 2LL, -3LL, 1LL, -2LL, 0LL,
    -5LL, 5LL, -1LL, 0LL, 0LL, -3LL, 2LL, -2LL, 1LL, 0LL, 5LL, -5LL, 0LL, -1LL, -1LL, 0LL, -1LL,
    0LL, -1LL, 0LL, -1LL, 1LL, -1LL, 0LL, 0LL, -1LL, 0LL, -1LL, 0LL, 0LL, 1LL, -1LL, 0LL, -1LL,
    -1LL, -4611686018427387904LL, 4611686018427387904LL, -3074457345618258603LL,
    3074457345618258602LL, 0LL, INT64_MIN, INT64_MIN, 1LL, -2LL, -1317624576693539402LL,
    4611686018427387903LL, -4611686018427387904LL, 3074457345618258602LL, -3074457345618258603LL,
    0LL, -9223372036854775807LL, 9223372036854775807LL, -1LL, 1LL, 1317624576693539401LL, 1LL,
    -2LL, 1LL, -1LL, 0LL, -3LL, 3LL, -1LL, 0LL, 0LL
};
const int64_t kIntMod64[] = {
    1LL, -1LL, 1LL, -2LL, 0LL, 0LL, 0LL, -9223372036854775801LL, 7LL, 0LL, 1LL, -1LL, 2LL, -1LL,
    0LL, 0LL, 0LL, -7LL, 9223372036854775800LL, 0LL, 0LL, 0LL, 0LL, 0LL, 0LL, 0LL, 0LL, 0LL, 0LL,
    0LL, 1LL, -1LL, 2LL, -1LL, 0LL, 0LL, 0LL, -9223372036854775803LL, 5LL, 5LL, 1LL, -1LL, 1LL,
    -2LL, 0LL, 0LL, 0LL, -5LL, 9223372036854775802LL, 2LL, 1LL, -1LL, 1LL, -2LL, 0LL, 0LL, 0LL,
    -9223372036854775807LL, 1LL, 1LL, 1LL, -1LL, 2LL, -1LL, 0LL, 0LL, 0LL, -1LL,
    9223372036854775806LL, 6LL, 0LL, 0LL, 1LL, -2LL, 0LL, 0LL, 0LL, 0LL, 9223372036854775806LL,
    6LL, 1LL, -1LL, 1LL, -2LL, 0LL, 0LL, 0LL, -1LL, 0LL, 0LL, 1LL, -1LL, 0LL, 0LL, 0LL, 0LL, 0LL,
    -9223372036854775805LL, 3LL, 3LL
};
const int64_t kIntFloorDiv32[] = {
    3LL, -4LL, 2LL, -3LL, 0LL, -7LL, 7LL, -1LL, 0LL, 1LL, -4LL, 3LL, -3LL, 2LL, 0LL, 7LL, -7LL,
    0LL, -1LL, -1LL, 0LL, 0LL, 0LL, 0LL, 0LL, 0LL, 0LL, 0LL, 0LL, 0LL, 2LL, -3LL, 1LL, -2LL, 0LL,
    -5LL, 5LL, -1LL, 0LL, 0LL, -3LL, 2LL, -2LL, 1LL, 0LL, 5LL, -5LL, 0LL, -1LL, -1LL, 0LL, -1LL,
    0LL, -1LL, 0LL, -1LL, 1LL, -1LL, 0LL, 0LL, -1LL, 0LL, -1LL, 0LL, 0LL, 1LL, -1LL, 0LL, -1LL,
    -1LL, -1073741824LL, 1073741824LL, -715827883LL, 715827882LL, 0LL, -2147483648LL,
    -2147483648LL, 1LL, -2LL, -306783379LL, 1073741823LL, -1073741824LL, 715827882LL, -715827883LL,
    0LL, -2147483647LL, 2147483647LL, -1LL, 1LL, 306783378LL, 1LL, -2LL, 1LL, -1LL, 0LL, -3LL, 3LL,
    -1LL, 0LL, 0LL
};
const int64_t kIntMod32[] = {
    1LL, -1LL, 1LL, -2LL, 0LL, 0LL, 0LL, -2147483641LL, 7LL, 0LL, 1LL, -1LL, 2LL, -1LL, 0LL, 0LL,
    0LL, -7LL, 2147483640LL, 0LL, 0LL, 0LL, 0LL, 0LL, 0LL, 0LL, 0LL, 0LL, 0LL, 0LL, 1LL, -1LL, 2LL,
    -1LL, 0LL, 0LL, 0LL, -2147483643LL, 5LL, 5LL, 1LL, -1LL, 1LL, -2LL, 0LL, 0LL, 0LL, -5LL,
    2147483642LL, 2LL, 1LL, -1LL, 1LL, -2LL, 0LL, 0LL, 0LL, -2147483647LL, 1LL, 1LL, 1LL, -1LL,
    2LL, -1LL, 0LL, 0LL, 0LL, -1LL, 2147483646LL, 6LL, 0LL, 0LL, 1LL, -2LL, 0LL, 0LL, 0LL, 0LL,
    2147483646LL, 5LL, 1LL, -1LL, 1LL, -2LL, 0LL, 0LL, 0LL, -1LL, 0LL, 1LL, 1LL, -1LL, 0LL, 0LL,
    0LL, 0LL, 0LL, -2147483645LL, 3LL, 3LL
};
const int64_t kIntPow64[] = {
    1LL, 2LL, 4LL, 8LL, 1024LL, 2147483648LL, 4611686018427387904LL, INT64_MIN, 0LL, 1LL, 3LL, 9LL,
    27LL, 59049LL, 617673396283947LL, 5069619362125685561LL, -3237885987332494933LL,
    -2984622845537545263LL, 1LL, -2LL, 4LL, -8LL, 1024LL, -2147483648LL, 4611686018427387904LL,
    INT64_MIN, 0LL, 1LL, 0LL, 0LL, 0LL, 0LL, 0LL, 0LL, 0LL, 0LL, 1LL, 1LL, 1LL, 1LL, 1LL, 1LL, 1LL,
    1LL, 1LL, 1LL, -1LL, 1LL, -1LL, 1LL, -1LL, 1LL, -1LL, 1LL, 1LL, 7LL, 49LL, 343LL, 282475249LL,
    -7409217536257189193LL, 3049328099758616273LL, 2898552624600762295LL, 3728452490685454945LL,
    1LL, -3LL, 9LL, -27LL, 59049LL, -617673396283947LL, 5069619362125685561LL,
    3237885987332494933LL, -2984622845537545263LL
};
const int64_t kIntPow32[] = {
    1LL, 2LL, 4LL, 8LL, 1024LL, -2147483648LL, 0LL, 0LL, 0LL, 1LL, 3LL, 9LL, 27LL, 59049LL,
    1264544299LL, 703701817LL, 2111105451LL, -818408495LL, 1LL, -2LL, 4LL, -8LL, 1024LL,
    -2147483648LL, 0LL, 0LL, 0LL, 1LL, 0LL, 0LL, 0LL, 0LL, 0LL, 0LL, 0LL, 0LL, 1LL, 1LL, 1LL, 1LL,
    1LL, 1LL, 1LL, 1LL, 1LL, 1LL, -1LL, 1LL, -1LL, 1LL, -1LL, 1LL, -1LL, 1LL, 1LL, 7LL, 49LL,
    343LL, 282475249LL, 265001655LL, 767209169LL, 1075496887LL, 1027218017LL, 1LL, -3LL, 9LL,
    -27LL, 59049LL, -1264544299LL, 703701817LL, -2111105451LL, -818408495LL
};
// clang-format on

template <class T>
std::vector<T> cross(const double* xs, size_t nx, const double* ys, size_t ny, bool first) {
  std::vector<T> out;
  for (size_t i = 0; i < nx; ++i)
    for (size_t j = 0; j < ny; ++j) out.push_back(static_cast<T>(first ? xs[i] : ys[j]));
  return out;
}

template <class T> void checkFloatDivMod(const double* wantDiv, const double* wantMod) {
  constexpr size_t nx = std::size(kDivA), ny = std::size(kDivB);
  auto a = cross<T>(kDivA, nx, kDivB, ny, true);
  auto b = cross<T>(kDivA, nx, kDivB, ny, false);
  DType t = dtypeOf<T>();
  auto div = runBinary<T>(KOp::FloorDiv, t, a, b);
  auto mod = runBinary<T>(KOp::Mod, t, a, b);
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_TRUE(sameValue(div[i], static_cast<T>(wantDiv[i])))
        << a[i] << " // " << b[i] << " = " << div[i] << ", NumPy: " << wantDiv[i];
    EXPECT_TRUE(sameValue(mod[i], static_cast<T>(wantMod[i])))
        << a[i] << " % " << b[i] << " = " << mod[i] << ", NumPy: " << wantMod[i];
  }
}

TEST(JitFloatDivMod, Float64MatchesNumPy) {
  checkFloatDivMod<double>(kFloorDiv64, kMod64);
}
TEST(JitFloatDivMod, Float32MatchesNumPy) {
  checkFloatDivMod<float>(kFloorDiv32, kMod32);
}

template <class T> T pick(int64_t v) {
  if (v == I64MIN) return std::numeric_limits<T>::min();
  if (v == I64MAX) return std::numeric_limits<T>::max();
  return static_cast<T>(v);
}

template <class T> void checkIntDivMod(const int64_t* wantDiv, const int64_t* wantMod) {
  const int64_t xs[] = {7, -7, 0, 5, -5, 1, -1, I64MIN, I64MAX, 3};
  const int64_t ys[] = {2, -2, 3, -3, 0, -1, 1, I64MIN, I64MAX, 7};
  std::vector<T> a, b;
  for (int64_t x : xs)
    for (int64_t y : ys) {
      a.push_back(pick<T>(x));
      b.push_back(pick<T>(y));
    }
  auto div = runBinary<T>(KOp::FloorDiv, dtypeOf<T>(), a, b);
  auto mod = runBinary<T>(KOp::Mod, dtypeOf<T>(), a, b);
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(div[i], static_cast<T>(wantDiv[i])) << a[i] << " // " << b[i];
    EXPECT_EQ(mod[i], static_cast<T>(wantMod[i])) << a[i] << " % " << b[i];
  }
}

TEST(JitIntDivMod, Int64MatchesNumPy) {
  checkIntDivMod<int64_t>(kIntFloorDiv64, kIntMod64);
}
TEST(JitIntDivMod, Int32MatchesNumPy) {
  checkIntDivMod<int32_t>(kIntFloorDiv32, kIntMod32);
}

template <class T> void checkIntPow(const int64_t* want) {
  const int64_t bases[] = {2, 3, -2, 0, 1, -1, 7, -3};
  const int64_t exps[] = {0, 1, 2, 3, 10, 31, 62, 63, 100};
  std::vector<T> a, b;
  for (int64_t x : bases)
    for (int64_t e : exps) {
      a.push_back(static_cast<T>(x));
      b.push_back(static_cast<T>(e));
    }
  int64_t flags = -1;
  auto r = runBinary<T>(KOp::Pow, dtypeOf<T>(), a, b, &flags);
  EXPECT_EQ(flags, 0);
  for (size_t i = 0; i < a.size(); ++i)
    EXPECT_EQ(r[i], static_cast<T>(want[i])) << a[i] << " ** " << b[i];
  // The same with each exponent as a constant (unrolled square-and-multiply).
  for (size_t j = 0; j < std::size(exps); ++j) {
    KB kb;
    int x = kb.input(dtypeOf<T>());
    Kernel k = kb.out(kb.op(KOp::Pow, dtypeOf<T>(), x, kb.constI(dtypeOf<T>(), exps[j])));
    std::vector<T> xs(std::begin(bases), std::end(bases));
    auto rc = runElementwise<T>(k, xs.size(), nullptr, xs);
    for (size_t i = 0; i < xs.size(); ++i)
      EXPECT_EQ(rc[i], static_cast<T>(want[i * std::size(exps) + j])) << xs[i] << " ** " << exps[j];
  }
}

TEST(JitIntPow, Int64MatchesNumPy) {
  checkIntPow<int64_t>(kIntPow64);
}
TEST(JitIntPow, Int32MatchesNumPy) {
  checkIntPow<int32_t>(kIntPow32);
}

TEST(JitIntPow, NegativeExponentSetsFlag) {
  int64_t flags = 0;
  runBinary<int64_t>(KOp::Pow, DType::Int64, std::vector<int64_t>{2, 2, 2},
                     std::vector<int64_t>{1, -1, 3}, &flags);
  EXPECT_EQ(flags, fusion::kErrorNegativePower);
  runBinary<int32_t>(KOp::Pow, DType::Int32, std::vector<int32_t>{2, 2}, std::vector<int32_t>{1, 3},
                     &flags);
  EXPECT_EQ(flags, 0);
}

TEST(JitFloatPow, ConstantExponentsFollowNumPyFastPaths) {
  std::vector<double> x{3.0, -0.0, -kInf, 0.1, 1e200, kNaN, 2.0, -2.5};
  auto withConst = [&](double c) {
    KB kb;
    int in = kb.input(DType::Float64);
    Kernel k = kb.out(kb.op(KOp::Pow, DType::Float64, in, kb.constF(DType::Float64, c)));
    return runElementwise<double>(k, x.size(), nullptr, x);
  };
  auto sq = withConst(2.0), root = withConst(0.5), one = withConst(1.0), inv = withConst(-1.0),
       zero = withConst(0.0), cube = withConst(3.0);
  for (size_t i = 0; i < x.size(); ++i) {
    EXPECT_TRUE(sameValue(sq[i], x[i] * x[i])) << x[i];
    EXPECT_TRUE(sameValue(root[i], std::sqrt(x[i]))) << x[i]; // sqrt(-0.) = -0., like NumPy
    EXPECT_TRUE(sameValue(one[i], x[i])) << x[i];
    EXPECT_TRUE(sameValue(inv[i], 1.0 / x[i])) << x[i];
    EXPECT_EQ(zero[i], 1.0) << x[i];
    EXPECT_TRUE(sameValue(cube[i], std::pow(x[i], 3.0))) << x[i];
  }
}

TEST(JitFloatPow, VariableExponentIsLibmPow) {
  std::vector<double> a{2.0, 10.0, -8.0, 0.5, 3.7, -2.0, 0.0, kInf};
  std::vector<double> b{10.0, -2.0, 1.0 / 3, 0.5, 2.2, 3.0, -1.0, -0.5};
  auto r = runBinary<double>(KOp::Pow, DType::Float64, a, b);
  for (size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(sameValue(r[i], std::pow(a[i], b[i])));
  std::vector<float> af(a.begin(), a.end()), bf(b.begin(), b.end());
  auto rf = runBinary<float>(KOp::Pow, DType::Float32, af, bf);
  for (size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(sameValue(rf[i], std::pow(af[i], bf[i])));
}

TEST(JitArithmetic, IntegersWrap) {
  std::vector<int64_t> a{I64MAX, I64MIN, 5, -3}, b{1, 1, 7, I64MAX};
  auto add = runBinary<int64_t>(KOp::Add, DType::Int64, a, b);
  auto sub = runBinary<int64_t>(KOp::Sub, DType::Int64, a, b);
  auto mul = runBinary<int64_t>(KOp::Mul, DType::Int64, a, b);
  EXPECT_EQ(add, (std::vector<int64_t>{I64MIN, I64MIN + 1, 12, I64MAX - 3}));
  EXPECT_EQ(sub, (std::vector<int64_t>{I64MAX - 1, I64MAX, -2, I64MAX - 1}));
  EXPECT_EQ(mul, (std::vector<int64_t>{I64MAX, I64MIN, 35, I64MIN + 3}));
  std::vector<int32_t> c{I32MAX, I32MIN, 65536}, d{1, -1, 65536};
  EXPECT_EQ(runBinary<int32_t>(KOp::Add, DType::Int32, c, d),
            (std::vector<int32_t>{I32MIN, I32MAX, 131072}));
  EXPECT_EQ(runBinary<int32_t>(KOp::Mul, DType::Int32, c, d),
            (std::vector<int32_t>{I32MAX, I32MIN, 0}));
  EXPECT_EQ(runUnary<int64_t>(KOp::Neg, DType::Int64, std::vector<int64_t>{I64MIN, 5, 0}),
            (std::vector<int64_t>{I64MIN, -5, 0}));
  EXPECT_EQ(runUnary<int32_t>(KOp::Abs, DType::Int32, std::vector<int32_t>{I32MIN, -5, 7}),
            (std::vector<int32_t>{I32MIN, 5, 7}));
}

TEST(JitArithmetic, FloatsAreIeeeWithoutContraction) {
  // a*b+c must round twice (no FMA): 0.1*10 - 1 == 0 in double rounding,
  // 5.55e-17 with a fused multiply-add.
  KB kb;
  int a = kb.input(DType::Float64), b = kb.input(DType::Float64), c = kb.input(DType::Float64);
  Kernel k = kb.out(kb.op(KOp::Add, DType::Float64, kb.op(KOp::Mul, DType::Float64, a, b), c));
  std::vector<double> x(37, 0.1), y(37, 10.0), z(37, -1.0);
  auto r = runElementwise<double>(k, 37, nullptr, x, y, z);
  for (double v : r) EXPECT_EQ(v, 0.1 * 10.0 - 1.0);
  std::vector<double> p{1.0, -0.0, kInf, kNaN, 1e308}, q{3.0, 0.0, kInf, 1.0, 10.0};
  auto add = runBinary<double>(KOp::Add, DType::Float64, p, q);
  auto sub = runBinary<double>(KOp::Sub, DType::Float64, p, q);
  auto mul = runBinary<double>(KOp::Mul, DType::Float64, p, q);
  auto div = runBinary<double>(KOp::Div, DType::Float64, p, q);
  for (size_t i = 0; i < p.size(); ++i) {
    EXPECT_TRUE(sameValue(add[i], p[i] + q[i]));
    EXPECT_TRUE(sameValue(sub[i], p[i] - q[i]));
    EXPECT_TRUE(sameValue(mul[i], p[i] * q[i]));
    EXPECT_TRUE(sameValue(div[i], p[i] / q[i]));
  }
  auto neg = runUnary<double>(KOp::Neg, DType::Float64, std::vector<double>{0.0, -1.5});
  EXPECT_TRUE(std::signbit(neg[0]));
  EXPECT_EQ(neg[1], 1.5);
  std::vector<float> f{1.1f, -2.5f, 3.0e38f}, g{2.2f, 0.5f, 10.0f};
  auto fm = runBinary<float>(KOp::Mul, DType::Float32, f, g);
  for (size_t i = 0; i < f.size(); ++i) EXPECT_TRUE(sameValue(fm[i], f[i] * g[i]));
}

TEST(JitArithmetic, BoolAddIsOrAndMulIsAnd) {
  std::vector<uint8_t> a{0, 0, 1, 1}, b{0, 1, 0, 1};
  EXPECT_EQ(runBinary<uint8_t>(KOp::Add, DType::Bool, a, b), (std::vector<uint8_t>{0, 1, 1, 1}));
  EXPECT_EQ(runBinary<uint8_t>(KOp::Mul, DType::Bool, a, b), (std::vector<uint8_t>{0, 0, 0, 1}));
  EXPECT_EQ(runBinary<uint8_t>(KOp::Maximum, DType::Bool, a, b),
            (std::vector<uint8_t>{0, 1, 1, 1}));
  EXPECT_EQ(runBinary<uint8_t>(KOp::Minimum, DType::Bool, a, b),
            (std::vector<uint8_t>{0, 0, 0, 1}));
  EXPECT_EQ(runBinary<uint8_t>(KOp::BitXor, DType::Bool, a, b), (std::vector<uint8_t>{0, 1, 1, 0}));
  EXPECT_EQ(runUnary<uint8_t>(KOp::Invert, DType::Bool, a), (std::vector<uint8_t>{1, 1, 0, 0}));
  EXPECT_EQ(runUnary<uint8_t>(KOp::Abs, DType::Bool, a), a);
}

TEST(JitArithmetic, BoolBytesOtherThanOneLoadAsTrue) {
  std::vector<uint8_t> a{2, 0, 255, 1};
  EXPECT_EQ(runUnary<uint8_t>(KOp::Invert, DType::Bool, a), (std::vector<uint8_t>{0, 1, 0, 0}));
}

TEST(JitBitwise, Integers) {
  std::vector<int64_t> a{0x0F0F, -1, 12345}, b{0x00FF, I64MIN, -12345};
  EXPECT_EQ(runBinary<int64_t>(KOp::BitAnd, DType::Int64, a, b),
            (std::vector<int64_t>{0x000F, I64MIN, 12345 & -12345}));
  EXPECT_EQ(runBinary<int64_t>(KOp::BitOr, DType::Int64, a, b),
            (std::vector<int64_t>{0x0FFF, -1, 12345 | -12345}));
  EXPECT_EQ(runBinary<int64_t>(KOp::BitXor, DType::Int64, a, b),
            (std::vector<int64_t>{0x0FF0, I64MAX, 12345 ^ -12345}));
  EXPECT_EQ(runUnary<int32_t>(KOp::Invert, DType::Int32, std::vector<int32_t>{0, -1, 5}),
            (std::vector<int32_t>{-1, 0, -6}));
}

TEST(JitMinMax, FloatsPropagateNaNAndTiesPickTheSecond) {
  // NumPy 1.24: maximum([-0., 0., nan, 1.], [0., -0., 1., nan]) = [0., -0., nan, nan]
  std::vector<double> a{-0.0, 0.0, kNaN, 1.0, 2.0, -kInf}, b{0.0, -0.0, 1.0, kNaN, 1.0, 3.0};
  auto mx = runBinary<double>(KOp::Maximum, DType::Float64, a, b);
  auto mn = runBinary<double>(KOp::Minimum, DType::Float64, a, b);
  std::vector<double> wantMax{0.0, -0.0, kNaN, kNaN, 2.0, 3.0},
      wantMin{0.0, -0.0, kNaN, kNaN, 1.0, -kInf};
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_TRUE(sameValue(mx[i], wantMax[i])) << i;
    EXPECT_TRUE(sameValue(mn[i], wantMin[i])) << i;
  }
  auto fmx = runBinary<double>(KOp::FMax, DType::Float64, a, b);
  auto fmn = runBinary<double>(KOp::FMin, DType::Float64, a, b);
  EXPECT_EQ(fmx[2], 1.0);
  EXPECT_EQ(fmx[3], 1.0);
  EXPECT_EQ(fmn[2], 1.0);
  EXPECT_EQ(fmx[5], 3.0);
  EXPECT_EQ(fmn[5], -kInf);
  std::vector<float> fa{kNaN, 1.0f, 5.0f}, fb{2.0f, kNaN, 4.0f};
  auto f32 = runBinary<float>(KOp::Maximum, DType::Float32, fa, fb);
  EXPECT_TRUE(std::isnan(f32[0]) && std::isnan(f32[1]));
  EXPECT_EQ(f32[2], 5.0f);
}

TEST(JitMinMax, Integers) {
  std::vector<int64_t> a{I64MIN, 5, -3}, b{I64MAX, 5, -4};
  EXPECT_EQ(runBinary<int64_t>(KOp::Maximum, DType::Int64, a, b),
            (std::vector<int64_t>{I64MAX, 5, -3}));
  EXPECT_EQ(runBinary<int64_t>(KOp::Minimum, DType::Int64, a, b),
            (std::vector<int64_t>{I64MIN, 5, -4}));
  std::vector<int32_t> c{I32MIN, 1}, d{0, -1};
  EXPECT_EQ(runBinary<int32_t>(KOp::Maximum, DType::Int32, c, d), (std::vector<int32_t>{0, 1}));
}

TEST(JitCompare, FloatsIntsAndBools) {
  std::vector<double> a{1.0, kNaN, 2.0, -0.0, kInf}, b{1.0, kNaN, 1.0, 0.0, kNaN};
  const KOp ops[] = {KOp::Eq, KOp::Ne, KOp::Lt, KOp::Le, KOp::Gt, KOp::Ge};
  auto ref = [](KOp op, auto x, auto y) -> uint8_t {
    switch (op) {
      case KOp::Eq:
        return x == y;
      case KOp::Ne:
        return x != y;
      case KOp::Lt:
        return x < y;
      case KOp::Le:
        return x <= y;
      case KOp::Gt:
        return x > y;
      default:
        return x >= y;
    }
  };
  for (KOp op : ops) {
    auto r = runBinary<uint8_t>(op, DType::Bool, a, b);
    for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(r[i], ref(op, a[i], b[i])) << kopName(op) << i;
    std::vector<int32_t> c{I32MIN, 3, 4}, d{I32MAX, 3, -4};
    auto ri = runBinary<uint8_t>(op, DType::Bool, c, d);
    for (size_t i = 0; i < c.size(); ++i) EXPECT_EQ(ri[i], ref(op, c[i], d[i])) << kopName(op) << i;
    std::vector<uint8_t> e{0, 0, 1, 1}, f{0, 1, 0, 1};
    auto rb = runBinary<uint8_t>(op, DType::Bool, e, f);
    for (size_t i = 0; i < e.size(); ++i) EXPECT_EQ(rb[i], ref(op, e[i], f[i])) << kopName(op) << i;
  }
}

TEST(JitUnary, RoundingSqrtAbsSignAndTests) {
  std::vector<double> x{2.5,   -2.5, 3.5,   -0.0, 0.49999999999999994, -7.7, kInf,
                        -kInf, kNaN, 1e300, 2.0};
  auto check = [&](KOp op, double (*ref)(double)) {
    auto r = runUnary<double>(op, DType::Float64, x);
    for (size_t i = 0; i < x.size(); ++i)
      EXPECT_TRUE(sameValue(r[i], ref(x[i]))) << kopName(op) << "(" << x[i] << ") = " << r[i];
  };
  check(KOp::Floor, [](double v) { return std::floor(v); });
  check(KOp::Ceil, [](double v) { return std::ceil(v); });
  check(KOp::Trunc, [](double v) { return std::trunc(v); });
  check(KOp::Rint, [](double v) { return std::nearbyint(v); }); // half to even
  check(KOp::Sqrt, [](double v) { return std::sqrt(v); });
  check(KOp::Abs, [](double v) { return std::fabs(v); });
  check(KOp::Sign, [](double v) { return v > 0 ? 1.0 : v < 0 ? -1.0 : v == 0 ? 0.0 : v; });
  auto isnan = runUnary<uint8_t>(KOp::IsNan, DType::Bool, x);
  auto isinf = runUnary<uint8_t>(KOp::IsInf, DType::Bool, x);
  auto isfinite = runUnary<uint8_t>(KOp::IsFinite, DType::Bool, x);
  for (size_t i = 0; i < x.size(); ++i) {
    EXPECT_EQ(isnan[i], std::isnan(x[i]));
    EXPECT_EQ(isinf[i], std::isinf(x[i]));
    EXPECT_EQ(isfinite[i], std::isfinite(x[i]));
  }
  auto sign0 = runUnary<double>(KOp::Sign, DType::Float64, std::vector<double>{-0.0});
  EXPECT_FALSE(std::signbit(sign0[0])); // NumPy: sign(-0.) == +0.
  EXPECT_EQ(runUnary<int64_t>(KOp::Sign, DType::Int64, std::vector<int64_t>{I64MIN, 0, 9}),
            (std::vector<int64_t>{-1, 0, 1}));
  std::vector<float> f{2.0f, -0.0f, 1e-45f, 3.4e38f};
  auto sf = runUnary<float>(KOp::Sqrt, DType::Float32, f);
  for (size_t i = 0; i < f.size(); ++i) EXPECT_TRUE(sameValue(sf[i], std::sqrt(f[i])));
}

TEST(JitWhere, SelectsPerElement) {
  KB kb;
  int c = kb.input(DType::Bool), a = kb.input(DType::Int64), b = kb.input(DType::Int64);
  Kernel k = kb.out(kb.op(KOp::Where, DType::Int64, c, a, b));
  std::vector<uint8_t> cond{1, 0, 3, 0};
  std::vector<int64_t> x{1, 2, 3, 4}, y{-1, -2, -3, -4};
  EXPECT_EQ(runElementwise<int64_t>(k, 4, nullptr, cond, x, y),
            (std::vector<int64_t>{1, -2, 3, -4}));
}

/// NumPy's astype results on x86 (pasted from NumPy 1.24.2).
TEST(JitCast, FloatToIntIsIntMinForNaNInfAndOutOfRange) {
  std::vector<double> x{kNaN, kInf, -kInf, 3e9, -3e9, 2.7, -2.7, -2147483648.5, 2147483647.5};
  int64_t flags = 0;
  auto r = runUnary<int32_t>(KOp::Cast, DType::Int32, x, &flags);
  EXPECT_EQ(r,
            (std::vector<int32_t>{I32MIN, I32MIN, I32MIN, I32MIN, I32MIN, 2, -2, I32MIN, I32MAX}));
  EXPECT_EQ(flags, fusion::kErrorInvalidCast);
  std::vector<double> y{kNaN, kInf, -kInf, 1e19, -1e19, 2.7, -2.7};
  auto r64 = runUnary<int64_t>(KOp::Cast, DType::Int64, y);
  EXPECT_EQ(r64, (std::vector<int64_t>{I64MIN, I64MIN, I64MIN, I64MIN, I64MIN, 2, -2}));
  std::vector<float> z{kNaN, INFINITY, -INFINITY, 3e9f, -3e9f, 2.7f, -2.7f};
  EXPECT_EQ(runUnary<int32_t>(KOp::Cast, DType::Int32, z),
            (std::vector<int32_t>{I32MIN, I32MIN, I32MIN, I32MIN, I32MIN, 2, -2}));
  EXPECT_EQ(runUnary<int64_t>(KOp::Cast, DType::Int64, z),
            (std::vector<int64_t>{I64MIN, I64MIN, I64MIN, 3000000000LL, -3000000000LL, 2, -2}));
  flags = 0;
  runUnary<int64_t>(KOp::Cast, DType::Int64, std::vector<double>{1.5, -1e18}, &flags);
  EXPECT_EQ(flags, 0);
}

TEST(JitCast, BoolIntFloatConversions) {
  std::vector<double> x{kNaN, -0.0, 0.0, 0.5, -kInf};
  EXPECT_EQ(runUnary<uint8_t>(KOp::Cast, DType::Bool, x), (std::vector<uint8_t>{1, 0, 0, 1, 1}));
  EXPECT_EQ(runUnary<uint8_t>(KOp::Cast, DType::Bool, std::vector<int32_t>{0, -1, 7}),
            (std::vector<uint8_t>{0, 1, 1}));
  EXPECT_EQ(runUnary<double>(KOp::Cast, DType::Float64, std::vector<uint8_t>{0, 1, 2}),
            (std::vector<double>{0.0, 1.0, 1.0}));
  EXPECT_EQ(runUnary<int64_t>(KOp::Cast, DType::Int64, std::vector<uint8_t>{0, 1}),
            (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(runUnary<int32_t>(KOp::Cast, DType::Int32, std::vector<int64_t>{1LL << 32, -1, I64MAX}),
            (std::vector<int32_t>{0, -1, -1}));
  EXPECT_EQ(runUnary<int64_t>(KOp::Cast, DType::Int64, std::vector<int32_t>{I32MIN, -1}),
            (std::vector<int64_t>{I32MIN, -1}));
  // int64 -> float32 rounds to nearest even once; float64 -> float32 overflows to inf
  std::vector<int64_t> big{(1LL << 24) + 1, (1LL << 53) + 1, I64MAX};
  auto f = runUnary<float>(KOp::Cast, DType::Float32, big);
  for (size_t i = 0; i < big.size(); ++i) EXPECT_EQ(f[i], static_cast<float>(big[i]));
  auto g = runUnary<float>(KOp::Cast, DType::Float32, std::vector<double>{1e300, 1e-310, 0.1});
  EXPECT_EQ(g[0], INFINITY);
  EXPECT_EQ(g[1], 0.0f);
  EXPECT_EQ(g[2], 0.1f);
  auto h = runUnary<double>(KOp::Cast, DType::Float64, std::vector<float>{0.1f, 1e-45f});
  EXPECT_EQ(h[0], static_cast<double>(0.1f));
  EXPECT_EQ(h[1], static_cast<double>(1e-45f)); // subnormals kept (no FTZ)
  auto i = runUnary<double>(KOp::Cast, DType::Float64, std::vector<int64_t>{I64MAX, -3});
  EXPECT_EQ(i[0], 9223372036854775808.0);
  EXPECT_EQ(i[1], -3.0);
}

/// sqrt(x*x + y*y) with x read through each layout class gives one answer.
TEST(JitLayouts, ContiguousBroadcastStridedAndNegativeStride) {
  const int64_t n = 301;
  std::vector<double> x(n * 3), y(n);
  for (int64_t i = 0; i < n * 3; ++i) x[i] = 0.25 * i - 17;
  for (int64_t i = 0; i < n; ++i) y[i] = std::sin(double(i));
  auto build = [](InnerLayout lx, InnerLayout out) {
    KB kb;
    DType f = DType::Float64;
    int a = kb.input(f, lx), b = kb.input(f);
    return kb.out(
        kb.op(KOp::Sqrt, f, kb.op(KOp::Add, f, kb.op(KOp::Mul, f, a, a), kb.op(KOp::Mul, f, b, b))),
        out);
  };
  auto run = [&](const Kernel& k, char* xp, int64_t xs, char* op, int64_t os) {
    char* ptrs[] = {xp, reinterpret_cast<char*>(y.data()), op};
    int64_t strides[] = {xs, 8, os};
    sharedJit().compile(k)(n, ptrs, strides, nullptr);
  };
  auto expect = [&](int64_t i, double xv) { return std::sqrt(xv * xv + y[i] * y[i]); };
  std::vector<double> out(n);
  // contiguous
  run(build(InnerLayout::Contiguous, InnerLayout::Contiguous), reinterpret_cast<char*>(x.data()), 8,
      reinterpret_cast<char*>(out.data()), 8);
  for (int64_t i = 0; i < n; ++i) ASSERT_EQ(out[i], expect(i, x[i])) << i;
  // broadcast: x[5] for every element
  run(build(InnerLayout::Broadcast, InnerLayout::Contiguous), reinterpret_cast<char*>(&x[5]), 0,
      reinterpret_cast<char*>(out.data()), 8);
  for (int64_t i = 0; i < n; ++i) ASSERT_EQ(out[i], expect(i, x[5])) << i;
  // strided: every third x
  run(build(InnerLayout::Strided, InnerLayout::Contiguous), reinterpret_cast<char*>(x.data()), 24,
      reinterpret_cast<char*>(out.data()), 8);
  for (int64_t i = 0; i < n; ++i) ASSERT_EQ(out[i], expect(i, x[3 * i])) << i;
  // negative stride: x reversed
  run(build(InnerLayout::Strided, InnerLayout::Contiguous), reinterpret_cast<char*>(&x[n * 3 - 1]),
      -8, reinterpret_cast<char*>(out.data()), 8);
  for (int64_t i = 0; i < n; ++i) ASSERT_EQ(out[i], expect(i, x[n * 3 - 1 - i])) << i;
  // strided, negative output
  std::vector<double> wide(2 * n, -1.0);
  run(build(InnerLayout::Contiguous, InnerLayout::Strided), reinterpret_cast<char*>(x.data()), 8,
      reinterpret_cast<char*>(&wide[2 * n - 1]), -16);
  for (int64_t i = 0; i < n; ++i) {
    ASSERT_EQ(wide[2 * n - 1 - 2 * i], expect(i, x[i])) << i;
    ASSERT_EQ(wide[2 * n - 2 - 2 * i], -1.0) << i;
  }
}

TEST(JitLayouts, InPlaceOutputIdenticalToInput) {
  // x = x * 2 + y with out == x (the exact-alias contract), odd lengths so the
  // vector body and the scalar tail both run.
  for (int64_t n : {1, 7, 8, 33, 1000, 1023}) {
    KB kb;
    DType f = DType::Float64;
    int a = kb.input(f), b = kb.input(f);
    Kernel k = kb.out(kb.op(KOp::Add, f, kb.op(KOp::Mul, f, a, kb.constF(f, 2.0)), b));
    std::vector<double> x(n), y(n), want(n);
    for (int64_t i = 0; i < n; ++i) {
      x[i] = i * 0.5;
      y[i] = 1000 - i;
      want[i] = x[i] * 2 + y[i];
    }
    char* ptrs[] = {reinterpret_cast<char*>(x.data()), reinterpret_cast<char*>(y.data()),
                    reinterpret_cast<char*>(x.data())};
    int64_t strides[] = {8, 8, 8};
    sharedJit().compile(k)(n, ptrs, strides, nullptr);
    EXPECT_EQ(x, want) << n;
  }
}

TEST(JitLayouts, ZeroLengthTouchesNothing) {
  KB kb;
  int a = kb.input(DType::Float64, InnerLayout::Broadcast);
  Kernel k = kb.out(kb.op(KOp::Cast, DType::Int32, a));
  char* ptrs[] = {nullptr, nullptr};
  int64_t strides[] = {0, 4};
  sharedJit().compile(k)(0, ptrs, strides, nullptr); // must not dereference anything
  SUCCEED();
}

TEST(JitLayouts, BroadcastConstantAndMixedDtypes) {
  // where(x > 0.5, x_i32 * 3, -1) with x broadcast and an int input.
  KB kb;
  int x = kb.input(DType::Float64, InnerLayout::Broadcast);
  int y = kb.input(DType::Int32);
  int cond = kb.op(KOp::Gt, DType::Bool, x, kb.constF(DType::Float64, 0.5));
  int prod = kb.op(KOp::Mul, DType::Int32, y, kb.constI(DType::Int32, 3));
  Kernel k = kb.out(kb.op(KOp::Where, DType::Int32, cond, prod, kb.constI(DType::Int32, -1)));
  std::vector<int32_t> ys{1, 2, 3, 4, 5};
  EXPECT_EQ(runElementwise<int32_t>(k, 5, nullptr, std::vector<double>{0.7}, ys),
            (std::vector<int32_t>{3, 6, 9, 12, 15}));
  EXPECT_EQ(runElementwise<int32_t>(k, 5, nullptr, std::vector<double>{0.2}, ys),
            (std::vector<int32_t>(5, -1)));
}

} // namespace
} // namespace ravel::jittest
