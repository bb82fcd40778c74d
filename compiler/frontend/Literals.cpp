// Literal values. Integers accumulate with overflow checks and saturate;
// floats go through std::from_chars (correctly rounded, locale-independent);
// strings decode Python's escapes (an unknown escape keeps its backslash).
#include "compiler/frontend/Literals.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace ravel::frontend {
namespace {

int digitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 99;
}

void appendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | cp >> 6));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | cp >> 12));
    out.push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | cp >> 18));
    out.push_back(static_cast<char>(0x80 | (cp >> 12 & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

} // namespace

IntLiteral decodeInt(std::string_view text) {
  int base = 10;
  if (text.size() > 1 && text[0] == '0') {
    char p = static_cast<char>(text[1] | 0x20);
    base = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 10;
    if (base != 10) text.remove_prefix(2);
  }
  // Accumulate in 128 bits: literals just past int64 (2**63 in
  // -9223372036854775808) are Python ints that arithmetic may bring back.
  using Wide = unsigned __int128;
  const Wide max = (Wide(1) << 127) - 1;
  Wide value = 0;
  bool tooLarge = false;
  for (char c : text) {
    if (c == '_') continue;
    auto d = static_cast<Wide>(digitValue(c));
    if (value > (max - d) / static_cast<Wide>(base)) tooLarge = true;
    if (tooLarge) continue;
    value = value * static_cast<Wide>(base) + d;
  }
  const auto int64Max = static_cast<Wide>(std::numeric_limits<int64_t>::max());
  if (tooLarge || value > int64Max)
    return {std::numeric_limits<int64_t>::max(), true, tooLarge ? 0 : __int128(value), tooLarge};
  return {static_cast<int64_t>(value), false, __int128(value), false};
}

double decodeFloat(std::string_view text) {
  std::string digits;
  for (char c : text)
    if (c != '_') digits.push_back(c);
  double value = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec == std::errc::result_out_of_range) {
    // from_chars leaves the value unset: overflow is inf, underflow is 0.
    size_t e = digits.find_first_of("eE");
    bool negativeExponent = e != std::string::npos && e + 1 < digits.size() && digits[e + 1] == '-';
    return negativeExponent ? 0.0 : std::numeric_limits<double>::infinity();
  }
  return value;
}

std::string decodeString(std::string_view text) {
  size_t start = 0;
  bool raw = false;
  while (start < text.size() && text[start] != '\'' && text[start] != '"') {
    if ((text[start] | 0x20) == 'r') raw = true;
    ++start;
  }
  size_t quote =
      text.compare(start, 3, "'''") == 0 || text.compare(start, 3, "\"\"\"") == 0 ? 3 : 1;
  size_t begin = start + quote, end = text.size() - quote;
  std::string out;
  if (raw) return std::string(text.substr(begin, end - begin));
  for (size_t i = begin; i < end; ++i) {
    char c = text[i];
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    size_t escape = i;
    char e = text[++i]; // a STRING token never ends in an odd backslash
    auto hexEscape = [&](size_t n, const char* what) {
      uint32_t cp = 0;
      for (size_t k = 1; k <= n; ++k) {
        if (i + k >= end || digitValue(text[i + k]) > 15)
          throw StringLiteralError{escape, i + k - escape,
                                   std::string("truncated ") + what + " escape"};
        cp = cp * 16 + static_cast<uint32_t>(digitValue(text[i + k]));
      }
      if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        throw StringLiteralError{escape, n + 2, std::string("invalid ") + what + " escape"};
      i += n;
      appendUtf8(out, cp);
    };
    switch (e) {
      case '\n':
        break;
      case '\r':
        if (i + 1 < end && text[i + 1] == '\n') ++i;
        break;
      case '\\':
        out.push_back('\\');
        break;
      case '\'':
        out.push_back('\'');
        break;
      case '"':
        out.push_back('"');
        break;
      case 'a':
        out.push_back('\a');
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'v':
        out.push_back('\v');
        break;
      case 'x':
        hexEscape(2, "\\xXX");
        break;
      case 'u':
        hexEscape(4, "\\uXXXX");
        break;
      case 'U':
        hexEscape(8, "\\UXXXXXXXX");
        break;
      case 'N':
        throw StringLiteralError{escape, 2, "\\N{...} escapes are not supported"};
      default:
        if (e >= '0' && e <= '7') {
          uint32_t cp = 0;
          size_t k = 0;
          for (; k < 3 && i + k < end && text[i + k] >= '0' && text[i + k] <= '7'; ++k)
            cp = cp * 8 + static_cast<uint32_t>(text[i + k] - '0');
          i += k - 1;
          appendUtf8(out, cp);
        } else {
          out.push_back('\\');
          out.push_back(e);
        }
    }
  }
  return out;
}

} // namespace ravel::frontend
