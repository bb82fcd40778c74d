// The binary AST form: a tag byte per node, then its fields in declaration
// order. Integers are little-endian fixed width (the artefact never leaves
// the machine family it was built for); strings and lists are a u32 count
// followed by their elements; an absent child is the tag 0xff.
#include "compiler/frontend/AstBinary.h"

#include "runtime/Error.h"

#include <cstring>

namespace ravel::ast {

namespace {

constexpr uint32_t kMagic = 0x52564c41; // "ALVR"
constexpr uint8_t kAbsent = 0xff;

class Writer {
public:
  std::string bytes;

  template <class T> void pod(T v) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void u8(uint8_t v) { pod(v); }
  void u32(uint32_t v) { pod(v); }
  void str(const std::string& s) {
    u32(static_cast<uint32_t>(s.size()));
    bytes += s;
  }
  void span(Span s) {
    u32(s.begin);
    u32(s.end);
  }
  void exprs(const std::vector<ExprPtr>& es) {
    u32(static_cast<uint32_t>(es.size()));
    for (const ExprPtr& e : es) expr(e.get());
  }
  void stmts(const std::vector<StmtPtr>& ss) {
    u32(static_cast<uint32_t>(ss.size()));
    for (const StmtPtr& s : ss) stmt(s.get());
  }

  void expr(const Expr* e) {
    if (!e) return u8(kAbsent);
    u8(static_cast<uint8_t>(e->kind()));
    span(e->span());
    switch (e->kind()) {
      case ExprKind::Name:
        return str(cast<NameExpr>(*e).id);
      case ExprKind::Int: {
        const auto& x = cast<IntExpr>(*e);
        pod(x.value);
        u8(x.overflow);
        pod(x.wide);
        return u8(x.tooLarge);
      }
      case ExprKind::Float:
        return pod(cast<FloatExpr>(*e).value);
      case ExprKind::Imag:
        return pod(cast<ImagExpr>(*e).value);
      case ExprKind::Bool:
        return u8(cast<BoolExpr>(*e).value);
      case ExprKind::None:
      case ExprKind::Ellipsis:
        return;
      case ExprKind::String:
        return str(cast<StringExpr>(*e).value);
      case ExprKind::Tuple:
        return exprs(cast<TupleExpr>(*e).elts);
      case ExprKind::List:
        return exprs(cast<ListExpr>(*e).elts);
      case ExprKind::Unary: {
        const auto& x = cast<UnaryExpr>(*e);
        u8(static_cast<uint8_t>(x.op));
        return expr(x.operand.get());
      }
      case ExprKind::Binary: {
        const auto& x = cast<BinaryExpr>(*e);
        u8(static_cast<uint8_t>(x.op));
        span(x.opSpan);
        expr(x.lhs.get());
        return expr(x.rhs.get());
      }
      case ExprKind::Compare: {
        const auto& x = cast<CompareExpr>(*e);
        u32(static_cast<uint32_t>(x.ops.size()));
        for (CompareOp op : x.ops) u8(static_cast<uint8_t>(op));
        return exprs(x.operands);
      }
      case ExprKind::BoolOp: {
        const auto& x = cast<BoolOpExpr>(*e);
        u8(static_cast<uint8_t>(x.op));
        return exprs(x.operands);
      }
      case ExprKind::Call: {
        const auto& x = cast<CallExpr>(*e);
        expr(x.callee.get());
        exprs(x.args);
        u32(static_cast<uint32_t>(x.keywords.size()));
        for (const Keyword& k : x.keywords) {
          str(k.name);
          span(k.nameSpan);
          expr(k.value.get());
        }
        return;
      }
      case ExprKind::Attribute: {
        const auto& x = cast<AttributeExpr>(*e);
        expr(x.object.get());
        str(x.attr);
        return span(x.attrSpan);
      }
      case ExprKind::Subscript: {
        const auto& x = cast<SubscriptExpr>(*e);
        expr(x.object.get());
        return exprs(x.indices);
      }
      case ExprKind::Slice: {
        const auto& x = cast<SliceExpr>(*e);
        expr(x.lower.get());
        expr(x.upper.get());
        return expr(x.step.get());
      }
      case ExprKind::IfExp: {
        const auto& x = cast<IfExpExpr>(*e);
        expr(x.test.get());
        expr(x.body.get());
        return expr(x.orelse.get());
      }
      case ExprKind::ListComp: {
        const auto& x = cast<ListCompExpr>(*e);
        expr(x.elt.get());
        u32(static_cast<uint32_t>(x.generators.size()));
        for (const Comprehension& c : x.generators) {
          expr(c.target.get());
          expr(c.iter.get());
          exprs(c.ifs);
        }
        return;
      }
      case ExprKind::FString: {
        const auto& x = cast<FStringExpr>(*e);
        u32(static_cast<uint32_t>(x.parts.size()));
        for (const FStringPart& p : x.parts) {
          str(p.literal);
          expr(p.value.get());
          u8(static_cast<uint8_t>(p.conversion));
          str(p.spec);
        }
        return;
      }
    }
    throw InternalError("AST binary form: unknown expression kind");
  }

  void stmt(const Stmt* s) {
    if (!s) return u8(kAbsent);
    u8(static_cast<uint8_t>(s->kind()));
    span(s->span());
    switch (s->kind()) {
      case StmtKind::Expr:
        return expr(cast<ExprStmt>(*s).value.get());
      case StmtKind::Assign: {
        const auto& x = cast<AssignStmt>(*s);
        exprs(x.targets);
        return expr(x.value.get());
      }
      case StmtKind::AugAssign: {
        const auto& x = cast<AugAssignStmt>(*s);
        expr(x.target.get());
        u8(static_cast<uint8_t>(x.op));
        span(x.opSpan);
        return expr(x.value.get());
      }
      case StmtKind::FunctionDef: {
        const auto& x = cast<FunctionDefStmt>(*s);
        str(x.name);
        span(x.nameSpan);
        u32(static_cast<uint32_t>(x.params.size()));
        for (const Param& p : x.params) {
          str(p.name);
          span(p.span);
          expr(p.defaultValue.get());
        }
        return stmts(x.body);
      }
      case StmtKind::Return:
        return expr(cast<ReturnStmt>(*s).value.get());
      case StmtKind::Pass:
      case StmtKind::Break:
      case StmtKind::Continue:
        return;
      case StmtKind::Import: {
        const auto& x = cast<ImportStmt>(*s);
        str(x.module);
        str(x.alias);
        u8(x.star);
        u32(static_cast<uint32_t>(x.names.size()));
        for (const std::string& n : x.names) str(n);
        return;
      }
      case StmtKind::Magic: {
        const auto& x = cast<MagicStmt>(*s);
        u8(static_cast<uint8_t>(x.magic));
        return stmt(x.statement.get());
      }
      case StmtKind::If: {
        const auto& x = cast<IfStmt>(*s);
        expr(x.test.get());
        stmts(x.body);
        return stmts(x.orelse);
      }
      case StmtKind::While: {
        const auto& x = cast<WhileStmt>(*s);
        expr(x.test.get());
        stmts(x.body);
        return stmts(x.orelse);
      }
      case StmtKind::For: {
        const auto& x = cast<ForStmt>(*s);
        expr(x.target.get());
        expr(x.iter.get());
        stmts(x.body);
        return stmts(x.orelse);
      }
      case StmtKind::With: {
        const auto& x = cast<WithStmt>(*s);
        expr(x.context.get());
        return stmts(x.body);
      }
    }
    throw InternalError("AST binary form: unknown statement kind");
  }
};

class Reader {
public:
  Reader(std::string_view bytes, uint32_t fileId) : bytes_(bytes), fileId_(fileId) {}

  template <class T> T pod() {
    static_assert(std::is_trivially_copyable_v<T>);
    need(sizeof(T));
    T v;
    std::memcpy(&v, bytes_.data() + pos_, sizeof v);
    pos_ += sizeof v;
    return v;
  }
  uint8_t u8() { return pod<uint8_t>(); }
  uint32_t u32() { return pod<uint32_t>(); }
  bool flag() { return u8() != 0; }
  std::string str() {
    uint32_t n = u32();
    need(n);
    std::string s(bytes_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  Span span() {
    Span s;
    s.fileId = fileId_;
    s.begin = u32();
    s.end = u32();
    if (s.end < s.begin) corrupt();
    return s;
  }
  /// A count of elements that each take at least one byte: bounded by what
  /// is left, so corrupt input cannot ask for a huge allocation.
  uint32_t count() {
    uint32_t n = u32();
    if (n > bytes_.size() - pos_) corrupt();
    return n;
  }
  std::vector<ExprPtr> exprs() {
    std::vector<ExprPtr> es(count());
    for (ExprPtr& e : es) e = expr();
    return es;
  }
  std::vector<StmtPtr> stmts() {
    std::vector<StmtPtr> ss(count());
    for (StmtPtr& s : ss) {
      s = stmt();
      if (!s) corrupt();
    }
    return ss;
  }
  template <class E> E enumerator(uint8_t last) {
    uint8_t v = u8();
    if (v > last) corrupt();
    return static_cast<E>(v);
  }

  ExprPtr expr() {
    const Nesting nesting(depth_);
    uint8_t tag = u8();
    if (tag == kAbsent) return nullptr;
    if (tag > static_cast<uint8_t>(ExprKind::Imag)) corrupt();
    Span s = span();
    switch (static_cast<ExprKind>(tag)) {
      case ExprKind::Name:
        return std::make_unique<NameExpr>(s, str());
      case ExprKind::Int: {
        int64_t value = pod<int64_t>();
        bool overflow = flag();
        auto x = std::make_unique<IntExpr>(s, value, overflow);
        x->wide = pod<__int128>();
        x->tooLarge = flag();
        return x;
      }
      case ExprKind::Float:
        return std::make_unique<FloatExpr>(s, pod<double>());
      case ExprKind::Imag:
        return std::make_unique<ImagExpr>(s, pod<double>());
      case ExprKind::Bool:
        return std::make_unique<BoolExpr>(s, flag());
      case ExprKind::None:
        return std::make_unique<NoneExpr>(s);
      case ExprKind::Ellipsis:
        return std::make_unique<EllipsisExpr>(s);
      case ExprKind::String:
        return std::make_unique<StringExpr>(s, str());
      case ExprKind::Tuple:
        return std::make_unique<TupleExpr>(s, exprs());
      case ExprKind::List:
        return std::make_unique<ListExpr>(s, exprs());
      case ExprKind::Unary: {
        auto op = enumerator<UnaryOp>(static_cast<uint8_t>(UnaryOp::Not));
        return std::make_unique<UnaryExpr>(s, op, required());
      }
      case ExprKind::Binary: {
        auto op = enumerator<BinaryOp>(static_cast<uint8_t>(BinaryOp::RShift));
        Span opSpan = span();
        ExprPtr lhs = required();
        return std::make_unique<BinaryExpr>(s, op, opSpan, std::move(lhs), required());
      }
      case ExprKind::Compare: {
        std::vector<CompareOp> ops(count());
        for (CompareOp& op : ops)
          op = enumerator<CompareOp>(static_cast<uint8_t>(CompareOp::NotIn));
        std::vector<ExprPtr> operands = exprs();
        if (operands.size() != ops.size() + 1) corrupt();
        return std::make_unique<CompareExpr>(s, std::move(ops), std::move(operands));
      }
      case ExprKind::BoolOp: {
        auto op = enumerator<BoolOpKind>(static_cast<uint8_t>(BoolOpKind::Or));
        return std::make_unique<BoolOpExpr>(s, op, exprs());
      }
      case ExprKind::Call: {
        ExprPtr callee = required();
        std::vector<ExprPtr> args = exprs();
        std::vector<Keyword> keywords(count());
        for (Keyword& k : keywords) {
          k.name = str();
          k.nameSpan = span();
          k.value = required();
        }
        return std::make_unique<CallExpr>(s, std::move(callee), std::move(args),
                                          std::move(keywords));
      }
      case ExprKind::Attribute: {
        ExprPtr object = required();
        std::string attr = str();
        return std::make_unique<AttributeExpr>(s, std::move(object), std::move(attr), span());
      }
      case ExprKind::Subscript: {
        ExprPtr object = required();
        return std::make_unique<SubscriptExpr>(s, std::move(object), exprs());
      }
      case ExprKind::Slice: {
        ExprPtr lower = expr();
        ExprPtr upper = expr();
        return std::make_unique<SliceExpr>(s, std::move(lower), std::move(upper), expr());
      }
      case ExprKind::IfExp: {
        ExprPtr test = required();
        ExprPtr body = required();
        return std::make_unique<IfExpExpr>(s, std::move(test), std::move(body), required());
      }
      case ExprKind::ListComp: {
        ExprPtr elt = required();
        std::vector<Comprehension> generators(count());
        for (Comprehension& c : generators) {
          c.target = required();
          c.iter = required();
          c.ifs = exprs();
        }
        return std::make_unique<ListCompExpr>(s, std::move(elt), std::move(generators));
      }
      case ExprKind::FString: {
        std::vector<FStringPart> parts(count());
        for (FStringPart& p : parts) {
          p.literal = str();
          p.value = expr();
          p.conversion = static_cast<char>(u8());
          p.spec = str();
        }
        return std::make_unique<FStringExpr>(s, std::move(parts));
      }
    }
    corrupt();
  }

  StmtPtr stmt() {
    const Nesting nesting(depth_);
    uint8_t tag = u8();
    if (tag == kAbsent) return nullptr;
    if (tag > static_cast<uint8_t>(StmtKind::Continue)) corrupt();
    Span s = span();
    switch (static_cast<StmtKind>(tag)) {
      case StmtKind::Expr:
        return std::make_unique<ExprStmt>(s, required());
      case StmtKind::Assign: {
        std::vector<ExprPtr> targets = exprs();
        return std::make_unique<AssignStmt>(s, std::move(targets), required());
      }
      case StmtKind::AugAssign: {
        ExprPtr target = required();
        auto op = enumerator<BinaryOp>(static_cast<uint8_t>(BinaryOp::RShift));
        Span opSpan = span();
        return std::make_unique<AugAssignStmt>(s, std::move(target), op, opSpan, required());
      }
      case StmtKind::FunctionDef: {
        std::string name = str();
        Span nameSpan = span();
        std::vector<Param> params(count());
        for (Param& p : params) {
          p.name = str();
          p.span = span();
          p.defaultValue = expr();
        }
        return std::make_unique<FunctionDefStmt>(s, std::move(name), nameSpan, std::move(params),
                                                 stmts());
      }
      case StmtKind::Return:
        return std::make_unique<ReturnStmt>(s, expr());
      case StmtKind::Pass:
        return std::make_unique<PassStmt>(s);
      case StmtKind::Break:
        return std::make_unique<BreakStmt>(s);
      case StmtKind::Continue:
        return std::make_unique<ContinueStmt>(s);
      case StmtKind::Import: {
        auto x = std::make_unique<ImportStmt>(s);
        x->module = str();
        x->alias = str();
        x->star = flag();
        x->names.resize(count());
        for (std::string& n : x->names) n = str();
        return x;
      }
      case StmtKind::Magic: {
        auto magic = enumerator<Magic>(static_cast<uint8_t>(Magic::Explain));
        StmtPtr statement = stmt();
        if (!statement) corrupt();
        return std::make_unique<MagicStmt>(s, magic, std::move(statement));
      }
      case StmtKind::If: {
        ExprPtr test = required();
        std::vector<StmtPtr> body = stmts();
        return std::make_unique<IfStmt>(s, std::move(test), std::move(body), stmts());
      }
      case StmtKind::While: {
        ExprPtr test = required();
        std::vector<StmtPtr> body = stmts();
        return std::make_unique<WhileStmt>(s, std::move(test), std::move(body), stmts());
      }
      case StmtKind::For: {
        ExprPtr target = required();
        ExprPtr iter = required();
        std::vector<StmtPtr> body = stmts();
        return std::make_unique<ForStmt>(s, std::move(target), std::move(iter), std::move(body),
                                         stmts());
      }
      case StmtKind::With: {
        ExprPtr context = required();
        return std::make_unique<WithStmt>(s, std::move(context), stmts());
      }
    }
    corrupt();
  }

  void finish() {
    if (pos_ != bytes_.size()) corrupt();
  }

private:
  // The parser bounds nesting far below this; deeper input is corrupt.
  static constexpr int kMaxDepth = 100000;

  /// One level of node nesting while it is read.
  struct Nesting {
    explicit Nesting(int& depth) : depth(depth) {
      if (++depth > kMaxDepth) corrupt();
    }
    ~Nesting() { --depth; }
    int& depth;
  };

  ExprPtr required() {
    ExprPtr e = expr();
    if (!e) corrupt();
    return e;
  }
  void need(size_t n) {
    if (n > bytes_.size() - pos_) corrupt();
  }
  [[noreturn]] static void corrupt() {
    throw InternalError("the program carried by this executable is corrupt");
  }

  std::string_view bytes_;
  size_t pos_ = 0;
  uint32_t fileId_;
  int depth_ = 0;
};

} // namespace

std::string toBinary(const Program& program) {
  Writer w;
  w.u32(kMagic);
  w.stmts(program.body);
  return std::move(w.bytes);
}

Program fromBinary(std::string_view bytes, uint32_t fileId) {
  Reader r(bytes, fileId);
  if (r.u32() != kMagic) throw InternalError("the program carried by this executable is corrupt");
  Program program;
  program.body = r.stmts();
  r.finish();
  return program;
}

} // namespace ravel::ast
