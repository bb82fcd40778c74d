// The lazy whole-program dataflow graph. Variables are nodes; nothing is
// computed until a value is needed (printed, viewed, written into), and then
// the fusion stage turns the graph below it into kernels.
//
// Nodes are immutable and interned (hash-consed): building the same
// operation on the same sources twice yields the same node, so structural
// equality is pointer equality and common subexpressions are shared.
//
// Invariants (checked by verify()):
//  - srcs.size() == arityOf(op);
//  - dtype/shape are what sema/Rules gives for op applied to srcs
//    (elementwise srcs broadcast to shape, or are 0-d);
//  - Input nodes hold a valid Array whose shape and dtype equal the node's;
//  - Reduce nodes' axes are sorted, unique and in range of the source.
#pragma once

#include "compiler/diag/Source.h"
#include "runtime/Array.h"

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace ravel::graph {

enum class Op : uint8_t {
#define OP(name, family, arity, numpy) name,
#include "compiler/graph/Ops.def"
#undef OP
};

enum class Family : uint8_t { Leaf, Elementwise, Reduce, Product };

Family familyOf(Op op);
int arityOf(Op op);
const char* opName(Op op);    // "Add"
const char* numpyName(Op op); // "add", NumPy's ufunc name for messages
inline bool isElementwise(Op op) {
  return familyOf(op) == Family::Elementwise;
}
inline bool isReduce(Op op) {
  return familyOf(op) == Family::Reduce;
}
inline bool isProduct(Op op) {
  return familyOf(op) == Family::Product;
}
/// Ops computed by a launch of their own (a reduction, a matrix product):
/// a kernel that reads one sees it as an input, and its result, once
/// computed, is remembered for later plans.
inline bool isLaunchLeaf(Op op) {
  return isReduce(op) || isProduct(op);
}

struct Node;
using NodeRef = std::shared_ptr<const Node>;

struct Node {
  Op op;
  DType dtype;
  Shape shape;
  std::vector<NodeRef> srcs;
  Array input;           // Input: the materialized array read
  Scalar constant;       // Const: the value (dtype = node dtype)
  std::vector<int> axes; // Reduce: reduced axes of srcs[0] (all for a full reduction)
  Span span;             // the source this operation came from
  uint64_t serial = 0;   // creation order; identity for interning keys
  int opCount = 0;       // elementwise ops in the tree below (kernel size cap)
};

/// Creates interned nodes. One per session; nodes outlive it only through
/// the NodeRefs that values hold.
class Graph {
public:
  NodeRef input(const Array& array, Span span);
  NodeRef constant(Scalar value, Span span);
  /// Elementwise or reduce node; dtype and shape come from sema/Rules.
  NodeRef make(Op op, DType dtype, Shape shape, std::vector<NodeRef> srcs, Span span,
               std::vector<int> axes = {});
  /// Must be called after any in-place write: Input nodes made before it are
  /// not reused afterwards, since the memory they name now holds new data.
  void bumpEpoch() { ++epoch_; }

private:
  NodeRef intern(std::string key, Node node);
  std::unordered_map<std::string, std::weak_ptr<const Node>> table_;
  uint64_t nextSerial_ = 1;
  uint64_t epoch_ = 0;
};

/// Text form for `--emit=graph`: one node per line, numbered %0, %1, ... in
/// dependency order, e.g. `%2 = Add f64(3) %0 %1`.
std::string dump(const std::vector<NodeRef>& roots);

/// Visits every node reachable from `roots` once, iteratively (graphs can be
/// deep). `visit` returns false to leave that node's sources unvisited.
void forEachNode(const std::vector<const Node*>& roots,
                 const std::function<bool(const Node*)>& visit);

/// RAVEL_CHECKs the invariants listed at the top of this file.
void verify(const NodeRef& root);

} // namespace ravel::graph
