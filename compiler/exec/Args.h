// Argument binding and conversion shared by every builtin group: one
// signature helper, so arity, keyword and type errors read the same for
// every function ravel knows.
#pragma once

#include "compiler/exec/Value.h"

#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ravel::exec {

class Interpreter;

using Kwargs = std::vector<std::pair<std::string, Value>>;

/// A parameter: its name, and its default (absent = required).
struct Param {
  const char* name;
  std::optional<Value> def;
};

extern const Value kNone;

/// Binds positional and keyword arguments to parameters like Python does.
std::vector<Value> bindArgs(const std::string& fname, const std::vector<Value>& args,
                            const Kwargs& kwargs, const std::vector<Param>& params, Span span);

/// bindArgs for a function that is also a method (`repeat(a, n)` and
/// `a.repeat(n)`): for a method, args[0] is the receiver and stands for the
/// first parameter.
std::vector<Value> bindCall(bool method, const std::string& fname, const std::vector<Value>& args,
                            const Kwargs& kwargs, std::vector<Param> params, Span span);

/// A Python int, bool or integer NumPy scalar as int64 (`what` names it in
/// the TypeError).
int64_t toInt(const Value& v, Span span, const char* what = "an integer");
/// A Python number or size-1 array as a double.
double toFloat(Interpreter& in, const Value& v, Span span);
/// An int or a tuple/list of ints as a shape (checked: no negatives, not too big).
Shape toShape(const Value& v, Span span);
/// A dtype= argument: a dtype object, a name string, or float/int/bool;
/// nullopt for None.
std::optional<DType> toDType(const Value& v, Span span);
/// An int or a tuple/list of ints.
std::vector<int64_t> toIntList(const Value& v, Span span);
/// Any value an array can be made from, as an array value (lists become
/// arrays as `asarray` would make them).
Value toArrayValue(Interpreter& in, const Value& v, Span span);
/// The elements of an array argument in memory (zeros in a dry run, which
/// computes nothing), for functions that work on materialised input.
Array argValues(Interpreter& in, const Value& v, Span span);
/// A flag as NumPy's functions test one (keepdims, return_counts, ...): a
/// bool, a nonzero int, or any other value but None.
bool flagArg(const Value& v);
/// operator.index(axis) then normalize_axis_index, NumPy's AxisError
/// reported as an IndexError.
int axisArg(const Value& axis, int ndim, Span span);
/// The permutation of `ndim` axes that moves `axis` last.
std::vector<int> axisLastPerm(int axis, int ndim);

/// The builtin `name` called with these arguments (a composed function's
/// step: "concatenate", ".reshape", ...).
Value callNamed(Interpreter& in, const char* name, std::vector<Value> args, Kwargs kwargs,
                Span span);
/// The slice start:stop:step (None where absent), as `a[start:stop:step]` indexes.
Value sliceValue(std::optional<int64_t> start, std::optional<int64_t> stop,
                 std::optional<int64_t> step = std::nullopt);

/// An array's elements, converted to dtype t, in C order.
template <class T> std::vector<T> flatValues(const Array& a, DType t) {
  Array c = a.astype(t).copy();
  std::vector<T> v(size_t(c.size()));
  if (!v.empty()) std::memcpy(v.data(), c.data(), v.size() * sizeof(T));
  return v;
}

/// A new 1-d array of dtype t holding `v` (T is t's C type).
template <class T> Array arrayOf(const std::vector<T>& v, DType t) {
  Array a = Array::empty({int64_t(v.size())}, t);
  if (!v.empty()) std::memcpy(a.data(), v.data(), v.size() * sizeof(T));
  return a;
}

} // namespace ravel::exec
