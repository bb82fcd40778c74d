// The ziggurat tables ravel computes (runtime/Ziggurat.cpp): their
// structure, and every entry against the tables inside the installed NumPy
// 1.24's _generator extension, found there as the raw little-endian arrays
// NumPy compiles in (the test skips without that file). The differential
// programs tests/programs/rng_generator_ziggurat*.rv check the draws.
#include "runtime/Ziggurat.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace ravel {
namespace {

TEST(Ziggurat, NormalTablesFollowTheLayers) {
  const ZigguratTables& t = zigguratTables();
  EXPECT_EQ(t.wi[255] * 0x1p52, kZigguratNormalR);
  EXPECT_EQ(t.fi[0], 1.0);
  EXPECT_EQ(t.ki[1], 0u); // x_0 = 0: layer 1 always takes the wedge test
  for (int i = 1; i < 255; ++i) {
    EXPECT_LT(t.wi[i], t.wi[i + 1]) << i;
    EXPECT_GT(t.fi[i], t.fi[i + 1]) << i;
    EXPECT_EQ(double(t.ki[i + 1]), std::nearbyint(t.wi[i] / t.wi[i + 1] * 0x1p52)) << i;
  }
  // Every layer has the same area v: x_i (f(x_{i-1}) - f(x_i)) = v.
  const double v = 0.0049286732339746519;
  for (int i = 2; i < 256; ++i)
    EXPECT_NEAR(t.wi[i] * 0x1p52 * (t.fi[i - 1] - t.fi[i]), v, 1e-13) << i;
  for (int i = 0; i < 256; ++i) {
    EXPECT_EQ(t.fiF[i], float(t.fi[i])) << i;
    EXPECT_EQ(t.wiF[i], float(t.wi[i] * 0x1p29)) << i;
  }
}

TEST(Ziggurat, ExponentialTablesFollowTheLayers) {
  const ZigguratTables& t = zigguratTables();
  EXPECT_EQ(t.we[255] * 0x1p53, kZigguratExpR);
  EXPECT_EQ(t.fe[0], 1.0);
  const double v = (kZigguratExpR + 1) * std::exp(-kZigguratExpR);
  for (int i = 1; i < 256; ++i) {
    EXPECT_EQ(t.ke[i] % 2, 0u) << i; // a 52-bit threshold for 53-bit draws
    if (i >= 2) EXPECT_NEAR(t.we[i] * 0x1p53 * (t.fe[i - 1] - t.fe[i]), v, 1e-14) << i;
  }
  for (int i = 0; i < 256; ++i) {
    // float32: the same layers, each value within one float ulp of float64's
    EXPECT_LE(std::fabs(t.feF[i] - t.fe[i]), std::ldexp(1.0, std::ilogb(t.fe[i]) - 23)) << i;
    const double w = t.we[i] * 0x1p30;
    EXPECT_LE(std::fabs(t.weF[i] - w), std::ldexp(1.0, std::ilogb(w) - 23)) << i;
  }
}

/// NumPy's compiled _generator module, if this machine has NumPy 1.24's.
std::string numpyGeneratorModule() {
  const std::filesystem::path dir = "/usr/lib/python3/dist-packages/numpy/random";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.path().filename().string().rfind("_generator.cpython-", 0) == 0)
      return entry.path().string();
  return "";
}

template <class T> bool containsTable(const std::string& bytes, const T (&table)[256]) {
  const char* first = reinterpret_cast<const char*>(table);
  return std::search(bytes.begin(), bytes.end(), first, first + sizeof(table)) != bytes.end();
}

TEST(Ziggurat, EveryEntryIsNumpys) {
  const std::string path = numpyGeneratorModule();
  if (path.empty()) GTEST_SKIP() << "no NumPy _generator module to compare with";
  std::ifstream in(path, std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const ZigguratTables& t = zigguratTables();
  EXPECT_TRUE(containsTable(bytes, t.ki));
  EXPECT_TRUE(containsTable(bytes, t.wi));
  EXPECT_TRUE(containsTable(bytes, t.fi));
  EXPECT_TRUE(containsTable(bytes, t.kiF));
  EXPECT_TRUE(containsTable(bytes, t.wiF));
  EXPECT_TRUE(containsTable(bytes, t.fiF));
  EXPECT_TRUE(containsTable(bytes, t.ke));
  EXPECT_TRUE(containsTable(bytes, t.we));
  EXPECT_TRUE(containsTable(bytes, t.fe));
  EXPECT_TRUE(containsTable(bytes, t.keF));
  EXPECT_TRUE(containsTable(bytes, t.weF));
  EXPECT_TRUE(containsTable(bytes, t.feF));
}

} // namespace
} // namespace ravel
