// View and join builtins end to end through Engine, for what the differential
// suite cannot check because NumPy does not do it: as_strided's refusal of
// views outside their buffer (NumPy reads out of bounds), ravel's read-only
// overlapping views, and explain's notes on views vs copies.
#include "compiler/Pipeline.h"

#include <gtest/gtest.h>

#include <sstream>

namespace ravel {
namespace {

std::string runScript(const std::string& text) {
  Engine engine;
  std::ostringstream out;
  engine.run("<test>", text, out);
  return out.str();
}

RavelError failure(const std::string& text) {
  Engine engine;
  std::ostringstream out;
  try {
    engine.run("<test>", text, out);
  } catch (const RavelError& e) {
    return e;
  }
  ADD_FAILURE() << "no error for:\n" << text;
  return RavelError(Diagnostic{});
}

TEST(ViewFunctions, AsStridedZeroStrideHugeShapeIsAccepted) {
  EXPECT_EQ(runScript("v = as_strided(arange(5.0), shape=(5, 10**11), strides=(8, 0))\n"
                      "print(v.shape, v[4, 99999999999], v.flags.writeable)\n"),
            "(5, 100000000000) 4.0 False\n");
}

TEST(ViewFunctions, AsStridedOutsideTheBufferIsRefused) {
  RavelError e = failure("x = arange(5.0)\n"
                         "v = as_strided(x, shape=(5, 10**11), strides=(8, 8))\n");
  EXPECT_EQ(e.diagnostic().kind, ErrorKind::Value);
  EXPECT_NE(e.diagnostic().message.find("as_strided: shape (5, 100000000000) with strides (8, 8)"),
            std::string::npos)
      << e.diagnostic().message;
  EXPECT_NE(e.diagnostic().message.find("outside its memory [0, 40)"), std::string::npos);
  EXPECT_EQ(e.diagnostic().span.begin, 20u); // the call on line 2
  // One element past the end, one before the start, and an extent that
  // overflows int64 are all refused.
  for (const char* code : {"as_strided(arange(5.0), shape=(6,), strides=(8,))\n",
                           "as_strided(arange(5.0)[1:], shape=(3,), strides=(-8,))\n",
                           "as_strided(arange(5.0), shape=(3,), strides=(2**62,))\n"}) {
    RavelError err = failure(code);
    EXPECT_EQ(err.diagnostic().kind, ErrorKind::Value) << code;
    EXPECT_NE(err.diagnostic().message.find("as_strided"), std::string::npos) << code;
  }
}

TEST(ViewFunctions, OverlappingAsStridedViewsAreReadOnly) {
  // NumPy leaves these writable; ravel refuses writes that would change
  // several elements at once.
  EXPECT_EQ(
      runScript("w = as_strided(arange(6.0), shape=(4, 3), strides=(8, 8))\n"
                "print(w.flags.writeable)\n"
                "print(as_strided(arange(6.0), shape=(3,), strides=(16,)).flags.writeable)\n"),
      "False\nTrue\n");
  RavelError e = failure("w = as_strided(arange(6.0), shape=(3,), strides=(0,))\nw[0] = 1.0\n");
  EXPECT_NE(e.diagnostic().message.find("read-only"), std::string::npos);
}

TEST(ViewFunctions, JoinsComputeLazyInputsIntoTheResult) {
  // Lazy inputs are computed into their slices (values as NumPy prints them).
  EXPECT_EQ(runScript("x = arange(4.0)\ny = arange(1.0, 5.0)\n"
                      "print(concatenate([x + 1, sqrt(y)]))\n"),
            "[1.         2.         3.         4.         1.         1.41421356\n"
            " 1.73205081 2.        ]\n");
  EXPECT_EQ(runScript("print(stack([arange(3) * 2, arange(3) + 0.5], axis=1))\n"),
            "[[0.  0.5]\n [2.  1.5]\n [4.  2.5]]\n");
}

TEST(ViewFunctions, ExplainSaysViewOrCopy) {
  Engine engine;
  std::string report = engine.explain("<test>", "x = arange(6.0).reshape(2, 3)\n"
                                                "s = swapaxes(x, 0, 1)\n"
                                                "c = ascontiguousarray(s)\n"
                                                "j = concatenate([x + 1, x])\n");
  EXPECT_NE(report.find("swapaxes(x, 0, 1) is a view"), std::string::npos) << report;
  EXPECT_NE(report.find("ascontiguousarray(s) copies into C order"), std::string::npos) << report;
  EXPECT_NE(report.find("concatenate of 2 arrays"), std::string::npos) << report;
}

} // namespace
} // namespace ravel
