// Fusion: the graph below a value that must be materialized becomes a list of
// kernel launches. Every maximal elementwise region is one kernel; a
// reduction fuses with the elementwise region that produces its input; a
// reduction whose result feeds further elementwise work is its own launch
// whose result the later launch reads as an input.
//
// Algorithm (fuse()):
//  1. Walk the graph from the root, iteratively. Input and Const nodes are
//     leaves; a Reduce node other than the root is planned first (recursively,
//     depth-limited by graph depth) and becomes a leaf of the current kernel.
//  2. Number the leaves in first-visit order: they are the kernel's inputs.
//  3. Emit one KInstr per node in post-order; interned nodes make CSE free.
//  4. A launch that stores into an existing array casts its result to the
//     target's dtype (NumPy's same_kind output casting, checked by the caller).
//  5. A matrix product (MatMul) is a launch of its own (BLAS, no kernel),
//     like a reduction, unless it is the epilogue's: an elementwise launch
//     into a new array whose iteration shape is the product's 2-d shape,
//     where no live value other than the root reaches the product (`shared`:
//     so it is never needed in full), computes it row panel by row panel and runs
//     its kernel on each panel while the panel is in cache. A root that is
//     exactly `P + c` (c an array of P's dtype) is a product launch that
//     writes c into the result first and adds P by gemm's beta = 1.
//     A product that several launches read (a row reduction and the
//     elementwise root of a softmax) may lead a row-panel group instead:
//     see KernelLaunch::rowPanelsThrough. The plan is then made again with
//     a costly value that a row reduction and a later launch both compute
//     (a softmax's exponentials) as a launch of its own, kept one panel at
//     a time (KernelLaunch::panelOnly).
//  6. A root that divides a reduction by a constant >= 1 (a mean), where no
//     other live value reaches the reduction, is the reduction's launch with
//     a divisor applied to each result as it is stored.
#pragma once

#include "compiler/fusion/Kernel.h"
#include "compiler/graph/Graph.h"
#include "runtime/ResultDivisor.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ravel::fusion {

/// Where a kernel input comes from: a materialized array (an Input node) or
/// the result of an earlier launch of the same plan.
struct LaunchInput {
  graph::NodeRef node; // Input node, or the Reduce node an earlier launch computes
  int fromLaunch = -1; // index of that earlier launch, or -1
  Array known;         // a Reduce node's result computed before this plan
};

/// Results the caller already has for some nodes (reductions computed by
/// earlier plans); those nodes become plain inputs.
using KnownResults = std::function<Array(const graph::Node*)>;

struct KernelLaunch {
  Kernel kernel;                   // layouts are filled in at run time
  std::vector<LaunchInput> inputs; // kernel input k reads inputs[k]
  graph::NodeRef root;             // the node this launch computes
  /// Elementwise: the output shape. Reduce: the shape of the reduced input.
  Shape iterShape;
  std::vector<int> reduceAxes; // Reduce: axes of iterShape folded away
  bool intoTarget = false;     // the final launch writes into a caller's array
  bool emptyIsError = false;   // Min/Max have no identity; Any/All do
  /// A product launch computes a MatMul root with BLAS (no kernel; `kernel`
  /// only names it and lists the operand dtypes): inputs are the operands,
  /// then, with `addend`, the c of a root `P + c` (written into the result
  /// first, the product added by gemm's beta = 1).
  bool product = false;
  bool addend = false;
  /// Product launches that lead a row-panel group: the index of the group's
  /// last launch (the plan's last), else -1. Every launch after this one
  /// needs the product and runs over its rows: elementwise over (m, c) or
  /// reducing axis 1 of (m, c) with keepdims (the last launch also
  /// without), so row i of each result needs only row i of what it reads (`e = exp(z -
  /// z.max(axis=1, keepdims=True)); e / e.sum(axis=1, keepdims=True)` of z = X @ W + b). The
  /// executor may compute the product one row panel at a time and run the whole group on each panel
  /// while it is in cache.
  int rowPanelsThrough = -1;
  /// With rowPanelsThrough: a live value other than the root reaches the
  /// product, so its rows are stored into a whole result (else each panel
  /// reuses one buffer).
  bool keepsProduct = false;
  /// An elementwise launch of a row-panel group whose value only later
  /// launches of the group read (the exponentials of a softmax, which the
  /// row sums and the division both read): kept one panel's rows at a time,
  /// never whole. Run one launch after another, it is a whole array.
  bool panelOnly = false;
  /// Elementwise launches: the input that is a MatMul node computed inside
  /// this launch, one row panel at a time, the kernel run on each panel
  /// right after its product (the product's epilogue); -1 when none.
  int epilogueOf = -1;
  /// Reduce launches whose root is the reduction divided by a constant
  /// (`x.mean(axis=1)`: `sum / n`): each result is divided as it is stored,
  /// instead of by a second launch reading and writing every result again.
  ResultDivisor divideResults;
};

struct KernelPlan {
  std::vector<KernelLaunch> launches; // in execution order; the last computes the root
};

/// True for a node that a live value other than the root reaches (so its
/// full result may be wanted later). Without it every node counts as
/// shared, and no product is fused into its epilogue.
using SharedNodes = std::function<bool(const graph::Node*)>;

/// Plans the launches that compute `root`. When `targetDType` is given, the
/// last launch stores into an existing array of that dtype.
KernelPlan fuse(const graph::NodeRef& root, std::optional<DType> targetDType = std::nullopt,
                const KnownResults& known = {}, const SharedNodes& shared = {});

/// Text form of a launch for `--emit=kernels` and `explain`: header, inputs,
/// one instruction per line.
/// `firstIndex` is the number of the plan's first launch, so "from kN"
/// references match the names explain shows.
std::string dumpLaunch(const KernelLaunch& launch, int firstIndex = 0);

/// RAVEL_CHECKs the plan's invariants: inputs precede their uses, kernels
/// verify, and the last launch computes the root.
void verify(const KernelPlan& plan);

} // namespace ravel::fusion
