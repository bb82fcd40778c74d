// The data half of an ahead-of-time artefact's object: the kernel table and
// program that aot/Artefact.h describes, and an executable's main(). Private
// to jit/.
#pragma once

#include "compiler/jit/KernelJit.h"

#include <llvm/IR/Module.h>

#include <string>
#include <utility>
#include <vector>

namespace ravel::jit {

/// Adds the RavelAotArtefact global named `contents.descriptorSymbol` and
/// what it points to. `kernels` pairs each kernel's cache key with the name
/// of its function, already defined in `module`.
void addArtefactData(llvm::Module& module, std::vector<std::pair<std::string, std::string>> kernels,
                     const ArtefactContents& contents);

} // namespace ravel::jit
