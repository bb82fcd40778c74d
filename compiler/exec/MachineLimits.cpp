// numpy.iinfo and numpy.finfo: the machine limits of ravel's integer and
// float dtypes, with NumPy 1.24's attributes, scalar types, str/repr and
// errors (numpy/core/getlimits.py).
//
// The argument is resolved as NumPy does: `dtype(arg)`, and when that is a
// TypeError `dtype(type(arg))`. So a dtype, a dtype name, `int`/`float`, a
// Python number or a NumPy scalar name a dtype; an array does not (its type
// is ndarray, whose dtype is object: `Invalid integer data type 'O'.`), nor
// does an unknown string (type str: kind 'U').
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"

#include "runtime/Print.h"

#include <cfloat>
#include <cmath>
#include <cstdio>

namespace ravel::exec {

namespace {

/// A NumPy dtype as iinfo/finfo see it: one of ravel's, or another NumPy
/// kind that can only be refused (object, str, complex).
struct NumpyDType {
  std::optional<DType> dtype;
  char kind = 'O';
  const char* scalarType = "numpy.object_";
};

NumpyDType ofDType(DType t) {
  switch (t) {
    case DType::Bool:
      return {t, 'b', "numpy.bool_"};
    case DType::Int32:
      return {t, 'i', "numpy.int32"};
    case DType::Int64:
      return {t, 'i', "numpy.int64"};
    case DType::Float32:
      return {t, 'f', "numpy.float32"};
    case DType::Float64:
      return {t, 'f', "numpy.float64"};
  }
  return {};
}

/// A NumPy dtype name of a numeric type that ravel's dtype names do not
/// include (a type ravel lacks, or a one-letter code such as 'i' or 'd'),
/// which NumPy's iinfo/finfo would accept or refuse by its own kind.
bool isOtherNumpyDType(const std::string& name) {
  static const char* const names[] = {
      "int8",    "int16",       "uint8", "uint16",    "uint32",     "uint64",     "uint",
      "ubyte",   "ushort",      "uintc", "byte",      "short",      "longlong",   "ulonglong",
      "half",    "float16",     "e",     "f2",        "float128",   "longdouble", "g",
      "f16",     "i1",          "i2",    "u1",        "u2",         "u4",         "u8",
      "b",       "h",           "B",     "H",         "I",          "L",          "Q",
      "c8",      "c16",         "c32",   "complex64", "complex128", "complex",    "csingle",
      "cdouble", "clongdouble", "F",     "D",         "G",          "i",          "l",
      "q",       "p",           "f",     "d",         "long"};
  for (const char* n : names)
    if (name == n) return true;
  return false;
}

/// `dtype(v)`, else `dtype(type(v))`.
NumpyDType dtypeOfArgument(const Value& v, Span span) {
  switch (v.kind) {
    case Value::Kind::None:
    case Value::Kind::Float:
      return ofDType(DType::Float64);
    case Value::Kind::Int:
      return ofDType(DType::Int64);
    case Value::Kind::Bool:
      return ofDType(DType::Bool);
    case Value::Kind::DTypeObj:
      return ofDType(v.dtype);
    case Value::Kind::Imaginary:
      return {std::nullopt, 'c', "numpy.complex128"};
    case Value::Kind::Str:
      if (std::optional<DType> t = parseDType(v.name)) return ofDType(*t);
      if (isOtherNumpyDType(v.name))
        raise(ErrorKind::Type, span,
              "data type '" + v.name +
                  "' is not supported in ravel; name one of bool, int32, int64, float32, float64");
      return {std::nullopt, 'U', "numpy.str_"};
    case Value::Kind::Builtin:
      if (v.name == "float") return ofDType(DType::Float64);
      if (v.name == "int") return ofDType(DType::Int64);
      if (v.name == "bool") return ofDType(DType::Bool);
      break;
    case Value::Kind::Array:
      // A NumPy scalar's type is its dtype's; an array's is ndarray (object).
      if (v.array->isScalar) return ofDType(v.array->dtype());
      break;
    default:
      break;
  }
  return {};
}

/// The float parameters getlimits.py derives for float32 and float64.
struct FloatLimits {
  int bits, precision, maxexp, minexp, nmant, nexp, machep, negep, iexp;
  double eps, epsneg, max, tiny, smallestSubnormal, resolution;
  const char* format; // how str() prints a value: '%15.7e' or '%24.16e'
};

FloatLimits floatLimits(DType t) {
  if (t == DType::Float32)
    return {32, 6,       128,     -126,    23,      8,        -23,           -24,
            8,  0x1p-23, 0x1p-24, FLT_MAX, FLT_MIN, 0x1p-149, double(1e-6f), "%.7e"};
  return {64, 15,      1024,    -1022,   52,      11,        -52,   -53,
          11, 0x1p-52, 0x1p-53, DBL_MAX, DBL_MIN, 0x1p-1074, 1e-15, "%.16e"};
}

std::string floatText(double x, const FloatLimits& l) {
  char buf[64];
  std::snprintf(buf, sizeof buf, l.format, x);
  return buf;
}

int64_t intMin(DType t) {
  return t == DType::Int32 ? INT32_MIN : INT64_MIN;
}
int64_t intMax(DType t) {
  return t == DType::Int32 ? INT32_MAX : INT64_MAX;
}

Value infoOf(DType t) {
  Value v;
  v.kind = Value::Kind::MachInfo;
  v.dtype = t;
  return v;
}

/// Python's `%Ns` of an int: right-aligned in N columns.
std::string padded(int64_t x, int width) {
  std::string s = std::to_string(x);
  return std::string(size_t(std::max<int>(0, width - int(s.size()))), ' ') + s;
}

} // namespace

namespace {

/// The one argument of iinfo/finfo, with Python's message when it is missing.
Value infoArgument(BuiltinCall& call, const char* function, const char* param) {
  if (call.args.empty() && call.kwargs.empty())
    raise(ErrorKind::Type, call.span,
          std::string(function) + "() missing 1 required positional argument: '" + param + "'");
  return bindArgs(function, call.args, call.kwargs, {{param, {}}}, call.span)[0];
}

} // namespace

Value builtinIinfo(BuiltinCall& call) {
  const Value a[] = {infoArgument(call, "iinfo.__init__", "int_type")};
  const NumpyDType t = dtypeOfArgument(a[0], call.span);
  if (!t.dtype || !isInteger(*t.dtype))
    raise(ErrorKind::Value, call.span, std::string("Invalid integer data type '") + t.kind + "'.");
  return infoOf(*t.dtype);
}

Value builtinFinfo(BuiltinCall& call) {
  const Value a[] = {infoArgument(call, "finfo.__new__", "dtype")};
  const NumpyDType t = dtypeOfArgument(a[0], call.span);
  if (!t.dtype || !isFloat(*t.dtype))
    raise(ErrorKind::Value, call.span,
          std::string("data type <class '") + t.scalarType + "'> not inexact");
  return infoOf(*t.dtype);
}

std::optional<Value> machInfoAttribute(Interpreter& in, const Value& info,
                                       const std::string& attr) {
  const DType t = info.dtype;
  if (attr == "dtype") return Value::ofDType(t);
  if (isInteger(t)) {
    if (attr == "min") return Value::ofInt(intMin(t));
    if (attr == "max") return Value::ofInt(intMax(t));
    if (attr == "bits") return Value::ofInt(itemSize(t) * 8);
    if (attr == "kind") return Value::ofStr("i");
    if (attr == "key") return Value::ofStr("i" + std::to_string(itemSize(t) * 8));
    return std::nullopt;
  }
  const FloatLimits l = floatLimits(t);
  auto scalar = [&](double x) {
    return in.materializedValue(Array::scalar(Scalar::ofFloat(x, t)), true);
  };
  if (attr == "eps") return scalar(l.eps);
  if (attr == "epsneg") return scalar(l.epsneg);
  if (attr == "max") return scalar(l.max);
  if (attr == "min") return scalar(-l.max);
  if (attr == "tiny" || attr == "smallest_normal") return scalar(l.tiny);
  if (attr == "smallest_subnormal") return scalar(l.smallestSubnormal);
  if (attr == "resolution") return scalar(l.resolution);
  const std::pair<const char*, int> ints[] = {
      {"bits", l.bits},     {"precision", l.precision}, {"maxexp", l.maxexp},
      {"minexp", l.minexp}, {"nmant", l.nmant},         {"nexp", l.nexp},
      {"machep", l.machep}, {"negep", l.negep},         {"iexp", l.iexp}};
  for (const auto& [name, value] : ints)
    if (attr == name) return Value::ofInt(value);
  return std::nullopt;
}

std::string machInfoStr(const Value& info) {
  const DType t = info.dtype;
  const std::string rule = "---------------------------------------------------------------\n";
  const std::string head = "Machine parameters for " + std::string(dtypeName(t)) + "\n" + rule;
  if (isInteger(t))
    return head + "min = " + std::to_string(intMin(t)) + "\nmax = " + std::to_string(intMax(t)) +
           "\n" + rule;
  const FloatLimits l = floatLimits(t);
  return head + "precision = " + padded(l.precision, 3) +
         "   resolution = " + floatText(l.resolution, l) + "\n" +
         "machep = " + padded(l.machep, 6) + "   eps =        " + floatText(l.eps, l) + "\n" +
         "negep =  " + padded(l.negep, 6) + "   epsneg =     " + floatText(l.epsneg, l) + "\n" +
         "minexp = " + padded(l.minexp, 6) + "   tiny =       " + floatText(l.tiny, l) + "\n" +
         "maxexp = " + padded(l.maxexp, 6) + "   max =        " + floatText(l.max, l) + "\n" +
         "nexp =   " + padded(l.nexp, 6) + "   min =        -max\n" +
         "smallest_normal = " + floatText(l.tiny, l) +
         "   smallest_subnormal = " + floatText(l.smallestSubnormal, l) + "\n" + rule;
}

std::string machInfoRepr(const Value& info) {
  const DType t = info.dtype;
  const std::string name(dtypeName(t));
  if (isInteger(t))
    return "iinfo(min=" + std::to_string(intMin(t)) + ", max=" + std::to_string(intMax(t)) +
           ", dtype=" + name + ")";
  const FloatLimits l = floatLimits(t);
  return "finfo(resolution=" + formatScalarStr(Scalar::ofFloat(l.resolution, t)) + ", min=-" +
         floatText(l.max, l) + ", max=" + floatText(l.max, l) + ", dtype=" + name + ")";
}

} // namespace ravel::exec
