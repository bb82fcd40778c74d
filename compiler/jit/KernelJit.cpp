// KernelJit: the kernel cache in front of JitSession.
//
// compile(kernel):
//  1. key = kernel.cacheKey(); a hit moves the entry to the front of the LRU
//     list and returns its function pointer;
//  2. on a miss: emit the module (codegen/), verifyModule, optimize (O3),
//     add it to LLJIT under its own ResourceTracker, look up the symbol;
//  3. if the cache is over capacity, remove the least recently used kernel's
//     tracker (its code and symbols are freed: flat memory in a long REPL).
// Every kernel gets a fresh symbol name, so an evicted and recompiled kernel
// never clashes with a stale definition.
#include "compiler/jit/KernelJit.h"

#include "compiler/codegen/EmitKernel.h"
#include "compiler/jit/JitSession.h"
#include "runtime/Error.h"

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/raw_ostream.h>

#include <chrono>
#include <list>
#include <mutex>
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
  mutable std::mutex mutex;
  std::unordered_map<std::string, Entry> cache;
  std::list<std::string> lru; // front: most recently used
  size_t capacity = kDefaultCacheCapacity;
  int64_t nextSymbol = 0;
  CompileStats stats;

  /// Emitted, verified and optimized module for `kernel`.
  std::unique_ptr<Module> build(const fusion::Kernel& kernel, LLVMContext& ctx,
                                const std::string& symbol) {
    auto module =
        codegen::emitKernel(kernel, ctx, session->dataLayout(), symbol, session->target());
    session->verify(*module, "from codegen");
    session->optimize(*module);
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

std::unique_ptr<KernelJit> KernelJit::create(int optLevel) {
  auto impl = std::make_unique<Impl>();
  impl->session = JitSession::create(optLevel);
  return std::unique_ptr<KernelJit>(new KernelJit(std::move(impl)));
}

InnerLoopFn KernelJit::compile(const fusion::Kernel& kernel) {
  Impl& s = *impl_;
  std::string key = kernel.cacheKey();
  std::lock_guard<std::mutex> lock(s.mutex);
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
  std::string symbol = "ravel_kernel_" + std::to_string(s.nextSymbol++);
  auto ctx = std::make_unique<LLVMContext>();
  auto module = s.build(kernel, *ctx, symbol);
  auto optimized = Clock::now();
  orc::ResourceTrackerSP tracker;
  void* address =
      s.session->add(orc::ThreadSafeModule(std::move(module), std::move(ctx)), symbol, tracker);
  auto end = Clock::now();
  auto fn = reinterpret_cast<InnerLoopFn>(address);
  s.lru.push_front(key);
  s.cache.emplace(key, Impl::Entry{fn, tracker, s.lru.begin()});
  s.evictTo(s.capacity);
  ++s.stats.compiled;
  s.stats.compileMillis += millis(start, end);
  s.stats.optimizeMillis += millis(start, optimized);
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

const CompileStats& KernelJit::stats() const {
  return impl_->stats;
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
