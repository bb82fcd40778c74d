// Port of NumPy 1.24's Dragon4 float printing (unique digit mode). The
// arithmetic is done with a small arbitrary-precision integer; the digit
// loop, cutoff, rounding and formatting logic follow numpy's dragon4.c line
// for line so that every output (and every quirk) is the same.
#include "runtime/FloatFormat.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

namespace ravel {
namespace {

// ---- arbitrary-precision unsigned integer (little-endian 32-bit blocks) ----

class BigInt {
public:
  BigInt() = default;
  explicit BigInt(uint64_t v) {
    if (v != 0) blocks_.push_back(uint32_t(v));
    if ((v >> 32) != 0) blocks_.push_back(uint32_t(v >> 32));
  }

  static BigInt pow2(int n) {
    BigInt r;
    r.blocks_.assign(size_t(n / 32 + 1), 0);
    r.blocks_.back() = uint32_t(1) << (n % 32);
    return r;
  }

  static BigInt pow10(int n) {
    BigInt r(1);
    for (; n >= 9; n -= 9) r.multiplySmall(1000000000u);
    uint32_t rest = 1;
    for (; n > 0; --n) rest *= 10;
    r.multiplySmall(rest);
    return r;
  }

  bool isZero() const { return blocks_.empty(); }
  bool isEven() const { return blocks_.empty() || (blocks_[0] & 1u) == 0; }

  void multiplySmall(uint32_t m) {
    uint64_t carry = 0;
    for (uint32_t& b : blocks_) {
      uint64_t p = uint64_t(b) * m + carry;
      b = uint32_t(p);
      carry = p >> 32;
    }
    if (carry != 0) blocks_.push_back(uint32_t(carry));
    trim();
  }

  void shiftLeft(int n) {
    if (isZero() || n == 0) return;
    int words = n / 32, bits = n % 32;
    std::vector<uint32_t> out(blocks_.size() + size_t(words) + 1, 0);
    for (size_t i = 0; i < blocks_.size(); ++i) {
      uint64_t v = uint64_t(blocks_[i]) << bits;
      out[i + size_t(words)] |= uint32_t(v);
      out[i + size_t(words) + 1] |= uint32_t(v >> 32);
    }
    blocks_ = std::move(out);
    trim();
  }

  static BigInt multiply(const BigInt& a, const BigInt& b) {
    BigInt r;
    if (a.isZero() || b.isZero()) return r;
    r.blocks_.assign(a.blocks_.size() + b.blocks_.size(), 0);
    for (size_t i = 0; i < a.blocks_.size(); ++i) {
      uint64_t carry = 0;
      for (size_t j = 0; j < b.blocks_.size(); ++j) {
        uint64_t p = uint64_t(a.blocks_[i]) * b.blocks_[j] + r.blocks_[i + j] + carry;
        r.blocks_[i + j] = uint32_t(p);
        carry = p >> 32;
      }
      r.blocks_[i + b.blocks_.size()] = uint32_t(carry);
    }
    r.trim();
    return r;
  }

  static BigInt add(const BigInt& a, const BigInt& b) {
    const BigInt& large = a.blocks_.size() >= b.blocks_.size() ? a : b;
    const BigInt& small = a.blocks_.size() >= b.blocks_.size() ? b : a;
    BigInt r;
    r.blocks_.resize(large.blocks_.size() + 1, 0);
    uint64_t carry = 0;
    for (size_t i = 0; i < large.blocks_.size(); ++i) {
      uint64_t s = uint64_t(large.blocks_[i]) + carry;
      if (i < small.blocks_.size()) s += small.blocks_[i];
      r.blocks_[i] = uint32_t(s);
      carry = s >> 32;
    }
    r.blocks_.back() = uint32_t(carry);
    r.trim();
    return r;
  }

  static int compare(const BigInt& a, const BigInt& b) {
    if (a.blocks_.size() != b.blocks_.size()) return a.blocks_.size() < b.blocks_.size() ? -1 : 1;
    for (size_t i = a.blocks_.size(); i-- > 0;) {
      if (a.blocks_[i] != b.blocks_[i]) return a.blocks_[i] < b.blocks_[i] ? -1 : 1;
    }
    return 0;
  }

  /// this -= b; requires this >= b.
  void subtract(const BigInt& b) {
    int64_t borrow = 0;
    for (size_t i = 0; i < blocks_.size(); ++i) {
      int64_t d = int64_t(blocks_[i]) - borrow - (i < b.blocks_.size() ? int64_t(b.blocks_[i]) : 0);
      borrow = d < 0 ? 1 : 0;
      blocks_[i] = uint32_t(d + (borrow << 32));
    }
    trim();
  }

private:
  void trim() {
    while (!blocks_.empty() && blocks_.back() == 0) blocks_.pop_back();
  }
  std::vector<uint32_t> blocks_;
};

/// floor(dividend / divisor) for a quotient known to be < 10; dividend becomes
/// the remainder.
uint32_t divideWithRemainderMax9(BigInt& dividend, const BigInt& divisor) {
  uint32_t q = 0;
  while (BigInt::compare(dividend, divisor) >= 0) {
    dividend.subtract(divisor);
    ++q;
  }
  return q;
}

// Size of numpy's Dragon4 output buffer (only bounds absurdly long outputs).
constexpr int kBufferSize = 16384;

/// numpy's Dragon4() in DigitMode_Unique. value = mantissa * 2^exponent.
/// Returns the digits; outExponent is the base-10 exponent of the first one.
std::string dragon4(uint64_t mantissa, int exponent, int mantissaBit, bool hasUnequalMargins,
                    bool totalLength, int cutoffMax, int cutoffMin, int bufferSize,
                    int& outExponent) {
  if (mantissa == 0) {
    outExponent = 0;
    return "0";
  }
  const bool isEven = (mantissa & 1u) == 0;
  BigInt scale, scaledValue(mantissa), marginLow, marginHigh;
  if (hasUnequalMargins) {
    if (exponent > 0) {
      scaledValue.shiftLeft(exponent + 2);
      scale = BigInt(4);
      marginLow = BigInt::pow2(exponent);
    } else {
      scaledValue.shiftLeft(2);
      scale = BigInt::pow2(-exponent + 2);
      marginLow = BigInt(1);
    }
  } else {
    if (exponent > 0) {
      scaledValue.shiftLeft(exponent + 1);
      scale = BigInt(2);
      marginLow = BigInt::pow2(exponent);
    } else {
      scaledValue.shiftLeft(1);
      scale = BigInt::pow2(-exponent + 1);
      marginLow = BigInt(1);
    }
  }
  // The high margin is twice the low one when the margins are unequal.
  auto updateHigh = [&] {
    if (hasUnequalMargins) {
      marginHigh = marginLow;
      marginHigh.shiftLeft(1);
    }
  };
  updateHigh();
  auto high = [&]() -> const BigInt& { return hasUnequalMargins ? marginHigh : marginLow; };

  const double log10_2 = 0.30102999566398119521373889472449;
  int digitExponent = int(std::ceil(double(mantissaBit + exponent) * log10_2 - 0.69));
  if (cutoffMax >= 0 && !totalLength && digitExponent <= -cutoffMax) {
    digitExponent = -cutoffMax + 1;
  }
  if (digitExponent > 0) {
    scale = BigInt::multiply(scale, BigInt::pow10(digitExponent));
  } else if (digitExponent < 0) {
    BigInt p = BigInt::pow10(-digitExponent);
    scaledValue = BigInt::multiply(scaledValue, p);
    marginLow = BigInt::multiply(marginLow, p);
    updateHigh();
  }
  if (BigInt::compare(scaledValue, scale) >= 0) {
    digitExponent = digitExponent + 1;
  } else {
    scaledValue.multiplySmall(10);
    marginLow.multiplySmall(10);
    updateHigh();
  }

  int cutoffMaxExponent = digitExponent - bufferSize;
  if (cutoffMax >= 0) {
    int desired = totalLength ? digitExponent - cutoffMax : -cutoffMax;
    cutoffMaxExponent = std::max(cutoffMaxExponent, desired);
  }
  int cutoffMinExponent = digitExponent;
  if (cutoffMin >= 0) {
    int desired = totalLength ? digitExponent - cutoffMin : -cutoffMin;
    cutoffMinExponent = std::min(cutoffMinExponent, desired);
  }
  outExponent = digitExponent - 1;

  std::string digits;
  uint32_t outputDigit = 0;
  bool low = false, hi = false;
  for (;;) {
    digitExponent = digitExponent - 1;
    outputDigit = divideWithRemainderMax9(scaledValue, scale);
    BigInt scaledValueHigh = BigInt::add(scaledValue, high());
    int cmp = BigInt::compare(scaledValue, marginLow);
    low = isEven ? (cmp <= 0) : (cmp < 0);
    cmp = BigInt::compare(scaledValueHigh, scale);
    hi = isEven ? (cmp >= 0) : (cmp > 0);
    if (((low || hi) && digitExponent <= cutoffMinExponent) || digitExponent == cutoffMaxExponent) {
      break;
    }
    digits.push_back(char('0' + outputDigit));
    scaledValue.multiplySmall(10);
    marginLow.multiplySmall(10);
    updateHigh();
  }

  bool roundDown = low;
  if (low == hi) {
    scaledValue.shiftLeft(1);
    int compare = BigInt::compare(scaledValue, scale);
    roundDown = compare < 0;
    if (compare == 0) roundDown = (outputDigit & 1u) == 0;
  }
  if (roundDown) {
    digits.push_back(char('0' + outputDigit));
  } else if (outputDigit == 9) {
    // Carry: drop trailing nines and increment the first other digit.
    for (;;) {
      if (digits.empty()) {
        digits.push_back('1');
        outExponent += 1;
        break;
      }
      if (digits.back() != '9') {
        digits.back() = char(digits.back() + 1);
        break;
      }
      digits.pop_back();
    }
  } else {
    digits.push_back(char('0' + outputDigit + 1));
  }
  return digits;
}

/// A finite, decomposed IEEE value: |value| = mantissa * 2^exponent.
struct Decomposed {
  bool negative = false;
  bool isNan = false;
  bool isInf = false;
  uint64_t mantissa = 0;
  int exponent = 0;
  int mantissaBit = 0;
  bool hasUnequalMargins = false;
};

int log2u64(uint64_t v) {
  int r = 0;
  while (v >>= 1) ++r;
  return r;
}

Decomposed decompose(double value, bool isFloat32) {
  Decomposed d;
  if (isFloat32) {
    float f = float(value);
    uint32_t bits;
    std::memcpy(&bits, &f, sizeof bits);
    uint32_t mant = bits & 0x7FFFFFu, exp = (bits >> 23) & 0xFFu;
    d.negative = (bits >> 31) != 0;
    if (exp == 0xFFu) {
      d.isNan = mant != 0;
      d.isInf = mant == 0;
      return d;
    }
    if (exp != 0) {
      d.mantissa = (uint64_t(1) << 23) | mant;
      d.exponent = int(exp) - 127 - 23;
      d.mantissaBit = 23;
      d.hasUnequalMargins = exp != 1 && mant == 0;
    } else {
      d.mantissa = mant;
      d.exponent = 1 - 127 - 23;
      d.mantissaBit = log2u64(mant);
      d.hasUnequalMargins = false;
    }
    return d;
  }
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  uint64_t mant = bits & ((uint64_t(1) << 52) - 1);
  uint32_t exp = uint32_t(bits >> 52) & 0x7FFu;
  d.negative = (bits >> 63) != 0;
  if (exp == 0x7FFu) {
    d.isNan = mant != 0;
    d.isInf = mant == 0;
    return d;
  }
  if (exp != 0) {
    d.mantissa = (uint64_t(1) << 52) | mant;
    d.exponent = int(exp) - 1023 - 52;
    d.mantissaBit = 52;
    d.hasUnequalMargins = exp != 1 && mant == 0;
  } else {
    d.mantissa = mant;
    d.exponent = 1 - 1023 - 52;
    d.mantissaBit = log2u64(mant);
    d.hasUnequalMargins = false;
  }
  return d;
}

/// numpy's FormatPositional (fractional cutoff mode).
std::string formatPositional(const Decomposed& v, const FloatFormatOptions& o) {
  std::string out;
  int hasSign = 0;
  if (v.negative) {
    out.push_back('-');
    hasSign = 1;
  } else if (o.sign) {
    out.push_back('+');
    hasSign = 1;
  }
  int printExponent = 0;
  const int maxPrintLen = kBufferSize - 1;
  std::string digits = dragon4(v.mantissa, v.exponent, v.mantissaBit, v.hasUnequalMargins,
                               /*totalLength=*/false, o.precision, o.minDigits,
                               maxPrintLen - hasSign, printExponent);
  int numDigits = int(digits.size());
  int numWholeDigits = 0, numFractionDigits = 0;
  if (printExponent >= 0) {
    numWholeDigits = printExponent + 1;
    if (numDigits <= numWholeDigits) {
      out += digits;
      out.append(size_t(numWholeDigits - numDigits), '0');
    } else {
      numFractionDigits = numDigits - numWholeDigits;
      out.append(digits, 0, size_t(numWholeDigits));
      out.push_back('.');
      out.append(digits, size_t(numWholeDigits), std::string::npos);
    }
  } else {
    int numFractionZeros = -(printExponent + 1);
    out += "0.";
    out.append(size_t(numFractionZeros), '0');
    out += digits;
    numFractionDigits = numDigits + numFractionZeros;
    numWholeDigits = 1;
  }

  if (o.trim != FloatTrim::DptZeros && numFractionDigits == 0) out.push_back('.');

  int addDigits = o.minDigits;
  int desiredFractionalDigits = addDigits < 0 ? 0 : addDigits;
  if (o.trim == FloatTrim::LeaveOneZero) {
    if (numFractionDigits == 0) {
      out.push_back('0');
      numFractionDigits++;
    }
  } else if (o.trim == FloatTrim::Keep && desiredFractionalDigits > numFractionDigits) {
    out.append(size_t(desiredFractionalDigits - numFractionDigits), '0');
    numFractionDigits = desiredFractionalDigits;
  }

  if (o.trim != FloatTrim::Keep && numFractionDigits > 0) {
    while (out.back() == '0') {
      out.pop_back();
      numFractionDigits--;
    }
    if (out.back() == '.') {
      if (o.trim == FloatTrim::LeaveOneZero) {
        out.push_back('0');
        numFractionDigits++;
      } else if (o.trim == FloatTrim::DptZeros) {
        out.pop_back();
      }
    }
  }

  if (o.padRight >= numFractionDigits) {
    int count = o.padRight - numFractionDigits;
    if (o.trim == FloatTrim::DptZeros && numFractionDigits == 0) out.push_back(' ');
    out.append(size_t(count), ' ');
  }
  if (o.padLeft > numWholeDigits + hasSign) {
    out.insert(0, size_t(o.padLeft - (numWholeDigits + hasSign)), ' ');
  }
  return out;
}

/// numpy's FormatScientific.
std::string formatScientific(const Decomposed& v, const FloatFormatOptions& o) {
  std::string out;
  int bufferSize = kBufferSize;
  const bool hasSign = v.negative || o.sign;
  int leftChars = 1 + (hasSign ? 1 : 0);
  if (o.padLeft > leftChars) {
    out.append(size_t(o.padLeft - leftChars), ' ');
    bufferSize -= o.padLeft - leftChars;
  }
  if (v.negative) {
    out.push_back('-');
    --bufferSize;
  } else if (o.sign) {
    out.push_back('+');
    --bufferSize;
  }
  int printExponent = 0;
  std::string digits = dragon4(v.mantissa, v.exponent, v.mantissaBit, v.hasUnequalMargins,
                               /*totalLength=*/true, o.precision < 0 ? -1 : o.precision + 1,
                               o.minDigits < 0 ? -1 : o.minDigits + 1, bufferSize, printExponent);
  out.push_back(digits[0]);
  int numFractionDigits = int(digits.size()) - 1;
  if (numFractionDigits > 0) {
    out.push_back('.');
    out.append(digits, 1, std::string::npos);
  }
  if (o.trim != FloatTrim::DptZeros && numFractionDigits == 0) out.push_back('.');

  int addDigits = o.minDigits < 0 ? 0 : o.minDigits;
  if (o.trim == FloatTrim::LeaveOneZero) {
    if (numFractionDigits == 0) {
      out.push_back('0');
      ++numFractionDigits;
    }
  } else if (o.trim == FloatTrim::Keep) {
    if (addDigits > numFractionDigits) {
      out.append(size_t(addDigits - numFractionDigits), '0');
      numFractionDigits = addDigits;
    }
  }

  if (o.trim != FloatTrim::Keep && numFractionDigits > 0) {
    while (out.back() == '0') {
      out.pop_back();
      --numFractionDigits;
    }
    if (o.trim == FloatTrim::LeaveOneZero && out.back() == '.') {
      out.push_back('0');
      ++numFractionDigits;
    }
  }

  int expDigits = o.expDigits;
  if (expDigits > 5) expDigits = 5;
  if (expDigits < 0) expDigits = 2;
  out.push_back('e');
  if (printExponent >= 0) {
    out.push_back('+');
  } else {
    out.push_back('-');
    printExponent = -printExponent;
  }
  // At least expDigits digits (none at all for a zero exponent with expDigits 0).
  int expDigitValues[5];
  for (int& d : expDigitValues) {
    d = printExponent % 10;
    printExponent /= 10;
  }
  int expSize = 5;
  while (expSize > expDigits && expDigitValues[expSize - 1] == 0) --expSize;
  for (int i = expSize; i > 0; --i) out.push_back(char('0' + expDigitValues[i - 1]));
  return out;
}

std::string formatNonFinite(const Decomposed& v, bool sign) {
  if (v.isNan) return "nan";
  if (v.negative) return "-inf";
  return sign ? "+inf" : "inf";
}

} // namespace

std::string formatFloat(double value, bool isFloat32, const FloatFormatOptions& options) {
  Decomposed v = decompose(value, isFloat32);
  if (v.isNan || v.isInf) return formatNonFinite(v, options.sign);
  return options.scientific ? formatScientific(v, options) : formatPositional(v, options);
}

std::string formatNumpyFloatScalar(double value, bool isFloat32) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  // numpy compares in long double: absval < 1.e16L && absval >= 1.e-4L.
  long double absval = std::fabs(isFloat32 ? (long double)float(value) : (long double)value);
  FloatFormatOptions o;
  if (absval == 0 || (absval < 1.e16L && absval >= 1.e-4L)) {
    o.trim = FloatTrim::LeaveOneZero;
  } else {
    o.scientific = true;
    o.trim = FloatTrim::DptZeros;
  }
  return formatFloat(value, isFloat32, o);
}

std::string formatPythonFloat(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  Decomposed v = decompose(value, false);
  int exp10 = 0;
  std::string digits = dragon4(v.mantissa, v.exponent, v.mantissaBit, v.hasUnequalMargins,
                               /*totalLength=*/true, -1, -1, kBufferSize, exp10);
  std::string out = v.negative ? "-" : "";
  // Python's float_repr_style 'short': decpt is the position of the point
  // relative to the digits (value = 0.DIGITS * 10^decpt).
  int decpt = exp10 + 1;
  int n = int(digits.size());
  if (decpt <= -4 || decpt > 16) {
    out.push_back(digits[0]);
    if (n > 1) {
      out.push_back('.');
      out.append(digits, 1, std::string::npos);
    }
    int e = decpt - 1;
    out += e < 0 ? "e-" : "e+";
    std::string es = std::to_string(e < 0 ? -e : e);
    if (es.size() < 2) es = "0" + es;
    out += es;
  } else if (decpt <= 0) {
    out += "0.";
    out.append(size_t(-decpt), '0');
    out += digits;
  } else if (decpt >= n) {
    out += digits;
    out.append(size_t(decpt - n), '0');
    out += ".0";
  } else {
    out.append(digits, 0, size_t(decpt));
    out.push_back('.');
    out.append(digits, size_t(decpt), std::string::npos);
  }
  return out;
}

} // namespace ravel
