// str() and repr() of values with Python's and NumPy's conventions, and
// Python truthiness.
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"

#include "runtime/Print.h"

#include <cmath>

namespace ravel::exec {

const char* const kFlagNames[kFlagCount] = {"C_CONTIGUOUS", "F_CONTIGUOUS", "OWNDATA",
                                            "WRITEABLE",    "ALIGNED",      "WRITEBACKIFCOPY"};

const char* typeName(const Value& v) {
  switch (v.kind) {
    case Value::Kind::None:
      return "NoneType";
    case Value::Kind::Bool:
      return "bool";
    case Value::Kind::Int:
      return "int";
    case Value::Kind::Float:
      return "float";
    case Value::Kind::Str:
      return "str";
    case Value::Kind::Tuple:
      return "tuple";
    case Value::Kind::List:
      return "list";
    case Value::Kind::Array:
      if (!v.array->isScalar) return "numpy.ndarray";
      // A NumPy scalar's type is its dtype's: 'numpy.float64' object ...
      switch (v.array->dtype()) {
        case DType::Bool:
          return "numpy.bool_";
        case DType::Int32:
          return "numpy.int32";
        case DType::Int64:
          return "numpy.int64";
        case DType::Float32:
          return "numpy.float32";
        case DType::Float64:
          return "numpy.float64";
      }
      return "numpy scalar";
    case Value::Kind::Function:
      return "function";
    case Value::Kind::Builtin:
      return "builtin_function_or_method";
    case Value::Kind::Module:
      return "module";
    case Value::Kind::DTypeObj:
      return "numpy.dtype";
    case Value::Kind::Slice:
      return "slice";
    case Value::Kind::Ellipsis:
      return "ellipsis";
    case Value::Kind::Method:
      return "method";
    case Value::Kind::Flags:
      return "flagsobj";
    case Value::Kind::Dict:
      return v.name == "errstate" ? "errstate" : "dict";
    case Value::Kind::Range:
      return "range";
    case Value::Kind::Generator:
      return "numpy.random._generator.Generator";
    case Value::Kind::RandomState:
      return "numpy.random.mtrand.RandomState";
    case Value::Kind::Grid:
      return v.b ? "OGridClass" : "MGridClass";
    case Value::Kind::MachInfo:
      return isInteger(v.dtype) ? "iinfo" : "finfo";
    case Value::Kind::Imaginary:
      return "complex";
  }
  return "object";
}

std::string intText(const Value& v) {
  if (!v.big) return std::to_string(v.i);
  unsigned __int128 mag = v.wide < 0 ? -static_cast<unsigned __int128>(v.wide) : v.wide;
  std::string digits;
  do {
    digits.insert(digits.begin(), char('0' + int(mag % 10)));
    mag /= 10;
  } while (mag);
  return (v.wide < 0 ? "-" : "") + digits;
}

Value asPythonInt(const Value& v) {
  if (v.isArray() && v.array->isScalar && v.array->materialized() &&
      (isInteger(v.array->dtype()) || v.array->dtype() == DType::Bool)) {
    Scalar s = v.array->data.item();
    return s.dtype == DType::Bool ? Value::ofBool(s.b) : Value::ofInt(s.i);
  }
  return v;
}

void requireInt64(const Value& v, Span span) {
  if (v.kind == Value::Kind::Int && v.big)
    raise(ErrorKind::Value, span, "Python integer " + intText(v) + " out of bounds for int64");
}

namespace {

std::string quote(const std::string& s) {
  // Python prefers single quotes unless the text contains one and no double.
  bool single = s.find('\'') != std::string::npos && s.find('"') == std::string::npos;
  char q = single ? '"' : '\'';
  std::string out(1, q);
  for (char c : s) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else if (c == q)
      out += std::string("\\") + c;
    else
      out += c;
  }
  return out + q;
}

} // namespace

std::string Interpreter::str(const Value& v) {
  switch (v.kind) {
    case Value::Kind::Str:
      return v.name;
    case Value::Kind::Array: {
      Array a = readValues(v.array, v.array->span);
      if (v.array->isScalar) return formatScalarStr(a.item());
      return formatArrayStr(a, print_);
    }
    case Value::Kind::DTypeObj:
      return std::string(dtypeName(v.dtype));
    case Value::Kind::Generator:
      return "Generator(PCG64)";
    case Value::Kind::RandomState:
      return "RandomState(MT19937)";
    case Value::Kind::MachInfo:
      return machInfoStr(v);
    default:
      return repr(v);
  }
}

std::string Interpreter::repr(const Value& v) {
  switch (v.kind) {
    case Value::Kind::None:
      return "None";
    case Value::Kind::Bool:
      return v.b ? "True" : "False";
    case Value::Kind::Int:
      return intText(v);
    case Value::Kind::Float:
      return formatPythonFloat(v.f);
    case Value::Kind::Str:
      return quote(v.name);
    case Value::Kind::Tuple:
    case Value::Kind::List: {
      bool tuple = v.kind == Value::Kind::Tuple;
      std::string s = tuple ? "(" : "[";
      for (size_t i = 0; i < v.items.size(); ++i) s += (i ? ", " : "") + repr(v.items[i]);
      if (tuple && v.items.size() == 1) s += ",";
      return s + (tuple ? ")" : "]");
    }
    case Value::Kind::Array: {
      Array a = readValues(v.array, v.array->span);
      if (v.array->isScalar) return formatScalarRepr(a.item());
      return formatArrayRepr(a, print_, v.array->isMemmap ? "memmap" : "array");
    }
    case Value::Kind::Function:
      return "<function " + v.name + ">";
    case Value::Kind::Builtin:
      return "<built-in function " + v.name + ">";
    case Value::Kind::Module:
      return "<module '" +
             std::string(v.name == "numpy"           ? "numpy"
                         : v.name == "stride_tricks" ? "numpy.lib.stride_tricks"
                                                     : "numpy." + v.name) +
             "'>";
    case Value::Kind::DTypeObj:
      return "dtype('" + std::string(dtypeName(v.dtype)) + "')";
    case Value::Kind::Slice:
      return "slice(" + repr(v.items[0]) + ", " + repr(v.items[1]) + ", " + repr(v.items[2]) + ")";
    case Value::Kind::Ellipsis:
      return "Ellipsis";
    case Value::Kind::Method:
      return "<built-in method " + v.name + ">";
    case Value::Kind::Generator: {
      // NumPy's repr ends with the object's address; str has none.
      char at[32];
      std::snprintf(at, sizeof at, "%llX", (unsigned long long)(uintptr_t)v.generator.get());
      return std::string("Generator(PCG64) at 0x") + at;
    }
    case Value::Kind::RandomState: {
      char at[32];
      std::snprintf(at, sizeof at, "%llX", (unsigned long long)(uintptr_t)v.legacy.get());
      return std::string("RandomState(MT19937) at 0x") + at;
    }
    case Value::Kind::Grid:
      // NumPy's repr ends with the object's address, which ravel's has not.
      return std::string("<numpy.lib.index_tricks.") + typeName(v) + " object>";
    case Value::Kind::MachInfo:
      return machInfoRepr(v);
    case Value::Kind::Imaginary: {
      // Python's repr of complex(0, f) (a negated literal is complex(-0.0, f)).
      std::string im = formatPythonFloat(v.f);
      if (im.size() > 2 && im.compare(im.size() - 2, 2, ".0") == 0) im.resize(im.size() - 2);
      return std::signbit(v.f) ? "(-0" + im + "j)" : im + "j";
    }
    case Value::Kind::Range:
      return "range(" + repr(v.items[0]) + ", " + repr(v.items[1]) +
             (v.items[2].i == 1 ? "" : ", " + repr(v.items[2])) + ")";
    case Value::Kind::Dict: {
      if (v.name == "errstate") return "<numpy.errstate object>";
      std::string s = "{";
      for (size_t i = 0; i + 1 < v.items.size(); i += 2)
        s += (i ? ", " : "") + repr(v.items[i]) + ": " + repr(v.items[i + 1]);
      return s + "}";
    }
    case Value::Kind::Flags: {
      std::string s;
      for (size_t i = 0; i < v.items.size(); ++i)
        s += std::string("  ") + kFlagNames[i] + " : " + (v.items[i].b ? "True" : "False") + "\n";
      return s;
    }
  }
  return "?";
}

bool Interpreter::truthy(const Value& v, Span span) {
  switch (v.kind) {
    case Value::Kind::None:
      return false;
    case Value::Kind::Bool:
      return v.b;
    case Value::Kind::Int:
      return v.i != 0;
    case Value::Kind::Float:
      return v.f != 0.0;
    case Value::Kind::Str:
      return !v.name.empty();
    case Value::Kind::Tuple:
    case Value::Kind::List:
      return !v.items.empty();
    case Value::Kind::Array: {
      int64_t n = checkedSize(v.array->shape());
      if (n > 1)
        raise(ErrorKind::Value, span,
              "The truth value of an array with more than one element is ambiguous. Use a.any() "
              "or a.all()");
      if (n == 0) return false;
      if (dryRun_) return true;
      Scalar s = readValues(v.array, span).item();
      return s.dtype == DType::Bool ? s.b : isInteger(s.dtype) ? s.i != 0 : s.f != 0.0;
    }
    default:
      return true;
  }
}

} // namespace ravel::exec
