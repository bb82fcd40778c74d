// A small fork-join pool. Each job gets a generation number; a single atomic
// ticket holds the generation, the job's part count and the next part, so a
// worker decides from one word whether a part of the job it woke up for is
// left, and claims it with a compare-exchange of that word: a late worker
// of a finished job can neither claim a part of the next job nor see the
// next job's part count with the old job's ticket. Workers spin briefly
// before sleeping on a condition variable.
#include "runtime/ThreadPool.h"

#include "runtime/Error.h"

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

namespace ravel {

namespace {

// Ticket layout: generation (24 bits) | parts (20 bits) | next part (20 bits).
constexpr uint64_t kPartBits = 20, kPartMask = (uint64_t(1) << kPartBits) - 1;
constexpr uint32_t kGenerationMask = (uint32_t(1) << 24) - 1;

struct Ticket {
  uint32_t generation;
  uint64_t parts, next;
};

uint64_t packTicket(uint32_t generation, uint64_t parts) {
  return uint64_t(generation & kGenerationMask) << (2 * kPartBits) | parts << kPartBits;
}

Ticket unpackTicket(uint64_t t) {
  return {uint32_t(t >> (2 * kPartBits)) & kGenerationMask, (t >> kPartBits) & kPartMask,
          t & kPartMask};
}

} // namespace

struct ThreadPool::State {
  std::mutex mutex;
  std::condition_variable wake, done;
  std::atomic<uint64_t> ticket{0};     // see packTicket
  std::atomic<uint32_t> generation{0}; // the current job
  std::atomic<int> remaining{0};       // parts of the current job not finished
  std::atomic<const std::function<void(int)>*> body{nullptr};
  bool stop = false;
  std::vector<std::thread> workers;
  std::mutex callMutex; // one parallelFor at a time

  /// Claims and runs parts of job `gen` until none are left.
  void runParts(uint32_t gen) {
    for (;;) {
      uint64_t t = ticket.load(std::memory_order_acquire);
      Ticket k = unpackTicket(t);
      if (k.generation != (gen & kGenerationMask) || k.next >= k.parts) return;
      if (!ticket.compare_exchange_weak(t, t + 1, std::memory_order_acq_rel)) continue;
      // The claim succeeded on an unfinished job, so the caller is still
      // waiting for it and `body` is still that job's.
      (*body.load(std::memory_order_acquire))(int(k.next));
      if (remaining.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::lock_guard<std::mutex> lock(mutex);
        done.notify_all();
      }
    }
  }
};

namespace {
constexpr int kSpinIterations = 2000; // ~0.1 ms of pause instructions
/// The calling thread's cap on usable(); 0 means none.
thread_local int tlsThreadLimit = 0;
} // namespace

int ThreadPool::usable() const {
  return tlsThreadLimit > 0 && tlsThreadLimit < size_ ? tlsThreadLimit : size_;
}

ThreadPool::Limit::Limit(int threads) : previous_(tlsThreadLimit) {
  if (threads > 0) tlsThreadLimit = threads;
}

ThreadPool::Limit::~Limit() {
  tlsThreadLimit = previous_;
}

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
  RAVEL_CHECK(uint64_t(parts) <= kPartMask, "parallelFor: too many parts for the ticket");
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
    s.remaining.store(parts);
    s.ticket.store(packTicket(gen, uint64_t(parts)), std::memory_order_release);
    s.generation.store(gen, std::memory_order_release);
  }
  s.wake.notify_all();
  s.runParts(gen);
  std::unique_lock<std::mutex> lock(s.mutex);
  s.done.wait(lock, [&] { return s.remaining.load() == 0; });
}

} // namespace ravel
