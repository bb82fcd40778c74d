// The names in scope in every ravel program (the table is Builtins.def): NumPy's top level (as
// after `from numpy import *`), `np`, `random`, `linalg`, and the Python builtins ravel supports.
// One list, used by the checker (is this name defined?) and the interpreter (what does it mean?),
// and by the REPL (completion, help()): each entry also carries NumPy's signature and one-line
// summary. The table also lists numpy.random's and numpy.linalg's functions and the ndarray
// attributes and methods ravel supports.
#pragma once

#include "compiler/diag/Source.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ravel::sema {

enum class BuiltinKind { Function, DType, Constant, Module };

/// Which namespace a builtin lives in: NumPy's top level (and Python's
/// builtins), numpy.random, numpy.linalg, an ndarray's methods and
/// attributes, or a numpy.random.Generator's methods (`rng.random(...)`).
enum class BuiltinScope : uint8_t { TopLevel, Random, Linalg, NdArray, Generator };

/// A name of NumPy's top level or a supported Python builtin.
std::optional<BuiltinKind> lookupBuiltin(std::string_view name);
/// A function of numpy.random.
bool isRandomFunction(std::string_view name);
/// A function of numpy.linalg.
bool isLinalgFunction(std::string_view name);
/// A method of ndarray that ravel supports (`a.sum(...)`).
bool isArrayMethod(std::string_view name);
/// A method of numpy.random.Generator that ravel supports (`rng.random(...)`).
bool isGeneratorMethod(std::string_view name);
/// A function of numpy.lib.stride_tricks (also in scope at the top level).
bool isStrideTricksFunction(std::string_view name);
/// The top-level names (what `lookupBuiltin` knows).
std::vector<std::string> builtinNames();

/// One table entry, for help() and completion.
struct BuiltinDoc {
  std::string_view name;
  std::string_view signature; // NumPy's: "sqrt(x, /)"
  std::string_view doc;       // NumPy's one-line summary
  BuiltinKind kind;
};
/// A name's entry: a top-level name ("sqrt", "np.sqrt"), "random.rand",
/// "linalg.inv" (np./numpy. prefixes allowed) or "ndarray.sum".
std::optional<BuiltinDoc> builtinDoc(std::string_view name);
/// Every entry of a namespace: "" or "np" (top level), "random", "linalg",
/// "ndarray", "Generator"; empty for any other.
std::vector<BuiltinDoc> builtinsIn(std::string_view space);
/// The whole table (tests check every entry is documented).
std::vector<BuiltinDoc> allBuiltinDocs();

/// A public name of NumPy 1.24 (NumpyNames.def, generated from NumPy):
/// scope "numpy", "numpy.random", "numpy.linalg", "numpy.fft" or "ndarray"
/// (an array attribute or method). Says whether a name ravel lacks is
/// NumPy's (not in ravel yet) or the user's mistake.
bool isNumpyName(std::string_view scope, std::string_view name);
/// "numpy.sort is not in ravel yet" (scope as for isNumpyName).
std::string notInRavelYet(std::string_view scope, std::string_view name);
/// Raises the name error notInRavelYet(scope, name) when `name` is NumPy's
/// in `scope`; returns otherwise, for the caller's own error.
void raiseIfNumpyName(std::string_view scope, std::string_view name, Span span);

/// "did you mean 'x'?" for the closest candidate within a small edit
/// distance, or empty.
std::string suggestName(const std::string& name, const std::vector<std::string>& candidates);

} // namespace ravel::sema
