// Matrix products end to end through Engine, for what the differential suite
// cannot see: explain's account of how BLAS reads each operand (a transpose
// flag, a leading dimension, or a copy and why), the fused `+ c` epilogue,
// and the routine a real run used.
#include "compiler/Pipeline.h"

#include <gtest/gtest.h>

#include <sstream>

namespace ravel {
namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(Products, ExplainTransposeIsAFlagNotACopy) {
  Engine engine;
  std::string report = engine.explain("<test>", "a = arange(20.0).reshape(4, 5)\n"
                                                "c = a @ a.T\n");
  EXPECT_TRUE(has(report, "matmul (4,5) @ (5,4) -> (4,4) float64")) << report;
  EXPECT_TRUE(has(report, "operand 1 read in place as a transpose flag; no copies")) << report;
}

TEST(Products, ExplainRowSliceIsALeadingDimension) {
  Engine engine;
  std::string report = engine.explain("<test>", "a = arange(40.0).reshape(4, 10)\n"
                                                "c = a[:, 2:5] @ a[:3, :4]\n");
  EXPECT_TRUE(has(report, "operand 0 read in place with leading dimension 10")) << report;
  EXPECT_TRUE(has(report, "no copies")) << report;
}

TEST(Products, ExplainSaysWhichOperandIsCopiedAndWhy) {
  Engine engine;
  std::string report = engine.explain("<test>", "a = arange(16.0).reshape(4, 4)\n"
                                                "c = a[::-1] @ a[:, ::2]\n");
  EXPECT_TRUE(has(report, "operand 0 copied (negative stride)")) << report;
  EXPECT_TRUE(has(report, "operand 1 copied (no axis with unit stride)")) << report;
  EXPECT_FALSE(has(report, "no copies")) << report;
}

TEST(Products, ExplainShowsTheCastOfAMixedDtypeOperand) {
  Engine engine;
  std::string report = engine.explain("<test>", "a = arange(6).reshape(2, 3)\n"
                                                "c = a @ ones((3, 2))\n");
  EXPECT_TRUE(has(report, "operand 0 cast to float64")) << report;
}

TEST(Products, ExplainShowsTheFusedEpilogue) {
  Engine engine;
  std::string report = engine.explain("<test>", "x = ones((8, 4))\nw = ones((4, 3))\n"
                                                "b = arange(3.0)\n"
                                                "y = x @ w + b\n"
                                                "z = x @ w + ones((2, 8, 3))\n");
  // The add fits the product: one step. A larger addend is a separate add.
  EXPECT_TRUE(has(report, "line 4: matmul (8,4) @ (4,3) -> (8,3) float64: BLAS; no copies; "
                          "fused epilogue"))
      << report;
  EXPECT_FALSE(has(report, "line 5: matmul (8,4) @ (4,3) -> (8,3) float64: BLAS; no copies; "
                           "fused epilogue"))
      << report;
}

TEST(Products, RunReportsTheRoutine) {
  Engine engine;
  std::ostringstream out;
  std::string report =
      engine.runAndExplain("<test>",
                           "a = arange(12.0).reshape(3, 4)\n"
                           "c = a @ a.T\nv = a @ arange(4.0)\n"
                           "s = arange(4.0) @ arange(4.0)\n"
                           "i = arange(6).reshape(2, 3) @ arange(6).reshape(3, 2)\n",
                           out);
  EXPECT_TRUE(has(report, "cblas_dgemm")) << report;
  EXPECT_TRUE(has(report, "cblas_dgemv")) << report;
  EXPECT_TRUE(has(report, "cblas_ddot")) << report;
  EXPECT_TRUE(has(report, "integer kernel")) << report;
}

} // namespace
} // namespace ravel
