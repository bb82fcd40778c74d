// Private to compiler/frontend: ANTLR parse tree to AST.
#pragma once

#include "compiler/frontend/Ast.h"
#include "compiler/frontend/Lexer.h"

#include "RavelParser.h"

namespace ravel::frontend {

/// `tokens` is the stream the parser read (ANTLR token index i is tokens[i]),
/// which gives every node its byte span. Throws RavelError (Syntax) for what
/// the grammar accepts but Python rejects (`f() = 1`, `f(a=1, 2)`, ...).
ast::Program buildAst(grammar::RavelParser::FileInputContext* tree, const Source& source,
                      const std::vector<Token>& tokens);

/// The expression of an f-string replacement field, source bytes
/// [begin, end) (defined in Parse.cpp: it runs the whole frontend on that
/// text alone, keeping its offsets, so spans and errors point into `source`).
ast::ExprPtr parseFieldExpression(const Source& source, uint32_t begin, uint32_t end);

} // namespace ravel::frontend
