// NumPy 1.24's old spellings of functions ravel has: each forwards its
// arguments unchanged to the function NumPy's own alias calls (alltrue ->
// all, sometrue -> any, product -> prod, cumproduct -> cumprod, round_ ->
// around, row_stack -> vstack), and msort is NumPy's
// `b = array(a, copy=True); b.sort(0)`, a sort along axis 0.
#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Registry.h"

namespace ravel::exec {

namespace {

const char* aliasTarget(const std::string& name) {
  if (name == "alltrue") return "all";
  if (name == "sometrue") return "any";
  if (name == "product") return "prod";
  if (name == "cumproduct") return "cumprod";
  if (name == "round_") return "around";
  if (name == "row_stack") return "vstack";
  return nullptr;
}

} // namespace

Value builtinAlias(BuiltinCall& call) {
  const char* target = aliasTarget(call.name);
  RAVEL_CHECK(target != nullptr, "no alias target for " + call.name);
  return call.in.callBuiltin(target, call.args, call.kwargs, call.span);
}

Value builtinMsort(BuiltinCall& call) {
  auto a = call.bind({{"a", {}}});
  std::vector<Value> args{a[0]};
  Kwargs kwargs{{"axis", Value::ofInt(0)}};
  return call.in.callBuiltin("sort", args, kwargs, call.span);
}

} // namespace ravel::exec
