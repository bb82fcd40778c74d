// Fusion of the lazy graph into kernel launches (see Fuse.h for the algorithm).
#include "compiler/fusion/Fuse.h"

#include "compiler/fusion/KernelVerify.h"

#include <cmath>
#include <cstdio>
#include <unordered_map>
#include <unordered_set>

namespace ravel::fusion {
using graph::Node;
using graph::NodeRef;
using graph::Op;

namespace {

/// The kernel op of an elementwise node of dtype `dtype`. Logical ops see
/// bool operands (sema casts them) and are the bitwise ops on i1; fmax/fmin
/// of ints and bools are maximum/minimum (no NaN to ignore).
KOp elementwiseKOp(Op op, DType dtype) {
  switch (op) {
    case Op::Cast:
      return KOp::Cast;
    case Op::Add:
      return KOp::Add;
    case Op::Sub:
      return KOp::Sub;
    case Op::Mul:
      return KOp::Mul;
    case Op::Div:
      return KOp::Div;
    case Op::FloorDiv:
      return KOp::FloorDiv;
    case Op::Mod:
      return KOp::Mod;
    case Op::Pow:
      return KOp::Pow;
    case Op::Minimum:
      return KOp::Minimum;
    case Op::Maximum:
      return KOp::Maximum;
    case Op::BitAnd:
      return KOp::BitAnd;
    case Op::BitOr:
      return KOp::BitOr;
    case Op::BitXor:
      return KOp::BitXor;
    case Op::Eq:
      return KOp::Eq;
    case Op::Ne:
      return KOp::Ne;
    case Op::Lt:
      return KOp::Lt;
    case Op::Le:
      return KOp::Le;
    case Op::Gt:
      return KOp::Gt;
    case Op::Ge:
      return KOp::Ge;
    case Op::Neg:
      return KOp::Neg;
    case Op::Invert:
      return KOp::Invert;
    case Op::Abs:
      return KOp::Abs;
    case Op::Sqrt:
      return KOp::Sqrt;
    case Op::Exp:
      return KOp::Exp;
    case Op::Log:
      return KOp::Log;
    case Op::Sin:
      return KOp::Sin;
    case Op::Cos:
      return KOp::Cos;
    case Op::Tanh:
      return KOp::Tanh;
    case Op::Floor:
      return KOp::Floor;
    case Op::Ceil:
      return KOp::Ceil;
    case Op::Trunc:
      return KOp::Trunc;
    case Op::Rint:
      return KOp::Rint;
    case Op::Sign:
      return KOp::Sign;
    case Op::IsNan:
      return KOp::IsNan;
    case Op::IsInf:
      return KOp::IsInf;
    case Op::IsFinite:
      return KOp::IsFinite;
    case Op::Log10:
      return KOp::Log10;
    case Op::Log2:
      return KOp::Log2;
    case Op::Log1p:
      return KOp::Log1p;
    case Op::Expm1:
      return KOp::Expm1;
    case Op::Exp2:
      return KOp::Exp2;
    case Op::Arcsin:
      return KOp::Arcsin;
    case Op::Arccos:
      return KOp::Arccos;
    case Op::Arctan:
      return KOp::Arctan;
    case Op::Sinh:
      return KOp::Sinh;
    case Op::Cosh:
      return KOp::Cosh;
    case Op::Tan:
      return KOp::Tan;
    case Op::Cbrt:
      return KOp::Cbrt;
    case Op::Arcsinh:
      return KOp::Arcsinh;
    case Op::Arccosh:
      return KOp::Arccosh;
    case Op::Arctanh:
      return KOp::Arctanh;
    case Op::Fabs:
      return KOp::Abs;
    case Op::Positive:
      return KOp::Cast; // to its own dtype: a copy
    case Op::Signbit:
      return KOp::Signbit;
    case Op::Square:
      return KOp::Square;
    case Op::Reciprocal:
      return KOp::Reciprocal;
    case Op::LogicalNot:
      return KOp::Invert;
    case Op::Arctan2:
      return KOp::Arctan2;
    case Op::Hypot:
      return KOp::Hypot;
    case Op::Copysign:
      return KOp::Copysign;
    case Op::Heaviside:
      return KOp::Heaviside;
    case Op::Fmod:
      return KOp::Fmod;
    case Op::Gcd:
      return KOp::Gcd;
    case Op::Lcm:
      return KOp::Lcm;
    case Op::Nextafter:
      return KOp::Nextafter;
    case Op::Spacing:
      return KOp::Spacing;
    case Op::Ldexp:
      return KOp::Ldexp;
    case Op::ModfFrac:
      return KOp::ModfFrac;
    case Op::FrexpMantissa:
      return KOp::FrexpMantissa;
    case Op::FrexpExponent:
      return KOp::FrexpExponent;
    case Op::LogAddExp:
      return KOp::LogAddExp;
    case Op::LogAddExp2:
      return KOp::LogAddExp2;
    case Op::Deg2Rad:
      return KOp::Deg2Rad;
    case Op::Rad2Deg:
      return KOp::Rad2Deg;
    case Op::DivmodFloor:
      return KOp::DivmodFloor;
    case Op::DivmodRem:
      return KOp::DivmodRem;
    case Op::FloatPower:
      return KOp::FloatPower;
    case Op::Fmax:
      return isFloat(dtype) ? KOp::FMax : KOp::Maximum;
    case Op::Fmin:
      return isFloat(dtype) ? KOp::FMin : KOp::Minimum;
    case Op::LogicalAnd:
      return KOp::BitAnd;
    case Op::LogicalOr:
      return KOp::BitOr;
    case Op::LogicalXor:
      return KOp::BitXor;
    case Op::LShift:
      return KOp::Shl;
    case Op::RShift:
      return KOp::Shr;
    case Op::Where:
      return KOp::Where;
    default:
      break;
  }
  RAVEL_CHECK(false, std::string("not an elementwise op: ") + graph::opName(op));
}

ReduceKind reduceKind(Op op) {
  switch (op) {
    case Op::Sum:
      return ReduceKind::Sum;
    case Op::Prod:
      return ReduceKind::Prod;
    case Op::Min:
      return ReduceKind::Min;
    case Op::Max:
    case Op::Any:
      return ReduceKind::Max;
    case Op::All:
      return ReduceKind::Min;
    default:
      break;
  }
  RAVEL_CHECK(false, "not a reduction");
}

KConst constOf(const Scalar& s) {
  KConst c;
  c.b = s.b;
  c.i = s.i;
  c.f = s.f;
  return c;
}

class Planner {
public:
  KernelPlan plan;

  /// Plans `root` and returns the index of the launch that computes it.
  int planNode(const NodeRef& root, std::optional<DType> targetDType) {
    auto done = planned_.find(root.get());
    if (done != planned_.end()) return done->second;
    if (graph::isProduct(root->op) || foldsAddend(root, targetDType))
      return planProduct(root, targetDType);

    KernelLaunch launch;
    launch.root = root;
    NodeRef body = root;
    NodeRef reduction = root;
    if (!targetDType) {
      if (std::optional<DividedReduction> d = dividedReduction(root)) {
        reduction = d->reduction;
        launch.divideResults = d->divisor;
      }
    }
    if (graph::isReduce(reduction->op)) {
      body = reduction->srcs[0];
      launch.kernel.reduce = reduceKind(reduction->op);
      launch.kernel.accumDType = reduction->dtype;
      launch.iterShape = body->shape;
      launch.reduceAxes = reduction->axes;
      launch.emptyIsError = reduction->op == Op::Min || reduction->op == Op::Max;
    } else {
      launch.iterShape = root->shape;
    }

    std::unordered_map<const Node*, int> instrOf;
    std::vector<KInstr>& code = launch.kernel.body;
    // Iterative post-order over the region below `body`.
    std::vector<std::pair<const Node*, size_t>> stack{{body.get(), 0}};
    std::unordered_map<const Node*, NodeRef> owners{{body.get(), body}};
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      if (instrOf.count(node)) {
        stack.pop_back();
        continue;
      }
      bool leaf = node->op == Op::Input || node->op == Op::Const || graph::isLaunchLeaf(node->op) ||
                  (node != root.get() && ownLaunch_.count(node));
      if (!leaf && next < node->srcs.size()) {
        const NodeRef& child = node->srcs[next++];
        owners.emplace(child.get(), child);
        if (!instrOf.count(child.get())) stack.push_back({child.get(), 0});
        continue;
      }
      KInstr in{};
      in.dtype = node->dtype;
      if (node->op == Op::Const) {
        in.op = KOp::Const;
        in.constant = constOf(node->constant);
      } else if (leaf) {
        in.op = KOp::Load;
        in.input = int(launch.inputs.size());
        LaunchInput src{owners.at(node), -1, {}};
        if (graph::isLaunchLeaf(node->op) && known_) src.known = known_(node);
        if (ownLaunch_.count(node)) src.fromLaunch = planNode(src.node, std::nullopt);
        if (graph::isLaunchLeaf(node->op) && !src.known.valid()) {
          if (launch.epilogueOf < 0 && !targetDType && isEpilogueOperand(*node, launch))
            launch.epilogueOf = in.input; // computed panel by panel inside this launch
          else                            // plan the inner launch first: it must run before ours
            src.fromLaunch = planNode(src.node, std::nullopt);
        }
        launch.inputs.push_back(src);
        launch.kernel.inputs.push_back(node->dtype);
      } else {
        in.op = elementwiseKOp(node->op, node->dtype);
        for (size_t a = 0; a < node->srcs.size(); ++a) in.args[a] = instrOf.at(node->srcs[a].get());
      }
      instrOf[node] = int(code.size());
      code.push_back(in);
      launch.kernel.spans.push_back(node->span);
      stack.pop_back();
    }

    int result = instrOf.at(body.get());
    DType want = launch.kernel.reduce != ReduceKind::None ? launch.kernel.accumDType
                                                          : targetDType.value_or(root->dtype);
    if (code[result].dtype != want) {
      KInstr cast{};
      cast.op = KOp::Cast;
      cast.dtype = want;
      cast.args[0] = result;
      result = int(code.size());
      code.push_back(cast);
      launch.kernel.spans.push_back(root->span);
    }
    launch.kernel.result = result;
    launch.kernel.resultDType = want;
    launch.intoTarget = targetDType.has_value();
    launch.kernel.name = "k" + std::to_string(plan.launches.size());
    plan.launches.push_back(std::move(launch));
    int index = int(plan.launches.size()) - 1;
    planned_[root.get()] = index;
    return index;
  }

  KnownResults known_;
  SharedNodes shared_;
  /// Elementwise nodes planned as launches of their own wherever they occur
  /// (see keptPanelValues). With them, the product is the row-panel
  /// group's, never one launch's epilogue.
  std::unordered_set<const Node*> ownLaunch_;

  /// The launch that computes n in this plan, or -1.
  int plannedLaunch(const Node* n) const {
    auto it = planned_.find(n);
    return it == planned_.end() ? -1 : it->second;
  }

private:
  bool isKnown(const Node* n) const { return known_ && known_(n).valid(); }
  bool isPrivate(const Node* n) const { return shared_ && !shared_(n); }

  struct DividedReduction {
    NodeRef reduction;
    ResultDivisor divisor;
  };

  /// A root that is a float reduction R divided by a constant c:
  /// `R / c` in R's dtype, or `float32(float64(R) / c)` for a float32 R
  /// (NumPy's 0-d mean of float32: the scalar divided by a Python int in
  /// float64). R is needed by nothing else (its undivided result is never
  /// wanted) and not already computed; c is finite and >= 1, so the division
  /// cannot warn and NaN and infinity in the results stay as the reduction
  /// left them (its floating-point check reads the divided results).
  std::optional<DividedReduction> dividedReduction(const NodeRef& root) const {
    const bool rounded = root->op == Op::Cast && root->dtype == DType::Float32 &&
                         root->srcs[0]->op == Op::Div && root->srcs[0]->dtype == DType::Float64;
    const NodeRef& div = rounded ? root->srcs[0] : root;
    if (div->op != Op::Div || !isFloat(div->dtype)) return std::nullopt;
    NodeRef r = div->srcs[0];
    const Node& c = *div->srcs[1];
    if (rounded) {
      if (r->op != Op::Cast || r->srcs[0]->dtype != DType::Float32) return std::nullopt;
      r = r->srcs[0];
    }
    if (!graph::isReduce(r->op) || r->dtype != root->dtype || r->shape != root->shape ||
        c.op != Op::Const || c.dtype != div->dtype || isKnown(r.get()) || !isPrivate(r.get()))
      return std::nullopt;
    // A float32 constant divides as its float32 value (as the kernel's
    // const.float32 would).
    const double value = c.dtype == DType::Float32 ? double(float(c.constant.f)) : c.constant.f;
    if (!(value >= 1) || !std::isfinite(value)) return std::nullopt;
    return DividedReduction{r, ResultDivisor{value, div->dtype}};
  }

  /// A product this elementwise launch may compute itself, panel by panel:
  /// 2-d (no batch), the launch's whole iteration space, needed by nothing
  /// else (so its full result is never wanted).
  bool isEpilogueOperand(const Node& p, const KernelLaunch& launch) const {
    // m, n, k >= 2: every panel (of at least two rows) is a gemm, as the
    // whole product is, so each element is summed in the same order.
    return ownLaunch_.empty() && graph::isProduct(p.op) &&
           launch.kernel.reduce == ReduceKind::None && p.shape.size() == 2 &&
           p.srcs[0]->shape.size() == 2 && p.shape == launch.iterShape && p.shape[0] > 1 &&
           p.shape[1] > 1 && p.srcs[0]->shape[1] > 1 && isPrivate(&p);
  }

  /// `P + c` with c an array of P's dtype that does not broadcast P larger:
  /// c written into the result, P added to it by gemm's beta = 1.
  bool foldsAddend(const NodeRef& root, std::optional<DType> targetDType) const {
    if (root->op != Op::Add || targetDType) return false;
    for (int p = 0; p < 2; ++p) {
      const Node& prod = *root->srcs[size_t(p)];
      const Node& c = *root->srcs[size_t(1 - p)];
      if (graph::isProduct(prod.op) && !isKnown(&prod) && isPrivate(&prod) &&
          prod.shape == root->shape && prod.dtype == root->dtype && c.op == Op::Input &&
          c.dtype == root->dtype)
        return true;
    }
    return false;
  }

  int planProduct(const NodeRef& root, std::optional<DType> targetDType) {
    KernelLaunch launch;
    launch.root = root;
    launch.product = true;
    launch.iterShape = root->shape;
    NodeRef prod = root, addend;
    if (!graph::isProduct(root->op)) { // foldsAddend
      const bool first = graph::isProduct(root->srcs[0]->op);
      prod = root->srcs[first ? 0 : 1];
      addend = root->srcs[first ? 1 : 0];
      launch.addend = true;
    }
    for (const NodeRef& operand : prod->srcs) launch.inputs.push_back({operand, -1, {}});
    if (addend) launch.inputs.push_back({addend, -1, {}});
    for (const LaunchInput& in : launch.inputs) launch.kernel.inputs.push_back(in.node->dtype);
    launch.kernel.resultDType = root->dtype;
    launch.intoTarget = targetDType.has_value();
    launch.kernel.name = "k" + std::to_string(plan.launches.size());
    plan.launches.push_back(std::move(launch));
    const int index = int(plan.launches.size()) - 1;
    planned_[root.get()] = index;
    return index;
  }

  std::unordered_map<const Node*, int> planned_;
};

/// Whether launch `l` works row by row over m rows: row i of its result
/// needs only row i of each input that is itself row-shaped (an earlier
/// launch's result); see KernelLaunch::rowPanelsThrough. A row reduction
/// keeps its axis (an (m, 1) result, read by rows), unless it is the
/// plan's `last` launch, whose result nothing reads.
bool worksByRows(const KernelLaunch& l, int64_t m, bool last) {
  if (l.product || l.epilogueOf >= 0 || l.intoTarget || l.iterShape.size() != 2 ||
      l.iterShape[0] != m)
    return false;
  if (l.kernel.reduce == ReduceKind::None) return true;
  return l.reduceAxes == std::vector<int>{1} &&
         (l.root->shape == Shape{m, 1} || (last && l.root->shape == Shape{m}));
}

/// Marks the product launch that can lead a row-panel group: a plain 2-d
/// product (m, n, k >= 2, as an epilogue's) that every later launch of the
/// plan needs, each working by rows.
void markRowPanelGroups(KernelPlan& plan, const SharedNodes& shared) {
  const int count = int(plan.launches.size());
  for (int p = 0; p + 1 < count; ++p) {
    KernelLaunch& prod = plan.launches[size_t(p)];
    const Node& node = *prod.root;
    if (!prod.product || prod.addend || prod.intoTarget || !graph::isProduct(node.op) ||
        node.shape.size() != 2 || node.srcs[0]->shape.size() != 2 || node.shape[0] < 2 ||
        node.shape[1] < 2 || node.srcs[0]->shape[1] < 2)
      continue;
    bool ok = true;
    for (int j = p + 1; j < count && ok; ++j) {
      const KernelLaunch& l = plan.launches[size_t(j)];
      ok = worksByRows(l, node.shape[0], j + 1 == count);
      bool needsGroup = false;
      for (const LaunchInput& in : l.inputs) needsGroup |= in.fromLaunch >= p;
      ok = ok && needsGroup;
    }
    if (!ok) continue;
    prod.rowPanelsThrough = count - 1;
    prod.keepsProduct = !shared || shared(&node);
    return;
  }
}

std::string layoutName(InnerLayout l) {
  switch (l) {
    case InnerLayout::Contiguous:
      return "contiguous";
    case InnerLayout::Broadcast:
      return "broadcast";
    case InnerLayout::Strided:
      return "strided";
  }
  return "?";
}

} // namespace

namespace {

/// The plan of `root`, with `ownLaunch` nodes as launches of their own.
KernelPlan planWith(const NodeRef& root, std::optional<DType> targetDType,
                    const KnownResults& known, const SharedNodes& shared,
                    std::unordered_set<const Node*> ownLaunch) {
  Planner p;
  p.known_ = known;
  p.shared_ = shared;
  p.ownLaunch_ = std::move(ownLaunch);
  p.planNode(root, targetDType);
  // A product that the epilogue's launch reads and that another launch of
  // this plan also needed (`exp(P - P.max(axis=1)[:, None])`) was computed
  // in full anyway: the epilogue reads that result instead of recomputing it.
  for (KernelLaunch& l : p.plan.launches) {
    if (l.epilogueOf < 0) continue;
    LaunchInput& in = l.inputs[size_t(l.epilogueOf)];
    if (int earlier = p.plannedLaunch(in.node.get()); earlier >= 0) {
      in.fromLaunch = earlier;
      l.epilogueOf = -1;
    }
  }
  markRowPanelGroups(p.plan, shared);
  return std::move(p.plan);
}

/// Whether computing `value` costs more than storing it to cache and
/// loading it back: its region (down to the launch's leaves) holds a
/// transcendental function, a division or a power.
bool costlyToRecompute(const Node* value) {
  bool costly = false;
  graph::forEachNode({value}, [&](const Node* x) {
    if (x->op == Op::Input || x->op == Op::Const || graph::isLaunchLeaf(x->op)) return false;
    switch (x->op) {
      case Op::Add:
      case Op::Sub:
      case Op::Mul:
      case Op::Neg:
      case Op::Cast:
      case Op::Abs:
      case Op::Minimum:
      case Op::Maximum:
      case Op::Where:
        break;
      default:
        costly = true;
    }
    return !costly;
  });
  return costly;
}

/// Values of a row-panel group worth computing once per panel and keeping
/// for the panel: the value a row reduction of the group reduces (the
/// exponentials of a softmax) when a later launch of the group computes it
/// again (the division by the row sums), no live value needs it whole, and
/// it is costlier to recompute than to read back from cache.
std::unordered_set<const Node*> keptPanelValues(const KernelPlan& plan, const SharedNodes& shared) {
  std::unordered_set<const Node*> kept;
  size_t first = 0;
  while (first < plan.launches.size() && plan.launches[first].rowPanelsThrough < 0) ++first;
  if (first == plan.launches.size() || !shared) return kept;
  // The top of a launch's region: its reduction (below a divisor), or its root.
  auto top = [](const KernelLaunch& l) {
    const Node* n = l.root.get();
    if (l.kernel.reduce != ReduceKind::None)
      while (!graph::isReduce(n->op)) n = n->srcs[0].get();
    return n;
  };
  for (size_t j = first + 1; j < plan.launches.size(); ++j) {
    const KernelLaunch& l = plan.launches[j];
    if (l.kernel.reduce == ReduceKind::None) continue;
    const Node* value = top(l)->srcs[0].get();
    if (!graph::isElementwise(value->op) || value->op == Op::Cast || value->shape != l.iterShape ||
        shared(value) || !costlyToRecompute(value))
      continue;
    bool readAgain = false;
    for (size_t later = j + 1; later < plan.launches.size() && !readAgain; ++later) {
      const Node* region = top(plan.launches[later]);
      graph::forEachNode({region}, [&](const Node* x) {
        readAgain |= x == value;
        return !readAgain && (x == region || (!graph::isLaunchLeaf(x->op) && x->op != Op::Input));
      });
    }
    if (readAgain) kept.insert(value);
  }
  return kept;
}

} // namespace

KernelPlan fuse(const NodeRef& root, std::optional<DType> targetDType, const KnownResults& known,
                const SharedNodes& shared) {
  RAVEL_CHECK(root->op != Op::Input || targetDType, "fusing an input that is already materialized");
  KernelPlan plan = planWith(root, targetDType, known, shared, {});
  std::unordered_set<const Node*> kept = keptPanelValues(plan, shared);
  if (kept.empty()) return plan;
  KernelPlan keeping = planWith(root, targetDType, known, shared, kept);
  bool grouped = false;
  for (KernelLaunch& l : keeping.launches) {
    grouped |= l.rowPanelsThrough >= 0;
    l.panelOnly = grouped && kept.count(l.root.get());
  }
  return grouped ? keeping : plan;
}

std::string dumpLaunch(const KernelLaunch& launch, int firstIndex) {
  const Kernel& k = launch.kernel;
  std::string out = k.name + ": ";
  auto productText = [](const Node& p) {
    return "matmul " + formatShapeCompact(p.srcs[0]->shape) + " @ " +
           formatShapeCompact(p.srcs[1]->shape);
  };
  if (launch.product) {
    out += "matmul " + std::string(dtypeName(k.resultDType)) +
           formatShapeCompact(launch.inputs[0].node->shape) + " @ " +
           formatShapeCompact(launch.inputs[1].node->shape) + " -> " +
           formatShapeCompact(launch.iterShape);
    out += launch.intoTarget ? ", then stored into the existing array" : " new array";
    if (launch.addend) out += ", + in2 fused: written into the result first, added by beta = 1";
    if (launch.rowPanelsThrough >= 0)
      out += ", row panel by row panel with the launches after it through k" +
             std::to_string(firstIndex + launch.rowPanelsThrough) +
             (launch.keepsProduct ? " (also stored whole)" : "");
    out += "\n";
  } else if (k.reduce == ReduceKind::None) {
    out += "elementwise " + std::string(dtypeName(k.resultDType)) +
           formatShapeCompact(launch.iterShape);
    out += launch.intoTarget  ? " -> existing array"
           : launch.panelOnly ? " -> one row panel at a time, never whole"
                              : " -> new array";
    if (k.streamingStores) out += " (non-temporal stores)";
    if (launch.epilogueOf >= 0)
      out += ", the epilogue of " + productText(*launch.inputs[size_t(launch.epilogueOf)].node) +
             " (in" + std::to_string(launch.epilogueOf) +
             "), run on each row panel of the product as BLAS computes it";
    out += "\n";
  } else {
    out += std::string(reduceName(k.reduce)) + " " + std::string(dtypeName(k.accumDType)) +
           " over " + formatShapeCompact(launch.iterShape);
    if (launch.reduceAxes.size() != launch.iterShape.size()) {
      out += " axes=(";
      for (size_t i = 0; i < launch.reduceAxes.size(); ++i)
        out += (i ? "," : "") + std::to_string(launch.reduceAxes[i]);
      out += ")";
    }
    if (k.accumulateRows) out += ", accumulating rows into the result";
    if (launch.divideResults) {
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.17g", launch.divideResults.value);
      out += std::string(", each result divided by ") + buf + " in " +
             std::string(dtypeName(launch.divideResults.in)) + " as it is stored";
    }
    out += "\n";
  }
  for (size_t i = 0; i < launch.inputs.size(); ++i) {
    out += "  in" + std::to_string(i) + ": " + std::string(dtypeName(k.inputs[i])) +
           formatShapeCompact(launch.inputs[i].node->shape);
    if (launch.inputs[i].fromLaunch >= 0)
      out += " from k" + std::to_string(firstIndex + launch.inputs[i].fromLaunch);
    if (int(i) == launch.epilogueOf) out += " row panels of the product";
    if (i < k.layouts.size()) out += " " + layoutName(k.layouts[i]);
    out += "\n";
  }
  for (size_t i = 0; i < k.body.size(); ++i) {
    const KInstr& in = k.body[i];
    out +=
        "  %" + std::to_string(i) + " = " + kopName(in.op) + "." + std::string(dtypeName(in.dtype));
    if (in.op == KOp::Load) out += " in" + std::to_string(in.input);
    if (in.op == KOp::Const) {
      if (in.dtype == DType::Bool)
        out += in.constant.b ? " True" : " False";
      else if (isInteger(in.dtype))
        out += " " + std::to_string(in.constant.i);
      else {
        char buf[40];
        std::snprintf(buf, sizeof buf, " %.17g", in.constant.f);
        out += buf;
      }
    }
    for (int a : in.args)
      if (a >= 0) out += " %" + std::to_string(a);
    out += "\n";
  }
  return out;
}

void verify(const KernelPlan& plan) {
  RAVEL_CHECK(!plan.launches.empty(), "empty kernel plan");
  for (size_t i = 0; i < plan.launches.size(); ++i) {
    const KernelLaunch& l = plan.launches[i];
    // Kernels are verified when compiled, once their layouts are known.
    RAVEL_CHECK(l.inputs.size() == l.kernel.inputs.size(), "launch inputs do not match kernel");
    for (const LaunchInput& in : l.inputs) {
      RAVEL_CHECK(in.fromLaunch < int(i), "launch input computed after its use");
    }
    for (size_t k = 0; k < l.inputs.size(); ++k) {
      const LaunchInput& in = l.inputs[k];
      RAVEL_CHECK(in.fromLaunch >= 0 || in.node->op == Op::Input || in.known.valid() ||
                      int(k) == l.epilogueOf,
                  "unplanned non-input leaf");
    }
    if (l.epilogueOf >= 0)
      RAVEL_CHECK(!l.product && l.kernel.reduce == ReduceKind::None && !l.intoTarget &&
                      graph::isProduct(l.inputs[size_t(l.epilogueOf)].node->op),
                  "epilogue of a product outside an elementwise launch");
    if (l.divideResults)
      RAVEL_CHECK(l.kernel.reduce != ReduceKind::None && isFloat(l.kernel.accumDType) &&
                      !l.intoTarget && l.divideResults.value >= 1,
                  "a divisor on a launch that is not a float reduction");
    if (l.product)
      RAVEL_CHECK(l.kernel.body.empty() && l.inputs.size() == (l.addend ? 3u : 2u),
                  "product launch with a kernel or wrong operands");
    if (l.panelOnly)
      RAVEL_CHECK(!l.product && l.kernel.reduce == ReduceKind::None && !l.intoTarget &&
                      i + 1 < plan.launches.size(),
                  "a panel-only value that is not elementwise inside a row-panel group");
    if (l.rowPanelsThrough >= 0) {
      RAVEL_CHECK(l.product && !l.addend &&
                      size_t(l.rowPanelsThrough) + 1 == plan.launches.size() &&
                      l.rowPanelsThrough > int(i),
                  "a row-panel group not led by a product or not ending the plan");
      for (size_t j = i + 1; j < plan.launches.size(); ++j)
        RAVEL_CHECK(worksByRows(plan.launches[j], l.iterShape[0], j + 1 == plan.launches.size()),
                    "a launch in a row-panel group that does not work by rows");
    }
  }
}

} // namespace ravel::fusion
