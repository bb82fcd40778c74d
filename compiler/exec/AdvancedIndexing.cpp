// Advanced indexing: integer arrays and boolean masks in a subscript, alone
// or mixed with basic indices, read (a copy, as in NumPy), assigned and
// updated in place; and the index functions take, nonzero and argwhere.
//
// A subscript is resolved in two steps: its basic part (slices, None, `...`)
// becomes a view, and its array part becomes an AdvancedIndex (runtime/
// Gather.h) of int64 arrays over that view. Integers count as 0-d index
// arrays once any array is present, which is what decides NumPy's placement
// of the index dimensions.
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"

#include "compiler/sema/Rules.h"
#include "runtime/Gather.h"

#include <cmath>

namespace ravel::exec {
using graph::NodeRef;
using graph::Op;

namespace {

bool isBoolScalar(const Value& v) {
  return v.kind == Value::Kind::Bool ||
         (v.isArray() && v.array->isScalar && v.array->dtype() == DType::Bool);
}

/// One element of a subscript after the array parts are materialized.
struct IndexItem {
  enum Kind { Basic, IntArray, Mask } kind = Basic;
  Value basic; // Basic: int, slice, None or Ellipsis
  Array array; // IntArray (any integer dtype) or Mask (bool, possibly 0-d)
};

/// A contiguous int64 index array already in [0, length): usable as it is,
/// without a normalized copy (the common case, and a large one).
bool inRange(const Array& idx, int64_t length) {
  if (idx.dtype() != DType::Int64 || !idx.isCContiguous()) return false;
  const auto* p = reinterpret_cast<const int64_t*>(idx.data());
  bool ok = true;
  for (int64_t j = 0, n = idx.size(); j < n; ++j) ok &= uint64_t(p[j]) < uint64_t(length);
  return ok;
}

std::vector<Value> unwrapTuple(const std::vector<Value>& index) {
  if (index.size() == 1 && index[0].kind == Value::Kind::Tuple) return index[0].items;
  return index;
}

/// A subscript that is one boolean mask covering the whole array: `a[m]`.
bool isWholeMask(const std::vector<Value>& rawIndex, const Shape& shape) {
  std::vector<Value> index = unwrapTuple(rawIndex);
  if (index.size() != 1 || !index[0].isArray()) return false;
  const ArrayRef& m = index[0].array;
  return m->dtype() == DType::Bool && !m->isScalar && m->shape() == shape && !shape.empty();
}

} // namespace

bool isAdvancedIndex(const std::vector<Value>& rawIndex) {
  for (const Value& v : unwrapTuple(rawIndex)) {
    if (v.kind == Value::Kind::List || isBoolScalar(v)) return true;
    if (v.isArray() && !v.array->isScalar &&
        !(v.array->shape().empty() && isInteger(v.array->dtype())))
      return true;
  }
  return false;
}

AdvancedIndex Interpreter::resolveAdvancedIndex(const Array& base,
                                                const std::vector<Value>& rawIndex, Span span) {
  std::vector<IndexItem> items;
  for (const Value& v : unwrapTuple(rawIndex)) {
    IndexItem item;
    if (v.kind == Value::Kind::List) {
      // A list is an index array; an empty one is an empty integer array.
      Value arr = v.items.empty() ? materializedValue(Array::empty({0}, DType::Int64))
                                  : toArrayValue(*this, v, span);
      item.array = materialize(arr.array, span);
    } else if (v.kind == Value::Kind::Bool) {
      item.array = Array::scalar(Scalar::ofBool(v.b));
    } else if (v.isArray()) {
      item.array = materialize(v.array, span);
      if (item.array.ndim() == 0 && isInteger(item.array.dtype())) {
        item.basic = Value::ofInt(item.array.item().i);
        items.push_back(item);
        continue;
      }
    } else {
      item.basic = v;
      items.push_back(item);
      continue;
    }
    if (item.array.dtype() == DType::Bool)
      item.kind = IndexItem::Mask;
    else if (isInteger(item.array.dtype()))
      item.kind = IndexItem::IntArray;
    else
      raise(ErrorKind::Index, span, "arrays used as indices must be of integer (or boolean) type");
    if (dryRun_ && item.array.ndim() > 0) {
      // explain computes no data: an index array holds garbage. Stand in a
      // valid, deterministic one (all True / all 0) of the same shape.
      item.array = item.kind == IndexItem::Mask
                       ? Array::full(item.array.shape(), Scalar::ofBool(true), DType::Bool)
                       : Array::zeros(item.array.shape(), DType::Int64);
    }
    items.push_back(item);
  }

  // Axes of `base` each item consumes; `...` takes what is left.
  int consumed = 0, ellipses = 0;
  for (const IndexItem& it : items) {
    if (it.kind == IndexItem::Mask)
      consumed += it.array.ndim();
    else if (it.kind == IndexItem::IntArray)
      ++consumed;
    else if (it.basic.kind == Value::Kind::Ellipsis)
      ++ellipses;
    else if (it.basic.kind == Value::Kind::Int || it.basic.kind == Value::Kind::Slice)
      ++consumed;
    else if (it.basic.kind != Value::Kind::None)
      invalidIndex(span);
  }
  checkIndexCount(consumed, ellipses, base.ndim(), span);

  AdvancedIndex out;
  std::vector<Array> rawIndices; // int arrays as given, one per entry of out.axes
  std::vector<int> originalAxes; // axis of `base` each entry indexes, for messages
  Array cur = base;
  int axis = 0, originalAxis = 0;
  bool seenArray = false, gapAfterArray = false;
  try {
    for (const IndexItem& it : items) {
      bool arrayLike = it.kind != IndexItem::Basic || it.basic.kind == Value::Kind::Int;
      if (arrayLike && gapAfterArray) out.separated = true;
      if (arrayLike) seenArray = true;
      if (!arrayLike && seenArray) gapAfterArray = true;
      if (it.kind == IndexItem::Mask && it.array.ndim() == 0) {
        // A bool scalar adds an axis of length 1 (True) or 0 (False).
        cur = cur.insertAxis(axis);
        Array pick = Array::zeros({it.array.item().b ? 1 : 0}, DType::Int64);
        out.axes.push_back(axis);
        rawIndices.push_back(pick);
        originalAxes.push_back(originalAxis);
        ++axis;
      } else if (it.kind == IndexItem::Mask) {
        for (int d = 0; d < it.array.ndim(); ++d) {
          int64_t have = cur.shape()[size_t(axis + d)], want = it.array.shape()[size_t(d)];
          if (have != want)
            raise(ErrorKind::Index, span,
                  "boolean index did not match indexed array along dimension " +
                      std::to_string(originalAxis + d) + "; dimension is " + std::to_string(have) +
                      " but corresponding boolean dimension is " + std::to_string(want));
        }
        std::vector<Array> coords = nonzeroCoordinates(it.array);
        for (int d = 0; d < it.array.ndim(); ++d) {
          out.axes.push_back(axis + d);
          rawIndices.push_back(coords[size_t(d)]);
          originalAxes.push_back(originalAxis + d);
        }
        axis += it.array.ndim();
        originalAxis += it.array.ndim();
      } else if (it.kind == IndexItem::IntArray) {
        out.axes.push_back(axis++);
        rawIndices.push_back(it.array);
        originalAxes.push_back(originalAxis++);
      } else {
        const Value& v = it.basic;
        if (v.kind == Value::Kind::Ellipsis) {
          axis += base.ndim() - consumed;
          originalAxis += base.ndim() - consumed;
        } else if (v.kind == Value::Kind::None) {
          cur = cur.insertAxis(axis++);
        } else if (v.kind == Value::Kind::Slice) {
          SliceBounds b = sliceOn(v, cur.shape()[size_t(axis)], span);
          cur = cur.sliceAxis(axis++, b.start, b.step, b.count);
          ++originalAxis;
        } else { // an integer: a 0-d index array among arrays
          out.axes.push_back(axis++);
          rawIndices.push_back(Array::scalar(Scalar::ofInt(v.i)));
          originalAxes.push_back(originalAxis++);
        }
      }
    }

    // Broadcast the index arrays together (NumPy's IndexError wording).
    Shape shape;
    try {
      for (const Array& a : rawIndices) shape = broadcastShapes(shape, a.shape());
    } catch (const RuntimeError&) {
      std::string shapes;
      for (const Array& a : rawIndices) shapes += formatShapeCompact(a.shape()) + " ";
      raise(ErrorKind::Index, span,
            "shape mismatch: indexing arrays could not be broadcast together with shapes " +
                shapes);
    }
    out.view = cur;
    out.indexShape = shape;
    // Normalize negative indices and check every one before anything is read
    // or written (an out-of-range index fails the whole operation).
    // NumPy checks the indices it uses: none when the broadcast is empty.
    bool empty = checkedSize(shape) == 0;
    for (size_t k = 0; k < rawIndices.size(); ++k) {
      int64_t length = cur.shape()[size_t(out.axes[k])];
      Array idx = rawIndices[k];
      if (empty) {
        idx = Array::empty(idx.shape(), DType::Int64);
      } else if (!inRange(idx, length)) {
        idx = idx.astype(DType::Int64); // a copy: normalized in place
        auto* p = reinterpret_cast<int64_t*>(idx.data());
        for (int64_t j = 0, n = idx.size(); j < n; ++j)
          p[j] = normalizeIndex(p[j], originalAxes[k], length);
      }
      out.indices.push_back(idx.broadcastTo(shape));
    }
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
  return out;
}

Value Interpreter::advancedSubscript(const ArrayRef& obj, const std::vector<Value>& index,
                                     Span span) {
  Array base = materialize(obj, span);
  Array result;
  if (isWholeMask(index, base.shape())) {
    Array mask = materialize(unwrapTuple(index)[0].array, span);
    note(span, "masked selection copies the selected elements (one pass, no index arrays)");
    if (dryRun_) return materializedValue(Array::empty({base.size()}, base.dtype()));
    return materializedValue(maskedSelect(base, mask));
  }
  AdvancedIndex ix = resolveAdvancedIndex(base, index, span);
  try {
    result = gather(ix);
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
  std::string of = obj->name.empty() ? "an array" : obj->name;
  note(span, "advanced indexing of " + of + " copies: " + std::to_string(result.size()) +
                 " selected elements into a new array of shape " +
                 formatShapeCompact(result.shape()));
  return materializedValue(result);
}

namespace {

bool isSingleValue(const Value& v) {
  return v.isPyScalar() || (v.isArray() && v.array->shape().empty());
}

} // namespace

void Interpreter::advancedAssign(const ArrayRef& obj, std::vector<Value> index, const Value& value,
                                 Span span) {
  requireInt64(value, span);
  Array target = materialize(obj, span);
  if (!target.writeable()) raise(ErrorKind::Value, span, "assignment destination is read-only");
  if (isWholeMask(index, target.shape()) && isSingleValue(value)) {
    // `a[m] = v` with one value: a fused in-place where(m, v, a), so neither
    // the mask nor the selected elements are ever stored.
    NodeRef mask = nodeOf(unwrapTuple(index)[0], span);
    NodeRef fill;
    if (value.isPyScalar()) {
      fill = graph_.constant(setItemScalar(value, target.dtype(), span), span);
    } else {
      fill = nodeOf(value, span);
      if (fill->dtype != target.dtype())
        fill = graph_.make(Op::Cast, target.dtype(), fill->shape, {fill}, span);
    }
    NodeRef self = graph_.input(target, span);
    NodeRef node = graph_.make(Op::Where, target.dtype(), target.shape(), {mask, fill, self}, span);
    note(span, "masked assignment runs as one in-place where() kernel: no copy of the mask or "
               "the selected elements");
    index.clear(); // the mask's own object, if unnamed, is no longer live
    inPlace(target, node, span, "setitem");
    return;
  }

  AdvancedIndex ix = resolveAdvancedIndex(target, index, span);
  // explain: what a data-dependent selection holds is unknown; write nothing.
  if (dryRun_) return;
  Shape resultShape = advancedResultShape(ix);
  Array values;
  if (value.isPyScalar()) {
    values = Array::scalar(setItemScalar(value, target.dtype(), span));
  } else {
    Value v = toArrayValue(*this, value, span);
    values = materialize(v.array, span);
    // The values are read after the target is written: never let them alias it.
    if (values.dtype() != target.dtype() || values.mayShareMemory(target))
      values = values.astype(target.dtype());
  }
  // NumPy drops leading length-1 axes of the value, then broadcasts it.
  Shape vs = values.shape();
  while (vs.size() > resultShape.size() && vs.front() == 1) vs.erase(vs.begin());
  bool fits = vs.size() <= resultShape.size();
  if (fits) {
    try {
      fits = broadcastShapes(vs, resultShape) == resultShape;
    } catch (const RuntimeError&) {
      fits = false;
    }
  }
  if (!fits) {
    std::vector<Value> items = unwrapTuple(index);
    bool oneMask = items.size() == 1 && items[0].isArray() &&
                   items[0].array->dtype() == DType::Bool && values.ndim() <= 1;
    if (oneMask)
      raise(ErrorKind::Value, span,
            "NumPy boolean array indexing assignment cannot assign " +
                std::to_string(values.size()) + " input values to the " +
                std::to_string(checkedSize(resultShape)) + " output values where the mask is true");
    raise(ErrorKind::Value, span,
          "shape mismatch: value array of shape " + formatShapeCompact(values.shape()) +
              " could not be broadcast to indexing result of shape " +
              formatShapeCompact(resultShape));
  }
  try {
    Array shaped = values.reshape(vs).broadcastTo(resultShape);
    protectBuffer(target.buffer().get());
    scatter(ix, shaped);
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
  graph_.bumpEpoch();
}

void Interpreter::advancedAugAssign(const ArrayRef& obj, std::vector<Value> index, Op op,
                                    const Value& rhs, Span span) {
  Array target = materialize(obj, span);
  if (!target.writeable()) raise(ErrorKind::Value, span, "assignment destination is read-only");
  if (isWholeMask(index, target.shape()) && isSingleValue(rhs)) {
    // `a[m] += v`: one in-place kernel computing where(m, a + v, a).
    NodeRef mask = nodeOf(unwrapTuple(index)[0], span);
    Value self = arrayValue(graph_.input(target, span));
    NodeRef updated = nodeOf(binary(op, self, rhs, span), span);
    NodeRef keep = graph_.input(target, span);
    DType t = promote(updated->dtype, target.dtype());
    if (updated->dtype != t) updated = graph_.make(Op::Cast, t, updated->shape, {updated}, span);
    if (keep->dtype != t) keep = graph_.make(Op::Cast, t, keep->shape, {keep}, span);
    NodeRef node = graph_.make(Op::Where, t, target.shape(), {mask, updated, keep}, span);
    index.clear(); // the mask's own object, if unnamed, is no longer live
    inPlace(target, node, span, graph::numpyName(op));
    return;
  }
  // NumPy's a[i] += v is a[i] = a[i] + v on a buffered copy: with repeated
  // indices each element is updated once, and the last write wins.
  AdvancedIndex ix = resolveAdvancedIndex(target, index, span);
  if (dryRun_) return; // as in advancedAssign
  Array picked;
  try {
    picked = gather(ix);
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
  Value lhs = arrayValue(graph_.input(picked, span));
  NodeRef node = nodeOf(binary(op, lhs, rhs, span), span);
  inPlace(picked, node, span, graph::numpyName(op));
  try {
    protectBuffer(target.buffer().get());
    scatter(ix, picked);
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
  graph_.bumpEpoch();
}

namespace {

/// The values nonzero, flatnonzero and argwhere search: `v` computed; in a
/// dry run (no data) all true, so shapes downstream are the largest.
Array nonzeroSource(Interpreter& in, const Value& v, Span span) {
  Array m = in.materialize(toArrayValue(in, v, span).array, span);
  if (in.dryRun()) m = Array::full(m.shape(), Scalar::ofBool(true), DType::Bool);
  return m;
}

/// take(mode='wrap'|'clip'): every index moved into [0, n) first (Python's
/// modulo, or clipped), so the subscript never raises; an empty axis has no
/// element to move to (NumPy: IndexError, never i % 0).
Value wrapOrClipIndices(Interpreter& in, const Value& idx, int64_t n, const std::string& mode,
                        Span span) {
  auto moved = [&](int64_t i) {
    if (mode == "clip") return i < 0 ? 0 : i >= n ? n - 1 : i;
    const int64_t r = i % n;
    return r < 0 ? r + n : r;
  };
  if (idx.kind == Value::Kind::Int && !idx.big) {
    if (n == 0) raise(ErrorKind::Index, span, "cannot do a non-empty take from an empty axes.");
    return Value::ofInt(moved(idx.i));
  }
  Array ix =
      in.materialize(in.astype(toArrayValue(in, idx, span), DType::Int64, span).array, span).copy();
  if (ix.size() > 0 && n == 0)
    raise(ErrorKind::Index, span, "cannot do a non-empty take from an empty axes.");
  auto* p = reinterpret_cast<int64_t*>(ix.data());
  for (int64_t k = 0; k < ix.size(); ++k) p[k] = moved(p[k]);
  return in.materializedValue(std::move(ix));
}

} // namespace

Value builtinTake(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  auto a = call.bind({{"a", {}},
                      {"indices", {}},
                      {"axis", kNone},
                      {"out", kNone},
                      {"mode", Value::ofStr("raise")}});
  const Value out = a[3];
  a.erase(a.begin() + 3); // a[3] is the mode from here on
  const std::string mode = a[3].kind == Value::Kind::Str ? a[3].name : std::string();
  if (mode != "raise" && mode != "wrap" && mode != "clip")
    raise(ErrorKind::Value, span,
          "clipmode must be one of 'clip', 'raise', or 'wrap' (got " +
              (a[3].kind == Value::Kind::Str ? "'" + mode + "'" : std::string(typeName(a[3]))) +
              ")");
  Value arr = toArrayValue(in, a[0], span);
  std::vector<Value> index;
  if (a[2].kind == Value::Kind::None) {
    // Over the flattened array.
    std::vector<Value> rargs{arr};
    Kwargs none;
    arr = in.callBuiltin(".ravel", rargs, none, span);
  } else {
    int axis;
    try {
      axis = normalizeAxis(toInt(a[2], span), int(arr.array->shape().size()));
    } catch (const RuntimeError& e) {
      rethrowWithSpan(e, span);
    }
    for (int d = 0; d < axis; ++d) {
      Value all;
      all.kind = Value::Kind::Slice;
      all.items = {Value::none(), Value::none(), Value::none()};
      index.push_back(all);
    }
  }
  Value idx = a[1];
  if (idx.kind == Value::Kind::Tuple) idx.kind = Value::Kind::List;
  if (idx.kind == Value::Kind::Bool) idx = Value::ofInt(idx.b);
  if (idx.isArray() && idx.array->dtype() == DType::Bool) idx = in.astype(idx, DType::Int64, span);
  if (idx.isArray() && !isInteger(idx.array->dtype()))
    raise(ErrorKind::Type, span,
          "Cannot cast array data from dtype('" + std::string(dtypeName(idx.array->dtype())) +
              "') to dtype('int64') according to the rule 'safe'");
  if (idx.kind == Value::Kind::Float)
    raise(ErrorKind::Type, span,
          "Cannot cast array data from dtype('float64') to dtype('int64') according to the "
          "rule 'safe'");
  if (mode != "raise")
    idx = wrapOrClipIndices(in, idx, arr.array->shape()[index.size()], mode, span);
  index.push_back(idx);
  Value r = in.subscript(arr, index, span);
  if (out.kind == Value::Kind::None) return r;
  // out=: NumPy's PyArray_TakeFrom wants the result's shape exactly and an
  // out whose dtype casts safely to a's; the values are then cast into out.
  if (!out.isArray()) raise(ErrorKind::Type, span, "output must be an array");
  const DType from = out.array->dtype(), to = arr.array->dtype();
  if (!canCastSafe(from, to))
    raise(ErrorKind::Type, span,
          "Cannot cast array data from dtype('" + std::string(dtypeName(from)) + "') to dtype('" +
              std::string(dtypeName(to)) + "') according to the rule 'safe'");
  if (out.array->shape() != r.array->shape())
    raise(ErrorKind::Value, span, "output array does not match result of ndarray.take");
  // Computed before the write: out may be a (or the indices).
  Value computed = in.materializedValue(in.materialize(r.array, span));
  in.assignInto(in.materialize(out.array, span), computed, span);
  return out;
}

Value builtinNonzero(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  Array m = nonzeroSource(in, call.bind({{"a", {}}})[0], span);
  Value out = Value::ofTuple({});
  for (Array& c : nonzeroCoordinates(m)) out.items.push_back(in.materializedValue(c));
  return out;
}

Value builtinCountNonzero(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  // NumPy: a Python int over the whole array, else a_bool.sum(axis,
  // dtype=intp, keepdims) (an int64 array, or scalar when all axes go).
  auto a = call.bind({{"a", {}}, {"axis", kNone}, {"keepdims", Value::ofBool(false)}});
  Value x = toArrayValue(in, a[0], span);
  Value flags = in.astype(x, DType::Bool, span);
  Value n = in.reduce(Op::Sum, flags, a[1], span);
  const bool keep = flagArg(a[2]);
  if (a[1].kind == Value::Kind::None && !keep) {
    if (in.dryRun()) return Value::ofInt(0);
    return Value::ofInt(in.materialize(n.array, span).item().i);
  }
  const int nd = int(x.array->shape().size());
  if (keep) return ownedKeepDims(in, n, reductionAxes(a[1], nd, span), nd, span, &x);
  return n;
}

Value builtinFlatnonzero(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  Array m = nonzeroSource(in, call.bind({{"a", {}}})[0], span);
  return in.materializedValue(nonzeroCoordinates(m.reshape({m.size()}))[0]);
}

Value builtinArgwhere(BuiltinCall& call) {
  Interpreter& in = call.in;
  const Span span = call.span;
  Array m = nonzeroSource(in, call.bind({{"a", {}}})[0], span);
  if (m.ndim() == 0) {
    bool nonzero = nonzeroCoordinates(m)[0].size() == 1;
    return in.materializedValue(Array::empty({nonzero ? 1 : 0, 0}, DType::Int64));
  }
  std::vector<Array> coords = nonzeroCoordinates(m);
  int64_t n = coords[0].size(), nd = m.ndim();
  Array out = Array::empty({n, nd}, DType::Int64);
  auto* dst = reinterpret_cast<int64_t*>(out.data());
  for (int64_t d = 0; d < nd; ++d) {
    const auto* src = reinterpret_cast<const int64_t*>(coords[size_t(d)].data());
    for (int64_t j = 0; j < n; ++j) dst[j * nd + d] = src[j];
  }
  return in.materializedValue(out);
}

} // namespace ravel::exec
