// Static name and call checking (see Check.h for what and why).
#include "compiler/sema/Check.h"

#include "compiler/diag/Diagnostic.h"
#include "compiler/sema/Names.h"

#include <map>
#include <set>

namespace ravel::sema {
using namespace ast;

namespace {

struct Scope {
  std::set<std::string> names;
  const Scope* parent = nullptr; // globals, for a function scope
  bool isFunction = false;
};

void collectTargets(const Expr& t, std::set<std::string>& out) {
  if (isa<NameExpr>(t)) out.insert(cast<NameExpr>(t).id);
  if (isa<TupleExpr>(t))
    for (const ExprPtr& e : cast<TupleExpr>(t).elts) collectTargets(*e, out);
  if (isa<ListExpr>(t))
    for (const ExprPtr& e : cast<ListExpr>(t).elts) collectTargets(*e, out);
}

/// The statement lists inside an if/while/for (body, then orelse).
std::vector<const std::vector<StmtPtr>*> blocksOf(const Stmt& s) {
  switch (s.kind()) {
    case StmtKind::If:
      return {&cast<IfStmt>(s).body, &cast<IfStmt>(s).orelse};
    case StmtKind::While:
      return {&cast<WhileStmt>(s).body, &cast<WhileStmt>(s).orelse};
    case StmtKind::For:
      return {&cast<ForStmt>(s).body, &cast<ForStmt>(s).orelse};
    case StmtKind::With:
      return {&cast<WithStmt>(s).body};
    default:
      return {};
  }
}

/// Names a block binds (Python: any assignment in a scope makes the name
/// local); `defs` says whether `def` names count.
void collectBindings(const std::vector<StmtPtr>& body, std::set<std::string>& out,
                     bool defs = true) {
  for (const StmtPtr& s : body) {
    switch (s->kind()) {
      case StmtKind::Assign:
        for (const ExprPtr& t : cast<AssignStmt>(*s).targets) collectTargets(*t, out);
        break;
      case StmtKind::AugAssign:
        collectTargets(*cast<AugAssignStmt>(*s).target, out);
        break;
      case StmtKind::FunctionDef:
        if (defs) out.insert(cast<FunctionDefStmt>(*s).name);
        break;
      case StmtKind::Import: {
        const auto& im = cast<ImportStmt>(*s);
        if (!im.alias.empty())
          out.insert(im.alias);
        else if (!im.star && im.names.empty())
          out.insert(im.module.substr(0, im.module.find('.')));
        for (const std::string& n : im.names) out.insert(n);
        break;
      }
      case StmtKind::Magic: {
        // A magic owns its statement; look at it without taking ownership.
        const Stmt& inner = *cast<MagicStmt>(*s).statement;
        if (isa<AssignStmt>(inner))
          for (const ExprPtr& t : cast<AssignStmt>(inner).targets) collectTargets(*t, out);
        break;
      }
      case StmtKind::For:
        collectTargets(*cast<ForStmt>(*s).target, out);
        [[fallthrough]];
      case StmtKind::If:
      case StmtKind::While:
      case StmtKind::With:
        // A block binds in the enclosing scope (Python has no block scope).
        for (const std::vector<StmtPtr>* block : blocksOf(*s)) collectBindings(*block, out, defs);
        break;
      default:
        break;
    }
  }
}

class Checker {
public:
  explicit Checker(std::vector<std::string> session) : session_(std::move(session)) {}

  void checkProgram(const Program& p) {
    Scope globals;
    globals.names.insert(session_.begin(), session_.end());
    collectBindings(p.body, globals.names);
    for (const StmtPtr& s : p.body)
      if (isa<FunctionDefStmt>(*s))
        functions_[cast<FunctionDefStmt>(*s).name].push_back(&cast<FunctionDefStmt>(*s));
    collectRebinds(p.body);
    for (const StmtPtr& s : p.body) stmt(*s, globals);
  }

private:
  /// Every name bound by something other than `def`, anywhere (function
  /// bodies and parameters included).
  void collectRebinds(const std::vector<StmtPtr>& body) {
    collectBindings(body, rebound_, /*defs=*/false);
    for (const StmtPtr& s : body) {
      // A def inside a block may or may not run: its callee is not static.
      for (const std::vector<StmtPtr>* block : blocksOf(*s)) {
        collectBindings(*block, rebound_, /*defs=*/true);
        collectRebinds(*block);
      }
      if (!isa<FunctionDefStmt>(*s)) continue;
      const auto& d = cast<FunctionDefStmt>(*s);
      for (const ast::Param& p : d.params) rebound_.insert(p.name);
      collectRebinds(d.body);
    }
  }

  void stmt(const Stmt& s, const Scope& scope) {
    switch (s.kind()) {
      case StmtKind::Expr:
        expr(*cast<ExprStmt>(s).value, scope);
        break;
      case StmtKind::Assign: {
        const auto& a = cast<AssignStmt>(s);
        expr(*a.value, scope);
        for (const ExprPtr& t : a.targets) target(*t, scope);
        break;
      }
      case StmtKind::AugAssign: {
        const auto& a = cast<AugAssignStmt>(s);
        expr(*a.value, scope);
        expr(*a.target, scope);
        break;
      }
      case StmtKind::FunctionDef: {
        const auto& d = cast<FunctionDefStmt>(s);
        Scope local;
        local.isFunction = true;
        local.parent = scope.isFunction ? scope.parent : &scope;
        std::set<std::string> seen;
        for (const ast::Param& p : d.params) {
          if (!seen.insert(p.name).second)
            raise(ErrorKind::Syntax, p.span,
                  "duplicate argument '" + p.name + "' in function definition");
          local.names.insert(p.name);
          if (p.defaultValue) expr(*p.defaultValue, scope);
        }
        collectBindings(d.body, local.names);
        for (const StmtPtr& b : d.body) stmt(*b, local);
        break;
      }
      case StmtKind::Return:
        if (!scope.isFunction) raise(ErrorKind::Syntax, s.span(), "'return' outside function");
        if (cast<ReturnStmt>(s).value) expr(*cast<ReturnStmt>(s).value, scope);
        break;
      case StmtKind::Import: {
        const auto& im = cast<ImportStmt>(s);
        const bool strideTricks = im.module == "numpy.lib.stride_tricks";
        if (im.module != "numpy" && im.module != "numpy.random" && im.module != "numpy.linalg" &&
            !strideTricks)
          raise(ErrorKind::Name, s.span(),
                "only numpy can be imported in ravel (its names are already in scope)");
        for (const std::string& n : im.names)
          if (!(im.module == "numpy" ? lookupBuiltin(n).has_value()
                : strideTricks       ? isStrideTricksFunction(n)
                                     : isRandomFunction(n)))
            raise(ErrorKind::Name, s.span(),
                  "cannot import name '" + n + "' from '" + im.module + "'");
        break;
      }
      case StmtKind::Magic:
        stmt(*cast<MagicStmt>(s).statement, scope);
        break;
      case StmtKind::Pass:
      case StmtKind::Break:
      case StmtKind::Continue:
        break;
      case StmtKind::If:
        expr(*cast<IfStmt>(s).test, scope);
        break;
      case StmtKind::While:
        expr(*cast<WhileStmt>(s).test, scope);
        break;
      case StmtKind::For:
        expr(*cast<ForStmt>(s).iter, scope);
        target(*cast<ForStmt>(s).target, scope);
        break;
      case StmtKind::With:
        expr(*cast<WithStmt>(s).context, scope); // errstate(...): checked when it runs
        break;
    }
    for (const std::vector<StmtPtr>* block : blocksOf(s))
      for (const StmtPtr& b : *block) stmt(*b, scope);
  }

  void target(const Expr& t, const Scope& scope) {
    switch (t.kind()) {
      case ExprKind::Name:
        break;
      case ExprKind::Tuple:
        for (const ExprPtr& e : cast<TupleExpr>(t).elts) target(*e, scope);
        break;
      case ExprKind::List:
        for (const ExprPtr& e : cast<ListExpr>(t).elts) target(*e, scope);
        break;
      case ExprKind::Subscript:
      case ExprKind::Attribute:
        expr(t, scope);
        break;
      default:
        raise(ErrorKind::Syntax, t.span(), "cannot assign to expression");
    }
  }

  bool defined(const std::string& n, const Scope& scope) const {
    for (const Scope* s = &scope; s; s = s->parent)
      if (s->names.count(n)) return true;
    return lookupBuiltin(n).has_value();
  }

  bool isModuleName(const Expr& e, const Scope& scope, const char* module) const {
    if (!isa<NameExpr>(e)) return false;
    const std::string& id = cast<NameExpr>(e).id;
    for (const Scope* s = &scope; s; s = s->parent)
      if (s->names.count(id)) return false; // rebound by the program
    if (std::string(module) == "numpy") return id == "np" || id == "numpy";
    return id == module;
  }

  void unknownName(const std::string& n, Span span, const Scope& scope) {
    // NumPy's own name is missing from ravel, not misspelled by the user.
    raiseIfNumpyName("numpy", n, span);
    std::vector<std::string> candidates = builtinNames();
    for (const Scope* s = &scope; s; s = s->parent)
      candidates.insert(candidates.end(), s->names.begin(), s->names.end());
    Diagnostic d{ErrorKind::Name, span, "unknown name '" + n + "'", {}};
    std::string hint = suggestName(n, candidates);
    if (!hint.empty()) d.notes.push_back(hint);
    throw RavelError(d);
  }

  [[noreturn]] static void unknownRandomName(const std::string& attr, Span span) {
    raiseIfNumpyName("numpy.random", attr, span);
    raise(ErrorKind::Name, span, "module 'numpy.random' has no attribute '" + attr + "'");
  }

  /// A slice step that counts mgrid's points: an imaginary literal, its
  /// negation, or a product of one with a real number (`n * 1j`).
  static bool isImaginaryStep(const Expr& e) {
    if (const auto* u = dynCast<UnaryExpr>(&e))
      return (u->op == UnaryOp::Neg || u->op == UnaryOp::Pos) && isImaginaryStep(*u->operand);
    if (const auto* b = dynCast<BinaryExpr>(&e))
      return b->op == BinaryOp::Mul && (isImaginaryStep(*b->lhs) != isImaginaryStep(*b->rhs));
    return isa<ImagExpr>(e);
  }

  /// The real operands of an imaginary step, checked as expressions.
  void imaginaryStep(const Expr& e, const Scope& scope) {
    if (const auto* u = dynCast<UnaryExpr>(&e)) return imaginaryStep(*u->operand, scope);
    if (const auto* b = dynCast<BinaryExpr>(&e)) {
      const bool left = isImaginaryStep(*b->lhs);
      imaginaryStep(left ? *b->lhs : *b->rhs, scope);
      return expr(left ? *b->rhs : *b->lhs, scope);
    }
  }

  void expr(const Expr& e, const Scope& scope) {
    // Iterate down left-deep binary chains so 10k-term sums need no deep recursion.
    const Expr* cur = &e;
    while (isa<BinaryExpr>(*cur)) {
      expr(*cast<BinaryExpr>(*cur).rhs, scope);
      cur = cast<BinaryExpr>(*cur).lhs.get();
    }
    const Expr& x = *cur;
    switch (x.kind()) {
      case ExprKind::Name: {
        const std::string& n = cast<NameExpr>(x).id;
        if (!defined(n, scope)) unknownName(n, x.span(), scope);
        break;
      }
      case ExprKind::Int:
        if (cast<IntExpr>(x).tooLarge)
          raise(ErrorKind::Value, x.span(),
                "integer literal is too large (ravel integers are 64-bit; NumPy would make an "
                "object array)");
        break;
      case ExprKind::Imag:
        raise(ErrorKind::Type, x.span(),
              "complex numbers are not supported in ravel: an imaginary literal may only be a "
              "slice step, mgrid's and ogrid's number of points (mgrid[0:1:5j], "
              "ogrid[0:1:n * 1j])");
      case ExprKind::Tuple:
        for (const ExprPtr& c : cast<TupleExpr>(x).elts) expr(*c, scope);
        break;
      case ExprKind::List:
        for (const ExprPtr& c : cast<ListExpr>(x).elts) expr(*c, scope);
        break;
      case ExprKind::Unary:
        expr(*cast<UnaryExpr>(x).operand, scope);
        break;
      case ExprKind::Compare:
        for (const ExprPtr& c : cast<CompareExpr>(x).operands) expr(*c, scope);
        break;
      case ExprKind::BoolOp:
        for (const ExprPtr& c : cast<BoolOpExpr>(x).operands) expr(*c, scope);
        break;
      case ExprKind::Call: {
        const auto& c = cast<CallExpr>(x);
        expr(*c.callee, scope);
        for (const ExprPtr& a : c.args) expr(*a, scope);
        for (const Keyword& k : c.keywords) expr(*k.value, scope);
        callArity(c, scope);
        break;
      }
      case ExprKind::Attribute: {
        const auto& a = cast<AttributeExpr>(x);
        if (isModuleName(*a.object, scope, "numpy")) {
          // numpy.lib is a package, not a name in scope: np.lib.stride_tricks.
          if (!lookupBuiltin(a.attr) && a.attr != "lib") {
            raiseIfNumpyName("numpy", a.attr, a.attrSpan);
            Diagnostic d{ErrorKind::Name,
                         a.attrSpan,
                         "module 'numpy' has no attribute '" + a.attr + "'",
                         {}};
            std::string hint = suggestName(a.attr, builtinNames());
            if (!hint.empty()) d.notes.push_back(hint);
            throw RavelError(d);
          }
          break;
        }
        if (isModuleName(*a.object, scope, "random") && !isRandomFunction(a.attr))
          unknownRandomName(a.attr, a.attrSpan);
        if (isa<AttributeExpr>(*a.object)) {
          const auto& inner = cast<AttributeExpr>(*a.object);
          if (inner.attr == "random" && isModuleName(*inner.object, scope, "numpy") &&
              !isRandomFunction(a.attr))
            unknownRandomName(a.attr, a.attrSpan);
        }
        expr(*a.object, scope);
        break;
      }
      case ExprKind::Subscript: {
        const auto& s = cast<SubscriptExpr>(x);
        expr(*s.object, scope);
        for (const ExprPtr& i : s.indices) expr(*i, scope);
        break;
      }
      case ExprKind::Slice: {
        const auto& s = cast<SliceExpr>(x);
        for (const ExprPtr* p : {&s.lower, &s.upper, &s.step})
          if (*p && p == &s.step && isImaginaryStep(**p))
            imaginaryStep(**p, scope);
          else if (*p)
            expr(**p, scope);
        break;
      }
      case ExprKind::IfExp: {
        const auto& c = cast<IfExpExpr>(x);
        expr(*c.test, scope);
        expr(*c.body, scope);
        expr(*c.orelse, scope);
        break;
      }
      case ExprKind::ListComp: {
        // Python 3: the targets are local to the comprehension; the first
        // iterable is evaluated outside it.
        const auto& c = cast<ListCompExpr>(x);
        expr(*c.generators[0].iter, scope);
        Scope inner;
        inner.parent = &scope;
        inner.isFunction = scope.isFunction;
        for (size_t k = 0; k < c.generators.size(); ++k) {
          const Comprehension& g = c.generators[k];
          if (k > 0) expr(*g.iter, inner);
          collectTargets(*g.target, inner.names);
          target(*g.target, inner);
          for (const ExprPtr& cond : g.ifs) expr(*cond, inner);
        }
        expr(*c.elt, inner);
        break;
      }
      case ExprKind::FString:
        for (const FStringPart& p : cast<FStringExpr>(x).parts)
          if (p.value) expr(*p.value, scope);
        break;
      default:
        break;
    }
  }

  void callArity(const CallExpr& c, const Scope& scope) {
    if (!isa<NameExpr>(*c.callee)) return;
    const std::string& n = cast<NameExpr>(*c.callee).id;
    auto it = functions_.find(n);
    // Only a name defined exactly once by `def` (and not rebound) is known statically.
    if (it == functions_.end() || it->second.size() != 1 || rebound_.count(n)) return;
    if (scope.isFunction && scope.names.count(n)) return;
    const FunctionDefStmt& f = *it->second[0];
    size_t required = 0;
    for (const ast::Param& p : f.params) required += p.defaultValue ? 0 : 1;
    size_t given = c.args.size();
    for (const Keyword& k : c.keywords) {
      if (k.name == "**") return; // known only when the call runs
      bool known = false;
      for (const ast::Param& p : f.params) known |= p.name == k.name;
      if (!known)
        raise(ErrorKind::Type, k.nameSpan,
              n + "() got an unexpected keyword argument '" + k.name + "'");
    }
    if (given > f.params.size())
      raise(ErrorKind::Type, c.span(),
            tooManyArgumentsMessage(n, required, f.params.size(), given));
    std::vector<std::string> missing;
    for (size_t i = given; i < f.params.size(); ++i) {
      const ast::Param& p = f.params[i];
      bool byKeyword = false;
      for (const Keyword& k : c.keywords) byKeyword |= k.name == p.name;
      if (!p.defaultValue && !byKeyword) missing.push_back(p.name);
    }
    if (!missing.empty()) raise(ErrorKind::Type, c.span(), missingArgumentsMessage(n, missing));
  }

  std::vector<std::string> session_;
  std::map<std::string, std::vector<const FunctionDefStmt*>> functions_;
  /// Names also bound by something other than `def` (`f = sqrt`): their
  /// callee is not known statically.
  std::set<std::string> rebound_;
};

} // namespace

std::string tooManyArgumentsMessage(const std::string& fn, size_t minPositional,
                                    size_t maxPositional, size_t given) {
  std::string takes = minPositional == maxPositional ? std::to_string(maxPositional)
                                                     : "from " + std::to_string(minPositional) +
                                                           " to " + std::to_string(maxPositional);
  return fn + "() takes " + takes + " positional argument" + (maxPositional == 1 ? "" : "s") +
         " but " + std::to_string(given) + (given == 1 ? " was" : " were") + " given";
}

std::string missingArgumentsMessage(const std::string& fn,
                                    const std::vector<std::string>& missing) {
  std::string names;
  for (size_t i = 0; i < missing.size(); ++i) {
    if (i > 0) names += missing.size() == 2 ? " and " : (i + 1 == missing.size() ? ", and " : ", ");
    names += "'" + missing[i] + "'";
  }
  return fn + "() missing " + std::to_string(missing.size()) + " required positional argument" +
         (missing.size() == 1 ? "" : "s") + ": " + names;
}

void check(const Program& program, const std::vector<std::string>& sessionGlobals) {
  Checker(sessionGlobals).checkProgram(program);
}

} // namespace ravel::sema
