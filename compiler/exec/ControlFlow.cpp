// Python's control flow: `while`, `for` (with `break`, `continue` and
// `else`), iteration over ranges, sequences and arrays, list
// comprehensions, f-strings, and the iteration builtins (range, zip,
// enumerate, list, tuple).
//
// Laziness inside loops. Statements in a loop body build lazy graph nodes
// like any other statement, so a body that computes nothing
// (`x = x * 0.5 + 1`) chains its iterations into one growing expression:
// fusion across iterations, which is exact because each op still rounds in
// its own dtype. The chain is cut at kMaxFusedOps ops (arrayValue
// materializes it), so the graph, the memory and the kernel size stay
// bounded, and the same cut repeats, so its kernel comes from the cache.
// An iteration that did compute something (a `while` test, a print, a write
// into an array) ends by materializing every lazy value its loop-carried
// names hold: otherwise the next iteration's reads would recompute a chain
// one step longer each time (a new kernel per iteration). After the cut,
// every iteration runs the same kernels, found in the JIT cache.
//
// A dry run (explain) computes no data, so a loop runs its body once.
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"
#include "runtime/Interrupt.h"

#include <unordered_set>

namespace ravel::exec {
using namespace ast;

namespace {

void collectNames(const Expr& t, std::vector<std::string>& out) {
  if (isa<NameExpr>(t)) out.push_back(cast<NameExpr>(t).id);
  if (isa<TupleExpr>(t))
    for (const ExprPtr& e : cast<TupleExpr>(t).elts) collectNames(*e, out);
  if (isa<ListExpr>(t))
    for (const ExprPtr& e : cast<ListExpr>(t).elts) collectNames(*e, out);
}

/// The names a loop body binds, nested blocks included (not nested defs).
void collectCarried(const std::vector<StmtPtr>& body, std::vector<std::string>& out) {
  for (const StmtPtr& s : body) {
    switch (s->kind()) {
      case StmtKind::Assign:
        for (const ExprPtr& t : cast<AssignStmt>(*s).targets) collectNames(*t, out);
        break;
      case StmtKind::AugAssign:
        collectNames(*cast<AugAssignStmt>(*s).target, out);
        break;
      case StmtKind::If:
        collectCarried(cast<IfStmt>(*s).body, out);
        collectCarried(cast<IfStmt>(*s).orelse, out);
        break;
      case StmtKind::While:
        collectCarried(cast<WhileStmt>(*s).body, out);
        collectCarried(cast<WhileStmt>(*s).orelse, out);
        break;
      case StmtKind::With:
        collectCarried(cast<WithStmt>(*s).body, out);
        break;
      case StmtKind::For:
        collectNames(*cast<ForStmt>(*s).target, out);
        collectCarried(cast<ForStmt>(*s).body, out);
        collectCarried(cast<ForStmt>(*s).orelse, out);
        break;
      default:
        break;
    }
  }
}

/// A Python int argument of range(): ints, bools and NumPy integer scalars.
int64_t rangeArgument(const Value& v, Span span) {
  Value x = asPythonInt(v);
  if (x.kind == Value::Kind::Bool) return x.b;
  if (x.kind != Value::Kind::Int)
    raise(ErrorKind::Type, span,
          std::string("'") + typeName(v) + "' object cannot be interpreted as an integer");
  requireInt64(x, span);
  return x.i;
}

/// The number of items of range(start, stop, step), step != 0.
int64_t rangeLength(int64_t start, int64_t stop, int64_t step) {
  if (step > 0 ? start >= stop : start <= stop) return 0;
  const __int128 span = step > 0 ? __int128(stop) - start - 1 : __int128(start) - stop - 1;
  const __int128 n = span / (step > 0 ? __int128(step) : -__int128(step)) + 1;
  return n > INT64_MAX ? INT64_MAX : int64_t(n);
}

} // namespace

// ------------------------------------------------------------------ loops

namespace {
/// Counts the loops being run (Interpreter::loopDepth_), exceptions included.
struct LoopScope {
  explicit LoopScope(int& depth) : depth_(depth) { ++depth_; }
  ~LoopScope() { --depth_; }
  int& depth_;
};
} // namespace

Interpreter::Flow Interpreter::execWhile(const WhileStmt& w, Frame& f) {
  LoopScope scope(loopDepth_);
  for (;;) {
    const int64_t plansBefore = plans_;
    std::optional<Value> test = computeByPlan(*w.test, f);
    if (!test) test = eval(*w.test, f);
    if (!truthy(*test, w.test->span())) break;
    const Flow flow = execBlock(w.body, f);
    if (flow == Flow::Break) return Flow::Normal;
    if (flow == Flow::Return) return flow;
    endIteration(w, f, plansBefore);
    if (dryRun_) break;
  }
  return execBlock(w.orelse, f);
}

Interpreter::Flow Interpreter::execFor(const ForStmt& s, Frame& f) {
  Value iterable = eval(*s.iter, f);
  LoopScope scope(loopDepth_);
  Flow result = Flow::Normal;
  // A name target's binding, found once: a std::map node stays put until
  // erased, so the pointer holds while no name was erased and the maps kept
  // their sizes (as for StatementSite's pointers).
  std::map<std::string, Value>& bindings = f.global ? globals_ : f.locals;
  const NameExpr* name = isa<NameExpr>(*s.target) ? &cast<NameExpr>(*s.target) : nullptr;
  Value* slot = nullptr;
  uint64_t erasedAt = 0;
  size_t globalsAt = 0, localsAt = 0;
  forEachItem(iterable, s.iter->span(), [&](Value item) {
    const int64_t plansBefore = plans_;
    if (slot && erasedAt == bindingsErased_ && globalsAt == globals_.size() &&
        localsAt == f.locals.size()) {
      if (item.isArray() && item.array->name.empty()) { // as assign() does
        item.array->name = name->id;
        item.array->span = name->span();
      }
      *slot = std::move(item);
    } else {
      assign(*s.target, item, f);
      if (name) {
        auto it = bindings.find(name->id);
        slot = it == bindings.end() ? nullptr : &it->second;
        erasedAt = bindingsErased_, globalsAt = globals_.size(), localsAt = f.locals.size();
      }
    }
    const Flow flow = execBlock(s.body, f);
    if (flow == Flow::Break || flow == Flow::Return) {
      result = flow;
      return false;
    }
    endIteration(s, f, plansBefore);
    return !dryRun_;
  });
  if (result == Flow::Return) return result;
  if (result == Flow::Break) return Flow::Normal;
  return execBlock(s.orelse, f);
}

void Interpreter::endIteration(const Stmt& loop, Frame& f, int64_t plansBefore) {
  if (plans_ == plansBefore) return; // nothing computed: keep fusing across iterations
  auto it = loopCarried_.find(&loop);
  if (it == loopCarried_.end()) {
    std::vector<std::string> names;
    if (isa<WhileStmt>(loop)) collectCarried(cast<WhileStmt>(loop).body, names);
    if (isa<ForStmt>(loop)) {
      collectNames(*cast<ForStmt>(loop).target, names);
      collectCarried(cast<ForStmt>(loop).body, names);
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    it = loopCarried_.emplace(&loop, std::move(names)).first;
  }
  const std::map<std::string, Value>& scope = f.global ? globals_ : f.locals;
  for (const std::string& name : it->second) {
    auto v = scope.find(name);
    if (v != scope.end() && v->second.isArray() && !v->second.array->materialized())
      materialize(v->second.array, v->second.array->span);
  }
}

// -------------------------------------------------------------- iteration

void Interpreter::forEachItem(const Value& v, Span span,
                              const std::function<bool(Value)>& loopBody) {
  // Ctrl-C in the REPL stops a loop or comprehension at its next item.
  auto body = [&](Value item) {
    throwIfInterrupted();
    return loopBody(std::move(item));
  };
  switch (v.kind) {
    case Value::Kind::Range: {
      const int64_t start = v.items[0].i, step = v.items[2].i;
      const int64_t n = rangeLength(start, v.items[1].i, step);
      for (int64_t k = 0; k < n; ++k)
        if (!body(Value::ofInt(int64_t(__int128(start) + __int128(k) * step)))) return;
      return;
    }
    case Value::Kind::Tuple:
    case Value::Kind::List: {
      const std::vector<Value> items = v.items; // the loop may rebind the sequence
      for (const Value& item : items)
        if (!body(item)) return;
      return;
    }
    case Value::Kind::Str: {
      for (size_t i = 0; i < v.name.size();) {
        size_t n = 1;
        while (i + n < v.name.size() && (static_cast<unsigned char>(v.name[i + n]) & 0xC0) == 0x80)
          ++n;
        if (!body(Value::ofStr(v.name.substr(i, n)))) return;
        i += n;
      }
      return;
    }
    case Value::Kind::Array: {
      if (v.array->shape().empty()) {
        if (v.array->isScalar)
          raise(ErrorKind::Type, span, std::string("'") + typeName(v) + "' object is not iterable");
        raise(ErrorKind::Type, span, "iteration over a 0-d array");
      }
      // NumPy iterates an array in memory by index over its length then.
      materialize(v.array, span);
      const int64_t n = v.array->shape()[0];
      for (int64_t k = 0; k < n; ++k)
        if (!body(subscript(v, {Value::ofInt(k)}, span))) return;
      return;
    }
    default:
      raise(ErrorKind::Type, span, std::string("'") + typeName(v) + "' object is not iterable");
  }
}

std::vector<Value> Interpreter::itemsOf(const Value& v, Span span) {
  std::vector<Value> items;
  if (v.kind == Value::Kind::Range &&
      rangeLength(v.items[0].i, v.items[1].i, v.items[2].i) > kMaxSequenceLength)
    raise(ErrorKind::Memory, span, "range is too long to make a list of");
  forEachItem(v, span, [&](Value item) {
    items.push_back(std::move(item));
    return true;
  });
  return items;
}

// ------------------------------------------------------------ expressions

Value Interpreter::listComp(const ListCompExpr& c, Frame& f) {
  // The targets are the comprehension's own (Python 3): their outer
  // bindings are put back afterwards, whatever happens.
  std::map<std::string, Value>& scope = f.global ? globals_ : f.locals;
  std::vector<std::string> names;
  for (const Comprehension& g : c.generators) collectNames(*g.target, names);
  std::vector<std::pair<std::string, std::optional<Value>>> saved;
  for (const std::string& n : names) {
    auto it = scope.find(n);
    saved.emplace_back(n, it == scope.end() ? std::nullopt : std::optional<Value>(it->second));
  }
  struct Restore {
    std::map<std::string, Value>& scope;
    std::vector<std::pair<std::string, std::optional<Value>>>& saved;
    uint64_t& erased;
    ~Restore() {
      for (auto it = saved.rbegin(); it != saved.rend(); ++it) {
        if (it->second)
          scope[it->first] = *it->second;
        else
          erased += scope.erase(it->first);
      }
    }
  } restore{scope, saved, bindingsErased_};

  Value result;
  result.kind = Value::Kind::List;
  std::function<void(size_t)> level = [&](size_t k) {
    const Comprehension& g = c.generators[k];
    forEachItem(eval(*g.iter, f), g.iter->span(), [&](Value item) {
      assign(*g.target, item, f);
      for (const ExprPtr& cond : g.ifs)
        if (!truthy(eval(*cond, f), cond->span())) return true;
      if (k + 1 < c.generators.size())
        level(k + 1);
      else
        result.items.push_back(eval(*c.elt, f));
      if (int64_t(result.items.size()) > kMaxSequenceLength)
        raise(ErrorKind::Memory, c.span(), "list comprehension is too long");
      return true;
    });
  };
  level(0);
  return result;
}

Value Interpreter::fstring(const FStringExpr& s, Frame& f) {
  std::string out;
  for (const FStringPart& p : s.parts) {
    if (!p.value) {
      out += p.literal;
      continue;
    }
    Value v = eval(*p.value, f);
    if (p.conversion == 's') v = Value::ofStr(str(v));
    if (p.conversion == 'r' || p.conversion == 'a') v = Value::ofStr(repr(v));
    out += formatValue(v, p.spec, p.value->span());
  }
  return Value::ofStr(std::move(out));
}

// --------------------------------------------------------------- builtins

Value builtinRange(BuiltinCall& call) {
  std::vector<Value>& args = call.args;
  Kwargs& kwargs = call.kwargs;
  const Span span = call.span;
  if (!kwargs.empty()) raise(ErrorKind::Type, span, "range() takes no keyword arguments");
  if (args.empty() || args.size() > 3)
    raise(ErrorKind::Type, span,
          args.empty() ? "range expected at least 1 argument, got 0"
                       : "range expected at most 3 arguments, got " + std::to_string(args.size()));
  int64_t start = 0, stop = 0, step = 1;
  if (args.size() == 1) {
    stop = rangeArgument(args[0], span);
  } else {
    start = rangeArgument(args[0], span);
    stop = rangeArgument(args[1], span);
    if (args.size() == 3) step = rangeArgument(args[2], span);
  }
  if (step == 0) raise(ErrorKind::Value, span, "range() arg 3 must not be zero");
  Value r;
  r.kind = Value::Kind::Range;
  r.items = {Value::ofInt(start), Value::ofInt(stop), Value::ofInt(step)};
  return r;
}

/// Python's slice(stop) / slice(start, stop[, step]): the value `a[1:3]`'s
/// index is, for indexing and ufunc.at (any values: indexing checks them).
Value builtinSlice(BuiltinCall& call) {
  const std::vector<Value>& args = call.args;
  const Span span = call.span;
  if (!call.kwargs.empty()) raise(ErrorKind::Type, span, "slice() takes no keyword arguments");
  if (args.empty() || args.size() > 3)
    raise(ErrorKind::Type, span,
          args.empty() ? "slice expected at least 1 argument, got 0"
                       : "slice expected at most 3 arguments, got " + std::to_string(args.size()));
  Value v;
  v.kind = Value::Kind::Slice;
  if (args.size() == 1)
    v.items = {Value::none(), args[0], Value::none()};
  else
    v.items = {args[0], args[1], args.size() == 3 ? args[2] : Value::none()};
  return v;
}

Value builtinZip(BuiltinCall& call) {
  Interpreter& in = call.in;
  std::vector<Value>& args = call.args;
  Kwargs& kwargs = call.kwargs;
  const Span span = call.span;
  for (const auto& [k, v] : kwargs)
    if (k != "strict")
      raise(ErrorKind::Type, span, "zip() got an unexpected keyword argument '" + k + "'");
  std::vector<std::vector<Value>> columns;
  size_t n = SIZE_MAX;
  for (const Value& a : args) {
    columns.push_back(in.itemsOf(a, span));
    n = std::min(n, columns.back().size());
  }
  bool strict = false;
  for (const auto& [k, v] : kwargs) strict = in.truthy(v, span);
  if (strict)
    for (size_t c = 1; c < columns.size(); ++c)
      if (columns[c].size() != columns[0].size())
        raise(ErrorKind::Value, span,
              "zip() argument " + std::to_string(c + 1) + " is " +
                  (columns[c].size() < columns[0].size() ? "shorter" : "longer") +
                  " than argument 1");
  Value list;
  list.kind = Value::Kind::List;
  if (columns.empty()) return list;
  for (size_t i = 0; i < n; ++i) {
    std::vector<Value> row;
    for (const std::vector<Value>& column : columns) row.push_back(column[i]);
    list.items.push_back(Value::ofTuple(std::move(row)));
  }
  return list;
}

Value builtinEnumerate(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"iterable", {}}, {"start", Value::ofInt(0)}});
  int64_t start = rangeArgument(a[1], span);
  Value list;
  list.kind = Value::Kind::List;
  for (Value& item : in.itemsOf(a[0], span))
    list.items.push_back(Value::ofTuple({Value::ofInt(start++), std::move(item)}));
  return list;
}

Value builtinListOrTuple(BuiltinCall& call) {
  Interpreter& in = call.in;
  std::vector<Value>& args = call.args;
  Kwargs& kwargs = call.kwargs;
  const Span span = call.span;
  const std::string& name = call.name;
  if (!kwargs.empty()) raise(ErrorKind::Type, span, name + "() takes no keyword arguments");
  if (args.size() > 1)
    raise(ErrorKind::Type, span,
          name + " expected at most 1 argument, got " + std::to_string(args.size()));
  Value seq;
  seq.kind = name == "list" ? Value::Kind::List : Value::Kind::Tuple;
  if (!args.empty()) seq.items = in.itemsOf(args[0], span);
  return seq;
}

} // namespace ravel::exec
