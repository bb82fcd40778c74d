// The interactive session: Python's REPL conventions (>>> and ... prompts,
// values of expressions echoed with repr), with ravel's :commands. An error
// is reported and the session goes on with its variables intact.
#pragma once

#include <iosfwd>

namespace ravel::tools {

int runRepl(std::istream& in, std::ostream& out, std::ostream& err);

} // namespace ravel::tools
