// The REPL's session: runs complete entries (code, or a command) against
// one Engine and reports errors, so the input loop (Repl.cpp) only gathers
// lines. Commands:
//   :help  :vars  :quit  :explain CODE  %whos  %run FILE  %time CODE
//   help(name)  name?  (and %timeit, which is part of the language)
#pragma once

#include "compiler/Pipeline.h"
#include "tools/Completion.h"

#include <iosfwd>
#include <string>

namespace ravel::tools {

class ReplSession {
public:
  /// `terminal`: output goes to a person (tables for :vars), not a pipe.
  ReplSession(std::ostream& out, std::ostream& err, bool terminal);

  /// A command the first line of an entry is, run at once (it takes no
  /// continuation lines); false when the line is code or `:explain`/`%time`.
  /// Sets `quit` on :quit.
  bool runLineCommand(const std::string& line, bool& quit);
  /// Runs a complete entry: code, `:explain CODE` or `%time CODE`.
  void runEntry(const std::string& code);

  /// The names and types completion needs.
  CompletionScope completionScope();

private:
  void runCode(const std::string& name, const std::string& code, bool echo, bool explain);
  void printHelp(const std::string& name);
  void printVariables(bool table);
  void runFile(const std::string& path);
  void timeEntry(const std::string& code);

  Engine engine_;
  std::ostream& out_;
  std::ostream& err_;
  bool terminal_;
  int counter_ = 0;
};

} // namespace ravel::tools
