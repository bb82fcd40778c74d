// Tab completion for the REPL: given the text left of the cursor, what could
// the word being typed become. Knows the session's variables, the builtin
// table (compiler/sema/Names.cpp: top-level names, np./random./linalg.
// functions, ndarray attributes and methods), keyword arguments of the call
// the cursor is in, and file paths inside a string literal.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ravel::tools {

/// What the session knows about a name.
struct CompletionScope {
  std::vector<std::string> variables;
  /// "ndarray", "function", "module", ... for a bound variable; nullopt
  /// for an unbound one.
  std::function<std::optional<std::string>(const std::string&)> typeOf;
};

struct Completions {
  /// Where the word being completed starts, in the text given.
  size_t wordStart = 0;
  /// Full replacements for text[wordStart, end), sorted, no duplicates.
  /// Functions and methods end in "(", keyword arguments in "=",
  /// directories in "/".
  std::vector<std::string> candidates;
};

Completions complete(std::string_view beforeCursor, const CompletionScope& scope);

/// The longest prefix all candidates share.
std::string commonPrefix(const std::vector<std::string>& candidates);

} // namespace ravel::tools
