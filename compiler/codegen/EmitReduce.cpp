// EmitReduce: the loop of a reduction kernel. The function folds the n values
// of its row into state->acc (Kernel.h, KernelState).
//
// Algorithm:
//  1. Every element is converted to the accumulator dtype (bool/int32 sums
//     and products accumulate in int64, as NumPy does).
//  2. Float sums are pairwise, like NumPy's: the row is cut into blocks of
//     kSumBlock elements; each block is summed by a loop whose fadd carries
//     `reassoc`, so the vectorizer keeps several vector accumulators (the
//     error stays O(block / lanes) additions deep). Block sums are combined
//     with a binary counter: after block b, cttz(b + 1) merges of the top two
//     entries of a small stack, so the stack holds sums of 2^k blocks in
//     decreasing k; at the end it is folded from the top. Accuracy ~1e-16
//     relative on random data, at memory speed.
//  3. Other reductions are one loop with a vectorizable accumulator: integer
//     add/mul/smin/smax, bool and/or, float `reassoc` fmul for products, and
//     llvm.minimum/maximum for float min/max (NaN-propagating: once NaN,
//     always NaN).
//  4. The row's value is combined with state->acc in the same way. Bool and
//     integer accumulators live in acc.i as int64.
#include "compiler/codegen/Emitter.h"

#include <llvm/IR/Intrinsics.h>

namespace ravel::codegen {

using namespace llvm;
using fusion::ReduceKind;

namespace {

/// Elements per block of a pairwise float sum (a power of two).
constexpr int64_t kSumBlock = 128;
/// Depth of the block-sum stack: enough for 2^64 blocks.
constexpr int kSumStackDepth = 64;

Value* identity(Emitter& e, ReduceKind kind, DType t) {
  Type* ty = e.regType(t);
  bool fp = isFloat(t);
  switch (kind) {
    case ReduceKind::Sum:
      return Constant::getNullValue(ty);
    case ReduceKind::Prod:
      return fp ? ConstantFP::get(ty, 1.0) : ConstantInt::get(ty, 1);
    case ReduceKind::Min:
      if (fp) return ConstantFP::getInfinity(ty);
      if (t == DType::Bool) return e.b.getTrue();
      return ConstantInt::get(ty, APInt::getSignedMaxValue(ty->getIntegerBitWidth()));
    case ReduceKind::Max:
      if (fp) return ConstantFP::getInfinity(ty, /*Negative=*/true);
      if (t == DType::Bool) return e.b.getFalse();
      return ConstantInt::get(ty, APInt::getSignedMinValue(ty->getIntegerBitWidth()));
    case ReduceKind::None:
      break;
  }
  return nullptr;
}

/// acc (op) v. `reassoc` lets the vectorizer reorder float sums and products.
Value* combine(Emitter& e, ReduceKind kind, DType t, Value* acc, Value* v, bool reassoc) {
  IRBuilder<>& b = e.b;
  bool fp = isFloat(t);
  Value* r = nullptr;
  switch (kind) {
    case ReduceKind::Sum:
      r = fp ? b.CreateFAdd(acc, v) : b.CreateAdd(acc, v);
      break;
    case ReduceKind::Prod:
      r = fp ? b.CreateFMul(acc, v) : b.CreateMul(acc, v);
      break;
    case ReduceKind::Min:
      if (t == DType::Bool) return b.CreateAnd(acc, v);
      return b.CreateBinaryIntrinsic(fp ? Intrinsic::minimum : Intrinsic::smin, acc, v);
    case ReduceKind::Max:
      if (t == DType::Bool) return b.CreateOr(acc, v);
      return b.CreateBinaryIntrinsic(fp ? Intrinsic::maximum : Intrinsic::smax, acc, v);
    case ReduceKind::None:
      break;
  }
  if (fp && reassoc)
    if (auto* inst = dyn_cast<Instruction>(r)) inst->setHasAllowReassoc(true);
  return r;
}

Value* elementAsAccum(Emitter& e, Value* i) {
  return emitCast(e, e.emitElement(i), e.kernel.resultDType, e.kernel.accumDType);
}

/// One loop over the row with a single (vectorizable) accumulator.
Value* emitSimpleReduce(Emitter& e) {
  ReduceKind kind = e.kernel.reduce;
  DType t = e.kernel.accumDType;
  AllocaInst* acc = e.entryAlloca(e.regType(t), identity(e, kind, t), "acc");
  e.emitLoop(
      e.b.getInt64(0), e.n,
      [&](Value* i) {
        Value* v = elementAsAccum(e, i);
        Value* cur = e.b.CreateLoad(acc->getAllocatedType(), acc);
        e.b.CreateStore(combine(e, kind, t, cur, v, /*reassoc=*/true), acc);
      },
      "red");
  return e.b.CreateLoad(acc->getAllocatedType(), acc);
}

/// Pairwise float sum over blocks (step 2 of the algorithm).
Value* emitPairwiseSum(Emitter& e) {
  IRBuilder<>& b = e.b;
  DType t = e.kernel.accumDType;
  Type* ty = e.regType(t);
  Type* i64 = b.getInt64Ty();
  Value* zero = Constant::getNullValue(ty);
  ArrayType* stackTy = ArrayType::get(ty, kSumStackDepth);
  AllocaInst* stack = e.entryAlloca(stackTy, PoisonValue::get(stackTy), "sum.stack");
  AllocaInst* sp = e.entryAlloca(i64, b.getInt64(0), "sum.sp");
  AllocaInst* blockAcc = e.entryAlloca(ty, zero, "sum.block");
  auto slot = [&](Value* idx) { return b.CreateInBoundsGEP(stackTy, stack, {b.getInt64(0), idx}); };

  const int64_t shift = __builtin_ctzll(kSumBlock);
  Value* full = b.CreateLShr(e.n, shift);
  Value* partial =
      b.CreateZExt(b.CreateICmpNE(b.CreateAnd(e.n, kSumBlock - 1), b.getInt64(0)), i64);
  Value* blocks = b.CreateAdd(full, partial);
  e.emitLoop(
      b.getInt64(0), blocks,
      [&](Value* blk) {
        Value* begin = b.CreateShl(blk, shift);
        Value* end = b.CreateBinaryIntrinsic(Intrinsic::smin,
                                             b.CreateAdd(begin, b.getInt64(kSumBlock)), e.n);
        b.CreateStore(zero, blockAcc);
        e.emitLoop(
            begin, end,
            [&](Value* i) {
              Value* v = elementAsAccum(e, i);
              Value* cur = b.CreateLoad(ty, blockAcc);
              b.CreateStore(combine(e, ReduceKind::Sum, t, cur, v, /*reassoc=*/true), blockAcc);
            },
            "sum.inner");
        // push the block sum, then merge equal-sized neighbours
        Value* top = b.CreateLoad(i64, sp);
        b.CreateStore(b.CreateLoad(ty, blockAcc), slot(top));
        b.CreateStore(b.CreateAdd(top, b.getInt64(1)), sp);
        Value* merges =
            b.CreateBinaryIntrinsic(Intrinsic::cttz, b.CreateAdd(blk, b.getInt64(1)), b.getFalse());
        e.emitLoop(
            b.getInt64(0), merges,
            [&](Value*) {
              Value* q = b.CreateLoad(i64, sp);
              Value* lower = slot(b.CreateSub(q, b.getInt64(2)));
              Value* upper = slot(b.CreateSub(q, b.getInt64(1)));
              b.CreateStore(b.CreateFAdd(b.CreateLoad(ty, lower), b.CreateLoad(ty, upper)), lower);
              b.CreateStore(b.CreateSub(q, b.getInt64(1)), sp);
            },
            "sum.merge");
      },
      "sum.blocks");
  // fold the stack from the top (smallest partial sums first)
  Value* q = b.CreateLoad(i64, sp);
  AllocaInst* total = e.entryAlloca(ty, zero, "sum.total");
  b.CreateStore(b.CreateLoad(ty, slot(b.CreateSub(q, b.getInt64(1)))), total);
  e.emitLoop(
      b.getInt64(0), b.CreateSub(q, b.getInt64(1)),
      [&](Value* j) {
        Value* idx = b.CreateSub(b.CreateSub(q, b.getInt64(2)), j);
        b.CreateStore(b.CreateFAdd(b.CreateLoad(ty, slot(idx)), b.CreateLoad(ty, total)), total);
      },
      "sum.fold");
  return b.CreateLoad(ty, total);
}

/// state->acc = state->acc (op) row.
void combineIntoState(Emitter& e, Value* row) {
  IRBuilder<>& b = e.b;
  DType t = e.kernel.accumDType;
  ReduceKind kind = e.kernel.reduce;
  Value* slot = e.state; // acc is the first member of KernelState
  if (isFloat(t)) {
    Value* old = b.CreateLoad(e.regType(t), slot);
    b.CreateStore(combine(e, kind, t, old, row, /*reassoc=*/false), slot);
    return;
  }
  Value* old = b.CreateLoad(b.getInt64Ty(), slot);
  Value* narrow =
      t == DType::Bool ? b.CreateICmpNE(old, b.getInt64(0)) : b.CreateTrunc(old, e.regType(t));
  Value* r = combine(e, kind, t, narrow, row, false);
  b.CreateStore(
      t == DType::Bool ? b.CreateZExt(r, b.getInt64Ty()) : b.CreateSExt(r, b.getInt64Ty()), slot);
}

} // namespace

void emitReduction(Emitter& e) {
  bool pairwise = e.kernel.reduce == ReduceKind::Sum && isFloat(e.kernel.accumDType);
  Value* row = pairwise ? emitPairwiseSum(e) : emitSimpleReduce(e);
  combineIntoState(e, row);
}

} // namespace ravel::codegen
