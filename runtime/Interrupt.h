// Interrupt: a process-wide "stop what you are doing" flag, set from a
// SIGINT handler (the REPL installs one) and polled by long-running loops
// between chunks of work. Polling only — nothing is cancelled asynchronously,
// so whoever sees the flag unwinds from a point where no kernel is half-built
// and no lock is held. Script runs never set it (SIGINT keeps its default).
#pragma once

#include "runtime/Error.h"

namespace ravel {

/// Async-signal-safe: may be called from a signal handler.
void requestInterrupt() noexcept;
/// Cheap enough to poll every few thousand elements.
bool interruptRequested() noexcept;
/// Clears the flag (the REPL does, before each input).
void clearInterrupt() noexcept;
/// Throws RuntimeError(KeyboardInterrupt) when the flag is set. The flag
/// stays set, so every enclosing loop unwinds too.
void throwIfInterrupted();

} // namespace ravel
