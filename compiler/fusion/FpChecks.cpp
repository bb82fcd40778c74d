// FpChecks: the warning instructions of a kernel and their NumPy ufunc names.
#include "compiler/fusion/FpChecks.h"

#include <algorithm>
#include <string>

namespace ravel::fusion {
namespace {

/// Whether a non-finite operand `pos` of instruction `user` always makes the
/// user's value non-finite too (inf + x, NaN * x, sqrt(inf), ...), so a probe
/// of the user's value covers the operand's.
bool keepsNonFinite(const KInstr& user, int pos, DType operand) {
  if (!isFloat(user.dtype) || !isFloat(operand)) return false;
  switch (user.op) {
    case KOp::Add:
    case KOp::Sub:
    case KOp::Mul:
      return true;
    case KOp::Div: // x / inf is 0
      return pos == 0;
    case KOp::Neg:
    case KOp::Abs:
    case KOp::Sqrt:
    case KOp::Floor:
    case KOp::Ceil:
    case KOp::Trunc:
    case KOp::Rint:
    case KOp::Square:
    case KOp::Cast:
      return true;
    default:
      return false;
  }
}

} // namespace

const char* fpUfunc(const Kernel& k, size_t i) {
  const KInstr& in = k.body[i];
  if (in.op == KOp::Load || in.op == KOp::Const) return nullptr;
  const DType t = in.args[0] >= 0 ? k.body[size_t(in.args[0])].dtype : in.dtype;
  const bool fp = isFloat(t);
  switch (in.op) {
    case KOp::Cast: // NaN/inf/out of range -> int; float64 -> float32 overflow
      return fp && (isInteger(in.dtype) || (t == DType::Float64 && in.dtype == DType::Float32))
                 ? "cast"
                 : nullptr;
    case KOp::FloorDiv:
      return t == DType::Bool ? nullptr : "floor_divide";
    case KOp::Mod:
      return t == DType::Bool ? nullptr : "remainder";
    case KOp::DivmodFloor:
    case KOp::DivmodRem:
      return t == DType::Bool ? nullptr : "divmod";
    case KOp::Fmod: // int x fmod 0: divide by zero; float: invalid
      return "fmod";
    case KOp::Reciprocal: // int 1/0: divide by zero and invalid (the cast)
      return "reciprocal";
    default:
      break;
  }
  if (!fp) return nullptr;
  switch (in.op) {
    case KOp::Add:
      return "add";
    case KOp::Sub:
      return "subtract";
    case KOp::Mul:
      return "multiply";
    case KOp::Div:
      return "divide";
    case KOp::Pow: {
      // NumPy's fast_scalar_power: x**2 is square(x), x**-1 reciprocal(x), ...
      const KInstr& e = k.body[size_t(in.args[1])];
      if (e.op != KOp::Const) return "power";
      double c = e.constant.f;
      if (in.dtype == DType::Float32) c = static_cast<float>(c);
      if (c == 2.0) return "square";
      if (c == 0.5) return "sqrt";
      if (c == -1.0) return "reciprocal";
      if (c == 1.0 || c == 0.0) return nullptr;
      return "power";
    }
    case KOp::Sqrt:
      return "sqrt";
    case KOp::Exp:
      return "exp";
    case KOp::Log:
      return "log";
    case KOp::Sin:
      return "sin";
    case KOp::Cos:
      return "cos";
    case KOp::Tan:
      return "tan";
    case KOp::Arcsin:
      return "arcsin";
    case KOp::Arccos:
      return "arccos";
    case KOp::Sinh:
      return "sinh";
    case KOp::Cosh:
      return "cosh";
    case KOp::Exp2:
      return "exp2";
    case KOp::Expm1:
      return "expm1";
    case KOp::Log2:
      return "log2";
    case KOp::Log10:
      return "log10";
    case KOp::Log1p:
      return "log1p";
    case KOp::Hypot:
      return "hypot";
    case KOp::Square:
      return "square";
    case KOp::Arccosh:
      return "arccosh";
    case KOp::Arctanh:
      return "arctanh";
    case KOp::Nextafter: // nextafter(max, inf) overflows
      return "nextafter";
    case KOp::Spacing: // spacing(max) overflows; spacing(inf) is NaN silently
      return "spacing";
    case KOp::Ldexp:
      return "ldexp";
    case KOp::FloatPower:
      return "float_power";
    case KOp::Rad2Deg:
      return "rad2deg";
    case KOp::LogAddExp: // a NaN operand: invalid (C's ordered compares)
      return "logaddexp";
    case KOp::LogAddExp2:
      return "logaddexp2";
    default:
      return nullptr;
  }
}

std::vector<int> fpSlots(const Kernel& k) {
  std::vector<int> slots(k.body.size(), -1);
  int next = 0;
  for (size_t i = 0; i < k.body.size(); ++i)
    if (fpUfunc(k, i)) slots[i] = std::min(next++, kFpMaxSlots - 1);
  return slots;
}

std::vector<bool> fpProbed(const Kernel& k) {
  const size_t n = k.body.size();
  std::vector<bool> carries(n, false), otherUse(n, false);
  for (size_t i = 0; i < n; ++i) {
    const KInstr& in = k.body[i];
    if (!isFloat(in.dtype) || in.op == KOp::Load || in.op == KOp::Const) continue;
    bool c = fpUfunc(k, i) != nullptr;
    for (int p = 0; p < 3 && in.args[p] >= 0; ++p) {
      const size_t a = size_t(in.args[p]);
      if (keepsNonFinite(in, p, k.body[a].dtype)) c |= carries[a];
    }
    carries[i] = c;
  }
  for (size_t i = 0; i < n; ++i) {
    const KInstr& in = k.body[i];
    for (int p = 0; p < 3 && in.args[p] >= 0; ++p) {
      const size_t a = size_t(in.args[p]);
      if (!keepsNonFinite(in, p, k.body[a].dtype)) otherUse[a] = true;
    }
  }
  // A float sum or product keeps an infinity or NaN too: the executor tests
  // its results instead.
  const bool foldKeeps =
      (k.reduce == ReduceKind::Sum || k.reduce == ReduceKind::Prod) && isFloat(k.accumDType);
  if (!foldKeeps) otherUse[size_t(k.result)] = true;
  std::vector<bool> probed(n, false);
  for (size_t i = 0; i < n; ++i) probed[i] = carries[i] && otherUse[i];
  return probed;
}

bool fpCanWarn(const Kernel& k) {
  if ((k.reduce == ReduceKind::Sum || k.reduce == ReduceKind::Prod) && isFloat(k.accumDType))
    return true;
  for (size_t i = 0; i < k.body.size(); ++i)
    if (fpUfunc(k, i)) return true;
  return false;
}

std::string fpMessage(FpCategory c, const std::string& ufunc) {
  switch (c) {
    case FpCategory::Divide:
      return "divide by zero encountered in " + ufunc;
    case FpCategory::Overflow:
      return "overflow encountered in " + ufunc;
    case FpCategory::Invalid:
      break;
  }
  return "invalid value encountered in " + ufunc;
}

} // namespace ravel::fusion
