// The compiler's front door: source text in, printed results out. One Engine
// is one session (a script run, or a REPL with its variables).
//
//   parse (frontend) -> check (sema) -> run: the interpreter grows the lazy
//   graph, and whenever a value is needed, fuse (fusion) -> compile (codegen
//   + jit, cached) -> execute (runtime's strided loops).
//
// Every step is logged under RAVEL_DEBUG=2 and timed under RAVEL_TIME_PASSES=1.
#pragma once

#include "compiler/diag/Diagnostic.h"

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ravel {

namespace exec {
class Interpreter;
}
namespace jit {
class KernelJit;
struct CompileStats;
} // namespace jit
namespace ast {
struct Program;
}

/// Where `--emit=` stops.
enum class Stage { Tokens, Ast, Typed, Graph, Kernels, LLVM, Asm, Object };
std::optional<Stage> parseStage(std::string_view name);

/// How an Engine compiles and runs (the embedding API's EngineOptions).
struct EngineSettings {
  int optLevel = 3;               // LLVM's optimisation level for kernels, 0..3
  size_t kernelCacheCapacity = 0; // compiled kernels kept; 0: the JIT's default
  int threads = 0;                // threads a kernel may use; 0: the whole pool
  bool persistentCache = true;    // compiled kernels kept on disk between runs
};

/// One session variable, as the REPL's %whos and help(name) show it.
struct VariableInfo {
  std::string name;
  std::string type;           // Python's type name: "ndarray", "int", "function", ...
  std::string dtype;          // arrays and NumPy scalars: "float64"; else empty
  std::vector<int64_t> shape; // arrays
  int64_t bytes = 0;          // arrays: nbytes (what materializing it takes)
  bool lazy = false;          // an array whose memory was never computed
  std::string value;          // scalars, strings, tuples: the repr; else empty
};

class Engine {
public:
  explicit Engine(const EngineSettings& settings = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /// Parses, checks and runs a program. Prints go to `out`; with `echo`, the
  /// value of each expression statement is printed like Python's REPL.
  /// `finish` computes the program's results (the lazy values nothing else
  /// uses), as a script run does at its end. Throws RavelError.
  void run(const std::string& name, const std::string& text, std::ostream& out, bool echo = false,
           bool finish = true);
  /// Dry run: plans every kernel without running one, and describes what the
  /// program would compute, fuse, allocate and never materialize.
  std::string explain(const std::string& name, const std::string& text);
  /// explain's dry run as a Graphviz digraph: one cluster per kernel, the
  /// arrays it reads and writes as boxes (views dashed), bytes on the edges.
  std::string explainDot(const std::string& name, const std::string& text);
  /// REPL's :explain: runs the code for real (echoing like the REPL) and
  /// describes the kernels it ran.
  std::string runAndExplain(const std::string& name, const std::string& text, std::ostream& out);
  /// Runs the pipeline up to `stage` and returns that stage's text form.
  std::string emit(const std::string& name, const std::string& text, Stage stage);

  /// Parses and checks a program without running it, and returns it in the
  /// binary form an ahead-of-time artefact carries (frontend/AstBinary.h).
  std::string checkedProgram(const std::string& name, const std::string& text);
  /// The JIT behind this engine (`ravel compile` records and emits kernels).
  jit::KernelJit& kernelJit() { return *jit_; }

  /// file:line:col, the line and a caret, for an error from this engine.
  std::string render(const RavelError& error) const;
  /// Names bound in the session (without `_`, the last value the REPL echoed).
  std::vector<std::string> variables() const;
  /// What a session variable holds, without computing a lazy array; nullopt
  /// when the name is not bound.
  std::optional<VariableInfo> variable(const std::string& name);
  /// Kernels compiled / served from the cache so far.
  /// (kernels brought into the JIT: compiled or read from the disk cache,
  /// kernel requests served by kernels already in it).
  std::pair<int64_t, int64_t> kernelStats() const;
  /// Of the kernels brought into the JIT, those read from the disk cache.
  int64_t kernelsFromDisk() const;
  /// Everything the JIT counted (ravel --stats prints it).
  const jit::CompileStats& compileStats() const;
  const EngineSettings& settings() const { return settings_; }
  /// The interpreter and the sources, for the embedding API (compiler/api).
  exec::Interpreter& interpreter() { return *interp_; }
  const Source* source(uint32_t fileId) const {
    auto it = sources_.find(fileId);
    return it == sources_.end() ? nullptr : it->second.get();
  }

private:
  const Source& addSource(const std::string& name, const std::string& text);
  const ast::Program& parseAndCheck(const Source& source);
  /// explain's dry run; returns the first launch and note it recorded.
  std::pair<size_t, size_t> dryRun(const std::string& name, const std::string& text);
  std::string describeLaunches(const std::string& name, size_t firstLaunch, size_t firstNote) const;

  EngineSettings settings_;
  std::unique_ptr<jit::KernelJit> jit_;
  std::unique_ptr<exec::Interpreter> interp_;
  /// Forgets a run's source and AST once nothing can refer to them (see run).
  void dropSource(uint32_t fileId);

  // By file id (a Span's fileId). Ids are never reused, so a stale span
  // cannot point into a later source.
  std::unordered_map<uint32_t, std::unique_ptr<Source>> sources_;
  uint32_t nextFileId_ = 0;
  // Function bodies are referenced by values, so a program that defines a
  // function lives as long as the session; others are dropped after run().
  std::unordered_map<uint32_t, std::unique_ptr<ast::Program>> programs_;
};

} // namespace ravel
