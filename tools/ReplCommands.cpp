// The REPL's commands and its error reporting. Every entry runs inside one
// try: a user error is rendered with its caret, Ctrl-C (a KeyboardInterrupt
// error) prints `KeyboardInterrupt`, and in both cases the session goes on
// with the variables bound before the failed statement.
#include "tools/ReplCommands.h"

#include "compiler/sema/Names.h"
#include "runtime/Interrupt.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

namespace ravel::tools {
namespace {

const char* kHelp =
    "ravel: NumPy-style array code, fused and compiled.\n"
    "  :explain CODE   run CODE and describe the kernels it ran\n"
    "  :vars           the session's variables (a table on a terminal)\n"
    "  %whos           table of variables: type, dtype, shape, bytes, lazy or in memory\n"
    "  %run FILE       run a script into the session\n"
    "  %time STMT      run a statement once and print its CPU and wall time\n"
    "  %timeit STMT    time a statement (IPython's format)\n"
    "  help(NAME)      signature and summary of a builtin, or what a variable holds\n"
    "  NAME?           the same as help(NAME)\n"
    "  _               the last echoed value\n"
    "  :help           this list\n"
    "  :quit           leave (or Ctrl-D)\n"
    "On a terminal: Tab completes, Up/Down walk the history (~/.ravel_history),\n"
    "Ctrl-L clears the screen, Ctrl-C clears the line or stops a computation.\n";

bool startsWith(const std::string& s, const char* p) {
  return s.rfind(p, 0) == 0;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

bool isDottedName(const std::string& s) {
  if (s.empty() || s.front() == '.' || s.back() == '.' || std::isdigit((unsigned char)s[0]))
    return false;
  for (char c : s)
    if (!std::isalnum((unsigned char)c) && c != '_' && c != '.') return false;
  return true;
}

std::string formatShape(const std::vector<int64_t>& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + (shape.size() == 1 ? ",)" : ")");
}

/// IPython's time format: three significant digits in s, ms, µs or ns.
std::string formatSeconds(double s) {
  const char* unit = "s";
  double v = s;
  if (s < 1e-6) {
    unit = "ns";
    v = s * 1e9;
  } else if (s < 1e-3) {
    unit = "\xc2\xb5s";
    v = s * 1e6;
  } else if (s < 1) {
    unit = "ms";
    v = s * 1e3;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g %s", v, unit);
  return buf;
}

double cpuSeconds(int who, bool system) {
  rusage u{};
  getrusage(who, &u);
  const timeval& t = system ? u.ru_stime : u.ru_utime;
  return double(t.tv_sec) + double(t.tv_usec) * 1e-6;
}

} // namespace

ReplSession::ReplSession(std::ostream& out, std::ostream& err, bool terminal)
    : out_(out), err_(err), terminal_(terminal) {}

bool ReplSession::runLineCommand(const std::string& rawLine, bool& quit) {
  const std::string line = trim(rawLine);
  if (line == ":quit" || line == ":q" || line == "exit()" || line == "quit()") {
    quit = true;
    return true;
  }
  if (line == ":help") {
    out_ << kHelp << std::flush;
    return true;
  }
  if (line == ":vars") {
    printVariables(terminal_);
    return true;
  }
  if (line == "%whos") {
    printVariables(true);
    return true;
  }
  if (startsWith(line, "%run")) {
    std::string path = trim(line.substr(4));
    if (path.size() >= 2 && (path.front() == '"' || path.front() == '\'') &&
        path.back() == path.front())
      path = path.substr(1, path.size() - 2);
    if (path.empty())
      err_ << "%run: give a script, e.g. %run script.rv\n" << std::flush;
    else
      runFile(path);
    return true;
  }
  // help(name) and name?
  std::string topic;
  if (startsWith(line, "help(") && line.back() == ')') {
    topic = trim(line.substr(5, line.size() - 6));
    if (topic.empty()) {
      out_ << kHelp << std::flush;
      return true;
    }
    if (!isDottedName(topic)) {
      err_ << "help: give a name, e.g. help(sqrt) or help(x)\n" << std::flush;
      return true;
    }
  } else if (line.size() > 1 && line.back() == '?' &&
             isDottedName(line.substr(0, line.size() - 1))) {
    topic = line.substr(0, line.size() - 1);
  }
  if (!topic.empty()) {
    printHelp(topic);
    return true;
  }
  if (line.size() > 1 && line[0] == ':' && !startsWith(line, ":explain")) {
    std::string cmd = line.substr(0, line.find_first_of(" \t"));
    err_ << "unknown command '" << cmd << "' (:help lists them)\n" << std::flush;
    return true;
  }
  return false;
}

void ReplSession::runEntry(const std::string& entry) {
  std::string code = entry;
  if (startsWith(code, ":explain")) {
    code = code.substr(8);
    code.erase(0, code.find_first_not_of(" \t"));
    runCode("<stdin-" + std::to_string(++counter_) + ">", code, true, true);
  } else if (startsWith(code, "%time ") || startsWith(code, "%time\t") ||
             startsWith(code, "%time\n")) {
    timeEntry(code.substr(5));
  } else {
    runCode("<stdin-" + std::to_string(++counter_) + ">", code, true, false);
  }
}

void ReplSession::runCode(const std::string& name, const std::string& code, bool echo,
                          bool explain) {
  try {
    if (explain)
      out_ << engine_.runAndExplain(name, code, out_);
    else
      engine_.run(name, code, out_, echo, /*finish=*/false);
    out_.flush();
  } catch (const RavelError& e) {
    out_.flush();
    if (e.diagnostic().kind == ErrorKind::KeyboardInterrupt)
      err_ << "KeyboardInterrupt\n" << std::flush;
    else
      err_ << engine_.render(e) << std::flush;
  } catch (const RuntimeError& e) {
    out_.flush();
    if (e.kind() == ErrorKind::KeyboardInterrupt)
      err_ << "KeyboardInterrupt\n" << std::flush;
    else
      err_ << errorKindName(e.kind()) << " error: " << e.what() << "\n" << std::flush;
  } catch (const InternalError& e) {
    out_.flush();
    err_ << "ravel: internal error (this is a bug in ravel): " << e.what() << "\n" << std::flush;
  } catch (const std::bad_alloc&) {
    err_ << "ravel: out of memory\n" << std::flush;
  }
  clearInterrupt();
}

void ReplSession::timeEntry(const std::string& rest) {
  std::string code = rest;
  code.erase(0, code.find_first_not_of(" \t"));
  if (trim(code).empty()) {
    err_ << "%time: give a statement, e.g. %time s = sum(x)\n" << std::flush;
    return;
  }
  const double user0 = cpuSeconds(RUSAGE_SELF, false), sys0 = cpuSeconds(RUSAGE_SELF, true);
  const auto wall0 = std::chrono::steady_clock::now();
  runCode("<stdin-" + std::to_string(++counter_) + ">", code, true, false);
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  const double user = cpuSeconds(RUSAGE_SELF, false) - user0;
  const double sys = cpuSeconds(RUSAGE_SELF, true) - sys0;
  out_ << "CPU times: user " << formatSeconds(user) << ", sys: " << formatSeconds(sys)
       << ", total: " << formatSeconds(user + sys) << "\nWall time: " << formatSeconds(wall) << "\n"
       << std::flush;
}

void ReplSession::runFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    err_ << "%run: cannot open '" << path << "'\n" << std::flush;
    return;
  }
  std::ostringstream text;
  text << in.rdbuf();
  runCode(path, text.str(), /*echo=*/false, /*explain=*/false);
}

void ReplSession::printVariables(bool table) {
  std::vector<std::string> names = engine_.variables(); // `_` is not listed
  if (!table) {
    for (const std::string& v : names) out_ << v << "\n";
    out_.flush();
    return;
  }
  if (names.empty()) {
    out_ << "Interactive namespace is empty.\n" << std::flush;
    return;
  }
  std::vector<std::vector<std::string>> rows = {
      {"Variable", "Type", "DType", "Shape", "Bytes", "Data/Info"}};
  for (const std::string& n : names) {
    std::optional<VariableInfo> v = engine_.variable(n);
    if (!v) continue;
    bool array = !v->dtype.empty() && v->value.empty();
    std::string info = array ? (v->lazy ? "lazy (not computed yet)" : "in memory") : v->value;
    if (info.size() > 40) info = info.substr(0, 37) + "...";
    rows.push_back({n, v->type, v->dtype, array ? formatShape(v->shape) : "",
                    array ? std::to_string(v->bytes) : "", info});
  }
  std::vector<size_t> width(rows[0].size(), 0);
  for (const auto& r : rows)
    for (size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
  std::vector<std::string> lines;
  for (const auto& r : rows) {
    std::string line;
    for (size_t c = 0; c < r.size(); ++c) {
      std::string pad(width[c] - r[c].size(), ' ');
      line += c == 4 ? pad + r[c] : r[c] + pad; // bytes right-aligned
      if (c + 1 < r.size()) line += "  ";
    }
    lines.push_back(line.substr(0, line.find_last_not_of(' ') + 1));
  }
  size_t longest = 0;
  for (const std::string& l : lines) longest = std::max(longest, l.size());
  out_ << lines[0] << "\n" << std::string(longest, '-') << "\n";
  for (size_t i = 1; i < lines.size(); ++i) out_ << lines[i] << "\n";
  out_.flush();
}

void ReplSession::printHelp(const std::string& name) {
  // A variable first (it shadows a builtin of the same name), then x.attr of
  // an array variable, then the builtin table.
  if (std::optional<VariableInfo> v = engine_.variable(name)) {
    out_ << name << ": " << v->type;
    if (!v->dtype.empty() && v->type != v->dtype) {
      out_ << ", dtype " << v->dtype << ", shape " << formatShape(v->shape) << ", " << v->bytes
           << " bytes, " << (v->lazy ? "lazy (not computed yet)" : "in memory");
    } else if (!v->value.empty()) {
      out_ << (v->type == "function" ? " " : " = ") << v->value;
    }
    out_ << "\n" << std::flush;
    return;
  }
  std::string key = name;
  if (size_t dot = name.rfind('.'); dot != std::string::npos) {
    std::optional<VariableInfo> object = engine_.variable(name.substr(0, dot));
    if (object && (object->type == "ndarray" || object->type == "memmap"))
      key = "ndarray." + name.substr(dot + 1);
  }
  if (std::optional<sema::BuiltinDoc> d = sema::builtinDoc(key)) {
    out_ << d->signature << "\n    " << d->doc << "\n" << std::flush;
    return;
  }
  std::vector<std::string> candidates = sema::builtinNames();
  for (const std::string& v : engine_.variables()) candidates.push_back(v);
  std::string hint = sema::suggestName(name, candidates);
  err_ << "help: no builtin or variable named '" << name << "'" << (hint.empty() ? "" : "; ")
       << hint << "\n"
       << std::flush;
}

CompletionScope ReplSession::completionScope() {
  CompletionScope scope;
  scope.variables = engine_.variables();
  if (engine_.variable("_")) scope.variables.push_back("_");
  scope.typeOf = [this](const std::string& name) -> std::optional<std::string> {
    std::optional<VariableInfo> v = engine_.variable(name);
    if (!v) return std::nullopt;
    return v->type;
  };
  return scope;
}

} // namespace ravel::tools
