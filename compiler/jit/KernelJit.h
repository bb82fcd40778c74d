// KernelJit: compiles fusion::Kernels to native inner-loop functions with
// LLVM's ORC LLJIT and caches them by Kernel::cacheKey(). The only public
// header of jit/; no LLVM type appears here.
//
// Contract for callers of a compiled function (runtime/StridedLoop.h ABI):
//  - the output operand never partially overlaps an input. It may be the
//    identical view of an input (same address and strides: in-place `x += y`),
//    which is safe because each element is read before it is written at the
//    same index. Anything else that overlaps must be buffered by the caller:
//    the generated code marks every operand pointer `noalias`.
//  - `state` points at a fusion::KernelState. For reductions it must be
//    non-null with acc initialised (Kernel.h). Elementwise kernels touch only
//    errorFlags, only when a flag is raised, and accept a null state.
//  - a pointer returned by compile() stays valid until its kernel is evicted:
//    the cache holds cacheCapacity() kernels and evicts the least recently
//    compiled-or-hit one. Callers that keep pointers across many compile()
//    calls re-request them (a hit costs one key build and one hash lookup).
#pragma once

#include "compiler/fusion/Kernel.h"
#include "compiler/fusion/KernelProvider.h"
#include "runtime/StridedLoop.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ravel::jit {

struct CompileStats {
  int64_t compiled = 0;      // kernels emitted, optimized, compiled and linked
  int64_t diskHits = 0;      // kernels linked from the disk cache's object code
  int64_t cacheHits = 0;     // compile() calls answered from the in-memory cache
  double compileMillis = 0;  // total wall time of misses (compiled or from disk)
  double optimizeMillis = 0; //   of which: IR emission, verification and O3
  double codegenMillis = 0;  //   of which: instruction selection, disk and linking
  int64_t evicted = 0;       // kernels removed from the JIT by the cache bound
};

/// What an ahead-of-time artefact's object carries besides its kernels.
struct ArtefactContents {
  std::string descriptorSymbol; // the RavelAotArtefact global (aot/Artefact.h)
  std::string program;          // the checked program, ast::toBinary
  std::string sourceName, sourceText;
  bool withMain = false; // an executable's main(), calling ravel_aot_main
  /// Exported functions (aot/Signature.h declarations): each becomes a C
  /// function of that name calling ravel_aot_call.
  std::vector<std::string> exports;
  /// The CPU to compile for: empty for the host, else an x86-64 level
  /// ("x86-64-v3"); `cpuName` and `features` (aot/CpuCheck.h) are what the
  /// start-up check reads.
  std::string cpu;
  std::string cpuName, features;
};

class KernelJit final : public fusion::KernelProvider {
public:
  /// Sets up LLJIT for the host CPU (AVX-512 / AVX2 aware) and resolves
  /// libsleef.so.3 and process symbols. Throws InternalError with LLVM's
  /// message on failure. RAVEL_VECTOR_ISA=scalar|avx2|avx512 caps the vector
  /// math ISA (for testing the fallbacks).
  /// `optLevel` 0..3 is LLVM's optimisation level for every kernel (3 unless
  /// an embedding host asks otherwise). With `persistent`, compiled kernels
  /// are kept on disk between runs (DiskCache.h: where, the cap, and
  /// RAVEL_NO_CACHE); without it, or when the cache directory is unusable,
  /// every process compiles its own.
  static std::unique_ptr<KernelJit> create(int optLevel = 3, bool persistent = false);
  ~KernelJit() override;
  KernelJit(const KernelJit&) = delete;
  KernelJit& operator=(const KernelJit&) = delete;

  /// Compiled inner-loop function for the kernel; compiled once per
  /// cacheKey() (the kernel's name is not part of the key). Verifies the
  /// kernel and the generated IR; failures throw InternalError.
  InnerLoopFn compile(const fusion::Kernel& kernel) override;
  int64_t evictions() const override;
  /// Optimized IR text of the kernel's module (for --emit=llvm). The function
  /// is named after kernel.name, so the text is deterministic.
  std::string emitLLVM(const fusion::Kernel& kernel);
  /// Host assembly text of the optimized module (for --emit=asm).
  std::string emitAsm(const fusion::Kernel& kernel);
  enum class ProgramFormat { LLVM, Asm, Object };
  /// Every kernel of a program in one module, as IR text, assembly or an ELF
  /// object (--emit=llvm|asm|obj of a script): valid input to llc, as or ld.
  /// Identical kernels appear once; functions are named after the kernels
  /// (made unique with a suffix if two different kernels share a name).
  std::string emitProgram(const std::vector<fusion::Kernel>& kernels, ProgramFormat format);

  /// The ELF object of an ahead-of-time artefact (aot/Artefact.h): each
  /// kernel optimized as compile() would, under its `name` (which the caller
  /// makes unique to the artefact), the table of their cache keys, and
  /// `contents`. Position-independent, for executables and shared libraries.
  std::string emitArtefact(const std::vector<fusion::Kernel>& kernels,
                           const ArtefactContents& contents);

  /// Called with every kernel compile() is asked for (hit or miss) and its
  /// cache key, under the JIT's lock: how `ravel compile` learns which
  /// kernels a program runs. An empty function stops it.
  using CompileObserver = std::function<void(const fusion::Kernel&, const std::string& key)>;
  void setCompileObserver(CompileObserver observer);

  const CompileStats& stats() const;
  size_t cacheCapacity() const;
  /// Changes the bound (>= 1), evicting the oldest kernels if needed.
  void setCacheCapacity(size_t capacity);
  size_t cachedKernels() const;
  /// Host CPU name and vector-math ISA in use, e.g. "rocketlake/avx512".
  std::string targetDescription() const;

private:
  struct Impl;
  explicit KernelJit(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

} // namespace ravel::jit
