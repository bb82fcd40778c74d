// The interrupt flag: one lock-free atomic, so a signal handler may set it.
#include "runtime/Interrupt.h"

#include <atomic>

namespace ravel {
namespace {
std::atomic<bool> interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "signal handlers need a lock-free flag");
} // namespace

void requestInterrupt() noexcept {
  interrupted.store(true, std::memory_order_relaxed);
}

bool interruptRequested() noexcept {
  return interrupted.load(std::memory_order_relaxed);
}

void clearInterrupt() noexcept {
  interrupted.store(false, std::memory_order_relaxed);
}

void throwIfInterrupted() {
  if (interruptRequested()) throw RuntimeError(ErrorKind::KeyboardInterrupt, "KeyboardInterrupt");
}

} // namespace ravel
