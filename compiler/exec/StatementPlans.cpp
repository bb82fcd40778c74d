// `name = expr` statements inside loops, recorded and replayed like calls of
// compiled functions (CallPlan.h): a loop that runs `x = x * 0.5 + 1` on a
// 10-element array 100,000 times builds the graph, plans the fusion and looks
// up the kernel once per operand signature, then runs the recorded kernel on
// each iteration's memory.
//
// The statement is treated as a function of the names its value reads: each
// name bound to an array or a Python number is a parameter (its value is in
// the signature, as for a call), every other name (sqrt, np) must still mean
// what it meant when the plan was recorded. Only small values take this path:
// every array operand holds at most kMaxElements elements. Larger ones stay
// lazy across iterations, where fusing several iterations into one pass over
// memory is worth more than the per-statement cost this saves.
//
// Semantics are unchanged: a replay computes what evaluating the statement
// and then its value would (the same kernels on the same layouts), and a
// small lazy operand is computed before the statement reads it, which NumPy
// would have done anyway.
#include "compiler/exec/CallPlan.h"
#include "compiler/exec/Interpreter.h"

namespace ravel::exec {

using namespace ast;

namespace {

/// Array operands up to this size replay; beyond, the statement is lazy.
constexpr int64_t kMaxElements = int64_t(1) << 14;
/// A site recorded this many times without a replay in between (a scalar
/// that changes every iteration, `x = x * i`) stops recording.
constexpr int kMaxUnusedRecordings = 8;

} // namespace

std::optional<Value> Interpreter::computeByPlan(const Expr& e, Frame& f) {
  if (dryRun_ || recording_) return std::nullopt;
  auto [siteIt, fresh] = statementSites_.try_emplace(&e);
  StatementSite& site = siteIt->second;
  if (fresh) site.body = replayableExpression(e);
  if (!site.body || site.declined > kMaxUnusedRecordings) return std::nullopt;

  // The names the value reads: parameters (arrays and Python numbers), or
  // names whose meaning a replay must find unchanged (GlobalRead).
  const std::vector<std::string>& names = site.body->globals;
  if (names.size() >= 64) return std::nullopt;
  std::vector<Value> args;
  args.reserve(names.size());
  std::vector<GlobalRead> meanings;
  uint64_t paramMask = 0;
  for (size_t k = 0; k < names.size(); ++k) {
    const Value* v = binding(names[k], f);
    if (!v) {
      meanings.push_back(GlobalRead{names[k], false, {}}); // NumPy's own name
      continue;
    }
    switch (v->kind) {
      case Value::Kind::Module:
      case Value::Kind::Builtin:
        meanings.push_back(GlobalRead{names[k], true, *v});
        continue;
      case Value::Kind::Bool:
      case Value::Kind::Int:
      case Value::Kind::Float:
        break;
      case Value::Kind::Array:
        if (v->array->isLazyView() || checkedSize(v->array->shape()) > kMaxElements)
          return std::nullopt;
        if (!v->array->materialized()) materialize(v->array, v->array->span);
        break;
      default:
        return std::nullopt;
    }
    args.push_back(*v);
    paramMask |= uint64_t(1) << k;
  }
  std::optional<CallSignature> signature = callSignature(&e, args, nullptr);
  if (!signature) return std::nullopt;
  signature->words.push_back(paramMask);

  Value result;
  if (const CallPlan* plan = callPlans_.find(*signature)) {
    if (bindingsUnchanged(*plan, f) && replayCall(*plan, args, nullptr, e.span(), result)) {
      ++site.replayed;
      ++loopValuesReplayed_;
      site.declined = 0;
      return result;
    }
  }

  // Evaluate, compute, and record when exactly the value's plan ran.
  const uint64_t runsBefore = planRuns_;
  result = eval(e, f);
  fusion::KernelPlan ran;
  bool resultIsScalar = false;
  if (result.isArray() && !result.array->materialized() && !result.array->isLazyView()) {
    resultIsScalar = result.array->isScalar;
    materialize(result.array, e.span(), &ran);
  }
  ++site.declined; // until a replay uses what is recorded here
  if (planRuns_ != runsBefore + 1 || ran.launches.empty()) return result;
  CallPlan plan;
  if (!cutLeaves(ran, args, plan.leaves)) return result;
  if (!calleesOnlyAddNodes(*site.body, f)) return result;
  plan.globals = std::move(meanings);
  plan.plan = detachedPlan(ran);
  plan.resultIsScalar = resultIsScalar;
  callPlans_.insert(std::move(*signature), std::move(plan));
  ++site.recorded;
  return result;
}

} // namespace ravel::exec
