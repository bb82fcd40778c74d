// KernelProvider: where the interpreter gets the machine code of a
// fusion::Kernel. The JIT (jit::KernelJit) compiles it on demand; an
// ahead-of-time artefact (aot/) looks it up in the table of kernels compiled
// into it. exec sees only this interface, so it links without LLVM.
#pragma once

#include "compiler/fusion/Kernel.h"
#include "runtime/StridedLoop.h"

#include <cstdint>

namespace ravel::fusion {

class KernelProvider {
public:
  virtual ~KernelProvider() = default;
  /// The inner-loop function of the kernel (the runtime/StridedLoop.h ABI;
  /// jit/KernelJit.h states the contract of calling it). Throws RavelError or
  /// InternalError when the kernel cannot be had.
  virtual InnerLoopFn compile(const Kernel& kernel) = 0;
  /// How many functions were freed so far. A pointer returned by compile()
  /// stays valid while this count is unchanged; callers that keep pointers
  /// compare it before reusing them.
  virtual int64_t evictions() const = 0;
};

} // namespace ravel::fusion
