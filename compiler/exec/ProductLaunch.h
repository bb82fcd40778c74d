// Running the launches fusion plans around matrix products: a product
// launch (BLAS into a new C-ordered array, `+ c` folded into gemm's beta)
// and an elementwise launch that is a product's epilogue (the product
// computed row panel by row panel, the kernel run on each panel while it is
// in cache). Launch.cpp runs every other launch and calls these.
#pragma once

#include "compiler/fusion/Fuse.h"
#include "compiler/fusion/KernelProvider.h"

#include <functional>
#include <string>
#include <vector>

namespace ravel::exec {

/// Runs an elementwise kernel loop (Launch.cpp's runElementwise: split over
/// the pool when large).
using LoopRunner = std::function<void(const StridedLoop&, InnerLoopFn)>;

/// Rows of a product computed per panel when an epilogue follows: enough
/// that OpenBLAS's packing of B, repeated per call, stays small next to the
/// panel's gemm, few enough that the panel is still in the (shared 32 MiB)
/// L3 when the epilogue reads it.
constexpr int64_t kEpiloguePanelBytes = int64_t(4) << 20;

/// Rows of a product computed per panel for a row-panel group (RowPanels.cpp):
/// larger, since each panel hands the cores from OpenBLAS's threads to
/// ravel's pool and back for several launches. Measured for the softmax of
/// a 4096x1024 product at two threads: 4 MiB panels 109-113 ms, 8 MiB
/// 95-98 ms (one thread: the same either way). With a kept value (the
/// exponentials) two panels of this size share the 32 MiB L3.
constexpr int64_t kRowPanelGroupBytes = int64_t(8) << 20;

/// Rows [begin, begin + rows) of a product computed as one panel.
struct RowPanel {
  int64_t begin = 0, rows = 0;
};

/// The row panels of an m x n product of `dtype` computed panel by panel:
/// about `panelBytes` each, cut where the whole product's BLAS tiles
/// are cut, at least two rows each (so each is a gemm, as the whole is).
/// An empty product has one empty panel.
std::vector<RowPanel> productRowPanels(int64_t m, int64_t n, DType dtype, int64_t panelBytes);

/// Computes rows `panel` of a @ b (2-d) into `dst` (panel.rows x n).
void productRows(const Array& a, const Array& b, RowPanel panel, const Array& dst);

/// What BLAS runs for the product of a and b ("cblas_dgemm", ...).
std::string productRoutine(const Array& a, const Array& b);

/// A product launch: the product of inputs[0] and inputs[1] (with
/// `launch.addend`, plus inputs[2]) into a new C-ordered array of the
/// launch's shape. In a dry run nothing is computed. `routine` receives what
/// ran ("cblas_dgemm x4", ...).
Array runProductLaunch(const fusion::KernelLaunch& launch, const std::vector<Array>& inputs,
                       bool dryRun, std::string& routine);

/// An elementwise launch whose input `launch.epilogueOf` is a product node
/// (inputs[epilogueOf] is ignored): for each row panel of `out` (a new
/// array of the launch's shape), computes the product's rows into a panel
/// buffer and runs `kernel` over those rows. Fills in kernel.layouts; in a
/// dry run only compiles.
void runEpilogueLaunch(const fusion::KernelLaunch& launch, fusion::Kernel& kernel,
                       const std::vector<Array>& inputs, const Array& out,
                       fusion::KernelProvider& provider, bool dryRun, const LoopRunner& runLoop,
                       std::string& routine);

} // namespace ravel::exec
