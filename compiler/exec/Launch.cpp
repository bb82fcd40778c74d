// Running a kernel plan: allocate outputs, broadcast inputs to the iteration
// space, let the runtime's StridedLoop drive the JIT-compiled inner loops.
#include "compiler/exec/Interpreter.h"

#include "compiler/exec/LaunchLoops.h"
#include "compiler/exec/ProductLaunch.h"
#include "compiler/fusion/FpChecks.h"

#include <algorithm>
#include <unordered_set>

namespace ravel::exec {
using fusion::KernelLaunch;
using fusion::ReduceKind;

namespace {

bool sameView(const Array& a, const Array& b) {
  return a.data() == b.data() && a.shape() == b.shape() && a.strides() == b.strides() &&
         a.dtype() == b.dtype();
}

} // namespace

int64_t Interpreter::flattenSumInput(fusion::Kernel& kernel, std::vector<Array>& inputs,
                                     const Shape& iter, int64_t& allocated,
                                     fusion::Kernel& original, std::vector<Array>& originalInputs) {
  if (kernel.reduce != ReduceKind::Sum || !isFloat(kernel.accumDType) || kernel.sequential)
    return 0;
  std::vector<LoopOperand> ops;
  for (const Array& a : inputs) ops.push_back(operandOf(a.broadcastTo(iter)));
  if (ops.empty()) return 0;
  StridedLoop probe(iter, ops);
  if (probe.outerIterations() <= 1 || probe.innerLength() % kSumBuffer == 0) return 0;
  // Rows that do not merge into one run, cut across by NumPy's 8192-element
  // buffers: NumPy sums the values in its iterator's order, so ravel writes
  // them into one array laid out in that order (a temporary NumPy would also
  // have made) and sums that. The order is the one kernelAxisOrder gives a
  // reduction: an expression's temporary in its K order, or, for an array
  // read directly, its axes sorted by |stride|. Negatively strided axes keep
  // their index order (measured: `sum(x[:, ::-1].T)` matches only unflipped).
  original = kernel;
  originalInputs = inputs;
  fusion::Kernel values = kernel;
  values.reduce = ReduceKind::None;
  values.name = kernel.name + "_values";
  Array tmp =
      Array::emptyInAxisOrder(iter, kernel.accumDType, kernelAxisOrder(kernel, inputs, iter, true));
  allocated += tmp.nbytes();
  ops.push_back(operandOf(tmp));
  StridedLoop loop(iter, ops, ops.size() - 1);
  values.layouts = loop.innerLayouts();
  int64_t flags = runElementwise(loop, kernelProvider_.compile(values));

  fusion::Kernel sum;
  sum.name = kernel.name;
  sum.inputs = {kernel.accumDType};
  fusion::KInstr load{};
  load.op = fusion::KOp::Load;
  load.dtype = kernel.accumDType;
  load.input = 0;
  sum.body = {load};
  sum.result = 0;
  sum.resultDType = kernel.accumDType;
  sum.reduce = ReduceKind::Sum;
  sum.accumDType = kernel.accumDType;
  kernel = sum;
  inputs = {tmp};
  return flags;
}

void Interpreter::runPlan(const fusion::KernelPlan& plan, const Array* target, Array* result,
                          const std::vector<std::vector<Array>>* leaves, ReplayKernels* kernels) {
  ++planRuns_;
  const bool record = recording_ && !leaves;
  std::vector<Array> results(plan.launches.size());
  const size_t firstRecord = launches_.size();
  auto inputOf = [&](size_t li, size_t k) {
    const fusion::LaunchInput& in = plan.launches[li].inputs[k];
    return int(k) == plan.launches[li].epilogueOf ? Array() // computed inside the launch
           : in.fromLaunch >= 0                   ? results[size_t(in.fromLaunch)]
           : leaves                               ? (*leaves)[li][k]
           : in.known.valid()                     ? in.known
                                                  : in.node->input;
  };
  for (size_t li = 0; li < plan.launches.size(); ++li) {
    const KernelLaunch& launch = plan.launches[li];
    bool last = li + 1 == plan.launches.size();
    const Array* into = last ? target : nullptr;
    if (launch.rowPanelsThrough >= 0 &&
        runRowPanels(plan, li, inputOf, results, int(firstRecord), !leaves)) {
      li = size_t(launch.rowPanelsThrough);
      continue;
    }
    std::vector<Array> inputs;
    inputs.reserve(launch.inputs.size());
    for (size_t k = 0; k < launch.inputs.size(); ++k) inputs.push_back(inputOf(li, k));

    try {
      int64_t allocated = 0;
      if (launch.product || launch.epilogueOf >= 0) {
        fusion::Kernel kernel = launch.kernel;
        kernel.name = "k" + std::to_string(firstRecord + li);
        if (launch.product) {
          // Into fresh memory even with a target (which may be an operand,
          // `a @= b`): stored into it after the loop, as a reduction is.
          // Remembered results of dead nodes hold their memory: free them
          // before allocating, so a product reuses a warm block (an 8 MB
          // result on fresh pages costs ~20 ms of page faults here).
          std::erase_if(reductions_, [](const auto& e) { return e.second.first.expired(); });
          std::string routine = "BLAS";
          Array out = runProductLaunch(launch, inputs, dryRun_, routine);
          results[li] = out;
          if (graph::isProduct(launch.root->op)) rememberReduction(launch.root, out);
          if (recording_)
            recordLaunch(launch, kernel, inputs, out.nbytes(), out, int(firstRecord), routine);
          continue;
        }
        // The epilogue of a product: NumPy's result order, with the product as the C-ordered array
        // NumPy would hold (a C-ordered stand-in of its shape).
        const Shape& iter = launch.iterShape;
        Array out = Array::empty(iter, kernel.resultDType);
        inputs[size_t(launch.epilogueOf)] = out;
        const std::vector<int> order = kernelAxisOrder(kernel, inputs, iter, false);
        if (order != std::vector<int>{1, 0})
          out = Array::emptyInAxisOrder(iter, kernel.resultDType, order);
        allocated = out.nbytes();
        std::string routine = "BLAS";
        // The panels are gone once the epilogue ran: it checks exactly at once.
        kernel.fpExact = fusion::fpCanWarn(kernel);
        int64_t flags = 0;
        auto runLoop = [&](const StridedLoop& l, InnerLoopFn f) { flags |= runElementwise(l, f); };
        runEpilogueLaunch(launch, kernel, inputs, out, kernelProvider_, dryRun_, runLoop, routine);
        checkFlags(flags);
        if (kernel.fpExact) checkFp(kernel, flags, launch.root->span, nullptr, nullptr);
        inputs[size_t(launch.epilogueOf)] = Array();
        results[li] = out;
        if (recording_)
          recordLaunch(launch, kernel, inputs, allocated, out, int(firstRecord), routine);
        continue;
      }
      if (launch.kernel.reduce == ReduceKind::None) {
        const fusion::Kernel& planned = launch.kernel;
        Shape iter = into ? into->shape() : launch.iterShape;
        std::vector<int> order;
        if (!into) order = kernelAxisOrder(planned, inputs, iter, false);
        Array out = into ? *into : Array::emptyInAxisOrder(iter, planned.resultDType, order);
        if (!into) allocated = out.nbytes();
        std::vector<LoopOperand> ops;
        ops.reserve(inputs.size() + 1);
        bool inPlace = false;
        for (Array& a : inputs) {
          // An input partially overlapping the output would be overwritten
          // before it is read: NumPy semantics are "as if copied first".
          if (into && !sameView(a, out) && a.mayShareMemory(out)) a = a.copy();
          inPlace |= into && sameView(a, out);
          ops.push_back(a.shape() == iter ? operandOf(a) : operandOf(a.broadcastTo(iter)));
        }
        // An in-place update cannot be re-run to find what warned (its
        // inputs are gone): it checks exactly at once.
        const bool exactNow = inPlace && fusion::fpCanWarn(planned);
        ops.push_back(operandOf(out));
        // Iterate in the output's memory order: writes stay sequential.
        StridedLoop loop(iter, ops, ops.size() - 1);
        // A replay's layouts are the recorded ones: its kernel is too.
        InnerLoopFn fn = !exactNow && kernels && kernels->evictedAt == kernelProvider_.evictions()
                             ? kernels->fns[li]
                             : nullptr;
        fusion::Kernel kernel;
        if (!fn) {
          kernel = planned;
          // Recorded kernels are numbered k0, k1, ... in the order explain shows them.
          kernel.name = "k" + std::to_string(firstRecord + li);
          kernel.layouts = loop.innerLayouts();
          kernel.fpExact = exactNow;
          kernel.streamingStores = !exactNow && streamsOutput(loop, out, kernel.layouts);
          fn = kernelProvider_.compile(kernel);
          if (kernels && !exactNow) {
            if (kernels->evictedAt != kernelProvider_.evictions())
              kernels->fns.assign(plan.launches.size(), nullptr);
            kernels->evictedAt = kernelProvider_.evictions();
            kernels->fns[li] = fn;
          }
        }
        int64_t flags = 0;
        if (!dryRun_ && out.size() > 0)
          flags = runElementwise(loop, fn, /*stoppable=*/!into, copiesInput(planned));
        checkFlags(flags);
        if (exactNow || fusion::fpSuspect(flags)) {
          fusion::Kernel ran = planned;
          ran.layouts = loop.innerLayouts();
          ran.fpExact = exactNow;
          checkFp(
              ran, flags, launch.root->span,
              [&](const fusion::Kernel& k) {
                return runElementwise(loop, kernelProvider_.compile(k));
              },
              nullptr);
        }
        if (kernels && plan.launches.size() == 1) {
          // The loop of a one-launch replay serves the next replay, rebased.
          kernels->loop = loop;
          kernels->plannedData.clear();
          for (const LoopOperand& op : ops) kernels->plannedData.push_back(op.data);
          kernels->outOrder = order;
        }
        results[li] = out;
        if (record) recordLaunch(launch, kernel, inputs, allocated, out, int(firstRecord));
        continue;
      }

      // Reduction: iterate kept axes outside, run the kernel over reduced axes.
      fusion::Kernel kernel = launch.kernel;
      kernel.name = "k" + std::to_string(firstRecord + li);
      const Shape& iter = launch.iterShape;
      std::vector<int> kept, red;
      for (int d = 0; d < int(iter.size()); ++d) {
        bool r = std::find(launch.reduceAxes.begin(), launch.reduceAxes.end(), d) !=
                 launch.reduceAxes.end();
        (r ? red : kept).push_back(d);
      }
      Shape redShape;
      for (int d : red) redShape.push_back(iter[d]);
      int64_t redCount = checkedSize(redShape);
      // The result keeps the reduced value's memory order (NumPy's order='K'
      // over the kept axes). The kernel writes outputs in C order of `kept`,
      // so kept is listed slowest first and written through a C view.
      const std::vector<int> order = kernelAxisOrder(kernel, inputs, iter, true);
      std::vector<int> keptSlowestFirst;
      for (auto d = order.rbegin(); d != order.rend(); ++d)
        if (std::find(kept.begin(), kept.end(), *d) != kept.end()) keptSlowestFirst.push_back(*d);
      Shape outShape;
      for (int d : kept) outShape.push_back(iter[d]);
      std::vector<int> outFastestFirst, outPerm;
      for (auto d = keptSlowestFirst.rbegin(); d != keptSlowestFirst.rend(); ++d)
        outFastestFirst.push_back(int(std::find(kept.begin(), kept.end(), *d) - kept.begin()));
      for (auto d = outFastestFirst.rbegin(); d != outFastestFirst.rend(); ++d)
        outPerm.push_back(*d);
      // A keepdims result (the root has the iteration space's rank) is one
      // array with the reduced axes as length 1, placed where NumPy's
      // iterator puts them: in the reduced value's memory order. The kernel
      // writes its kept axes, the same memory.
      const bool keepDims = launch.root->shape.size() == iter.size() && !red.empty();
      Array withKeptAxes;
      if (keepDims) {
        Shape shape = iter;
        for (int d : red) shape[size_t(d)] = 1;
        withKeptAxes = Array::emptyInAxisOrder(shape, kernel.accumDType, order);
      }
      Array out = keepDims ? keptAxesView(withKeptAxes, kept)
                           : Array::emptyInAxisOrder(outShape, kernel.accumDType, outFastestFirst);
      allocated = out.nbytes();
      Array outWritten = kept == keptSlowestFirst ? out : out.transpose(outPerm);
      kept = keptSlowestFirst;
      outShape = outWritten.shape();
      if (redCount == 0 && launch.emptyIsError)
        throw RuntimeError(ErrorKind::Value,
                           std::string("zero-size array to reduction operation ") +
                               reduceUfunc(kernel.reduce) + " which has no identity");
      kernel.sequential = sumsSequentially(kernel, iter, order, kept);
      int64_t flags = 0;
      fusion::Kernel flattened; // the kernel and inputs before flattenSumInput, if it applied
      std::vector<Array> flattenedInputs;
      if (kept.empty() && !dryRun_)
        flags = flattenSumInput(kernel, inputs, iter, allocated, flattened, flattenedInputs);
      int64_t outCount = out.size();
      fusion::Kernel compiled; // what ran, as explain shows it
      flags |= runAxisReduction(kernel, inputs, iter, kept, red, launch.divideResults, outWritten,
                                kernelProvider_, dryRun_, compiled);
      checkFlags(flags);
      if (!dryRun_ && outCount > 0 && (foldsFloats(kernel) || fusion::fpSuspect(flags))) {
        const bool flat = !flattened.body.empty();
        const fusion::Kernel& body = flat ? flattened : kernel;
        const std::vector<Array>& bodyInputs = flat ? flattenedInputs : inputs;
        checkFp(
            body, flags, launch.root->span,
            [&](const fusion::Kernel& k) {
              return runReductionBody(k, bodyInputs, iter, kernelProvider_);
            },
            &out);
      }
      if (keepDims) out = withKeptAxes;
      results[li] = out;
      // A replayed plan's roots stand for no live node (CallPlan.h).
      if (!leaves) rememberReduction(launch.root, out);
      if (record) recordLaunch(launch, compiled, inputs, allocated, out, int(firstRecord));
    } catch (const RuntimeError& e) {
      // A data-dependent error (an empty max, a negative integer power)
      // points at the operation that failed, not at what needed its value.
      rethrowWithSpan(e, launch.root->span);
    }
  }
  if (target && !plan.launches.empty() &&
      (plan.launches.back().kernel.reduce != ReduceKind::None || plan.launches.back().product) &&
      !dryRun_) {
    // A reduction computes into fresh memory of its own (it never overlaps
    // the target); an assignment of it (`x[...] = a.sum(axis=1)`) then
    // stores it into the target, broadcast and cast as NumPy's setitem does.
    Array(*target).assign(results.back());
  }
  if (result) *result = results.back();
}

bool Interpreter::replayLoop(const CallPlan& plan, ArgRefs args, const Array* target, Array* result,
                             const Array* recycled) {
  ReplayKernels& k = plan.kernels;
  if (!k.loop || k.evictedAt != kernelProvider_.evictions() || !k.fns[0]) return false;
  const fusion::KernelLaunch& launch = plan.plan.launches[0];
  const std::vector<LeafCut>& cuts = plan.leaves[0];
  for (const LeafCut& cut : cuts)
    if (!cut.whole) return false;
  // An update of an argument in place could not be re-run to find what
  // warned: the full path checks it exactly.
  if (target)
    for (const LeafCut& cut : cuts)
      if (args[size_t(cut.param)]->array->data.mayShareMemory(*target)) return false;
  // The memory written: the target's, the recycled, else new.
  Array fresh;
  if (!target && !recycled)
    fresh = Array::emptyInAxisOrder(launch.iterShape, launch.kernel.resultDType, k.outOrder);
  const Array& out = target ? *target : recycled ? *recycled : fresh;
  k.offsets.resize(cuts.size() + 1);
  for (size_t i = 0; i < cuts.size(); ++i)
    k.offsets[i] = args[size_t(cuts[i].param)]->array->data.data() - k.plannedData[i];
  k.offsets[cuts.size()] = out.data() - k.plannedData[cuts.size()];
  k.loop->rebase(k.offsets.data());
  try {
    int64_t flags = out.size() > 0 ? runElementwise(*k.loop, k.fns[0], /*stoppable=*/!target,
                                                    copiesInput(launch.kernel))
                                   : 0;
    checkFlags(flags);
    if (fusion::fpSuspect(flags)) {
      fusion::Kernel ran = launch.kernel;
      ran.layouts = k.loop->innerLayouts();
      checkFp(
          ran, flags, launch.root->span,
          [&](const fusion::Kernel& e) {
            return runElementwise(*k.loop, kernelProvider_.compile(e));
          },
          nullptr);
    }
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, launch.root->span);
  }
  if (result && !target && !recycled) *result = std::move(fresh);
  return true;
}

void Interpreter::rememberReduction(const graph::NodeRef& node, const Array& result) {
  if (reductions_.size() > 1024) {
    std::erase_if(reductions_, [](const auto& e) { return e.second.first.expired(); });
  }
  reductions_[node.get()] = {node, result};
}

Array Interpreter::knownReduction(const graph::Node* node) const {
  auto it = reductions_.find(node);
  if (it == reductions_.end()) return {};
  // The pointer may name a newer node at a reused address: check identity.
  graph::NodeRef live = it->second.first.lock();
  return live.get() == node ? it->second.second : Array{};
}

void Interpreter::recordLaunch(const KernelLaunch& l, const fusion::Kernel& compiled,
                               const std::vector<Array>& inputs, int64_t allocated,
                               const Array& out, int firstIndex, const std::string& routine) {
  LaunchRecord r;
  r.routine = routine;
  fusion::KernelLaunch shown = l;
  shown.kernel = compiled;
  r.text = fusion::dumpLaunch(shown, firstIndex);
  r.kernel = compiled;
  r.span = currentStmt_ ? currentStmt_->span() : Span{};
  for (size_t i = 0; i < inputs.size(); ++i) {
    const int from = l.inputs[i].fromLaunch;
    r.inputFromRecord.push_back(from >= 0 ? firstIndex + from : -1);
    if (int(i) == l.epilogueOf) { // never in memory as a whole: read from cache, panel by panel
      r.inputNames.push_back("the product's row panels");
      r.inputBytes.push_back(0);
      r.inputIsView.push_back(false);
      r.inputViewOf.emplace_back();
      continue;
    }
    r.bytesRead += inputs[i].nbytes();
    r.inputBytes.push_back(inputs[i].nbytes());
    r.inputIsView.push_back(inputs[i].isView());
    std::string name;
    for (const auto& [g, v] : globals_) {
      if (v.isArray() && v.array->materialized() && v.array->data.data() == inputs[i].data() &&
          v.array->data.shape() == inputs[i].shape()) {
        name = g;
        break;
      }
    }
    r.inputNames.push_back(name.empty() ? "in" + std::to_string(i) : name);
    std::string viewOf;
    if (name.empty() && inputs[i].isView()) {
      const char* base = inputs[i].base().data();
      for (const auto& [g, v] : globals_)
        if (v.isArray() && v.array->materialized() && v.array->data.data() == base &&
            !v.array->data.isView()) {
          viewOf = g;
          break;
        }
    }
    r.inputViewOf.push_back(viewOf);
  }
  for (const fusion::KInstr& in : l.kernel.body)
    if (in.op != fusion::KOp::Load && in.op != fusion::KOp::Const) ++r.elementwiseOps;
  // NumPy would store every elementwise node of the region as an array of
  // that node's own shape (casts are buffered, not stored), except the
  // result of an elementwise launch, which is the output itself.
  // A divided reduction's root is the division (and casts) above the
  // reduction, which NumPy's mean does in place.
  const graph::Node* reduced = l.root.get();
  if (l.divideResults) {
    ++r.elementwiseOps;
    while (!graph::isReduce(reduced->op) && !reduced->srcs.empty())
      reduced = reduced->srcs[0].get();
  }
  const bool isReduction = graph::isReduce(reduced->op);
  const graph::Node* body = isReduction ? reduced->srcs[0].get() : reduced;
  // An input computed by another launch of the plan (a value kept for row
  // panels) is that launch's work, elementwise or not.
  std::unordered_set<const graph::Node*> inputNodes;
  for (const fusion::LaunchInput& in : l.inputs)
    if (in.fromLaunch >= 0) inputNodes.insert(in.node.get());
  graph::forEachNode({body}, [&](const graph::Node* x) {
    if (!graph::isElementwise(x->op) || inputNodes.count(x)) return false;
    if (x->op != graph::Op::Cast && !(x == body && !isReduction))
      r.numpyTemporaryBytes += checkedSize(x->shape) * itemSize(x->dtype);
    return true;
  });
  // A product NumPy stores in full before its epilogue reads it.
  if (l.epilogueOf >= 0) {
    const graph::Node& p = *l.inputs[size_t(l.epilogueOf)].node;
    r.numpyTemporaryBytes += checkedSize(p.shape) * itemSize(p.dtype);
  } else if (l.addend) {
    Shape core(l.inputs[0].node->shape.begin(), l.inputs[0].node->shape.end() - 1);
    core.push_back(l.inputs[1].node->shape.back());
    r.numpyTemporaryBytes += checkedSize(core) * itemSize(l.kernel.resultDType);
  }
  r.bytesWritten = out.nbytes();
  r.outType = std::string(dtypeName(out.dtype())) + " " + formatShape(out.shape());
  r.outData = out.data();
  r.bytesAllocated = allocated;
  launches_.push_back(std::move(r));
}

} // namespace ravel::exec
