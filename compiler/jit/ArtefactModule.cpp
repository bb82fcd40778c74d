#include "compiler/jit/ArtefactModule.h"

#include "compiler/aot/Artefact.h"
#include "runtime/Error.h"

#include <llvm/IR/Constants.h>
#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/GlobalVariable.h>
#include <llvm/IR/IRBuilder.h>

#include <algorithm>

namespace ravel::jit {

using namespace llvm;

namespace {

/// A private constant byte array holding `bytes` (not NUL-terminated: every
/// reader takes the length beside it).
Constant* bytesGlobal(Module& module, const std::string& bytes, const std::string& name) {
  LLVMContext& ctx = module.getContext();
  Constant* init = ConstantDataArray::getRaw(bytes, bytes.size(), Type::getInt8Ty(ctx));
  auto* g =
      new GlobalVariable(module, init->getType(), true, GlobalValue::PrivateLinkage, init, name);
  g->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
  return g;
}

} // namespace

void addArtefactData(Module& module, std::vector<std::pair<std::string, std::string>> kernels,
                     const ArtefactContents& contents) {
  LLVMContext& ctx = module.getContext();
  Type* i64 = Type::getInt64Ty(ctx);
  Type* ptr = PointerType::get(ctx, 0);
  auto u64 = [&](uint64_t v) { return ConstantInt::get(i64, v); };

  // The runtime binary-searches the keys with std::string_view's order.
  std::sort(kernels.begin(), kernels.end());
  StructType* entryType = StructType::get(ctx, {ptr, i64, ptr}); // RavelAotKernel
  std::vector<Constant*> entries;
  for (size_t i = 0; i < kernels.size(); ++i) {
    const auto& [key, symbol] = kernels[i];
    Function* fn = module.getFunction(symbol);
    RAVEL_CHECK(fn, "artefact kernel " + symbol + " is not in the module");
    entries.push_back(
        ConstantStruct::get(entryType, {bytesGlobal(module, key, "ravel.key." + std::to_string(i)),
                                        u64(key.size()), fn}));
  }
  ArrayType* tableType = ArrayType::get(entryType, entries.size());
  auto* table = new GlobalVariable(module, tableType, true, GlobalValue::PrivateLinkage,
                                   ConstantArray::get(tableType, entries), "ravel.kernels");

  // RavelAotArtefact, field by field.
  StructType* artefactType = StructType::get(ctx, {i64, ptr, i64, ptr, i64, ptr, i64, ptr, i64});
  Constant* artefact = ConstantStruct::get(
      artefactType,
      {u64(aot::kRavelAotAbi), bytesGlobal(module, contents.program, "ravel.program"),
       u64(contents.program.size()), bytesGlobal(module, contents.sourceName, "ravel.source_name"),
       u64(contents.sourceName.size()),
       bytesGlobal(module, contents.sourceText, "ravel.source_text"),
       u64(contents.sourceText.size()), table, u64(entries.size())});
  auto* descriptor = new GlobalVariable(module, artefactType, true, GlobalValue::ExternalLinkage,
                                        artefact, contents.descriptorSymbol);

  if (!contents.withMain) return;
  Type* i32 = Type::getInt32Ty(ctx);
  FunctionCallee run =
      module.getOrInsertFunction("ravel_aot_main", FunctionType::get(i32, {i32, ptr, ptr}, false));
  Function* main = Function::Create(FunctionType::get(i32, {i32, ptr}, false),
                                    GlobalValue::ExternalLinkage, "main", module);
  IRBuilder<> b(BasicBlock::Create(ctx, "entry", main));
  b.CreateRet(b.CreateCall(run, {main->getArg(0), main->getArg(1), descriptor}));
}

} // namespace ravel::jit
