// Array printing: a port of numpy/core/arrayprint.py (NumPy 1.24) restricted
// to ravel's dtypes and to the default floatmode/sign/legacy settings. The
// structure mirrors the Python code (_formatArray's recurser, _extendLine,
// FloatingFormat.fillFormat, array_repr's dtype placement) so that the two can
// be compared line by line.
#include "runtime/Print.h"

#include <algorithm>
#include <cmath>
#include <string_view>
#include <vector>

namespace ravel {
namespace {

std::string shapeRepr(const Shape& shape) {
  // Python's repr of a tuple: "(0, 3)", "(0,)".
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) s += ", ";
    s += std::to_string(shape[i]);
  }
  if (shape.size() == 1) s += ",";
  return s + ")";
}

std::string rstrip(std::string_view s) {
  size_t n = s.size();
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n')) --n;
  return std::string(s.substr(0, n));
}

/// The indices NumPy's _leading_trailing keeps on an axis of this length.
std::vector<int64_t> edgeIndices(int64_t length, bool summarize, int edgeitems) {
  std::vector<int64_t> idx;
  if (summarize && length > 2 * int64_t(edgeitems)) {
    for (int64_t i = 0; i < edgeitems; ++i) idx.push_back(i);
    // a[-edgeitems:]; with edgeitems == 0 that is a[0:], the whole axis.
    for (int64_t i = edgeitems == 0 ? 0 : length - edgeitems; i < length; ++i) idx.push_back(i);
  } else {
    for (int64_t i = 0; i < length; ++i) idx.push_back(i);
  }
  return idx;
}

/// The elements the format function is built from: all of them, or the
/// corners kept by _leading_trailing when summarizing.
std::vector<Scalar> collectData(const Array& a, bool summarize, int edgeitems) {
  std::vector<Scalar> out;
  const int nd = a.ndim();
  if (nd == 0) {
    out.push_back(a.at({}));
    return out;
  }
  std::vector<std::vector<int64_t>> axes;
  for (int d = 0; d < nd; ++d)
    axes.push_back(edgeIndices(a.shape()[size_t(d)], summarize, edgeitems));
  for (const auto& ax : axes) {
    if (ax.empty()) return out;
  }
  std::vector<size_t> pos(size_t(nd), 0);
  std::vector<int64_t> index(static_cast<size_t>(nd), 0);
  for (;;) {
    for (int d = 0; d < nd; ++d) index[size_t(d)] = axes[size_t(d)][pos[size_t(d)]];
    out.push_back(a.at(index));
    int d = nd - 1;
    while (d >= 0 && ++pos[size_t(d)] == axes[size_t(d)].size()) {
      pos[size_t(d)] = 0;
      --d;
    }
    if (d < 0) break;
  }
  return out;
}

/// The per-dtype element formatter (_get_format_function): BoolFormat,
/// IntegerFormat or FloatingFormat, set up from the data it will print.
class ElementFormat {
public:
  ElementFormat(DType dtype, const std::vector<Scalar>& data, bool zeroDim,
                const PrintOptions& options)
      : dtype_(dtype) {
    if (dtype == DType::Bool) {
      trueStr_ = zeroDim ? "True" : " True";
    } else if (isInteger(dtype)) {
      size_t width = 0;
      if (!data.empty()) {
        int64_t mx = data[0].i, mn = data[0].i;
        for (const Scalar& s : data) {
          mx = std::max(mx, s.i);
          mn = std::min(mn, s.i);
        }
        width = std::max(std::to_string(mx).size(), std::to_string(mn).size());
      }
      intWidth_ = width;
    } else {
      fillFloatFormat(data, options);
    }
  }

  std::string operator()(const Scalar& s) const {
    if (dtype_ == DType::Bool) return s.b ? trueStr_ : "False";
    if (isInteger(dtype_)) {
      std::string t = std::to_string(s.i);
      if (t.size() < intWidth_) t.insert(0, intWidth_ - t.size(), ' ');
      return t;
    }
    return formatFloatElement(s.f);
  }

private:
  bool isF32() const { return dtype_ == DType::Float32; }

  // FloatingFormat.fillFormat with floatmode='maxprec', sign='-'.
  void fillFloatFormat(const std::vector<Scalar>& data, const PrintOptions& options) {
    precision_ = options.precision;
    std::vector<double> finite;
    bool anyNonFinite = false, anyNegInf = false;
    for (const Scalar& s : data) {
      if (std::isfinite(s.f)) {
        finite.push_back(s.f);
      } else {
        anyNonFinite = true;
        if (std::isinf(s.f) && s.f < 0) anyNegInf = true;
      }
    }

    bool haveNonZero = false;
    double maxVal = 0, minVal = 0;
    for (double x : finite) {
      if (x == 0) continue;
      double ax = std::fabs(x);
      if (!haveNonZero) {
        maxVal = minVal = ax;
        haveNonZero = true;
      } else {
        maxVal = std::max(maxVal, ax);
        minVal = std::min(minVal, ax);
      }
    }
    if (haveNonZero) {
      // max_val / min_val is computed in the array's dtype (float32 division
      // for float32 arrays); the comparisons against Python floats in double.
      double ratio = isF32() ? double(float(maxVal) / float(minVal)) : maxVal / minVal;
      if (maxVal >= 1.e8 || (!options.suppress && (minVal < 0.0001 || ratio > 1000.))) {
        expFormat_ = true;
      }
    }

    if (finite.empty()) {
      padLeft_ = 0;
      padRight_ = 0;
      trim_ = FloatTrim::Zeros;
      expSize_ = -1;
      minDigits_ = -1;
    } else if (expFormat_) {
      size_t maxExp = 0, maxFrac = 0, maxInt = 0;
      for (double x : finite) {
        std::string s = formatFloatScientific(x, isF32(), precision_, FloatTrim::Zeros);
        size_t e = s.find('e');
        std::string mant = s.substr(0, e);
        size_t dot = mant.find('.');
        maxExp = std::max(maxExp, s.size() - e - 1);
        maxInt = std::max(maxInt, dot);
        maxFrac = std::max(maxFrac, mant.size() - dot - 1);
      }
      expSize_ = int(maxExp) - 1;
      trim_ = FloatTrim::Keep;
      precision_ = int(maxFrac);
      minDigits_ = precision_;
      padLeft_ = int(maxInt);
      padRight_ = expSize_ + 2 + precision_;
    } else {
      size_t maxFrac = 0, maxInt = 0;
      for (double x : finite) {
        std::string s = formatFloatPositional(x, isF32(), precision_, FloatTrim::Zeros);
        size_t dot = s.find('.');
        maxInt = std::max(maxInt, dot);
        maxFrac = std::max(maxFrac, s.size() - dot - 1);
      }
      padLeft_ = int(maxInt);
      padRight_ = int(maxFrac);
      expSize_ = -1;
      trim_ = FloatTrim::Zeros;
      minDigits_ = 0;
    }

    if (anyNonFinite) {
      int nanLen = 3;
      int infLen = 3 + (anyNegInf ? 1 : 0);
      int offset = padRight_ + 1; // +1 for the decimal point
      padLeft_ = std::max({padLeft_, nanLen - offset, infLen - offset});
    }
  }

  std::string formatFloatElement(double x) const {
    if (!std::isfinite(x)) {
      std::string ret = std::isnan(x) ? "nan" : (x < 0 ? "-inf" : "inf");
      int pad = padLeft_ + padRight_ + 1 - int(ret.size());
      if (pad > 0) ret.insert(0, size_t(pad), ' ');
      return ret;
    }
    if (expFormat_) {
      return formatFloatScientific(x, isF32(), precision_, trim_, minDigits_, padLeft_, expSize_);
    }
    return formatFloatPositional(x, isF32(), precision_, trim_, minDigits_, padLeft_, padRight_);
  }

  DType dtype_;
  std::string trueStr_;
  size_t intWidth_ = 0;
  bool expFormat_ = false;
  int precision_ = 8;
  int minDigits_ = -1;
  int padLeft_ = 0;
  int padRight_ = 0;
  int expSize_ = -1;
  FloatTrim trim_ = FloatTrim::Zeros;
};

/// _extendLine (non-legacy): wrap before word when it would pass lineWidth,
/// unless the line holds nothing but the indent.
void extendLine(std::string& s, std::string& line, const std::string& word, size_t lineWidth,
                const std::string& nextLinePrefix) {
  bool needsWrap = line.size() + word.size() > lineWidth;
  if (line.size() <= nextLinePrefix.size()) needsWrap = false;
  if (needsWrap) {
    s += rstrip(line);
    s += '\n';
    line = nextLinePrefix;
  }
  line += word;
}

/// _formatArray's recurser.
class ArrayFormatter {
public:
  ArrayFormatter(const Array& a, const ElementFormat& fmt, const std::string& separator,
                 int edgeitems, bool summarize)
      : a_(a), fmt_(fmt), separator_(separator), edgeitems_(edgeitems), summarize_(summarize) {}

  std::string recurse(std::vector<int64_t>& index, const std::string& hangingIndent,
                      int64_t currWidth) {
    const size_t axis = index.size();
    const int axesLeft = a_.ndim() - int(axis);
    if (axesLeft == 0) return fmt_(a_.at(index));

    const std::string nextHangingIndent = hangingIndent + ' ';
    const int64_t nextWidth = currWidth - 1; // len(']')
    const int64_t aLen = a_.shape()[axis];
    const bool showSummary = summarize_ && 2 * int64_t(edgeitems_) < aLen;
    const int64_t leadingItems = showSummary ? edgeitems_ : 0;
    const int64_t trailingItems = showSummary ? edgeitems_ : aLen;

    auto child = [&](int64_t i) {
      index.push_back(i);
      std::string r = recurse(index, nextHangingIndent, nextWidth);
      index.pop_back();
      return r;
    };

    std::string s;
    if (axesLeft == 1) {
      const std::string sepStripped = rstrip(separator_);
      const int64_t elemWidth = currWidth - std::max<int64_t>(int64_t(sepStripped.size()), 1);
      const size_t width = elemWidth < 0 ? 0 : size_t(elemWidth);
      std::string line = hangingIndent;
      for (int64_t i = 0; i < leadingItems; ++i) {
        extendLine(s, line, child(i), width, hangingIndent);
        line += separator_;
      }
      if (showSummary) {
        extendLine(s, line, "...", width, hangingIndent);
        line += separator_;
      }
      for (int64_t i = trailingItems; i > 1; --i) {
        extendLine(s, line, child(aLen - i), width, hangingIndent);
        line += separator_;
      }
      extendLine(s, line, child(aLen - 1), width, hangingIndent);
      s += line;
    } else {
      std::string lineSep = rstrip(separator_);
      lineSep.append(size_t(axesLeft - 1), '\n');
      for (int64_t i = 0; i < leadingItems; ++i) s += hangingIndent + child(i) + lineSep;
      if (showSummary) s += hangingIndent + "..." + lineSep;
      for (int64_t i = trailingItems; i > 1; --i) s += hangingIndent + child(aLen - i) + lineSep;
      s += hangingIndent + child(aLen - 1);
    }
    return "[" + s.substr(hangingIndent.size()) + "]";
  }

private:
  const Array& a_;
  const ElementFormat& fmt_;
  std::string separator_;
  int edgeitems_;
  bool summarize_;
};

/// array2string for a non-empty array (or a 0-d one).
std::string array2string(const Array& a, const PrintOptions& options, int64_t lineWidth,
                         const std::string& separator, const std::string& prefix) {
  const bool summarize = a.size() > options.threshold;
  std::vector<Scalar> data = collectData(a, summarize, options.edgeitems);
  ElementFormat fmt(a.dtype(), data, a.ndim() == 0, options);
  const std::string nextLinePrefix = " " + std::string(prefix.size(), ' ');
  ArrayFormatter f(a, fmt, separator, options.edgeitems, summarize);
  std::vector<int64_t> index;
  return f.recurse(index, nextLinePrefix, lineWidth);
}

/// dtype_is_implied: float64, int64 (the default int) and bool.
bool dtypeIsImplied(DType t) {
  return t == DType::Float64 || t == DType::Int64 || t == DType::Bool;
}

} // namespace

std::string formatScalarStr(const Scalar& s) {
  switch (s.dtype) {
    case DType::Bool:
      return s.b ? "True" : "False";
    case DType::Int32:
    case DType::Int64:
      return std::to_string(s.i);
    case DType::Float32:
      return formatNumpyFloatScalar(s.f, true);
    case DType::Float64:
      return formatNumpyFloatScalar(s.f, false);
  }
  return "";
}

std::string formatScalarRepr(const Scalar& s) {
  return formatScalarStr(s);
}

std::string formatArrayStr(const Array& a, const PrintOptions& options) {
  if (a.ndim() == 0) return formatScalarStr(a.at({}));
  if (a.size() == 0) return "[]";
  return array2string(a, options, options.linewidth, " ", "");
}

std::string formatArrayRepr(const Array& a, const PrintOptions& options,
                            const std::string& className) {
  const bool skipDtype = dtypeIsImplied(a.dtype()) && a.size() > 0;
  const std::string prefix = className + "(";
  const std::string suffix = skipDtype ? ")" : ",";

  std::string lst;
  if (a.size() > 0) {
    lst = array2string(a, options, options.linewidth - int64_t(suffix.size()), ", ", prefix);
  } else if (a.ndim() == 1) {
    lst = "[]";
  } else {
    lst = "[], shape=" + shapeRepr(a.shape());
  }
  std::string arrStr = prefix + lst + suffix;
  if (skipDtype) return arrStr;

  const std::string dtypeStr = "dtype=" + std::string(dtypeName(a.dtype())) + ")";
  size_t nl = arrStr.rfind('\n');
  size_t lastLineLen = nl == std::string::npos ? arrStr.size() : arrStr.size() - (nl + 1);
  std::string spacer = " ";
  if (int64_t(lastLineLen + dtypeStr.size() + 1) > int64_t(options.linewidth)) {
    spacer = "\n" + std::string(prefix.size(), ' ');
  }
  return arrStr + spacer + dtypeStr;
}

} // namespace ravel
