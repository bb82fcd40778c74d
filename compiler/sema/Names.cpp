#include "compiler/sema/Names.h"

#include "compiler/diag/Diagnostic.h"

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace ravel::sema {
namespace {

using Scope = BuiltinScope;

struct Entry {
  Scope scope;
  const char* name;
  BuiltinKind kind;
  const char* signature; // NumPy's, as help() shows it
  const char* doc;       // NumPy's one-line summary
};

/// Builtins.def as a table (its impl column is the interpreter's).
constexpr Entry kBuiltins[] = {
#define RAVEL_BUILTIN(scope, name, kind, impl, signature, doc)                                     \
  {BuiltinScope::scope, name, BuiltinKind::kind, signature, doc},
#include "compiler/sema/Builtins.def"
};

/// CPython's suggestion distance: insertions, deletions and substitutions
/// cost 2, a change of case only 1.
constexpr size_t kMoveCost = 2, kCaseCost = 1;

size_t editDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j * kMoveCost;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i * kMoveCost;
    for (size_t j = 1; j <= b.size(); ++j) {
      char x = a[i - 1], y = b[j - 1];
      size_t sub = x == y ? 0 : std::tolower(x) == std::tolower(y) ? kCaseCost : kMoveCost;
      cur[j] = std::min({prev[j] + kMoveCost, cur[j - 1] + kMoveCost, prev[j - 1] + sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

} // namespace

std::optional<BuiltinKind> lookupBuiltin(std::string_view name) {
  for (const Entry& e : kBuiltins)
    if (e.scope == Scope::TopLevel && name == e.name) return e.kind;
  return std::nullopt;
}

namespace {

bool inScope(Scope scope, std::string_view name, std::optional<BuiltinKind> kind = std::nullopt) {
  for (const Entry& e : kBuiltins)
    if (e.scope == scope && name == e.name && (!kind || e.kind == *kind)) return true;
  return false;
}

std::optional<Scope> scopeNamed(std::string_view space) {
  if (space.empty() || space == "np" || space == "numpy") return Scope::TopLevel;
  if (space == "random" || space == "np.random" || space == "numpy.random") return Scope::Random;
  if (space == "linalg" || space == "np.linalg" || space == "numpy.linalg") return Scope::Linalg;
  if (space == "ndarray" || space == "np.ndarray" || space == "numpy.ndarray")
    return Scope::NdArray;
  if (space == "Generator" || space == "random.Generator" || space == "np.random.Generator" ||
      space == "numpy.random.Generator")
    return Scope::Generator;
  return std::nullopt;
}

BuiltinDoc docOf(const Entry& e) {
  return {e.name, e.signature, e.doc, e.kind};
}

} // namespace

bool isRandomFunction(std::string_view name) {
  return inScope(Scope::Random, name);
}

bool isLinalgFunction(std::string_view name) {
  return inScope(Scope::Linalg, name);
}

bool isArrayMethod(std::string_view name) {
  return inScope(Scope::NdArray, name, BuiltinKind::Function);
}

bool isGeneratorMethod(std::string_view name) {
  return inScope(Scope::Generator, name, BuiltinKind::Function);
}

bool isStrideTricksFunction(std::string_view name) {
  return name == "as_strided" || name == "sliding_window_view";
}

std::vector<std::string> builtinNames() {
  std::vector<std::string> names;
  for (const Entry& e : kBuiltins)
    if (e.scope == Scope::TopLevel) names.emplace_back(e.name);
  return names;
}

std::vector<BuiltinDoc> builtinsIn(std::string_view space) {
  std::vector<BuiltinDoc> docs;
  std::optional<Scope> scope = scopeNamed(space);
  if (!scope) return docs;
  for (const Entry& e : kBuiltins)
    if (e.scope == *scope) docs.push_back(docOf(e));
  return docs;
}

std::optional<BuiltinDoc> builtinDoc(std::string_view name) {
  std::string_view space;
  if (size_t dot = name.rfind('.'); dot != std::string_view::npos) {
    space = name.substr(0, dot);
    name = name.substr(dot + 1);
  }
  std::optional<Scope> scope = scopeNamed(space);
  if (!scope) return std::nullopt;
  for (const Entry& e : kBuiltins)
    if (e.scope == *scope && name == e.name) return docOf(e);
  return std::nullopt;
}

std::vector<BuiltinDoc> allBuiltinDocs() {
  std::vector<BuiltinDoc> docs;
  for (const Entry& e : kBuiltins) docs.push_back(docOf(e));
  return docs;
}

bool isNumpyName(std::string_view scope, std::string_view name) {
  struct Entry {
    std::string_view scope, name;
  };
  static const Entry kNames[] = {
#define NUMPY_NAME(scope, name) {scope, name},
#include "compiler/sema/NumpyNames.def"
#undef NUMPY_NAME
  };
  for (const Entry& e : kNames)
    if (e.scope == scope && e.name == name) return true;
  return false;
}

std::string notInRavelYet(std::string_view scope, std::string_view name) {
  const std::string qualified = scope == "ndarray" ? "numpy.ndarray." : std::string(scope) + ".";
  return qualified + std::string(name) + " is not in ravel yet";
}

void raiseIfNumpyName(std::string_view scope, std::string_view name, Span span) {
  if (isNumpyName(scope, name)) raise(ErrorKind::Name, span, notInRavelYet(scope, name));
}

std::string suggestName(const std::string& name, const std::vector<std::string>& candidates) {
  // Python's rule: the closest candidate within (len(a) + len(b) + 3) / 3 moves.
  std::string best;
  size_t bestDistance = SIZE_MAX;
  for (const std::string& c : candidates) {
    if (c == name) continue;
    size_t limit = (name.size() + c.size() + 3) * kMoveCost / 6;
    size_t d = editDistance(name, c);
    if (d <= limit && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best.empty() ? "" : "did you mean '" + best + "'?";
}

} // namespace ravel::sema
