// The abstract syntax tree: what the parser builds and every later stage
// reads. Nodes carry a kind (for switch dispatch and checked casts) and the
// span of the source they came from. No ANTLR type appears here.
#pragma once

#include "compiler/diag/Source.h"

#include <cassert>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ravel::ast {

// ---------------------------------------------------------------- expressions

enum class ExprKind : uint8_t {
  Name,
  Int,
  Float,
  Bool,
  None,
  String,
  Ellipsis,
  Tuple,
  List,
  Unary,
  Binary,
  Compare,
  BoolOp,
  Call,
  Attribute,
  Subscript,
  Slice,
  IfExp,
  ListComp,
  FString,
  Imag, // last: the binary AST's tags are the kinds' values
};

class Expr {
public:
  virtual ~Expr() = default;
  ExprKind kind() const { return kind_; }
  Span span() const { return span_; }

protected:
  Expr(ExprKind k, Span s) : kind_(k), span_(s) {}

private:
  ExprKind kind_;
  Span span_;
};
using ExprPtr = std::unique_ptr<Expr>;

template <class T> bool isa(const Expr& e) {
  return e.kind() == T::Kind;
}
template <class T> const T& cast(const Expr& e) {
  assert(isa<T>(e));
  return static_cast<const T&>(e);
}
template <class T> const T* dynCast(const Expr* e) {
  return e && isa<T>(*e) ? static_cast<const T*>(e) : nullptr;
}

struct NameExpr : Expr {
  static constexpr ExprKind Kind = ExprKind::Name;
  std::string id;
  NameExpr(Span s, std::string id) : Expr(Kind, s), id(std::move(id)) {}
};

/// Integer literal. Literals beyond int64 keep their text and set `overflow`
/// so the checker can report "literal out of range" (NumPy has no object dtype here).
struct IntExpr : Expr {
  static constexpr ExprKind Kind = ExprKind::Int;
  int64_t value;
  bool overflow;         // beyond int64: `wide` holds it, unless tooLarge
  __int128 wide = 0;     // the value of an overflowing literal (a big Python int)
  bool tooLarge = false; // beyond 127 bits: rejected
  IntExpr(Span s, int64_t v, bool overflow = false) : Expr(Kind, s), value(v), overflow(overflow) {}
};

struct FloatExpr : Expr {
  static constexpr ExprKind Kind = ExprKind::Float;
  double value;
  FloatExpr(Span s, double v) : Expr(Kind, s), value(v) {}
};

/// Imaginary literal `5j`: the complex number 0 + value*j. Only a slice's
/// step may be one (sema), for mgrid and ogrid.
struct ImagExpr : Expr {
  static constexpr ExprKind Kind = ExprKind::Imag;
  double value;
  ImagExpr(Span s, double v) : Expr(Kind, s), value(v) {}
};

struct BoolExpr : Expr {
  static constexpr ExprKind Kind = ExprKind::Bool;
  bool value;
  BoolExpr(Span s, bool v) : Expr(Kind, s), value(v) {}
};

struct NoneExpr : Expr {
  static constexpr ExprKind Kind = ExprKind::None;
  explicit NoneExpr(Span s) : Expr(Kind, s) {}
};

struct StringExpr : Expr {
  static constexpr ExprKind Kind = ExprKind::String;
  std::string value; // escapes already decoded
  StringExpr(Span s, std::string v) : Expr(Kind, s), value(std::move(v)) {}
};

struct EllipsisExpr : Expr {
  static constexpr ExprKind Kind = ExprKind::Ellipsis;
  explicit EllipsisExpr(Span s) : Expr(Kind, s) {}
};

struct TupleExpr : Expr {
  static constexpr ExprKind Kind = ExprKind::Tuple;
  std::vector<ExprPtr> elts;
  TupleExpr(Span s, std::vector<ExprPtr> e) : Expr(Kind, s), elts(std::move(e)) {}
};

struct ListExpr : Expr {
  static constexpr ExprKind Kind = ExprKind::List;
  std::vector<ExprPtr> elts;
  ListExpr(Span s, std::vector<ExprPtr> e) : Expr(Kind, s), elts(std::move(e)) {}
};

enum class UnaryOp : uint8_t { Neg, Pos, Invert, Not };

struct UnaryExpr : Expr {
  static constexpr ExprKind Kind = ExprKind::Unary;
  UnaryOp op;
  ExprPtr operand;
  UnaryExpr(Span s, UnaryOp op, ExprPtr e) : Expr(Kind, s), op(op), operand(std::move(e)) {}
};

enum class BinaryOp : uint8_t {
  Add,
  Sub,
  Mul,
  Div,
  FloorDiv,
  Mod,
  Pow,
  MatMul,
  BitAnd,
  BitOr,
  BitXor,
  LShift,
  RShift,
};

/// The operator as written: "+", "//", "@", ...
const char* binaryOpText(BinaryOp op);

struct BinaryExpr : Expr {
  static constexpr ExprKind Kind = ExprKind::Binary;
  BinaryOp op;
  Span opSpan; // the operator token itself
  ExprPtr lhs, rhs;
  BinaryExpr(Span s, BinaryOp op, Span opSpan, ExprPtr l, ExprPtr r)
      : Expr(Kind, s), op(op), opSpan(opSpan), lhs(std::move(l)), rhs(std::move(r)) {}
};

enum class CompareOp : uint8_t { Eq, Ne, Lt, Le, Gt, Ge, Is, IsNot, In, NotIn };

/// `a < b <= c`: operands.size() == ops.size() + 1 (chained like Python).
struct CompareExpr : Expr {
  static constexpr ExprKind Kind = ExprKind::Compare;
  std::vector<CompareOp> ops;
  std::vector<ExprPtr> operands;
  CompareExpr(Span s, std::vector<CompareOp> ops, std::vector<ExprPtr> operands)
      : Expr(Kind, s), ops(std::move(ops)), operands(std::move(operands)) {}
};

enum class BoolOpKind : uint8_t { And, Or };

struct BoolOpExpr : Expr {
  static constexpr ExprKind Kind = ExprKind::BoolOp;
  BoolOpKind op;
  std::vector<ExprPtr> operands; // two or more
  BoolOpExpr(Span s, BoolOpKind op, std::vector<ExprPtr> operands)
      : Expr(Kind, s), op(op), operands(std::move(operands)) {}
};

struct Keyword {
  std::string name;
  Span nameSpan;
  ExprPtr value;
};

struct CallExpr : Expr {
  static constexpr ExprKind Kind = ExprKind::Call;
  ExprPtr callee;
  std::vector<ExprPtr> args;
  std::vector<Keyword> keywords;
  CallExpr(Span s, ExprPtr callee, std::vector<ExprPtr> args, std::vector<Keyword> kw)
      : Expr(Kind, s), callee(std::move(callee)), args(std::move(args)), keywords(std::move(kw)) {}
};

struct AttributeExpr : Expr {
  static constexpr ExprKind Kind = ExprKind::Attribute;
  ExprPtr object;
  std::string attr;
  Span attrSpan;
  AttributeExpr(Span s, ExprPtr o, std::string a, Span as)
      : Expr(Kind, s), object(std::move(o)), attr(std::move(a)), attrSpan(as) {}
};

/// `lower:upper:step`; only valid inside a subscript. Missing parts are null.
struct SliceExpr : Expr {
  static constexpr ExprKind Kind = ExprKind::Slice;
  ExprPtr lower, upper, step;
  SliceExpr(Span s, ExprPtr l, ExprPtr u, ExprPtr st)
      : Expr(Kind, s), lower(std::move(l)), upper(std::move(u)), step(std::move(st)) {}
};

/// `obj[i, j:k, ...]`. `indices` holds one entry per comma-separated item
/// (a SliceExpr, an EllipsisExpr, a NoneExpr or any expression). `a[(1, 2)]`
/// with an explicit tuple is one TupleExpr item, as in Python.
struct SubscriptExpr : Expr {
  static constexpr ExprKind Kind = ExprKind::Subscript;
  ExprPtr object;
  std::vector<ExprPtr> indices;
  SubscriptExpr(Span s, ExprPtr o, std::vector<ExprPtr> idx)
      : Expr(Kind, s), object(std::move(o)), indices(std::move(idx)) {}
};

/// `body if test else orelse` (Python's conditional expression).
struct IfExpExpr : Expr {
  static constexpr ExprKind Kind = ExprKind::IfExp;
  ExprPtr test, body, orelse;
  IfExpExpr(Span s, ExprPtr t, ExprPtr b, ExprPtr o)
      : Expr(Kind, s), test(std::move(t)), body(std::move(b)), orelse(std::move(o)) {}
};

/// One `for target in iter if cond...` clause of a comprehension.
struct Comprehension {
  ExprPtr target; // a Name or a Tuple of targets
  ExprPtr iter;
  std::vector<ExprPtr> ifs;
};

/// `[elt for ... in ... if ...]`. Its targets are local to it (Python 3).
struct ListCompExpr : Expr {
  static constexpr ExprKind Kind = ExprKind::ListComp;
  ExprPtr elt;
  std::vector<Comprehension> generators; // outermost first
  ListCompExpr(Span s, ExprPtr e, std::vector<Comprehension> g)
      : Expr(Kind, s), elt(std::move(e)), generators(std::move(g)) {}
};

/// An f-string (and any plain strings glued to it): literal text and
/// replacement fields `{value!conversion:spec}` in order.
struct FStringPart {
  std::string literal; // used when value is null
  ExprPtr value;
  char conversion = 0; // 0, 's', 'r' or 'a'
  std::string spec;    // the format spec after ':', verbatim
};

struct FStringExpr : Expr {
  static constexpr ExprKind Kind = ExprKind::FString;
  std::vector<FStringPart> parts;
  FStringExpr(Span s, std::vector<FStringPart> p) : Expr(Kind, s), parts(std::move(p)) {}
};

// ----------------------------------------------------------------- statements

enum class StmtKind : uint8_t {
  Expr,
  Assign,
  AugAssign,
  FunctionDef,
  Return,
  Pass,
  Import,
  Magic,
  If,
  While,
  For,
  With,
  Break,
  Continue,
};

class Stmt {
public:
  virtual ~Stmt() = default;
  StmtKind kind() const { return kind_; }
  Span span() const { return span_; }

protected:
  Stmt(StmtKind k, Span s) : kind_(k), span_(s) {}

private:
  StmtKind kind_;
  Span span_;
};
using StmtPtr = std::unique_ptr<Stmt>;

template <class T> bool isa(const Stmt& s) {
  return s.kind() == T::Kind;
}
template <class T> const T& cast(const Stmt& s) {
  assert(isa<T>(s));
  return static_cast<const T&>(s);
}

struct ExprStmt : Stmt {
  static constexpr StmtKind Kind = StmtKind::Expr;
  ExprPtr value;
  ExprStmt(Span s, ExprPtr v) : Stmt(Kind, s), value(std::move(v)) {}
};

/// `a = b = value`; each target is a Name, Subscript, Attribute or Tuple of those.
struct AssignStmt : Stmt {
  static constexpr StmtKind Kind = StmtKind::Assign;
  std::vector<ExprPtr> targets;
  ExprPtr value;
  AssignStmt(Span s, std::vector<ExprPtr> t, ExprPtr v)
      : Stmt(Kind, s), targets(std::move(t)), value(std::move(v)) {}
};

/// `target op= value`; target is a Name or Subscript.
struct AugAssignStmt : Stmt {
  static constexpr StmtKind Kind = StmtKind::AugAssign;
  ExprPtr target;
  BinaryOp op;
  Span opSpan;
  ExprPtr value;
  AugAssignStmt(Span s, ExprPtr t, BinaryOp op, Span opSpan, ExprPtr v)
      : Stmt(Kind, s), target(std::move(t)), op(op), opSpan(opSpan), value(std::move(v)) {}
};

struct Param {
  std::string name;
  Span span;
  ExprPtr defaultValue; // may be null
};

struct FunctionDefStmt : Stmt {
  static constexpr StmtKind Kind = StmtKind::FunctionDef;
  std::string name;
  Span nameSpan;
  std::vector<Param> params;
  std::vector<StmtPtr> body;
  FunctionDefStmt(Span s, std::string n, Span ns, std::vector<Param> p, std::vector<StmtPtr> b)
      : Stmt(Kind, s), name(std::move(n)), nameSpan(ns), params(std::move(p)), body(std::move(b)) {}
};

struct ReturnStmt : Stmt {
  static constexpr StmtKind Kind = StmtKind::Return;
  ExprPtr value; // may be null
  ReturnStmt(Span s, ExprPtr v) : Stmt(Kind, s), value(std::move(v)) {}
};

struct PassStmt : Stmt {
  static constexpr StmtKind Kind = StmtKind::Pass;
  explicit PassStmt(Span s) : Stmt(Kind, s) {}
};

/// `if test: body else: orelse`; an `elif` is an IfStmt alone in orelse.
struct IfStmt : Stmt {
  static constexpr StmtKind Kind = StmtKind::If;
  ExprPtr test;
  std::vector<StmtPtr> body, orelse;
  IfStmt(Span s, ExprPtr t, std::vector<StmtPtr> b, std::vector<StmtPtr> o)
      : Stmt(Kind, s), test(std::move(t)), body(std::move(b)), orelse(std::move(o)) {}
};

/// `while test: body else: orelse` (orelse runs when the loop ends without
/// `break`).
struct WhileStmt : Stmt {
  static constexpr StmtKind Kind = StmtKind::While;
  ExprPtr test;
  std::vector<StmtPtr> body, orelse;
  WhileStmt(Span s, ExprPtr t, std::vector<StmtPtr> b, std::vector<StmtPtr> o)
      : Stmt(Kind, s), test(std::move(t)), body(std::move(b)), orelse(std::move(o)) {}
};

/// `for target in iter: body else: orelse`; target is a Name, Subscript,
/// Attribute or Tuple of those, like an assignment target.
struct ForStmt : Stmt {
  static constexpr StmtKind Kind = StmtKind::For;
  ExprPtr target, iter;
  std::vector<StmtPtr> body, orelse;
  ForStmt(Span s, ExprPtr t, ExprPtr i, std::vector<StmtPtr> b, std::vector<StmtPtr> o)
      : Stmt(Kind, s), target(std::move(t)), iter(std::move(i)), body(std::move(b)),
        orelse(std::move(o)) {}
};

/// `with context: body` (ravel: `context` is a call of errstate).
struct WithStmt : Stmt {
  static constexpr StmtKind Kind = StmtKind::With;
  ExprPtr context;
  std::vector<StmtPtr> body;
  WithStmt(Span s, ExprPtr c, std::vector<StmtPtr> b)
      : Stmt(Kind, s), context(std::move(c)), body(std::move(b)) {}
};

struct BreakStmt : Stmt {
  static constexpr StmtKind Kind = StmtKind::Break;
  explicit BreakStmt(Span s) : Stmt(Kind, s) {}
};

struct ContinueStmt : Stmt {
  static constexpr StmtKind Kind = StmtKind::Continue;
  explicit ContinueStmt(Span s) : Stmt(Kind, s) {}
};

/// `import numpy as np` / `import numpy` / `from numpy import *`: accepted so
/// that NumPy scripts run unchanged; only numpy (and its submodules random,
/// linalg) may be imported.
struct ImportStmt : Stmt {
  static constexpr StmtKind Kind = StmtKind::Import;
  std::string module;             // dotted name
  std::string alias;              // empty when none
  bool star = false;              // from module import *
  std::vector<std::string> names; // from module import a, b
  ImportStmt(Span s) : Stmt(Kind, s) {}
};

/// A line magic: IPython's `%timeit <statement>`, or ravel's `%explain
/// <statement>` (run it, then describe the kernels it ran).
enum class Magic : uint8_t { TimeIt, Explain };

struct MagicStmt : Stmt {
  static constexpr StmtKind Kind = StmtKind::Magic;
  Magic magic;
  StmtPtr statement;
  MagicStmt(Span s, Magic m, StmtPtr st) : Stmt(Kind, s), magic(m), statement(std::move(st)) {}
};

struct Program {
  std::vector<StmtPtr> body;
};

/// Text form for `--emit=ast` and parser tests: one statement per line,
/// expressions fully parenthesised, e.g. `(= r (call sqrt (+ (** x 2) 1)))`.
std::string dump(const Program& program);
std::string dump(const Expr& expr);

} // namespace ravel::ast
