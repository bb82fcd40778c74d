// Call plans: the kernels one call of a `def` ran, kept so that the next call
// on arguments of the same signature runs them on the new arguments without
// evaluating the body again (the embedding API's compiled functions call
// through Interpreter::callCompiled).
//
// A call is recorded only when replaying it is exact:
//  - the body is straight-line array arithmetic (isReplayableBody): names
//    assigned and returned, literals, operators, and calls of elementwise
//    ufuncs and reductions. Nothing prints, writes memory, draws random
//    numbers, or decides anything from element values;
//  - the whole call ran exactly one kernel plan, the result's: no value was
//    computed on the way (a NumPy scalar used as an axis, say);
//  - every leaf of that plan is a parameter's array or a view cut from a
//    parameter's memory (cutLeaves).
// The signature (callSignature) fixes everything the graph and the plan
// depend on: the function, each argument's dtype, shape and strides (arrays)
// or exact value (Python scalars), and the target's. So a replay runs the
// recorded kernels with the recorded layouts and shapes; only the memory they
// read and write is new, and host writes to it between calls are seen. The
// global names the body reads are checked to still mean what they meant.
#pragma once

#include "compiler/exec/Value.h"
#include "compiler/fusion/Fuse.h"
#include "runtime/StridedLoop.h"

#include <cstdint>
#include <list>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace ravel::exec {

/// Where one leaf input of a recorded launch comes from: parameter `param`'s
/// memory, viewed with this shape and strides, `offsetDelta` bytes from the
/// parameter's first element (`whole`: the parameter's array itself).
struct LeafCut {
  int param = -1;
  bool whole = false;
  int64_t offsetDelta = 0;
  Shape shape;
  Strides strides;
};

/// What a call's result depends on, besides the memory it reads. Equal
/// signatures build equal graphs and fuse to equal plans.
struct CallSignature {
  const void* site = nullptr;  // the def (a call) or the statement (StatementPlans.cpp)
  std::vector<uint64_t> words; // each argument (then the target) encoded
  bool operator==(const CallSignature& o) const { return site == o.site && words == o.words; }
};

struct CallSignatureHash {
  size_t operator()(const CallSignature& s) const;
};

/// A global name the body reads and what it meant when the call was recorded.
struct GlobalRead {
  std::string name;
  bool bound = false; // a global of the session (else numpy's builtin of that name)
  Value value;        // when bound: a module, builtin or Python scalar
};

/// The compiled elementwise kernels of a plan's launches, by launch (null:
/// not yet, or a reduction). Valid while the kernel provider has evicted as many kernels
/// as at `evictedAt` (KernelJit's contract: a pointer lives until eviction).
struct ReplayKernels {
  std::vector<InnerLoopFn> fns;
  int64_t evictedAt = -1;
  /// A one-launch elementwise plan over whole parameters runs its last loop
  /// again, rebased from the memory it was planned on (plannedData: inputs,
  /// then the output) to the call's; the layout is the signature's.
  std::optional<StridedLoop> loop;
  std::vector<char*> plannedData;
  std::vector<int> outOrder; // the result's axis order (no target)
  std::vector<int64_t> offsets;
};

struct CallPlan {
  fusion::KernelPlan plan;                  // leaf inputs hold no node (see leaves)
  mutable ReplayKernels kernels;            // filled by the first replay
  std::vector<std::vector<LeafCut>> leaves; // [launch][input]; param -1: an earlier launch
  std::vector<GlobalRead> globals;
  bool resultIsScalar = false; // the result is a NumPy scalar, not a 0-d array
};

/// Same meaning for a replay (GlobalRead): the same module, builtin or
/// Python scalar.
bool sameGlobal(const Value& a, const Value& b);

/// What a body a call plan can replay reads from outside the call.
struct ReplayableBody {
  std::vector<std::string> globals;      // global names read, first read first
  std::vector<const ast::Expr*> callees; // global-rooted callees: `sqrt`, `np.sqrt`
};
/// The body's outside reads when it has only forms a call plan can replay
/// (see the top of this file); nullopt otherwise. What the callees resolve
/// to is checked when a call is recorded (isReplayableBuiltin).
std::optional<ReplayableBody> replayableBody(const ast::FunctionDefStmt& fn);
/// The same for one expression (the value of a `name = expr` statement in a
/// loop): every name it reads is listed in `globals`, first read first.
std::optional<ReplayableBody> replayableExpression(const ast::Expr& e);

/// Builtins that only add graph nodes: elementwise ufuncs and reductions.
bool isReplayableBuiltin(const std::string& name);
/// Array methods that only add graph nodes (reductions).
bool isReplayableMethod(const std::string& name);

/// A replay's arguments, by reference: the values bound to the parameters
/// (a statement's operands are read where the names hold them, uncopied).
using ArgRefs = std::span<const Value* const>;

/// The signature of a call of `fn` with `args` (defaults already filled in)
/// writing into `target` (or not), or nullopt when an argument has no exact
/// signature: a tuple, a string, a 0-d array (NumPy's value-based casting
/// may read its value), a lazy array, a Python int beyond int64.
std::optional<CallSignature> callSignature(const void* site, const std::vector<Value>& args,
                                           const Array* target);
/// The same words appended to `words` (callSignature's, for a caller that
/// keeps its buffer and compares it with the last one); false where
/// callSignature gives nullopt.
bool encodeArguments(std::vector<uint64_t>& words, ArgRefs args, const Array* target);

/// Where each leaf input of `plan` comes from among the parameters' arrays;
/// false when a leaf is not cut from one (an array the body made, a result
/// known from before the call).
bool cutLeaves(const fusion::KernelPlan& plan, const std::vector<Value>& args,
               std::vector<std::vector<LeafCut>>& leaves);

/// The leaf arrays of a replay: each cut taken from the new arguments.
std::vector<std::vector<Array>> leafArrays(const CallPlan& plan, ArgRefs args);

/// A plan that keeps no graph node alive: leaf nodes dropped, each root
/// replaced by a node that keeps only what a launch reports (op, dtype,
/// shape, span). Recorded arguments' memory is not held by the cache.
fusion::KernelPlan detachedPlan(const fusion::KernelPlan& plan);

/// Recorded plans, least recently used evicted past a bound.
class CallPlanCache {
public:
  const CallPlan* find(const CallSignature& s);
  void insert(CallSignature s, CallPlan plan);
  size_t size() const { return entries_.size(); }
  /// Changes whenever a plan find() returned may have gone or changed
  /// (evicted, replaced): a caller keeping a plan's address across calls
  /// keeps it only while this is unchanged.
  uint64_t generation() const { return generation_; }
  static constexpr size_t kCapacity = 256;

private:
  uint64_t generation_ = 0;
  using Entry = std::pair<CallSignature, CallPlan>;
  std::list<Entry> lru_; // most recently used first
  std::unordered_map<CallSignature, std::list<Entry>::iterator, CallSignatureHash> entries_;
};

} // namespace ravel::exec
