// Run-time values of the interpreter: Python scalars, tuples, NumPy arrays
// (lazy or materialized), functions and modules.
#pragma once

#include "compiler/frontend/Ast.h"
#include "compiler/graph/Graph.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ravel {
class Pcg64;
class LegacyRandom;
} // namespace ravel

namespace ravel::exec {

struct ArrayObject;

/// How a view is cut from its base's memory (a basic index, for now).
using ViewStep = std::function<Array(const Array&)>;

/// One NumPy array object. Every name bound to the same object shares it
/// (`u = x` binds u to x's object, so `u *= 2` changes x too). An object is
/// lazy (only `node`) until something needs its memory; then `data` holds
/// it and `node` is dropped.
///
/// A *lazy view* is a view of a lazy object (`t = (x * 2)[::-1]`): it has
/// `lazyBase` (the lazy object whose memory it will view) and `steps` (how
/// to cut itself from that memory), and meanwhile `node` computes the same
/// elements from the base's sources, so reading it costs only the elements
/// it shows. Invariant: while `lazyBase` is lazy, `node` equals `steps`
/// applied to the base's value; the base is computed before anything writes
/// to the view, to the base or to any memory the base reads, and computing
/// the base rebinds every one of its lazy views (`lazyViews`) to a real view
/// of its memory. So a write through any alias is seen by all of them.
struct ArrayObject {
  graph::NodeRef node;       // lazy definition; null once materialized
  Array data;                // valid once materialized
  bool isScalar = false;     // a NumPy scalar (np.float64(...)) rather than a 0-d array
  bool isMemmap = false;     // np.memmap, or a view of one: repr says memmap(...)
  bool lockedByUser = false; // a.flags.writeable = False made it read-only
  /// For a view: the object owning the memory (NumPy's `.base`, collapsed
  /// to the owner), so `a[1:].base is a` holds.
  std::shared_ptr<ArrayObject> owner;
  /// A lazy view's base (never itself a view) and the cuts from its memory.
  std::shared_ptr<ArrayObject> lazyBase;
  std::vector<ViewStep> steps;
  /// A lazy object's lazy views, rebound when it is computed.
  std::vector<std::weak_ptr<ArrayObject>> lazyViews;
  std::string name; // first variable it was bound to, for explain
  Span span;        // where it was defined, for explain

  bool materialized() const { return data.valid(); }
  bool isLazyView() const { return !data.valid() && lazyBase != nullptr; }
  DType dtype() const { return data.valid() ? data.dtype() : node->dtype; }
  const Shape& shape() const { return data.valid() ? data.shape() : node->shape; }
};
using ArrayRef = std::shared_ptr<ArrayObject>;

struct Value {
  enum class Kind : uint8_t {
    None,
    Bool,
    Int,
    Float,
    Str,
    Tuple,
    List,
    Array,
    Function,
    Builtin,
    Module,
    DTypeObj,
    Slice,
    Ellipsis,
    Method,
    Range,       // range(start, stop, step): items are the three Python ints
    Flags,       // ndarray.flags: items are C_CONTIGUOUS F_CONTIGUOUS OWNDATA WRITEABLE ALIGNED
                 // WRITEBACKIFCOPY, as bools
    Dict,        // str keys only (geterr, seterr): items are key, value, key, value, ...;
                 // `name` "errstate" makes it an errstate(...) object (FpErrors.cpp)
    Generator,   // numpy.random.Generator(PCG64): `generator` is its state (RandomStreams.cpp)
    RandomState, // numpy.random.RandomState(seed): `legacy` is its MT19937 state
    Grid,        // numpy.mgrid (`b` false) or numpy.ogrid (`b` true), used by subscript (Grids.cpp)
    MachInfo,  // numpy.iinfo (an integer `dtype`) or numpy.finfo (a float one) (MachineLimits.cpp)
    Imaginary, // a Python complex with no real part (`5j`): `f` is its imaginary part; sema
               // allows the literal only as a slice step, mgrid's and ogrid's point count
  };
  Kind kind = Kind::None;
  bool b = false;
  int64_t i = 0;
  double f = 0.0;
  std::string name;         // Str text; Builtin/Module/Method name
  std::vector<Value> items; // Tuple/List elements; Slice: start, stop, step (None if absent)
  ArrayRef array;           // Array; Method: the receiver (or items[0] for non-arrays)
  std::shared_ptr<Pcg64> generator;     // Generator: shared by every name bound to it
  std::shared_ptr<LegacyRandom> legacy; // RandomState: shared by every name bound to it
  const ast::FunctionDefStmt* function = nullptr;
  DType dtype = DType::Float64; // DTypeObj
  /// A Python int beyond int64 (an intermediate like 2**63 in 2**63 - 1);
  /// only Python int arithmetic accepts it, everything else reports it.
  bool big = false;
  __int128 wide = 0;

  static Value none() { return {}; }
  static Value ofBool(bool v) {
    Value x;
    x.kind = Kind::Bool;
    x.b = v;
    return x;
  }
  static Value ofInt(int64_t v) {
    Value x;
    x.kind = Kind::Int;
    x.i = v;
    return x;
  }
  static Value ofFloat(double v) {
    Value x;
    x.kind = Kind::Float;
    x.f = v;
    return x;
  }
  static Value ofStr(std::string s) {
    Value x;
    x.kind = Kind::Str;
    x.name = std::move(s);
    return x;
  }
  static Value ofArray(ArrayRef a) {
    Value x;
    x.kind = Kind::Array;
    x.array = std::move(a);
    return x;
  }
  static Value ofTuple(std::vector<Value> v) {
    Value x;
    x.kind = Kind::Tuple;
    x.items = std::move(v);
    return x;
  }
  static Value ofList(std::vector<Value> v) {
    Value x;
    x.kind = Kind::List;
    x.items = std::move(v);
    return x;
  }
  static Value ofDType(DType t) {
    Value x;
    x.kind = Kind::DTypeObj;
    x.dtype = t;
    return x;
  }
  static Value ofModule(std::string n) {
    Value x;
    x.kind = Kind::Module;
    x.name = std::move(n);
    return x;
  }
  static Value ofBuiltin(std::string n) {
    Value x;
    x.kind = Kind::Builtin;
    x.name = std::move(n);
    return x;
  }

  bool isPyScalar() const { return kind == Kind::Bool || kind == Kind::Int || kind == Kind::Float; }
  bool isArray() const { return kind == Kind::Array; }
};

/// Longest list or tuple a program may build (`[0] * n`, `array_split(a, n)`):
/// a ravel Value is far bigger than a Python pointer, so longer ones are a
/// MemoryError before any is allocated.
constexpr int64_t kMaxSequenceLength = 100'000'000;

/// Names of the ndarray.flags entries, in Value::Kind::Flags item order.
constexpr int kFlagCount = 6;
extern const char* const kFlagNames[kFlagCount];

/// Decimal text of a Python int, big or not.
std::string intText(const Value& v);
/// Throws RavelError(Value) when a Python int does not fit int64: only Python
/// int arithmetic accepts those.
void requireInt64(const Value& v, Span span);

/// A NumPy integer scalar that has its value, as a Python int (`axis=`,
/// `arange` bounds); any other value unchanged.
Value asPythonInt(const Value& v);

/// Python's type name for messages: "int", "float", "tuple", "numpy.ndarray", ...
const char* typeName(const Value& v);

} // namespace ravel::exec
