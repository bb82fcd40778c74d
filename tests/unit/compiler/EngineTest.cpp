// ravel::Engine end to end: printed output (checked against what NumPy
// prints for the same program), errors with kind and caret, a REPL-style
// session surviving an error, laziness never changing meaning, the kernel
// cache, and explain's account of fusion.
#include "compiler/Pipeline.h"
#include "compiler/exec/Interpreter.h"

#include <gtest/gtest.h>

#include <sstream>

namespace ravel {
namespace {

/// Runs a whole script in a fresh engine and returns what it printed.
std::string runScript(const std::string& text) {
  Engine engine;
  std::ostringstream out;
  engine.run("<test>", text, out);
  return out.str();
}

/// Runs a script that must fail; returns the error.
RavelError failure(Engine& engine, const std::string& text, std::ostream& out) {
  try {
    engine.run("<test>", text, out);
  } catch (const RavelError& e) {
    return e;
  }
  ADD_FAILURE() << "no error for:\n" << text;
  return RavelError(Diagnostic{});
}

/// One REPL input: echo on, results left lazy.
std::string replInput(Engine& engine, const std::string& code, int n) {
  std::ostringstream out;
  engine.run("<stdin-" + std::to_string(n) + ">", code, out, /*echo=*/true, /*finish=*/false);
  return out.str();
}

TEST(Engine, PrintsLikeNumPy) {
  // Expected text is NumPy 1.24's print() of the same program.
  EXPECT_EQ(runScript("x = arange(5)\nprint(x * 2)\n"), "[0 2 4 6 8]\n");
  EXPECT_EQ(runScript("print(sum(arange(10)))\n"), "45\n");
  EXPECT_EQ(runScript("print(ones((2, 3)) + arange(3))\n"), "[[1. 2. 3.]\n [1. 2. 3.]]\n");
  EXPECT_EQ(runScript("x = arange(5)\nprint(x.dtype, x.shape, mean(x))\n"), "int64 (5,) 2.0\n");
  EXPECT_EQ(runScript("print(arange(6).reshape(2, 3).T)\n"), "[[0 3]\n [1 4]\n [2 5]]\n");
  EXPECT_EQ(runScript("x = arange(1, 6)\nprint(x / 2)\nprint(sum(x > 3))\n"),
            "[0.5 1.  1.5 2.  2.5]\n2\n");
  EXPECT_EQ(runScript("print(arange(4)[::-1])\n"), "[3 2 1 0]\n");
  EXPECT_EQ(runScript("def mag(a, b):\n    return sqrt(a**2 + b**2)\nprint(mag(3.0, 4.0))\n"),
            "5.0\n");
  EXPECT_EQ(runScript("x = arange(4, dtype=int32)\nprint((x + 1).dtype, (x + 1.5).dtype)\n"),
            "int32 float64\n");
}

TEST(Engine, PrintsInStatementOrder) {
  // Output before a later statement's kernels run is already written.
  EXPECT_EQ(runScript("print(1)\nx = arange(3) * 2\nprint(x)\nprint(3)\n"), "1\n[0 2 4]\n3\n");
}

TEST(Engine, ShapeErrorHasKindSpanAndCaret) {
  Engine engine;
  std::ostringstream out;
  RavelError e = failure(engine, "x = ones(3)\ny = ones(4)\nz = x + y\n", out);
  EXPECT_EQ(e.diagnostic().kind, ErrorKind::Shape);
  EXPECT_EQ(e.diagnostic().span.begin, 28u); // "x + y" on line 3
  EXPECT_EQ(e.diagnostic().span.end, 33u);
  EXPECT_EQ(engine.render(e),
            "<test>:3:5: shape error: operands could not be broadcast together with shapes (3,) "
            "(4,)\n"
            "    z = x + y\n"
            "        ^^^^^\n");
}

TEST(Engine, ErrorsOfEachStage) {
  struct Case {
    const char* code;
    ErrorKind kind;
    const char* caretLines; // the source line and the caret line of render()
  };
  const Case cases[] = {
      {"x = (1 +\n", ErrorKind::Syntax, "    x = (1 +\n        ^\n"},
      {"y = 1\nprint(yy)\n", ErrorKind::Name, "    print(yy)\n          ^^\n"},
      {"x = arange(3)\ny = (x > 0) - (x > 1)\n", ErrorKind::Type,
       "    y = (x > 0) - (x > 1)\n        ^^^^^^^^^^^^^^^^^\n"},
      {"z = ones(3).reshape(2, 2)\n", ErrorKind::Shape,
       "    z = ones(3).reshape(2, 2)\n        ^^^^^^^^^^^^^^^^^^^^^\n"},
      {"x = arange(3)\nprint(x[5])\n", ErrorKind::Index, "    print(x[5])\n          ^^^^\n"},
  };
  for (const Case& c : cases) {
    Engine engine;
    std::ostringstream out;
    RavelError e = failure(engine, c.code, out);
    EXPECT_EQ(e.diagnostic().kind, c.kind) << c.code;
    std::string r = engine.render(e);
    EXPECT_NE(r.find(c.caretLines), std::string::npos) << c.code << "\nrendered:\n" << r;
    EXPECT_EQ(r.rfind("<test>:", 0), 0u) << r;
  }
}

TEST(Engine, ErrorBeforeAnyOutputWhenTheCheckerFindsIt) {
  // An unknown name on the last line stops the program before line 1 prints.
  Engine engine;
  std::ostringstream out;
  RavelError e = failure(engine, "print(1)\nprint(2)\nprint(nope)\n", out);
  EXPECT_EQ(e.diagnostic().kind, ErrorKind::Name);
  EXPECT_EQ(out.str(), "");
}

TEST(Engine, RuntimeErrorKeepsEarlierOutput) {
  Engine engine;
  std::ostringstream out;
  RavelError e = failure(engine, "print(1)\nx = ones(2) + ones(3)\nprint(2)\n", out);
  EXPECT_EQ(e.diagnostic().kind, ErrorKind::Shape);
  EXPECT_EQ(out.str(), "1\n");
}

TEST(Engine, SessionSurvivesAnError) {
  Engine engine;
  EXPECT_EQ(replInput(engine, "x = arange(3)\n", 1), "");
  EXPECT_THROW(replInput(engine, "y = x + ones(4)\n", 2), RavelError);
  EXPECT_THROW(replInput(engine, "x = x + undefined_name\n", 3), RavelError);
  // A failing assignment to x leaves the old x.
  EXPECT_THROW(replInput(engine, "x = x.reshape(2, 2)\n", 4), RavelError);
  EXPECT_EQ(replInput(engine, "print(x)\n", 5), "[0 1 2]\n");
  EXPECT_EQ(replInput(engine, "x\n", 6), "array([0, 1, 2])\n");
  std::vector<std::string> vars = engine.variables();
  EXPECT_EQ(vars, std::vector<std::string>({"x"}));
  // Errors from earlier inputs still render against their own source.
  try {
    replInput(engine, "x + ones(5)\n", 7);
    ADD_FAILURE() << "no error";
  } catch (const RavelError& e) {
    EXPECT_EQ(engine.render(e),
              "<stdin-7>:1:1: shape error: operands could not be broadcast together with shapes "
              "(3,) (5,)\n"
              "    x + ones(5)\n"
              "    ^^^^^^^^^^^\n");
  }
}

TEST(Engine, SessionVariablesAndFunctionsPersist) {
  Engine engine;
  EXPECT_EQ(replInput(engine, "def f(a):\n    return a * 2\n", 1), "");
  EXPECT_EQ(replInput(engine, "y = f(arange(3))\n", 2), "");
  EXPECT_EQ(replInput(engine, "y + 1\n", 3), "array([1, 3, 5])\n");
  EXPECT_EQ(replInput(engine, "f(1.5)\n", 4), "3.0\n");
  EXPECT_EQ(engine.variables(), std::vector<std::string>({"f", "y"}));
}

TEST(Engine, LazyValuesKeepTheirMeaning) {
  // t reads x before x is updated in place: t keeps the old squares.
  EXPECT_EQ(runScript("x = arange(5)\nt = x**2\nx += 1\nprint(t)\nprint(x)\n"),
            "[ 0  1  4  9 16]\n[1 2 3 4 5]\n");
  // u names the same array as x: an in-place update through u shows in x.
  EXPECT_EQ(runScript("x = arange(5)\nu = x\nu *= 2\nprint(x)\n"), "[0 2 4 6 8]\n");
  // A view sees later writes to its base; a lazy expression over it does not.
  EXPECT_EQ(runScript("x = zeros(4)\nv = x[1:3]\nw = v + 1\nx[:] = 7\nprint(v)\nprint(w)\n"),
            "[7. 7.]\n[1. 1.]\n");
  // Rebinding a name does not change a lazy value that read the old one.
  EXPECT_EQ(runScript("x = arange(3)\nt = x * 10\nx = ones(3)\nprint(t)\n"), "[ 0 10 20]\n");
}

TEST(Engine, KernelCacheCompilesOncePerStatementShape) {
  Engine engine;
  std::ostringstream out;
  engine.run("<1>", "x = arange(3.0)\ny = arange(3.0) + 1\n", out, true, false);
  auto [compiled0, hits0] = engine.kernelStats();
  // One elementwise kernel: compiled the first time...
  engine.run("<2>", "print(sqrt(x**2 + y**2))\n", out, true, false);
  auto [compiled1, hits1] = engine.kernelStats();
  EXPECT_EQ(compiled1 - compiled0, 1);
  EXPECT_EQ(hits1 - hits0, 0);
  // ...served from the cache the second time.
  engine.run("<3>", "print(sqrt(x**2 + y**2))\n", out, true, false);
  auto [compiled2, hits2] = engine.kernelStats();
  EXPECT_EQ(compiled2 - compiled1, 0);
  EXPECT_EQ(hits2 - hits1, 1);
  // Same kernel over other arrays of the same dtype and layout: still cached.
  engine.run("<4>", "a = arange(5.0)\nb = arange(5.0) + 1\nprint(sqrt(a**2 + b**2) > 0)\n", out,
             true, false);
  auto [compiled3, hits3] = engine.kernelStats();
  engine.run("<5>", "print(sqrt(a**2 + b**2))\n", out, true, false);
  auto [compiled4, hits4] = engine.kernelStats();
  EXPECT_EQ(compiled4 - compiled3, 0);
  EXPECT_EQ(hits4 - hits3, 1);
  // Another dtype is another kernel.
  engine.run("<6>", "print(sqrt(x.astype(float32)**2 + y.astype(float32)**2))\n", out, true, false);
  EXPECT_GT(engine.kernelStats().first, compiled4);
  EXPECT_EQ(out.str(), "[1.         2.23606798 3.60555128]\n"
                       "[1.         2.23606798 3.60555128]\n"
                       "[ True  True  True  True  True]\n"
                       "[1.         2.23606798 3.60555128 5.         6.40312424]\n"
                       "[1.        2.236068  3.6055512]\n");
}

TEST(Engine, ExplainFusesTheWholeProgram) {
  Engine engine;
  std::string text = engine.explain("prog.rv", "x = random.rand(1000)\ny = random.rand(1000)\n"
                                               "t = x**2\nr = sqrt(t + y**2)\ns = sum(r)\n");
  EXPECT_EQ(text.rfind("explain prog.rv: 1 kernel\n", 0), 0u) << text;
  EXPECT_NE(text.find("\nk0: sum float64 over (1000,)"), std::string::npos) << text;
  EXPECT_EQ(text.find("\nk1:"), std::string::npos) << text;
  EXPECT_NE(text.find("\nnever materialized: r, t\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nin memory: s, x, y\n"), std::string::npos) << text;
  EXPECT_NE(text.find("reads x, y"), std::string::npos) << text;
}

TEST(Engine, ExplainPrintsNothingOfTheProgram) {
  // A dry run: prints in the program do not reach the output.
  Engine engine;
  std::string text = engine.explain("q.rv", "x = arange(3)\nprint(x)\n");
  EXPECT_EQ(text.find("[0 1 2]"), std::string::npos) << text;
}

TEST(Engine, ExplainCountsKernelsForcedByPrint) {
  Engine engine;
  std::string text =
      engine.explain("p.rv", "x = random.rand(10)\nc = x - mean(x)\nprint(c)\nd = c * 2\n");
  EXPECT_EQ(text.rfind("explain p.rv: 3 kernels\n", 0), 0u) << text;
  EXPECT_NE(text.find("[line 3]"), std::string::npos) << text;
}

TEST(Engine, EmitStopsAfterEachStage) {
  Engine engine;
  const std::string prog = "x = arange(4)\ny = x * 2.5\n";
  EXPECT_NE(engine.emit("e.rv", prog, Stage::Ast).find("(= y (* x 2.5))"), std::string::npos);
  EXPECT_EQ(engine.emit("e.rv", prog, Stage::Graph), "# y\n"
                                                     "%0 = Input int64(4,)\n"
                                                     "%1 = Cast float64(4,) %0\n"
                                                     "%2 = Const float64() 2.5\n"
                                                     "%3 = Mul float64(4,) %1 %2\n");
  Engine fresh;
  std::string kernels = fresh.emit("e.rv", prog, Stage::Kernels);
  EXPECT_EQ(kernels.rfind("k0: elementwise float64(4,) -> new array\n", 0), 0u) << kernels;
  EXPECT_TRUE(parseStage("asm").has_value());
  EXPECT_FALSE(parseStage("bogus").has_value());
}

TEST(Engine, LoopStatementsReplayTheirKernels) {
  Engine engine;
  std::ostringstream out;
  engine.run("<test>",
             "x = arange(10.0)\nk = 0\n"
             "while k < 1000 and abs(x - 2.0).max() >= 0.0:\n"
             "    x = x * 0.5 + 1\n    k += 1\nprint(x[:3], k)\n",
             out);
  EXPECT_EQ(out.str(), "[2. 2. 2.] 1000\n");
  // Both the assignment and the test's array operand replay on almost every
  // iteration (the first ones record); nothing new is compiled for them.
  EXPECT_GT(engine.interpreter().loopValuesReplayed(), 1990);
  // Large operands stay lazy and fuse across iterations instead.
  Engine big;
  std::ostringstream bigOut;
  big.run("<test>",
          "y = arange(100000.0)\nfor i in range(20):\n    y = y * 0.5 + 1\nprint(y[:2])\n", bigOut);
  EXPECT_EQ(big.interpreter().loopValuesReplayed(), 0);
}

TEST(Engine, TimeItLeavesEarlierValuesToOtherNames) {
  // %timeit binds its target once per run; a run may write its result into
  // the memory of the value the target held before only when no other name
  // holds that value (StatementPlans.cpp): `e` and `f` keep theirs.
  Engine engine;
  std::ostringstream out;
  engine.run("<test>",
             "a = arange(5.0)\nb = arange(5.0)\nc = a - b\ne = c\n%timeit c = a + b\n"
             "f = c\n%timeit c = a * 2.0 + b\nprint(c, e, f)\n",
             out);
  const std::string text = out.str();
  const size_t last = text.rfind('\n', text.size() - 2);
  ASSERT_NE(last, std::string::npos) << text;
  EXPECT_EQ(text.substr(last + 1), "[ 0.  3.  6.  9. 12.] [0. 0. 0. 0. 0.] [0. 2. 4. 6. 8.]\n");
  EXPECT_GT(engine.interpreter().loopValuesReplayed(), 100);
}

} // namespace
} // namespace ravel
