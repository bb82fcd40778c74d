// numpy.mgrid and numpy.ogrid: NumPy's nd_grid objects, which build
// coordinate grids when subscripted (`mgrid[0:5, 0:3]`, `ogrid[-1:1:5j]`).
//
// Follows numpy/lib/index_tricks.py (NumPy 1.24) step by step, so values,
// dtypes and errors are NumPy's:
//   1. A single slice is the 1-d form: `arange(start, stop, step)`, or with
//      an imaginary step `Nj` N points from start to stop inclusive,
//      `arange(0, N) * ((stop - start) / (N - 1)) + start`.
//   2. Several items: each must be a slice (else AttributeError: `'int'
//      object has no attribute 'step'`). Item k has
//      `ceil((stop - start) / step)` points (`int(abs(step))` for `Nj`), and
//      the grid's dtype is the result type of 0 and every start, stop and
//      step under NEP 50 (int64 for Python ints, float64 once a Python float
//      appears, a NumPy scalar's dtype otherwise).
//   3. Coordinate k is `arange(n_k) * step_k + start_k` (for `Nj`,
//      `step_k = (stop - start) / (N - 1)` unless N is 1). mgrid writes each
//      into row k of one (len(key), n_0, n_1, ...) array of that dtype, one
//      fused kernel per row broadcasting the coordinate; ogrid returns a
//      list of the coordinates, coordinate k shaped (1, ..., n_k, ..., 1) as
//      a view of its 1-d array (stride 0 on the new axes, as newaxis gives).
// Where NumPy's code catches a TypeError (a missing stop, a bound that is no
// number) and retries the key as one slice, the retry's AttributeError
// (`'tuple' object has no attribute 'step'`) is what the program sees; so
// it is here.
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"

#include "runtime/Creation.h"

#include <cmath>

namespace ravel::exec {
using graph::Op;

namespace {

bool isNumber(const Value& v) {
  return v.isPyScalar() || (v.isArray() && v.array->shape().empty());
}

/// NumPy's result_type over the bounds under NEP 50: Python numbers are
/// weak, NumPy scalars strong. `withPythonInt`: a Python int is in the list.
DType gridDType(const std::vector<Value>& nums, bool withPythonInt) {
  bool pyFloat = false;
  std::optional<DType> strong;
  for (const Value& v : nums) {
    if (v.kind == Value::Kind::Float || v.kind == Value::Kind::Imaginary) pyFloat = true;
    if (v.kind == Value::Kind::Int) withPythonInt = true;
    if (v.isArray()) strong = strong ? promote(*strong, v.array->dtype()) : v.array->dtype();
  }
  if (!strong) return pyFloat ? DType::Float64 : DType::Int64;
  if (pyFloat && !isFloat(*strong)) return DType::Float64;
  if (withPythonInt && *strong == DType::Bool) return DType::Int64;
  return *strong;
}

/// `arange(n, dtype=t)`.
Array coordinates(int64_t n, DType t, Span span) {
  try {
    return isInteger(t) ? arangeInt(0, n, 1, t) : arange(0.0, double(n), 1.0, t);
  } catch (const RuntimeError& e) {
    rethrowWithSpan(e, span);
  }
}

[[noreturn]] void noStep(const Value& v, Span span) {
  raise(ErrorKind::Name, span, std::string("'") + typeName(v) + "' object has no attribute 'step'");
}

/// Python's int(x) of a float that ceil produced: NumPy's errors for NaN and
/// infinity.
int64_t intOfFloat(double x, Span span) {
  if (std::isnan(x)) raise(ErrorKind::Value, span, "cannot convert float NaN to integer");
  if (std::isinf(x) || std::fabs(x) >= 9.3e18)
    raise(ErrorKind::Value, span, "cannot convert float infinity to integer");
  return int64_t(x);
}

/// `(stop - start) / float(n - 1)`: Python float arithmetic, or NumPy's
/// scalar arithmetic when a bound is a NumPy scalar.
Value pointStep(Interpreter& in, const Value& start, const Value& stop, int64_t n, Span span) {
  if (n == 1) return Value::ofInt(1);
  if (start.isPyScalar() && stop.isPyScalar()) {
    auto num = [](const Value& v) {
      return v.kind == Value::Kind::Float ? v.f : double(v.kind == Value::Kind::Int ? v.i : v.b);
    };
    return Value::ofFloat((num(stop) - num(start)) / double(n - 1));
  }
  return in.binary(Op::Div, in.binary(Op::Sub, stop, start, span), Value::ofFloat(double(n - 1)),
                   span);
}

/// `coordinates * step + start`, the coordinates in `shape` (a view).
Value coordinate(Interpreter& in, int64_t n, DType t, const Shape& shape, const Value& step,
                 const Value& start, Span span) {
  Value c = in.materializedValue(coordinates(n, t, span).reshapeView(shape));
  return in.binary(Op::Add, in.binary(Op::Mul, c, step, span), start, span);
}

/// The 1-d form, a single slice (NumPy's `except (IndexError, TypeError)` branch).
Value gridOfSlice(Interpreter& in, const Value& key, Span span) {
  const Value start = key.items[0].kind == Value::Kind::None ? Value::ofInt(0) : key.items[0];
  const Value& stop = key.items[1];
  const Value& step = key.items[2];
  if (step.kind != Value::Kind::Imaginary) {
    std::vector<Value> args{start, stop, step};
    Kwargs kwargs;
    return in.callBuiltin("arange", args, kwargs, span);
  }
  const int64_t length = intOfFloat(std::fabs(step.f), span);
  if (length != 1 && !isNumber(stop))
    raise(ErrorKind::Type, span,
          std::string("unsupported operand type(s) for -: '") + typeName(stop) + "' and '" +
              typeName(start) + "'");
  const DType t = gridDType({start, stop, step}, false);
  const Value delta = pointStep(in, start, stop, length, span);
  return coordinate(in, length, t, {length}, delta, start, span);
}

} // namespace

Value gridSubscript(Interpreter& in, const Value& grid, const std::vector<Value>& rawIndex,
                    Span span) {
  const bool sparse = grid.b;
  // A tuple key (`mgrid[0:3,]`) is its items: the multi-slice form.
  const bool tupleKey =
      rawIndex.size() == 1 && rawIndex[0].kind == Value::Kind::Tuple && !rawIndex[0].items.empty();
  const std::vector<Value>& index = tupleKey ? rawIndex[0].items : rawIndex;
  if (!tupleKey && index.size() == 1 && index[0].kind == Value::Kind::Slice)
    return gridOfSlice(in, index[0], span);
  if (!tupleKey && index.size() == 1) {
    // NumPy's len(key) fails or key[0] is no slice; then key.step fails.
    const Value& key = index[0];
    const bool sequence = key.kind == Value::Kind::List || key.kind == Value::Kind::Tuple;
    if ((sequence && key.items.empty()) || (key.kind == Value::Kind::Str && key.name.empty())) {
      // No items: indices(()) of NumPy's int, or an empty list.
      if (sparse) {
        Value list = Value::ofTuple({});
        list.kind = Value::Kind::List;
        return list;
      }
      return in.materializedValue(Array::empty({0}, DType::Int64));
    }
    if (sequence) {
      noStep(key.items[0], span);
    } else if (key.kind == Value::Kind::Str) {
      noStep(Value::ofStr(key.name.substr(0, 1)), span);
    } else if (key.isArray() && !key.array->shape().empty()) {
      Value element = key;
      element.array = std::make_shared<ArrayObject>(*key.array);
      element.array->isScalar = true;
      noStep(element, span);
    } else {
      noStep(key, span);
    }
  }
  const Value noStepOfTuple = Value::ofTuple({});
  const size_t nd = index.size();
  std::vector<int64_t> sizes(nd);
  std::vector<Value> nums{Value::ofInt(0)};
  for (size_t k = 0; k < nd; ++k) {
    const Value& item = index[k];
    if (item.kind != Value::Kind::Slice) noStep(item, span);
    const Value start = item.items[0].kind == Value::Kind::None ? Value::ofInt(0) : item.items[0];
    const Value& stop = item.items[1];
    const Value step = item.items[2].kind == Value::Kind::None ? Value::ofInt(1) : item.items[2];
    if (!isNumber(start) || (step.kind != Value::Kind::Imaginary && !isNumber(step)))
      noStep(noStepOfTuple, span);
    if (step.kind == Value::Kind::Imaginary) {
      sizes[k] = intOfFloat(std::fabs(step.f), span);
    } else {
      if (!isNumber(stop)) noStep(noStepOfTuple, span);
      const double denominator = toFloat(in, step, span);
      const double numerator = toFloat(in, stop, span) - toFloat(in, start, span);
      if (denominator == 0) {
        if (start.isPyScalar() && stop.isPyScalar() && step.isPyScalar())
          raise(ErrorKind::Value, span, "float division by zero");
        // NumPy scalars divide to inf or NaN, which int() refuses.
        intOfFloat(numerator == 0 || std::isnan(numerator) ? NAN : INFINITY, span);
      }
      sizes[k] = intOfFloat(std::ceil(numerator / denominator), span);
    }
    nums.insert(nums.end(), {start, stop, step});
  }
  for (size_t k = 0; k < nd; ++k)
    if (!isNumber(index[k].items[1])) noStep(noStepOfTuple, span);
  const DType t = gridDType(nums, true);
  if (!sparse)
    for (int64_t n : sizes)
      if (n < 0) raise(ErrorKind::Value, span, "negative dimensions are not allowed");
  Shape shape{int64_t(nd)};
  for (int64_t n : sizes) shape.push_back(n);
  Array result;
  if (!sparse) {
    try {
      result = Array::empty(shape, t);
    } catch (const RuntimeError& e) {
      rethrowWithSpan(e, span);
    }
  }
  std::vector<Value> out;
  for (size_t k = 0; k < nd; ++k) {
    const Value& item = index[k];
    const Value start = item.items[0].kind == Value::Kind::None ? Value::ofInt(0) : item.items[0];
    Value step = item.items[2].kind == Value::Kind::None ? Value::ofInt(1) : item.items[2];
    // ogrid's arange of a negative count is empty.
    const int64_t n = std::max<int64_t>(sizes[k], 0);
    if (step.kind == Value::Kind::Imaginary) step = pointStep(in, start, item.items[1], n, span);
    if (sparse) {
      Value c = coordinate(in, n, t, {n}, step, start, span);
      Shape s(nd, 1);
      s[k] = n;
      // NumPy indexes with newaxis: stride 0 on the new axes.
      Array computed = in.materialize(c.array, span);
      Strides strides(nd, 0);
      strides[k] = computed.strides()[0];
      out.push_back(in.viewValue(c.array, computed.view(s, strides, computed.offset())));
      continue;
    }
    Shape s(nd, 1);
    s[k] = n;
    in.assignInto(result.indexAxis(0, int64_t(k)), coordinate(in, n, t, s, step, start, span),
                  span);
  }
  if (sparse) {
    Value list = Value::ofTuple(std::move(out));
    list.kind = Value::Kind::List;
    return list;
  }
  in.note(span, "mgrid: one result of shape " + formatShapeCompact(shape) +
                    ", each coordinate computed straight into its row");
  return in.materializedValue(result);
}

} // namespace ravel::exec
