// The loops of a launch, shared by the plan executor (Launch.cpp) and the
// row-panel executor (RowPanels.cpp): elementwise loops split over the
// pool, axis reductions run in NumPy's order, and the memory order NumPy
// gives a kernel's value.
#pragma once

#include "compiler/fusion/Kernel.h"
#include "compiler/fusion/KernelProvider.h"
#include "runtime/Array.h"
#include "runtime/ResultDivisor.h"
#include "runtime/StridedLoop.h"

#include <cstdint>
#include <vector>

namespace ravel::exec {

/// NumPy adds a float sum in buffers of this many elements, one after
/// another (each buffer pairwise).
constexpr int64_t kSumBuffer = 8192;

LoopOperand operandOf(const Array& a);

/// Raises the errors a kernel reports in its flags that are not
/// floating-point warnings (an integer to a negative integer power).
void checkFlags(int64_t flags);

/// NumPy's ufunc name of a min/max reduction, for its empty-array error.
const char* reduceUfunc(fusion::ReduceKind r);

/// Whether a dense float array holds a NaN / an infinity (FpErrors.cpp;
/// a float reduction's own overflow shows there).
void scanNonFinite(const Array& a, bool& nan, bool& inf);

/// Whether `kernel` only copies its one input, unchanged, into its output.
bool copiesInput(const fusion::Kernel& kernel);

/// Runs an elementwise loop, split across the thread pool when it is large.
/// Elements are independent, so any split gives the same bits. Returns the
/// OR of the kernel's error flags. A `stoppable` loop (one writing fresh
/// memory nobody else sees yet) ends early on Ctrl-C and throws
/// KeyboardInterrupt on the calling thread; a loop writing into an existing
/// array always finishes. `copy` says the kernel only copies its input
/// (copiesInput): a transposing copy then moves register blocks.
int64_t runElementwise(const StridedLoop& loop, InnerLoopFn fn, bool stoppable = true,
                       bool copy = false);

/// Whether an elementwise loop writes `out` with streaming stores: large,
/// contiguous in memory order, in rows long enough to have aligned vectors.
bool streamsOutput(const StridedLoop& loop, const Array& out,
                   const std::vector<InnerLayout>& layouts);

/// The memory order NumPy gives a kernel's value (order='K', fastest axis
/// first) over the iteration space `iter` (see LaunchLoops.cpp).
std::vector<int> kernelAxisOrder(const fusion::Kernel& kernel, const std::vector<Array>& inputs,
                                 const Shape& iter, bool reduction);

/// The view of `a` along axes `kept` only (the others have length 1).
Array keptAxesView(const Array& a, const std::vector<int>& kept);

/// Whether a reduction adds (or takes min/max) element after element in
/// index order rather than pairwise: NumPy's order when the innermost memory
/// axis (the first of `order` longer than 1) is kept.
bool sumsSequentially(const fusion::Kernel& kernel, const Shape& iter,
                      const std::vector<int>& order, const std::vector<int>& kept);

/// A float sum or product: its own overflow (a result that is inf or NaN
/// from finite values) is NumPy's "encountered in reduce".
bool foldsFloats(const fusion::Kernel& k);

/// Runs a reduction's body elementwise over `iter`, storing nothing, as
/// `exact` (a copy of the reduction's kernel made exact): its exact
/// floating-point check. Returns the flags.
int64_t runReductionBody(fusion::Kernel exact, const std::vector<Array>& inputs, const Shape& iter,
                         fusion::KernelProvider& provider);

/// Runs the loops of an axis reduction of `inputs` (as given, broadcast to
/// `iter` here) over the axes `red`, one result per position of the axes
/// `kept` (listed slowest first), into `written` (C order over `kept`).
/// Sets kernel.layouts; `compiled` receives the kernel as it ran. In a dry
/// run it only compiles. Returns the OR of the kernel's error flags.
int64_t runAxisReduction(fusion::Kernel& kernel, const std::vector<Array>& inputs,
                         const Shape& iter, const std::vector<int>& kept,
                         const std::vector<int>& red, const ResultDivisor& divisor, Array& written,
                         fusion::KernelProvider& provider, bool dryRun, fusion::Kernel& compiled);

} // namespace ravel::exec
