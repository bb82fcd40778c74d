// ast::dump: the AST as deterministic S-expressions, for `--emit=ast` and
// parser tests. One top-level statement per line (each line ends in '\n').
//
// Expressions:
//   x                      name
//   42  1.5  1e+300  inf   int; float (shortest round-trip text, always with
//                          '.', 'e', "inf" or "nan" so it never reads as int)
//   (overflow 9223372036854775807)  int literal beyond int64 (value saturated)
//   "a\n"                  string (C-style escapes, non-ASCII bytes as \xHH)
//   True False None ...    constants
//   (tuple a b)  (list 1 2)
//   (- x) (+ x) (~ x) (not x)                 unary
//   (+ a b) (** x 2) (@ a b) (// a b) ...     binary, Python's operator text
//   (< a b)  (is-not a b)  (not-in a b)        one comparison
//   (compare a < b <= c)                       a chained comparison
//   (and a b c)  (or a b)
//   (call f a b (kw axis 1))
//   (. x T)                                    attribute
//   (sub a (slice 1 3 None) 0)                 subscript; a slice's missing
//                                              parts print as None
// Statements:
//   e                      expression statement
//   (= a b e)              assignment (targets first, value last)
//   (+= x 1)               augmented assignment
//   (return e) (return) (pass)
//   (import numpy) (import numpy as np) (from numpy import *)
//   (from numpy import sqrt pi)
//   (timeit stmt)
//   (def f (a (b 2))       function: parameters, `(name default)` when there
//     stmt                 is a default; body statements on the following
//     stmt)                lines, indented two spaces per level
#include "compiler/frontend/Ast.h"

#include <charconv>
#include <cstdio>

namespace ravel::ast {
namespace {

const char* compareOpText(CompareOp op) {
  switch (op) {
    case CompareOp::Eq:
      return "==";
    case CompareOp::Ne:
      return "!=";
    case CompareOp::Lt:
      return "<";
    case CompareOp::Le:
      return "<=";
    case CompareOp::Gt:
      return ">";
    case CompareOp::Ge:
      return ">=";
    case CompareOp::Is:
      return "is";
    case CompareOp::IsNot:
      return "is-not";
    case CompareOp::In:
      return "in";
    case CompareOp::NotIn:
      return "not-in";
  }
  return "?";
}

const char* unaryOpText(UnaryOp op) {
  switch (op) {
    case UnaryOp::Neg:
      return "-";
    case UnaryOp::Pos:
      return "+";
    case UnaryOp::Invert:
      return "~";
    case UnaryOp::Not:
      return "not";
  }
  return "?";
}

std::string floatText(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, end);
  if (s.find_first_of(".en") == std::string::npos) s += ".0";
  return s;
}

std::string stringText(const std::string& v) {
  std::string out = "\"";
  for (char c : v) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (u < 0x20 || u >= 0x7F) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02X", u);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

class Dumper {
public:
  std::string out;

  void expr(const Expr* e) {
    if (!e) {
      out += "None";
      return;
    }
    switch (e->kind()) {
      case ExprKind::Name:
        out += cast<NameExpr>(*e).id;
        break;
      case ExprKind::Int: {
        const auto& i = cast<IntExpr>(*e);
        if (i.overflow)
          out += "(overflow " + std::to_string(i.value) + ")";
        else
          out += std::to_string(i.value);
        break;
      }
      case ExprKind::Float:
        out += floatText(cast<FloatExpr>(*e).value);
        break;
      case ExprKind::Imag:
        out += floatText(cast<ImagExpr>(*e).value) + "j";
        break;
      case ExprKind::Bool:
        out += cast<BoolExpr>(*e).value ? "True" : "False";
        break;
      case ExprKind::None:
        out += "None";
        break;
      case ExprKind::String:
        out += stringText(cast<StringExpr>(*e).value);
        break;
      case ExprKind::Ellipsis:
        out += "...";
        break;
      case ExprKind::Tuple:
        list("(tuple", cast<TupleExpr>(*e).elts);
        break;
      case ExprKind::List:
        list("(list", cast<ListExpr>(*e).elts);
        break;
      case ExprKind::Unary: {
        const auto& u = cast<UnaryExpr>(*e);
        out += std::string("(") + unaryOpText(u.op) + " ";
        expr(u.operand.get());
        out += ")";
        break;
      }
      case ExprKind::Binary:
        binary(cast<BinaryExpr>(*e));
        break;
      case ExprKind::Compare: {
        const auto& c = cast<CompareExpr>(*e);
        if (c.ops.size() == 1) {
          out += std::string("(") + compareOpText(c.ops[0]) + " ";
          expr(c.operands[0].get());
          out += " ";
          expr(c.operands[1].get());
        } else {
          out += "(compare ";
          expr(c.operands[0].get());
          for (size_t i = 0; i < c.ops.size(); ++i) {
            out += std::string(" ") + compareOpText(c.ops[i]) + " ";
            expr(c.operands[i + 1].get());
          }
        }
        out += ")";
        break;
      }
      case ExprKind::BoolOp: {
        const auto& b = cast<BoolOpExpr>(*e);
        list(b.op == BoolOpKind::And ? "(and" : "(or", b.operands);
        break;
      }
      case ExprKind::Call: {
        const auto& c = cast<CallExpr>(*e);
        out += "(call ";
        expr(c.callee.get());
        for (const ExprPtr& a : c.args) {
          out += " ";
          expr(a.get());
        }
        for (const Keyword& k : c.keywords) {
          out += " (kw " + k.name + " ";
          expr(k.value.get());
          out += ")";
        }
        out += ")";
        break;
      }
      case ExprKind::Attribute: {
        const auto& a = cast<AttributeExpr>(*e);
        out += "(. ";
        expr(a.object.get());
        out += " " + a.attr + ")";
        break;
      }
      case ExprKind::Subscript: {
        const auto& s = cast<SubscriptExpr>(*e);
        out += "(sub ";
        expr(s.object.get());
        for (const ExprPtr& i : s.indices) {
          out += " ";
          expr(i.get());
        }
        out += ")";
        break;
      }
      case ExprKind::Slice: {
        const auto& s = cast<SliceExpr>(*e);
        out += "(slice ";
        expr(s.lower.get());
        out += " ";
        expr(s.upper.get());
        out += " ";
        expr(s.step.get());
        out += ")";
        break;
      }
      case ExprKind::IfExp: {
        const auto& c = cast<IfExpExpr>(*e);
        out += "(ifexp ";
        expr(c.test.get());
        out += " ";
        expr(c.body.get());
        out += " ";
        expr(c.orelse.get());
        out += ")";
        break;
      }
      case ExprKind::ListComp: {
        const auto& c = cast<ListCompExpr>(*e);
        out += "(listcomp ";
        expr(c.elt.get());
        for (const Comprehension& g : c.generators) {
          out += " (for ";
          expr(g.target.get());
          out += " ";
          expr(g.iter.get());
          for (const ExprPtr& cond : g.ifs) {
            out += " (if ";
            expr(cond.get());
            out += ")";
          }
          out += ")";
        }
        out += ")";
        break;
      }
      case ExprKind::FString: {
        out += "(fstring";
        for (const FStringPart& p : cast<FStringExpr>(*e).parts) {
          out += " ";
          if (!p.value) {
            out += stringText(p.literal);
            continue;
          }
          out += "(field ";
          expr(p.value.get());
          if (p.conversion) out += std::string(" !") + p.conversion;
          if (!p.spec.empty()) out += " " + stringText(p.spec);
          out += ")";
        }
        out += ")";
        break;
      }
    }
  }

  void stmt(const Stmt& s, int depth) {
    out += std::string(static_cast<size_t>(2 * depth), ' ');
    stmtBody(s, depth);
  }

private:
  void list(const char* head, const std::vector<ExprPtr>& items) {
    out += head;
    for (const ExprPtr& i : items) {
      out += " ";
      expr(i.get());
    }
    out += ")";
  }

  /// Left-deep chains (`x + x + ... + x`) are walked down the left spine
  /// with an explicit stack, so a 10,000-term chain costs no recursion.
  void binary(const BinaryExpr& root) {
    std::vector<const BinaryExpr*> spine{&root};
    while (const auto* lhs = dynCast<BinaryExpr>(spine.back()->lhs.get())) spine.push_back(lhs);
    for (const BinaryExpr* b : spine) out += std::string("(") + binaryOpText(b->op) + " ";
    expr(spine.back()->lhs.get());
    for (auto it = spine.rbegin(); it != spine.rend(); ++it) {
      out += " ";
      expr((*it)->rhs.get());
      out += ")";
    }
  }

  void stmtBody(const Stmt& s, int depth) {
    switch (s.kind()) {
      case StmtKind::Expr:
        expr(cast<ExprStmt>(s).value.get());
        break;
      case StmtKind::Assign: {
        const auto& a = cast<AssignStmt>(s);
        out += "(=";
        for (const ExprPtr& t : a.targets) {
          out += " ";
          expr(t.get());
        }
        out += " ";
        expr(a.value.get());
        out += ")";
        break;
      }
      case StmtKind::AugAssign: {
        const auto& a = cast<AugAssignStmt>(s);
        out += std::string("(") + binaryOpText(a.op) + "= ";
        expr(a.target.get());
        out += " ";
        expr(a.value.get());
        out += ")";
        break;
      }
      case StmtKind::FunctionDef: {
        const auto& f = cast<FunctionDefStmt>(s);
        out += "(def " + f.name + " (";
        for (size_t i = 0; i < f.params.size(); ++i) {
          if (i) out += " ";
          if (f.params[i].defaultValue) {
            out += "(" + f.params[i].name + " ";
            expr(f.params[i].defaultValue.get());
            out += ")";
          } else {
            out += f.params[i].name;
          }
        }
        out += ")";
        for (const StmtPtr& b : f.body) {
          out += "\n";
          stmt(*b, depth + 1);
        }
        out += ")";
        break;
      }
      case StmtKind::Return: {
        const auto& r = cast<ReturnStmt>(s);
        out += "(return";
        if (r.value) {
          out += " ";
          expr(r.value.get());
        }
        out += ")";
        break;
      }
      case StmtKind::Pass:
        out += "(pass)";
        break;
      case StmtKind::Import: {
        const auto& i = cast<ImportStmt>(s);
        if (i.star) {
          out += "(from " + i.module + " import *)";
        } else if (!i.names.empty()) {
          out += "(from " + i.module + " import";
          for (const std::string& n : i.names) out += " " + n;
          out += ")";
        } else {
          out += "(import " + i.module + (i.alias.empty() ? "" : " as " + i.alias) + ")";
        }
        break;
      }
      case StmtKind::Magic:
        out += cast<MagicStmt>(s).magic == Magic::Explain ? "(explain " : "(timeit ";
        stmtBody(*cast<MagicStmt>(s).statement, depth);
        out += ")";
        break;
      case StmtKind::If: {
        const auto& i = cast<IfStmt>(s);
        out += "(if ";
        expr(i.test.get());
        block(i.body, depth);
        if (!i.orelse.empty()) elseBlock(i.orelse, depth);
        out += ")";
        break;
      }
      case StmtKind::While: {
        const auto& w = cast<WhileStmt>(s);
        out += "(while ";
        expr(w.test.get());
        block(w.body, depth);
        if (!w.orelse.empty()) elseBlock(w.orelse, depth);
        out += ")";
        break;
      }
      case StmtKind::With: {
        const auto& w = cast<WithStmt>(s);
        out += "(with ";
        expr(w.context.get());
        block(w.body, depth);
        out += ")";
        break;
      }
      case StmtKind::For: {
        const auto& f = cast<ForStmt>(s);
        out += "(for ";
        expr(f.target.get());
        out += " ";
        expr(f.iter.get());
        block(f.body, depth);
        if (!f.orelse.empty()) elseBlock(f.orelse, depth);
        out += ")";
        break;
      }
      case StmtKind::Break:
        out += "(break)";
        break;
      case StmtKind::Continue:
        out += "(continue)";
        break;
    }
  }

  void block(const std::vector<StmtPtr>& body, int depth) {
    for (const StmtPtr& b : body) {
      out += "\n";
      stmt(*b, depth + 1);
    }
  }

  void elseBlock(const std::vector<StmtPtr>& body, int depth) {
    out += "\n" + std::string(static_cast<size_t>(2 * depth + 1), ' ') + "(else";
    block(body, depth);
    out += ")";
  }
};

} // namespace

const char* binaryOpText(BinaryOp op) {
  switch (op) {
    case BinaryOp::Add:
      return "+";
    case BinaryOp::Sub:
      return "-";
    case BinaryOp::Mul:
      return "*";
    case BinaryOp::Div:
      return "/";
    case BinaryOp::FloorDiv:
      return "//";
    case BinaryOp::Mod:
      return "%";
    case BinaryOp::Pow:
      return "**";
    case BinaryOp::MatMul:
      return "@";
    case BinaryOp::BitAnd:
      return "&";
    case BinaryOp::BitOr:
      return "|";
    case BinaryOp::BitXor:
      return "^";
    case BinaryOp::LShift:
      return "<<";
    case BinaryOp::RShift:
      return ">>";
  }
  return "?";
}

std::string dump(const Program& program) {
  Dumper d;
  for (const StmtPtr& s : program.body) {
    d.stmt(*s, 0);
    d.out += "\n";
  }
  return d.out;
}

std::string dump(const Expr& expr) {
  Dumper d;
  d.expr(&expr);
  return d.out;
}

} // namespace ravel::ast
