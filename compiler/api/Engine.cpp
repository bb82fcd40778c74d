// ravel::Engine and ravel::Function of the public API: a session of the
// compiler's pipeline (compiler/Pipeline.h) driven through its interpreter,
// plus the conversions and the error translation every entry point uses.
#include "compiler/api/Internal.h"

#include <iostream>
#include <new>
#include <tuple>

namespace ravel {
namespace api {

RtDType toInternal(embed::DType t) {
  switch (t) {
    case embed::DType::Bool:
      return RtDType::Bool;
    case embed::DType::Int32:
      return RtDType::Int32;
    case embed::DType::Int64:
      return RtDType::Int64;
    case embed::DType::Float32:
      return RtDType::Float32;
    case embed::DType::Float64:
      return RtDType::Float64;
  }
  return RtDType::Float64;
}

embed::DType toPublic(RtDType t) {
  switch (t) {
    case RtDType::Bool:
      return embed::DType::Bool;
    case RtDType::Int32:
      return embed::DType::Int32;
    case RtDType::Int64:
      return embed::DType::Int64;
    case RtDType::Float32:
      return embed::DType::Float32;
    case RtDType::Float64:
      return embed::DType::Float64;
  }
  return embed::DType::Float64;
}

embed::Array toPublic(RtArray a, bool hostMemory) {
  auto impl = std::make_shared<embed::Array::Impl>();
  impl->array = std::move(a);
  impl->hostMemory = hostMemory;
  return embed::Array(std::move(impl));
}

RtValue toInternal(const embed::Value& v, exec::Interpreter& interp) {
  switch (v.kind()) {
    case embed::Value::Kind::None:
      return RtValue::none();
    case embed::Value::Kind::Bool:
      return RtValue::ofBool(v.toBool());
    case embed::Value::Kind::Int:
      return RtValue::ofInt(v.toInt());
    case embed::Value::Kind::Float:
      return RtValue::ofFloat(v.toDouble());
    case embed::Value::Kind::Str:
      return RtValue::ofStr(v.str());
    case embed::Value::Kind::Tuple: {
      std::vector<RtValue> items;
      for (const embed::Value& item : v.items()) items.push_back(toInternal(item, interp));
      return RtValue::ofTuple(std::move(items));
    }
    case embed::Value::Kind::Array: {
      const auto& impl = v.array().impl();
      if (!impl) throwError(embed::ErrorKind::Value, "empty ravel::Array (no array bound to it)");
      return interp.materializedValue(impl->array);
    }
  }
  return RtValue::none();
}

embed::Value toPublic(const RtValue& v, exec::Interpreter& interp, Span span) {
  using K = RtValue::Kind;
  switch (v.kind) {
    case K::None:
      return {};
    case K::Bool:
      return embed::Value(v.b);
    case K::Int:
      if (v.big) throwError(embed::ErrorKind::Value, "a Python int beyond int64 for the host");
      return embed::Value(v.i);
    case K::Float:
      return embed::Value(v.f);
    case K::Str:
      return embed::Value(v.name);
    case K::Tuple:
    case K::List: {
      std::vector<embed::Value> items;
      for (const RtValue& item : v.items) items.push_back(toPublic(item, interp, span));
      return embed::Value::tuple(std::move(items));
    }
    case K::Array: {
      RtArray a = interp.materialize(v.array, span);
      const bool host = a.buffer() && !a.buffer()->owned();
      return embed::Value(toPublic(std::move(a), host));
    }
    default:
      break;
  }
  throwError(embed::ErrorKind::Type, "a value of this kind (function, module, ...) cannot be "
                                     "handed to the host");
}

[[noreturn]] void throwError(embed::ErrorKind kind, const std::string& message) {
  static const char* const names[] = {"syntax", "name",   "type", "shape",   "value",
                                      "index",  "memory", "file", "runtime", "internal"};
  throw embed::Error(kind, message, std::string(names[int(kind)]) + " error: " + message,
                     embed::SourceSpan{});
}

namespace {

embed::ErrorKind toPublic(RtErrorKind k) {
  // The public enum lists the kinds up to Runtime in the same order; the
  // later internal kinds have no public counterpart (LinAlg would otherwise
  // read as Internal).
  if (int(k) <= int(RtErrorKind::Runtime)) return embed::ErrorKind(int(k));
  return embed::ErrorKind::Runtime;
}

} // namespace

void rethrowAsError(const Session* session) {
  try {
    throw;
  } catch (const RavelError& e) {
    const Diagnostic& d = e.diagnostic();
    embed::SourceSpan span;
    std::string rendered;
    if (const Source* source = session ? session->source(d.span.fileId) : nullptr) {
      span.file = source->name();
      std::tie(span.line, span.column) = source->lineCol(d.span.begin);
      span.begin = d.span.begin;
      span.end = d.span.end;
    }
    rendered = session ? session->render(e)
                       : std::string(errorKindName(d.kind)) + " error: " + d.message + "\n";
    throw embed::Error(toPublic(d.kind), d.message, rendered, span);
  } catch (const RuntimeError& e) {
    throwError(toPublic(e.kind()), e.what());
  } catch (const std::bad_alloc&) {
    throwError(embed::ErrorKind::Memory, "out of memory");
  } catch (const InternalError& e) {
    throwError(embed::ErrorKind::Internal,
               std::string("internal error (a ravel bug): ") + e.what());
  } catch (const std::exception& e) {
    throwError(embed::ErrorKind::Runtime, e.what());
  } catch (...) {
    throwError(embed::ErrorKind::Runtime, "unknown exception");
  }
}

} // namespace api

inline namespace embed {

Engine::Engine() : Engine(EngineOptions{}) {}

Engine::Engine(const EngineOptions& options) {
  if (options.threads < 0) api::throwError(ErrorKind::Value, "EngineOptions::threads must be >= 0");
  if (options.optimizationLevel < 0 || options.optimizationLevel > 3)
    api::throwError(ErrorKind::Value, "EngineOptions::optimizationLevel must be 0, 1, 2 or 3");
  EngineSettings settings;
  settings.threads = options.threads;
  settings.kernelCacheCapacity = options.kernelCacheCapacity;
  settings.optLevel = options.optimizationLevel;
  settings.persistentCache = options.persistentKernelCache;
  impl_ = api::guarded(nullptr, [&] { return std::make_shared<Impl>(settings); });
}
Engine::~Engine() = default;
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;

void Engine::setOutput(std::ostream& out) {
  impl_->out = &out;
}

void Engine::set(std::string_view name, const Value& value) {
  api::guarded(&impl_->session, [&] {
    impl_->interp().bindGlobal(std::string(name), api::toInternal(value, impl_->interp()));
  });
}

Value Engine::get(std::string_view name) {
  return api::guarded(&impl_->session, [&] {
    const api::RtValue* v = impl_->interp().global(std::string(name));
    if (!v) api::throwError(ErrorKind::Name, "name '" + std::string(name) + "' is not defined");
    const api::RtValue keep = *v; // materialize may rebind the global
    return api::toPublic(keep, impl_->interp(), api::kHostSpan);
  });
}

void Engine::run(std::string_view code, std::string_view file) {
  api::guarded(&impl_->session, [&] {
    impl_->session.run(std::string(file), std::string(code), impl_->out ? *impl_->out : std::cout);
  });
}

Value Engine::eval(std::string_view expression) {
  // The expression runs as an assignment to a reserved-looking global, which
  // is then read and dropped (a host variable of that name would be lost).
  static const std::string kResult = "__ravel_eval_result";
  run(kResult + " = (" + std::string(expression) + ")", "<eval>");
  Value v;
  try {
    v = get(kResult);
  } catch (...) {
    impl_->interp().unbindGlobal(kResult);
    throw;
  }
  impl_->interp().unbindGlobal(kResult);
  return v;
}

Function Engine::function(std::string_view name) {
  return api::guarded(&impl_->session, [&] {
    const api::RtValue* v = impl_->interp().global(std::string(name));
    if (!v || v->kind != api::RtValue::Kind::Function)
      api::throwError(ErrorKind::Name,
                      "no function '" + std::string(name) + "' (a def) in the engine");
    return Function(impl_, std::string(name));
  });
}

Function Engine::compile(std::string_view source, std::string_view file) {
  const std::vector<std::string> before = impl_->session.variables();
  run(source, file);
  // The last def the source bound: the source's text order decides.
  std::string last;
  size_t lastPos = 0;
  for (const std::string& name : impl_->session.variables()) {
    const api::RtValue* v = impl_->interp().global(name);
    if (!v || v->kind != api::RtValue::Kind::Function) continue;
    size_t pos = std::string_view(source).rfind("def " + name);
    if (pos != std::string_view::npos && (last.empty() || pos >= lastPos))
      last = name, lastPos = pos;
  }
  if (last.empty()) api::throwError(ErrorKind::Value, "compile(): the source defines no function");
  return function(last);
}

int64_t Engine::kernelsCompiled() const {
  return impl_->session.kernelStats().first;
}
int64_t Engine::kernelCacheHits() const {
  return impl_->session.kernelStats().second;
}
int64_t Engine::kernelsFromDisk() const {
  return impl_->session.kernelsFromDisk();
}
int64_t Engine::callsReplayed() const {
  return impl_->interp().callsReplayed();
}

namespace {

/// Calls the engine's function `name` (still a function in its globals) on
/// host values and computes its result (into `target` when given); the span
/// of its `def` is where a failure of the call points. Repeated calls of one
/// signature replay the first one's kernels (compiler/exec/CallPlan.h).
api::RtValue callByName(exec::Interpreter& interp, const std::string& name,
                        const std::vector<Value>& args, const api::RtArray* target, Span& defSpan) {
  const api::RtValue* fn = interp.global(name);
  if (!fn || fn->kind != api::RtValue::Kind::Function)
    api::throwError(ErrorKind::Name, "function '" + name + "' is no longer defined");
  const api::RtValue callee = *fn;
  defSpan = callee.function->span();
  std::vector<api::RtValue> in;
  in.reserve(args.size());
  for (const Value& a : args) in.push_back(api::toInternal(a, interp));
  return interp.callCompiled(callee, std::move(in), target, defSpan);
}

} // namespace

Value Function::call(std::vector<Value> args) const {
  exec::Interpreter& interp = engine_->interp();
  return api::guarded(&engine_->session, [&] {
    Span defSpan;
    api::RtValue result = callByName(interp, name_, args, nullptr, defSpan);
    return api::toPublic(result, interp, defSpan);
  });
}

void Function::callInto(const Array& out, std::vector<Value> args) const {
  exec::Interpreter& interp = engine_->interp();
  api::guarded(&engine_->session, [&] {
    if (!out.impl()) api::throwError(ErrorKind::Value, "empty ravel::Array as out");
    const api::RtArray& target = out.impl()->array;
    if (!target.writeable()) api::throwError(ErrorKind::Value, "the out array is read-only");
    Span defSpan;
    callByName(interp, name_, args, &target, defSpan);
  });
}

} // namespace embed
} // namespace ravel
