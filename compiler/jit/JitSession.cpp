// JitSession: LLJIT set-up, the optimizer and assembly printing.
//
//  1. Initialise the native target once and install an LLVM fatal-error
//     handler that prints the reason and aborts: LLVM is built without
//     exceptions, so nothing may unwind through its frames, and a silent
//     miscompile is worse than a crash with a message.
//  2. Detect the host (CPU name, features; AVX-512/AVX2+FMA decide the SLEEF
//     variants) and build LLJIT with an O3 code generator.
//  3. Resolve external symbols from libsleef.so.3 and from the process (libm's
//     fmod/pow for frem and llvm.pow).
#include "compiler/jit/JitSession.h"

#include "compiler/codegen/EmitKernel.h"

#include "runtime/Error.h"

#include <llvm/Analysis/TargetLibraryInfo.h>
#include <llvm/Config/llvm-config.h>
#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/IR/InstIterator.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/ErrorHandling.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/TargetParser/Host.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace ravel::jit {

using namespace llvm;

namespace {

[[noreturn]] void throwLLVM(const std::string& what, Error err) {
  throw InternalError(what + ": " + toString(std::move(err)));
}

void fatalErrorHandler(void*, const char* reason, bool) {
  std::fprintf(stderr, "ravel: internal compiler error (LLVM): %s\n", reason);
  std::abort();
}

void initializeLLVMOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    InitializeNativeTarget();
    InitializeNativeTargetAsmPrinter();
    InitializeNativeTargetAsmParser();
    install_fatal_error_handler(fatalErrorHandler, nullptr);
  });
}

codegen::VectorIsa detectIsa() {
  StringMap<bool> features = sys::getHostCPUFeatures();
  auto has = [&](const char* f) { return features.lookup(f); };
  codegen::VectorIsa isa = codegen::VectorIsa::Scalar;
  if (has("avx2") && has("fma")) isa = codegen::VectorIsa::Avx2;
  if (isa == codegen::VectorIsa::Avx2 && has("avx512f")) isa = codegen::VectorIsa::Avx512;
  if (const char* cap = std::getenv("RAVEL_VECTOR_ISA")) {
    if (std::strcmp(cap, "scalar") == 0) isa = codegen::VectorIsa::Scalar;
    if (std::strcmp(cap, "avx2") == 0 && isa == codegen::VectorIsa::Avx512)
      isa = codegen::VectorIsa::Avx2;
  }
  return isa;
}

/// After vectorization the vector-math declarations and wrappers that only
/// llvm.compiler.used kept alive are dead weight for codegen: drop the list,
/// the mapping attributes and every unused declaration/internal function.
void dropVectorMathAnchors(Module& module) {
  GlobalVariable* used = module.getGlobalVariable("llvm.compiler.used");
  if (!used) return;
  used->eraseFromParent();
  for (Function& f : module)
    for (Instruction& inst : instructions(f))
      if (auto* call = dyn_cast<CallInst>(&inst)) call->removeFnAttr("vector-function-abi-variant");
  for (bool changed = true; changed;) {
    changed = false;
    for (Function& f : make_early_inc_range(module)) {
      f.removeDeadConstantUsers();
      if (f.use_empty() && (f.isDeclaration() || f.hasLocalLinkage())) {
        f.eraseFromParent();
        changed = true;
      }
    }
  }
}

CodeGenOptLevel codeGenLevel(int optLevel) {
  RAVEL_CHECK(optLevel >= 0 && optLevel <= 3, "optimisation level out of range");
  constexpr CodeGenOptLevel kCodeGenLevels[] = {CodeGenOptLevel::None, CodeGenOptLevel::Less,
                                                CodeGenOptLevel::Default,
                                                CodeGenOptLevel::Aggressive};
  return kCodeGenLevels[optLevel];
}

} // namespace

void JitSession::setTargetMachine(orc::JITTargetMachineBuilder builder) {
  auto tm = builder.createTargetMachine();
  if (!tm) throwLLVM("cannot create the target machine for " + target_.cpu, tm.takeError());
  picBuilder_ = builder;
  picBuilder_->setRelocationModel(Reloc::PIC_);
  tm_ = std::move(*tm);
  dataLayout_ = tm_->createDataLayout();
}

std::unique_ptr<JitSession> JitSession::create(int optLevel) {
  initializeLLVMOnce();
  auto jtmb = orc::JITTargetMachineBuilder::detectHost();
  if (!jtmb) throwLLVM("cannot detect the host target", jtmb.takeError());
  jtmb->setCodeGenOptLevel(codeGenLevel(optLevel));

  std::unique_ptr<JitSession> s(new JitSession);
  s->optLevel_ = optLevel;
  s->target_.triple = jtmb->getTargetTriple().str();
  s->target_.cpu = jtmb->getCPU();
  s->target_.features = jtmb->getFeatures().getString();
  s->target_.isa = detectIsa();
  // 512-bit vectors when the SLEEF AVX-512 variants are used (their zmm ABI
  // needs min-legal-vector-width=512 anyway); measured: no loss on
  // memory-bound loops, faster reductions in cache.
  s->target_.preferVectorWidth = s->target_.isa == codegen::VectorIsa::Avx512 ? 512 : 0;

  s->setTargetMachine(*jtmb);

  auto jit = orc::LLJITBuilder().setJITTargetMachineBuilder(std::move(*jtmb)).create();
  if (!jit) throwLLVM("cannot create LLJIT", jit.takeError());
  s->jit_ = std::move(*jit);
  char prefix = s->dataLayout_.getGlobalPrefix();
  orc::JITDylib& dylib = s->jit_->getMainJITDylib();
  auto sleef = orc::DynamicLibrarySearchGenerator::Load("libsleef.so.3", prefix);
  if (!sleef) throwLLVM("cannot load libsleef.so.3", sleef.takeError());
  dylib.addGenerator(std::move(*sleef));
  auto process = orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(prefix);
  if (!process) throwLLVM("cannot search the process for symbols", process.takeError());
  dylib.addGenerator(std::move(*process));
  return s;
}

std::unique_ptr<JitSession> JitSession::createForCpu(int optLevel, const std::string& cpu) {
  initializeLLVMOnce();
  auto host = orc::JITTargetMachineBuilder::detectHost();
  if (!host) throwLLVM("cannot detect the host target", host.takeError());
  orc::JITTargetMachineBuilder jtmb(host->getTargetTriple());
  jtmb.setCPU(cpu);
  jtmb.setCodeGenOptLevel(codeGenLevel(optLevel));
  std::unique_ptr<JitSession> s(new JitSession);
  s->optLevel_ = optLevel;
  s->target_.triple = jtmb.getTargetTriple().str();
  s->target_.cpu = cpu;
  s->target_.isa = cpu == "x86-64-v4"   ? codegen::VectorIsa::Avx512
                   : cpu == "x86-64-v3" ? codegen::VectorIsa::Avx2
                                        : codegen::VectorIsa::Scalar;
  s->target_.preferVectorWidth = s->target_.isa == codegen::VectorIsa::Avx512 ? 512 : 0;
  s->setTargetMachine(jtmb);
  return s;
}

void JitSession::verify(const Module& module, const std::string& stage) const {
  std::string message;
  raw_string_ostream os(message);
  if (verifyModule(module, &os)) {
    os.flush();
    throw InternalError("invalid LLVM IR " + stage + " for module '" +
                        module.getModuleIdentifier() + "': " + message);
  }
}

void JitSession::optimize(Module& module) {
  LoopAnalysisManager lam;
  FunctionAnalysisManager fam;
  CGSCCAnalysisManager cgam;
  ModuleAnalysisManager mam;
  PipelineTuningOptions options;
  options.LoopVectorization = true;
  // Off by default in PipelineTuningOptions; off for kernels that codegen
  // marks (codegen::kSkipSlpMetadata).
  options.SLPVectorization = !module.getNamedMetadata(codegen::kSkipSlpMetadata);
  options.LoopInterleaving = true;
  options.LoopUnrolling = true;
  PassBuilder pb(tm_.get(), options);
  fam.registerPass(
      [&] { return TargetLibraryAnalysis(TargetLibraryInfoImpl(tm_->getTargetTriple())); });
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  const OptimizationLevel levels[] = {OptimizationLevel::O0, OptimizationLevel::O1,
                                      OptimizationLevel::O2, OptimizationLevel::O3};
  ModulePassManager mpm = optLevel_ == 0 ? pb.buildO0DefaultPipeline(OptimizationLevel::O0)
                                         : pb.buildPerModuleDefaultPipeline(levels[optLevel_]);
  mpm.run(module, mam);
  codegen::markStreamingStores(module);
  dropVectorMathAnchors(module);
}

std::string JitSession::assembly(Module& module) {
  SmallString<0> text;
  raw_svector_ostream os(text);
  legacy::PassManager pm;
  if (tm_->addPassesToEmitFile(pm, os, nullptr, CodeGenFileType::AssemblyFile))
    throw InternalError("the target cannot emit assembly");
  pm.run(module);
  return std::string(text.str());
}

std::unique_ptr<Module> JitSession::emptyModule(LLVMContext& ctx, const std::string& name) const {
  auto module = std::make_unique<Module>(name, ctx);
  module->setDataLayout(dataLayout_);
  module->setTargetTriple(target_.triple);
  return module;
}

std::string JitSession::objectCode(Module& module, bool positionIndependent) {
  TargetMachine* tm = tm_.get();
  if (positionIndependent) {
    if (!picTm_) {
      auto made = picBuilder_->createTargetMachine();
      if (!made) throwLLVM("cannot create the target machine", made.takeError());
      picTm_ = std::move(*made);
    }
    tm = picTm_.get();
  }
  SmallString<0> object;
  raw_svector_ostream os(object);
  legacy::PassManager pm;
  if (tm->addPassesToEmitFile(pm, os, nullptr, CodeGenFileType::ObjectFile))
    throw InternalError("the target cannot emit object code");
  pm.run(module);
  return std::string(object.str());
}

std::string JitSession::codegenSignature() const {
  return std::string("llvm ") + LLVM_VERSION_STRING + "\ntriple " + target_.triple + "\ncpu " +
         target_.cpu + "\nfeatures " + target_.features + "\nisa " +
         std::to_string(int(target_.isa)) + "\nvector width " +
         std::to_string(target_.preferVectorWidth) + "\nopt " + std::to_string(optLevel_) + "\n";
}

void* JitSession::addObject(const std::string& object, const std::string& symbol,
                            orc::ResourceTrackerSP& tracker) {
  tracker = jit_->getMainJITDylib().createResourceTracker();
  if (Error err = jit_->addObjectFile(tracker, MemoryBuffer::getMemBufferCopy(object, symbol)))
    throwLLVM("cannot add kernel object", std::move(err));
  auto address = jit_->lookup(symbol);
  if (!address) {
    Error removeErr = tracker->remove();
    consumeError(std::move(removeErr));
    throwLLVM("cannot link kernel '" + symbol + "'", address.takeError());
  }
  return address->toPtr<void*>();
}

void JitSession::remove(const orc::ResourceTrackerSP& tracker) {
  if (Error err = tracker->remove()) throwLLVM("cannot remove kernel", std::move(err));
}

} // namespace ravel::jit
