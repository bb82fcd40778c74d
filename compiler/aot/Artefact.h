// What an ahead-of-time artefact carries, as plain C data: `ravel compile`
// emits it into the artefact's object (jit/ArtefactModule.cpp builds the same
// layout in LLVM IR, field by field) and the runtime (aot/Runner.cpp) reads
// it. No LLVM, no compiler types.
#pragma once

#include <cstddef>
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
  const char* cpu; // what it was compiled for: "x86-64-v3", or the host's name
  uint64_t cpuLength;
  const char* features; // aot/CpuCheck.h: the extensions its code may use
  uint64_t featuresLength;
};

/// An array crossing the C ABI of an exported function (the generated header
/// declares the same struct): the address of element [0, ..., 0], the dtype
/// (0 bool, 1 int32, 2 int64, 3 float32, 4 float64), and shape and byte
/// strides. `owner` is null for the caller's arrays; a result's owner keeps
/// ravel's memory alive until ravel_aot_release.
struct RavelAotArray {
  void* data;
  int32_t dtype;
  int32_t ndim;
  int64_t shape[32];
  int64_t strides[32];
  void* owner;
};

/// One exported function: its declaration, `f(float64[:], int64)`.
struct RavelAotExport {
  const char* signature;
  uint64_t signatureLength;
};

/// The body of every exported function. `args[k]` points at parameter k: a
/// RavelAotArray for an array parameter, the C scalar for a scalar one.
/// Returns 0 and fills `result` (a function returning None gives dtype -1),
/// or nonzero with the message in `error` (truncated to errorSize, always
/// NUL-terminated when errorSize > 0): 1 an error in the program, 2 an
/// argument that does not match the declaration, 3 an internal error.
int ravel_aot_call(const RavelAotArtefact* artefact, const RavelAotExport* function,
                   void* const* args, RavelAotArray* result, char* error, size_t errorSize);
/// Frees a result's memory (when nothing else in ravel holds it).
void ravel_aot_release(RavelAotArray* array);

/// An executable's main(): runs the artefact's program as `ravel script.rv`
/// would, with the same output, messages and exit status.
int ravel_aot_main(int argc, char** argv, const RavelAotArtefact* artefact);
}

namespace ravel::aot {
/// Bumped whenever RavelAotArtefact or the AST binary form changes.
constexpr uint64_t kRavelAotAbi = 2;
constexpr int kRavelAotMaxDims = 32;
} // namespace ravel::aot
