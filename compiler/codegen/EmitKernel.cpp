// EmitKernel: the function and loop structure of a kernel.
//
// Algorithm:
//  1. Emit an internal, always-inline *body* function whose operand pointers
//     are separate `noalias` arguments:
//       void body(i64 n, ptr noalias p0..pK, i64 s0..sK, ptr noalias state)
//     and the external ABI function (InnerLoopFn) that loads ptrs[k] and
//     strides[k] and calls it. Inlining turns the noalias arguments into
//     scoped alias metadata, so the vectorizer needs no runtime overlap checks.
//     Contract (KernelJit.h): the output never partially overlaps an input; it
//     may be the identical view, which is safe because every element is read
//     before it is written at the same index.
//  2. Return at once if n <= 0 (a zero-size operand's pointer is never read).
//  3. Hoist the loads of Broadcast inputs into the preheader.
//  4. Elementwise kernels: one counted loop storing the result per element;
//     reductions, including the elementwise "accumulate rows" variant:
//     EmitReduce.cpp.
//  5. Flush the error-flag word into state->errorFlags (only if set and
//     state is non-null).
#include "compiler/codegen/EmitKernel.h"
#include "compiler/codegen/Emitter.h"
#include "compiler/fusion/FpChecks.h"
#include "compiler/fusion/KernelVerify.h"

#include <llvm/IR/Function.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/IntrinsicsX86.h>
#include <llvm/IR/Module.h>

namespace ravel::codegen {

using namespace llvm;
using fusion::KOp;
using fusion::ReduceKind;

namespace {

/// Math calls plus flag updates in an elementwise kernel's function above
/// which the SLP vectorizer is skipped. Measured (LLVM 19, O3, this machine):
/// 8 nested sin (16) spend ~1 ms in SLP; 15 nested sin (30) 4 of 20 ms, 60
/// (120) 80 of 110 ms; an exact-check kernel of 8 nested exp (32) 49 of 65 ms.
constexpr int kSlpElementLimit = 16;

} // namespace

Emitter::Emitter(const fusion::Kernel& kernel, Module& module, const CodegenTarget& target)
    : ctx(module.getContext()), module(module), b(module.getContext()), kernel(kernel),
      target(target) {
  if (kernel.fpExact)
    fpSlots = fusion::fpSlots(kernel);
  else
    fpProbed = fusion::fpProbed(kernel);
}

Type* Emitter::regType(DType t) const {
  switch (t) {
    case DType::Bool:
      return Type::getInt1Ty(ctx);
    case DType::Int32:
      return Type::getInt32Ty(ctx);
    case DType::Int64:
      return Type::getInt64Ty(ctx);
    case DType::Float32:
      return Type::getFloatTy(ctx);
    case DType::Float64:
      return Type::getDoubleTy(ctx);
  }
  return nullptr;
}

Type* Emitter::memType(DType t) const {
  return t == DType::Bool ? Type::getInt8Ty(ctx) : regType(t);
}

AllocaInst* Emitter::entryAlloca(Type* type, Value* init, const char* name) {
  BasicBlock& entry = fn->getEntryBlock();
  IRBuilder<> eb(&entry, entry.begin());
  AllocaInst* slot = eb.CreateAlloca(type, nullptr, name);
  eb.CreateStore(init, slot);
  return slot;
}

void Emitter::orFlag(Value* cond, int64_t bit) {
  if (!flags_) flags_ = entryAlloca(b.getInt64Ty(), b.getInt64(0), "flags");
  ++flagUpdates_;
  Value* cur = b.CreateLoad(b.getInt64Ty(), flags_);
  Value* add = b.CreateSelect(cond, b.getInt64(bit), b.getInt64(0));
  b.CreateStore(b.CreateOr(cur, add), flags_);
}

void Emitter::addTargetAttributes(Function* f) const {
  if (!target.cpu.empty()) f->addFnAttr("target-cpu", target.cpu);
  if (!target.features.empty()) f->addFnAttr("target-features", target.features);
  if (target.preferVectorWidth > 0) {
    std::string width = std::to_string(target.preferVectorWidth);
    f->addFnAttr("prefer-vector-width", width);
    // The SLEEF 512-bit variants take zmm arguments: without this attribute a
    // CPU tuned for 256-bit vectors would split <8 x double> in the call ABI.
    f->addFnAttr("min-legal-vector-width", width);
  }
  f->addFnAttr(Attribute::NoUnwind);
  // Vectors live across a SLEEF call are spilled: without realignment the
  // 64-byte spill slots straddle cache lines, and each reload after a call
  // waits on a split store (exp(-x**2/2)*sin(x), 10^7 float64: 44 -> 29 ms).
  f->addFnAttr("stackrealign");
}

BranchInst* Emitter::emitLoop(Value* begin, Value* end, const std::function<void(Value*)>& body,
                              const char* name) {
  Function* f = b.GetInsertBlock()->getParent();
  BasicBlock* pre = b.GetInsertBlock();
  BasicBlock* loop = BasicBlock::Create(ctx, std::string(name) + ".body", f);
  BasicBlock* exit = BasicBlock::Create(ctx, std::string(name) + ".exit", f);
  b.CreateCondBr(b.CreateICmpSLT(begin, end), loop, exit);
  b.SetInsertPoint(loop);
  PHINode* i = b.CreatePHI(b.getInt64Ty(), 2, std::string(name) + ".i");
  i->addIncoming(begin, pre);
  body(i);
  Value* next = b.CreateNSWAdd(i, b.getInt64(1));
  i->addIncoming(next, b.GetInsertBlock());
  BranchInst* latch = b.CreateCondBr(b.CreateICmpEQ(next, end), exit, loop);
  b.SetInsertPoint(exit);
  return latch;
}

Value* Emitter::loadOperand(int k, Value* i) {
  Operand& op = operands[k];
  if (op.hoisted) return op.hoisted;
  Type* mem = memType(op.dtype);
  Value* addr = nullptr;
  switch (op.layout) {
    case InnerLayout::Contiguous:
      addr = b.CreateInBoundsGEP(mem, op.base, i);
      break;
    case InnerLayout::Strided:
    case InnerLayout::Broadcast: // only an output can be Broadcast here
      addr = b.CreateInBoundsGEP(b.getInt8Ty(), op.base, b.CreateNSWMul(i, op.stride));
      break;
  }
  Value* v = b.CreateAlignedLoad(mem, addr, MaybeAlign(1));
  return op.dtype == DType::Bool ? b.CreateICmpNE(v, b.getInt8(0)) : v;
}

void Emitter::storeOperand(int k, Value* i, Value* value) {
  Operand& op = operands[k];
  Type* mem = memType(op.dtype);
  Value* addr = op.layout == InnerLayout::Contiguous
                    ? b.CreateInBoundsGEP(mem, op.base, i)
                    : b.CreateInBoundsGEP(b.getInt8Ty(), op.base, b.CreateNSWMul(i, op.stride));
  if (op.dtype == DType::Bool) value = b.CreateZExt(value, b.getInt8Ty());
  b.CreateAlignedStore(value, addr, MaybeAlign(1));
}

Value* Emitter::emitElement(Value* i) {
  std::vector<Value*> values(kernel.body.size(), nullptr);
  for (size_t k = 0; k < kernel.body.size(); ++k) {
    const fusion::KInstr& in = kernel.body[k];
    switch (in.op) {
      case KOp::Load:
        values[k] = loadOperand(in.input, i);
        break;
      case KOp::Const:
        values[k] = emitConst(*this, in.dtype, in.constant);
        break;
      default:
        values[k] = emitInstr(*this, in, values);
        emitFpCheck(*this, k, values);
        break;
    }
  }
  Value* r = values[kernel.result];
  if (kernel.fpExact && isFloat(kernel.body[kernel.result].dtype)) {
    orFlag(b.CreateFCmpUNO(r, r), fusion::kErrorResultNaN);
    orFlag(b.CreateFCmpOEQ(b.CreateUnaryIntrinsic(Intrinsic::fabs, r),
                           ConstantFP::getInfinity(r->getType())),
           fusion::kErrorResultInf);
  }
  return r;
}

void Emitter::flushFlags() {
  if (!flags_) return;
  Value* f = b.CreateLoad(b.getInt64Ty(), flags_);
  Value* any = b.CreateAnd(b.CreateICmpNE(f, b.getInt64(0)),
                           b.CreateICmpNE(state, Constant::getNullValue(state->getType())));
  BasicBlock* set = BasicBlock::Create(ctx, "flags.set", fn);
  BasicBlock* done = BasicBlock::Create(ctx, "flags.done", fn);
  b.CreateCondBr(any, set, done);
  b.SetInsertPoint(set);
  Value* slot =
      b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), state, offsetof(fusion::KernelState, errorFlags));
  b.CreateStore(b.CreateOr(b.CreateLoad(b.getInt64Ty(), slot), f), slot);
  b.CreateBr(done);
  b.SetInsertPoint(done);
}

Value* Emitter::emitStreamingHead(const std::function<void(Value*)>& element) {
  // head = the elements before the output's first 64-byte boundary (all of
  // them for an output not aligned to its item size), run as usual; then
  // every operand moves on by head elements, and the rest of the loop sees
  // an output the optimizer knows is 64-byte aligned: its vector stores are
  // aligned, and JitSession marks them non-temporal (functions carrying
  // kStreamingStoresAttr).
  Operand& out = operands[kernel.inputs.size()];
  const int64_t size = int64_t(module.getDataLayout().getTypeStoreSize(memType(out.dtype)));
  Value* address = b.CreatePtrToInt(out.base, b.getInt64Ty());
  Value* toBoundary =
      b.CreateUDiv(b.CreateAnd(b.CreateNeg(address), b.getInt64(63)), b.getInt64(size));
  Value* itemAligned = b.CreateICmpEQ(b.CreateAnd(address, b.getInt64(size - 1)), b.getInt64(0));
  Value* head = b.CreateSelect(itemAligned, toBoundary, n);
  head = b.CreateSelect(b.CreateICmpSLT(head, n), head, n);
  emitLoop(b.getInt64(0), head, element, "head");
  for (Operand& op : operands) {
    if (op.hoisted) continue;
    op.base = op.layout == InnerLayout::Contiguous
                  ? b.CreateInBoundsGEP(memType(op.dtype), op.base, head)
                  : b.CreateInBoundsGEP(b.getInt8Ty(), op.base, b.CreateNSWMul(head, op.stride));
  }
  b.CreateAlignmentAssumption(module.getDataLayout(), out.base, 64);
  return b.CreateSub(n, head);
}

void Emitter::emitBody() {
  BasicBlock* entry = BasicBlock::Create(ctx, "entry", fn);
  BasicBlock* pre = BasicBlock::Create(ctx, "pre", fn);
  BasicBlock* ret = BasicBlock::Create(ctx, "ret", fn);
  b.SetInsertPoint(entry);
  b.CreateCondBr(b.CreateICmpSGT(n, b.getInt64(0)), pre, ret);
  b.SetInsertPoint(pre);
  for (size_t k = 0; k < kernel.inputs.size(); ++k) {
    if (operands[k].layout != InnerLayout::Broadcast) continue;
    operands[k].hoisted = loadOperand(static_cast<int>(k), b.getInt64(0));
  }
  if (kernel.reduce == ReduceKind::None) {
    int out = static_cast<int>(kernel.inputs.size());
    // An exact floating-point check without an output stores nothing.
    const bool store = operands.size() > kernel.inputs.size();
    auto element = [&](Value* i) {
      Value* v = emitElement(i);
      if (store) storeOperand(out, i, v);
    };
    Value* count = n;
    if (kernel.streamingStores) count = emitStreamingHead(element);
    BranchInst* latch = emitLoop(b.getInt64(0), count, element, "loop");
    // A loop calling vector math that also ORs flags (the floating-point
    // probe) would be interleaved like a reduction, 4 vectors per iteration,
    // spilling every vector register around each call (measured: exp(-x**2/2)
    // * sin(y) 20% slower); the loop without flags runs 1 vector at a time.
    int calls = 0;
    for (BasicBlock& bb : *fn)
      for (Instruction& inst : bb)
        if (auto* call = dyn_cast<CallInst>(&inst))
          calls += call->getCalledFunction() && !call->getCalledFunction()->isIntrinsic();
    if (calls > 0 && flags_) {
      MDNode* once = MDNode::get(ctx, {MDString::get(ctx, "llvm.loop.interleave.count"),
                                       ConstantAsMetadata::get(b.getInt32(1))});
      MDNode* id = MDNode::getDistinct(ctx, {nullptr, once});
      id->replaceOperandWith(0, id);
      latch->setMetadata(LLVMContext::MD_loop, id);
    }
    // A long element (many math calls or flag updates) is the loop
    // vectorizer's alone: see kSkipSlpMetadata.
    if (calls + flagUpdates_ > kSlpElementLimit) module.getOrInsertNamedMetadata(kSkipSlpMetadata);
    // Non-temporal stores are weakly ordered: drain them before returning.
    if (kernel.streamingStores) b.CreateIntrinsic(Intrinsic::x86_sse_sfence, {}, {});
  } else if (kernel.accumulateRows) {
    emitAccumulateRows(*this);
  } else {
    emitReduction(*this);
  }
  flushFlags();
  b.CreateBr(ret);
  b.SetInsertPoint(ret);
  b.CreateRetVoid();
}

void Emitter::emitFunctions(const std::string& symbol) {
  size_t numOperands = kernel.layouts.size();
  Type* i64 = b.getInt64Ty();
  Type* ptr = b.getPtrTy();

  // 1. The body function: separate noalias pointers, strides, state.
  std::vector<Type*> params{i64};
  params.insert(params.end(), numOperands, ptr);
  params.insert(params.end(), numOperands, i64);
  params.push_back(ptr);
  fn = Function::Create(FunctionType::get(b.getVoidTy(), params, false),
                        GlobalValue::InternalLinkage, symbol + ".body", module);
  addTargetAttributes(fn);
  fn->addFnAttr(Attribute::AlwaysInline);
  n = fn->getArg(0);
  n->setName("n");
  for (size_t k = 0; k < numOperands; ++k) {
    Operand op;
    op.dtype = k < kernel.inputs.size() ? kernel.inputs[k]
               : kernel.accumulateRows  ? kernel.accumDType
                                        : kernel.resultDType;
    op.layout = kernel.layouts[k];
    op.base = fn->getArg(1 + k);
    op.stride = fn->getArg(1 + numOperands + k);
    op.base->setName("p" + std::to_string(k));
    op.stride->setName("s" + std::to_string(k));
    fn->addParamAttr(1 + k, Attribute::NoAlias);
    operands.push_back(op);
  }
  state = fn->getArg(1 + 2 * numOperands);
  state->setName("state");
  fn->addParamAttr(1 + 2 * numOperands, Attribute::NoAlias);
  emitBody();

  // 2. The InnerLoopFn wrapper.
  Function* abi = Function::Create(FunctionType::get(b.getVoidTy(), {i64, ptr, ptr, ptr}, false),
                                   GlobalValue::ExternalLinkage, symbol, module);
  addTargetAttributes(abi);
  abi->getArg(0)->setName("n");
  abi->getArg(1)->setName("ptrs");
  abi->getArg(2)->setName("strides");
  abi->getArg(3)->setName("state");
  b.SetInsertPoint(BasicBlock::Create(ctx, "entry", abi));
  std::vector<Value*> args{abi->getArg(0)};
  for (size_t k = 0; k < numOperands; ++k)
    args.push_back(b.CreateLoad(ptr, b.CreateConstInBoundsGEP1_64(ptr, abi->getArg(1), k)));
  for (size_t k = 0; k < numOperands; ++k)
    args.push_back(b.CreateLoad(i64, b.CreateConstInBoundsGEP1_64(i64, abi->getArg(2), k)));
  args.push_back(abi->getArg(3));
  b.CreateCall(fn, args);
  b.CreateRetVoid();
  if (kernel.streamingStores) abi->addFnAttr(kStreamingStoresAttr); // the body is inlined here
}

void markStreamingStores(Module& module) {
  const DataLayout& layout = module.getDataLayout();
  for (Function& f : module) {
    if (!f.hasFnAttribute(kStreamingStoresAttr)) continue;
    MDNode* nontemporal = MDNode::get(
        f.getContext(),
        {ConstantAsMetadata::get(ConstantInt::get(Type::getInt32Ty(f.getContext()), 1))});
    for (BasicBlock& bb : f)
      for (Instruction& inst : bb) {
        auto* store = dyn_cast<StoreInst>(&inst);
        if (!store || !store->getValueOperand()->getType()->isVectorTy()) continue;
        const uint64_t size = layout.getTypeStoreSize(store->getValueOperand()->getType());
        if (size >= 16 && store->getAlign().value() >= size)
          store->setMetadata(LLVMContext::MD_nontemporal, nontemporal);
      }
  }
}

std::unique_ptr<Module> emitKernel(const fusion::Kernel& kernel, LLVMContext& ctx,
                                   const DataLayout& layout, const std::string& symbolName,
                                   const CodegenTarget& target) {
  fusion::verify(kernel);
  auto module = std::make_unique<Module>("ravel." + symbolName, ctx);
  module->setDataLayout(layout);
  module->setTargetTriple(target.triple);
  Emitter emitter(kernel, *module, target);
  emitter.emitFunctions(symbolName);
  return module;
}

} // namespace ravel::codegen
