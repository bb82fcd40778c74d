// Private to compiler/frontend: source bytes to the token stream the parser
// reads (Python's, with NEWLINE/INDENT/DEDENT). Token types are RavelParser's.
#pragma once

#include "compiler/diag/Source.h"

#include <cstddef>
#include <string>
#include <vector>

namespace ravel::frontend {

struct Token {
  size_t type;
  /// Byte offsets in the source. NEWLINE, DEDENT and EOF are zero-width
  /// just after the previous token; INDENT spans the line's indentation.
  uint32_t begin, end;
  std::string text; // the source bytes ("\n" for NEWLINE, empty for INDENT/DEDENT/EOF)
};

struct Bracket {
  char open;
  uint32_t begin;
  size_t tokenIndex;
};

struct TokenStream {
  std::vector<Token> tokens; // ends with EOF
  /// Brackets still open at end of input, outermost first. Then the stream
  /// ends with EOF straight after the last token (no NEWLINE/DEDENT).
  std::vector<Bracket> unclosed;
  /// The last logical line was indented (DEDENTs were needed at the end).
  bool blockOpenAtEnd = false;
};

/// Checks the bytes (NUL, UTF-8, non-ASCII outside strings and comments),
/// lexes, and lays out indentation. Throws RavelError (Syntax).
TokenStream tokenize(const Source& source);

/// Rejects bracket/unary/`**` nesting deeper than kMaxNestingDepth, binary
/// operator chains longer than kMaxOperatorChain, and expression trees deeper
/// than kMaxExpressionDepth (long `.T.T...` / call / subscript chains), before
/// the recursive-descent parser, the AST builder and the passes that walk
/// expressions recursively can run out of stack.
void checkNesting(const Source& source, const std::vector<Token>& tokens);

/// The token type's grammar name ("NAME", "PLUS", "INDENT", "EOF").
std::string tokenTypeName(size_t type);

} // namespace ravel::frontend
