// Source bytes to the parser's token stream, in three steps:
//   1. Check the bytes: no NUL, valid UTF-8; a UTF-8 BOM at the very start is
//      skipped (as Python does). Build the code-point -> byte-offset table,
//      since ANTLR's input stream counts code points and Spans count bytes.
//   2. Run the ANTLR lexer. Error tokens (ERROR_CHAR, BAD_NUMBER, ...) become
//      diagnostics here; ERROR_CHAR is also how a non-ASCII character outside
//      strings and comments is caught, so identifiers are ASCII-only.
//   3. Layout, as Python's tokenizer does it: NEWLINE is dropped inside
//      brackets and on blank or comment-only lines; the first token of each
//      logical line gets INDENT/DEDENT from a stack of indentation widths.
//      Tabs advance to the next multiple of 8, and indentation that compares
//      differently when a tab counts as one column is rejected (Python's
//      TabError). The stream ends NEWLINE, DEDENT..., EOF.
#include "compiler/frontend/Lexer.h"

#include "compiler/diag/Diagnostic.h"
#include "compiler/frontend/Parse.h"

#include "RavelLexer.h"
#include "RavelParser.h"
#include "antlr4-runtime.h"

#include <algorithm>
#include <cstdio>
#include <unordered_map>

namespace ravel::frontend {
namespace {

using P = grammar::RavelParser;

[[noreturn]] void fail(const Source& src, uint32_t begin, uint32_t end, std::string message,
                       std::vector<std::string> notes = {}) {
  throw RavelError(Diagnostic{ErrorKind::Syntax, Span{src.fileId(), begin, end}, std::move(message),
                              std::move(notes)});
}

// ------------------------------------------------------------ byte checks

/// Byte offset of each code point of text[skip..], plus one past the end.
std::vector<uint32_t> checkBytes(const Source& src, size_t skip) {
  const std::string& t = src.text();
  std::vector<uint32_t> offsets;
  offsets.reserve(t.size() - skip + 1);
  size_t i = skip;
  while (i < t.size()) {
    auto c = static_cast<unsigned char>(t[i]);
    auto here = static_cast<uint32_t>(i);
    if (c == 0) fail(src, here, here + 1, "source contains a NUL byte");
    size_t len = c < 0x80                 ? 1
                 : c >= 0xC2 && c <= 0xDF ? 2
                 : c >= 0xE0 && c <= 0xEF ? 3
                 : c >= 0xF0 && c <= 0xF4 ? 4
                                          : 0;
    bool ok = len != 0 && i + len <= t.size();
    for (size_t k = 1; ok && k < len; ++k)
      ok = (static_cast<unsigned char>(t[i + k]) & 0xC0) == 0x80;
    if (ok && len >= 3) {
      auto c1 = static_cast<unsigned char>(t[i + 1]);
      ok = !(c == 0xE0 && c1 < 0xA0) &&  // overlong
           !(c == 0xED && c1 >= 0xA0) && // surrogate
           !(c == 0xF0 && c1 < 0x90) &&  // overlong
           !(c == 0xF4 && c1 >= 0x90);   // beyond U+10FFFF
    }
    if (!ok) fail(src, here, here + 1, "invalid UTF-8 in source");
    offsets.push_back(here);
    i += len;
  }
  offsets.push_back(static_cast<uint32_t>(t.size()));
  return offsets;
}

uint32_t decodeCodePoint(const std::string& s) {
  auto b = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(s[i])); };
  if (s.empty()) return 0;
  if (b(0) < 0x80) return b(0);
  if (b(0) < 0xE0) return (b(0) & 0x1F) << 6 | (b(1) & 0x3F);
  if (b(0) < 0xF0) return (b(0) & 0x0F) << 12 | (b(1) & 0x3F) << 6 | (b(2) & 0x3F);
  return (b(0) & 0x07) << 18 | (b(1) & 0x3F) << 12 | (b(2) & 0x3F) << 6 | (b(3) & 0x3F);
}

std::string codePointName(uint32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  return buf;
}

bool isInvisible(uint32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0xA0) || cp == 0xAD ||
         (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) ||
         (cp >= 0x205F && cp <= 0x206F) || cp == 0x3000 || cp == 0xFEFF;
}

/// The ASCII text a look-alike character was probably meant to be ("" if none).
std::string asciiLookAlike(uint32_t cp) {
  struct LookAlike {
    uint32_t cp;
    const char* ascii;
  };
  static const LookAlike table[] = {
      {0x2212, "-"},   {0x2010, "-"},  {0x2011, "-"},  {0x2013, "-"},  {0x2014, "-"},
      {0x00D7, "*"},   {0x00B7, "*"},  {0x2217, "*"},  {0x22C5, "*"},  {0x00F7, "/"},
      {0x2215, "/"},   {0x2018, "'"},  {0x2019, "'"},  {0x201B, "'"},  {0x2032, "'"},
      {0x201C, "\""},  {0x201D, "\""}, {0x201F, "\""}, {0x2033, "\""}, {0x00A0, " "},
      {0x202F, " "},   {0x3000, " "},  {0x2264, "<="}, {0x2265, ">="}, {0x2260, "!="},
      {0x2026, "..."},
  };
  for (const LookAlike& l : table)
    if (l.cp == cp) return l.ascii;
  if (cp >= 0x2000 && cp <= 0x200A) return " "; // spaces
  if (cp >= 0xFF01 && cp <= 0xFF5E)
    return std::string(1, static_cast<char>(cp - 0xFEE0)); // full-width
  return "";
}

[[noreturn]] void failBadChar(const Source& src, uint32_t begin, uint32_t end) {
  std::string text = src.text().substr(begin, end - begin);
  uint32_t cp = decodeCodePoint(text);
  if (cp == '\\') fail(src, begin, end, "unexpected character after line continuation character");
  if (cp == '{' || cp == '}') fail(src, begin, end, "dict and set literals are not supported");
  std::vector<std::string> notes;
  if (std::string ascii = asciiLookAlike(cp); !ascii.empty())
    notes.push_back("did you mean '" + ascii + "'?");
  bool letter =
      (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x370 && cp <= 0x3FF);
  if (letter) notes.push_back("identifiers must be ASCII");
  if (isInvisible(cp))
    fail(src, begin, end, "invalid non-printable character " + codePointName(cp), notes);
  if (cp < 0x80) fail(src, begin, end, "invalid character '" + text + "'", notes);
  fail(src, begin, end, "invalid character '" + text + "' (" + codePointName(cp) + ")", notes);
}

[[noreturn]] void failBadNumber(const Source& src, uint32_t begin, uint32_t end) {
  std::string text = src.text().substr(begin, end - begin);
  char base = text.size() > 1 && text[0] == '0' ? static_cast<char>(text[1] | 0x20) : 'd';
  if (base == 'x') fail(src, begin, end, "invalid hexadecimal literal");
  if (base == 'o') fail(src, begin, end, "invalid octal literal");
  if (base == 'b') fail(src, begin, end, "invalid binary literal");
  if (text.find_first_not_of("0123456789_") == std::string::npos && text[0] == '0')
    fail(src, begin, end, "leading zeros in decimal integer literals are not permitted",
         {"use an 0o prefix for octal integers"});
  fail(src, begin, end, "invalid decimal literal");
}

const std::unordered_map<std::string, size_t>& keywords() {
  static const std::unordered_map<std::string, size_t> table = {
      {"def", P::DEF},           {"return", P::RETURN}, {"pass", P::PASS}, {"import", P::IMPORT},
      {"from", P::FROM},         {"as", P::AS},         {"and", P::AND},   {"or", P::OR},
      {"not", P::NOT},           {"is", P::IS},         {"in", P::IN},     {"None", P::NONE},
      {"True", P::TRUE},         {"False", P::FALSE},   {"if", P::IF},     {"elif", P::ELIF},
      {"else", P::ELSE},         {"while", P::WHILE},   {"for", P::FOR},   {"break", P::BREAK},
      {"continue", P::CONTINUE},
  };
  return table;
}

// ------------------------------------------------------------------ layout

class Layout {
public:
  Layout(const Source& src, size_t skip) : src_(src), skip_(skip) {}

  void add(size_t type, uint32_t begin, uint32_t end) {
    if (type == P::NEWLINE) {
      if (brackets_.empty() && !atLineStart_) {
        emit(P::NEWLINE, lastEnd_, lastEnd_);
        atLineStart_ = true;
      }
      return;
    }
    switch (type) {
      case P::ERROR_CHAR:
        failBadChar(src_, begin, end);
      case P::BAD_NUMBER:
        failBadNumber(src_, begin, end);
      case P::UNTERMINATED_STRING:
        fail(src_, begin, end, "unterminated string literal");
      case P::UNSUPPORTED_STRING_PREFIX:
        fail(src_, begin, end, "bytes literals are not supported");
      case P::RESERVED:
        fail(src_, begin, end,
             "'" + src_.text().substr(begin, end - begin) +
                 "' is a Python keyword that ravel does not support");
      default:
        break;
    }
    bool firstOnLine = atLineStart_;
    if (atLineStart_) {
      indent(begin);
      atLineStart_ = false;
    }
    if (type == P::MAGIC) {
      if (!firstOnLine) { // `a %b` is `a % b`
        emit(P::PERCENT, begin, begin + 1);
        std::string name = src_.text().substr(begin + 1, end - begin - 1);
        auto kw = keywords().find(name);
        emit(kw == keywords().end() ? size_t{P::NAME} : kw->second, begin + 1, end);
        lastEnd_ = end;
        return;
      }
      if (src_.text().compare(begin, end - begin, "%timeit") != 0 &&
          src_.text().compare(begin, end - begin, "%explain") != 0)
        fail(src_, begin, end,
             "unsupported IPython magic '" + src_.text().substr(begin, end - begin) + "'",
             {"only %timeit and %explain are supported"});
      type = P::LINE_MAGIC;
    }
    if (type == P::LPAR || type == P::LSQB) {
      brackets_.push_back(Bracket{src_.text()[begin], begin, out_.tokens.size()});
    } else if (type == P::RPAR || type == P::RSQB) {
      char close = src_.text()[begin];
      if (brackets_.empty()) fail(src_, begin, end, std::string("unmatched '") + close + "'");
      char open = brackets_.back().open;
      if ((open == '(') != (close == ')')) {
        std::string msg = std::string("closing parenthesis '") + close +
                          "' does not match opening parenthesis '" + open + "'";
        int openLine = src_.lineCol(brackets_.back().begin).first;
        if (openLine != src_.lineCol(begin).first) msg += " on line " + std::to_string(openLine);
        fail(src_, begin, end, msg);
      }
      brackets_.pop_back();
    }
    emit(type, begin, end);
    lastEnd_ = end;
  }

  TokenStream finish() {
    if (!brackets_.empty()) {
      out_.unclosed = brackets_;
    } else {
      if (!atLineStart_) emit(P::NEWLINE, lastEnd_, lastEnd_);
      out_.blockOpenAtEnd = widths_.size() > 1;
      for (; widths_.size() > 1; widths_.pop_back()) emit(P::DEDENT, lastEnd_, lastEnd_);
    }
    emit(antlr4::Token::EOF, lastEnd_, lastEnd_);
    return std::move(out_);
  }

private:
  struct Width {
    int col;    // tabs to multiples of 8
    int altCol; // tabs as one column: must order lines the same way
  };

  void emit(size_t type, uint32_t begin, uint32_t end) {
    std::string text;
    if (type == P::NEWLINE)
      text = "\n";
    else if (type != P::INDENT && type != P::DEDENT && type != antlr4::Token::EOF)
      text = src_.text().substr(begin, end - begin);
    out_.tokens.push_back(Token{type, begin, end, std::move(text)});
  }

  void indent(uint32_t tokenBegin) {
    const std::string& t = src_.text();
    uint32_t lineStart = tokenBegin;
    while (lineStart > skip_ && t[lineStart - 1] != '\n' && t[lineStart - 1] != '\r') --lineStart;
    Width w{0, 0};
    for (uint32_t i = lineStart; i < tokenBegin; ++i) {
      if (t[i] == '\t') {
        w.col = (w.col / 8 + 1) * 8;
        w.altCol += 1;
      } else if (t[i] == '\f') {
        w = {0, 0};
      } else {
        w.col += 1;
        w.altCol += 1;
      }
    }
    auto inconsistent = [&] {
      fail(src_, lineStart, tokenBegin, "inconsistent use of tabs and spaces in indentation");
    };
    Width top = widths_.back();
    if (w.col == top.col) {
      if (w.altCol != top.altCol) inconsistent();
    } else if (w.col > top.col) {
      if (w.altCol <= top.altCol) inconsistent();
      widths_.push_back(w);
      emit(P::INDENT, lineStart, tokenBegin);
    } else {
      while (w.col < widths_.back().col) {
        widths_.pop_back();
        emit(P::DEDENT, lastEnd_, lastEnd_);
      }
      if (w.col != widths_.back().col)
        fail(src_, lineStart, tokenBegin, "unindent does not match any outer indentation level");
      if (w.altCol != widths_.back().altCol) inconsistent();
    }
  }

  const Source& src_;
  uint32_t skip_;
  TokenStream out_;
  std::vector<Width> widths_{Width{0, 0}};
  std::vector<Bracket> brackets_;
  bool atLineStart_ = true;
  uint32_t lastEnd_ = 0;
};

/// The lexer never reports errors (ERROR_CHAR matches anything), but its
/// console listener must not print if it ever does.
class ThrowingLexerListener : public antlr4::BaseErrorListener {
public:
  explicit ThrowingLexerListener(const Source& src) : src_(src) {}
  void syntaxError(antlr4::Recognizer*, antlr4::Token*, size_t, size_t, const std::string& msg,
                   std::exception_ptr) override {
    fail(src_, 0, 0, "invalid syntax: " + msg);
  }

private:
  const Source& src_;
};

} // namespace

TokenStream tokenize(const Source& source) {
  const std::string& text = source.text();
  if (text.size() >= UINT32_MAX) fail(source, 0, 0, "source too large");
  size_t skip = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  std::vector<uint32_t> offsets = checkBytes(source, skip);

  antlr4::ANTLRInputStream input(text.substr(skip));
  grammar::RavelLexer lexer(&input);
  ThrowingLexerListener listener(source);
  lexer.removeErrorListeners();
  lexer.addErrorListener(&listener);

  Layout layout(source, static_cast<uint32_t>(skip));
  for (;;) {
    std::unique_ptr<antlr4::Token> t = lexer.nextToken();
    if (t->getType() == antlr4::Token::EOF) break;
    layout.add(t->getType(), offsets[t->getStartIndex()], offsets[t->getStopIndex() + 1]);
  }
  return layout.finish();
}

// ------------------------------------------------------------------ nesting

void checkNesting(const Source& source, const std::vector<Token>& tokens) {
  // Per bracket level: `base` is the nesting depth at which the bracket
  // opened; `run` counts prefix operators and `**` that nest the current
  // operand; `chain` counts binary operators folded into one left-deep tree.
  //
  // Separately, the depth the recursive passes reach (`x.T.T...`, `f()()...`
  // and `x[0][0]...` are as deep as they are long; binary chains are walked
  // iteratively and add nothing): `core` is the depth of the current operand
  // without its prefix operators, `deepest` the deepest finished operand of
  // the level, `above` the depth of the level's bracket in the statement.
  // A closed bracket hands its depth to the operand it belongs to.
  struct Level {
    int base, run, chain;
    int above = 0, core = 0, deepest = 0;
  };
  std::vector<Level> levels{{0, 0, 0}};
  bool afterOperand = false;
  auto tooDeep = [&](const Token& t) {
    fail(source, t.begin, t.end, "expression nested too deeply",
         {"the limit is " + std::to_string(kMaxNestingDepth) + " levels"});
  };
  auto checkDepth = [&](const Token& t) {
    const Level& l = levels.back();
    if (l.above + std::max(l.deepest, l.run + l.core) > kMaxExpressionDepth)
      fail(source, t.begin, t.end, "expression nested too deeply",
           {"the limit is " + std::to_string(kMaxExpressionDepth) +
            " levels of brackets, operators, calls, subscripts and attributes"});
  };
  // The current operand is complete (a binary operator or a separator follows).
  auto settle = [&] {
    Level& l = levels.back();
    l.deepest = std::max(l.deepest, l.run + l.core);
    l.core = 0;
  };
  auto nest = [&](const Token& t) {
    Level& l = levels.back();
    if (l.base + ++l.run > kMaxNestingDepth) tooDeep(t);
    checkDepth(t);
  };
  auto chain = [&](const Token& t) {
    settle();
    Level& l = levels.back();
    l.run = 0;
    if (++l.chain > kMaxOperatorChain)
      fail(source, t.begin, t.end,
           "expression too long (more than " + std::to_string(kMaxOperatorChain) + " operators)");
  };
  auto trailer = [&](const Token& t) {
    ++levels.back().core;
    checkDepth(t);
  };
  for (const Token& t : tokens) {
    bool operand = false;
    switch (t.type) {
      case P::LPAR:
      case P::LSQB: {
        // A call or a subscript: the trailer's node is counted, and the
        // bracket's contents are its children; else the bracket is the node.
        const bool isTrailer = afterOperand;
        if (isTrailer) trailer(t);
        const Level& outer = levels.back();
        int depth = outer.base + outer.run + 1;
        if (depth > kMaxNestingDepth) tooDeep(t);
        Level inner{depth, 0, 0};
        inner.above = outer.above + outer.run + (isTrailer ? outer.core : outer.core + 1);
        levels.push_back(inner);
        break;
      }
      case P::RPAR:
      case P::RSQB:
        if (levels.size() > 1) {
          settle();
          const int inside = levels.back().deepest;
          levels.pop_back();
          Level& l = levels.back();
          l.core = std::max(l.core, inside + 1);
          checkDepth(t);
        }
        operand = true;
        break;
      case P::PLUS:
      case P::MINUS:
        if (afterOperand)
          chain(t);
        else
          nest(t);
        break;
      case P::TILDE:
        nest(t);
        break;
      case P::DSTAR:
        settle();
        nest(t);
        break;
      case P::NOT:
        if (afterOperand) {
          settle();
          levels.back().run = 0; // `not in`
        } else {
          nest(t);
        }
        break;
      case P::STAR:
      case P::SLASH:
      case P::DSLASH:
      case P::PERCENT:
      case P::AT:
      case P::AMP:
      case P::VBAR:
      case P::CARET:
      case P::LSHIFT:
      case P::RSHIFT:
        chain(t);
        break;
      case P::NAME:
      case P::INT:
      case P::FLOAT:
      case P::IMAG:
      case P::STRING:
      case P::FSTRING:
      case P::NONE:
      case P::TRUE:
      case P::FALSE:
      case P::ELLIPSIS:
        operand = true;
        break;
      case P::DOT:
        if (afterOperand) trailer(t); // an attribute (`import a.b` is no expression)
        break;
      default:
        settle();
        levels.back().run = levels.back().chain = 0;
        break;
    }
    afterOperand = operand;
  }
}

std::string tokenTypeName(size_t type) {
  if (type == antlr4::Token::EOF) return "EOF";
  static const std::vector<std::string> names = [] {
    std::vector<std::unique_ptr<antlr4::Token>> eof;
    eof.push_back(std::make_unique<antlr4::CommonToken>(antlr4::Token::EOF));
    antlr4::ListTokenSource empty(std::move(eof));
    antlr4::CommonTokenStream stream(&empty);
    grammar::RavelParser parser(&stream);
    std::vector<std::string> out;
    const antlr4::dfa::Vocabulary& v = parser.getVocabulary();
    for (size_t i = 0; i <= v.getMaxTokenType(); ++i) out.push_back(v.getSymbolicName(i));
    return out;
  }();
  return type < names.size() ? names[type] : "?";
}

} // namespace ravel::frontend
