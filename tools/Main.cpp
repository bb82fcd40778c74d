// The `ravel` command: REPL, script runner, explain, and --emit stage dumps.
//
//   ravel                         interactive session
//   ravel script.rv               run a script
//   ravel -e 'code'               run code given on the command line
//   ravel explain script.rv       what would run: kernels, fusion, memory
//   ravel explain --dot script.rv the same as a Graphviz graph (--svg: drawn
//                                 by Graphviz's `dot`, when installed)
//   ravel --emit=STAGE script.rv  stop after a stage and print it
//                                 (tokens ast typed graph kernels llvm asm
//                                 obj; llvm/asm/obj: every kernel in one
//                                 module, for llc, as or ld)
//   ravel --no-cache ...          compile every kernel afresh, keep none on disk
//   ravel --stats ...             after the run, print what the JIT did (stderr)
//   ravel cache --info | --clear  the persistent kernel cache (jit/DiskCache.h)
//   ravel compile script.rv -o prog
//                                 an executable that runs the script with no
//                                 LLVM at run time (aot/Compile.h)
//   ravel compile lib.rv --export 'f(float64[:])' -o libf.so (.a, .o)
//                                 a library of C functions, and its header f.h
//
// Exit status: 0 success, 1 an error in the program, 2 bad command line,
// 3 an internal error (a ravel bug).
#include "compiler/Pipeline.h"
#include "compiler/aot/Compile.h"
#include "compiler/jit/DiskCache.h"
#include "compiler/jit/KernelJit.h"
#include "tools/Repl.h"

#include <pthread.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

// Deeply nested programs recurse in the interpreter; the parser bounds the
// depth, and a roomy stack makes sure the bound is reached first.
constexpr size_t kStackBytes = size_t(256) << 20;

const char* kUsage =
    "usage: ravel [script.rv | -e CODE]\n"
    "       ravel explain [--dot | --svg] [script.rv | -e CODE]\n"
    "       ravel --emit=tokens|ast|typed|graph|kernels|llvm|asm|obj [script.rv | -e CODE]\n"
    "       ravel cache --info | --clear\n"
    "       ravel compile script.rv -o prog [--cpu=native|x86-64-v2|x86-64-v3|x86-64-v4]\n"
    "                     [--keep-object] [--verbose] [--quiet]\n"
    "       ravel compile lib.rv --export 'f(float64[:], int64)' ... -o libf.so|libf.a|f.o\n"
    "With no arguments, starts an interactive session. --no-cache compiles every\n"
    "kernel afresh and keeps none on disk (as RAVEL_NO_CACHE=1 does); --stats\n"
    "prints the kernels compiled, read from the kernel cache and reused.\n";

/// How `explain` prints: text, a Graphviz digraph, or that graph drawn as SVG.
enum class ExplainFormat { Text, Dot, Svg };

struct Invocation {
  bool explain = false;
  ExplainFormat format = ExplainFormat::Text;
  std::optional<ravel::Stage> emit;
  std::string name;
  std::string code;
  bool haveCode = false;
  bool repl = false;
  bool stats = false;
  int status = 0;
};

int usageError(const std::string& msg) {
  std::cerr << "ravel: " << msg << "\n" << kUsage;
  return 2;
}

bool readFile(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

/// Graphviz's `dot` on PATH, or empty.
std::string findDot() {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "";
  size_t begin = 0;
  while (begin <= dirs.size()) {
    size_t end = dirs.find(':', begin);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = dirs.substr(begin, end - begin);
    std::string candidate = (dir.empty() ? std::string(".") : dir) + "/dot";
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    begin = end + 1;
  }
  return "";
}

/// Pipes a digraph through `dot -Tsvg` to stdout. Exit status 2 when
/// Graphviz is missing, 3 when dot fails.
int drawSvg(const std::string& digraph) {
  std::string dot = findDot();
  if (dot.empty()) {
    std::cerr << "ravel: explain --svg needs Graphviz's `dot`, which is not on PATH "
                 "(install graphviz, or use --dot and draw it elsewhere)\n";
    return 2;
  }
  std::cout.flush();
  std::string command = "'" + dot + "' -Tsvg";
  FILE* pipe = popen(command.c_str(), "w");
  if (!pipe) {
    std::cerr << "ravel: cannot run " << dot << ": " << std::strerror(errno) << "\n";
    return 3;
  }
  std::fwrite(digraph.data(), 1, digraph.size(), pipe);
  int status = pclose(pipe);
  if (status != 0) {
    std::cerr << "ravel: " << dot << " -Tsvg failed (status " << status << ")\n";
    return 3;
  }
  return 0;
}

/// `--stats`: one line on stderr about the JIT's work in this run.
void printCompileStats(const ravel::Engine& engine) {
  const ravel::jit::CompileStats& s = engine.compileStats();
  char line[256];
  std::snprintf(line, sizeof line,
                "ravel: kernels: %lld compiled and %lld read from the kernel cache in %.1f ms; "
                "%lld reused\n",
                static_cast<long long>(s.compiled), static_cast<long long>(s.diskHits),
                s.compileMillis, static_cast<long long>(s.cacheHits));
  std::cerr << line;
}

int runInvocation(Invocation& inv) {
  if (inv.repl) return ravel::tools::runRepl(std::cin, std::cout, std::cerr);
  ravel::Engine engine;
  struct StatsAtExit {
    const Invocation& inv;
    const ravel::Engine& engine;
    ~StatsAtExit() {
      if (inv.stats) printCompileStats(engine);
    }
  } statsAtExit{inv, engine};
  try {
    if (inv.explain && inv.format == ExplainFormat::Dot) {
      std::cout << engine.explainDot(inv.name, inv.code);
    } else if (inv.explain && inv.format == ExplainFormat::Svg) {
      return drawSvg(engine.explainDot(inv.name, inv.code));
    } else if (inv.explain) {
      std::cout << engine.explain(inv.name, inv.code);
    } else if (inv.emit) {
      std::cout << engine.emit(inv.name, inv.code, *inv.emit);
    } else {
      engine.run(inv.name, inv.code, std::cout);
    }
    std::cout.flush();
    return 0;
  } catch (...) {
    return ravel::reportScriptError([&](const ravel::RavelError& e) { return engine.render(e); },
                                    std::cerr);
  }
}

void* threadMain(void* arg) {
  auto* inv = static_cast<Invocation*>(arg);
  inv->status = runInvocation(*inv);
  return nullptr;
}

int runOnBigStack(Invocation& inv) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, kStackBytes);
  pthread_t thread;
  if (pthread_create(&thread, &attr, threadMain, &inv) != 0) return runInvocation(inv);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  return inv.status;
}

std::string humanBytes(uint64_t bytes) {
  char text[32];
  if (bytes < 1024)
    std::snprintf(text, sizeof text, "%llu bytes", static_cast<unsigned long long>(bytes));
  else if (bytes < (uint64_t(1) << 20))
    std::snprintf(text, sizeof text, "%.1f KiB", double(bytes) / 1024);
  else
    std::snprintf(text, sizeof text, "%.1f MiB", double(bytes) / (1 << 20));
  return text;
}

/// `ravel cache --info | --clear`.
int cacheCommand(const std::vector<std::string>& args) {
  using ravel::jit::DiskCache;
  if (args.size() != 1 || (args[0] != "--info" && args[0] != "--clear"))
    return usageError("cache takes --info or --clear");
  const std::string where = DiskCache::defaultDirectory();
  if (where.empty()) {
    std::cerr
        << "ravel: no kernel cache: neither RAVEL_CACHE_DIR, XDG_CACHE_HOME nor HOME is set\n";
    return 1;
  }
  auto cache = DiskCache::open(where, DiskCache::defaultCapBytes());
  if (!cache) {
    std::cerr << "ravel: the kernel cache directory " << where << " cannot be created or written\n";
    return 1;
  }
  if (args[0] == "--clear") {
    const int64_t removed = cache->clear();
    std::cout << "removed " << removed << (removed == 1 ? " kernel" : " kernels") << " from "
              << cache->directory() << "\n";
    return 0;
  }
  const DiskCache::Usage u = cache->usage();
  const char* off = std::getenv("RAVEL_NO_CACHE");
  std::cout << "kernel cache: " << cache->directory() << "\n"
            << "kernels: " << u.entries << ", " << humanBytes(u.bytes) << " of "
            << humanBytes(cache->capBytes()) << " (RAVEL_CACHE_MAX_MB)\n";
  if (off && *off && std::strcmp(off, "0") != 0)
    std::cout << "turned off in this environment (RAVEL_NO_CACHE=" << off << ")\n";
  return 0;
}

/// `ravel compile script.rv -o prog`.
int compileCommand(const std::vector<std::string>& args) {
  ravel::aot::CompileRequest request;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-o") {
      if (i + 1 >= args.size()) return usageError("-o needs a file name");
      request.output = args[++i];
    } else if (a == "--export") {
      if (i + 1 >= args.size())
        return usageError("--export needs a declaration, e.g. 'f(float64[:])'");
      request.exports.push_back(args[++i]);
    } else if (a.rfind("--cpu=", 0) == 0) {
      request.cpu = a.substr(6);
    } else if (a == "--keep-object") {
      request.keepObject = true;
    } else if (a == "--verbose") {
      request.verbose = true;
    } else if (a == "--quiet") {
      request.quiet = true;
    } else if (a == "--no-cache") {
      setenv("RAVEL_NO_CACHE", "1", 1);
    } else if (!a.empty() && a[0] == '-') {
      return usageError("unknown option '" + a + "' for compile");
    } else if (!request.scriptName.empty()) {
      return usageError("compile takes one script");
    } else {
      if (!readFile(a, request.scriptText)) {
        std::cerr << "ravel: cannot open '" << a << "': " << std::strerror(errno) << "\n";
        return 2;
      }
      request.scriptName = a;
    }
  }
  if (request.scriptName.empty()) return usageError("compile needs a script");
  if (request.output.empty()) return usageError("compile needs -o OUTPUT");
  return ravel::aot::compileArtefact(request, std::cerr);
}

} // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  std::vector<std::string> args(argv + 1, argv + argc);
  Invocation inv;
  size_t i = 0;
  if (!args.empty() && args[0] == "cache")
    return cacheCommand(std::vector<std::string>(args.begin() + 1, args.end()));
  if (!args.empty() && args[0] == "compile")
    return compileCommand(std::vector<std::string>(args.begin() + 1, args.end()));
  if (i < args.size() && args[i] == "explain") {
    inv.explain = true;
    ++i;
  }
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-h" || a == "--help") {
      std::cout << kUsage;
      return 0;
    }
    if ((a == "--dot" || a == "--svg") && inv.explain) {
      inv.format = a == "--dot" ? ExplainFormat::Dot : ExplainFormat::Svg;
    } else if (a == "--dot" || a == "--svg") {
      return usageError(a + " goes with explain: ravel explain " + a + " script.rv");
    } else if (a.rfind("--emit=", 0) == 0) {
      inv.emit = ravel::parseStage(a.substr(7));
      if (!inv.emit) return usageError("unknown stage '" + a.substr(7) + "'");
      if (*inv.emit == ravel::Stage::Object && isatty(STDOUT_FILENO))
        return usageError("--emit=obj writes an ELF object file: redirect it, e.g. > kernels.o");
    } else if (a == "--stats") {
      inv.stats = true;
    } else if (a == "--no-cache") {
      // Every engine of the process, the REPL's included, reads this.
      setenv("RAVEL_NO_CACHE", "1", 1);
    } else if (a == "-e") {
      if (i + 1 >= args.size()) return usageError("-e needs an argument");
      inv.code = args[++i];
      inv.name = "<string>";
      inv.haveCode = true;
    } else if (!a.empty() && a[0] == '-' && a != "-") {
      return usageError("unknown option '" + a + "'");
    } else {
      if (inv.haveCode) return usageError("give one script or -e, not both");
      if (a == "-") {
        std::ostringstream ss;
        ss << std::cin.rdbuf();
        inv.code = ss.str();
        inv.name = "<stdin>";
      } else if (!readFile(a, inv.code)) {
        std::cerr << "ravel: cannot open '" << a << "': " << std::strerror(errno) << "\n";
        return 2;
      } else {
        inv.name = a;
      }
      inv.haveCode = true;
    }
  }
  if (!inv.haveCode) {
    if (inv.explain || inv.emit) return usageError("nothing to explain: give a script or -e CODE");
    inv.repl = true;
  }
  return runOnBigStack(inv);
}
