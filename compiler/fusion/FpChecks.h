// FpChecks: which instructions of a kernel can raise NumPy's floating-point
// warnings (divide by zero, overflow, invalid value), under which ufunc name,
// and the KernelState::errorFlags bits kernels report them in. Shared by
// codegen (which emits the checks) and exec (which reads the bits back).
//
// Two kinds of kernel (Kernel::fpExact):
//  - probe kernels (the default, the fast path) set kErrorFpTrigger when a
//    value that may carry a warning is inf or NaN. One test covers a chain
//    of ops that keep a non-finite value non-finite (add, multiply, sqrt,
//    ...): only values with some other use, and the result, are tested.
//  - exact kernels set, per warning instruction ("slot"), one bit per
//    NumPy category, by NumPy's rule for that ufunc: NaN from non-NaN
//    operands is "invalid value", an infinity from finite operands is
//    "divide by zero" (x/0, log(0), 0**-1) or "overflow". The executor runs
//    the exact kernel only after a probe fired (or directly where a re-run is
//    impossible: in-place updates, product epilogues).
#pragma once

#include "compiler/fusion/Kernel.h"

#include <cstdint>
#include <vector>

namespace ravel::fusion {

/// NumPy's order of checks (PyUFunc_handlefperr): divide, over, (under), invalid.
enum class FpCategory : uint8_t { Divide = 0, Overflow = 1, Invalid = 2 };
constexpr int kFpCategories = 3;

/// Probe kernels: some value that may carry a warning was inf or NaN (or an
/// integer divisor was 0): run the exact kernel to find out.
constexpr int64_t kErrorFpTrigger = 4;
/// Exact kernels: the kernel's result was NaN / an infinity somewhere (how a
/// reduction's own overflow is told from its operands').
constexpr int64_t kErrorResultNaN = 8;
constexpr int64_t kErrorResultInf = 16;
/// Exact kernels: slot s, category c is bit kFpSlotBase + 3*s + c. Slots past
/// the last share it (the first of them names the ufunc).
constexpr int kFpSlotBase = 8;
constexpr int kFpMaxSlots = (64 - kFpSlotBase) / kFpCategories;

/// Flags after a probe kernel that call for the exact check.
inline bool fpSuspect(int64_t flags) {
  return (flags & (kErrorFpTrigger | kErrorInvalidCast)) != 0;
}

inline int64_t fpBit(int slot, FpCategory c) {
  return int64_t(1) << (kFpSlotBase + kFpCategories * slot + int(c));
}

/// NumPy's ufunc name for instruction `i` when it can raise a warning
/// ("divide", "square" for x**2, "cast", ...), else nullptr.
const char* fpUfunc(const Kernel& k, size_t i);
/// The slot of each instruction, -1 where it cannot warn.
std::vector<int> fpSlots(const Kernel& k);
/// Whether a probe kernel tests instruction i's value (see the banner).
std::vector<bool> fpProbed(const Kernel& k);
/// Whether any instruction of the kernel can warn at all.
bool fpCanWarn(const Kernel& k);
/// The message NumPy prints: "divide by zero encountered in divide".
std::string fpMessage(FpCategory c, const std::string& ufunc);

} // namespace ravel::fusion
