// ravel::Engine: one ravel session (its variables, its functions, its
// compiled kernels) embedded in a host program; ravel::Function: a `def`
// of that session, callable from C++.
//
// Threads: an Engine, and the Functions taken from it, belong to one thread
// at a time (calls into one Engine must not overlap). Separate Engines are
// independent and may run on separate threads at once; each has its own JIT
// and kernel cache. Kernels themselves use ravel's process-wide thread pool
// (RAVEL_NUM_THREADS) for large arrays.
#pragma once

#include "ravel/Value.h"

#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ravel {
inline namespace embed {

class Function;

/// How an Engine compiles and runs its kernels.
struct EngineOptions {
  /// Threads one kernel (or matrix product) may use, the calling thread
  /// included. 0: all of ravel's process-wide pool (RAVEL_NUM_THREADS, else
  /// the machine's hardware threads); a larger number is capped at the pool.
  int threads = 0;
  /// Compiled kernels the engine keeps; beyond it the least recently used is
  /// freed (and recompiled if needed again). 0: ravel's default (4096).
  size_t kernelCacheCapacity = 0;
  /// LLVM's optimisation level for the engine's kernels, 0..3. Lower levels
  /// compile faster and run slower; 3 vectorises.
  int optimizationLevel = 3;
  /// Keep compiled kernels on disk, so the next run of the host links them
  /// instead of compiling them again ($RAVEL_CACHE_DIR, else
  /// $XDG_CACHE_HOME/ravel or ~/.cache/ravel; capped at RAVEL_CACHE_MAX_MB,
  /// default 256; RAVEL_NO_CACHE=1 turns it off for every engine).
  bool persistentKernelCache = true;
};

class Engine {
public:
  Engine();
  /// Throws ravel::Error (kind Value) for an option out of range.
  explicit Engine(const EngineOptions& options);
  ~Engine();
  Engine(Engine&&) noexcept;
  Engine& operator=(Engine&&) noexcept;

  /// Binds a global name: an Array is bound without a copy (host writes to
  /// wrapped memory are seen by later code), a scalar as a Python scalar.
  void set(std::string_view name, const Value& value);
  /// A global's value; a lazy array is computed first.
  Value get(std::string_view name);
  /// Runs statements like a script (`file` names the code in errors);
  /// `print` writes to the engine's output (std::cout unless setOutput).
  void run(std::string_view code, std::string_view file = "<run>");
  /// The value of one expression over the session's names.
  Value eval(std::string_view expression);
  /// A `def` already run in this engine.
  Function function(std::string_view name);
  /// Runs source that defines one or more functions; returns the last one.
  Function compile(std::string_view source, std::string_view file = "<compile>");
  void setOutput(std::ostream& out);
  /// Kernels compiled so far (or read from the persistent cache), and kernel
  /// requests served from the in-memory cache.
  int64_t kernelsCompiled() const;
  int64_t kernelCacheHits() const;
  /// Of kernelsCompiled(), those read from the persistent cache.
  int64_t kernelsFromDisk() const;
  /// Function calls answered by replaying the kernels of an earlier call
  /// with the same signature (no parsing, no graph, no planning).
  int64_t callsReplayed() const;

  struct Impl;

private:
  std::shared_ptr<Impl> impl_;
};

class Function {
public:
  /// Calls the function; arrays are passed without a copy and the result's
  /// arrays are computed. The first call for a combination of argument
  /// dtypes, shapes and strides (and Python scalar values) compiles kernels.
  /// When the body is straight-line array arithmetic (assignments, operators,
  /// ufuncs, reductions, one return), later calls of that combination replay
  /// the first call's kernels on the new memory without evaluating the body;
  /// otherwise they evaluate it and find the kernels in the cache.
  template <class... Args> Value operator()(const Args&... args) const {
    return call({Value(args)...});
  }
  Value call(std::vector<Value> args) const;
  /// Calls the function and writes its (array) result into `out` in place,
  /// broadcasting and casting as NumPy's `out[...] = f(...)`.
  template <class... Args> void into(const Array& out, const Args&... args) const {
    callInto(out, {Value(args)...});
  }
  void callInto(const Array& out, std::vector<Value> args) const;
  const std::string& name() const { return name_; }

private:
  friend class Engine;
  Function(std::shared_ptr<Engine::Impl> engine, std::string name)
      : engine_(std::move(engine)), name_(std::move(name)) {}
  std::shared_ptr<Engine::Impl> engine_;
  std::string name_;
};

} // namespace embed
} // namespace ravel
