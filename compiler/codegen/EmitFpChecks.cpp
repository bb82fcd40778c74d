// EmitFpChecks: the tests behind NumPy's floating-point warnings
// (fusion/FpChecks.h), emitted after an instruction's value.
//
// Both kinds are value tests, not the hardware's FP status flags: LLVM's
// default FP model leaves the flags unspecified (vector compares signal on
// NaN, SLEEF's functions raise flags NumPy's libm would not, and integer
// division by zero is no FP event at all), while a value test means one
// thing on every lane and every path.
//  - probe: "this value is inf or NaN" as `uno(v * 0, 0)` (v * 0 is NaN
//    exactly when v is not finite), or an integer divisor of 0, sets
//    kErrorFpTrigger; a mul, a quiet compare and an or per tested value;
//  - exact: NaN from non-NaN operands -> invalid; an infinity from finite
//    operands -> divide by zero (x/0, x//0, 0**-y, log-family) or overflow;
//    float -> int casts out of range -> invalid; int // and % by 0 -> divide
//    by zero, INT_MIN // -1 -> overflow.
#include "compiler/codegen/Emitter.h"
#include "compiler/fusion/FpChecks.h"

#include <llvm/IR/Intrinsics.h>

#include <cmath>

namespace ravel::codegen {

using namespace llvm;
using fusion::FpCategory;
using fusion::KInstr;
using fusion::KOp;

namespace {

Value* isInf(IRBuilder<>& b, Value* v) {
  return b.CreateFCmpOEQ(b.CreateUnaryIntrinsic(Intrinsic::fabs, v),
                         ConstantFP::getInfinity(v->getType()));
}

Value* isFinite(IRBuilder<>& b, Value* v) { // ordered: false for NaN
  return b.CreateFCmpONE(b.CreateUnaryIntrinsic(Intrinsic::fabs, v),
                         ConstantFP::getInfinity(v->getType()));
}

/// Integer // and %: the divisor is 0, or INT_MIN // -1 overflows.
void intDivMod(Emitter& e, const KInstr& in, Value* a, Value* d, int slot) {
  IRBuilder<>& b = e.b;
  Type* t = a->getType();
  Value* byZero = b.CreateICmpEQ(d, ConstantInt::get(t, 0));
  Value* overflow = b.getFalse();
  if (in.op == KOp::FloorDiv || in.op == KOp::DivmodFloor) {
    unsigned width = t->getIntegerBitWidth();
    overflow = b.CreateAnd(b.CreateICmpEQ(a, ConstantInt::get(t, APInt::getSignedMinValue(width))),
                           b.CreateICmpEQ(d, ConstantInt::getSigned(t, -1)));
  }
  if (slot < 0) {
    e.orFlag(b.CreateOr(byZero, overflow), fusion::kErrorFpTrigger);
    return;
  }
  e.orFlag(byZero, fusion::fpBit(slot, FpCategory::Divide));
  if (in.op == KOp::FloorDiv || in.op == KOp::DivmodFloor)
    e.orFlag(overflow, fusion::fpBit(slot, FpCategory::Overflow));
}

bool infIsDivide(KOp op) {
  switch (op) {
    case KOp::Log:
    case KOp::Log2:
    case KOp::Log10:
    case KOp::Log1p:
    case KOp::Arctanh: // arctanh(+-1)
      return true;
    default:
      return false;
  }
}

} // namespace

void emitFpCheck(Emitter& e, size_t k, const std::vector<Value*>& values) {
  const KInstr& in = e.kernel.body[k];
  IRBuilder<>& b = e.b;
  Value* r = values[k];
  Value* a = in.args[0] >= 0 ? values[size_t(in.args[0])] : nullptr;
  Value* d = in.args[1] >= 0 ? values[size_t(in.args[1])] : nullptr;
  const DType t = in.args[0] >= 0 ? e.kernel.body[size_t(in.args[0])].dtype : in.dtype;
  const bool intDiv = (in.op == KOp::FloorDiv || in.op == KOp::Mod || in.op == KOp::Fmod ||
                       in.op == KOp::DivmodFloor || in.op == KOp::DivmodRem) &&
                      isInteger(t);
  // int reciprocal(0): NumPy's 1.0/0 is divide by zero, its cast invalid.
  Value* intReciprocalOfZero = in.op == KOp::Reciprocal && isInteger(t)
                                   ? b.CreateICmpEQ(a, ConstantInt::get(a->getType(), 0))
                                   : nullptr;
  if (!e.kernel.fpExact) {
    if (intReciprocalOfZero) {
      e.orFlag(intReciprocalOfZero, fusion::kErrorFpTrigger);
    } else if (intDiv) {
      intDivMod(e, in, a, d, -1);
    } else if (e.fpProbed[k]) {
      Value* z = b.CreateFMul(r, ConstantFP::get(r->getType(), 0.0));
      e.orFlag(b.CreateFCmpUNO(z, z), fusion::kErrorFpTrigger);
    }
    return;
  }
  const int slot = e.fpSlots[k];
  if (slot < 0) return;
  if (intDiv) return intDivMod(e, in, a, d, slot);
  if (intReciprocalOfZero) {
    e.orFlag(intReciprocalOfZero, fusion::fpBit(slot, FpCategory::Divide));
    e.orFlag(intReciprocalOfZero, fusion::fpBit(slot, FpCategory::Invalid));
    return;
  }
  if (in.op == KOp::Cast && isInteger(in.dtype)) {
    // emitCast's range test: NaN, inf and out-of-range values -> invalid.
    unsigned width = e.regType(in.dtype)->getIntegerBitWidth();
    double limit = std::ldexp(1.0, static_cast<int>(width) - 1);
    Type* src = a->getType();
    Value* inRange = b.CreateAnd(b.CreateFCmpOGE(a, ConstantFP::get(src, -limit)),
                                 b.CreateFCmpOLT(a, ConstantFP::get(src, limit)));
    e.orFlag(b.CreateNot(inRange), fusion::fpBit(slot, FpCategory::Invalid));
    return;
  }
  // Operands: a, and the second one for binary ops (a Const exponent too);
  // ldexp's second is an integer, and nextafter(max, inf) overflows.
  Value* anyNaN = b.CreateFCmpUNO(a, a);
  Value* allFinite = isFinite(b, a);
  if (d && in.op != KOp::Cast && in.op != KOp::Ldexp) {
    anyNaN = b.CreateOr(anyNaN, b.CreateFCmpUNO(d, d));
    if (in.op != KOp::Nextafter) allFinite = b.CreateAnd(allFinite, isFinite(b, d));
  }
  if (in.op == KOp::LogAddExp || in.op == KOp::LogAddExp2) {
    // npy_logaddexp compares x - y with 0 by C's < and >, which raise
    // invalid for a NaN: NumPy warns for every NaN operand.
    e.orFlag(anyNaN, fusion::fpBit(slot, FpCategory::Invalid));
    return;
  }
  // spacing(+-inf) is NaN without a warning (npy_spacing).
  Value* invalid = in.op == KOp::Spacing ? b.getFalse()
                                         : b.CreateAnd(b.CreateFCmpUNO(r, r), b.CreateNot(anyNaN));
  Value* infOut = b.CreateAnd(isInf(b, r), allFinite);
  Value* divide = b.getFalse();
  if (infIsDivide(in.op)) {
    divide = b.getTrue();
  } else if (in.op == KOp::Div || in.op == KOp::FloorDiv || in.op == KOp::DivmodFloor) {
    divide = b.CreateFCmpOEQ(d, ConstantFP::get(d->getType(), 0.0));
  } else if (in.op == KOp::Reciprocal) {
    divide = b.CreateFCmpOEQ(a, ConstantFP::get(a->getType(), 0.0));
  } else if (in.op == KOp::Pow || in.op == KOp::FloatPower) {
    divide = b.CreateFCmpOEQ(a, ConstantFP::get(a->getType(), 0.0));
  }
  e.orFlag(b.CreateAnd(infOut, divide), fusion::fpBit(slot, FpCategory::Divide));
  e.orFlag(b.CreateAnd(infOut, b.CreateNot(divide)), fusion::fpBit(slot, FpCategory::Overflow));
  e.orFlag(invalid, fusion::fpBit(slot, FpCategory::Invalid));
}

} // namespace ravel::codegen
