// ProgramGen (see ProgramGen.h): a byte-driven generator of small programs.
// Every choice is `pick(n)`, the next input byte modulo n (0 once the bytes
// run out, which also ends the program), so libFuzzer's mutations of the
// bytes become edits of the program.
#include "tests/fuzz/ProgramGen.h"

#include <optional>
#include <vector>

namespace ravel::fuzz {
namespace {

using Dims = std::vector<int>;

/// An expression's text and, when the generator can tell, its shape.
struct Expr {
  std::string text;
  std::optional<Dims> shape;
};

std::string shapeText(const Dims& d) {
  if (d.size() == 1) return "(" + std::to_string(d[0]) + ",)";
  std::string s = "(";
  for (size_t i = 0; i < d.size(); ++i) s += (i ? ", " : "") + std::to_string(d[i]);
  return s + ")";
}

int sizeOf(const Dims& d) {
  int n = 1;
  for (int x : d) n *= x;
  return n;
}

std::optional<Dims> broadcast(const std::optional<Dims>& a, const std::optional<Dims>& b) {
  if (!a || !b) return std::nullopt;
  Dims out(std::max(a->size(), b->size()), 1);
  for (size_t i = 0; i < out.size(); ++i) {
    const int x = i < a->size() ? (*a)[a->size() - 1 - i] : 1;
    const int y = i < b->size() ? (*b)[b->size() - 1 - i] : 1;
    if (x != y && x != 1 && y != 1) return std::nullopt;
    out[out.size() - 1 - i] = x == 1 ? y : x;
  }
  return out;
}

const char* const kDTypes[] = {"float64", "int64", "bool", "int32", "float32"};
const char* const kScalars[] = {"0",   "1",    "2",     "-3",  "0.5",  "-1.5", "2.0",
                                "1e3", "True", "False", "inf", "-inf", "nan",  "7"};
const Dims kShapes[] = {{4}, {2, 3}, {3, 2}, {1, 3}, {2, 1}, {2, 2}, {}, {6}, {2, 1, 3}, {0}, {1}};

class Generator {
public:
  Generator(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  std::string run() {
    out_ = "random.seed(0)\n";
    assign(source());
    for (int s = 0; s < 24 && more(); ++s) statement();
    out_ += "print(" + var(pick(int(vars_.size()))) + ")\n";
    return out_;
  }

private:
  bool more() const { return pos_ < size_; }
  int pick(int n) { return n <= 1 || pos_ >= size_ ? 0 : data_[pos_++] % n; }
  const std::string& var(int i) const { return vars_[size_t(i)].text; }
  Expr varExpr(int i) const { return vars_[size_t(i)]; }
  std::string scalar() { return kScalars[pick(14)]; }
  std::string dtype() { return kDTypes[pick(5)]; }

  void line(const std::string& s) { out_ += std::string(indent_, ' ') + s + "\n"; }

  /// Binds `e` to a new name (while there is room) or an existing one.
  void assign(const Expr& e) {
    if (vars_.size() < 8 && (vars_.empty() || pick(3) != 0)) {
      const std::string name = "a" + std::to_string(vars_.size());
      vars_.push_back({name, e.shape});
      line(name + " = " + e.text);
      return;
    }
    Expr& v = vars_[size_t(pick(int(vars_.size())))];
    v.shape = e.shape;
    line(v.text + " = " + e.text);
  }

  /// A variable whose shape broadcasts with `shape` (a Python scalar if none does).
  Expr compatible(const std::optional<Dims>& shape) {
    std::vector<int> fits;
    for (size_t i = 0; i < vars_.size(); ++i)
      if (broadcast(shape, vars_[i].shape)) fits.push_back(int(i));
    if (fits.empty() || pick(4) == 0) return {scalar(), Dims{}};
    return varExpr(fits[size_t(pick(int(fits.size())))]);
  }

  Expr source() {
    const Dims d = kShapes[pick(11)];
    const int n = sizeOf(d);
    switch (pick(11)) {
      case 0:
        return {"arange(" + std::to_string(n) + ").reshape(" + shapeText(d) + ")", d};
      case 1:
        return {"arange(" + std::to_string(n) + ".0).reshape(" + shapeText(d) + ") - 2", d};
      case 2:
        return {"ones(" + shapeText(d) + ", dtype=" + dtype() + ")", d};
      case 3:
        return {"zeros(" + shapeText(d) + ", dtype=" + dtype() + ")", d};
      case 4:
        return {"full(" + shapeText(d) + ", " + scalar() + ")", d};
      case 5:
        return {"random.rand(" + std::to_string(n) + ").reshape(" + shapeText(d) + ") * 4 - 2", d};
      case 6:
        return {"linspace(-2, 2, " + std::to_string(n) + ").reshape(" + shapeText(d) + ")", d};
      case 7: {
        std::string t = "array([";
        const int k = 1 + pick(5);
        for (int i = 0; i < k; ++i) t += (i ? ", " : "") + scalar();
        return {t + "])", Dims{k}};
      }
      case 8:
        return {"(arange(" + std::to_string(n) + ") % 3 == 0).reshape(" + shapeText(d) + ")", d};
      case 9:
        return {"eye(3, dtype=" + dtype() + ")", Dims{3, 3}};
      default:
        return {pick(2) ? "array(" + scalar() + ")" : scalar(), Dims{}};
    }
  }

  Expr view(const Expr& x) {
    const std::optional<Dims>& s = x.shape;
    const int nd = s ? int(s->size()) : 1;
    auto with = [&](std::string t, std::optional<Dims> d) {
      return Expr{std::move(t), std::move(d)};
    };
    switch (pick(14)) {
      case 0: {
        std::optional<Dims> d = s;
        if (d) d = Dims(s->rbegin(), s->rend());
        return with("(" + x.text + ").T", d);
      }
      case 1:
        return with("(" + x.text + ")[::-1]", s);
      case 2: {
        std::optional<Dims> d = s;
        if (d && !d->empty()) (*d)[0] = std::max((*d)[0] - 1, 0);
        return with("(" + x.text + ")[1:]", d);
      }
      case 3: {
        std::optional<Dims> d = s;
        if (d && !d->empty()) d->back() = (d->back() + 1) / 2;
        return with("(" + x.text + ")[..., ::-2]", d);
      }
      case 4: {
        std::optional<Dims> d = s;
        if (d) d->insert(d->begin(), 1);
        return with("(" + x.text + ")[None]", d);
      }
      case 5: {
        std::optional<Dims> d = s;
        if (d) d = Dims{sizeOf(*s)};
        return with("(" + x.text + ").reshape(-1)", d);
      }
      case 6: {
        std::optional<Dims> d = s;
        if (d) d->insert(d->begin(), 2);
        return with("broadcast_to(" + x.text + ", " + (d ? shapeText(*d) : "(2, 3)") + ")", d);
      }
      case 7: {
        const int w = 1 + pick(3);
        std::optional<Dims> d;
        if (s && s->size() == 1 && (*s)[0] >= w) d = Dims{(*s)[0] - w + 1, w};
        return with("sliding_window_view(" + x.text + ", " + std::to_string(w) + ")", d);
      }
      case 8:
        return with("as_strided(" + x.text + ", shape=(" + x.text + ").shape, strides=(" + x.text +
                        ").strides)",
                    s);
      case 9:
        return with("swapaxes(" + x.text + ", 0, -1)",
                    s && s->size() >= 2 ? std::optional<Dims>(Dims{s->back(), (*s)[s->size() - 2]})
                                        : std::nullopt);
      case 10: {
        std::optional<Dims> d = s;
        if (d) d->push_back(1);
        return with("expand_dims(" + x.text + ", " + std::to_string(nd) + ")", d);
      }
      case 11:
        return with("flip(" + x.text + ")", s);
      case 12:
        return with("(" + x.text + ")[" + std::to_string(pick(3) - 1) + "]",
                    s && !s->empty() ? std::optional<Dims>(Dims(s->begin() + 1, s->end()))
                                     : std::nullopt);
      default:
        return with("squeeze(" + x.text + ")", std::nullopt);
    }
  }

  Expr reduction(const Expr& x) {
    static const char* const kReduce[] = {"sum", "prod", "max", "min", "mean", "any", "all"};
    const std::string f = kReduce[pick(7)];
    switch (pick(4)) {
      case 0:
        return {f + "(" + x.text + ")", Dims{}};
      case 1: {
        std::optional<Dims> d = x.shape;
        if (d && !d->empty()) d->erase(d->begin());
        return {"(" + x.text + ")." + f + "(axis=0)", d};
      }
      case 2: {
        std::optional<Dims> d = x.shape;
        if (d && !d->empty()) d->pop_back();
        return {f + "(" + x.text + ", axis=-1)", d};
      }
      default:
        return {"(" + x.text + ")." + f + "(axis=(0, 1))", std::nullopt};
    }
  }

  Expr expr(int depth) {
    if (depth >= 3) return pick(4) == 0 ? source() : varExpr(pick(int(vars_.size())));
    switch (pick(12)) {
      case 0:
      case 1:
        return varExpr(pick(int(vars_.size())));
      case 2:
        return source();
      case 3:
      case 4: {
        static const char* const kOps[] = {"+", "-", "*", "/", "//", "%",  "**",
                                           "&", "|", "^", "<", ">=", "==", "!="};
        Expr a = expr(depth + 1);
        Expr b = pick(8) == 0 ? expr(depth + 1) : compatible(a.shape);
        if (pick(2)) std::swap(a, b);
        return {"(" + a.text + " " + kOps[pick(14)] + " " + b.text + ")",
                broadcast(a.shape, b.shape)};
      }
      case 5: {
        static const char* const kFuncs[] = {"sqrt(abs(", "exp(-abs(", "sin(",  "cos(",
                                             "abs(",      "negative(", "tanh(", "log(1 + abs(",
                                             "~(0 < ",    "power(2, ", "-(",    "mod(7, "};
        const int f = pick(12);
        Expr a = expr(depth + 1);
        const std::string close = f < 2 || f == 7 ? "))" : ")";
        return {kFuncs[f] + a.text + close, a.shape};
      }
      case 6:
        return view(expr(depth + 1));
      case 7:
        return reduction(expr(depth + 1));
      case 8: {
        Expr a = expr(depth + 1);
        Expr b = compatible(a.shape);
        static const char* const kTwo[] = {"maximum", "minimum", "where"};
        const int f = pick(3);
        if (f == 2)
          return {"where(" + a.text + " > 0, " + a.text + ", " + b.text + ")",
                  broadcast(a.shape, b.shape)};
        return {std::string(kTwo[f]) + "(" + a.text + ", " + b.text + ")",
                broadcast(a.shape, b.shape)};
      }
      case 9: {
        Expr a = expr(depth + 1);
        switch (pick(4)) {
          case 0:
            return {"(" + a.text + ").astype(" + dtype() + ")", a.shape};
          case 1:
            return {"(" + a.text + ").copy()", a.shape};
          case 2:
            return {"clip(" + a.text + ", -1, " + scalar() + ")", a.shape};
          default:
            return {"(" + a.text + ").flatten()",
                    a.shape ? std::optional<Dims>(Dims{sizeOf(*a.shape)}) : std::nullopt};
        }
      }
      case 10: {
        Expr a = expr(depth + 1);
        Expr b = compatible(a.shape);
        if (pick(3) == 0) return {"tile(" + a.text + ", 2)", std::nullopt};
        if (pick(2))
          return {"concatenate([" + a.text + ", " + b.text + "], axis=None)", std::nullopt};
        return {"stack([" + a.text + ", " + a.text + "])", a.shape ? std::optional<Dims>([&] {
                  Dims d = *a.shape;
                  d.insert(d.begin(), 2);
                  return d;
                }())
                                                                   : std::nullopt};
      }
      default: {
        Expr a = expr(depth + 1);
        if (pick(2)) return {"(" + a.text + ")[(" + a.text + ") > 0]", std::nullopt};
        std::optional<Dims> d = a.shape;
        if (d && !d->empty()) (*d)[0] = 2;
        return {"(" + a.text + ")[[0, -1]]", d};
      }
    }
  }

  std::string index(const Expr& target) {
    switch (pick(7)) {
      case 0:
        return "[1:]";
      case 1:
        return "[::-1]";
      case 2:
        return "[..., 0]";
      case 3:
        return "[" + target.text + " > 0]";
      case 4:
        return "[[0, -1]]";
      case 5:
        return "[" + std::to_string(pick(3) - 1) + "]";
      default:
        return "[:]";
    }
  }

  void statement() {
    static const char* const kAug[] = {"+=", "-=", "*=", "/=", "//=", "%=", "**=", "&=", "|="};
    const int i = pick(int(vars_.size()));
    switch (pick(12)) {
      case 0:
      case 1:
      case 2:
        assign(expr(0));
        break;
      case 3: {
        Expr v = compatible(vars_[size_t(i)].shape);
        line(var(i) + " " + kAug[pick(9)] + " " + (pick(3) ? v.text : expr(1).text));
        break;
      }
      case 4: {
        const std::string idx = index(varExpr(i));
        line(var(i) + idx + " = " + (pick(2) ? scalar() : var(pick(int(vars_.size())))));
        break;
      }
      case 5: {
        const std::string idx = index(varExpr(i));
        line(var(i) + idx + " " + kAug[pick(9)] + " " + scalar());
        break;
      }
      case 6:
        switch (pick(5)) {
          case 0:
            line("print(" + var(i) + ")");
            break;
          case 1:
            line("print(" + expr(1).text + ")");
            break;
          case 2:
            line("print(" + var(i) + ".shape, " + var(i) + ".dtype, " + var(i) + ".base is None, " +
                 var(i) + ".flags.owndata)");
            break;
          case 3:
            line("print(shares_memory(" + var(i) + ", " + var(pick(int(vars_.size()))) + "))");
            break;
          default:
            line("print(" + var(i) + ".strides, " + var(i) + ".flags.writeable)");
            break;
        }
        break;
      case 7:
        assign(view(varExpr(i)));
        break;
      case 8:
        assign(varExpr(i));
        break;
      case 9: {
        // A function over two parameters, then a call.
        const std::string f = "f" + std::to_string(functions_++);
        const int j = pick(int(vars_.size()));
        line("def " + f + "(p, q):");
        indent_ = 4;
        std::vector<Expr> saved = vars_;
        vars_ = {Expr{"p", vars_[size_t(i)].shape}, Expr{"q", vars_[size_t(j)].shape}};
        const int body = pick(3);
        for (int k = 0; k < body; ++k) {
          if (pick(2))
            line("p " + std::string(kAug[pick(9)]) + " " + compatible(vars_[0].shape).text);
          else
            line("q = " + expr(1).text);
        }
        line("return " + expr(1).text);
        indent_ = 0;
        vars_ = std::move(saved);
        assign({f + "(" + var(i) + ", " + var(j) + ")", std::nullopt});
        break;
      }
      case 10:
        line(var(i) + ".fill(" + scalar() + ")");
        break;
      default:
        line("copyto(" + var(i) + ", " + compatible(vars_[size_t(i)].shape).text + ")");
        break;
    }
  }

  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  std::string out_;
  std::vector<Expr> vars_;
  int indent_ = 0;
  int functions_ = 0;
};

} // namespace

std::string generateProgram(const uint8_t* data, size_t size) {
  return Generator(data, size).run();
}

} // namespace ravel::fuzz
