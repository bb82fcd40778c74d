// The REPL's input loop: gathers lines into complete entries (a statement,
// a block ended by a blank line, or a command) and hands them to the
// session (ReplCommands.cpp).
//
// On a terminal, lines come from libedit (LineEditor.cpp) and Ctrl-C is
// caught: at the prompt it drops the line, during a computation it sets the
// interrupt flag that kernels and loops poll (runtime/Interrupt.h). From a
// pipe, lines come from std::getline, prompts go to stderr and SIGINT keeps
// its default, exactly as a script run.
#include "tools/Repl.h"

#include "compiler/frontend/Parse.h"
#include "runtime/Interrupt.h"
#include "tools/LineEditor.h"
#include "tools/ReplCommands.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <iostream>
#include <string>

namespace ravel::tools {
namespace {

pthread_t replThread;

/// Sets the flag, and makes sure the REPL's own thread sees the signal: a
/// process-directed SIGINT may land on any thread, and only a signal on the
/// REPL's thread interrupts its blocking read at the prompt.
extern "C" void onInterrupt(int) {
  requestInterrupt();
  if (!pthread_equal(pthread_self(), replThread)) pthread_kill(replThread, SIGINT);
}

void installInterruptHandler() {
  replThread = pthread_self();
  struct sigaction sa {};
  sa.sa_handler = onInterrupt;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0; // no SA_RESTART: a blocking read returns EINTR
  sigaction(SIGINT, &sa, nullptr);
}

/// Collects lines until they form a complete entry. A line that arrives
/// holding several lines (a multi-line history entry recalled and
/// submitted) is complete by itself: its block needs no closing blank line.
class EntryBuffer {
public:
  bool empty() const { return text_.empty(); }
  void clear() { text_.clear(); }
  /// Adds a line; returns true when the entry is complete.
  bool add(const std::string& line) {
    text_ += line + "\n";
    if (!needsMoreInput(text_)) return true;
    if (line.find('\n') != std::string::npos && !needsMoreInput(text_ + "\n")) {
      text_ += "\n";
      return true;
    }
    return false;
  }
  std::string take() {
    std::string t;
    t.swap(text_);
    return t;
  }

private:
  std::string text_;
};

bool isBlank(const std::string& s) {
  return s.find_first_not_of(" \t\r\n") == std::string::npos;
}

/// History keeps an entry as typed, without the blank line that ended it.
std::string historyText(std::string entry) {
  while (!entry.empty() && (entry.back() == '\n' || entry.back() == ' ')) entry.pop_back();
  return entry;
}

int runInteractive(std::ostream& out, std::ostream& err) {
  out << "ravel 0.1 — NumPy names are in scope. :help for commands.\n" << std::flush;
  ReplSession session(out, err, /*terminal=*/true);
  LineEditor editor(defaultHistoryPath(), [&](std::string_view beforeCursor) {
    return complete(beforeCursor, session.completionScope());
  });
  installInterruptHandler();
  EntryBuffer buffer;
  for (;;) {
    clearInterrupt();
    LineEditor::Result r = editor.readLine(buffer.empty() ? ">>> " : "... ");
    if (r.status == LineEditor::Status::EndOfFile) {
      out << "\n" << std::flush;
      break;
    }
    if (r.status == LineEditor::Status::Interrupted) {
      out << "\n" << std::flush; // a fresh prompt; a half-typed block is dropped too
      buffer.clear();
      continue;
    }
    if (buffer.empty()) {
      bool quit = false;
      if (session.runLineCommand(r.text, quit)) {
        editor.addHistory(r.text);
        if (quit) break;
        continue;
      }
    }
    if (!buffer.add(r.text)) continue;
    std::string entry = buffer.take();
    if (isBlank(entry)) continue;
    editor.addHistory(historyText(entry));
    clearInterrupt();
    session.runEntry(entry);
  }
  return 0;
}

int runPiped(std::istream& in, std::ostream& out, std::ostream& err) {
  // A piped session keeps stdout clean: prompts go to stderr.
  ReplSession session(out, err, /*terminal=*/false);
  EntryBuffer buffer;
  std::string line;
  for (;;) {
    err << (buffer.empty() ? ">>> " : "... ") << std::flush;
    if (!std::getline(in, line)) break;
    if (buffer.empty()) {
      bool quit = false;
      if (session.runLineCommand(line, quit)) {
        if (quit) break;
        continue;
      }
    }
    if (!buffer.add(line)) continue;
    std::string entry = buffer.take();
    if (isBlank(entry)) continue;
    session.runEntry(entry);
  }
  return 0;
}

} // namespace

int runRepl(std::istream& in, std::ostream& out, std::ostream& err) {
  if (isatty(STDIN_FILENO)) return runInteractive(out, err);
  return runPiped(in, out, err);
}

} // namespace ravel::tools
