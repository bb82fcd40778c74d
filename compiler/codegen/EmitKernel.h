// codegen: one fusion::Kernel -> one LLVM module holding one function with the
// InnerLoopFn ABI (runtime/StridedLoop.h). This header is the only public entry
// to codegen/; the op families live in EmitElementwise.cpp (scalar ops),
// EmitMath.cpp (SLEEF vector math), EmitReduce.cpp (reduction loops) and
// EmitKernel.cpp (function and loop structure).
//
// The generated IR is plain scalar code written so that LLVM's loop vectorizer
// can widen it: unit-stride GEPs for contiguous operands, hoisted loads for
// broadcast ones, noalias pointers, and no fast-math flags anywhere: float
// sums follow NumPy's pairwise order exactly (its 8 partial sums are the lanes
// of one explicit vector) and float products are a serial chain.
#pragma once

#include "compiler/fusion/Kernel.h"

#include <memory>
#include <string>

namespace llvm {
class DataLayout;
class LLVMContext;
class Module;
} // namespace llvm

namespace ravel::codegen {

/// Vector-math ISA the host supports (decides which SLEEF variants are called).
enum class VectorIsa : uint8_t {
  Scalar, // no AVX2+FMA: scalar SLEEF only (purec)
  Avx2,   // AVX2 + FMA: 2/4-wide double, 4/8-wide float variants
  Avx512, // AVX-512F as well: adds 8-wide double and 16-wide float variants
};

/// What codegen needs to know about the machine the code will run on.
struct CodegenTarget {
  std::string triple;
  std::string cpu;      // "target-cpu" function attribute, e.g. "rocketlake"
  std::string features; // "target-features", e.g. "+avx2,+avx512f,..."
  VectorIsa isa = VectorIsa::Scalar;
  /// "prefer-vector-width" function attribute in bits; 0 = the CPU's default.
  int preferVectorWidth = 0;
};

/// Function attribute of a kernel with streaming stores (Kernel.h): after
/// optimization, its vector stores aligned to their size are marked
/// non-temporal (markStreamingStores).
inline constexpr const char* kStreamingStoresAttr = "ravel-streaming-stores";

/// Named metadata of a module whose kernel the optimizer runs without the
/// SLP vectorizer (JitSession::optimize): an elementwise kernel with many
/// math calls or floating-point flag updates per element. The loop
/// vectorizer widens its loop (SLP leaves the vector loop as it is); SLP
/// would revisit only the scalar remainder, where its search of the long
/// chain of calls and flag ORs grows quadratically with their number (60
/// nested sin: 80 of the O3 pipeline's 110 ms). Reductions keep SLP: their
/// pairwise leaves are eight scalar bodies it turns into vector code.
inline constexpr const char* kSkipSlpMetadata = "ravel.skip-slp";

/// Marks the aligned vector stores of every kStreamingStoresAttr function in
/// `module` non-temporal. Runs after the optimizer: the loop vectorizer
/// refuses non-temporal scalar stores, and only the widened, aligned stores
/// it produces have a non-temporal instruction.
void markStreamingStores(llvm::Module& module);

/// Builds the module for `kernel` (verified first with fusion::verify). The
/// function is named `symbolName`, has external linkage and the InnerLoopFn
/// signature. The caller runs verifyModule and the optimizer.
std::unique_ptr<llvm::Module> emitKernel(const fusion::Kernel& kernel, llvm::LLVMContext& ctx,
                                         const llvm::DataLayout& layout,
                                         const std::string& symbolName,
                                         const CodegenTarget& target);

} // namespace ravel::codegen
