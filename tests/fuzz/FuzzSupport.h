// Shared by the fuzz targets: what counts as a failure. User errors
// (RavelError, the runtime's RuntimeError) are the expected answer to bad
// input; anything else escaping a target (an InternalError from a failed
// RAVEL_CHECK, std::bad_alloc, any other exception) aborts, which libFuzzer
// and the replay tests report as a crash.
#pragma once

#include "compiler/diag/Diagnostic.h"
#include "runtime/Error.h"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

namespace ravel::fuzz {

/// Prints what escaped and aborts.
[[noreturn]] inline void unexpected(const char* target, const char* what) {
  std::fprintf(stderr, "%s: unexpected exception: %s\n", target, what);
  std::fflush(stderr);
  std::abort();
}

/// Runs `body`, accepting the user-error exceptions it may throw (passed to
/// `onError` for checking) and aborting on any other.
template <class Body, class OnError>
void expectUserErrors(const char* target, Body body, OnError onError) {
  try {
    body();
  } catch (const RavelError& e) {
    onError(e);
  } catch (const RuntimeError& e) {
    unexpected(target, (std::string("RuntimeError without a span: ") + e.what()).c_str());
  } catch (const InternalError& e) {
    unexpected(target, (std::string("InternalError: ") + e.what()).c_str());
  } catch (const std::exception& e) {
    unexpected(target, e.what());
  } catch (...) {
    unexpected(target, "a non-std exception");
  }
}

} // namespace ravel::fuzz
