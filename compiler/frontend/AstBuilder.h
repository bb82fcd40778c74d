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

} // namespace ravel::frontend
