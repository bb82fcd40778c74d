#include "compiler/exec/Registry.h"

#include "compiler/exec/BuiltinGroups.h"
#include "compiler/exec/Ufuncs.h"
#include "compiler/sema/Names.h"

#include <unordered_map>

namespace ravel::exec {
namespace {

// The table's impl column for entries with no implementation of their own.
constexpr BuiltinImpl none = nullptr;

struct ImplEntry {
  sema::BuiltinScope scope;
  const char* name;
  BuiltinImpl impl;
};

constexpr ImplEntry kImpls[] = {
#define RAVEL_BUILTIN(scope, name, kind, impl, signature, doc)                                     \
  {sema::BuiltinScope::scope, name, impl},
#include "compiler/sema/Builtins.def"
};

/// How the interpreter spells a call of a name in `scope`.
std::string qualifiedName(sema::BuiltinScope scope, const char* name) {
  switch (scope) {
    case sema::BuiltinScope::TopLevel:
      return name;
    case sema::BuiltinScope::Random:
      return std::string("random.") + name;
    case sema::BuiltinScope::Linalg:
      return std::string("linalg.") + name;
    case sema::BuiltinScope::NdArray:
      return std::string(".") + name;
    case sema::BuiltinScope::Generator:
      return std::string("Generator.") + name;
  }
  return name;
}

} // namespace

BuiltinImpl registeredImpl(const std::string& qualified) {
  static const std::unordered_map<std::string, BuiltinImpl> byName = [] {
    std::unordered_map<std::string, BuiltinImpl> m;
    for (const ImplEntry& e : kImpls)
      if (e.impl) m.emplace(qualifiedName(e.scope, e.name), e.impl);
    return m;
  }();
  auto it = byName.find(qualified);
  return it == byName.end() ? nullptr : it->second;
}

} // namespace ravel::exec
