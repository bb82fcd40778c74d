// Parser tests through ast::dump: Python's precedence table, every statement
// form, layout (INDENT/DEDENT, blank and comment lines, continuations), and
// node spans.
#include "compiler/frontend/Parse.h"
#include "compiler/diag/Diagnostic.h"

#include <gtest/gtest.h>

namespace ravel {
namespace {

std::string dumpOf(const std::string& text) {
  Source source("<input>", text);
  try {
    return ast::dump(parse(source));
  } catch (const RavelError& e) {
    return "error: " + e.diagnostic().render(source);
  }
}

/// The dump of a one-statement program, without its trailing newline.
std::string one(const std::string& text) {
  std::string d = dumpOf(text);
  if (!d.empty() && d.back() == '\n') d.pop_back();
  return d;
}

struct Case {
  const char* source;
  const char* dump;
};

void expectDumps(const std::vector<Case>& cases) {
  for (const Case& c : cases) EXPECT_EQ(one(c.source), c.dump) << "source: " << c.source;
}

TEST(Precedence, PowerAndUnary) {
  expectDumps({
      {"-x**2", "(- (** x 2))"},
      {"2**3**2", "(** 2 (** 3 2))"},
      {"2**-1", "(** 2 (- 1))"},
      {"-2**-x**2", "(- (** 2 (- (** x 2))))"},
      {"~x**2", "(~ (** x 2))"},
      {"(-x)**2", "(** (- x) 2)"},
      {"--x", "(- (- x))"},
      {"-+~x", "(- (+ (~ x)))"},
      {"a.b**2", "(** (. a b) 2)"},
      {"f(x)**g(y)[0]", "(** (call f x) (sub (call g y) 0))"},
  });
}

TEST(Precedence, Arithmetic) {
  expectDumps({
      {"a + b * c", "(+ a (* b c))"},
      {"a - b - c", "(- (- a b) c)"},
      {"a / b / c", "(/ (/ a b) c)"},
      {"a * b // c % d @ e", "(@ (% (// (* a b) c) d) e)"},
      {"x @ y.T", "(@ x (. y T))"},
      {"a + -b", "(+ a (- b))"},
      {"a - -b", "(- a (- b))"},
      {"-a * b", "(* (- a) b)"},
      {"a << b + c", "(<< a (+ b c))"},
      {"a & b << c", "(& a (<< b c))"},
      {"a ^ b & c", "(^ a (& b c))"},
      {"a | b ^ c", "(| a (^ b c))"},
  });
}

TEST(Precedence, ComparisonsAndBooleans) {
  expectDumps({
      {"a < b < c", "(compare a < b < c)"},
      {"a < b <= c == d != e > f >= g", "(compare a < b <= c == d != e > f >= g)"},
      {"a < b", "(< a b)"},
      {"not a == b", "(not (== a b))"},
      {"a & b == c", "(== (& a b) c)"},
      // The classic NumPy trap: `&` binds tighter than comparisons.
      {"a > 0 & a < 2", "(compare a > (& 0 a) < 2)"},
      {"(a > 0) & (a < 2)", "(& (> a 0) (< a 2))"},
      {"a | b == c | d", "(== (| a b) (| c d))"},
      {"a in b", "(in a b)"},
      {"a not in b", "(not-in a b)"},
      {"a is b", "(is a b)"},
      {"a is not b", "(is-not a b)"},
      {"a is not b in c", "(compare a is-not b in c)"},
      {"a or b and c", "(or a (and b c))"},
      {"a and b or c and d", "(or (and a b) (and c d))"},
      {"a or b or c", "(or a b c)"},
      {"not a and not b", "(and (not a) (not b))"},
      {"not not a", "(not (not a))"},
      {"a == b and c", "(and (== a b) c)"},
      {"-a < b", "(< (- a) b)"},
  });
}

TEST(Atoms, Literals) {
  expectDumps({
      {"10_000_000", "10000000"},
      {"1_000.5", "1000.5"},
      {"1e-3", "0.001"},
      {".5", "0.5"},
      {"5.", "5.0"},
      {"1E5", "1e+05"},
      {"1.5e+3", "1500.0"},
      {"0x1F", "31"},
      {"0o17", "15"},
      {"0b1010", "10"},
      {"0", "0"},
      {"0.1", "0.1"},
      {"1e400", "inf"},
      {"9223372036854775807", "9223372036854775807"},
      {"9223372036854775808", "(overflow 9223372036854775807)"},
      {"-9223372036854775808", "(- (overflow 9223372036854775807))"},
      {"None", "None"},
      {"True", "True"},
      {"False", "False"},
      {"...", "..."},
      {"'a'", "\"a\""},
      {"\"b\"", "\"b\""},
      {"'a\\n\\t\\\\\\'\"'", "\"a\\n\\t\\\\'\\\"\""},
      {"'\\x41\\101\\u00e9'", "\"AA\\xC3\\xA9\""},
      {"'a' \"b\"", "\"ab\""},
      {"r'\\d'", "\"\\\\d\""},
      {"'''x'''", "\"x\""},
      {"'\\q'", "\"\\\\q\""},
      {"'−'", "\"\\xE2\\x88\\x92\""}, // non-ASCII is fine inside strings
  });
}

TEST(Atoms, ImaginaryLiterals) {
  // Python's imaginary literals lex as one token (sema allows them only as
  // a slice step); a digit run glued to other letters stays a bad number.
  expectDumps({
      {"5j", "5.0j"},
      {"5J", "5.0j"},
      {"2.5j", "2.5j"},
      {".5j", "0.5j"},
      {"1e3j", "1000.0j"},
      {"1_0j", "10.0j"},
      {"007j", "7.0j"},
      {"-5j", "(- 5.0j)"},
      {"m[0:1:5j]", "(sub m (slice 0 1 5.0j))"},
  });
  EXPECT_NE(one("5k").find("error"), std::string::npos);
  EXPECT_NE(one("5jj").find("error"), std::string::npos);
}

TEST(Atoms, TuplesAndLists) {
  expectDumps({
      {"(a, b)", "(tuple a b)"},
      {"(a,)", "(tuple a)"},
      {"()", "(tuple)"},
      {"(a)", "a"},
      {"((a))", "a"},
      {"[1, [2, 3]]", "(list 1 (list 2 3))"},
      {"[1, 2,]", "(list 1 2)"},
      {"[]", "(list)"},
      {"[(1, 2), (3, 4)]", "(list (tuple 1 2) (tuple 3 4))"},
      {"a, b", "(tuple a b)"},
      {"a,", "(tuple a)"},
  });
}

TEST(Primary, CallsAndAttributes) {
  expectDumps({
      {"f(x, axis=1)", "(call f x (kw axis 1))"},
      {"f()", "(call f)"},
      {"f(a, b,)", "(call f a b)"},
      {"f(axis=1,)", "(call f (kw axis 1))"},
      {"np.sum(a, axis=(0, 1), keepdims=True)",
       "(call (. np sum) a (kw axis (tuple 0 1)) (kw keepdims True))"},
      {"f(g(x))(y)", "(call (call f (call g x)) y)"},
      {"a.b.c", "(. (. a b) c)"},
      {"x.reshape(2, 3).T", "(. (call (. x reshape) 2 3) T)"},
      {"random.rand(10_000_000)", "(call (. random rand) 10000000)"},
      {"f((a, b))", "(call f (tuple a b))"},
  });
}

TEST(Primary, Subscripts) {
  expectDumps({
      {"a[1]", "(sub a 1)"},
      {"a[1:3]", "(sub a (slice 1 3 None))"},
      {"a[::2]", "(sub a (slice None None 2))"},
      {"a[::-1]", "(sub a (slice None None (- 1)))"},
      {"a[:, 0]", "(sub a (slice None None None) 0)"},
      {"a[..., None]", "(sub a ... None)"},
      {"a[1:2, ::3]", "(sub a (slice 1 2 None) (slice None None 3))"},
      {"a[i][j]", "(sub (sub a i) j)"},
      {"a[:]", "(sub a (slice None None None))"},
      {"a[1:]", "(sub a (slice 1 None None))"},
      {"a[:2]", "(sub a (slice None 2 None))"},
      {"a[1::]", "(sub a (slice 1 None None))"},
      {"a[1:2:3]", "(sub a (slice 1 2 3))"},
      {"a[x > 0.5]", "(sub a (> x 0.5))"},
      {"a[(1, 2)]", "(sub a (tuple 1 2))"},
      {"a[1,]", "(sub a (tuple 1))"},
      {"a[0:3,]", "(sub a (tuple (slice 0 3 None)))"},
      {"a[()]", "(sub a (tuple))"},
      {"a[-1:]", "(sub a (slice (- 1) None None))"},
      {"a[[0, 2]]", "(sub a (list 0 2))"},
      {"x[i + 1:n - 1]", "(sub x (slice (+ i 1) (- n 1) None))"},
  });
}

TEST(Statements, Assignments) {
  expectDumps({
      {"x = 1", "(= x 1)"},
      {"a = b = 3", "(= a b 3)"},
      {"a, b = b, a", "(= (tuple a b) (tuple b a))"},
      {"(a, b) = t", "(= (tuple a b) t)"},
      {"[a, b] = t", "(= (tuple a b) t)"},
      {"x[1:3] = 0", "(= (sub x (slice 1 3 None)) 0)"},
      {"x[m] = 0", "(= (sub x m) 0)"},
      {"x[x > 0.5] = 0", "(= (sub x (> x 0.5)) 0)"},
      {"a.shape = (2, 3)", "(= (. a shape) (tuple 2 3))"},
      {"r = 1, 2", "(= r (tuple 1 2))"},
      {"x += 1", "(+= x 1)"},
      {"x -= 1", "(-= x 1)"},
      {"x *= 1", "(*= x 1)"},
      {"x /= 1", "(/= x 1)"},
      {"x //= 1", "(//= x 1)"},
      {"x %= 1", "(%= x 1)"},
      {"x **= 2", "(**= x 2)"},
      {"x @= y", "(@= x y)"},
      {"x &= y", "(&= x y)"},
      {"x |= y", "(|= x y)"},
      {"x ^= y", "(^= x y)"},
      {"x <<= 1", "(<<= x 1)"},
      {"x >>= 1", "(>>= x 1)"},
      {"x[0] += 1", "(+= (sub x 0) 1)"},
      {"print(x)", "(call print x)"},
      {"pass", "(pass)"},
  });
}

TEST(Statements, ControlFlow) {
  expectDumps({
      {"y = a if c else b if d else e", "(= y (ifexp c a (ifexp d b e)))"},
      {"[x * 2 for x in r if x if y]", "(listcomp (* x 2) (for x r (if x) (if y)))"},
      {"[(i, j) for i in a for j, k in b]", "(listcomp (tuple i j) (for i a) (for (tuple j k) b))"},
      {"f'a{x:.3e}b{y!r}{{'", "(fstring \"a\" (field x \".3e\") \"b\" (field y !r) \"{\")"},
      {"'p' f'{x}'", "(fstring \"p\" (field x))"},
      {"for i, x in enumerate(a):\n    break\nelse:\n    pass\n",
       "(for (tuple i x) (call enumerate a)\n  (break)\n (else\n  (pass)))"},
      {"while x < 1:\n    continue\n", "(while (< x 1)\n  (continue))"},
      {"if a:\n    x = 1\nelif b:\n    x = 2\nelse:\n    x = 3\n",
       "(if a\n  (= x 1)\n (else\n  (if b\n    (= x 2)\n   (else\n    (= x 3)))))"},
  });
  // `in` ends a for target: `for x in a in b` iterates over `a in b`.
  EXPECT_EQ(one("for x in a in b:\n    pass\n"), "(for x (in a b)\n  (pass))");
}

TEST(Statements, Imports) {
  expectDumps({
      {"import numpy as np", "(import numpy as np)"},
      {"import numpy", "(import numpy)"},
      {"import numpy.linalg", "(import numpy.linalg)"},
      {"from numpy import *", "(from numpy import *)"},
      {"from numpy import sqrt, pi", "(from numpy import sqrt pi)"},
      {"from numpy import (sqrt, pi,)", "(from numpy import sqrt pi)"},
      {"from numpy.random import rand", "(from numpy.random import rand)"},
  });
  EXPECT_EQ(dumpOf("import numpy as np, numpy.linalg\n"),
            "(import numpy as np)\n(import numpy.linalg)\n");
}

TEST(Statements, TimeIt) {
  expectDumps({
      {"%timeit r = sqrt(x)", "(timeit (= r (call sqrt x)))"},
      {"%timeit f(x)", "(timeit (call f x))"},
      {"%timeit x += 1", "(timeit (+= x 1))"},
      {"%explain s = sum(x)", "(explain (= s (call sum x)))"},
  });
  // `%name` not at a line start is the modulo operator.
  EXPECT_EQ(one("a %timeit"), "(% a timeit)");
  EXPECT_EQ(one("x = a %b"), "(= x (% a b))");
  EXPECT_EQ(one("x = a %True"), "(= x (% a True))");
}

TEST(Statements, SemicolonsAndComments) {
  EXPECT_EQ(dumpOf("t = x**2; r = sqrt(t)\n"), "(= t (** x 2))\n(= r (call sqrt t))\n");
  EXPECT_EQ(dumpOf("t = 1;\n"), "(= t 1)\n");
  EXPECT_EQ(dumpOf("# only a comment\n\n   \n# another\n"), "");
  EXPECT_EQ(dumpOf(""), "");
  EXPECT_EQ(dumpOf("x = 1  # trailing comment\ny = 2"), "(= x 1)\n(= y 2)\n");
  EXPECT_EQ(dumpOf("\n\n  \nx = 1\n    # indented comment\ny = 2\n"), "(= x 1)\n(= y 2)\n");
}

TEST(Statements, LastLineWithoutNewline) {
  EXPECT_EQ(dumpOf("x = 1\ny = 2"), "(= x 1)\n(= y 2)\n");
  EXPECT_EQ(dumpOf("def f(x):\n    return x"), "(def f (x)\n  (return x))\n");
}

TEST(Layout, FunctionDefinitions) {
  EXPECT_EQ(dumpOf("def mag(x, y):\n"
                   "    return sqrt(x**2 + y**2)\n"
                   "print(mag(x, y)[:5])\n"),
            "(def mag (x y)\n"
            "  (return (call sqrt (+ (** x 2) (** y 2)))))\n"
            "(call print (sub (call mag x y) (slice None 5 None)))\n");
  EXPECT_EQ(dumpOf("def f(x): return x\n"), "(def f (x)\n  (return x))\n");
  EXPECT_EQ(dumpOf("def f(): x = 1; return x\n"), "(def f ()\n  (= x 1)\n  (return x))\n");
  EXPECT_EQ(dumpOf("def f(a, b=2,):\n  pass\n"), "(def f (a (b 2))\n  (pass))\n");
  EXPECT_EQ(dumpOf("def f():\n    return\n"), "(def f ()\n  (return))\n");
  EXPECT_EQ(dumpOf("def f():\n    return a, b\n"), "(def f ()\n  (return (tuple a b)))\n");
}

TEST(Layout, BlankAndCommentLinesInsideBlocks) {
  EXPECT_EQ(dumpOf("def f(x):\n"
                   "    # leading comment\n"
                   "\n"
                   "    t = x**2\n"
                   "        # over-indented comment\n"
                   "  # under-indented comment\n"
                   "\n"
                   "    return t\n"
                   "\n"
                   "y = f(2)\n"),
            "(def f (x)\n  (= t (** x 2))\n  (return t))\n(= y (call f 2))\n");
}

TEST(Layout, NestedBlocksDedentSeveralLevels) {
  EXPECT_EQ(dumpOf("def f():\n"
                   "    def g():\n"
                   "        def h():\n"
                   "            return 1\n"
                   "        return h\n"
                   "    return g\n"
                   "x = f\n"),
            "(def f ()\n"
            "  (def g ()\n"
            "    (def h ()\n"
            "      (return 1))\n"
            "    (return h))\n"
            "  (return g))\n"
            "(= x f)\n");
  EXPECT_EQ(dumpOf("def f():\n  def g():\n    return 1\nx = 2\n"),
            "(def f ()\n  (def g ()\n    (return 1)))\n(= x 2)\n");
}

TEST(Layout, ContinuationInsideBrackets) {
  EXPECT_EQ(dumpOf("x = [\n  1,  # one\n\n      2,\n]\ny = f(a,\n  b)\n"),
            "(= x (list 1 2))\n(= y (call f a b))\n");
  EXPECT_EQ(dumpOf("def f():\n    return (1 +\n2)\n"), "(def f ()\n  (return (+ 1 2)))\n");
}

TEST(Layout, BackslashContinuation) {
  EXPECT_EQ(dumpOf("x = 1 + \\\n    2\ny = 3\n"), "(= x (+ 1 2))\n(= y 3)\n");
}

TEST(Layout, TabsCountToMultiplesOfEight) {
  EXPECT_EQ(dumpOf("def f():\n\treturn 1\n"), "(def f ()\n  (return 1))\n");
  EXPECT_EQ(dumpOf("def f():\n\tx = 1\n\ty = 2\n"), "(def f ()\n  (= x 1)\n  (= y 2))\n");
}

TEST(Layout, WindowsLineEndingsAndBom) {
  EXPECT_EQ(dumpOf("def f():\r\n    x = 1\r\n\r\n    return x\r\n"),
            "(def f ()\n  (= x 1)\n  (return x))\n");
  EXPECT_EQ(dumpOf("\xEF\xBB\xBFx = 1\n"), "(= x 1)\n");
}

TEST(Layout, DocstringsSpanLines) {
  EXPECT_EQ(dumpOf("def f():\n    \"\"\"doc\n    more\"\"\"\n    return 1\n"),
            "(def f ()\n  \"doc\\n    more\"\n  (return 1))\n");
}

// ---------------------------------------------------------------- spans

std::string text(const Source& s, Span span) {
  return s.text().substr(span.begin, span.end - span.begin);
}

TEST(Spans, CoverTheWholeSourceText) {
  Source s("<input>", "r = (a + b) * c(x, axis=1)[0:2]\n");
  ast::Program p = parse(s);
  const auto& assign = ast::cast<ast::AssignStmt>(*p.body[0]);
  EXPECT_EQ(text(s, assign.span()), "r = (a + b) * c(x, axis=1)[0:2]");
  const auto& mul = ast::cast<ast::BinaryExpr>(*assign.value);
  EXPECT_EQ(text(s, mul.span()), "(a + b) * c(x, axis=1)[0:2]");
  EXPECT_EQ(text(s, mul.opSpan), "*");
  EXPECT_EQ(text(s, mul.lhs->span()), "a + b");
  const auto& sub = ast::cast<ast::SubscriptExpr>(*mul.rhs);
  EXPECT_EQ(text(s, sub.span()), "c(x, axis=1)[0:2]");
  EXPECT_EQ(text(s, sub.indices[0]->span()), "0:2");
  const auto& call = ast::cast<ast::CallExpr>(*sub.object);
  EXPECT_EQ(text(s, call.span()), "c(x, axis=1)");
  EXPECT_EQ(text(s, call.keywords[0].nameSpan), "axis");
  EXPECT_EQ(text(s, call.keywords[0].value->span()), "1");
}

TEST(Spans, LeftDeepChainsStartAtTheFirstOperand) {
  Source s("<input>", "y = (a) - b - c\n");
  ast::Program p = parse(s);
  const auto& assign = ast::cast<ast::AssignStmt>(*p.body[0]);
  const auto& outer = ast::cast<ast::BinaryExpr>(*assign.value);
  EXPECT_EQ(text(s, outer.span()), "(a) - b - c");
  EXPECT_EQ(text(s, outer.lhs->span()), "(a) - b");
  EXPECT_EQ(text(s, ast::cast<ast::BinaryExpr>(*outer.lhs).opSpan), "-");
}

TEST(Spans, StatementsAndDefinitions) {
  Source s("<input>", "def f(x, y=2):\n    return x.T\n\nx += 1  # c\n");
  ast::Program p = parse(s);
  const auto& def = ast::cast<ast::FunctionDefStmt>(*p.body[0]);
  EXPECT_EQ(text(s, def.span()), "def f(x, y=2):\n    return x.T");
  EXPECT_EQ(text(s, def.nameSpan), "f");
  EXPECT_EQ(text(s, def.params[1].span), "y");
  const auto& ret = ast::cast<ast::ReturnStmt>(*def.body[0]);
  EXPECT_EQ(text(s, ret.span()), "return x.T");
  const auto& attr = ast::cast<ast::AttributeExpr>(*ret.value);
  EXPECT_EQ(text(s, attr.attrSpan), "T");
  const auto& aug = ast::cast<ast::AugAssignStmt>(*p.body[1]);
  EXPECT_EQ(text(s, aug.span()), "x += 1");
  EXPECT_EQ(text(s, aug.opSpan), "+=");
}

TEST(Spans, AreBytesAfterNonAsciiStrings) {
  Source s("<input>", "s = '−é'; t = a + b\n");
  ast::Program p = parse(s);
  const auto& assign = ast::cast<ast::AssignStmt>(*p.body[1]);
  EXPECT_EQ(text(s, assign.span()), "t = a + b");
  EXPECT_EQ(ast::cast<ast::StringExpr>(*ast::cast<ast::AssignStmt>(*p.body[0]).value).value, "−é");
}

// ---------------------------------------------------------------- limits

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(Limits, NestingUpToTheLimitParses) {
  int n = kMaxNestingDepth;
  EXPECT_EQ(one("x = " + repeat("(", n) + "1" + repeat(")", n)), "(= x 1)");
  EXPECT_EQ(one("x = " + repeat("-", n) + "1").substr(0, 9), "(= x (- (");
  EXPECT_EQ(one("x = " + repeat("f(", n) + repeat(")", n)).substr(0, 22), "(= x (call f (call f (");
}

TEST(Limits, TenThousandTermChainParses) {
  std::string src = "x = y";
  for (int i = 0; i < 10'000; ++i) src += " + y";
  Source s("<input>", src);
  ast::Program p = parse(s);
  const auto& assign = ast::cast<ast::AssignStmt>(*p.body[0]);
  int depth = 0;
  for (const ast::Expr* e = assign.value.get(); ast::isa<ast::BinaryExpr>(*e);
       e = ast::cast<ast::BinaryExpr>(*e).lhs.get())
    ++depth;
  EXPECT_EQ(depth, 10'000);
  EXPECT_EQ(ast::dump(p).substr(0, 14), "(= x (+ (+ (+ ");
}

TEST(Limits, TrailerChainsUpToTheLimitParse) {
  for (const std::string trailer : {".T", "[:]", "()"}) {
    const std::string src = "y = x" + repeat(trailer, kMaxExpressionDepth) + "\n";
    ast::Program p = parse(Source("<input>", src));
    EXPECT_EQ(p.body.size(), 1u) << trailer;
  }
  // Chains restart at every statement, argument, element and operator: a
  // call or a list of two such chains is one level deeper, no more.
  const std::string chain = "x" + repeat(".T", kMaxExpressionDepth - 1);
  ast::Program p =
      parse(Source("<input>", "y = " + chain + "\nz = f(" + chain + ", " + chain + ")\nw = [" +
                                  chain + ", " + chain + "]\nv = " + chain + " + " + chain + "\n"));
  EXPECT_EQ(p.body.size(), 4u);
}

TEST(Limits, LongFlatListsAndMixedChainsParse) {
  std::string src = "x = [" + repeat("1, ", 50'000) + "]\ny = a" + repeat(" * b - c", 5'000) + "\n";
  ast::Program p = parse(Source("<input>", src));
  EXPECT_EQ(ast::cast<ast::ListExpr>(*ast::cast<ast::AssignStmt>(*p.body[0]).value).elts.size(),
            50'000u);
}

} // namespace
} // namespace ravel
