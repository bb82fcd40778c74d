// EmitElementwise: one scalar instruction of a kernel, with NumPy semantics
// (see shared/EDGE-CASES.md):
//  - integer + - * wrap: no nsw/nuw anywhere;
//  - float ops carry no fast-math flags (no contraction into FMA), so + - * /
//    and sqrt are bit-identical to NumPy;
//  - // and % floor; an integer divisor of 0 gives 0, INT_MIN // -1 gives
//    INT_MIN and INT_MIN % -1 gives 0; no sdiv ever sees 0 or -1;
//  - float // and % are NumPy's npy_divmod, step by step;
//  - minimum/maximum propagate NaN, as NumPy's (a > b || isnan(a)) ? a : b;
//    fmax/fmin ignore it, (a > b || isnan(b)) ? a : b (a tie picks b);
//  - shifts by a count outside [0, bits) give 0 (-1 for >> of a negative);
//  - float -> int casts: NaN/inf/out of range -> INT_MIN (x86) + a flag.
#include "compiler/codegen/Emitter.h"

#include "runtime/Error.h"

#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/Module.h>

#include <cmath>

namespace ravel::codegen {

using namespace llvm;
using fusion::KInstr;
using fusion::KOp;

namespace {

Value* intrinsic(Emitter& e, Intrinsic::ID id, ArrayRef<Value*> args) {
  return e.b.CreateIntrinsic(id, {args[0]->getType()}, args);
}

Constant* floatConst(Type* t, double v) {
  return ConstantFP::get(t, v);
}

/// NumPy's integer floor_divide / remainder with the divisor guards.
Value* emitIntDivMod(Emitter& e, Value* a, Value* d, bool wantMod) {
  IRBuilder<>& b = e.b;
  Type* t = a->getType();
  Value* zero = ConstantInt::get(t, 0);
  Value* isZero = b.CreateICmpEQ(d, zero);
  Value* isMinusOne = b.CreateICmpEQ(d, ConstantInt::getSigned(t, -1));
  Value* special = b.CreateOr(isZero, isMinusOne);
  Value* safe = b.CreateSelect(special, ConstantInt::get(t, 1), d);
  Value* q = b.CreateSDiv(a, safe);
  Value* r = b.CreateSRem(a, safe);
  // C truncates; floor when the remainder is non-zero and its sign differs
  // from the divisor's.
  Value* adjust = b.CreateAnd(b.CreateICmpNE(r, zero), b.CreateICmpSLT(b.CreateXor(r, d), zero));
  if (wantMod) {
    Value* mod = b.CreateSelect(adjust, b.CreateAdd(r, d), r);
    return b.CreateSelect(special, zero, mod);
  }
  Value* div = b.CreateSelect(adjust, b.CreateSub(q, ConstantInt::get(t, 1)), q);
  // x // -1 is -x with wrap-around (INT_MIN // -1 == INT_MIN), x // 0 is 0.
  return b.CreateSelect(isZero, zero, b.CreateSelect(isMinusOne, b.CreateSub(zero, a), div));
}

/// NumPy's npy_floor_divide / npy_remainder (npy_math_internal.h.src), ported
/// operation by operation so results are bit-identical.
Value* emitFloatDivMod(Emitter& e, Value* a, Value* d, bool wantMod) {
  IRBuilder<>& b = e.b;
  Type* t = a->getType();
  Value* zero = floatConst(t, 0.0);
  Value* mod = b.CreateFRem(a, d); // fmod
  Value* divisorZero = b.CreateFCmpOEQ(d, zero);
  Value* modNonZero = b.CreateFCmpUNE(mod, zero); // `if (mod)`: NaN is true
  // if (mod) { if (isless(b, 0) != isless(mod, 0)) { mod += b; div -= 1; } }
  Value* adjust =
      b.CreateAnd(modNonZero, b.CreateXor(b.CreateFCmpOLT(d, zero), b.CreateFCmpOLT(mod, zero)));
  if (wantMod) {
    Value* adjusted = b.CreateSelect(adjust, b.CreateFAdd(mod, d), mod);
    // else mod = copysign(0, b)
    Value* signedZero = intrinsic(e, Intrinsic::copysign, {zero, d});
    Value* result = b.CreateSelect(modNonZero, adjusted, signedZero);
    return b.CreateSelect(divisorZero, mod, result); // b == 0: fmod's NaN
  }
  Value* quotient = b.CreateFDiv(a, d);
  Value* div = b.CreateFDiv(b.CreateFSub(a, mod), d);
  div = b.CreateSelect(adjust, b.CreateFSub(div, floatConst(t, 1.0)), div);
  // if (div) { floordiv = floor(div); if (isgreater(div - floordiv, 0.5)) floordiv += 1; }
  Value* fl = intrinsic(e, Intrinsic::floor, {div});
  Value* snapped = b.CreateSelect(b.CreateFCmpOGT(b.CreateFSub(div, fl), floatConst(t, 0.5)),
                                  b.CreateFAdd(fl, floatConst(t, 1.0)), fl);
  // else floordiv = copysign(0, a / b)
  Value* signedZero = intrinsic(e, Intrinsic::copysign, {zero, quotient});
  Value* result = b.CreateSelect(b.CreateFCmpUNE(div, zero), snapped, signedZero);
  return b.CreateSelect(divisorZero, quotient, result); // b == 0: a / b
}

/// x ** c for a constant integer c >= 0: square-and-multiply, unrolled.
/// Multiplication modulo 2^w is associative, so this wraps exactly like
/// NumPy's loop.
Value* emitIntPowConst(Emitter& e, Value* x, uint64_t c) {
  Value* result = ConstantInt::get(x->getType(), 1);
  bool first = true;
  while (c) {
    if (c & 1) result = first ? x : e.b.CreateMul(result, x);
    if (c & 1) first = false;
    c >>= 1;
    if (c) x = e.b.CreateMul(x, x);
  }
  return result;
}

/// x ** y for integers: a square-and-multiply loop per element. A negative
/// exponent sets kErrorNegativePower (the compiler raises NumPy's error).
Value* emitIntPow(Emitter& e, Value* x, Value* y) {
  IRBuilder<>& b = e.b;
  Type* t = x->getType();
  Value* zero = ConstantInt::get(t, 0);
  e.orFlag(b.CreateICmpSLT(y, zero), fusion::kErrorNegativePower);
  Function* f = b.GetInsertBlock()->getParent();
  BasicBlock* pre = b.GetInsertBlock();
  BasicBlock* head = BasicBlock::Create(e.ctx, "ipow.head", f);
  BasicBlock* step = BasicBlock::Create(e.ctx, "ipow.step", f);
  BasicBlock* done = BasicBlock::Create(e.ctx, "ipow.done", f);
  b.CreateBr(head);
  b.SetInsertPoint(head);
  PHINode* result = b.CreatePHI(t, 2, "ipow.r");
  PHINode* base = b.CreatePHI(t, 2, "ipow.b");
  PHINode* exp = b.CreatePHI(t, 2, "ipow.e");
  result->addIncoming(ConstantInt::get(t, 1), pre);
  base->addIncoming(x, pre);
  exp->addIncoming(y, pre);
  b.CreateCondBr(b.CreateICmpSGT(exp, zero), step, done);
  b.SetInsertPoint(step);
  Value* odd = b.CreateICmpNE(b.CreateAnd(exp, ConstantInt::get(t, 1)), zero);
  result->addIncoming(b.CreateSelect(odd, b.CreateMul(result, base), result), step);
  base->addIncoming(b.CreateMul(base, base), step);
  exp->addIncoming(b.CreateLShr(exp, ConstantInt::get(t, 1)), step);
  b.CreateBr(head);
  b.SetInsertPoint(done);
  return result;
}

/// Float power. A constant exponent takes NumPy's fast_scalar_power routes
/// (x**2 -> x*x, x**0.5 -> sqrt, x**1, x**-1, x**0), which is also what NumPy
/// computes for `x ** 2`; otherwise libm pow (correctly rounded in glibc, like
/// NumPy's npy_pow).
Value* emitFloatPow(Emitter& e, const KInstr& in, Value* x, Value* y) {
  IRBuilder<>& b = e.b;
  const KInstr& exponent = e.kernel.body[in.args[1]];
  if (exponent.op == KOp::Const) {
    double c = exponent.constant.f;
    if (in.dtype == DType::Float32) c = static_cast<float>(c);
    Type* t = x->getType();
    if (c == 2.0) return b.CreateFMul(x, x);
    if (c == 0.5) return intrinsic(e, Intrinsic::sqrt, {x});
    if (c == 1.0) return x;
    if (c == -1.0) return b.CreateFDiv(floatConst(t, 1.0), x);
    if (c == 0.0) return floatConst(t, 1.0);
  }
  return intrinsic(e, Intrinsic::pow, {x, y});
}

/// NumPy's maximum/minimum on floats: (a > b || isnan(a)) ? a : b (ties pick
/// b, as NumPy's SIMD loops do for +-0).
Value* emitFloatMinMax(Emitter& e, Value* a, Value* c, bool isMax) {
  IRBuilder<>& b = e.b;
  Value* better = isMax ? b.CreateFCmpOGT(a, c) : b.CreateFCmpOLT(a, c);
  return b.CreateSelect(b.CreateOr(better, b.CreateFCmpUNO(a, a)), a, c);
}

/// NumPy's fmax/fmin on floats ignore a NaN operand, and a tie of +0 and -0
/// gives the second operand (NumPy 1.24's loops): (a > b || isnan(b)) ? a : b.
Value* emitFloatFMinMax(Emitter& e, Value* a, Value* c, bool isMax) {
  IRBuilder<>& b = e.b;
  Value* better = isMax ? b.CreateFCmpOGT(a, c) : b.CreateFCmpOLT(a, c);
  return b.CreateSelect(b.CreateOr(better, b.CreateFCmpUNO(c, c)), a, c);
}

/// Integer fmod: C's %, with x fmod 0 and INT_MIN fmod -1 (where NumPy's
/// loop also gives 0) guarded, so srem never sees them.
Value* emitIntFmod(Emitter& e, Value* a, Value* d) {
  IRBuilder<>& b = e.b;
  Type* t = a->getType();
  Value* zero = ConstantInt::get(t, 0);
  Value* special =
      b.CreateOr(b.CreateICmpEQ(d, zero), b.CreateICmpEQ(d, ConstantInt::getSigned(t, -1)));
  Value* r = b.CreateSRem(a, b.CreateSelect(special, ConstantInt::get(t, 1), d));
  return b.CreateSelect(special, zero, r);
}

/// Integer reciprocal: NumPy computes 1.0 / x and converts back, so 1 and -1
/// are themselves, 0 is inf converted (INT_MIN) and everything else is 0.
Value* emitIntReciprocal(Emitter& e, Value* x) {
  IRBuilder<>& b = e.b;
  Type* t = x->getType();
  unsigned width = t->getIntegerBitWidth();
  Value* one = ConstantInt::get(t, 1);
  Value* minusOne = ConstantInt::getSigned(t, -1);
  Value* r =
      b.CreateSelect(b.CreateICmpEQ(x, ConstantInt::get(t, 0)),
                     ConstantInt::get(t, APInt::getSignedMinValue(width)), ConstantInt::get(t, 0));
  r = b.CreateSelect(b.CreateICmpEQ(x, minusOne), minusOne, r);
  return b.CreateSelect(b.CreateICmpEQ(x, one), one, r);
}

/// npy_lshift / npy_rshift: the count is taken as unsigned, and a count of
/// at least the width shifts everything out.
Value* emitShift(Emitter& e, Value* x, Value* c, bool left) {
  IRBuilder<>& b = e.b;
  Type* t = x->getType();
  unsigned width = t->getIntegerBitWidth();
  Value* inRange = b.CreateICmpULT(c, ConstantInt::get(t, width));
  Value* safe = b.CreateSelect(inRange, c, ConstantInt::get(t, 0));
  if (left) return b.CreateSelect(inRange, b.CreateShl(x, safe), ConstantInt::get(t, 0));
  Value* sign = b.CreateAShr(x, ConstantInt::get(t, width - 1));
  return b.CreateSelect(inRange, b.CreateAShr(x, safe), sign);
}

Value* emitSign(Emitter& e, Value* x, DType t) {
  IRBuilder<>& b = e.b;
  Type* ty = x->getType();
  if (!isFloat(t)) {
    Value* zero = ConstantInt::get(ty, 0);
    return b.CreateSub(b.CreateZExt(b.CreateICmpSGT(x, zero), ty),
                       b.CreateZExt(b.CreateICmpSLT(x, zero), ty));
  }
  // x > 0 ? 1 : x < 0 ? -1 : x == 0 ? 0 : x   (NaN stays NaN, -0 -> +0)
  Value* zero = floatConst(ty, 0.0);
  Value* r = b.CreateSelect(b.CreateFCmpOEQ(x, zero), zero, x);
  r = b.CreateSelect(b.CreateFCmpOLT(x, zero), floatConst(ty, -1.0), r);
  return b.CreateSelect(b.CreateFCmpOGT(x, zero), floatConst(ty, 1.0), r);
}

Value* emitCompare(Emitter& e, KOp op, Value* a, Value* c, DType t) {
  IRBuilder<>& b = e.b;
  if (isFloat(t)) {
    switch (op) {
      case KOp::Eq:
        return b.CreateFCmpOEQ(a, c);
      case KOp::Ne:
        return b.CreateFCmpUNE(a, c); // nan != nan
      case KOp::Lt:
        return b.CreateFCmpOLT(a, c);
      case KOp::Le:
        return b.CreateFCmpOLE(a, c);
      case KOp::Gt:
        return b.CreateFCmpOGT(a, c);
      default:
        return b.CreateFCmpOGE(a, c);
    }
  }
  bool isBool = t == DType::Bool; // False < True
  switch (op) {
    case KOp::Eq:
      return b.CreateICmpEQ(a, c);
    case KOp::Ne:
      return b.CreateICmpNE(a, c);
    case KOp::Lt:
      return isBool ? b.CreateICmpULT(a, c) : b.CreateICmpSLT(a, c);
    case KOp::Le:
      return isBool ? b.CreateICmpULE(a, c) : b.CreateICmpSLE(a, c);
    case KOp::Gt:
      return isBool ? b.CreateICmpUGT(a, c) : b.CreateICmpSGT(a, c);
    default:
      return isBool ? b.CreateICmpUGE(a, c) : b.CreateICmpSGE(a, c);
  }
}

/// The SLEEF-backed function of `op`; false if `op` is not one of them.
bool mathFnFor(KOp op, MathFn& fn) {
  switch (op) {
    case KOp::Exp:
      fn = MathFn::Exp;
      return true;
    case KOp::Log:
      fn = MathFn::Log;
      return true;
    case KOp::Sin:
      fn = MathFn::Sin;
      return true;
    case KOp::Cos:
      fn = MathFn::Cos;
      return true;
    case KOp::Tanh:
      fn = MathFn::Tanh;
      return true;
    case KOp::Tan:
      fn = MathFn::Tan;
      return true;
    case KOp::Arcsin:
      fn = MathFn::Asin;
      return true;
    case KOp::Arccos:
      fn = MathFn::Acos;
      return true;
    case KOp::Arctan:
      fn = MathFn::Atan;
      return true;
    case KOp::Sinh:
      fn = MathFn::Sinh;
      return true;
    case KOp::Cosh:
      fn = MathFn::Cosh;
      return true;
    case KOp::Exp2:
      fn = MathFn::Exp2;
      return true;
    case KOp::Expm1:
      fn = MathFn::Expm1;
      return true;
    case KOp::Log2:
      fn = MathFn::Log2;
      return true;
    case KOp::Log10:
      fn = MathFn::Log10;
      return true;
    case KOp::Log1p:
      fn = MathFn::Log1p;
      return true;
    case KOp::Cbrt:
      fn = MathFn::Cbrt;
      return true;
    case KOp::Arctan2:
      fn = MathFn::Atan2;
      return true;
    case KOp::Hypot:
      fn = MathFn::Hypot;
      return true;
    case KOp::Arcsinh:
      fn = MathFn::Asinh;
      return true;
    case KOp::Arccosh:
      fn = MathFn::Acosh;
      return true;
    case KOp::Arctanh:
      fn = MathFn::Atanh;
      return true;
    default:
      return false;
  }
}

/// Where SLEEF 3.5 leaves glibc's answer (found by tests/ufunc_grid.py):
/// tan and log1p flush a subnormal argument to 0 (tan(x) and log1p(x) are x
/// there); log1pf returns inf above 1e38 (in double above 1e307), where
/// log1p(x) rounds to log(x); sinhf and coshf overflow to inf from
/// |x| > 88.72 though the result fits float32 up to 89.41, so |x| > 88 is
/// computed in double and rounded; asinh and acosh overflow from x*x, and
/// asinh flushes subnormals too.
Value* patchSleefEdges(Emitter& e, KOp op, DType t, Value* x, Value* r) {
  IRBuilder<>& b = e.b;
  Type* ty = x->getType();
  const bool f64 = t == DType::Float64;
  if (op == KOp::Sinh || op == KOp::Cosh) {
    Value* big = b.CreateFCmpOGT(intrinsic(e, Intrinsic::fabs, {x}), floatConst(ty, 88.0));
    Value* wide = b.CreateFPExt(b.CreateSelect(big, x, floatConst(ty, 88.0)), b.getDoubleTy());
    Value* w =
        emitMathCall(e, op == KOp::Sinh ? MathFn::Sinh : MathFn::Cosh, DType::Float64, {wide});
    return b.CreateSelect(big, b.CreateFPTrunc(w, ty), r);
  }
  Value* tiny = b.CreateFCmpOLT(intrinsic(e, Intrinsic::fabs, {x}),
                                floatConst(ty, f64 ? 2.2250738585072014e-308 : 1.1754944e-38));
  if (op == KOp::Arcsinh || op == KOp::Arccosh) {
    // asinh(x) = sign(x) (log|x| + log 2) and acosh(x) = log x + log 2 once
    // x*x overflows the formula SLEEF uses.
    Value* ax = op == KOp::Arcsinh ? intrinsic(e, Intrinsic::fabs, {x}) : x; // acosh(-big): NaN
    Value* big = b.CreateFCmpOGT(ax, floatConst(ty, f64 ? 1e150 : 1e18));
    Value* safe = b.CreateSelect(big, ax, floatConst(ty, 2.0));
    Value* l = b.CreateFAdd(emitMathCall(e, MathFn::Log, t, {safe}),
                            floatConst(ty, 0.69314718055994530942));
    if (op == KOp::Arcsinh) l = intrinsic(e, Intrinsic::copysign, {l, x});
    r = b.CreateSelect(big, l, r);
    if (op == KOp::Arccosh) return r;
  }
  if (op == KOp::Log1p) {
    Value* big = b.CreateFCmpOGT(x, floatConst(ty, f64 ? 1e300 : 1e30));
    Value* safe = b.CreateSelect(big, x, floatConst(ty, 1.0)); // log of a normal value only
    r = b.CreateSelect(big, emitMathCall(e, MathFn::Log, t, {safe}), r);
  }
  return b.CreateSelect(tiny, x, r);
}

/// npy_logaddexp (npy_logaddexp2): x + log(2) (x + 1) when x == y, which
/// keeps inf - inf out; else the larger plus log1p(exp(-|x - y|)) (base 2:
/// log2(e) * log1p(exp2(-|x - y|))); NaN when the difference is NaN.
Value* emitLogAddExp(Emitter& e, DType t, Value* x, Value* y, bool base2) {
  IRBuilder<>& b = e.b;
  Type* ty = x->getType();
  Value* zero = floatConst(ty, 0.0);
  Value* d = b.CreateFSub(x, y);
  Value* larger =
      b.CreateSelect(b.CreateFCmpOGT(d, zero), x, b.CreateSelect(b.CreateFCmpOLE(d, zero), y, d));
  Value* negAbs = b.CreateFNeg(intrinsic(e, Intrinsic::fabs, {d}));
  Value* tail = emitMathCall(e, MathFn::Log1p, t,
                             {emitMathCall(e, base2 ? MathFn::Exp2 : MathFn::Exp, t, {negAbs})});
  if (base2)
    tail = b.CreateFMul(floatConst(ty, t == DType::Float32 ? float(M_LOG2E) : M_LOG2E), tail);
  Value* equal = b.CreateFAdd(x, floatConst(ty, base2                 ? 1.0
                                                : t == DType::Float32 ? float(M_LN2)
                                                                      : M_LN2));
  return b.CreateSelect(b.CreateFCmpOEQ(x, y), equal, b.CreateFAdd(larger, tail));
}

} // namespace

Value* emitConst(Emitter& e, DType t, const fusion::KConst& c) {
  switch (t) {
    case DType::Bool:
      return e.b.getInt1(c.b);
    case DType::Int32:
      return e.b.getInt32(static_cast<uint32_t>(c.i));
    case DType::Int64:
      return e.b.getInt64(static_cast<uint64_t>(c.i));
    case DType::Float32:
      return ConstantFP::get(e.b.getFloatTy(), static_cast<float>(c.f));
    case DType::Float64:
      return ConstantFP::get(e.b.getDoubleTy(), c.f);
  }
  return nullptr;
}

Value* emitCast(Emitter& e, Value* v, DType from, DType to) {
  IRBuilder<>& b = e.b;
  if (from == to) return v;
  Type* dst = e.regType(to);
  if (to == DType::Bool) {
    if (isFloat(from)) return b.CreateFCmpUNE(v, floatConst(v->getType(), 0.0)); // NaN -> True
    return b.CreateICmpNE(v, ConstantInt::get(v->getType(), 0));
  }
  if (from == DType::Bool) return isFloat(to) ? b.CreateUIToFP(v, dst) : b.CreateZExt(v, dst);
  if (isInteger(from) && isInteger(to)) return b.CreateSExtOrTrunc(v, dst); // wraps like NumPy
  if (isInteger(from)) return b.CreateSIToFP(v, dst);                       // round to nearest
  if (isFloat(to)) return to == DType::Float64 ? b.CreateFPExt(v, dst) : b.CreateFPTrunc(v, dst);
  // float -> int: fptosi is poison outside the target range, so select x86's
  // "integer indefinite" (INT_MIN) for NaN, inf and out-of-range values.
  unsigned width = dst->getIntegerBitWidth();
  double limit = std::ldexp(1.0, static_cast<int>(width) - 1);
  Type* src = v->getType();
  Value* inRange = b.CreateAnd(b.CreateFCmpOGE(v, floatConst(src, -limit)),
                               b.CreateFCmpOLT(v, floatConst(src, limit)));
  e.orFlag(b.CreateNot(inRange), fusion::kErrorInvalidCast);
  Value* intMin = ConstantInt::get(dst, APInt::getSignedMinValue(width));
  return b.CreateSelect(inRange, b.CreateFPToSI(v, dst), intMin);
}

Value* emitInstr(Emitter& e, const KInstr& in, const std::vector<Value*>& values) {
  IRBuilder<>& b = e.b;
  Value* x = in.args[0] >= 0 ? values[in.args[0]] : nullptr;
  Value* y = in.args[1] >= 0 ? values[in.args[1]] : nullptr;
  DType t = in.args[0] >= 0 ? e.kernel.body[in.args[0]].dtype : in.dtype; // operand dtype
  bool fp = isFloat(t);
  bool boolean = t == DType::Bool;
  MathFn math;
  if (mathFnFor(in.op, math)) {
    std::vector<Value*> args{x};
    if (y) args.push_back(y);
    Value* r = emitMathCall(e, math, t, args);
    if (in.op == KOp::Tan || in.op == KOp::Log1p || in.op == KOp::Arcsinh ||
        in.op == KOp::Arccosh ||
        (t == DType::Float32 && (in.op == KOp::Sinh || in.op == KOp::Cosh)))
      r = patchSleefEdges(e, in.op, t, x, r);
    return r;
  }
  switch (in.op) {
    case KOp::Cast:
      return emitCast(e, x, t, in.dtype);
    case KOp::Add:
      return boolean ? b.CreateOr(x, y) : fp ? b.CreateFAdd(x, y) : b.CreateAdd(x, y);
    case KOp::Sub:
      return fp ? b.CreateFSub(x, y) : b.CreateSub(x, y);
    case KOp::Mul:
      return boolean ? b.CreateAnd(x, y) : fp ? b.CreateFMul(x, y) : b.CreateMul(x, y);
    case KOp::Div:
      return b.CreateFDiv(x, y);
    case KOp::FloorDiv:
    case KOp::Mod: {
      bool wantMod = in.op == KOp::Mod;
      return fp ? emitFloatDivMod(e, x, y, wantMod) : emitIntDivMod(e, x, y, wantMod);
    }
    case KOp::Pow: {
      if (fp) return emitFloatPow(e, in, x, y);
      const KInstr& exponent = e.kernel.body[in.args[1]];
      if (exponent.op == KOp::Const && exponent.constant.i >= 0)
        return emitIntPowConst(e, x, static_cast<uint64_t>(exponent.constant.i));
      return emitIntPow(e, x, y);
    }
    case KOp::Minimum:
    case KOp::Maximum: {
      bool isMax = in.op == KOp::Maximum;
      if (boolean) return isMax ? b.CreateOr(x, y) : b.CreateAnd(x, y);
      if (fp) return emitFloatMinMax(e, x, y, isMax);
      return intrinsic(e, isMax ? Intrinsic::smax : Intrinsic::smin, {x, y});
    }
    case KOp::FMin:
    case KOp::FMax:
      return emitFloatFMinMax(e, x, y, in.op == KOp::FMax);
    case KOp::Copysign:
      return intrinsic(e, Intrinsic::copysign, {x, y});
    case KOp::Heaviside: {
      // npy_heaviside: x NaN -> NaN (NPY_NAN), x == 0 -> h0, x < 0 -> 0, else 1
      Type* ty = x->getType();
      Value* zero = floatConst(ty, 0.0);
      Value* step = b.CreateSelect(b.CreateFCmpOLT(x, zero), zero, floatConst(ty, 1.0));
      Value* r = b.CreateSelect(b.CreateFCmpOEQ(x, zero), y, step);
      return b.CreateSelect(b.CreateFCmpUNO(x, x), ConstantFP::getNaN(ty), r);
    }
    case KOp::Fmod:
      return fp ? b.CreateFRem(x, y) : emitIntFmod(e, x, y);
    case KOp::DivmodFloor:
    case KOp::DivmodRem: {
      bool wantMod = in.op == KOp::DivmodRem;
      return fp ? emitFloatDivMod(e, x, y, wantMod) : emitIntDivMod(e, x, y, wantMod);
    }
    case KOp::FloatPower:
      return intrinsic(e, Intrinsic::pow, {x, y});
    case KOp::Gcd:
    case KOp::Lcm:
      return emitGcdLcm(e, x, y, in.op == KOp::Lcm);
    case KOp::Nextafter:
      return emitNextafter(e, x, y);
    case KOp::Spacing:
      return emitSpacing(e, x);
    case KOp::Ldexp:
      return emitLdexp(e, x, y);
    case KOp::FrexpMantissa:
    case KOp::FrexpExponent:
      return emitFrexp(e, x, in.op == KOp::FrexpExponent);
    case KOp::ModfFrac:
      return emitModfFraction(e, x);
    case KOp::LogAddExp:
    case KOp::LogAddExp2:
      return emitLogAddExp(e, t, x, y, in.op == KOp::LogAddExp2);
    case KOp::Deg2Rad:
    case KOp::Rad2Deg: {
      // npy_deg2rad / npy_rad2deg; float32 folds NPY_PIf's constants in float.
      const bool toRadians = in.op == KOp::Deg2Rad;
      const float pi32 = float(M_PI);
      double c = toRadians ? M_PI / 180.0 : 180.0 / M_PI;
      if (t == DType::Float32) c = toRadians ? pi32 / 180.0f : 180.0f / pi32;
      return b.CreateFMul(x, floatConst(x->getType(), c));
    }
    case KOp::Square:
      return fp ? b.CreateFMul(x, x) : b.CreateMul(x, x);
    case KOp::Reciprocal:
      return fp ? b.CreateFDiv(floatConst(x->getType(), 1.0), x) : emitIntReciprocal(e, x);
    case KOp::Shl:
    case KOp::Shr:
      return emitShift(e, x, y, in.op == KOp::Shl);
    case KOp::BitAnd:
      return b.CreateAnd(x, y);
    case KOp::BitOr:
      return b.CreateOr(x, y);
    case KOp::BitXor:
      return b.CreateXor(x, y);
    case KOp::Eq:
    case KOp::Ne:
    case KOp::Lt:
    case KOp::Le:
    case KOp::Gt:
    case KOp::Ge:
      return emitCompare(e, in.op, x, y, t);
    case KOp::Neg:
      return fp ? b.CreateFNeg(x) : b.CreateSub(ConstantInt::get(x->getType(), 0), x);
    case KOp::Invert:
      return b.CreateNot(x); // bool: logical not; int: ~x
    case KOp::Abs:
      if (boolean) return x;
      if (fp) return intrinsic(e, Intrinsic::fabs, {x});
      // abs(INT_MIN) == INT_MIN: is_int_min_poison = false
      return b.CreateIntrinsic(Intrinsic::abs, {x->getType()}, {x, b.getFalse()});
    case KOp::Sqrt:
      return intrinsic(e, Intrinsic::sqrt, {x});
    case KOp::Floor:
      return intrinsic(e, Intrinsic::floor, {x});
    case KOp::Ceil:
      return intrinsic(e, Intrinsic::ceil, {x});
    case KOp::Trunc:
      return intrinsic(e, Intrinsic::trunc, {x});
    case KOp::Rint:
      return intrinsic(e, Intrinsic::roundeven, {x});
    case KOp::Sign:
      return emitSign(e, x, t);
    case KOp::Signbit: {
      Type* it = b.getIntNTy(x->getType()->getPrimitiveSizeInBits());
      return b.CreateICmpSLT(b.CreateBitCast(x, it), ConstantInt::get(it, 0));
    }
    case KOp::IsNan:
      return b.CreateFCmpUNO(x, x);
    case KOp::IsInf:
      return b.CreateFCmpOEQ(intrinsic(e, Intrinsic::fabs, {x}),
                             ConstantFP::getInfinity(x->getType()));
    case KOp::IsFinite:
      return b.CreateFCmpOLT(intrinsic(e, Intrinsic::fabs, {x}),
                             ConstantFP::getInfinity(x->getType()));
    case KOp::Where:
      return b.CreateSelect(x, y, values[in.args[2]]);
    default:
      break;
  }
  RAVEL_CHECK(false, std::string("codegen: unhandled op ") + fusion::kopName(in.op));
  return nullptr;
}

} // namespace ravel::codegen
