// The frontend's one verb: source text to AST. Throws RavelError (kind
// Syntax) with the span of the offending token for any malformed input.
#pragma once

#include "compiler/diag/Source.h"
#include "compiler/frontend/Ast.h"

namespace ravel {

/// Maximum nesting of brackets/unary operators/calls before the parser says
/// "expression nested too deeply" instead of recursing further.
constexpr int kMaxNestingDepth = 200;

/// Longest chain of binary operators folded into one left-deep tree
/// (`x + x + ... + x`) before the parser says "expression too long": later
/// passes walk such chains iteratively, but not without limit.
constexpr int kMaxOperatorChain = 20000;

/// Deepest expression tree the recursive passes may walk: brackets, prefix
/// operators, `**`, and trailers (`x.T.T...`, `f()()...`, `x[:][:]...` are as
/// deep as they are long); binary chains count as their deepest operand.
/// Beyond it the parser says "expression nested too deeply" (CPython's
/// compiler stops near the same depth with a RecursionError).
constexpr int kMaxExpressionDepth = 1000;

ast::Program parse(const Source& source);

/// Token dump for `--emit=tokens`.
std::string dumpTokens(const Source& source);

/// True when `text` is an incomplete statement that the REPL should keep
/// reading (an open bracket, a trailing ':' block, a block not yet closed by
/// a blank line).
bool needsMoreInput(const std::string& text);

} // namespace ravel
