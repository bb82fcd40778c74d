// ThreadPool: the workers that split large kernels. One pool per process,
// sized to the machine (hardware threads), started on first use.
//
// parallelFor(parts, body) runs body(0) .. body(parts-1) — part 0 on the
// calling thread — and returns when all are done. Workers spin briefly
// before sleeping: waking a sleeping thread costs tens of microseconds
// (shared/TOOLCHAIN.md), so callers only split work worth more than that.
#pragma once

#include <cstdint>
#include <functional>

namespace ravel {

class ThreadPool {
public:
  /// The process's pool. RAVEL_NUM_THREADS=1 disables threading.
  static ThreadPool& global();
  /// Threads that run parts concurrently, the caller included.
  int size() const { return size_; }
  /// Threads the calling thread may use now: size(), or less inside a Limit.
  /// Callers split work by this, not by size().
  int usable() const;

  /// Caps usable() on the constructing thread for its lifetime (an embedded
  /// Engine's `threads` option). 0 or less means no cap; limits nest.
  class Limit {
  public:
    explicit Limit(int threads);
    ~Limit();
    Limit(const Limit&) = delete;
    Limit& operator=(const Limit&) = delete;

  private:
    int previous_;
  };
  void parallelFor(int parts, const std::function<void(int)>& body);

  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

private:
  explicit ThreadPool(int threads);
  struct State;
  State* state_;
  int size_;
};

} // namespace ravel
