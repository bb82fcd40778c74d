// Tokens, REPL continuation, Source line tables and diagnostic rendering.
#include "compiler/diag/Diagnostic.h"
#include "compiler/frontend/Parse.h"

#include <gtest/gtest.h>

namespace ravel {
namespace {

TEST(Tokens, LayoutTokensAreVisible) {
  EXPECT_EQ(dumpTokens(Source("<input>", "def f(x):  # c\n"
                                         "    return x[1:]\n"
                                         "\n"
                                         "%timeit f(1.5)")),
            "1:1 DEF 'def'\n"
            "1:5 NAME 'f'\n"
            "1:6 LPAR '('\n"
            "1:7 NAME 'x'\n"
            "1:8 RPAR ')'\n"
            "1:9 COLON ':'\n"
            "1:10 NEWLINE '\\n'\n"
            "2:1 INDENT ''\n"
            "2:5 RETURN 'return'\n"
            "2:12 NAME 'x'\n"
            "2:13 LSQB '['\n"
            "2:14 INT '1'\n"
            "2:15 COLON ':'\n"
            "2:16 RSQB ']'\n"
            "2:17 NEWLINE '\\n'\n"
            "2:17 DEDENT ''\n"
            "4:1 LINE_MAGIC '%timeit'\n"
            "4:9 NAME 'f'\n"
            "4:10 LPAR '('\n"
            "4:11 FLOAT '1.5'\n"
            "4:14 RPAR ')'\n"
            "4:15 NEWLINE '\\n'\n"
            "4:15 EOF ''\n");
}

TEST(Tokens, NoNewlinesInsideBrackets) {
  EXPECT_EQ(dumpTokens(Source("<input>", "f(\n  'a',\n)\n")), "1:1 NAME 'f'\n"
                                                              "1:2 LPAR '('\n"
                                                              "2:3 STRING '\\'a\\''\n"
                                                              "2:6 COMMA ','\n"
                                                              "3:1 RPAR ')'\n"
                                                              "3:2 NEWLINE '\\n'\n"
                                                              "3:2 EOF ''\n");
  EXPECT_EQ(dumpTokens(Source("<input>", "")), "1:1 EOF ''\n");
}

TEST(Tokens, OperatorsAreLongestMatch) {
  EXPECT_EQ(dumpTokens(Source("<input>", "a**=b//c<<=...")), "1:1 NAME 'a'\n"
                                                             "1:2 DSTAR_ASSIGN '**='\n"
                                                             "1:5 NAME 'b'\n"
                                                             "1:6 DSLASH '//'\n"
                                                             "1:8 NAME 'c'\n"
                                                             "1:9 LSHIFT_ASSIGN '<<='\n"
                                                             "1:12 ELLIPSIS '...'\n"
                                                             "1:15 NEWLINE '\\n'\n"
                                                             "1:15 EOF ''\n");
}

TEST(NeedsMoreInput, OpenBrackets) {
  EXPECT_TRUE(needsMoreInput("x = (1 +"));
  EXPECT_TRUE(needsMoreInput("x = (1 +\n"));
  EXPECT_TRUE(needsMoreInput("f(1,"));
  EXPECT_TRUE(needsMoreInput("f(1,\n  2"));
  EXPECT_TRUE(needsMoreInput("a[1:"));
  EXPECT_FALSE(needsMoreInput("f(1,\n  2)"));
  EXPECT_FALSE(needsMoreInput("x = [1,\n2]"));
}

TEST(NeedsMoreInput, Blocks) {
  EXPECT_TRUE(needsMoreInput("def f():"));
  EXPECT_TRUE(needsMoreInput("def f():\n"));
  EXPECT_TRUE(needsMoreInput("def f(x):  # comment\n"));
  EXPECT_TRUE(needsMoreInput("def f():\n    return 1"));
  EXPECT_TRUE(needsMoreInput("def f():\n    return 1\n"));
  EXPECT_TRUE(needsMoreInput("def f():\n    x = 1\n    def g():"));
  EXPECT_TRUE(needsMoreInput("def f():\n    return (1 +\n"));
  EXPECT_FALSE(needsMoreInput("def f():\n    return 1\n\n"));
  EXPECT_FALSE(needsMoreInput("def f(x): return x"));
  EXPECT_FALSE(needsMoreInput("def f():\n    return 1\nx = f()"));
}

TEST(NeedsMoreInput, BackslashContinuation) {
  EXPECT_TRUE(needsMoreInput("x = 1 + \\"));
  EXPECT_TRUE(needsMoreInput("x = 1 + \\\n"));
}

TEST(NeedsMoreInput, CompleteOrInvalidInputIsNot) {
  EXPECT_FALSE(needsMoreInput(""));
  EXPECT_FALSE(needsMoreInput("\n  \n"));
  EXPECT_FALSE(needsMoreInput("x = 1"));
  EXPECT_FALSE(needsMoreInput("x = 1 +"));  // a newline ends the statement
  EXPECT_FALSE(needsMoreInput("x = (1 2")); // invalid before the end
  EXPECT_FALSE(needsMoreInput("x = )"));    // unmatched
  EXPECT_FALSE(needsMoreInput("x = (1 $")); // lexical error
  EXPECT_FALSE(needsMoreInput("x = :"));    // ends in ':' but no block header
  EXPECT_FALSE(needsMoreInput("def f(:"));
  EXPECT_FALSE(needsMoreInput("def f():\n\n")); // the blank line ends it: an error
  EXPECT_FALSE(needsMoreInput("def f():\n    x = 1 +\n"));
  EXPECT_FALSE(needsMoreInput("  x = 1")); // unexpected indent
}

TEST(Source, LineColIsOneBasedBytes) {
  Source s("f.rv", "ab\ncd\r\nef\rg\n\n");
  EXPECT_EQ(s.lineCol(0), std::make_pair(1, 1));
  EXPECT_EQ(s.lineCol(1), std::make_pair(1, 2));
  EXPECT_EQ(s.lineCol(2), std::make_pair(1, 3)); // the newline itself
  EXPECT_EQ(s.lineCol(3), std::make_pair(2, 1));
  EXPECT_EQ(s.lineCol(5), std::make_pair(2, 3));
  EXPECT_EQ(s.lineCol(7), std::make_pair(3, 1));
  EXPECT_EQ(s.lineCol(10), std::make_pair(4, 1)); // after a lone '\r'
  EXPECT_EQ(s.lineCol(12), std::make_pair(5, 1));
  EXPECT_EQ(s.lineCol(13), std::make_pair(6, 1)); // one past the end
  EXPECT_EQ(s.lineCol(1000), std::make_pair(6, 1));
  EXPECT_EQ(s.lineText(1), "ab");
  EXPECT_EQ(s.lineText(2), "cd");
  EXPECT_EQ(s.lineText(3), "ef");
  EXPECT_EQ(s.lineText(4), "g");
  EXPECT_EQ(s.lineText(5), "");
  EXPECT_EQ(s.lineText(7), "");
  Source utf8("u.rv", "s = '\xE2\x88\x92'; x");
  EXPECT_EQ(utf8.lineCol(11), std::make_pair(1, 12));
}

TEST(Render, CaretsUnderTheWholeSpan) {
  Source s("prog.rv", "x = 1\nr = x + y\n");
  Diagnostic d{ErrorKind::Shape, Span{0, 10, 15}, "operands could not be broadcast", {"a", "b"}};
  EXPECT_EQ(d.render(s), "prog.rv:2:5: shape error: operands could not be broadcast\n"
                         "    r = x + y\n"
                         "        ^^^^^\n"
                         "  note: a\n"
                         "  note: b\n");
}

TEST(Render, ZeroWidthAndMultiLineSpans) {
  Source s("p.rv", "abc\ndef\n");
  EXPECT_EQ((Diagnostic{ErrorKind::Syntax, Span{0, 3, 3}, "m", {}}).render(s),
            "p.rv:1:4: syntax error: m\n"
            "    abc\n"
            "       ^\n");
  EXPECT_EQ((Diagnostic{ErrorKind::Name, Span{0, 1, 6}, "m", {}}).render(s),
            "p.rv:1:2: name error: m\n"
            "    abc\n"
            "     ^^\n");
  EXPECT_EQ((Diagnostic{ErrorKind::Value, Span{0, 8, 8}, "m", {}}).render(s),
            "p.rv:3:1: value error: m\n"
            "    \n"
            "    ^\n");
}

TEST(Render, TabsAndMultiByteCharacters) {
  Source s("t.rv", "\tx = '\xE2\x88\x92\xE2\x88\x92' + y\n");
  // The span covers the string literal: 2 display columns of 6 bytes + quotes.
  EXPECT_EQ((Diagnostic{ErrorKind::Type, Span{0, 5, 13}, "m", {}}).render(s),
            "t.rv:1:6: type error: m\n"
            "            x = '\xE2\x88\x92\xE2\x88\x92' + y\n"
            "                ^^^^\n");
}

} // namespace
} // namespace ravel
