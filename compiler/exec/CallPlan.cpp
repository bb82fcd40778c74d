#include "compiler/exec/CallPlan.h"
#include "compiler/exec/Ufuncs.h"

#include <algorithm>
#include <bit>
#include <set>

namespace ravel::exec {

using namespace ast;

namespace {

/// Walks a def's body in order, collecting the global names it reads;
/// `ok` turns false at the first form a call plan cannot replay.
class BodyCheck {
public:
  /// One expression, nothing local: every name it reads is an outside read.
  explicit BodyCheck(const Expr& e) { ok = expr(e); }

  explicit BodyCheck(const FunctionDefStmt& fn) {
    // Defaults were evaluated by the def; a call passes them as arguments.
    for (const Param& p : fn.params) locals_.insert(p.name);
    for (size_t i = 0; ok && i < fn.body.size(); ++i) {
      const Stmt& s = *fn.body[i];
      const bool last = i + 1 == fn.body.size();
      switch (s.kind()) {
        case StmtKind::Assign: {
          const auto& a = cast<AssignStmt>(s);
          ok = expr(*a.value);
          for (const ExprPtr& t : a.targets) {
            if (!isa<NameExpr>(*t))
              ok = false;
            else
              locals_.insert(cast<NameExpr>(*t).id);
          }
          break;
        }
        case StmtKind::Return: {
          const auto& r = cast<ReturnStmt>(s);
          ok = last && r.value && expr(*r.value);
          returned_ = true;
          break;
        }
        case StmtKind::Pass:
          break;
        default:
          ok = false;
      }
    }
    ok = ok && returned_;
  }

  bool ok = true;
  std::vector<std::string> globals;
  std::vector<const Expr*> callees; // global-rooted: `sqrt`, `np.sqrt`

private:
  /// A name read: a parameter or a name assigned above, else a global. A
  /// name assigned only further down would be Python's UnboundLocalError.
  void read(const std::string& id) {
    if (locals_.count(id)) return;
    if (std::find(globals.begin(), globals.end(), id) == globals.end()) globals.push_back(id);
  }

  static bool literalAxis(const Expr& e) {
    switch (e.kind()) {
      case ExprKind::Int:
        return !cast<IntExpr>(e).overflow;
      case ExprKind::None:
        return true;
      case ExprKind::Unary:
        return cast<UnaryExpr>(e).op == UnaryOp::Neg && literalAxis(*cast<UnaryExpr>(e).operand);
      case ExprKind::Tuple: {
        for (const ExprPtr& x : cast<TupleExpr>(e).elts)
          if (!isa<IntExpr>(*x) && !(isa<UnaryExpr>(*x) && literalAxis(*x))) return false;
        return true;
      }
      default:
        return false;
    }
  }

  bool callee(const Expr& e) {
    if (isa<NameExpr>(e)) {
      const std::string& id = cast<NameExpr>(e).id;
      if (locals_.count(id)) return false; // calling a value
      read(id);
      callees.push_back(&e);
      return true;
    }
    if (!isa<AttributeExpr>(e)) return false;
    const auto& at = cast<AttributeExpr>(e);
    // A reduction method of a computed value: `abs(x - 2).max()`.
    if (!isa<NameExpr>(*at.object)) return isReplayableMethod(at.attr) && expr(*at.object);
    const std::string& id = cast<NameExpr>(*at.object).id;
    if (locals_.count(id)) return isReplayableMethod(at.attr); // x.sum(...)
    read(id);                                                  // module.function
    callees.push_back(&e);
    return true;
  }

  bool expr(const Expr& e) {
    switch (e.kind()) {
      case ExprKind::Name:
        read(cast<NameExpr>(e).id);
        return true;
      case ExprKind::Int:
        return !cast<IntExpr>(e).overflow && !cast<IntExpr>(e).tooLarge;
      case ExprKind::Float:
      case ExprKind::Bool:
        return true;
      case ExprKind::Unary: {
        const auto& u = cast<UnaryExpr>(e);
        return u.op != UnaryOp::Not && expr(*u.operand);
      }
      case ExprKind::Binary: {
        const auto& b = cast<BinaryExpr>(e);
        return b.op != BinaryOp::MatMul && expr(*b.lhs) && expr(*b.rhs);
      }
      case ExprKind::Compare: {
        // A chain (`a < b < c`) takes an array's truth value: not replayable.
        const auto& c = cast<CompareExpr>(e);
        if (c.ops.size() != 1) return false;
        const CompareOp op = c.ops[0];
        if (op == CompareOp::Is || op == CompareOp::IsNot || op == CompareOp::In ||
            op == CompareOp::NotIn)
          return false;
        return expr(*c.operands[0]) && expr(*c.operands[1]);
      }
      case ExprKind::Call: {
        const auto& c = cast<CallExpr>(e);
        if (!callee(*c.callee)) return false;
        // A ufunc's positional out (`add(a, b, c)`) writes memory.
        const std::string& fn = isa<NameExpr>(*c.callee) ? cast<NameExpr>(*c.callee).id
                                                         : cast<AttributeExpr>(*c.callee).attr;
        if (const Ufunc* u = findUfunc(fn); u && c.args.size() > size_t(u->nin)) return false;
        for (const ExprPtr& a : c.args)
          if (!expr(*a)) return false;
        for (const Keyword& k : c.keywords)
          if (k.name != "axis" || !literalAxis(*k.value)) return false;
        return true;
      }
      default:
        return false;
    }
  }

  std::set<std::string> locals_;
  bool returned_ = false;
};

enum Tag : uint64_t { kNone = 1, kBool, kInt, kFloat, kArray, kTarget };

void encodeArray(std::vector<uint64_t>& w, Tag tag, const Array& a) {
  w.push_back(tag | uint64_t(a.dtype()) << 8 | uint64_t(a.ndim()) << 16);
  for (int64_t d : a.shape()) w.push_back(uint64_t(d));
  for (int64_t s : a.strides()) w.push_back(uint64_t(s));
}

} // namespace

std::optional<ReplayableBody> replayableBody(const FunctionDefStmt& fn) {
  BodyCheck check(fn);
  if (!check.ok) return std::nullopt;
  return ReplayableBody{std::move(check.globals), std::move(check.callees)};
}

std::optional<ReplayableBody> replayableExpression(const Expr& e) {
  BodyCheck check(e);
  if (!check.ok) return std::nullopt;
  return ReplayableBody{std::move(check.globals), std::move(check.callees)};
}

bool isReplayableBuiltin(const std::string& name) {
  static const std::set<std::string> names = [] {
    std::set<std::string> s = {"abs", "mean", "amax", "amin"};
#define OP(op, family, arity, numpy)                                                               \
  if (graph::Family::family != graph::Family::Leaf && graph::Op::op != graph::Op::Cast)            \
    s.insert(numpy);
#include "compiler/graph/Ops.def"
#undef OP
    return s;
  }();
  return names.count(name) != 0;
}

bool isReplayableMethod(const std::string& name) {
  static const std::set<std::string> names = {"sum", "prod", "min", "max", "mean", "any", "all"};
  return names.count(name) != 0;
}

bool sameGlobal(const Value& a, const Value& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case Value::Kind::Module:
    case Value::Kind::Builtin:
      return a.name == b.name;
    case Value::Kind::Bool:
      return a.b == b.b;
    case Value::Kind::Int:
      return !a.big && !b.big && a.i == b.i;
    case Value::Kind::Float:
      return std::bit_cast<uint64_t>(a.f) == std::bit_cast<uint64_t>(b.f);
    default:
      return false;
  }
}

size_t CallSignatureHash::operator()(const CallSignature& s) const {
  uint64_t h = std::hash<const void*>()(s.site);
  for (uint64_t w : s.words) h = (h ^ w) * 0x100000001b3ULL;
  return size_t(h);
}

bool encodeArguments(std::vector<uint64_t>& w, ArgRefs args, const Array* target) {
  for (size_t i = 0; i < args.size(); ++i) {
    const Value& v = *args[i];
    switch (v.kind) {
      case Value::Kind::None:
        w.push_back(kNone);
        break;
      case Value::Kind::Bool:
        w.push_back(kBool), w.push_back(v.b);
        break;
      case Value::Kind::Int:
        if (v.big) return false;
        w.push_back(kInt), w.push_back(uint64_t(v.i));
        break;
      case Value::Kind::Float:
        w.push_back(kFloat), w.push_back(std::bit_cast<uint64_t>(v.f));
        break;
      case Value::Kind::Array: {
        if (!v.array->materialized() || v.array->isScalar) return false;
        const Array& a = v.array->data;
        if (a.ndim() == 0) return false;
        encodeArray(w, kArray, a);
        // Arguments sharing memory build one graph leaf where separate ones
        // build two: which earlier argument shares it, and where, is part of
        // the signature.
        uint64_t alias = ~uint64_t(0), delta = 0;
        for (size_t j = 0; j < i && alias == ~uint64_t(0); ++j) {
          const Value& o = *args[j];
          if (o.isArray() && o.array->data.buffer() == a.buffer())
            alias = j, delta = uint64_t(a.offset() - o.array->data.offset());
        }
        w.push_back(alias), w.push_back(delta);
        break;
      }
      default:
        return false;
    }
  }
  if (target) encodeArray(w, kTarget, *target);
  return true;
}

std::optional<CallSignature> callSignature(const void* site, const std::vector<Value>& args,
                                           const Array* target) {
  std::vector<const Value*> refs;
  refs.reserve(args.size());
  for (const Value& v : args) refs.push_back(&v);
  CallSignature sig;
  sig.site = site;
  sig.words.reserve(4 + args.size() * 12); // an array's words, without regrowing
  if (!encodeArguments(sig.words, refs, target)) return std::nullopt;
  return sig;
}

bool cutLeaves(const fusion::KernelPlan& plan, const std::vector<Value>& args,
               std::vector<std::vector<LeafCut>>& leaves) {
  leaves.assign(plan.launches.size(), {});
  for (size_t li = 0; li < plan.launches.size(); ++li) {
    // Products run BLAS on operands the launch itself prepares.
    if (plan.launches[li].product || plan.launches[li].epilogueOf >= 0) return false;
    for (const fusion::LaunchInput& in : plan.launches[li].inputs) {
      LeafCut cut;
      if (in.fromLaunch >= 0) {
        leaves[li].push_back(cut);
        continue;
      }
      if (in.known.valid() || !in.node || in.node->op != graph::Op::Input) return false;
      const Array& leaf = in.node->input;
      // The parameter whose array the leaf is, else one whose memory it is
      // cut from (the signature fixes how parameters share memory).
      for (int pass = 0; pass < 2 && cut.param < 0; ++pass) {
        for (size_t p = 0; p < args.size() && cut.param < 0; ++p) {
          if (!args[p].isArray()) continue;
          const Array& param = args[p].array->data;
          if (param.buffer() != leaf.buffer() || param.dtype() != leaf.dtype()) continue;
          const bool whole = leaf.offset() == param.offset() && leaf.shape() == param.shape() &&
                             leaf.strides() == param.strides();
          if (pass == 0 && !whole) continue;
          cut.param = int(p);
          cut.whole = whole;
          cut.offsetDelta = leaf.offset() - param.offset();
          cut.shape = leaf.shape();
          cut.strides = leaf.strides();
        }
      }
      if (cut.param < 0) return false;
      leaves[li].push_back(std::move(cut));
    }
  }
  return true;
}

std::vector<std::vector<Array>> leafArrays(const CallPlan& plan, ArgRefs args) {
  std::vector<std::vector<Array>> out(plan.leaves.size());
  for (size_t li = 0; li < plan.leaves.size(); ++li) {
    out[li].reserve(plan.leaves[li].size());
    for (const LeafCut& cut : plan.leaves[li]) {
      if (cut.param < 0) {
        out[li].emplace_back();
        continue;
      }
      const Array& param = args[size_t(cut.param)]->array->data;
      out[li].push_back(
          cut.whole ? param : param.view(cut.shape, cut.strides, param.offset() + cut.offsetDelta));
    }
  }
  return out;
}

fusion::KernelPlan detachedPlan(const fusion::KernelPlan& plan) {
  fusion::KernelPlan out = plan;
  for (fusion::KernelLaunch& l : out.launches) {
    for (fusion::LaunchInput& in : l.inputs)
      if (in.fromLaunch < 0) in.node = nullptr;
    auto root = std::make_shared<graph::Node>();
    root->op = l.root->op;
    root->dtype = l.root->dtype;
    root->shape = l.root->shape;
    root->axes = l.root->axes;
    root->span = l.root->span;
    l.root = std::move(root);
  }
  return out;
}

const CallPlan* CallPlanCache::find(const CallSignature& s) {
  auto it = entries_.find(s);
  if (it == entries_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return &it->second->second;
}

void CallPlanCache::insert(CallSignature s, CallPlan plan) {
  if (auto it = entries_.find(s); it != entries_.end()) {
    it->second->second = std::move(plan);
    ++generation_;
    return;
  }
  lru_.emplace_front(s, std::move(plan));
  entries_.emplace(std::move(s), lru_.begin());
  while (entries_.size() > kCapacity) {
    entries_.erase(lru_.back().first);
    lru_.pop_back();
    ++generation_;
  }
}

} // namespace ravel::exec
