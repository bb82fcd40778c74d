// Diagnostics: user errors with a source span. Rendered as
//   file:line:col: shape error: operands could not be broadcast ...
//       r = x + y
//           ^^^^^
#pragma once

#include "compiler/diag/Source.h"
#include "runtime/Error.h"

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace ravel {

/// One call on the way to an error: where it was called, and the function.
struct TraceFrame {
  Span callSite;
  std::string function;
};

struct Diagnostic {
  ErrorKind kind = ErrorKind::Runtime;
  Span span;
  std::string message;
  std::vector<std::string> notes;
  /// The calls that led to the error, outermost first (empty at top level).
  std::vector<TraceFrame> trace;
  /// A warning (NumPy's RuntimeWarning), labelled so instead of "... error".
  bool warning = false;
  /// The warning's class as Python names it ("UserWarning" for loadtxt's).
  const char* warningLabel = "RuntimeWarning";

  /// file:line:col, the source line, and carets under the whole span (only
  /// its first line when it spans several).
  std::string render(const Source& source) const;
  /// With a traceback when `trace` is not empty, like Python's:
  ///   Traceback (most recent call last):
  ///     prog.rv:9:1: in <module>
  ///       f(x)
  ///       ^^^^
  ///     prog.rv:4:12: in f
  ///       ...
  ///   prog.rv:2:5: value error: message
  ///       the innermost span with its carets
  /// `sourceOf` finds a span's source (nullptr: its line is not shown).
  std::string render(const std::function<const Source*(uint32_t fileId)>& sourceOf) const;
};

/// The exception every compiler stage throws for bad user input.
class RavelError : public std::runtime_error {
public:
  explicit RavelError(Diagnostic d) : std::runtime_error(d.message), diag_(std::move(d)) {}
  const Diagnostic& diagnostic() const { return diag_; }
  /// Records a call the error unwound through (called from the inside out).
  void addCaller(Span callSite, std::string function) {
    diag_.trace.insert(diag_.trace.begin(), TraceFrame{callSite, std::move(function)});
  }

private:
  Diagnostic diag_;
};

/// How a script run ends on the exception in flight (call it inside a catch
/// handler): flushes std::cout, prints the error on `err` (a RavelError as
/// `render` gives it) and returns the exit status, as `ravel script.rv` and
/// an ahead-of-time executable both report: 1 for an error in the program or
/// out of memory, 3 for an internal error. Other exceptions are rethrown.
int reportScriptError(const std::function<std::string(const RavelError&)>& render,
                      std::ostream& err);

[[noreturn]] inline void raise(ErrorKind kind, Span span, std::string message) {
  throw RavelError(Diagnostic{kind, span, std::move(message), {}});
}

} // namespace ravel
