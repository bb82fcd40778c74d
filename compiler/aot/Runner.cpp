// The run-time half of an ahead-of-time executable: ravel_aot_main reads the
// artefact's program back (no parser), and runs it on the interpreter with
// the artefact's precompiled kernels instead of a JIT. Output, error messages
// and exit status are those of `ravel script.rv` (tools/Main.cpp).
#include "compiler/aot/Artefact.h"
#include "compiler/aot/CpuCheck.h"
#include "compiler/aot/Signature.h"

#include "compiler/diag/Diagnostic.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/frontend/AstBinary.h"
#include "compiler/fusion/KernelProvider.h"

#include <pthread.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>

namespace ravel::aot {

namespace {

// As tools/Main.cpp: deep programs recurse in the interpreter.
constexpr size_t kStackBytes = size_t(256) << 20;

std::string_view view(const char* data, uint64_t length) {
  return {data, static_cast<size_t>(length)};
}

/// Kernels from the artefact's table. A kernel whose layouts the
/// compile-time run did not see runs its any-layout variant; a kernel the
/// table lacks altogether (its dtypes changed, e.g. a file the program loads
/// holds another dtype now) is an error at the operation that needs it.
class TableProvider final : public fusion::KernelProvider {
public:
  explicit TableProvider(const RavelAotArtefact& artefact) : artefact_(artefact) {
    const char* v = std::getenv("RAVEL_AOT_ANY_LAYOUT");
    anyLayoutOnly_ = v && *v && std::strcmp(v, "0") != 0;
  }

  InnerLoopFn compile(const fusion::Kernel& kernel) override {
    if (!anyLayoutOnly_)
      if (InnerLoopFn fn = find(kernel.cacheKey())) return fn;
    if (InnerLoopFn fn = find(fusion::anyLayoutVariant(kernel).cacheKey())) return fn;
    Span where = kernel.spans.empty() ? Span{} : kernel.spans.front();
    raise(ErrorKind::Type, where,
          "this program was compiled ahead of time without a kernel for this operation on "
          "these dtypes (" +
              describeInputs(kernel) +
              "): the run that compiled it did not get here with them (an input file missing "
              "then, or holding other dtypes now); compile it again");
  }

  int64_t evictions() const override { return 0; } // the table is never freed

private:
  InnerLoopFn find(std::string_view key) const {
    const RavelAotKernel* begin = artefact_.kernels;
    const RavelAotKernel* end = begin + artefact_.kernelCount;
    const RavelAotKernel* it =
        std::lower_bound(begin, end, key, [](const RavelAotKernel& k, std::string_view want) {
          return view(k.key, k.keyLength) < want;
        });
    if (it == end || view(it->key, it->keyLength) != key) return nullptr;
    return reinterpret_cast<InnerLoopFn>(it->function);
  }

  static std::string describeInputs(const fusion::Kernel& kernel) {
    std::string s;
    for (DType d : kernel.inputs) s += (s.empty() ? "" : ", ") + std::string(dtypeName(d));
    return s.empty() ? "no array inputs" : s;
  }

  const RavelAotArtefact& artefact_;
  bool anyLayoutOnly_ = false; // RAVEL_AOT_ANY_LAYOUT=1: tests the variants
};

/// Empty when this CPU has every extension the artefact's code may use;
/// else why it cannot run.
std::string cpuProblem(const RavelAotArtefact& artefact) {
  const std::string missing =
      missingFeatures(std::string(view(artefact.features, artefact.featuresLength)));
  if (missing.empty()) return "";
  return "this program was compiled for " + std::string(view(artefact.cpu, artefact.cpuLength)) +
         " and needs " + missing +
         ", which this CPU lacks; compile it again with --cpu=x86-64-v2 (or the level this CPU "
         "has)";
}

struct Run {
  const RavelAotArtefact* artefact;
  int status = 0;
};

/// The interpreter of one artefact: its program's source for messages, its
/// kernel table, and the interpreter in ahead-of-time mode printing to
/// std::cout.
struct ArtefactSession {
  explicit ArtefactSession(const RavelAotArtefact& artefact)
      : source(std::string(view(artefact.sourceName, artefact.sourceNameLength)),
               std::string(view(artefact.sourceText, artefact.sourceTextLength)), 0),
        kernels(artefact), interp(kernels) {
    interp.setAheadOfTime(true);
    interp.setOutput(std::cout);
    interp.setLineResolver([this](Span span) { return source.lineCol(span.begin).first; });
    interp.setSourceResolver([this](uint32_t fileId) { return sourceOf(fileId); });
  }
  const Source* sourceOf(uint32_t fileId) const { return fileId == 0 ? &source : nullptr; }
  std::string render(const RavelError& e) const {
    return e.diagnostic().render([this](uint32_t fileId) { return sourceOf(fileId); });
  }

  const Source source;
  TableProvider kernels;
  exec::Interpreter interp;
};

int runArtefact(const RavelAotArtefact& artefact) {
  if (artefact.abi != kRavelAotAbi) {
    std::cerr << "ravel: this program was compiled by another version of ravel (artefact ABI "
              << artefact.abi << ", runtime " << kRavelAotAbi << "); compile it again\n";
    return 3;
  }
  if (std::string problem = cpuProblem(artefact); !problem.empty()) {
    std::cerr << "ravel: " << problem << "\n";
    return 1;
  }
  ArtefactSession session(artefact);
  try {
    const ast::Program program = ast::fromBinary(view(artefact.program, artefact.programLength), 0);
    session.interp.run(program, false);
    session.interp.materializeResults();
    std::cout.flush();
    return 0;
  } catch (...) {
    return reportScriptError([&](const RavelError& e) { return session.render(e); }, std::cerr);
  }
}

void* runThread(void* arg) {
  auto* run = static_cast<Run*>(arg);
  run->status = runArtefact(*run->artefact);
  return nullptr;
}

/// An artefact used as a library: one interpreter, made at the first call of
/// any of its exported functions (which runs the module's top level: its
/// defs and globals), serving every later call, one at a time.
struct Library {
  explicit Library(const RavelAotArtefact& artefact) : session(artefact) {}
  std::mutex mutex;
  ArtefactSession session;
  ast::Program program;
  bool started = false;
  std::string startError; // the top level failed: every call reports it
  std::map<const RavelAotExport*, ExportSignature> signatures;
};

Library& libraryOf(const RavelAotArtefact& artefact) {
  static std::mutex mutex;
  static std::map<const RavelAotArtefact*, std::unique_ptr<Library>> libraries;
  std::lock_guard<std::mutex> lock(mutex);
  auto& slot = libraries[&artefact];
  if (!slot) slot = std::make_unique<Library>(artefact);
  return *slot;
}

int report(int status, const std::string& message, char* error, size_t errorSize) {
  if (error && errorSize > 0) {
    const size_t n = std::min(message.size(), errorSize - 1);
    std::memcpy(error, message.data(), n);
    error[n] = '\0';
  }
  return status;
}

/// The interpreter value of argument k, checked against its declaration.
exec::Value argumentValue(Library& lib, const ExportSignature& sig, size_t k, void* arg) {
  const ExportParam& p = sig.params[k];
  const std::string what = sig.name + "(): argument " + std::to_string(k + 1);
  if (!p.isArray) {
    switch (p.dtype) {
      case DType::Bool:
        return exec::Value::ofBool(*static_cast<const bool*>(arg));
      case DType::Int64:
        return exec::Value::ofInt(*static_cast<const int64_t*>(arg));
      case DType::Float64:
        return exec::Value::ofFloat(*static_cast<const double*>(arg));
      case DType::Int32:
        return lib.session.interp.materializedValue(
            Array::scalar(Scalar::ofInt(*static_cast<const int32_t*>(arg), DType::Int32)), true);
      case DType::Float32:
        return lib.session.interp.materializedValue(
            Array::scalar(Scalar::ofFloat(*static_cast<const float*>(arg), DType::Float32)), true);
    }
  }
  const auto* a = static_cast<const RavelAotArray*>(arg);
  if (!a) throw std::invalid_argument(what + " is a null pointer");
  if (a->dtype < 0 || a->dtype >= kNumDTypes || a->ndim < 0 || a->ndim > kRavelAotMaxDims)
    throw std::invalid_argument(what + " has dtype code " + std::to_string(a->dtype) + " and " +
                                std::to_string(a->ndim) + " dimensions: not an array");
  const DType dtype = static_cast<DType>(a->dtype);
  if (dtype != p.dtype || a->ndim != p.rank)
    throw std::invalid_argument(what + " is " + std::string(dtypeName(dtype)) + " with " +
                                std::to_string(a->ndim) + " dimensions; declared " + paramText(p));
  Shape shape(a->shape, a->shape + a->ndim);
  Strides strides(a->strides, a->strides + a->ndim);
  return lib.session.interp.materializedValue(Array::borrowView(a->data, shape, strides, dtype));
}

void fillResult(const Array& array, RavelAotArray& result) {
  if (array.shape().size() > size_t(kRavelAotMaxDims))
    throw std::invalid_argument("the result has more than 32 dimensions");
  result.data = array.data();
  result.dtype = static_cast<int32_t>(array.dtype());
  result.ndim = static_cast<int32_t>(array.shape().size());
  for (int d = 0; d < result.ndim; ++d) {
    result.shape[d] = array.shape()[d];
    result.strides[d] = array.strides()[d];
  }
  result.owner = new Array(array);
}

int callExport(Library& lib, const RavelAotArtefact& artefact, const RavelAotExport& function,
               void* const* args, RavelAotArray& result, char* error, size_t errorSize) {
  std::lock_guard<std::mutex> lock(lib.mutex);
  result = RavelAotArray{};
  result.dtype = -1;
  auto sig = lib.signatures.find(&function);
  if (sig == lib.signatures.end()) {
    std::string why;
    std::optional<ExportSignature> parsed =
        parseSignature(std::string(view(function.signature, function.signatureLength)), why);
    if (!parsed) return report(3, "corrupt export declaration: " + why, error, errorSize);
    sig = lib.signatures.emplace(&function, std::move(*parsed)).first;
  }
  try {
    if (!lib.started) {
      lib.started = true;
      try {
        lib.program = ast::fromBinary(view(artefact.program, artefact.programLength), 0);
        lib.session.interp.run(lib.program, false);
      } catch (const RavelError& e) {
        lib.startError = lib.session.render(e);
      }
    }
    if (!lib.startError.empty()) return report(1, lib.startError, error, errorSize);
    const exec::Value* callee = lib.session.interp.global(sig->second.name);
    if (!callee || callee->kind != exec::Value::Kind::Function)
      return report(1, "the program defines no function '" + sig->second.name + "'", error,
                    errorSize);
    const exec::Value fn = *callee;
    std::vector<exec::Value> values;
    try {
      for (size_t k = 0; k < sig->second.params.size(); ++k)
        values.push_back(argumentValue(lib, sig->second, k, args[k]));
    } catch (const std::invalid_argument& e) {
      return report(2, e.what(), error, errorSize);
    } catch (const RuntimeError& e) {
      return report(2, sig->second.name + "(): " + e.what(), error, errorSize);
    }
    const Span span = fn.function->span();
    exec::Value returned = lib.session.interp.callCompiled(fn, std::move(values), nullptr, span);
    using K = exec::Value::Kind;
    switch (returned.kind) {
      case K::None:
        return 0;
      case K::Bool:
        fillResult(Array::scalar(Scalar::ofBool(returned.b)), result);
        return 0;
      case K::Int:
        if (returned.big) break;
        fillResult(Array::scalar(Scalar::ofInt(returned.i)), result);
        return 0;
      case K::Float:
        fillResult(Array::scalar(Scalar::ofFloat(returned.f)), result);
        return 0;
      case K::Array:
        fillResult(lib.session.interp.materialize(returned.array, span), result);
        return 0;
      default:
        break;
    }
    return report(1,
                  sig->second.name + "() returned a " + exec::typeName(returned) +
                      "; an exported function returns one array, a number or None",
                  error, errorSize);
  } catch (const RavelError& e) {
    return report(1, lib.session.render(e), error, errorSize);
  } catch (const InternalError& e) {
    return report(3, std::string("internal error (this is a bug in ravel): ") + e.what(), error,
                  errorSize);
  } catch (const std::bad_alloc&) {
    return report(1, "out of memory", error, errorSize);
  } catch (const std::invalid_argument& e) {
    return report(1, e.what(), error, errorSize);
  }
}

} // namespace

} // namespace ravel::aot

extern "C" int ravel_aot_call(const RavelAotArtefact* artefact, const RavelAotExport* function,
                              void* const* args, RavelAotArray* result, char* error,
                              size_t errorSize) {
  using namespace ravel::aot;
  if (!result) return report(2, "the result pointer is null", error, errorSize);
  if (artefact->abi != kRavelAotAbi)
    return report(3, "this library was compiled by another version of ravel; compile it again",
                  error, errorSize);
  if (std::string problem = cpuProblem(*artefact); !problem.empty())
    return report(1, problem, error, errorSize);
  return callExport(libraryOf(*artefact), *artefact, *function, args, *result, error, errorSize);
}

extern "C" void ravel_aot_release(RavelAotArray* array) {
  if (!array) return;
  delete static_cast<ravel::Array*>(array->owner);
  array->owner = nullptr;
  array->data = nullptr;
}

extern "C" int ravel_aot_main(int /*argc*/, char** /*argv*/, const RavelAotArtefact* artefact) {
  std::ios::sync_with_stdio(false);
  ravel::aot::Run run{artefact};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, ravel::aot::kStackBytes);
  pthread_t thread;
  if (pthread_create(&thread, &attr, ravel::aot::runThread, &run) != 0)
    return ravel::aot::runArtefact(*artefact);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  return run.status;
}
