// EmitBitFunctions: NumPy's ufuncs that work on a number's representation
// rather than its value alone: gcd/lcm (Euclid over the magnitudes),
// nextafter and spacing (the neighbouring float), ldexp (scalbn), frexp and
// modf's fractional part. Each is bit-exact with NumPy 1.24's npy_math on
// every input, +-0, infinities, NaN and subnormals included, and is emitted
// as scalar IR the loop vectorizer widens (gcd/lcm's loop stays scalar).
#include "compiler/codegen/Emitter.h"

#include <llvm/IR/Intrinsics.h>

namespace ravel::codegen {

using namespace llvm;

namespace {

/// The float format of `ty`: its integer twin, mantissa bits and bias.
struct FloatBits {
  Type* intTy;
  unsigned mantissa; // 52 or 23
  int64_t bias;      // 1023 or 127
  int64_t expMask;   // 0x7ff or 0xff
};

FloatBits bitsOf(Emitter& e, Type* ty) {
  if (ty->isDoubleTy()) return {e.b.getInt64Ty(), 52, 1023, 0x7ff};
  return {e.b.getInt32Ty(), 23, 127, 0xff};
}

Value* isInfOrNaN(IRBuilder<>& b, Value* x) { // !(|x| < inf)
  return b.CreateFCmpUGE(b.CreateUnaryIntrinsic(Intrinsic::fabs, x),
                         ConstantFP::getInfinity(x->getType()));
}

/// The smallest subnormal with the sign of `sign`.
Value* smallestSubnormal(Emitter& e, Value* sign) {
  IRBuilder<>& b = e.b;
  Type* ty = sign->getType();
  Value* tiny = b.CreateBitCast(ConstantInt::get(bitsOf(e, ty).intTy, 1), ty);
  return b.CreateBinaryIntrinsic(Intrinsic::copysign, tiny, sign);
}

/// 2**n as a float of type ty, for n within the normal exponent range.
Value* powerOfTwo(Emitter& e, Type* ty, Value* n) {
  const FloatBits f = bitsOf(e, ty);
  IRBuilder<>& b = e.b;
  Value* biased = b.CreateAdd(b.CreateSExtOrTrunc(n, f.intTy), ConstantInt::get(f.intTy, f.bias));
  return b.CreateBitCast(b.CreateShl(biased, ConstantInt::get(f.intTy, f.mantissa)), ty);
}

} // namespace

Value* emitGcdLcm(Emitter& e, Value* x, Value* y, bool lcm) {
  IRBuilder<>& b = e.b;
  Type* t = x->getType();
  Value* zero = ConstantInt::get(t, 0);
  // |INT_MIN| is 2**(bits-1) as an unsigned value: gcd(INT_MIN, 6) is 2.
  auto magnitude = [&](Value* v) {
    return b.CreateSelect(b.CreateICmpSLT(v, zero), b.CreateSub(zero, v), v);
  };
  Value* ua = magnitude(x);
  Value* ub = magnitude(y);
  // Euclid: while (a != 0) { c = a; a = b % a; b = c; } leaves the gcd in b.
  Function* f = b.GetInsertBlock()->getParent();
  BasicBlock* pre = b.GetInsertBlock();
  BasicBlock* head = BasicBlock::Create(e.ctx, "gcd.head", f);
  BasicBlock* step = BasicBlock::Create(e.ctx, "gcd.step", f);
  BasicBlock* done = BasicBlock::Create(e.ctx, "gcd.done", f);
  b.CreateBr(head);
  b.SetInsertPoint(head);
  PHINode* a = b.CreatePHI(t, 2, "gcd.a");
  PHINode* g = b.CreatePHI(t, 2, "gcd.b");
  a->addIncoming(ub, pre); // gcd(a, b) = gcd(b, a): the loop starts with b % a
  g->addIncoming(ua, pre);
  b.CreateCondBr(b.CreateICmpNE(a, zero), step, done);
  b.SetInsertPoint(step);
  a->addIncoming(b.CreateURem(g, a), step);
  g->addIncoming(a, step);
  b.CreateBr(head);
  b.SetInsertPoint(done);
  if (!lcm) return g;
  // npy_lcm: gcd == 0 ? 0 : |x| / gcd * |y|, wrapping.
  Value* none = b.CreateICmpEQ(g, zero);
  Value* safe = b.CreateSelect(none, ConstantInt::get(t, 1), g);
  return b.CreateSelect(none, zero, b.CreateMul(b.CreateUDiv(ua, safe), ub));
}

Value* emitNextafter(Emitter& e, Value* x, Value* y) {
  IRBuilder<>& b = e.b;
  Type* ty = x->getType();
  Type* it = bitsOf(e, ty).intTy;
  Value* zero = ConstantFP::get(ty, 0.0);
  Value* bits = b.CreateBitCast(x, it);
  // Sign-magnitude: the bits grow with |x|, so moving away from zero adds 1.
  Value* away = b.CreateICmpEQ(b.CreateFCmpOLT(x, y), b.CreateFCmpOGT(x, zero));
  Value* one = ConstantInt::get(it, 1);
  Value* r =
      b.CreateBitCast(b.CreateSelect(away, b.CreateAdd(bits, one), b.CreateSub(bits, one)), ty);
  r = b.CreateSelect(b.CreateFCmpOEQ(x, zero), smallestSubnormal(e, y), r);
  r = b.CreateSelect(b.CreateFCmpOEQ(x, y), y, r);                     // C: equal gives y
  return b.CreateSelect(b.CreateFCmpUNO(x, y), b.CreateFAdd(x, y), r); // NaN
}

Value* emitSpacing(Emitter& e, Value* x) {
  IRBuilder<>& b = e.b;
  Type* ty = x->getType();
  Type* it = bitsOf(e, ty).intTy;
  // npy_spacing: the next float away from zero minus x; +-0 give the
  // smallest subnormal, +-inf and NaN give NaN.
  Value* next = b.CreateBitCast(b.CreateAdd(b.CreateBitCast(x, it), ConstantInt::get(it, 1)), ty);
  Value* r = b.CreateFSub(next, x);
  r = b.CreateSelect(b.CreateFCmpOEQ(x, ConstantFP::get(ty, 0.0)),
                     smallestSubnormal(e, ConstantFP::get(ty, 1.0)), r);
  return b.CreateSelect(isInfOrNaN(b, x), ConstantFP::getNaN(ty), r);
}

Value* emitLdexp(Emitter& e, Value* x, Value* n) {
  IRBuilder<>& b = e.b;
  Type* ty = x->getType();
  const FloatBits f = bitsOf(e, ty);
  Type* nt = n->getType();
  // scalbn: keep the partial product normal until one final multiplication,
  // so a subnormal result is rounded once. |n| beyond 4 * bias changes
  // nothing (inf, 0 or NaN already), so clamp it first.
  const int64_t maxExp = f.bias, minExp = 1 - f.bias;             // 1023, -1022
  const int64_t downShift = f.bias - 1 - int64_t(f.mantissa) - 1; // 969 / 102
  auto cnst = [&](int64_t v) { return ConstantInt::getSigned(nt, v); };
  Value* k = b.CreateBinaryIntrinsic(Intrinsic::smin, n, cnst(4 * f.bias));
  k = b.CreateBinaryIntrinsic(Intrinsic::smax, k, cnst(-4 * f.bias));
  Value* up = powerOfTwo(e, ty, cnst(maxExp));
  Value* down = powerOfTwo(e, ty, cnst(-downShift));
  Value* r = x;
  for (int i = 0; i < 2; ++i) {
    Value* big = b.CreateICmpSGT(k, cnst(maxExp));
    r = b.CreateSelect(big, b.CreateFMul(r, up), r);
    k = b.CreateSelect(big, b.CreateSub(k, cnst(maxExp)), k);
  }
  k = b.CreateBinaryIntrinsic(Intrinsic::smin, k, cnst(maxExp));
  for (int i = 0; i < 2; ++i) {
    Value* small = b.CreateICmpSLT(k, cnst(minExp));
    r = b.CreateSelect(small, b.CreateFMul(r, down), r);
    k = b.CreateSelect(small, b.CreateAdd(k, cnst(downShift)), k);
  }
  k = b.CreateBinaryIntrinsic(Intrinsic::smax, k, cnst(minExp));
  return b.CreateFMul(r, powerOfTwo(e, ty, k));
}

Value* emitFrexp(Emitter& e, Value* x, bool exponent) {
  IRBuilder<>& b = e.b;
  Type* ty = x->getType();
  const FloatBits f = bitsOf(e, ty);
  Type* it = f.intTy;
  // Subnormals are scaled into the normal range first (by 2**(mantissa+2)).
  const int64_t scale = int64_t(f.mantissa) + 2;
  Value* smallestNormal = powerOfTwo(e, ty, ConstantInt::getSigned(it, 1 - f.bias));
  Value* sub = b.CreateFCmpOLT(b.CreateUnaryIntrinsic(Intrinsic::fabs, x), smallestNormal);
  Value* xs =
      b.CreateSelect(sub, b.CreateFMul(x, powerOfTwo(e, ty, ConstantInt::get(it, scale))), x);
  Value* bits = b.CreateBitCast(xs, it);
  Value* special = b.CreateOr(b.CreateFCmpOEQ(x, ConstantFP::get(ty, 0.0)), isInfOrNaN(b, x));
  if (exponent) {
    Value* biased = b.CreateAnd(b.CreateLShr(bits, ConstantInt::get(it, f.mantissa)),
                                ConstantInt::get(it, f.expMask));
    Value* ex = b.CreateSub(biased, ConstantInt::get(it, f.bias - 1));
    ex = b.CreateSub(ex, b.CreateSelect(sub, ConstantInt::get(it, scale), ConstantInt::get(it, 0)));
    ex = b.CreateSExtOrTrunc(ex, b.getInt32Ty());
    return b.CreateSelect(special, b.getInt32(0), ex);
  }
  // The mantissa: x's sign and fraction with the exponent of 0.5.
  Value* fieldMask = ConstantInt::get(it, f.expMask << f.mantissa);
  Value* half = ConstantInt::get(it, (f.bias - 1) << f.mantissa);
  Value* m = b.CreateOr(b.CreateAnd(bits, b.CreateNot(fieldMask)), half);
  return b.CreateSelect(special, x, b.CreateBitCast(m, ty));
}

Value* emitModfFraction(Emitter& e, Value* x) {
  IRBuilder<>& b = e.b;
  Type* ty = x->getType();
  // C modf: x - trunc(x) with x's sign (modf(-2.0) is -0.0); +-inf give +-0.
  Value* frac = b.CreateFSub(x, b.CreateUnaryIntrinsic(Intrinsic::trunc, x));
  frac = b.CreateBinaryIntrinsic(Intrinsic::copysign, frac, x);
  Value* inf =
      b.CreateFCmpOEQ(b.CreateUnaryIntrinsic(Intrinsic::fabs, x), ConstantFP::getInfinity(ty));
  Value* signedZero = b.CreateBinaryIntrinsic(Intrinsic::copysign, ConstantFP::get(ty, 0.0), x);
  return b.CreateSelect(inf, signedZero, frac);
}

} // namespace ravel::codegen
