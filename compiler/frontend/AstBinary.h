// A compact binary form of a checked ast::Program, so that an ahead-of-time
// artefact can carry its program and run it without the parser (no ANTLR at
// run time). The form is private to one ravel build: an artefact is read by
// the runtime it was linked with.
#pragma once

#include "compiler/frontend/Ast.h"

#include <string>
#include <string_view>

namespace ravel::ast {

/// Every statement and expression with its spans, literals and names.
std::string toBinary(const Program& program);
/// The program toBinary wrote; every span gets `fileId`. Throws
/// InternalError on bytes toBinary did not write (truncated or corrupt).
Program fromBinary(std::string_view bytes, uint32_t fileId);

} // namespace ravel::ast
