// Basic indexing: integers, slices, None/newaxis and `...`, producing views.
// Integer arrays and masks go to AdvancedIndexing.cpp (isAdvancedIndex).
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <optional>
#include <unordered_map>

namespace ravel::exec {

namespace {

std::optional<int64_t> sliceBound(const Value& v, Span span) {
  switch (v.kind) {
    case Value::Kind::None:
      return std::nullopt;
    case Value::Kind::Int:
      // A Python int beyond int64 holds INT64_MIN or INT64_MAX in `i`:
      // saturating is exact here, as slice.indices clamps to the length.
      return v.i;
    case Value::Kind::Bool:
      return int64_t(v.b);
    case Value::Kind::Array:
      // A NumPy integer scalar or 0-d integer array (NumPy's __index__).
      if (v.array->shape().empty() && isInteger(v.array->dtype()) && v.array->materialized())
        return v.array->data.item().i;
      break;
    default:
      break;
  }
  raise(ErrorKind::Type, span,
        "slice indices must be integers or None or have an __index__ method");
}

std::string quoteForMessage(const std::string& s) {
  return "'" + s + "'";
}

} // namespace

[[noreturn]] void invalidIndex(Span span) {
  raise(ErrorKind::Index, span,
        "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or "
        "boolean arrays are valid indices");
}

SliceBounds sliceOn(const Value& slice, int64_t length, Span span) {
  return normalizeSlice(sliceBound(slice.items[0], span), sliceBound(slice.items[1], span),
                        sliceBound(slice.items[2], span), length);
}

void checkIndexCount(int consumed, int ellipses, int ndim, Span span) {
  if (ellipses > 1)
    raise(ErrorKind::Index, span, "an index can only have a single ellipsis ('...')");
  if (consumed > ndim)
    raise(ErrorKind::Index, span,
          "too many indices for array: array is " + std::to_string(ndim) + "-dimensional, but " +
              std::to_string(consumed) + " were indexed");
}

Array Interpreter::indexView(const Array& base, const std::vector<Value>& rawIndex, Span span,
                             bool* isScalar) {
  // A single tuple index `a[(1, 2)]` means `a[1, 2]`.
  std::vector<Value> index = rawIndex;
  // (Copied out first: assigning index[0].items to index would overwrite
  // index[0], and so the items, while copying them.)
  if (index.size() == 1 && index[0].kind == Value::Kind::Tuple) {
    std::vector<Value> items = index[0].items;
    index = std::move(items);
  }

  int consumed = 0, ellipses = 0;
  for (const Value& v : index) {
    if (v.kind == Value::Kind::Ellipsis)
      ++ellipses;
    else if (v.kind != Value::Kind::None)
      ++consumed;
    RAVEL_CHECK(!v.isArray() || v.array->shape().empty(),
                "an advanced index reached the basic indexer (see isAdvancedIndex)");
  }
  checkIndexCount(consumed, ellipses, base.ndim(), span);
  int64_t newAxes = std::count_if(index.begin(), index.end(),
                                  [](const Value& v) { return v.kind == Value::Kind::None; });
  int64_t droppedAxes = std::count_if(index.begin(), index.end(), [](const Value& v) {
    return v.kind != Value::Kind::None && v.kind != Value::Kind::Ellipsis &&
           v.kind != Value::Kind::Slice;
  });
  if (base.ndim() - droppedAxes + newAxes > kMaxDims)
    raise(ErrorKind::Index, span,
          "number of dimensions must be within [0, " + std::to_string(kMaxDims) +
              "], indexing result would have " +
              std::to_string(base.ndim() - droppedAxes + newAxes));

  Array cur = base;
  int axis = 0;         // next axis of `cur` to consume
  int originalAxis = 0; // the same axis counted in `base`, for messages
  bool allInts = true;
  try {
    for (const Value& v : index) {
      switch (v.kind) {
        case Value::Kind::Ellipsis:
          axis += base.ndim() - consumed;
          originalAxis += base.ndim() - consumed;
          allInts = false;
          break;
        case Value::Kind::None:
          cur = cur.insertAxis(axis);
          ++axis;
          allInts = false;
          break;
        case Value::Kind::Slice: {
          SliceBounds b = sliceOn(v, cur.shape()[axis], span);
          cur = cur.sliceAxis(axis, b.start, b.step, b.count);
          ++axis;
          ++originalAxis;
          allInts = false;
          break;
        }
        case Value::Kind::Int:
        case Value::Kind::Bool: // NumPy treats a bool scalar as a mask; we keep it an int here
        case Value::Kind::Array: {
          if (v.kind == Value::Kind::Bool)
            raise(ErrorKind::Index, span,
                  "boolean scalar indices are not supported in this version of ravel");
          int64_t i = v.kind == Value::Kind::Int ? v.i : *sliceBound(v, span);
          if (v.kind == Value::Kind::Array && !isInteger(v.array->dtype())) invalidIndex(span);
          int64_t k = normalizeIndex(i, originalAxis, cur.shape()[axis]);
          cur = cur.indexAxis(axis, k);
          ++originalAxis;
          break;
        }
        default:
          invalidIndex(span);
      }
    }
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
  if (isScalar) *isScalar = allInts && consumed == base.ndim() && !index.empty();
  if (isScalar && base.ndim() == 0 && index.empty()) *isScalar = true; // x[()]
  return cur;
}

graph::NodeRef Interpreter::viewOfLazy(const graph::NodeRef& root, const std::vector<Value>& index,
                                       Span span, bool* isScalar) {
  using graph::Op;
  // Elementwise ops commute with views: f(a, b)[i] == f(a', b')[i] where a'
  // and b' are a and b broadcast to f's shape. So every leaf becomes a view of
  // its broadcast, and the ops are rebuilt on those views.
  std::unordered_map<const graph::Node*, graph::NodeRef> rebuilt;
  bool scalar = false, viewedLeaf = false;
  Shape viewShape;
  std::function<graph::NodeRef(const graph::NodeRef&)> fold = [&](const graph::NodeRef& n) {
    if (auto it = rebuilt.find(n.get()); it != rebuilt.end()) return it->second;
    graph::NodeRef out;
    if (n->op == Op::Const) {
      out = n;
    } else if (n->op == Op::Input || graph::isLaunchLeaf(n->op)) {
      Array leaf;
      if (n->op == Op::Input) {
        leaf = n->input;
      } else if (Array known = knownReduction(n.get()); known.valid()) {
        // Computed before (a keepdims reduction indexed again): only read.
        leaf = known;
      } else {
        auto obj = std::make_shared<ArrayObject>();
        obj->node = n;
        leaf = materialize(obj, span);
      }
      Array view = indexView(leaf.broadcastTo(root->shape), index, span, &scalar);
      viewShape = view.shape();
      viewedLeaf = true;
      out = graph_.input(view, span);
    } else {
      std::vector<graph::NodeRef> srcs;
      for (const graph::NodeRef& s : n->srcs) srcs.push_back(fold(s));
      Shape shape;
      for (const graph::NodeRef& s : srcs) shape = broadcastShapes(shape, s->shape);
      out = graph_.make(n->op, n->dtype, shape, std::move(srcs), n->span);
    }
    rebuilt[n.get()] = out;
    return out;
  };
  graph::NodeRef folded;
  try {
    folded = fold(root);
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
  // A tree of constants only (no leaf was viewed): let the caller materialize.
  if (!viewedLeaf || folded->shape != viewShape) return nullptr;
  *isScalar = scalar;
  return folded;
}

std::optional<Value> Interpreter::readElement(const Value& obj, const std::vector<Value>& index) {
  // One integer per axis of a materialized array (`a[1]`, `m[i, j]` in a
  // loop): the element is copied into a new scalar at once, with no view in
  // between. Anything else, an index out of range included, takes the
  // general path (which reports it).
  if (!obj.isArray() || !obj.array->materialized() || dryRun_ || recording_) return std::nullopt;
  const Array& a = obj.array->data;
  if (index.size() != size_t(a.ndim()) || index.empty()) return std::nullopt;
  int64_t offset = 0;
  for (size_t d = 0; d < index.size(); ++d) {
    if (index[d].kind != Value::Kind::Int || index[d].big) return std::nullopt;
    const int64_t n = a.shape()[d];
    const int64_t i = index[d].i < 0 ? index[d].i + n : index[d].i;
    if (i < 0 || i >= n) return std::nullopt;
    offset += i * a.strides()[d];
  }
  Array element = Array::empty({}, a.dtype());
  std::memcpy(element.data(), a.data() + offset, size_t(a.itemsize()));
  return materializedValue(std::move(element), true);
}

Value Interpreter::subscript(const Value& obj, const std::vector<Value>& index, Span span) {
  for (const Value& i : index) forceScalars(i, span);
  if (obj.kind == Value::Kind::Tuple || obj.kind == Value::Kind::List) {
    if (index.size() != 1 ||
        (index[0].kind != Value::Kind::Int && index[0].kind != Value::Kind::Slice))
      raise(ErrorKind::Type, span,
            std::string(typeName(obj)) + " indices must be integers or slices");
    int64_t n = int64_t(obj.items.size());
    if (index[0].kind == Value::Kind::Int) {
      int64_t i = index[0].i < 0 ? index[0].i + n : index[0].i;
      if (i < 0 || i >= n)
        raise(ErrorKind::Index, span, std::string(typeName(obj)) + " index out of range");
      return obj.items[size_t(i)];
    }
    try {
      SliceBounds b = sliceOn(index[0], n, span);
      Value out = obj;
      out.items.clear();
      for (int64_t k = 0; k < b.count; ++k)
        out.items.push_back(obj.items[size_t(b.start + k * b.step)]);
      return out;
    } catch (const RuntimeError& e) {
      rethrowWithSpan(e, span);
    }
  }
  if (obj.kind == Value::Kind::Dict && obj.name != "errstate" && index.size() == 1 &&
      index[0].kind == Value::Kind::Str) {
    for (size_t i = 0; i + 1 < obj.items.size(); i += 2)
      if (obj.items[i].name == index[0].name) return obj.items[i + 1];
    raise(ErrorKind::Name, span, "KeyError: " + repr(index[0]));
  }
  if (obj.kind == Value::Kind::Flags && index.size() == 1 && index[0].kind == Value::Kind::Str) {
    // flags['C_CONTIGUOUS'] and NumPy's one-letter keys.
    static const char* const shortKeys[] = {"C", "F", "O", "W", "A", "X"};
    const std::string& key = index[0].name;
    for (int i = 0; i < kFlagCount; ++i)
      if (key == kFlagNames[i] || key == shortKeys[i]) return obj.items[size_t(i)];
    if (key == "CONTIGUOUS") return obj.items[0];
    if (key == "FORTRAN") return obj.items[1];
    raise(ErrorKind::Name, span, "Unknown flag " + quoteForMessage(key));
  }
  if (obj.kind == Value::Kind::Grid) return gridSubscript(*this, obj, index, span);
  if (!obj.isArray())
    raise(ErrorKind::Type, span,
          std::string("'") + typeName(obj) + "' object is not subscriptable");
  if (std::optional<Value> element = readElement(obj, index)) return *element;
  if (isAdvancedIndex(index)) return advancedSubscript(obj.array, index, span);
  if (obj.array->isScalar && !dryRun_) {
    // `s[...]` of a NumPy scalar is a 0-d array, a view of a new one (and
    // `s[()]` a new scalar): writing through it (`out=s[...]`) leaves the
    // immutable scalar as it was.
    Value fresh = materializedValue(materialize(obj.array, span).copy());
    bool scalar = false;
    Array view = indexView(fresh.array->data, index, span, &scalar);
    if (scalar) return materializedValue(view, true);
    if (!view.isView()) view = view.view(view.shape(), view.strides(), view.offset());
    return viewValue(fresh.array, view, /*zeroDimStaysArray=*/true);
  }
  if (!obj.array->materialized() && !graph::isLaunchLeaf(obj.array->node->op)) {
    // Indexing a lazy value: fold the view into the graph's leaves, so
    // `sqrt(x)[:5]` computes five square roots, not all of them. The result
    // is a lazy view of the object (or a new scalar, as in NumPy).
    bool scalar = false;
    graph::NodeRef folded = viewOfLazy(obj.array->node, index, span, &scalar);
    if (folded && scalar) return arrayValue(folded, true);
    if (folded && folded->opCount <= kMaxFusedOps) {
      std::vector<Value> cut = index;
      return lazyView(obj.array, folded, [this, cut, span](const Array& base) {
        return indexView(base, cut, span, nullptr);
      });
    }
  }
  Array base = materialize(obj.array, span);
  bool scalar = false;
  Array view = indexView(base, index, span, &scalar);
  if (scalar) {
    // NumPy returns a new scalar, not a view: later writes to the array must
    // not change it.
    return materializedValue(view.copy(), true);
  }
  if (recording_) {
    std::string of = obj.array->name.empty() ? "an array" : obj.array->name;
    note(span, "indexing " + of + " is a view: shape " + formatShapeCompact(view.shape()) +
                   ", strides " + formatShapeCompact(view.strides()) + ", no copy");
  }
  return viewValue(obj.array, view, /*zeroDimStaysArray=*/true);
}

} // namespace ravel::exec
