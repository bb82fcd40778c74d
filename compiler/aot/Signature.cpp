#include "compiler/aot/Signature.h"

#include <cctype>

namespace ravel::aot {

namespace {

void skipSpaces(const std::string& s, size_t& i) {
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
}

std::string identifier(const std::string& s, size_t& i) {
  skipSpaces(s, i);
  size_t start = i;
  while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
  if (start < s.size() && std::isdigit(static_cast<unsigned char>(s[start]))) return "";
  return s.substr(start, i - start);
}

} // namespace

std::optional<ExportSignature> parseSignature(const std::string& text, std::string& error) {
  ExportSignature sig;
  size_t i = 0;
  sig.name = identifier(text, i);
  skipSpaces(text, i);
  if (sig.name.empty() || i >= text.size() || text[i] != '(') {
    error = "expected NAME(TYPE, ...), e.g. 'f(float64[:], float64[:, :], int64)'";
    return std::nullopt;
  }
  ++i;
  skipSpaces(text, i);
  if (i < text.size() && text[i] == ')') {
    ++i;
  } else {
    for (;;) {
      const std::string type = identifier(text, i);
      std::optional<DType> dtype = parseDType(type);
      if (type.empty() || !dtype) {
        error = "unknown dtype '" + type + "' (bool, int32, int64, float32, float64)";
        return std::nullopt;
      }
      ExportParam p;
      p.dtype = *dtype;
      skipSpaces(text, i);
      if (i < text.size() && text[i] == '[') {
        p.isArray = true;
        ++i;
        skipSpaces(text, i);
        while (i < text.size() && text[i] == ':') {
          ++p.rank;
          ++i;
          skipSpaces(text, i);
          if (i < text.size() && text[i] == ',') ++i, skipSpaces(text, i);
        }
        if (i >= text.size() || text[i] != ']') {
          error = "an array parameter is DTYPE[:, ...] (one ':' per dimension)";
          return std::nullopt;
        }
        ++i;
      }
      sig.params.push_back(p);
      skipSpaces(text, i);
      if (i < text.size() && text[i] == ',') {
        ++i;
        continue;
      }
      if (i < text.size() && text[i] == ')') {
        ++i;
        break;
      }
      error = "expected ',' or ')' after a parameter";
      return std::nullopt;
    }
  }
  skipSpaces(text, i);
  if (i != text.size()) {
    error = "unexpected text after ')'";
    return std::nullopt;
  }
  return sig;
}

std::string paramText(const ExportParam& p) {
  std::string s(dtypeName(p.dtype));
  if (!p.isArray) return s;
  s += "[";
  for (int d = 0; d < p.rank; ++d) s += d ? ", :" : ":";
  return s + "]";
}

std::string signatureText(const ExportSignature& sig) {
  std::string s = sig.name + "(";
  for (size_t k = 0; k < sig.params.size(); ++k) s += (k ? ", " : "") + paramText(sig.params[k]);
  return s + ")";
}

const char* cScalarType(DType dtype) {
  switch (dtype) {
    case DType::Bool:
      return "bool";
    case DType::Int32:
      return "int32_t";
    case DType::Int64:
      return "int64_t";
    case DType::Float32:
      return "float";
    case DType::Float64:
      return "double";
  }
  return "double";
}

} // namespace ravel::aot
