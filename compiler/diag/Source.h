// Source text and spans. A Span is a byte range in one source; line and column
// are computed only when an error is rendered.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ravel {

struct Span {
  uint32_t fileId = 0;
  uint32_t begin = 0; // byte offset of the first character
  uint32_t end = 0;   // one past the last character; end >= begin
  static Span cover(Span a, Span b) { return {a.fileId, a.begin < b.begin ? a.begin : b.begin, a.end > b.end ? a.end : b.end}; }
};

class Source {
public:
  Source(std::string name, std::string text, uint32_t fileId = 0);
  const std::string& name() const { return name_; }
  const std::string& text() const { return text_; }
  uint32_t fileId() const { return fileId_; }
  /// 1-based line and column (in bytes) of an offset.
  std::pair<int, int> lineCol(uint32_t offset) const;
  /// The text of a 1-based line, without its newline.
  std::string lineText(int line) const;

private:
  std::string name_;
  std::string text_;
  uint32_t fileId_;
  std::vector<uint32_t> lineStarts_;
};

} // namespace ravel
