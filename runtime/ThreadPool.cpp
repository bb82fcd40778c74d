// A small fork-join pool. Each job gets a generation number; a single atomic
// ticket holds (generation << 32 | next part), so a worker can only claim a
// part of the job it woke up for: a late worker's claim on a finished job
// fails its compare-exchange and it goes back to waiting. Workers spin
// briefly before sleeping on a condition variable.
#include "runtime/ThreadPool.h"

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

namespace ravel {

struct ThreadPool::State {
  std::mutex mutex;
  std::condition_variable wake, done;
  std::atomic<uint64_t> ticket{0};     // generation << 32 | next part to claim
  std::atomic<uint32_t> generation{0}; // the current job
  std::atomic<int> remaining{0};       // parts of the current job not finished
  std::atomic<const std::function<void(int)>*> body{nullptr};
  std::atomic<int> parts{0};
  bool stop = false;
  std::vector<std::thread> workers;
  std::mutex callMutex; // one parallelFor at a time

  /// Claims and runs parts of job `gen` until none are left.
  void runParts(uint32_t gen) {
    for (;;) {
      uint64_t t = ticket.load(std::memory_order_acquire);
      if (uint32_t(t >> 32) != gen || int(t & 0xffffffffu) >= parts) return;
      if (!ticket.compare_exchange_weak(t, t + 1, std::memory_order_acq_rel)) continue;
      (*body.load(std::memory_order_acquire))(int(t & 0xffffffffu));
      if (remaining.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::lock_guard<std::mutex> lock(mutex);
        done.notify_all();
      }
    }
  }
};

namespace {
constexpr int kSpinIterations = 2000; // ~0.1 ms of pause instructions
} // namespace

ThreadPool& ThreadPool::global() {
  static ThreadPool* pool = [] {
    int n = int(std::thread::hardware_concurrency());
    if (const char* env = std::getenv("RAVEL_NUM_THREADS")) n = std::atoi(env);
    return new ThreadPool(n < 1 ? 1 : n); // never destroyed: workers outlive statics
  }();
  return *pool;
}

ThreadPool::ThreadPool(int threads) : state_(new State), size_(threads) {
  for (int t = 1; t < threads; ++t) {
    state_->workers.emplace_back([s = state_] {
      uint32_t seen = 0;
      for (;;) {
        // Spin a little: back-to-back kernels find the worker awake.
        for (int i = 0;
             i < kSpinIterations && s->generation.load(std::memory_order_acquire) == seen; ++i)
          __builtin_ia32_pause();
        if (s->generation.load(std::memory_order_acquire) == seen) {
          std::unique_lock<std::mutex> lock(s->mutex);
          s->wake.wait(lock, [&] { return s->stop || s->generation.load() != seen; });
          if (s->stop) return;
        }
        seen = s->generation.load(std::memory_order_acquire);
        s->runParts(seen);
      }
    });
  }
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->stop = true;
  }
  state_->wake.notify_all();
  for (std::thread& t : state_->workers) t.join();
  delete state_;
}

void ThreadPool::parallelFor(int parts, const std::function<void(int)>& body) {
  if (parts <= 1 || size_ == 1) {
    for (int p = 0; p < parts; ++p) body(p);
    return;
  }
  State& s = *state_;
  std::lock_guard<std::mutex> call(s.callMutex);
  uint32_t gen;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    gen = s.generation.load() + 1;
    s.body = &body;
    s.parts = parts;
    s.remaining.store(parts);
    s.ticket.store(uint64_t(gen) << 32, std::memory_order_release);
    s.generation.store(gen, std::memory_order_release);
  }
  s.wake.notify_all();
  s.runParts(gen);
  std::unique_lock<std::mutex> lock(s.mutex);
  s.done.wait(lock, [&] { return s.remaining.load() == 0; });
}

} // namespace ravel
