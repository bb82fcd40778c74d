// ravel::Error: the one exception type the embedding API throws.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace ravel {
// The public API lives in an inline namespace so that `ravel::Engine`,
// `ravel::Array`, ... name it for a host, while the library's internal
// classes of the same names keep distinct symbols.
inline namespace embed {

/// What went wrong, as in the rendered message ("shape error: ...").
enum class ErrorKind { Syntax, Name, Type, Shape, Value, Index, Memory, File, Runtime, Internal };

/// Where in ravel source an error points. `file` is the name the code was
/// run under (empty for an error not tied to source, e.g. a bad wrap()).
struct SourceSpan {
  std::string file;
  int line = 0, column = 0;   // 1-based; 0 when unknown
  int64_t begin = 0, end = 0; // byte offsets into that source
};

class Error : public std::runtime_error {
public:
  /// `rendered` is what what() returns: file:line:col, the line, a caret.
  Error(ErrorKind kind, std::string message, std::string rendered, SourceSpan span)
      : std::runtime_error(std::move(rendered)), kind_(kind), message_(std::move(message)),
        span_(std::move(span)) {}
  ErrorKind kind() const { return kind_; }
  /// The message alone, without location and caret.
  const std::string& message() const { return message_; }
  const SourceSpan& span() const { return span_; }

private:
  ErrorKind kind_;
  std::string message_;
  SourceSpan span_;
};

} // namespace embed
} // namespace ravel
