// Statement execution, name binding and expression evaluation.
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/RandomStreams.h"

#include "runtime/Interrupt.h"
#include "runtime/Random.h"

#include "compiler/sema/Check.h"
#include "compiler/sema/Rules.h"

#include <cmath>
#include <iostream>
#include <limits>
#include <ostream>
#include <unordered_set>

namespace ravel::exec {

// From Products.cpp (declared in BuiltinGroups.h, whose exec::Param would
// clash with ast::Param here): `a @ b`.
Value matmulOperator(Interpreter& in, const Value& a, const Value& b, Span span);
Value matmulAddOperator(Interpreter& in, const Value& a, const Value& b, const Value& c,
                        Span matmulSpan, Span addSpan, bool addendFirst);
using namespace ast;
using graph::Op;

namespace {

constexpr int kMaxCallDepth = 100;

Op binaryOp(BinaryOp op) {
  switch (op) {
    case BinaryOp::Add:
      return Op::Add;
    case BinaryOp::Sub:
      return Op::Sub;
    case BinaryOp::Mul:
      return Op::Mul;
    case BinaryOp::Div:
      return Op::Div;
    case BinaryOp::FloorDiv:
      return Op::FloorDiv;
    case BinaryOp::Mod:
      return Op::Mod;
    case BinaryOp::Pow:
      return Op::Pow;
    case BinaryOp::BitAnd:
      return Op::BitAnd;
    case BinaryOp::BitOr:
      return Op::BitOr;
    case BinaryOp::BitXor:
      return Op::BitXor;
    case BinaryOp::LShift:
      return Op::LShift;
    case BinaryOp::RShift:
      return Op::RShift;
    default:
      break;
  }
  return Op::Input; // no array op (MatMul): caller reports
}

Op compareOp(CompareOp op) {
  switch (op) {
    case CompareOp::Eq:
      return Op::Eq;
    case CompareOp::Ne:
      return Op::Ne;
    case CompareOp::Lt:
      return Op::Lt;
    case CompareOp::Le:
      return Op::Le;
    case CompareOp::Gt:
      return Op::Gt;
    case CompareOp::Ge:
      return Op::Ge;
    default:
      break;
  }
  return Op::Input;
}

} // namespace

[[noreturn]] void rethrowWithSpan(const RuntimeError& e, Span span) {
  raise(e.kind(), span, e.what());
}

Interpreter::Interpreter(fusion::KernelProvider& kernelProvider)
    : kernelProvider_(kernelProvider), out_(nullptr), err_(&std::cerr) {}
Interpreter::~Interpreter() = default;

void Interpreter::run(const Program& program, bool echo) {
  for (const StmtPtr& s : program.body) runStatement(*s, echo);
  out_->flush();
}

void Interpreter::runStatement(const Stmt& s, bool echo) {
  currentStmt_ = &s;
  if (echo && isa<ExprStmt>(s)) {
    try {
      throwIfInterrupted();
      Value v = eval(*cast<ExprStmt>(s).value, top_);
      if (v.kind != Value::Kind::None && !dryRun_) {
        *out_ << repr(v) << "\n";
        // Python's displayhook: `_` is the last echoed value.
        bindGlobal("_", v);
      }
    } catch (const RuntimeError& e) {
      rethrowWithSpan(e, s.span());
    }
    return;
  }
  exec(s, top_);
}

void Interpreter::materializeResults() {
  // Each lazy object once, however many names hold it (`b = a`).
  std::vector<ArrayRef> lazy;
  std::unordered_set<const ArrayObject*> seen;
  for (const auto& [n, v] : globals_)
    if (v.isArray() && !v.array->materialized() && seen.insert(v.array.get()).second)
      lazy.push_back(v.array);
  // A node reachable from another lazy global's graph is an intermediate.
  std::vector<const graph::Node*> sources;
  for (const ArrayRef& a : lazy)
    for (const graph::NodeRef& s : a->node->srcs) sources.push_back(s.get());
  std::unordered_set<const graph::Node*> inner;
  graph::forEachNode(sources, [&](const graph::Node* x) { return inner.insert(x).second; });
  currentStmt_ = nullptr;
  // Computing one object may compute others (a lazy view's base binds the
  // view), so each is checked again just before.
  for (const ArrayRef& a : lazy)
    if (!a->materialized() && !inner.count(a->node.get()) && !consumed_.count(a->node->serial))
      materialize(a, a->span);
}

Interpreter::Flow Interpreter::exec(const Stmt& s, Frame& f) {
  // Every user error should already carry the span of the operation that
  // failed; one the runtime raised where no caller added a span (an
  // allocation deep inside a builtin) still becomes an error at its
  // statement, never an escaping exception.
  try {
    throwIfInterrupted(); // Ctrl-C in the REPL: between statements, loop bodies included
    return execStatement(s, f);
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, s.span());
  }
}

Interpreter::Flow Interpreter::execBlock(const std::vector<StmtPtr>& body, Frame& f) {
  for (const StmtPtr& s : body)
    if (Flow flow = exec(*s, f); flow != Flow::Normal) return flow;
  return Flow::Normal;
}

Interpreter::Flow Interpreter::execStatement(const Stmt& s, Frame& f) {
  switch (s.kind()) {
    case StmtKind::Expr:
      eval(*cast<ExprStmt>(s).value, f);
      return Flow::Normal;
    case StmtKind::Assign: {
      const auto& a = cast<AssignStmt>(s);
      if (loopDepth_ > 0 && a.targets.size() == 1 && isa<NameExpr>(*a.targets[0]) &&
          assignByPlan(cast<NameExpr>(*a.targets[0]), *a.value, f))
        return Flow::Normal;
      Value v = eval(*a.value, f);
      for (const ExprPtr& t : a.targets) assign(*t, v, f);
      return Flow::Normal;
    }
    case StmtKind::AugAssign:
      augAssign(cast<AugAssignStmt>(s), f);
      return Flow::Normal;
    case StmtKind::If: {
      const auto& i = cast<IfStmt>(s);
      std::optional<Value> test = loopDepth_ > 0 ? computeByPlan(*i.test, f) : std::nullopt;
      if (!test) test = eval(*i.test, f);
      return execBlock(truthy(*test, i.test->span()) ? i.body : i.orelse, f);
    }
    case StmtKind::While:
      return execWhile(cast<WhileStmt>(s), f);
    case StmtKind::For:
      return execFor(cast<ForStmt>(s), f);
    case StmtKind::With:
      return execWith(cast<WithStmt>(s), f);
    case StmtKind::Break:
      return Flow::Break;
    case StmtKind::Continue:
      return Flow::Continue;
    case StmtKind::FunctionDef: {
      const auto& d = cast<FunctionDefStmt>(s);
      Value fn;
      fn.kind = Value::Kind::Function;
      fn.function = &d;
      fn.name = d.name;
      // Defaults are evaluated once, when `def` runs (Python's rule).
      for (const Param& p : d.params)
        if (p.defaultValue) fn.items.push_back(eval(*p.defaultValue, f));
      (f.global ? globals_ : f.locals)[d.name] = fn;
      return Flow::Normal;
    }
    case StmtKind::Return: {
      RAVEL_CHECK(!f.global, "return outside a function body reached exec");
      const auto& r = cast<ReturnStmt>(s);
      f.returned = r.value ? eval(*r.value, f) : Value::none();
      return Flow::Return;
    }
    case StmtKind::Pass:
      return Flow::Normal;
    case StmtKind::Import: {
      const auto& im = cast<ImportStmt>(s);
      auto& scope = f.global ? globals_ : f.locals;
      if (!im.star && im.names.empty()) {
        std::string bound = im.alias.empty() ? im.module.substr(0, im.module.find('.')) : im.alias;
        std::string mod = im.alias.empty() ? "numpy" : im.module;
        scope[bound] = Value::ofModule(mod == "numpy.random"              ? "random"
                                       : mod == "numpy.linalg"            ? "linalg"
                                       : mod == "numpy.lib.stride_tricks" ? "stride_tricks"
                                                                          : "numpy");
      }
      const std::string from = im.module == "numpy"                     ? "numpy"
                               : im.module == "numpy.lib.stride_tricks" ? "stride_tricks"
                                                                        : "random";
      for (const std::string& n : im.names)
        scope[n] = attribute(Value::ofModule(from), n, s.span());
      return Flow::Normal;
    }
    case StmtKind::Magic: {
      const auto& m = cast<MagicStmt>(s);
      if (m.magic == Magic::TimeIt) {
        timeit(m, f);
        return Flow::Normal;
      }
      size_t firstLaunch = launches_.size(), firstNote = notes_.size();
      bool wasRecording = recording_;
      recording_ = true;
      try {
        exec(*m.statement, f);
      } catch (...) {
        recording_ = wasRecording; // an error (or Ctrl-C) must not leave recording on
        throw;
      }
      recording_ = wasRecording;
      std::vector<std::string> bound;
      if (isa<AssignStmt>(*m.statement))
        for (const ExprPtr& t : cast<AssignStmt>(*m.statement).targets)
          if (isa<NameExpr>(*t)) bound.push_back(cast<NameExpr>(*t).id);
      if (!dryRun_) *out_ << "[explain] " << describe(firstLaunch, firstNote, false, bound);
      return Flow::Normal;
    }
  }
  RAVEL_CHECK(false, "unhandled statement kind");
}

void Interpreter::track(const ArrayRef& a) {
  if (!a->materialized()) lazyObjects_.push_back(a);
  if (lazyObjects_.size() > 256) {
    std::erase_if(lazyObjects_, [](const std::weak_ptr<ArrayObject>& w) {
      auto p = w.lock();
      return !p || p->materialized();
    });
  }
}

void Interpreter::assign(const Expr& target, const Value& v, Frame& f) {
  switch (target.kind()) {
    case ExprKind::Name: {
      const auto& n = cast<NameExpr>(target);
      if (v.isArray() && v.array->name.empty()) {
        v.array->name = n.id;
        v.array->span = target.span();
      }
      (f.global ? globals_ : f.locals)[n.id] = v;
      return;
    }
    case ExprKind::Tuple:
    case ExprKind::List: {
      const auto& elts = target.kind() == ExprKind::Tuple ? cast<TupleExpr>(target).elts
                                                          : cast<ListExpr>(target).elts;
      // Unpacking iterates: an array gives its rows (views), as in NumPy.
      const bool sequence = v.kind == Value::Kind::Tuple || v.kind == Value::Kind::List;
      const bool iterable = v.kind == Value::Kind::Range || v.kind == Value::Kind::Str ||
                            (v.isArray() && !v.array->isScalar);
      if (!sequence && !iterable)
        raise(ErrorKind::Type, target.span(),
              std::string("cannot unpack non-iterable ") + typeName(v) + " object");
      const std::vector<Value> items = sequence ? v.items : itemsOf(v, target.span());
      if (items.size() != elts.size())
        raise(ErrorKind::Value, target.span(),
              items.size() > elts.size()
                  ? "too many values to unpack (expected " + std::to_string(elts.size()) + ")"
                  : "not enough values to unpack (expected " + std::to_string(elts.size()) +
                        ", got " + std::to_string(items.size()) + ")");
      for (size_t i = 0; i < elts.size(); ++i) assign(*elts[i], items[i], f);
      return;
    }
    case ExprKind::Subscript: {
      const auto& sub = cast<SubscriptExpr>(target);
      Value obj = eval(*sub.object, f);
      // A NumPy scalar is immutable: `s[...] = 1` is Python's TypeError.
      if (!obj.isArray() || obj.array->isScalar)
        raise(ErrorKind::Type, sub.object->span(),
              std::string("'") + typeName(obj) + "' object does not support item assignment");
      std::vector<Value> index;
      for (const ExprPtr& i : sub.indices) index.push_back(eval(*i, f));
      for (const Value& i : index) forceScalars(i, target.span());
      if (isAdvancedIndex(index)) {
        advancedAssign(obj.array, std::move(index), v, target.span());
        return;
      }
      Array base = materialize(obj.array, sub.object->span());
      Array view = indexView(base, index, target.span(), nullptr);
      assignInto(view, v, target.span());
      return;
    }
    case ExprKind::Attribute: {
      const auto& a = cast<AttributeExpr>(target);
      // a.flags.writeable = False / True, NumPy's way to lock an array.
      if (a.attr == "writeable" && isa<AttributeExpr>(*a.object) &&
          cast<AttributeExpr>(*a.object).attr == "flags") {
        Value obj = eval(*cast<AttributeExpr>(*a.object).object, f);
        if (obj.isArray()) {
          setWriteable(obj.array, truthy(v, target.span()), target.span());
          return;
        }
      }
      raise(ErrorKind::Type, target.span(), "attribute '" + a.attr + "' is read-only in ravel");
    }
    default:
      raise(ErrorKind::Syntax, target.span(), "cannot assign to this expression");
  }
}

void Interpreter::setWriteable(const ArrayRef& a, bool writeable, Span span) {
  Array m = materialize(a, span);
  if (writeable && !m.writeable() && !a->lockedByUser)
    raise(ErrorKind::Value, span, "cannot set WRITEABLE flag to True of this array");
  if (!writeable) {
    // Pending values reading it keep NumPy's meaning either way; locking
    // only changes what may be written from now on.
    a->lockedByUser = a->lockedByUser || m.writeable();
  } else {
    a->lockedByUser = false;
  }
  a->data = m.withWriteable(writeable);
}

void Interpreter::augAssign(const AugAssignStmt& s, Frame& f) {
  Value rhs = eval(*s.value, f);
  if (s.target->kind() == ExprKind::Subscript) {
    // `a[i] op= v` with an advanced index updates a buffered copy of the
    // selected elements and writes it back (a plain subscript would copy).
    const auto& sub = cast<SubscriptExpr>(*s.target);
    Value obj = eval(*sub.object, f);
    if (obj.isArray() && obj.array->isScalar)
      raise(ErrorKind::Type, sub.object->span(),
            std::string("'") + typeName(obj) + "' object does not support item assignment");
    std::vector<Value> index;
    for (const ExprPtr& i : sub.indices) index.push_back(eval(*i, f));
    for (const Value& i : index) forceScalars(i, s.target->span());
    if (obj.isArray() && !obj.array->isScalar && isAdvancedIndex(index)) {
      Op op = binaryOp(s.op);
      if (op == Op::Input)
        raise(ErrorKind::Type, s.opSpan,
              std::string("operator ") + binaryOpText(s.op) + "= is not supported on arrays yet");
      advancedAugAssign(obj.array, std::move(index), op, rhs, s.span());
      return;
    }
  }
  Value cur = eval(*s.target, f);
  if (!cur.isArray()) {
    // Python scalars and tuples rebind, as in Python.
    assign(*s.target, pyBinary(s.op, cur, rhs, s.span()), f);
    return;
  }
  if (s.op == BinaryOp::MatMul)
    raise(ErrorKind::Type, s.opSpan,
          "In-place matrix multiplication is not (yet) supported. Use 'a = a @ b' instead of "
          "'a @= b'.");
  Op op = binaryOp(s.op);
  if (op == Op::Input)
    raise(ErrorKind::Type, s.opSpan,
          std::string("operator ") + binaryOpText(s.op) + "= is not supported on arrays yet");
  Array target;
  if (cur.array->isScalar) {
    // NumPy scalars are immutable: `s += 1` rebinds.
    assign(*s.target, binary(op, cur, rhs, s.span()), f);
    return;
  }
  target = materialize(cur.array, s.target->span());
  // The result of `target op rhs` computed in the target's dtype, into it.
  graph::NodeRef lhsNode = graph_.input(target, s.target->span());
  Value lhs = arrayValue(lhsNode);
  graph::NodeRef node = nodeOf(binary(op, lhs, rhs, s.span()), s.span());
  // The temporary value object is gone here, so protecting the target's
  // buffer does not compute the update a second time into fresh memory.
  inPlace(target, node, s.span(), graph::numpyName(op));
}

Value Interpreter::lookup(const NameExpr& n, Frame& f) {
  if (!f.global) {
    auto it = f.locals.find(n.id);
    if (it != f.locals.end()) return it->second;
  }
  auto g = globals_.find(n.id);
  if (g != globals_.end()) return g->second;
  Value builtin = attribute(Value::ofModule("numpy"), n.id, n.span());
  return builtin;
}

Value Interpreter::eval(const Expr& e, Frame& f) {
  switch (e.kind()) {
    case ExprKind::Name:
      return lookup(cast<NameExpr>(e), f);
    case ExprKind::Int: {
      const auto& i = cast<IntExpr>(e);
      if (i.tooLarge)
        raise(ErrorKind::Value, e.span(),
              "integer literal is too large (ravel integers are 64-bit; NumPy would make an "
              "object array)");
      Value v = Value::ofInt(i.value);
      if (i.overflow) v.big = true, v.wide = i.wide; // a Python int beyond int64
      return v;
    }
    case ExprKind::Float:
      return Value::ofFloat(cast<FloatExpr>(e).value);
    case ExprKind::Imag: {
      Value v;
      v.kind = Value::Kind::Imaginary;
      v.f = cast<ImagExpr>(e).value;
      return v;
    }
    case ExprKind::Bool:
      return Value::ofBool(cast<BoolExpr>(e).value);
    case ExprKind::None:
      return Value::none();
    case ExprKind::String:
      return Value::ofStr(cast<StringExpr>(e).value);
    case ExprKind::Ellipsis: {
      Value v;
      v.kind = Value::Kind::Ellipsis;
      return v;
    }
    case ExprKind::Tuple:
    case ExprKind::List: {
      const auto& elts =
          e.kind() == ExprKind::Tuple ? cast<TupleExpr>(e).elts : cast<ListExpr>(e).elts;
      Value v;
      v.kind = e.kind() == ExprKind::Tuple ? Value::Kind::Tuple : Value::Kind::List;
      for (const ExprPtr& x : elts) v.items.push_back(eval(*x, f));
      return v;
    }
    case ExprKind::Unary: {
      const auto& u = cast<UnaryExpr>(e);
      Value x = eval(*u.operand, f);
      switch (u.op) {
        case UnaryOp::Not:
          return Value::ofBool(!truthy(x, u.operand->span()));
        case UnaryOp::Pos:
          return x;
        case UnaryOp::Neg:
          if (x.kind == Value::Kind::Int)
            return pyBinary(BinaryOp::Sub, Value::ofInt(0), x, e.span());
          if (x.kind == Value::Kind::Bool) return Value::ofInt(-int64_t(x.b));
          if (x.kind == Value::Kind::Float) return Value::ofFloat(-x.f);
          if (x.kind == Value::Kind::Imaginary) return x.f = -x.f, x;
          return unary(Op::Neg, x, e.span());
        case UnaryOp::Invert:
          // Python's ~n is -n - 1, also beyond int64.
          if (x.kind == Value::Kind::Int)
            return pyBinary(BinaryOp::Sub, Value::ofInt(-1), x, e.span());
          if (x.kind == Value::Kind::Bool) return Value::ofInt(~int64_t(x.b));
          return unary(Op::Invert, x, e.span());
      }
      break;
    }
    case ExprKind::Binary: {
      const auto& b = cast<BinaryExpr>(e);
      // Left-deep chains (`a + b + c + ...`) are evaluated iteratively so a
      // 10,000-term sum cannot overflow the stack.
      std::vector<const BinaryExpr*> chain{&b};
      while (chain.back()->lhs->kind() == ExprKind::Binary)
        chain.push_back(&cast<BinaryExpr>(*chain.back()->lhs));
      Value acc = eval(*chain.back()->lhs, f);
      for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        // `a @ b + c` and `c + a @ b`: the add is the product's epilogue
        // (operands still evaluated in Python's order).
        if ((*it)->op == BinaryOp::MatMul && std::next(it) != chain.rend() &&
            (*std::next(it))->op == BinaryOp::Add) {
          Value rhs = eval(*(*it)->rhs, f);
          Value addend = eval(*(*std::next(it))->rhs, f);
          acc = matmulAddOperator(*this, acc, rhs, addend, (*it)->span(), (*std::next(it))->span(),
                                  false);
          ++it;
          continue;
        }
        if ((*it)->op == BinaryOp::Add && (*it)->rhs->kind() == ExprKind::Binary &&
            cast<BinaryExpr>(*(*it)->rhs).op == BinaryOp::MatMul) {
          const auto& mm = cast<BinaryExpr>(*(*it)->rhs);
          Value x = eval(*mm.lhs, f);
          Value y = eval(*mm.rhs, f);
          acc = matmulAddOperator(*this, x, y, acc, mm.span(), (*it)->span(), true);
          continue;
        }
        Value rhs = eval(*(*it)->rhs, f);
        acc = pyBinary((*it)->op, acc, rhs, (*it)->span());
      }
      return acc;
    }
    case ExprKind::Compare:
      return compare(cast<CompareExpr>(e), f);
    case ExprKind::BoolOp: {
      const auto& b = cast<BoolOpExpr>(e);
      Value v;
      for (const ExprPtr& x : b.operands) {
        // Each operand of a loop's test may replay (`k < n and err > tol`).
        std::optional<Value> computed = loopDepth_ > 0 ? computeByPlan(*x, f) : std::nullopt;
        v = computed ? std::move(*computed) : eval(*x, f);
        bool t = truthy(v, x->span());
        if (b.op == BoolOpKind::And ? !t : t) return v;
      }
      return v;
    }
    case ExprKind::Call:
      return call(cast<CallExpr>(e), f);
    case ExprKind::Attribute: {
      const auto& a = cast<AttributeExpr>(e);
      return attribute(eval(*a.object, f), a.attr, a.attrSpan);
    }
    case ExprKind::Subscript: {
      const auto& s = cast<SubscriptExpr>(e);
      Value obj = eval(*s.object, f);
      std::vector<Value> index;
      for (const ExprPtr& i : s.indices) index.push_back(eval(*i, f));
      return subscript(obj, index, e.span());
    }
    case ExprKind::Slice: {
      const auto& s = cast<SliceExpr>(e);
      Value v;
      v.kind = Value::Kind::Slice;
      for (const ExprPtr* p : {&s.lower, &s.upper, &s.step})
        v.items.push_back(*p ? eval(**p, f) : Value::none());
      return v;
    }
    case ExprKind::IfExp: {
      const auto& c = cast<IfExpExpr>(e);
      return eval(truthy(eval(*c.test, f), c.test->span()) ? *c.body : *c.orelse, f);
    }
    case ExprKind::ListComp:
      return listComp(cast<ListCompExpr>(e), f);
    case ExprKind::FString:
      return fstring(cast<FStringExpr>(e), f);
  }
  RAVEL_CHECK(false, "unhandled expression kind");
}

namespace {

/// `a is b` for NumPy's singleton-like objects: mgrid and ogrid are one
/// object each, and finfo caches one object per dtype (iinfo makes a new one
/// per call).
bool sameNumpyObject(const Value& a, const Value& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == Value::Kind::Grid) return a.b == b.b;
  return a.kind == Value::Kind::MachInfo && isFloat(a.dtype) && a.dtype == b.dtype;
}

} // namespace

Value Interpreter::compare(const CompareExpr& c, Frame& f) {
  Value left = eval(*c.operands[0], f);
  Value result;
  for (size_t k = 0; k < c.ops.size(); ++k) {
    Value right = eval(*c.operands[k + 1], f);
    Span span = Span::cover(c.operands[k]->span(), c.operands[k + 1]->span());
    Value r;
    CompareOp op = c.ops[k];
    if (op == CompareOp::Is || op == CompareOp::IsNot) {
      bool same =
          left.kind == right.kind &&
          (left.kind == Value::Kind::None || (left.isArray() && left.array == right.array) ||
           (left.kind == Value::Kind::Bool && left.b == right.b) ||
           (left.kind == Value::Kind::Int && left.i == right.i && !left.big) ||
           (left.kind == Value::Kind::DTypeObj && left.dtype == right.dtype) ||
           (left.kind == Value::Kind::Module && left.name == right.name) ||
           sameNumpyObject(left, right));
      r = Value::ofBool(op == CompareOp::Is ? same : !same);
    } else if (op == CompareOp::In || op == CompareOp::NotIn) {
      raise(ErrorKind::Type, span, "'in' is not supported in ravel");
    } else if (left.isPyScalar() && right.isPyScalar()) {
      double a = left.kind == Value::Kind::Float
                     ? left.f
                     : double(left.kind == Value::Kind::Int ? left.i : left.b);
      double b = right.kind == Value::Kind::Float
                     ? right.f
                     : double(right.kind == Value::Kind::Int ? right.i : right.b);
      bool ints = left.kind != Value::Kind::Float && right.kind != Value::Kind::Float;
      int64_t ia = left.kind == Value::Kind::Int ? left.i : left.b;
      int64_t ib = right.kind == Value::Kind::Int ? right.i : right.b;
      bool t = false;
      switch (op) {
        case CompareOp::Eq:
          t = ints ? ia == ib : a == b;
          break;
        case CompareOp::Ne:
          t = ints ? ia != ib : a != b;
          break;
        case CompareOp::Lt:
          t = ints ? ia < ib : a < b;
          break;
        case CompareOp::Le:
          t = ints ? ia <= ib : a <= b;
          break;
        case CompareOp::Gt:
          t = ints ? ia > ib : a > b;
          break;
        case CompareOp::Ge:
          t = ints ? ia >= ib : a >= b;
          break;
        default:
          break;
      }
      r = Value::ofBool(t);
    } else if ((left.kind == Value::Kind::Grid || left.kind == Value::Kind::MachInfo) &&
               (op == CompareOp::Eq || op == CompareOp::Ne)) {
      // No __eq__: identity, as `is`.
      const bool eq = left.kind == right.kind && sameNumpyObject(left, right);
      r = Value::ofBool(op == CompareOp::Eq ? eq : !eq);
    } else if ((left.kind == Value::Kind::Tuple || left.kind == Value::Kind::Str ||
                left.kind == Value::Kind::None || left.kind == Value::Kind::DTypeObj) &&
               (op == CompareOp::Eq || op == CompareOp::Ne)) {
      bool eq = str(left) == str(right) && left.kind == right.kind;
      r = Value::ofBool(op == CompareOp::Eq ? eq : !eq);
    } else {
      r = binary(compareOp(op), left, right, span);
    }
    if (c.ops.size() == 1) return r;
    // Chained comparisons mean `a < b and b < c`, with Python truthiness.
    if (!truthy(r, span)) return r;
    result = r;
    left = right;
  }
  return result;
}

Value Interpreter::call(const CallExpr& c, Frame& f) {
  Value callee = eval(*c.callee, f);
  std::vector<Value> args;
  for (const ExprPtr& a : c.args) args.push_back(eval(*a, f));
  std::vector<std::pair<std::string, Value>> kwargs;
  for (const Keyword& k : c.keywords) {
    Value v = eval(*k.value, f);
    if (k.name != "**") {
      kwargs.emplace_back(k.name, std::move(v));
      continue;
    }
    if (v.kind != Value::Kind::Dict || v.name == "errstate")
      raise(ErrorKind::Type, k.value->span(),
            "argument after ** must be a mapping, not " + std::string(typeName(v)));
    for (size_t i = 0; i + 1 < v.items.size(); i += 2) {
      for (const auto& kw : kwargs)
        if (kw.first == v.items[i].name)
          raise(ErrorKind::Type, c.span(),
                "got multiple values for keyword argument '" + kw.first + "'");
      kwargs.emplace_back(v.items[i].name, v.items[i + 1]);
    }
  }
  switch (callee.kind) {
    case Value::Kind::Function: {
      if (callDepth_ >= kMaxCallDepth)
        raise(ErrorKind::Runtime, c.span(), "maximum recursion depth exceeded");
      Frame frame = bindArguments(callee, args, kwargs, c.span());
      try {
        return runBody(*callee.function, frame, c.span());
      } catch (RavelError& e) {
        // Unwinding outward: each call site goes in front (outer first).
        e.addCaller(c.span(), callee.function->name);
        throw;
      }
    }
    case Value::Kind::Builtin:
      return callBuiltin(callee.name, args, kwargs, c.span());
    case Value::Kind::Method: {
      args.insert(args.begin(),
                  callee.items.empty() ? Value::ofArray(callee.array) : callee.items[0]);
      if (args[0].kind == Value::Kind::RandomState) {
        // rs.rand(3) is np.random.rand(3) drawing from rs's stream.
        const std::shared_ptr<LegacyRandom> stream = args[0].legacy;
        args.erase(args.begin());
        LegacyStreamScope scope(*stream);
        return callBuiltin("random." + callee.name, args, kwargs, c.span());
      }
      const bool generator = args[0].kind == Value::Kind::Generator;
      return callBuiltin((generator ? "Generator." : ".") + callee.name, args, kwargs, c.span());
    }
    case Value::Kind::DTypeObj: {
      if (args.size() != 1 || !kwargs.empty())
        raise(ErrorKind::Type, c.span(),
              std::string(dtypeName(callee.dtype)) + "() takes exactly one argument");
      // A Python number converts as NumPy's setitem does (int32(3e9) wraps,
      // int32(nan) is an error); an array casts like astype.
      if (args[0].isPyScalar())
        return materializedValue(Array::scalar(setItemScalar(args[0], callee.dtype, c.span())),
                                 true);
      Value v = astype(args[0], callee.dtype, c.span());
      if (v.isArray() && v.array->shape().empty()) v.array->isScalar = true;
      return v;
    }
    default:
      break;
  }
  raise(ErrorKind::Type, c.callee->span(),
        std::string("'") + typeName(callee) + "' object is not callable");
}

Value Interpreter::callFunction(const Value& callee, std::vector<Value>& args,
                                std::vector<std::pair<std::string, Value>>& kwargs, Span span) {
  if (callDepth_ >= kMaxCallDepth)
    raise(ErrorKind::Runtime, span, "maximum recursion depth exceeded");
  Frame frame = bindArguments(callee, args, kwargs, span);
  return runBody(*callee.function, frame, span);
}

Interpreter::Frame Interpreter::bindArguments(const Value& callee, std::vector<Value>& args,
                                              std::vector<std::pair<std::string, Value>>& kwargs,
                                              Span span) {
  const FunctionDefStmt& fn = *callee.function;
  Frame frame;
  frame.global = false;
  size_t firstDefault = fn.params.size() - callee.items.size();
  if (args.size() > fn.params.size())
    raise(ErrorKind::Type, span,
          sema::tooManyArgumentsMessage(fn.name, firstDefault, fn.params.size(), args.size()));
  for (size_t i = 0; i < args.size(); ++i) frame.locals[fn.params[i].name] = args[i];
  for (auto& [name, v] : kwargs) {
    bool known = false;
    for (const Param& p : fn.params) known |= p.name == name;
    if (!known)
      raise(ErrorKind::Type, span,
            fn.name + "() got an unexpected keyword argument '" + name + "'");
    if (frame.locals.count(name))
      raise(ErrorKind::Type, span, fn.name + "() got multiple values for argument '" + name + "'");
    frame.locals[name] = v;
  }
  std::vector<std::string> missing;
  for (size_t i = 0; i < fn.params.size(); ++i) {
    const Param& p = fn.params[i];
    if (frame.locals.count(p.name)) continue;
    if (i < firstDefault)
      missing.push_back(p.name);
    else
      frame.locals[p.name] = callee.items[i - firstDefault];
  }
  if (!missing.empty())
    raise(ErrorKind::Type, span, sema::missingArgumentsMessage(fn.name, missing));
  return frame;
}

Value Interpreter::runBody(const FunctionDefStmt& fn, Frame& frame, Span) {
  ++callDepth_;
  struct Leave {
    int& d;
    ~Leave() { --d; }
  } leave{callDepth_};
  if (execBlock(fn.body, frame) == Flow::Return) return std::move(frame.returned);
  return Value::none();
}

Value Interpreter::pyBinary(BinaryOp op, const Value& a, const Value& b, Span span) {
  if (op == BinaryOp::MatMul) return matmulOperator(*this, a, b, span);
  if (a.kind == Value::Kind::Imaginary || b.kind == Value::Kind::Imaginary) {
    // `n * 1j` (sema allows no other complex arithmetic): still imaginary.
    const Value& im = a.kind == Value::Kind::Imaginary ? a : b;
    const Value& re = a.kind == Value::Kind::Imaginary ? b : a;
    const bool real = re.isPyScalar() || (re.isArray() && re.array->shape().empty() &&
                                          re.array->dtype() != DType::Bool);
    if (op != BinaryOp::Mul || !real)
      raise(ErrorKind::Type, span, "complex numbers are not supported in ravel");
    Value v = im;
    v.f *= re.kind == Value::Kind::Float  ? re.f
           : re.kind == Value::Kind::Int  ? double(re.i)
           : re.kind == Value::Kind::Bool ? double(re.b)
                                          : readValues(re.array, span).item().f;
    return v;
  }
  if (a.isPyScalar() && b.isPyScalar()) {
    bool ints = a.kind != Value::Kind::Float && b.kind != Value::Kind::Float;
    auto asFloat = [](const Value& v) {
      return v.kind == Value::Kind::Float ? v.f : double(v.kind == Value::Kind::Int ? v.i : v.b);
    };
    auto overflow = [&] {
      raise(ErrorKind::Value, span,
            std::string("integer overflow in ") + binaryOpText(op) +
                " (ravel's Python integers are limited to 128 bits)");
    };
    if (ints) {
      // Python ints are unbounded; ravel computes them in 128 bits so that
      // expressions like 2**63 - 1 work, and reports results beyond that.
      using Wide = __int128;
      auto wideOf = [](const Value& v) -> Wide {
        return v.kind == Value::Kind::Bool ? Wide(v.b) : v.big ? v.wide : Wide(v.i);
      };
      Wide x = wideOf(a), y = wideOf(b), r = 0;
      bool bools = a.kind == Value::Kind::Bool && b.kind == Value::Kind::Bool;
      auto make = [&](Wide w) {
        if (w >= Wide(INT64_MIN) && w <= Wide(INT64_MAX)) return Value::ofInt(int64_t(w));
        Value v = Value::ofInt(w < 0 ? INT64_MIN : INT64_MAX);
        v.big = true;
        v.wide = w;
        return v;
      };
      switch (op) {
        case BinaryOp::Add:
          if (__builtin_add_overflow(x, y, &r)) overflow();
          return make(r);
        case BinaryOp::Sub:
          if (__builtin_sub_overflow(x, y, &r)) overflow();
          return make(r);
        case BinaryOp::Mul:
          if (__builtin_mul_overflow(x, y, &r)) overflow();
          return make(r);
        case BinaryOp::Div:
          if (y == 0) raise(ErrorKind::Value, span, "division by zero");
          return Value::ofFloat(double(x) / double(y));
        case BinaryOp::FloorDiv:
        case BinaryOp::Mod: {
          if (y == 0) raise(ErrorKind::Value, span, "integer division or modulo by zero");
          if (y == -1) {
            // The one quotient beyond 128 bits: -(2**127) // -1.
            if (op == BinaryOp::Mod) return make(0);
            if (x == std::numeric_limits<Wide>::min()) overflow();
            return make(-x);
          }
          Wide q = x / y, m = x % y;
          if (m != 0 && ((m < 0) != (y < 0))) {
            q -= 1;
            m += y;
          }
          return make(op == BinaryOp::FloorDiv ? q : m);
        }
        case BinaryOp::Pow: {
          if (y < 0) {
            if (x == 0) raise(ErrorKind::Value, span, "0.0 cannot be raised to a negative power");
            return Value::ofFloat(std::pow(double(x), double(y)));
          }
          Wide result = 1, base = x;
          while (y) {
            if ((y & 1) && __builtin_mul_overflow(result, base, &result)) overflow();
            y >>= 1;
            if (y && __builtin_mul_overflow(base, base, &base)) overflow();
          }
          return make(result);
        }
        case BinaryOp::BitAnd:
          return bools ? Value::ofBool(bool(x & y)) : make(x & y);
        case BinaryOp::BitOr:
          return bools ? Value::ofBool(bool(x | y)) : make(x | y);
        case BinaryOp::BitXor:
          return bools ? Value::ofBool(bool(x ^ y)) : make(x ^ y);
        case BinaryOp::LShift:
          if (y < 0) raise(ErrorKind::Value, span, "negative shift count");
          if (y >= 126 || (x != 0 && (x > (std::numeric_limits<Wide>::max() >> int(y)) ||
                                      x < (std::numeric_limits<Wide>::min() >> int(y)))))
            overflow();
          return make(x << int(y));
        case BinaryOp::RShift:
          if (y < 0) raise(ErrorKind::Value, span, "negative shift count");
          return make(y >= 126 ? (x < 0 ? -1 : 0) : x >> int(y));
        case BinaryOp::MatMul:
          break;
      }
    } else {
      double x = asFloat(a), y = asFloat(b);
      switch (op) {
        case BinaryOp::Add:
          return Value::ofFloat(x + y);
        case BinaryOp::Sub:
          return Value::ofFloat(x - y);
        case BinaryOp::Mul:
          return Value::ofFloat(x * y);
        case BinaryOp::Div:
          if (y == 0) raise(ErrorKind::Value, span, "float division by zero");
          return Value::ofFloat(x / y);
        case BinaryOp::FloorDiv:
        case BinaryOp::Mod: {
          if (y == 0) raise(ErrorKind::Value, span, "float floor division by zero");
          // CPython's float_divmod.
          double mod = std::fmod(x, y);
          double div = (x - mod) / y;
          if (mod != 0) {
            if ((y < 0) != (mod < 0)) {
              mod += y;
              div -= 1.0;
            }
          } else {
            mod = std::copysign(0.0, y);
          }
          double floordiv;
          if (div != 0) {
            floordiv = std::floor(div);
            if (div - floordiv > 0.5) floordiv += 1.0;
          } else {
            floordiv = std::copysign(0.0, x / y);
          }
          return Value::ofFloat(op == BinaryOp::FloorDiv ? floordiv : mod);
        }
        case BinaryOp::Pow:
          if (x < 0 && y != std::floor(y))
            raise(ErrorKind::Value, span,
                  "negative number raised to a fractional power (Python would return a complex)");
          if (x == 0 && y < 0)
            raise(ErrorKind::Value, span, "0.0 cannot be raised to a negative power");
          return Value::ofFloat(std::pow(x, y));
        default:
          raise(ErrorKind::Type, span,
                std::string("unsupported operand type(s) for ") + binaryOpText(op) +
                    ": 'float' and 'float'");
      }
    }
  }
  // Python sequences: + concatenates, * repeats (a list only becomes an
  // array when it meets one).
  auto isSeq = [](const Value& v) {
    return v.kind == Value::Kind::Tuple || v.kind == Value::Kind::List;
  };
  if (isSeq(a) && isSeq(b) && op == BinaryOp::Add) {
    if (a.kind != b.kind)
      raise(ErrorKind::Type, span,
            std::string("can only concatenate ") + typeName(a) + " (not \"" + typeName(b) +
                "\") to " + typeName(a));
    Value t = a;
    t.items.insert(t.items.end(), b.items.begin(), b.items.end());
    return t;
  }
  if (op == BinaryOp::Mul &&
      ((isSeq(a) && b.kind == Value::Kind::Int) || (a.kind == Value::Kind::Int && isSeq(b)))) {
    const Value& seq = isSeq(a) ? a : b;
    const Value& count = isSeq(a) ? b : a;
    if (count.big && count.wide > 0)
      raise(ErrorKind::Value, span, "cannot fit 'int' into an index-sized integer");
    int64_t times = count.big ? 0 : count.i, length = 0;
    if (times > 0 && (__builtin_mul_overflow(int64_t(seq.items.size()), times, &length) ||
                      length > kMaxSequenceLength))
      raise(ErrorKind::Memory, span, "sequence repetition is too large");
    Value t = seq;
    t.items.clear();
    for (int64_t k = 0; k < times; ++k)
      t.items.insert(t.items.end(), seq.items.begin(), seq.items.end());
    return t;
  }
  if (isSeq(a) && isSeq(b))
    raise(ErrorKind::Type, span,
          std::string("unsupported operand type(s) for ") + binaryOpText(op) + ": '" + typeName(a) +
              "' and '" + typeName(b) + "'");
  // NumPy's `**` operator squares an array for the exponent 2 (or 2.0), and
  // the square of a bool array is int8, a dtype ravel does not have. Every
  // other exponent (and `power(a, 2)`) follows the ordinary promotion.
  if (op == BinaryOp::Pow && a.isArray() && !a.array->isScalar && a.array->dtype() == DType::Bool &&
      ((b.kind == Value::Kind::Int && !b.big && b.i == 2) ||
       (b.kind == Value::Kind::Float && b.f == 2.0)))
    raise(ErrorKind::Type, span,
          "bool array ** 2 gives int8 in NumPy, which ravel does not have; convert the array "
          "with .astype(int) first");
  // NumPy's `x ** 0.5 -> sqrt(x)` shortcut is for arrays; a NumPy scalar
  // calls pow, which differs at -0.0 (+0.0) and -inf (+inf).
  if (op == BinaryOp::Pow && a.isArray() && a.array->isScalar && b.kind == Value::Kind::Float &&
      b.f == 0.5) {
    Value typed = binary(Op::Pow, a, b, span);
    const DType t = typed.array->dtype();
    const double x = materialize(a.array, span).item().castTo(DType::Float64).f;
    const double r = t == DType::Float32 ? double(std::pow(float(x), 0.5f)) : std::pow(x, 0.5);
    return materializedValue(Array::scalar(Scalar::ofFloat(r, t)), true);
  }
  Op gop = binaryOp(op);
  if (gop == Op::Input)
    raise(ErrorKind::Type, span,
          std::string("operator ") + binaryOpText(op) + " is not supported on arrays yet");
  return binary(gop, a, b, span);
}

std::vector<std::string> Interpreter::globalNames() const {
  std::vector<std::string> names;
  for (const auto& [n, v] : globals_) names.push_back(n);
  return names;
}

// `_` (the REPL's last echoed value) is not a variable of the program's.
std::vector<std::string> Interpreter::lazyGlobals() const {
  std::vector<std::string> names;
  for (const auto& [n, v] : globals_)
    if (v.isArray() && !v.array->materialized() && n != "_") names.push_back(n);
  return names;
}

std::vector<std::string> Interpreter::materializedGlobals() const {
  std::vector<std::string> names;
  for (const auto& [n, v] : globals_)
    if (v.isArray() && v.array->materialized() && n != "_") names.push_back(n);
  return names;
}

std::vector<std::pair<std::string, graph::NodeRef>> Interpreter::lazyRoots() const {
  std::vector<std::pair<std::string, graph::NodeRef>> roots;
  for (const auto& [n, v] : globals_)
    if (v.isArray() && !v.array->materialized()) roots.emplace_back(n, v.array->node);
  return roots;
}

} // namespace ravel::exec
