// Errors raised by the runtime. They carry a kind and a NumPy-like message but
// no source span: the compiler catches them and attaches the span of the
// operation that failed.
#pragma once

#include <stdexcept>
#include <string>

namespace ravel {

enum class ErrorKind {
  Syntax,
  Name,
  Type,
  Shape,
  Value,
  Index,
  Memory,
  File,
  Runtime,
  LinAlg,
  KeyboardInterrupt, // Ctrl-C in the REPL (runtime/Interrupt.h)
  FloatingPoint,     // numpy's FloatingPointError (seterr/errstate 'raise')
};

/// Human name used in rendered diagnostics ("shape error", ...).
const char* errorKindName(ErrorKind k);

class RuntimeError : public std::runtime_error {
public:
  RuntimeError(ErrorKind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

private:
  ErrorKind kind_;
};

/// Thrown when an internal invariant fails: always a ravel bug, never user
/// input. Carries the file and line of the failed check.
class InternalError : public std::logic_error {
public:
  using std::logic_error::logic_error;
};

[[noreturn]] void failCheck(const char* file, int line, const char* cond, const std::string& msg);

} // namespace ravel

/// Internal invariant that stays on in every build (release included).
#define RAVEL_CHECK(cond, msg)                                                                     \
  do {                                                                                             \
    if (!(cond)) ::ravel::failCheck(__FILE__, __LINE__, #cond, (msg));                             \
  } while (0)
