// TextFiles: np.savetxt and np.loadtxt, NumPy 1.24's text formats.
//
// savetxt writes each row through a Python %-format (fmt: one spec for
// every column, one per column, or a whole-row string), with the header
// and footer behind the comment marker. loadtxt reads whitespace- or
// delimiter-separated numbers into float64/float32/int64/int32/bool, skips
// comments and blank lines, and reports NumPy's errors with its row and
// column numbers; the result is squeezed then brought to ndmin dimensions
// as NumPy's is.
#include "compiler/exec/Args.h"
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace ravel::exec {

namespace {

std::string textArg(const Value& v, const char* what, Span span) {
  if (v.kind != Value::Kind::Str)
    raise(ErrorKind::Type, span, std::string(what) + " must be a str, not " + typeName(v));
  return v.name;
}

std::string pathArg(const Value& v, Span span) {
  if (v.kind != Value::Kind::Str)
    raise(ErrorKind::Type, span,
          std::string("expected str, bytes or os.PathLike object, not ") + typeName(v));
  return v.name;
}

// ---------------------------------------------------------------- savetxt

/// One conversion of a Python %-format: "%-10.3f" is flags "-", width 10,
/// precision 3, conversion 'f'.
struct FormatSpec {
  std::string flags;
  int width = -1;
  int precision = -1;
  char conversion = 0;
};

/// A %-format split into literal text and conversions: text[i] precedes
/// specs[i]; text has one more entry than specs.
struct PercentFormat {
  std::vector<std::string> text;
  std::vector<FormatSpec> specs;
};

PercentFormat parsePercentFormat(const std::string& fmt, Span span) {
  PercentFormat p;
  p.text.emplace_back();
  for (size_t i = 0; i < fmt.size(); ++i) {
    if (fmt[i] != '%') {
      p.text.back() += fmt[i];
      continue;
    }
    if (i + 1 < fmt.size() && fmt[i + 1] == '%') {
      p.text.back() += '%';
      ++i;
      continue;
    }
    FormatSpec s;
    size_t j = i + 1;
    while (j < fmt.size() && std::strchr("-+ #0", fmt[j])) s.flags += fmt[j++];
    auto number = [&]() {
      int n = 0;
      while (j < fmt.size() && std::isdigit(static_cast<unsigned char>(fmt[j])))
        n = std::min(n * 10 + (fmt[j++] - '0'), 1000);
      return n;
    };
    if (j < fmt.size() && std::isdigit(static_cast<unsigned char>(fmt[j]))) s.width = number();
    if (j < fmt.size() && fmt[j] == '.') {
      ++j;
      s.precision = number();
    }
    while (j < fmt.size() && std::strchr("hlL", fmt[j])) ++j; // Python ignores length modifiers
    if (j >= fmt.size() || !std::strchr("diueEfFgGsroxX", fmt[j]))
      raise(ErrorKind::Value, span,
            "unsupported format character in '" + fmt +
                "' (ravel's savetxt takes %d %i %u %e "
                "%E %f %F %g %G %s %r %o %x %X)");
    s.conversion = fmt[j];
    p.specs.push_back(s);
    p.text.emplace_back();
    i = j;
  }
  return p;
}

std::string cFormat(const FormatSpec& s, const char* length, char conversion) {
  std::string f = "%" + s.flags;
  if (s.width >= 0) f += std::to_string(s.width);
  if (s.precision >= 0) f += "." + std::to_string(s.precision);
  return f + length + conversion;
}

template <class... T> std::string printed(const std::string& f, T... v) {
  const int n = std::snprintf(nullptr, 0, f.c_str(), v...);
  std::string out(size_t(std::max(n, 0)), '\0');
  std::snprintf(out.data(), out.size() + 1, f.c_str(), v...);
  return out;
}

/// `spec % x` as Python formats the NumPy scalar x.
std::string formatOne(const FormatSpec& s, const Scalar& x, Span span) {
  const char c = s.conversion;
  if (c == 's' || c == 'r') {
    std::string text = formatScalarStr(x);
    if (s.precision >= 0 && size_t(s.precision) < text.size()) text.resize(size_t(s.precision));
    FormatSpec str = s;
    str.precision = -1;
    return printed(cFormat(str, "", 's'), text.c_str());
  }
  if (std::strchr("eEfFgG", c)) {
    const double v = isFloat(x.dtype) ? x.f : isInteger(x.dtype) ? double(x.i) : double(x.b);
    return printed(cFormat(s, "", c), v);
  }
  // d i u o x X: Python's int(x), truncating a float.
  int64_t v = x.dtype == DType::Bool ? int64_t(x.b) : x.i;
  if (isFloat(x.dtype)) {
    if (std::isnan(x.f)) raise(ErrorKind::Value, span, "cannot convert float NaN to integer");
    if (std::isinf(x.f)) raise(ErrorKind::Value, span, "cannot convert float infinity to integer");
    if (std::fabs(x.f) >= 9.2e18)
      raise(ErrorKind::Value, span, "ravel's savetxt formats integers within int64 only");
    v = int64_t(x.f);
  }
  if (c == 'o' || c == 'x' || c == 'X') {
    // Python writes a negative number as its sign and magnitude.
    const uint64_t mag = v < 0 ? 0 - uint64_t(v) : uint64_t(v);
    std::string digits =
        printed(cFormat({s.flags, -1, s.precision, c}, "l", c), (unsigned long)mag);
    if (v < 0) digits = "-" + digits;
    FormatSpec pad{s.flags, s.width, -1, 's'};
    return printed(cFormat(pad, "", 's'), digits.c_str());
  }
  return printed(cFormat(s, "ll", 'd'), (long long)v);
}

/// The row format: `fmt` as NumPy's savetxt builds it for ncol columns.
PercentFormat rowFormat(const Value& fmt, const std::string& delimiter, int64_t ncol, Span span) {
  std::string row;
  if (fmt.kind == Value::Kind::List || fmt.kind == Value::Kind::Tuple) {
    if (int64_t(fmt.items.size()) != ncol) {
      std::string items;
      for (size_t i = 0; i < fmt.items.size(); ++i)
        items += (i ? ", " : "") + std::string("'") +
                 (fmt.items[i].kind == Value::Kind::Str ? fmt.items[i].name : "?") + "'";
      raise(ErrorKind::Name, span, "fmt has wrong shape.  [" + items + "]");
    }
    for (size_t i = 0; i < fmt.items.size(); ++i)
      row += (i ? delimiter : "") + textArg(fmt.items[i], "fmt", span);
  } else if (fmt.kind == Value::Kind::Str) {
    const int64_t percents = std::count(fmt.name.begin(), fmt.name.end(), '%');
    if (percents == 1) {
      for (int64_t i = 0; i < ncol; ++i) row += (i ? delimiter : "") + fmt.name;
    } else if (percents != ncol) {
      raise(ErrorKind::Value, span, "fmt has wrong number of % formats:  " + fmt.name);
    } else {
      row = fmt.name;
    }
  } else {
    raise(ErrorKind::Value, span, "invalid fmt: " + std::string(typeName(fmt)));
  }
  PercentFormat p = parsePercentFormat(row, span);
  if (int64_t(p.specs.size()) != ncol)
    raise(ErrorKind::Value, span, "fmt has wrong number of % formats:  " + row);
  return p;
}

// ---------------------------------------------------------------- loadtxt

bool isSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

std::string trimmed(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && isSpace(s[b])) ++b;
  while (e > b && isSpace(s[e - 1])) --e;
  return s.substr(b, e - b);
}

/// A float field as Python's float() reads it (no hex, no underscores).
bool parseFloatField(const std::string& field, double& out) {
  const std::string t = trimmed(field);
  if (t.empty()) return false;
  for (char c : t)
    if (!std::isdigit(static_cast<unsigned char>(c)) && !std::strchr("+-.eEinfatyINFATY", c))
      return false;
  errno = 0;
  char* end = nullptr;
  out = std::strtod(t.c_str(), &end);
  return end == t.c_str() + t.size();
}

bool parseIntField(const std::string& field, int64_t& out) {
  const std::string t = trimmed(field);
  size_t i = t.size() && (t[0] == '+' || t[0] == '-') ? 1 : 0;
  if (i == t.size()) return false;
  for (size_t k = i; k < t.size(); ++k)
    if (!std::isdigit(static_cast<unsigned char>(t[k]))) return false;
  errno = 0;
  out = std::strtoll(t.c_str(), nullptr, 10);
  return errno == 0;
}

std::vector<std::string> splitFields(const std::string& line, const std::string& delimiter) {
  std::vector<std::string> fields;
  if (delimiter.empty()) { // None: runs of whitespace
    std::istringstream words(line);
    for (std::string w; words >> w;) fields.push_back(w);
    return fields;
  }
  size_t start = 0;
  for (;;) {
    const size_t at = line.find(delimiter, start);
    if (at == std::string::npos) {
      fields.push_back(line.substr(start));
      return fields;
    }
    fields.push_back(line.substr(start, at - start));
    start = at + delimiter.size();
  }
}

} // namespace

Value builtinSavetxt(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"fname", {}},
                      {"X", {}},
                      {"fmt", Value::ofStr("%.18e")},
                      {"delimiter", Value::ofStr(" ")},
                      {"newline", Value::ofStr("\n")},
                      {"header", Value::ofStr("")},
                      {"footer", Value::ofStr("")},
                      {"comments", Value::ofStr("# ")},
                      {"encoding", kNone}});
  const std::string path = pathArg(a[0], span);
  const std::string delimiter = textArg(a[3], "delimiter", span);
  const std::string newline = textArg(a[4], "newline", span);
  const std::string comments = textArg(a[7], "comments", span);
  if (a[8].kind != Value::Kind::None)
    raise(ErrorKind::Type, span, "savetxt's encoding= is not in ravel yet");
  Array x = argValues(in, toArrayValue(in, a[1], span), span);
  if (x.ndim() == 0 || x.ndim() > 2)
    raise(ErrorKind::Value, span,
          "Expected 1D or 2D array, got " + std::to_string(x.ndim()) + "D array instead");
  const int64_t rows = x.shape()[0];
  const int64_t cols = x.ndim() == 1 ? 1 : x.shape()[1];
  const PercentFormat row = rowFormat(a[2], delimiter, cols, span);
  auto commented = [&](std::string text) {
    for (size_t at = 0; (at = text.find('\n', at)) != std::string::npos; at += 1 + comments.size())
      text.insert(at + 1, comments);
    return comments + text + newline;
  };
  std::string out;
  const std::string header = textArg(a[5], "header", span);
  if (!header.empty()) out += commented(header);
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) {
      const Scalar v =
          x.ndim() == 1 ? x.indexAxis(0, r).item() : x.indexAxis(0, r).indexAxis(0, c).item();
      out += row.text[size_t(c)] + formatOne(row.specs[size_t(c)], v, span);
    }
    out += row.text.back() + newline;
  }
  const std::string footer = textArg(a[6], "footer", span);
  if (!footer.empty()) out += commented(footer);
  if (in.dryRun()) return Value::none();
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file || !file.write(out.data(), std::streamsize(out.size())))
    raise(ErrorKind::File, span,
          "cannot write '" + path + "': " + std::strerror(errno ? errno : EIO));
  return Value::none();
}

Value builtinLoadtxt(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"fname", {}},
                      {"dtype", Value::ofDType(DType::Float64)},
                      {"comments", Value::ofStr("#")},
                      {"delimiter", kNone},
                      {"converters", kNone},
                      {"skiprows", Value::ofInt(0)},
                      {"usecols", kNone},
                      {"unpack", Value::ofBool(false)},
                      {"ndmin", Value::ofInt(0)},
                      {"encoding", Value::ofStr("bytes")},
                      {"max_rows", kNone},
                      {"quotechar", kNone},
                      {"like", kNone}});
  const std::string path = pathArg(a[0], span);
  const DType dtype = toDType(a[1], span).value_or(DType::Float64);
  std::vector<std::string> comments;
  if (a[2].kind == Value::Kind::Str) {
    comments.push_back(a[2].name);
  } else if (a[2].kind == Value::Kind::List || a[2].kind == Value::Kind::Tuple) {
    for (const Value& c : a[2].items) comments.push_back(textArg(c, "comments", span));
  } else if (a[2].kind != Value::Kind::None) {
    raise(ErrorKind::Type, span, "comments must be a str, a sequence of str or None");
  }
  std::erase_if(comments, [](const std::string& c) { return c.empty(); });
  const std::string delimiter =
      a[3].kind == Value::Kind::None ? std::string() : textArg(a[3], "delimiter", span);
  if (a[3].kind != Value::Kind::None && delimiter.empty())
    raise(ErrorKind::Type, span,
          "Text reading control character must be a single unicode "
          "character or None; but got: ''");
  if (a[4].kind != Value::Kind::None || a[11].kind != Value::Kind::None ||
      a[12].kind != Value::Kind::None)
    raise(ErrorKind::Type, span,
          "loadtxt's converters=, quotechar= and like= are not in ravel yet");
  const int64_t skiprows = toInt(a[5], span);
  std::vector<int64_t> usecols;
  if (a[6].kind != Value::Kind::None) usecols = toIntList(a[6], span);
  const bool unpack = flagArg(a[7]);
  const int64_t ndmin = toInt(a[8], span);
  if (ndmin < 0 || ndmin > 2)
    raise(ErrorKind::Value, span, "Illegal value of ndmin keyword: " + std::to_string(ndmin));
  const int64_t maxRows = a[10].kind == Value::Kind::None ? -1 : toInt(a[10], span);

  std::ifstream file(path, std::ios::binary);
  if (!file) raise(ErrorKind::File, span, path + " not found.");
  std::vector<double> floats;
  std::vector<int64_t> ints;
  int64_t ncols = -1, nrows = 0;
  std::string line;
  for (int64_t lineNo = 0; std::getline(file, line); ++lineNo) {
    if (lineNo < skiprows) continue;
    if (maxRows >= 0 && nrows >= maxRows) break;
    for (const std::string& c : comments) {
      const size_t at = line.find(c);
      if (at != std::string::npos) line.resize(at);
    }
    if (trimmed(line).empty()) continue;
    std::vector<std::string> fields = splitFields(line, delimiter);
    if (!usecols.empty()) {
      std::vector<std::string> picked;
      for (int64_t c : usecols) {
        const int64_t k = c < 0 ? c + int64_t(fields.size()) : c;
        if (k < 0 || k >= int64_t(fields.size()))
          raise(ErrorKind::Value, span,
                "invalid column index " + std::to_string(c) + " at row " +
                    std::to_string(nrows + 1) + " with " + std::to_string(fields.size()) +
                    " columns");
        picked.push_back(fields[size_t(k)]);
      }
      fields = std::move(picked);
    }
    if (ncols >= 0 && int64_t(fields.size()) != ncols)
      raise(ErrorKind::Value, span,
            "the number of columns changed from " + std::to_string(ncols) + " to " +
                std::to_string(fields.size()) + " at row " + std::to_string(nrows + 1) +
                "; use `usecols` to select a subset and avoid this error");
    ncols = int64_t(fields.size());
    for (size_t c = 0; c < fields.size(); ++c) {
      auto bad = [&]() {
        raise(ErrorKind::Value, span,
              "could not convert string '" + fields[c] + "' to " + std::string(dtypeName(dtype)) +
                  " at row " + std::to_string(nrows) + ", column " + std::to_string(c + 1) + ".");
      };
      if (isFloat(dtype)) {
        double v;
        if (!parseFloatField(fields[c], v)) bad();
        floats.push_back(v);
      } else {
        int64_t v;
        if (!parseIntField(fields[c], v)) {
          double f;
          // NumPy 1.24 still reads "1.5" as the int 1 (deprecated); never for bool.
          if (dtype == DType::Bool || !parseFloatField(fields[c], f) || !std::isfinite(f) ||
              std::fabs(f) >= 9.2e18)
            bad();
          v = int64_t(f);
        }
        if (dtype == DType::Int32 && (v < INT32_MIN || v > INT32_MAX)) bad();
        ints.push_back(v);
      }
    }
    ++nrows;
  }
  if (nrows == 0) {
    in.warn("UserWarning", "loadtxt: input contained no data: \"" + path + "\"", span);
    ncols = ndmin == 2 ? 1 : 0;
  }
  Array data = Array::empty({nrows, ncols}, dtype);
  switch (dtype) {
    case DType::Float64:
      std::copy(floats.begin(), floats.end(), reinterpret_cast<double*>(data.data()));
      break;
    case DType::Float32:
      std::copy(floats.begin(), floats.end(), reinterpret_cast<float*>(data.data()));
      break;
    case DType::Int64:
      std::copy(ints.begin(), ints.end(), reinterpret_cast<int64_t*>(data.data()));
      break;
    case DType::Int32:
      std::copy(ints.begin(), ints.end(), reinterpret_cast<int32_t*>(data.data()));
      break;
    case DType::Bool:
      for (size_t i = 0; i < ints.size(); ++i)
        reinterpret_cast<bool*>(data.data())[i] = ints[i] != 0;
      break;
  }
  // NumPy's _ensure_ndmin_ndarray: squeeze, then at least ndmin dimensions
  // (a single row or column is 1-d, a single value 0-d).
  Shape shape;
  for (int64_t d : data.shape())
    if (d != 1) shape.push_back(d);
  if (nrows == 0) shape = ndmin == 2 ? Shape{0, 1} : Shape{0};
  if (ndmin >= 1 && shape.empty()) shape = {1};
  if (ndmin == 2 && shape.size() == 1)
    shape = ncols == 1 && nrows != 1 ? Shape{shape[0], 1} : Shape{1, shape[0]};
  Value r = in.materializedValue(data.reshape(shape));
  if (!unpack) return r;
  std::vector<Value> targs{r};
  Kwargs none;
  return in.callBuiltin(".transpose", targs, none, span);
}

} // namespace ravel::exec
