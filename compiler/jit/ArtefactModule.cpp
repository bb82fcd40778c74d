#include "compiler/jit/ArtefactModule.h"

#include "compiler/aot/Artefact.h"
#include "compiler/aot/Signature.h"
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
  StructType* artefactType =
      StructType::get(ctx, {i64, ptr, i64, ptr, i64, ptr, i64, ptr, i64, ptr, i64, ptr, i64});
  Constant* artefact = ConstantStruct::get(
      artefactType,
      {u64(aot::kRavelAotAbi), bytesGlobal(module, contents.program, "ravel.program"),
       u64(contents.program.size()), bytesGlobal(module, contents.sourceName, "ravel.source_name"),
       u64(contents.sourceName.size()),
       bytesGlobal(module, contents.sourceText, "ravel.source_text"),
       u64(contents.sourceText.size()), table, u64(entries.size()),
       bytesGlobal(module, contents.cpuName, "ravel.cpu"), u64(contents.cpuName.size()),
       bytesGlobal(module, contents.features, "ravel.features"), u64(contents.features.size())});
  auto* descriptor = new GlobalVariable(module, artefactType, true, GlobalValue::ExternalLinkage,
                                        artefact, contents.descriptorSymbol);

  Type* i32 = Type::getInt32Ty(ctx);
  StructType* exportType = StructType::get(ctx, {ptr, i64}); // RavelAotExport
  FunctionCallee call = module.getOrInsertFunction(
      "ravel_aot_call", FunctionType::get(i32, {ptr, ptr, ptr, ptr, ptr, i64}, false));
  for (size_t e = 0; e < contents.exports.size(); ++e) {
    std::string why;
    std::optional<aot::ExportSignature> sig = aot::parseSignature(contents.exports[e], why);
    RAVEL_CHECK(sig, "bad export declaration reached codegen: " + why);
    const std::string text = aot::signatureText(*sig);
    auto* exported = new GlobalVariable(
        module, exportType, true, GlobalValue::PrivateLinkage,
        ConstantStruct::get(
            exportType, {bytesGlobal(module, text, "ravel.export." + sig->name), u64(text.size())}),
        "ravel.export_decl." + sig->name);
    // int NAME(params..., RavelAotArray* result, char* error, size_t errorSize)
    std::vector<Type*> params;
    for (const aot::ExportParam& p : sig->params) {
      if (p.isArray) {
        params.push_back(ptr);
        continue;
      }
      switch (p.dtype) {
        case DType::Bool:
          params.push_back(Type::getInt8Ty(ctx));
          break;
        case DType::Int32:
          params.push_back(i32);
          break;
        case DType::Int64:
          params.push_back(i64);
          break;
        case DType::Float32:
          params.push_back(Type::getFloatTy(ctx));
          break;
        case DType::Float64:
          params.push_back(Type::getDoubleTy(ctx));
          break;
      }
    }
    const size_t n = sig->params.size();
    params.insert(params.end(), {ptr, ptr, i64});
    Function* fn = Function::Create(FunctionType::get(i32, params, false),
                                    GlobalValue::ExternalLinkage, sig->name, module);
    IRBuilder<> b(BasicBlock::Create(ctx, "entry", fn));
    Value* args = b.CreateAlloca(ArrayType::get(ptr, n ? n : 1));
    for (size_t k = 0; k < n; ++k) {
      Value* arg = fn->getArg(k);
      if (!sig->params[k].isArray) {
        Value* slot = b.CreateAlloca(arg->getType());
        b.CreateStore(arg, slot);
        arg = slot;
      }
      b.CreateStore(arg, b.CreateConstInBoundsGEP2_64(ArrayType::get(ptr, n), args, 0, k));
    }
    b.CreateRet(b.CreateCall(
        call, {descriptor, exported, args, fn->getArg(n), fn->getArg(n + 1), fn->getArg(n + 2)}));
  }

  if (!contents.withMain) return;
  FunctionCallee run =
      module.getOrInsertFunction("ravel_aot_main", FunctionType::get(i32, {i32, ptr, ptr}, false));
  Function* main = Function::Create(FunctionType::get(i32, {i32, ptr}, false),
                                    GlobalValue::ExternalLinkage, "main", module);
  IRBuilder<> b(BasicBlock::Create(ctx, "entry", main));
  b.CreateRet(b.CreateCall(run, {main->getArg(0), main->getArg(1), descriptor}));
}

} // namespace ravel::jit
