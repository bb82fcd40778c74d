// What an ahead-of-time artefact carries, as plain C data: `ravel compile`
// emits it into the artefact's object (jit/ArtefactModule.cpp builds the same
// layout in LLVM IR, field by field) and the runtime (aot/Runner.cpp) reads
// it. No LLVM, no compiler types.
#pragma once

#include <cstdint>

extern "C" {

/// One precompiled kernel: its fusion::Kernel::cacheKey() and function (an
/// InnerLoopFn).
struct RavelAotKernel {
  const char* key;
  uint64_t keyLength;
  void* function;
};

struct RavelAotArtefact {
  /// kRavelAotAbi of the ravel that wrote it; the runtime refuses others.
  uint64_t abi;
  const char* program; // the checked program in ast::toBinary's form
  uint64_t programLength;
  const char* sourceName; // the script's path as given to `ravel compile`
  uint64_t sourceNameLength;
  const char* sourceText; // the script, for error messages
  uint64_t sourceTextLength;
  const RavelAotKernel* kernels; // sorted by key (bytewise, then shorter first)
  uint64_t kernelCount;
};

/// An executable's main(): runs the artefact's program as `ravel script.rv`
/// would, with the same output, messages and exit status.
int ravel_aot_main(int argc, char** argv, const RavelAotArtefact* artefact);
}

namespace ravel::aot {
/// Bumped whenever RavelAotArtefact or the AST binary form changes.
constexpr uint64_t kRavelAotAbi = 1;
} // namespace ravel::aot
