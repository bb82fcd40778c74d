// libedit's native API (histedit.h). libedit's own signal handling is off:
// it re-raises signals to the whole process group, where ravel wants only a
// flag; a SIGWINCH handler of our own tells libedit the terminal's new size. So characters are read
// by our own function (EL_GETCFN), which ends the line when a read is interrupted by Ctrl-C and
// otherwise retries.
#include "tools/LineEditor.h"

#include "runtime/Interrupt.h"

#include <histedit.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cwchar>

namespace ravel::tools {

/// History entries kept (and saved).
constexpr int kHistorySize = 1000;
/// How often a read at the prompt looks at the interrupt flag.
constexpr int kInterruptPollMs = 100;

struct LineEditor::State {
  EditLine* el = nullptr;
  History* history = nullptr;
  HistEvent event;
  std::string historyPath;
  std::string prompt;
  Completer completer;
};

namespace {

/// Set by SIGWINCH: the terminal changed size, libedit must measure it again.
std::atomic<bool> resized{false};

extern "C" void onResize(int) {
  resized.store(true, std::memory_order_relaxed);
}

void applyResize(EditLine* el) {
  if (resized.exchange(false, std::memory_order_relaxed)) el_resize(el);
}

LineEditor::State* stateOf(EditLine* el) {
  void* data = nullptr;
  el_get(el, EL_CLIENTDATA, &data);
  return static_cast<LineEditor::State*>(data);
}

const char* promptOf(EditLine* el) {
  return stateOf(el)->prompt.c_str();
}

/// One character from the terminal, UTF-8 decoded. Returns 1 (a
/// character), 0 (end of input) or -1 (Ctrl-C: el_gets returns null).
int readChar(EditLine* el, wchar_t* out) {
  std::mbstate_t mb{};
  for (;;) {
    // Look at the flag before each blocking read, and wake every 100 ms: a
    // Ctrl-C that arrives just before read() starts (so it returns no EINTR)
    // still ends the line.
    if (interruptRequested()) return -1;
    pollfd in{STDIN_FILENO, POLLIN, 0};
    int ready = ::poll(&in, 1, kInterruptPollMs);
    if (ready == 0 || (ready < 0 && errno == EINTR)) {
      if (resized.load(std::memory_order_relaxed)) {
        applyResize(el);
        el_set(el, EL_REFRESH);
      }
      continue;
    }
    char byte;
    ssize_t n = ::read(STDIN_FILENO, &byte, 1);
    if (n == 0) return 0;
    if (n < 0) {
      if (errno == EINTR) {
        if (interruptRequested()) return -1;
        if (resized.load(std::memory_order_relaxed)) {
          applyResize(el);
          el_set(el, EL_REFRESH);
        }
        continue; // another signal (a stop and continue)
      }
      return 0;
    }
    wchar_t wc;
    size_t r = std::mbrtowc(&wc, &byte, 1, &mb);
    if (r == size_t(-2)) continue; // more bytes of this character
    if (r == size_t(-1)) {         // not UTF-8 in this locale: take the byte as is
      mb = {};
      wc = wchar_t(static_cast<unsigned char>(byte));
    }
    *out = wc;
    return 1;
  }
}

/// Tab: complete the word left of the cursor; on a line of only blanks,
/// indent. Several candidates: insert their common prefix, or list them.
unsigned char completeWord(EditLine* el, int) {
  LineEditor::State* s = stateOf(el);
  const LineInfo* li = el_line(el);
  std::string before(li->buffer, li->cursor);
  size_t lineStart = before.rfind('\n');
  std::string line = lineStart == std::string::npos ? before : before.substr(lineStart + 1);
  if (line.find_first_not_of(" \t") == std::string::npos) {
    el_insertstr(el, "    ");
    return CC_REFRESH;
  }
  if (!s->completer) return CC_ERROR;
  Completions c = s->completer(line);
  if (c.candidates.empty()) return CC_REFRESH_BEEP;
  std::string typed = line.substr(c.wordStart);
  std::string common = commonPrefix(c.candidates);
  if (common.size() > typed.size()) {
    el_insertstr(el, common.substr(typed.size()).c_str());
    return CC_REFRESH;
  }
  if (c.candidates.size() == 1) return CC_REFRESH;
  // List the candidates under the line, then redraw prompt and line.
  std::string list = "\n";
  size_t width = 0;
  for (const std::string& cand : c.candidates) width = std::max(width, cand.size());
  size_t columns = std::max<size_t>(1, 78 / (width + 2)), column = 0;
  for (const std::string& cand : c.candidates) {
    list += cand + std::string(width + 2 - cand.size(), ' ');
    if (++column == columns) {
      list += "\n";
      column = 0;
    }
  }
  if (column != 0) list += "\n";
  std::fwrite(list.data(), 1, list.size(), stdout);
  std::fflush(stdout);
  return CC_REDISPLAY;
}

} // namespace

std::string defaultHistoryPath() {
  const char* home = std::getenv("HOME");
  if (!home || !*home) return "";
  return std::string(home) + "/.ravel_history";
}

LineEditor::LineEditor(std::string historyPath, Completer completer)
    : state_(std::make_unique<State>()) {
  std::setlocale(LC_CTYPE, ""); // libedit decodes and draws UTF-8 by the locale
  State& s = *state_;
  s.historyPath = std::move(historyPath);
  s.completer = std::move(completer);
  s.history = history_init();
  history(s.history, &s.event, H_SETSIZE, kHistorySize);
  history(s.history, &s.event, H_SETUNIQUE, 1);
  if (!s.historyPath.empty()) history(s.history, &s.event, H_LOAD, s.historyPath.c_str());
  s.el = el_init("ravel", stdin, stdout, stderr);
  el_set(s.el, EL_CLIENTDATA, &s);
  el_set(s.el, EL_EDITOR, "emacs");
  el_set(s.el, EL_SIGNAL, 0);
  el_set(s.el, EL_PROMPT, promptOf);
  el_set(s.el, EL_HIST, history, s.history);
  el_set(s.el, EL_GETCFN, readChar);
  el_set(s.el, EL_ADDFN, "ravel-complete", "complete the word left of the cursor", completeWord);
  el_set(s.el, EL_BIND, "^I", "ravel-complete", nullptr);
  el_set(s.el, EL_BIND, "^L", "ed-clear-screen", nullptr);
  // Up/down arrows walk the history, also in terminals that send ESC O A.
  el_set(s.el, EL_BIND, "\033[A", "ed-prev-history", nullptr);
  el_set(s.el, EL_BIND, "\033[B", "ed-next-history", nullptr);
  el_set(s.el, EL_BIND, "\033OA", "ed-prev-history", nullptr);
  el_set(s.el, EL_BIND, "\033OB", "ed-next-history", nullptr);
  el_source(s.el, nullptr); // the user's ~/.editrc, if any
  struct sigaction sa {};
  sa.sa_handler = onResize;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0; // no SA_RESTART: a read waiting for a key returns and redraws
  sigaction(SIGWINCH, &sa, nullptr);
}

LineEditor::~LineEditor() {
  signal(SIGWINCH, SIG_DFL);
  el_end(state_->el);
  history_end(state_->history);
}

LineEditor::Result LineEditor::readLine(const std::string& prompt) {
  State& s = *state_;
  s.prompt = prompt;
  applyResize(s.el); // resized while a computation ran
  int count = 0;
  const char* line = el_gets(s.el, &count);
  if (!line) {
    if (count < 0 && interruptRequested()) {
      el_reset(s.el);
      return {Status::Interrupted, ""};
    }
    return {Status::EndOfFile, ""};
  }
  std::string text(line, size_t(count));
  if (!text.empty() && text.back() == '\n') text.pop_back();
  return {Status::Line, text};
}

void LineEditor::addHistory(const std::string& entry) {
  State& s = *state_;
  if (entry.find_first_not_of(" \t\n") == std::string::npos) return;
  history(s.history, &s.event, H_ENTER, entry.c_str());
  // Saved after every entry: a session that is killed keeps its history.
  if (!s.historyPath.empty()) history(s.history, &s.event, H_SAVE, s.historyPath.c_str());
}

} // namespace ravel::tools
