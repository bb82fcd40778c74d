// `ravel compile`: what an ahead-of-time executable needs is learned by
// running the program once, for real, on the JIT (the dry run of `explain`
// computes nothing, so a shape or branch that depends on data would plan
// other kernels than the real run). Every kernel the run asks for is kept
// with its cache key; the executable's object holds each one, its
// any-layout variant, the checked program in binary form and the source
// text (for error messages). The system's C++ driver links it.
#include "compiler/aot/Compile.h"

#include "compiler/aot/CpuCheck.h"
#include "compiler/aot/Signature.h"

#include "compiler/Pipeline.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/fusion/Kernel.h"
#include "compiler/jit/KernelJit.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <vector>

extern char** environ;

namespace ravel::aot {

namespace {

namespace fs = std::filesystem;

/// FNV-1a: a stable 64-bit name for an artefact's symbols.
uint64_t fnv1a(const std::string& bytes, uint64_t h = 14695981039346656037ull) {
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
  return h;
}

/// Where libravel_aot.so is: $RAVEL_AOT_LIBDIR, else beside an installed
/// ravel (<prefix>/<libdir>), else the build tree that built this ravel.
std::string runtimeLibraryDir() {
  if (const char* dir = std::getenv("RAVEL_AOT_LIBDIR"); dir && *dir) return dir;
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path installed = self.parent_path().parent_path() / RAVEL_AOT_INSTALL_LIBDIR;
    if (fs::exists(installed / "libravel_aot.so", ec)) return installed.string();
  }
  return RAVEL_AOT_BUILD_LIBDIR;
}

/// Runs argv[0] (found on PATH) and waits; the exit status, or -1 when it
/// could not be started.
int runCommand(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid;
  if (posix_spawnp(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool writeFile(const std::string& path, const std::string& bytes, std::ostream& err) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out.flush()) {
    err << "ravel: cannot write " << path << ": " << std::strerror(errno) << "\n";
    return false;
  }
  return true;
}

std::string joined(const std::vector<std::string>& args) {
  std::string s;
  for (const std::string& a : args) s += (s.empty() ? "" : " ") + a;
  return s;
}

enum class OutputKind { Executable, SharedLibrary, StaticLibrary, Object };

OutputKind outputKind(const std::string& path) {
  const std::string ext = fs::path(path).extension().string();
  return ext == ".so"  ? OutputKind::SharedLibrary
         : ext == ".a" ? OutputKind::StaticLibrary
         : ext == ".o" ? OutputKind::Object
                       : OutputKind::Executable;
}

/// A sample argument for tracing an export: 8 elements per axis, values in
/// (0, 1) for floats, 1, 2, ... for integers, alternating for bool, so that
/// logs, square roots and divisions of the samples are defined.
exec::Value sampleArgument(exec::Interpreter& interp, const ExportParam& p) {
  if (!p.isArray && p.dtype == DType::Float64) return exec::Value::ofFloat(0.5);
  if (!p.isArray && p.dtype == DType::Int64) return exec::Value::ofInt(2);
  if (!p.isArray && p.dtype == DType::Bool) return exec::Value::ofBool(true);
  Array a = Array::empty(Shape(size_t(p.rank), 8), p.dtype);
  const int64_t n = a.size();
  for (int64_t k = 0; k < n; ++k) {
    char* at = a.data() + k * itemSize(p.dtype);
    const double f = (double(k % 97) + 0.5) / 97.0;
    switch (p.dtype) {
      case DType::Bool:
        *reinterpret_cast<bool*>(at) = k % 2 == 0;
        break;
      case DType::Int32:
        *reinterpret_cast<int32_t*>(at) = int32_t(k % 97 + 1);
        break;
      case DType::Int64:
        *reinterpret_cast<int64_t*>(at) = k % 97 + 1;
        break;
      case DType::Float32:
        *reinterpret_cast<float*>(at) = float(f);
        break;
      case DType::Float64:
        *reinterpret_cast<double*>(at) = f;
        break;
    }
  }
  return interp.materializedValue(std::move(a), !p.isArray);
}

/// The generated header: the array struct and one declaration per export.
std::string headerText(const CompileRequest& request, const std::string& guard,
                       const std::vector<ExportSignature>& exports,
                       const std::vector<std::vector<std::string>>& paramNames) {
  std::ostringstream h;
  h << "/* Generated by `ravel compile " << request.scriptName << "`: do not edit.\n"
    << " *\n"
    << " * Each function runs the def of that name on caller-owned memory and returns\n"
    << " * 0 with its result in *result (release it with ravel_aot_release; a\n"
    << " * function returning None gives dtype -1), or nonzero with a message in\n"
    << " * error[0..error_size): 1 an error in the program (as ravel prints it),\n"
    << " * 2 an argument that does not match the declaration, 3 a bug in ravel.\n"
    << " * Arrays give the address of element [0, ..., 0], shape and byte strides,\n"
    << " * any layout; results may be views of the arguments. Calls into one\n"
    << " * library are serialized. Link with -lravel_aot (and -lsleef for .a/.o).\n"
    << " */\n"
    << "#ifndef " << guard << "\n#define " << guard << "\n\n"
    << "#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n\n"
    << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
    << "#ifndef RAVEL_AOT_ARRAY\n#define RAVEL_AOT_ARRAY\n"
    << "enum { RAVEL_BOOL = 0, RAVEL_INT32 = 1, RAVEL_INT64 = 2, RAVEL_FLOAT32 = 3, "
       "RAVEL_FLOAT64 = 4 };\n"
    << "typedef struct RavelAotArray {\n"
    << "  void* data;          /* element [0, ..., 0] */\n"
    << "  int32_t dtype;       /* RAVEL_BOOL ... RAVEL_FLOAT64 */\n"
    << "  int32_t ndim;        /* 0 to 32 */\n"
    << "  int64_t shape[32];\n"
    << "  int64_t strides[32]; /* in bytes, any sign */\n"
    << "  void* owner;         /* NULL for arrays you pass; set in results */\n"
    << "} ravel_array;\n"
    << "void ravel_aot_release(ravel_array* array);\n"
    << "#endif\n";
  for (size_t e = 0; e < exports.size(); ++e) {
    const ExportSignature& sig = exports[e];
    h << "\n/* " << signatureText(sig) << ": def " << sig.name << " of " << request.scriptName
      << " */\nint " << sig.name << "(";
    for (size_t k = 0; k < sig.params.size(); ++k) {
      const ExportParam& p = sig.params[k];
      std::string name = k < paramNames[e].size() ? paramNames[e][k] : "arg" + std::to_string(k);
      h << (p.isArray ? "const ravel_array* " : std::string(cScalarType(p.dtype)) + " ") << name
        << ", ";
    }
    h << "ravel_array* result, char* error, size_t error_size);\n";
  }
  h << "\n#ifdef __cplusplus\n}\n#endif\n#endif\n";
  return h.str();
}

} // namespace

int compileArtefact(const CompileRequest& request, std::ostream& err) {
  const OutputKind kind = outputKind(request.output);
  std::vector<ExportSignature> exports;
  for (const std::string& text : request.exports) {
    std::string why;
    std::optional<ExportSignature> sig = parseSignature(text, why);
    if (!sig) {
      err << "ravel: bad --export '" << text << "': " << why << "\n";
      return 2;
    }
    exports.push_back(std::move(*sig));
  }
  if (!exports.empty() && kind == OutputKind::Executable) {
    err << "ravel: --export builds a library: name the output NAME.so, NAME.a or NAME.o\n";
    return 2;
  }
  if (exports.empty() && kind != OutputKind::Executable) {
    err << "ravel: a library needs at least one --export 'f(float64[:], ...)'\n";
    return 2;
  }
  if (!knownCpu(request.cpu)) {
    err << "ravel: unknown --cpu '" << request.cpu
        << "' (native, x86-64-v2, x86-64-v3 or x86-64-v4)\n";
    return 2;
  }
  Engine engine;
  std::string program;
  std::vector<std::vector<std::string>> paramNames(exports.size());
  std::vector<fusion::Kernel> kernels; // in the order the run first asked for them
  try {
    program = engine.checkedProgram(request.scriptName, request.scriptText);
    std::map<std::string, size_t> seen;
    engine.kernelJit().setCompileObserver(
        [&](const fusion::Kernel& kernel, const std::string& key) {
          if (seen.emplace(key, kernels.size()).second) kernels.push_back(kernel);
        });
    // The executable reports the program's own errors when it runs; here the
    // run only has to reach them.
    std::ostringstream discarded;
    engine.interpreter().setWarningOutput(discarded);
    engine.interpreter().setAheadOfTime(true); // the kernels the artefact will ask for
    try {
      engine.run(request.scriptName, request.scriptText, discarded);
    } catch (const RavelError& e) {
      if (!exports.empty()) { // a library's top level runs at its first call
        err << engine.render(e);
        return 1;
      }
      // The executable will stop at the same error, unless what caused it
      // (an input file, say) is different when it runs: then it has no
      // kernels for what comes after, and says so there.
      if (!request.quiet)
        err << "ravel: warning: running " << request.scriptName
            << " to find its kernels stopped at this error; the executable has no kernels for "
               "what comes after it (make its input files exist when you compile):\n"
            << engine.render(e);
    }
    exec::Interpreter& interp = engine.interpreter();
    for (size_t e = 0; e < exports.size(); ++e) {
      const ExportSignature& sig = exports[e];
      const exec::Value* fn = interp.global(sig.name);
      if (!fn || fn->kind != exec::Value::Kind::Function) {
        err << "ravel: --export " << sig.name << ": " << request.scriptName
            << " defines no function '" << sig.name << "'\n";
        return 2;
      }
      const exec::Value callee = *fn;
      const auto& params = callee.function->params;
      for (const auto& p : params) paramNames[e].push_back(p.name);
      size_t required = 0;
      for (const auto& p : params) required += p.defaultValue == nullptr;
      if (sig.params.size() < required || sig.params.size() > params.size()) {
        err << "ravel: --export " << signatureText(sig) << ": def " << sig.name << " takes "
            << (required == params.size()
                    ? std::to_string(required)
                    : std::to_string(required) + " to " + std::to_string(params.size()))
            << " arguments\n";
        return 2;
      }
      std::vector<exec::Value> samples;
      for (const ExportParam& p : sig.params) samples.push_back(sampleArgument(interp, p));
      try {
        interp.callCompiled(callee, std::move(samples), nullptr, callee.function->span());
      } catch (const RavelError& e) {
        err << "ravel: warning: " << sig.name << "() failed on sample arguments (8 elements per "
            << "axis), so the kernels after that point are not in the library:\n"
            << engine.render(e);
      }
    }
    engine.kernelJit().setCompileObserver(nullptr);
  } catch (const RavelError& e) {
    err << engine.render(e);
    return 1;
  } catch (const InternalError& e) {
    err << "ravel: internal error (this is a bug in ravel): " << e.what() << "\n";
    return 3;
  }

  // Each kernel as the run saw it, then its any-layout variant; symbols are
  // unique to this artefact, so two artefacts link into one program.
  const std::string prefix = [&] {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx",
                  static_cast<unsigned long long>(fnv1a(program, fnv1a(request.output))));
    return "ravel_" + std::string(hex);
  }();
  std::vector<fusion::Kernel> artefactKernels;
  for (const fusion::Kernel& kernel : kernels) {
    artefactKernels.push_back(kernel);
    artefactKernels.push_back(fusion::anyLayoutVariant(kernel));
  }
  for (size_t i = 0; i < artefactKernels.size(); ++i)
    artefactKernels[i].name = prefix + "_k" + std::to_string(i);

  jit::ArtefactContents contents;
  contents.descriptorSymbol = prefix + "_artefact";
  contents.program = std::move(program);
  contents.sourceName = request.scriptName;
  contents.sourceText = request.scriptText;
  contents.withMain = kind == OutputKind::Executable;
  contents.exports = request.exports;
  const bool native = request.cpu == "native";
  contents.cpu = native ? "" : request.cpu;
  const std::string host = engine.kernelJit().targetDescription();
  contents.cpuName = native ? host.substr(0, host.find('/')) : request.cpu;
  contents.features = requiredFeatures(request.cpu);
  std::string object;
  try {
    object = engine.kernelJit().emitArtefact(artefactKernels, contents);
  } catch (const InternalError& e) {
    err << "ravel: internal error (this is a bug in ravel): " << e.what() << "\n";
    return 3;
  }

  const std::string objectPath =
      kind == OutputKind::Object ? request.output : request.output + ".o";
  if (!writeFile(objectPath, object, err)) return 2;
  if (!exports.empty()) {
    std::string stem = fs::path(request.output).stem().string();
    if (stem.rfind("lib", 0) == 0 && stem.size() > 3) stem = stem.substr(3);
    std::string guard = "RAVEL_GENERATED_";
    for (char c : stem)
      guard += std::isalnum(static_cast<unsigned char>(c)) ? char(std::toupper(c)) : '_';
    const std::string headerPath =
        (fs::path(request.output).parent_path() / (stem + ".h")).string();
    if (!writeFile(headerPath, headerText(request, guard + "_H", exports, paramNames), err))
      return 2;
  }
  if (kind == OutputKind::Object) return 0;

  const std::string libDir = runtimeLibraryDir();
  const char* cxx = std::getenv("RAVEL_CXX");
  std::vector<std::string> link;
  if (kind == OutputKind::StaticLibrary) {
    std::remove(request.output.c_str()); // ar adds to an existing archive
    link = {"ar", "rcs", request.output, objectPath};
  } else {
    link = {cxx && *cxx ? cxx : "c++"};
    if (kind == OutputKind::SharedLibrary) link.push_back("-shared");
    for (std::string a :
         {std::string("-o"), request.output, objectPath, "-L" + libDir, "-Wl,-rpath," + libDir,
          std::string("-lravel_aot"), std::string("-lsleef"), std::string("-lm")})
      link.push_back(a);
  }
  if (request.verbose)
    err << "ravel: " << kernels.size() << " kernels (" << artefactKernels.size()
        << " with their any-layout variants)\nravel: " << joined(link) << "\n";
  const int status = runCommand(link);
  if (!request.keepObject) std::remove(objectPath.c_str());
  if (status != 0) {
    err << "ravel: linking " << request.output << " failed"
        << (status < 0 ? " (cannot run " + link[0] + "; set RAVEL_CXX to a C++ compiler driver)"
                       : "")
        << ": " << joined(link) << "\n";
    return 2;
  }
  return 0;
}

} // namespace ravel::aot
