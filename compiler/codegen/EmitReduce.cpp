// EmitReduce: the loop of a reduction kernel. The function folds the n values
// of its row into state->acc (Kernel.h, KernelState).
//
// Algorithm:
//  1. Every element is converted to the accumulator dtype (bool/int32 sums
//     and products accumulate in int64, as NumPy does).
//  2. Float sums reproduce NumPy 1.24 bit for bit. NumPy's reduce loop sees
//     the row in buffers of kSumChunk (8192, np.getbufsize()) elements and
//     does `acc = acc + pairwise_sum(chunk)` per buffer, where
//       P(a, n) = n < 8    ? ((-0 + a0) + a1) + ...  (-0: the sum of -0s is -0)
//               : n <= 128 ? 8 accumulators r[j] (elements i = j mod 8 of the
//                            first n - n % 8), folded as
//                            ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), then the
//                            n % 8 tail added in order
//               : P(a, n2) + P(a + n2, n - n2), n2 = n/2 rounded down to a
//                 multiple of 8.
//     The 8 accumulators are the lanes of one <8 x T> vector (8 lanes for
//     float32 too), so a leaf is vector code without `reassoc`. The
//     recursion is an explicit stack of (offset, length, stage, left sum)
//     frames; a chunk of 8192 needs at most 8 of them.
//     With Kernel::sequential (NumPy reducing an axis that is not the inner
//     loop: `out += a[i]` row by row) a float sum is the serial chain
//     acc += a[i] from state->acc. Float products are always that serial chain
//     (acc *= a[i]), as NumPy's multiply.reduce is. A sequential float
//     min/max is the serial chain with step 5's rule.
//  3. Other reductions are one loop with a vectorizable accumulator: integer
//     add/mul/smin/smax, bool and/or, and llvm.minimum/maximum for float
//     min/max (NaN-propagating: once NaN, always NaN). These are exact in
//     any order.
//  4. The row's value is combined with state->acc in the same way. Bool and
//     integer accumulators live in acc.i as int64.
//  5. Kernel::accumulateRows kernels are elementwise instead: acc[i] =
//     acc[i] (op) element(i), the accumulator being the last operand. This is
//     NumPy's own loop for a reduced axis that is not the inner one (the
//     binary ufunc loop with out = in1 = the accumulator row), so it is exact
//     for every kind: a float sum or product is the serial chain per output,
//     and float min/max is NumPy's `(acc < v || isnan(acc)) ? acc : v`
//     (`>` for max): NaN propagates (the first NaN is kept) and a tie
//     between -0.0 and +0.0 takes the new element, as NumPy's does
//     (llvm.minimum would order -0.0 below +0.0). Lanes are independent
//     outputs, so the loop vectorizes without reassociating anything.
#include "compiler/codegen/Emitter.h"

#include <llvm/IR/Intrinsics.h>

namespace ravel::codegen {

using namespace llvm;
using fusion::ReduceKind;

namespace {

/// Elements per reduce-loop call of NumPy's buffered iterator (bufsize).
constexpr int64_t kSumChunk = 8192;
/// NumPy's PW_BLOCKSIZE: the largest pairwise leaf.
constexpr int64_t kSumLeaf = 128;
/// Accumulators of a leaf (= vector lanes).
constexpr unsigned kSumLanes = 8;
/// Frames of the pairwise stack: 8 suffice for a chunk of 8192.
constexpr int kSumStackDepth = 16;

static_assert((kSumChunk & (kSumChunk - 1)) == 0, "chunk is a power of two");

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

/// acc (op) v. Float adds and multiplies carry no fast-math flags.
Value* combine(Emitter& e, ReduceKind kind, DType t, Value* acc, Value* v) {
  IRBuilder<>& b = e.b;
  bool fp = isFloat(t);
  switch (kind) {
    case ReduceKind::Sum:
      return fp ? b.CreateFAdd(acc, v) : b.CreateAdd(acc, v);
    case ReduceKind::Prod:
      return fp ? b.CreateFMul(acc, v) : b.CreateMul(acc, v);
    case ReduceKind::Min:
      if (t == DType::Bool) return b.CreateAnd(acc, v);
      return b.CreateBinaryIntrinsic(fp ? Intrinsic::minimum : Intrinsic::smin, acc, v);
    case ReduceKind::Max:
      if (t == DType::Bool) return b.CreateOr(acc, v);
      return b.CreateBinaryIntrinsic(fp ? Intrinsic::maximum : Intrinsic::smax, acc, v);
    case ReduceKind::None:
      break;
  }
  return nullptr;
}

Value* elementAsAccum(Emitter& e, Value* i) {
  return emitCast(e, e.emitElement(i), e.kernel.resultDType, e.kernel.accumDType);
}

/// Elements i .. i+7 as one <8 x T> vector (the SLP vectorizer turns the
/// eight scalar bodies into vector code where it can).
Value* lanesAsAccum(Emitter& e, Value* i) {
  IRBuilder<>& b = e.b;
  Value* v = PoisonValue::get(FixedVectorType::get(e.regType(e.kernel.accumDType), kSumLanes));
  for (unsigned j = 0; j < kSumLanes; ++j) {
    Value* idx = j == 0 ? i : b.CreateNSWAdd(i, b.getInt64(j));
    v = b.CreateInsertElement(v, elementAsAccum(e, idx), b.getInt64(j));
  }
  return v;
}

/// ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7)) for the lanes r of v.
Value* foldLanes(Emitter& e, Value* v) {
  IRBuilder<>& b = e.b;
  Value* pairs = b.CreateFAdd(b.CreateShuffleVector(v, ArrayRef<int>{0, 2, 4, 6}),
                              b.CreateShuffleVector(v, ArrayRef<int>{1, 3, 5, 7}));
  Value* quads = b.CreateFAdd(b.CreateShuffleVector(pairs, ArrayRef<int>{0, 2}),
                              b.CreateShuffleVector(pairs, ArrayRef<int>{1, 3}));
  return b.CreateFAdd(b.CreateExtractElement(quads, uint64_t(0)),
                      b.CreateExtractElement(quads, uint64_t(1)));
}

/// NumPy's pairwise leaf over elements [off, off + len), len <= 128.
Value* emitSumLeaf(Emitter& e, Value* off, Value* len) {
  IRBuilder<>& b = e.b;
  DType t = e.kernel.accumDType;
  Type* ty = e.regType(t);
  Type* vty = FixedVectorType::get(ty, kSumLanes);
  Value* negZero = ConstantFP::getNegativeZero(ty);
  Function* f = b.GetInsertBlock()->getParent();
  AllocaInst* lanes = e.entryAlloca(vty, PoisonValue::get(vty), "sum.lanes");
  AllocaInst* res = e.entryAlloca(ty, negZero, "sum.res");

  BasicBlock* vec = BasicBlock::Create(e.ctx, "sum.leaf.vec", f);
  BasicBlock* tail = BasicBlock::Create(e.ctx, "sum.leaf.tail", f);
  BasicBlock* short_ = b.GetInsertBlock();
  b.CreateCondBr(b.CreateICmpSGE(len, b.getInt64(kSumLanes)), vec, tail);

  // len >= 8: r = a[0..8); r += a[8k .. 8k+8) while 8k+8 <= len
  b.SetInsertPoint(vec);
  Value* body = b.CreateAnd(len, b.getInt64(~int64_t(kSumLanes - 1)));
  b.CreateStore(lanesAsAccum(e, off), lanes);
  e.emitLoop(
      b.getInt64(1), b.CreateLShr(body, 3),
      [&](Value* q) {
        Value* v = lanesAsAccum(e, b.CreateNSWAdd(off, b.CreateShl(q, 3)));
        b.CreateStore(b.CreateFAdd(b.CreateLoad(vty, lanes), v), lanes);
      },
      "sum.leaf.lanes");
  Value* folded = foldLanes(e, b.CreateLoad(vty, lanes));
  BasicBlock* vecEnd = b.GetInsertBlock();
  b.CreateBr(tail);

  // the rest in order: all of a short leaf (from -0.0), the len % 8 tail
  b.SetInsertPoint(tail);
  PHINode* start = b.CreatePHI(b.getInt64Ty(), 2, "sum.leaf.start");
  start->addIncoming(b.getInt64(0), short_);
  start->addIncoming(body, vecEnd);
  PHINode* init = b.CreatePHI(ty, 2, "sum.leaf.init");
  init->addIncoming(negZero, short_);
  init->addIncoming(folded, vecEnd);
  b.CreateStore(init, res);
  e.emitLoop(
      b.CreateNSWAdd(off, start), b.CreateNSWAdd(off, len),
      [&](Value* i) {
        b.CreateStore(b.CreateFAdd(b.CreateLoad(ty, res), elementAsAccum(e, i)), res);
      },
      "sum.leaf.seq");
  return b.CreateLoad(ty, res);
}

/// NumPy's pairwise_sum over [off, off + len), 0 < len <= kSumChunk, with an
/// explicit stack. A frame's stage is 0 (not started), 1 (left half running)
/// or 2 (right half running, left sum in `part`).
Value* emitPairwiseSum(Emitter& e, Value* off, Value* len) {
  IRBuilder<>& b = e.b;
  LLVMContext& ctx = e.ctx;
  DType t = e.kernel.accumDType;
  Type* ty = e.regType(t);
  Type* i64 = b.getInt64Ty();
  Function* f = b.GetInsertBlock()->getParent();
  ArrayType* idxTy = ArrayType::get(i64, kSumStackDepth);
  ArrayType* partTy = ArrayType::get(ty, kSumStackDepth);
  AllocaInst* fOff = e.entryAlloca(idxTy, PoisonValue::get(idxTy), "sum.off");
  AllocaInst* fLen = e.entryAlloca(idxTy, PoisonValue::get(idxTy), "sum.len");
  AllocaInst* fStage = e.entryAlloca(idxTy, PoisonValue::get(idxTy), "sum.stage");
  AllocaInst* fPart = e.entryAlloca(partTy, PoisonValue::get(partTy), "sum.part");
  AllocaInst* sp = e.entryAlloca(i64, b.getInt64(0), "sum.sp");
  AllocaInst* ret = e.entryAlloca(ty, Constant::getNullValue(ty), "sum.ret");
  auto at = [&](AllocaInst* arr, Value* k) {
    return b.CreateInBoundsGEP(arr->getAllocatedType(), arr, {b.getInt64(0), k});
  };
  auto push = [&](Value* o, Value* l) {
    Value* top = b.CreateLoad(i64, sp);
    b.CreateStore(o, at(fOff, top));
    b.CreateStore(l, at(fLen, top));
    b.CreateStore(b.getInt64(0), at(fStage, top));
    b.CreateStore(b.CreateNSWAdd(top, b.getInt64(1)), sp);
  };
  auto half = [&](Value* l) { // n2 = n / 2 - (n / 2) % 8
    return b.CreateAnd(b.CreateLShr(l, 1), b.getInt64(~int64_t(kSumLanes - 1)));
  };

  BasicBlock* loop = BasicBlock::Create(ctx, "sum.pw.loop", f);
  BasicBlock* start = BasicBlock::Create(ctx, "sum.pw.start", f);
  BasicBlock* leaf = BasicBlock::Create(ctx, "sum.pw.leaf", f);
  BasicBlock* split = BasicBlock::Create(ctx, "sum.pw.split", f);
  BasicBlock* right = BasicBlock::Create(ctx, "sum.pw.right", f);
  BasicBlock* join = BasicBlock::Create(ctx, "sum.pw.join", f);
  BasicBlock* next = BasicBlock::Create(ctx, "sum.pw.next", f);
  BasicBlock* done = BasicBlock::Create(ctx, "sum.pw.done", f);

  b.CreateStore(b.getInt64(0), sp);
  push(off, len);
  b.CreateBr(loop);

  b.SetInsertPoint(loop);
  Value* frame = b.CreateNSWSub(b.CreateLoad(i64, sp), b.getInt64(1));
  Value* o = b.CreateLoad(i64, at(fOff, frame));
  Value* l = b.CreateLoad(i64, at(fLen, frame));
  SwitchInst* sw = b.CreateSwitch(b.CreateLoad(i64, at(fStage, frame)), join, 2);
  sw->addCase(b.getInt64(0), start);
  sw->addCase(b.getInt64(1), right);

  // stage 0: a leaf, or descend into the left half
  b.SetInsertPoint(start);
  b.CreateCondBr(b.CreateICmpSLE(l, b.getInt64(kSumLeaf)), leaf, split);
  b.SetInsertPoint(leaf);
  b.CreateStore(emitSumLeaf(e, o, l), ret);
  b.CreateStore(frame, sp);
  b.CreateBr(next);
  b.SetInsertPoint(split);
  b.CreateStore(b.getInt64(1), at(fStage, frame));
  push(o, half(l));
  b.CreateBr(loop);

  // stage 1: the left sum is in ret; run the right half
  b.SetInsertPoint(right);
  b.CreateStore(b.CreateLoad(ty, ret), at(fPart, frame));
  b.CreateStore(b.getInt64(2), at(fStage, frame));
  Value* n2 = half(l);
  push(b.CreateNSWAdd(o, n2), b.CreateNSWSub(l, n2));
  b.CreateBr(loop);

  // stage 2: left + right
  b.SetInsertPoint(join);
  b.CreateStore(b.CreateFAdd(b.CreateLoad(ty, at(fPart, frame)), b.CreateLoad(ty, ret)), ret);
  b.CreateStore(frame, sp);
  b.CreateBr(next);

  b.SetInsertPoint(next);
  b.CreateCondBr(b.CreateICmpEQ(b.CreateLoad(i64, sp), b.getInt64(0)), done, loop);
  b.SetInsertPoint(done);
  return b.CreateLoad(ty, ret);
}

/// Float Sum/Prod straight into state->acc: NumPy's chunked pairwise sum, or
/// the serial chain (sequential sums, products).
void emitFloatSumProd(Emitter& e, bool serial) {
  IRBuilder<>& b = e.b;
  DType t = e.kernel.accumDType;
  ReduceKind kind = e.kernel.reduce;
  Type* ty = e.regType(t);
  Value* slot = e.state; // acc is the first member of KernelState
  AllocaInst* acc = e.entryAlloca(ty, Constant::getNullValue(ty), "acc");
  b.CreateStore(b.CreateLoad(ty, slot), acc);
  if (serial) {
    e.emitLoop(
        b.getInt64(0), e.n,
        [&](Value* i) {
          b.CreateStore(combine(e, kind, t, b.CreateLoad(ty, acc), elementAsAccum(e, i)), acc);
        },
        "red");
  } else {
    const int64_t shift = __builtin_ctzll(kSumChunk);
    Value* chunks = b.CreateLShr(b.CreateNSWAdd(e.n, b.getInt64(kSumChunk - 1)), shift);
    e.emitLoop(
        b.getInt64(0), chunks,
        [&](Value* c) {
          Value* off = b.CreateShl(c, shift);
          Value* len = b.CreateBinaryIntrinsic(Intrinsic::smin, b.CreateNSWSub(e.n, off),
                                               b.getInt64(kSumChunk));
          Value* p = emitPairwiseSum(e, off, len);
          b.CreateStore(b.CreateFAdd(b.CreateLoad(ty, acc), p), acc);
        },
        "sum.chunks");
  }
  b.CreateStore(b.CreateLoad(ty, acc), slot);
}

/// One loop over the row with a single (vectorizable) accumulator; only for
/// reductions that are exact in any order.
Value* emitSimpleReduce(Emitter& e) {
  ReduceKind kind = e.kernel.reduce;
  DType t = e.kernel.accumDType;
  AllocaInst* acc = e.entryAlloca(e.regType(t), identity(e, kind, t), "acc");
  e.emitLoop(
      e.b.getInt64(0), e.n,
      [&](Value* i) {
        Value* v = elementAsAccum(e, i);
        Value* cur = e.b.CreateLoad(acc->getAllocatedType(), acc);
        e.b.CreateStore(combine(e, kind, t, cur, v), acc);
      },
      "red");
  return e.b.CreateLoad(acc->getAllocatedType(), acc);
}

/// state->acc = state->acc (op) row.
void combineIntoState(Emitter& e, Value* row) {
  IRBuilder<>& b = e.b;
  DType t = e.kernel.accumDType;
  ReduceKind kind = e.kernel.reduce;
  Value* slot = e.state; // acc is the first member of KernelState
  if (isFloat(t)) {
    Value* old = b.CreateLoad(e.regType(t), slot);
    b.CreateStore(combine(e, kind, t, old, row), slot);
    return;
  }
  Value* old = b.CreateLoad(b.getInt64Ty(), slot);
  Value* narrow =
      t == DType::Bool ? b.CreateICmpNE(old, b.getInt64(0)) : b.CreateTrunc(old, e.regType(t));
  Value* r = combine(e, kind, t, narrow, row);
  b.CreateStore(
      t == DType::Bool ? b.CreateZExt(r, b.getInt64Ty()) : b.CreateSExt(r, b.getInt64Ty()), slot);
}

/// acc (op) v for one output of an accumulate-rows kernel (step 5).
Value* combineRow(Emitter& e, ReduceKind kind, DType t, Value* acc, Value* v) {
  IRBuilder<>& b = e.b;
  if (!isFloat(t) || kind == ReduceKind::Sum || kind == ReduceKind::Prod)
    return combine(e, kind, t, acc, v);
  Value* keep = kind == ReduceKind::Min ? b.CreateFCmpOLT(acc, v) : b.CreateFCmpOGT(acc, v);
  return b.CreateSelect(b.CreateOr(keep, b.CreateFCmpUNO(acc, acc)), acc, v);
}

} // namespace

void emitAccumulateRows(Emitter& e) {
  IRBuilder<>& b = e.b;
  const int acc = int(e.kernel.inputs.size());
  e.emitLoop(
      b.getInt64(0), e.n,
      [&](Value* i) {
        Value* v = elementAsAccum(e, i);
        Value* old = e.loadOperand(acc, i);
        e.storeOperand(acc, i, combineRow(e, e.kernel.reduce, e.kernel.accumDType, old, v));
      },
      "rows");
}

void emitReduction(Emitter& e) {
  ReduceKind kind = e.kernel.reduce;
  const DType t = e.kernel.accumDType;
  if (isFloat(t) && (kind == ReduceKind::Sum || kind == ReduceKind::Prod)) {
    emitFloatSumProd(e, /*serial=*/kind == ReduceKind::Prod || e.kernel.sequential);
    return;
  }
  if (isFloat(t) && e.kernel.sequential) {
    // Float min/max along an axis that is not the inner one: NumPy's binary
    // loop, one element after another from state->acc (step 5's rule).
    IRBuilder<>& b = e.b;
    AllocaInst* acc = e.entryAlloca(e.regType(t), identity(e, kind, t), "acc");
    b.CreateStore(b.CreateLoad(e.regType(t), e.state), acc);
    e.emitLoop(
        b.getInt64(0), e.n,
        [&](Value* i) {
          Value* cur = b.CreateLoad(acc->getAllocatedType(), acc);
          b.CreateStore(combineRow(e, kind, t, cur, elementAsAccum(e, i)), acc);
        },
        "chain");
    b.CreateStore(b.CreateLoad(acc->getAllocatedType(), acc), e.state);
    return;
  }
  combineIntoState(e, emitSimpleReduce(e));
}

} // namespace ravel::codegen
