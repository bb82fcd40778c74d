// The pieces of `ravel compile` that need no LLVM: export declarations and
// the CPU check.
#include "compiler/aot/CpuCheck.h"
#include "compiler/aot/Signature.h"

#include <gtest/gtest.h>

namespace ravel::aot {
namespace {

TEST(ExportSignature, ParsesArraysAndScalars) {
  std::string why;
  auto sig = parseSignature(" f ( float64[:] , int32[:,:,  :], bool, float32[] ) ", why);
  ASSERT_TRUE(sig) << why;
  EXPECT_EQ(sig->name, "f");
  ASSERT_EQ(sig->params.size(), 4u);
  EXPECT_TRUE(sig->params[0].isArray);
  EXPECT_EQ(sig->params[0].rank, 1);
  EXPECT_EQ(sig->params[1].dtype, DType::Int32);
  EXPECT_EQ(sig->params[1].rank, 3);
  EXPECT_FALSE(sig->params[2].isArray);
  EXPECT_TRUE(sig->params[3].isArray);
  EXPECT_EQ(sig->params[3].rank, 0);
  EXPECT_EQ(signatureText(*sig), "f(float64[:], int32[:, :, :], bool, float32[])");
  EXPECT_STREQ(cScalarType(DType::Float64), "double");
  auto none = parseSignature("g()", why);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->params.empty());
}

TEST(ExportSignature, RefusesMalformedDeclarations) {
  for (const char* bad : {"", "f", "f(", "f(float64[:]", "f(float64[x])", "f(complex64)",
                          "f(float64) extra", "1f(float64)", "f(float64,,)", "(float64)"}) {
    std::string why;
    EXPECT_FALSE(parseSignature(bad, why)) << bad;
    EXPECT_FALSE(why.empty()) << bad;
  }
}

TEST(CpuCheck, LevelsAndMissingFeatures) {
  EXPECT_TRUE(knownCpu("native"));
  EXPECT_TRUE(knownCpu("x86-64-v3"));
  EXPECT_FALSE(knownCpu("x86-64-v5"));
  EXPECT_EQ(requiredFeatures("x86-64-v2"), "sse4.2,popcnt");
  EXPECT_EQ(requiredFeatures("x86-64-v3"), "sse4.2,popcnt,avx,avx2,fma,bmi,bmi2");
  // What this machine has is never missing on it; unknown names are ignored.
  EXPECT_EQ(missingFeatures(requiredFeatures("native")), "");
  EXPECT_EQ(missingFeatures("no-such-feature"), "");
}

} // namespace
} // namespace ravel::aot
