// (being written)
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"

namespace ravel::exec {

std::optional<Value> callIndexBuiltin(Interpreter& in, const std::string& name,
                                      std::vector<Value>& args, Kwargs& kwargs, Span span) {
  (void)in, (void)name, (void)args, (void)kwargs, (void)span;
  return std::nullopt;
}

} // namespace ravel::exec
