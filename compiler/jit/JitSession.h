// JitSession: a small wrapper around ORC's LLJIT (after LLVM's BuildingAJIT,
// chapter 1) plus the machine-code half of the compiler: the host
// TargetMachine, the O3 pass pipeline and assembly printing. Private to jit/.
#pragma once

#include "compiler/codegen/EmitKernel.h"

#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/Target/TargetMachine.h>

#include <memory>
#include <optional>
#include <string>

namespace ravel::jit {

class JitSession {
public:
  /// LLJIT for the host; throws InternalError with LLVM's message.
  /// `optLevel` (0..3) picks the pass pipeline and the code generator level.
  static std::unique_ptr<JitSession> create(int optLevel = 3);
  /// A session that only compiles, for a named x86-64 level
  /// ("x86-64-v2", "x86-64-v3", "x86-64-v4": ahead-of-time artefacts that
  /// run on any CPU of that level); no JIT. Its vector-math ISA follows the
  /// level (v2: scalar calls, v3: AVX2, v4: AVX-512).
  static std::unique_ptr<JitSession> createForCpu(int optLevel, const std::string& cpu);

  const llvm::DataLayout& dataLayout() const { return dataLayout_; }
  const codegen::CodegenTarget& target() const { return target_; }
  int optLevel() const { return optLevel_; }

  /// verifyModule (always: Debian's LLVM has assertions off) -> InternalError.
  void verify(const llvm::Module& module, const std::string& stage) const;
  /// The O`optLevel` pipeline with the host TargetMachine (so TTI knows
  /// AVX-512), loop and SLP vectorization on.
  void optimize(llvm::Module& module);
  std::string assembly(llvm::Module& module);
  /// A module with no functions for the host's triple and data layout (what
  /// kernel modules are linked into for --emit of a whole program).
  std::unique_ptr<llvm::Module> emptyModule(llvm::LLVMContext& ctx, const std::string& name) const;
  /// Machine code of an optimized module: an ELF relocatable object, as
  /// LLJIT's own compile layer would produce it (same TargetMachine settings).
  /// With `positionIndependent`, for linking into an executable or shared
  /// library ahead of time (PIC, same CPU and settings otherwise).
  std::string objectCode(llvm::Module& module, bool positionIndependent = false);
  /// Identity of everything besides the kernel that object code depends on:
  /// LLVM version, target triple, CPU, features, vector-math ISA, preferred
  /// vector width and optimisation level (part of the disk cache's key).
  std::string codegenSignature() const;

  /// Links an object (objectCode()'s, possibly from the disk cache) under a
  /// fresh ResourceTracker and returns the address of `symbol`.
  void* addObject(const std::string& object, const std::string& symbol,
                  llvm::orc::ResourceTrackerSP& tracker);
  /// Frees a module's code and symbols.
  void remove(const llvm::orc::ResourceTrackerSP& tracker);

private:
  JitSession() = default;
  /// The TargetMachine (and its PIC twin's builder) and data layout from
  /// `builder`.
  void setTargetMachine(llvm::orc::JITTargetMachineBuilder builder);
  std::unique_ptr<llvm::orc::LLJIT> jit_;
  std::unique_ptr<llvm::TargetMachine> tm_;
  std::optional<llvm::orc::JITTargetMachineBuilder> picBuilder_; // tm_'s, with PIC
  std::unique_ptr<llvm::TargetMachine> picTm_;                   // made on first use
  llvm::DataLayout dataLayout_{""};
  codegen::CodegenTarget target_;
  int optLevel_ = 3;
};

} // namespace ravel::jit
