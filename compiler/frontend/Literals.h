// Private to compiler/frontend: the values of literal tokens.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ravel::frontend {

struct IntLiteral {
  int64_t value; // saturated at INT64_MAX on overflow
  bool overflow; // beyond int64
  __int128 wide; // the value when it fits 127 bits (Python int arithmetic)
  bool tooLarge; // beyond 127 bits as well
};

/// An INT token: decimal, 0x, 0o or 0b, with underscores.
IntLiteral decodeInt(std::string_view text);

/// A FLOAT token, correctly rounded; too large is inf, too small rounds to 0.
double decodeFloat(std::string_view text);

/// A bad escape inside a string token: offset and length within the token.
struct StringLiteralError {
  size_t offset, length;
  std::string message;
};

/// A STRING token (optional r/u prefix, '...', "...", '''...''' or """..."""):
/// its value in UTF-8 with escapes decoded as Python does. Throws
/// StringLiteralError.
std::string decodeString(std::string_view text);

} // namespace ravel::frontend
