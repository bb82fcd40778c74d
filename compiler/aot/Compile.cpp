// `ravel compile`: what an ahead-of-time executable needs is learned by
// running the program once, for real, on the JIT (the dry run of `explain`
// computes nothing, so a shape or branch that depends on data would plan
// other kernels than the real run). Every kernel the run asks for is kept
// with its cache key; the executable's object holds each one, its
// any-layout variant, the checked program in binary form and the source
// text (for error messages). The system's C++ driver links it.
#include "compiler/aot/Compile.h"

#include "compiler/Pipeline.h"
#include "compiler/exec/Interpreter.h"
#include "compiler/fusion/Kernel.h"
#include "compiler/jit/KernelJit.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

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
/// ravel (<prefix>/lib), else the build tree that built this ravel.
std::string runtimeLibraryDir() {
  if (const char* dir = std::getenv("RAVEL_AOT_LIBDIR"); dir && *dir) return dir;
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path installed = self.parent_path().parent_path() / "lib";
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

std::string joined(const std::vector<std::string>& args) {
  std::string s;
  for (const std::string& a : args) s += (s.empty() ? "" : " ") + a;
  return s;
}

} // namespace

int compileExecutable(const CompileRequest& request, std::ostream& err) {
  Engine engine;
  std::string program;
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
    try {
      engine.run(request.scriptName, request.scriptText, discarded);
    } catch (const RavelError&) {
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
  contents.withMain = true;
  std::string object;
  try {
    object = engine.kernelJit().emitArtefact(artefactKernels, contents);
  } catch (const InternalError& e) {
    err << "ravel: internal error (this is a bug in ravel): " << e.what() << "\n";
    return 3;
  }

  const std::string objectPath = request.output + ".o";
  {
    std::ofstream out(objectPath, std::ios::binary | std::ios::trunc);
    out.write(object.data(), static_cast<std::streamsize>(object.size()));
    if (!out.flush()) {
      err << "ravel: cannot write " << objectPath << ": " << std::strerror(errno) << "\n";
      return 2;
    }
  }
  const std::string libDir = runtimeLibraryDir();
  const char* cxx = std::getenv("RAVEL_CXX");
  std::vector<std::string> link{
      cxx && *cxx ? cxx : "c++", "-o",          request.output, objectPath, "-L" + libDir,
      "-Wl,-rpath," + libDir,    "-lravel_aot", "-lsleef",      "-lm"};
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
