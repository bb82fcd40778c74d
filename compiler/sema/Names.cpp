#include "compiler/sema/Names.h"

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace ravel::sema {
namespace {

struct Entry {
  const char* name;
  BuiltinKind kind;
};

constexpr Entry kBuiltins[] = {
    // creation
    {"array", BuiltinKind::Function},
    {"asarray", BuiltinKind::Function},
    {"zeros", BuiltinKind::Function},
    {"ones", BuiltinKind::Function},
    {"empty", BuiltinKind::Function},
    {"full", BuiltinKind::Function},
    {"zeros_like", BuiltinKind::Function},
    {"ones_like", BuiltinKind::Function},
    {"full_like", BuiltinKind::Function},
    {"empty_like", BuiltinKind::Function},
    {"arange", BuiltinKind::Function},
    {"linspace", BuiltinKind::Function},
    // ufuncs
    {"sqrt", BuiltinKind::Function},
    {"exp", BuiltinKind::Function},
    {"log", BuiltinKind::Function},
    {"sin", BuiltinKind::Function},
    {"cos", BuiltinKind::Function},
    {"tanh", BuiltinKind::Function},
    {"abs", BuiltinKind::Function},
    {"absolute", BuiltinKind::Function},
    {"negative", BuiltinKind::Function},
    {"invert", BuiltinKind::Function},
    {"bitwise_not", BuiltinKind::Function},
    {"add", BuiltinKind::Function},
    {"subtract", BuiltinKind::Function},
    {"multiply", BuiltinKind::Function},
    {"divide", BuiltinKind::Function},
    {"true_divide", BuiltinKind::Function},
    {"floor_divide", BuiltinKind::Function},
    {"remainder", BuiltinKind::Function},
    {"mod", BuiltinKind::Function},
    {"power", BuiltinKind::Function},
    {"minimum", BuiltinKind::Function},
    {"maximum", BuiltinKind::Function},
    {"bitwise_and", BuiltinKind::Function},
    {"bitwise_or", BuiltinKind::Function},
    {"bitwise_xor", BuiltinKind::Function},
    {"equal", BuiltinKind::Function},
    {"not_equal", BuiltinKind::Function},
    {"less", BuiltinKind::Function},
    {"less_equal", BuiltinKind::Function},
    {"greater", BuiltinKind::Function},
    {"greater_equal", BuiltinKind::Function},
    {"where", BuiltinKind::Function},
    // reductions
    {"sum", BuiltinKind::Function},
    {"prod", BuiltinKind::Function},
    {"min", BuiltinKind::Function},
    {"max", BuiltinKind::Function},
    {"amin", BuiltinKind::Function},
    {"amax", BuiltinKind::Function},
    {"mean", BuiltinKind::Function},
    {"any", BuiltinKind::Function},
    {"all", BuiltinKind::Function},
    // shape
    {"copy", BuiltinKind::Function},
    {"transpose", BuiltinKind::Function},
    {"reshape", BuiltinKind::Function},
    {"ravel", BuiltinKind::Function},
    {"shape", BuiltinKind::Function},
    {"ndim", BuiltinKind::Function},
    {"size", BuiltinKind::Function},
    // views
    {"swapaxes", BuiltinKind::Function},
    {"moveaxis", BuiltinKind::Function},
    {"expand_dims", BuiltinKind::Function},
    {"squeeze", BuiltinKind::Function},
    {"broadcast_to", BuiltinKind::Function},
    {"sliding_window_view", BuiltinKind::Function},
    {"as_strided", BuiltinKind::Function},
    {"ascontiguousarray", BuiltinKind::Function},
    {"flip", BuiltinKind::Function},
    {"fliplr", BuiltinKind::Function},
    {"flipud", BuiltinKind::Function},
    {"atleast_1d", BuiltinKind::Function},
    {"atleast_2d", BuiltinKind::Function},
    {"atleast_3d", BuiltinKind::Function},
    {"shares_memory", BuiltinKind::Function},
    // floating-point error handling
    {"seterr", BuiltinKind::Function},
    {"geterr", BuiltinKind::Function},
    {"errstate", BuiltinKind::Function},
    {"may_share_memory", BuiltinKind::Function},
    {"asfortranarray", BuiltinKind::Function},
    // joining
    {"concatenate", BuiltinKind::Function},
    {"stack", BuiltinKind::Function},
    {"hstack", BuiltinKind::Function},
    {"vstack", BuiltinKind::Function},
    {"tile", BuiltinKind::Function},
    {"repeat", BuiltinKind::Function},
    {"clip", BuiltinKind::Function},
    {"eye", BuiltinKind::Function},
    {"identity", BuiltinKind::Function},
    // advanced indexing
    {"take", BuiltinKind::Function},
    {"count_nonzero", BuiltinKind::Function},
    {"flatnonzero", BuiltinKind::Function},
    {"roll", BuiltinKind::Function},
    {"split", BuiltinKind::Function},
    {"array_split", BuiltinKind::Function},
    {"hsplit", BuiltinKind::Function},
    {"vsplit", BuiltinKind::Function},
    {"copyto", BuiltinKind::Function},
    {"nonzero", BuiltinKind::Function},
    {"argwhere", BuiltinKind::Function},
    // matrix products
    {"matmul", BuiltinKind::Function},
    {"dot", BuiltinKind::Function},
    {"vdot", BuiltinKind::Function},
    {"inner", BuiltinKind::Function},
    {"outer", BuiltinKind::Function},
    {"tensordot", BuiltinKind::Function},
    {"kron", BuiltinKind::Function},
    {"trace", BuiltinKind::Function},
    {"diag", BuiltinKind::Function},
    {"diagonal", BuiltinKind::Function},
    {"einsum", BuiltinKind::Function},
    // files
    {"save", BuiltinKind::Function},
    {"load", BuiltinKind::Function},
    {"memmap", BuiltinKind::Function},
    // Python builtins
    {"print", BuiltinKind::Function},
    {"len", BuiltinKind::Function},
    {"repr", BuiltinKind::Function},
    {"str", BuiltinKind::Function},
    {"float", BuiltinKind::Function},
    {"int", BuiltinKind::Function},
    {"bool", BuiltinKind::Function},
    {"range", BuiltinKind::Function},
    {"zip", BuiltinKind::Function},
    {"enumerate", BuiltinKind::Function},
    {"list", BuiltinKind::Function},
    {"tuple", BuiltinKind::Function},
    // dtypes
    {"float64", BuiltinKind::DType},
    {"float32", BuiltinKind::DType},
    {"double", BuiltinKind::DType},
    {"single", BuiltinKind::DType},
    {"int64", BuiltinKind::DType},
    {"int32", BuiltinKind::DType},
    {"intc", BuiltinKind::DType},
    {"bool_", BuiltinKind::DType},
    // constants
    {"pi", BuiltinKind::Constant},
    {"e", BuiltinKind::Constant},
    {"inf", BuiltinKind::Constant},
    {"Inf", BuiltinKind::Constant},
    {"nan", BuiltinKind::Constant},
    {"NaN", BuiltinKind::Constant},
    {"newaxis", BuiltinKind::Constant},
    // modules
    {"np", BuiltinKind::Module},
    {"numpy", BuiltinKind::Module},
    {"random", BuiltinKind::Module},
    {"linalg", BuiltinKind::Module},
};

constexpr const char* kRandom[] = {"seed", "rand", "randn", "random", "random_sample"};

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
    if (name == e.name) return e.kind;
  return std::nullopt;
}

bool isRandomFunction(std::string_view name) {
  return std::find(std::begin(kRandom), std::end(kRandom), name) != std::end(kRandom);
}

bool isStrideTricksFunction(std::string_view name) {
  return name == "as_strided" || name == "sliding_window_view";
}

std::vector<std::string> builtinNames() {
  std::vector<std::string> names;
  for (const Entry& e : kBuiltins) names.emplace_back(e.name);
  return names;
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
