// FloatFormat: NumPy-identical float -> text conversion.
//
// A port of NumPy 1.24's Dragon4 (numpy/core/src/multiarray/dragon4.c, itself
// Ryan Juckett's Dragon4) in its "unique" digit mode: the digits NumPy prints
// for np.format_float_positional / np.format_float_scientific, including
// NumPy's cutoff (precision), min_digits, trim and padding rules. Array
// printing (Print.cpp) and scalar printing are built on it, so every digit
// matches NumPy, quirks included (for example min_digits=0 printing the exact
// integer digits of a large float32).
//
// Also Python's repr(float) (shortest round-trip, "1e-05", "1e+16", "1.0").
#pragma once

#include <string>

namespace ravel {

/// NumPy's trim modes ('k', '.', '0', '-').
enum class FloatTrim {
  Keep,         // 'k': keep trailing zeros and the decimal point
  Zeros,        // '.': trim trailing zeros, keep the decimal point ("1.")
  LeaveOneZero, // '0': trim trailing zeros but keep one after the point ("1.0")
  DptZeros,     // '-': trim trailing zeros and the decimal point ("1")
};

/// Options of np.format_float_positional / np.format_float_scientific with
/// unique=True (and fractional=True for positional). -1 means None.
struct FloatFormatOptions {
  bool scientific = false;
  int precision = -1; // maximum digits after the decimal point
  int minDigits = -1; // minimum digits after the decimal point
  FloatTrim trim = FloatTrim::Keep;
  bool sign = false;  // print '+' for positive values
  int padLeft = -1;   // pad with spaces until this many chars left of the point
  int padRight = -1;  // positional only: pad until this many chars right of the point
  int expDigits = -1; // scientific only: at least this many exponent digits (default 2)
};

/// Formats a float64 value (isFloat32=false) or a float32 value stored in a
/// double (isFloat32=true: the value must be exactly representable as float;
/// digits are the float32 shortest digits). nan/inf print as "nan", "inf",
/// "-inf" (unpadded), like NumPy's Dragon4 functions.
std::string formatFloat(double value, bool isFloat32, const FloatFormatOptions& options);

/// np.format_float_positional(x, unique=True, fractional=True, trim='k') etc.
inline std::string formatFloatPositional(double value, bool isFloat32, int precision = -1,
                                         FloatTrim trim = FloatTrim::Keep, int minDigits = -1,
                                         int padLeft = -1, int padRight = -1) {
  FloatFormatOptions o;
  o.precision = precision;
  o.trim = trim;
  o.minDigits = minDigits;
  o.padLeft = padLeft;
  o.padRight = padRight;
  return formatFloat(value, isFloat32, o);
}

/// np.format_float_scientific(x, unique=True, trim='k') etc.
inline std::string formatFloatScientific(double value, bool isFloat32, int precision = -1,
                                         FloatTrim trim = FloatTrim::Keep, int minDigits = -1,
                                         int padLeft = -1, int expDigits = -1) {
  FloatFormatOptions o;
  o.scientific = true;
  o.precision = precision;
  o.trim = trim;
  o.minDigits = minDigits;
  o.padLeft = padLeft;
  o.expDigits = expDigits;
  return formatFloat(value, isFloat32, o);
}

/// str()/repr() of a NumPy 1.24 float scalar (np.float64 / np.float32):
/// positional with one trailing zero when 1e-4 <= |x| < 1e16 or x == 0
/// ("0.1", "3.0", "-0.0"), else scientific without trailing zeros ("1e-05",
/// "1.5e+16"); "nan", "inf", "-inf".
std::string formatNumpyFloatScalar(double value, bool isFloat32);

/// Python's repr(float): shortest round-trip digits; positional when the
/// decimal exponent is in [-4, 16), else scientific ("0.1", "1e-05", "1e+16",
/// "1.0", "-0.0", "inf", "nan").
std::string formatPythonFloat(double value);

} // namespace ravel
