// KernelJit: the kernel cache in front of JitSession.
//
// compile(kernel):
//  1. key = kernel.cacheKey(); a hit moves the entry to the front of the LRU
//     list and returns its function pointer;
//  2. on a miss, object code for the kernel comes from the disk cache
//     (DiskCache.h) when it holds a whole entry for this kernel on this
//     target and this build of ravel; otherwise the module is emitted
//     (codegen/), verified, optimized (O3), compiled to an object and stored
//     there. The object is linked into LLJIT under its own ResourceTracker
//     and the symbol looked up;
//  3. if the cache is over capacity, remove the least recently used kernel's
//     tracker (its code and symbols are freed: flat memory in a long REPL).
// A kernel's symbol is derived from its full key, so an object read back
// from disk defines the name this process looks up; an evicted kernel's
// symbols leave the JIT with its tracker, so recompiling it cannot clash.
#include "compiler/jit/KernelJit.h"

#include "compiler/codegen/EmitKernel.h"
#include "compiler/jit/ArtefactModule.h"
#include "compiler/jit/DiskCache.h"
#include "compiler/jit/JitSession.h"
#include "runtime/Error.h"

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Linker/Linker.h>
#include <llvm/Support/raw_ostream.h>

#include <chrono>
#include <list>
#include <mutex>
#include <optional>
#include <set>
#include <unordered_map>

namespace ravel::jit {

using namespace llvm;

namespace {

/// Default bound on live kernels (~35 KB each, shared/TOOLCHAIN.md).
constexpr size_t kDefaultCacheCapacity = 4096;

std::string printableName(const fusion::Kernel& kernel) {
  std::string name = kernel.name.empty() ? "kernel" : kernel.name;
  for (char& c : name)
    if (!isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.') c = '_';
  return name;
}

} // namespace

struct KernelJit::Impl {
  struct Entry {
    InnerLoopFn fn;
    orc::ResourceTrackerSP tracker;
    std::list<std::string>::iterator lru;
  };

  std::unique_ptr<JitSession> session;
  std::unique_ptr<DiskCache> disk; // null: no persistent cache
  /// What every disk key starts with: the binary and the code generator's
  /// target and settings (empty when the binary cannot be identified).
  std::string diskKeyPrefix;
  mutable std::mutex mutex;
  std::unordered_map<std::string, Entry> cache;
  std::list<std::string> lru; // front: most recently used
  size_t capacity = kDefaultCacheCapacity;
  CompileStats stats;
  CompileObserver observer;

  /// Frees every kernel while the trackers still exist. A tracker destroyed
  /// while it holds code hands the code to the JITDylib's default tracker,
  /// and LLVM 19's ObjectLinkingLayer::handleTransferResources can then
  /// reserve through a stale map entry: std::length_error thrown from
  /// ~KernelJit, about one process exit in 70 under load (seen with
  /// tests/programs/stats_std_var.rv). Removing them takes the other path.
  ~Impl() {
    for (auto& [key, entry] : cache) {
      try {
        session->remove(entry.tracker);
      } catch (const InternalError&) {
        // Exiting anyway; the code stays mapped until the session ends.
      }
    }
  }

  /// Emitted, verified and optimized module for `kernel` (for `on`, by
  /// default this JIT's host session).
  std::unique_ptr<Module> build(const fusion::Kernel& kernel, LLVMContext& ctx,
                                const std::string& symbol, JitSession* on = nullptr) {
    JitSession& target = on ? *on : *session;
    auto module = codegen::emitKernel(kernel, ctx, target.dataLayout(), symbol, target.target());
    target.verify(*module, "from codegen");
    target.optimize(*module);
    return module;
  }

  void evictTo(size_t size) {
    while (cache.size() > size) {
      auto it = cache.find(lru.back());
      session->remove(it->second.tracker);
      cache.erase(it);
      lru.pop_back();
      ++stats.evicted;
    }
  }
};

KernelJit::KernelJit(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
KernelJit::~KernelJit() = default;

std::unique_ptr<KernelJit> KernelJit::create(int optLevel, bool persistent) {
  auto impl = std::make_unique<Impl>();
  impl->session = JitSession::create(optLevel);
  if (persistent) {
    const std::string binary = codeGeneratorIdentity();
    if (!binary.empty()) {
      impl->disk = DiskCache::openDefault();
      impl->diskKeyPrefix =
          "ravel kernel\nbinary " + binary + "\n" + impl->session->codegenSignature() + "kernel ";
    }
  }
  return std::unique_ptr<KernelJit>(new KernelJit(std::move(impl)));
}

InnerLoopFn KernelJit::compile(const fusion::Kernel& kernel) {
  Impl& s = *impl_;
  std::string key = kernel.cacheKey();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (s.observer) s.observer(kernel, key);
  if (auto it = s.cache.find(key); it != s.cache.end()) {
    s.lru.splice(s.lru.begin(), s.lru, it->second.lru);
    ++s.stats.cacheHits;
    return it->second.fn;
  }
  using Clock = std::chrono::steady_clock;
  auto millis = [](Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
  };
  auto start = Clock::now();
  // The symbol names the kernel on this target and build, the same in every
  // process that computes it (an object from disk defines it).
  const std::string fullKey = s.diskKeyPrefix + key;
  const std::string symbol = "ravel_kernel_" + DiskCache::digest(fullKey);
  orc::ResourceTrackerSP tracker;
  void* address = nullptr;
  if (s.disk) {
    if (std::optional<std::string> object = s.disk->load(fullKey)) {
      try {
        address = s.session->addObject(*object, symbol, tracker);
        ++s.stats.diskHits;
      } catch (const InternalError&) {
        // A whole entry that does not link (cannot happen short of a bug):
        // compile afresh below, and overwrite it.
        if (tracker) s.session->remove(tracker);
        address = nullptr;
      }
    }
  }
  auto optimized = start;
  if (!address) {
    LLVMContext ctx;
    auto module = s.build(kernel, ctx, symbol);
    optimized = Clock::now();
    std::string object = s.session->objectCode(*module);
    if (s.disk) s.disk->store(fullKey, object);
    address = s.session->addObject(object, symbol, tracker);
    ++s.stats.compiled;
    s.stats.optimizeMillis += millis(start, optimized);
  }
  auto end = Clock::now();
  auto fn = reinterpret_cast<InnerLoopFn>(address);
  s.lru.push_front(key);
  s.cache.emplace(key, Impl::Entry{fn, tracker, s.lru.begin()});
  s.evictTo(s.capacity);
  s.stats.compileMillis += millis(start, end);
  s.stats.codegenMillis += millis(optimized, end);
  return fn;
}

std::string KernelJit::emitLLVM(const fusion::Kernel& kernel) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  LLVMContext ctx;
  auto module = impl_->build(kernel, ctx, printableName(kernel));
  std::string text;
  raw_string_ostream os(text);
  module->print(os, nullptr);
  return os.str();
}

std::string KernelJit::emitAsm(const fusion::Kernel& kernel) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  LLVMContext ctx;
  auto module = impl_->build(kernel, ctx, printableName(kernel));
  return impl_->session->assembly(*module);
}

std::string KernelJit::emitProgram(const std::vector<fusion::Kernel>& kernels,
                                   ProgramFormat format) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  LLVMContext ctx;
  std::unique_ptr<Module> program = impl_->session->emptyModule(ctx, "ravel_program");
  std::set<std::string> keys, names;
  for (const fusion::Kernel& kernel : kernels) {
    if (!keys.insert(kernel.cacheKey()).second) continue; // launched again
    std::string name = printableName(kernel);
    for (int n = 2; names.count(name); ++n) name = printableName(kernel) + "_" + std::to_string(n);
    names.insert(name);
    // Each kernel is optimized alone (as the JIT compiles it), then linked:
    // the program's functions are the JIT's, instruction for instruction.
    if (Linker::linkModules(*program, impl_->build(kernel, ctx, name)))
      throw InternalError("linking kernel " + name + " into the program module failed");
  }
  impl_->session->verify(*program, "linked program");
  if (format == ProgramFormat::Asm) return impl_->session->assembly(*program);
  if (format == ProgramFormat::Object) return impl_->session->objectCode(*program);
  std::string text;
  raw_string_ostream os(text);
  program->print(os, nullptr);
  return os.str();
}

std::string KernelJit::emitArtefact(const std::vector<fusion::Kernel>& kernels,
                                    const ArtefactContents& contents) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  std::unique_ptr<JitSession> forCpu;
  if (!contents.cpu.empty())
    forCpu = JitSession::createForCpu(impl_->session->optLevel(), contents.cpu);
  JitSession& target = forCpu ? *forCpu : *impl_->session;
  LLVMContext ctx;
  std::unique_ptr<Module> artefact = target.emptyModule(ctx, "ravel_artefact");
  std::vector<std::pair<std::string, std::string>> table;
  std::set<std::string> keys;
  for (const fusion::Kernel& kernel : kernels) {
    std::string key = kernel.cacheKey();
    if (!keys.insert(key).second) continue;
    if (Linker::linkModules(*artefact, impl_->build(kernel, ctx, kernel.name, &target)))
      throw InternalError("linking kernel " + kernel.name + " into the artefact failed");
    table.emplace_back(std::move(key), kernel.name);
  }
  addArtefactData(*artefact, std::move(table), contents);
  target.verify(*artefact, "artefact");
  return target.objectCode(*artefact, /*positionIndependent=*/true);
}

const CompileStats& KernelJit::stats() const {
  return impl_->stats;
}

void KernelJit::setCompileObserver(CompileObserver observer) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->observer = std::move(observer);
}

int64_t KernelJit::evictions() const {
  return impl_->stats.evicted;
}

size_t KernelJit::cacheCapacity() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->capacity;
}

void KernelJit::setCacheCapacity(size_t capacity) {
  RAVEL_CHECK(capacity >= 1, "kernel cache capacity must be at least 1");
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->capacity = capacity;
  impl_->evictTo(capacity);
}

size_t KernelJit::cachedKernels() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->cache.size();
}

std::string KernelJit::targetDescription() const {
  const codegen::CodegenTarget& t = impl_->session->target();
  const char* isa = t.isa == codegen::VectorIsa::Avx512 ? "avx512"
                    : t.isa == codegen::VectorIsa::Avx2 ? "avx2"
                                                        : "scalar";
  return t.cpu + "/" + isa;
}

} // namespace ravel::jit
