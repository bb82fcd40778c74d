// Ufuncs: NumPy's universal functions as one table (sema/Ufuncs.def): a
// call with its keywords (out=, where=, dtype=, casting=) and the methods
// reduce, accumulate, reduceat, outer and at.
#pragma once

#include "compiler/exec/Value.h"
#include "compiler/graph/Graph.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ravel::exec {

class Interpreter;
struct BuiltinCall;
using Kwargs = std::vector<std::pair<std::string, Value>>; // as in Args.h

/// NumPy's ufunc.identity.
enum class UfuncIdentity : uint8_t { None, Zero, One, MinusOne, MinusInf, True, False };

/// One row of sema/Ufuncs.def.
struct Ufunc {
  const char* name; // as called ("abs", "true_divide"); messages use graph::numpyName(op)
  graph::Op op;
  int nin;
  UfuncIdentity identity;
  std::optional<graph::Op> reduction; // the fused reduction equal to reduce, if any
};

/// The ufunc called `name`, or null.
const Ufunc* findUfunc(std::string_view name);

/// The table's implementation of every ufunc name: `add(x1, x2, /, out=None,
/// *, where=True, casting='same_kind', dtype=None)`.
Value builtinUfunc(BuiltinCall& call);

/// `ufunc.attr`: a method as a builtin value ("add.reduce"), or identity,
/// nin, nout, nargs, __name__; NumPy's AttributeError otherwise.
Value ufuncAttribute(const Ufunc& u, const std::string& attr, Span span);

/// A call of `ufunc.method(...)` (method: reduce, accumulate, reduceat, outer, at).
Value callUfuncMethod(Interpreter& in, const Ufunc& u, const std::string& method,
                      std::vector<Value>& args, Kwargs& kwargs, Span span);

/// A reduction's result `r` written into `out` (reductions' out=: the
/// dimensions must match, the cast is unsafe, as NumPy's reduce does);
/// returns `out`. `ufunc` names the reduction in messages ("add").
Value writeReductionOut(Interpreter& in, const Value& r, const Value& out, const char* ufunc,
                        Span span);

/// An out= argument: None, an array, or a 1-tuple holding one; NumPy's
/// errors for anything else. None when no output was given.
Value outArgument(const Value& out, Span span);

} // namespace ravel::exec
