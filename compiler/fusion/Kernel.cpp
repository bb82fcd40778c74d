// Kernel: op names, the structural cache key and the verifier. The op table
// below is the single place that lists each KOp's name, arity and typing rule.
#include "compiler/fusion/Kernel.h"
#include "compiler/fusion/KernelVerify.h"

#include "runtime/Error.h"

#include <cstdio>
#include <cstring>
#include <string>

namespace ravel::fusion {
namespace {

/// Which dtypes an op accepts and what it yields.
enum class Typing : uint8_t {
  Special,   // Load, Const, Cast, Where: checked by hand
  Any,       // bool/int/float operands, result has the operand dtype
  Numeric,   // int/float, result has the operand dtype
  Float,     // float only, result has the operand dtype
  Bitwise,   // bool/int, result has the operand dtype
  Compare,   // operands share any dtype, result Bool
  FloatTest, // float operand, result Bool
};

struct OpInfo {
  const char* name; // NumPy's ufunc name where there is one; unique (cache keys)
  int arity;
  Typing typing;
};

constexpr int kNumOps = static_cast<int>(kLastKOp) + 1;

// Indexed by KOp; keep in enum order.
constexpr OpInfo kOps[kNumOps] = {
    {"load", 0, Typing::Special},
    {"const", 0, Typing::Special},
    {"cast", 1, Typing::Special},
    {"add", 2, Typing::Any},
    {"subtract", 2, Typing::Numeric},
    {"multiply", 2, Typing::Any},
    {"true_divide", 2, Typing::Float},
    {"floor_divide", 2, Typing::Numeric},
    {"remainder", 2, Typing::Numeric},
    {"power", 2, Typing::Numeric},
    {"minimum", 2, Typing::Any},
    {"maximum", 2, Typing::Any},
    {"bitwise_and", 2, Typing::Bitwise},
    {"bitwise_or", 2, Typing::Bitwise},
    {"bitwise_xor", 2, Typing::Bitwise},
    {"equal", 2, Typing::Compare},
    {"not_equal", 2, Typing::Compare},
    {"less", 2, Typing::Compare},
    {"less_equal", 2, Typing::Compare},
    {"greater", 2, Typing::Compare},
    {"greater_equal", 2, Typing::Compare},
    {"negative", 1, Typing::Numeric},
    {"invert", 1, Typing::Bitwise},
    {"absolute", 1, Typing::Any},
    {"sqrt", 1, Typing::Float},
    {"exp", 1, Typing::Float},
    {"log", 1, Typing::Float},
    {"sin", 1, Typing::Float},
    {"cos", 1, Typing::Float},
    {"tanh", 1, Typing::Float},
    {"where", 3, Typing::Special},
    {"floor", 1, Typing::Float},
    {"ceil", 1, Typing::Float},
    {"trunc", 1, Typing::Float},
    {"rint", 1, Typing::Float},
    {"tan", 1, Typing::Float},
    {"arcsin", 1, Typing::Float},
    {"arccos", 1, Typing::Float},
    {"arctan", 1, Typing::Float},
    {"sinh", 1, Typing::Float},
    {"cosh", 1, Typing::Float},
    {"exp2", 1, Typing::Float},
    {"expm1", 1, Typing::Float},
    {"log2", 1, Typing::Float},
    {"log10", 1, Typing::Float},
    {"log1p", 1, Typing::Float},
    {"cbrt", 1, Typing::Float},
    {"sign", 1, Typing::Numeric},
    {"isnan", 1, Typing::FloatTest},
    {"isinf", 1, Typing::FloatTest},
    {"isfinite", 1, Typing::FloatTest},
    {"arctan2", 2, Typing::Float},
    {"hypot", 2, Typing::Float},
    {"fmin", 2, Typing::Float},
    {"fmax", 2, Typing::Float},
    {"copysign", 2, Typing::Float},
    {"fmod", 2, Typing::Numeric},
    {"square", 1, Typing::Numeric},
    {"reciprocal", 1, Typing::Numeric},
    {"left_shift", 2, Typing::Bitwise},
    {"right_shift", 2, Typing::Bitwise},
    {"arcsinh", 1, Typing::Float},
    {"arccosh", 1, Typing::Float},
    {"arctanh", 1, Typing::Float},
    {"signbit", 1, Typing::FloatTest},
    {"heaviside", 2, Typing::Float},
    {"gcd", 2, Typing::Bitwise},
    {"lcm", 2, Typing::Bitwise},
    {"nextafter", 2, Typing::Float},
    {"spacing", 1, Typing::Float},
    {"ldexp", 2, Typing::Special},
    {"modf_fraction", 1, Typing::Float},
    {"frexp_mantissa", 1, Typing::Float},
    {"frexp_exponent", 1, Typing::Special},
    {"logaddexp", 2, Typing::Float},
    {"logaddexp2", 2, Typing::Float},
    {"deg2rad", 1, Typing::Float},
    {"rad2deg", 1, Typing::Float},
    {"divmod_quotient", 2, Typing::Numeric},
    {"divmod_remainder", 2, Typing::Numeric},
    {"float_power", 2, Typing::Float},
};

const OpInfo& info(KOp op) {
  int i = static_cast<int>(op);
  RAVEL_CHECK(i >= 0 && i < kNumOps, "bad KOp " + std::to_string(i));
  return kOps[i];
}

/// Short, stable dtype codes for keys and messages (NumPy's kind+size).
const char* code(DType t) {
  switch (t) {
    case DType::Bool:
      return "b1";
    case DType::Int32:
      return "i4";
    case DType::Int64:
      return "i8";
    case DType::Float32:
      return "f4";
    case DType::Float64:
      return "f8";
  }
  return "?";
}

const char* layoutCode(InnerLayout l) {
  switch (l) {
    case InnerLayout::Contiguous:
      return "C";
    case InnerLayout::Broadcast:
      return "B";
    case InnerLayout::Strided:
      return "S";
  }
  return "?";
}

bool accepts(Typing typing, DType t) {
  switch (typing) {
    case Typing::Any:
      return true;
    case Typing::Numeric:
      return t != DType::Bool;
    case Typing::Float:
      return isFloat(t);
    case Typing::Bitwise:
      return !isFloat(t);
    case Typing::Compare:
      return true;
    case Typing::FloatTest:
      return isFloat(t);
    case Typing::Special:
      return true;
  }
  return false;
}

std::string where(const Kernel& k, size_t idx) {
  return "kernel '" + k.name + "' instruction %" + std::to_string(idx) + " (" +
         info(k.body[idx].op).name + "): ";
}

void verifyInstr(const Kernel& k, size_t idx) {
  const KInstr& in = k.body[idx];
  const OpInfo& op = info(in.op);
  const std::string at = where(k, idx);
  for (int a = 0; a < 3; ++a) {
    if (a < op.arity) {
      RAVEL_CHECK(in.args[a] >= 0 && static_cast<size_t>(in.args[a]) < idx,
                  at + "arg " + std::to_string(a) + " must name an earlier instruction");
    } else {
      RAVEL_CHECK(in.args[a] == -1, at + "unused arg " + std::to_string(a) + " must be -1");
    }
  }
  auto argType = [&](int a) { return k.body[in.args[a]].dtype; };
  switch (in.op) {
    case KOp::Load:
      RAVEL_CHECK(in.input >= 0 && static_cast<size_t>(in.input) < k.inputs.size(),
                  at + "input index out of range");
      RAVEL_CHECK(k.inputs[in.input] == in.dtype, at + "dtype differs from the input's");
      return;
    case KOp::Const:
    case KOp::Cast:
      return;
    case KOp::Ldexp:
      RAVEL_CHECK(isFloat(argType(0)) && argType(1) == DType::Int64 && in.dtype == argType(0),
                  at + "ldexp takes a float and an int64 and gives the float's dtype");
      return;
    case KOp::FrexpExponent:
      RAVEL_CHECK(isFloat(argType(0)) && in.dtype == DType::Int32,
                  at + "frexp's exponent takes a float and gives int32");
      return;
    case KOp::Where:
      RAVEL_CHECK(argType(0) == DType::Bool, at + "condition must be bool");
      RAVEL_CHECK(argType(1) == in.dtype && argType(2) == in.dtype,
                  at + "branches must have the result dtype");
      return;
    default:
      break;
  }
  DType operand = argType(0);
  for (int a = 1; a < op.arity; ++a)
    RAVEL_CHECK(argType(a) == operand, at + "operands must share a dtype");
  RAVEL_CHECK(accepts(op.typing, operand), at + "not defined for " + code(operand));
  bool yieldsBool = op.typing == Typing::Compare || op.typing == Typing::FloatTest;
  DType expect = yieldsBool ? DType::Bool : operand;
  RAVEL_CHECK(in.dtype == expect, at + "result dtype must be " + code(expect));
}

} // namespace

const char* kopName(KOp op) {
  return info(op).name;
}

int kopArity(KOp op) {
  return info(op).arity;
}

const char* reduceName(ReduceKind r) {
  switch (r) {
    case ReduceKind::None:
      return "none";
    case ReduceKind::Sum:
      return "sum";
    case ReduceKind::Prod:
      return "prod";
    case ReduceKind::Min:
      return "min";
    case ReduceKind::Max:
      return "max";
  }
  return "?";
}

Kernel anyLayoutVariant(const Kernel& kernel) {
  Kernel any = kernel;
  for (InnerLayout& layout : any.layouts) layout = InnerLayout::Strided;
  any.streamingStores = false;
  return any;
}

std::string Kernel::cacheKey() const {
  // Text, so a key is also readable in a debugger; constants by bit pattern so
  // that -0.0 / NaN payloads stay distinct.
  std::string key;
  key.reserve(32 + body.size() * 16);
  key += "in:";
  for (DType t : inputs) (key += code(t)) += ',';
  key += "|lay:";
  for (InnerLayout l : layouts) key += layoutCode(l);
  key += "|red:";
  key += reduceName(reduce);
  if (reduce != ReduceKind::None) (key += '/') += code(accumDType);
  if (sequential) key += "/seq";
  if (accumulateRows) key += "/rows";
  if (fpExact) key += "|fpexact";
  if (streamingStores) key += "|nt";
  key += "|res:" + std::to_string(result) + '/' + code(resultDType) + '|';
  for (const KInstr& in : body) {
    key += info(in.op).name;
    key += ' ';
    key += code(in.dtype);
    if (in.op == KOp::Load) {
      key += " #" + std::to_string(in.input);
    } else if (in.op == KOp::Const) {
      // " =b,i,bits" with the numbers in hex (no printf: a loop looks its
      // kernels up every iteration).
      uint64_t bits;
      std::memcpy(&bits, &in.constant.f, sizeof bits);
      key += " =";
      key += in.constant.b ? '1' : '0';
      for (uint64_t v : {static_cast<uint64_t>(in.constant.i), bits}) {
        key += ',';
        for (int shift = 60; shift >= 0; shift -= 4) key += "0123456789abcdef"[(v >> shift) & 15];
      }
    } else {
      for (int a = 0; a < kopArity(in.op); ++a) key += ' ' + std::to_string(in.args[a]);
    }
    key += ';';
  }
  return key;
}

void verify(const Kernel& k) {
  const std::string at = "kernel '" + k.name + "': ";
  RAVEL_CHECK(!k.body.empty(), at + "empty body");
  RAVEL_CHECK(k.result >= 0 && static_cast<size_t>(k.result) < k.body.size(),
              at + "result must name an instruction");
  RAVEL_CHECK(!k.accumulateRows || k.reduce != ReduceKind::None,
              at + "an accumulate-rows kernel is a reduction");
  size_t operands = k.inputs.size() + (k.reduce == ReduceKind::None || k.accumulateRows ? 1 : 0);
  // An exact floating-point check of an elementwise body may store nothing.
  if (k.fpExact && k.reduce == ReduceKind::None && k.layouts.size() == k.inputs.size())
    operands = k.inputs.size();
  RAVEL_CHECK(k.layouts.size() == operands, at + "expected " + std::to_string(operands) +
                                                " layouts, got " +
                                                std::to_string(k.layouts.size()));
  RAVEL_CHECK(!k.streamingStores || (k.reduce == ReduceKind::None && !k.layouts.empty() &&
                                     k.layouts.size() == k.inputs.size() + 1 &&
                                     k.layouts.back() == InnerLayout::Contiguous),
              at + "streaming stores need an elementwise kernel with a contiguous output");
  for (size_t i = 0; i < k.body.size(); ++i) verifyInstr(k, i);
  RAVEL_CHECK(k.body[k.result].dtype == k.resultDType,
              at + "result instruction dtype differs from resultDType");
  switch (k.reduce) {
    case ReduceKind::None:
      break;
    case ReduceKind::Sum:
    case ReduceKind::Prod:
      if (isFloat(k.resultDType)) {
        RAVEL_CHECK(isFloat(k.accumDType), at + "a float sum/prod accumulates in a float dtype");
      } else {
        RAVEL_CHECK(k.accumDType == DType::Int64 || isFloat(k.accumDType),
                    at + "a bool/int sum/prod accumulates in int64 (or a float dtype)");
      }
      break;
    case ReduceKind::Min:
    case ReduceKind::Max:
      RAVEL_CHECK(k.accumDType == k.resultDType, at + "min/max accumulate in the result dtype");
      break;
  }
}

} // namespace ravel::fusion
