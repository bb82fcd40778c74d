// The names in scope in every ravel program: NumPy's top level (as after
// `from numpy import *`), `np`, `random`, `linalg`, and the Python builtins
// ravel supports. One list, used by the checker (is this name defined?) and
// the interpreter (what does it mean?).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ravel::sema {

enum class BuiltinKind { Function, DType, Constant, Module };

/// A name of NumPy's top level or a supported Python builtin.
std::optional<BuiltinKind> lookupBuiltin(std::string_view name);
/// A function of numpy.random.
bool isRandomFunction(std::string_view name);
/// A function of numpy.lib.stride_tricks (also in scope at the top level).
bool isStrideTricksFunction(std::string_view name);
std::vector<std::string> builtinNames();

/// "did you mean 'x'?" for the closest candidate within a small edit
/// distance, or empty.
std::string suggestName(const std::string& name, const std::vector<std::string>& candidates);

} // namespace ravel::sema
