#include "tools/Repl.h"

#include "compiler/Pipeline.h"
#include "compiler/frontend/Parse.h"

#include <unistd.h>

#include <iostream>
#include <string>

namespace ravel::tools {
namespace {

const char* kHelp = "ravel: NumPy-style array code, fused and compiled.\n"
                    "  :explain CODE   run CODE and describe the kernels it ran\n"
                    "  :vars           list the session's variables\n"
                    "  :quit           leave (or Ctrl-D)\n"
                    "  %timeit STMT    time a statement (IPython's format)\n";

bool startsWith(const std::string& s, const char* p) {
  return s.rfind(p, 0) == 0;
}

} // namespace

int runRepl(std::istream& in, std::ostream& out, std::ostream& err) {
  bool interactive = isatty(STDIN_FILENO);
  // Prompts go to the terminal; a piped session keeps stdout clean.
  std::ostream& prompt = interactive ? out : err;
  if (interactive) out << "ravel 0.1 — NumPy names are in scope. :help for commands.\n";
  Engine engine;
  int counter = 0;
  std::string buffer, line;
  for (;;) {
    prompt << (buffer.empty() ? ">>> " : "... ") << std::flush;
    if (!std::getline(in, line)) {
      if (interactive) out << "\n";
      break;
    }
    if (buffer.empty()) {
      if (line == ":quit" || line == ":q" || line == "exit()" || line == "quit()") break;
      if (line == ":help") {
        out << kHelp;
        continue;
      }
      if (line == ":vars") {
        for (const std::string& v : engine.variables()) out << v << "\n";
        continue;
      }
    }
    buffer += line + "\n";
    if (needsMoreInput(buffer)) continue;
    std::string code;
    code.swap(buffer);
    if (code.find_first_not_of(" \t\n") == std::string::npos) continue;
    bool explain = startsWith(code, ":explain");
    if (explain) {
      code = code.substr(8);
      code.erase(0, code.find_first_not_of(" \t"));
    }
    std::string name = "<stdin-" + std::to_string(++counter) + ">";
    try {
      if (explain)
        out << engine.runAndExplain(name, code, out);
      else
        engine.run(name, code, out, /*echo=*/true, /*finish=*/false);
      out.flush();
    } catch (const RavelError& e) {
      out.flush();
      err << engine.render(e) << std::flush;
    } catch (const InternalError& e) {
      out.flush();
      err << "ravel: internal error (this is a bug in ravel): " << e.what() << "\n" << std::flush;
    } catch (const std::bad_alloc&) {
      err << "ravel: out of memory\n" << std::flush;
    }
  }
  return 0;
}

} // namespace ravel::tools
