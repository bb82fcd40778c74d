// Syntax errors: each bad input gives one Syntax diagnostic whose rendered
// text (message, source line, carets, notes) is checked exactly.
#include "compiler/diag/Diagnostic.h"
#include "compiler/frontend/Parse.h"

#include <gtest/gtest.h>

namespace ravel {
namespace {

std::string errorOf(const std::string& text) {
  Source source("<input>", text);
  try {
    parse(source);
  } catch (const RavelError& e) {
    EXPECT_EQ(e.diagnostic().kind, ErrorKind::Syntax);
    return e.diagnostic().render(source);
  }
  return "(no error)";
}

/// The first line of the rendered error: location, kind and message.
std::string headerOf(const std::string& text) {
  std::string rendered = errorOf(text);
  return rendered.substr(0, rendered.find('\n'));
}

TEST(SyntaxError, UnclosedBracket) {
  EXPECT_EQ(errorOf("x = (1 +"), "<input>:1:5: syntax error: '(' was never closed\n"
                                 "    x = (1 +\n"
                                 "        ^\n");
  EXPECT_EQ(errorOf("y = f(1, 2\nz = 3\n"), "<input>:1:6: syntax error: '(' was never closed\n"
                                            "    y = f(1, 2\n"
                                            "         ^\n");
  EXPECT_EQ(errorOf("a = [(1, 2]\n"),
            "<input>:1:11: syntax error: closing parenthesis ']' does not match opening "
            "parenthesis '('\n"
            "    a = [(1, 2]\n"
            "              ^\n");
  EXPECT_EQ(errorOf("x = 1)\n"), "<input>:1:6: syntax error: unmatched ')'\n"
                                 "    x = 1)\n"
                                 "         ^\n");
}

TEST(SyntaxError, UnexpectedEndOfInput) {
  const char* expected = "<input>:1:4: syntax error: unexpected end of input\n"
                         "    a +\n"
                         "       ^\n";
  EXPECT_EQ(errorOf("a +"), expected);
  EXPECT_EQ(errorOf("a +\n"), expected);
  EXPECT_EQ(errorOf("a +  # comment\n\n"), "<input>:1:4: syntax error: unexpected end of input\n"
                                           "    a +  # comment\n"
                                           "       ^\n");
}

TEST(SyntaxError, InvalidSyntaxMidFile) {
  EXPECT_EQ(errorOf("x = a +\ny = 2\n"), "<input>:1:8: syntax error: invalid syntax\n"
                                         "    x = a +\n"
                                         "           ^\n");
  EXPECT_EQ(errorOf("x = 1 2\n"), "<input>:1:7: syntax error: invalid syntax\n"
                                  "    x = 1 2\n"
                                  "          ^\n");
  EXPECT_EQ(errorOf("x = = 1\n"), "<input>:1:5: syntax error: invalid syntax\n"
                                  "    x = = 1\n"
                                  "        ^\n");
}

TEST(SyntaxError, InvalidCharacters) {
  EXPECT_EQ(errorOf("x = 3 $ 4"), "<input>:1:7: syntax error: invalid character '$'\n"
                                  "    x = 3 $ 4\n"
                                  "          ^\n");
  EXPECT_EQ(errorOf("y = x \xE2\x88\x92 1\n"),
            "<input>:1:7: syntax error: invalid character '\xE2\x88\x92' (U+2212)\n"
            "    y = x \xE2\x88\x92 1\n"
            "          ^\n"
            "  note: did you mean '-'?\n");
  EXPECT_EQ(errorOf("y = x\xC2\xA0+ 1\n"),
            "<input>:1:6: syntax error: invalid non-printable character U+00A0\n"
            "    y = x\xC2\xA0+ 1\n"
            "         ^\n"
            "  note: did you mean ' '?\n");
  EXPECT_EQ(errorOf("caf\xC3\xA9 = 1\n"),
            "<input>:1:4: syntax error: invalid character '\xC3\xA9' (U+00E9)\n"
            "    caf\xC3\xA9 = 1\n"
            "       ^\n"
            "  note: identifiers must be ASCII\n");
  EXPECT_EQ(errorOf("x = \xEF\xBC\x91\n"),
            "<input>:1:5: syntax error: invalid character '\xEF\xBC\x91' (U+FF11)\n"
            "    x = \xEF\xBC\x91\n"
            "        ^\n"
            "  note: did you mean '1'?\n");
  EXPECT_EQ(errorOf("x = 1\xE2\x80\x8B\n"),
            "<input>:1:6: syntax error: invalid non-printable character U+200B\n"
            "    x = 1\xE2\x80\x8B\n"
            "         ^\n");
}

TEST(SyntaxError, NulAndInvalidUtf8) {
  std::string nul(1, '\0');
  EXPECT_EQ(errorOf("x = 1" + nul + "\n"), "<input>:1:6: syntax error: source contains a NUL byte\n"
                                           "    x = 1" +
                                               nul +
                                               "\n"
                                               "         ^\n");
  EXPECT_EQ(errorOf("x = '\xFF'\n"), "<input>:1:6: syntax error: invalid UTF-8 in source\n"
                                     "    x = '\xFF'\n"
                                     "         ^\n");
  // Overlong encodings and surrogates are invalid too, even in comments.
  EXPECT_NE(errorOf("# \xC0\xAF\n").find("invalid UTF-8"), std::string::npos);
  EXPECT_NE(errorOf("# \xED\xA0\x80\n").find("invalid UTF-8"), std::string::npos);
  EXPECT_NE(errorOf("x = 1 # \xE2\x82\n").find("invalid UTF-8"), std::string::npos);
}

TEST(SyntaxError, Indentation) {
  EXPECT_EQ(errorOf("x = 1\n    y = 2\n"), "<input>:2:1: syntax error: unexpected indent\n"
                                           "        y = 2\n"
                                           "    ^^^^\n");
  EXPECT_EQ(errorOf("  x = 1\n"), "<input>:1:1: syntax error: unexpected indent\n"
                                  "      x = 1\n"
                                  "    ^^\n");
  EXPECT_EQ(errorOf("def f():\n        x = 1\n    y = 2\n"),
            "<input>:3:1: syntax error: unindent does not match any outer indentation level\n"
            "        y = 2\n"
            "    ^^^^\n");
  EXPECT_EQ(errorOf("def f():\nreturn 1\n"),
            "<input>:2:1: syntax error: expected an indented block after function definition "
            "on line 1\n"
            "    return 1\n"
            "    ^^^^^^\n");
  EXPECT_EQ(errorOf("def f():\n"),
            "<input>:1:9: syntax error: expected an indented block after function definition "
            "on line 1\n"
            "    def f():\n"
            "            ^\n");
  EXPECT_EQ(errorOf("def f():\n\tx = 1\n        y = 2\n"),
            "<input>:3:1: syntax error: inconsistent use of tabs and spaces in indentation\n"
            "            y = 2\n"
            "    ^^^^^^^^\n");
}

TEST(SyntaxError, ExpectedColon) {
  EXPECT_EQ(errorOf("def f(x)\n    return x\n"), "<input>:1:9: syntax error: expected ':'\n"
                                                 "    def f(x)\n"
                                                 "            ^\n");
}

TEST(SyntaxError, DeepNesting) {
  std::string src = "x = " + std::string(1000, '(') + "1" + std::string(1000, ')');
  Source source("<input>", src);
  try {
    parse(source);
    FAIL() << "no error";
  } catch (const RavelError& e) {
    EXPECT_EQ(e.diagnostic().message, "expression nested too deeply");
    // The first bracket beyond the limit.
    EXPECT_EQ(e.diagnostic().span.begin, 4u + kMaxNestingDepth);
    EXPECT_EQ(e.diagnostic().notes, std::vector<std::string>{"the limit is 200 levels"});
  }
  EXPECT_EQ(headerOf("x = " + std::string(kMaxNestingDepth + 1, '[')),
            "<input>:1:205: syntax error: expression nested too deeply");
}

TEST(SyntaxError, DeepUnaryAndPowerChains) {
  auto message = [](const std::string& src) {
    try {
      parse(Source("<input>", src));
    } catch (const RavelError& e) {
      return e.diagnostic().message;
    }
    return std::string("(no error)");
  };
  std::string minus, nots, pows, calls, mixed;
  for (int i = 0; i < 10'000; ++i) minus += "-";
  for (int i = 0; i < 1'000; ++i) nots += "not ";
  for (int i = 0; i < 1'000; ++i) pows += "2**";
  for (int i = 0; i < 1'000; ++i) calls += "f(";
  for (int i = 0; i < 150; ++i) mixed += "-(";
  EXPECT_EQ(message("x = " + minus + "x"), "expression nested too deeply");
  EXPECT_EQ(message("x = " + nots + "x"), "expression nested too deeply");
  EXPECT_EQ(message("x = " + pows + "x"), "expression nested too deeply");
  EXPECT_EQ(message("x = " + calls), "expression nested too deeply");
  EXPECT_EQ(message("x = " + mixed + "1" + std::string(150, ')')), "expression nested too deeply");
}

TEST(SyntaxError, OverlongChain) {
  std::string src = "x = y";
  for (int i = 0; i < 100'000; ++i) src += " + y";
  Source source("<input>", src);
  try {
    parse(source);
    FAIL() << "no error";
  } catch (const RavelError& e) {
    EXPECT_EQ(e.diagnostic().message, "expression too long (more than 20000 operators)");
    EXPECT_EQ(e.diagnostic().span.begin, 5u + 4u * kMaxOperatorChain + 1u);
  }
}

TEST(SyntaxError, OverlongTrailerChains) {
  // `y = x.T.T...` (and calls, subscripts) 500,000 long once overflowed the
  // stack in the recursive passes; the limit stops it before the parser.
  const int n = 500'000;
  for (const std::string trailer : {".T", "[:]", "()"}) {
    std::string src = "y = x";
    src.reserve(src.size() + trailer.size() * n);
    for (int i = 0; i < n; ++i) src += trailer;
    Source source("<input>", src);
    try {
      parse(source);
      ADD_FAILURE() << "no error for " << trailer;
    } catch (const RavelError& e) {
      EXPECT_EQ(e.diagnostic().message, "expression nested too deeply") << trailer;
      // The first trailer past the limit.
      EXPECT_EQ(e.diagnostic().span.begin, 5u + trailer.size() * kMaxExpressionDepth) << trailer;
      EXPECT_EQ(e.diagnostic().notes,
                std::vector<std::string>{"the limit is 1000 levels of brackets, operators, calls, "
                                         "subscripts and attributes"});
    }
  }
  // Trailers after a bracket add to the bracket's depth: 600 inside and 400
  // after reach the limit; the 401st is too deep.
  std::string after = "y = (x";
  for (int i = 0; i < 600; ++i) after += ".T";
  after += ")";
  for (int i = 0; i < 600; ++i) after += ".T";
  EXPECT_EQ(headerOf(after), "<input>:1:" + std::to_string(6 + 1200 + 1 + 2 * 399 + 1) +
                                 ": syntax error: expression nested too deeply");
  // Prefix operators wrap the trailers they precede.
  std::string prefixed = "y = ";
  for (int i = 0; i < 100; ++i) prefixed += "-";
  prefixed += "x";
  for (int i = 0; i < 950; ++i) prefixed += ".T";
  EXPECT_EQ(headerOf(prefixed), "<input>:1:" + std::to_string(4 + 100 + 1 + 2 * 900 + 1) +
                                    ": syntax error: expression nested too deeply");
}

TEST(SyntaxError, BadTargets) {
  EXPECT_EQ(errorOf("f() = 1\n"), "<input>:1:1: syntax error: cannot assign to function call\n"
                                  "    f() = 1\n"
                                  "    ^^^\n");
  EXPECT_EQ(errorOf("x = 1 = y\n"), "<input>:1:5: syntax error: cannot assign to literal\n"
                                    "    x = 1 = y\n"
                                    "        ^\n");
  EXPECT_EQ(errorOf("a, f(x) = t\n"), "<input>:1:4: syntax error: cannot assign to function call\n"
                                      "    a, f(x) = t\n"
                                      "       ^^^^\n");
  EXPECT_EQ(headerOf("None = 1\n"), "<input>:1:1: syntax error: cannot assign to None");
  EXPECT_EQ(headerOf("a < b = 1\n"), "<input>:1:1: syntax error: cannot assign to comparison");
  EXPECT_EQ(errorOf("a, b += 1\n"),
            "<input>:1:1: syntax error: 'tuple' is an illegal expression for augmented "
            "assignment\n"
            "    a, b += 1\n"
            "    ^^^^\n");
  EXPECT_EQ(headerOf("x + 1 += 2\n"),
            "<input>:1:1: syntax error: 'expression' is an illegal expression for augmented "
            "assignment");
}

TEST(SyntaxError, BadArgumentsAndParameters) {
  EXPECT_EQ(errorOf("f(a=1, 2)\n"),
            "<input>:1:8: syntax error: positional argument follows keyword argument\n"
            "    f(a=1, 2)\n"
            "           ^\n");
  EXPECT_EQ(errorOf("f(a=1, a=2)\n"), "<input>:1:8: syntax error: keyword argument repeated: a\n"
                                      "    f(a=1, a=2)\n"
                                      "           ^\n");
  EXPECT_EQ(errorOf("def f(a=1, b): pass\n"),
            "<input>:1:12: syntax error: non-default argument follows default argument\n"
            "    def f(a=1, b): pass\n"
            "               ^\n");
  EXPECT_EQ(errorOf("def f(a, a): pass\n"),
            "<input>:1:10: syntax error: duplicate argument 'a' in function definition\n"
            "    def f(a, a): pass\n"
            "             ^\n");
}

TEST(SyntaxError, Literals) {
  EXPECT_EQ(errorOf("x = 1abc\n"), "<input>:1:5: syntax error: invalid decimal literal\n"
                                   "    x = 1abc\n"
                                   "        ^^^^\n");
  EXPECT_EQ(errorOf("x = 007\n"),
            "<input>:1:5: syntax error: leading zeros in decimal integer literals are not "
            "permitted\n"
            "    x = 007\n"
            "        ^^^\n"
            "  note: use an 0o prefix for octal integers\n");
  EXPECT_EQ(headerOf("x = 0b102\n"), "<input>:1:5: syntax error: invalid binary literal");
  EXPECT_EQ(headerOf("x = 1__0\n"), "<input>:1:5: syntax error: invalid decimal literal");
  EXPECT_EQ(errorOf("x = 'abc\n"), "<input>:1:5: syntax error: unterminated string literal\n"
                                   "    x = 'abc\n"
                                   "        ^^^^\n");
  EXPECT_EQ(errorOf("x = 'a\\x4'\n"), "<input>:1:7: syntax error: truncated \\xXX escape\n"
                                      "    x = 'a\\x4'\n"
                                      "          ^^^\n");
  EXPECT_EQ(headerOf("x = b'a'\n"), "<input>:1:5: syntax error: bytes literals are not supported");
}

TEST(SyntaxError, FStrings) {
  EXPECT_EQ(errorOf("x = f'{a +}'\n"), "<input>:1:11: syntax error: invalid syntax\n"
                                       "    x = f'{a +}'\n"
                                       "              ^\n");
  EXPECT_EQ(errorOf("x = f'a}'\n"),
            "<input>:1:8: syntax error: f-string: single '}' is not allowed\n"
            "    x = f'a}'\n"
            "           ^\n");
  EXPECT_EQ(headerOf("x = f'{ }'\n"),
            "<input>:1:7: syntax error: f-string: empty expression not allowed");
  EXPECT_EQ(headerOf("x = f'{a'\n"), "<input>:1:7: syntax error: f-string: expecting '}'");
  EXPECT_EQ(headerOf("x = f'{a!x}'\n"),
            "<input>:1:9: syntax error: f-string: invalid conversion character: expected 's', "
            "'r', or 'a'");
}

TEST(SyntaxError, ControlFlow) {
  EXPECT_EQ(errorOf("break\n"), "<input>:1:1: syntax error: 'break' outside loop\n"
                                "    break\n"
                                "    ^^^^^\n");
  EXPECT_EQ(headerOf("for i in x:\n    def f():\n        continue\n"),
            "<input>:3:9: syntax error: 'continue' not properly in loop");
  EXPECT_EQ(headerOf("if x:\ny = 1\n"),
            "<input>:2:1: syntax error: expected an indented block after 'if' statement on line 1");
  EXPECT_EQ(
      headerOf("for i in x:\n    pass\nelse:\ny = 1\n"),
      "<input>:4:1: syntax error: expected an indented block after 'else' statement on line 3");
  EXPECT_EQ(headerOf("while x\n    pass\n"), "<input>:1:8: syntax error: expected ':'");
}

TEST(SyntaxError, UnsupportedPython) {
  EXPECT_EQ(errorOf("class A:\n    pass\n"),
            "<input>:1:1: syntax error: 'class' is a Python keyword that ravel does not support\n"
            "    class A:\n"
            "    ^^^^^\n");
  EXPECT_EQ(headerOf("y = lambda c: c\n"),
            "<input>:1:5: syntax error: 'lambda' is a Python keyword that ravel does not support");
  EXPECT_EQ(headerOf("d = {1: 2}\n"),
            "<input>:1:5: syntax error: dict and set literals are not supported");
  EXPECT_EQ(errorOf("return 1\n"), "<input>:1:1: syntax error: 'return' outside function\n"
                                   "    return 1\n"
                                   "    ^^^^^^^^\n");
  EXPECT_EQ(headerOf("x = 1 \\ 2\n"),
            "<input>:1:7: syntax error: unexpected character after line continuation "
            "character");
}

TEST(SyntaxError, Magics) {
  EXPECT_EQ(errorOf("%time x\n"), "<input>:1:1: syntax error: unsupported IPython magic '%time'\n"
                                  "    %time x\n"
                                  "    ^^^^^\n"
                                  "  note: only %timeit and %explain are supported\n");
  EXPECT_EQ(errorOf("def f():\n    %timeit x\n"),
            "<input>:2:5: syntax error: line magics (%timeit, %explain) are only allowed at the "
            "top level\n"
            "        %timeit x\n"
            "        ^^^^^^^\n");
  EXPECT_EQ(headerOf("%timeit a = 1; b = 2\n"), "<input>:1:14: syntax error: invalid syntax");
}

TEST(SyntaxError, TabsExpandInTheRenderedLine) {
  EXPECT_EQ(errorOf("x =\t3 $\n"), "<input>:1:7: syntax error: invalid character '$'\n"
                                   "    x =     3 $\n"
                                   "              ^\n");
}

} // namespace
} // namespace ravel
