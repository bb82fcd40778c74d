// Npy: reading and writing NumPy's .npy files (see Npy.h for the format).
//
// Loading, in order, each step failing with a message that names the file:
//  1. open and fstat (File errors: missing, a directory, not a regular file);
//  2. read at most the prefix plus kMaxHeaderSize bytes and parse: magic,
//     version (1.0, 2.0, 3.0), header length (checked against the file and
//     the limit), the dict literal (strict parser below), its keys and values;
//  3. check that the file holds shape-product x itemsize bytes after the
//     header, before allocating anything;
//  4. allocate (Fortran-strided for Fortran order), read the data, swap
//     big-endian elements, normalise bool bytes.
#include "runtime/Npy.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "ravel's .npy code assumes a "
                                                         "little-endian host");

namespace ravel {
namespace {

constexpr std::string_view kMagic = "\x93NUMPY";
constexpr int64_t kArrayAlign = 64;          // numpy.lib.format.ARRAY_ALIGN
constexpr int64_t kGrowthAxisMaxDigits = 21; // numpy.lib.format.GROWTH_AXIS_MAX_DIGITS

/// The path as Python's repr shows it in messages: quoted, NUL as \x00.
std::string quoted(const std::string& path) {
  std::string out = "'";
  for (char c : path) out += c == '\0' ? std::string("\\x00") : std::string(1, c);
  return out + "'";
}

[[noreturn]] void failLoad(ErrorKind kind, const std::string& path, const std::string& what) {
  throw RuntimeError(kind, "cannot load " + quoted(path) + ": " + what);
}

[[noreturn]] void failOs(const char* verb, const std::string& path, int err) {
  throw RuntimeError(ErrorKind::File, std::string("cannot ") + verb + " " + quoted(path) + ": " +
                                          std::strerror(err));
}

/// A file descriptor closed on scope exit.
class FileHandle {
public:
  explicit FileHandle(int fd) : fd_(fd) {}
  ~FileHandle() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileHandle(const FileHandle&) = delete;
  FileHandle& operator=(const FileHandle&) = delete;
  int get() const { return fd_; }
  /// Closes now and reports close's error (a delayed write error on NFS).
  int close() {
    int r = ::close(fd_);
    fd_ = -1;
    return r;
  }

private:
  int fd_;
};

/// Reads exactly n bytes at offset, or fewer only at end of file. Returns the
/// count read; -1 with errno on an error.
int64_t readAt(int fd, char* out, int64_t n, int64_t offset) {
  int64_t done = 0;
  while (done < n) {
    ssize_t r = ::pread(fd, out + done, size_t(std::min<int64_t>(n - done, int64_t(1) << 30)),
                        off_t(offset + done));
    if (r < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (r == 0) break;
    done += r;
  }
  return done;
}

/// Writes all n bytes or returns false with errno set.
bool writeAll(int fd, const char* p, int64_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, size_t(std::min<int64_t>(n, int64_t(1) << 30)));
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += w;
    n -= w;
  }
  return true;
}

/// Opens a regular file for reading; File errors for anything else.
int openRegularFile(const std::string& path, int64_t& size) {
  checkPathHasNoNul("load", path);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) failOs("load", path, errno);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    failOs("load", path, err);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    failOs("load", path, S_ISDIR(st.st_mode) ? EISDIR : EINVAL);
  }
  size = int64_t(st.st_size);
  return fd;
}

// ---------------------------------------------------------------------------
// The header's dict literal
// ---------------------------------------------------------------------------

/// One Python literal of the subset a .npy header uses.
struct Literal {
  enum class Kind { Str, Bool, None, Int, Float, Tuple, List } kind = Kind::None;
  std::string text; // Str: the contents
  bool b = false;
  int64_t i = 0;
  bool intTooBig = false; // an Int beyond int64
  std::vector<Literal> items;
  std::string raw; // the literal's source text, for messages
};

/// Recursive descent over Python's literal syntax, restricted to what
/// np.save can write: strings without escapes, True/False/None, decimal
/// numbers (Python 2's `2L` in versions 1.0 and 2.0), tuples and lists.
/// Nesting is bounded, so hostile input cannot exhaust the stack.
class LiteralParser {
public:
  LiteralParser(std::string_view text, bool allowLongSuffix, const std::string& path)
      : s_(text), allowLong_(allowLongSuffix), path_(path) {}

  /// The header: one dict of string keys, then only whitespace.
  std::vector<std::pair<std::string, Literal>> parseDict() {
    std::vector<std::pair<std::string, Literal>> entries;
    skipSpace();
    expect('{');
    for (;;) {
      skipSpace();
      if (peek() == '}') break;
      Literal key = parseValue(0);
      if (key.kind != Literal::Kind::Str) fail("a header key is not a string: " + key.raw);
      skipSpace();
      expect(':');
      entries.emplace_back(key.text, parseValue(0));
      skipSpace();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() != '}') fail("expected ',' or '}'");
      break;
    }
    ++pos_;
    skipSpace();
    if (pos_ != s_.size()) fail("unexpected text after the dict");
    return entries;
  }

private:
  static constexpr int kMaxNesting = 16;

  char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  void skipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' ||
                                s_[pos_] == '\r' || s_[pos_] == '\f' || s_[pos_] == '\v'))
      ++pos_;
  }
  void expect(char c) {
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++pos_;
  }
  [[noreturn]] void fail(const std::string& why) const {
    std::string shown(s_.substr(0, 120));
    while (!shown.empty() && (shown.back() == ' ' || shown.back() == '\n')) shown.pop_back();
    if (s_.size() > 120) shown += "...";
    failLoad(ErrorKind::Value, path_,
             "cannot parse the header " + shown + " (" + why + " at byte " + std::to_string(pos_) +
                 ")");
  }

  Literal parseValue(int depth) {
    if (depth > kMaxNesting) fail("nesting too deep");
    skipSpace();
    const size_t start = pos_;
    Literal v;
    const char c = peek();
    if (c == '\'' || c == '"') {
      v.kind = Literal::Kind::Str;
      ++pos_;
      while (pos_ < s_.size() && s_[pos_] != c) {
        if (s_[pos_] == '\\' || s_[pos_] == '\n') fail("unsupported string");
        v.text += s_[pos_++];
      }
      expect(c);
    } else if (c == '(' || c == '[') {
      parseSequence(v, depth);
    } else if (c == '-' || c == '+' || (c >= '0' && c <= '9')) {
      parseNumber(v);
    } else {
      size_t end = pos_;
      while (end < s_.size() && std::isalnum(static_cast<unsigned char>(s_[end]))) ++end;
      std::string_view word = s_.substr(pos_, end - pos_);
      if (word == "True" || word == "False") {
        v.kind = Literal::Kind::Bool;
        v.b = word == "True";
      } else if (word == "None") {
        v.kind = Literal::Kind::None;
      } else {
        fail("unexpected character");
      }
      pos_ = end;
    }
    v.raw = std::string(s_.substr(start, pos_ - start));
    return v;
  }

  /// `(a, b)`, `(a,)`, `()` and lists; `(a)` is just a in parentheses.
  void parseSequence(Literal& v, int depth) {
    const char close = peek() == '(' ? ')' : ']';
    v.kind = close == ')' ? Literal::Kind::Tuple : Literal::Kind::List;
    ++pos_;
    bool sawComma = false;
    for (;;) {
      skipSpace();
      if (peek() == close) break;
      v.items.push_back(parseValue(depth + 1));
      skipSpace();
      if (peek() == ',') {
        ++pos_;
        sawComma = true;
        continue;
      }
      if (peek() != close) fail(std::string("expected ',' or '") + close + "'");
      break;
    }
    ++pos_;
    if (close == ')' && v.items.size() == 1 && !sawComma) {
      Literal inner = std::move(v.items[0]);
      v = std::move(inner);
    }
  }

  void parseNumber(Literal& v) {
    bool negative = false;
    if (peek() == '-' || peek() == '+') negative = s_[pos_++] == '-';
    const size_t digitsStart = pos_;
    unsigned __int128 magnitude = 0;
    while (std::isdigit(static_cast<unsigned char>(peek()))) {
      magnitude = magnitude * 10 + unsigned(s_[pos_++] - '0');
      if (magnitude > (unsigned __int128)INT64_MAX + 1)
        magnitude = (unsigned __int128)INT64_MAX + 2;
    }
    bool isFloat = false;
    if (peek() == '.') {
      isFloat = true;
      ++pos_;
      while (std::isdigit(static_cast<unsigned char>(peek()))) ++pos_;
    }
    if (pos_ == digitsStart || (pos_ == digitsStart + 1 && isFloat && s_[digitsStart] == '.'))
      fail("malformed number");
    if (peek() == 'e' || peek() == 'E') {
      isFloat = true;
      ++pos_;
      if (peek() == '-' || peek() == '+') ++pos_;
      if (!std::isdigit(static_cast<unsigned char>(peek()))) fail("malformed number");
      while (std::isdigit(static_cast<unsigned char>(peek()))) ++pos_;
    }
    if (isFloat) {
      v.kind = Literal::Kind::Float;
      return;
    }
    if (allowLong_ && (peek() == 'L' || peek() == 'l')) ++pos_;
    if (pos_ - digitsStart > 1 && s_[digitsStart] == '0' &&
        std::isdigit(static_cast<unsigned char>(s_[digitsStart + 1])))
      fail("leading zeros in an integer");
    v.kind = Literal::Kind::Int;
    v.intTooBig = magnitude > (negative ? (unsigned __int128)INT64_MAX + 1 : INT64_MAX);
    v.i = v.intTooBig ? 0 : negative ? int64_t(-magnitude) : int64_t(magnitude);
  }

  std::string_view s_;
  size_t pos_ = 0;
  bool allowLong_;
  const std::string& path_;
};

/// A descr string: an optional byte-order character, then a type code
/// ('f8', 'i4', 'b1', '?') or a dtype name ('float64').
bool parseDescr(const std::string& descr, DType& dtype, bool& bigEndian) {
  std::string_view code = descr;
  bigEndian = false;
  if (!code.empty() && (code[0] == '<' || code[0] == '>' || code[0] == '|' || code[0] == '=')) {
    bigEndian = code[0] == '>';
    code.remove_prefix(1);
  }
  struct Code {
    std::string_view text;
    DType type;
  };
  static constexpr Code kCodes[] = {{"b1", DType::Bool},    {"?", DType::Bool},
                                    {"i4", DType::Int32},   {"i8", DType::Int64},
                                    {"f4", DType::Float32}, {"f8", DType::Float64}};
  for (const Code& c : kCodes) {
    if (code == c.text) {
      dtype = c.type;
      if (itemSize(dtype) == 1) bigEndian = false;
      return true;
    }
  }
  if (code.size() == descr.size()) { // no order character: NumPy also takes dtype names
    if (std::optional<DType> t = parseDType(code); t && code.find('<') == std::string_view::npos) {
      dtype = *t;
      return true;
    }
  }
  return false;
}

/// Python's repr of a shape tuple: "()", "(3,)", "(3, 4)".
std::string shapeRepr(const Shape& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + (shape.size() == 1 ? ",)" : ")");
}

/// NumPy's dtype.str: '|b1', '<i4', '<i8', '<f4', '<f8'.
std::string descrOf(DType t) {
  switch (t) {
    case DType::Bool:
      return "|b1";
    case DType::Int32:
      return "<i4";
    case DType::Int64:
      return "<i8";
    case DType::Float32:
      return "<f4";
    case DType::Float64:
      return "<f8";
  }
  return "";
}

uint32_t readLittleEndian(std::string_view bytes) {
  uint32_t v = 0;
  for (size_t i = bytes.size(); i-- > 0;) v = v << 8 | uint8_t(bytes[i]);
  return v;
}

void swapBytes(char* data, int64_t count, int64_t itemsize) {
  if (itemsize == 4) {
    for (int64_t i = 0; i < count; ++i) {
      uint32_t v;
      std::memcpy(&v, data + i * 4, 4);
      v = __builtin_bswap32(v);
      std::memcpy(data + i * 4, &v, 4);
    }
  } else if (itemsize == 8) {
    for (int64_t i = 0; i < count; ++i) {
      uint64_t v;
      std::memcpy(&v, data + i * 8, 8);
      v = __builtin_bswap64(v);
      std::memcpy(data + i * 8, &v, 8);
    }
  }
}

} // namespace

// ---------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------

NpyHeader parseNpyHeader(std::string_view fileStart, int64_t fileSize, const std::string& path,
                         int64_t maxHeaderSize) {
  if (fileSize == 0) failLoad(ErrorKind::Value, path, "not a .npy file (the file is empty)");
  if (fileStart.substr(0, kMagic.size()) != kMagic)
    failLoad(ErrorKind::Value, path, "not a .npy file (bad magic)");
  if (fileSize < int64_t(kMagic.size()) + 2)
    failLoad(ErrorKind::Value, path, "truncated header: the file ends inside the version");
  NpyHeader h;
  const int major = uint8_t(fileStart[6]), minor = uint8_t(fileStart[7]);
  if (major < 1 || major > 3 || minor != 0)
    failLoad(ErrorKind::Value, path,
             "unsupported .npy format version " + std::to_string(major) + "." +
                 std::to_string(minor));
  h.majorVersion = major;
  const int64_t lengthBytes = major == 1 ? 2 : 4;
  const int64_t prefix = int64_t(kMagic.size()) + 2 + lengthBytes;
  if (fileSize < prefix)
    failLoad(ErrorKind::Value, path,
             "truncated header: expected " + std::to_string(lengthBytes) +
                 " bytes of header length at offset 8, found " + std::to_string(fileSize - 8));
  const int64_t headerLength = readLittleEndian(fileStart.substr(8, size_t(lengthBytes)));
  if (headerLength > fileSize - prefix)
    failLoad(ErrorKind::Value, path,
             "truncated header: expected " + std::to_string(headerLength) +
                 " bytes of header at offset " + std::to_string(prefix) + ", found " +
                 std::to_string(fileSize - prefix));
  if (headerLength > maxHeaderSize)
    failLoad(ErrorKind::Value, path,
             "header length " + std::to_string(headerLength) + " is larger than the limit of " +
                 std::to_string(maxHeaderSize) + " bytes");
  RAVEL_CHECK(int64_t(fileStart.size()) >= prefix + headerLength, "caller read too little");
  h.dataOffset = prefix + headerLength;

  LiteralParser parser(fileStart.substr(size_t(prefix), size_t(headerLength)), major <= 2, path);
  const Literal* descr = nullptr;
  const Literal* order = nullptr;
  const Literal* shape = nullptr;
  auto entries = parser.parseDict();
  std::vector<std::string> keys;
  for (const auto& [key, value] : entries) {
    if (std::find(keys.begin(), keys.end(), key) != keys.end())
      failLoad(ErrorKind::Value, path, "the header repeats the key '" + key + "'");
    keys.push_back(key);
    if (key == "descr") descr = &value;
    if (key == "fortran_order") order = &value;
    if (key == "shape") shape = &value;
  }
  if (keys.size() != 3 || !descr || !order || !shape) {
    std::sort(keys.begin(), keys.end());
    std::string list;
    for (const std::string& k : keys) list += (list.empty() ? "'" : ", '") + k + "'";
    failLoad(ErrorKind::Value, path,
             "the header does not contain the correct keys: [" + list +
                 "] (expected 'descr', 'fortran_order', 'shape')");
  }

  if (descr->kind != Literal::Kind::Str || !parseDescr(descr->text, h.dtype, h.bigEndian))
    failLoad(ErrorKind::Value, path, "unsupported dtype " + descr->raw);
  if (order->kind != Literal::Kind::Bool)
    failLoad(ErrorKind::Value, path, "fortran_order is not a valid bool: " + order->raw);
  h.fortranOrder = order->b;
  if (shape->kind != Literal::Kind::Tuple)
    failLoad(ErrorKind::Value, path, "shape is not valid: " + shape->raw);
  if (shape->items.size() > size_t(kMaxDims))
    failLoad(ErrorKind::Value, path,
             "shape " + shape->raw + " has more than " + std::to_string(kMaxDims) + " dimensions");
  int64_t count = 1;
  bool tooLarge = false;
  for (const Literal& d : shape->items) {
    if (d.kind != Literal::Kind::Int)
      failLoad(ErrorKind::Value, path, "shape is not valid: " + shape->raw);
    if (d.intTooBig || d.i < 0)
      failLoad(ErrorKind::Value, path,
               std::string(d.intTooBig ? "dimension too large" : "negative dimension") +
                   " in shape " + shape->raw);
    h.shape.push_back(d.i);
    tooLarge |= __builtin_mul_overflow(count, d.i, &count);
  }
  if (tooLarge || __builtin_mul_overflow(count, itemSize(h.dtype), &h.dataBytes))
    failLoad(ErrorKind::Value, path, "shape " + shape->raw + " is too large");

  const int64_t available = fileSize - h.dataOffset;
  if (available < h.dataBytes)
    failLoad(ErrorKind::Value, path,
             "file truncated: expected " + std::to_string(h.dataBytes) + " bytes of data, found " +
                 std::to_string(available));
  return h;
}

namespace {

/// Reads and parses the header of an open file: first the fixed prefix,
/// then, when the stated header length is plausible, the header itself.
NpyHeader readHeader(int fd, int64_t fileSize, const std::string& path, int64_t maxHeaderSize) {
  constexpr int64_t kLongestPrefix = 12; // magic, version, 4-byte length
  std::string bytes(size_t(std::min(fileSize, kLongestPrefix)), '\0');
  int64_t requested = int64_t(bytes.size());
  int64_t got = readAt(fd, bytes.data(), requested, 0);
  if (got < 0) failOs("load", path, errno);
  bytes.resize(size_t(got));
  int64_t wanted = got;
  if (got == kLongestPrefix && std::string_view(bytes).substr(0, kMagic.size()) == kMagic) {
    const int64_t lengthBytes = bytes[6] == 1 ? 2 : 4;
    const int64_t headerLength =
        readLittleEndian(std::string_view(bytes).substr(8, size_t(lengthBytes)));
    if (headerLength <= maxHeaderSize) wanted = 8 + lengthBytes + headerLength;
  }
  if (wanted > got && wanted <= fileSize) {
    bytes.resize(size_t(wanted));
    requested = wanted;
    int64_t more = readAt(fd, bytes.data() + got, wanted - got, got);
    if (more < 0) failOs("load", path, errno);
    got += more;
    bytes.resize(size_t(got));
  }
  // A short read means the file shrank since fstat: it ends where the read did.
  const int64_t size = got < requested ? got : fileSize;
  return parseNpyHeader(bytes, size, path, maxHeaderSize);
}

} // namespace

NpyHeader readNpyHeader(const std::string& path, int64_t maxHeaderSize) {
  int64_t size = 0;
  FileHandle fd(openRegularFile(path, size));
  return readHeader(fd.get(), size, path, maxHeaderSize);
}

Array loadNpy(const std::string& path, int64_t maxHeaderSize) {
  int64_t fileSize = 0;
  FileHandle fd(openRegularFile(path, fileSize));
  const NpyHeader h = readHeader(fd.get(), fileSize, path, maxHeaderSize);

  Array a;
  try {
    // The file's bytes in memory order: C order, or Fortran order read into
    // an array that owns Fortran-strided memory (no copy, no base).
    a = h.fortranOrder ? Array::emptyFortran(h.shape, h.dtype) : Array::empty(h.shape, h.dtype);
  } catch (const RuntimeError& e) {
    failLoad(e.kind(), path, e.what());
  }
  const int64_t got = readAt(fd.get(), a.data(), h.dataBytes, h.dataOffset);
  if (got < 0) failOs("load", path, errno);
  if (got < h.dataBytes) // the file shrank after fstat
    failLoad(ErrorKind::Value, path,
             "file truncated: expected " + std::to_string(h.dataBytes) + " bytes of data, found " +
                 std::to_string(got));

  if (h.bigEndian) swapBytes(a.data(), a.size(), a.itemsize());
  if (h.dtype == DType::Bool) {
    // Any non-zero byte is True (NumPy reads the byte as a C bool);
    // ravel's kernels and copies expect exactly 0 or 1.
    auto* bytes = reinterpret_cast<unsigned char*>(a.data());
    for (int64_t i = 0; i < a.size(); ++i) bytes[i] = bytes[i] != 0;
  }
  return a;
}

// ---------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------

void checkPathHasNoNul(const char* verb, const std::string& path) {
  if (path.find('\0') != std::string::npos)
    throw RuntimeError(ErrorKind::Value,
                       std::string("cannot ") + verb + " " + quoted(path) + ": embedded null byte");
}

void ignoreFileSizeSignal() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction current;
    if (::sigaction(SIGXFSZ, nullptr, &current) == 0 && current.sa_handler == SIG_DFL &&
        !(current.sa_flags & SA_SIGINFO))
      std::signal(SIGXFSZ, SIG_IGN);
  });
}

std::string npySavePath(const std::string& path) {
  const std::string_view suffix = ".npy";
  if (path.size() >= suffix.size() &&
      path.compare(path.size() - suffix.size(), suffix.size(), suffix.data(), suffix.size()) == 0)
    return path;
  return path + ".npy";
}

std::string encodeNpyHeader(DType dtype, bool fortranOrder, const Shape& shape) {
  // numpy.lib.format._write_array_header: keys sorted, repr'd values, room
  // to grow the growth axis in place, then _wrap_header's padding.
  std::string dict = "{'descr': '" + descrOf(dtype) +
                     "', 'fortran_order': " + (fortranOrder ? "True" : "False") +
                     ", 'shape': " + shapeRepr(shape) + ", }";
  if (!shape.empty()) {
    const int64_t growthDigits =
        int64_t(std::to_string(fortranOrder ? shape.back() : shape.front()).size());
    dict.append(size_t(kGrowthAxisMaxDigits - growthDigits), ' ');
  }
  for (int major : {1, 2}) {
    const int64_t lengthBytes = major == 1 ? 2 : 4;
    const int64_t headerLength = int64_t(dict.size()) + 1; // with the final newline
    const int64_t pad =
        kArrayAlign - (int64_t(kMagic.size()) + 2 + lengthBytes + headerLength) % kArrayAlign;
    const int64_t stored = headerLength + pad;
    if (major == 1 && stored > 0xFFFF) continue;
    std::string out(kMagic);
    out += char(major);
    out += char(0);
    for (int64_t i = 0; i < lengthBytes; ++i) out += char((stored >> (8 * i)) & 0xFF);
    out += dict;
    out.append(size_t(pad), ' ');
    out += '\n';
    return out;
  }
  RAVEL_CHECK(false, "a .npy header beyond 4 GiB");
}

namespace {

/// Permission bits a newly created file gets (0666 minus the umask), read
/// from /proc so no other thread sees a temporarily changed umask.
mode_t newFileMode() {
  mode_t mask = 022;
  if (FILE* f = std::fopen("/proc/self/status", "r")) {
    char line[256];
    while (std::fgets(line, sizeof line, f)) {
      unsigned m;
      if (std::sscanf(line, "Umask: %o", &m) == 1) {
        mask = mode_t(m);
        break;
      }
    }
    std::fclose(f);
  }
  return 0666 & ~mask;
}

/// Removes the temporary file unless the rename committed it.
struct TempFileGuard {
  std::string path;
  bool committed = false;
  ~TempFileGuard() {
    if (!committed) ::unlink(path.c_str());
  }
};

} // namespace

void saveNpy(const std::string& pathIn, const Array& a) {
  RAVEL_CHECK(a.valid(), "saving a null array");
  checkPathHasNoNul("save", pathIn);
  ignoreFileSizeSignal();
  // Replace what a symlink points to, as writing through it would.
  std::string path = pathIn;
  struct stat st;
  if (::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
    if (char* real = ::realpath(path.c_str(), nullptr)) {
      path = real;
      std::free(real);
    }
  }
  mode_t mode = newFileMode();
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) failOs("save", pathIn, EISDIR);
    mode = st.st_mode & 07777;
  }

  const bool fortran = a.isFContiguous() && !a.isCContiguous();
  // The elements in file order as one contiguous block.
  Array block = fortran ? a.transpose() : a;
  if (!block.isCContiguous()) {
    try {
      block = block.copy();
    } catch (const RuntimeError& e) {
      throw RuntimeError(e.kind(), "cannot save " + quoted(pathIn) + ": " + e.what());
    }
  }
  const std::string header = encodeNpyHeader(a.dtype(), fortran, a.shape());

  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  std::string tempName = (slash == std::string::npos ? "" : dir) + "." + base + ".tmp-XXXXXX";
  int raw = ::mkostemp(tempName.data(), O_CLOEXEC);
  if (raw < 0) failOs("save", pathIn, errno);
  FileHandle fd(raw);
  TempFileGuard guard{tempName};

  if (::fchmod(fd.get(), mode) != 0) failOs("save", pathIn, errno);
  // A short write (a full disk, the file-size limit) names what was asked.
  const int64_t total = int64_t(header.size()) + a.nbytes();
  if (!writeAll(fd.get(), header.data(), int64_t(header.size())) ||
      (a.size() != 0 && !writeAll(fd.get(), block.data(), a.nbytes())))
    throw RuntimeError(ErrorKind::File, "cannot save " + quoted(pathIn) + ": " +
                                            std::strerror(errno) + " (writing " +
                                            std::to_string(total) + " bytes)");
  if (::fsync(fd.get()) != 0) failOs("save", pathIn, errno);
  if (fd.close() != 0) failOs("save", pathIn, errno);
  if (::rename(tempName.c_str(), path.c_str()) != 0) failOs("save", pathIn, errno);
  guard.committed = true;
  // Make the rename itself durable; a directory that cannot be synced
  // (some file systems) leaves the file written, so this is best effort.
  if (int dirFd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dirFd >= 0) {
    (void)::fsync(dirFd);
    ::close(dirFd);
  }
}

} // namespace ravel
