// Diagnostics: user errors with a source span. Rendered as
//   file:line:col: shape error: operands could not be broadcast ...
//       r = x + y
//           ^^^^^
#pragma once

#include "compiler/diag/Source.h"
#include "runtime/Error.h"

#include <string>
#include <vector>

namespace ravel {

struct Diagnostic {
  ErrorKind kind = ErrorKind::Runtime;
  Span span;
  std::string message;
  std::vector<std::string> notes;

  /// file:line:col, the source line, and carets under the whole span (only
  /// its first line when it spans several).
  std::string render(const Source& source) const;
};

/// The exception every compiler stage throws for bad user input.
class RavelError : public std::runtime_error {
public:
  explicit RavelError(Diagnostic d) : std::runtime_error(d.message), diag_(std::move(d)) {}
  const Diagnostic& diagnostic() const { return diag_; }

private:
  Diagnostic diag_;
};

[[noreturn]] inline void raise(ErrorKind kind, Span span, std::string message) {
  throw RavelError(Diagnostic{kind, span, std::move(message), {}});
}

} // namespace ravel
