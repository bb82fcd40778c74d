// The run-time half of an ahead-of-time executable: ravel_aot_main reads the
// artefact's program back (no parser), and runs it on the interpreter with
// the artefact's precompiled kernels instead of a JIT. Output, error messages
// and exit status are those of `ravel script.rv` (tools/Main.cpp).
#include "compiler/aot/Artefact.h"

#include "compiler/diag/Diagnostic.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/frontend/AstBinary.h"
#include "compiler/fusion/KernelProvider.h"

#include <pthread.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <iostream>
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
              "): its inputs have other dtypes than when it was compiled; compile it again");
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

struct Run {
  const RavelAotArtefact* artefact;
  int status = 0;
};

int runArtefact(const RavelAotArtefact& artefact) {
  if (artefact.abi != kRavelAotAbi) {
    std::cerr << "ravel: this program was compiled by another version of ravel (artefact ABI "
              << artefact.abi << ", runtime " << kRavelAotAbi << "); compile it again\n";
    return 3;
  }
  const Source source(std::string(view(artefact.sourceName, artefact.sourceNameLength)),
                      std::string(view(artefact.sourceText, artefact.sourceTextLength)), 0);
  auto sourceOf = [&](uint32_t fileId) { return fileId == 0 ? &source : nullptr; };
  TableProvider kernels(artefact);
  exec::Interpreter interp(kernels);
  interp.setOutput(std::cout);
  interp.setLineResolver([&](Span span) { return source.lineCol(span.begin).first; });
  interp.setSourceResolver(sourceOf);
  try {
    const ast::Program program = ast::fromBinary(view(artefact.program, artefact.programLength), 0);
    interp.run(program, false);
    interp.materializeResults();
    std::cout.flush();
    return 0;
  } catch (const RavelError& e) {
    std::cout.flush();
    std::cerr << e.diagnostic().render(sourceOf);
    return 1;
  } catch (const InternalError& e) {
    std::cout.flush();
    std::cerr << "ravel: internal error (this is a bug in ravel): " << e.what() << "\n";
    return 3;
  } catch (const std::bad_alloc&) {
    std::cout.flush();
    std::cerr << "ravel: out of memory\n";
    return 1;
  }
}

void* runThread(void* arg) {
  auto* run = static_cast<Run*>(arg);
  run->status = runArtefact(*run->artefact);
  return nullptr;
}

} // namespace

} // namespace ravel::aot

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
