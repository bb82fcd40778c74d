// Source text and its line table. Lines end at "\n", "\r\n" or a lone "\r"
// (the lexer accepts the same three), so line numbers agree with the lexer's.
#include "compiler/diag/Source.h"

#include <algorithm>

namespace ravel {

Source::Source(std::string name, std::string text, uint32_t fileId)
    : name_(std::move(name)), text_(std::move(text)), fileId_(fileId) {
  lineStarts_.push_back(0);
  for (size_t i = 0; i < text_.size(); ++i) {
    char c = text_[i];
    if (c == '\n' || (c == '\r' && (i + 1 == text_.size() || text_[i + 1] != '\n')))
      lineStarts_.push_back(static_cast<uint32_t>(i + 1));
  }
}

std::pair<int, int> Source::lineCol(uint32_t offset) const {
  if (offset > text_.size()) offset = static_cast<uint32_t>(text_.size());
  // The last line start that is <= offset.
  auto it = std::upper_bound(lineStarts_.begin(), lineStarts_.end(), offset);
  size_t line = static_cast<size_t>(it - lineStarts_.begin()); // 1-based
  return {static_cast<int>(line), static_cast<int>(offset - lineStarts_[line - 1] + 1)};
}

std::string Source::lineText(int line) const {
  if (line < 1 || static_cast<size_t>(line) > lineStarts_.size()) return "";
  size_t begin = lineStarts_[line - 1];
  size_t end = static_cast<size_t>(line) < lineStarts_.size() ? lineStarts_[line] : text_.size();
  while (end > begin && (text_[end - 1] == '\n' || text_[end - 1] == '\r')) --end;
  return text_.substr(begin, end - begin);
}

} // namespace ravel
