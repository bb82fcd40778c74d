// EmitMath: transcendental functions through SLEEF (libsleef.so.3, u10 =
// at most 1 ULP; hypot u05).
//
// Route (shared/TOOLCHAIN.md): each use is a call of the *scalar* SLEEF
// function (e.g. Sleef_expd1_u10purecfma) carrying the call-site attribute
// "vector-function-abi-variant", which tells the loop vectorizer the names of
// the 2/4/8-wide (double) and 4/8/16-wide (float) variants for the host ISA.
// The vector declarations are kept alive with llvm.compiler.used, or they are
// deleted before vectorization and the loop silently stays scalar.
//
// Position independence: the loop's scalar remainder calls the scalar FMA
// variant, which computes bit for bit what the AVX2/AVX-512 variants compute
// (checked by tests) -- except that SLEEF's vector sin/cos/tan pick one
// argument-reduction path for the whole vector (a fast path only if *every*
// lane is small), so a lane's result can depend on its neighbours. For those,
// the vector variant is a small wrapper emitted here: it classifies lanes by
// |x| against SLEEF's path thresholds and, for a mixed vector, calls the
// SLEEF vector function once per class present, with the other lanes replaced
// by an in-class value, so every lane takes the path the scalar call takes.
#include "compiler/codegen/Emitter.h"

#include <llvm/IR/Module.h>
#include <llvm/Transforms/Utils/ModuleUtils.h>

#include <string>
#include <vector>

namespace ravel::codegen {

using namespace llvm;

namespace {

struct MathInfo {
  const char* name; // SLEEF's function name
  const char* ulp;  // "u10" or "u05"
  int arity;
  bool pathDependent; // vector result depends on the other lanes' magnitudes
};

// Indexed by MathFn.
constexpr MathInfo kMath[] = {
    {"exp", "u10", 1, false},   {"log", "u10", 1, false},   {"sin", "u10", 1, true},
    {"cos", "u10", 1, true},    {"tanh", "u10", 1, false},  {"tan", "u10", 1, true},
    {"asin", "u10", 1, false},  {"acos", "u10", 1, false},  {"atan", "u10", 1, false},
    {"sinh", "u10", 1, false},  {"cosh", "u10", 1, false},  {"exp2", "u10", 1, false},
    {"expm1", "u10", 1, false}, {"log2", "u10", 1, false},  {"log10", "u10", 1, false},
    {"log1p", "u10", 1, false}, {"cbrt", "u10", 1, false},  {"atan2", "u10", 2, false},
    {"hypot", "u05", 2, false}, {"asinh", "u10", 1, false}, {"acosh", "u10", 1, false},
    {"atanh", "u10", 1, false},
};

/// |x| thresholds at which SLEEF 3.5's vector trig functions switch argument
/// reduction (TRIGRANGEMAX2/TRIGRANGEMAX for double, TRIGRANGEMAX2f for
/// float); NaN and inf belong to the last class.
std::vector<double> pathThresholds(DType t) {
  if (t == DType::Float64) return {15.0, 1e14};
  return {125.0};
}

/// Vector widths and SLEEF ISA suffixes available for the host.
std::vector<std::pair<int, const char*>> vectorVariants(VectorIsa isa, DType t) {
  bool f64 = t == DType::Float64;
  std::vector<std::pair<int, const char*>> v;
  if (isa == VectorIsa::Scalar) return v;
  v.push_back({f64 ? 2 : 4, "avx2128"});
  v.push_back({f64 ? 4 : 8, "avx2"});
  if (isa == VectorIsa::Avx512) v.push_back({f64 ? 8 : 16, "avx512f"});
  return v;
}

std::string sleefName(const MathInfo& m, DType t, int width, const char* isa) {
  return std::string("Sleef_") + m.name + (t == DType::Float64 ? "d" : "f") +
         std::to_string(width) + "_" + m.ulp + isa;
}

Function* declarePure(Module& module, const std::string& name, FunctionType* type) {
  Function* f = cast<Function>(module.getOrInsertFunction(name, type).getCallee());
  f->setDoesNotThrow();
  f->setWillReturn();
  f->setDoesNotAccessMemory();
  f->setDoesNotFreeMemory();
  f->setNoSync();
  return f;
}

/// The lane-class wrapper described at the top of the file.
Function* emitPathWrapper(Emitter& e, const MathInfo& m, DType t, Function* vec, int width) {
  std::string name =
      std::string("ravel.") + m.name + (t == DType::Float64 ? ".d" : ".f") + std::to_string(width);
  if (Function* existing = e.module.getFunction(name)) return existing;
  FunctionType* type = vec->getFunctionType();
  Function* f = Function::Create(type, GlobalValue::InternalLinkage, name, e.module);
  e.addTargetAttributes(f);
  f->setDoesNotAccessMemory();
  f->setWillReturn();
  IRBuilder<> b(BasicBlock::Create(e.ctx, "entry", f));
  Value* x = f->getArg(0);
  Type* vt = x->getType();
  Type* it = VectorType::get(b.getInt32Ty(), ElementCount::getFixed(width));
  Value* ax = b.CreateUnaryIntrinsic(Intrinsic::fabs, x);
  std::vector<double> thresholds = pathThresholds(t);
  Value* cls = Constant::getNullValue(it);
  for (double th : thresholds) // NaN compares unordered: last class
    cls = b.CreateAdd(cls, b.CreateZExt(b.CreateFCmpUGE(ax, ConstantFP::get(vt, th)), it));
  Value* first = b.CreateVectorSplat(width, b.CreateExtractElement(cls, uint64_t(0)));
  Value* uniform = b.CreateAndReduce(b.CreateICmpEQ(cls, first));
  BasicBlock* fast = BasicBlock::Create(e.ctx, "uniform", f);
  BasicBlock* mixed = BasicBlock::Create(e.ctx, "mixed", f);
  b.CreateCondBr(uniform, fast, mixed);
  b.SetInsertPoint(fast);
  b.CreateRet(b.CreateCall(vec, {x}));
  b.SetInsertPoint(mixed);
  Value* result = Constant::getNullValue(vt);
  for (size_t c = 0; c <= thresholds.size(); ++c) {
    Value* inClass = b.CreateICmpEQ(cls, ConstantInt::get(it, c));
    BasicBlock* call = BasicBlock::Create(e.ctx, "class", f);
    BasicBlock* next = BasicBlock::Create(e.ctx, "next", f);
    BasicBlock* from = b.GetInsertBlock();
    b.CreateCondBr(b.CreateOrReduce(inClass), call, next);
    b.SetInsertPoint(call);
    double representative = c == 0 ? 0.0 : thresholds[c - 1];
    Value* arg = b.CreateSelect(inClass, x, ConstantFP::get(vt, representative));
    Value* merged = b.CreateSelect(inClass, b.CreateCall(vec, {arg}), result);
    b.CreateBr(next);
    b.SetInsertPoint(next);
    PHINode* phi = b.CreatePHI(vt, 2);
    phi->addIncoming(result, from);
    phi->addIncoming(merged, call);
    result = phi;
  }
  b.CreateRet(result);
  appendToCompilerUsed(e.module, {f});
  return f;
}

} // namespace

Value* emitMathCall(Emitter& e, MathFn fn, DType t, ArrayRef<Value*> args) {
  const MathInfo& m = kMath[static_cast<int>(fn)];
  Type* scalar = e.regType(t);
  bool fma = e.target.isa != VectorIsa::Scalar;
  std::string scalarName = sleefName(m, t, 1, fma ? "purecfma" : "purec");
  std::vector<Type*> params(m.arity, scalar);
  Function* callee = declarePure(e.module, scalarName, FunctionType::get(scalar, params, false));

  std::string mappings;
  for (auto [width, isa] : vectorVariants(e.target.isa, t)) {
    Type* vt = VectorType::get(scalar, ElementCount::getFixed(width));
    std::vector<Type*> vparams(m.arity, vt);
    Function* vec =
        declarePure(e.module, sleefName(m, t, width, isa), FunctionType::get(vt, vparams, false));
    appendToCompilerUsed(e.module, {vec});
    if (m.pathDependent) vec = emitPathWrapper(e, m, t, vec, width);
    if (!mappings.empty()) mappings += ',';
    mappings += "_ZGV_LLVM_N" + std::to_string(width) + std::string(m.arity, 'v') + "_" +
                scalarName + "(" + vec->getName().str() + ")";
  }
  CallInst* call = e.b.CreateCall(callee, args);
  if (!mappings.empty())
    call->addFnAttr(Attribute::get(e.ctx, "vector-function-abi-variant", mappings));
  return call;
}

} // namespace ravel::codegen
