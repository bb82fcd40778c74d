// sema::check over parsed programs: which names are defined where, module
// attributes, calls to the program's own functions, and `return` placement.
// Errors are compared rendered (message, source line, carets, notes), so the
// span is checked along with the text. Messages follow Python's wording.
#include "compiler/sema/Check.h"
#include "compiler/diag/Diagnostic.h"
#include "compiler/frontend/Parse.h"

#include <gtest/gtest.h>

namespace ravel {
namespace {

/// "ok", or the rendered diagnostic of the first error. Some static rules
/// (`return` placement, duplicate parameters) are enforced by the parser,
/// some by the checker; what counts is that one of them rejects the program
/// before it runs.
std::string checkOf(const std::string& text, const std::vector<std::string>& session = {}) {
  Source source("<input>", text);
  try {
    ast::Program program = parse(source);
    sema::check(program, session);
  } catch (const RavelError& e) {
    return e.diagnostic().render(source);
  }
  return "ok";
}

/// The kind of the first error; fails the test if there is none.
ErrorKind kindOf(const std::string& text) {
  Source source("<input>", text);
  try {
    ast::Program program = parse(source);
    sema::check(program, {});
  } catch (const RavelError& e) {
    return e.diagnostic().kind;
  }
  ADD_FAILURE() << "no error for:\n" << text;
  return ErrorKind::Runtime;
}

TEST(Check, UnknownNameHasSpanAndSuggestion) {
  EXPECT_EQ(checkOf("value = 1\ny = valeu + 1\n"), "<input>:2:5: name error: unknown name 'valeu'\n"
                                                   "    y = valeu + 1\n"
                                                   "        ^^^^^\n"
                                                   "  note: did you mean 'value'?\n");
  // Builtins are candidates too.
  EXPECT_EQ(checkOf("x = ones(3)\ny = sqrtt(x)\n"),
            "<input>:2:5: name error: unknown name 'sqrtt'\n"
            "    y = sqrtt(x)\n"
            "        ^^^^^\n"
            "  note: did you mean 'sqrt'?\n");
  // Nothing close: no note.
  EXPECT_EQ(checkOf("print(qwertyuiop)\n"), "<input>:1:7: name error: unknown name 'qwertyuiop'\n"
                                            "    print(qwertyuiop)\n"
                                            "          ^^^^^^^^^^\n");
  EXPECT_EQ(kindOf("y = zz\n"), ErrorKind::Name);
}

TEST(Check, ImaginaryLiteralsOnlyAsSliceSteps) {
  // mgrid's and ogrid's point counts: a literal, negated, or times a real.
  for (const char* ok :
       {"mgrid[0:1:5j]\n", "ogrid[0:1:-5j, 0:2]\n", "n = 3\nmgrid[0:1:n * 1j]\n",
        "n = 3\nmgrid[0:1:1j * n]\n", "mgrid[0:1:-(2 * 1j)]\n", "x = ones(3)\nx[::2j]\n"})
    EXPECT_EQ(checkOf(ok), "ok") << ok;
  // Anywhere else, complex arithmetic included, before anything runs.
  for (const char* bad : {"x = 5j\n", "print(1 + 2j)\n", "mgrid[0:1j:2]\n", "mgrid[0:1:1j * 1j]\n",
                          "mgrid[0:1:1j + 1]\n", "mgrid[1j]\n", "abs(5j)\n"})
    EXPECT_EQ(kindOf(bad), ErrorKind::Type) << bad;
  // The real factor's names are still checked.
  EXPECT_EQ(kindOf("mgrid[0:1:nn * 1j]\n"), ErrorKind::Name);
  EXPECT_EQ(checkOf("print(mgrid[0:1:5j], 2j)\n"),
            "<input>:1:22: type error: complex numbers are not supported in ravel: an imaginary "
            "literal may only be a slice step, mgrid's and ogrid's number of points "
            "(mgrid[0:1:5j], ogrid[0:1:n * 1j])\n"
            "    print(mgrid[0:1:5j], 2j)\n"
            "                         ^^\n");
}

TEST(Check, ReportsTheFirstUnknownNameBeforeAnythingRuns) {
  // The error is on the last line; the checker sees it without running line 1.
  EXPECT_EQ(checkOf("print(1)\nx = 2\ny = x + missing\n"),
            "<input>:3:9: name error: unknown name 'missing'\n"
            "    y = x + missing\n"
            "            ^^^^^^^\n");
}

TEST(Check, GlobalsAssignedLaterAreDefined) {
  EXPECT_EQ(checkOf("def f():\n    return later * 2\nlater = 3\nprint(f())\n"), "ok");
  EXPECT_EQ(checkOf("print(y)\ny = 1\n"), "ok");
  // Nested tuple targets and a def later in the file bind names too.
  EXPECT_EQ(checkOf("a, (b, c) = 1, (2, 3)\nprint(a + b + c)\n"), "ok");
  EXPECT_EQ(checkOf("print(g(1))\ndef g(v):\n    return v\n"), "ok");
}

TEST(Check, FunctionScopes) {
  EXPECT_EQ(checkOf("def f(a, b=2):\n    c = a + b\n    return c * scale\nscale = 3\n"), "ok");
  // Parameters and locals are not visible outside their function.
  EXPECT_EQ(checkOf("def f(param):\n    return param\nprint(param)\n"),
            "<input>:3:7: name error: unknown name 'param'\n"
            "    print(param)\n"
            "          ^^^^^\n");
  EXPECT_EQ(checkOf("def f(a):\n    tmp = a\n    return tmp\nprint(tmp)\n"),
            "<input>:4:7: name error: unknown name 'tmp'\n"
            "    print(tmp)\n"
            "          ^^^\n");
  // A default value is evaluated in the enclosing scope, not the function's.
  EXPECT_EQ(kindOf("def f(a, b=a):\n    return b\n"), ErrorKind::Name);
  // A nested function sees its own parameters and the globals.
  EXPECT_EQ(checkOf("k = 2\ndef f(a):\n    def g(b):\n        return b * k\n    return g(a)\n"),
            "ok");
  EXPECT_EQ(checkOf("def f(a, a):\n    return a\n"),
            "<input>:1:10: syntax error: duplicate argument 'a' in function definition\n"
            "    def f(a, a):\n"
            "             ^\n");
}

TEST(Check, ReturnOutsideFunction) {
  EXPECT_EQ(checkOf("x = 1\nreturn x\n"), "<input>:2:1: syntax error: 'return' outside function\n"
                                          "    return x\n"
                                          "    ^^^^^^^^\n");
  EXPECT_EQ(checkOf("def f():\n    return 1\n"), "ok");
}

TEST(Check, ModuleAttributes) {
  EXPECT_EQ(checkOf("y = np.nosuch(1)\n"),
            "<input>:1:8: name error: module 'numpy' has no attribute 'nosuch'\n"
            "    y = np.nosuch(1)\n"
            "           ^^^^^^\n");
  EXPECT_EQ(checkOf("y = numpy.sqr(2.0)\n"),
            "<input>:1:11: name error: module 'numpy' has no attribute 'sqr'\n"
            "    y = numpy.sqr(2.0)\n"
            "              ^^^\n"
            "  note: did you mean 'sqrt'?\n");
  EXPECT_EQ(checkOf("y = random.nosuch(3)\n"),
            "<input>:1:12: name error: module 'numpy.random' has no attribute 'nosuch'\n"
            "    y = random.nosuch(3)\n"
            "               ^^^^^^\n");
  EXPECT_EQ(checkOf("y = np.random.nosuch(3)\n"),
            "<input>:1:15: name error: module 'numpy.random' has no attribute 'nosuch'\n"
            "    y = np.random.nosuch(3)\n"
            "                  ^^^^^^\n");
  EXPECT_EQ(checkOf("random.seed(0)\ny = np.random.rand(3) + random.randn(3) + np.sqrt(2)\n"),
            "ok");
  // A parameter named like a module shadows it: its attributes are not checked.
  EXPECT_EQ(checkOf("def f(np):\n    return np.nosuch\n"), "ok");
}

TEST(Check, CallArity) {
  const std::string def = "def f(a, b):\n    return a + b\n";
  EXPECT_EQ(checkOf(def + "f(1, 2)\nf(1, b=2)\nf(b=1, a=2)\n"), "ok");
  EXPECT_EQ(checkOf(def + "f(1, 2, 3)\n"),
            "<input>:3:1: type error: f() takes 2 positional arguments but 3 were given\n"
            "    f(1, 2, 3)\n"
            "    ^^^^^^^^^^\n");
  EXPECT_EQ(checkOf("def g(a):\n    return a\ng(1, 2)\n"),
            "<input>:3:1: type error: g() takes 1 positional argument but 2 were given\n"
            "    g(1, 2)\n"
            "    ^^^^^^^\n");
  // Too few: the prefix is Python's; see CallArityNamesMissingArguments.
  std::string missing = checkOf(def + "y = f(1)\n");
  EXPECT_EQ(missing.rfind("<input>:3:5: type error: f() missing 1 required positional argument", 0),
            0u)
      << missing;
  EXPECT_NE(missing.find("    y = f(1)\n        ^^^^\n"), std::string::npos) << missing;
  // Defaults make parameters optional.
  EXPECT_EQ(checkOf("def h(a, b=1, c=2):\n    return a\nh(1)\nh(1, 2, 3)\nh(1, c=5)\n"), "ok");
  // A second def replaces the first: the checker does not hold either.
  EXPECT_EQ(checkOf(def + "def f(a):\n    return a\nf(1)\nf(1, 2)\n"), "ok");
}

// Python runs this (f is numpy's sqrt by the time it is called), so the
// checker must not apply the def's arity to a name that is also assigned.
TEST(Check, NameReboundByAssignmentIsNotTheFunction) {
  const std::string def = "def f(a, b):\n    return a + b\n";
  EXPECT_EQ(checkOf(def + "f = sqrt\nf(1.0)\n"), "ok");
  EXPECT_EQ(checkOf(def + "def g():\n    return f(1)\nf = sqrt\n"), "ok");
  EXPECT_EQ(checkOf(def + "f, g = sqrt, 1\nf(1.0)\n"), "ok");
}

// Python's wording: "f() missing 1 required positional argument: 'b'" and
// "h() takes from 1 to 2 positional arguments but 3 were given".
TEST(Check, CallArityNamesMissingArguments) {
  EXPECT_EQ(checkOf("def f(a, b):\n    return a\nf(1)\n"),
            "<input>:3:1: type error: f() missing 1 required positional argument: 'b'\n"
            "    f(1)\n"
            "    ^^^^\n");
  EXPECT_EQ(checkOf("def h(a, b=1):\n    return a\nh(1, 2, 3)\n"),
            "<input>:3:1: type error: h() takes from 1 to 2 positional arguments but 3 were "
            "given\n"
            "    h(1, 2, 3)\n"
            "    ^^^^^^^^^^\n");
}

TEST(Check, UnknownKeyword) {
  EXPECT_EQ(checkOf("def f(a, b):\n    return a\nf(1, c=2)\n"),
            "<input>:3:6: type error: f() got an unexpected keyword argument 'c'\n"
            "    f(1, c=2)\n"
            "         ^\n");
  EXPECT_EQ(kindOf("def f(a):\n    return a\nf(a=1, bb=2)\n"), ErrorKind::Type);
}

TEST(Check, SessionGlobalsAreDefined) {
  EXPECT_EQ(checkOf("print(data + 1)\n", {"data"}), "ok");
  EXPECT_EQ(checkOf("print(data + 1)\n", {}), "<input>:1:7: name error: unknown name 'data'\n"
                                              "    print(data + 1)\n"
                                              "          ^^^^\n");
  // A session variable is also a suggestion candidate.
  EXPECT_EQ(checkOf("print(counts)\n", {"count"}),
            "<input>:1:7: name error: unknown name 'counts'\n"
            "    print(counts)\n"
            "          ^^^^^^\n"
            "  note: did you mean 'count'?\n");
}

TEST(Check, IntegerLiteralTooLarge) {
  // Beyond int64 a literal is a Python int for arithmetic (-(2**63) fits);
  // beyond 127 bits it is rejected before anything runs.
  EXPECT_EQ(checkOf("x = -99999999999999999999999\n"), "ok");
  EXPECT_EQ(kindOf("x = 999999999999999999999999999999999999999999\n"), ErrorKind::Value);
}

} // namespace
} // namespace ravel
