// Functions and attributes that make views (or, where NumPy copies, say so):
// the layout side of NumPy's array model.
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"

namespace ravel::exec {

std::optional<Value> viewAttribute(Interpreter& in, const ArrayRef& a, const std::string& attr,
                                   Span span) {
  if (attr == "flags") {
    Array m = in.materialize(a, span);
    // A view (anything with a base) does not own its data; a fresh result does.
    bool ownsData = !m.isView() && !a->owner;
    Value flags;
    flags.kind = Value::Kind::Flags;
    for (bool b : {m.isCContiguous(), m.isFContiguous(), ownsData, m.writeable(), true, false})
      flags.items.push_back(Value::ofBool(b));
    return flags;
  }
  return std::nullopt;
}

std::optional<Value> callViewBuiltin(Interpreter& in, const std::string& name,
                                     std::vector<Value>& args, Kwargs& kwargs, Span span) {
  (void)in, (void)name, (void)args, (void)kwargs, (void)span;
  return std::nullopt;
}

} // namespace ravel::exec
