// Product launches and product epilogues (see ProductLaunch.h).
//
// Epilogue fusion, for `maximum(0, X @ W + b)` with P = X @ W (m x n):
//  1. cut P's rows into panels of about kEpiloguePanelBytes;
//  2. for each panel, BLAS computes P[r0:r1] = X[r0:r1] @ W into one reused
//     panel buffer (beta = 0, the same call NumPy makes, so the same bits
//     per element as long as OpenBLAS's kernel does not depend on m, which
//     it does not: each element is one dot product over all of k);
//  3. the elementwise kernel runs over rows r0:r1 of every operand, reading
//     the panel buffer as its product input and writing out[r0:r1].
// P is never stored in full: the epilogue reads it from cache, and the
// separate pass NumPy makes over P (read it, write the result) is gone.
#include "compiler/exec/ProductLaunch.h"

#include "runtime/Blas.h"

#include <algorithm>

namespace ravel::exec {
namespace {

/// The (batch..., m, n) view of a product's result with its final shape.
Array coreView(const Array& result, const Array& a, const Array& b) {
  Shape core(a.shape().begin(), a.shape().end() - 1);
  core.push_back(b.shape().back());
  return result.reshapeView(core);
}

/// Panels start at multiples of this many rows. OpenBLAS computes C in
/// micro-tiles of a few rows (4 for its Haswell dgemm), and an element's
/// last bit can depend on its place in a tile (a full tile or the ragged
/// last one): panels cut where the whole product's tiles are cut give every
/// element the bits the whole product gives it. 64 is a multiple of every
/// kernel's tile height.
constexpr int64_t kPanelRowAlign = 64;

} // namespace

std::string productRoutine(const Array& a, const Array& b) {
  const size_t r = size_t(a.ndim() - 2);
  int64_t batch = 1;
  for (size_t d = 0; d < r; ++d) batch *= a.shape()[d];
  return blas::plannedRoutine(a.dtype(), a.shape()[r], b.shape()[r + 1], a.shape()[r + 1], batch);
}

std::vector<RowPanel> productRowPanels(int64_t m, int64_t n, DType dtype, int64_t panelBytes) {
  const int64_t rowBytes = std::max<int64_t>(1, n * itemSize(dtype));
  const int64_t panelRows =
      std::clamp<int64_t>(panelBytes / rowBytes / kPanelRowAlign * kPanelRowAlign, kPanelRowAlign,
                          std::max<int64_t>(m, 2));
  std::vector<RowPanel> panels;
  for (int64_t r0 = 0, rows = 0; r0 < m || (r0 == 0 && m == 0); r0 += rows) {
    rows = std::min(panelRows, m - r0);
    // A last panel of one row joins the one before it: BLAS would compute a
    // single row with gemv, whose sums may round differently from gemm's.
    if (m - r0 - rows == 1) ++rows;
    panels.push_back({r0, rows});
    if (rows == 0) break;
  }
  return panels;
}

void productRows(const Array& a, const Array& b, RowPanel panel, const Array& dst) {
  blas::ProductReport report;
  blas::matmul(a.sliceAxis(0, panel.begin, 1, panel.rows), b, dst, report);
}

Array runProductLaunch(const fusion::KernelLaunch& launch, const std::vector<Array>& inputs,
                       bool dryRun, std::string& routine) {
  const Array &a = inputs[0], &b = inputs[1];
  Array out = Array::empty(launch.iterShape, launch.kernel.resultDType);
  routine = productRoutine(a, b);
  if (dryRun) return out;
  if (launch.addend) out.assign(inputs[2]);
  blas::ProductReport report;
  blas::matmul(a, b, coreView(out, a, b), report, launch.addend);
  return out;
}

void runEpilogueLaunch(const fusion::KernelLaunch& launch, fusion::Kernel& kernel,
                       const std::vector<Array>& inputs, const Array& out,
                       fusion::KernelProvider& provider, bool dryRun, const LoopRunner& runLoop,
                       std::string& routine) {
  const size_t product = size_t(launch.epilogueOf);
  const graph::Node& p = *launch.inputs[product].node;
  const Array &a = p.srcs[0]->input, &b = p.srcs[1]->input;
  const Shape& iter = launch.iterShape;
  const int64_t n = iter[1];
  const std::vector<RowPanel> cuts = productRowPanels(iter[0], n, p.dtype, kEpiloguePanelBytes);
  int64_t panelRows = 1;
  for (const RowPanel& c : cuts) panelRows = std::max(panelRows, c.rows);
  Array panel = Array::empty({panelRows, n}, p.dtype);
  std::vector<Array> whole;
  for (size_t i = 0; i < inputs.size(); ++i)
    whole.push_back(i == product ? Array() : inputs[i].broadcastTo(iter));
  int64_t panels = 0, mostRows = 0;
  // An empty product still compiles the kernel (explain and the cache see
  // it) over its one empty panel.
  for (const RowPanel& c : cuts) {
    const int64_t r0 = c.begin, rows = c.rows;
    Array prodRows = panel.sliceAxis(0, 0, 1, rows);
    std::vector<LoopOperand> ops;
    for (size_t i = 0; i < inputs.size(); ++i) {
      const Array x = i == product ? prodRows : whole[i].sliceAxis(0, r0, 1, rows);
      ops.push_back({x.data(), x.strides(), x.itemsize()});
    }
    const Array dst = out.sliceAxis(0, r0, 1, rows);
    ops.push_back({dst.data(), dst.strides(), dst.itemsize()});
    StridedLoop loop({rows, n}, ops, ops.size() - 1);
    kernel.layouts = loop.innerLayouts();
    InnerLoopFn fn = provider.compile(kernel);
    if (rows == 0 || n == 0) break;
    ++panels;
    mostRows = std::max(mostRows, rows);
    if (dryRun) continue;
    productRows(a, b, c, prodRows);
    runLoop(loop, fn);
  }
  routine = productRoutine(a, b) + " in " + std::to_string(panels) + " row panel" +
            (panels == 1 ? "" : "s") + " of at most " + std::to_string(mostRows) +
            " rows, each panel's kernel run right after its product";
}

} // namespace ravel::exec
