// The static checker: runs over a whole program before any statement
// executes, so a misspelt name on the last line fails before the first line
// prints anything.
//
// It checks:
//  1. every name read is a parameter or local of its function, a global
//     assigned somewhere in the program (or already bound in the session),
//     or a builtin (sema/Names.h) — else "unknown name 'zz'" with a suggestion;
//  2. `np.x` / `numpy.x` / `random.x` name existing functions;
//  3. calls to the program's own functions pass a valid number of arguments
//     and only known keywords;
//  4. `return` appears only inside a function; integer literals fit 64 bits.
//
// Dtypes and shapes are inferred as the program builds its lazy graph (see
// sema/Rules.h): they depend on values such as `zeros(n)`, and the lazy graph
// makes that inference free — no kernel runs before a statement's types and
// shapes are known and checked.
#pragma once

#include "compiler/frontend/Ast.h"

#include <string>
#include <vector>

namespace ravel::sema {

/// Throws RavelError at the first problem. `sessionGlobals` are names already
/// bound (the REPL's variables).
void check(const ast::Program& program, const std::vector<std::string>& sessionGlobals);

/// Python's wording for calls with the wrong number of arguments, shared by
/// the checker and the interpreter: "f() takes from 1 to 2 positional
/// arguments but 3 were given", "f() missing 1 required positional argument: 'b'".
std::string tooManyArgumentsMessage(const std::string& fn, size_t minPositional,
                                    size_t maxPositional, size_t given);
std::string missingArgumentsMessage(const std::string& fn, const std::vector<std::string>& missing);

} // namespace ravel::sema
