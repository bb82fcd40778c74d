// parse(): source text to AST.
//   1. tokenize(): byte checks, the ANTLR lexer, and the indentation layout
//      (all lexical errors are reported before any syntax error).
//   2. checkNesting(): depth limits, before anything recursive runs.
//   3. The ANTLR parser over the laid-out tokens, with a listener that
//      throws the first syntax error as a RavelError with the offending
//      token's span (ANTLR's console listener is removed).
//   4. buildAst(): parse tree to AST.
// needsMoreInput() reuses the same steps to tell the REPL whether a text is
// an unfinished statement.
#include "compiler/frontend/Parse.h"

#include "compiler/diag/Diagnostic.h"
#include "compiler/frontend/AstBuilder.h"
#include "compiler/frontend/Lexer.h"

#include "RavelParser.h"
#include "antlr4-runtime.h"

namespace ravel {
namespace {

using P = grammar::RavelParser;
using frontend::Token;
using frontend::TokenStream;

/// Turns ANTLR's report of the first syntax error into a Python-like
/// diagnostic and throws it.
class ThrowingParserListener : public antlr4::BaseErrorListener {
public:
  ThrowingParserListener(const Source& source, const TokenStream& tokens)
      : source_(source), stream_(tokens) {}

  /// Set when the error is at the end of the input (the REPL may read more).
  bool errorAtEnd = false;

  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t, size_t,
                   const std::string&, std::exception_ptr) override {
    auto* parser = static_cast<P*>(recognizer);
    size_t index = offending->getTokenIndex();
    const std::vector<Token>& tokens = stream_.tokens;
    if (index >= tokens.size()) index = tokens.size() - 1;
    const Token& tok = tokens[index];
    errorAtEnd = tok.type == antlr4::Token::EOF;

    // Inside a bracket that is never closed: that is the real problem.
    for (auto b = stream_.unclosed.rbegin(); b != stream_.unclosed.rend(); ++b)
      if (b->tokenIndex < index)
        fail(b->begin, b->begin + 1, std::string("'") + b->open + "' was never closed");

    if (tok.type == P::INDENT) fail(tok, "unexpected indent");
    antlr4::misc::IntervalSet expected;
    try {
      expected = parser->getExpectedTokens();
    } catch (...) {
    }
    if (expected.contains(size_t{P::INDENT})) {
      std::string msg = "expected an indented block";
      // Python names the header: "after 'if' statement on line 3".
      auto lineOf = [&](antlr4::Token* t) {
        return std::to_string(source_.lineCol(tokens[t->getTokenIndex()].begin).first);
      };
      for (antlr4::tree::ParseTree* c = parser->getContext(); c; c = c->parent) {
        auto* rule = dynamic_cast<antlr4::ParserRuleContext*>(c);
        if (dynamic_cast<P::FuncDefContext*>(c)) {
          msg += " after function definition on line " + lineOf(rule->getStart());
          break;
        }
        if (dynamic_cast<P::IfStmtContext*>(c) || dynamic_cast<P::WhileStmtContext*>(c) ||
            dynamic_cast<P::ForStmtContext*>(c) || dynamic_cast<P::WithStmtContext*>(c)) {
          // The header keyword is the last IF/ELIF/ELSE/WHILE/FOR before the error.
          antlr4::Token* header = rule->getStart();
          for (antlr4::tree::ParseTree* ch : rule->children)
            if (auto* term = dynamic_cast<antlr4::tree::TerminalNode*>(ch)) {
              size_t type = term->getSymbol()->getType();
              if (type == P::IF || type == P::ELIF || type == P::ELSE || type == P::WHILE ||
                  type == P::FOR || type == P::WITH)
                header = term->getSymbol();
            }
          msg += " after '" + header->getText() + "' statement on line " + lineOf(header);
          break;
        }
      }
      fail(tok, msg);
    }
    if (tok.type == antlr4::Token::EOF) fail(tok, "unexpected end of input");
    if (tok.type == P::NEWLINE || tok.type == P::DEDENT) {
      bool last = true;
      for (size_t i = index + 1; i < tokens.size() && last; ++i)
        last = tokens[i].type == P::DEDENT || tokens[i].type == antlr4::Token::EOF;
      if (last) fail(tok, "unexpected end of input");
    }
    if (tok.type == P::LINE_MAGIC)
      fail(tok, "line magics (%timeit, %explain) are only allowed at the top level");
    if (expected.size() == 1 && expected.contains(size_t{P::COLON})) fail(tok, "expected ':'");
    fail(tok, "invalid syntax");
  }

private:
  [[noreturn]] void fail(const Token& tok, std::string message) const {
    fail(tok.begin, tok.end, std::move(message));
  }
  [[noreturn]] void fail(uint32_t begin, uint32_t end, std::string message) const {
    raise(ErrorKind::Syntax, Span{source_.fileId(), begin, end}, std::move(message));
  }

  const Source& source_;
  const TokenStream& stream_;
};

ast::Program parseTokens(const Source& source, const TokenStream& stream, bool* errorAtEnd) {
  frontend::checkNesting(source, stream.tokens);
  std::vector<std::unique_ptr<antlr4::Token>> tokens;
  tokens.reserve(stream.tokens.size());
  for (const Token& t : stream.tokens) {
    auto token = std::make_unique<antlr4::CommonToken>(t.type, t.text);
    auto [line, col] = source.lineCol(t.begin);
    token->setLine(static_cast<size_t>(line));
    token->setCharPositionInLine(static_cast<size_t>(col - 1));
    tokens.push_back(std::move(token));
  }
  antlr4::ListTokenSource tokenSource(std::move(tokens));
  antlr4::CommonTokenStream tokenStream(&tokenSource);
  P parser(&tokenStream);
  // The grammar is LL(1) apart from short fixed lookahead, so SLL decides
  // exactly as full LL would, and faster.
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
      antlr4::atn::PredictionMode::SLL);
  ThrowingParserListener listener(source, stream);
  parser.removeErrorListeners();
  parser.addErrorListener(&listener);
  try {
    P::FileInputContext* tree = parser.fileInput();
    return frontend::buildAst(tree, source, stream.tokens);
  } catch (const RavelError&) {
    if (errorAtEnd) *errorAtEnd = listener.errorAtEnd;
    throw;
  }
}

std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\'':
        out += "\\'";
        break;
      default:
        out += c;
    }
  }
  return out + "'";
}

bool endsWithBlankLine(const std::string& text) {
  std::string t = text;
  if (!t.empty() && t.back() == '\n') t.pop_back();
  size_t nl = t.find_last_of('\n');
  if (nl == std::string::npos) return false; // a single line
  return t.find_first_not_of(" \t\f\r", nl + 1) == std::string::npos;
}

bool parses(const std::string& text) {
  try {
    Source source("<input>", text);
    parseTokens(source, frontend::tokenize(source), nullptr);
    return true;
  } catch (...) {
    return false;
  }
}

} // namespace

namespace frontend {

// The field's text is parsed as a whole program of one parenthesised
// expression: a copy of the source with every other byte blanked (newlines
// kept, so lines and offsets are unchanged), the field's `{` and its end
// replaced by `(` and `)`. The line's leading blanks make an INDENT, which
// is dropped with its DEDENT.
ast::ExprPtr parseFieldExpression(const Source& source, uint32_t begin, uint32_t end) {
  std::string text(source.text().size(), ' ');
  for (size_t i = 0; i < text.size(); ++i)
    if (source.text()[i] == '\n' || source.text()[i] == '\r') text[i] = source.text()[i];
  text.replace(begin, end - begin, source.text(), begin, end - begin);
  text[begin - 1] = '(';
  text[end] = ')';
  Source field(source.name(), text, source.fileId());
  TokenStream stream = tokenize(field);
  std::erase_if(stream.tokens,
                [](const Token& t) { return t.type == P::INDENT || t.type == P::DEDENT; });
  ast::Program program = parseTokens(field, stream, nullptr);
  if (program.body.size() != 1 || !ast::isa<ast::ExprStmt>(*program.body[0]))
    raise(ErrorKind::Syntax, Span{source.fileId(), begin, end}, "f-string: invalid expression");
  auto& stmt = static_cast<ast::ExprStmt&>(*program.body[0]);
  return std::move(stmt.value);
}

} // namespace frontend

ast::Program parse(const Source& source) {
  return parseTokens(source, frontend::tokenize(source), nullptr);
}

std::string dumpTokens(const Source& source) {
  std::string out;
  for (const Token& t : frontend::tokenize(source).tokens) {
    auto [line, col] = source.lineCol(t.begin);
    out += std::to_string(line) + ":" + std::to_string(col) + " " +
           frontend::tokenTypeName(t.type) + " " + quoted(t.text) + "\n";
  }
  return out;
}

bool needsMoreInput(const std::string& text) {
  if (text.find_first_not_of(" \t\f\r\n") == std::string::npos) return false;
  std::string trimmed = text;
  while (!trimmed.empty() && (trimmed.back() == '\n' || trimmed.back() == '\r')) trimmed.pop_back();
  if (!trimmed.empty() && trimmed.back() == '\\' && text.size() - trimmed.size() <= 1)
    return true; // a backslash continuation
  try {
    Source source("<input>", text);
    TokenStream stream = frontend::tokenize(source);
    if (!stream.unclosed.empty()) {
      bool atEnd = false;
      try {
        parseTokens(source, stream, &atEnd);
      } catch (const RavelError&) {
        return atEnd;
      }
      return false;
    }
    // The last real token (before NEWLINE, DEDENT..., EOF).
    size_t last = stream.tokens.size() - 1;
    while (last > 0 &&
           (stream.tokens[last].type == antlr4::Token::EOF ||
            stream.tokens[last].type == P::NEWLINE || stream.tokens[last].type == P::DEDENT))
      --last;
    bool blank = endsWithBlankLine(text);
    if (stream.tokens[last].type == P::COLON) {
      if (blank) return false; // let the parser say "expected an indented block"
      // Complete the block hypothetically: a header that is otherwise valid.
      std::string lastLine = trimmed.substr(trimmed.find_last_of('\n') + 1);
      std::string indent = lastLine.substr(0, lastLine.find_first_not_of(" \t\f"));
      return parses(trimmed + "\n" + indent + " pass\n");
    }
    if (stream.blockOpenAtEnd && !blank) return parses(text);
    return false;
  } catch (...) {
    return false;
  }
}

} // namespace ravel
