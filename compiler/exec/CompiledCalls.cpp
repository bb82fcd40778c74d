// Calls of a `def` that compute their result, recorded and replayed by
// signature (compiler/exec/CallPlan.h explains when that is exact).
#include "compiler/exec/CallPlan.h"
#include "compiler/exec/Interpreter.h"

namespace ravel::exec {

Value Interpreter::callCompiled(const Value& callee, std::vector<Value> args, const Array* target,
                                Span span) {
  const ast::FunctionDefStmt& fn = *callee.function;
  auto body = replayableBodies_.find(&fn);
  if (body == replayableBodies_.end())
    body = replayableBodies_.emplace(&fn, replayableBody(fn)).first;

  // The arguments as the call binds them: trailing defaults filled in.
  std::vector<Value> bound = args;
  const size_t firstDefault = fn.params.size() - callee.items.size();
  if (bound.size() >= firstDefault && bound.size() < fn.params.size())
    for (size_t i = bound.size(); i < fn.params.size(); ++i)
      bound.push_back(callee.items[i - firstDefault]);

  std::optional<CallSignature> signature;
  if (body->second && !dryRun_ && bound.size() == fn.params.size()) {
    // A target sharing memory with an argument takes the general path,
    // which copies what the write would overwrite before it is read.
    bool aliased = false;
    for (const Value& a : bound)
      aliased |=
          target && a.isArray() && a.array->materialized() && a.array->data.mayShareMemory(*target);
    if (!aliased) signature = callSignature(&fn, bound, target);
  }
  if (signature) {
    const CallPlan* plan = callPlans_.find(*signature);
    if (plan && bindingsUnchanged(*plan, Frame{})) {
      Value result;
      std::vector<const Value*> refs;
      refs.reserve(bound.size());
      for (const Value& v : bound) refs.push_back(&v);
      if (replayCall(*plan, refs, target, span, result)) {
        ++callsReplayed_;
        return result;
      }
    }
  }

  const uint64_t runsBefore = planRuns_;
  Value result = callUserFunction(callee, std::move(args), span);
  fusion::KernelPlan ran;
  bool resultIsScalar = false;
  if (target) {
    assignInto(*target, result, span, &ran);
    result = Value::none();
  } else if (result.isArray() && !result.array->materialized() && !result.array->isLazyView()) {
    resultIsScalar = result.array->isScalar;
    materialize(result.array, span, &ran);
  } else {
    return result; // a parameter, a view, a tuple ...: the caller computes what it needs
  }
  // Exactly one plan ran during the call: the one computing the result.
  if (signature && planRuns_ == runsBefore + 1 && !ran.launches.empty())
    recordCall(fn, std::move(*signature), ran, bound, resultIsScalar);
  return result;
}

void Interpreter::recordCall(const ast::FunctionDefStmt& fn, CallSignature signature,
                             const fusion::KernelPlan& ran, const std::vector<Value>& args,
                             bool resultIsScalar) {
  const ReplayableBody& body = *replayableBodies_.at(&fn);
  CallPlan plan;
  if (!cutLeaves(ran, args, plan.leaves)) return;
  Frame top;
  if (!calleesOnlyAddNodes(body, top)) return;
  for (const std::string& name : body.globals) {
    GlobalRead read{name, false, {}};
    if (auto it = globals_.find(name); it != globals_.end()) {
      read.bound = true;
      read.value = it->second;
      // Only a module, builtin or scalar can be compared on a replay (sameGlobal).
      if (!sameGlobal(read.value, read.value)) return;
    }
    plan.globals.push_back(std::move(read));
  }
  plan.plan = detachedPlan(ran);
  plan.resultIsScalar = resultIsScalar;
  callPlans_.insert(std::move(signature), std::move(plan));
  ++callsRecorded_;
}

const Value* Interpreter::binding(const std::string& name, const Frame& f) const {
  if (!f.global)
    if (auto it = f.locals.find(name); it != f.locals.end()) return &it->second;
  auto it = globals_.find(name);
  return it == globals_.end() ? nullptr : &it->second;
}

bool Interpreter::bindingsUnchanged(const CallPlan& plan, const Frame& f) const {
  for (const GlobalRead& read : plan.globals) {
    const Value* v = binding(read.name, f);
    if (read.bound != (v != nullptr)) return false;
    if (read.bound && !sameGlobal(read.value, *v)) return false;
  }
  return true;
}

bool Interpreter::calleesOnlyAddNodes(const ReplayableBody& body, Frame& f) {
  try {
    for (const ast::Expr* c : body.callees) {
      Value v = eval(*c, f);
      const bool builtin = v.kind == Value::Kind::Builtin && isReplayableBuiltin(v.name);
      const bool method = v.kind == Value::Kind::Method && v.array && isReplayableMethod(v.name);
      if (!builtin && !method) return false;
    }
  } catch (const RavelError&) {
    return false;
  }
  return true;
}

bool Interpreter::replayCall(const CallPlan& plan, ArgRefs args, const Array* target, Span span,
                             Value& result) {
  // The general path reports a read-only target.
  if (target && !target->writeable()) return false;
  if (target) {
    protectBuffer(target->buffer().get());
    if (replayLoop(plan, args, target, nullptr)) {
      graph_.bumpEpoch();
      result = Value::none();
      return true;
    }
    try {
      const std::vector<std::vector<Array>> leaves = leafArrays(plan, args);
      runPlan(plan.plan, target, nullptr, &leaves, &plan.kernels);
    } catch (const RuntimeError& e) {
      rethrowWithSpan(e, span);
    }
    graph_.bumpEpoch();
    result = Value::none();
    return true;
  }
  Array out;
  if (replayLoop(plan, args, nullptr, &out)) {
    result = materializedValue(std::move(out), plan.resultIsScalar);
    return true;
  }
  try {
    const std::vector<std::vector<Array>> leaves = leafArrays(plan, args);
    runPlan(plan.plan, nullptr, &out, &leaves, &plan.kernels);
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
  result = materializedValue(std::move(out), plan.resultIsScalar);
  return true;
}

} // namespace ravel::exec
