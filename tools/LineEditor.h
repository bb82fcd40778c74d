// Line editing for the REPL on a terminal, through libedit (BSD): emacs key
// bindings, history persisted to a file (a multi-line entry is one history
// entry), Ctrl-L clears the screen, Tab asks a completion function.
//
// Ctrl-C is the caller's business: it installs a SIGINT handler without
// SA_RESTART that calls requestInterrupt(); a read interrupted with the flag
// set ends the line as Interrupted.
#pragma once

#include "tools/Completion.h"

#include <functional>
#include <memory>
#include <string>

namespace ravel::tools {

class LineEditor {
public:
  enum class Status { Line, EndOfFile, Interrupted };
  struct Result {
    Status status;
    std::string text; // Line: without its trailing newline
  };
  using Completer = std::function<Completions(std::string_view beforeCursor)>;

  /// `historyPath` empty: no persistent history.
  LineEditor(std::string historyPath, Completer completer);
  ~LineEditor();
  LineEditor(const LineEditor&) = delete;
  LineEditor& operator=(const LineEditor&) = delete;

  Result readLine(const std::string& prompt);
  /// Adds a complete entry (possibly several lines) and saves the history.
  void addHistory(const std::string& entry);

  /// libedit's callbacks reach it through EL_CLIENTDATA (LineEditor.cpp).
  struct State;

private:
  std::unique_ptr<State> state_;
};

/// ~/.ravel_history, from $HOME; empty when HOME is unset.
std::string defaultHistoryPath();

} // namespace ravel::tools
