// Running a row-panel group (fusion::KernelLaunch::rowPanelsThrough): a
// matrix product computed one row panel at a time, every later launch of
// the plan run on each panel's rows right after BLAS wrote them.
//
// A softmax of a product, `z = X @ W + b; e = exp(z - z.max(axis=1,
// keepdims=True)); p = e / e.sum(axis=1, keepdims=True)`, is planned as
// k0 = X @ W, k1 = the row maxima, k2 = e, k3 = the row sums of e, k4 = p
// (when z and e are not live values: otherwise the product is also stored
// whole, and e is computed by k3 and k4 both). Run one after another, each
// launch reads the whole product (or e) from memory; here each reads one
// panel (ProductLaunch.h's kRowPanelGroupBytes) from cache, and a product
// or an e no live value needs only ever exists one panel at a time
// (KernelLaunch::panelOnly).
//
// Same bits as one launch after another:
//  - panels start where the whole product's BLAS tiles start
//    (productRowPanels), so each row of the product has the same bits;
//  - every later launch computes row i from row i of what it reads
//    (fusion's worksByRows): an elementwise kernel element by element, a
//    row reduction each row in one loop of the same length as for the
//    whole array;
//  - the layout decisions (a result's memory order, a sum pairwise or in
//    order) see the same layouts: every input read whole either broadcasts
//    along the rows (0-d, 1-d, one row) or is a C-contiguous (m, c) array,
//    whose row slices are C-contiguous too. Any other input makes
//    runRowPanels decline, and the launches run one after another.
// Floating-point warnings: each launch's flags are gathered over the
// panels and reported once all have run, in launch order, as one launch
// after another would report them. A panel whose cheap probe fired runs
// the exact kernel over its own rows at once, while they still exist.
#include "compiler/exec/Interpreter.h"

#include "compiler/exec/LaunchLoops.h"
#include "compiler/exec/ProductLaunch.h"
#include "compiler/fusion/FpChecks.h"

#include <algorithm>

namespace ravel::exec {
using fusion::KernelLaunch;
using fusion::ReduceKind;

namespace {

/// Whether an input read whole by a launch over m rows reads its rows the
/// same way panel by panel (see the banner).
bool readsByRows(const Array& x, int64_t m) {
  if (x.ndim() <= 1) return true;
  return x.ndim() == 2 && (x.shape()[0] == 1 || (x.shape()[0] == m && x.isCContiguous()));
}

/// Rows [begin, begin + rows) of an input read whole: itself when it
/// broadcasts along the rows.
Array rowsOf(const Array& x, RowPanel panel) {
  if (x.ndim() < 2 || x.shape()[0] == 1) return x;
  return x.sliceAxis(0, panel.begin, 1, panel.rows);
}

/// One launch of the group after the product.
struct Member {
  const KernelLaunch* launch = nullptr;
  fusion::Kernel kernel;   // as planned, with the layouts of the last panel
  fusion::Kernel compiled; // as it ran (explain shows it)
  Array out;               // the result (a row reduction's with its length-1 axis)
  Array written;           // what the kernel writes: out, or its (m,) view
  int64_t exactFlags = 0;  // the exact kernel's, over the panels whose probe fired
  bool reduction = false;
  bool panelOnly = false; // `out` holds one panel's rows (KernelLaunch::panelOnly)

  /// The rows of `whole` (out, or its (m,) view) that hold `panel`'s: from
  /// row 0 when only one panel's rows are kept. (rowsOf above cuts an input.)
  Array panelRowsOf(const Array& whole, RowPanel panel) const {
    return whole.sliceAxis(0, panelOnly ? 0 : panel.begin, 1, panel.rows);
  }
};

} // namespace

bool Interpreter::runRowPanels(const fusion::KernelPlan& plan, size_t first,
                               const LaunchInputOf& inputOf, std::vector<Array>& results,
                               int firstRecord, bool remember) {
  const KernelLaunch& prod = plan.launches[first];
  const size_t last = size_t(prod.rowPanelsThrough);
  const int64_t m = prod.iterShape[0], n = prod.iterShape[1];
  for (size_t j = first + 1; j <= last; ++j)
    for (size_t k = 0; k < plan.launches[j].inputs.size(); ++k)
      if (plan.launches[j].inputs[k].fromLaunch < int(first) && !readsByRows(inputOf(j, k), m))
        return false;

  const Array a = inputOf(first, 0), b = inputOf(first, 1);
  const DType dtype = prod.kernel.resultDType;
  const std::vector<RowPanel> panels = productRowPanels(m, n, dtype, kRowPanelGroupBytes);
  int64_t panelRows = 0;
  for (const RowPanel& p : panels) panelRows = std::max(panelRows, p.rows);
  // Remembered results of dead nodes hold their memory: free them first,
  // so the product reuses a warm block (see runPlan).
  std::erase_if(reductions_, [](const auto& e) { return e.second.first.expired(); });
  const Array product =
      prod.keepsProduct ? Array::empty({m, n}, dtype) : Array::empty({panelRows, n}, dtype);

  std::vector<Member> members;
  for (size_t j = first + 1; j <= last; ++j) {
    Member mb;
    mb.launch = &plan.launches[j];
    mb.kernel = mb.launch->kernel;
    mb.kernel.name = "k" + std::to_string(size_t(firstRecord) + j);
    mb.reduction = mb.kernel.reduce != ReduceKind::None;
    members.push_back(std::move(mb));
  }
  // The inputs of member i over one panel's rows.
  auto panelInputs = [&](size_t i, RowPanel panel, const Array& prodRows) {
    const size_t j = first + 1 + i;
    std::vector<Array> in;
    for (size_t k = 0; k < plan.launches[j].inputs.size(); ++k) {
      const int from = plan.launches[j].inputs[k].fromLaunch;
      const Member* source = from > int(first) ? &members[size_t(from) - first - 1] : nullptr;
      in.push_back(from == int(first) ? prodRows
                   : source           ? source->panelRowsOf(source->out, panel)
                                      : rowsOf(inputOf(j, k), panel));
    }
    return in;
  };

  for (const RowPanel& panel : panels) {
    const Array prodRows = prod.keepsProduct ? product.sliceAxis(0, panel.begin, 1, panel.rows)
                                             : product.sliceAxis(0, 0, 1, panel.rows);
    if (!dryRun_) productRows(a, b, panel, prodRows);
    for (size_t i = 0; i < members.size(); ++i) {
      Member& mb = members[i];
      const KernelLaunch& launch = *mb.launch;
      try {
        const std::vector<Array> in = panelInputs(i, panel, prodRows);
        const Shape iter{panel.rows, launch.iterShape[1]};
        const bool firstPanel = panel.begin == 0;
        if (firstPanel) {
          // The whole result, laid out as one launch would lay it out: the
          // first panel's inputs have the whole inputs' layouts.
          const std::vector<int> order = kernelAxisOrder(mb.kernel, in, iter, mb.reduction);
          if (mb.reduction && launch.root->shape.size() == 1) { // the last, (m,)
            mb.out = mb.written = Array::empty({m}, mb.kernel.accumDType);
            mb.kernel.sequential = sumsSequentially(mb.kernel, iter, order, {0});
          } else if (mb.reduction) {
            mb.out = Array::emptyInAxisOrder({m, 1}, mb.kernel.accumDType, order);
            mb.written = keptAxesView(mb.out, {0});
            mb.kernel.sequential = sumsSequentially(mb.kernel, iter, order, {0});
          } else {
            // A value kept only for the panel: one C-ordered panel's rows.
            mb.panelOnly = launch.panelOnly && order == std::vector<int>{1, 0};
            const Shape shape =
                mb.panelOnly ? Shape{panelRows, launch.iterShape[1]} : launch.iterShape;
            mb.out = mb.written = Array::emptyInAxisOrder(shape, mb.kernel.resultDType, order);
          }
        }
        Array rows = mb.panelRowsOf(mb.written, panel);
        int64_t flags = 0;
        fusion::Kernel exact = mb.kernel;
        std::function<int64_t()> rerun;
        if (mb.reduction) {
          flags = runAxisReduction(mb.kernel, in, iter, {0}, {1}, launch.divideResults, rows,
                                   kernelProvider_, dryRun_, mb.compiled);
          rerun = [&, in] { return runReductionBody(exact, in, iter, kernelProvider_); };
        } else {
          std::vector<LoopOperand> ops;
          for (const Array& x : in) ops.push_back(operandOf(x.broadcastTo(iter)));
          ops.push_back(operandOf(rows));
          StridedLoop loop(iter, ops, ops.size() - 1);
          mb.kernel.layouts = loop.innerLayouts();
          // Only the last result is not read again right away.
          mb.kernel.streamingStores =
              i + 1 == members.size() && streamsOutput(loop, mb.out, mb.kernel.layouts);
          InnerLoopFn fn = kernelProvider_.compile(mb.kernel);
          if (!dryRun_) flags = runElementwise(loop, fn);
          mb.compiled = exact = mb.kernel;
          rerun = [&, loop] {
            exact.streamingStores = false;
            return runElementwise(loop, kernelProvider_.compile(exact));
          };
        }
        checkFlags(flags);
        bool nan = false, inf = false;
        if (!dryRun_ && mb.reduction && foldsFloats(mb.kernel)) scanNonFinite(rows, nan, inf);
        if (!dryRun_ && (fusion::fpSuspect(flags) || nan || inf)) {
          exact.fpExact = true;
          exact.name += "_fp";
          mb.exactFlags |= rerun();
        }
      } catch (const RuntimeError& e) {
        rethrowWithSpan(e, launch.root->span);
      }
    }
    if (dryRun_) break; // one panel compiles every kernel
  }

  // Warnings in launch order, from the exact flags of the panels that had any.
  for (Member& mb : members) {
    fusion::Kernel ran = mb.kernel;
    ran.fpExact = true;
    ran.streamingStores = false;
    if (!dryRun_)
      checkFp(ran, mb.exactFlags, mb.launch->root->span, nullptr,
              mb.reduction && foldsFloats(mb.kernel) ? &mb.out : nullptr);
  }

  results[first] = prod.keepsProduct ? product : Array();
  if (remember && prod.keepsProduct) rememberReduction(prod.root, product);
  for (size_t i = 0; i < members.size(); ++i) {
    results[first + 1 + i] = members[i].panelOnly ? Array() : members[i].out;
    if (remember && members[i].reduction)
      rememberReduction(members[i].launch->root, members[i].out);
  }
  if (recording_ && remember) {
    int64_t most = 0, count = 0;
    for (const RowPanel& p : panels) {
      most = std::max(most, p.rows);
      count += p.rows > 0;
    }
    fusion::Kernel named = prod.kernel;
    named.name = "k" + std::to_string(size_t(firstRecord) + first);
    const std::string routine =
        productRoutine(a, b) + " in " + std::to_string(count) + " row panel" +
        (count == 1 ? "" : "s") + " of at most " + std::to_string(most) + " rows, k" +
        std::to_string(size_t(firstRecord) + first + 1) + "-k" +
        std::to_string(size_t(firstRecord) + last) + " run on each panel right after its product";
    recordLaunch(prod, named, {a, b}, product.nbytes(), product, firstRecord, routine);
    for (size_t i = 0; i < members.size(); ++i) {
      const size_t j = first + 1 + i;
      std::vector<Array> whole;
      for (size_t k = 0; k < plan.launches[j].inputs.size(); ++k) {
        const int from = plan.launches[j].inputs[k].fromLaunch;
        whole.push_back(from == int(first)  ? product
                        : from > int(first) ? members[size_t(from) - first - 1].out
                                            : inputOf(j, k));
      }
      recordLaunch(*members[i].launch, members[i].compiled, whole, members[i].out.nbytes(),
                   members[i].out, firstRecord);
    }
  }
  return true;
}

} // namespace ravel::exec
