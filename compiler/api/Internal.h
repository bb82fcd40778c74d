// The library side of the public API (include/ravel): the internal types
// behind its pimpls, and conversions between the two worlds.
//
// The public classes live in the inline namespace ravel::embed, so after the
// public headers are included `ravel::Array` is ambiguous here. The internal
// types are therefore named through aliases declared BEFORE those headers:
// include this file first (and no internal header after it).
#pragma once

#include "compiler/Pipeline.h"
#include "compiler/diag/Diagnostic.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/exec/Value.h"
#include "runtime/Array.h"
#include "runtime/DType.h"
#include "runtime/Error.h"
#include "runtime/ThreadPool.h"

namespace ravel::api {
using RtArray = ::ravel::Array;
using RtDType = ::ravel::DType;
using RtErrorKind = ::ravel::ErrorKind;
using RtValue = ::ravel::exec::Value;
using Shape = ::ravel::Shape;
using Strides = ::ravel::Strides;
using Session = ::ravel::Engine; // compiler/Pipeline.h's engine
} // namespace ravel::api

#include "ravel/ravel.h"

#include <ostream>

namespace ravel {
inline namespace embed {

struct Array::Impl {
  api::RtArray array;
  bool hostMemory = false; // wrapped host memory (a view in NumPy's sense)
};

struct Engine::Impl {
  explicit Impl(const EngineSettings& settings) : session(settings) {}
  api::Session session;
  std::ostream* out = nullptr;
  exec::Interpreter& interp() { return session.interpreter(); }
};

} // namespace embed

namespace api {

/// A span for errors the host's own call causes (no ravel source to show).
constexpr Span kHostSpan{~0u, 0, 0};

RtDType toInternal(embed::DType t);
embed::DType toPublic(RtDType t);
embed::Array toPublic(RtArray a, bool hostMemory = false);
/// A host value as an interpreter value (arrays bound without a copy).
RtValue toInternal(const embed::Value& v, exec::Interpreter& interp);
/// An interpreter value for the host: lazy arrays are computed.
embed::Value toPublic(const RtValue& v, exec::Interpreter& interp, Span span);

/// Called inside a catch handler: rethrows the exception in flight as
/// ravel::Error (rendered against `session`'s sources when one is given).
[[noreturn]] void rethrowAsError(const Session* session);

/// Runs `body` so that no exception but ravel::Error leaves the API.
/// Kernels it runs use at most the session's `threads` setting.
template <class Body> auto guarded(const Session* session, Body&& body) -> decltype(body()) {
  try {
    ThreadPool::Limit threads(session ? session->settings().threads : 0);
    return body();
  } catch (const embed::Error&) {
    throw;
  } catch (...) {
    rethrowAsError(session);
  }
}
[[noreturn]] void throwError(embed::ErrorKind kind, const std::string& message);

} // namespace api
} // namespace ravel
