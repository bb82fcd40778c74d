// Parse tree to AST: one build<Rule>() per grammar rule, each headed by the
// production it handles (see grammar/Ravel.g4).
//
// Assumptions: the tree has no error nodes (the parser throws on the first
// error) and checkNesting() has bounded the nesting, so the recursion here
// (which follows the grammar's) is shallow. Binary-operator loops are folded
// iteratively into left-deep trees, so a long `x + x + ... + x` costs no
// stack. Every node's span covers its source text: a folded BinaryExpr spans
// from its first operand's first token (parentheses included) to its last
// operand's last token.
#include "compiler/frontend/AstBuilder.h"

#include "compiler/diag/Diagnostic.h"
#include "compiler/frontend/Literals.h"

#include <unordered_set>

namespace ravel::frontend {
namespace {

using P = grammar::RavelParser;
using antlr4::ParserRuleContext;
using antlr4::tree::ParseTree;
using antlr4::tree::TerminalNode;
using namespace ast;

bool isToken(ParseTree* t, size_t type) {
  auto* n = dynamic_cast<TerminalNode*>(t);
  return n && n->getSymbol()->getType() == type;
}

size_t tokenType(ParseTree* t) {
  return static_cast<TerminalNode*>(t)->getSymbol()->getType();
}

BinaryOp binaryOp(size_t type) {
  switch (type) {
    case P::PLUS:
    case P::PLUS_ASSIGN:
      return BinaryOp::Add;
    case P::MINUS:
    case P::MINUS_ASSIGN:
      return BinaryOp::Sub;
    case P::STAR:
    case P::STAR_ASSIGN:
      return BinaryOp::Mul;
    case P::SLASH:
    case P::SLASH_ASSIGN:
      return BinaryOp::Div;
    case P::DSLASH:
    case P::DSLASH_ASSIGN:
      return BinaryOp::FloorDiv;
    case P::PERCENT:
    case P::PERCENT_ASSIGN:
      return BinaryOp::Mod;
    case P::DSTAR:
    case P::DSTAR_ASSIGN:
      return BinaryOp::Pow;
    case P::AT:
    case P::AT_ASSIGN:
      return BinaryOp::MatMul;
    case P::AMP:
    case P::AMP_ASSIGN:
      return BinaryOp::BitAnd;
    case P::VBAR:
    case P::VBAR_ASSIGN:
      return BinaryOp::BitOr;
    case P::CARET:
    case P::CARET_ASSIGN:
      return BinaryOp::BitXor;
    case P::LSHIFT:
    case P::LSHIFT_ASSIGN:
      return BinaryOp::LShift;
    default:
      return BinaryOp::RShift;
  }
}

/// What an invalid assignment target is, in Python's words.
std::string describe(const Expr& e) {
  switch (e.kind()) {
    case ExprKind::Call:
      return "function call";
    case ExprKind::Int:
    case ExprKind::Float:
    case ExprKind::Imag:
    case ExprKind::String:
    case ExprKind::Ellipsis:
      return "literal";
    case ExprKind::Bool:
      return cast<BoolExpr>(e).value ? "True" : "False";
    case ExprKind::None:
      return "None";
    case ExprKind::Compare:
      return "comparison";
    case ExprKind::Tuple:
      return "tuple";
    case ExprKind::List:
      return "list";
    case ExprKind::Attribute:
      return "attribute";
    case ExprKind::Subscript:
      return "subscript";
    case ExprKind::Name:
      return "name";
    default:
      return "expression";
  }
}

class AstBuilder {
public:
  AstBuilder(const Source& source, const std::vector<Token>& tokens)
      : source_(source), tokens_(tokens) {}

  Program buildFileInput(P::FileInputContext* ctx);

private:
  // ---------------------------------------------------------------- spans
  const Token& token(antlr4::Token* t) const { return tokens_[t->getTokenIndex()]; }
  const Token& first(ParseTree* t) const {
    if (auto* n = dynamic_cast<TerminalNode*>(t)) return token(n->getSymbol());
    return token(static_cast<ParserRuleContext*>(t)->getStart());
  }
  const Token& last(ParseTree* t) const {
    if (auto* n = dynamic_cast<TerminalNode*>(t)) return token(n->getSymbol());
    return token(static_cast<ParserRuleContext*>(t)->getStop());
  }
  Span span(ParseTree* from, ParseTree* to) const {
    return Span{source_.fileId(), first(from).begin, last(to).end};
  }
  Span span(ParseTree* t) const { return span(t, t); }

  [[noreturn]] void fail(Span at, std::string message) const {
    throw RavelError(Diagnostic{ErrorKind::Syntax, at, std::move(message), {}});
  }

  // ----------------------------------------------------------- statements
  void buildStmt(P::StmtContext* ctx, std::vector<StmtPtr>& out);
  StmtPtr buildMagicStmt(P::MagicStmtContext* ctx);
  void buildSimpleStmt(P::SimpleStmtContext* ctx, std::vector<StmtPtr>& out);
  void buildSmallStmt(P::SmallStmtContext* ctx, std::vector<StmtPtr>& out);
  StmtPtr buildExprStmt(P::ExprStmtContext* ctx);
  void checkTarget(ExprPtr& target);
  void checkAugTarget(const Expr& target);
  StmtPtr buildReturnStmt(P::ReturnStmtContext* ctx);
  void buildImportStmt(P::ImportStmtContext* ctx, std::vector<StmtPtr>& out);
  void buildImportName(P::ImportNameContext* ctx, std::vector<StmtPtr>& out);
  StmtPtr buildImportFrom(P::ImportFromContext* ctx);
  std::string buildDottedName(P::DottedNameContext* ctx);
  StmtPtr buildFuncDef(P::FuncDefContext* ctx);
  StmtPtr buildIfStmt(P::IfStmtContext* ctx);
  StmtPtr buildWhileStmt(P::WhileStmtContext* ctx);
  StmtPtr buildWithStmt(P::WithStmtContext* ctx);
  StmtPtr buildForStmt(P::ForStmtContext* ctx);
  ExprPtr buildTargetList(P::TargetListContext* ctx);
  std::vector<StmtPtr> buildLoopBody(P::SuiteContext* ctx);
  std::vector<Param> buildParameters(P::ParametersContext* ctx);
  std::vector<StmtPtr> buildSuite(P::SuiteContext* ctx);

  // ---------------------------------------------------------- expressions
  ExprPtr buildTestList(P::TestListContext* ctx);
  std::vector<ExprPtr> buildItems(P::TestListContext* ctx, bool* hasComma);
  ExprPtr buildExpr(P::ExprContext* ctx);
  ExprPtr buildOrTest(P::OrTestContext* ctx);
  ExprPtr buildAndTest(P::AndTestContext* ctx);
  ExprPtr buildNotTest(P::NotTestContext* ctx);
  ExprPtr buildComparison(P::ComparisonContext* ctx);
  CompareOp buildCompOp(P::CompOpContext* ctx);
  ExprPtr buildBitOr(P::BitOrContext* ctx);
  ExprPtr buildBitXor(P::BitXorContext* ctx);
  ExprPtr buildBitAnd(P::BitAndContext* ctx);
  ExprPtr buildShiftExpr(P::ShiftExprContext* ctx);
  ExprPtr buildArith(P::ArithContext* ctx);
  ExprPtr buildTerm(P::TermContext* ctx);
  ExprPtr buildFactor(P::FactorContext* ctx);
  ExprPtr buildPower(P::PowerContext* ctx);
  ExprPtr buildPrimary(P::PrimaryContext* ctx);
  ExprPtr buildTrailer(P::TrailerContext* ctx, ExprPtr object, ParseTree* start);
  void buildArgList(P::ArgListContext* ctx, std::vector<ExprPtr>& args, std::vector<Keyword>& kws);
  std::vector<ExprPtr> buildSubscriptList(P::SubscriptListContext* ctx);
  ExprPtr buildSubscript(P::SubscriptContext* ctx);
  ExprPtr buildAtom(P::AtomContext* ctx);
  ExprPtr buildListBody(P::ListBodyContext* ctx, Span s);
  std::vector<Comprehension> buildCompFor(P::CompForContext* ctx);
  ExprPtr buildStrings(P::AtomContext* ctx);
  void appendFString(const Token& t, std::vector<FStringPart>& parts);
  std::string decodeChunk(const Token& t, size_t prefixEnd, size_t quote, size_t from, size_t to);

  /// `operand (op operand)*` as a left-deep BinaryExpr tree, iteratively.
  template <class Operand, class Build> ExprPtr fold(ParserRuleContext* ctx, Build build) {
    std::vector<ParseTree*>& ch = ctx->children;
    ExprPtr lhs = build(static_cast<Operand*>(ch[0]));
    for (size_t i = 1; i + 1 < ch.size(); i += 2) {
      ExprPtr rhs = build(static_cast<Operand*>(ch[i + 1]));
      lhs = std::make_unique<BinaryExpr>(span(ch[0], ch[i + 1]), binaryOp(tokenType(ch[i])),
                                         span(ch[i]), std::move(lhs), std::move(rhs));
    }
    return lhs;
  }

  const Source& source_;
  const std::vector<Token>& tokens_;
  int functionDepth_ = 0; // how many `def` bodies enclose the current statement
  int loopDepth_ = 0;     // loops enclosing the statement inside its function
};

// ------------------------------------------------------------- statements

// fileInput : (NEWLINE | stmt | magicStmt)* EOF
Program AstBuilder::buildFileInput(P::FileInputContext* ctx) {
  Program program;
  for (ParseTree* child : ctx->children) {
    if (auto* stmt = dynamic_cast<P::StmtContext*>(child))
      buildStmt(stmt, program.body);
    else if (auto* timeit = dynamic_cast<P::MagicStmtContext*>(child))
      program.body.push_back(buildMagicStmt(timeit));
  }
  return program;
}

// stmt : simpleStmt | compoundStmt
// compoundStmt : funcDef | ifStmt | whileStmt | forStmt
void AstBuilder::buildStmt(P::StmtContext* ctx, std::vector<StmtPtr>& out) {
  if (ctx->simpleStmt()) {
    buildSimpleStmt(ctx->simpleStmt(), out);
    return;
  }
  P::CompoundStmtContext* c = ctx->compoundStmt();
  if (c->funcDef())
    out.push_back(buildFuncDef(c->funcDef()));
  else if (c->ifStmt())
    out.push_back(buildIfStmt(c->ifStmt()));
  else if (c->whileStmt())
    out.push_back(buildWhileStmt(c->whileStmt()));
  else if (c->withStmt())
    out.push_back(buildWithStmt(c->withStmt()));
  else
    out.push_back(buildForStmt(c->forStmt()));
}

// magicStmt : LINE_MAGIC smallStmt NEWLINE
StmtPtr AstBuilder::buildMagicStmt(P::MagicStmtContext* ctx) {
  std::vector<StmtPtr> inner;
  buildSmallStmt(ctx->smallStmt(), inner);
  bool explain = ctx->LINE_MAGIC()->getText() == "%explain";
  if (inner.size() != 1)
    fail(span(ctx->smallStmt()),
         std::string(explain ? "%explain" : "%timeit") + " takes a single statement");
  return std::make_unique<MagicStmt>(span(ctx), explain ? Magic::Explain : Magic::TimeIt,
                                     std::move(inner[0]));
}

// simpleStmt : smallStmt (SEMI smallStmt)* SEMI? NEWLINE
void AstBuilder::buildSimpleStmt(P::SimpleStmtContext* ctx, std::vector<StmtPtr>& out) {
  for (ParseTree* child : ctx->children)
    if (auto* small = dynamic_cast<P::SmallStmtContext*>(child)) buildSmallStmt(small, out);
}

// smallStmt : exprStmt | returnStmt | passStmt | breakStmt | continueStmt | importStmt
// passStmt : PASS
// breakStmt : BREAK
// continueStmt : CONTINUE
void AstBuilder::buildSmallStmt(P::SmallStmtContext* ctx, std::vector<StmtPtr>& out) {
  if (ctx->exprStmt()) {
    out.push_back(buildExprStmt(ctx->exprStmt()));
  } else if (ctx->returnStmt()) {
    out.push_back(buildReturnStmt(ctx->returnStmt()));
  } else if (ctx->passStmt()) {
    out.push_back(std::make_unique<PassStmt>(span(ctx)));
  } else if (ctx->breakStmt()) {
    if (loopDepth_ == 0) fail(span(ctx), "'break' outside loop");
    out.push_back(std::make_unique<BreakStmt>(span(ctx)));
  } else if (ctx->continueStmt()) {
    if (loopDepth_ == 0) fail(span(ctx), "'continue' not properly in loop");
    out.push_back(std::make_unique<ContinueStmt>(span(ctx)));
  } else {
    buildImportStmt(ctx->importStmt(), out);
  }
}

// exprStmt : testList (augAssign testList | (ASSIGN testList)*)
// augAssign : PLUS_ASSIGN | MINUS_ASSIGN | ... | RSHIFT_ASSIGN
StmtPtr AstBuilder::buildExprStmt(P::ExprStmtContext* ctx) {
  std::vector<ParseTree*>& ch = ctx->children;
  auto list = [&](size_t i) { return buildTestList(static_cast<P::TestListContext*>(ch[i])); };
  if (ch.size() == 1) return std::make_unique<ExprStmt>(span(ctx), list(0));
  if (auto* aug = dynamic_cast<P::AugAssignContext*>(ch[1])) {
    ExprPtr target = list(0);
    checkAugTarget(*target);
    return std::make_unique<AugAssignStmt>(
        span(ctx), std::move(target), binaryOp(tokenType(aug->children[0])), span(aug), list(2));
  }
  std::vector<ExprPtr> targets;
  for (size_t i = 0; i + 1 < ch.size(); i += 2) {
    targets.push_back(list(i));
    checkTarget(targets.back());
  }
  return std::make_unique<AssignStmt>(span(ctx), std::move(targets), list(ch.size() - 1));
}

/// Assignment targets: names, subscripts, attributes, and tuples of those
/// (a list target `[a, b] = ...` becomes a tuple, as it means the same).
void AstBuilder::checkTarget(ExprPtr& target) {
  switch (target->kind()) {
    case ExprKind::Name:
    case ExprKind::Subscript:
    case ExprKind::Attribute:
      return;
    case ExprKind::Tuple:
      for (ExprPtr& e : static_cast<TupleExpr&>(*target).elts) checkTarget(e);
      return;
    case ExprKind::List: {
      auto& list = static_cast<ListExpr&>(*target);
      for (ExprPtr& e : list.elts) checkTarget(e);
      target = std::make_unique<TupleExpr>(list.span(), std::move(list.elts));
      return;
    }
    default:
      fail(target->span(), "cannot assign to " + describe(*target));
  }
}

void AstBuilder::checkAugTarget(const Expr& target) {
  if (isa<NameExpr>(target) || isa<SubscriptExpr>(target)) return;
  if (isa<AttributeExpr>(target))
    fail(target.span(), "augmented assignment to an attribute is not supported");
  fail(target.span(),
       "'" + describe(target) + "' is an illegal expression for augmented assignment");
}

// returnStmt : RETURN testList?
StmtPtr AstBuilder::buildReturnStmt(P::ReturnStmtContext* ctx) {
  if (functionDepth_ == 0) fail(span(ctx), "'return' outside function");
  return std::make_unique<ReturnStmt>(span(ctx),
                                      ctx->testList() ? buildTestList(ctx->testList()) : nullptr);
}

// importStmt : importName | importFrom
void AstBuilder::buildImportStmt(P::ImportStmtContext* ctx, std::vector<StmtPtr>& out) {
  if (ctx->importName())
    buildImportName(ctx->importName(), out);
  else
    out.push_back(buildImportFrom(ctx->importFrom()));
}

// importName : IMPORT dottedAsName (COMMA dottedAsName)*
// dottedAsName : dottedName (AS NAME)?
// One ImportStmt per module, each spanning the whole statement.
void AstBuilder::buildImportName(P::ImportNameContext* ctx, std::vector<StmtPtr>& out) {
  for (ParseTree* child : ctx->children) {
    auto* item = dynamic_cast<P::DottedAsNameContext*>(child);
    if (!item) continue;
    auto stmt = std::make_unique<ImportStmt>(span(ctx));
    stmt->module = buildDottedName(item->dottedName());
    if (item->NAME()) stmt->alias = item->NAME()->getText();
    out.push_back(std::move(stmt));
  }
}

// importFrom : FROM dottedName IMPORT (STAR | LPAR importAsNames COMMA? RPAR | importAsNames)
// importAsNames : importAsName (COMMA importAsName)*
// importAsName : NAME (AS NAME)?
StmtPtr AstBuilder::buildImportFrom(P::ImportFromContext* ctx) {
  auto stmt = std::make_unique<ImportStmt>(span(ctx));
  stmt->module = buildDottedName(ctx->dottedName());
  stmt->star = ctx->STAR() != nullptr;
  if (stmt->star && functionDepth_ > 0) fail(span(ctx), "import * only allowed at module level");
  if (P::ImportAsNamesContext* names = ctx->importAsNames()) {
    for (ParseTree* child : names->children) {
      auto* item = dynamic_cast<P::ImportAsNameContext*>(child);
      if (!item) continue;
      if (item->AS()) fail(span(item), "'from ... import name as alias' is not supported");
      stmt->names.push_back(item->NAME(0)->getText());
    }
  }
  return stmt;
}

// dottedName : NAME (DOT NAME)*
std::string AstBuilder::buildDottedName(P::DottedNameContext* ctx) {
  std::string name;
  for (ParseTree* child : ctx->children) name += child->getText();
  return name;
}

// funcDef : DEF NAME LPAR parameters? RPAR COLON suite
StmtPtr AstBuilder::buildFuncDef(P::FuncDefContext* ctx) {
  std::vector<Param> params;
  if (ctx->parameters()) params = buildParameters(ctx->parameters());
  ++functionDepth_;
  const int outerLoops = loopDepth_; // `break` in a def never leaves an outer loop
  loopDepth_ = 0;
  std::vector<StmtPtr> body = buildSuite(ctx->suite());
  loopDepth_ = outerLoops;
  --functionDepth_;
  return std::make_unique<FunctionDefStmt>(span(ctx), ctx->NAME()->getText(), span(ctx->NAME()),
                                           std::move(params), std::move(body));
}

// ifStmt : IF expr COLON suite (ELIF expr COLON suite)* (ELSE COLON suite)?
// Built from the last clause back: each `elif` is an IfStmt spanning from
// its keyword to the end, alone in the previous clause's orelse.
StmtPtr AstBuilder::buildIfStmt(P::IfStmtContext* ctx) {
  std::vector<ParseTree*>& ch = ctx->children;
  struct Clause {
    ParseTree* keyword;
    P::ExprContext* test;
    P::SuiteContext* suite;
  };
  std::vector<Clause> clauses;
  P::SuiteContext* elseSuite = nullptr;
  for (size_t i = 0; i < ch.size(); ++i) {
    if (isToken(ch[i], P::IF) || isToken(ch[i], P::ELIF))
      clauses.push_back({ch[i], static_cast<P::ExprContext*>(ch[i + 1]),
                         static_cast<P::SuiteContext*>(ch[i + 3])});
    else if (isToken(ch[i], P::ELSE))
      elseSuite = static_cast<P::SuiteContext*>(ch[i + 2]);
  }
  std::vector<StmtPtr> orelse;
  if (elseSuite) orelse = buildSuite(elseSuite);
  for (size_t k = clauses.size(); k-- > 0;) {
    const Clause& c = clauses[k];
    ExprPtr test = buildExpr(c.test);
    std::vector<StmtPtr> body = buildSuite(c.suite);
    auto stmt = std::make_unique<IfStmt>(span(c.keyword, ctx), std::move(test), std::move(body),
                                         std::move(orelse));
    orelse.clear();
    orelse.push_back(std::move(stmt));
  }
  return std::move(orelse[0]);
}

/// A loop's body: `break` and `continue` are allowed in it.
std::vector<StmtPtr> AstBuilder::buildLoopBody(P::SuiteContext* ctx) {
  ++loopDepth_;
  std::vector<StmtPtr> body = buildSuite(ctx);
  --loopDepth_;
  return body;
}

// whileStmt : WHILE expr COLON suite (ELSE COLON suite)?
StmtPtr AstBuilder::buildWhileStmt(P::WhileStmtContext* ctx) {
  ExprPtr test = buildExpr(ctx->expr());
  std::vector<StmtPtr> body = buildLoopBody(ctx->suite(0));
  std::vector<StmtPtr> orelse;
  if (ctx->ELSE()) orelse = buildSuite(ctx->suite(1));
  return std::make_unique<WhileStmt>(span(ctx), std::move(test), std::move(body),
                                     std::move(orelse));
}

// withStmt : WITH expr COLON suite
StmtPtr AstBuilder::buildWithStmt(P::WithStmtContext* ctx) {
  ExprPtr context = buildExpr(ctx->expr());
  return std::make_unique<WithStmt>(span(ctx), std::move(context), buildSuite(ctx->suite()));
}

// forStmt : FOR targetList IN testList COLON suite (ELSE COLON suite)?
StmtPtr AstBuilder::buildForStmt(P::ForStmtContext* ctx) {
  ExprPtr target = buildTargetList(ctx->targetList());
  ExprPtr iter = buildTestList(ctx->testList());
  std::vector<StmtPtr> body = buildLoopBody(ctx->suite(0));
  std::vector<StmtPtr> orelse;
  if (ctx->ELSE()) orelse = buildSuite(ctx->suite(1));
  return std::make_unique<ForStmt>(span(ctx), std::move(target), std::move(iter), std::move(body),
                                   std::move(orelse));
}

// targetList : bitOr (COMMA bitOr)* COMMA?
// One target, or a tuple of them when there is a comma; checked like the
// targets of an assignment.
ExprPtr AstBuilder::buildTargetList(P::TargetListContext* ctx) {
  std::vector<ExprPtr> items;
  bool hasComma = false;
  for (ParseTree* child : ctx->children) {
    if (auto* e = dynamic_cast<P::BitOrContext*>(child))
      items.push_back(buildBitOr(e));
    else
      hasComma = true;
  }
  ExprPtr target =
      hasComma ? std::make_unique<TupleExpr>(span(ctx), std::move(items)) : std::move(items[0]);
  checkTarget(target);
  return target;
}

// parameters : param (COMMA param)* COMMA?
// param : NAME (ASSIGN expr)?
std::vector<Param> AstBuilder::buildParameters(P::ParametersContext* ctx) {
  std::vector<Param> params;
  std::unordered_set<std::string> seen;
  for (ParseTree* child : ctx->children) {
    auto* p = dynamic_cast<P::ParamContext*>(child);
    if (!p) continue;
    std::string name = p->NAME()->getText();
    if (!seen.insert(name).second)
      fail(span(p->NAME()), "duplicate argument '" + name + "' in function definition");
    if (!p->expr() && !params.empty() && params.back().defaultValue)
      fail(span(p), "non-default argument follows default argument");
    params.push_back(Param{name, span(p->NAME()), p->expr() ? buildExpr(p->expr()) : nullptr});
  }
  return params;
}

// suite : simpleStmt | NEWLINE INDENT stmt+ DEDENT
std::vector<StmtPtr> AstBuilder::buildSuite(P::SuiteContext* ctx) {
  std::vector<StmtPtr> body;
  if (ctx->simpleStmt()) {
    buildSimpleStmt(ctx->simpleStmt(), body);
    return body;
  }
  for (ParseTree* child : ctx->children)
    if (auto* stmt = dynamic_cast<P::StmtContext*>(child)) buildStmt(stmt, body);
  return body;
}

// ------------------------------------------------------------ expressions

// testList : expr (COMMA expr)* COMMA?
// A single expression, or a bare tuple when there is a comma.
ExprPtr AstBuilder::buildTestList(P::TestListContext* ctx) {
  bool hasComma = false;
  std::vector<ExprPtr> items = buildItems(ctx, &hasComma);
  if (!hasComma) return std::move(items[0]);
  return std::make_unique<TupleExpr>(span(ctx), std::move(items));
}

std::vector<ExprPtr> AstBuilder::buildItems(P::TestListContext* ctx, bool* hasComma) {
  std::vector<ExprPtr> items;
  for (ParseTree* child : ctx->children) {
    if (auto* e = dynamic_cast<P::ExprContext*>(child))
      items.push_back(buildExpr(e));
    else
      *hasComma = true;
  }
  return items;
}

// expr : orTest (IF orTest ELSE expr)?
ExprPtr AstBuilder::buildExpr(P::ExprContext* ctx) {
  ExprPtr value = buildOrTest(ctx->orTest(0));
  if (!ctx->IF()) return value;
  ExprPtr test = buildOrTest(ctx->orTest(1));
  return std::make_unique<IfExpExpr>(span(ctx), std::move(test), std::move(value),
                                     buildExpr(ctx->expr()));
}

// orTest : andTest (OR andTest)*
ExprPtr AstBuilder::buildOrTest(P::OrTestContext* ctx) {
  if (ctx->children.size() == 1)
    return buildAndTest(static_cast<P::AndTestContext*>(ctx->children[0]));
  std::vector<ExprPtr> operands;
  for (size_t i = 0; i < ctx->children.size(); i += 2)
    operands.push_back(buildAndTest(static_cast<P::AndTestContext*>(ctx->children[i])));
  return std::make_unique<BoolOpExpr>(span(ctx), BoolOpKind::Or, std::move(operands));
}

// andTest : notTest (AND notTest)*
ExprPtr AstBuilder::buildAndTest(P::AndTestContext* ctx) {
  if (ctx->children.size() == 1)
    return buildNotTest(static_cast<P::NotTestContext*>(ctx->children[0]));
  std::vector<ExprPtr> operands;
  for (size_t i = 0; i < ctx->children.size(); i += 2)
    operands.push_back(buildNotTest(static_cast<P::NotTestContext*>(ctx->children[i])));
  return std::make_unique<BoolOpExpr>(span(ctx), BoolOpKind::And, std::move(operands));
}

// notTest : NOT notTest | comparison
ExprPtr AstBuilder::buildNotTest(P::NotTestContext* ctx) {
  if (ctx->comparison()) return buildComparison(ctx->comparison());
  return std::make_unique<UnaryExpr>(span(ctx), UnaryOp::Not, buildNotTest(ctx->notTest()));
}

// comparison : bitOr (compOp bitOr)*
// Chained like Python: `a < b < c` is one CompareExpr.
ExprPtr AstBuilder::buildComparison(P::ComparisonContext* ctx) {
  std::vector<ParseTree*>& ch = ctx->children;
  if (ch.size() == 1) return buildBitOr(static_cast<P::BitOrContext*>(ch[0]));
  std::vector<CompareOp> ops;
  std::vector<ExprPtr> operands;
  for (size_t i = 0; i < ch.size(); ++i) {
    if (i % 2 == 0)
      operands.push_back(buildBitOr(static_cast<P::BitOrContext*>(ch[i])));
    else
      ops.push_back(buildCompOp(static_cast<P::CompOpContext*>(ch[i])));
  }
  return std::make_unique<CompareExpr>(span(ctx), std::move(ops), std::move(operands));
}

// compOp : LT | GT | EQEQ | GE | LE | NE | IN | NOT IN | IS | IS NOT
CompareOp AstBuilder::buildCompOp(P::CompOpContext* ctx) {
  size_t type = tokenType(ctx->children[0]);
  bool two = ctx->children.size() == 2;
  switch (type) {
    case P::LT:
      return CompareOp::Lt;
    case P::GT:
      return CompareOp::Gt;
    case P::EQEQ:
      return CompareOp::Eq;
    case P::GE:
      return CompareOp::Ge;
    case P::LE:
      return CompareOp::Le;
    case P::NE:
      return CompareOp::Ne;
    case P::IN:
      return CompareOp::In;
    case P::NOT:
      return CompareOp::NotIn;
    default:
      return two ? CompareOp::IsNot : CompareOp::Is;
  }
}

// bitOr : bitXor (VBAR bitXor)*
ExprPtr AstBuilder::buildBitOr(P::BitOrContext* ctx) {
  return fold<P::BitXorContext>(ctx, [&](P::BitXorContext* c) { return buildBitXor(c); });
}

// bitXor : bitAnd (CARET bitAnd)*
ExprPtr AstBuilder::buildBitXor(P::BitXorContext* ctx) {
  return fold<P::BitAndContext>(ctx, [&](P::BitAndContext* c) { return buildBitAnd(c); });
}

// bitAnd : shiftExpr (AMP shiftExpr)*
ExprPtr AstBuilder::buildBitAnd(P::BitAndContext* ctx) {
  return fold<P::ShiftExprContext>(ctx, [&](P::ShiftExprContext* c) { return buildShiftExpr(c); });
}

// shiftExpr : arith ((LSHIFT | RSHIFT) arith)*
ExprPtr AstBuilder::buildShiftExpr(P::ShiftExprContext* ctx) {
  return fold<P::ArithContext>(ctx, [&](P::ArithContext* c) { return buildArith(c); });
}

// arith : term ((PLUS | MINUS) term)*
ExprPtr AstBuilder::buildArith(P::ArithContext* ctx) {
  return fold<P::TermContext>(ctx, [&](P::TermContext* c) { return buildTerm(c); });
}

// term : factor ((STAR | SLASH | DSLASH | PERCENT | AT) factor)*
ExprPtr AstBuilder::buildTerm(P::TermContext* ctx) {
  return fold<P::FactorContext>(ctx, [&](P::FactorContext* c) { return buildFactor(c); });
}

// factor : (PLUS | MINUS | TILDE) factor | power
ExprPtr AstBuilder::buildFactor(P::FactorContext* ctx) {
  if (ctx->power()) return buildPower(ctx->power());
  size_t type = tokenType(ctx->children[0]);
  UnaryOp op = type == P::MINUS ? UnaryOp::Neg : type == P::PLUS ? UnaryOp::Pos : UnaryOp::Invert;
  return std::make_unique<UnaryExpr>(span(ctx), op, buildFactor(ctx->factor()));
}

// power : primary (DSTAR factor)?
ExprPtr AstBuilder::buildPower(P::PowerContext* ctx) {
  ExprPtr base = buildPrimary(ctx->primary());
  if (!ctx->DSTAR()) return base;
  return std::make_unique<BinaryExpr>(span(ctx), BinaryOp::Pow, span(ctx->DSTAR()), std::move(base),
                                      buildFactor(ctx->factor()));
}

// primary : atom trailer*
ExprPtr AstBuilder::buildPrimary(P::PrimaryContext* ctx) {
  std::vector<ParseTree*>& ch = ctx->children;
  ExprPtr e = buildAtom(static_cast<P::AtomContext*>(ch[0]));
  for (size_t i = 1; i < ch.size(); ++i)
    e = buildTrailer(static_cast<P::TrailerContext*>(ch[i]), std::move(e), ch[0]);
  return e;
}

// trailer : LPAR argList? RPAR | LSQB subscriptList RSQB | DOT NAME
ExprPtr AstBuilder::buildTrailer(P::TrailerContext* ctx, ExprPtr object, ParseTree* start) {
  Span whole = span(start, ctx);
  if (ctx->LPAR()) {
    std::vector<ExprPtr> args;
    std::vector<Keyword> kws;
    if (ctx->argList()) buildArgList(ctx->argList(), args, kws);
    return std::make_unique<CallExpr>(whole, std::move(object), std::move(args), std::move(kws));
  }
  if (ctx->LSQB())
    return std::make_unique<SubscriptExpr>(whole, std::move(object),
                                           buildSubscriptList(ctx->subscriptList()));
  return std::make_unique<AttributeExpr>(whole, std::move(object), ctx->NAME()->getText(),
                                         span(ctx->NAME()));
}

// argList : argument (COMMA argument)* COMMA?
// argument : NAME ASSIGN expr | DSTAR expr | expr
// (`**mapping` is a Keyword named "**", expanded when the call runs)
void AstBuilder::buildArgList(P::ArgListContext* ctx, std::vector<ExprPtr>& args,
                              std::vector<Keyword>& kws) {
  for (ParseTree* child : ctx->children) {
    auto* arg = dynamic_cast<P::ArgumentContext*>(child);
    if (!arg) continue;
    if (arg->DSTAR()) {
      kws.push_back(Keyword{"**", span(arg), buildExpr(arg->expr())});
      continue;
    }
    if (!arg->ASSIGN()) {
      if (!kws.empty()) fail(span(arg), "positional argument follows keyword argument");
      args.push_back(buildExpr(arg->expr()));
      continue;
    }
    std::string name = arg->NAME()->getText();
    for (const Keyword& k : kws)
      if (k.name == name) fail(span(arg->NAME()), "keyword argument repeated: " + name);
    kws.push_back(Keyword{name, span(arg->NAME()), buildExpr(arg->expr())});
  }
}

// subscriptList : subscript (COMMA subscript)* COMMA?
// One item and a trailing comma (`a[i,]`, `mgrid[0:3,]`) is Python's 1-tuple
// key: one TupleExpr item.
std::vector<ExprPtr> AstBuilder::buildSubscriptList(P::SubscriptListContext* ctx) {
  std::vector<ExprPtr> indices;
  for (ParseTree* child : ctx->children)
    if (auto* s = dynamic_cast<P::SubscriptContext*>(child)) indices.push_back(buildSubscript(s));
  if (indices.size() == 1 && isToken(ctx->children.back(), P::COMMA)) {
    std::vector<ExprPtr> one;
    one.push_back(std::move(indices[0]));
    indices[0] = std::make_unique<TupleExpr>(span(ctx), std::move(one));
  }
  return indices;
}

// subscript : expr (COLON expr? (COLON expr?)?)? | COLON expr? (COLON expr?)?
ExprPtr AstBuilder::buildSubscript(P::SubscriptContext* ctx) {
  ExprPtr parts[3];
  size_t colons = 0;
  for (ParseTree* child : ctx->children) {
    if (isToken(child, P::COLON))
      ++colons;
    else
      parts[colons] = buildExpr(static_cast<P::ExprContext*>(child));
  }
  if (colons == 0) return std::move(parts[0]);
  return std::make_unique<SliceExpr>(span(ctx), std::move(parts[0]), std::move(parts[1]),
                                     std::move(parts[2]));
}

// atom : LPAR testList? RPAR | LSQB testList? RSQB | NAME | INT | FLOAT | IMAG | STRING+
//      | ELLIPSIS | NONE | TRUE | FALSE
ExprPtr AstBuilder::buildAtom(P::AtomContext* ctx) {
  Span s = span(ctx);
  switch (tokenType(ctx->children[0])) {
    case P::LPAR: {
      if (!ctx->testList()) return std::make_unique<TupleExpr>(s, std::vector<ExprPtr>{});
      bool hasComma = false;
      std::vector<ExprPtr> items = buildItems(ctx->testList(), &hasComma);
      if (!hasComma) return std::move(items[0]);
      return std::make_unique<TupleExpr>(s, std::move(items));
    }
    case P::LSQB:
      if (!ctx->listBody()) return std::make_unique<ListExpr>(s, std::vector<ExprPtr>{});
      return buildListBody(ctx->listBody(), s);
    case P::NAME:
      return std::make_unique<NameExpr>(s, ctx->getStart()->getText());
    case P::INT: {
      IntLiteral v = decodeInt(ctx->getStart()->getText());
      auto lit = std::make_unique<IntExpr>(s, v.value, v.overflow);
      lit->wide = v.wide;
      lit->tooLarge = v.tooLarge;
      return lit;
    }
    case P::FLOAT:
      return std::make_unique<FloatExpr>(s, decodeFloat(ctx->getStart()->getText()));
    case P::IMAG: {
      const std::string text = ctx->getStart()->getText();
      return std::make_unique<ImagExpr>(
          s, decodeFloat(std::string_view(text).substr(0, text.size() - 1)));
    }
    case P::STRING:
    case P::FSTRING:
      return buildStrings(ctx);
    case P::ELLIPSIS:
      return std::make_unique<EllipsisExpr>(s);
    case P::NONE:
      return std::make_unique<NoneExpr>(s);
    case P::TRUE:
      return std::make_unique<BoolExpr>(s, true);
    default:
      return std::make_unique<BoolExpr>(s, false);
  }
}

// listBody : expr (compFor | (COMMA expr)* COMMA?)
ExprPtr AstBuilder::buildListBody(P::ListBodyContext* ctx, Span s) {
  if (ctx->compFor())
    return std::make_unique<ListCompExpr>(s, buildExpr(ctx->expr(0)), buildCompFor(ctx->compFor()));
  std::vector<ExprPtr> items;
  for (P::ExprContext* e : ctx->expr()) items.push_back(buildExpr(e));
  return std::make_unique<ListExpr>(s, std::move(items));
}

// compFor : (FOR targetList IN orTest (IF orTest)*)+
std::vector<Comprehension> AstBuilder::buildCompFor(P::CompForContext* ctx) {
  std::vector<Comprehension> generators;
  std::vector<ParseTree*>& ch = ctx->children;
  for (size_t i = 0; i < ch.size(); ++i) {
    if (isToken(ch[i], P::FOR)) {
      Comprehension g;
      g.target = buildTargetList(static_cast<P::TargetListContext*>(ch[i + 1]));
      g.iter = buildOrTest(static_cast<P::OrTestContext*>(ch[i + 3]));
      generators.push_back(std::move(g));
      i += 3;
    } else if (isToken(ch[i], P::IF)) {
      generators.back().ifs.push_back(buildOrTest(static_cast<P::OrTestContext*>(ch[i + 1])));
      ++i;
    }
  }
  return generators;
}

// atom : (STRING | FSTRING)+
// Adjacent literals are one string; with an f-string among them, one
// FStringExpr whose literal parts hold the plain strings' text.
ExprPtr AstBuilder::buildStrings(P::AtomContext* ctx) {
  std::vector<FStringPart> parts;
  bool formatted = false;
  for (ParseTree* child : ctx->children) {
    const Token& t = first(child);
    if (t.type == P::FSTRING) {
      formatted = true;
      appendFString(t, parts);
      continue;
    }
    std::string text;
    try {
      text = decodeString(t.text);
    } catch (const StringLiteralError& e) {
      auto at = static_cast<uint32_t>(t.begin + e.offset);
      fail(Span{source_.fileId(), at, static_cast<uint32_t>(at + e.length)}, e.message);
    }
    if (parts.empty() || parts.back().value) parts.emplace_back();
    parts.back().literal += text;
  }
  if (!formatted) return std::make_unique<StringExpr>(span(ctx), std::move(parts[0].literal));
  return std::make_unique<FStringExpr>(span(ctx), std::move(parts));
}

/// The value of body bytes [from, to) of string token `t`, decoded as a
/// plain string with the token's prefix (minus `f`) and quotes.
std::string AstBuilder::decodeChunk(const Token& t, size_t prefixEnd, size_t quote, size_t from,
                                    size_t to) {
  std::string prefix;
  for (size_t i = 0; i < prefixEnd; ++i)
    if ((t.text[i] | 0x20) != 'f') prefix += t.text[i];
  const std::string quotes = t.text.substr(prefixEnd, quote);
  std::string chunk = t.text.substr(from, to - from);
  try {
    return decodeString(prefix + quotes + chunk + quotes);
  } catch (const StringLiteralError& e) {
    auto at = static_cast<uint32_t>(t.begin + from + e.offset - prefix.size() - quote);
    fail(Span{source_.fileId(), at, static_cast<uint32_t>(at + e.length)}, e.message);
  }
}

/// Splits an FSTRING token into literal text and replacement fields
/// `{expr[!conv][:spec]}` (`{{` and `}}` are braces). A field's expression
/// is parsed in place (parseFieldExpression), so its spans are the source's.
void AstBuilder::appendFString(const Token& t, std::vector<FStringPart>& parts) {
  const std::string& text = t.text;
  size_t prefixEnd = 0;
  while (text[prefixEnd] != '\'' && text[prefixEnd] != '"') ++prefixEnd;
  const size_t quote =
      text.compare(prefixEnd, 3, "'''") == 0 || text.compare(prefixEnd, 3, "\"\"\"") == 0 ? 3 : 1;
  const size_t bodyBegin = prefixEnd + quote, bodyEnd = text.size() - quote;
  auto at = [&](size_t i, size_t n = 1) {
    return Span{source_.fileId(), static_cast<uint32_t>(t.begin + i),
                static_cast<uint32_t>(t.begin + i + n)};
  };
  auto literal = [&](std::string s) {
    if (s.empty()) return;
    if (parts.empty() || parts.back().value) parts.emplace_back();
    parts.back().literal += s;
  };
  size_t chunk = bodyBegin; // start of the pending literal text
  std::string pending;      // decoded literal text before `chunk`
  size_t i = bodyBegin;
  while (i < bodyEnd) {
    const char c = text[i];
    if (c == '\\') { // an escape is literal text (never a brace)
      i += 2;
      continue;
    }
    if (c == '}') {
      if (i + 1 < bodyEnd && text[i + 1] == '}') {
        pending += decodeChunk(t, prefixEnd, quote, chunk, i + 1);
        chunk = i += 2;
        continue;
      }
      fail(at(i), "f-string: single '}' is not allowed");
    }
    if (c != '{') {
      ++i;
      continue;
    }
    if (i + 1 < bodyEnd && text[i + 1] == '{') {
      pending += decodeChunk(t, prefixEnd, quote, chunk, i + 1);
      chunk = i += 2;
      continue;
    }
    pending += decodeChunk(t, prefixEnd, quote, chunk, i);
    literal(std::move(pending));
    pending.clear();
    // The expression ends at a `}`, `!` or `:` outside brackets and strings.
    const size_t open = i;
    size_t j = i + 1, depth = 0;
    char inString = 0;
    for (; j < bodyEnd; ++j) {
      const char d = text[j];
      if (inString) {
        if (d == inString) inString = 0;
      } else if (d == '\'' || d == '"') {
        inString = d;
      } else if (d == '(' || d == '[' || d == '{') {
        ++depth;
      } else if ((d == ')' || d == ']' || d == '}') && depth > 0) {
        --depth;
      } else if (depth == 0 &&
                 (d == '}' || d == ':' || (d == '!' && (j + 1 >= bodyEnd || text[j + 1] != '=')))) {
        break;
      }
    }
    if (j >= bodyEnd) fail(at(open), "f-string: expecting '}'");
    if (text.find_first_not_of(" \t\r\n", open + 1) >= j)
      fail(at(open, j - open + 1), "f-string: empty expression not allowed");
    FStringPart field;
    field.value = parseFieldExpression(source_, static_cast<uint32_t>(t.begin + open + 1),
                                       static_cast<uint32_t>(t.begin + j));
    if (text[j] == '!') {
      const char conv = j + 1 < bodyEnd ? text[j + 1] : 0;
      if (conv != 's' && conv != 'r' && conv != 'a')
        fail(at(j, 2), "f-string: invalid conversion character: expected 's', 'r', or 'a'");
      field.conversion = conv;
      j += 2;
      if (j >= bodyEnd || (text[j] != ':' && text[j] != '}'))
        fail(at(j < bodyEnd ? j : bodyEnd - 1), "f-string: expecting '}'");
    }
    if (text[j] == ':') {
      const size_t specBegin = ++j;
      while (j < bodyEnd && text[j] != '}') {
        if (text[j] == '{')
          fail(at(j), "f-string: nested replacement fields in a format spec are not supported");
        ++j;
      }
      if (j >= bodyEnd) fail(at(open), "f-string: expecting '}'");
      field.spec = text.substr(specBegin, j - specBegin);
    }
    parts.push_back(std::move(field));
    chunk = i = j + 1;
  }
  pending += decodeChunk(t, prefixEnd, quote, chunk, bodyEnd);
  literal(std::move(pending));
  // An f-string with no text and no fields (`f""`) is the empty string.
  if (parts.empty()) parts.emplace_back();
}

} // namespace

ast::Program buildAst(grammar::RavelParser::FileInputContext* tree, const Source& source,
                      const std::vector<Token>& tokens) {
  return AstBuilder(source, tokens).buildFileInput(tree);
}

} // namespace ravel::frontend
