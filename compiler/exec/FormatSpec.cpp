// format(value, spec) for f-string fields: Python's format-spec
// mini-language, [[fill]align][sign][#][0][width][,|_][.precision][type],
// for str, int, float and bool, and NumPy's __format__ (a scalar or 0-d
// array with a spec formats as the Python number it holds; an array with a
// spec is a TypeError; an empty spec is str()).
#include "compiler/exec/Interpreter.h"

#include "runtime/Print.h"

#include <cmath>
#include <cstdio>

namespace ravel::exec {
namespace {

struct Spec {
  char fill = ' ';
  char align = 0; // '<', '>', '^', '=' or 0 (the type's default)
  char sign = '-';
  bool alternate = false;
  int width = 0;
  char grouping = 0; // ',' or '_'
  int precision = -1;
  char type = 0;
};

Spec parseSpec(const std::string& s, Span span) {
  Spec spec;
  size_t i = 0;
  auto isAlign = [](char c) { return c == '<' || c == '>' || c == '^' || c == '='; };
  if (s.size() >= 2 && isAlign(s[1])) {
    spec.fill = s[0];
    spec.align = s[1];
    i = 2;
  } else if (!s.empty() && isAlign(s[0])) {
    spec.align = s[0];
    i = 1;
  }
  if (i < s.size() && (s[i] == '+' || s[i] == '-' || s[i] == ' ')) spec.sign = s[i++];
  if (i < s.size() && s[i] == '#') spec.alternate = true, ++i;
  if (i < s.size() && s[i] == '0') {
    if (!spec.align) spec.fill = '0', spec.align = '=';
    ++i;
  }
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])))
    spec.width = spec.width * 10 + (s[i++] - '0');
  if (i < s.size() && (s[i] == ',' || s[i] == '_')) spec.grouping = s[i++];
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i])))
      raise(ErrorKind::Value, span, "Format specifier missing precision");
    spec.precision = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])))
      spec.precision = spec.precision * 10 + (s[i++] - '0');
  }
  if (i < s.size()) spec.type = s[i++];
  if (i < s.size()) raise(ErrorKind::Value, span, "Invalid format specifier");
  return spec;
}

/// Separators every three digits of the integer part of `digits`.
std::string group(const std::string& digits, char sep) {
  if (!sep) return digits;
  size_t end = digits.find_first_not_of("0123456789");
  if (end == std::string::npos) end = digits.size();
  std::string out;
  for (size_t i = 0; i < end; ++i) {
    if (i > 0 && (end - i) % 3 == 0) out += sep;
    out += digits[i];
  }
  return out + digits.substr(end);
}

/// Pads `body` (sign separate, for '=' alignment) to the spec's width.
std::string pad(const std::string& sign, const std::string& body, const Spec& spec,
                char defaultAlign) {
  const char align = spec.align ? spec.align : defaultAlign;
  // Width counts code points, as Python does.
  size_t length = 0;
  for (char c : sign + body) length += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  if (int(length) >= spec.width) return sign + body;
  const size_t n = size_t(spec.width) - length;
  const std::string fill(n, spec.fill);
  switch (align) {
    case '<':
      return sign + body + fill;
    case '^':
      return std::string(n / 2, spec.fill) + sign + body + std::string(n - n / 2, spec.fill);
    case '=':
      return sign + fill + body;
    default:
      return fill + sign + body;
  }
}

std::string signOf(bool negative, char sign) {
  if (negative) return "-";
  return sign == '+' ? "+" : sign == ' ' ? " " : "";
}

std::string formatFloat(double x, const Spec& spec, Span span) {
  char type = spec.type;
  if (type && std::string("eEfFgG%n").find(type) == std::string::npos)
    raise(ErrorKind::Value, span,
          std::string("Unknown format code '") + type + "' for object of type 'float'");
  const bool negative = std::signbit(x) && !std::isnan(x);
  double mag = std::fabs(x);
  std::string body;
  char buf[512];
  const std::string alt = spec.alternate ? "#" : "";
  if (!type && spec.precision < 0) {
    body = formatPythonFloat(mag); // repr: the shortest round trip
  } else if (!type) {
    // Like 'g', but fixed-point results keep one digit after the point.
    std::snprintf(buf, sizeof buf, ("%" + alt + ".*g").c_str(), std::max(spec.precision, 1), mag);
    body = buf;
    if (std::isfinite(mag) && body.find_first_of(".e") == std::string::npos) body += ".0";
  } else if (type == '%') {
    std::snprintf(buf, sizeof buf, ("%" + alt + ".*f").c_str(),
                  spec.precision < 0 ? 6 : spec.precision, mag * 100);
    body = std::string(buf) + "%";
  } else {
    const char conv = type == 'n' ? 'g' : type;
    std::snprintf(buf, sizeof buf, ("%" + alt + ".*" + conv).c_str(),
                  spec.precision < 0 ? 6 : spec.precision, mag);
    body = buf;
  }
  if (spec.grouping && std::isfinite(mag)) body = group(body, spec.grouping);
  return pad(signOf(negative, spec.sign), body, spec, '>');
}

std::string formatInt(__int128 v, const Spec& spec, Span span, const char* typeName) {
  char type = spec.type ? spec.type : 'd';
  if (std::string("eEfFgG%").find(type) != std::string::npos)
    return formatFloat(double(v), spec, span);
  if (std::string("dnbxXoc").find(type) == std::string::npos)
    raise(ErrorKind::Value, span,
          std::string("Unknown format code '") + type + "' for object of type '" + typeName + "'");
  if (spec.precision >= 0)
    raise(ErrorKind::Value, span, "Precision not allowed in integer format specifier");
  unsigned __int128 mag = v < 0 ? -static_cast<unsigned __int128>(v) : v;
  if (type == 'c') {
    if (mag > 0x10FFFF || v < 0) raise(ErrorKind::Value, span, "%c arg not in range(0x110000)");
    std::string s;
    uint32_t cp = uint32_t(mag);
    if (cp < 0x80) {
      s += char(cp);
    } else if (cp < 0x800) {
      s += char(0xC0 | (cp >> 6));
      s += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      s += char(0xE0 | (cp >> 12));
      s += char(0x80 | ((cp >> 6) & 0x3F));
      s += char(0x80 | (cp & 0x3F));
    } else {
      s += char(0xF0 | (cp >> 18));
      s += char(0x80 | ((cp >> 12) & 0x3F));
      s += char(0x80 | ((cp >> 6) & 0x3F));
      s += char(0x80 | (cp & 0x3F));
    }
    return pad("", s, spec, '<');
  }
  const unsigned base = type == 'b' ? 2 : type == 'o' ? 8 : (type == 'x' || type == 'X') ? 16 : 10;
  const char* digits = type == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string body;
  do {
    body.insert(body.begin(), digits[mag % base]);
    mag /= base;
  } while (mag);
  if (spec.grouping) {
    // Python groups binary/octal/hex digits by four with '_'.
    const size_t every = base == 10 ? 3 : 4;
    std::string out;
    for (size_t i = 0; i < body.size(); ++i) {
      if (i > 0 && (body.size() - i) % every == 0) out += spec.grouping;
      out += body[i];
    }
    body = out;
  }
  std::string prefix;
  if (spec.alternate && base != 10)
    prefix = type == 'b' ? "0b" : type == 'o' ? "0o" : type == 'x' ? "0x" : "0X";
  return pad(signOf(v < 0, spec.sign) + prefix, body, spec, '>');
}

} // namespace

std::string Interpreter::formatValue(const Value& v, const std::string& specText, Span span) {
  if (specText.empty()) return str(v);
  Value x = v;
  if (x.isArray()) {
    // numpy's __format__: a scalar (or 0-d array) formats as the Python
    // number it holds; an array with a spec has no format.
    if (!x.array->shape().empty())
      raise(ErrorKind::Type, span, "unsupported format string passed to numpy.ndarray.__format__");
    Scalar s = readValues(x.array, span).item();
    x = s.dtype == DType::Bool ? Value::ofBool(s.b)
        : isInteger(s.dtype)   ? Value::ofInt(s.i)
                               : Value::ofFloat(s.castTo(DType::Float64).f);
  }
  const Spec spec = parseSpec(specText, span);
  switch (x.kind) {
    case Value::Kind::Float:
      return formatFloat(x.f, spec, span);
    case Value::Kind::Int:
      return formatInt(x.big ? x.wide : __int128(x.i), spec, span, "int");
    case Value::Kind::Bool:
      return formatInt(x.b, spec, span, "bool");
    case Value::Kind::Str: {
      if (spec.type && spec.type != 's')
        raise(ErrorKind::Value, span,
              std::string("Unknown format code '") + spec.type + "' for object of type 'str'");
      if (spec.sign != '-')
        raise(ErrorKind::Value, span, "Sign not allowed in string format specifier");
      if (spec.align == '=')
        raise(ErrorKind::Value, span, "'=' alignment not allowed in string format specifier");
      std::string body = x.name;
      if (spec.precision >= 0) {
        // Truncate to `precision` code points.
        size_t i = 0;
        for (int k = 0; k < spec.precision && i < body.size(); ++k) {
          ++i;
          while (i < body.size() && (static_cast<unsigned char>(body[i]) & 0xC0) == 0x80) ++i;
        }
        body = body.substr(0, i);
      }
      return pad("", body, spec, '<');
    }
    default:
      raise(ErrorKind::Type, span,
            std::string("unsupported format string passed to ") + typeName(x) + ".__format__");
  }
}

} // namespace ravel::exec
