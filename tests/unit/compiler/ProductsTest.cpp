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
                                                "v = ones((4, 3)) * 2\nb = arange(3.0)\n"
                                                "y = x @ w + b\n"
                                                "z = x @ v + ones((2, 8, 3))\n");
  // The add fits the product: one step, the addend in gemm's beta. A larger
  // addend is the product and then a separate add.
  EXPECT_TRUE(has(report, ": matmul float64(8,4) @ (4,3) -> (8,3) new array, + in2 fused: "
                          "written into the result first, added by beta = 1   ["))
      << report;
  EXPECT_TRUE(has(report, ": matmul float64(8,4) @ (4,3) -> (8,3) new array   [")) << report;
  EXPECT_TRUE(has(report, ": elementwise float64(2,8,3) -> new array   [")) << report;
}

TEST(Products, ExplainShowsARowPanelEpilogueAsOneStep) {
  Engine engine;
  std::string report = engine.explain("<test>", "x = ones((300, 64))\nw = ones((64, 1024))\n"
                                                "b = arange(1024.0)\n"
                                                "y = maximum(0, x @ w + b) * 0.5\n");
  EXPECT_TRUE(has(report, "k0: elementwise float64(300,1024) -> new array, the epilogue of matmul "
                          "(300,64) @ (64,1024) (in0), run on each row panel of the product"))
      << report;
  EXPECT_TRUE(has(report, "product: cblas_dgemm in 1 row panel of at most 300 rows")) << report;
  EXPECT_TRUE(has(report, "1 kernel\n")) << report;
  // Past one panel: 4 MiB panels of 1024 float64 columns are 512 rows.
  report = engine.explain("<test>", "x = ones((1500, 8))\nw = ones((8, 1024))\n"
                                    "y = exp(x @ w)\n");
  EXPECT_TRUE(has(report, "product: cblas_dgemm in 3 row panels of at most 512 rows")) << report;
}

TEST(Products, ExplainShowsASoftmaxOfAProductAsARowPanelGroup) {
  Engine engine;
  // Row maxima, row sums of the exponentials and the division all read the
  // product: they run on each of its 1024-row panels (8 MiB of 1024 float64).
  // No live value needs the product (z and e die with the call): it never
  // exists whole.
  std::string report = engine.explain("<test>", "x = ones((1500, 8))\nw = ones((8, 1024))\n"
                                                "b = arange(1024.0)\n"
                                                "def softmax(z):\n"
                                                "    e = exp(z - z.max(axis=1, keepdims=True))\n"
                                                "    return e / e.sum(axis=1, keepdims=True)\n"
                                                "p = softmax(x @ w + b)\n");
  EXPECT_TRUE(has(report, ": matmul float64(1500,8) @ (8,1024) -> (1500,1024) new array, row "
                          "panel by row panel with the launches after it through k4   ["))
      << report;
  EXPECT_TRUE(has(report, "product: cblas_dgemm in 2 row panels of at most 1024 rows, k1-k4 run "
                          "on each panel right after its product"))
      << report;
  EXPECT_TRUE(has(report, "k1: max float64 over (1500,1024) axes=(1)")) << report;
  // The exponentials, which the row sums and the division both read, are
  // computed once per panel and kept for it.
  EXPECT_TRUE(has(report, "k2: elementwise float64(1500,1024) -> one row panel at a time, never "
                          "whole"))
      << report;
  EXPECT_TRUE(has(report, "k3: sum float64 over (1500,1024) axes=(1)")) << report;
  EXPECT_TRUE(has(report, "k4: elementwise float64(1500,1024) -> new array")) << report;
  EXPECT_FALSE(has(report, "also stored whole")) << report;
  // A live value that needs the product: it is also stored whole.
  Engine fresh;
  report = fresh.explain("<test>", "x = ones((1500, 8))\nw = ones((8, 1024))\n"
                                   "z = x @ w\n"
                                   "c = z - z.mean(axis=1, keepdims=True)\n");
  EXPECT_TRUE(has(report, "row panel by row panel with the launches after it through k2 (also "
                          "stored whole)"))
      << report;
}

TEST(Products, ARowPanelGroupRunsOneLaunchAfterAnotherForAnInputItCannotCut) {
  Engine engine;
  std::ostringstream out;
  // An F-ordered (m, n) input would not read the same way by row panels:
  // the planned group runs one launch after another, with the same values.
  const std::string setup = "x = arange(1500.0 * 3).reshape(1500, 3) % 7\n"
                            "w = ones((3, 1024))\n"
                            "f = asfortranarray(ones((1500, 1024)))\n";
  std::string report = engine.runAndExplain("<test>",
                                            setup + "z = x @ w + f\n"
                                                    "c = z - z.max(axis=1, keepdims=True)\n"
                                                    "print(c.strides, c[1499, :2], c.sum())\n",
                                            out);
  EXPECT_TRUE(has(out.str(), "(8192, 8) [0. 0.] 0.0")) << out.str();
  EXPECT_TRUE(has(report, "row panel by row panel")) << report; // planned
  EXPECT_FALSE(has(report, "row panels of at most")) << report; // not run so
  out.str("");
  report = engine.runAndExplain("<test>",
                                setup + "z = x @ w + 1\n"
                                        "c = z - z.max(axis=1, keepdims=True)\n"
                                        "print(c.strides, c[1499, :2], c.sum())\n",
                                out);
  EXPECT_TRUE(has(out.str(), "(8192, 8) [0. 0.] 0.0")) << out.str();
  EXPECT_TRUE(has(report, "row panels of at most 1024 rows")) << report;
}

TEST(Products, IndexingASoftmaxAgainReusesItsRowReductions) {
  Engine engine;
  std::ostringstream out;
  // The row maxima and sums are lazy keepdims reductions; indexing p
  // computes them (and the product) once, then reads them.
  engine.runAndExplain("<test>",
                       "x = ones((300, 8))\nw = ones((8, 100))\nz = x @ w\n"
                       "e = exp(z - z.max(axis=1, keepdims=True))\n"
                       "p = e / e.sum(axis=1, keepdims=True)\n"
                       "print(p[0, :2])\n",
                       out);
  std::string report = engine.runAndExplain("<test>", "print(p[1, :2])\n", out);
  EXPECT_TRUE(has(out.str(), "[0.01 0.01]\n[0.01 0.01]")) << out.str();
  EXPECT_FALSE(has(report, "matmul")) << report;
  EXPECT_FALSE(has(report, " max ")) << report;
  EXPECT_FALSE(has(report, " sum ")) << report;
}

TEST(Products, AProductAnotherValueNeedsIsComputedOnce) {
  Engine engine;
  std::string report = engine.explain("<test>", "x = ones((8, 4))\nw = ones((4, 3))\n"
                                                "p = x @ w\n"
                                                "y = maximum(0, p)\n"
                                                "z = p * 2\n");
  // p is a live value: it is computed in full once (k0), not as y's epilogue.
  EXPECT_TRUE(has(report, "k0: matmul float64(8,4) @ (4,3) -> (8,3) new array")) << report;
  EXPECT_FALSE(has(report, "the epilogue of")) << report;
  EXPECT_EQ(report.find("matmul float64"), report.rfind("matmul float64")) << report;
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
