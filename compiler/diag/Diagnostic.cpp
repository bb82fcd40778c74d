// Rendering of a diagnostic:
//   name:line:col: <kind> error: message
//       the source line, verbatim, tabs expanded to spaces
//       ^^^^ under the span's part on that line (at least one caret)
//     note: ...
// The column is 1-based and counts bytes; caret placement counts display
// columns (tabs to the next multiple of 8, a UTF-8 sequence as one column).
#include "compiler/diag/Diagnostic.h"

#include <algorithm>
#include <iostream>

namespace ravel {
namespace {

constexpr int kTabWidth = 8;

bool isUtf8Continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

/// The line with tabs expanded, and for each byte offset in it (plus one past
/// the end) the display column where that byte starts.
struct DisplayLine {
  std::string text;
  std::vector<int> column;
};

DisplayLine expandTabs(const std::string& line) {
  DisplayLine out;
  int col = 0;
  for (char c : line) {
    out.column.push_back(col);
    if (c == '\t') {
      int next = (col / kTabWidth + 1) * kTabWidth;
      out.text.append(static_cast<size_t>(next - col), ' ');
      col = next;
    } else {
      out.text.push_back(c);
      if (!isUtf8Continuation(c)) ++col;
    }
  }
  out.column.push_back(col);
  return out;
}

std::string kindLabel(ErrorKind kind) {
  std::string name = errorKindName(kind);
  const std::string suffix = " error";
  if (name.size() < suffix.size() ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
    name += suffix;
  return name;
}

/// `name:line:col` of a span's start, then (after the caller's header text)
/// the span's first line and its carets, each line prefixed by `indent`.
struct Located {
  std::string where;
  std::string lines;
};

Located locate(const Source& source, Span span, const std::string& indent) {
  uint32_t size = static_cast<uint32_t>(source.text().size());
  uint32_t begin = std::min(span.begin, size);
  uint32_t end = std::min(std::max(span.end, begin), size);
  auto [line, col] = source.lineCol(begin);
  Located out;
  out.where = source.name() + ":" + std::to_string(line) + ":" + std::to_string(col);
  std::string text = source.lineText(line);
  DisplayLine shown = expandTabs(text);
  size_t first = static_cast<size_t>(col - 1);
  first = std::min(first, text.size());
  size_t last = std::min(first + (end - begin), text.size()); // clipped to this line
  int from = shown.column[first];
  int to = std::max(shown.column[last], from + 1);
  out.lines = indent + shown.text + "\n" + indent + std::string(static_cast<size_t>(from), ' ') +
              std::string(static_cast<size_t>(to - from), '^') + "\n";
  return out;
}

} // namespace

std::string Diagnostic::render(const Source& source) const {
  Located at = locate(source, span, "    ");
  std::string label = warning ? std::string(warningLabel) : kindLabel(kind);
  std::string out = at.where + ": " + label + ": " + message + "\n" + at.lines;
  for (const std::string& note : notes) out += "  note: " + note + "\n";
  return out;
}

std::string
Diagnostic::render(const std::function<const Source*(uint32_t fileId)>& sourceOf) const {
  std::string out;
  if (!trace.empty()) {
    // Each call site runs in the function the previous frame called.
    out += "Traceback (most recent call last):\n";
    for (size_t i = 0; i < trace.size(); ++i) {
      const std::string in = i == 0 ? "<module>" : trace[i - 1].function;
      if (const Source* source = sourceOf(trace[i].callSite.fileId)) {
        Located at = locate(*source, trace[i].callSite, "    ");
        out += "  " + at.where + ": in " + in + "\n" + at.lines;
      } else {
        out += "  in " + in + "\n";
      }
    }
  }
  if (const Source* source = sourceOf(span.fileId)) return out + render(*source);
  out += kindLabel(kind) + ": " + message + "\n";
  for (const std::string& note : notes) out += "  note: " + note + "\n";
  return out;
}

int reportScriptError(const std::function<std::string(const RavelError&)>& render,
                      std::ostream& err) {
  std::cout.flush();
  try {
    throw;
  } catch (const RavelError& e) {
    err << render(e);
    return 1;
  } catch (const InternalError& e) {
    err << "ravel: internal error (this is a bug in ravel): " << e.what() << "\n";
    return 3;
  } catch (const std::bad_alloc&) {
    err << "ravel: out of memory\n";
    return 1;
  }
}

} // namespace ravel
