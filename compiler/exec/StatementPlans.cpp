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
//
// A repeated statement on a few elements costs about what NumPy's does, so
// each site keeps what its last run found (StatementSite):
//  - where each name is bound: pointers to the Values in the frame's maps.
//    A std::map node stays where it is until it is erased, and a binding's
//    Value is overwritten in place by an assignment, so a pointer stays
//    right while the frame is the same one (FrameId), no name was erased
//    anywhere (bindingsErased_) and neither map changed size (without an
//    erase, an unchanged size means no insertion: a new local cannot shadow
//    a global the site found);
//  - the plan the last signature found, reused while the new signature's
//    words (or operand objects, below) equal that one's and the cache has
//    not dropped or replaced a plan;
//  - the assigned name's previous value, when binding the new one leaves
//    this site the only holder of that object and its memory: nothing else
//    can read or write the memory (no view, alias, `_`, lazy value, graph
//    leaf or reduction holds the buffer; the weak references others keep,
//    lazyObjects_ and lazy bases' lazyViews, only act on objects not yet
//    computed, and a computed object is never lazy again; the site's own,
//    planObjects, are only compared), so the next replay of the same
//    plan writes its result there instead of allocating (NumPy would free it
//    and allocate again; no program can tell). A replay that fails or is
//    interrupted leaves the name bound to its old value, untouched: only the
//    spare, seen by no one, was written.
#include "compiler/exec/CallPlan.h"
#include "compiler/exec/Interpreter.h"

#include <algorithm>
#include <bit>

namespace ravel::exec {

using namespace ast;

namespace {

/// Array operands up to this size replay; beyond, the statement is lazy.
constexpr int64_t kMaxElements = int64_t(1) << 14;
/// A site recorded this many times without a replay in between (a scalar
/// that changes every iteration, `x = x * i`) stops recording.
constexpr int kMaxUnusedRecordings = 8;
/// The largest previous value a site keeps to write the next result into
/// (a site holds it until its next run: a few pages at most).
constexpr int64_t kMaxSpareBytes = int64_t(64) << 10;

/// Whether `old`, the value a name held before it was bound to `fresh`
/// (just computed by a plan), can be that plan's next result: nothing but
/// `old` itself refers to the object or its memory, and it is a plain
/// writeable array laid out exactly as `fresh`.
bool recyclable(const ArrayRef& old, const ArrayObject& fresh) {
  if (old.use_count() != 1 || !old->materialized() || old->node ||
      old->isScalar != fresh.isScalar || old->isMemmap || old->lockedByUser || old->owner ||
      old->lazyBase || !old->steps.empty() || !old->lazyViews.empty())
    return false;
  const Array& a = old->data;
  const Array& b = fresh.data;
  const std::shared_ptr<Buffer>& buffer = a.buffer();
  return buffer.use_count() == 1 && buffer->owned() && !buffer->adopted() && !a.isView() &&
         a.writeable() && a.data() == buffer->data() && a.dtype() == b.dtype() &&
         a.nbytes() <= kMaxSpareBytes && a.shape() == b.shape() && a.strides() == b.strides();
}

/// Whether `v` is exactly what Value::ofArray makes, but for its object.
bool plainArray(const Value& v) {
  return v.kind == Value::Kind::Array && !v.b && v.i == 0 && std::bit_cast<uint64_t>(v.f) == 0 &&
         v.name.empty() && v.items.empty() && !v.generator && !v.legacy && !v.function &&
         v.dtype == DType::Float64 && !v.big && v.wide == 0;
}

/// `slot = Value::ofArray(obj)`; returns the object slot held before (if
/// an array). A plain array binding only has its object replaced.
ArrayRef rebind(Value& slot, ArrayRef obj) {
  if (plainArray(slot)) {
    std::swap(slot.array, obj);
    return obj;
  }
  ArrayRef old = slot.kind == Value::Kind::Array ? std::move(slot.array) : nullptr;
  slot = Value::ofArray(std::move(obj));
  return old;
}

} // namespace

std::optional<Value> Interpreter::computeByPlan(const Expr& e, Frame& f) {
  Value v;
  if (!computeAtSite(e, f, nullptr, false, &v)) return std::nullopt;
  return v;
}

bool Interpreter::assignByPlan(const NameExpr& target, const Expr& e, Frame& f, bool computeAll) {
  return computeAtSite(e, f, &target, computeAll, nullptr);
}

void Interpreter::refreshBindings(StatementSite& site, Frame& f, const NameExpr* target) {
  const StatementSite::MapsState now{f.id.value, bindingsErased_, globals_.size(), f.locals.size()};
  if (site.boundIn == now) return; // a new site's frame 0 matches no frame
  const std::vector<std::string>& names = site.body->globals;
  site.bound.resize(names.size());
  for (size_t k = 0; k < names.size(); ++k) site.bound[k] = binding(names[k], f);
  site.targetSlot = nullptr;
  if (target) {
    std::map<std::string, Value>& scope = f.global ? globals_ : f.locals;
    if (auto it = scope.find(target->id); it != scope.end()) site.targetSlot = &it->second;
  }
  site.boundIn = now;
}

bool Interpreter::computeAtSite(const Expr& e, Frame& f, const NameExpr* target, bool computeAll,
                                Value* value) {
  if (dryRun_ || recording_) return false;
  auto [siteIt, fresh] = statementSites_.try_emplace(&e);
  StatementSite& site = siteIt->second;
  if (fresh) site.body = replayableExpression(e);
  if (!site.body || site.declined > kMaxUnusedRecordings) return false;

  // The names the value reads: parameters (arrays and Python numbers), or
  // names whose meaning a replay must find unchanged (GlobalRead).
  const std::vector<std::string>& names = site.body->globals;
  if (names.size() >= 64) return false;
  refreshBindings(site, f, target);
  site.args.clear();
  uint64_t paramMask = 0;
  for (size_t k = 0; k < names.size(); ++k) {
    const Value* v = site.bound[k];
    if (!v) continue; // NumPy's own name
    switch (v->kind) {
      case Value::Kind::Module:
      case Value::Kind::Builtin:
        continue;
      case Value::Kind::Bool:
      case Value::Kind::Int:
      case Value::Kind::Float:
        break;
      case Value::Kind::Array:
        // A computed array's size is checked below, unless its signature
        // is the last one (checked then). A lazy one is computed only when
        // it and every array before it fit.
        if (!v->array->materialized()) {
          for (const Value* before : site.args)
            if (before->isArray() && before->array->data.size() > kMaxElements) return false;
          if (v->array->isLazyView() || checkedSize(v->array->shape()) > kMaxElements) return false;
          materialize(v->array, v->array->span);
        }
        break;
      default:
        return false;
    }
    site.args.push_back(v);
    paramMask |= uint64_t(1) << k;
  }
  // The plan: the last one while the signature and the cache are unchanged.
  // The same array objects as then have the same signature: a computed
  // object's dtype, shape, strides and memory never change (only its
  // writeable flag may), and a weak reference keeps its control block, so
  // an object made since cannot compare equal to one that is gone. Two sets
  // of objects are kept, the last run's and the one's before: a statement
  // whose target is its operand (`x = x * 0.5 + 1`) reads the two objects
  // its recycled results alternate between.
  const CallPlan* plan = nullptr;
  const CallPlan* const previous = site.plan;
  const bool planValid = previous && site.planGeneration == callPlans_.generation();
  const size_t n = site.args.size();
  auto sameObjectsAt = [&](size_t first) {
    for (size_t i = 0; i < n; ++i) {
      const Value& v = *site.args[i];
      const std::weak_ptr<ArrayObject>& was = site.planObjects[first + i];
      if (!v.isArray() || was.owner_before(v.array) || v.array.owner_before(was)) return false;
    }
    return true;
  };
  const bool sameObjects = planValid && paramMask == site.planMask && n > 0 &&
                           ((site.planObjects.size() >= n && sameObjectsAt(0)) ||
                            (site.planObjects.size() == 2 * n && sameObjectsAt(n)));
  if (sameObjects) {
    plan = site.plan; // its operands' sizes were checked when it was found
  } else {
    site.words.clear();
    if (!encodeArguments(site.words, site.args, nullptr)) return false;
    site.words.push_back(paramMask);
    if (planValid && site.words == site.planWords) {
      plan = site.plan;
    } else {
      for (const Value* v : site.args)
        if (v->isArray() && v->array->data.size() > kMaxElements) return false;
      if ((plan = callPlans_.find(CallSignature{&e, site.words}))) {
        site.plan = plan;
        site.planWords = site.words;
        site.planGeneration = callPlans_.generation();
      }
    }
    // Remember the objects when every parameter is an array (Python
    // numbers are compared by their words): the last set becomes the one
    // before when the plan is the same one.
    const bool arrays = std::all_of(site.args.begin(), site.args.end(),
                                    [](const Value* v) { return v->isArray(); });
    if (plan && arrays && planValid && plan == previous && paramMask == site.planMask &&
        site.planObjects.size() >= n) {
      site.planObjects.resize(2 * n);
      for (size_t i = 0; i < n; ++i) {
        site.planObjects[n + i] = std::move(site.planObjects[i]);
        site.planObjects[i] = site.args[i]->array;
      }
    } else {
      site.planObjects.clear();
      if (plan && arrays)
        for (const Value* v : site.args) site.planObjects.emplace_back(v->array);
    }
    site.planMask = paramMask;
  }
  // The names that are not parameters must mean what they meant then
  // (bindingsUnchanged, by the pointers found above).
  bool unchanged = plan != nullptr;
  if (plan) {
    size_t j = 0;
    for (size_t k = 0; k < names.size() && unchanged; ++k) {
      if (paramMask >> k & 1) continue;
      const GlobalRead& read = plan->globals[j++];
      const Value* v = site.bound[k];
      unchanged = read.bound == (v != nullptr) && (!read.bound || sameGlobal(read.value, *v));
    }
  }
  if (unchanged) {
    ArrayRef obj;
    Value result;
    bool replayed = false;
    if (target && site.targetSlot && site.spare && site.spareFor == plan &&
        site.spareGeneration == callPlans_.generation() &&
        replayLoop(*plan, site.args, nullptr, nullptr, &site.spare->data)) {
      obj = std::move(site.spare);
      replayed = true;
    } else {
      replayed = replayCall(*plan, site.args, nullptr, e.span(), result);
    }
    if (replayed) {
      ++site.replayed;
      ++loopValuesReplayed_;
      site.declined = 0;
      if (!target) {
        *value = std::move(result);
        return true;
      }
      if (!site.targetSlot) {
        assign(*target, result, f);
        return true;
      }
      // assign(), keeping the previous value when this binding frees it.
      if (!obj) obj = std::move(result.array);
      const ArrayObject& bound = *obj;
      if (obj->name != target->id) obj->name = target->id;
      obj->span = target->span();
      ArrayRef old = rebind(*site.targetSlot, std::move(obj));
      if (old && recyclable(old, bound)) {
        site.spare = std::move(old);
        site.spareFor = plan;
        site.spareGeneration = callPlans_.generation();
      }
      return true;
    }
  }

  // Evaluate, compute, and record when exactly the value's plan ran. The
  // site's scratch and pointers may be reused by an evaluation that runs
  // this site again (a callee's loop): what recording needs is copied first.
  std::vector<Value> args;
  args.reserve(site.args.size());
  for (const Value* v : site.args) args.push_back(*v);
  if (sameObjects) { // the words were not needed until now
    site.words.clear();
    if (!encodeArguments(site.words, site.args, nullptr)) return false;
    site.words.push_back(paramMask);
  }
  CallSignature signature{&e, site.words};
  std::vector<GlobalRead> meanings;
  for (size_t k = 0; k < names.size(); ++k) {
    if (paramMask >> k & 1) continue;
    const Value* v = site.bound[k];
    meanings.push_back(v ? GlobalRead{names[k], true, *v} : GlobalRead{names[k], false, {}});
  }
  const uint64_t runsBefore = planRuns_;
  Value result = eval(e, f);
  fusion::KernelPlan ran;
  bool resultIsScalar = false;
  if (result.isArray() && !result.array->materialized() && !result.array->isLazyView()) {
    resultIsScalar = result.array->isScalar;
    materialize(result.array, e.span(), &ran);
  }
  ++site.declined; // until a replay uses what is recorded here
  if (planRuns_ == runsBefore + 1 && !ran.launches.empty()) {
    CallPlan plan;
    if (cutLeaves(ran, args, plan.leaves) && calleesOnlyAddNodes(*site.body, f)) {
      plan.globals = std::move(meanings);
      plan.plan = detachedPlan(ran);
      plan.resultIsScalar = resultIsScalar;
      callPlans_.insert(std::move(signature), std::move(plan));
      ++site.recorded;
    }
  }
  if (!target) {
    *value = std::move(result);
    return true;
  }
  if (computeAll) forceArrays(result, e.span());
  assign(*target, result, f);
  return true;
}

} // namespace ravel::exec
