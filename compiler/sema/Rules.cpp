// NumPy 1.24 (with NEP 50 weak scalars) typing rules per op family.
#include "compiler/sema/Rules.h"

#include <string>

namespace ravel::sema {
using graph::Op;

namespace {

[[noreturn]] void typeError(const std::string& msg) {
  throw RuntimeError(ErrorKind::Type, msg);
}

std::string notSupported(Op op) {
  return std::string("ufunc '") + graph::numpyName(op) +
         "' not supported for the input types, and the inputs could not be safely coerced to "
         "any supported types according to the casting rule ''safe''";
}

/// The rule sqrt follows, shared by every float function: ints compute in
/// float64; bool would be float16 in NumPy, which ravel does not have.
DType floatFunctionDType(Op op, DType t) {
  if (t == DType::Bool)
    typeError(std::string(graph::numpyName(op)) +
              " of a bool array gives float16 in NumPy, which ravel does not have; use "
              ".astype(float) first");
  return isInteger(t) ? DType::Float64 : t;
}

/// Ops NumPy computes for bool operands in int8, which ravel does not have.
[[noreturn]] void boolGivesInt8(Op op, const char* what) {
  typeError(std::string(graph::numpyName(op)) + " of " + what +
            " gives int8 in NumPy, which ravel does not have; convert with .astype(int) first");
}

std::string dtypeClass(const Operand& o) {
  const DType t = o.weak ? defaultDType(o.kind) : o.dtype;
  return std::string("<class 'numpy.dtype[") + std::string(dtypeName(t)) +
         (t == DType::Bool ? "_" : "") + "]'>";
}

/// NumPy's message for operands of dtypes the ufunc has no loop for.
std::string noLoopFor(Op op, const Operand& a, const Operand& b) {
  return std::string("ufunc '") + graph::numpyName(op) +
         "' did not contain a loop with signature matching types (" + dtypeClass(a) + ", " +
         dtypeClass(b) + ") -> None";
}

bool isComparison(Op op) {
  return op == Op::Eq || op == Op::Ne || op == Op::Lt || op == Op::Le || op == Op::Gt ||
         op == Op::Ge;
}

} // namespace

DType promoteOperands(const Operand& a, const Operand& b) {
  if (a.weak && b.weak) return promote(defaultDType(a.kind), defaultDType(b.kind));
  if (a.weak) return promoteWeak(b.dtype, a.kind);
  if (b.weak) return promoteWeak(a.dtype, b.kind);
  return promote(a.dtype, b.dtype);
}

OpTyping typeBinary(Op op, const Operand& a, const Operand& b) {
  DType t = promoteOperands(a, b);
  if (isComparison(op)) return {t, DType::Bool};
  switch (op) {
    case Op::Add:
    case Op::Mul:
    case Op::Minimum:
    case Op::Maximum:
      return {t, t};
    case Op::Sub:
      if (t == DType::Bool)
        typeError("numpy boolean subtract, the `-` operator, is not supported, use the "
                  "bitwise_xor, the `^` operator, or the logical_xor function instead.");
      return {t, t};
    case Op::Div:
      if (!isFloat(t)) return {DType::Float64, DType::Float64};
      return {t, t};
    case Op::FloorDiv:
    case Op::Mod:
    case Op::Pow:
      if (t == DType::Bool)
        typeError(std::string(graph::numpyName(op)) +
                  " of two bool operands gives int8 in NumPy, which ravel does not have; "
                  "convert one operand with .astype(int) first");
      return {t, t};
    case Op::BitAnd:
    case Op::BitOr:
    case Op::BitXor:
      if (isFloat(t)) typeError(notSupported(op));
      return {t, t};
    case Op::LShift:
    case Op::RShift:
      if (isFloat(t)) typeError(notSupported(op));
      if (t == DType::Bool) boolGivesInt8(op, "two bool operands");
      return {t, t};
    case Op::Arctan2:
    case Op::Hypot:
    case Op::Copysign:
    case Op::Heaviside: {
      DType f = floatFunctionDType(op, t);
      return {f, f};
    }
    case Op::Fmod:
    case Op::DivmodFloor:
    case Op::DivmodRem:
      if (t == DType::Bool) boolGivesInt8(op, "two bool operands");
      return {t, t};
    case Op::FloatPower: // NumPy's only real loop is 'dd->d'
      return {DType::Float64, DType::Float64};
    case Op::Gcd:
    case Op::Lcm:
      if (!isInteger(t)) typeError(noLoopFor(op, a, b));
      return {t, t};
    case Op::Nextafter:
    case Op::LogAddExp:
    case Op::LogAddExp2: {
      DType f = floatFunctionDType(op, t);
      return {f, f};
    }
    case Op::Ldexp: {
      // ldexp(x1, x2): x1's float dtype (ints compute in float64), x2 any
      // integer, computed as int64; a float x2 has no loop.
      const DType x = a.weak ? defaultDType(a.kind) : a.dtype;
      const DType n = b.weak ? defaultDType(b.kind) : b.dtype;
      if (isFloat(n)) typeError(notSupported(op));
      if (a.weak && a.kind != ScalarKind::Float && !b.weak && isInteger(b.dtype)) // ei->e
        typeError("ldexp of a Python int and an integer array gives float16 in NumPy, which "
                  "ravel does not have; write the first operand as a float (2.0)");
      DType f = floatFunctionDType(op, x);
      return {f, f, DType::Int64};
    }
    case Op::Fmax:
    case Op::Fmin:
      return {t, t};
    case Op::LogicalAnd:
    case Op::LogicalOr:
    case Op::LogicalXor:
      return {DType::Bool, DType::Bool}; // operands tested for non-zero
    default:
      break;
  }
  RAVEL_CHECK(false, std::string("typeBinary on ") + graph::opName(op));
}

OpTyping typeUnary(Op op, const Operand& a) {
  DType t = a.weak ? defaultDType(a.kind) : a.dtype;
  switch (op) {
    case Op::Neg:
      if (t == DType::Bool)
        typeError("The numpy boolean negative, the `-` operator, is not supported, use the `~` "
                  "operator or the logical_not function instead.");
      return {t, t};
    case Op::Invert:
      if (isFloat(t))
        typeError("ufunc 'invert' not supported for the input types, and the inputs could not be "
                  "safely coerced to any supported types according to the casting rule ''safe''");
      return {t, t};
    case Op::Abs:
      return {t, t};
    case Op::Sqrt:
    case Op::Exp:
    case Op::Log:
    case Op::Sin:
    case Op::Cos:
    case Op::Tanh:
    case Op::Floor:
    case Op::Ceil:
    case Op::Trunc:
    case Op::Rint:
    case Op::Log10:
    case Op::Log2:
    case Op::Log1p:
    case Op::Expm1:
    case Op::Exp2:
    case Op::Arcsin:
    case Op::Arccos:
    case Op::Arctan:
    case Op::Sinh:
    case Op::Cosh:
    case Op::Tan:
    case Op::Cbrt:
    case Op::Arcsinh:
    case Op::Arccosh:
    case Op::Arctanh:
    case Op::Fabs:
    case Op::Spacing:
    case Op::ModfFrac:
    case Op::FrexpMantissa:
    case Op::Deg2Rad:
    case Op::Rad2Deg: {
      DType f = floatFunctionDType(op, t);
      return {f, f};
    }
    case Op::FrexpExponent:
      return {floatFunctionDType(op, t), DType::Int32};
    case Op::Sign:
    case Op::Positive:
      if (t == DType::Bool)
        typeError(std::string("ufunc '") + graph::numpyName(op) +
                  "' did not contain a loop with signature matching types "
                  "<class 'numpy.dtype[bool_]'> -> None");
      return {t, t};
    case Op::Square:
    case Op::Reciprocal:
      if (t == DType::Bool) boolGivesInt8(op, "a bool array");
      return {t, t};
    case Op::IsNan:
    case Op::IsInf:
    case Op::IsFinite:
    case Op::Signbit:
      // Ints and bools are always finite: tested as their float64 values.
      return {isFloat(t) ? t : DType::Float64, DType::Bool};
    case Op::LogicalNot:
      return {DType::Bool, DType::Bool};
    default:
      break;
  }
  RAVEL_CHECK(false, std::string("typeUnary on ") + graph::opName(op));
}

DType reduceDType(Op op, DType in) {
  if ((op == Op::Sum || op == Op::Prod) && (in == DType::Bool || in == DType::Int32))
    return DType::Int64;
  return in;
}

DType meanDType(DType in) {
  return isFloat(in) ? in : DType::Float64;
}

void checkWeakIntFits(int64_t value, DType dtype) {
  if (dtype == DType::Int32 && (value < INT32_MIN || value > INT32_MAX)) {
    throw RuntimeError(ErrorKind::Value,
                       "Python integer " + std::to_string(value) + " out of bounds for int32");
  }
}

} // namespace ravel::sema
