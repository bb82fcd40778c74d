// Error kinds' display names and the always-on internal check.
#include "runtime/Error.h"

namespace ravel {

const char* errorKindName(ErrorKind k) {
  switch (k) {
    case ErrorKind::Syntax:
      return "syntax";
    case ErrorKind::Name:
      return "name";
    case ErrorKind::Type:
      return "type";
    case ErrorKind::Shape:
      return "shape";
    case ErrorKind::Value:
      return "value";
    case ErrorKind::Index:
      return "index";
    case ErrorKind::Memory:
      return "memory";
    case ErrorKind::File:
      return "file";
    case ErrorKind::Runtime:
      return "runtime";
    case ErrorKind::LinAlg: // numpy.linalg.LinAlgError
      return "linalg";
    case ErrorKind::KeyboardInterrupt:
      return "KeyboardInterrupt";
    case ErrorKind::FloatingPoint:
      return "floating-point";
  }
  return "runtime";
}

void failCheck(const char* file, int line, const char* cond, const std::string& msg) {
  throw InternalError(std::string(file) + ":" + std::to_string(line) +
                      ": internal error (this is a ravel bug): check `" + cond + "` failed" +
                      (msg.empty() ? std::string() : ": " + msg));
}

} // namespace ravel
