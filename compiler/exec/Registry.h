// The interpreter's side of the builtin table (compiler/sema/Builtins.def):
// the implementation each builtin names in its impl column, and what an
// implementation receives. A builtin is one function `Value f(BuiltinCall&)`
// listed in the table; nothing else maps names to code.
#pragma once

#include "compiler/exec/Args.h"

#include <string>
#include <vector>

namespace ravel::exec {

/// One call of a builtin, as the implementation sees it.
struct BuiltinCall {
  Interpreter& in;
  /// The name as NumPy spells it in messages: "meshgrid", "randint", "sort"
  /// (no "random."/"linalg."/"Generator." prefix, no method dot).
  const std::string& name;
  /// `a.name(...)` or `rng.name(...)`: args[0] is the receiver.
  bool method;
  std::vector<Value>& args;
  Kwargs& kwargs;
  Span span;

  /// The arguments bound to `params` like Python does (for a method, the
  /// receiver stands for the first parameter); arity and keyword errors in
  /// Python's words.
  std::vector<Value> bind(std::vector<Param> params) const {
    return bindCall(method, name, args, kwargs, std::move(params), span);
  }
};

using BuiltinImpl = Value (*)(BuiltinCall&);

/// The implementation Builtins.def lists for a builtin called as `qualified`
/// ("sqrt", "random.randint", "linalg.inv", ".sort" for an ndarray method,
/// "Generator.integers" for a Generator's); null for names not in the table
/// and for entries that are not called (modules, dtypes, constants).
BuiltinImpl registeredImpl(const std::string& qualified);

} // namespace ravel::exec
