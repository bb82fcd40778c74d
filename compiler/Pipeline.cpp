// The pipeline as a recipe: parse, check, run (graph -> fuse -> jit ->
// execute happen inside the interpreter whenever a value is needed).
#include "compiler/Pipeline.h"

#include "compiler/exec/Interpreter.h"
#include "compiler/frontend/AstBinary.h"
#include "compiler/frontend/Parse.h"
#include "compiler/jit/KernelJit.h"
#include "compiler/sema/Check.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <sstream>

namespace ravel {

namespace {

int debugLevel() {
  static int level = [] {
    const char* v = std::getenv("RAVEL_DEBUG");
    return v ? std::atoi(v) : 0;
  }();
  return level;
}

bool timePasses() {
  static bool on = [] {
    const char* v = std::getenv("RAVEL_TIME_PASSES");
    return v && *v && *v != '0';
  }();
  return on;
}

/// Runs one pipeline step, logging and timing it when asked.
template <class F> auto step(const char* name, F&& f) {
  auto t0 = std::chrono::steady_clock::now();
  if (debugLevel() >= 2) std::fprintf(stderr, "[ravel] %s\n", name);
  struct Report {
    const char* name;
    std::chrono::steady_clock::time_point t0;
    ~Report() {
      if (timePasses()) {
        double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                        .count();
        std::fprintf(stderr, "[ravel] %-8s %8.3f ms\n", name, ms);
      }
    }
  } report{name, t0};
  return f();
}

std::string typeOf(const exec::Value& v) {
  if (!v.isArray()) return exec::typeName(v);
  const exec::ArrayObject& a = *v.array;
  std::string s = std::string(dtypeName(a.dtype())) + formatShapeCompact(a.shape());
  if (a.isScalar) s += " scalar";
  return s + (a.materialized() ? " (materialized)" : " (lazy)");
}

} // namespace

std::optional<Stage> parseStage(std::string_view name) {
  static const std::pair<const char*, Stage> stages[] = {
      {"tokens", Stage::Tokens}, {"ast", Stage::Ast},         {"typed", Stage::Typed},
      {"graph", Stage::Graph},   {"kernels", Stage::Kernels}, {"llvm", Stage::LLVM},
      {"asm", Stage::Asm},       {"obj", Stage::Object}};
  for (const auto& [n, s] : stages)
    if (name == n) return s;
  return std::nullopt;
}

Engine::Engine(const EngineSettings& settings)
    : settings_(settings),
      jit_(jit::KernelJit::create(settings.optLevel, settings.persistentCache)),
      interp_(std::make_unique<exec::Interpreter>(*jit_)) {
  if (settings.kernelCacheCapacity > 0) jit_->setCacheCapacity(settings.kernelCacheCapacity);
  interp_->setOutput(std::cout);
  interp_->setLineResolver([this](Span span) {
    const Source* source = this->source(span.fileId);
    return source ? source->lineCol(span.begin).first : 0;
  });
  interp_->setSourceResolver([this](uint32_t fileId) { return source(fileId); });
}

Engine::~Engine() = default;

const Source& Engine::addSource(const std::string& name, const std::string& text) {
  const uint32_t id = nextFileId_++;
  auto& slot = sources_[id];
  slot = std::make_unique<Source>(name, text, id);
  return *slot;
}

const ast::Program& Engine::parseAndCheck(const Source& source) {
  auto program = step("parse", [&] { return std::make_unique<ast::Program>(parse(source)); });
  if (debugLevel() >= 2) std::fprintf(stderr, "%s", ast::dump(*program).c_str());
  step("check", [&] {
    sema::check(*program, interp_->globalNames());
    return 0;
  });
  auto& slot = programs_[source.fileId()];
  slot = std::move(program);
  return *slot;
}

void Engine::run(const std::string& name, const std::string& text, std::ostream& out, bool echo,
                 bool finish) {
  const Source& source = addSource(name, text);
  const ast::Program& program = parseAndCheck(source);
  interp_->setOutput(out);
  interp_->setDryRun(false);
  step("run", [&] {
    interp_->run(program, echo);
    if (finish) interp_->materializeResults();
    return 0;
  });
  // A host calling run() in a loop must not grow without bound: once a
  // program ran, only a function it defined (def, or lambda) still points
  // into its AST, so a program without either is forgotten. (A failed run
  // keeps its source: the caller renders the error against it; so does a
  // run without `finish`, whose launches the REPL's :explain describes.)
  // A later error in a value this program left lazy renders without a caret.
  if (finish && text.find("def") == std::string::npos && text.find("lambda") == std::string::npos)
    dropSource(source.fileId());
}

void Engine::dropSource(uint32_t fileId) {
  programs_.erase(fileId);
  sources_.erase(fileId);
}

std::string Engine::checkedProgram(const std::string& name, const std::string& text) {
  const Source& source = addSource(name, text);
  std::string binary = ast::toBinary(parseAndCheck(source));
  dropSource(source.fileId());
  return binary;
}

std::string Engine::explain(const std::string& name, const std::string& text) {
  auto [firstLaunch, firstNote] = dryRun(name, text);
  return describeLaunches(name, firstLaunch, firstNote);
}

std::string Engine::explainDot(const std::string& name, const std::string& text) {
  auto [firstLaunch, firstNote] = dryRun(name, text);
  return interp_->describeDot("explain " + name, firstLaunch, firstNote);
}

std::pair<size_t, size_t> Engine::dryRun(const std::string& name, const std::string& text) {
  const Source& source = addSource(name, text);
  const ast::Program& program = parseAndCheck(source);
  std::ostringstream sink;
  interp_->setOutput(sink);
  interp_->setDryRun(true);
  interp_->setRecording(true);
  size_t firstLaunch = interp_->launches().size(), firstNote = interp_->notes().size();
  interp_->run(program, false);
  interp_->materializeResults();
  interp_->setDryRun(false);
  return {firstLaunch, firstNote};
}

std::string Engine::runAndExplain(const std::string& name, const std::string& text,
                                  std::ostream& out) {
  size_t firstLaunch = interp_->launches().size(), firstNote = interp_->notes().size();
  interp_->setRecording(true);
  try {
    run(name, text, out, true, false);
  } catch (...) {
    interp_->setRecording(false);
    throw;
  }
  interp_->setRecording(false);
  return describeLaunches(name, firstLaunch, firstNote);
}

std::string Engine::describeLaunches(const std::string& name, size_t firstLaunch,
                                     size_t firstNote) const {
  return "explain " + name + ": " + interp_->describe(firstLaunch, firstNote, true);
}

std::string Engine::emit(const std::string& name, const std::string& text, Stage stage) {
  const Source& source = addSource(name, text);
  if (stage == Stage::Tokens) return dumpTokens(source);
  if (stage == Stage::Ast) return ast::dump(parse(source));
  const ast::Program& program = parseAndCheck(source);
  std::ostringstream sink;
  interp_->setOutput(sink);
  interp_->setDryRun(true);
  interp_->setRecording(true);
  std::ostringstream os;
  size_t firstLaunch = interp_->launches().size();
  if (stage == Stage::Typed) {
    for (const ast::StmtPtr& s : program.body) {
      interp_->runStatement(*s, false);
      int line = source.lineCol(s->span().begin).first;
      os << line << ": " << source.lineText(line) << "\n";
      std::vector<std::string> bound;
      if (ast::isa<ast::AssignStmt>(*s))
        for (const ast::ExprPtr& t : ast::cast<ast::AssignStmt>(*s).targets)
          if (ast::isa<ast::NameExpr>(*t)) bound.push_back(ast::cast<ast::NameExpr>(*t).id);
      if (ast::isa<ast::AugAssignStmt>(*s) &&
          ast::isa<ast::NameExpr>(*ast::cast<ast::AugAssignStmt>(*s).target))
        bound.push_back(ast::cast<ast::NameExpr>(*ast::cast<ast::AugAssignStmt>(*s).target).id);
      for (const std::string& b : bound)
        if (const exec::Value* v = interp_->global(b))
          os << "    " << b << ": " << typeOf(*v) << "\n";
    }
    interp_->setDryRun(false);
    return os.str();
  }
  interp_->run(program, false);
  if (stage == Stage::Graph) {
    for (const auto& [n, root] : interp_->lazyRoots()) {
      os << "# " << n << "\n" << graph::dump({root});
    }
    interp_->setDryRun(false);
    return os.str();
  }
  interp_->materializeResults();
  interp_->setDryRun(false);
  const auto& launches = interp_->launches();
  if (stage == Stage::Kernels) {
    for (size_t i = firstLaunch; i < launches.size(); ++i)
      os << launches[i].text << (i + 1 < launches.size() ? "\n" : "");
    return os.str();
  }
  // The machine-code stages: every kernel the program launched, in one module.
  std::vector<fusion::Kernel> kernels;
  for (size_t i = firstLaunch; i < launches.size(); ++i) kernels.push_back(launches[i].kernel);
  using Format = jit::KernelJit::ProgramFormat;
  return jit_->emitProgram(kernels, stage == Stage::LLVM  ? Format::LLVM
                                    : stage == Stage::Asm ? Format::Asm
                                                          : Format::Object);
}

std::string Engine::render(const RavelError& error) const {
  return error.diagnostic().render([this](uint32_t fileId) { return source(fileId); });
}

std::vector<std::string> Engine::variables() const {
  std::vector<std::string> names = interp_->globalNames();
  std::erase(names, "_"); // the REPL's last echoed value, not a variable of the user's
  return names;
}

namespace {

const char* pythonTypeName(const exec::Value& v) {
  using K = exec::Value::Kind;
  switch (v.kind) {
    case K::None:
      return "NoneType";
    case K::Bool:
      return "bool";
    case K::Int:
      return "int";
    case K::Float:
      return "float";
    case K::Str:
      return "str";
    case K::Tuple:
      return "tuple";
    case K::List:
      return "list";
    case K::Array:
      return v.array->isMemmap ? "memmap" : "ndarray";
    case K::Function:
      return "function";
    case K::Builtin:
      return "builtin_function";
    case K::Module:
      return "module";
    case K::DTypeObj:
      return "dtype";
    case K::Slice:
      return "slice";
    case K::Ellipsis:
      return "ellipsis";
    case K::Method:
      return "method";
    case K::Range:
      return "range";
    case K::Flags:
      return "flagsobj";
    case K::Generator:
      return "Generator";
    case K::RandomState:
      return "RandomState";
    case K::Grid:
    case K::MachInfo:
    case K::Imaginary:
      return exec::typeName(v); // MGridClass, OGridClass, iinfo, finfo, complex
    default:
      break;
  }
  return "object";
}

} // namespace

std::optional<VariableInfo> Engine::variable(const std::string& name) {
  const exec::Value* v = interp_->global(name);
  if (!v) return std::nullopt;
  VariableInfo info;
  info.name = name;
  info.type = pythonTypeName(*v);
  if (v->isArray()) {
    const exec::ArrayObject& a = *v->array;
    info.dtype = std::string(dtypeName(a.dtype()));
    if (a.isScalar) info.type = info.dtype; // a NumPy scalar: np.float64
    info.shape.assign(a.shape().begin(), a.shape().end());
    info.bytes = checkedSize(a.shape()) * int64_t(itemSize(a.dtype()));
    info.lazy = !a.materialized();
    if (a.isScalar && a.materialized()) info.value = interp_->repr(*v);
    return info;
  }
  using K = exec::Value::Kind;
  switch (v->kind) {
    case K::None:
    case K::Bool:
    case K::Int:
    case K::Float:
    case K::Str:
    case K::DTypeObj:
    case K::Range:
    case K::MachInfo:
      info.value = interp_->repr(*v);
      break;
    case K::Function:
      info.value = v->function ? v->function->name : "";
      break;
    default:
      break;
  }
  return info;
}

std::pair<int64_t, int64_t> Engine::kernelStats() const {
  return {jit_->stats().compiled + jit_->stats().diskHits, jit_->stats().cacheHits};
}

int64_t Engine::kernelsFromDisk() const {
  return jit_->stats().diskHits;
}

const jit::CompileStats& Engine::compileStats() const {
  return jit_->stats();
}

} // namespace ravel
